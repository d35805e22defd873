"""Cleaning scraped text: repair, de-glossing, script conversion, with offsets to the raw text."""

from .cleaner import *  # noqa: F401,F403
from .cleaner import __all__  # noqa: F401

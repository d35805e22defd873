"""Cleaning scraped text: repair, de-glossing, script conversion, with offsets to the raw text."""

from . import cleaner, mojibake, report
from .cleaner import *  # noqa: F401,F403
from .mojibake import *  # noqa: F401,F403
from .report import *  # noqa: F401,F403

__all__ = [*report.__all__, *mojibake.__all__, *cleaner.__all__]

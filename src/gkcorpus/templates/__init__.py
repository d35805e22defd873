"""Sentence templates with typed slots, their library, skeletons and evaluation."""

from .miner import *  # noqa: F401,F403
from .miner import __all__  # noqa: F401

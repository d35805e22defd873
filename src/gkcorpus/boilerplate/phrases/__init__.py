"""The phrase miner, the formulaicness index and their writers."""

from .miner import *  # noqa: F401,F403
from .miner import __all__  # noqa: F401

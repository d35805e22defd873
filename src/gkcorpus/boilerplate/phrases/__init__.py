"""The phrase miner, the formulaicness (套话) index, and mine_boilerplate with its writers."""

from . import formulaicness, miner, records, writers
from .formulaicness import *  # noqa: F401,F403
from .miner import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403

__all__ = [*records.__all__, *miner.__all__, *formulaicness.__all__, *writers.__all__]

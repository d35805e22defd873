"""The phrase bank (:class:`FormulaMiner`: whole formulae at any length, typed by kind), the legacy
n-gram phrase miner, the formulaicness (套话) index, and mine_boilerplate with its writers."""

from . import formula_export, formula_kinds, formula_miner, formula_records, formulaicness, miner, records, writers
from .formula_export import *  # noqa: F401,F403
from .formula_miner import *  # noqa: F401,F403
from .formula_records import *  # noqa: F401,F403
from .formulaicness import *  # noqa: F401,F403
from .miner import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403

__all__ = [*records.__all__, *miner.__all__, *formulaicness.__all__, *writers.__all__, *formula_records.__all__,
           *formula_miner.__all__, *formula_export.__all__]

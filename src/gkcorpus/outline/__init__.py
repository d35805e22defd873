"""Section types and the common outline of a corpus, document kinds, and their plots."""

from . import common, kinds, records, run, segments, typer
from .common import *  # noqa: F401,F403
from .kinds import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
from .run import *  # noqa: F401,F403
from .segments import *  # noqa: F401,F403
from .typer import *  # noqa: F401,F403

__all__ = [*segments.__all__, *records.__all__, *typer.__all__, *common.__all__, *kinds.__all__, *run.__all__]

"""Section types and the common outline of a corpus (and their plots)."""

from .typer import *  # noqa: F401,F403
from .typer import __all__  # noqa: F401

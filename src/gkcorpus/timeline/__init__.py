"""Formula timelines: every formula and frame counted by a document variable (year, region, kind),
with life spans, successions and eras."""

from .counts import *  # noqa: F401,F403
from .counts import __all__ as _counts_all
from .eras import Era, EraSegmenter

__all__ = [*_counts_all, "Era", "EraSegmenter"]

"""Fewer runs of Python's cyclic garbage collector while a whole analysis runs.

CPython starts a young-generation collection every 700 net allocations. An analysis stage
builds millions of short-lived objects (token lists, records, rows) that outlive 700
allocations, so they are promoted and traversed again and again by the older collections,
which then also walk every long-lived object (the corpus, the segmentation memo, earlier
results): on the national reports about a sixth of ``mine``'s CPU time. With young collections
every ``young`` allocations most temporaries are freed by reference counting before any
collection sees them. Only cyclic garbage waits longer (``mine`` on the national reports peaks
a few MB higher); results do not depend on it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["fewer_collections", "paused_collection"]

YOUNG = 100_000
"""Net allocations between young collections within :func:`fewer_collections` (CPython: 700)."""


@contextmanager
def fewer_collections(young: int = YOUNG, middle: int = 20, old: int = 10) -> Iterator[None]:
    """Within the block, the collector's thresholds are at least ``(young, middle, old)``; the
    previous thresholds are restored on exit (blocks nest)."""
    before = gc.get_threshold()
    gc.set_threshold(max(young, before[0]), max(middle, before[1]), max(old, before[2]))
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def paused_collection(promote: bool = True) -> Iterator[None]:
    """No collections within the block; on exit the objects made in it that are still alive join the
    oldest generation at once (``gc.freeze`` then ``gc.unfreeze``), then collections resume.

    For a step that builds a large, acyclic result (a fitted model's records): paused, the
    collector would otherwise meet all of them in the first young collection after the block and
    traverse them there (a third of a second for the national reports' phrase bank), only to
    promote them. Skipped -- a plain pause -- when collections were off already, objects are
    frozen (whoever froze them meant them to stay so) or ``promote`` is false."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if promote and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()

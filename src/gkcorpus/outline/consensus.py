"""Consensus of several typings of the same parts: the types as the parts typed together in most fits.

The part typer's rules decide on counts of documents (a cut of the tree where two halves share half the
smaller half's documents, a topic split off where four documents divide a part in two), and one document
more or less moves a count over its threshold: the types of a corpus and of the same corpus without one
report can differ by a whole part. Fitting again on subsets of the documents and keeping what most fits
agree on (evidence accumulation, Fred and Jain 2005) makes the types depend less on any one document.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["consensus_labels", "MAX_CONSENSUS_ROWS"]

#: above this many parts no consensus is taken: it holds an n × n table of how often two parts were typed together
MAX_CONSENSUS_ROWS = 3000


def consensus_labels(n: int, fits: Sequence[tuple[np.ndarray, np.ndarray]], share: float = 0.5) -> np.ndarray:
    """Labels 0, 1, … of ``n`` rows from several fits, each ``(rows, labels)`` (the rows it typed and their
    labels): average linkage on the share of the fits holding both rows that typed them together, cut where
    that share falls below ``share`` (two groups join when at least ``share`` of the fits holding a pair of
    their rows typed it together, on average over the pairs). A pair no fit holds counts as apart."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if n > MAX_CONSENSUS_ROWS:
        raise ValueError(f"{n} rows: a consensus holds at most {MAX_CONSENSUS_ROWS}")
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    together = np.zeros((n, n), dtype=np.float32)
    held = np.zeros((n, n), dtype=np.float32)
    for rows, labels in fits:
        rows, labels = np.asarray(rows), np.asarray(labels)
        ix = np.ix_(rows, rows)
        together[ix] += labels[:, None] == labels[None, :]
        held[ix] += 1
    dist = 1.0 - np.divide(together, held, out=np.zeros_like(together), where=held > 0)
    np.fill_diagonal(dist, 0.0)
    Z = linkage(squareform(dist.astype(np.float64), checks=False), "average")
    return np.unique(fcluster(Z, 1.0 - share, "distance"), return_inverse=True)[1].astype(np.int64)

"""Containment between repeated passages: which occurrences lie inside a longer one.

Maximal repeats nest: 团结在…周围 occurs inside 让我们…团结在…周围 in most documents and alone in
others. A sweep over all occurrences sorted by (start, longest first) finds, for each occurrence,
the earlier-starting occurrence reaching furthest right; when it reaches at least as far, the
occurrence is contained in it. Linear after one sort; no pairwise comparison of passages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Nesting", "nest"]


@dataclass(frozen=True)
class Nesting:
    """Per passage: occurrences of its own (not inside a longer passage), and its parents.

    ``own[k]``: occurrences of passage ``k`` not contained in an occurrence of another passage;
    ``parents[k]``: sorted indices of the passages whose occurrences contain one of ``k``'s.
    A passage with ``own[k] == 0`` only ever occurs inside longer passages (a sub-passage).
    """

    own: np.ndarray
    parents: list[list[int]]

    def children(self) -> list[list[int]]:
        """Inverse of ``parents``: per passage, the sorted indices of the passages inside it."""
        out: list[list[int]] = [[] for _ in self.parents]
        for k, ps in enumerate(self.parents):
            for p in ps:
                out[p].append(k)
        return out


def nest(starts: np.ndarray, ends: np.ndarray, passage: np.ndarray, n_passages: int) -> Nesting:
    """Containment of occurrences ``[starts[i], ends[i])`` of passages ``passage[i]``.

    Positions are global (documents laid end to end, so no span crosses a document). Two
    occurrences of one passage never contain each other (same length, different starts).
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    passage = np.asarray(passage, dtype=np.int64)
    if not len(starts):
        return Nesting(np.zeros(n_passages, dtype=np.int64), [[] for _ in range(n_passages)])
    # (each array as long as the occurrences is dropped once read: at 100 M characters they are tens of millions)
    order = np.lexsort((-ends, starts))
    s, e, p = starts[order], ends[order], passage[order]
    del order
    m = len(s) + 1
    # running maximum of (end, rank): the earlier occurrence reaching furthest right (latest on ties)
    prev = np.empty(len(s), dtype=np.int64)
    prev[0] = -1
    prev[1:] = np.maximum.accumulate(e * m + np.arange(len(s)))[:-1]
    reach = np.where(prev >= 0, prev // m, -1)
    holder = np.where(prev >= 0, prev % m, 0)
    del prev, s
    contained = (reach >= e) & (p[holder] != p)
    del reach, e
    own = np.bincount(p[~contained], minlength=n_passages)
    # the (child, parent) pairs, sorted and distinct: one key each (what a unique over rows gives)
    pairs = np.unique(p[contained] * n_passages + p[holder[contained]])
    parents: list[list[int]] = [[] for _ in range(n_passages)]
    for child, parent in zip((pairs // n_passages).tolist(), (pairs % n_passages).tolist()):
        parents[child].append(parent)
    return Nesting(own, parents)

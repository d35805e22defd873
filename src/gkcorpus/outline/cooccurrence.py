"""Document-centred features and the co-occurrence cut of a Ward tree, shared by the part typer and the
topic split: two groups of sections are two parts of the genre only when they are found in the same
documents."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["centre", "cooccurrence_cut"]


def centre(X: np.ndarray, docs: np.ndarray, share: float) -> np.ndarray:
    """Rows of ``X`` minus ``share`` times the mean row of their document."""
    if share == 0:
        return X
    out = X.copy()
    for d in np.unique(docs):
        idx = docs == d
        out[idx] -= share * X[idx].mean(axis=0)
    return out


def cooccurrence_cut(Z: np.ndarray, docs: np.ndarray, share: float, min_docs: float) -> np.ndarray:
    """Cut a Ward tree top-down where its halves are different parts of the same documents.

    A cluster is split into its two children (highest merge first) only when the smaller child is found
    in at least ``min_docs`` documents and at least ``share`` of the smaller child's documents also
    hold the other child. Halves that live in different documents are variants of one part (the
    wording of an era, a five-year instead of a one-year review) and stay one type. Returns labels."""
    import heapq

    from scipy.cluster.hierarchy import to_tree

    root = to_tree(Z)
    heap: list[tuple[float, int, Any]] = [(-root.dist, 0, root)]
    leaves, count = [], 1
    while heap:
        _, _, node = heapq.heappop(heap)
        if node.is_leaf():
            leaves.append(node)
            continue
        a, b = node.get_left(), node.get_right()
        da, db = set(docs[a.pre_order()]), set(docs[b.pre_order()])
        small = min(len(da), len(db))
        if small >= min_docs and len(da & db) >= share * small:
            for child in (a, b):
                heapq.heappush(heap, (-child.dist, count, child))
                count += 1
        else:
            leaves.append(node)
    labels = np.zeros(len(docs), dtype=int)
    for t, node in enumerate(sorted(leaves, key=lambda nd: min(nd.pre_order()))):
        labels[node.pre_order()] = t
    return labels

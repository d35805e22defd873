"""Connected components of a similarity graph (scipy's csgraph), shared by the near-duplicate finders."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np


__all__ = ["component_labels", "connected_groups"]


def component_labels(n: int, heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``n`` nodes of the undirected graph with edges ``heads[i]``--``tails[i]``.

    Labels are scipy's (numbered in order of each component's smallest node).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    heads = np.asarray(heads, dtype=np.int64)
    graph = coo_matrix((np.ones(len(heads), dtype=np.int8), (heads, np.asarray(tails, dtype=np.int64))), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def connected_groups(n: int, pairs: Iterable[tuple[int, int]], nodes: Iterable[int] | None = None) -> list[list[int]]:
    """Groups of ``range(n)`` linked by ``pairs``, each ascending, ordered by their smallest member.

    With ``nodes``, only groups of those nodes are returned (e.g. nodes that have at least one link).
    """
    edges = np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
    labels = component_labels(n, edges[:, 0], edges[:, 1])
    keep = range(n) if nodes is None else sorted(set(nodes))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in keep:
        groups[int(labels[i])].append(i)
    return sorted(groups.values(), key=lambda g: g[0])

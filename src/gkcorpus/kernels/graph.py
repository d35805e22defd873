"""Connected components of a similarity graph (scipy's csgraph), shared by the near-duplicate finders."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np


def connected_groups(n: int, pairs: Iterable[tuple[int, int]], nodes: Iterable[int] | None = None) -> list[list[int]]:
    """Groups of ``range(n)`` linked by ``pairs``, each ascending, ordered by their smallest member.

    With ``nodes``, only groups of those nodes are returned (e.g. nodes that have at least one link).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    keep = range(n) if nodes is None else sorted(set(nodes))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in keep:
        groups[int(labels[i])].append(i)
    return sorted(groups.values(), key=lambda g: g[0])

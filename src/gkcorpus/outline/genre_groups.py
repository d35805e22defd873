"""Genre groups: the parts of a plan, a summary and a work report are typed apart, each genre in a group of its own.

The co-occurrence cut of :class:`~gkcorpus.outline.part_types.PartTyper` reads halves that never share a document as
one part in two wordings, and a plan's chapters (指导思想, 工作步骤, 保障措施) never share a document with a summary's
(基本情况, 存在问题, 下一步打算): in a corpus mixing genres they would be typed together. Each genre held by two
documents or more (:func:`~gkcorpus.features.genre.guess_genre`) is a group; a lone document, or one of unknown genre,
goes with the main genre. A part typed after the fit (``transform``, the parts left out of a sample) gets the nearest
type among those learned from its group.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .parts import Part

__all__ = ["main_genre", "genre_groups", "nearest_types", "group_of"]


def main_genre(genres: dict[str, str]) -> str:
    """The genre of most documents (``genres``: document id to :func:`~gkcorpus.features.genre.guess_genre`'s genre),
    among those held by two documents or more when there are any; "unknown" when no document has a genre."""
    counts = Counter(g for g in genres.values() if g != "unknown")
    kept = {g for g, n in counts.items() if n >= 2}
    return min(kept or counts or {"unknown"}, key=lambda g: (-counts.get(g, 0), g))


def genre_groups(genres: dict[str, str]) -> dict[str, str]:
    """The group each document's parts are typed in: its genre when at least two documents have that genre, else the
    main genre (:func:`main_genre`: a plan and a summary have different parts; a lone document, or one of unknown
    genre, is typed with the corpus's main genre)."""
    counts = Counter(genres.values())
    main = main_genre(genres)
    return {d: g if g != "unknown" and counts[g] >= 2 else main for d, g in genres.items()}


def nearest_types(X: np.ndarray, C: np.ndarray, ids: Sequence[int], groups: Sequence[str],
                  type_groups: dict[int, str]) -> np.ndarray:
    """The nearest type (cosine of the rows ``X`` to the centroids ``C`` of the types ``ids``) among the types learned
    from the row's genre group (``groups``, one per row; ``type_groups``: each type's group), or among all the types
    when its group has none."""
    S = X @ C.T
    ids_a = np.asarray(ids)
    out = np.empty(len(X), dtype=int)
    for g in sorted(set(groups)):
        r = np.array([k for k, x in enumerate(groups) if x == g])
        allowed = np.array([type_groups.get(int(t)) == g for t in ids_a])
        scores = np.where(allowed if allowed.any() else True, S[r], -np.inf)
        out[r] = ids_a[scores.argmax(axis=1)]
    return out


def group_of(rows: np.ndarray, body_labels: np.ndarray, c: int, parts: Sequence["Part"],
             grouped: dict[str, str]) -> str:
    """The genre group most of the body type ``c``'s parts come from ("" when the genres are typed together)."""
    docs = [parts[rows[k]].doc_id for k in np.flatnonzero(body_labels == c)]
    return Counter(grouped.get(d, "") for d in docs).most_common(1)[0][0] if docs else ""

"""Where a formula's occurrences may lie: the spans of shared passages and of headings, as merged
global (start, end) arrays over the text index that joins the documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from ...kernels.repeats import merge_span_arrays as _merge, merge_sorted_arrays as _merge_arrays

if TYPE_CHECKING:
    from ...corpus import Document
    from ..records import Passage


def passage_spans(passages: Sequence["Passage"], doc_ids: Sequence[str],
                  doc_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merged global (start, end) spans of shared passages (from the occurrence arrays when the
    passages hold them, record by record otherwise); ``doc_starts`` are the documents' offsets in
    the index, in the order of ``doc_ids``."""
    pos = {d: i for i, d in enumerate(doc_ids)}
    st = doc_starts
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    tables: dict[int, tuple[Sequence[str], list[tuple[np.ndarray, np.ndarray, np.ndarray]]]] = {}
    for p in passages:
        occ = p.occurrences
        if hasattr(occ, "doc") and hasattr(occ, "doc_ids"):  # occurrence arrays: mapped all at once below
            tables.setdefault(id(occ.doc_ids), (occ.doc_ids, []))[1].append((occ.doc, occ.start, occ.end))
            continue
        for o in occ:
            i = pos.get(o.doc_id)
            if i is not None:
                starts.append(np.array([int(st[i]) + o.start], dtype=np.int64))
                ends.append(np.array([int(st[i]) + o.end], dtype=np.int64))
    for names, arrays in tables.values():  # the finder's document numbers -> this corpus' offsets
        remap = np.array([st[pos[d]] if d in pos else -1 for d in names], dtype=np.int64)
        base = remap[np.concatenate([np.asarray(a[0], dtype=np.int64) for a in arrays])]
        ok = base >= 0
        starts.append(base[ok] + np.concatenate([np.asarray(a[1], dtype=np.int64) for a in arrays])[ok])
        ends.append(base[ok] + np.concatenate([np.asarray(a[2], dtype=np.int64) for a in arrays])[ok])
    if not starts:
        return _merge([])
    return _merge_arrays(np.concatenate(starts), np.concatenate(ends))


def heading_spans(docs: Sequence["Document"], doc_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Global heading spans (merged) and the heading characters of each document."""
    spans, chars = [], np.zeros(len(docs), dtype=np.float64)
    for i, doc in enumerate(docs):
        for h in doc.structure.headings:
            spans.append((int(doc_starts[i]) + h.start, int(doc_starts[i]) + h.end))
            chars[i] += h.end - h.start
    s0, s1 = _merge(spans)
    return s0, s1, chars

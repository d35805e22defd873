"""Where a formula's occurrences may lie: the spans of shared passages and of headings, as merged
global (start, end) arrays over the text index that joins the documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from ...kernels.repeats import merge_span_arrays as _merge, merge_sorted_arrays as _merge_arrays
from .records import _passage_rows

if TYPE_CHECKING:
    from ...corpus import Document
    from ..records import Passage


def passage_spans(passages: Sequence["Passage"], doc_ids: Sequence[str],
                  doc_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merged global (start, end) spans of shared passages (from the occurrence arrays when the
    passages hold them, record by record otherwise); ``doc_starts`` are the documents' offsets in
    the index, in the order of ``doc_ids``; occurrences in other documents are left out."""
    rows = _passage_rows(passages, doc_ids)  # the occurrence arrays read all at once
    if not len(rows):
        return _merge([])
    base = np.asarray(doc_starts, dtype=np.int64)[rows[:, 0]]
    return _merge_arrays(base + rows[:, 1], base + rows[:, 2])


def spans_by_document(passages: Sequence["Passage"], doc_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each document's merged spans of shared passages (clean offsets): document id -> (starts, ends),
    sorted; documents with none are left out."""
    rows = _passage_rows(passages, doc_ids)
    if not len(rows):
        return {}
    stride = int(rows[:, 2].max()) + 1  # one stretch of offsets per document: merged spans never join two
    s0, s1 = _merge_arrays(rows[:, 0] * stride + rows[:, 1], rows[:, 0] * stride + rows[:, 2])
    doc = s0 // stride
    cuts = np.flatnonzero(np.diff(doc)) + 1
    out = {}
    for a, b in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(doc)]))):
        d = int(doc[a])
        out[doc_ids[d]] = (s0[a:b] - d * stride, s1[a:b] - d * stride)
    return out


def heading_spans(docs: Sequence["Document"], doc_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Global heading spans (merged) and the heading characters of each document."""
    spans, chars = [], np.zeros(len(docs), dtype=np.float64)
    for i, doc in enumerate(docs):
        for h in doc.structure.headings:
            spans.append((int(doc_starts[i]) + h.start, int(doc_starts[i]) + h.end))
            chars[i] += h.end - h.start
    s0, s1 = _merge(spans)
    return s0, s1, chars

"""The 套话 index's per-sentence table, held as arrays and made into rows when read.

One row per sentence of the corpus: its document, place, text, characters, characters covered by
boilerplate, the share covered and the labels of the boilerplate items it overlaps. The evidence
column alone averages some 400 characters a sentence on the work reports (every phrase-bank entry a
sentence holds): as strings it was the largest thing the index kept (221 of 315 MB at 10 M
characters). Here a sentence's labels are integers into the index's label list, joined when the row
is made, and a writer streams the rows (:meth:`SentenceTable.rows`) without the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np

from ..records import SentenceRecord

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SentenceTable", "SENTENCE_COLUMNS"]

SENTENCE_COLUMNS = ["doc_id", "sentence", "unit_id", "text", "chars", "covered", "index", "evidence"]


@dataclass
class SentenceTable:
    """``records``: every sentence, document after document; ``chars``/``covered``: its characters
    without whitespace and those covered; ``bounds``/``labels_of``: the labels (indices into
    ``labels``) of sentence ``r`` are ``labels_of[bounds[r]:bounds[r + 1]]``, in item order."""

    doc_ids: Sequence[str]
    records: list[SentenceRecord]
    chars: np.ndarray
    covered: np.ndarray
    bounds: np.ndarray
    labels_of: np.ndarray
    labels: Sequence[str]

    def __len__(self) -> int:
        return len(self.records)

    def columns(self, lo: int = 0, hi: int | None = None) -> dict[str, list[Any]]:
        """The table's columns for sentences ``lo:hi``, as lists."""
        hi = len(self.records) if hi is None else hi
        recs = self.records[lo:hi]
        ids, labels = self.doc_ids, self.labels
        doc_id = [ids[s.doc] for s in recs]
        n_chars, cov = self.chars[lo:hi].tolist(), self.covered[lo:hi].tolist()
        bounds = self.bounds[lo : hi + 1].tolist()
        b0 = bounds[0]
        lab = self.labels_of[b0 : bounds[-1]].tolist()
        return {
            "doc_id": doc_id,
            "sentence": [s.index for s in recs],
            "unit_id": [f"{d}#t{s.index}" for d, s in zip(doc_id, recs)],
            "text": [s.text for s in recs],
            "chars": n_chars,
            "covered": cov,
            "index": _shares(cov, n_chars),
            "evidence": ["; ".join([labels[k] for k in lab[a - b0 : b - b0]]) if b > a else ""
                         for a, b in zip(bounds[:-1], bounds[1:])],
        }

    def shares(self) -> "pd.DataFrame":
        """Each sentence's ``doc_id`` and ``index`` alone (what the documents' means are taken over)."""
        import pandas as pd

        ids = self.doc_ids
        return pd.DataFrame({"doc_id": [ids[s.doc] for s in self.records],
                             "index": _shares(self.covered.tolist(), self.chars.tolist())})

    def frame(self) -> "pd.DataFrame":
        """The whole table as a DataFrame (columns :data:`SENTENCE_COLUMNS`)."""
        import pandas as pd

        return pd.DataFrame(self.columns(), columns=SENTENCE_COLUMNS)

    def rows(self, chunk: int = 20_000) -> Iterator[dict[str, Any]]:
        """Every row as a dict, made ``chunk`` sentences at a time (for a CSV writer)."""
        for lo in range(0, len(self.records), chunk):
            cols = self.columns(lo, min(lo + chunk, len(self.records)))
            yield from (dict(zip(SENTENCE_COLUMNS, row)) for row in zip(*(cols[c] for c in SENTENCE_COLUMNS)))


def _shares(covered: list[int], chars: list[int]) -> list[float]:
    """Covered characters over characters, to four places (0 for a sentence without characters)."""
    return [round(c / m, 4) if m else 0.0 for c, m in zip(covered, chars)]

"""Records of shared text: occurrences, variants, passages, sentence records, and array-backed lists of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np

__all__ = ["Occurrence", "Variant", "Passage", "OccurrenceList", "SentenceRecord"]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a passage or phrase occurs: document, sentence, clean and raw offsets, and the text there."""

    doc_id: str
    sentence: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str
    sentence_text: str = ""

    @property
    def unit_id(self) -> str:
        return f"{self.doc_id}#t{self.sentence}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "unit_id": self.unit_id,
            "start": self.start,
            "end": self.end,
            "raw_start": self.raw_start,
            "raw_end": self.raw_end,
            "text": self.text,
            "sentence_text": self.sentence_text,
        }


@dataclass(frozen=True, slots=True)
class Variant:
    """A near-verbatim wording of a passage in one document, and how it differs from the passage text."""

    doc_id: str
    sentence: int
    text: str
    similarity: float
    diff: tuple[tuple[str, str, str], ...]  # (op, passage text, variant text) for each non-equal opcode

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "text": self.text,
            "similarity": round(self.similarity, 4),
            "diff": [{"op": op, "passage": a, "variant": b} for op, a, b in self.diff],
        }


class _OccurrenceTable:
    """The occurrences of many passages as arrays: document, clean and raw offsets, sentence."""

    def __init__(self, doc_ids: Sequence[str], sentences: Sequence[Sequence["SentenceRecord"]],
                 doc: np.ndarray, start: np.ndarray, end: np.ndarray, raw_start: np.ndarray, raw_end: np.ndarray,
                 sentence: np.ndarray):
        self.doc_ids, self.sentences = doc_ids, sentences
        self.doc, self.start, self.end = doc, start, end
        self.raw_start, self.raw_end, self.sentence = raw_start, raw_end, sentence

    def records(self, lo: int, hi: int, text: str) -> list[Occurrence]:
        ids, sents = self.doc_ids, self.sentences
        docs, ks = self.doc[lo:hi].tolist(), self.sentence[lo:hi].tolist()
        recs = [sents[d][k] if k >= 0 else None for d, k in zip(docs, ks)]
        return list(map(Occurrence, [ids[d] for d in docs], [r.index if r else 0 for r in recs],
                        self.start[lo:hi].tolist(), self.end[lo:hi].tolist(), self.raw_start[lo:hi].tolist(),
                        self.raw_end[lo:hi].tolist(), [text] * (hi - lo), [r.text if r else "" for r in recs]))


class ArraySequence(Sequence):
    """Base of the read-only sequences backed by arrays: equal to a list with the same items."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)):
            other = list(other)
        return list(self) == other if isinstance(other, list) else NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} occurrences)"


class OccurrenceList(ArraySequence):
    """The occurrences of a verbatim passage, held as slices of shared arrays; :class:`Occurrence`
    records are made on access. Behaves like the list of records it stands for (``len``, indexing,
    iteration, ``==`` with a list); ``doc``, ``start`` and ``end`` give the arrays directly
    (document index in the finder's ``doc_ids_``, clean offsets)."""

    __slots__ = ("_table", "_lo", "_hi", "_text")

    def __init__(self, table: _OccurrenceTable, lo: int, hi: int, text: str):
        self._table, self._lo, self._hi, self._text = table, lo, hi, text

    def __len__(self) -> int:
        return self._hi - self._lo

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self._table.records(self._lo, self._hi, self._text)[i]
        n = len(self)
        if not -n <= i < n:
            raise IndexError("occurrence index out of range")
        k = self._lo + (i % n)
        return self._table.records(k, k + 1, self._text)[0]

    def __iter__(self) -> Iterator[Occurrence]:
        return iter(self._table.records(self._lo, self._hi, self._text))

    @property
    def doc(self) -> np.ndarray:
        return self._table.doc[self._lo : self._hi]

    @property
    def start(self) -> np.ndarray:
        return self._table.start[self._lo : self._hi]

    @property
    def end(self) -> np.ndarray:
        return self._table.end[self._lo : self._hi]

    @property
    def doc_ids(self) -> Sequence[str]:
        return self._table.doc_ids

    def to_dicts(self) -> list[dict[str, Any]]:
        """The occurrences as :meth:`Occurrence.to_dict` gives them, without making the records."""
        t, lo, hi = self._table, self._lo, self._hi
        ids, sents, text = t.doc_ids, t.sentences, self._text
        out = []
        for d, k, s, e, rs, re_ in zip(t.doc[lo:hi].tolist(), t.sentence[lo:hi].tolist(), t.start[lo:hi].tolist(),
                                       t.end[lo:hi].tolist(), t.raw_start[lo:hi].tolist(), t.raw_end[lo:hi].tolist()):
            rec = sents[d][k] if k >= 0 else None
            i = rec.index if rec else 0
            out.append({"doc_id": ids[d], "sentence": i, "unit_id": f"{ids[d]}#t{i}", "start": s, "end": e,
                        "raw_start": rs, "raw_end": re_, "text": text, "sentence_text": rec.text if rec else ""})
        return out


@dataclass
class Passage:
    """A passage two or more documents share; ``kind`` is ``"verbatim"`` or ``"near"``.

    ``occurrences`` is a list of :class:`Occurrence` (an :class:`OccurrenceList` for verbatim
    passages found by :class:`ReuseFinder`: the same records, made on access)."""

    id: str
    text: str
    kind: str
    docs: list[str]
    occurrences: Sequence[Occurrence]
    variants: list[Variant] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # ids of longer passages that contain some occurrences
    children: list[str] = field(default_factory=list)  # ids of shorter passages with occurrences inside this one
    sub_passages: list["Passage"] = field(default_factory=list)  # shorter passages occurring only inside this one

    @property
    def n_docs(self) -> int:
        return len(self.docs)

    @property
    def n_chars(self) -> int:
        return len(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "chars": self.n_chars,
            "n_docs": self.n_docs,
            "docs": list(self.docs),
            "occurrences": self.occurrences.to_dicts() if isinstance(self.occurrences, OccurrenceList)
            else [o.to_dict() for o in self.occurrences],
            "variants": [v.to_dict() for v in self.variants],
            "parents": list(self.parents),
            "children": list(self.children),
            "sub_passages": [{"id": q.id, "text": q.text, "n_docs": q.n_docs, "docs": list(q.docs),
                              "occurrences": len(q.occurrences)} for q in self.sub_passages],
        }


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    """One sentence of one document (clean offsets, whitespace trimmed)."""

    doc: int
    index: int
    start: int
    end: int
    text: str

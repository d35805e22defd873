"""Sentence units of a corpus: each sentence's core (its last clauses) with raw offsets, in flat arrays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ContextManager, Iterable, Iterator, Mapping, Sequence, TYPE_CHECKING

import numpy as np

from ..base.collector import paused_collection

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus

__all__ = ["SentenceUnit", "document_units", "sentence_core", "EXTRACT_COLUMNS", "INSTANCE_COLUMNS"]


CLAUSE = "，；："
_CLAUSE_SET = frozenset(CLAUSE)
_SENT_A, _SENT_B = "\ue000", "\ue001"  # slot sentinels in alignment strings (never in text)
_KEEP_SINGLE = frozenset("《》“”")  # one-character anchors worth keeping as fixed text
_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]、?|\d{1,2}(?:[、．]|\.(?!\d))|[（(]\d{1,2}[）)]、?)\s*"
)
_GRAM = 4  # characters of the grams indexing a library's templates
_TRAIL = "。！？；：，、!?;:,. \t\u3000"
_DIGIT = re.compile(r"\d")
_LAST_CLAUSE = re.compile(r"[，；：](?=[^，；：]*$)")
_FIRST_CLAUSE = re.compile(r"[，；：]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_BRACKET = re.compile("[《》“”]")
_SLOT_IN_TEXT = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")

EXTRACT_COLUMNS = [
    "doc_id", "unit_id", "template_id", "template", "slot", "type", "value", "number",
    "value_start", "value_end", "value_raw_start", "value_raw_end",
    "start", "end", "raw_start", "raw_end", "sentence",
]
INSTANCE_COLUMNS = [
    "template_id", "template", "doc_id", "unit_id", "start", "end", "raw_start", "raw_end", "sentence", "slot_values",
]


# =========================================================================== units (per document)


@dataclass(frozen=True, slots=True)
class SentenceUnit:
    """One sentence of one document and its core, the part a template describes.

    ``start``/``end`` span the whole sentence in the document's clean text; ``core_start``/``core_end``
    the sentence without its heading marker (一、 （一） 1、) and final punctuation.
    """

    doc_id: str
    unit_id: str
    index: int
    start: int
    end: int
    core_start: int
    core_end: int
    sentence: str
    core: str

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


def sentence_core(sentence: str) -> tuple[int, int]:
    """``(start, end)`` of the core of a sentence: no heading marker, no final punctuation or spaces."""
    m = _MARKER.match(sentence)
    i = m.end() if m and m.end() < len(sentence) else 0
    j = len(sentence)
    while j > i and sentence[j - 1] in _TRAIL:
        j -= 1
    while i < j and sentence[i].isspace():
        i += 1
    return i, j


_CONTENT = re.compile(r"[^\W_]")  # a letter or digit: exactly what str.isalnum accepts


def _has_content(core: str) -> bool:
    return _CONTENT.search(core) is not None


def _core_spans(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, int, int, int, str]]:
    """``(index, start, end, core_start, core_end, core)`` of each sentence with content (pure, fast)."""
    for k, (s, e) in enumerate(spans):
        sent = text[s:e]
        stripped = sent.strip()
        if not stripped:
            continue
        sent_s = s + len(sent) - len(sent.lstrip())
        sent_e = sent_s + len(stripped)
        ci, cj = sentence_core(stripped)
        core = stripped[ci:cj]
        if _SENT_A in core or _SENT_B in core:
            core = core.replace(_SENT_A, " ").replace(_SENT_B, " ")
        if not _has_content(core):
            continue
        yield k, sent_s, sent_e, sent_s + ci, sent_s + cj, core


def document_units(doc_id: str, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[SentenceUnit]:
    """The sentence units of one document (pure per-document work).

    ``spans`` are sentence ``(start, end)`` offsets (default: from :func:`gkcorpus.text.structure.parse_structure`).
    Sentences with no letter or digit in their core (stray punctuation) are skipped.
    """
    if spans is None:
        from ..text.structure import parse_structure

        spans = [(s.start, s.end) for s in parse_structure(text).sentences]
    return [SentenceUnit(doc_id, f"{doc_id}#t{k}", k, s, e, cs, ce, text[s:e], core)
            for k, s, e, cs, ce, core in _core_spans(text, spans)]


def _doc_units(doc: Any) -> list[SentenceUnit]:
    spans = [(s.start, s.end) for s in doc.structure.sentences]
    return document_units(doc.id, doc.text, spans)


class _UnitTable(Sequence[SentenceUnit]):
    """Sentence units kept as arrays of offsets into their texts; a :class:`SentenceUnit` is made on
    access. At scale this holds a few integers a sentence instead of an object and two strings."""

    def __init__(self, texts: list[str], names: list[str], text_of: Sequence[int], name_of: Sequence[int],
                 index: Sequence[int], start: Sequence[int], end: Sequence[int], core_start: Sequence[int],
                 core_end: Sequence[int]):
        self.texts, self.names = texts, names
        self.text_of = np.asarray(text_of, dtype=np.int32)
        self.name_of = np.asarray(name_of, dtype=np.int32)
        self.index = np.asarray(index, dtype=np.int32)
        self.start = np.asarray(start, dtype=np.int64)
        self.end = np.asarray(end, dtype=np.int64)
        self.core_start = np.asarray(core_start, dtype=np.int64)
        self.core_end = np.asarray(core_end, dtype=np.int64)

    @classmethod
    def from_documents(cls, docs: Sequence[Any]) -> "_UnitTable":
        rows: list[tuple[int, int, int, int, int]] = []
        text_of: list[int] = []
        for d, doc in enumerate(docs):
            n0 = len(rows)
            rows.extend(r[:5] for r in _core_spans(doc.text, [(x.start, x.end) for x in doc.structure.sentences]))
            text_of.extend([d] * (len(rows) - n0))
        cols = np.array(rows, dtype=np.int64).reshape(-1, 5).T
        return cls([d.text for d in docs], [d.id for d in docs], text_of, text_of, *cols)

    @classmethod
    def from_sentences(cls, sentences: Sequence[str], doc_ids: Sequence[str]) -> "_UnitTable":
        names: dict[str, int] = {}
        name_of = [names.setdefault(str(d), len(names)) for d in doc_ids]
        spans = [sentence_core(x) for x in sentences]
        n = len(sentences)
        return cls(list(sentences), list(names), range(n), name_of, range(n), [0] * n, [len(x) for x in sentences],
                   [a for a, _ in spans], [b for _, b in spans])

    def __len__(self) -> int:
        return len(self.index)

    def doc_id(self, k: int) -> str:
        return self.names[self.name_of[k]]

    def unit_id(self, k: int) -> str:
        return f"{self.names[self.name_of[k]]}#t{self.index[k]}"

    def sentence(self, k: int) -> str:
        return self.texts[self.text_of[k]][self.start[k]:self.end[k]]

    def core(self, k: int) -> str:
        c = self.texts[self.text_of[k]][self.core_start[k]:self.core_end[k]]
        if _SENT_A in c or _SENT_B in c:
            c = c.replace(_SENT_A, " ").replace(_SENT_B, " ")
        return c

    def rows(self, ks: Sequence[int]) -> Iterator[tuple[str, str, str]]:
        """``(doc id, unit id, sentence)`` of units ``ks`` (in bulk: plain ints, no numpy scalars)."""
        ks = np.asarray(ks, dtype=np.int64)
        texts, names = self.texts, self.names
        for t, d, i, a, b in zip(self.text_of[ks].tolist(), self.name_of[ks].tolist(), self.index[ks].tolist(),
                                 self.start[ks].tolist(), self.end[ks].tolist()):
            name = names[d]
            yield name, f"{name}#t{i}", texts[t][a:b]

    def cores(self) -> Iterator[str]:
        texts = self.texts
        for t, a, b in zip(self.text_of.tolist(), self.core_start.tolist(), self.core_end.tolist()):
            c = texts[t][a:b]
            if _SENT_A in c or _SENT_B in c:
                c = c.replace(_SENT_A, " ").replace(_SENT_B, " ")
            yield c

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("unit index out of range")
        return SentenceUnit(self.doc_id(k), self.unit_id(k), int(self.index[k]), int(self.start[k]), int(self.end[k]),
                            int(self.core_start[k]), int(self.core_end[k]), self.sentence(k), self.core(k))

    def __iter__(self) -> Iterator[SentenceUnit]:
        return (self[k] for k in range(len(self)))

    def __repr__(self) -> str:
        return f"<{len(self)} sentence units>"


def _as_documents(X: Any) -> list[Any]:
    """Documents from a Corpus, a Document, a string, or a sequence of Documents / strings / (id, text)."""
    from ..corpus import Corpus, Document

    if isinstance(X, Corpus):
        return list(X)
    if isinstance(X, Document):
        return [X]
    if isinstance(X, str):
        X = [X]
    out = []
    for i, x in enumerate(X):
        if isinstance(x, Document):
            out.append(x)
        elif isinstance(x, str):
            out.append(_TextDoc(f"text-{i + 1}", x))
        elif isinstance(x, (tuple, list)) and len(x) == 2:
            out.append(_TextDoc(str(x[0]), str(x[1])))
        else:
            raise TypeError(f"cannot read {type(x).__name__} as a document (give a Corpus, Documents, strings or (id, text) pairs)")
    return out


class _TextDoc:
    """A bare text standing in for a Document (no raw text: raw offsets equal clean offsets)."""

    def __init__(self, doc_id: str, text: str):
        self.id = doc_id
        self.text = text
        self._structure = None

    @property
    def structure(self) -> Any:
        if self._structure is None:
            from ..text.structure import parse_structure

            self._structure = parse_structure(self.text)
        return self._structure

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return start, end


def _gc_paused() -> "ContextManager[None]":
    """Pause the cyclic garbage collector (restored after). Mining and extraction allocate millions
    of small acyclic objects; each full collection would rescan everything the process holds (a
    whole corpus at scale): about a fifth of the time at 10 M characters. Reference counting still
    frees what they drop."""
    return paused_collection(promote=False)


def _raw_span_arrays(doc: Any, s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``doc.raw_span(s[i], e[i])`` for every i, vectorised over a Document's offset map."""
    offsets = getattr(doc, "offsets", None)
    starts_map = getattr(offsets, "starts", None)
    n = len(starts_map) if isinstance(starts_map, np.ndarray) else -1
    if n < 0 or (len(s) and (s.min() < 0 or (e < s).any() or e.max() > n)):  # a bare text, or let the map raise
        pairs = [doc.raw_span(int(a), int(b)) for a, b in zip(s, e)]
        return (np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.int64))
    ext = np.append(starts_map, offsets.source_len)
    rs = ext[s]
    re_ = np.where(s == e, rs, offsets.ends[np.maximum(e - 1, 0)]) if n else rs
    return rs, re_


def _raw_span_runs(name_of: np.ndarray, names: Sequence[str], starts: np.ndarray, ends: np.ndarray,
                   docs: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Raw spans of clean spans ``[starts, ends)``, each in document ``names[name_of[i]]`` (runs of one
    document at a time); a document not in ``docs`` keeps its clean offsets."""
    rs, re_ = starts.copy(), ends.copy()
    cuts = np.flatnonzero(np.r_[True, name_of[1:] != name_of[:-1], True]) if len(name_of) else []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        doc = docs.get(names[name_of[lo]])
        if doc is not None:
            rs[lo:hi], re_[lo:hi] = _raw_span_arrays(doc, starts[lo:hi], ends[lo:hi])
    return rs, re_

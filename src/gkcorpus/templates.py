"""Sentence templates with typed slots: mine them from a corpus, match them in any text, fill them.

A template is fixed text with typed slots, shared by sentences of several documents::

    此次活动共接访群众{NUM}余人          现将{TOPIC}总结如下          按照{ORG}《{DOC_TITLE}》{TEXT}要求

Mining (:class:`TemplateMiner`)
    1. Per document (pure, parallelisable): sentences from the document structure, each reduced to
       its *core* (heading marker and final punctuation removed) — :func:`document_units`. Then
       the work is on *distinct* cores: a sentence repeated verbatim in many documents is aligned,
       fitted and matched once (its copies align completely: it is a frame by itself), and its
       sentences follow it. Sentences are held as offsets into their texts, not as objects.
    2. Candidate pairs, never all pairs: cores of different documents that share a clause
       opening or a clause ending (sorted neighbourhood over clause starts and reversed clause
       ends), rare character n-grams of a first or last clause (an inverted index), or, for short
       cores such as headings, two character bigrams; each core keeps its few best partners
       (``max_candidates``), so the pairs grow linearly — :func:`candidate_pairs`. All three
       blockers are numpy array operations (hashed n-grams, sorted fixed-width keys).
    3. Each candidate pair is aligned (a longest common subsequence over characters with digits
       masked — jieba cuts 我镇 / 我|镇 and 工作总结 / 总结 differently from one sentence to the next,
       which breaks token alignment — or over jieba tokens with ``align="token"``): common runs
       are fixed text, gaps are slots, so a slot may span different numbers of words in each
       sentence, unlike Drain. Free clauses before or after the shared frame (cut at ，；：) are
       context, not part of the template; stray matches far out in free text are dropped.
    4. A frame must keep enough fixed text, explain (fixed text, typed values, a role-named slot)
       half of every sentence span it covers, and, when cut out of longer sentences, have a slot
       filled everywhere and reach a sentence edge somewhere: a shared phrase inside sentences is a
       formula (the phrase miners' business), not a template.
    5. Pairs are merged greedily, most fixed text first, into groups whose template is re-aligned
       at each merge; a merge is refused when the frame fails step 4 or would lose most of the
       group's fixed text.
    6. Each group's slots are widened to whole values (``5月{NUM}日`` -> ``{DATE}``) and to word
       boundaries, and narrowed to leave qualifiers and units outside (``{NUM}余人``); then typed
       and named (:mod:`gkcorpus.slots`). Unassigned sentences that fit a template by the same
       rules join it.

Matching (:class:`TemplateLibrary`) compiles every template to a regex (fixed text literal, slots
typed or lazy) and extracts a table of slot values from any text or corpus. Candidate templates of
a text come from an index of their rarest 4-gram; templates without slots, and templates with
number or date slots (whose regexes are slow to compile) on their first texts, are matched without
compiling the regex whenever the answer is certain (:func:`_solve`). Each distinct core is matched
once. A library is saved as JSON (the ``templates.json`` of ``gkcorpus templates mine``) and applied
later without mining again.

Filling: :meth:`Template.fill` renders a template with given values; :func:`skeleton` writes the
corpus's common outline with, under each section, its best-supported templates, as Markdown.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import heapq
import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from .slots import (
    NUM_AFFIX_CHARS,
    TYPED,
    base_type,
    classify,
    common_affix,
    find_entities,
    parse_number,
    slot_name,
    slot_constraint,
    slot_pattern,
    slot_type,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus

__all__ = [
    "SentenceUnit",
    "Slot",
    "Instance",
    "Template",
    "TemplateMatch",
    "TemplateLibrary",
    "TemplateMiner",
    "Skeleton",
    "document_units",
    "sentence_core",
    "candidate_pairs",
    "parse_template",
    "render",
    "skeleton",
    "EXTRACT_COLUMNS",
    "INSTANCE_COLUMNS",
]

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

    ``spans`` are sentence ``(start, end)`` offsets (default: from :func:`gkcorpus.structure.parse_structure`).
    Sentences with no letter or digit in their core (stray punctuation) are skipped.
    """
    if spans is None:
        from .structure import parse_structure

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
    from .corpus import Corpus, Document

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
            from .structure import parse_structure

            self._structure = parse_structure(self.text)
        return self._structure

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return start, end


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restored after). Mining and extraction allocate millions
    of small acyclic objects; each full collection would rescan everything the process holds (a
    whole corpus at scale): about a fifth of the time at 10 M characters. Reference counting still
    frees what they drop."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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


# =========================================================================== candidate pairs


def _norm(text: str) -> str:
    """Alignment key of a text: digits masked (``100`` and ``300`` align), length kept."""
    return _DIGIT.sub("0", text)


_CHUNK = 1 << 20  # candidate hits expanded at a time (bounds the memory of the n-gram blocker)
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier of the n-gram hash


@dataclass
class _Distinct:
    """The distinct sentence cores of a set of units (first-occurrence order) and where they occur.

    ``unit_core[k]`` is the core of unit ``k``; ``single_doc[c]`` the document index of core ``c`` when
    all its units are in one document, else -1; ``units_of(c)`` its units, ``docs_of(c)`` its documents.
    """

    cores: list[str]
    unit_core: np.ndarray  # int32, one per unit
    unit_doc: np.ndarray  # int32, one per unit
    single_doc: np.ndarray  # int32, one per core
    n_units: np.ndarray  # int32, one per core
    _order: np.ndarray  # units sorted by core (stable): CSR with _bounds
    _bounds: np.ndarray

    @classmethod
    def of(cls, cores: Iterable[str], unit_doc: np.ndarray) -> "_Distinct":
        """``cores``: the core of each unit; ``unit_doc``: its document index."""
        index: dict[str, int] = {}
        uc = np.fromiter((index.setdefault(c, len(index)) for c in cores), dtype=np.int32, count=len(unit_doc))
        ud = np.asarray(unit_doc, dtype=np.int32)
        n = len(index)
        order = np.argsort(uc, kind="stable").astype(np.int32)
        bounds = np.searchsorted(uc[order], np.arange(n + 1)).astype(np.int64)
        n_units = np.diff(bounds).astype(np.int32)
        single = np.full(n, -1, dtype=np.int32)
        if n:
            d_sorted = ud[order]
            lo_doc = np.minimum.reduceat(d_sorted, bounds[:-1])
            hi_doc = np.maximum.reduceat(d_sorted, bounds[:-1])
            one = lo_doc == hi_doc
            single[one] = lo_doc[one]
        return cls(list(index), uc, ud, single, n_units, order, bounds)

    def units_of(self, c: int) -> np.ndarray:
        return self._order[self._bounds[c]:self._bounds[c + 1]]

    def docs_of(self, c: int) -> set[int]:
        return set(self.unit_doc[self.units_of(c)].tolist())

    def n_docs(self, members: Iterable[int]) -> int:
        docs: set[int] = set()
        for c in members:
            if self.single_doc[c] >= 0:
                docs.add(int(self.single_doc[c]))
            else:
                docs.update(self.docs_of(c))
        return len(docs)


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of all texts, concatenated (uint32), and the start of each text (+ the end)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    return codes, starts


def _gram_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """A 64-bit polynomial hash of ``codes[p:p + n]`` for every ``p``. A collision (two different
    grams, one hash: about 1e-7 for the 2 M distinct grams of 10 M characters) would only add
    evidence to a pair of cores."""
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _HASH_MULT + codes[k:k + m].astype(np.uint64)
    return h


_CLAUSE_CODES = np.array([ord(c) for c in CLAUSE], dtype=np.uint32)


def _char_ranks(codes: np.ndarray) -> np.ndarray:
    """Order-preserving ranks (1, 2, …) of the characters, uint16 when they fit."""
    if not len(codes):
        return np.zeros(0, dtype=np.uint16)
    present = np.zeros(int(codes.max()) + 1, dtype=np.int32)
    present[codes] = 1
    table = np.cumsum(present)
    return table[codes].astype(np.uint16 if table[-1] < 65535 else np.uint32)


def _key_matrix(ranks: np.ndarray, anchor: np.ndarray, width: np.ndarray, k: int, step: int) -> np.ndarray:
    """Row r: ``width[r]`` character ranks from ``anchor[r]`` (forwards or, ``step=-1``, backwards),
    padded with 0 to ``k`` columns."""
    if not len(anchor):
        return np.zeros((0, k), dtype=ranks.dtype)
    out = np.zeros((len(anchor), k), dtype=ranks.dtype)
    last = len(ranks) - 1
    for c in range(k):  # a column at a time: no (rows x k) index array
        live = width > c
        out[live, c] = ranks[np.clip(anchor[live] + step * c, 0, last)]
    return out


def _sort_rows(keys: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Order of the rows of ``keys`` (lexicographic, as Python sorts strings), ties by ``tie``."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    # pack the columns into 64-bit words (16 or 21 bits a character) for a short lexsort
    bits = 16 if keys.dtype == np.uint16 else 21
    per = 64 // bits
    words = []
    for c0 in range(0, keys.shape[1], per):
        w = np.zeros(len(keys), dtype=np.uint64)
        for c in range(c0, c0 + per):
            w <<= np.uint64(bits)
            if c < keys.shape[1]:
                w |= keys[:, c].astype(np.uint64)
        words.append(w)
    return np.lexsort([tie] + words[::-1])


def _common_prefix(a: np.ndarray, b: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Length of the common prefix of rows ``a[r]`` and ``b[r]``, at most ``cap[r]``."""
    if not len(a):
        return np.zeros(0, dtype=np.int64)
    diff = a != b
    first = np.where(diff.any(axis=1), diff.argmax(axis=1), a.shape[1])
    return np.minimum(first, cap)


def _allowed(single_doc: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs of cores with two units in different documents (not both confined to one same document)."""
    di, dj = single_doc[i], single_doc[j]
    return (di < 0) | (dj < 0) | (di != dj)


def _pair_keys(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    return lo * n + hi


def _posting_pairs(keys: np.ndarray, items: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """All pairs ``(a, b)`` of items sharing a key, ``a`` before ``b``, in postings of 2..``max_size``
    items; ``keys``/``items`` sorted by key then item, one entry per (key, item)."""
    if len(keys) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    size = np.diff(np.r_[starts, len(keys)])
    ok = (size >= 2) & (size <= max_size)
    keep = np.repeat(ok, size)
    k2, it2 = keys[keep], items[keep]
    out_a, out_b = [], []
    for d in range(1, max_size):
        if len(k2) <= d:
            break
        same = k2[d:] == k2[:-d]
        if not same.any():
            break
        out_a.append(it2[:-d][same])
        out_b.append(it2[d:][same])
    if not out_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_a).astype(np.int64), np.concatenate(out_b).astype(np.int64)


def _core_pairs(
    norms: Sequence[str],
    single_doc: np.ndarray,
    doc_count: Callable[[np.ndarray], int],
    min_anchor: int = 4,
    window: int = 4,
    ngram: int = 6,
    min_shared: int = 6,
    max_df: int = 50,
    max_posting: int = 64,
    max_candidates: int = 4,
    key_chars: int = 24,
    short_len: int = 12,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of distinct (digit-masked) cores: ``(evidence, i, j)`` arrays, ``i < j``, best
    first. See :func:`candidate_pairs`; ``doc_count(cores)`` counts the documents of a posting."""
    n = len(norms)
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty, empty
    keys_all: list[np.ndarray] = []
    ev_all: list[np.ndarray] = []

    codes, starts = _codes(norms)
    lengths = np.diff(starts)
    core_of = np.repeat(np.arange(n, dtype=np.int32), lengths)  # core of each character
    # clause marks: each core's first and last
    is_mark = codes == _CLAUSE_CODES[0]
    for c in _CLAUSE_CODES[1:]:
        is_mark |= codes == c
    mark_pos = np.flatnonzero(is_mark)
    mark_core = core_of[mark_pos]
    has_mark = np.zeros(n, dtype=bool)
    has_mark[mark_core] = True
    first_mark = np.full(n, -1, dtype=np.int64)
    last_mark = np.full(n, -1, dtype=np.int64)
    first_mark[mark_core[::-1]] = mark_pos[::-1]  # the last write wins: the first mark
    last_mark[mark_core] = mark_pos
    local_mark = mark_pos - starts[mark_core]
    ranks = _char_ranks(codes)

    # -- clause openings and endings: sorted neighbourhood over fixed-width keys
    for reverse in (False, True):
        if reverse:  # ends of clauses (a mark not at position 0) and of the core, read backwards
            keep = local_mark > 0
            ends = np.concatenate([mark_pos[keep], starts[1:][lengths > 0]])
            e_core = np.concatenate([mark_core[keep], np.flatnonzero(lengths > 0)])
            o = np.lexsort((ends, e_core))
            anchor, e_core = ends[o], e_core[o]
            width = np.minimum(key_chars, anchor - starts[e_core])
            step = -1
            anchor = anchor - 1
        else:  # starts of the core and after each mark (not at its end)
            keep = local_mark + 1 < lengths[mark_core]
            heads = np.concatenate([starts[:-1][lengths > 0], mark_pos[keep] + 1])
            e_core = np.concatenate([np.flatnonzero(lengths > 0), mark_core[keep]])
            o = np.lexsort((heads, e_core))
            anchor, e_core = heads[o], e_core[o]
            width = np.minimum(key_chars, starts[e_core + 1] - anchor)
            step = 1
        keys = _key_matrix(ranks, anchor, width, key_chars, step)
        order = _sort_rows(keys, e_core)
        keys, e_core, width = keys[order], e_core[order], width[order]
        ok_a = width >= min_anchor
        for d in range(1, window + 1):
            if len(e_core) <= d:
                break
            lcp = _common_prefix(keys[:-d], keys[d:], np.minimum(width[:-d], width[d:]))
            sel = ok_a[:-d] & (lcp >= min_anchor) & (e_core[:-d] != e_core[d:])
            ia, ib = e_core[:-d][sel], e_core[d:][sel]
            ok = _allowed(single_doc, ia, ib)
            keys_all.append(_pair_keys(ia[ok], ib[ok], n))
            ev_all.append(lcp[sel][ok].astype(np.int64))

    # -- rare n-grams of each core's first and last clause, looked up from all its n-grams
    h = _gram_hashes(codes, ngram)
    if len(h):
        core = core_of[:len(h)]
        local = np.arange(len(h), dtype=np.int32) - starts[:-1].astype(np.int32)[core]
        valid = local <= (lengths - ngram).astype(np.int32)[core]
        head = np.where(has_mark, first_mark - starts[:-1], lengths).astype(np.int32)
        tail = np.where(has_mark, last_mark - starts[:-1] + 1, 0).astype(np.int32)
        edge = valid & ((local <= (head - ngram)[core]) | (local >= tail[core]))
        del local
        # distinct (gram, core) entries: of the edges (the postings) and of every gram
        e_h, e_c = h[edge], core[edge]
        del edge
        o = np.argsort(e_h, kind="stable")  # positions run in core order: sorted by gram, then core
        e_h, e_c = e_h[o], e_c[o]
        first = np.r_[True, (e_h[1:] != e_h[:-1]) | (e_c[1:] != e_c[:-1])][: len(e_h)]  # none when no edges
        e_h, e_c = e_h[first], e_c[first]
        # postings: drop grams in too many cores (or documents)
        g_start = np.flatnonzero(np.r_[True, e_h[1:] != e_h[:-1]])
        g_size = np.diff(np.r_[g_start, len(e_h)])
        drop = g_size > max_posting
        for g in np.flatnonzero((g_size > max_df) & ~drop):
            drop[g] = doc_count(e_c[g_start[g]:g_start[g] + g_size[g]]) > max_df
        live = ~np.repeat(drop, g_size)
        e_h, e_c = e_h[live], e_c[live]
        a_h, a_c = h[valid], core[valid]
        del h, core, valid
        o = np.argsort(a_h, kind="stable")  # sorted queries make the searches below cache-friendly
        a_h, a_c = a_h[o], a_c[o]
        del o
        first = np.r_[True, (a_h[1:] != a_h[:-1]) | (a_c[1:] != a_c[:-1])] if len(a_h) else np.zeros(0, bool)
        a_h, a_c = a_h[first], a_c[first]
        lo = np.searchsorted(e_h, a_h, side="left")
        cnt = np.searchsorted(e_h, a_h, side="right") - lo
        hit = cnt > 0
        lo, cnt, a_c = lo[hit], cnt[hit], a_c[hit]
        del a_h
        e_c32 = e_c.astype(np.int32)
        # (posting core, looking-up core) for every hit, in chunks: shared grams counted per pair
        parts_k, parts_c = [], []
        ends = np.cumsum(cnt)
        a = 0
        while a < len(cnt):
            base = ends[a - 1] if a else 0
            b = max(a + 1, int(np.searchsorted(ends, base + _CHUNK, side="right")))
            c_cnt = cnt[a:b]
            total = int(c_cnt.sum())
            jj = np.repeat(a_c[a:b].astype(np.int32), c_cnt)
            idx = np.repeat(lo[a:b] - (np.cumsum(c_cnt) - c_cnt), c_cnt) + np.arange(total, dtype=np.int64)
            ii = e_c32[idx]
            del idx
            ok = (ii != jj) & _allowed(single_doc, ii, jj)
            pk, pc = np.unique(_pair_keys(ii[ok], jj[ok], n), return_counts=True)
            parts_k.append(pk)
            parts_c.append(pc)
            a = b
        if parts_k:
            pk = np.concatenate(parts_k)
            pc = np.concatenate(parts_c)
            if len(parts_k) > 1:
                pk, inv = np.unique(pk, return_inverse=True)
                pc = np.bincount(inv, weights=pc, minlength=len(pk)).astype(np.int64)
            strong = pc >= min_shared
            keys_all.append(pk[strong])
            ev_all.append(pc[strong].astype(np.int64) + ngram - 1)

    # -- short cores (headings) share too little for the blockers above: pair them on two bigrams
    short = np.flatnonzero(lengths <= short_len)
    if len(short) >= 2:
        sub = [norms[i] for i in short]
        s_codes, s_starts = _codes(sub)
        bh = _gram_hashes(s_codes, 2)
        if len(bh):
            p = np.arange(len(bh), dtype=np.int64)
            sc = np.searchsorted(s_starts, p, side="right") - 1
            ok = p - s_starts[sc] <= np.diff(s_starts)[sc] - 2
            b_h, b_c = bh[ok], short[sc[ok]].astype(np.int64)
            o = np.lexsort((b_c, b_h))
            b_h, b_c = b_h[o], b_c[o]
            first = np.r_[True, (b_h[1:] != b_h[:-1]) | (b_c[1:] != b_c[:-1])][: len(b_h)]  # none when no bigram fits
            pa, pb = _posting_pairs(b_h[first], b_c[first], max_posting)
            ok = _allowed(single_doc, pa, pb)
            pk, pc = np.unique(_pair_keys(pa[ok], pb[ok], n), return_counts=True)
            strong = pc >= 2
            keys_all.append(pk[strong])
            ev_all.append(pc[strong].astype(np.int64) + 1)

    if not keys_all:
        return empty, empty, empty
    keys = np.concatenate(keys_all)
    evs = np.concatenate(ev_all)
    if not len(keys):
        return empty, empty, empty
    # best evidence per pair
    o = np.lexsort((-evs, keys))
    keys, evs = keys[o], evs[o]
    first = np.r_[True, keys[1:] != keys[:-1]]
    keys, evs = keys[first], evs[first]
    pi, pj = keys // n, keys % n
    # each core keeps its max_candidates best pairs (evidence, then the pair's order)
    node = np.concatenate([pi, pj])
    idx = np.concatenate([np.arange(len(keys))] * 2)
    o = np.lexsort((pj[idx], pi[idx], -evs[idx], node))
    node, idx = node[o], idx[o]
    start = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    rank = np.arange(len(node)) - np.repeat(start, np.diff(np.r_[start, len(node)]))
    kept = np.unique(idx[rank < max_candidates])
    pi, pj, evs = pi[kept], pj[kept], evs[kept]
    o = np.lexsort((pj, pi, -evs))
    return evs[o], pi[o], pj[o]


def candidate_pairs(
    units: Sequence[SentenceUnit],
    min_anchor: int = 4,
    window: int = 4,
    ngram: int = 6,
    min_shared: int = 6,
    max_df: int = 50,
    max_posting: int = 64,
    max_candidates: int = 4,
    key_chars: int = 24,
    short_len: int = 12,
) -> list[tuple[int, int, int]]:
    """Pairs of distinct sentence cores worth aligning, as ``(evidence, i, j)`` with ``i < j``: unit
    indices, each distinct core standing for all the units that share it (by its first unit).

    Units with the same core are one item: a sentence repeated in many documents costs one entry,
    and its copies do not crowd out its other partners. Pairs come from cheap blockers, never all
    pairs (items confined to one same document never pair):

    * clause openings: every clause start of every core, sorted by the next ``key_chars`` characters;
      each entry is compared with the next ``window`` entries; a common opening of ``min_anchor``
      characters makes a pair (evidence: its length);
    * clause endings: the same over reversed clause ends (``…总结如下`` meets ``…总结如下``);
    * rare n-grams: character ``ngram``-grams of each core's first and last clause (indexed when
      in at most ``max_posting`` cores and, beyond ``max_df`` cores, in at most ``max_df``
      documents), looked up from all n-grams of every core; ``min_shared`` shared grams make a pair
      (evidence: their count + n - 1; grams are 64-bit hashes, the hits expanded ``_CHUNK`` at a time);
    * short cores (at most ``short_len`` characters: headings) sharing two character bigrams (in
      postings of at most ``max_posting`` cores).

    Each core keeps its ``max_candidates`` best pairs, so the pairs grow linearly with the
    distinct cores. Digits are masked throughout; the n-gram tables are numpy arrays.
    """
    doc_index: dict[str, int] = {}
    docs = np.array([doc_index.setdefault(u.doc_id, len(doc_index)) for u in units], dtype=np.int32)
    dist = _Distinct.of([u.core for u in units], docs)
    firsts = dist._order[dist._bounds[:-1]] if len(dist.cores) else np.zeros(0, dtype=np.int32)
    ev, i, j = _core_pairs([_norm(c) for c in dist.cores], dist.single_doc,
                           lambda cs: dist.n_docs(cs.tolist()), min_anchor, window, ngram, min_shared,
                           max_df, max_posting, max_candidates, key_chars, short_len)
    return [(int(e), int(firsts[a]), int(firsts[b])) for e, a, b in zip(ev, i, j)]


# =========================================================================== alignment


class _Identity:
    """Offsets of a character-mode encoding: position i is character i."""

    def __getitem__(self, i: int) -> int:
        return i


_IDENTITY: Any = _Identity()


class _Encoder:
    """Turns texts into alignment strings: characters (digits masked) or jieba tokens (one code each)."""

    def __init__(self, mode: str, tokenize: Callable[[str], list[str]] | None):
        if mode not in ("char", "token"):
            raise ValueError(f"align must be 'char' or 'token', not {mode!r}")
        self.mode = mode
        self.tokenize = tokenize
        self._codes: dict[str, str] = {}

    def encode(self, text: str) -> tuple[str, list[int]]:
        """``(alignment string, char offset of each position + end)``."""
        if self.mode == "char":
            return _norm(text), _IDENTITY
        toks = self.tokenize(text) if text else []
        out, offs, pos = [], [], 0
        for t in toks:
            if not t:
                continue
            key = _norm(t)
            code = self._codes.get(key)
            if code is None:
                code = self._codes[key] = chr(0xF0000 + len(self._codes) % 0xFFFD)
            out.append(code)
            offs.append(pos)
            pos += len(t)
        offs.append(pos)
        return "".join(out), offs

    def encode_pieces(self, pieces: Sequence[str], sentinel: str, open_start: bool, open_end: bool) -> tuple[str, list[int], str]:
        """Encode a template: pieces joined by sentinels (one per slot, and at open ends)."""
        if self.mode == "char":  # one code per character: offsets are the identity
            text = sentinel.join(pieces)
            if open_start:
                text = sentinel + text
            if open_end:
                text += sentinel
            return _norm(text), _IDENTITY, text
        parts: list[str] = []
        offs: list[int] = []
        text = ""
        if open_start:
            parts.append(sentinel)
            offs.append(0)
            text += sentinel
        for k, p in enumerate(pieces):
            if k > 0:
                parts.append(sentinel)
                offs.append(len(text))
                text += sentinel
            s, o = self.encode(p)
            parts.append(s)
            offs.extend(len(text) + o[x] for x in range(len(s)))
            text += p
        if open_end:
            parts.append(sentinel)
            offs.append(len(text))
            text += sentinel
        offs.append(len(text))
        return "".join(parts), offs, text


def _matching_runs(a_code: str, b_code: str, aligner: str) -> list[tuple[int, int, int]]:
    """Common runs ``(i, j, n)`` of two alignment strings, in order.

    ``"lcs"``: a longest common subsequence (rapidfuzz, C++); ``"difflib"``: the standard library's
    longest-block-first matcher (about 100-200x slower, slightly different on ties).
    """
    if aligner == "lcs":
        try:
            from rapidfuzz.distance import LCSseq
        except ImportError:  # pragma: no cover - rapidfuzz is a dependency
            import warnings

            warnings.warn("rapidfuzz is not installed: aligning with difflib (slower, slightly different templates)",
                          RuntimeWarning, stacklevel=3)
            aligner = "difflib"
        else:
            if a_code == b_code:
                return [(0, 0, len(a_code))] if a_code else []
            return [(m.a, m.b, m.size) for m in LCSseq.editops(a_code, b_code).as_matching_blocks() if m.size]
    if aligner != "difflib":
        raise ValueError(f"aligner must be 'lcs' or 'difflib', not {aligner!r}")
    sm = difflib.SequenceMatcher(None, a_code, b_code, autojunk=False)
    return [(i, j, n) for i, j, n in sm.get_matching_blocks() if n]


def _blocks(a_code: str, a_off: list[int], a_text: str, b_code: str, b_off: list[int], b_text: str,
            min_block: int, aligner: str = "lcs") -> list[tuple[int, int, int]]:
    """Matched character runs ``(a_start, b_start, length)`` of two encoded texts, cleaned up.

    Runs that differ in their raw characters (masked digits) are split; runs shorter than
    ``min_block`` characters are dropped unless they are a bracket/quote or anchor both starts.
    """
    runs = _matching_runs(a_code, b_code, aligner)
    if a_off is not _IDENTITY or b_off is not _IDENTITY:  # tokens: runs of tokens to runs of characters
        runs = [(a_off[i], b_off[j], a_off[i + n] - a_off[i]) for i, j, n in runs
                if a_off[i + n] - a_off[i] == b_off[j + n] - b_off[j]]
    out: list[tuple[int, int, int]] = []
    for a0, b0, n in runs:
        if a_text[a0:a0 + n] == b_text[b0:b0 + n]:
            out.append((a0, b0, n))
            continue
        run_start = -1
        for k in range(n + 1):
            if k < n and a_text[a0 + k] == b_text[b0 + k]:
                if run_start < 0:
                    run_start = k
            elif run_start >= 0:
                out.append((a0 + run_start, b0 + run_start, k - run_start))
                run_start = -1
    return [(a, b, n) for a, b, n in out
            if n >= min_block or (a == 0 and b == 0) or a_text[a:a + n] in _KEEP_SINGLE]


def _pieces_from_blocks(blocks: list[tuple[int, int, int]], a_text: str, a_len: int, b_len: int) -> list[str]:
    """Fixed pieces between slots: ``pieces[0]`` is empty when the frame starts with a slot, etc."""
    if not blocks:
        return []
    pieces: list[str] = []
    cur = ""
    prev_a, prev_b = 0, 0
    first = True
    for a, b, n in blocks:
        gap = a > prev_a or b > prev_b
        if first:
            if gap:
                pieces.append("")
            cur = a_text[a:a + n]
            first = False
        elif gap:
            pieces.append(cur)
            cur = a_text[a:a + n]
        else:
            cur += a_text[a:a + n]
        prev_a, prev_b = a + n, b + n
    pieces.append(cur)
    if prev_a < a_len or prev_b < b_len:
        pieces.append("")
    return [p.replace(_SENT_A, "").replace(_SENT_B, "") for p in pieces]


def _clean_pieces(pieces: list[str], min_piece: int) -> list[str]:
    """Absorb short interior fixed fragments (``{A}的{B}`` -> ``{A}``); keep brackets and clause marks."""
    if len(pieces) <= 2:
        return pieces
    out = [pieces[0]]
    for k in range(1, len(pieces) - 1):
        p = pieces[k]
        if len(p) < min_piece and not (set(p) & (_KEEP_SINGLE | _CLAUSE_SET)):
            continue  # drop the piece: its two slots merge
        out.append(p)
    out.append(pieces[-1])
    return out


# =========================================================================== fitting a frame to members


@dataclass
class _Fit:
    """A frame fitted to its members: pieces, per-member slot values and context."""

    pieces: list[str]
    values: list[list[str]]
    lead: list[str]
    trail: list[str]
    fixed: int
    coverage: float

    @property
    def open_start(self) -> bool:
        return any(self.lead)

    @property
    def open_end(self) -> bool:
        return any(self.trail)


def _split(pieces: Sequence[str], core: str) -> list[str] | None:
    """Slot values of ``core`` for fixed ``pieces`` (leftmost placement, as a lazy regex ``^p0(.*?)p1…pk$``)."""
    p0 = pieces[0]
    if not core.startswith(p0):
        return None
    if len(pieces) == 1:
        return [] if len(core) == len(p0) else None
    last = pieces[-1]
    end = len(core) - len(last)
    if end < len(p0) or not core.endswith(last):
        return None
    pos = len(p0)
    out = []
    for p in pieces[1:-1]:
        k = core.find(p, pos, end)
        if k < 0:
            return None
        out.append(core[pos:k])
        pos = k + len(p)
    out.append(core[pos:end])
    return out


@dataclass(frozen=True)
class _Rules:
    """What a frame must satisfy (see :class:`TemplateMiner` for the meaning of each)."""

    min_fixed: int = 4
    min_fixed_context: int = 7
    min_fixed_embedded: int = 10
    min_coverage: float = 0.5


def _fit(pieces: Sequence[str], cores: Sequence[str], rules: _Rules, open_start: bool = False,
         open_end: bool = False) -> _Fit | None:
    """Fit ``pieces`` to every core; split off context clauses; check the frame's quality.

    A leading slot is cut at its last clause mark: what comes before is context (the frame may
    start after any clause boundary); a trailing slot likewise at its first clause mark; a clause
    mark ending the first piece (starting the last) before an edge slot makes that whole slot
    context. The frame must keep ``min_fixed`` fixed characters (``min_fixed_context`` when some
    member has context, ``min_fixed_embedded`` when some member has context on both sides); in
    every member the fixed text plus typed or role-named slot values must cover ``min_coverage`` of
    the frame's span. A frame with context needs a slot filled in every member, and must reach the
    start or the end of at least one sentence (else it is a shared phrase, a formula, not a
    template: the phrase and boilerplate miners deal with those).
    """
    pieces = list(pieces)
    if not pieces:
        return None
    if open_start and (len(pieces) == 1 or pieces[0] != ""):
        pieces.insert(0, "")
    if open_end and (len(pieces) == 1 or pieces[-1] != ""):
        pieces.append("")
    values: list[list[str]] = []
    for c in cores:
        v = _split(pieces, c)
        if v is None:
            return None
        values.append(v)
    n = len(cores)
    lead, trail = [""] * n, [""] * n
    if len(pieces) > 1 and pieces[0] == "":
        if pieces[1][:1] in _CLAUSE_SET and not all(_typed(v[0]) for v in values):  # "{A}，现将…": A is context
            for i, v in enumerate(values):
                lead[i], v[0] = v[0] + pieces[1][0], ""
            pieces[1] = pieces[1][1:]
        else:
            for i, v in enumerate(values):
                m = _LAST_CLAUSE.search(v[0])
                if m is not None:
                    lead[i], v[0] = v[0][: m.start() + 1], v[0][m.start() + 1:]
        if all(v[0] == "" for v in values):
            pieces = pieces[1:]
            for v in values:
                v.pop(0)
    if len(pieces) > 1 and pieces[-1] == "":
        if pieces[-2][-1:] in _CLAUSE_SET and not all(_typed(v[-1]) for v in values):  # "…当天，{B}": B is context
            for i, v in enumerate(values):
                trail[i], v[-1] = pieces[-2][-1] + v[-1], ""
            pieces[-2] = pieces[-2][:-1]
        else:
            for i, v in enumerate(values):
                m = _FIRST_CLAUSE.search(v[-1])
                if m is not None:
                    trail[i], v[-1] = v[-1][m.start():], v[-1][:m.start()]
        if all(v[-1] == "" for v in values):
            pieces = pieces[:-1]
            for v in values:
                v.pop()
    joined = "".join(pieces)
    if not joined:
        return None
    any_lead, any_trail = any(lead), any(trail)
    if any_lead and any_trail and all(a and b for a, b in zip(lead, trail)):
        return None  # inside every sentence, free clauses on both sides: a shared phrase, not a frame
    fixed = len(joined)
    context = any_lead or any_trail
    embedded = any_lead and any_trail
    need = rules.min_fixed_embedded if embedded else rules.min_fixed_context if context else rules.min_fixed
    named: list[bool] | None = None
    if fixed < need:
        # typed values and role-named slots count towards the threshold (在{DATE}的活动当天,
        # 现将{TOPIC}总结如下), in every member
        named = [_named(pieces[k][-2:], pieces[k + 1][:8]) for k in range(len(pieces) - 1)]
        credit = min(sum(len(x) for k, x in enumerate(v) if x and (named[k] or _typed(x))) for v in values)
        if fixed < rules.min_fixed or fixed + credit < need:
            return None
    if context and len(pieces) > 2 and pieces[0] == "" and pieces[-1] == "":
        # free text at both edges of a frame cut out of a longer sentence: a shared phrase, no frame
        if not all(_typed(v[0]) or not v[0] for v in values) and not all(_typed(v[-1]) or not v[-1] for v in values):
            return None
    inside = max(_entity_chars(pieces, v) for v in values) if _BRACKET.search(joined) else 0
    if inside and (fixed - inside < need or inside > 0.6 * fixed):
        return None  # the shared text is mostly inside titles or quotations: entities, not a frame
    if context:
        # a slot filled in every member: interior, or at an edge when its values are typed
        ok = False
        for k in range(len(pieces) - 1):
            col = [v[k] for v in values]
            if all(col):
                interior = pieces[k] != "" and pieces[k + 1] != ""
                if interior or all(_typed(x) for x in col):
                    ok = True
                    break
        if not ok:
            return None
    # slots named by their context (现将{TOPIC}总结如下) hold expected content, like typed ones
    worst = 1.0
    for i, c in enumerate(cores):
        span = len(c) - len(lead[i]) - len(trail[i])
        if span <= 0:
            return None
        cov = fixed / span
        if cov < rules.min_coverage:
            if named is None:
                named = [_named(pieces[k][-2:], pieces[k + 1][:8]) for k in range(len(pieces) - 1)]
            explained = fixed + sum(len(x) for k, x in enumerate(values[i]) if x and (named[k] or _typed(x)))
            cov = explained / span
        worst = min(worst, cov)
        if worst < rules.min_coverage:
            return None
    return _Fit(pieces, values, lead, trail, fixed, worst)


def _clause_span(marks: Sequence[int], length: int, start: int, end: int) -> int:
    """Length of the clause stretch ``[start, end)`` sits in: from the clause mark before ``start``
    to the one at or after ``end`` (``marks``: sorted positions of ，；：)."""
    k = bisect_right(marks, start)  # a mark opening the stretch belongs to what comes before
    lo = marks[k - 1] + 1 if k else 0
    k2 = bisect_left(marks, end - 1)  # a mark closing it, to what comes after
    hi = marks[k2] if k2 < len(marks) else length
    return max(hi - lo, end - start)


def _best_frame(blocks: list[tuple[int, int, int]], a_text: str, a_len: int, b_len: int, min_piece: int,
                fit: Callable[[list[str]], _Fit | None], tries: int = 3, min_fixed: int = 4,
                anchored_single: bool = True, marks: tuple[Sequence[int], Sequence[int]] | None = None,
                min_estimate: float = 0.3) -> _Fit | None:
    """The frame of an alignment: of all its blocks, or of its best run of blocks when stray
    matches far out in free text spoil the whole.

    The whole alignment, then runs of consecutive blocks whose inner gaps are at most three times
    their matched text (slots holding values or a topic can be long) are tried, densest first
    (matched text less half the larger inner gap), at most ``tries`` in all; what lies outside a
    run becomes context or slot. Between two sentences (``anchored_single``) a single block is a
    frame only when it starts or ends both texts (a shared opening or ending, or the whole).
    With the clause marks of both texts (``marks``), a run is tried only if its matched text is at
    least ``min_estimate`` of the clauses it spans (an optimistic coverage: cheap, and it spares
    the full check of most chance matches).
    """
    n = len(blocks)
    windows = []
    for lo in range(n):
        matched = gap_a = gap_b = gap = 0
        pa = pb = pk = 0
        for hi in range(lo, n):
            a, b, k = blocks[hi]
            if hi > lo:
                gap_a += a - pa - pk
                gap_b += b - pb - pk
                gap = gap_a if gap_a > gap_b else gap_b
                if gap > 3 * (matched + k) and gap_a + gap_b > 6 * (matched + k):
                    break
            pa, pb, pk = a, b, k
            matched += k
            full = lo == 0 and hi == n - 1
            if matched < min_fixed or (gap > 3 * matched and not full):
                continue
            if anchored_single and hi == lo and not ((a == 0 and b == 0) or (a + k == a_len and b + k == b_len)):
                continue
            # dense runs first: matched text, less half the larger inner gap; the whole alignment first of all
            windows.append((not full, -(matched - gap / 2), hi - lo, lo, hi, matched))
    windows.sort()
    tried = 0
    for *_, lo, hi, matched in windows:
        if tried >= tries:
            break
        if marks is not None:
            ma, mb = marks
            a0, b0, _ = blocks[lo]
            a1 = blocks[hi][0] + blocks[hi][2]
            b1 = blocks[hi][1] + blocks[hi][2]
            # the frame must reach a sentence edge in one of the texts (start in a first clause or
            # end in a last one), and its matched text be a fair share of the clauses it spans
            if not ((not ma or a0 <= ma[0]) or (not mb or b0 <= mb[0]) or a1 > ma[-1] or b1 > mb[-1]):
                continue
            if matched < min_estimate * max(_clause_span(ma, a_len, a0, a1), _clause_span(mb, b_len, b0, b1)):
                continue
        tried += 1
        pieces = _clean_pieces(_pieces_from_blocks(blocks[lo:hi + 1], a_text, a_len, b_len), min_piece)
        f = fit(pieces) if pieces else None
        if f is not None:
            return f
    return None


def _entity_chars(pieces: Sequence[str], values: Sequence[str]) -> int:
    """Fixed characters of a frame that lie inside a title 《…》 or a quotation “…” (in one member)."""
    if not any(("《" in p or "“" in p or "》" in p or "”" in p) for p in pieces):
        return 0
    text, fixed_pos, pos = [], [], 0
    for k, p in enumerate(pieces):
        text.append(p)
        fixed_pos.append((pos, pos + len(p)))
        pos += len(p)
        if k < len(values):
            text.append(values[k])
            pos += len(values[k])
    joined = "".join(text)
    n = 0
    for s, e, kind in find_entities(joined):
        if kind in ("DOC_TITLE", "QUOTE"):
            for a, b in fixed_pos:
                n += max(0, min(b, e) - max(a, s))
    return n


@lru_cache(maxsize=4096)
def _named(before: str, after: str) -> bool:
    """Does a free slot between these ends get a role name (TOPIC…)? (the rules look at most 2
    characters back and 8 ahead)"""
    return slot_name("TEXT", before, after) != "TEXT"


@lru_cache(maxsize=65536)
def _typed(value: str) -> bool:
    return classify(value) in TYPED


# =========================================================================== refining a group's frame


def _slot_spans(fit: _Fit, i: int) -> list[tuple[int, int]]:
    """Character spans of member ``i``'s slot values in its core."""
    pos = len(fit.lead[i])
    spans = []
    for k, p in enumerate(fit.pieces):
        pos += len(p)
        if k < len(fit.pieces) - 1:
            v = fit.values[i][k]
            spans.append((pos, pos + len(v)))
            pos += len(v)
    return spans


def _widen(fit: _Fit, k: int, left: int, right: int) -> None:
    """Move ``left`` chars of the piece before slot ``k`` and ``right`` after it into the slot."""
    if left:
        moved = fit.pieces[k][-left:]
        fit.pieces[k] = fit.pieces[k][:-left]
        for v in fit.values:
            v[k] = moved + v[k]
    if right:
        moved = fit.pieces[k + 1][:right]
        fit.pieces[k + 1] = fit.pieces[k + 1][right:]
        for v in fit.values:
            v[k] = v[k] + moved


def _merge_empty_pieces(fit: _Fit) -> None:
    """Join two slots separated by an empty interior piece."""
    k = 1
    while k < len(fit.pieces) - 1:
        if fit.pieces[k] == "":
            del fit.pieces[k]
            for v in fit.values:
                v[k - 1] = v[k - 1] + v[k]
                del v[k]
        else:
            k += 1


def _snap_entities(fit: _Fit, cores: Sequence[str]) -> None:
    """Widen slots that cut through a typed value (a date, a number with its unit, a title…)."""
    if len(fit.pieces) < 2:
        return  # no slot
    ents = [find_entities(c, ("PERCENT", "DATE", "PLACEHOLDER", "NUM")) for c in cores]
    if not any(ents):
        return  # no value for a slot to cut through
    for _ in range(4):
        changed = False
        spans = [_slot_spans(fit, i) for i in range(len(cores))]
        for k in range(len(fit.pieces) - 1):
            left = right = 0
            for i, c in enumerate(cores):
                s, e = spans[i][k]
                if s == e:
                    continue
                for es, ee, _kind in ents[i]:  # titles and quotations get their type from their brackets
                    if es < e and ee > s and (es < s or ee > e):
                        left = max(left, s - es)
                        right = max(right, ee - e)
            left = min(left, len(fit.pieces[k]))
            right = min(right, len(fit.pieces[k + 1]))
            if left or right:
                _widen(fit, k, left, right)
                changed = True
                spans = [_slot_spans(fit, i) for i in range(len(cores))]
        if not changed:
            break


def _word_bounds(texts: Sequence[str], cut: Callable[[str], list[str]]) -> list[set[int]]:
    """Word boundaries of each text, from one call of the segmenter over all of them."""
    out: list[set[int]] = []
    cur: set[int] = {0}
    k, start, pos = 0, 0, 0
    for t in cut("\n".join(texts)):
        pos += len(t)
        while k < len(texts) and pos > start + len(texts[k]):
            cur.add(len(texts[k]))
            out.append(cur)
            start += len(texts[k]) + 1
            cur = {0}
            k += 1
        if k < len(texts) and pos >= start:
            cur.add(pos - start)
    while k < len(texts):
        cur.add(len(texts[k]))
        out.append(cur)
        cur = {0}
        k += 1
    return out


def _edges_in_words(fit: _Fit, cores: Sequence[str]) -> list[list[int]]:
    """Per member, the slot edges that fall between two Han characters in every member (such an
    edge may cut a word; only those need the segmenter)."""
    spans = [_slot_spans(fit, i) for i in range(len(cores))]
    out: list[list[int]] = [[] for _ in cores]
    for k in range(len(fit.pieces) - 1):
        for side in (0, 1):
            if fit.pieces[k + side] and all(
                    0 < sp[k][side] < len(c) and _HAN.match(c[sp[k][side] - 1]) and _HAN.match(c[sp[k][side]])
                    for sp, c in zip(spans, cores)):
                for i, sp in enumerate(spans):
                    out[i].append(sp[k][side])
    return out


def _inside_words(requests: Mapping[int, set[int]], cores: Sequence[str], cut: Callable[[str], list[str]],
                  reach: int = 8) -> dict[int, set[int]]:
    """For each text, the positions near the requested ones that lie inside a word.

    The segmenter sees windows of ``reach`` characters either side of each requested position
    (merged per text), each distinct window once, all in one call; positions it did not see count
    as word boundaries."""
    windows: list[tuple[int, int, int]] = []
    for m in sorted(requests):
        spans = sorted((max(0, p - reach), min(len(cores[m]), p + reach)) for p in requests[m])
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi:
                hi = max(hi, b)
            else:
                windows.append((m, lo, hi))
                lo, hi = a, b
        windows.append((m, lo, hi))
    texts = [cores[m][lo:hi] for m, lo, hi in windows]
    # each distinct window is segmented once (windows are cut apart by the newlines between them)
    distinct = list(dict.fromkeys(texts))
    bounds = dict(zip(distinct, _word_bounds(distinct, cut)))
    out: dict[int, set[int]] = defaultdict(set)
    for (m, lo, hi), text in zip(windows, texts):
        b = bounds[text]
        out[m].update(lo + q for q in range(1, hi - lo) if q not in b)
    return out


def _snap_words(fit: _Fit, cores: Sequence[str], inside: Sequence[set[int]]) -> None:
    """Widen a slot edge that falls inside a word in every member (``政务{公开}`` -> ``{政务公开}``).

    ``inside``: positions of each member text known to lie inside a word."""
    for k in range(len(fit.pieces) - 1):
        for side in (0, 1):
            while fit.pieces[k + side]:
                if not all(_slot_spans(fit, i)[k][side] in inside[i] for i in range(len(cores))):
                    break
                _widen(fit, k, 1 - side, side)


def _narrow_numbers(fit: _Fit) -> None:
    """Leave qualifiers and units outside a number slot: ``{100余人}`` -> ``{NUM}余人``."""
    for k in range(len(fit.pieces) - 1):
        col = [v[k] for v in fit.values]
        if not col or not all(col) or not all(classify(x) == "NUM" for x in col):
            continue
        suf = common_affix(col, suffix=True)
        n = 0
        while n < len(suf) and suf[len(suf) - 1 - n] in NUM_AFFIX_CHARS:
            n += 1
        while n and not all(classify(x[:-n]) == "NUM" and x[:-n][-1:] not in NUM_AFFIX_CHARS for x in col):
            n -= 1
        if n:
            moved = col[0][-n:]
            for v in fit.values:
                v[k] = v[k][:-n]
            fit.pieces[k + 1] = moved + fit.pieces[k + 1]
        col = [v[k] for v in fit.values]
        pre = common_affix(col, suffix=False)
        m = 0
        while m < len(pre) and pre[m] in "近约共计逾达":
            m += 1
        if m and all(classify(x[m:]) == "NUM" for x in col):
            moved = col[0][:m]
            for v in fit.values:
                v[k] = v[k][m:]
            fit.pieces[k] = fit.pieces[k] + moved


# =========================================================================== template records


@dataclass
class Slot:
    """A slot of a template: its name in the template text, its type, and the values seen."""

    name: str
    type: str
    values: list[str] = field(default_factory=list)
    n_empty: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "values": list(self.values), "n_empty": self.n_empty}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Slot":
        return cls(str(d["name"]), str(d.get("type") or base_type(str(d["name"]))), list(d.get("values", [])),
                   int(d.get("n_empty", 0)))


class _SlotValues(dict):
    """A read-only dict of slot values, shared by the instances of one distinct sentence (a mined
    library holds one instance a sentence: at scale, millions). Copy it (``dict(v)``) to change it."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the slot values of a mined instance are shared and read-only; copy them with dict()")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]
    __ior__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (_SlotValues, (dict(self),))


@dataclass(slots=True)
class Instance:
    """One sentence instantiating a template, with the evidence to find it again."""

    doc_id: str
    unit_id: str
    sentence: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    slot_values: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "unit_id": self.unit_id, "sentence": self.sentence, "start": self.start,
                "end": self.end, "raw_start": self.raw_start, "raw_end": self.raw_end,
                "slot_values": dict(self.slot_values)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Instance":
        return cls(str(d["doc_id"]), str(d.get("unit_id", "")), str(d["sentence"]), int(d.get("start", -1)),
                   int(d.get("end", -1)), int(d.get("raw_start", -1)), int(d.get("raw_end", -1)),
                   {str(k): str(v) for k, v in (d.get("slot_values") or {}).items()})


@dataclass
class TemplateMatch:
    """Where a template matched inside a text (offsets relative to that text), the slot values and
    where each value is."""

    template: "Template"
    start: int
    end: int
    values: dict[str, str]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"template_id": self.template.id, "start": self.start, "end": self.end, "values": dict(self.values),
                "spans": {k: list(v) for k, v in self.spans.items()}}


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def render(pieces: Sequence[str], names: Sequence[str]) -> str:
    """Template text from fixed pieces and slot names: ``现将{TOPIC}总结如下``."""
    out = [_escape(pieces[0])]
    for name, p in zip(names, pieces[1:]):
        out.append("{" + name + "}")
        out.append(_escape(p))
    return "".join(out)


def parse_template(text: str) -> tuple[list[str], list[str]]:
    """``(pieces, slot names)`` of a template text (``{{`` and ``}}`` stand for literal braces)."""
    pieces, names, cur, pos = [], [], [], 0
    for m in _SLOT_IN_TEXT.finditer(text):
        cur.append(text[pos:m.start()])
        if m.group(0) == "{{":
            cur.append("{")
        elif m.group(0) == "}}":
            cur.append("}")
        else:
            pieces.append("".join(cur))
            cur = []
            names.append(m.group(1))
        pos = m.end()
    cur.append(text[pos:])
    pieces.append("".join(cur))
    return pieces, names


def _literal_span(lit: str, text: str, open_start: bool, open_end: bool) -> tuple[int, int] | None:
    """Where a template without slots matches ``text``, as its regex would: the whole text, or (on an
    open side) the leftmost occurrence starting at the start or after ，；： and ending at the end or
    before one."""
    n, m = len(text), len(lit)
    if not open_start and not open_end:
        return (0, n) if text == lit else None
    if not open_start:
        return (0, m) if text.startswith(lit) and (m == n or text[m] in _CLAUSE_SET) else None
    if not open_end:
        p = n - m
        return (p, n) if text.endswith(lit) and (p == 0 or text[p - 1] in _CLAUSE_SET) else None
    p = text.find(lit)
    while p >= 0:
        if (p == 0 or text[p - 1] in _CLAUSE_SET) and (p + m == n or text[p + m] in _CLAUSE_SET):
            return p, p + m
        p = text.find(lit, p + 1)
    return None


_SOLVE_BEFORE_COMPILING = 64  # texts a closed-type template is matched on without its regex
_SOLVE_STEPS = 256  # value tests per text before the matcher gives up (and the regex decides)
_UNSURE: Any = object()


def _solve(pieces: Sequence[str], groups: Sequence[tuple], text: str, open_start: bool,
           open_end: bool) -> tuple[int, int, list[tuple[int, int]]] | None | Any:
    """Match a template (fixed ``pieces`` around slot ``groups``, see :func:`slot_constraint`) as its
    regex would, without compiling it: ``(start, end, value spans)``, None (no match), or
    ``_UNSURE`` (the regex must decide).

    The regex searches start positions left to right and returns, at the first start where the
    template fits, the first placement in its backtracking order. Here every placement at that start
    is enumerated (fixed pieces found with ``str.find``, each value tested against its slot's
    pattern or excluded characters); when there is exactly one, it is the regex's answer, whatever
    the order; when there are several, or the search grows long, the answer is ``_UNSURE``."""
    n = len(text)
    k = len(groups)
    steps = [0]

    def ends_of(i: int, pos: int) -> Iterator[int]:
        """Candidate ends of slot ``i`` starting at ``pos`` (where the next piece can follow)."""
        lit = pieces[i + 1]
        last = i == k - 1
        if lit:
            if last and not open_end:
                e = n - len(lit)
                if e >= pos and text.endswith(lit):
                    yield e
                return
            e = text.find(lit, pos)
            while e >= 0:
                if not last or e + len(lit) == n or text[e + len(lit)] in _CLAUSE_SET:
                    yield e
                e = text.find(lit, e + 1)
        elif not open_end:
            yield n
        else:
            for e in range(pos, n + 1):
                if e == n or text[e] in _CLAUSE_SET:
                    yield e

    def value_ok(g: tuple, a: int, b: int) -> bool | None:
        steps[0] += 1
        if g[0] == "class":
            if a == b:
                return g[2]
            return not g[1] or not any(ch in g[1] for ch in text[a:b])
        if a == b and g[2]:
            return True
        if g[3] and b < n and text[b].isdecimal():
            return None  # a lookahead at the value's end would see this digit: unsure
        return g[1].fullmatch(text, a, b) is not None

    def place(i: int, pos: int, spans: list[tuple[int, int]], found: list) -> bool:
        """Placements of slots i.. from ``pos``; False to stop (unsure, or a second placement)."""
        if i == k:
            found.append(list(spans))
            return len(found) < 2
        g = groups[i]
        for e in ends_of(i, pos):
            if steps[0] > _SOLVE_STEPS:
                found.append(_UNSURE)
                return False
            ok = value_ok(g, pos, e)
            if ok is None:
                found.append(_UNSURE)
                return False
            if ok:
                spans.append((pos, e))
                go = place(i + 1, e + len(pieces[i + 1]), spans, found)
                spans.pop()
                if not go:
                    return False
        return True

    p0 = pieces[0]
    starts = range(n + 1) if open_start else (0,)
    for st in starts:
        if open_start and st > 0 and text[st - 1] not in _CLAUSE_SET:
            continue
        if not text.startswith(p0, st):
            continue
        found: list = []
        place(0, st + len(p0), [], found)
        if not found:
            continue
        if len(found) > 1 or found[0] is _UNSURE:
            return _UNSURE
        spans = found[0]
        end = spans[-1][1] + len(pieces[-1])
        return st, end, spans
    return None


def template_id(text: str) -> str:
    """A stable id: ``t`` + 10 hex digits of the BLAKE2 hash of the template text."""
    return "t" + hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()


@dataclass
class Template:
    """Fixed text with typed slots, its instances and support.

    ``open_start``/``open_end``: the template may begin after (end before) a clause boundary inside
    a sentence — free clauses around it are context — rather than spanning the whole sentence core.
    """

    id: str
    template: str
    slots: list[Slot]
    instances: list[Instance] = field(default_factory=list)
    open_start: bool = False
    open_end: bool = False
    _regex: Any = field(default=None, repr=False, compare=False)
    _parsed: Any = field(default=None, repr=False, compare=False)  # (template text, pieces, fixed chars)
    _plan: Any = field(default=None, repr=False, compare=False)  # (pieces, slot constraints) or False
    _solves: int = field(default=0, repr=False, compare=False)

    @classmethod
    def from_text(cls, text: str, types: Mapping[str, str] | None = None, open_start: bool = False,
                  open_end: bool = False) -> "Template":
        """A template from its text; slot types from ``types`` or the names (``NUM_2`` is a NUM)."""
        _, names = parse_template(text)
        if len(set(names)) != len(names):
            raise ValueError(f"template {text!r} repeats a slot name")
        types = types or {}
        slots = [Slot(n, types.get(n, base_type(n))) for n in names]
        return cls(template_id(text), text, slots, [], open_start, open_end)

    def _parse(self) -> tuple[str, list[str], int]:
        p = self._parsed
        if p is None or p[0] != self.template:  # parsed once per template text
            pieces = parse_template(self.template)[0]
            p = self._parsed = (self.template, pieces, sum(len(x) for x in pieces))
            self._plan = None
        return p

    @property
    def pieces(self) -> list[str]:
        return list(self._parse()[1])

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.slots]

    @property
    def fixed_chars(self) -> int:
        return self._parse()[2]

    @property
    def support(self) -> int:
        """Number of documents with an instance."""
        return len({i.doc_id for i in self.instances})

    @property
    def doc_ids(self) -> list[str]:
        return sorted({i.doc_id for i in self.instances})

    def regex(self) -> re.Pattern:
        """Fixed text literal, closed slot types by their patterns, open ones lazily; anchored to a
        sentence core, or to clause boundaries on an open side."""
        if self._regex is None:
            pieces = self.pieces
            k = len(self.slots)
            parts = ["(?:^|(?<=[，；：]))" if self.open_start else "^"]
            for i, p in enumerate(pieces):
                parts.append(re.escape(p))
                if i < k:
                    s = self.slots[i]
                    edge = (i == 0 and pieces[0] == "" and self.open_start) or (
                        i == k - 1 and pieces[-1] == "" and self.open_end)
                    pat = slot_pattern(s.type, allow_empty=s.n_empty > 0, clause=edge)
                    if s.n_empty > 0 and s.type in ("NUM", "PERCENT", "DATE", "PLACEHOLDER"):
                        pat = f"((?:{pat[1:-1]})?)"
                    parts.append(pat)
            parts.append("(?=[，；：]|$)" if self.open_end else "$")
            self._regex = re.compile("".join(parts), re.S)
        return self._regex

    def _groups(self) -> list[tuple] | None:
        """The slots' constraints as :meth:`regex` writes them (None: some slot needs the regex)."""
        pieces = self._parse()[1]
        k = len(self.slots)
        out = []
        for i, s in enumerate(self.slots):
            edge = ((i == 0 and pieces[0] == "" and self.open_start)
                    or (i == k - 1 and pieces[-1] == "" and self.open_end))
            c = slot_constraint(s.type, allow_empty=s.n_empty > 0, clause=edge)
            if c is None or (0 < i + 1 < k and pieces[i + 1] == ""):  # two slots side by side: leave it to the regex
                return None
            out.append(c)
        return out

    def match(self, text: str) -> TemplateMatch | None:
        """The first match in ``text`` (a sentence core) with its slot values, or None.

        Templates without slots, and the first few texts of a template with closed-type slots
        (numbers, dates…, whose regex is slow to compile), are matched without the regex when the
        answer is certain: a single way to place the template (see :func:`_solve`)."""
        if not self.slots and "\n" not in text:  # fixed text only: what the regex finds, without one
            span = _literal_span(self._parse()[1][0], text, self.open_start, self.open_end)
            return TemplateMatch(self, span[0], span[1], {}, {}) if span is not None else None
        if self._regex is None and self._solves < _SOLVE_BEFORE_COMPILING and "\n" not in text:
            if self._plan is None:
                groups = self._groups()
                closed = groups is not None and any(g[0] == "pattern" for g in groups)
                self._plan = (self._parse()[1], groups) if closed else False
            if self._plan:
                self._solves += 1
                found = _solve(self._plan[0], self._plan[1], text, self.open_start, self.open_end)
                if found is None:
                    return None
                if found is not _UNSURE:
                    start, end, spans = found
                    values = {s.name: text[a:b] for s, (a, b) in zip(self.slots, spans)}
                    return TemplateMatch(self, start, end, values, {s.name: sp for s, sp in zip(self.slots, spans)})
        m = self.regex().search(text)
        if m is None:
            return None
        values = {s.name: (g or "") for s, g in zip(self.slots, m.groups())}
        spans = {}
        for k, s in enumerate(self.slots, 1):
            a, b = m.span(k)
            spans[s.name] = (a, b) if a >= 0 else (m.start(), m.start())
        return TemplateMatch(self, m.start(), m.end(), values, spans)

    def fill(self, values: Mapping[str, Any] | None = None, strict: bool = True, **kw: Any) -> str:
        """Render the template with slot values; missing ones raise ``KeyError`` (``strict``) or stay ``{NAME}``."""
        vals = {**(values or {}), **kw}
        unknown = sorted(set(vals) - set(self.names))
        if unknown:
            raise KeyError(f"unknown slot(s) {', '.join(unknown)}; this template has {', '.join(self.names) or 'no slots'}")
        missing = [n for n in self.names if n not in vals]
        if missing and strict:
            raise KeyError(f"missing value(s) for {', '.join(missing)}")
        pieces = self.pieces
        out = [pieces[0]]
        for name, p in zip(self.names, pieces[1:]):
            out.append(str(vals[name]) if name in vals else "{" + name + "}")
            out.append(p)
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "template": self.template,
            "slots": [s.to_dict() for s in self.slots],
            "support": self.support,
            "n_instances": len(self.instances),
            "fixed_chars": self.fixed_chars,
            "open_start": self.open_start,
            "open_end": self.open_end,
            "doc_ids": self.doc_ids,
            "instances": [i.to_dict() for i in self.instances],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Template":
        text = str(d["template"])
        _, names = parse_template(text)
        slots = [Slot.from_dict(s) for s in d.get("slots", [])] or [Slot(n, base_type(n)) for n in names]
        if [s.name for s in slots] != names:
            raise ValueError(f"template {text!r}: slots {[s.name for s in slots]} do not match its text")
        return cls(str(d.get("id") or template_id(text)), text, slots,
                   [Instance.from_dict(i) for i in d.get("instances", [])],
                   bool(d.get("open_start", False)), bool(d.get("open_end", False)))

    def __repr__(self) -> str:
        return f"Template({self.id}, {self.template!r}, support={self.support})"


# =========================================================================== the library


class _KeyIndex:
    """Which templates' keys (their longest fixed pieces) occur in a text.

    A small library (at most 64 keys) is scanned. Otherwise each key of ``_GRAM`` characters or more
    is indexed under its rarest ``_GRAM``-gram (in the fewest keys; ties: the first), a key of 2 or 3
    characters under itself: a text's own grams then find every key it may contain and few others,
    each confirmed by a substring test. Keys of 0 or 1 character are scanned.
    :meth:`candidates_many` looks the grams of many texts up at once (hashes in numpy arrays); a
    hash collision could only add a candidate, which the test drops.
    """

    def __init__(self, keys: Sequence[str]):
        self.keys = list(keys)
        self.scan = len(self.keys) <= 64
        self.short: list[int] = []  # keys scanned
        self._by_gram: dict[str, list[int]] | None = None
        self._chosen: list[tuple[int, int, int]] = []  # (key, position of its gram, gram length)
        # gram length -> (distinct gram hashes sorted, offsets: keys of hashes[i] are ids[first[i]:first[i + 1]], ids)
        self.tables: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        if self.scan:
            return
        g = _GRAM
        codes, starts = _codes(self.keys)
        lengths = np.diff(starts)
        h = _gram_hashes(codes, g)
        key_of = np.repeat(np.arange(len(self.keys), dtype=np.int64), lengths)[:len(h)]
        pos = np.arange(len(h), dtype=np.int64)
        valid = pos - starts[key_of] <= lengths[key_of] - g
        h, key_of, pos = h[valid], key_of[valid], pos[valid]
        # document frequency of each gram: the number of keys holding it
        o = np.lexsort((key_of, h))
        hs, ks = h[o], key_of[o]
        new_key = np.r_[True, (hs[1:] != hs[:-1]) | (ks[1:] != ks[:-1])]
        new_gram = np.r_[True, hs[1:] != hs[:-1]]
        df_sorted = np.add.reduceat(new_key.astype(np.int64), np.flatnonzero(new_gram)) if len(hs) else hs
        gram_rank = np.cumsum(new_gram) - 1
        df = np.empty(len(h), dtype=np.int64)
        df[o] = df_sorted[gram_rank]
        # each key's rarest gram (ties: the first)
        o = np.lexsort((pos, df, key_of))
        chosen = o[np.r_[True, key_of[o][1:] != key_of[o][:-1]]] if len(o) else o
        c_key, c_pos = key_of[chosen], pos[chosen] - starts[key_of[chosen]]
        self._add_table(g, h[chosen], c_key)
        self._chosen = [(k, p, g) for k, p in zip(c_key.tolist(), c_pos.tolist())]
        has = np.zeros(len(self.keys), dtype=bool)
        has[c_key] = True
        for n in (2, 3):  # keys shorter than a gram, indexed whole
            ks = np.flatnonzero(~has & (lengths == n))
            if len(ks):
                self._add_table(n, _gram_hashes(codes, n)[starts[ks]], ks)
                self._chosen += [(k, 0, n) for k in ks.tolist()]
                has[ks] = True
        self.short = np.flatnonzero(~has).tolist()

    def _add_table(self, n: int, hashes: np.ndarray, ids: np.ndarray) -> None:
        o = np.argsort(hashes, kind="stable")
        hs, ids = hashes[o], ids[o]
        new = np.r_[True, hs[1:] != hs[:-1]] if len(hs) else np.zeros(0, dtype=bool)
        self.tables[n] = (hs[new], np.r_[np.flatnonzero(new), len(hs)].astype(np.int64), ids)

    @property
    def by_gram(self) -> dict[str, list[int]]:
        """The indexed grams as strings (for one text at a time), built on first use."""
        if self._by_gram is None:
            self._by_gram = {}
            for k, p, n in self._chosen:
                self._by_gram.setdefault(self.keys[k][p:p + n], []).append(k)
        return self._by_gram

    def candidates(self, text: str) -> list[int]:
        keys = self.keys
        if self.scan:
            return [k for k, key in enumerate(keys) if key in text]
        hits = {k for k in self.short if keys[k] in text}
        index = self.by_gram
        for n in self.tables:
            for i in range(len(text) - n + 1):
                post = index.get(text[i:i + n])
                if post is not None:
                    hits.update(post)
        return [k for k in sorted(hits) if keys[k] in text]

    def candidates_many(self, texts: Sequence[str]) -> list[list[int]]:
        keys = self.keys
        if self.scan or not texts:
            return [self.candidates(t) for t in texts]
        codes, starts = _codes(texts)
        lengths = np.diff(starts)
        text_of_char = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        found_t, found_k = [], []
        for n, (hashes, first, ids) in self.tables.items():
            h = _gram_hashes(codes, n)
            text_of = text_of_char[:len(h)]
            valid = np.arange(len(h), dtype=np.int64) - starts[text_of] <= lengths[text_of] - n
            h, text_of = h[valid], text_of[valid]
            at = np.searchsorted(hashes, h)
            hit = at < len(hashes)
            hit[hit] = hashes[at[hit]] == h[hit]
            at, text_of = at[hit], text_of[hit]
            lo = first[at]
            cnt = first[at + 1] - lo
            total = int(cnt.sum())
            if total:
                found_t.append(np.repeat(text_of, cnt))
                found_k.append(ids[np.repeat(lo, cnt) + np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)])
        out: list[list[int]] = [[] for _ in texts]
        if found_t:
            pair = np.unique(np.concatenate(found_t) * len(keys) + np.concatenate(found_k))
            for t, k in zip((pair // len(keys)).tolist(), (pair % len(keys)).tolist()):
                out[t].append(k)
        for t, text in enumerate(texts):
            found = out[t]
            if self.short:
                found = sorted(set(found).union(k for k in self.short if keys[k] in text))
            out[t] = [k for k in found if keys[k] in text]
        return out


class TemplateLibrary:
    """A set of templates: match them in texts, extract their slot values, save and load them."""

    def __init__(self, templates: Iterable[Template] = ()):
        self.templates: list[Template] = list(templates)
        self._by_id = {t.id: t for t in self.templates}
        self._index: _KeyIndex | None = None

    def __len__(self) -> int:
        return len(self.templates)

    def __iter__(self) -> Iterator[Template]:
        return iter(self.templates)

    def __getitem__(self, key: int | str) -> Template:
        if isinstance(key, str):
            try:
                return self._by_id[key]
            except KeyError:
                raise KeyError(f"no template with id {key!r}") from None
        return self.templates[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_id

    def __repr__(self) -> str:
        return f"TemplateLibrary({len(self)} templates)"

    # ---- persistence
    def to_list(self) -> list[dict[str, Any]]:
        return [t.to_dict() for t in self.templates]

    def save(self, path: str | Path) -> Path:
        """Write the library as JSON: a list of template objects (atomic; written one template at a time)."""
        from .export import write_json_items

        return write_json_items(path, (t.to_dict() for t in self.templates))

    @classmethod
    def load(cls, path: str | Path) -> "TemplateLibrary":
        """Read a library written by :meth:`save` (``templates.json`` of ``gkcorpus templates mine``)."""
        from .io import LoadError

        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise LoadError(p, "no such file or directory") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise LoadError(p, f"not a template library ({e})") from None
        if isinstance(data, dict):
            data = data.get("templates")
        if not isinstance(data, list):
            raise LoadError(p, "not a template library (expected a JSON list of templates)")
        try:
            return cls(Template.from_dict(d) for d in data)
        except (KeyError, TypeError, ValueError) as e:
            raise LoadError(p, f"not a template library ({e})") from None

    # ---- matching
    def _key_index(self) -> "_KeyIndex":
        if self._index is None:
            self._index = _KeyIndex([max(t._parse()[1], key=len) for t in self.templates])
        return self._index

    def _candidates(self, core: str) -> list[int]:
        """Templates whose longest fixed piece occurs in ``core`` (indices, in order)."""
        return self._key_index().candidates(core)

    def match_core(self, core: str) -> list[TemplateMatch]:
        """Every template matching a sentence core, best first (most fixed text, then id)."""
        return self._matches(core, self._candidates(core))

    def match_cores(self, cores: Sequence[str]) -> list[list[TemplateMatch]]:
        """:meth:`match_core` of many cores (their candidate templates found at once, vectorised)."""
        return [self._matches(c, ks) for c, ks in zip(cores, self._key_index().candidates_many(cores))]

    def _matches(self, core: str, candidates: Iterable[int]) -> list[TemplateMatch]:
        out = []
        for k in candidates:
            m = self.templates[k].match(core)
            if m is not None:
                out.append(m)
        out.sort(key=lambda m: (-m.template.fixed_chars, m.template.id))
        return out

    def assign(self, sentences: Sequence[str]) -> list[str | None]:
        """The best-matching template id of each sentence (None when none matches)."""
        out: list[str | None] = []
        for s in sentences:
            i, j = sentence_core(s)
            ms = self.match_core(s[i:j])
            out.append(ms[0].template.id if ms else None)
        return out

    def iter_matches(self, X: Any, best_only: bool = False) -> Iterator[tuple[Any, SentenceUnit, TemplateMatch]]:
        """``(document, unit, match)`` for every template match in every sentence of ``X``."""
        for doc in _as_documents(X):
            for u in _doc_units(doc):
                ms = self.match_core(u.core)
                for m in ms[:1] if best_only else ms:
                    yield doc, u, m

    def extract(self, X: Any, best_only: bool = False) -> "pd.DataFrame":
        """The extraction table: one row per (match, slot) in ``X`` (a Corpus, documents or texts).

        Columns: ``doc_id, unit_id, template_id, template, slot, type, value, number`` (the numeric
        value of NUM/PERCENT slots), ``value_start, value_end, value_raw_start, value_raw_end`` (where
        the value is, clean and raw offsets), ``start, end, raw_start, raw_end`` (the matched span)
        and ``sentence``. Templates without slots give one row with an empty slot.
        """
        with _gc_paused():
            return self._extract(X, best_only)

    def _extract(self, X: Any, best_only: bool) -> "pd.DataFrame":
        import pandas as pd

        # Every distinct core is matched once; its rows (template, slot, value, offsets in the core)
        # are stored once and laid out for each of its sentences by array indexing.
        seen: dict[str, tuple[int, int]] = {}  # core -> (first row pattern, number of rows)
        pat: dict[str, list[Any]] = {c: [] for c in ("template_id", "template", "slot", "type", "value", "number",
                                                     "start", "end", "value_start", "value_end")}
        numbers: dict[str, float | None] = {}
        sentences: dict[str, str] = {}
        doc_ids: list[str] = []
        u_doc: list[int] = []
        u_uid: list[str] = []
        u_core_start: list[int] = []
        u_sentence: list[str] = []
        u_first: list[int] = []
        u_count: list[int] = []
        docs = _as_documents(X)
        for d, doc in enumerate(docs):
            doc_ids.append(doc.id)
            text = doc.text
            sents = list(_core_spans(text, ((x.start, x.end) for x in doc.structure.sentences)))
            new = list(dict.fromkeys(x[5] for x in sents if x[5] not in seen))
            for core, ms in zip(new, self.match_cores(new)):  # the document's new cores, at once
                first = len(pat["template_id"])
                for m in ms[:1] if best_only else ms:
                    self._row_patterns(m, pat, numbers)
                seen[core] = (first, len(pat["template_id"]) - first)
            for k, s, e, cs, _ce, core in sents:
                ent = seen[core]
                if not ent[1]:
                    continue
                u_doc.append(d)
                u_uid.append(f"{doc.id}#t{k}")
                u_core_start.append(cs)
                sent = text[s:e]
                u_sentence.append(sentences.setdefault(sent, sent))  # one string for each distinct sentence
                u_first.append(ent[0])
                u_count.append(ent[1])
        if not u_count:
            df = pd.DataFrame([], columns=EXTRACT_COLUMNS)
            df["number"] = df["number"].astype(object)
            return df
        count = np.array(u_count, dtype=np.int64)
        unit = np.repeat(np.arange(len(count)), count)  # the unit of each row
        offset = np.arange(len(unit)) - np.repeat(np.cumsum(count) - count, count)
        row = np.repeat(np.array(u_first, dtype=np.int64), count) + offset  # its row pattern
        base = np.array(u_core_start, dtype=np.int64)[unit]

        def take(name: str) -> np.ndarray:
            return np.array(pat[name], dtype=np.int64)[row] + base

        def objects(values: list[Any], index: np.ndarray) -> np.ndarray:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            return arr[index]

        start, end, v_start, v_end = take("start"), take("end"), take("value_start"), take("value_end")
        raw_start, raw_end = np.empty_like(start), np.empty_like(start)
        v_raw_start, v_raw_end = np.empty_like(start), np.empty_like(start)
        row_doc = np.array(u_doc, dtype=np.int64)[unit]
        cuts = np.flatnonzero(np.r_[True, row_doc[1:] != row_doc[:-1], True])
        for lo, hi in zip(cuts[:-1], cuts[1:]):  # raw offsets, one document at a time
            doc = docs[int(row_doc[lo])]
            sl = slice(int(lo), int(hi))
            raw_start[sl], raw_end[sl] = _raw_span_arrays(doc, start[sl], end[sl])
            v_raw_start[sl], v_raw_end[sl] = _raw_span_arrays(doc, v_start[sl], v_end[sl])
        no_slot = objects(pat["slot"], row) == ""
        v_raw_start[no_slot] = raw_start[no_slot]  # a template without slots: an empty value at its start
        v_raw_end[no_slot] = raw_start[no_slot]
        cols = {
            "doc_id": objects(doc_ids, row_doc),
            "unit_id": objects(u_uid, unit),
            "template_id": objects(pat["template_id"], row),
            "template": objects(pat["template"], row),
            "slot": objects(pat["slot"], row),
            "type": objects(pat["type"], row),
            "value": objects(pat["value"], row),
            "number": objects(pat["number"], row),
            "value_start": v_start, "value_end": v_end, "value_raw_start": v_raw_start, "value_raw_end": v_raw_end,
            "start": start, "end": end, "raw_start": raw_start, "raw_end": raw_end,
            "sentence": objects(u_sentence, unit),
        }
        return pd.DataFrame(cols, columns=EXTRACT_COLUMNS)

    @staticmethod
    def _row_patterns(m: TemplateMatch, pat: dict[str, list[Any]], numbers: dict[str, float | None]) -> None:
        """The extraction rows of one match, offsets relative to the core (one row per slot)."""
        t = m.template
        for slot in t.slots or [None]:
            pat["template_id"].append(t.id)
            pat["template"].append(t.template)
            pat["start"].append(m.start)
            pat["end"].append(m.end)
            if slot is None:
                name = kind = value = ""
                num = None
                vs = ve = m.start
            else:
                name, kind, value = slot.name, slot.type, m.values[slot.name]
                vs, ve = m.spans[slot.name]
                num = None
                if kind in ("NUM", "PERCENT"):
                    if value not in numbers:
                        numbers[value] = parse_number(value)
                    num = numbers[value]
            pat["slot"].append(name)
            pat["type"].append(kind)
            pat["value"].append(value)
            pat["number"].append(num)
            pat["value_start"].append(vs)
            pat["value_end"].append(ve)

    def iter_instance_rows(self) -> Iterator[dict[str, Any]]:
        """The rows of :meth:`instances_frame` one at a time (``write_csv`` streams them)."""
        for t in self.templates:
            for i in t.instances:
                yield {"template_id": t.id, "template": t.template, "doc_id": i.doc_id, "unit_id": i.unit_id,
                       "start": i.start, "end": i.end, "raw_start": i.raw_start, "raw_end": i.raw_end,
                       "sentence": i.sentence, "slot_values": dict(i.slot_values)}

    def instances_frame(self) -> "pd.DataFrame":
        """The mined instances: one row per (template, sentence), slot values as a JSON object."""
        import pandas as pd

        return pd.DataFrame(list(self.iter_instance_rows()), columns=INSTANCE_COLUMNS)

    # ---- filling and display
    def fill(self, key: str, values: Mapping[str, Any] | None = None, strict: bool = True) -> str:
        """Render the template with id ``key`` (or given as template text) with slot values."""
        t = self._by_id.get(key) or Template.from_text(key)
        return t.fill(values or {}, strict=strict)

    def to_markdown(self, max_examples: int = 3, title: str = "Sentence templates") -> str:
        """The templates as Markdown: template, support, slots with their values, examples."""
        lines = [f"# {title}", "", f"{len(self)} templates, best supported first. "
                 "`…` marks a template that may start or end inside a sentence (after or before a clause).", ""]
        for t in self.templates:
            text = ("…" if t.open_start else "") + t.template + ("…" if t.open_end else "")
            lines.append(f"## `{text}`")
            lines.append("")
            lines.append(f"- id `{t.id}`, {t.support} documents, {len(t.instances)} sentences: {', '.join(t.doc_ids)}")
            for s in t.slots:
                vals = ", ".join(f"`{v}`" for v in s.values[:8]) + (" …" if len(s.values) > 8 else "")
                empty = f" (empty in {s.n_empty})" if s.n_empty else ""
                lines.append(f"- `{{{s.name}}}` {s.type}: {vals}{empty}")
            for inst in t.instances[:max_examples]:
                lines.append(f"  - {inst.doc_id}: {inst.sentence}")
            lines.append("")
        return "\n".join(lines)


# =========================================================================== the miner


@dataclass
class _Group:
    members: list[int]
    pieces: list[str]
    open_start: bool
    open_end: bool
    fixed: int
    peak: int
    fit: Any = None  # the fit of ``pieces`` to ``members`` when already known (a sentence repeated verbatim)


class TemplateMiner(BaseEstimator):
    """Mine sentence templates shared across documents.

    Parameters
    ----------
    min_support : a template needs instances in this many documents.
    min_fixed : fixed characters a whole-sentence template keeps (headings are short).
    min_fixed_context : fixed characters of a template with context clauses before or after it.
    min_fixed_embedded : fixed characters of a template with context on both sides in some sentence.
    min_coverage : in every instance, fixed text + typed slot values cover this share of the span.
    keep_ratio, max_loss : a merge may shrink a group's fixed text to ``keep_ratio`` of its best,
        or by at most ``max_loss`` characters (so ``现将工作总结如下`` joins ``现将活动开展情况总结如下``
        but a long frame is not swallowed by a short shared phrase).
    align : ``"char"`` (characters, digits masked; robust to jieba cutting 我镇 / 我|镇 differently)
        or ``"token"`` (jieba tokens).
    aligner : ``"lcs"`` (longest common subsequence, rapidfuzz) or ``"difflib"`` (standard library).
    tokenizer : callable ``str -> tokens`` covering the text (default: jieba with punctuation kept),
        used to snap slot edges to word boundaries and for ``align="token"``.
    snap_words : widen slot edges that fall inside a word in every instance.
    rematch : after grouping, match unassigned sentences against the new templates.
    min_block, min_piece : shortest common run kept by the aligner / interior fixed piece kept.
    window, min_anchor, ngram, min_shared, max_df, max_posting, max_candidates : blocking, see
        :func:`candidate_pairs`.
    progress : show a tqdm bar over candidate pairs.

    Fitted attributes: ``units_`` (the sentence units: a read-only sequence of
    :class:`SentenceUnit`, each made on access), ``templates_``, ``library_``, ``labels_`` (template
    id of each unit or None), ``groups_`` (unit ids and pieces of each merged group),
    ``n_candidates_`` (candidate pairs of distinct cores).

    Work and memory grow with the *distinct* sentence cores, not with the sentences: at scale, where
    most sentences recur (copies, perturbed copies), a repeated sentence costs one core. Python's
    cyclic garbage collector is paused during :meth:`fit` (see :func:`_gc_paused`).
    """

    def __init__(
        self,
        min_support: int = 2,
        min_fixed: int = 4,
        min_fixed_context: int = 7,
        min_fixed_embedded: int = 10,
        min_coverage: float = 0.5,
        keep_ratio: float = 0.5,
        max_loss: int = 8,
        align: str = "char",
        aligner: str = "lcs",
        tokenizer: Callable[[str], list[str]] | None = None,
        snap_words: bool = True,
        rematch: bool = True,
        min_block: int = 2,
        min_piece: int = 2,
        window: int = 4,
        min_anchor: int = 4,
        ngram: int = 6,
        min_shared: int = 6,
        max_df: int = 50,
        max_posting: int = 64,
        max_candidates: int = 4,
        progress: bool = False,
    ):
        self.min_support = min_support
        self.min_fixed = min_fixed
        self.min_fixed_context = min_fixed_context
        self.min_fixed_embedded = min_fixed_embedded
        self.min_coverage = min_coverage
        self.keep_ratio = keep_ratio
        self.max_loss = max_loss
        self.align = align
        self.aligner = aligner
        self.tokenizer = tokenizer
        self.snap_words = snap_words
        self.rematch = rematch
        self.min_block = min_block
        self.min_piece = min_piece
        self.window = window
        self.min_anchor = min_anchor
        self.ngram = ngram
        self.min_shared = min_shared
        self.max_df = max_df
        self.max_posting = max_posting
        self.max_candidates = max_candidates
        self.progress = progress

    # ---- public
    def fit(self, X: Any, y: Any = None) -> "TemplateMiner":
        """Mine templates from a Corpus, documents or texts (sentences come from their structure)."""
        docs = _as_documents(X)
        with _gc_paused():
            return self._fit_units(_UnitTable.from_documents(docs), {d.id: d for d in docs})

    def fit_sentences(self, sentences: Sequence[str], doc_ids: Sequence[str]) -> "TemplateMiner":
        """Mine templates from given sentences (one unit each) with the document each comes from."""
        if len(sentences) != len(doc_ids):
            raise ValueError("sentences and doc_ids differ in length")
        with _gc_paused():
            return self._fit_units(_UnitTable.from_sentences(sentences, doc_ids), {})

    def transform(self, X: Any) -> "pd.DataFrame":
        """The extraction table of ``X`` with the mined templates (see :meth:`TemplateLibrary.extract`)."""
        self._check()
        return self.library_.extract(X)

    def fit_transform(self, X: Any, y: Any = None) -> "pd.DataFrame":
        return self.fit(X).transform(X)

    def _check(self) -> None:
        if not hasattr(self, "library_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this TemplateMiner is not fitted yet; call fit() first")

    # ---- internals
    def _tokenize(self) -> Callable[[str], list[str]]:
        if self.tokenizer is not None:
            tok = self.tokenizer
            return tok.cut if hasattr(tok, "cut") else tok
        from .tokenize import Tokenizer

        return Tokenizer(keep_punct=True, stopwords=False).cut

    def _rules(self) -> _Rules:
        return _Rules(self.min_fixed, self.min_fixed_context, self.min_fixed_embedded, self.min_coverage)

    def _fit_units(self, units: _UnitTable, docs: Mapping[str, Any]) -> "TemplateMiner":
        tokenize = self._tokenize()
        cache: dict[str, list[str]] = {}

        def cut(text: str) -> list[str]:
            t = cache.get(text)
            if t is None:
                t = cache[text] = list(tokenize(text))
            return t

        enc = _Encoder(self.align, cut)
        rules = self._rules()
        # Everything below works on distinct cores: a sentence repeated in many documents is aligned,
        # fitted and matched once; its units follow it (fitting a frame to a core twice changes nothing).
        dist = _Distinct.of(units.cores(), units.name_of)
        cores = dist.cores
        weight = dist.n_units
        norms = [_norm(c) for c in cores]  # the same string objects as ``cores`` where there is no digit
        codes: dict[int, tuple[str, list[int]]] = {}

        def code(i: int) -> tuple[str, list[int]]:
            if enc.mode == "char":  # what enc.encode gives, already made
                return norms[i], _IDENTITY
            c = codes.get(i)
            if c is None:
                c = codes[i] = enc.encode(cores[i])
            return c

        marks: dict[int, list[int]] = {}

        def mark(i: int) -> list[int]:
            m = marks.get(i)
            if m is None:
                m = marks[i] = [x.start() for x in _FIRST_CLAUSE.finditer(cores[i])]
            return m

        _, p_i, p_j = _core_pairs(norms, dist.single_doc, lambda cs: dist.n_docs(cs.tolist()), self.min_anchor,
                                  self.window, self.ngram, self.min_shared, self.max_df, self.max_posting,
                                  self.max_candidates)
        self.n_candidates_ = len(p_i)

        # 1. align every candidate pair; keep valid frames, best (most fixed text) first. A core in
        # several documents is a frame by itself (its copies align completely).
        # (fixed, coverage, i, j, (pieces, open start, open end, the fit itself for a verbatim sentence))
        scored: list[tuple[int, float, int, int, tuple]] = []
        for c in np.flatnonzero(dist.single_doc < 0).tolist():
            f = _fit([cores[c]], [cores[c]], rules)
            if f is not None:
                scored.append((f.fixed, f.coverage, c, c, (f.pieces, False, False, f)))
        it: Iterable = zip(p_i.tolist(), p_j.tolist())
        if self.progress:
            from tqdm.auto import tqdm

            it = tqdm(it, total=len(p_i), desc="align", unit="pair", leave=False)
        for i, j in it:
            ca, oa = code(i)
            cb, ob = code(j)
            blocks = _blocks(ca, oa, cores[i], cb, ob, cores[j], self.min_block, self.aligner)
            pair = [cores[i], cores[j]]
            f = _best_frame(blocks, cores[i], len(cores[i]), len(cores[j]), self.min_piece,
                            lambda pc: _fit(pc, pair, rules), min_fixed=self.min_fixed, marks=(mark(i), mark(j)))
            if f is not None:
                scored.append((f.fixed, f.coverage, i, j, (f.pieces, f.open_start, f.open_end, None)))
        del it, p_i, p_j
        scored.sort(key=lambda s: (-s[0], -s[1], s[2], s[3]))

        # 2. greedy merging, best pairs first (a group's size counts its sentences)
        group_of: dict[int, int] = {}
        groups: dict[int, _Group] = {}
        size: dict[int, int] = {}

        def merged_frame(ga: _Group, other: _Group | None, member: int | None, members: list[int],
                         peak: int) -> _Fit | None:
            ta, oa, xa = enc.encode_pieces(ga.pieces, _SENT_A, ga.open_start, ga.open_end)
            if member is not None:
                tb, ob = code(member)
                xb = cores[member]
            else:
                tb, ob, xb = enc.encode_pieces(other.pieces, _SENT_B, other.open_start, other.open_end)
            blocks = _blocks(ta, oa, xa, tb, ob, xb, self.min_block, self.aligner)
            mcores = [cores[m] for m in members]

            def fit(pc: list[str]) -> _Fit | None:
                f = _fit(pc, mcores, rules)
                if f is None or (f.fixed < self.keep_ratio * peak and peak - f.fixed > self.max_loss):
                    return None
                return f

            return _best_frame(blocks, xa, len(xa), len(xb), self.min_piece, fit, min_fixed=self.min_fixed,
                               anchored_single=False)

        next_id = 0
        for fixed, _, i, j, (pieces, open_start, open_end, known) in scored:
            gi, gj = group_of.get(i), group_of.get(j)
            if gi is not None and gi == gj:
                continue
            if gi is None and gj is None:
                groups[next_id] = _Group([i, j] if i != j else [i], pieces, open_start, open_end, fixed, fixed, known)
                size[next_id] = int(weight[i]) + (int(weight[j]) if i != j else 0)
                group_of[i] = group_of[j] = next_id
                next_id += 1
                continue
            gb: _Group | None = None
            if gi is not None and gj is not None:
                ga, gb = groups[gi], groups[gj]
                if size[gi] < size[gj] or (size[gi] == size[gj] and gi > gj):
                    gi, gj, ga, gb = gj, gi, gb, ga
                members = ga.members + gb.members
                peak = max(ga.peak, gb.peak)
                f = merged_frame(ga, gb, None, members, peak)
            else:
                if gi is None:
                    i, j, gi = j, i, gj
                ga = groups[gi]
                members = ga.members + [j]
                peak = ga.peak
                f = merged_frame(ga, None, j, members, peak)
            if f is None:
                continue
            ga.members = members
            ga.pieces, ga.open_start, ga.open_end, ga.fixed = f.pieces, f.open_start, f.open_end, f.fixed
            ga.fit = None
            ga.peak = max(peak, f.fixed)
            for m in members:
                group_of[m] = gi
            if gb is not None:
                size[gi] += size.pop(gj)
                del groups[gj]
            else:
                size[gi] += int(weight[j])

        # what only alignment and merging need goes before the next allocations (a smaller peak, and
        # the long-lived objects made below reuse the freed heap instead of growing it)
        del scored, merged_frame
        codes.clear()
        marks.clear()

        def unit_ids(members: Iterable[int]) -> list[str]:
            return [r[1] for r in units.rows(sorted(k for m in members for k in dist.units_of(m).tolist()))]

        ordered = sorted(groups.values(), key=lambda g: min(g.members))
        self.groups_ = [(unit_ids(g.members), list(g.pieces)) for g in ordered]

        # 3. finalise: refine slots, type and name them, build templates
        prepared = []
        for g in ordered:
            members = sorted(g.members)
            if dist.n_docs(members) < self.min_support:
                continue
            prep = self._prepare(g, members, cores, rules)
            if prep is not None:
                prepared.append((members, prep))
        inside: dict[int, set[int]] = {}
        if self.snap_words:  # where a slot edge may cut a word: one segmenter call over small windows
            requests: dict[int, set[int]] = defaultdict(set)
            for members, (f, g, spans, _) in prepared:
                for i, (m, edges) in enumerate(zip(members, _edges_in_words(g, spans))):
                    requests[m].update(len(f.lead[i]) + e for e in edges)
            inside = _inside_words({m: p for m, p in requests.items() if p}, cores, cut)
            del requests
        templates: dict[str, Template] = {}
        located: dict[int, tuple[str, int, list[str]]] = {}  # core -> (template id, context length, values)
        for members, prep in prepared:
            done = self._finalise(prep, members, cores, inside, rules)
            if done is None:
                continue
            t, where = done
            t = templates.setdefault(t.id, t)  # two groups may end with the same template: one template
            for m, (lead, values) in zip(members, where):
                located.setdefault(m, (t.id, lead, values))
        del prepared, ordered, groups, group_of, size, inside
        cache.clear()  # the segmenter's tokens of the word windows

        # 4. members keep the template where its refined frame fits them; others may join by fitting
        labels: list[str | None] = [None] * len(cores)
        found: dict[int, tuple[int, list[str]]] = {}
        for m, (tid, lead, values) in sorted(located.items()):
            labels[m] = tid
            found[m] = (lead, values)
        del located
        if self.rematch and templates:
            lib_all = TemplateLibrary(templates.values())
            order = {t.id: k for k, t in enumerate(sorted(templates.values(), key=lambda t: (-t.fixed_chars, t.id)))}
            todo = [m for m in range(len(cores)) if labels[m] is None]
            candidates = lib_all._key_index().candidates_many([cores[m] for m in todo])
            for m, cands in zip(todo, candidates):
                for k in sorted(cands, key=lambda k: order[lib_all.templates[k].id]):
                    t = lib_all.templates[k]
                    hit = self._rematch(t, cores[m], rules)
                    if hit is not None:
                        labels[m] = t.id
                        found[m] = hit
                        break
        # instances: every sentence of a labelled core (arrays over the sentences, objects at the end)
        n_cores = len(cores)
        lead_of = np.zeros(n_cores, dtype=np.int64)
        span_of = np.zeros(n_cores, dtype=np.int64)
        tix_of = np.full(n_cores, -1, dtype=np.int64)  # index of the core's template
        tix = {tid: k for k, tid in enumerate(templates)}
        for m, (lead, values) in found.items():
            lead_of[m] = lead
            span_of[m] = templates[labels[m]].fixed_chars + sum(len(v) for v in values)
            tix_of[m] = tix[labels[m]]
        hits = np.flatnonzero(tix_of[dist.unit_core] >= 0)
        hit_core = dist.unit_core[hits]
        starts = units.core_start[hits] + lead_of[hit_core]
        ends = starts + span_of[hit_core]
        raw_starts, raw_ends = _raw_span_runs(units.name_of[hits], units.names, starts, ends, docs)
        sentences: dict[str, str] = {}  # one string for each distinct sentence
        shared: dict[int, _SlotValues] = {}  # one read-only dict of slot values per core
        for m, (doc_id, unit_id, sent), st, en, rs, re_ in zip(hit_core.tolist(), units.rows(hits), starts.tolist(),
                                                               ends.tolist(), raw_starts.tolist(), raw_ends.tolist()):
            t = templates[labels[m]]
            sv = shared.get(m)
            if sv is None:
                sv = shared[m] = _SlotValues({sl.name: v for sl, v in zip(t.slots, found[m][1])})
            t.instances.append(Instance(doc_id, unit_id, sentences.setdefault(sent, sent), st, en, rs, re_, sv))
        del sentences, shared
        # each template's cores in the order of their first instance, with their numbers of instances
        order = np.argsort(tix_of[hit_core], kind="stable")
        by_t = tix_of[hit_core][order]
        cuts = np.flatnonzero(np.r_[True, by_t[1:] != by_t[:-1], True]) if len(by_t) else np.zeros(1, dtype=np.int64)
        core_counts: dict[int, list[tuple[int, int]]] = {}
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
            seq = hit_core[order[lo:hi]]
            uniq, first, count = np.unique(seq, return_index=True, return_counts=True)
            o = np.argsort(first)
            core_counts[int(by_t[lo])] = list(zip(uniq[o].tolist(), count[o].tolist()))
        unit_labels = [labels[m] for m in dist.unit_core.tolist()]
        final = []
        rank: dict[str, tuple] = {}
        for t in templates.values():
            support = len({inst.doc_id for inst in t.instances})
            if support < self.min_support:
                continue
            cc = core_counts.get(tix[t.id], [])
            for j, sl in enumerate(t.slots):
                sl.values = list(dict.fromkeys(found[m][1][j] for m, _ in cc if found[m][1][j]))
                sl.n_empty = sum(c for m, c in cc if not found[m][1][j])
            t._regex = t._plan = None
            final.append(t)
            rank[t.id] = (-support, -len(t.instances), -t.fixed_chars, t.template)
        final.sort(key=lambda t: rank[t.id])
        keep = {t.id for t in final}
        self.units_ = units
        self.labels_ = [tid if tid in keep else None for tid in unit_labels]
        self.templates_ = final
        self.library_ = TemplateLibrary(final)
        return self

    @staticmethod
    def _rematch(t: Template, core: str, rules: _Rules) -> tuple[int, list[str]] | None:
        """Where ``core`` instantiates ``t`` by the mining rules (context allowed on either side):
        ``(context length, slot values)``, or None.

        On success the template opens on the side where this sentence has context; closed slot
        types must hold."""
        pieces = t.pieces
        f = _fit(pieces, [core], rules, open_start=True, open_end=True)
        if f is None or f.pieces != pieces:
            return None  # (an edge slot empty here would be context, not this template)
        for sl, v in zip(t.slots, f.values[0]):
            if v and sl.type in ("NUM", "PERCENT", "DATE", "PLACEHOLDER") and classify(v) != sl.type:
                return None
            if not v and sl.type != "TEXT" and sl.n_empty == 0:
                return None
        if f.lead[0] and not t.open_start:
            t.open_start, t._regex, t._plan = True, None, None
        if f.trail[0] and not t.open_end:
            t.open_end, t._regex, t._plan = True, None, None
        return len(f.lead[0]), f.values[0]

    @staticmethod
    def _prepare(group: _Group, members: list[int], cores: list[str], rules: _Rules) -> tuple | None:
        """The group's frame fitted to its members, cut to the frame spans, slots widened to values."""
        mcores = [cores[m] for m in members]
        f = group.fit  # a verbatim sentence: fitted when its frame was made, with these same arguments
        if f is None:
            f = _fit(group.pieces, mcores, rules, group.open_start, group.open_end)
        if f is None:
            return None
        spans = [c[len(f.lead[i]): len(c) - len(f.trail[i])] for i, c in enumerate(mcores)]
        g = _Fit(list(f.pieces), [list(v) for v in f.values], [""] * len(spans), [""] * len(spans), f.fixed, f.coverage)
        _snap_entities(g, spans)
        # the final check refits the refined frame: when nothing changed, it is this very call
        same = list(group.pieces) == f.pieces and group.open_start == f.open_start and group.open_end == f.open_end
        return f, g, spans, same

    def _finalise(self, prep: tuple, members: list[int], cores: list[str],
                  inside: Mapping[int, set[int]], rules: _Rules) -> tuple[Template, list[tuple[int, list[str]]]] | None:
        """The template of a prepared group, and where it sits in each member (context length, values)."""
        f, g, spans, same = prep
        mcores = [cores[m] for m in members]
        if all(m in inside for m in members):
            span_inside = []
            for i, m in enumerate(members):
                off, n = len(f.lead[i]), len(spans[i])
                span_inside.append({q - off for q in inside[m] if off < q < off + n})
            _snap_words(g, spans, span_inside)
        _narrow_numbers(g)
        _merge_empty_pieces(g)
        # the refined frame must still be a valid frame of every member
        check = f if same and g.pieces == f.pieces else _fit(g.pieces, mcores, rules, f.open_start, f.open_end)
        if check is None or check.pieces != g.pieces:
            return None
        names, types = [], []
        used: Counter = Counter()
        for k in range(len(g.pieces) - 1):
            col = [v[k] for v in g.values]
            kind = slot_type(col, before=g.pieces[k], after=g.pieces[k + 1])
            name = slot_name(kind, before=g.pieces[k], after=g.pieces[k + 1])
            used[name] += 1
            names.append(name if used[name] == 1 else f"{name}_{used[name]}")
            types.append(kind)
        text = render(g.pieces, names)
        slots = [Slot(n, kind, [], sum(1 for v in g.values if not v[k])) for k, (n, kind) in enumerate(zip(names, types))]
        where = [(len(check.lead[i]), check.values[i]) for i in range(len(members))]
        return Template(template_id(text), text, slots, [], check.open_start, check.open_end), where


# =========================================================================== skeletons


@dataclass
class Skeleton:
    """A writer's skeleton: the common outline, and under each section its templates."""

    n_docs: int
    source: str
    sections: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "source": self.source, "sections": self.sections}

    def to_markdown(self, title: str = "Document skeleton") -> str:
        src = {"section_types": "section types clustered by gkcorpus.outline",
               "headings": "normalised level-1 headings"}.get(self.source, self.source)
        lines = [f"# {title}", "", f"Common outline of {self.n_docs} documents ({src}); under each part, the "
                 "best-supported templates found there. Fill the `{SLOTS}`; `…` marks where free text goes.", ""]
        for k, sec in enumerate(self.sections, 1):
            lines.append(f"## {k}. {sec['name']}")
            lines.append("")
            lines.append(f"In {sec['support']} of {self.n_docs} documents.")
            if sec.get("headings"):
                lines.append("Usual headings: " + "; ".join(f"{h} ({c})" for h, c in sec["headings"][:5]) + ".")
            lines.append("")
            for t in sec["templates"]:
                text = ("…" if t["open_start"] else "") + t["template"] + ("…" if t["open_end"] else "")
                lines.append(f"- `{text}` — {t['support']} documents")
                if t.get("example"):
                    ex = t["example"] if len(t["example"]) <= 90 else t["example"][:88] + "…"
                    lines.append(f"  - e.g. {ex}")
            if not sec["templates"]:
                lines.append("- (no shared template here)")
            lines.append("")
        return "\n".join(lines)


_SECTION_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("指导思想", ("指导思想", "总体要求", "总体目标")),
    ("基本原则", ("基本原则", "工作原则")),
    ("基本情况", ("基本情况", "开展情况", "总体情况", "活动情况", "工作情况", "工作回顾")),
    ("存在问题", ("问题", "不足")),
    ("下一步打算", ("下一步", "打算", "今后", "工作目标", "工作要求", "工作计划", "工作建议")),
    ("工作成效", ("成效", "成绩", "效果")),
    ("保障措施", ("保障",)),
    ("主要做法", ("做法", "措施", "举措", "主要工作", "工作开展", "具体工作")),
    ("工作步骤", ("步骤", "阶段", "安排")),
    ("体会", ("体会", "经验", "启示")),
)


def normalise_heading(text: str) -> str:
    """A heading's section name: a keyword class (存在问题, 下一步打算…) or the heading text itself."""
    t = re.sub(r"[\s。！？；：，、.!?;:,]+$", "", _MARKER.sub("", text.strip()))
    for name, keys in _SECTION_KEYWORDS:
        if any(k in t for k in keys):
            return name
    return t


def _segments_by_headings(doc: Any) -> list[tuple[int, int, str, str]]:
    """``(start, end, section name, heading)`` of a document's opening, level-1 sections and closing paragraph."""
    st = doc.structure
    tops = [s for s in st.sections if s.heading is not None]
    out: list[tuple[int, int, str, str]] = []
    first = tops[0].start if tops else len(doc.text)
    body = [p for p in st.paragraphs if p.kind == "body"]
    if first > 0 and doc.text[:first].strip():
        out.append((0, first, "开头", ""))
    for s in tops:
        out.append((s.start, s.end, normalise_heading(s.heading.text), s.heading.text))
    if body and tops and body[-1].start >= tops[-1].start:
        last = body[-1]
        if not any(h.start == last.start for h in st.headings):
            out.append((last.start, last.end, "结尾", ""))
    return out


def _segments_by_types(corpus: Any, typer: Any = None,
                       common: Any = None) -> tuple[dict[str, list[tuple[int, int, str, str]]], list[str]] | None:
    """Segments typed by :class:`gkcorpus.outline.SectionTyper`, and the consensus order (None if unavailable).

    ``typer``: a SectionTyper already fitted on ``corpus`` (used as is); else one is fitted here.
    ``common``: its common outline (:func:`gkcorpus.outline.common_outline`), when already computed.
    """
    try:
        from .outline import SectionTyper, common_outline
    except ImportError:
        return None
    try:
        if typer is None:
            typer, common = SectionTyper(random_state=0).fit(corpus), None
        outline = common if common is not None else common_outline(typer.outlines(), typer.types_)
    except Exception:  # the clustering needs enough text; fall back to headings
        return None
    names = {t.type_id: t.name for t in typer.types_}
    segs: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    df = typer.segments_
    heads = df["heading"].tolist() if "heading" in df.columns else [""] * len(df)
    for doc_id, s, e, kind, head in zip(df["doc_id"].tolist(), df["start"].tolist(), df["end"].tolist(),
                                        df["type"].tolist(), heads):
        segs[str(doc_id)].append((int(s), int(e), names.get(int(kind), f"T{int(kind)}"), str(head or "")))
    order = [names.get(c["type"], c["name"]) for c in outline.consensus]
    return segs, order


def _place_instances(library: TemplateLibrary, segs: Mapping[str, Sequence[tuple[int, int, str, str]]]
                     ) -> list[tuple[int, int, str, str]]:
    """``(template index, instance index, doc id, part name)`` of every instance lying in a part of its
    document (the first part, in list order, holding its start), in library and instance order."""
    by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for ti, t in enumerate(library.templates):
        for k, inst in enumerate(t.instances):
            by_doc[inst.doc_id].append((ti, k, inst.start))
    out: list[tuple[int, int, int, str, str]] = []
    for doc_id, items in by_doc.items():
        doc_segs = segs.get(doc_id)
        if not doc_segs:
            continue
        starts = np.array([x[0] for x in doc_segs], dtype=np.int64)
        ends = np.array([x[1] for x in doc_segs], dtype=np.int64)
        pos = np.array([x[2] for x in items], dtype=np.int64)
        if len(doc_segs) < 2 or (np.all(ends[:-1] <= starts[1:]) and np.all(starts <= ends)):
            # sorted, disjoint parts: the last starting at or before the position (an empty one holds nothing)
            k = np.searchsorted(starts, pos, side="right") - 1
            ok = (k >= 0) & (pos < ends[np.maximum(k, 0)]) & (pos >= starts[np.maximum(k, 0)])
            hit = np.where(ok, k, -1).tolist()
        else:  # overlapping parts (a closing paragraph inside the last section): the first holding it
            hit = [next((j for j, x in enumerate(doc_segs) if x[0] <= p < x[1]), -1) for p in pos.tolist()]
        for (ti, k, _), h in zip(items, hit):
            if h >= 0:
                out.append((ti, k, len(out), doc_id, doc_segs[h][2]))
    out.sort()
    return [(ti, k, doc_id, name) for ti, k, _, doc_id, name in out]


def skeleton(corpus: "Corpus", library: TemplateLibrary, max_templates: int = 5, min_support: float = 0.2,
             section_types: bool = True, typer: Any = None, common: Any = None) -> Skeleton:
    """The corpus's common outline with its best-supported templates under each part.

    Sections come from :class:`gkcorpus.outline.SectionTyper` when ``section_types`` (and it can be
    fitted), else from normalised level-1 headings (``三、下一步工作打算`` -> 下一步打算), plus the
    opening (text before the first heading) and the closing paragraph. A part is listed when it
    appears in at least ``min_support`` of the documents, in the order of its median position.

    ``typer``: a :class:`~gkcorpus.outline.SectionTyper` already fitted on ``corpus`` (such as
    ``cluster_corpus(corpus).typer``): its segments are used as they are, instead of fitting a new
    one (which segments and clusters the whole corpus again); ``common``: its common outline (such
    as ``cluster_corpus(corpus).common``), else computed from the typer's outlines.
    """
    with _gc_paused():
        return _skeleton(corpus, library, max_templates, min_support, section_types, typer, common)


def _skeleton(corpus: "Corpus", library: TemplateLibrary, max_templates: int, min_support: float,
              section_types: bool, typer: Any, common: Any) -> Skeleton:
    docs = list(corpus)
    typed = _segments_by_types(corpus, typer, common) if section_types else None
    if typed is not None:
        segs, order = typed
        source = "section_types"
    else:
        segs = {d.id: _segments_by_headings(d) for d in docs}
        order = []
        source = "headings"
    lengths = {d.id: max(len(d.text), 1) for d in docs}
    support: dict[str, set[str]] = defaultdict(set)
    positions: dict[str, list[float]] = defaultdict(list)
    headings: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for s, e, name, head in segs.get(d.id, []):
            if d.id not in support[name]:
                positions[name].append(s / lengths[d.id])
            support[name].add(d.id)
            if head:
                headings[name][head] += 1
    need = max(2, int(round(min_support * len(docs)))) if len(docs) > 1 else 1
    names = [n for n in support if len(support[n]) >= need]
    # By median position; the opening and closing parts of the common outline stay first and last.
    first, last = (order[0], order[-1]) if order else (None, None)

    def place(n: str) -> tuple:
        edge = 0 if n == first else 2 if n == last else 1
        return (edge, sorted(positions[n])[len(positions[n]) // 2], n)

    names.sort(key=place)
    # where each template's instances fall: the first of the document's parts holding the start
    placed: dict[str, Counter] = defaultdict(Counter)
    example: dict[tuple[str, str], str] = {}
    where = _place_instances(library, segs)
    seen: set[tuple[int, str, str]] = set()
    for ti, k, doc_id, name in where:
        t = library.templates[ti]
        if (ti, doc_id, name) not in seen:
            placed[name][t.id] += 1
            seen.add((ti, doc_id, name))
        if (name, t.id) not in example:
            example[(name, t.id)] = t.instances[k].sentence
    sections = []
    for n in names:
        ranked = heapq.nsmallest(max(max_templates, 1), ((tid, c) for tid, c in placed[n].items() if c >= 2),
                                 key=lambda kv: (-kv[1], -library[kv[0]].fixed_chars, kv[0]))
        tmpl = []
        for tid, c in ranked:
            t = library[tid]
            tmpl.append({"id": tid, "template": t.template, "support": c, "open_start": t.open_start,
                         "open_end": t.open_end, "example": example.get((n, tid), "")})
            if len(tmpl) >= max_templates:
                break
        sections.append({"name": n, "support": len(support[n]), "headings": headings[n].most_common(5),
                         "templates": tmpl})
    return Skeleton(len(docs), source, sections)

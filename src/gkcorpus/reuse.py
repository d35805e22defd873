"""Cross-document reuse: passages two or more documents share, verbatim or near-verbatim.

Two detectors, neither quadratic in the number of sentences:

* **verbatim** -- maximal repeated substrings of the concatenated clean texts, found with a
  suffix array and its LCP array (:class:`TextIndex`, pydivsufsort). Every paragraph break and
  every document end is a separator, so no repeat crosses a paragraph. A repeat that spans two
  or more documents is snapped to clause boundaries (``，。；！？：``) and kept when it still holds
  ``min_chars`` Han characters; its occurrences are then all the places its text occurs (found
  again in the suffix array). The LCP intervals and the snapping are computed with numpy over
  all repeats at once.
* **near** -- sentences whose character 3-gram sets have Jaccard similarity of at least
  ``near_threshold``. Identical sentences are handled once (a distinct text with its
  occurrences); candidates among the distinct texts come from MinHash LSH banding (the
  signatures are datasketch's ``affine32`` MinHash with its default SHA-1 shingle hash and the
  bands those of ``datasketch.MinHashLSH``, computed with numpy: the same candidates), each
  candidate pair is checked exactly, and the pairs are grouped (connected components). A group whose sentences differ is one passage: the most common wording is the
  passage text, the others are variants with what differs (difflib opcodes).

Per-document work (encoding, sentences) is in pure functions over one document; the suffix
array, the LSH banding and the grouping combine them at corpus level. Memory stays in compact
arrays: int32 suffix and LCP arrays when the text fits, a 16-bit alphabet for sorting, and the
occurrences of verbatim passages as arrays whose :class:`Occurrence` records are made on access
(:class:`OccurrenceList`).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from functools import lru_cache
from operator import methodcaller
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from .nesting import nest

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus, Document

__all__ = [
    "SuffixArray",
    "TextIndex",
    "Occurrence",
    "Variant",
    "Passage",
    "OccurrenceList",
    "ReuseFinder",
    "SentenceRecord",
    "document_sentences",
    "sentence_signatures",
    "minhash_signatures",
    "shingle_sets",
    "shingles",
    "han_count",
    "stable_id",
    "covered_length",
    "merge_spans",
    "code_mask",
    "CLAUSE_DELIMITERS",
]

#: Characters that end a clause; passages are snapped to them.
CLAUSE_DELIMITERS = "，。；！？：,;!?:"
_STRIP_START = CLAUSE_DELIMITERS + "、 \u3000"
_STRIP_END = "，、：,: \u3000"
SEP_BASE = 0x110000  # above every Unicode code point: separator symbols start here
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_BITS = 21  # bits per code point when a short shingle is packed into one integer


def han_count(text: str) -> int:
    """Number of Han characters in ``text``."""
    return len(_HAN.findall(text))


def stable_id(prefix: str, text: str) -> str:
    """A short id from a hash of ``text``: the same text gives the same id in every run."""
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of half-open spans, sorted and non-overlapping."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def covered_length(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of ``spans``."""
    return sum(e - s for s, e in merge_spans(spans))


def code_mask(codes: np.ndarray, predicate: Callable[[str], bool], separators: bool = True) -> np.ndarray:
    """``predicate(chr(c))`` for every code of ``codes``, evaluated once per distinct character;
    separator symbols (``>= SEP_BASE``) give ``separators``."""
    is_sep = codes >= SEP_BASE
    seen = np.zeros(SEP_BASE, dtype=bool)
    seen[codes[~is_sep]] = True
    distinct = np.flatnonzero(seen)
    table = np.zeros(SEP_BASE, dtype=bool)
    table[distinct] = np.fromiter((bool(predicate(chr(c))) for c in distinct.tolist()), dtype=bool,
                                  count=len(distinct))
    out = table[np.where(is_sep, 0, codes)]
    out[is_sep] = separators
    return out


def _char_set_mask(codes: np.ndarray, chars: str) -> np.ndarray:
    """Per code: one of ``chars`` (separators never are); a table lookup, not a search."""
    table = np.zeros(SEP_BASE + 1, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table[np.minimum(codes, SEP_BASE)]


def _index_dtype(n: int) -> type:
    return np.int32 if n < np.iinfo(np.int32).max - 2 else np.int64


# --------------------------------------------------------------------------- suffix array


def encode_text(text: str) -> np.ndarray:
    """Code points of ``text`` (uint32); paragraph breaks are marked ``SEP_BASE`` for now."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    codes[codes == 10] = SEP_BASE
    return codes


def _build_sa(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Suffix array and LCP array of ``codes`` (int32 when the sequence fits)."""
    from pydivsufsort import divsufsort, kasai

    dtype = _index_dtype(len(codes))
    if not len(codes):
        return np.zeros(0, dtype=dtype), np.zeros(0, dtype=dtype)
    sa = np.asarray(divsufsort(codes))
    lcp = np.asarray(kasai(codes, sa))
    return sa.astype(dtype, copy=False), lcp.astype(dtype, copy=False)


def _nearest(h: np.ndarray, hp: np.ndarray, ks: np.ndarray, step: int, strict: bool) -> np.ndarray:
    """For each index ``k`` of ``ks``: the nearest index in direction ``step`` (+1 right, -1 left)
    whose value in ``h`` is smaller than ``h[k]`` (``strict``) or at most ``h[k]``; ``len(h)`` or
    -1 when there is none.

    ``hp`` is ``h`` padded with -1 on both sides; ``ks`` must hold every index whose value is at
    least the smallest value asked about. Pointer jumping: each unresolved pointer jumps to its
    target's pointer, so the loop runs about log2(longest run) rounds of vectorised work.
    """
    ptr = np.arange(step, len(h) + step, dtype=ks.dtype)
    u = ks
    v = h[u]
    while len(u):
        t = ptr[u]
        open_ = hp[t + 1] >= v if strict else hp[t + 1] > v
        u, v, t = u[open_], v[open_], t[open_]
        ptr[u] = ptr[t]
    return ptr[ks]


class SuffixArray:
    """Suffix array ``sa``, LCP array ``lcp`` and inverse ``isa`` of an integer sequence ``codes``.

    ``lcp[k]`` is the longest common prefix of the suffixes at ``sa[k]`` and ``sa[k + 1]``. The
    arrays are int32 when the sequence fits.
    """

    def __init__(self, codes: np.ndarray):
        self.codes = np.ascontiguousarray(codes)
        self.sa, self.lcp = _build_sa(self.codes)
        self._isa: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def isa(self) -> np.ndarray:
        """Inverse suffix array: the rank of the suffix at each position."""
        if self._isa is None:
            isa = np.empty_like(self.sa)
            isa[self.sa] = np.arange(len(self.sa), dtype=self.sa.dtype)
            self._isa = isa
        return self._isa

    def rank_range(self, pos: int, length: int) -> tuple[int, int]:
        """First and last rank of the suffixes starting with ``codes[pos:pos+length]``."""
        r = int(self.isa[pos])
        if length <= 0:
            return 0, len(self.sa) - 1
        lcp = self.lcp
        lo, step = r, 64
        while lo > 0:
            a = max(0, lo - step)
            bad = np.flatnonzero(lcp[a:lo] < length)
            if len(bad):
                lo = a + int(bad[-1]) + 1
                break
            lo, step = a, step * 2
        hi, step = r, 64
        n = len(self.sa)
        while hi < n - 1:
            b = min(n - 1, hi + step)
            bad = np.flatnonzero(lcp[hi:b] < length)
            if len(bad):
                hi = hi + int(bad[0])
                break
            hi, step = b, step * 2
        return lo, hi

    def count(self, pos: int, length: int) -> int:
        """Number of occurrences of ``codes[pos:pos+length]``."""
        lo, hi = self.rank_range(pos, length)
        return hi - lo + 1

    def occurrences(self, pos: int, length: int) -> np.ndarray:
        """Sorted positions of every occurrence of ``codes[pos:pos+length]``."""
        if length <= 0:
            return np.zeros(0, dtype=self.sa.dtype)
        lo, hi = self.rank_range(pos, length)
        return np.sort(self.sa[lo : hi + 1])

    def interval_table(
        self, min_len: int = 1, max_len: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every LCP interval with ``min_len <= length <= max_len``, computed with numpy.

        Returns ``(length, lb, rb, ks, owner)``: an interval is a repeated substring that cannot be
        extended to the right without losing an occurrence (a right-maximal repeat), its
        occurrences are ``sa[lb:rb+1]``. ``ks`` are the LCP indices where a child of an interval
        starts (``lcp[k]`` equals the interval's length; ascending) and ``owner`` the row of that
        interval. Rows are ordered by length, then first rank.
        """
        n = len(self.sa)
        dt = self.sa.dtype
        empty = np.zeros(0, dtype=dt)
        if n < 2:
            return empty, empty, empty, empty, empty
        h = self.lcp[: n - 1]
        if max_len is not None:  # deeper intervals merge into one level, dropped below
            h = np.minimum(h, max_len + 1)
        ks = np.flatnonzero(h >= min_len).astype(dt)
        if not len(ks):
            return empty, empty, empty, empty, empty
        hp = np.empty(n + 1, dtype=h.dtype)
        hp[0] = hp[-1] = -1
        hp[1:-1] = h
        rb = _nearest(h, hp, ks, 1, strict=True)  # next index with a smaller value
        lb = _nearest(h, hp, ks, -1, strict=True)  # previous index with a smaller value
        lb += 1
        del hp
        v = h[ks]
        # the child starts of one interval share its length and its first rank: group them with one
        # stable sort by length (a radix sort when lengths fit in 16 bits), positions staying in order
        key = v.astype(np.uint16) if int(v.max()) <= 0xFFFF else v.astype(np.int64) * (n + 1) + ks
        order = np.argsort(key, kind="stable")
        del key
        vo, lbo = v[order], lb[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = (vo[1:] != vo[:-1]) | (lbo[1:] != lbo[:-1])
        del vo, lbo
        owner = np.empty(len(ks), dtype=dt)
        owner[order] = (np.cumsum(new) - 1).astype(dt)
        first = order[new]
        del order, new
        L, LB, RB = v[first], lb[first], rb[first]
        if max_len is not None:  # drop the merged deeper level
            keep = L <= max_len
            new_row = np.cumsum(keep, dtype=np.int64).astype(dt) - 1
            sel = v <= max_len
            ks, owner = ks[sel], new_row[owner[sel]]
            L, LB, RB = L[keep], LB[keep], RB[keep]
        return L, LB, RB, ks, owner

    def intervals(self, min_len: int = 1, max_len: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every LCP interval of length at least ``min_len`` (at most ``max_len``): arrays
        (length, first rank, last rank), ordered by last rank, then longest first (a bottom-up walk).

        An interval is a repeated substring that cannot be extended to the right without losing
        an occurrence (a right-maximal repeat); its occurrences are ``sa[lb:rb+1]``.
        """
        if max_len is not None and max_len - min_len < 16:
            L, LB, RB = self._level_intervals(min_len, max_len)
        else:
            L, LB, RB, _, _ = self.interval_table(min_len, max_len)
        order = np.lexsort((-L.astype(np.int64), RB))
        return L[order], LB[order], RB[order]

    def _level_intervals(self, min_len: int, max_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """LCP intervals of a few lengths, one length at a time: the maximal runs of ranks whose
        LCP is at least the length and whose smallest LCP is exactly it."""
        n = len(self.sa)
        dt = self.sa.dtype
        h = self.lcp[: max(n - 1, 0)]
        out_l, out_lb, out_rb = [], [], []
        for length in range(max(min_len, 1), max_len + 1 if n > 1 else 0):
            mask = np.zeros(n + 1, dtype=np.int8)
            mask[1:n] = h >= length
            edges = np.flatnonzero(np.diff(mask))  # where runs start and end, alternating
            del mask
            lo, hi = edges[0::2], edges[1::2]  # lcp[lo:hi] >= length
            keep = _run_minimum(h, lo, hi) == length
            out_l.append(np.full(int(keep.sum()), length, dtype=dt))
            out_lb.append(lo[keep].astype(dt))
            out_rb.append(hi[keep].astype(dt))
        if not out_l:
            empty = np.zeros(0, dtype=dt)
            return empty, empty, empty
        return np.concatenate(out_l), np.concatenate(out_lb), np.concatenate(out_rb)

    def left_changes(self) -> np.ndarray:
        """Per rank, how many times the symbol before the suffix changed from rank 0 up to it
        (a suffix at position 0 has a symbol of its own)."""
        sa = self.sa
        n = len(sa)
        out = np.zeros(n, dtype=sa.dtype)
        if n < 2:
            return out
        prev = self.codes[np.maximum(sa - 1, 0)]
        diff = prev[1:] != prev[:-1]
        first = np.flatnonzero(sa == 0)
        for r in first.tolist():  # the suffix at position 0 differs from both neighbours
            if r > 0:
                diff[r - 1] = True
            if r < n - 1:
                diff[r] = True
        np.cumsum(diff, out=out[1:])
        return out

    def left_diverse(self, lb: np.ndarray, rb: np.ndarray) -> np.ndarray:
        """For each rank interval, whether the symbols before its occurrences are not all equal."""
        changes = self.left_changes()
        return changes[rb] - changes[lb] > 0


def _runs(sorted_values: np.ndarray) -> np.ndarray:
    """Mask of the first element of each run of equal values."""
    out = np.ones(len(sorted_values), dtype=bool)
    out[1:] = sorted_values[1:] != sorted_values[:-1]
    return out


def _run_minimum(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Minimum of ``values[lo[i]:hi[i]]`` for sorted, disjoint runs with gaps between them."""
    if not len(lo):
        return np.zeros(0, dtype=values.dtype)
    tail = hi[-1] >= len(values)  # the last run reaches the end
    m = len(lo) - 1 if tail else len(lo)
    bounds = np.empty(2 * m, dtype=np.int64)
    bounds[0::2], bounds[1::2] = lo[:m], hi[:m]
    out = np.empty(len(lo), dtype=values.dtype)
    if m:
        out[:m] = np.minimum.reduceat(values, bounds)[0::2]
    if tail:
        out[-1] = values[lo[-1] :].min()
    return out


def _spans_groups(labels: np.ndarray, lb: np.ndarray, rb: np.ndarray) -> np.ndarray:
    """For each rank interval, whether ``labels`` (per rank) take two or more values in it."""
    changes = np.zeros(len(labels), dtype=np.int32 if len(labels) < 2**31 - 1 else np.int64)
    if len(labels) > 1:
        np.cumsum(labels[1:] != labels[:-1], out=changes[1:])
    return changes[rb] - changes[lb] > 0


def _text_suffix_array(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Suffix and LCP arrays of text codes whose separators (``>= SEP_BASE``) are all distinct.

    Sorted on a compact alphabet -- characters ranked, every separator the one highest symbol,
    16 bits when that fits -- with each LCP value cut at the next separator: the same repeated
    substrings as with distinct separators, at half the memory of sorting 32-bit codes.
    """
    n = len(codes)
    is_sep = codes >= SEP_BASE
    present = np.zeros(SEP_BASE + 1, dtype=bool)
    present[codes[~is_sep]] = True
    k = int(present.sum())
    table = np.zeros(SEP_BASE + 1, dtype=np.uint32)
    table[present] = np.arange(k, dtype=np.uint32)
    table[SEP_BASE] = k
    compact = table[np.minimum(codes, SEP_BASE)].astype(np.uint16 if k <= 0xFFFF else np.uint32)
    del table, present
    sa, lcp = _build_sa(compact)
    del compact
    pos = np.arange(n, dtype=sa.dtype)
    nxt = np.where(is_sep, pos, n).astype(sa.dtype)
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]
    nxt -= pos  # distance to the next separator
    del pos
    np.minimum(lcp, nxt[sa], out=lcp)
    return sa, lcp


class TextIndex(SuffixArray):
    """Suffix array and LCP array over the concatenated clean texts of a corpus.

    Every paragraph break and document end becomes a separator symbol of its own (no repeat
    crosses one). Global position ``doc_starts[d] + i`` is character ``i`` of text ``d``.
    """

    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        parts: list[np.ndarray] = []
        starts = [0]
        next_sep = SEP_BASE
        for t in self.texts:
            codes = encode_text(t)
            seps = np.flatnonzero(codes == SEP_BASE)
            codes[seps] = np.arange(next_sep, next_sep + len(seps), dtype=np.uint32)
            next_sep += len(seps)
            parts.append(codes)
            parts.append(np.array([next_sep], dtype=np.uint32))
            next_sep += 1
            starts.append(starts[-1] + len(codes) + 1)
        self.doc_starts = np.array(starts, dtype=np.int64)
        self._str: str | None = None
        self._han_cum: np.ndarray | None = None
        self._breaks: np.ndarray | None = None
        self.codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
        self.sa, self.lcp = _text_suffix_array(self.codes) if len(self.codes) else _build_sa(self.codes)
        self._isa = None

    def doc_of(self, positions: np.ndarray | int) -> np.ndarray:
        """Index of the text holding each global position."""
        return np.searchsorted(self.doc_starts, positions, side="right") - 1

    def position(self, doc: int, offset: int) -> int:
        """Global position of character ``offset`` of text ``doc``."""
        return int(self.doc_starts[doc]) + offset

    @property
    def string(self) -> str:
        """The texts as one string, each separator as U+10FFFF (it sorts above every character)."""
        if self._str is None:
            self._str = "\U0010ffff".join(t.replace("\n", "\U0010ffff") for t in self.texts) + "\U0010ffff"
        return self._str

    @property
    def han_cum(self) -> np.ndarray:
        """Han characters before each global position (length ``len(codes) + 1``)."""
        if self._han_cum is None:
            han = code_mask(self.codes, lambda c: bool(_HAN.match(c)), separators=False)
            cum = np.zeros(len(han) + 1, dtype=_index_dtype(len(han)))
            np.cumsum(han, out=cum[1:])
            self._han_cum = cum
        return self._han_cum

    @property
    def breaks(self) -> np.ndarray:
        """Per global position: a separator or a character that is neither a letter nor a digit."""
        if self._breaks is None:
            self._breaks = code_mask(self.codes, lambda c: not c.isalnum(), separators=True)
        return self._breaks

    def find_text(self, text: str) -> np.ndarray:
        """Sorted global positions of every occurrence of ``text`` (binary search in the suffix array)."""
        if not text or "\n" in text or not len(self.sa):
            return np.zeros(0, dtype=self.sa.dtype)
        full, sa, m = self.string, self.sa, len(text)
        lo, hi = 0, len(sa)
        while lo < hi:
            mid = (lo + hi) // 2
            if full[sa[mid] : sa[mid] + m] < text:
                lo = mid + 1
            else:
                hi = mid
        first = lo
        hi = len(sa)
        while lo < hi:
            mid = (lo + hi) // 2
            if full[sa[mid] : sa[mid] + m] <= text:
                lo = mid + 1
            else:
                hi = mid
        return np.sort(sa[first:lo])

    def find(self, doc: int, start: int, end: int) -> np.ndarray:
        """Global positions of every occurrence of ``texts[doc][start:end]``."""
        return self.occurrences(self.position(doc, start), end - start)

    def doc_labels(self) -> np.ndarray:
        """Per rank, the index of the text its suffix starts in."""
        per_position = np.repeat(np.arange(len(self.texts), dtype=self.sa.dtype), np.diff(self.doc_starts))
        return per_position[self.sa]

    def maximal_repeats(self, min_len: int, min_docs: int = 2) -> Iterator[tuple[int, np.ndarray]]:
        """Left- and right-maximal repeats of at least ``min_len`` characters found in ``min_docs`` texts.

        Yields ``(length, sorted global positions)``.
        """
        L, LB, RB = self.intervals(min_len)
        if not len(L):
            return
        keep = self.left_diverse(LB, RB)
        if min_docs >= 2:
            keep &= _spans_groups(self.doc_labels(), LB, RB)
        for length, lb, rb in zip(L[keep].tolist(), LB[keep].tolist(), RB[keep].tolist()):
            pos = np.sort(self.sa[lb : rb + 1])
            if min_docs > 2 and len(np.unique(self.doc_of(pos))) < min_docs:
                continue
            yield length, pos


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


# --------------------------------------------------------------------------- per-document functions


def document_sentences(doc: "Document", doc_index: int = 0) -> list[SentenceRecord]:
    """The document's sentences (from its structure), trimmed of surrounding whitespace."""
    out = []
    text = doc.text
    for s in doc.structure.sentences:
        a, b = s.start, s.end
        t = text[a:b]
        core = t.strip()
        if core is not t and core != t:  # trim the whitespace around it
            a += len(t) - len(t.lstrip())
            b = a + len(core)
            t = core
        if b > a:
            out.append(SentenceRecord(doc_index, s.index, a, b, t))
    return out


def shingles(text: str, k: int = 3) -> set[str]:
    """Character ``k``-grams of ``text`` with punctuation and whitespace removed."""
    t = _NON_WORD.sub("", text)
    if len(t) <= k:
        return {t} if t else set()
    return {t[i : i + k] for i in range(len(t) - k + 1)}


def shingle_sets(texts: Sequence[str], k: int = 3) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The :func:`shingles` of each text as sorted integer ids: ``(indptr, ids, vocabulary)``.

    Text ``i`` has the shingles ``vocabulary[j]`` for ``j`` in ``ids[indptr[i]:indptr[i+1]]``
    (ascending, distinct). For ``k <= 3`` the shingles are packed into integers with numpy (21
    bits per code point) and only the distinct ones become strings.
    """
    if k > 3:  # too long to pack: sets of strings
        sets = [shingles(t, k) for t in texts]
        words = sorted(set().union(*sets))
        index = {w: i for i, w in enumerate(words)}
        rows = [sorted(index[x] for x in st) for st in sets]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=indptr[1:])
        return indptr, np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1])), words
    norm = [_NON_WORD.sub("", t) for t in texts]
    lens = np.fromiter((len(t) for t in norm), dtype=np.int64, count=len(norm))
    counts = np.where(lens > k, lens - k + 1, (lens > 0).astype(np.int64))
    indptr = np.zeros(len(norm) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    joined = "".join(norm)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.zeros(len(norm), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    # position (in ``joined``) and width of every shingle
    row = np.repeat(np.arange(len(norm), dtype=np.int64), counts)
    pos = np.arange(int(indptr[-1]), dtype=np.int64) - indptr[row] + starts[row]
    width = np.minimum(lens, k)[row]
    packed = np.zeros(len(pos), dtype=np.uint64)
    padded = np.concatenate([codes, np.zeros(k, dtype=np.uint64)])
    for j in range(k):
        part = np.where(width > j, padded[pos + j], 0).astype(np.uint64)
        packed |= part << np.uint64(_BITS * (2 - j))
    del row, pos, width, padded
    uniq, inv = np.unique(packed, return_inverse=True)
    del packed
    # distinct per text and sorted: sort the (text, shingle) keys, drop repeats
    row = np.repeat(np.arange(len(norm), dtype=np.int64), counts)
    key = np.sort(row * len(uniq) + inv)
    del row, inv
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    width_u = max(len(uniq), 1)
    ids = key % width_u
    indptr = np.zeros(len(norm) + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // width_u, minlength=len(norm)), out=indptr[1:])
    # the distinct shingles as strings: unpack the code points, decode them all at once
    cps = np.stack([(uniq >> np.uint64(_BITS * (2 - j))) & np.uint64((1 << _BITS) - 1) for j in range(3)], axis=1)
    flat = cps.astype("<u4").tobytes().decode("utf-32-le")
    vocab = [flat[i : i + 3] for i in range(0, len(flat), 3)]
    short = np.flatnonzero(cps[:, 2] == 0).tolist()  # narrower than 3: padded with code point 0
    for i in short:
        vocab[i] = vocab[i].rstrip("\x00")
    return indptr, ids, vocab


def _sha1_hash32(words: Sequence[str]) -> np.ndarray:
    """datasketch's default shingle hash (the first 4 bytes of SHA-1, little-endian) of each word."""
    digests = b"".join(map(methodcaller("digest"), map(hashlib.sha1, map(str.encode, words))))
    return np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)[:, :4].copy().view("<u4").ravel()


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _fmix(x: np.ndarray, consts: tuple) -> np.ndarray:
    """MurmurHash3's finaliser with the shifts and multipliers ``consts`` (32- or 64-bit ones)."""
    s1, m1, s2, m2, s3 = consts
    x = x ^ (x >> s1)
    x = x * m1
    x = x ^ (x >> s2)
    x = x * m2
    return x ^ (x >> s3)


def _fmix32(x: np.ndarray) -> np.ndarray:
    return _fmix(x, _FMIX32)


def _affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutation parameters for ``seed``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash_signatures(
    indptr: np.ndarray, ids: np.ndarray, hashes: np.ndarray, num_perm: int = 64, seed: int = 1
) -> np.ndarray:
    """MinHash of each set of a CSR set table: ``(n, num_perm)`` uint32.

    Set ``i`` holds the elements ``ids[indptr[i]:indptr[i+1]]``, element ``j`` having the 32-bit
    hash ``hashes[j]``. The values are what ``datasketch.MinHash(num_perm, seed)`` (scheme
    ``affine32``) gives for the same hashes; an empty set gives all ``2**32 - 1``.
    """
    a, b = _affine32_permutations(num_perm, seed)
    n = len(indptr) - 1
    out = np.full((n, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    if not len(ids):
        return out
    rows = np.flatnonzero(np.diff(indptr) > 0)
    vals = _fmix32(hashes.astype(np.uint32))[ids]
    starts = indptr[rows]
    for j in range(num_perm):  # one permutation at a time: memory stays one value per element
        out[rows, j] = np.minimum.reduceat(vals * a[j] + b[j], starts)
    return out


def sentence_signatures(
    texts: Sequence[str], num_perm: int = 128, k: int = 3, seed: int = 1
) -> list[tuple[set[str], Any]]:
    """Shingle set and MinHash (datasketch ``LeanMinHash``) of each text."""
    from datasketch import LeanMinHash, MinHash

    sets = [shingles(t, k) for t in texts]
    if not sets:
        return []
    hashes = MinHash.bulk([[s.encode("utf-8") for s in sorted(sh)] for sh in sets], num_perm=num_perm, seed=seed)
    return [(sh, LeanMinHash(m)) for sh, m in zip(sets, hashes)]


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _jaccard_pairs(indptr: np.ndarray, ids: np.ndarray, left: np.ndarray, right: np.ndarray,
                   chunk: int = 1 << 16) -> np.ndarray:
    """Exact Jaccard similarity of the sets ``left[i]`` and ``right[i]`` of a CSR set table."""
    from scipy.sparse import csr_matrix

    n = len(indptr) - 1
    width = int(ids.max()) + 1 if len(ids) else 1
    m = csr_matrix((np.ones(len(ids), dtype=np.int32), ids, indptr), shape=(n, width))
    sizes = np.diff(indptr)
    out = np.empty(len(left), dtype=np.float64)
    for lo in range(0, len(left), chunk):
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        inter = np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()
        union = sizes[a] + sizes[b] - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            out[lo : lo + chunk] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    return out


def _band_pairs(sig: np.ndarray, bands: Sequence[tuple[int, int]], window: int) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of rows of ``sig`` equal on at least one band (LSH candidates).

    Within a bucket (rows equal on a band, in row order) each row is paired with the next
    ``window`` rows only, which bounds the pairs of a very large bucket.
    """
    n = len(sig)
    found = []
    for lo, hi in bands:
        key = np.ascontiguousarray(sig[:, lo:hi]).view(np.dtype((np.void, 4 * (hi - lo)))).ravel()
        order = np.argsort(key, kind="stable")
        ks = key[order]
        for d in range(1, window + 1):
            if d >= n:
                break
            same = ks[d:] == ks[:-d]
            if not same.any():
                break
            i = order[:-d][same]
            j = order[d:][same]
            found.append(np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def text_diff(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    """What differs between ``a`` and ``b``: the non-equal difflib opcodes as (op, a-part, b-part)."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return tuple((op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


# --------------------------------------------------------------------------- the estimator


class ReuseFinder:
    """Find the passages two or more documents share, verbatim or near-verbatim.

    Parameters
    ----------
    min_chars : a passage holds at least this many Han characters.
    near : also look for near-verbatim sentences (MinHash LSH).
    near_threshold : Jaccard similarity of character ``shingle``-grams for two sentences to be near-duplicates.
    num_perm, shingle, random_state : MinHash permutations, shingle length and seed.
    bucket_window : in an LSH bucket (distinct sentences equal on one band, in order of first
        appearance) each sentence is checked against the next ``bucket_window`` ones only. This
        bounds the pairs of a very large bucket (a sentence with hundreds of distinct variants);
        the buckets of the bundled corpus and of the national reports are far smaller, so there
        every candidate is checked.
    progress : show progress bars.

    Fitted attributes: ``passages_`` (list of :class:`Passage`, most widely shared first),
    ``index_`` (the :class:`TextIndex`), ``doc_ids_``, ``sentences_`` (per document, its
    :class:`SentenceRecord` list).
    """

    def __init__(
        self,
        min_chars: int = 8,
        near: bool = True,
        near_threshold: float = 0.5,
        num_perm: int = 64,
        shingle: int = 3,
        random_state: int = 1,
        bucket_window: int = 200,
        progress: bool = False,
    ):
        self.min_chars = min_chars
        self.near = near
        self.near_threshold = near_threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.random_state = random_state
        self.bucket_window = bucket_window
        self.progress = progress

    # ---- fitting
    def fit(self, corpus: "Corpus", index: TextIndex | None = None,
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "ReuseFinder":
        """Find the shared passages of ``corpus`` (``index``: a prebuilt :class:`TextIndex` of its
        texts; ``sentences``: its :func:`document_sentences`, when already computed)."""
        docs = list(corpus)
        self.doc_ids_ = [d.id for d in docs]
        self._docs = docs
        self.sentences_ = list(sentences) if sentences is not None else \
            [document_sentences(d, i) for i, d in enumerate(docs)]
        self._sent_starts = [np.array([s.start for s in ss], dtype=np.int64) for ss in self.sentences_]
        self.index_ = index if index is not None else TextIndex([d.text for d in docs])
        self.sub_passages_: list[Passage] = []
        passages, covered = self._verbatim()
        if self.near:
            passages = self._fold_into_near(passages, self._near(covered))
        passages.sort(key=lambda p: (-p.n_docs, -p.n_chars, p.kind, p.text))
        self.passages_ = passages
        self.index_._han_cum = None  # a cache only reuse needs (rebuilt on use)
        return self

    def _sentence_of(self, doc: int, offset: int) -> int:
        """Index (structure numbering) of the sentence holding clean offset ``offset`` of document ``doc``."""
        starts = self._sent_starts[doc]
        if not len(starts):
            return 0
        k = int(np.searchsorted(starts, offset, side="right")) - 1
        return self.sentences_[doc][max(k, 0)].index

    def _occurrence(self, doc: int, start: int, end: int) -> Occurrence:
        return self._occurrence_list(np.array([doc]), np.array([start]), np.array([end]))[0]

    def _lookup(self, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw start, raw end and sentence (position in ``sentences_[doc]``, -1 for none) of clean
        spans ``[starts[i], ends[i])`` of documents ``docs[i]``, looked up per document."""
        n = len(docs)
        raw_s = np.empty(n, dtype=np.int64)
        raw_e = np.empty(n, dtype=np.int64)
        sent = np.full(n, -1, dtype=np.int64)
        order = np.argsort(docs, kind="stable")
        sorted_docs = docs[order]
        cuts = np.flatnonzero(np.diff(sorted_docs)) + 1
        for lo, hi in zip(np.concatenate(([0], cuts)).tolist(), np.concatenate((cuts, [n])).tolist()):
            if hi <= lo:
                continue
            d = int(sorted_docs[lo])
            idx = order[lo:hi]
            om = self._docs[d].offsets
            raw_s[idx] = om.starts[starts[idx]]
            raw_e[idx] = om.ends[ends[idx] - 1]
            if len(self._sent_starts[d]):
                sent[idx] = np.searchsorted(self._sent_starts[d], starts[idx], side="right") - 1
        return raw_s, raw_e, sent

    def _occurrence_list(self, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                         texts: Sequence[str] | None = None) -> list[Occurrence]:
        """Occurrence records for clean spans ``[starts[i], ends[i])`` of documents ``docs[i]``
        (``texts``: their texts, when known)."""
        raw_s, raw_e, sent = self._lookup(docs, starts, ends)
        doc_l, start_l, end_l = docs.tolist(), starts.tolist(), ends.tolist()
        sentences = self.sentences_
        recs = [sentences[d][k] if k >= 0 else None for d, k in zip(doc_l, sent.tolist())]
        if texts is None:
            doc_objs = self._docs
            texts = [doc_objs[d].text[a:b] for d, a, b in zip(doc_l, start_l, end_l)]
        ids = self.doc_ids_
        return list(map(Occurrence, [ids[d] for d in doc_l], [r.index if r else 0 for r in recs], start_l, end_l,
                        raw_s.tolist(), raw_e.tolist(), texts, [r.text if r else "" for r in recs]))

    def occurrences_at(self, positions: np.ndarray, length: int) -> list[Occurrence]:
        """Occurrence records for global positions of the index."""
        ix = self.index_
        positions = np.asarray(positions, dtype=np.int64)
        docs = ix.doc_of(positions)
        starts = positions - ix.doc_starts[docs]
        return self._occurrence_list(docs, starts, starts + length)

    def _verbatim(self) -> tuple[list[Passage], np.ndarray]:
        """The verbatim passages, and per global position the characters covered by them so far
        (cumulative, length ``len(codes) + 1``)."""
        ix = self.index_
        n = len(ix.codes)
        covered = np.zeros(n + 1, dtype=_index_dtype(n))
        L, LB, RB, ks, owner = ix.interval_table(self.min_chars)
        if not len(L):
            return [], covered
        sa, brk = ix.sa, ix.breaks
        # right end: at every occurrence the next character is a break (one check per child of the interval)
        end_bad = np.zeros(len(L), dtype=bool)
        end_bad[owner[~brk[sa[ks + 1] + ix.lcp[ks]]]] = True
        end_bad |= ~brk[sa[LB] + L]
        del ks, owner
        keep = ix.left_diverse(LB, RB)
        keep &= _spans_groups(ix.doc_labels(), LB, RB)
        L, LB, RB, end_ok = L[keep], LB[keep], RB[keep], ~end_bad[keep]
        del end_bad, keep
        # left end: at every occurrence the previous character is a break (or the text starts)
        prev_brk = np.ones(n, dtype=bool)
        prev_brk[1:] = brk[:-1]
        cum = np.zeros(n + 1, dtype=sa.dtype)
        np.cumsum(prev_brk[sa], out=cum[1:])
        start_ok = (cum[RB + 1] - cum[LB]) == RB - LB + 1
        del prev_brk, cum
        # a passage is the whole maximal repeat: only punctuation at its ends is trimmed, nothing is cut inside
        start_ok[:] = True
        end_ok[:] = True
        a, b, p0 = self._snap_all(L, start_ok, end_ok, sa[LB])
        good = np.flatnonzero(b > a)
        # distinct snapped texts
        text_all = ix.string
        found: dict[str, tuple[int, int, int]] = {}
        full = (a == 0) & (b == L)
        for i in good.tolist():
            q, m = int(p0[i] + a[i]), int(b[i] - a[i])
            t = text_all[q : q + m]
            if t not in found:
                found[t] = (q, m, i if full[i] else -1)
        texts, occs, occ_docs = [], [], []
        for t, (q, m, i) in found.items():
            occ = np.sort(sa[LB[i] : RB[i] + 1]) if i >= 0 else ix.occurrences(q, m)
            d = ix.doc_of(occ)
            if d[0] == d[-1]:
                continue
            texts.append(t)
            occs.append(occ)
            occ_docs.append(d)
        del found
        keep_ix = _not_subsumed(texts, occs, ix)
        if not keep_ix:
            return [], covered
        # occurrence records of all passages at once
        counts = np.array([len(occs[k]) for k in keep_ix], dtype=np.int64)
        lengths = np.array([len(texts[k]) for k in keep_ix], dtype=np.int64)
        pos = np.concatenate([occs[k] for k in keep_ix]).astype(np.int64)
        docs = np.concatenate([occ_docs[k] for k in keep_ix]).astype(np.int64)
        starts = pos - ix.doc_starts[docs]
        ends = starts + np.repeat(lengths, counts)
        raw_s, raw_e, sent = self._lookup(docs, starts, ends)
        table = _OccurrenceTable(self.doc_ids_, self.sentences_, docs.astype(np.int32), starts.astype(np.int32),
                                 ends.astype(np.int32), raw_s, raw_e, sent.astype(np.int32))
        out = []
        bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
        for j, k in enumerate(keep_ix):
            t = texts[k]
            d = occ_docs[k][_runs(occ_docs[k])].tolist()  # positions are sorted: so are their documents
            out.append(Passage(stable_id("v", t), t, "verbatim", [self.doc_ids_[x] for x in d],
                               OccurrenceList(table, bounds[j], bounds[j + 1], t)))
        out = self._fold(out, pos, lengths, counts)
        ends_g = pos + np.repeat(lengths, counts)
        depth = np.cumsum(np.bincount(pos, minlength=n + 1) - np.bincount(ends_g, minlength=n + 1))
        np.cumsum(depth[:n] > 0, out=covered[1:])
        return out, covered

    def _fold_into_near(self, verbatim: list[Passage], near: list[Passage]) -> list[Passage]:
        """Verbatim passages that occur only inside a near-verbatim passage's occurrences (the
        sentence shared word for word by some documents and with small changes by others) become
        its sub-passages: each passage is listed once."""
        by_text: dict[str, list[Passage]] = defaultdict(list)
        for p in verbatim:
            by_text[p.text].append(p)
        folded: dict[str, str] = {}  # folded verbatim id -> near passage id
        for q in near:
            spans = defaultdict(list)
            for o in q.occurrences:
                spans[o.doc_id].append((o.start, o.end))
            for o in q.occurrences:
                for p in by_text.get(o.text, ()):
                    if p.id in folded:
                        continue
                    if all(any(a <= r.start and r.end <= b for a, b in spans[r.doc_id]) for r in p.occurrences):
                        folded[p.id] = q.id
                        q.sub_passages.append(p)
                        q.children = sorted(set(q.children) | set(p.children))
                        q.sub_passages.extend(x for x in p.sub_passages if x not in q.sub_passages)
        if not folded:
            return verbatim + near
        self.sub_passages_ += [p for p in verbatim if p.id in folded]
        for p in verbatim:
            p.parents = sorted({folded.get(x, x) for x in p.parents})
        return [p for p in verbatim if p.id not in folded] + near

    def _fold(self, passages: list[Passage], pos: np.ndarray, lengths: np.ndarray,
              counts: np.ndarray) -> list[Passage]:
        """Link nested passages and fold in those that never occur outside a longer one.

        ``pos``: global starts of all occurrences, passage by passage (``counts`` each). A passage
        with occurrences of its own stays, with ``parents``/``children`` links; one whose every
        occurrence lies inside longer passages becomes a ``sub_passage`` of each of them.
        """
        which = np.repeat(np.arange(len(passages)), counts)
        nesting = nest(pos, pos + np.repeat(lengths, counts), which, len(passages))
        folded = nesting.own == 0
        for k, ps in enumerate(nesting.parents):
            p = passages[k]
            for j in ps:
                parent = passages[j]
                if folded[k]:
                    parent.sub_passages.append(p)
                else:
                    parent.children.append(p.id)
                    p.parents.append(parent.id)
        self.sub_passages_ = [p for k, p in enumerate(passages) if folded[k]]
        for p in passages:
            p.parents.sort()
            p.children.sort()
            p.sub_passages.sort(key=lambda q: (-q.n_docs, -q.n_chars, q.text))
        return [p for k, p in enumerate(passages) if not folded[k]]

    def _snap_all(self, L: np.ndarray, start_ok: np.ndarray, end_ok: np.ndarray,
                  p0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each repeat (length ``L``, one occurrence at ``p0``): offsets ``a < b`` of its part
        that starts and ends at clause boundaries (``b <= a`` when none is left).

        The repeat's own ends count as boundaries when ``start_ok`` / ``end_ok`` (at every
        occurrence the character outside is punctuation, a paragraph break or the text edge);
        inside, it is cut after the first / last ``，。；！？：``; then leading ``，。；！？：、`` and
        spaces and trailing ``，、：`` and spaces are stripped, and at least ``min_chars`` Han
        characters must remain.
        """
        ix = self.index_
        codes = ix.codes
        n = len(codes)
        dt = _index_dtype(n + 1)
        pos = np.arange(n, dtype=dt)
        mask = _char_set_mask(codes, CLAUSE_DELIMITERS)
        next_delim = np.minimum.accumulate(np.where(mask, pos, n).astype(dt)[::-1])[::-1]
        fd = next_delim[p0]
        del next_delim
        prev_delim = np.maximum.accumulate(np.where(mask, pos, -1).astype(dt))
        ld = prev_delim[p0 + L - 1]
        del prev_delim
        a = np.where(start_ok, 0, np.where(fd < p0 + L, fd - p0 + 1, L))
        b = np.where(end_ok, L, np.where(ld >= p0, ld - p0 + 1, 0))
        mask = _char_set_mask(codes, _STRIP_START)
        next_keep = np.minimum.accumulate(np.where(mask, n, pos).astype(dt)[::-1])[::-1]
        a = np.minimum(next_keep[np.minimum(p0 + a, n - 1)] - p0, b)
        del next_keep
        mask = _char_set_mask(codes, _STRIP_END)
        prev_keep = np.maximum.accumulate(np.where(mask, -1, pos).astype(dt))
        b = np.maximum(prev_keep[np.maximum(p0 + b - 1, 0)] - p0 + 1, a)
        del prev_keep, mask, pos
        hc = ix.han_cum
        enough = hc[p0 + b] - hc[p0 + a] >= self.min_chars
        b = np.where(enough, b, a)
        return a, b, p0

    def _near(self, covered: np.ndarray) -> list[Passage]:
        """Near-verbatim passages among the sentences with ``min_chars`` Han characters; ``covered``:
        characters covered by verbatim passages (cumulative per global position)."""
        ix = self.index_
        sents = [s for ss in self.sentences_ for s in ss]
        if len(sents) < 2:
            return []
        sdoc = np.fromiter((s.doc for s in sents), dtype=np.int64, count=len(sents))
        sstart = np.fromiter((s.start for s in sents), dtype=np.int64, count=len(sents))
        send = np.fromiter((s.end for s in sents), dtype=np.int64, count=len(sents))
        g0 = ix.doc_starts[sdoc] + sstart
        g1 = ix.doc_starts[sdoc] + send
        hc = ix.han_cum
        keep = np.flatnonzero(hc[g1] - hc[g0] >= self.min_chars)
        if len(keep) < 2:
            return []
        recs = [sents[i] for i in keep.tolist()]
        rdoc = sdoc[keep]
        # share of each sentence covered by verbatim passages
        share = (covered[g1[keep]] - covered[g0[keep]]) / (send - sstart)[keep]
        # distinct texts, and the one document of a text found in only one
        tid_of: dict[str, int] = {}
        tid = np.fromiter((tid_of.setdefault(r.text, len(tid_of)) for r in recs), dtype=np.int64, count=len(recs))
        texts = list(tid_of)
        n_texts = len(texts)
        lo = np.full(n_texts, np.iinfo(np.int64).max, dtype=np.int64)
        hi = np.full(n_texts, -1, dtype=np.int64)
        np.minimum.at(lo, tid, rdoc)
        np.maximum.at(hi, tid, rdoc)
        single = np.where(lo == hi, lo, -1)
        # distinct normalised texts: shingles, signatures, LSH candidates, exact similarity
        nid_of: dict[str, int] = {}
        nid = np.fromiter((nid_of.setdefault(_NON_WORD.sub("", t), len(nid_of)) for t in texts), dtype=np.int64,
                          count=n_texts)
        indptr, ids, vocab = shingle_sets(list(nid_of), self.shingle)
        sig = minhash_signatures(indptr, ids, _sha1_hash32(vocab), self.num_perm, self.random_state)
        from datasketch import MinHashLSH

        bands = MinHashLSH(threshold=self.near_threshold, num_perm=self.num_perm).hashranges
        pairs = _band_pairs(sig, bands, self.bucket_window)
        del sig
        if len(pairs):
            sims = _jaccard_pairs(indptr, ids, pairs[:, 0], pairs[:, 1])
            pairs = pairs[sims >= self.near_threshold]
        # links between distinct texts (a pair of occurrences in two documents must exist)
        by_norm: dict[int, list[int]] = defaultdict(list)
        for t, k in enumerate(nid.tolist()):
            by_norm[k].append(t)
        same = 1.0 >= self.near_threshold
        edges: list[tuple[int, int]] = []
        for a, b in pairs.tolist():
            edges += [(u, v) for u in by_norm[a] for v in by_norm[b]]
        if same:
            for group in by_norm.values():
                edges += [(u, v) for i, u in enumerate(group) for v in group[i + 1 :]]
        e = np.array(edges, dtype=np.int64).reshape(-1, 2)
        e = e[(single[e[:, 0]] < 0) | (single[e[:, 0]] != single[e[:, 1]])]
        nodes = np.zeros(n_texts, dtype=bool)
        nodes[e.ravel()] = True
        if same:
            nodes |= single < 0
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        graph = coo_matrix((np.ones(len(e), dtype=np.int8), (e[:, 0], e[:, 1])), shape=(n_texts, n_texts))
        _, labels = connected_components(graph, directed=False)
        # the occurrences (records) of each group
        rec_label = np.where(nodes[tid], labels[tid], -1)
        order = np.lexsort((np.arange(len(recs)), rec_label))
        order = order[rec_label[order] >= 0]
        cuts = np.flatnonzero(np.diff(rec_label[order])) + 1
        norm_sets: dict[int, set[int]] = {}

        def norm_set(k: int) -> set[int]:
            s = norm_sets.get(k)
            if s is None:
                s = norm_sets[k] = set(ids[indptr[k] : indptr[k + 1]].tolist())
            return s

        diffs: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {}
        out = []
        groups: Iterable[np.ndarray] = np.split(order, cuts) if len(order) else []
        if self.progress:
            from tqdm.auto import tqdm

            groups = tqdm(groups, desc="reuse: near-duplicates", unit="group", leave=False)
        kept: list[list[int]] = []
        for grp in groups:
            if (share[grp] >= 0.9).all():
                continue  # verbatim passages already cover these sentences
            kept.append(sorted(grp.tolist(), key=lambda k: (recs[k].doc, recs[k].start)))
        flat = [k for members in kept for k in members]
        records = self._occurrence_list(rdoc[flat], sstart[keep][flat], send[keep][flat],
                                        [recs[k].text for k in flat]) if flat else []
        at = 0
        for members in kept:
            occs = records[at : at + len(members)]
            at += len(members)
            mtexts = [recs[k].text for k in members]
            counts = Counter(mtexts)
            first: dict[str, int] = {}
            for i, t in enumerate(mtexts):
                first.setdefault(t, i)
            rep = max(counts, key=lambda t: (counts[t], -first[t]))
            rep_norm = int(nid[tid[members[first[rep]]]])
            variants = []
            for k in members:
                r = recs[k]
                if r.text == rep:
                    continue
                key = (rep, r.text)
                if key not in diffs:
                    diffs[key] = text_diff(rep, r.text)
                variants.append(Variant(self.doc_ids_[r.doc], r.index, r.text,
                                        _jaccard(norm_set(rep_norm), norm_set(int(nid[tid[k]]))), diffs[key]))
            docs = [self.doc_ids_[d] for d in sorted({recs[k].doc for k in members})]
            out.append(Passage(stable_id("n", rep), rep, "near", docs, occs, variants))
        return out

    # ---- results
    def spans(self) -> dict[str, list[tuple[int, int, str, frozenset[str]]]]:
        """Per document id: (start, end, passage id, documents sharing it) of every passage occurrence."""
        self._check()
        out: dict[str, list[tuple[int, int, str, frozenset[str]]]] = {d: [] for d in self.doc_ids_}
        ids = self.doc_ids_
        for p in self.passages_:
            docs = frozenset(p.docs)
            occ = p.occurrences
            if isinstance(occ, OccurrenceList):
                for d, s, e in zip(occ.doc.tolist(), occ.start.tolist(), occ.end.tolist()):
                    out[ids[d]].append((s, e, p.id, docs))
            else:
                for o in occ:
                    out[o.doc_id].append((o.start, o.end, p.id, docs))
        for v in out.values():
            v.sort()
        return out

    def _occurrence_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Every passage occurrence as arrays (document index, start, end, passage index), sorted by
        document then start, and each passage's documents as CSR (``indptr``, document indices)."""
        pos = {d: i for i, d in enumerate(self.doc_ids_)}
        docs_, starts, ends, pids, members = [], [], [], [], []
        for k, p in enumerate(self.passages_):
            occ = p.occurrences
            if isinstance(occ, OccurrenceList):
                d, st, en = occ.doc, occ.start, occ.end
            else:
                d = np.array([pos[o.doc_id] for o in occ], dtype=np.int64)
                st = np.array([o.start for o in occ], dtype=np.int64)
                en = np.array([o.end for o in occ], dtype=np.int64)
            docs_.append(np.asarray(d, dtype=np.int64))
            starts.append(np.asarray(st, dtype=np.int64))
            ends.append(np.asarray(en, dtype=np.int64))
            pids.append(np.full(len(d), k, dtype=np.int64))
            members.append(np.array(sorted(pos[x] for x in set(p.docs)), dtype=np.int64))
        cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)  # noqa: E731
        doc, start, end, pid = cat(docs_), cat(starts), cat(ends), cat(pids)
        order = np.lexsort((end, start, doc))
        indptr = np.zeros(len(members) + 1, dtype=np.int64)
        np.cumsum([len(m) for m in members], out=indptr[1:])
        return doc[order], start[order], end[order], pid[order], (indptr, cat(members))

    def _rows(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Per document with any passage: (row, column indices, shares) of :meth:`matrix`'s non-zero
        cells, the diagonal included. Vectorised: each occurrence is paired with the other documents
        of its passage and the union of spans per pair is measured on a prefix sum of non-whitespace
        characters; no document × document array is made."""
        doc, start, end, pid, (indptr, members) = self._occurrence_arrays()
        bounds = np.searchsorted(doc, np.arange(len(self.doc_ids_) + 1))
        for i in range(len(self.doc_ids_)):
            lo, hi = bounds[i], bounds[i + 1]
            if lo == hi:
                continue
            cum = _content_prefix(self._docs[i].text)
            denom = int(cum[-1])
            if not denom:
                continue
            s, e, p = start[lo:hi], end[lo:hi], pid[lo:hi]
            # explode: occurrence k × the documents of its passage (the row's own index is the diagonal)
            n_mem = indptr[p + 1] - indptr[p]
            k = np.repeat(np.arange(hi - lo), n_mem)
            first = np.repeat(indptr[p], n_mem)
            other = members[first + (np.arange(len(k)) - np.repeat(np.cumsum(n_mem) - n_mem, n_mem))]
            keep = other != i
            cols = np.concatenate([np.full(hi - lo, i), other[keep]])
            ks = np.concatenate([np.arange(hi - lo), k[keep]])
            covered = _union_content(cols, s[ks], e[ks], cum)
            col_ids = np.unique(cols)
            yield i, col_ids, covered[col_ids] / denom

    def matrix(self) -> "pd.DataFrame":
        """Document × document reuse: share of the row document's characters (non-whitespace) that
        lie in passages it shares with the column document; the diagonal is the share shared with any.

        Dense: n² cells for n documents. Beyond a few thousand documents use :meth:`pairs`."""
        import pandas as pd

        self._check()
        ids = self.doc_ids_
        m = np.zeros((len(ids), len(ids)))
        for i, cols, shares in self._rows():
            m[i, cols] = shares
        return pd.DataFrame(m, index=pd.Index(ids, name="doc_id"), columns=ids)

    def pairs(self, top: int | None = None) -> "pd.DataFrame":
        """The non-zero cells of :meth:`matrix` as rows ``doc_id, other_doc_id, share`` (diagonal
        excluded; ``reused`` is the row document's diagonal, its share reused from any document),
        each document's partners by falling share (ties by id), at most ``top`` of them when given."""
        import pandas as pd

        self._check()
        ids = np.array(self.doc_ids_, dtype=object)
        rows: list[tuple[str, str, float, float]] = []
        for i, cols, shares in self._rows():
            diag = float(shares[cols == i][0]) if (cols == i).any() else 0.0
            mask = cols != i
            c, v = cols[mask], shares[mask]
            order = np.lexsort((c, -v))[: top if top is not None else None]
            rows.extend((ids[i], ids[j], float(x), diag) for j, x in zip(c[order], v[order]))
        return pd.DataFrame(rows, columns=["doc_id", "other_doc_id", "share", "reused"])

    def to_records(self) -> list[dict[str, Any]]:
        """The passages as plain dicts (what ``reuse.json`` holds)."""
        return list(self.iter_records())

    def iter_records(self) -> Iterator[dict[str, Any]]:
        """:meth:`to_records` one passage at a time."""
        self._check()
        return (p.to_dict() for p in self.passages_)

    def to_frame(self) -> "pd.DataFrame":
        """One row per passage: id, kind, n_docs, chars, docs, text."""
        import pandas as pd

        self._check()
        rows = [{"id": p.id, "kind": p.kind, "n_docs": p.n_docs, "chars": p.n_chars, "occurrences": len(p.occurrences),
                 "docs": p.docs, "text": p.text} for p in self.passages_]
        return pd.DataFrame(rows, columns=["id", "kind", "n_docs", "chars", "occurrences", "docs", "text"])

    def _check(self) -> None:
        if not hasattr(self, "passages_"):
            raise RuntimeError("call fit(corpus) first")


@lru_cache(maxsize=1)
def _whitespace_codepoints() -> np.ndarray:
    # every code point str.isspace() accepts lies below U+3001 (the last is U+3000, the ideographic space)
    return np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def _content_prefix(text: str) -> np.ndarray:
    """``cum[k]``: non-whitespace characters in ``text[:k]`` (length ``len(text) + 1``)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    cum = np.zeros(len(cps) + 1, dtype=np.int64)
    np.cumsum(~np.isin(cps, _whitespace_codepoints()), out=cum[1:])
    return cum


def _union_content(groups: np.ndarray, starts: np.ndarray, ends: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """Per group id (``np.bincount`` layout): non-whitespace characters in the union of its spans.

    Spans sorted by (group, start); each contributes what lies beyond the furthest end reached by the
    earlier spans of its group (a running maximum, kept from crossing groups by an offset per group).
    """
    if len(groups) == 0:
        return np.zeros(0)
    order = np.lexsort((ends, starts, groups))
    g, s, e = groups[order], starts[order], ends[order]
    big = int(len(cum)) + 1
    e_off = e + g * big
    reach = np.maximum.accumulate(e_off)
    prev = np.concatenate([[-1], reach[:-1]]) - g * big  # furthest end before this span, in its group
    lo = np.maximum(s, prev)
    contrib = np.where(e > lo, cum[e] - cum[np.minimum(lo, e)], 0)
    return np.bincount(g, weights=contrib)


def _not_subsumed(texts: Sequence[str], occs: Sequence[np.ndarray], ix: TextIndex, reach: int = 4096) -> list[int]:
    """Indices of the passages not subsumed: a passage is dropped when its first occurrence lies
    inside an occurrence of a longer passage with as many occurrences (one starting at most
    ``reach`` characters before it, in the same text)."""
    if not texts:
        return []
    n_occ = np.array([len(o) for o in occs], dtype=np.int64)
    length = np.array([len(t) for t in texts], dtype=np.int64)
    pid = np.repeat(np.arange(len(texts), dtype=np.int64), n_occ)
    start = np.concatenate(occs).astype(np.int64)
    end = start + length[pid]
    doc = ix.doc_of(start)
    order = np.lexsort((pid, -end, start))  # by global start (documents are contiguous), then longest first
    start, end, pid, doc = start[order], end[order], pid[order], doc[order]
    first = np.array([int(o[0]) for o in occs], dtype=np.int64)
    q_end = first + length
    hi = np.searchsorted(start, first, side="right")
    lo_doc = np.searchsorted(start, ix.doc_starts[ix.doc_of(first)], side="left")
    subsumed = np.zeros(len(texts), dtype=bool)
    active = np.arange(len(texts), dtype=np.int64)
    j = hi - 1
    while len(active):
        jj = j[active]
        live = (jj >= lo_doc[active])
        live[live] &= first[active[live]] - start[jj[live]] <= reach
        active, jj = active[live], jj[live]
        k2 = pid[jj]
        hit = (k2 != active) & (end[jj] >= q_end[active]) & (length[k2] > length[active]) & (n_occ[k2] == n_occ[active])
        subsumed[active[hit]] = True
        active = active[~hit]
        j[active] -= 1
    return np.flatnonzero(~subsumed).tolist()

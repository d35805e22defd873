"""Cross-document reuse: passages two or more documents share, verbatim or near-verbatim.

Two detectors, neither quadratic in the number of sentences:

* **verbatim** -- maximal repeated substrings of the concatenated clean texts, found with a
  suffix array and its LCP array (:class:`TextIndex`, pydivsufsort). Every paragraph break and
  every document end is a separator symbol of its own, so no repeat crosses a paragraph.
  A repeat that spans two or more documents is snapped to clause boundaries (``，。；！？：``)
  and kept when it still holds ``min_chars`` Han characters; its occurrences are then all the
  places its text occurs (found again in the suffix array).
* **near** -- sentences whose character 3-gram sets have Jaccard similarity of at least
  ``near_threshold``: candidates come from MinHash LSH (datasketch), each candidate pair is
  checked exactly, and the pairs are grouped (union-find). A group whose sentences differ is one
  passage: the most common wording is the passage text, the others are variants with what differs
  (difflib opcodes).

Per-document work (encoding, sentence signatures) is in pure functions over one document; the
suffix array, the LSH index and the grouping combine them at corpus level.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus, Document

__all__ = [
    "SuffixArray",
    "TextIndex",
    "Occurrence",
    "Variant",
    "Passage",
    "ReuseFinder",
    "SentenceRecord",
    "document_sentences",
    "sentence_signatures",
    "shingles",
    "han_count",
    "stable_id",
    "covered_length",
    "merge_spans",
    "CLAUSE_DELIMITERS",
]

#: Characters that end a clause; passages are snapped to them.
CLAUSE_DELIMITERS = "，。；！？：,;!?:"
_STRIP_START = CLAUSE_DELIMITERS + "、 \u3000"
_STRIP_END = "，、：,: \u3000"
SEP_BASE = 0x110000  # above every Unicode code point: separator symbols start here
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DELIM_CODES = np.array(sorted(ord(c) for c in CLAUSE_DELIMITERS), dtype=np.uint32)


def _is_break(code: int) -> bool:
    """True for a separator symbol or a character that is neither a letter nor a digit."""
    return code >= SEP_BASE or not chr(code).isalnum()


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


# --------------------------------------------------------------------------- suffix array


def encode_text(text: str) -> np.ndarray:
    """Code points of ``text`` (uint32); paragraph breaks are marked ``SEP_BASE`` for now."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    codes[codes == 10] = SEP_BASE
    return codes


class SuffixArray:
    """Suffix array ``sa``, LCP array ``lcp`` and inverse ``isa`` of an integer sequence ``codes``.

    ``lcp[k]`` is the longest common prefix of the suffixes at ``sa[k]`` and ``sa[k + 1]``.
    """

    def __init__(self, codes: np.ndarray):
        from pydivsufsort import divsufsort, kasai

        self.codes = np.ascontiguousarray(codes)
        n = len(self.codes)
        if n:
            sa = np.asarray(divsufsort(self.codes))
            self.sa = sa.astype(np.int64)
            self.lcp = np.asarray(kasai(self.codes, sa)).astype(np.int64)
        else:
            self.sa = np.zeros(0, dtype=np.int64)
            self.lcp = np.zeros(0, dtype=np.int64)
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
            return np.zeros(0, dtype=np.int64)
        lo, hi = self.rank_range(pos, length)
        return np.sort(self.sa[lo : hi + 1])

    def intervals(self, min_len: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every LCP interval of value at least ``min_len``: arrays (length, first rank, last rank).

        An interval is a repeated substring that cannot be extended to the right without losing
        an occurrence (a right-maximal repeat); its occurrences are ``sa[lb:rb+1]``. The walk is
        bottom-up with a stack, only over the stretches where the LCP is at least ``min_len``.
        """
        n = len(self.sa)
        empty = np.zeros(0, dtype=np.int64)
        if n < 2:
            return empty, empty, empty
        mask = self.lcp[: n - 1] >= min_len
        if not mask.any():
            return empty, empty, empty
        lens: list[int] = []
        lbs: list[int] = []
        rbs: list[int] = []
        edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
        lcp_list = self.lcp.tolist()
        stop = min_len - 1
        for i0, i1 in edges.reshape(-1, 2).tolist():  # lcp[i0:i1] >= min_len
            stack: list[list[int]] = []
            for i in range(i0, i1 + 1):
                cur = lcp_list[i] if i < i1 else stop
                lb = i
                while stack and cur < stack[-1][0]:
                    top = stack.pop()
                    lb = top[1]
                    lens.append(top[0])
                    lbs.append(lb)
                    rbs.append(i)
                if cur >= min_len and (not stack or cur > stack[-1][0]):
                    stack.append([cur, lb])
        return np.array(lens, dtype=np.int64), np.array(lbs, dtype=np.int64), np.array(rbs, dtype=np.int64)

    def left_diverse(self, lb: np.ndarray, rb: np.ndarray) -> np.ndarray:
        """For each rank interval, whether the symbols before its occurrences are not all equal."""
        sa = self.sa
        prev = self.codes[np.maximum(sa - 1, 0)].astype(np.int64)
        prev[sa == 0] = -1
        changes = np.concatenate(([0], np.cumsum(prev[1:] != prev[:-1])))
        return changes[rb] - changes[lb] > 0


def _spans_groups(labels: np.ndarray, lb: np.ndarray, rb: np.ndarray) -> np.ndarray:
    """For each rank interval, whether ``labels`` (per rank) take two or more values in it."""
    changes = np.concatenate(([0], np.cumsum(labels[1:] != labels[:-1])))
    return changes[rb] - changes[lb] > 0


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
        super().__init__(np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32))

    def doc_of(self, positions: np.ndarray | int) -> np.ndarray:
        """Index of the text holding each global position."""
        return np.searchsorted(self.doc_starts, positions, side="right") - 1

    def position(self, doc: int, offset: int) -> int:
        """Global position of character ``offset`` of text ``doc``."""
        return int(self.doc_starts[doc]) + offset

    def find_text(self, text: str) -> np.ndarray:
        """Sorted global positions of every occurrence of ``text`` (binary search in the suffix array)."""
        if not text or "\n" in text or not len(self.sa):
            return np.zeros(0, dtype=np.int64)
        if self._str is None:
            # the texts as one string, separators as the highest code point (they sort above every character)
            self._str = "\U0010ffff".join(t.replace("\n", "\U0010ffff") for t in self.texts) + "\U0010ffff"
        full, sa, m = self._str, self.sa, len(text)
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

    def maximal_repeats(self, min_len: int, min_docs: int = 2) -> Iterator[tuple[int, np.ndarray]]:
        """Left- and right-maximal repeats of at least ``min_len`` characters found in ``min_docs`` texts.

        Yields ``(length, sorted global positions)``.
        """
        L, LB, RB = self.intervals(min_len)
        if not len(L):
            return
        keep = self.left_diverse(LB, RB)
        if min_docs >= 2:
            keep &= _spans_groups(self.doc_of(self.sa), LB, RB)
        for length, lb, rb in zip(L[keep].tolist(), LB[keep].tolist(), RB[keep].tolist()):
            pos = np.sort(self.sa[lb : rb + 1])
            if min_docs > 2 and len(np.unique(self.doc_of(pos))) < min_docs:
                continue
            yield length, pos


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass
class Passage:
    """A passage two or more documents share; ``kind`` is ``"verbatim"`` or ``"near"``."""

    id: str
    text: str
    kind: str
    docs: list[str]
    occurrences: list[Occurrence]
    variants: list[Variant] = field(default_factory=list)

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
            "occurrences": [o.to_dict() for o in self.occurrences],
            "variants": [v.to_dict() for v in self.variants],
        }


@dataclass(frozen=True)
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
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(SentenceRecord(doc_index, s.index, a, b, text[a:b]))
    return out


def shingles(text: str, k: int = 3) -> set[str]:
    """Character ``k``-grams of ``text`` with punctuation and whitespace removed."""
    t = _NON_WORD.sub("", text)
    if len(t) <= k:
        return {t} if t else set()
    return {t[i : i + k] for i in range(len(t) - k + 1)}


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
        progress: bool = False,
    ):
        self.min_chars = min_chars
        self.near = near
        self.near_threshold = near_threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.random_state = random_state
        self.progress = progress

    # ---- fitting
    def fit(self, corpus: "Corpus", index: TextIndex | None = None) -> "ReuseFinder":
        """Find the shared passages of ``corpus`` (``index``: a prebuilt :class:`TextIndex` of its texts)."""
        docs = list(corpus)
        self.doc_ids_ = [d.id for d in docs]
        self._docs = docs
        self.sentences_ = [document_sentences(d, i) for i, d in enumerate(docs)]
        self._sent_starts = [np.array([s.start for s in ss], dtype=np.int64) for ss in self.sentences_]
        self.index_ = index if index is not None else TextIndex([d.text for d in docs])
        passages = self._verbatim()
        if self.near:
            passages += self._near(passages)
        passages.sort(key=lambda p: (-p.n_docs, -p.n_chars, p.kind, p.text))
        self.passages_ = passages
        return self

    def _sentence_of(self, doc: int, offset: int) -> int:
        """Index (structure numbering) of the sentence holding clean offset ``offset`` of document ``doc``."""
        starts = self._sent_starts[doc]
        if not len(starts):
            return 0
        k = int(np.searchsorted(starts, offset, side="right")) - 1
        return self.sentences_[doc][max(k, 0)].index

    def _occurrence(self, doc: int, start: int, end: int) -> Occurrence:
        d = self._docs[doc]
        rs, re_ = d.raw_span(start, end)
        k = int(np.searchsorted(self._sent_starts[doc], start, side="right")) - 1 if len(self._sent_starts[doc]) else -1
        sent = self.sentences_[doc][k] if k >= 0 else None
        return Occurrence(
            d.id, sent.index if sent else 0, start, end, rs, re_, d.text[start:end], sent.text if sent else ""
        )

    def occurrences_at(self, positions: np.ndarray, length: int) -> list[Occurrence]:
        """Occurrence records for global positions of the index."""
        ix = self.index_
        docs = ix.doc_of(positions)
        return [
            self._occurrence(int(d), int(p - ix.doc_starts[d]), int(p - ix.doc_starts[d]) + length)
            for d, p in zip(docs.tolist(), positions.tolist())
        ]

    def _snap(self, length: int, pos: np.ndarray) -> tuple[int, int] | None:
        """Offsets (within the repeat) of its part that starts and ends at clause boundaries.

        The repeat's own ends count as boundaries when, at every occurrence, the character outside
        is punctuation, a paragraph break or the document edge; inside, it is cut after ``，。；！？：``.
        """
        ix = self.index_
        codes = ix.codes
        n = len(codes)
        p0 = int(pos[0])
        seg = codes[p0 : p0 + length]
        start_ok = all(p == 0 or _is_break(int(codes[p - 1])) for p in pos.tolist())
        end_ok = all(p + length >= n or _is_break(int(codes[p + length])) for p in pos.tolist())
        delims = np.flatnonzero(np.isin(seg, _DELIM_CODES))
        a = 0 if start_ok else (int(delims[0]) + 1 if len(delims) else length)
        b = length if end_ok else (int(delims[-1]) + 1 if len(delims) else 0)
        d0 = int(ix.doc_of(p0))
        text = ix.texts[d0]
        off = p0 - int(ix.doc_starts[d0])
        while a < b and text[off + a] in _STRIP_START:
            a += 1
        while b > a and text[off + b - 1] in _STRIP_END:
            b -= 1
        if b <= a or han_count(text[off + a : off + b]) < self.min_chars:
            return None
        return a, b

    def _verbatim(self) -> list[Passage]:
        ix = self.index_
        found: dict[str, np.ndarray] = {}
        repeats: Iterable[tuple[int, np.ndarray]] = ix.maximal_repeats(self.min_chars, min_docs=2)
        if self.progress:
            from tqdm.auto import tqdm

            repeats = tqdm(repeats, desc="reuse: repeats", unit="rep", leave=False)
        for length, pos in repeats:
            snapped = self._snap(length, pos)
            if snapped is None:
                continue
            a, b = snapped
            p0 = int(pos[0]) + a
            d0 = int(ix.doc_of(p0))
            off = p0 - int(ix.doc_starts[d0])
            text = ix.texts[d0][off : off + (b - a)]
            if text in found:
                continue
            occ = pos + a if (a == 0 and b == length) else ix.occurrences(p0, b - a)
            if len(np.unique(ix.doc_of(occ))) < 2:
                continue
            found[text] = occ
        out = []
        for text, occ in found.items():
            occs = self.occurrences_at(occ, len(text))
            docs = sorted({o.doc_id for o in occs}, key=self.doc_ids_.index)
            out.append(Passage(stable_id("v", text), text, "verbatim", docs, occs))
        return _drop_subsumed(out)

    def _near(self, verbatim: Sequence[Passage] = ()) -> list[Passage]:
        from datasketch import MinHashLSH

        covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
        pos_of = {d: i for i, d in enumerate(self.doc_ids_)}
        for p in verbatim:
            for o in p.occurrences:
                covered[pos_of[o.doc_id]].append((o.start, o.end))
        merged = {d: merge_spans(v) for d, v in covered.items()}

        recs = [s for ss in self.sentences_ for s in ss if han_count(s.text) >= self.min_chars]
        if len(recs) < 2:
            return []
        sigs = sentence_signatures([r.text for r in recs], self.num_perm, self.shingle, self.random_state)
        lsh = MinHashLSH(threshold=self.near_threshold, num_perm=self.num_perm)
        with lsh.insertion_session() as session:
            for i, (_, m) in enumerate(sigs):
                session.insert(i, m, check_duplication=False)
        sims: dict[tuple[int, int], float] = {}
        it: Iterable[int] = range(len(recs))
        if self.progress:
            from tqdm.auto import tqdm

            it = tqdm(it, desc="reuse: near-duplicates", unit="sent", leave=False)
        for i in it:
            for j in lsh.query(sigs[i][1]):
                if j <= i or recs[j].doc == recs[i].doc:
                    continue
                s = _jaccard(sigs[i][0], sigs[j][0])
                if s >= self.near_threshold:
                    sims[(i, j)] = s
        from ._graph import connected_groups

        out = []
        for members in connected_groups(len(recs), sims, nodes={k for pair in sims for k in pair}):
            members.sort(key=lambda k: (recs[k].doc, recs[k].start))
            texts = [recs[k].text for k in members]
            counts = Counter(texts)
            if all(_share_covered(merged.get(recs[k].doc, []), recs[k].start, recs[k].end) >= 0.9 for k in members):
                continue  # verbatim passages already cover these sentences
            rep = max(counts, key=lambda t: (counts[t], -texts.index(t)))
            rep_set = sigs[members[texts.index(rep)]][0]
            occs = [self._occurrence(recs[k].doc, recs[k].start, recs[k].end) for k in members]
            variants = [
                Variant(self.doc_ids_[recs[k].doc], recs[k].index, recs[k].text,
                        _jaccard(rep_set, sigs[k][0]), text_diff(rep, recs[k].text))
                for k in members
                if recs[k].text != rep
            ]
            docs = sorted({self.doc_ids_[recs[k].doc] for k in members}, key=self.doc_ids_.index)
            out.append(Passage(stable_id("n", rep), rep, "near", docs, occs, variants))
        return out

    # ---- results
    def spans(self) -> dict[str, list[tuple[int, int, str, frozenset[str]]]]:
        """Per document id: (start, end, passage id, documents sharing it) of every passage occurrence."""
        self._check()
        out: dict[str, list[tuple[int, int, str, frozenset[str]]]] = {d: [] for d in self.doc_ids_}
        for p in self.passages_:
            docs = frozenset(p.docs)
            for o in p.occurrences:
                out[o.doc_id].append((o.start, o.end, p.id, docs))
        for v in out.values():
            v.sort()
        return out

    def matrix(self) -> "pd.DataFrame":
        """Document × document reuse: share of the row document's characters (non-whitespace) that
        lie in passages it shares with the column document; the diagonal is the share shared with any."""
        import pandas as pd

        self._check()
        ids = self.doc_ids_
        pos = {d: i for i, d in enumerate(ids)}
        m = np.zeros((len(ids), len(ids)))
        for d, spans in self.spans().items():
            i = pos[d]
            denom = _content_length(self._docs[i].text)
            if not denom or not spans:
                continue
            by_other: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for s, e, _, docs in spans:
                for o in docs:
                    if o != d:
                        by_other[o].append((s, e))
            for o, sp in by_other.items():
                m[i, pos[o]] = _covered_content(self._docs[i].text, sp) / denom
            m[i, i] = _covered_content(self._docs[i].text, [(s, e) for s, e, _, _ in spans]) / denom
        return pd.DataFrame(m, index=pd.Index(ids, name="doc_id"), columns=ids)

    def to_records(self) -> list[dict[str, Any]]:
        """The passages as plain dicts (what ``reuse.json`` holds)."""
        self._check()
        return [p.to_dict() for p in self.passages_]

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


def _share_covered(merged: Sequence[tuple[int, int]], start: int, end: int) -> float:
    """Share of ``[start, end)`` covered by the sorted, disjoint spans ``merged``."""
    if end <= start:
        return 1.0
    cov = sum(max(0, min(e, end) - max(s, start)) for s, e in merged if s < end and e > start)
    return cov / (end - start)


def _content_length(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _covered_content(text: str, spans: Iterable[tuple[int, int]]) -> int:
    return sum(_content_length(text[s:e]) for s, e in merge_spans(spans))


def _drop_subsumed(passages: list[Passage]) -> list[Passage]:
    """Drop a passage whose every occurrence lies inside an occurrence of a longer passage with as many occurrences."""
    by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for k, p in enumerate(passages):
        for o in p.occurrences:
            by_doc[o.doc_id].append((o.start, -o.end, k))
    for v in by_doc.values():
        v.sort()
    starts = {d: [s for s, _, _ in v] for d, v in by_doc.items()}
    keep = []
    import bisect

    for k, p in enumerate(passages):
        o = p.occurrences[0]
        lst = by_doc[o.doc_id]
        hi = bisect.bisect_right(starts[o.doc_id], o.start)
        subsumed = False
        for j in range(hi - 1, -1, -1):
            s, neg_e, k2 = lst[j]
            if o.start - s > 4096:
                break
            if k2 != k and -neg_e >= o.end and passages[k2].n_chars > p.n_chars \
                    and len(passages[k2].occurrences) == len(p.occurrences):
                subsumed = True
                break
        if not subsumed:
            keep.append(p)
    return keep

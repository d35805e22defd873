"""Phrase records, the per-document functions, and the arrays the phrase miner works on (occurrences, passages, token stream)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Sequence, TYPE_CHECKING

import numpy as np

from ..records import ArraySequence
from ..records import Occurrence, OccurrenceList, Passage
from ...kernels.codes import merge_spans
from ...kernels.graph import component_labels

if TYPE_CHECKING:  # pragma: no cover
    from ...corpus import Document

__all__ = ["Phrase", "document_zones", "SpanList", "CATEGORIES", "EVALUATIVE_CUES", "PHRASEBANK_COLUMNS"]


CATEGORIES = ("heading", "opening", "closing", "slogan", "evaluative", "formula")

#: Words that make a phrase evaluative (praise, emphasis, intensity) when it contains one.
EVALUATIVE_CUES = (
    "高度", "充分", "一致", "好评", "赞誉", "圆满", "良好", "显著", "明显", "有力", "有序", "扎实",
    "大力", "积极", "认真", "切实", "广泛", "深入", "全面", "高效", "满意", "重视", "成效", "实效",
    "卓有成效", "稳步", "有效", "务实", "周密", "精心", "新台阶", "新局面", "新突破", "新成效",
)

# function words that cannot start or end a phrase
_BAD_EDGE = frozenset(
    "的 了 着 过 地 得 和 与 及 以及 或 或者 并 并且 且 而 也 又 还 都 就 才 等 等等 之 其 所 是 个 "
    "这 那 此 该 各 每 即 则".split()
)
_BAD_END = _BAD_EDGE | frozenset("在 于 对 把 被 由 从 向 以 为 给 将 让 使 要 能 可 会 我 我们 你 他 她 它 就是".split())
_BAD_START = _BAD_EDGE | frozenset("我 我们 你 你们 他 他们 它 它们 本".split())
# anchors of gapped patterns: content words only
_PARTICLES = frozenset("的 了 着 过 地 得 和 与 及 或 等 之 也 都 就 又 还 所 而 并 是 在 于 对 把 被 将 以 为 其 个".split())
# single-character words allowed at a phrase's start (在今后的工作中) or end (在…基础上)
_ONE_CHAR_START = frozenset("在 为 以 按 据 从".split())
_ONE_CHAR_END = frozenset("中 上 下".split())
_PRONOUNS = frozenset("我 我们 你 你们 他 他们 她 它 它们 咱们 大家 自己 本".split())
_PARTICLE_CHARS = frozenset("的了着过地得和与及或等之也都就又还所而并是在于对把被将以为其个")
# jieba part-of-speech tags of a phrase's first word that make it a formula rather than a term
_VERBAL_TAGS = frozenset("v vd vi vg".split())
_MODIFIER_TAGS = frozenset("a ad ag d dg z".split())
_IDIOM_TAGS = frozenset(["i"])  # jieba's "l" covers terms too (体制改革): such words are split

_HAN_TOKEN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_QUOTE = re.compile(r"“([^“”\n]{2,40})”")
_CLAUSE_BREAK = "，。；！？：,;!?:\n"
_OUTER_WINDOW = 20  # characters before a pattern searched for an outer anchor
_LONG_PARAGRAPH = 30  # a prose paragraph is at least this long and has a sentence terminal
_TERMINAL = re.compile("[。！？；]")

PHRASEBANK_COLUMNS = ["id", "phrase", "category", "df", "tf", "score", "kind", "docs", "examples",
                      "chars", "cohesion", "left_entropy", "right_entropy", "fillers", "pattern", "positions"]


# --------------------------------------------------------------------------- records


@dataclass
class Phrase:
    """A recurring phrase (contiguous or gapped) with its statistics and evidence."""

    id: str
    phrase: str
    kind: str  # "contiguous" | "gapped" | "slogan"
    parts: tuple[str, ...]
    category: str
    df: int
    tf: int
    score: float
    docs: list[str]
    spans: Sequence[tuple[str, int, int]]  # (doc id, clean start, clean end) of every occurrence (a SpanList)
    examples: list[Occurrence]
    cohesion: float | None = None
    left_entropy: float | None = None
    right_entropy: float | None = None
    fillers: list[str] = field(default_factory=list)
    pattern: str = ""
    positions: dict[str, int] = field(default_factory=dict)
    sources: int = 0

    def to_dict(self) -> dict[str, Any]:
        r = lambda x: None if x is None else round(float(x), 4)  # noqa: E731
        return {
            "id": self.id,
            "phrase": self.phrase,
            "category": self.category,
            "df": self.df,
            "tf": self.tf,
            "sources": self.sources,
            "score": r(self.score),
            "kind": self.kind,
            "parts": list(self.parts),
            "docs": list(self.docs),
            "examples": [o.to_dict() for o in self.examples],
            "chars": sum(len(p) for p in self.parts),
            "cohesion": r(self.cohesion),
            "left_entropy": r(self.left_entropy),
            "right_entropy": r(self.right_entropy),
            "fillers": list(self.fillers),
            "pattern": self.pattern,
            "positions": dict(self.positions),
        }


class SpanList(ArraySequence):
    """The occurrences of a phrase as ``(doc id, clean start, clean end)`` tuples, held as arrays.

    Behaves like the list of tuples it stands for (``len``, indexing, iteration, ``==`` with a
    list) while storing three integer arrays instead of one Python tuple per occurrence.
    """

    __slots__ = ("_ids", "docs", "starts", "ends")

    def __init__(self, doc_ids: Sequence[str], docs: np.ndarray, starts: np.ndarray, ends: np.ndarray):
        self._ids = doc_ids
        self.docs = np.asarray(docs, dtype=np.int32)
        self.starts = np.asarray(starts, dtype=np.int32)
        self.ends = np.asarray(ends, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return list(self)[i]
        return (self._ids[int(self.docs[i])], int(self.starts[i]), int(self.ends[i]))

    def __iter__(self) -> Iterator[tuple[str, int, int]]:
        ids = self._ids
        return ((ids[d], s, e) for d, s, e in zip(self.docs.tolist(), self.starts.tolist(), self.ends.tolist()))


def _log2_terms(ratios: np.ndarray) -> np.ndarray:
    """``r * log2(r)`` for each ratio, with ``math.log2`` (evaluated once per distinct value)."""
    uniq, inv = np.unique(ratios, return_inverse=True)
    logs = np.fromiter(map(math.log2, uniq.tolist()), dtype=np.float64, count=len(uniq))
    return ratios * logs[inv]


def _grouped_entropies(labels: np.ndarray, symbols: np.ndarray, n_labels: int, exact: bool) -> np.ndarray:
    """Entropy (bits) of the symbols of each label; ``labels`` ascending, symbols in sequence order.

    ``exact``: the same float as :func:`_entropy` of each label's sequence (counts in order of first
    appearance, summed left to right by Python); otherwise a vectorised approximation for screening.
    """
    out = np.zeros(n_labels, dtype=np.float64)
    if not len(labels):
        return out
    labels = labels.astype(np.int64, copy=False)
    sym = symbols.astype(np.int64, copy=False)
    lo = int(sym.min())
    width = int(sym.max()) - lo + 1
    order = np.argsort(labels * width + (sym - lo), kind="stable")  # by (label, symbol), then sequence
    lab = labels[order]
    srt = sym[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (lab[1:] != lab[:-1]) | (srt[1:] != srt[:-1])
    del srt
    run_start = np.flatnonzero(new)
    counts = np.diff(np.append(run_start, len(order)))
    run_label = lab[run_start]
    run_first = order[run_start]  # first appearance of each symbol
    total = np.bincount(labels, minlength=n_labels)
    ratios = counts / total[run_label]
    if not exact:
        np.add.at(out, run_label, ratios * np.log2(ratios))
        return -out
    ro = np.argsort(run_first, kind="stable")  # each label's symbols in order of first appearance
    terms = _log2_terms(ratios[ro]).tolist()
    bounds = np.searchsorted(run_label[ro], np.arange(n_labels + 1)).tolist()
    sums = [sum(terms[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    return -np.array(sums, dtype=np.float64)


def _first_of_runs(sorted_values: np.ndarray) -> np.ndarray:
    """Mask of the first element of each run of equal values."""
    out = np.ones(len(sorted_values), dtype=bool)
    out[1:] = sorted_values[1:] != sorted_values[:-1]
    return out


def _distinct(values: np.ndarray, is_sorted: bool = False) -> np.ndarray:
    """Sorted distinct values (a sort and a mask: faster than hashing for large integer arrays)."""
    v = values if is_sorted else np.sort(values)
    return v[_first_of_runs(v)]


def _shared_sources(pair_item: np.ndarray, dependent: np.ndarray, owner: np.ndarray, pid: np.ndarray,
                    n_items: int) -> np.ndarray:
    """Sources per item among its dependent (item, document) pairs, from the links (pair ``owner``,
    passage ``pid``): one where a single passage links all of them, otherwise the connected
    components of the graph pair -- (item, passage).

    One sort of the links by (passage, pair) serves both: pairs are numbered in item order, so
    the links of one (item, passage) lie together in that order. A dependent pair without any link
    (its containing passage beyond the scan) is a component of its own only when some item of the
    block needs components at all (kept as it was: outputs unchanged)."""
    n_pairs = len(pair_item)
    out = np.zeros(n_items, dtype=np.int64)
    link = _distinct(pid.astype(np.int64) * max(n_pairs, 1) + owner)  # (passage, pair) once
    lpid, lp = link // max(n_pairs, 1), link % max(n_pairs, 1)
    del link
    litem = pair_item[lp]
    group_new = np.ones(len(lp), dtype=bool)  # first link of each (item, passage)
    group_new[1:] = (lpid[1:] != lpid[:-1]) | (litem[1:] != litem[:-1])
    del lpid
    firsts = np.flatnonzero(group_new)
    per_group = np.diff(np.append(firsts, len(lp)))  # distinct pairs per (item, passage)
    best = np.zeros(n_items, dtype=np.int64)
    np.maximum.at(best, litem[firsts], per_group)
    n_dep = np.bincount(pair_item[dependent], minlength=n_items)
    one = best == n_dep
    out += one & (n_dep > 0)
    rest = ~one[litem]
    if not rest.any():
        return out
    lp, node_new = lp[rest], group_new[rest]
    node_new[:1] = True
    node = np.cumsum(node_new) - 1  # (item, passage) nodes, numbered in link order
    size = n_pairs + int(node[-1]) + 1
    labels = component_labels(size, lp, n_pairs + node)
    dep = np.flatnonzero(dependent & ~one[pair_item])
    comp = _distinct(pair_item[dep] * size + labels[dep]) // size
    out += np.bincount(comp, minlength=n_items)
    return out


def _csr_gather(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``starts[i] .. starts[i] + sizes[i] - 1`` of all rows, concatenated, and each one's row."""
    rows = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    offsets = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.repeat(starts.astype(np.int64), sizes) + offsets, rows


# --------------------------------------------------------------------------- per-document functions


def document_zones(doc: "Document") -> dict[str, list[tuple[int, int]]]:
    """Where formulae of each position sit in one document (clean offsets).

    ``opening``: from the start through the first prose paragraph (at least 30 characters with a
    sentence terminal; title, date and salutation lines before it included), stopping at the
    first heading; ``closing``: the last prose paragraph and everything after it (sign-off
    lines); ``heading``: heading texts;
    ``quote``: texts inside quotation marks.
    """
    st = doc.structure
    paras = st.paragraphs
    text = doc.text
    zones: dict[str, list[tuple[int, int]]] = {"opening": [], "closing": [], "heading": [], "quote": []}
    heading_paras = {p.index for p in paras if p.kind == "heading"}
    run_in = {h.start for h in st.headings}


    def prose(p: Any) -> bool:
        return p.kind == "body" and p.end - p.start >= _LONG_PARAGRAPH and bool(_TERMINAL.search(text, p.start, p.end))

    # opening
    end = 0
    for p in paras:
        if p.kind == "heading" or p.start in run_in:
            break
        end = p.end
        if prose(p):
            break
    if end:
        zones["opening"].append((0, end))
    # closing
    start = None
    for p in reversed(paras):
        if p.kind == "heading" and p.index in heading_paras and start is not None:
            break
        start = p.start
        if prose(p):
            break
    if start is not None and paras:
        zones["closing"].append((start, paras[-1].end))
    zones["heading"] = [(h.start, h.end) for h in st.headings]
    zones["quote"] = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text)]
    return {z: merge_spans(v) for z, v in zones.items()}


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=8)


def _gapped_regex(parts: Sequence[str], max_gap: int, groups: bool = False) -> str:
    """Regular expression of a gapped pattern: the anchors in order, fillers of up to ``max_gap``
    characters inside one clause (no ``，。；！？：`` or line break)."""
    gap = f"[^{re.escape(_CLAUSE_BREAK)}]{{0,{max_gap}}}?"
    anchors = [f"({re.escape(p)})" if groups else re.escape(p) for p in parts]
    return gap.join(anchors)


def _refines(new: tuple[str, ...], old: tuple[str, ...]) -> bool:
    """True when gapped pattern ``new`` extends ``old`` outwards: an extra anchor before it, or its
    first anchor grown leftwards / its last anchor grown rightwards (现将…总结 -> 现将…总结如下)."""
    if len(new) == len(old) + 1 and new[1:] == old:
        return True
    if len(new) != len(old) or new == old:
        return False
    if len(new) > 2 and new[1:-1] != old[1:-1]:
        return False
    return new[0].endswith(old[0]) and new[-1].startswith(old[-1])


def _adds_inner(new: tuple[str, ...], old: tuple[str, ...]) -> bool:
    """True when ``new`` is ``old`` with anchors added inside its slots (营造…良好…氛围 of 营造…氛围)."""
    if len(new) <= len(old) or new[0] != old[0] or new[-1] != old[-1]:
        return False
    it = iter(new)
    return all(any(x == y for y in it) for x in old)


_ZONES = ("opening", "closing", "heading", "quote")


@dataclass
class _Item:
    """A phrase candidate on its way to :meth:`PhraseMiner._make_many`."""

    parts: tuple[str, ...]
    quality: float
    pattern: str = ""
    fillers: Sequence[str] = ()
    require_position: bool = False
    stats: dict[str, Any] = field(default_factory=dict)
    skip: bool = False


@dataclass
class _Occ:
    """Character-level occurrences of several items, sorted by (item, document, start, end)."""

    item: np.ndarray
    doc: np.ndarray
    start: np.ndarray  # clean offsets
    end: np.ndarray
    gs: np.ndarray  # global positions in the text index
    ge: np.ndarray
    bounds: np.ndarray  # item i has rows bounds[i]:bounds[i+1]
    n_items: int

    @classmethod
    def of(cls, item: np.ndarray, doc: np.ndarray, start: np.ndarray, end: np.ndarray, n_items: int,
           doc_starts: np.ndarray) -> "_Occ":
        item, doc, start, end = (np.asarray(x, dtype=np.int64) for x in (item, doc, start, end))
        gs = doc_starts[doc] + start
        span = int(doc_starts[-1]) + 1 if len(doc_starts) else 1
        order = np.argsort(item * span + gs, kind="stable")  # (item, document, start); ties keep their order
        if len(order) > 1:
            tie = np.flatnonzero((item[order][1:] == item[order][:-1]) & (gs[order][1:] == gs[order][:-1]))
            if len(tie):  # equal starts: shorter first
                order = np.lexsort((end, start, doc, item))
        item, doc, start, end, gs = item[order], doc[order], start[order], end[order], gs[order]
        bounds = np.searchsorted(item, np.arange(n_items + 1))
        return cls(item, doc, start, end, gs, gs + (end - start), bounds, n_items)

    def select(self, mask: np.ndarray) -> "_Occ":
        """The occurrences of the items where ``mask`` is true, items renumbered in order."""
        new_id = np.cumsum(mask) - 1
        rows = mask[self.item]
        item = new_id[self.item[rows]]
        n = int(mask.sum())
        return _Occ(item, self.doc[rows], self.start[rows], self.end[rows], self.gs[rows], self.ge[rows],
                    np.searchsorted(item, np.arange(n + 1)), n)


@dataclass
class _PassageTable:
    """Occurrence spans of the shared passages in global positions, sorted by (start, end, passage),
    with the running maximum of their ends (``reach``)."""

    start: np.ndarray
    end: np.ndarray
    pid: np.ndarray
    reach: np.ndarray

    @classmethod
    def of(cls, passages: Sequence[Passage], doc_ids: Sequence[str], doc_starts: np.ndarray) -> "_PassageTable":
        rows = _passage_rows(passages, doc_ids)
        base = doc_starts[rows[:, 0]]
        arr = np.stack([base + rows[:, 1], base + rows[:, 2], rows[:, 3]], axis=1)
        arr = arr[np.lexsort((arr[:, 2], arr[:, 1], arr[:, 0]))]
        reach = np.maximum.accumulate(arr[:, 1]) if len(arr) else np.zeros(0, dtype=np.int64)
        return cls(arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].copy(), reach)


def _passage_rows(passages: Sequence[Passage], doc_ids: Sequence[str]) -> np.ndarray:
    """(document index in ``doc_ids``, clean start, clean end, passage number) of every passage
    occurrence, as an (n, 4) int64 array (the arrays behind :class:`OccurrenceList` are read directly)."""
    pos = {d: i for i, d in enumerate(doc_ids)}
    tables: dict[int, tuple[Any, list[int], list[int], list[int]]] = {}  # shared table -> slices
    rows = []
    for k, p in enumerate(passages):
        occ = p.occurrences
        if isinstance(occ, OccurrenceList):
            t = tables.setdefault(id(occ._table), (occ._table, [], [], []))
            t[1].append(occ._lo)
            t[2].append(occ._hi)
            t[3].append(k)
        else:
            rows += [(pos.get(o.doc_id, -1), o.start, o.end, k) for o in occ]
    parts = [np.array(rows, dtype=np.int64).reshape(-1, 4)]
    for table, lo, hi, ks in tables.values():
        lo_a, hi_a = np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64)
        idx, which = _csr_gather(lo_a, hi_a - lo_a)
        remap = np.array([pos.get(d, -1) for d in table.doc_ids], dtype=np.int64)
        parts.append(np.stack([remap[table.doc[idx]], table.start[idx], table.end[idx],
                               np.array(ks, dtype=np.int64)[which]], axis=1).astype(np.int64))
    arr = np.concatenate(parts)
    return arr[arr[:, 0] >= 0]


def _global_spans(per_doc: Sequence[Sequence[tuple[int, int]]],
                  doc_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, disjoint per-document spans as global (start, end) arrays."""
    rows = [(int(doc_starts[d]) + s, int(doc_starts[d]) + e) for d, spans in enumerate(per_doc) for s, e in spans]
    arr = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0].copy(), arr[:, 1].copy()


def _entropy(values: np.ndarray | Sequence[Any]) -> float:
    """Shannon entropy (bits) of the symbols in ``values``."""
    n = len(values)
    if n == 0:
        return 0.0
    counts = Counter(values.tolist() if isinstance(values, np.ndarray) else values).values()
    return -sum(c / n * math.log2(c / n) for c in counts)


_EVALUATIVE = re.compile("|".join(sorted(map(re.escape, EVALUATIVE_CUES), key=len, reverse=True)))


def _is_evaluative(text: str) -> bool:
    return _EVALUATIVE.search(text) is not None


# Han code points (the ranges of _HAN_TOKEN) numbered 1..28096, so that four fit in 60 bits
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _han_index(codes: np.ndarray) -> np.ndarray:
    """1-based index of each Han character among the Han ranges; 0 for any other character."""
    c = codes.astype(np.int64)
    out = np.zeros(len(c), dtype=np.int64)
    offset = 1
    for lo, hi in _HAN_RANGES:
        inside = (c >= lo) & (c <= hi)
        out[inside] = c[inside] - lo + offset
        offset += hi - lo + 1
    return out


def _han_decode(key: int) -> str:
    """The string of a key built from :func:`_han_index` values (15 bits each) and its length - 2 (2 bits)."""
    length = (key & 3) + 2
    key >>= 2
    chars = []
    for _ in range(length):
        k = key & 0x7FFF
        key >>= 15
        offset = 1
        for lo, hi in _HAN_RANGES:
            if k < offset + hi - lo + 1:
                chars.append(chr(lo + k - offset))
                break
            offset += hi - lo + 1
    return "".join(reversed(chars))


@dataclass
class _Matches:
    """The matches of a gapped pattern: document, and clean start / end of each anchor (one row per match)."""

    doc: np.ndarray
    s: np.ndarray
    e: np.ndarray
    base: np.ndarray  # global position of each match's document

    def __len__(self) -> int:
        return len(self.doc)


# --------------------------------------------------------------------------- token stream


@dataclass
class _Tokens:
    """The corpus as one token-id sequence (breakers replaced by unique separators), int32 arrays."""

    words: list[str]  # id -> word
    ids: np.ndarray  # per token position (separators >= len(words))
    doc: np.ndarray
    start: np.ndarray  # global offset (document start + clean offset, as in the text index)
    end: np.ndarray
    clause: np.ndarray  # separators up to and including each position
    content: np.ndarray  # bool: a Han word (not a separator)
    bounds: np.ndarray  # first token position of each document (and the total at the end)


def _token_starts(text: str, toks: Sequence[str], lens: np.ndarray | None = None) -> np.ndarray:
    """Clean offset of each token (the running offset where a tokenizer changed the text)."""
    if lens is None:
        lens = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
    if "".join(toks) == text:  # every character kept: offsets are the running sums
        return np.cumsum(lens) - lens
    starts, pos = [], 0
    for t in toks:
        k = pos if text.startswith(t, pos) else text.find(t, pos)
        if k < 0:
            k = pos
        starts.append(k)
        pos = k + len(t)
    return np.array(starts, dtype=np.int64)


def _token_stream(docs: Sequence["Document"], tokenizer: Callable[[str], list[str]], progress: bool) -> _Tokens:
    """Token ids, offsets and clauses of every document: one document at a time into int32 arrays."""
    vocab: dict[str, int] = {}  # word -> id, -1 for a token that is not a Han word
    words: list[str] = []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    base = 0  # global offset of the document (each text is followed by one separator position)
    it: Iterable["Document"] = docs
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(list(docs), desc="phrases: tokenize", unit="doc", leave=False)
    for doc in it:
        text = doc.text
        toks = tokenizer(text)
        lens = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
        starts = _token_starts(text, toks, lens)
        for t in dict.fromkeys(toks):
            if t not in vocab:
                if _HAN_TOKEN.match(t):
                    vocab[t] = len(words)
                    words.append(t)
                else:
                    vocab[t] = -1
        ids = np.empty(len(toks) + 1, dtype=np.int32)
        ids[:-1] = np.fromiter(map(vocab.__getitem__, toks), dtype=np.int32, count=len(toks))
        ids[-1] = -1  # document end
        st = np.append(starts, len(text)) + base
        en = np.append(starts + lens, len(text)) + base
        parts.append((ids, st.astype(np.int32), en.astype(np.int32)))
        base += len(text) + 1
    counts = np.array([len(p[0]) for p in parts], dtype=np.int64)
    bounds = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    start = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    end = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    del parts
    is_sep = ids < 0
    clause = np.cumsum(is_sep, dtype=np.int32)
    ids[is_sep] = len(words) + np.arange(int(is_sep.sum()), dtype=np.int32)
    doc = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return _Tokens(words, ids, doc, start, end, clause, ~is_sep, bounds)

"""Formulae: the recurring set phrases of a corpus, where they sit, and how formulaic each text is.

:class:`PhraseMiner` finds

* **contiguous phrases** -- word n-grams (jieba tokens, never across punctuation) that recur in
  ``min_df`` documents. They are read off a suffix array over the token sequence: every LCP
  interval is a right-closed n-gram, kept when it is also left-closed, so a fragment that always
  sits inside one longer phrase (same occurrences) never appears. Each keeps its cohesion (the
  smallest pointwise mutual information over its word splits) and its left and right boundary
  entropy (bits; a clause edge counts as a fresh neighbour), so fragments such as ``公开工``
  (always followed by 作) are dropped. Phrases with no verb, adjective, adverb or idiom among
  their words are terms (政务公开工作, 营商环境), not formulae, and are dropped unless position or
  quotation marks make them formulaic (各位代表, 主要做法).
* **gapped patterns** -- two words in one clause with a varying filler between (``营造…氛围``,
  ``现将…总结如下``), kept when they attract each other (each is often found with the other, far
  more often than their frequencies predict) and come from ``min_df_gapped`` independent
  sources (documents that share the pair only inside copied passages count once), grown word by
  word while every occurrence agrees, and given a third anchor when most occurrences share one
  (``让我们…团结在…周围``).
* **slogans** -- texts in quotation marks “…” that recur in ``min_df`` documents.

Counts reported (``tf``, ``df``, examples) are character-level: every place the phrase's text
(or, for a gapped pattern, its regular expression ``pattern``) occurs in the clean text, as
``Corpus.kwic`` would find it.

Each phrase gets a category by position and function: ``heading`` (in headings of most of its
documents), ``opening`` (first paragraph), ``closing`` (last paragraph and sign-off), ``slogan``
(inside quotation marks), ``evaluative`` (praise and emphasis: 高度重视, 一致好评) or ``formula``.

:class:`FormulaicnessIndex` is the 套话 index: per document and per sentence, the share of
characters covered by corpus-level boilerplate (shared passages from :mod:`gkcorpus.reuse` and
the phrases), with the evidence.

At scale: the corpus is held as int32 token arrays (one document segmented at a time), not lists
of strings; candidates are tested in vectorised batches, and the floats that decide or rank a
phrase (entropies, cohesion) are computed exactly as the one-by-one formulas do; occurrences are
arrays (:class:`SpanList`), not one Python tuple each.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from .reuse import (
    ArraySequence,
    SEP_BASE,
    Occurrence,
    OccurrenceList,
    Passage,
    ReuseFinder,
    SentenceRecord,
    SuffixArray,
    TextIndex,
    code_mask,
    _char_set_mask,
    _index_dtype,
    document_sentences,
    merge_spans,
    stable_id,
    _spans_groups,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus, Document

__all__ = [
    "Phrase",
    "PhraseMiner",
    "FormulaicnessIndex",
    "Boilerplate",
    "mine_boilerplate",
    "document_tokens",
    "document_zones",
    "SpanList",
    "CATEGORIES",
    "EVALUATIVE_CUES",
    "PHRASEBANK_COLUMNS",
]

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
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    size = n_pairs + int(node[-1]) + 1
    graph = coo_matrix((np.ones(len(lp), dtype=np.int8), (lp, n_pairs + node)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
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


def document_tokens(text: str, tokenizer: Callable[[str], list[str]]) -> tuple[list[str], list[int]]:
    """Tokens of ``text`` (all of it, punctuation included) and the clean offset of each."""
    toks = tokenizer(text)
    return toks, _token_starts(text, toks).tolist()


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
def _pos_tags(user_dicts: tuple[str, ...]) -> dict[str, str]:
    """Word -> part-of-speech tag from jieba's dictionary and the user dictionaries."""
    import jieba

    tags: dict[str, str] = {}
    paths = [os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), *user_dicts]
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) >= 3 and not parts[0].startswith("#"):
                        tags[parts[0]] = parts[2]
        except OSError:
            continue
    return tags


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


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies inside one of the sorted, disjoint ``spans``."""
    import bisect

    k = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


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


# --------------------------------------------------------------------------- the miner


class PhraseMiner:
    """Mine the formulae of a corpus: contiguous phrases, gapped patterns and quoted slogans.

    Parameters
    ----------
    min_df : a phrase occurs in at least this many documents.
    min_tf : … and at least this many times.
    min_chars, max_chars : length of a contiguous phrase in characters.
    max_tokens : longest contiguous phrase in words (longer shared text is a passage, see reuse).
    min_entropy : smallest left and right boundary entropy (bits) of a contiguous phrase, over
        words and over characters.
    min_cohesion : smallest PMI (bits) between the parts of a multi-word phrase.
    min_position_lift : a phrase belongs to a position (heading, opening, closing, quotation)
        when it sits there in half of its documents and this many times more often than the
        position's share of their characters predicts.
    gapped : also mine gapped patterns; ``max_gap`` is the longest filler in words while
        mining and ``max_gap_chars`` in characters when counting; ``min_df_gapped`` their
        document frequency (and the independent sources a seed pair's own matches need before
        it is grown); ``min_attraction`` how much more often the two words meet than chance
        predicts.
    slogans : also collect quoted slogans.
    keep_terms : keep noun-only phrases (terms) as category ``formula`` instead of dropping them.
    tokenizer : a :class:`~gkcorpus.tokenize.Tokenizer` (its ``.cut`` and its dictionaries' part-of-speech
        tags are used) or a callable ``str -> list[str]`` that keeps every character (default: the
        jieba Tokenizer with the domain dictionary).
    max_examples : examples kept per phrase in exports.
    max_passage_scan : when counting independent sources, the passage spans that start before an
        occurrence are examined for containing it, nearest first, at most this many. This bounds
        the cost where text is copied many times over (every copy adds passages around each
        occurrence); on the bundled corpus and the national reports no occurrence needs more than
        ten, so there every containing passage is found.
    progress : show progress bars.

    Fitted attributes: ``phrases_`` (ranked list of :class:`Phrase`), ``doc_ids_``, ``n_docs_``.
    """

    def __init__(
        self,
        min_df: int = 2,
        min_tf: int = 2,
        min_chars: int = 4,
        max_chars: int = 16,
        max_tokens: int = 6,
        min_entropy: float = 0.7,
        min_cohesion: float = 1.0,
        min_position_lift: float = 3.0,
        gapped: bool = True,
        max_gap: int = 10,
        max_gap_chars: int = 60,
        min_df_gapped: int = 3,
        min_attraction: float = 8.0,
        slogans: bool = True,
        keep_terms: bool = False,
        tokenizer: Callable[[str], list[str]] | None = None,
        max_examples: int = 3,
        max_passage_scan: int = 32,
        progress: bool = False,
    ):
        self.min_df = min_df
        self.min_tf = min_tf
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.max_tokens = max_tokens
        self.min_entropy = min_entropy
        self.min_cohesion = min_cohesion
        self.min_position_lift = min_position_lift
        self.gapped = gapped
        self.max_gap = max_gap
        self.max_gap_chars = max_gap_chars
        self.min_df_gapped = min_df_gapped
        self.min_attraction = min_attraction
        self.slogans = slogans
        self.keep_terms = keep_terms
        self.tokenizer = tokenizer
        self.max_examples = max_examples
        self.max_passage_scan = max_passage_scan
        self.progress = progress

    # ---- fitting
    def _tokenizer(self) -> tuple[Callable[[str], list[str]], tuple[str, ...]]:
        if self.tokenizer is not None and hasattr(self.tokenizer, "_dict_paths"):  # a gkcorpus Tokenizer
            return self.tokenizer.cut, self.tokenizer._dict_paths()
        if self.tokenizer is not None:
            return self.tokenizer, ()
        from .tokenize import Tokenizer

        tok = Tokenizer()
        return tok.cut, tok._dict_paths()

    def fit(self, corpus: "Corpus", index: TextIndex | None = None,
            passages: Sequence[Passage] | None = None,
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "PhraseMiner":
        """Mine ``corpus``.

        ``index``: a prebuilt :class:`~gkcorpus.reuse.TextIndex` of its texts. ``passages``: shared
        passages (from :class:`~gkcorpus.reuse.ReuseFinder`); documents that hold a phrase only inside
        one copied passage count as one source, so text copied between a few documents does not
        pass for a corpus formula. ``sentences``: its :func:`~gkcorpus.reuse.document_sentences`,
        when already computed.
        """
        docs = list(corpus)
        self._docs = docs
        self.doc_ids_ = [d.id for d in docs]
        self.n_docs_ = len(docs)
        self._index = index if index is not None else TextIndex([d.text for d in docs])
        self._sentences = list(sentences) if sentences is not None else \
            [document_sentences(d, i) for i, d in enumerate(docs)]
        self._sent_starts = [np.array([s.start for s in ss], dtype=np.int64) for ss in self._sentences]
        zones = [document_zones(d) for d in docs]
        self._doc_chars = np.array([max(len(d.text), 1) for d in docs], dtype=np.float64)
        self._zone_chars = {z: np.array([sum(e - s for s, e in zs[z]) for zs in zones], dtype=np.float64)
                            for z in _ZONES}
        self._zone_spans = {z: _global_spans([zs[z] for zs in zones], self._index.doc_starts) for z in _ZONES}
        self._passages = _PassageTable.of(passages or (), self.doc_ids_, self._index.doc_starts)
        codes = self._index.codes
        brk = (codes >= SEP_BASE) | _char_set_mask(codes, _CLAUSE_BREAK)
        self._breaks = np.zeros(len(codes) + 1, dtype=np.int32)  # breaks before each global position
        np.cumsum(brk, out=self._breaks[1:])
        self._break_pos = np.flatnonzero(brk)
        del brk
        self._alnum = code_mask(codes, str.isalnum, separators=False)
        self._find_cache: dict[str, np.ndarray] = {}
        self._match_cache: dict[tuple[str, ...], _Matches] = {}
        tokenizer, user_dicts = self._tokenizer()
        self._tags = _pos_tags(user_dicts)
        toks = _token_stream(docs, tokenizer, self.progress)
        self._texts = [d.text for d in docs]
        self._doc_len = np.array([len(t) for t in self._texts], dtype=np.int64)
        self._tok_gs, self._tok_ge = toks.start, toks.end  # global offsets of every token
        phrases: dict[str, Phrase] = {}
        for p in self._contiguous(toks):
            phrases.setdefault(p.phrase, p)
        if self.slogans:
            for p in self._slogans():
                phrases.setdefault(p.phrase, p)
        out = _drop_subsumed(list(phrases.values()))
        if self.gapped:
            out += self._gapped(toks)
        out.sort(key=lambda p: (-p.score, -p.df, -p.tf, p.phrase))
        self.phrases_ = out
        self._match_cache.clear()
        self._find_cache.clear()
        return self

    # ---- evidence
    def _occurrence(self, d: int, start: int, end: int) -> Occurrence:
        doc = self._docs[d]
        rs, re_ = doc.raw_span(start, end)
        starts = self._sent_starts[d]
        k = int(np.searchsorted(starts, start, side="right")) - 1 if len(starts) else -1
        sent = self._sentences[d][k] if k >= 0 else None
        return Occurrence(doc.id, sent.index if sent else 0, start, end, rs, re_, doc.text[start:end],
                          sent.text if sent else "")

    def _sources_many(self, occ: "_Occ", block: int = 1 << 18) -> np.ndarray:
        """Independent sources of each item: documents, except that documents holding the item only
        inside passages they share with each other count once together (connected through the
        passages that contain their occurrences). Items are processed in blocks of about ``block``
        occurrences, so memory stays bounded."""
        out = np.zeros(occ.n_items, dtype=np.int64)
        bounds = occ.bounds
        i0 = 0
        while i0 < occ.n_items:
            i1 = int(np.searchsorted(bounds, bounds[i0] + block, side="right")) - 1
            i1 = min(max(i1, i0 + 1), occ.n_items)
            r0, r1 = int(bounds[i0]), int(bounds[i1])
            out[i0:i1] = self._sources_block(occ.item[r0:r1] - i0, occ.doc[r0:r1], occ.gs[r0:r1], occ.ge[r0:r1],
                                             i1 - i0)
            i0 = i1
        return out

    def _sources_block(self, item: np.ndarray, doc: np.ndarray, gs: np.ndarray, ge: np.ndarray,
                       n_items: int) -> np.ndarray:
        """:meth:`_sources_many` of occurrences sorted by (item, document)."""
        pair_new = np.ones(len(item), dtype=bool)
        pair_new[1:] = (item[1:] != item[:-1]) | (doc[1:] != doc[:-1])
        pair_of = np.cumsum(pair_new) - 1
        pair_item = item[pair_new]
        n_pairs = len(pair_item)
        pt = self._passages
        if not len(pt.start):
            return np.bincount(pair_item, minlength=n_items)
        j = np.searchsorted(pt.start, gs, side="right") - 1
        inside = (j >= 0) & (pt.reach[np.maximum(j, 0)] >= ge)
        dependent = np.bincount(pair_of[~inside], minlength=n_pairs) == 0
        out = np.bincount(pair_item[~dependent], minlength=n_items)
        if not dependent.any():
            return out
        # the passages containing each occurrence of a dependent (item, document) pair
        sel = np.flatnonzero(dependent[pair_of])
        owner, pid = self._containing_passages(j[sel], ge[sel], pair_of[sel])
        return out + _shared_sources(pair_item, dependent, owner, pid, n_items)

    def _containing_passages(self, k: np.ndarray, end: np.ndarray, owner: np.ndarray
                             ) -> tuple[np.ndarray, np.ndarray]:
        """(owner, passage) of every passage span containing an occurrence: the occurrence ends at
        ``end`` and ``k`` is the last span starting at or before it; spans are examined from ``k``
        down, at most ``max_passage_scan`` of them, stopping where no earlier span reaches ``end``.

        Occurrences are walked in span order, so that each step reads the span table nearly in
        sequence (random reads into a table that grows with the copies were the cost)."""
        pt = self._passages
        order = np.argsort(k, kind="stable")
        k, end, owner = k[order], end[order], owner[order]
        owners, pids = [], []
        for _ in range(self.max_passage_scan):
            if not len(k):
                break
            live = k >= 0
            live[live] &= pt.reach[k[live]] >= end[live]
            k, end, owner = k[live], end[live], owner[live]
            hit = pt.end[k] >= end
            owners.append(owner[hit])
            pids.append(pt.pid[k[hit]])
            k = k - 1
        empty = np.zeros(0, dtype=np.int64)
        return (np.concatenate(owners) if owners else empty), (np.concatenate(pids) if pids else empty)

    def _zone_stats_many(self, occ: "_Occ") -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
        """Per item and zone: documents with an occurrence inside the zone, and the zone's lift (share
        of occurrences inside it over its share of the characters of these documents); and the
        number of occurrences inside quotation marks."""
        n_docs = len(self._docs)
        pairs = _distinct(occ.item * n_docs + occ.doc, is_sorted=True)
        pair_item, pair_doc = pairs // n_docs, pairs % n_docs
        total = np.bincount(pair_item, weights=self._doc_chars[pair_doc], minlength=occ.n_items)
        tf = np.bincount(occ.item, minlength=occ.n_items)
        n_docs_z: dict[str, np.ndarray] = {}
        lift: dict[str, np.ndarray] = {}
        quoted = np.zeros(occ.n_items, dtype=np.int64)
        for z in _ZONES:
            zs, ze = self._zone_spans[z]
            k = np.searchsorted(zs, occ.gs, side="right") - 1
            inside = (k >= 0) & (ze[np.maximum(k, 0)] >= occ.ge) if len(zs) else np.zeros(len(occ.gs), dtype=bool)
            n_in = np.bincount(occ.item[inside], minlength=occ.n_items)
            n_docs_z[z] = np.bincount(_distinct(occ.item[inside] * n_docs + occ.doc[inside], is_sorted=True) // n_docs,
                                      minlength=occ.n_items)
            zsum = np.bincount(pair_item, weights=self._zone_chars[z][pair_doc], minlength=occ.n_items)
            with np.errstate(invalid="ignore", divide="ignore"):
                zshare = np.where(total > 0, zsum / np.where(total > 0, total, 1), 0.0)
                lift[z] = np.where(zshare > 0, (n_in / np.maximum(tf, 1)) / np.where(zshare > 0, zshare, 1), 0.0)
            if z == "quote":
                quoted = n_in
        return n_docs_z, lift, quoted

    def _categorize(self, text: str, df: int, tf: int, n_docs: dict[str, int], lift: dict[str, float],
                    quoted: int) -> str:
        """Position first (in most of its documents and far more often than chance), then function."""
        for z in ("heading", "opening", "closing"):
            if n_docs[z] * 2 >= df and lift[z] >= self.min_position_lift:
                return z
        if n_docs["quote"] * 2 >= df and quoted * 2 >= tf:
            return "slogan"
        if _is_evaluative(text):
            return "evaluative"
        return "formula"

    def _make_many(self, kind: str, items: Sequence["_Item"], occ: "_Occ") -> list[Phrase | None]:
        """:class:`Phrase` records from the items' character-level occurrences (None where one does not qualify)."""
        n = len(items)
        out: list[Phrase | None] = [None] * n
        if not n:
            return out
        n_docs = len(self._docs)
        tf = np.bincount(occ.item, minlength=n)
        pairs = _distinct(occ.item * n_docs + occ.doc, is_sorted=True)
        df = np.bincount(pairs // n_docs, minlength=n)
        min_df = self.min_df_gapped if kind == "gapped" else self.min_df
        ok = (df >= min_df) & (tf >= self.min_tf) & (tf > 0)
        if not ok.any():
            return out
        # position and function first (cheap), then the independent sources of what is left
        sub = occ.select(ok)
        keep = np.flatnonzero(ok)
        zd, zl, zq = self._zone_stats_many(sub)
        category: dict[int, str] = {}
        positions: dict[int, dict[str, int]] = {}
        for r, i in enumerate(keep.tolist()):
            it = items[i]
            n_docs_i = {z: int(zd[z][r]) for z in _ZONES}
            quoted = int(zq[r])
            df_i, tf_i = int(df[i]), int(tf[i])
            if kind == "slogan":
                if quoted * 2 < tf_i:
                    ok[i] = False
                    continue
                cat = "slogan"
            else:
                cat = self._categorize("".join(it.parts), df_i, tf_i, n_docs_i,
                                       {z: float(zl[z][r]) for z in _ZONES}, quoted)
            if it.require_position and cat not in ("heading", "opening", "closing", "slogan"):
                ok[i] = False
                continue
            category[i] = cat
            positions[i] = n_docs_i
        del zd, zl, zq
        if not ok.any():
            return out
        sources = np.zeros(n, dtype=np.int64)
        sources[ok] = self._sources_many(occ.select(ok))
        ok &= sources >= min_df
        sub = occ.select(ok)
        keep = np.flatnonzero(ok)
        bounds = sub.bounds.tolist()
        docs_all, starts_all, ends_all = sub.doc, sub.start, sub.end
        for r, i in enumerate(keep.tolist()):
            it = items[i]
            parts = it.parts
            df_i, tf_i = int(df[i]), int(tf[i])
            src = int(sources[i])
            score = self._score(src, tf_i, sum(len(p) for p in parts), it.quality)
            a, b = bounds[r], bounds[r + 1]
            d_i, s_i, e_i = docs_all[a:b], starts_all[a:b], ends_all[a:b]
            examples, seen = [], set()
            for d, s, e in zip(d_i.tolist(), s_i.tolist(), e_i.tolist()):
                if d not in seen:
                    seen.add(d)
                    examples.append(self._occurrence(d, s, e))
                    if len(examples) >= self.max_examples:
                        break
            text = "…".join(parts)
            out[i] = Phrase(
                id=stable_id("f", text), phrase=text, kind=kind, parts=parts, category=category[i], df=df_i, tf=tf_i,
                score=score, docs=[self.doc_ids_[d] for d in d_i[_first_of_runs(d_i)].tolist()],
                spans=SpanList(self.doc_ids_, d_i, s_i, e_i), examples=examples, pattern=it.pattern,
                fillers=list(it.fillers), positions=positions[i], sources=src, **it.stats,
            )
        return out

    def occurrences(self, phrase: Phrase) -> list[Occurrence]:
        """Every occurrence of ``phrase`` with its sentence and raw offsets."""
        pos = {d: i for i, d in enumerate(self.doc_ids_)}
        return [self._occurrence(pos[d], s, e) for d, s, e in phrase.spans]

    def _score(self, sources: int, tf: int, chars: int, quality: float) -> float:
        """Spread over independent sources, dampened frequency and length, times a quality in [0, 1]."""
        spread = sources / max(self.n_docs_, 1)
        per_doc = max(tf / max(sources, 1), 1.0)
        return spread * (1 + math.log2(per_doc)) ** 0.25 * min(1.0, 0.5 + chars / 12) * (0.5 + 0.5 * quality)

    def _is_predicate(self, words: Sequence[str]) -> bool:
        """True for a predicate or set expression, False for a term (a noun phrase).

        A phrase is a predicate when its first word is a verb or idiom (加强组织领导), or an adverb
        or adjective before a verb (进一步加强, 充分发挥), or when it is one idiom-like word
        (高度重视); a phrase opening with a noun is a term (体制改革, 政务公开工作), and so is a
        modifier before a noun (公开内容).
        """
        first = self._tags.get(words[0], "n")
        if len(words) == 1:
            if first in _IDIOM_TAGS or (first in _VERBAL_TAGS and len(words[0]) >= 4):
                return True
            parts = self._subwords(words[0])
            return len(parts) > 1 and self._is_predicate(parts)
        if first in _VERBAL_TAGS or first in _IDIOM_TAGS:
            return True
        if first == "l":
            parts = self._subwords(words[0])
            if len(parts) > 1:
                return self._is_predicate(parts + list(words[1:]))
        last = self._tags.get(words[-1], "n")
        return first in _MODIFIER_TAGS and (last in _VERBAL_TAGS or last in _MODIFIER_TAGS or last in _IDIOM_TAGS)

    def _subwords(self, word: str) -> list[str]:
        """A long dictionary word split in two dictionary words, closest to the middle (体制改革 ->
        体制 改革), so that jieba's fixed expressions (tag ``l``) are judged by their parts."""
        n = len(word)
        for i in sorted(range(1, n), key=lambda i: (abs(n / 2 - i), i)):
            if word[:i] in self._tags and word[i:] in self._tags:
                return [word[:i], word[i:]]
        return [word]

    # ---- contiguous phrases
    def _contiguous(self, toks: _Tokens) -> list[Phrase]:
        """Word n-grams read off the LCP intervals of the token suffix array.

        Cheap tests run on all intervals at once (length, characters, edges, left-maximality,
        documents); boundary entropies are computed with numpy in the exact floats of the
        one-by-one formula; cohesion is screened with numpy and recomputed exactly for the intervals
        that pass; the character-level occurrences, entropies and statistics of the survivors are
        computed in one batch.
        """
        sa = SuffixArray(toks.ids)
        L, LB, RB = sa.intervals(1, self.max_tokens)  # in the bottom-up order of an LCP-interval walk
        if not len(L):
            return []
        n_tok = len(toks.ids)
        words = toks.words
        n_words = len(words)
        tf = RB - LB + 1
        first = sa.sa[LB]
        last_tok = np.minimum(first + L - 1, n_tok - 1)
        chars = toks.end[last_tok] - toks.start[first]
        keep = (tf >= self.min_tf) & (chars >= self.min_chars) & (chars <= self.max_chars)
        keep &= toks.content[first] & (toks.doc[last_tok] == toks.doc[first])
        keep &= toks.clause[last_tok] == toks.clause[first]  # no separator inside
        idx = np.flatnonzero(keep)
        idx = idx[sa.left_diverse(LB[idx], RB[idx]) & _spans_groups(toks.doc[sa.sa], LB[idx], RB[idx])]
        # edges: no function word, no stray single character
        bad_start = np.array([w in _BAD_START or (len(w) < 2 and w not in _ONE_CHAR_START) for w in words], dtype=bool)
        bad_end = np.array([w in _BAD_END or (len(w) < 2 and w not in _ONE_CHAR_END) for w in words], dtype=bool)
        idx = idx[~bad_start[toks.ids[first[idx]]] & ~bad_end[toks.ids[last_tok[idx]]]]
        if self.min_df > 2:
            idx = np.array([k for k in idx.tolist()
                            if len(np.unique(toks.doc[sa.sa[LB[k] : RB[k] + 1]])) >= self.min_df], dtype=np.int64)
        # boundary entropy over words (exact values, vectorised), then a cohesion screen with a margin
        margin = 1e-9
        h_right = self._right_entropy_exact(sa, toks, L, LB, RB, idx)
        h_left = self._left_entropy(sa, toks, LB, RB, idx, exact=True)
        good = np.minimum(h_left, h_right) >= self.min_entropy
        idx, h_left, h_right = idx[good], h_left[good], h_right[good]
        n_tokens = int(toks.content.sum())
        unigram = np.bincount(toks.ids[toks.content], minlength=n_words)
        counts = self._split_counts(sa, toks, unigram, L, LB, idx)  # (row, split) -> counts of the two parts
        coh_fast = np.full(len(idx), np.inf)
        for j, (a_cnt, b_cnt) in counts.items():
            live = L[idx] > j
            with np.errstate(divide="ignore"):
                pmi = np.log2(tf[idx] * float(n_tokens) / (a_cnt * b_cnt))
            coh_fast = np.where(live, np.minimum(coh_fast, pmi), coh_fast)
        good = (L[idx] == 1) | (coh_fast >= self.min_cohesion - margin)
        idx, keep_pos = idx[good], np.flatnonzero(good)
        h_left, h_right = h_left[good], h_right[good]
        counts = {j: (a[keep_pos], b[keep_pos]) for j, (a, b) in counts.items()}
        if not len(idx):
            return []
        # exact cohesion (the same floats as before) for the survivors
        survivors, cohesion_of = [], {}
        for r, k in enumerate(idx.tolist()):
            length = int(L[k])
            if length > 1:
                f = int(tf[k])
                cohesion = min(math.log2(f * n_tokens / (int(counts[j][0][r]) * int(counts[j][1][r])))
                               for j in range(1, length))
                if cohesion < self.min_cohesion:
                    continue
                cohesion_of[k] = cohesion
            survivors.append(r)
        if not survivors:
            return []
        sel = idx[survivors]
        h_left, h_right = h_left[survivors], h_right[survivors]
        # character level: every occurrence of the phrase's text, and its boundary entropy
        p0 = sa.sa[LB[sel]]
        texts = ["".join(words[i] for i in toks.ids[p : p + int(n)].tolist())
                 for p, n in zip(p0.tolist(), L[sel].tolist())]
        gpos = toks.start[p0].astype(np.int64)
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        occ = self._find_many(gpos, lengths)
        c_left, c_right = self._char_entropies(occ)
        items: list[_Item] = []
        for r, k in enumerate(sel.tolist()):
            hl, hr = min(float(h_left[r]), float(c_left[r])), min(float(h_right[r]), float(c_right[r]))
            if min(hl, hr) < self.min_entropy:
                items.append(_Item(("",), 0.0, skip=True))
                continue  # a fragment at the character level (公开工 inside 公开工作)
            text = texts[r]
            ws = [words[i] for i in toks.ids[int(p0[r]) : int(p0[r]) + int(L[k])].tolist()]
            term = not (self.keep_terms or self._is_predicate(ws) or _is_evaluative(text))
            items.append(_Item((text,), min(1.0, min(hl, hr) / 2.0), require_position=term,
                               stats={"cohesion": cohesion_of.get(k), "left_entropy": hl, "right_entropy": hr}))
        live = np.array([not it.skip for it in items], dtype=bool)
        made = self._make_many("contiguous", [it for it in items if not it.skip], occ.select(live))
        return [p for p in made if p is not None]

    def _left_entropy(self, sa: SuffixArray, toks: _Tokens, LB: np.ndarray, RB: np.ndarray, idx: np.ndarray,
                      exact: bool) -> np.ndarray:
        """Entropy of the word before the occurrences of each interval of ``idx`` (in rank order)."""
        sizes = (RB[idx] - LB[idx] + 1).astype(np.int64)
        ranks, rows = _csr_gather(LB[idx], sizes)
        symbols = toks.ids[sa.sa[ranks] - 1]
        return _grouped_entropies(rows, symbols.astype(np.int64), len(idx), exact)

    def _right_entropy_exact(self, sa: SuffixArray, toks: _Tokens, L: np.ndarray, LB: np.ndarray, RB: np.ndarray,
                             idx: np.ndarray) -> np.ndarray:
        sizes = (RB[idx] - LB[idx] + 1).astype(np.int64)
        ranks, rows = _csr_gather(LB[idx], sizes)
        nxt = np.minimum(sa.sa[ranks].astype(np.int64) + L[idx][rows], len(toks.ids) - 1)
        return _grouped_entropies(rows, toks.ids[nxt].astype(np.int64), len(idx), True)

    def _split_counts(self, sa: SuffixArray, toks: _Tokens, unigram: np.ndarray, L: np.ndarray, LB: np.ndarray,
                      idx: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """For each split ``j`` of the intervals ``idx``: occurrences of the first ``j`` words and of
        the rest (0 where the interval is not longer than ``j``)."""
        n = len(sa.sa)
        p0 = sa.sa[LB[idx]].astype(np.int64)
        lens = L[idx].astype(np.int64)
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        queries: dict[int, list[tuple[int, int, np.ndarray]]] = defaultdict(list)  # level -> (j, side, rows)
        for j in range(1, self.max_tokens):
            rows = np.flatnonzero(lens > j)
            out[j] = (np.zeros(len(idx), dtype=np.int64), np.zeros(len(idx), dtype=np.int64))
            if not len(rows):
                continue
            queries[j].append((j, 0, rows))
            for m in np.unique(lens[rows] - j).tolist():
                queries[m].append((j, 1, rows[lens[rows] - j == m]))
        isa = sa.isa
        lcp = sa.lcp[: n - 1]
        for m, qs in sorted(queries.items()):
            if m == 1:
                for j, side, rows in qs:
                    pos = p0[rows] if side == 0 else p0[rows] + j
                    out[j][side][rows] = unigram[toks.ids[pos]]
                continue
            cuts = np.flatnonzero(lcp < m)  # rank k and k + 1 differ within their first m words
            for j, side, rows in qs:
                pos = p0[rows] if side == 0 else p0[rows] + j
                r = isa[pos].astype(np.int64)
                c = np.searchsorted(cuts, r, side="left")
                lo = np.where(c > 0, cuts[np.maximum(c - 1, 0)] + 1, 0)
                hi = np.where(c < len(cuts), cuts[np.minimum(c, len(cuts) - 1)], n - 1)
                out[j][side][rows] = hi - lo + 1
        return out

    def _find_many(self, gpos: np.ndarray, lengths: np.ndarray) -> "_Occ":
        """Every occurrence (character level) of the text at global position ``gpos[i]`` of length
        ``lengths[i]``, for all ``i`` at once: rank ranges read off the LCP array level by level."""
        ix = self._index
        n = len(ix.sa)
        lo = np.zeros(len(gpos), dtype=np.int64)
        hi = np.zeros(len(gpos), dtype=np.int64)
        lcp = ix.lcp[: n - 1]
        ranks = ix.isa[gpos].astype(np.int64)
        for m in np.unique(lengths).tolist():
            rows = np.flatnonzero(lengths == m)
            cuts = np.flatnonzero(lcp < m)
            c = np.searchsorted(cuts, ranks[rows], side="left")
            lo[rows] = np.where(c > 0, cuts[np.maximum(c - 1, 0)] + 1, 0)
            hi[rows] = np.where(c < len(cuts), cuts[np.minimum(c, len(cuts) - 1)], n - 1)
        sizes = hi - lo + 1
        r, item = _csr_gather(lo, sizes)
        g = ix.sa[r].astype(np.int64)
        doc = ix.doc_of(g)
        start = g - ix.doc_starts[doc]
        return _Occ.of(item, doc, start, start + lengths[item], len(gpos), ix.doc_starts)

    def _char_entropies(self, occ: "_Occ") -> tuple[np.ndarray, np.ndarray]:
        """Left and right boundary entropy (bits) over characters of each item; punctuation and text
        edges are fresh symbols (the same floats as counting them one by one)."""
        codes = self._index.codes
        alnum = self._alnum
        fresh = -1 - np.arange(len(occ.gs), dtype=np.int64)
        before = occ.gs - 1
        left = np.where(alnum[before], codes[before].astype(np.int64), fresh)
        right = np.where(alnum[occ.ge], codes[occ.ge].astype(np.int64), fresh)
        return (_grouped_entropies(occ.item, left, occ.n_items, True),
                _grouped_entropies(occ.item, right, occ.n_items, True))

    # ---- quoted slogans
    def _slogans(self) -> list[Phrase]:
        seen: dict[str, tuple[int, int]] = {}
        for d, doc in enumerate(self._docs):
            for m in _QUOTE.finditer(doc.text):
                t = m.group(1)
                if len(_HAN.findall(t)) >= self.min_chars and t not in seen:
                    seen[t] = (d, m.start(1))
        if not seen:
            return []
        found = sorted(seen.items())
        ix = self._index
        gpos = np.array([int(ix.doc_starts[d]) + s for _, (d, s) in found], dtype=np.int64)
        occ = self._find_many(gpos, np.array([len(t) for t, _ in found], dtype=np.int64))
        made = self._make_many("slogan", [_Item((t,), 1.0) for t, _ in found], occ)
        return [p for p in made if p is not None]

    # ---- gapped patterns
    def _seed_pairs(self, toks: _Tokens) -> list[tuple[str, str]]:
        """Word pairs in one clause, a few words apart, that attract each other (token level, vectorised)."""
        words = toks.words
        n_words = len(words)
        wid = toks.ids
        is_word = wid < n_words
        wlen = np.zeros(len(wid), dtype=np.int64)
        wlen[is_word] = np.array([len(w) for w in words], dtype=np.int64)[wid[is_word]]
        particle = np.array([w in _PARTICLES for w in words] + [True], dtype=bool)
        anchor = is_word & (wlen >= 2)
        anchor[anchor] &= ~particle[wid[anchor]]
        apos = np.flatnonzero(anchor)
        if len(apos) < 2:
            return []
        aid = wid[apos].astype(np.int64)
        acl = toks.clause[apos]
        adoc = toks.doc[apos].astype(np.int64)
        c_word = np.bincount(aid, minlength=n_words)
        D = max(self.n_docs_, 1)
        def near_pairs(k: int) -> tuple[np.ndarray, np.ndarray] | None:
            """(pair key, first position) of the anchors ``k`` anchors apart in one clause, or None past the gap."""
            if k >= len(apos):
                return None
            d = apos[k:] - apos[:-k]
            near = d <= self.max_gap + 1
            if not near.any():
                return None
            ok = np.flatnonzero(near & (d >= 2) & (acl[:-k] == acl[k:]))
            return aid[ok] * n_words + aid[ok + k], ok

        # pass 1: occurrences of each pair (repeats collapse per distance), then attraction
        keys, counts = [], []
        for k in range(1, self.max_gap + 1):
            found = near_pairs(k)
            if found is None:
                break
            u, c = np.unique(found[0], return_counts=True)
            keys.append(u)
            counts.append(c)
        if not keys:
            return []
        key = np.concatenate(keys)
        cnt = np.concatenate(counts)
        del keys, counts
        order = np.argsort(key, kind="stable")
        key, cnt = key[order], cnt[order]
        first = _first_of_runs(key)
        uk = key[first]
        n_pair = np.add.reduceat(cnt, np.flatnonzero(first))
        del key, cnt, order, first
        a_of, b_of = uk // n_words, uk % n_words
        ca, cb = c_word[a_of], c_word[b_of]
        expected = ca * cb * self.max_gap / len(apos)
        attraction = n_pair / np.maximum(expected, 1e-9)
        cond = np.maximum(n_pair / ca, n_pair / cb)
        good = (attraction >= self.min_attraction) & (cond >= 0.3)
        # pass 2: documents of the attracted pairs
        cand = uk[good]
        if not len(cand):  # no pair is attracted enough: no gapped seeds
            return []
        pair_docs = []
        for k in range(1, self.max_gap + 1):
            found = near_pairs(k)
            if found is None:
                break
            kk, i = found
            at = np.searchsorted(cand, kk)
            hit = (at < len(cand)) & (cand[np.minimum(at, max(len(cand) - 1, 0))] == kk)
            pair_docs.append(_distinct(at[hit] * D + adoc[i[hit]]))
        pd_ = _distinct(np.concatenate(pair_docs)) if pair_docs else np.zeros(0, dtype=np.int64)
        df_of = np.zeros(len(uk), dtype=np.int64)
        df_of[np.flatnonzero(good)] = np.bincount(pd_ // D, minlength=len(cand))
        good &= df_of >= self.min_df_gapped
        return [(words[int(a)], words[int(b)]) for a, b in zip(a_of[good], b_of[good])]

    def _seed_matches(self, seeds: Sequence[tuple[str, str]]) -> "_Occ":
        """The matches of every two-word pattern of ``seeds`` (as :meth:`_match_gapped` finds them), all
        at once, each walked from its rarer word: for an occurrence of the first word, the nearest
        second word after it in the clause; for an occurrence of the second word, the earliest first
        word before it that would pick it. Matches are also cached. Returns (seed, doc, start, end)."""
        if not seeds:
            return _Occ.of(*(np.zeros(0, dtype=np.int64) for _ in range(4)), 0, self._index.doc_starts)
        ix = self._index
        anchors: dict[str, int] = {}
        for a, b in seeds:
            anchors.setdefault(a, len(anchors))
            anchors.setdefault(b, len(anchors))
        pos = [self._find(w) for w in anchors]
        sizes = np.array([len(p) for p in pos], dtype=np.int64)
        a_id = np.array([anchors[a] for a, _ in seeds], dtype=np.int64)
        b_id = np.array([anchors[b] for _, b in seeds], dtype=np.int64)
        la = np.array([len(a) for a, _ in seeds], dtype=np.int64)
        lb = np.array([len(b) for _, b in seeds], dtype=np.int64)
        gap = self.max_gap_chars
        brk = self._breaks
        forward = sizes[a_id] <= sizes[b_id]  # walk the rarer word of each seed
        walked = np.where(forward, a_id, b_id)
        seed_rows = np.repeat(np.arange(len(seeds), dtype=np.int64), sizes[walked])
        at = np.concatenate([pos[w] for w in walked.tolist()]) if len(seeds) else np.zeros(0, dtype=np.int64)
        first_row = np.zeros(len(seeds) + 1, dtype=np.int64)
        np.cumsum(sizes[walked], out=first_row[1:])

        def next_of(anchor: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """First occurrence of ``anchor`` at or after ``value``: (found, position); one search per anchor."""
            found = np.zeros(len(value), dtype=bool)
            out = np.zeros(len(value), dtype=np.int64)
            order = np.argsort(anchor, kind="stable")
            cut = np.flatnonzero(np.diff(anchor[order])) + 1
            for grp in np.split(order, cut) if len(order) else []:
                p = pos[int(anchor[grp[0]])]
                k = np.searchsorted(p, value[grp].astype(p.dtype))
                ok = k < len(p)
                found[grp] = ok
                out[grp[ok]] = p[k[ok]]
            return found, out

        # forward: every occurrence of the first word and the nearest second word after it
        fw = forward[seed_rows]
        seed_f, st = seed_rows[fw], at[fw]
        en0 = st + la[seed_f]
        ok, q = next_of(b_id[seed_f], en0)
        ok &= (q - en0 <= gap) & (brk[np.minimum(q, len(brk) - 1)] == brk[en0])
        seed_f, st, q = seed_f[ok], st[ok], q[ok]
        first = _first_of_runs(seed_f * (len(ix.codes) + 1) + q)  # one candidate per second word: the earliest
        seed_f, st, q = seed_f[first], st[first], q[first]
        # backward: every occurrence of the second word and the earliest first word that picks it
        row_idx = np.flatnonzero(~fw)
        seed_b, qb = seed_rows[row_idx], at[row_idx]
        prev_b = np.where(row_idx > first_row[seed_b], at[np.maximum(row_idx - 1, 0)], -1)
        n_brk = brk[qb]
        last_brk = np.where(n_brk > 0, self._break_pos[np.maximum(n_brk - 1, 0)], -1)
        lo = np.maximum(np.maximum(prev_b + 1, qb - gap), last_brk + 1)  # the first word must end here or later
        ok, sa_ = next_of(a_id[seed_b], np.maximum(lo - la[seed_b], 0))
        ok &= (sa_ + la[seed_b] >= lo) & (sa_ + la[seed_b] <= qb)
        seed_b, sa_, qb = seed_b[ok], sa_[ok], qb[ok]
        seed = np.concatenate([seed_f, seed_b])
        start = np.concatenate([st, sa_])
        second = np.concatenate([q, qb])
        order = np.lexsort((start, seed))
        seed, start, second = seed[order], start[order], second[order]
        end = second + lb[seed]
        # a candidate inside the previous one (anchors sharing characters): walk that seed exactly
        clash = np.zeros(len(seed), dtype=bool)
        clash[1:] = (seed[1:] == seed[:-1]) & (start[1:] < end[:-1])
        exact = np.zeros(len(seeds), dtype=bool)
        exact[seed[clash]] = True
        bounds = np.searchsorted(seed, np.arange(len(seeds) + 1)).tolist()
        doc = ix.doc_of(start) if len(start) else np.zeros(0, dtype=np.int64)
        base = ix.doc_starts[doc]
        items, docs, starts, ends = [], [], [], []
        for i, sd in enumerate(seeds):
            key = tuple(sd)
            if exact[i]:
                m = self._match_gapped(sd)
            else:
                r0, r1 = bounds[i], bounds[i + 1]
                b0 = base[r0:r1]
                m = _Matches(doc[r0:r1], np.stack([start[r0:r1], second[r0:r1]], axis=1) - b0[:, None],
                             np.stack([start[r0:r1] + la[i], end[r0:r1]], axis=1) - b0[:, None], b0)
                self._match_cache.setdefault(key, m)
            items.append(np.full(len(m), i, dtype=np.int64))
            docs.append(m.doc)
            starts.append(m.s[:, 0])
            ends.append(m.e[:, -1])
        return _Occ.of(np.concatenate(items), np.concatenate(docs), np.concatenate(starts), np.concatenate(ends),
                       len(seeds), ix.doc_starts)

    def _find(self, text: str) -> np.ndarray:
        """Global positions (in the text index) of every occurrence of ``text``; cached."""
        hit = self._find_cache.get(text)
        if hit is None:
            hit = self._find_cache[text] = self._index.find_text(text)
        return hit

    def _match_gapped(self, parts: Sequence[str]) -> "_Matches":
        """Every match of the gapped pattern, exactly as ``re.finditer`` of its regular expression
        finds them (each anchor followed by the nearest next one in the same clause, fillers of at
        most ``max_gap_chars``, matches not overlapping), computed from the anchors' occurrences in
        the suffix array; cached."""
        key = tuple(parts)
        hit = self._match_cache.get(key)
        if hit is not None:
            return hit
        ix = self._index
        starts = self._find(parts[0]).astype(np.int64)
        ends = starts + len(parts[0])
        s_cols, e_cols = [starts], [ends]
        ok = np.ones(len(starts), dtype=bool)
        for part in parts[1:]:
            pb = self._find(part)
            j = np.searchsorted(pb, ends.astype(pb.dtype))
            valid = j < len(pb)
            q = np.where(valid, pb[np.minimum(j, max(len(pb) - 1, 0))] if len(pb) else 0, 0).astype(np.int64)
            valid &= (q - ends) <= self.max_gap_chars
            valid &= self._breaks[np.minimum(q, len(self._breaks) - 1)] == self._breaks[ends]
            ok &= valid
            ends = q + len(part)
            s_cols.append(q)
            e_cols.append(ends)
        idx = np.flatnonzero(ok)
        st, en = starts[idx], ends[idx]
        if len(idx) > 1 and (st[1:] < en[:-1]).any():  # drop matches inside the previous one (finditer skips them)
            keep, last_end = [], -1
            for k, (a, b) in enumerate(zip(st.tolist(), en.tolist())):
                if a >= last_end:
                    keep.append(k)
                    last_end = b
            idx = idx[keep]
        doc = ix.doc_of(starts[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
        base = ix.doc_starts[doc]
        out = _Matches(doc, np.stack([c[idx] for c in s_cols], axis=1) - base[:, None],
                       np.stack([c[idx] for c in e_cols], axis=1) - base[:, None], base)
        self._match_cache[key] = out
        return out

    def _at_boundary(self, doc: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """For each offset ``pos`` of document ``doc``: whether it falls between two words."""
        g = (self._index.doc_starts[doc] + pos).astype(self._tok_gs.dtype)
        k = np.searchsorted(self._tok_gs, g)
        hit = (k < len(self._tok_gs)) & (self._tok_gs[np.minimum(k, len(self._tok_gs) - 1)] == g)
        return hit | (pos >= self._doc_len[doc])

    def _words_at(self, doc: np.ndarray, pos: np.ndarray, side: str) -> list[str] | None:
        """The word ending (``side="left"``) or starting (``"right"``) at each offset, or None when
        one of the offsets is not such a word boundary."""
        g = (self._index.doc_starts[doc] + pos).astype(self._tok_gs.dtype)
        n = len(self._tok_gs)
        if side == "left":
            k = np.searchsorted(self._tok_ge, g)
            kk = np.minimum(k, n - 1)
            ok = (k < n) & (self._tok_ge[kk] == g) & (self._tok_gs[kk] < g)
            other = self._tok_gs[kk].astype(np.int64)
        else:
            k = np.searchsorted(self._tok_gs, g)
            kk = np.minimum(k, n - 1)
            ok = (k < n) & (self._tok_gs[kk] == g) & (self._tok_ge[kk] > g)
            other = self._tok_ge[kk].astype(np.int64)
        if not ok.all():
            return None
        texts = self._texts
        other = (other - (g - pos)).tolist()
        if side == "left":
            return [texts[d][a:b] for d, a, b in zip(doc.tolist(), other, pos.tolist())]
        return [texts[d][a:b] for d, a, b in zip(doc.tolist(), pos.tolist(), other)]

    def _grow(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        """Grow each anchor by a word while every match agrees on it (现将…如下 -> 现将…总结如下).

        The word added is the longest common suffix (to the left) or prefix (to the right) of the
        neighbouring words, provided it is itself a word in one of the matches; a filler of at
        least one character stays, and no particle is added at the pattern's outer edges.
        """
        for _ in range(12):
            m = self._match_gapped(parts)
            if len(m) < 2:
                return parts
            grown = None
            for a in range(len(parts)):
                for side in ("left", "right"):
                    words = self._words_at(m.doc, m.s[:, a] if side == "left" else m.e[:, a], side)
                    if words is None:
                        continue
                    common = os.path.commonprefix([w[::-1] for w in words])[::-1] if side == "left" \
                        else os.path.commonprefix(words)
                    if not common or common not in words or not _HAN_TOKEN.match(common):
                        continue
                    outer = (side == "left" and a == 0) or (side == "right" and a == len(parts) - 1)
                    if outer and (common in _PARTICLES or common in _PRONOUNS):
                        continue
                    if not outer:  # keep a filler
                        k = len(common)
                        if side == "right" and (m.e[:, a] + k >= m.s[:, a + 1]).any():
                            continue
                        if side == "left" and (m.s[:, a] - k <= m.e[:, a - 1]).any():
                            continue
                    new = list(parts)
                    new[a] = common + new[a] if side == "left" else new[a] + common
                    grown = tuple(new)
                    break
                if grown:
                    break
            if grown is None:
                return parts
            parts = grown
        return parts

    def _outer_anchor(self, parts: tuple[str, ...]) -> tuple[str, ...] | None:
        """A word before the first anchor in the same clause that most matches share, with a varying
        filler between (让我们 in 让我们…团结在…周围), or None."""
        m = self._match_gapped(parts)
        if len(_distinct(m.doc, is_sorted=True)) < self.min_df_gapped:
            return None
        need = max(0.4 * min(len(m), 500), self.min_df_gapped)
        support = self._left_support(m, 500, need)
        cands = [w for w in support if w not in _PRONOUNS and w not in _PARTICLES]
        for w in sorted(cands, key=lambda w: (-support[w], -len(w), w)):
            new = (w, *parts)
            m2 = self._match_gapped(new)
            if not (self._at_boundary(m2.doc, m2.s[:, 0]).all() and self._at_boundary(m2.doc, m2.e[:, 0]).all()):
                continue  # not a whole word everywhere (让我 of 让我们)
            texts = self._texts
            gaps = [texts[d][a:b] for d, a, b in zip(m2.doc.tolist(), m2.e[:, 0].tolist(), m2.s[:, 1].tolist())]
            filled = [g for g in gaps if g]
            if len(_distinct(m2.doc, is_sorted=True)) < self.min_df_gapped or len(filled) * 2 < len(gaps) \
                    or len(set(filled)) < 2:
                continue
            return new
        return None

    def _left_support(self, m: "_Matches", limit: int, need: float = 0) -> dict[str, int]:
        """In how many of the first ``limit`` matches each Han string of 2 to 4 characters occurs in
        the clause before the match (at most ``_OUTER_WINDOW`` characters, leaving one character
        of filler); only the strings found in at least ``need`` of them."""
        n = min(len(m), limit)
        if not n:
            return {}
        ix = self._index
        g0 = m.base[:n] + m.s[:n, 0]  # global start of each match
        # window start: after the last clause break before the match, at most _OUTER_WINDOW back
        brk_before = self._breaks[g0]  # breaks before g0
        last_brk = np.where(brk_before > 0, self._break_pos[np.maximum(brk_before - 1, 0)], -1)
        lo = np.maximum(np.maximum(last_brk + 1, g0 - _OUTER_WINDOW), m.base[:n])
        hi = g0 - 1  # the window is [lo, hi)
        width = np.maximum(hi - lo, 0)
        pos, row = _csr_gather(lo, width)
        han = _han_index(ix.codes[pos])  # 1.. for a Han character, 0 otherwise
        keys, rows = [], []
        offset = np.arange(len(pos), dtype=np.int64) - np.repeat(np.cumsum(width) - width, width)
        room = np.repeat(width, width) - offset  # characters from each position to the window's end
        at = np.arange(len(pos), dtype=np.int64)
        for length in (2, 3, 4):
            ok = room >= length
            key = np.zeros(len(pos), dtype=np.int64)
            for j in range(length):
                c = han[np.minimum(at + j, len(pos) - 1)]
                ok &= c > 0
                key = (key << 15) | c
            key = (key << 2) | (length - 2)
            keys.append(key[ok])
            rows.append(row[ok])
        k = np.concatenate(keys)
        r = np.concatenate(rows)
        if not len(k):
            return {}
        order = np.lexsort((r, k))
        k, r = k[order], r[order]
        first = np.ones(len(k), dtype=bool)
        first[1:] = (k[1:] != k[:-1]) | (r[1:] != r[:-1])  # each string once per match
        uk, cnt = np.unique(k[first], return_counts=True)
        enough = cnt >= need
        return {_han_decode(int(x)): int(c) for x, c in zip(uk[enough].tolist(), cnt[enough].tolist())}

    def _count_gapped_many(self, patterns: Sequence[tuple[str, ...]]) -> list[Phrase | None]:
        """Phrase records of gapped patterns whose fillers vary (None for the others)."""
        items: list[_Item] = []
        cols: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        where: list[int] = []
        texts = self._texts
        for parts in patterns:
            m = self._match_gapped(parts)
            if len(parts) == 2:
                fills = [texts[d][a:b] for d, a, b in zip(m.doc.tolist(), m.e[:, 0].tolist(), m.s[:, 1].tolist())]
            else:
                fills = ["…".join(texts[d][a:b] for a, b in zip(es, ss)) for d, es, ss in
                         zip(m.doc.tolist(), m.e[:, :-1].tolist(), m.s[:, 1:].tolist())]
            fillers = Counter(fills)
            with_gap = int((m.s[:, 1:] > m.e[:, :-1]).any(axis=1).sum()) if len(m) else 0
            if len(fillers) < 2 or with_gap * 2 < len(m):
                where.append(-1)
                continue
            diversity = len(fillers) / max(len(m), 1)
            top = [f for f, _ in sorted(fillers.items(), key=lambda x: (-x[1], x[0]))[:5]]
            where.append(len(items))
            cols.append((np.full(len(m), len(items), dtype=np.int64), m.doc, m.s[:, 0], m.e[:, -1]))
            items.append(_Item(parts, diversity, pattern=_gapped_regex(parts, self.max_gap_chars), fillers=top))
        cat = [np.concatenate([c[i] for c in cols]) if cols else np.zeros(0, dtype=np.int64) for i in range(4)]
        occ = _Occ.of(cat[0], cat[1], cat[2], cat[3], len(items), self._index.doc_starts)
        made = self._make_many("gapped", items, occ)
        return [made[w] if w >= 0 else None for w in where]

    def _gapped(self, toks: _Tokens) -> list[Phrase]:
        bases: dict[tuple[str, ...], None] = {}
        seeds = self._seed_pairs(toks)
        # a seed that copied text alone makes common (fewer than min_df_gapped independent sources) is dropped
        occ = self._seed_matches(seeds)
        src = self._sources_many(occ)
        seeds = [sd for sd, k in zip(seeds, src.tolist()) if k >= self.min_df_gapped]
        for a, b in seeds:
            bases.setdefault(self._grow((a, b)), None)
        patterns: dict[tuple[str, ...], tuple[str, ...] | None] = {p: None for p in bases}
        for p in list(bases):
            outer = self._outer_anchor(p)
            if outer is not None:
                patterns.setdefault(self._grow(outer), p)
        listed = list(patterns.items())
        made = self._count_gapped_many([parts for parts, _ in listed])
        found = [(ph, parent) for ph, (_, parent) in zip(made, listed) if ph is not None]
        found.sort(key=lambda x: (-x[0].score, -x[0].df, x[0].phrase))
        accepted: list[Phrase] = []
        accepted_parts: set[tuple[str, ...]] = set()
        taken: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # doc -> sorted (start, end, pattern)
        longest = 0
        import bisect

        for ph, parent in found:
            if ph.parts in accepted_parts:
                continue
            overlap = 0
            near: set[int] = set()
            for d, s0, e0 in ph.spans:
                lst = taken[d]
                k = bisect.bisect_left(lst, (s0 - longest, -1, -1))
                hit = False
                while k < len(lst) and lst[k][0] < e0:
                    s, e, q = lst[k]
                    if 2 * (min(e, e0) - max(s, s0)) >= e0 - s0:  # an accepted pattern covers half of it
                        hit = True
                        near.add(q)
                    k += 1
                overlap += hit
            # a pattern with an outer anchor passed its own test; others must say something new
            inner = any(_adds_inner(ph.parts, accepted[q].parts) for q in near)
            same_start = any(accepted[q].parts[0] == ph.parts[0] for q in near)
            refines = (parent is not None and not inner and not same_start) or any(
                _refines(ph.parts, accepted[q].parts) or _refines(accepted[q].parts, ph.parts) for q in near)
            if overlap >= 0.8 * len(ph.spans) and not refines:
                continue
            accepted.append(ph)
            accepted_parts.add(ph.parts)
            for d, s0, e0 in ph.spans:
                bisect.insort(taken[d], (s0, e0, len(accepted) - 1))
                longest = max(longest, e0 - s0)
        return accepted

    # ---- results
    def to_records(self, top: int | None = None) -> list[dict[str, Any]]:
        """The phrase bank as plain dicts (what ``phrasebank.json`` holds)."""
        self._check()
        return [p.to_dict() for p in self.phrases_[:top]]

    def to_frame(self, top: int | None = None) -> "pd.DataFrame":
        """One row per phrase, most formulaic first."""
        import pandas as pd

        return pd.DataFrame(self.to_records(top), columns=["id", "phrase", "category", "df", "tf", "score", "kind",
                                                           "parts", "docs", "examples", "chars", "cohesion",
                                                           "left_entropy", "right_entropy", "fillers", "pattern",
                                                           "positions"])

    def userdict(self, freq: int = 1000) -> str:
        """The contiguous phrases as a jieba user dictionary ("word freq tag" per line)."""
        self._check()
        tag = {"heading": "n", "slogan": "nz"}
        lines = []
        for p in self.phrases_:
            if p.kind == "gapped" or any(c.isspace() for c in p.phrase):
                continue
            lines.append(f"{p.phrase} {freq} {tag.get(p.category, 'l')}")
        return "\n".join(lines) + ("\n" if lines else "")

    def _check(self) -> None:
        if not hasattr(self, "phrases_"):
            raise RuntimeError("call fit(corpus) first")


def _drop_subsumed(phrases: list[Phrase]) -> list[Phrase]:
    """Drop a phrase that lies inside a longer one with exactly as many occurrences."""
    by_text = {p.phrase: p for p in phrases}
    drop: set[str] = set()
    for p in phrases:
        t = p.phrase
        n = len(t)
        for i in range(n):
            for j in range(i + 1, n + 1):
                if j - i == n:
                    continue
                q = by_text.get(t[i:j])
                if q is not None and q.tf == p.tf:
                    drop.add(q.phrase)
    return [p for p in phrases if p.phrase not in drop]


# --------------------------------------------------------------------------- the 套话 index


class FormulaicnessIndex:
    """The 套话 index: share of each document's and sentence's characters covered by boilerplate.

    Boilerplate is corpus-level: passages shared with other documents (verbatim text, or the whole
    sentence for near-verbatim variants), contiguous phrases and slogans of the phrase bank, and
    the anchor words of its gapped patterns (not their fillers). Characters are counted without
    whitespace.

    Fitted attributes: ``documents_`` (DataFrame ranked most formulaic first: doc_id, title,
    chars, covered, reuse_chars, phrase_chars, index, rank, evidence), ``sentences_`` (DataFrame:
    doc_id, sentence, unit_id, text, chars, covered, index, evidence), ``evidence_`` (per document
    id, the boilerplate items with the characters each covers).
    """

    def __init__(self, top_evidence: int = 5):
        self.top_evidence = top_evidence

    def fit(self, corpus: "Corpus", phrases: Sequence[Phrase], passages: Sequence[Passage],
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "FormulaicnessIndex":
        """Compute the index (``sentences``: the corpus's :func:`~gkcorpus.reuse.document_sentences`,
        when already computed). Every item that overlaps a sentence counts, however long."""
        import pandas as pd

        docs = list(corpus)
        pos = {d.id: i for i, d in enumerate(docs)}
        lengths = np.array([len(d.text) for d in docs], dtype=np.int64)
        base = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=base[1:])  # each text followed by one separator position
        items = _evidence_items(docs, pos, base, phrases, passages)
        nonws = _non_space([d.text for d in docs])
        nonws_cum = np.zeros(len(nonws) + 1, dtype=_index_dtype(len(nonws) + 1))
        np.cumsum(nonws, out=nonws_cum[1:])
        del nonws
        d0, d1 = base[:-1], base[:-1] + lengths
        chars = (nonws_cum[d1] - nonws_cum[d0]).tolist()
        covered_all = _Coverage.of(items.gs, items.ge, nonws_cum)
        covered = covered_all.count(d0, d1).tolist()
        reuse, phrase = items.kind == 0, items.kind == 1
        reuse_chars = _Coverage.of(items.gs[reuse], items.ge[reuse], nonws_cum).count(d0, d1).tolist()
        phrase_chars = _Coverage.of(items.gs[phrase], items.ge[phrase], nonws_cum).count(d0, d1).tolist()
        # evidence: characters of each item (the union of its spans) per document
        ev_doc, ev_label, ev_chars = _label_chars(items, base, nonws_cum)
        order = np.lexsort((items.label_rank[ev_label], -ev_chars, ev_doc))
        ev_doc, ev_label, ev_chars = ev_doc[order], ev_label[order], ev_chars[order]
        bounds = np.searchsorted(ev_doc, np.arange(len(docs) + 1)).tolist()
        self.evidence_ = _Evidence([d.id for d in docs], bounds, items.label_kind, items.labels,
                                   ev_label, ev_chars)
        doc_rows = []
        for i, d in enumerate(docs):
            a, b = bounds[i], min(bounds[i + 1], bounds[i] + self.top_evidence)
            top = "; ".join(f"{items.labels[k]} ({c})" for k, c in zip(ev_label[a:b].tolist(), ev_chars[a:b].tolist()))
            doc_rows.append({
                "doc_id": d.id, "title": d.title, "chars": chars[i], "covered": covered[i],
                "reuse_chars": reuse_chars[i], "phrase_chars": phrase_chars[i],
                "index": round(covered[i] / chars[i], 4) if chars[i] else 0.0, "evidence": top,
            })
        ddf = pd.DataFrame(doc_rows, columns=["doc_id", "title", "chars", "covered", "reuse_chars", "phrase_chars",
                                              "index", "evidence"])
        ddf = ddf.sort_values(["index", "doc_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        ddf.insert(ddf.columns.get_loc("index") + 1, "rank", np.arange(1, len(ddf) + 1))
        self.documents_ = ddf
        self.sentences_ = self._sentence_frame(docs, sentences, base, items, nonws_cum, covered_all)
        return self

    @staticmethod
    def _sentence_frame(docs: Sequence["Document"], sentences: Sequence[list[SentenceRecord]] | None,
                        base: np.ndarray, items: "_EvidenceItems", nonws_cum: np.ndarray,
                        coverage: "_Coverage") -> "pd.DataFrame":
        import pandas as pd

        sents = list(sentences) if sentences is not None else [document_sentences(d, i) for i, d in enumerate(docs)]
        recs = [s for ss in sents for s in ss]
        sdoc = np.fromiter((s.doc for s in recs), dtype=np.int64, count=len(recs))
        g0 = base[sdoc] + np.fromiter((s.start for s in recs), dtype=np.int64, count=len(recs))
        g1 = base[sdoc] + np.fromiter((s.end for s in recs), dtype=np.int64, count=len(recs))
        n_chars = (nonws_cum[g1] - nonws_cum[g0]).tolist()
        cov = coverage.count(g0, g1).tolist()
        # the items overlapping each sentence, in item order, each label once
        first = np.searchsorted(g1, items.gs, side="right")  # first sentence ending after the item starts
        last = np.searchsorted(g0, items.ge, side="left")  # sentences starting before the item ends
        n_hit = np.maximum(last - first, 0)
        sent_of, item_of = _csr_gather(first, n_hit)
        keep = np.flatnonzero(g1[sent_of] > items.gs[item_of])
        sent_of, item_of = sent_of[keep], item_of[keep]
        lab = items.label[item_of]
        order = np.lexsort((item_of, sent_of))
        sent_of, lab = sent_of[order], lab[order]
        seen = np.unique(sent_of * (len(items.labels) + 1) + lab, return_index=True)[1]
        first_seen = np.zeros(len(sent_of), dtype=bool)
        first_seen[seen] = True
        sent_of, lab = sent_of[first_seen], lab[first_seen]
        ev = [""] * len(recs)
        bounds = np.searchsorted(sent_of, np.arange(len(recs) + 1)).tolist()
        labels = items.labels
        lab_list = lab.tolist()
        for r in _distinct(sent_of, is_sorted=True).tolist():
            ev[r] = "; ".join(labels[k] for k in lab_list[bounds[r] : bounds[r + 1]])
        ids = [d.id for d in docs]
        doc_id = [ids[s.doc] for s in recs]
        return pd.DataFrame({
            "doc_id": doc_id,
            "sentence": [s.index for s in recs],
            "unit_id": [f"{d}#t{s.index}" for d, s in zip(doc_id, recs)],
            "text": [s.text for s in recs],
            "chars": n_chars,
            "covered": cov,
            "index": [round(c / m, 4) if m else 0.0 for c, m in zip(cov, n_chars)],
            "evidence": ev,
        }, columns=["doc_id", "sentence", "unit_id", "text", "chars", "covered", "index", "evidence"])


@dataclass
class _EvidenceItems:
    """Boilerplate spans (global positions) with their labels: kind 0 = passage, 1 = phrase."""

    gs: np.ndarray
    ge: np.ndarray
    kind: np.ndarray
    label: np.ndarray
    labels: list[str]
    label_kind: list[str]
    label_rank: np.ndarray  # rank of (kind, label) in sorted order


def _evidence_items(docs: Sequence["Document"], pos: dict[str, int], base: np.ndarray, phrases: Sequence[Phrase],
                    passages: Sequence[Passage]) -> _EvidenceItems:
    """Spans of the passages' occurrences, the contiguous phrases and the anchors of gapped patterns,
    sorted by (start, end, kind, label)."""
    labels: list[str] = []
    label_kind: list[str] = []
    gs: list[np.ndarray] = []
    ge: list[np.ndarray] = []
    lab: list[np.ndarray] = []
    rows = _passage_rows(passages, [d.id for d in docs])
    gs.append(base[rows[:, 0]] + rows[:, 1])
    ge.append(base[rows[:, 0]] + rows[:, 2])
    lab.append(rows[:, 3].copy())
    labels += [f"{p.id} {p.text[:30]}" for p in passages]
    label_kind += ["passage"] * len(passages)
    texts = [d.text for d in docs]
    ids = [d.id for d in docs]
    same_ids: dict[int, bool] = {}
    for ph in phrases:
        sp = ph.spans
        if isinstance(sp, SpanList):
            key = id(sp._ids)
            if key not in same_ids:
                same_ids[key] = list(sp._ids) == ids
            dix = sp.docs.astype(np.int64) if same_ids[key] else \
                np.array([pos[sp._ids[k]] for k in sp.docs.tolist()], dtype=np.int64)
            starts, ends = sp.starts.astype(np.int64), sp.ends.astype(np.int64)
        else:
            dix = np.array([pos[d] for d, _, _ in sp], dtype=np.int64)
            starts = np.array([s0 for _, s0, _ in sp], dtype=np.int64)
            ends = np.array([e0 for _, _, e0 in sp], dtype=np.int64)
        if ph.kind == "gapped":  # the anchors, not the fillers
            ss, ee, dd = [], [], []
            for d, s0 in zip(dix.tolist(), starts.tolist()):
                t = texts[d]
                k = s0
                for part in ph.parts:
                    k = t.index(part, k)
                    ss.append(k)
                    ee.append(k + len(part))
                    dd.append(d)
                    k += len(part)
            starts, ends, dix = (np.array(x, dtype=np.int64) for x in (ss, ee, dd))
        gs.append(base[dix] + starts)
        ge.append(base[dix] + ends)
        lab.append(np.full(len(starts), len(labels), dtype=np.int64))
        labels.append(f"{ph.id} {ph.phrase}")
        label_kind.append("phrase")
    g_s = np.concatenate(gs) if gs else np.zeros(0, dtype=np.int64)
    g_e = np.concatenate(ge) if ge else np.zeros(0, dtype=np.int64)
    g_l = np.concatenate(lab) if lab else np.zeros(0, dtype=np.int64)
    kinds = np.array([0 if k == "passage" else 1 for k in label_kind], dtype=np.int8)
    rank_order = sorted(range(len(labels)), key=lambda k: (label_kind[k], labels[k]))
    label_rank = np.empty(len(labels), dtype=np.int64)
    label_rank[rank_order] = np.arange(len(labels))
    kind = kinds[g_l] if len(g_l) else np.zeros(0, dtype=np.int8)
    order = np.lexsort((label_rank[g_l] if len(g_l) else g_l, g_e, g_s))
    return _EvidenceItems(g_s[order], g_e[order], kind[order], g_l[order], labels, label_kind, label_rank)


def _label_chars(items: _EvidenceItems, base: np.ndarray,
                 nonws_cum: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (document, label): characters (no whitespace) in the union of the label's spans there.
    Returns arrays (document, label, characters)."""
    if not len(items.gs):
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    doc = np.searchsorted(base, items.gs, side="right") - 1
    order = np.lexsort((items.gs, doc, items.label))
    lab, d, s, e = items.label[order], doc[order], items.gs[order], items.ge[order]
    group_new = np.ones(len(lab), dtype=bool)
    group_new[1:] = (lab[1:] != lab[:-1]) | (d[1:] != d[:-1])
    g = np.cumsum(group_new) - 1
    big = int(base[-1]) + 1
    reach = np.maximum.accumulate(e + g * big) - g * big  # running maximum of the ends within each group
    seg_new = group_new.copy()
    seg_new[1:] |= s[1:] > reach[:-1]
    seg_last = np.ones(len(lab), dtype=bool)
    seg_last[:-1] = seg_new[1:]
    n_chars = nonws_cum[reach[seg_last]] - nonws_cum[s[seg_new]]
    per_group = np.bincount(g[seg_new], weights=n_chars, minlength=int(g[-1]) + 1).astype(np.int64)
    return d[group_new], lab[group_new], per_group


@dataclass
class _Coverage:
    """The union of some spans (global positions) as sorted disjoint segments, with the running count
    of their non-whitespace characters."""

    start: np.ndarray
    end: np.ndarray
    cum: np.ndarray  # non-whitespace characters in segments before each one (length + 1)
    nonws_cum: np.ndarray

    @classmethod
    def of(cls, gs: np.ndarray, ge: np.ndarray, nonws_cum: np.ndarray) -> "_Coverage":
        """``gs`` ascending."""
        if not len(gs):
            z = np.zeros(0, dtype=np.int64)
            return cls(z, z, np.zeros(1, dtype=np.int64), nonws_cum)
        reach = np.maximum.accumulate(ge)
        new = np.ones(len(gs), dtype=bool)
        new[1:] = gs[1:] > reach[:-1]
        last = np.ones(len(gs), dtype=bool)
        last[:-1] = new[1:]
        start, end = gs[new], reach[last]
        cum = np.zeros(len(start) + 1, dtype=np.int64)
        np.cumsum(nonws_cum[end] - nonws_cum[start], out=cum[1:])
        return cls(start, end, cum, nonws_cum)

    def count(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Non-whitespace characters of ``[lo, hi)`` inside the segments, for each range."""
        i0 = np.searchsorted(self.end, lo, side="right")  # first segment ending after lo
        i1 = np.searchsorted(self.start, hi, side="left")  # segments starting before hi
        out = (self.cum[i1] - self.cum[i0]).astype(np.int64)
        some = i1 > i0
        nc = self.nonws_cum
        a = np.minimum(i0, max(len(self.start) - 1, 0))
        b = np.maximum(i1 - 1, 0)
        if len(self.start):
            s0 = self.start[a]
            out -= np.where(some & (s0 < lo), nc[np.maximum(lo, s0)] - nc[s0], 0)
            e1 = self.end[b]
            out -= np.where(some & (e1 > hi), nc[e1] - nc[np.minimum(hi, e1)], 0)
        return out


class _Evidence(Mapping):
    """Per document id, its boilerplate items (``{"kind", "item", "chars"}``), most characters first;
    held as arrays, each document's list built on access."""

    def __init__(self, doc_ids: Sequence[str], bounds: Sequence[int], label_kind: Sequence[str],
                 labels: Sequence[str], label: np.ndarray, chars: np.ndarray):
        self._pos = {d: i for i, d in enumerate(doc_ids)}
        self._ids = list(doc_ids)
        self._bounds = list(bounds)
        self._kind, self._labels, self._label, self._chars = label_kind, labels, label, chars

    def __getitem__(self, doc_id: str) -> list[dict[str, Any]]:
        i = self._pos[doc_id]
        a, b = self._bounds[i], self._bounds[i + 1]
        return [{"kind": self._kind[k], "item": self._labels[k], "chars": c}
                for k, c in zip(self._label[a:b].tolist(), self._chars[a:b].tolist())]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _non_space(texts: Sequence[str]) -> np.ndarray:
    """Per character of the texts joined by one separator each: not whitespace (separators are)."""
    codes = np.frombuffer(("\n".join(texts) + "\n").encode("utf-32-le"), dtype=np.uint32)
    return code_mask(codes, lambda c: not c.isspace(), separators=False)


# --------------------------------------------------------------------------- pipeline and exports


@dataclass
class Boilerplate:
    """Reuse, phrase bank and 套话 index of one corpus, mined over one shared suffix array."""

    reuse: ReuseFinder
    phrases: PhraseMiner
    formulaicness: FormulaicnessIndex

    def write_phrasebank(self, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "md", "xlsx"),
                         top: int | None = None) -> list[Path]:
        """``phrasebank.{json,csv,md,xlsx}`` and ``userdict.txt`` in ``out_dir`` (each written atomically)."""
        return write_phrasebank(self.phrases, out_dir, formats, top)

    def write_reuse(self, out_dir: str | Path) -> list[Path]:
        """``reuse.json``, ``reuse_matrix.csv``, ``formulaicness.csv`` and ``formulaicness_sentences.csv``."""
        return write_reuse(self.reuse, self.formulaicness, out_dir)


def mine_boilerplate(
    corpus: "Corpus",
    reuse: ReuseFinder | None = None,
    phrases: PhraseMiner | None = None,
    progress: bool = False,
) -> Boilerplate:
    """Run reuse detection, phrase mining and the 套话 index on ``corpus`` (one suffix array and one
    sentence split for all three)."""
    docs = list(corpus)
    index = TextIndex([d.text for d in docs])
    sentences = [document_sentences(d, i) for i, d in enumerate(docs)]
    rf = (reuse or ReuseFinder(progress=progress)).fit(corpus, index=index, sentences=sentences)
    pm = (phrases or PhraseMiner(progress=progress)).fit(corpus, index=index, passages=rf.passages_,
                                                          sentences=sentences)
    fi = FormulaicnessIndex().fit(corpus, pm.phrases_, rf.passages_, sentences=sentences)
    return Boilerplate(rf, pm, fi)


def _flat_row(p: dict[str, Any]) -> dict[str, Any]:
    ex = p["examples"]
    return {
        **{k: p[k] for k in ("id", "phrase", "category", "df", "tf", "score", "kind")},
        "docs": " ".join(p["docs"]),
        "example": ex[0]["sentence_text"] if ex else "",
        "example_doc": ex[0]["doc_id"] if ex else "",
        "example_sentence": ex[0]["sentence"] if ex else "",
        "example_raw_start": ex[0]["raw_start"] if ex else "",
        "example_raw_end": ex[0]["raw_end"] if ex else "",
        "examples": p["examples"],
        "cohesion": p["cohesion"],
        "left_entropy": p["left_entropy"],
        "right_entropy": p["right_entropy"],
        "fillers": " | ".join(p["fillers"]),
        "pattern": p["pattern"],
    }


FLAT_COLUMNS = ["id", "phrase", "category", "df", "tf", "score", "kind", "docs", "example", "example_doc",
                "example_sentence", "example_raw_start", "example_raw_end", "examples", "cohesion", "left_entropy",
                "right_entropy", "fillers", "pattern"]


def write_phrasebank(miner: PhraseMiner, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "md", "xlsx"),
                     top: int | None = None) -> list[Path]:
    """Write the phrase bank in ``formats`` plus ``userdict.txt`` into ``out_dir``; returns the paths."""
    from .export import ExportError, ensure_dir, markdown_table, atomic_write_text, write_csv, write_json, write_xlsx

    unknown = set(formats) - {"json", "csv", "md", "xlsx"}
    if unknown:
        raise ExportError(f"unknown phrase bank format(s): {', '.join(sorted(unknown))} (choose json, csv, md, xlsx)")
    d = ensure_dir(out_dir)
    records = miner.to_records(top)
    rows = [_flat_row(r) for r in records]
    written = []
    if "json" in formats:
        written.append(write_json(d / "phrasebank.json", records))
    if "csv" in formats:
        written.append(write_csv(d / "phrasebank.csv", rows, FLAT_COLUMNS))
    if "md" in formats:
        md_cols = ["phrase", "category", "df", "tf", "score", "example_doc", "example"]
        lines = [f"# Phrase bank\n\n{len(records)} phrases from {miner.n_docs_} documents, most formulaic first.\n"]
        for cat in CATEGORIES:
            sub = [r for r in rows if r["category"] == cat]
            if sub:
                lines.append(f"\n## {cat} ({len(sub)})\n\n" + markdown_table(sub, md_cols))
        written.append(atomic_write_text(d / "phrasebank.md", "".join(lines)))
    if "xlsx" in formats:
        written.append(write_xlsx(d / "phrasebank.xlsx", {"phrasebank": [{k: v for k, v in r.items() if k != "examples"}
                                                                           for r in rows]}))
    written.append(atomic_write_text(d / "userdict.txt", miner.userdict()))
    return written


MATRIX_MAX_DOCS = 2000  # above this, reuse between documents is written as pairs, not as a dense matrix
PAIRS_TOP = 50  # partners kept per document in reuse_pairs.csv


def write_reuse(finder: ReuseFinder, index: FormulaicnessIndex, out_dir: str | Path,
                max_matrix_docs: int = MATRIX_MAX_DOCS, pairs_top: int = PAIRS_TOP) -> list[Path]:
    """Write ``reuse.json``, ``reuse_matrix.csv``, ``formulaicness.csv`` and ``formulaicness_sentences.csv``.

    With more than ``max_matrix_docs`` documents the document × document matrix (n² cells) becomes
    ``reuse_pairs.csv``: each document's ``pairs_top`` partners by share, plus its overall reused share.
    """
    from .export import ensure_dir, write_csv, write_json_items

    d = ensure_dir(out_dir)
    if len(finder.doc_ids_) <= max_matrix_docs:
        between = write_csv(d / "reuse_matrix.csv", finder.matrix().round(4).reset_index())
    else:
        between = write_csv(d / "reuse_pairs.csv", finder.pairs(top=pairs_top).round({"share": 4, "reused": 4}))
    return [
        write_json_items(d / "reuse.json", finder.iter_records()),
        between,
        write_csv(d / "formulaicness.csv", index.documents_),
        write_csv(d / "formulaicness_sentences.csv", index.sentences_),
    ]

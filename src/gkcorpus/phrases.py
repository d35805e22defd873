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
  more often than their frequencies predict), grown word by word while every occurrence agrees,
  and given a third anchor when most occurrences share one (``让我们…团结在…周围``).
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
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np

from .reuse import (
    SEP_BASE,
    Occurrence,
    Passage,
    ReuseFinder,
    SuffixArray,
    TextIndex,
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
    spans: list[tuple[str, int, int]]  # (doc id, clean start, clean end) of every occurrence
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


# --------------------------------------------------------------------------- per-document functions


def document_tokens(text: str, tokenizer: Callable[[str], list[str]]) -> tuple[list[str], list[int]]:
    """Tokens of ``text`` (all of it, punctuation included) and the clean offset of each."""
    toks = tokenizer(text)
    starts, pos = [], 0
    for t in toks:
        k = pos if text.startswith(t, pos) else text.find(t, pos)
        if k < 0:  # a tokenizer that changed the text: fall back to the running offset
            k = pos
        starts.append(k)
        pos = k + len(t)
    return toks, starts


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


def _passage_spans(passages: Sequence[Passage], doc_ids: Sequence[str]) -> dict[int, "_Spans"]:
    """Per document index: the spans of the shared passages."""
    pos = {d: i for i, d in enumerate(doc_ids)}
    out: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for p in passages:
        for o in p.occurrences:
            if o.doc_id in pos:
                out[pos[o.doc_id]].append((o.start, o.end, p.id))
    return {d: _Spans.of(v) for d, v in out.items()}


def _containing_passages(spans: "_Spans", start: int, end: int) -> set[str]:
    """Ids of the passage spans that contain ``[start, end)``."""
    import bisect

    out = set()
    k = bisect.bisect_right(spans.starts, start) - 1
    while k >= 0 and spans.reach[k] >= end:  # reach: the furthest end of any span up to k
        if spans.ends[k] >= end:
            out.add(spans.ids[k])
        k -= 1
    return out


@dataclass
class _Spans:
    """Sorted passage spans of one document, with the running maximum of their ends."""

    starts: list[int]
    ends: list[int]
    ids: list[str]
    reach: list[int]

    @classmethod
    def of(cls, spans: Sequence[tuple[int, int, str]]) -> "_Spans":
        spans = sorted(spans)
        reach, m = [], -1
        for _, e, _ in spans:
            m = max(m, e)
            reach.append(m)
        return cls([s for s, _, _ in spans], [e for _, e, _ in spans], [p for _, _, p in spans], reach)


def _entropy(values: np.ndarray | Sequence[Any]) -> float:
    """Shannon entropy (bits) of the symbols in ``values``."""
    n = len(values)
    if n == 0:
        return 0.0
    counts = Counter(values.tolist() if isinstance(values, np.ndarray) else values).values()
    return -sum(c / n * math.log2(c / n) for c in counts)


def _is_evaluative(text: str) -> bool:
    return any(c in text for c in EVALUATIVE_CUES)


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies inside one of the sorted, disjoint ``spans``."""
    import bisect

    k = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


# --------------------------------------------------------------------------- token stream


@dataclass
class _Tokens:
    """The corpus as one token-id sequence (breakers replaced by unique separators)."""

    words: list[str]  # id -> word
    ids: np.ndarray  # per token position (separators >= len(words))
    doc: np.ndarray
    start: np.ndarray  # clean offset in its document
    end: np.ndarray
    clause: np.ndarray
    content: np.ndarray  # bool: a Han word (not a separator)


def _token_stream(docs: Sequence["Document"], tokenizer: Callable[[str], list[str]], progress: bool) -> _Tokens:
    vocab: dict[str, int] = {}
    words: list[str] = []
    ids: list[int] = []
    doc_ix: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    content: list[bool] = []
    it: Iterable[tuple[int, "Document"]] = enumerate(docs)
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(list(it), desc="phrases: tokenize", unit="doc", leave=False)
    for d, doc in it:
        toks, offs = document_tokens(doc.text, tokenizer)
        for t, o in zip(toks, offs):
            good = bool(_HAN_TOKEN.match(t))
            if good:
                k = vocab.get(t)
                if k is None:
                    k = vocab[t] = len(words)
                    words.append(t)
            else:
                k = -1
            ids.append(k)
            doc_ix.append(d)
            starts.append(o)
            ends.append(o + len(t))
            content.append(good)
        ids.append(-1)  # document end
        doc_ix.append(d)
        starts.append(len(doc.text))
        ends.append(len(doc.text))
        content.append(False)
    arr = np.array(ids, dtype=np.int64)
    is_sep = arr < 0
    clause = np.cumsum(is_sep)
    arr[is_sep] = len(words) + np.arange(int(is_sep.sum()))
    return _Tokens(words, arr, np.array(doc_ix, dtype=np.int64), np.array(starts, dtype=np.int64),
                   np.array(ends, dtype=np.int64), clause, np.array(content, dtype=bool))


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
        document frequency; ``min_attraction`` how much more often the two words meet than
        chance predicts.
    slogans : also collect quoted slogans.
    keep_terms : keep noun-only phrases (terms) as category ``formula`` instead of dropping them.
    tokenizer : a :class:`~gkcorpus.tokenize.Tokenizer` (its ``.cut`` and its dictionaries' part-of-speech
        tags are used) or a callable ``str -> list[str]`` that keeps every character (default: the
        jieba Tokenizer with the domain dictionary).
    max_examples : examples kept per phrase in exports.
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
            passages: Sequence[Passage] | None = None) -> "PhraseMiner":
        """Mine ``corpus``.

        ``index``: a prebuilt :class:`~gkcorpus.reuse.TextIndex` of its texts. ``passages``: shared
        passages (from :class:`~gkcorpus.reuse.ReuseFinder`); documents that hold a phrase only inside
        one copied passage count as one source, so text copied between a few documents does not
        pass for a corpus formula.
        """
        docs = list(corpus)
        self._docs = docs
        self.doc_ids_ = [d.id for d in docs]
        self.n_docs_ = len(docs)
        self._index = index if index is not None else TextIndex([d.text for d in docs])
        self._sentences = [document_sentences(d, i) for i, d in enumerate(docs)]
        self._sent_starts = [np.array([s.start for s in ss], dtype=np.int64) for ss in self._sentences]
        self._zones = [document_zones(d) for d in docs]
        self._doc_chars = np.array([max(len(d.text), 1) for d in docs], dtype=np.float64)
        self._zone_chars = {z: np.array([sum(e - s for s, e in zs[z]) for zs in self._zones], dtype=np.float64)
                            for z in ("opening", "closing", "heading", "quote")}
        self._zone_cum = {}
        for z in ("opening", "closing", "heading", "quote"):
            mask = np.zeros(len(self._index.codes) + 1, dtype=np.int32)
            for di, zs in enumerate(self._zones):
                base = int(self._index.doc_starts[di])
                for a, b in zs[z]:
                    mask[base + a : base + b] = 1
            self._zone_cum[z] = np.concatenate(([0], np.cumsum(mask)))
        self._passage_spans = _passage_spans(passages or (), self.doc_ids_)
        codes = self._index.codes
        brk = (codes >= SEP_BASE) | np.isin(codes, np.array([ord(c) for c in _CLAUSE_BREAK], dtype=np.uint32))
        self._breaks = np.concatenate(([0], np.cumsum(brk)))  # breaks before each global position
        self._find_cache: dict[str, np.ndarray] = {}
        self._match_cache: dict[tuple[str, ...], list[tuple[int, list[tuple[int, int]]]]] = {}
        tokenizer, user_dicts = self._tokenizer()
        self._tags = _pos_tags(user_dicts)
        toks = _token_stream(docs, tokenizer, self.progress)
        bounds = np.searchsorted(toks.doc, np.arange(len(docs) + 1))
        self._tok_bounds = [(toks.start[bounds[d] : bounds[d + 1]], toks.end[bounds[d] : bounds[d + 1]])
                            for d in range(len(docs))]
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

    def _char_occurrences(self, d: int, start: int, end: int) -> list[tuple[int, int, int]]:
        """(doc, start, end) of every occurrence of ``texts[d][start:end]`` (substring semantics)."""
        ix = self._index
        pos = ix.find(d, start, end)
        docs = ix.doc_of(pos)
        n = end - start
        return [(int(k), int(p - ix.doc_starts[k]), int(p - ix.doc_starts[k]) + n)
                for k, p in zip(docs.tolist(), pos.tolist())]

    def _char_entropy(self, occ: Sequence[tuple[int, int, int]]) -> tuple[float, float]:
        """Left and right boundary entropy (bits) over characters; punctuation and text edges are fresh symbols."""
        left, right = [], []
        for k, (d, s, e) in enumerate(occ):
            t = self._docs[d].text
            lc = t[s - 1] if s > 0 else ""
            rc = t[e] if e < len(t) else ""
            left.append(lc if lc and lc.isalnum() else f"\0{k}")
            right.append(rc if rc and rc.isalnum() else f"\0{k}")
        return _entropy(left), _entropy(right)

    def _sources(self, occ: Sequence[tuple[int, int, int]]) -> int:
        """Independent sources: documents, except that documents holding the phrase only inside
        passages they share with each other count once together."""
        by_doc: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for d, s, e in occ:
            by_doc[d].append((s, e))
        independent = 0
        owner: dict[str, int] = {}  # passage id -> representative document
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for d, spans in by_doc.items():
            pids: set[str] = set()
            for s, e in spans:
                spans_d = self._passage_spans.get(d)
                inside = _containing_passages(spans_d, s, e) if spans_d is not None else set()
                if not inside:
                    pids = set()
                    break
                pids |= inside
            if not pids:
                independent += 1
                continue
            parent[d] = d
            for pid in sorted(pids):
                if pid in owner:
                    a, b = find(d), find(owner[pid])
                    if a != b:
                        parent[max(a, b)] = min(a, b)
                else:
                    owner[pid] = d
        return independent + len({find(d) for d in parent})

    def _zone_stats(self, occ: Sequence[tuple[int, int, int]]) -> tuple[dict[str, int], dict[str, float], int]:
        """Per zone: documents with an occurrence inside it, and its lift (share of occurrences inside
        the zone over the zone's share of the characters of these documents); and the number of
        occurrences inside quotation marks."""
        arr = np.asarray(occ, dtype=np.int64)
        d, s, e = arr[:, 0], arr[:, 1], arr[:, 2]
        g = self._index.doc_starts[d] + s
        length = e - s
        docs = np.unique(d)
        total = float(self._doc_chars[docs].sum())
        n_docs: dict[str, int] = {}
        lift: dict[str, float] = {}
        quoted = 0
        for z, cum in self._zone_cum.items():
            inside = (cum[g + length] - cum[g]) == length
            n_in = int(inside.sum())
            n_docs[z] = len(np.unique(d[inside])) if n_in else 0
            zshare = float(self._zone_chars[z][docs].sum()) / total if total else 0.0
            lift[z] = (n_in / len(arr)) / zshare if zshare > 0 else 0.0
            if z == "quote":
                quoted = n_in
        return n_docs, lift, quoted

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

    def _make(self, kind: str, parts: tuple[str, ...], occ: list[tuple[int, int, int]], quality: float,
              pattern: str = "", fillers: Sequence[str] = (), require_position: bool = False,
              **stats: Any) -> Phrase | None:
        """A :class:`Phrase` from its character-level occurrences, or None when it does not qualify."""
        if not occ:
            return None
        docs_ix = sorted({d for d, _, _ in occ})
        df, tf = len(docs_ix), len(occ)
        min_df = self.min_df_gapped if kind == "gapped" else self.min_df
        if df < min_df or tf < self.min_tf:
            return None
        sources = self._sources(occ)
        if sources < min_df:
            return None
        text = "…".join(parts)
        n_docs, lift, quoted = self._zone_stats(occ)
        if kind == "slogan":
            if quoted * 2 < tf:
                return None
            category = "slogan"
        else:
            category = self._categorize("".join(parts), df, tf, n_docs, lift, quoted)
        if require_position and category not in ("heading", "opening", "closing", "slogan"):
            return None
        score = self._score(sources, tf, sum(len(p) for p in parts), quality)
        occ = sorted(occ)
        examples, seen = [], set()
        for d, s, e in occ:
            if d not in seen:
                seen.add(d)
                examples.append(self._occurrence(d, s, e))
                if len(examples) >= self.max_examples:
                    break
        return Phrase(
            id=stable_id("f", text), phrase=text, kind=kind, parts=parts, category=category, df=df, tf=tf,
            score=score, docs=[self.doc_ids_[d] for d in docs_ix],
            spans=[(self.doc_ids_[d], s, e) for d, s, e in occ], examples=examples, pattern=pattern,
            fillers=list(fillers), positions=n_docs, sources=sources, **stats,
        )

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
        sa = SuffixArray(toks.ids)
        L, LB, RB = sa.intervals(1)
        if not len(L):
            return []
        tf = RB - LB + 1
        first = sa.sa[LB]
        last_tok = np.minimum(first + L - 1, len(toks.ids) - 1)
        chars = toks.end[last_tok] - toks.start[first]
        keep = (L <= self.max_tokens) & (tf >= self.min_tf) & (chars >= self.min_chars) & (chars <= self.max_chars)
        keep &= toks.content[first] & (toks.doc[last_tok] == toks.doc[first])
        idx = np.flatnonzero(keep)
        idx = idx[sa.left_diverse(LB[idx], RB[idx]) & _spans_groups(toks.doc[sa.sa], LB[idx], RB[idx])]
        n_tokens = int(toks.content.sum())
        unigram = np.bincount(toks.ids[toks.content], minlength=len(toks.words))
        out = []
        words = toks.words
        n_words = len(words)
        it: Iterable[int] = idx.tolist()
        if self.progress:
            from tqdm.auto import tqdm

            it = tqdm(it, desc="phrases: candidates", unit="cand", leave=False)
        for k in it:
            length, lb, rb = int(L[k]), int(LB[k]), int(RB[k])
            p0 = int(sa.sa[lb])
            seq = toks.ids[p0 : p0 + length]
            if (seq >= n_words).any():
                continue
            ws = [words[i] for i in seq.tolist()]
            if ws[0] in _BAD_START or ws[-1] in _BAD_END:
                continue
            if (len(ws[0]) < 2 and ws[0] not in _ONE_CHAR_START) or (len(ws[-1]) < 2 and ws[-1] not in _ONE_CHAR_END):
                continue  # 局政务公开, 将政务公开: a stray character at the edge
            pos = sa.sa[lb : rb + 1]
            if len(np.unique(toks.doc[pos])) < self.min_df:
                continue
            h_left = _entropy(toks.ids[pos - 1])
            h_right = _entropy(toks.ids[np.minimum(pos + length, len(toks.ids) - 1)])
            if min(h_left, h_right) < self.min_entropy:
                continue
            cohesion = None
            if length > 1:
                f = len(pos)
                count = lambda p, n: int(unigram[toks.ids[p]]) if n == 1 else sa.count(p, n)  # noqa: E731
                cohesion = min(
                    math.log2(f * n_tokens / (count(p0, j) * count(p0 + j, length - j)))
                    for j in range(1, length)
                )
                if cohesion < self.min_cohesion:
                    continue
            text = "".join(ws)
            d0 = int(toks.doc[p0])
            occ = self._char_occurrences(d0, int(toks.start[p0]), int(toks.start[p0]) + len(text))
            c_left, c_right = self._char_entropy(occ)
            h_left, h_right = min(h_left, c_left), min(h_right, c_right)
            if min(h_left, h_right) < self.min_entropy:
                continue  # a fragment at the character level (公开工 inside 公开工作)
            term = not (self.keep_terms or self._is_predicate(ws) or _is_evaluative(text))
            quality = min(1.0, min(h_left, h_right) / 2.0)
            p = self._make("contiguous", (text,), occ, quality, require_position=term, cohesion=cohesion,
                           left_entropy=h_left, right_entropy=h_right)
            if p is not None:
                out.append(p)
        return out

    # ---- quoted slogans
    def _slogans(self) -> list[Phrase]:
        seen: dict[str, tuple[int, int]] = {}
        for d, doc in enumerate(self._docs):
            for m in _QUOTE.finditer(doc.text):
                t = m.group(1)
                if len(_HAN.findall(t)) >= self.min_chars and t not in seen:
                    seen[t] = (d, m.start(1))
        out = []
        for t, (d, s) in sorted(seen.items()):
            occ = self._char_occurrences(d, s, s + len(t))
            if len({k for k, _, _ in occ}) < self.min_df:
                continue
            p = self._make("slogan", (t,), occ, 1.0)
            if p is not None:
                out.append(p)
        return out

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
        aid = wid[apos]
        acl = toks.clause[apos]
        adoc = toks.doc[apos]
        c_word = np.bincount(aid, minlength=n_words)
        D = max(self.n_docs_, 1)
        keys_all, docs_all = [], []
        for k in range(1, self.max_gap + 1):
            i = np.arange(len(apos) - k)
            j = i + k
            ok = (acl[i] == acl[j]) & (apos[j] - apos[i] >= 2) & (apos[j] - apos[i] <= self.max_gap + 1)
            if ok.any():
                keys_all.append(aid[i[ok]] * n_words + aid[j[ok]])
                docs_all.append(adoc[i[ok]])
        if not keys_all:
            return []
        keys = np.concatenate(keys_all)
        uk, n_pair = np.unique(keys, return_counts=True)
        dk, df_pair = np.unique(np.unique(keys * D + np.concatenate(docs_all)) // D, return_counts=True)
        df_of = np.zeros(len(uk), dtype=np.int64)
        df_of[np.searchsorted(uk, dk)] = df_pair
        a_of, b_of = uk // n_words, uk % n_words
        ca, cb = c_word[a_of], c_word[b_of]
        expected = ca * cb * self.max_gap / len(apos)
        attraction = n_pair / np.maximum(expected, 1e-9)
        cond = np.maximum(n_pair / ca, n_pair / cb)
        good = (attraction >= self.min_attraction) & (cond >= 0.3) & (df_of >= self.min_df_gapped)
        return [(words[int(a)], words[int(b)]) for a, b in zip(a_of[good], b_of[good])]

    def _find(self, text: str) -> np.ndarray:
        """Global positions (in the text index) of every occurrence of ``text``; cached."""
        hit = self._find_cache.get(text)
        if hit is None:
            hit = self._find_cache[text] = self._index.find_text(text)
        return hit

    def _match_gapped(self, parts: Sequence[str]) -> list[tuple[int, list[tuple[int, int]]]]:
        """(doc, anchor spans) of every match of the gapped pattern, exactly as ``re.finditer`` of its
        regular expression finds them (each anchor followed by the nearest next one in the same
        clause, fillers of at most ``max_gap_chars``, matches not overlapping), computed from the
        anchors' occurrences in the suffix array."""
        key = tuple(parts)
        hit = self._match_cache.get(key)
        if hit is not None:
            return hit
        ix = self._index
        starts = self._find(parts[0])
        ends = starts + len(parts[0])
        spans = [np.stack([starts, ends], axis=1)]
        ok = np.ones(len(starts), dtype=bool)
        for part in parts[1:]:
            pb = self._find(part)
            j = np.searchsorted(pb, ends)
            valid = j < len(pb)
            q = np.where(valid, pb[np.minimum(j, max(len(pb) - 1, 0))] if len(pb) else 0, 0)
            valid &= (q - ends) <= self.max_gap_chars
            valid &= self._breaks[np.minimum(q, len(self._breaks) - 1)] == self._breaks[ends]
            ok &= valid
            ends = q + len(part)
            spans.append(np.stack([q, ends], axis=1))
        idx = np.flatnonzero(ok)
        out: list[tuple[int, list[tuple[int, int]]]] = []
        last_end = -1
        docs = ix.doc_of(starts[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
        for k, d in zip(idx.tolist(), docs.tolist()):
            st = int(starts[k])
            if st < last_end:
                continue  # inside the previous match: finditer would not see it
            base = int(ix.doc_starts[d])
            sp = [(int(a) - base, int(b) - base) for a, b in (x[k] for x in spans)]
            out.append((d, sp))
            last_end = int(spans[-1][k][1])
        self._match_cache[key] = out
        return out

    def _at_boundary(self, d: int, pos: int) -> bool:
        """True when offset ``pos`` of document ``d`` falls between two words."""
        starts, ends = self._tok_bounds[d]
        k = int(np.searchsorted(starts, pos))
        return (k < len(starts) and starts[k] == pos) or pos >= (ends[-1] if len(ends) else 0)

    def _token_at(self, d: int, pos: int, side: str) -> str | None:
        """The word of document ``d`` ending (``side="left"``) or starting (``"right"``) at offset ``pos``."""
        starts, ends = self._tok_bounds[d]
        text = self._docs[d].text
        if side == "left":
            k = int(np.searchsorted(ends, pos))
            return text[starts[k] : pos] if k < len(ends) and ends[k] == pos and starts[k] < pos else None
        k = int(np.searchsorted(starts, pos))
        return text[pos : ends[k]] if k < len(starts) and starts[k] == pos and ends[k] > pos else None

    def _grow(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        """Grow each anchor by a word while every match agrees on it (现将…如下 -> 现将…总结如下).

        The word added is the longest common suffix (to the left) or prefix (to the right) of the
        neighbouring words, provided it is itself a word in one of the matches; a filler of at
        least one character stays, and no particle is added at the pattern's outer edges.
        """
        for _ in range(12):
            matches = self._match_gapped(parts)
            if len(matches) < 2:
                return parts
            grown = None
            for a in range(len(parts)):
                for side in ("left", "right"):
                    words = []
                    for d, sp in matches:
                        s, e = sp[a]
                        w = self._token_at(d, s if side == "left" else e, side)
                        if w is None:
                            break
                        words.append(w)
                    else:
                        common = os.path.commonprefix([w[::-1] for w in words])[::-1] if side == "left" \
                            else os.path.commonprefix(words)
                        if not common or common not in words or not _HAN_TOKEN.match(common):
                            continue
                        outer = (side == "left" and a == 0) or (side == "right" and a == len(parts) - 1)
                        if outer and (common in _PARTICLES or common in _PRONOUNS):
                            continue
                        if not outer:  # keep a filler
                            k = len(common)
                            if side == "right" and any(sp[a][1] + k >= sp[a + 1][0] for _, sp in matches):
                                continue
                            if side == "left" and any(sp[a][0] - k <= sp[a - 1][1] for _, sp in matches):
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
        matches = self._match_gapped(parts)
        if len({d for d, _ in matches}) < self.min_df_gapped:
            return None
        support: Counter[str] = Counter()
        for d, sp in matches[:500]:
            t = self._docs[d].text
            s0 = sp[0][0]
            lo = s0
            while lo > 0 and s0 - lo < _OUTER_WINDOW and t[lo - 1] not in _CLAUSE_BREAK:
                lo -= 1
            left = t[lo : s0 - 1]  # leave at least one character of filler
            support.update({left[i:j] for i in range(len(left)) for j in range(i + 2, min(len(left), i + 4) + 1)
                            if _HAN_TOKEN.match(left[i:j])})
        need = max(0.4 * min(len(matches), 500), self.min_df_gapped)
        cands = [w for w, n in support.items() if n >= need and w not in _PRONOUNS and w not in _PARTICLES]
        for w in sorted(cands, key=lambda w: (-support[w], -len(w), w)):
            new = (w, *parts)
            m = self._match_gapped(new)
            if not all(self._at_boundary(d, sp[0][0]) and self._at_boundary(d, sp[0][1]) for d, sp in m):
                continue  # not a whole word everywhere (让我 of 让我们)
            gaps = [self._docs[d].text[sp[0][1] : sp[1][0]] for d, sp in m]
            filled = [g for g in gaps if g]
            if len({d for d, _ in m}) < self.min_df_gapped or len(filled) * 2 < len(gaps) or len(set(filled)) < 2:
                continue
            return new
        return None

    def _gapped(self, toks: _Tokens) -> list[Phrase]:
        bases: dict[tuple[str, ...], None] = {}
        for a, b in self._seed_pairs(toks):
            bases.setdefault(self._grow((a, b)), None)
        patterns: dict[tuple[str, ...], tuple[str, ...] | None] = {p: None for p in bases}
        for p in list(bases):
            outer = self._outer_anchor(p)
            if outer is not None:
                patterns.setdefault(self._grow(outer), p)
        found = []
        for parts, parent in patterns.items():
            ph = self._count_gapped(parts)
            if ph is not None:
                found.append((ph, parent))
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

    def _count_gapped(self, parts: tuple[str, ...]) -> Phrase | None:
        occ: list[tuple[int, int, int]] = []
        fillers: Counter[str] = Counter()
        with_gap = 0
        for d, sp in self._match_gapped(parts):
            t = self._docs[d].text
            occ.append((d, sp[0][0], sp[-1][1]))
            fill = [t[sp[i][1] : sp[i + 1][0]] for i in range(len(sp) - 1)]
            fillers["…".join(fill)] += 1
            if any(fill):
                with_gap += 1
        if len(fillers) < 2 or with_gap * 2 < len(occ):
            return None
        diversity = len(fillers) / max(len(occ), 1)
        top = [f for f, _ in sorted(fillers.items(), key=lambda x: (-x[1], x[0]))[:5]]
        return self._make("gapped", parts, occ, diversity, pattern=_gapped_regex(parts, self.max_gap_chars),
                          fillers=top)

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

    def fit(self, corpus: "Corpus", phrases: Sequence[Phrase], passages: Sequence[Passage]) -> "FormulaicnessIndex":
        import pandas as pd

        docs = list(corpus)
        items: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)  # doc -> (start, end, kind, label)
        for p in passages:
            for o in p.occurrences:
                items[o.doc_id].append((o.start, o.end, "passage", f"{p.id} {p.text[:30]}"))
        texts = {d.id: d.text for d in docs}
        for ph in phrases:
            label = f"{ph.id} {ph.phrase}"
            for doc_id, s0, e0 in ph.spans:
                if ph.kind == "gapped":
                    t = texts[doc_id]
                    k = s0
                    for part in ph.parts:
                        k = t.index(part, k)
                        items[doc_id].append((k, k + len(part), "phrase", label))
                        k += len(part)
                else:
                    items[doc_id].append((s0, e0, "phrase", label))
        doc_rows, sent_rows = [], []
        self.evidence_: dict[str, list[dict[str, Any]]] = {}
        for i, d in enumerate(docs):
            text = d.text
            its = sorted(items.get(d.id, []))
            chars = _content(text, [(0, len(text))])
            covered = _content(text, [(s, e) for s, e, _, _ in its])
            reuse_chars = _content(text, [(s, e) for s, e, k, _ in its if k == "passage"])
            phrase_chars = _content(text, [(s, e) for s, e, k, _ in its if k == "phrase"])
            per_label: Counter[tuple[str, str]] = Counter()
            spans_by_label: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
            for s, e, k, lab in its:
                spans_by_label[(k, lab)].append((s, e))
            for key, sp in spans_by_label.items():
                per_label[key] = _content(text, sp)
            ev = [{"kind": k, "item": lab, "chars": n} for (k, lab), n in
                  sorted(per_label.items(), key=lambda x: (-x[1], x[0]))]
            self.evidence_[d.id] = ev
            doc_rows.append({
                "doc_id": d.id, "title": d.title, "chars": chars, "covered": covered,
                "reuse_chars": reuse_chars, "phrase_chars": phrase_chars,
                "index": round(covered / chars, 4) if chars else 0.0,
                "evidence": "; ".join(f"{e['item']} ({e['chars']})" for e in ev[: self.top_evidence]),
            })
            starts = [s for s, _, _, _ in its]
            for srec in document_sentences(d, i):
                lo = _first_overlap(its, starts, srec.start)
                sp, labs = [], []
                for s, e, k, lab in its[lo:]:
                    if s >= srec.end:
                        break
                    if e > srec.start:
                        sp.append((max(s, srec.start), min(e, srec.end)))
                        labs.append(lab)
                n = _content(text, [(srec.start, srec.end)])
                cov = _content(text, sp)
                sent_rows.append({
                    "doc_id": d.id, "sentence": srec.index, "unit_id": f"{d.id}#t{srec.index}", "text": srec.text,
                    "chars": n, "covered": cov, "index": round(cov / n, 4) if n else 0.0,
                    "evidence": "; ".join(dict.fromkeys(labs)),
                })
        ddf = pd.DataFrame(doc_rows, columns=["doc_id", "title", "chars", "covered", "reuse_chars", "phrase_chars",
                                              "index", "evidence"])
        ddf = ddf.sort_values(["index", "doc_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        ddf.insert(ddf.columns.get_loc("index") + 1, "rank", np.arange(1, len(ddf) + 1))
        self.documents_ = ddf
        self.sentences_ = pd.DataFrame(sent_rows, columns=["doc_id", "sentence", "unit_id", "text", "chars", "covered",
                                                           "index", "evidence"])
        return self


def _first_overlap(items: Sequence[tuple[int, int, str, str]], starts: Sequence[int], pos: int) -> int:
    """Index of the first item that may overlap offsets from ``pos`` on (items sorted by start)."""
    import bisect

    k = bisect.bisect_left(starts, pos)
    # step back over items that start earlier but may still reach pos
    while k > 0 and items[k - 1][1] > pos:
        k -= 1
    # an earlier long item may still reach pos: scan back a bounded way
    j = k
    for back in range(k - 1, max(-1, k - 64), -1):
        if items[back][1] > pos:
            j = back
    return j


def _content(text: str, spans: Iterable[tuple[int, int]]) -> int:
    return sum(sum(1 for c in text[s:e] if not c.isspace()) for s, e in merge_spans(spans))


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
    """Run reuse detection, phrase mining and the 套话 index on ``corpus`` (one suffix array for both)."""
    index = TextIndex([d.text for d in corpus])
    rf = (reuse or ReuseFinder(progress=progress)).fit(corpus, index=index)
    pm = (phrases or PhraseMiner(progress=progress)).fit(corpus, index=index, passages=rf.passages_)
    fi = FormulaicnessIndex().fit(corpus, pm.phrases_, rf.passages_)
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


def write_reuse(finder: ReuseFinder, index: FormulaicnessIndex, out_dir: str | Path) -> list[Path]:
    """Write ``reuse.json``, ``reuse_matrix.csv``, ``formulaicness.csv`` and ``formulaicness_sentences.csv``."""
    from .export import ensure_dir, write_csv, write_json

    d = ensure_dir(out_dir)
    m = finder.matrix().round(4).reset_index()
    return [
        write_json(d / "reuse.json", finder.to_records()),
        write_csv(d / "reuse_matrix.csv", m),
        write_csv(d / "formulaicness.csv", index.documents_),
        write_csv(d / "formulaicness_sentences.csv", index.sentences_),
    ]

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
characters covered by corpus-level boilerplate (shared passages from :mod:`gkcorpus.boilerplate.reuse` and
the phrases), with the evidence.

At scale: the corpus is held as int32 token arrays (one document segmented at a time), not lists
of strings; candidates are tested in vectorised batches, and the floats that decide or rank a
phrase (entropies, cohesion) are computed exactly as the one-by-one formulas do; occurrences are
arrays (:class:`SpanList`), not one Python tuple each.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from ...kernels.codes import SEP_BASE, _char_set_mask, code_mask, stable_id
from ...kernels.suffix import TextIndex
from ..records import Occurrence, Passage, SentenceRecord
from ..reuse import document_sentences

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ...corpus import Corpus

from .contiguous import _ContiguousPhrases
from .formula_kinds import _pos_tags
from .gapped import _GappedPatterns
from .records import (
    _CLAUSE_BREAK,
    _distinct,
    _first_of_runs,
    _global_spans,
    _IDIOM_TAGS,
    _is_evaluative,
    _Item,
    _Matches,
    _MODIFIER_TAGS,
    _Occ,
    _PassageTable,
    _shared_sources,
    _token_stream,
    _VERBAL_TAGS,
    _ZONES,
    document_zones,
    Phrase,
    SpanList,
)

__all__ = [
    "PhraseMiner",
]

# --------------------------------------------------------------------------- the miner


class PhraseMiner(_ContiguousPhrases, _GappedPatterns):
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
    tokenizer : a :class:`~gkcorpus.text.tokenize.Tokenizer` (its ``.cut`` and its dictionaries' part-of-speech
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
        from ...text.tokenize import Tokenizer

        tok = Tokenizer()
        return tok.cut, tok._dict_paths()

    def fit(self, corpus: "Corpus", index: TextIndex | None = None,
            passages: Sequence[Passage] | None = None,
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "PhraseMiner":
        """Mine ``corpus``.

        ``index``: a prebuilt :class:`~gkcorpus.boilerplate.reuse.TextIndex` of its texts. ``passages``: shared
        passages (from :class:`~gkcorpus.boilerplate.reuse.ReuseFinder`); documents that hold a phrase only inside
        one copied passage count as one source, so text copied between a few documents does not
        pass for a corpus formula. ``sentences``: its :func:`~gkcorpus.boilerplate.reuse.document_sentences`,
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



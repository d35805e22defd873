"""The formula bank: whole recurring wordings of a corpus at any length, closed, linked and typed.

:class:`FormulaMiner` finds

* **contiguous formulae** -- maximal repeats of the concatenated clean texts (suffix array and
  LCP array, :class:`~gkcorpus.kernels.suffix.TextIndex`) over Han characters, ASCII digits and the
  clause punctuation ``，、“”‘’《》·``; every other character (sentence terminals, colons, Latin
  letters, line breaks, document ends) is a break no repeat crosses. Digits inside a repeat keep a
  wording with a number whole where the number recurs (城镇新增就业900万人以上); no edge is placed next to
  a digit or letter. There is no length cap: a repeat may be a whole clause or sentence. Each repeat
  is **snapped** inward to word boundaries twice: its start moves to the first offset where most of
  its occurrences (``boundary_share``) have a jieba word start on a Han character or an opening quote
  (not a one-character function word such as 的, 和, 也), its end to the last offset where most have
  a word end after a Han character or a closing quote (not a trailing function word such as 的, 在,
  将); and a second time keeping a one-character conjunction that opens a clause (而, 并) or a
  preposition, copula or modal that leads into the rest of the sentence (在, 是, 要 …) when the
  occurrences share it and a content word stands on its other side (更加紧密地团结在, 今年工作的总体要求是,
  而努力奋斗). Both snapped strings are candidates. The whole clauses (between commas) of a repeat
  that crosses a comma are candidates too. Every candidate is counted again over the whole text, so
  counts are character level, as ``Corpus.kwic`` finds them (``tf`` occurrences in ``df``
  documents). Strings with fewer than ``min_han`` Han characters or unbalanced quotes are dropped.
* **closure and links** -- a phrase contained in a longer one is listed only when it occurs
  more often (its ``tf`` is larger than that of every longer phrase containing it: it also
  occurs outside them), or when it is a whole clause of a longer copied sentence (向大会报告政府工作 in
  现在，我代表国务院，向大会报告政府工作: a reader wants the formula part, not only the sentence). Each entry
  names the longer entries that contain it (``parents``) and the entries inside it (``children``).
* **variants** -- wordings that differ only in punctuation or an inserted 的/地/之, and long wordings
  (twelve or more characters) that differ by one or two Han characters inserted inside them
  (并请全国政协(各位)委员提出意见, 中国现代化建设(事业)的各国政府), are one entry
  shown in its commonest wording, with ``variants`` and their own counts. ``df`` and ``tf`` are those
  of the wording shown (what a user who searches that string finds); ``df_folded`` and ``tf_folded``
  count all its wordings (each place once). ``min_df`` applies to the folded count.
* **gapped formulae** -- two words in one clause with a varying filler (现将…总结如下,
  按照…要求): pairs of words (two or more Han characters each) a few words apart that attract
  each other (they meet ``min_attraction`` times more often than their frequencies predict and
  one predicts the other in ``min_prediction`` of its uses), in ``min_df`` documents, whose
  fillers vary; each anchor is then grown by the neighbouring words that most of its matches
  share. Counted with the regular expression ``pattern`` (fillers of up to ``max_gap_chars``
  characters inside one clause).

Copying counts for a formula, not against it: ``df`` is the true number of documents.
``in_shared_passage`` is the number of its occurrences that lie inside a passage shared between
documents (when passages are given), a column for the reader, never a filter.

Each entry has a ``kind`` (``formula``, ``collocation``, ``term``) and a position ``category``
(``opening``, ``closing``, ``heading`` or ``""``), decided as :mod:`gkcorpus.boilerplate.phrases.formula_kinds`
describes. The ``score`` that orders the bank is how formulaic an entry is:

    score = sqrt(df_folded - 1) * log2(1 + min(han, 16)) * cohesion * (1 + freedom) / 2 * (0.5 + edges)

``df_folded`` is dispersion over documents; ``han`` the length in Han characters (longer set wording is
more formulaic, capped so that long copied sentences do not win on length alone); ``cohesion``
the boundary entropy (the mean of the left and right neighbour entropies, each in bits with
punctuation and line edges counted as fresh neighbours, divided by 1.5 and capped at 1: a fragment
that is nearly always continued the same way scores low); ``freedom`` the share of its occurrences that
lie outside longer entries, so a part that is mostly used inside one longer formula ranks below
it; ``edges`` the share of its occurrences' two edges that are punctuation or a line edge (0 to 1):
set wording is a unit of the clause structure -- an address, a clause, a lead-in -- while topical
compounds and verb-object pairs sit inside clauses. Edges are evidence of set wording, not of a
name, so a ``term`` scores with ``edges = 0`` (its order among terms is that of the other factors).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from ...kernels.repeats import (RangeMin as _RangeMin, char_mask as _isin_chars, grouped_entropy as _grouped_entropy,
                                han_mask as _in_ranges, inside_longer as _inside_longer, interval_docs as _interval_docs,
                                segmented_max as _segmented_max, spans_within as _within)
from ...kernels.codes import stable_id
from ...base.collector import paused_collection
from ...kernels.suffix import SuffixArray, TextIndex, _spans_groups
from ..records import Passage, SentenceRecord
from .formula_entries import _Entries, _entry_order, _entry_score
from ..reuse import document_sentences
from .formula_gapped import _GappedFormulae
from .formula_snap import _SnapEdges
from .formula_context import HEAD_SHARE, head_shares, verb_follow_shares
from .formula_spans import heading_spans, passage_spans
from .formulaicness import PhraseSpans
from .formula_kinds import (LEAD_IN_WORDS, dictionary_words, word_tag, KindFeatures, _dict_split, _pos_tags, anchor_tag, decide_gapped_kind, decide_kind, is_clipped_clause, is_fragment, is_open_frame,
                            is_incomplete, starts_with_enumerator, starts_with_particle,
                            position_categories, position_zones)
from .formula_records import FORMULA_COLUMNS, Formula, FormulaVariant
from .formula_records import (_CLOSE, _Evidence, _Examples, _SpanViews, _FOLD_PUNCT, _HAN_RE, _INNER_PUNCT, _OPEN, _fold_key,
                              _insertion_roots, _DIGITS)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ...corpus import Corpus, Document

__all__ = ["FormulaMiner"]

_VERBAL_TAGS = frozenset("v vd vi vg".split())
_SPACE = re.compile(r"\s")  # what str.isspace calls whitespace (a jieba dictionary line cannot hold it)


class FormulaMiner(_GappedFormulae, _SnapEdges, BaseEstimator):
    """Mine the formula bank of a corpus (see the module docstring for the method).

    Parameters
    ----------
    min_df : an entry occurs in at least this many documents.
    min_df_gapped : the same for gapped formulae (default ``min_df - 1``, at least 2 unless ``min_df`` is 1): their matches have
        different fillers, so two documents sharing one are two uses of a frame, not one act of
        copying, which a contiguous wording shared by two documents often is.
    min_han : an entry has at least this many Han characters.
    boundary_share : share of a repeat's occurrences that must agree on a word boundary for its
        edge to be placed there.
    fold_variants : fold punctuation, width and 的/地/之 variants into one entry.
    gapped : also mine gapped formulae; ``max_gap`` is the longest filler in words while mining,
        ``max_gap_chars`` in characters when counting; ``min_attraction`` and ``min_prediction``
        how strongly the two words must attract each other.
    position_edge, position_share, position_alpha : the position test (opening and closing parts: the
        first/last ``position_edge`` of a document's sentences, one to six; ``position_share`` of the
        occurrences; binomial p-value below ``position_alpha``).
    tokenizer : a :class:`~gkcorpus.tokenize.Tokenizer` (default: jieba with the domain dictionary) or a
        callable ``str -> list[str]`` that keeps every character.
    max_examples : examples kept per entry.
    max_links : parents and children listed per entry (the closest first).
    progress : show a progress bar while segmenting.

    Fitted attributes: ``formulae_`` (the bank, most formulaic first), ``doc_ids_``, ``n_docs_``, ``min_df_gapped_``.
    """

    def __init__(
        self,
        min_df: int = 3,
        min_df_gapped: int | None = None,
        min_han: int = 4,
        boundary_share: float = 0.5,
        fold_variants: bool = True,
        gapped: bool = True,
        max_gap: int = 10,
        max_gap_chars: int = 60,
        min_attraction: float = 4.0,
        min_prediction: float = 0.3,
        position_edge: float = 0.1,
        position_share: float = 0.5,
        position_alpha: float = 0.01,
        tokenizer: Callable[[str], list[str]] | None = None,
        max_examples: int = 3,
        max_links: int = 10,
        progress: bool = False,
    ):
        self.min_df = min_df
        self.min_df_gapped = min_df_gapped
        self.min_han = min_han
        self.boundary_share = boundary_share
        self.fold_variants = fold_variants
        self.gapped = gapped
        self.max_gap = max_gap
        self.max_gap_chars = max_gap_chars
        self.min_attraction = min_attraction
        self.min_prediction = min_prediction
        self.position_edge = position_edge
        self.position_share = position_share
        self.position_alpha = position_alpha
        self.tokenizer = tokenizer
        self.max_examples = max_examples
        self.max_links = max_links
        self.progress = progress

    # ---- validation
    def _validate(self) -> None:
        if self.min_df_gapped is not None and (not isinstance(self.min_df_gapped, (int, np.integer))
                                               or isinstance(self.min_df_gapped, bool) or self.min_df_gapped < 1):
            raise ValueError(f"min_df_gapped must be an integer >= 1 or None, got {self.min_df_gapped!r}")
        ints = {"min_df": 1, "min_han": 2, "max_gap": 1, "max_gap_chars": 1, "max_examples": 0, "max_links": 0}
        for name, low in ints.items():
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")
        for name in ("boundary_share", "position_edge", "position_share", "position_alpha", "min_prediction"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not 0 < v <= 1:
                raise ValueError(f"{name} must be a number in (0, 1], got {v!r}")
        if not isinstance(self.min_attraction, (int, float)) or self.min_attraction <= 0:
            raise ValueError(f"min_attraction must be a positive number, got {self.min_attraction!r}")
        if self.tokenizer is not None and not callable(self.tokenizer) and not hasattr(self.tokenizer, "cut"):
            raise ValueError("tokenizer must be a gkcorpus Tokenizer or a callable str -> list[str]")

    def _tokenizer(self) -> tuple[Callable[[str], list[str]], tuple[str, ...]]:
        tok = self.tokenizer
        if tok is not None and hasattr(tok, "_dict_paths"):  # a gkcorpus Tokenizer: all tokens, punctuation kept
            return tok.cut, tok._dict_paths()
        if tok is not None:
            return tok, ()
        from ...text.tokenize import Tokenizer

        t = Tokenizer()
        return t.cut, t._dict_paths()

    # ---- fitting
    def fit(self, corpus: "Corpus", index: TextIndex | None = None, passages: Sequence[Passage] | None = None,
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "FormulaMiner":
        """Mine ``corpus``.

        ``index``: a prebuilt :class:`~gkcorpus.reuse.TextIndex` of its texts (in corpus order);
        ``passages``: shared passages (from :class:`~gkcorpus.reuse.ReuseFinder`) for the
        ``in_shared_passage`` column; ``sentences``: its :func:`~gkcorpus.reuse.document_sentences`.
        """
        self._validate()
        docs = list(corpus)
        if not docs:
            raise ValueError("the corpus has no documents")
        self.doc_ids_ = [d.id for d in docs]
        self.n_docs_ = len(docs)
        self.min_df_gapped_ = (min(self.min_df, max(2, self.min_df - 1)) if self.min_df_gapped is None
                               else int(self.min_df_gapped))
        self._docs = docs
        ix = index if index is not None else TextIndex([d.text for d in docs])
        self._ix = ix
        self._sentences = list(sentences) if sentences is not None else \
            [document_sentences(d, i) for i, d in enumerate(docs)]
        tokenizer, user_dicts = self._tokenizer()
        self._tags = _pos_tags(user_dicts)
        self._splits: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._verb_shares: dict[str, float] | None = None
        # nothing made here forms a cycle: collecting while the tokens, candidates and records are made
        # (hundreds of thousands of objects, in a process that may hold a large corpus) costs up to a
        # tenth of the stage, and the records kept are long-lived
        with paused_collection():
            self._word_bounds(docs, tokenizer)
            cands = self._contiguous()
            if self.gapped:
                cands += self._gapped_candidates()
            self.formulae_ = self._finish(cands, passages or ())
        for name in ("_ix", "_wb", "_docs", "_sentences", "_tok_gs", "_tok_ids",
                     "_tok_words", "_han", "_allowed", "_labels", "_splits", "_wb_pos", "_rmq", "_doc_at", "_tags",
                     "_verb_shares"):
            self.__dict__.pop(name, None)
        return self

    def _word_bounds(self, docs: Sequence["Document"], tokenizer: Callable[[str], list[str]]) -> None:
        """Global word-boundary mask, token start offsets and word ids, and word counts."""
        import pandas as pd

        ix = self._ix
        n = len(ix.codes)
        wb = np.zeros(n + 1, dtype=bool)
        # word ids in order of first appearance, document by document: what one factorisation of every token
        # gives, without every token of the corpus as a string at once (5.4 M strings at 10 M characters)
        gs_parts, id_parts, word_id = [], [], {}
        items: Any = docs
        if self.progress:
            from tqdm.auto import tqdm

            items = tqdm(list(docs), desc="phrases: tokenize", unit="doc", leave=False)
        for d, doc in enumerate(items):
            text = doc.text
            toks = tokenizer(text)
            lens = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
            if "".join(toks) == text:
                starts = np.cumsum(lens) - lens
            else:  # a tokenizer that changed the text: find each token
                out, pos = [], 0
                for t in toks:
                    k = text.find(t, pos)
                    k = pos if k < 0 else k
                    out.append(k)
                    pos = k + len(t)
                starts = np.array(out, dtype=np.int64)
            base = int(ix.doc_starts[d])
            wb[base + starts] = True
            wb[base + starts + lens] = True
            gs_parts.append(base + starts)
            local, uniques = pd.factorize(np.array(toks, dtype=object), sort=False)
            glob = np.fromiter((word_id.setdefault(w, len(word_id)) for w in uniques), dtype=np.int64,
                               count=len(uniques))
            id_parts.append(glob[local])
        codes = ix.codes
        han = _in_ranges(codes)
        allowed = han | _isin_chars(codes, _INNER_PUNCT + _DIGITS)
        wb[:-1] |= ~allowed
        wb[1:] |= ~allowed
        wb[-1] = True
        self._wb = wb
        self._han = han
        self._allowed = allowed
        self._tok_gs = np.concatenate(gs_parts) if gs_parts else np.zeros(0, dtype=np.int64)
        self._tok_ids = np.concatenate(id_parts) if id_parts else np.zeros(0, dtype=np.int64)
        self._tok_words = list(word_id)

    # ---- contiguous candidates
    def _contiguous(self) -> list[dict[str, Any]]:
        ix = self._ix
        codes, sa = ix.codes, ix.sa
        n = len(codes)
        if n < 2:
            return []
        allowed = self._allowed
        pos = np.arange(n, dtype=np.int64)
        nb = np.where(~allowed, pos, n)
        nb = np.minimum.accumulate(nb[::-1])[::-1] - pos  # characters before the next break
        del pos
        h = np.minimum(np.minimum(ix.lcp[: n - 1], nb[sa[: n - 1]]), nb[sa[1:]]).astype(ix.lcp.dtype)
        del nb
        shell = SuffixArray.__new__(SuffixArray)
        shell.codes, shell.sa, shell._isa = codes, sa, None
        shell.lcp = np.append(h, 0).astype(h.dtype)
        L, LB, RB, _, _ = shell.interval_table(self.min_han)
        pre_df = 2 if self.fold_variants else self.min_df
        keep = (RB - LB + 1) >= pre_df
        L, LB, RB = L[keep], LB[keep], RB[keep]
        # left-maximal: the characters before the occurrences differ (a break counts as a fresh one)
        prev_pos = sa.astype(np.int64) - 1
        prev = np.where(prev_pos >= 0, codes[np.maximum(prev_pos, 0)].astype(np.int64), -1)
        fresh = (prev_pos < 0) | ~allowed[np.maximum(prev_pos, 0)]
        prev[fresh] = -2 - np.flatnonzero(fresh)
        del prev_pos, fresh  # arrays of the text's length go once read (800 MB each at 100 M characters)
        keep = _spans_groups(prev, LB, RB)
        del prev
        self._doc_at = np.repeat(np.arange(len(ix.doc_starts) - 1, dtype=np.int64), np.diff(ix.doc_starts))
        labels = self._doc_at[sa]  # per rank, its document (a gather, not a search per suffix)
        keep &= _spans_groups(labels, LB, RB)
        L, LB, RB = L[keep].astype(np.int64), LB[keep].astype(np.int64), RB[keep].astype(np.int64)
        # snap the edges to word boundaries the occurrences agree on
        a, b, again = self._snap(L, LB, RB)
        LB = np.concatenate([LB, LB[again]])
        ok = b - a >= self.min_han
        p0 = sa[LB[ok]].astype(np.int64) + a[ok]
        m = (b - a)[ok]
        p0, m, piece = self._with_clauses(p0, m)
        hc = ix.han_cum
        ok2 = (hc[p0 + m] - hc[p0]) >= self.min_han
        p0, m, piece = p0[ok2], m[ok2], piece[ok2]
        # count the snapped strings again: their rank ranges
        rmq = _RangeMin(h, block=32)  # short blocks: fewer single steps at the range ends
        self._rmq = rmq
        lo, hi = rmq.expand(ix.isa[p0], m)
        key = lo * (int(m.max()) + 1 if len(m) else 1) + m
        ukey, first, inv = np.unique(key, return_index=True, return_inverse=True)
        clause = np.zeros(len(ukey), dtype=bool)
        clause[inv[piece]] = True
        p0, m, lo, hi = p0[first], m[first], lo[first], hi[first]
        tf = hi - lo + 1
        df = _interval_docs(labels, self.n_docs_, lo, hi)
        keep = (df >= pre_df) & (tf >= pre_df)
        p0, m, lo, hi, tf, df, clause = p0[keep], m[keep], lo[keep], hi[keep], tf[keep], df[keep], clause[keep]
        self._labels = labels
        s = ix.string
        out = []
        for q, mm, l_, h_, t_, d_, c_ in zip(p0.tolist(), m.tolist(), lo.tolist(), hi.tolist(), tf.tolist(), df.tolist(),
                                             clause.tolist()):
            text = s[q : q + mm]
            if text.count("“") != text.count("”") or text.count("《") != text.count("》"):
                continue
            if d_ < self.min_df and not _FOLD_PUNCT.search(text):  # too rare alone, and no variant can join it
                continue
            out.append({"text": text, "pos": q, "lo": l_, "hi": h_, "tf": t_, "df": d_, "clause": c_})
        return out

    def _with_clauses(self, p0: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The candidates followed by the whole clauses inside those that cross a comma (现在，我代表国务院，
        向大会报告政府工作 gives 我代表国务院 and 向大会报告政府工作), and a mask of those clauses: a
        clause of a longer copied sentence is a formula in its own right even where it never occurs
        outside that sentence, so closure keeps it."""
        codes = self._ix.codes
        comma = np.flatnonzero(codes == ord("，"))
        lo = np.searchsorted(comma, p0)
        hi = np.searchsorted(comma, p0 + m)
        multi = np.flatnonzero(hi > lo)
        if not len(multi):
            return p0, m, np.zeros(len(p0), dtype=bool)
        good = self._han | _isin_chars(codes, _OPEN + _CLOSE)
        # the cuts of each such candidate: its start - 1, the commas inside, its end; a clause between two
        n_in = hi[multi] - lo[multi]
        block = np.cumsum(n_in + 1) - (n_in + 1)  # where each candidate's clauses begin
        which = np.repeat(np.arange(len(multi)), n_in)
        j = np.arange(int(n_in.sum()), dtype=np.int64) - np.repeat(np.cumsum(n_in) - n_in, n_in)
        inner = comma[lo[multi][which] + j]
        x = np.empty(int(block[-1] + n_in[-1] + 1), dtype=np.int64)
        y = np.empty_like(x)
        x[block] = p0[multi] - 1
        x[block[which] + 1 + j] = inner
        y[block[which] + j] = inner
        y[block + n_in] = p0[multi] + m[multi]
        ok = (y - x - 1 >= self.min_han) & good[x + 1] & good[y - 1]
        qs, ms = x[ok] + 1, (y - x - 1)[ok]
        piece = np.zeros(len(p0) + len(qs), dtype=bool)
        piece[len(p0):] = True
        return np.concatenate([p0, qs]), np.concatenate([m, ms]), piece

    # ---- finishing: closure, variants, features, kinds, ranking
    def _finish(self, cands: list[dict[str, Any]], passages: Sequence[Passage]) -> list[Formula]:
        contiguous = [c for c in cands if "parts" not in c]
        gapped = self._count_gapped([c["parts"] for c in cands if "parts" in c])
        parents, children, closed = self._closure(contiguous)
        entries = self._entries(contiguous, closed, gapped)
        if not entries.texts:
            return []
        feats = self._features(entries, passages)
        out, two = self._records(entries, feats, contiguous)
        self._decide_kinds(out, two)
        self._link(out, parents, children)
        out.sort(key=lambda f: (-f.score, -f.df_folded, -f.tf, f.phrase))
        return out

    def _closure(self, contiguous: list[dict[str, Any]]) -> tuple[list[list[int]], list[list[int]], list[bool]]:
        """Parents and children of each contiguous candidate (substrings at the word boundaries of one
        occurrence), and whether it is kept: it occurs outside every longer candidate containing it
        (its tf is larger), or it is a whole clause of a longer copied sentence.

        All at once: every span between two word boundaries of a candidate's occurrence is a child
        when its suffix-array rank lies in the rank range of the candidate of its length (ranges
        of one length are disjoint: one search finds the only one that can hold it)."""
        self._wb_pos = np.flatnonzero(self._wb)
        n_c = len(contiguous)
        children: list[list[int]] = [[] for _ in contiguous]
        parents: list[list[int]] = [[] for _ in contiguous]
        # only a variant-to-be has fewer documents: its sub-phrases occur in the documents anyway
        live = np.array([i for i, c in enumerate(contiguous) if c["df"] >= self.min_df], dtype=np.int64)
        if n_c and len(live):
            pos = np.array([c["pos"] for c in contiguous], dtype=np.int64)
            size = np.array([len(c["text"]) for c in contiguous], dtype=np.int64)
            lo = np.array([c["lo"] for c in contiguous], dtype=np.int64)
            hi = np.array([c["hi"] for c in contiguous], dtype=np.int64)
            inner, n_in = self._inner_cut_arrays(pos[live], size[live])
            # each live candidate's cuts: 0, the boundaries inside, its length
            k = n_in + 2
            block = np.cumsum(k) - k
            owner = np.repeat(np.arange(len(live)), k)
            cuts = np.zeros(int(k.sum()), dtype=np.int64)
            inside = np.ones(len(cuts), dtype=bool)
            inside[block] = False
            inside[block + k - 1] = False
            cuts[inside] = inner
            cuts[block + k - 1] = size[live]
            # every pair of cuts (u before v) of one candidate
            after = (block + k)[owner] - np.arange(len(cuts)) - 1
            u = np.repeat(np.arange(len(cuts)), after)
            v = u + 1 + np.arange(int(after.sum()), dtype=np.int64) - np.repeat(np.cumsum(after) - after, after)
            i_of = owner[u]
            length = cuts[v] - cuts[u]
            del after, v, owner  # (one entry per pair of cuts: the largest arrays of the step)
            ok = (length >= self.min_han) & (length < size[live][i_of])
            u, i_of, length = u[ok], i_of[ok], length[ok]
            rank = self._ix.isa[pos[live][i_of] + cuts[u]].astype(np.int64)
            n = len(self._ix.sa) + 1
            key = size * n + lo
            order = np.argsort(key, kind="stable")
            at = np.searchsorted(key[order], length * n + rank, side="right") - 1
            j = order[np.maximum(at, 0)]
            hit = (at >= 0) & (size[j] == length) & (hi[j] >= rank)
            pair = np.unique(live[i_of[hit]] * n_c + j[hit])
            pi, pj = (pair // n_c).tolist(), (pair % n_c).tolist()
            for a, b in zip(pi, pj):  # by parent, then child: each child's parents in order
                children[a].append(b)
                parents[b].append(a)
        # kept: a whole clause, or more occurrences than every parent
        closed = np.fromiter((c["clause"] for c in contiguous), dtype=bool, count=n_c)
        if n_c and len(live) and len(pair):
            tf = np.fromiter((c["tf"] for c in contiguous), dtype=np.int64, count=n_c)
            pa, ch = pair // n_c, pair % n_c
            outdone = np.zeros(n_c, dtype=bool)
            outdone[ch[tf[ch] <= tf[pa]]] = True
            closed |= ~outdone
        else:
            closed[:] = True
        return parents, children, closed.tolist()

    def _inner_cut_arrays(self, pos: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The word boundaries strictly inside each span (``pos``, ``pos + length``), as offsets from its
        start, one span after the other, and how many each span has."""
        bounds = self._wb_pos
        q = np.asarray(pos, dtype=np.int64)
        lo = np.searchsorted(bounds, q, side="right")
        sizes = np.maximum(np.searchsorted(bounds, q + np.asarray(length, dtype=np.int64), side="left") - lo, 0)
        starts = np.cumsum(sizes) - sizes
        idx = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(starts, sizes) + np.repeat(lo, sizes)
        return bounds[idx] - np.repeat(q, sizes), sizes

    def _inner_cuts(self, pos: Sequence[int], length: Sequence[int]) -> tuple[list[int], list[int]]:
        """:meth:`_inner_cut_arrays` as one flat list and where each span's offsets begin in it
        (``at[i]`` to ``at[i + 1]``)."""
        flat, sizes = self._inner_cut_arrays(np.asarray(pos, dtype=np.int64), np.asarray(length, dtype=np.int64))
        at = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=at[1:])
        return flat.tolist(), at.tolist()

    def _entries(self, contiguous: list[dict[str, Any]], closed: list[bool], gapped: list[dict[str, Any]]) -> "_Entries":
        """Fold the kept contiguous candidates into wording families (one entry each, the commonest
        wording first) and add the gapped formulae; every occurrence once, as flat arrays."""
        groups: dict[str, list[int]] = defaultdict(list)
        for j, c in enumerate(contiguous):
            if closed[j]:
                groups[_fold_key(c["text"]) if self.fold_variants else c["text"]].append(j)
        if self.fold_variants:  # small insertions inside a wording: one family
            for key, into in _insertion_roots(list(groups)).items():
                groups[into].extend(groups.pop(key))
        ent = _Entries()
        m_entry, m_lo, m_hi, m_len = [], [], [], []  # every member wording: its entry and rank range
        for members in groups.values():
            if len(members) > 1:
                members.sort(key=lambda j: (-contiguous[j]["tf"], -contiguous[j]["df"], contiguous[j]["text"]))
            if len(members) == 1 and contiguous[members[0]]["df"] < self.min_df:
                continue
            k = len(ent.texts)
            for j in members:
                c = contiguous[j]
                m_entry.append(k)
                m_lo.append(c["lo"])
                m_hi.append(c["hi"])
                m_len.append(len(c["text"]))
            head = contiguous[members[0]]
            ent.add(head["text"], members[0], int(head["df"]), int(head["tf"]),
                    [FormulaVariant(contiguous[j]["text"], int(contiguous[j]["df"]), int(contiguous[j]["tf"]))
                     for j in members] if len(members) > 1 else [])
        ent.n_cont = len(ent.texts)
        occ_e, occ_g0, occ_g1 = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        if m_entry:  # the suffix-array ranks of all members at once
            lo, hi = np.array(m_lo, dtype=np.int64), np.array(m_hi, dtype=np.int64)
            size = hi - lo + 1
            member = np.repeat(np.arange(len(lo)), size)
            ranks = np.arange(int(size.sum()), dtype=np.int64) - np.repeat(np.cumsum(size) - size, size) + lo[member]
            g = self._ix.sa[ranks].astype(np.int64)
            occ_e.append(np.array(m_entry, dtype=np.int64)[member])
            occ_g0.append(g)
            occ_g1.append(g + np.array(m_len, dtype=np.int64)[member])
        for e in gapped:
            occ_e.append(np.full(len(e["g0"]), len(ent.texts), dtype=np.int64))
            occ_g0.append(e["g0"])
            occ_g1.append(e["g1"])
            ent.add(e["text"], -1, -1, -1, [], e["fillers"], e["pattern"])
        if not ent.texts:
            return ent
        E, G0, G1 = np.concatenate(occ_e), np.concatenate(occ_g0), np.concatenate(occ_g1)
        order = _entry_order(E, G0, G1, len(self._ix.codes))
        E, G0, G1 = E[order], G0[order], G1[order]
        # a folded wording can hold another (“政务公开日” holds 政务公开日): one occurrence per place
        new_entry = np.ones(len(E), dtype=bool)
        new_entry[1:] = E[1:] != E[:-1]
        blocks = np.cumsum(new_entry) - 1  # the furthest end of the entry's earlier occurrences, per occurrence
        shifted = np.where(new_entry, -1, np.concatenate(([-1], G1[:-1])))
        keep_occ = G0 >= _segmented_max(shifted, blocks)
        ent.E, ent.G0, ent.G1 = E[keep_occ], G0[keep_occ], G1[keep_occ]
        return ent

    def _features(self, ent: "_Entries", passages: Sequence[Passage]) -> dict[str, Any]:
        """Per entry: folded counts, documents, cohesion, standalone share, freedom, position, passages."""
        ix = self._ix
        E, G0, G1 = ent.E, ent.G0, ent.G1
        n_e, n_cont = len(ent.texts), ent.n_cont
        dstarts = ix.doc_starts
        D = self._doc_at[G0]
        tf = np.bincount(E, minlength=n_e)
        ed = E * (self.n_docs_ + 1) + D  # sorted: occurrences are by entry, then start
        ed_first = np.flatnonzero(np.append(True, ed[1:] != ed[:-1])) if len(ed) else np.zeros(0, dtype=np.int64)
        ed = ed[ed_first]  # each entry's documents, and the first occurrence in each
        ed_e, ed_d = ed // (self.n_docs_ + 1), ed % (self.n_docs_ + 1)
        df = np.bincount(ed_e, minlength=n_e)
        # neighbours: a character before / after, punctuation and edges counted as fresh neighbours
        codes = ix.codes
        n = len(codes)
        han = np.append(self._han, False)
        lpos, rpos = G0 - 1, G1
        lfresh = (lpos < 0) | ~han[np.maximum(lpos, 0)]
        rfresh = (rpos >= n) | ~han[np.minimum(rpos, n)]
        idx = np.arange(len(E), dtype=np.int64)
        lsym = np.where(lfresh, (1 << 22) + idx, codes[np.maximum(lpos, 0)].astype(np.int64))
        rsym = np.where(rfresh, (1 << 22) + idx, codes[np.minimum(rpos, n - 1)].astype(np.int64))
        cohesion = (np.minimum(1.0, _grouped_entropy(E, lsym, n_e, tf) / 1.5)
                    + np.minimum(1.0, _grouped_entropy(E, rsym, n_e, tf) / 1.5)) / 2
        # standalone / clause-final: punctuation or an edge beside it (a number or letter is no boundary)
        word_char = np.append(self._han | _isin_chars(codes, _DIGITS) | ((codes | 0x20) >= ord("a"))
                              & ((codes | 0x20) <= ord("z")), False)
        lbound = (lpos < 0) | ~word_char[np.maximum(lpos, 0)]
        rbound = (rpos >= n) | ~word_char[np.minimum(rpos, n)]
        standalone = np.bincount(E, weights=(lbound & rbound).astype(np.float64), minlength=n_e) / np.maximum(tf, 1)
        right_closed = np.bincount(E, weights=rbound.astype(np.float64), minlength=n_e) / np.maximum(tf, 1)
        edges = (np.bincount(E, weights=lbound.astype(np.float64), minlength=n_e) / np.maximum(tf, 1) + right_closed) / 2
        right_head, own_docs = head_shares(self._tok_gs, self._tok_ids, self._tok_words, self._tag,
                                           E, G1, D, n_e, tf, self.n_docs_)
        # freedom: share of a contiguous entry's occurrences outside a longer entry's occurrence
        cont = E < n_cont
        free = np.ones(n_e, dtype=np.float64)
        inside = _inside_longer(G0[cont], G1[cont], n)
        free[:n_cont] = 1.0 - np.bincount(E[cont], weights=inside.astype(np.float64), minlength=n_e)[:n_cont] / \
            np.maximum(tf[:n_cont], 1)
        # position: the opening and closing parts (first and last sentences) and headings
        doc_len = np.diff(dstarts).astype(np.float64) - 1
        open_end, close_start = position_zones([[(r.start, r.end) for r in ss] for ss in self._sentences],
                                               self.position_edge)
        zone_open = np.minimum(open_end, doc_len) / np.maximum(doc_len, 1)
        zone_close = np.clip(doc_len - close_start, 0, None) / np.maximum(doc_len, 1)
        in_open = G0 - dstarts[D] < open_end[D]
        in_close = G1 - dstarts[D] > close_start[D]
        hs0, hs1, hchars = heading_spans(self._docs, self._ix.doc_starts)
        in_head = _within(G0, G1, hs0, hs1)
        hshare = np.bincount(ed_e, weights=hchars[ed_d], minlength=n_e) / \
            np.maximum(np.bincount(ed_e, weights=doc_len[ed_d], minlength=n_e), 1)
        tf1 = np.maximum(tf, 1)
        category = position_categories(E, n_e, tf, in_open, in_close, in_head,
                                       np.bincount(E, weights=zone_open[D], minlength=n_e) / tf1,
                                       np.bincount(E, weights=zone_close[D], minlength=n_e) / tf1, hshare,
                                       self.position_share, self.position_alpha)
        ps0, ps1 = passage_spans(passages, self.doc_ids_, self._ix.doc_starts)
        in_pass = np.bincount(E, weights=_within(G0, G1, ps0, ps1).astype(np.float64), minlength=n_e).astype(np.int64)
        return {"D": D, "tf": tf, "df": df, "ed_e": ed_e, "ed_d": ed_d, "ed_first": ed_first, "cohesion": cohesion, "standalone": standalone,
                "free": free, "category": category, "in_pass": in_pass, "right_closed": right_closed,
                "edges": edges, "right_head": right_head, "own_docs": own_docs}

    def _records(self, ent: "_Entries", ft: dict[str, Any], contiguous: list[dict[str, Any]]
                 ) -> tuple[list[Formula], list[tuple[int, int, int, int, int]]]:
        """The entries with ``min_df`` documents after folding as :class:`Formula` records (fragments
        dropped), and the two-word ones' word positions for the association test."""
        dstarts = self._ix.doc_starts
        E, G0, G1, D = ent.E, ent.G0, ent.G1, ft["D"]
        n_e = len(ent.texts)
        e_start = np.searchsorted(E, np.arange(n_e + 1)).tolist()
        d_start = np.searchsorted(ft["ed_e"], np.arange(n_e + 1)).tolist()
        tf_l, df_l, coh_l, free_l, sa_l, pass_l = (ft["tf"].tolist(), ft["df"].tolist(), ft["cohesion"].tolist(),
                                                   ft["free"].tolist(), ft["standalone"].tolist(), ft["in_pass"].tolist())
        evidence = _Evidence(self._docs, self._sentences)
        two: list[tuple[int, int, int, int, int]] = []  # (record, word 1 position, length, word 2 position, length)
        split_tags: dict[int, tuple[str, ...]] = {}
        rc_l, edge_l = ft["right_closed"].tolist(), ft["edges"].tolist()
        rh_l, own_l = ft["right_head"].tolist(), ft["own_docs"].tolist()
        S_, T_ = G0 - dstarts[D], G1 - dstarts[D]
        # each entry's occurrences as views of int32 arrays (the dtype of the 套话 index's span lists: no copies)
        D32, S32, T32 = D.astype(np.int32), S_.astype(np.int32), T_.astype(np.int32)
        self._occurrences = (np.asarray(e_start, dtype=np.int64), D32, S32, T32)
        occ = (D32, S32, T32)
        # the examples: per entry and document, the document and its first occurrence (an entry reads its first few)
        ed_d = ft["ed_d"].astype(np.int32)
        ex_arrays = (ed_d, S32[ft["ed_first"]], T32[ft["ed_first"]])
        out: list[Formula] = []
        live, head_pos, inner, at, head_han = self._live_heads(ent, ft, contiguous)
        texts, patterns, fillers, variants, heads = ent.texts, ent.patterns, ent.fillers, ent.variants, ent.heads
        category, doc_ids, max_examples = ft["category"], self.doc_ids_, self.max_examples
        # how often a verb follows each gapped lead in the corpus (an adverb before its verb, or a mis-tagged verb)
        lead_verb = self._verb_follow({texts[k].split("…", 1)[0] for k in live if patterns[k]})
        for r, k in enumerate(live):
            text, pattern = texts[k], patterns[k]
            if pattern:
                words = tuple(text.split("…"))
                tags = tuple(anchor_tag(w, self._tags) for w in words)
                kind = decide_gapped_kind(tags, words, lead_verb.get(words[0], 0.0))
                if not kind or starts_with_particle(words) or starts_with_enumerator(words):
                    continue
            else:
                q = head_pos[r]
                words, tags = dictionary_words(text, inner[at[r]: at[r + 1]], self._tags, self._splits)  # its own wording
                if ((is_fragment(tags) or is_open_frame(tags, words)) and sa_l[k] < 0.5) or is_clipped_clause(text, right_closed=rc_l[k]) \
                        or is_incomplete(tags, words, rc_l[k]):
                    continue
                if rh_l[k] >= HEAD_SHARE and round(rh_l[k] * tf_l[k]) >= self.min_df and own_l[k] < self.min_df \
                        and tags[-1] not in _VERBAL_TAGS and text[-1] not in LEAD_IN_WORDS:
                    continue  # a modifier cut before the noun that follows it in most occurrences (对政务公开 + 工作)
                kind = ""  # decided later, once the two-word entries' word counts are known
                split = _dict_split(words[0], self._tags, idioms=True) if len(words) == 1 else []
                if len(split) == 2:  # an idiom of two free words: their association decides its kind
                    two.append((len(out), q, len(split[0]), q + len(split[0]), len(split[1])))
                    split_tags[len(out)] = tuple(self._tag(p) for p in split)
                if len(words) == 2:
                    w1 = text.find(words[0])
                    two.append((len(out), q + w1, len(words[0]), q + text.find(words[1], w1 + len(words[0])),
                                len(words[1])))
            hc = len(_HAN_RE.findall(text)) if pattern else head_han[r]
            score = _entry_score(df_l[k], hc, coh_l[k], free_l[k], edge_l[k])
            d0, d1 = d_start[k], d_start[k + 1]
            udocs = ed_d[d0:d1].tolist()
            exact = ent.dfs[k] >= 0
            e0, e1 = e_start[k], e_start[k + 1]
            out.append(Formula(
                id=stable_id("f", text), phrase=text, kind=kind, category=category[k],
                df=ent.dfs[k] if exact else df_l[k], tf=ent.tfs[k] if exact else tf_l[k],
                score=score, docs=[doc_ids[i] for i in udocs],
                examples=_Examples(evidence, arrays=ex_arrays, lo=d0, hi=min(d1, d0 + max_examples)),
                variants=variants[k], in_shared_passage=pass_l[k], han_chars=hc, words=words, tags=tags,
                cohesion=coh_l[k], freedom=free_l[k], standalone=sa_l[k], pattern=pattern, fillers=fillers[k],
                df_folded=df_l[k], tf_folded=tf_l[k], spans=_SpanViews(occ, e0, e1)))
            out[-1]._head = heads[k]  # type: ignore[attr-defined]
            out[-1]._entry = k  # type: ignore[attr-defined]  (its rows of the flat occurrence arrays)
            out[-1]._kind_extra = (rc_l[k], split_tags.get(len(out) - 1, ()), edge_l[k])  # type: ignore[attr-defined]
        return out, two

    def _live_heads(self, ent: "_Entries", ft: dict[str, Any], contiguous: list[dict[str, Any]]
                    ) -> tuple[list[int], list[int], Any, Any, list[int]]:
        """The entries with enough documents (``min_df``; gapped: ``min_df_gapped_``), and their heads'
        positions, word cuts and Han character counts (contiguous entries; 0 for gapped ones)."""
        need = np.full(len(ent.texts), self.min_df, dtype=np.int64)
        need[ent.n_cont:] = self.min_df_gapped_
        live = np.flatnonzero(ft["df"] >= need).tolist()
        n_cont = ent.n_cont
        head_pos = [int(contiguous[ent.heads[k]]["pos"]) if k < n_cont else 0 for k in live]
        head_len = [len(ent.texts[k]) if k < n_cont else 0 for k in live]
        inner, at = self._inner_cuts(head_pos, head_len)
        hq = np.array(head_pos, dtype=np.int64)
        han_cum = self._ix.han_cum
        head_han = (han_cum[hq + np.array(head_len, dtype=np.int64)] - han_cum[hq]).tolist()
        return live, head_pos, inner, at, head_han

    def _decide_kinds(self, out: list[Formula], two: list[tuple[int, int, int, int, int]]) -> None:
        """Kinds of the contiguous entries; a two-word entry's association needs both words' counts
        (counted as strings, all at once)."""
        assoc = [1.0] * len(out)
        if two:
            arr = np.array(two, dtype=np.int64)
            pos = np.concatenate([arr[:, 1], arr[:, 3]])
            length = np.concatenate([arr[:, 2], arr[:, 4]])
            lo, hi = self._rmq.expand(self._ix.isa[pos], length)
            counts = (hi - lo + 1).reshape(2, -1)
            tf = np.array([out[i].tf_folded for i in arr[:, 0].tolist()], dtype=np.int64)
            for i, a in zip(arr[:, 0].tolist(), np.maximum(tf / counts[0], tf / counts[1]).tolist()):
                assoc[i] = a
        verb_next = self._verb_follow({f.words[0] for f in out if not f.kind and f.words})
        for i, f in enumerate(out):
            right_closed, split, edges = f._kind_extra  # type: ignore[attr-defined]
            del f._kind_extra  # type: ignore[attr-defined]
            if not f.kind:
                f.kind = decide_kind(KindFeatures(f.words, f.tags, f.han_chars, f.standalone, assoc[i], f.category,
                                                  right_closed, split, f.phrase,
                                                  verb_next[f.words[0]] if f.words and f.words[0] in verb_next
                                                  else 0.0))
            if f.kind == "term":  # edges are evidence of set wording, not of a name: a term scores as if it had none
                f.score *= 0.5 / (0.5 + edges)

    def _link(self, out: list[Formula], parents: list[list[int]], children: list[list[int]]) -> None:
        """Parents and children among the kept entries, nearest first."""
        kept = {f._head: f.phrase for f in out if f._head >= 0}  # type: ignore[attr-defined]
        for f in out:
            h_ = f._head  # type: ignore[attr-defined]
            del f._head  # type: ignore[attr-defined]
            if h_ < 0:
                continue
            # (length, text) and (-length, text) orders as two stable sorts (no key tuple per phrase)
            ps = sorted(sorted([kept[i] for i in parents[h_] if i in kept]), key=len) if parents[h_] else []
            cs = sorted(sorted([kept[i] for i in children[h_] if i in kept]), key=len, reverse=True) \
                if children[h_] else []
            f.parents, f.children = ps[: self.max_links], cs[: self.max_links]

    def _verb_follow(self, wanted: set[str]) -> dict[str, float]:
        """:func:`verb_follow_shares` of the words in ``wanted`` (every word's share counted once per fit)."""
        shares = self._verb_shares
        if shares is None:
            shares = self._verb_shares = verb_follow_shares(self._tok_ids, self._tok_words, self._tag)
        return {w: shares[w] for w in wanted if w in shares}

    def _tag(self, w: str) -> str:
        return word_tag(w, self._tags)

    # ---- results
    @property
    def phrases_(self) -> list[Formula]:
        """The bank under the name :class:`~gkcorpus.phrases.PhraseMiner` uses (reports read either)."""
        self._check()
        return self.formulae_

    def _check(self) -> None:
        if not hasattr(self, "formulae_"):
            raise RuntimeError("call fit(corpus) first")

    def to_records(self, top: int | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """The bank as plain dicts, most formulaic first (``kind``: only entries of this kind)."""
        self._check()
        rows = [f for f in self.formulae_ if kind is None or f.kind == kind]
        return [f.to_dict() for f in rows[:top]]

    def to_frame(self, top: int | None = None, kind: str | None = None) -> "pd.DataFrame":
        """One row per entry, most formulaic first."""
        import pandas as pd

        return pd.DataFrame(self.to_records(top, kind), columns=FORMULA_COLUMNS)

    def contiguous_spans(self) -> PhraseSpans:
        """The contiguous entries and their occurrences as flat arrays (what the 套话 index counts),
        taken from the arrays the entries' ``spans`` are views of, without a copy per entry."""
        self._check()
        cont = [f for f in self.formulae_ if not f.pattern]
        labels = [f"{f.id} {f.phrase}" for f in cont]
        occ = getattr(self, "_occurrences", None)
        entry = [getattr(f, "_entry", -1) for f in cont]
        if occ is None or -1 in entry:  # entries made elsewhere: their own span arrays
            counts = np.fromiter((len(f.spans[0]) for f in cont), dtype=np.int64, count=len(cont))
            flat = [np.concatenate([f.spans[i] for f in cont]) if cont else np.zeros(0, dtype=np.int32)
                    for i in range(3)]
            return PhraseSpans(self.doc_ids_, labels, counts, *flat)
        bounds, *arrays = occ
        k = np.array(entry, dtype=np.int64)
        start, counts = bounds[k], bounds[k + 1] - bounds[k]
        rows = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(start - (np.cumsum(counts) - counts), counts)
        return PhraseSpans(self.doc_ids_, labels, counts, *(a[rows] for a in arrays))

    def userdict(self, freq: int = 1000) -> str:
        """The contiguous entries as a jieba user dictionary ("word freq tag" per line)."""
        self._check()
        tag = {"term": "n", "collocation": "l", "formula": "l"}
        cont = [f for f in self.formulae_ if not f.pattern]
        if _SPACE.search("".join([f.phrase for f in cont])):  # rare: drop the entries holding a space
            cont = [f for f in cont if not _SPACE.search(f.phrase)]
        lines = [f"{f.phrase} {freq} {tag[f.kind]}" for f in cont]
        return "\n".join(lines) + ("\n" if lines else "")

"""Sentence templates with typed slots: mine them from a corpus, match them in any text, fill them.

A template is fixed text with typed slots, shared by sentences of several documents::

    此次活动共接访群众{NUM}余人          现将{TOPIC}总结如下          按照{ORG}《{DOC_TITLE}》{TEXT}要求

These are whole-sentence templates. ``gkcorpus mine`` and ``gkcorpus templates mine`` mine sentence
frames over clauses instead (:mod:`gkcorpus.templates.frames`); this miner stays as library API
(``templates mine --sentences``) and as the baseline the frames are evaluated against.

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
       and named (:mod:`gkcorpus.templates.slots`). Unassigned sentences that fit a template by the same
       rules join it.

Matching (:class:`TemplateLibrary`) compiles every template to a regex (fixed text literal, slots
typed or lazy) and extracts a table of slot values from any text or corpus. Candidate templates of
a text come from an index of their rarest 4-gram; templates without slots, and templates with
number or date slots (whose regexes are slow to compile) on their first texts, are matched without
compiling the regex whenever the answer is certain (:func:`_solve`). Each distinct core is matched
once. A library is saved as JSON (the ``templates.json`` of ``gkcorpus templates mine --sentences``)
and applied later without mining again.

Filling: :meth:`Template.fill` renders a template with given values; :func:`skeleton` writes the
corpus's common outline with, under each section, its best-supported templates, as Markdown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

from .slots import classify, slot_name, slot_type

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


from .align import _blocks, _Encoder, _IDENTITY
from .blocking import _core_pairs, _Distinct, _norm, candidate_pairs
from .frame import (
    _best_frame,
    _edges_in_words,
    _Fit,
    _fit,
    _inside_words,
    _merge_empty_pieces,
    _narrow_numbers,
    _Rules,
    _snap_entities,
    _snap_words,
)
from .library import TemplateLibrary
from .model import _SlotValues, Instance, parse_template, render, Slot, Template, template_id, TemplateMatch
from .units import (
    _as_documents,
    _FIRST_CLAUSE,
    _gc_paused,
    _raw_span_runs,
    _SENT_A,
    _SENT_B,
    _UnitTable,
    document_units,
    EXTRACT_COLUMNS,
    INSTANCE_COLUMNS,
    sentence_core,
    SentenceUnit,
)

__all__ = [
    "SentenceUnit",
    "Slot",
    "Instance",
    "Template",
    "TemplateMatch",
    "TemplateLibrary",
    "TemplateMiner",
    "document_units",
    "sentence_core",
    "candidate_pairs",
    "parse_template",
    "render",
    "EXTRACT_COLUMNS",
    "INSTANCE_COLUMNS",
]

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


class _CoreCodes:
    """The distinct cores with what aligning them needs, each computed once on demand: the
    digit-masked form (the blockers' and the char aligner's input), the aligner's encoding and the
    clause openings."""

    def __init__(self, cores: list[str], enc: _Encoder):
        self.cores = cores
        self.enc = enc
        self.norms = [_norm(c) for c in cores]  # the same string objects as ``cores`` where there is no digit
        self._codes: dict[int, tuple[str, list[int]]] = {}
        self._marks: dict[int, list[int]] = {}

    def code(self, i: int) -> tuple[str, list[int]]:
        """What ``enc.encode(cores[i])`` gives (for the char aligner, the digit-masked core)."""
        if self.enc.mode == "char":
            return self.norms[i], _IDENTITY
        c = self._codes.get(i)
        if c is None:
            c = self._codes[i] = self.enc.encode(self.cores[i])
        return c

    def mark(self, i: int) -> list[int]:
        """Offsets of the clause openings of core ``i``."""
        m = self._marks.get(i)
        if m is None:
            m = self._marks[i] = [x.start() for x in _FIRST_CLAUSE.finditer(self.cores[i])]
        return m

    def clear(self) -> None:
        """Drop the encodings and clause openings (alignment is over)."""
        self._codes.clear()
        self._marks.clear()


def _unit_ids(units: _UnitTable, dist: _Distinct, members: Iterable[int]) -> list[str]:
    """The unit ids of every sentence of the given distinct cores, in unit order."""
    return [r[1] for r in units.rows(sorted(k for m in members for k in dist.units_of(m).tolist()))]


def _add_instances(units: _UnitTable, dist: _Distinct, templates: dict[str, Template], labels: list[str | None],
                   found: dict[int, tuple[int, list[str]]], docs: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Append an :class:`Instance` to its template for every sentence of a labelled core.

    Spans are computed as arrays over the sentences; each distinct sentence string and each core's
    slot values are one shared object. Returns the core of each instance (in unit order) and each
    core's template index (-1: none).
    """
    n_cores = len(dist.cores)
    lead_of = np.zeros(n_cores, dtype=np.int64)
    span_of = np.zeros(n_cores, dtype=np.int64)
    tix_of = np.full(n_cores, -1, dtype=np.int64)
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
    sentences: dict[str, str] = {}
    shared: dict[int, _SlotValues] = {}
    for m, (doc_id, unit_id, sent), st, en, rs, re_ in zip(hit_core.tolist(), units.rows(hits), starts.tolist(),
                                                           ends.tolist(), raw_starts.tolist(), raw_ends.tolist()):
        t = templates[labels[m]]
        sv = shared.get(m)
        if sv is None:
            sv = shared[m] = _SlotValues({sl.name: v for sl, v in zip(t.slots, found[m][1])})
        t.instances.append(Instance(doc_id, unit_id, sentences.setdefault(sent, sent), st, en, rs, re_, sv))
    return hit_core, tix_of


def _cores_by_template(hit_core: np.ndarray, tix_of: np.ndarray) -> dict[int, list[tuple[int, int]]]:
    """Per template index, its cores in the order of their first instance with their numbers of instances."""
    order = np.argsort(tix_of[hit_core], kind="stable")
    by_t = tix_of[hit_core][order]
    cuts = np.flatnonzero(np.r_[True, by_t[1:] != by_t[:-1], True]) if len(by_t) else np.zeros(1, dtype=np.int64)
    out: dict[int, list[tuple[int, int]]] = {}
    for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        seq = hit_core[order[lo:hi]]
        uniq, first, count = np.unique(seq, return_index=True, return_counts=True)
        o = np.argsort(first)
        out[int(by_t[lo])] = list(zip(uniq[o].tolist(), count[o].tolist()))
    return out


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

    _parameter_constraints: dict = {
        **{name: [Interval(Integral, 1, None, closed="left")] for name in (
            "min_support", "min_fixed", "min_block", "min_piece", "window", "min_anchor", "ngram", "min_shared",
            "max_df", "max_posting", "max_candidates")},
        **{name: [Interval(Integral, 0, None, closed="left")] for name in (
            "min_fixed_context", "min_fixed_embedded", "max_loss")},
        "min_coverage": [Interval(Real, 0, 1, closed="both")],
        "keep_ratio": [Interval(Real, 0, 1, closed="both")],
        "align": [StrOptions({"char", "token"})],
        "aligner": [StrOptions({"lcs", "difflib"})],
        "tokenizer": [None, callable],
        "snap_words": ["boolean"],
        "rematch": ["boolean"],
        "progress": ["boolean"],
    }

    # ---- public
    def fit(self, X: Any, y: Any = None) -> "TemplateMiner":
        """Mine templates from a Corpus, documents or texts (sentences come from their structure)."""
        self._validate_params()
        docs = _as_documents(X)
        with _gc_paused():
            return self._fit_units(_UnitTable.from_documents(docs), {d.id: d for d in docs})

    def fit_sentences(self, sentences: Sequence[str], doc_ids: Sequence[str]) -> "TemplateMiner":
        """Mine templates from given sentences (one unit each) with the document each comes from."""
        self._validate_params()
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
        from ..text.tokenize import Tokenizer

        return Tokenizer(keep_punct=True, stopwords=False).cut

    def _rules(self) -> _Rules:
        return _Rules(self.min_fixed, self.min_fixed_context, self.min_fixed_embedded, self.min_coverage)

    def _fit_units(self, units: _UnitTable, docs: Mapping[str, Any]) -> "TemplateMiner":
        """Mine templates from a unit table: align candidate pairs, merge them into groups, finalise
        each group's template, label the cores, and make every sentence of a labelled core an instance.

        Everything works on distinct cores: a sentence repeated in many documents is aligned,
        fitted and matched once; its units follow it (fitting a frame to a core twice changes nothing).
        """
        tokenize = self._tokenize()
        cache: dict[str, list[str]] = {}

        def cut(text: str) -> list[str]:
            t = cache.get(text)
            if t is None:
                t = cache[text] = list(tokenize(text))
            return t

        rules = self._rules()
        dist = _Distinct.of(units.cores(), units.name_of)
        cc = _CoreCodes(dist.cores, _Encoder(self.align, cut))
        _, p_i, p_j = _core_pairs(cc.norms, dist.single_doc, lambda cs: dist.n_docs(cs.tolist()), self.min_anchor,
                                  self.window, self.ngram, self.min_shared, self.max_df, self.max_posting,
                                  self.max_candidates)
        self.n_candidates_ = len(p_i)
        scored = self._score_pairs(cc, dist, p_i, p_j, rules)
        del p_i, p_j
        groups = self._merge_groups(cc, dist.n_units, scored, rules)
        # what only alignment and merging need goes before the next allocations (a smaller peak, and
        # the long-lived objects made below reuse the freed heap instead of growing it)
        del scored
        cc.clear()
        ordered = sorted(groups.values(), key=lambda g: min(g.members))
        del groups
        self.groups_ = [(_unit_ids(units, dist, g.members), list(g.pieces)) for g in ordered]
        templates, located = self._build_templates(ordered, dist, rules, cut)
        del ordered
        cache.clear()  # the segmenter's tokens of the word windows
        labels, found = self._label_cores(templates, located, dist.cores, rules)
        hit_core, tix_of = _add_instances(units, dist, templates, labels, found, docs)
        final = self._supported(templates, found, hit_core, tix_of)
        keep = {t.id for t in final}
        self.units_ = units
        self.labels_ = [labels[m] if labels[m] in keep else None for m in dist.unit_core.tolist()]
        self.templates_ = final
        self.library_ = TemplateLibrary(final)
        return self

    def _score_pairs(self, cc: "_CoreCodes", dist: _Distinct, p_i: np.ndarray, p_j: np.ndarray,
                     rules: _Rules) -> list[tuple[int, float, int, int, tuple]]:
        """Align every candidate pair and keep its valid frame, best (most fixed text) first.

        A core in several documents is a frame by itself (its copies align completely). Each entry:
        ``(fixed, coverage, i, j, (pieces, open start, open end, the fit itself for a verbatim sentence))``.
        """
        cores = cc.cores
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
            ca, oa = cc.code(i)
            cb, ob = cc.code(j)
            blocks = _blocks(ca, oa, cores[i], cb, ob, cores[j], self.min_block, self.aligner)
            pair = [cores[i], cores[j]]
            f = _best_frame(blocks, cores[i], len(cores[i]), len(cores[j]), self.min_piece,
                            lambda pc: _fit(pc, pair, rules), min_fixed=self.min_fixed, marks=(cc.mark(i), cc.mark(j)))
            if f is not None:
                scored.append((f.fixed, f.coverage, i, j, (f.pieces, f.open_start, f.open_end, None)))
        scored.sort(key=lambda s: (-s[0], -s[1], s[2], s[3]))
        return scored

    def _merge_groups(self, cc: "_CoreCodes", weight: np.ndarray, scored: list[tuple[int, float, int, int, tuple]],
                      rules: _Rules) -> dict[int, _Group]:
        """Greedy merging, best pairs first: a pair starts a group, joins a core to one, or joins two
        groups (the smaller into the larger; a group's size counts its sentences) when the re-aligned
        frame stays valid (:meth:`_merged_frame`)."""
        group_of: dict[int, int] = {}
        groups: dict[int, _Group] = {}
        size: dict[int, int] = {}
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
                f = self._merged_frame(cc, rules, ga, gb, None, members, peak)
            else:
                if gi is None:
                    i, j, gi = j, i, gj
                ga = groups[gi]
                members = ga.members + [j]
                peak = ga.peak
                f = self._merged_frame(cc, rules, ga, None, j, members, peak)
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
        return groups

    def _merged_frame(self, cc: "_CoreCodes", rules: _Rules, ga: _Group, other: _Group | None, member: int | None,
                      members: list[int], peak: int) -> _Fit | None:
        """The frame of group ``ga`` re-aligned with group ``other`` or core ``member``, fitted to
        all ``members``; None when it is invalid or loses most of the fixed text (``peak``)."""
        enc, cores = cc.enc, cc.cores
        ta, oa, xa = enc.encode_pieces(ga.pieces, _SENT_A, ga.open_start, ga.open_end)
        if member is not None:
            tb, ob = cc.code(member)
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

    def _build_templates(self, ordered: list[_Group], dist: _Distinct, rules: _Rules, cut: Callable[[str], list[str]]
                         ) -> tuple[dict[str, "Template"], dict[int, tuple[str, int, list[str]]]]:
        """Finalise the groups with enough support: refine their slots (snapped to word edges when
        ``snap_words``), type and name them. Returns the templates by id (two groups that end with
        the same template share it) and, per member core, ``(template id, context length, values)``."""
        cores = dist.cores
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
        located: dict[int, tuple[str, int, list[str]]] = {}
        for members, prep in prepared:
            done = self._finalise(prep, members, cores, inside, rules)
            if done is None:
                continue
            t, where = done
            t = templates.setdefault(t.id, t)
            for m, (lead, values) in zip(members, where):
                located.setdefault(m, (t.id, lead, values))
        return templates, located

    def _label_cores(self, templates: dict[str, "Template"], located: dict[int, tuple[str, int, list[str]]],
                     cores: Sequence[str], rules: _Rules) -> tuple[list[str | None], dict[int, tuple[int, list[str]]]]:
        """Each core's template (None: none) and ``(context length, slot values)`` where it has one.

        Members keep the template where its refined frame fits them; with ``rematch`` the other
        cores may join a template by fitting it (templates with the most fixed text tried first)."""
        labels: list[str | None] = [None] * len(cores)
        found: dict[int, tuple[int, list[str]]] = {}
        for m, (tid, lead, values) in sorted(located.items()):
            labels[m] = tid
            found[m] = (lead, values)
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
        return labels, found

    def _supported(self, templates: dict[str, "Template"], found: dict[int, tuple[int, list[str]]],
                   hit_core: np.ndarray, tix_of: np.ndarray) -> list["Template"]:
        """The templates found in ``min_support`` documents, with their slots' distinct values and
        empty counts, most widely supported first (then most instances, most fixed text, text)."""
        core_counts = _cores_by_template(hit_core, tix_of)
        final = []
        rank: dict[str, tuple] = {}
        for k, t in enumerate(templates.values()):
            support = len({inst.doc_id for inst in t.instances})
            if support < self.min_support:
                continue
            cc = core_counts.get(k, [])
            for j, sl in enumerate(t.slots):
                sl.values = list(dict.fromkeys(found[m][1][j] for m, _ in cc if found[m][1][j]))
                sl.n_empty = sum(c for m, c in cc if not found[m][1][j])
            t._regex = t._plan = None
            final.append(t)
            rank[t.id] = (-support, -len(t.instances), -t.fixed_chars, t.template)
        final.sort(key=lambda t: rank[t.id])
        return final

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

"""Sentence frames: fixed wording with typed slots, mined over clauses, supported by matching.

The genre repeats itself in clauses and runs of clauses inside sentences of every length
(``国内生产总值增长{PERCENT}左右``, ``让我们{TEXT}团结在{TEXT_2}周围``, ``现在，我代表国务院，向大会{TEXT}，请予审议``).
A frame is a :class:`~gkcorpus.templates.Template` that may start and end at clause boundaries
inside a sentence, so a saved frame library is an ordinary template library: ``templates match``
and ``templates fill`` apply it.

Mining (:class:`FrameMiner`)
    1. Units are clauses: sentence cores cut at ，；：。！？ outside quotation marks and brackets
       (、 enumerations stay inside), enumerators (一是, （一）) removed from their start. A
       document's front matter (title lines without punctuation) is left out.
    2. Anchors are the maximal repeats of the clause texts (one suffix array over the corpus,
       digits as breaks) with at least ``min_anchor_han`` Han characters, found in ``min_docs``
       documents.
    3. Around the occurrences of an anchor, the rest of each clause is context: a candidate keeps
       the anchor and, on each side, the best-supported fixed clause opening (ending) or a slot;
       what all its occurrences share next to the anchor joins the fixed text. A clause ending in
       a quantity (percent, money, count; a bound, 左右/以内/以上, and a range are part of the value)
       gives a candidate with a slot of that kind there, keyed by its clause opening and the kind
       (``发放{TEXT}{NUM}``, ``国内生产总值{TEXT}{PERCENT}`` beside ``国内生产总值{TEXT}{MONEY}``), or by the predicate right before the
       number after a free subject (``{TEXT}比{YEAR}增长{PERCENT}``; a base year in the predicate,
       一九五二年 or 上年, is a slot), or by a measure and its predicate longer than the clause openings
       tried (``{TEXT}单位国内生产总值能耗下降{PERCENT}``, whether it opens its clause or not); a key gives
       way to a longer one only when that one holds the same clauses (``{TEXT}财政赤字{MONEY}`` stands
       beside 中央财政赤字, 地方财政赤字). Fixed clauses found in
       ``min_docs`` documents before or after a clause frame, or before or after a free clause,
       join it into a frame of two to ``max_chain`` clauses (``现在，我代表国务院，{TEXT}``,
       ``{TEXT}，并请全国政协{TEXT_2}委员提出意见``).
       A clause opening (one to three Han characters) and a clause ending (two to four) that occur
       together in ``min_docs`` documents, in at least half of the clauses holding the rarer of the
       two, with phrases of many kinds between them, are a construction (``以{TEXT}为指导``); so are
       an ending and an opening before it, and openings of consecutive clauses, that belong together
       (:mod:`~gkcorpus.templates.frame_gaps`: 坚持以…为指导, ``既要{TEXT}，又要{TEXT_2}``; ``floats``).
    4. A frame needs ``min_fixed_han`` fixed Han characters (segments of one or two characters,
       such as 建设 or 我们, count half), or a verb opening before a number; it must explain
       ``min_coverage`` of its clauses; each edge between fixed text and a slot falls between two
       words (rjieba) in most instances; quotation marks in its fixed text are balanced; one fixed
       segment inside free text that rarely reaches a clause edge is a phrase, not a frame.
    5. Candidates are ranked by support × fixed Han characters (at most 24 counted; halved for a
       frame with free slots at both ends). A candidate gives way to a generalisation with more
       support (its instances a superset, comparable support × fixed text, the same number
       slots), so the variants of one frame (an optional word, a slot boundary) merge into it; a
       candidate whose instances lie on clauses of a better frame with half its fixed text (and its
       number slots, of the same types) is a variant and is dropped (a run of clauses found in fewer
       than three quarters of the documents of a frame opening a clause does not make it one; such a
       frame is kept only if it stays a frame at matching), unless it is a construction with its slot filled in ``min_docs``
       documents more than each such frame: their generalisation (``以{TEXT}为指导``, 19 documents,
       beside ``{TEXT}“三个代表”重要思想为指导``). A construction stands beside the frames of its
       clauses; it does not displace or absorb them.
    6. Slots are typed by (nearly) all their values (:mod:`gkcorpus.templates.frame_slots`). Every frame is
       then matched by its regex in every sentence core of the corpus: its instances are all its
       matches (a frame found twice in a sentence has two instances) and ``support`` the number of
       documents matched (a frame in 31 documents reports 31), which may exceed the clauses that seeded it. After the merges below, number slots are
       retyped on their matched values and quantities ending (starting) the values of a free slot
       are split out of it (:mod:`~gkcorpus.templates.frame_retype`: the GDP level is MONEY).
    7. One frame per frame: pairs of frames sharing four Han characters are aligned and what
       differs becomes a slot (the closing rally by leader gives ``{TEXT}团结在以{PERSON}同志为
       {TEXT_2}周围``); the merge is kept when it matches more documents than either. Then, twice,
       frames whose fixed text differs in one place by a short word (at most three Han characters;
       clause punctuation next to a slot ignored) merge with that word as a slot, kept when it matches
       more documents and the slot holds a choice of short words (each of at most three Han
       characters, nearly all of its values words found in two documents or more, however many;
       the thanks, ``{TEXT}表示{TEXT_2}感谢`` with 诚挚的, 衷心的, 深切的, 诚挚). A frame whose
       matches lie inside those of a frame with at least its support, half its fixed text and its
       number slots is absorbed (variants; the shorter of near-duplicate multi-clause frames), and so
       is a frame whose matches overlap those of such a frame whose fixed pieces all recur, in order,
       in its own fixed text (an optional word or clause added: ``{TEXT}，表示诚挚{TEXT_2}感谢`` in the
       thanks; heading frames take part, so a heading frame matching body sentences inside a body
       frame is that frame); a frame is relaxed where a particle or adverb varies (:mod:`~gkcorpus.templates.frame_relax`).
       Words that every value of a free slot begins or ends with are fixed text (:mod:`~gkcorpus.templates.frame_affixes`:
       投资 after 对外直接, 增长 before a growth rate), kept when the frame matched again finds the same
       matches with the same values.
    8. Collocations leave (:func:`is_frame`): generic glue words, optional inner words, terms in
       context and verb–modifier–noun pairs are the phrase bank's; a comparison of quantities
       (a subject, a predicate around number slots) stays however short its wording. Frames the
       selection does not propose are then added, matched like the others
       (:func:`~gkcorpus.templates.frame_inner.extra_frames`): fixed words around an ordinal
       (``第{ORD}个五年计划``), a function word and the head of its 的-phrase (``是{TEXT}的一年``), and a
       preposition and the word it governs later in its clause, both inside the clause
       (:mod:`~gkcorpus.templates.frame_pairs`: ``经过{TEXT}努力``, ``根据{TEXT}决定``). Sibling frames
       that differ only in the words ending them, those endings sharing a head (今年是…的第一年, …关键一年,
       …开局之年), become one frame ending in a ``CHOICE`` slot, widened to the other endings with that
       head found after the same front (:mod:`~gkcorpus.templates.frame_choices`: ``是{TEXT}{CHOICE}``).
    9. Headings and title lines (lines without clause punctuation) are mined apart
       (:mod:`gkcorpus.templates.frame_lines`): their fields with dates, years, ordinals (第{ORD}届)
       and numbers as slots, marked ``where = "title"`` or ``"heading"`` (body frames: ``"body"``);
       a heading frame also matches a heading run into the text after it (``一、2013年工作回顾过去一年…``).
    10. The library is ordered by :func:`frame_score`: support × fixed Han characters (capped),
        halved for a phrase floating between free slots, and × the share of its matches whose content
        slots hold text, at least a half (:func:`~gkcorpus.templates.frame_model.content_factor`: a
        fixed phrase with only context around it, ``{TEXT}，积极引导宗教与社会主义社会相适应``, is halved), within
        tiers (:func:`~gkcorpus.templates.frame_model.rank_tier`): frames with content first, then figures
        whose fixed text names nothing they measure (``比上年增长{PERCENT}``) or whose figures stay in free
        text (:func:`~gkcorpus.templates.frame_model.untyped_figure`), then constructions
        (:func:`~gkcorpus.templates.frame_model.is_construction`), terms in their context
        (:func:`~gkcorpus.templates.frame_model.terms_in_context`: ``国务院{TEXT}机构改革{TEXT_2}``) and
        single short pieces (``{YEAR}工作回顾``), then fixed strings whose slots hold only
        wording or context (:func:`~gkcorpus.templates.frame_model.is_fixed_string`: a slot empty, of
        function words or of one repeated value in most matches is wording, ``表示{诚挚的}感谢``; a name
        numbered by an ordinal, ``第{ORD}届全国人民代表大会``, is a term). Within its tier, a frame whose
        matches overlap those of a frame listed before it comes last, and so does a general wording whose
        figure slots read all the figures of a frame above it again
        (:func:`~gkcorpus.templates.frame_filters.repeats_last`): the top shows each passage once. Given the
        passages documents share (``fit(..., shared=...)``, as ``gkcorpus mine`` does), a frame with free
        slots only whose matches lie inside them is a sentence copied between reports, its slots the
        edits between the copies, and ranks with the fixed strings
        (:func:`~gkcorpus.templates.frame_filters.copied_passage`); so does a long frame of two documents whose
        free slots hold a few edited words (:func:`~gkcorpus.templates.frame_filters.edited_copy`), shared
        passages or not.

A comma in a frame's fixed text matches any clause punctuation (，；：): punctuation variants are
one frame. Filling renders the frame's own wording.

Tables (:func:`match_table`, :func:`wide_table`): one row per match (document, sentence, raw
offsets, slot values), and for the numeric slots one row per document and one column per slot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from .slots import common_affix
from .frame_slots import CLOSED_TYPES, frame_slot_type, trim_value, typed_names
from .library import TemplateLibrary
from .model import Instance, Slot, render, template_id
from .units import _as_documents, document_units

__all__ = ["Clause", "Frame", "clause_spans", "load_library", "FrameMiner", "match_table", "wide_table", "frame_score"]

from .frame_tables import match_table, wide_table


from .frame_model import Clause, Frame, clause_spans, frame_score, is_construction, rank_tier  # noqa: F401 (re-exported)
from .frame_model import (_SCORE_CAP, _HAN, _DIGITS, _phrase_in_context, _without_empty_slots,
                          _without_front_matter, _balanced)
from .frame_lines import line_kinds, load_library, mine_line_frames
from .frame_gaps import constructions, suffix_counter, word_bounds
from .frame_relax import relax_frames
from .frame_affixes import fold_affixes
from .frame_inner import extra_frames
from .frame_pairs import pair_frames
from .frame_choices import CHOICE, MIN_CHOICE_DOCS, choice_frame, probe_frame, sibling_groups, widened_choices
from .frame_retype import SHARE as RETYPE_SHARE, retyped
from .frame_cands import OneClauseInstances, _Cand, _content_ok, holds_numbers
from .frame_chains import _ClauseChains
from .frame_seeds import _ClauseSeeds
from .frame_filters import _absorb, _generalisations, _near_variants, _retype_open_slots, copied_passage, edited_copy, is_frame, repeats_last, slot_choice

# --------------------------------------------------------------------------- candidates



def _shared_affixes(texts: Sequence[str], docs: Sequence[int], most: int, m: int, prefix: bool) -> dict[str, set[int]]:
    """The openings (``prefix``) or endings of ``texts`` of at most ``most`` characters found in ``m``
    documents, with their documents. Grown one character at a time from the groups still found in
    ``m`` documents (a longer affix is never in more documents than its shorter part); an affix
    holding a digit is never fixed text."""
    out: dict[str, set[int]] = {}
    groups: dict[str, list[int]] = {"": [i for i, t in enumerate(texts) if t]}
    for k in range(1, most + 1):
        grown: dict[str, list[int]] = defaultdict(list)
        for key, members in groups.items():
            for i in members:
                t = texts[i]
                if len(t) < k:
                    continue
                ch = t[k - 1] if prefix else t[-k]
                if not ch.isdigit():
                    grown[key + ch if prefix else ch + key].append(i)
        groups = {}
        for key, members in grown.items():
            if len(members) < m:
                continue  # fewer occurrences than documents needed
            ds = {docs[i] for i in members}
            if len(ds) >= m:
                out[key] = ds
                groups[key] = members
        if not groups:
            break
    return out


def _all_matches(mt: Any, core: str) -> list[tuple[int, int, dict[str, str]]]:
    """``(start, end, values)`` of a frame's first match in a sentence core and of its later matches
    there (:meth:`~gkcorpus.templates.model.Template.later_matches`)."""
    return [(m.start, m.end, dict(m.values)) for m in (mt, *mt.template.later_matches(core, mt))]


class FrameMiner(_ClauseSeeds, _ClauseChains, BaseEstimator):
    """Mine sentence frames over clauses (see the module docstring).

    Parameters
    ----------
    min_docs : int or None
        Documents an anchor and a frame need; None: 10% of the documents, at least 2.
    min_anchor_han : int
        Han characters of an anchor (a maximal repeat).
    min_fixed_han : int
        Fixed Han characters a frame of one fixed segment needs.
    min_segment_han : int
        Fixed Han characters a frame of two fixed segments (or one and a closed slot) needs; a
        clause opening of two Han characters before a number ending the clause is enough.
    max_affix : int
        Longest clause opening or ending (characters) tried as fixed text around an anchor.
    overlap : float
        Share of a frame's instances inside better frames' instances that makes it a variant.
    max_frames : int
        Keep the best ``max_frames`` frames.
    max_chain : int
        Most clauses a joined frame spans.
    min_coverage : float
        Share of its clauses a frame must explain on average (fixed text and closed-type values).
    segmenter : str
        Word segmenter checking that slots begin and end between words (``"rjieba"`` or ``"jieba"``).

    Attributes
    ----------
    library_ : TemplateLibrary
        The frames, best first, each with its matches.
    min_docs_ : int
        The document threshold used.
    n_units_, n_clauses_ : int
        Sentences and clauses mined (the units themselves are not kept: a fitted miner holds its
        library, not a copy of the corpus).
    """

    def __init__(self, min_docs: int | None = None, min_anchor_han: int = 3, min_fixed_han: int = 6,
                 min_segment_han: int = 6, max_affix: int = 8, overlap: float = 0.5,
                 max_frames: int = 1000, max_chain: int = 4, min_coverage: float = 0.4, segmenter: str = "rjieba"):
        self.min_docs = min_docs
        self.min_anchor_han = min_anchor_han
        self.min_fixed_han = min_fixed_han
        self.min_segment_han = min_segment_han
        self.max_affix = max_affix
        self.overlap = overlap
        self.max_frames = max_frames
        self.max_chain = max_chain
        self.min_coverage = min_coverage
        self.segmenter = segmenter

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any = None, shared: Mapping[str, Any] | None = None) -> "FrameMiner":
        """Mine the frames of ``X`` (a corpus or documents). ``shared``: the passages other documents
        share, per document id its merged spans (two sorted arrays, starts and ends, clean offsets), as
        the reuse miner finds them (``gkcorpus mine`` passes them): a frame with free slots only whose
        matches lie inside them is a copied passage and ranks with the fixed strings
        (:func:`~gkcorpus.templates.frame_filters.copied_passage`)."""
        docs = _as_documents(X)
        self._shared = shared
        if self.min_docs is not None and int(self.min_docs) < 1:
            raise ValueError(f"min_docs must be at least 1, got {self.min_docs}")
        m = int(self.min_docs) if self.min_docs is not None else max(2, round(0.1 * len(docs)))
        self.min_docs_ = m
        units, lines = [], []
        for doc in docs:
            us = document_units(doc.id, doc.text, [(s.start, s.end) for s in doc.structure.sentences])
            body = _without_front_matter(us)
            units.extend(body)
            lines.extend(line_kinds(us, body))
        self.n_units_ = len(units)
        doc_index = {d.id: i for i, d in enumerate(docs)}
        clauses: list[Clause] = []
        c_doc: list[int] = []
        for k, u in enumerate(units):
            d = doc_index[u.doc_id]
            for a, b in clause_spans(u.core):
                clauses.append(Clause(k, a, b, u.core[a:b]))
                c_doc.append(d)
        self.n_clauses_ = len(clauses)
        cands = self._anchor_candidates(clauses, c_doc, len(docs), m)
        cands += self._numeric_candidates(clauses, c_doc, m)
        cands += self._edge_candidates(clauses, c_doc, m)
        cands += self._construction_candidates(clauses, c_doc, m)
        cands = self._dedupe(cands)
        cands += self._chains(cands, clauses, c_doc, m)
        corpus_text: list[str] = []  # the sentence cores joined, made when first needed

        def alive(c: _Cand) -> bool:
            if not corpus_text:
                corpus_text.append("\n".join(u.core for u in units))
            return self._alive(c, clauses, units, docs, m, corpus_text[0])

        chosen = self._select(cands, clauses, m, alive=alive)
        self.library_ = self._finish(chosen, clauses, units, docs, m, mine_line_frames(lines, docs, m, units=units))
        for name in ("_cuts", "_cutter", "_count", "_bounds", "_index", "_shared"):  # fit-time caches: the fitted miner keeps its library, not the text
            self.__dict__.pop(name, None)
        return self

    # ------------------------------------------------------------------ anchors and their contexts
    def _anchor_candidates(self, clauses: Sequence[Clause], c_doc: Sequence[int], n_docs: int, m: int) -> list[_Cand]:
        from ..kernels.suffix import TextIndex

        if not clauses:
            return []
        per_doc: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(c_doc):
            per_doc[d].append(i)
        texts = []
        for d in range(n_docs):
            texts.append("\n".join(clauses[i].text for i in per_doc.get(d, [])).translate(_DIGITS))
        # where each clause starts in the index (which joins the texts with one separator each), in index
        # order: a global position's clause is the last starting at or before it (one integer a clause, not
        # two a character)
        order, starts = [], []
        g = 0
        for d in range(n_docs):
            for i in per_doc.get(d, []):
                order.append(i)
                starts.append(g)
                g += len(clauses[i].text) + 1
            if not per_doc.get(d):
                g += 1
        clause_at = np.asarray(order, dtype=np.int64)
        clause_start = np.asarray(starts, dtype=np.int64)
        del order, starts
        ix = TextIndex(texts)
        self.__dict__["_count"] = suffix_counter(ix.string, ix.sa)
        self.__dict__["_index"] = ix
        c_doc_arr = np.asarray(c_doc, dtype=np.int64)
        han = ix.han_cum
        full = ix.string
        out: list[_Cand] = []
        mh = self.min_anchor_han
        # one object per distinct slot value and per distinct tuple of values: the instances of the anchors'
        # candidates repeat them (at 2.5 M characters 2.4 M values, 15 % of them distinct), and they are most
        # of what the candidates hold
        pool: dict = {}
        for length, pos in ix.maximal_repeats(max(2, mh), min_docs=max(2, m)):
            p0 = int(pos[0])
            if int(han[p0 + length] - han[p0]) < mh:
                continue
            anchor = full[p0:p0 + length]
            if anchor[0] in "、的和及与" or anchor[-1] in "、和及与":
                continue
            k = np.searchsorted(clause_start, pos, side="right") - 1
            cl = clause_at[k]
            occ = list(zip(c_doc_arr[cl].tolist(), cl.tolist(), (pos - clause_start[k]).tolist()))
            out.extend(self._contexts(anchor, occ, clauses, m, pool))
        return out

    def _contexts(self, anchor: str, occ: Sequence[tuple[int, int, int]], clauses: Sequence[Clause],
                  m: int, pool: dict | None = None) -> list[_Cand]:
        """Frames around one anchor: the anchor with, on each side, a shared clause opening
        (ending), the clause edge, or a slot. ``pool``: equal values and tuples of values are given one
        object, kept there (memory only; the fit's passages ``shared`` are another thing)."""
        pool = {} if pool is None else pool
        la = len(anchor)
        lefts, rights = [], []
        for d, c, off in occ:
            text = clauses[c].text
            lefts.append(text[:off])
            rights.append(text[off + la:])
        docs = [d for d, _, _ in occ]
        heads = _shared_affixes(lefts, docs, self.max_affix, m, prefix=True)
        tails = _shared_affixes(rights, docs, self.max_affix, m, prefix=False)

        def best(table: dict[str, set[int]], prefix: bool) -> list[str]:
            opts = [(len(ds), a) for a, ds in table.items() if len(ds) >= m
                    and a[0 if prefix else -1] not in "、的和及与" and _HAN.search(a)]
            if not opts:
                return []
            opts.sort(key=lambda x: (-(x[0] * (la + len(x[1]))), -len(x[1]), x[1]))
            return [opts[0][1]]

        out = []
        for h in [None] + best(heads, True):
            for t in [None] + best(tails, False):
                sel = [i for i in range(len(occ))
                       if (h is None or (lefts[i].startswith(h) and len(lefts[i]) > len(h) or lefts[i] == h))
                       and (t is None or rights[i].endswith(t))]
                if len({occ[i][0] for i in sel}) < m:
                    continue
                pieces, types = [""], []
                lv = [lefts[i][len(h):] if h else lefts[i] for i in sel]
                rv = [rights[i][: len(rights[i]) - len(t)] if t else rights[i] for i in sel]
                # what every selected occurrence shares next to the anchor is fixed text too
                pre = common_affix(lv, suffix=True) if all(lv) else ""
                post = common_affix(rv, suffix=False) if all(rv) else ""
                pre = pre.lstrip("0123456789.．，；：、")
                post = post.rstrip("0123456789.．，；：、")
                lv = [v[: len(v) - len(pre)] for v in lv]
                rv = [v[len(post):] for v in rv]
                if h:
                    pieces[-1] += h
                if any(lv):
                    types.append("TEXT")
                    pieces.append("")
                pieces[-1] += pre + anchor + post
                if any(rv):
                    types.append("TEXT")
                    pieces.append("")
                if t:
                    pieces[-1] += t
                if not types:
                    continue  # a fixed clause: the phrase bank's business
                vals = []
                use_l, use_r = any(lv), any(rv)
                for k in range(len(sel)):
                    v = tuple(pool.setdefault(x, x) for x, used in ((lv[k], use_l), (rv[k], use_r)) if used)
                    vals.append(pool.setdefault(v, v))
                ok = _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han)
                out.append(_Cand(pieces, types, OneClauseInstances([occ[i][0] for i in sel], [occ[i][1] for i in sel], vals),
                                 ok))
        return out

    def _construction_candidates(self, clauses: Sequence[Clause], c_doc: Sequence[int], m: int) -> list[_Cand]:
        """Constructions whose opening floats inside a clause (坚持以{TEXT}为指导) and correlative ones
        over two clauses (既要{TEXT}，又要{TEXT_2}): :func:`~gkcorpus.templates.frame_gaps.constructions`."""
        count = self.__dict__.get("_count")
        if count is None or not clauses:
            return []
        rows = constructions([c.text for c in clauses], [c.unit for c in clauses], c_doc, m, self._words(clauses), count,
                             pairs=self.max_chain >= 2)
        return [_Cand(pieces, types, inst, _balanced(pieces), edge=True, starts=starts) for pieces, types, inst, starts in rows]

    @staticmethod
    def _dedupe(cands: list[_Cand]) -> list[_Cand]:
        seen: dict[tuple, _Cand] = {}
        for c in cands:
            k = (tuple(c.pieces), tuple(c.types))
            # the same frame from an anchor and as a clause-edge construction: the anchor's (it may join chains);
            # a floating construction, matched inside clauses too, when it is in more documents
            if k not in seen or (c.starts is not None and c.docs > seen[k].docs) or (
                    seen[k].starts is None and (not seen[k].edge, len(seen[k].inst)) < (not c.edge, len(c.inst))):
                seen[k] = c
        return list(seen.values())

    # ------------------------------------------------------------------ runs of clauses
    def _select(self, cands: list[_Cand], clauses: Sequence[Clause], m: int,
                alive: Callable[[_Cand], bool] | None = None) -> list[_Cand]:
        """Candidates ranked by support × fixed content; a candidate whose instances mostly lie on
        clauses of better ones with at least half its fixed text and as many number slots is a variant
        of them and is dropped (a much more specific frame, or one that types a number, stays; so does
        a clause-edge construction that generalises them, its slot filled in ``min_docs`` documents more
        than each frame explaining its clauses: 以{TEXT}为指导, 19, over {TEXT}“三个代表”重要思想
        {TEXT_2}为指导, 13; a construction is added beside the frames of its clauses, it does not
        displace them). A candidate gives way to a more
        general one (its instances a superset, in more documents, with at least half its fixed
        text, three quarters of its support × fixed text and its numbers): the variants of one frame
        merge into the frame with the most support. A candidate kept only because the runs of clauses
        around it are in fewer of its documents is tested at once (``alive``: whether it stays a frame
        after matching); if it does not, it displaces nothing."""
        pool, keys, by_clause = self._ranked(cands, clauses, m)
        taken: dict[int, list] = {}  # clause -> (fixed content, slot types, documents, a chain?) of the frames explaining it
        reach: dict[int, int] = {}  # clause -> most documents of a frame explaining it
        used: set[int] = set()
        out: list[_Cand] = []
        dead: set[int] = set()
        for k, c0 in enumerate(pool):
            if k in used or id(c0) in dead:
                continue
            while True:  # once more when the generalisation chosen leaves at matching
                best, best_n = k, (c0.docs, len(c0.inst))
                first = min(keys[k])
                for j in by_clause[first]:
                    o = pool[j]
                    if (j not in used and id(o) not in dead and not o.edge and (o.docs, len(o.inst)) > best_n
                            and 2 * o.fixed >= c0.fixed and holds_numbers(o.types, c0.types)
                            and 4 * o.docs * min(o.fixed, _SCORE_CAP) >= 3 * c0.docs * min(c0.fixed, _SCORE_CAP)
                            and keys[k] <= keys[j]):
                        best, best_n = j, (o.docs, len(o.inst))
                c = pool[best]
                # the free clause of a chain is not explained by it: left to other frames
                lo, hi = (1, 0) if c.free == "before" else (0, 1) if c.free else (0, 0)
                filled = len({d for d, _, _, vals in c.inst if all(vals)})  # documents where its slots hold text
                inside, by_chains = 0, 0
                opens = bool(c.pieces[0])  # a frame opening its clause with its own words (今年…主要预期目标是)
                for _, ci, n, _ in c.inst:
                    over = [4 * d >= 3 * c.docs or not opens if chain else True for j in range(lo, n - hi)
                            for f, ts, d, chain in taken.get(ci + j, ()) if f >= 0.5 * c.fixed
                            and holds_numbers(ts, c.types) and (not c.edge or reach[ci + j] + m > filled)]
                    inside += any(over)
                    by_chains += bool(over)
                keep = inside < self.overlap * len(c.inst) and self._on_word_edges(c, clauses)
                if keep and by_chains >= self.overlap * len(c.inst) and alive is not None and not alive(c):
                    # kept only because the runs around it are in fewer of its documents, and not a frame
                    # after matching: it displaces nothing
                    dead.add(id(c))
                    keep = False
                    if best != k:
                        continue
                break
            used.update((k, best))
            if not keep:
                continue
            out.append(c)
            if c.edge:
                continue  # a construction is added to the frames of its clauses, it does not displace them
            # a run of clauses explains a frame opening a clause only in most (three quarters) of its documents
            # (not the run 今年经济社会发展的主要预期目标是，国内生产总值增长{PERCENT}, 5, the frame 今年…主要预期目标是, 10)
            chain = any(n > 1 for _, _, n, _ in c.inst)
            for _, ci, n, _ in c.inst:
                for j in range(ci + lo, ci + n - hi):
                    taken.setdefault(j, []).append((c.fixed, c.types, c.docs, chain))
                    reach[j] = max(reach.get(j, 0), c.docs)
            if len(out) >= self.max_frames:
                break
        return out

    def _ranked(self, cands: list[_Cand], clauses: Sequence[Clause], m: int) -> tuple[list[_Cand], list, dict]:
        """The candidates that may stand as frames, best first, with the clause runs each explains
        and, for each clause run, the candidates on it."""
        pool = [c for c in cands if c.ok and c.docs >= m and not _phrase_in_context(c)
                and (c.free or c.edge or any(t in CLOSED_TYPES for t in c.types) or c.coverage(clauses) >= self.min_coverage)]
        pool.sort(key=lambda c: (-c.score(), -c.fixed, -len(c.inst), c.pieces))
        by_clause: dict[tuple[int, int], list[int]] = defaultdict(list)
        keys = []
        for k, c in enumerate(pool):
            ks = {(ci, n) for _, ci, n, _ in c.inst}
            keys.append(ks)
            for x in ks:
                by_clause[x].append(k)
        return pool, keys, by_clause

    def _on_word_edges(self, c: _Cand, clauses: Sequence[Clause]) -> bool:
        """Whether each edge between fixed text and a slot falls between two words (by the segmenter)
        in at least half of the candidate's instances: a slot does not cut 国内生产总值 in two."""
        cuts = self.__dict__.setdefault("_cuts", {})
        cut = self._cutter_fn()
        n_edges = 0
        good: list[int] = []
        for x, (_, ci, n, vals) in enumerate(c.inst):
            key = (ci, n)
            bounds = cuts.get(key)
            if bounds is None:
                text = "，".join(clauses[ci + j].text for j in range(n))
                pos, bounds = 0, {0, len(text)}
                for tok in cut(text):
                    pos += len(tok)
                    bounds.add(pos)
                cuts[key] = bounds
            pos, k = 0, 0
            if c.starts is not None:  # a floating opening starts between two words too
                pos = c.starts[x]
                good.append(k) if pos in bounds else None
                k += 1
            for j, piece in enumerate(c.pieces):
                pos += len(piece)
                if j < len(c.types):
                    if piece:
                        good.append(k) if pos in bounds else None
                        k += 1
                    pos += len(vals[j]) if j < len(vals) else 0
                    if c.pieces[j + 1]:
                        good.append(k) if pos in bounds else None
                        k += 1
            n_edges = k
        if not n_edges:
            return True
        counts = np.bincount(np.array(good, dtype=np.int64), minlength=n_edges) if good else np.zeros(n_edges)
        return bool((counts >= 0.5 * len(c.inst)).all())

    def _folded(self, frames: list[Frame], units: Sequence[Any], docs: Sequence[Any], m: int) -> list[Frame]:
        """Each body frame with the words every value of a free slot holds made fixed text
        (:func:`~gkcorpus.templates.frame_affixes.fold_affixes`), kept when matching it again finds the
        same matches: the same stretches of text with the same values, less the words made fixed."""
        def key(t: Frame) -> list[tuple]:
            return sorted((i.doc_id, i.unit_id, i.start, i.end, tuple(i.slot_values.get(s.name, "") for s in t.slots))
                          for i in t.instances)

        cut = self._cutter_fn()
        changed = [(k, f) for k, t in enumerate(frames)
                   if getattr(t, "where", "body") == "body" and (f := fold_affixes(t, cut)) is not t]
        if not changed:
            return frames
        out = list(frames)
        again = dict(self._matched([f for _, f in changed], units, docs, m))
        for j, (k, f) in enumerate(changed):
            g = again.get(j)
            if g is not None and [s.name for s in g.slots] == [s.name for s in f.slots] and key(g) == key(f):
                g.where, g.floats = frames[k].where, getattr(frames[k], "floats", False)
                out[k] = g
        return out

    def _words(self, clauses: Sequence[Clause]) -> Any:
        """Word boundaries of a clause by its index (:func:`~gkcorpus.templates.frame_gaps.word_bounds`),
        shared by the floating and the correlative constructions of one fit."""
        words = self.__dict__.get("_bounds")
        if words is None:
            words = self.__dict__["_bounds"] = word_bounds([c.text for c in clauses], self._cutter_fn())
        return words

    def _relax(self, frames: list[Frame], units: Sequence[Any], docs: Sequence[Any], m: int, text: str) -> list[Frame]:
        """Each frame or its best relaxation (:func:`~gkcorpus.templates.frame_relax.relax_frames`)."""
        ix = self.__dict__.get("_index")
        if ix is None:
            return frames
        return relax_frames(frames, ix, self._cutter_fn(), lambda fs: self._matched(fs, units, docs, m), m, text)

    def _alternations(self, frames: list[Frame], units: Sequence[Any], docs: Sequence[Any], m: int) -> list[Frame]:
        """Sibling frames differing in their ending, with one head, as one frame ending in a choice
        (:mod:`~gkcorpus.templates.frame_choices`: ``是{TEXT}{CHOICE}`` for 第一年, 的一年, 之年 …),
        kept in their place when it matches more documents than each of them."""
        groups = sibling_groups(frames)
        if not groups:
            return frames
        # every match of a probe or a merge ends a clause with its siblings' head: only those sentences are matched
        ends = re.compile("(?:" + "|".join(sorted({re.escape(g.tail) for g in groups})) + ")(?=[，；：。！？]|$)")
        units = [u for u in units if ends.search(u.core)]
        probed = dict(self._matched([probe_frame(g) for g in groups], units, docs, MIN_CHOICE_DOCS, fix=False))
        cut = self._cutter_fn()
        choices = [(g, widened_choices(g, probed.get(j), cut)) for j, g in enumerate(groups)]
        choices = [(g, c) for g, c in choices if c is not None]
        out: list[Frame | None] = list(frames)
        for j, f in self._matched([choice_frame(g, c) for g, c in choices], units, docs, m):
            g = choices[j][0]
            if f.slots[-1].type == CHOICE and f.support > max(frames[k].support for k in g.members):
                for k in g.members:
                    out[k] = None
                out[g.members[0]] = f
        return [f for f in out if f is not None]

    def _retype(self, frames: list[Frame], units: Sequence[Any], docs: Sequence[Any], m: int) -> list[Frame]:
        """Each frame with its slots typed by its matched values, numbers split out of its free slots
        (:func:`~gkcorpus.templates.frame_retype.retyped`), when the rewritten frame, matched again,
        keeps (nearly) all its documents."""
        changed = retyped(frames)
        if not changed:
            return frames
        matched = dict(self._matched([f for _, f in changed], units, docs, m))
        out = list(frames)
        for j, (k, _) in enumerate(changed):
            f = matched.get(j)
            if f is not None and f.support >= RETYPE_SHARE * frames[k].support:
                out[k] = f
        return out

    def _cutter_fn(self) -> Any:
        """The word segmenter's ``cut`` (made once per fit)."""
        cut = self.__dict__.get("_cutter")
        if cut is None:
            from ..text.tokenize import Tokenizer

            cut = self.__dict__["_cutter"] = Tokenizer(backend=self.segmenter, keep_punct=True).cut
        return cut

    # ------------------------------------------------------------------ typing and matching

    @staticmethod
    def _matched(frames: list[Frame], units: Sequence[Any], docs: Sequence[Any], m: int,
                 fix: bool = True) -> list[tuple[int, Frame]]:
        """``(index, frame)``: every frame matched in every sentence core (its instances: all its matches), those in
        ``m`` documents, with slots never filled or always holding one value made fixed text (``fix``; a probe is
        read with its slots as they are)."""
        if not frames:
            return []
        lib = TemplateLibrary(frames)
        pos = {id(t): k for k, t in enumerate(frames)}
        core_units: dict[str, list[int]] = defaultdict(list)
        for k, u in enumerate(units):
            core_units[u.core].append(k)
        cores = list(core_units)
        found: dict[int, list[Instance]] = defaultdict(list)
        by_doc = {d.id: d for d in docs}
        for core, ms in zip(cores, lib.match_cores(cores)):
            for mt in ms:
                for start, end, values in _all_matches(mt, core):
                    for u in core_units[core]:
                        unit = units[u]
                        a, b = unit.core_start + start, unit.core_start + end
                        ra, rb = by_doc[unit.doc_id].raw_span(a, b)
                        found[pos[id(mt.template)]].append(
                            Instance(unit.doc_id, unit.unit_id, unit.sentence, a, b, int(ra), int(rb), dict(values)))
        out = []
        for k, t in enumerate(frames):
            t.instances = sorted(found.get(k, []), key=lambda i: (i.doc_id, i.start))
            if t.support < m:
                continue
            for s in t.slots:
                vals = [i.slot_values.get(s.name, "") for i in t.instances]
                s.n_empty = sum(1 for v in vals if not v)
                s.values = sorted({v for v in vals if v})
            if fix and any(not s.values or (len(s.values) == 1 and not s.n_empty) for s in t.slots):
                t = _without_empty_slots(t)  # a slot never filled, or always with one value, is fixed text
                if not t.slots:
                    continue  # a formula: the phrase bank's business
            out.append((k, t))
        return out

    @staticmethod
    def _frames_of(chosen: Sequence[_Cand]) -> list[Frame]:
        """The chosen candidates as frames, their slots typed by their clause-level values."""
        frames = []
        for c in chosen:
            types = []
            for j, ty in enumerate(c.types):
                if ty in CLOSED_TYPES:
                    vals = [trim_value(i[3][j]) for i in c.inst]
                    kind = frame_slot_type(vals, c.pieces[j], c.pieces[j + 1])
                    types.append(kind if kind in CLOSED_TYPES else ty)
                else:
                    types.append(frame_slot_type([trim_value(i[3][j]) for i in c.inst], c.pieces[j], c.pieces[j + 1]))
            names = typed_names(types)
            text = render(c.pieces, names)
            empty = [any(not i[3][j] for i in c.inst) for j in range(len(types))]
            frame = Frame(template_id(text), text, [Slot(n, ty, [], int(e)) for n, ty, e in zip(names, types, empty)],
                          [], True, True)
            frame.floats = c.starts is not None
            frames.append(frame)
        return frames

    def _alive(self, c: _Cand, clauses: Sequence[Clause], units: Sequence[Any], docs: Sequence[Any], m: int,
               text: str) -> bool:
        """Whether a candidate stays a frame at matching: matched in the sentences that seeded it, it is
        found in ``min_docs`` documents and is a frame (:func:`is_frame`; ``text``: the corpus). A quick
        test of one candidate (its matches elsewhere are not looked for)."""
        own = sorted({clauses[ci].unit for _, ci, _, _ in c.inst})
        return any(is_frame(t, text) for _, t in self._matched(self._frames_of([c]), [units[u] for u in own], docs, m))

    def _finish(self, chosen: list[_Cand], clauses: Sequence[Clause], units: Sequence[Any], docs: Sequence[Any],
                m: int, line_frames: Sequence[Frame] = ()) -> TemplateLibrary:
        """Type each slot by its clause-level values, match every frame in every sentence core
        (support by matching), keep those in ``min_docs`` documents, best first."""
        frames = self._frames_of(chosen)
        out = [t for _, t in self._matched(frames, units, docs, m)]
        have = {t.template for t in out}
        tried: set[str] = set()
        for merge in (_generalisations, _near_variants, _near_variants):
            # floating constructions stand apart: merged with a frame they would only raise its bar
            general = [g for g in merge([t for t in out if not t.floats]) if g[0].template not in tried]
            tried.update(g.template for g, _ in general)
            for k, t in self._matched([g for g, _ in general], units, docs, m):
                # a word that differs between near variants is a choice of wording, not a free slot
                choice = merge is _generalisations or any(slot_choice(t, s.name) for s in t.slots)
                if t.support > general[k][1] and t.template not in have and choice:
                    have.add(t.template)
                    _retype_open_slots(t)
                    out.append(t)  # a merge of variants that matches more documents than either
        text = "\n".join(u.core for u in units)
        out = [t for t in out if is_frame(t, text)]
        out = self._relax(out, units, docs, m, text)
        out = self._retype(out, units, docs, m)
        # frames inside clauses (第{ORD}个五年计划) and constructions of a function word (是{TEXT}的一年)
        texts, owners = [c.text for c in clauses], [units[c.unit].doc_id for c in clauses]
        extra = extra_frames(texts, owners, m, self._words(clauses))
        count = self.__dict__.get("_count")
        if count is not None:  # a preposition and the word it governs later in its clause (经过{TEXT}努力)
            extra += pair_frames(texts, owners, m, self._words(clauses), count)
        have = {t.template for t in out}
        out += [t for _, t in self._matched([f for f in extra if f.template not in have], units, docs, m)]
        out = self._alternations(out, units, docs, m)
        # heading and title frames: mined apart, marked by ``where``; one that matches body sentences
        # inside a body frame is that frame (居民消费价格涨幅{PERCENT} in 居民消费价格{TEXT}{PERCENT})
        lines = {t.id: (t.where, {(i.doc_id, i.unit_id) for i in t.instances}) for t in line_frames}
        for t in out:  # a body frame with the text of a heading frame whose matches are all on those lines is that heading
            where, units_of = lines.get(t.id, ("", set()))
            if where and t.instances and all((i.doc_id, i.unit_id) in units_of for i in t.instances):
                t.where = where
        out = _absorb(out + list(line_frames))
        out = self._folded(out, units, docs, m)
        shared = self.__dict__.get("_shared")
        for t in out:
            t.copied = edited_copy(t, 2 * self.min_fixed_han) or bool(shared) and copied_passage(t, shared)
        # frames with content of their own first, then figures naming nothing they measure, then
        # constructions (以{TEXT}为指导), then fixed strings with slots of wording or context only
        out.sort(key=lambda t: (rank_tier(t), -frame_score(t), -len(t.instances), t.template))
        seen: set[str] = set()
        out = [t for t in out if not (t.id in seen or seen.add(t.id))]  # one frame per text
        out = repeats_last(out)  # the same sentences read again follow the frames that read them first
        return TemplateLibrary(out)

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
       a number (percent, money, count, with 左右/以内/以上) gives a candidate with a typed slot
       there, keyed by its clause opening (``发放{TEXT}{NUM}``). Fixed clauses found in
       ``min_docs`` documents before or after a clause frame (or before a free clause) join it
       into a frame of two to ``max_chain`` clauses (``现在，我代表国务院，{TEXT}``).
    4. A frame needs ``min_fixed_han`` fixed Han characters (segments of one or two characters,
       such as 建设 or 我们, count half), or a verb opening before a number; it must explain
       ``min_coverage`` of its clauses; each edge between fixed text and a slot falls between two
       words (rjieba) in most instances; quotation marks in its fixed text are balanced; one fixed
       segment inside free text that rarely reaches a clause edge is a phrase, not a frame.
    5. Candidates are ranked by support × fixed Han characters (at most 24 counted; halved for a
       frame with free slots at both ends). A candidate gives way to a generalisation with more
       support (its instances a superset, comparable support × fixed text, the same number
       slots), so the variants of one frame (an optional word, a slot boundary) merge into it; a
       candidate whose instances lie on clauses of a better frame with half its fixed text is a
       variant and is dropped.
    6. Slots are typed by (nearly) all their values (:mod:`gkcorpus.frame_slots`). Every frame is
       then matched by its regex in every sentence core of the corpus: its instances are all its
       matches and ``support`` the number of documents matched (a frame in 31 documents reports
       31), which may exceed the clauses that seeded it.
    7. One frame per frame: pairs of frames sharing four Han characters are aligned and what
       differs becomes a slot (the closing rally by leader gives ``{TEXT}团结在以{PERSON}同志为
       {TEXT_2}周围``); the merge is kept when it matches more documents than either. A frame whose
       matches lie inside those of a frame with at least its support, half its fixed text and its
       number slots is absorbed (variants; the shorter of near-duplicate multi-clause frames).
    8. Collocations leave (:func:`is_frame`): generic glue words, optional inner words, terms in
       context and verb–modifier–noun pairs are the phrase bank's.

A comma in a frame's fixed text matches any clause punctuation (，；：): punctuation variants are
one frame. Filling renders the frame's own wording.

Tables (:func:`match_table`, :func:`wide_table`): one row per match (document, sentence, raw
offsets, slot values), and for the numeric slots one row per document and one column per slot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from .slots import common_affix
from .frame_slots import CLOSED_TYPES, ENUMERATOR, frame_slot_type, trim_value, typed_names
from .templates import Instance, Slot, Template, TemplateLibrary, document_units, render, template_id

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Clause", "Frame", "clause_spans", "load_library", "FrameMiner", "match_table", "wide_table", "frame_score"]

_CLAUSE_PUNCT = frozenset("，；：。！？,;:!?")
_OPEN = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "‘": "’"}
_CLOSE = frozenset(_OPEN.values())
_SCAN = re.compile("[，；：。！？,;:!?“”《》（）()「」‘’]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGITS = str.maketrans({ch: "\n" for ch in "0123456789０１２３４５６７８９，；：。！？,;:!?"})
_AR = r"\d+(?:[.．]\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"
# a number at the end of a clause (possibly a range, with qualifiers and a unit of at most two
# characters), then nothing or a bound (左右, 以内 …)
_NUM_TAIL = re.compile(
    rf"((?:近|约|共|共计|计|逾|达|超过)?(?:{_AR}(?:[%％](?:[-—～~至到]{_AR}[%％])?|(?:[-—～~至到]{_AR})?[万亿千百]*(?:多|余|来)?[^\W\d_]{{0,2}})"
    rf"|[{_CN}]+(?:多|余)[^\W\d_]{{0,2}}|百分之[{_CN}\d.]+|{_AR}个百分点))((?:左右|以上|以内|以下|上下)?)$")
_BOUND = ("左右", "以上", "以内", "以下", "上下")


def _han(text: str) -> int:
    return len(_HAN.findall(text))


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a sentence core: ``start``/``end`` are offsets in the core."""

    unit: int
    start: int
    end: int
    text: str


def clause_spans(core: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the clauses of a sentence core: cut at ，；：。！？ outside quotation marks
    and brackets; an enumerator at a clause's start (一是, （一）, 1.) and spaces are left out."""
    out = []
    depth: list[str] = []
    s = 0
    cuts = []
    for m in _SCAN.finditer(core):
        ch = m.group()
        if ch in _OPEN and not (ch == "‘" and not depth):
            depth.append(_OPEN[ch])
        elif ch in _CLOSE:
            if depth and depth[-1] == ch:
                depth.pop()
            elif ch in depth:
                while depth and depth.pop() != ch:
                    pass
        elif ch in _CLAUSE_PUNCT and not depth:
            cuts.append(m.start())
    for e in cuts + [len(core)]:
        a, b = s, e
        while a < b and core[a].isspace():
            a += 1
        m = ENUMERATOR.match(core[a:b])
        if m and a + m.end() < b:
            a += m.end()
        while b > a and core[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        s = e + 1
    return out


def frame_score(t: Template) -> float:
    """Support × fixed Han characters (a closed-type slot counts as two; at most 24 counted), halved
    for a frame with free slots at both ends and no number (a phrase in context, not a clause frame)."""
    fixed = _han("".join(t.pieces)) + 2 * sum(s.type in CLOSED_TYPES for s in t.slots)
    return t.support * min(fixed, _SCORE_CAP) * _floating_factor(t.pieces, [s.type for s in t.slots])


def _phrase_in_context(c: "_Cand") -> bool:
    """One fixed segment with free text on both sides that reaches a clause edge in fewer than half
    of its instances: a phrase inside clauses (the phrase bank's business), not a clause frame."""
    if len(c.pieces) != 3 or c.pieces[0] or c.pieces[2] or any(t in CLOSED_TYPES for t in c.types):
        return False
    at_edge = sum(1 for *_, vals in c.inst if not vals[0] or not vals[1])
    return at_edge < 0.5 * len(c.inst)


def _without_empty_slots(t: Template) -> "Frame":
    """The frame with its never-filled slots and its slots of a single value (never empty) made fixed
    text; the same instances."""
    pieces = t.pieces
    new_pieces, slots = [pieces[0]], []
    for s, p in zip(t.slots, pieces[1:]):
        if s.values and (len(s.values) > 1 or s.n_empty):
            slots.append(s)
            new_pieces.append(p)
        else:
            new_pieces[-1] += (s.values[0] if s.values else "") + p
    names = typed_names([s.type for s in slots])
    renamed = {s.name: n for s, n in zip(slots, names)}
    for s, n in zip(slots, names):
        s.name = n
    text = render(new_pieces, names)
    insts = [Instance(i.doc_id, i.unit_id, i.sentence, i.start, i.end, i.raw_start, i.raw_end,
                      {renamed[k]: v for k, v in i.slot_values.items() if k in renamed}) for i in t.instances]
    return Frame(template_id(text), text, slots, insts, True, True)


def _without_front_matter(units: list[Any]) -> list[Any]:
    """A document's sentence units without its front matter: the lines before its first sentence
    with punctuation that hold none (title, subtitle, author: they are not the genre's sentences)."""
    for k, u in enumerate(units):
        if any(ch in u.sentence for ch in "，。；：！？"):
            return [v for v in units[:k] if any(ch in v.sentence for ch in "，。；：！？")] + units[k:]
    return units


def _floating_factor(pieces: Sequence[str], types: Sequence[str]) -> float:
    floating = bool(types) and pieces[0] == "" and pieces[-1] == "" and not any(t in CLOSED_TYPES for t in types)
    return 0.5 if floating else 1.0


# --------------------------------------------------------------------------- the frame


_ITEM = "(?:[^，；：。！？“”《》]|“[^“”]*”|《[^《》]*》)"


def _text_slot(allow_empty: bool, before_number: bool = False) -> str:
    """A free slot: clause characters, quotations and titles whole; never starting with an
    enumerator (一是) or starting or ending with 、."""
    end = "(?<![、·\\d.．])" if before_number else "(?<![、·])"  # never cut a number in two
    body = f"(?![、·]|[一二三四五六七八九十]是){_ITEM}+?{end}"
    return f"((?:{body})??)" if allow_empty else f"({body})"


class Frame(Template):
    """A template whose slots stay inside a clause (a quotation or a title inside a slot may hold
    commas), matched from and to clause boundaries anywhere in a sentence; closed-type slots
    (NUM, PERCENT, MONEY, YEAR, DATE) by their patterns."""

    def regex(self) -> re.Pattern:
        if self._regex is None:
            from .frame_slots import closed_pattern

            pieces = self.pieces
            parts = ["(?:^|(?<=[，；：。！？]))"]
            for i, p in enumerate(pieces):
                parts.append("[，；：]".join(re.escape(x) for x in p.split("，")))
                if i < len(self.slots):
                    s = self.slots[i]
                    body = closed_pattern(s.type)
                    if body is not None:
                        parts.append(f"((?:{body})?)" if s.n_empty else f"({body})")
                    else:
                        before = "".join(pieces[: i + 1])
                        if before.count("“") > before.count("”") or before.count("《") > before.count("》"):
                            # inside a quotation or a title of the fixed text: anything but its brackets
                            parts.append("([^“”《》]*?)" if s.n_empty else "([^“”《》]+?)")
                            continue
                        nxt = self.slots[i + 1].type if i + 1 < len(self.slots) and pieces[i + 1] == "" else ""
                        parts.append(_text_slot(bool(s.n_empty), closed_pattern(nxt) is not None if nxt else False))
            parts.append("(?=[，；：。！？]|$)")
            self._regex = re.compile("".join(parts), re.S)
        return self._regex

    def _groups(self) -> list[tuple] | None:
        return None  # always the regex (its slot patterns are not those of plain templates)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["frame"] = True
        return d

    @classmethod
    def from_template(cls, t: Template) -> "Frame":
        return cls(t.id, t.template, t.slots, t.instances, True, True)


def load_library(path: Any) -> TemplateLibrary:
    """Read a library saved by :meth:`TemplateLibrary.save`; frames (``"frame": true``) come back as
    :class:`Frame`, other templates as they were."""
    import json

    lib = TemplateLibrary.load(path)
    try:
        flags = [bool(d.get("frame")) for d in json.loads(open(path, encoding="utf-8").read())]
    except (AttributeError, TypeError):
        return lib
    return TemplateLibrary(Frame.from_template(t) if f else t for t, f in zip(lib.templates, flags))


# --------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    """A candidate frame and its clause-level instances ``(doc, first clause, clauses, values)``."""

    pieces: list[str]  # fixed text around slots (len = slots + 1)
    types: list[str]  # slot types ("TEXT" or a closed type)
    inst: list[tuple[int, int, int, tuple[str, ...]]]
    ok: bool = True  # enough fixed content to stand as a frame
    free: bool = False  # fixed clauses, then a free clause: exempt from the coverage rule

    @property
    def docs(self) -> int:
        return len({i[0] for i in self.inst})

    @property
    def fixed(self) -> int:
        return _han("".join(self.pieces)) + 2 * sum(t in CLOSED_TYPES for t in self.types)

    def score(self) -> float:
        return self.docs * min(self.fixed, _SCORE_CAP) * _floating_factor(self.pieces, self.types)

    def coverage(self, clauses: Sequence[Clause]) -> float:
        fixed = sum(len(p) for p in self.pieces)
        closed = [k for k, t in enumerate(self.types) if t in CLOSED_TYPES]
        tot = 0.0
        for _, c, n, vals in self.inst:
            span = sum(len(clauses[c + j].text) for j in range(n)) + n - 1
            tot += min(1.0, (fixed + sum(len(vals[k]) for k in closed)) / max(1, span))
        return tot / max(1, len(self.inst))


_SCORE_CAP = 24  # fixed Han characters counted in a frame's score (a long copied passage is not a better frame)


def _balanced(pieces: Sequence[str]) -> bool:
    """Quotation marks and title brackets of the fixed text open and close in order (a slot may lie
    between them): a frame never holds half a quotation."""
    for a, b in (("“", "”"), ("《", "》"), ("（", "）")):
        depth = 0
        for ch in "".join(pieces):
            if ch == a:
                depth += 1
                if depth > 1:
                    return False
            elif ch == b:
                depth -= 1
                if depth < 0:
                    return False
        if depth:
            return False
    return True


def _content_ok(pieces: Sequence[str], types: Sequence[str], min_fixed: int, min_seg: int) -> bool:
    if not _balanced(pieces):
        return False
    # a fixed segment of one or two Han characters (建设, 我们, 改革) is glue: it counts half
    han = sum(h if h >= 3 else h / 2 for h in (_han(p) for p in pieces))
    segs = sum(1 for p in pieces if _han(p))
    closed = sum(t in CLOSED_TYPES for t in types)
    if han >= min_fixed:
        return True
    if closed and segs + closed >= 2 and _han(pieces[0]) >= 2 and _is_verb_phrase(pieces[0]):
        return True  # an action and its quantity (发放{TEXT}{NUM}): an extraction frame
    return han >= min_seg and segs + closed >= 2


def _is_verb_phrase(text: str) -> bool:
    """Whether ``text`` ends in a verb (jieba.posseg): 发放, 比上年增长 — not 其中, 今年, 全国."""
    from .frame_slots import _tags

    tags = _tags(text)
    return bool(tags) and tags[-1][1].startswith("v")


class FrameMiner(BaseEstimator):
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
    def fit(self, X: Any, y: Any = None) -> "FrameMiner":
        from .templates import _as_documents

        docs = _as_documents(X)
        if self.min_docs is not None and int(self.min_docs) < 1:
            raise ValueError(f"min_docs must be at least 1, got {self.min_docs}")
        m = int(self.min_docs) if self.min_docs is not None else max(2, round(0.1 * len(docs)))
        self.min_docs_ = m
        units = []
        for doc in docs:
            us = document_units(doc.id, doc.text, [(s.start, s.end) for s in doc.structure.sentences])
            units.extend(_without_front_matter(us))
        self.units_ = units
        doc_index = {d.id: i for i, d in enumerate(docs)}
        clauses: list[Clause] = []
        c_doc: list[int] = []
        for k, u in enumerate(units):
            d = doc_index[u.doc_id]
            for a, b in clause_spans(u.core):
                clauses.append(Clause(k, a, b, u.core[a:b]))
                c_doc.append(d)
        self.clauses_ = clauses
        cands = self._anchor_candidates(clauses, c_doc, len(docs), m)
        cands += self._numeric_candidates(clauses, c_doc, m)
        cands = self._dedupe(cands)
        cands += self._chains(cands, clauses, c_doc, m)
        chosen = self._select(cands, clauses, m)
        self.library_ = self._finish(chosen, clauses, units, docs, m)
        return self

    # ------------------------------------------------------------------ anchors and their contexts
    def _anchor_candidates(self, clauses: Sequence[Clause], c_doc: Sequence[int], n_docs: int, m: int) -> list[_Cand]:
        from .reuse import TextIndex

        if not clauses:
            return []
        per_doc: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(c_doc):
            per_doc[d].append(i)
        texts = []
        for d in range(n_docs):
            texts.append("\n".join(clauses[i].text for i in per_doc.get(d, [])).translate(_DIGITS))
        # global position -> clause and offset in it (the index joins the texts with one separator each)
        owner = np.full(sum(len(t) + 1 for t in texts), -1, dtype=np.int64)
        offset = np.zeros(len(owner), dtype=np.int64)
        g = 0
        for d in range(n_docs):
            for i in per_doc.get(d, []):
                n = len(clauses[i].text)
                owner[g:g + n] = i
                offset[g:g + n] = np.arange(n)
                g += n + 1
            if not per_doc.get(d):
                g += 1
        ix = TextIndex(texts)
        c_doc_arr = np.asarray(c_doc, dtype=np.int64)
        han = ix.han_cum
        full = ix.string
        out: list[_Cand] = []
        mh = self.min_anchor_han
        for length, pos in ix.maximal_repeats(max(2, mh), min_docs=max(2, m)):
            p0 = int(pos[0])
            if int(han[p0 + length] - han[p0]) < mh:
                continue
            anchor = full[p0:p0 + length]
            if anchor[0] in "、的和及与" or anchor[-1] in "、和及与":
                continue
            cl = owner[pos]
            occ = list(zip(np.asarray(c_doc_arr)[cl].tolist(), cl.tolist(), offset[pos].tolist()))
            out.extend(self._contexts(anchor, occ, clauses, m))
        return out

    def _contexts(self, anchor: str, occ: Sequence[tuple[int, int, int]], clauses: Sequence[Clause],
                  m: int) -> list[_Cand]:
        """Frames around one anchor: the anchor with, on each side, a shared clause opening
        (ending), the clause edge, or a slot."""
        la = len(anchor)
        heads: dict[str, set[int]] = defaultdict(set)
        tails: dict[str, set[int]] = defaultdict(set)
        lefts, rights = [], []
        for d, c, off in occ:
            text = clauses[c].text
            left, right = text[:off], text[off + la:]
            lefts.append(left)
            rights.append(right)
            for k in range(1, min(self.max_affix, len(left)) + 1):
                heads[left[:k]].add(d)
            for k in range(1, min(self.max_affix, len(right)) + 1):
                tails[right[-k:]].add(d)

        def best(table: dict[str, set[int]], prefix: bool) -> list[str]:
            opts = [(len(ds), a) for a, ds in table.items() if len(ds) >= m and _han(a) >= 1
                    and a[0 if prefix else -1] not in "、的和及与" and not any(ch.isdigit() for ch in a)]
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
                for k, i in enumerate(sel):
                    v = tuple(x for x, used in ((lv[k], any(lv)), (rv[k], any(rv))) if used)
                    vals.append((occ[i][0], occ[i][1], 1, v))
                ok = _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han)
                out.append(_Cand(pieces, types, vals, ok))
        return out

    def _numeric_candidates(self, clauses: Sequence[Clause], c_doc: Sequence[int], m: int) -> list[_Cand]:
        """Frames of clauses ending in a number: ``opening{TEXT}{NUM}bound`` keyed by the clause
        opening (2 to ``max_affix`` characters) and the bound after the number (左右, 以内 …)."""
        table: dict[tuple[str, str], list[tuple[int, int, str, str]]] = defaultdict(list)
        for i, c in enumerate(clauses):
            mt = _NUM_TAIL.search(c.text)
            if not mt:
                continue
            head = c.text[: mt.start()]
            after = mt.group(2)
            for k in range(2, min(self.max_affix, len(head)) + 1):
                if _HAN.match(head[k - 1]):
                    table[(head[:k], after)].append((c_doc[i], i, head[k:], mt.group(1)))
        out = []
        for (h, after), rows in table.items():
            ds = {r[0] for r in rows}
            if len(ds) < m or _han(h) < 2:
                continue
            longer = {h + r[2][:1] for r in rows if r[2]}
            if any(len({r[0] for r in table.get((x, after), ())}) == len(ds) for x in longer):
                continue  # a longer opening has the same documents
            if any(r[2] for r in rows):
                pieces, types = [h, "", after], ["TEXT", "NUM"]
                inst = [(d, i, 1, (mid, num)) for d, i, mid, num in rows]
            else:
                pieces, types = [h, after], ["NUM"]
                inst = [(d, i, 1, (num,)) for d, i, _, num in rows]
            out.append(_Cand(pieces, types, inst, _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han)))
        return out

    @staticmethod
    def _dedupe(cands: list[_Cand]) -> list[_Cand]:
        seen: dict[tuple, _Cand] = {}
        for c in cands:
            k = (tuple(c.pieces), tuple(c.types))
            if k not in seen or len(seen[k].inst) < len(c.inst):
                seen[k] = c
        return list(seen.values())

    # ------------------------------------------------------------------ runs of clauses
    def _chains(self, cands: list[_Cand], clauses: Sequence[Clause], c_doc: Sequence[int], m: int) -> list[_Cand]:
        """Frames over two to ``max_chain`` consecutive clauses of a sentence: one clause frame with
        fixed clauses (found in ``min_docs`` documents) before or after it, following each other in
        ``min_docs`` documents."""
        if self.max_chain < 2 or not clauses:
            return []
        labels: dict[int, list[tuple[float, int, tuple[str, ...]]]] = defaultdict(list)
        for k, c in enumerate(cands):
            sc = c.score()
            for d, ci, n, vals in c.inst:
                labels[ci].append((sc, k, vals))
        text_docs: dict[str, set[int]] = defaultdict(set)
        for ci, c in enumerate(clauses):
            text_docs[c.text].add(c_doc[ci])
        fixed_id: dict[str, int] = {}
        lab: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
        for ci, c in enumerate(clauses):
            opts = sorted(labels.get(ci, ()), key=lambda x: -x[0])[:3]
            row = [(k, v) for _, k, v in opts]
            if len(text_docs[c.text]) >= m and _han(c.text) >= 2:
                row.append((-1 - fixed_id.setdefault(c.text, len(fixed_id)), ()))
            if row:
                lab[ci] = row
        fixed_text = {v: k for k, v in fixed_id.items()}
        seqs: dict[tuple[int, ...], list[tuple[int, int, int, tuple[str, ...]]]] = defaultdict(list)
        L = self.max_chain
        FREE = len(cands)  # a whole clause of free text after fixed clauses (我们也清醒地看到，{TEXT})
        for ci in range(len(clauses) - 1):
            if clauses[ci + 1].unit != clauses[ci].unit or not any(k < 0 for k, _ in lab.get(ci, ())):
                continue
            run, j = [], ci
            while len(run) < L - 1 and j >= 0 and clauses[j].unit == clauses[ci].unit and any(k < 0 for k, _ in lab.get(j, ())):
                run.append(next(k for k, _ in lab[j] if k < 0))
                j -= 1
            for n in range(1, len(run) + 1):
                seq = tuple(reversed(run[:n])) + (FREE,)
                seqs[seq].append((c_doc[ci], ci - n + 1, n + 1, (clauses[ci + 1].text,)))
        for ci in range(len(clauses)):
            frames = [(k, v) for k, v in lab.get(ci, ()) if k >= 0]
            if not frames:
                continue
            unit = clauses[ci].unit
            left = []  # fixed clauses right before, nearest first
            j = ci - 1
            while len(left) < L - 1 and j >= 0 and clauses[j].unit == unit and any(k < 0 for k, _ in lab.get(j, ())):
                left.append(next(k for k, _ in lab[j] if k < 0))
                j -= 1
            right = []
            j = ci + 1
            while len(right) < L - 1 and j < len(clauses) and clauses[j].unit == unit and any(k < 0 for k, _ in lab.get(j, ())):
                right.append(next(k for k, _ in lab[j] if k < 0))
                j += 1
            for nl in range(len(left) + 1):
                for nr in range(len(right) + 1):
                    if nl + nr == 0 or nl + nr + 1 > L:
                        continue
                    for k, v in frames:
                        seq = tuple(reversed(left[:nl])) + (k,) + tuple(right[:nr])
                        seqs[seq].append((c_doc[ci], ci - nl, len(seq), v))
        out = []
        for seq, inst in seqs.items():
            if len({i[0] for i in inst}) < m or sum(k >= 0 for k in seq) != 1:
                continue  # a chain is fixed clauses around one clause frame (or one free clause)
            pieces, types = [""], []
            for j, k in enumerate(seq):
                if j:
                    pieces[-1] += "，"
                if k < 0:
                    pieces[-1] += fixed_text[-1 - k]
                elif k == FREE:
                    types.append("TEXT")
                    pieces.append("")
                else:
                    c = cands[k]
                    pieces[-1] += c.pieces[0]
                    for ty, p in zip(c.types, c.pieces[1:]):
                        types.append(ty)
                        pieces.append(p)
            if not types:
                continue  # a run of fixed clauses: a passage or a formula, not a frame
            free = seq[-1] == FREE
            ok = _han(pieces[0]) >= self.min_fixed_han and _balanced(pieces) if free else _content_ok(
                pieces, types, self.min_fixed_han, self.min_segment_han)
            out.append(_Cand(pieces, types, inst, ok, free))
        return out

    # ------------------------------------------------------------------ selection
    def _select(self, cands: list[_Cand], clauses: Sequence[Clause], m: int) -> list[_Cand]:
        """Candidates ranked by support × fixed content; a candidate whose instances mostly lie on
        clauses of better ones with at least half its fixed text and as many number slots is a variant
        of them and is dropped (a much more specific frame, or one that types a number, stays). A candidate gives way to a more
        general one (its instances a superset, in more documents, with at least half its fixed
        text, three quarters of its support × fixed text and its numbers): the variants of one frame
        merge into the frame with the most support."""
        pool = [c for c in cands if c.ok and c.docs >= m and not _phrase_in_context(c)
                and (c.free or any(t in CLOSED_TYPES for t in c.types) or c.coverage(clauses) >= self.min_coverage)]
        pool.sort(key=lambda c: (-c.score(), -c.fixed, -len(c.inst), c.pieces))
        by_clause: dict[tuple[int, int], list[int]] = defaultdict(list)
        keys = []
        for k, c in enumerate(pool):
            ks = {(ci, n) for _, ci, n, _ in c.inst}
            keys.append(ks)
            for x in ks:
                by_clause[x].append(k)
        taken: dict[int, tuple] = {}  # clause -> (fixed content, number slots) of the best frame explaining it
        used: set[int] = set()
        out = []
        for k, c in enumerate(pool):
            if k in used:
                continue
            best, best_n = k, (c.docs, len(c.inst))
            first = min(keys[k])
            for j in by_clause[first]:
                o = pool[j]
                if (j not in used and (o.docs, len(o.inst)) > best_n and 2 * o.fixed >= c.fixed
                        and sum(t in CLOSED_TYPES for t in o.types) >= sum(t in CLOSED_TYPES for t in c.types)
                        and 4 * o.docs * min(o.fixed, _SCORE_CAP) >= 3 * c.docs * min(c.fixed, _SCORE_CAP)
                        and keys[k] <= keys[j]):
                    best, best_n = j, (o.docs, len(o.inst))
            c = pool[best]
            used.update((k, best))
            claim = 1 if c.free else 0  # the free clause of a chain is not explained by it: left to other frames
            closed = sum(t in CLOSED_TYPES for t in c.types)
            inside = sum(1 for _, ci, n, _ in c.inst
                         if any(taken.get(ci + j, (-1, 0))[0] >= 0.5 * c.fixed and taken[ci + j][1] >= closed
                                for j in range(n - claim)))
            if inside >= self.overlap * len(c.inst) or not self._on_word_edges(c, clauses):
                continue
            out.append(c)
            for _, ci, n, _ in c.inst:
                for j in range(ci, ci + n - claim):
                    taken[j] = max(taken.get(j, (-1, 0)), (c.fixed, sum(t in CLOSED_TYPES for t in c.types)))
            if len(out) >= self.max_frames:
                break
        return out

    def _on_word_edges(self, c: _Cand, clauses: Sequence[Clause]) -> bool:
        """Whether each edge between fixed text and a slot falls between two words (by the segmenter)
        in at least half of the candidate's instances: a slot does not cut 国内生产总值 in two."""
        cuts = self.__dict__.setdefault("_cuts", {})
        cut = self.__dict__.get("_cutter")
        if cut is None:
            from .tokenize import Tokenizer

            cut = self.__dict__["_cutter"] = Tokenizer(backend=self.segmenter, keep_punct=True).cut
        n_edges = 0
        good: list[int] = []
        for _, ci, n, vals in c.inst:
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

    # ------------------------------------------------------------------ typing and matching

    @staticmethod
    def _matched(frames: list[Frame], units: Sequence[Any], docs: Sequence[Any], m: int) -> list[tuple[int, Frame]]:
        """``(index, frame)``: every frame matched in every sentence core (its instances: all its matches), those in
        ``m`` documents, with slots never filled or always holding one value made fixed text."""
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
                for u in core_units[core]:
                    unit = units[u]
                    a, b = unit.core_start + mt.start, unit.core_start + mt.end
                    ra, rb = by_doc[unit.doc_id].raw_span(a, b)
                    found[pos[id(mt.template)]].append(
                        Instance(unit.doc_id, unit.unit_id, unit.sentence, a, b, int(ra), int(rb), dict(mt.values)))
        out = []
        for k, t in enumerate(frames):
            t.instances = sorted(found.get(k, []), key=lambda i: (i.doc_id, i.start))
            if t.support < m:
                continue
            for s in t.slots:
                vals = [i.slot_values.get(s.name, "") for i in t.instances]
                s.n_empty = sum(1 for v in vals if not v)
                s.values = sorted({v for v in vals if v})
            if any(not s.values or (len(s.values) == 1 and not s.n_empty) for s in t.slots):
                t = _without_empty_slots(t)  # a slot never filled, or always with one value, is fixed text
                if not t.slots:
                    continue  # a formula: the phrase bank's business
            out.append((k, t))
        return out

    def _finish(self, chosen: list[_Cand], clauses: Sequence[Clause], units: Sequence[Any], docs: Sequence[Any],
                m: int) -> TemplateLibrary:
        """Type each slot by its clause-level values, match every frame in every sentence core
        (support by matching), keep those in ``min_docs`` documents, best first."""
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
            frames.append(Frame(template_id(text), text, [Slot(n, ty, [], int(e)) for n, ty, e in zip(names, types, empty)],
                                [], True, True))
        out = [t for _, t in self._matched(frames, units, docs, m)]
        general = _generalisations(out)
        have = {t.template for t in out}
        for k, t in self._matched([g for g, _ in general], units, docs, m):
            if t.support > general[k][1] and t.template not in have:
                have.add(t.template)
                _retype_open_slots(t)
                out.append(t)  # a merge of variants that matches more documents than either
        text = "\n".join(u.core for u in units)
        out = [t for t in out if is_frame(t, text)]
        out = _absorb(out)
        out.sort(key=lambda t: (-frame_score(t), -len(t.instances), t.template))
        seen: set[str] = set()
        out = [t for t in out if not (t.id in seen or seen.add(t.id))]  # one frame per text
        return TemplateLibrary(out)


# --------------------------------------------------------------------------- variants, collocations

_GAP = "\x00"


def _skeleton(t: Template) -> str:
    pieces = t.pieces
    return "".join(p + (_GAP if k < len(t.slots) else "") for k, p in enumerate(pieces))


def _fixed_han(t: Template) -> int:
    return _han("".join(t.pieces))


def _n_closed(t: Template) -> int:
    return sum(s.type in CLOSED_TYPES for s in t.slots)


def _merge_skeletons(a: str, b: str) -> list[str] | None:
    """The pieces two frame skeletons share in order (difflib alignment); what differs between them
    (a slot, a name, an optional word) becomes a slot. Shared runs of one character between slots
    (的, 和) are not anchors: they join the slot."""
    from difflib import SequenceMatcher

    out = [""]
    ia = ib = 0
    for blk in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        if blk.a > ia or blk.b > ib:
            if out[-1] != _GAP:
                out.append(_GAP)
        out.append(a[blk.a:blk.a + blk.size])
        ia, ib = blk.a + blk.size, blk.b + blk.size
    sk = "".join(out)
    sk = re.sub(f"{_GAP}+", _GAP, sk)
    pieces = sk.split(_GAP)
    for k in range(1, len(pieces) - 1):
        if len(pieces[k]) < 2:
            pieces[k] = None  # type: ignore[call-overload]
    merged = [pieces[0]]
    for p in pieces[1:]:
        if p is None:
            continue
        merged.append(p)
    return merged if len(merged) > 1 else None


def _generalisations(frames: Sequence[Frame], min_share: float = 0.4, min_han: int = 8,
                     max_bucket: int = 40) -> list[tuple[Frame, int]]:
    """``(frame, support to beat)``: for pairs of frames sharing a run of four Han characters, the
    frame of what they share, the rest slots (``…团结在以{TEXT}同志为{TEXT_2}周围`` from the closing's
    variants by leader). It keeps at least ``min_han`` fixed Han characters and ``min_share`` of the
    parent's (two fewer in two segments of two or more: 高举{TEXT}伟大旗帜), no number slots, and must
    later match more documents than either."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for k, t in enumerate(frames):
        fixed = "\n".join(t.pieces)
        grams = {fixed[i:i + 4] for i in range(len(fixed) - 3) if _han(fixed[i:i + 4]) == 4}
        for g in grams:
            buckets[g].append(k)
    pairs = set()
    for ks in buckets.values():
        if 1 < len(ks) <= max_bucket:
            pairs.update((x, y) for i, x in enumerate(ks) for y in ks[i + 1:])
    out: dict[str, tuple[Frame, int]] = {}
    for x, y in sorted(pairs):
        a, b = frames[x], frames[y]
        if _n_closed(a) or _n_closed(b):
            continue  # numbers keep their own frames (a typed slot is not merged into free text)
        pieces = _merge_skeletons(_skeleton(a), _skeleton(b))
        if pieces is None or not _balanced(pieces):
            continue
        han = _han("".join(pieces))
        two = sum(1 for p in pieces if _han(p) >= 2) >= 2
        if han < (min_han - 2 if two else min_han) or han < min_share * max(_fixed_han(a), _fixed_han(b)):
            continue
        names = typed_names(["TEXT"] * (len(pieces) - 1))
        text = render(pieces, names)
        if text in (a.template, b.template):
            continue
        beat = max(a.support, b.support)
        if text not in out or out[text][1] < beat:
            out[text] = (Frame(template_id(text), text, [Slot(n, "TEXT", [], 1) for n in names], [], True, True), beat)
    return [out[k] for k in sorted(out)]


def _retype_open_slots(t: Template) -> None:
    """Type a merged frame's free slots by their values (open types only: the slot's pattern stays)."""
    types = []
    for k, s in enumerate(t.slots):
        kind = frame_slot_type([trim_value(v) for v in s.values], t.pieces[k], t.pieces[k + 1])
        types.append(kind if kind not in CLOSED_TYPES else "TEXT")
    names = typed_names(types)
    renamed = {s.name: n for s, n in zip(t.slots, names)}
    for s, ty, n in zip(t.slots, types, names):
        s.type, s.name = ty, n
    t.template = render(t.pieces, names)
    t.id = template_id(t.template)
    for i in t.instances:
        i.slot_values = {renamed.get(k, k): v for k, v in i.slot_values.items()}


def is_frame(t: Template, text: str, generic_share: float = 0.3) -> bool:
    """Whether a frame is a frame rather than a collocation (the phrase bank's business).

    An inner slot that mostly holds nothing or a particle (的, 和) is an optional word: the fixed
    text around it counts as one segment (``{TEXT}社会主义{TEXT_2}民主{TEXT_3}法制建设`` is one term).
    Fixed segments of one to three Han characters that the frame explains in fewer than
    ``generic_share`` of their occurrences in ``text`` are generic glue (加强, 建设, 以, 进一步), not
    content; glue opening the clause anchors a verb predicate of five or more (我们{TEXT}清醒地看到).
    A frame without optional words whose slots are mostly empty is a fixed string in context.
    A frame then needs two units (content segments, anchoring glue, number slots) with four content
    Han characters (two beside a number; under eight, the slots between them hold phrases or a few
    alternatives, not modifiers of many kinds), or one segment at a clause edge of eight Han characters
    (six when it is a whole fixed clause before or after a free one: 我代表国务院，{TEXT}) holding a
    verb or beside free text of four characters or more (a noun phrase ending a clause after a
    verb, 建立{…}社会主义市场经济体制, is a term). A segment
    with free text on both sides is a phrase in context, not a frame, unless it is a clause-opening
    action followed by a second verb phrase of four characters or more, its purpose
    (召开专题会议{研究活动方案}), or a
    clause-closing verb predicate of eight characters (…活动给予了充分的重视)."""
    n = max(1, len(t.instances))
    raw = t.pieces
    slots = list(t.slots)
    pieces, kept, optional = [raw[0]], [], False
    for k, sl in enumerate(slots):
        vals = sorted(len(i.slot_values.get(sl.name, "")) for i in t.instances)
        inner = raw[k] != "" and raw[k + 1] != ""
        if inner and vals and vals[len(vals) // 2] <= 1 and sl.type not in CLOSED_TYPES:
            words = [w for w in (i.slot_values.get(sl.name, "") for i in t.instances) if w]
            common = max(sorted(set(words)), key=words.count) if 2 * len(words) > n else ""
            pieces[-1] += common + raw[k + 1]  # an optional word (its usual form), not a slot
            optional = True
        else:
            kept.append(sl)
            pieces.append(raw[k + 1])
    content, anchors = [], 0
    for k, p in enumerate(pieces):
        h = _han(p)
        if not h:
            continue
        if h <= 3 and n < generic_share * max(1, text.count(p.strip("，；：、"))):
            anchors += k == 0
            continue
        content.append(p)
    closed = _n_closed(t)
    han = sum(_han(p) for p in content)
    anchors = anchors if any(_han(p) >= 5 and any(f == "v" for _, f in _word_tags(p)) for p in content) else 0
    filled = [sum(1 for i in t.instances if i.slot_values.get(sl.name)) for sl in kept]
    if kept and not closed and not optional and all(f < 0.25 * n for f in filled):
        return False  # slots mostly empty: a fixed string with optional words
    if len(content) + closed + anchors >= 2:
        if han < 8 and not closed and not _inner_slots_hold_phrases(t, kept):
            return False  # a verb and a noun around a modifier (严厉打击{各种}犯罪活动): a collocation
        return han >= 4 or (closed >= 1 and han >= 2)
    if not content or not kept:
        return False
    floating = pieces[0] == "" and pieces[-1] == "" and not closed
    tags = _word_tags(content[0])
    if not tags:
        return False
    if not floating:  # a predicate at a clause edge, or a subject before a clause; a term after a verb is not
        whole_clause = bool(re.search(r"^[，；：]|[，；：]$", content[0]))
        free = sorted(len(v) for sl in kept for v in (i.slot_values.get(sl.name, "") for i in t.instances) if v)
        long_free = bool(free) and free[len(free) // 2] >= 4
        return (han >= 8 or (whole_clause and han >= 6)) and (long_free or any(f == "v" for _, f in tags))
    first, last = kept[0].name, kept[-1].name
    opens = sum(1 for i in t.instances if not i.slot_values.get(first))
    ends = sum(1 for i in t.instances if not i.slot_values.get(last))
    purpose = sum(1 for i in t.instances if len(i.slot_values.get(last, "")) >= 4
                  and _word_tags(i.slot_values[last])[:1] and _word_tags(i.slot_values[last])[0][1] in ("v", "vn"))
    if opens >= 0.5 * n and purpose >= 0.5 * n and han >= 6 and tags[0][1] == "v":
        return True  # an action opening its clause, then its purpose
    return (ends >= 0.5 * n and han >= 8 and tags[-1][1] == "v" and tags[0][1] != "v"
            and any(f == "v" for _, f in tags[:-1]))


def _inner_slots_hold_phrases(t: Template, slots: Sequence[Slot]) -> bool:
    """Whether the slots between fixed segments hold phrases (median value of three characters or
    more: 高举{邓小平理论}伟大旗帜) or alternate between a few words (为{核心|总书记}), rather than
    a modifier word of many kinds (严厉打击{各种|刑事|…}犯罪活动)."""
    pieces = t.pieces
    for k, sl in enumerate(t.slots):
        if sl not in slots or not pieces[k] or not pieces[k + 1]:
            continue
        vals = [i.slot_values.get(sl.name, "") for i in t.instances]
        lengths = sorted(len(v) for v in vals)
        if lengths[len(lengths) // 2] < 3 and len(set(vals)) > 3:
            return False
    return True


def _word_tags(text: str) -> tuple[tuple[str, str], ...]:
    from .frame_slots import _tags

    return _tags(re.sub(r"[^\u4e00-\u9fff]", "", text))


def _absorb(frames: list[Frame], share: float = 0.8) -> list[Frame]:
    """Frames without those whose matches (``share`` of them) lie inside the matches of a frame with
    at least their support, half their fixed Han characters and their number slots: variants of a
    merged frame, and the shorter of near-duplicate multi-clause frames of the same support."""
    order = sorted(frames, key=lambda t: (-t.support, -_fixed_han(t), -len(t.instances), t.template))
    spans: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    kept: list[Frame] = []
    for t in order:
        hits: dict[int, int] = defaultdict(int)
        for i in t.instances:
            for k in {k for a, b, k in spans.get((i.doc_id, i.unit_id), ()) if a <= i.start and b >= i.end}:
                hits[k] += 1
        n, h, c = len(t.instances), _fixed_han(t), _n_closed(t)
        if any(v >= share * n and 2 * _fixed_han(kept[k]) >= h and _n_closed(kept[k]) >= c for k, v in hits.items()):
            continue
        for i in t.instances:
            spans[(i.doc_id, i.unit_id)].append((i.start, i.end, len(kept)))
        kept.append(t)
    return kept


# --------------------------------------------------------------------------- tables


def match_table(library: TemplateLibrary, X: Any, extracted: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """One row per match of each frame in ``X``: ``frame_id, frame, doc_id, unit_id, start, end,
    raw_start, raw_end, sentence`` and one column per slot name (``slot:NAME``) with its value."""
    import pandas as pd

    ex = library.extract(X) if extracted is None else extracted
    if not len(ex):
        return pd.DataFrame([], columns=["frame_id", "frame", "doc_id", "unit_id", "start", "end", "raw_start",
                                         "raw_end", "sentence", "slot_values"])
    keys = ["template_id", "template", "doc_id", "unit_id", "start", "end", "raw_start", "raw_end", "sentence"]
    rows = []
    for key, g in ex.groupby(keys, sort=False):
        row = dict(zip(["frame_id", "frame", "doc_id", "unit_id", "start", "end", "raw_start", "raw_end",
                        "sentence"], key))
        row["slot_values"] = {s: v for s, v in zip(g["slot"], g["value"]) if s}
        rows.append(row)
    return pd.DataFrame(rows)


def wide_table(library: TemplateLibrary, X: Any, min_docs: int = 2,
               extracted: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Numeric slots side by side: one row per document, one column per (frame, numeric slot) found
    in ``min_docs`` documents (as written).

    When a frame matches a document more than once (a review figure, then the target), the value is
    the match whose sentence holds the most other numeric frames (the targets sentence holds the
    growth, jobs and price targets together); ties go to the match nearest the relative position in
    the document where the frame's matches concentrate (their median over the corpus), then the first."""
    import pandas as pd

    from .templates import _as_documents

    docs = _as_documents(X)
    ex = library.extract(docs) if extracted is None else extracted
    numeric = {"NUM", "PERCENT", "MONEY", "YEAR", "DATE"}
    ex = ex[ex["type"].isin(numeric)] if len(ex) else ex
    table = pd.DataFrame({"doc_id": [d.id for d in docs]})
    if not len(ex):
        return table
    ex = ex.sort_values(["doc_id", "start"], kind="stable").copy()
    length = {d.id: max(1, len(d.text)) for d in docs}
    ex["_rel"] = [s / length.get(d, 1) for d, s in zip(ex["doc_id"], ex["start"])]
    groups = sorted(ex.groupby(["template_id", "slot"]), key=lambda x: x[0])
    wide = {key for key, g in groups if g["doc_id"].nunique() >= min_docs}
    ex = ex[[(t, s) in wide for t, s in zip(ex["template_id"], ex["slot"])]]
    if not len(ex):
        return table
    frames_in_unit = ex.groupby(["doc_id", "unit_id"])["template_id"].nunique()
    ex["_others"] = [int(frames_in_unit[(d, u)]) for d, u in zip(ex["doc_id"], ex["unit_id"])]
    order = {t.id: k for k, t in enumerate(library)}
    cols = []
    for (tid, slot), g in sorted(ex.groupby(["template_id", "slot"]), key=lambda x: (order.get(x[0][0], 0), x[0][1])):
        centre = float(g["_rel"].median())
        g = g.assign(_far=(g["_rel"] - centre).abs())
        best = g.sort_values(["doc_id", "_others", "_far", "start"], ascending=[True, False, True, True],
                             kind="stable").drop_duplicates("doc_id")
        name = f"{g['template'].iloc[0]} [{slot}]"
        cols.append(pd.Series(dict(zip(best["doc_id"], best["value"])), name=name))
    if cols:
        table = table.join(pd.concat(cols, axis=1), on="doc_id")
    return table

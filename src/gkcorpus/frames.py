"""Sentence frames: fixed wording with typed slots, mined over clauses, supported by matching.

The genre repeats itself in clauses and runs of clauses inside sentences of every length
(``国内生产总值增长{PERCENT}左右``, ``让我们{TEXT}团结在{TEXT_2}周围``, ``现在，我代表国务院，向大会{TEXT}，请予审议``).
A frame is a :class:`~gkcorpus.templates.Template` that may start and end at clause boundaries
inside a sentence, so a saved frame library is an ordinary template library: ``templates match``
and ``templates fill`` apply it.

Mining (:class:`FrameMiner`)
    1. Units are clauses: sentence cores cut at ，；：。！？ outside quotation marks and brackets
       (、 enumerations stay inside), enumerators (一是, （一）) removed from their start.
    2. Anchors are the maximal repeats of the clause texts (one suffix array over the corpus,
       digits as breaks) with at least ``min_anchor_han`` Han characters, found in ``min_docs``
       documents.
    3. Around every occurrence of an anchor, the rest of its clause is context: a frame keeps the
       anchor and, on each side, either a fixed clause opening (ending) shared by ``min_docs``
       documents, the clause edge itself, or a slot. A clause ending in a number (percent, money,
       count) gives a frame with a typed slot there, keyed by its clause opening
       (``发放{TEXT}{NUM}``). Runs of two to four clauses whose frames follow each other in
       ``min_docs`` documents are joined into one frame (``现在，我代表国务院，…``).
    4. A frame needs ``min_fixed_han`` fixed Han characters, or two fixed segments (or one segment and
       a closed-type slot) with ``min_segment_han``.
    5. Support is by matching: every candidate is matched (as its regex would) in every sentence
       core holding its anchor; ``support`` is the number of documents matched. Candidates are
       ranked by support × fixed Han characters; a candidate whose matches are mostly inside the
       matches of a better one is a variant of it and is dropped — variants in a slot boundary,
       an optional word or the wording inside a slot collapse into the best-ranked frame.
    6. Slots are typed by (nearly) all their values (:mod:`gkcorpus.frame_slots`), and the
       library is matched once more with the typed slots to give the final instances.

Tables (:func:`match_table`, :func:`wide_table`): one row per match (document, sentence, raw
offsets, slot values), and for the numeric slots one row per document and one column per slot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator

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
_AR = r"\d+(?:\.\d+)?"
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
        m = ENUMERATOR.match(core, a, b)
        if m and m.end() < b:
            a = m.end()
        while b > a and core[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        s = e + 1
    return out


def frame_score(t: Template) -> float:
    """Support × fixed Han characters (a closed-type slot counts as two)."""
    fixed = _han("".join(t.pieces)) + 2 * sum(s.type in CLOSED_TYPES for s in t.slots)
    return t.support * fixed


# --------------------------------------------------------------------------- the frame


_ITEM = "(?:[^，；：。！？“”《》]|“[^“”]*”|《[^《》]*》)"


def _text_slot(allow_empty: bool) -> str:
    """A free slot: clause characters, quotations and titles whole; never starting with an
    enumerator (一是) or starting or ending with 、."""
    body = f"(?![、·]|[一二三四五六七八九十]是){_ITEM}+?(?<![、·])"
    return f"((?:{body})?)" if allow_empty else f"({body})"


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
                parts.append(re.escape(p))
                if i < len(self.slots):
                    s = self.slots[i]
                    body = closed_pattern(s.type)
                    if body is not None:
                        parts.append(f"((?:{body})?)" if s.n_empty else f"({body})")
                    else:
                        parts.append(_text_slot(bool(s.n_empty)))
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
    pieces: list[str]  # fixed text around slots (len = slots + 1)
    types: list[str]  # slot types ("TEXT" or a closed type)
    empty: list[bool]  # slot may be empty
    key: str  # the literal every match holds (the anchor)
    start_edge: bool  # the first piece starts at a clause start
    end_edge: bool  # the last piece ends at a clause end
    docs: int = 0

    @property
    def text(self) -> str:
        return render(self.pieces, [f"S{i}" for i in range(len(self.types))])


def _content_ok(pieces: Sequence[str], types: Sequence[str], min_fixed: int, min_seg: int) -> bool:
    han = _han("".join(pieces))
    segs = sum(1 for p in pieces if _han(p))
    closed = sum(t in CLOSED_TYPES for t in types)
    if han >= min_fixed:
        return True
    return han >= min_seg and segs + closed >= 2


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
        Fixed Han characters a frame of two fixed segments (or one and a closed slot) needs.
    max_affix : int
        Longest clause opening or ending (characters) tried as fixed text around an anchor.
    overlap : float
        Share of a frame's matches inside better frames' matches that makes it a variant.
    max_frames : int or None
        Keep the best ``max_frames`` frames (None: all).
    max_chain : int
        Most clauses a joined frame spans.
    min_coverage : float
        Share of its matched spans a frame must explain on average (fixed text and closed-type values).
    """

    def __init__(self, min_docs: int | None = None, min_anchor_han: int = 3, min_fixed_han: int = 8,
                 min_segment_han: int = 4, max_affix: int = 8, overlap: float = 0.5,
                 max_frames: int | None = None, max_chain: int = 4, min_coverage: float = 0.5):
        self.min_docs = min_docs
        self.min_anchor_han = min_anchor_han
        self.min_fixed_han = min_fixed_han
        self.min_segment_han = min_segment_han
        self.max_affix = max_affix
        self.overlap = overlap
        self.max_frames = max_frames
        self.max_chain = max_chain
        self.min_coverage = min_coverage

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
            units.extend(document_units(doc.id, doc.text, [(s.start, s.end) for s in doc.structure.sentences]))
        self.units_ = units
        doc_index = {d.id: i for i, d in enumerate(docs)}
        u_doc = np.array([doc_index[u.doc_id] for u in units], dtype=np.int64)
        clauses: list[Clause] = []
        u_clauses: list[list[int]] = []
        for k, u in enumerate(units):
            ids = []
            for a, b in clause_spans(u.core):
                ids.append(len(clauses))
                clauses.append(Clause(k, a, b, u.core[a:b]))
            u_clauses.append(ids)
        c_doc = u_doc[[c.unit for c in clauses]] if clauses else np.zeros(0, dtype=np.int64)
        cands = self._anchor_candidates(clauses, c_doc, len(docs), m)
        cands += self._numeric_candidates(clauses, c_doc, m)
        cands = self._dedupe(cands)
        lib, hits = self._match(cands, units, u_doc, docs, m)
        lib = self._chains(lib, hits, clauses, u_clauses, units, u_doc, docs, m)
        lib = self._select(lib, m)
        lib = self._type(lib, units, docs, m)
        self.library_ = lib
        return self

    # ------------------------------------------------------------------ anchors and their contexts
    def _anchor_candidates(self, clauses: Sequence[Clause], c_doc: np.ndarray, n_docs: int, m: int) -> list[_Cand]:
        from .reuse import TextIndex

        if not clauses:
            return []
        per_doc: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(c_doc.tolist()):
            per_doc[d].append(i)
        texts, starts, owners = [], [], []
        for d in range(n_docs):
            ids = per_doc.get(d, [])
            s = "\n".join(clauses[i].text for i in ids).translate(_DIGITS)
            pos, st = 0, []
            for i in ids:
                st.append(pos)
                pos += len(clauses[i].text) + 1
            texts.append(s)
            starts.append(np.array(st, dtype=np.int64))
            owners.append(np.array(ids, dtype=np.int64))
        ix = TextIndex(texts)
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
            d = ix.doc_of(pos)
            local = pos - ix.doc_starts[d]
            occ = []
            for dd, off in zip(d.tolist(), local.tolist()):
                st = starts[dd]
                j = int(np.searchsorted(st, off, side="right")) - 1
                occ.append((dd, int(owners[dd][j]), off - int(st[j])))
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
            if not left:
                heads[""].add(d)
            else:
                for k in range(1, min(self.max_affix, len(left)) + 1):
                    heads[left[:k]].add(d)
            if not right:
                tails[""].add(d)
            else:
                for k in range(1, min(self.max_affix, len(right)) + 1):
                    tails[right[-k:]].add(d)
        all_docs = {d for d, _, _ in occ}

        def best(table: dict[str, set[int]], prefix: bool) -> list[str]:
            opts = [(len(ds), a) for a, ds in table.items() if a and len(ds) >= m and _han(a) >= 1
                    and a[0 if prefix else -1] not in "、的和及与"]
            if not opts:
                return []
            # the longest affix of each document count (an affix that a longer one extends with the same documents is not kept)
            opts.sort(key=lambda x: (-(x[0] * (la + len(x[1]))), -len(x[1]), x[1]))
            return [opts[0][1]]

        head_opts: list[str | None] = [None] + best(heads, True)
        if len(heads.get("", ())) >= m:
            head_opts.append("")
        tail_opts: list[str | None] = [None] + best(tails, False)
        if len(tails.get("", ())) >= m:
            tail_opts.append("")
        out = []
        for h in head_opts:
            for t in tail_opts:
                sel = [i for i in range(len(occ))
                       if (h is None or (lefts[i].startswith(h) if h else not lefts[i]))
                       and (t is None or (rights[i].endswith(t) if t else not rights[i]))]
                n_docs = len({occ[i][0] for i in sel})
                if n_docs < m:
                    continue
                pieces, types, empty = [""], [], []
                if h is None:
                    lv = [lefts[i] for i in sel]
                    if any(lv):
                        types.append("TEXT")
                        empty.append(not all(lv))
                        pieces.append("")
                elif h:
                    pieces[-1] += h
                    mid = [lefts[i][len(h):] for i in sel]
                    if any(mid):
                        types.append("TEXT")
                        empty.append(not all(mid))
                        pieces.append("")
                pieces[-1] += anchor
                if t is None:
                    rv = [rights[i] for i in sel]
                    if any(rv):
                        types.append("TEXT")
                        empty.append(not all(rv))
                        pieces.append("")
                elif t:
                    mid = [rights[i][: len(rights[i]) - len(t)] for i in sel]
                    if any(mid):
                        types.append("TEXT")
                        empty.append(not all(mid))
                        pieces.append("")
                    pieces[-1] += t
                if not types:
                    continue  # a fixed string: the phrase bank's business
                if not _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han):
                    continue
                out.append(_Cand(pieces, types, empty, anchor, h is not None, t is not None, n_docs))
        return out

    def _numeric_candidates(self, clauses: Sequence[Clause], c_doc: np.ndarray, m: int) -> list[_Cand]:
        """Frames of clauses ending in a number: ``opening{TEXT}{NUM}ending`` keyed by the clause
        opening (2 to ``max_affix`` characters) and the characters after the number."""
        table: dict[tuple[str, str], set[int]] = defaultdict(set)
        rests: dict[tuple[str, str], list[str]] = defaultdict(list)
        for i, c in enumerate(clauses):
            if not any(ch.isdigit() for ch in c.text[-8:]) and "余" not in c.text[-6:] and "多" not in c.text[-6:]:
                continue
            mt = _NUM_TAIL.search(c.text)
            if not mt:
                continue
            head = c.text[: mt.start()]
            after = mt.group(2)
            d = int(c_doc[i])
            for k in range(2, min(self.max_affix, len(head)) + 1):
                if not _HAN.match(head[k - 1]):
                    continue
                table[(head[:k], after)].add(d)
                rests[(head[:k], after)].append(head[k:])
        out = []
        for (h, after), ds in table.items():
            if len(ds) < m or _han(h) < 2:
                continue
            # keep the longest opening with these documents
            longer = [k for k in ((h + x, after) for x in {r[:1] for r in rests[(h, after)] if r}) if k in table
                      and len(table[k]) == len(ds)]
            if longer:
                continue
            mids = rests[(h, after)]
            if any(mids):
                pieces, types, empty = [h, "", after], ["TEXT", "NUM"], [not all(mids), False]
            else:
                pieces, types, empty = [h, after], ["NUM"], [False]
            out.append(_Cand(pieces, types, empty, h, True, True, len(ds)))
        return out

    @staticmethod
    def _dedupe(cands: list[_Cand]) -> list[_Cand]:
        seen: dict[tuple, _Cand] = {}
        for c in cands:
            k = (tuple(c.pieces), tuple(c.types), c.start_edge, c.end_edge)
            if k not in seen or seen[k].docs < c.docs:
                seen[k] = c
        return list(seen.values())

    # ------------------------------------------------------------------ matching
    @staticmethod
    def _template(c: _Cand) -> Template:
        names = typed_names(c.types)
        t = Frame(template_id(render(c.pieces, names)), render(c.pieces, names),
                     [Slot(n, ty, [], int(e)) for n, ty, e in zip(names, c.types, c.empty)], [],
                     open_start=True, open_end=True)
        return t

    def _match(self, cands: list[_Cand], units: Sequence[Any], u_doc: np.ndarray, docs: Sequence[Any],
               m: int) -> tuple[list[Template], dict[int, list[tuple[int, int, int, dict]]]]:
        """Templates of the candidates with support ≥ ``m`` by matching in every sentence core."""
        templates = [self._template(c) for c in cands]
        hits = self._match_all(templates, units)
        keep, out_hits = [], {}
        for k, t in enumerate(templates):
            h = hits.get(k, [])
            if len({int(u_doc[u]) for u, _, _, _ in h}) >= m:
                out_hits[len(keep)] = h
                keep.append(t)
        return keep, out_hits

    @staticmethod
    def _match_all(templates: Sequence[Template], units: Sequence[Any]) -> dict[int, list[tuple[int, int, int, dict]]]:
        """``template index -> [(unit, start, end, values)]`` for every sentence core a template matches."""
        hits: dict[int, list[tuple[int, int, int, dict]]] = defaultdict(list)
        if not templates:
            return hits
        lib = TemplateLibrary(templates)
        core_units: dict[str, list[int]] = defaultdict(list)
        for k, u in enumerate(units):
            core_units[u.core].append(k)
        cores = list(core_units)
        for core, ms in zip(cores, lib.match_cores(cores)):
            for mt in ms:
                idx = _index_of(lib, mt.template)
                for u in core_units[core]:
                    hits[idx].append((u, mt.start, mt.end, mt.values))
        return hits

    # ------------------------------------------------------------------ runs of clauses
    def _chains(self, lib: list[Template], hits: dict[int, list], clauses: Sequence[Clause],
                u_clauses: Sequence[Sequence[int]], units: Sequence[Any], u_doc: np.ndarray,
                docs: Sequence[Any], m: int) -> list[Template]:
        """Join frames (and frequent fixed clauses) that follow each other clause by clause in
        ``min_docs`` documents into frames spanning two to ``max_chain`` clauses."""
        if self.max_chain < 2:
            return lib
        # what covers each clause: frames whose match is exactly that clause, or the clause text when frequent
        clause_docs: dict[str, set[int]] = defaultdict(set)
        for c in clauses:
            clause_docs[c.text].add(int(u_doc[c.unit]))
        labels: dict[int, set[tuple]] = defaultdict(set)  # clause id -> {("F", k) or ("C", text)}
        where: dict[tuple[int, int], int] = {}
        for k, cl in enumerate(u_clauses):
            for ci in cl:
                where[(k, clauses[ci].start)] = ci
        ends = {ci: clauses[ci].end for ci in range(len(clauses))}
        for idx, h in hits.items():
            for u, s, e, _ in h:
                ci = where.get((u, s))
                if ci is not None and ends[ci] == e:
                    labels[ci].add(("F", idx))
        for ci, c in enumerate(clauses):
            if len(clause_docs[c.text]) >= m and _han(c.text) >= 2:
                labels[ci].add(("C", c.text))
        # grow chains: sequences of labels over consecutive clauses of one sentence
        seqs: dict[tuple, set[int]] = defaultdict(set)
        for k, cl in enumerate(u_clauses):
            d = int(u_doc[k])
            for i in range(len(cl)):
                frontier = [((lab,), i) for lab in labels.get(cl[i], ())]
                while frontier:
                    nxt = []
                    for seq, j in frontier:
                        if len(seq) >= 2:
                            seqs[seq].add(d)
                        if len(seq) < self.max_chain and j + 1 < len(cl):
                            for lab in labels.get(cl[j + 1], ()):
                                nxt.append((seq + (lab,), j + 1))
                    frontier = [x for x in nxt if len(seqs.get(x[0][:-1] if len(x[0]) > 2 else x[0], ())) >= m
                                or len(x[0]) == 2]
        new: list[Template] = []
        for seq, ds in seqs.items():
            if len(ds) < m:
                continue
            pieces: list[str] = [""]
            types: list[str] = []
            empty: list[int] = []
            for j, lab in enumerate(seq):
                if j:
                    pieces[-1] += "，"
                if lab[0] == "C":
                    pieces[-1] += lab[1]
                else:
                    t = lib[lab[1]]
                    ps = t.pieces
                    pieces[-1] += ps[0]
                    for s, p in zip(t.slots, ps[1:]):
                        types.append(s.type)
                        empty.append(s.n_empty)
                        pieces.append(p)
            if not types:
                continue  # a run of fixed clauses: a passage or a formula, not a frame
            if not _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han):
                continue
            names = typed_names(types)
            text = render(pieces, names)
            new.append(Frame(template_id(text), text, [Slot(n, ty, [], e) for n, ty, e in zip(names, types, empty)],
                                [], open_start=True, open_end=True))
        return lib + new

    # ------------------------------------------------------------------ selection, typing
    def _select(self, lib: list[Template], m: int) -> list[Template]:
        """Support by matching, ranking by support × fixed content, variants dropped."""
        units = self.units_
        hits = self._match_all(lib, units)
        for k, t in enumerate(lib):
            t.instances = [Instance(units[u].doc_id, units[u].unit_id, "", s, e, 0, 0, v) for u, s, e, v in hits.get(k, [])]
        lib = [t for t in lib if t.support >= m and _coverage(t) >= self.min_coverage]
        lib.sort(key=lambda t: (-frame_score(t), -len(t.instances), t.template))
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        out = []
        for t in lib:
            inside = 0
            for i in t.instances:
                spans = taken.get(i.unit_id, ())
                n = i.end - i.start
                if any(min(i.end, b) - max(i.start, a) >= 0.5 * min(n, b - a) for a, b in spans):
                    inside += 1
            if t.instances and inside >= self.overlap * len(t.instances):
                continue
            out.append(t)
            for i in t.instances:
                taken[i.unit_id].append((i.start, i.end))
            if self.max_frames is not None and len(out) >= self.max_frames:
                break
        return out

    def _type(self, lib: list[Template], units: Sequence[Any], docs: Sequence[Any], m: int) -> TemplateLibrary:
        """Type each slot by its values, rename, match again and fill the instances' evidence."""
        typed = []
        for t in lib:
            pieces = t.pieces
            types = []
            for j, s in enumerate(t.slots):
                vals = [i.slot_values.get(s.name, "") for i in t.instances]
                kind = s.type if s.type in CLOSED_TYPES else frame_slot_type(
                    [trim_value(v) for v in vals], pieces[j], pieces[j + 1])
                types.append(kind)
            names = typed_names(types)
            text = render(pieces, names)
            typed.append(Frame(template_id(text), text,
                                  [Slot(n, ty, [], s.n_empty) for n, ty, s in zip(names, types, t.slots)], [],
                                  open_start=True, open_end=True))
        hits = self._match_all(typed, units)
        by_doc = {d.id: d for d in docs}
        out = []
        for k, t in enumerate(typed):
            insts = []
            for u, s, e, v in hits.get(k, []):
                unit = units[u]
                doc = by_doc[unit.doc_id]
                a, b = unit.core_start + s, unit.core_start + e
                ra, rb = doc.raw_span(a, b)
                insts.append(Instance(unit.doc_id, unit.unit_id, unit.sentence, a, b, int(ra), int(rb), dict(v)))
            t.instances = insts
            if t.support < m:
                continue
            for s in t.slots:
                vals = [i.slot_values.get(s.name, "") for i in insts]
                s.n_empty = sum(1 for v in vals if not v) if s.n_empty else 0
                s.values = sorted({v for v in vals if v})
            out.append(t)
        out.sort(key=lambda t: (-frame_score(t), -len(t.instances), t.template))
        return TemplateLibrary(out)


def _coverage(t: Template) -> float:
    """Mean share of a frame's matched spans that is fixed text or a closed-type value."""
    if not t.instances:
        return 0.0
    fixed = t.fixed_chars
    closed = [s.name for s in t.slots if s.type in CLOSED_TYPES]
    tot = 0.0
    for i in t.instances:
        n = max(1, i.end - i.start)
        tot += min(1.0, (fixed + sum(len(i.slot_values.get(c, "")) for c in closed)) / n)
    return tot / len(t.instances)


def _index_of(lib: TemplateLibrary, t: Template) -> int:
    idx = lib.__dict__.setdefault("_positions", {id(x): i for i, x in enumerate(lib.templates)})
    return idx[id(t)]


# --------------------------------------------------------------------------- tables


def match_table(library: TemplateLibrary, X: Any) -> "pd.DataFrame":
    """One row per match of each frame in ``X``: ``frame_id, frame, doc_id, unit_id, start, end,
    raw_start, raw_end, sentence`` and one column per slot name (``slot:NAME``) with its value."""
    import pandas as pd

    ex = library.extract(X)
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


def wide_table(library: TemplateLibrary, X: Any, min_docs: int = 2) -> "pd.DataFrame":
    """Numeric slots side by side: one row per document, one column per (frame, numeric slot) found
    in ``min_docs`` documents, holding the value of the document's first match (as written)."""
    import pandas as pd

    from .templates import _as_documents

    docs = _as_documents(X)
    ex = library.extract(docs)
    numeric = {"NUM", "PERCENT", "MONEY", "YEAR", "DATE"}
    ex = ex[ex["type"].isin(numeric)] if len(ex) else ex
    table = pd.DataFrame({"doc_id": [d.id for d in docs]})
    if not len(ex):
        return table
    ex = ex.sort_values(["doc_id", "start"], kind="stable")
    order = {t.id: k for k, t in enumerate(library)}
    cols = []
    for (tid, slot), g in sorted(ex.groupby(["template_id", "slot"]), key=lambda x: (order.get(x[0][0], 0), x[0][1])):
        firsts = g.drop_duplicates("doc_id")
        if len(firsts) < min_docs:
            continue
        name = f"{g['template'].iloc[0]} [{slot}]"
        cols.append(pd.Series(dict(zip(firsts["doc_id"], firsts["value"])), name=name))
    if cols:
        table = table.join(pd.concat(cols, axis=1), on="doc_id")
    return table

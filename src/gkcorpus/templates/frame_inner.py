"""Frames inside clauses: fixed wording that starts and ends inside a clause, around an ordinal;
and the other frames added beside the clause miner's selection (:func:`extra_frames`).

The clause frames of :class:`~gkcorpus.templates.frames.FrameMiner` begin and end at clause
boundaries (or begin inside a clause and end at its end). An ordinal names a numbered series of
the genre wherever it stands in a clause (胜利完成第一个五年计划, 在第二个五年计划期间, 第七届全国人民
代表大会): the fixed words after 第 and a numeral, found after different numerals in ``min_docs``
documents, are a frame ``第{ORD}个五年计划`` whose slot holds the numeral, matched anywhere in a
clause (:class:`InnerFrame`).

The words after the numeral are taken at their shortest with at least :data:`MIN_TAIL_HAN` Han
characters and grown while every document keeps them (个五年计 grows to 个五年计划, not to 个五年计划
期间): one frame per series. The numerals must vary (at least two, none holding nearly all the
documents): a single fixed ordinal (第一产业, 第一次) is wording, the phrase bank's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Callable, Sequence

from .frame_model import Frame, _text_slot
from .model import Slot, render, template_id

__all__ = ["InnerFrame", "ORD_RE", "extra_frames", "ordinal_frames"]

MIN_TAIL_HAN = 4  # Han characters after the numeral
MAX_TAIL = 12  # longest fixed text after the numeral
MAX_SLOT = 60  # longest free slot (the phrase bank's longest filler of a gapped formula, ``max_gap_chars``)
ORD_RE = re.compile(r"第([一二三四五六七八九十百零〇]+|\d+)")
_HAN = re.compile("[\u4e00-\u9fff]")


def _inner_text_slot() -> str:
    """A free slot of an inner frame: as a clause frame's (:func:`~gkcorpus.templates.frame_model._text_slot`),
    of at most :data:`MAX_SLOT` characters (a quotation or a title counts as one)."""
    return _text_slot(False, most=MAX_SLOT)


class InnerFrame(Frame):
    """A frame matched anywhere inside a clause: neither its start nor its end needs a clause
    boundary; an ``ORD`` slot holds a numeral after 第, a free slot at most :data:`MAX_SLOT`
    characters (nothing marks where a slot inside a clause ends but the fixed text after it)."""

    inner = True

    def regex(self) -> re.Pattern:
        if self._regex is None:
            parts = []
            for i, p in enumerate(self.pieces):
                parts.append(re.escape(p))
                if i < len(self.slots):
                    parts.append(f"({ORD_RE.pattern[2:-1]})" if self.slots[i].type == "ORD" else _inner_text_slot())
            self._regex = re.compile("".join(parts), re.S)
        return self._regex

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["inner"] = True
        return d


def _tails(texts: Sequence[str], docs: Sequence[int], min_docs: int) -> dict[str, dict[str, set[int]]]:
    """For each fixed text after an ordinal (Han characters only, before the next ordinal), the
    documents of each numeral before it, over all its lengths up to :data:`MAX_TAIL`."""
    out: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for t, d in zip(texts, docs):
        for m in ORD_RE.finditer(t):
            rest = t[m.end():m.end() + MAX_TAIL]
            k = 0
            while k < len(rest) and _HAN.match(rest[k]) and not (rest[k] == "第" and ORD_RE.match(rest, k)):
                k += 1
                out[rest[:k]][m.group(1)].add(d)
    return out


def ordinal_frames(texts: Sequence[str], docs: Sequence[int], min_docs: int) -> list[InnerFrame]:
    """``第{ORD}tail`` frames (see the module docstring) from clause ``texts`` and their ``docs``,
    unmatched (instances empty): the caller matches them over the corpus."""
    table = _tails(texts, docs, min_docs)

    def all_docs(tail: str) -> set[int]:
        return set().union(*table[tail].values()) if tail in table else set()

    out = []
    for tail, by_num in table.items():
        if len(_HAN.findall(tail)) != MIN_TAIL_HAN:
            continue
        ds = all_docs(tail)
        if len(ds) < min_docs or len(by_num) < 2 or max(map(len, by_num.values())) >= 0.9 * len(ds):
            continue  # a fixed ordinal (第一产业) is wording, not a slot
        while True:  # grown while every document keeps it
            longer = [x for x in table if len(x) == len(tail) + 1 and x.startswith(tail) and all_docs(x) == ds]
            if not longer:
                break
            tail = longer[0]
        pieces, names = ["第", tail], ["ORD"]
        text = render(pieces, names)
        out.append(InnerFrame(template_id(text), text, [Slot("ORD", "ORD", [], 0)], [], True, True))
    out.sort(key=lambda f: f.template)
    return out


def extra_frames(texts: Sequence[str], docs: Sequence[int], min_docs: int,
                 words: Callable[[int], list[int]]) -> list[Frame]:
    """Frames the clause miner's selection does not propose, unmatched: the ordinal frames
    (:func:`ordinal_frames`) and the constructions of a function word and a 的-phrase head
    (:func:`~gkcorpus.templates.frame_gaps.headed_constructions`: 是{TEXT}的一年), whose opening floats
    inside the clause (the caller adds the frames of a preposition and its partner,
    :func:`~gkcorpus.templates.frame_pairs.pair_frames`). ``words(i)``: the word boundaries of clause ``i``."""
    from .frame_gaps import headed_constructions
    from .frame_slots import frame_slot_type, trim_value

    out: list[Frame] = list(ordinal_frames(texts, docs, min_docs))
    for fc in headed_constructions(texts, docs, min_docs, words):
        kind = frame_slot_type([trim_value(r[3]) for r in fc.rows], fc.opening, fc.ending)
        text = render([fc.opening, fc.ending], [kind])
        f = Frame(template_id(text), text, [Slot(kind, kind, [], 0)], [], True, True)
        f.floats = True
        out.append(f)
    return out

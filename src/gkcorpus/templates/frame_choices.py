"""Alternations: sibling frames that differ only in the words ending them become one frame whose
ending is a choice.

The genre characterises a year in several words with one head (今年是…的第一年, …的头一年, …的关键一年,
…开局之年): the miner finds ``是{TEXT}第一年`` and ``是{TEXT}的一年`` as two frames, each in part of
the documents, and misses the endings found in fewer than ``min_docs`` documents. Frames that share
all but their last fixed piece (a clause ending after a free slot), where those endings share their
last character and it is a head word of its own (not a localizer such as 下 of 领导下/情况下, a
particle, a preposition, a conjunction, an adverb, or a bound morpheme such as 度 of 力度/态度: those
endings are different frames), are
siblings. Their merge keeps the shared front and ends in a ``CHOICE`` slot whose values are the
siblings' endings and the other endings with that head found after the same front, at a word
boundary, in :data:`MIN_CHOICE_DOCS` documents, at most as long as the longest sibling ending. A
``CHOICE`` slot matches one of its values (:meth:`~gkcorpus.templates.frame_model.Frame.regex`);
``templates fill`` takes one of them; the saved library keeps them as the slot's values.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .frame_model import Frame
from .frame_slots import CLOSED_TYPES, typed_names
from .model import Slot, render, template_id

__all__ = ["CHOICE", "MIN_CHOICE_DOCS", "Siblings", "choice_frame", "probe_frame", "shortest_wordings", "sibling_groups",
           "widened_choices"]

CHOICE = "CHOICE"
MIN_CHOICE_DOCS = 2  # documents an ending found after the front needs to join the choice
# jieba.posseg: localizer, particle, preposition, conjunction, adverb; a tag ending in g is a bound
# morpheme (度 of 力度/态度/制度), not a word
_NOT_HEAD = ("f", "u", "p", "c", "d")
_HAN_ONLY = re.compile("[\u4e00-\u9fff]{2,}")
_HAN = re.compile("[\u4e00-\u9fff]")
_NUMBER_END = re.compile("[0-9０-９%％.．]$")  # an ending after a number is its bound (4.6%以内), not wording
_PROBE = "\x00"  # a placeholder choice, replaced by the probe's pattern


@dataclass
class Siblings:
    """Frames (their indices) sharing ``front`` pieces and slots, their endings sharing ``tail``."""

    members: list[int]
    front: list[str]
    slots: list[Slot]
    floats: bool
    tail: str
    endings: list[str]

    @property
    def longest(self) -> int:
        return max(map(len, self.endings))


def _is_head(tail: str) -> bool:
    from .frame_slots import _tags

    tags = _tags(tail)
    return bool(tags) and not tags[-1][1].startswith(_NOT_HEAD) and not tags[-1][1].endswith("g")


def sibling_groups(frames: Sequence[Any]) -> list[Siblings]:
    """Groups of body frames (plain :class:`Frame`, one kind of opening) sharing their pieces but the
    last and their slots, the last piece two or more Han characters after a free slot, the endings of
    a group sharing their last character, a head (:func:`_is_head`)."""
    by_front: dict[tuple, list[int]] = defaultdict(list)
    for k, f in enumerate(frames):
        pieces = f.pieces
        if (type(f) is not Frame or f.where != "body" or not f.slots or not _HAN.search("".join(pieces[:-1])) or not _HAN_ONLY.fullmatch(pieces[-1])
                or f.slots[-1].type in CLOSED_TYPES or any(s.type == CHOICE for s in f.slots)):
            continue
        key = (tuple(pieces[:-1]), tuple(s.type for s in f.slots), bool(f.floats), pieces[-1][-1])
        by_front[key].append(k)
    out = []
    for (front, _, floats, _), members in sorted(by_front.items()):
        if len(members) < 2:
            continue
        endings = sorted({frames[k].pieces[-1] for k in members})
        tail = os.path.commonprefix([e[::-1] for e in endings])[::-1]
        if len(endings) < 2 or not _is_head(tail):
            continue
        slots = [Slot(s.name, s.type, [], 1) for s in frames[members[0]].slots]
        out.append(Siblings(members, list(front), slots, floats, tail, endings))
    return out


def _frame(g: Siblings, choices: Sequence[str]) -> Frame:
    types = [s.type for s in g.slots] + [CHOICE]
    names = typed_names(types)
    pieces = [*g.front, "", ""]
    text = render(pieces, names)
    slots = [Slot(n, ty, [], s.n_empty) for n, ty, s in zip(names, types, g.slots)]
    slots.append(Slot(names[-1], CHOICE, sorted(choices, key=lambda c: (-len(c), c)), 0))
    f = Frame(template_id(text), text, slots, [], True, True)
    f.floats = g.floats
    return f


def choice_frame(g: Siblings, choices: Sequence[str]) -> Frame:
    """The siblings' merge: their front and a ``CHOICE`` slot of ``choices``, unmatched."""
    return _frame(g, choices)


def probe_frame(g: Siblings) -> Frame:
    """The siblings' front followed by any ending of Han characters with their tail, at most as long
    as the longest sibling ending: matched over the corpus, it finds the endings to choose from."""
    f = _frame(g, [_PROBE])
    wild = f"([\u4e00-\u9fff]{{0,{g.longest - len(g.tail)}}}{re.escape(g.tail)})"
    f._regex = re.compile(f.regex().pattern.replace(f"({re.escape(_PROBE)})", wild), re.S)
    return f


def widened_choices(g: Siblings, probe: Frame | None, cut: Callable[[str], list[str]]) -> list[str] | None:
    """The siblings' endings and the endings of the probe's matches (``probe``, matched; None when
    it matched too few documents) that start at a word boundary (``cut``, the segmenter), not right
    after a number (控制在4.6%以内: the bound belongs to the quantity), and are
    found in :data:`MIN_CHOICE_DOCS` documents; None when they are one wording with words before it
    (:func:`shortest_wordings`: …的作用, …重要作用 are 作用 after free words)."""
    docs: dict[str, set[str]] = defaultdict(set)
    if probe is not None:
        before, last = probe.slots[-2].name, probe.slots[-1].name
        for i in probe.instances:
            seq = i.slot_values.get(before, "") + i.slot_values.get(last, "")
            bounds, pos = {0}, 0
            for w in cut(seq):
                pos += len(w)
                bounds.add(pos)
            ends = [seq[-n:] for n in range(max(2, len(g.tail)), g.longest + 1)
                    if len(seq) > n and len(seq) - n in bounds and _HAN_ONLY.fullmatch(seq[-n:])
                    and not _NUMBER_END.search(seq[:-n])]
            for e in ends:
                docs[e].add(i.doc_id)
    found = {e for e, ds in docs.items() if len(ds) >= MIN_CHOICE_DOCS}
    choices = found | set(g.endings)
    if len(shortest_wordings(choices)) < 2:
        return None  # one head after free words (…作用, …问题): a frame ending in it, not a choice
    return sorted(choices)


def shortest_wordings(choices: set[str]) -> set[str]:
    """The choices that do not end with another choice (的一年 ends with 一年): the different
    wordings of the head, the longer ones being one of them with more words before it."""
    return {c for c in choices if not any(o != c and c.endswith(o) for o in choices)}

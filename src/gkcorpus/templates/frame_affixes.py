"""Words every value of a free slot shares are fixed wording.

A frame assembled from variants can leave a word of its fixed text inside a slot: the slot of
``非金融类对外直接{TEXT}{MONEY}`` starts with 投资 in all four matches (the fixed text ending inside the word
直接投资), the slot of ``国内生产总值{TEXT}{PERCENT}`` ends with 增长 in all 18.
:func:`fold_affixes` moves such a shared prefix or suffix into the fixed text -- whole words only, by the
segmenter, so 积极性 shared as 性 stays in its slot -- and keeps the matches: each is the same stretch of
text, its slot value shorter. Nothing is folded into an empty piece between a free slot and a slot of names
(``{TEXT}{PERSON}``): the name's pattern would take what the free slot held.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from .frame_gaps import word_bounds
from .frame_model import _HAN
from .frame_slots import CLOSED_TYPES
from .model import Instance, Template, render, template_id

__all__ = ["fold_affixes"]

_HAN_RUN = re.compile(_HAN.pattern + "+")


def fold_affixes(t: Template, cut: Callable[[str], list[str]]) -> Template:
    """``t`` with the words all values of a free slot begin (end) with joined to the fixed text before
    (after) it; ``t`` itself when there is none. A slot keeps at least one non-empty value."""
    pieces = list(t.pieces)
    trims: dict[str, tuple[int, int]] = {}
    for k, s in enumerate(t.slots):
        if s.type != "TEXT":
            continue
        vals = [i.slot_values.get(s.name, "") for i in t.instances]
        if not vals or not all(vals):
            continue
        # not into an empty piece beside a slot of names or free text: its pattern would then take the
        # words the free slot held before (a name found by splitting the free value at it)
        pre = _word_affix(vals, cut, suffix=False) if pieces[k] or _closed_before(t, k) else ""
        suf = _word_affix([v[len(pre):] for v in vals], cut, suffix=True) if pieces[k + 1] or _closed_after(t, k) else ""
        if not (pre or suf) or all(len(v) == len(pre) + len(suf) for v in vals):
            continue
        pieces[k] += pre
        pieces[k + 1] = suf + pieces[k + 1]
        trims[s.name] = (len(pre), len(suf))
    if not trims:
        return t
    names = [s.name for s in t.slots]
    text = render(pieces, names)
    insts = []
    for i in t.instances:
        vals = dict(i.slot_values)
        for name, (a, b) in trims.items():
            v = vals.get(name, "")
            vals[name] = v[a:len(v) - b]
        insts.append(Instance(i.doc_id, i.unit_id, i.sentence, i.start, i.end, i.raw_start, i.raw_end, vals))
    out = type(t)(template_id(text), text, [s.__class__(s.name, s.type, [], 0) for s in t.slots], insts,
                  t.open_start, t.open_end)
    for s in out.slots:
        got = [i.slot_values.get(s.name, "") for i in insts]
        s.values = sorted({v for v in got if v})
        s.n_empty = sum(1 for v in got if not v)
    for attr in ("where", "floats", "copied"):
        if hasattr(t, attr):
            setattr(out, attr, getattr(t, attr))
    return out


def _closed_before(t: Template, k: int) -> bool:
    """Whether slot ``k`` is the frame's first or follows a figure slot (a pattern of its own)."""
    return k == 0 or t.slots[k - 1].type in CLOSED_TYPES


def _closed_after(t: Template, k: int) -> bool:
    """Whether slot ``k`` is the frame's last or precedes a figure slot."""
    return k == len(t.slots) - 1 or t.slots[k + 1].type in CLOSED_TYPES


def _word_affix(values: Sequence[str], cut: Callable[[str], list[str]], suffix: bool) -> str:
    """The longest run of Han characters all ``values`` begin (end) with that ends (begins) between two
    words of every value."""
    from .slots import common_affix

    common = common_affix(list(values), suffix)
    runs = _HAN_RUN.findall(common)
    if not runs:
        return ""
    affix = runs[-1] if suffix else runs[0]
    if (common.endswith(affix) if suffix else common.startswith(affix)) is False:
        return ""
    distinct = sorted(set(values))
    words = word_bounds(distinct, cut)
    bounds = {v: set(words(k)) | {len(v)} for k, v in enumerate(distinct)}
    while affix:
        n = len(affix)
        if all(((len(v) - n) if suffix else n) in bounds[v] for v in values):
            return affix
        affix = affix[1:] if suffix else affix[:-1]
    return ""


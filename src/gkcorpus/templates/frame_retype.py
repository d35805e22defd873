"""Slot types decided on a frame's matches: retyping, and numbers and names split out of free slots.

A frame is mined from the clauses that seeded it, but its instances are all its matches in the
corpus; a slot's type is the type of (nearly) all the values it holds there
(:func:`~gkcorpus.templates.frame_slots.frame_slot_type`). These rewrites follow from the matched
values, each giving a frame the miner matches again and keeps when it still holds (nearly) all
its documents:

* **retyping** — a slot whose matched values are (nearly) all of another type takes it: the GDP
  level ``国内生产总值{TEXT}{NUM}`` holding ``13．65万亿元`` is MONEY; a slot typed ORG at mining time
  whose matches hold other phrases is TEXT (a TEXT slot is not retyped: its seeding values were free
  text already, and tagging every value of every free slot is the slow part of typing);
* **a percent sign after a number slot** joins it (``国内生产总值增长{NUM}%左右`` is
  ``国内生产总值增长{PERCENT}``, its values ``7%左右``), and so does 年 after a number slot whose values are
  all four-digit years (``{NUM}年经济社会发展总体要求`` is ``{YEAR}经济社会发展总体要求``, its values ``2019年``);
* **numbers split out** — a free slot whose values (nearly) all end with a quantity (a number with
  its unit, a percent, money; ``共完成4000`` before ``亿元``) becomes a free slot and a typed slot
  (``{TEXT}{MONEY}亿元``); one whose values (nearly) all start with a quantity becomes the typed slot
  and the free slot after it;
* **names split out** — likewise a free slot whose values (nearly) all end (start) with a person, a
  place or an organisation of one type, at least two names apart (:mod:`~gkcorpus.templates.frame_names`:
  jieba's tags nr, ns, nt): ``{TEXT}同志为…`` holding ``在以习近平``, ``这是以胡锦涛`` is
  ``{TEXT}{PERSON}同志为…``. A regex cannot tell where a name starts: the frame cuts the pair of
  slots at the name's edge whenever it matches.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Sequence

from .frame_slots import CLOSED_TYPES, MONEY_RE, NUM_PLUS_RE, PERCENT_PLUS_RE, frame_slot_type, trim_value, typed_names

__all__ = ["quantity_tail", "quantity_head", "retyped"]

SHARE = 0.9  # share of the values that must agree (as for a slot's type)
_QUANTITIES = (PERCENT_PLUS_RE, MONEY_RE, NUM_PLUS_RE)
_NUMERIC = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿]")
_LEAD = "近约共计逾达超过百"  # characters a quantity may open with (近20万, 约3%, 百分之五)
# a percent sign (and a bound) in the fixed text right after a number slot, up to the clause's end
_PERCENT_AFTER = re.compile(r"[%％](?:(?:左右|以上|以内|以下|上下)(?=[，；：]|$))?")
_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d|[〇○零一二三四五六七八九]{4}")
_YEAR_AFTER = re.compile(r"年度?")
_INSIDE_NUMBER = re.compile(r"[\d.．零〇一二两三四五六七八九十百千万亿点]")


def _is_quantity(text: str) -> bool:
    """A number with its unit or a percent; in Chinese numerals only with a place word (十, 百, 万 …),
    a decimal point or a unit after it: numeral words (一, 两, 一一) are wording."""
    if not any(rx.fullmatch(text) for rx in _QUANTITIES):
        return False
    return any(ch.isdigit() for ch in text) or bool(re.search("[十百千万亿点]|[零〇一二两三四五六七八九十百千万亿][^零〇一二两三四五六七八九十百千万亿点]", text))


def quantity_tail(value: str) -> int | None:
    """Where the quantity ending ``value`` starts (``共完成4000`` → 3; ``实际增长8.5％`` → 4), the
    longest one that does not cut a number in two; None when ``value`` does not end with one."""
    for i in range(len(value)):
        if (_NUMERIC.match(value, i) or value[i] in _LEAD) and not (i and _INSIDE_NUMBER.match(value, i - 1)):
            if _is_quantity(value[i:]):
                return i
    return None


def quantity_head(value: str) -> int | None:
    """Where the quantity opening ``value`` ends (``900万人以上的目标`` → 7), the longest one not
    followed by a digit; None when ``value`` does not start with one."""
    if not value or not (_NUMERIC.match(value) or value[0] in _LEAD):
        return None
    for j in range(len(value), 0, -1):
        if (j == len(value) or not _INSIDE_NUMBER.match(value, j)) and _is_quantity(value[:j]):
            return j
    return None


def _values(t: Any, name: str) -> list[str]:
    return [i.slot_values.get(name, "") for i in t.instances]


def _split_plan(t: Any) -> tuple[int, bool, str, int] | None:
    """``(slot index, at its end, type, values left empty)`` for the first free slot whose values
    (nearly) all end (``at its end``) or start with a quantity of one type, or else with a name of
    one type (:func:`_name_plan`); None when no slot does."""
    pieces, slots = t.pieces, t.slots
    for k, s in enumerate(slots):
        if s.type in CLOSED_TYPES:
            continue
        if (k + 1 < len(slots) and pieces[k + 1] == "" and slots[k + 1].type in CLOSED_TYPES) or (
                k and pieces[k] == "" and slots[k - 1].type in CLOSED_TYPES):
            continue  # already next to a number slot
        vals = [v for v in _values(t, s.name) if v]
        if len(vals) < 2:
            continue
        for tail in (True, False):
            cuts: list[int | None] = []
            misses = 0
            for v in vals:  # stops as soon as too many values hold no quantity there
                cuts.append(quantity_tail(v) if tail else quantity_head(v))
                misses += cuts[-1] is None
                if misses > (1 - SHARE) * len(vals):
                    break
            if misses > (1 - SHARE) * len(vals):
                continue
            nums = [v[c:] if tail else v[:c] for v, c in zip(vals, cuts) if c is not None]
            rest = [v[:c] if tail else v[c:] for v, c in zip(vals, cuts) if c is not None]
            kind = frame_slot_type(nums, "" if tail else pieces[k], pieces[k + 1] if tail else "")
            if kind in CLOSED_TYPES and kind not in ("YEAR", "DATE"):
                return k, tail, kind, sum(1 for r in rest if not r) + len(vals) - len(nums) + s.n_empty
        plan = _name_plan(t, k, vals)
        if plan is not None:
            return plan
    return None


def _name_plan(t: Any, k: int, vals: list[str]) -> tuple[int, bool, str, int] | None:
    """``(k, at its end, type, values left empty)`` when (nearly) all ``vals`` of free slot ``k`` end
    (``at its end``) or start with a name of one type (:func:`~gkcorpus.templates.frame_names.name_edge`),
    at least two names apart (one name throughout is fixed wording, not a slot); else None."""
    from .frame_names import NAME_TYPES, name_edge

    pieces, slots = t.pieces, t.slots
    if slots[k].type != "TEXT" or (k + 1 < len(slots) and pieces[k + 1] == "" and slots[k + 1].type in NAME_TYPES) or (
            k and pieces[k] == "" and slots[k - 1].type in NAME_TYPES):
        return None
    vals = _sample(vals)
    for tail in (True, False):
        found: list[tuple[str, str, str]] = []  # (name, rest, type)
        misses = 0
        for v in vals:  # stops as soon as too many values hold no name there
            edge = name_edge(v, tail)
            if edge is None:
                misses += 1
                if misses > (1 - SHARE) * len(vals):
                    break
                continue
            c, kind = edge
            found.append((v[c:], v[:c], kind) if tail else (v[:c], v[c:], kind))
        if misses > (1 - SHARE) * len(vals):
            continue
        kinds = Counter(kind for *_, kind in found)
        kind, n = kinds.most_common(1)[0]
        names = {name for name, _, ty in found if ty == kind}
        if n >= SHARE * len(vals) and len(names) > 1:
            return k, tail, kind, sum(1 for _, rest, _ in found if not rest) + len(vals) - n + slots[k].n_empty
    return None


def _sample(vals: list[str], n: int = 64) -> list[str]:
    """An even sample of ``n`` of the values (sorted: the same values give the same sample), as a
    slot's type is decided on."""
    vals = sorted(vals)
    if len(vals) <= n:
        return vals
    step = len(vals) / n
    return [vals[int(i * step)] for i in range(n)]


def retyped(frames: Sequence[Any]) -> list[tuple[int, Any]]:
    """``(index, frame)`` for each frame whose slots, typed by their matched values, change: the
    rewritten frame (not matched yet; the caller matches it and keeps it when it holds nearly all
    the documents of the original). Open types change in place (their pattern stays); a change
    of a closed type or a number or a name split out of a free slot gives a new frame."""
    from .frame_model import Frame
    from .model import Slot, render, template_id

    out = []
    for k, t in enumerate(frames):
        pieces = list(t.pieces)
        types, empty = [s.type for s in t.slots], [s.n_empty for s in t.slots]
        for j, s in enumerate(t.slots):
            if s.type == "TEXT":
                continue  # typed TEXT on the values that seeded it: only a number split out of it (below)
            kind = frame_slot_type([trim_value(v) for v in _values(t, s.name)], pieces[j], pieces[j + 1])
            if s.type in CLOSED_TYPES and kind not in CLOSED_TYPES:
                continue  # its pattern decides what it holds (a mixture of quantities stays as typed)
            if kind in CLOSED_TYPES and s.type not in CLOSED_TYPES:
                continue  # a free slot gets a number pattern only by a split (below)
            types[j] = kind
        old = [s.type for s in t.slots]
        for j, s in enumerate(t.slots):
            m = _PERCENT_AFTER.match(pieces[j + 1])
            if s.type == "NUM" and m:  # {NUM}%左右: the percent sign and the bound belong to the value
                pieces[j + 1] = pieces[j + 1][m.end():]
                types[j] = "PERCENT"
            y = _YEAR_AFTER.match(pieces[j + 1])
            vals = [v for v in _values(t, s.name) if v]
            if s.type == "NUM" and y and vals and all(_YEAR_NUMBER.fullmatch(v) for v in vals):
                pieces[j + 1] = pieces[j + 1][y.end():]  # {NUM}年 holding 2019: a year
                types[j] = "YEAR"
        plan = _split_plan(t) if types == [s.type for s in t.slots] else None
        if plan is not None:
            j, tail, kind, n_free = plan
            pieces = pieces[: j + 1] + [""] + pieces[j + 1:]
            types[j:j + 1] = ["TEXT", kind] if tail else [kind, "TEXT"]
            n = t.slots[j].n_empty
            empty[j:j + 1] = [n_free, n] if tail else [n, n_free]
        elif types == old and pieces == list(t.pieces):
            continue
        elif all(a == b or (a not in CLOSED_TYPES and b not in CLOSED_TYPES) for a, b in zip(types, old)):
            _rename(t, types)  # open types only: the same pattern, new names
            continue
        names = typed_names(types)
        wording = render(pieces, names)
        f = Frame(template_id(wording), wording, [Slot(n, ty, [], int(e)) for n, ty, e in zip(names, types, empty)],
                  [], True, True)
        f.floats = getattr(t, "floats", False)
        f.where = getattr(t, "where", "body")
        out.append((k, f))
    return out


def _rename(t: Any, types: list[str]) -> None:
    """``t`` with its slots retyped in place (open types: the regex does not change)."""
    from .frame_filters import rename_slots

    rename_slots(t, types)
    t._regex = None  # a closed type has a pattern of its own

"""Names at the edge of a free slot value: a person, a place or an organisation, by jieba's tags.

A free slot often holds free wording and a name side by side: the leadership formula
``{TEXT}同志为…`` holds ``在以习近平``, ``这是以胡锦涛``, the name always at the value's end. A name
there is a word the segmenter's part-of-speech dictionary (``jieba.posseg``) tags

* ``nr`` (``nr``, ``nrfg``, ``nrt``): a **PERSON**, two to four Han characters;
* ``ns``: a **PLACE**, a run of place words with their administrative suffix (省, 自治区 …) checked
  as :func:`~gkcorpus.templates.frame_slots.value_type` checks a place value (no gazetteer
  package: jieba's dictionary covers provinces, cities and counties);
* ``nt``: an **ORG**, the longest run of nouns ending with it that
  :func:`~gkcorpus.templates.frame_slots.value_type` takes for an organisation (中国共产党中央委员会);
  opening a value, also a noun phrase headed by one (``以习近平同志为核心的党中央``, in ``在{TEXT}领导下``),
  when the value opens with a noun or a preposition.

Only the last (first) few words of a value are tagged: a name is short, and tagging whole free
values is the slow part of typing. The same cut is made when a frame's slot is split
(:mod:`~gkcorpus.templates.frame_retype`) and whenever the split frame matches
(:func:`resplit`): a regex cannot tell where a name starts, the segmenter can.
"""

from __future__ import annotations

import re
from typing import Any

from .frame_slots import _ADMIN, NAME_TYPES, _is_org, _is_place, _tags

__all__ = ["NAME_TYPES", "name_edge", "resplit"]

_WINDOW = 12  # characters tagged at a value's end (the longest names: 中国共产党中央委员会)
_HEAD_WINDOW = 24  # characters tagged at its start (an organisation headed by a 的-phrase, as value_type takes it)
_JOINS = ("、", "和", "及", "与")  # words joining names of one kind
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _words(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, tag)`` of the words of ``text``."""
    out, i = [], 0
    for w, f in _tags(text):
        out.append((i, i + len(w), f))
        i += len(w)
    return out


def _is_name_word(tag: str) -> bool:
    """A noun or an abbreviation that is not a person's name: a word an organisation's name holds."""
    return tag[:1] in "nj" and not tag.startswith("nr")


def _tail(text: str, kinds: tuple[str, ...]) -> tuple[int, str] | None:
    """``(start, type)`` of the name of one of ``kinds`` ending ``text``, or None."""
    ws = _words(text)
    if not ws:
        return None
    a, b, f = ws[-1]
    if "PERSON" in kinds and f.startswith("nr") and _PERSON.fullmatch(text[a:b]):
        return a, "PERSON"
    if "PLACE" in kinds:
        j = len(ws)
        while j and (ws[j - 1][2].startswith("ns") or text[ws[j - 1][0]:ws[j - 1][1]] in _ADMIN):
            j -= 1
        while j < len(ws) and not ws[j][2].startswith("ns"):
            j += 1  # a run opens with a place word, not a suffix
        if j < len(ws) and _is_place(text[ws[j][0]:]):
            return ws[j][0], "PLACE"
    if "ORG" in kinds and f == "nt":
        j = len(ws) - 1
        while j and _is_name_word(ws[j - 1][2]):
            j -= 1
        for k in range(j, len(ws)):  # the longest organisation
            if _is_org(text[ws[k][0]:]):
                return ws[k][0], "ORG"
    return None


def _head(text: str, kinds: tuple[str, ...]) -> tuple[int, str] | None:
    """``(end, type)`` of the name of one of ``kinds`` opening ``text``, or None."""
    ws = _words(text)
    if not ws:
        return None
    a, b, f = ws[0]
    if "PERSON" in kinds and f.startswith("nr") and _PERSON.fullmatch(text[a:b]):
        return b, "PERSON"
    if "PLACE" in kinds and f.startswith("ns"):
        j = 1
        while j < len(ws) and (ws[j][2].startswith("ns") or text[ws[j][0]:ws[j][1]] in _ADMIN):
            j += 1
        if _is_place(text[: ws[j - 1][1]]):
            return ws[j - 1][1], "PLACE"
    if "ORG" in kinds and (f[:1] in "nj" or f == "p"):
        # the longest opening of whole words that is an organisation: names (中国共产党的正确 →
        # 中国共产党) or a noun phrase headed by one (以习近平同志为核心的党中央坚强 → …的党中央)
        for k in range(len(ws), 0, -1):
            if ws[k - 1][2][:1] in "nj" and _are_orgs(text, ws[:k]):
                return ws[k - 1][1], "ORG"
    return None


def _are_orgs(text: str, ws: list[tuple[int, int, str]]) -> bool:
    """Whether the words ``ws`` of ``text`` are an organisation, or several joined by 、, 和, 及 or 与
    (党中央、国务院)."""
    parts, start = [], ws[0][0]
    for a, b, _ in ws:
        if text[a:b] in _JOINS:
            parts.append(text[start:a])
            start = b
    parts.append(text[start: ws[-1][1]])
    return all(parts) and all(map(_is_org, parts))


def name_edge(value: str, tail: bool, kinds: tuple[str, ...] = NAME_TYPES) -> tuple[int, str] | None:
    """``(cut, type)`` of the name ending (``tail``) or opening ``value``: where the name starts
    (ends), and whether it is a PERSON, a PLACE or an ORG (the first of ``kinds`` found, in that
    order); None when no such name is there. ``在以习近平`` → ``(2, "PERSON")``."""
    if not value or not ("\u4e00" <= value[-1 if tail else 0] <= "\u9fff"):
        return None
    if tail:
        off = max(0, len(value) - _WINDOW)
        found = _tail(value[off:], kinds)
        return None if found is None else (off + found[0], found[1])
    return _head(value[:_HEAD_WINDOW], kinds)


def resplit(t: Any, values: dict[str, str], spans: dict[str, tuple[int, int]]) -> None:
    """Where a name slot of frame ``t`` lies beside a free slot with no fixed text between them, the
    two values re-cut at the name's edge (:func:`name_edge`), in place: the regex only knows where
    the pair starts and ends. When no name of the slot's type is there, the free slot takes it all
    and the name slot stays empty."""
    slots, pieces = t.slots, t.pieces
    for k in range(len(slots) - 1):
        a, b = slots[k], slots[k + 1]
        if pieces[k + 1]:
            continue
        if a.type == "TEXT" and b.type in NAME_TYPES:
            tail, kind = True, b.type  # free wording, then the name
        elif b.type == "TEXT" and a.type in NAME_TYPES:
            tail, kind = False, a.type  # the name, then free wording
        else:
            continue
        text = values.get(a.name, "") + values.get(b.name, "")
        found = name_edge(text, tail, (kind,))
        cut = found[0] if found else (len(text) if tail else 0)
        values[a.name], values[b.name] = text[:cut], text[cut:]
        if a.name in spans:
            start = spans[a.name][0]
            spans[a.name], spans[b.name] = (start, start + cut), (start + cut, start + len(text))

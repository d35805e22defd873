"""Extraction tables of a frame library: one row per match (:func:`match_table`) and the numeric
slots side by side, one row per document and one column per measure (:func:`wide_table`)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from .frame_slots import BOUND, CLOSED_TYPES, split_quantity
from .library import TemplateLibrary
from .units import _as_documents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["match_table", "wide_table", "measure"]


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


_QUANTITY_TYPES = ("NUM", "PERCENT", "MONEY")
_LEADING = ("t", "r", "c", "p", "d", "v", "u", "m", "q", "x")  # 今年, 其中, 拟安排: not the measure's words
_BOUNDED = re.compile(f"(?:{BOUND.rstrip('?')})$")
_SENTENCE_END = re.compile("[。！？]")
_UNIT = re.compile(r"[%％][\u4e00-\u9fff]{0,4}|[\u4e00-\u9fff]{1,5}")


def _predicate(t: Any, name: str) -> bool:
    """Whether a free slot between a measure and its number holds a predicate (增长, 控制在, 涨幅回落到,
    or nothing): its values in the frame's matches are short (a median of five characters at most),
    not the rest of a noun phrase."""
    lengths = sorted(len(i.slot_values.get(name, "")) for i in t.instances)
    return not lengths or lengths[len(lengths) // 2] <= 5


def _modifies(t: Any, name: str) -> bool:
    """Whether a free slot right before a measure's words often ends in a noun (中央|财政赤字, 地方|财政赤字):
    it then belongs to the measure, which the fixed words alone do not name (a quarter of its filled values)."""
    from .frame_slots import _tags

    vals = [v for v in (i.slot_values.get(name, "") for i in t.instances) if v]
    nouns = sum(1 for v in vals if _tags(v) and _tags(v)[-1][1][:1] in ("n", "j", "s") and _tags(v)[-1][1] != "nr")
    return bool(vals) and 4 * nouns >= len(vals)


def _whole_measure(piece: str) -> bool:
    """Whether the measure named by fixed text is all of its last clause part: no verb opens it (改建农村公路
    names 农村公路, and a free slot before 改建 does not modify the measure)."""
    return measure(piece) == re.split("[，；：]", piece)[-1]


def _verbs_only(piece: str) -> bool:
    """Whether fixed text between a free slot and a number is a predicate alone (增长, 提高到): verbs,
    adverbs, prepositions and particles, no measure."""
    from .frame_slots import _tags

    words = list(_tags(piece))
    return bool(words) and all(tag[:1] in ("v", "d", "p", "u") and tag != "vn" for _, tag in words)


def measure(before: str) -> str:
    """The measure a number after ``before`` (the frame's fixed text in its clause) states, or "":
    its last clause part without the time, modal and verb words that open it (今年拟安排财政赤字 →
    财政赤字) and without a verb that closes it when a noun phrase of four Han characters or more is
    left (国内生产总值增长 → 国内生产总值; 城镇新增就业 stays whole). A number after a predicate alone
    (比上年增加) has no measure of its own."""
    from .frame_slots import _tags

    part = re.split("[，；：]", before)[-1]
    if not part or not re.search("[\u4e00-\u9fff]", part):
        return ""
    words = list(_tags(part))
    while words and words[0][1][:1] in _LEADING and words[0][1] not in ("vn",):
        words.pop(0)
    while len(words) > 1 and words[-1][1][:1] in ("v", "d", "p", "u") and words[-1][1] != "vn":
        rest = words[:-1]
        text = "".join(w for w, _ in rest)
        if len(text) < 4 or rest[-1][1][:1] not in ("n", "j", "s"):
            break
        words = rest
    if words and words[-1][1][:1] in ("f", "t"):
        return ""  # a time or a place relative to something (政务公开前): not a measure
    name = "".join(w for w, _ in words)
    return name if len(re.findall("[\u4e00-\u9fff]", name)) >= 4 else ""


def _measured_by_slot(library: TemplateLibrary) -> dict[tuple[str, str], tuple[str, str]]:
    """``(frame id, slot) -> (free slot, fixed text)`` for the quantities whose measure ends in fixed
    words that a free slot before them modifies (``{TEXT}财政赤字{MONEY}``, TEXT 中央 or 地方): each match
    then names its own measure, the slot's value and those words (中央财政赤字, 地方财政赤字; 今年拟安排
    财政赤字 → 财政赤字)."""
    out = {}
    for t in library:
        pieces = t.pieces
        for k, s in enumerate(t.slots):
            if (s.type in _QUANTITY_TYPES and k > 0 and t.slots[k - 1].type not in CLOSED_TYPES and measure(pieces[k])
                    and _whole_measure(pieces[k])):
                prev = t.slots[k - 1].name
                if _modifies(t, prev):
                    out[(t.id, s.name)] = (prev, pieces[k])
    return out


def _columns(library: TemplateLibrary) -> dict[tuple[str, str], str]:
    """``(frame id, slot) -> column name`` for the numeric slots: a quantity (NUM, PERCENT, MONEY)
    after fixed text naming a measure (:func:`measure`) goes to the column of that measure and type,
    whatever frame states it (``国内生产总值 [PERCENT]`` from 国内生产总值{TEXT}{PERCENT} and from the
    targets sentence's ``…，国内生产总值增长{PERCENT}``); other slots keep a column of their frame
    (``{TEXT}比{YEAR}增长{PERCENT} [PERCENT]``)."""
    out = {}
    for t in library:
        pieces = t.pieces
        for k, s in enumerate(t.slots):
            name = ""
            if s.type in _QUANTITY_TYPES:
                j = k
                while (j > 0 and (not pieces[j] or _verbs_only(pieces[j])) and t.slots[j - 1].type not in CLOSED_TYPES
                       and _predicate(t, t.slots[j - 1].name)):
                    j -= 1  # a short free slot (and a fixed verb: 增长) before the number: the predicate; the measure is before it
                name = measure(pieces[j])
                if (name and j > 0 and t.slots[j - 1].type not in CLOSED_TYPES and _whole_measure(pieces[j])
                        and _modifies(t, t.slots[j - 1].name)):
                    name = ""  # {TEXT}财政赤字{MONEY} with 中央, 地方 before it: the words do not name one measure
            out[(t.id, s.name)] = f"{name} [{s.type}]" if name else f"{t.template} [{s.name}]"
    return out


def _with_unit(value: str, after: str) -> str:
    """A quantity with the unit the frame's fixed text gives it (``8500`` before ``亿元`` → 8500亿元)."""
    m = _UNIT.match(after)
    if not m or (m.end() < len(after) and after[m.end()] not in "，；：。！？"):
        return value
    return value + m.group()


def wide_table(library: TemplateLibrary, X: Any, min_docs: int = 2,
               extracted: "pd.DataFrame | None" = None, split_units: bool = False) -> "pd.DataFrame":
    """Numeric slots side by side: one row per document, one column per measure (a quantity after
    fixed text naming it, :func:`measure`; the frames stating it fold into one column) or per
    other numeric slot, found in ``min_docs`` documents. A value is written with its bound and its
    unit (``8%左右``, ``900万人以上``, ``8500亿元``: the unit from the frame's text after the slot);
    with ``split_units``, the number alone, and its unit in a column ``… unit`` next to it when a
    value of the column has one: ``859万人`` → 859, 万人, as a table of figures keeps them; a value
    that is not one number and a unit stays whole, its unit empty.

    When a column has several matches in a document (a review figure, then the target), the value
    is the match whose sentence (up to 。！？, across ；) holds the most quantities stated with a
    bound (左右, 以内, 以上: targets), then the most other columns (the targets sentence holds the
    growth, jobs and price targets together); ties go to the match nearest the relative position in
    the document where the column's matches concentrate (their median over the corpus), then the first."""
    import pandas as pd

    docs = _as_documents(X)
    ex = library.extract(docs) if extracted is None else extracted
    numeric = {"NUM", "PERCENT", "MONEY", "YEAR", "DATE"}
    by_slot = _measured_by_slot(library)
    own: dict[tuple, str] = {}  # (frame id, doc, unit, start, slot) -> the measure one match names
    if by_slot and len(ex):
        values = {(t, d, u, a, sl): v for t, d, u, a, sl, v in
                  zip(ex["template_id"], ex["doc_id"], ex["unit_id"], ex["start"], ex["slot"], ex["value"])}
        for key, v in values.items():
            got = by_slot.get((key[0], key[4]))
            if got:
                name = measure(values.get((*key[:4], got[0]), "") + got[1])
                if name:
                    own[key] = name
    ex = ex[ex["type"].isin(numeric)] if len(ex) else ex
    table = pd.DataFrame({"doc_id": [d.id for d in docs]})
    if not len(ex):
        return table
    names = _columns(library)
    after = {(t.id, s.name): t.pieces[k + 1] for t in library for k, s in enumerate(t.slots)}
    ex = ex.sort_values(["doc_id", "start"], kind="stable").copy()
    ex["_col"] = [f"{own[(t, d, u, a, s)]} [{ty}]" if (t, d, u, a, s) in own else names.get((t, s), f"{f} [{s}]")
                  for t, s, f, d, u, a, ty in zip(ex["template_id"], ex["slot"], ex["template"], ex["doc_id"],
                                                  ex["unit_id"], ex["start"], ex["type"])]
    ex["value"] = [_with_unit(v, after.get((t, s), "")) if ty in _QUANTITY_TYPES else v
                   for v, t, s, ty in zip(ex["value"], ex["template_id"], ex["slot"], ex["type"])]
    length = {d.id: max(1, len(d.text)) for d in docs}
    ex["_rel"] = [s / length.get(d, 1) for d, s in zip(ex["doc_id"], ex["start"])]
    wide = {c for c, g in ex.groupby("_col") if g["doc_id"].nunique() >= min_docs}
    ex = ex[ex["_col"].isin(wide)]
    if not len(ex):
        return table
    ends = {d.id: [m.end() for m in _SENTENCE_END.finditer(d.text)] for d in docs}
    ex["_sent"] = [bisect.bisect_right(ends.get(d, []), a) for d, a in zip(ex["doc_id"], ex["start"])]
    cols_in_sentence = ex.groupby(["doc_id", "_sent"])["_col"].nunique()
    ex["_others"] = [int(cols_in_sentence[(d, k)]) for d, k in zip(ex["doc_id"], ex["_sent"])]
    # a quantity with a bound (8%左右, 4.6%以内) is stated as a target: a sentence of targets holds several
    ex["_bounded"] = [bool(_BOUNDED.search(v)) for v in ex["value"]]
    bounded = ex[ex["_bounded"]].groupby(["doc_id", "_sent"])["_col"].nunique()
    ex["_targets"] = [int(bounded.get((d, k), 0)) for d, k in zip(ex["doc_id"], ex["_sent"])]
    order = {t.id: k for k, t in enumerate(library)}
    first = ex.assign(_o=[order.get(t, 0) for t in ex["template_id"]]).groupby("_col")["_o"].min()
    cols = []
    for col in sorted(wide, key=lambda c: (first[c], c)):
        g = ex[ex["_col"] == col]
        centre = float(g["_rel"].median())
        g = g.assign(_far=(g["_rel"] - centre).abs())
        best = g.sort_values(["doc_id", "_targets", "_others", "_far", "start"], ascending=[True, False, False, True, True],
                             kind="stable").drop_duplicates("doc_id")
        values = dict(zip(best["doc_id"], best["value"]))
        if split_units:
            parts = {d: split_quantity(v) or (v, "") for d, v in values.items()}
            cols.append(pd.Series({d: p[0] for d, p in parts.items()}, name=col))
            if any(p[1] for p in parts.values()):
                cols.append(pd.Series({d: p[1] for d, p in parts.items()}, name=f"{col} unit"))
        else:
            cols.append(pd.Series(values, name=col))
    if cols:
        table = table.join(pd.concat(cols, axis=1), on="doc_id")
    return table.fillna("")  # a document without the frame has an empty cell, not "nan"

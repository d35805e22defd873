"""Extraction tables of a frame library: one row per match (:func:`match_table`) and the numeric
slots side by side, one row per document (:func:`wide_table`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .frame_slots import split_quantity
from .library import TemplateLibrary
from .units import _as_documents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["match_table", "wide_table"]


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
               extracted: "pd.DataFrame | None" = None, split_units: bool = False) -> "pd.DataFrame":
    """Numeric slots side by side: one row per document, one column per (frame, numeric slot) found
    in ``min_docs`` documents (as written; with ``split_units``, the number alone, and its unit in a
    column ``… unit`` next to it when a value of the column has one: ``859万人`` → 859, 万人, as a table
    of figures keeps them; a value that is not one number and a unit stays whole, its unit empty).

    When a frame matches a document more than once (a review figure, then the target), the value is
    the match whose sentence holds the most other numeric frames (the targets sentence holds the
    growth, jobs and price targets together); ties go to the match nearest the relative position in
    the document where the frame's matches concentrate (their median over the corpus), then the first."""
    import pandas as pd


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
        values = dict(zip(best["doc_id"], best["value"]))
        if split_units:
            parts = {d: split_quantity(v) or (v, "") for d, v in values.items()}
            cols.append(pd.Series({d: p[0] for d, p in parts.items()}, name=name))
            if any(p[1] for p in parts.values()):
                cols.append(pd.Series({d: p[1] for d, p in parts.items()}, name=f"{name} unit"))
        else:
            cols.append(pd.Series(values, name=name))
    if cols:
        table = table.join(pd.concat(cols, axis=1), on="doc_id")
    return table.fillna("")  # a document without the frame has an empty cell, not "nan"

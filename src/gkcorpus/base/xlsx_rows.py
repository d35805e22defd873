"""The rows of a worksheet as the XML openpyxl writes for them, produced a column at a time.

:func:`~gkcorpus.base.export.write_xlsx` lets pandas and openpyxl write each sheet's header (and
the workbook around it) and splices in the body rows built here: the same bytes as writing every
cell through pandas and openpyxl, several times faster. The rules are openpyxl's (3.1, the
et_xmlfile writer) for the values pandas passes it when ``na_rep=""`` and ``inf_rep="inf"``: text
as an inline string (``xml:space="preserve"`` when it has outer whitespace, cut at 32,767
characters), Excel error codes as errors, numbers as ``"%.16g"``, booleans as 1/0, missing values
as empty text cells. A column holding anything else (dates, decimals, numpy objects) is not
handled: :func:`body_rows` returns ``None`` and the caller writes the sheet the slow way.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

__all__ = ["body_rows", "column_letter"]

MAX_CHARS = 32767  # Excel's limit on a cell's text (openpyxl cuts, pandas warns first)
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl refuses these characters


def column_letter(i: int) -> str:
    """Excel's name of the 1-based column ``i`` (1 → A, 27 → AA)."""
    out = ""
    while i > 0:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _escape(text: str) -> str:
    # ElementTree's character-data escaping, which et_xmlfile uses
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_EMPTY = '" t="inlineStr" />'


def _text(v: str) -> str | None:
    """The cell XML after its reference for a text value; None where openpyxl would raise or pandas warn."""
    if not v:
        return _EMPTY
    if len(v) > MAX_CHARS or _ILLEGAL.search(v):
        return None
    if v in ERROR_CODES:
        return f'" t="e"><v>{_escape(v)}</v></c>'
    stripped = v.strip()
    space = ' xml:space="preserve"' if stripped and stripped != v else ""
    return f'" t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>'


def _cell(v: Any) -> str | None:
    """The cell XML after its reference (``<c r="A2`` comes first) for a value pandas would pass on."""
    t = type(v)
    if t is str:
        return _text(v)
    if t is float:
        if math.isnan(v):
            return _EMPTY
        if math.isinf(v):
            return _text("inf" if v > 0 else "-inf")
        return f'" t="n"><v>{"%.16g" % v}</v></c>'
    if t is bool:
        return f'" t="b"><v>{"%.16g" % v}</v></c>'
    if t is int:
        return f'" t="n"><v>{"%.16g" % v}</v></c>'
    if v is None:
        return _EMPTY
    return None


def _text_cells(values: list[str]) -> list[str | None]:
    """:func:`_text` of each value of a column of text: the common case (text without outer whitespace,
    XML special characters or anything openpyxl refuses, not an error code) in one pass, the rest
    value by value."""
    joined = "\n".join(values)  # a line break is legal in a cell and in the search below
    if _ILLEGAL.search(joined) or "&" in joined or "<" in joined or ">" in joined:
        return [_text(v) for v in values]
    cells = [f'" t="inlineStr"><is><t>{v}</t></is></c>' for v in values]
    for i, v in enumerate(values):
        if not v or len(v) > MAX_CHARS or v[0].isspace() or v[-1].isspace() or v in ERROR_CODES:
            cells[i] = _text(v)
    return cells


def body_rows(df: Any) -> str | None:
    """``<row>`` elements for every data row of ``df`` (rows 2…, under the header pandas writes), or
    ``None`` when a value is of a kind this writer does not reproduce."""
    import pandas as pd

    if isinstance(df.columns, pd.MultiIndex) or df.shape[1] == 0:
        return None
    rows = [str(i + 2) for i in range(len(df))]
    cols = []
    for j in range(df.shape[1]):
        col = df.iloc[:, j]
        if not (pd.api.types.is_object_dtype(col.dtype) or pd.api.types.is_string_dtype(col.dtype)
                or col.dtype.kind in "biuf"):
            return None
        values = col.tolist()
        if col.dtype.kind in "iu":  # Python ints: no call per cell
            cells = [f'" t="n"><v>{"%.16g" % v}</v></c>' for v in values]
        elif all(type(v) is str for v in values):
            cells = _text_cells(values)
        else:
            cells = [_cell(v) for v in values]
        if None in cells:
            return None
        letter = column_letter(j + 1)
        cols.append([f'<c r="{letter}{r}{x}' for r, x in zip(rows, cells)])
    # row after row: its start tag, its cells in column order, its end tag
    return "".join(itertools.chain.from_iterable(zip([f'<row r="{r}">' for r in rows], *cols,
                                                     itertools.repeat("</row>"))))

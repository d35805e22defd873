"""The mojibake damage model run forwards: corrupt clean text the way the seed page was damaged.

A test oracle for the repair in :mod:`gkcorpus.text.clean.mojibake`: a sentence corrupted here
must come back unchanged.
"""

from __future__ import annotations

import re
from typing import Sequence

from gkcorpus.text.clean.mojibake import (
    _B_MARKS,
    _HW_TABLE,
    _decode_drop,
    _gbk,
    _Glosses,
    _pair,
    load_gloss_table,
)


def _annotate(data: bytes, glosses: _Glosses, order: Sequence[str] | None = None) -> bytes:
    """Mechanism (a): for each listed char in turn, insert its gloss after every byte match."""
    for char in order or glosses.table:
        b = _gbk(char)
        if b is None:
            continue
        data = data.replace(b, b + ("(" + glosses.table[char] + ")").encode("gbk"))
    return data


def _decode_question(data: bytes) -> str:
    """Decoder of mechanism (a): an undecodable pair becomes ``?`` and both bytes are lost."""
    out: list[str] = []
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        ch = _pair(b, data[i + 1]) if i + 1 < len(data) else None
        out.append(ch if ch is not None else "?")
        i += 2
    return "".join(out)


def _replace_marks(data: bytes) -> bytes:
    """Mechanism (b): bytes A3 AC/BB/BF/A1 become , ; ? ! wherever they are."""
    inverse = {v: k.encode() for k, v in _B_MARKS.items()}
    return re.sub(rb"\xa3[\xac\xbb\xbf\xa1]", lambda m: inverse[m.group()[1]], data)


def _corrupt(
    text: str,
    glosses: _Glosses | None = None,
    *,
    marks: bool = True,
    stray_a1: bool = False,
    order: Sequence[str] | None = None,
) -> str:
    """Replay the page's damage on one line of clean Traditional text (full-width punctuation).

    Glosses are inserted (mechanism a), the bytes decoded with ``?``; the result re-encoded,
    optionally prefixed by a stray A1 (c), full-width marks replaced at byte level (b) and
    decoded dropping bad bytes; finally the character-level half-width step.
    """
    glosses = glosses or _Glosses(load_gloss_table())
    stage1 = _decode_question(_annotate(text.encode("gbk"), glosses, order))
    data = stage1.encode("gbk")
    if stray_a1:
        data = b"\xa1" + data
    if marks:
        data = _replace_marks(data)
    return _decode_drop(data)[0].translate(_HW_TABLE)

"""Headings with their wording variables masked, so that one part's headings read alike across years.

``一、2025年工作回顾`` and ``一、过去一年工作回顾`` are both ``Y工作回顾``: the part typer's heading features and
the names of part and section types use this form.
"""

from __future__ import annotations

import re
from typing import Collection, Mapping

from ..text.structure import CLAUSE_BREAKS

__all__ = ["normalise_heading", "masked_heading_counts", "heading_prefix", "MASK_LEGEND"]

#: how to read a masked heading, for the outputs that show them
MASK_LEGEND = "Headings have their variables masked: Y a year (2025年, 今年), P a five-year plan (“十四五”), N a count."

_CN_NUM = "〇零○一二三四五六七八九十百千两"
_MASKS = (
    (re.compile(r"[“\"‘]?(?:第[" + _CN_NUM + r"]+个|[" + _CN_NUM + r"]{1,3})五(?:年计划|计划|规划)?[”\"’]?"), "P"),  # 十四五, 第六个五年计划
    (re.compile(r"(?:\d\s*){4}\s*年|[" + _CN_NUM + r"]{4}年|[0-9xX]{2,4}年"), "Y"),  # 2025年, 一九八九年, 20xx年
    (re.compile(r"今年|去年|明年|过去一年|一年来|过去的一年"), "Y"),
    # counts (三年, 四个, 两大); not the 一 of a word (统一大业, 同一个, 唯一)
    (re.compile(r"\d+(?:\.\d+)?|(?<![统唯同万])[" + _CN_NUM + r"]+(?=[年个项条点大])"), "N"),
    (re.compile(r"^(?:[（(]?[" + _CN_NUM + r"\d]+[）)]?[、．.]?\s*)"), ""),  # a leading enumerator
    (re.compile(r"^关于(?:我国的?)?|^对"), ""),
)


def normalise_heading(text: str) -> str:
    """A heading with its wording variables masked: plan numbers → P, years → Y, counts → N.

    ``一、“十四五”时期和2025年工作回顾`` → ``P时期和Y工作回顾``; ``二、关于1 9 9 8 年政府工作的建议`` →
    ``Y政府工作的建议``.
    """
    t = text.strip()
    for rx, rep in _MASKS:
        t = rx.sub(rep, t)
    return re.sub(r"\s+", "", t).strip("，、：:。")


def masked_heading_counts(headings: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """``(heading, count)`` pairs summed by masked heading, most frequent first (then first met)."""
    out: dict[str, int] = {}
    for h, n in headings:
        m = normalise_heading(h)
        out[m] = out.get(m, 0) + n
    return sorted(out.items(), key=lambda kv: -kv[1])


def heading_prefix(heading: str, known: Mapping[str, Collection[str]], doc_id: str, min_chars: int = 4) -> str:
    """The longest prefix of a heading that runs into its text which another document has as a heading line of
    its own (masked; ``known`` maps a masked heading to the documents holding it), else the heading unchanged.

    A source that lost its line breaks runs the heading into the first sentence (``2013年工作回顾过去一年是本届
    政府依法履职的第一年，任务艰巨而繁重``); no mark inside the line says where the heading ends, but the other
    reports' ``Y工作回顾`` does. The cut must fall where no mark is (between two characters that are not
    punctuation), the rest must read as a sentence (a clause break ``，；：`` in it) and hold ``min_chars``
    characters: ``加强组织领导，强化责任落实`` and ``基本情况和主要成效`` stay whole.
    """
    for k in range(len(heading) - min_chars, min_chars - 1, -1):
        if not (heading[k - 1].isalnum() and heading[k].isalnum()):
            continue
        if not any(c in CLAUSE_BREAKS for c in heading[k:]):
            continue
        masked = normalise_heading(heading[:k])
        if len(masked) >= min_chars and any(d != doc_id for d in known.get(masked, ())):
            return heading[:k]
    return heading


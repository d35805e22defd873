"""Genre of an official document from its outline vocabulary: work plan or summary.

Clustering cannot tell a work plan (方案/计划: 指导思想 → 基本原则 → 工作步骤 → 保障措施) from a
summary (总结: 基本情况 → 主要做法 → 存在问题 → 下一步打算) when they share their topic words: the two
bundled plans share no heading with each other. Their genres show in the conventional section
names, which this module looks up in two small shipped lexicons, and in a few opening and body cues
(``特制定本方案`` / ``现将…总结如下``, ``今年以来``). Transparent rules with their evidence, not a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Document

__all__ = ["GenreGuess", "guess_genre", "PLAN_HEADINGS", "SUMMARY_HEADINGS"]

# Conventional section names (matched inside level-1/level-2 headings; the longest match wins).
PLAN_HEADINGS = (
    "指导思想", "基本原则", "工作原则", "总体要求", "工作目标", "目标任务", "主要目标", "主要任务", "重点任务",
    "主要内容", "工作内容", "公开内容", "实施范围", "具体工作", "工作步骤", "实施步骤", "方法步骤", "步骤安排",
    "时间安排", "进度安排", "保障措施", "组织保障", "工作措施",
)
SUMMARY_HEADINGS = (
    "基本情况", "总体情况", "开展情况", "工作开展情况", "主要做法", "工作做法", "做法及成效", "主要成效", "工作成效",
    "取得成效", "主要成绩", "存在问题", "存在的问题", "主要问题", "存在不足", "下一步", "工作打算", "工作计划",
    "活动体会", "经验体会", "几点体会",
)
_PLAN_CUES = re.compile(r"特制定本?(?:方案|计划)|制定本(?:方案|计划)|(?:方案|计划)如下|现制定|实施方案如下")
_SUMMARY_CUES = re.compile(
    r"总结如下|汇报如下|报告如下|今年以来|一年来|取得了|圆满完成|开展了"
    r"|(?:制定|方便|进行|组织|设立|发放|接待|解答|受到|收到|举办|召开)了"
    r"|于\d{1,2}月\d{1,2}(?:日|至\d{1,2}日)(?!前)"  # a dated action in the past, not a deadline
)


@dataclass
class GenreGuess:
    """``genre`` is "plan", "summary" or "unknown"; ``evidence`` lists what decided it."""

    doc_id: str
    genre: str
    plan_score: int
    summary_score: int
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _heading_hit(text: str) -> tuple[str, str] | None:
    best: tuple[int, str, str] | None = None
    for genre, words in (("plan", PLAN_HEADINGS), ("summary", SUMMARY_HEADINGS)):
        for w in words:
            if w in text and (best is None or len(w) > best[0]):
                best = (len(w), genre, w)
    return (best[1], best[2]) if best else None


def guess_genre(doc: "Document", heading_weight: int = 2) -> GenreGuess:
    """Score a document's headings (weight 2 each) and opening/body cues (1 each) for plan vs summary."""
    scores = {"plan": 0, "summary": 0}
    evidence: list[str] = []
    for h in doc.structure.headings:
        if h.level > 2:
            continue
        hit = _heading_hit(h.text)
        if hit:
            scores[hit[0]] += heading_weight
            evidence.append(f"heading {h.marker}{h.text} ({hit[0]}: {hit[1]})")
    for genre, rx in (("plan", _PLAN_CUES), ("summary", _SUMMARY_CUES)):
        for m in rx.finditer(doc.text):
            scores[genre] += 1
            evidence.append(f"cue {m.group()} ({genre})")
    if scores["plan"] > scores["summary"]:
        genre = "plan"
    elif scores["summary"] > scores["plan"]:
        genre = "summary"
    else:
        genre = "unknown"
    return GenreGuess(doc.id, genre, scores["plan"], scores["summary"], evidence)

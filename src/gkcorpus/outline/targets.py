"""The part that sets the year's (or the plan period's) targets, found by its place and its content.

A work report (and a plan) states its overall requirements and targets -- 总体要求, 指导思想/指导方针,
奋斗目标, 主要预期目标, growth "7%左右" -- in a part of its own between the review and the tasks, under
headings that change with every era (1981年国民经济计划的任务和主要指标, “七五”时期的基本任务…,
2005年工作总体部署, 2018年经济社会发展总体要求和政策取向). Its wording does not name it; its place
and its words do:

* place: it is not the document's first body part (the review, or an unheaded opening review) and the
  body parts after it hold more text than it does (it introduces the tasks);
* content: target-setting words (:data:`TARGET_WORDS`) at a density of at least ``min_density`` per
  thousand characters, and the highest such density in its document (one such part per document).

The single task chapter of a report that states its targets at its head (2010年主要任务) is long, so
its density stays low; a short part announcing the year's targets is dense.

Some older reports name the part in its heading but hold the plan's targets and tasks at length
(1991年计划的主要目标和任务, “七五”时期的基本任务和主要建设方针: density 0.6-0.8, longer than what
follows). :func:`named_targets_parts` finds these: in a document where no part passes the rule above,
the body part after the first whose heading holds a target word (the densest, if several). The first
body part is excluded here too (当前国内形势和基本任务 and 1998年工作回顾和1999年工作的总体要求 head
reviews). A plan names the part 工作目标 or 目标任务 (:data:`PLAN_TARGETS`), taken too when it is not the last body
part (a summary's 下一步工作目标 is its plans).
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["TARGET_WORDS", "PLAN_TARGETS", "target_density", "find_targets_parts", "named_targets_parts"]

TARGET_WORDS = re.compile(
    r"主要预期目标|预期目标|总体要求|总的要求|指导思想|指导方针|奋斗目标|主要目标|主要指标|基本任务|政策取向"
    r"|(?<!前后)左右(?!为难|逢源|摇摆)"
)


#: a plan's heading naming the targets, beside the target words: 工作目标, 目标任务 (words that a report's text
#: uses for other things, 完成全年目标任务, so they are read in headings only, and not in the last body part: a summary's
#: 下一步工作目标 is its plans)
PLAN_TARGETS = re.compile(r"工作目标|目标任务")


def target_density(text: str) -> float:
    """Target-setting words per thousand characters of ``text``."""
    return 1000 * len(TARGET_WORDS.findall(text)) / max(len(text), 1)


def find_targets_parts(docs: Sequence[str], texts: Sequence[str], body: Sequence[bool],
                       min_density: float) -> list[bool]:
    """Which parts set the targets. ``docs``, ``texts`` and ``body`` give every part in document order (its
    document, its text, whether it is a body part: not an opening, closing or appendix)."""
    out = [False] * len(texts)
    by_doc: dict[str, list[int]] = {}
    for i, (d, b) in enumerate(zip(docs, body)):
        if b:
            by_doc.setdefault(d, []).append(i)
    for rows in by_doc.values():
        best, best_density = None, min_density
        for k, i in enumerate(rows[1:], start=1):
            after = sum(len(texts[j]) for j in rows[k + 1:])
            density = target_density(texts[i])
            if after > len(texts[i]) and density >= best_density:
                best, best_density = i, density
        if best is not None:
            out[best] = True
    return out


def named_targets_parts(docs: Sequence[str], texts: Sequence[str], headings: Sequence[str], body: Sequence[bool],
                        found: Sequence[bool]) -> list[bool]:
    """Which parts set the targets by their heading. ``docs``, ``texts``, ``headings`` ("" when none) and
    ``body`` give every part in document order; ``found`` marks the targets parts already found by
    :func:`find_targets_parts` (a document holding one gets no other)."""
    out = [False] * len(texts)
    by_doc: dict[str, list[int]] = {}
    for i, (d, b) in enumerate(zip(docs, body)):
        if b:
            by_doc.setdefault(d, []).append(i)
    for d, rows in by_doc.items():
        if any(found[i] for i in range(len(docs)) if docs[i] == d):
            continue
        named = [i for i in rows[1:] if TARGET_WORDS.search(headings[i] or "")
                 or (i != rows[-1] and PLAN_TARGETS.search(headings[i] or ""))]
        if named:
            out[max(named, key=lambda i: (target_density(texts[i]), -i))] = True
    return out

"""The practices of a summary: the work done, under one heading or as chapters each headed by one of its themes.

A summary (工作总结) reports the work done either under a heading that names it (主要做法, 主要做法及成效,
主要举措) or as a run of chapters each headed by a theme of that work, usually a slogan (领导重视，周密部署 /
加强宣传，营造氛围 / 强化监督调度). Beside them stand chapters headed by the genre's section names: the situation
(基本情况, 开展情况), the results (工作成效), the lessons (活动体会), the problems (存在问题) and the next steps
(下一步工作打算). Clustering types the themed chapters by their theme and place (the leadership chapter first,
the one on publicity second), so one part comes out as several; the genre says they are one.

In a document guessed to be a summary (:func:`gkcorpus.features.genre.guess_genre`), a chapter is a practices
part when its heading names the work done (:data:`PRACTICES_HEADING`: 做法, 举措, 主要工作 …) before any other section
name (主要做法及成效, not 主要成效和做法), or names a theme: a slogan of two clauses, whatever its words (巩固专项治理成果
is an object of the work, 建章立制，巩固专项治理成果 a theme), or a heading naming none of the genre's sections (the
lexicons of :mod:`gkcorpus.features.genre`, and :data:`SECTION_NAME`). Never when it names what the genre puts after
the work done (:data:`AFTER_WORK`: problems, lessons, next steps); and a heading that does not name the work done
but ends on the state or the list of something (:data:`STATUS`: 主动公开政府信息情况, 其他需要报告的事项, 2024年工作要点)
is a chapter of a set outline (the annual report on government information) or a plan, left to the clustering.
A plan or a work report has no such part: their themed chapters are tasks or parts of their own (reform, foreign
affairs), which their clustering keeps apart.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..features.genre import PLAN_HEADINGS, REPORT_HEADINGS, SUMMARY_HEADINGS
from ..text.structure import CLAUSE_BREAKS

__all__ = ["PRACTICES_HEADING", "SECTION_NAME", "AFTER_WORK", "STATUS", "names_practices", "find_practices_parts"]

#: a heading naming the work done (主要做法, 主要举措和成效, 2023年工作回顾)
PRACTICES_HEADING = re.compile(r"做法|举措|措施|工作回顾|主要工作(?!成效|成绩|成果)")
#: what the genre puts after the work done: problems and difficulties, lessons, the next steps
AFTER_WORK = re.compile(r"问题|不足|差距|短板|困难|薄弱|存在|体会|经验|启示|下一步|今后|打算|计划|思路|安排|设想|谋划|展望|建议")
#: a section name of the genre beside the lexicons: the situation, the results, the targets and requirements
SECTION_NAME = re.compile(r"概况|概述|成效|成绩|成果|成就|亮点|目标|要求|原则|步骤")
#: a heading ending on the state or the list of something (信息公开平台建设情况, 其他需要报告的事项, 2024年工作要点) names a
#: chapter of a set outline (the annual report on government information, 政府信息公开工作年度报告) or a plan, not a theme
STATUS = re.compile(r"(?:情况|事项|要点|重点)[。.]?$")
#: the genre lexicons' section names, but those naming the work done (主要做法, 工作措施, 工作回顾)
_LEXICON = re.compile("|".join(sorted({w for w in (*SUMMARY_HEADINGS, *PLAN_HEADINGS, *REPORT_HEADINGS)
                                       if not PRACTICES_HEADING.search(w)}, key=lambda w: (-len(w), w))))


def names_practices(heading: str) -> bool:
    """Whether a summary's chapter heading is the practices part: nothing that comes after the work done, and the
    work done named before any other section name (主要做法及成效), or a theme of it (a slogan of two clauses, or no
    section name of the genre and no state or list)."""
    if not heading or AFTER_WORK.search(heading):
        return False
    names = [m.start() for rx in (SECTION_NAME, _LEXICON) for m in [rx.search(heading)] if m]
    practices = PRACTICES_HEADING.search(heading)
    if practices:  # 主要做法及成效, 2023年主要工作完成情况
        return not names or practices.start() < min(names)
    if any(c in CLAUSE_BREAKS for c in heading.rstrip("。.")):  # a slogan of two clauses (强化组织领导，突出工作重点)
        return True
    return not STATUS.search(heading) and not names


def find_practices_parts(genres: Sequence[str], headings: Sequence[str], body: Sequence[bool]) -> list[bool]:
    """Which parts are a summary's practices: a body part (not an opening, closing or appendix) with a heading of
    its own, in a document whose genre (``genres``, one per part) is "summary", that :func:`names_practices`."""
    return [g == "summary" and b and names_practices(h) for g, h, b in zip(genres, headings, body)]

"""The part on the government's own conduct (政府自身建设), found by its heading or by the words that open it.

Work reports end their body with the government turning to itself: administrative reform, government by
law, clean and diligent government, work style, the Party's discipline in the government. Some give it a chapter
(加强政府自身建设, 从严治政…, 进一步转变政府职能，加强政风建设, 认真进行行政管理体制和政府机构改革, 深入推进政府治理创新);
many give it no heading at all, a coda after the last task opened by an address (各位代表！…对政府工作提出新的更高要求,
做好政府工作，必须加强自身改革建设). Its place is the place other reports give the political and legal order
(democracy and law) or foreign affairs, and reports rarely hold both, so the co-occurrence cut of the part
typer reads the two as one part in two eras' wording; its words say which it is. In a document addressed to the
deputies (各位代表, a work report), the last body part after the first (the review) that is

* a chapter whose heading names the government as what is built, reformed or run, or its conduct
  (:data:`OWN_CONDUCT_HEADING`: 政府自身, 政府职能, 政府治理, 政风, 作风, 廉政, 从严治党, 自我革命, 机构改革, 高效/法治/
  服务型…政府, 行政管理体制 …), not the government's work (对今年政府工作的建议 heads the tasks) and no other subject
  beside it (:data:`OTHER_SUBJECT`: 加强民主法制建设，全面推进依法行政 is the chapter on democracy and law);
* or a coda whose first sentence, after its address (with the next, after a short maxim such as 打铁必须自身硬),
  turns to the government's own work or names its conduct (:data:`OWN_CONDUCT_OPENER`: 政府工作, 各级政府, 自身建设 …,
  or the words of such a heading) and not
  to the subject of one of the addresses that follow it (各级政府要大力支持国防和军队建设); the part finder splits
  the coda there (:func:`gkcorpus.outline.parts.find_parts`).

A summary or a plan on 法治政府 or 政务公开 speaks of the government throughout and has no such part.
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["ADDRESS", "OWN_CONDUCT_HEADING", "OWN_CONDUCT_OPENER", "find_own_conduct_parts", "names_own_conduct", "opens_on_own_conduct"]

#: the government's own conduct, in the first sentence of the coda that turns to it
OWN_CONDUCT_OPENER = re.compile(
    r"政府工作|各级政府|政府自身|自身建设|自身改革|自身硬|自我革命|(?<!数字)政府建设|从严治[党政]|履职|作风|廉洁|廉政"
)
#: a heading naming the government as what is built or reformed, or its conduct (not 政府工作, the government's
#: work: the tasks, unless it is to be improved)
OWN_CONDUCT_HEADING = re.compile(
    r"政府(?:自身|职能|机构|治理|作风|系统)|(?<!数字)政府建设|自身建设|自我革命|政风|作风|廉政|反腐|官僚主义|从严治[党政]"
    r"|机构改革|行政(?:管理)?体制|行政能力|依法行政|改进政府工作|政府工作的改进"
    r"|(?:型|高效|法治|廉洁|廉政|满意)的?政府"
)
#: a heading joining the government's conduct to another subject is that subject's chapter (加强民主法制建设，全面推进
#: 依法行政; 全面深化改革，加快转变政府职能)
OTHER_SUBJECT = re.compile(r"民主|法制|市场|营商|经济|深化改革|改革开放")
#: the subjects of the addresses after the coda (各级政府要大力支持国防和军队建设 opens one of them)
ADDRESSED_SUBJECTS = re.compile(r"国防|军队|双拥|民族|宗教|港澳|香港|澳门|台湾|侨|外交")
#: the address to the deputies opening a block (各位代表！, 各位代表、同志们：)
ADDRESS = re.compile(r"^各位代表(?:[、，,]同志们)?[！!：:，,]")
_SENTENCE_END = re.compile(r"[。！？]")
_ADDRESS_ANYWHERE = re.compile(r"^\s*" + ADDRESS.pattern[1:], re.MULTILINE)
MAXIM_CHARS = 12  # a first sentence shorter than this (打铁必须自身硬, 新的征程呼唤新的担当) is read with the next


def opens_on_own_conduct(text: str) -> bool:
    """Whether ``text`` (a block, with or without its 各位代表！ address) opens on the government's own conduct: its
    first sentence (with the next, when the first is a short maxim) names it, and not as the subject of one of
    the addresses that follow (各级政府要…国防…)."""
    sentences = _SENTENCE_END.split(ADDRESS.sub("", text.lstrip(), count=1).lstrip(), maxsplit=2)
    first = sentences[0] if len(sentences[0]) >= MAXIM_CHARS else "。".join(sentences[:2])
    named = OWN_CONDUCT_OPENER.search(first) or OWN_CONDUCT_HEADING.search(first)
    return bool(named) and not ADDRESSED_SUBJECTS.search(first)


def names_own_conduct(heading: str) -> bool:
    """Whether a chapter's heading names the government's own conduct, and no other subject beside it."""
    return bool(OWN_CONDUCT_HEADING.search(heading)) and not OTHER_SUBJECT.search(heading)


def find_own_conduct_parts(docs: Sequence[str], hows: Sequence[str], headings: Sequence[str], texts: Sequence[str],
                           body: Sequence[bool]) -> list[bool]:
    """Which parts are the government's own conduct: in each document addressed to the deputies (a work report),
    the last body part, after the first, that is a chapter naming it or a coda opening on it. ``docs``, ``hows``
    (how each part was found), ``headings``, ``texts`` and ``body`` (not an opening, closing or appendix) give every
    part in document order."""
    out = [False] * len(texts)
    by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_doc.setdefault(d, []).append(i)
    for rows in by_doc.values():
        if not any(_ADDRESS_ANYWHERE.search(texts[i]) for i in rows):
            continue  # not a work report: a summary or a plan on 法治政府 or 政务公开 is about the government throughout
        parts = [i for i in rows if body[i]][1:]
        found = [i for i in parts if (opens_on_own_conduct(texts[i]) if hows[i] == "unheaded_coda"
                                      else bool(headings[i]) and names_own_conduct(headings[i]))]
        if found:
            out[found[-1]] = True
    return out

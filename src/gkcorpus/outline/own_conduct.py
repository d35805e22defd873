"""The part on the government's own conduct (政府自身建设), found by its heading or by the words that open it.

Work reports end their body with the government turning to itself: administrative reform, government by
law, clean and diligent government, work style. Some give it a chapter (加强政府自身建设, 从严治政…,
进一步转变政府职能，加强政风建设, 认真进行行政管理体制和政府机构改革, 深入推进政府治理创新); many give it
no heading at all, a coda after the last task opened by an address (各位代表！…对政府工作提出新的更高要求,
做好政府工作，必须加强自身改革建设). Its place is the place other reports give the political and legal order
(democracy and law) or foreign affairs, and reports rarely hold both, so the co-occurrence cut of the part
typer reads the two as one part in two eras' wording; its words say which it is:

* a chapter whose heading names the government as what is built, reformed or run (:data:`OWN_CONDUCT_HEADING`:
  政府自身, 政府职能, 政府机构, 政府治理, 政风, 廉洁…政府, 服务型政府, 行政管理体制 …), not the government's work
  (对今年政府工作的建议 heads the tasks);
* a coda whose first sentence, after its address, turns to the government's own work
  (:data:`OWN_CONDUCT_OPENER`: 政府工作, 各级政府, 政府自身, 自身建设, 自身改革); the parser splits the coda there
  (:func:`gkcorpus.outline.parts.find_parts`).

The document's first body part (the review) is never this part.
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["OWN_CONDUCT_HEADING", "OWN_CONDUCT_OPENER", "find_own_conduct_parts", "opens_on_own_conduct"]

#: the government's own conduct, in the first sentence of the coda that turns to it
OWN_CONDUCT_OPENER = re.compile(r"政府工作|各级政府|政府自身|自身建设|自身改革")
#: a heading naming the government as what is built or reformed (not 政府工作, the government's work: the tasks)
OWN_CONDUCT_HEADING = re.compile(
    r"政府(?:自身|职能|机构|治理|作风|建设)|自身建设|政风|行政(?:管理)?体制|行政能力|依法行政|从严治政"
    r"|(?:型|高效|法治|廉洁|廉政|人民满意的?)政府"
)
_ADDRESS = re.compile(r"^各位代表[！!：:，,]")
_SENTENCE_END = re.compile(r"[。！？]")


def opens_on_own_conduct(text: str) -> bool:
    """Whether ``text`` (a block, with or without its 各位代表！ address) opens on the government's own conduct."""
    first = _SENTENCE_END.split(_ADDRESS.sub("", text.lstrip(), count=1).lstrip(), maxsplit=1)[0]
    return bool(OWN_CONDUCT_OPENER.search(first))


def find_own_conduct_parts(docs: Sequence[str], hows: Sequence[str], headings: Sequence[str], texts: Sequence[str],
                           body: Sequence[bool]) -> list[bool]:
    """Which parts are the government's own conduct. ``docs``, ``hows`` (how each part was found), ``headings``,
    ``texts`` and ``body`` (not an opening, closing or appendix) give every part in document order."""
    out = [False] * len(texts)
    first: dict[str, int] = {}
    for i, (d, b) in enumerate(zip(docs, body)):
        if not b:
            continue
        if d not in first:
            first[d] = i
            continue
        if hows[i] == "unheaded_coda":
            out[i] = opens_on_own_conduct(texts[i])
        elif headings[i]:
            out[i] = bool(OWN_CONDUCT_HEADING.search(headings[i]))
    return out

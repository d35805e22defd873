"""Document structure of clean Chinese government text.

``parse_structure(text) -> DocStructure`` finds, in CLEAN Simplified text (paragraphs separated by
one ``\\n``), the headings of the official hierarchy, the section tree they span, the paragraphs,
the sentences, the inline enumerations (一是…二是…) and the closing lines (signature, date).
All offsets are into the given text; nothing here modifies it.

Rules (the choices are deliberate; tests/test_structure.py pins each of them):

Paragraphs
    One per line; leading/trailing whitespace is outside the span; whitespace-only lines are
    skipped (clean text has none). ``kind`` is ``"heading"`` for a pure heading line, ``"closing"``
    for a signature/date line at the end, ``"body"`` otherwise (a paragraph carrying a run-in
    heading is ``"body"``: it has body text after its heading).

Headings (by form, at paragraph start only)
    level 1 ``一、`` (also ``一．`` / ``一.``), Chinese numerals 1..99;
    level 2 ``（一）`` (full- or half-width brackets, an optional ``、`` after is part of the marker);
    level 3 ``1.`` ``1．`` ``1、`` (one or two digits; after ``.``/``．`` the next character must not
    be a digit, so ``5.15政务公开日`` is not a heading; ``3、4月`` -- a list of dates -- is not either);
    level 4 ``（1）``.  ``（20xx）``, ``（8月）``, ``2019年``, ``5月15日`` are never headings.
    Circled numbers (①), ``第一章``/``第一条`` and ``一是`` are not headings.
    Whitespace after the marker is skipped; a marker with nothing after it is not a heading.

    Extent of the heading text:
    * the heading is the paragraph's first sentence (see Sentences), without its terminal
      punctuation: ``1、系统全员参与。活动…`` gives text ``系统全员参与`` and ``run_in=True``; the
      rest of the paragraph is body text of that section.  NOTE: ``；`` ends a sentence, so it
      also ends a run-in heading (``2、耐心解答，互动交流；当日…`` -> ``耐心解答，互动交流``);
    * if the first sentence is the whole paragraph, the line is a pure heading (``run_in=False``),
      whatever its length (``1、建立健全工作机构，…，规范公开工作流程。`` is a level-3 heading by
      form, as the official hierarchy says);
    * a paragraph with no sentence terminal at all is a pure heading if the text after the marker
      is at most ``MAX_BARE_HEADING`` (40) characters; longer, it is a run-in heading ending at the
      first ``，``/``：`` (or the whole paragraph when there is none);
    * a run-in heading ends earlier at a lost line break: a space after at least four characters, before the
      first clause break, followed by a sentence (``三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展，…``;
      see ``_lost_break``).
    ``Heading.text`` never includes the marker nor trailing ``。！？；，、：``; ``start..end`` covers
    marker + text.

Contents
    A table of contents is not the document's structure: a run of two or more pure heading lines with no
    body text between them that follows a line reading ``目录`` (or ``目 录``), or whose headings (marker and
    text) all come again later in the document, holds no headings; its lines are body text of the section
    they stand in (the preamble).

Sections
    A tree nested by the RELATIVE order of levels seen (a stack: a heading closes every open
    section of the same or a deeper level and becomes a child of the one left on top), so a
    ``1、`` directly under ``一、`` is its child.  Ids are positions in the tree: ``"1"``,
    ``"1.2"``, ``"1.2.3"``.  A section spans its heading and its whole body up to the next
    heading of the same or a higher level (closing lines excluded).  Body paragraphs before the
    first heading form a preamble section with id ``""``, ``heading=None``, ``level=0``, listed
    first in ``sections`` (a document without headings has just that one section).

Closing lines
    A block of at most ``MAX_CLOSING`` (4) short lines at the very end, each a date line
    (``20xx年5月22日``, ``二〇一九年五月``, ``2019.5.22``) or a signature-like line (at most 30
    characters, no ``。，；：！？``, not a heading); the block must contain a date line, or
    else every line in it must end like an organisation (局, 办事处, 委员会, 政府, …).
    CHOICE: closing paragraphs belong to NO section: their ``section`` is ``""`` and no Section
    span contains them; they are listed in ``DocStructure.closing`` (the preamble section, id
    ``""`` too, never covers them -- check ``Paragraph.kind``).

Sentences
    A paragraph is cut after each run of terminals ``。！？；`` (and ASCII ``!?;``, ``｡``), the
    run taking along the closing quotes/brackets right after it (``…。”`` ends after ``”``) and
    any whitespace.  ASCII ``!?;`` between ASCII letters/digits (``index.php?id=3``) and the
    ellipsis ``……`` end nothing.  No cut inside a matched ``《》``, ``“”``, ``‘’``, ``「」``, ``（）`` pair unless
    the pair closes right there; unmatched quotes/brackets are ignored.  ASCII ``.`` is never a
    terminal, so ``5.15`` and ``4.2万`` are safe.  Sentences never cross paragraphs and the
    sentences of a paragraph tile it exactly (concatenated they give the paragraph back).
    Every paragraph has sentences, heading and closing paragraphs included.

List items (inline enumerations, never headings)
    ``一是`` ``二是`` …, ``第一，`` ``第二、`` …, ``其一，`` …, and stage items ``第一阶段：``
    ``第二步，``.  CHOICE: ``第一阶段：部署阶段（8月）。按照…`` is a list item (marker
    ``第一阶段``), not a heading: stages are parallel items of the section they sit in, like
    一是/二是.  A marker counts at paragraph start (or right after a heading's text) or after
    ``。；：，！？`` or whitespace; it must continue a sequence (n = previous accepted n + 1 of
    the same family), or be ``一`` followed by a ``二`` of the same family, or stand at paragraph
    start.  An item runs to the next item in the same paragraph or to the paragraph end.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Iterator

__all__ = [
    "Heading",
    "Paragraph",
    "Sentence",
    "ListItem",
    "Section",
    "DocStructure",
    "parse_structure",
    "sentence_spans",
    "paragraph_spans",
    "chinese_numeral",
    "MAX_BARE_HEADING",
    "MAX_CLOSING",
]

MAX_BARE_HEADING = 40  # a heading line without any terminal is whole if at most this long
MAX_CLOSING = 4  # at most this many closing lines at the end
MAX_SIGNATURE = 30  # a signature line is at most this long


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Heading:
    level: int
    marker: str
    text: str
    start: int
    end: int
    run_in: bool

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    kind: str  # "body" | "heading" | "closing"
    section: str  # "" = before any heading (or closing)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    section: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ListItem:
    marker: str
    start: int
    end: int
    paragraph: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Section:
    id: str
    heading: Heading | None
    level: int
    start: int
    end: int
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "heading": self.heading.to_dict() if self.heading else None,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "children": [c.to_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Section:
        return cls(
            id=d["id"],
            heading=Heading(**d["heading"]) if d.get("heading") else None,
            level=d["level"],
            start=d["start"],
            end=d["end"],
            children=[cls.from_dict(c) for c in d.get("children", [])],
        )

    def walk(self) -> Iterator[Section]:
        """This section and its descendants, in document order (pre-order)."""
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class DocStructure:
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    list_items: list[ListItem] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)

    def flat_sections(self) -> list[Section]:
        """All sections in document order (pre-order: a parent before its children)."""
        return [s for top in self.sections for s in top.walk()]

    def section_by_id(self, id: str) -> Section:
        """The section with that id (``""`` is the preamble); KeyError when there is none."""
        for s in self.flat_sections():
            if s.id == id:
                return s
        raise KeyError(f"no section {id!r}")

    def section_path(self, id: str) -> list[Section]:
        """The sections from the top level down to section ``id`` (inclusive)."""
        target = self.section_by_id(id)
        if id == "":
            return [target]
        parts = id.split(".")
        return [self.section_by_id(".".join(parts[: k + 1])) for k in range(len(parts))]

    def to_dict(self) -> dict:
        return {
            "headings": [h.to_dict() for h in self.headings],
            "sections": [s.to_dict() for s in self.sections],
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "sentences": [s.to_dict() for s in self.sentences],
            "list_items": [x.to_dict() for x in self.list_items],
            "closing": [p.to_dict() for p in self.closing],
        }

    @classmethod
    def from_dict(cls, d: dict) -> DocStructure:
        return cls(
            headings=[Heading(**h) for h in d.get("headings", [])],
            sections=[Section.from_dict(s) for s in d.get("sections", [])],
            paragraphs=[Paragraph(**p) for p in d.get("paragraphs", [])],
            sentences=[Sentence(**s) for s in d.get("sentences", [])],
            list_items=[ListItem(**x) for x in d.get("list_items", [])],
            closing=[Paragraph(**p) for p in d.get("closing", [])],
        )


# --------------------------------------------------------------------------- numerals

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# 1..99 written the usual way: 一 … 九, 十, 十一 …, 二十 …, 九十九
_CN = "(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_CN_FULL = re.compile(f"^{_CN}$")


def chinese_numeral(s: str) -> int | None:
    """Value of a Chinese numeral 一..九十九 (``None`` when ``s`` is not one)."""
    if not _CN_FULL.match(s):
        return None
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, units = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


# --------------------------------------------------------------------------- paragraphs


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank line, surrounding whitespace excluded."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


# --------------------------------------------------------------------------- sentences

TERMINALS = frozenset("。！？；!?;｡")
_CLOSERS = frozenset("”’」』）)】〕")
_PAIRS = {"《": "》", "“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")"}
_OPEN_OF: dict[str, list[str]] = {}
for _o, _c in _PAIRS.items():
    _OPEN_OF.setdefault(_c, []).append(_o)


def _protected(text: str, start: int, end: int) -> list[int]:
    """depth[p - start] > 0 when the boundary before text[p] lies strictly inside a matched pair."""
    stacks: dict[str, list[int]] = {o: [] for o in _PAIRS}
    diff = [0] * (end - start + 2)
    for i in range(start, end):
        ch = text[i]
        if ch in _PAIRS:
            # “” share no character, so a char is either an opener or a closer
            stacks[ch].append(i)
        elif ch in _OPEN_OF:
            for o in _OPEN_OF[ch]:
                if stacks[o]:
                    op = stacks[o].pop()
                    # boundaries op+1 .. i are inside the pair
                    diff[op + 1 - start] += 1
                    diff[i + 1 - start] -= 1
                    break
    depth, run = [], 0
    for k in range(end - start + 1):
        run += diff[k]
        depth.append(run)
    return depth


def _inside_ascii_word(text: str, i: int, start: int, end: int) -> bool:
    """An ASCII ``!?;`` between ASCII letters/digits (a URL, ``&nbsp;``-like debris) ends nothing."""
    return (
        text[i] in "!?;"
        and start < i < end - 1
        and text[i - 1].isascii()
        and text[i - 1].isalnum()
        and text[i + 1].isascii()
        and text[i + 1].isalnum()
    )


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` spans of ``text[start:end]`` (one paragraph); they tile it exactly."""
    if end is None:
        end = len(text)
    if start >= end:
        return []
    depth = _protected(text, start, end)
    spans = []
    s = start
    i = start
    while i < end:
        if text[i] not in TERMINALS or _inside_ascii_word(text, i, start, end):
            i += 1
            continue
        j = i
        while j < end and text[j] in TERMINALS:
            j += 1
        while j < end and text[j] in _CLOSERS:
            j += 1
        if depth[j - start] > 0:  # inside 《》, “”, （）: no cut here
            i = j
            continue
        while j < end and text[j].isspace():
            j += 1
        if j < end:
            spans.append((s, j))
            s = j
        i = j
    spans.append((s, end))
    return spans


# --------------------------------------------------------------------------- headings

_L1 = re.compile(rf"({_CN})[、．.]")
_L2 = re.compile(rf"[（(]({_CN})[）)]、?")
_L3 = re.compile(r"(\d{1,2})([、．.])")
_L4 = re.compile(r"[（(](\d{1,2})[）)]、?")
_L1_NOT = re.compile(r"[一二三四五六七八九十]{1,2}(?:、|季度|年级|等奖)")  # 一、二季度
_L3_NOT = re.compile(r"\d{1,2}(?:、\d{1,2})*[月日号]")  # 3、4月
_HEAD_TRAIL = "。！？；!?;｡，,、：:"
_SOFT_END = "，,：:"


def _heading_marker(text: str, s: int, e: int) -> tuple[int, str, int] | None:
    """(level, marker, end of marker) when the paragraph text[s:e] starts with a heading marker."""
    for level, rx in ((2, _L2), (4, _L4), (1, _L1), (3, _L3)):
        m = rx.match(text, s, e)
        if not m:
            continue
        after = m.end()
        if level == 1 and _L1_NOT.match(text, after, e):
            return None
        if level == 3:
            if m.group(2) in ".．" and after < e and text[after].isdigit():
                return None
            if m.group(2) == "、" and _L3_NOT.match(text, after, e):
                return None
        return level, m.group(0), after
    return None


def _find_heading(text: str, s: int, e: int, sents: list[tuple[int, int]]) -> Heading | None:
    found = _heading_marker(text, s, e)
    if not found:
        return None
    level, marker, hs = found
    while hs < e and text[hs].isspace():
        hs += 1
    if hs >= e:
        return None
    if len(sents) > 1:  # the heading is the first sentence, the rest is body
        he, run_in = sents[0][1], True
    elif _ends_sentence(text, s, e):  # one sentence: a pure heading line, whatever its length
        he, run_in = e, False
    elif e - hs <= MAX_BARE_HEADING:  # no terminal at all, short: the whole line
        he, run_in = e, False
    else:  # no terminal, long: run-in up to the first ， or ：
        soft = next((k for k in range(hs, e) if text[k] in _SOFT_END), e)
        he, run_in = soft, soft < e
    if run_in:  # a lost line break: the heading ends at a space before its first sentence
        gap = _lost_break(text, hs, he)
        he = gap if gap is not None else he
    while he > hs and (text[he - 1].isspace() or text[he - 1] in _HEAD_TRAIL):
        he -= 1
    if he <= hs:
        return None
    return Heading(level=level, marker=marker, text=text[hs:he], start=s, end=he, run_in=run_in)


def _lost_break(text: str, hs: int, he: int) -> int | None:
    """Where a run-in heading ``text[hs:he]`` ends at a lost line break: the last whitespace before the first
    clause break (``，；：``, not ``、``), after at least four characters and at most ``MAX_BARE_HEADING``, between
    a Han character (or a closing quote or bracket) and a Han character, digit, Latin letter or opening quote,
    when what follows it reads as a sentence: longer than what precedes it, with a clause break
    (``三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展，…``; ``三、加强作风建设 全面从严治政 今年要…，…``
    ends after 治政; not ``1、领导重视 周密部署``, a space between the halves of a slogan); None when there is none."""
    stop = next((k for k in range(hs, he) if text[k] in CLAUSE_BREAKS or text[k] in "。！？!?"), he)
    gaps = [k for k in range(hs + 4, min(stop, hs + MAX_BARE_HEADING + 1))
            if text[k].isspace() and not text[k - 1].isspace() and k + 1 < he
            and (_is_han(text[k - 1]) or text[k - 1] in _CLOSERS)
            and (_is_han(text[k + 1]) or text[k + 1].isascii() and text[k + 1].isalnum() or text[k + 1] in _PAIRS)]
    if not gaps:
        return None
    k = gaps[-1]
    rest = text[k + 1:he].rstrip(_HEAD_TRAIL)
    return k if len(rest) > k - hs and any(c in CLAUSE_BREAKS for c in rest) else None


#: the marks that end a clause inside a sentence (not 、, which joins the items of a list)
CLAUSE_BREAKS = "，,；;：:"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ends_sentence(text: str, s: int, e: int) -> bool:
    """The paragraph ends with a terminal followed only by closers (``…。”``)."""
    k = e
    while k > s and text[k - 1] in _CLOSERS:
        k -= 1
    return k > s and text[k - 1] in TERMINALS


# --------------------------------------------------------------------------- closing lines

_NUMCH = r"\dxXｘＸ"
_DATE = re.compile(
    rf"(?:[{_NUMCH}〇零○一二三四五六七八九]{{2,4}}\s*年"
    rf"(?:\s*[{_NUMCH}一二三四五六七八九十]{{1,3}}\s*月(?:\s*[{_NUMCH}一二三四五六七八九十]{{1,3}}\s*[日号])?)?"
    r"|\d{4}\s*[.\-/／．]\s*\d{1,2}(?:\s*[.\-/／．]\s*\d{1,2})?)"
)
_SIG_BAD = set("。，；：！？,;:!?")
_ORG_END = re.compile(
    r"(?:局|委|委员会|办|办公室|办事处|处|厅|府|政府|院|会|室|部|所|站|中心|街道|镇|乡|村|社区|"
    r"公司|小组|领导组|组|队|大队|馆|科|团|党委|党组|支部|总支|单位)\s*[）)]?$"
)


def _is_date_line(line: str) -> bool:
    return _DATE.fullmatch(line) is not None


def _is_signature_like(line: str) -> bool:
    return len(line) <= MAX_SIGNATURE and not any(ch in _SIG_BAD for ch in line)


def _closing_indices(text: str, spans: list[tuple[int, int]], heading_paras: set[int]) -> list[int]:
    block: list[int] = []
    for k in range(len(spans) - 1, max(-1, len(spans) - 1 - MAX_CLOSING), -1):
        if k in heading_paras:
            break
        line = text[spans[k][0] : spans[k][1]]
        if _is_date_line(line) or _is_signature_like(line):
            block.append(k)
        else:
            break
    lines = {k: text[spans[k][0] : spans[k][1]] for k in block}
    if any(_is_date_line(x) for x in lines.values()):
        return sorted(block)  # a date makes the whole trailing block closing
    if block and all(_ORG_END.search(x) for x in lines.values()):
        return sorted(block)
    return []


# --------------------------------------------------------------------------- list items

_BOUNDARY = set("。；：，！？;:,!?")
_ITEM_PATTERNS = (
    ("shi", re.compile(rf"({_CN})是")),
    ("stage", re.compile(rf"第({_CN})(?:阶段|步)(?=[：:，,、])")),
    ("di", re.compile(rf"第({_CN})(?=[，,、：:])")),
    ("qi", re.compile(r"其([一二三四五六七八九十])(?=[，,、：:])")),
)


def _item_candidates(text: str, s: int, e: int) -> list[tuple[int, str, int, str, bool]]:
    """(position, family, number, marker, at start) of enumeration markers in text[s:e]."""
    out = []
    for family, rx in _ITEM_PATTERNS:
        for m in rx.finditer(text, s, e):
            p = m.start()
            if p > s and not (text[p - 1] in _BOUNDARY or text[p - 1].isspace()):
                continue
            n = chinese_numeral(m.group(1))
            if n is None:
                continue
            marker = m.group(0)
            out.append((p, family, n, marker, p == s))
    # a position can match two families (第一阶段 / 第一): keep the longer marker
    best: dict[int, tuple[int, str, int, str, bool]] = {}
    for c in out:
        if c[0] not in best or len(c[3]) > len(best[c[0]][3]):
            best[c[0]] = c
    return sorted(best.values())


# --------------------------------------------------------------------------- parser


def parse_structure(text: str) -> DocStructure:
    """Headings, section tree, paragraphs, sentences, list items and closing lines of clean text."""
    spans = paragraph_spans(text)
    sents = [sentence_spans(text, s, e) for s, e in spans]
    heads: dict[int, Heading] = {}
    for k, (s, e) in enumerate(spans):
        h = _find_heading(text, s, e, sents[k])
        if h is not None:
            heads[k] = h
    for k in _contents_lines(text, spans, heads):
        del heads[k]
    closing_idx = set(_closing_indices(text, spans, set(heads)))
    body_idx = [k for k in range(len(spans)) if k not in closing_idx]
    sections, para_section = _section_tree(spans, heads, body_idx)
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for k, (s, e) in enumerate(spans):
        if k in closing_idx:
            kind, sec = "closing", ""
        else:
            h = heads.get(k)
            kind = "heading" if h is not None and not h.run_in else "body"
            sec = para_section[k]
        paragraphs.append(Paragraph(k, s, e, kind, sec))
        for a, b in sents[k]:
            sentences.append(Sentence(len(sentences), a, b, k, sec))
    return DocStructure(
        headings=[heads[k] for k in sorted(heads) if k not in closing_idx],
        sections=sections,
        paragraphs=paragraphs,
        sentences=sentences,
        list_items=_list_items(text, spans, heads, body_idx),
        closing=[paragraphs[k] for k in sorted(closing_idx)],
    )


_CONTENTS = re.compile(r"目\s*录[：:]?")


def _contents_lines(text: str, spans: list[tuple[int, int]], heads: dict[int, Heading]) -> list[int]:
    """The paragraphs of a table of contents: a run of two or more pure heading lines with no body between
    them that follows a line reading 目录, or whose headings all come again later in the document."""
    out: list[int] = []
    k = 0
    while k < len(spans):
        if k not in heads or heads[k].run_in:
            k += 1
            continue
        end = k
        while end + 1 < len(spans) and end + 1 in heads and not heads[end + 1].run_in:
            end += 1
        run = range(k, end + 1)
        if len(run) >= 2:
            cue = k > 0 and _CONTENTS.fullmatch(text[spans[k - 1][0]:spans[k - 1][1]].strip()) is not None
            later = {(h.marker, h.text) for j, h in heads.items() if j > end}
            if cue or all((heads[j].marker, heads[j].text) in later for j in run):
                out += run
        k = end + 1
    return out


def _section_tree(spans: list[tuple[int, int]], heads: dict[int, Heading], body_idx: list[int]
                  ) -> tuple[list[Section], dict[int, str]]:
    """The section tree of the body paragraphs (a heading opens a section that runs to the next
    heading of its level or above; text before the first heading is section ""), and the section
    id of each body paragraph."""
    body_end = spans[body_idx[-1]][1] if body_idx else 0
    sections: list[Section] = []
    para_section: dict[int, str] = {}
    stack: list[Section] = []
    last_body_end = None  # end of the last non-closing paragraph seen so far
    first_head = min(heads) if heads else None
    pre = [k for k in body_idx if first_head is None or k < first_head]
    if pre:
        sections.append(Section("", None, 0, spans[pre[0]][0], spans[pre[-1]][1]))
    for k in body_idx:
        h = heads.get(k)
        if h is not None:
            while stack and stack[-1].level >= h.level:
                stack.pop().end = last_body_end
            siblings = stack[-1].children if stack else sections
            pos = sum(1 for x in siblings if x.heading is not None) + 1
            sid = f"{stack[-1].id}.{pos}" if stack else str(pos)
            sec = Section(sid, h, h.level, spans[k][0], spans[k][1])
            siblings.append(sec)
            stack.append(sec)
        para_section[k] = stack[-1].id if stack else ""
        last_body_end = spans[k][1]
    while stack:
        stack.pop().end = body_end
    return sections, para_section


def _list_items(text: str, spans: list[tuple[int, int]], heads: dict[int, Heading], body_idx: list[int]
                ) -> list[ListItem]:
    """The enumerated items (一是…二是…, 第一阶段…) of the body paragraphs and run-in headings.

    A candidate marker is accepted when it continues its family's count, starts a paragraph, or is
    a 1 followed by a 2 of its family; an item runs to the next accepted marker of its paragraph."""
    cands = []
    for k in body_idx:
        s, e = spans[k]
        h = heads.get(k)
        if h is not None:
            if not h.run_in:
                continue
            s = h.end
            while s < e and (text[s] in _HEAD_TRAIL or text[s].isspace()):
                s += 1
        cands += [(k, *c) for c in _item_candidates(text, s, e)]
    accepted: list[tuple[int, int, str]] = []  # (paragraph, position, marker)
    last: dict[str, int] = {}
    for i, (k, p, family, n, marker, at_start) in enumerate(cands):
        nxt = next((c for c in cands[i + 1 :] if c[2] == family), None)
        ok = (
            (n == last.get(family, 0) + 1 and n > 1)
            or at_start
            or (n == 1 and nxt is not None and nxt[3] == 2)
        )
        if ok:
            accepted.append((k, p, marker))
            last[family] = n
    list_items = []
    for i, (k, p, marker) in enumerate(accepted):
        e = spans[k][1]
        if i + 1 < len(accepted) and accepted[i + 1][0] == k:
            e = accepted[i + 1][1]
            while e > p and text[e - 1].isspace():
                e -= 1
        list_items.append(ListItem(marker, p, e, k))
    return list_items

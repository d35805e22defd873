"""Frames: fixed wording with typed slots matched inside clauses; the :class:`Frame` record and its
clause helpers (the library loader is :func:`gkcorpus.templates.frame_lines.load_library`)."""


from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from .frame_slots import CLOSED_TYPES, ENUMERATOR, typed_names
from .model import Instance, Template, render, template_id

__all__ = ["Clause", "Frame", "clause_spans", "content_factor", "figure_often_empty", "frame_score", "is_construction",
           "is_fixed_string", "names_no_subject", "rank_tier", "says_one_thing", "terms_in_context",
           "too_little_fixed", "untyped_figure"]


_SCORE_CAP = 24  # fixed Han characters counted in a frame's score (a long copied passage is not a better frame)
_CLAUSE_PUNCT = frozenset("，；：。！？,;:!?")
_OPEN = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "‘": "’"}
_CLOSE = frozenset(_OPEN.values())
_SCAN = re.compile("[，；：。！？,;:!?“”《》（）()「」‘’]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGITS = str.maketrans({ch: "\n" for ch in "0123456789０１２３４５６７８９，；：。！？,;:!?"})
_AR = r"\d+(?:[.．]\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"
# a number at the end of a clause (possibly a range, with qualifiers and a unit of at most two
# characters), then nothing or a bound (左右, 以内 …)
_NUM_TAIL = re.compile(
    rf"((?:近|约|共|共计|计|逾|达|超过)?(?:{_AR}(?:[%％](?:[-－—～~至到]{_AR}[%％])?|(?:[-－—～~至到]{_AR})?[万亿千百]*(?:多|余|来)?[^\W\d_]{{0,2}})"
    rf"|[{_CN}]+(?:多|余)[^\W\d_]{{0,2}}|[{_CN}]+点[{_CN}]+|百分之[{_CN}\d.点]+|{_AR}个百分点))((?:左右|以上|以内|以下|上下)?)$")
_BOUND = ("左右", "以上", "以内", "以下", "上下")


def _han(text: str) -> int:
    return len(_HAN.findall(text))


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a sentence core: ``start``/``end`` are offsets in the core."""

    unit: int
    start: int
    end: int
    text: str


def clause_spans(core: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the clauses of a sentence core: cut at ，；：。！？ outside quotation marks
    and brackets; an enumerator at a clause's start (一是, （一）, 1.) and spaces are left out."""
    out = []
    depth: list[str] = []
    s = 0
    cuts = []
    for m in _SCAN.finditer(core):
        ch = m.group()
        if ch in _OPEN and not (ch == "‘" and not depth):
            depth.append(_OPEN[ch])
        elif ch in _CLOSE:
            if depth and depth[-1] == ch:
                depth.pop()
            elif ch in depth:
                while depth and depth.pop() != ch:
                    pass
        elif ch in _CLAUSE_PUNCT and not depth:
            cuts.append(m.start())
    for e in cuts + [len(core)]:
        a, b = s, e
        while a < b and core[a].isspace():
            a += 1
        m = ENUMERATOR.match(core[a:b])
        if m and a + m.end() < b:
            a += m.end()
        while b > a and core[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        s = e + 1
    return out


def frame_score(t: Template) -> float:
    """Support × fixed Han characters (a closed-type slot counts as two; at most 24 counted) × the
    share of its matches whose content slots hold text (:func:`content_factor`), halved
    for a frame with free slots at both ends and no number (a phrase in context, not a clause frame),
    and halved for a construction (:func:`is_construction`: 以{TEXT}为指导, 在{TEXT}的同时), grammar
    of the genre; the library lists constructions after the frames with content of their own."""
    types = [s.type for s in t.slots]
    fixed = _fixed_content(t)
    fixed += sum(min(map(len, s.values)) for s in t.slots if s.type == "CHOICE" and s.values)  # its shortest wording
    return (t.support * min(fixed, _SCORE_CAP) * _floating_factor(t.pieces, types) * (0.5 if is_construction(t) else 1.0)
            * content_factor(t))


def _fixed_content(t: Template) -> int:
    """Fixed Han characters, a closed-type slot (a figure, a year, a date) counting as two."""
    return _han("".join(t.pieces)) + 2 * sum(s.type in CLOSED_TYPES for s in t.slots)


def content_factor(t: Template) -> float:
    """How much of a frame is more than a fixed string: the share of its instances in which its best
    content slot is filled, at least one half (a frame with none is halved). A content slot is a
    closed-type slot (its number is the content), a slot inside the fixed text, or a last slot
    continuing the clause of a fixed opening (现在，我代表国务院{TEXT}); a slot leading the frame holds
    whatever precedes it in the clause, and a slot after clause punctuation a whole clause of
    context: with only such slots, or an inner slot mostly empty (全心全意{TEXT}为人民服务), the frame
    is a fixed phrase of the bank in context ({TEXT}，积极引导宗教与社会主义社会相适应)."""
    if any(s.type in CLOSED_TYPES or s.type == "ORD" for s in t.slots):
        return 1.0
    n = max(1, len(t.instances))
    best = 0.0
    for s in _content_slots(t):
        best = max(best, sum(1 for i in t.instances if i.slot_values.get(s.name)) / n)
    return max(best, 0.5)


def _content_slots(t: Template) -> list[Any]:
    """The slots that can hold a frame's content: inside the fixed text, or last and continuing the
    clause of a fixed opening (not a slot leading the frame, nor one after clause punctuation)."""
    pieces, out = t.pieces, []
    for k, s in enumerate(t.slots):
        inner = bool(pieces[k]) and bool(pieces[k + 1])
        continues = k == len(t.slots) - 1 and bool(pieces[k]) and not pieces[k + 1] and pieces[k][-1] not in _CLAUSE_PUNCT
        if inner or continues:
            out.append(s)
    return out


SAYS_ONE_THING_MATCHES = 5  # the fewest matches from which a slot's values are read as evidence
SAYS_ONE_THING_SHARE = 0.4


def says_one_thing(t: Template) -> bool:
    """Whether every content slot of ``t`` (free slots only, at least ``SAYS_ONE_THING_MATCHES``
    matches) says one thing: fewer than ``SAYS_ONE_THING_SHARE`` of the matches hold a value in the slot
    that lacks its commonest word (a word of two Han characters or more, by the segmenter); an empty
    value says nothing, a one-character value (将, 对) something else. The frame is a set phrase with
    that word, or with nothing, in the slot: 在总结{(过去)经验}的基础上, 充分考虑{国家、企业和}群众的承受能力, 对香港{恢复}行使
    主权. A slot that lacks that word in two matches of five (高举{邓小平理论 / 中国特色社会主义 …}伟大旗帜)
    is content. The test reads a shared word, not a shared value: values that all hold one modifier
    and differ in the rest (继续实行{适度从紧的财政政策和 / 积极的财政政策和稳健的}货币政策) read as one
    thing too."""
    if len(t.instances) < SAYS_ONE_THING_MATCHES or any(s.type != "TEXT" for s in t.slots):
        return False
    slots = _content_slots(t)
    if not slots:
        return False
    n = len(t.instances)
    for s in slots:
        values = [i.slot_values.get(s.name) or "" for i in t.instances]
        words = [_han_words(v) for v in values]
        common = Counter(w for ws in words for w in ws)
        top = min(common, key=lambda w: (-common[w], w)) if common else None
        if sum(1 for v, ws in zip(values, words) if v and top not in ws) >= SAYS_ONE_THING_SHARE * n:
            return False
    return True


@lru_cache(maxsize=65536)
def _han_words(value: str) -> frozenset[str]:
    """The words of two Han characters or more in ``value``, by the segmenter (cached: the library's order
    asks for a frame's tier more than once)."""
    if not value:
        return frozenset()
    return frozenset(w for w in _segmenter()(value) if len(w) > 1 and not _HAN_ONLY.search(w))


def is_construction(t: Template) -> bool:
    """Whether ``t`` is a construction of the genre rather than a frame with content: one free slot
    between a fixed clause opening and ending with fewer than eight fixed Han characters in all
    (以{TEXT}为指导, 在{TEXT}的同时), or two clause openings with free clauses after them
    (既要{TEXT}，又要{TEXT_2}). A slot between fixed text that holds only particles or adverbs and
    may stay empty is wording, not a slot (为{TEXT}而{共同|努力}奋斗 is 为{TEXT}而奋斗)."""
    pieces, slots = _without_modifier_slots(t)
    if any(s.type in CLOSED_TYPES for s in slots) or not pieces[0] or _han("".join(pieces)) >= 8:
        return False
    if len(slots) == 2:
        return pieces[1][:1] in ("，", "；") and pieces[2] == ""
    return len(slots) == 1 and bool(pieces[1])


def rank_tier(t: Template) -> int:
    """Where ``t`` stands in the library before its score is looked at: 0 a frame with content of
    its own, 1 a figure a table cannot use as one: its fixed text names nothing that the figure
    measures (:func:`names_no_subject`: 比上年增长{PERCENT}), or the figure stays inside free text
    (:func:`untyped_figure`: 全社会固定资产投资{完成26000}亿元) or its figure slot is often empty
    (:func:`figure_often_empty`), 2 a construction
    (:func:`is_construction`), a term in its context (:func:`terms_in_context`), a single short
    fixed piece (:func:`too_little_fixed`) or a set phrase whose slots say one thing
    (:func:`says_one_thing`), 3 a fixed string with slots of wording or context only
    (:func:`is_fixed_string`) or a passage copied between documents whose slots hold the edits
    between the copies (``copied``, set by the miner from the shared passages:
    :func:`~gkcorpus.templates.frame_filters.copied_passage`): the phrase bank's."""
    if is_fixed_string(t) or getattr(t, "copied", False):
        return 3
    if is_construction(t):
        return 2
    if names_no_subject(t) or untyped_figure(t) or figure_often_empty(t):
        return 1
    return 2 if terms_in_context(t) or too_little_fixed(t) or says_one_thing(t) else 0


_FIGURE_TYPES = ("NUM", "PERCENT", "MONEY")


def too_little_fixed(t: Template) -> bool:
    """Whether ``t`` is one fixed piece of fewer than eight Han characters (a closed slot counting as
    two) and no figure to extract: too little wording to be a frame (``{YEAR}工作回顾``, the heading's
    year the year before the report's own); a figure slot makes a measure its frame
    (``{TEXT}财政赤字{MONEY}``)."""
    if any(s.type in _FIGURE_TYPES for s in t.slots):
        return False
    pieces = [p for p in t.pieces if _HAN.search(p)]
    return len(pieces) == 1 and _fixed_content(t) < 8


# noun-like tags: nouns (n, nr, ns, nt, nz …), verbal nouns, abbreviations, pronouns, numerals and
# measure words, localisers, time and place words, conjunctions joining nouns (和, 及其)
_NOMINAL_TAGS = ("n", "vn", "j", "r", "m", "q", "f", "t", "c", "s")


def terms_in_context(t: Template) -> bool:
    """Whether ``t`` is terms in their context rather than a construction: free slots only, the last
    one open at the end (the rest of the clause), and every word of its fixed pieces of two Han
    characters or more noun-like (:data:`_NOMINAL_TAGS`, a long word by its head, :func:`_head_tag`):
    ``各级政府{TEXT}工作人员{TEXT_2}``, ``国务院{TEXT}机构改革{TEXT_2}``, 是{TEXT}我国现代化建设{TEXT_2}
    (a lone character binds nothing). Nothing relates the terms (no verb, preposition or particle of
    the frame's own), so the slots hold whatever the sentences around them say; a verb head keeps a
    frame (``全力支持香港、澳门{TEXT}``)."""
    from .frame_slots import _tags

    if not t.slots or t.pieces[-1] or any(s.type != "TEXT" for s in t.slots):
        return False
    words = [w for p in t.pieces if _han(p) > 1 for w in _tags(_HAN_ONLY.sub("", p))]
    return bool(words) and all(_head_tag(w, f).startswith(_NOMINAL_TAGS) for w, f in words)


def _head_tag(word: str, tag: str) -> str:
    """The tag of ``word``'s head: for a word of four Han characters or more, the tag of its longest
    proper suffix in the dictionary (Chinese compounds are head-final: 全力支持 is tagged a noun,
    its head 支持 a verb); otherwise ``tag``."""
    from ..text.postags import word_tags

    if len(word) >= 4:
        tags = word_tags()
        for k in range(1, len(word) - 1):
            if word[k:] in tags:
                return tags[word[k:]]
    return tag


def figure_often_empty(t: Template) -> bool:
    """Whether a figure slot (NUM, PERCENT, MONEY) of ``t`` is empty in at least a quarter of its matches:
    there the figure is elsewhere or missing (``城镇居民人均可支配收入{TEXT_2}{NUM}`` with 达到5160元 in
    TEXT_2 and NUM empty), and the frame's column of the wide table has holes where the text has a figure."""
    n = len(t.instances)
    return bool(n) and any(4 * sum(1 for i in t.instances if not i.slot_values.get(s.name)) >= n
                           for s in t.slots if s.type in ("NUM", "PERCENT", "MONEY"))


# a figure inside a value: a number ending the value or followed by a unit (住房39, 完成26000, 增长9.3%, 2936元);
# not a year or a date (2019年, 截至2019, 2019.5, “5.15”政务公开日), nor an ordinal (第3个)
_FIGURE = re.compile(r"(?<![第0-9０-９.．])(?!(?:19|20)\d\d(?:[.．]\d{1,2})?$)[0-9０-９]+(?:[.．][0-9０-９]+)?(?=$|[多余]|[万亿千百]*(?:元|美元|[%％]|个百分点|人|户|吨|亩|公里|平方米|千瓦|斤|担|辆|台|套|项|所|个|家|名|倍))")


def untyped_figure(t: Template) -> bool:
    """Whether ``t`` has no figure slot (NUM, PERCENT, MONEY) while one of its free slots holds a
    figure (a number ending the value or before a unit; a year or a date is none) in at least half of
    its matches: the figures it finds stay in text (``农村居民人均纯收入{增长9.3%}``) and its wide table
    would have no column for them."""
    if any(s.type in ("NUM", "PERCENT", "MONEY") for s in t.slots) or not t.instances:
        return False
    n = len(t.instances)
    return any(2 * sum(1 for i in t.instances if _FIGURE.search(i.slot_values.get(s.name) or "")) >= n
               for s in t.slots if s.type == "TEXT")


_NOUN_TAGS = ("n", "vn", "j", "s", "l", "i")  # nouns (n, nr, ns, nt, nz …), verbal nouns, abbreviations, places, set phrases


def names_no_subject(t: Template) -> bool:
    """Whether ``t`` holds a figure (NUM, PERCENT, MONEY) and nothing that could name what it
    measures: no fixed word that could (jieba.posseg: a noun, verbal noun, abbreviation, place word
    or set phrase such as 粮食产量 or 水土流失) and no free slot of content (:func:`_free_content`:
    发放{TEXT}{NUM} names its item in the slot). ``比上年增长{TEXT}{PERCENT}`` (the slot nearly
    always empty), ``{TEXT}比上年增加{MONEY}亿元`` (the slot only what precedes) say by how much,
    not what grew."""
    from .frame_slots import _tags

    if not any(s.type in ("NUM", "PERCENT", "MONEY") for s in t.slots) or _free_content(t):
        return False
    return not any(f.startswith(_NOUN_TAGS) for p in t.pieces if p for _, f in _tags(_HAN_ONLY.sub("", p)))


_HAN_ONLY = re.compile(r"[^\u4e00-\u9fff]")


def is_fixed_string(t: Template) -> bool:
    """Whether ``t``'s slots are all wording or context (:func:`_free_content` finds none of
    content), so that ``t`` is a fixed string of the phrase bank matched with its surroundings. A
    title or heading line whose only slots are years (``{YEAR}政府工作报告``,
    ``{YEAR}经济社会发展总体要求和政策取向``: the document's own date or the year before) is a fixed
    line too, and a name whose only slots are ordinals (``第{ORD}届全国人民代表大会``) a term with its
    number. A slot of any other closed type (a figure, a date) or an ordinal beside other slots is
    content."""
    if not t.slots:
        return True
    if getattr(t, "where", "body") in ("title", "heading") and all(s.type == "YEAR" for s in t.slots):
        return True
    if all(s.type == "ORD" for s in t.slots):
        return True
    if any(s.type in CLOSED_TYPES or s.type in ("ORD", "CHOICE") for s in t.slots):
        return False
    return not _free_content(t)


def _free_content(t: Template) -> bool:
    """Whether one of ``t``'s free slots holds content. A slot is context when it leads the frame (the
    words before the fixed text in its clause) or follows clause punctuation (a whole next clause);
    it is wording when in most of its matches it is empty or holds function words only
    (:func:`is_function_words`: 也, 地, 的, 一切, 各位), or when it is empty, function words or one
    and the same value in most of its matches (表示{诚挚的}感谢: optional fixed text); any other free
    slot is content."""
    pieces, n = t.pieces, len(t.instances)
    for k, s in enumerate(t.slots):
        if s.type in CLOSED_TYPES or s.type in ("ORD", "CHOICE"):
            continue
        if k == 0 and not pieces[0]:
            continue  # leading: what precedes in the clause
        if pieces[k] and pieces[k][-1] in _CLAUSE_PUNCT:
            continue  # a clause after the fixed text's punctuation
        vals = [i.slot_values.get(s.name, "") for i in t.instances]
        wording = sum(1 for v in vals if not v or is_function_words(v))
        if n and 2 * wording > n:
            continue  # optional wording
        if n and 2 * (wording + _most_common_count(vals)) > n:
            continue  # empty or one value in most matches: fixed text written out or left out, not content
        return True
    return False


def _most_common_count(values: Sequence[str]) -> int:
    """How many of ``values`` equal the most common one once function words are taken out
    (:func:`content_words`: 诚挚的 and 诚挚 are one value); empty and function-word-only values are
    not counted (they are wording of their own), nor a value found in fewer than three matches (two
    alike among three matches are no evidence of fixed text)."""
    counts = Counter(c for c in map(content_words, values) if c)
    top = max(counts.values(), default=0)
    return top if top > 2 else 0  # a value found in one or two matches is no evidence of fixed text


def content_words(text: str) -> str:
    """``text``'s Han characters without its function words (:func:`is_function_words`)."""
    from .frame_slots import _tags

    return "".join(w for w, f in _tags(_HAN_ONLY.sub("", text)) if not f.startswith(_FUNCTION_TAGS))


_FUNCTION_TAGS = ("u", "d", "ad", "r", "c", "p")  # particles, adverbs, pronouns, conjunctions, prepositions


def is_function_words(text: str) -> bool:
    """Whether ``text`` is only function words (jieba.posseg: particles, adverbs, pronouns,
    conjunctions, prepositions: 的, 也, 地, 一切, 各位), no content word."""
    from .frame_slots import _tags

    tags = _tags(_HAN_ONLY.sub("", text))
    return bool(tags) and all(f.startswith(_FUNCTION_TAGS) for _, f in tags)


def _without_modifier_slots(t: Template) -> tuple[list[str], list[Any]]:
    """``t``'s fixed pieces and slots, its inner optional slots of particles and adverbs
    (:func:`~gkcorpus.templates.frame_slots.holds_modifiers`) and its choices of wording (their
    shortest) joined to the fixed text around them."""
    from .frame_slots import holds_modifiers

    pieces, slots = [t.pieces[0]], []
    for k, s in enumerate(t.slots):
        nxt = t.pieces[k + 1]
        if s.type == "CHOICE" and s.values:  # a choice of wording is wording (its shortest)
            pieces[-1] += min(s.values, key=lambda v: (len(v), v)) + nxt
        elif (pieces[-1] and nxt and s.n_empty and s.type not in CLOSED_TYPES
                and holds_modifiers([i.slot_values.get(s.name, "") for i in t.instances])):
            pieces[-1] += nxt
        else:
            slots.append(s)
            pieces.append(nxt)
    return pieces, slots


def _phrase_in_context(c: Any) -> bool:
    """One fixed segment with free text on both sides that reaches a clause edge in fewer than half
    of its instances: a phrase inside clauses (the phrase bank's business), not a clause frame."""
    if len(c.pieces) != 3 or c.pieces[0] or c.pieces[2] or any(t in CLOSED_TYPES for t in c.types):
        return False
    at_edge = sum(1 for *_, vals in c.inst if not vals[0] or not vals[1])
    return at_edge < 0.5 * len(c.inst)


def _without_empty_slots(t: Template) -> "Frame":
    """The frame with its never-filled slots and its slots of a single value (never empty) made fixed
    text; the same instances."""
    pieces = t.pieces
    new_pieces, slots = [pieces[0]], []
    for s, p in zip(t.slots, pieces[1:]):
        if s.values and (len(s.values) > 1 or s.n_empty):
            slots.append(s)
            new_pieces.append(p)
        else:
            new_pieces[-1] += (s.values[0] if s.values else "") + p
    names = typed_names([s.type for s in slots])
    renamed = {s.name: n for s, n in zip(slots, names)}
    for s, n in zip(slots, names):
        s.name = n
    text = render(new_pieces, names)
    insts = [Instance(i.doc_id, i.unit_id, i.sentence, i.start, i.end, i.raw_start, i.raw_end,
                      {renamed[k]: v for k, v in i.slot_values.items() if k in renamed}) for i in t.instances]
    out = Frame(template_id(text), text, slots, insts, True, True)
    out.floats = getattr(t, "floats", False)
    return out


def _without_front_matter(units: list[Any]) -> list[Any]:
    """A document's sentence units without its front matter: the lines before its first sentence
    with punctuation that hold none (title, subtitle, author: they are not the genre's sentences)."""
    for k, u in enumerate(units):
        if any(ch in u.sentence for ch in "，。；：！？"):
            return [v for v in units[:k] if any(ch in v.sentence for ch in "，。；：！？")] + units[k:]
    return units


def _floating_factor(pieces: Sequence[str], types: Sequence[str]) -> float:
    floating = bool(types) and pieces[0] == "" and pieces[-1] == "" and not any(t in CLOSED_TYPES for t in types)
    return 0.5 if floating else 1.0


# --------------------------------------------------------------------------- the frame


_ITEM = "(?:[^，；：。！？“”《》]|“[^“”]*”|《[^《》]*》)"


def _text_slot(allow_empty: bool, before_number: bool = False, most: int | None = None) -> str:
    """A free slot: clause characters, quotations and titles whole (at most ``most`` of them);
    never starting with an enumerator (一是), a dash or an opening bracket (the frame starts after
    ——, after an aside such as （鼓掌）), nor starting or ending with 、."""
    end = "(?<![、·\\d.．])" if before_number else "(?<![、·])"  # never cut a number in two
    body = f"(?![、·—（(]|[一二三四五六七八九十]是){_ITEM}{'+' if most is None else f'{{1,{most}}}'}?{end}"
    return f"((?:{body})??)" if allow_empty else f"({body})"


class Frame(Template):
    """A template whose slots stay inside a clause (a quotation or a title inside a slot may hold
    commas), matched from and to clause boundaries anywhere in a sentence; closed-type slots
    (NUM, PERCENT, MONEY, YEAR, DATE) by their patterns."""

    def regex(self) -> re.Pattern:
        if self._regex is None:
            from .frame_slots import closed_pattern

            pieces = self.pieces
            # from a clause start, or after a dash or an aside in brackets opening the clause (——, （鼓掌）)
            parts = [] if self.floats else ["(?:^|(?<=[，；：。！？])|(?<=——)|(?<=[）)]))"]
            for i, p in enumerate(pieces):
                parts.append("[，；：]".join(re.escape(x) for x in p.split("，")))
                if i < len(self.slots):
                    s = self.slots[i]
                    if s.type == "CHOICE":  # one of its values (an alternation of wording: {之年|一年}), never a number's bound
                        parts.append("(?<![0-9０-９%％.．])(" + "|".join(re.escape(v) for v in sorted(s.values, key=lambda v: (-len(v), v))) + ")")
                        continue
                    body = closed_pattern(s.type, pieces[i + 1])
                    if body is not None:
                        parts.append(f"((?:{body})?)" if s.n_empty else f"({body})")
                    else:
                        before = "".join(pieces[: i + 1])
                        if before.count("“") > before.count("”") or before.count("《") > before.count("》"):
                            # inside a quotation or a title of the fixed text: anything but its brackets
                            parts.append("([^“”《》]*?)" if s.n_empty else "([^“”《》]+?)")
                            continue
                        nxt = self.slots[i + 1].type if i + 1 < len(self.slots) and pieces[i + 1] == "" else ""
                        parts.append(_text_slot(bool(s.n_empty), closed_pattern(nxt) is not None if nxt else False))
            parts.append("(?=[，；：。！？]|$)")
            self._regex = re.compile("".join(parts), re.S)
        return self._regex

    def _groups(self) -> list[tuple] | None:
        return None  # always the regex (its slot patterns are not those of plain templates)

    def _from_regex(self, m: re.Match) -> Any:
        """The match, a name slot beside a free slot cut at the name's edge by the segmenter
        (:func:`~gkcorpus.templates.frame_names.resplit`: a regex cannot tell where a name starts)."""
        found = super()._from_regex(m)
        if "" in self.pieces[1:-1]:
            if any(s.type in ("PERSON", "PLACE", "ORG") for s in self.slots):
                from .frame_names import resplit

                resplit(self, found.values, found.spans)
            if any(s.type in _FIGURE_TYPES for s in self.slots):
                _keep_word_whole(self, found.values, found.spans)
        return found

    def fill(self, values: Any = None, strict: bool = True, **kw: Any) -> str:
        """As :meth:`Template.fill`; a ``CHOICE`` slot takes one of its values (``strict``)."""
        vals = {**(values or {}), **kw}
        for s in self.slots:
            if strict and s.type == "CHOICE" and s.name in vals and str(vals[s.name]) not in s.values:
                raise KeyError(f"{s.name} must be one of {'|'.join(s.values)}, got {vals[s.name]!r}")
        return super().fill(vals, strict)

    def match_key(self) -> str:
        """The longest clause part of the fixed text: a comma in it matches any clause mark (，；：),
        so the text it stands for need not hold that comma."""
        return max((part for p in self.pieces for part in p.split("，")), key=len)

    where = "body"  # where the frame occurs: body (sentences), heading or title lines
    floats = False  # its opening may start inside a clause (坚持以{TEXT}为指导), not only at a clause start
    copied = False  # its matches lie in passages copied between documents, its slots hold the edits (rank_tier 3)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["frame"] = True
        d["where"] = self.where
        if self.floats:
            d["floats"] = True
        if self.copied:
            d["copied"] = True
        return d

    @classmethod
    def from_template(cls, t: Template) -> "Frame":
        return cls(t.id, t.template, t.slots, t.instances, True, True)


_LEADS = "近约共计逾达"  # one-character openers a figure's pattern takes (达765万人, 计1.6万亿元)


def _keep_word_whole(t: Any, values: dict[str, str], spans: dict[str, tuple[int, int]]) -> None:
    """Where a figure slot of frame ``t`` follows a free slot with no fixed text between them and its
    value opens with a one-character opener (达, 计 …) that the segmenter joins, in context, to the free
    value's last characters (将高达|765万人, 五年累计|1.6万亿元; not 资金|达1465亿元, 收费|约2000亿元), the
    opener goes back to the free value, in place: the figure's pattern takes an opener wherever it
    stands, and a value never starts inside a word."""
    slots, pieces = t.slots, t.pieces
    for k in range(len(slots) - 1):
        a, b = slots[k], slots[k + 1]
        if pieces[k + 1] or a.type != "TEXT" or b.type not in _FIGURE_TYPES:
            continue
        free, figure = values.get(a.name, ""), values.get(b.name, "")
        if free and figure and figure[0] in _LEADS and _joins_before(free, figure):
            values[a.name], values[b.name] = free + figure[0], figure[1:]
            if a.name in spans and b.name in spans:
                spans[a.name] = (spans[a.name][0], spans[a.name][1] + 1)
                spans[b.name] = (spans[b.name][0] + 1, spans[b.name][1])


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """jieba's segmentation with the project's dictionaries (engines are shared by every Tokenizer)."""
    from ..text.tokenize import Tokenizer

    return Tokenizer().cut


def _joins_before(free: str, figure: str) -> bool:
    """Whether the segmenter, reading the end of ``free`` and the start of ``figure`` together, ends a
    word of two characters or more right after ``figure``'s first character (高达, 累计)."""
    before = free[-4:]
    pos, edges = 0, set()
    for word in _segmenter()(before + figure[:6]):
        pos += len(word)
        edges.add(pos)
        if pos > len(before):
            return pos == len(before) + 1 and len(word) > 1 and len(before) not in edges
    return False


def _balanced(pieces: Sequence[str]) -> bool:
    """Quotation marks and title brackets of the fixed text open and close in order (a slot may lie
    between them): a frame never holds half a quotation."""
    for a, b in (("“", "”"), ("《", "》"), ("（", "）")):
        depth = 0
        for ch in "".join(pieces):
            if ch == a:
                depth += 1
                if depth > 1:
                    return False
            elif ch == b:
                depth -= 1
                if depth < 0:
                    return False
        if depth:
            return False
    return True



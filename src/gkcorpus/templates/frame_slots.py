"""Slot types of sentence frames: what the values of one slot have in common.

A frame slot is typed by the type of (nearly) all its values (``share``, 0.9 by default), else
it is ``TEXT``. Value types, most specific first:

=========  ==================================================================================
``PERCENT`` ``7%``, ``4.5％``, ``百分之九十``, ``百分之十二点五``, ``3个百分点``, ``6.5%－7%``,
            ``百分之四至百分之五`` (a range is one value)
``MONEY``   a number with a currency unit: ``1.2万亿元``, ``500多亿元``, ``20美元``
``YEAR``    ``2018年``, ``1978年``, ``一九五四年``, ``20xx年``; as a base of comparison (比{YEAR}增长)
            also a year relative to the report's: ``上年``, ``去年``
``DATE``    months and days: ``5月15日``, ``今年5月``, ``第十二届`` (see :mod:`gkcorpus.slots`)
``NUM``     a number with its qualifiers and unit: ``1800余份``, ``百余册``, ``4.2万``, ``4800多万``,
            ``四十五点二`` (a numeral word such as ``一个``, ``两项`` is wording: TEXT)
``PERSON``  a Han name of two to four characters before ``同志``; split out of a free slot, a word
            jieba.posseg tags ``nr`` (:mod:`~gkcorpus.templates.frame_names`)
``PLACE``   every word a place name by the segmenter's part-of-speech tag (jieba.posseg ``ns``),
            optionally followed by an administrative suffix (省, 市, 县, 区, 自治区 …)
``ORG``     the last word an organisation by the segmenter's tag (``nt``), or an organisation
            suffix (局, 委员会, 人民政府 …) after at least two characters of a proper name
``TEXT``    anything else
=========  ==================================================================================

A bound after a quantity is part of its value (``8%左右``, ``900万人以上``, ``4.6%以内``): the frame
``国内生产总值增长{PERCENT}`` holds the target of every year, with or without 左右. A number before
a unit in the frame's fixed text is a quantity whatever its shape (``1.42`` before ``万亿美元`` is
MONEY, not a date), MONEY when the unit is a currency.

A PLACE slot needs at least two different values: jieba tags some common words ``ns`` (美丽, 城市),
and a slot holding one such word or nothing (``和谐{PLACE}`` holding 美丽) rests on that tag alone; it
is typed TEXT (a lone real place, 促进{TEXT}经济 holding 澳门, is typed TEXT too).

Place names come from jieba's part-of-speech dictionary (tag ``ns``), not from a gazetteer
package: it covers provinces, cities and counties, and also the countries and regions the reports
name (德国, 柬埔寨, 印度支那), which a gazetteer of administrative divisions (cpca and its forks) does
not hold; it needs no further dependency. Its known weakness is a few common words tagged ``ns``
(城镇, 美丽); such values are rare in frame slots, and one alone does not type a slot.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from .slots import DATE_RE, NUM_RE, PERCENT_RE, PERSON_RE

__all__ = ["FRAME_SLOT_TYPES", "CLOSED_TYPES", "value_type", "frame_slot_type", "trim_value", "ENUMERATOR", "quantity_kind",
           "split_quantity"]

FRAME_SLOT_TYPES = ("NUM", "PERCENT", "DATE", "YEAR", "MONEY", "ORG", "PLACE", "PERSON", "TEXT")
CLOSED_TYPES = frozenset({"NUM", "PERCENT", "DATE", "YEAR", "MONEY"})
NAME_TYPES = ("PERSON", "PLACE", "ORG")

_AR = r"\d+(?:[.．]\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMBER = rf"[{_CN}]*[零〇一二两三四五六七八九十百千][{_CN}]*"  # 万 or 亿 alone is a unit, not a number
# a bound after a quantity belongs to it (8%左右, 900万人以上: a target as written); a range is one value
BOUND = r"(?:左右|以上|以内|以下|上下)?"
_RANGE = "[-－—～~至到]"
MONEY_RE = re.compile(
    rf"(?:近|约|共|共计|计|逾|达|超过)?(?:{_AR}|{_CN_NUMBER})(?:[万亿千百]+)?(?:多|余)?(?:元|美元|人民币|万元|亿元){BOUND}")
YEAR_RE = re.compile(r"(?:(?:19|20)\d{2}|(?:19|20)[xX]{2}|[〇○零一二三四五六七八九]{4})年(?:度)?")
# a year as a point of comparison: a date (一九五二年, 1978年) or one relative to the report's (上年, 去年)
BASE_YEAR_RE = re.compile(rf"{YEAR_RE.pattern}|(?:上年|去年|前年|同年|当年)(?:同期)?")
PERCENT_PLUS_RE = re.compile(
    rf"(?:近|约|达|超过)?(?:{_AR}[%％]?{_RANGE}{_AR}[%％]|百分之[{_CN}\d.点]+(?:{_RANGE}(?:百分之)?[{_CN}\d.点]+)?"
    rf"|{PERCENT_RE.pattern}){BOUND}")
# a number in Chinese numerals with a decimal point (四十五点二, as the older reports write figures), or a number
# or a count in tens of thousands with 多/余 before its 万 or 亿 (4800多万, 300余万人)
NUM_PLUS_RE = re.compile(rf"(?:(?:近|约|达)?[{_CN}]+点[{_CN}]+|(?:近|约|共|逾|达)?(?:{_AR}|{_CN_NUMBER})(?:多|余)[万亿]+"
                         rf"(?:人次|人|户|吨|亩|元|个|项|名|家|套|辆|公里)?|{NUM_RE.pattern}){BOUND}")
ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}(?=[，、])|[一二三四五六七八九十]{1,3}[、．.]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]、?|\d{1,2}[、．.](?!\d))")
# a numeral word: one small numeral and at most a classifier (一个, 两项, 三) — wording, not a quantity
_NUMERAL_WORD = re.compile(r"[一两二三四五六七八九十几][个项批种些次条类大点方面]?")
# the fixed text after a number slot begins with a currency, with its multipliers (万亿美元, 亿元)
_CURRENCY_AFTER = re.compile(r"[万亿千百]*(?:元|美元)")
# … or with any unit of a quantity: the value before it is a number, whatever its shape (1.42 before
# 万亿美元 is an amount, not the date 1.42)
_UNIT_AFTER = re.compile(r"[万亿千百]*(?:元|美元|[%％]|个百分点|人|户|吨|亩|公里|平方米|千瓦|斤|担|辆|台|套|项|所|个|家|名|倍)")
_EDGE_PUNCT = "，；：。！？、,;:!?·—…（）()《》“”‘’「」 \t\u3000"
_ADMIN = ("自治区", "自治州", "自治县", "特别行政区", "省", "市", "县", "区", "州", "盟", "旗")
_GENRE_ORGS = frozenset({"国务院", "党中央", "中共中央", "党", "中央"})
_ORG_SUFFIX = re.compile(
    r"(?:人民政府|委员会|办公厅|办公室|管理局|办事处|人民银行|银行|公司|集团|协会|大学|学院|医院|研究院|研究所"
    r"|总局|政府|党委|党组|国务院|局|部|委|署|院|会)$")


_QUANTITY = re.compile(rf"(?:近|约|共|共计|计|逾|达|超过)?(百分之)?({_AR}|[{_CN}]+(?:点[{_CN}]+)?)(\D*)")


def split_quantity(value: str) -> tuple[str, str] | None:
    """A quantity as its number and its unit, as a table of figures keeps them (``859万人`` →
    ``("859", "万人")``, ``7.5%`` → ``("7.5", "%")``, ``百分之十二点五`` → ``("十二点五", "%")``,
    ``1998年`` → ``("1998", "年")``); qualifiers (约, 近 …) are dropped. None when ``value`` is not
    one number followed by a unit (a range is two)."""
    m = _QUANTITY.fullmatch(value.strip())
    if not m or re.search(_RANGE, m.group(3)):
        return None  # not a quantity, or a range of two (百分之四至百分之五)
    unit = ("%" if m.group(1) else "") + m.group(3).replace("％", "%")
    return m.group(2).replace("．", "."), unit


def quantity_kind(value: str) -> str:
    """``PERCENT``, ``MONEY`` or ``NUM``: the kind of a quantity, by its pattern alone."""
    if PERCENT_PLUS_RE.fullmatch(value):
        return "PERCENT"
    return "MONEY" if MONEY_RE.fullmatch(value) else "NUM"


def trim_value(value: str) -> str:
    """A slot value without enumerators (一是, （一）, 1.) or punctuation at either edge."""
    v = value.strip(_EDGE_PUNCT)
    while True:
        m = ENUMERATOR.match(v)
        if not m or m.end() == 0:
            break
        v = v[m.end():].strip(_EDGE_PUNCT)
    return v


@lru_cache(maxsize=65536)
def _tags(value: str) -> tuple[tuple[str, str], ...]:
    from ..text.postags import posseg

    return tuple((w.word, w.flag) for w in posseg().cut(value))


def is_predicate(text: str) -> bool:
    """Whether ``text`` is a predicate of whole words: it opens with a preposition or a verb and ends
    in a verb (比上年增长, 提高到) — not the tail of a noun phrase (上年增长, 外商直接投资)."""
    tags = _tags(text)
    return bool(tags) and tags[0][1][:1] in ("p", "v") and tags[-1][1].startswith("v")


def is_measure(text: str) -> bool:
    """Whether ``text`` names a measure a number follows (财政赤字, 粮食产量): four Han characters or
    more, nouns only (jieba.posseg), a common noun last."""
    if len(text) < 4 or not re.fullmatch("[\u4e00-\u9fff]+", text):
        return False
    tags = _tags(text)
    return bool(tags) and all(f[:1] == "n" for _, f in tags) and tags[-1][1] in ("n", "vn")


def is_measure_change(text: str) -> bool:
    """Whether ``text`` is a measure and the predicate a number follows, in whole words
    (单位国内生产总值能耗下降, 全国财政收入增长): nouns (or a place word such as 国内) of four Han
    characters or more, a common noun last, then words opening with a verb or preposition and
    ending in a verb."""
    if len(text) < 6 or not re.fullmatch("[\u4e00-\u9fff]+", text):
        return False
    tags = _tags(text)
    j = next((k for k, (_, f) in enumerate(tags) if f[:1] in ("p", "v")), 0)
    noun, verb = tags[:j], tags[j:]
    return (bool(noun) and bool(verb) and sum(len(w) for w, _ in noun) >= 4
            and all(f[:1] == "n" or f == "s" for _, f in noun) and noun[-1][1] in ("n", "vn")
            and verb[-1][1].startswith("v"))


def _is_place(value: str) -> bool:
    if len(value) < 2 or len(value) > 20:
        return False
    tags = _tags(value)
    words = [t for t in tags if t[0] not in "、和及与"]
    if not words:
        return False
    for w, f in words:
        if f == "ns" or (w in _ADMIN):
            continue
        if f.startswith("ns") or any(w.endswith(a) and len(w) > len(a) and _tags(w[: -len(a)])
                                      and all(x[1] == "ns" for x in _tags(w[: -len(a)])) for a in _ADMIN):
            continue
        return False
    return True


def _is_org(value: str) -> bool:
    """An organisation: names only (中国共产党, 国家发展改革委), or a noun phrase headed by one whose
    modifier ends in 的 (以江泽民同志为核心的党中央): its words after the last 的 are names. The
    genre's own names without a suffix or a segmenter's tag count too (the Party, 党; the centre, 中央)."""
    if value in _GENRE_ORGS:
        return True
    if len(value) < 2 or len(value) > 24:
        return False
    tags = _tags(value)
    if tags and tags[-1][1] == "nt" and all(f[0] in "nj" for _, f in tags):
        return True
    words = [w for w, _ in tags]
    if "的" in words[:-1] and tags[0][1][:1] != "v":
        head = value[len("".join(words[: len(words) - 1 - words[::-1].index("的")])) + 1:]
        return head != value and _is_org(head)
    m = _ORG_SUFFIX.search(value)
    if not m or m.start() < 2:
        return False
    last = tags[-1][0]
    if len(m.group()) < len(last) < len(m.group()) + 2:
        return False  # the suffix ends a common word of its own (战略布局: 布局, not a 局)
    return all(f[0] in "nj" or f == "ns" for _, f in tags)


def value_type(value: str, before: str = "", after: str = "") -> str:
    """The most specific type of one value (``before``/``after``: the fixed text around it)."""
    v = value.strip()
    if not v:
        return "TEXT"
    if PERCENT_PLUS_RE.fullmatch(v):
        return "PERCENT"
    if MONEY_RE.fullmatch(v):
        return "MONEY"
    number = bool(NUM_PLUS_RE.fullmatch(v) and re.search(rf"[\d{_CN}]", v) and not _NUMERAL_WORD.fullmatch(v))
    if number and _UNIT_AFTER.match(after):  # the unit is the frame's wording
        return "MONEY" if _CURRENCY_AFTER.match(after) else "NUM"
    if YEAR_RE.fullmatch(v) or (before.endswith(("比", "较")) and BASE_YEAR_RE.fullmatch(v)):
        return "YEAR"
    if DATE_RE.fullmatch(v):
        return "DATE"
    if number:
        return "NUM"
    if after.startswith("同志") and PERSON_RE.fullmatch(v):
        return "PERSON"
    if _is_place(v):
        return "PLACE"
    if _is_org(v):
        return "ORG"
    return "TEXT"


def frame_slot_type(values: Iterable[str], before: str = "", after: str = "", share: float = 0.9) -> str:
    """The type of (nearly) all non-empty ``values`` (at least ``share`` of them), else ``TEXT``.

    A NUM slot whose values are all percents, money or years is that; a mixture of NUM with
    PERCENT or MONEY is NUM."""
    vals = sorted(v for v in values if v)
    if not vals:
        return "TEXT"
    if len(vals) > 64:  # an even sample of 64 values (sorted, so the same values give the same type)
        step = len(vals) / 64
        vals = [vals[int(i * step)] for i in range(64)]
    counts: dict[str, int] = {}
    n = len(vals)
    for v in vals:
        # a modifier before the fixed text's head noun (党中央的|领导下) is typed without its 的
        t = value_type(v[:-1] if v.endswith("的") and len(v) > 2 and not after.startswith("的") else v, before, after)
        counts[t] = counts.get(t, 0) + 1
        if counts.get("TEXT", 0) > n - share * n:
            return "TEXT"  # too many free values for any type (the rest need not be looked at)
    best = max(counts, key=lambda k: (counts[k], k))
    if best == "PLACE" and len(set(vals)) < 2:
        return "TEXT"  # one word throughout, or left out: the segmenter's place tag alone (和谐|美丽, 城市)
    if best != "TEXT" and counts[best] >= share * n:
        return best
    numeric = sum(counts.get(k, 0) for k in ("NUM", "PERCENT", "MONEY"))
    if numeric >= share * n and numeric > 0:
        return "NUM"
    return "TEXT"


def closed_pattern(kind: str, after: str = "") -> str | None:
    """The regex body accepting values of a closed type (None for open types); ``after``: the fixed
    text after the slot (a MONEY slot before 亿元 holds the number only)."""
    if kind == "MONEY" and _CURRENCY_AFTER.match(after):
        return NUM_PLUS_RE.pattern
    # a NUM slot holds a mixture of quantities (a count, an amount, a percent): its pattern takes them all
    return {"PERCENT": PERCENT_PLUS_RE.pattern, "MONEY": MONEY_RE.pattern, "YEAR": BASE_YEAR_RE.pattern,
            "DATE": DATE_RE.pattern, "NUM": f"{PERCENT_PLUS_RE.pattern}|{NUM_PLUS_RE.pattern}"}.get(kind)


def typed_names(types: Sequence[str]) -> list[str]:
    """Slot names from types: ``TEXT, NUM, TEXT_2`` (the first of a type bare, then numbered)."""
    seen: dict[str, int] = {}
    out = []
    for t in types:
        seen[t] = seen.get(t, 0) + 1
        out.append(t if seen[t] == 1 else f"{t}_{seen[t]}")
    return out


def is_modifier(word: str) -> bool:
    """Whether ``word`` is a particle or an adverb (jieba.posseg: 的, 地, 了, 更加, 共同, 努力 as an
    adverb): wording a frame may hold or leave out, not content of its own."""
    tags = _tags(word)
    return bool(tags) and all(f.startswith("u") or f in ("d", "ad") for _, f in tags)


def holds_modifiers(values: Sequence[str], share: float = 0.9) -> bool:
    """Whether (nearly) all filled ``values`` (one per instance; ``share``, as for a slot's type) are
    particles or adverbs (:func:`is_modifier`)."""
    filled = [v for v in values if v]
    return bool(filled) and sum(map(is_modifier, filled)) >= share * len(filled)

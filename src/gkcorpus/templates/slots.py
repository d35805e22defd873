"""Slot types: what kind of value fills a gap in a sentence template.

A template is fixed text with typed slots (``此次活动共接访群众{NUM}余人``). The miner finds the
gaps; this module says what a gap holds, so that the template reads naturally and a matcher
knows what to accept:

=============  =====================================================================
``NUM``        Arabic or Chinese numerals with 近/约/共 before and 余/多 after, a 万/亿
               multiplier and a unit: ``100``, ``五十余人``, ``近20万份``, ``4.2万余条次``
``PERCENT``    ``100%``, ``98.5％``, ``百分之九十``
``DATE``       ``5月15日``, ``20xx年``, ``2019年5月22日``, ``5月14至16日``, ``9-10月``,
               ``第十二届``, ``5·15``, ``今年5月15日``, ``一九四九年``
``PLACEHOLDER`` anonymisation marks kept by the cleaner: ``XX``, ``xx``, ``20xx``, ``xxxx``
``DOC_TITLE``  a document title, ``《…》`` (or the text between 《 and 》)
``QUOTE``      a quoted phrase, ``“…”`` (or the text between “ and ”)
``ORG``        an organisation: ``…局``, ``…委``, ``…办``, ``…镇``, ``…街道办事处``, ``…中心`` …
``PLACE``      a place: ``…省/市/县/区/村/社区/广场``, ``全县``, ``本地区`` …
``PERSON``     a name right before ``同志`` (``以{PERSON}同志为核心``)
``TEXT``       anything else (free text); a free slot may get a readable role name such
               as ``TOPIC`` from its context (``现将{TOPIC}总结如下``)
=============  =====================================================================

Everything here is a pure function of strings.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

__all__ = [
    "SLOT_TYPES",
    "TYPED",
    "classify",
    "slot_type",
    "slot_name",
    "slot_pattern",
    "slot_constraint",
    "find_entities",
    "parse_number",
    "base_type",
    "common_affix",
    "ENTITY_KINDS",
    "NUM_AFFIX_CHARS",
]

SLOT_TYPES = ("NUM", "PERCENT", "DATE", "PLACEHOLDER", "DOC_TITLE", "QUOTE", "ORG", "PLACE", "PERSON", "TEXT")
# Types whose values are closed patterns (a matcher can require the pattern, a miner counts them as "explained").
TYPED = frozenset({"NUM", "PERCENT", "DATE", "PLACEHOLDER", "DOC_TITLE", "QUOTE", "ORG", "PLACE", "PERSON"})

_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_AR = r"\d+(?:[.．]\d+)?"  # the full-width point too (13．65, as many reports write it)
# Chinese numerals with at least one digit-word: 万 or 亿 alone is a unit (亿元), not a number
_CN = f"[{_CN_NUM}]*[零〇一二两三四五六七八九十百千][{_CN_NUM}]*"
_UNITS = (
    "人次|人|份|条次|条|场次|场|次|个|件|家|本|册|张|名|项|期|篇|批|户|万元|亿元|元|台|处|块|幅|天|"
    "小时|周|所|类|位|轮|套|种|部|座|辆|吨|亩|公里|平方米|米|单位|余"
)
NUM_AFFIX_CHARS = frozenset("近约共计逾达余多来" + "".join(_UNITS.split("|")))
_NUM_BODY = rf"(?:近|约|共|共计|计|逾|达)?(?:{_AR}|{_CN})(?:[万亿千百])?(?:余|多|来)?(?:{_UNITS})?"
NUM_RE = re.compile(_NUM_BODY)
PERCENT_RE = re.compile(rf"(?:近|约|达)?{_AR}[%％]|百分之[{_CN_NUM}\d.]+|{_AR}个百分点")

_YEAR = r"(?:(?:19|20)\d{2}|(?:19|20)[xX]{2}|[xX]{4}|[〇零一二三四五六七八九]{4})年"
_REL = r"(?:今年|去年|本年|明年|当年|上年|同年|当月|本月|今年以来)"
_MON = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_MD = rf"{_MON}(?:[-－~～至到]{_MON})?月(?:(?:初|中旬|下旬|上旬|底|末)|{_DAY}(?:[-－~～至到]{_DAY})?[日号])?|{_DAY}[日号]"
DATE_RE = re.compile(
    rf"(?:{_REL}|{_YEAR})?(?:{_MD})"  # 5月15日, 今年5月15日, 2019年5月22日, 9-10月
    rf"|{_YEAR}(?:度|底|初)?"  # 20xx年, 2018年度
    rf"|第[{_CN_NUM}\d]+届"  # 第十二届
    r"|\d{1,2}[·•]\d{1,2}"  # 5·15
    r"|(?:0?[1-9]|1[0-2])\.(?:0[1-9]|[12]\d|3[01])(?!\d)"  # 5.15 (a two-digit day: 4.2万, 1.42 are numbers)
)
PLACEHOLDER_RE = re.compile(r"(?:19|20)[xX]{2}|[xX]{2,4}")
DOC_TITLE_RE = re.compile(r"《[^《》]+》(?:[和、及与]《[^《》]+》)*")
QUOTE_RE = re.compile(r"“[^“”]+”(?:[、，]?“[^“”]+”)*")

_HAN = r"\u4e00-\u9fff"
_ORG_SUFFIX = (
    "人民政府|政府|党委|党组|委员会|办公室|办公厅|街道办事处|办事处|管理局|执法大队|大队|中队|局|委|办|厅|部门|部|署|"
    "院|所|站|中心|镇|乡|街道|居委会|村委会|领导小组|小组|领导组|协会|公司|银行|学校|医院|卫生院|馆|科|处|分局"
)
ORG_RE = re.compile(rf"[{_HAN}A-Za-z0-9（）()·]{{0,24}}?(?:{_ORG_SUFFIX})")
_PLACE_SUFFIX = "省|市|县|区|州|盟|旗|村|社区|广场|市场|街|路|大厅|地区|全国|全省|全市|全县|全区|全镇|基层"
PLACE_RE = re.compile(rf"(?:全|本)?[{_HAN}A-Za-z0-9]{{0,20}}?(?:{_PLACE_SUFFIX})")
PERSON_RE = re.compile(rf"[{_HAN}]{{2,4}}")

_CLASSIFIERS: tuple[tuple[str, re.Pattern], ...] = (
    ("PLACEHOLDER", PLACEHOLDER_RE),
    ("PERCENT", PERCENT_RE),
    ("DATE", DATE_RE),
    ("NUM", NUM_RE),
    ("DOC_TITLE", DOC_TITLE_RE),
    ("QUOTE", QUOTE_RE),
    ("ORG", ORG_RE),
    ("PLACE", PLACE_RE),
)

# Free-text slots named by their context: (what the text before ends with, what the text after starts with, name).
_CONTEXT_NAMES: tuple[tuple[re.Pattern, re.Pattern, str], ...] = (
    (re.compile(r"(?:现将|现就|特将|将|就)$"), re.compile(r"^(?:工作)?(?:总结|汇报|报告)"), "TOPIC"),
    (re.compile(r""), re.compile(r"^(?:工作)?(?:总结|汇报|报告)如下"), "TOPIC"),
)

# Regex fragments a matcher uses for each type (closed types only; open ones match lazily).
_PATTERNS = {
    "NUM": NUM_RE.pattern,
    "PERCENT": PERCENT_RE.pattern,
    "DATE": DATE_RE.pattern,
    "PLACEHOLDER": PLACEHOLDER_RE.pattern,
}
_COMPILED = {"NUM": NUM_RE, "PERCENT": PERCENT_RE, "DATE": DATE_RE, "PLACEHOLDER": PLACEHOLDER_RE}


def base_type(name: str) -> str:
    """The type of a slot name: ``NUM_2`` -> ``NUM``, ``TOPIC`` -> ``TEXT``."""
    stem = re.sub(r"_\d+$", "", name)
    return stem if stem in SLOT_TYPES else "TEXT"


def classify(value: str) -> str:
    """The most specific type whose pattern covers the whole ``value`` (``TEXT`` when none does)."""
    v = value.strip()
    if not v:
        return "TEXT"
    for name, rx in _CLASSIFIERS:
        if rx.fullmatch(v):
            return name
    return "TEXT"


def slot_type(values: Iterable[str], before: str = "", after: str = "") -> str:
    """The common type of a slot's observed values, using the fixed text around it.

    Between ``《`` and ``》`` a slot is a ``DOC_TITLE``, between ``“`` and ``”`` a ``QUOTE``, before
    ``同志`` a short Han name is a ``PERSON``. Otherwise every non-empty value must classify to the
    same type; organisations and places together count as ``PLACE``; anything mixed is ``TEXT``.
    """
    vals = [v for v in values if v]
    if not vals:
        return "TEXT"
    if before.endswith("《") and after.startswith("》") and all("《" not in v and "》" not in v for v in vals):
        return "DOC_TITLE"
    if before.endswith("“") and after.startswith("”") and all("“" not in v and "”" not in v for v in vals):
        return "QUOTE"
    if after.startswith("同志") and all(PERSON_RE.fullmatch(v) for v in vals):
        return "PERSON"
    kinds = {classify(v) for v in vals}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds <= {"ORG", "PLACE"}:
        return "PLACE"
    if kinds <= {"NUM", "PERCENT"}:
        return "NUM"
    return "TEXT"


def slot_name(kind: str, before: str = "", after: str = "") -> str:
    """A readable name for a slot: its type, or for free text a role from the context (``TOPIC``)."""
    if kind != "TEXT":
        return kind
    for rx_before, rx_after, name in _CONTEXT_NAMES:
        if rx_before.search(before) and rx_after.search(after):
            return name
    return "TEXT"


def slot_pattern(kind: str, allow_empty: bool = False, clause: bool = False) -> str:
    """A regex fragment (one capturing group) accepting values of ``kind``.

    Closed types (numbers, dates, percents, placeholders) use their patterns; titles and quotes
    exclude their brackets; open types match lazily. ``clause=True`` keeps a lazy slot inside one
    clause (no ``，；：``), for the open first or last slot of a template.
    """
    if kind in _PATTERNS:
        return f"({_PATTERNS[kind]})"
    if kind == "DOC_TITLE":
        return "([^《》]+?)" if not allow_empty else "([^《》]*?)"
    if kind == "QUOTE":
        return "([^“”]+?)" if not allow_empty else "([^“”]*?)"
    body = "[^，；：]" if clause else "."
    return f"({body}{'*' if allow_empty else '+'}?)"


def _checkable(pattern: str) -> tuple[bool, bool]:
    """``(supported, digit_lookahead)``: can a matcher test a value of this pattern on its own with
    ``fullmatch(text, start, end)``? Not if it holds anchors, word boundaries or lookarounds (they look
    outside the value), except a final ``(?!\\d)``, which then depends on the character after it."""
    body = pattern.replace(r"(?!\d)", "")
    bad = re.search(r"\\[bBAZ]|(?<!\\)[$^]|\(\?<?[=!]", body.replace("[^", "["))
    return bad is None, body != pattern


def slot_constraint(kind: str, allow_empty: bool = False, clause: bool = False) -> tuple | None:
    """What :func:`slot_pattern` accepts, for a matcher that tests values without a regex per template.

    ``("pattern", compiled, allow_empty, digit_lookahead)`` for closed types (the value must
    ``fullmatch``; with ``digit_lookahead`` not before a digit), ``("class", excluded, allow_empty)``
    for open ones (any value without the ``excluded`` characters), None when a value cannot be tested
    on its own. ``allow_empty`` for a closed type means the optional form ``((?:P)?)``.
    """
    if kind in _PATTERNS:
        ok, digit = _checkable(_PATTERNS[kind])
        return ("pattern", _COMPILED[kind], allow_empty, digit) if ok else None
    if kind == "DOC_TITLE":
        return ("class", "《》", allow_empty)
    if kind == "QUOTE":
        return ("class", "“”", allow_empty)
    return ("class", "，；：" if clause else "", allow_empty)


# In running text only numbers with a digit or a numeral followed by a qualifier/unit count
# (一 in 统一 or 一站式 is not a number).
_NUM_IN_TEXT = re.compile(
    rf"(?:近|约|共|逾)?{_AR}(?:[万亿千百])?(?:余|多|来)?(?:{_UNITS})?"
    rf"|(?:近|约|共|逾)?[{_CN_NUM}]+(?:余|多)(?:{_UNITS})?"
)

ENTITY_KINDS = ("DOC_TITLE", "QUOTE", "PERCENT", "DATE", "PLACEHOLDER", "NUM")
_FINDERS = {"DOC_TITLE": DOC_TITLE_RE, "QUOTE": QUOTE_RE, "PERCENT": PERCENT_RE, "DATE": DATE_RE,
            "PLACEHOLDER": PLACEHOLDER_RE, "NUM": _NUM_IN_TEXT}
# A character every match of a kind holds (a cheap test that spares the full search of most texts).
_NEEDS = {
    "DOC_TITLE": re.compile("《"),
    "QUOTE": re.compile("“"),
    "PERCENT": re.compile(r"\d|百分之"),
    "DATE": re.compile(r"[\d年月日号届]"),
    "PLACEHOLDER": re.compile("[xX]"),
    "NUM": re.compile(rf"[\d{_CN_NUM}]"),
}


def find_entities(text: str, kinds: Sequence[str] = ENTITY_KINDS) -> list[tuple[int, int, str]]:
    """Typed spans in running text (titles, quotes, percents, dates, placeholders, numbers).

    Used to widen a slot that cuts through a value (``5月{NUM}日`` becomes ``{DATE}``). Spans are
    ``(start, end, type)``, sorted, non-overlapping; the earlier and longer span wins. ``kinds``
    restricts the search (values only, so that a title does not hide the date inside it).
    """
    found: list[tuple[int, int, str]] = []
    for kind in kinds:
        if not _NEEDS[kind].search(text):
            continue  # none of the characters every match of this kind holds
        for m in _FINDERS[kind].finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), kind))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str]] = []
    end = -1
    for s, e, k in found:
        if s >= end:
            out.append((s, e, k))
            end = e
    return out


_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}


def _chinese_to_int(s: str) -> int | None:
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_VALUES:
            digit = _CN_VALUES[ch]
        elif ch in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
        elif ch in _BIG:
            section += digit or 0
            total += (section or 1) * _BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def parse_number(value: str) -> float | None:
    """The numeric value of a ``NUM`` or ``PERCENT`` value, ignoring qualifiers and units.

    ``100余人`` -> 100, ``五十余人`` -> 50, ``近20万份`` -> 200000, ``4.2万余条次`` -> 42000,
    ``百余册`` -> 100, ``100%`` -> 100. ``None`` when there is no number in it.
    """
    v = value.strip()
    m = re.search(rf"({_AR})\s*([万亿千百]*)", v)
    if m:
        num = float(m.group(1).replace("．", "."))
        for unit in m.group(2):  # 1.2万亿 is 1.2 × 10^4 × 10^8
            num *= {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}[unit]
        return num
    m = re.search(f"[{_CN_NUM}]+", v)
    if m:
        n = _chinese_to_int(m.group())
        return float(n) if n is not None else None
    return None


def common_affix(values: Sequence[str], suffix: bool) -> str:
    """The longest common prefix (or suffix) of all ``values``."""
    if not values:
        return ""
    if suffix:
        rev = common_affix([v[::-1] for v in values], False)
        return rev[::-1]
    lo, hi = min(values), max(values)
    n = 0
    while n < len(lo) and lo[n] == hi[n]:
        n += 1
    return lo[:n]

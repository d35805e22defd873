"""Scraped-text repair pipeline: ``Cleaner().clean(raw) -> CleanResult(text, offsets, report)``.

The bundled page (and pages from the same kind of site) went through byte-level processing
of its GBK encoding before it reached us. The steps, in the order they run:

``mojibake``
    Undo the byte-level damage (see "The damage model" below): re-encode the garbled run to
    GBK, undo the mechanism, re-decode. Runs first because it needs the raw pinyin glosses:
    they are checksums telling which character stood before each of them.
``pinyin``
    Remove the remaining ``(pinyin)`` glosses (and ``?pinyin)`` ones whose ``(`` was eaten).
``watermark``
    Remove the stray apostrophe, backtick or dot inserted after ``的`` inside a sentence.
    After ``pinyin`` so that ``的(de)'`` cannot hide one; before ``punctuation``.
``script``
    Traditional to Simplified with OpenCC (``tw2s`` by default), line by line. After the
    repairs, which work on the page's GBK (Traditional) bytes.
``markup``
    Web debris: HTML comments and tags, entities (``&nbsp;``) and literal code-point escapes
    (``<U+00A0>``, as R's scrapers write them) become the characters they stand for or nothing.
``chrome``
    Whole short lines of portal furniture (``当前位置：首页>>…``, ``【字体：大 中 小】``,
    ``中央政府门户网站 www.gov.cn … 来源：…``, ``打印本页``/``关闭窗口``). After ``script``, so
    that one list of Simplified patterns serves Traditional pages too.
``repeats``
    Blocks of at least three lines (60+ characters), or of any lines totalling 2,000+ characters,
    that repeat an earlier block verbatim, as scrapers write them when a selector matches nested
    elements: later copies are removed. A short repeated line (``各位代表！``) is content and stays.
``punctuation``
    ASCII prose punctuation to full-width, except inside numbers (``1,000``, ``10:30``).
``whitespace``
    One ``\\n`` between paragraphs, stripped lines, no empty lines. Last, because every
    earlier deletion can leave blank lines or edge spaces behind.

The damage model (mechanisms measured on the seed page; ``_corrupt`` replays them and the
tests check that the repair undoes them):

(a) a pinyin annotator inserted ``(pinyin)`` after the GBK bytes of listed characters by
    byte-level find-and-replace, so it also fired where the two bytes straddled two real
    characters; the bytes were then decoded with a decoder that turns an invalid pair
    (lead byte + non-trail byte) into ``?`` and swallows both bytes: ``真傳達`` ->
    ``真?zhèn)鬟_(dá)``.
(b) a later full-width to half-width step replaced the bytes ``A3 AC/BB/BF/A1``
    (，；？！) also where ``A3`` was the second byte of a character (。保校常 ...),
    and the result was decoded with a decoder that drops a lead byte followed by a
    non-trail byte and drops unmapped pairs (once, only their first byte):
    ``。活動`` -> ``;顒(dòng)``, ``學校基本辦`` -> ``學;巨k``.
(c) a stray ``A1`` byte before a paragraph-opening ``（X）``, decoded as in (b):
    ``（一）認識`` -> ``。ㄒ唬┱J(rèn)識``.

The damage did not hit every site it could have (two ``保、`` hold ``A3 A1`` and are
intact), so the repair does not re-run it blindly: it starts from evidence in the raw text
(a gloss that does not fit the char before it, ``?pinyin)``, a stray ASCII letter, two
marks in a row, a line opening with ``。``), walks the misaligned bytes back into step,
and where bytes are unknown picks the char that reads best under jieba's word
frequencies, or leaves ``□`` (reported in ``CleaningReport.lost``) when nothing decides.

Every change is an :class:`~gkcorpus.base.edits.Edit`; the composed :class:`OffsetMap` maps each
clean character back to the raw characters it came from.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from ...base.edits import Edit, OffsetMap, apply_edits

__all__ = [
    "STEPS",
    "StepReport",
    "LostSpan",
    "CleaningReport",
    "CleanResult",
    "Cleaner",
    "clean",
    "load_gloss_table",
]

STEPS: tuple[str, ...] = (
    "mojibake", "pinyin", "watermark", "script", "markup", "chrome", "repeats", "punctuation", "whitespace",
)

LOST_MARKER = "□"


# --------------------------------------------------------------------------- report


@dataclass
class StepReport:
    """What one step changed: ``positions`` are raw spans (offsets into the input of ``clean``)."""

    step: str
    count: int
    positions: list[tuple[int, int]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class LostSpan:
    """Content that the damage destroyed; ``marker`` (□) stands for it in the clean text."""

    start: int
    end: int
    raw_start: int
    raw_end: int
    marker: str
    context: str
    reason: str


@dataclass
class CleaningReport:
    steps: list[StepReport] = field(default_factory=list)
    lost: list[LostSpan] = field(default_factory=list)
    placeholders: list[tuple[int, int, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Step name -> number of changes, in pipeline order."""
        return {s.step: s.count for s in self.steps}

    def step(self, name: str) -> StepReport:
        for s in self.steps:
            if s.step == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> "CleaningReport":
        return cls(
            steps=[
                StepReport(
                    s["step"],
                    int(s["count"]),
                    [(int(a), int(b)) for a, b in s.get("positions", [])],
                    list(s.get("examples", [])),
                    dict(s.get("kinds", {})),
                )
                for s in d.get("steps", [])
            ],
            lost=[LostSpan(**x) for x in d.get("lost", [])],
            placeholders=[(int(a), int(b), str(t)) for a, b, t in d.get("placeholders", [])],
        )


@dataclass
class CleanResult:
    text: str
    offsets: OffsetMap
    report: CleaningReport


# --------------------------------------------------------------------------- glosses

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_CHARS = "a-zü" + _TONED
# A gloss is tone-marked pinyin in parentheses; "?" stands for a "(" eaten by mechanism (a).
_PINYIN = rf"[{_PINYIN_CHARS}]*[{_TONED}][{_PINYIN_CHARS}]*"
_GLOSS_RE = re.compile(rf"[(（?]({_PINYIN})[)）]")


@lru_cache(maxsize=1)
def load_gloss_table() -> dict[str, str]:
    """The packaged list of characters the site glosses: char -> pinyin."""
    text = resources.files("gkcorpus").joinpath("data/pinyin_chars.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            char, pinyin = line.split("\t")
            table[char] = pinyin
    return table


class _Glosses:
    """A gloss table indexed by GBK bytes: which byte pairs carry which pinyin."""

    def __init__(self, table: Mapping[str, str]):
        self.table = dict(table)
        self.pairs: dict[str, list[bytes]] = {}
        for char, pinyin in self.table.items():
            b = _gbk(char)
            if b is not None and len(b) == 2:
                self.pairs.setdefault(pinyin, []).append(b)

    def owners(self, pinyin: str, first: int | None = None, second: int | None = None) -> list[bytes]:
        """Byte pairs of listed characters glossed ``pinyin`` (optionally with a given byte)."""
        return [
            b
            for b in self.pairs.get(pinyin, [])
            if (first is None or b[0] == first) and (second is None or b[1] == second)
        ]


# --------------------------------------------------------------------------- GBK helpers


@lru_cache(maxsize=None)
def _gbk(char: str) -> bytes | None:
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        return None


@lru_cache(maxsize=None)
def _pair(b1: int, b2: int) -> str | None:
    """The character GBK bytes ``b1 b2`` decode to, or None."""
    try:
        s = bytes((b1, b2)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return s if len(s) == 1 else None


def _is_trail(b: int) -> bool:
    return 0x40 <= b <= 0xFE and b != 0x7F


_FW = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HW = {v: k for k, v in _FW.items()}
_HW_TABLE = str.maketrans(_HW)
# second bytes of the full-width marks that mechanism (b) replaced (first byte A3)
_B_MARKS = {",": 0xAC, ";": 0xBB, "?": 0xBF, "!": 0xA1}


def _token_bytes(char: str) -> bytes | None:
    """GBK bytes a raw character had before the half-width step (prose punctuation was full-width)."""
    return _gbk(_FW.get(char, char))


# --------------------------------------------------------------------------- damage model
# Private helpers that replay mechanisms (a), (b), (c); the tests corrupt clean text with them.


def _annotate(data: bytes, glosses: _Glosses, order: Sequence[str] | None = None) -> bytes:
    """Mechanism (a): for each listed char in turn, insert its gloss after every byte match."""
    for char in order or glosses.table:
        b = _gbk(char)
        if b is None:
            continue
        data = data.replace(b, b + ("(" + glosses.table[char] + ")").encode("gbk"))
    return data


def _decode_question(data: bytes) -> str:
    """Decoder of mechanism (a): an undecodable pair becomes ``?`` and both bytes are lost."""
    out: list[str] = []
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        ch = _pair(b, data[i + 1]) if i + 1 < len(data) else None
        out.append(ch if ch is not None else "?")
        i += 2
    return "".join(out)


def _decode_drop(data: bytes) -> tuple[str, int | None]:
    """Decoder of mechanisms (b, c): drop a lead byte before a non-trail byte, drop unmapped pairs.

    Returns the text and a trailing lead byte left without its pair (None if none).
    """
    out: list[str] = []
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
        elif i + 1 == len(data):
            return "".join(out), b
        elif _is_trail(data[i + 1]):
            ch = _pair(b, data[i + 1])
            if ch is not None:
                out.append(ch)
            i += 2
        else:
            i += 1
    return "".join(out), None


def _replace_marks(data: bytes) -> bytes:
    """Mechanism (b): bytes A3 AC/BB/BF/A1 become , ; ? ! wherever they are."""
    inverse = {v: k.encode() for k, v in _B_MARKS.items()}
    return re.sub(rb"\xa3[\xac\xbb\xbf\xa1]", lambda m: inverse[m.group()[1]], data)


def _corrupt(
    text: str,
    glosses: _Glosses | None = None,
    *,
    marks: bool = True,
    stray_a1: bool = False,
    order: Sequence[str] | None = None,
) -> str:
    """Replay the page's damage on one line of clean Traditional text (full-width punctuation).

    Glosses are inserted (mechanism a), the bytes decoded with ``?``; the result re-encoded,
    optionally prefixed by a stray A1 (c), full-width marks replaced at byte level (b) and
    decoded dropping bad bytes; finally the character-level half-width step.
    """
    glosses = glosses or _Glosses(load_gloss_table())
    stage1 = _decode_question(_annotate(text.encode("gbk"), glosses, order))
    data = stage1.encode("gbk")
    if stray_a1:
        data = b"\xa1" + data
    if marks:
        data = _replace_marks(data)
    return _decode_drop(data)[0].translate(_HW_TABLE)


# --------------------------------------------------------------------------- plausibility


# Log-probabilities of punctuation in Chinese prose (jieba's dictionary has none), rough.
_PUNCT_LOGP = {"。": -3.0, "，": -3.0, "、": -4.5, "；": -5.5, "：": -5.5, "？": -6.0, "！": -6.5,
               "“": -5.5, "”": -5.5, "（": -6.0, "）": -6.0, "《": -6.5, "》": -6.5, "‘": -8.0, "’": -8.0}
_PUNCT_CANDIDATES = frozenset(_PUNCT_LOGP)
_LINE_FINAL = frozenset("。！？；：”’）》")
_CLOSING = frozenset("”’）》")
_OPENING = frozenset("“‘（《")
_FILL_MARGIN = 3.0  # an unknown char is filled only if it beats the runner-up by this (log)
_FILL_MARGIN_PUNCT = 2.0  # ... or by this when it is a punctuation mark


@lru_cache(maxsize=1)
def _jieba_freq() -> tuple[Mapping[str, int | str], float]:
    """jieba's word frequencies (Simplified) and log of their total, loaded on first use.

    Reuses jieba's loaded dictionary when the tokenizer already initialised it; otherwise
    reads jieba's ``dict.txt`` directly, three times faster than initialising jieba.
    Values may be ints or digit strings.
    """
    import jieba

    if jieba.dt.initialized:
        return jieba.dt.FREQ, math.log(jieba.dt.total)
    with jieba.dt.get_dict_file() as f:
        data = f.read().decode("utf-8")
    pairs = re.findall(r"^(\S+) (\d+)", data, re.M)
    return dict(pairs), math.log(sum(int(c) for _, c in pairs))


class _WordModel:
    """How plausible a short Traditional string is: log-probability of its best segmentation
    under jieba's unigram word model (after OpenCC to Simplified). Ranks repair hypotheses."""

    def __init__(self, to_simplified: Callable[[str], str]):
        self.freq, self.log_total = _jieba_freq()
        self.to_simplified = to_simplified
        self._cache: dict[str, tuple[float, list[int]]] = {}
        self._common: dict[str, bool] = {}

    def _route(self, s: str) -> tuple[float, list[int]]:
        hit = self._cache.get(s)
        if hit is not None:
            return hit
        simple = self.to_simplified(s)
        if len(simple) != len(s):
            simple = s
        n = len(simple)
        best = [0.0] * (n + 1)
        cut = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            c = simple[i]
            if c == "\n":  # end of the line: only after a mark that can end one
                prev = simple[i - 1] if i else ""
                best[i], cut[i] = best[i + 1] - (8.0 if prev in _PUNCT_LOGP and prev not in _LINE_FINAL else 0.0), i + 1
                continue
            if c in _PUNCT_LOGP:
                prev = simple[i - 1] if i else ""
                clash = prev in _PUNCT_LOGP and not ({prev, c} & (_CLOSING | _OPENING))
                best[i], cut[i] = _PUNCT_LOGP[c] - (8.0 if clash else 0.0) + best[i + 1], i + 1
                continue
            best[i] = -math.inf
            for j in range(i + 1, min(n, i + 4) + 1):
                f = int(self.freq.get(simple[i:j]) or 0)
                if j > i + 1 and not f:
                    continue
                score = math.log(f or 1) - self.log_total + best[j]
                if score > best[i]:
                    best[i], cut[i] = score, j
        out = (best[0], cut)
        self._cache[s] = out
        return out

    def score(self, s: str) -> float:
        return self._route(s)[0]

    def in_word(self, s: str, i: int) -> bool:
        """Whether char ``i`` of ``s`` belongs to a word of two or more chars in the best route."""
        cut = self._route(s)[1]
        pos = 0
        while pos < len(s):
            nxt = cut[pos]
            if pos <= i < nxt:
                return nxt - pos > 1
            pos = nxt
        return False

    def common(self, c: str) -> bool:
        """A char worth proposing for an unknown byte: punctuation or a frequent character."""
        hit = self._common.get(c)
        if hit is None:
            hit = self._common[c] = c in _PUNCT_CANDIDATES or int(self.freq.get(self.to_simplified(c)) or 0) >= 20
        return hit


# --------------------------------------------------------------------------- mojibake repair


@dataclass(frozen=True)
class _Tok:
    kind: str  # "c" character, "g" gloss "(p)", "q" gloss "?p)"
    text: str
    start: int  # line offsets
    end: int
    pinyin: str = ""


_TOKEN_RE = re.compile(rf"(?P<q>\?(?P<qp>{_PINYIN})\))|(?P<g>\((?P<gp>{_PINYIN})\))|(?P<c>.)", re.S)


def _tokenize(line: str) -> list[_Tok]:
    """Split a line into characters and glosses (``(p)``, or ``?p)`` whose ``(`` was eaten)."""
    toks = []
    for m in _TOKEN_RE.finditer(line):
        if m.group("q"):
            toks.append(_Tok("q", m.group(), m.start(), m.end(), m.group("qp")))
        elif m.group("g"):
            toks.append(_Tok("g", m.group(), m.start(), m.end(), m.group("gp")))
        else:
            toks.append(_Tok("c", m.group(), m.start(), m.end()))
    return toks


@dataclass(frozen=True)
class _Choice:
    """An unknown byte of the original, chosen later by plausibility.

    "L": first byte of a char whose second byte is A3 (dropped by mechanism b);
    "u": second byte completing ``lead`` (swallowed or dropped by a decoder);
    "t": second byte completing ``lead`` that made an unmapped pair with ``after``.
    """

    kind: str
    lead: int | None = None
    after: int | None = None

    def bytes_(self) -> list[int]:
        if self.kind == "L":
            return [b for b in range(0x81, 0xFF) if _pair(b, 0xA3)]
        assert self.lead is not None
        out = [b for b in range(0x81, 0xFF) if _pair(self.lead, b)]
        if self.kind == "t":
            assert self.after is not None
            out = [b for b in out if _pair(b, self.after) is None]
        return out


@dataclass(frozen=True)
class _Choice2:
    """Two unknown bytes (t, l) between ``lead`` and ``after``: an unmapped pair the decoder dropped."""

    lead: int
    after: int

    def pairs(self) -> list[tuple[int, int]]:
        ts = [t for t in range(0x81, 0xFF) if _pair(self.lead, t)]
        ls = [l for l in range(0x81, 0xFF) if _pair(l, self.after)]
        return [(t, l) for t in ts for l in ls if _pair(t, l) is None]


_LOST = "lost"  # a byte swallowed by the decoder that nothing tells: shown as □
_TAG = "tag"  # the swallowed byte was the "<" of a markup tag, dropped with the tag


@dataclass
class _Hyp:
    """A hypothesis for the original bytes of a window: ``items`` from its first byte."""

    items: list
    end: int  # index of the first token after the window
    used: list[_Tok]  # glosses inside the window
    events: int = 0  # silent drops assumed (each costs plausibility)


@dataclass
class _Spot:
    """One repaired garble: a window of the line and what stands for it."""

    mechanism: str  # "a", "b", "c"
    start: int  # line offsets of the window
    end: int
    glosses: list[_Tok]
    repaired: str
    lost: list[str] = field(default_factory=list)  # why each □ in ``repaired`` is there, in order
    inferred: list[str] = field(default_factory=list)  # chars chosen for unknown bytes


_NUMERALS = "一二三四五六七八九十"
_TAG_RE = re.compile(r"/?[A-Za-z][A-Za-z0-9]*>")
_MAX_RUN = 12  # chars a misaligned run may last before the decoders fall back into step
_MAX_EVENTS = 1  # silent drops (single or pair) one hypothesis may assume
_EVENT_COST = 4.0  # log-probability charged for each silent drop
_SOFT_GAIN = 8.0  # log-probability gain needed to repair a run no gloss vouches for


class _Repairer:
    """Finds and repairs the garbled runs of one text, modelling mechanisms (a), (b), (c).

    A window starts where the damage started (a straddled gloss ``?p)``, a half-width mark
    whose bytes straddled two chars, a line opening with a stray A1) and runs until the
    decoders fell back into step. Hypotheses for its original bytes are walked from the
    mechanism; glosses inside the window must fit the char before them; unknown bytes take
    the char that reads best (:class:`_WordModel`), and the most plausible hypothesis wins.
    """

    def __init__(self, glosses: _Glosses, to_simplified: Callable[[str], str]):
        self.glosses = glosses
        self.to_simplified = to_simplified
        self._model: _WordModel | None = None

    @property
    def model(self) -> _WordModel:
        if self._model is None:
            self._model = _WordModel(self.to_simplified)
        return self._model

    # -- finding windows -----------------------------------------------------------------------

    def repair_line(self, line: str) -> list[_Spot]:
        toks = _tokenize(line)
        spots: list[_Spot] = []
        k = next((i for i, t in enumerate(toks) if not t.text.isspace()), len(toks))
        if k < len(toks) and toks[k].text == "。":
            spot = self._best(line, toks, k, "c", self._stray_a1(toks, k), hard=True)
            if spot:
                spots.append(spot)
                k = self._tok_index(toks, spot.end)
        while k < len(toks):
            t = toks[k]
            spot = None
            if t.kind == "q":
                spot = self._best(line, toks, k, "a", self._straddle(toks, k), hard=True)
            elif t.kind == "c" and t.text in _B_MARKS:
                spot = self._mark(line, toks, k)
            if spot is not None:
                spots.append(spot)
                k = self._tok_index(toks, spot.end)
                continue
            k += 1
        return spots

    @staticmethod
    def _tok_index(toks: list[_Tok], offset: int) -> int:
        return next((i for i, t in enumerate(toks) if t.start >= offset), len(toks))

    def _run_end(self, toks: list[_Tok], k: int) -> int:
        """Index after the non-ASCII chars following ``k``."""
        j = k + 1
        while j < len(toks) and toks[j].kind == "c" and ord(toks[j].text) > 0x7F:
            j += 1
        return j

    def _orphan_after(self, toks: list[_Tok], k: int) -> int:
        """Index of a gloss after the run that follows mark ``k`` and does not fit its char, else -1."""
        j = self._run_end(toks, k)
        if j == k + 1 and not (j < len(toks) and toks[j].kind == "c" and _is_run_letter(toks[j].text)):
            return -1
        if j < len(toks) and toks[j].kind == "c" and _is_run_letter(toks[j].text):
            j += 1
        if j < len(toks) and toks[j].kind == "g" and self.glosses.table.get(toks[j - 1].text) != toks[j].pinyin:
            return j
        return -1

    def _letter_after(self, toks: list[_Tok], k: int) -> int:
        """Index of a lone ASCII letter ending the non-ASCII run after mark ``k``, else -1."""
        j = self._run_end(toks, k)
        if j == k + 1 or j >= len(toks) or toks[j].kind != "c" or not _is_run_letter(toks[j].text):
            return -1
        after = toks[j + 1] if j + 1 < len(toks) else None
        if after is not None and after.kind == "c" and after.text.isascii() and after.text.isalnum():
            return -1  # part of an ASCII word or number
        return j

    def _mark_evidence(self, toks: list[_Tok], k: int) -> str:
        """Why mark ``k`` might have straddled two chars: "gloss", "letter", "punct" or ""."""
        if self._orphan_after(toks, k) >= 0:
            return "gloss"
        if self._letter_after(toks, k) >= 0:
            return "letter"
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "c" and unicodedata.category(nxt.text) in ("Po", "Pe") and ord(nxt.text) > 0x7F:
            return "punct"
        return ""

    # -- hypotheses per mechanism --------------------------------------------------------------

    def _mark(self, line: str, toks: list[_Tok], k: int) -> _Spot | None:
        """(b): mark ``k`` (, ; ? !) may be the A3 xx bytes of a char + the next char's first byte.

        Tried only with evidence: a gloss after the run that does not fit its char (hard), a
        run ending in a stray ASCII letter, or a mark followed by another mark (soft).
        """
        evidence = self._mark_evidence(toks, k)
        if not evidence:
            return None
        mark = _B_MARKS[toks[k].text]
        hyps = self._walk2(toks, k + 1, mark, [_Choice("L"), 0xA3, mark], [], 0, 0)
        if evidence == "gloss":
            gloss_at = self._orphan_after(toks, k)
            hyps = [h for h in hyps if h.end > gloss_at]
        elif evidence == "letter":
            letter_at = self._letter_after(toks, k)
            hyps = [h for h in hyps if h.end == letter_at + 1]
        return self._best(line, toks, k, "b", hyps, hard=evidence == "gloss")

    def _straddle(self, toks: list[_Tok], k: int) -> list[_Hyp]:
        """(a): ``?p)``: the annotator matched the last byte of the previous char + the next byte."""
        prev = self._prev_bytes(toks, k)
        if not prev:
            return []
        out = []
        for pair in self.glosses.owners(toks[k].pinyin, first=prev[-1]):
            for h in self._walk1(toks, k + 1, pair[1], [pair[1]], [toks[k]]):
                out.append(h)
        return out

    def _stray_a1(self, toks: list[_Tok], k: int) -> list[_Hyp]:
        """(c): a line opening with ``。`` made of a stray A1 and the first byte of ``（X）``."""
        rest = "".join(t.text for t in toks[k:])
        out: list[_Hyp] = []
        for numeral in [*_NUMERALS, *map(str, range(1, 21))]:
            opener = _gbk("（" + numeral + "）")
            assert opener is not None
            shown, pending = _decode_drop(b"\xa1" + opener)
            shown = shown.translate(_HW_TABLE)
            if not shown or not rest.startswith(shown):
                continue
            j, taken = k, 0
            while taken < len(shown):
                taken += len(toks[j].text)
                j += 1
            if taken != len(shown):
                continue
            if pending is None:
                out.append(_Hyp(list(opener), j, []))
                continue
            b = _token_bytes(toks[j].text) if j < len(toks) and toks[j].kind == "c" else None
            if b is None or len(b) != 2 or b[0] != pending:
                continue
            out += self._walk2(toks, j + 1, b[1], [*opener, b[1]], [], 0, 0)
        return out

    def _prev_bytes(self, toks: list[_Tok], k: int) -> bytes | None:
        j = k - 1
        while j >= 0 and toks[j].kind == "g":
            j -= 1
        if j < 0 or toks[j].kind != "c":
            return None
        return _token_bytes(toks[j].text)

    # -- walking a misaligned run --------------------------------------------------------------
    # In a misaligned run each shown char is (second byte of one original char, first byte of
    # the next). ``lead`` is the first byte of an original char whose second byte is to come.

    def _walk1(self, toks: list[_Tok], k: int, lead: int, items: list, used: list[_Tok]) -> list[_Hyp]:
        """Run after a straddled gloss, decoded by the ``?`` decoder (nothing vanishes silently)."""
        for depth in range(_MAX_RUN):
            t = toks[k] if k < len(toks) else None
            if t is None or t.kind == "g":
                return []
            if t.kind == "q":
                owners = self.glosses.owners(t.pinyin, first=lead)
                return [h for o in owners[:1] for h in self._close(toks, k + 1, items + [o[1]], used + [t], lead, 0)]
            if t.text == "?":  # the decoder swallowed (trail of lead, next byte) as one "?"
                if k + 1 == len(toks):  # ... or the trail was the last byte of the line
                    return [_Hyp(items + [_Choice("u", lead)], k + 1, used)]
                tail = "".join(x.text for x in toks[k + 1 : k + 8])
                tag = _TAG_RE.match(tail)
                if tag:
                    return [_Hyp(items + [_Choice("u", lead), _TAG], self._tok_index(toks, t.end + tag.end()), used)]
                return [_Hyp(items + [_Choice("u", lead), _LOST], k + 1, used)]
            b = _gbk(t.text)
            if b is None:
                return []
            if len(b) == 2:
                if _pair(lead, b[0]) is None:
                    return []
                items = items + [b[0], b[1]]
                lead = b[1]
                k += 1
                continue
            if _is_run_letter(t.text) and _pair(lead, b[0]):
                return self._close(toks, k + 1, items + [b[0]], used, lead, 0)
            return []
        return []

    def _walk2(self, toks: list[_Tok], k: int, lead: int, items: list, used: list[_Tok], events: int, depth: int) -> list[_Hyp]:
        """Run after mechanism (b) or (c), decoded by the dropping decoder.

        At each step the shown char either continues the run, or the trail of ``lead`` was
        dropped with (single drop, back in step) or without (pair drop) the next byte.
        """
        if depth > _MAX_RUN:
            return []
        t = toks[k] if k < len(toks) else None
        if t is None:
            return [_Hyp(items + [_Choice("u", lead)], k, used, events)]
        if t.kind == "q":
            return []
        if t.kind == "g":
            return [h for o in self.glosses.owners(t.pinyin, first=lead)[:1] for h in self._close(toks, k + 1, items + [o[1]], used + [t], lead, events)]
        b = _gbk(t.text)
        if b is None:
            return []
        if len(b) == 1:
            if _is_run_letter(t.text) and _pair(lead, b[0]):
                return self._close(toks, k + 1, items + [b[0]], used, lead, events)
            return [_Hyp(items + [_Choice("u", lead)], k, used, events)]
        out: list[_Hyp] = []
        c1, c2 = b
        if _pair(lead, c1):
            out += self._walk2(toks, k + 1, c2, items + [c1, c2], used, events, depth + 1)
        if events < _MAX_EVENTS and _is_trail(c1):
            single = _Choice("t", lead, c1)
            if single.bytes_():
                out.append(_Hyp(items + [single], k, used, events + 1))
            out += self._walk2(toks, k + 1, c2, items + [_Choice2(lead, c1), c1, c2], used, events + 1, depth + 1)
        return out

    def _close(self, toks: list[_Tok], k: int, items: list, used: list[_Tok], lead: int, events: int) -> list[_Hyp]:
        """End of a run: ``items[-1]`` completed ``lead``. A gloss right after must fit that char.

        A gloss owned by another char (l, items[-1]) means that the trail of ``lead`` and ``l``
        made an unmapped pair that the decoder dropped: both are restored.
        """
        if k < len(toks) and toks[k].kind == "g":
            t = toks[k]
            last = items[-1]
            if bytes((lead, last)) in self.glosses.pairs.get(t.pinyin, []):
                return [_Hyp(items, k + 1, used + [t], events)]
            out = []
            for pair in self.glosses.owners(t.pinyin, second=last):
                choice = _Choice("t", lead, pair[0])
                if choice.bytes_():
                    out.append(_Hyp(items[:-1] + [choice, pair[0], last], k + 1, used + [t], events))
            return out
        return [_Hyp(items, k, used, events)]

    # -- choosing ---------------------------------------------------------------------------------

    def _best(self, line: str, toks: list[_Tok], k: int, mechanism: str, hyps: list[_Hyp], hard: bool) -> _Spot | None:
        """Resolve each hypothesis and keep the most plausible; without a gloss vouching for the
        damage, the repair must also read much better than the raw text."""
        if not hyps:
            return None
        start = toks[k].start
        ends = [toks[h.end - 1].end if h.end > k else start for h in hyps]
        far = max(ends)  # every hypothesis is scored over the same raw span
        prev = self._context_before(line, start)
        nxt = self._context_after(line, far)
        scored = []
        for h, end in zip(hyps, ends):
            tail = _GLOSS_RE.sub("", line[end:far])
            resolved = self._resolve(h.items, prev, tail + nxt)
            if len(hyps) == 1 and hard and not any(isinstance(x, (_Choice, _Choice2)) for x in h.items):
                scored.append((0.0, h, end, resolved))  # nothing to choose
                break
            score = self.model.score(prev + resolved[0] + tail + nxt) - _EVENT_COST * h.events
            scored.append((score, h, end, resolved))
        score, h, end, (text, inferred, reasons) = max(scored, key=lambda x: x[0])
        if not hard:
            shown = _GLOSS_RE.sub("", line[start:far])
            if score + _EVENT_COST * h.events - self.model.score(prev + shown + nxt) < _SOFT_GAIN:
                return None
        return _Spot(mechanism, start, end, h.used, text, reasons, inferred)

    def _resolve(self, items: list, prev: str, nxt: str) -> tuple[str, list[str], list[str]]:
        """Decode ``items``: each unknown char becomes the candidate that reads best in context.

        Returns the text, the chars chosen, and why each □ is left. An unknown char of content
        (not the dropped first byte of a mark) is filled only if it then forms a word with its
        neighbours or clearly beats the runner-up; otherwise it stays □: never invent content.
        """
        units = _units(items)
        chars: list[str] = [u if isinstance(u, str) else LOST_MARKER for u in units]
        inferred: list[str] = []
        reasons: list[str] = []
        for i, u in enumerate(units):
            if isinstance(u, str):
                if u == LOST_MARKER:
                    reasons.append("the decoder swallowed this byte (a digit, letter or mark) into a '?'")
                continue
            left = (prev + "".join(chars[:i]))[-self._CONTEXT :]
            right = ("".join(chars[i + 1 :]) + nxt)[: self._CONTEXT]
            ranked = sorted(
                (
                    (self.model.score(left + cand + right), cand)
                    for cand in u.candidates()
                    if all(self.model.common(c) for c in cand)
                ),
                reverse=True,
            )
            best = ranked[0][1] if ranked else LOST_MARKER * u.width
            if u.kind != "L" and ranked:
                margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else math.inf
                content = [j for j, c in enumerate(best) if c not in _PUNCT_CANDIDATES]
                worded = bool(content) and all(self.model.in_word(left + best + right, len(left) + j) for j in content)
                if not worded and margin < (_FILL_MARGIN if content else _FILL_MARGIN_PUNCT):
                    best = LOST_MARKER * u.width
            chars[i] = best
            if LOST_MARKER in best:
                reasons += ["a byte of this char was dropped and the context does not tell which char"] * len(best)
            else:
                inferred.append(best)
        return "".join(chars), inferred, reasons

    _CONTEXT = 3

    def _context_before(self, line: str, start: int) -> str:
        return ("\n" + _GLOSS_RE.sub("", line[:start]))[-self._CONTEXT :]

    def _context_after(self, line: str, end: int) -> str:
        return (_GLOSS_RE.sub("", line[end:]) + "\n")[: self._CONTEXT]


def _is_run_letter(c: str) -> bool:
    """An ASCII char that can be the second byte of a GBK char (0x40-0x7E)."""
    return len(c) == 1 and 0x40 <= ord(c) <= 0x7E


@dataclass(frozen=True)
class _Unknown:
    """A char (or two) of the original with unknown bytes: ``candidates()`` lists what fits."""

    kind: str
    make: Callable[[], list[str]]
    width: int = 1

    def candidates(self) -> list[str]:
        return self.make()


@lru_cache(maxsize=4096)
def _candidates_single(kind: str, lead: int | None, after: int | None, known: int, choice_first: bool) -> tuple[str, ...]:
    choice = _Choice(kind, lead, after)
    out = []
    for b in choice.bytes_():
        c = _pair(b, known) if choice_first else _pair(known, b)
        if c is not None and unicodedata.category(c) not in ("Co", "Cn"):
            out.append(c)
    return tuple(out)


@lru_cache(maxsize=1024)
def _candidates_double(lead: int, after: int) -> tuple[str, ...]:
    out = []
    for t, l in _Choice2(lead, after).pairs():
        a, b = _pair(lead, t), _pair(l, after)
        if a and b and unicodedata.category(a) not in ("Co", "Cn") and unicodedata.category(b) not in ("Co", "Cn"):
            out.append(a + b)
    return tuple(out)


def _units(items: list) -> list:
    """Group a byte stream with unknowns into chars (str) and :class:`_Unknown` chars."""
    units: list = []
    i = 0
    while i < len(items):
        x = items[i]
        y = items[i + 1] if i + 1 < len(items) else None
        z = items[i + 2] if i + 2 < len(items) else None
        if x == _LOST:
            units.append(LOST_MARKER)
            i += 1
        elif x == _TAG:
            i += 1
        elif isinstance(x, int) and x < 0x80:
            units.append(chr(x))
            i += 1
        elif isinstance(x, int) and isinstance(y, _Choice2) and isinstance(z, int):
            units.append(_Unknown("tl", lambda y=y: list(_candidates_double(y.lead, y.after)), 2))
            i += 3  # z is the second byte of the second unknown char
        elif isinstance(x, _Choice) and isinstance(y, int):
            units.append(_Unknown(x.kind, lambda x=x, y=y: list(_candidates_single(x.kind, x.lead, x.after, y, True))))
            i += 2
        elif isinstance(x, int) and isinstance(y, _Choice):
            units.append(_Unknown(y.kind, lambda x=x, y=y: list(_candidates_single(y.kind, y.lead, y.after, x, False))))
            i += 2
        elif isinstance(x, int) and isinstance(y, int):
            units.append(_pair(x, y) or LOST_MARKER)
            i += 2
        else:
            units.append(LOST_MARKER)
            i += 1
    return units


# --------------------------------------------------------------------------- steps


@dataclass
class _StepOut:
    edits: list[Edit]
    examples: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    count: int | None = None  # defaults to len(edits)
    extra_positions: list[tuple[int, int]] = field(default_factory=list)  # raw spans, already mapped


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


@lru_cache(maxsize=4)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


_PLACEHOLDER_RE = re.compile(r"(?<![0-9])20(?:xx|XX)(?![A-Za-z])|(?<![A-Za-z])(?:x{2,4}|X{2,4})(?![A-Za-z])")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WATERMARK_RE = re.compile(rf"(?<=的)(?:['`]+|(?<!\.)\.(?!\.))(?=[{_HAN}])")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_SPACE_RE = re.compile(rf"[\s{_ZERO_WIDTH}]+")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


_MARKUP_RE = re.compile(
    r"<!--.*?-->|<[Uu]\+[0-9A-Fa-f]{4,6}>|&(?:[a-zA-Z]{2,8}|#\d{2,7}|#x[0-9a-fA-F]{2,6});"
    r"|</?[a-zA-Z][a-zA-Z0-9]{0,9}(?:\s[^<>\n]{0,200})?/?>",
    re.S,
)
_BLOCK_TAG_RE = re.compile(r"</?(?:p|br|div|li|tr|h[1-6])\b", re.I)
_CHROME_MAX = 100
_CHROME_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"当前位置\s*[:：]",
        r"【\s*字体\s*[:：]",
        r"门户网站\s*www\.",
        r"^\s*[（(【\[]?\s*(?:来源|责任编辑|编辑|发布时间)\s*[:：]",
        r"【\s*E-?mail推荐",
        r"^\s*[）)】\]]\s*$",
        r"上一页.*下一页",
        r"^\s*[【\[]?(?:打印本页|关闭窗口|打印|关闭|返回顶部|收藏本页)[】\]]?\s*$",
        r"^\s*(?:上一页|下一页|首页|尾页)(?:\s+(?:上一页|下一页|首页|尾页|\d+))*\s*$",
    )
)
_REPEAT_MIN_LINES = 3
_REPEAT_MIN_CHARS = 60
_REPEAT_MIN_CHARS_ALONE = 2000  # a block this long repeated verbatim is a scraping artifact however few lines
_REPEAT_MAX_CANDIDATES = 8


_FW_ALNUM = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0xFF21 + i: 0x41 + i for i in range(26)},
              **{0xFF41 + i: 0x61 + i for i in range(26)}, 0xFF0E: 0x2E}
_FW_ALNUM_RE = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+(?:．[０-９]+)*")
_TRADITIONAL_MIN_SHARE = 0.02
_SCRIPT_SAMPLE = 20_000
_HAN_RE = re.compile(f"[{_HAN}]")


def traditional_share(text: str) -> float:
    """Share of the Han characters of ``text`` that OpenCC t2s changes (0 for Simplified prose)."""
    # A document's script is uniform: judge on (at most) its first 20,000 Han characters.
    han = "".join(m.group() for _, m in zip(range(_SCRIPT_SAMPLE), _HAN_RE.finditer(text)))
    if not han:
        return 0.0
    conv = _opencc("t2s").convert(han)
    if len(conv) != len(han):
        return 1.0
    return sum(a != b for a, b in zip(han, conv)) / len(han)


def _repeated_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of line blocks that repeat an earlier, kept block verbatim (whitespace-stripped)."""
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    bounds = starts + [len(text) + 1]
    keys = [text[bounds[i] : bounds[i + 1] - 1].strip() for i in range(len(starts))]
    seen: dict[str, list[int]] = {}
    spans: list[tuple[int, int]] = []
    n, i = len(keys), 0
    while i < n:
        best = 0
        if keys[i]:
            for j in seen.get(keys[i], ()):
                k = 0
                while i + k < n and j + k < i and keys[i + k] == keys[j + k]:
                    k += 1
                best = max(best, k)
        nonblank = [keys[t] for t in range(i, i + best) if keys[t]]
        chars = sum(map(len, nonblank))
        if (len(nonblank) >= _REPEAT_MIN_LINES and chars >= _REPEAT_MIN_CHARS) or chars >= _REPEAT_MIN_CHARS_ALONE:
            spans.append((bounds[i], min(bounds[i + best], len(text))))
            i += best
            continue
        if keys[i]:
            cands = seen.setdefault(keys[i], [])
            if len(cands) < _REPEAT_MAX_CANDIDATES:
                cands.append(i)
        i += 1
    return spans


class Cleaner:
    """The scraped-text repair pipeline (scikit-learn style: parameters only, no work here).

    ``steps``: names from :data:`STEPS` to run (None = all); they always run in pipeline order.
    ``opencc_config``: OpenCC configuration for the script step (``tw2s``: 着 in 随着/本着/着眼于).
    ``gloss_table``: char -> pinyin of the glossed characters (None = the packaged list).
    ``script``: "auto" converts only text that is Traditional (at least 2% of its Han characters
    change under OpenCC t2s; Simplified input is left alone, since tw2s would turn 显著 into 显着),
    "always" or "never".
    """

    def __init__(
        self,
        steps: Sequence[str] | None = None,
        opencc_config: str = "tw2s",
        gloss_table: Mapping[str, str] | None = None,
        script: str = "auto",
    ):
        self.steps = steps
        self.opencc_config = opencc_config
        self.script = script
        self.gloss_table = gloss_table

    def _selected(self) -> list[str]:
        if self.steps is None:
            return list(STEPS)
        unknown = set(self.steps) - set(STEPS)
        if unknown:
            raise ValueError(f"unknown cleaning steps {sorted(unknown)}; known: {STEPS}")
        return [s for s in STEPS if s in self.steps]

    def clean(self, raw: str) -> CleanResult:
        """Run the selected steps on ``raw``; see the module docstring."""
        glosses = _Glosses(load_gloss_table() if self.gloss_table is None else self.gloss_table)
        text, omap = raw, OffsetMap.identity(len(raw))
        report = CleaningReport()
        spots: list[tuple[int, _Spot]] = []  # (raw offset of the line, spot)
        consumed_glosses: list[tuple[int, int, str]] = []
        for name in self._selected():
            if name == "mojibake":
                out = self._mojibake(text, glosses, spots, consumed_glosses)
            elif name == "pinyin":
                out = self._pinyin(text, glosses, consumed_glosses)
            elif name == "watermark":
                out = self._watermark(text)
            elif name == "script":
                out = self._script(text)
            elif name == "markup":
                out = self._markup(text)
            elif name == "chrome":
                out = self._chrome(text)
            elif name == "repeats":
                out = self._repeats(text)
            elif name == "punctuation":
                out = self._punctuation(text)
            else:
                out = self._whitespace(text)
            positions = [omap.span(e.start, e.end) for e in sorted(out.edits, key=lambda e: (e.start, e.end))]
            positions = sorted(positions + out.extra_positions)
            if out.edits:
                text, m = apply_edits(text, out.edits)
                omap = omap.then(m)
            count = len(out.edits) if out.count is None else out.count
            report.steps.append(StepReport(name, count, positions, out.examples, out.kinds))
        report.placeholders = [(m.start(), m.end(), m.group()) for m in _PLACEHOLDER_RE.finditer(text)]
        report.lost = self._lost_spans(text, omap, raw, spots)
        return CleanResult(text, omap, report)

    # -- steps ------------------------------------------------------------------------------------

    def _mojibake(self, text: str, glosses: _Glosses, spots: list, consumed: list) -> _StepOut:
        repairer: _Repairer | None = None
        edits: list[Edit] = []
        examples: list[str] = []
        kinds: Counter = Counter()
        for pos, line in _lines(text):
            if not _might_be_garbled(line):
                continue
            repairer = repairer or _Repairer(glosses, _opencc("t2s").convert)  # t2s: only to score
            for spot in repairer.repair_line(line):
                window = line[spot.start : spot.end]
                edits.append(Edit(pos + spot.start, pos + spot.end, spot.repaired, f"mojibake {spot.mechanism}"))
                spots.append((pos, spot))
                consumed += [(pos + g.start, pos + g.end, g.kind) for g in spot.glosses]
                kinds[spot.mechanism] += 1
                examples.append(f"{window} -> {spot.repaired}")
        return _StepOut(edits, examples, dict(kinds))

    def _pinyin(self, text: str, glosses: _Glosses, consumed: list) -> _StepOut:
        edits: list[Edit] = []
        kinds: Counter = Counter()
        examples: list[str] = []
        for m in _GLOSS_RE.finditer(text):
            before = text[m.start() - 1] if m.start() else ""
            if m.group()[0] == "?":
                kind = "paren_lost"
            elif glosses.table.get(before) == m.group(1):
                kind = "after_listed_char"
            else:
                kind = "after_other_char"
            kinds[kind] += 1
            edits.append(Edit(m.start(), m.end(), "", "gloss"))
            if len(examples) < 5:
                examples.append(f"{before}{m.group()} -> {before}")
        # glosses the mojibake step consumed while repairing (raw offsets: it runs first)
        extra = [(s, e) for s, e, _ in consumed]
        for _, _, kind in consumed:
            kinds["in_garble_" + ("paren_lost" if kind == "q" else "displaced")] += 1
        return _StepOut(edits, examples, dict(kinds), count=len(edits) + len(consumed), extra_positions=extra)

    def _watermark(self, text: str) -> _StepOut:
        edits = [Edit(m.start(), m.end(), "", "watermark") for m in _WATERMARK_RE.finditer(text)]
        kinds = Counter(text[e.start : e.end] for e in edits)
        examples = [f"{text[max(0, e.start - 3):e.end + 2]} -> {text[max(0, e.start - 3):e.start]}{text[e.end:e.end + 2]}" for e in edits[:5]]
        return _StepOut(edits, examples, dict(kinds))

    def _script(self, text: str) -> _StepOut:
        if self.script == "never":
            return _StepOut([])
        if self.script == "auto":
            share = traditional_share(text)
            if share < _TRADITIONAL_MIN_SHARE:
                # Already Simplified: tw2s would turn 显著 into 显着, so leave it alone.
                return _StepOut([], [f"kept: {share:.1%} Traditional characters"], {"simplified_input": 1}, count=0)
        conv = _opencc(self.opencc_config)
        edits: list[Edit] = []
        for pos, line in _lines(text):
            new = _convert_fixed_point(conv.convert, line)
            if new != line:
                edits += _diff_edits(line, new, pos)
        return _StepOut(edits, [f"{e.note}" for e in edits[:5]])

    def _markup(self, text: str) -> _StepOut:
        edits: list[Edit] = []
        kinds: Counter = Counter()
        for m in _MARKUP_RE.finditer(text):
            tok = m.group()
            if tok.startswith("<!--"):
                new, kind = "", "comment"
            elif tok.startswith("<U+") or tok.startswith("<u+"):
                cp = int(tok[3:-1], 16)
                ch = chr(cp) if cp <= 0x10FFFF else ""
                new, kind = (" " if ch.isspace() else "" if ch in _ZERO_WIDTH else ch), "codepoint"
            elif tok.startswith("&"):
                new, kind = html.unescape(tok), "entity"
                new = " " if new.isspace() else new
            else:
                new, kind = ("\n" if _BLOCK_TAG_RE.match(tok) else ""), "tag"
            edits.append(Edit(m.start(), m.end(), new, "markup"))
            kinds[kind] += 1
        return _StepOut(edits, [text[e.start:e.end][:30] for e in edits[:5]], dict(kinds))

    def _chrome(self, text: str) -> _StepOut:
        edits: list[Edit] = []
        for pos, line in _lines(text):
            if len(line.strip()) <= _CHROME_MAX and any(p.search(line) for p in _CHROME_PATTERNS):
                edits.append(Edit(pos, pos + len(line), "", "chrome"))
        return _StepOut(edits, [text[e.start:e.end].strip()[:30] for e in edits[:5]])

    def _repeats(self, text: str) -> _StepOut:
        edits = [Edit(a, b, "", "repeats") for a, b in _repeated_blocks(text)]
        lines = sum(text.count("\n", e.start, e.end) for e in edits)
        return _StepOut(edits, [text[e.start:e.end].strip()[:30] + "…" for e in edits[:5]], {"lines": lines})

    def _punctuation(self, text: str) -> _StepOut:
        edits = []
        for m in re.finditer(r"[,;:?!()]", text):
            c = m.group()
            i = m.start()
            if c in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue  # 1,000  10:30
            edits.append(Edit(i, i + 1, _FW[c], "punctuation"))
        kinds = Counter(text[e.start] for e in edits)
        # Full-width digits and Latin letters (１９９０年, ＧＤＰ) to ASCII, and the full-width
        # point between digits (３．５) to ".", so that numbers read alike in every text.
        for m in _FW_ALNUM_RE.finditer(text):
            new = m.group().translate(_FW_ALNUM)
            edits.append(Edit(m.start(), m.end(), new, "width"))
            kinds["fullwidth_alnum"] += 1
        return _StepOut(sorted(edits, key=lambda e: e.start), [], dict(kinds))

    def _whitespace(self, text: str) -> _StepOut:
        """Every whitespace run becomes one newline (if it holds a line break), one space (inside a
        line) or nothing (at either end of the text, or zero-width only)."""
        edits: list[Edit] = []
        kinds: Counter = Counter()
        for m in _SPACE_RE.finditer(text):
            run = m.group()
            if m.start() == 0 or m.end() == len(text) or not run.strip(_ZERO_WIDTH):
                new = ""
            elif any(c in _LINE_BREAKS for c in run):
                new = "\n"
            else:
                new = " "
            if run != new:
                edits.append(Edit(m.start(), m.end(), new, "whitespace"))
                kinds["newline" if new == "\n" else "space" if new else "removed"] += 1
        return _StepOut(edits, [], dict(kinds))

    # -- lost content -----------------------------------------------------------------------------

    @staticmethod
    def _lost_spans(text: str, omap: OffsetMap, raw: str, spots: list[tuple[int, _Spot]]) -> list[LostSpan]:
        """The □ that repairs left, found in the clean text through the offsets of their windows."""
        out: list[LostSpan] = []
        for pos, spot in spots:
            if not spot.lost:
                continue
            ws, we = pos + spot.start, pos + spot.end
            inside = np.nonzero((omap.starts >= ws) & (omap.ends <= we) & (omap.ends > omap.starts))[0]
            markers = [int(i) for i in inside if text[i] == LOST_MARKER]
            for i, reason in zip(markers, spot.lost):
                rs, re_ = omap.span(i, i + 1)
                out.append(
                    LostSpan(i, i + 1, rs, re_, LOST_MARKER, text[max(0, i - 10) : i + 10],
                             f"mechanism ({spot.mechanism}): {reason}; raw {raw[ws:we]!r}")
                )
        return out


def _might_be_garbled(line: str) -> bool:
    return any(c in line for c in "(?,;!") or line.lstrip().startswith("。")


def _convert_fixed_point(convert: Callable[[str], str], s: str) -> str:
    """Convert once. OpenCC's C library stops at NUL, so NUL-separated pieces are converted one by one.

    Not to a fixed point: a second tw2s pass over Simplified text turns 显著 into 显着. Idempotence
    of the cleaner comes from the "auto" script detection instead (clean text is Simplified).
    """
    if "\x00" in s:
        return "\x00".join(_convert_fixed_point(convert, part) for part in s.split("\x00"))
    return convert(s)


def _diff_edits(old: str, new: str, offset: int) -> list[Edit]:
    """Per-character edits turning ``old`` into ``new`` (aligned with difflib if lengths differ)."""
    if len(old) == len(new):
        return [Edit(offset + i, offset + i + 1, b, f"{a}->{b}") for i, (a, b) in enumerate(zip(old, new)) if a != b]
    import difflib

    edits = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        if a1 - a0 == b1 - b0:
            edits += [Edit(offset + a0 + i, offset + a0 + i + 1, new[b0 + i], f"{old[a0 + i]}->{new[b0 + i]}") for i in range(a1 - a0)]
        else:
            edits.append(Edit(offset + a0, offset + a1, new[b0:b1], f"{old[a0:a1]}->{new[b0:b1]}"))
    return edits


def clean(raw: str, **kw) -> CleanResult:
    """``Cleaner(**kw).clean(raw)``."""
    return Cleaner(**kw).clean(raw)

"""Repair of GBK byte-level damage (mojibake) and removal of pinyin glosses, by modelling the damage on the bytes."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Mapping

from .report import LOST_MARKER

__all__ = ["load_gloss_table"]


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


def _jieba_freq() -> tuple[Mapping[str, int], float]:
    """jieba's word frequencies (Simplified; with zero-frequency prefix entries) and the log of
    their total: the copy the segmenter starts from too (:func:`~gkcorpus.text.tokenize.default_jieba_dictionary`),
    so a run that repairs and then segments loads the dictionary once."""
    from ..tokenize import default_jieba_dictionary

    freq, total = default_jieba_dictionary()
    return freq, math.log(total)


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

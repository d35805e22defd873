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

The damage model (mechanisms measured on the seed page; ``tests/mojibake_damage.py`` replays them and the
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
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from ...base.edits import Edit, OffsetMap, apply_edits

from .mojibake import _FW, _GLOSS_RE, _Glosses, _Repairer, _Spot, load_gloss_table
from .report import CleaningReport, CleanResult, LOST_MARKER, LostSpan, StepReport

__all__ = [
    "STEPS",
    "Cleaner",
    "clean",
]

STEPS: tuple[str, ...] = (
    "mojibake", "pinyin", "watermark", "script", "markup", "chrome", "repeats", "punctuation", "whitespace",
)

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
        """Remove chrome lines together with the whitespace before them (after them, for text at
        the very start): otherwise the whitespace around a removed line would later merge into
        one newline whose raw span runs across the removed chrome."""
        edits: list[Edit] = []
        last_end = 0
        for pos, line in _lines(text):
            if len(line.strip()) <= _CHROME_MAX and any(p.search(line) for p in _CHROME_PATTERNS):
                start, end = pos, pos + len(line)
                while start > last_end and text[start - 1].isspace():
                    start -= 1
                if start == 0:
                    while end < len(text) and text[end].isspace():
                        end += 1
                edits.append(Edit(start, end, "", "chrome"))
                last_end = end
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

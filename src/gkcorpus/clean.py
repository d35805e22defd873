"""Scraped-text repair pipeline (minimal first version; being refined).

``Cleaner().clean(raw) -> CleanResult(text, offsets, report)``; offsets map clean -> raw.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Sequence

from .edits import Edit, OffsetMap, apply_edits

__all__ = ["STEPS", "StepReport", "LostSpan", "CleaningReport", "CleanResult", "Cleaner", "clean"]

STEPS = ("mojibake", "pinyin", "watermark", "script", "punctuation", "whitespace")


@dataclass
class StepReport:
    step: str
    count: int
    positions: list[tuple[int, int]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


@dataclass
class LostSpan:
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
        return {s.step: s.count for s in self.steps}

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "CleaningReport":
        return cls(
            steps=[StepReport(s["step"], s["count"], [tuple(p) for p in s["positions"]], list(s.get("examples", [])))
                   for s in d.get("steps", [])],
            lost=[LostSpan(**x) for x in d.get("lost", [])],
            placeholders=[tuple(p) for p in d.get("placeholders", [])],
        )


@dataclass
class CleanResult:
    text: str
    offsets: OffsetMap
    report: CleaningReport


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])\([a-z{_TONED}]*[{_TONED}][a-z{_TONED}]*\)")
_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


class Cleaner:
    def __init__(self, steps: Sequence[str] | None = None, opencc_config: str = "tw2s"):
        self.steps = steps
        self.opencc_config = opencc_config

    def clean(self, raw: str) -> CleanResult:
        text, omap = raw, OffsetMap.identity(len(raw))
        report = CleaningReport()

        def run(name: str, edits: list[Edit]) -> None:
            nonlocal text, omap
            positions = [omap.span(e.start, e.end) if e.end > e.start else omap.span(e.start, e.start) for e in edits]
            text, m = apply_edits(text, edits)
            omap = omap.then(m)
            report.steps.append(StepReport(name, len(edits), positions))

        run("pinyin", [Edit(m.start(), m.end()) for m in _GLOSS.finditer(text)])
        conv = _converter(self.opencc_config)
        edits = []
        for m in re.finditer(r"[^\n]+", text):
            new = conv.convert(m.group())
            if new != m.group() and len(new) == len(m.group()):
                edits += [Edit(m.start() + i, m.start() + i + 1, b) for i, (a, b) in enumerate(zip(m.group(), new)) if a != b]
            elif new != m.group():
                edits.append(Edit(m.start(), m.end(), new))
        run("script", edits)
        run("punctuation", [Edit(m.start(), m.end(), _PUNCT[m.group()]) for m in re.finditer(r"(?<!\d)[,;:?!()]|[,;:?!()](?!\d)", text)])
        edits = [Edit(m.start(), m.end(), "\n" if m.start() and m.end() < len(text) else "") for m in re.finditer(r"\s*\n\s*|^\s+|\s+$", text)]
        run("whitespace", [e for e in edits if text[e.start:e.end] != e.replacement])
        return CleanResult(text, omap, report)


def clean(raw: str, **kw) -> CleanResult:
    return Cleaner(**kw).clean(raw)

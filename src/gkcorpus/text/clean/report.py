"""What cleaning did: per-step counts, lost spans, placeholders; the cleaned text with its offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Mapping

from ...base.edits import OffsetMap

__all__ = ["StepReport", "LostSpan", "CleaningReport", "CleanResult"]


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

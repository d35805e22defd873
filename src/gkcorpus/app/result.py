"""``MineResult``: what a ``mine`` run produced, shared by the run and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

__all__ = ["MineResult"]


@dataclass
class MineResult:
    """What a ``mine`` run produced: the per-stage results, the files written and the stage timings."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    clustering: Any = None
    boilerplate: Any = None  # Boilerplate, without what only its files need (WRITTEN_ONLY)
    miner: Any = None  # the fitted FrameMiner
    extractions: Any = None  # DataFrame: one row per slot value of every frame match
    skeleton: Any = None
    timeline: Any = None
    eras: Any = None
    frames: Any = None  # TemplateLibrary of sentence frames (the templates)
    numeric: Any = None  # DataFrame: numeric frame slots side by side, one row per document
    warnings: list[str] = field(default_factory=list)
    segmentation: dict[str, Any] = field(default_factory=dict)
    plots: bool = True  # whether the run draws its PNG plots (``--no-plots``: none, in any stage)
    #: plots being drawn in a side process: their path -> a function that waits for the file
    drawing: dict[Path, Callable[[], Path]] = field(default_factory=dict, repr=False)

    def relative_files(self) -> list[str]:
        root = self.out_dir.resolve()
        return [p.resolve().relative_to(root).as_posix() for p in self.files]

"""The formula bank's entries before they become records, their order of occurrences and their score."""

from __future__ import annotations

import math

import numpy as np

from .formula_records import FormulaVariant


def _entry_order(E: np.ndarray, G0: np.ndarray, G1: np.ndarray, n: int) -> np.ndarray:
    """Order of occurrences by entry, then start, then longest first (``np.lexsort((-G1, G0, E))``):
    one stable sort of one integer key when it fits in 63 bits (a fifth of the time)."""
    if not len(E):
        return np.zeros(0, dtype=np.int64)
    width = int((G1 - G0).max()) + 1
    if (int(E.max()) + 1) * (n + 1) * width >= 1 << 62:
        return np.lexsort((-G1, G0, E))
    return np.argsort((E * (n + 1) + G0) * width + (width - 1 - (G1 - G0)), kind="stable")


class _Entries:
    """The bank's entries before they become records: text, head candidate, exact counts of the head
    wording (-1 for gapped entries), variants, fillers and pattern per entry, and every occurrence as
    flat arrays (entry number ``E``, global start ``G0`` and end ``G1``, sorted by entry and start)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.heads: list[int] = []
        self.dfs: list[int] = []
        self.tfs: list[int] = []
        self.variants: list[list[FormulaVariant]] = []
        self.fillers: list[list[str]] = []
        self.patterns: list[str] = []
        self.n_cont = 0
        self.E = self.G0 = self.G1 = np.zeros(0, dtype=np.int64)

    def add(self, text: str, head: int, df: int, tf: int, variants: list[FormulaVariant],
            fillers: list[str] | None = None, pattern: str = "") -> None:
        self.texts.append(text)
        self.heads.append(head)
        self.dfs.append(df)
        self.tfs.append(tf)
        self.variants.append(variants)
        self.fillers.append(fillers or [])
        self.patterns.append(pattern)


def _entry_score(df: int, han_chars: int, cohesion: float, freedom: float, edges: float) -> float:
    """How formulaic an entry is, for the ranking: dispersion (documents), length in Han characters
    (capped at 16), cohesion, freedom of its context and closed edges."""
    return math.sqrt(max(df - 1, 0.5)) * math.log2(1 + min(han_chars, 16)) * max(cohesion, 0.05) \
        * (0.5 + 0.5 * freedom) * (0.5 + edges)

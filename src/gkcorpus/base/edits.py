"""Offset-tracked text edits.

Every cleaning step is expressed as a list of :class:`Edit` (replace ``text[start:end]``
by ``replacement``). :func:`apply_edits` applies them and returns an :class:`OffsetMap`
from the new text back to the old one; maps compose, so any clean span can be traced
to the raw characters it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

__all__ = ["Edit", "OffsetMap", "apply_edits"]


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement`` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str = ""
    note: str = ""


@dataclass(frozen=True, eq=False)
class OffsetMap:
    """For each character of a derived text, the span ``[starts[i], ends[i])`` of the source it came from.

    ``source_len`` is the length of the source text. Characters inserted from nothing map to
    an empty span.
    """

    starts: np.ndarray
    ends: np.ndarray
    source_len: int

    def __post_init__(self) -> None:
        # int32 whenever the source fits: two offsets per clean character are most of a loaded corpus
        # (16 bytes a character as int64: 1.6 GB at 100 M characters); same values, half the memory
        dtype = np.int32 if self.source_len < 2**31 else np.int64
        for name in ("starts", "ends"):
            a = getattr(self, name)
            if not isinstance(a, np.ndarray) or a.dtype != dtype:
                object.__setattr__(self, name, np.asarray(a, dtype=dtype))

    @classmethod
    def identity(cls, n: int) -> "OffsetMap":
        idx = np.arange(n, dtype=np.int32 if n < 2**31 else np.int64)
        return cls(idx, idx + 1, n)

    def __len__(self) -> int:
        return len(self.starts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OffsetMap):
            return NotImplemented
        return (
            self.source_len == other.source_len
            and np.array_equal(self.starts, other.starts)
            and np.array_equal(self.ends, other.ends)
        )

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covered by the derived span ``[start, end)``."""
        n = len(self.starts)
        if not 0 <= start <= end <= n:
            raise IndexError(f"span [{start}, {end}) outside a text of length {n}")
        if start == end:
            pos = int(self.starts[start]) if start < n else self.source_len
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def then(self, later: "OffsetMap") -> "OffsetMap":
        """Compose: ``later`` maps a newer text onto the text this map starts from."""
        if later.source_len != len(self):
            raise ValueError("offset maps do not chain: lengths differ")
        if len(later) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return OffsetMap(empty, empty.copy(), self.source_len)
        st = later.starts
        en = later.ends
        ext_starts = np.append(self.starts, self.source_len)
        starts = ext_starts[st]
        nonempty = en > st
        ends = np.where(nonempty, self.ends[np.maximum(en - 1, 0)], starts)
        return OffsetMap(starts, ends, self.source_len)

    def to_lists(self) -> dict:
        return {"starts": self.starts.tolist(), "ends": self.ends.tolist(), "source_len": self.source_len}

    @classmethod
    def from_lists(cls, d: dict) -> "OffsetMap":
        return cls(
            np.asarray(d["starts"], dtype=np.int64),
            np.asarray(d["ends"], dtype=np.int64),
            int(d["source_len"]),
        )


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits to ``text``.

    Returns the new text and the map from it back to ``text``. A replacement of the same
    length as its span maps character to character; otherwise every replacement character
    maps to the whole replaced span.
    """
    ordered: Sequence[Edit] = sorted(edits, key=lambda e: (e.start, e.end))
    pieces: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    pos = 0
    for e in ordered:
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise ValueError(f"overlapping or invalid edit {e!r} (text position {pos})")
        if e.start > pos:
            pieces.append(text[pos : e.start])
            r = np.arange(pos, e.start, dtype=np.int64)
            starts.append(r)
            ends.append(r + 1)
        k = len(e.replacement)
        if k:
            pieces.append(e.replacement)
            if k == e.end - e.start:
                r = np.arange(e.start, e.end, dtype=np.int64)
                starts.append(r)
                ends.append(r + 1)
            else:
                starts.append(np.full(k, e.start, dtype=np.int64))
                ends.append(np.full(k, e.end, dtype=np.int64))
        pos = e.end
    if pos < len(text):
        pieces.append(text[pos:])
        r = np.arange(pos, len(text), dtype=np.int64)
        starts.append(r)
        ends.append(r + 1)
    new = "".join(pieces)
    if starts:
        s = np.concatenate(starts)
        en = np.concatenate(ends)
    else:
        s = np.zeros(0, dtype=np.int64)
        en = np.zeros(0, dtype=np.int64)
    return new, OffsetMap(s, en, len(text))

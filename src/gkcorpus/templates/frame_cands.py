"""A candidate frame while mining (its pieces, slot types and clause-level instances) and the rule for
enough fixed content to stand as a frame."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import Any, Iterable, Iterator, Sequence

from .frame_model import Clause, _SCORE_CAP, _balanced, _floating_factor, _han
from .frame_slots import CLOSED_TYPES

__all__: list[str] = []


class OneClauseInstances(SequenceABC):
    """Instances ``(doc, clause, 1, values)`` of one clause each, held as two integer arrays and the list of
    values: 16 bytes an instance instead of a tuple's 80 (the anchors' candidates hold millions of them).
    Reads as the list of tuples it stands for."""

    __slots__ = ("_docs", "_clauses", "_values")

    def __init__(self, docs: Iterable[int], clauses: Iterable[int], values: list[tuple[str, ...]]):
        self._docs, self._clauses, self._values = array("i", docs), array("i", clauses), values

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, tuple[str, ...]]]) -> "OneClauseInstances":
        """From ``(doc, clause, values)`` rows."""
        docs, clauses, values = array("i"), array("i"), []
        for d, c, v in rows:
            docs.append(d)
            clauses.append(c)
            values.append(v)
        return cls(docs, clauses, values)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[tuple[int, int, int, tuple[str, ...]]]:
        return zip(self._docs, self._clauses, repeat(1), self._values)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return list(zip(self._docs[i], self._clauses[i], repeat(1), self._values[i]))
        return self._docs[i], self._clauses[i], 1, self._values[i]


@dataclass
class _Cand:
    """A candidate frame and its clause-level instances ``(doc, first clause, clauses, values)``."""

    pieces: list[str]  # fixed text around slots (len = slots + 1)
    types: list[str]  # slot types ("TEXT" or a closed type)
    inst: Sequence[tuple[int, int, int, tuple[str, ...]]]  # a list, or :class:`OneClauseInstances`
    ok: bool = True  # enough fixed content to stand as a frame
    free: str = ""  # "after" / "before": fixed clauses, then (after) a free clause; exempt from the coverage rule
    edge: bool = False  # a construction fixed at both edges of a clause: exempt from the coverage rule
    starts: tuple[int, ...] | None = None  # a construction whose opening floats: where it starts in each clause

    @cached_property
    def docs(self) -> int:
        return len({i[0] for i in self.inst})

    @property
    def fixed(self) -> int:
        return _han("".join(self.pieces)) + 2 * sum(t in CLOSED_TYPES for t in self.types)

    def score(self) -> float:
        return self.docs * min(self.fixed, _SCORE_CAP) * _floating_factor(self.pieces, self.types)

    def coverage(self, clauses: Sequence[Clause]) -> float:
        fixed = sum(len(p) for p in self.pieces)
        closed = [k for k, t in enumerate(self.types) if t in CLOSED_TYPES]
        tot = 0.0
        for _, c, n, vals in self.inst:
            span = sum(len(clauses[c + j].text) for j in range(n)) + n - 1
            tot += min(1.0, (fixed + sum(len(vals[k]) for k in closed)) / max(1, span))
        return tot / max(1, len(self.inst))


def holds_numbers(types: Sequence[str], other: Sequence[str]) -> bool:
    """Whether slots of ``types`` hold the number slots of ``other``: at least as many of each closed
    type (a growth rate, PERCENT, is not a variant of an amount, MONEY)."""
    need = [t for t in other if t in CLOSED_TYPES]
    if not need:
        return True  # most frames have no number slot: nothing to hold
    have = Counter(t for t in types if t in CLOSED_TYPES)
    return all(have[t] >= n for t, n in Counter(need).items())


def _content_ok(pieces: Sequence[str], types: Sequence[str], min_fixed: int, min_seg: int) -> bool:
    if not _balanced(pieces):
        return False
    # a fixed segment of one or two Han characters (建设, 我们, 改革) is glue: it counts half
    han = sum(h if h >= 3 else h / 2 for h in (_han(p) for p in pieces))
    segs = sum(1 for p in pieces if _han(p))
    closed = sum(t in CLOSED_TYPES for t in types)
    if han >= min_fixed:
        return True
    if closed and segs + closed >= 2 and _han(pieces[0]) >= 2 and _is_verb_phrase(pieces[0]):
        return True  # an action and its quantity (发放{TEXT}{NUM}): an extraction frame
    return han >= min_seg and segs + closed >= 2


def _is_verb_phrase(text: str) -> bool:
    """Whether ``text`` ends in a verb (jieba.posseg): 发放, 比上年增长 — not 其中, 今年, 全国."""
    from .frame_slots import _tags

    tags = _tags(text)
    return bool(tags) and tags[-1][1].startswith("v")

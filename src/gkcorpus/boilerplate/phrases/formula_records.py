"""Records of the formula bank: :class:`Formula` entries, their :class:`FormulaVariant` wordings and
their examples (made into :class:`~gkcorpus.boilerplate.records.Occurrence` records when first read)."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from ..records import Occurrence, SentenceRecord
from .records import _PARTICLES  # noqa: F401  (one list of particles; the formula modules import it from here)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ...corpus import Document

__all__ = ["Formula", "FormulaVariant", "FORMULA_COLUMNS"]

_INNER_PUNCT = "，、“”‘’《》·"
_OPEN = "“‘《"
_CLOSE = "”’》"
_FOLD_PUNCT = re.compile(r"[，、,“”‘’\"'《》·\s]")
# one-character words that cannot start / end a formula
_FUNC_START = "的了着过地得和与及或并且而也又还都就才等之其所是"
_FUNC_END = _FUNC_START + "在于对把被由从向以为给将让使要能可会"
_CLAUSE_BREAK = "，。；！？：,;!?:\n"
# a one-character word kept at an edge when every occurrence has it there and a content word beside it:
# a conjunction that opens a clause (而努力奋斗) or a preposition, copula or modal that leads into
# the rest of the sentence (更加紧密地团结在, 今年工作的总体要求是, 各级政府要)
_LEAD_KEEP = "而并"
_TRAIL_KEEP = "在于对把被由从向以为给将让使要能可会是"
_DIGITS = "0123456789"
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SNAP_REACH = 6  # how far (characters) a repeat's edge may move inward to reach a word boundary
_VOTERS = 9  # occurrences that vote on where a repeat's word boundaries are

FORMULA_COLUMNS = ["id", "phrase", "kind", "category", "df", "tf", "score", "docs", "examples", "variants",
                   "parents", "children", "in_shared_passage", "han_chars", "words", "tags", "cohesion",
                   "freedom", "standalone", "pattern", "fillers", "df_folded", "tf_folded"]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class FormulaVariant:
    """One wording of a folded entry and its counts."""

    text: str
    df: int
    tf: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "df": self.df, "tf": self.tf}


@dataclass
class Formula:
    """One entry of the formula bank with its counts, evidence, links and features."""

    id: str
    phrase: str
    kind: str  # "formula" | "collocation" | "term"
    category: str  # "opening" | "closing" | "heading" | ""
    df: int
    tf: int
    score: float
    docs: list[str]
    examples: Sequence[Occurrence]
    variants: list[FormulaVariant] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    in_shared_passage: int = 0
    han_chars: int = 0
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cohesion: float = 0.0
    freedom: float = 1.0
    standalone: float = 0.0
    pattern: str = ""  # gapped formulae: the regular expression counted
    fillers: list[str] = field(default_factory=list)
    #: counts over all folded wordings (``df``/``tf`` are those of the wording ``phrase`` itself)
    df_folded: int = 0
    tf_folded: int = 0
    #: every occurrence as three arrays (document index in the fitted corpus, clean start, clean end); the
    #: miner's entries hold views of the bank's shared arrays, sliced when read
    spans: Sequence[np.ndarray] = field(default=(), repr=False, compare=False)

    @property
    def gapped(self) -> bool:
        return bool(self.pattern)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "phrase": self.phrase,
            "kind": self.kind,
            "category": self.category,
            "df": self.df,
            "tf": self.tf,
            "score": round(float(self.score), 4),
            "docs": list(self.docs),
            "examples": self.examples.to_dicts() if isinstance(self.examples, _Examples)
            else [o.to_dict() for o in self.examples],
            "variants": [v.to_dict() for v in self.variants],
            "parents": list(self.parents),
            "children": list(self.children),
            "in_shared_passage": self.in_shared_passage,
            "han_chars": self.han_chars,
            "words": list(self.words),
            "tags": list(self.tags),
            "cohesion": round(float(self.cohesion), 4),
            "freedom": round(float(self.freedom), 4),
            "standalone": round(float(self.standalone), 4),
            "pattern": self.pattern,
            "fillers": list(self.fillers),
            "df_folded": self.df_folded,
            "tf_folded": self.tf_folded,
        }


class _Evidence:
    """Makes :class:`~gkcorpus.reuse.Occurrence` records (sentence, raw offsets) for clean spans."""

    def __init__(self, docs: Sequence["Document"], sentences: Sequence[Sequence[SentenceRecord]]):
        self.docs = list(docs)
        self.sentences = [list(ss) for ss in sentences]
        self.starts = [[x.start for x in ss] for ss in self.sentences]

    def occurrence(self, d: int, start: int, end: int) -> Occurrence:
        doc = self.docs[d]
        rs, re_ = doc.raw_span(start, end)
        k = bisect.bisect_right(self.starts[d], start) - 1
        sent = self.sentences[d][k] if k >= 0 else None
        return Occurrence(doc.id, sent.index if sent else 0, start, end, rs, re_, doc.text[start:end],
                          sent.text if sent else "")

    def occurrence_dict(self, d: int, start: int, end: int) -> dict[str, Any]:
        """``occurrence(d, start, end).to_dict()`` without the record."""
        doc = self.docs[d]
        rs, re_ = doc.raw_span(start, end)
        k = bisect.bisect_right(self.starts[d], start) - 1
        sent = self.sentences[d][k] if k >= 0 else None
        index = sent.index if sent else 0
        return {"doc_id": doc.id, "sentence": index, "unit_id": f"{doc.id}#t{index}", "start": start, "end": end,
                "raw_start": rs, "raw_end": re_, "text": doc.text[start:end],
                "sentence_text": sent.text if sent else ""}


class _Examples(SequenceABC):
    """An entry's examples, made into :class:`~gkcorpus.reuse.Occurrence` records when first read
    (most entries of a large bank are never exported): ``spans`` (document index, clean start, clean
    end), or the three integer arrays (``docs``, ``starts``, ``ends``, shared by the entries) and the
    range ``lo:hi`` of this entry's examples in them."""

    __slots__ = ("_evidence", "_spans", "_items", "_arrays", "_lo", "_hi")

    def __init__(self, evidence: _Evidence, spans: list[tuple[int, int, int]] | None = None,
                 arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None, lo: int = 0, hi: int = 0):
        self._evidence = evidence
        self._spans = spans
        self._arrays, self._lo, self._hi = arrays, lo, hi
        self._items: list[Occurrence] | None = None

    def _list(self) -> list[Occurrence]:
        if self._items is None:
            self._items = [self._evidence.occurrence(d, a, b) for d, a, b in self._span_list()]
        return self._items

    def _span_list(self) -> list[tuple[int, int, int]]:
        if self._spans is None:
            docs, starts, ends = self._arrays  # type: ignore[misc]
            lo, hi = self._lo, self._hi
            self._spans = list(zip(docs[lo:hi].tolist(), starts[lo:hi].tolist(), ends[lo:hi].tolist()))
        return self._spans

    def to_dicts(self) -> list[dict[str, Any]]:
        """The examples as :meth:`~gkcorpus.reuse.Occurrence.to_dict` gives them (no records made)."""
        if self._items is not None:
            return [o.to_dict() for o in self._items]
        return [self._evidence.occurrence_dict(d, a, b) for d, a, b in self._span_list()]

    def __len__(self) -> int:
        return len(self._spans) if self._spans is not None else self._hi - self._lo

    def __getitem__(self, i: Any) -> Any:
        return self._list()[i]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SequenceABC) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._list())


class _SpanViews(SequenceABC):
    """An entry's ``spans``: its rows ``lo:hi`` of the bank's three flat occurrence arrays, each
    sliced (a view, no copy) when read."""

    __slots__ = ("_arrays", "_lo", "_hi")

    def __init__(self, arrays: tuple[np.ndarray, np.ndarray, np.ndarray], lo: int, hi: int):
        self._arrays, self._lo, self._hi = arrays, lo, hi

    def __len__(self) -> int:
        return 3

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self)[i]
        return self._arrays[i][self._lo: self._hi]

    def __repr__(self) -> str:
        return repr(tuple(self))


# --------------------------------------------------------------------------- text keys


_FOLD_DROP = str.maketrans("", "", "，、,“”‘’\"'《》· \t\u3000")
_FOLD_INSERTS = str.maketrans("", "", "的地之")
_FOLDABLE = re.compile("[，、,“”‘’\"'《》· \t\u3000的地之]")


def _fold_key(text: str) -> str:
    """What variants share: the text without punctuation and spaces, 的/地/之 dropped (only when at
    least six characters remain, so short phrases are never merged by it). Width variants need no
    folding: the candidates' alphabet is Han characters and full-width clause punctuation."""
    if not _FOLDABLE.search(text):
        return text
    k = text.translate(_FOLD_DROP)
    k2 = k.translate(_FOLD_INSERTS)
    return k2 if len(k2) >= 6 else k


def _insertion_roots(keys: Sequence[str], max_insert: int = 2, min_len: int = 12) -> dict[str, str]:
    """Keys of long wordings (clauses and sentences: ``min_len`` characters or more without the
    insertion) that hold one or two more Han characters inside (not at either end, which makes a
    longer phrase) than a shorter key: 请予审议并请全国政协各位委员提出意见 / …全国政协委员提出意见,
    中国现代化建设事业的各国政府 / 中国现代化建设的各国政府. Returns longer key -> shorter key. No chains:
    a wording that is itself a variant of a shorter one takes no variants (采取切实有效的措施 does
    not join 采取有效措施 through 采取切实措施), and short wordings are never joined (提高劳动生产率 /
    提高农业劳动生产率 name different things)."""
    present = set(keys)
    # a shorter key keeps the longer one's first or last ``anchor`` characters (the insertion lies in the
    # other half), so only keys of the right length sharing one of them are compared
    anchor = max(1, min_len // 2)
    by_head: dict[tuple[int, str], list[str]] = defaultdict(list)
    by_tail: dict[tuple[int, str], list[str]] = defaultdict(list)
    for k in present:
        if len(k) >= min_len:
            by_head[len(k), k[:anchor]].append(k)
            by_tail[len(k), k[-anchor:]].append(k)
    into: dict[str, str] = {}
    for k in sorted(present, key=lambda x: (len(x), x)):
        found = ""
        for size in range(1, max_insert + 1):
            m = len(k) - size
            if m < min_len:
                break
            for short in {*by_head.get((m, k[:anchor]), ()), *by_tail.get((m, k[-anchor:]), ())}:
                if short not in into and _holds_insertion(k, short, size):
                    found = min(found, short, key=lambda x: (-len(x), x)) if found else short
        if found:
            into[k] = found
    return into


def _holds_insertion(long: str, short: str, size: int) -> bool:
    """Whether ``long`` is ``short`` with ``size`` Han characters inserted strictly inside it."""
    m = len(short)
    p = 0
    while p < m and long[p] == short[p]:
        p += 1
    q = 0
    while q < m and long[-1 - q] == short[-1 - q]:
        q += 1
    for i in range(max(1, m - q), min(p, len(long) - size - 1) + 1):
        if all(_HAN_RE.match(c) for c in long[i: i + size]):
            return True
    return False


def _gap_regex(parts: Sequence[str], max_gap: int) -> str:
    gap = f"[^{re.escape(_CLAUSE_BREAK)}]{{0,{max_gap}}}?"
    return gap.join(re.escape(p) for p in parts)

"""Formula timelines: how often each formula occurs per group of documents (year, region, kind).

Researchers ask when a formula entered the genre, how long it lasted and what replaced it. The
counts here are made by matching every formula over the whole corpus (not taken from the miner's
evidence), so a cell's df and tf are exact: a contiguous formula is found with the corpus suffix
array, a gapped formula or a frame with its regular expression, sentence by sentence.

:class:`FormulaTimeline` adds, per formula, its life span (first and last group, peak, recent
trend) and the successions where one formula gives way to a near-identical one
(全面建设小康社会 → 全面建成小康社会); :mod:`gkcorpus.timeline.eras` cuts the ordered groups into eras.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from scipy import sparse

    from ..corpus import Corpus

__all__ = [
    "Formula",
    "Lifespan",
    "Succession",
    "FormulaTimeline",
    "count_by_group",
    "formulae_from_bank",
    "formulae_from_frames",
    "formulae_from_templates",
    "gap_pattern",
    "top_formulae",
    "write_trends",
]

#: a gap (…) in a gapped formula: up to this many characters inside one clause
GAP_CHARS = 20
_GAP = "…"
_CLAUSE_END = "。！？；\n"
_SLOT = re.compile(r"\{[A-Za-z_0-9]+\}")


@dataclass(frozen=True)
class Formula:
    """A formula or frame to count: ``pattern`` is a regular expression, or ``None`` for the exact
    ``text``; ``kind`` says where it came from (a phrase-bank kind, or ``frame``)."""

    id: str
    text: str
    kind: str = "formula"
    pattern: str | None = None


def gap_pattern(text: str, gap: int = GAP_CHARS) -> str:
    """The regular expression of a gapped formula ``A…B``: the parts in order, each gap at most
    ``gap`` characters within one clause."""
    parts = [re.escape(p) for p in text.split(_GAP)]
    return f"[^{_CLAUSE_END}]{{0,{gap}}}?".join(parts)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def formulae_from_bank(entries: Iterable[Any]) -> list[Formula]:
    """Formulae from phrase-bank entries (records or their dicts): ``id``, ``phrase`` and ``kind``;
    a phrase with ``…`` is gapped and counted by :func:`gap_pattern`."""
    out = []
    seen: set[str] = set()
    for e in entries:
        text = str(_get(e, "phrase"))
        if text in seen:  # one wording, one row (a bank may list a phrase under two kinds)
            continue
        seen.add(text)
        out.append(Formula(str(_get(e, "id")), text, str(_get(e, "kind", "formula")),
                           gap_pattern(text) if _GAP in text else None))
    return out


def formulae_from_templates(templates: Iterable[Any], slot_chars: int = 60) -> list[Formula]:
    """Frames from a template library's templates (or their dicts with ``id`` and ``template``):
    the fixed pieces in order, each slot matching up to ``slot_chars`` characters within one
    sentence, so a frame is counted wherever it occurs, also inside a longer sentence."""
    out = []
    for t in templates:
        text = str(_get(t, "template"))
        pieces = [p for p in _SLOT.split(text) if p]
        if not pieces:
            continue
        gap = f"[^{_CLAUSE_END}]{{1,{slot_chars}}}?"
        out.append(Formula(str(_get(t, "id")), text, "frame", gap.join(re.escape(p) for p in pieces)))
    return out


#: a frame's free slot: clause characters, or a quotation or title whole (as the frame's own regex)
_FRAME_TEXT = r"(?:[^，；：。！？“”《》\n]|“[^“”\n]*”|《[^《》\n]*》)"


def _frame_piece(piece: str) -> str:
    """A frame's fixed piece: a comma in it matches any clause punctuation, as the frame does."""
    return "[，；：]".join(re.escape(x) for x in piece.split("，"))


def _frame_slot(kind: str, before: str, after: str, may_be_empty: bool, slot_chars: int,
                choices: Sequence[str] = ()) -> str:
    """A frame's slot after the fixed text ``before`` and before ``after``: a closed type by its pattern,
    a choice of wording (``CHOICE``) by its ``choices``, a free slot inside a quotation or title of the
    fixed text by anything but its brackets."""
    from ..templates.frame_inner import ORD_RE
    from ..templates.frame_slots import closed_pattern

    if kind == "CHOICE" and choices:  # one of its values, never a number's bound (as the frame matches)
        return "(?<![0-9０-９%％.．])(?:" + "|".join(re.escape(c) for c in sorted(choices, key=lambda c: (-len(c), c))) + ")"
    closed = ORD_RE.pattern[2:-1] if kind == "ORD" else closed_pattern(kind, after)
    if closed is not None:
        return f"(?:{closed}){'?' if may_be_empty else ''}"
    quoted = before.count("“") > before.count("”") or before.count("《") > before.count("》")
    return f"{'[^“”《》]' if quoted else _FRAME_TEXT}{{{0 if may_be_empty else 1},{slot_chars}}}?"


def formulae_from_frames(frames: Iterable[Any], slot_chars: int = 60) -> list[Formula]:
    """Sentence frames (a frame library, or its dicts with ``id``, ``template`` and ``slots``) as
    formulae: from the first fixed piece on, a comma in the fixed text matching any clause
    punctuation (，；：), a number, percent, money, year or date slot by its pattern, a free slot
    by up to ``slot_chars`` characters of one clause (none when it may be empty), and a clause end
    after it unless a free slot closes it. A slot opening the frame is left out (the pattern starts
    with fixed text, found in the suffix array), a free slot closing it too, and the start is not
    held to a clause start: a frame is counted in every document it matched, and may be counted in
    more (``{YEAR}政府工作报告`` also where the words stand in a sentence). A frame matched inside a
    clause (``inner``, e.g. ``第{ORD}个五年计划``) or a heading (which may run into the text after it)
    has no clause end after it; an ORD slot holds a numeral, a CHOICE slot one of its values."""
    out = []
    for t in frames:
        text = str(_get(t, "template"))
        pieces = _SLOT.split(text)
        slots = list(_get(t, "slots", None) or [])
        if len(slots) != len(pieces) - 1:
            names = _SLOT.findall(text)
            slots = [{"type": n[1:-1].rstrip("_0123456789"), "n_empty": 0} for n in names]
        first = next((i for i, p in enumerate(pieces) if p), None)
        if first is None:
            continue
        # matched anywhere inside a clause, or a heading that may run into the text after it: no clause end after it
        inner = bool(_get(t, "inner", False)) or _get(t, "where", "body") == "heading"
        # after a dropped slot, clause punctuation is context too (the pattern keeps a literal start)
        parts = [_frame_piece(pieces[first].lstrip("，") if first else pieces[first])]
        pending: list[str] = []  # slots since the last fixed piece
        for j in range(first, len(slots)):
            after = pieces[j + 1]
            kind, empty = str(_get(slots[j], "type", "TEXT")), bool(_get(slots[j], "n_empty", 0))
            closed = kind in ("NUM", "PERCENT", "MONEY", "YEAR", "DATE", "ORD", "CHOICE")
            if not after and j == len(slots) - 1 and not closed:
                break  # a free slot closing the frame: context
            pending.append(_frame_slot(kind, "".join(pieces[: j + 1]), after, empty, slot_chars,
                                       list(_get(slots[j], "values", None) or [])))
            if after or j == len(slots) - 1:
                parts += pending + [_frame_piece(after)] if after else pending
                pending = []
        else:  # the frame ends with fixed text or a closed slot: at a clause end, as it does
            if not inner:
                parts.append(f"(?=[，：{_CLAUSE_END}]|$)")
        out.append(Formula(str(_get(t, "id")), text, "frame", "".join(parts)))
    return out


def _group_keys(corpus: "Corpus", by: str) -> list[Any]:
    keys = []
    for d in corpus:
        if by not in d.meta:
            raise ValueError(f"document {d.id!r} has no variable {by!r} to group by "
                             f"(variables: {', '.join(sorted(d.meta)) or 'none'})")
        keys.append(d.meta[by])
    return keys


def _sortable(values: Sequence[Any]) -> list[Any]:
    """Distinct group values in their natural order (numbers as numbers, else as strings)."""
    distinct = list(dict.fromkeys(values))
    try:
        return sorted(distinct)
    except TypeError:
        return sorted(distinct, key=str)


_META = frozenset(".^$*+?{}[]|()")
_QUANT = frozenset("*+?{")


def literal_prefix(pattern: str) -> str:
    """The text every match of ``pattern`` starts with (its leading literal characters, as
    :func:`re.escape` writes them), or "" when the pattern starts with anything else."""
    return _literal_run(pattern)[0]


def _literal_run(pattern: str, i: int = 0) -> tuple[str, int]:
    """The literal characters every match of ``pattern[i:]`` starts with, and where they end in ``pattern``."""
    out: list[str] = []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1].isalnum():
                break  # a class or an anchor (\d, \b, \1 …), not a literal
            c, step = pattern[i + 1], 2
        elif c in _META:
            break
        else:
            step = 1
        if i + step < len(pattern) and pattern[i + step] in _QUANT:
            break  # the character is optional or repeated: not part of every match
        out.append(c)
        i += step
    return "".join(out), i


# a gap between two literal pieces, as gap_pattern and formulae_from_templates write it: [^…]{lo,hi}?
_GAP_TOKEN = re.compile(r"\[\^(?:[^\]\\]|\\.)*\]\{(\d+),(\d+)\}\?")


def _second_piece(pattern: str) -> tuple[int, int, str] | None:
    """``(lo, hi, text)`` when ``pattern`` is its literal prefix, a gap of ``lo`` to ``hi``
    characters and then literal ``text`` (the start of every match's second piece); else None."""
    first, i = _literal_run(pattern)
    m = _GAP_TOKEN.match(pattern, i) if first else None
    if m is None:
        return None
    second = _literal_run(pattern, m.end())[0]
    if not second or "\n" in second:
        return None
    return int(m.group(1)), int(m.group(2)), second


def _count_anchored(rx: "re.Pattern[str]", text: str, starts: Sequence[int]) -> int:
    """``len(rx.findall(text))`` when every match starts at one of ``starts`` (sorted): the
    same non-overlapping, leftmost matches, tried only where a match can begin."""
    n, end = 0, 0
    for p in starts:
        if p < end:
            continue
        m = rx.match(text, p)
        if m is not None:
            n += 1
            end = m.end()
    return n


def _match_counts(corpus: "Corpus", formulae: Sequence[Formula]) -> "sparse.csr_array":
    """Occurrences of every formula in every document: a sparse (n_formulae, n_docs) int64 array.

    Sparse because most formulae occur in few documents: a dense array grows with formulae ×
    documents, faster than the text. One suffix array serves all formulae: an exact formula is
    looked up in it; a pattern's literal prefix is looked up in it, and the pattern is tried only
    at those places (a pattern without one, or with a look-behind, is scanned over every text).
    """
    from scipy import sparse

    from ..kernels.suffix import TextIndex

    docs = list(corpus)
    texts = [d.text for d in docs]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []

    def add(i: int, doc: np.ndarray, n: np.ndarray) -> None:
        keep = n > 0
        rows.append(np.full(int(keep.sum()), i, dtype=np.int64))
        cols.append(np.asarray(doc, dtype=np.int64)[keep])
        vals.append(np.asarray(n, dtype=np.int64)[keep])

    index = TextIndex(texts) if formulae and docs else None
    for i, f in enumerate(formulae if index is not None else ()):
        if f.pattern is None:
            pos = index.find_text(f.text)
            if len(pos):
                add(i, *np.unique(index.doc_of(pos), return_counts=True))
            continue
        prefix = literal_prefix(f.pattern)
        if not prefix or "\n" in prefix or "(?<" in f.pattern:
            rx = re.compile(f.pattern)
            add(i, np.arange(len(texts)), np.array([sum(1 for _ in rx.finditer(t)) for t in texts], dtype=np.int64))
            continue
        pos = index.find_text(prefix)
        second = _second_piece(f.pattern)
        if len(pos) and second is not None:
            # a match needs its second piece a gap after the prefix: keep the starts that have one
            lo, hi, text = second
            follow = index.find_text(text)
            after = pos + len(prefix)
            pos = pos[np.searchsorted(follow, after + lo, "left") < np.searchsorted(follow, after + hi, "right")]
        if not len(pos):
            continue
        rx = re.compile(f.pattern)
        doc = index.doc_of(pos)
        local = pos - index.doc_starts[doc]
        bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True])
        starts = bounds[:-1]
        n = [_count_anchored(rx, texts[int(doc[a])], local[a:b].tolist())
             for a, b in zip(starts.tolist(), bounds[1:].tolist())]
        add(i, doc[starts], np.array(n, dtype=np.int64))
    cat = (lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64))
    return sparse.csr_array((cat(vals), (cat(rows), cat(cols))), shape=(len(formulae), len(docs)), dtype=np.int64)


def _objects(values: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@dataclass(frozen=True)
class _Cells:
    """The (formula, group) cells where a formula occurs, formula-major and groups in order."""

    groups: list[Any]
    n_docs: np.ndarray  # documents per group
    chars: np.ndarray  # characters per group
    formula: np.ndarray  # row of the formula
    group: np.ndarray  # index into groups
    df: np.ndarray
    tf: np.ndarray
    rate: np.ndarray  # tf per 10,000 characters of the group
    docs: np.ndarray  # the ids of the documents that hold the formula in the group, space-joined

    def sparse(self, values: np.ndarray, n_formulae: int) -> "sparse.csr_array":
        from scipy import sparse

        return sparse.csr_array((values, (self.formula, self.group)), shape=(n_formulae, len(self.groups)))


def _count_cells(corpus: "Corpus", formulae: Sequence[Formula], by: str) -> _Cells:
    docs = list(corpus)
    keys = _group_keys(corpus, by)
    groups = _sortable(keys)
    where = {k: g for g, k in enumerate(groups)}
    gidx = np.array([where[k] for k in keys], dtype=np.int64)
    n_docs = np.bincount(gidx, minlength=len(groups)).astype(np.int64)
    chars = np.bincount(gidx, weights=[len(d.text) for d in docs], minlength=len(groups)).astype(np.int64)
    ids = [d.id for d in docs]
    counts = _match_counts(corpus, formulae).tocoo()
    fi, di, n = counts.row.astype(np.int64), counts.col.astype(np.int64), counts.data.astype(np.int64)
    cell = fi * max(len(groups), 1) + gidx[di]
    order = np.lexsort((di, cell))  # cells in order, a cell's documents in corpus order
    cell, fi, di, n = cell[order], fi[order], di[order], n[order]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]]) if len(cell) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(cell)].astype(np.int64)
    g = gidx[di[starts]]
    tf = np.add.reduceat(n, starts) if len(starts) else np.zeros(0, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(chars[g] > 0, np.round(1e4 * tf / np.maximum(chars[g], 1), 4), 0.0)
    docs_col = _objects([" ".join(ids[d] for d in di[a:b].tolist()) for a, b in zip(starts.tolist(), ends.tolist())])
    return _Cells(groups, n_docs, chars, fi[starts], g, (ends - starts).astype(np.int64), tf.astype(np.int64),
                  rate, docs_col)


def _cell_frame(cells: _Cells, formulae: Sequence[Formula], min_docs: int) -> "pd.DataFrame":
    import pandas as pd

    f, g = cells.formula, cells.group
    return pd.DataFrame({
        # object arrays: a list of str would become a fixed-width unicode array as wide as the longest
        "formula_id": _objects([formulae[i].id for i in f.tolist()]),
        "formula": _objects([formulae[i].text for i in f.tolist()]),
        "kind": _objects([formulae[i].kind for i in f.tolist()]),
        "group": _objects([cells.groups[i] for i in g.tolist()]),
        "docs_in_group": cells.n_docs[g],
        "chars_in_group": cells.chars[g],
        "df": cells.df,
        "tf": cells.tf,
        "per_10k": cells.rate,
        "docs": cells.docs,
        "few_docs": cells.n_docs[g] < min_docs,
    }, columns=["formula_id", "formula", "kind", "group", "docs_in_group", "chars_in_group",
                "df", "tf", "per_10k", "docs", "few_docs"])


def count_by_group(corpus: "Corpus", formulae: Sequence[Formula], by: str = "year",
                   min_docs: int = 3) -> "pd.DataFrame":
    """Long table, one row per formula × group where the formula occurs (absent cells are zeros,
    left out: the table grows with the occurrences, not with formulae × groups): ``formula_id,
    formula, kind, group, docs_in_group, chars_in_group, df, tf, per_10k, docs, few_docs``.

    ``per_10k`` is tf per 10,000 characters of the group; ``docs`` the ids of the documents that
    hold the formula; ``few_docs`` flags groups of fewer than ``min_docs`` documents, whose rates
    are read with their counts. Rows are formula-major, groups in order.
    """
    return _cell_frame(_count_cells(corpus, formulae, by), formulae, min_docs)


@dataclass(frozen=True)
class Lifespan:
    """When a formula lives: first and last group holding it, its peak (highest rate), how many
    groups hold it, and its ``trend`` over the last groups (rising, stable, falling, gone)."""

    formula_id: str
    formula: str
    kind: str
    first: Any
    last: Any
    peak: Any
    peak_per_10k: float
    groups_present: int
    df: int
    tf: int
    trend: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}  # asdict's deep copy: slow, no use here


@dataclass(frozen=True)
class Succession:
    """``old`` gives way to ``new``: near-identical wording (``edits`` characters changed), ``old``
    ending as ``new`` begins (``overlap`` groups hold both)."""

    old_id: str
    old: str
    new_id: str
    new: str
    old_span: tuple[Any, Any]
    new_span: tuple[Any, Any]
    edits: int
    overlap: int

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["old_span"], d["new_span"] = list(self.old_span), list(self.new_span)
        return d


def _trend(rates: np.ndarray, present: np.ndarray, recent: int, ratio: float) -> str:
    """Rising / falling / stable by the mean rate of the last ``recent`` groups against the
    ``recent`` before them (a factor of ``ratio`` either way); ``gone`` when absent from all of
    the last ``recent`` groups."""
    if len(rates) < 2 * recent:
        recent = max(1, len(rates) // 2)
    last, before = rates[-recent:], rates[-2 * recent : -recent]
    if not present[-recent:].any():
        return "gone"
    a, b = float(last.mean()), float(before.mean()) if len(before) else 0.0
    if b == 0:
        return "rising" if a > 0 else "stable"
    if a >= ratio * b:
        return "rising"
    if a * ratio <= b:
        return "falling"
    return "stable"


def _trends(rates: np.ndarray, present: np.ndarray, recent: int, ratio: float) -> list[str]:
    """:func:`_trend` of every row of ``rates`` (formulae × groups) and ``present``."""
    n = rates.shape[1]
    if n < 2 * recent:
        recent = max(1, n // 2)
    if n == 0 or len(rates) == 0:
        return [_trend(r, p, recent, ratio) for r, p in zip(rates, present)]
    a = rates[:, -recent:].mean(axis=1)
    before = rates[:, -2 * recent : -recent]
    b = before.mean(axis=1) if before.shape[1] else np.zeros(len(rates))
    gone = ~present[:, -recent:].any(axis=1)
    out = np.where(a >= ratio * b, "rising", np.where(a * ratio <= b, "falling", "stable")).astype(object)
    out[b == 0] = np.where(a[b == 0] > 0, "rising", "stable")
    out[gone] = "gone"
    return out.tolist()


def _trends_sparse(rate: "sparse.csr_array", df: "sparse.csr_array", n_groups: int, recent: int,
                   ratio: float) -> list[str]:
    """:func:`_trends` of every formula, from the last ``2 * recent`` groups of the sparse rates."""
    if n_groups < 2 * recent:
        recent = max(1, n_groups // 2)
    tail = slice(max(n_groups - 2 * recent, 0), n_groups)
    return _trends(rate[:, tail].toarray(), df[:, tail].toarray() > 0, recent, ratio)


_NUMERALS = set("0123456789０１２３４５６７８９零〇一二三四五六七八九十百千万亿两")


def _numerals_only(a: str, b: str) -> bool:
    """Whether every character that differs between ``a`` and ``b`` is a numeral."""
    from difflib import SequenceMatcher

    changed = "".join(a[i1:i2] + b[j1:j2] for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                      if op != "equal")
    return bool(changed) and set(changed) <= _NUMERALS


_JOINERS = re.compile("[，、,；;和与及并的地之]")  # what a wording may change and stay itself


def _joiners_only(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ only in punctuation, conjunctions or 的/地/之 (利用外资、引进 / 利用外资和引进)."""
    return _JOINERS.sub("", a) == _JOINERS.sub("", b)


def _edit_distance(a: str, b: str) -> int:
    return int(_levenshtein()(a, b))


@lru_cache(maxsize=None)
def _levenshtein() -> Callable[[str, str], int]:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance


class _PieceIndex:
    """Strings of one length that may lie within ``k`` edits of a query (a superset of them).

    The pigeonhole filter of pass-join: cut the length into ``k + 1`` pieces; ``k`` edits touch
    at most ``k`` of them, so a string within ``k`` edits of the query holds one of the query's
    pieces, moved by at most ``k`` places. Each string is indexed by its ``k + 1`` pieces at every
    shift, so a query looks up ``(k + 1)(2k + 1)`` keys instead of comparing with every string.
    """

    def __init__(self, strings: Sequence[str], k: int):
        n = len(strings[0]) if strings else 0
        cuts = [round(j * n / (k + 1)) for j in range(k + 2)]
        self.pieces = list(zip(cuts[:-1], cuts[1:]))
        self.k = k
        self.index: dict[tuple[int, int, str], list[int]] = {}
        for i, text in enumerate(strings):
            for j, (a, b) in enumerate(self.pieces):
                for d in range(max(-k, -a), min(k, n - b) + 1):
                    self.index.setdefault((j, d, text[a + d:b + d]), []).append(i)

    def candidates(self, query: str) -> set[int]:
        out: set[int] = set()
        for j, (a, b) in enumerate(self.pieces):
            piece = query[a:b]
            for d in range(-self.k, self.k + 1):
                out.update(self.index.get((j, d, piece), ()))
        return out


class FormulaTimeline(BaseEstimator):
    """Counts of formulae per group, their life spans, and successions between them.

    Parameters
    ----------
    by : the document variable that orders the groups (``year``; any variable works, its values
        sorted naturally).
    min_docs : groups with fewer documents are flagged ``few_docs``.
    recent : how many final groups the trend compares with the ones before.
    trend_ratio : factor between the two means that counts as rising or falling.
    max_edits, max_edit_share : successions join formulae of equal length that differ in at most
        ``max_edits`` characters and at most this share of their length (全面建设小康社会 /
        全面建成小康社会 differ in one of eight; two four-character collocations sharing a verb
        do not qualify) …
    max_gap : … where the new one's first group lies within ``max_gap`` groups of the old one's
        last, and the old one began earlier and ends earlier (one wording handing over to the
        other, not two formulae living side by side).
    max_overlap : … and the two overlap in at most this many groups, from the new one's first to the old one's
        last (synonyms taking turns, 拥有 / 具有自主知识产权, hand nothing over). Wordings differing only in
        punctuation, a conjunction or 的/地/之 are one wording, never a succession.
    min_density : a formula takes part in a succession when it occurs in at least three groups and in
        at least this share of the groups of its span (a wording in steady use, not a stray repeat).
    min_df : formulae held by fewer documents get no life span or succession (too little evidence).

    Fitted attributes: ``groups_`` (ordered group values), ``n_docs_`` and ``chars_`` (documents
    and characters per group), ``counts_`` (long DataFrame of :func:`count_by_group`), ``df_``,
    ``tf_`` and ``rate_`` (sparse formulae × groups arrays of its cells), ``lifespans_`` (list of :class:`Lifespan`), ``successions_`` (list
    of :class:`Succession`), ``formulae_``.
    """

    def __init__(self, by: str = "year", min_docs: int = 3, recent: int = 5, trend_ratio: float = 1.5,
                 max_edits: int = 2, max_edit_share: float = 0.2, max_gap: int = 2, max_overlap: int = 1,
                 min_density: float = 0.5, min_df: int = 2):
        self.by = by
        self.min_docs = min_docs
        self.recent = recent
        self.trend_ratio = trend_ratio
        self.max_edits = max_edits
        self.max_edit_share = max_edit_share
        self.max_gap = max_gap
        self.max_overlap = max_overlap
        self.min_density = min_density
        self.min_df = min_df

    _parameter_constraints: dict = {
        "by": [str],
        "min_docs": [Interval(Integral, 1, None, closed="left")],
        "recent": [Interval(Integral, 1, None, closed="left")],
        "trend_ratio": [Interval(Real, 1, None, closed="neither")],
        "max_edits": [Interval(Integral, 1, None, closed="left")],
        "max_edit_share": [Interval(Real, 0, 1, closed="right")],
        "max_gap": [Interval(Integral, 0, None, closed="left")],
        "max_overlap": [Interval(Integral, 0, None, closed="left")],
        "min_density": [Interval(Real, 0, 1, closed="both")],
        "min_df": [Interval(Integral, 1, None, closed="left")],
    }

    def fit(self, corpus: "Corpus", formulae: Sequence[Formula]) -> "FormulaTimeline":
        """Count ``formulae`` over ``corpus`` by group and date each of them."""
        self._validate_params()
        if not self.by:
            raise ValueError(f"{type(self).__name__}: by must name a document variable")
        self.formulae_ = list(formulae)
        cells = _count_cells(corpus, self.formulae_, self.by)
        self.counts_ = _cell_frame(cells, self.formulae_, self.min_docs)
        self.groups_ = cells.groups
        self.n_docs_, self.chars_ = cells.n_docs, cells.chars
        n = len(self.formulae_)
        self.df_, self.tf_ = cells.sparse(cells.df, n), cells.sparse(cells.tf, n)
        self.rate_ = cells.sparse(cells.rate, n)
        self.lifespans_ = self._lifespans()
        self.successions_ = self._successions()
        return self

    def matrix(self, value: str = "per_10k", ids: Iterable[str] | None = None) -> "pd.DataFrame":
        """Wide table: formulae × groups of ``value`` (``df``, ``tf`` or ``per_10k``); only the
        formulae ``ids`` when given (dense, so keep it to the formulae wanted on a large corpus)."""
        import pandas as pd

        check_is_fitted(self, "counts_")
        m = {"df": self.df_, "tf": self.tf_, "per_10k": self.rate_}[value]
        rows = np.arange(len(self.formulae_))
        if ids is not None:
            wanted = set(ids)
            rows = np.array([i for i, f in enumerate(self.formulae_) if f.id in wanted], dtype=np.int64)
        cells = m[rows].toarray() if len(rows) else np.zeros((0, len(self.groups_)), dtype=m.dtype)
        wide = pd.DataFrame(cells, index=pd.Index([self.formulae_[i].id for i in rows.tolist()], name="formula_id"),
                            columns=pd.Index(self.groups_, name="group"))
        wide.insert(0, "formula", [self.formulae_[i].text for i in rows.tolist()])
        return wide

    def _lifespans(self) -> list[Lifespan]:
        n_groups = len(self.groups_)
        df, rate = self.df_, self.rate_
        # every formula's statistics at once, from the cells where it occurs (sorted by group)
        df_sum = np.asarray(df.sum(axis=1)).ravel()
        tf_sum = np.asarray(self.tf_.sum(axis=1)).ravel()
        n_present = np.diff(df.indptr)
        has = n_present > 0
        first = np.zeros(len(n_present), dtype=np.int64)
        last = np.full(len(n_present), max(n_groups - 1, 0), dtype=np.int64)
        first[has] = df.indices[df.indptr[:-1][has]]
        last[has] = df.indices[df.indptr[1:][has] - 1]
        # the peak: the first group of the highest rate (a row without a positive rate peaks at 0)
        n_rated = np.diff(rate.indptr)
        rated = n_rated > 0
        order = np.lexsort((rate.indices, -rate.data, np.repeat(np.arange(len(n_rated)), n_rated)))
        top = order[rate.indptr[:-1][rated]]
        peak = np.zeros(len(n_rated), dtype=np.int64)
        peak_rate = np.zeros(len(n_rated))
        peak[rated], peak_rate[rated] = rate.indices[top], rate.data[top]
        peak[peak_rate <= 0] = 0
        trends = _trends_sparse(rate, df, n_groups, self.recent, self.trend_ratio)
        g = self.groups_
        out = []
        for i in np.flatnonzero(df_sum >= self.min_df).tolist():
            f = self.formulae_[i]
            out.append(Lifespan(f.id, f.text, f.kind, g[first[i]], g[last[i]], g[peak[i]], float(peak_rate[i]),
                                int(n_present[i]), int(df_sum[i]), int(tf_sum[i]), trends[i]))
        return out

    def _successions(self) -> list[Succession]:
        pos = {g: k for k, g in enumerate(self.groups_)}
        # a succession is one set wording replacing another: frames, gapped patterns and collocations
        # (发挥…作用, 我们的工业) change with their fillers, not as wordings
        spans = [s for s in self.lifespans_ if s.kind not in ("frame", "collocation") and "…" not in s.formula
                 and s.groups_present >= 3 and s.groups_present >= self.min_density * (pos[s.last] - pos[s.first] + 1)]
        by_len: dict[int, list[Lifespan]] = {}
        for s in spans:
            by_len.setdefault(len(s.formula), []).append(s)
        df = self.df_
        row = {f.id: i for i, f in enumerate(self.formulae_)}

        def present(formula_id: str) -> np.ndarray:
            i = row[formula_id]
            return df.indices[df.indptr[i]:df.indptr[i + 1]]

        out = []
        for length, group in by_len.items():
            # equal lengths and at most k edits: a candidate shares one of k + 1 pieces, shifted by at most k
            k = min(self.max_edits, math.floor(self.max_edit_share * length))
            if k < 1:
                continue  # two different wordings of one length are at least one edit apart
            shares = _PieceIndex([s.formula for s in group], k)
            for old in group:
                a0, a1 = pos[old.first], pos[old.last]
                window = range(max(a0 + 1, a1 - self.max_gap), a1 + self.max_gap + 1)
                near = sorted((i for i in shares.candidates(old.formula) if pos[group[i].first] in window),
                              key=lambda i: (pos[group[i].first], i))
                for new in (group[i] for i in near):
                    if old.formula == new.formula:
                        continue
                    b0, b1 = pos[new.first], pos[new.last]
                    if not (a0 < b0 and abs(b0 - a1) <= self.max_gap and a1 < b1) or a1 - b0 + 1 > self.max_overlap:
                        continue  # not after the old one, or living beside it (a hand-over overlaps little)
                    edits = _edit_distance(old.formula, new.formula)
                    if edits > self.max_edits or edits > self.max_edit_share * len(old.formula):
                        continue
                    if _numerals_only(old.formula, new.formula) or _joiners_only(old.formula, new.formula):
                        continue  # one wording (第一届 / 第二届, 资金和物资 / 资金、物资), not a new formula
                    both = len(np.intersect1d(present(old.formula_id), present(new.formula_id)))
                    out.append(Succession(old.formula_id, old.formula, new.formula_id, new.formula,
                                          (old.first, old.last), (new.first, new.last), edits, both))
        out.sort(key=lambda s: (pos[s.new_span[0]], s.old, s.new))
        return out

    def lifespan_frame(self) -> "pd.DataFrame":
        """The life spans as a DataFrame, one row per formula, earliest first."""
        import pandas as pd

        check_is_fitted(self, "lifespans_")
        cols = list(Lifespan.__dataclass_fields__)
        rows = [s.to_dict() for s in self.lifespans_]
        pos = {g: k for k, g in enumerate(self.groups_)}
        rows.sort(key=lambda r: (pos[r["first"]], pos[r["last"]], r["formula"]))
        return pd.DataFrame(rows, columns=cols)

    def succession_frame(self) -> "pd.DataFrame":
        import pandas as pd

        check_is_fitted(self, "successions_")
        cols = list(Succession.__dataclass_fields__)
        return pd.DataFrame([s.to_dict() for s in self.successions_], columns=cols)


def top_formulae(timeline: FormulaTimeline, n: int = 40, max_coverage: float = 0.7) -> list[str]:
    """Ids of the ``n`` formulae worth drawing on a timeline: those that live in a period (their
    span from first to last group covers at most ``max_coverage`` of the groups, and they occur
    in at least three groups), ranked by how many groups they fill and how densely they fill
    their span; drawn earliest first. Formulae present throughout say nothing about time."""
    n_groups = len(timeline.groups_)
    pos = {g: k for k, g in enumerate(timeline.groups_)}
    scored = []
    for s in timeline.lifespans_:
        span = pos[s.last] - pos[s.first] + 1
        if s.groups_present < 3 or span > max_coverage * n_groups:
            continue
        scored.append((s.groups_present * s.groups_present / span, len(s.formula), s))
    scored.sort(key=lambda x: (-x[0], -x[1], x[2].formula))
    chosen = [s for _, _, s in scored[:n]]
    chosen.sort(key=lambda s: (pos[s.first], pos[s.last], s.formula))
    return [s.formula_id for s in chosen]


def write_trends(out_dir: str | Path, timeline: FormulaTimeline, eras: Any = None, top: int = 40,
                 xlsx_rows: int = 1000, plots: bool = True) -> list[Path]:
    """``trends.csv`` (long: every formula × group where it occurs), ``trends.xlsx`` (wide: the ``xlsx_rows`` most
    widely held formulae × groups, one sheet for the rate and one for df, their life spans, the
    successions and the eras), ``lifespans.csv``, ``successions.csv``, ``eras.json`` and, with ``plots``, the plots
    ``timeline.png`` and ``eras.png``."""
    from ..base.export import ensure_dir, write_csv, write_json, write_xlsx

    out = ensure_dir(out_dir)
    counts = timeline.counts_
    written = [write_csv(out / "trends.csv", counts[counts["tf"] > 0])]  # zero cells are implied
    life, succ = timeline.lifespan_frame(), timeline.succession_frame()
    written.append(write_csv(out / "lifespans.csv", life))
    written.append(write_csv(out / "successions.csv", succ))
    sheets: dict[str, Any] = {}
    # a workbook a person reads: the most widely held formulae (all of them are in trends.csv)
    held: dict[str, int] = {}  # documents holding each formula, formulae in order
    for f, n in zip(timeline.formulae_, np.asarray(timeline.df_.sum(axis=1)).ravel().tolist()):
        held[f.id] = held.get(f.id, 0) + int(n)
    ranked = sorted(held, key=lambda k: -held[k])  # stable: ties keep the formulae's order
    keep = set(ranked[:xlsx_rows])
    for value in ("per_10k", "df"):  # tf per cell is in trends.csv
        sheets[value] = timeline.matrix(value, ids=keep).reset_index()
    sheets["lifespans"], sheets["successions"] = life[life["formula_id"].isin(keep)], succ
    era_spans: list[tuple[Any, Any]] = []
    if eras is not None:
        sheets["eras"] = eras.frame()
        written.append(write_json(out / "eras.json", [e.to_dict() for e in eras.eras_]))
        era_spans = [(e.start, e.end) for e in eras.eras_]
    try:
        written.append(write_xlsx(out / "trends.xlsx", sheets))
    except Exception as e:  # openpyxl missing: the CSVs carry the same numbers
        from ..base.export import ExportError

        if not isinstance(e, ExportError):
            raise
    if not plots:
        return written
    from .plots import plot_era_strip, plot_formula_timeline

    ids = top_formulae(timeline, top)
    if ids:
        wide = timeline.matrix("per_10k", ids=ids).loc[ids]
        rates = wide.drop(columns="formula").set_axis(list(wide["formula"]), axis=0)
        written.append(plot_formula_timeline(rates, out / "timeline.png", eras=era_spans,
                                             title=f"Formulae by {timeline.by}: presence and rate per 10,000 characters"))
    if eras is not None and eras.eras_:
        labels = [(e.start, e.end, " · ".join(m["formula"] for m in e.markers[:3])) for e in eras.eras_]
        written.append(plot_era_strip(timeline.groups_, labels, out / "eras.png"))
    return written

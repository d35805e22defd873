"""Fitting a group's frame (fixed pieces and slots) to its members, and refining its slot edges."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from .align import _clean_pieces, _pieces_from_blocks
from .slots import NUM_AFFIX_CHARS, TYPED, classify, common_affix, find_entities, slot_name
from .units import _BRACKET, _CLAUSE_SET, _FIRST_CLAUSE, _HAN, _LAST_CLAUSE

# =========================================================================== fitting a frame to members


@dataclass
class _Fit:
    """A frame fitted to its members: pieces, per-member slot values and context."""

    pieces: list[str]
    values: list[list[str]]
    lead: list[str]
    trail: list[str]
    fixed: int
    coverage: float

    @property
    def open_start(self) -> bool:
        return any(self.lead)

    @property
    def open_end(self) -> bool:
        return any(self.trail)


def _split(pieces: Sequence[str], core: str) -> list[str] | None:
    """Slot values of ``core`` for fixed ``pieces`` (leftmost placement, as a lazy regex ``^p0(.*?)p1…pk$``)."""
    p0 = pieces[0]
    if not core.startswith(p0):
        return None
    if len(pieces) == 1:
        return [] if len(core) == len(p0) else None
    last = pieces[-1]
    end = len(core) - len(last)
    if end < len(p0) or not core.endswith(last):
        return None
    pos = len(p0)
    out = []
    for p in pieces[1:-1]:
        k = core.find(p, pos, end)
        if k < 0:
            return None
        out.append(core[pos:k])
        pos = k + len(p)
    out.append(core[pos:end])
    return out


@dataclass(frozen=True)
class _Rules:
    """What a frame must satisfy (see :class:`TemplateMiner` for the meaning of each)."""

    min_fixed: int = 4
    min_fixed_context: int = 7
    min_fixed_embedded: int = 10
    min_coverage: float = 0.5


def _fit(pieces: Sequence[str], cores: Sequence[str], rules: _Rules, open_start: bool = False,
         open_end: bool = False) -> _Fit | None:
    """Fit ``pieces`` to every core; split off context clauses; check the frame's quality.

    A leading slot is cut at its last clause mark: what comes before is context (the frame may
    start after any clause boundary); a trailing slot likewise at its first clause mark; a clause
    mark ending the first piece (starting the last) before an edge slot makes that whole slot
    context. The frame must keep ``min_fixed`` fixed characters (``min_fixed_context`` when some
    member has context, ``min_fixed_embedded`` when some member has context on both sides); in
    every member the fixed text plus typed or role-named slot values must cover ``min_coverage`` of
    the frame's span. A frame with context needs a slot filled in every member, and must reach the
    start or the end of at least one sentence (else it is a shared phrase, a formula, not a
    template: the phrase and boilerplate miners deal with those).
    """
    pieces = list(pieces)
    if not pieces:
        return None
    if open_start and (len(pieces) == 1 or pieces[0] != ""):
        pieces.insert(0, "")
    if open_end and (len(pieces) == 1 or pieces[-1] != ""):
        pieces.append("")
    values: list[list[str]] = []
    for c in cores:
        v = _split(pieces, c)
        if v is None:
            return None
        values.append(v)
    n = len(cores)
    lead, trail = [""] * n, [""] * n
    pieces = _cut_trail(_cut_lead(pieces, values, lead), values, trail)
    joined = "".join(pieces)
    if not joined:
        return None
    any_lead, any_trail = any(lead), any(trail)
    if any_lead and any_trail and all(a and b for a, b in zip(lead, trail)):
        return None  # inside every sentence, free clauses on both sides: a shared phrase, not a frame
    fixed = len(joined)
    context = any_lead or any_trail
    embedded = any_lead and any_trail
    need = rules.min_fixed_embedded if embedded else rules.min_fixed_context if context else rules.min_fixed
    named: list[bool] | None = None
    if fixed < need:
        # typed values and role-named slots count towards the threshold (在{DATE}的活动当天,
        # 现将{TOPIC}总结如下), in every member
        named = _named_slots(pieces)
        credit = min(sum(len(x) for k, x in enumerate(v) if x and (named[k] or _typed(x))) for v in values)
        if fixed < rules.min_fixed or fixed + credit < need:
            return None
    if context and len(pieces) > 2 and pieces[0] == "" and pieces[-1] == "":
        # free text at both edges of a frame cut out of a longer sentence: a shared phrase, no frame
        if not all(_typed(v[0]) or not v[0] for v in values) and not all(_typed(v[-1]) or not v[-1] for v in values):
            return None
    inside = max(_entity_chars(pieces, v) for v in values) if _BRACKET.search(joined) else 0
    if inside and (fixed - inside < need or inside > 0.6 * fixed):
        return None  # the shared text is mostly inside titles or quotations: entities, not a frame
    if context and not _slot_filled_everywhere(pieces, values):
        return None
    worst = _worst_coverage(pieces, values, cores, lead, trail, fixed, named, rules.min_coverage)
    if worst is None:
        return None
    return _Fit(pieces, values, lead, trail, fixed, worst)


def _cut_lead(pieces: list[str], values: list[list[str]], lead: list[str]) -> list[str]:
    """Split the context off a leading slot (into ``lead``, per member; ``values`` edited in place):
    the whole slot after "{A}，" unless every value is typed, else up to its last clause mark. The
    slot goes when it is empty in every member. Returns the pieces."""
    if not (len(pieces) > 1 and pieces[0] == ""):
        return pieces
    if pieces[1][:1] in _CLAUSE_SET and not all(_typed(v[0]) for v in values):  # "{A}，现将…": A is context
        for i, v in enumerate(values):
            lead[i], v[0] = v[0] + pieces[1][0], ""
        pieces[1] = pieces[1][1:]
    else:
        for i, v in enumerate(values):
            m = _LAST_CLAUSE.search(v[0])
            if m is not None:
                lead[i], v[0] = v[0][: m.start() + 1], v[0][m.start() + 1:]
    if all(v[0] == "" for v in values):
        pieces = pieces[1:]
        for v in values:
            v.pop(0)
    return pieces


def _cut_trail(pieces: list[str], values: list[list[str]], trail: list[str]) -> list[str]:
    """:func:`_cut_lead` at the other end: the context after a trailing slot goes into ``trail``."""
    if not (len(pieces) > 1 and pieces[-1] == ""):
        return pieces
    if pieces[-2][-1:] in _CLAUSE_SET and not all(_typed(v[-1]) for v in values):  # "…当天，{B}": B is context
        for i, v in enumerate(values):
            trail[i], v[-1] = pieces[-2][-1] + v[-1], ""
        pieces[-2] = pieces[-2][:-1]
    else:
        for i, v in enumerate(values):
            m = _FIRST_CLAUSE.search(v[-1])
            if m is not None:
                trail[i], v[-1] = v[-1][m.start():], v[-1][:m.start()]
    if all(v[-1] == "" for v in values):
        pieces = pieces[:-1]
        for v in values:
            v.pop()
    return pieces


def _named_slots(pieces: Sequence[str]) -> list[bool]:
    """Per slot, whether the fixed text around it names its role (现将{TOPIC}总结如下)."""
    return [_named(pieces[k][-2:], pieces[k + 1][:8]) for k in range(len(pieces) - 1)]


def _slot_filled_everywhere(pieces: Sequence[str], values: Sequence[Sequence[str]]) -> bool:
    """A slot filled in every member: interior, or at an edge when its values are typed."""
    for k in range(len(pieces) - 1):
        col = [v[k] for v in values]
        if all(col):
            interior = pieces[k] != "" and pieces[k + 1] != ""
            if interior or all(_typed(x) for x in col):
                return True
    return False


def _worst_coverage(pieces: Sequence[str], values: Sequence[Sequence[str]], cores: Sequence[str],
                    lead: Sequence[str], trail: Sequence[str], fixed: int, named: list[bool] | None,
                    min_coverage: float) -> float | None:
    """The smallest share of a member's frame span that the fixed text explains, with its typed
    and role-named slot values (slots named by their context hold expected content, like typed
    ones) when the fixed text alone falls short; None as soon as one falls below ``min_coverage``."""
    worst = 1.0
    for i, c in enumerate(cores):
        span = len(c) - len(lead[i]) - len(trail[i])
        if span <= 0:
            return None
        cov = fixed / span
        if cov < min_coverage:
            if named is None:
                named = _named_slots(pieces)
            explained = fixed + sum(len(x) for k, x in enumerate(values[i]) if x and (named[k] or _typed(x)))
            cov = explained / span
        worst = min(worst, cov)
        if worst < min_coverage:
            return None
    return worst


def _clause_span(marks: Sequence[int], length: int, start: int, end: int) -> int:
    """Length of the clause stretch ``[start, end)`` sits in: from the clause mark before ``start``
    to the one at or after ``end`` (``marks``: sorted positions of ，；：)."""
    k = bisect_right(marks, start)  # a mark opening the stretch belongs to what comes before
    lo = marks[k - 1] + 1 if k else 0
    k2 = bisect_left(marks, end - 1)  # a mark closing it, to what comes after
    hi = marks[k2] if k2 < len(marks) else length
    return max(hi - lo, end - start)


def _best_frame(blocks: list[tuple[int, int, int]], a_text: str, a_len: int, b_len: int, min_piece: int,
                fit: Callable[[list[str]], _Fit | None], tries: int = 3, min_fixed: int = 4,
                anchored_single: bool = True, marks: tuple[Sequence[int], Sequence[int]] | None = None,
                min_estimate: float = 0.3) -> _Fit | None:
    """The frame of an alignment: of all its blocks, or of its best run of blocks when stray
    matches far out in free text spoil the whole.

    The whole alignment, then runs of consecutive blocks whose inner gaps are at most three times
    their matched text (slots holding values or a topic can be long) are tried, densest first
    (matched text less half the larger inner gap), at most ``tries`` in all; what lies outside a
    run becomes context or slot. Between two sentences (``anchored_single``) a single block is a
    frame only when it starts or ends both texts (a shared opening or ending, or the whole).
    With the clause marks of both texts (``marks``), a run is tried only if its matched text is at
    least ``min_estimate`` of the clauses it spans (an optimistic coverage: cheap, and it spares
    the full check of most chance matches).
    """
    n = len(blocks)
    windows = []
    for lo in range(n):
        matched = gap_a = gap_b = gap = 0
        pa = pb = pk = 0
        for hi in range(lo, n):
            a, b, k = blocks[hi]
            if hi > lo:
                gap_a += a - pa - pk
                gap_b += b - pb - pk
                gap = gap_a if gap_a > gap_b else gap_b
                if gap > 3 * (matched + k) and gap_a + gap_b > 6 * (matched + k):
                    break
            pa, pb, pk = a, b, k
            matched += k
            full = lo == 0 and hi == n - 1
            if matched < min_fixed or (gap > 3 * matched and not full):
                continue
            if anchored_single and hi == lo and not ((a == 0 and b == 0) or (a + k == a_len and b + k == b_len)):
                continue
            # dense runs first: matched text, less half the larger inner gap; the whole alignment first of all
            windows.append((not full, -(matched - gap / 2), hi - lo, lo, hi, matched))
    windows.sort()
    tried = 0
    for *_, lo, hi, matched in windows:
        if tried >= tries:
            break
        if marks is not None:
            ma, mb = marks
            a0, b0, _ = blocks[lo]
            a1 = blocks[hi][0] + blocks[hi][2]
            b1 = blocks[hi][1] + blocks[hi][2]
            # the frame must reach a sentence edge in one of the texts (start in a first clause or
            # end in a last one), and its matched text be a fair share of the clauses it spans
            if not ((not ma or a0 <= ma[0]) or (not mb or b0 <= mb[0]) or a1 > ma[-1] or b1 > mb[-1]):
                continue
            if matched < min_estimate * max(_clause_span(ma, a_len, a0, a1), _clause_span(mb, b_len, b0, b1)):
                continue
        tried += 1
        pieces = _clean_pieces(_pieces_from_blocks(blocks[lo:hi + 1], a_text, a_len, b_len), min_piece)
        f = fit(pieces) if pieces else None
        if f is not None:
            return f
    return None


def _entity_chars(pieces: Sequence[str], values: Sequence[str]) -> int:
    """Fixed characters of a frame that lie inside a title 《…》 or a quotation “…” (in one member)."""
    if not any(("《" in p or "“" in p or "》" in p or "”" in p) for p in pieces):
        return 0
    text, fixed_pos, pos = [], [], 0
    for k, p in enumerate(pieces):
        text.append(p)
        fixed_pos.append((pos, pos + len(p)))
        pos += len(p)
        if k < len(values):
            text.append(values[k])
            pos += len(values[k])
    joined = "".join(text)
    n = 0
    for s, e, kind in find_entities(joined):
        if kind in ("DOC_TITLE", "QUOTE"):
            for a, b in fixed_pos:
                n += max(0, min(b, e) - max(a, s))
    return n


@lru_cache(maxsize=4096)
def _named(before: str, after: str) -> bool:
    """Does a free slot between these ends get a role name (TOPIC…)? (the rules look at most 2
    characters back and 8 ahead)"""
    return slot_name("TEXT", before, after) != "TEXT"


@lru_cache(maxsize=65536)
def _typed(value: str) -> bool:
    return classify(value) in TYPED


# =========================================================================== refining a group's frame


def _slot_spans(fit: _Fit, i: int) -> list[tuple[int, int]]:
    """Character spans of member ``i``'s slot values in its core."""
    pos = len(fit.lead[i])
    spans = []
    for k, p in enumerate(fit.pieces):
        pos += len(p)
        if k < len(fit.pieces) - 1:
            v = fit.values[i][k]
            spans.append((pos, pos + len(v)))
            pos += len(v)
    return spans


def _widen(fit: _Fit, k: int, left: int, right: int) -> None:
    """Move ``left`` chars of the piece before slot ``k`` and ``right`` after it into the slot."""
    if left:
        moved = fit.pieces[k][-left:]
        fit.pieces[k] = fit.pieces[k][:-left]
        for v in fit.values:
            v[k] = moved + v[k]
    if right:
        moved = fit.pieces[k + 1][:right]
        fit.pieces[k + 1] = fit.pieces[k + 1][right:]
        for v in fit.values:
            v[k] = v[k] + moved


def _merge_empty_pieces(fit: _Fit) -> None:
    """Join two slots separated by an empty interior piece."""
    k = 1
    while k < len(fit.pieces) - 1:
        if fit.pieces[k] == "":
            del fit.pieces[k]
            for v in fit.values:
                v[k - 1] = v[k - 1] + v[k]
                del v[k]
        else:
            k += 1


def _snap_entities(fit: _Fit, cores: Sequence[str]) -> None:
    """Widen slots that cut through a typed value (a date, a number with its unit, a title…)."""
    if len(fit.pieces) < 2:
        return  # no slot
    ents = [find_entities(c, ("PERCENT", "DATE", "PLACEHOLDER", "NUM")) for c in cores]
    if not any(ents):
        return  # no value for a slot to cut through
    for _ in range(4):
        changed = False
        spans = [_slot_spans(fit, i) for i in range(len(cores))]
        for k in range(len(fit.pieces) - 1):
            left = right = 0
            for i, c in enumerate(cores):
                s, e = spans[i][k]
                if s == e:
                    continue
                for es, ee, _kind in ents[i]:  # titles and quotations get their type from their brackets
                    if es < e and ee > s and (es < s or ee > e):
                        left = max(left, s - es)
                        right = max(right, ee - e)
            left = min(left, len(fit.pieces[k]))
            right = min(right, len(fit.pieces[k + 1]))
            if left or right:
                _widen(fit, k, left, right)
                changed = True
                spans = [_slot_spans(fit, i) for i in range(len(cores))]
        if not changed:
            break


def _word_bounds(texts: Sequence[str], cut: Callable[[str], list[str]]) -> list[set[int]]:
    """Word boundaries of each text, from one call of the segmenter over all of them."""
    out: list[set[int]] = []
    cur: set[int] = {0}
    k, start, pos = 0, 0, 0
    for t in cut("\n".join(texts)):
        pos += len(t)
        while k < len(texts) and pos > start + len(texts[k]):
            cur.add(len(texts[k]))
            out.append(cur)
            start += len(texts[k]) + 1
            cur = {0}
            k += 1
        if k < len(texts) and pos >= start:
            cur.add(pos - start)
    while k < len(texts):
        cur.add(len(texts[k]))
        out.append(cur)
        cur = {0}
        k += 1
    return out


def _edges_in_words(fit: _Fit, cores: Sequence[str]) -> list[list[int]]:
    """Per member, the slot edges that fall between two Han characters in every member (such an
    edge may cut a word; only those need the segmenter)."""
    spans = [_slot_spans(fit, i) for i in range(len(cores))]
    out: list[list[int]] = [[] for _ in cores]
    for k in range(len(fit.pieces) - 1):
        for side in (0, 1):
            if fit.pieces[k + side] and all(
                    0 < sp[k][side] < len(c) and _HAN.match(c[sp[k][side] - 1]) and _HAN.match(c[sp[k][side]])
                    for sp, c in zip(spans, cores)):
                for i, sp in enumerate(spans):
                    out[i].append(sp[k][side])
    return out


def _inside_words(requests: Mapping[int, set[int]], cores: Sequence[str], cut: Callable[[str], list[str]],
                  reach: int = 8) -> dict[int, set[int]]:
    """For each text, the positions near the requested ones that lie inside a word.

    The segmenter sees windows of ``reach`` characters either side of each requested position
    (merged per text), each distinct window once, all in one call; positions it did not see count
    as word boundaries."""
    windows: list[tuple[int, int, int]] = []
    for m in sorted(requests):
        spans = sorted((max(0, p - reach), min(len(cores[m]), p + reach)) for p in requests[m])
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi:
                hi = max(hi, b)
            else:
                windows.append((m, lo, hi))
                lo, hi = a, b
        windows.append((m, lo, hi))
    texts = [cores[m][lo:hi] for m, lo, hi in windows]
    # each distinct window is segmented once (windows are cut apart by the newlines between them)
    distinct = list(dict.fromkeys(texts))
    bounds = dict(zip(distinct, _word_bounds(distinct, cut)))
    out: dict[int, set[int]] = defaultdict(set)
    for (m, lo, hi), text in zip(windows, texts):
        b = bounds[text]
        out[m].update(lo + q for q in range(1, hi - lo) if q not in b)
    return out


def _snap_words(fit: _Fit, cores: Sequence[str], inside: Sequence[set[int]]) -> None:
    """Widen a slot edge that falls inside a word in every member (``政务{公开}`` -> ``{政务公开}``).

    ``inside``: positions of each member text known to lie inside a word."""
    for k in range(len(fit.pieces) - 1):
        for side in (0, 1):
            while fit.pieces[k + side]:
                if not all(_slot_spans(fit, i)[k][side] in inside[i] for i in range(len(cores))):
                    break
                _widen(fit, k, 1 - side, side)


def _narrow_numbers(fit: _Fit) -> None:
    """Leave qualifiers and units outside a number slot: ``{100余人}`` -> ``{NUM}余人``."""
    for k in range(len(fit.pieces) - 1):
        col = [v[k] for v in fit.values]
        if not col or not all(col) or not all(classify(x) == "NUM" for x in col):
            continue
        suf = common_affix(col, suffix=True)
        n = 0
        while n < len(suf) and suf[len(suf) - 1 - n] in NUM_AFFIX_CHARS:
            n += 1
        while n and not all(classify(x[:-n]) == "NUM" and x[:-n][-1:] not in NUM_AFFIX_CHARS for x in col):
            n -= 1
        if n:
            moved = col[0][-n:]
            for v in fit.values:
                v[k] = v[k][:-n]
            fit.pieces[k + 1] = moved + fit.pieces[k + 1]
        col = [v[k] for v in fit.values]
        pre = common_affix(col, suffix=False)
        m = 0
        while m < len(pre) and pre[m] in "近约共计逾达":
            m += 1
        if m and all(classify(x[m:]) == "NUM" for x in col):
            moved = col[0][:m]
            for v in fit.values:
                v[k] = v[k][m:]
            fit.pieces[k] = fit.pieces[k] + moved

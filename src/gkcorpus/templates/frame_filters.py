"""Which mined frames are frames: variants merged into one frame, collocations and terms set aside,
duplicates absorbed by the frames that contain them."""


from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Mapping, Sequence

from .frame_cands import holds_numbers
from .frame_model import _CLAUSE_PUNCT, Frame, _balanced, _han, is_construction, rank_tier
from .frame_slots import CLOSED_TYPES, frame_slot_type, trim_value, typed_names
from .model import Slot, Template, render, template_id

__all__ = ["copied_passage", "edited_copy", "is_frame", "repeats_last"]

# --------------------------------------------------------------------------- variants, collocations

_GAP = "\x00"


def _skeleton(t: Template) -> str:
    pieces = t.pieces
    return "".join(p + (_GAP if k < len(t.slots) else "") for k, p in enumerate(pieces))


def _fixed_han(t: Template) -> int:
    return _han("".join(t.pieces))


def _types(t: Template) -> list[str]:
    return [s.type for s in t.slots]


def _n_closed(t: Template) -> int:
    return sum(s.type in CLOSED_TYPES for s in t.slots)


def _merge_skeletons(a: str, b: str) -> list[str] | None:
    """The pieces two frame skeletons share in order (difflib alignment); what differs between them
    (a slot, a name, an optional word) becomes a slot. Shared runs of one character between slots
    (的, 和) are not anchors: they join the slot."""
    from difflib import SequenceMatcher

    out = [""]
    ia = ib = 0
    for blk in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        if blk.a > ia or blk.b > ib:
            if out[-1] != _GAP:
                out.append(_GAP)
        out.append(a[blk.a:blk.a + blk.size])
        ia, ib = blk.a + blk.size, blk.b + blk.size
    sk = "".join(out)
    sk = re.sub(f"{_GAP}+", _GAP, sk)
    pieces = sk.split(_GAP)
    for k in range(1, len(pieces) - 1):
        if len(pieces[k]) < 2:
            pieces[k] = None  # type: ignore[call-overload]
    merged = [pieces[0]]
    for p in pieces[1:]:
        if p is None:
            continue
        merged.append(p)
    return merged if len(merged) > 1 else None


def _generalisations(frames: Sequence[Frame], min_share: float = 0.4, min_han: int = 8,
                     max_bucket: int = 40) -> list[tuple[Frame, int]]:
    """``(frame, support to beat)``: for pairs of frames sharing a run of four Han characters, the
    frame of what they share, the rest slots (``…团结在以{TEXT}同志为{TEXT_2}周围`` from the closing's
    variants by leader). It keeps at least ``min_han`` fixed Han characters and ``min_share`` of the
    parent's (two fewer in two segments of two or more: 高举{TEXT}伟大旗帜), no number slots, and must
    later match more documents than either."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for k, t in enumerate(frames):
        fixed = "\n".join(t.pieces)
        grams = {fixed[i:i + 4] for i in range(len(fixed) - 3) if _han(fixed[i:i + 4]) == 4}
        for g in grams:
            buckets[g].append(k)
    pairs = set()
    for ks in buckets.values():
        if 1 < len(ks) <= max_bucket:
            pairs.update((x, y) for i, x in enumerate(ks) for y in ks[i + 1:])
    out: dict[str, tuple[Frame, int]] = {}
    for x, y in sorted(pairs):
        a, b = frames[x], frames[y]
        if _n_closed(a) or _n_closed(b):
            continue  # numbers keep their own frames (a typed slot is not merged into free text)
        pieces = _merge_skeletons(_skeleton(a), _skeleton(b))
        if pieces is None or not _balanced(pieces):
            continue
        han = _han("".join(pieces))
        two = sum(1 for p in pieces if _han(p) >= 2) >= 2
        if han < (min_han - 2 if two else min_han) or han < min_share * max(_fixed_han(a), _fixed_han(b)):
            continue
        _offer_merge(out, pieces, a, b)
    return [out[k] for k in sorted(out)]


def _offer_merge(out: dict[str, tuple[Frame, int]], pieces: list[str], a: Frame, b: Frame) -> None:
    """Record in ``out`` the frame of fixed ``pieces`` with free slots between them, merged from ``a``
    and ``b``, with the support it must beat (the better of the two); the same text offered twice
    keeps the higher bar. A merge that is one of its sources is no merge."""
    names = typed_names(["TEXT"] * (len(pieces) - 1))
    text = render(pieces, names)
    if text in (a.template, b.template):
        return
    beat = max(a.support, b.support)
    if text not in out or out[text][1] < beat:
        out[text] = (Frame(template_id(text), text, [Slot(n, "TEXT", [], 1) for n in names], [], True, True), beat)


def _one_substitution(a: str, b: str, max_chars: int) -> list[str] | None:
    """The pieces of two skeletons equal but for one region of at most ``max_chars`` Han characters
    on each side (a word substituted, inserted or dropped: 诚挚/衷心, 清醒/清醒地), that region a
    slot with fixed text on both sides; None when they differ more or elsewhere."""
    n = min(len(a), len(b))
    p = 0
    while p < n and a[p] == b[p]:
        p += 1
    q = 0
    while q < n - p and a[-1 - q] == b[-1 - q]:
        q += 1
    if not p or not q or a[p - 1] == _GAP or a[len(a) - q] == _GAP:
        return None  # the word is not inside fixed text (a slot boundary moved: the absorb step's business)
    da, db = a[p:len(a) - q], b[p:len(b) - q]
    words = da.replace(_GAP, "") + db.replace(_GAP, "")
    if not words or len(da.replace(_GAP, "")) > max_chars or len(db.replace(_GAP, "")) > max_chars \
            or not re.fullmatch(r"[\u4e00-\u9fff]+", words):
        return None
    return re.sub(f"{_GAP}+", _GAP, a[:p] + _GAP + a[len(a) - q:]).split(_GAP)


def _near_variants(frames: Sequence[Frame], max_chars: int = 3) -> list[tuple[Frame, int]]:
    """``(frame, support to beat)``: for pairs of frames whose fixed text differs in one short word
    (at most ``max_chars`` Han characters, in one place), the frame with that word as a slot that may
    stay empty. Pairs are compared when they share their first or last three skeleton characters
    (one of the two holds when they differ in one place) and differ in length by ``max_chars`` at most."""
    # clause punctuation next to a slot is part of the slot's reach: {TEXT}，表示… and {TEXT}表示… compare equal
    sks = [re.sub(f"[，；：]?{_GAP}[，；：]?", _GAP, _skeleton(t)) for t in frames]
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, (t, sk) in enumerate(zip(frames, sks)):
        if not _n_closed(t):  # numbers keep their own frames
            buckets[("<", sk[:3])].append(k)
            buckets[(">", sk[-3:])].append(k)
    pairs = set()
    for ks in buckets.values():
        pairs.update((x, y) for i, x in enumerate(ks) for y in ks[i + 1:] if abs(len(sks[x]) - len(sks[y])) <= max_chars)
    out: dict[str, tuple[Frame, int]] = {}
    for x, y in sorted(pairs):
        a, b = frames[x], frames[y]
        pieces = _one_substitution(sks[x], sks[y], max_chars)
        if pieces is None or not _balanced(pieces):
            continue
        _offer_merge(out, pieces, a, b)
    return [out[k] for k in sorted(out)]


def is_choice(values: Sequence[str], docs: Sequence[str], min_docs: int = 2, max_han: int = 3,
              share: float = 0.9) -> bool:
    """Whether a slot's values (one per instance, ``docs`` the instances' documents) are a choice
    among short words (诚挚的/衷心的, 核心/总书记, or nothing) rather than free text: every word has
    at most ``max_han`` Han characters, and (nearly) all values (``share``, as for a slot's type)
    are words that recur in ``min_docs`` documents, however many words there are. A modifier of
    many kinds (各种/刑事/走私) has words found once."""
    where: dict[str, set[str]] = defaultdict(set)
    n = 0
    for v, d in zip(values, docs):
        if v:
            where[v].add(d)
            n += 1
    if not where or not all(_han(w) == len(w) <= max_han for w in where):
        return False
    recurring = sum(1 for v in values if v and len(where[v]) >= min_docs)
    return recurring >= share * n


def slot_choice(t: Template, name: str) -> bool:
    """:func:`is_choice` over the values of slot ``name`` in ``t``'s instances."""
    return is_choice([i.slot_values.get(name, "") for i in t.instances], [i.doc_id for i in t.instances])


def _retype_open_slots(t: Template) -> None:
    """Type a merged frame's free slots by their values (open types only: the slot's pattern stays)."""
    types = []
    for k, s in enumerate(t.slots):
        kind = frame_slot_type([trim_value(v) for v in s.values], t.pieces[k], t.pieces[k + 1])
        types.append(kind if kind not in CLOSED_TYPES else "TEXT")
    rename_slots(t, types)


def rename_slots(t: Template, types: list[str]) -> None:
    """Give ``t``'s slots ``types`` and the names they imply, in its text, id and instances (in place)."""
    names = typed_names(types)
    renamed = {s.name: n for s, n in zip(t.slots, names)}
    for s, ty, n in zip(t.slots, types, names):
        s.type, s.name = ty, n
    t.template = render(t.pieces, names)
    t.id = template_id(t.template)
    for i in t.instances:
        i.slot_values = {renamed.get(k, k): v for k, v in i.slot_values.items()}


def is_frame(t: Template, text: str, generic_share: float = 0.3) -> bool:
    """Whether a frame is a frame rather than a collocation (see :func:`_is_frame`); an inner slot
    holding a choice among a few short words (:func:`is_choice`: 表示{诚挚的|衷心的}感谢) is tried
    as fixed wording too (its most common word). A comparison of two quantities is a frame however
    short its wording (:func:`_comparison`), and so is a construction of the genre
    (:func:`_cohesive_construction`)."""
    if _comparison(t) or _cohesive_construction(t, text):
        return True
    return _is_frame(t, text, generic_share) or (_choice_clause(t) and _is_frame(t, text, generic_share, choices=True))


def _comparison(t: Template) -> bool:
    """Whether ``t`` states a quantity against a base (``{TEXT}比{YEAR}增长{PERCENT}``): a free
    subject, then a predicate (:func:`~gkcorpus.templates.frame_slots.is_predicate`) around two
    number slots or more, ending with the last one (and a bound such as 左右)."""
    from .frame_slots import is_predicate

    types = [s.type for s in t.slots]
    if len(types) < 3 or types[0] != "TEXT" or t.pieces[0] or any(ty not in CLOSED_TYPES for ty in types[1:]):
        return False
    return is_predicate("".join(t.pieces[1:-1])) and _han(t.pieces[-1]) <= 2


def edge_cohesion(together: int, opening: int, ending: int) -> float:
    """How much a clause opening and a clause ending belong together: the clauses that have both
    over the clauses that have the rarer of the two (以…为指导: most clauses ending in 为指导 open
    with 以; 加强…建设: few clauses ending in 建设 open with 加强, few opening with 加强 end in 建设)."""
    return together / max(1, min(opening, ending))


def _cohesive_construction(t: Template, text: str, cohesion: float = 0.5) -> bool:
    """A frame fixed at both edges of one clause, ``opening{TEXT}ending`` with four fixed Han
    characters or more, whose opening and ending are cohesive in ``text`` (:func:`edge_cohesion`
    over their occurrences anywhere) and whose slot holds phrases of many kinds (以{邓小平理论}为指导): a
    construction of the genre, however short its fixed text."""
    pieces = t.pieces
    if len(t.slots) != 1 or not pieces[0] or not pieces[1] or t.slots[0].type in CLOSED_TYPES:
        return False
    h, tl = pieces
    if _han(h + tl) < 4 or re.search("[，；：]", h + tl):
        return False
    vals = [i.slot_values.get(t.slots[0].name, "") for i in t.instances]
    lengths = sorted(len(v) for v in vals)
    if len(set(vals)) < 3 or lengths[len(lengths) // 2] < 2:
        return False
    return edge_cohesion(len(t.instances), text.count(h), text.count(tl)) >= cohesion


def _choice_clause(t: Template) -> bool:
    """Whether a choice slot (:func:`is_choice`) lies inside fixed wording that makes a whole clause
    at the frame's end: the fixed text from the slot before it to the end is a clause of its own (it
    starts after clause punctuation, or that slot is empty) in at least half of the instances. Inside
    a clause, a modifier between a verb and its object (取得{重大|新}进展) stays a collocation."""
    pieces, slots = t.pieces, t.slots
    k = len(slots) - 1
    while k >= 0 and pieces[k + 1] and slot_choice(t, slots[k].name):
        k -= 1
    if k == len(slots) - 1 or not pieces[-1]:
        return False  # no choice slot in the final fixed stretch
    if k < 0 or re.match("[，；：]", pieces[k + 1]):
        return True
    empty = sum(1 for i in t.instances if not i.slot_values.get(slots[k].name))
    return 2 * empty >= len(t.instances)


def _is_frame(t: Template, text: str, generic_share: float = 0.3, choices: bool = False) -> bool:
    """Whether a frame is a frame rather than a collocation (the phrase bank's business).

    An inner slot that mostly holds nothing or a particle (的, 和) is an optional word: the fixed
    text around it counts as one segment (``{TEXT}社会主义{TEXT_2}民主{TEXT_3}法制建设`` is one term).
    Fixed segments of one to three Han characters that the frame explains in fewer than
    ``generic_share`` of their occurrences in ``text`` are generic glue (加强, 建设, 以, 进一步), not
    content; glue opening the clause anchors a verb predicate of five or more (我们{TEXT}清醒地看到).
    A frame without optional words whose slots are mostly empty is a fixed string in context.
    A frame then needs two units (content segments, anchoring glue, number slots) with four content
    Han characters (two beside a number; under eight, the slots between them hold phrases or a few
    alternatives, not modifiers of many kinds), or one segment at a clause edge of eight Han characters
    (six when it is a whole fixed clause before or after a free one: 我代表国务院，{TEXT}) holding a
    verb or beside free text of four characters or more (a noun phrase ending a clause after a
    verb, 建立{…}社会主义市场经济体制, is a term). A segment
    with free text on both sides is a phrase in context, not a frame, unless it is a clause-opening
    action followed by a second verb phrase of four characters or more, its purpose
    (召开专题会议{研究活动方案}), or a
    clause-closing verb predicate of eight characters (…活动给予了充分的重视)."""
    n = max(1, len(t.instances))
    raw = t.pieces
    slots = list(t.slots)
    pieces, kept, optional = [raw[0]], [], False
    for k, sl in enumerate(slots):
        vals = sorted(len(i.slot_values.get(sl.name, "")) for i in t.instances)
        inner = raw[k] != "" and raw[k + 1] != ""
        words = [w for w in (i.slot_values.get(sl.name, "") for i in t.instances) if w]
        choice = choices and sl.type not in CLOSED_TYPES and slot_choice(t, sl.name)
        if inner and vals and (vals[len(vals) // 2] <= 1 or choice) and sl.type not in CLOSED_TYPES:
            common = max(sorted(set(words)), key=words.count) if 2 * len(words) > n or choice else ""
            pieces[-1] += common + raw[k + 1]  # an optional word (its usual form), not a slot
            optional = True
        else:
            kept.append(sl)
            pieces.append(raw[k + 1])
    content, anchors = [], 0
    for k, p in enumerate(pieces):
        h = _han(p)
        if not h:
            continue
        if h <= 3 and n < generic_share * max(1, text.count(p.strip("，；：、"))):
            anchors += k == 0
            continue
        content.append(p)
    closed = _n_closed(t)
    han = sum(_han(p) for p in content)
    anchors = anchors if any(_han(p) >= 5 and any(f == "v" for _, f in _word_tags(p)) for p in content) else 0
    filled = [sum(1 for i in t.instances if i.slot_values.get(sl.name)) for sl in kept]
    if kept and not closed and not optional and all(f < 0.25 * n for f in filled):
        return False  # slots mostly empty: a fixed string with optional words
    if len(content) + closed + anchors >= 2:
        if han < 8 and not closed and not _inner_slots_hold_phrases(t, kept):
            return False  # a verb and a noun around a modifier (严厉打击{各种}犯罪活动): a collocation
        return han >= 4 or (closed >= 1 and han >= 2)
    if not content or not kept:
        return False
    floating = pieces[0] == "" and pieces[-1] == "" and not closed
    tags = _word_tags(content[0])
    if not tags:
        return False
    if not floating:  # a predicate at a clause edge, or a subject before a clause; a term after a verb is not
        whole_clause = bool(re.search(r"^[，；：]|[，；：]$", content[0]))
        free = sorted(len(v) for sl in kept for v in (i.slot_values.get(sl.name, "") for i in t.instances) if v)
        long_free = bool(free) and free[len(free) // 2] >= 4
        return (han >= 8 or (whole_clause and han >= 6)) and (long_free or any(f == "v" for _, f in tags))
    first, last = kept[0].name, kept[-1].name
    opens = sum(1 for i in t.instances if not i.slot_values.get(first))
    ends = sum(1 for i in t.instances if not i.slot_values.get(last))
    purpose = sum(1 for i in t.instances if len(i.slot_values.get(last, "")) >= 4
                  and _word_tags(i.slot_values[last])[:1] and _word_tags(i.slot_values[last])[0][1] in ("v", "vn"))
    if opens >= 0.5 * n and purpose >= 0.5 * n and han >= 6 and tags[0][1] == "v":
        return True  # an action opening its clause, then its purpose
    return (ends >= 0.5 * n and han >= 8 and tags[-1][1] == "v" and tags[0][1] != "v"
            and any(f == "v" for _, f in tags[:-1]))


def _inner_slots_hold_phrases(t: Template, slots: Sequence[Slot]) -> bool:
    """Whether the slots between fixed segments hold phrases (median value of three characters or
    more: 高举{邓小平理论}伟大旗帜) or alternate between a few words (为{核心|总书记}), rather than
    a modifier word of many kinds (严厉打击{各种|刑事|…}犯罪活动)."""
    pieces = t.pieces
    for k, sl in enumerate(t.slots):
        if sl not in slots or not pieces[k] or not pieces[k + 1]:
            continue
        vals = [i.slot_values.get(sl.name, "") for i in t.instances]
        lengths = sorted(len(v) for v in vals)
        if lengths[len(lengths) // 2] < 3 and len(set(vals)) > 3:
            return False
    return True


def _word_tags(text: str) -> tuple[tuple[str, str], ...]:
    from .frame_slots import _tags

    return _tags(re.sub(r"[^\u4e00-\u9fff]", "", text))


def _absorb(frames: list[Frame], share: float = 0.8) -> list[Frame]:
    """Frames without those whose matches (``share`` of them) lie inside the matches of a frame with
    at least their support, half their fixed Han characters and their number slots: variants of a
    merged frame, and the shorter of near-duplicate multi-clause frames of the same support. So are
    frames whose matches (``share``) overlap those of such a frame whose fixed pieces all recur, in
    order, in their own fixed text (:func:`_holds_wording`): the same frame with an optional word or
    clause of its own (``{TEXT}，表示诚挚{TEXT_2}感谢`` in ``{TEXT}表示{TEXT_2}感谢``; the opening with
    and without 请予审议). A construction (:func:`~gkcorpus.templates.frame_model.is_construction`)
    absorbs constructions only: 我们{TEXT}地看到 stands beside 我们{TEXT}清醒地看到{TEXT_2}, it does
    not replace it."""
    order = sorted(frames, key=lambda t: (-t.support, -_fixed_han(t), -len(t.instances), t.template))
    spans: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    kept: list[Frame] = []
    for t in order:
        inside: dict[int, int] = defaultdict(int)
        overlap: dict[int, int] = defaultdict(int)
        for i in t.instances:
            near = spans.get((i.doc_id, i.unit_id), ())
            for k in {k for a, b, k in near if a <= i.start and b >= i.end}:
                inside[k] += 1
            for k in {k for a, b, k in near if a < i.end and b > i.start}:
                overlap[k] += 1
        n, h = len(t.instances), _fixed_han(t)

        def absorbs(k: int) -> bool:
            return (2 * _fixed_han(kept[k]) >= h and holds_numbers(_types(kept[k]), _types(t))
                    and is_construction(kept[k]) <= is_construction(t))

        if any(v >= share * n and absorbs(k) for k, v in inside.items()) or any(
                v >= share * n and _holds_wording(t, kept[k]) and absorbs(k) for k, v in overlap.items()):
            continue
        for i in t.instances:
            spans[(i.doc_id, i.unit_id)].append((i.start, i.end, len(kept)))
        kept.append(t)
    return kept


def _holds_wording(t: Frame, other: Frame) -> bool:
    """Whether every fixed piece of ``other`` occurs in ``t``'s fixed text, in order and each inside
    one piece of ``t``: ``t`` is ``other``'s wording with words or clauses added."""
    k, at = 0, 0
    for piece in (p for p in other.pieces if p):
        while k < len(t.pieces):
            found = t.pieces[k].find(piece, at)
            if found >= 0:
                at = found + len(piece)
                break
            k, at = k + 1, 0
        else:
            return False
    return True


def repeats_last(frames: Sequence[Template], share: float = 0.8, part: float = 0.25) -> list[Template]:
    """``frames`` (in library order) with each repeat moved to the end of its tier (:func:`~gkcorpus.templates.frame_model.rank_tier`):
    a frame whose matches (``share`` of them) overlap the matches of a frame listed before it that holds
    its figure slots (the same sentences read again: a longer wording of an earlier frame, or
    ``总额{TEXT}{MONEY}万亿美元`` after ``进出口{TEXT}{MONEY}万亿美元``), or a frame with figure slots whose matches
    hold ``share`` of such a frame's matches, these being at least ``part`` of its own (the same figures read
    again by a general wording: ``住房{TEXT}{NUM}万套`` after ``{TEXT}棚户区{TEXT_2}改造{TEXT_3}{NUM}万套``;
    ``{TEXT}专项债券{MONEY}`` after ``今年拟安排地方政府专项债券{MONEY}万亿元``;
    a general wording without figures, ``现将{TEXT}总结如下`` after ``现将{TEXT}情况总结如下``, is the formula itself
    and keeps its place). An amount is a number here
    (``中央预算内投资安排{NUM}亿元`` repeats ``{TEXT}中央预算内投资安排{MONEY}``). The top of the library then shows
    each passage once; a frame with a figure slot the earlier one lacks is no repeat."""
    spans: dict[tuple[str, str], list[tuple[int, int, int, int]]] = defaultdict(list)
    firsts: list[Template] = []
    repeats: list[Template] = []
    for t in frames:
        hits: Counter[int] = Counter()
        held: dict[int, set[int]] = defaultdict(set)  # the earlier frame's matches this one overlaps
        for i in t.instances:
            over = [(k, x) for a, b, k, x in spans.get((i.doc_id, i.unit_id), ()) if a < i.end and b > i.start]
            hits.update({k for k, _ in over})
            for k, x in over:
                held[k].add(x)
        types = _figures(t)
        n = len(t.instances)
        figures = any(ty in ("NUM", "PERCENT") for ty in types)  # a quantity (an amount reads as NUM here)
        if any((v >= share * n or (figures and len(held[k]) >= share * len(firsts[k].instances) and v >= part * n))
               and holds_numbers(_figures(firsts[k]), types) for k, v in hits.items()):
            repeats.append(t)
            continue
        for x, i in enumerate(t.instances):
            spans[(i.doc_id, i.unit_id)].append((i.start, i.end, len(firsts), x))
        firsts.append(t)
    tiers = [rank_tier(t) for t in firsts]
    rep_tiers = [rank_tier(t) for t in repeats]
    out: list[Template] = []
    for tier in sorted(set(tiers) | set(rep_tiers)):
        out += [t for t, r in zip(firsts, tiers) if r == tier] + [t for t, r in zip(repeats, rep_tiers) if r == tier]
    return out


def _figures(t: Template) -> list[str]:
    """The slot types of ``t`` with an amount read as a number (MONEY as NUM): the same figure, with
    its unit in the slot or in the fixed text."""
    return ["NUM" if s.type == "MONEY" else s.type for s in t.slots]


def copied_passage(t: Template, shared: Mapping[str, Any], share: float = 0.8) -> bool:
    """Whether ``t`` has no slot of content and ``share`` of its matches lie (``share`` of their
    characters) inside passages other documents share (``shared``: each document's merged spans,
    two arrays of starts and ends, as the reuse miner finds them): a sentence copied from report to
    report whose slots hold the edits between the copies (我们{TEXT}“一国两制”…高度自治{TEXT_2}方针,
    restated 2004–2017). It is the reuse miner's and the phrase bank's, not a frame. The slot of a
    construction (:func:`~gkcorpus.templates.frame_model.is_construction`: 以{TEXT}为指导 holds the
    guiding doctrine, copied for as long as it stays the same) is content, and so is a figure or a
    name in a slot however much of the sentence is copied -- unless it is the same in every match (a
    target restated unchanged: 化学需氧量、氨氮排放量要分别下降2%), or the frame is found in two documents
    only and its fixed wording runs over more than one clause: that is one sentence copied once, its
    figure the edit (安排地方专项债券{MONEY}亿元，继续发行地方政府置换债券). A one-clause measure found in two
    documents (居民消费价格总水平涨幅控制在{PERCENT}) keeps its figure as content."""
    import numpy as np

    if not t.instances or is_construction(t):
        return False
    one_copy = len({i.doc_id for i in t.instances}) <= 2 and any(ch in _CLAUSE_PUNCT for ch in "".join(t.pieces))
    if not one_copy and any(s.type != "TEXT" and _varies(t, s.name) for s in t.slots):
        return False
    inside = 0
    for i in t.instances:
        spans = shared.get(i.doc_id)
        if spans is None or i.end <= i.start:
            continue
        starts, ends = spans
        lo = int(np.searchsorted(ends, i.start, side="right"))
        hi = int(np.searchsorted(starts, i.end, side="left"))
        covered = sum(min(int(ends[k]), i.end) - max(int(starts[k]), i.start) for k in range(lo, hi))
        inside += covered >= share * (i.end - i.start)
    return inside >= share * len(t.instances)


def edited_copy(t: Template, min_fixed: int = 12) -> bool:
    """Whether ``t`` is one sentence found in two documents only, with a few words edited: free slots only,
    at least ``min_fixed`` fixed Han characters (the miner passes twice what a frame needs: a copy is
    long), and in every match at least twice the Han characters of its inner slots (the slots between
    fixed pieces; one leading or ending the frame holds context). The edits (促进/推动, 加快崛起/高质量发展
    in ``推动西部大开发形成新格局，…，{TEXT}中部地区{TEXT_2}，鼓励东部地区加快推进现代化``) break the shared passage
    into pieces too short for the reuse miner, so the copy is told from the frame itself. Two documents
    are one copy, not a pattern; a frame found in more is left to the shared passages
    (:func:`copied_passage`)."""
    if len({i.doc_id for i in t.instances}) != 2 or any(s.type != "TEXT" for s in t.slots) or is_construction(t):
        return False
    pieces = t.pieces
    inner = [s.name for k, s in enumerate(t.slots) if pieces[k] and pieces[k + 1]]
    fixed = _han("".join(pieces))
    if not inner or fixed < min_fixed:
        return False
    return all(2 * sum(_han(i.slot_values.get(n, "")) for n in inner) <= fixed for i in t.instances)


def _varies(t: Template, name: str) -> bool:
    """Whether slot ``name`` holds more than one value (width folded: 2% and 2％ are one) over ``t``'s matches."""
    import unicodedata

    return len({unicodedata.normalize("NFKC", i.slot_values.get(name, "")) for i in t.instances}) > 1

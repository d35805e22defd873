"""Relaxing a mined frame where its wording varies: an optional or alternating short word.

A frame mined from the clauses that share its exact wording misses the documents that write one
word differently (我们也清醒地看到 / 我们也清醒看到; 为…而奋斗 / 为…而共同奋斗). For each frame and
each run of Han characters in its fixed text, two relaxations are tried at word boundaries (by
the segmenter): a particle or adverb of one or two characters inside the run may be left out or
replaced by another of up to three characters (a substitution), and one of up to two characters may
be inserted between two words of the run (an insertion): the optional words of the genre (的, 地,
了, 更加, 共同), not its content words. The variant with the new slot is kept when the corpus, counted in its
suffix array, holds a varied wording (not the frame's own) in :data:`MIN_GAIN` documents;
the caller then matches it and keeps it when it matches clearly more documents than the frame and
its new slot holds (nearly) only particles or adverbs, found in two documents or more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .frame_slots import holds_modifiers, is_modifier

__all__ = ["Relaxation", "recurrent_view", "relax_frames", "relaxations", "relaxed_pieces"]

MOST_ONCE = 0.2  # share of a relaxed slot's values that may be words found once
MIN_GAIN = 2  # documents the relaxed wording must add before the frame is matched
_RUN = re.compile("[\u4e00-\u9fff]{3,}")
_HAN = re.compile("[\u4e00-\u9fff]*")


@dataclass
class Relaxation:
    """Fixed piece ``piece`` of a frame, its run at ``start:end`` split as ``left{slot}right``."""

    piece: int
    start: int
    end: int
    left: str
    right: str
    docs: int


def _positions(find: Callable[[str], np.ndarray], cache: dict, text: str) -> np.ndarray:
    if text not in cache:
        cache[text] = find(text)
    return cache[text]


def _docs_with_gap(full: str, doc_of: Callable[[np.ndarray], np.ndarray], left: np.ndarray, right: np.ndarray,
                   n_left: int, max_gap: int, exact: str) -> set[int]:
    """Documents where ``right`` follows ``left`` (positions) directly or after a modifier
    (:func:`is_modifier`) of at most ``max_gap`` Han characters other than ``exact`` (the frame's own
    wording): where the frame's wording varies."""
    out: set[int] = set()
    for g in range(max_gap + 1):
        if g == len(exact) == 0:
            continue
        ends = left + n_left + g
        at = np.minimum(np.searchsorted(right, ends), max(0, len(right) - 1))
        hit = ends[right[at] == ends] if len(right) else ends[:0]
        if g:
            hit = np.array([p for p in hit.tolist() if full[p - g:p] != exact and _HAN.fullmatch(full[p - g:p])
                            and is_modifier(full[p - g:p])], dtype=np.int64)
        if len(hit):
            out.update(doc_of(hit).tolist())
    return out


def relaxations(pieces: Sequence[str], find: Callable[[str], np.ndarray], doc_of: Callable[[np.ndarray], np.ndarray],
                full: str, cut: Callable[[str], list[str]], min_docs: int, cache: dict) -> list[Relaxation]:
    """The relaxations of a frame's fixed ``pieces`` whose varied wording is found in :data:`MIN_GAIN`
    documents (``find``: sorted positions of a text in ``full``; ``doc_of``: their
    documents), best first: a modifier (:func:`is_modifier`) inside a run left out or replaced by
    another, or one inserted between two words. ``cache`` keeps positions between calls."""
    out: list[Relaxation] = []
    for j, piece in enumerate(pieces):
        for mr in _RUN.finditer(piece):
            run = mr.group()
            exact = _positions(find, cache, run)
            base = set(doc_of(exact).tolist()) if len(exact) else set()
            if len(base) < min_docs:
                continue
            bounds, pos = [0], 0
            for w in cut(run):
                pos += len(w)
                bounds.append(pos)
            options = [(a, b, 3) for a, b in zip(bounds, bounds[1:])
                       if 0 < a and b < len(run) and b - a <= 2 and is_modifier(run[a:b])]
            options += [(b, b, 2) for b in bounds[1:-1]]
            for a, b, gap in options:
                left, right = run[:a], run[b:]
                docs = _docs_with_gap(full, doc_of, _positions(find, cache, left), _positions(find, cache, right),
                                      len(left), gap, run[a:b])
                if len(docs) >= MIN_GAIN:
                    out.append(Relaxation(j, mr.start(), mr.end(), left, right, len(docs | base)))
    out.sort(key=lambda r: (-r.docs, r.piece, r.start, len(r.left)))
    return out


def recurrent_view(frame: Any, name: str, most_once: float = MOST_ONCE) -> Any:
    """The frame judged on its recurrent wording: a shallow copy without the instances whose value of
    slot ``name`` is a word found in one document only (为…而团结奋斗 once beside 为…而共同奋斗 in
    eight), or None when such one-off words are more than ``most_once`` of the filled values (a slot
    of many kinds of words, not a choice of wording)."""
    import copy

    docs: dict[str, set[str]] = {}
    for i in frame.instances:
        v = i.slot_values.get(name, "")
        if v:
            docs.setdefault(v, set()).add(i.doc_id)
    kept = [i for i in frame.instances if len(docs.get(i.slot_values.get(name, ""), ())) != 1]
    once = len(frame.instances) - len(kept)
    if once > most_once * sum(1 for i in frame.instances if i.slot_values.get(name, "")):
        return None
    view = copy.copy(frame)
    view.instances = kept
    return view


def relaxed_pieces(pieces: Sequence[str], r: Relaxation) -> tuple[list[str], int]:
    """The frame's fixed pieces with the relaxation's slot, and that slot's index."""
    p = pieces[r.piece]
    head, tail = p[: r.start] + r.left, r.right + p[r.end:]
    return [*pieces[: r.piece], head, tail, *pieces[r.piece + 1:]], r.piece


def relax_frames(frames: list, ix: Any, cut: Callable[[str], list[str]], match: Callable[[list], list],
                 min_docs: int, text: str) -> list:
    """Each frame, or its best relaxation (a particle or adverb made optional or a choice, 我们{TEXT}
    清醒{地}看到{TEXT_2}), the best of :func:`relaxations` (``ix``: the corpus's
    :class:`~gkcorpus.kernels.suffix.TextIndex`), when it matches (``match``: ``(index, frame)`` of
    the frames matched in ``min_docs`` documents) clearly more documents (:data:`MIN_GAIN`, and a
    tenth more), its new slot holds (nearly) only particles or adverbs found in two documents or more
    (:func:`~gkcorpus.templates.frame_filters.slot_choice`), judged without the words found once
    when those are at most :data:`MOST_ONCE` of its values (:func:`recurrent_view`), and it is still a frame or a
    construction of the genre (``text``: the corpus, for :func:`~gkcorpus.templates.frame_filters.is_frame`)."""
    from .frame_filters import is_frame, slot_choice
    from .frame_model import Frame, is_construction
    from .frame_slots import typed_names
    from .model import Slot, render, template_id

    cache: dict = {}
    tried: list[tuple[int, int, Any]] = []
    for k, t in enumerate(frames):
        for r in relaxations(t.pieces, ix.find_text, ix.doc_of, ix.string, cut, min_docs, cache)[:1]:
            pieces, at = relaxed_pieces(t.pieces, r)
            types = [s.type for s in t.slots]
            types.insert(at, "TEXT")
            empty = [s.n_empty for s in t.slots]
            empty.insert(at, 1)
            names = typed_names(types)
            wording = render(pieces, names)
            f = Frame(template_id(wording), wording, [Slot(n, ty, [], e) for n, ty, e in zip(names, types, empty)], [],
                      True, True)
            f.floats = t.floats
            tried.append((k, at, f))
    best: dict[int, Any] = {}
    for j, f in match([f for _, _, f in tried]):
        k, at, _ = tried[j]
        t = frames[k]
        if (len(f.slots) != len(t.slots) + 1 or f.support < t.support + max(MIN_GAIN, -(-t.support // 10))
                or (k in best and f.support <= best[k].support)):
            continue
        name = f.slots[at].name
        v = recurrent_view(f, name)
        if (v is not None and slot_choice(v, name) and holds_modifiers([i.slot_values.get(name, "") for i in v.instances])
                and (is_frame(v, text) or is_construction(v))):
            best[k] = f
    return [best.get(k, t) for k, t in enumerate(frames)]

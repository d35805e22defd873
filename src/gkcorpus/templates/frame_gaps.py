"""Constructions whose opening floats inside a clause: ``以{TEXT}为指导`` in 坚持以…为指导,
``在{TEXT}领导下`` after a subject, ``为{TEXT}而奋斗`` after 团结起来.

A clause ending (two to four Han characters) predicts its opening when most clauses ending with it
hold the same short opening (one to three Han characters) somewhere before it, with text of many
kinds between the two. Such a pair is a construction of the genre even where the opening rarely
starts the clause, which the clause-edge constructions of :class:`FrameMiner` require.

The search is cheap by design: candidate openings come from the first :data:`SAMPLE` clauses of each
ending (an opening in half of the clauses is in at least :data:`SAMPLE_HITS` of them but for a
chance of about 1 in 7 at most), and are then counted over all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..kernels.suffix import text_rank_range

__all__ = ["FloatingConstruction", "PairedOpenings", "constructions", "floating_constructions", "headed_constructions",
           "paired_openings", "suffix_counter", "word_bounds"]

SAMPLE = 8  # clauses of an ending whose substrings are tried as openings
SAMPLE_HITS = 3  # of them an opening must occur in to be counted over all clauses
_HAN_TAIL = re.compile("[\u4e00-\u9fff]+$")
_HAN_START = re.compile("[\u4e00-\u9fff]{1,3}")
_HAN_END = re.compile("[\u4e00-\u9fff]{1,4}$")
_HAN_ALL = re.compile("[\u4e00-\u9fff]")
_DE_HEAD = re.compile("的[\u4e00-\u9fff]{1,3}$")
_FUNCTION_TAGS = ("p", "c")  # jieba.posseg: preposition, conjunction
_COPULA = "是"
_GLUE = "的和及与、地得了着"  # an opening never starts with a particle or a list mark


@dataclass
class FloatingConstruction:
    """``opening{TEXT}ending`` and its clause instances ``(doc, clause, start of the opening, middle)``."""

    opening: str
    ending: str
    rows: list[tuple[int, int, int, str]]

    @property
    def docs(self) -> int:
        return len({r[0] for r in self.rows})


def _openings(rows: Sequence[int], texts: Sequence[str], tail: int, words: Callable[[int], list[int]]) -> list[str]:
    """Words or runs of words of one to three Han characters (``words``: the word boundaries of a
    clause) found in :data:`SAMPLE_HITS` of the first :data:`SAMPLE` clauses of an ending of ``tail``
    characters, with text between them and the ending; none when the ending starts inside a word in
    most of those clauses (导下 of 领导下)."""
    sample = rows[:SAMPLE]
    if 2 * sum(len(texts[i]) - tail in words(i) for i in sample) < len(sample):
        return []
    seen: dict[str, int] = defaultdict(int)
    for i in sample:
        text = texts[i]
        end = len(text) - tail
        bounds = words(i)
        grams = set()
        for x, a in enumerate(bounds):
            for b in bounds[x + 1:]:
                if b - a > 3 or b >= end:
                    break
                g = text[a:b]
                if _HAN_TAIL.match(g) and g[0] not in _GLUE:
                    grams.add(g)
        for g in grams:
            seen[g] += 1
    return sorted(g for g, n in seen.items() if n >= SAMPLE_HITS)


def floating_constructions(texts: Sequence[str], docs: Sequence[int], min_docs: int,
                           words: Callable[[int], list[int]], count: Callable[[str], int],
                           share: float = 0.5) -> list[FloatingConstruction]:
    """Pairs of a clause ending and an opening before it (its first occurrence, text after it) held
    by ``share`` of the clauses ending that way, in ``min_docs`` documents, with middles of many
    kinds (three different at least, the median two characters or more), and cohesive: the pairs
    are ``share`` of the occurrences of the rarer of the two anywhere (``count``; 提高…水平 is a
    collocation, most uses of 提高 and of 水平 are apart). An ending is taken at its longest with
    the same clauses; of openings with the same clauses, the longest. ``words(i)`` are the word
    boundaries of clause ``i`` (:func:`word_bounds`): openings and endings begin between words."""
    ends: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(texts):
        mt = _HAN_END.search(t)
        for b in range(2, min(4, mt.end() - mt.start(), len(t) - 2) + 1) if mt else ():
            ends[t[-b:]].append(i)
    out: list[FloatingConstruction] = []
    for tail, rows in ends.items():
        if len(rows) < min_docs or len({docs[i] for i in rows}) < min_docs:
            continue
        if len(tail) < 4 and len(ends.get(texts[rows[0]][-len(tail) - 1:], ())) == len(rows):
            continue  # a longer ending has the same clauses
        found: dict[tuple[int, ...], tuple[str, list[tuple[int, int, int, str]]]] = {}
        need, n_tail = share * len(rows), len(tail)
        for h in _openings(rows, texts, n_tail, words):
            hits = []
            for x, i in enumerate(rows):
                if len(hits) + len(rows) - x < need:
                    break  # too few clauses left to hold it in ``share`` of them
                left = texts[i][: len(texts[i]) - n_tail]
                p = left.find(h)
                if p >= 0 and p + len(h) < len(left):
                    hits.append((docs[i], i, p, left[p + len(h):]))
            if len(hits) < need or len({r[0] for r in hits}) < min_docs:
                continue
            mids = sorted(len(r[3]) for r in hits)
            if len({r[3] for r in hits}) < 3 or mids[len(mids) // 2] < 2:
                continue
            key = tuple(r[1] for r in hits)
            if key not in found or len(found[key][0]) < len(h):
                found[key] = (h, hits)
        for h, hits in found.values():
            if len(hits) >= share * min(count(h), count(tail)):
                out.append(FloatingConstruction(h, tail, hits))
    out.sort(key=lambda c: (c.opening, c.ending))
    return out


def is_function_word(word: str) -> bool:
    """Whether ``word`` is one preposition or conjunction (jieba.posseg ``p``, ``c``: 在, 经过, 根据,
    对, 把) or the copula 是: grammar, not content."""
    from .frame_slots import _tags

    if word == _COPULA:
        return True
    tags = _tags(word)
    return len(tags) == 1 and tags[0][1] in _FUNCTION_TAGS


def headed_constructions(texts: Sequence[str], docs: Sequence[int], min_docs: int,
                         words: Callable[[int], list[int]], share: float = 0.5) -> list[FloatingConstruction]:
    """Constructions of a function word (:func:`is_function_word`) and a clause ending that is the head
    of a 的-phrase (的 and one to three Han characters): ``是{TEXT}的一年``, ``在{TEXT}的情况下``. The
    function word governs the 的-phrase, so the two belong together when ``share`` of the clauses
    ending with the head hold the function word before it (in ``min_docs`` documents, with middles of
    many kinds, as in :func:`floating_constructions`); the ending's uses inside clauses (新的一年里)
    are other words and are not counted against it, as :func:`floating_constructions` does for an
    opening and an ending of any kind (提高…水平 stays a collocation there: 提高 is a verb)."""
    ends: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(texts):
        mt = _DE_HEAD.search(t)
        if mt and mt.start() > 1:
            for b in range(2, len(mt.group()) + 1):
                if t[-b] == "的":
                    ends[t[-b:]].append(i)
    out: list[FloatingConstruction] = []
    for tail, rows in ends.items():
        if len(rows) < min_docs or len({docs[i] for i in rows}) < min_docs:
            continue
        n_tail = len(tail)
        for h in _openings(rows, texts, n_tail, words):
            if not is_function_word(h):
                continue
            hits = []
            for i in rows:
                left = texts[i][: len(texts[i]) - n_tail]
                p = left.find(h)
                if p >= 0 and p + len(h) < len(left):
                    hits.append((docs[i], i, p, left[p + len(h):]))
            if len(hits) < share * len(rows) or len({r[0] for r in hits}) < min_docs or len({r[3] for r in hits}) < 3:
                continue
            mids = sorted(len(r[3]) for r in hits)
            if mids[len(mids) // 2] >= 2:
                out.append(FloatingConstruction(h, tail, hits))
    out.sort(key=lambda c: (c.opening, c.ending))
    return out


def suffix_counter(string: str, sa: Any) -> Callable[[str], int]:
    """Occurrences of a text in ``string`` by binary search in its suffix array ``sa`` (cached)."""
    cache: dict[str, int] = {}

    def count(text: str) -> int:
        if text not in cache:
            first, end = text_rank_range(string, sa, text)
            cache[text] = end - first
        return cache[text]

    return count


@dataclass
class PairedOpenings:
    """``first{TEXT}，second{TEXT_2}``: an opening inside a clause and the opening of the next clause
    of the sentence, with their clause instances ``(doc, first clause, start of the first opening,
    rest of the first clause, rest of the second)``."""

    first: str
    second: str
    rows: list[tuple[int, int, int, str, str]]

    @property
    def docs(self) -> int:
        return len({r[0] for r in self.rows})


def _heads(text: str) -> list[str]:
    """The openings of one to three Han characters of a clause that leave text after them."""
    mh = _HAN_START.match(text)
    return [text[:k] for k in range(1, min(3, mh.end(), len(text) - 1) + 1)] if mh else []


def paired_openings(texts: Sequence[str], units: Sequence[int], docs: Sequence[int], min_docs: int,
                    words: Callable[[int], list[int]], count: Callable[[str], int],
                    share: float = 0.5) -> list[PairedOpenings]:
    """Correlative constructions across two clauses of a sentence (既要…，又要…): a clause opening
    (one to three Han characters) and a word (one to three Han characters) in the clause before it
    (anywhere but at its end: 我们既要…) that belong together both ways: the pairs are ``share`` of
    the uses of each (the word counted anywhere, ``count``). Candidates come from the first
    :data:`SAMPLE` uses, as in :func:`floating_constructions`. In ``min_docs`` documents, with many
    kinds of text in both clauses; both openings taken at their longest with the same clause pairs
    and beginning between words (``words``, as for :func:`floating_constructions`)."""
    uses: dict[str, int] = defaultdict(int)
    after: dict[str, list[int]] = defaultdict(list)  # second opening -> first clauses of the pairs
    for i, t in enumerate(texts):
        hs = _heads(t)
        for h in hs:
            uses[h] += 1
        if i and units[i - 1] == units[i]:
            for h in hs:
                after[h].append(i - 1)
    out: list[PairedOpenings] = []
    for second, firsts in after.items():
        if uses[second] < min_docs or len(firsts) < share * uses[second] or len({docs[i] for i in firsts}) < min_docs:
            continue
        sample = firsts[:SAMPLE]
        if 2 * sum(len(second) in words(i + 1) for i in sample) < len(sample):
            continue  # the second opening mostly ends inside a word (并请全 of 并请全国政协)
        seen: dict[str, int] = defaultdict(int)
        for i in firsts[:SAMPLE]:
            for g in _words(texts[i], words(i)):
                seen[g] += 1
        found: dict[tuple[int, ...], PairedOpenings] = {}
        for first in sorted(h for h, n in seen.items() if n >= SAMPLE_HITS):
            rows = []
            for i in firsts:
                p = texts[i].find(first)
                if p >= 0 and p + len(first) < len(texts[i]):
                    rows.append((docs[i], i, p, texts[i][p + len(first):], texts[i + 1][len(second):]))
            if len(rows) < share * max(count(first), uses[second]) or len({r[0] for r in rows}) < min_docs:
                continue
            if len({r[3] for r in rows}) < 3 or len({r[4] for r in rows}) < 3:
                continue
            key = tuple(r[1] for r in rows)
            if key not in found or len(found[key].first) < len(first):
                found[key] = PairedOpenings(first, second, rows)
        out.extend(found.values())
    best: dict[tuple[int, ...], PairedOpenings] = {}
    for p in out:  # the longest second opening with the same clause pairs
        key = tuple(r[1] for r in p.rows)
        if key not in best or len(best[key].second) < len(p.second):
            best[key] = p
    return sorted(best.values(), key=lambda p: (p.first, p.second))


def _words(text: str, bounds: Sequence[int]) -> set[str]:
    """Words or runs of words (``bounds``: the word boundaries) of one to three Han characters in
    ``text``, not at its end, not starting with a particle."""
    out = set()
    for x, a in enumerate(bounds):
        for b in bounds[x + 1:]:
            if b - a > 3 or b >= len(text):
                break
            g = text[a:b]
            if _HAN_TAIL.match(g) and g[0] not in _GLUE:
                out.add(g)
    return out


def word_bounds(texts: Sequence[str], cut: Callable[[str], list[str]]) -> Callable[[int], list[int]]:
    """``words(i)``: the word boundaries of ``texts[i]`` by ``cut`` (0, each word's end), segmented
    once and cached."""
    cache: dict[int, list[int]] = {}

    def words(i: int) -> list[int]:
        if i not in cache:
            pos, bounds = 0, [0]
            for w in cut(texts[i]):
                pos += len(w)
                bounds.append(pos)
            cache[i] = bounds
        return cache[i]

    return words


def constructions(texts: Sequence[str], units: Sequence[int], docs: Sequence[int], min_docs: int,
                  words: Callable[[int], list[int]], count: Callable[[str], int], pairs: bool = True
                  ) -> list[tuple[list[str], list[str], list[tuple[int, int, int, tuple[str, ...]]], tuple[int, ...] | None]]:
    """Frame candidates ``(pieces, slot types, clause instances, opening starts or None)`` of the
    floating constructions with four fixed Han characters or more (``opening{TEXT}ending``) and,
    with ``pairs``, of the correlative ones (``first{TEXT}，second{TEXT_2}``; starts None when the
    first opening always starts its clause). Instances are ``(doc, first clause, clauses, values)``."""
    out: list[tuple[list[str], list[str], list[tuple[int, int, int, tuple[str, ...]]], tuple[int, ...] | None]] = []
    for fc in floating_constructions(texts, docs, min_docs, words, count):
        if len(_HAN_ALL.findall(fc.opening + fc.ending)) >= 4:
            out.append(([fc.opening, fc.ending], ["TEXT"], [(d, i, 1, (mid,)) for d, i, _, mid in fc.rows],
                        tuple(r[2] for r in fc.rows)))
    if pairs:
        for p in paired_openings(texts, units, docs, min_docs, words, count):
            starts = tuple(r[2] for r in p.rows)
            out.append(([p.first, "，" + p.second, ""], ["TEXT", "TEXT"],
                        [(d, i, 2, (rest1, rest2)) for d, i, _, rest1, rest2 in p.rows], starts if any(starts) else None))
    return out

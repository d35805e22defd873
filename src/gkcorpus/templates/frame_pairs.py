"""Frames of a function word and the word it governs later in the clause: ``经过{TEXT}努力``,
``根据{TEXT}情况``, ``按照{TEXT}原则``, matched anywhere inside a clause.

A preposition or a conjunction takes objects of many kinds, so no single word after it reaches a
large share of its uses; yet the word it meets most often later in its clause, when that word is
much likelier there than in a clause at large, is its set frame (the phrase bank's gapped patterns
of a preposition and its commonest partner, :mod:`~gkcorpus.boilerplate.phrases.formula_gapped`).
Both anchors are words of the segmentation (two Han characters or more); the partner is taken
within :data:`MAX_GAP` words of the lead. A function word opening a gapped pair is what the phrase
bank's kinds call a ``formula`` (``decide_gapped_kind``; a verb opening it makes a collocation, 发挥…作用,
left to the bank); a conjunction's partner is a conjunction too (无论…还是: a correlative pair). Beside
its commonest partner, a preposition frames any attracted word that heads its object, a 的-phrase,
in half of the pairs (根据{TEXT}决定 with 国务院的, 人大常委会的: the rule of the clause-final
constructions of :func:`~gkcorpus.templates.frame_gaps.headed_constructions`, inside the clause).
The fillers must vary (three different at least, none in half of the pairs).

Neither anchor need start or end a clause (经过…努力 in 我国经过几十年的努力建立起来的…), so the frames are
:class:`~gkcorpus.templates.frame_inner.InnerFrame` records; the caller matches them over the
corpus and keeps those in ``min_docs`` documents, as for every frame.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Callable, Sequence

from .frame_inner import InnerFrame
from .model import Slot, render, template_id

__all__ = ["MAX_GAP", "ATTRACTION", "pair_frames"]

MAX_GAP = 10  # words between the lead and its partner (the phrase bank's ``max_gap``)
ATTRACTION = 4.0  # how much likelier the partner is after the lead than in any clause (the bank's ``min_attraction``)
_LEAD_TAGS = ("p", "c")  # jieba.posseg: preposition, conjunction
_HAN_WORD = re.compile("[\u4e00-\u9fff]{2,}")
_QUANTITY_TAGS = ("m", "q")  # a numeral or measure word after 的 opens the head, it is not one (关于…的一系列政策)
_PARTICLES = frozenset("的 地 得 了 着 过 和 与 及 或 等".split())


def _tag_table() -> dict[str, str]:
    """jieba's dictionary: word -> part-of-speech tag."""
    from ..text.postags import posseg

    return posseg().dt.word_tag_tab


@lru_cache(maxsize=4)
def _leads(table_size: int) -> tuple[frozenset[str], re.Pattern]:
    """The dictionary's prepositions and conjunctions of two Han characters or more, and a pattern
    finding them (made once per dictionary; ``table_size`` tells a changed dictionary apart)."""
    tags = _tag_table()
    leads = frozenset(w for w, t in tags.items() if t in _LEAD_TAGS and _HAN_WORD.fullmatch(w))
    return leads, re.compile(_trie_pattern(set(leads)))


def _trie_pattern(words: set[str]) -> str:
    """A regular expression matching any of ``words``, as a trie of their characters: searched
    four times faster than an alternation of the words."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in node else "")

    return emit(root)


def pair_frames(texts: Sequence[str], docs: Sequence[int], min_docs: int, words: Callable[[int], list[int]],
                count: Callable[[str], int]) -> list[InnerFrame]:
    """``lead{TEXT}partner`` frames (see the module docstring) from clause ``texts``, their ``docs``
    and word boundaries (``words(i)``), unmatched: the caller matches them. ``count``: occurrences of
    a text in the clauses (the partner's frequency at large)."""
    tags = _tag_table()
    leads, finder = _leads(len(tags))  # the clauses holding one are segmented
    if not texts or not leads:
        return []
    uses: dict[str, int] = defaultdict(int)  # clauses where the lead is a word
    pairs: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for i, t in enumerate(texts):
        if not finder.search(t):
            continue
        bounds = words(i)
        at = {p: k for k, p in enumerate(bounds)}
        seen: set[str] = set()
        for m in finder.finditer(t):  # a lead is a word of the segmentation, counted once a clause
            a, e = m.span()
            k = at.get(a)
            w = m.group()
            if k is None or e >= len(t) or bounds[k + 1] != e or w in seen:
                continue
            seen.add(w)
            uses[w] += 1
            met: set[str] = set()
            for x in range(k + 1, min(k + 1 + MAX_GAP, len(bounds) - 1)):
                start = bounds[x]
                v = t[start:bounds[x + 1]]
                if v in met or v in _PARTICLES or not _HAN_WORD.fullmatch(v):
                    continue
                met.add(v)
                pairs[(w, v)].append((docs[i], i, t[e:start]))
    best: dict[str, tuple[int, str]] = {}
    for (a, b), rows in pairs.items():
        if (len(rows), b) > best.get(a, (0, "")):
            best[a] = (len(rows), b)
    n = len(texts)
    out = []
    for (a, b), rows in sorted(x for x in pairs.items() if len(x[1]) >= min_docs):
        n_pair = len(rows)
        if len({r[0] for r in rows}) < min_docs:
            continue
        fills: dict[str, int] = defaultdict(int)
        for r in rows:
            fills[r[2]] += 1
        if len(fills) < 3 or 2 * max(fills.values()) > n_pair:
            continue  # one filler (or none) in half of the pairs: a fixed phrase, the phrase bank's
        if (n_pair / uses[a]) < ATTRACTION * count(b) / n:
            continue  # the partner is not much likelier after the lead than anywhere
        headed = 2 * sum(1 for r in rows if r[2].endswith("的")) >= n_pair and tags.get(b, "x")[:1] not in _QUANTITY_TAGS
        if best[a][1] != b and not (headed and tags[a] == "p"):
            continue  # neither the commonest partner nor the head of the preposition's 的-phrase
        if tags[a] == "c" and tags.get(b) != "c":
            continue  # a conjunction's set frame is a correlative one (无论…还是), not its commonest content word
        text = render([a, b], ["TEXT"])
        out.append(InnerFrame(template_id(text), text, [Slot("TEXT", "TEXT", [], 0)], [], True, True))
    return out

"""What follows a phrase in the corpus: the word after each occurrence (a modifier cut before its head
noun) and the word after each occurrence of a word (whether the corpus uses it before verbs)."""

from __future__ import annotations

from typing import Callable, Collection, Sequence

import numpy as np

from .formula_kinds import NOMINAL_TAGS
from .formula_records import _HAN_RE, _PARTICLES

__all__ = ["HEAD_SHARE", "head_shares", "verb_follow_shares"]

#: share of occurrences followed by one same noun at or above which a wording not ending in a verb is a
#: modifier cut before its head (对政务公开 + 工作, 维护世界 + 和平) and is dropped, when the continued
#: wording occurs at least ``min_df`` times and the other occurrences lie in fewer than ``min_df`` documents.
HEAD_SHARE = 0.5
_VERBAL_TAGS = frozenset("v vd vi vg".split())


def head_shares(gs: np.ndarray, ids: np.ndarray, words: Sequence[str], tag: Callable[[str], str],
                E: np.ndarray, G1: np.ndarray, D: np.ndarray, n_e: int, tf: np.ndarray, n_docs: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per entry: the share of its occurrences followed by its commonest next word when that word is
    a noun (a Han word at a word start right after the occurrence; not a particle or preposition),
    else 0; and, for entries with a share of at least ``HEAD_SHARE``, the number of documents
    holding an occurrence not followed by it (0 for the others). A wording mostly
    continued by one noun (对政务公开 + 工作) is a modifier cut before its head.

    ``gs``, ``ids``, ``words``: the corpus tokens' global starts, word ids and the words; ``E``, ``G1``,
    ``D``: each occurrence's entry, global end and document; ``tf``: occurrences per entry."""
    share, own_docs = np.zeros(n_e), np.zeros(n_e, dtype=np.int64)
    if not len(gs) or not len(E):
        return share, own_docs
    content = np.fromiter((bool(_HAN_RE.match(w)) and w not in _PARTICLES for w in words), dtype=bool,
                          count=len(words))
    token_at = np.full(max(int(gs.max()), int(G1.max())) + 1, -1, dtype=np.int64)  # the token starting at each offset
    token_at[gs] = np.arange(len(gs))
    k = token_at[G1]
    nw = len(words) + 1
    ok = (k >= 0) & content[ids[k]]
    nxt = np.where(ok, ids[k], len(words))
    keys, counts = np.unique(E[ok] * nw + nxt[ok], return_counts=True)
    ke, kw = keys // nw, keys % nw
    order = np.lexsort((-counts, ke))  # per entry, its commonest next word first
    first = np.ones(len(order), dtype=bool)
    first[1:] = ke[order][1:] != ke[order][:-1]
    top = order[first]
    nominal = np.array([tag(words[w]) in NOMINAL_TAGS for w in kw[top].tolist()], dtype=bool)
    top = top[nominal]
    share[ke[top]] = counts[top] / np.maximum(tf[ke[top]], 1)
    top_word = np.full(n_e, -1, dtype=np.int64)
    top_word[ke[top]] = kw[top]
    other = (share[E] >= HEAD_SHARE) & (nxt != top_word[E])  # only the entries the rule looks at
    ed = np.unique(E[other] * (n_docs + 1) + D[other])
    own_docs[:] = np.bincount(ed // (n_docs + 1), minlength=n_e)
    return share, own_docs


def verb_follow_shares(ids: np.ndarray, words: Sequence[str], tag: Callable[[str], str],
                       wanted: Collection[str] | None = None) -> dict[str, float]:
    """Per word of the corpus (of ``wanted`` when given), the share of its occurrences that a verb follows
    (by the dictionary's tag): how the corpus uses a word the dictionary calls an adverb, before verbs or
    before nouns."""
    verbal = np.fromiter((tag(x) in _VERBAL_TAGS for x in words), dtype=bool, count=len(words))
    nxt_verbal = np.append(verbal[ids[1:]], False).astype(np.float64)
    n = np.bincount(ids, minlength=len(words))
    share = (np.bincount(ids, weights=nxt_verbal, minlength=len(words)) / np.maximum(n, 1)).tolist()
    if wanted is None:
        return {words[i]: share[i] for i in np.flatnonzero(n).tolist()}
    return {w: share[i] for i, w in enumerate(words) if w in wanted and n[i]}

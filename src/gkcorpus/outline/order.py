"""Order concordance: how well a typing's common order predicts the order of each document's sections.

:func:`order_concordance` decides whether ``gkcorpus mine`` writes the skeleton from the part types or from the
section types (the typing that orders the documents better).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

__all__ = ["order_concordance"]


def order_concordance(doc_ids: Sequence[Any], types: Sequence[Any]) -> float:
    """How well a typing's common order, learned from the other documents, predicts the order of each
    document's sections: Kendall's tau-a between section order and type rank, pooled over documents.

    ``doc_ids`` and ``types`` give every section of the corpus in document order. A type's rank in a
    document is its mean relative position in the *other* documents. Every pair of sections of a
    document counts: +1 when the earlier section's type ranks before the later one's, -1 when after,
    0 when both are of one type or a type is found in no other document. The score is in [-1, 1]; a
    skeleton is worth writing from a typing when it is high. It is the same question for any typing of
    sections (part types, section types), so two typings of a corpus can be compared: lumping
    different parts into one type scores 0 on their pairs, a type mixing early and late sections
    scores -1 on some, and a type of one document scores nothing (it predicts no other document)."""
    seqs: dict[Any, list[Any]] = {}
    for d, t in zip(doc_ids, types):
        seqs.setdefault(d, []).append(t)
    own: dict[Any, tuple[Counter, Counter]] = {}
    tot_pos: Counter = Counter()
    tot_n: Counter = Counter()
    for d, seq in seqs.items():
        pos: Counter = Counter()
        n: Counter = Counter()
        for i, t in enumerate(seq):
            pos[t] += (i + 0.5) / len(seq)
            n[t] += 1
        own[d] = pos, n
        tot_pos.update(pos)
        tot_n.update(n)
    score = pairs = 0
    for d, seq in seqs.items():
        pos, n = own[d]
        rank = {t: (tot_pos[t] - pos[t]) / (tot_n[t] - n[t]) for t in n if tot_n[t] > n[t]}
        for i, a in enumerate(seq):
            for b in seq[i + 1:]:
                pairs += 1
                if a != b and a in rank and b in rank:
                    score += (rank[a] < rank[b]) - (rank[a] > rank[b])
    return score / pairs if pairs else 0.0

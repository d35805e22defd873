"""The common outline of a corpus: the consensus order of section types over its documents."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np

from .records import DocOutline, SectionType
from .segments import END, START

__all__ = ["CommonOutline", "common_outline"]


# --------------------------------------------------------------------------- the common outline


@dataclass
class CommonOutline:
    """The corpus's common outline and the evidence for it.

    ``consensus``: types present in at least ``min_support`` of the documents, in order of their
    median relative position, each with its support; ``path``: from START, repeatedly the most
    frequent transition to a type not yet visited, with the number of documents making it;
    ``transitions``: every transition with its count and document support; ``sequences``: the most
    frequent exact outlines.
    """

    n_docs: int
    consensus: list[dict[str, Any]]
    path: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    sequences: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def common_outline(outlines: Sequence[DocOutline], types: Sequence[SectionType] | None = None,
                   min_support: float = 0.3, top_sequences: int = 5) -> CommonOutline:
    """Consensus order, most travelled path, transition counts and frequent sequences of the outlines."""
    names = {t.type_id: t.display for t in types or []}

    def nm(t: Any) -> str:
        return names.get(t, f"T{t}") if isinstance(t, (int, np.integer)) else str(t)

    n = len(outlines)
    trans: Counter = Counter()
    trans_docs: dict[tuple, set[str]] = defaultdict(set)
    positions: dict[int, list[float]] = defaultdict(list)
    for o in outlines:
        seq = [START] + list(o.types) + [END]
        for a, b in zip(seq, seq[1:]):
            trans[(a, b)] += 1
            trans_docs[(a, b)].add(o.doc_id)
        firsts: dict[int, float] = {}
        for i, t in enumerate(o.types):
            firsts.setdefault(t, i / (len(o.types) - 1) if len(o.types) > 1 else 0.0)
        for t, p in firsts.items():
            positions[t].append(p)
    need = max(2, int(np.ceil(min_support * n))) if n > 1 else 1
    consensus = [
        {"type": int(t), "name": nm(t), "support": len(ps), "share": round(len(ps) / n, 3),
         "median_position": round(float(np.median(ps)), 3)}
        for t, ps in positions.items() if len(ps) >= need and t >= 0
    ]
    consensus.sort(key=lambda r: (r["median_position"], -r["support"], r["type"]))
    # the most travelled path through the transition graph
    path = [{"type": START, "name": START, "docs": n}]
    cur: Any = START
    visited: set = {START}
    while True:
        options = [(len(trans_docs[(a, b)]), trans[(a, b)], b) for (a, b) in trans if a == cur and b not in visited]
        if not options:
            break
        docs, _, nxt = max(options, key=lambda o: (o[0], o[1], -1 if o[2] == END else -int(o[2])))
        path.append({"type": nxt if nxt == END else int(nxt), "name": nm(nxt), "docs": docs})
        if nxt == END:
            break
        visited.add(nxt)
        cur = nxt
    transitions = [
        {"from": a if a == START else int(a), "to": b if b == END else int(b), "from_name": nm(a), "to_name": nm(b),
         "count": c, "docs": len(trans_docs[(a, b)])}
        for (a, b), c in trans.items()
    ]
    transitions.sort(key=lambda r: (-r["docs"], -r["count"], str(r["from"]), str(r["to"])))
    seqs = Counter(tuple(o.types) for o in outlines)
    sequences = [{"types": list(map(int, s)), "names": [nm(t) for t in s], "docs": c,
                  "doc_ids": [o.doc_id for o in outlines if tuple(o.types) == s]}
                 for s, c in sorted(seqs.items(), key=lambda kv: (-kv[1], kv[0]))[:top_sequences]]
    return CommonOutline(n, consensus, path, transitions, sequences)

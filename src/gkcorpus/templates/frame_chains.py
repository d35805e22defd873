"""Chains of clauses: runs of fixed clauses (each matched by a candidate in most of its uses) joined
into one frame, with the free clause before or after them. A mixin of
:class:`~gkcorpus.templates.frames.FrameMiner`, whose parameters it reads."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Sequence

from .frame_cands import _Cand, _content_ok
from .frame_model import Clause, _balanced, _han

__all__: list[str] = []


class _ClauseChains:
    """The clause-chain candidates of the frame miner."""

    def _chains(self, cands: list[_Cand], clauses: Sequence[Clause], c_doc: Sequence[int], m: int) -> list[_Cand]:
        """Frames over two to ``max_chain`` consecutive clauses of a sentence: one clause frame with
        fixed clauses (found in ``min_docs`` documents) before or after it, or a run of fixed clauses
        with one free clause after it (我们也清醒地看到，{TEXT}) or before it ({TEXT}，表示诚挚的感谢),
        following each other in ``min_docs`` documents."""
        if self.max_chain < 2 or not clauses:
            return []
        lab, fixed_text = self._clause_labels(cands, clauses, c_doc, m)
        free = len(cands)  # the label of a whole clause of free text
        seqs: dict[tuple[int, ...], list[tuple[int, int, int, tuple[str, ...]]]] = defaultdict(list)
        self._free_runs(seqs, lab, clauses, c_doc, free)
        self._frame_runs(seqs, lab, clauses, c_doc)
        out = []
        for seq, inst in seqs.items():
            c = self._chain_candidate(seq, inst, cands, fixed_text, free, m)
            if c is not None:
                out.append(c)
        return out

    def _clause_labels(self, cands: Sequence[_Cand], clauses: Sequence[Clause], c_doc: Sequence[int],
                       m: int) -> tuple[dict[int, list[tuple[int, tuple[str, ...]]]], dict[int, str]]:
        """Per clause, the labels it can take: the three best clause frames whose instances lie on it
        (``(candidate index, values)``) and, when its whole text recurs in ``m`` documents, that fixed
        clause (a negative label); and the text of each fixed-clause label."""
        # per clause its three best (score, candidate, values), best first and, at equal scores, in the order
        # met: what sorting all of them stably by score keeps, without holding them all
        labels: dict[int, list[tuple[float, int, tuple[str, ...]]]] = {}
        for k, c in enumerate(cands):
            if c.edge:
                continue  # a construction stands alone: it does not label clauses for chains
            sc = c.score()
            for d, ci, n, vals in c.inst:
                row = labels.get(ci)
                if row is None:
                    labels[ci] = [(sc, k, vals)]
                elif len(row) < 3 or sc > row[-1][0]:
                    j = len(row)
                    while j and row[j - 1][0] < sc:
                        j -= 1
                    row.insert(j, (sc, k, vals))
                    del row[3:]
        docs_of = _documents_per_text(clauses, c_doc)
        fixed_id: dict[str, int] = {}
        lab: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
        for ci, c in enumerate(clauses):
            row = [(k, v) for _, k, v in labels.pop(ci, ())]  # each clause's scored row dropped once read
            if docs_of[c.text] >= m and _han(c.text) >= 2:
                row.append((-1 - fixed_id.setdefault(c.text, len(fixed_id)), ()))
            if row:
                lab[ci] = row
        return lab, {-1 - v: k for k, v in fixed_id.items()}

    def _fixed_run(self, lab: dict[int, list[tuple[int, tuple[str, ...]]]], clauses: Sequence[Clause],
                   ci: int, step: int) -> list[int]:
        """The fixed-clause labels of the clauses next to ``ci`` in its sentence (``step`` -1: before,
        nearest first; +1: after), at most ``max_chain - 1``."""
        run, j, unit = [], ci + step, clauses[ci].unit
        while len(run) < self.max_chain - 1 and 0 <= j < len(clauses) and clauses[j].unit == unit:
            k = next((k for k, _ in lab.get(j, ()) if k < 0), None)
            if k is None:
                break
            run.append(k)
            j += step
        return run

    def _free_runs(self, seqs: dict, lab: dict, clauses: Sequence[Clause], c_doc: Sequence[int], free: int) -> None:
        """Runs of fixed clauses with one free clause after them, or before them."""
        for ci in range(len(clauses)):
            left = self._fixed_run(lab, clauses, ci, -1)  # fixed clauses before the free clause ci
            for n in range(1, len(left) + 1):
                seqs[tuple(reversed(left[:n])) + (free,)].append((c_doc[ci], ci - n, n + 1, (clauses[ci].text,)))
            right = self._fixed_run(lab, clauses, ci, +1)  # fixed clauses after it
            for n in range(1, len(right) + 1):
                seqs[(free,) + tuple(right[:n])].append((c_doc[ci], ci, n + 1, (clauses[ci].text,)))

    def _frame_runs(self, seqs: dict, lab: dict, clauses: Sequence[Clause], c_doc: Sequence[int]) -> None:
        """One clause frame with fixed clauses before and after it."""
        for ci in range(len(clauses)):
            frames = [(k, v) for k, v in lab.get(ci, ()) if k >= 0]
            if not frames:
                continue
            left = self._fixed_run(lab, clauses, ci, -1)
            right = self._fixed_run(lab, clauses, ci, +1)
            for nl in range(len(left) + 1):
                for nr in range(len(right) + 1):
                    if nl + nr == 0 or nl + nr + 1 > self.max_chain:
                        continue
                    for k, v in frames:
                        seq = tuple(reversed(left[:nl])) + (k,) + tuple(right[:nr])
                        seqs[seq].append((c_doc[ci], ci - nl, len(seq), v))

    def _chain_candidate(self, seq: tuple[int, ...], inst: list, cands: Sequence[_Cand], fixed_text: dict[int, str],
                         free: int, m: int) -> _Cand | None:
        """The candidate of one run of clause labels, or None (too few documents; not exactly one
        clause frame or free clause; no slot)."""
        if len({i[0] for i in inst}) < m or sum(k >= 0 for k in seq) != 1:
            return None
        pieces, types = [""], []
        for j, k in enumerate(seq):
            if j:
                pieces[-1] += "，"
            if k < 0:
                pieces[-1] += fixed_text[k]
            elif k == free:
                types.append("TEXT")
                pieces.append("")
            else:
                c = cands[k]
                pieces[-1] += c.pieces[0]
                for ty, p in zip(c.types, c.pieces[1:]):
                    types.append(ty)
                    pieces.append(p)
        if not types:
            return None  # a run of fixed clauses: a passage or a formula, not a frame
        side = "after" if seq[-1] == free else "before" if seq[0] == free else ""
        if side:
            fixed = pieces[0] if side == "after" else pieces[-1]
            ok = _han(fixed) >= self.min_fixed_han and _balanced(pieces)
        else:
            ok = _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han)
        return _Cand(pieces, types, inst, ok, side)


def _documents_per_text(clauses: Sequence[Clause], c_doc: Sequence[int]) -> dict[str, int]:
    """In how many documents each clause text occurs. Clauses come document after document, so a text
    counts a document when it is met in a document other than the last it was met in: one integer pair a
    text, not a set of documents (a set where the documents do not come in order)."""
    if any(b < a for a, b in pairwise(c_doc)):
        sets: dict[str, set[int]] = defaultdict(set)
        for ci, c in enumerate(clauses):
            sets[c.text].add(c_doc[ci])
        return {t: len(ds) for t, ds in sets.items()}
    last: dict[str, list[int]] = {}
    for ci, c in enumerate(clauses):
        d = c_doc[ci]
        seen = last.get(c.text)
        if seen is None:
            last[c.text] = [d, 1]
        elif seen[0] != d:
            seen[0] = d
            seen[1] += 1
    return {t: n for t, (_, n) in last.items()}

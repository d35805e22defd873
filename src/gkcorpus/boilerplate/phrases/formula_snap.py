"""Where a repeat's edges go: each repeat's start and end moved inward to the word boundaries most of
its occurrences agree on. A mixin of :class:`~gkcorpus.boilerplate.phrases.formula_miner.FormulaMiner`,
which holds the text index and the boundary masks it reads."""

from __future__ import annotations

import numpy as np

from ...kernels.repeats import char_mask as _isin_chars
from .formula_records import (_CLOSE, _DIGITS, _FUNC_END, _FUNC_START, _LEAD_KEEP, _OPEN, _SNAP_REACH, _TRAIL_KEEP,
                              _VOTERS)

__all__: list[str] = []


class _SnapEdges:
    """The boundary snap of the formula miner (reads its text index, word-boundary and Han masks)."""

    def _snap(self, L: np.ndarray, LB: np.ndarray, RB: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Inward offsets (start ``a``, end ``b``) of each repeat where most of its occurrences have word
        boundaries: twice, once with no one-character function word at an edge and once keeping a
        leading conjunction or trailing preposition/copula/modal next to a content word (the rows
        of the second half); repeats whose two snaps agree appear once, in the first half."""
        ix = self._ix
        codes = ix.codes
        n = len(codes)
        wb = self._wb
        han = self._han
        single = wb[:-1] & wb[1:]  # a one-character word starts at g
        # a letter or digit glues to the word beside it (2018年, 5G): no edge next to one
        alnum = _isin_chars(codes, _DIGITS + "０１２３４５６７８９%％") \
            | ~self._allowed & ((codes | 0x20) >= ord("a")) & ((codes | 0x20) <= ord("z"))
        after_alnum = np.zeros(n, dtype=bool)
        after_alnum[1:] = alnum[:-1]
        before_alnum = np.zeros(n, dtype=bool)
        before_alnum[:-1] = alnum[1:]
        start_ok = wb[:-1] & (han | _isin_chars(codes, _OPEN)) & ~(single & _isin_chars(codes, _FUNC_START)) \
            & ~after_alnum
        end_char_ok = (han | _isin_chars(codes, _CLOSE)) & ~(single & _isin_chars(codes, _FUNC_END)) & ~before_alnum
        end_ok = np.zeros(n + 1, dtype=bool)  # a formula may end before position g
        end_ok[1:] = wb[1:] & end_char_ok
        start_ok = np.append(start_ok, False)
        # kept function words: one of them, with a content-word edge on its other side
        lead = np.zeros(n + 1, dtype=bool)
        lead[:-1] = single & _isin_chars(codes, _LEAD_KEEP) & ~after_alnum
        lead[:-1] &= start_ok[1:]
        trail = np.zeros(n + 1, dtype=bool)
        trail[1:] = single & _isin_chars(codes, _TRAIL_KEEP) & ~before_alnum
        trail[1:] &= end_ok[:-1]
        a, b, a2, b2 = self._snap_with(L, LB, RB, (start_ok, start_ok | lead), (end_ok, end_ok | trail))
        differ = ((a2 != a) | (b2 != b)) & (b2 > a2)
        return np.concatenate([a, a2[differ]]), np.concatenate([b, b2[differ]]), np.flatnonzero(differ)

    def _snap_with(self, L: np.ndarray, LB: np.ndarray, RB: np.ndarray, start_oks: tuple[np.ndarray, np.ndarray],
                   end_oks: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
        """Snap with two pairs of start/end masks at once: for each, the outermost offsets where most
        voters agree (``a``, ``b`` of the first pair, then of the second)."""
        sa = self._ix.sa
        n = len(self._ix.codes)
        if not len(L):
            return (np.zeros(0, dtype=np.int64),) * 4
        k = np.minimum(RB - LB + 1, _VOTERS)  # most repeats have fewer voters: one flat row of them each
        first = np.cumsum(k) - k
        row = np.repeat(np.arange(len(L)), k)
        P = sa[LB[row] + np.arange(len(row)) - first[row]].astype(np.int64)
        need = self.boundary_share * k
        out = []
        for masks, inward in ((start_oks, False), (end_oks, True)):
            got = [np.full(len(L), -1, dtype=np.int64) for _ in masks]
            both = masks[0].view(np.uint8) | (masks[1].view(np.uint8) << 1)  # one gather for both masks
            # the edge nearest the repeat's own edge wins: step inward one offset at a time, each time
            # with only the repeats that are not yet placed for one of the masks (most are placed at once)
            todo = np.arange(len(L))
            base = P + L[row] if inward else P  # each voter's end / start
            vrow, vfirst = row, first
            for j in range(_SNAP_REACH + 1):
                Lt = L[todo]
                e = Lt - j if inward else np.full(len(todo), j, dtype=np.int64)
                inside = (e > 0) if inward else (j < Lt)
                votes = both[np.minimum(base - j, n) if inward else np.minimum(base + j, n)]
                placed = np.ones(len(todo), dtype=bool)
                for bit, g in enumerate(got):
                    gt = g[todo]
                    hit = (gt < 0) & inside & (np.add.reduceat((votes >> bit) & 1, vfirst) >= need[todo])
                    g[todo[hit]] = e[hit]
                    placed &= (gt >= 0) | hit
                more = ~placed & inside  # a repeat with no room left inward can be placed no more
                if j == _SNAP_REACH or not more.any():
                    break
                vkeep = more[vrow]
                kt = k[todo[more]]
                todo = todo[more]
                base, vrow = base[vkeep], (np.cumsum(more) - 1)[vrow[vkeep]]
                vfirst = np.cumsum(kt) - kt
            out.append(got)
        (a, a2), (b, b2) = out
        for x, y in ((a, b), (a2, b2)):
            bad = (x < 0) | (y < 0)
            x[bad], y[bad] = 0, 0
        return a, b, a2, b2

"""Array helpers for counting repeats over a suffix array: rank ranges of prefixes (range minima over
the LCP array), distinct labels per rank interval, grouped entropies and span containment."""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["han_mask", "char_mask", "RangeMin", "interval_docs", "grouped_entropy", "segmented_max",
           "merge_span_arrays", "merge_sorted_arrays", "spans_within", "inside_longer"]


def han_mask(codes: np.ndarray) -> np.ndarray:
    """Per code point: a Han character."""
    c = codes
    return ((c >= 0x3400) & (c <= 0x4DBF)) | ((c >= 0x4E00) & (c <= 0x9FFF)) | ((c >= 0xF900) & (c <= 0xFAFF))


def char_mask(codes: np.ndarray, chars: str) -> np.ndarray:
    """Per code: one of ``chars``; a lookup in a table up to the largest of them (a search per
    character, as ``np.isin`` makes, costs several passes over the codes)."""
    if not chars:
        return np.zeros(len(codes), dtype=bool)
    top = max(map(ord, chars)) + 1
    table = np.zeros(top + 1, dtype=bool)  # the last slot: every code above the table
    table[[ord(c) for c in chars]] = True
    return table[np.minimum(codes, top)]


class RangeMin:
    """Rank range of every prefix over an LCP array, in linear memory: minima of blocks of ``block``
    entries with a sparse table over the blocks (``n / block * log n`` entries), and steps inside the
    first and last block. ``expand`` gives what a sparse table over every entry gives."""

    def __init__(self, h: np.ndarray, block: int = 64):
        self.h = h
        self.block = block
        nb = -(-len(h) // block)
        pad = np.full(nb * block, np.iinfo(h.dtype).max if h.dtype.kind in "iu" else np.inf, dtype=h.dtype)
        pad[: len(h)] = h
        self.levels = [pad.reshape(nb, block).min(axis=1) if nb else pad[:0]]
        k = 1
        while (1 << k) <= nb:
            prev, half = self.levels[-1], 1 << (k - 1)
            self.levels.append(np.minimum(prev[:-half], prev[half:]))
            k += 1

    def expand(self, r: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First and last rank of the suffixes sharing their first ``m`` symbols with the suffix at rank ``r``."""
        h, B = self.h, self.block
        n = len(h)
        m = m.astype(h.dtype)
        lo = r.astype(np.int64)
        hi = lo.copy()
        # inside the first block
        self._step(lo, m, -1, stop_at_block=True)
        self._step(hi, m, 1, stop_at_block=True)
        # whole blocks
        at = np.flatnonzero((lo % B == 0) & (lo > 0))
        at = at[h[lo[at] - 1] >= m[at]]
        b = lo[at] // B
        for k in range(len(self.levels) - 1, -1, -1):
            c = b - (1 << k)
            ok = c >= 0
            ok[ok] = self.levels[k][c[ok]] >= m[at][ok]
            b[ok] = c[ok]
        lo[at] = b * B
        at = np.flatnonzero((hi % B == 0) & (hi < n))
        at = at[h[hi[at]] >= m[at]]
        b = hi[at] // B
        for k in range(len(self.levels) - 1, -1, -1):
            lev = self.levels[k]
            ok = b < len(lev)
            ok[ok] = lev[b[ok]] >= m[at][ok]
            b[ok] += 1 << k
        hi[at] = np.minimum(b * B, n)
        # inside the last block
        self._step(lo, m, -1, stop_at_block=False)
        self._step(hi, m, 1, stop_at_block=False)
        return lo, hi

    def _step(self, pos: np.ndarray, m: np.ndarray, d: int, stop_at_block: bool) -> None:
        """Move ``pos`` one entry at a time in direction ``d`` while the LCP there is at least ``m``
        (and, with ``stop_at_block``, until a block boundary); in place."""
        h, B = self.h, self.block
        n = len(h)
        act = np.arange(len(pos))
        while len(act):
            p = pos[act]
            nxt = p - 1 if d < 0 else p
            ok = (nxt >= 0) & (nxt < n)
            ok[ok] = h[nxt[ok]] >= m[act][ok]
            act = act[ok]
            pos[act] += d
            if stop_at_block:
                act = act[pos[act] % B != 0]


def interval_docs(labels: np.ndarray, n_docs: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Distinct documents among ranks ``lo..hi`` of every interval (bitsets OR-reduced per 64 documents)."""
    out = np.zeros(len(lo), dtype=np.int64)
    if not len(lo):
        return out
    order = np.argsort(lo, kind="stable")
    idx = np.empty(2 * len(lo), dtype=np.int64)
    idx[0::2], idx[1::2] = lo[order], hi[order] + 1
    counts = np.zeros(len(lo), dtype=np.int64)
    for w in range((n_docs + 63) // 64):
        sel = (labels >> 6) == w
        bits = np.zeros(len(labels) + 1, dtype=np.uint64)
        bits[:-1][sel] = np.left_shift(np.uint64(1), (labels[sel] & 63).astype(np.uint64))
        red = np.bitwise_or.reduceat(bits, idx)[0::2]
        counts += np.bitwise_count(red).astype(np.int64)
    out[order] = counts
    return out


def grouped_entropy(group: np.ndarray, sym: np.ndarray, n_groups: int, totals: np.ndarray) -> np.ndarray:
    """Entropy (bits) of the symbols of each group (``group`` sorted or not; ``totals`` its sizes)."""
    big = int(sym.max()) + 1 if len(sym) else 1
    _, first, counts = np.unique(group.astype(np.int64) * big + sym, return_index=True, return_counts=True)
    g = group[first]
    p = counts / np.maximum(totals[g], 1)
    return np.bincount(g, weights=-p * np.log2(p), minlength=n_groups)


def segmented_max(values: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Running maximum of ``values`` restarted at each new value of ``blocks`` (sorted block ids)."""
    offset = blocks.astype(np.int64) * (int(np.abs(values).max()) + 2 if len(values) else 1)
    return np.maximum.accumulate(values + offset) - offset


def merge_span_arrays(spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, merged (start, end) spans as two arrays."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    arr = np.array(merged, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def merge_sorted_arrays(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`merge_span_arrays` for spans given as two arrays (vectorised)."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort((ends, starts))
    s, e = starts[order].astype(np.int64), ends[order].astype(np.int64)
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > reach[:-1]  # a span starting after everything before it ends opens a new group
    group = np.cumsum(new) - 1
    out_e = np.zeros(int(group[-1]) + 1, dtype=np.int64)
    np.maximum.at(out_e, group, e)
    return s[new], out_e


def covered_before(s0: np.ndarray, s1: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """For each of ``pos``, how many positions of the merged spans ``[s0, s1)`` (sorted, disjoint) lie
    before it: the running count of covered positions, read at ``pos`` without an array of the text's length."""
    pos = np.asarray(pos, dtype=np.int64)
    cum = np.zeros(len(s0) + 1, dtype=np.int64)
    np.cumsum(np.asarray(s1, dtype=np.int64) - s0, out=cum[1:])
    j = np.searchsorted(s0, pos, side="left")  # the spans that start before each position
    out = cum[j]
    if len(s0):  # only the last of them can reach past the position
        out -= np.where(j > 0, np.maximum(s1[np.maximum(j - 1, 0)] - pos, 0), 0)
    return out


def spans_within(g0: np.ndarray, g1: np.ndarray, s0: np.ndarray, s1: np.ndarray) -> np.ndarray:
    """Whether each span ``[g0, g1)`` lies inside one of the merged spans ``[s0, s1)``."""
    if not len(s0):
        return np.zeros(len(g0), dtype=bool)
    k = np.searchsorted(s0, g0, side="right") - 1
    return (k >= 0) & (g1 <= s1[np.maximum(k, 0)])


def inside_longer(g0: np.ndarray, g1: np.ndarray, n: int) -> np.ndarray:
    """For each span, whether another span of the set strictly contains it (starts no later, ends no
    earlier, longer)."""
    if not len(g0):
        return np.zeros(0, dtype=bool)
    # the longest reach of spans starting at each position, and of those starting before it
    reach_at = np.full(n + 1, -1, dtype=np.int64)
    np.maximum.at(reach_at, g0, g1)
    reach_before = np.empty_like(reach_at)
    reach_before[0] = -1
    np.maximum.accumulate(reach_at[:-1], out=reach_before[1:])
    return (reach_before[g0] >= g1) | (reach_at[g0] > g1)

"""Suffix and LCP arrays over texts as code arrays, and the maximal repeats they give."""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

from .codes import _HAN, _index_dtype, code_mask, SEP_BASE

__all__ = ["SuffixArray", "TextIndex", "text_rank_range"]


# --------------------------------------------------------------------------- suffix array


def encode_text(text: str) -> np.ndarray:
    """Code points of ``text`` (uint32); paragraph breaks are marked ``SEP_BASE`` for now."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    codes[codes == 10] = SEP_BASE
    return codes


def _build_sa(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Suffix array and LCP array of ``codes`` (int32 when the sequence fits)."""
    from pydivsufsort import divsufsort, kasai

    dtype = _index_dtype(len(codes))
    if not len(codes):
        return np.zeros(0, dtype=dtype), np.zeros(0, dtype=dtype)
    sa = np.asarray(divsufsort(codes))
    lcp = np.asarray(kasai(codes, sa))
    return sa.astype(dtype, copy=False), lcp.astype(dtype, copy=False)


def _nearest(h: np.ndarray, hp: np.ndarray, ks: np.ndarray, step: int, strict: bool) -> np.ndarray:
    """For each index ``k`` of ``ks``: the nearest index in direction ``step`` (+1 right, -1 left)
    whose value in ``h`` is smaller than ``h[k]`` (``strict``) or at most ``h[k]``; ``len(h)`` or
    -1 when there is none.

    ``hp`` is ``h`` padded with -1 on both sides; ``ks`` must hold every index whose value is at
    least the smallest value asked about. Pointer jumping: each unresolved pointer jumps to its
    target's pointer, so the loop runs about log2(longest run) rounds of vectorised work.
    """
    ptr = np.arange(step, len(h) + step, dtype=ks.dtype)
    u = ks
    v = h[u]
    while len(u):
        t = ptr[u]
        open_ = hp[t + 1] >= v if strict else hp[t + 1] > v
        u, v, t = u[open_], v[open_], t[open_]
        ptr[u] = ptr[t]
    return ptr[ks]


def text_rank_range(string: str, sa: Sequence[int] | np.ndarray, text: str) -> tuple[int, int]:
    """The ranks ``[first, end)`` of the suffixes of ``string`` that begin with ``text`` (two binary
    searches in its suffix array ``sa``)."""
    m = len(text)
    lo, hi = 0, len(sa)
    while lo < hi:
        mid = (lo + hi) // 2
        if string[sa[mid]: sa[mid] + m] < text:
            lo = mid + 1
        else:
            hi = mid
    first, hi = lo, len(sa)
    while lo < hi:
        mid = (lo + hi) // 2
        if string[sa[mid]: sa[mid] + m] <= text:
            lo = mid + 1
        else:
            hi = mid
    return first, lo


class SuffixArray:
    """Suffix array ``sa``, LCP array ``lcp`` and inverse ``isa`` of an integer sequence ``codes``.

    ``lcp[k]`` is the longest common prefix of the suffixes at ``sa[k]`` and ``sa[k + 1]``. The
    arrays are int32 when the sequence fits.
    """

    def __init__(self, codes: np.ndarray):
        self.codes = np.ascontiguousarray(codes)
        self.sa, self.lcp = _build_sa(self.codes)
        self._isa: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def isa(self) -> np.ndarray:
        """Inverse suffix array: the rank of the suffix at each position."""
        if self._isa is None:
            isa = np.empty_like(self.sa)
            isa[self.sa] = np.arange(len(self.sa), dtype=self.sa.dtype)
            self._isa = isa
        return self._isa

    def rank_range(self, pos: int, length: int) -> tuple[int, int]:
        """First and last rank of the suffixes starting with ``codes[pos:pos+length]``."""
        r = int(self.isa[pos])
        if length <= 0:
            return 0, len(self.sa) - 1
        lcp = self.lcp
        lo, step = r, 64
        while lo > 0:
            a = max(0, lo - step)
            bad = np.flatnonzero(lcp[a:lo] < length)
            if len(bad):
                lo = a + int(bad[-1]) + 1
                break
            lo, step = a, step * 2
        hi, step = r, 64
        n = len(self.sa)
        while hi < n - 1:
            b = min(n - 1, hi + step)
            bad = np.flatnonzero(lcp[hi:b] < length)
            if len(bad):
                hi = hi + int(bad[0])
                break
            hi, step = b, step * 2
        return lo, hi

    def count(self, pos: int, length: int) -> int:
        """Number of occurrences of ``codes[pos:pos+length]``."""
        lo, hi = self.rank_range(pos, length)
        return hi - lo + 1

    def occurrences(self, pos: int, length: int) -> np.ndarray:
        """Sorted positions of every occurrence of ``codes[pos:pos+length]``."""
        if length <= 0:
            return np.zeros(0, dtype=self.sa.dtype)
        lo, hi = self.rank_range(pos, length)
        return np.sort(self.sa[lo : hi + 1])

    def interval_table(
        self, min_len: int = 1, max_len: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every LCP interval with ``min_len <= length <= max_len``, computed with numpy.

        Returns ``(length, lb, rb, ks, owner)``: an interval is a repeated substring that cannot be
        extended to the right without losing an occurrence (a right-maximal repeat), its
        occurrences are ``sa[lb:rb+1]``. ``ks`` are the LCP indices where a child of an interval
        starts (``lcp[k]`` equals the interval's length; ascending) and ``owner`` the row of that
        interval. Rows are ordered by length, then first rank.
        """
        n = len(self.sa)
        dt = self.sa.dtype
        empty = np.zeros(0, dtype=dt)
        if n < 2:
            return empty, empty, empty, empty, empty
        h = self.lcp[: n - 1]
        if max_len is not None:  # deeper intervals merge into one level, dropped below
            h = np.minimum(h, max_len + 1)
        ks = np.flatnonzero(h >= min_len).astype(dt)
        if not len(ks):
            return empty, empty, empty, empty, empty
        hp = np.empty(n + 1, dtype=h.dtype)
        hp[0] = hp[-1] = -1
        hp[1:-1] = h
        rb = _nearest(h, hp, ks, 1, strict=True)  # next index with a smaller value
        lb = _nearest(h, hp, ks, -1, strict=True)  # previous index with a smaller value
        lb += 1
        del hp
        v = h[ks]
        # the child starts of one interval share its length and its first rank: group them with one
        # stable sort by length (a radix sort when lengths fit in 16 bits), positions staying in order
        key = v.astype(np.uint16) if int(v.max()) <= 0xFFFF else v.astype(np.int64) * (n + 1) + ks
        order = np.argsort(key, kind="stable")
        del key
        vo, lbo = v[order], lb[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = (vo[1:] != vo[:-1]) | (lbo[1:] != lbo[:-1])
        del vo, lbo
        owner = np.empty(len(ks), dtype=dt)
        owner[order] = (np.cumsum(new) - 1).astype(dt)
        first = order[new]
        del order, new
        L, LB, RB = v[first], lb[first], rb[first]
        if max_len is not None:  # drop the merged deeper level
            keep = L <= max_len
            new_row = np.cumsum(keep, dtype=np.int64).astype(dt) - 1
            sel = v <= max_len
            ks, owner = ks[sel], new_row[owner[sel]]
            L, LB, RB = L[keep], LB[keep], RB[keep]
        return L, LB, RB, ks, owner

    def intervals(self, min_len: int = 1, max_len: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every LCP interval of length at least ``min_len`` (at most ``max_len``): arrays
        (length, first rank, last rank), ordered by last rank, then longest first (a bottom-up walk).

        An interval is a repeated substring that cannot be extended to the right without losing
        an occurrence (a right-maximal repeat); its occurrences are ``sa[lb:rb+1]``.
        """
        if max_len is not None and max_len - min_len < 16:
            L, LB, RB = self._level_intervals(min_len, max_len)
        else:
            L, LB, RB, _, _ = self.interval_table(min_len, max_len)
        order = np.lexsort((-L.astype(np.int64), RB))
        return L[order], LB[order], RB[order]

    def _level_intervals(self, min_len: int, max_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """LCP intervals of a few lengths, one length at a time: the maximal runs of ranks whose
        LCP is at least the length and whose smallest LCP is exactly it."""
        n = len(self.sa)
        dt = self.sa.dtype
        h = self.lcp[: max(n - 1, 0)]
        out_l, out_lb, out_rb = [], [], []
        for length in range(max(min_len, 1), max_len + 1 if n > 1 else 0):
            mask = np.zeros(n + 1, dtype=np.int8)
            mask[1:n] = h >= length
            edges = np.flatnonzero(np.diff(mask))  # where runs start and end, alternating
            del mask
            lo, hi = edges[0::2], edges[1::2]  # lcp[lo:hi] >= length
            keep = _run_minimum(h, lo, hi) == length
            out_l.append(np.full(int(keep.sum()), length, dtype=dt))
            out_lb.append(lo[keep].astype(dt))
            out_rb.append(hi[keep].astype(dt))
        if not out_l:
            empty = np.zeros(0, dtype=dt)
            return empty, empty, empty
        return np.concatenate(out_l), np.concatenate(out_lb), np.concatenate(out_rb)

    def left_changes(self) -> np.ndarray:
        """Per rank, how many times the symbol before the suffix changed from rank 0 up to it
        (a suffix at position 0 has a symbol of its own)."""
        sa = self.sa
        n = len(sa)
        out = np.zeros(n, dtype=sa.dtype)
        if n < 2:
            return out
        prev = self.codes[np.maximum(sa - 1, 0)]
        diff = prev[1:] != prev[:-1]
        first = np.flatnonzero(sa == 0)
        for r in first.tolist():  # the suffix at position 0 differs from both neighbours
            if r > 0:
                diff[r - 1] = True
            if r < n - 1:
                diff[r] = True
        np.cumsum(diff, out=out[1:])
        return out

    def left_diverse(self, lb: np.ndarray, rb: np.ndarray) -> np.ndarray:
        """For each rank interval, whether the symbols before its occurrences are not all equal."""
        changes = self.left_changes()
        return changes[rb] - changes[lb] > 0


def _runs(sorted_values: np.ndarray) -> np.ndarray:
    """Mask of the first element of each run of equal values."""
    out = np.ones(len(sorted_values), dtype=bool)
    out[1:] = sorted_values[1:] != sorted_values[:-1]
    return out


def _run_minimum(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Minimum of ``values[lo[i]:hi[i]]`` for sorted, disjoint runs with gaps between them."""
    if not len(lo):
        return np.zeros(0, dtype=values.dtype)
    tail = hi[-1] >= len(values)  # the last run reaches the end
    m = len(lo) - 1 if tail else len(lo)
    bounds = np.empty(2 * m, dtype=np.int64)
    bounds[0::2], bounds[1::2] = lo[:m], hi[:m]
    out = np.empty(len(lo), dtype=values.dtype)
    if m:
        out[:m] = np.minimum.reduceat(values, bounds)[0::2]
    if tail:
        out[-1] = values[lo[-1] :].min()
    return out


def _spans_groups(labels: np.ndarray, lb: np.ndarray, rb: np.ndarray) -> np.ndarray:
    """For each rank interval, whether ``labels`` (per rank) take two or more values in it."""
    changes = np.zeros(len(labels), dtype=np.int32 if len(labels) < 2**31 - 1 else np.int64)
    if len(labels) > 1:
        np.cumsum(labels[1:] != labels[:-1], out=changes[1:])
    return changes[rb] - changes[lb] > 0


def _text_suffix_array(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Suffix and LCP arrays of text codes whose separators (``>= SEP_BASE``) are all distinct.

    Sorted on a compact alphabet -- characters ranked, every separator the one highest symbol,
    16 bits when that fits -- with each LCP value cut at the next separator: the same repeated
    substrings as with distinct separators, at half the memory of sorting 32-bit codes.
    """
    n = len(codes)
    is_sep = codes >= SEP_BASE
    present = np.zeros(SEP_BASE + 1, dtype=bool)
    present[codes[~is_sep]] = True
    k = int(present.sum())
    table = np.zeros(SEP_BASE + 1, dtype=np.uint32)
    table[present] = np.arange(k, dtype=np.uint32)
    table[SEP_BASE] = k
    compact = table[np.minimum(codes, SEP_BASE)].astype(np.uint16 if k <= 0xFFFF else np.uint32)
    del table, present
    sa, lcp = _build_sa(compact)
    del compact
    pos = np.arange(n, dtype=sa.dtype)
    nxt = np.where(is_sep, pos, n).astype(sa.dtype)
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]
    nxt -= pos  # distance to the next separator
    del pos
    np.minimum(lcp, nxt[sa], out=lcp)
    return sa, lcp


class TextIndex(SuffixArray):
    """Suffix array and LCP array over the concatenated clean texts of a corpus.

    Every paragraph break and document end becomes a separator symbol of its own (no repeat
    crosses one). Global position ``doc_starts[d] + i`` is character ``i`` of text ``d``.
    """

    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        parts: list[np.ndarray] = []
        starts = [0]
        next_sep = SEP_BASE
        for t in self.texts:
            codes = encode_text(t)
            seps = np.flatnonzero(codes == SEP_BASE)
            codes[seps] = np.arange(next_sep, next_sep + len(seps), dtype=np.uint32)
            next_sep += len(seps)
            parts.append(codes)
            parts.append(np.array([next_sep], dtype=np.uint32))
            next_sep += 1
            starts.append(starts[-1] + len(codes) + 1)
        self.doc_starts = np.array(starts, dtype=np.int64)
        self._str: str | None = None
        self._han_cum: np.ndarray | None = None
        self._breaks: np.ndarray | None = None
        self.codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
        self.sa, self.lcp = _text_suffix_array(self.codes) if len(self.codes) else _build_sa(self.codes)
        self._isa = None

    def __getstate__(self) -> dict:
        """Pickled without the caches (the joined string, the break mask, the Han prefix sums and the
        inverse suffix array), which are rebuilt on use."""
        state = self.__dict__.copy()
        for name in ("_str", "_han_cum", "_breaks", "_isa"):
            state[name] = None
        return state

    def doc_of(self, positions: np.ndarray | int) -> np.ndarray:
        """Index of the text holding each global position."""
        return np.searchsorted(self.doc_starts, positions, side="right") - 1

    def position(self, doc: int, offset: int) -> int:
        """Global position of character ``offset`` of text ``doc``."""
        return int(self.doc_starts[doc]) + offset

    @property
    def string(self) -> str:
        """The texts as one string, each separator as U+10FFFF (it sorts above every character)."""
        if self._str is None:
            self._str = "\U0010ffff".join(t.replace("\n", "\U0010ffff") for t in self.texts) + "\U0010ffff"
        return self._str

    @property
    def han_cum(self) -> np.ndarray:
        """Han characters before each global position (length ``len(codes) + 1``)."""
        if self._han_cum is None:
            han = code_mask(self.codes, lambda c: bool(_HAN.match(c)), separators=False)
            cum = np.zeros(len(han) + 1, dtype=_index_dtype(len(han)))
            np.cumsum(han, out=cum[1:])
            self._han_cum = cum
        return self._han_cum

    @property
    def breaks(self) -> np.ndarray:
        """Per global position: a separator or a character that is neither a letter nor a digit."""
        if self._breaks is None:
            self._breaks = code_mask(self.codes, lambda c: not c.isalnum(), separators=True)
        return self._breaks

    def find_texts(self, texts: Sequence[str]) -> list[np.ndarray]:
        """:meth:`find_text` of many texts at once: both binary searches of every text run together,
        each step comparing the characters of all the texts with those of their middle suffixes."""
        out: list[np.ndarray] = [np.zeros(0, dtype=self.sa.dtype)] * len(texts)
        live = [i for i, t in enumerate(texts) if t and "\n" not in t]
        if not live or not len(self.sa):
            return out
        n = len(self.codes)
        width = max(len(texts[i]) for i in live)
        query = np.full((len(live), width), -1, dtype=np.int64)  # -1: past the text's end
        for r, i in enumerate(live):
            query[r, : len(texts[i])] = np.frombuffer(texts[i].encode("utf-32-le"), dtype=np.uint32)
        size = (query >= 0).sum(axis=1)
        # the codes as the joined string orders them: a separator (U+10FFFF there) above every
        # character, a position past the end below all (a suffix that is a prefix sorts first)
        codes = np.append(np.minimum(self.codes.astype(np.int64), 0x10FFFF), -1)
        offsets = np.arange(width, dtype=np.int64)

        def compare(rank: np.ndarray) -> np.ndarray:
            """Sign of (suffix at ``rank``, cut to each text's length) minus the text."""
            at = np.minimum(self.sa[rank].astype(np.int64)[:, None] + offsets, n)
            diff = np.where(offsets < size[:, None], codes[at] - query, 0)
            first = np.argmax(diff != 0, axis=1)
            return np.sign(diff[np.arange(len(rank)), first])

        bounds = []
        for upper in (False, True):
            lo = np.zeros(len(live), dtype=np.int64)
            hi = np.full(len(live), len(self.sa), dtype=np.int64)
            while (lo < hi).any():
                act = lo < hi
                mid = (lo + hi) // 2
                c = compare(np.minimum(mid, len(self.sa) - 1))
                right = act & ((c <= 0) if upper else (c < 0))
                lo = np.where(right, mid + 1, lo)
                hi = np.where(act & ~right, mid, hi)
            bounds.append(lo)
        for r, i in enumerate(live):
            out[i] = np.sort(self.sa[bounds[0][r]: bounds[1][r]])
        return out

    def find_text(self, text: str) -> np.ndarray:
        """Sorted global positions of every occurrence of ``text`` (binary search in the suffix array)."""
        if not text or "\n" in text or not len(self.sa):
            return np.zeros(0, dtype=self.sa.dtype)
        first, end = text_rank_range(self.string, self.sa, text)
        return np.sort(self.sa[first:end])

    def find(self, doc: int, start: int, end: int) -> np.ndarray:
        """Global positions of every occurrence of ``texts[doc][start:end]``."""
        return self.occurrences(self.position(doc, start), end - start)

    def doc_labels(self) -> np.ndarray:
        """Per rank, the index of the text its suffix starts in."""
        per_position = np.repeat(np.arange(len(self.texts), dtype=self.sa.dtype), np.diff(self.doc_starts))
        return per_position[self.sa]

    def maximal_repeats(self, min_len: int, min_docs: int = 2) -> Iterator[tuple[int, np.ndarray]]:
        """Left- and right-maximal repeats of at least ``min_len`` characters found in ``min_docs`` texts.

        Yields ``(length, sorted global positions)``.
        """
        L, LB, RB = self.intervals(min_len)
        if not len(L):
            return
        keep = self.left_diverse(LB, RB)
        if min_docs >= 2:
            keep &= _spans_groups(self.doc_labels(), LB, RB)
        for length, lb, rb in zip(L[keep].tolist(), LB[keep].tolist(), RB[keep].tolist()):
            pos = np.sort(self.sa[lb : rb + 1])
            if min_docs > 2 and len(np.unique(self.doc_of(pos))) < min_docs:
                continue
            yield length, pos

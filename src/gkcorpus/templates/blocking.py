"""Candidate pairs: sentences that share a long enough run of characters, found by sorting gram keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from .units import _DIGIT, CLAUSE, SentenceUnit

__all__ = ["candidate_pairs"]


# =========================================================================== candidate pairs


def _norm(text: str) -> str:
    """Alignment key of a text: digits masked (``100`` and ``300`` align), length kept."""
    return _DIGIT.sub("0", text)


_CHUNK = 1 << 20  # candidate hits expanded at a time (bounds the memory of the n-gram blocker)
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier of the n-gram hash


@dataclass
class _Distinct:
    """The distinct sentence cores of a set of units (first-occurrence order) and where they occur.

    ``unit_core[k]`` is the core of unit ``k``; ``single_doc[c]`` the document index of core ``c`` when
    all its units are in one document, else -1; ``units_of(c)`` its units, ``docs_of(c)`` its documents.
    """

    cores: list[str]
    unit_core: np.ndarray  # int32, one per unit
    unit_doc: np.ndarray  # int32, one per unit
    single_doc: np.ndarray  # int32, one per core
    n_units: np.ndarray  # int32, one per core
    _order: np.ndarray  # units sorted by core (stable): CSR with _bounds
    _bounds: np.ndarray

    @classmethod
    def of(cls, cores: Iterable[str], unit_doc: np.ndarray) -> "_Distinct":
        """``cores``: the core of each unit; ``unit_doc``: its document index."""
        index: dict[str, int] = {}
        uc = np.fromiter((index.setdefault(c, len(index)) for c in cores), dtype=np.int32, count=len(unit_doc))
        ud = np.asarray(unit_doc, dtype=np.int32)
        n = len(index)
        order = np.argsort(uc, kind="stable").astype(np.int32)
        bounds = np.searchsorted(uc[order], np.arange(n + 1)).astype(np.int64)
        n_units = np.diff(bounds).astype(np.int32)
        single = np.full(n, -1, dtype=np.int32)
        if n:
            d_sorted = ud[order]
            lo_doc = np.minimum.reduceat(d_sorted, bounds[:-1])
            hi_doc = np.maximum.reduceat(d_sorted, bounds[:-1])
            one = lo_doc == hi_doc
            single[one] = lo_doc[one]
        return cls(list(index), uc, ud, single, n_units, order, bounds)

    def units_of(self, c: int) -> np.ndarray:
        return self._order[self._bounds[c]:self._bounds[c + 1]]

    def docs_of(self, c: int) -> set[int]:
        return set(self.unit_doc[self.units_of(c)].tolist())

    def n_docs(self, members: Iterable[int]) -> int:
        docs: set[int] = set()
        for c in members:
            if self.single_doc[c] >= 0:
                docs.add(int(self.single_doc[c]))
            else:
                docs.update(self.docs_of(c))
        return len(docs)


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of all texts, concatenated (uint32), and the start of each text (+ the end)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    return codes, starts


def _gram_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """A 64-bit polynomial hash of ``codes[p:p + n]`` for every ``p``. A collision (two different
    grams, one hash: about 1e-7 for the 2 M distinct grams of 10 M characters) would only add
    evidence to a pair of cores."""
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _HASH_MULT + codes[k:k + m].astype(np.uint64)
    return h


_CLAUSE_CODES = np.array([ord(c) for c in CLAUSE], dtype=np.uint32)


def _char_ranks(codes: np.ndarray) -> np.ndarray:
    """Order-preserving ranks (1, 2, …) of the characters, uint16 when they fit."""
    if not len(codes):
        return np.zeros(0, dtype=np.uint16)
    present = np.zeros(int(codes.max()) + 1, dtype=np.int32)
    present[codes] = 1
    table = np.cumsum(present)
    return table[codes].astype(np.uint16 if table[-1] < 65535 else np.uint32)


def _key_matrix(ranks: np.ndarray, anchor: np.ndarray, width: np.ndarray, k: int, step: int) -> np.ndarray:
    """Row r: ``width[r]`` character ranks from ``anchor[r]`` (forwards or, ``step=-1``, backwards),
    padded with 0 to ``k`` columns."""
    if not len(anchor):
        return np.zeros((0, k), dtype=ranks.dtype)
    out = np.zeros((len(anchor), k), dtype=ranks.dtype)
    last = len(ranks) - 1
    for c in range(k):  # a column at a time: no (rows x k) index array
        live = width > c
        out[live, c] = ranks[np.clip(anchor[live] + step * c, 0, last)]
    return out


def _sort_rows(keys: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Order of the rows of ``keys`` (lexicographic, as Python sorts strings), ties by ``tie``."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    # pack the columns into 64-bit words (16 or 21 bits a character) for a short lexsort
    bits = 16 if keys.dtype == np.uint16 else 21
    per = 64 // bits
    words = []
    for c0 in range(0, keys.shape[1], per):
        w = np.zeros(len(keys), dtype=np.uint64)
        for c in range(c0, c0 + per):
            w <<= np.uint64(bits)
            if c < keys.shape[1]:
                w |= keys[:, c].astype(np.uint64)
        words.append(w)
    return np.lexsort([tie] + words[::-1])


def _common_prefix(a: np.ndarray, b: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Length of the common prefix of rows ``a[r]`` and ``b[r]``, at most ``cap[r]``."""
    if not len(a):
        return np.zeros(0, dtype=np.int64)
    diff = a != b
    first = np.where(diff.any(axis=1), diff.argmax(axis=1), a.shape[1])
    return np.minimum(first, cap)


def _allowed(single_doc: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs of cores with two units in different documents (not both confined to one same document)."""
    di, dj = single_doc[i], single_doc[j]
    return (di < 0) | (dj < 0) | (di != dj)


def _pair_keys(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    return lo * n + hi


def _posting_pairs(keys: np.ndarray, items: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """All pairs ``(a, b)`` of items sharing a key, ``a`` before ``b``, in postings of 2..``max_size``
    items; ``keys``/``items`` sorted by key then item, one entry per (key, item)."""
    if len(keys) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    size = np.diff(np.r_[starts, len(keys)])
    ok = (size >= 2) & (size <= max_size)
    keep = np.repeat(ok, size)
    k2, it2 = keys[keep], items[keep]
    out_a, out_b = [], []
    for d in range(1, max_size):
        if len(k2) <= d:
            break
        same = k2[d:] == k2[:-d]
        if not same.any():
            break
        out_a.append(it2[:-d][same])
        out_b.append(it2[d:][same])
    if not out_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_a).astype(np.int64), np.concatenate(out_b).astype(np.int64)


@dataclass
class _CoreChars:
    """The distinct cores as one code array, with each core's clause marks (，；：…)."""

    codes: np.ndarray  # the characters of every core, concatenated
    starts: np.ndarray  # core i is codes[starts[i]:starts[i+1]]
    lengths: np.ndarray
    core_of: np.ndarray  # core of each character
    mark_pos: np.ndarray  # positions (in codes) of every clause mark
    mark_core: np.ndarray  # the core of each mark
    has_mark: np.ndarray
    first_mark: np.ndarray  # per core, the position of its first mark (-1: none)
    last_mark: np.ndarray  # per core, the position of its last mark (-1: none)

    @classmethod
    def of(cls, norms: Sequence[str]) -> "_CoreChars":
        n = len(norms)
        codes, starts = _codes(norms)
        lengths = np.diff(starts)
        core_of = np.repeat(np.arange(n, dtype=np.int32), lengths)
        is_mark = codes == _CLAUSE_CODES[0]
        for c in _CLAUSE_CODES[1:]:
            is_mark |= codes == c
        mark_pos = np.flatnonzero(is_mark)
        mark_core = core_of[mark_pos]
        has_mark = np.zeros(n, dtype=bool)
        has_mark[mark_core] = True
        first_mark = np.full(n, -1, dtype=np.int64)
        last_mark = np.full(n, -1, dtype=np.int64)
        first_mark[mark_core[::-1]] = mark_pos[::-1]  # the last write wins: the first mark
        last_mark[mark_core] = mark_pos
        return cls(codes, starts, lengths, core_of, mark_pos, mark_core, has_mark, first_mark, last_mark)


def _core_pairs(
    norms: Sequence[str],
    single_doc: np.ndarray,
    doc_count: Callable[[np.ndarray], int],
    min_anchor: int = 4,
    window: int = 4,
    ngram: int = 6,
    min_shared: int = 6,
    max_df: int = 50,
    max_posting: int = 64,
    max_candidates: int = 4,
    key_chars: int = 24,
    short_len: int = 12,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of distinct (digit-masked) cores: ``(evidence, i, j)`` arrays, ``i < j``, best
    first. See :func:`candidate_pairs`; ``doc_count(cores)`` counts the documents of a posting.

    Three blockers each give pair keys with their evidence (shared characters): clause openings and
    endings, rare n-grams of a first or last clause, and bigrams of short cores."""
    n = len(norms)
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty, empty
    cc = _CoreChars.of(norms)
    found = _clause_edge_pairs(cc, single_doc, min_anchor, window, key_chars)
    found += _rare_gram_pairs(cc, single_doc, doc_count, ngram, min_shared, max_df, max_posting)
    found += _short_core_pairs(norms, cc.lengths, single_doc, max_posting, short_len)
    if not found:
        return empty, empty, empty
    keys = np.concatenate([k for k, _ in found])
    evs = np.concatenate([e for _, e in found])
    if not len(keys):
        return empty, empty, empty
    return _best_pairs(keys, evs, n, max_candidates)


def _clause_edge_pairs(cc: _CoreChars, single_doc: np.ndarray, min_anchor: int, window: int,
                       key_chars: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs of cores sharing at least ``min_anchor`` characters at a clause opening or before a
    clause ending: a sorted neighbourhood (``window`` rows) over fixed-width keys read forwards from
    every opening and backwards from every ending. ``(pair keys, shared length)`` per step."""
    n = len(cc.starts) - 1
    starts, lengths, mark_pos, mark_core = cc.starts, cc.lengths, cc.mark_pos, cc.mark_core
    local_mark = mark_pos - starts[mark_core]
    ranks = _char_ranks(cc.codes)
    out = []
    for reverse in (False, True):
        if reverse:  # ends of clauses (a mark not at position 0) and of the core, read backwards
            keep = local_mark > 0
            ends = np.concatenate([mark_pos[keep], starts[1:][lengths > 0]])
            e_core = np.concatenate([mark_core[keep], np.flatnonzero(lengths > 0)])
            o = np.lexsort((ends, e_core))
            anchor, e_core = ends[o], e_core[o]
            width = np.minimum(key_chars, anchor - starts[e_core])
            step = -1
            anchor = anchor - 1
        else:  # starts of the core and after each mark (not at its end)
            keep = local_mark + 1 < lengths[mark_core]
            heads = np.concatenate([starts[:-1][lengths > 0], mark_pos[keep] + 1])
            e_core = np.concatenate([np.flatnonzero(lengths > 0), mark_core[keep]])
            o = np.lexsort((heads, e_core))
            anchor, e_core = heads[o], e_core[o]
            width = np.minimum(key_chars, starts[e_core + 1] - anchor)
            step = 1
        keys = _key_matrix(ranks, anchor, width, key_chars, step)
        order = _sort_rows(keys, e_core)
        keys, e_core, width = keys[order], e_core[order], width[order]
        ok_a = width >= min_anchor
        for d in range(1, window + 1):
            if len(e_core) <= d:
                break
            lcp = _common_prefix(keys[:-d], keys[d:], np.minimum(width[:-d], width[d:]))
            sel = ok_a[:-d] & (lcp >= min_anchor) & (e_core[:-d] != e_core[d:])
            ia, ib = e_core[:-d][sel], e_core[d:][sel]
            ok = _allowed(single_doc, ia, ib)
            out.append((_pair_keys(ia[ok], ib[ok], n), lcp[sel][ok].astype(np.int64)))
    return out


def _rare_gram_pairs(cc: _CoreChars, single_doc: np.ndarray, doc_count: Callable[[np.ndarray], int], ngram: int,
                     min_shared: int, max_df: int, max_posting: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs of cores sharing at least ``min_shared`` rare ``ngram``-grams, one side's grams taken
    from its first or last clause (the postings), the other's from anywhere (the look-ups).

    A gram in more than ``max_posting`` cores, or in more than ``max_df`` cores of more than
    ``max_df`` documents, is not rare. Evidence: shared grams + ``ngram`` - 1."""
    n = len(cc.starts) - 1
    starts, lengths, core_of = cc.starts, cc.lengths, cc.core_of
    h = _gram_hashes(cc.codes, ngram)
    if not len(h):
        return []
    core = core_of[:len(h)]
    local = np.arange(len(h), dtype=np.int32) - starts[:-1].astype(np.int32)[core]
    valid = local <= (lengths - ngram).astype(np.int32)[core]
    head = np.where(cc.has_mark, cc.first_mark - starts[:-1], lengths).astype(np.int32)
    tail = np.where(cc.has_mark, cc.last_mark - starts[:-1] + 1, 0).astype(np.int32)
    edge = valid & ((local <= (head - ngram)[core]) | (local >= tail[core]))
    del local
    # distinct (gram, core) entries: of the edges (the postings) and of every gram
    e_h, e_c = h[edge], core[edge]
    del edge
    o = np.argsort(e_h, kind="stable")  # positions run in core order: sorted by gram, then core
    e_h, e_c = e_h[o], e_c[o]
    first = np.r_[True, (e_h[1:] != e_h[:-1]) | (e_c[1:] != e_c[:-1])][: len(e_h)]  # none when no edges
    e_h, e_c = e_h[first], e_c[first]
    # postings: drop grams in too many cores (or documents)
    g_start = np.flatnonzero(np.r_[True, e_h[1:] != e_h[:-1]])
    g_size = np.diff(np.r_[g_start, len(e_h)])
    drop = g_size > max_posting
    for g in np.flatnonzero((g_size > max_df) & ~drop):
        drop[g] = doc_count(e_c[g_start[g]:g_start[g] + g_size[g]]) > max_df
    live = ~np.repeat(drop, g_size)
    e_h, e_c = e_h[live], e_c[live]
    a_h, a_c = h[valid], core[valid]
    del h, core, valid
    o = np.argsort(a_h, kind="stable")  # sorted queries make the searches below cache-friendly
    a_h, a_c = a_h[o], a_c[o]
    del o
    first = np.r_[True, (a_h[1:] != a_h[:-1]) | (a_c[1:] != a_c[:-1])] if len(a_h) else np.zeros(0, bool)
    a_h, a_c = a_h[first], a_c[first]
    lo = np.searchsorted(e_h, a_h, side="left")
    cnt = np.searchsorted(e_h, a_h, side="right") - lo
    hit = cnt > 0
    lo, cnt, a_c = lo[hit], cnt[hit], a_c[hit]
    del a_h
    counted = _shared_gram_counts(e_c.astype(np.int32), lo, cnt, a_c, single_doc, n)
    if counted is None:
        return []
    pk, pc = counted
    strong = pc >= min_shared
    return [(pk[strong], pc[strong].astype(np.int64) + ngram - 1)]


def _shared_gram_counts(e_c32: np.ndarray, lo: np.ndarray, cnt: np.ndarray, a_c: np.ndarray, single_doc: np.ndarray,
                        n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Shared grams per pair of cores: look-up ``k`` (core ``a_c[k]``) hits the postings
    ``e_c32[lo[k]:lo[k]+cnt[k]]``; each (posting core, looking-up core) hit is expanded and counted,
    ``_CHUNK`` hits at a time to bound memory. ``(pair keys, counts)``, or None without hits."""
    parts_k, parts_c = [], []
    ends = np.cumsum(cnt)
    a = 0
    while a < len(cnt):
        base = ends[a - 1] if a else 0
        b = max(a + 1, int(np.searchsorted(ends, base + _CHUNK, side="right")))
        c_cnt = cnt[a:b]
        total = int(c_cnt.sum())
        jj = np.repeat(a_c[a:b].astype(np.int32), c_cnt)
        idx = np.repeat(lo[a:b] - (np.cumsum(c_cnt) - c_cnt), c_cnt) + np.arange(total, dtype=np.int64)
        ii = e_c32[idx]
        del idx
        ok = (ii != jj) & _allowed(single_doc, ii, jj)
        pk, pc = np.unique(_pair_keys(ii[ok], jj[ok], n), return_counts=True)
        parts_k.append(pk)
        parts_c.append(pc)
        a = b
    if not parts_k:
        return None
    pk = np.concatenate(parts_k)
    pc = np.concatenate(parts_c)
    if len(parts_k) > 1:
        pk, inv = np.unique(pk, return_inverse=True)
        pc = np.bincount(inv, weights=pc, minlength=len(pk)).astype(np.int64)
    return pk, pc


def _short_core_pairs(norms: Sequence[str], lengths: np.ndarray, single_doc: np.ndarray, max_posting: int,
                      short_len: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Short cores (headings) share too little for the other blockers: pair those of at most
    ``short_len`` characters that share two bigrams (evidence: shared bigrams + 1)."""
    n = len(norms)
    short = np.flatnonzero(lengths <= short_len)
    if len(short) < 2:
        return []
    sub = [norms[i] for i in short]
    s_codes, s_starts = _codes(sub)
    bh = _gram_hashes(s_codes, 2)
    if not len(bh):
        return []
    p = np.arange(len(bh), dtype=np.int64)
    sc = np.searchsorted(s_starts, p, side="right") - 1
    ok = p - s_starts[sc] <= np.diff(s_starts)[sc] - 2
    b_h, b_c = bh[ok], short[sc[ok]].astype(np.int64)
    o = np.lexsort((b_c, b_h))
    b_h, b_c = b_h[o], b_c[o]
    first = np.r_[True, (b_h[1:] != b_h[:-1]) | (b_c[1:] != b_c[:-1])][: len(b_h)]  # none when no bigram fits
    pa, pb = _posting_pairs(b_h[first], b_c[first], max_posting)
    ok = _allowed(single_doc, pa, pb)
    pk, pc = np.unique(_pair_keys(pa[ok], pb[ok], n), return_counts=True)
    strong = pc >= 2
    return [(pk[strong], pc[strong].astype(np.int64) + 1)]


def _best_pairs(keys: np.ndarray, evs: np.ndarray, n: int, max_candidates: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair once with its best evidence; each core keeps its ``max_candidates`` best pairs
    (evidence, then the pair's order). ``(evidence, i, j)``, best first."""
    o = np.lexsort((-evs, keys))
    keys, evs = keys[o], evs[o]
    first = np.r_[True, keys[1:] != keys[:-1]]
    keys, evs = keys[first], evs[first]
    pi, pj = keys // n, keys % n
    node = np.concatenate([pi, pj])
    idx = np.concatenate([np.arange(len(keys))] * 2)
    o = np.lexsort((pj[idx], pi[idx], -evs[idx], node))
    node, idx = node[o], idx[o]
    start = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    rank = np.arange(len(node)) - np.repeat(start, np.diff(np.r_[start, len(node)]))
    kept = np.unique(idx[rank < max_candidates])
    pi, pj, evs = pi[kept], pj[kept], evs[kept]
    o = np.lexsort((pj, pi, -evs))
    return evs[o], pi[o], pj[o]


def candidate_pairs(
    units: Sequence[SentenceUnit],
    min_anchor: int = 4,
    window: int = 4,
    ngram: int = 6,
    min_shared: int = 6,
    max_df: int = 50,
    max_posting: int = 64,
    max_candidates: int = 4,
    key_chars: int = 24,
    short_len: int = 12,
) -> list[tuple[int, int, int]]:
    """Pairs of distinct sentence cores worth aligning, as ``(evidence, i, j)`` with ``i < j``: unit
    indices, each distinct core standing for all the units that share it (by its first unit).

    Units with the same core are one item: a sentence repeated in many documents costs one entry,
    and its copies do not crowd out its other partners. Pairs come from cheap blockers, never all
    pairs (items confined to one same document never pair):

    * clause openings: every clause start of every core, sorted by the next ``key_chars`` characters;
      each entry is compared with the next ``window`` entries; a common opening of ``min_anchor``
      characters makes a pair (evidence: its length);
    * clause endings: the same over reversed clause ends (``…总结如下`` meets ``…总结如下``);
    * rare n-grams: character ``ngram``-grams of each core's first and last clause (indexed when
      in at most ``max_posting`` cores and, beyond ``max_df`` cores, in at most ``max_df``
      documents), looked up from all n-grams of every core; ``min_shared`` shared grams make a pair
      (evidence: their count + n - 1; grams are 64-bit hashes, the hits expanded ``_CHUNK`` at a time);
    * short cores (at most ``short_len`` characters: headings) sharing two character bigrams (in
      postings of at most ``max_posting`` cores).

    Each core keeps its ``max_candidates`` best pairs, so the pairs grow linearly with the
    distinct cores. Digits are masked throughout; the n-gram tables are numpy arrays.
    """
    doc_index: dict[str, int] = {}
    docs = np.array([doc_index.setdefault(u.doc_id, len(doc_index)) for u in units], dtype=np.int32)
    dist = _Distinct.of([u.core for u in units], docs)
    firsts = dist._order[dist._bounds[:-1]] if len(dist.cores) else np.zeros(0, dtype=np.int32)
    ev, i, j = _core_pairs([_norm(c) for c in dist.cores], dist.single_doc,
                           lambda cs: dist.n_docs(cs.tolist()), min_anchor, window, ngram, min_shared,
                           max_df, max_posting, max_candidates, key_chars, short_len)
    return [(int(e), int(firsts[a]), int(firsts[b])) for e, a, b in zip(ev, i, j)]

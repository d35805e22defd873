"""Shingles, MinHash signatures, Jaccard estimates and LSH banding, vectorised over CSR set tables."""

from __future__ import annotations

import hashlib
from operator import methodcaller
from functools import lru_cache
from typing import Sequence

import numpy as np

from .hashing import fmix32 as _fmix32
from .codes import _BITS, _NON_WORD

__all__ = ["minhash_signatures", "shingle_sets", "shingles", "lsh_params", "band_ranges", "band_pairs"]


def shingles(text: str, k: int = 3) -> set[str]:
    """Character ``k``-grams of ``text`` with punctuation and whitespace removed."""
    t = _NON_WORD.sub("", text)
    if len(t) <= k:
        return {t} if t else set()
    return {t[i : i + k] for i in range(len(t) - k + 1)}


def shingle_sets(texts: Sequence[str], k: int = 3) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The :func:`shingles` of each text as sorted integer ids: ``(indptr, ids, vocabulary)``.

    Text ``i`` has the shingles ``vocabulary[j]`` for ``j`` in ``ids[indptr[i]:indptr[i+1]]``
    (ascending, distinct). For ``k <= 3`` the shingles are packed into integers with numpy (21
    bits per code point) and only the distinct ones become strings.
    """
    if k > 3:  # too long to pack: sets of strings
        sets = [shingles(t, k) for t in texts]
        words = sorted(set().union(*sets))
        index = {w: i for i, w in enumerate(words)}
        rows = [sorted(index[x] for x in st) for st in sets]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=indptr[1:])
        return indptr, np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1])), words
    norm = [_NON_WORD.sub("", t) for t in texts]
    lens = np.fromiter((len(t) for t in norm), dtype=np.int64, count=len(norm))
    counts = np.where(lens > k, lens - k + 1, (lens > 0).astype(np.int64))
    indptr = np.zeros(len(norm) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    joined = "".join(norm)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.zeros(len(norm), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    # position (in ``joined``) and width of every shingle
    row = np.repeat(np.arange(len(norm), dtype=np.int64), counts)
    pos = np.arange(int(indptr[-1]), dtype=np.int64) - indptr[row] + starts[row]
    width = np.minimum(lens, k)[row]
    packed = np.zeros(len(pos), dtype=np.uint64)
    padded = np.concatenate([codes, np.zeros(k, dtype=np.uint64)])
    for j in range(k):
        part = np.where(width > j, padded[pos + j], 0).astype(np.uint64)
        packed |= part << np.uint64(_BITS * (2 - j))
    del row, pos, width, padded
    uniq, inv = np.unique(packed, return_inverse=True)
    del packed
    # distinct per text and sorted: sort the (text, shingle) keys, drop repeats
    row = np.repeat(np.arange(len(norm), dtype=np.int64), counts)
    key = np.sort(row * len(uniq) + inv)
    del row, inv
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    width_u = max(len(uniq), 1)
    ids = key % width_u
    indptr = np.zeros(len(norm) + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // width_u, minlength=len(norm)), out=indptr[1:])
    # the distinct shingles as strings: unpack the code points, decode them all at once
    cps = np.stack([(uniq >> np.uint64(_BITS * (2 - j))) & np.uint64((1 << _BITS) - 1) for j in range(3)], axis=1)
    flat = cps.astype("<u4").tobytes().decode("utf-32-le")
    vocab = [flat[i : i + 3] for i in range(0, len(flat), 3)]
    short = np.flatnonzero(cps[:, 2] == 0).tolist()  # narrower than 3: padded with code point 0
    for i in short:
        vocab[i] = vocab[i].rstrip("\x00")
    return indptr, ids, vocab


def _sha1_hash32(words: Sequence[str]) -> np.ndarray:
    """datasketch's default shingle hash (the first 4 bytes of SHA-1, little-endian) of each word."""
    digests = b"".join(map(methodcaller("digest"), map(hashlib.sha1, map(str.encode, words))))
    return np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)[:, :4].copy().view("<u4").ravel()


def _affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutation parameters for ``seed``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash_signatures(
    indptr: np.ndarray, ids: np.ndarray, hashes: np.ndarray, num_perm: int = 64, seed: int = 1
) -> np.ndarray:
    """MinHash of each set of a CSR set table: ``(n, num_perm)`` uint32.

    Set ``i`` holds the elements ``ids[indptr[i]:indptr[i+1]]``, element ``j`` having the 32-bit
    hash ``hashes[j]``. The values are what ``datasketch.MinHash(num_perm, seed)`` (scheme
    ``affine32``) gives for the same hashes; an empty set gives all ``2**32 - 1``.
    """
    a, b = _affine32_permutations(num_perm, seed)
    n = len(indptr) - 1
    out = np.full((n, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    if not len(ids):
        return out
    rows = np.flatnonzero(np.diff(indptr) > 0)
    vals = _fmix32(hashes.astype(np.uint32))[ids]
    starts = indptr[rows]
    for j in range(num_perm):  # one permutation at a time: memory stays one value per element
        out[rows, j] = np.minimum.reduceat(vals * a[j] + b[j], starts)
    return out


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _jaccard_pairs(indptr: np.ndarray, ids: np.ndarray, left: np.ndarray, right: np.ndarray,
                   chunk: int = 1 << 16) -> np.ndarray:
    """Exact Jaccard similarity of the sets ``left[i]`` and ``right[i]`` of a CSR set table."""
    from scipy.sparse import csr_matrix

    n = len(indptr) - 1
    width = int(ids.max()) + 1 if len(ids) else 1
    m = csr_matrix((np.ones(len(ids), dtype=np.int32), ids, indptr), shape=(n, width))
    sizes = np.diff(indptr)
    out = np.empty(len(left), dtype=np.float64)
    for lo in range(0, len(left), chunk):
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        inter = np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()
        union = sizes[a] + sizes[b] - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            out[lo : lo + chunk] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    return out


def _band_pairs(sig: np.ndarray, bands: Sequence[tuple[int, int]], window: int) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of rows of ``sig`` equal on at least one band (LSH candidates).

    Within a bucket (rows equal on a band, in row order) each row is paired with the next
    ``window`` rows only, which bounds the pairs of a very large bucket.
    """
    n = len(sig)
    found = []
    for lo, hi in bands:
        key = np.ascontiguousarray(sig[:, lo:hi]).view(np.dtype((np.void, 4 * (hi - lo)))).ravel()
        order = np.argsort(key, kind="stable")
        ks = key[order]
        for d in range(1, window + 1):
            if d >= n:
                break
            same = ks[d:] == ks[:-d]
            if not same.any():
                break
            i = order[:-d][same]
            j = order[d:][same]
            found.append(np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def band_pairs(sig: np.ndarray, bands: Sequence[tuple[int, int]], window: int | None = None) -> np.ndarray:
    """LSH candidate pairs ``(i, j)``, ``i < j``: rows of ``sig`` equal on at least one band.

    ``window``: pair each row with at most this many following rows of its bucket (None: all).
    """
    return _band_pairs(sig, bands, max(len(sig) - 1, 1) if window is None else window)


def band_ranges(bands: int, rows: int) -> list[tuple[int, int]]:
    """Column ranges of ``bands`` bands of ``rows`` signature values each."""
    return [(i * rows, (i + 1) * rows) for i in range(bands)]


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive and false negative probabilities at
    ``threshold`` (the choice ``datasketch.MinHashLSH`` makes, so candidates match it)."""
    from scipy.integrate import quad

    def fp(b: int, r: int) -> float:
        return quad(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0]

    def fn(b: int, r: int) -> float:
        return quad(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)), threshold, 1.0)[0]

    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, int(num_perm / b) + 1):
            err = fp(b, r) * weights[0] + fn(b, r) * weights[1]
            if err < best:
                best, opt = err, (b, r)
    return opt

"""Near-duplicate search over short texts: shingles, MinHash LSH candidates, exact Jaccard check.

The one search both near-duplicate finders use (near-identical sentences for the section
outline, near-verbatim passages for reuse). Each text becomes the set of its character
``shingle``-grams (punctuation and whitespace removed); MinHash signatures (datasketch's
``affine32`` scheme with its SHA-1 shingle hash) are banded as ``datasketch.MinHashLSH`` bands
them, so the candidate pairs are those datasketch would propose; every candidate is then
checked by exact Jaccard similarity and kept when it reaches ``threshold``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .minhash import _jaccard_pairs, _sha1_hash32, band_pairs, band_ranges, lsh_params, minhash_signatures, shingle_sets

__all__ = ["NearPairs", "near_duplicate_pairs"]


@dataclass(frozen=True)
class NearPairs:
    """The near-duplicate pairs of a list of texts, and the shingle sets they were judged on.

    ``pairs``: ``(m, 2)`` int64 rows ``(i, j)``, ``i < j``, ascending; ``similarity``: the exact
    Jaccard similarity of each pair; ``indptr``/``ids``: text ``i``'s shingles as sorted ids
    ``ids[indptr[i]:indptr[i+1]]`` (a CSR set table).
    """

    pairs: np.ndarray
    similarity: np.ndarray
    indptr: np.ndarray
    ids: np.ndarray

    def shingle_ids(self, i: int) -> set[int]:
        """The shingle ids of text ``i``."""
        return set(self.ids[self.indptr[i] : self.indptr[i + 1]].tolist())


def near_duplicate_pairs(
    texts: Sequence[str],
    threshold: float,
    *,
    shingle: int = 3,
    num_perm: int = 64,
    seed: int = 1,
    window: int | None = None,
) -> NearPairs:
    """Pairs of ``texts`` whose ``shingle``-gram sets have Jaccard similarity ≥ ``threshold``.

    ``num_perm`` and ``seed`` set the MinHash permutations. ``window``: in an LSH bucket (texts
    equal on one band, in list order) pair each text with at most this many following ones
    (None: all), which bounds the work of a very large bucket. A pair that MinHash does not
    propose is not found (LSH recall is below 1 near ``threshold``); every pair returned is exact.
    """
    indptr, ids, vocab = shingle_sets(texts, shingle)
    sig = minhash_signatures(indptr, ids, _sha1_hash32(vocab), num_perm, seed)
    pairs = band_pairs(sig, band_ranges(*lsh_params(threshold, num_perm)), window)
    del sig
    sims = _jaccard_pairs(indptr, ids, pairs[:, 0], pairs[:, 1]) if len(pairs) else np.zeros(0)
    keep = sims >= threshold
    return NearPairs(pairs[keep], sims[keep], indptr, ids)

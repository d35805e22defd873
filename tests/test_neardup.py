"""The one near-duplicate search (kernels.neardup) both finders use."""

from itertools import combinations

import numpy as np

from gkcorpus.kernels.minhash import shingles
from gkcorpus.kernels.neardup import near_duplicate_pairs

TEXTS = [
    "坚持稳中求进工作总基调",
    "坚持稳中求进的工作总基调",
    "全面深化改革开放",
    "坚持稳中求进工作总基调！",
    "扎实推进乡村振兴战略",
    "全面深化改革扩大开放",
]


def _brute(texts, threshold):
    out = {}
    for i, j in combinations(range(len(texts)), 2):
        a, b = shingles(texts[i]), shingles(texts[j])
        jac = len(a & b) / len(a | b)
        if jac >= threshold:
            out[(i, j)] = jac
    return out


def test_pairs_are_the_exact_pairs_above_threshold():
    near = near_duplicate_pairs(TEXTS, 0.5, num_perm=64, seed=1)
    found = {tuple(p): s for p, s in zip(near.pairs.tolist(), near.similarity.tolist())}
    assert found == _brute(TEXTS, 0.5)
    assert sorted(found) == [(0, 1), (0, 3), (1, 3)]
    assert found[(0, 3)] == 1.0  # punctuation is not part of a shingle
    assert found[(0, 1)] == 7 / 12  # 9 and 10 shingles, 7 shared
    assert near.shingle_ids(0) == near.shingle_ids(3)
    assert len(near.shingle_ids(2)) == 6


def test_window_bounds_the_pairs_of_a_bucket():
    texts = ["坚持稳中求进工作总基调"] * 4
    assert near_duplicate_pairs(texts, 0.5).pairs.tolist() == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    assert near_duplicate_pairs(texts, 0.5, window=1).pairs.tolist() == [[0, 1], [1, 2], [2, 3]]


def test_no_texts_no_pairs():
    near = near_duplicate_pairs([], 0.8)
    assert near.pairs.shape == (0, 2)
    assert near.similarity.dtype == np.float64

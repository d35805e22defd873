"""Integer mixing for hashing on numpy arrays: MurmurHash3's finaliser, 32- and 64-bit."""

from __future__ import annotations

import numpy as np

__all__ = ["FMIX32", "FMIX64", "fmix", "fmix32", "fmix64"]

FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33))


def fmix(x: np.ndarray, consts: tuple) -> np.ndarray:
    """MurmurHash3's finaliser with the shifts and multipliers ``consts`` (32- or 64-bit ones)."""
    s1, m1, s2, m2, s3 = consts
    x = x ^ (x >> s1)
    x = x * m1
    x = x ^ (x >> s2)
    x = x * m2
    return x ^ (x >> s3)


def fmix32(x: np.ndarray) -> np.ndarray:
    """:func:`fmix` of uint32 values (wrapping arithmetic)."""
    return fmix(x, FMIX32)


def fmix64(x: np.ndarray) -> np.ndarray:
    """:func:`fmix` of uint64 values (wrapping arithmetic)."""
    return fmix(x, FMIX64)

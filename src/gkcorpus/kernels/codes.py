"""Text as integer arrays: code masks, index dtypes, spans and stable ids."""

from __future__ import annotations

import hashlib
import re
from typing import Callable, Iterable

import numpy as np

__all__ = ["stable_id", "merge_spans", "code_mask", "CLAUSE_DELIMITERS"]


CLAUSE_DELIMITERS = "，。；！？：,;!?:"
_STRIP_START = CLAUSE_DELIMITERS + "、 \u3000"
_STRIP_END = "，、：,: \u3000"
SEP_BASE = 0x110000  # above every Unicode code point: separator symbols start here
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_BITS = 21  # bits per code point when a short shingle is packed into one integer


def stable_id(prefix: str, text: str) -> str:
    """A short id from a hash of ``text``: the same text gives the same id in every run."""
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of half-open spans, sorted and non-overlapping."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def code_mask(codes: np.ndarray, predicate: Callable[[str], bool], separators: bool = True) -> np.ndarray:
    """``predicate(chr(c))`` for every code of ``codes``, evaluated once per distinct character;
    separator symbols (``>= SEP_BASE``) give ``separators``."""
    is_sep = codes >= SEP_BASE
    seen = np.zeros(SEP_BASE, dtype=bool)
    seen[codes[~is_sep]] = True
    distinct = np.flatnonzero(seen)
    table = np.zeros(SEP_BASE, dtype=bool)
    table[distinct] = np.fromiter((bool(predicate(chr(c))) for c in distinct.tolist()), dtype=bool,
                                  count=len(distinct))
    out = table[np.where(is_sep, 0, codes)]
    out[is_sep] = separators
    return out


def _char_set_mask(codes: np.ndarray, chars: str) -> np.ndarray:
    """Per code: one of ``chars`` (separators never are); a table lookup, not a search."""
    table = np.zeros(SEP_BASE + 1, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table[np.minimum(codes, SEP_BASE)]


def _index_dtype(n: int) -> type:
    return np.int32 if n < np.iinfo(np.int32).max - 2 else np.int64

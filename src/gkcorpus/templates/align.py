"""Alignment of two sentences: matching runs of characters, and the pieces they leave."""

from __future__ import annotations

import difflib
from typing import Any, Callable, Sequence

from .blocking import _norm
from .units import _CLAUSE_SET, _KEEP_SINGLE, _SENT_A, _SENT_B

# =========================================================================== alignment


class _Identity:
    """Offsets of a character-mode encoding: position i is character i."""

    def __getitem__(self, i: int) -> int:
        return i


_IDENTITY: Any = _Identity()


class _Encoder:
    """Turns texts into alignment strings: characters (digits masked) or jieba tokens (one code each)."""

    def __init__(self, mode: str, tokenize: Callable[[str], list[str]] | None):
        if mode not in ("char", "token"):
            raise ValueError(f"align must be 'char' or 'token', not {mode!r}")
        self.mode = mode
        self.tokenize = tokenize
        self._codes: dict[str, str] = {}

    def encode(self, text: str) -> tuple[str, list[int]]:
        """``(alignment string, char offset of each position + end)``."""
        if self.mode == "char":
            return _norm(text), _IDENTITY
        toks = self.tokenize(text) if text else []
        out, offs, pos = [], [], 0
        for t in toks:
            if not t:
                continue
            key = _norm(t)
            code = self._codes.get(key)
            if code is None:
                code = self._codes[key] = chr(0xF0000 + len(self._codes) % 0xFFFD)
            out.append(code)
            offs.append(pos)
            pos += len(t)
        offs.append(pos)
        return "".join(out), offs

    def encode_pieces(self, pieces: Sequence[str], sentinel: str, open_start: bool, open_end: bool) -> tuple[str, list[int], str]:
        """Encode a template: pieces joined by sentinels (one per slot, and at open ends)."""
        if self.mode == "char":  # one code per character: offsets are the identity
            text = sentinel.join(pieces)
            if open_start:
                text = sentinel + text
            if open_end:
                text += sentinel
            return _norm(text), _IDENTITY, text
        parts: list[str] = []
        offs: list[int] = []
        text = ""
        if open_start:
            parts.append(sentinel)
            offs.append(0)
            text += sentinel
        for k, p in enumerate(pieces):
            if k > 0:
                parts.append(sentinel)
                offs.append(len(text))
                text += sentinel
            s, o = self.encode(p)
            parts.append(s)
            offs.extend(len(text) + o[x] for x in range(len(s)))
            text += p
        if open_end:
            parts.append(sentinel)
            offs.append(len(text))
            text += sentinel
        offs.append(len(text))
        return "".join(parts), offs, text


def _matching_runs(a_code: str, b_code: str, aligner: str) -> list[tuple[int, int, int]]:
    """Common runs ``(i, j, n)`` of two alignment strings, in order.

    ``"lcs"``: a longest common subsequence (rapidfuzz, C++); ``"difflib"``: the standard library's
    longest-block-first matcher (about 100-200x slower, slightly different on ties).
    """
    if aligner == "lcs":
        try:
            from rapidfuzz.distance import LCSseq
        except ImportError:  # pragma: no cover - rapidfuzz is a dependency
            import warnings

            warnings.warn("rapidfuzz is not installed: aligning with difflib (slower, slightly different templates)",
                          RuntimeWarning, stacklevel=3)
            aligner = "difflib"
        else:
            if a_code == b_code:
                return [(0, 0, len(a_code))] if a_code else []
            return [(m.a, m.b, m.size) for m in LCSseq.editops(a_code, b_code).as_matching_blocks() if m.size]
    if aligner != "difflib":
        raise ValueError(f"aligner must be 'lcs' or 'difflib', not {aligner!r}")
    sm = difflib.SequenceMatcher(None, a_code, b_code, autojunk=False)
    return [(i, j, n) for i, j, n in sm.get_matching_blocks() if n]


def _blocks(a_code: str, a_off: list[int], a_text: str, b_code: str, b_off: list[int], b_text: str,
            min_block: int, aligner: str = "lcs") -> list[tuple[int, int, int]]:
    """Matched character runs ``(a_start, b_start, length)`` of two encoded texts, cleaned up.

    Runs that differ in their raw characters (masked digits) are split; runs shorter than
    ``min_block`` characters are dropped unless they are a bracket/quote or anchor both starts.
    """
    runs = _matching_runs(a_code, b_code, aligner)
    if a_off is not _IDENTITY or b_off is not _IDENTITY:  # tokens: runs of tokens to runs of characters
        runs = [(a_off[i], b_off[j], a_off[i + n] - a_off[i]) for i, j, n in runs
                if a_off[i + n] - a_off[i] == b_off[j + n] - b_off[j]]
    out: list[tuple[int, int, int]] = []
    for a0, b0, n in runs:
        if a_text[a0:a0 + n] == b_text[b0:b0 + n]:
            out.append((a0, b0, n))
            continue
        run_start = -1
        for k in range(n + 1):
            if k < n and a_text[a0 + k] == b_text[b0 + k]:
                if run_start < 0:
                    run_start = k
            elif run_start >= 0:
                out.append((a0 + run_start, b0 + run_start, k - run_start))
                run_start = -1
    return [(a, b, n) for a, b, n in out
            if n >= min_block or (a == 0 and b == 0) or a_text[a:a + n] in _KEEP_SINGLE]


def _pieces_from_blocks(blocks: list[tuple[int, int, int]], a_text: str, a_len: int, b_len: int) -> list[str]:
    """Fixed pieces between slots: ``pieces[0]`` is empty when the frame starts with a slot, etc."""
    if not blocks:
        return []
    pieces: list[str] = []
    cur = ""
    prev_a, prev_b = 0, 0
    first = True
    for a, b, n in blocks:
        gap = a > prev_a or b > prev_b
        if first:
            if gap:
                pieces.append("")
            cur = a_text[a:a + n]
            first = False
        elif gap:
            pieces.append(cur)
            cur = a_text[a:a + n]
        else:
            cur += a_text[a:a + n]
        prev_a, prev_b = a + n, b + n
    pieces.append(cur)
    if prev_a < a_len or prev_b < b_len:
        pieces.append("")
    return [p.replace(_SENT_A, "").replace(_SENT_B, "") for p in pieces]


def _clean_pieces(pieces: list[str], min_piece: int) -> list[str]:
    """Absorb short interior fixed fragments (``{A}的{B}`` -> ``{A}``); keep brackets and clause marks."""
    if len(pieces) <= 2:
        return pieces
    out = [pieces[0]]
    for k in range(1, len(pieces) - 1):
        p = pieces[k]
        if len(p) < min_piece and not (set(p) & (_KEEP_SINGLE | _CLAUSE_SET)):
            continue  # drop the piece: its two slots merge
        out.append(p)
    out.append(pieces[-1])
    return out

"""Contiguous phrases: maximal repeats cut at word edges and scored by boundary entropy; quoted slogans."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from ...kernels.suffix import _spans_groups
from ...kernels.suffix import SuffixArray
from .records import (
    _BAD_END,
    _BAD_START,
    _csr_gather,
    _grouped_entropies,
    _HAN,
    _is_evaluative,
    _Item,
    _Occ,
    _ONE_CHAR_END,
    _ONE_CHAR_START,
    _QUOTE,
    _Tokens,
    Phrase,
)

class _ContiguousPhrases:
    """The contiguous phrases of :class:`PhraseMiner`: maximal repeats cut at word edges, scored by
    boundary entropy; and quoted slogans."""

    def _subwords(self, word: str) -> list[str]:
        """A long dictionary word split in two dictionary words, closest to the middle (体制改革 ->
        体制 改革), so that jieba's fixed expressions (tag ``l``) are judged by their parts."""
        n = len(word)
        for i in sorted(range(1, n), key=lambda i: (abs(n / 2 - i), i)):
            if word[:i] in self._tags and word[i:] in self._tags:
                return [word[:i], word[i:]]
        return [word]

    # ---- contiguous phrases
    def _contiguous(self, toks: _Tokens) -> list[Phrase]:
        """Word n-grams read off the LCP intervals of the token suffix array.

        Cheap tests run on all intervals at once (length, characters, edges, left-maximality,
        documents); boundary entropies are computed with numpy in the exact floats of the
        one-by-one formula; cohesion is screened with numpy and recomputed exactly for the intervals
        that pass; the character-level occurrences, entropies and statistics of the survivors are
        computed in one batch.
        """
        sa = SuffixArray(toks.ids)
        L, LB, RB = sa.intervals(1, self.max_tokens)  # in the bottom-up order of an LCP-interval walk
        if not len(L):
            return []
        idx = self._plausible_intervals(sa, toks, L, LB, RB)
        # boundary entropy over words (exact values, vectorised)
        h_right = self._right_entropy_exact(sa, toks, L, LB, RB, idx)
        h_left = self._left_entropy(sa, toks, LB, RB, idx, exact=True)
        good = np.minimum(h_left, h_right) >= self.min_entropy
        idx, h_left, h_right = idx[good], h_left[good], h_right[good]
        survivors, cohesion_of = self._cohesive(sa, toks, L, LB, RB, idx)
        if not survivors:
            return []
        return self._contiguous_phrases(sa, toks, L, LB, idx[survivors], h_left[survivors], h_right[survivors],
                                        cohesion_of)

    def _plausible_intervals(self, sa: SuffixArray, toks: _Tokens, L: np.ndarray, LB: np.ndarray,
                             RB: np.ndarray) -> np.ndarray:
        """The intervals that pass the cheap tests, all at once: frequency, characters, one clause
        of one document, a content word first, left-maximal, in two documents (``min_df``), and no
        function word or stray single character at either edge."""
        n_tok = len(toks.ids)
        words = toks.words
        tf = RB - LB + 1
        first = sa.sa[LB]
        last_tok = np.minimum(first + L - 1, n_tok - 1)
        chars = toks.end[last_tok] - toks.start[first]
        keep = (tf >= self.min_tf) & (chars >= self.min_chars) & (chars <= self.max_chars)
        keep &= toks.content[first] & (toks.doc[last_tok] == toks.doc[first])
        keep &= toks.clause[last_tok] == toks.clause[first]  # no separator inside
        idx = np.flatnonzero(keep)
        idx = idx[sa.left_diverse(LB[idx], RB[idx]) & _spans_groups(toks.doc[sa.sa], LB[idx], RB[idx])]
        bad_start = np.array([w in _BAD_START or (len(w) < 2 and w not in _ONE_CHAR_START) for w in words], dtype=bool)
        bad_end = np.array([w in _BAD_END or (len(w) < 2 and w not in _ONE_CHAR_END) for w in words], dtype=bool)
        idx = idx[~bad_start[toks.ids[first[idx]]] & ~bad_end[toks.ids[last_tok[idx]]]]
        if self.min_df > 2:
            idx = np.array([k for k in idx.tolist()
                            if len(np.unique(toks.doc[sa.sa[LB[k] : RB[k] + 1]])) >= self.min_df], dtype=np.int64)
        return idx

    def _cohesive(self, sa: SuffixArray, toks: _Tokens, L: np.ndarray, LB: np.ndarray, RB: np.ndarray,
                  idx: np.ndarray) -> tuple[list[int], dict[int, float]]:
        """The rows of ``idx`` whose cohesion (the smallest PMI of a split into two parts) reaches
        ``min_cohesion``, and the cohesion of each multi-word one (by interval).

        A numpy screen with a small margin first; the exact floats of the one-by-one formula only
        for the rows that pass it."""
        margin = 1e-9
        tf = RB - LB + 1
        n_tokens = int(toks.content.sum())
        unigram = np.bincount(toks.ids[toks.content], minlength=len(toks.words))
        counts = self._split_counts(sa, toks, unigram, L, LB, idx)  # (row, split) -> counts of the two parts
        coh_fast = np.full(len(idx), np.inf)
        for j, (a_cnt, b_cnt) in counts.items():
            live = L[idx] > j
            with np.errstate(divide="ignore"):
                pmi = np.log2(tf[idx] * float(n_tokens) / (a_cnt * b_cnt))
            coh_fast = np.where(live, np.minimum(coh_fast, pmi), coh_fast)
        passed = np.flatnonzero((L[idx] == 1) | (coh_fast >= self.min_cohesion - margin))
        survivors, cohesion_of = [], {}
        for r in passed.tolist():
            k = int(idx[r])
            length = int(L[k])
            if length > 1:
                f = int(tf[k])
                cohesion = min(math.log2(f * n_tokens / (int(counts[j][0][r]) * int(counts[j][1][r])))
                               for j in range(1, length))
                if cohesion < self.min_cohesion:
                    continue
                cohesion_of[k] = cohesion
            survivors.append(r)
        return survivors, cohesion_of

    def _contiguous_phrases(self, sa: SuffixArray, toks: _Tokens, L: np.ndarray, LB: np.ndarray, sel: np.ndarray,
                            h_left: np.ndarray, h_right: np.ndarray, cohesion_of: dict[int, float]) -> list[Phrase]:
        """The phrases of intervals ``sel``: every occurrence of each one's text at the character
        level, whose boundary entropy must hold too (公开工 inside 公开工作 fails), in one batch."""
        words = toks.words
        p0 = sa.sa[LB[sel]]
        texts = ["".join(words[i] for i in toks.ids[p : p + int(n)].tolist())
                 for p, n in zip(p0.tolist(), L[sel].tolist())]
        gpos = toks.start[p0].astype(np.int64)
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        occ = self._find_many(gpos, lengths)
        c_left, c_right = self._char_entropies(occ)
        items: list[_Item] = []
        for r, k in enumerate(sel.tolist()):
            hl, hr = min(float(h_left[r]), float(c_left[r])), min(float(h_right[r]), float(c_right[r]))
            if min(hl, hr) < self.min_entropy:
                items.append(_Item(("",), 0.0, skip=True))
                continue  # a fragment at the character level (公开工 inside 公开工作)
            text = texts[r]
            ws = [words[i] for i in toks.ids[int(p0[r]) : int(p0[r]) + int(L[k])].tolist()]
            term = not (self.keep_terms or self._is_predicate(ws) or _is_evaluative(text))
            items.append(_Item((text,), min(1.0, min(hl, hr) / 2.0), require_position=term,
                               stats={"cohesion": cohesion_of.get(k), "left_entropy": hl, "right_entropy": hr}))
        live = np.array([not it.skip for it in items], dtype=bool)
        made = self._make_many("contiguous", [it for it in items if not it.skip], occ.select(live))
        return [p for p in made if p is not None]

    def _left_entropy(self, sa: SuffixArray, toks: _Tokens, LB: np.ndarray, RB: np.ndarray, idx: np.ndarray,
                      exact: bool) -> np.ndarray:
        """Entropy of the word before the occurrences of each interval of ``idx`` (in rank order)."""
        sizes = (RB[idx] - LB[idx] + 1).astype(np.int64)
        ranks, rows = _csr_gather(LB[idx], sizes)
        symbols = toks.ids[sa.sa[ranks] - 1]
        return _grouped_entropies(rows, symbols.astype(np.int64), len(idx), exact)

    def _right_entropy_exact(self, sa: SuffixArray, toks: _Tokens, L: np.ndarray, LB: np.ndarray, RB: np.ndarray,
                             idx: np.ndarray) -> np.ndarray:
        sizes = (RB[idx] - LB[idx] + 1).astype(np.int64)
        ranks, rows = _csr_gather(LB[idx], sizes)
        nxt = np.minimum(sa.sa[ranks].astype(np.int64) + L[idx][rows], len(toks.ids) - 1)
        return _grouped_entropies(rows, toks.ids[nxt].astype(np.int64), len(idx), True)

    def _split_counts(self, sa: SuffixArray, toks: _Tokens, unigram: np.ndarray, L: np.ndarray, LB: np.ndarray,
                      idx: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """For each split ``j`` of the intervals ``idx``: occurrences of the first ``j`` words and of
        the rest (0 where the interval is not longer than ``j``)."""
        n = len(sa.sa)
        p0 = sa.sa[LB[idx]].astype(np.int64)
        lens = L[idx].astype(np.int64)
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        queries: dict[int, list[tuple[int, int, np.ndarray]]] = defaultdict(list)  # level -> (j, side, rows)
        for j in range(1, self.max_tokens):
            rows = np.flatnonzero(lens > j)
            out[j] = (np.zeros(len(idx), dtype=np.int64), np.zeros(len(idx), dtype=np.int64))
            if not len(rows):
                continue
            queries[j].append((j, 0, rows))
            for m in np.unique(lens[rows] - j).tolist():
                queries[m].append((j, 1, rows[lens[rows] - j == m]))
        isa = sa.isa
        lcp = sa.lcp[: n - 1]
        for m, qs in sorted(queries.items()):
            if m == 1:
                for j, side, rows in qs:
                    pos = p0[rows] if side == 0 else p0[rows] + j
                    out[j][side][rows] = unigram[toks.ids[pos]]
                continue
            cuts = np.flatnonzero(lcp < m)  # rank k and k + 1 differ within their first m words
            for j, side, rows in qs:
                pos = p0[rows] if side == 0 else p0[rows] + j
                r = isa[pos].astype(np.int64)
                c = np.searchsorted(cuts, r, side="left")
                lo = np.where(c > 0, cuts[np.maximum(c - 1, 0)] + 1, 0)
                hi = np.where(c < len(cuts), cuts[np.minimum(c, len(cuts) - 1)], n - 1)
                out[j][side][rows] = hi - lo + 1
        return out

    def _find_many(self, gpos: np.ndarray, lengths: np.ndarray) -> "_Occ":
        """Every occurrence (character level) of the text at global position ``gpos[i]`` of length
        ``lengths[i]``, for all ``i`` at once: rank ranges read off the LCP array level by level."""
        ix = self._index
        n = len(ix.sa)
        lo = np.zeros(len(gpos), dtype=np.int64)
        hi = np.zeros(len(gpos), dtype=np.int64)
        lcp = ix.lcp[: n - 1]
        ranks = ix.isa[gpos].astype(np.int64)
        for m in np.unique(lengths).tolist():
            rows = np.flatnonzero(lengths == m)
            cuts = np.flatnonzero(lcp < m)
            c = np.searchsorted(cuts, ranks[rows], side="left")
            lo[rows] = np.where(c > 0, cuts[np.maximum(c - 1, 0)] + 1, 0)
            hi[rows] = np.where(c < len(cuts), cuts[np.minimum(c, len(cuts) - 1)], n - 1)
        sizes = hi - lo + 1
        r, item = _csr_gather(lo, sizes)
        g = ix.sa[r].astype(np.int64)
        doc = ix.doc_of(g)
        start = g - ix.doc_starts[doc]
        return _Occ.of(item, doc, start, start + lengths[item], len(gpos), ix.doc_starts)

    def _char_entropies(self, occ: "_Occ") -> tuple[np.ndarray, np.ndarray]:
        """Left and right boundary entropy (bits) over characters of each item; punctuation and text
        edges are fresh symbols (the same floats as counting them one by one)."""
        codes = self._index.codes
        alnum = self._alnum
        fresh = -1 - np.arange(len(occ.gs), dtype=np.int64)
        before = occ.gs - 1
        left = np.where(alnum[before], codes[before].astype(np.int64), fresh)
        right = np.where(alnum[occ.ge], codes[occ.ge].astype(np.int64), fresh)
        return (_grouped_entropies(occ.item, left, occ.n_items, True),
                _grouped_entropies(occ.item, right, occ.n_items, True))

    # ---- quoted slogans
    def _slogans(self) -> list[Phrase]:
        seen: dict[str, tuple[int, int]] = {}
        for d, doc in enumerate(self._docs):
            for m in _QUOTE.finditer(doc.text):
                t = m.group(1)
                if len(_HAN.findall(t)) >= self.min_chars and t not in seen:
                    seen[t] = (d, m.start(1))
        if not seen:
            return []
        found = sorted(seen.items())
        ix = self._index
        gpos = np.array([int(ix.doc_starts[d]) + s for _, (d, s) in found], dtype=np.int64)
        occ = self._find_many(gpos, np.array([len(t) for t, _ in found], dtype=np.int64))
        made = self._make_many("slogan", [_Item((t,), 1.0) for t, _ in found], occ)
        return [p for p in made if p is not None]

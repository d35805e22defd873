"""Gapped formulae (现将…总结如下, 按照…要求): attracted word pairs in one clause with varying fillers,
grown outwards by the words most matches share, counted exactly over the characters. A mixin of
:class:`~gkcorpus.boilerplate.phrases.formula_miner.FormulaMiner`, which holds the fitted state it reads."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Sequence

import numpy as np

from ...kernels.repeats import char_mask as _isin_chars
from .formula_kinds import gapped_lead_has_kind, starts_with_enumerator
from .formula_records import _CLAUSE_BREAK, _FUNC_END, _HAN_RE, _PARTICLES, _gap_regex

__all__: list[str] = []

_HAN_WORD = re.compile(_HAN_RE.pattern + "+")  # a word of Han characters only
_BREAK_CHAR = re.compile(f"[{re.escape(_CLAUSE_BREAK)}]")


class _GappedFormulae:
    """The gapped half of the formula miner (reads the miner's word ids, offsets and text index)."""

    # ---- gapped candidates
    def _gapped_candidates(self) -> list[dict[str, Any]]:
        """Gapped formulae: attracted word pairs in one clause with varying fillers, grown outwards,
        then counted exactly over the characters (see the module docstring)."""
        words = self._tok_words
        ids = self._tok_ids
        nw = len(words)
        if len(ids) < 3 or nw < 2:
            return []
        wlen = np.array([len(w) for w in words], dtype=np.int64)
        han_word, break_char = _HAN_WORD.fullmatch, _BREAK_CHAR.search
        is_han = np.fromiter((han_word(w) is not None for w in words), dtype=bool, count=nw)
        particle = np.fromiter((w in _PARTICLES for w in words), dtype=bool, count=nw)
        breaker = np.fromiter((break_char(w) is not None for w in words), dtype=bool, count=nw)
        anchor_word = is_han & (wlen >= 2) & ~particle
        clause = np.cumsum(breaker[ids])
        apos = np.flatnonzero(anchor_word[ids])
        if len(apos) < 2:
            return []
        seeds = self._pair_seeds(apos, clause)
        if seeds is None:
            return []
        return self._grow_seeds(seeds, apos, clause, is_han & ~breaker, particle)

    def _pair_seeds(self, apos: np.ndarray, clause: np.ndarray) -> tuple[np.ndarray, ...] | None:
        """Attracted anchor pairs within ``max_gap`` anchors of one clause, in ``min_df`` documents,
        whose fillers vary: (pair ids, first word, second word, matches grouped by pair, group starts,
        group ends, first-anchor index of each match); ``None`` when there is none."""
        import pandas as pd

        ids, nw = self._tok_ids, len(self._tok_words)
        aid, acl = ids[apos], clause[apos]
        adoc = self._doc_at[self._tok_gs[apos]]
        cnt = np.bincount(aid, minlength=nw)
        keys, firsts, fills = [], [], []
        for k in range(1, self.max_gap + 1):
            if k >= len(apos):
                break
            dist = apos[k:] - apos[:-k]
            ok = (dist <= self.max_gap + 1) & (acl[k:] == acl[:-k])
            if not ok.any():
                break
            i = np.flatnonzero(ok)
            keys.append(aid[i] * nw + aid[i + k])
            firsts.append(i.astype(np.int32) if len(apos) < 2**31 else i)
            after = np.where(dist[i] > 1, ids[np.minimum(apos[i] + 1, len(ids) - 1)], -1)
            fill = dist[i] * (nw + 1) + after + 1  # a filler's identity: its length and first word
            fills.append(fill.astype(np.int32) if (self.max_gap + 2) * (nw + 1) < 2**31 else fill)
        if not keys:  # no two anchor words share a clause: no gapped candidates
            return None
        # (one list of arrays at a time joined and dropped: at 30 M characters each is some 300 MB)
        key = np.concatenate(keys)
        del keys
        # pairs numbered by hashing, in order of first appearance (nothing below depends on their order)
        inv, uk = pd.factorize(key, sort=False)
        del key
        inv = inv.astype(np.int64, copy=False)
        first = np.concatenate(firsts)
        del firsts
        fill = np.concatenate(fills)
        del fills
        n_pair = np.bincount(inv, minlength=len(uk))
        a_of, b_of = uk // nw, uk % nw
        expected = cnt[a_of] * cnt[b_of] * self.max_gap / len(apos)
        good = (n_pair / np.maximum(expected, 1e-9) >= self.min_attraction)
        # one word predicts the other in min_prediction of its uses -- or the first is a preposition
        # and the second its commonest partner: a preposition takes many different objects, so no
        # partner reaches a share of its uses, yet the commonest one makes its set frame (根据…部署)
        top_a = np.zeros(nw, dtype=np.int64)
        np.maximum.at(top_a, a_of, n_pair)
        prep = np.array([self._tags.get(w) == "p" for w in self._tok_words], dtype=bool)
        good &= (np.maximum(n_pair / cnt[a_of], n_pair / cnt[b_of]) >= self.min_prediction) \
            | (prep[a_of] & (n_pair == top_a[a_of]))
        good &= n_pair >= self.min_df_gapped_
        sel = good[inv]
        D = self.n_docs_ + 1
        dk = pd.unique(inv[sel] * D + adoc[first[sel]])
        good &= np.bincount(dk // D, minlength=len(uk)) >= self.min_df_gapped_
        sel = good[inv]
        width = int(fill.max()) + 1
        fk, fc = np.unique(inv[sel].astype(np.int64) * width + fill[sel], return_counts=True)
        top = np.zeros(len(uk), dtype=np.int64)
        np.maximum.at(top, fk // width, fc)
        good &= top * 2 <= n_pair  # no filler (nor the empty one) in more than half of the matches
        seeds = np.flatnonzero(good)
        if not len(seeds):
            return None
        sel = np.flatnonzero(good[inv])
        order = sel[np.argsort(inv[sel], kind="stable")]
        bounds = np.searchsorted(inv[order], seeds, side="left")
        ends = np.searchsorted(inv[order], seeds, side="right")
        return seeds, a_of, b_of, order, bounds, ends, first

    def _grow_seeds(self, seed_info: tuple[np.ndarray, ...], apos: np.ndarray, clause: np.ndarray,
                    han_word: np.ndarray, particle: np.ndarray) -> list[dict[str, Any]]:
        """Each seed pair grown by up to two words before its first anchor and one after its second
        that at least 80% of its matches share (Han words, no particles, same clause); all seeds at
        once (a word shared by 80% of the matches is their only commonest word)."""
        seeds, a_of, b_of, order, bounds, ends, first = seed_info
        words, ids = self._tok_words, self._tok_ids
        n_tok = len(ids)
        sizes = ends - bounds
        seg = np.repeat(np.arange(len(seeds)), sizes)  # each match's seed
        at = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes) \
            + np.repeat(bounds, sizes)
        ta = apos[first[order[at]]]  # token index of the first anchor in each match
        lead = np.cumsum(sizes) - sizes  # each seed's first match
        a_word, b_word = a_of[seeds], b_of[seeds]
        tb = self._partners(ta, b_word[seg])  # the second anchor's token: the nearest word b after it
        need = 0.8 * sizes
        grown: list[np.ndarray] = []
        alive = np.ones(len(seeds), dtype=bool)  # still growing leftwards
        for step in (1, 2):
            j = ta - step
            alive &= np.bincount(seg, weights=(j < 0), minlength=len(seeds)) == 0
            w, c = _segment_mode(seg, np.maximum(j, 0), ids, len(seeds), len(words))
            jl = np.maximum(j[lead], 0)
            alive &= (c >= need) & han_word[w] & ~particle[w] & (clause[jl] == clause[ta[lead]])
            grown.append(np.where(alive, w, -1))
        j = tb + 1
        ok = np.bincount(seg, weights=(j >= n_tok), minlength=len(seeds)) == 0
        w, c = _segment_mode(seg, np.minimum(j, n_tok - 1), ids, len(seeds), len(words))
        ok &= (c >= need) & han_word[w] & ~particle[w]
        right_w = np.where(ok, w, -1)
        out: dict[tuple[str, str], None] = {}
        for a, b, l1, l2, r in zip(a_word.tolist(), b_word.tolist(), grown[0].tolist(), grown[1].tolist(),
                                   right_w.tolist()):
            left = words[a]
            if l1 >= 0:
                left = words[l1] + left
                if l2 >= 0:
                    left = words[l2] + left
            right = words[b]
            if r >= 0 and words[r][-1] not in _FUNC_END:
                right = right + words[r]
            out.setdefault((left, right), None)
        return [{"parts": p} for p in out]

    def _partners(self, ta: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Token index of the first word ``b[i]`` after each token index ``ta[i]`` (the last one when
        none follows): one search in the tokens sorted by word, then position."""
        ids = self._tok_ids
        n = len(ids)
        order = np.argsort(ids, kind="stable")
        key = ids[order] * n + order  # ascending: by word, then position
        ends = np.searchsorted(ids[order], np.arange(len(self._tok_words) + 1), side="left")[1:]
        k = np.minimum(np.searchsorted(key, b * n + ta, side="right"), ends[b] - 1)
        return order[k]

    def _count_gapped(self, patterns: Sequence[tuple[str, ...]]) -> list[dict[str, Any]]:
        """Exact matches of the gapped patterns, as ``re.finditer`` of ``pattern`` finds them: the
        first anchor, then the nearest second anchor at most ``max_gap_chars`` characters on, no
        clause break between. Kept when the fillers vary (none in more than half of the matches) and
        the matches are not mostly inside those of a pattern already kept (frequent patterns first)."""
        ix = self._ix
        s = ix.string
        brk = np.zeros(len(ix.codes) + 1, dtype=np.int64)
        np.cumsum(_isin_chars(ix.codes, _CLAUSE_BREAK) | (ix.codes >= 0x110000), out=brk[1:])
        patterns = [(a, b) for a, b in patterns
                    if (a not in self._tags or gapped_lead_has_kind(self._tags[a])) and not starts_with_enumerator((a,))]
        # (no second anchor would give the others a kind: they would be dropped once counted; a lead the
        # dictionary lacks may be a noun compound before a quantity, whose kind needs the second anchor)
        self._found = self._find_words({t for p in patterns for t in p})
        self._find_all({t for p in patterns for t in p})
        first_pass = []
        for a, b in patterns:
            starts, stops = self._gap_matches(a, b, brk)
            if len(starts) < self.min_df_gapped_:
                continue
            grown = self._grown_anchor(s, stops)
            inner = self._inner_word(s, starts, stops, len(a), len(b))
            first_pass.append((a, b, starts, stops, inner + b + grown if grown or inner else ""))
        self._find_all({b2 for *_, b2 in first_pass if b2})
        counted = []
        done: set[tuple[str, str]] = set()
        for a, b, starts, stops, b2 in first_pass:
            if b2:
                b = b2
                starts, stops = self._gap_matches(a, b, brk)
                if len(starts) < self.min_df_gapped_:
                    continue
            if (a, b) in done:
                continue
            done.add((a, b))
            entry = self._gapped_entry(a, b, starts, stops)
            if entry is not None:
                counted.append(entry)
        del self._found
        return self._drop_covered(counted)

    def _find_words(self, texts: set[str]) -> dict[str, np.ndarray]:
        """Sorted global positions of every occurrence of each text that is one word of the
        segmentation, all at once: the suffix-array range of one of its tokens, expanded to the
        suffixes sharing its characters (what a binary search per text finds)."""
        index = {w: i for i, w in enumerate(self._tok_words)}
        words = sorted(t for t in texts if t in index and _HAN_RE.fullmatch(t[0]) and all(_HAN_RE.match(c) for c in t))
        if not words:
            return {}
        ids = self._tok_ids
        first = np.full(len(self._tok_words), -1, dtype=np.int64)
        first[ids[::-1]] = np.arange(len(ids) - 1, -1, -1)  # each word's first token
        pos = self._tok_gs[first[[index[w] for w in words]]]
        lo, hi = self._rmq.expand(self._ix.isa[pos], np.array([len(w) for w in words], dtype=np.int64))
        sa = self._ix.sa
        return {w: np.sort(sa[a: z + 1]).astype(np.int64) for w, a, z in zip(words, lo.tolist(), hi.tolist())}

    def _find_all(self, texts: set[str]) -> None:
        """Occurrences of the texts not yet found, all at once (sorted global positions)."""
        todo = sorted(t for t in texts if t not in self._found)
        for t, pos in zip(todo, self._ix.find_texts(todo)):
            self._found[t] = pos.astype(np.int64)

    def _gap_matches(self, a: str, b: str, brk: np.ndarray) -> tuple[list[int], list[int]]:
        """Non-overlapping matches (global start, end) of ``a``, filler, ``b`` (``brk``: clause numbers)."""
        found = self._found
        pa, pb = found[a], found[b]
        if len(pa) < self.min_df_gapped_ or not len(pb):
            return [], []
        k = np.searchsorted(pb, pa + len(a))
        has = k < len(pb)
        pa, nb = pa[has], pb[k[has]]
        ok = (nb - pa - len(a) <= self.max_gap_chars) & (brk[nb] == brk[pa + len(a)])
        xs, ys = pa[ok], nb[ok] + len(b)
        if not len(xs) or (xs[1:] >= ys[:-1]).all():  # no match overlaps the one before it
            return xs.tolist(), ys.tolist()
        starts, stops, last = [], [], -1
        for x, y in zip(xs.tolist(), nb[ok].tolist()):
            if x >= last:  # matches do not overlap
                starts.append(x)
                stops.append(y + len(b))
                last = y + len(b)
        return starts, stops

    def _grown_anchor(self, s: str, stops: list[int]) -> str:
        """The characters most matches (80%) share after the second anchor, up to a word end and not
        ending in a function word; ``""`` when none."""
        grown = ""
        for size in range(1, 5):
            c = Counter(s[y: y + size] for y in stops)
            ext, k = c.most_common(1)[0]
            if k < 0.8 * len(stops) or len(ext) < size or not _HAN_RE.fullmatch(ext[-1]):
                break
            ends = np.array([y + size for y in stops if s[y: y + size] == ext], dtype=np.int64)
            if ext[-1] not in _FUNC_END and self._wb[ends].mean() >= self.boundary_share:
                grown = ext
        return grown

    def _inner_word(self, s: str, starts: list[int], stops: list[int], la: int, lb: int) -> str:
        """The word (one or two Han characters, not a particle) that ends the filler in most matches
        (80%), leaving a filler in each: it belongs to the second anchor, so the gap does not swallow
        it (坚持…不动摇, not 坚持…动摇); ``""`` when none."""
        ends = [y - lb for y in stops]
        found = ""
        for size in (1, 2):
            c = Counter(s[e - size: e] for x, e in zip(starts, ends) if e - size > x + la)
            if not c:
                break
            ext, k = c.most_common(1)[0]
            if k < 0.8 * len(stops) or not all(_HAN_RE.match(ch) for ch in ext) or ext in _PARTICLES:
                break
            at = np.array([e - size for x, e in zip(starts, ends) if s[e - size: e] == ext], dtype=np.int64)
            if self._wb[at].mean() >= self.boundary_share:
                found = ext
        return found

    def _gapped_entry(self, a: str, b: str, starts: list[int], stops: list[int]) -> dict[str, Any] | None:
        """The pattern as an entry when its fillers vary, are not mostly lists, and it is in ``min_df`` documents."""
        s = self._ix.string
        fillers = Counter(s[x + len(a): y - len(b)] for x, y in zip(starts, stops))
        if len(fillers) < 2 or max(fillers.values()) * 2 > len(starts):
            return None
        # a list (教育、科技、卫生) is not a frame: most fillers hold an enumeration comma or a conjunction
        listing = sum(c for f, c in fillers.items() if "、" in f or f in ("和", "与", "及", "和其他"))
        if listing * 2 > len(starts):
            return None
        g0 = np.array(starts, dtype=np.int64)
        if len(np.unique(self._doc_at[g0])) < self.min_df_gapped_:
            return None
        return {"text": f"{a}…{b}", "pattern": _gap_regex((a, b), self.max_gap_chars), "g0": g0,
                "g1": np.array(stops, dtype=np.int64),
                "fillers": [f for f, _ in sorted(fillers.items(), key=lambda x: (-x[1], x[0]))[:5]]}

    def _drop_covered(self, counted: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Frequent patterns first; a pattern whose matches lie mostly (80%) inside kept ones is dropped."""
        counted.sort(key=lambda e: (-len(e["g0"]), -len(e["text"]), e["text"]))
        covered = np.zeros(len(self._ix.codes) + 1, dtype=bool)
        out = []
        for e in counted:
            inside = sum(bool(covered[x:y].any()) for x, y in zip(e["g0"].tolist(), e["g1"].tolist()))
            if inside >= 0.8 * len(e["g0"]):
                continue
            out.append(e)
            for x, y in zip(e["g0"].tolist(), e["g1"].tolist()):
                covered[x:y] = True
        return out


def _segment_mode(seg: np.ndarray, pos: np.ndarray, ids: np.ndarray, n_seg: int, n_words: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per segment, the commonest word id among ``ids[pos]`` of its members and its count (any one of
    the tied when several are commonest)."""
    key = seg.astype(np.int64) * n_words + ids[pos]
    u, c = np.unique(key, return_counts=True)
    us = u // n_words
    best = np.zeros(n_seg, dtype=np.int64)
    np.maximum.at(best, us, c)
    top = c == best[us]
    word = np.zeros(n_seg, dtype=np.int64)
    word[us[top]] = u[top] % n_words
    return word, best

"""Gapped patterns: word pairs that attract each other within a clause, grown into patterns with gaps."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .records import (
    _adds_inner,
    _csr_gather,
    _distinct,
    _first_of_runs,
    _gapped_regex,
    _han_decode,
    _han_index,
    _HAN_TOKEN,
    _Item,
    _Matches,
    _Occ,
    _OUTER_WINDOW,
    _PARTICLES,
    _PRONOUNS,
    _refines,
    _Tokens,
    Phrase,
)

@dataclass
class _SeedWalk:
    """Two-word seeds prepared for walking: each distinct word's sorted occurrences (``pos``), each
    seed's word ids and lengths, which word is walked (the rarer: ``forward`` when it is the first),
    and the walked occurrences of all seeds in one array (``at``, seed ``seed_rows``; seed ``i``'s
    run starts at ``first_row[i]``)."""

    pos: list[np.ndarray]
    a_id: np.ndarray
    b_id: np.ndarray
    la: np.ndarray
    lb: np.ndarray
    forward: np.ndarray
    seed_rows: np.ndarray
    at: np.ndarray
    first_row: np.ndarray

    @classmethod
    def of(cls, seeds: Sequence[tuple[str, str]], find: Callable[[str], np.ndarray]) -> "_SeedWalk":
        anchors: dict[str, int] = {}
        for a, b in seeds:
            anchors.setdefault(a, len(anchors))
            anchors.setdefault(b, len(anchors))
        pos = [find(w) for w in anchors]
        sizes = np.array([len(p) for p in pos], dtype=np.int64)
        a_id = np.array([anchors[a] for a, _ in seeds], dtype=np.int64)
        b_id = np.array([anchors[b] for _, b in seeds], dtype=np.int64)
        la = np.array([len(a) for a, _ in seeds], dtype=np.int64)
        lb = np.array([len(b) for _, b in seeds], dtype=np.int64)
        forward = sizes[a_id] <= sizes[b_id]  # walk the rarer word of each seed
        walked = np.where(forward, a_id, b_id)
        seed_rows = np.repeat(np.arange(len(seeds), dtype=np.int64), sizes[walked])
        at = np.concatenate([pos[w] for w in walked.tolist()]) if len(seeds) else np.zeros(0, dtype=np.int64)
        first_row = np.zeros(len(seeds) + 1, dtype=np.int64)
        np.cumsum(sizes[walked], out=first_row[1:])
        return cls(pos, a_id, b_id, la, lb, forward, seed_rows, at, first_row)


def _next_occurrence(pos: list[np.ndarray], anchor: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First occurrence of word ``anchor[i]`` (sorted positions ``pos[anchor[i]]``) at or after
    ``value[i]``: (found, position); one search per word."""
    found = np.zeros(len(value), dtype=bool)
    out = np.zeros(len(value), dtype=np.int64)
    order = np.argsort(anchor, kind="stable")
    cut = np.flatnonzero(np.diff(anchor[order])) + 1
    for grp in np.split(order, cut) if len(order) else []:
        p = pos[int(anchor[grp[0]])]
        k = np.searchsorted(p, value[grp].astype(p.dtype))
        ok = k < len(p)
        found[grp] = ok
        out[grp[ok]] = p[k[ok]]
    return found, out


class _GappedPatterns:
    """The gapped patterns of :class:`PhraseMiner`: word pairs that attract each other within a clause,
    grown into patterns with gaps and matched exactly as their regular expressions would."""

    # ---- gapped patterns
    def _seed_pairs(self, toks: _Tokens) -> list[tuple[str, str]]:
        """Word pairs in one clause, a few words apart, that attract each other (token level, vectorised)."""
        words = toks.words
        n_words = len(words)
        wid = toks.ids
        is_word = wid < n_words
        wlen = np.zeros(len(wid), dtype=np.int64)
        wlen[is_word] = np.array([len(w) for w in words], dtype=np.int64)[wid[is_word]]
        particle = np.array([w in _PARTICLES for w in words] + [True], dtype=bool)
        anchor = is_word & (wlen >= 2)
        anchor[anchor] &= ~particle[wid[anchor]]
        apos = np.flatnonzero(anchor)
        if len(apos) < 2:
            return []
        aid = wid[apos].astype(np.int64)
        acl = toks.clause[apos]
        adoc = toks.doc[apos].astype(np.int64)
        c_word = np.bincount(aid, minlength=n_words)
        D = max(self.n_docs_, 1)
        def near_pairs(k: int) -> tuple[np.ndarray, np.ndarray] | None:
            """(pair key, first position) of the anchors ``k`` anchors apart in one clause, or None past the gap."""
            if k >= len(apos):
                return None
            d = apos[k:] - apos[:-k]
            near = d <= self.max_gap + 1
            if not near.any():
                return None
            ok = np.flatnonzero(near & (d >= 2) & (acl[:-k] == acl[k:]))
            return aid[ok] * n_words + aid[ok + k], ok

        # pass 1: occurrences of each pair (repeats collapse per distance), then attraction
        keys, counts = [], []
        for k in range(1, self.max_gap + 1):
            found = near_pairs(k)
            if found is None:
                break
            u, c = np.unique(found[0], return_counts=True)
            keys.append(u)
            counts.append(c)
        if not keys:
            return []
        key = np.concatenate(keys)
        cnt = np.concatenate(counts)
        del keys, counts
        order = np.argsort(key, kind="stable")
        key, cnt = key[order], cnt[order]
        first = _first_of_runs(key)
        uk = key[first]
        n_pair = np.add.reduceat(cnt, np.flatnonzero(first))
        del key, cnt, order, first
        a_of, b_of = uk // n_words, uk % n_words
        ca, cb = c_word[a_of], c_word[b_of]
        expected = ca * cb * self.max_gap / len(apos)
        attraction = n_pair / np.maximum(expected, 1e-9)
        cond = np.maximum(n_pair / ca, n_pair / cb)
        good = (attraction >= self.min_attraction) & (cond >= 0.3)
        # pass 2: documents of the attracted pairs
        cand = uk[good]
        if not len(cand):  # no pair is attracted enough: no gapped seeds
            return []
        pair_docs = []
        for k in range(1, self.max_gap + 1):
            found = near_pairs(k)
            if found is None:
                break
            kk, i = found
            at = np.searchsorted(cand, kk)
            hit = (at < len(cand)) & (cand[np.minimum(at, max(len(cand) - 1, 0))] == kk)
            pair_docs.append(_distinct(at[hit] * D + adoc[i[hit]]))
        pd_ = _distinct(np.concatenate(pair_docs)) if pair_docs else np.zeros(0, dtype=np.int64)
        df_of = np.zeros(len(uk), dtype=np.int64)
        df_of[np.flatnonzero(good)] = np.bincount(pd_ // D, minlength=len(cand))
        good &= df_of >= self.min_df_gapped
        return [(words[int(a)], words[int(b)]) for a, b in zip(a_of[good], b_of[good])]

    def _seed_matches(self, seeds: Sequence[tuple[str, str]]) -> "_Occ":
        """The matches of every two-word pattern of ``seeds`` (as :meth:`_match_gapped` finds them), all
        at once, each walked from its rarer word: for an occurrence of the first word, the nearest
        second word after it in the clause; for an occurrence of the second word, the earliest first
        word before it that would pick it. Matches are also cached. Returns (seed, doc, start, end)."""
        if not seeds:
            return _Occ.of(*(np.zeros(0, dtype=np.int64) for _ in range(4)), 0, self._index.doc_starts)
        w = _SeedWalk.of(seeds, self._find)
        seed_f, st, q = self._walk_forward(w)
        seed_b, sa_, qb = self._walk_backward(w)
        seed = np.concatenate([seed_f, seed_b])
        start = np.concatenate([st, sa_])
        second = np.concatenate([q, qb])
        order = np.lexsort((start, seed))
        seed, start, second = seed[order], start[order], second[order]
        return self._seed_occurrences(seeds, w, seed, start, second)

    def _walk_forward(self, w: "_SeedWalk") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """From every occurrence of a seed's first word (when it is the rarer), the nearest second
        word after it within ``max_gap_chars`` in the same clause; one candidate per second word
        (the earliest first word). ``(seed, start, second word's position)``."""
        brk = self._breaks
        fw = w.forward[w.seed_rows]
        seed_f, st = w.seed_rows[fw], w.at[fw]
        en0 = st + w.la[seed_f]
        ok, q = _next_occurrence(w.pos, w.b_id[seed_f], en0)
        ok &= (q - en0 <= self.max_gap_chars) & (brk[np.minimum(q, len(brk) - 1)] == brk[en0])
        seed_f, st, q = seed_f[ok], st[ok], q[ok]
        first = _first_of_runs(seed_f * (len(self._index.codes) + 1) + q)  # one candidate per second word
        return seed_f[first], st[first], q[first]

    def _walk_backward(self, w: "_SeedWalk") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """From every occurrence of a seed's second word (when it is the rarer), the earliest first
        word before it that would pick it: after the previous second word and the clause start,
        within ``max_gap_chars``. ``(seed, start, second word's position)``."""
        brk = self._breaks
        row_idx = np.flatnonzero(~w.forward[w.seed_rows])
        seed_b, qb = w.seed_rows[row_idx], w.at[row_idx]
        prev_b = np.where(row_idx > w.first_row[seed_b], w.at[np.maximum(row_idx - 1, 0)], -1)
        n_brk = brk[qb]
        last_brk = np.where(n_brk > 0, self._break_pos[np.maximum(n_brk - 1, 0)], -1)
        lo = np.maximum(np.maximum(prev_b + 1, qb - self.max_gap_chars), last_brk + 1)  # the first word ends here or later
        la = w.la[seed_b]
        ok, sa_ = _next_occurrence(w.pos, w.a_id[seed_b], np.maximum(lo - la, 0))
        ok &= (sa_ + la >= lo) & (sa_ + la <= qb)
        return seed_b[ok], sa_[ok], qb[ok]

    def _seed_occurrences(self, seeds: Sequence[tuple[str, str]], w: "_SeedWalk", seed: np.ndarray,
                          start: np.ndarray, second: np.ndarray) -> "_Occ":
        """The walked candidates (sorted by seed, then start) as each seed's matches, cached; a seed
        with a candidate inside the previous one (anchors sharing characters) is matched exactly."""
        ix = self._index
        end = second + w.lb[seed]
        clash = np.zeros(len(seed), dtype=bool)
        clash[1:] = (seed[1:] == seed[:-1]) & (start[1:] < end[:-1])
        exact = np.zeros(len(seeds), dtype=bool)
        exact[seed[clash]] = True
        bounds = np.searchsorted(seed, np.arange(len(seeds) + 1)).tolist()
        doc = ix.doc_of(start) if len(start) else np.zeros(0, dtype=np.int64)
        base = ix.doc_starts[doc]
        items, docs, starts, ends = [], [], [], []
        for i, sd in enumerate(seeds):
            key = tuple(sd)
            if exact[i]:
                m = self._match_gapped(sd)
            else:
                r0, r1 = bounds[i], bounds[i + 1]
                b0 = base[r0:r1]
                m = _Matches(doc[r0:r1], np.stack([start[r0:r1], second[r0:r1]], axis=1) - b0[:, None],
                             np.stack([start[r0:r1] + w.la[i], end[r0:r1]], axis=1) - b0[:, None], b0)
                self._match_cache.setdefault(key, m)
            items.append(np.full(len(m), i, dtype=np.int64))
            docs.append(m.doc)
            starts.append(m.s[:, 0])
            ends.append(m.e[:, -1])
        return _Occ.of(np.concatenate(items), np.concatenate(docs), np.concatenate(starts), np.concatenate(ends),
                       len(seeds), ix.doc_starts)

    def _find(self, text: str) -> np.ndarray:
        """Global positions (in the text index) of every occurrence of ``text``; cached."""
        hit = self._find_cache.get(text)
        if hit is None:
            hit = self._find_cache[text] = self._index.find_text(text)
        return hit

    def _match_gapped(self, parts: Sequence[str]) -> "_Matches":
        """Every match of the gapped pattern, exactly as ``re.finditer`` of its regular expression
        finds them (each anchor followed by the nearest next one in the same clause, fillers of at
        most ``max_gap_chars``, matches not overlapping), computed from the anchors' occurrences in
        the suffix array; cached."""
        key = tuple(parts)
        hit = self._match_cache.get(key)
        if hit is not None:
            return hit
        ix = self._index
        starts = self._find(parts[0]).astype(np.int64)
        ends = starts + len(parts[0])
        s_cols, e_cols = [starts], [ends]
        ok = np.ones(len(starts), dtype=bool)
        for part in parts[1:]:
            pb = self._find(part)
            j = np.searchsorted(pb, ends.astype(pb.dtype))
            valid = j < len(pb)
            q = np.where(valid, pb[np.minimum(j, max(len(pb) - 1, 0))] if len(pb) else 0, 0).astype(np.int64)
            valid &= (q - ends) <= self.max_gap_chars
            valid &= self._breaks[np.minimum(q, len(self._breaks) - 1)] == self._breaks[ends]
            ok &= valid
            ends = q + len(part)
            s_cols.append(q)
            e_cols.append(ends)
        idx = np.flatnonzero(ok)
        st, en = starts[idx], ends[idx]
        if len(idx) > 1 and (st[1:] < en[:-1]).any():  # drop matches inside the previous one (finditer skips them)
            keep, last_end = [], -1
            for k, (a, b) in enumerate(zip(st.tolist(), en.tolist())):
                if a >= last_end:
                    keep.append(k)
                    last_end = b
            idx = idx[keep]
        doc = ix.doc_of(starts[idx]) if len(idx) else np.zeros(0, dtype=np.int64)
        base = ix.doc_starts[doc]
        out = _Matches(doc, np.stack([c[idx] for c in s_cols], axis=1) - base[:, None],
                       np.stack([c[idx] for c in e_cols], axis=1) - base[:, None], base)
        self._match_cache[key] = out
        return out

    def _at_boundary(self, doc: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """For each offset ``pos`` of document ``doc``: whether it falls between two words."""
        g = (self._index.doc_starts[doc] + pos).astype(self._tok_gs.dtype)
        k = np.searchsorted(self._tok_gs, g)
        hit = (k < len(self._tok_gs)) & (self._tok_gs[np.minimum(k, len(self._tok_gs) - 1)] == g)
        return hit | (pos >= self._doc_len[doc])

    def _words_at(self, doc: np.ndarray, pos: np.ndarray, side: str) -> list[str] | None:
        """The word ending (``side="left"``) or starting (``"right"``) at each offset, or None when
        one of the offsets is not such a word boundary."""
        g = (self._index.doc_starts[doc] + pos).astype(self._tok_gs.dtype)
        n = len(self._tok_gs)
        if side == "left":
            k = np.searchsorted(self._tok_ge, g)
            kk = np.minimum(k, n - 1)
            ok = (k < n) & (self._tok_ge[kk] == g) & (self._tok_gs[kk] < g)
            other = self._tok_gs[kk].astype(np.int64)
        else:
            k = np.searchsorted(self._tok_gs, g)
            kk = np.minimum(k, n - 1)
            ok = (k < n) & (self._tok_gs[kk] == g) & (self._tok_ge[kk] > g)
            other = self._tok_ge[kk].astype(np.int64)
        if not ok.all():
            return None
        texts = self._texts
        other = (other - (g - pos)).tolist()
        if side == "left":
            return [texts[d][a:b] for d, a, b in zip(doc.tolist(), other, pos.tolist())]
        return [texts[d][a:b] for d, a, b in zip(doc.tolist(), pos.tolist(), other)]

    def _grow(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        """Grow each anchor by a word while every match agrees on it (现将…如下 -> 现将…总结如下).

        The word added is the longest common suffix (to the left) or prefix (to the right) of the
        neighbouring words, provided it is itself a word in one of the matches; a filler of at
        least one character stays, and no particle is added at the pattern's outer edges.
        """
        for _ in range(12):
            m = self._match_gapped(parts)
            if len(m) < 2:
                return parts
            grown = None
            for a in range(len(parts)):
                for side in ("left", "right"):
                    words = self._words_at(m.doc, m.s[:, a] if side == "left" else m.e[:, a], side)
                    if words is None:
                        continue
                    common = os.path.commonprefix([w[::-1] for w in words])[::-1] if side == "left" \
                        else os.path.commonprefix(words)
                    if not common or common not in words or not _HAN_TOKEN.match(common):
                        continue
                    outer = (side == "left" and a == 0) or (side == "right" and a == len(parts) - 1)
                    if outer and (common in _PARTICLES or common in _PRONOUNS):
                        continue
                    if not outer:  # keep a filler
                        k = len(common)
                        if side == "right" and (m.e[:, a] + k >= m.s[:, a + 1]).any():
                            continue
                        if side == "left" and (m.s[:, a] - k <= m.e[:, a - 1]).any():
                            continue
                    new = list(parts)
                    new[a] = common + new[a] if side == "left" else new[a] + common
                    grown = tuple(new)
                    break
                if grown:
                    break
            if grown is None:
                return parts
            parts = grown
        return parts

    def _outer_anchor(self, parts: tuple[str, ...]) -> tuple[str, ...] | None:
        """A word before the first anchor in the same clause that most matches share, with a varying
        filler between (让我们 in 让我们…团结在…周围), or None."""
        m = self._match_gapped(parts)
        if len(_distinct(m.doc, is_sorted=True)) < self.min_df_gapped:
            return None
        need = max(0.4 * min(len(m), 500), self.min_df_gapped)
        support = self._left_support(m, 500, need)
        cands = [w for w in support if w not in _PRONOUNS and w not in _PARTICLES]
        for w in sorted(cands, key=lambda w: (-support[w], -len(w), w)):
            new = (w, *parts)
            m2 = self._match_gapped(new)
            if not (self._at_boundary(m2.doc, m2.s[:, 0]).all() and self._at_boundary(m2.doc, m2.e[:, 0]).all()):
                continue  # not a whole word everywhere (让我 of 让我们)
            texts = self._texts
            gaps = [texts[d][a:b] for d, a, b in zip(m2.doc.tolist(), m2.e[:, 0].tolist(), m2.s[:, 1].tolist())]
            filled = [g for g in gaps if g]
            if len(_distinct(m2.doc, is_sorted=True)) < self.min_df_gapped or len(filled) * 2 < len(gaps) \
                    or len(set(filled)) < 2:
                continue
            return new
        return None

    def _left_support(self, m: "_Matches", limit: int, need: float = 0) -> dict[str, int]:
        """In how many of the first ``limit`` matches each Han string of 2 to 4 characters occurs in
        the clause before the match (at most ``_OUTER_WINDOW`` characters, leaving one character
        of filler); only the strings found in at least ``need`` of them."""
        n = min(len(m), limit)
        if not n:
            return {}
        ix = self._index
        g0 = m.base[:n] + m.s[:n, 0]  # global start of each match
        # window start: after the last clause break before the match, at most _OUTER_WINDOW back
        brk_before = self._breaks[g0]  # breaks before g0
        last_brk = np.where(brk_before > 0, self._break_pos[np.maximum(brk_before - 1, 0)], -1)
        lo = np.maximum(np.maximum(last_brk + 1, g0 - _OUTER_WINDOW), m.base[:n])
        hi = g0 - 1  # the window is [lo, hi)
        width = np.maximum(hi - lo, 0)
        pos, row = _csr_gather(lo, width)
        han = _han_index(ix.codes[pos])  # 1.. for a Han character, 0 otherwise
        keys, rows = [], []
        offset = np.arange(len(pos), dtype=np.int64) - np.repeat(np.cumsum(width) - width, width)
        room = np.repeat(width, width) - offset  # characters from each position to the window's end
        at = np.arange(len(pos), dtype=np.int64)
        for length in (2, 3, 4):
            ok = room >= length
            key = np.zeros(len(pos), dtype=np.int64)
            for j in range(length):
                c = han[np.minimum(at + j, len(pos) - 1)]
                ok &= c > 0
                key = (key << 15) | c
            key = (key << 2) | (length - 2)
            keys.append(key[ok])
            rows.append(row[ok])
        k = np.concatenate(keys)
        r = np.concatenate(rows)
        if not len(k):
            return {}
        order = np.lexsort((r, k))
        k, r = k[order], r[order]
        first = np.ones(len(k), dtype=bool)
        first[1:] = (k[1:] != k[:-1]) | (r[1:] != r[:-1])  # each string once per match
        uk, cnt = np.unique(k[first], return_counts=True)
        enough = cnt >= need
        return {_han_decode(int(x)): int(c) for x, c in zip(uk[enough].tolist(), cnt[enough].tolist())}

    def _count_gapped_many(self, patterns: Sequence[tuple[str, ...]]) -> list[Phrase | None]:
        """Phrase records of gapped patterns whose fillers vary (None for the others)."""
        items: list[_Item] = []
        cols: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        where: list[int] = []
        texts = self._texts
        for parts in patterns:
            m = self._match_gapped(parts)
            if len(parts) == 2:
                fills = [texts[d][a:b] for d, a, b in zip(m.doc.tolist(), m.e[:, 0].tolist(), m.s[:, 1].tolist())]
            else:
                fills = ["…".join(texts[d][a:b] for a, b in zip(es, ss)) for d, es, ss in
                         zip(m.doc.tolist(), m.e[:, :-1].tolist(), m.s[:, 1:].tolist())]
            fillers = Counter(fills)
            with_gap = int((m.s[:, 1:] > m.e[:, :-1]).any(axis=1).sum()) if len(m) else 0
            if len(fillers) < 2 or with_gap * 2 < len(m):
                where.append(-1)
                continue
            diversity = len(fillers) / max(len(m), 1)
            top = [f for f, _ in sorted(fillers.items(), key=lambda x: (-x[1], x[0]))[:5]]
            where.append(len(items))
            cols.append((np.full(len(m), len(items), dtype=np.int64), m.doc, m.s[:, 0], m.e[:, -1]))
            items.append(_Item(parts, diversity, pattern=_gapped_regex(parts, self.max_gap_chars), fillers=top))
        cat = [np.concatenate([c[i] for c in cols]) if cols else np.zeros(0, dtype=np.int64) for i in range(4)]
        occ = _Occ.of(cat[0], cat[1], cat[2], cat[3], len(items), self._index.doc_starts)
        made = self._make_many("gapped", items, occ)
        return [made[w] if w >= 0 else None for w in where]

    def _gapped(self, toks: _Tokens) -> list[Phrase]:
        bases: dict[tuple[str, ...], None] = {}
        seeds = self._seed_pairs(toks)
        # a seed that copied text alone makes common (fewer than min_df_gapped independent sources) is dropped
        occ = self._seed_matches(seeds)
        src = self._sources_many(occ)
        seeds = [sd for sd, k in zip(seeds, src.tolist()) if k >= self.min_df_gapped]
        for a, b in seeds:
            bases.setdefault(self._grow((a, b)), None)
        patterns: dict[tuple[str, ...], tuple[str, ...] | None] = {p: None for p in bases}
        for p in list(bases):
            outer = self._outer_anchor(p)
            if outer is not None:
                patterns.setdefault(self._grow(outer), p)
        listed = list(patterns.items())
        made = self._count_gapped_many([parts for parts, _ in listed])
        found = [(ph, parent) for ph, (_, parent) in zip(made, listed) if ph is not None]
        found.sort(key=lambda x: (-x[0].score, -x[0].df, x[0].phrase))
        accepted: list[Phrase] = []
        accepted_parts: set[tuple[str, ...]] = set()
        taken: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # doc -> sorted (start, end, pattern)
        longest = 0
        import bisect

        for ph, parent in found:
            if ph.parts in accepted_parts:
                continue
            overlap = 0
            near: set[int] = set()
            for d, s0, e0 in ph.spans:
                lst = taken[d]
                k = bisect.bisect_left(lst, (s0 - longest, -1, -1))
                hit = False
                while k < len(lst) and lst[k][0] < e0:
                    s, e, q = lst[k]
                    if 2 * (min(e, e0) - max(s, s0)) >= e0 - s0:  # an accepted pattern covers half of it
                        hit = True
                        near.add(q)
                    k += 1
                overlap += hit
            # a pattern with an outer anchor passed its own test; others must say something new
            inner = any(_adds_inner(ph.parts, accepted[q].parts) for q in near)
            same_start = any(accepted[q].parts[0] == ph.parts[0] for q in near)
            refines = (parent is not None and not inner and not same_start) or any(
                _refines(ph.parts, accepted[q].parts) or _refines(accepted[q].parts, ph.parts) for q in near)
            if overlap >= 0.8 * len(ph.spans) and not refines:
                continue
            accepted.append(ph)
            accepted_parts.add(ph.parts)
            for d, s0, e0 in ph.spans:
                bisect.insort(taken[d], (s0, e0, len(accepted) - 1))
                longest = max(longest, e0 - s0)
        return accepted

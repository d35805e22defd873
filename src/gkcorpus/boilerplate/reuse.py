"""Cross-document reuse: passages two or more documents share, verbatim or near-verbatim.

Two detectors, neither quadratic in the number of sentences:

* **verbatim** -- maximal repeated substrings of the concatenated clean texts, found with a
  suffix array and its LCP array (:class:`TextIndex`, pydivsufsort). Every paragraph break and
  every document end is a separator, so no repeat crosses a paragraph. Every maximal repeat
  (left- and right-maximal) that spans two or more documents is a passage, trimmed only of the
  punctuation at its ends, when it holds ``min_chars`` Han characters; its occurrences are all
  the places its text occurs. A passage that never occurs outside longer ones is folded into
  them as a sub-passage; one with occurrences of its own stays, linked to its parents
  (:mod:`gkcorpus.kernels.nesting`). The LCP intervals are computed with numpy over all
  repeats at once.
* **near** -- sentences whose character 3-gram sets have Jaccard similarity of at least
  ``near_threshold``. Identical sentences are handled once (a distinct text with its
  occurrences); the near-duplicate pairs among the distinct texts come from
  :func:`gkcorpus.kernels.neardup.near_duplicate_pairs` (MinHash LSH candidates, each LSH bucket
  windowed by ``bucket_window``, every candidate checked by exact Jaccard), and the pairs are
  grouped (connected components). A group whose sentences differ is one passage: the most common wording is the
  passage text, the others are variants with what differs (difflib opcodes).

Per-document work (encoding, sentences) is in pure functions over one document; the suffix
array, the LSH banding and the grouping combine them at corpus level. Memory stays in compact
arrays: int32 suffix and LCP arrays when the text fits, a 16-bit alphabet for sorting, and the
occurrences of verbatim passages as arrays whose :class:`Occurrence` records are made on access
(:class:`OccurrenceList`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from collections import Counter, defaultdict
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted


if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus, Document

from ..kernels.codes import (
    _char_set_mask,
    _index_dtype,
    _NON_WORD,
    _STRIP_END,
    _STRIP_START,
    CLAUSE_DELIMITERS,
    stable_id,
)
from ..kernels.graph import component_labels
from ..kernels.repeats import covered_before, merge_sorted_arrays
from ..kernels.nesting import nest
from ..kernels.minhash import _jaccard
from ..kernels.neardup import NearPairs, near_duplicate_pairs
from .records import _OccurrenceTable, Occurrence, OccurrenceList, Passage, SentenceRecord, Variant
from ..kernels.suffix import _runs, _spans_groups, TextIndex

__all__ = [
    "ReuseFinder",
    "document_sentences",
]

#: Characters that end a clause; passages are snapped to them.
# --------------------------------------------------------------------------- per-document functions


def document_sentences(doc: "Document", doc_index: int = 0) -> list[SentenceRecord]:
    """The document's sentences (from its structure), trimmed of surrounding whitespace."""
    out = []
    text = doc.text
    for s in doc.structure.sentences:
        a, b = s.start, s.end
        t = text[a:b]
        core = t.strip()
        if core is not t and core != t:  # trim the whitespace around it
            a += len(t) - len(t.lstrip())
            b = a + len(core)
            t = core
        if b > a:
            out.append(SentenceRecord(doc_index, s.index, a, b, t))
    return out


def text_diff(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    """What differs between ``a`` and ``b``: the non-equal difflib opcodes as (op, a-part, b-part)."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return tuple((op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


@dataclass(frozen=True)
class _NearSentences:
    """The sentences considered for near-verbatim passages: records, document index, clean start
    and end, and the share of each covered by verbatim passages."""

    recs: list[SentenceRecord]
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    share: np.ndarray


def _distinct_texts(recs: Sequence[SentenceRecord], docs: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The distinct texts of ``recs`` (in order of first appearance), each record's text id, and
    per text the one document holding it (-1 when it occurs in two or more)."""
    tid_of: dict[str, int] = {}
    tid = np.fromiter((tid_of.setdefault(r.text, len(tid_of)) for r in recs), dtype=np.int64, count=len(recs))
    texts = list(tid_of)
    lo = np.full(len(texts), np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(len(texts), -1, dtype=np.int64)
    np.minimum.at(lo, tid, docs)
    np.maximum.at(hi, tid, docs)
    return texts, tid, np.where(lo == hi, lo, -1)


def _most_common(texts: Sequence[str]) -> tuple[str, int]:
    """The most frequent of ``texts`` (ties: the one appearing first) and where it first appears."""
    counts = Counter(texts)
    first: dict[str, int] = {}
    for i, t in enumerate(texts):
        first.setdefault(t, i)
    rep = max(counts, key=lambda t: (counts[t], -first[t]))
    return rep, first[rep]


# --------------------------------------------------------------------------- the estimator


class ReuseFinder(BaseEstimator):
    """Find the passages two or more documents share, verbatim or near-verbatim.

    Parameters
    ----------
    min_chars : a passage holds at least this many Han characters.
    near : also look for near-verbatim sentences (MinHash LSH).
    near_threshold : Jaccard similarity of character ``shingle``-grams for two sentences to be near-duplicates.
    num_perm, shingle, random_state : MinHash permutations, shingle length and seed.
    bucket_window : in an LSH bucket (distinct sentences equal on one band, in order of first
        appearance) each sentence is checked against the next ``bucket_window`` ones only. This
        bounds the pairs of a very large bucket (a sentence with hundreds of distinct variants);
        the buckets of the bundled corpus and of the national reports are far smaller, so there
        every candidate is checked.
    progress : show progress bars.

    Fitted attributes: ``passages_`` (list of :class:`Passage`, most widely shared first; :meth:`by_coverage`
    orders them by the text they make shared),
    ``index_`` (the :class:`TextIndex`), ``doc_ids_``, ``sentences_`` (per document, its
    :class:`SentenceRecord` list). The documents themselves are not kept: their texts are in
    ``index_`` and their raw offset maps beside it, so a pickled finder holds its results, the
    index and the offsets (the index's caches are rebuilt on use).
    """

    def __init__(
        self,
        min_chars: int = 8,
        near: bool = True,
        near_threshold: float = 0.5,
        num_perm: int = 64,
        shingle: int = 3,
        random_state: int = 1,
        bucket_window: int = 200,
        progress: bool = False,
    ):
        self.min_chars = min_chars
        self.near = near
        self.near_threshold = near_threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.random_state = random_state
        self.bucket_window = bucket_window
        self.progress = progress

    # ---- fitting
    _parameter_constraints: dict = {
        "min_chars": [Interval(Integral, 1, None, closed="left")],
        "near": ["boolean"],
        "near_threshold": [Interval(Real, 0, 1, closed="right")],
        "num_perm": [Interval(Integral, 1, None, closed="left")],
        "shingle": [Interval(Integral, 1, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "bucket_window": [Interval(Integral, 1, None, closed="left")],
        "progress": ["boolean"],
    }

    def fit(self, corpus: "Corpus", index: TextIndex | None = None,
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "ReuseFinder":
        """Find the shared passages of ``corpus`` (``index``: a prebuilt :class:`TextIndex` of its
        texts; ``sentences``: its :func:`document_sentences`, when already computed)."""
        self._validate_params()
        docs = list(corpus)
        self.doc_ids_ = [d.id for d in docs]
        self._offsets = [d.offsets for d in docs]  # raw offsets of the occurrences (the texts are in index_)
        self.sentences_ = list(sentences) if sentences is not None else \
            [document_sentences(d, i) for i, d in enumerate(docs)]
        self._sent_starts = [np.array([s.start for s in ss], dtype=np.int64) for ss in self.sentences_]
        self.index_ = index if index is not None else TextIndex([d.text for d in docs])
        cached = self.index_._han_cum is not None  # leave a caller's index as it came
        self.sub_passages_: list[Passage] = []
        passages, covered = self._verbatim()
        if self.near:
            passages = self._fold_into_near(passages, self._near(covered))
        passages.sort(key=lambda p: (-p.n_docs, -p.n_chars, p.kind, p.text))
        self.passages_ = passages
        if not cached:
            self.index_._han_cum = None  # a cache only reuse needs (rebuilt on use)
        return self

    def _sentence_of(self, doc: int, offset: int) -> int:
        """Index (structure numbering) of the sentence holding clean offset ``offset`` of document ``doc``."""
        starts = self._sent_starts[doc]
        if not len(starts):
            return 0
        k = int(np.searchsorted(starts, offset, side="right")) - 1
        return self.sentences_[doc][max(k, 0)].index

    def _occurrence(self, doc: int, start: int, end: int) -> Occurrence:
        return self._occurrence_list(np.array([doc]), np.array([start]), np.array([end]))[0]

    def _lookup(self, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw start, raw end and sentence (position in ``sentences_[doc]``, -1 for none) of clean
        spans ``[starts[i], ends[i])`` of documents ``docs[i]``, looked up per document."""
        n = len(docs)
        raw_s = np.empty(n, dtype=np.int64)
        raw_e = np.empty(n, dtype=np.int64)
        sent = np.full(n, -1, dtype=np.int64)
        order = np.argsort(docs, kind="stable")
        sorted_docs = docs[order]
        cuts = np.flatnonzero(np.diff(sorted_docs)) + 1
        for lo, hi in zip(np.concatenate(([0], cuts)).tolist(), np.concatenate((cuts, [n])).tolist()):
            if hi <= lo:
                continue
            d = int(sorted_docs[lo])
            idx = order[lo:hi]
            om = self._offsets[d]
            raw_s[idx] = om.starts[starts[idx]]
            raw_e[idx] = om.ends[ends[idx] - 1]
            if len(self._sent_starts[d]):
                sent[idx] = np.searchsorted(self._sent_starts[d], starts[idx], side="right") - 1
        return raw_s, raw_e, sent

    def _occurrence_list(self, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                         texts: Sequence[str] | None = None) -> list[Occurrence]:
        """Occurrence records for clean spans ``[starts[i], ends[i])`` of documents ``docs[i]``
        (``texts``: their texts, when known)."""
        raw_s, raw_e, sent = self._lookup(docs, starts, ends)
        doc_l, start_l, end_l = docs.tolist(), starts.tolist(), ends.tolist()
        sentences = self.sentences_
        recs = [sentences[d][k] if k >= 0 else None for d, k in zip(doc_l, sent.tolist())]
        if texts is None:
            doc_texts = self.index_.texts
            texts = [doc_texts[d][a:b] for d, a, b in zip(doc_l, start_l, end_l)]
        ids = self.doc_ids_
        return list(map(Occurrence, [ids[d] for d in doc_l], [r.index if r else 0 for r in recs], start_l, end_l,
                        raw_s.tolist(), raw_e.tolist(), texts, [r.text if r else "" for r in recs]))

    def occurrences_at(self, positions: np.ndarray, length: int) -> list[Occurrence]:
        """Occurrence records for global positions of the index."""
        ix = self.index_
        positions = np.asarray(positions, dtype=np.int64)
        docs = ix.doc_of(positions)
        starts = positions - ix.doc_starts[docs]
        return self._occurrence_list(docs, starts, starts + length)

    def _verbatim(self) -> tuple[list[Passage], tuple[np.ndarray, np.ndarray]]:
        """The verbatim passages, and the positions they cover: the union of their occurrences as sorted
        disjoint segments (global starts, ends)."""
        ix = self.index_
        n = len(ix.codes)
        covered = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        L, LB, RB, ks, owner = ix.interval_table(self.min_chars)
        if not len(L):
            return [], covered
        sa, brk = ix.sa, ix.breaks
        # right end: at every occurrence the next character is a break (one check per child of the interval)
        end_bad = np.zeros(len(L), dtype=bool)
        end_bad[owner[~brk[sa[ks + 1] + ix.lcp[ks]]]] = True
        end_bad |= ~brk[sa[LB] + L]
        del ks, owner
        keep = ix.left_diverse(LB, RB)
        keep &= _spans_groups(ix.doc_labels(), LB, RB)
        L, LB, RB, end_ok = L[keep], LB[keep], RB[keep], ~end_bad[keep]
        del end_bad, keep
        # left end: at every occurrence the previous character is a break (or the text starts)
        prev_brk = np.ones(n, dtype=bool)
        prev_brk[1:] = brk[:-1]
        cum = np.zeros(n + 1, dtype=sa.dtype)
        np.cumsum(prev_brk[sa], out=cum[1:])
        start_ok = (cum[RB + 1] - cum[LB]) == RB - LB + 1
        del prev_brk, cum
        # a passage is the whole maximal repeat: only punctuation at its ends is trimmed, nothing is cut inside
        start_ok[:] = True
        end_ok[:] = True
        a, b, p0 = self._snap_all(L, start_ok, end_ok, sa[LB])
        good = np.flatnonzero(b > a)
        # distinct snapped texts
        text_all = ix.string
        found: dict[str, tuple[int, int, int]] = {}
        full = (a == 0) & (b == L)
        for i in good.tolist():
            q, m = int(p0[i] + a[i]), int(b[i] - a[i])
            t = text_all[q : q + m]
            if t not in found:
                found[t] = (q, m, i if full[i] else -1)
        texts, occs, occ_docs = [], [], []
        for t, (q, m, i) in found.items():
            occ = np.sort(sa[LB[i] : RB[i] + 1]) if i >= 0 else ix.occurrences(q, m)
            d = ix.doc_of(occ)
            if d[0] == d[-1]:
                continue
            texts.append(t)
            occs.append(occ)
            occ_docs.append(d)
        del found
        keep_ix = _not_subsumed(texts, occs, ix)
        if not keep_ix:
            return [], covered
        # occurrence records of all passages at once
        counts = np.array([len(occs[k]) for k in keep_ix], dtype=np.int64)
        lengths = np.array([len(texts[k]) for k in keep_ix], dtype=np.int64)
        pos = np.concatenate([occs[k] for k in keep_ix]).astype(np.int64)
        docs = np.concatenate([occ_docs[k] for k in keep_ix]).astype(np.int64)
        starts = pos - ix.doc_starts[docs]
        ends = starts + np.repeat(lengths, counts)
        raw_s, raw_e, sent = self._lookup(docs, starts, ends)
        table = _OccurrenceTable(self.doc_ids_, self.sentences_, docs.astype(np.int32), starts.astype(np.int32),
                                 ends.astype(np.int32), raw_s, raw_e, sent.astype(np.int32))
        out = []
        bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
        for j, k in enumerate(keep_ix):
            t = texts[k]
            d = occ_docs[k][_runs(occ_docs[k])].tolist()  # positions are sorted: so are their documents
            out.append(Passage(stable_id("v", t), t, "verbatim", [self.doc_ids_[x] for x in d],
                               OccurrenceList(table, bounds[j], bounds[j + 1], t)))
        out = self._fold(out, pos, lengths, counts)
        # the positions inside some occurrence: the union of the occurrences as disjoint segments (read
        # where needed by covered_before, not counted over the text's length: 400 MB at 100 M characters)
        return out, merge_sorted_arrays(pos, pos + np.repeat(lengths, counts))

    def _fold_into_near(self, verbatim: list[Passage], near: list[Passage]) -> list[Passage]:
        """Verbatim passages that occur only inside a near-verbatim passage's occurrences (the
        sentence shared word for word by some documents and with small changes by others) become
        its sub-passages: each passage is listed once."""
        by_text: dict[str, list[Passage]] = defaultdict(list)
        for p in verbatim:
            by_text[p.text].append(p)
        folded: dict[str, str] = {}  # folded verbatim id -> near passage id
        for q in near:
            spans = defaultdict(list)
            for o in q.occurrences:
                spans[o.doc_id].append((o.start, o.end))
            for o in q.occurrences:
                for p in by_text.get(o.text, ()):
                    if p.id in folded:
                        continue
                    if all(any(a <= r.start and r.end <= b for a, b in spans[r.doc_id]) for r in p.occurrences):
                        folded[p.id] = q.id
                        q.sub_passages.append(p)
                        q.children = sorted(set(q.children) | set(p.children))
                        q.sub_passages.extend(x for x in p.sub_passages if x not in q.sub_passages)
        if not folded:
            return verbatim + near
        self.sub_passages_ += [p for p in verbatim if p.id in folded]
        for p in verbatim:
            p.parents = sorted({folded.get(x, x) for x in p.parents})
        return [p for p in verbatim if p.id not in folded] + near

    def _fold(self, passages: list[Passage], pos: np.ndarray, lengths: np.ndarray,
              counts: np.ndarray) -> list[Passage]:
        """Link nested passages and fold in those that never occur outside a longer one.

        ``pos``: global starts of all occurrences, passage by passage (``counts`` each). A passage
        with occurrences of its own stays, with ``parents``/``children`` links; one whose every
        occurrence lies inside longer passages becomes a ``sub_passage`` of each of them.
        """
        which = np.repeat(np.arange(len(passages)), counts)
        nesting = nest(pos, pos + np.repeat(lengths, counts), which, len(passages))
        folded = nesting.own == 0
        for k, ps in enumerate(nesting.parents):
            p = passages[k]
            for j in ps:
                parent = passages[j]
                if folded[k]:
                    parent.sub_passages.append(p)
                else:
                    parent.children.append(p.id)
                    p.parents.append(parent.id)
        self.sub_passages_ = [p for k, p in enumerate(passages) if folded[k]]
        for p in passages:
            p.parents.sort()
            p.children.sort()
            p.sub_passages.sort(key=lambda q: (-q.n_docs, -q.n_chars, q.text))
        return [p for k, p in enumerate(passages) if not folded[k]]

    def _snap_all(self, L: np.ndarray, start_ok: np.ndarray, end_ok: np.ndarray,
                  p0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each repeat (length ``L``, one occurrence at ``p0``): offsets ``a < b`` of its part
        that starts and ends at clause boundaries (``b <= a`` when none is left).

        The repeat's own ends count as boundaries when ``start_ok`` / ``end_ok`` (at every
        occurrence the character outside is punctuation, a paragraph break or the text edge);
        inside, it is cut after the first / last ``，。；！？：``; then leading ``，。；！？：、`` and
        spaces and trailing ``，、：`` and spaces are stripped, and at least ``min_chars`` Han
        characters must remain.
        """
        ix = self.index_
        codes = ix.codes
        n = len(codes)
        dt = _index_dtype(n + 1)
        pos = np.arange(n, dtype=dt)
        mask = _char_set_mask(codes, CLAUSE_DELIMITERS)
        next_delim = np.minimum.accumulate(np.where(mask, pos, n).astype(dt)[::-1])[::-1]
        fd = next_delim[p0]
        del next_delim
        prev_delim = np.maximum.accumulate(np.where(mask, pos, -1).astype(dt))
        ld = prev_delim[p0 + L - 1]
        del prev_delim
        a = np.where(start_ok, 0, np.where(fd < p0 + L, fd - p0 + 1, L))
        b = np.where(end_ok, L, np.where(ld >= p0, ld - p0 + 1, 0))
        mask = _char_set_mask(codes, _STRIP_START)
        next_keep = np.minimum.accumulate(np.where(mask, n, pos).astype(dt)[::-1])[::-1]
        a = np.minimum(next_keep[np.minimum(p0 + a, n - 1)] - p0, b)
        del next_keep
        mask = _char_set_mask(codes, _STRIP_END)
        prev_keep = np.maximum.accumulate(np.where(mask, -1, pos).astype(dt))
        b = np.maximum(prev_keep[np.maximum(p0 + b - 1, 0)] - p0 + 1, a)
        del prev_keep, mask, pos
        hc = ix.han_cum
        enough = hc[p0 + b] - hc[p0 + a] >= self.min_chars
        b = np.where(enough, b, a)
        return a, b, p0

    def _near(self, covered: tuple[np.ndarray, np.ndarray]) -> list[Passage]:
        """Near-verbatim passages among the sentences with ``min_chars`` Han characters; ``covered``:
        the positions verbatim passages cover, as sorted disjoint segments (starts, ends)."""
        sents = self._near_sentences(covered)
        if sents is None:
            return []
        texts, tid, single = _distinct_texts(sents.recs, sents.doc)
        nid, near, text_label = self._near_components(texts, single)
        groups = self._uncovered_groups(sents, text_label[tid])
        return self._near_passages(sents, groups, tid, nid, near)

    def _near_sentences(self, covered: tuple[np.ndarray, np.ndarray]) -> "_NearSentences | None":
        """The sentences long enough to be near-verbatim passages (None when fewer than two), with
        the share of each that verbatim passages already cover."""
        ix = self.index_
        sents = [s for ss in self.sentences_ for s in ss]
        if len(sents) < 2:
            return None
        sdoc = np.fromiter((s.doc for s in sents), dtype=np.int64, count=len(sents))
        sstart = np.fromiter((s.start for s in sents), dtype=np.int64, count=len(sents))
        send = np.fromiter((s.end for s in sents), dtype=np.int64, count=len(sents))
        g0 = ix.doc_starts[sdoc] + sstart
        g1 = ix.doc_starts[sdoc] + send
        hc = ix.han_cum
        keep = np.flatnonzero(hc[g1] - hc[g0] >= self.min_chars)
        if len(keep) < 2:
            return None
        before_end, before_start = covered_before(*covered, np.concatenate([g1[keep], g0[keep]])).reshape(2, -1)
        share = (before_end - before_start) / (send - sstart)[keep]
        return _NearSentences([sents[i] for i in keep.tolist()], sdoc[keep], sstart[keep], send[keep], share)

    def _near_components(self, texts: list[str], single: np.ndarray) -> tuple[np.ndarray, "NearPairs", np.ndarray]:
        """Group the distinct sentence texts into near-duplicate components.

        Returns the normalised-text id of each text, the near-duplicate pairs of the normalised
        texts (:func:`near_duplicate_pairs`, buckets windowed by ``bucket_window``) and each text's
        component label (-1: linked to nothing). Texts with the same normalised form are linked
        too; a link between two texts found only in the same one document (``single``) is dropped,
        since a passage needs two documents.
        """
        n_texts = len(texts)
        nid_of: dict[str, int] = {}
        nid = np.fromiter((nid_of.setdefault(_NON_WORD.sub("", t), len(nid_of)) for t in texts), dtype=np.int64,
                          count=n_texts)
        near = near_duplicate_pairs(list(nid_of), self.near_threshold, shingle=self.shingle, num_perm=self.num_perm,
                                    seed=self.random_state, window=self.bucket_window)
        by_norm: dict[int, list[int]] = defaultdict(list)
        for t, k in enumerate(nid.tolist()):
            by_norm[k].append(t)
        same = 1.0 >= self.near_threshold
        edges: list[tuple[int, int]] = []
        for a, b in near.pairs.tolist():
            edges += [(u, v) for u in by_norm[a] for v in by_norm[b]]
        if same:
            for group in by_norm.values():
                edges += [(u, v) for i, u in enumerate(group) for v in group[i + 1 :]]
        e = np.array(edges, dtype=np.int64).reshape(-1, 2)
        e = e[(single[e[:, 0]] < 0) | (single[e[:, 0]] != single[e[:, 1]])]
        nodes = np.zeros(n_texts, dtype=bool)
        nodes[e.ravel()] = True
        if same:
            nodes |= single < 0
        labels = component_labels(n_texts, e[:, 0], e[:, 1])
        return nid, near, np.where(nodes, labels, -1)

    def _uncovered_groups(self, sents: "_NearSentences", rec_label: np.ndarray) -> list[list[int]]:
        """The sentences of each component (by label; -1 is none), in document order, leaving out
        the components whose sentences verbatim passages already cover (90% or more of each)."""
        order = np.lexsort((np.arange(len(rec_label)), rec_label))
        order = order[rec_label[order] >= 0]
        cuts = np.flatnonzero(np.diff(rec_label[order])) + 1
        groups: Iterable[np.ndarray] = np.split(order, cuts) if len(order) else []
        if self.progress:
            from tqdm.auto import tqdm

            groups = tqdm(groups, desc="reuse: near-duplicates", unit="group", leave=False)
        recs = sents.recs
        kept: list[list[int]] = []
        for grp in groups:
            if (sents.share[grp] >= 0.9).all():
                continue
            kept.append(sorted(grp.tolist(), key=lambda k: (recs[k].doc, recs[k].start)))
        return kept

    def _near_passages(self, sents: "_NearSentences", groups: list[list[int]], tid: np.ndarray, nid: np.ndarray,
                       near: "NearPairs") -> list[Passage]:
        """One near-verbatim passage per group of sentences: the most common wording is its text
        (ties: the first), the other wordings are its variants, with their similarity and diff."""
        recs = sents.recs
        flat = [k for members in groups for k in members]
        records = self._occurrence_list(sents.doc[flat], sents.start[flat], sents.end[flat],
                                        [recs[k].text for k in flat]) if flat else []
        norm_sets: dict[int, set[int]] = {}

        def norm_set(k: int) -> set[int]:
            if k not in norm_sets:
                norm_sets[k] = near.shingle_ids(k)
            return norm_sets[k]

        diffs: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {}
        out = []
        at = 0
        for members in groups:
            occs = records[at : at + len(members)]
            at += len(members)
            rep, rep_at = _most_common([recs[k].text for k in members])
            rep_norm = int(nid[tid[members[rep_at]]])
            variants = []
            for k in members:
                r = recs[k]
                if r.text == rep:
                    continue
                key = (rep, r.text)
                if key not in diffs:
                    diffs[key] = text_diff(rep, r.text)
                variants.append(Variant(self.doc_ids_[r.doc], r.index, r.text,
                                        _jaccard(norm_set(rep_norm), norm_set(int(nid[tid[k]]))), diffs[key]))
            docs = [self.doc_ids_[d] for d in sorted({recs[k].doc for k in members})]
            out.append(Passage(stable_id("n", rep), rep, "near", docs, occs, variants))
        return out

    # ---- results
    def spans(self) -> dict[str, list[tuple[int, int, str, frozenset[str]]]]:
        """Per document id: (start, end, passage id, documents sharing it) of every passage occurrence."""
        self._check()
        out: dict[str, list[tuple[int, int, str, frozenset[str]]]] = {d: [] for d in self.doc_ids_}
        ids = self.doc_ids_
        for p in self.passages_:
            docs = frozenset(p.docs)
            occ = p.occurrences
            if isinstance(occ, OccurrenceList):
                for d, s, e in zip(occ.doc.tolist(), occ.start.tolist(), occ.end.tolist()):
                    out[ids[d]].append((s, e, p.id, docs))
            else:
                for o in occ:
                    out[o.doc_id].append((o.start, o.end, p.id, docs))
        for v in out.values():
            v.sort()
        return out

    def _occurrence_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Every passage occurrence as arrays (document index, start, end, passage index), sorted by
        document then start, and each passage's documents as CSR (``indptr``, document indices)."""
        pos = {d: i for i, d in enumerate(self.doc_ids_)}
        docs_, starts, ends, pids, members = [], [], [], [], []
        for k, p in enumerate(self.passages_):
            occ = p.occurrences
            if isinstance(occ, OccurrenceList):
                d, st, en = occ.doc, occ.start, occ.end
            else:
                d = np.array([pos[o.doc_id] for o in occ], dtype=np.int64)
                st = np.array([o.start for o in occ], dtype=np.int64)
                en = np.array([o.end for o in occ], dtype=np.int64)
            docs_.append(np.asarray(d, dtype=np.int64))
            starts.append(np.asarray(st, dtype=np.int64))
            ends.append(np.asarray(en, dtype=np.int64))
            pids.append(np.full(len(d), k, dtype=np.int64))
            members.append(np.array(sorted(pos[x] for x in set(p.docs)), dtype=np.int64))
        cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)  # noqa: E731
        doc, start, end, pid = cat(docs_), cat(starts), cat(ends), cat(pids)
        order = np.lexsort((end, start, doc))
        indptr = np.zeros(len(members) + 1, dtype=np.int64)
        np.cumsum([len(m) for m in members], out=indptr[1:])
        return doc[order], start[order], end[order], pid[order], (indptr, cat(members))

    def _rows(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Per document with any passage: (row, column indices, shares) of :meth:`matrix`'s non-zero
        cells, the diagonal included. Vectorised: each occurrence is paired with the other documents
        of its passage and the union of spans per pair is measured on a prefix sum of non-whitespace
        characters; no document × document array is made."""
        doc, start, end, pid, (indptr, members) = self._occurrence_arrays()
        bounds = np.searchsorted(doc, np.arange(len(self.doc_ids_) + 1))
        for i in range(len(self.doc_ids_)):
            lo, hi = bounds[i], bounds[i + 1]
            if lo == hi:
                continue
            cum = _content_prefix(self.index_.texts[i])
            denom = int(cum[-1])
            if not denom:
                continue
            s, e, p = start[lo:hi], end[lo:hi], pid[lo:hi]
            # explode: occurrence k × the documents of its passage (the row's own index is the diagonal)
            n_mem = indptr[p + 1] - indptr[p]
            k = np.repeat(np.arange(hi - lo), n_mem)
            first = np.repeat(indptr[p], n_mem)
            other = members[first + (np.arange(len(k)) - np.repeat(np.cumsum(n_mem) - n_mem, n_mem))]
            keep = other != i
            cols = np.concatenate([np.full(hi - lo, i), other[keep]])
            ks = np.concatenate([np.arange(hi - lo), k[keep]])
            covered = _union_content(cols, s[ks], e[ks], cum)
            col_ids = np.unique(cols)
            yield i, col_ids, covered[col_ids] / denom

    def matrix(self) -> "pd.DataFrame":
        """Document × document reuse: share of the row document's characters (non-whitespace) that
        lie in passages it shares with the column document; the diagonal is the share shared with any.

        Dense: n² cells for n documents. Beyond a few thousand documents use :meth:`pairs`."""
        import pandas as pd

        self._check()
        ids = self.doc_ids_
        m = np.zeros((len(ids), len(ids)))
        for i, cols, shares in self._rows():
            m[i, cols] = shares
        return pd.DataFrame(m, index=pd.Index(ids, name="doc_id"), columns=ids)

    def pairs(self, top: int | None = None) -> "pd.DataFrame":
        """The non-zero cells of :meth:`matrix` as rows ``doc_id, other_doc_id, share`` (diagonal
        excluded; ``reused`` is the row document's diagonal, its share reused from any document),
        each document's partners by falling share (ties by id), at most ``top`` of them when given."""
        import pandas as pd

        self._check()
        ids = np.array(self.doc_ids_, dtype=object)
        rows: list[tuple[str, str, float, float]] = []
        for i, cols, shares in self._rows():
            diag = float(shares[cols == i][0]) if (cols == i).any() else 0.0
            mask = cols != i
            c, v = cols[mask], shares[mask]
            order = np.lexsort((c, -v))[: top if top is not None else None]
            rows.extend((ids[i], ids[j], float(x), diag) for j, x in zip(c[order], v[order]))
        return pd.DataFrame(rows, columns=["doc_id", "other_doc_id", "share", "reused"])

    def to_records(self) -> list[dict[str, Any]]:
        """The passages as plain dicts (what ``reuse.json`` holds)."""
        return list(self.iter_records())

    def iter_records(self, order: str = "docs") -> Iterator[dict[str, Any]]:
        """:meth:`to_records` one passage at a time; ``order="coverage"``: the passages covering most text
        first (:meth:`by_coverage`), as ``reuse.json`` and the report list them."""
        self._check()
        if order not in ("docs", "coverage"):
            raise ValueError(f"order must be 'docs' or 'coverage', not {order!r}")
        passages = self.by_coverage() if order == "coverage" else self.passages_
        return (p.to_dict() for p in passages)

    def by_coverage(self) -> list[Passage]:
        """The passages by the text they make shared, documents × characters, most first (then by id): a long
        passage in 14 documents before an 8-character fragment in 15, which leads ``passages_``."""
        self._check()
        return sorted(self.passages_, key=lambda p: (-p.n_docs * p.n_chars, p.id))

    def to_frame(self) -> "pd.DataFrame":
        """One row per passage: id, kind, n_docs, chars, docs, text."""
        import pandas as pd

        self._check()
        rows = [{"id": p.id, "kind": p.kind, "n_docs": p.n_docs, "chars": p.n_chars, "occurrences": len(p.occurrences),
                 "docs": p.docs, "text": p.text} for p in self.passages_]
        return pd.DataFrame(rows, columns=["id", "kind", "n_docs", "chars", "occurrences", "docs", "text"])

    def _check(self) -> None:
        check_is_fitted(self, "passages_")


@lru_cache(maxsize=1)
def _whitespace_codepoints() -> np.ndarray:
    # every code point str.isspace() accepts lies below U+3001 (the last is U+3000, the ideographic space)
    return np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def _content_prefix(text: str) -> np.ndarray:
    """``cum[k]``: non-whitespace characters in ``text[:k]`` (length ``len(text) + 1``)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    cum = np.zeros(len(cps) + 1, dtype=np.int64)
    np.cumsum(~np.isin(cps, _whitespace_codepoints()), out=cum[1:])
    return cum


def _union_content(groups: np.ndarray, starts: np.ndarray, ends: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """Per group id (``np.bincount`` layout): non-whitespace characters in the union of its spans.

    Spans sorted by (group, start); each contributes what lies beyond the furthest end reached by the
    earlier spans of its group (a running maximum, kept from crossing groups by an offset per group).
    """
    if len(groups) == 0:
        return np.zeros(0)
    order = np.lexsort((ends, starts, groups))
    g, s, e = groups[order], starts[order], ends[order]
    big = int(len(cum)) + 1
    e_off = e + g * big
    reach = np.maximum.accumulate(e_off)
    prev = np.concatenate([[-1], reach[:-1]]) - g * big  # furthest end before this span, in its group
    lo = np.maximum(s, prev)
    contrib = np.where(e > lo, cum[e] - cum[np.minimum(lo, e)], 0)
    return np.bincount(g, weights=contrib)


def _not_subsumed(texts: Sequence[str], occs: Sequence[np.ndarray], ix: TextIndex, reach: int = 4096) -> list[int]:
    """Indices of the passages not subsumed: a passage is dropped when its first occurrence lies
    inside an occurrence of a longer passage with as many occurrences (one starting at most
    ``reach`` characters before it, in the same text)."""
    if not texts:
        return []
    n_occ = np.array([len(o) for o in occs], dtype=np.int64)
    length = np.array([len(t) for t in texts], dtype=np.int64)
    pid = np.repeat(np.arange(len(texts), dtype=np.int64), n_occ)
    start = np.concatenate(occs).astype(np.int64)
    end = start + length[pid]
    doc = ix.doc_of(start)
    order = np.lexsort((pid, -end, start))  # by global start (documents are contiguous), then longest first
    start, end, pid, doc = start[order], end[order], pid[order], doc[order]
    first = np.array([int(o[0]) for o in occs], dtype=np.int64)
    q_end = first + length
    hi = np.searchsorted(start, first, side="right")
    lo_doc = np.searchsorted(start, ix.doc_starts[ix.doc_of(first)], side="left")
    subsumed = np.zeros(len(texts), dtype=bool)
    active = np.arange(len(texts), dtype=np.int64)
    j = hi - 1
    while len(active):
        jj = j[active]
        live = (jj >= lo_doc[active])
        live[live] &= first[active[live]] - start[jj[live]] <= reach
        active, jj = active[live], jj[live]
        k2 = pid[jj]
        hit = (k2 != active) & (end[jj] >= q_end[active]) & (length[k2] > length[active]) & (n_occ[k2] == n_occ[active])
        subsumed[active[hit]] = True
        active = active[~hit]
        j[active] -= 1
    return np.flatnonzero(~subsumed).tolist()

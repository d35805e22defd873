"""The formulaicness (套话) index: how much of each sentence and document is corpus boilerplate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Iterator, Mapping, Sequence, TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

from ..records import Passage, SentenceRecord
from ..reuse import document_sentences
from ...kernels.codes import _index_dtype
from ...kernels.codes import code_mask
from .records import _csr_gather, _passage_rows, Phrase, SpanList
from .sentence_table import SentenceTable

if TYPE_CHECKING:  # pragma: no cover
    from ...corpus import Corpus, Document
    import pandas as pd

__all__ = ["FormulaicnessIndex", "PhraseSpans", "sentence_mean_ci"]


@dataclass
class PhraseSpans:
    """Contiguous phrases as flat arrays, for the 套话 index: a large bank without a
    :class:`Phrase` and a span list per entry. Phrase ``i`` is labelled ``labels[i]`` ("id phrase")
    and has the next ``counts[i]`` occurrences of ``docs``/``starts``/``ends`` (index into
    ``doc_ids``, clean start, clean end), phrase after phrase."""

    doc_ids: Sequence[str]
    labels: list[str]
    counts: np.ndarray
    docs: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


# --------------------------------------------------------------------------- the 套话 index


class FormulaicnessIndex(BaseEstimator):
    """The 套话 index: how much of a document's sentences is boilerplate, comparable across lengths.

    Boilerplate is corpus-level: passages shared with other documents (verbatim text, or the whole
    sentence for near-verbatim variants), contiguous phrases and slogans of the phrase bank, and
    the anchor words of its gapped patterns (not their fillers). Characters are counted without
    whitespace.

    A sentence's index is the share of its characters covered by boilerplate. A document's index
    is the mean over its sentences (each sentence weighs the same, so a few very long sentences
    of specific content do not swamp it), with a ``confidence`` interval from the sentences'
    spread (normal approximation, standard error sd/√n): a long document gets a narrow interval,
    a short one a wide one, and two documents whose intervals overlap are not told apart.
    ``covered_share`` keeps the share of all characters covered.

    Fitted attributes: ``documents_`` (DataFrame ranked most formulaic first: doc_id, title,
    chars, covered, reuse_chars, phrase_chars, covered_share, sentences, index, index_low,
    index_high, rank, evidence), ``sentences_`` (DataFrame:
    doc_id, sentence, unit_id, text, chars, covered, index, evidence; made from arrays when read, and
    streamed by :meth:`sentence_rows`), ``evidence_`` (per document id, the boilerplate items with the
    characters each covers).
    """

    def __init__(self, top_evidence: int = 5, confidence: float = 0.95):
        self.top_evidence = top_evidence
        self.confidence = confidence

    _parameter_constraints: dict = {
        "top_evidence": [Interval(Integral, 0, None, closed="left")],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
    }

    def fit(self, corpus: "Corpus", phrases: Sequence[Phrase] | PhraseSpans, passages: Sequence[Passage],
            sentences: Sequence[list[SentenceRecord]] | None = None) -> "FormulaicnessIndex":
        """Compute the index (``sentences``: the corpus's :func:`~gkcorpus.reuse.document_sentences`,
        when already computed; ``phrases``: records, or contiguous phrases as :class:`PhraseSpans`).
        Every item that overlaps a sentence counts, however long."""
        self._validate_params()
        import pandas as pd

        docs = list(corpus)
        pos = {d.id: i for i, d in enumerate(docs)}
        lengths = np.array([len(d.text) for d in docs], dtype=np.int64)
        base = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=base[1:])  # each text followed by one separator position
        items = _evidence_items(docs, pos, base, phrases, passages)
        nonws = _non_space([d.text for d in docs])
        nonws_cum = np.zeros(len(nonws) + 1, dtype=_index_dtype(len(nonws) + 1))
        np.cumsum(nonws, out=nonws_cum[1:])
        del nonws
        d0, d1 = base[:-1], base[:-1] + lengths
        chars = (nonws_cum[d1] - nonws_cum[d0]).tolist()
        covered_all = _Coverage.of(items.gs, items.ge, nonws_cum)
        covered = covered_all.count(d0, d1).tolist()
        reuse, phrase = items.kind == 0, items.kind == 1
        reuse_chars = _Coverage.of(items.gs[reuse], items.ge[reuse], nonws_cum).count(d0, d1).tolist()
        phrase_chars = _Coverage.of(items.gs[phrase], items.ge[phrase], nonws_cum).count(d0, d1).tolist()
        # evidence: characters of each item (the union of its spans) per document
        ev_doc, ev_label, ev_chars = _label_chars(items, base, nonws_cum)
        order = np.lexsort((items.label_rank[ev_label], -ev_chars, ev_doc))
        ev_doc, ev_label, ev_chars = ev_doc[order], ev_label[order], ev_chars[order]
        bounds = np.searchsorted(ev_doc, np.arange(len(docs) + 1)).tolist()
        self.evidence_ = _Evidence([d.id for d in docs], bounds, items.label_kind, items.labels,
                                   ev_label, ev_chars)
        self._sentences = self._sentence_table(docs, sentences, base, items, nonws_cum, covered_all)
        mean, low, high, n_sent = sentence_mean_ci(self._sentences.shares(), [d.id for d in docs], self.confidence)
        doc_rows = []
        for i, d in enumerate(docs):
            a, b = bounds[i], min(bounds[i + 1], bounds[i] + self.top_evidence)
            top = "; ".join(f"{items.labels[k]} ({c})" for k, c in zip(ev_label[a:b].tolist(), ev_chars[a:b].tolist()))
            doc_rows.append({
                "doc_id": d.id, "title": d.title, "chars": chars[i], "covered": covered[i],
                "reuse_chars": reuse_chars[i], "phrase_chars": phrase_chars[i],
                "covered_share": round(covered[i] / chars[i], 4) if chars[i] else 0.0, "sentences": n_sent[i],
                "index": round(mean[i], 4), "index_low": round(low[i], 4), "index_high": round(high[i], 4),
                "evidence": top,
            })
        ddf = pd.DataFrame(doc_rows, columns=["doc_id", "title", "chars", "covered", "reuse_chars", "phrase_chars",
                                              "covered_share", "sentences", "index", "index_low", "index_high",
                                              "evidence"])
        ddf = ddf.sort_values(["index", "doc_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        ddf.insert(ddf.columns.get_loc("index_high") + 1, "rank", np.arange(1, len(ddf) + 1))
        self.documents_ = ddf
        return self

    @property
    def sentences_(self) -> "pd.DataFrame":
        """The per-sentence table (doc_id, sentence, unit_id, text, chars, covered, index, evidence), made
        anew on each access from the arrays the fit keeps (:class:`SentenceTable`)."""
        if "_sentences" not in self.__dict__:
            raise AttributeError("sentences_: the index is not fitted (or its table was dropped once written)")
        return self._sentences.frame()

    def sentence_rows(self, chunk: int = 20_000) -> Iterator[dict[str, Any]]:
        """The rows of :attr:`sentences_` as dicts, made ``chunk`` sentences at a time (never the whole table)."""
        return self._sentences.rows(chunk)

    @staticmethod
    def _sentence_table(docs: Sequence["Document"], sentences: Sequence[list[SentenceRecord]] | None,
                        base: np.ndarray, items: "_EvidenceItems", nonws_cum: np.ndarray,
                        coverage: "_Coverage") -> SentenceTable:
        sents = list(sentences) if sentences is not None else [document_sentences(d, i) for i, d in enumerate(docs)]
        recs = [s for ss in sents for s in ss]
        sdoc = np.fromiter((s.doc for s in recs), dtype=np.int64, count=len(recs))
        g0 = base[sdoc] + np.fromiter((s.start for s in recs), dtype=np.int64, count=len(recs))
        g1 = base[sdoc] + np.fromiter((s.end for s in recs), dtype=np.int64, count=len(recs))
        n_chars = nonws_cum[g1] - nonws_cum[g0]
        cov = coverage.count(g0, g1)
        # the items overlapping each sentence, in item order, each label once
        first = np.searchsorted(g1, items.gs, side="right")  # first sentence ending after the item starts
        last = np.searchsorted(g0, items.ge, side="left")  # sentences starting before the item ends
        n_hit = np.maximum(last - first, 0)
        sent_of, item_of = _csr_gather(first, n_hit)
        keep = np.flatnonzero(g1[sent_of] > items.gs[item_of])
        sent_of, item_of = sent_of[keep], item_of[keep]
        lab = items.label[item_of]
        order = _lexsort((item_of, sent_of))
        sent_of, lab = sent_of[order], lab[order]
        seen = np.unique(sent_of * (len(items.labels) + 1) + lab, return_index=True)[1]
        first_seen = np.zeros(len(sent_of), dtype=bool)
        first_seen[seen] = True
        sent_of, lab = sent_of[first_seen], lab[first_seen]
        bounds = np.searchsorted(sent_of, np.arange(len(recs) + 1))
        return SentenceTable([d.id for d in docs], recs, n_chars, cov, bounds, lab.astype(np.int32), items.labels)


def sentence_mean_ci(sentences: "pd.DataFrame", doc_ids: Sequence[str], confidence: float = 0.95
                     ) -> tuple[list[float], list[float], list[float], list[int]]:
    """Per document of ``doc_ids``: mean of its sentences' ``index``, the interval's low and high
    ends (clipped to [0, 1]) and the number of sentences; a document without sentences gets 0."""
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    g = sentences.groupby("doc_id", sort=False)["index"]
    mean, sd, n = g.mean(), g.std(ddof=1).fillna(0.0), g.size()
    out_m, out_l, out_h, out_n = [], [], [], []
    for d in doc_ids:
        k = int(n.get(d, 0))
        m = float(mean.get(d, 0.0)) if k else 0.0
        half = z * float(sd.get(d, 0.0)) / np.sqrt(k) if k > 1 else (1.0 if k == 1 else 0.0)
        out_m.append(m)
        out_l.append(max(0.0, m - half))
        out_h.append(min(1.0, m + half))
        out_n.append(k)
    return out_m, out_l, out_h, out_n


@dataclass
class _EvidenceItems:
    """Boilerplate spans (global positions) with their labels: kind 0 = passage, 1 = phrase."""

    gs: np.ndarray
    ge: np.ndarray
    kind: np.ndarray
    label: np.ndarray
    labels: list[str]
    label_kind: list[str]
    label_rank: np.ndarray  # rank of (kind, label) in sorted order


def _lexsort(keys: Sequence[np.ndarray]) -> np.ndarray:
    """``np.lexsort(keys)`` for non-negative integer keys (the last one primary): one stable sort of the
    keys packed into one int64 when their ranges fit in 63 bits (about twice as fast), else lexsort."""
    if not len(keys[0]) or any(int(k.min()) < 0 for k in keys):
        return np.lexsort(keys)
    sizes = [int(k.max()) + 1 for k in keys]
    if math.prod(sizes) >= 2 ** 63:
        return np.lexsort(keys)
    packed = keys[-1].astype(np.int64)
    for k, size in zip(keys[-2::-1], sizes[-2::-1]):
        packed = packed * size + k
    return np.argsort(packed, kind="stable")


def _excerpt(text: str, limit: int = 30) -> str:
    """``text`` up to ``limit`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _anchor_spans(parts: Sequence[str], dix: np.ndarray, starts: np.ndarray,
                  texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts, ends and documents of the anchors (``parts``) of a gapped pattern's matches."""
    ss, ee, dd = [], [], []
    for d, s0 in zip(dix.tolist(), starts.tolist()):
        t = texts[d]
        k = s0
        for part in parts:
            k = t.index(part, k)
            ss.append(k)
            ee.append(k + len(part))
            dd.append(d)
            k += len(part)
    return tuple(np.array(x, dtype=np.int64) for x in (ss, ee, dd))  # type: ignore[return-value]


def _sorted_items(gs: list[np.ndarray], ge: list[np.ndarray], lab: list[np.ndarray], labels: list[str],
                  label_kind: list[str]) -> _EvidenceItems:
    """The spans joined and sorted by (start, end, kind, label); the passages' labels come first."""
    g_s = np.concatenate(gs) if gs else np.zeros(0, dtype=np.int64)
    g_e = np.concatenate(ge) if ge else np.zeros(0, dtype=np.int64)
    g_l = np.concatenate(lab) if lab else np.zeros(0, dtype=np.int64)
    # the passages' labels come first, then the phrases'
    n_pass = label_kind.count("passage")
    kinds = np.zeros(len(labels), dtype=np.int8)
    kinds[n_pass:] = 1
    # by kind, then label (each kind's labels sorted apart: no key tuple per label)
    rank_order = sorted(range(n_pass), key=labels.__getitem__) + \
        sorted(range(n_pass, len(labels)), key=labels.__getitem__)
    label_rank = np.empty(len(labels), dtype=np.int64)
    label_rank[rank_order] = np.arange(len(labels))
    kind = kinds[g_l] if len(g_l) else np.zeros(0, dtype=np.int8)
    order = _lexsort((label_rank[g_l] if len(g_l) else g_l, g_e, g_s))
    return _EvidenceItems(g_s[order], g_e[order], kind[order], g_l[order], labels, label_kind, label_rank)


def _passage_labels(rows: np.ndarray, passages: Sequence[Passage], texts: Sequence[str], labels: list[str],
                    label_kind: list[str]) -> np.ndarray:
    """Each passage occurrence's label (appended to ``labels``): a passage is cited in each document's
    own wording (a near-verbatim passage differs by document)."""
    label_of: dict[tuple[int, str | None], int] = {}
    own = []
    for d, a, b, k in rows.tolist():
        verbatim = passages[k].kind == "verbatim"
        key = (k, None if verbatim else texts[d][a:b])
        j = label_of.get(key)
        if j is None:
            j = label_of[key] = len(labels)
            labels.append(f"{passages[k].id} {_excerpt(passages[k].text if verbatim else key[1])}")
            label_kind.append("passage")
        own.append(j)
    return np.array(own, dtype=np.int64)


def _evidence_items(docs: Sequence["Document"], pos: dict[str, int], base: np.ndarray,
                    phrases: Sequence[Phrase] | PhraseSpans, passages: Sequence[Passage]) -> _EvidenceItems:
    """Spans of the passages' occurrences, the contiguous phrases and the anchors of gapped patterns,
    sorted by (start, end, kind, label)."""
    labels: list[str] = []
    label_kind: list[str] = []
    gs: list[np.ndarray] = []
    ge: list[np.ndarray] = []
    lab: list[np.ndarray] = []
    rows = _passage_rows(passages, [d.id for d in docs])
    gs.append(base[rows[:, 0]] + rows[:, 1])
    ge.append(base[rows[:, 0]] + rows[:, 2])
    texts = [d.text for d in docs]
    lab.append(_passage_labels(rows, passages, texts, labels, label_kind))
    ids = [d.id for d in docs]
    same_ids: dict[int, bool] = {}
    # occurrence arrays per phrase, joined once at the end (most phrases only pass their arrays on)
    p_doc: list[np.ndarray] = []
    p_start: list[np.ndarray] = []
    p_end: list[np.ndarray] = []
    p_count: list[int] = []
    if isinstance(phrases, PhraseSpans):
        doc_of = np.asarray(phrases.docs, dtype=np.int64)
        if list(phrases.doc_ids) != ids:
            doc_of = np.array([pos[d] for d in phrases.doc_ids], dtype=np.int64)[doc_of]
        p_doc.append(doc_of)
        p_start.append(phrases.starts)
        p_end.append(phrases.ends)
        p_count.extend(np.asarray(phrases.counts, dtype=np.int64).tolist())
        labels.extend(phrases.labels)
        label_kind.extend(["phrase"] * len(phrases.labels))
        phrases = ()
    for ph in phrases:
        sp = ph.spans
        if isinstance(sp, SpanList):
            key = id(sp._ids)
            if key not in same_ids:
                same_ids[key] = list(sp._ids) == ids
            if same_ids[key] and ph.kind != "gapped":
                p_doc.append(sp.docs)
                p_start.append(sp.starts)
                p_end.append(sp.ends)
                p_count.append(len(sp.docs))
                labels.append(f"{ph.id} {ph.phrase}")
                label_kind.append("phrase")
                continue
            dix = sp.docs.astype(np.int64) if same_ids[key] else \
                np.array([pos[sp._ids[k]] for k in sp.docs.tolist()], dtype=np.int64)
            starts, ends = sp.starts.astype(np.int64), sp.ends.astype(np.int64)
        else:
            dix = np.array([pos[d] for d, _, _ in sp], dtype=np.int64)
            starts = np.array([s0 for _, s0, _ in sp], dtype=np.int64)
            ends = np.array([e0 for _, _, e0 in sp], dtype=np.int64)
        if ph.kind == "gapped":  # the anchors, not the fillers
            starts, ends, dix = _anchor_spans(ph.parts, dix, starts, texts)
        p_doc.append(dix)
        p_start.append(starts)
        p_end.append(ends)
        p_count.append(len(starts))
        labels.append(f"{ph.id} {ph.phrase}")
        label_kind.append("phrase")
    if p_doc:
        dix = np.concatenate(p_doc).astype(np.int64)
        gs.append(base[dix] + np.concatenate(p_start).astype(np.int64))
        ge.append(base[dix] + np.concatenate(p_end).astype(np.int64))
        lab.append(np.repeat(np.arange(len(labels) - len(p_count), len(labels), dtype=np.int64),
                             np.array(p_count, dtype=np.int64)))
    return _sorted_items(gs, ge, lab, labels, label_kind)


def _label_chars(items: _EvidenceItems, base: np.ndarray,
                 nonws_cum: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (document, label): characters (no whitespace) in the union of the label's spans there.
    Returns arrays (document, label, characters)."""
    if not len(items.gs):
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    doc = np.searchsorted(base, items.gs, side="right") - 1
    order = _lexsort((items.gs, doc, items.label))
    lab, d, s, e = items.label[order], doc[order], items.gs[order], items.ge[order]
    group_new = np.ones(len(lab), dtype=bool)
    group_new[1:] = (lab[1:] != lab[:-1]) | (d[1:] != d[:-1])
    g = np.cumsum(group_new) - 1
    big = int(base[-1]) + 1
    reach = np.maximum.accumulate(e + g * big) - g * big  # running maximum of the ends within each group
    seg_new = group_new.copy()
    seg_new[1:] |= s[1:] > reach[:-1]
    seg_last = np.ones(len(lab), dtype=bool)
    seg_last[:-1] = seg_new[1:]
    n_chars = nonws_cum[reach[seg_last]] - nonws_cum[s[seg_new]]
    per_group = np.bincount(g[seg_new], weights=n_chars, minlength=int(g[-1]) + 1).astype(np.int64)
    return d[group_new], lab[group_new], per_group


@dataclass
class _Coverage:
    """The union of some spans (global positions) as sorted disjoint segments, with the running count
    of their non-whitespace characters."""

    start: np.ndarray
    end: np.ndarray
    cum: np.ndarray  # non-whitespace characters in segments before each one (length + 1)
    nonws_cum: np.ndarray

    @classmethod
    def of(cls, gs: np.ndarray, ge: np.ndarray, nonws_cum: np.ndarray) -> "_Coverage":
        """``gs`` ascending."""
        if not len(gs):
            z = np.zeros(0, dtype=np.int64)
            return cls(z, z, np.zeros(1, dtype=np.int64), nonws_cum)
        reach = np.maximum.accumulate(ge)
        new = np.ones(len(gs), dtype=bool)
        new[1:] = gs[1:] > reach[:-1]
        last = np.ones(len(gs), dtype=bool)
        last[:-1] = new[1:]
        start, end = gs[new], reach[last]
        cum = np.zeros(len(start) + 1, dtype=np.int64)
        np.cumsum(nonws_cum[end] - nonws_cum[start], out=cum[1:])
        return cls(start, end, cum, nonws_cum)

    def count(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Non-whitespace characters of ``[lo, hi)`` inside the segments, for each range."""
        i0 = np.searchsorted(self.end, lo, side="right")  # first segment ending after lo
        i1 = np.searchsorted(self.start, hi, side="left")  # segments starting before hi
        out = (self.cum[i1] - self.cum[i0]).astype(np.int64)
        some = i1 > i0
        nc = self.nonws_cum
        a = np.minimum(i0, max(len(self.start) - 1, 0))
        b = np.maximum(i1 - 1, 0)
        if len(self.start):
            s0 = self.start[a]
            out -= np.where(some & (s0 < lo), nc[np.maximum(lo, s0)] - nc[s0], 0)
            e1 = self.end[b]
            out -= np.where(some & (e1 > hi), nc[e1] - nc[np.minimum(hi, e1)], 0)
        return out


class _Evidence(Mapping):
    """Per document id, its boilerplate items (``{"kind", "item", "chars"}``), most characters first;
    held as arrays, each document's list built on access."""

    def __init__(self, doc_ids: Sequence[str], bounds: Sequence[int], label_kind: Sequence[str],
                 labels: Sequence[str], label: np.ndarray, chars: np.ndarray):
        self._pos = {d: i for i, d in enumerate(doc_ids)}
        self._ids = list(doc_ids)
        self._bounds = list(bounds)
        self._kind, self._labels, self._label, self._chars = label_kind, labels, label, chars

    def __getitem__(self, doc_id: str) -> list[dict[str, Any]]:
        i = self._pos[doc_id]
        a, b = self._bounds[i], self._bounds[i + 1]
        return [{"kind": self._kind[k], "item": self._labels[k], "chars": c}
                for k, c in zip(self._label[a:b].tolist(), self._chars[a:b].tolist())]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _non_space(texts: Sequence[str]) -> np.ndarray:
    """Per character of the texts joined by one separator each: not whitespace (separators are)."""
    codes = np.frombuffer(("\n".join(texts) + "\n").encode("utf-32-le"), dtype=np.uint32)
    return code_mask(codes, lambda c: not c.isspace(), separators=False)

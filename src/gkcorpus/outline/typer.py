"""Section types and document outlines: how the genre arranges its parts.

1. :func:`outline_segments` cuts one document into non-overlapping segments: the preamble before
   the first heading, each section down to ``depth`` (a parent keeps only the text before its first
   child), and -- with ``split_tail`` -- the document's last body paragraph when it is not the sole
   content of its section (the closing "在今后的工作中…" / "让我们…" paragraph usually sits under the
   last heading without a heading of its own). A document without headings falls back to its
   paragraphs (very long ones cut into runs of sentences).
2. :class:`SectionTyper` clusters the segments of the documents that have headings on heading + body
   (:class:`~gkcorpus.features.vectorize.UnitVectorizer` with a heading block), names each type by its most
   frequent headings and labels it by c-TF-IDF terms, then assigns the fallback segments of documents
   without headings to the nearest type. Type ids follow the types' mean position in the documents,
   so type 0 tends to be the opening and the last type the closing.
3. :class:`DocOutline` is a document's sequence of types (consecutive repeats merged);
   :func:`common_outline` gives the corpus's common outline with its support: the types most documents
   share in their usual order, the transition counts between types, the most travelled path through
   them, and the most frequent exact sequences.
4. :func:`document_kinds` clusters whole documents on five blocks: words, outline (bag of section
   types), layout, register (aspect/modal markers and function words) and genre (the plan/summary
   evidence of :func:`gkcorpus.features.genre.guess_genre`'s lexicons). On the 50 national reports the kinds
   follow eras; on the bundled corpus the genre block is what isolates the two work plans, which
   share no heading with each other while summaries 07 and 15 share their layout and directive
   register. :meth:`ClusteringRun.kind_outlines` gives each kind its own common outline.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from ..corpus import Unit
from .headings import masked_heading_counts
from .records import DocOutline, SectionType

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus

from .segments import outline_segments, ROLE_CLOSING, ROLE_FALLBACK, ROLE_OPENING, ROLE_SECTION

__all__ = [
    "SectionType",
    "SectionTyper",
    "DocOutline",
    "smooth_types",
]

# --------------------------------------------------------------------------- the typer


def _collapse(seq: Sequence[int]) -> list[int]:
    out: list[int] = []
    for t in seq:
        if not out or out[-1] != t:
            out.append(t)
    return out


class SectionTyper(BaseEstimator):
    """Cluster outline segments into section types and give every document its outline.

    Parameters
    ----------
    depth : deepest heading level that starts a segment (1: 一、; 2: also （一）…).
    split_tail : detach a closing last paragraph (see :func:`outline_segments`).
    vectorizer : the :class:`~gkcorpus.features.vectorize.UnitVectorizer` that makes a segment's
        vector (its body words and its heading); None for :meth:`default_vectorizer` (headings weigh
        0.7, heading n-grams in more than a fifth of the headings ignored). Its ``level`` is "section".
    clusterer : the :class:`~gkcorpus.features.cluster.Clusterer` that groups the vectors into types;
        None for :meth:`default_clusterer` (k-means, k chosen by silhouette over 4…20). Both are
        cloned at ``fit``, so the given ones stay unfitted.
    position_weight : share of the vector given to the segment's relative position in its document
        (encoded as a point on a quarter circle, so cosine similarity falls with distance): an opening
        and a closing paragraph may use the same words, but they are different parts.
    fallback_max_chars : in documents without headings, paragraphs longer than this are cut.
    random_state : seed of the default clusterer (a given clusterer keeps its own).

    Attributes (after ``fit``)
    --------------------------
    types_ : list of :class:`SectionType`, numbered by mean relative position.
    segments_ : DataFrame, one row per segment: unit table + ``role``, ``position``, ``type``, ``type_name``.
    counts_, matrix_ : term counts and the clustered vectors (body | heading | position) of the segments.
    centers_ : the types' centroids (rows of ``matrix_`` space); ``predict``/``transform`` use them.
    vectorizer_, clusterer_, metrics_ : the fitted UnitVectorizer, Clusterer and its ClusterMetrics.
    """

    def __init__(
        self,
        depth: int = 1,
        split_tail: bool = True,
        vectorizer: "UnitVectorizer | None" = None,
        clusterer: "Clusterer | None" = None,
        position_weight: float = 0.2,
        fallback_max_chars: int = 2000,
        random_state: int = 0,
        progress: bool = False,
    ):
        self.depth = depth
        self.split_tail = split_tail
        self.vectorizer = vectorizer
        self.clusterer = clusterer
        self.position_weight = position_weight
        self.fallback_max_chars = fallback_max_chars
        self.random_state = random_state
        self.progress = progress

    @staticmethod
    def default_vectorizer(analyzer: Any = "word", tokenizer: Any = None, progress: bool = False) -> "UnitVectorizer":
        """The segment vectors used when none is given: body words plus the heading (weight 0.7,
        character 1–2-grams, those in more than a fifth of the headings ignored)."""
        from ..features.vectorize import UnitVectorizer

        return UnitVectorizer(level="section", analyzer=analyzer, tokenizer=tokenizer, heading_weight=0.7,
                              heading_levels=("section",), heading_ngram_range=(1, 2), heading_max_df=0.2,
                              progress=progress)

    @staticmethod
    def default_clusterer(n_types: int | str = "auto", method: str = "kmeans", random_state: int = 0) -> "Clusterer":
        """The clustering used when none is given: ``n_types`` ("auto": silhouette over 4…20) by ``method``."""
        from ..features.cluster import Clusterer

        return Clusterer(method=method, n_clusters=n_types, k_range=(4, 20), random_state=random_state)

    @property
    def tokenizer(self) -> Any:
        """The word tokenizer of the segment vectors (None: the default)."""
        return self.vectorizer.tokenizer if self.vectorizer is not None else None

    def _segments(self, corpus: "Corpus") -> list[tuple[Unit, str]]:
        return [s for d in corpus for s in outline_segments(d, self.depth, self.split_tail, self.fallback_max_chars)]

    _parameter_constraints: dict = {
        "depth": [Interval(Integral, 1, None, closed="left")],
        "split_tail": ["boolean"],
        "vectorizer": [None, HasMethods(["vectorize", "get_params"])],
        "clusterer": [None, HasMethods(["fit", "get_params"])],
        "position_weight": [Interval(Real, 0, None, closed="left")],
        "fallback_max_chars": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "progress": ["boolean"],
    }

    def __getstate__(self) -> dict:
        """Pickled without ``centers_`` when it is the clusterer's centroids in type order (rebuilt
        on unpickling): the centroids are the largest part of a fitted typer and are stored once."""
        state = self.__dict__.copy()
        order = state.get("_center_order")
        source = getattr(state.get("clusterer_"), "cluster_centers_", None)
        centers = state.get("centers_")
        if order is not None and source is not None and centers is not None and np.array_equal(source[order], centers):
            state["centers_"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if state.get("centers_", True) is None and state.get("_center_order") is not None:
            self.centers_ = self.clusterer_.cluster_centers_[self._center_order]

    def fit(self, corpus: "Corpus", y: Any = None) -> "SectionTyper":
        """Learn the section types of ``corpus`` and type all its segments."""
        self._validate_params()
        from ..features.cluster import Clusterer, label_clusters
        from ..features.vectorize import UnitVectorizer

        segs = self._segments(corpus)
        if not segs:
            raise ValueError("the corpus has no text to outline")
        roles = np.array([r for _, r in segs])
        fit_rows = np.flatnonzero(roles != ROLE_FALLBACK)
        if len(fit_rows) < 2:  # no document has headings: type the paragraphs themselves
            fit_rows = np.arange(len(segs))
        units = [u for u, _ in segs]
        fit_units = [units[i] for i in fit_rows]
        self.vectorizer_ = (clone(self.vectorizer).set_params(level="section") if self.vectorizer is not None
                            else self.default_vectorizer(progress=self.progress))
        # one analysis of every segment: the vocabulary and IDF cover the fallback paragraphs too,
        # but only the segments of documents with headings shape the types
        full = self.vectorizer_.vectorize(units, fit=True)
        X_all = self._with_position(full.matrix, units)
        self.counts_ = full.counts
        self.matrix_ = X_all
        self.titles_ = {d.id: d.title for d in corpus}
        vec = replace(full, matrix=X_all[fit_rows], counts=full.counts[fit_rows],
                      units=full.units.iloc[fit_rows].reset_index(drop=True),
                      heading_counts=None if full.heading_counts is None else full.heading_counts[fit_rows])
        self.clusterer_ = (clone(self.clusterer) if self.clusterer is not None
                           else self.default_clusterer(random_state=self.random_state)).fit(vec.matrix)
        raw = self.clusterer_.labels_
        # order types by their mean relative position in the documents
        pos = _relative_positions(fit_units)
        k = self.clusterer_.n_clusters_
        mean_pos = [float(np.mean(pos[raw == c])) if (raw == c).any() else 1.0 for c in range(k)]
        order = sorted(range(k), key=lambda c: (round(mean_pos[c], 6), c))
        remap = {old: new for new, old in enumerate(order)}
        self._center_order = np.array(order, dtype=np.int64)
        self.centers_ = self.clusterer_.cluster_centers_[self._center_order]
        fit_types = np.array([remap[c] if c >= 0 else -1 for c in raw], dtype=int)
        labels = label_clusters(vec, fit_types, self.centers_)
        fit_roles = roles[fit_rows]
        self.types_ = []
        for lab in labels:
            members = fit_types == lab.cluster
            role_count = Counter(fit_roles[members].tolist())
            self.types_.append(SectionType(
                type_id=lab.cluster, name=_type_name(lab.headings, role_count, lab.label), label=lab.label,
                size=lab.size, n_docs=lab.n_docs, mean_position=round(float(np.mean(pos[members])), 4),
                roles=dict(sorted(role_count.items())), headings=lab.headings, heading_terms=lab.heading_terms,
                terms=lab.terms, exemplars=lab.exemplars,
            ))
        self.metrics_ = self.clusterer_.metrics_
        types = np.full(len(units), -1, dtype=int)
        types[fit_rows] = fit_types
        rest = np.setdiff1d(np.arange(len(units)), fit_rows)
        if len(rest):
            types[rest] = self._nearest(X_all[rest])
        self.segments_ = self._frame(segs, types)
        # every count a user reads comes from the typed segments: the fitted ones and those typed by
        # their nearest type (paragraphs of documents without headings) alike
        doc_ids = np.array([u.doc_id for u in units], dtype=object)
        self.types_ = [replace(t, size=int((types == t.type_id).sum()),
                               n_docs=len(set(doc_ids[types == t.type_id].tolist()))) for t in self.types_]
        self.n_segments_ = len(units)
        self.n_fitted_ = len(fit_rows)
        return self

    def _with_position(self, X: Any, units: Sequence[Unit]) -> Any:
        """Append the position block: relative position p as (cos πp/2, sin πp/2), share ``position_weight``."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        w = float(self.position_weight)
        if w <= 0:
            return X
        p = _relative_positions(units) * (np.pi / 2)
        P = sp.csr_matrix(np.column_stack([np.cos(p), np.sin(p)]))
        return normalize(sp.hstack([X * np.sqrt(1 - w), P * np.sqrt(w)], format="csr"))

    def _nearest(self, X: Any) -> np.ndarray:
        out = np.full(X.shape[0], -1, dtype=int)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        live = np.flatnonzero(norms > 0)
        if len(live):
            out[live] = np.asarray(X[live] @ self.centers_.T).argmax(axis=1)
        return out

    def _predict_units(self, units: Sequence[Unit]) -> np.ndarray:
        return self._nearest(self._with_position(self.vectorizer_.transform(units), units))

    def _frame(self, segs: list[tuple[Unit, str]], types: np.ndarray) -> "pd.DataFrame":
        from ..features.vectorize import unit_table

        df = unit_table([u for u, _ in segs])
        df.insert(3, "role", [r for _, r in segs])
        df["position"] = _relative_positions([u for u, _ in segs])
        df["type"] = types
        names = {t.type_id: t.name for t in self.types_}
        df["type_name"] = [names.get(int(t), "(unassigned)") for t in types]
        return df

    def transform(self, corpus: "Corpus") -> "pd.DataFrame":
        """The segments of another corpus, each assigned the nearest fitted type."""
        return self.segment_counts(corpus)[0]

    def segment_counts(self, corpus: "Corpus | None" = None) -> tuple["pd.DataFrame", Any]:
        """Typed segments and their term counts (fitted vocabulary), of the fitted corpus or of ``corpus``."""
        check_is_fitted(self, "types_")
        if corpus is None:
            return self.segments_, self.counts_
        segs = self._segments(corpus)
        units = [u for u, _ in segs]
        counts, hcounts = self.vectorizer_._counts(units)
        X = self._with_position(self.vectorizer_._weigh(counts, hcounts), units)
        return self._frame(segs, self._nearest(X)), counts

    def outlines(self, corpus: "Corpus | None" = None) -> list[DocOutline]:
        """Every document's outline (of the fitted corpus, or of ``corpus`` typed by :meth:`transform`)."""
        check_is_fitted(self, "types_")
        df = self.segments_ if corpus is None else self.transform(corpus)
        titles = {d.id: d.title for d in corpus} if corpus is not None else self.titles_
        out = []
        for doc_id, g in df.groupby("doc_id", sort=False):
            segs = [{"unit_id": r.unit_id, "role": r.role, "heading": r.heading if r.role == ROLE_SECTION else "",
                     "type": int(r.type)} for r in g.itertuples()]
            fallback = bool((g.role == ROLE_FALLBACK).all())
            seq = [s["type"] for s in segs]
            out.append(DocOutline(str(doc_id), titles.get(doc_id, str(doc_id)),
                                  _collapse(smooth_types(seq) if fallback else seq), segs, fallback=fallback))
        return out

    def fit_outlines(self, corpus: "Corpus") -> list[DocOutline]:
        """Fit, then return every document's outline."""
        return self.fit(corpus).outlines()

    def type_by_id(self, type_id: int) -> SectionType:
        return next(t for t in self.types_ if t.type_id == type_id)


def _relative_positions(units: Sequence[Unit]) -> np.ndarray:
    """Position of each unit in its document, 0 (first) .. 1 (last)."""
    count = Counter(u.doc_id for u in units)
    seen: Counter[str] = Counter()
    out = np.zeros(len(units))
    for i, u in enumerate(units):
        n = count[u.doc_id]
        out[i] = seen[u.doc_id] / (n - 1) if n > 1 else 0.0
        seen[u.doc_id] += 1
    return out


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _type_name(headings: list[tuple[str, int]], roles: Counter, label: str) -> str:
    """Openings and closings by role; otherwise the type's most frequent (then most central) heading, its
    years, plan numbers and counts masked (``Y工作回顾`` for every year's review, not one year's heading), and
    how many other masked headings the type holds."""
    total = sum(roles.values())
    if roles.get(ROLE_OPENING, 0) * 2 > total:
        return f"(opening) {label}"
    if roles.get(ROLE_CLOSING, 0) * 2 > total:
        return f"(closing) {label}"
    masked = [(h, n) for h, n in masked_heading_counts(headings) if h]
    if masked:
        name = _short(masked[0][0], 14)
        if len(masked) > 1:
            name += f" (+{len(masked) - 1})"
        return name
    return f"({label})"


def smooth_types(types: Sequence[int]) -> list[int]:
    """Majority filter of width 3: a lone segment between two of one type takes that type.

    Used on the paragraph fallback, where single paragraphs are typed noisily.
    """
    out = list(types)
    for i in range(1, len(out) - 1):
        if out[i - 1] == out[i + 1] != out[i]:
            out[i] = out[i - 1]
    return out



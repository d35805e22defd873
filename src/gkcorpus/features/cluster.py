"""Clustering of vectorized units, labelled clusters, and near-identical sentences.

* :class:`Clusterer`: k-means, agglomerative (average linkage, cosine) or HDBSCAN behind one
  scikit-learn interface. ``n_clusters="auto"`` tries every k in ``k_range`` and keeps the one with
  the best cosine silhouette, computed on a seeded sample of at most ``sample_size`` rows (the sample
  is clustered and scored; the chosen k is then fitted on all rows). Above ``minibatch_above`` rows
  k-means becomes MiniBatchKMeans; above ``max_exact`` rows agglomerative and HDBSCAN (which need
  all pairwise distances) run on a TruncatedSVD-reduced sample and the other rows join the nearest
  centroid. Cluster ids are renumbered by size (largest first, ties by first member), so the same
  input gives the same ids.
* :func:`class_tfidf` (c-TF-IDF as defined by BERTopic) and :func:`label_clusters`: each cluster's
  distinctive terms and its exemplars (the members closest to the centroid).
* :func:`near_identical_groups`: near-duplicate search over character 3-grams (kernels.neardup:
  MinHash LSH candidates checked by exact Jaccard), pairs joined into groups; groups spanning at
  least two documents are boilerplate candidates. Nothing here builds an n×n matrix.
* :func:`cluster_units`: vectorize + cluster + label in one call, as the command line does.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus, Unit
    from .vectorize import VectorizedUnits

_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

__all__ = [
    "Clusterer",
    "ClusterMetrics",
    "ClusterLabel",
    "ClusterResult",
    "NearIdenticalGroup",
    "class_tfidf",
    "davies_bouldin",
    "label_clusters",
    "cluster_units",
    "near_identical_groups",
    "minhash_units",
    "normalize_for_matching",
    "METHODS",
]

METHODS = ("kmeans", "agglomerative", "hdbscan")
NOISE = -1  # label of rows left out: HDBSCAN noise, or rows without any feature


# --------------------------------------------------------------------------- helpers


def _row_norms(X: Any) -> np.ndarray:
    if sp.issparse(X):
        return np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return np.linalg.norm(X, axis=1)


def _sample(n: int, size: int, random_state: int) -> np.ndarray:
    """Sorted row indices of a seeded sample (all rows when ``n <= size``)."""
    if n <= size:
        return np.arange(n)
    rng = np.random.RandomState(random_state)
    return np.sort(rng.choice(n, size=size, replace=False))


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Cluster ids by size (largest first), ties by first member; NOISE stays NOISE."""
    out = np.full_like(labels, NOISE)
    keep = labels != NOISE
    if not keep.any():
        return out
    ids, first, counts = np.unique(labels[keep], return_index=True, return_counts=True)
    first_pos = np.flatnonzero(keep)[first]
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], first_pos[i]))
    mapping = {ids[i]: new for new, i in enumerate(order)}
    out[keep] = [mapping[x] for x in labels[keep]]
    return out


def _centroids(X: Any, labels: np.ndarray, k: int) -> np.ndarray:
    """L2-normalised mean row of each cluster 0..k-1, in the space of ``X`` (dense k×d)."""
    rows = np.flatnonzero(labels != NOISE)
    ind = sp.csr_matrix((np.ones(len(rows)), (labels[rows], rows)), shape=(k, X.shape[0]))
    C = ind @ X
    C = C.toarray() if sp.issparse(C) else np.asarray(C)
    return normalize(C)


def _dense_or_reduced(X: Any, max_cells: int, n_components: int, random_state: int) -> np.ndarray:
    """A dense version of ``X``: as is when small enough, otherwise TruncatedSVD-reduced and renormalised."""
    if not sp.issparse(X):
        return np.asarray(X)
    if X.shape[0] * X.shape[1] <= max_cells:
        return X.toarray()
    from sklearn.decomposition import TruncatedSVD

    n_comp = max(2, min(n_components, X.shape[1] - 1, X.shape[0] - 1))
    Z = TruncatedSVD(n_components=n_comp, random_state=random_state).fit_transform(X)
    return normalize(Z)


# --------------------------------------------------------------------------- metrics


@dataclass
class ClusterMetrics:
    """Quality of a clustering: cosine silhouette (on a sample when large), Davies–Bouldin (all rows), sizes."""

    n_units: int
    n_clusters: int
    silhouette: float | None
    davies_bouldin: float | None
    sizes: dict[int, int]
    n_unassigned: int
    silhouette_sample: int
    k_scores: dict[int, float] = field(default_factory=dict)
    selection: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sizes"] = {str(k): v for k, v in self.sizes.items()}
        d["k_scores"] = {str(k): v for k, v in self.k_scores.items()}
        return d


def davies_bouldin(X: Any, labels: np.ndarray) -> float | None:
    """Davies–Bouldin index (Euclidean, as scikit-learn's) on all rows, sparse or dense, without densifying.

    s_i is the mean distance of cluster i's rows to its centroid, M_ij the distance between
    centroids; DB = mean_i max_{j≠i} (s_i + s_j) / M_ij. Distances to a centroid come from
    ||x||² − 2 x·c + ||c||², so only the k×d centroid matrix is dense.
    """
    ids = np.unique(labels)
    if len(ids) < 2:
        return None
    lab = np.searchsorted(ids, labels)
    k = len(ids)
    ind = sp.csr_matrix((np.ones(len(lab)), (lab, np.arange(len(lab)))), shape=(k, X.shape[0]))
    n = np.asarray(ind.sum(axis=1)).ravel()
    C = ind @ X
    C = (C.toarray() if sp.issparse(C) else np.asarray(C)) / n[:, None]
    x2 = _row_norms(X) ** 2
    xc = np.asarray(X @ C.T)
    c2 = (C**2).sum(axis=1)
    d = np.sqrt(np.maximum(x2 - 2 * xc[np.arange(len(lab)), lab] + c2[lab], 0))
    s = np.bincount(lab, weights=d, minlength=k) / n
    M = np.sqrt(np.maximum(c2[:, None] - 2 * C @ C.T + c2[None, :], 0))
    np.fill_diagonal(M, np.inf)
    R = (s[:, None] + s[None, :]) / np.where(M > 0, M, np.finfo(float).eps)
    np.fill_diagonal(R, -np.inf)
    return float(R.max(axis=1).mean())


def cluster_metrics(X: Any, labels: np.ndarray, sample_size: int = 3000, random_state: int = 0,
                    k_scores: dict[int, float] | None = None, selection: str = "") -> ClusterMetrics:
    """Silhouette (cosine, seeded sample of at most ``sample_size``), Davies–Bouldin (all rows) and sizes."""
    from sklearn.metrics import silhouette_score

    keep = np.flatnonzero(labels != NOISE)
    ids, counts = np.unique(labels[keep], return_counts=True)
    k = len(ids)
    sil = db = None
    n_s = 0
    if 2 <= k < len(keep):
        idx = keep[_sample(len(keep), sample_size, random_state)]
        n_s = len(idx)
        if len(np.unique(labels[idx])) >= 2:
            sil = float(silhouette_score(X[idx], labels[idx], metric="cosine"))
        db = davies_bouldin(X[keep], labels[keep])
    return ClusterMetrics(
        n_units=int(X.shape[0]), n_clusters=int(k), silhouette=sil, davies_bouldin=db,
        sizes={int(i): int(c) for i, c in zip(ids, counts)}, n_unassigned=int(X.shape[0] - len(keep)),
        silhouette_sample=int(n_s), k_scores=dict(k_scores or {}), selection=selection,
    )


# --------------------------------------------------------------------------- the estimator


class Clusterer(ClusterMixin, BaseEstimator):
    """Cluster L2-normalised rows (TF-IDF) by cosine, with k chosen by silhouette or given.

    Parameters
    ----------
    method : "kmeans", "agglomerative" (average linkage, cosine distance) or "hdbscan".
    n_clusters : "auto" or an int (ignored by HDBSCAN, which finds its own number).
    k_range : (lowest, highest) k tried by ``"auto"``.
    min_mean_size : "auto" tries no k above n_rows / min_mean_size (at least the lowest k): the
        silhouette of sparse text keeps rising as clusters shrink to near-duplicate pairs, so without
        a floor on the mean cluster size it would always pick the highest k.
    sample_size : rows used to choose k and to compute the silhouette when there are more.
    minibatch_above : k-means switches to MiniBatchKMeans above this many rows.
    max_exact : agglomerative/HDBSCAN run on all rows up to this many; above, on an SVD-reduced
        seeded sample of this size, the other rows joining the nearest centroid.
    svd_components : dimensions of that reduction (and of the one below).
    lsa_above : when choosing k on a sample of at least this many rows, each k-means runs on an
        SVD reduction of the sample (LSA), and the silhouettes are computed there. The final
        k-means then makes its restarts in that reduction and one refining run on the TF-IDF rows:
        dense k × vocabulary centroids (and sample × sample products) make every sparse run costly.
    min_cluster_size : HDBSCAN's smallest cluster.
    n_init : k-means restarts.
    random_state : seed of every random choice (samples, k-means, SVD).

    Attributes (after ``fit``)
    --------------------------
    labels_ : cluster of each row (-1: no feature, or HDBSCAN noise), ids by size.
    n_clusters_, cluster_centers_ : number of clusters and their L2-normalised mean rows (dense k×d).
    k_scores_ : silhouette of every k tried by "auto"; selection_ : how k was chosen, in words.
    metrics_ : :class:`ClusterMetrics`; notes_ : what was done differently (sampling, dropped rows).
    """

    def __init__(
        self,
        method: str = "kmeans",
        n_clusters: int | str = "auto",
        k_range: tuple[int, int] = (2, 20),
        sample_size: int = 2000,
        minibatch_above: int = 10_000,
        max_exact: int = 5000,
        svd_components: int = 100,
        min_cluster_size: int = 5,
        min_mean_size: int = 5,
        lsa_above: int = 200,
        n_init: int = 10,
        random_state: int = 0,
    ):
        self.method = method
        self.n_clusters = n_clusters
        self.k_range = k_range
        self.sample_size = sample_size
        self.minibatch_above = minibatch_above
        self.max_exact = max_exact
        self.svd_components = svd_components
        self.min_cluster_size = min_cluster_size
        self.min_mean_size = min_mean_size
        self.lsa_above = lsa_above
        self.n_init = n_init
        self.random_state = random_state

    # ---- one clustering of rows Z into k groups (raw labels, not renumbered)
    def _kmeans(self, Z: Any, k: int, n_init: int | None = None, init: np.ndarray | None = None) -> np.ndarray:
        """Labels of k-means on ``Z``; from the given centroids (one start) when ``init`` is given."""
        from sklearn.cluster import KMeans, MiniBatchKMeans

        start: dict[str, Any] = {"init": init, "n_init": 1} if init is not None else {}
        if Z.shape[0] > self.minibatch_above:
            est = MiniBatchKMeans(n_clusters=k, random_state=self.random_state, batch_size=4096,
                                  max_no_improvement=20, **(start or {"n_init": 3}))
        else:
            est = KMeans(n_clusters=k, random_state=self.random_state, **(start or {"n_init": n_init or self.n_init}))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning on duplicate rows: harmless here
            return est.fit_predict(Z)

    def _linkage(self, Z: np.ndarray) -> np.ndarray:
        from scipy.cluster.hierarchy import linkage

        return linkage(Z, method="average", metric="cosine")

    def _cut(self, tree: np.ndarray, k: int) -> np.ndarray:
        from scipy.cluster.hierarchy import fcluster

        return fcluster(tree, t=k, criterion="maxclust") - 1

    def _hdbscan(self, Z: np.ndarray) -> np.ndarray:
        from sklearn.cluster import HDBSCAN

        # Euclidean distance between unit vectors is a monotone function of cosine distance.
        return HDBSCAN(min_cluster_size=self.min_cluster_size, copy=False).fit_predict(Z)

    def _choose_k(self, Z: Any, tree: np.ndarray | None, n_total: int,
                  Zk: Any = None) -> tuple[int, dict[int, float]]:
        """Best silhouette (cosine, in the space of ``Z``) over the k range; k-means runs on ``Zk`` if given.

        Give ``Z = Zk`` (the LSA rows) on large inputs: the sparse silhouette's dense sample×sample
        product over a wide vocabulary costs more than all the k-means runs.
        """
        from sklearn.metrics import silhouette_score

        n = Z.shape[0]
        Zk = Z if Zk is None else Zk
        lo, hi = self.k_range
        hi = min(hi, n - 1, max(lo, n_total // max(1, self.min_mean_size)))
        lo = max(2, min(lo, hi))
        scores: dict[int, float] = {}
        for k in range(lo, hi + 1):
            # while choosing k, fewer restarts: the final fit uses all n_init
            lab = self._cut(tree, k) if tree is not None else self._kmeans(Zk, k, max(1, self.n_init // 3))
            if len(np.unique(lab)) < 2:
                continue
            scores[k] = round(float(silhouette_score(Z, lab, metric="cosine")), 6)
        if not scores:
            return max(1, min(lo, n)), scores
        best = max(scores.values())
        return min(k for k, s in scores.items() if s == best), scores

    _parameter_constraints: dict = {
        "method": [StrOptions(set(METHODS))],
        "n_clusters": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "k_range": [tuple],
        "sample_size": [Interval(Integral, 2, None, closed="left")],
        "minibatch_above": [Interval(Integral, 1, None, closed="left")],
        "max_exact": [Interval(Integral, 2, None, closed="left")],
        "svd_components": [Interval(Integral, 1, None, closed="left")],
        "min_cluster_size": [Interval(Integral, 2, None, closed="left")],
        "min_mean_size": [Interval(Integral, 1, None, closed="left")],
        "lsa_above": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def fit(self, X: Any, y: Any = None) -> "Clusterer":
        """Cluster the rows of ``X`` (sparse or dense, rows L2-normalised)."""
        self._validate_params()
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")
        auto = self.n_clusters == "auto"
        if not auto and (not isinstance(self.n_clusters, (int, np.integer)) or self.n_clusters < 1):
            raise ValueError(f"n_clusters must be 'auto' or a positive int, got {self.n_clusters!r}")
        X = X.tocsr() if sp.issparse(X) else np.asarray(X, dtype=float)
        n = X.shape[0]
        labels = np.full(n, NOISE, dtype=int)
        live = np.flatnonzero(_row_norms(X) > 0)  # rows without features cannot be placed by cosine
        self.notes_: list[str] = []
        if n - len(live):
            self.notes_.append(f"{n - len(live)} unit(s) without any feature left unassigned (-1)")
        k_scores: dict[int, float] = {}
        Xl = X[live]
        m = len(live)
        if m == 0:
            raise ValueError("no unit has any feature: nothing to cluster")
        if m == 1 or (not auto and self.n_clusters == 1):
            raw = np.zeros(m, dtype=int)
            selection = "one cluster (fewer than two units, or n_clusters=1)"
        elif self.method == "kmeans":
            raw = None
            if auto:
                idx = _sample(m, self.sample_size, self.random_state)
                Xs = Xl[idx]
                Zk, how = None, "all units" if len(idx) == m else f"a seeded sample of {len(idx)} of {m} units"
                if len(idx) >= self.lsa_above and Xs.shape[1] > 2 * self.svd_components:
                    # k-means over thousands of sparse columns spends its time on dense k×d centroids:
                    # try each k on an LSA (TruncatedSVD) of the sample, score it in the TF-IDF space
                    from sklearn.decomposition import TruncatedSVD

                    svd = TruncatedSVD(n_components=self.svd_components, random_state=self.random_state)
                    Zk = normalize(svd.fit_transform(Xs))
                    how += f" (k-means and silhouette on its SVD-{self.svd_components} reduction)"
                k, k_scores = self._choose_k(Xs if Zk is None else Zk, None, m, Zk)
                selection = (f"k={k}: best cosine silhouette ({k_scores.get(k, float('nan')):.3f}) over "
                             f"k={min(k_scores, default=k)}..{max(k_scores, default=k)}, k-means on {how}")
                if Zk is not None:
                    # the final fit too: all restarts in the LSA space, then Lloyd in the TF-IDF space
                    # from those centroids (one start instead of n_init on dense k×vocabulary centroids)
                    raw = self._kmeans(normalize(svd.transform(Xl)), k)
                    raw = self._kmeans(Xl, k, init=_centroids(Xl, raw, k))
                    selection += "; final k-means: restarts on the LSA reduction, refined on TF-IDF"
            else:
                k = min(int(self.n_clusters), m)
                selection = f"k={k} given"
            if raw is None:
                raw = self._kmeans(Xl, k)
            if m > self.minibatch_above:
                selection += f"; MiniBatchKMeans on {m} units"
        else:
            raw, selection, k_scores = self._fit_pairwise(Xl, auto)
        labels[live] = raw
        self.labels_ = _renumber(labels)
        self.n_clusters_ = int(self.labels_.max() + 1) if (self.labels_ != NOISE).any() else 0
        self.cluster_centers_ = _centroids(X, self.labels_, self.n_clusters_)
        self.k_scores_ = k_scores
        self.selection_ = selection
        self.metrics_ = cluster_metrics(X, self.labels_, max(self.sample_size, 3000), self.random_state,
                                        k_scores, selection)
        return self

    def _fit_pairwise(self, Xl: Any, auto: bool) -> tuple[np.ndarray, str, dict[int, float]]:
        """Agglomerative or HDBSCAN, exact up to ``max_exact`` rows, else on an SVD-reduced sample."""
        m = Xl.shape[0]
        sample = _sample(m, self.max_exact, self.random_state)
        reduced = len(sample) < m
        if reduced:
            from sklearn.decomposition import TruncatedSVD

            n_comp = max(2, min(self.svd_components, Xl.shape[1] - 1))
            svd = TruncatedSVD(n_components=n_comp, random_state=self.random_state)
            Z = normalize(svd.fit_transform(Xl[sample]))
            where = f"an SVD-{n_comp} reduction of a seeded sample of {len(sample)} of {m} units"
            self.notes_.append(f"{self.method} needs all pairwise distances: ran on {where}; "
                               "the other units joined the nearest centroid")
        else:
            Z = _dense_or_reduced(Xl, 50_000_000, self.svd_components, self.random_state)
            where = f"all {m} units"
        k_scores: dict[int, float] = {}
        if self.method == "agglomerative":
            tree = self._linkage(Z)
            if auto:
                k, k_scores = self._choose_k(Z, tree, m)
                selection = (f"k={k}: best cosine silhouette ({k_scores.get(k, float('nan')):.3f}) over "
                             f"k={min(k_scores, default=k)}..{max(k_scores, default=k)}, average-linkage cosine "
                             f"tree on {where}")
            else:
                k = min(int(self.n_clusters), len(sample))
                selection = f"k={k} given; average-linkage cosine tree on {where}"
            part = self._cut(tree, k)
        else:
            part = self._hdbscan(Z)
            found = len(set(part) - {NOISE})
            selection = (f"HDBSCAN (min_cluster_size={self.min_cluster_size}) found {found} clusters and "
                         f"{int((part == NOISE).sum())} noise units on {where}")
            if not auto:
                selection += "; n_clusters is ignored by HDBSCAN"
        if not reduced:
            return part, selection, k_scores
        labels = np.full(m, NOISE, dtype=int)
        labels[sample] = part
        k_found = int(part.max() + 1) if (part != NOISE).any() else 0
        if k_found:
            C = _centroids(Xl, labels, k_found)
            rest = np.setdiff1d(np.arange(m), sample)
            for lo in range(0, len(rest), 4096):
                block = rest[lo : lo + 4096]
                labels[block] = np.asarray((Xl[block] @ C.T)).argmax(axis=1)
        return labels, selection, k_scores

    def predict(self, X: Any) -> np.ndarray:
        """The nearest centroid (cosine) of each row; rows without features get -1."""
        check_is_fitted(self, "cluster_centers_")
        X = X.tocsr() if sp.issparse(X) else np.asarray(X, dtype=float)
        out = np.full(X.shape[0], NOISE, dtype=int)
        if self.n_clusters_ == 0:
            return out
        live = np.flatnonzero(_row_norms(X) > 0)
        for lo in range(0, len(live), 4096):
            block = live[lo : lo + 4096]
            out[block] = np.asarray(X[block] @ self.cluster_centers_.T).argmax(axis=1)
        return out

    def fit_predict(self, X: Any, y: Any = None, **kw: Any) -> np.ndarray:
        return self.fit(X).labels_


# --------------------------------------------------------------------------- labels


def class_tfidf(counts: sp.spmatrix, labels: np.ndarray, n_classes: int | None = None) -> sp.csr_matrix:
    """Class-based TF-IDF (BERTopic): one row per class 0..k-1.

    Term counts are summed per class; each class row is L1-normalised (tf) and weighted by
    ``log(1 + A / f_t)``, where A is the average number of term occurrences per class and f_t the
    term's occurrences over all classes. Rows labelled -1 are left out.
    """
    labels = np.asarray(labels)
    keep = np.flatnonzero(labels != NOISE)
    k = int(n_classes if n_classes is not None else (labels[keep].max() + 1 if len(keep) else 0))
    ind = sp.csr_matrix((np.ones(len(keep)), (labels[keep], keep)), shape=(k, counts.shape[0]))
    C = (ind @ sp.csr_matrix(counts)).tocsr()
    f_t = np.asarray(C.sum(axis=0)).ravel()
    A = C.sum() / max(k, 1)
    idf = np.log1p(np.divide(A, f_t, out=np.zeros_like(f_t, dtype=float), where=f_t > 0))
    tf = normalize(C, norm="l1")
    return (tf @ sp.diags(idf)).tocsr()


def _top(row: sp.csr_matrix, terms: np.ndarray, n: int) -> list[tuple[str, float]]:
    r = row.tocoo()
    order = sorted(zip(r.col, r.data), key=lambda t: (-t[1], terms[t[0]]))
    return [(str(terms[c]), round(float(v), 6)) for c, v in order[:n] if v > 0]


def _rank_headings(headings_by_centrality: list[str]) -> list[tuple[str, int]]:
    """Distinct headings with counts, most frequent first, ties by centrality.

    Headings that differ only in their numbers (``2009年工作回顾`` / ``2015年工作回顾``, digits of
    any width) count as one, shown as their most central wording.
    """
    key = [re.sub(r"\d+", "0", unicodedata.normalize("NFKC", h)) for h in headings_by_centrality]
    count = Counter(key)
    shown: dict[str, tuple[str, int]] = {}
    for rank, (h, k) in enumerate(zip(headings_by_centrality, key)):
        shown.setdefault(k, (h, rank))
    return [(h, count[k]) for k, (h, _) in sorted(shown.items(), key=lambda kv: (-count[kv[0]], kv[1][1]))]


@dataclass
class ClusterLabel:
    """A cluster: its id, size, distinctive terms (c-TF-IDF), most central members, a readable label."""

    cluster: int
    size: int
    n_docs: int
    label: str
    terms: list[tuple[str, float]]
    heading_terms: list[tuple[str, float]]
    exemplars: list[dict[str, Any]]
    headings: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["terms"] = [{"term": t, "score": s} for t, s in self.terms]
        d["heading_terms"] = [{"term": t, "score": s} for t, s in self.heading_terms]
        d["headings"] = [{"heading": h, "count": c} for h, c in self.headings]
        return d


def label_clusters(vec: "VectorizedUnits", labels: np.ndarray, centers: np.ndarray | None = None,
                   n_terms: int = 8, n_exemplars: int = 3, label_terms: int = 4) -> list[ClusterLabel]:
    """Label every cluster by its c-TF-IDF terms (heading terms first when most members have headings).

    Exemplars are the members closest (cosine) to the cluster centroid; ``headings`` counts the
    members' own headings (for section units), most frequent first, ties by centrality; headings
    differing only in their numbers count as one.
    """
    labels = np.asarray(labels)
    k = int(labels.max() + 1) if (labels != NOISE).any() else 0
    if centers is None:
        centers = _centroids(vec.matrix, labels, k)
    body = class_tfidf(vec.counts, labels, k)
    head = class_tfidf(vec.heading_counts, labels, k) if vec.heading_counts is not None else None
    table = vec.units
    words_known = set(vec.terms.tolist()) if head is not None else set()
    out: list[ClusterLabel] = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        sims = np.asarray(vec.matrix[members] @ centers[c]).ravel()
        best = members[np.lexsort((members, -sims))][:n_exemplars]  # most central first, ties by row
        ex = []
        for i in best:
            row = table.iloc[int(i)]
            ex.append({"unit_id": row.unit_id, "doc_id": row.doc_id, "heading": row.heading,
                       "similarity": round(float(np.dot(vec.matrix[int(i)].toarray().ravel(), centers[c])), 4),
                       "raw_start": int(row.raw_start), "raw_end": int(row.raw_end), "text": row.text})
        terms = _top(body[c], vec.terms, n_terms)
        hterms = _top(head[c], vec.heading_terms, n_terms) if head is not None else []
        by_centrality = members[np.lexsort((members, -sims))]
        own = [table.heading.values[i] for i in by_centrality
               if table.heading.values[i] and table.level.values[i] == "section"]
        heads = _rank_headings(own)
        # heading terms lead the label when most members have a heading of their own; only n-grams
        # that are also words of the body vocabulary (外交, not the straddling 交工 of 关于外交工作)
        lead = ([t for t, _ in hterms if len(t) > 1 and t in words_known][:2]
                if 2 * len(own) >= len(members) else [])
        # a label is read by people: Latin tokens and placeholders (xx, LED) do not name a type
        words = [w for w in lead + [t for t, _ in terms] if _HAN_CHAR.search(w)]
        seen: list[str] = []
        for w in words:
            if w not in seen and not any(w in s for s in seen):
                seen.append(w)
        out.append(ClusterLabel(
            cluster=c, size=int(len(members)), n_docs=len(set(table.doc_id.values[members])),
            label=" · ".join(seen[:label_terms]), terms=terms, heading_terms=hterms, exemplars=ex, headings=heads,
        ))
    return out


# --------------------------------------------------------------------------- one call


@dataclass
class ClusterResult:
    """Units, their clusters, the labels and the quality of one clustering."""

    vectorized: "VectorizedUnits"
    labels: np.ndarray
    clusters: list[ClusterLabel]
    metrics: ClusterMetrics
    notes: list[str] = field(default_factory=list)

    def frame(self) -> "pd.DataFrame":
        """The unit table with ``cluster`` and ``cluster_label`` columns (-1: unassigned)."""
        df = self.vectorized.units.copy()
        df["cluster"] = self.labels
        names = {c.cluster: c.label for c in self.clusters}
        df["cluster_label"] = [names.get(int(c), "(unassigned)") for c in self.labels]
        return df

    def to_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics.to_dict(), "notes": self.notes,
                "clusters": [c.to_dict() for c in self.clusters]}


def cluster_units(
    X: "Corpus | Sequence[Unit]",
    level: str = "section",
    method: str = "kmeans",
    n_clusters: int | str = "auto",
    analyzer: str = "word",
    heading_weight: float | None = None,
    random_state: int = 0,
    progress: bool = False,
    tokenizer: Callable[[str], list[str]] | None = None,
    **clusterer_params: Any,
) -> ClusterResult:
    """Vectorize the units of ``X`` at ``level``, cluster them and label the clusters.

    ``heading_weight`` defaults to 0.5 for sections and 0 otherwise; ``tokenizer`` as in
    :class:`~gkcorpus.features.vectorize.UnitVectorizer`.
    """
    from .vectorize import UnitVectorizer

    if heading_weight is None:
        heading_weight = 0.5 if level == "section" else 0.0
    vec = UnitVectorizer(level=level, analyzer=analyzer, tokenizer=tokenizer, heading_weight=heading_weight,
                         progress=progress).vectorize(X)
    est = Clusterer(method=method, n_clusters=n_clusters, random_state=random_state, **clusterer_params).fit(vec.matrix)
    labels = label_clusters(vec, est.labels_, est.cluster_centers_)
    return ClusterResult(vec, est.labels_, labels, est.metrics_, list(est.notes_))


# --------------------------------------------------------------------------- near-identical sentences

_NON_CONTENT = re.compile(r"[\W_]+", re.UNICODE)


def normalize_for_matching(text: str, mask_digits: bool = True) -> str:
    """Text reduced to letters and digits (digits masked to 0): what near-identity is judged on."""
    t = _NON_CONTENT.sub("", text)
    return re.sub(r"\d+", "0", t) if mask_digits else t


def _shingles(norm: str, n: int) -> set[str]:
    if len(norm) <= n:
        return {norm}
    return {norm[i : i + n] for i in range(len(norm) - n + 1)}


def minhash_units(texts: Sequence[str], ngram: int = 3, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures ``(len(texts), num_perm)`` of normalised texts' character n-grams.

    The values of ``datasketch.MinHash.bulk`` on the same shingles (SHA-1 shingle hash, seed ``seed``).
    """
    from ..kernels.minhash import _sha1_hash32, minhash_signatures

    vocab: dict[str, int] = {}
    rows = [sorted(vocab.setdefault(s, len(vocab)) for s in _shingles(t, ngram)) for t in texts]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    ids = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1]))
    return minhash_signatures(indptr, ids, _sha1_hash32(list(vocab)), num_perm=num_perm, seed=seed)


@dataclass
class NearIdenticalGroup:
    """Sentences that are (near) identical across documents: a boilerplate candidate."""

    group_id: str
    text: str
    size: int
    n_docs: int
    doc_ids: list[str]
    min_jaccard: float
    members: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def near_identical_groups(
    units: Sequence["Unit"],
    threshold: float = 0.8,
    ngram: int = 3,
    num_perm: int = 128,
    min_chars: int = 6,
    min_docs: int = 2,
    mask_digits: bool = True,
    seed: int = 1,
    progress: bool = False,
) -> list[NearIdenticalGroup]:
    """Groups of units whose character ``ngram`` sets have Jaccard ≥ ``threshold`` (after normalisation).

    Identical normalised texts are merged first; among the distinct texts the near-duplicate pairs
    come from :func:`gkcorpus.kernels.neardup.near_duplicate_pairs` (MinHash LSH candidates, every
    bucket member paired, each candidate checked by exact Jaccard), and accepted pairs are joined
    transitively (``min_jaccard`` reports the weakest accepted link). Only groups spanning at least
    ``min_docs`` documents are returned, the widest first.
    """
    from ..kernels.neardup import near_duplicate_pairs

    norm = [normalize_for_matching(u.text, mask_digits) for u in units]
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(norm):
        if len(t) >= min_chars:
            by_text[t].append(i)
    distinct = sorted(by_text)
    near = near_duplicate_pairs(distinct, threshold, shingle=ngram, num_perm=num_perm, seed=seed)
    edges = near.pairs.tolist()
    link: dict[int, float] = {}  # per distinct text, its weakest accepted link
    for (i, j), jac in zip(edges, near.similarity.tolist()):
        for x in (i, j):
            link[x] = min(link.get(x, 1.0), jac)
    from ..kernels.graph import connected_groups

    components: Any = connected_groups(len(distinct), edges)
    if progress:
        from tqdm.auto import tqdm

        components = tqdm(components, desc="near-identical", unit="group", leave=False)
    groups: list[NearIdenticalGroup] = []
    for texts in components:
        rows = sorted(r for t in texts for r in by_text[distinct[t]])
        docs = sorted({units[r].doc_id for r in rows})
        if len(docs) < min_docs:
            continue
        # representative: the most frequent normalised text, ties by the text itself
        rep_t = min(texts, key=lambda t: (-len(by_text[distinct[t]]), distinct[t]))
        rep = units[by_text[distinct[rep_t]][0]]
        members = [{"unit_id": units[r].unit_id, "doc_id": units[r].doc_id, "text": units[r].text,
                    "raw_start": units[r].raw_start, "raw_end": units[r].raw_end} for r in rows]
        gid = hashlib.sha1("\n".join(units[r].unit_id for r in rows).encode("utf-8")).hexdigest()[:10]
        min_j = min((link.get(t, 1.0) for t in texts), default=1.0) if len(texts) > 1 else 1.0
        groups.append(NearIdenticalGroup(f"g{gid}", rep.text, len(rows), len(docs), docs, round(min_j, 4), members))
    groups.sort(key=lambda g: (-g.n_docs, -g.size, g.text))
    return groups

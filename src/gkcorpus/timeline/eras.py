"""Eras: contiguous runs of groups (years) in which the formula vocabulary is stable.

Each group is a profile: for every formula held by at least ``min_df`` documents, the share of
the group's documents that hold it. The ordered profiles are cut into segments by exact dynamic
programming (ruptures' ``Dynp``, least-squares cost: each era is summarised by its mean profile).
The number of eras is the one that minimises the cost plus a BIC penalty for each cut,
``σ² · (d + 1) · log n`` (``d`` formulae, ``n`` groups, ``σ²`` the noise variance of a profile,
estimated from the differences between neighbouring groups, which a few era changes barely
inflate). An era's marker formulae are those most over-used in it against all other groups
(log-likelihood G² with Log Ratio, as :func:`gkcorpus.features.keyness.keyness_table` computes them) that
at least twice the share of its documents hold as of the others' (over-use by a few documents, or by an
era that repeats a formula every report uses, marks no era).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .counts import FormulaTimeline

__all__ = ["Era", "EraSegmenter"]


@dataclass
class Era:
    """Groups ``start``…``end`` (inclusive), their documents, and the formulae that mark them."""

    start: Any
    end: Any
    groups: list[Any]
    n_docs: int
    markers: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "groups": list(self.groups), "n_docs": self.n_docs,
                "markers": list(self.markers)}


def _row_space(X: np.ndarray) -> np.ndarray:
    """``X`` in an orthonormal basis of its row space: the same distances between rows, at most
    ``len(X)`` columns (``Xᵀ = Q R`` gives ``X = Rᵀ Qᵀ``, and ``Rᵀ`` has the coordinates)."""
    if X.shape[1] <= X.shape[0]:
        return X
    return np.linalg.qr(X.T, mode="r").T


class EraSegmenter(BaseEstimator):
    """Cut the ordered groups of a fitted :class:`~gkcorpus.timeline.FormulaTimeline` into eras.

    Parameters
    ----------
    min_size : fewest groups in an era.
    max_eras : most eras considered.
    min_df : formulae held by fewer documents are left out of the profiles.
    n_markers : marker formulae listed per era.
    penalty : ``"bic"`` (see the module docstring) or a number: the cost added per cut.
    """

    def __init__(self, min_size: int = 3, max_eras: int = 10, min_df: int = 3, n_markers: int = 8,
                 penalty: str | float = "bic"):
        self.min_size = min_size
        self.max_eras = max_eras
        self.min_df = min_df
        self.n_markers = n_markers
        self.penalty = penalty

    _parameter_constraints: dict = {
        "min_size": [Interval(Integral, 1, None, closed="left")],
        "max_eras": [Interval(Integral, 1, None, closed="left")],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "n_markers": [Interval(Integral, 1, None, closed="left")],
        "penalty": [StrOptions({"bic"}), Interval(Real, 0, None, closed="left")],
    }

    def fit(self, timeline: "FormulaTimeline") -> "EraSegmenter":
        import ruptures as rpt

        self._validate_params()
        check_is_fitted(timeline, "counts_")
        groups = list(timeline.groups_)
        n = len(groups)
        df, tf = timeline.df_, timeline.tf_  # sparse formulae × groups
        n_docs, chars = timeline.n_docs_, timeline.chars_
        keep = np.flatnonzero(np.asarray(df.sum(axis=1)).ravel() >= self.min_df)
        X = (df[keep].toarray() / np.maximum(n_docs, 1)).T.astype(float)  # groups × formulae
        self.n_features_ = int(X.shape[1])
        self.costs_: dict[int, float] = {}
        bkps = [n]
        if n >= 2 * self.min_size and X.shape[1]:
            # the least-squares cost of a segment is a sum of squared distances between its rows, which
            # live in the row space of X (rank <= n): in the coordinates of that space (n columns,
            # not d) every cost is the same, and each of the O(n²) segment costs is cheap
            algo = rpt.Dynp(model="l2", min_size=self.min_size, jump=1).fit(_row_space(X))
            sigma2 = float((np.diff(X, axis=0) ** 2).sum(axis=1).mean() / 2) if n > 1 else 0.0
            self.sigma2_ = sigma2
            pen = (sigma2 * np.log(n) * (X.shape[1] + 1) / X.shape[1] if self.penalty == "bic"
                   else float(self.penalty))
            # σ² above is summed over the d formulae; per cut the BIC adds (d + 1) parameters of
            # variance σ²/d each on average: σ²_sum · (d + 1) / d · log n
            best = (algo.cost.sum_of_costs([n]), [n])
            self.costs_[1] = best[0]
            for k in range(2, min(self.max_eras, n // self.min_size) + 1):
                try:
                    b = algo.predict(n_bkps=k - 1)
                except Exception:  # ruptures: no segmentation with this many cuts and min_size
                    break
                cost = algo.cost.sum_of_costs(b)
                self.costs_[k] = cost
                if cost + pen * (k - 1) < best[0] + pen * (len(best[1]) - 1):
                    best = (cost, b)
            bkps = best[1]
            self.penalty_ = pen
        starts = [0] + bkps[:-1]
        ids = [f.id for f in timeline.formulae_]
        texts = [f.text for f in timeline.formulae_]
        eras = []
        for a, b in zip(starts, bkps):
            in_era = np.zeros(n, dtype=bool)
            in_era[a:b] = True
            eras.append(Era(groups[a], groups[b - 1], groups[a:b], int(n_docs[a:b].sum()),
                            self._markers(ids, texts, df, tf, chars, in_era, n_docs)))
        self.eras_ = eras
        return self

    def _markers(self, ids: list[str], texts: list[str], df: Any, tf: Any, chars: np.ndarray,
                 in_era: np.ndarray, n_docs: np.ndarray) -> list[dict[str, Any]]:
        """The formulae key to the era (``df``, ``tf``: sparse formulae × groups): over-used in its text
        (G², Log Ratio) and held by at least twice the share of its documents as of the others' -- a formula
        every report uses (社会主义, in all fifty) is no era's marker however often one era repeats it."""
        from ..features.keyness import keyness_table

        if in_era.all():
            return []
        inside, outside = in_era.astype(np.int64), (~in_era).astype(np.int64)
        target = Counter({i: int(t) for i, t in enumerate((tf @ inside).tolist()) if t})
        ref = Counter({i: int(t) for i, t in enumerate((tf @ outside).tolist()) if t})
        kt = keyness_table(target, ref, min_freq=self.min_df, n_target=int(chars[in_era].sum()),
                           n_reference=int(chars[~in_era].sum()))
        kt = kt[(kt.key_for == "target") & (kt.p < 0.01)]
        docs_in, docs_out = max(int(n_docs[in_era].sum()), 1), max(int(n_docs[~in_era].sum()), 1)
        out = []
        for r in kt.itertuples():
            i = int(r.term)
            d_in, d_out = int((df[[i]] @ inside)[0]), int((df[[i]] @ outside)[0])
            if d_in * docs_out < 2 * d_out * docs_in:
                continue  # as common in the other documents: a formula of the genre, not of the era
            out.append({"formula_id": ids[i], "formula": texts[i], "g2": float(r.g2), "log_ratio": float(r.log_ratio),
                        "df_in_era": d_in, "df_elsewhere": d_out})
            if len(out) == self.n_markers:
                break
        return out

    def frame(self) -> "pd.DataFrame":
        """One row per era: start, end, groups, documents, marker formulae."""
        import pandas as pd

        check_is_fitted(self, "eras_")
        return pd.DataFrame([{"start": e.start, "end": e.end, "n_groups": len(e.groups), "n_docs": e.n_docs,
                              "markers": "; ".join(m["formula"] for m in e.markers)} for e in self.eras_],
                            columns=["start", "end", "n_groups", "n_docs", "markers"])

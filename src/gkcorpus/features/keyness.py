"""Keyness: the words and phrases distinctive of one corpus (or group of documents) against another.

For each term, a 2×2 table -- its frequency in the target and in the reference, and the rest of
each corpus -- gives the log-likelihood G² (as AntConc and quanteda's ``"lr"``) and Pearson's χ²
(quanteda's ``"chi2"``), both signed: negative when the term is relatively more frequent in the
reference. ``correction="default"`` follows quanteda (Yates for χ², Williams for G²); AntConc
reports G² with ``correction="none"``. The effect size is Hardie's Log Ratio, the binary log of
the ratio of relative frequencies (0.5 added to a zero frequency).

Counting is per document (:func:`document_counts`), so it can run anywhere and be summed.
"""

from __future__ import annotations

from collections import Counter
from numbers import Integral
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus, Document

__all__ = ["Keyness", "keyness_table", "document_counts", "ngram_counts", "split_by", "KEYNESS_COLUMNS"]

KEYNESS_COLUMNS = ["term", "target_freq", "reference_freq", "target_per_10k", "reference_per_10k",
                   "g2", "chi2", "p", "log_ratio", "key_for"]
_MEASURES = ("g2", "chi2")
_CORRECTIONS = ("default", "yates", "williams", "none")


def ngram_counts(tokens: Sequence[str], ngram_range: tuple[int, int] = (1, 1)) -> Counter:
    """Counts of word n-grams (joined without spaces) for n in ``ngram_range``."""
    lo, hi = ngram_range
    out: Counter = Counter()
    for n in range(max(lo, 1), hi + 1):
        if n == 1:
            out.update(tokens)
        else:
            out.update("".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def document_counts(text: str, tokenizer: Callable[[str], list[str]],
                    ngram_range: tuple[int, int] = (1, 1)) -> tuple[Counter, int]:
    """Term counts of one text and its number of tokens."""
    toks = tokenizer(text)
    return ngram_counts(toks, ngram_range), len(toks)


def _xlogx_over(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(o / e), 0.0)


def keyness_table(
    target: Counter | dict[str, int],
    reference: Counter | dict[str, int],
    measure: str = "g2",
    correction: str = "default",
    min_freq: int = 3,
    n_target: int | None = None,
    n_reference: int | None = None,
) -> "pd.DataFrame":
    """Keyness of every term seen at least ``min_freq`` times in target and reference together.

    ``n_target``/``n_reference``: corpus sizes in tokens (default: the sums of the counts).
    Sorted by the signed ``measure``, most distinctive of the target first; ties by term.
    """
    import pandas as pd
    from scipy.stats import chi2 as chi2_dist

    if measure not in _MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(_MEASURES)}")
    if correction not in _CORRECTIONS:
        raise ValueError(f"unknown correction {correction!r}; choose one of {', '.join(_CORRECTIONS)}")
    n_t = float(n_target if n_target is not None else sum(target.values()))
    n_r = float(n_reference if n_reference is not None else sum(reference.values()))
    terms = sorted(t for t in set(target) | set(reference) if target.get(t, 0) + reference.get(t, 0) >= min_freq)
    if not terms or n_t <= 0 or n_r <= 0:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    a = np.array([target.get(t, 0) for t in terms], dtype=np.float64)
    b = np.array([reference.get(t, 0) for t in terms], dtype=np.float64)
    c, d = n_t - a, n_r - b
    n = n_t + n_r
    row = a + b
    e_a, e_b = n_t * row / n, n_r * row / n
    e_c, e_d = n_t * (n - row) / n, n_r * (n - row) / n
    g2 = 2 * (_xlogx_over(a, e_a) + _xlogx_over(b, e_b) + _xlogx_over(c, e_c) + _xlogx_over(d, e_d))
    if correction in ("default", "williams"):
        q = 1 + (n / row + n / (n - row) - 1) * (n / n_t + n / n_r - 1) / (6 * n)
        g2 = g2 / q
    num = np.abs(a * d - b * c)
    if correction in ("default", "yates"):
        num = np.maximum(num - n / 2, 0)
    chi2 = n * num**2 / (row * (n - row) * n_t * n_r)
    sign = np.where(a / n_t >= b / n_r, 1.0, -1.0)
    g2, chi2 = sign * np.maximum(g2, 0), sign * chi2
    stat = g2 if measure == "g2" else chi2
    p = chi2_dist.sf(np.abs(stat), 1)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / n_t) / (np.where(b > 0, b, 0.5) / n_r))
    df = pd.DataFrame({
        "term": terms,
        "target_freq": a.astype(int),
        "reference_freq": b.astype(int),
        "target_per_10k": np.round(a / n_t * 1e4, 3),
        "reference_per_10k": np.round(b / n_r * 1e4, 3),
        "g2": np.round(g2, 4),
        "chi2": np.round(chi2, 4),
        "p": p,
        "log_ratio": np.round(log_ratio, 4),
        "key_for": np.where(sign > 0, "target", "reference"),
    })
    order = np.lexsort((np.array(terms, dtype=object), -stat))
    return df.iloc[order].reset_index(drop=True)


def split_by(corpus: "Corpus", by: str, value: Any) -> tuple["Corpus", "Corpus"]:
    """Documents whose variable ``by`` equals ``value`` (the target) and all the others (the reference)."""
    target = corpus.subset(**{by: value})
    reference = corpus.subset(lambda d: d.meta.get(by, d.title if by == "title" else None) != value)
    return target, reference


class Keyness(BaseEstimator):
    """Terms distinctive of a target corpus against a reference corpus.

    Parameters
    ----------
    measure : "g2" (log-likelihood, default) or "chi2"; the table is sorted by it.
    correction : "default" (Yates for χ², Williams for G², as quanteda), "yates", "williams" or "none" (AntConc).
    ngram_range : word n-grams counted, e.g. (1, 2) for words and two-word phrases.
    min_freq : smallest frequency of a term in both corpora together.
    tokenizer : callable ``str -> list[str]`` (default: jieba with the domain dictionary and the stoplist).
    progress : show progress bars.

    Fitted attributes: ``table_`` (DataFrame, see :data:`KEYNESS_COLUMNS`), ``n_target_``,
    ``n_reference_`` (tokens), ``target_counts_``, ``reference_counts_``.
    """

    def __init__(
        self,
        measure: str = "g2",
        correction: str = "default",
        ngram_range: tuple[int, int] = (1, 1),
        min_freq: int = 3,
        tokenizer: Callable[[str], list[str]] | None = None,
        progress: bool = False,
    ):
        self.measure = measure
        self.correction = correction
        self.ngram_range = ngram_range
        self.min_freq = min_freq
        self.tokenizer = tokenizer
        self.progress = progress

    def _count(self, docs: Iterable["Document | str"], desc: str) -> tuple[Counter, int]:
        from ..text.tokenize import Tokenizer

        tok = self.tokenizer or Tokenizer(stopwords=True)
        total: Counter = Counter()
        n_tokens = 0
        it: Iterable[Any] = docs
        if self.progress:
            from tqdm.auto import tqdm

            it = tqdm(list(docs), desc=desc, unit="doc", leave=False)
        for d in it:
            counts, n = document_counts(d if isinstance(d, str) else d.text, tok, self.ngram_range)
            total.update(counts)
            n_tokens += n
        return total, n_tokens

    _parameter_constraints: dict = {
        "measure": [StrOptions(set(_MEASURES))],
        "correction": [StrOptions(set(_CORRECTIONS))],
        "ngram_range": [tuple],
        "min_freq": [Interval(Integral, 1, None, closed="left")],
        "tokenizer": [None, callable],
        "progress": ["boolean"],
    }

    def fit(self, target: "Corpus | Sequence[Document | str]", reference: "Corpus | Sequence[Document | str]") -> "Keyness":
        """Count both corpora and compute the keyness table."""
        self._validate_params()
        self.target_counts_, self.n_target_ = self._count(target, "keyness: target")
        self.reference_counts_, self.n_reference_ = self._count(reference, "keyness: reference")
        self.table_ = keyness_table(self.target_counts_, self.reference_counts_, self.measure, self.correction,
                                    self.min_freq, self.n_target_, self.n_reference_)
        return self

    def top(self, n: int = 20, key_for: str = "target") -> "pd.DataFrame":
        """The ``n`` most distinctive terms of the target (or, with ``key_for="reference"``, of the reference)."""
        check_is_fitted(self, "table_")
        t = self.table_[self.table_["key_for"] == key_for]
        if key_for == "reference":
            t = t.iloc[::-1]
        return t.head(n).reset_index(drop=True)


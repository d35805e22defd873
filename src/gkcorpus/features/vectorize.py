"""TF-IDF over corpus units (document, section, paragraph, sentence), with a table back to the source.

:class:`UnitVectorizer` is a scikit-learn transformer whose input is a :class:`~gkcorpus.corpus.Corpus`
(its units at ``level``) or a sequence of :class:`~gkcorpus.corpus.Unit`. Text is analysed once per
unit into features (jieba words through :class:`~gkcorpus.text.tokenize.Tokenizer`, or character n-grams),
so the per-document work (:func:`analyze_units`) is a pure function that a parallel backend can run
document by document; the corpus-level work (vocabulary, IDF) combines the results.

Section headings can be given their own block of features (``heading_weight``): a heading is short
and says what a section is for, so in a plain bag of words it drowns in the body. Headings use
character 1–2-grams by default, because the domain dictionary makes ``存在问题`` one word while
``存在的主要问题`` segments as ``存在/主要/问题``; character bigrams see both as ``存在 … 问题``.

:meth:`UnitVectorizer.vectorize` returns a :class:`VectorizedUnits`: the TF-IDF matrix, the raw
term counts (for class-based TF-IDF labels), the vocabulary and a unit table (``unit_id, doc_id,
level, index, section, heading, section_path, start, end, raw_start, raw_end, text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus, Unit

__all__ = [
    "UnitVectorizer",
    "VectorizedUnits",
    "UNIT_COLUMNS",
    "unit_table",
    "as_units",
    "char_ngrams",
    "analyze_units",
    "heading_features",
]

UNIT_COLUMNS = [
    "unit_id", "doc_id", "level", "index", "section", "heading", "section_path",
    "start", "end", "raw_start", "raw_end", "text",
]

# Runs of characters that carry content: letters (Han included) and digits; punctuation and
# whitespace split runs, so character n-grams never straddle a comma or a line break.
_RUN = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+", re.UNICODE)


def as_units(X: "Corpus | Sequence[Unit]", level: str) -> list["Unit"]:
    """The units to work on: a corpus's units at ``level``, or the given units unchanged."""
    if hasattr(X, "units") and hasattr(X, "documents"):
        return X.units(level)
    units = list(X)
    if units and not hasattr(units[0], "unit_id"):
        raise TypeError("expected a Corpus or a sequence of Unit records "
                        f"(got a sequence of {type(units[0]).__name__})")
    return units


def unit_table(units: Sequence["Unit"]) -> "pd.DataFrame":
    """One row per unit: ids, level, section, heading and path, clean and raw offsets, text."""
    import pandas as pd

    rows = [
        (u.unit_id, u.doc_id, u.level, u.index, u.section, u.heading, " / ".join(u.section_path),
         u.start, u.end, u.raw_start, u.raw_end, u.text)
        for u in units
    ]
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def char_ngrams(text: str, ngram_range: tuple[int, int] = (2, 3), mask_digits: bool = True) -> list[str]:
    """Character n-grams inside runs of letters/digits (punctuation and spaces break runs).

    Digits are masked to ``0`` (``2009年`` and ``2010年`` give the same grams) unless ``mask_digits``
    is False: for clustering, the year in ``2009年工作回顾`` is noise.
    """
    lo, hi = ngram_range
    out: list[str] = []
    for run in _RUN.findall(text):
        if mask_digits:
            run = _DIGITS.sub("0", run)
        n_chars = len(run)
        for n in range(lo, hi + 1):
            out.extend(run[i : i + n] for i in range(n_chars - n + 1))
    return out


# a year in a heading: 2015年, １９９８年度, 1 9 9 8 年, 一九五八年
_HEADING_YEAR = re.compile(r"(?:(?:[0-9０-９]\s?){2,4}|[一二三四五六七八九〇零]{4})\s*年度?")


def heading_features(heading: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Features of a heading: its character n-grams, years removed and other digits masked.

    A year names which report a section belongs to, not what kind of section it is: kept (even
    masked, as ``0年``) it ties ``2015年工作总体部署`` to ``2014年工作回顾`` more than to ``工作总体部署``.
    """
    return char_ngrams(_HEADING_YEAR.sub(" ", heading), ngram_range)


def analyze_units(
    units: Sequence["Unit"],
    analyzer: str | Callable[[str], list[str]] = "word",
    tokenizer: Callable[[str], list[str]] | None = None,
    ngram_range: tuple[int, int] = (2, 3),
) -> list[list[str]]:
    """Feature lists of units' texts (pure; run it per document to parallelise)."""
    if callable(analyzer):
        return [list(analyzer(u.text)) for u in units]
    if analyzer == "word":
        if tokenizer is None:
            from ..text.tokenize import Tokenizer

            tokenizer = Tokenizer(stopwords=True)
        return [_word_features(tokenizer, u.text) for u in units]
    if analyzer == "char":
        return [char_ngrams(u.text, ngram_range) for u in units]
    raise ValueError(f"unknown analyzer {analyzer!r}: use 'word', 'char' or a callable")


def _word_features(tokenizer: Callable[[str], list[str]], text: str) -> list[str]:
    # Bare numbers (years, counts) say nothing about what a unit is for.
    return [t for t in tokenizer(text) if not t.isdigit()]


def _identity(tokens: list[str]) -> list[str]:
    """Analyzer for pre-analysed input (module level so that the vectorizer pickles)."""
    return tokens


def _count_vectorizer(min_df: int | float, max_df: int | float, max_features: int | None) -> CountVectorizer:
    return CountVectorizer(analyzer=_identity, lowercase=False, min_df=min_df, max_df=max_df,
                           max_features=max_features, dtype=np.float64)


@dataclass
class VectorizedUnits:
    """The output of :meth:`UnitVectorizer.vectorize`.

    ``matrix``: TF-IDF rows, L2-normalised (body block, then heading block when headings are used);
    ``counts``: raw term counts of the body features (the input of class-based TF-IDF);
    ``heading_counts``: the same for headings (``None`` without a heading block);
    ``terms`` / ``heading_terms``: feature names in column order; ``units``: the unit table.
    """

    matrix: sp.csr_matrix
    counts: sp.csr_matrix
    terms: np.ndarray
    units: "pd.DataFrame"
    heading_counts: sp.csr_matrix | None = None
    heading_terms: np.ndarray | None = None

    @property
    def n_units(self) -> int:
        return self.matrix.shape[0]

    @property
    def feature_names(self) -> np.ndarray:
        """Column names of ``matrix`` (heading features prefixed ``h:``)."""
        if self.heading_terms is None:
            return self.terms
        return np.concatenate([self.terms, np.array([f"h:{t}" for t in self.heading_terms], dtype=object)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_units": int(self.matrix.shape[0]),
            "n_features": int(self.matrix.shape[1]),
            "n_terms": int(len(self.terms)),
            "n_heading_terms": int(len(self.heading_terms)) if self.heading_terms is not None else 0,
            "nnz": int(self.matrix.nnz),
        }


class UnitVectorizer(TransformerMixin, BaseEstimator):
    """TF-IDF of units at one level, optionally with a weighted block of heading features.

    Parameters
    ----------
    level : unit level taken from a Corpus: "document", "section", "paragraph" or "sentence".
    analyzer : "word" (the gkcorpus tokenizer), "char" (character n-grams) or a callable ``str -> list[str]``.
    tokenizer : the word tokenizer (default ``Tokenizer(stopwords=True)``); numbers are dropped.
    ngram_range : character n-gram sizes for ``analyzer="char"``.
    min_df, max_df, max_features : vocabulary pruning, as in scikit-learn.
    sublinear_tf : use 1 + log(tf); repeated boilerplate words then weigh less.
    heading_weight : share (0..1) of a unit's squared norm given to its heading block; 0 disables headings.
    heading_levels : unit levels whose ``heading`` is their own (for a paragraph, the heading is the
        enclosing section's, which says little about that paragraph).
    heading_ngram_range : character n-gram sizes for headings.
    heading_max_df : drop heading n-grams found in more than this share (or number) of the headed
        units: ``工作`` or ``年`` in most headings says nothing about a section's kind.
    progress : show a progress bar while analysing (tqdm).
    """

    def __init__(
        self,
        level: str = "section",
        analyzer: str | Callable[[str], list[str]] = "word",
        tokenizer: Callable[[str], list[str]] | None = None,
        ngram_range: tuple[int, int] = (2, 3),
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        heading_weight: float = 0.0,
        heading_levels: tuple[str, ...] = ("section",),
        heading_ngram_range: tuple[int, int] = (1, 2),
        heading_max_df: int | float = 1.0,
        progress: bool = False,
    ):
        self.level = level
        self.analyzer = analyzer
        self.tokenizer = tokenizer
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.heading_weight = heading_weight
        self.heading_levels = heading_levels
        self.heading_ngram_range = heading_ngram_range
        self.heading_max_df = heading_max_df
        self.progress = progress

    # ---- analysis (per document, pure)
    def _analyze(self, units: Sequence["Unit"]) -> list[list[str]]:
        groups = [list(g) for _, g in groupby(units, key=lambda u: u.doc_id)]
        it: Iterable[list[Unit]] = groups
        if self.progress:
            from tqdm.auto import tqdm

            it = tqdm(groups, desc="tokenize", unit="doc", leave=False)
        out: list[list[str]] = []
        for g in it:
            out.extend(analyze_units(g, self.analyzer, self.tokenizer, self.ngram_range))
        return out

    def _headings(self, units: Sequence["Unit"]) -> list[list[str]]:
        return [
            heading_features(u.heading, self.heading_ngram_range) if u.level in self.heading_levels else []
            for u in units
        ]

    _parameter_constraints: dict = {
        "level": [StrOptions({"document", "section", "paragraph", "sentence"})],
        "analyzer": [StrOptions({"word", "char"}), callable],
        "tokenizer": [None, callable],
        "ngram_range": [tuple],
        "min_df": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="both")],
        "max_df": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="both")],
        "max_features": [None, Interval(Integral, 1, None, closed="left")],
        "sublinear_tf": ["boolean"],
        "heading_weight": [Interval(Real, 0, 1, closed="left")],
        "heading_levels": [tuple, list],
        "heading_ngram_range": [tuple],
        "heading_max_df": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="both")],
        "progress": ["boolean"],
    }

    def _use_headings(self) -> bool:
        return self.heading_weight > 0

    # ---- estimator API
    def fit(self, X: "Corpus | Sequence[Unit]", y: Any = None) -> "UnitVectorizer":
        """Learn the vocabulary and IDF from ``X``."""
        self._fit_units(as_units(X, self.level))
        return self

    def _fit_units(self, units: Sequence["Unit"]) -> tuple[sp.csr_matrix, sp.csr_matrix | None]:
        self._validate_params()
        if not units:
            raise ValueError("no units to vectorize")
        docs = self._analyze(units)
        self.count_ = _count_vectorizer(self.min_df, self.max_df, self.max_features)
        try:
            counts = self.count_.fit_transform(docs).tocsr()
        except ValueError as e:  # empty vocabulary
            raise ValueError(f"no features in {len(units)} units ({e}); try analyzer='char' or min_df=1") from None
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)
        self.vocabulary_ = dict(self.count_.vocabulary_)
        self.terms_ = self.count_.get_feature_names_out()
        hcounts = None
        self.heading_count_ = self.heading_tfidf_ = self.heading_terms_ = None
        if self._use_headings():
            heads = self._headings(units)
            if any(heads):
                headed = [h for h in heads if h]
                max_df = self.heading_max_df
                if isinstance(max_df, float) and max_df < 1.0:  # share of headed units, not of all units
                    max_df = max(1, int(max_df * len(headed)))
                self.heading_count_ = _count_vectorizer(1, 1.0, None)
                self.heading_count_.fit(headed)
                if max_df != 1.0:
                    df = np.asarray((self.heading_count_.transform(headed) > 0).sum(axis=0)).ravel()
                    names = self.heading_count_.get_feature_names_out()
                    keep = [t for t, n in zip(names, df) if n <= max_df]
                    self.heading_count_ = CountVectorizer(analyzer=_identity, lowercase=False, dtype=np.float64,
                                                          vocabulary=keep or list(names[:1]))
                hcounts = self.heading_count_.fit_transform(heads).tocsr()
                self.heading_tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(hcounts)
                self.heading_terms_ = self.heading_count_.get_feature_names_out()
        self.n_features_out_ = len(self.terms_) + (len(self.heading_terms_) if self.heading_terms_ is not None else 0)
        return counts, hcounts

    def _counts(self, units: Sequence["Unit"]) -> tuple[sp.csr_matrix, sp.csr_matrix | None]:
        counts = self.count_.transform(self._analyze(units)).tocsr()
        hcounts = None
        if self.heading_count_ is not None:
            hcounts = self.heading_count_.transform(self._headings(units)).tocsr()
        return counts, hcounts

    def _weigh(self, counts: sp.csr_matrix, hcounts: sp.csr_matrix | None) -> sp.csr_matrix:
        body = self.tfidf_.transform(counts)
        if hcounts is None:
            return body.tocsr()
        head = self.heading_tfidf_.transform(hcounts)
        w = float(self.heading_weight)
        # Each block is L2-normalised, so the heading gets share w of the squared norm;
        # a unit without a heading keeps only its body block, renormalised.
        X = sp.hstack([body * np.sqrt(1.0 - w), head * np.sqrt(w)], format="csr")
        return normalize(X, norm="l2", copy=False).tocsr()

    def transform(self, X: "Corpus | Sequence[Unit]") -> sp.csr_matrix:
        """TF-IDF rows (L2-normalised) of ``X`` in the fitted feature space."""
        check_is_fitted(self, "tfidf_")
        return self._weigh(*self._counts(as_units(X, self.level)))

    def fit_transform(self, X: "Corpus | Sequence[Unit]", y: Any = None) -> sp.csr_matrix:
        units = as_units(X, self.level)
        return self._weigh(*self._fit_units(units))

    def vectorize(self, X: "Corpus | Sequence[Unit]", fit: bool | None = None) -> VectorizedUnits:
        """Matrix, counts, vocabulary and unit table of ``X``; fits first when not fitted (or ``fit=True``)."""
        units = as_units(X, self.level)
        if fit is None:
            fit = not hasattr(self, "tfidf_")
        counts, hcounts = self._fit_units(units) if fit else self._counts(units)
        return VectorizedUnits(
            matrix=self._weigh(counts, hcounts),
            counts=counts,
            terms=self.terms_,
            units=unit_table(units),
            heading_counts=hcounts,
            heading_terms=self.heading_terms_,
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "tfidf_")
        if self.heading_terms_ is None:
            return np.asarray(self.terms_, dtype=object)
        return np.concatenate([np.asarray(self.terms_, dtype=object),
                               np.array([f"h:{t}" for t in self.heading_terms_], dtype=object)])

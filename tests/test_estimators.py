"""Every estimator keeps scikit-learn's contract: clone, get/set_params, validation at fit,
NotFittedError before fit, a readable repr, and its input left as it came."""

from __future__ import annotations

import inspect

import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

from gkcorpus import Tokenizer
from gkcorpus.boilerplate.phrases import FormulaicnessIndex
from gkcorpus.boilerplate.reuse import ReuseFinder
from gkcorpus.features.cluster import Clusterer
from gkcorpus.features.keyness import Keyness
from gkcorpus.features.vectorize import UnitVectorizer
from gkcorpus.boilerplate.phrases import FormulaMiner
from gkcorpus.outline.part_types import PartTyper
from gkcorpus.outline.typer import SectionTyper
from gkcorpus.templates.frames import FrameMiner
from gkcorpus.templates import TemplateMiner
from gkcorpus.timeline import EraSegmenter, FormulaTimeline


def _fit_call(name, est, corpus):
    """Fit ``est`` the way its kind is fitted, on the bundled corpus."""
    if name == "Clusterer":
        return est.fit(UnitVectorizer().fit_transform(corpus))
    if name == "Keyness":
        return est.fit(corpus[:7], corpus[7:])
    if name == "FormulaicnessIndex":
        return est.fit(corpus, [], [])
    if name == "FormulaTimeline":
        return est.fit(corpus, [])
    if name == "EraSegmenter":
        return est.fit(FormulaTimeline(by="number").fit(corpus, []))
    return est.fit(corpus)


def _needs_fit(name, est, corpus):
    """Call something that needs a fitted estimator."""
    if name in ("UnitVectorizer", "SectionTyper", "PartTyper"):
        return est.transform(corpus)
    if name == "Clusterer":
        return est.predict([[1.0]])
    if name == "Keyness":
        return est.top()
    if name == "ReuseFinder":
        return est.to_frame()
    if name == "TemplateMiner":
        return est.transform(corpus)
    if name == "FormulaTimeline":
        return est.matrix()
    if name == "EraSegmenter":
        return est.frame()
    raise AttributeError


ESTIMATORS = {
    # name: (class, an invalid parameter setting)
    "UnitVectorizer": (UnitVectorizer, {"level": "chapter"}),
    "Clusterer": (Clusterer, {"n_init": 0}),
    "SectionTyper": (SectionTyper, {"depth": 0}),
    "Keyness": (Keyness, {"measure": "pmi"}),
    "ReuseFinder": (ReuseFinder, {"num_perm": -5}),
    "FormulaicnessIndex": (FormulaicnessIndex, {"confidence": 1.5}),
    "TemplateMiner": (TemplateMiner, {"min_support": -1}),
    "FormulaTimeline": (FormulaTimeline, {"min_docs": 0}),
    "EraSegmenter": (EraSegmenter, {"penalty": "aic"}),
    "PartTyper": (PartTyper, {"cooccurrence": 1.5}),
    "FormulaMiner": (FormulaMiner, {"min_df": 0}),
    "FrameMiner": (FrameMiner, {"min_docs": 0}),
}


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_estimator_contract(name, bundled):
    cls, bad = ESTIMATORS[name]
    est = cls()
    assert isinstance(est, BaseEstimator)
    # parameters stored unchanged; get/set round trip; clone
    params = est.get_params()
    assert set(params) == set(inspect.signature(cls).parameters)
    assert clone(est).get_params() == params
    key = next(iter(params))
    est.set_params(**{key: params[key]})
    assert est.get_params() == params
    assert repr(est).startswith(cls.__name__ + "(")
    if "tokenizer" in params:  # a configured Tokenizer clones with its settings
        tok = Tokenizer(stopwords=True, hmm=False)
        c = clone(cls(tokenizer=tok))
        assert c.tokenizer == tok and c.tokenizer is not tok
    # invalid parameters are accepted by __init__ and refused at fit, with the parameter named
    wrong = cls(**bad)
    with pytest.raises(ValueError, match=next(iter(bad))):
        _fit_call(name, wrong, bundled)
    # not fitted
    if name not in ("FormulaicnessIndex", "FormulaMiner", "FrameMiner"):  # results are attributes only
        with pytest.raises(NotFittedError):
            _needs_fit(name, cls(), bundled)


def test_reuse_finder_leaves_the_callers_index_as_it_came(bundled):
    from gkcorpus.kernels.suffix import TextIndex

    index = TextIndex([d.text for d in bundled])
    assert index._han_cum is None
    ReuseFinder(near=False).fit(bundled, index=index)
    assert index._han_cum is None
    index.han_cum  # a cache the caller built stays
    ReuseFinder(near=False).fit(bundled, index=index)
    assert index._han_cum is not None


def test_parameters_are_checked_before_the_input_is_read():
    with pytest.raises(ValueError, match="trend_ratio"):
        FormulaTimeline(trend_ratio=1.0).fit(None, [])


def test_section_typer_is_made_of_a_vectorizer_and_a_clusterer(bundled):
    vec = SectionTyper.default_vectorizer(tokenizer=Tokenizer(stopwords=True))
    clu = Clusterer(n_clusters=5, random_state=3)
    typer = SectionTyper(vectorizer=vec, clusterer=clu)
    c = clone(typer)
    assert c.clusterer is not clu and c.clusterer.get_params() == clu.get_params()
    assert typer.get_params(deep=True)["clusterer__n_clusters"] == 5
    typer.fit(bundled)
    assert typer.clusterer_.n_clusters_ == 5 and len(typer.types_) == 5
    assert not hasattr(clu, "labels_") and not hasattr(vec, "vocabulary_")  # the given ones stay unfitted
    assert typer.tokenizer is vec.tokenizer


def test_a_cached_tokenizer_clones_with_its_estimator(tmp_path):
    from gkcorpus.runtime.cache import CachedTokenizer

    tok = CachedTokenizer(cache_dir=tmp_path, min_chars=5)
    c = clone(TemplateMiner(tokenizer=tok))
    assert c.tokenizer == tok and c.tokenizer is not tok and repr(c.tokenizer).startswith("CachedTokenizer(")
    assert c.tokenizer.get_params()["min_chars"] == 5

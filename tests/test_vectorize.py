"""UnitVectorizer: TF-IDF over units at every level, the unit table, headings, fit/transform."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from gkcorpus import Corpus, RawDocument
from gkcorpus.features.vectorize import UNIT_COLUMNS, UnitVectorizer, analyze_units, as_units, char_ngrams, unit_table


@pytest.fixture(scope="module")
def sections(bundled):
    return bundled.units("section")


@pytest.fixture(scope="module")
def section_vec(sections):
    return UnitVectorizer(level="section", heading_weight=0.5).vectorize(sections)


def test_char_ngrams_stay_inside_runs_and_mask_digits():
    assert char_ngrams("存在，问题", (2, 2)) == ["存在", "问题"]
    assert char_ngrams("2009年工作回顾", (2, 2)) == ["0年", "年工", "工作", "作回", "回顾"]
    assert char_ngrams("2009年", (1, 1), mask_digits=False) == ["2", "0", "0", "9", "年"]
    assert char_ngrams("。；", (1, 2)) == []


def test_word_features_drop_stopwords_punctuation_and_numbers(bundled):
    u = bundled.units("sentence")[0]
    feats = analyze_units([u])[0]
    assert feats[:3] == ["XX", "人民政府", "办公室"]
    assert "的" not in feats and "，" not in feats and "8" not in feats
    assert all(not f.isdigit() for f in feats)


@pytest.mark.parametrize("level", ["document", "section", "paragraph", "sentence"])
def test_every_level_gives_one_normalised_row_per_unit(bundled, level):
    units = bundled.units(level)
    vec = UnitVectorizer(level=level).vectorize(bundled)
    assert vec.matrix.shape == (len(units), len(vec.terms))
    norms = np.sqrt(np.asarray(vec.matrix.multiply(vec.matrix).sum(axis=1)).ravel())
    live = norms > 0
    assert np.allclose(norms[live], 1.0)
    assert live.mean() > 0.97  # only units made of numbers/stopwords (e.g. a bare date) are empty
    assert list(vec.units.unit_id) == [u.unit_id for u in units]


def test_unit_table_leads_back_to_text_and_raw(bundled):
    units = bundled.units("sentence")
    table = unit_table(units)
    assert list(table.columns) == UNIT_COLUMNS
    row = table[table.unit_id == "summary-05#t0"].iloc[0]
    doc = bundled["summary-05"]
    assert row.text == doc.text[row.start : row.end].strip()
    assert (row.raw_start, row.raw_end) == doc.raw_span(row.start, row.end)
    assert doc.raw[row.raw_start : row.raw_end].startswith("20xx年")
    sec = unit_table(bundled["summary-07"].units("section"))
    assert sec[sec.unit_id == "summary-07#s2"].iloc[0].heading == "存在的主要问题"


def test_heading_block_gets_its_share_of_the_norm(sections, section_vec):
    assert section_vec.heading_terms is not None and "问题" in set(section_vec.heading_terms)
    n_body = len(section_vec.terms)
    i = next(k for k, u in enumerate(sections) if u.unit_id == "summary-05#s2")  # 二、存在问题
    row = section_vec.matrix[i].toarray().ravel()
    assert np.isclose((row[n_body:] ** 2).sum(), 0.5)
    names = section_vec.feature_names
    assert {"h:存在", "h:问题"} <= {names[j] for j in np.flatnonzero(row[n_body:]) + n_body}
    # a preamble has no heading: its row is body only, still of norm 1
    j = next(k for k, u in enumerate(sections) if u.unit_id == "summary-05#s0")
    pre = section_vec.matrix[j].toarray().ravel()
    assert not pre[n_body:].any() and np.isclose((pre**2).sum(), 1.0)


def test_fit_on_one_corpus_transform_another(bundled):
    train, test = bundled[:10], bundled[10:]
    v = UnitVectorizer(level="document").fit(train)
    X = v.transform(test)
    assert X.shape == (5, len(v.terms_))
    other = Corpus.from_raw([RawDocument("new", "一、存在问题\n宣传不够深入。\n火星探测器着陆。")])
    row = v.transform(other).toarray().ravel()
    present = {v.terms_[j] for j in np.flatnonzero(row)}
    assert {"存在问题", "宣传"} <= present
    assert "火星" not in present  # unseen words are ignored, as in scikit-learn
    # pickled and restored, the fitted vectorizer transforms identically
    v2 = pickle.loads(pickle.dumps(v))
    assert (v2.transform(test) != X).nnz == 0


def test_same_input_same_matrix(bundled):
    a = UnitVectorizer(level="paragraph", analyzer="char").vectorize(bundled)
    b = UnitVectorizer(level="paragraph", analyzer="char").vectorize(bundled)
    assert list(a.terms) == list(b.terms) and (a.matrix != b.matrix).nnz == 0


def test_bad_parameters_and_inputs(bundled):
    with pytest.raises(ValueError, match="analyzer"):
        UnitVectorizer(analyzer="morpheme").fit(bundled)
    with pytest.raises(ValueError, match="heading_weight"):
        UnitVectorizer(heading_weight=1.0).fit(bundled)
    with pytest.raises(TypeError, match="Corpus or a sequence of Unit"):
        as_units(["a text"], "sentence")
    with pytest.raises(ValueError, match="unknown level"):
        UnitVectorizer(level="chapter").fit(bundled)

"""Shared passages against a brute-force oracle: every maximal common substring of two documents
with at least ``min_chars`` Han characters is reported, once, with its nesting."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcorpus.corpus import Corpus
from gkcorpus.base.io import RawDocument
from gkcorpus.boilerplate.reuse import _STRIP_END, _STRIP_START, ReuseFinder

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def pair_maximal(a: str, b: str, min_han: int) -> set[str]:
    """Every substring common to ``a`` and ``b`` (within one paragraph of each) that cannot be
    extended left or right at that pair of places, with at least ``min_han`` Han characters:
    dynamic programming over the longest common suffixes, cell by cell."""
    out: set[str] = set()
    for x in a.split("\n"):
        for y in b.split("\n"):
            prev = [0] * (len(y) + 1)
            for i in range(1, len(x) + 1):
                cur = [0] * (len(y) + 1)
                for j in range(1, len(y) + 1):
                    if x[i - 1] == y[j - 1]:
                        cur[j] = prev[j - 1] + 1
                for j in range(1, len(y) + 1):
                    n = cur[j]
                    if n and (i == len(x) or j == len(y) or x[i] != y[j]):
                        s = x[i - n : i]
                        if len(HAN.findall(s)) >= min_han:
                            out.add(s)
                prev = cur
    return out


def oracle(corpus: Corpus, min_han: int) -> dict[str, set[str]]:
    docs = list(corpus)
    found: dict[str, set[str]] = {}
    for a, b in itertools.combinations(docs, 2):
        for s in pair_maximal(a.text, b.text, min_han):
            found.setdefault(s, set()).update({a.id, b.id})
    return found


def unreported(finder: ReuseFinder, truth: dict[str, set[str]]) -> list[str]:
    """Oracle passages no reported passage (or sub-passage) holds with all their documents."""
    reported = [(p.text, set(p.docs)) for p in finder.passages_ + finder.sub_passages_]
    missing = []
    for s, docs in truth.items():
        core = s.lstrip(_STRIP_START).rstrip(_STRIP_END)
        if len(HAN.findall(core)) < finder.min_chars:
            continue
        if not any(core in t and docs <= d for t, d in reported):
            missing.append(s)
    return missing


@pytest.fixture(scope="module")
def finder(bundled):
    return ReuseFinder().fit(bundled)


@pytest.mark.slow
def test_every_shared_passage_of_the_bundled_corpus_is_reported(bundled, finder):
    truth = oracle(bundled, finder.min_chars)
    assert len(truth) == 90
    assert unreported(finder, truth) == []


@pytest.mark.parametrize("text, docs", [
    ("为此次活动的有序开展奠定了良好的基础", {"summary-02", "summary-10"}),
    ("的热点和难点问题一一给予认真的记录和耐心的解答", {"summary-08", "summary-10"}),
    ("对这次活动给予了充分的重视", {"summary-02", "summary-10"}),
    ("召开专题会议研究活动方案", {"summary-11", "summary-12"}),
    ("加强对政务公开工作的组织领导", {"summary-01", "summary-05"}),
    ("《中华人民共和国政府信息公开条例》", {"summary-04", "summary-11"}),
    ("活动开展情况总结如下", {"summary-02", "summary-08"}),
])
def test_passages_a_reader_finds_at_once(finder, text, docs):
    held = [p for p in finder.passages_ if p.kind == "verbatim" and text in p.text and docs <= set(p.docs)]
    assert held, text
    for p in held:
        for o in p.occurrences:
            assert o.text == p.text


def test_each_passage_once(finder, bundled):
    """No passage lies inside another with the same documents unless it also occurs outside it;
    sub-passages occur only inside their parents; links go both ways."""
    by_id = {p.id: p for p in finder.passages_}
    verbatim = [p for p in finder.passages_ if p.kind == "verbatim"]
    for p in verbatim:
        own = 0
        for o in p.occurrences:
            doc = bundled[o.doc_id].text
            inside = any(q is not p and len(q.text) > len(p.text) and o.doc_id in q.docs
                         and any(r.doc_id == o.doc_id and r.start <= o.start and o.end <= r.end for r in q.occurrences)
                         for q in verbatim)
            own += not inside
            assert doc[o.start : o.end] == p.text
        assert own > 0, p.text
        for pid in p.parents:
            assert p.id in by_id[pid].children and p.text in by_id[pid].text
    for p in verbatim:
        for q in p.sub_passages:
            assert q.text in p.text and q not in finder.passages_
    assert len(finder.sub_passages_) == 6


def _corpus(texts: list[str]) -> Corpus:
    return Corpus.from_raw([RawDocument(f"d{i}", t) for i, t in enumerate(texts)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet="政务公开工作，。\n", min_size=1, max_size=60), min_size=2, max_size=4))
def test_random_corpora_agree_with_the_oracle(texts):
    corpus = _corpus(texts)
    finder = ReuseFinder(min_chars=3, near=False).fit(corpus)
    assert unreported(finder, oracle(corpus, 3)) == []


# --------------------------------------------------------------------------- the 套话 index


def _first_half_agrees(fi) -> list[bool]:
    """Per document: whether the index of its first half of sentences (same corpus-level
    boilerplate) and the whole document's index have overlapping confidence intervals."""
    import numpy as np

    from gkcorpus.boilerplate.phrases import sentence_mean_ci

    s = fi.sentences_
    pos = s.groupby("doc_id", sort=False).cumcount()
    size = s.groupby("doc_id", sort=False)["index"].transform("size")
    half = s[pos < np.maximum(1, size // 2)]
    d = fi.documents_
    _, lo, hi, _ = sentence_mean_ci(half, list(d.doc_id))
    return [lo[i] <= r.index_high and r.index_low <= hi[i] for i, r in enumerate(d.itertuples())]


def test_index_is_a_sentence_mean_with_an_interval(bundled):
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    fi = mine_boilerplate(bundled).formulaicness
    d = fi.documents_.set_index("doc_id")
    s = fi.sentences_
    for doc_id, g in s.groupby("doc_id"):
        assert d.loc[doc_id, "sentences"] == len(g)
        assert abs(d.loc[doc_id, "index"] - g["index"].mean()) < 1e-4
        assert d.loc[doc_id, "index_low"] <= d.loc[doc_id, "index"] <= d.loc[doc_id, "index_high"]
    assert list(fi.documents_["doc_id"].head(2)) == ["summary-10", "summary-11"]
    assert all(_first_half_agrees(fi))


def test_sentence_rows_stream_the_table_that_sentences_gives(bundled):
    """The rows a writer streams, a few sentences at a time, are the table's rows; the table is made
    when read, and reading it before the fit is an AttributeError like any fitted attribute."""
    from gkcorpus.boilerplate.phrases import mine_boilerplate
    from gkcorpus.boilerplate.phrases.formulaicness import FormulaicnessIndex

    fi = mine_boilerplate(bundled).formulaicness
    table = fi.sentences_
    assert len(table) == 335 and (table["evidence"] != "").sum() == 270  # as in the CSV of `mine`
    for chunk in (1, 7, 20_000):
        assert list(fi.sentence_rows(chunk)) == table.to_dict("records")
    row = table[table["evidence"] != ""].iloc[0]
    assert row["unit_id"] == f"{row['doc_id']}#t{row['sentence']}" and "; " in row["evidence"]
    assert fi.sentences_ is not table and fi.sentences_.equals(table)
    with pytest.raises(AttributeError):
        FormulaicnessIndex().sentences_


def test_mine_drops_only_attributes_the_fitted_estimators_hold(bundled):
    """What ``mine`` drops once written (``WRITTEN_ONLY``) names attributes that exist: a renamed one would
    silently stay in memory through the later stages."""
    from gkcorpus.app.pipeline import WRITTEN_ONLY, _drop_written
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    bp = mine_boilerplate(bundled)
    held = {part: [n for n in names if n in vars(getattr(bp, part))] for part, names in WRITTEN_ONLY.items()}
    assert held == {part: list(names) for part, names in WRITTEN_ONLY.items()}
    _drop_written(bp)
    assert all(n not in vars(getattr(bp, part)) for part, names in WRITTEN_ONLY.items() for n in names)
    with pytest.raises(AttributeError, match="dropped once written"):
        bp.formulaicness.sentences_


@pytest.mark.slow
def test_index_of_a_report_and_its_first_half_agree(shared_corpora):
    import gkcorpus
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    corpus = gkcorpus.load([shared_corpora / "gwr_national.jsonl"])
    agree = _first_half_agrees(mine_boilerplate(corpus).formulaicness)
    assert sum(agree) >= 0.9 * len(agree) and sum(agree) == 49


def test_evidence_cites_each_document_in_its_own_words(bundled):
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    bp = mine_boilerplate(bundled)
    by_id = {p.id: p for p in bp.reuse.passages_}
    cited = 0
    for row in bp.formulaicness.documents_.itertuples():
        for item in filter(None, row.evidence.split("; ")):
            pid, rest = item.split(" ", 1)
            if pid not in by_id:
                continue  # a phrase of the bank
            text = rest.rsplit(" (", 1)[0].rstrip("…")
            assert text in bundled[row.doc_id].text, (row.doc_id, text)
            cited += 1
    assert cited > 20

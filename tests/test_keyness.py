"""Keyness: G² and chi² against hand-computed tables, signs, effect size, groups, the command."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from gkcorpus.features.keyness import Keyness, keyness_table, split_by


def row(table, term):
    return table.set_index("term").loc[term]


def test_two_by_two_against_hand_computation():
    # term x: 10 of 1000 target tokens, 20 of 5000 reference tokens
    t = keyness_table(Counter(x=10, y=990), Counter(x=20, y=4980), correction="none", min_freq=1)
    x = row(t, "x")
    # G² = 2 Σ O ln(O/E) with E = 5, 25, 995, 4975
    assert x.g2 == pytest.approx(4.9674, abs=1e-4)
    assert x.chi2 == pytest.approx(6.0302, abs=1e-4)  # N (ad - bc)² / (row sums × column sums)
    assert x.log_ratio == pytest.approx(1.3219, abs=1e-4)  # log2(0.01 / 0.004)
    assert x.key_for == "target" and row(t, "y").g2 < 0 and row(t, "y").key_for == "reference"
    assert x.p == pytest.approx(0.02583, abs=1e-5)


def test_default_corrections_follow_quanteda():
    t = keyness_table(Counter(x=10, y=990), Counter(x=20, y=4980), min_freq=1)
    x = row(t, "x")
    q = 1 + (6000 / 30 + 6000 / 5970 - 1) * (6000 / 1000 + 6000 / 5000 - 1) / (6 * 6000)  # Williams
    assert x.g2 == pytest.approx(4.9674 / q, abs=1e-3)
    assert x.chi2 == pytest.approx(6000 * (30000 - 3000) ** 2 / (30 * 5970 * 1000 * 5000), abs=1e-4)  # Yates
    with pytest.raises(ValueError):
        keyness_table(Counter(x=1), Counter(x=1), measure="pmi")


def test_zero_in_reference_and_sorting():
    t = keyness_table(Counter(a=5, b=5, c=90), Counter(b=5, c=95), correction="none", min_freq=1)
    assert list(t["term"]) == ["a", "b", "c"]  # a only in the target is most key; c leans to the reference
    assert row(t, "a").reference_freq == 0 and row(t, "a").log_ratio == pytest.approx(3.3219, abs=1e-4)  # 0.5 added


@pytest.fixture(scope="module")
def ten_eleven(bundled):
    target = bundled.subset(lambda d: d.id in ("summary-10", "summary-11"))
    reference = bundled.subset(lambda d: d.id not in ("summary-10", "summary-11"))
    return Keyness(min_freq=2).fit(target, reference)


def test_summaries_10_and_11_against_the_rest(ten_eleven):
    top = ten_eleven.top(4)
    assert list(top["term"]) == ["我镇", "镇", "主题", "贴近"]
    x = top.iloc[0]
    assert (x.target_freq, x.reference_freq) == (10, 4)
    assert (ten_eleven.n_target_, ten_eleven.n_reference_) == (643, 4805)
    assert (ten_eleven.top(3, "reference")["key_for"] == "reference").all()


def test_split_by_document_variable(bundled):
    docs = list(bundled)
    for i, d in enumerate(docs):
        d.meta["kind"] = "a" if i < 5 else "b"
    try:
        target, reference = split_by(bundled, "kind", "a")
        assert len(target) == 5 and len(reference) == 10
    finally:
        for d in docs:
            d.meta.pop("kind")


def test_summaries_against_national_reports(shared_corpora, bundled):
    import gkcorpus

    national = gkcorpus.load(shared_corpora / "gwr_national.jsonl")
    k = Keyness().fit(bundled, national)
    assert k.table_.iloc[0]["term"] == "政务公开"
    assert k.top(5, "reference").iloc[0]["term"] == "经济"


def test_keyness_command(tmp_path):
    from gkcorpus.cli import main

    ref = tmp_path / "ref.jsonl"
    ref.write_text("\n".join(json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(
        ["我国经济持续增长，经济结构不断优化。", "经济体制改革取得重大进展，经济发展稳中向好。"])), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["keyness", "--reference", str(ref), "-o", str(out), "--min-freq", "2"]) == 0
    rows = json.loads((out / "keyness.json").read_text(encoding="utf-8"))
    assert rows[0]["term"] == "政务公开" and rows[-1]["term"] == "经济"
    assert (out / "keyness.csv").exists() and (out / "keyness.md").read_text(encoding="utf-8").startswith("# Keyness")
    assert main(["keyness", "--reference", str(tmp_path / "missing.jsonl"), "-o", str(out)]) == 1

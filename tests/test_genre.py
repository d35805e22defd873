"""Genre from outline vocabulary (the bundled work plans 13, 14 separate from the summaries) and the register
profile with the document kinds it feeds (which do not separate them)."""

from __future__ import annotations

import numpy as np
import pytest

from gkcorpus import Corpus
from gkcorpus.features.genre import function_words, guess_genre, load_register_markers, register_matrix, register_profile
from gkcorpus.base.io import RawDocument


def test_bundled_plans_and_summaries(bundled):
    genres = {d.id: guess_genre(d) for d in bundled}
    assert [i for i, g in genres.items() if g.genre == "plan"] == ["summary-13", "summary-14"]
    assert all(g.genre == "summary" for i, g in genres.items() if i not in ("summary-13", "summary-14"))
    assert genres["summary-14"].evidence[:4] == [
        "heading 一、总体要求 (plan: 总体要求)", "heading 二、主要内容 (plan: 主要内容)",
        "heading 三、工作步骤 (plan: 工作步骤)", "heading 四、保障措施 (plan: 保障措施)"]
    # 下一步工作目标 is a summary's closing section; 工作目标 alone would be a plan's
    g8 = genres["summary-08"]
    assert g8.plan_score == 2 and g8.summary_score > 2 and g8.genre == "summary"


def test_unseen_texts():
    plan = "为做好政务公开工作，特制定本方案。\n一、工作目标\n全面推进。\n二、实施步骤\n分三步。\n三、保障措施\n加强领导。"
    summ = "今年以来，我局认真开展工作，现将有关情况总结如下：\n一、主要做法\n做了很多。\n二、存在问题\n还有不足。"
    bare = "政务公开很重要。"
    report = ("政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2025年工作回顾\n"
              "过去一年，全市经济稳定增长，取得了显著成效。\n二、2026年重点工作\n今年要扩大内需。")
    # a summary's headings with a plan's cues in equal measure: no genre leads, so no guess
    mixed = "特制定本方案，具体方案如下：\n一、主要做法\n做了很多。"
    c = Corpus.from_raw([RawDocument("p", plan), RawDocument("s", summ), RawDocument("x", bare),
                         RawDocument("r", report), RawDocument("m", mixed)])
    guesses = [guess_genre(d) for d in c]
    assert [g.genre for g in guesses] == ["plan", "summary", "unknown", "report", "unknown"]
    r = guesses[3]
    assert (r.report_score, r.summary_score, r.plan_score) == (14, 1, 0)
    assert r.evidence[:2] == ["heading 一、2025年工作回顾 (report: 工作回顾)", "heading 二、2026年重点工作 (report: 重点工作)"]
    assert (guesses[4].plan_score, guesses[4].summary_score) == (2, 2)


def test_a_title_line_naming_the_genre():
    """A first line that reads as a title and names the genre counts as much as a heading: a themed summary has no
    section name to go by, and one theme may hold a plan's (目标任务: without the title it reads as a plan); a first
    line ending a sentence is no title."""
    body = "\n一、谋划目标任务，推动重点工作\n全年发放补贴300万元，取得了实效。\n二、加强社有资产监管\n资产稳中向好。"
    texts = {"s": "安宁市供销社2023年工作总结" + body, "p": "2024年政务公开工作要点" + body,
             "n": "安宁市供销社2023年工作总结。" + body, "x": body.lstrip(),
             "q": "2023年度工作总结表彰大会实施方案" + body, "r": "关于认真做好年度工作总结的通知" + body}
    c = Corpus.from_raw([RawDocument(k, v) for k, v in texts.items()])
    guesses = {d.id: guess_genre(d) for d in c}
    assert {k: (g.genre, g.summary_score, g.plan_score) for k, g in guesses.items()} == {
        "s": ("summary", 3, 2), "p": ("plan", 1, 4), "n": ("plan", 1, 2), "x": ("plan", 1, 2), "q": ("plan", 1, 4),
        "r": ("plan", 1, 2)}  # the title names the genre at its end: a plan, and a notice (no title cue)
    assert "title 安宁市供销社2023年工作总结 (summary)" in guesses["s"].evidence and not any(
        e.startswith("title") for e in guesses["n"].evidence)


def test_cluster_run_reports_genres(bundled):
    from gkcorpus.outline.run import cluster_corpus

    run = cluster_corpus(bundled, level="section", random_state=0)
    assert run.genre_lines()[0] == "  plan (2): summary-13, summary-14"


# --------------------------------------------------------------------------- register profile and document kinds

PLANS = {"summary-13", "summary-14"}


def test_register_markers_are_disjoint_categories():
    m = load_register_markers()
    assert list(m) == ["perfective", "completive", "prospective", "necessity", "possibility"]
    assert m["perfective"] == ("了", "过")
    words = [w for ws in m.values() for w in ws]
    assert len(words) == len(set(words))  # a word in two categories would be counted twice
    assert function_words(["的", "了", "一", "三", "十", "之一"]) == ["之一", "了", "的"]


def test_register_profile_rates_per_1000_tokens():
    toks = ["我们", "已经", "完成", "了", "任务", "了", "还", "要", "继续", "的"]
    p = register_profile(toks, words=["的", "了", "着"])
    assert p == {"perfective": 200.0, "completive": 100.0, "prospective": 0.0, "necessity": 100.0,
                 "possibility": 0.0, "的": 100.0, "了": 200.0, "着": 0.0}
    assert register_profile([], words=["的"]) == {k: 0.0 for k in [*load_register_markers(), "的"]}


def test_register_matrix_zscores_and_picks_frequent_words():
    profiles = [{"a": 10.0, "的": 30.0, "和": 5.0, "着": 0.0},
                {"a": 20.0, "的": 10.0, "和": 5.0, "着": 0.0},
                {"a": 30.0, "的": 20.0, "和": 5.0, "着": 0.0}]
    R, names = register_matrix(profiles, n_function_words=2, categories=["a"])
    # 的 (mean 20) then 和 (mean 5); 着 never occurs; 和 does not vary, so its column is 0
    assert names == ["a", "的", "和"]
    s = np.sqrt(0.5)
    assert np.allclose(R, [[-s, s, 0], [0, -1, 0], [1, 0, 0]])


@pytest.fixture(scope="module")
def typer(bundled):
    from gkcorpus.outline.typer import SectionTyper

    return SectionTyper(random_state=0).fit(bundled)


def test_plans_have_no_perfective_aspect(bundled):
    from gkcorpus.text.tokenize import Tokenizer

    tk = Tokenizer()
    perf = {d.id: round(register_profile(tk(d.text))["perfective"], 2) for d in bundled}
    # each plan contains the character 了 once, inside a word (除了, 简洁明了), never as the aspect marker
    assert "除了" in bundled["summary-13"].text and "简洁明了" in bundled["summary-14"].text
    assert perf["summary-13"] == perf["summary-14"] == 0.0
    # but the register is not a clean cut: summary 15 (written in the directive style) and the
    # inspection report 07 use it hardly more
    assert perf["summary-15"] == 2.36 and perf["summary-07"] == 4.79
    assert min(v for k, v in perf.items() if k not in PLANS | {"summary-15", "summary-07"}) == 6.97


def test_document_kinds_with_register_block(bundled, typer):
    from gkcorpus.outline.kinds import document_kinds

    # a 4-tuple: words, outline, layout, register; no genre block
    auto = document_kinds(bundled, typer, weights=(0.4, 0.2, 0.4, 0.4), random_state=0)
    assert auto.weights == pytest.approx({"words": 0.4 / 1.4, "outline": 0.2 / 1.4, "layout": 0.4 / 1.4,
                                          "register": 0.4 / 1.4, "genre": 0.0})
    assert all("genres" not in k for k in auto.kinds)
    assert auto.register_features[:5] == list(load_register_markers())
    assert auto.register_features[5:8] == ["的", "和", "了"] and len(auto.register_features) == 25
    assert auto.selection.startswith("k=2")
    # The register block does NOT give the plans a kind of their own: they stay with the documents
    # that start at 一、 without a preamble (05 … 12) and with 01.
    plans = auto.members(auto.kind_of("summary-13"))
    assert set(plans) == {"summary-01", "summary-05", "summary-07", "summary-12", "summary-13", "summary-14"}
    four = document_kinds(bundled, typer, weights=(0.4, 0.2, 0.4, 0.4), n_kinds=4, random_state=0)
    kind = four.kinds[four.kind_of("summary-13")]
    assert kind["doc_ids"] == ["summary-05", "summary-07", "summary-13", "summary-14"]
    assert kind["register"]["perfective"] == round((17.48 + 4.79 + 0 + 0) / 4, 2)
    with pytest.raises(ValueError, match="weights"):
        document_kinds(bundled, typer, weights=(1.0, 0.0))


def test_genre_matrix_rows():
    from gkcorpus.features.genre import GenreGuess, genre_matrix

    G = genre_matrix([GenreGuess("a", "plan", 8, 0), GenreGuess("b", "summary", 2, 11), GenreGuess("c", "unknown", 0, 0),
                      GenreGuess("d", "report", 0, 2, [], 14)])
    assert G.shape == (4, 3)
    assert G[0].tolist() == [1.0, 0.0, 0.0] and G[2].tolist() == [0.0, 0.0, 0.0]
    assert G[1] == pytest.approx([np.sqrt(2 / 13), np.sqrt(11 / 13), 0.0])
    assert G[3] == pytest.approx([0.0, np.sqrt(2 / 16), np.sqrt(14 / 16)])
    assert genre_matrix([]).shape == (0, 3)


def test_document_kinds_genre_block_isolates_the_plans(bundled, typer):
    from gkcorpus.outline.kinds import document_kinds

    auto = document_kinds(bundled, typer)  # default: five blocks, genre 1.0 of 2.4
    assert auto.weights["genre"] == pytest.approx(1.0 / 2.4)
    assert auto.selection.startswith("k=2")
    plans = auto.kind_of("summary-13")
    assert auto.members(plans) == sorted(PLANS)
    assert auto.kinds[plans]["genres"] == {"plan": 2}
    assert auto.kinds[1 - plans]["genres"] == {"summary": 13}
    # asked for more kinds, the summaries split and the plans stay alone
    for k in (3, 4):
        more = document_kinds(bundled, typer, n_kinds=k)
        assert more.members(more.kind_of("summary-13")) == sorted(PLANS)
    # a different seed or agglomerative clustering: the same two kinds
    for kw in ({"random_state": 1}, {"method": "agglomerative"}):
        other = document_kinds(bundled, typer, **kw)
        assert other.members(other.kind_of("summary-14")) == sorted(PLANS)
    with pytest.raises(ValueError, match="3 to 5"):
        document_kinds(bundled, typer, weights=(1, 1, 1, 1, 1, 1))

"""Genre from outline vocabulary: the bundled work plans (13, 14) separate from the summaries."""

from __future__ import annotations

from gkcorpus import Corpus
from gkcorpus.genre import guess_genre
from gkcorpus.io import RawDocument


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
    c = Corpus.from_raw([RawDocument("p", plan), RawDocument("s", summ), RawDocument("x", bare)])
    assert [guess_genre(d).genre for d in c] == ["plan", "summary", "unknown"]


def test_cluster_run_reports_genres(bundled):
    from gkcorpus.outline import cluster_corpus

    run = cluster_corpus(bundled, level="section", random_state=0)
    assert run.genre_lines()[0] == "  plan (2): summary-13, summary-14"

"""The Loghub-style scorer, on hand-made examples, and the hand-labelled ground truth itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcorpus.templates.evaluate import (
    evaluate,
    grouping_accuracy,
    grouping_f1,
    load_labels,
    miner_predictions,
    normalise_template,
    parsing_accuracy,
    template_accuracy,
)

LABELS = Path(__file__).parent / "data" / "template_labels.csv"

TRUTH_IDS = ["A", "A", "B", "C", "C", "D"]
PRED_IDS = ["x", "x", "y", "z", "w", "z"]
TRUTH_T = ["现将{TOPIC}总结如下", "现将{TOPIC}总结如下", "存在问题", "在{DATE}的活动当天", "在{DATE}的活动当天", "各位代表"]
PRED_T = ["现将 <*> 总结 如下", "现将<*>总结如下", "二、存在问题", "在<*>的活动当天", "在5月18日的活动当天", "各位代表"]


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("{TEXT}，现将{TOPIC}总结如下：", "现将<*>总结如下"),
        ("一、 领导 重视 ， 周密 部署", "领导重视，周密部署"),
        ("（二）结合{TEXT}，注重实效", "结合<*>，注重实效"),
        ("<*> <*> 活动", "活动"),
        ("在{DATE}的活动当天。", "在<*>的活动当天"),
        ("此次活动共接访群众{NUM}余人{TEXT_7}，受到好评", "此次活动共接访群众<*>余人<*>，受到好评"),
    ],
)
def test_normalise_template(raw, canonical):
    assert normalise_template(raw) == canonical


def test_grouping_accuracy_counts_messages_of_exactly_reproduced_groups():
    # x = {0,1} is A, y = {2} is B; z = {3,5} and w = {4} match nothing
    assert grouping_accuracy(TRUTH_IDS, PRED_IDS) == pytest.approx(3 / 6)
    assert grouping_accuracy(TRUTH_IDS, TRUTH_IDS) == 1.0
    assert grouping_accuracy(TRUTH_IDS, list(range(6))) == pytest.approx(2 / 6)  # B and D are singletons


def test_grouping_f1():
    assert grouping_f1(TRUTH_IDS, PRED_IDS) == pytest.approx((0.5, 0.5, 0.5))
    assert grouping_f1(TRUTH_IDS, ["q"] * 6) == (0.0, 0.0, 0.0)


def test_parsing_and_template_accuracy():
    assert parsing_accuracy(TRUTH_T, PRED_T) == pytest.approx(5 / 6)
    pta, rta, fta = template_accuracy(TRUTH_T, PRED_T)
    # predicted templates: 现将<*>总结如下, 存在问题, 在<*>的活动当天, 在5月18日的活动当天 (wrong), 各位代表
    assert (pta, rta) == pytest.approx((4 / 5, 4 / 4))
    assert fta == pytest.approx(2 * 0.8 / 1.8)


def test_a_template_shared_by_two_truths_is_wrong():
    pta, rta, _ = template_accuracy(["a", "b"], ["<*>", "<*>"])
    assert (pta, rta) == (0.0, 0.0)


def test_evaluate_reports_frames():
    s = evaluate(TRUTH_IDS, TRUTH_T, PRED_IDS, PRED_T)
    assert (s.n_messages, s.n_true_groups, s.n_pred_groups) == (6, 4, 4)
    assert (s.frames_total, s.frames_found, s.n_frame_messages) == (2, 1, 4)
    assert s.ga_frames == pytest.approx(2 / 4)
    assert s.to_dict()["ga"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        evaluate(TRUTH_IDS, TRUTH_T, PRED_IDS[:-1], PRED_T)


# --------------------------------------------------------------------------- the ground truth


@pytest.fixture(scope="module")
def labels():
    return load_labels(LABELS)


def test_labels_cover_the_fifteen_summaries(labels):
    assert len(labels) == 335
    assert labels.doc_id.nunique() == 15
    frames = labels[labels.template_id.str.startswith("T")]
    assert frames.template_id.nunique() == 32 and len(frames) == 76
    # a frame is shared across documents; a singleton id is used once
    assert (frames.groupby("template_id").doc_id.nunique() >= 2).all()
    singles = labels[labels.template_id.str.startswith("S")]
    assert singles.template_id.is_unique


def test_labels_name_the_frames_of_the_issue(labels):
    by_t = labels.groupby("template")["doc_id"].apply(lambda s: sorted(x[-2:] for x in s))
    assert by_t["现将{TOPIC}总结如下"] == ["02", "03", "05", "08"]
    visitor = [t for t in by_t.index if "此次活动共接访群众{NUM}余人" in t]
    assert len(visitor) == 1 and by_t[visitor[0]] == ["02", "10"]
    closing = [t for t in by_t.index if t.startswith("在今后的工作中") and "再上新台阶" in t and "{" in t]
    assert len(closing) == 1 and by_t[closing[0]] == ["09", "10", "11"]


def test_singleton_template_is_the_sentence_core(labels):
    from gkcorpus.templates.miner import sentence_core

    s = labels[labels.template_id.str.startswith("S")]
    assert all(t == x[slice(*sentence_core(x))] for x, t in zip(s.sentence, s.template))


def test_load_labels_rejects_an_id_with_two_templates(tmp_path):
    from gkcorpus.base.io import LoadError

    p = tmp_path / "bad.csv"
    p.write_text("doc_id,sentence,template_id,template\na,x,T1,x\nb,y,T1,y\n", encoding="utf-8")
    with pytest.raises(LoadError, match="T1"):
        load_labels(p)
    with pytest.raises(LoadError, match="missing column"):
        (tmp_path / "c.csv").write_text("doc_id,sentence\na,b\n", encoding="utf-8")
        load_labels(tmp_path / "c.csv")


def test_gkcorpus_beats_drain3_on_the_labels(labels):
    """The benchmark's quality claim, kept from regressing (times are measured in benchmarks/)."""
    drain3 = pytest.importorskip("drain3")
    from drain3.template_miner_config import TemplateMinerConfig

    from gkcorpus.templates.miner import TemplateMiner
    from gkcorpus.text.tokenize import Tokenizer

    sents, docs = labels.sentence.tolist(), labels.doc_id.tolist()
    truth_ids, truth_t = labels.template_id.tolist(), labels.template.tolist()
    ids, tpl = miner_predictions(TemplateMiner(), sents, docs)
    ours = evaluate(truth_ids, truth_t, ids, tpl)

    tok = Tokenizer(keep_punct=True)
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    tm = drain3.TemplateMiner(config=cfg)
    cids = [tm.add_log_message(" ".join(t for t in tok.cut(s) if t.strip()))["cluster_id"] for s in sents]
    final = {c.cluster_id: c.get_template() for c in tm.drain.clusters}
    theirs = evaluate(truth_ids, truth_t, cids, [final[c] for c in cids])

    assert ours.ga > 0.88 and ours.fta > 0.88 and ours.frames_found >= 22
    assert ours.ga > theirs.ga + 0.1
    assert ours.fta > theirs.fta + 0.05
    assert ours.frames_found > 3 * theirs.frames_found

"""Top-level parts however marked (gkcorpus.outline.parts) and their types (gkcorpus.outline.part_types), on the bundled
summaries and on the national work reports since 1978."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from gkcorpus import Corpus
from gkcorpus.base.io import RawDocument
from gkcorpus.outline.part_types import PartTyper, gap_statistic, normalise_heading
from gkcorpus.outline.parts import find_parts


def _hows(doc):
    return [p.how for p in find_parts(doc)]


# --------------------------------------------------------------------------- bundled summaries


def test_bundled_parts_and_how_they_were_found(bundled):
    assert Counter(p.how for d in bundled for p in find_parts(d)) == {"numbered": 48, "preamble": 12, "closing": 5}
    parts = find_parts(bundled["summary-10"])
    assert [(p.how, p.heading, p.start, p.end, p.raw_start, p.raw_end) for p in parts] == [
        ("preamble", "", 0, 162, 0, 335), ("numbered", "领导重视，周密部署", 163, 270, 336, 549),
        ("numbered", "加强宣传、营造氛围", 271, 389, 550, 801), ("numbered", "深入群众，全面公开", 390, 781, 802, 1501),
        ("closing", "", 782, 909, 1502, 1810)]
    assert bundled["summary-10"].text[782:].startswith("在今后的工作中")
    # the same closing formula right under a bare heading line is that section's own body
    assert _hows(bundled["summary-01"]) == ["preamble", "numbered", "numbered", "numbered"]
    assert _hows(bundled["summary-07"]) == ["numbered"] * 3  # starts at 一、 without a preamble
    # a peroration opener (总之…) marks a closing too
    assert _hows(bundled["summary-08"])[-1] == "closing"
    assert _hows(bundled["summary-04"]) == ["preamble"]  # no headings: one part
    for d in bundled:
        ps = find_parts(d)
        assert all(a.end < b.start for a, b in zip(ps, ps[1:]))
        assert all(d.raw_span(p.start, p.end) == (p.raw_start, p.raw_end) for p in ps)


def test_unheaded_coda_closing_and_unnumbered_headings_in_an_unseen_report():
    text = ("政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
            "过去一年的工作\n过去一年，全市经济稳定增长，民生持续改善，各项事业取得新进展。\n"
            "今年的主要任务\n今年要着力扩大内需，稳住经济大盘，推动高质量发展，切实保障和改善民生。\n（一）稳定增长\n要稳住投资和消费。\n（二）改善民生\n要办好民生实事。\n"
            "各位代表！新征程对政府工作提出新的更高要求。我们要深入推进依法行政，建设人民满意的政府。\n"
            "我们要坚持廉洁从政，驰而不息纠治“四风”，以实干实绩回应人民期待。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！\n"
            "名词解释\n1.新质生产力：是指创新起主导作用的先进生产力。")
    doc = Corpus.from_raw([RawDocument("r", text)])["r"]
    parts = find_parts(doc)
    assert [(p.how, p.heading) for p in parts] == [
        ("preamble", ""), ("unnumbered_heading", "过去一年的工作"), ("unnumbered_heading", "今年的主要任务"),
        ("unheaded_coda", ""), ("closing", ""), ("appendix", "名词解释")]
    assert doc.text[parts[3].start:parts[3].end].startswith("各位代表！新征程")


def test_normalise_heading_masks_years_plans_and_enumerators():
    assert normalise_heading("一、2025年工作回顾") == normalise_heading("一、过去一年工作回顾") == "Y工作回顾"
    assert normalise_heading("“十四五”时期和2025年工作回顾") == "P时期和Y工作回顾"
    assert normalise_heading("二、关于1 9 9 8 年政府工作的建议") == "Y政府工作的建议"
    assert normalise_heading("（三）第六个五年计划的基本任务") == "P的基本任务"
    assert normalise_heading("一九八九年的回顾") == "Y的回顾"


def test_gap_statistic_finds_three_blobs_and_one_when_there_are_none():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]], dtype=float)
    X = np.vstack([c + rng.normal(size=(30, 2)) for c in centres])
    k, stats = gap_statistic(X, 6, random_state=0)
    assert k == 3 and sorted(stats) == [1, 2, 3, 4, 5, 6]
    k1, _ = gap_statistic(rng.uniform(size=(90, 2)), 6, random_state=0)
    assert k1 == 1


def test_bundled_part_types(bundled):
    pt = PartTyper().fit(bundled)
    # 48 numbered parts of fifteen short texts: the gap statistic finds no structure beyond noise, so
    # the body parts are one type beside the opening and the closing (the skeleton keeps the section types)
    assert pt.selection_.startswith("k=1 by the gap statistic")
    assert pt.n_body_types_ == 1
    assert [t.hows for t in pt.types_] == [{"preamble": 12}, {"numbered": 48}, {"closing": 5}]
    assert pt.types_[0].name.startswith("(opening)") and pt.types_[2].name.startswith("(closing)")
    seg = pt.segments_
    assert len(seg) == 65 and seg.unit_id.iloc[0] == "summary-01#part0"
    again = PartTyper().fit(bundled)
    assert again.segments_.type.tolist() == seg.type.tolist()


# --------------------------------------------------------------------------- national reports since 1978


@pytest.fixture(scope="module")
def national(shared_corpora):
    from gkcorpus import load

    return load(shared_corpora / "gwr_national.jsonl")


@pytest.fixture(scope="module")
def since_1978(national):
    return national.subset(lambda d: int(d.meta["year"]) >= 1978)


def test_national_parts_however_marked(since_1978):
    assert len(since_1978) == 41
    assert Counter(p.how for d in since_1978 for p in find_parts(d)) == {
        "numbered": 160, "preamble": 41, "closing": 34, "unnumbered_heading": 16, "unheaded_coda": 14,
        "appendix": 2, "unheaded": 1}
    heads = lambda y: [(p.how, p.heading) for p in find_parts(since_1978[f"gwr_national/{y}"])]  # noqa: E731
    # 1986: the 一、…五、 series nested under 二、 and 三、 are not top-level parts
    assert heads(1986) == [("preamble", ""), ("numbered", "“六五”计划执行情况的回顾"),
                           ("numbered", "“七五”时期的基本任务和主要建设方针"), ("numbered", "“七五”时期的经济体制改革"),
                           ("numbered", "坚持独立自主的和平外交政策"), ("unheaded_coda", ""), ("closing", "")]
    # 1981 opens with （一）: that series is the top one, its 一、…十、 are nested
    assert [h for _, h in heads(1981)] == ["", "当前的经济形势", "今后经济建设的方针", "我国经济发展的前景", ""]
    # 1983: unnumbered headings, the （一）…（五） under the second nested
    assert heads(1983) == [("preamble", ""), ("unnumbered_heading", "过去五年的回顾"),
                           ("unnumbered_heading", "今后五年的主要任务"), ("unheaded_coda", "")]
    # 2002: the review has no heading; it follows the address, announced by one sentence
    assert heads(2002)[1] == ("unheaded", "首先报告2001年的工作")
    # 2010: the coda after the last task, the closing, the notes
    assert [h for h in heads(2010)][3:] == [("unheaded_coda", ""), ("closing", ""), ("appendix", "注释")]


def test_national_reports_are_one_genre(national):
    from gkcorpus.features.genre import guess_genre

    genres = {d.id: guess_genre(d).genre for d in national}
    assert Counter(genres.values()) == {"report": 47, "unknown": 3}
    assert sorted(i for i, g in genres.items() if g == "unknown") == [
        "gwr_national/1954", "gwr_national/1959", "gwr_national/1964"]


def test_national_part_types(since_1978):
    pt = PartTyper().fit(since_1978)
    seg = pt.segments_
    assert pt.selection_.startswith("k=8 by the gap statistic")
    assert "1 variant type(s) merged" in pt.selection_
    assert len(pt.types_) == 10 and len(seg) == 268
    # the merged variants are the reviews: the older ones (伟大的历史性转变, Y国内工作的回顾 …) and the
    # newer Y工作回顾 share no report and are each other's nearest type
    merged = [t for t in pt.types_ if t.merged_from]
    assert len(merged) == 1 and merged[0].name == "Y工作回顾" and merged[0].n_docs == 40
    # every form-found part is one type; the ten reviews headed Y工作回顾 are one type
    for how in ("preamble", "closing", "appendix"):
        assert seg[seg.how == how].type.nunique() == 1
    review = seg[seg.heading.map(normalise_heading) == "Y工作回顾"]
    assert len(review) == 10 and review.type.nunique() == 1
    # the unheaded codas share a type, and types are numbered by mean position
    assert seg[seg.how == "unheaded_coda"].type.nunique() == 1
    assert [t.mean_position for t in pt.types_] == sorted(t.mean_position for t in pt.types_)

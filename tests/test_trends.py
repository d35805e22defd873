"""Formula timelines: counts by group, life spans, successions, eras."""

from __future__ import annotations

import json
import re

import pytest

from gkcorpus.corpus import Corpus
from gkcorpus.base.io import RawDocument
from gkcorpus.timeline import (EraSegmenter, Formula, FormulaTimeline, count_by_group, formulae_from_bank,
                               formulae_from_frames, gap_pattern)


def _corpus(rows: list[tuple[int, str]]) -> Corpus:
    return Corpus.from_raw([RawDocument(f"d{i:02d}", text, meta={"year": year}) for i, (year, text) in enumerate(rows)])


def _three_eras() -> Corpus:
    """Eighteen one-document years: 甲 formulae in the first six, 乙 in the next six, 丙 in the last."""
    rows = []
    for y in range(2000, 2018):
        era = (y - 2000) // 6
        own = ["坚持甲甲路线不动摇。", "实现甲甲目标。"] if era == 0 else \
              ["坚持乙乙路线不动摇。", "实现乙乙目标。"] if era == 1 else ["坚持丙丙路线不动摇。", "实现丙丙目标。"]
        rows.append((y, "各位代表！" + "".join(own) + "请予审议。"))
    return _corpus(rows)


def test_counts_by_group_are_exact():
    corpus = _corpus([(2001, "各位代表！各位代表，请予审议。"), (2001, "各位代表！"), (2002, "现在，我代表国务院，向大会报告工作，请予审议。")])
    f = [Formula("a", "各位代表"), Formula("g", "现在…请予审议", pattern=gap_pattern("现在…请予审议"))]
    c = count_by_group(corpus, f, by="year", min_docs=2).set_index(["formula_id", "group"])
    assert (c.loc[("a", 2001), ["df", "tf", "docs_in_group"]].tolist()) == [2, 3, 2]
    assert c.loc[("a", 2001), "docs"] == "d00 d01" and not c.loc[("a", 2001), "few_docs"]
    assert ("a", 2002) not in c.index and ("g", 2001) not in c.index  # absent cells are not rows
    assert c.loc[("g", 2002), "tf"] == 1 and c.loc[("g", 2002), "few_docs"]
    assert len(c) == 2
    chars = len(corpus["d00"].text) + len(corpus["d01"].text)
    assert c.loc[("a", 2001), "per_10k"] == round(3e4 / chars, 4)


def test_literal_prefix_of_patterns():
    from gkcorpus.timeline.counts import literal_prefix

    assert literal_prefix(gap_pattern("现在…请予审议")) == "现在"
    assert literal_prefix(re.escape("1+1 (a)") + "x") == "1+1 (a)x"
    assert literal_prefix("ab*c") == "a"  # b is optional: not in every match
    assert literal_prefix("a\\d") == "a"  # a class, not a literal
    assert literal_prefix("[^。]{0,3}?现在") == ""
    assert literal_prefix("(?i)ab") == ""


def test_patterns_count_as_a_scan_of_every_text_does():
    """Tried only where their literal prefix occurs, patterns find the same non-overlapping matches."""
    from gkcorpus.timeline.counts import _match_counts

    texts = ["甲甲甲甲乙。甲甲乙乙", "推进改革。推进经济改革，推进政治体制改革。\n推进。改革", "无关的文字。"]
    corpus = Corpus.from_raw([RawDocument(f"d{i}", t) for i, t in enumerate(texts)])
    patterns = ["甲甲", "甲甲甲?", "甲[^。]{0,3}?乙", gap_pattern("推进…改革"), "[^。]{1,2}改革", "改革(?<=体制改革)",
                re.escape("改革。") + "\n?推进"]
    f = [Formula(str(i), p, pattern=p) for i, p in enumerate(patterns)]
    got = _match_counts(corpus, f).toarray()
    clean = [d.text for d in corpus]
    want = [[len(re.findall(p, t)) for t in clean] for p in patterns]
    assert got.tolist() == want
    assert want[0] == [3, 0, 0] and want[3] == [0, 3, 0]


def test_a_patterns_second_piece_is_looked_for_where_the_gap_allows():
    """Starts without the second piece one gap after the prefix are skipped: the counts stay a scan's."""
    from gkcorpus.timeline.counts import _match_counts, _second_piece, formulae_from_templates

    gap = "[^。！？；\n]{0,20}?"
    assert _second_piece(gap_pattern("现在…请予审议")) == (0, 20, "请予审议")
    assert _second_piece(gap_pattern("做好…工作…部署")) == (0, 20, "工作")
    assert _second_piece(re.escape("a.b") + gap + re.escape("c+d") + "?") == (0, 20, "c+")
    assert _second_piece("ab*" + gap + "c") is None and _second_piece("ab") is None
    assert _second_piece("ab" + gap + "\\dc") is None and _second_piece("ab" + gap + "\nc") is None
    texts = ["推进改革。推进" + "经" * 20 + "改革。推进" + "经" * 21 + "改革。推进\n改革",
             "推进经济" + "体制" * 40 + "改革", "改革推进", "推进。改革推进经济改革推进推进文化改革"]
    corpus = Corpus.from_raw([RawDocument(f"d{i}", t) for i, t in enumerate(texts)])
    frames = formulae_from_templates([{"id": "f", "template": "{TEXT}推进{TEXT_2}改革"},
                                      {"id": "g", "template": "推进{NUM}改革{TEXT}推进"}])
    gapped = [Formula("p", "推进…改革", pattern=gap_pattern("推进…改革")),
              Formula("q", "推进…推进", pattern=gap_pattern("推进…推进"))]
    got = _match_counts(corpus, frames + gapped).toarray()
    clean = [d.text for d in corpus]
    assert got.tolist() == [[len(re.findall(f.pattern, t)) for t in clean] for f in frames + gapped]
    assert got[0].tolist() == [2, 0, 0, 2] and got[2].tolist() == [2, 0, 0, 2]  # gaps of 1-60 and of 0-20


def test_gaps_stay_inside_a_sentence():
    rx = re.compile(gap_pattern("现将…总结如下"))
    assert rx.search("现将今年活动总结如下")
    assert not rx.search("现将今年活动。总结如下")


_FRAMES = [
    {"id": "a", "template": "{TEXT}，请予审议，并请全国政协{TEXT_2}委员提出意见",
     "slots": [{"name": "TEXT", "type": "TEXT", "n_empty": 0}, {"name": "TEXT_2", "type": "TEXT", "n_empty": 1}]},
    {"id": "b", "template": "{TEXT}比{YEAR}增长{PERCENT}",
     "slots": [{"name": "TEXT", "type": "TEXT"}, {"name": "YEAR", "type": "YEAR"}, {"name": "PERCENT", "type": "PERCENT"}]},
    {"id": "c", "template": "以“{TEXT}”为主题"},  # slots typed by their names
    {"id": "d", "template": "{TEXT}"},  # no wording: nothing to count
]


def test_frames_are_counted_by_their_wording_and_typed_slots():
    fs = formulae_from_frames(_FRAMES)
    assert [(f.id, f.kind) for f in fs] == [("a", "frame"), ("b", "frame"), ("c", "frame")]
    text_slot = "(?:[^，；：。！？“”《》\\n]|“[^“”\\n]*”|《[^《》\\n]*》)"
    assert fs[0].pattern == f"请予审议[，；：]并请全国政协{text_slot}{{0,60}}?委员提出意见(?=[，：。！？；\n]|$)"
    assert fs[1].pattern.startswith("比(?:(?:(?:19|20)\\d{2}|")
    assert fs[1].pattern.endswith("个百分点)(?:左右|以上|以内|以下|上下)?)(?=[，：。！？；\n]|$)")
    assert fs[2].pattern == "以“[^“”《》]{1,60}?”为主题(?=[，：。！？；\n]|$)"
    corpus = _corpus([(2000, "请予审议；并请全国政协委员提出意见。国内生产总值比上年增长8%，就业比上年增长2%左右。"),
                      (2001, "以“解决群众‘办事难’，打造最优营商环境”为主题。请予审议，并请全国政协各位委员提出意见"),
                      (2002, "以“为民”为主题开展活动。请予审议，并请全国政协各位委员，提出意见。比一九九九年增长百分之三")])
    counts = count_by_group(corpus, fs, by="year")
    # punctuation variants are one frame; a bound is part of a quantity (2%左右); a quotation holds its
    # commas; a slot stays inside one clause
    assert counts.pivot(index="formula_id", columns="group", values="tf").fillna(0).astype(int).values.tolist() == [
        [1, 1, 0], [2, 0, 1], [0, 1, 0]]


def test_frames_with_a_choice_of_wording_are_counted_by_its_values():
    fs = formulae_from_frames([{"id": "y", "template": "是{TEXT}{CHOICE}", "slots": [
        {"name": "TEXT", "type": "TEXT"}, {"name": "CHOICE", "type": "CHOICE", "values": ["之年", "一年", "以内"]}]}])
    rx = re.compile(fs[0].pattern)
    assert rx.search("今年是“十二五”开局之年。") and rx.search("今年是关键的一年，")
    assert not rx.search("今年是丰收的年份。")
    assert not rx.search("失业率是4.6%以内。")  # a number's bound is not the choice


def test_lifespans_trends_and_a_succession():
    rows = [(y, ("全面建设小康社会。" if y <= 2011 else "") + ("全面建成小康社会。" if y >= 2011 else "")
             + ("与时俱进。" if 2002 <= y <= 2007 else "") + "各位代表。") for y in range(2000, 2019)]
    corpus = _corpus(rows)
    f = formulae_from_bank([{"id": "a", "phrase": "全面建设小康社会"}, {"id": "b", "phrase": "全面建成小康社会"},
                            {"id": "c", "phrase": "与时俱进"}, {"id": "d", "phrase": "各位代表"},
                            {"id": "d2", "phrase": "各位代表"}])
    tl = FormulaTimeline(recent=3).fit(corpus, f)
    spans = {s.formula: (s.first, s.last, s.groups_present, s.trend) for s in tl.lifespans_}
    assert spans == {"全面建设小康社会": (2000, 2011, 12, "gone"), "全面建成小康社会": (2011, 2018, 8, "stable"),
                     "与时俱进": (2002, 2007, 6, "gone"), "各位代表": (2000, 2018, 19, "stable")}
    [s] = tl.successions_
    assert (s.old, s.new, s.old_span, s.new_span, s.edits, s.overlap) == \
        ("全面建设小康社会", "全面建成小康社会", (2000, 2011), (2011, 2018), 1, 1)
    wide = tl.matrix("df")
    assert list(wide.columns[:3]) == ["formula", 2000, 2001] and wide.loc["b", 2011] == 1


def test_alternating_wordings_and_spellings_of_one_wording_are_no_succession():
    """拥有 and 具有 take turns over four years (two synonyms in use, not a hand-over): no succession, though no
    year holds both; 资金和物资 and 资金、物资 are one wording spelled two ways; 人民币汇价 hands over to 人民币汇率."""
    def row(y: int) -> str:
        own = "拥有自主知识产权。" if y in (2001, 2002, 2004) else "具有自主知识产权。" if y in (2003, 2005, 2006, 2007) else ""
        funds = "资金和物资。" if y <= 2003 else "资金、物资。"
        rate = "人民币汇价。" if y <= 2003 else "人民币汇率。"
        return own + funds + rate + "各位代表。"

    f = [Formula("a", "拥有自主知识产权"), Formula("b", "具有自主知识产权"), Formula("c", "资金和物资"),
         Formula("d", "资金、物资"), Formula("e", "人民币汇价"), Formula("f", "人民币汇率")]
    tl = FormulaTimeline().fit(_corpus([(y, row(y)) for y in range(2000, 2008)]), f)
    assert [(s.old, s.new, s.overlap) for s in tl.successions_] == [("人民币汇价", "人民币汇率", 0)]
    # two groups in which both live are one too many: the old one must hand over within max_overlap groups
    assert FormulaTimeline(max_overlap=2).fit(_corpus([(y, row(y)) for y in range(2000, 2008)]), f).successions_[0].old \
        == "拥有自主知识产权"


def test_numbers_do_not_make_a_succession():
    rows = [(y, "第一届会议。" if y < 2005 else "第二届会议。") for y in range(2000, 2010)]
    tl = FormulaTimeline().fit(_corpus(rows), [Formula("a", "第一届会议"), Formula("b", "第二届会议")])
    assert tl.successions_ == []


def test_eras_are_cut_where_the_vocabulary_changes():
    tl = FormulaTimeline().fit(_three_eras(), formulae_from_bank(
        [{"id": t, "phrase": t} for t in ("坚持甲甲路线不动摇", "坚持乙乙路线不动摇", "坚持丙丙路线不动摇", "实现甲甲目标",
                                          "实现乙乙目标", "实现丙丙目标", "各位代表", "请予审议")]))
    es = EraSegmenter().fit(tl)
    assert [(e.start, e.end, e.n_docs) for e in es.eras_] == [(2000, 2005, 6), (2006, 2011, 6), (2012, 2017, 6)]
    assert [sorted(m["formula"] for m in e.markers) for e in es.eras_] == [
        ["坚持甲甲路线不动摇", "实现甲甲目标"], ["坚持乙乙路线不动摇", "实现乙乙目标"], ["坚持丙丙路线不动摇", "实现丙丙目标"]]


def test_a_formula_every_document_holds_marks_no_era_however_often_one_era_repeats_it():
    """The first era repeats 各位代表 five times a report (over-used in its text), but every report of every era
    holds it: it is the genre's, not the era's."""
    rows = []
    for y in range(2000, 2018):
        era = (y - 2000) // 6
        own = ["坚持甲甲路线不动摇。"] if era == 0 else ["坚持乙乙路线不动摇。"] if era == 1 else ["坚持丙丙路线不动摇。"]
        rows.append((y, "各位代表！" * (5 if era == 0 else 1) + "".join(own) + "请予审议。"))
    tl = FormulaTimeline().fit(_corpus(rows), formulae_from_bank(
        [{"id": t, "phrase": t} for t in ("坚持甲甲路线不动摇", "坚持乙乙路线不动摇", "坚持丙丙路线不动摇", "各位代表")]))
    es = EraSegmenter().fit(tl)
    assert [(e.start, e.end) for e in es.eras_] == [(2000, 2005), (2006, 2011), (2012, 2017)]
    assert [[m["formula"] for m in e.markers] for e in es.eras_] == [["坚持甲甲路线不动摇"], ["坚持乙乙路线不动摇"],
                                                                    ["坚持丙丙路线不动摇"]]


def test_a_stable_vocabulary_is_one_era():
    corpus = _corpus([(y, "各位代表！坚持甲甲路线不动摇。请予审议。") for y in range(2000, 2012)])
    tl = FormulaTimeline().fit(corpus, [Formula("a", "坚持甲甲路线不动摇"), Formula("b", "各位代表")])
    assert [(e.start, e.end) for e in EraSegmenter().fit(tl).eras_] == [(2000, 2011)]


@pytest.mark.parametrize("params", [{"min_docs": 0}, {"trend_ratio": 1.0}, {"by": ""}, {"max_edit_share": 0}])
def test_invalid_parameters_fail_at_fit(params):
    with pytest.raises(ValueError):
        FormulaTimeline(**params).fit(_three_eras(), [Formula("a", "各位代表")])


def test_missing_group_variable_is_named():
    with pytest.raises(ValueError, match="no variable 'region'"):
        FormulaTimeline(by="region").fit(_three_eras(), [Formula("a", "各位代表")])


def test_trends_command(tmp_path):
    from gkcorpus.cli import main

    src = tmp_path / "r.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, (y, t) in enumerate((d.meta["year"], d.text) for d in _three_eras()):
            fh.write(json.dumps({"id": f"r{i}", "year": y, "text": t}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    assert main(["trends", str(src), "--by", "year", "-o", str(out), "--no-frames"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert {"trends.csv", "lifespans.csv", "successions.csv", "eras.json", "trends.xlsx", "timeline.png"} <= set(names)
    assert main(["trends", str(src), "--by", "region", "-o", str(tmp_path / "o2")]) == 1
    # --no-plots: the same tables, no PNG
    assert main(["trends", str(src), "--by", "year", "-o", str(tmp_path / "o3"), "--no-frames", "--no-plots"]) == 0
    assert sorted(p.name for p in (tmp_path / "o3").iterdir()) == [n for n in names if not n.endswith(".png")]


def test_trends_command_counts_the_frames(tmp_path, capsys):
    """Without --no-frames the command mines the sentence frames and counts them beside the bank."""
    import csv

    from gkcorpus.cli import main

    src = tmp_path / "r.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, d in enumerate(_three_eras()):
            fh.write(json.dumps({"id": f"r{i}", "year": d.meta["year"], "text": d.text}, ensure_ascii=False) + "\n")
    assert main(["trends", str(src), "--by", "year", "-o", str(tmp_path / "out")]) == 0
    with (tmp_path / "out" / "lifespans.csv").open(encoding="utf-8-sig") as fh:
        frames = {r["formula"]: (r["first"], r["last"], r["df"]) for r in csv.DictReader(fh) if r["kind"] == "frame"}
    assert frames == {"坚持{TEXT}路线不动摇": ("2000", "2017", "18"), "实现{TEXT}目标": ("2000", "2017", "18")}


# --------------------------------------------------------------------------- the national reports


FIVE = {"以经济建设为中心": (1981, 2016), "全面建设小康社会": (2003, 2011), "全面建成小康社会": (2011, 2018),
        "坚持稳中求进工作总基调": (2014, 2018), "与时俱进": (2002, 2007)}


@pytest.fixture(scope="module")
def national(shared_corpora):
    import gkcorpus

    return gkcorpus.load([shared_corpora / "gwr_national.jsonl"])


def test_spans_of_five_formulae_agree_with_a_regex_count(national):
    tl = FormulaTimeline().fit(national, [Formula(t, t) for t in FIVE])
    got = {s.formula: (s.first, s.last) for s in tl.lifespans_}
    years = {t: sorted(d.meta["year"] for d in national if re.search(re.escape(t), d.text)) for t in FIVE}
    assert got == {t: (y[0], y[-1]) for t, y in years.items()} == FIVE
    tf = tl.counts_.groupby("formula")["tf"].sum().to_dict()
    assert tf == {t: sum(len(re.findall(re.escape(t), d.text)) for d in national) for t in FIVE}


@pytest.mark.slow
def test_mined_frames_are_counted_where_they_matched(national):
    """Counted over the whole text, a mined frame is found in every document it matched, and in more
    where its wording occurs with a free slot at an edge left out or not at a clause start."""
    from gkcorpus.templates.frames import FrameMiner

    lib = FrameMiner().fit(national).library_
    tl = FormulaTimeline().fit(national, formulae_from_frames(lib))
    spans = {s.formula: s for s in tl.lifespans_}
    # three variants absorbed into the frame they add wording to; six siblings ending in 年 or 内 are two
    # frames ending in a choice
    assert len(lib) == len(spans) == 379
    year = {d.id: d.meta["year"] for d in national}
    for t in lib:
        s = spans[t.template]
        assert s.df >= t.support, t.template
        assert s.first <= min(year[d] for d in t.doc_ids) and s.last >= max(year[d] for d in t.doc_ids)
    same = [t for t in lib if spans[t.template].df == t.support]
    assert len(same) == 310
    opening = spans["现在，我代表国务院{TEXT}"]
    assert (opening.first, opening.last, opening.df) == (1978, 2018, 32)
    assert (spans["{YEAR}政府工作报告"].df, lib[[t.template for t in lib].index("{YEAR}政府工作报告")].support) == (46, 29)


@pytest.mark.slow
def test_mined_bank_dates_the_formulae_and_finds_the_succession(national):
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    bank = mine_boilerplate(national).phrases.phrases_
    tl = FormulaTimeline().fit(national, formulae_from_bank(bank))
    spans = {s.formula: (s.first, s.last) for s in tl.lifespans_}
    for t in ("以经济建设为中心", "全面建设小康社会", "全面建成小康社会"):
        assert spans[t] == FIVE[t], t
    assert ("全面建设小康社会", "全面建成小康社会") in {(s.old, s.new) for s in tl.successions_}
    eras = EraSegmenter().fit(tl).eras_
    assert 2 <= len(eras) <= 8 and eras[0].start == 1954 and eras[-1].end == 2018


@pytest.mark.parametrize("n_groups", [1, 3, 7, 12])
def test_trends_of_all_rows_at_once_equal_one_row_at_a_time(n_groups):
    import numpy as np

    from gkcorpus.timeline.counts import _trend, _trends

    rng = np.random.default_rng(n_groups)
    rates = np.round(rng.exponential(1.0, (400, n_groups)) * (rng.random((400, n_groups)) < 0.5), 1)
    rates[:20] = 0.0
    rates[20:40, -1:] = 1.5 * rates[20:40, -2:-1] if n_groups > 1 else 1.0  # ties at the ratio
    present = rates > 0
    got = _trends(rates, present, 5, 1.5)
    assert got == [_trend(r, p, 5, 1.5) for r, p in zip(rates, present)]
    assert {"gone", "rising"} <= set(got)

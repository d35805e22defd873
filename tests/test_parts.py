"""Top-level parts however marked (gkcorpus.outline.parts) and their types (gkcorpus.outline.part_types), on the bundled
summaries and on the national work reports since 1978."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from gkcorpus import Corpus
from gkcorpus.base.io import RawDocument
from gkcorpus.outline.part_types import PartTyper, _cooccurrence_cut, normalise_heading, order_concordance
from gkcorpus.outline.parts import find_parts


def _hows(doc):
    return [p.how for p in find_parts(doc)]


def _doc(text):
    return Corpus.from_raw([RawDocument("r", text)])["r"]


def _how_heading(doc):
    return [(p.how, p.heading) for p in find_parts(doc)]


def _parsed(text):
    doc = _doc(text)
    return doc, find_parts(doc)


# --------------------------------------------------------------------------- bundled summaries


def test_bundled_parts_and_how_they_were_found(bundled):
    assert Counter(p.how for d in bundled for p in find_parts(d)) == {"numbered": 48, "preamble": 12, "closing": 6}
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
    # a last paragraph turning to the work ahead, after the numbered items of the last section, is the closing
    last = find_parts(bundled["summary-06"])[-1]
    assert (last.how, last.start) == ("closing", 736)
    assert bundled["summary-06"].text[736:].startswith("在今后工作中，我们将扎实推进")
    for d in bundled:
        ps = find_parts(d)
        assert all(a.end < b.start for a, b in zip(ps, ps[1:]))
        assert all(d.raw_span(p.start, p.end) == (p.raw_start, p.raw_end) for p in ps)


def test_a_summary_closing_on_the_work_ahead_in_an_unseen_summary():
    body = ("关于2024年度政务公开工作的总结\n今年以来，我局认真落实政务公开各项要求，现将有关情况总结如下：\n"
            "一、主要做法\n1.加强组织领导。成立工作专班，明确责任分工。\n2.拓展公开渠道。用好门户网站和政务新媒体。\n"
            "二、存在问题\n个别科室对政务公开认识不足，公开内容不够全面。\n")
    ahead = "下一步，我局将继续深化政务公开，不断提升公开质量和实效。"
    doc = Corpus.from_raw([RawDocument("s", body + ahead)])["s"]
    parts = find_parts(doc)
    assert [(p.how, p.heading) for p in parts] == [("preamble", ""), ("numbered", "主要做法"), ("numbered", "存在问题"),
                                                  ("closing", "")]
    assert doc.text[parts[-1].start:parts[-1].end] == ahead
    # the same paragraph right under its heading line is that section's own body, not a closing
    doc = Corpus.from_raw([RawDocument("t", body + "三、下一步打算\n" + ahead)])["t"]
    assert [p.how for p in find_parts(doc)] == ["preamble", "numbered", "numbered", "numbered"]
    # and the work ahead named inside a paragraph (not opening it) closes nothing
    doc = Corpus.from_raw([RawDocument("u", body + "我局将在今后工作中继续深化政务公开，不断提升公开质量。")])["u"]
    assert [p.how for p in find_parts(doc)] == ["preamble", "numbered", "numbered"]


def test_a_summary_closing_that_sums_up_or_turns_to_the_next_year():
    head = "区妇联2023年工作总结\n今年以来，区妇联紧紧围绕区委中心工作，现将有关情况总结如下：\n"
    work = ("一、思想引领聚人心\n开展宣讲120场，覆盖妇女群众1.2万人次。\n二、维权服务暖民心\n"
            "受理信访42件，办结率100%。\n建成妇女儿童之家36个。\n")
    sign = "\n柳城区妇女联合会\n2023年12月20日"
    for last in ("通过此次专项行动，全区妇女儿童维权意识明显增强。", "一年来，区妇联工作虽然取得了一定成绩，但仍有不足。",
                 "2024年，我们将继续紧紧围绕区委中心工作，团结带领全区妇女建功新时代。"):
        doc = Corpus.from_raw([RawDocument("s", head + work + last + sign)])["s"]
        parts = find_parts(doc)
        assert [p.how for p in parts] == ["preamble", "numbered", "numbered", "closing"], last
        assert doc.text[parts[-1].start:].startswith(last)
    # after the plans, the next year's paragraph is the plans' own: no closing
    plans = work + "三、2024年工作打算\n一是深化思想引领。二是提升维权服务。\n"
    doc = Corpus.from_raw([RawDocument("t", head + plans + "2024年，我们将继续紧紧围绕区委中心工作，建功新时代。")])["t"]
    assert [p.how for p in find_parts(doc)] == ["preamble", "numbered", "numbered", "numbered"]
    # a year opening a paragraph without the work ahead closes nothing, nor 将 marking an object, nor 将近
    for last in ("2023年，全区新增巾帼示范岗12个。", "2023年，我会将家庭教育工作纳入年度考核，提升了服务水平。",
                 "2023年，全区将近九成妇联组织完成换届。"):
        doc = Corpus.from_raw([RawDocument("u", head + work + last)])["u"]
        assert [p.how for p in find_parts(doc)] == ["preamble", "numbered", "numbered"], last
    # after a chapter on past work whose heading holds 重点 (重点工作推进情况), the next year's paragraph closes
    doc = Corpus.from_raw([RawDocument("v", head + work.replace("维权服务暖民心", "重点工作推进情况")
                                       + "2024年，我们将继续紧紧围绕区委中心工作，建功新时代。")])["v"]
    assert [p.how for p in find_parts(doc)][-1] == "closing"


def test_a_top_heading_after_one_the_source_lost():
    review = "一、过去一年工作回顾\n过去一年，经济社会发展取得新成就，人民生活持续改善，各项事业全面进步。\n"
    tasks = "三、今年主要任务\n今年要着力扩大国内需求，推动经济平稳较快发展，切实保障和改善民生。\n"
    doc = Corpus.from_raw([RawDocument("r", "政府工作报告\n各位代表：\n现在，我代表国务院向大会报告工作，请予审议。\n"
                                            + review + tasks)])["r"]
    assert _how_heading(doc) == [
        ("preamble", ""), ("numbered", "过去一年工作回顾"), ("numbered", "今年主要任务")]
    # the missing number found later: 三、 is out of sequence and stays inside the review
    later = tasks + "二、总体要求\n今年经济社会发展的总体要求是稳中求进，确保经济运行在合理区间。\n"
    doc = Corpus.from_raw([RawDocument("s", "各位代表：\n现在，我代表国务院向大会报告工作，请予审议。\n" + review + later)])["s"]
    assert [p.heading for p in find_parts(doc)] == ["", "过去一年工作回顾", "总体要求"]
    # inside a nested series (一、二、 under the review's 一、) a skip is the nested series' business
    nested = ("一、工作回顾\n过去一年成绩显著，各项事业全面进步。\n一、经济平稳增长。\n国内生产总值稳步增长，结构持续优化。\n"
              "三、民生持续改善。\n城乡居民收入稳步增加，就业形势总体稳定。\n")
    doc = Corpus.from_raw([RawDocument("t", "各位代表：\n现在，我代表国务院向大会报告工作，请予审议。\n" + nested)])["t"]
    assert [p.heading for p in find_parts(doc)] == ["", "工作回顾"]


def test_unheaded_coda_closing_and_unnumbered_headings_in_an_unseen_report():
    text = ("政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
            "过去一年的工作\n过去一年，全市经济稳定增长，民生持续改善，各项事业取得新进展。\n"
            "今年的主要任务\n今年要着力扩大内需，稳住经济大盘，推动高质量发展，切实保障和改善民生。\n（一）稳定增长\n要稳住投资和消费。\n（二）改善民生\n要办好民生实事。\n"
            "各位代表！新征程对政府工作提出新的更高要求。我们要深入推进依法行政，建设人民满意的政府。\n"
            "我们要坚持廉洁从政，驰而不息纠治“四风”，以实干实绩回应人民期待。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！\n"
            "名词解释\n1.新质生产力：是指创新起主导作用的先进生产力。")
    doc = _doc(text)
    parts = find_parts(doc)
    assert [(p.how, p.heading) for p in parts] == [
        ("preamble", ""), ("unnumbered_heading", "过去一年的工作"), ("unnumbered_heading", "今年的主要任务"),
        ("unheaded_coda", ""), ("closing", ""), ("appendix", "名词解释")]
    assert doc.text[parts[3].start:parts[3].end].startswith("各位代表！新征程")


def test_unnumbered_headings_in_a_report_with_one_sentence_a_line():
    """With one sentence (or clause) a line, the body after a heading may be a short sentence or a clause ending
    in a comma; a speaker's line before the address, a sentence cut after its first clause (做好政府工作，要) and
    the lead-in of a list that lost its colon (主要措施是) are no headings."""
    text = ("政府工作报告\n——2026年1月20日在市第十届人民代表大会第三次会议上\n代市长 张三\n各位代表：\n"
            "现在，我代表市人民政府，向大会报告工作，请予审议。\n"
            "2025年工作回顾\n过去一年极不平凡。\n全市经济运行稳中有进。\n"
            "2026年重点工作\n今年是实施“十五五”规划的开局之年。\n做好政府工作，要\n坚持稳中求进工作总基调，\n统筹发展和安全。\n"
            "主要措施是\n一要扩大有效投资。\n二要提振消费。\n"
            "推进城乡融合发展\n（一）加快新型城镇化。\n推进城市更新。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    doc = _doc(text)
    assert _how_heading(doc) == [
        ("preamble", ""), ("unnumbered_heading", "2025年工作回顾"), ("unnumbered_heading", "2026年重点工作"),
        ("unnumbered_heading", "推进城乡融合发展"), ("closing", "")]
    # the report's announcement cut at a line break is no heading (the numbered chapters stay the top level); a
    # heading naming a mayor's hotline is no speaker's line, and items listed with commas are no cut sentence
    text = ("政府工作报告\n各位代表：\n现在，我代表市人民政府\n向大会报告工作，请予审议。\n一、2025年工作回顾\n"
            "过去一年，全市经济运行稳中有进，取得了显著成绩。\n二、2026年重点工作\n今年是实施“十五五”规划的开局之年。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    doc = _doc(text)
    assert [p.heading for p in find_parts(doc)] == ["", "2025年工作回顾", "2026年重点工作", ""]
    for heading in ("畅通市长热线", "科学，教育"):
        text = ("报告\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n过去一年的工作\n"
                "过去一年，全市经济运行稳中有进，取得了显著成绩，人民生活持续改善。\n"
                f"{heading}\n今年要着力扩大内需，稳住经济大盘，推动高质量发展，切实保障和改善民生。\n"
                "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
        doc = _doc(text)
        assert [p.heading for p in find_parts(doc)] == ["", "过去一年的工作", heading, ""]
    # a lead-in announcing a list that lost its colon is no heading over the list's （一） items
    text = ("某局2025年工作总结\n2025年，我局坚持以新思想为指导，扎实推进各项工作，圆满完成了全年目标任务。\n"
            "现将有关情况报告如下\n（一）加强组织领导\n成立了工作领导小组，明确了责任分工，形成了齐抓共管的工作格局。\n"
            "（二）完善制度建设\n制定了一系列规章制度，规范了工作流程，提高了工作效率和质量。")
    doc = _doc(text)
    assert _how_heading(doc)[1:] == [("numbered", "加强组织领导"), ("numbered", "完善制度建设")]
    # the first chapter lost its number, the others kept theirs: the numbered series is the top level, its first
    # chapter the unnumbered line before it (the nested 一是/二是 and （一） stay inside)
    text = ("政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"
            "2025年工作回顾\n过去一年，全市经济运行稳中有进，民生福祉持续增进。\n一是稳增长。\n二是惠民生。\n"
            "二、2026年重点工作\n（一）扩大有效需求。\n今年要千方百计扩大内需。\n（二）保障和改善民生。\n"
            "三、全面加强政府自身建设\n我们要坚持依法行政，建设人民满意的政府。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    doc = _doc(text)
    assert _how_heading(doc) == [
        ("preamble", ""), ("unnumbered_heading", "2025年工作回顾"), ("numbered", "2026年重点工作"),
        ("numbered", "全面加强政府自身建设"), ("closing", "")]
    # a single unnumbered line before a whole numbered series is a lead-in, not a chapter holding the series
    text = ("政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n过去一年\n我们砥砺前行。\n"
            "一、2025年工作回顾\n过去一年，全市经济运行稳中有进，民生福祉持续增进。\n二、2026年重点工作\n今年要千方百计扩大内需。\n"
            "三、全面加强政府自身建设\n我们要坚持依法行政，建设人民满意的政府。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    doc = _doc(text)
    parts = find_parts(doc)
    assert [(p.how, p.heading) for p in parts] == [
        ("preamble", ""), ("numbered", "2025年工作回顾"), ("numbered", "2026年重点工作"),
        ("numbered", "全面加强政府自身建设"), ("closing", "")]
    assert doc.text[parts[0].start:parts[0].end].endswith("过去一年\n我们砥砺前行。")
    # an unnumbered chapter with a body of its own is no lead-in, even when the next heading is not found
    body = "过去一年，全市经济运行稳中有进，民生福祉持续增进，各项事业取得新进展。\n"
    review = text.replace("过去一年\n我们砥砺前行。\n", "2025年工作回顾\n" + body * 3 + "2026年工作安排\n")
    assert _how_heading(_doc(review)) == [
        ("preamble", ""), ("unnumbered_heading", "2025年工作回顾"), ("unnumbered_heading", "2026年工作安排"), ("closing", "")]
    # a summary's unnumbered chapters, one holding a numbered list right under its heading
    summary = ("某局2025年政务公开工作总结\n2025年，我局扎实推进政务公开各项工作，圆满完成了全年目标任务。现将有关情况总结如下。\n"
               "主要做法\n一、加强组织领导\n" + body + "二、完善制度建设\n" + body + "存在问题\n" + body + "下一步打算\n" + body)
    assert _how_heading(_doc(summary)) == [("preamble", ""), ("unnumbered_heading", "主要做法"),
                                           ("unnumbered_heading", "存在问题"), ("unnumbered_heading", "下一步打算")]


def test_a_document_that_lost_its_first_chapter_number_before_nested_items():
    """A numbered series starting at 二、 after （一） items: the document's first line, short and followed by
    its body, is the first chapter's heading (not a title); after a real title the numbered chapters are still
    the top series. A document whose top series is （一） with 一、 items nested keeps it."""
    body = "各科室都十分重视政务公开工作，自觉把政务公开工作作为一项重点工作，摆上重要议事日程。"
    text = ("基本情况\n（一）认识提高、责任落实，政务公开工作的自觉性进一步增强。" + body + "\n（二）公开内容更明确。" + body
            + "\n二、存在的主要问题\n（一）公开工作发展不平衡。" + body + "\n三、下一步工作要求\n（一）要进一步深化认识，常抓不懈。" + body)
    assert _how_heading(_doc(text)) == [
        ("unnumbered_heading", "基本情况"), ("numbered", "存在的主要问题"), ("numbered", "下一步工作要求")]
    titled = text.replace("基本情况\n", "某局2025年政务公开工作总结\n", 1)
    assert _how_heading(_doc(titled)) == [("preamble", ""), ("numbered", "存在的主要问题"), ("numbered", "下一步工作要求")]
    # the lost heading right after a title worded as one
    after_title = text.replace("基本情况\n", "某局2025年政务公开工作总结\n基本情况\n", 1)
    assert _how_heading(_doc(after_title)) == [
        ("preamble", ""), ("unnumbered_heading", "基本情况"), ("numbered", "存在的主要问题"), ("numbered", "下一步工作要求")]
    # a title not ending in 报告/总结/…: a year, 关于…, a bracketed edition, or longer than the chapters' headings
    for title in ("某县2025年政务公开工作情况", "关于政务公开工作的汇报", "政府工作报告（摘要）", "县人民政府办公室", "政务公开工作情况"):
        assert _how_heading(_doc(text.replace("基本情况\n", title + "\n", 1)))[0] == ("preamble", ""), title
    # the first item a heading line of its own
    items = text.replace("认识提高、责任落实，政务公开工作的自觉性进一步增强。", "认识提高\n", 1)
    assert _how_heading(_doc(items))[0] == ("unnumbered_heading", "基本情况")
    nested = ("（一）当前的经济形势\n" + body + "\n（二）今后经济建设的方针\n一、依靠政策和科学，加快农业的发展。" + body
              + "\n二、把消费品工业的发展放到重要地位。" + body + "\n（三）我国经济发展的前景\n" + body)
    tops = [("numbered", "当前的经济形势"), ("numbered", "今后经济建设的方针"), ("numbered", "我国经济发展的前景")]
    assert _how_heading(_doc(nested)) == tops
    # one line opening on 二、 (二、三月份) is no series that lost its first number
    stray = nested.replace("一、依靠政策和科学，加快农业的发展。", "").replace("二、把消费品工业的发展放到重要地位。", "二、三月份，我们集中开展了专项检查。\n")
    assert _how_heading(_doc(stray)) == tops


def test_a_closing_reaching_back_over_an_address_leaves_the_last_chapter_its_body():
    text = ("政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n一、过去一年的工作\n"
            "过去一年，全市经济运行稳中有进，民生福祉持续增进。\n二、关于农业发展纲要\n各位代表，这个纲要已经深入人心，起了巨大的推动作用。\n"
            "让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    doc, parts = _parsed(text)
    assert [(p.how, p.heading) for p in parts] == [
        ("preamble", ""), ("numbered", "过去一年的工作"), ("numbered", "关于农业发展纲要"), ("closing", "")]
    assert doc.text[parts[2].start:parts[2].end].endswith("起了巨大的推动作用。")
    assert doc.text[parts[3].start:parts[3].end].startswith("让我们紧密团结起来")
    # with a bare 各位代表！ line first, the chapter keeps it and the paragraph after it
    bare = text.replace("各位代表，这个纲要", "各位代表！\n这个纲要")
    doc, parts = _parsed(bare)
    assert [p.how for p in parts] == ["preamble", "numbered", "numbered", "closing"]
    assert doc.text[parts[3].start:parts[3].end].startswith("让我们紧密团结起来")
    # a closing sentence cut at its semicolon under a heading of its own: the chapter is the closing, kept whole
    doc, parts = _parsed(text.split("二、")[0] + "二、结束语\n回顾过去，我们取得了巨大成就；\n展望未来，让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    assert _how_heading(doc) == [("preamble", ""), ("numbered", "过去一年的工作"), ("numbered", "结束语")]
    assert doc.text[parts[2].start:parts[2].end].endswith("而努力奋斗！")
    # the same under the chapter's last nested heading: no coda and no closing takes that heading's only paragraph
    nested = text.replace("二、关于农业发展纲要\n", "二、今年的主要任务\n（一）稳定增长\n要稳住投资和消费，推动经济持续回升向好。\n（二）关于农业发展纲要\n")
    doc, parts = _parsed(nested)
    assert [p.how for p in parts] == ["preamble", "numbered", "numbered", "closing"]
    assert doc.text[parts[2].start:parts[2].end].endswith("起了巨大的推动作用。")


def test_a_last_paragraph_repeating_the_end_of_the_one_before_is_part_of_the_closing():
    closing = "当前的国内形势和国际形势，对我国的建设和改革都很有利。我们一定要团结奋斗，沿着有中国特色的社会主义道路奋勇前进。"
    text = ("政府工作报告\n各位代表：\n现在，我代表国务院向大会报告工作。\n"
            "一、过去五年的工作\n过去五年，经济稳定增长，民生持续改善。\n"
            "二、关于外交工作\n我们愿意同各国发展友好合作关系，共同推动世界和平与发展。\n" + closing + "\n")
    duplicated = text + closing[8:] + "\n"  # the scrape repeats the closing's tail as a paragraph of its own
    for t in (text, duplicated):
        doc = _doc(t)
        parts = find_parts(doc)
        assert [p.how for p in parts] == ["preamble", "numbered", "numbered", "closing"]
        assert doc.text[parts[-1].start:parts[-1].end] == t[t.index(closing):].rstrip("\n")


def test_a_heading_run_into_its_text_is_cut_where_other_reports_end_it():
    """A source without line breaks runs a heading into its first sentence; the typer cuts it after the longest
    prefix another document has as a heading line of its own (years masked), and leaves the rest alone."""
    from gkcorpus.outline.headings import heading_prefix

    filler = "经济运行总体平稳，各项改革扎实推进，民生保障持续加强。" * 8
    docs = [RawDocument(f"r{y}", f"{y}年政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n"
                        f"一、{y - 1}年工作回顾\n{filler}\n二、{y}年重点工作\n{filler}\n三、全面加强政府自身建设\n{filler}\n"
                        "各位代表！让我们紧密团结，为全面完成今年各项任务而努力奋斗！")
            for y in (2021, 2022, 2023)]
    docs.append(RawDocument("run-on", "2024年政府工作报告\n各位代表：现在，我代表市人民政府向大会报告工作。"
                            "一、2023年工作回顾过去一年极不平凡，我们顶住压力稳住大局。" + filler * 5 + "二、2024年重点工作"
                            "今年要着力扩大内需，推动高质量发展。" + filler * 5 + "三、加强作风建设全面从严治政。" + filler * 5
                            + "各位代表！让我们紧密团结，为全面完成今年各项任务而努力奋斗！"))
    corpus = Corpus.from_raw(docs)
    assert [p.heading for p in find_parts(corpus["run-on"]) if p.how == "numbered"] == [
        "2023年工作回顾过去一年极不平凡，我们顶住压力稳住大局", "2024年重点工作今年要着力扩大内需，推动高质量发展",
        "加强作风建设全面从严治政"]
    seg = PartTyper().fit(corpus).segments_
    assert seg[(seg.doc_id == "run-on") & (seg.how == "numbered")].heading.tolist() == [
        "2023年工作回顾", "2024年重点工作", "加强作风建设全面从严治政"]  # no other report has the third
    assert seg[seg.doc_id == "r2022"].heading.tolist()[1:4] == ["2021年工作回顾", "2022年重点工作", "全面加强政府自身建设"]
    # only another document's heading counts, and the rest of the line must hold four characters or more
    glued = "2023年工作回顾过去一年极不平凡，我们顶住压力"
    assert heading_prefix(glued, {"Y工作回顾": ["a"]}, "b") == "2023年工作回顾"
    assert heading_prefix(glued, {"Y工作回顾": ["b"]}, "b") == glued
    assert heading_prefix("系统全员参与", {"系统全员": ["a"]}, "b") == "系统全员参与"
    # the cut falls where no mark is, and the rest reads as a sentence (a clause break in it)
    assert heading_prefix("加强组织领导，强化责任落实", {"加强组织领导": ["a"]}, "b") == "加强组织领导，强化责任落实"
    assert heading_prefix("基本情况和主要成效", {"基本情况": ["a"]}, "b") == "基本情况和主要成效"


def test_a_consensus_keeps_what_most_fits_type_together():
    from gkcorpus.outline.consensus import consensus_labels

    # the fit on all four rows puts row 2 with rows 0 and 1; the two fits on subsets holding it do not
    fits = [(np.arange(4), np.array([0, 0, 0, 1])), (np.array([0, 1, 2]), np.array([5, 5, 6])),
            (np.array([1, 2, 3]), np.array([0, 1, 1]))]
    assert consensus_labels(4, fits).tolist() == [0, 0, 1, 1]
    assert consensus_labels(4, fits[:1]).tolist() == [0, 0, 0, 1]  # one fit: its own types
    assert consensus_labels(1, fits[:1]).tolist() == [0]
    with pytest.raises(ValueError, match="at most"):
        consensus_labels(10**4, [])


def test_the_part_typer_can_take_a_consensus_of_refits(bundled):
    from sklearn.base import clone

    from gkcorpus.outline.part_types import _MemoTokenizer

    pt = PartTyper(resamples=5).fit(bundled)
    assert "then the consensus of 6 fits (all documents, and 5 with a fold of the documents left out)" in pt.selection_
    assert pt.labels_.tolist() == PartTyper(resamples=5).fit(bundled).labels_.tolist()
    assert clone(pt).get_params()["resamples"] == 5 and not hasattr(clone(pt), "labels_")
    # the consensus of the refits keeps apart what the fit on all documents types together on thin evidence: the
    # two plans' first chapters (指导思想, 总体要求) from their other chapters, and the summaries' situation
    # (基本情况) from three chapters each found in one summary (活动总体情况, 工作成效, 活动体会)
    single = PartTyper().fit(bundled)
    assert len(pt.types_) == 9 and len(single.types_) == 7
    heads = [dict(zip(x.segments_.heading, x.segments_.type)) for x in (pt, single)]
    assert [h["指导思想"] == h["总体要求"] != h["基本原则"] == h["保障措施"] for h in heads] == [True, False]
    assert [h["基本情况"] == h["开展情况"] != h["活动总体情况"] == h["工作成效"] == h["活动体会"] for h in heads] == [True, False]
    assert [h["主要做法"] == h["领导重视，周密部署"] != h["存在问题"] for h in heads] == [True, True]
    # the fits shared their tokens while fitting; later transforms tokenize afresh
    assert not isinstance(pt.body_vectorizer_.tokenizer, _MemoTokenizer) and getattr(pt, "_memo") is None
    # transform: the nearest centroid among the types of the part's genre, which one plan chapter's type is not
    moved = pt.transform(bundled).type != pt.segments_.type
    assert pt.segments_.heading[moved].tolist() == ["保障措施"]
    with pytest.raises(ValueError):
        PartTyper(resamples=-1).fit(bundled)


def test_a_run_on_report_is_read_as_if_its_inline_headings_began_lines():
    filler = "全市经济稳定增长，民生持续改善，各项事业取得新进展。" * 60
    text = ("政府工作报告\n各位代表：现在，我代表市人民政府向大会报告工作，请予审议。一、过去一年工作回顾" + filler
            + "二、今年主要任务 今年要着力扩大内需，推动高质量发展。" + filler
            + "各位代表！让我们紧密团结起来，为全面完成今年各项任务而努力奋斗！")
    doc = _doc(text)
    assert len(doc.structure.paragraphs) == 2
    parts = find_parts(doc)
    assert [(p.how, p.heading[:8]) for p in parts] == [
        ("preamble", ""), ("numbered", "过去一年工作回顾"), ("numbered", "今年主要任务"), ("closing", "")]
    assert [doc.text[p.start:p.start + 3] for p in parts] == ["政府工", "一、过", "二、今", "各位代"]
    assert all(a.end == b.start for a, b in zip(parts[1:], parts[2:]))  # inline: no line break between them
    assert all(doc.raw_span(p.start, p.end) == (p.raw_start, p.raw_end) for p in parts)
    # a lone inline 一、 is not a series
    lone = Corpus.from_raw([RawDocument("s", "标题\n" + filler + "一、这是一个例子。" + filler)])["s"]
    assert [p.how for p in find_parts(lone)] == ["preamble"]


def test_normalise_heading_masks_years_plans_and_enumerators():
    assert normalise_heading("一、2025年工作回顾") == normalise_heading("一、过去一年工作回顾") == "Y工作回顾"
    assert normalise_heading("“十四五”时期和2025年工作回顾") == "P时期和Y工作回顾"
    assert normalise_heading("二、关于1 9 9 8 年政府工作的建议") == "Y政府工作的建议"
    assert normalise_heading("（三）第六个五年计划的基本任务") == "P的基本任务"
    assert normalise_heading("一九八九年的回顾") == "Y的回顾"
    # counts are masked, the 一 of a word is not
    assert normalise_heading("二、打好四个现代化的第一个战役") == "打好N个现代化的第N个战役"
    assert normalise_heading("六、积极推进祖国和平统一大业") == "积极推进祖国和平统一大业"


def test_section_types_are_named_by_their_masked_headings():
    """A section type holding every year's review is named ``Y工作回顾``, not after one year's heading."""
    from collections import Counter

    from gkcorpus.outline.headings import masked_heading_counts
    from gkcorpus.outline.typer import _type_name

    heads = [("2016年工作回顾", 2), ("过去五年工作回顾", 2), ("2009年工作回顾", 1), ("2017年工作回顾", 1)]
    assert masked_heading_counts(heads) == [("Y工作回顾", 4), ("过去N年工作回顾", 2)]
    assert _type_name(heads, Counter({"section": 6}), "回顾 · 发展") == "Y工作回顾 (+1)"
    assert _type_name([("2016年重点工作", 1)], Counter({"section": 1}), "重点") == "Y重点工作"
    # a tie keeps the heading met first (the labeller's order: most frequent, then most central)
    assert _type_name([("基本情况", 1), ("主要做法", 1)], Counter({"section": 2}), "x") == "基本情况 (+1)"
    assert _type_name([], Counter({"section": 2}), "情况 · 基本") == "(情况 · 基本)"


def test_the_tree_is_cut_only_where_both_halves_share_documents():
    from scipy.cluster.hierarchy import linkage

    rng = np.random.default_rng(0)
    # A in documents 0-9 and its variant A2 in documents 10-19 (far apart: an older and a newer wording);
    # B in every document (another part of the same documents)
    a = rng.normal(scale=0.1, size=(10, 2)) + [0, 0]
    a2 = rng.normal(scale=0.1, size=(10, 2)) + [4, 0]
    b = rng.normal(scale=0.1, size=(20, 2)) + [2, 6]
    X = np.vstack([a, a2, b])
    docs = np.array([f"d{i}" for i in range(20)] + [f"d{i}" for i in range(20)])
    labels = _cooccurrence_cut(linkage(X, "ward"), docs, 0.5, 2)
    assert len(set(labels[:20])) == 1 and len(set(labels[20:])) == 1 and labels[0] != labels[20]
    # a half found in fewer documents than min_docs is not split off
    assert len(set(_cooccurrence_cut(linkage(X, "ward"), docs, 0.5, 21))) == 1


def test_order_concordance_scores_a_typing_by_the_order_it_predicts():
    docs = ["d1"] * 3 + ["d2"] * 3 + ["d3"] * 3
    # d1 and d2 a→b→c, d3 a→c→b: from d2 and d3, b and c tie for d1 (0); d3's c→b goes against the others
    assert order_concordance(docs, list("abc" "abc" "acb")) == pytest.approx(5 / 9)
    assert order_concordance(docs, list("abc" * 3)) == 1.0
    assert order_concordance(docs, ["x"] * 9) == 0.0  # one type for everything predicts no order
    assert order_concordance(docs, list("abcdefghi")) == 0.0  # types of one document predict nothing
    # d1 reversed: the others rank a<b<c against all three of its pairs; for d2 and d3 every type ties
    assert order_concordance(docs, list("cba" "abc" "abc")) == pytest.approx(-3 / 9)


def test_part_types_against_section_types_on_the_bundled_summaries(bundled):
    # the pipeline writes the skeleton from the part types only when they predict the section order better
    from gkcorpus.outline.run import cluster_corpus

    run = cluster_corpus(bundled)
    parts, sections = run.parts.segments_, run.typer.segments_
    # the practices type holds every chapter of the list-style summaries: Kendall's tau-a counts those pairs as ties
    assert round(order_concordance(parts.doc_id, parts.type), 3) == 0.613
    assert round(order_concordance(sections.doc_id, sections.type), 3) == 0.921


def test_bundled_part_types(bundled):
    pt = PartTyper().fit(bundled)
    assert pt.selection_.startswith("k=4: each genre typed apart; the 2 documents of genre plan: k=1: ")
    assert "the 6 documents of genre summary: k=3: " in pt.selection_
    assert pt.selection_.endswith("preamble parts one type, closing parts one type, practices parts one type")
    assert pt.n_body_types_ == 4
    assert [(t.name, t.hows, t.n_docs) for t in pt.types_] == [
        ("(opening) 关于 如下 主题", {"preamble": 12}, 12), ("基本情况", {"numbered": 7}, 5),
        ("(标准化 实施 商务)", {"numbered": 8}, 2), ("(practices) 有序 群众 进行", {"numbered": 26}, 10),
        ("存在问题", {"numbered": 3}, 3), ("(认识 检查 制度)", {"numbered": 4}, 4),
        ("(closing) 再上新台阶 今后 发展", {"closing": 6}, 6)]
    seg = pt.segments_
    assert len(seg) == 66 and seg.unit_id.iloc[0] == "summary-01#part0"
    # what was done, one part whether under one heading (主要做法) or as themed chapters (the leadership chapter
    # first, the one on publicity second ...); the situation, the problems, the next steps; the two plans' parts
    # apart from the summaries' (one type: two plans with different outlines share no part a cut could find)
    by_head = dict(zip(seg.heading, seg.type))
    practices = seg[seg.type == 3]
    assert sorted(set(practices.doc_id)) == [f"summary-{i:02d}" for i in (1, 2, 3, 5, 6, 9, 10, 11, 12, 15)]
    assert by_head["深入群众，全面公开"] == by_head["主要做法"] == by_head["领导重视，周密部署"] == 3
    assert by_head["主要做法及成效"] == by_head["强化监督调度"] == by_head["认真总结，取长补短"] == 3
    assert by_head["基本情况"] == by_head["活动基本情况"] == by_head["开展情况"] == by_head["活动总体情况"] == 1
    assert by_head["工作成效"] == by_head["活动体会"] == 1  # results and lessons, each in one document
    assert by_head["存在问题"] == by_head["存在的主要问题"] == 4
    assert by_head["下一步工作打算"] == by_head["下一步工作要求"] == by_head["工作打算"] == 5
    assert set(seg.type[seg.doc_id.isin(["summary-13", "summary-14"])]) == {2} and (seg.type == 2).sum() == 8
    again = PartTyper().fit(bundled)
    assert again.segments_.type.tolist() == seg.type.tolist()
    given = PartTyper(n_types=3).fit(bundled)  # a given number: a plain Ward cut of every genre's parts
    assert given.selection_.startswith("k=3 given") and given.n_body_types_ == 3 and len(given.types_) == 6
    # without the summaries' practices and the genres apart: the clustering types the themed chapters by theme and
    # place, and the plans' parts with the summaries'
    plain = PartTyper(practices=False, by_genre=False).fit(bundled)
    assert plain.selection_.startswith("k=4: the Ward tree cut") and len(plain.types_) == 6
    themed = dict(zip(plain.segments_.heading, plain.segments_.type))
    assert themed["领导重视，周密部署"] != themed["深入群众，全面公开"] and themed["指导思想"] == themed["主要做法"]
    # transform gives form-found and role-found parts their type and the others the nearest type among those of
    # their genre: here every part keeps its type (the plans' chapters can only be the plans' type)
    moved = pt.transform(bundled)
    assert moved.type[moved.how == "closing"].unique().tolist() == [pt.types_[-1].type_id]
    assert (moved.type[seg.type == 3] == 3).all() and (moved.type == seg.type).sum() == 66
    assert pt.type_groups_ == {1: "summary", 2: "plan", 4: "summary", 5: "summary"} and pt.main_genre_ == "summary"
    assert plain.type_groups_ == dict.fromkeys(plain.type_groups_, "")


def test_a_corpus_with_more_parts_than_max_parts_is_typed_on_a_sample_of_whole_documents(bundled):
    """Above ``max_parts`` body parts (Ward's tree is quadratic) the types are learned on the parts of a seeded
    sample of whole documents, exactly as a fit on those documents alone, and the other parts get the nearest type.
    Every body part is clustered here (no summary's practices kept out, the genres together), so that the sample
    is of all 48."""
    kw = dict(practices=False, by_genre=False)
    pt = PartTyper(max_parts=30, **kw).fit(bundled)
    seg = pt.segments_
    assert (seg.type >= 0).all() and len(seg) == 66
    sampled = pt.selection_.split("learned on the ")[1]
    n_rows, n_docs = int(sampled.split(" parts")[0]), int(sampled.split("sample of ")[1].split(" of ")[0])
    assert n_rows <= 30 and f"the other {48 - n_rows} parts typed by the nearest type;" in sampled
    # the sample, found again: the documents whose body parts a plain fit of them alone types the same way
    body = seg[~seg.how.isin(["preamble", "closing"])]
    rows = pt._sample_rows([p for p in pt.parts_ if p.how not in ("preamble", "closing")])
    docs = sorted(set(body.doc_id.iloc[rows]))
    assert len(docs) == n_docs and len(rows) == n_rows
    alone = PartTyper(max_parts=None, **kw).fit(bundled.subset(lambda d: d.id in docs)).segments_
    mine = body[body.doc_id.isin(docs)]
    ref = alone[~alone.how.isin(["preamble", "closing"])]
    assert len(ref) == len(mine)
    same = lambda t: [[a == b for b in t] for a in t]  # noqa: E731  (the partition, whatever the numbers)
    assert same(ref.type.tolist()) == same(mine.type.tolist())
    assert len(body) == 48 and PartTyper(max_parts=30, **kw).fit(bundled).segments_.type.tolist() == seg.type.tolist()
    other = PartTyper(max_parts=30, random_state=1, **kw)
    assert set(other._sample_rows([p for p in pt.parts_ if p.how not in ("preamble", "closing")])) != set(rows)


def test_a_topic_given_a_chapter_of_its_own_is_split_off():
    import numpy as np

    from gkcorpus.outline.type_merges import mixture_step as _mixture_step
    from gkcorpus.outline.topic_split import second_chapters, split_off_topics

    # the main body (0) is in a-e; 1 is one of two sections in a, b, c; 2 in d and e, and alone in f
    assert second_chapters(np.array([0, 1, 0, 1, 0, 1, 2, 0, 2, 0, 2]), np.array(list("aabbccddeef"))) == {1: 3, 2: 2}
    # five reports give their tasks two chapters (the economy, the reform), three give them three (and schools)
    chapters = {"economy": "growth grain steel output investment", "reform": "enterprise ownership market pricing contract",
                "schools": "school teacher pupil college exam"}
    rows = [(d, h) for d in "abcde" for h in ("economy", "reform")] + [
        (d, h) for d in "fgh" for h in ("economy", "reform", "schools")]
    docs = np.array([d for d, _ in rows])
    texts = [f"{chapters[h]} {d}" for d, h in rows]
    heads = [h for _, h in rows]
    out = split_off_topics(np.zeros(len(rows), dtype=int), [0], texts, heads, docs, str.split, 0.5, 4)
    # the reform is split off (five documents split the part there); the schools stay with the economy
    assert [h for (_, h), t in zip(rows, out) if t == 1] == ["reform"] * 8
    assert split_off_topics(np.zeros(len(rows), dtype=int), [0], texts, heads, docs, str.split, 0.5, 6).max() == 0
    # the row typed 0 that sits among the tight type 1 moves there (nearer and more likely); the row
    # (0.3, 0.7) of the broad type 0, nearer type 1's centroid but within 0's spread, stays (a plain
    # nearest centroid would move it too)
    X = np.array([[1, 0], [0.8, 0.6], [0.8, -0.6], [0.3, 0.7], [0.6, 0.2], [0, 1], [0.05, 1], [-0.05, 1], [0.02, 0.97]])
    labels, moved = _mixture_step(np.array([0, 0, 0, 0, 0, 1, 1, 1, 0]), X, 1)
    assert labels.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1] and moved == 1
    centroids = np.vstack([X[:5].mean(axis=0), X[5:8].mean(axis=0)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    assert (X[3] @ centroids.T).argmax() == 1


def test_a_chapter_some_documents_give_one_topic_of_a_part_joins_that_part():
    import numpy as np

    from gkcorpus.outline.type_merges import _beside, merge_chapters as _merge_chapters

    # documents a-c: review (0), an economy chapter (2), the other tasks (1), external affairs (3); d-f hold
    # the economy inside their one tasks chapter, so their tasks sections are nearer the economy chapter
    def corpus(tasks_alone, twice=False):
        vec = {0: [1, 0.2, 0], 2: [0.1, 1, 0], 3: [0, 0.1, 1]}
        rows, docs, labels, order = [], [], [], []
        for d in "abcdef":
            for k, t in enumerate(([0, 2, 2, 1, 3] if twice and d == "a" else [0, 2, 1, 3]) if d in "abc" else [0, 1, 3]):
                rows.append(vec.get(t) or ([0.5, 0.7, 0.1] if d in "abc" else tasks_alone))
                docs.append(d), labels.append(t), order.append(k)
        X = np.array(rows, dtype=float)
        return np.array(labels), X / np.linalg.norm(X, axis=1, keepdims=True), np.array(docs), np.array(order)

    labels, X, docs, order = corpus([0.2, 0.9, 0.1])
    groups = {0: [0], 1: [1], 2: [2], 3: [3]}
    out, merged = _merge_chapters(labels, X, docs, order, groups, {}, np.ones(len(labels), dtype=bool))
    assert merged == {0: [0], 1: [1, 2], 3: [3]} and out.tolist() == [0, 1, 1, 3] * 3 + [0, 1, 3] * 3
    # the tasks are found without the economy chapter in three documents (d-f): evidence for min_docs up to 3
    heads = np.ones(len(labels), dtype=bool)
    assert _merge_chapters(labels, X, docs, order, groups, {}, heads, min_docs=3)[1] == merged
    assert sorted(_merge_chapters(labels, X, docs, order, groups, {}, heads, min_docs=4)[1]) == [0, 1, 2, 3]
    # not when the economy sections are unheaded (a coda is a part found by its place, not a chapter) ...
    assert sorted(_merge_chapters(labels, X, docs, order, groups, {}, labels != 2)[1]) == [0, 1, 2, 3]
    # ... nor when the tasks of d-f are no nearer the economy than those of a-c (the topic did not leave them)
    labels, X, docs, order = corpus([0.6, 0.6, 0.2])
    assert sorted(_merge_chapters(labels, X, docs, order, groups, {}, np.ones(len(labels), dtype=bool))[1]) == [0, 1, 2, 3]
    # ... nor when a document holds it twice (a part in chapters of its own, like the tasks after the review)
    labels, X, docs, order = corpus([0.2, 0.9, 0.1], twice=True)
    assert sorted(_merge_chapters(labels, X, docs, order, groups, {}, np.ones(len(labels), dtype=bool))[1]) == [0, 1, 2, 3]
    # beside: every run of the type has a section of the part right before or after it
    assert _beside(np.array([1, 4, 4, 3, 2, 0, 3]), 4, {3, 5}) and not _beside(np.array([1, 4, 2, 3]), 4, {3})


def test_a_chapter_whose_text_is_a_coda_type_joins_the_codas():
    import numpy as np

    from gkcorpus.outline.type_merges import join_unheaded

    # text block rows: tasks chapters (type 0, headed) near (1, 0); the self-improvement codas (type 1, all
    # unheaded) near (0, 1); one headed chapter on the government's own conduct, typed 0 for its heading
    body = np.array([[1, 0.1], [0.9, 0.2], [1, 0], [0.3, 0.6], [0.1, 1], [0, 1], [0.2, 0.9]])
    labels = np.array([0, 0, 0, 0, 1, 1, 1])
    headed = np.array([True, True, True, True, False, False, False])
    out, moved = join_unheaded(labels, body, headed)
    assert out.tolist() == [0, 0, 0, 1, 1, 1, 1] and moved == 1
    # a type holding a chapter is not a type of unheaded parts: nothing moves into it
    assert join_unheaded(labels, body, np.ones(7, dtype=bool))[1] == 0
    # an unheaded part never moves, whatever its text
    assert join_unheaded(np.array([0, 0, 0, 0, 1, 1, 0]), body, headed)[0][6] == 0


def test_an_order_share_that_its_documents_do_not_establish_merges_mutual_nearest_types():
    from gkcorpus.outline.type_merges import _order_bounds, merge_topics as _merge_topics

    # fifteen documents: a review (0), a first tasks chapter (1) and a later one (2); 1 precedes 2 in
    # thirteen, follows it in one and surrounds it in one: 13/15 = 0.867 passes 0.8, but the 90% Wilson
    # interval of that share reaches 0.666
    def corpus(chapter, broken):
        vec = {0: [1.0, 0.0, 0.0], 1: [0.0, 1.0, 0.3], 2: chapter}
        rows, docs, labels, order = [], [], [], []
        for d in range(15):
            seq = [0, 1, 2] if d >= broken else ([0, 2, 1] if d == 0 else [0, 1, 2, 1])
            for k, t in enumerate(seq):
                rows.append(vec[t]), docs.append(f"d{d}"), labels.append(t), order.append(k)
        X = np.array(rows)
        return np.array(labels), X / np.linalg.norm(X, axis=1, keepdims=True), np.array(docs), np.array(order)

    assert _order_bounds(13, 15) == pytest.approx((0.6664, 0.9548), abs=1e-4)
    labels, X, docs, order = corpus([0.0, 0.8, 0.6], broken=2)
    assert _merge_topics(labels, X, docs, order, 0.5, 0.8).tolist() == [0, 1, 1] + [0, 1, 1, 1] + [0, 1, 1] * 13
    # the same order, but the later chapter nearer the review than the first chapter: not each other's nearest
    labels, X, docs, order = corpus([0.9, 0.2, 0.1], broken=2)
    assert _merge_topics(labels, X, docs, order, 0.5, 0.8).tolist() == labels.tolist()
    # no document out of order: the order holds, whatever the interval of 15/15
    labels, X, docs, order = corpus([0.0, 0.8, 0.6], broken=0)
    assert _merge_topics(labels, X, docs, order, 0.5, 0.8).tolist() == [0, 1, 2] * 15


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
        "numbered": 163, "preamble": 41, "closing": 37, "unnumbered_heading": 16, "unheaded_coda": 16,
        "appendix": 2, "unheaded": 2}
    heads = lambda y: [(p.how, p.heading) for p in find_parts(since_1978[f"gwr_national/{y}"])]  # noqa: E731
    # 1986: the 一、…五、 series nested under 二、 and 三、 are not top-level parts
    assert heads(1986) == [("preamble", ""), ("numbered", "“六五”计划执行情况的回顾"),
                           ("numbered", "“七五”时期的基本任务和主要建设方针"), ("numbered", "“七五”时期的经济体制改革"),
                           ("numbered", "坚持独立自主的和平外交政策"), ("unheaded_coda", ""), ("closing", "")]
    # 1981 opens with （一）: that series is the top one, its 一、…十、 are nested
    assert [h for _, h in heads(1981)] == ["", "当前的经济形势", "今后经济建设的方针", "我国经济发展的前景", ""]
    # 1983: unnumbered headings, the （一）…（五） under the second nested; no closing formula ends the
    # report, so its last short address block (各位代表！国家的统一…) is the closing
    assert heads(1983) == [("preamble", ""), ("unnumbered_heading", "过去五年的回顾"),
                           ("unnumbered_heading", "今后五年的主要任务"), ("closing", "")]
    assert [(p.how, p.start) for p in find_parts(since_1978["gwr_national/1991"])][-1] == ("closing", 12851)
    # 2002: the review has no heading; it follows the address, announced by one sentence; the year's part
    # opens where a paragraph turns to the report's own year (2002年是…, the year of the title line)
    assert heads(2002)[1:3] == [("unheaded", "首先报告2001年的工作"), ("unheaded", "")]
    d2002 = since_1978["gwr_national/2002"]
    assert d2002.text[find_parts(d2002)[2].start:][:12] == "2002年是我们党和国家"
    assert find_parts(d2002)[3].how == "numbered"
    # 2014 is one run-on paragraph: its inline 一、二、三、 and 各位代表！ start parts at their own offsets; the
    # coda is the first 各位代表！ after the run-in heading 三、 (whose line holds its body); it opens on the
    # government's own work, so the next 各位代表！ starts the chain of addresses (ethnic affairs, defence,
    # Hong Kong and Macao, foreign policy: one part); the closing, opened by its own 各位代表！, does not
    # reach back over the address paragraph before it
    d2014 = since_1978["gwr_national/2014"]
    assert [(p.how, p.start, p.end) for p in find_parts(d2014)] == [
        ("preamble", 0, 149), ("numbered", 149, 4439), ("numbered", 4439, 6418), ("numbered", 6418, 15325),
        ("unheaded_coda", 15326, 15903), ("unheaded_coda", 15904, 17259), ("closing", 17260, 17386)]
    assert d2014.text[6418:6429] == "三、2014年重点工作" and d2014.text[15325] == " "
    assert d2014.text[15326:].startswith("各位代表！ 做好政府工作，必须加强自身改革建设")
    assert d2014.text[15904:].startswith("各位代表！ 我国是统一的多民族国家")
    # 2018 has no 各位代表！ lines: the coda is the first paragraph after the last task's sub-sections that
    # opens on the government's own work
    d2018 = since_1978["gwr_national/2018"]
    assert [(p.how, p.start) for p in find_parts(d2018)][-2:] == [("unheaded_coda", 18873), ("closing", 20848)]
    assert d2018.text[18873:].startswith("进入新时代，政府工作在新的一年要有新气象新作为")
    assert d2014.text[17260:].startswith("各位代表！ 人民赋予重托")
    # 1985: the closing reaches back over the bare 各位代表！ line before it, not over the address before that
    assert [(p.how, p.start) for p in find_parts(since_1978["gwr_national/1985"])][-1] == ("closing", 14183)
    # a peroration opened by 回顾过去 five paragraphs before its 让我们… formula is one closing
    closing_1978 = find_parts(since_1978["gwr_national/1978"])[-1]
    assert (closing_1978.how, closing_1978.start) == ("closing", 30510)
    assert since_1978["gwr_national/1978"].text[30510:].startswith("回顾过去，展望未来")
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
    assert pt.selection_.startswith("k=5: the Ward tree cut where both halves are found together")
    assert "7 clusters; 3 type(s) merged as topics of one part" in pt.selection_
    assert "1 topic(s) split off as parts" in pt.selection_ and "6 part(s) moved to a type both nearer and more likely" in pt.selection_
    assert pt.selection_.endswith("appendix parts one type, targets parts one type, own conduct parts one type "
                                  "(2 of the targets by a heading naming them)")
    assert len(pt.types_) == 10 and len(seg) == 277
    assert [t.size for t in pt.types_] == [41, 40, 16, 59, 22, 12, 10, 38, 2, 37]
    # the review is one part per document in 40 of 41: 1978's second review-like chapter (揭批“四人帮”, a task by
    # the labels) goes to the tasks, and so does a task chapter the tree's cut gave the review in 1996 and in 1999
    assert "3 part(s) moved out of a type nearly every document holds once" in pt.selection_
    assert seg[seg.heading == "把揭批“四人帮”的斗争进行到底"].type.tolist() == [3]
    # every form-found part is one type
    for how in ("preamble", "closing", "appendix"):
        assert seg[seg.how == how].type.nunique() == 1
    # the government's own conduct: the chapters whose heading names it and the codas opening on it, one type;
    # the chapters on democracy and law, in the same place of other reports (never of the same report), are
    # another (with 1993's and 2000's chapters on society, tasks by the labels)
    own = seg[seg.type == pt.form_types_["own_conduct"]]
    assert pt.form_types_["own_conduct"] == 6 and pt.type_by_id(6).name.startswith("(own conduct)")
    assert [d[-4:] for d in own.doc_id] == ["1993", "1999", "2000", "2002", "2003", "2004", "2005", "2014", "2015", "2018"]
    assert own.how.value_counts().to_dict() == {"numbered": 7, "unheaded_coda": 3}
    law = seg[seg.type == 5]
    assert len(law) == 12 and {"加强社会主义民主和社会主义法制", "加强社会主义民主和法制建设",
                               "加强精神文明和民主法制建设，加强国防建设"} < set(law.heading)
    norm = seg.heading.map(normalise_heading)
    # one review type across eras: the 27 headings with 回顾 (Y工作回顾, Y国内工作的回顾, P时期…的回顾 …) and
    # the unheaded review of 2002; its unheaded year's part (2002年是…) is the targets part
    review = seg[seg.heading.str.contains("回顾") | (seg.how == "unheaded")]
    assert len(review) == 29 and review.type.value_counts().to_dict() == {1: 28, 2: 1}
    # the targets part, by its place and its target words, whatever its heading, right after the review; in
    # 1986 and 1991 (long plan chapters, density below 1) by a heading naming the targets
    targets = seg[seg.type == pt.form_types_["targets"]]
    assert pt.form_types_["targets"] == 2 and pt.type_by_id(2).name.startswith("(targets)")
    assert [d[-4:] for d in targets.doc_id] == ["1980", "1986", "1991", "1993", "1996", "2001", "2002", "2005", "2011",
                                                "2012", "2013", "2014", "2015", "2016", "2017", "2018"]
    assert set(targets.heading[targets.doc_id.str.endswith(("1986", "1991"))]) == {
        "“七五”时期的基本任务和主要建设方针", "1991年计划的主要目标和任务"}
    assert set(norm[targets.index]) >= {"Y工作总体部署", "P期间的奋斗目标和指导方针", "P时期的主要目标和任务",
                                        "Y国民经济计划的任务和主要指标", "Y经济社会发展总体要求和政策取向"}
    # the tasks: the education headings (1978-2002), the tasks of 1998, 2003 and 2013-2018 (对…政府工作的建议,
    # Y重点工作), the 2000 education chapter too (a plain nearest centroid put it with democracy and law)
    tasks = seg[norm.str.contains("教育|重点工作|政府工作的建议")]
    assert len(tasks) == 13 and tasks.type.value_counts().to_dict() == {3: 13}
    # the reform and opening-up chapters (1985-2015) are a part of their own: the reports with two task
    # chapters give one to the reform (1986, 1987, 1992, ...)
    # (2002's 积极推进经济结构调整和经济体制改革 is a task chapter by the labels, typed with the reform)
    reform = seg[norm.str.contains("国有企业改革|经济体制改革$|扩大对外开放|对外开放水平|推向纵深")]
    assert len(reform) == 13 and pt.type_by_id(4).n_docs == 17
    assert reform.type.tolist() == [4] * 13 and reform.heading.tolist()[10] == "积极推进经济结构调整和经济体制改革"
    # every 外交工作 and 祖国和平统一 section and the other unheaded 各位代表 blocks after the tasks are one type
    foreign = seg[norm.str.contains("外交工作") | norm.str.contains("祖国和平统")]
    codas = seg[(seg.how == "unheaded_coda") & (seg.type != 6)]
    assert len(foreign) == 20 and len(codas) == 13 and set(foreign.type) == set(codas.type) == {7}
    assert [t.mean_position for t in pt.types_] == sorted(t.mean_position for t in pt.types_)
    # transform finds the same targets parts by the same rule
    moved = pt.transform(since_1978)
    assert (moved.type == 2).tolist() == (seg.type == 2).tolist()


def test_recent_reports_keep_one_review_and_one_task_type(shared_corpora):
    """Twelve recent reports (2010-2022, without 2014's one-line source): the three five-year reviews and the two
    reports giving their tasks several chapters (2015, 2020) are too few for the tree to tell from each other, and
    one cluster held both; it lies on both sides of the targets part and is split by side, each half then joining
    its part (they share no document with it). Before that split the reviews and the tasks were two types each
    (pairwise 0.906 / 0.758 against the labels)."""
    from gkcorpus import load

    national = load(shared_corpora / "gwr_national.jsonl")
    bilingual = load(shared_corpora / "gwr_national_bilingual.jsonl")
    corpus = Corpus([d for d in national if 2010 <= int(d.meta["year"]) <= 2018 and not d.meta.get("flags")]
                    + [d for d in bilingual if int(d.meta["year"]) >= 2019])
    pt = PartTyper().fit(corpus)
    seg = pt.segments_
    assert "1 cluster(s) split by their side of the targets part" in pt.selection_
    assert [t.name for t in pt.types_][1:4] == ["Y工作回顾", "(targets) 增长 左右 预期", "Y主要任务 (+14)"]
    reviews = seg[seg.heading.str.contains("回顾")]
    assert len(reviews) == 12 and set(reviews.type) == {1}
    chapters = seg[(seg.how == "numbered") & ~seg.heading.str.contains("回顾") & ~seg.type.isin([2, 4])]
    # every task chapter, the single ones and the topic chapters of 2015 and 2020 (with 2015's reform chapter)
    assert len(chapters) == 19 and set(chapters.type) == {3}
    assert (chapters.doc_id.str.endswith("2020")).sum() == 6 and (chapters.doc_id.str.endswith("2015")).sum() == 3


def test_national_part_types_do_not_depend_on_the_seed(since_1978):
    """The LSA space is an exact truncated SVD: another seed gives the same types (with a randomized SVD,
    seeds 0 to 5 gave pairwise precision 0.633 to 0.911 against the labels)."""
    a, b = PartTyper(random_state=0).fit(since_1978), PartTyper(random_state=3).fit(since_1978)
    assert a.labels_.tolist() == b.labels_.tolist() and a.selection_ == b.selection_


def test_national_economy_chapter_is_one_of_the_tasks(national):
    """On all fifty reports the economy chapter that opens the tasks of 1987-2005 is typed with the tasks
    (the unit test above covers the merge of such a chapter when the Ward tree splits it off)."""
    pt = PartTyper().fit(national)
    seg = pt.segments_
    assert "merged as a chapter" not in pt.selection_
    assert [t.name for t in pt.types_][3:8] == ["Y政府工作的建议 (+56)", "(企业 市场 管理)", "(民族 干部 各级)",
                                                "(own conduct) 公务员 监督 政府", "外交工作"]
    # 1955 (its chapter headings lost, only a table of contents left) is one unheaded body and its closing;
    # 1960's bare 二 heading, followed by a short sentence, is found: its 一 chapter is given the review
    assert [t.n_docs for t in pt.types_] == [50, 46, 17, 38, 17, 19, 10, 32, 2, 43]
    assert "1 part(s) given a type nearly every document holds once" in pt.selection_
    assert list(seg[seg.doc_id == "gwr_national/1955"].how) == ["preamble", "closing"]
    # chapters leave the review, which nearly every document holding it holds once: 1958's and 1964's plans
    # go to the tasks (and 1964's achievements chapter with them), 1978's 揭批“四人帮” to democracy and law (two of
    # the three by that rule, with the tree cut as it is now)
    assert "2 part(s) moved out of a type nearly every document holds once" in pt.selection_
    by_year = lambda y: list(seg[seg.doc_id == f"gwr_national/{y}"].type)  # noqa: E731
    assert by_year(1958)[1:3] == [1, 3] and by_year(1964)[1:5] == [1, 3, 2, 3] and by_year(1978)[1:3] == [1, 5]
    # 1964's last chapter, 国际形势和我国对外工作 (a heading line before a one-sentence announcement), is found
    assert by_year(1964)[5:] == [5, 5, 7]
    assert list(seg[seg.doc_id == "gwr_national/1960"].heading)[1:5] == ["一", "二", "三", "四"]
    # its closing does not take the address that is chapter 四's only paragraph
    assert seg[seg.doc_id == "gwr_national/1960"].iloc[-1].text.startswith("因此，中共中央和国务院建议")
    by_head = dict(zip(seg.heading, seg.type))
    economy = ["促进国民经济持续、快速、健康发展", "坚持长期稳定发展经济的方针", "抓紧有利时机，加快经济发展"]
    assert {by_head[h] for h in economy} == set(seg[seg.heading.str.contains("教育")].type) == {3}
    assert set(seg[seg.heading.str.contains("经济体制改革$|国有企业改革")].type) == {4}


def test_a_self_improvement_coda_is_followed_by_the_chain_of_addresses():
    filler = "要扎实推进各项工作，确保取得实效。" * 12
    text = ("政府工作报告\n各位代表：\n现在，我代表国务院向大会报告工作，请予审议。\n"
            "一、过去一年工作回顾\n" + filler + "\n二、今年政府工作任务\n" + filler + "\n（一）稳定增长\n" + filler + "\n"
            "各位代表！\n面对艰巨繁重任务，各级政府要自觉在思想上政治上行动上同党中央保持高度一致。\n" + filler + "\n"
            "各位代表！\n我们要坚持和完善民族区域自治制度，促进各民族共同繁荣发展。\n" + filler + "\n"
            "各位代表！\n我们要继续全面准确贯彻“一国两制”方针。\n" + filler + "\n"
            "各位代表！\n中华民族向来不畏艰难险阻，当代中国人民一定能够战胜一切困难。\n"
            "让我们紧密团结在党中央周围，为全面建设社会主义现代化国家而努力奋斗！")
    doc = _doc(text)
    parts = find_parts(doc)
    assert [p.how for p in parts] == ["preamble", "numbered", "numbered", "unheaded_coda", "unheaded_coda", "closing"]
    assert [doc.text[p.start:p.end].split("\n")[1][:6] for p in parts[3:]] == ["面对艰巨繁重", "我们要坚持和", "中华民族向来"]
    # a coda that opens on another subject is the chain itself: one part
    other = text.replace("面对艰巨繁重任务，各级政府要自觉在思想上政治上行动上同党中央保持高度一致。", "过去一年，国防和军队建设扎实推进。")
    doc2 = Corpus.from_raw([RawDocument("s", other)])["s"]
    assert [p.how for p in find_parts(doc2)] == ["preamble", "numbered", "numbered", "unheaded_coda", "closing"]
    # the address of a city's report, 各位代表、同志们！, opens a coda as 各位代表！ does
    city = _doc(text.replace("各位代表！\n面对艰巨", "各位代表、同志们！\n面对艰巨"))
    assert [p.how for p in find_parts(city)] == [p.how for p in parts]
    # a coda on defence opening on 各级政府 is not the government's own conduct: the chain is one part
    army = text.replace("面对艰巨繁重任务，各级政府要自觉在思想上政治上行动上同党中央保持高度一致。", "各级政府要大力支持国防和军队建设。")
    assert [p.how for p in find_parts(_doc(army))] == ["preamble", "numbered", "numbered", "unheaded_coda", "closing"]


def test_the_targets_part_by_place_and_target_words():
    from gkcorpus.outline.targets import find_targets_parts, target_density

    targets = "今年发展的主要预期目标是：国内生产总值增长6%左右；居民消费价格涨幅3%左右。总体要求是稳中求进。"
    assert target_density(targets) == pytest.approx(1000 * 4 / len(targets))
    assert target_density("他的话左右为难，前后左右都是人。") == 0  # 左右 as "torn" or "all around", not an approximation
    review, tasks = "过去一年经济增长6%左右。" + "成绩来之不易。" * 40, "要扩大内需。" * 100
    docs = ["a"] * 4 + ["b"] * 3
    texts = ["标题", review, targets, tasks, review, tasks, targets]
    body = [False, True, True, True, True, True, True]
    # a: the dense short part between the review and the longer tasks; b: the dense part is the last one
    assert find_targets_parts(docs, texts, body, 1.0) == [False, False, True, False, False, False, False]
    # the first body part is never the targets part, however dense
    assert find_targets_parts(["c", "c"], [targets, tasks], [True, True], 1.0) == [False, False]



def test_a_heading_naming_the_targets_marks_the_targets_part_where_the_density_rule_finds_none():
    from gkcorpus.outline.targets import find_targets_parts, named_targets_parts

    review = "过去一年，国民经济持续发展。" * 20
    plan = "今年计划的主要目标是国民生产总值增长4.5%。" + "要搞好农业生产，加强重点建设。" * 80  # long: density 0.8
    tasks = "要继续深化改革。" * 30
    docs, body = ["a"] * 4, [False, True, True, True]
    texts = ["标题", review, plan, tasks]
    heads = ["", "1990年计划的执行情况", "1991年计划的主要目标和任务", "以提高经济效益为中心"]
    found = find_targets_parts(docs, texts, body, 1.0)
    assert found == [False] * 4  # too long and too sparse for the density rule
    assert named_targets_parts(docs, texts, heads, body, found) == [False, False, True, False]
    # never the first body part (当前国内形势和基本任务 heads a review), nor beside a part the density rule found
    assert named_targets_parts(docs, texts, ["", "当前国内形势和基本任务", "", ""], body, found) == [False] * 4
    assert named_targets_parts(docs, texts, heads, body, [False, False, False, True]) == [False] * 4
    # a plan's 工作目标 / 目标任务 (words a report's text uses for other things: headings only), not as the last body
    # part: a summary's 下一步工作目标 is its plans
    for names, flags in ((["", "指导思想", "工作目标", "主要任务"], [False, False, True, False]),
                         (["", "指导思想", "目标任务", "保障措施"], [False, False, True, False]),
                         (["", "基本情况", "主要做法", "下一步工作目标"], [False] * 4),
                         (["", "主要做法", "圆满完成全年目标", "存在问题"], [False] * 4)):
        assert named_targets_parts(docs, texts, names, body, found) == flags, names


def test_the_governments_own_conduct_by_its_heading_or_opening_words():
    from gkcorpus.outline.own_conduct import find_own_conduct_parts, names_own_conduct, opens_on_own_conduct

    # a coda opening on the government's own work, with its address on a line of its own or not
    assert opens_on_own_conduct("各位代表！\n新的形势和任务，对政府工作提出了新的更高要求。各级政府要…")
    assert opens_on_own_conduct("各位代表！做好政府工作，必须加强自身改革建设。")
    assert opens_on_own_conduct("进入新时代，政府工作在新的一年要有新气象新作为。")
    assert opens_on_own_conduct("各位代表、同志们！\n新征程对政府工作提出了新的更高要求。")
    # a short maxim is read with the sentence after it
    assert opens_on_own_conduct("各位代表！\n打铁必须自身硬。我们要…") and opens_on_own_conduct("各位代表！\n使命呼唤担当。各级政府要…")
    # the per-subject addresses after it do not, though 各级政府 may open them; nor does a later sentence
    assert not opens_on_own_conduct("各位代表！\n我们要坚持和完善民族区域自治制度。各级政府要支持民族地区发展。")
    assert not opens_on_own_conduct("各位代表！\n各级政府要大力支持国防和军队建设，深入开展双拥共建。")
    named = ["切实加强政府自身建设", "进一步转变政府职能，加强政风建设", "加强行政能力建设和政风建设", "深入推进政府治理创新",
             "贯彻依法治国方略，建设廉洁、勤政、务实、高效政府", "认真进行行政管理体制和政府机构改革", "持之以恒推进全面从严治党",
             "关于政府工作的改进", "克服官僚主义，提高工作效率"]
    other = ["推进政府信息公开", "关于2026年政府工作的建议", "加强社会主义民主和法制建设", "外交工作", "加快数字政府建设",
             "加强民主法制建设，全面推进依法行政", "全面深化改革，加快转变政府职能"]
    assert [h for h in named + other if names_own_conduct(h)] == named
    heads = ["", "2025年工作回顾", "对2026年政府工作的建议", "深入推进政府治理创新", "", "", ""]
    hows = ["preamble", "numbered", "numbered", "numbered", "unheaded_coda", "unheaded_coda", "closing"]
    texts = ["各位代表：\n现在，我代表…", "过去一年…", "今年要…", "要全面提升政府治理效能。",
             "各位代表！\n面对新的任务和挑战，各级政府要增强“四个意识”。", "各位代表！\n我国是统一的多民族国家。",
             "让我们更加紧密地团结在…周围"]
    body = [False, True, True, True, True, True, False]
    # one part a document, the last: the coda after the chapter; not the tasks (政府工作, the government's work),
    # the chain of addresses after the coda or the closing
    assert find_own_conduct_parts(["a"] * 7, hows, heads, texts, body) == [False] * 4 + [True, False, False]
    assert find_own_conduct_parts(["a"] * 6, hows[:4] + hows[5:], heads[:4] + heads[5:], texts[:4] + texts[5:],
                                  body[:4] + body[5:]) == [False, False, False, True, False, False]
    # the first body part never is (a review naming the government); nor is any part of a document not addressed to
    # the deputies (a summary or plan on 法治政府 speaks of the government throughout)
    two = ["preamble", "numbered", "numbered"]
    assert find_own_conduct_parts(["c"] * 3, two, ["", "加强政府自身建设", "外交"], texts[:3], [False, True, True]) == [False] * 3
    plan = ["今年以来，我局…", "…", "…"]
    assert find_own_conduct_parts(["d"] * 3, two, ["", "工作成效", "全面推进依法行政"], plan, [False, True, True]) == [False] * 3


def test_the_part_typer_gives_the_governments_own_conduct_a_type_of_its_own():
    filler = "要扎实推进各项工作，确保取得实效，推动经济社会持续健康发展。" * 8

    def report(year: int, last: str) -> str:
        return (f"{year}年政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
                f"一、{year - 1}年工作回顾\n过去一年，全市经济增长6%，城乡居民收入稳步增长，成绩来之不易。{filler}\n"
                f"二、{year}年重点工作\n今年要扩大内需，稳定就业，发展农业，办好教育。{filler}\n"
                f"三、{last}\n{filler}\n让我们更加紧密地团结在以习近平同志为核心的党中央周围，为全面建设社会主义现代化而努力奋斗！")

    lasts = ["加强政府自身建设", "全面提升政府治理效能", "深入推进政府治理创新", "加强社会主义民主和法制建设",
             "巩固和发展安定团结的政治局面", "加强民主法制建设"]
    corpus = Corpus.from_raw([RawDocument(f"r{y}", report(y, h)) for y, h in zip(range(2020, 2026), lasts)])
    pt = PartTyper().fit(corpus)
    seg = pt.segments_
    own = pt.form_types_["own_conduct"]
    assert pt.type_by_id(own).name.startswith("(own conduct)") and "own conduct parts one type" in pt.selection_
    assert sorted(seg[seg.type == own].heading) == sorted(lasts[:3])
    assert own not in set(seg[seg.heading.isin(lasts[3:])].type)
    # without the role, the last chapters of the six reports, which never share a report, are one type
    plain = PartTyper(own_conduct=False).fit(corpus).segments_
    assert plain[plain.heading.isin(lasts)].type.nunique() == 1 and "own conduct" not in " ".join(plain.type_name)


@pytest.mark.slow
def test_work_report_skeleton_lists_each_part_once(shared_corpora, tmp_path):
    """On the fifteen bilingual work reports (2008–2022, Chinese side) the skeleton is written from the
    part types, which predict the order of the sections about as well as the finer section types
    (the fewer types win): one entry per real part, each in (nearly) every report."""
    from gkcorpus import load
    from gkcorpus.app.pipeline import mine

    mine(load(shared_corpora / "gwr_national_bilingual.jsonl"), tmp_path, formats=("json",), plots=False,
         report=False)
    lines = (tmp_path / "templates" / "skeleton.md").read_text(encoding="utf-8").splitlines()
    # the header says where the parts come from and how to read their names and masked headings
    assert lines[2].startswith("Common outline of 15 documents (the part types of gkcorpus.outline.PartTyper")
    assert lines[4].startswith("A part is named by its form or role") and "Y a year (2025年, 今年)" in lines[4]
    assert [x for x in lines if x.startswith("## ")] == [
        "## 1. (opening) 政府工作报告 请 国务院", "## 2. Y工作回顾", "## 3. (targets) 增长 左右 预期",
        "## 4. Y主要任务 (+14)", "## 5. (own conduct) 接受 监督 自觉", "## 6. (coda) 军队 国防 和平",
        "## 7. (closing) 周围 富强 梦"]
    # the government's own conduct: an unheaded coda in six reports, a chapter in 2015 (六、切实加强政府自身建设),
    # typed by the coda's opening words and the chapter's heading
    assert "Usual headings: 切实加强政府自身建设 (1)." in lines
    # the review in every report: 2011's review of the five-year plan period (typed as a task chapter by the
    # clustering) is given the type every other report holds once
    assert [x for x in lines if x.startswith("In ")] == [
        f"In {n} of 15 documents." for n in (15, 15, 12, 15, 7, 15, 15)]
    assert "P时期国民经济和社会发展的回顾 (1)" in next(x for x in lines if x.startswith("Usual headings: Y工作回顾"))
    # each part's set phrases: the address in the opening, the thanks ending the review, the closing's rally
    sets = [x for x in lines if x.startswith("Set phrases: ")]
    assert len(sets) == 7 and "`现在，我代表国务院` (15)" in sets[0] and "`表示诚挚感谢` (15)" in sets[1]
    assert sets[6].startswith("Set phrases: `实现中华民族伟大复兴的中国梦` (9); ")
    # 2009's source lost its 二、 heading: 三、2009年主要任务 is still a top-level part, typed with the tasks, and the
    # outline files say where the numbering skips
    import json

    gaps = json.loads((tmp_path / "clusters" / "part_types.json").read_text(encoding="utf-8"))["numbering_gaps"]
    assert gaps == [{"doc_id": "gwr_national_bilingual/2009", "missing": ["二、"], "before": "三、"}]
    assert "gwr_national_bilingual/2009 has no 二、 before 三、." in (tmp_path / "clusters" / "outline.md").read_text(
        encoding="utf-8")
    from gkcorpus.outline.parts import find_parts

    doc = load(shared_corpora / "gwr_national_bilingual.jsonl")["gwr_national_bilingual/2009"]
    assert [(p.how, p.heading, p.start) for p in find_parts(doc)][1:3] == [
        ("numbered", "2008年工作回顾", 98), ("numbered", "2009年主要任务", 4534)]


@pytest.mark.slow
def test_work_reports_whose_chapters_lost_their_numbers_keep_their_parts(shared_corpora):
    """The held-out work reports (2016–2022, one sentence a line) with every 一、 at a line start removed, or only
    the first: the chapter headings that lost their numbers are found as unnumbered headings, each report's parts
    the same as with the numbers."""
    import dataclasses
    import re

    from gkcorpus import load

    for doc in load(shared_corpora / "gwr_national_bilingual.jsonl"):
        if int(doc.meta["year"]) < 2016:
            continue
        stripped = dataclasses.replace(doc, text=re.sub(r"(?m)^[一二三四五六七八九十]+、", "", doc.text), _structure=None)
        before, after = find_parts(doc), find_parts(stripped)
        assert [p.heading for p in after] == [p.heading for p in before], doc.id
        assert [p.how for p in after] == [{"numbered": "unnumbered_heading"}.get(p.how, p.how) for p in before]
        # only the first 一、 lost (a scrape dropped it): the other chapters keep their numbers
        first = dataclasses.replace(doc, text=re.sub(r"(?m)^一、", "", doc.text, count=1), _structure=None)
        assert [(p.how, p.heading) for p in find_parts(first)] == [
            (("unnumbered_heading" if k == 1 else p.how), p.heading) for k, p in enumerate(before)], doc.id


def test_a_type_nearly_every_document_holds_once_keeps_one_part_per_document():
    import numpy as np

    from gkcorpus.outline.type_merges import once_per_document

    # 20 documents, each holding types 0, 1, 2 once (review, tasks, closing-like), and d0 a second part of type 0
    # that lies nearest type 1, then type 3 (a type documents hold several times)
    X, labels, docs = [], [], []
    axes = np.eye(4)
    for d in range(20):
        for t in range(3):
            X.append(axes[t]), labels.append(t), docs.append(f"d{d}")
        for _ in range(2):
            X.append(axes[3]), labels.append(3), docs.append(f"d{d}")
    X.append(0.6 * axes[0] + 0.5 * axes[1] + 0.4 * axes[3]), labels.append(0), docs.append("d0")
    X, labels, docs = np.array(X), np.array(labels), np.array(docs)
    out, moved = once_per_document(labels, X, docs, 0.8, 2)
    # the extra part leaves type 0 (the original part is nearer its centroid) and goes to type 3, not to type 1,
    # which d0 already holds once
    assert moved == 1 and out[-1] == 3 and (out[:-1] == labels[:-1]).all()
    # 6 of 7 documents holding a type once is no evidence: nothing moves
    small = np.isin(docs, [f"d{d}" for d in range(7)]) | (np.arange(len(docs)) == len(docs) - 1)
    assert once_per_document(labels[small], X[small], docs[small], 0.8, 2)[1] == 0


def test_a_document_lacking_a_type_nearly_every_document_holds_once_gets_it_for_the_part_standing_for_it():
    import numpy as np

    from gkcorpus.outline.type_merges import fill_once

    # 20 documents: a review (type 0) first, two task chapters (type 1), a closing (type 2); d0 has no review, its
    # first part (a five-year review) typed as a task, nearer the tasks than the review but the review after them
    axes = np.eye(3)
    X, labels, docs, order = [], [], [], []
    for d in range(20):
        for i, t in enumerate((0, 1, 1, 2)):
            X.append(axes[t]), labels.append(t), docs.append(f"d{d}"), order.append(i)
    X[0] = 0.5 * axes[0] + 0.7 * axes[1]
    labels[0] = 1
    X, labels, docs, order = np.array(X), np.array(labels), np.array(docs), np.array(order)
    out, moved = fill_once(labels, X, docs, order, 0.8, 2)
    assert moved == 1 and out[0] == 0 and (out[1:] == labels[1:]).all()
    # the same part after the closing (the review's usual side of it is before): nothing moves
    late = order.copy()
    late[0] = 9
    assert fill_once(labels, X, docs, late, 0.8, 2)[1] == 0
    # a document holding the part's own type once would lose that type: nothing moves
    one_task = np.ones(len(labels), dtype=bool)
    one_task[1:3] = False  # d0 without its two task chapters: the part is its one task
    assert fill_once(labels[one_task], X[one_task], docs[one_task], order[one_task], 0.8, 2)[1] == 0
    # nearest the closing rather than the review: nothing moves
    X2 = X.copy()
    X2[0] = 0.5 * axes[2] + 0.7 * axes[1]
    assert fill_once(labels, X2, docs, order, 0.8, 2)[1] == 0


def test_a_cluster_on_both_sides_of_the_targets_part_is_split_by_side():
    import numpy as np

    from gkcorpus.outline.type_merges import split_by_side

    # each document: opening (not a row), review, targets (index 2, not a row), tasks; cluster 0 holds the reviews of
    # d0-d5, cluster 1 the tasks of d0-d5, and the five-year reviews of d6 and d7 and the task chapters of d8 and d9
    rows = [(f"d{d}", 1, 0) for d in range(6)] + [(f"d{d}", 3, 1) for d in range(6)]
    rows += [("d6", 1, 1), ("d7", 1, 1), ("d8", 3, 1), ("d8", 4, 1), ("d9", 3, 1)]
    docs = np.array([r[0] for r in rows])
    order = np.array([r[1] for r in rows])
    labels = np.array([r[2] for r in rows])
    anchors = {f"d{d}": 2 for d in range(10)}
    out = split_by_side(labels, docs, order, anchors, 2)
    # the two reviews before the targets leave cluster 1 (the side with fewer rows); the rest keeps its labels
    assert out.tolist() == [0] * 6 + [1] * 6 + [2, 2, 1, 1, 1]
    # on one side in too few documents, or without a targets part in the documents: nothing moves
    assert split_by_side(labels, docs, order, anchors, 3).tolist() == labels.tolist()
    assert split_by_side(labels, docs, order, {d: 2 for d in ["d0", "d8"]}, 2).tolist() == labels.tolist()


def test_numbered_items_running_into_their_text_and_restarting_are_no_chapters():
    """A report whose chapter headings the source lost keeps only its inline enumerations (一、…二、… in the
    text, restarting at 一): they are not its top-level parts; one numbered item in a line of its own is."""
    items = "一、我国人民推翻了帝国主义的统治，取得了独立。\n二、我国人民推翻了封建主义，实行了土地改革。\n"
    text = ("政府工作报告\n各位代表：\n现在，我代表国务院向大会报告工作。\n过去几年的成就是：\n" + items
            + "今后的任务是：\n一、开垦荒地，扩大耕地面积。\n二、兴修水利，保证灌溉。\n三、推广良种，提高单产。\n"
            "让我们团结起来，为完成五年计划而奋斗！\n")
    doc = _doc(text)
    assert "numbered" not in _hows(doc) and _hows(doc)[0] == "preamble"
    chapters = text.replace("过去几年的成就是：\n", "一、过去几年的成就\n").replace(items, "我国人民取得了独立。\n")
    doc = _doc(chapters)
    assert _how_heading(doc)[:2] == [("preamble", ""), ("numbered", "过去几年的成就")]


def test_a_peroration_cut_at_its_semicolon_opens_the_closing_with_its_first_half():
    """One sentence a line: 回顾五年的成就，令人鼓舞；/ 展望未来发展，催人奋进。 is one sentence, and the closing
    starts at the bare address before its first half, not inside it."""
    text = ("政府工作报告\n各位代表：\n现在，我代表国务院向大会报告工作。\n一、过去五年的工作\n过去五年，经济稳定增长，民生持续改善。\n"
            "二、今年的任务\n今年要稳住经济大盘，推动高质量发展。\n各位代表！\n回顾五年的成就，令人鼓舞；\n展望未来发展，催人奋进。\n"
            "让我们紧密团结起来，为全面建设小康社会而努力奋斗！\n")
    doc = _doc(text)
    closing = find_parts(doc)[-1]
    assert closing.how == "closing" and doc.text[closing.start:closing.end].startswith("各位代表！\n回顾五年的成就")


def test_a_numbered_part_the_source_lost_is_reported_as_a_gap():
    from gkcorpus.outline.parts import numbering_gaps

    filler = "要扎实推进各项工作，确保取得实效。" * 4
    text = ("政府工作报告\n各位代表：\n现在，我代表国务院向大会报告工作，请予审议。\n一、过去一年工作回顾\n" + filler + "\n"
            "三、今年政府工作任务\n" + filler + "\n四、加强政府自身建设\n" + filler + "\n")
    doc = _doc(text)
    parts = find_parts(doc)
    assert [p.marker for p in parts if p.how == "numbered"] == ["一、", "三、", "四、"]
    assert numbering_gaps(parts) == [{"doc_id": "r", "missing": ["二、"], "before": "三、"}]
    whole = Corpus.from_raw([RawDocument("w", text.replace("三、", "二、").replace("四、", "三、"))])["w"]
    assert numbering_gaps(find_parts(whole)) == []


# --------------------------------------------------------------------------- a summary's practices, the genres apart


def test_a_summarys_practices_by_their_headings():
    from gkcorpus.outline.practices import find_practices_parts, names_practices

    named = ["主要做法", "活动主要做法", "主要做法及成效", "2023年推进法治政府建设的主要举措和成效", "2021年工作回顾"]
    themes = ["领导重视，周密部署", "加强宣传、营造氛围", "强化监督调度", "深入开展政务公开示范点建设",
              "加强组织领导，政务公开工作机制逐步健全完善。", "广泛宣传，营造活动氛围，增强活动效果"]
    assert all(names_practices(h) for h in named + themes)
    names = ["基本情况", "开展情况", "活动总体情况", "工作成效", "主要成效及经验", "活动体会", "存在问题", "存在的主要问题",
             "下一步工作打算", "三、下一步工作要求", "指导思想", "基本原则", "工作步骤", "公开内容及范围"]
    after = ["正视差距，补齐短板", "当前存在的困难", "乘势而上，谋划明年工作"]
    status = ["主动公开政府信息情况", "其他需要报告的事项", "2024年工作要点", "政府信息公开行政复议、行政诉讼情况"]
    assert not any(names_practices(h) for h in names + after + status + [""])
    # the first-named part decides (成效 before 做法: the results); the work done named, even as its state
    assert not names_practices("主要成效和做法") and names_practices("主要做法和成效")
    assert names_practices("2022年主要工作完成情况") and not names_practices("主要工作成效")
    # a slogan of two clauses is a theme, whatever it names; one clause naming a section is that section
    assert names_practices("守牢底线任务，巩固拓展脱贫攻坚成果") and not names_practices("巩固拓展脱贫攻坚成果")
    assert names_practices("强化组织领导，突出工作重点") and not names_practices("2024年工作重点")
    # only in a summary, only body parts with a heading
    assert find_practices_parts(["summary", "plan", "report", "unknown", "summary", "summary"],
                                ["领导重视，周密部署"] * 4 + ["", "主要做法"],
                                [True, True, True, True, True, False]) == [True, False, False, False, False, False]


def test_the_genres_parts_are_typed_in_groups_of_two_documents_or_more():
    from gkcorpus.outline.part_types import genre_groups

    assert genre_groups({"a": "plan", "b": "summary", "c": "plan", "d": "summary", "e": "summary", "f": "unknown",
                         "g": "report"}) == {"a": "plan", "b": "summary", "c": "plan", "d": "summary", "e": "summary",
                                             "f": "summary", "g": "summary"}
    assert genre_groups({"a": "report", "b": "report", "c": "unknown"}) == {"a": "report", "b": "report", "c": "report"}
    assert genre_groups({"a": "unknown", "b": "unknown"}) == {"a": "unknown", "b": "unknown"}
    # a tie: the first genre by name
    assert set(genre_groups({"a": "summary", "b": "plan", "c": "report"}).values()) == {"plan"}


def test_bundled_part_types_against_the_labels():
    """The pairwise scores of the bundled part types against the hand labels (tests/data/section_parts_bundled.csv),
    with the benchmark's own scoring; without the practices and the genres apart they were 0.482 / 0.477."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_parts.py"
    spec = importlib.util.spec_from_file_location("eval_parts", path)
    ev = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = ev
    spec.loader.exec_module(ev)
    from gkcorpus import load_bundled

    gold = ev.read_gold(Path(__file__).resolve().parent / "data" / "section_parts_bundled.csv")
    scores = [ev.evaluate("bundled", load_bundled(), gold, 5, 0, quiet=True)]
    ev.TYPER_PARAMS.update(practices=False, by_genre=False)
    try:
        scores.append(ev.evaluate("bundled", load_bundled(), gold, 5, 0, quiet=True))
    finally:
        ev.TYPER_PARAMS.clear()
    assert [(s["found"], s["labelled"], round(s["precision"], 3), round(s["recall"], 3), s["types"]) for s in scores] == [
        (66, 67, 0.871, 0.998, 7), (66, 67, 0.482, 0.477, 6)]


def test_parts_sharing_no_common_word_keep_every_word(bundled):
    """No word in ``common_df`` of the parts (short parts of many subjects, as in a corpus of summaries) used to stop
    the fit with scikit-learn's "no terms remain"; the body block then keeps every word."""
    pt = PartTyper(common_df=1.0).fit(bundled)
    assert pt.body_vectorizer_.min_df == 1 and len(pt.body_vectorizer_.vocabulary_) == 862
    assert pt.get_params()["common_df"] == 1.0 and len(pt.types_) == 8


def test_transform_reads_a_document_of_unknown_genre_as_the_fitted_main_genre(bundled):
    """A summary with no genre cue, transformed alone or beside other summaries: its themed chapters are the practices
    either way (the fitted corpus's main genre, not the batch's)."""
    pt = PartTyper().fit(bundled)
    bare = ("我局高度重视此项工作。\n一、领导重视，周密部署\n成立领导小组，制定工作方案。\n"
            "二、加强宣传，营造氛围\n发放资料2000份，接待群众300人次。")
    alone = pt.transform(Corpus.from_raw([RawDocument("x", bare)]))
    batch = pt.transform(Corpus.from_raw([RawDocument("x", bare)] + [RawDocument(d.id, d.text) for d in bundled][:3]))
    practices = pt.form_types_["practices"]
    assert alone.type.tolist()[1:] == batch.type[batch.doc_id == "x"].tolist()[1:] == [practices, practices]

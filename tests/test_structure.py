"""structure.py: headings, sections, paragraphs, sentences, list items, closing lines."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcorpus.text.structure import (
    DocStructure,
    Heading,
    chinese_numeral,
    paragraph_spans,
    parse_structure,
    sentence_spans,
)


def heads(d: DocStructure) -> list[tuple[int, str, str]]:
    return [(h.level, h.marker, h.text) for h in d.headings]


def sents(text: str, d: DocStructure, paragraph: int | None = None) -> list[str]:
    return [text[s.start : s.end] for s in d.sentences if paragraph is None or s.paragraph == paragraph]


def items(text: str, d: DocStructure) -> list[tuple[str, str]]:
    return [(x.marker, text[x.start : x.end]) for x in d.list_items]


def tree(d: DocStructure) -> list[tuple[str, str | None]]:
    return [(s.id, s.heading.marker if s.heading else None) for s in d.flat_sections()]


# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize("s,n", [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("九十九", 99)])
def test_chinese_numeral(s, n):
    assert chinese_numeral(s) == n


@pytest.mark.parametrize("s", ["", "零", "一十一", "百", "十十", "二二"])
def test_chinese_numeral_rejects(s):
    assert chinese_numeral(s) is None


# --------------------------------------------------------------------------- heading levels


@pytest.mark.parametrize(
    "line,level,marker,text",
    [
        ("一、主要做法", 1, "一、", "主要做法"),
        ("十二、其他", 1, "十二、", "其他"),
        ("一．主要做法", 1, "一．", "主要做法"),
        ("（一）加强领导", 2, "（一）", "加强领导"),
        ("(二)加强领导", 2, "(二)", "加强领导"),
        ("（三）、加强领导", 2, "（三）、", "加强领导"),
        ("1.高度重视", 3, "1.", "高度重视"),
        ("1．高度重视", 3, "1．", "高度重视"),
        ("12、高度重视", 3, "12、", "高度重视"),
        ("1. 高度重视", 3, "1.", "高度重视"),
        ("（1）宣传到位", 4, "（1）", "宣传到位"),
        ("(2)宣传到位", 4, "(2)", "宣传到位"),
        ("1、XX局20xx年工作", 3, "1、", "XX局20xx年工作"),
    ],
)
def test_heading_levels(line, level, marker, text):
    d = parse_structure(line)
    assert heads(d) == [(level, marker, text)]
    h = d.headings[0]
    assert (h.start, h.end, h.run_in) == (0, len(line), False)
    assert d.paragraphs[0].kind == "heading"


@pytest.mark.parametrize(
    "line",
    [
        "2019年全县开展了政务公开活动。",
        "5月15日，我局组织开展了活动。",
        "5.15政务公开日活动圆满结束。",
        "1.5万份宣传资料已经发放。",
        "4.2万余条次。",
        "（20xx）8号文件已印发。",
        "（8月）部署阶段。",
        "（xx）号文件。",
        "3、4月份开展了集中宣传。",
        "一、二季度工作进展顺利。",
        "一是制定方案，加强指导。",
        "第一阶段：部署阶段（8月）。按照要求部署。",
        "第一章 总则",
        "①加强领导。",
        "按照要求，一、二、三类事项均公开。",
        "20xx年5月22日",
        "一、",
        "1.",
    ],
)
def test_not_headings(line):
    d = parse_structure("前言。\n" + line)
    assert d.headings == []


def test_heading_only_at_paragraph_start():
    d = parse_structure("我们认为一、二两项最重要。（一）项已经完成。1、2项待办。")
    assert d.headings == []


# --------------------------------------------------------------------------- run-in and extent


def test_run_in_heading():
    text = "二、工作成效\n1、系统全员参与。5月初活动启动以来，全部同步开展了活动。"
    d = parse_structure(text)
    h = d.headings[1]
    assert (h.level, h.marker, h.text, h.run_in) == (3, "1、", "系统全员参与", True)
    assert text[h.start : h.end] == "1、系统全员参与"
    p = d.paragraphs[1]
    assert p.kind == "body" and p.section == "1.1"
    assert sents(text, d, 1) == ["1、系统全员参与。", "5月初活动启动以来，全部同步开展了活动。"]
    assert d.paragraphs[0].kind == "heading"


def test_pure_heading_with_full_stop():
    d = parse_structure("一、加强组织领导，政务公开工作机制逐步健全完善。\n正文。")
    h = d.headings[0]
    assert (h.text, h.run_in, h.end) == ("加强组织领导，政务公开工作机制逐步健全完善", False, 23)
    assert d.paragraphs[0].kind == "heading"


def test_long_single_sentence_numbered_line_is_a_pure_heading():
    line = "1、建立健全工作机构，落实工作经费，配备工作人员，明确责任分工，完善政府信息公开各项制度，规范公开工作流程。"
    d = parse_structure("四、具体工作\n" + line)
    assert d.headings[1].text == line[2:-1]
    assert not d.headings[1].run_in


def test_semicolon_ends_run_in_heading():
    d = parse_structure("2、耐心解答，互动交流；当日，我局主要围绕宣传低保政策展开解答。")
    assert (d.headings[0].text, d.headings[0].run_in) == ("耐心解答，互动交流", True)


def test_numbered_list_line_with_semicolon_is_heading():
    text = "三、公开内容\n1、涉及公民、法人或者其他组织切身利益的；\n2、需要社会公众广泛知晓或者参与的；"
    d = parse_structure(text)
    assert heads(d)[1:] == [(3, "1、", "涉及公民、法人或者其他组织切身利益的"), (3, "2、", "需要社会公众广泛知晓或者参与的")]
    assert all(not h.run_in for h in d.headings)


def test_bare_heading_short_is_whole_long_is_run_in_to_comma():
    short = "（一）开展政务公开现场咨询活动"
    d = parse_structure(short)
    assert (d.headings[0].text, d.headings[0].run_in) == ("开展政务公开现场咨询活动", False)
    long = "（二）高度重视，" + "认真组织各部门开展宣传活动并及时总结经验" * 3
    d = parse_structure(long)
    assert (d.headings[0].text, d.headings[0].run_in) == ("高度重视", True)
    exactly40 = "1、" + "字" * 40
    assert parse_structure(exactly40).headings[0].text == "字" * 40
    d = parse_structure("1、" + "字" * 41)  # long, no comma: the whole line
    assert d.headings[0].text == "字" * 41


def test_run_in_heading_ends_at_a_lost_line_break():
    """A space between two Han characters in a run-in heading is a lost line break: the heading ends there."""
    text = "三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展，既要靠坚持正确的建设方针。把两者结合起来。"
    h = parse_structure(text).headings[0]
    assert (h.text, h.run_in, text[h.start:h.end]) == ("深入改革经济体制和扩大对外开放", True, "三、深入改革经济体制和扩大对外开放")
    # not after three characters or fewer, not after punctuation, not between Latin words, not in a pure heading
    assert parse_structure("一、关于 规划的说明，我们认为很好。其他内容。").headings[0].text == "关于 规划的说明，我们认为很好"
    assert parse_structure("一、稳增长， 促改革取得成效。其他内容。").headings[0].text == "稳增长， 促改革取得成效"
    assert parse_structure("一、落实WTO 规则要求的各项承诺。其他内容。").headings[0].text == "落实WTO 规则要求的各项承诺"
    assert parse_structure("一、2025年 工作回顾\n正文。").headings[0].text == "2025年 工作回顾"
    # the last space before the first clause break; a heading with 、 or quotes; a sentence opening on a year
    for line, head in (("三、加强作风建设 全面从严治政 今年要着力转变作风，提高效能。其他。", "加强作风建设 全面从严治政"),
                       ("二、稳增长、促改革、调结构 今年以来，我们坚持稳中求进。其他。", "稳增长、促改革、调结构"),
                       ("一、抓好“六稳” 过去一年，我们顶住压力。其他。", "抓好“六稳”"),
                       ("一、2023年工作回顾 2023年，面对复杂形势，我们迎难而上。其他。", "2023年工作回顾")):
        assert parse_structure(line).headings[0].text == head
    # nor between the halves of a slogan: what follows the space must read as a sentence (longer, with a comma)
    assert parse_structure("1、领导重视 周密部署。成立了领导小组，明确了分工。").headings[0].text == "领导重视 周密部署"
    assert parse_structure("1、领导重视 周密部署 狠抓落实。成立了领导小组。").headings[0].text == "领导重视 周密部署 狠抓落实"


def test_heading_text_keeps_book_title_and_quotes():
    d = parse_structure("（一）学习《条例。细则》精神\n（二）开展“政务公开日”活动。活动很好。")
    assert heads(d) == [(2, "（一）", "学习《条例。细则》精神"), (2, "（二）", "开展“政务公开日”活动")]


def test_heading_trailing_colon_stripped():
    assert parse_structure("一、主要做法：").headings[0].text == "主要做法"


# --------------------------------------------------------------------------- sections


def test_nesting_by_relative_order():
    text = "\n".join(["一、甲", "1、子一", "2、子二", "二、乙", "（一）丙", "1.丁", "（1）戊", "（二）己", "三、庚"])
    d = parse_structure(text)
    assert tree(d) == [
        ("1", "一、"),
        ("1.1", "1、"),
        ("1.2", "2、"),
        ("2", "二、"),
        ("2.1", "（一）"),
        ("2.1.1", "1."),
        ("2.1.1.1", "（1）"),
        ("2.2", "（二）"),
        ("3", "三、"),
    ]
    assert [p.section for p in d.paragraphs] == ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.1.1.1", "2.2", "3"]
    assert d.section_by_id("2.1.1").level == 3
    assert [s.id for s in d.section_path("2.1.1.1")] == ["2", "2.1", "2.1.1", "2.1.1.1"]


def test_document_starting_deep_then_higher_level():
    d = parse_structure("1、甲。\n2、乙。\n一、丙\n（1）丁")
    assert tree(d) == [("1", "1、"), ("2", "2、"), ("3", "一、"), ("3.1", "（1）")]


def test_section_spans_and_body():
    text = "前言第一段。\n前言第二段。\n一、甲\n正文甲。\n1、子。子正文。\n正文子二。\n二、乙\n正文乙。"
    d = parse_structure(text)
    pre, s1, s2 = d.sections
    assert pre.id == "" and pre.heading is None and pre.level == 0
    assert text[pre.start : pre.end] == "前言第一段。\n前言第二段。"
    assert text[s1.start : s1.end] == "一、甲\n正文甲。\n1、子。子正文。\n正文子二。"
    assert text[s1.children[0].start : s1.children[0].end] == "1、子。子正文。\n正文子二。"
    assert text[s2.start : s2.end] == "二、乙\n正文乙。"
    assert [p.section for p in d.paragraphs] == ["", "", "1", "1", "1.1", "1.1", "2", "2"]
    assert [p.kind for p in d.paragraphs] == ["body", "body", "heading", "body", "body", "body", "heading", "body"]


def test_no_headings_one_preamble_section():
    text = "第一段。\n第二段。"
    d = parse_structure(text)
    assert [(s.id, s.heading, s.start, s.end) for s in d.sections] == [("", None, 0, len(text))]
    assert d.section_by_id("") is d.sections[0]


def test_no_preamble_when_text_starts_with_heading():
    d = parse_structure("一、甲\n正文。")
    assert [s.id for s in d.sections] == ["1"]
    with pytest.raises(KeyError):
        d.section_by_id("")


def test_empty_and_blank_text():
    for text in ("", "\n", "  \n\u3000\n"):
        d = parse_structure(text)
        assert d.paragraphs == [] and d.sections == [] and d.sentences == [] and d.closing == []


# --------------------------------------------------------------------------- paragraphs


def test_paragraph_spans_skip_blank_lines_and_surrounding_space():
    text = "  甲。 \n\n\u3000乙\n"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["甲。", "乙"]
    d = parse_structure(text)
    assert [p.index for p in d.paragraphs] == [0, 1]


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    "para,expected",
    [
        ("甲。乙！丙？丁；戊", ["甲。", "乙！", "丙？", "丁；", "戊"]),
        ("宣传标语4.2万余条次；5月15日开展了5.15活动。", ["宣传标语4.2万余条次；", "5月15日开展了5.15活动。"]),
        ("按照《关于印发方案。的通知》要求，开展活动。后续。", ["按照《关于印发方案。的通知》要求，开展活动。", "后续。"]),
        ("他说：“要努力。”大家同意。", ["他说：“要努力。”", "大家同意。"]),
        ("主题是“什么是营商环境？优化的意义；反馈渠道！”为企业普及。", ["主题是“什么是营商环境？优化的意义；反馈渠道！”", "为企业普及。"]),
        ("真的吗？！是的。。好", ["真的吗？！", "是的。。", "好"]),
        ("甲。 乙。", ["甲。 ", "乙。"]),
        ("（详见附件。）下一句。", ["（详见附件。）", "下一句。"]),
        ("落实“五个落实”即：落实分管领导；落实专门机构。", ["落实“五个落实”即：落实分管领导；", "落实专门机构。"]),
        ("开展“5.15政务公开“活动。总结如下：", ["开展“5.15政务公开“活动。", "总结如下："]),
        ("没有终止符", ["没有终止符"]),
        ("见 index.php?id=3 页面。好", ["见 index.php?id=3 页面。", "好"]),
        ("。", ["。"]),
    ],
)
def test_sentence_splitting(para, expected):
    assert [para[a:b] for a, b in sentence_spans(para)] == expected
    d = parse_structure(para)
    assert sents(para, d) == expected


def test_sentences_never_cross_paragraphs():
    text = "甲，乙\n丙。丁"
    d = parse_structure(text)
    assert [(text[s.start : s.end], s.paragraph) for s in d.sentences] == [("甲，乙", 0), ("丙。", 1), ("丁", 1)]
    assert [s.index for s in d.sentences] == [0, 1, 2]


def test_sentence_sections_follow_paragraphs():
    text = "前言。\n一、甲\n正文。正文二。\n中山区葵英街道办事处\n20xx年5月22日"
    d = parse_structure(text)
    assert [(s.paragraph, s.section) for s in d.sentences] == [(0, ""), (1, "1"), (2, "1"), (2, "1"), (3, ""), (4, "")]


# --------------------------------------------------------------------------- list items


def test_enumeration_paragraphs_are_list_items_not_headings():
    text = "一、主要做法\n一是制定方案，加强指导。根据要求制定了方案。\n二是广泛宣传，营造氛围。积极宣传。\n三是精心组织。"
    d = parse_structure(text)
    assert heads(d) == [(1, "一、", "主要做法")]
    assert items(text, d) == [
        ("一是", "一是制定方案，加强指导。根据要求制定了方案。"),
        ("二是", "二是广泛宣传，营造氛围。积极宣传。"),
        ("三是", "三是精心组织。"),
    ]
    assert [x.paragraph for x in d.list_items] == [1, 2, 3]
    assert [p.kind for p in d.paragraphs] == ["heading", "body", "body", "body"]
    assert {p.section for p in d.paragraphs} == {"1"}


def test_inline_enumeration():
    text = "我局建立了制度：一是领导责任制，主要领导负总责；二是长效机制；三是加强制度建设。"
    d = parse_structure(text)
    assert items(text, d) == [
        ("一是", "一是领导责任制，主要领导负总责；"),
        ("二是", "二是长效机制；"),
        ("三是", "三是加强制度建设。"),
    ]


def test_inline_enumeration_after_run_in_heading():
    text = "（三）完善制度，规范公开。我乡建立了制度：一是领导责任制；二是长效机制。"
    d = parse_structure(text)
    assert [m for m, _ in items(text, d)] == ["一是", "二是"]
    assert d.headings[0].text == "完善制度，规范公开"


def test_enumeration_false_positives():
    # 统一是 / 唯一是: not at a boundary; a lone inline 一是 or 二是 is not a list
    for text in ("规范统一是关键，唯一是目标。", "原因，一是时间紧。", "另外，二是不行。", "第一时间处理。"):
        assert parse_structure(text).list_items == [], text


def test_enumeration_continues_across_paragraphs_and_restarts():
    text = "一是甲。\n二是乙。\n前言，三是丙。\n一、标题\n要点：一是丁；二是戊。"
    d = parse_structure(text)
    assert [(x.marker, x.paragraph) for x in d.list_items] == [("一是", 0), ("二是", 1), ("三是", 2), ("一是", 4), ("二是", 4)]


def test_ordinal_and_stage_items():
    text = "第一，统一思想。第二，加强领导。\n三、工作步骤\n第一阶段：部署阶段（8月）。按照方案部署。\n第二阶段：实施阶段（9-10月）。全面推进。"
    d = parse_structure(text)
    assert [(x.marker, x.paragraph) for x in d.list_items] == [("第一", 0), ("第二", 0), ("第一阶段", 2), ("第二阶段", 3)]
    assert heads(d) == [(1, "三、", "工作步骤")]
    assert [p.section for p in d.paragraphs] == ["", "1", "1", "1"]
    assert sents(text, d, 3) == ["第二阶段：实施阶段（9-10月）。", "全面推进。"]


# --------------------------------------------------------------------------- closing lines


def test_closing_signature_and_date():
    text = "一、甲\n正文。\n中山区葵英街道办事处\n20xx年5月22日"
    d = parse_structure(text)
    assert [text[p.start : p.end] for p in d.closing] == ["中山区葵英街道办事处", "20xx年5月22日"]
    assert [p.kind for p in d.paragraphs] == ["heading", "body", "closing", "closing"]
    assert [p.section for p in d.closing] == ["", ""]
    s1 = d.section_by_id("1")
    assert text[s1.start : s1.end] == "一、甲\n正文。"


@pytest.mark.parametrize(
    "tail,n",
    [
        ("2019年5月22日", 1),
        ("二〇一九年五月二十二日", 1),
        ("XX县卫计委\n20xx年5月", 2),
        ("2019.5.22", 1),
        ("XX县人民政府办公室", 1),  # no date: organisation-like ending is enough
        ("再上新台阶", 0),  # short, but neither date nor organisation
        ("特此报告。", 0),
        ("三、工作打算", 0),  # a heading is never closing
    ],
)
def test_closing_variants(tail, n):
    text = "前言。\n正文。\n" + tail
    d = parse_structure(text)
    assert len(d.closing) == n
    assert all(p.kind == "closing" for p in d.closing)


def test_preamble_never_covers_closing():
    text = "正文。\nXX局\n2019年5月"
    d = parse_structure(text)
    assert len(d.sections) == 1 and text[d.sections[0].start : d.sections[0].end] == "正文。"


# --------------------------------------------------------------------------- records


def test_records_are_frozen_and_serialisable():
    text = "前言。\n一、甲\n1、乙。正文：一是丙；二是丁。\nXX局\n2019年5月"
    d = parse_structure(text)
    with pytest.raises(AttributeError):
        d.headings[0].level = 2  # type: ignore[misc]
    blob = json.dumps(d.to_dict(), ensure_ascii=False)
    back = DocStructure.from_dict(json.loads(blob))
    assert back == d
    assert isinstance(back.headings[0], Heading)
    assert [s.id for s in d.flat_sections()] == ["", "1", "1.1"]


# --------------------------------------------------------------------------- property


_ALPHABET = st.sampled_from(
    list("甲乙丙政务公开。！？；，：、“”‘’《》（）()【】 \u3000\n5.1xX") + ["一、", "（一）", "1、", "1.", "（1）", "一是", "二是", "第一，", "20xx年5月22日", "\n中山区办事处"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_property_sentences_tile_paragraphs(text):
    d = parse_structure(text)
    spans = paragraph_spans(text)
    assert [(p.start, p.end) for p in d.paragraphs] == spans
    # every non-whitespace character is in exactly one paragraph
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    for p in d.paragraphs:
        para = text[p.start : p.end]
        assert "\n" not in para and para == para.strip()
        ss = [s for s in d.sentences if s.paragraph == p.index]
        assert ss and ss[0].start == p.start and ss[-1].end == p.end
        assert all(a.end == b.start for a, b in zip(ss, ss[1:]))
        assert "".join(text[s.start : s.end] for s in ss) == para
        assert all(text[s.start : s.end].strip() for s in ss)
        assert all(s.section == p.section for s in ss)
    assert [s.index for s in d.sentences] == list(range(len(d.sentences)))
    by_index = {p.index: p for p in d.paragraphs}
    for h in d.headings:
        p = next(p for p in d.paragraphs if p.start == h.start)
        assert h.end <= p.end and h.text and text[h.start : h.end].endswith(h.text)
        assert p.kind == ("body" if h.run_in else "heading")
    ids = [s.id for s in d.flat_sections()]
    assert len(ids) == len(set(ids))
    for s in d.flat_sections():
        assert s.start < s.end
        for c in s.children:
            assert s.start <= c.start and c.end <= s.end and c.level > s.level
            assert c.id.startswith(s.id + ".")
    for x in d.list_items:
        p = by_index[x.paragraph]
        assert p.start <= x.start < x.end <= p.end and text[x.start :].startswith(x.marker)
    for p in d.closing:
        assert p.kind == "closing" and p.section == ""
        assert not any(s.start <= p.start < s.end for s in d.flat_sections())


# --------------------------------------------------------------------------- the bundled summaries
# (the hand-written expected headings, sections and sentences are in test_golden_structure.py)


def test_bundled_sentences_tile_every_paragraph(bundled):
    for doc in bundled:
        st_ = doc.structure
        for p in st_.paragraphs:
            ss = [s for s in st_.sentences if s.paragraph == p.index]
            assert "".join(doc.text[s.start : s.end] for s in ss) == doc.text[p.start : p.end]


def test_a_table_of_contents_holds_no_headings():
    """The contents after 目录 (or heading lines all repeated later) are not the document's sections: the
    headings are those of the body."""
    body = "各位代表：\n现在报告工作。\n一、总任务\n正文一段。\n二、五年计划\n（一）关于工业\n正文二段。\n"
    with_cue = parse_structure("报告\n目录\n一、总任务\n二、五年计划\n（一）关于工业\n三、为完成计划而奋斗\n" + body)
    assert heads(with_cue) == [(1, "一、", "总任务"), (1, "二、", "五年计划"), (2, "（一）", "关于工业")]
    assert [p.kind for p in with_cue.paragraphs[:6]] == ["body"] * 6
    repeated = parse_structure("报告\n一、总任务\n二、五年计划\n" + body)
    assert heads(repeated) == [(1, "一、", "总任务"), (1, "二、", "五年计划"), (2, "（一）", "关于工业")]
    # consecutive headings of the body itself (a chapter opening on its first sub-heading) stay headings
    nested = parse_structure("一、主要做法\n（一）加强领导\n正文。\n（二）加强宣传\n正文。")
    assert heads(nested) == [(1, "一、", "主要做法"), (2, "（一）", "加强领导"), (2, "（二）", "加强宣传")]

"""Slot typing: values seen in the summaries and the national reports get the right types."""

from __future__ import annotations

import pytest

from gkcorpus.templates.slots import (
    base_type,
    classify,
    common_affix,
    find_entities,
    parse_number,
    slot_name,
    slot_pattern,
    slot_type,
)


@pytest.mark.parametrize(
    "value, kind",
    [
        ("100", "NUM"),
        ("五十余人", "NUM"),
        ("近20万份", "NUM"),
        ("4.2万余条次", "NUM"),
        ("20余场次", "NUM"),
        ("1800余份", "NUM"),
        ("百余册", "NUM"),
        ("两周", "NUM"),
        ("100%", "PERCENT"),
        ("8.5％", "PERCENT"),
        ("5月15日", "DATE"),
        ("20xx年", "DATE"),
        ("第十二届", "DATE"),
        ("5·15", "DATE"),
        ("5.15", "DATE"),
        ("今年5月15日", "DATE"),
        ("2019年5月22日", "DATE"),
        ("5月14至16日", "DATE"),
        ("9-10月", "DATE"),
        ("一九四九年", "DATE"),
        ("XX", "PLACEHOLDER"),
        ("20xx", "PLACEHOLDER"),
        ("xxxx", "PLACEHOLDER"),
        ("《中华人民共和国政府信息公开条例》", "DOC_TITLE"),
        ("“政务公开日”", "QUOTE"),
        ("XX卫计委", "ORG"),
        ("葵英街道办事处", "ORG"),
        ("区文体局", "ORG"),
        ("我镇", "ORG"),
        ("政务服务中心", "ORG"),
        ("皇姑区职工广场", "PLACE"),
        ("本地区", "PLACE"),
        ("全县", "PLACE"),
        ("政务公开", "TEXT"),
        ("此次活动开展情况", "TEXT"),
        ("", "TEXT"),
    ],
)
def test_classify(value, kind):
    assert classify(value) == kind


def test_four_point_two_is_a_number_but_five_point_fifteen_a_date():
    assert classify("4.2万") == "NUM"
    assert classify("5.15") == "DATE"
    assert classify("12.31") == "DATE"
    assert classify("1.42") == "NUM" and classify("13.05") == "NUM"  # no day 42, no month 13


@pytest.mark.parametrize(
    "value, number",
    [("100余人", 100), ("五十余人", 50), ("近20万份", 200000), ("4.2万余条次", 42000), ("百余册", 100),
     ("100%", 100), ("两周", 2), ("一千八百", 1800)],
)
def test_parse_number(value, number):
    assert parse_number(value) == pytest.approx(number)


def test_parse_number_without_a_number():
    assert parse_number("政务公开") is None


def test_large_amounts_and_the_full_width_point():
    # 万亿 multiplies twice; 13．65 is written with a full-width point in several reports
    assert parse_number("24.66万亿元") == pytest.approx(2.466e13)
    assert parse_number("13．65万亿元") == pytest.approx(1.365e13)
    from gkcorpus.templates.frame_slots import value_type
    from gkcorpus.templates.slots import NUM_RE

    # 万 or 亿 alone is a unit: a slot cannot take 亿元 as its number and leave the figure to the text before
    assert not NUM_RE.fullmatch("亿元") and not NUM_RE.fullmatch("万亿元") and NUM_RE.fullmatch("13．65万亿元")
    assert value_type("亿元") == "TEXT" and value_type("13．65万亿元") == "MONEY" and value_type("百余册") == "NUM"


def test_slot_type_uses_the_brackets_and_the_values():
    assert slot_type(["市人民政府办公室关于开展第十二届活动的通知", "关于印发方案的通知"], "按照《", "》要求") == "DOC_TITLE"
    assert slot_type(["政务公开日", "政务公开宣传日"], "开展了“", "”活动") == "QUOTE"
    assert slot_type(["习近平", "胡锦涛"], "以", "同志为总书记") == "PERSON"
    assert slot_type(["100", "300"]) == "NUM"
    assert slot_type(["我镇", "本地区"]) == "PLACE"  # an organisation and a place: the place
    assert slot_type(["100", "很多"]) == "TEXT"
    assert slot_type(["", "100"]) == "NUM"  # empty values do not decide
    assert slot_type([]) == "TEXT"


def test_slot_name_gives_free_text_a_role_from_its_context():
    assert slot_name("TEXT", "现将", "总结如下") == "TOPIC"
    assert slot_name("TEXT", "现就今年", "工作总结如下") == "TOPIC"
    assert slot_name("TEXT", "在", "的活动当天") == "TEXT"
    assert slot_name("NUM", "现将", "总结如下") == "NUM"


def test_base_type():
    assert base_type("NUM_2") == "NUM"
    assert base_type("TOPIC") == "TEXT"
    assert base_type("DATE") == "DATE"


def test_slot_patterns_accept_their_values():
    import re

    assert re.fullmatch(slot_pattern("NUM"), "4.2万余条次")
    assert re.fullmatch(slot_pattern("DATE"), "5月15日")
    assert not re.fullmatch(slot_pattern("DATE"), "政务公开")
    assert re.fullmatch(slot_pattern("DOC_TITLE"), "中华人民共和国政府信息公开条例")
    assert not re.fullmatch(slot_pattern("DOC_TITLE"), "条例》和《办法")
    assert re.fullmatch(slot_pattern("TEXT", clause=True), "我镇") and not re.fullmatch(slot_pattern("TEXT", clause=True), "我镇，全县")
    assert re.fullmatch(slot_pattern("TEXT", allow_empty=True), "")
    assert not re.fullmatch(slot_pattern("TEXT"), "")


def test_find_entities_in_running_text():
    text = "发放各类宣传资料、折页等近20万份；利用户外大屏，滚动播出标语4.2万余条次；5月15日，XX卫计委在县城，统一一站式"
    found = [(text[s:e], k) for s, e, k in find_entities(text)]
    assert found == [("近20万份", "NUM"), ("4.2万余条次", "NUM"), ("5月15日", "DATE"), ("XX", "PLACEHOLDER")]


def test_find_entities_restricted_to_values_sees_the_date_inside_a_quote():
    text = "关于“5.15政务公开日”活动"
    assert [k for _, _, k in find_entities(text)] == ["QUOTE"]
    assert [(text[s:e], k) for s, e, k in find_entities(text, ("DATE", "NUM"))] == [("5.15", "DATE")]


def test_common_affix():
    assert common_affix(["100余人", "300余人"], suffix=True) == "00余人"
    assert common_affix(["现将工作", "现将活动"], suffix=False) == "现将"
    assert common_affix([], suffix=False) == ""


@pytest.mark.parametrize("kind", ["NUM", "PERCENT", "DATE", "PLACEHOLDER", "DOC_TITLE", "QUOTE", "TEXT", "ORG"])
@pytest.mark.parametrize("allow_empty", [False, True])
@pytest.mark.parametrize("clause", [False, True])
def test_slot_constraint_accepts_what_the_slot_pattern_accepts(kind, allow_empty, clause):
    import re

    from gkcorpus.templates.slots import slot_constraint

    pattern = slot_pattern(kind, allow_empty=allow_empty, clause=clause)
    if allow_empty and kind in ("NUM", "PERCENT", "DATE", "PLACEHOLDER"):
        pattern = f"((?:{pattern[1:-1]})?)"  # as a template's regex writes an optional closed slot
    rx = re.compile(pattern, re.S)
    c = slot_constraint(kind, allow_empty=allow_empty, clause=clause)
    values = ["", "100", "五十余人", "4.2万余条次", "98.5％", "5月15日", "20xx年", "5.15", "XX", "xxxx",
              "政务公开", "《条例》", "条例》和《办法", "政务公开日", "我镇，全县", "葵英街道办事处", "a\nb"]
    for v in values:
        if c[0] == "class":
            ok = (bool(v) or c[2]) and not any(ch in c[1] for ch in v)
        else:
            ok = (not v and c[2]) or c[1].fullmatch(v) is not None
        assert ok == (rx.fullmatch(v) is not None), (kind, v)
    assert (c[0] == "pattern") == (kind in ("NUM", "PERCENT", "DATE", "PLACEHOLDER"))
    assert c[0] != "pattern" or c[3] == (kind == "DATE")  # only DATE looks past its value: (?!\d)


def test_find_entities_finds_each_kind_alone_and_nothing_in_plain_text():
    samples = {"DOC_TITLE": "《条例》", "QUOTE": "“政务公开日”", "PERCENT": "百分之九十", "DATE": "第十二届",
               "PLACEHOLDER": "XX", "NUM": "五十余人"}
    for kind, value in samples.items():
        assert find_entities(value) == [(0, len(value), kind)]
    assert find_entities("深入推进政务公开工作") == []
    assert find_entities("百分之九十的群众") == [(0, 5, "PERCENT")]

"""Sentence frames over clauses: mining on the bundled summaries and the national reports, typed
slots, the extraction tables, the library round trip and the CLI."""

from __future__ import annotations

import json

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcorpus.templates.frame_slots import frame_slot_type, trim_value, value_type
from gkcorpus.templates.frame_filters import repeats_last
from gkcorpus.templates.frame_model import rank_tier, says_one_thing, terms_in_context, too_little_fixed
from gkcorpus.templates.frames import Frame, FrameMiner, clause_spans, is_construction, load_library, match_table, wide_table
from gkcorpus.templates import Slot, render
from gkcorpus.templates.model import template_id


@pytest.fixture(scope="module")
def frames(bundled):
    return FrameMiner().fit(bundled)


def _find(lib, text):
    hits = [t for t in lib if t.template == text]
    assert hits, f"no frame {text!r}"
    return hits[0]


# --------------------------------------------------------------------------- clauses


def test_clauses_cut_outside_quotations_and_drop_enumerators():
    core = "一是以“解决群众‘办事难’，打造最优营商环境”为主题，二是发放宣传资料、折页等近20万份；请予审议"
    assert [core[a:b] for a, b in clause_spans(core)] == [
        "以“解决群众‘办事难’，打造最优营商环境”为主题", "发放宣传资料、折页等近20万份", "请予审议"]


def test_near_variants_differ_in_one_short_word():
    from gkcorpus.templates.frame_filters import _GAP as g, _one_substitution, is_choice

    assert _one_substitution(f"{g}表示诚挚的感谢", f"{g}表示衷心的感谢", 3) == ["", "表示", "的感谢"]
    assert _one_substitution(f"{g}表示{g}的感谢", f"{g}表示诚挚{g}感谢", 3) == ["", "表示", "感谢"]
    assert _one_substitution(f"{g}严厉打击刑事犯罪", f"{g}依法打击经济犯罪", 3) is None  # more than one word
    docs = ["a", "b", "c", "d", "e", "f"]
    assert is_choice(["诚挚的", "衷心的", "深切的", "诚挚的", "", "衷心的", "深切的"], docs + ["a"])
    assert not is_choice(["诚挚的", "衷心的", "", "诚挚的", "衷心的", "深切的"], docs)  # 深切的: a fifth, once
    assert is_choice(["诚挚的"] * 5 + ["衷心的"] * 5 + ["深切的"], list("abcdeabcdea"))  # once in eleven
    assert not is_choice(["各种", "刑事", "严重", "经济", "走私", "刑事"], docs)  # a modifier of many kinds
    assert not is_choice(["邓小平理论", "邓小平理论", "“三个代表”重要思想"], docs[:3])  # phrases, not words


# --------------------------------------------------------------------------- the bundled summaries


@pytest.mark.parametrize("text, docs", [
    ("{TEXT}为此次活动的有序开展奠定了良好的基础", ["summary-02", "summary-10"]),
    ("以“{TEXT}营商环境”为主题", ["summary-04", "summary-09"]),
    ("发放{TEXT}{NUM}", ["summary-01", "summary-06", "summary-08", "summary-10", "summary-12"]),
    ("{TEXT}召开专题会议{TEXT_2}", ["summary-09", "summary-11", "summary-12"]),
    ("{TEXT}活动给予了充分的重视{TEXT_2}", ["summary-02", "summary-02", "summary-10"]),
    ("此次活动共接访群众{NUM}余人", ["summary-02", "summary-10"]),
])
def test_bundled_frames_with_all_their_instances(frames, text, docs):
    t = _find(frames.library_, text)
    assert sorted(i.doc_id for i in t.instances) == docs
    assert t.support == len(set(docs))


def test_bundled_numbers_are_typed_and_whole(frames):
    t = _find(frames.library_, "发放{TEXT}{NUM}")
    assert [s.type for s in t.slots] == ["TEXT", "NUM"]
    assert t.slots[1].values == ["1800余份", "55本", "800份", "百余册", "近20万份"]
    assert _find(frames.library_, "此次活动共接访群众{NUM}余人").slots[0].values == ["100", "300"]


def test_instances_fill_back_to_their_spans(frames, bundled):
    for t in frames.library_:
        assert t.support >= frames.min_docs_
        for i in t.instances:
            assert t.fill(i.slot_values) == bundled[i.doc_id].text[i.start:i.end]
            assert i.sentence == bundled[i.doc_id].text[i.start - i.sentence.find(bundled[i.doc_id].text[i.start:i.end]):][:len(i.sentence)]


def test_slot_values_never_start_or_end_with_punctuation_or_an_enumerator(frames):
    for t in frames.library_:
        for s in t.slots:
            for v in s.values:
                assert v[0] not in "，；：。、" and v[-1] not in "，；：。、", (t.template, v)
                assert not v.startswith(("一是", "二是", "三是")), (t.template, v)


def test_library_round_trip_and_cli(frames, bundled, tmp_path, capsys):
    from gkcorpus.cli import main

    path = tmp_path / "frames.json"
    frames.library_.save(path)
    lib = load_library(path)
    assert all(isinstance(t, Frame) for t in lib)
    assert [t.template for t in lib] == [t.template for t in frames.library_]
    a = match_table(frames.library_, bundled)
    b = match_table(lib, bundled)
    assert a.equals(b)
    assert main(["templates", "extract", "-o", str(tmp_path / "out")]) == 0
    assert "frames" in capsys.readouterr().out
    saved = json.loads((tmp_path / "out" / "frames.json").read_text(encoding="utf-8"))
    # the same frames; the command gives the miner the shared passages, as mine does: the sentences copied
    # between the summaries rank with the fixed strings
    assert sorted(d["template"] for d in saved) == sorted(t.template for t in frames.library_)
    assert [d["template"] for d in saved if d.get("copied")] == [
        "促进{TEXT}经济社会在新的更高起点上实现大发展快发展", "结合{TEXT}实际，我镇按照要求组织开展“5.15政务公开日”主题活动",
        "{TEXT}给予认真的记录和耐心的解答", "完善政府信息公开{TEXT}",
        "创新政务公开载体，拓展政务公开渠道，把{TEXT}的政务公开工作进一步推向深入，不断提高政务公开工作质量"]
    assert main(["templates", "match", str(tmp_path / "out" / "frames.json"), "-o", str(tmp_path / "m")]) == 0
    assert main(["templates", "extract", "--min-docs", "0", "-o", str(tmp_path / "bad")]) == 1


def test_match_table_rows(frames, bundled):
    table = match_table(frames.library_, bundled)
    rows = table[table["frame"] == "发放{TEXT}{NUM}"]
    assert sorted(rows["doc_id"]) == ["summary-01", "summary-06", "summary-08", "summary-10", "summary-12"]
    row = rows[rows["doc_id"] == "summary-10"].iloc[0]
    assert row["slot_values"] == {"TEXT": "宣传单和宣传手册", "NUM": "1800余份"}
    assert bundled["summary-10"].raw[row["raw_start"]:row["raw_end"]]  # raw offsets point into the raw text


# --------------------------------------------------------------------------- slot types


@pytest.mark.parametrize("value, kind", [
    ("7%", "PERCENT"), ("4.5％", "PERCENT"), ("1.2万亿元", "MONEY"), ("2018年", "YEAR"), ("5月15日", "DATE"),
    ("1800余份", "NUM"), ("百余册", "NUM"), ("广东省", "PLACE"), ("北京", "PLACE"), ("财政部", "ORG"),
    ("乡村", "TEXT"), ("城乡", "TEXT"), ("小组", "TEXT"), ("扎实推进乡村", "TEXT"),
    ("一个", "TEXT"), ("两项", "TEXT"), ("八十", "NUM"), ("20万份", "NUM"),
    # a bound and a range belong to the quantity
    ("8％左右", "PERCENT"), ("6.5%－7%", "PERCENT"), ("900万人以上", "NUM"), ("3000亿元左右", "MONEY"),
    ("百分之四至百分之五", "PERCENT"),
])
def test_value_types(value, kind):
    assert value_type(value) == kind


@pytest.mark.parametrize("value, after, kind", [
    # a number before the frame's unit is a quantity, whatever its shape: 1.42 is not the date 1.42
    ("1.42", "万亿美元", "MONEY"), ("1．15", "万亿美元", "MONEY"), ("8500", "亿元", "MONEY"), ("727", "万人", "NUM"),
    ("1.42", "", "NUM"), ("5.15", "", "DATE"), ("5.15", "政务公开日", "DATE"),
    # 多 or 余 before 万, 亿
    ("4800多万", "", "NUM"), ("300余万人", "", "NUM"), ("2018", "年", "NUM"),
])
def test_value_types_by_the_unit_after(value, after, kind):
    assert value_type(value, after=after) == kind


def test_a_range_is_not_one_quantity_of_a_table():
    from gkcorpus.templates.frame_slots import split_quantity

    assert split_quantity("百分之十二点五") == ("十二点五", "%")
    assert split_quantity("百分之四至百分之五") is None and split_quantity("6.5%－7%") is None


def test_one_place_word_throughout_is_not_a_place_slot():
    assert value_type("美丽") == "PLACE"  # jieba's place tag (ns), as the segmenter has it
    assert frame_slot_type(["美丽", "美丽", "美丽"]) == "TEXT"  # 和谐{美丽}: the tag alone
    assert frame_slot_type(["北京", "上海", "北京"]) == "PLACE"
    assert frame_slot_type(["国务院", "国务院"]) == "ORG"


def test_an_organisation_suffix_inside_a_common_word_is_not_one():
    assert value_type("战略布局") == "TEXT" and value_type("大局") == "TEXT"
    assert value_type("教育局") == "ORG" and value_type("居民委员会") == "ORG" and value_type("理事会") == "ORG"


@pytest.mark.parametrize("value, cut", [
    ("共完成4000", 3), ("实际增长8.5％", 4), ("完成四千四百五十一", 2), ("增加三十亿元", 2),
    ("一一", None), ("房屋达九", None), ("统一", None), ("达到5 1 6 0 元", None),
    ("解决4800多万", 2), ("总额达到1.42", 4),
])
def test_quantity_at_the_end_of_a_value(value, cut):
    from gkcorpus.templates.frame_retype import quantity_tail

    assert quantity_tail(value) == cut


def test_quantity_at_the_start_of_a_value():
    from gkcorpus.templates.frame_retype import quantity_head

    assert quantity_head("900万人以上的目标") == 7
    assert quantity_head("8%左右，") == 4
    assert quantity_head("一些地方") is None


def test_slots_retyped_and_numbers_split_on_matched_values():
    from gkcorpus.templates.frame_retype import retyped
    from gkcorpus.templates.model import Instance

    def frame(text, slots, rows):
        f = Frame("x", text, [Slot(n, ty, [], 0) for n, ty in slots], [], True, True)
        f.instances = [Instance("d", "u", "", 0, 0, 0, 0, dict(r)) for r in rows]
        return f

    level = frame("国内生产总值{TEXT}{NUM}", [("TEXT", "TEXT"), ("NUM", "NUM")],
                  [{"TEXT": "达到", "NUM": "13．65万亿元"}, {"TEXT": "", "NUM": "47．2万亿元"}])
    invest = frame("{TEXT}全社会固定资产投资{TEXT_2}亿元", [("TEXT", "TEXT"), ("TEXT_2", "TEXT")],
                   [{"TEXT": "今年", "TEXT_2": "共完成4000"}, {"TEXT": "", "TEXT_2": "规模要比上年压缩920"}])
    rate = frame("国内生产总值增长{NUM}%左右", [("NUM", "NUM")], [{"NUM": "8"}, {"NUM": "7.5"}])
    free = frame("以{TEXT}为指导", [("TEXT", "TEXT")], [{"TEXT": "科学发展观"}, {"TEXT": "产业政策"}])
    trade = frame("进出口{TEXT}万亿美元", [("TEXT", "TEXT")],
                  [{"TEXT": "总额达到1.42"}, {"TEXT": "贸易总额1．15"}, {"TEXT": "总额2.56"}])
    water = frame("{TEXT}农村人口饮水安全问题", [("TEXT", "TEXT")],
                  [{"TEXT": "解决了9748万"}, {"TEXT": "解决4800多万"}, {"TEXT": "又解决6434万"}])
    # 年 after a number slot of four-digit years joins it; a number that is not a year leaves it
    year = frame("{NUM}年经济社会发展总体要求和政策取向", [("NUM", "NUM")], [{"NUM": "2018"}, {"NUM": "2019"}])
    count = frame("已连续{NUM}年增长", [("NUM", "NUM")], [{"NUM": "12"}, {"NUM": "2019"}])
    out = {k: f.template for k, f in retyped([level, invest, rate, free, trade, water, year, count])}
    assert out == {0: "国内生产总值{TEXT}{MONEY}", 1: "{TEXT}全社会固定资产投资{TEXT_2}{MONEY}亿元",
                   2: "国内生产总值增长{PERCENT}", 4: "进出口{TEXT}{MONEY}万亿美元", 5: "{TEXT}{NUM}农村人口饮水安全问题",
                   6: "{YEAR}经济社会发展总体要求和政策取向"}


@pytest.mark.parametrize("value, tail, edge", [
    ("在以习近平", True, (2, "PERSON")), ("这是全国广大干部和群众在以江泽民", True, (13, "PERSON")),
    ("支持香港", True, (2, "PLACE")), ("广东省", True, (0, "PLACE")), ("由国务院", True, (1, "ORG")),
    ("中国共产党的正确", False, (5, "ORG")), ("中国领土不可分割", False, (2, "PLACE")),
    # an organisation headed by a 的-phrase, organisations joined by 、 (the openings of 在{TEXT}领导下)
    ("以习近平同志为核心的党中央坚强", False, (13, "ORG")), ("党中央、国务院坚强", False, (7, "ORG")),
    ("党的一元化", False, (1, "ORG")), ("中央的集中统一", False, (2, "ORG")),  # the genre's own names
    ("我们认真贯彻以习近平同志为核心的党中央", False, None),
    ("发展经济", True, None), ("我们大家", True, None), ("增长8%", True, None),
])
def test_name_at_the_edge_of_a_value(value, tail, edge):
    from gkcorpus.templates.frame_names import name_edge

    assert name_edge(value, tail) == edge


def test_names_split_out_of_free_slots_and_cut_when_matched():
    from gkcorpus.templates.frame_retype import retyped
    from gkcorpus.templates.model import Instance

    def frame(text, rows):
        f = Frame("x", text, [Slot("TEXT", "TEXT", [], 0)], [], True, True)
        f.instances = [Instance("d", "u", "", 0, 0, 0, 0, {"TEXT": r}) for r in rows]
        return f

    leader = frame("{TEXT}同志为核心的党中央", ["在以习近平", "是以江泽民", "以胡锦涛", "坚决维护以习近平"])
    one = frame("{TEXT}严格执行", ["由国务院", "由国务院"])  # one name throughout: wording, not a slot
    mixed = frame("{TEXT}提出意见", ["在以习近平", "支持香港", "发展经济"])
    out = {k: f for k, f in retyped([leader, one, mixed])}
    assert list(out) == [0]
    split = out[0]
    assert split.template == "{TEXT}{PERSON}同志为核心的党中央"
    assert [(s.type, s.n_empty) for s in split.slots] == [("TEXT", 0), ("PERSON", 0)]
    # the regex finds where the pair of slots lies; the segmenter cuts it at the name
    core = "让我们更加紧密地团结在以习近平同志为核心的党中央周围"
    m = split.match(core[: core.index("周围")])
    assert m.values == {"TEXT": "让我们更加紧密地团结在以", "PERSON": "习近平"}
    assert core[slice(*m.spans["PERSON"])] == "习近平"
    assert split.fill(m.values) == core[: core.index("周围")]
    # no person there: the free slot holds it all
    assert split.match("我们大家同志为核心的党中央").values == {"TEXT": "我们大家", "PERSON": ""}


@pytest.mark.parametrize("before, name", [
    ("国内生产总值", "国内生产总值"), ("今年经济社会发展的主要预期目标是，国内生产总值增长", "国内生产总值"),
    ("今年拟安排财政赤字", "财政赤字"), ("城镇新增就业", "城镇新增就业"), ("其中高速公路", "高速公路"),
    ("比上年增加", ""), ("政务公开前", ""), ("增长", ""),
])
def test_measure_named_before_a_number(before, name):
    from gkcorpus.templates.frame_tables import measure

    assert measure(before) == name


def test_slot_type_is_the_type_of_nearly_all_values():
    assert frame_slot_type(["7%"] * 9 + ["增长"]) == "PERCENT"
    assert frame_slot_type(["7%"] * 8 + ["增长", "提高"]) == "TEXT"
    assert value_type("习近平", after="同志为核心") == "PERSON"
    assert trim_value("一是加强领导，") == "加强领导"


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(st.text(alphabet=_HAN, min_size=1, max_size=5), min_size=2, max_size=4), data=st.data())
def test_frame_match_then_fill_reproduces_the_clause(pieces, data):
    kinds = data.draw(st.lists(st.sampled_from(["TEXT", "NUM", "PERCENT"]), min_size=len(pieces) - 1,
                               max_size=len(pieces) - 1))
    names = [f"{k}_{i}" for i, k in enumerate(kinds)]
    t = Frame("f", render(pieces, names), [Slot(n, k) for n, k in zip(names, kinds)], [], True, True)
    values = {}
    for n, k in zip(names, kinds):
        if k == "NUM":
            values[n] = f"{data.draw(st.integers(0, 10**6))}余人"
        elif k == "PERCENT":
            values[n] = f"{data.draw(st.integers(0, 99))}%"
        else:
            values[n] = data.draw(st.text(alphabet=_HAN, min_size=1, max_size=6))
    clause = t.fill(values)
    sentence = "前文，" + clause + "，后文"
    m = t.match(sentence)
    assert m is not None and sentence[m.start:m.end] == clause
    assert t.fill(m.values) == clause


@settings(max_examples=60, deadline=None)
@given(before=st.text(alphabet=_HAN, min_size=2, max_size=8), after=st.text(alphabet=_HAN, min_size=0, max_size=4))
def test_name_slot_cut_by_the_segmenter_fills_back(before, after):
    """Wherever the segmenter cuts a name slot from the free slot beside it, the values fill back to
    the clause and each value sits at its span."""
    for text, slots, clause in (("{TEXT}{PERSON}同志为核心", [("TEXT", 0), ("PERSON", 0)], before + "同志为核心"),
                                ("在{ORG}{TEXT}领导下", [("ORG", 0), ("TEXT", 1)], "在" + before + after + "领导下")):
        t = Frame("f", text, [Slot(n, n, [], e) for n, e in slots], [], True, True)
        core = "前文，" + clause + "，后文"
        m = t.match(core)
        assert m is not None and t.fill(m.values) == clause
        assert all(core[a:b] == m.values[k] for k, (a, b) in m.spans.items())


# --------------------------------------------------------------------------- the national reports


@pytest.fixture(scope="module")
def national(shared_corpora):
    import gkcorpus

    corpus = gkcorpus.load([str(shared_corpora / "gwr_national.jsonl")])
    return corpus, FrameMiner().fit(corpus)


def test_bilingual_frames_keep_where_they_match_through_a_saved_library(shared_corpora, tmp_path):
    """A body frame with the text of a heading frame is that heading only when all its matches are the
    heading lines; a saved and reloaded library matches what the fitted one matches."""
    import gkcorpus

    corpus = gkcorpus.load([str(shared_corpora / "gwr_national_bilingual.jsonl")])
    lib = FrameMiner().fit(corpus).library_
    growth = _find(lib, "国内生产总值增长{PERCENT}")  # a heading frame has this text too; 17 body matches
    assert growth.where == "body" and len(growth.instances) == 17
    plan = _find(lib, "{YEAR}经济社会发展总体要求和政策取向")  # the body frame of the heading lines themselves
    assert plan.where == "heading" and rank_tier(plan) == 3 and plan.support == 3
    lib.save(tmp_path / "frames.json")
    back = load_library(tmp_path / "frames.json")
    assert len(back.extract(corpus)) == len(lib.extract(corpus)) == 5308


def test_national_frames_and_their_support(national):
    _, miner = national
    lib = miner.library_
    assert miner.min_docs_ == 5
    assert _find(lib, "现在，我代表国务院{TEXT}").support == 32
    # a free clause before fixed clauses: the request for review in all its wordings is one frame
    # (审议 ends every value of the free clause: it is fixed text)
    review = _find(lib, "{TEXT}审议，并请全国政协{TEXT_2}委员提出意见")
    assert review.support == 25
    assert {"请予", "请各位代表"} <= set(review.slots[0].values)
    # one frame per frame: the variants of the opening and of the thanks that only add wording to a
    # better frame they overlap are absorbed into it
    assert not [t for t in lib if t.template in ("{TEXT}，表示诚挚{TEXT_2}感谢",
                                                           "{TEXT}，请予审议，并请全国政协各位委员提出意见")]
    thanks = _find(lib, "{TEXT}表示{TEXT_2}感谢")
    assert thanks.support == 31 and thanks.slots[1].values == ["深切的", "衷心的", "诚挚", "诚挚的"]
    # an optional particle is relaxed into the frame: 清醒地看到 and 清醒看到 are one frame (13 → 15 documents)
    sober = _find(lib, "我们{TEXT}清醒{TEXT_2}看到{TEXT_3}")
    assert sober.support == 15 and sober.slots[1].values == ["地"] and sober.slots[1].n_empty == 2
    # a growth rate: its bound (左右) and a range (6.5%－7%) are part of the value; 增长, in every match, is
    # fixed text, what may come before it a slot
    gdp = _find(lib, "国内生产总值{TEXT}增长{PERCENT}")
    assert gdp.support == 13 and [s.type for s in gdp.slots] == ["TEXT", "PERCENT"]
    assert gdp.slots[0].values == ["年均", "比上年"] and gdp.slots[0].n_empty == 13
    assert {"6.5%－7%", "7%左右", "7.5%左右", "7．5%", "8％左右"} <= set(gdp.slots[1].values)
    # the GDP level is another frame: its values are money, so is its type
    level = _find(lib, "国内生产总值{TEXT}{MONEY}")
    assert level.support == 17 and {"13．65万亿元", "47．2万亿元"} <= set(level.slots[1].values)
    jobless = _find(lib, "城镇登记失业率{TEXT}{PERCENT}")
    assert jobless.support == 10 and {"4．6％", "4.6%以内"} <= set(jobless.slots[1].values)
    # a number keyed by the measure (nouns) right before it, whatever comes first
    # a measure with its predicate, whether it opens its clause or follows other words
    energy = _find(lib, "{TEXT}单位国内生产总值能耗下降{PERCENT}")
    assert energy.support == 7 and len(energy.instances) == 10
    assert [i.slot_values for i in energy.instances if i.doc_id == "gwr_national/2010"] == [
        {"TEXT": "“十一五”前四年累计", "PERCENT": "14.38％"}]
    # the measure stands beside its longer keys (中央, 地方): every match in a sentence is an instance
    deficit = _find(lib, "{TEXT}财政赤字{MONEY}")
    assert deficit.support == 11 and len(deficit.instances) == 22
    assert [i.slot_values for i in deficit.instances if i.doc_id == "gwr_national/2010"] == [
        {"TEXT": "今年拟安排", "MONEY": "10500亿元"}, {"TEXT": "其中中央", "MONEY": "8500亿元"}]
    foreign = _find(lib, "{TEXT}利用外资{MONEY}")
    assert foreign.support == 6 and {"2894亿美元", "609亿美元"} <= set(foreign.slots[1].values)


def test_national_construction_generalises_its_longer_frames(national):
    _, miner = national
    lib = miner.library_
    # kept beside the longer frame that explains most of its clauses: it is found in more documents
    guide = _find(lib, "以{TEXT}为指导")
    longer = _find(lib, "以{TEXT}“三个代表”重要思想为指导")
    assert (guide.support, longer.support) == (23, 7)
    assert {"“三个代表”重要思想", "和平共处五项原则"} <= set(guide.slots[0].values)
    # its opening floats: it is matched inside clauses too (坚持以…为指导), from 以 on
    assert guide.floats and not longer.floats
    inside = [i for i in guide.instances if i.doc_id == "gwr_national/1992"]
    assert [i.slot_values["TEXT"] for i in inside] == ["马列主义、毛泽东思想", "和平共处五项原则"]
    assert guide.match("我们要继续坚持以马列主义、毛泽东思想为指导，").values == {"TEXT": "马列主义、毛泽东思想"}
    # constructions follow the frames with content of their own in the library order, and the fixed
    # strings (the longer frame: its only slot holds 邓小平理论和 or nothing) follow the constructions
    order = [t.template for t in lib]
    assert (rank_tier(guide), rank_tier(longer)) == (2, 3)
    assert order.index("以{TEXT}为指导") > max(k for k, t in enumerate(lib) if rank_tier(t) == 0)
    assert order.index("以{TEXT}为指导") < order.index("以{TEXT}“三个代表”重要思想为指导")
    assert guide.where == "body"
    # a correlative construction over two clauses, its first opening inside a clause too (我们既要…)
    both = _find(lib, "既要{TEXT}，又要{TEXT_2}")
    assert both.support == 23 and both.floats and is_construction(both)
    assert both.match("我们既要反对悬殊太大，又要反对平均主义").values == {"TEXT": "反对悬殊太大", "TEXT_2": "反对平均主义"}


def test_national_heading_and_title_frames(national, tmp_path):
    corpus, miner = national
    lib = miner.library_
    title = _find(lib, "{DATE}在第{ORD}届全国人民代表大会第{ORD_2}次会议上")
    assert title.where == "title" and title.support == 40
    assert [s.type for s in title.slots] == ["DATE", "ORD", "ORD"]
    assert {"一", "十二"} <= set(title.slots[1].values)
    review = _find(lib, "{YEAR}工作回顾")
    # seven heading lines, and two headings run into the text after them (1999: the line goes on;
    # 2014: the heading and the section's first sentence are one line)
    assert review.where == "heading" and review.support == 9
    assert review.slots[0].values[:3] == ["1998年", "2006年", "2008年"]
    from gkcorpus.templates.frame_model import is_fixed_string

    assert is_fixed_string(review) and rank_tier(review) == 3  # the year of a heading is the document's date
    run_in = {i.doc_id: i.sentence[:18] for i in review.instances if i.sentence != "一、" + i.slot_values["YEAR"] + "工作回顾"}
    assert run_in == {"gwr_national/1999": "一、1998年工作回顾和1999年工", "gwr_national/2014": "一、2013年工作回顾过去一年是本届"}
    texts = {d.id: d.text for d in corpus}
    for t in (title, review):  # each match fills back to its span of the text
        for i in t.instances:
            assert t.fill(i.slot_values) == texts[i.doc_id][i.start:i.end]
    path = tmp_path / "frames.json"
    lib.save(path)
    back = load_library(path)
    again = _find(back, "{DATE}在第{ORD}届全国人民代表大会第{ORD_2}次会议上")
    assert again.where == "title"
    assert _find(back, "以{TEXT}为指导").floats and not _find(back, "{YEAR}工作回顾").floats
    assert again.regex().search("——2011年3月5日在第十一届全国人民代表大会第四次会议上").group(2) == "十一"
    md = lib.to_markdown(title="Sentence frames")  # the Markdown says which frames are over title lines
    assert f"- id `{title.id}`, title lines, 40 documents" in md
    assert f"- id `{review.id}`, heading lines, 9 documents" in md


def test_national_variants_merge_into_one_frame(national):
    _, miner = national
    lib = miner.library_
    closing = _find(lib, "{TEXT}团结在以{PERSON}同志为{ORG}周围")
    # the leadership formula elsewhere: the name split out of the free wording before it
    # (以 ends the first slot in all 51 matches; it stays there: made fixed text between the free slot and
    # the name, it would let the name's pattern take what the free slot held)
    leader = _find(lib, "{TEXT}{PERSON}同志为{TEXT_2}的党中央{TEXT_3}")
    assert (leader.support, len(leader.instances)) == (25, 51)
    assert leader.slots[1].values == ["习近平", "江泽民", "胡锦涛"]
    assert {"在以", "这是以", "全国各族人民在以"} <= set(leader.slots[0].values)
    assert closing.support == 11
    assert closing.slots[1].values == ["习近平", "江泽民", "胡锦涛"]
    # an organisation headed by a modifier ending in 的 (核心的党中央) is typed ORG
    assert {"核心的党中央", "总书记的党中央"} <= set(closing.slots[2].values)
    assert not [t for t in lib if "团结在以习近平同志为" in t.template or "团结在以江泽民同志为" in t.template]
    # variants differing in one short word (诚挚/衷心/深切, with or without 的) are one frame
    thanks = _find(lib, "{TEXT}表示{TEXT_2}感谢")
    assert thanks.support == 31
    assert {"诚挚的", "衷心的", "诚挚"} <= set(thanks.slots[1].values)
    banner = _find(lib, "{TEXT}高举{TEXT_2}伟大旗帜")
    assert banner.support == 18
    assert "邓小平理论" in banner.slots[1].values and "中国特色社会主义" in banner.slots[1].values


def test_national_collocations_are_not_frames(national):
    _, miner = national
    texts = {t.template for t in miner.library_}
    assert "加强{TEXT}精神文明{TEXT_2}建设" not in texts
    assert not [t for t in texts if t.startswith("{TEXT}") and t.endswith("{TEXT_2}") and t.count("{") == 2
                and "社会主义精神文明建设" in t]


def test_national_wide_table_of_targets(national):
    corpus, miner = national
    wide = wide_table(miner.library_, corpus).set_index("doc_id")
    # one column per measure, whatever frames state it; a value with its bound and its unit
    cols = ["国内生产总值 [PERCENT]", "居民消费价格 [PERCENT]", "城镇登记失业率 [PERCENT]", "城镇新增就业 [NUM]",
            "财政赤字 [MONEY]", "中央财政赤字 [MONEY]"]
    got = {d: [v or None for v in wide.loc[f"gwr_national/{d}", cols]] for d in (2005, 2012, 2014, 2016, 2017)}
    assert got == {  # read off the targets sentences and the budget paragraphs by hand
        2005: ["8％左右", "4％", "4．6％", "900万人", None, "3000亿元"],  # no 以内 / 以上 that year
        2012: ["7．5%", "4%左右", "4．6%以内", "900万人以上", "8000亿元", "5500亿元"],  # no 左右 for GDP
        2014: ["7.5%左右", "3.5%左右", "4.6%以内", "1000万人以上", "13500亿元", "9500亿元"],
        2016: ["6.5%－7%", "3%左右", "4.5%以内", "1000万人以上", "2.18万亿元", "1.4万亿元"],  # a range
        2017: ["6.5%左右", "3%左右", "4.5%以内", "1100万人以上", None, "1.55万亿元"],  # 财政赤字2.38万亿元: no frame
    }
    # the GDP level has a column of its own
    assert wide.loc["gwr_national/2005", "国内生产总值 [MONEY]"] == "13．65万亿元"
    # the number and its unit apart, as a table of figures keeps them
    split = wide_table(miner.library_, corpus, split_units=True).set_index("doc_id")
    col = "城镇新增就业 [NUM]"
    assert [(split.loc[f"gwr_national/{y}", col], split.loc[f"gwr_national/{y}", col + " unit"])
            for y in (2010, 2014, 2018)] == [("900", "万人以上"), ("1000", "万人以上"), ("1100", "万人以上")]
    assert [split.loc[f"gwr_national/{y}", "国内生产总值 [PERCENT]"] for y in (2010, 2014)] == ["8", "7.5"]
    assert split.loc["gwr_national/2016", "财政赤字 [MONEY]"] == "2.18"
    assert split.loc["gwr_national/2016", "财政赤字 [MONEY] unit"] == "万亿元"
    # one frame for the deficits, a column for each measure its matches name (the words its slot adds)
    assert [wide.loc[f"gwr_national/{y}", "地方财政赤字 [MONEY]"] for y in (2015, 2016, 2017, 2018)] == [
        "5000亿元", "7800亿元", "8300亿元", "8300亿元"]
    # a verb made fixed text before the measure (改建, in every match of {TEXT}改建农村公路{NUM}万公里) is no
    # part of it, and the free slot before the verb (新建, 新建和) names no measure of its own: one column
    assert _find(miner.library_, "{TEXT}改建农村公路{NUM}万公里").support == 7
    roads = wide["农村公路 [NUM]"]
    assert {d[-4:]: v for d, v in roads.items() if v} == {
        "2008": "130万公里", "2013": "146.5万公里", "2014": "20万公里", "2015": "20万公里", "2016": "20万公里",
        "2017": "20万公里", "2018": "20万公里"}


def test_later_matches_of_a_frame_in_one_sentence():
    f = Frame(template_id("{TEXT}财政赤字{MONEY}"), "{TEXT}财政赤字{MONEY}",
              [Slot("TEXT", "TEXT", [], 1), Slot("MONEY", "MONEY", [], 0)], [], True, True)
    s = "今年拟安排财政赤字8000亿元，其中中央财政赤字5500亿元，代发地方债2500亿元"
    first = f.match(s)
    assert first.values == {"TEXT": "今年拟安排", "MONEY": "8000亿元"}
    later = f.later_matches(s, first)
    assert [(m.start, m.end, m.values) for m in later] == [(16, 30, {"TEXT": "其中中央", "MONEY": "5500亿元"})]
    assert f.later_matches("今年拟安排财政赤字8000亿元，代发地方债2500亿元", f.match("今年拟安排财政赤字8000亿元，代发地方债2500亿元")) == []


def test_fitted_miner_keeps_its_library_not_the_text(frames):
    """The units, clauses and word-edge caches of fit are not kept: the pickle is about the library."""
    import pickle

    assert frames.n_units_ > 0 and frames.n_clauses_ >= frames.n_units_
    assert not hasattr(frames, "units_") and not hasattr(frames, "_cuts")
    assert len(pickle.dumps(frames)) <= 1.2 * len(pickle.dumps(frames.library_))


def test_floating_and_correlative_constructions_on_a_small_corpus():
    from gkcorpus.templates.frame_gaps import floating_constructions, paired_openings, word_bounds

    texts = ["坚持以马列主义为指导", "我们以科学理论为指导", "始终以发展思想为指导", "以改革开放为指导",
             "既要发展经济", "又要保护环境", "既要扩大开放", "又要防范风险", "既要加快改革", "又要保持稳定"]
    units = [0, 1, 2, 3, 4, 4, 5, 5, 6, 6]
    docs = [0, 1, 2, 3, 0, 0, 1, 1, 2, 2]
    corpus = "\n".join(texts)
    words = word_bounds(texts, list)  # one character a word
    found = floating_constructions(texts, docs, 3, words, corpus.count)
    guide = [c for c in found if (c.opening, c.ending) == ("以", "为指导")]
    assert len(guide) == 1 and guide[0].docs == 4
    assert [(r[2], r[3]) for r in guide[0].rows] == [(2, "马列主义"), (2, "科学理论"), (2, "发展思想"), (0, "改革开放")]
    pairs = paired_openings(texts, units, docs, 3, words, corpus.count)
    assert [(p.first, p.second, p.docs) for p in pairs] == [("既要", "又要", 3)]
    assert [r[3:] for r in pairs[0].rows] == [("发展经济", "保护环境"), ("扩大开放", "防范风险"), ("加快改革", "保持稳定")]


def test_organisations_and_modifiers_are_typed():
    from gkcorpus.templates.frame_slots import frame_slot_type, holds_modifiers, is_modifier, value_type

    assert value_type("以江泽民同志为核心的党中央") == "ORG"
    assert value_type("加强政府") == "TEXT" and value_type("人民的政府") == "TEXT"
    from gkcorpus.templates.frame_slots import is_measure

    assert [is_measure(w) for w in ("财政赤字", "中央财政赤字", "比上年增长", "城镇新增就业")] == [True, True, False, False]
    # a value ending in 的 before the frame's head noun is typed without it
    assert frame_slot_type(["党中央的", "中国共产党的", "中共中央的"], "在", "领导下") == "ORG"
    assert [is_modifier(w) for w in ("地", "的", "共同", "更加", "团结", "感谢")] == [True, True, True, True, False, False]
    assert holds_modifiers(["地", "", "地"]) and not holds_modifiers(["团结", "共同"])


def test_ordinal_frames_inside_clauses(tmp_path):
    from gkcorpus.templates.frame_inner import InnerFrame, ordinal_frames

    texts = ["胜利完成第一个五年计划", "在第二个五年计划期间", "执行第三个五年计划的任务", "第二个五年计划",
             "发展第一产业", "发展第一产业和第三产业"]
    docs = [0, 1, 2, 2, 0, 1]
    found = ordinal_frames(texts, docs, 3)
    # grown while every document keeps it (个五年计 -> 个五年计划, not 个五年计划期间); 第一产业 is in two documents only
    assert [f.template for f in found] == ["第{ORD}个五年计划"]
    frame = found[0]
    assert isinstance(frame, InnerFrame) and frame.slots[0].type == "ORD"
    m = frame.match("我们在第十个五年计划期间")
    assert (m.start, m.end, m.values) == (3, 10, {"ORD": "十"})
    assert frame.match("五年计划") is None
    # a fixed numeral is wording: 第一产业 in three documents, always with 一
    assert ordinal_frames(["发展第一产业"] * 3, [0, 1, 2], 3) == []
    from gkcorpus.templates import TemplateLibrary

    TemplateLibrary([frame]).save(tmp_path / "lib.json")
    back = load_library(tmp_path / "lib.json").templates[0]
    assert isinstance(back, InnerFrame) and back.match("在第二个五年计划期间").values == {"ORD": "二"}


def test_national_inner_and_relaxed_frames(national):
    _, miner = national
    lib = miner.library_
    plan = _find(lib, "第{ORD}个五年计划")
    assert plan.support == 22 and {"一", "二", "六", "十"} <= set(plan.slots[0].values)
    # 为…而{共同|努力}奋斗: the two words found once (团结, 不懈) do not keep the choice out
    rally = _find(lib, "为{TEXT}而{TEXT_2}奋斗")
    assert rally.support == 28 and set(rally.slots[1].values) == {"不懈", "共同", "努力", "团结"}
    # a copula and a 的-phrase head, its opening inside the clause (今年是…的一年, 这是…的一年), one frame
    # with its siblings (是…第一年, 是…的五年) and the other endings with the head 年: a choice of wording
    assert not [t for t in lib if t.template in ("是{TEXT}的一年", "是{TEXT}第一年")]
    year = _find(lib, "是{TEXT}{CHOICE}")
    assert year.support == 42 and year.floats and is_construction(year)
    assert year.slots[1].type == "CHOICE"
    assert {"的一年", "第一年", "关键一年", "重要一年", "开局之年", "收官之年", "的头一年"} <= set(year.slots[1].values)
    # the ten reports that call the year 今年是…的第一年/头一年/关键一年/重要一年/之年, each matched
    said = {"1979": "的第一年", "1986": "的头一年", "1990": "的第一年", "1999": "关键一年", "2004": "的一年",
            "2010": "关键一年", "2012": "重要一年", "2015": "收官之年", "2016": "开局之年", "2018": "开局之年"}
    got: dict[str, str] = {}
    for i in sorted(year.instances, key=lambda i: (i.doc_id, i.start)):  # the first match of the sentence
        if i.sentence.startswith("今年是"):
            got.setdefault(i.doc_id[-4:], i.slot_values["CHOICE"])
    assert {d: got.get(d) for d in said} == said
    # endings with another head stay apart: 在…领导下 and 在…情况下 end in a localizer
    assert _find(lib, "在{ORG}{TEXT}领导下").support == 44 and _find(lib, "在{TEXT}情况下").support == 35


def test_national_frames_of_a_preposition_and_its_partner(national):
    from gkcorpus.templates.frame_inner import InnerFrame

    _, miner = national
    lib = miner.library_
    effort = _find(lib, "经过{TEXT}努力")  # the commonest partner of 经过, matched inside clauses
    assert isinstance(effort, InnerFrame) and effort.support == 38 and len(effort.instances) == 65
    assert is_construction(effort) and "全国各族人民的共同" in effort.slots[0].values
    decision = _find(lib, "根据{TEXT}决定")  # the head of its 的-phrase object in half of the pairs
    assert decision.support == 12 and {"国务院的", "中共中央的", "人大常委会的"} <= set(decision.slots[0].values)
    assert _find(lib, "无论{TEXT}还是").support == 10  # a conjunction and a correlative one
    # the frames of constructions stay at the end of the library: the top 50 hold frames with content
    assert not any(isinstance(t, InnerFrame) and "ORD" not in t.template for t in lib.templates[:50])


def test_pair_frames_rules():
    from gkcorpus.templates.frame_gaps import word_bounds
    from gkcorpus.templates.frame_inner import InnerFrame
    from gkcorpus.templates.frame_pairs import pair_frames

    texts = ["经过全国人民的努力", "经过三年的共同努力", "经过多年的艰苦努力", "经过讨论",  # 经过…努力
             "根据国务院的决定", "根据人大的决定", "根据中央的决定", "根据实际情况", "根据当地情况", "根据具体情况",
             "根据各地情况", "我们决定",  # 根据…情况 (commonest), 根据…决定 (a 的-phrase head)
             "但是城市没有", "但是农村没有", "但是工厂没有",  # a conjunction and a verb: no frame
             "经过城市", "经过农村"] + ["发展经济"] * 40
    docs = [0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 3, 0, 1, 2, 0, 1] + [4] * 40
    known = "经过 根据 但是 全国 人民 三年 共同 多年 艰苦 努力 讨论 国务院 人大 中央 决定 实际 情况 当地 具体 各地 我们 城市 " \
            "农村 工厂 没有 发展 经济".split()
    cut = re.compile("|".join(known) + "|.").findall  # a segmenter knowing these words
    words = word_bounds(texts, cut)
    corpus = "\n".join(texts)
    found = pair_frames(texts, docs, 3, words, corpus.count)
    assert [f.template for f in found] == ["根据{TEXT}决定", "根据{TEXT}情况", "经过{TEXT}努力"]
    assert all(isinstance(f, InnerFrame) for f in found)
    m = found[2].match("我们经过全国人民的共同努力取得了成就")
    assert (m.start, m.end, m.values) == (2, 13, {"TEXT": "全国人民的共同"})
    # one filler in half of the pairs is a fixed phrase, not a frame
    assert pair_frames(["根据实际情况"] * 3 + ["根据当地情况"], [0, 1, 2, 3], 3,
                       word_bounds(["根据实际情况"] * 3 + ["根据当地情况"], lambda t: ["根据", t[2:4], "情况"]),
                       lambda t: 4) == []


def test_relaxed_slot_judged_on_its_recurrent_words():
    from types import SimpleNamespace

    from gkcorpus.templates.frame_relax import recurrent_view

    def frame(values):
        return SimpleNamespace(instances=[SimpleNamespace(doc_id=d, slot_values={"X": v}) for d, v in values])

    f = frame([("a", "共同"), ("b", "共同"), ("c", "努力"), ("d", "努力"), ("e", "团结"), ("f", "")])
    assert [i.slot_values["X"] for i in recurrent_view(f, "X").instances] == ["共同", "共同", "努力", "努力", ""]
    # words found once are more than a fifth of the values: a slot of many kinds of words
    assert recurrent_view(frame([("a", "共同"), ("b", "共同"), ("c", "各种"), ("d", "刑事")]), "X") is None


def test_headed_constructions_of_a_function_word():
    from gkcorpus.templates.frame_gaps import headed_constructions, is_function_word, word_bounds

    assert [is_function_word(w) for w in ("是", "在", "经过", "提高", "我们")] == [True, True, True, False, False]
    texts = ["今年是发展经济的一年", "明年是深化改革的一年", "这是很不平凡的一年", "新的一年",
             "提高人民生活的水平", "提高城乡居民的水平", "提高教育质量的水平"]
    docs = [0, 1, 2, 3, 0, 1, 2]
    words = word_bounds(texts, list)  # one character a word
    found = headed_constructions(texts, docs, 3, words)
    # 提高…的水平 has no function word; 新的一年 has no opening
    assert [(c.opening, c.ending, c.docs) for c in found] == [("是", "的一年", 3)]
    assert [r[3] for r in found[0].rows] == ["发展经济", "深化改革", "很不平凡"]


def _frame_at(text, sentences):
    """A frame with one instance per ``(doc, sentence)``: its regex match in the sentence."""
    f = Frame(template_id(text), text, [], [], True, True)
    f.slots = [Slot(n, "TEXT", [], 1) for n in re.findall(r"\{(\w+)\}", text)]
    from gkcorpus.templates.model import Instance

    for doc, s in sentences:
        m = f.match(s)
        assert m is not None, (text, s)
        f.instances.append(Instance(doc, f"{doc}:0", s, m.start, m.end, m.start, m.end, dict(m.values)))
    return f


def test_absorb_takes_a_variant_that_only_adds_wording_to_a_frame_it_overlaps():
    from gkcorpus.templates.frame_filters import _absorb, _holds_wording

    plain = [f"d{k}" for k in range(5)]
    rows = [(d, "向全国各族人民，表示衷心的感谢。") for d in plain] + [(d, "向各国朋友，表示诚挚的感谢。") for d in ("e1", "e2")]
    thanks = _frame_at("{TEXT}表示{TEXT_2}感谢", rows)
    warm = _frame_at("{TEXT}，表示诚挚{TEXT_2}感谢", rows[5:])
    assert _holds_wording(warm, thanks) and not _holds_wording(thanks, warm)
    # the variant's matches start a clause earlier: they overlap the frame's matches, they do not lie inside them
    assert warm.instances[0].start < thanks.instances[5].start
    assert [t.template for t in _absorb([warm, thanks])] == ["{TEXT}表示{TEXT_2}感谢"]
    # an overlapping frame that does not hold the other's wording stays
    other = _frame_at("{TEXT}，表示诚挚的{TEXT_2}", rows[5:])
    assert other.instances[0].end > thanks.instances[5].start and not _holds_wording(other, thanks)
    assert sorted(t.template for t in _absorb([other, thanks])) == ["{TEXT}表示{TEXT_2}感谢", "{TEXT}，表示诚挚的{TEXT_2}"]


# --------------------------------------------------------------------------- choices of wording


def _choice_frame(front, choices):
    text = render([front, "", ""], ["TEXT", "CHOICE"])
    return Frame(template_id(text), text, [Slot("TEXT", "TEXT"), Slot("CHOICE", "CHOICE", list(choices))], [], True, True)


@settings(max_examples=100, deadline=None)
@given(front=st.text(alphabet=_HAN, min_size=1, max_size=4), middle=st.text(alphabet=_HAN, min_size=1, max_size=6),
       data=st.data())
def test_choice_frame_match_then_fill_reproduces_the_clause(front, middle, data):
    choices = ["之年", "一年", "第一年", "关键一年"]
    t = _choice_frame(front, choices)
    clause = t.fill({"TEXT": middle, "CHOICE": data.draw(st.sampled_from(choices))})
    sentence = "前文，" + clause + "，后文"
    m = t.match(sentence)
    assert m is not None and sentence[m.start:m.end] == clause and m.values["CHOICE"] in choices
    assert t.fill(m.values) == clause


def test_choice_frame_fill_round_trip_and_cli(tmp_path, capsys):
    from gkcorpus.cli import main
    from gkcorpus.templates.library import TemplateLibrary

    t = _choice_frame("今年是", ["之年", "一年"])
    assert t.template == "今年是{TEXT}{CHOICE}"
    assert t.match("今年是“十二五”开局之年。").values == {"TEXT": "“十二五”开局", "CHOICE": "之年"}
    assert t.match("今年是很不平凡的年份。") is None
    # a choice never takes a number's bound: 控制在4.6%以内 is a quantity
    assert _choice_frame("在", ["以内", "范围内"]).match("控制在4.6%以内") is None
    with pytest.raises(KeyError, match="CHOICE must be one of"):
        t.fill({"TEXT": "开局", "CHOICE": "之岁"})
    assert t.fill({"TEXT": "开局", "CHOICE": "之岁"}, strict=False) == "今年是开局之岁"
    TemplateLibrary([t]).save(tmp_path / "lib.json")
    back = load_library(tmp_path / "lib.json").templates[0]
    assert isinstance(back, Frame) and back.slots[1].type == "CHOICE" and back.slots[1].values == ["之年", "一年"]
    assert back.match("今年是关键的一年").values == {"TEXT": "关键的", "CHOICE": "一年"}
    assert main(["templates", "fill", "--id", t.id, "--library", str(tmp_path / "lib.json"),
                 "TEXT=开局", "CHOICE=之年"]) == 0
    assert capsys.readouterr().out.strip() == "今年是开局之年"
    assert main(["templates", "fill", "--id", t.id, "--library", str(tmp_path / "lib.json"),
                 "TEXT=开局", "CHOICE=之岁"]) == 1
    assert "CHOICE must be one of 之年|一年" in capsys.readouterr().err


def test_sibling_frames_with_one_head():
    from gkcorpus.templates.frame_choices import shortest_wordings, sibling_groups

    def floating(text):
        f = Frame(template_id(text), text, [Slot("TEXT", "TEXT")], [], True, True)
        f.floats = True
        return f

    frames = [floating(x) for x in ("是{TEXT}第一年", "是{TEXT}的一年", "在{TEXT}领导下", "在{TEXT}情况下",
                                    "对{TEXT}力度", "对{TEXT}态度", "{TEXT}体制", "{TEXT}机制")]
    groups = sibling_groups(frames)
    # 下 is a localizer, 度 a bound morpheme, and siblings without fixed text before the slot are none
    assert [(g.front, g.tail, g.endings, g.members) for g in groups] == [(["是"], "一年", ["的一年", "第一年"], [0, 1])]
    assert shortest_wordings({"的一年", "第一年", "一年", "开局之年", "之年"}) == {"一年", "之年"}
    assert shortest_wordings({"的作用", "重要作用", "作用"}) == {"作用"}


def test_content_factor_ranks_fixed_phrases_in_context_after_frames():
    from gkcorpus.templates.frame_model import content_factor

    rows = [("d1", "我们要全面贯彻宗教政策，积极引导宗教与社会主义社会相适应。"), ("d2", "依法管理宗教事务，积极引导宗教与社会主义社会相适应。")]
    assert content_factor(_frame_at("{TEXT}，积极引导宗教与社会主义社会相适应", rows)) == 0.5
    rows = [("d1", "我们要全心全意为人民服务。"), ("d2", "全心全意地为人民服务。"), ("d3", "必须全心全意为人民服务。")]
    assert content_factor(_frame_at("{TEXT}全心全意{TEXT_2}为人民服务", rows)) == 0.5  # its inner slot mostly empty
    rows = [("d1", "我们要高举中国特色社会主义伟大旗帜。"), ("d2", "高举邓小平理论伟大旗帜。")]
    assert content_factor(_frame_at("{TEXT}高举{TEXT_2}伟大旗帜", rows)) == 1.0
    rows = [("d1", "现在，我代表国务院向大会报告工作。"), ("d2", "现在，我代表国务院，向大会报告工作。"),
            ("d3", "现在，我代表国务院，向大会报告工作。")]
    assert content_factor(_frame_at("现在，我代表国务院{TEXT}", rows)) == 0.5  # continues its clause once in three
    rows = [("d1", "我代表国务院，向大会报告工作。"), ("d2", "我代表国务院，向大会报告工作。")]
    assert content_factor(_frame_at("我代表国务院，{TEXT}", rows)) == 0.5  # a whole clause after it: context


def test_fixed_strings_and_figures_without_a_subject_rank_in_their_tiers():
    from gkcorpus.templates.frame_model import is_fixed_string, is_function_words, names_no_subject

    assert [is_function_words(w) for w in ("的", "也", "地", "一切", "各位", "诚挚的", "社会主义", "")] == [
        True, True, True, True, True, False, False, False]
    # slots of optional wording only (也/∅, 地/∅, ∅): the fixed phrase 我们也清醒地看到
    rows = [("d1", "我们也清醒地看到。"), ("d2", "我们清醒地看到。"), ("d3", "我们也清醒看到。")]
    seen = _frame_at("我们{TEXT}清醒{TEXT_2}看到{TEXT_3}", rows)
    assert [[i.slot_values[s.name] for s in seen.slots] for i in seen.instances] == [["也", "地", ""], ["", "地", ""], ["也", "", ""]]
    assert is_fixed_string(seen) and rank_tier(seen) == 3
    # a leading slot and a clause after punctuation are context, not content
    rows = [("d1", "现在，我代表国务院，向大会报告工作。"), ("d2", "现在，我代表国务院，请予审议。")]
    assert is_fixed_string(_frame_at("我代表国务院，{TEXT}", rows))
    rows = [("d1", "我们要全面贯彻宗教政策，积极引导宗教与社会主义社会相适应。"), ("d2", "依法管理宗教事务，积极引导宗教与社会主义社会相适应。")]
    assert is_fixed_string(_frame_at("{TEXT}，积极引导宗教与社会主义社会相适应", rows))
    # an inner slot of content words is content, though a leading slot is context
    rows = [("d1", "要充分调动各方面的积极性。"), ("d2", "调动企业和职工的积极性。"), ("d3", "调动农民种粮的积极性。")]
    actors = _frame_at("{TEXT}调动{TEXT_2}的积极性", rows)
    assert not is_fixed_string(actors) and rank_tier(actors) == 0
    # a figure whose fixed text names nothing it measures, and one that names it
    rows = [("d1", "粮食产量比上年增长5%。"), ("d2", "财政收入比上年增长12%。")]
    bare = _frame_at("{TEXT}比上年增长{PERCENT}", rows)
    assert [i.slot_values for i in bare.instances] == [{"TEXT": "粮食产量", "PERCENT": "5%"}, {"TEXT": "财政收入", "PERCENT": "12%"}]
    assert not names_no_subject(bare)  # no figure slot yet: all TEXT
    bare.slots[1].type = "PERCENT"
    assert names_no_subject(bare) and not is_fixed_string(bare) and rank_tier(bare) == 1
    rows = [("d1", "今年国内生产总值增长7%。"), ("d2", "国内生产总值增长8%。")]
    gdp = _frame_at("{TEXT}国内生产总值增长{PERCENT}", rows)
    gdp.slots[1].type = "PERCENT"
    assert not names_no_subject(gdp) and rank_tier(gdp) == 0


def test_national_fixed_strings_rank_after_every_frame_with_content(national):
    _, miner = national
    lib = list(miner.library_)
    tiers = [rank_tier(t) for t in lib]
    assert tiers == sorted(tiers)  # the library lists its tiers in order
    assert [tiers.count(k) for k in range(4)] == [64, 10, 159, 146]
    # figures without a subject (比上年增长 says by how much, not what grew), figures left in free text, and a
    # figure slot empty in 5 of 17 matches (the income figure sits in TEXT_2), after every frame with content
    assert [t.template for t in lib if rank_tier(t) == 1] == [
        "城镇居民{TEXT}人均可支配收入{TEXT_2}{NUM}", "{TEXT}比{YEAR}增长{PERCENT}", "比上年增长{TEXT}{PERCENT}", "农村居民{TEXT}人均纯收入{TEXT_2}", "{TEXT}比上年增加{MONEY}亿元",
        "{TEXT}全社会固定资产投资{TEXT_2}亿元", "{TEXT}农村新建{TEXT_2}亿平方米", "{TEXT}比{YEAR}下降{PERCENT}",
        "比去年增加{MONEY}", "比上年增加{NUM}"]
    # terms in their context (nothing but noun-like words fixed, the clause open at the end) and single short
    # pieces rank with the constructions
    assert [t.template for t in lib if terms_in_context(t) and rank_tier(t) == 2] == [
        "各级政府{TEXT}工作人员{TEXT_2}", "我们{TEXT}中国特色社会主义{TEXT_2}", "中国人民{TEXT}各国人民{TEXT_2}",
        "是{TEXT}我国现代化建设{TEXT_2}", "国务院{TEXT}机构改革{TEXT_2}", "中国政府和中国人民{TEXT}", "我国{TEXT}第一个五年计划{TEXT_2}",
        "社会主义{TEXT}资本主义{TEXT_2}", "我国经济社会发展{TEXT}", "城乡居民{TEXT}消费水平{TEXT_2}"]
    assert [t.template for t in lib if too_little_fixed(t) and rank_tier(t) == 2] == [
        "是{TEXT}{CHOICE}", "在{TEXT}{CHOICE}", "{TEXT}有条件的地方{TEXT_2}"]
    # a frame read again in the sentences of a frame above it follows the frames of its tier that are not: the
    # targets sentence (5 reports) after the GDP growth frame (13 reports, its matches among them)
    first = [t.template for t in lib if rank_tier(t) == 0]
    assert first[-3:] == ["{TEXT}商品粮{TEXT_2}基地建设", "今年经济社会发展的主要预期目标是，国内生产总值增长{PERCENT}",
                          "总额{TEXT}{MONEY}万亿美元"]
    assert first.index("进出口{TEXT}{MONEY}万亿美元") == 18
    # set phrases whose slots say one thing (坚定不移 in every match, then 方针) rank with the constructions
    assert [t.template for t in lib if says_one_thing(t) and rank_tier(t) == 2][:4] == [
        "各级政府{TEXT}及其常委会的监督{TEXT_2}", "我们{TEXT}“和平统一、一国两制”的{TEXT_2}", "全力支持香港、澳门{TEXT}",
        "文学艺术、新闻出版、广播{TEXT}"]
    assert sum(1 for t in lib if says_one_thing(t) and rank_tier(t) == 2) == 43  # 19 of them by this rule alone
    # names numbered by an ordinal are terms with their number
    assert [t.template for t in lib if t.slots and all(s.type == "ORD" for s in t.slots)] == [
        "第{ORD}届全国人民代表大会", "第{ORD}次全国代表大会", "第{ORD}个五年计划", "第{ORD}代移动通信"]
    assert all(rank_tier(_find(lib, f)) == 3 for f in ("第{ORD}届全国人民代表大会", "第{ORD}个五年计划"))
    # the opening in its fragments, the archive titles, 我们也清醒地看到: fixed strings, out of the top 50
    top = [t.template for t in lib[:50]]
    fixed = {"现在，我代表国务院{TEXT}", "我代表国务院，{TEXT}", "现在，我代表国务院，向大会作政府工作报告，{TEXT}审议",
             "{TEXT}审议，并请全国政协{TEXT_2}委员提出意见", "{YEAR}国务院政府工作报告", "{YEAR}政府工作报告",
             "我们{TEXT}清醒{TEXT_2}看到{TEXT_3}", "{TEXT}中国共产党{TEXT_2}领导下"}
    assert all(rank_tier(_find(lib, f)) == 3 for f in fixed) and not fixed & set(top)
    # the title line with dates and session ordinals is content; figures that name their measure stay in the top
    assert top[0] == "{DATE}在第{ORD}届全国人民代表大会第{ORD_2}次会议上"
    assert {"国内生产总值{TEXT}增长{PERCENT}", "居民消费价格{TEXT}{PERCENT}", "城镇登记失业率{TEXT}{PERCENT}"} <= set(top)


def test_terms_in_context_and_short_pieces_rank_with_the_constructions():
    # two terms and the rest of the clause: nothing of the frame's own relates them
    rows = [("d1", "国务院的机构改革基本完成。"), ("d2", "国务院这次机构改革方案已经通过。"), ("d3", "国务院机构改革。")]
    terms = _frame_at("国务院{TEXT}机构改革{TEXT_2}", rows)
    assert terms_in_context(terms) and rank_tier(terms) == 2
    # a verb is the head of 全力支持 (jieba tags the whole word a noun): a frame of its own
    rows = [("d1", "全力支持香港、澳门保持长期繁荣稳定。"), ("d2", "全力支持香港、澳门发展经济。")]
    support = _frame_at("全力支持香港、澳门{TEXT}", rows)
    assert not terms_in_context(support) and rank_tier(support) == 0
    # a fixed end or a figure slot makes it a frame
    rows = [("d1", "各级政府要依法接受人大及其常委会的监督。"), ("d2", "各级政府自觉接受人大及其常委会的监督。")]
    assert not terms_in_context(_frame_at("各级政府{TEXT}人大及其常委会的监督", rows))
    # one fixed piece under eight Han characters (a closed slot counting two) and no figure: too little wording
    rows = [("d1", "一、2013年工作回顾"), ("d2", "一、2014年工作回顾")]
    review = _frame_at("{YEAR}工作回顾", rows)
    review.slots[0].type = "YEAR"
    assert too_little_fixed(review) and rank_tier(review) == 2
    rows = [("d1", "中央财政赤字5000亿元。"), ("d2", "财政赤字1.62万亿元。")]
    deficit = _frame_at("{TEXT}财政赤字{MONEY}", rows)
    deficit.slots[1].type = "MONEY"
    assert not too_little_fixed(deficit) and rank_tier(deficit) == 0


def test_a_set_phrase_whose_slot_says_one_thing_ranks_with_the_constructions():
    # 经验 in every match, beside other words in four: the frame is 在总结经验的基础上
    rows = [("d1", "在总结经验的基础上，制定了规划。"), ("d2", "我们在总结过去经验的基础上，继续前进。"),
            ("d3", "在总结一九五八年经验的基础上。"), ("d4", "我们在总结几年来的经验的基础上。"),
            ("d5", "在总结正反两方面的经验的基础上。")]
    lessons = _frame_at("{TEXT}在总结{TEXT_2}的基础上", rows)
    assert says_one_thing(lessons) and rank_tier(lessons) == 2
    # the slot reads something other than its commonest word in two matches of five: content
    rows = [("d1", "高举邓小平理论伟大旗帜。"), ("d2", "高举中国特色社会主义伟大旗帜。"), ("d3", "高举中国特色社会主义伟大旗帜。"),
            ("d4", "高举邓小平理论和“三个代表”重要思想伟大旗帜。"), ("d5", "我们要高举毛泽东思想伟大旗帜。")]
    banner = _frame_at("{TEXT}高举{TEXT_2}伟大旗帜", rows)
    assert not says_one_thing(banner) and rank_tier(banner) == 0
    # four matches are too few to tell
    assert not says_one_thing(_frame_at("{TEXT}在总结{TEXT_2}的基础上", [
        ("d1", "在总结经验的基础上。"), ("d2", "在总结经验的基础上。"), ("d3", "在总结经验的基础上。"), ("d4", "在总结经验的基础上。")]))


def test_a_figure_never_opens_inside_a_word():
    text = "今年高校毕业生{TEXT}{NUM}"
    grads = Frame(template_id(text), text, [Slot("TEXT", "TEXT", [], 1), Slot("NUM", "NUM", [], 0)], [], True, True)
    # the figure's pattern takes the opener 达; after 高 it ends the word 高达 and stays in the free slot
    m = grads.match("今年高校毕业生将高达765万人，")
    assert m.values == {"TEXT": "将高达", "NUM": "765万人"} and m.spans == {"TEXT": (7, 10), "NUM": (10, 15)}
    assert grads.fill(m.values) == "今年高校毕业生将高达765万人"
    assert grads.match("今年高校毕业生达765万人").values == {"TEXT": "", "NUM": "达765万人"}
    text = "中央财政用于{TEXT}{MONEY}"
    farm = Frame(template_id(text), text, [Slot("TEXT", "TEXT", [], 0), Slot("MONEY", "MONEY", [], 0)], [], True, True)
    assert farm.match("中央财政用于“三农”的支出五年累计1.6万亿元").values == {"TEXT": "“三农”的支出五年累计", "MONEY": "1.6万亿元"}
    assert farm.match("中央财政用于“三农”投入约7000亿元").values == {"TEXT": "“三农”投入", "MONEY": "约7000亿元"}
    # by the segmenter in context, not by any pair in the dictionary (资金达 is no word, 金达 is a name)
    assert farm.match("中央财政用于社会保障的资金达1465亿元").values == {"TEXT": "社会保障的资金", "MONEY": "达1465亿元"}
    assert farm.match("中央财政用于涉企收费约2000亿元").values == {"TEXT": "涉企收费", "MONEY": "约2000亿元"}


def test_a_sentence_copied_between_documents_is_no_frame():
    import numpy as np

    from gkcorpus.boilerplate.phrases.formula_spans import spans_by_document
    from gkcorpus.boilerplate.records import Occurrence, Passage
    from gkcorpus.templates.frame_filters import copied_passage

    rows = [("d1", "我们要坚持对台工作大政方针。"), ("d2", "我们要继续贯彻对台工作的大政方针。")]
    taiwan = _frame_at("我们{TEXT}对台工作{TEXT_2}大政方针", rows)
    # the passages shared between the two documents, as the reuse miner gives them (overlapping, unordered)
    occ = lambda d, a, b: Occurrence(d, 0, a, b, a, b, "")  # noqa: E731
    passages = [Passage("p1", "对台工作", "verbatim", ["d1", "d2"], [occ("d1", 5, 9), occ("d2", 7, 11)]),
                Passage("p2", "我们要", "verbatim", ["d1", "d2"], [occ("d1", 0, 5), occ("d2", 0, 3)]),
                Passage("p3", "大政方针", "verbatim", ["d1", "d2", "d9"], [occ("d1", 9, 13), occ("d2", 12, 16), occ("d9", 0, 4)])]
    shared = spans_by_document(passages, ["d1", "d2"])  # d9 is not in the corpus
    assert {d: (list(a), list(b)) for d, (a, b) in shared.items()} == {"d1": ([0], [13]), "d2": ([0, 7, 12], [3, 11, 16])}
    # d1 inside, d2 in 11 of its 16 characters (3 + 4 + 4, under 80%): one of two matches
    assert not copied_passage(taiwan, shared)
    shared["d2"] = (np.array([0]), np.array([16]))
    assert copied_passage(taiwan, shared) and not copied_passage(taiwan, {"d1": shared["d1"]})
    # a figure in a slot is content, however much of the sentence is copied
    inside = {d: (np.array([0]), np.array([12])) for d in ("d1", "d2", "d3")}
    three = [("d1", "今年高校毕业生749万人。"), ("d2", "今年高校毕业生765万人。"), ("d3", "今年高校毕业生795万人。")]
    grads = _frame_at("今年高校毕业生{TEXT}", three)
    assert copied_passage(grads, inside)
    grads.slots[0].type = "NUM"
    assert not copied_passage(grads, inside)
    # ... unless it is the same figure in every copy (width folded)
    same = _frame_at("今年高校毕业生{TEXT}", [("d1", "今年高校毕业生749万人。"), ("d2", "今年高校毕业生749万人。"),
                                           ("d3", "今年高校毕业生７４９万人。")])
    same.slots[0].type = "NUM"
    assert copied_passage(same, inside)
    # a frame of two documents whose fixed wording runs over two clauses, both matches inside shared passages,
    # is one sentence copied once, its figure the edit; a one-clause measure in two documents keeps its figure
    pair = _frame_at("今年高校毕业生{TEXT}", three[:2])
    pair.slots[0].type = "NUM"
    assert not copied_passage(pair, inside)
    bonds = _frame_at("安排地方专项债券{TEXT}亿元，继续发行地方政府置换债券",
                      [("d1", "安排地方专项债券4000亿元，继续发行地方政府置换债券。"),
                       ("d2", "安排地方专项债券8000亿元，继续发行地方政府置换债券。")])
    bonds.slots[0].type = "MONEY"
    wide = {d: (np.array([0]), np.array([30])) for d in ("d1", "d2")}
    assert copied_passage(bonds, wide) and not copied_passage(bonds, {"d1": wide["d1"]})
    # a construction's slot is content, however long the copies of its sentences
    guide = _frame_at("以{TEXT}为指导", [("d1", "以邓小平理论为指导。"), ("d2", "以科学发展观为指导。")])
    assert is_construction(guide) and not copied_passage(guide, {"d1": (np.array([0]), np.array([9])), "d2": (np.array([0]), np.array([9]))})
    # the miner's flag puts it with the fixed strings, and the library file keeps it
    taiwan.copied = True
    assert rank_tier(taiwan) == 3 and taiwan.to_dict()["copied"] is True


def test_a_frame_read_again_in_the_sentences_of_one_above_it_comes_last_in_its_tier():
    rows = [("d1", "进出口总额2.4万亿美元。"), ("d2", "进出口总额3.9万亿美元。")]
    trade = _frame_at("进出口总额{TEXT}美元", rows)
    total = _frame_at("{TEXT}总额{TEXT_2}美元", rows)
    actors = _frame_at("{TEXT}调动{TEXT_2}的积极性", [("d5", "要调动农民的积极性。"), ("d6", "调动企业和职工的积极性。")])
    trade.slots[0].type = total.slots[1].type = "MONEY"
    assert [f.template for f in repeats_last([trade, total, actors])] == [trade.template, actors.template, total.template]
    # a frame with a figure slot the earlier one lacks reads something new
    words = _frame_at("进出口总额{TEXT}", rows)  # the figure left in text: tier 1
    assert [f.template for f in repeats_last([words, trade, actors])] == [trade.template, actors.template, words.template]
    # a frame overlapping fewer than 80% of its matches is no repeat
    other = _frame_at("{TEXT}总额{TEXT_2}美元", [("d1", "进出口总额2.4万亿美元。"), ("d3", "外贸总额1万亿美元。")])
    other.slots[1].type = "MONEY"
    assert [f.template for f in repeats_last([trade, other, actors])] == [trade.template, other.template, actors.template]


def test_figures_left_in_free_text_and_numbered_names_rank_below_frames_with_content():
    from gkcorpus.templates.frame_model import is_fixed_string, untyped_figure

    # the figure sits in the TEXT slot in two of three matches: no column of the wide table could hold it
    rows = [("d1", "农村居民人均纯收入实际增长9.3%。"), ("d2", "农村居民人均纯收入2936元。"), ("d3", "农村居民人均纯收入增长较快。")]
    income = _frame_at("农村居民人均纯收入{TEXT}", rows)
    assert untyped_figure(income) and rank_tier(income) == 1
    # the same figures in a typed slot are content
    typed = _frame_at("农村居民人均纯收入{TEXT}{NUM}", rows[:2])
    typed.slots[1].type = "NUM"
    assert not untyped_figure(typed)
    # a figure slot empty in a quarter of the matches or more: the figure is elsewhere
    from gkcorpus.templates.frame_model import figure_often_empty

    rows = [("d1", "城镇居民人均可支配收入达到5160元。"), ("d2", "城镇居民人均可支配收入实际增长8%。"),
            ("d3", "城镇居民人均可支配收入增长。"), ("d4", "城镇居民人均可支配收入达到9422元。")]
    urban = _frame_at("城镇居民人均可支配收入{TEXT}{NUM}", rows)
    urban.slots[1].type = "NUM"
    for ins, (text, num) in zip(urban.instances, [("达到", "5160元"), ("实际增长", "8%"), ("增长", ""), ("达到", "9422元")]):
        ins.slot_values = {"TEXT": text, "NUM": num}  # as the typed slots split them; the third has no figure
    assert figure_often_empty(urban) and rank_tier(urban) == 1
    urban.instances.pop(2)
    assert not figure_often_empty(urban) and rank_tier(urban) == 0
    # years, dates and ordinals are no figures: 现将…总结如下 keeps its place
    from gkcorpus.templates.frame_model import _FIGURE

    assert [bool(_FIGURE.search(v)) for v in ("住房39", "完成26000", "增长9.3%", "2936元", "３０万人", "完成2000亿元")] == [True] * 6
    assert not any(_FIGURE.search(v) for v in ("2019年", "截至2019", "2019.5", "5.15政务公开日", "第3个五年计划", "第2名", "10月"))
    rows = [("d1", "现将2019年政务公开工作总结如下。"), ("d2", "现将我镇“5.15政务公开日”活动工作总结如下。"),
            ("d3", "现将有关工作总结如下。")]
    opening = _frame_at("现将{TEXT}工作总结如下", rows)
    assert not untyped_figure(opening) and rank_tier(opening) == 0
    # a name whose only slot is an ordinal is a term of the bank with its number
    from gkcorpus.templates.frame_inner import ordinal_frames

    plan, = ordinal_frames(["胜利完成第一个五年计划", "在第二个五年计划期间", "执行第三个五年计划的任务"], [0, 1, 2], 3)
    assert plan.template == "第{ORD}个五年计划" and is_fixed_string(plan) and rank_tier(plan) == 3


def test_a_slot_holding_one_value_in_most_matches_is_wording():
    from gkcorpus.templates.frame_model import content_words, is_fixed_string

    assert content_words("诚挚的") == "诚挚" and content_words("的") == ""
    # 诚挚的 / 诚挚 are one value (3 of 4 matches): 表示{…}感谢 is a fixed string of the bank
    rows = [("d1", "我们向大家表示诚挚的感谢。"), ("d2", "向大家表示诚挚感谢。"), ("d3", "谨表示诚挚的感谢。"),
            ("d4", "对此表示衷心的感谢。")]
    thanks = _frame_at("{TEXT}表示{TEXT_2}感谢", rows)
    assert [i.slot_values["TEXT_2"] for i in thanks.instances] == ["诚挚的", "诚挚", "诚挚的", "衷心的"]
    assert is_fixed_string(thanks) and rank_tier(thanks) == 3
    # empty or 的 in two matches and one phrase in three more: wording too (5 of 7)
    rows = [("d1", "向关心和支持中国现代化建设的各国朋友。"), ("d2", "向关心和支持中国现代化建设的各国政府和各国朋友。"),
            ("d3", "向关心和支持中国现代化建设各国朋友。"), ("d4", "向关心和支持中国现代化建设的各国政府和各国朋友。"),
            ("d5", "向关心和支持中国现代化建设的亚洲的各国朋友。"), ("d6", "向关心和支持中国现代化建设的友好的各国朋友。"),
            ("d7", "向关心和支持中国现代化建设的各国政府和各国朋友。")]
    friends = _frame_at("向关心和支持中国现代化建设{TEXT}各国朋友", rows)
    assert rank_tier(friends) == 3
    # a value found in two matches only is no evidence of fixed text: the slot is content (2 + 0 of 7)
    friends = _frame_at("向关心和支持中国现代化建设{TEXT}各国朋友", rows[:6] + [("d7", "向关心和支持中国现代化建设的非洲的各国朋友。")])
    assert rank_tier(friends) == 0
    # values that differ in most matches are content
    rows = [("d1", "我们向大家表示诚挚的感谢。"), ("d2", "向大家表示深切感谢。"), ("d3", "谨表示衷心的感谢。"),
            ("d4", "对此表示由衷的感谢。")]
    assert not is_fixed_string(_frame_at("{TEXT}表示{TEXT_2}感谢", rows))


def test_a_general_wording_reading_the_figures_of_a_frame_above_it_comes_last():
    # the targets sentence in three reports; the general GDP frame reads those three and two reviews
    rows = [("d1", "今年发展的主要预期目标是，国内生产总值增长8%左右。"), ("d2", "今年发展的主要预期目标是，国内生产总值增长7.5%左右。"),
            ("d3", "今年发展的主要预期目标是，国内生产总值增长7%左右。"), ("d4", "国内生产总值增长6.9%。"), ("d5", "国内生产总值增长6.7%。")]
    targets = _frame_at("今年发展的主要预期目标是，国内生产总值增长{TEXT}", rows[:3])
    gdp = _frame_at("国内生产总值{TEXT}{TEXT_2}", rows)
    actors = _frame_at("{TEXT}调动{TEXT_2}的积极性", [("d5", "要调动农民的积极性。"), ("d6", "调动企业和职工的积极性。")])
    targets.slots[0].type = gdp.slots[1].type = "PERCENT"
    # all three target matches lie in the general frame's, and they are three of its five (at least a quarter)
    assert [f.template for f in repeats_last([targets, gdp, actors])] == [targets.template, actors.template, gdp.template]
    # the earlier frame's matches a fifth of its own (one of five): a frame of its own
    one = _frame_at("今年发展的主要预期目标是，国内生产总值增长{TEXT}", rows[:1])
    one.slots[0].type = "PERCENT"
    assert [f.template for f in repeats_last([one, gdp, actors])] == [one.template, gdp.template, actors.template]
    # an amount with its unit in the fixed text repeats the same amount read as MONEY
    budget = [("d1", "中央预算内投资安排5076亿元。"), ("d2", "中央预算内投资安排5376亿元。")]
    money = _frame_at("{TEXT}中央预算内投资安排{TEXT_2}", budget)
    count = _frame_at("中央预算内投资安排{TEXT}亿元", budget)
    money.slots[1].type, count.slots[0].type = "MONEY", "NUM"
    assert [f.template for f in repeats_last([money, count, actors])] == [money.template, actors.template, count.template]
    # a general wording without figures is the formula itself: it keeps its place after its variant
    summary = [("d1", "现将活动情况总结如下："), ("d2", "现将活动开展情况总结如下："), ("d3", "现将工作总结如下：")]
    variant = _frame_at("现将{TEXT}情况总结如下", summary[:2])
    formula = _frame_at("现将{TEXT}总结如下", summary)
    request = _frame_at("按照{TEXT}要求", [("d7", "按照上级要求。"), ("d8", "按照市政府的要求。")])
    assert [rank_tier(f) for f in (variant, formula, request)] == [0, 2, 2]
    assert [f.template for f in repeats_last([variant, formula, request])] == [variant.template, formula.template, request.template]


def test_a_sentence_found_in_two_documents_with_a_few_words_edited_is_a_copy():
    from gkcorpus.templates.frame_filters import edited_copy

    rows = [("d1", "推动西部大开发形成新格局，推动东北振兴取得新突破，促进中部地区加快崛起，鼓励东部地区加快推进现代化。"),
            ("d2", "推动西部大开发形成新格局，推动东北振兴取得新突破，推动中部地区高质量发展，鼓励东部地区加快推进现代化。")]
    regions = _frame_at("推动西部大开发形成新格局，推动东北振兴取得新突破，{TEXT}中部地区{TEXT_2}，鼓励东部地区加快推进现代化", rows)
    assert edited_copy(regions)
    # found in a third document it is left to the shared passages
    third = _frame_at(regions.template, rows + [("d3", rows[0][1])])
    assert not edited_copy(third)
    # a short frame is no copy (8 fixed Han characters, under twice a frame's minimum), nor one whose edits
    # outweigh half its fixed wording, nor one with a figure
    short = _frame_at("建立健全{TEXT}管理机制", [("d1", "建立健全长效管理机制。"), ("d2", "建立健全动态管理机制。")])
    assert not edited_copy(short) and edited_copy(short, min_fixed=8)
    subsidy = _frame_at("新增补贴重点向{TEXT}大户、农民专业合作{TEXT_2}组织倾斜", [
        ("d1", "新增补贴重点向主产区、重点品种、专业大户、农民专业合作组织倾斜。"),
        ("d2", "新增补贴重点向种养大户、农民专业合作社及各种生产服务组织倾斜。")])
    assert not edited_copy(subsidy)  # 2 + 8 Han characters edited in the second, against 18 fixed
    regions.slots[0].type = "NUM"
    assert not edited_copy(regions)
    # the slot leading the frame holds context, not edits
    lead = _frame_at("{TEXT}参与祖国现代化建设、促进祖国和平统一、推进中外{TEXT_2}的独特作用", [
        ("d1", "发挥侨胞参与祖国现代化建设、促进祖国和平统一、推进中外人文交流的独特作用。"),
        ("d2", "我们要更好发挥海外侨胞和归侨侨眷参与祖国现代化建设、促进祖国和平统一、推进中外交流合作的独特作用。")])
    assert edited_copy(lead)


def test_words_every_value_of_a_free_slot_holds_are_fixed_text():
    from gkcorpus.templates.frame_affixes import fold_affixes
    from gkcorpus.text.tokenize import Tokenizer

    cut = Tokenizer(backend="rjieba", keep_punct=True).cut
    # the fixed text ended inside 直接投资: the word joins it, the matches stay, their values shorter
    rows = [("d1", "非金融类对外直接投资433亿美元。"), ("d2", "非金融类对外直接投资1200亿美元。")]
    invest = _frame_at("非金融类对外直接{TEXT}亿美元", rows)
    folded = fold_affixes(invest, cut)
    assert folded.template == "非金融类对外直接投资{TEXT}亿美元"
    assert [i.slot_values for i in folded.instances] == [{"TEXT": "433"}, {"TEXT": "1200"}]
    assert [(i.start, i.end) for i in folded.instances] == [(i.start, i.end) for i in invest.instances]
    assert folded.slots[0].values == ["1200", "433"] and folded.slots[0].n_empty == 0
    # a suffix that is part of a word stays in the slot (积极|性 is no boundary)
    spirit = _frame_at("发挥{TEXT}和创造性", [("d1", "发挥群众的积极性和创造性。"), ("d2", "发挥职工的主动性和创造性。")])
    assert fold_affixes(spirit, cut) is spirit
    # a word ending every value joins the fixed text after it; a value may then be empty
    # nothing is folded into an empty piece before a slot of names: 以 stays in the free slot
    rows = [("d1", "在以江泽民同志为核心的党中央"), ("d2", "这是以习近平同志为核心的党中央")]
    leader = _frame_at("{TEXT}{PERSON}同志为核心的党中央", rows)
    leader.slots[1].type = "PERSON"
    leader.instances = [type(i)(i.doc_id, i.unit_id, i.sentence, i.start, i.end, i.raw_start, i.raw_end, v)
                        for i, v in zip(leader.instances, [{"TEXT": "在以", "PERSON": "江泽民"}, {"TEXT": "这是以", "PERSON": "习近平"}])]
    assert fold_affixes(leader, cut) is leader
    grow = _frame_at("国内生产总值{TEXT}", [("d1", "国内生产总值增长8%"), ("d2", "国内生产总值比上年增长7%")])
    grow.slots[0].type = "TEXT"
    assert fold_affixes(grow, cut) is grow  # 8% and 7% end the values: nothing shared
    jobs = _frame_at("失业率{TEXT}左右", [("d1", "失业率控制在4.5%左右"), ("d2", "失业率控制在5%左右")])
    assert fold_affixes(jobs, cut).template == "失业率控制在{TEXT}左右"
    # a slot whose values would all be empty, or a typed slot, is left alone
    same = _frame_at("今年{TEXT}开局之年", [("d1", "今年是开局之年"), ("d2", "今年是开局之年")])
    assert fold_affixes(same, cut) is same
    jobs.slots[0].type = "PERCENT"
    assert fold_affixes(jobs, cut) is jobs


def test_one_clause_instances_read_as_the_tuples_they_stand_for():
    from gkcorpus.templates.frame_cands import OneClauseInstances

    rows = [(0, 7, ("各项",)), (3, 70000, ("全面", "工作")), (3, 70001, ())]
    inst = OneClauseInstances.from_rows(rows)
    tuples = [(d, c, 1, v) for d, c, v in rows]
    assert len(inst) == 3 and list(inst) == tuples
    assert inst[1] == (3, 70000, 1, ("全面", "工作")) and inst[-1] == tuples[-1] and inst[1:] == tuples[1:]
    assert list(OneClauseInstances([], [], [])) == []


def test_siblings_whose_every_match_ends_alike_stay_apart():
    """推动{TEXT}增效 and 推动{TEXT}提质增效 are siblings (one head, 增效); the probe for other endings after 推动 matched
    提质增效 alone, and the matcher made that always-same ending fixed text, which left the probe without its choice
    slot: the miner stopped with an IndexError. The probe is now read with its slots as they are."""
    texts = ["区司法局将深化依法治理，推动全民普法工作提质增效，为建设更高水平的法治东湖作出新的更大贡献。",
             "强化绩效考核，将考核结果与村医补助资金拨付挂钩，推动基本公共卫生服务项目提质增效。",
             "三是坚持改革创新，深化“放管服”改革，以服务优化推动人防建设提质增效。",
             "规范畜禽养殖废弃物资源化利用；推进化肥农药减量增效，减少农业面源污染。"]
    from gkcorpus import Corpus
    from gkcorpus.base.io import RawDocument

    miner = FrameMiner().fit(Corpus.from_raw([RawDocument(str(i), t) for i, t in enumerate(texts)]))
    assert [(f.template, f.support, f.slots[0].values) for f in miner.library_] == [
        ("推动{TEXT}提质增效", 3, ["人防建设", "全民普法工作", "基本公共卫生服务项目"])]

"""Sentence templates: mining on the fifteen summaries, matching, filling, the library, the CLI."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcorpus.cli import main
from gkcorpus.app.skeleton import skeleton
from gkcorpus.templates.miner import (
    Slot,
    Template,
    TemplateLibrary,
    TemplateMiner,
    parse_template,
    render,
    template_id,
)

SLOT_NAME = re.compile(r"^(NUM|PERCENT|DATE|PLACEHOLDER|DOC_TITLE|QUOTE|ORG|PLACE|PERSON|TEXT|TOPIC)(_\d+)?$")


@pytest.fixture(scope="module")
def mined(bundled):
    return TemplateMiner().fit(bundled)


def _find(miner, needle):
    hits = [t for t in miner.templates_ if needle in t.template]
    assert len(hits) == 1, [t.template for t in hits]
    return hits[0]


# --------------------------------------------------------------------------- mining the summaries


def test_visitor_count_frame(mined):
    t = _find(mined, "此次活动共接访群众{NUM}余人")
    assert t.doc_ids == ["summary-02", "summary-10"]
    num = next(s for s in t.slots if s.name == "NUM")
    assert num.type == "NUM" and num.values == ["100", "300"]
    assert t.template.startswith("我们不仅向{TEXT}宣传了{ORG}所履行的实际职能")
    assert t.template.endswith("受到了来访群众的一致好评，问题解答满意率达到了100%")
    assert t.open_start  # summary-02 says 在活动中， first


def test_opening_frame(mined):
    t = _find(mined, "现将{TOPIC}总结如下")
    assert t.template == "现将{TOPIC}总结如下"
    assert t.doc_ids == ["summary-02", "summary-03", "summary-05", "summary-08"]
    assert t.slots[0].type == "TEXT"
    assert set(t.slots[0].values) == {"此次活动开展情况", "工作", "我镇20xx年政务公开工作", "活动开展情况"}


def test_closing_frame(mined):
    t = _find(mined, "再上新台阶")
    assert t.template.startswith("在今后的工作中，我们将{TEXT}进一步加强政务公开平台建设")
    assert t.template.endswith("经济社会在新的更高起点上实现大发展快发展")
    assert t.doc_ids == ["summary-09", "summary-10", "summary-11"]
    values = {s.name: s.values for s in t.slots}
    assert values["ORG"] == ["葵英街道办事处", "我镇"]
    assert values["PLACE"] == ["本地区", "我镇"]
    assert values["TEXT"] == ["继续在上级的指导下，"]  # empty in summary-09
    assert t.slots[0].n_empty == 1


def test_typed_slots_from_widened_values(mined):
    t = _find(mined, "的活动当天")
    assert t.template == "在{DATE}的活动当天"
    assert t.slots[0].values == ["5月15日", "5月18日"]


def test_templates_read_naturally(mined):
    assert 20 <= len(mined.templates_) <= 45
    for t in mined.templates_:
        pieces, names = parse_template(t.template)
        assert all(SLOT_NAME.match(n) for n in names), t.template
        assert len(set(names)) == len(names)
        assert sum(len(p) for p in pieces) >= 4
        assert "\ue000" not in t.template and "\ue001" not in t.template
        assert t.id == template_id(t.template)
        assert t.support >= 2


def test_instances_fill_back_to_their_spans(mined, bundled):
    for t in mined.templates_:
        for inst in t.instances:
            assert t.fill(inst.slot_values) == bundled[inst.doc_id].text[inst.start:inst.end]
            assert inst.sentence in bundled[inst.doc_id].text


def test_labels_point_at_templates(mined):
    ids = {t.id for t in mined.templates_}
    assert len(mined.labels_) == len(mined.units_)
    assert {x for x in mined.labels_ if x} == ids
    assert sum(1 for x in mined.labels_ if x) == sum(len(t.instances) for t in mined.templates_)


def test_mining_is_deterministic(bundled, mined):
    again = TemplateMiner().fit(bundled)
    assert [t.to_dict() for t in again.templates_] == [t.to_dict() for t in mined.templates_]


def test_token_alignment_also_finds_the_frames(bundled):
    m = TemplateMiner(align="token").fit(bundled)
    texts = [t.template for t in m.templates_]
    assert any("此次活动共接访群众{NUM}余人" in x for x in texts)
    assert any(x.startswith("在今后的工作中，我们将") for x in texts)
    # jieba cuts 工作总结 as one word in summary-05 but 总结 alone elsewhere: over tokens the
    # 现将…总结如下 frame is lost, which is why characters are the default
    assert "现将{TOPIC}总结如下" not in texts


def test_min_support_three(bundled):
    m = TemplateMiner(min_support=3).fit(bundled)
    assert m.templates_ and all(t.support >= 3 for t in m.templates_)


def test_a_repeated_sentence_is_aligned_once_and_keeps_every_instance():
    """Copies of a sentence are one core: one candidate pair per family, every copy an instance."""
    sents = ["现将上半年工作总结如下。", "现将上半年工作总结如下。", "现将上半年工作总结如下。", "现将活动开展情况总结如下：",
             "今年共接待群众100余人。", "今年共接待群众300余人。", "今年共接待群众300余人。"]
    docs = ["a", "b", "c", "d", "a", "b", "c"]
    m = TemplateMiner().fit_sentences(sents, docs)
    assert m.n_candidates_ == 2  # (上半年工作, 活动开展情况) and (100, 300): copies are not paired
    topic, num = m.templates_
    assert topic.template == "现将{TOPIC}总结如下" and topic.doc_ids == ["a", "b", "c", "d"]
    assert [i.unit_id for i in topic.instances] == ["a#t0", "b#t1", "c#t2", "d#t3"]
    assert topic.slots[0].values == ["上半年工作", "活动开展情况"]
    assert num.template == "今年共接待群众{NUM}余人" and [i.slot_values["NUM"] for i in num.instances] == ["100", "300", "300"]
    assert m.labels_ == [topic.id] * 4 + [num.id] * 3
    assert len(m.units_) == 7 and m.units_[6].sentence == "今年共接待群众300余人。" and m.units_[-1].unit_id == "c#t6"


def test_candidate_pairs_stand_for_distinct_cores(mined):
    from gkcorpus.templates.miner import candidate_pairs

    units = list(mined.units_)
    pairs = candidate_pairs(units)
    firsts = {}
    for k, u in enumerate(units):
        firsts.setdefault(u.core, k)
    assert len(pairs) == mined.n_candidates_ == 491
    for ev, i, j in pairs:
        assert i < j and firsts[units[i].core] == i and firsts[units[j].core] == j and ev >= 3
    assert len({(i, j) for _, i, j in pairs}) == len(pairs)


# --------------------------------------------------------------------------- extraction


def test_extraction_table_lists_the_figures(mined, bundled):
    df = mined.transform(bundled)
    rows = df[df.template.str.contains("接访群众") & (df.slot == "NUM")]
    assert rows.doc_id.tolist() == ["summary-02", "summary-10"]
    assert rows.value.tolist() == ["100", "300"]
    assert rows.number.tolist() == [100.0, 300.0]
    for r in rows.itertuples():
        doc = bundled[r.doc_id]
        assert doc.text[r.value_start:r.value_end] == r.value
        assert r.value in doc.raw[r.value_raw_start:r.value_raw_end]  # the raw page has the same digits
        assert "接訪群眾" in doc.raw[r.raw_start:r.raw_end]  # raw offsets reach the Traditional source
    assert list(df.columns[:8]) == ["doc_id", "unit_id", "template_id", "template", "slot", "type", "value", "number"]


def test_library_applies_to_new_text_without_mining(mined, tmp_path):
    path = mined.library_.save(tmp_path / "templates.json")
    lib = TemplateLibrary.load(path)
    assert [t.to_dict() for t in lib] == [t.to_dict() for t in mined.templates_]
    text = "今年我局认真组织开展了宣传活动，现将全年政务公开工作总结如下：\n一、下一步工作计划\n在5月20日的活动当天，局领导到场。"
    df = lib.extract(text)
    got = {(r.template, r.value) for r in df.itertuples()}
    assert ("现将{TOPIC}总结如下", "全年政务公开工作") in got
    assert ("下一步工作{TEXT}", "计划") in got
    assert ("在{DATE}的活动当天", "5月20日") in got
    assert lib.assign(["现将上半年工作总结如下：", "这句话不套用任何模板。"]) == [lib.templates[0].id if lib.templates[0].template == "现将{TOPIC}总结如下" else next(t.id for t in lib if t.template == "现将{TOPIC}总结如下"), None]


def test_loading_a_bad_library_is_a_load_error(tmp_path):
    from gkcorpus.base.io import LoadError

    p = tmp_path / "x.json"
    p.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(LoadError, match="not a template library"):
        TemplateLibrary.load(p)
    with pytest.raises(LoadError, match="no such file"):
        TemplateLibrary.load(tmp_path / "missing.json")


def test_extraction_matches_each_distinct_sentence_once_with_the_same_rows(mined, bundled):
    """Rows of the vectorised extraction equal a row-by-row matching of every sentence."""
    lib = mined.library_
    df = lib.extract(bundled)
    expected = []
    for doc, u, m in lib.iter_matches(bundled):
        for slot in m.template.slots or [None]:
            expected.append((doc.id, u.unit_id, m.template.id, slot.name if slot else "",
                             m.values[slot.name] if slot else "", u.core_start + m.start, u.core_start + m.end))
    got = list(zip(df.doc_id, df.unit_id, df.template_id, df.slot, df.value, df.start, df.end))
    assert got == expected and len(got) == 154
    best = lib.extract(bundled, best_only=True)
    assert len(best) < len(df) and set(best.unit_id) == set(df.unit_id)
    assert lib.extract("这句话不套用任何模板。").empty


def test_candidate_index_finds_every_key_in_bulk():
    from gkcorpus.templates.library import _KeyIndex

    keys = [f"{a}{b}工作{c}" for a in ("加强", "推进", "深化", "完善") for b in ("改革", "建设", "管理", "服务")
            for c in ("机制", "体系", "规划", "制度", "标准")] + ["总结", "", "各位代表"]
    index = _KeyIndex(keys)  # more than 64 keys, one of two characters and an empty one
    texts = ["要加强改革工作机制，推进建设工作体系", "各位代表：现将总结如下", "深化管理工作制度", "无关的句子", ""]
    want = [[k for k, key in enumerate(keys) if key in t] for t in texts]
    assert index.candidates_many(texts) == [index.candidates(t) for t in texts] == want
    assert want[0] == [0, 26, 81] and want[1] == [80, 81, 82] and want[3] == [81]
    few = _KeyIndex(keys[:3] + keys[-3:])  # a handful of keys: the same answers
    assert few.candidates_many(texts) == [[k for k, key in enumerate(keys[:3] + keys[-3:]) if key in t] for t in texts]


_ALPHA = st.sampled_from(list("的是在工作年月日，；：12%《》“”"))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_matching_without_the_regex_gives_the_regex_answer(data):
    """Template.match decides without compiling the regex only when the placement is unique:
    on texts full of repeated pieces, clause marks and digits it still equals the regex's match."""
    k = data.draw(st.integers(0, 3))
    pieces = [data.draw(st.text(alphabet=_ALPHA, min_size=0 if i in (0, k) else 1, max_size=3)) for i in range(k + 1)]
    kinds = data.draw(st.lists(st.sampled_from(["TEXT", "NUM", "DATE", "PERCENT", "DOC_TITLE", "QUOTE"]),
                               min_size=k, max_size=k))
    names = [f"{kind}_{i + 1}" for i, kind in enumerate(kinds)]
    t = Template.from_text(render(pieces, names), open_start=data.draw(st.booleans()), open_end=data.draw(st.booleans()))
    for s in t.slots:
        s.n_empty = data.draw(st.integers(0, 1))
    text = "".join(data.draw(st.lists(st.one_of(st.sampled_from(pieces + ["5", "5月1日", "3%", "，"]),
                                                st.text(alphabet=_ALPHA, max_size=3)), max_size=8)))
    got = t.match(text)
    regex = t.regex().search(text)
    if regex is None:
        assert got is None
    else:
        assert got is not None and (got.start, got.end) == regex.span()
        assert [got.values[s.name] for s in t.slots] == [g or "" for g in regex.groups()]
        assert [got.spans[s.name] for s in t.slots] == [regex.span(i) for i in range(1, k + 1)]


def test_a_typed_template_is_matched_without_compiling_its_regex():
    t = Template.from_text("城镇新增就业{NUM}万人，比上年增加{NUM_2}万人")
    m = t.match("城镇新增就业1100万人，比上年增加20万人")
    assert m.values == {"NUM": "1100", "NUM_2": "20"} and t._regex is None
    assert t.match("城镇新增就业很多人") is None and t._regex is None
    ambiguous = Template.from_text("{NUM}余{TEXT}")  # 100|人余款 or 100余人|款: the regex decides
    assert ambiguous.match("100余人余款").values == {"NUM": "100余人", "TEXT": "款"}
    assert ambiguous._regex is not None


# --------------------------------------------------------------------------- filling


def test_fill():
    t = Template.from_text("此次活动共接访群众{NUM}余人")
    assert t.slots[0].type == "NUM"
    assert t.fill(NUM=120) == "此次活动共接访群众120余人"
    with pytest.raises(KeyError, match="missing"):
        t.fill()
    with pytest.raises(KeyError, match="unknown"):
        t.fill(NUM=1, DATE="5月")
    assert Template.from_text("现将{TOPIC}总结如下").fill({}, strict=False) == "现将{TOPIC}总结如下"


def test_literal_braces_round_trip():
    pieces, names = ["公式{x}：", "。"], ["NUM"]
    text = render(pieces, names)
    assert text == "公式{{x}}：{NUM}。"
    assert parse_template(text) == (pieces, names)
    assert Template.from_text(text).fill(NUM=3) == "公式{x}：3。"


def test_repeated_slot_name_is_refused():
    with pytest.raises(ValueError, match="repeats"):
        Template.from_text("{NUM}和{NUM}")


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_piece = st.text(alphabet=_HAN, min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(_piece, min_size=2, max_size=5),
    data=st.data(),
)
def test_match_then_fill_reproduces_the_sentence(pieces, data):
    """Values extracted by matching, filled back into the template, give the sentence again."""
    k = len(pieces) - 1
    kinds = data.draw(st.lists(st.sampled_from(["TEXT", "NUM", "DATE"]), min_size=k, max_size=k))
    names = [f"{kind}_{i + 1}" for i, kind in enumerate(kinds)]
    t = Template.from_text(render(pieces, names))
    values = {}
    for n, kind in zip(names, kinds):
        if kind == "NUM":
            values[n] = str(data.draw(st.integers(min_value=0, max_value=10**6)))
        elif kind == "DATE":
            values[n] = f"{data.draw(st.integers(1, 12))}月{data.draw(st.integers(1, 28))}日"
        else:
            values[n] = data.draw(st.text(alphabet=_HAN, min_size=1, max_size=8))
    sentence = t.fill(values)
    m = t.match(sentence)
    assert m is not None and (m.start, m.end) == (0, len(sentence))
    assert t.fill(m.values) == sentence


# --------------------------------------------------------------------------- skeleton


@pytest.fixture(scope="module")
def frames(bundled):
    from gkcorpus.templates.frames import FrameMiner

    return FrameMiner().fit(bundled).library_


def test_skeleton_from_headings(frames, bundled):
    sk = skeleton(bundled, frames, section_types=False)
    names = [s["name"] for s in sk.sections]
    assert names == ["开头", "基本情况", "主要做法", "工作成效", "存在问题", "下一步打算", "结尾"]
    assert [(t["template"], t["support"]) for t in sk.sections[0]["templates"]] == [
        ("现将{TEXT}总结如下", 5), ("按照{TEXT}要求", 5), ("现将{TEXT}情况总结如下", 3),
        ("结合{TEXT}实际，我镇按照要求组织开展“5.15政务公开日”主题活动", 2), ("以“{TEXT}营商环境”为主题", 2)]
    assert [(t["template"], t["support"]) for t in sk.sections[1]["templates"]] == [
        ("发放{TEXT}{NUM}", 3), ("受到{TEXT}好评", 2)]
    md = sk.to_markdown()
    # a slot at the edge of a frame says where free text goes: no … beside it
    assert md.startswith("# Document skeleton") and "- `…现将{TEXT}总结如下…` — 5 documents" in md
    assert "- `…发放{TEXT}{NUM}` — 3 documents" in md


def test_skeleton_lists_each_parts_set_phrases(frames, bundled):
    """With a fitted phrase bank each part lists the formulae found in it in two documents or more and in at least
    half the (document, part) pairs holding them: by documents, then length."""
    from gkcorpus.boilerplate.phrases import FormulaMiner, PhraseMiner

    sk = skeleton(bundled, frames, section_types=False, phrases=FormulaMiner().fit(bundled))
    phrases = {s["name"]: [(p["phrase"], p["support"]) for p in s["phrases"]] for s in sk.sections}
    assert phrases["开头"] == [("关于…政务公开日", 7), ("按照…要求", 6), ("现将…总结如下", 5), ("贯彻落实", 5),
                             ("现将…情况总结", 4)]
    assert phrases["主要做法"] == [("主要做法", 3), ("办事公开", 2), ("行政审批", 2)]
    assert phrases["下一步打算"] == [("加强对政务公开工作", 3), ("政务公开的内容、形式", 2)]
    assert phrases["存在问题"] == []
    md = sk.to_markdown()
    assert "Set phrases: `关于…政务公开日` (7); `按照…要求` (6); `现将…总结如下` (5); `贯彻落实` (5); `现将…情况总结` (4)." in md
    # the earlier n-gram bank: its contiguous phrases; a phrase inside a longer one listed before it is left out
    legacy = skeleton(bundled, frames, section_types=False, phrases=PhraseMiner().fit(bundled))
    nxt = next(s for s in legacy.sections if s["name"] == "下一步打算")["phrases"]
    assert [p["phrase"] for p in nxt] == ["加强对政务公开", "下一步工作", "加强对政务公开工作的领导", "进一步提高", "廉政建设"]
    # no bank, or none wanted: no set phrases
    assert all(s["phrases"] == [] for s in skeleton(bundled, frames, section_types=False).sections)
    assert "Set phrases" not in skeleton(bundled, frames, section_types=False).to_markdown()


def test_skeleton_lists_a_frame_where_its_matches_concentrate(frames, bundled):
    from gkcorpus.outline.typer import SectionTyper

    typer = SectionTyper(random_state=0).fit(bundled)  # what skeleton fits by itself, fitted once for both
    sk = skeleton(bundled, frames, typer=typer)
    parts = {s["name"]: [t["template"] for t in s["templates"]] for s in sk.sections}
    # 受到{TEXT}好评 lies in two parts in two documents each: half its (document, part) pairs in each
    assert [n for n, ts in parts.items() if "受到{TEXT}好评" in ts] == ["基本情况 (+4)", "深入群众，全面公开 (+1)"]
    assert parts["(closing) 政务公开 · 工作 · 发展 · 再上新台阶"][0] == "{TEXT}政务公开工作再上新台阶"
    # 营造{TEXT}氛围: ten documents, no part holding half of its (document, part) pairs -- listed nowhere
    spread = frames[[t.template for t in frames].index("营造{TEXT}氛围")]
    assert spread.doc_ids == ["summary-02", "summary-04", "summary-06", "summary-08", "summary-09", "summary-10",
                              "summary-11", "summary-12", "summary-14", "summary-15"]
    assert [n for n, ts in parts.items() if "营造{TEXT}氛围" in ts] == []
    stricter = skeleton(bundled, frames, typer=typer, min_share=0.6)  # two of four pairs is too few now
    listed = {t["template"] for s in stricter.sections for t in s["templates"]}
    assert "受到{TEXT}好评" not in listed and "营造{TEXT}氛围" not in listed
    assert [t["template"] for t in stricter.sections[1]["templates"]] == ["发放{TEXT}{NUM}"]


def test_skeleton_uses_a_fitted_section_typer_as_it_is(frames, bundled, monkeypatch):
    from gkcorpus.outline.common import common_outline
    from gkcorpus.outline.typer import SectionTyper

    refitted = skeleton(bundled, frames)  # fits SectionTyper(random_state=0) itself
    typer = SectionTyper(random_state=0).fit(bundled)
    common = common_outline(typer.outlines(), typer.types_)

    def no_refit(self, *a, **kw):
        raise AssertionError("skeleton refitted the section typer")

    monkeypatch.setattr(SectionTyper, "fit", no_refit)
    given = skeleton(bundled, frames, typer=typer)
    assert given.to_dict() == refitted.to_dict() and given.source == "section_types"
    assert skeleton(bundled, frames, typer=typer, common=common).to_dict() == refitted.to_dict()
    assert len(given.sections) == 11
    assert given.sections[0]["templates"][0] == {
        "id": "t3f4e1a2de3", "template": "现将{TEXT}总结如下", "support": 5, "open_start": True, "open_end": True,
        "example": "深入到群众中去，广泛开展政策咨询，征求群众的意见和建议，切实做好解决群众“办事难”问题，营造良好的营商环境氛围，"
                   "现将此次活动开展情况总结如下："}


def test_skeleton_lists_a_part_its_form_decides_from_two_documents(bundled):
    """An appendix held by two of fifteen documents is a part of the genre (its form says so): listed, after the
    closing (also where no document holds both); a clustered type held by two documents is not (below
    ``min_support``)."""
    import pandas as pd
    from types import SimpleNamespace

    rows = []
    for k, d in enumerate(bundled):
        n = len(d.text)
        cut = [0, n // 4, n // 2, 3 * n // 4, n]
        # an appendix after the closing (document 2) or in a document without one (document 3)
        types = [0, 1, 4, 2] if k < 2 else [0, 1, 2, 3] if k == 2 else [0, 1, 1, 3] if k == 3 else [0, 1, 1, 2]
        rows += [(d.id, cut[i], cut[i + 1], t, f"H{t}") for i, t in enumerate(types)]
    typer = SimpleNamespace(
        segments_=pd.DataFrame(rows, columns=["doc_id", "start", "end", "type", "heading"]), parts_=[],
        types_=[SimpleNamespace(type_id=t, name=n) for t, n in
                enumerate(["(opening) a", "body", "(closing) c", "(appendix) 注释", "rare"])],
        form_types_={"preamble": 0, "closing": 2, "appendix": 3})
    common = SimpleNamespace(consensus=[{"type": 0, "name": "(opening) a"}, {"type": 1, "name": "body"},
                                        {"type": 2, "name": "(closing) c"}])
    sk = skeleton(bundled, TemplateLibrary([]), typer=typer, common=common)
    assert [(s["name"], s["support"]) for s in sk.sections] == [
        ("(opening) a", 15), ("body", 15), ("(closing) c", 14), ("(appendix) 注释", 2)]
    # without the form type (a section typer's clusters), the same two documents are too few
    typer.form_types_ = {}
    assert [s["name"] for s in skeleton(bundled, TemplateLibrary([]), typer=typer, common=common).sections] == [
        "(opening) a", "body", "(closing) c"]


def test_skeleton_shows_a_title_frame_as_a_whole_line(bundled):
    from gkcorpus.templates.frame_lines import LineFrame
    from gkcorpus.templates.frames import Frame
    from gkcorpus.templates.model import Instance

    def at_start(cls, text):
        inst = [Instance(d, f"{d}#t0", "", 0, 4, 0, 4, {"NUM": "1"}) for d in ("summary-01", "summary-02", "summary-03")]
        return cls(template_id(text), text, [Slot("NUM", "NUM")], inst, True, True)

    lib = TemplateLibrary([at_start(LineFrame, "政务公开活动总结{NUM}"), at_start(Frame, "活动开展{NUM}次")])
    md = skeleton(bundled, lib, section_types=False).to_markdown()
    assert "- `政务公开活动总结{NUM}` — 3 documents" in md  # a title line: no free text around it
    assert "- `…活动开展{NUM}次…` — 3 documents" in md


def test_skeleton_of_sentence_templates(mined, bundled):
    """The whole-sentence templates (library API) still make a skeleton."""
    sk = skeleton(bundled, mined.library_, section_types=False)
    opening = sk.sections[0]["templates"]
    assert opening[0]["template"] == "现将{TOPIC}总结如下" and opening[0]["support"] == 4
    assert "`…现将{TOPIC}总结如下` — 4 documents" in sk.to_markdown()


# --------------------------------------------------------------------------- command line


@pytest.mark.slow
def test_cli_mine_match_fill(tmp_path, capsys):
    out = tmp_path / "mined"
    assert main(["templates", "mine", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith("44 frames, 140 matches in 15 documents, 4 numeric columns; "
                                              "wrote frames.json, frames.md, matches.csv, numeric.csv to ")
    assert sorted(p.name for p in out.iterdir()) == ["frames.json", "frames.md", "matches.csv", "numeric.csv"]
    data = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    assert len(data) == 44 and all(d["frame"] and d["where"] == "body" for d in data)
    assert {"id", "template", "slots", "support", "instances"} <= set(data[0])
    assert {"doc_id", "sentence", "slot_values"} <= set(data[0]["instances"][0])
    assert (out / "frames.md").read_text(encoding="utf-8").startswith("# Sentence frames")
    rows = (out / "matches.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "frame_id,frame,doc_id,unit_id,start,end,raw_start,raw_end,sentence,slot_values"
    assert len(rows) == 141
    numeric = (out / "numeric.csv").read_text(encoding="utf-8-sig").splitlines()
    # a column per measure (活动共接访群众: the frame's words before the number, 此次 left out), the unit
    # from the frame's text kept with the value (300余人); other numbers keep a column of their frame
    assert numeric[0] == ("doc_id,{TEXT}{NUM}，受到了来访群众的一致好评，问题解答满意率达到了100% [NUM],活动共接访群众 [NUM],"
                          "发放{TEXT}{NUM} [NUM],在政务公开前{NUM} [NUM]")
    assert numeric[10] == "summary-10,1800余份,300余人,1800余份,"

    ext = tmp_path / "ext"
    assert main(["templates", "match", str(out / "frames.json"), "-o", str(ext)]) == 0
    assert "140 matches of 44 of 44 templates in 15 documents" in capsys.readouterr().out
    table = (ext / "extractions.csv").read_text(encoding="utf-8-sig")
    assert ",NUM,NUM,300,300.0," in table and ",NUM,NUM,100,100.0," in table

    assert main(["templates", "fill", "--template", "现将{TOPIC}总结如下", "TOPIC=上半年工作"]) == 0
    assert capsys.readouterr().out.strip() == "现将上半年工作总结如下"
    tid = next(d["id"] for d in data if d["template"] == "此次活动共接访群众{NUM}余人")
    assert main(["templates", "fill", "--library", str(out / "frames.json"), "--id", tid, "NUM=250"]) == 0
    assert capsys.readouterr().out.strip() == "此次活动共接访群众250余人"
    sk = tmp_path / "skeleton.md"
    assert main(["templates", "skeleton", "--library", str(out / "frames.json"), "-o", str(sk)]) == 0
    assert "- `…现将{TEXT}总结如下…` — 5 documents" in sk.read_text(encoding="utf-8")


@pytest.mark.slow
def test_cli_mine_sentence_templates(tmp_path, capsys):
    out = tmp_path / "sentences"
    assert main(["templates", "mine", "--sentences", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith("31 templates over 15 documents (72 of 335 sentences); wrote "
                                              "templates.json, templates.md, instances.csv, extractions.csv to ")
    data = json.loads((out / "templates.json").read_text(encoding="utf-8"))
    assert len(data) == 31 and not any(d.get("frame") for d in data)
    inst = (out / "instances.csv").read_text(encoding="utf-8-sig").splitlines()
    assert inst[0] == "template_id,template,doc_id,unit_id,start,end,raw_start,raw_end,sentence,slot_values"
    tid = next(d["id"] for d in data if d["template"] == "在{DATE}的活动当天")
    assert main(["templates", "fill", "--library", str(out / "templates.json"), "--id", tid, "DATE=6月1日"]) == 0
    assert capsys.readouterr().out.strip() == "在6月1日的活动当天"
    assert main(["templates", "mine", "--min-docs", "0", "-o", str(tmp_path / "bad")]) == 1
    assert "--min-docs must be at least 1, got 0" in capsys.readouterr().err


_SAFE = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_match_then_fill_reproduces_a_mined_frame(frames_json, data):
    """Any frame of a saved frames.json, filled with values its slots took in the corpus (a TEXT slot
    also with new words), is found again inside a sentence, and filling it with the values matched
    gives the matched text back."""
    lib = frames_json
    t = lib[data.draw(st.integers(0, len(lib) - 1))]
    values = {}
    for s in t.slots:
        choices = [v for v in s.values if v]
        if s.type == "TEXT":
            values[s.name] = data.draw(st.one_of(st.sampled_from(choices), _SAFE))
        else:
            values[s.name] = data.draw(st.sampled_from(choices))
    clause = t.fill(values)
    sentence = "前文，" + clause + "。"
    m = t.match(sentence)
    assert m is not None and sentence[m.start:m.end] == clause
    assert t.fill(m.values) == clause


@pytest.fixture(scope="module")
def frames_json(frames, tmp_path_factory):
    from gkcorpus.templates.frames import load_library

    path = tmp_path_factory.mktemp("frames") / "frames.json"
    frames.save(path)
    return load_library(path)


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["templates", "fill", "--template", "现将{TOPIC}总结如下"]) == 1
    assert "missing value(s) for TOPIC" in capsys.readouterr().err
    assert main(["templates", "fill", "--template", "现将{TOPIC}总结如下", "TOPIC"]) == 1
    assert "expected SLOT=VALUE" in capsys.readouterr().err
    assert main(["templates", "fill", "--id", "t0", "X=1"]) == 1
    assert "--id needs --library" in capsys.readouterr().err
    assert main(["templates", "match", str(tmp_path / "nope.json"), "-o", str(tmp_path / "o")]) == 1
    assert "no such file" in capsys.readouterr().err


# --------------------------------------------------------------------------- national reports


def test_national_reports_share_their_formulae(shared_corpora):
    """On the opening and closing paragraphs of the 50 reports: the formulae of the genre."""
    import gkcorpus

    corpus = gkcorpus.load(shared_corpora / "gwr_national.jsonl")
    docs = []
    for d in corpus:
        paras = d.text.split("\n")
        docs.append((d.id, "\n".join(paras[:4] + paras[-6:]) if len(paras) > 10 else d.text))
    m = TemplateMiner().fit(docs)
    by_text = {t.template: t for t in m.templates_}
    assert by_text["各位代表"].support >= 30
    report = [t for t in m.templates_ if t.template.startswith("现在，我代表国务院")]
    assert report and report[0].support >= 5 and report[0].slots
    unite = [t for t in m.templates_ if "团结在以" in t.template and "党中央周围" in t.template]
    assert unite, [t.template for t in m.templates_ if "团结" in t.template]
    assert any(t.support >= 3 for t in unite)
    assert any(t.template.startswith("让我们") for t in unite)


def test_markdown_counts_a_sentence_with_two_matches_once():
    from gkcorpus.templates.frames import Frame
    from gkcorpus.templates.library import TemplateLibrary
    from gkcorpus.templates.model import Instance, Slot

    two = "拟安排财政赤字1.12万亿元，其中中央财政赤字1.62万亿元"
    one = "削减财政赤字450亿元"
    inst = [Instance("a", "a#s1", two, 3, 16, 3, 16, {"MONEY": "1.12万亿元"}),
            Instance("a", "a#s1", two, 21, 33, 21, 33, {"MONEY": "1.62万亿元"}),
            Instance("b", "b#s4", one, 2, 12, 2, 12, {"MONEY": "450亿元"})]
    frame = Frame("t1", "财政赤字{MONEY}", [Slot("MONEY", "MONEY", ["1.12万亿元", "1.62万亿元", "450亿元"], 0)], inst,
                  True, True)
    md = TemplateLibrary([frame]).to_markdown()
    assert "- id `t1`, 2 documents, 2 sentences (3 matches): a, b" in md
    assert md.count(f"  - a: {two}") == 1 and f"  - b: {one}" in md  # each sentence once among the examples
    frame.instances = [inst[0], inst[2]]
    assert "- id `t1`, 2 documents, 2 sentences: a, b" in TemplateLibrary([frame]).to_markdown()

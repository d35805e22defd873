"""The phrase bank (formula miner): counts checked against grep, closure and links, variants, kinds,
positions, exports and the phrases command."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest
from sklearn.base import clone

from gkcorpus.boilerplate.phrases.formula_export import write_formulabank
from gkcorpus.boilerplate.phrases.formula_kinds import (KindFeatures, decide_gapped_kind, decide_kind, is_clipped_clause,
                                                       is_fragment, is_incomplete, is_open_frame, position_categories,
                                                       position_zones)
from gkcorpus.boilerplate.phrases.formula_miner import FormulaMiner
from gkcorpus.boilerplate.reuse import ReuseFinder


@pytest.fixture(scope="module")
def miner(bundled):
    passages = ReuseFinder().fit(bundled).passages_
    return FormulaMiner().fit(bundled, passages=passages)


@pytest.fixture(scope="module")
def bank(miner):
    return {f.phrase: f for f in miner.formulae_}


def grep(corpus, pattern):
    """(documents, matches) of a regular expression over the cleaned texts."""
    hits = [len(re.findall(pattern, d.text)) for d in corpus]
    return sum(1 for h in hits if h), sum(hits)


def test_every_count_is_what_grep_finds(bundled, miner):
    # df and tf are the regular expression's (the wording shown, or the gapped pattern), folded or not
    for f in miner.formulae_:
        assert (f.df, f.tf) == grep(bundled, f.pattern or re.escape(f.phrase)), f.phrase
        if not f.variants:
            assert (f.df_folded, f.tf_folded) == (f.df, f.tf)
    assert len(miner.formulae_) >= 150


@pytest.mark.parametrize("phrase,df,tf", [
    ("高度重视", 6, 10),
    ("再上新台阶", 5, 5),
    ("在今后的工作中", 4, 4),
    ("领导小组", 6, 8),
    ("按照…要求", 9, 12),
    ("营造…氛围", 11, 14),
    ("现将…总结如下", 5, 5),
])
def test_known_frequencies(bank, phrase, df, tf):
    # counted by reading the cleaned texts (按照…要求: fillers of up to 60 characters inside one clause)
    assert (bank[phrase].df, bank[phrase].tf) == (df, tf)


def test_gapped_formulae_keep_their_documents_and_fillers(bank):
    f = bank["现将…总结如下"]
    assert f.docs == ["summary-02", "summary-03", "summary-05", "summary-08", "summary-12"]
    assert f.pattern.startswith("现将[^") and "此次活动开展情况" in f.fillers
    assert bank["按照…要求"].kind == "formula" and bank["营造…氛围"].kind == "collocation"
    assert bank["再上新台阶"].docs == ["summary-01", "summary-09", "summary-10", "summary-11", "summary-15"]


def test_gapped_frames_need_two_documents_and_single_uses_are_not_formulae(bundled, bank):
    # with fillers of up to 60 characters, 根据…部署 is in two summaries (a third has a 68-character
    # document title in between) with different fillers: two uses of one frame, listed (gapped entries
    # need min_df - 1 documents); 下一步…打算 is in one summary and is not
    assert grep(bundled, "根据[^，。；！？：\n]{0,60}?部署")[0] == 2
    assert grep(bundled, "根据[^，。；！？：\n]*?部署")[0] == 3
    assert grep(bundled, "下一步[^，。；！？：\n]*?打算")[0] == 1
    f = bank["根据…部署"]
    assert (f.df, f.tf, f.kind) == (2, 2, "formula")
    assert f.docs == ["summary-10", "summary-15"] and sorted(f.fillers) == ["全省统一", "市政府办工作"]
    assert not [p for p in bank if p.startswith("下一步…")]
    assert bank["下一步工作"].df == 3 and bank["下一步工作"].category == "heading"
    # a contiguous wording still needs min_df documents: two summaries sharing a sentence is one copy
    assert not [p for p, e in bank.items() if not e.pattern and e.df < 3]


def test_an_enumerator_does_not_lead_a_gapped_formula(bank):
    from gkcorpus.boilerplate.phrases.formula_kinds import starts_with_enumerator

    assert starts_with_enumerator(("一是",)) and starts_with_enumerator(("三是加强",))
    assert not starts_with_enumerator(("是否",)) and not starts_with_enumerator(("统一",))
    # 一是…政务 (four summaries) and 三是…建设 (two) were list markers with the word after them
    assert not [p for p in bank if re.match(r"[一二三四五六七八九十]{1,3}是", p)]


def test_an_unknown_anchor_is_tagged_by_its_words(bank):
    from gkcorpus.boilerplate.phrases.formula_kinds import _pos_tags, anchor_tag, compound_tag

    assert compound_tag(["n", "n"]) == "n" and compound_tag(["vn", "v", "n"]) == "n"  # 国家外汇, 活动开展情况
    assert compound_tag(["v", "n"]) == "v" and compound_tag(["p", "n"]) == "p"  # 赋予农民, 从源头
    assert compound_tag(["r", "n"]) == "r" and compound_tag(["r", "c"]) == "r"  # 我局, 我们不仅
    assert compound_tag(["ad", "v"]) == "ad" and compound_tag(["m", "n"]) == "m"  # 积极稳妥, 万人
    assert compound_tag(["tg", "d"]) == "x" and compound_tag(["x"]) == "x"  # 现将 says nothing: a frame word
    tags = _pos_tags(())
    assert [anchor_tag(w, tags) for w in ("改革发展", "我局", "现将", "城镇登记失业率", "按照", "从源头")] \
        == ["n", "r", "x", "n", "p", "p"]
    # a noun compound leads a formula only before a quantity or a limit; a subject and its verb are no frame
    assert decide_gapped_kind(["n", "v"], ["相关业务", "进行"]) == "" and decide_gapped_kind(["r", "v"]) == ""
    assert decide_gapped_kind(["n", "f"], ["城镇登记失业率", "以内"]) == "formula"
    assert decide_gapped_kind(["n", "m"], ["国家外汇储备", "亿美元"]) == "formula"
    assert decide_gapped_kind(["n", "n"], ["改革发展", "大局"]) == ""
    # an adverb the corpus mostly puts before a verb, then a noun: the verb is in the gap (进一步…工作作风)
    assert decide_gapped_kind(["d", "n"], ["进一步", "工作作风"], 0.8) == ""
    assert decide_gapped_kind(["d", "n"], ["高举", "旗帜"], 0.1) == "formula"  # 高举 is a verb tagged d
    assert "进一步…工作作风" not in bank
    assert decide_gapped_kind(["t", "n"]) == "" and "今年…政务公开日" not in bank  # when, and part of what
    for gone in ("我局…履行", "活动开展情况…年度", "改革发展…大局", "我们不仅…履行的实际"):
        assert gone not in bank
    assert bank["相关业务…进行"].kind == "collocation"  # the dictionary tags 相关 as a verb: a verb-led run
    assert bank["现将…总结如下"].kind == "formula" and bank["共接访群众…余人"].kind == "formula"
    assert bank["根据…部署"].kind == "formula" and bank["认真贯彻落实…文件精神"].kind == "formula"


def test_an_adverbial_word_inside_an_object_is_nominal(bank):
    def kind(words, tags):
        return decide_kind(KindFeatures(tuple(words), tuple(tags), sum(map(len, words)), 0.0, 0.1, ""))

    # jieba tags 公开 ad; after a noun, ending the wording or before a noun, it is part of the compound
    assert kind(["推进", "政务", "公开"], ["v", "n", "ad"]) == "collocation"
    assert kind(["做好", "政务", "公开", "工作"], ["v", "n", "ad", "vn"]) == "collocation"
    assert kind(["不断", "提高", "政务", "公开", "工作", "质量"], ["d", "v", "n", "ad", "vn", "n"]) == "formula"
    for phrase in ("推进政务公开", "做好政务公开工作", "推进政务公开工作", "创新政务公开载体", "拓展政务公开渠道"):
        assert bank[phrase].kind == "collocation", phrase
    assert bank["政务公开工作再上新台阶"].kind == "formula"  # a clause, not an object
    # jieba tags 全面 and 依法 as nouns; a first word the corpus mostly puts before verbs is an adverbial
    def pair(tags, before_verb):
        return decide_kind(KindFeatures(("全面", "推进"), tuple(tags), 4, 0.0, 0.1, "", first_before_verb=before_verb))

    assert pair(["n", "v"], 0.7) == "collocation" and pair(["n", "ad"], 0.7) == "collocation"
    assert pair(["n", "v"], 0.2) != "collocation"
    assert bank["全面推进"].kind == "collocation" and bank["全面公开"].kind == "collocation"


def test_min_df_gapped_follows_min_df(bundled):
    from gkcorpus.boilerplate.phrases import FormulaMiner

    assert FormulaMiner().fit(bundled).min_df_gapped_ == 2
    strict = FormulaMiner(min_df_gapped=3).fit(bundled)
    assert strict.min_df_gapped_ == 3 and not [f for f in strict.formulae_ if f.phrase.startswith("根据…")]
    assert FormulaMiner(min_df=1).fit(bundled).min_df_gapped_ == 1
    with pytest.raises(ValueError, match="min_df_gapped"):
        FormulaMiner(min_df_gapped=0).fit(bundled)


def test_closure_keeps_a_shorter_phrase_only_when_it_occurs_on_its_own(bank):
    # 领导小组 (8 times) also occurs outside 政务公开工作领导小组 (4 times): both listed, linked
    assert bank["领导小组"].parents == ["政务公开工作领导小组"]
    assert "领导小组" in bank["政务公开工作领导小组"].children
    def whole_clause(t, u):  # t is a comma-delimited clause of u
        return t in u.split("，") and "，" in u

    for f in bank.values():
        for p in f.parents:
            if not f.variants and not bank[p].variants:  # folded entries count all their wordings
                assert f.phrase in p and (f.tf > bank[p].tf or whole_clause(f.phrase, p))
    # nothing is listed that only ever occurs inside a longer entry, unless it is a whole clause of it
    texts = [f.phrase for f in bank.values() if not f.pattern]
    for t in texts:
        for u in texts:
            if t != u and t in u and not bank[t].variants and not bank[u].variants and not whole_clause(t, u):
                assert bank[t].tf > bank[u].tf, (t, u)
    # 政务公开工作进一步推向深入，不断提高政务公开工作质量，全力推动 (3) ends in a verb cut from its object:
    # not listed; its two whole clauses (3 each) are
    assert "政务公开工作进一步推向深入，不断提高政务公开工作质量，全力推动" not in bank
    assert bank["政务公开工作进一步推向深入"].tf == bank["不断提高政务公开工作质量"].tf == 3


def test_variants_are_folded_with_their_counts(bundled, bank):
    f = bank["我镇政务公开工作"]
    assert [(v.text, v.df, v.tf) for v in f.variants] == [("我镇政务公开工作", 3, 5), ("我镇的政务公开工作", 3, 4)]
    assert (f.df, f.tf) == (3, 5)  # the wording shown
    assert (f.df_folded, f.tf_folded) == (4, 9)  # all its wordings
    # a quoted wording holds the plain one: each place is counted once
    g = bank["政务公开日"]
    assert [v.text for v in g.variants] == ["政务公开日", "“政务公开日”"]
    assert g.tf == grep(bundled, "政务公开日")[1] == 44


def test_kinds_and_positions(bank):
    assert bank["政府信息公开"].kind == "term"
    assert bank["发挥…作用"].kind == "collocation"
    assert bank["高度重视"].kind == "formula"
    assert bank["再上新台阶"].category == "closing"
    assert bank["现将…总结如下"].category == "opening"
    assert bank["主要做法"].category == "heading" and bank["组织领导"].category == "heading"
    assert bank["高度重视"].category == ""


def test_cut_modifiers_and_open_frames_are_dropped(bundled, bank):
    # 对政务公开 is followed by 工作 in 8 of its 14 occurrences, and the other 6 lie in fewer than 3 documents
    assert grep(bundled, "对政务公开")[1] == 14 and grep(bundled, "对政务公开工作")[1] == 8
    for cut in ("对政务公开", "为政务公开", "创新政务公开", "我镇政务公开", "在政务公开", "将政务公开"):
        assert cut not in bank, cut
    assert bank["加强对政务公开工作"].df == 3 and bank["政务公开"].df == 15  # the longer wording and the term stay
    assert is_open_frame(["p", "n", "ad"], ["在", "政务", "公开"]) and is_open_frame(["d", "n"], ["将", "政务"])
    assert not is_open_frame(["p", "n", "p", "n"], ["以", "经济建设", "为", "中心"])
    assert not is_open_frame(["p", "nt", "n", "f"], ["在", "中国共产党", "领导", "下"])
    assert not is_open_frame(["vn"], ["对外开放"])


def test_opening_and_closing_parts_are_first_and_last_sentences():
    # ten sentences: one at each end; seventy: six (the cap); none: empty zones
    ten = [(i * 10, i * 10 + 9) for i in range(10)]
    seventy = [(i * 10, i * 10 + 9) for i in range(70)]
    open_end, close_start = position_zones([ten, seventy, []])
    assert open_end.tolist()[:2] == [9, 59] and close_start.tolist()[:2] == [90, 640]
    assert close_start[2] > 10 ** 12
    # phrase 0: 4 of 5 occurrences in closing parts that hold 2% of the text; phrase 1: throughout
    group = [0] * 5 + [1] * 10
    close = [True] * 4 + [False] + [True] * 2 + [False] * 8
    cats = position_categories(np.array(group), 2, np.array([5, 10]), np.zeros(15, bool), np.array(close),
                               np.zeros(15, bool), np.full(2, 0.02), np.full(2, 0.02), np.full(2, 0.01))
    assert cats == ["closing", ""]


def test_copying_is_a_column_not_a_filter(bundled, bank):
    # summaries 10 and 11 share whole paragraphs; the wording still counts in all three documents
    f = bank["经济社会在新的更高起点上实现大发展快发展"]
    assert f.df == grep(bundled, f.phrase)[0] == 3
    assert f.in_shared_passage == 3


def test_examples_point_at_the_source(bundled, bank):
    f = bank["现将…总结如下"]
    ex = f.examples[0]
    doc = bundled[ex.doc_id]
    assert ex.text == doc.text[ex.start:ex.end] and re.fullmatch(f.pattern, ex.text)
    assert (ex.raw_start, ex.raw_end) == doc.raw_span(ex.start, ex.end)
    assert ex.text in ex.sentence_text
    assert [e.doc_id for e in f.examples] == f.docs[:3]


def test_ranking_puts_whole_formulae_first(miner):
    top = [f.phrase for f in miner.formulae_ if f.kind == "formula"][:10]
    assert "按照…要求" in top and "现将…总结如下" in top
    assert [f.score for f in miner.formulae_] == sorted((f.score for f in miner.formulae_), reverse=True)


def test_kind_rules():
    def kind(tags, standalone=0.0, assoc=0.1):
        return decide_kind(KindFeatures(tuple("x" * len(tags)), tuple(tags), 4, standalone, assoc, ""))

    assert kind(["d", "v"]) == "collocation"  # 加快/建设
    assert kind(["d", "v"], assoc=0.9) == "formula"  # one word predicts the other
    assert kind(["n", "n"]) == "term"
    assert kind(["r", "n"], standalone=0.9) == "formula"  # 各位代表！
    assert kind(["v", "n", "vn"]) == "collocation"
    assert kind(["ad", "n"]) == "collocation"  # 充分/利用: jieba tags 利用 n, but an adverb modifies a verb
    assert kind(["v", "a"]) == "collocation"  # 建立/健全
    assert decide_gapped_kind(["p", "n"]) == "formula" and decide_gapped_kind(["v", "n"]) == "collocation"
    assert decide_gapped_kind(["n", "n"]) == ""
    assert is_fragment(["p", "n"]) and not is_fragment(["p", "n", "p", "n"]) and not is_fragment(["p", "n", "f"])
    assert is_incomplete(["c", "r"], ["以及", "其他"], 0.0)  # no content word
    assert is_incomplete(["v", "d"], ["要", "进一步"], 0.0)  # an adverb waiting for its verb
    assert is_incomplete(["n", "r"], ["这是", "我们"], 0.0) and is_incomplete(["x", "vn"], ["地为", "服务"], 0.0)
    assert is_incomplete(["n", "v"], ["方面", "取得"], 0.0) and not is_incomplete(["n", "v"], ["环境", "保护"], 0.3)


def test_a_last_clause_cut_before_its_object_is_clipped():
    text = "政务公开工作进一步推向深入，不断提高政务公开工作质量，全力推动"
    assert is_clipped_clause(text, right_closed=0.0) and not is_clipped_clause(text, right_closed=1.0)
    assert not is_clipped_clause("现在，我代表国务院", right_closed=0.0) and is_clipped_clause("发展，必须")


def test_noun_phrases_are_terms_and_clauses_are_not():
    def kind(words, tags, standalone=0.0):
        return decide_kind(KindFeatures(tuple(words), tuple(tags), sum(map(len, words)), standalone, 1.0, ""))

    assert kind(["科学", "技术", "的", "发展"], ["n", "n", "uj", "vn"]) == "term"
    # a verb and a topical compound object is routine task wording; modifiers and idioms make set wording
    assert kind(["加强", "社会", "治安", "综合", "治理"], ["v", "n", "ns", "vn", "v"], 1.0) == "collocation"
    assert kind(["发展", "海洋", "经济"], ["vn", "ns", "n"], 1.0) == "collocation"
    assert kind(["国务院", "总理"], ["nt", "n"], 1.0) == "term"  # a title line names an office
    assert kind(["各位", "代表"], ["r", "n"], 1.0) == "formula"  # an address
    assert kind(["坚持", "稳中求进", "工作", "总", "基调"], ["v", "l", "vn", "b", "n"], 0.9) == "formula"
    assert kind(["加强", "政府", "自身", "建设"], ["v", "n", "r", "vn"], 0.6) == "formula"
    assert kind(["严重", "的", "自然", "灾害"], ["a", "uj", "n", "n"]) == "term"  # an adjective before 的
    assert kind(["严重", "的", "自然", "灾害"], ["a", "uj", "d", "n"]) == "term"  # jieba tags 自然 d: an adverb before a noun is a mis-tag
    assert kind(["社会主义", "精神文明", "建设"], ["n", "i", "vn"]) == "term"  # shaped as a noun phrase
    assert kind(["各级", "政府", "要"], ["r", "n", "v"]) == "formula"  # a lead-in to the sentence
    assert kind(["巩固", "和", "发展"], ["v", "c", "vn"]) == "collocation"  # coordinated verbs
    assert kind(["更好", "地", "发挥"], ["d", "uv", "v"]) == "collocation"
    assert kind(["解放思想", "实事求是"], ["i", "n"]) == "term"
    assert decide_kind(KindFeatures(("解放思想", "实事求是"), ("i", "n"), 8, 0.2, 1.0, "", text="解放思想，实事求是")) \
        == "formula"  # two clauses name nothing
    assert kind(["中央", "和", "地方"], ["n", "c", "n"]) == "term"
    assert kind(["香港", "特别", "行政区"], ["ns", "d", "n"]) == "term"  # one modifier inside a name
    assert kind(["全国", "各族", "人民"], ["n", "r", "n"]) == "term"
    assert kind(["政务", "公开", "工作", "再上", "新台阶"], ["n", "ad", "vn", "d", "n"]) == "formula"  # a clause
    assert kind(["我们", "要", "继续"], ["r", "v", "v"]) == "collocation"  # a speaker and a verb
    assert kind(["我们", "要", "继续", "坚持"], ["r", "v", "v", "v"]) == "formula"
    assert kind(["我们", "的", "人民"], ["r", "uj", "n"]) == "formula"  # a personal pronoun names nothing
    assert decide_gapped_kind(["r", "n"]) == "" and decide_gapped_kind(["r", "v"]) == ""  # 我们…贯彻: subject, verb
    assert decide_gapped_kind(["t", "v"]) == "" and decide_gapped_kind(["p", "v"]) == "formula"  # 今年…安排; 按照…要求
    assert decide_gapped_kind(["ad", "vn"]) == "collocation"
    assert is_clipped_clause("发展，必须") and is_clipped_clause("在今后的工作中，我们")
    assert not is_clipped_clause("现在，我代表国务院") and not is_clipped_clause("解放思想，实事求是")


def test_estimator_contract(bundled):
    m = FormulaMiner(min_df=4)
    assert clone(m).get_params()["min_df"] == 4
    with pytest.raises(ValueError, match="min_df"):
        FormulaMiner(min_df=0).fit(bundled)
    with pytest.raises(ValueError, match="boundary_share"):
        FormulaMiner(boundary_share=1.5).fit(bundled)
    with pytest.raises(RuntimeError):
        FormulaMiner().to_records()


def test_exports(miner, tmp_path):
    pytest.importorskip("openpyxl")
    import openpyxl

    paths = write_formulabank(miner, tmp_path, top=50)
    assert sorted(p.name for p in paths) == ["phrasebank.csv", "phrasebank.json", "phrasebank.md",
                                             "phrasebank.xlsx", "userdict.txt"]
    records = json.loads((tmp_path / "phrasebank.json").read_text(encoding="utf-8"))
    kinds = [f.kind for f in miner.formulae_]
    assert len(records) == sum(min(50, kinds.count(k)) for k in ("formula", "collocation", "term"))  # top per kind
    assert [r["phrase"] for r in records if r["kind"] == "term"] == [f.phrase for f in miner.formulae_
                                                                     if f.kind == "term"][:50]
    assert {"id", "phrase", "kind", "category", "df", "tf", "score", "docs", "examples", "variants", "parents",
            "children", "in_shared_passage"} <= set(records[0])
    rows = list(csv.DictReader((tmp_path / "phrasebank.csv").open(encoding="utf-8")))
    assert rows[0]["phrase"] == records[0]["phrase"]
    # the Markdown shows both counts: the wording's and the folded one (variants included)
    md = (tmp_path / "phrasebank.md").read_text(encoding="utf-8")
    assert "| phrase | category | df | df_folded | tf | score | example_doc | example |" in md
    folded = next(r for r in records if r["df_folded"] > r["df"])
    assert f"| {folded['phrase']} | {folded['category']} | {folded['df']} | {folded['df_folded']} | " in md
    wb = openpyxl.load_workbook(tmp_path / "phrasebank.xlsx")
    assert wb.sheetnames == ["formula", "collocation", "term"]
    assert sum(ws.max_row - 1 for ws in wb.worksheets) == len(records)


def test_same_input_same_bank(bundled, miner):
    again = FormulaMiner().fit(bundled, passages=ReuseFinder().fit(bundled).passages_)
    assert [f.to_dict() for f in again.formulae_] == [f.to_dict() for f in miner.formulae_]


# ---------------------------------------------------------------- the national reports


@pytest.fixture(scope="module")
def national(shared_corpora):
    import gkcorpus

    return gkcorpus.load([str(shared_corpora / "gwr_national.jsonl")])


@pytest.fixture(scope="module")
def national_bank(national):
    return {f.phrase: f for f in FormulaMiner().fit(national).formulae_}


@pytest.mark.parametrize("phrase,df", [
    ("各位代表", 49),
    ("请予审议", 33),
    ("以经济建设为中心", 13),
    ("坚持稳中求进工作总基调", 5),
    ("以邓小平理论和“三个代表”重要思想为指导", 6),
    ("我们也清醒地看到", 6),
])
def test_national_formulae_whole_with_true_df(national, national_bank, phrase, df):
    assert grep(national, re.escape(phrase))[0] == df
    assert national_bank[phrase].df == df


def test_national_long_formulae_and_variants(national, national_bank):
    f = national_bank["现在，我代表国务院，向大会作政府工作报告，请予审议，并请全国政协各位委员提出意见"]
    assert f.df == grep(national, re.escape(f.phrase))[0] == 7  # this wording; 13 with its comma variants
    assert f.df_folded == 13 and f.category == "opening" and f.kind == "formula"
    g = national_bank["我代表国务院向大会作政府工作报告，请予审议"]
    assert [(v.text, v.df) for v in g.variants] == [("我代表国务院向大会作政府工作报告，请予审议", 10),
                                                   ("我代表国务院，向大会作政府工作报告，请予审议", 9)]
    assert (g.df, g.df_folded) == (10, 19)
    assert "以经济建设为中心" in national_bank["坚持以经济建设为中心"].children


@pytest.mark.parametrize("phrase,df", [
    ("更加紧密地团结在", 10),  # a trailing preposition every occurrence shares is kept
    ("今年工作的总体要求是", 4),
    ("而努力奋斗", 8),  # a leading conjunction likewise
    ("城镇新增就业900万人以上", 4),  # digits inside a repeat
    ("向大会报告政府工作", 4),  # a whole clause of 现在，我代表国务院，向大会报告政府工作
    ("向各民主党派、各人民团体和各界人士", 10),  # a clause of the thanks sentence, never outside it
    ("在中国共产党领导下", 23),  # exact; 26 with 在中国共产党的领导下
])
def test_national_edges_digits_clauses_exact_df(national, national_bank, phrase, df):
    assert grep(national, re.escape(phrase))[0] == df
    assert national_bank[phrase].df == df


def test_national_gapped_anchor_keeps_a_shared_negation_and_no_subject_verb_pairs(national, national_bank):
    gapped = [p for p in national_bank if "…" in p]
    assert "坚持…动摇" not in national_bank and "我们…看到" not in national_bank
    assert not [p for p in gapped if p.split("…")[0] in ("我们", "今年") and p.endswith(("贯彻", "安排", "看到"))]
    f = national_bank["朝着…方向发展"]  # 方向 ends the filler in most matches: it belongs to the second anchor
    assert f.df == grep(national, f.pattern)[0] == 21


def test_national_cut_modifier_dropped_but_formula_used_alone_kept(national, national_bank):
    # 维护世界 + 和平 in 99% of its occurrences; 以江泽民同志为核心的党中央 + 领导 in half, alone in other reports
    assert "维护世界" not in national_bank and national_bank["维护世界和平"].df == 26
    assert national_bank["以江泽民同志为核心的党中央"].df == grep(national, "以江泽民同志为核心的党中央")[0] == 10


def test_national_small_insertions_fold_into_one_entry(national, national_bank):
    f = national_bank["并请全国政协各位委员提出意见"]
    assert [(v.text, v.df) for v in f.variants] == [("并请全国政协各位委员提出意见", 20), ("并请全国政协委员提出意见", 5)]
    assert f.df == grep(national, "并请全国政协各位委员提出意见")[0] == 20
    # short wordings are never joined by an insertion: a modifier makes another thing
    assert national_bank["提高劳动生产率"].variants == [] and "提高农业劳动生产率" not in {
        v.text for f in national_bank.values() for v in f.variants if f.phrase == "提高劳动生产率"}


def test_national_folded_df_is_separate(national_bank):
    f = national_bank["在中国共产党领导下"]
    assert f.df_folded == 26 and "在中国共产党的领导下" in [v.text for v in f.variants]
    assert "更加紧密地团结在" in national_bank["让我们更加紧密地团结在"].children


def test_mine_boilerplate_with_the_formula_bank(bundled, tmp_path):
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    bp = mine_boilerplate(bundled)  # the formula bank is the default
    assert isinstance(bp.phrases, FormulaMiner)
    assert {f.phrase: f.df for f in bp.phrases.formulae_}["高度重视"] == 6
    # the 套话 index counts the contiguous entries: summaries 10 and 11 stay the most formulaic
    top = bp.formulaicness.documents_.head(2)
    assert list(top["doc_id"]) == ["summary-10", "summary-11"] and list(top["index"].round(2)) == [0.70, 0.61]  # README
    written = bp.write_phrasebank(tmp_path, formats=("json",))
    assert [p.name for p in written] == ["phrasebank.json", "userdict.txt"]
    with pytest.raises(ValueError, match="bank"):
        mine_boilerplate(bundled, bank="ngrams")


CLAUSE = r"[^，。；！？：,;!?:\n]"  # a gapped pattern's filler stays inside one clause (60 characters at most)


@pytest.mark.parametrize("phrase,pattern", [
    ("高度重视", "高度重视"),
    ("再上新台阶", "再上新台阶"),
    ("一致好评", "一致好评"),
    ("在今后的工作中", "在今后的工作中"),
    ("营造…氛围", f"营造{CLAUSE}{{0,60}}?氛围"),
    ("现将…总结如下", f"现将{CLAUSE}{{0,60}}?总结如下"),
    ("按照…要求", f"按照{CLAUSE}{{0,60}}?要求"),
])
def test_document_frequencies_match_grep(bundled, bank, phrase, pattern):
    df, tf = grep(bundled, pattern)
    f = bank[phrase]
    assert (f.df, f.tf) == (df, tf)
    assert f.docs == [d.id for d in bundled if re.search(pattern, d.text)]


def test_phrases_command_and_exports(tmp_path):
    import openpyxl

    from gkcorpus import Tokenizer
    from gkcorpus.cli import main

    out = tmp_path / "bank"
    assert main(["phrases", "-o", str(out), "--top", "0"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "phrasebank.csv", "phrasebank.json", "phrasebank.md", "phrasebank.xlsx", "userdict.txt"]
    records = json.loads((out / "phrasebank.json").read_text(encoding="utf-8"))
    need = {"id", "phrase", "kind", "category", "df", "tf", "score", "docs", "examples", "variants", "parents",
            "children", "in_shared_passage"}
    assert all(need <= set(r) for r in records)
    assert all({"doc_id", "sentence", "raw_start", "raw_end"} <= set(e) for r in records for e in r["examples"])
    by = {r["phrase"]: r for r in records}
    assert (by["高度重视"]["df"], by["高度重视"]["tf"], by["高度重视"]["kind"]) == (6, 10, "formula")
    with open(out / "phrasebank.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["phrase"] for r in rows] == [r["phrase"] for r in records]
    wb = openpyxl.load_workbook(out / "phrasebank.xlsx")
    assert wb.sheetnames == ["formula", "collocation", "term"]
    assert [ws.max_row - 1 for ws in wb.worksheets] == [sum(r["kind"] == k for r in records)
                                                       for k in ("formula", "collocation", "term")]
    text = (out / "userdict.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == sum(not r["pattern"] for r in records)
    assert all(len(line.split()) == 3 and line.split()[1].isdigit() for line in lines)
    assert "营造…氛围" not in text and "按照…要求" not in text
    tok = Tokenizer(user_dict=str(out / "userdict.txt"))
    assert "在今后的工作中" in tok("在今后的工作中，我们将继续努力")
    assert main(["phrases", "-o", str(out), "--format", "json,pdf"]) == 1
    legacy = tmp_path / "legacy"
    assert main(["phrases", "-o", str(legacy), "--bank", "legacy", "--format", "json"]) == 0
    assert "kind" in json.loads((legacy / "phrasebank.json").read_text(encoding="utf-8"))[0]


def test_vectorised_span_merge_is_the_loop():
    import numpy as np

    from gkcorpus.kernels.repeats import merge_sorted_arrays, merge_span_arrays

    rng = np.random.default_rng(5)
    for _ in range(200):
        s = rng.integers(0, 60, int(rng.integers(0, 25)))
        e = s + rng.integers(1, 12, len(s))
        want = merge_span_arrays(list(zip(s.tolist(), e.tolist())))
        got = merge_sorted_arrays(s, e)
        assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()


def test_covered_positions_read_from_segments_equal_the_running_count():
    """``covered_before`` over merged spans gives what a running count of covered positions over the whole
    text gives, at every position (the shared passages read it at sentence bounds)."""
    import numpy as np

    from gkcorpus.kernels.repeats import covered_before, merge_sorted_arrays

    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 80))
        s = rng.integers(0, n, int(rng.integers(0, 20)))
        e = np.minimum(s + rng.integers(1, 15, len(s)), n)
        mask = np.zeros(n, dtype=bool)
        for a, b in zip(s.tolist(), e.tolist()):
            mask[a:b] = True
        running = np.concatenate(([0], np.cumsum(mask)))
        s0, s1 = merge_sorted_arrays(s, e)
        assert covered_before(s0, s1, np.arange(n + 1)).tolist() == running.tolist()
    assert covered_before(np.array([2, 7]), np.array([5, 9]), np.array([0, 3, 5, 8, 9])).tolist() == [0, 1, 3, 4, 5]


def test_a_corpus_whose_words_never_share_a_clause_has_no_gapped_formulae():
    """Found by the property test over random corpora: no pair of anchor words in one clause."""
    from gkcorpus.base.io import RawDocument
    from gkcorpus.boilerplate.phrases import mine_boilerplate
    from gkcorpus.corpus import Corpus

    corpus = Corpus.from_raw([RawDocument("39648", "进99工全：\n加导85织\U000526e1\U0007f392\U0002d6bf")])
    bp = mine_boilerplate(corpus)
    assert [f for f in bp.phrases.formulae_ if "…" in f.phrase] == []


def test_fitted_bank_pickles_to_its_results(miner):
    """Fit-time tables (the part-of-speech dictionary, suffix and word arrays) are dropped after fit."""
    import pickle

    whole = len(pickle.dumps(miner))
    results = len(pickle.dumps(miner.formulae_))
    assert whole <= 1.1 * results
    again = pickle.loads(pickle.dumps(miner))
    assert [f.phrase for f in again.formulae_] == [f.phrase for f in miner.formulae_]

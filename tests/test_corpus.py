"""The Corpus object: ids, indexing, subsets, units with raw offsets, verbs, save/load."""

from __future__ import annotations

import re

import opencc
import pytest

from gkcorpus import Corpus, LoadError, load
from gkcorpus.io import RawDocument

T2S = opencc.OpenCC("tw2s")
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def test_bundled_ids_titles_and_container(bundled):
    assert len(bundled) == 15
    assert bundled.ids == [f"summary-{i:02d}" for i in range(1, 16)]
    assert bundled.titles == [f"政务公开活动总结{i}" for i in range(1, 16)]
    assert bundled[0] is bundled["summary-01"]
    assert "summary-15" in bundled and "summary-16" not in bundled
    assert [d.id for d in bundled[2:4]] == ["summary-03", "summary-04"]
    with pytest.raises(KeyError, match="summary-99"):
        bundled["summary-99"]
    assert repr(bundled).startswith("Corpus(15 documents, ")
    assert "<table>" in bundled._repr_html_()


def test_chrome_is_in_no_document(bundled):
    for d in bundled:
        for chrome in ("相关推荐", "15篇", "小编", "相关文章", "希望能够帮助到大家"):
            assert chrome not in d.text, (d.id, chrome)


def test_subset_by_document_variable(bundled):
    sub = bundled.subset(number=[13, 14])
    assert sub.ids == ["summary-13", "summary-14"]
    assert bundled.subset(lambda d: "高度重视" in d.text).ids == [
        "summary-06", "summary-07", "summary-10", "summary-11", "summary-12", "summary-15"]
    assert bundled.docvars().loc["summary-03", "number"] == 3


@pytest.mark.parametrize("level", ["document", "section", "paragraph", "sentence"])
def test_units_point_back_to_raw(bundled, level):
    units = bundled.units(level)
    assert units
    for u in units:
        d = bundled[u.doc_id]
        assert d.text[u.start : u.end].strip("\n") == u.text
        raw = d.raw[u.raw_start : u.raw_end]
        # every Han character of the unit is found, in order, in its raw span converted to Simplified,
        # except characters restored by the mojibake repair (they are not in the raw text as such)
        repaired = d.cleaning.step("mojibake").positions
        han = [
            d.text[i]
            for i in range(u.start, u.end)
            if "\u4e00" <= d.text[i] <= "\u9fff"
            and not any(a < d.raw_span(i, i + 1)[1] and d.raw_span(i, i + 1)[0] < b for a, b in repaired)
        ]
        raw_s = T2S.convert(GLOSS.sub("", raw))
        pos = 0
        for ch in han:
            nxt = raw_s.find(ch, pos)
            assert nxt >= 0, (u.unit_id, ch)
            pos = nxt + 1


def test_unit_levels_and_ids(bundled):
    d = bundled["summary-05"]
    paras = d.units("paragraph")
    assert paras[0].unit_id == "summary-05#p0" and paras[0].heading == ""
    sents = bundled.units("sentence")
    assert len({u.unit_id for u in sents}) == len(sents)
    secs = d.units("section")
    assert any(u.heading == "存在问题" for u in secs)
    df = bundled.to_frame("sentence")
    assert list(df.columns[:4]) == ["unit_id", "doc_id", "level", "index"]
    assert len(df) == len(sents)
    docs = bundled.to_frame("document")
    assert docs["title"].tolist()[0] == "政务公开活动总结1" and "number" in docs.columns
    with pytest.raises(ValueError, match="unknown level"):
        bundled.units("chapter")


def test_kwic_counts_match_the_raw_page(bundled):
    # counted independently in the raw Traditional page with glosses stripped: 高度重視 ×10
    k = bundled.kwic("高度重视", window=5)
    assert len(k) == 10
    assert k["doc_id"].value_counts().to_dict() == {
        "summary-06": 2, "summary-10": 2, "summary-11": 2, "summary-15": 2, "summary-07": 1, "summary-12": 1}
    for r in k.itertuples():
        raw = bundled[r.doc_id].raw[r.raw_start : r.raw_end]
        assert T2S.convert(GLOSS.sub("", raw)) == "高度重视"
        assert "高度重视" in r.sentence
    assert len(bundled.kwic(r"营造.{1,6}氛围", regex=True)) > 0


def test_frequencies(bundled):
    f = bundled.frequencies()
    top = f.set_index("term")
    assert top.loc["政务公开", "df"] == 15
    assert top.loc["高度重视", "tf"] == 10
    assert list(f.columns) == ["term", "tf", "df"]
    g = bundled.subset(number=[1, 2, 3]).frequencies(by="number")
    assert set(g["group"]) == {1, 2, 3}


def test_save_load_roundtrip(bundled, tmp_path):
    p = bundled.save(tmp_path / "c.gkc")
    back = Corpus.load(p)
    assert back.ids == bundled.ids
    for a, b in zip(bundled, back):
        assert (a.title, a.raw, a.text, a.meta, a.encoding, a.source) == (b.title, b.raw, b.text, b.meta, b.encoding, b.source)
        assert a.offsets == b.offsets
        assert a.cleaning.to_dict() == b.cleaning.to_dict()
        assert [h.text for h in a.structure.headings] == [h.text for h in b.structure.headings]
    assert p.read_bytes() == bundled.save(tmp_path / "d.gkc").read_bytes()
    (tmp_path / "junk.gkc").write_bytes(b"not gzip")
    with pytest.raises(LoadError, match="not a saved gkcorpus corpus"):
        Corpus.load(tmp_path / "junk.gkc")


def test_load_folder_jsonl_and_duplicates(tmp_path):
    (tmp_path / "a.txt").write_bytes("政務公開(kāi)工作\n一、主要做法\n高度重視。".encode("gbk"))
    (tmp_path / "b.txt").write_text("第二篇。", encoding="utf-8")
    c = load(tmp_path)
    assert c.ids == ["a", "b"]
    assert c["a"].encoding == "gbk"
    assert c["a"].title == "政务公开工作" and c["a"].raw_title == "政務公開(kāi)工作"  # the first line is the title
    assert c["a"].text == "一、主要做法\n高度重视。" and c["a"].meta["body_offset"] == 12
    assert c["b"].title == "b" and c["b"].text == "第二篇。"  # one line ending in 。 is the body, not a title
    assert [h.text for h in c["a"].structure.headings] == ["主要做法"]
    j = tmp_path / "d.jsonl"
    j.write_text('{"id": "a", "text": "重复"}\n', encoding="utf-8")
    with pytest.raises(LoadError, match="duplicate document id 'a'"):
        load([tmp_path / "a.txt", j], title_field=None)
    both = load([tmp_path / "a.txt", j], duplicate_ids="suffix")
    assert both.ids == ["a", "a~2"]


def test_load_skip_bad_reports_what_it_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("好。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(LoadError):
        load(tmp_path)
    c = load(tmp_path, skip_bad=True)
    assert c.ids == ["good"]
    assert sorted(c.skipped) == sorted([f"{tmp_path / 'empty.txt'}: empty file",
                                        f"{tmp_path / 'img.txt'}: binary file (PNG image), not text"])
    with pytest.raises(LoadError, match="no documents loaded"):
        load(tmp_path / "empty.txt", skip_bad=True)


def test_from_raw_documents():
    c = Corpus.from_raw([RawDocument("x", "現將有關(guān)情況總結(jié)如下:", title="標題")])
    assert c["x"].title == "标题"
    assert c["x"].text == "现将有关情况总结如下："

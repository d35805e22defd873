"""Cross-document reuse: the suffix array, verbatim and near-verbatim passages, the reuse matrix, exports."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gkcorpus.reuse import ReuseFinder, SuffixArray, TextIndex, stable_id, text_diff


@pytest.fixture(scope="module")
def finder(bundled):
    return ReuseFinder().fit(bundled)


def by_docs(finder, *nums, kind=None):
    want = [f"summary-{n:02d}" for n in nums]
    return [p for p in finder.passages_ if p.docs == want and (kind is None or p.kind == kind)]


def last_paragraph(doc, kind="body"):
    p = [p for p in doc.structure.paragraphs if p.kind == kind][-1]
    return p, doc.text[p.start : p.end]


# --------------------------------------------------------------------------- suffix array


def test_intervals_are_right_maximal_repeats():
    # "abab$": repeats "ab" (positions 0, 2) and "b" (1, 3)
    sa = SuffixArray(np.array([1, 2, 1, 2, 9], dtype=np.uint32))
    found = {(int(l), tuple(sorted(sa.sa[lb : rb + 1].tolist()))) for l, lb, rb in zip(*sa.intervals(1))}
    assert found == {(2, (0, 2)), (1, (1, 3))}
    assert sa.count(0, 2) == 2 and sa.occurrences(1, 1).tolist() == [1, 3]


def test_maximal_repeats_span_documents_and_stop_at_paragraphs():
    ix = TextIndex(["甲乙丙丁戊己\n庚辛", "子甲乙丙丁戊己丑", "无关的文字"])
    reps = {ix.texts[int(ix.doc_of(p[0]))][int(p[0] - ix.doc_starts[ix.doc_of(p[0])]):][:n]: len(p)
            for n, p in ix.maximal_repeats(3)}
    assert reps == {"甲乙丙丁戊己": 2}
    assert ix.find_text("乙丙").tolist() == [1, 12]
    assert ix.find_text("丁戊己\n庚").tolist() == []


def test_find_text_agrees_with_str_count(bundled):
    ix = TextIndex([d.text for d in bundled])
    for s in ("政务公开", "高度重视", "再上新台阶", "营造", "没有这个词"):
        assert len(ix.find_text(s)) == sum(d.text.count(s) for d in bundled)


# --------------------------------------------------------------------------- done-when checks


def test_closing_paragraph_shared_by_9_10_11(finder, bundled):
    _, closing10 = last_paragraph(bundled["summary-10"])
    _, closing11 = last_paragraph(bundled["summary-11"])
    assert closing10 == closing11  # read in the texts: the same closing paragraph word for word
    [near] = [p for p in by_docs(finder, 9, 10, 11, kind="near") if p.text == closing10]
    assert [o.doc_id for o in near.occurrences] == ["summary-09", "summary-10", "summary-11"]
    # in summary-09 it is the last paragraph before the sign-off lines
    para9, text9 = last_paragraph(bundled["summary-09"])
    occ9 = near.occurrences[0]
    assert para9.start <= occ9.start and occ9.end == para9.end
    assert text9.endswith(occ9.text) and occ9.text.startswith("此次“政务公开日”活动达到了预期效果")
    [variant] = near.variants
    assert variant.doc_id == "summary-09"
    assert ("delete", "继续在上级的指导下，", "") in variant.diff
    assert ("replace", "我镇", "葵英街道办事处") in variant.diff
    # the parts 9 shares word for word with 10 and 11
    shared = {p.text for p in by_docs(finder, 9, 10, 11, kind="verbatim")}
    assert {"创新政务公开载体，拓展政务公开渠道", "不断提高政务公开工作质量"} <= shared


def test_sentences_shared_word_for_word_by_10_and_11(finder, bundled):
    texts = [p.text for p in by_docs(finder, 10, 11, kind="verbatim")]
    _, closing = last_paragraph(bundled["summary-10"])
    assert closing in texts  # the whole closing paragraph is one passage
    sentences = [
        "通过这项主题活动的开展，较好地提高了行政效率，转变了机关工作作风，提高了工作效率，"
        "密切了党群、干群关系，大大促进了乡镇政府政务公开工作的开展",
        "本次政务公开日主题活动，由于各级领导的高度重视，精心准备，注重实效，使我镇政务公开工作取得了良好的成效。",
        "我们坚持依法公开、勤俭节约、注重实效的原则，圆满地完成了宣传工作。",
        "我镇按照要求组织开展“5.15政务公开日”主题活动",
    ]
    for s in sentences:
        assert s in bundled["summary-10"].text and s in bundled["summary-11"].text
        assert any(s in t for t in texts), s
    # and nobody else has them
    assert not any(s in d.text for s in sentences for d in bundled if d.id not in ("summary-10", "summary-11"))


def test_occurrences_carry_sentence_and_raw_offsets(finder, bundled):
    for p in finder.passages_:
        assert "\n" not in p.text and len(p.docs) >= 2
        for o in p.occurrences:
            doc = bundled[o.doc_id]
            assert doc.raw_span(o.start, o.end) == (o.raw_start, o.raw_end)
            assert doc.text[o.start : o.end] == o.text
            sent = next(s for s in doc.structure.sentences if s.index == o.sentence)
            assert sent.start <= o.start < sent.end and o.unit_id == f"{o.doc_id}#t{o.sentence}"
            if p.kind == "verbatim":
                assert o.text == p.text


def test_matrix_is_share_of_characters(finder):
    m = finder.matrix()
    assert list(m.index) == list(m.columns) == finder.doc_ids_
    assert ((m.values >= 0) & (m.values <= 1)).all()
    assert m.loc["summary-10", "summary-11"] > 0.3 and m.loc["summary-11", "summary-10"] > 0.3
    # a document shares with another only what the other shares with it
    assert ((m.values > 0) == (m.values.T > 0)).all()
    assert (np.diag(m.values) >= m.values.max(axis=1) - 1e-12).all()


def test_ids_stable_and_output_deterministic(bundled, finder):
    again = ReuseFinder().fit(bundled)
    assert [p.to_dict() for p in again.passages_] == finder.to_records()
    for p in finder.passages_:
        assert p.id == stable_id("v" if p.kind == "verbatim" else "n", p.text)


def test_text_diff_opcodes():
    assert text_diff("推动我镇工作", "推动我办事处工作") == (("replace", "镇", "办事处"),)


def test_reuse_command_writes_atomic_files(tmp_path):
    from gkcorpus.cli import main

    out = tmp_path / "out"
    assert main(["reuse", "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["formulaicness.csv", "formulaicness_sentences.csv", "reuse.json", "reuse_matrix.csv"]
    passages = json.loads((out / "reuse.json").read_text(encoding="utf-8"))
    assert all({"text", "docs", "occurrences"} <= set(p) for p in passages)
    assert all({"doc_id", "sentence", "raw_start", "raw_end"} <= set(o) for p in passages for o in p["occurrences"])
    import pandas as pd

    f = pd.read_csv(out / "formulaicness.csv", encoding="utf-8-sig")
    assert list(f["rank"]) == list(range(1, 16))
    assert set(f["doc_id"].head(3)) >= {"summary-10", "summary-11"}

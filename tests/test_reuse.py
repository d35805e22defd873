"""Cross-document reuse: the suffix array, verbatim and near-verbatim passages, the reuse matrix, exports."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gkcorpus.boilerplate.reuse import ReuseFinder, text_diff
from gkcorpus.kernels.codes import stable_id
from gkcorpus.kernels.suffix import TextIndex
from gkcorpus.kernels.suffix import SuffixArray


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


def test_find_texts_finds_what_find_text_finds(bundled):
    ix = TextIndex(["甲乙丙丁戊己\n庚辛", "子甲乙丙丁戊己丑", "无关的文字"])
    got = ix.find_texts(["乙丙", "丁戊己\n庚", "", "己", "己丑", "字", "壬"])
    assert [g.tolist() for g in got] == [[1, 12], [], [], [5, 16], [16], [23], []]
    ix = TextIndex([d.text for d in bundled])
    words = ["政务公开", "高度重视", "再上新台阶", "营造", "没有这个词", "公开", "，", "的"]
    assert [len(g) for g in ix.find_texts(words)] == [sum(d.text.count(s) for d in bundled) for s in words]
    assert all(a.tolist() == ix.find_text(w).tolist() for a, w in zip(ix.find_texts(words), words))


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
    shared = [p.text for p in by_docs(finder, 9, 10, 11, kind="verbatim")]
    for clause in ("创新政务公开载体，拓展政务公开渠道", "不断提高政务公开工作质量"):
        assert any(clause in t for t in shared), clause


def test_sentences_shared_word_for_word_by_10_and_11(finder, bundled):
    texts = [p.text for p in by_docs(finder, 10, 11, kind="verbatim")]
    _, closing = last_paragraph(bundled["summary-10"])
    # the whole closing paragraph is one passage: shared nearly by 09 too, so the near passage,
    # with its verbatim form in 10 and 11 folded in (listed once)
    [near] = [p for p in finder.passages_ if p.kind == "near" and p.text == closing]
    assert closing not in texts and [q.docs for q in near.sub_passages if q.text == closing] == [["summary-10", "summary-11"]]
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
    # the same passages by the text they make shared: documents × characters, then id
    ranked = finder.by_coverage()
    assert sorted(p.id for p in ranked) == sorted(p.id for p in finder.passages_)
    assert [(-len(p.docs) * len(p.text), p.id) for p in ranked] == sorted((-len(p.docs) * len(p.text), p.id)
                                                                           for p in finder.passages_)
    assert list(finder.iter_records(order="coverage")) == [p.to_dict() for p in ranked]
    with pytest.raises(ValueError, match="order must be"):
        finder.iter_records(order="length")
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
    # the passages covering most text first (documents × characters), as the report lists them
    cover = [len(p["docs"]) * len(p["text"]) for p in passages]
    assert cover == sorted(cover, reverse=True) and len(passages) > 10
    assert [len(p["docs"]) for p in passages] != sorted((len(p["docs"]) for p in passages), reverse=True)
    assert all({"doc_id", "sentence", "raw_start", "raw_end"} <= set(o) for p in passages for o in p["occurrences"])
    import pandas as pd

    f = pd.read_csv(out / "formulaicness.csv", encoding="utf-8-sig")
    assert list(f["rank"]) == list(range(1, 16))
    assert set(f["doc_id"].head(3)) >= {"summary-10", "summary-11"}


# --------------------------------------------------------------------------- the vectorised machinery


def _stack_intervals(sa, min_len):
    """Reference: LCP intervals by the classic bottom-up stack walk, in its emission order."""
    n, lcp, out, stack = len(sa.sa), sa.lcp.tolist(), [], []
    for i in range(n):
        cur = lcp[i] if i < n - 1 else -1
        lb = i
        while stack and cur < stack[-1][0]:
            top = stack.pop()
            lb = top[1]
            if top[0] >= min_len:
                out.append((top[0], lb, i))
        if cur >= 0 and (not stack or cur > stack[-1][0]):
            stack.append([cur, lb])
    return out


def test_intervals_equal_a_stack_walk():
    rng = np.random.default_rng(7)
    for _ in range(200):
        codes = rng.integers(0, int(rng.integers(1, 5)), int(rng.integers(2, 60))).astype(np.uint32)
        sa = SuffixArray(codes)
        for min_len in (1, 2, 3):
            ref = _stack_intervals(sa, min_len)
            assert list(zip(*(x.tolist() for x in sa.intervals(min_len)))) == ref
            for max_len in (2, 5):  # bounded lengths take the level-by-level path
                got = list(zip(*(x.tolist() for x in sa.intervals(min_len, max_len))))
                assert got == [r for r in ref if r[0] <= max_len]
            L, LB, RB, ks, owner = sa.interval_table(min_len)
            # every child start belongs to its interval and has the interval's length
            assert all(LB[o] <= k < RB[o] and sa.lcp[k] == L[o] for k, o in zip(ks.tolist(), owner.tolist()))


def test_text_index_finds_the_repeats_of_distinct_separators(bundled):
    texts = [d.text for d in bundled]
    ix = TextIndex(texts)  # sorted on a compact alphabet, LCP cut at separators
    plain = SuffixArray(ix.codes)  # every separator a symbol of its own
    got = {(n, tuple(p.tolist())) for n, p in ix.maximal_repeats(8)}
    L, LB, RB = plain.intervals(8)
    keep = plain.left_diverse(LB, RB)
    docs = ix.doc_of(plain.sa)
    ref = {(int(n), tuple(sorted(plain.sa[a : b + 1].tolist()))) for n, a, b, k in zip(L, LB, RB, keep)
           if k and len(set(docs[a : b + 1].tolist())) > 1}
    assert got == ref and len(got) > 50
    assert ix.sa.dtype == np.int32 and ix.lcp.dtype == np.int32


def test_minhash_signatures_equal_datasketch(bundled):
    from datasketch import MinHash

    from gkcorpus.kernels.minhash import _sha1_hash32, minhash_signatures, shingle_sets, shingles

    texts = [d.text[s.start : s.end] for d in bundled for s in d.structure.sentences][:300]
    texts += ["", "。，", "乙", "甲乙", "甲乙丙", "甲乙丙丁", "5.15政务公开日"]
    for k in (2, 3, 4):
        indptr, ids, vocab = shingle_sets(texts, k)
        assert [{vocab[j] for j in ids[indptr[i] : indptr[i + 1]]} for i in range(len(texts))] == \
            [shingles(t, k) for t in texts]
        sig = minhash_signatures(indptr, ids, _sha1_hash32(vocab), 64, 1)
        oracle = MinHash.bulk([[w.encode("utf-8") for w in sorted(shingles(t, k))] for t in texts], num_perm=64, seed=1)
        ref = np.array([m.hashvalues for m in oracle])
        assert (sig == ref).all()


def test_lsh_buckets_pair_within_a_window():
    from gkcorpus.kernels.minhash import _band_pairs

    sig = np.zeros((6, 4), dtype=np.uint32)
    sig[5] = 1  # rows 0-4 share every band, row 5 shares none
    assert _band_pairs(sig, [(0, 2), (2, 4)], window=10).tolist() == [
        [0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]]
    # a bucket larger than the window: each row meets the next two only
    assert _band_pairs(sig, [(0, 2)], window=2).tolist() == [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [2, 4], [3, 4]]


def test_verbatim_occurrences_are_made_on_access(finder, bundled):
    from gkcorpus.boilerplate.records import Occurrence, OccurrenceList

    p = next(p for p in finder.passages_ if p.kind == "verbatim" and len(p.occurrences) >= 3)
    occ = p.occurrences
    assert isinstance(occ, OccurrenceList) and len(occ) == len(list(occ))
    records = list(occ)
    assert occ[0] == records[0] and occ[-1] == records[-1] and occ == records and occ[1:] == records[1:]
    assert all(isinstance(o, Occurrence) and o.text == p.text for o in records)
    assert occ.to_dicts() == [o.to_dict() for o in records]
    ids = finder.doc_ids_
    assert [(ids[d], s, e) for d, s, e in zip(occ.doc.tolist(), occ.start.tolist(), occ.end.tolist())] == \
        [(o.doc_id, o.start, o.end) for o in records]



def _matrix_reference(finder, bundled) -> np.ndarray:
    """The matrix by its definition: per pair, the union of shared spans, counted character by character."""
    from gkcorpus.kernels.codes import merge_spans

    ids = finder.doc_ids_
    pos = {d: i for i, d in enumerate(ids)}
    m = np.zeros((len(ids), len(ids)))
    for d, spans in finder.spans().items():
        text = bundled[d].text
        content = lambda a, b: sum(not c.isspace() for c in text[a:b])  # noqa: E731
        denom = content(0, len(text))
        for o in ids:
            sp = [(s, e) for s, e, _, docs in spans if (o in docs and o != d) or (o == d)]
            if sp and denom:
                m[pos[d], pos[o]] = sum(content(s, e) for s, e in merge_spans(sp)) / denom
    return m


def test_matrix_equals_its_definition_and_pairs_list_its_cells(finder, bundled):
    m = finder.matrix()
    ref = _matrix_reference(finder, bundled)
    assert np.array_equal(m.to_numpy(), ref)  # exactly: the same integers divided
    pairs = finder.pairs()
    ids = finder.doc_ids_
    off = [(ids[i], ids[j]) for i, j in zip(*np.nonzero(ref)) if i != j]
    assert len(pairs) == len(off) and set(zip(pairs.doc_id, pairs.other_doc_id)) == set(off)
    for r in pairs.itertuples():
        assert r.share == m.loc[r.doc_id, r.other_doc_id] and r.reused == m.loc[r.doc_id, r.doc_id]
    # each document's partners by falling share, at most `top`
    top = finder.pairs(top=2)
    assert top.groupby("doc_id").size().max() == 2
    first = top[top.doc_id == "summary-10"]
    assert first.share.is_monotonic_decreasing
    assert first.other_doc_id.iloc[0] == m.loc["summary-10"].drop("summary-10").idxmax()


def test_write_reuse_switches_to_pairs_above_the_matrix_limit(finder, bundled, tmp_path):
    import pandas as pd

    from gkcorpus.boilerplate.phrases.formulaicness import FormulaicnessIndex
    from gkcorpus.boilerplate.phrases.writers import write_reuse

    index = FormulaicnessIndex().fit(bundled, [], finder.passages_)
    paths = write_reuse(finder, index, tmp_path, max_matrix_docs=10, pairs_top=3)
    names = sorted(p.name for p in paths)
    assert "reuse_pairs.csv" in names and "reuse_matrix.csv" not in names
    pairs = pd.read_csv(tmp_path / "reuse_pairs.csv", encoding="utf-8-sig")
    assert list(pairs.columns) == ["doc_id", "other_doc_id", "share", "reused"]
    assert pairs.groupby("doc_id").size().max() == 3
    assert pairs.equals(finder.pairs(top=3).round({"share": 4, "reused": 4}))


def test_pickled_finder_holds_results_index_and_offsets_only(finder, bundled):
    import pickle

    ix = finder.index_
    assert len(ix.string) == len(ix.codes) and ix.breaks.any()  # fill the index's caches
    blob = pickle.dumps(finder, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"Document" not in blob  # the corpus is not carried along
    parts = sum(len(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL)) for x in (
        (finder.passages_, finder.sub_passages_, finder.sentences_, finder._sent_starts), ix, finder._offsets))
    assert len(blob) <= 1.01 * parts  # the results, the index without its caches, the raw offset maps
    back = pickle.loads(blob)
    assert back.index_._str is None and back.index_._breaks is None and back.index_._isa is None
    assert back.index_.string == ix.string
    assert back.to_records() == finder.to_records()
    assert back.matrix().equals(finder.matrix())
    at = ix.find_text("政务公开")
    assert [(o.doc_id, o.start, o.raw_start, o.raw_end, o.text) for o in back.occurrences_at(at, 4)] == \
        [(o.doc_id, o.start, o.raw_start, o.raw_end, o.text) for o in finder.occurrences_at(at, 4)]
    assert len(at) == sum(d.text.count("政务公开") for d in bundled)

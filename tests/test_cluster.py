"""Clusterer, c-TF-IDF labels, section types and outlines, document kinds, near-identical sentences, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import davies_bouldin_score
from sklearn.preprocessing import normalize

from gkcorpus import Corpus, RawDocument
from gkcorpus.features.cluster import (
    Clusterer,
    class_tfidf,
    cluster_units,
    davies_bouldin,
    near_identical_groups,
    normalize_for_matching,
)
from gkcorpus.outline.common import common_outline
from gkcorpus.outline.kinds import document_kinds
from gkcorpus.outline.segments import ROLE_CLOSING, outline_segments
from gkcorpus.outline.typer import SectionTyper, smooth_types

EVENT_SUMMARIES = {f"summary-{n:02d}" for n in (2, 4, 6, 8, 9, 10, 11, 12)}  # reports of a 5.15 activity day


# --------------------------------------------------------------------------- synthetic blobs


@pytest.fixture(scope="module")
def blobs():
    """90 sparse rows in 3 groups of 30 on disjoint vocabularies of 20 terms (group g: columns 20g..20g+19)."""
    rng = np.random.RandomState(0)
    rows = []
    for g in range(3):
        for _ in range(30):
            r = np.zeros(60)
            cols = rng.choice(20, 6, replace=False) + 20 * g
            r[cols] = rng.rand(6) + 0.5
            rows.append(r)
    order = rng.permutation(90)
    X = normalize(sp.csr_matrix(np.array(rows)[order]))
    truth = (np.repeat(np.arange(3), 30))[order]
    return X, truth


def _same_partition(a, b) -> bool:
    return len(set(zip(a, b))) == len(set(a)) == len(set(b))


@pytest.mark.parametrize("method", ["kmeans", "agglomerative", "hdbscan"])
def test_methods_recover_three_groups(blobs, method):
    X, truth = blobs
    est = Clusterer(method=method, k_range=(2, 8)).fit(X)
    assert est.n_clusters_ == 3
    assert _same_partition(est.labels_, truth)
    # between groups cosine distance is 1, within a group about 0.7 (6 of 20 terms in common use)
    assert 0.25 < est.metrics_.silhouette < 0.35
    assert sorted(est.metrics_.sizes.values()) == [30, 30, 30]
    if method != "hdbscan":
        assert max(est.k_scores_, key=est.k_scores_.get) == 3
        assert est.selection_.startswith("k=3: best cosine silhouette")


def test_given_k_predict_and_determinism(blobs):
    X, truth = blobs
    a = Clusterer(n_clusters=3, random_state=7).fit(X)
    b = Clusterer(n_clusters=3, random_state=7).fit(X)
    assert (a.labels_ == b.labels_).all()
    assert (a.predict(X) == a.labels_).all()
    # ids by size, ties by first member: row 0 is in cluster 0
    assert a.labels_[0] == 0
    empty = sp.csr_matrix((1, 60))
    assert a.predict(empty).tolist() == [-1]


def test_pairwise_methods_on_a_reduced_sample_above_the_limit(blobs):
    X, truth = blobs
    est = Clusterer(method="agglomerative", n_clusters=3, max_exact=40, svd_components=10).fit(X)
    assert (est.labels_ >= 0).all()
    assert _same_partition(est.labels_, truth)
    assert any("SVD-10 reduction of a seeded sample of 40 of 90 units" in n for n in est.notes_)


def test_rows_without_features_are_left_out(blobs):
    X, _ = blobs
    X2 = sp.vstack([X, sp.csr_matrix((2, 60))]).tocsr()
    est = Clusterer(n_clusters=3).fit(X2)
    assert est.labels_[-2:].tolist() == [-1, -1]
    assert est.metrics_.n_unassigned == 2


def test_bad_parameters(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match="method"):
        Clusterer(method="spectral").fit(X)
    with pytest.raises(ValueError, match="n_clusters"):
        Clusterer(n_clusters=0).fit(X)


def test_class_tfidf_matches_the_bertopic_formula():
    counts = sp.csr_matrix(np.array([[2, 0, 1], [1, 0, 0], [0, 3, 1]], dtype=float))
    labels = np.array([0, 0, 1])
    W = class_tfidf(counts, labels).toarray()
    C = np.array([[3, 0, 1], [0, 3, 1]], dtype=float)  # term counts per class
    A = C.sum() / 2  # average number of term occurrences per class
    f = C.sum(axis=0)
    expected = C / C.sum(axis=1, keepdims=True) * np.log(1 + A / f)
    assert np.allclose(W, expected)


def test_davies_bouldin_equals_scikit_learns(blobs):
    X, truth = blobs
    assert np.isclose(davies_bouldin(X, truth), davies_bouldin_score(X.toarray(), truth))


# --------------------------------------------------------------------------- section types and outlines


@pytest.fixture(scope="module")
def typer(bundled):
    return SectionTyper().fit(bundled)


def _type(typer, unit_id: str) -> int:
    seg = typer.segments_
    return int(seg.loc[seg.unit_id == unit_id, "type"].iloc[0])


def test_problem_sections_share_a_type(typer):
    # 二、存在问题 (05), 二、存在的主要问题 (07), 三、存在问题 (08)
    t = _type(typer, "summary-05#s2")
    assert _type(typer, "summary-07#s2") == t == _type(typer, "summary-08#s3")
    st = typer.type_by_id(t)
    assert st.name.startswith("存在问题")
    assert {"存在问题", "存在的主要问题"} <= {h for h, _ in st.headings}


def test_next_step_sections_share_a_type(typer):
    # 三、工作打算 (01), 三、下一步工作打算 (05), 三、下一步工作要求 (07), 四、下一步工作目标 (08)
    t = _type(typer, "summary-05#s3")
    assert {_type(typer, u) for u in ("summary-01#s3", "summary-07#s3", "summary-08#s4")} == {t}


def test_leadership_publicity_opening_and_closing_types(typer, bundled):
    lead = _type(typer, "summary-02#s1")  # 领导重视，周密部署
    assert {_type(typer, f"summary-{n}#s1") for n in ("09", "10", "11", "15")} == {lead}
    pub = _type(typer, "summary-10#s2")  # 加强宣传、营造氛围
    assert {_type(typer, u) for u in ("summary-09#s2", "summary-11#s2")} == {pub}
    seg = typer.segments_
    opening = _type(typer, "summary-01#s0")
    assert opening == 0  # types are numbered by mean position: the opening comes first
    assert (seg[seg.role == "preamble"].type == opening).all()
    assert typer.type_by_id(opening).name.startswith("(opening)")
    # the identical closing paragraphs of summaries 10 and 11 share the closing type
    closing = _type(typer, "summary-10#p8")
    assert _type(typer, "summary-11#p10") == closing == _type(typer, "summary-09#p7")
    assert typer.type_by_id(closing).name.startswith("(closing)")


def test_segments_tile_the_body_and_detach_closing_paragraphs(bundled):
    doc = bundled["summary-10"]
    segs = outline_segments(doc)
    assert [u.unit_id for u, _ in segs] == ["summary-10#s0", "summary-10#s1", "summary-10#s2", "summary-10#s3",
                                           "summary-10#p8"]
    assert segs[-1][1] == ROLE_CLOSING and segs[-1][0].text.startswith("在今后的工作中")
    assert all(a.end <= b.start for (a, _), (b, _) in zip(segs, segs[1:]))
    # a last paragraph that is its (sub)section's only body stays with it
    assert [r for _, r in outline_segments(bundled["summary-01"])] == ["preamble", "section", "section", "section"]
    # depth 2 cuts a parent before its first child
    d2 = outline_segments(bundled["summary-05"], depth=2)
    assert [u.unit_id for u, _ in d2][:3] == ["summary-05#s0", "summary-05#s1", "summary-05#s1.1"]
    assert d2[1][0].text == "一、主要做法及成效"


def test_document_without_headings_falls_back_to_paragraphs(typer):
    outs = {o.doc_id: o for o in typer.outlines()}
    o = outs["summary-04"]
    assert o.fallback
    assert [s["unit_id"] for s in o.segments] == ["summary-04#p0", "summary-04#p1", "summary-04#p2"]
    assert o.types[0] == _type(typer, "summary-01#s0")  # its first paragraph is an opening
    assert smooth_types([3, 5, 3, 3, 7]) == [3, 3, 3, 3, 7]


def test_every_outline_and_the_common_outline(typer, bundled):
    outs = typer.outlines()
    assert [o.doc_id for o in outs] == bundled.ids
    o5 = next(o for o in outs if o.doc_id == "summary-05")
    assert o5.types == [_type(typer, u) for u in ("summary-05#s0", "summary-05#s1", "summary-05#s2", "summary-05#s3")]
    co = common_outline(outs, typer.types_)
    assert co.path[0]["type"] == "START" and co.path[1]["type"] == 0 and co.path[1]["docs"] >= 12
    consensus = [r["type"] for r in co.consensus]
    assert consensus[0] == 0
    assert _type(typer, "summary-05#s3") in consensus  # next steps: in most documents
    assert consensus.index(_type(typer, "summary-05#s3")) > consensus.index(_type(typer, "summary-12#s2"))
    first = next(t for t in co.transitions if t["from"] == "START" and t["to"] == 0)
    assert first["docs"] == sum(1 for o in outs if o.types[0] == 0)


def test_same_input_same_types(bundled, typer):
    again = SectionTyper().fit(bundled)
    assert again.segments_.type.tolist() == typer.segments_.type.tolist()
    assert [t.name for t in again.types_] == [t.name for t in typer.types_]


def test_fit_on_one_corpus_transform_another(typer):
    text = ("按照通知要求，我局开展了政务公开活动，现将有关情况总结如下：\n"
            "一、存在的问题\n个别科室对政务公开认识不到位，公开内容不够及时，形式比较单一。\n"
            "二、下一步工作计划\n进一步加强对政务公开工作的领导，完善制度，规范公开内容和形式。")
    new = Corpus.from_raw([RawDocument("new-1", text)])
    seg = typer.transform(new)
    assert seg.unit_id.tolist() == ["new-1#s0", "new-1#s1", "new-1#s2"]
    assert seg.type.tolist() == [0, _type(typer, "summary-05#s2"), _type(typer, "summary-05#s3")]
    assert [o.types for o in typer.outlines(new)] == [seg.type.tolist()]


def test_pickled_typer_stores_its_centroids_once(typer, bundled):
    import pickle

    blob = pickle.dumps(typer, protocol=pickle.HIGHEST_PROTOCOL)
    centers = len(pickle.dumps(typer.centers_, protocol=pickle.HIGHEST_PROTOCOL))
    both = len(pickle.dumps(dict(vars(typer)), protocol=pickle.HIGHEST_PROTOCOL))  # centroids stored twice
    assert centers > 0.2 * both  # the largest single part of a fitted typer
    assert len(blob) < both - 0.9 * centers
    back = pickle.loads(blob)
    assert np.array_equal(back.centers_, typer.centers_) and back.centers_.shape == (len(typer.types_), typer.matrix_.shape[1])
    assert back.transform(bundled).equals(typer.transform(bundled))
    assert typer.centers_ is not None  # pickling leaves the fitted typer as it was


def test_document_kinds_put_the_work_plans_together(bundled, typer):
    # words, outline and layout only (a 3-tuple leaves out the register block, see test_genre.py)
    kinds = document_kinds(bundled, typer, weights=(0.4, 0.2, 0.4), n_kinds=4)
    assert kinds.register_features == [] and kinds.weights["register"] == 0.0
    plans = kinds.kind_of("summary-13")
    assert kinds.kind_of("summary-14") == plans
    members = set(kinds.members(plans))
    assert not members & EVENT_SUMMARIES
    # 07 (an inspection report that, like the plans, starts at 一、 with no preamble) joins them
    assert members == {"summary-07", "summary-13", "summary-14"}
    auto = document_kinds(bundled, typer)
    assert auto.selection.startswith("k=2")
    assert auto.kind_of("summary-13") == auto.kind_of("summary-14")


# --------------------------------------------------------------------------- clusters at other levels


def test_cluster_units_labels_and_exemplars(bundled):
    res = cluster_units(bundled, level="paragraph", n_clusters=8)
    df = res.frame()
    assert len(df) == len(bundled.units("paragraph"))
    assert {"unit_id", "doc_id", "level", "heading", "text", "cluster", "cluster_label"} <= set(df.columns)
    assert sorted(c.cluster for c in res.clusters) == list(range(8))
    for c in res.clusters:
        assert c.size == int((res.labels == c.cluster).sum())
        assert c.terms and c.label
        sims = [e["similarity"] for e in c.exemplars]
        assert sims == sorted(sims, reverse=True)
    again = cluster_units(bundled, level="paragraph", n_clusters=8)
    assert (again.labels == res.labels).all()


# --------------------------------------------------------------------------- near-identical sentences


@pytest.fixture(scope="module")
def near(bundled):
    return near_identical_groups(bundled.units("sentence"))


def test_near_identical_sentences_across_documents(near, bundled):
    texts = {g.text: g for g in near}
    g = texts["我们坚持依法公开、勤俭节约、注重实效的原则，圆满地完成了宣传工作。"]
    assert g.doc_ids == ["summary-10", "summary-11"] and g.size == 2
    assert texts["一、领导重视，周密部署"].doc_ids == ["summary-02", "summary-10"]
    for grp in near:
        assert grp.n_docs >= 2 and len({m["doc_id"] for m in grp.members}) == grp.n_docs
        for m in grp.members:
            doc = bundled[m["doc_id"]]
            assert m["raw_end"] > m["raw_start"] and m["raw_end"] <= len(doc.raw)
    assert [x.group_id for x in near] == [x.group_id for x in near_identical_groups(bundled.units("sentence"))]


def test_near_identical_threshold_and_normalisation(bundled):
    assert normalize_for_matching("2019年5月15日，我局…") == "0年0月0日我局"
    units = [u for u in bundled.units("sentence")]
    loose = near_identical_groups(units, threshold=0.6)
    strict = near_identical_groups(units, threshold=0.8)
    assert len(loose) > len(strict)
    assert any(g.min_jaccard < 0.8 for g in loose)


# --------------------------------------------------------------------------- command line


def test_cli_writes_tables_and_prints_every_outline(tmp_path, capsys):
    from gkcorpus.cli import main

    out = tmp_path / "out"
    assert main(["cluster", "--no-plots", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    for n in range(1, 16):
        assert f"summary-{n:02d}  T" in printed
    assert "common outline" in printed and "most travelled path" in printed
    import pandas as pd

    clusters = pd.read_csv(out / "clusters.csv", encoding="utf-8-sig", keep_default_na=False)
    assert {"unit_id", "doc_id", "level", "heading", "text", "cluster", "cluster_label"} <= set(clusters.columns)
    row = clusters[clusters.unit_id == "summary-07#s2"].iloc[0]
    assert row.heading == "存在的主要问题" and row.cluster_label.startswith("存在问题")
    labels = json.loads((out / "cluster_labels.json").read_text(encoding="utf-8"))
    assert labels["level"] == "section" and labels["metrics"]["n_clusters"] == len(labels["clusters"])
    outline = pd.read_csv(out / "outline.csv", encoding="utf-8-sig", keep_default_na=False)
    assert outline.doc_id.nunique() == 15
    md = (out / "outline.md").read_text(encoding="utf-8")
    assert "## Every document's outline" in md and "**summary-15**" in md and "## Document kinds" in md
    # the two work plans are a kind of their own, with its own outline
    assert "  kind 1: summary-13, summary-14  [" in printed
    assert "most travelled path within each kind:" in printed and "  kind 1 (2 documents): START [2]" in printed
    assert "### Kind 0: its common outline (13 documents)" in md
    kinds = pd.read_csv(out / "document_kinds.csv", encoding="utf-8-sig", keep_default_na=False)
    assert kinds[kinds.kind == 1].doc_id.tolist() == ["summary-13", "summary-14"]
    assert set(kinds[kinds.kind == 1].genre) == {"plan"} and set(kinds[kinds.kind == 0].genre) == {"summary"}


@pytest.mark.slow
def test_cli_sentence_level_and_errors(tmp_path, capsys):
    from gkcorpus.cli import main

    out = tmp_path / "s"
    assert main(["cluster", "--level", "sentence", "--k", "6", "--no-plots", "-o", str(out)]) == 0
    assert "sentence clusters: 6 from" in capsys.readouterr().out
    near = json.loads((out / "near_identical.json").read_text(encoding="utf-8"))
    assert near and all(g["n_docs"] >= 2 for g in near)
    with pytest.raises(SystemExit) as e:
        main(["cluster", "--k", "0", "-o", str(out)])
    assert e.value.code == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["cluster", "--no-plots", "-o", str(blocker)]) == 1
    assert "not a directory" in capsys.readouterr().err


# --------------------------------------------------------------------------- the 50 national reports


@pytest.fixture(scope="module")
def national_run(shared_corpora):
    from gkcorpus import load
    from gkcorpus.outline.run import cluster_corpus

    return cluster_corpus(load(shared_corpora / "gwr_national.jsonl"), depth=1)


def _type_headed(run, heading: str) -> int:
    """The type of the section headed ``heading`` (not of the closing paragraph detached from its end)."""
    seg = run.typer.segments_
    [t] = seg[(seg.heading == heading) & (seg.role == "section")].type.tolist()
    return int(t)


def test_national_reports_kinds_follow_eras_with_their_own_outlines(national_run):
    run = national_run
    kinds = run.kinds
    assert kinds.selection.startswith("k=2")
    years = {kinds.kind_of(d): sorted(int(m[-4:]) for m in kinds.members(kinds.kind_of(d)))
             for d in ("gwr_national/1954", "gwr_national/2018")}
    early, late = years.values()
    # the boundary is not firm: with 1955 read from its table of contents (four empty chapters) it lay
    # between 1995 and 1996; read as one unheaded body, between 1998 and 1999; with 1987's third heading
    # cut where its source lost a line break (it ran into its first sentence), between 1992 and 1993
    assert early[0] == 1954 and early[-1] == 1992 and 1991 not in early and len(early) == 23
    assert late == [1991] + list(range(1993, 2019))
    # one genre, not three: every report but three early ones (too little evidence) reads as a work
    # report (before the report genre: plan 2 / summary 16 / unknown 3 in the late kind alone)
    late_kind = kinds.kinds[kinds.kind_of("gwr_national/2018")]
    assert late_kind["genres"] == {"report": 27}
    assert kinds.kinds[kinds.kind_of("gwr_national/1954")]["genres"] == {"report": 20, "unknown": 3}
    # since 1993: opening → review of the year → overall requirements → ... → the year's tasks →
    # self-improvement → closing
    review, tasks = _type_headed(run, "2011年工作回顾"), _type_headed(run, "2004年主要任务")
    overall = _type_headed(run, "2017年工作总体部署")
    self_improvement = _type_headed(run, "切实加强政府自身建设")
    late_outline = run.kind_outlines()[kinds.kind_of("gwr_national/2018")]
    assert [r["type"] for r in late_outline.path][:4] == ["START", 0, review, overall]
    assert [r["docs"] for r in late_outline.path][:4] == [27, 25, 15, 4]
    order = [r["type"] for r in late_outline.consensus]
    assert order.index(review) < order.index(tasks) < order.index(self_improvement)
    assert max(run.typer.types_[order[-1]].roles.items(), key=lambda kv: kv[1])[0] == ROLE_CLOSING
    # the whole corpus's path starts the same way
    assert [r["type"] for r in run.common.path[:3]] == ["START", 0, review]
    # beside the section types, every top-level part typed (see test_parts.py)
    assert run.parts is not None and run.parts.selection_.startswith("k=5: the Ward tree cut where both halves")
    assert "1 topic(s) split off as parts" in run.parts.selection_
    # the economy chapter that opens the tasks of 1987-2005 falls in with the tasks without a merge of chapters
    assert "merged as a chapter" not in run.parts.selection_


def test_minhash_units_and_lsh_candidates_equal_datasketch(bundled):
    from datasketch import MinHash, MinHashLSH

    from gkcorpus.features.cluster import _shingles, minhash_units, normalize_for_matching
    from gkcorpus.kernels.minhash import band_pairs, band_ranges, lsh_params

    texts = sorted({normalize_for_matching(u.text, True) for u in bundled.units("sentence")} - {""})
    sig = minhash_units(texts)
    oracle = MinHash.bulk([[s.encode("utf-8") for s in sorted(_shingles(t, 3))] for t in texts], num_perm=128, seed=1)
    assert (sig == np.array([m.hashvalues for m in oracle])).all()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, m in enumerate(oracle):
        lsh.insert(i, m)
    want = sorted((i, j) for i, m in enumerate(oracle) for j in lsh.query(m) if i < j)
    got = band_pairs(sig, band_ranges(*lsh_params(0.5, 128))).tolist()
    assert [tuple(p) for p in got] == want and len(want) == 8


def test_cluster_corpus_hands_over_the_section_types_before_the_rest(bundled, tmp_path):
    """on_section_types is called once, with the run's own typer and outlines, before the document
    kinds; the plots made from them then are the run's plots."""
    from gkcorpus.outline import run as run_module

    seen = []
    real_kinds = run_module.document_kinds

    def kinds(*args, **kwargs):
        seen.append("kinds")
        return real_kinds(*args, **kwargs)

    run_module.document_kinds = kinds
    try:
        run = run_module.cluster_corpus(bundled, on_section_types=lambda t, o: seen.append((t, o)))
    finally:
        run_module.document_kinds = real_kinds
    assert len(seen) == 2 and seen[1] == "kinds"
    typer, outlines = seen[0]
    assert typer is run.typer and outlines is run.outlines and len(outlines) == 15
    early = run_module.plot_calls(typer, outlines, tmp_path)
    assert [(fn.__name__, args[-1].name, kw) for fn, args, kw in early] == \
        [(fn.__name__, args[-1].name, kw) for fn, args, kw in run.plot_calls(tmp_path)]
    assert [a[-1].name for _, a, _ in early] == ["cluster_map.png", "cluster_sizes.png", "outline_heatmap.png"]

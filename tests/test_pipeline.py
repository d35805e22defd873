"""``gkcorpus mine``: every export written, determinism (reruns and input order), the report's content."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from gkcorpus.cli import main
from gkcorpus.base.io import read_bundled_page

EXPECTED = {
    "report.html", "manifest.json",
    "clean/cleaning_report.json", *(f"clean/summary-{i:02d}.txt" for i in range(1, 16)),
    "clusters/clusters.csv", "clusters/cluster_labels.json", "clusters/outline.csv", "clusters/outline.md",
    "clusters/document_kinds.csv", "clusters/cluster_map.png", "clusters/cluster_sizes.png",
    "clusters/outline_heatmap.png", "clusters/genres.csv", "clusters/parts.csv", "clusters/part_types.json",
    "phrases/phrasebank.json", "phrases/phrasebank.csv", "phrases/phrasebank.md", "phrases/phrasebank.xlsx",
    "phrases/userdict.txt",
    "reuse/reuse.json", "reuse/reuse_matrix.csv", "reuse/formulaicness.csv", "reuse/formulaicness_sentences.csv",
    "reuse/formulaicness.png",
    "templates/frames.json", "templates/frames.md", "templates/matches.csv", "templates/numeric.csv",
    "templates/skeleton.md",
}


def _files(d: Path) -> dict[str, bytes]:
    """The exports (the segmentation cache, ``.gkcorpus-cache/``, is not one)."""
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and ".gkcorpus-cache" not in p.parts}


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    out = tmp_path_factory.mktemp("mine") / "out"
    assert main(["mine", "-o", str(out)]) == 0
    return out


def test_mine_writes_every_export(mined, capsys):
    files = _files(mined)
    assert set(files) == EXPECTED
    manifest = json.loads(files["manifest.json"])
    assert manifest["documents"] == 15
    assert set(manifest["files"]) == EXPECTED - {"manifest.json"}
    assert not list(mined.rglob(".*.tmp"))


def test_report_has_every_section_and_evidence_links(mined):
    html = (mined / "report.html").read_text(encoding="utf-8")
    ids = re.findall(r'<section id="([^"]+)">', html)
    assert ids == ["overview", "cleaning", "outline", "boilerplate", "reuse", "formulaicness", "templates", "evidence"]
    assert "http://" not in html and "https://" not in html  # self-contained
    assert html.count("data:image/png;base64,") == 4
    links = set(re.findall(r'href="#(ev-[^"]+)"', html))
    anchors = set(re.findall(r'<li id="(ev-[^"]+)"', html))
    assert links and links == anchors
    assert "25 garbled spots repaired" in html
    assert "现场咨询群众□0余人次" in html  # the lost digit, shown, not invented
    assert "再上新台阶" in html and "高度重视" in html
    for doc in ("summary-10", "summary-11"):
        assert doc in html


def test_templates_are_the_frames(mined):
    """templates/ holds the frame library, one row per match, the numeric slots by document and a
    skeleton of frames; the report shows the same frames."""
    import csv

    lib = json.loads((mined / "templates" / "frames.json").read_text(encoding="utf-8"))
    assert len(lib) == 44 and all(d["frame"] for d in lib)
    # frames with a content slot first; the copied passage whose only slot holds a few words comes later, and
    # so do sentences copied between the summaries (inside the shared passages) whose slots are free text
    assert lib[0]["template"] == "{TEXT}{NUM}，受到了来访群众的一致好评，问题解答满意率达到了100%"
    assert [d["template"] for d in lib if d.get("copied")] == [
        "促进{TEXT}经济社会在新的更高起点上实现大发展快发展", "结合{TEXT}实际，我镇按照要求组织开展“5.15政务公开日”主题活动",
        "{TEXT}给予认真的记录和耐心的解答", "完善政府信息公开{TEXT}",
        "创新政务公开载体，拓展政务公开渠道，把{TEXT}的政务公开工作进一步推向深入，不断提高政务公开工作质量"]
    order = [d["template"] for d in lib]
    assert order.index("现将{TEXT}情况总结如下") < order.index(
        "创新政务公开载体，拓展政务公开渠道，把{TEXT}的政务公开工作进一步推向深入，不断提高政务公开工作质量")
    assert (mined / "templates" / "frames.md").read_text(encoding="utf-8").startswith("# Sentence frames")
    with (mined / "templates" / "matches.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(d["n_instances"] for d in lib) == 140
    visits = [r for r in rows if r["frame"] == "此次活动共接访群众{NUM}余人"]
    assert [(r["doc_id"], json.loads(r["slot_values"])) for r in visits] == [
        ("summary-02", {"NUM": "100"}), ("summary-10", {"NUM": "300"})]
    numeric = (mined / "templates" / "numeric.csv").read_text(encoding="utf-8-sig").splitlines()
    assert numeric[0] == ("doc_id,{TEXT}{NUM}，受到了来访群众的一致好评，问题解答满意率达到了100% [NUM],活动共接访群众 [NUM],"
                          "发放{TEXT}{NUM} [NUM],在政务公开前{NUM} [NUM]")
    assert numeric[2] == "summary-02,100余人,100余人,,一周"
    html = (mined / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="templates">'):html.index('<section id="evidence">')]
    assert "<h2>Sentence frames</h2><p>44 frames (frames.json)" in section and "(140 matches, matches.csv)" in section
    assert section.count("<tr><td>t") == 40  # the first 40 frames of the library
    assert "此次活动共接访群众<span class=\"slot\">{NUM}</span>余人" in section
    row = next(r for r in section.split("<tr>") if "营造<span" in r)  # one match cited in each of four documents
    assert re.findall(r">(summary-\d+)</a>", row) == ["summary-02", "summary-04", "summary-06", "summary-08"]
    assert "Numeric slots by document (numeric.csv): 4 columns" in section
    assert "- `…现将{TEXT}总结如下…` — 5 documents" in section


def test_mine_does_not_run_the_sentence_template_miner(tmp_path, monkeypatch):
    from gkcorpus import load_bundled
    from gkcorpus.app.pipeline import mine
    from gkcorpus.templates import TemplateMiner

    def boom(self, *a, **kw):
        raise AssertionError("mine fitted the sentence-template miner")

    monkeypatch.setattr(TemplateMiner, "fit", boom)
    monkeypatch.setattr(TemplateMiner, "fit_sentences", boom)
    res = mine(load_bundled(), tmp_path / "out", plots=False, formats=("json",))
    assert len(res.frames) == 44 and res.miner.library_ is res.frames


def test_no_plots_means_no_png_in_any_stage(tmp_path):
    """``--no-plots`` skips every plot: the section types', the 套话 index's and the formula timelines'."""
    from gkcorpus import load_bundled

    src = tmp_path / "years.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for k, d in enumerate(load_bundled()):
            f.write(json.dumps({"id": d.id, "text": d.text, "year": 2010 + k // 3}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    assert main(["mine", str(src), "-o", str(out), "--format", "json", "--no-plots"]) == 0
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"trends/trends.csv", "reuse/formulaicness.csv", "clusters/parts.csv", "report.html"} <= written
    assert sorted(p for p in written if p.endswith(".png")) == []
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Formula timelines" in html and "<img" not in html


def test_a_corpus_without_shared_frames_says_so(tmp_path):
    from gkcorpus import load
    from gkcorpus.app.pipeline import mine

    (tmp_path / "a.txt").write_text("今天天气很好。我们去公园散步。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("明天可能下雨。记得带伞出门。\n", encoding="utf-8")
    res = mine(load([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]), tmp_path / "out", plots=False,
               formats=("json",))
    assert len(res.frames) == 0
    assert json.loads((tmp_path / "out" / "templates" / "frames.json").read_text(encoding="utf-8")) == []
    assert (tmp_path / "out" / "templates" / "numeric.csv").read_text(encoding="utf-8-sig").split() == ["doc_id", "a", "b"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "(0 matches, matches.csv); support is the number of documents matched. No frame is shared by 2 " \
           "documents or more." in html


@pytest.mark.slow
def test_mine_is_byte_identical_on_rerun(mined, tmp_path):
    again = tmp_path / "again"
    assert main(["mine", "-o", str(again)]) == 0
    assert _files(again) == _files(mined)


def test_mine_as_on_a_large_corpus_writes_the_same_bytes(mined, tmp_path, monkeypatch):
    """From RELEASE_MIN_CHARS on, ``mine`` frees memory between stages, drops what only the files need and
    runs the templates stage in a forked child: the same exports."""
    import gkcorpus.app.pipeline as pipeline

    calls = []
    real = pipeline._templates
    monkeypatch.setattr(pipeline, "_templates", lambda *a: calls.append(os.getpid()) or real(*a))
    monkeypatch.setattr(pipeline, "RELEASE_MIN_CHARS", 0)
    big = tmp_path / "big"
    assert main(["mine", "-o", str(big)]) == 0
    assert _files(big) == _files(mined)
    from gkcorpus.runtime.isolated import isolation_available

    assert calls == ([] if isolation_available() else [os.getpid()])  # the child's call is the child's


@pytest.mark.slow
def test_mine_does_not_depend_on_input_order(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    docs = read_bundled_page()[:6]
    for d in docs:
        (src / f"{d.id}.txt").write_text(d.raw, encoding="utf-8")
    paths = sorted(str(p) for p in src.glob("*.txt"))
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["mine", *paths, "-o", str(a), "--format", "json,csv"]) == 0
    assert main(["mine", *reversed(paths), "-o", str(b), "--format", "json,csv"]) == 0
    fa, fb = _files(a), _files(b)
    assert set(fa) == set(fb) and "phrases/phrasebank.json" in fa and "phrases/phrasebank.xlsx" not in fa
    assert [k for k in fa if fa[k] != fb[k]] == []


@pytest.mark.slow
def test_mine_with_a_relative_output_path(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["mine", "-o", "out", "--format", "json", "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "open out/report.html in a browser" in out
    assert (tmp_path / "out" / "phrases" / "phrasebank.json").exists()


def test_mine_rejects_unknown_format(capsys, tmp_path):
    assert main(["mine", "-o", str(tmp_path / "x"), "--format", "json,pdf"]) == 1
    assert capsys.readouterr().err == "gkcorpus: error: unknown format(s) pdf; choose from json, csv, md, xlsx\n"


@pytest.fixture(scope="module")
def six_files(tmp_path_factory):
    src = tmp_path_factory.mktemp("six")
    for d in read_bundled_page()[:6]:
        (src / f"{d.id}.txt").write_text(d.raw, encoding="utf-8")
    return sorted(str(p) for p in src.glob("*.txt"))


@pytest.mark.slow
def test_a_rerun_reads_every_segmentation_from_the_cache(six_files, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GKCORPUS_CACHE", raising=False)
    out = tmp_path / "out"
    args = ["mine", *six_files, "-o", str(out), "--format", "json", "--no-plots"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "segmentation cache: 0 documents read, 6 segmented (jieba)" in first
    assert len(list((out / ".gkcorpus-cache").rglob("*.tok"))) == 6
    exports = _files(out)
    assert main(args) == 0
    assert "segmentation cache: 6 documents read, 0 segmented (jieba)" in capsys.readouterr().out
    assert _files(out) == exports
    assert main([*args, "--no-cache", "-o", str(tmp_path / "plain")]) == 0
    assert "segmentation cache" not in capsys.readouterr().out
    assert _files(tmp_path / "plain") == exports


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_mine_on_workers_gives_the_same_bytes(six_files, tmp_path, executor):
    if executor == "dask":
        pytest.importorskip("distributed", reason="the Dask run needs the 'dask' extra")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    common = ["--format", "json,csv", "--no-cache"]
    assert main(["mine", *six_files, "-o", str(serial), *common]) == 0
    assert main(["mine", *six_files, "-o", str(parallel), *common, "--executor", executor, "--workers", "2"]) == 0
    a, b = _files(serial), _files(parallel)
    # clean 6+1, clusters 11 (plots and the part types included), phrases 3, reuse 5, templates 5, report, manifest
    assert len(a) == 33
    assert set(a) == set(b)
    assert [k for k in a if a[k] != b[k]] == []


@pytest.mark.slow
def test_mine_with_rjieba(tmp_path, capsys):
    pytest.importorskip("rjieba", reason="the rjieba segmenter is the 'fast' extra")
    out = tmp_path / "out"
    assert main(["mine", "-o", str(out), "--format", "json", "--no-plots", "--segmenter", "rjieba"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["segmenter"] == "rjieba"
    bank = json.loads((out / "phrases" / "phrasebank.json").read_text(encoding="utf-8"))
    phrases = {p["phrase"] for p in bank["phrases"]} if isinstance(bank, dict) else {p["phrase"] for p in bank}
    assert {"高度重视", "再上新台阶"} <= phrases


def test_large_inputs_use_every_core_unless_told(tmp_path, monkeypatch):
    import argparse

    from gkcorpus.cli import mine_cmd

    (tmp_path / "a.txt").write_text("甲" * 100, encoding="utf-8")  # 300 bytes
    monkeypatch.setattr(mine_cmd, "AUTO_WORKERS_BYTES", 300)
    monkeypatch.setattr(mine_cmd.os, "cpu_count", lambda: 2)

    def ns(**kw):
        base = dict(workers=None, executor="auto", scheduler=None, paths=[str(tmp_path)], glob="*.txt")
        return argparse.Namespace(**{**base, **kw})

    args = ns()
    assert mine_cmd._auto_workers(args) == (300, 2) and args.workers == 2
    assert mine_cmd._auto_workers(ns(workers=1)) is None
    assert mine_cmd._auto_workers(ns(executor="serial")) is None
    assert mine_cmd._auto_workers(ns(paths=[])) is None  # the bundled corpus
    monkeypatch.setattr(mine_cmd, "AUTO_WORKERS_BYTES", 301)
    assert mine_cmd._auto_workers(ns()) is None


def test_counts_agree_between_report_outline_and_csvs(mined):
    """Every count printed about the section types comes from one place: the report, outline.md,
    clusters.csv, outline.csv and cluster_labels.json tell the same numbers."""
    import csv

    html = (mined / "report.html").read_text(encoding="utf-8")
    md = (mined / "clusters" / "outline.md").read_text(encoding="utf-8")
    with (mined / "clusters" / "clusters.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    labels = json.loads((mined / "clusters" / "cluster_labels.json").read_text(encoding="utf-8"))
    sentence = re.search(r"(\d+) section types from (\d+) segments \((\d+) fitted", md)
    n_types, n_segments, n_fitted = map(int, sentence.groups())
    assert sentence.group(0) in html
    assert n_segments == len(rows) == sum(c["size"] for c in labels["clusters"])
    assert n_types == len(labels["clusters"]) == len({r["cluster"] for r in rows})
    assert labels["metrics"]["n_units"] == n_fitted
    # per type: segments and documents in outline.md's table, the CSV and the common outline's support
    sizes = {r: 0 for r in {r["cluster"] for r in rows}}
    docs: dict[str, set] = {k: set() for k in sizes}
    for r in rows:
        sizes[r["cluster"]] += 1
        docs[r["cluster"]].add(r["doc_id"])
    for c in labels["clusters"]:
        k = str(c["cluster"])
        assert (c["size"], c["n_docs"]) == (sizes[k], len(docs[k]))
        assert f"| T{k} | " in md and re.search(rf"\| T{k} \| [^\n]*\| {sizes[k]} \| {len(docs[k])} \|", md)
        support = re.search(rf"\| T{k} [^|\n]*\| (\d+)/15 \|", md)
        if support:  # the common outline counts documents whose outline holds the type
            assert int(support.group(1)) == len(docs[k])


def test_bundled_skeleton_keeps_the_section_types(mined):
    # the part types of the bundled summaries predict their section order worse than the section types
    # (order concordance 0.603 against 0.921), so the skeleton is the section types' common outline
    md = (mined / "templates" / "skeleton.md").read_text(encoding="utf-8")
    entries = [line for line in md.splitlines() if line.startswith("## ")]
    assert len(entries) == 11
    # in the most common order: the problems before the next steps (the problems come first in more of the
    # summaries holding both), though the next steps' first section lies earlier in the median document
    assert entries[1] == "## 2. 基本情况 (+4)" and entries[8:10] == ["## 9. 存在问题 (+1)", "## 10. 下一步工作打算 (+7)"]
    # each part's set phrases from the phrase bank of the same run
    lines = md.splitlines()
    assert lines[lines.index(entries[0]) + 4] == (
        "Set phrases: `关于…政务公开日` (7); `按照…要求` (6); `现将…总结如下` (5); `贯彻落实` (5); `现将…情况总结` (4).")
    assert "Set phrases: `政务公开工作再上新台阶` (4); " in md  # the closing's


def test_clusters_failing_after_the_section_types_leave_no_plots(tmp_path, monkeypatch):
    """The plots start once the section types are fitted; when the stage fails later, they are taken
    back: no clusters/ folder, the warning, and the rest of the run as before."""
    from gkcorpus import load_bundled
    from gkcorpus.app.pipeline import mine
    from gkcorpus.outline import run as run_module

    def no_kinds(*args, **kwargs):
        raise ValueError("no document kinds here")

    monkeypatch.setattr(run_module, "document_kinds", no_kinds)
    res = mine(load_bundled(), tmp_path / "out", plots=True, formats=("json",))
    out = tmp_path / "out"
    assert not (out / "clusters").exists()
    assert "section types skipped: no document kinds here" in res.warnings
    assert (out / "reuse" / "formulaicness.png").is_file() and (out / "report.html").is_file()
    assert not [p for p in out.rglob("*.png") if p.parent.name == "clusters"]

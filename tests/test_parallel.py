"""Per-document stages on every backend (serial, processes, a two-worker Dask LocalCluster) give the in-process results."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

import gkcorpus
from gkcorpus.io import LoadError, read_bundled_page
from gkcorpus.parallel import (
    PerDocumentExecutor,
    analyze_document,
    combine_counts,
    count_terms,
    load_parallel,
    run_per_document,
    segment_lengths,
    sentence_signatures,
    shingle_hash32,
    shingles,
    term_counts,
)
from gkcorpus.tokenize import Tokenizer

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Six text files (GBK, UTF-8, UTF-8 with BOM; in subfolders), a PNG posing as text, and a JSONL of three."""
    root = tmp_path_factory.mktemp("multi")
    raws = {r.id: r.raw for r in read_bundled_page()}
    layout = [
        ("a/summary-01.txt", "gbk"), ("a/summary-02.txt", "utf-8"), ("b/summary-03.txt", "gbk"),
        ("b/summary-04.txt", "utf-8-sig"), ("summary-05.txt", "gbk"), ("summary-06.txt", "utf-8"),
    ]
    folder = root / "folder"
    for rel, enc in layout:
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(raws[p.stem].encode(enc))
    (folder / "b" / "zz-scan.txt").write_bytes(PNG)
    lines = [json.dumps({"id": f"rec-{k}", "title": f"总结{k}", "text": raws[f"summary-0{k}"], "year": 2019 + k},
                        ensure_ascii=False) for k in (7, 8, 9)]
    (root / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [folder, root / "records.jsonl"]


@pytest.fixture(scope="module")
def reference(files):
    return gkcorpus.load(files, skip_bad=True)


@pytest.fixture(scope="module")
def dask_client():
    """A LocalCluster of two single-threaded worker processes, closed (and checked gone) afterwards."""
    psutil = pytest.importorskip("psutil")
    distributed = pytest.importorskip("dask.distributed")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
    # multiprocessing's resource tracker is one per interpreter and lives until it exits: not a worker
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(p.cmdline())]
    assert not left, f"worker processes left behind: {[(p.pid, p.cmdline()) for p in left]}"


def saved_bytes(corpus, path) -> bytes:
    corpus.save(path)
    with gzip.open(path, "rb") as fh:
        return fh.read()


def assert_same_corpus(a, b):
    assert a.ids == b.ids
    assert a.skipped == b.skipped
    for x, y in zip(a, b):
        assert x.to_dict() == y.to_dict()  # id, title, raw, text, offsets, meta, encoding, source, cleaning report
        assert x.offsets == y.offsets
        assert x.structure.to_dict() == y.structure.to_dict()


def test_reference_corpus_is_what_the_files_hold(reference):
    assert reference.ids == ["a/summary-01", "a/summary-02", "b/summary-03", "b/summary-04", "summary-05",
                             "summary-06", "rec-7", "rec-8", "rec-9"]
    assert [d.encoding for d in reference][:6] == ["gbk", "utf-8", "gbk", "utf-8-sig", "gbk", "utf-8"]
    assert len(reference.skipped) == 1 and "zz-scan.txt: binary file (PNG image)" in reference.skipped[0]


@pytest.mark.parametrize("backend", ["serial", "processes"])
def test_load_parallel_equals_load(files, reference, backend, tmp_path):
    got = load_parallel(files, backend=backend, workers=2, skip_bad=True)
    assert_same_corpus(reference, got)
    assert all(d._structure is not None for d in got)  # parsed on the worker
    assert saved_bytes(got, tmp_path / "p.json.gz") == saved_bytes(reference, tmp_path / "r.json.gz")


def test_load_parallel_raises_what_load_raises(files, tmp_path):
    with pytest.raises(LoadError) as want:
        gkcorpus.load(files)
    with pytest.raises(LoadError) as got:
        load_parallel(files, backend="processes", workers=2)
    assert str(got.value) == str(want.value)
    assert "zz-scan.txt: binary file (PNG image), not text" in str(got.value)
    twice = [files[1], files[1]]
    with pytest.raises(LoadError, match="duplicate document id 'rec-7'"):
        load_parallel(twice, backend="serial")
    renamed = load_parallel(twice, backend="serial", duplicate_ids="suffix")
    assert renamed.ids == gkcorpus.load(twice, duplicate_ids="suffix").ids == ["rec-7", "rec-8", "rec-9",
                                                                               "rec-7~2", "rec-8~2", "rec-9~2"]
    with pytest.raises(LoadError, match="no such file or directory"):
        load_parallel([tmp_path / "nothing.txt"], backend="serial")


def test_executor_keeps_input_order_with_chunks_and_a_small_window():
    items = [f"第{i}条" * (i % 7 + 1) for i in range(101)]
    with PerDocumentExecutor("processes", workers=2, chunksize=3, window=1) as ex:
        assert ex.map(len, items) == [len(s) for s in items]
        assert ex.map(count_terms, items[:5], tokenizer=Tokenizer()) == [count_terms(s, Tokenizer()) for s in items[:5]]
    assert run_per_document(len, iter(items), backend="serial") == [len(s) for s in items]
    with pytest.raises(ValueError, match="unknown backend 'threads'"):
        PerDocumentExecutor("threads")


@pytest.mark.slow
def test_dask_backend_gives_the_in_process_results(files, reference, dask_client, tmp_path):
    ex = PerDocumentExecutor(client=dask_client)
    assert ex.backend == "dask" and ex.n_workers == 2
    got = load_parallel(files, executor=ex, skip_bad=True)
    assert_same_corpus(reference, got)
    assert saved_bytes(got, tmp_path / "d.json.gz") == saved_bytes(reference, tmp_path / "r.json.gz")
    tok = Tokenizer()
    texts = [d.text for d in reference]
    lengths = ex.map(segment_lengths, texts, tokenizer=tok)
    assert all(np.array_equal(a, segment_lengths(t, tok)) for a, t in zip(lengths, texts))
    assert ex.map(count_terms, texts) == [count_terms(t) for t in texts]
    sigs = ex.map(sentence_signatures, list(reference))
    for s, d in zip(sigs, reference):
        ref = sentence_signatures(d)
        assert s.doc_id == d.id and np.array_equal(s.spans, ref.spans) and np.array_equal(s.hashvalues, ref.hashvalues)
    parts = ex.map(analyze_document, list(reference))
    assert [p.counts for p in parts] == [count_terms(t) for t in texts]
    ex.close()  # does not close a client it was given
    assert dask_client.status == "running"


def test_dask_on_the_raw_national_reports(shared_corpora, dask_client):
    # The scraped GBK files with their page chrome and repeated paragraphs; the six smallest.
    paths = sorted((shared_corpora / "gwr_national").glob("*.txt"), key=lambda p: p.stat().st_size)[:6]
    want = gkcorpus.load(paths)
    got = load_parallel(paths, executor=PerDocumentExecutor(client=dask_client))
    assert [d.encoding for d in got] == ["gbk"] * 6
    assert_same_corpus(want, got)


def test_counts_combine_to_the_corpus_frequency_table(bundled):
    tc = combine_counts(count_terms(d.text) for d in bundled)
    assert tc.n_docs == 15
    assert tc.to_frame().equals(bundled.frequencies())
    assert tc.tf["政务公开"] == bundled.frequencies().set_index("term").loc["政务公开", "tf"]
    streamed = term_counts((d.text for d in bundled), executor=PerDocumentExecutor("processes", workers=2))
    assert streamed.tf == tc.tf and streamed.df == tc.df


def test_analyze_document_segments_once_and_matches_the_single_stages(bundled):
    d = bundled["summary-10"]
    p = analyze_document(d)
    assert np.array_equal(p.lengths, segment_lengths(d.text))
    assert p.counts == count_terms(d.text)
    assert np.array_equal(p.signatures.hashvalues, sentence_signatures(d).hashvalues)
    assert p.to_dict() == {"doc_id": "summary-10", "n_tokens": len(p.lengths), "n_terms": len(p.counts),
                           "n_sentences": len(d.structure.sentences)}


def test_signatures_are_datasketch_minhashes_and_find_near_duplicates():
    from datasketch import MinHash, MinHashLSH

    text = "此次活动共接访群众200余人。\n此次活动共接访群众300余人。\n发放宣传资料1000余份。\n好。"
    sig = sentence_signatures(text, doc_id="t")
    assert sig.spans.tolist() == [[0, 15], [16, 31], [32, 45], [46, 48]]
    assert sig.hashvalues.dtype == np.uint32 and sig.hashvalues.shape == (4, 128)
    for i, (s, e) in enumerate(sig.spans.tolist()):
        m = MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=shingle_hash32)
        m.update_batch(shingles(text[s:e]))
        assert np.array_equal(m.hashvalues, sig.hashvalues[i])
    assert shingles(text[46:48]) == ["好。"]
    # 13 shingles each, 10 shared: Jaccard 10/16 = 0.625 (estimated from 128 permutations)
    assert 0.5 < sig.minhash(0).jaccard(sig.minhash(1)) < 0.75
    assert sig.minhash(0).jaccard(sig.minhash(2)) < 0.1
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i in range(len(sig)):
        lsh.insert(i, sig.minhash(i))
    assert sorted(lsh.query(sig.minhash(0))) == [0, 1]
    again = sentence_signatures(text)
    assert np.array_equal(again.hashvalues, sig.hashvalues)
    assert not np.array_equal(sentence_signatures(text, seed=2).hashvalues, sig.hashvalues)


def test_command_line_options_choose_the_backend_and_cache(tmp_path, monkeypatch):
    import argparse

    from gkcorpus.cli import UsageError
    from gkcorpus.parallel import add_parallel_args, cache_dir_from_args, executor_from_args

    monkeypatch.delenv("GKCORPUS_CACHE", raising=False)
    ap = argparse.ArgumentParser()
    add_parallel_args(ap)

    def ex(*argv):
        return executor_from_args(ap.parse_args(list(argv)))

    assert ex().backend == "serial"
    assert (ex("--workers", "2").backend, ex("--workers", "2").workers) == ("processes", 2)
    assert ex("--workers", "1").backend == "serial"
    assert ex("--executor", "dask", "--workers", "2").backend == "dask"
    assert ex("--scheduler", "tcp://10.0.0.5:8786").scheduler == "tcp://10.0.0.5:8786"
    assert ex("--scheduler", "tcp://10.0.0.5:8786").backend == "dask"  # nothing connects until first use
    with pytest.raises(UsageError, match="--workers must be at least 1"):
        ex("--workers", "0")
    out = tmp_path / "out"
    assert cache_dir_from_args(ap.parse_args([]), out) == out / ".gkcorpus-cache"
    assert cache_dir_from_args(ap.parse_args(["--cache-dir", str(tmp_path / "c")]), out) == tmp_path / "c"
    assert cache_dir_from_args(ap.parse_args(["--no-cache"]), out) is None


def test_signatures_of_normalised_sentences():
    from datasketch import MinHash

    from gkcorpus.cluster import normalize_for_matching

    text = "共接访群众200余人，发放资料30份。\n共接访群众1200余人，发放资料5份。"
    sig = sentence_signatures(text, normalize=normalize_for_matching)
    assert sig.spans.tolist() == [[0, 19], [20, 39]]
    # digits masked and punctuation dropped: both read 共接访群众0余人发放资料0份
    assert normalize_for_matching(text[20:39]) == "共接访群众0余人发放资料0份"
    assert np.array_equal(sig.hashvalues[0], sig.hashvalues[1])
    m = MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=shingle_hash32)
    m.update_batch(shingles("共接访群众0余人发放资料0份"))
    assert np.array_equal(m.hashvalues, sig.hashvalues[0])

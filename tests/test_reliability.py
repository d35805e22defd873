"""Inputs and faults a careless or hostile user meets: one line and exit 1, or a correct result.

Each test reproduces one case on a temporary folder: tiny corpora, formula-looking ids, reruns
into the input folder, giant tokens, a full disk, lone surrogates, FIFOs, long ids, a failed
rerun over an earlier output, damaged saved corpora, and the silent skips (unreadable folders,
link loops, a cache path that is a file, an altered cache entry, NUL and control characters).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gkcorpus import LoadError
from gkcorpus.cli import main

TWO = ("全面推进政务公开工作。全面推进政务公开工作。", "进一步提高政府透明度。全面推进政务公开工作。")
SRC = Path(__file__).resolve().parents[1] / "src"


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The single error line (asserting there is exactly one and no traceback)."""
    assert "Traceback" not in err
    lines = [l for l in err.splitlines() if not l.startswith("gkcorpus: ") or l.startswith("gkcorpus: error")]
    errors = [l for l in err.splitlines() if l.startswith("gkcorpus: error")]
    assert len(errors) == 1 and lines == errors, err
    return errors[0]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def files_under(d: Path) -> set[str]:
    return {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- 1. tiny corpora


def test_tiny_corpus_without_attracted_pairs_gives_phrases_and_mine(capsys, tmp_path):
    t = tmp_path / "t"
    t.mkdir()
    (t / "a.txt").write_text(TWO[0], encoding="utf-8")
    (t / "b.txt").write_text(TWO[1], encoding="utf-8")
    code, _, err = cli(capsys, "phrases", t, "-o", tmp_path / "out")
    assert code == 0, err
    assert json.loads((tmp_path / "out" / "phrasebank.json").read_text(encoding="utf-8")) == []
    assert "0 entries from 2 documents" in (tmp_path / "out" / "phrasebank.md").read_text(encoding="utf-8")
    code, out, err = cli(capsys, "mine", t, "-o", tmp_path / "m", "--no-plots")
    assert code == 0, err
    assert "mined 2 documents (44 characters)" in out
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == 2 and set(manifest["files"]) <= files_under(tmp_path / "m")
    reuse = json.loads((tmp_path / "m" / "reuse" / "reuse.json").read_text(encoding="utf-8"))
    assert [(r["text"], r["docs"], len(r["occurrences"])) for r in reuse] == [("全面推进政务公开工作。", ["a", "b"], 3)]


@pytest.mark.slow
def test_five_thousand_tiny_files_from_four_phrases(capsys, tmp_path):
    import random

    pool = ["全面推进政务公开工作。", "进一步提高政府透明度。", "加强组织领导。", "切实做好信息公开。"]
    r = random.Random(0)
    d = tmp_path / "many"
    d.mkdir()
    for i in range(5000):
        (d / f"d{i:04d}.txt").write_text("".join(r.choice(pool) for _ in range(r.randint(1, 3))), encoding="utf-8")
    code, out, err = cli(capsys, "mine", d, "-o", tmp_path / "out", "--no-plots", "--workers", "1")
    assert code == 0, err
    assert out.startswith("mined 5000 documents")
    assert json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["documents"] == 5000


# ---------------------------------------------------------------- 2. formula injection


def test_export_layer_neutralises_formula_cells(tmp_path):
    import openpyxl

    from gkcorpus.base.export import safe_cell, write_csv, write_xlsx

    rows = [{"id": v, "n": -3} for v in ("=1+1", "+1", "-x", "@SUM(A1)", "\tx", "a=b", "政务")]
    write_csv(tmp_path / "t.csv", rows)
    got = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_bytes().decode("utf-8-sig"))))
    assert [r[0] for r in got] == ["id", "'=1+1", "'+1", "'-x", "'@SUM(A1)", "'\tx", "a=b", "政务"]
    assert safe_cell("\rx") == "'\rx" and safe_cell("x\r") == "x\r"
    assert {r[1] for r in got[1:]} == {"-3"}  # numbers are numbers
    write_xlsx(tmp_path / "t.xlsx", {"s": rows, "=bad": [{"=col": "=2*3"}]})
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in wb["s"]["A"]][1:5] == ["'=1+1", "'+1", "'-x", "'@SUM(A1)"]
    assert [c.value for c in wb["s"]["B"]][1:3] == [-3, -3]
    assert [c.value for c in wb["=bad"]["A"]] == ["'=col", "'=2*3"]
    assert safe_cell(-3) == -3 and safe_cell(None) is None


def test_formula_looking_document_id_is_text_in_every_csv(capsys, tmp_path):
    hostile = '=HYPERLINK("http://x")'
    src = write_jsonl(tmp_path / "i.jsonl", [
        {"id": hostile, "text": "全面推进政务公开工作。进一步提高政府透明度。全面推进政务公开工作。"},
        {"id": "b", "text": "全面推进政务公开工作。进一步提高政府透明度。加强组织领导。"},
        {"id": "@c", "text": "全面推进政务公开工作。进一步提高政府透明度。切实做好信息公开。"},
    ])
    out = tmp_path / "out"
    code, _, err = cli(capsys, "mine", src, "-o", out, "--no-plots")
    assert code == 0, err
    seen = 0
    for f in sorted(out.rglob("*.csv")):
        for row in csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (f.name, cell)
                seen += cell == "'" + hostile
    assert seen >= 5  # the id appears, quoted, in the reuse, template and cluster tables


# ---------------------------------------------------------------- 3. reruns read their own outputs


def test_output_folder_is_never_read_as_input(capsys, tmp_path):
    d = tmp_path / "D"
    d.mkdir()
    (d / "a.txt").write_text(TWO[0], encoding="utf-8")
    (d / "b.txt").write_text(TWO[1], encoding="utf-8")
    code, _, err = cli(capsys, "mine", d, "-o", d)
    assert code == 1
    assert one_line_error(err) == f"gkcorpus: error: {d}: the output folder is the input folder; choose another output folder"
    assert sorted(p.name for p in d.iterdir()) == ["a.txt", "b.txt"]
    for _ in range(2):
        code, out, err = cli(capsys, "mine", d, "-o", d / "out", "--no-plots")
        assert code == 0, err
        assert out.startswith("mined 2 documents")
    code, out, _ = cli(capsys, "info", d)
    assert code == 0 and out.splitlines()[0] == "documents: 2"
    code, _, _ = cli(capsys, "clean", d, "-o", d / "c")
    code, out, _ = cli(capsys, "info", d)
    assert code == 0 and out.splitlines()[0] == "documents: 2"


# ---------------------------------------------------------------- 4. giant tokens


@pytest.mark.parametrize("text", ["关于推进政务公开工作的通知。" + "A" * 70000, "政" * 100000])
def test_token_longer_than_65535_characters(capsys, tmp_path, text):
    (tmp_path / "la.txt").write_text(text + "\n", encoding="utf-8")
    code, out, err = cli(capsys, "mine", tmp_path / "la.txt", "-o", tmp_path / "o", "--no-plots")
    assert code == 0, err
    assert out.startswith(f"mined 1 documents ({len(text):,} characters)")
    assert (tmp_path / "o" / "clean" / "la.txt").read_text(encoding="utf-8") == text + "\n"


def test_segmentation_memo_keeps_long_token_lengths():
    from gkcorpus.text.tokenize import SegmentationMemo, Tokenizer, token_lengths

    tok = Tokenizer()
    text = "通知。" + "A" * 70000 + "\n政务公开"
    memo = SegmentationMemo()
    memo.add(text, [3, 70000, 1, 4], tok)
    assert memo.cut(text, tok) == ["通知。", "A" * 70000, "\n", "政务公开"]
    assert list(token_lengths(["a" * 70000, "b"])) == [70000, 1]


# ---------------------------------------------------------------- 5. disk full


def test_disk_full_is_one_line_and_leaves_no_partial_output(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    s = tmp_path / "S"
    s.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(s)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        p = subprocess.run([sys.executable, "-m", "gkcorpus", "mine", "-o", str(s / "out")],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
        assert p.returncode == 1, p.stderr
        line = one_line_error(p.stderr)
        assert line.startswith(f"gkcorpus: error: {s}/") and line.endswith(": cannot write (No space left on device)")
        left = files_under(s)
        assert all(f.startswith("out/.gkcorpus-cache/tokens/") and f.endswith(".tok") for f in left), left
        assert not [p for p in s.iterdir() if p.name != "out"]  # the run's own folder is gone
    finally:
        subprocess.run(["umount", str(s)], check=True)


# ---------------------------------------------------------------- 6. lone surrogates


@pytest.mark.parametrize("command", ["info", "clean", "mine"])
def test_lone_surrogate_in_jsonl_is_refused_at_load(capsys, tmp_path, command):
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "a", "text": "政务公开"}\n{"id": "b", "text": "公开\\ud800工作"}\n', encoding="utf-8")
    args = [command, p] + (["-o", tmp_path / "out"] if command != "info" else [])
    code, _, err = cli(capsys, *args)
    assert code == 1
    assert one_line_error(err) == (f"gkcorpus: error: {p}:2: field 'text' has a lone surrogate U+D800 at character 2 "
                                   "(not valid Unicode)")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---------------------------------------------------------------- 7. FIFOs


def test_fifo_is_refused_not_read(tmp_path):
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    p = subprocess.run([sys.executable, "-m", "gkcorpus", "info", "p.txt"], capture_output=True, text=True,
                       env=env, cwd=tmp_path, timeout=60)
    assert p.returncode == 1
    assert one_line_error(p.stderr) == "gkcorpus: error: p.txt: not a regular file (named pipe (FIFO)); only regular files are read"


# ---------------------------------------------------------------- 8. long ids


def test_long_id_gets_a_short_file_name_recorded_in_the_report(capsys, tmp_path):
    long_id = "https://www.gov.cn/zhengce/content/" + "政务公开" * 40 + "/index.html"
    assert len(long_id.encode()) > 255
    src = write_jsonl(tmp_path / "l.jsonl", [{"id": long_id, "text": TWO[0]}, {"id": "short", "text": TWO[1]}])
    out = tmp_path / "out"
    code, _, err = cli(capsys, "mine", src, "-o", out, "--no-plots")
    assert code == 0, err
    report = {r["id"]: r["file"] for r in json.loads((out / "clean" / "cleaning_report.json").read_text(encoding="utf-8"))}
    name = report[long_id]
    assert len(name.encode()) <= 124 and name.startswith("https_www.gov.cn_zhengce_content_政务公开")
    assert name[-17:-4].startswith("~") and report["short"] == "short.txt"
    assert (out / "clean" / name).read_text(encoding="utf-8") == TWO[0] + "\n"
    code, _, err = cli(capsys, "clean", src, "-o", tmp_path / "c")
    assert code == 0 and (tmp_path / "c" / name).exists()


def test_safe_file_stem_is_stable_and_bounded():
    from gkcorpus.base.export import safe_file_stem

    assert safe_file_stem("summary-01") == "summary-01"
    assert safe_file_stem("a/b c") == "a_b_c"
    a, b = safe_file_stem("x" * 300 + "1"), safe_file_stem("x" * 300 + "2")
    assert a != b and len(a) == 120 and a == safe_file_stem("x" * 300 + "1")


# ---------------------------------------------------------------- 9. the output folder is one run


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two renames"])
def test_failed_rerun_leaves_the_previous_run_whole(tmp_path, monkeypatch, exchange):
    from gkcorpus import load
    from gkcorpus.app.pipeline import mine
    from gkcorpus.templates.frames import FrameMiner

    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text(TWO[0], encoding="utf-8")
    (first / "b.txt").write_text(TWO[1], encoding="utf-8")
    if not exchange:
        import gkcorpus.base.rundir

        monkeypatch.setattr(gkcorpus.base.rundir, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    mine(load(first), out, plots=False, formats=("json", "csv"))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)

    real_fit = FrameMiner.fit

    def boom(self, corpus, *args, **kwargs):
        raise RuntimeError("templates failed")

    monkeypatch.setattr(FrameMiner, "fit", boom)
    second = tmp_path / "second"
    second.mkdir()
    (second / "c.txt").write_text(TWO[1] + "加强组织领导。", encoding="utf-8")
    with pytest.raises(RuntimeError, match="templates failed"):
        mine(load(second), out, plots=False, formats=("json", "csv"))
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first", "out", "second"]  # no run folder left
    monkeypatch.setattr(FrameMiner, "fit", real_fit)
    res = mine(load(second), out, plots=False, formats=("json", "csv"))
    assert sorted(p.name for p in (out / "clean").iterdir()) == ["c.txt", "cleaning_report.json"]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"] == 1
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # foreign files are kept
    assert set(res.relative_files()) == files_under(out) - {"notes.txt"}


def test_stale_temporaries_of_killed_runs_are_removed_and_cache_kept(capsys, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(TWO[0], encoding="utf-8")
    (src / "b.txt").write_text(TWO[1], encoding="utf-8")
    out = tmp_path / "out"
    assert cli(capsys, "mine", src, "-o", out, "--no-plots")[0] == 0
    (out / ".report.html.x1y2.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".out.abcd1234.gkrun" / "clean").mkdir(parents=True)
    (tmp_path / ".out.abcd1234.gkrun" / "clean" / "a.txt").write_text("half", encoding="utf-8")
    (tmp_path / ".out.abcd1234.gkrun" / "notes.txt").write_text("kept", encoding="utf-8")  # killed before carry-over
    code, out_text, err = cli(capsys, "mine", src, "-o", out, "--no-plots")
    assert code == 0, err
    assert "segmentation cache: 2 documents read, 0 segmented" in out_text
    assert not list(out.rglob("*.tmp"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "kept"
    assert (out / "clean" / "a.txt").read_text(encoding="utf-8") == TWO[0] + "\n"


# ---------------------------------------------------------------- 10. damaged saved corpora


def _saved(tmp_path: Path) -> tuple[bytes, dict]:
    from gkcorpus import load

    c = load([write_jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": TWO[0]}, {"id": "b", "text": TWO[1]}])])
    c.save(tmp_path / "c.gkc")
    data = (tmp_path / "c.gkc").read_bytes()
    return data, json.loads(gzip.decompress(data))


def _mutated(payload: dict, **change) -> bytes:
    p = json.loads(json.dumps(payload))
    for k, v in change.items():
        if k == "doc0":
            p["documents"][0].update(v)
        elif v is None:
            p.pop(k)
        else:
            p[k] = v
    return gzip.compress(json.dumps(p).encode())


@pytest.mark.parametrize("case, message", [
    ("truncated", "not a saved gkcorpus corpus (truncated)"),
    ("version 999", "saved corpus format version 999; this gkcorpus reads version 1"),
    ("no documents", "damaged saved corpus (missing field 'documents')"),
    ("documents a number", "damaged saved corpus (TypeError: 'int' object is not iterable)"),
    ("document null", "damaged saved corpus (TypeError: 'NoneType' object is not subscriptable)"),
    ("offsets a string", "damaged saved corpus (TypeError: string indices must be integers, not 'str')"),
    ("not an object", "not a saved gkcorpus corpus"),
    ("not gzip", "not a saved gkcorpus corpus (Not a gzipped file (b'PK'))"),
])
def test_damaged_saved_corpus_is_one_load_error(tmp_path, case, message):
    from gkcorpus.corpus import Corpus

    data, payload = _saved(tmp_path)
    bad = {
        "truncated": data[: len(data) // 2],
        "version 999": _mutated(payload, version=999),
        "no documents": _mutated(payload, documents=None),
        "documents a number": _mutated(payload, documents=5),
        "document null": _mutated(payload, documents=[None]),
        "offsets a string": _mutated(payload, doc0={"offsets": "x"}),
        "not an object": gzip.compress(b"[1, 2]"),
        "not gzip": b"PK\x03\x04" + bytes(40),
    }[case]
    p = tmp_path / "bad.gkc"
    p.write_bytes(bad)
    with pytest.raises(LoadError) as e:
        Corpus.load(p)
    assert str(e.value) == f"{p}: {message}"


# ---------------------------------------------------------------- 11. silent skips, misleading messages


def test_unreadable_subfolder_is_an_error_unless_skip_bad(capsys, tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(TWO[0], encoding="utf-8")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "b.txt").write_text(TWO[1], encoding="utf-8")
    if os.geteuid() == 0:  # root reads anything: the kernel's answer to an unprivileged user, given here
        real = os.scandir

        def scandir(path="."):
            if Path(path) == secret:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        secret.chmod(0o000)
    try:
        code, _, err = cli(capsys, "info", tmp_path)
        assert code == 1
        assert one_line_error(err) == f"gkcorpus: error: {secret}: cannot read this folder: Permission denied"
        code, out, err = cli(capsys, "info", tmp_path, "--skip-bad")
        assert code == 0 and out.splitlines()[0] == "documents: 1"
        assert f"  skipped {secret}: cannot read this folder: Permission denied" in err.splitlines()
    finally:
        secret.chmod(0o755)


def test_link_loop_and_broken_link_are_named(capsys, tmp_path):
    os.symlink(tmp_path / "loop2", tmp_path / "loop1")
    os.symlink(tmp_path / "loop1", tmp_path / "loop2")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    code, _, err = cli(capsys, "info", tmp_path / "loop1")
    assert code == 1
    assert one_line_error(err) == f"gkcorpus: error: {tmp_path / 'loop1'}: symbolic link loop (too many levels of symbolic links)"
    code, _, err = cli(capsys, "info", tmp_path / "broken.txt")
    assert code == 1
    assert one_line_error(err) == f"gkcorpus: error: {tmp_path / 'broken.txt'}: broken symbolic link (its target does not exist)"
    code, _, err = cli(capsys, "info", tmp_path / "missing.txt")
    assert one_line_error(err) == f"gkcorpus: error: {tmp_path / 'missing.txt'}: no such file or directory"


def test_cache_dir_that_is_a_file_is_an_error(capsys, tmp_path):
    f = tmp_path / "cachefile"
    f.write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TWO[0], encoding="utf-8")
    code, _, err = cli(capsys, "mine", tmp_path / "a.txt", "-o", tmp_path / "out", "--cache-dir", f)
    assert code == 1
    assert one_line_error(err) == f"gkcorpus: error: {f}: cache directory exists and is a file, not a directory"
    assert f.read_text(encoding="utf-8") == "x"


def test_cache_entry_altered_on_disk_is_a_miss(tmp_path):
    import numpy as np

    from gkcorpus.runtime.cache import TokenCache
    from gkcorpus.text.tokenize import Tokenizer

    tok = Tokenizer()
    text = "全面推进政务公开工作。"
    store = TokenCache(tmp_path)
    lengths = np.array([2, 2, 4, 2, 1], dtype=np.uint8)
    path = store.put_lengths(text, tok, lengths)
    assert list(store.get_lengths(text, tok)) == [2, 2, 4, 2, 1]
    data = bytearray(path.read_bytes())
    data[-5:-3] = bytes([3, 1])  # same sum, other boundaries
    path.write_bytes(bytes(data))
    assert store.get_lengths(text, tok) is None
    assert store.stats.errors == 1 and store.stats.hits == 1
    assert list(store.lengths(text, tok)) == [len(t) for t in tok.cut(text)]  # recomputed and rewritten


@pytest.mark.parametrize("record, message", [
    ({"id": "a", "text": "政务\u0000公开"}, "field 'text' has a NUL character at character 2"),
    ({"id": "a\nb", "text": "政务公开"}, "document id 'a\\nb' contains U+000A at character 1 (control, bidirectional "
                                       "or surrogate characters are not allowed in ids)"),
    ({"id": "ab\u202ecd", "text": "政务公开"}, "document id 'ab\\u202ecd' contains U+202E at character 2 (control, "
                                             "bidirectional or surrogate characters are not allowed in ids)"),
    ({"id": {"x": 1}, "text": "政务公开"}, "field 'id' is dict, not text or a number"),
    ({"id": [1], "text": "政务公开"}, "field 'id' is list, not text or a number"),
    ({"id": True, "text": "政务公开"}, "field 'id' is bool, not text or a number"),
])
def test_records_that_would_break_outputs_are_refused(capsys, tmp_path, record, message):
    p = write_jsonl(tmp_path / "r.jsonl", [{"id": "ok", "text": "政务公开工作"}, record])
    code, _, err = cli(capsys, "info", p)
    assert code == 1
    assert one_line_error(err) == f"gkcorpus: error: {p}:2: {message}"
    code, out, err = cli(capsys, "info", p, "--skip-bad")
    assert code == 0 and out.splitlines()[0] == "documents: 1"


def test_numeric_ids_and_odd_titles_are_written_plainly(capsys, tmp_path):
    p = write_jsonl(tmp_path / "r.jsonl", [{"id": 7, "title": "标题\n第二行", "text": "政务公开工作"},
                                           {"id": 2.5, "text": "信息公开工作"}])
    code, out, err = cli(capsys, "info", p, "--json")
    assert code == 0, err
    rows = [json.loads(l) for l in out.splitlines()]
    assert [(r["id"], r["title"]) for r in rows] == [("7", "标题 第二行"), ("2.5", "2.5")]


def test_file_name_with_a_newline_is_refused_by_name(capsys, tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "ok.txt").write_text("政务公开工作", encoding="utf-8")
    (d / "a\nb.txt").write_text("信息公开工作", encoding="utf-8")
    code, _, err = cli(capsys, "info", d)
    assert code == 1
    assert one_line_error(err) == (f"gkcorpus: error: {d / 'a'}\\nb.txt: document id 'a\\nb' contains U+000A at character 1 "
                                   "(control, bidirectional or surrogate characters are not allowed in ids)")


def test_output_folder_that_is_the_working_folder_is_written_in_place(capsys, tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(TWO[0], encoding="utf-8")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    code, _, err = cli(capsys, "mine", src, "-o", ".", "--no-plots")
    assert code == 0, err
    assert Path.cwd() == here and (here / "clean" / "a.txt").read_text(encoding="utf-8") == TWO[0] + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "src"]

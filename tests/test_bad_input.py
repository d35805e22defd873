"""The bad-input matrix: every case gets one clear line naming the file (and line), or is handled.

Each case is driven through the command line (``gkcorpus info``; output cases through
``gkcorpus clean -o``) and through the Python API (``gkcorpus.load``). ``--skip-bad`` lets a
batch go on past the bad files and lists exactly what it skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from gkcorpus import LoadError, load
from gkcorpus.cli import main

GOOD = "一、主要做法\n我局高度重视政务公开工作，现将有关情况总结如下。\n"
GOOD_TW = "一、主要做法\n我局高度重視政務公開工作，現將有關情況總結如下。\n"


def _gbk_with_bad_bytes() -> bytes:
    good = (GOOD * 2).encode("gbk")
    return good + b"\x81\xff\xfe broken\n" + good


# name -> (file name, bytes, expected error fragment)
ERRORS = {
    "empty file": ("e.txt", b"", "e.txt: empty file"),
    "only whitespace": ("w.txt", b" \n\t\r\n  ", "w.txt: file has only whitespace"),
    "PNG": ("img.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "img.txt: binary file (PNG image), not text"),
    "zip": ("z.txt", b"PK\x03\x04" + bytes(300), "z.txt: binary file (zip archive), not text"),
    "undecodable GBK": ("g.txt", _gbk_with_bad_bytes(), "g.txt:5: undecodable bytes 81 ff at byte"),
    "malformed JSONL line": ("m.jsonl", b'{"id": "a", "text": "\xe4\xb8\x80"}\n{"id": "b", "text": \n{"id": "c", "text": "c"}\n',
                             "m.jsonl:2: malformed JSON"),
    "JSONL unterminated string": ("u.jsonl", b'{"id": "a", "text": "abc\n',
                                  "u.jsonl:1: malformed JSON (Unterminated string starting at column 21)"),
    "JSONL without text": ("t.jsonl", b'{"id": "a", "text": "x"}\n{"id": "b", "body": "y"}\n', "t.jsonl:2: no 'text' field"),
    "CSV unclosed quote": ("q.csv", 'id,text\na,好\nb,"没有结束\nc,也好\n'.encode(), "q.csv:3: malformed CSV"),
    "CSV without text column": ("c.csv", "id,body\na,正文\n".encode(), "c.csv:1: no 'text' column (columns: id, body)"),
}


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_bad_file_is_one_line_error(capsys, tmp_path, case):
    name, data, expected = ERRORS[case]
    p = tmp_path / name
    p.write_bytes(data)
    code, out, err = cli(capsys, "info", p)
    assert code == 1
    assert err.startswith(f"gkcorpus: error: {tmp_path}/") and expected in err
    assert err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(LoadError) as e:
        load(p)
    assert expected in str(e.value)


def test_missing_path_and_directory_without_texts(capsys, tmp_path):
    code, _, err = cli(capsys, "info", tmp_path / "nope")
    assert (code, err) == (1, f"gkcorpus: error: {tmp_path / 'nope'}: no such file or directory\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.md").write_text("不是txt", encoding="utf-8")
    code, _, err = cli(capsys, "info", tmp_path / "d")
    assert (code, err) == (1, f"gkcorpus: error: {tmp_path / 'd'}: no files matching '*.txt' in this directory\n")


def test_skip_bad_batch_reports_exactly_what_it_skipped(capsys, tmp_path):
    for name, data, _ in ERRORS.values():
        if name.endswith(".txt"):
            (tmp_path / name).write_bytes(data)
    (tmp_path / "ok1.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ok2.txt").write_bytes(GOOD_TW.encode("big5"))
    code, _, err = cli(capsys, "info", tmp_path)
    assert code == 1 and err.count("\n") == 1
    code, out, err = cli(capsys, "info", tmp_path, "--skip-bad", "--json")
    assert code == 0
    assert [json.loads(l)["id"] for l in out.splitlines()] == ["ok1", "ok2"]
    skipped = sorted(l.strip() for l in err.splitlines()[1:])
    assert err.splitlines()[0] == "gkcorpus: skipped 5 input(s):"
    assert [s.split(": ", 1)[0].replace(f"skipped {tmp_path}/", "") for s in skipped] == [
        "e.txt", "g.txt:5", "img.txt", "w.txt", "z.txt"]


def test_skip_bad_inside_jsonl_and_csv(capsys, tmp_path):
    j = tmp_path / "m.jsonl"
    j.write_bytes(ERRORS["malformed JSONL line"][1])
    code, out, err = cli(capsys, "info", j, "--skip-bad", "--json")
    assert code == 0
    assert [json.loads(l)["id"] for l in out.splitlines()] == ["a", "c"]
    assert f"skipped {j}:2: malformed JSON" in err


@pytest.mark.parametrize(
    "name, data, encoding, text",
    [
        ("u16bom.txt", GOOD.encode("utf-16"), "utf-16", GOOD.strip()),
        ("u16.txt", GOOD.encode("utf-16-le"), "utf-16-le", GOOD.strip()),
        ("big5.txt", GOOD_TW.encode("big5"), "big5", GOOD.strip()),
        ("gbk.txt", GOOD.encode("gbk"), "gbk", GOOD.strip()),
        ("sig.txt", b"\xef\xbb\xbf" + GOOD.encode(), "utf-8-sig", GOOD.strip()),
    ],
)
def test_encodings_are_handled(capsys, tmp_path, name, data, encoding, text):
    p = tmp_path / name
    p.write_bytes(data)
    code, out, _ = cli(capsys, "info", p, "--json")
    rec = json.loads(out)
    assert (code, rec["encoding"]) == (0, encoding)
    assert rec["headings"] == [{"level": 1, "marker": "一、", "text": "主要做法"}]
    assert load(p)[0].text == text


def test_all_punctuation_and_all_english_documents_are_handled(capsys, tmp_path):
    (tmp_path / "punct.txt").write_text("，。！？……——《》“”\n!!!???...", encoding="utf-8")
    (tmp_path / "english.txt").write_text("This report covers openness work in 2019. It has no Chinese at all.", encoding="utf-8")
    code, out, _ = cli(capsys, "info", tmp_path, "--json")
    recs = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert code == 0
    assert recs["english"]["chars"] == 67 and recs["english"]["sentences"] == 1
    assert recs["punct"]["headings"] == [] and recs["punct"]["chars"] > 0
    c = load(tmp_path)
    assert c["english"].text == "This report covers openness work in 2019. It has no Chinese at all."
    assert c.frequencies().query("term == 'report'")["tf"].tolist() == [1]


def test_duplicate_ids(capsys, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b" / "x.txt").write_text(GOOD_TW, encoding="utf-8")
    code, _, err = cli(capsys, "info", tmp_path / "a", tmp_path / "b")
    assert code == 1 and f"{tmp_path / 'b' / 'x.txt'}: duplicate document id 'x'" in err
    code, out, _ = cli(capsys, "info", tmp_path / "a", tmp_path / "b", "--rename-duplicates", "--json")
    assert code == 0 and [json.loads(l)["id"] for l in out.splitlines()] == ["x", "x~2"]


def test_output_path_that_is_a_file_keeps_the_file(capsys, tmp_path):
    f = tmp_path / "out"
    f.write_text("earlier results", encoding="utf-8")
    code, _, err = cli(capsys, "clean", "-o", f)
    assert code == 1 and err == f"gkcorpus: error: {f}: output path exists and is a file, not a directory\n"
    assert f.read_text(encoding="utf-8") == "earlier results"


@contextlib.contextmanager
def read_only_dir(path: Path):
    """A directory nobody can write to: chmod for a normal user, a read-only tmpfs for root."""
    path.mkdir()
    (path / "earlier.txt").write_text("kept", encoding="utf-8") if os.geteuid() != 0 else None
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot make a read-only directory as root here: {r.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_read_only_output_directory(capsys, tmp_path):
    with read_only_dir(tmp_path / "ro") as ro:
        code, _, err = cli(capsys, "clean", "-o", ro)
        assert code == 1
        assert err == f"gkcorpus: error: {ro}: output directory is not writable\n"
        code, _, err = cli(capsys, "clean", "-o", ro / "sub")
        assert code == 1 and err.startswith(f"gkcorpus: error: {ro / 'sub'}: cannot create output directory")


def test_rerun_into_existing_output_replaces_files_whole(capsys, tmp_path):
    out = tmp_path / "out"
    assert cli(capsys, "clean", "-o", out)[0] == 0
    before = (out / "summary-01.txt").read_bytes()
    assert cli(capsys, "clean", "-o", out)[0] == 0
    assert (out / "summary-01.txt").read_bytes() == before
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_fifty_megabyte_single_line_file(capsys, tmp_path):
    line = "在政务公开日活动中，我局高度重视，精心组织，共接访群众300余人，发放宣传资料1000余份。"
    p = tmp_path / "big.txt"
    n = 50 * 1024 * 1024 // len(line.encode())
    p.write_text(line * n, encoding="utf-8")
    assert p.stat().st_size > 50_000_000
    code, out, _ = cli(capsys, "info", p, "--json")
    rec = json.loads(out)
    assert code == 0
    assert rec["chars"] == len(line) * n
    assert rec["paragraphs"] == 1 and rec["sentences"] == n


COMMANDS = [
    ["info"], ["clean", "-o", "{out}"], ["kwic", "高度重视"], ["cluster", "-o", "{out}"], ["phrases", "-o", "{out}"],
    ["reuse", "-o", "{out}"], ["keyness", "--reference", "{ref}", "-o", "{out}"], ["templates", "mine", "-o", "{out}"],
    ["mine", "-o", "{out}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]).replace(" -o", ""))
@pytest.mark.parametrize("case", ["missing", "empty", "PNG", "malformed JSONL line"])
def test_every_command_reports_bad_input_in_one_line(capsys, tmp_path, command, case):
    ref = tmp_path / "ref.txt"
    ref.write_text(GOOD, encoding="utf-8")
    if case == "missing":
        bad, expected = tmp_path / "nope.txt", "no such file or directory"
    else:
        name, data, expected = {"empty": ERRORS["empty file"], "PNG": ERRORS["PNG"],
                                "malformed JSONL line": ERRORS["malformed JSONL line"]}[case]
        bad = tmp_path / name
        bad.write_bytes(data)
    out = tmp_path / "out"
    argv = [a.format(out=out, ref=ref) for a in command]
    code, _, err = cli(capsys, *argv[:2], bad, *argv[2:]) if command[0] in ("kwic", "templates") else cli(capsys, argv[0], bad, *argv[1:])
    assert code == 1
    assert err.startswith(f"gkcorpus: error: {bad}") and expected in err and err.count("\n") == 1
    assert not out.exists() or not any(out.iterdir())

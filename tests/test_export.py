"""Exports: JSON and CSV written item by item give the bytes of the whole-text definitions; atomic."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

from gkcorpus.base.export import _cell, _default, safe_cell, write_csv, write_json, write_json_items

RECORDS = [
    {"id": "p1", "text": "第一行\n第二行 \"引号\"", "n": 3, "x": 0.1, "docs": ["a", "b"],
     "nested": {"k": [1, {"z": None}], "e": []}, "empty": {}},
    {"id": "p2", "text": "", "n": -1, "x": float("nan"), "docs": [], "nested": {}, "empty": {}},
]
FRAME = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, float("nan"), 2.0], "c": ["甲,乙", None, "丙\n丁"],
                      "d": [{"k": 1}, ["x"], None], "e": [True, False, True]})
# every kind of column write_csv converts a column at a time, against to_dict("records") row by row
TYPED = pd.DataFrame({
    "text": ["=1+1", "+x", "政务", None], "obj": [np.int64(5), np.float32(0.1), ["甲", None], pd.NA],
    "mixed": [1, 2.5, True, "@a"], "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
    "when": pd.to_datetime(["2018-03-05", None, "2019-01-01", "2020-02-29"]),
    "cat": pd.Categorical(["a", "b", "a", None]), "flag": [True, False, True, False],
    "u8": np.array([0, 255, 7, 1], dtype=np.uint8), "f32": np.array([0.1, 1e-7, -0.0, np.nan], dtype=np.float32),
})


def _json_reference(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n").encode("utf-8")


def _csv_reference(rows, columns=None) -> bytes:
    """The whole table built as one string: what write_csv wrote before it streamed."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        columns = list(columns or rows.columns)
        rows = rows.to_dict(orient="records")
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(c) for c in columns])
    for r in rows:
        w.writerow([safe_cell(_cell(r.get(c))) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@pytest.mark.parametrize("name,data", [("two", RECORDS), ("one", RECORDS[:1]), ("none", []),
                                       ("scalars", [1, "二", None]), ("dict", {"k": RECORDS})])
def test_json_streamed_same_bytes(tmp_path, name, data):
    assert write_json(tmp_path / "a.json", data).read_bytes() == _json_reference(data)
    if isinstance(data, list):
        b = write_json_items(tmp_path / "b.json", iter(data))  # a generator, not a list
        assert b.read_bytes() == _json_reference(data)
        assert json.loads(b.read_text(encoding="utf-8")) == json.loads(_json_reference(data))
    if name == "none":
        assert (tmp_path / "a.json").read_bytes() == b"[]\n"


@pytest.mark.parametrize("name,rows,cols,chunk", [
    ("frame", FRAME, None, 2), ("frame_cols", FRAME, ["c", "a"], 1), ("typed", TYPED, None, 3),
    ("typed_cols", TYPED, ["when", "missing", "obj"], 2),
    ("repeated_name", pd.DataFrame([[1, "a"], [2, "b"]], columns=["x", "x"]), None, 5), ("rows", RECORDS, None, 1),
    ("rows_gen", iter(RECORDS), None, 1), ("rows_cols", RECORDS, ["text", "docs", "missing"], 5),
    ("empty", [], None, 2), ("empty_frame", FRAME.iloc[:0], None, 2)])
def test_csv_streamed_same_bytes(tmp_path, name, rows, cols, chunk):
    ref = _csv_reference(list(rows) if name == "rows_gen" else rows, cols)
    if name == "rows_gen":
        rows = iter(RECORDS)
    assert write_csv(tmp_path / f"{name}.csv", rows, cols, chunk=chunk).read_bytes() == ref


def test_csv_cells():
    out = _csv_reference(FRAME).decode("utf-8").splitlines()
    assert out[:2] == ["\ufeffa,b,c,d,e", '1,0.5,"甲,乙","{""k"": 1}",True']


def test_a_failing_stream_keeps_the_previous_file(tmp_path):
    path = write_json(tmp_path / "out.json", ["old"])

    def items():
        yield {"id": 1}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_json_items(path, items())
    assert path.read_bytes() == b'[\n  "old"\n]\n'
    with pytest.raises(RuntimeError, match="boom"):
        write_csv(tmp_path / "out.json", items())
    assert path.read_bytes() == b'[\n  "old"\n]\n'
    assert not list(tmp_path.glob(".*.tmp"))


def _random_value(rng, depth: int = 0):
    import numpy as np
    from pathlib import Path

    kinds = ["str", "int", "float", "none", "bool", "np"] + (["list", "tuple", "dict", "set", "path"] if depth < 4 else [])
    k = kinds[rng.randrange(len(kinds))]
    if k == "str":
        return "".join(rng.choice(["甲", "a", '"', "\\", "\n", "\t", "\x01", "\u2028", " ", "é", "𠀀"]) for _ in range(rng.randrange(6)))
    if k == "int":
        return rng.choice([0, -1, 7, 2**70, -(2**40)])
    if k == "float":
        return rng.choice([0.1, -0.0, 1e300, 1.5e-7, float("nan"), float("inf"), float("-inf"), 3.0])
    if k == "none":
        return None
    if k == "bool":
        return rng.random() < 0.5
    if k == "np":
        return rng.choice([np.int64(5), np.float64(0.25), np.array([1, 2]), np.float32(0.5)])
    if k == "path":
        return Path("a/甲.txt")
    n = rng.randrange(4)
    if k in ("list", "tuple"):
        v = [_random_value(rng, depth + 1) for _ in range(n)]
        return v if k == "list" else tuple(v)
    if k == "set":
        return {rng.randrange(100) for _ in range(n)}
    keys = ["a", "甲", 1, 2.5, True, None, "x\ny"]
    return {keys[rng.randrange(len(keys))]: _random_value(rng, depth + 1) for _ in range(n)}


def test_indented_encoder_equals_json_dumps_on_random_values(tmp_path):
    import random

    rng = random.Random(7)
    items = [_random_value(rng) for _ in range(400)]
    path = write_json_items(tmp_path / "r.json", iter(items))
    assert path.read_bytes() == _json_reference(items)
    for item in items[:50]:
        assert write_json(tmp_path / "one.json", item).read_bytes() == _json_reference(item)


XLSX_SHEETS = {
    "mixed": pd.DataFrame({
        "text": ["政务 公开", " 前导", "尾随 ", "   ", "", None, "a&b<c>d", "#N/A", "=1+1", "第一行\n第二行"],
        "int": [0, -1, 7, 2**40, 12345678901234567, 3, 4, 5, 6, 1954],
        "float": [0.1, -0.0, 1e300, 1.5e-7, float("nan"), float("inf"), float("-inf"), 3.0, 2.5e16, 1 / 3],
        "bool": [True, False] * 5,
        "obj": [1, 2.5, "x", None, ["甲", 1], {"k": None}, (1, 2), True, float("nan"), "#DIV/0!"],
    }),
    "years": pd.DataFrame({"formula_id": ["f1", "f2"], 1954: [0.5, 0.0], 1955: [1.25, float("nan")]}),
    "empty": pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Series([], dtype=object)}),
    "records": [{"id": "p1", "n": 3, "docs": ["a", "b"]}, {"id": "p2", "n": None, "docs": []}],
    "dates": pd.DataFrame({"when": pd.to_datetime(["2018-03-05", "2019-03-05"]), "n": [1, 2]}),
}


def test_xlsx_body_rows_give_the_bytes_of_writing_every_cell_with_pandas(tmp_path, monkeypatch):
    import gkcorpus.base.xlsx_rows as xr
    from gkcorpus.base.export import write_xlsx

    pytest.importorskip("openpyxl")
    body_rows, built = xr.body_rows, []
    monkeypatch.setattr(xr, "body_rows", lambda df: built.append(body_rows(df) is not None) or body_rows(df))
    fast = write_xlsx(tmp_path / "fast.xlsx", XLSX_SHEETS).read_bytes()
    assert built == [True, True, True, True, False]  # every sheet but the one with dates took the fast path
    monkeypatch.setattr(xr, "body_rows", lambda df: None)
    slow = write_xlsx(tmp_path / "slow.xlsx", XLSX_SHEETS).read_bytes()
    assert fast == slow
    monkeypatch.undo()
    import gkcorpus.base.export as ex

    def other_layout(sheet, body):
        raise ex._LayoutError("another openpyxl")

    monkeypatch.setattr(ex, "_splice_rows", other_layout)  # a layout the splice does not know: pandas writes all
    assert write_xlsx(tmp_path / "other.xlsx", XLSX_SHEETS).read_bytes() == slow
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx")["mixed"]
    assert [c.value for c in ws["A"]][:4] == ["text", "政务 公开", " 前导", "尾随 "]
    assert ws.max_row == 11 and ws["C7"].value == "inf" and ws["A9"].data_type == "e"
    assert [c.column_letter for c in ws[1]] == ["A", "B", "C", "D", "E"]


def test_column_letters():
    from gkcorpus.base.xlsx_rows import column_letter

    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def _record_fsyncs(monkeypatch) -> list[tuple[str, str]]:
    """Every fsync as (file name, thread name); the file is flushed for real."""
    import os
    import threading

    calls: list[tuple[str, str]] = []
    real = os.fsync

    def fsync(fd):
        calls.append((os.path.basename(os.readlink(f"/proc/self/fd/{fd}")), threading.current_thread().name))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="needs /proc")
def test_deferred_sync_flushes_every_file_on_its_thread_before_the_block_ends(tmp_path, monkeypatch):
    from gkcorpus.base.export import atomic_write_text, deferred_sync

    calls = _record_fsyncs(monkeypatch)
    write_json(tmp_path / "before.json", {"a": 1})
    assert calls == [(calls[0][0], "MainThread")] and calls[0][0].startswith(".before.json.")  # the temporary file
    calls.clear()
    with deferred_sync():
        write_json(tmp_path / "a.json", {"甲": 1})
        write_csv(tmp_path / "b.csv", [{"x": 1}])
        atomic_write_text(tmp_path / "c.txt", "乙\n")
        assert (tmp_path / "a.json").read_text(encoding="utf-8") == '{\n  "甲": 1\n}\n'  # in place at once
    assert sorted(calls) == [("a.json", "gkcorpus-fsync_0"), ("b.csv", "gkcorpus-fsync_0"),
                             ("c.txt", "gkcorpus-fsync_0")]
    assert (tmp_path / "b.csv").read_text(encoding="utf-8-sig") == "x\n1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.csv", "before.json", "c.txt"]


def test_deferred_sync_names_the_file_it_could_not_flush(tmp_path, monkeypatch):
    import errno
    import os

    from gkcorpus.base.export import ExportError, deferred_sync

    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(ExportError, match=r"a\.json: cannot write \(Input/output error\)$"):
        with deferred_sync():
            write_json(tmp_path / "a.json", [1])
    with pytest.raises(ExportError, match=r"b\.json: cannot write \(Input/output error\)$"):
        write_json(tmp_path / "b.json", [1])  # outside the block: at once, and the previous file stays
    assert not (tmp_path / "b.json").exists()


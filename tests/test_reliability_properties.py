"""Property tests: whatever a small corpus holds, ``load`` and ``mine`` give a result or a ``LoadError``.

Random Unicode, random bytes in every supported encoding, and random JSON Lines and CSV records
are written to a temporary folder and loaded; what loads is mined (no plots, JSON and CSV only,
to keep each example to a few seconds). Any exception other than :class:`LoadError` fails.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from gkcorpus import LoadError, load
from gkcorpus.pipeline import mine

ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32")

# Text that looks like the corpus some of the time: Chinese, punctuation, digits, headings, anything.
CHINESE = st.text(alphabet=st.sampled_from(list("政务公开工作全面推进进一步提高政府透明度加强组织领导一二三、。，；：“”（）\n 0123456789")),
                  min_size=0, max_size=120)
ANY = st.text(min_size=0, max_size=80)
TEXT = st.one_of(CHINESE, ANY, st.builds(lambda a, b: a + b, CHINESE, ANY))

JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False), TEXT)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=6)
RECORD = st.one_of(
    st.fixed_dictionaries({"id": JSON_VALUE, "text": TEXT}, optional={"title": JSON_VALUE, "year": JSON_VALUE}),
    st.fixed_dictionaries({"text": JSON_VALUE}),
    st.dictionaries(st.text(max_size=6), JSON_VALUE, max_size=4),
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Each example mines: no shrinking (minutes per failure); the failing example is printed as found.
SLOW = settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _load_or_error(paths: list[Path]):
    try:
        return load(paths)
    except LoadError as e:
        assert "\n" not in str(e)
        return None


def _mine_ok(corpus) -> None:
    out = Path(tempfile.mkdtemp(prefix="gkprop-"))
    try:
        res = mine(corpus, out / "out", plots=False, formats=("json", "csv"), top_phrases=50)
        manifest = json.loads((out / "out" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["documents"] == len(corpus)
        assert set(res.relative_files()) == {p.relative_to(out / "out").as_posix()
                                             for p in (out / "out").rglob("*") if p.is_file()}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _folder(files: dict[str, bytes]) -> Path:
    d = Path(tempfile.mkdtemp(prefix="gkprop-in-"))
    for name, data in files.items():
        (d / name).write_bytes(data)
    return d


def _encoded(texts: list[str], encs: list[str]) -> dict[str, bytes]:
    return {f"d{i}.txt": t.encode(e, errors="replace") for i, (t, e) in enumerate(zip(texts, encs))}


@FAST
@given(texts=st.lists(TEXT, min_size=1, max_size=4), encs=st.lists(st.sampled_from(ENCODINGS), min_size=4, max_size=4))
def test_text_files_in_any_encoding_load_or_raise_load_error(texts, encs):
    d = _folder(_encoded(texts, encs))
    try:
        corpus = _load_or_error([d])
        if corpus is not None:
            assert len(corpus) <= len(texts)
    finally:
        shutil.rmtree(d)


@FAST
@given(blobs=st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_random_bytes_load_or_raise_load_error(blobs):
    d = _folder({f"b{i}.txt": b for i, b in enumerate(blobs)})
    try:
        _load_or_error([d])
        for f in sorted(d.iterdir()):
            _load_or_error([f])
    finally:
        shutil.rmtree(d)


def _jsonl(records: list, junk: list[str]) -> bytes:
    lines = [json.dumps(r, ensure_ascii=bool(i % 2)) for i, r in enumerate(records)] + junk
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")


def _csv(rows: list[list[str]], header: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8", errors="surrogatepass")


@FAST
@given(records=st.lists(RECORD, min_size=0, max_size=5), junk=st.lists(st.text(max_size=20), max_size=2))
@example(records=[{"\n": None}], junk=[])  # a field name with a newline, quoted in the error
def test_random_jsonl_records_load_or_raise_load_error(records, junk):
    d = _folder({"r.jsonl": _jsonl(records, junk)})
    try:
        _load_or_error([d / "r.jsonl"])
    finally:
        shutil.rmtree(d)


@FAST
@given(header=st.lists(st.sampled_from(["id", "text", "title", "year", "x"]), min_size=1, max_size=4),
       rows=st.lists(st.lists(TEXT, min_size=0, max_size=5), max_size=5))
def test_random_csv_rows_load_or_raise_load_error(header, rows):
    d = _folder({"r.csv": _csv(rows, header)})
    try:
        _load_or_error([d / "r.csv"])
    finally:
        shutil.rmtree(d)


@pytest.mark.slow
@SLOW
@given(texts=st.lists(TEXT, min_size=1, max_size=4), encs=st.lists(st.sampled_from(ENCODINGS), min_size=4, max_size=4),
       records=st.lists(RECORD, min_size=0, max_size=3))
# Found by this test: no words to cluster; no n-gram at a clause edge; no bigram in a short core.
@example(texts=["0"], encs=["utf-8"] * 4, records=[])
@example(texts=["", "导；推8", "\x98Z\U000aeebe:ËÂ"], encs=["utf-8"] * 4, records=[])
@example(texts=["F", "", "务", "6：加透度度3进开工开领（9"], encs=["utf-32", "gbk", "gb18030", "utf-16-be"], records=[])
def test_mine_on_random_small_corpora_succeeds_or_raises_load_error(texts, encs, records):
    files = _encoded(texts, encs)
    files["r.jsonl"] = _jsonl(records, [])
    d = _folder(files)
    try:
        try:
            corpus = load([d], skip_bad=True)
        except LoadError:
            corpus = None
        jsonl = _load_or_error([d / "r.jsonl"])
        assume(corpus is not None or jsonl is not None)
        for c in (corpus, jsonl):
            if c is not None:
                _mine_ok(c)
    finally:
        shutil.rmtree(d)

"""Readers: encodings, formats, errors naming file and line, the bundled page split."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from gkcorpus.io import (
    LoadError,
    LoadLog,
    bundled_page_path,
    decode_bytes,
    iter_csv,
    iter_jsonl,
    iter_paths,
    iter_txt,
    read_bundled_page,
    read_text_file,
    text_file_document,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "为深入推进政务公开工作，现将有关情况总结如下：一是高度重视，二是营造良好氛围。"
SAMPLE_TW = "為深入推進政務公開工作，現將有關情況總結如下：一是高度重視，二是營造良好氛圍。"


@pytest.mark.parametrize(
    "text, codec, expected_enc",
    [
        (SAMPLE, "utf-8", "utf-8"),
        (SAMPLE, "utf-8-sig", "utf-8-sig"),
        (SAMPLE, "gbk", "gbk"),
        ("𠀀" + SAMPLE, "gb18030", "gb18030"),
        (SAMPLE_TW, "big5", "big5"),
        (SAMPLE, "utf-16", "utf-16"),
        (SAMPLE, "utf-16-le", "utf-16-le"),
        (SAMPLE, "utf-16-be", "utf-16-be"),
        ("Report 2020\n" + SAMPLE, "utf-16-le", "utf-16-le"),
        ("第二篇", "gbk", "gbk"),
        ("单篇", "utf-8", "utf-8"),
    ],
)
def test_decode_detects_encoding(text, codec, expected_enc):
    assert decode_bytes((text * 3).encode(codec)) == (text * 3, expected_enc)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\t \r\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file (PNG image)"),
        (b"PK\x03\x04" + bytes(200), "binary file (zip archive)"),
        (b"\x00\x01\x02\x03\xfe\xfd" * 100, "binary file"),
    ],
)
def test_decode_rejects_non_text(data, message):
    with pytest.raises(LoadError) as e:
        decode_bytes(data, "x.txt")
    assert message in str(e.value)
    assert str(e.value).startswith("x.txt")


def test_undecodable_bytes_in_gbk_name_the_line(tmp_path):
    good = (SAMPLE + "\n").encode("gbk")
    p = tmp_path / "broken.txt"
    p.write_bytes(good * 5 + b"\xff\xff\xff\n" + good * 5)
    with pytest.raises(LoadError) as e:
        read_text_file(p)
    assert e.value.line == 6
    assert str(e.value).startswith(f"{p}:6: undecodable bytes")


def test_explicit_encoding_wins_and_errors_cleanly(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(SAMPLE.encode("gbk"))
    assert read_text_file(p, encoding="gb18030") == (SAMPLE, "gb18030")
    with pytest.raises(LoadError, match="not valid utf-8"):
        read_text_file(p, encoding="utf-8")


def test_missing_path_and_empty_dir(tmp_path):
    with pytest.raises(LoadError, match="no such file or directory"):
        list(iter_paths([tmp_path / "nope"]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(LoadError, match=r"no files matching '\*\.txt'"):
        list(iter_paths([tmp_path / "empty"]))


def test_txt_folder_recursive_sorted_with_glob(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes("第二篇".encode("gbk"))
    (tmp_path / "a.txt").write_text("第一篇", encoding="utf-8")
    (tmp_path / "skip.md").write_text("不读", encoding="utf-8")
    docs = list(iter_txt(tmp_path))
    assert [(d.id, d.raw, d.encoding) for d in docs] == [("a", "第一篇", "utf-8"), ("b/2", "第二篇", "gbk")]
    assert [d.id for d in iter_txt(tmp_path, glob="*.md")] == ["skip"]
    assert [d.id for d in iter_txt(tmp_path, recursive=False)] == ["a"]


def test_txt_folder_skips_bad_files_only_when_asked(tmp_path):
    (tmp_path / "a.txt").write_text("好的", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("也好", encoding="utf-8")
    with pytest.raises(LoadError, match="b.txt: empty file"):
        list(iter_txt(tmp_path))
    log = LoadLog()
    docs = list(iter_txt(tmp_path, on_error="skip", log=log))
    assert [d.id for d in docs] == ["a", "c"]
    assert log.lines() == [f"{tmp_path / 'b.txt'}: empty file"]


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_fields_and_document_variables(tmp_path):
    p = _write_jsonl(tmp_path / "d.jsonl", [
        json.dumps({"id": "r1", "title": "一", "text": "正文一", "year": 2019, "region": "省"}, ensure_ascii=False),
        json.dumps({"id": "r2", "title": "二", "text": "正文二", "year": 2020, "region": "市"}, ensure_ascii=False),
    ])
    docs = list(iter_jsonl(p))
    assert [(d.id, d.title, d.raw, d.meta) for d in docs] == [
        ("r1", "一", "正文一", {"year": 2019, "region": "省"}),
        ("r2", "二", "正文二", {"year": 2020, "region": "市"}),
    ]
    custom = list(iter_jsonl(p, text_field="title", id_field="region", title_field=None, meta_fields=["year"]))
    assert [(d.id, d.raw, d.meta) for d in custom] == [("省", "一", {"year": 2019}), ("市", "二", {"year": 2020})]


def test_jsonl_malformed_line_and_missing_field_name_the_line(tmp_path):
    p = _write_jsonl(tmp_path / "bad.jsonl", ['{"id": 1, "text": "甲"}', '{"id": 2, "text": "乙"', '{"id": 3, "body": "丙"}', '{"id": 4, "text": "丁"}'])
    with pytest.raises(LoadError) as e:
        list(iter_jsonl(p))
    assert str(e.value).startswith(f"{p}:2: malformed JSON")
    log = LoadLog()
    docs = list(iter_jsonl(p, on_error="skip", log=log))
    assert [d.raw for d in docs] == ["甲", "丁"]
    assert [(err.line, err.message.split(" (")[0]) for err in log.skipped] == [(2, "malformed JSON"), (3, "no 'text' field")]


def test_csv_reader(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('id,text,year\na,"第一,篇",2019\nb,"第二""篇""\n两行",2020\n', encoding="utf-8")
    docs = list(iter_csv(p))
    assert [(d.id, d.raw, d.meta) for d in docs] == [("a", "第一,篇", {"year": "2019"}), ("b", '第二"篇"\n两行', {"year": "2020"})]
    assert docs[1].source == f"{p}:3"


def test_csv_without_text_column_and_unclosed_quote(tmp_path):
    p = tmp_path / "notext.csv"
    p.write_text("id,body\na,正文\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"notext.csv:1: no 'text' column \(columns: id, body\)"):
        list(iter_csv(p))
    q = tmp_path / "quote.csv"
    q.write_text('id,text\na,好\nb,"没有结束\nc,也好\n', encoding="utf-8")
    with pytest.raises(LoadError) as e:
        list(iter_csv(q))
    assert str(e.value).startswith(f"{q}:3: malformed CSV")


def test_iter_paths_dispatches_on_kind(tmp_path):
    (tmp_path / "x.txt").write_text("单篇", encoding="utf-8")
    _write_jsonl(tmp_path / "y.jsonl", ['{"id": "j", "text": "行"}'])
    (tmp_path / "z.csv").write_text("id,text\nc,格\n", encoding="utf-8")
    docs = list(iter_paths([tmp_path / "x.txt", tmp_path / "y.jsonl", tmp_path / "z.csv"]))
    assert [(d.id, d.raw) for d in docs] == [("x", "单篇"), ("j", "行"), ("c", "格")]


def test_bundled_page_is_byte_identical_and_split_into_fifteen():
    shipped = bundled_page_path().read_bytes()
    assert (REPO / "corpus" / "gov_openness_summaries_15.raw.txt").read_bytes() == shipped
    seed = REPO.parent / "shared" / "seed" / "gov_openness_summaries_15.raw.txt"
    if seed.exists():
        assert seed.read_bytes() == shipped
    docs = read_bundled_page()
    assert [d.id for d in docs] == [f"summary-{i:02d}" for i in range(1, 16)]
    assert docs[0].title == "政務(wù)公開(kāi)活動(dòng)總結(jié)1"
    assert docs[0].raw.startswith("按照《XX人民政府辦公室關(guān)於印發(fā)") or docs[0].raw.startswith("按照《XX人民政府")
    # page chrome is in no document
    for d in docs:
        assert "15篇" not in d.raw and "小編" not in d.raw and "相關(guān)文章" not in d.raw
        assert "相關(guān)推薦" not in d.raw
    assert docs[-1].raw.endswith("再上新臺(tái)階。") or "11-27" not in docs[-1].raw
    assert "11-27" not in docs[-1].raw and "政務(wù)公開(kāi)的建議" not in docs[-1].raw
    # offsets in meta point at the document body in the page
    page = shipped.decode("utf-8")
    for d in docs:
        off = d.meta["page_offset"]
        assert page[off : off + len(d.raw)] == d.raw


def test_gwr_raw_reports_load_as_gbk(shared_corpora):
    docs = list(iter_txt(shared_corpora / "gwr_national"))
    assert len(docs) == 50
    assert {d.encoding for d in docs} == {"gbk"}
    d1954 = next(d for d in docs if d.id == "1954")
    assert "1954年政府工作报告" in d1954.raw
    assert "中华人民共和国第一届全国人民代表大会第一次会议" in d1954.raw


@pytest.mark.parametrize("text, title, body", [
    ("关于2019年政务公开工作的总结\n一、主要做法\n高度重视。", "关于2019年政务公开工作的总结", "一、主要做法\n高度重视。"),
    ("\n  政务公开工作总结  \n正文。\n", "政务公开工作总结", "正文。\n"),
    ("一、主要做法\n高度重视。", "", "一、主要做法\n高度重视。"),          # a numbered heading is not a title
    ("（一）领导重视\n高度重视。", "", "（一）领导重视\n高度重视。"),
    ("现将有关情况总结如下：\n一、主要做法", "", "现将有关情况总结如下：\n一、主要做法"),  # ends in punctuation
    ("2019 annual report\n正文。", "", "2019 annual report\n正文。"),   # no Han character
    ("只有一行标题", "", "只有一行标题"),                                  # nothing follows
    ("这一行很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n正文。", "",
     "这一行很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n正文。"),
])
def test_a_txt_file_takes_its_title_from_a_first_line_that_looks_like_one(tmp_path, text, title, body):
    p = tmp_path / "doc.txt"
    p.write_bytes(text.encode("utf-8"))
    doc = text_file_document(p)
    assert (doc.title, doc.raw) == (title or "doc", body)
    assert doc.meta.get("body_offset", 0) == len(text) - len(body)

"""gkcorpus.datasets: pinned files fetched from a local mirror (no network in tests), checked, converted, cached."""

from __future__ import annotations

import shutil

import pytest

from gkcorpus.cli import main
from gkcorpus.datasets import DATASETS, DatasetError, fetch, load_dataset, load_gwr_national, load_gwr_national_bilingual


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "data"
    monkeypatch.setenv("GKCORPUS_DATA", str(home))
    return home


@pytest.fixture
def mirror(shared_corpora, monkeypatch):
    monkeypatch.setenv("GKCORPUS_DATA_MIRROR", str(shared_corpora))
    return shared_corpora


def test_registry_pins_every_file_at_one_commit():
    national, bilingual = DATASETS["gwr_national"], DATASETS["gwr_national_bilingual"]
    reg = national.registry()
    assert len(reg) == 51 and "Reports_links.csv" in reg and "2018.txt" in reg
    assert reg["1954.txt"] == "sha256:9b5b6e1af72abfbf356709c44184abd01c64a8d0dd65a09c0a14fc29503b422e"
    assert national.url("1954.txt") == ("https://raw.githubusercontent.com/ljtyduyu/Government_Report_Mining/"
                                         "25d3da1a894f359a461ad31640e10e1b4cc5635e/data/Corpus/1954.txt")
    assert national.url("Reports_links.csv").endswith("/25d3da1a894f359a461ad31640e10e1b4cc5635e/data/Reports_links.csv")
    assert sorted(bilingual.registry()) == [f"GR{y}.tmx" for y in range(2008, 2023)]
    assert bilingual.url("GR2008.tmx") == ("https://raw.githubusercontent.com/liuzeyi11/GovernmentWorkReportCorpus/"
                                           "44c7537dccfa44833c4ce0b66ea4c8375dab401f/government_report_tmx_file/GR2008.tmx")


def test_a_corrupted_mirror_file_stops_with_one_line(tmp_path, data_home, monkeypatch, capsys):
    bad = tmp_path / "mirror" / "gwr_national"
    bad.mkdir(parents=True)
    (bad / "1954.txt").write_bytes("1954年国务院政府工作报告\n被改动的文本\n".encode("gb18030"))
    monkeypatch.setenv("GKCORPUS_DATA_MIRROR", str(tmp_path / "mirror"))
    assert main(["datasets", "fetch", "gwr_national"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"gkcorpus: error: {bad / '1954.txt'}: SHA-256 ")
    assert "does not match the pinned 9b5b6e1af72a… (file corrupted or changed upstream)" in err
    assert not (data_home / "gwr_national" / "1954.txt").exists()  # a file that fails its check is not kept


def test_a_file_missing_from_the_mirror_is_named(tmp_path, data_home, monkeypatch):
    (tmp_path / "mirror").mkdir()
    monkeypatch.setenv("GKCORPUS_DATA_MIRROR", str(tmp_path / "mirror"))
    with pytest.raises(DatasetError) as e:
        fetch("gwr_national_bilingual", progress=False)
    assert str(e.value) == f"{tmp_path / 'mirror' / 'gwr_national_bilingual' / 'GR2008.tmx'}: not in the mirror ($GKCORPUS_DATA_MIRROR)"


def test_an_unknown_dataset_is_a_one_line_error(data_home, capsys):
    assert main(["datasets", "fetch", "gwr_provincial"]) == 1
    assert capsys.readouterr().err == "gkcorpus: error: gwr_provincial: no such dataset; choose from gwr_national, gwr_national_bilingual\n"


def test_national_reports_from_the_mirror(mirror, data_home):
    corpus = load_gwr_national()
    assert len(corpus) == 50 and corpus.n_chars == 999_483
    assert corpus.ids[0] == "gwr_national/1954" and corpus.ids[-1] == "gwr_national/2018"
    assert {d.encoding for d in corpus} == {"gbk"}
    doc = corpus["gwr_national/1954"]
    assert doc.title == "1954年国务院政府工作报告" and doc.meta["year"] == 1954
    assert doc.text.startswith("1954年国务院政府工作报告\n1954年政府工作报告——1954年5月23日")
    assert corpus["gwr_national/2018"].meta["url"] == "http://www.gov.cn/premier/2018-03/22/content_5276608.htm"
    flagged = {d.meta["year"]: d.meta["flags"] for d in corpus if d.meta["flags"]}
    assert flagged == {2006: ["truncated_first_page_only"], 2007: ["truncated_first_page_only"],
                       2008: ["truncated_first_page_only"], 2009: ["truncated_first_page_only"], 2014: ["single_line"]}
    # the raw files are kept, and the converted corpus is cached: a second call reads it back unchanged
    assert len(list((data_home / "gwr_national").glob("*.txt"))) == 50
    [cached] = data_home.glob("gwr_national-*.gkc")
    again = load_gwr_national()
    assert again.ids == corpus.ids and [d.text for d in again] == [d.text for d in corpus]
    cached.write_bytes(b"damaged")  # a damaged cache is rebuilt, not an error
    assert load_gwr_national().ids == corpus.ids and cached.read_bytes()[:2] == b"\x1f\x8b"


def test_bilingual_reports_from_the_mirror(mirror, data_home, capsys):
    assert main(["datasets", "fetch", "gwr_national_bilingual", "-o", str(data_home / "b.jsonl")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gwr_national_bilingual: 15 documents, 289,730 characters; files in ")
    corpus = load_dataset("gwr_national_bilingual")
    assert corpus.ids == [f"gwr_national_bilingual/{y}" for y in range(2008, 2023)]
    doc = corpus["gwr_national_bilingual/2008"]
    assert doc.text.splitlines()[:2] == ["政府工作报告", "——2008年3月5日在第十一届全国人民代表大会第一次会议上"]
    assert doc.meta["text_en"].startswith("REPORT ON THE WORK OF THE GOVERNMENT\n")
    assert len((data_home / "b.jsonl").read_text(encoding="utf-8").splitlines()) == 15
    assert main(["datasets", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[1].endswith("@ 25d3da1a89  (not fetched)") and listing[3].endswith("@ 44c7537dcc  (cached)")
    assert listing[-1] == f"data folder: {data_home}"

"""The hand-labelled section gold (tests/data/section_parts_*.csv) is consistent with the texts and with
its own inventory (tests/data/SECTIONS.md), and the benchmark's scoring counts what it says."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
HOW = {"numbered", "unnumbered", "unheaded"}
ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _inventory(title: str) -> set[str]:
    """The part names of one inventory table of SECTIONS.md (the rows after the heading ``title``)."""
    text = (DATA / "SECTIONS.md").read_text(encoding="utf-8")
    block = text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", block, flags=re.M))


def _check(rows: list[dict[str, str]], texts: dict[str, str], inventory: set[str]) -> None:
    by_doc: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    assert set(by_doc) == set(texts)  # every document labelled, nothing else
    for doc_id, rs in by_doc.items():
        text = texts[doc_id]
        assert [int(r["ordinal"]) for r in rs] == list(range(len(rs))), doc_id
        starts = [int(r["start"]) for r in rs]
        assert starts == sorted(set(starts)) and starts[0] == 0, doc_id  # the first section starts the text
        for r in rs:
            start, anchor = int(r["start"]), r["anchor"]
            where = f"{doc_id} #{r['ordinal']}"
            assert len(anchor) >= 12 and text.count(anchor) == 1 and text.find(anchor) == start, where
            assert r["part"] in inventory, where
            assert r["how_marked"] in HOW, where
            heading = r["heading"]
            assert (heading == "") == (r["how_marked"] == "unheaded"), where
            if heading:
                assert text.startswith(heading, start), where
                assert bool(ENUMERATOR.match(heading)) == (r["how_marked"] == "numbered"), where
        assert rs[-1]["part"] != "opening" or len(rs) == 1


def test_bundled_gold_matches_the_texts(bundled):
    rows = _rows("section_parts_bundled.csv")
    _check(rows, {d.id: d.text for d in bundled}, _inventory("Part inventory: bundled summaries and plans"))
    assert len(rows) == 67
    assert Counter(r["part"] for r in rows) == {
        "measures": 26, "opening": 12, "closing": 6, "overview": 5, "next_steps": 4, "problems": 3,
        "content": 3, "results": 2, "guiding_ideas": 2, "lessons": 1, "principles": 1, "steps": 1,
        "safeguards": 1}
    # the groupings tests/test_cluster.py pins are themes of the measures part
    themes = {(r["doc_id"], r["ordinal"]): r["theme"] for r in rows if r["theme"]}
    assert {k for k, v in themes.items() if v == "leadership"} == {
        ("summary-02", "1"), ("summary-03", "1"), ("summary-09", "1"), ("summary-10", "1"),
        ("summary-11", "1"), ("summary-15", "1")}
    assert {k[0] for k, v in themes.items() if v == "publicity"} == {"summary-09", "summary-10", "summary-11"}
    assert all(r["part"] == "measures" for r in rows if r["theme"])


@pytest.fixture(scope="module")
def national(shared_corpora):
    import gkcorpus

    corpus = gkcorpus.load(str(shared_corpora / "gwr_national.jsonl"))
    return {d.id: d for d in corpus if int(d.meta["year"]) >= 1978}


def test_national_gold_matches_the_texts(national):
    rows = _rows("section_parts_national.csv")
    _check(rows, {k: d.text for k, d in national.items()}, _inventory("Part inventory: national government work reports"))
    assert len(national) == 41 and len(rows) == 270
    assert all(int(r["year"]) == national[r["doc_id"]].meta["year"] for r in rows)
    assert Counter(r["part"] for r in rows) == {
        "tasks": 63, "opening": 41, "review": 40, "closing": 37, "external_affairs": 32, "reform": 19,
        "requirements": 17, "democracy_law": 10, "self_improvement": 9, "appendix": 2}
    assert Counter(r["how_marked"] for r in rows) == {"numbered": 163, "unheaded": 89, "unnumbered": 18}
    # every complete report has one opening, one review (1984 folds its short review into 关于国内建设)
    # and one closing (2006–2009 are first pages only)
    for doc_id, d in national.items():
        parts = [r["part"] for r in rows if r["doc_id"] == doc_id]
        assert parts[0] == "opening" and parts.count("review") == (doc_id != "gwr_national/1984"), doc_id
        if "truncated_first_page_only" not in d.meta.get("flags", []):
            assert parts.count("closing") == 1 and parts[-1] in ("closing", "appendix"), doc_id
    by_start = {(r["year"], r["start"]): r for r in rows}
    coda = by_start[("2014", "15326")]
    assert coda["part"] == "self_improvement" and coda["anchor"].startswith("各位代表！ 做好政府工作")


def _bench():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_sections.py"
    spec = importlib.util.spec_from_file_location("eval_sections", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


def test_pairwise_scores_and_matching():
    ev = _bench()
    # parts a a a b b, types 1 1 2 2 2: together in both (0,1),(3,4); predicted-together 4; gold-together 4
    p, r, n_pred, n_gold = ev.pairwise(list("aaabb"), [1, 1, 2, 2, 2])
    assert (p, r, n_pred, n_gold) == (0.5, 0.5, 4, 4)
    assert ev.pairwise(list("ab"), [0, 1]) == (1.0, 1.0, 0, 0)
    text = "前言前言前言前言前言\n各位代表！\n让我们团结起来。"
    g = ev.GoldSection("d", 1, 11, "各位代表！\n让我们团结", "", "unheaded", "closing")
    assert ev.match(g, text, [(0, 0), (17, 7)], tolerance=5) == 7  # the salutation line is skipped
    assert ev.match(g, text, [(0, 0), (19, 7)], tolerance=1) is None
    assert ev.match(g, text, [(0, 0), (12, 4), (17, 7)], tolerance=5) == 4  # the closest start wins

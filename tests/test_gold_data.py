"""The development gold under tests/data is recounted from the texts, so its numbers stay true.

Formulae are counted as substrings of the cleaned ``doc.text``; a gapped formula (written with
``…``) is a regex whose gap is at most 20 characters without 。！？ or a line break. Frames carry
their own regex. df is the number of documents matched, tf the number of (non-overlapping) matches.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
GAP = "[^。！？\n]{0,20}?"
SLOT_TYPES = {"NUM", "PERCENT", "DATE", "YEAR", "MONEY", "ORG", "PLACE", "PERSON", "TEXT"}


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def formula_regex(phrase: str) -> re.Pattern[str]:
    return re.compile(GAP.join(re.escape(part) for part in phrase.split("…")))


def count_formula(texts: dict[str, str], phrase: str) -> tuple[int, int, list[str]]:
    if "…" in phrase:
        rx = formula_regex(phrase)
        docs = [d for d, t in texts.items() if rx.search(t)]
        return len(docs), sum(len(rx.findall(t)) for t in texts.values()), docs
    docs = [d for d, t in texts.items() if phrase in t]
    return len(docs), sum(t.count(phrase) for t in texts.values()), docs


def count_frame(texts: dict[str, str], regex: str) -> tuple[int, int]:
    rx = re.compile(regex)
    return (sum(1 for t in texts.values() if rx.search(t)),
            sum(sum(1 for _ in rx.finditer(t)) for t in texts.values()))


@pytest.fixture(scope="module")
def national(shared_corpora):
    from gkcorpus import load

    corpus = load(shared_corpora / "gwr_national.jsonl")
    return {d.id: d.text for d in corpus}, {d.id: int(d.meta["year"]) for d in corpus}


@pytest.fixture(scope="module")
def bundled_texts(bundled):
    return {d.id: d.text for d in bundled}


def test_national_formulae_counts(national):
    texts, years = national
    gold = rows("formulae_gold_national.csv")
    assert len(gold) >= 60
    assert len({g["phrase"] for g in gold}) == len(gold)
    wrong = []
    for g in gold:
        df, tf, docs = count_formula(texts, g["phrase"])
        span = sorted(years[d] for d in docs)
        got = (df, tf, span[0], span[-1])
        want = (int(g["df"]), int(g["tf"]), int(g["first_year"]), int(g["last_year"]))
        if got != want:
            wrong.append((g["phrase"], want, got))
        assert df >= 3 and 4 <= len(g["phrase"]) <= 30 and g["kind"] == "formula", g["phrase"]
    assert not wrong
    owner = {g["phrase"]: int(g["df"]) for g in gold}
    assert owner["各位代表"] == 49 and owner["请予审议"] == 33 and owner["以经济建设为中心"] == 13
    assert owner["坚持稳中求进工作总基调"] == 5 and owner["我们也清醒地看到"] == 6
    assert owner["以邓小平理论和“三个代表”重要思想为指导"] == 6


def test_bundled_formulae_counts(bundled_texts):
    gold = rows("formulae_gold_bundled.csv")
    assert len(gold) >= 25
    wrong = []
    for g in gold:
        df, tf, _ = count_formula(bundled_texts, g["phrase"])
        if (df, tf) != (int(g["df"]), int(g["tf"])):
            wrong.append((g["phrase"], (g["df"], g["tf"]), (df, tf)))
    assert not wrong
    df = {g["phrase"]: int(g["df"]) for g in gold}
    assert (df["营造…氛围"], df["高度重视"], df["现将…总结如下"], df["再上新台阶"]) == (11, 6, 5, 5)
    assert (df["按照…要求"], df["根据…部署"], df["下一步…打算"]) == (8, 2, 1)


def test_national_frames_counts(national):
    texts, _ = national
    gold = rows("frames_gold_national.csv")
    assert len(gold) >= 22
    got = {g["frame_id"]: count_frame(texts, g["regex"]) for g in gold}
    assert got == {g["frame_id"]: (int(g["df"]), int(g["tf"])) for g in gold}
    assert got["N01"] == (27, 27) and got["N02"] == (13, 13) and got["N09"] == (10, 10)


def test_bundled_frames_counts(bundled_texts):
    gold = rows("frames_gold_bundled.csv")
    assert len(gold) >= 20
    got = {g["frame_id"]: count_frame(bundled_texts, g["regex"]) for g in gold}
    assert got == {g["frame_id"]: (int(g["df"]), int(g["tf"])) for g in gold}
    named = {g["frame"]: got[g["frame_id"]] for g in gold}
    assert named["{SUBJ}对{OBJ}给予了充分的重视"] == (2, 3)
    assert named["{CAUSE}为此次活动的有序开展奠定了良好的基础"] == (2, 2)
    assert named["以“{THEME}”为主题"] == (2, 2)
    assert named["发放{ITEM}{NUM}{UNIT}"] == (5, 5)
    assert named["召开专题会议{PURPOSE}"] == (3, 3)


def test_frame_regex_groups_are_slot_types():
    for name in ("frames_gold_national.csv", "frames_gold_bundled.csv"):
        for g in rows(name):
            groups = re.compile(g["regex"]).groupindex
            assert groups, g["frame_id"]
            assert {k.split("_")[0] for k in groups} <= SLOT_TYPES | {"ORD"}, g["frame_id"]


def test_slot_sample_values_occur_in_their_documents(national, bundled_texts):
    texts, _ = national
    sample = rows("slot_types_sample.csv")
    assert len(sample) >= 95
    assert {s["true_type"] for s in sample} == SLOT_TYPES
    for s in sample:
        source = texts if s["corpus"] == "national" else bundled_texts
        assert s["value"] in source[s["doc_id"]], s

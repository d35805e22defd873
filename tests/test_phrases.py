"""The legacy n-gram phrase miner (``bank="legacy"``): document frequencies checked against grep, fragments,
the 套话 index over its phrases, and its vectorised machinery. The default phrase bank, the formula
miner, is tested in test_formulae.py."""

from __future__ import annotations

import csv
import hashlib
import json
import re

import pytest

from gkcorpus.boilerplate.phrases.miner import PhraseMiner, document_zones
from gkcorpus.boilerplate.phrases.writers import mine_boilerplate

CLAUSE = r"[^，。；！？：,;!?:\n]"  # a gapped pattern's filler stays inside one clause


@pytest.fixture(scope="module")
def result(bundled):
    return mine_boilerplate(bundled, bank="legacy")


@pytest.fixture(scope="module")
def bank(result):
    return {p.phrase: p for p in result.phrases.phrases_}


def grep(corpus, pattern):
    """(documents, matches) of a regular expression over the cleaned texts."""
    hits = [len(re.findall(pattern, d.text)) for d in corpus]
    return sum(1 for h in hits if h), sum(hits)


@pytest.mark.parametrize("phrase,pattern", [
    ("高度重视", "高度重视"),
    ("再上新台阶", "再上新台阶"),
    ("一致好评", "一致好评"),
    ("营造…氛围", f"营造{CLAUSE}*?氛围"),
    ("现将…总结如下", f"现将{CLAUSE}*?总结如下"),
])
def test_document_frequencies_match_grep(bundled, bank, phrase, pattern):
    df, tf = grep(bundled, pattern)
    p = bank[phrase]
    assert (p.df, p.tf) == (df, tf)
    assert p.docs == [d.id for d in bundled if re.search(pattern, d.text)]


def test_known_frequencies(bank):
    # counted by reading the cleaned texts (summaries 6, 7, 10, 11, 12, 15 say 高度重视; 1, 9, 10, 11, 15 end on 再上新台阶)
    assert bank["高度重视"].df == 6
    assert bank["再上新台阶"].docs == ["summary-01", "summary-09", "summary-10", "summary-11", "summary-15"]
    assert bank["营造…氛围"].df == 11
    assert bank["现将…总结如下"].docs == ["summary-02", "summary-03", "summary-05", "summary-08", "summary-12"]


def test_gapped_patterns_keep_their_fillers(bank):
    p = bank["营造…氛围"]
    assert p.kind == "gapped" and p.parts == ("营造", "氛围")
    assert "" in p.fillers and len(p.fillers) >= 3
    assert re.fullmatch(p.pattern, "营造良好的社会氛围") and not re.search(p.pattern, "营造，氛围")


def test_no_fragments_or_terms(bank):
    for text in bank:
        assert not text.startswith(("的", "了", "和")) and not text.endswith(("的", "了", "和"))
    for fragment in ("公开工", "公开工作", "务公开", "政务公开工作", "营商环境", "政府信息公开"):
        assert fragment not in bank
    # cohesion and boundary entropy are reported for contiguous phrases
    p = bank["进一步加强"]
    assert p.cohesion > 1 and min(p.left_entropy, p.right_entropy) >= 0.7


def test_examples_carry_sentences_and_raw_offsets(result, bundled):
    for p in result.phrases.phrases_:
        assert p.id == "f" + hashlib.sha1(p.phrase.encode("utf-8")).hexdigest()[:10]
        assert 1 <= len(p.examples) <= 3 and len({o.doc_id for o in p.examples}) == len(p.examples)
        for o in p.examples:
            doc = bundled[o.doc_id]
            assert doc.raw_span(o.start, o.end) == (o.raw_start, o.raw_end)
            assert o.text in o.sentence_text and o.sentence_text in doc.text


def test_formulaicness_ranks_10_and_11_first(result):
    docs = result.formulaicness.documents_
    assert set(docs["doc_id"].head(2)) == {"summary-10", "summary-11"}
    assert docs["index"].is_monotonic_decreasing and list(docs["rank"]) == list(range(1, 16))
    top = docs.iloc[0]
    assert top["covered"] <= top["chars"] and top["reuse_chars"] > 0 and "在今后的工作中" in top["evidence"]
    sents = result.formulaicness.sentences_
    s = sents[(sents.doc_id == "summary-10") & sents.text.str.startswith("我们坚持依法公开")].iloc[0]
    assert s["index"] == 1.0 and s["unit_id"] == f"summary-10#t{s['sentence']}"


def test_zones(bundled):
    z = document_zones(bundled["summary-09"])
    text = bundled["summary-09"].text
    assert text[slice(*z["opening"][0])].startswith("今年5月15日是全市第十二个")
    assert text[slice(*z["closing"][0])].endswith("20xx年5月22日")
    assert "加强组织领导，精心筹划部署" in [text[s:e].split("、", 1)[-1] for s, e in z["heading"]]


def test_deterministic(bundled, result):
    again = mine_boilerplate(bundled, bank="legacy")
    assert again.phrases.to_records() == result.phrases.to_records()


@pytest.fixture(scope="module")
def national(shared_corpora):
    import gkcorpus

    corpus = gkcorpus.load(shared_corpora / "gwr_national.jsonl")
    recent = corpus.subset(lambda d: int(d.meta.get("year", 0)) >= 1990)
    return recent, {p.phrase: p for p in PhraseMiner().fit(recent).phrases_}


def test_national_reports_opening_and_closing_formulae(national):
    corpus, bank = national
    opening = bank["各位代表"]
    assert opening.category == "opening" and opening.df == grep(corpus, "各位代表")[0] >= 25
    # 让我们(更加)紧密(地)团结在以…同志为核心的党中央周围 (from 1990 on, always with 以)
    [closing] = [p for p in bank.values() if p.kind == "gapped" and p.parts[0] == "让我们"
                 and p.parts[-1] == "周围" and any(x.startswith("团结在") for x in p.parts)]
    assert closing.category == "closing" and closing.df >= 8
    gap = f"{CLAUSE}*?"
    assert (closing.df, closing.tf) == grep(corpus, gap.join(re.escape(x) for x in closing.parts))
    assert closing.df == grep(corpus, f"让我们{gap}团结在{gap}周围")[0]


# --------------------------------------------------------------------------- the vectorised machinery


def test_grouped_entropies_are_the_one_by_one_floats():
    import numpy as np

    from gkcorpus.boilerplate.phrases.records import _entropy, _grouped_entropies

    rng = np.random.default_rng(3)
    labels = np.sort(rng.integers(0, 40, 3000))
    symbols = rng.integers(-50, 30, 3000)  # negative: fresh symbols, as the character entropies use them
    got = _grouped_entropies(labels, symbols, 41, exact=True)
    ref = [_entropy(symbols[labels == i]) for i in range(41)]
    assert got.tolist() == ref  # bit for bit: counts in order of first appearance, summed by Python
    assert np.allclose(_grouped_entropies(labels, symbols, 41, exact=False), ref)


def test_seed_matches_are_the_pattern_matches(bundled, result):
    """Every two-part seed is found where the regular expression a<clause>*?b finds it, document by document."""
    pm = result.phrases
    seeds = [(a, b) for p in pm.phrases_ if p.kind == "gapped" for a, b in [p.parts[:2]]]
    seeds += [("高度", "重视"), ("政务公开", "工作"), ("营造", "氛围"), ("不存在", "氛围")]
    occ = pm._seed_matches(seeds)
    for i, (a, b) in enumerate(seeds):
        lo, hi = occ.bounds[i], occ.bounds[i + 1]
        got = list(zip(occ.doc[lo:hi].tolist(), occ.start[lo:hi].tolist(), occ.end[lo:hi].tolist()))
        want = [(k, m.start(), m.end()) for k, d in enumerate(bundled)
                for m in re.finditer(f"{re.escape(a)}{CLAUSE}*?{re.escape(b)}", d.text)]
        assert sorted(got) == want, (a, b)
    i = seeds.index(("营造", "氛围"))
    assert occ.bounds[i + 1] - occ.bounds[i] == grep(bundled, f"营造{CLAUSE}*?氛围")[1] == 14


def test_sources_count_copied_documents_once(result):
    # reference: documents whose every occurrence lies inside a passage are joined through the passages
    inside: dict[str, list[tuple[int, int, str]]] = {}
    for p in result.reuse.passages_:
        for o in p.occurrences:
            inside.setdefault(o.doc_id, []).append((o.start, o.end, p.id))
    for ph in result.phrases.phrases_:
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for d, s, e in ph.spans:
            by_doc.setdefault(d, []).append((s, e))
        independent, groups = 0, []
        for d, spans in by_doc.items():
            pids = [{pid for s0, e0, pid in inside.get(d, []) if s0 <= s and e <= e0} for s, e in spans]
            if not all(pids):
                independent += 1
                continue
            mine = set().union(*pids)
            joined = [g for g in groups if g & mine]
            groups = [g for g in groups if not g & mine] + [mine.union(*joined)]
        assert ph.sources == independent + len(groups), ph.phrase


def test_sentence_coverage_counts_every_overlapping_item(bundled, result):
    docs = {d.id: d for d in bundled}
    masks = {d: [False] * len(t.text) for d, t in docs.items()}
    for p in result.reuse.passages_:
        for o in p.occurrences:
            masks[o.doc_id][o.start : o.end] = [True] * (o.end - o.start)
    for ph in result.phrases.phrases_:
        for d, s, e in ph.spans:
            if ph.kind == "gapped":  # the anchors only
                k = s
                for part in ph.parts:
                    k = docs[d].text.index(part, k)
                    masks[d][k : k + len(part)] = [True] * len(part)
                    k += len(part)
            else:
                masks[d][s:e] = [True] * (e - s)
    sents = result.formulaicness.sentences_
    for row in sents.itertuples():
        doc = docs[row.doc_id]
        sent = next(s for s in doc.structure.sentences if s.index == row.sentence)
        text = doc.text
        covered = sum(1 for i in range(sent.start, sent.end) if masks[row.doc_id][i] and not text[i].isspace())
        assert row.covered == covered
    top = result.formulaicness.documents_.iloc[0]
    assert top["covered"] == sum(1 for i, c in enumerate(docs[top["doc_id"]].text)
                                 if masks[top["doc_id"]][i] and not c.isspace())


def test_span_list_behaves_like_the_tuples(bank):
    p = bank["高度重视"]
    tuples = list(p.spans)
    assert len(p.spans) == len(tuples) == p.tf and p.spans == tuples and p.spans[0] == tuples[0]
    assert p.spans[-2:] == tuples[-2:] and all(isinstance(t, tuple) and len(t) == 3 for t in tuples)


def _brute_shared_sources(pair_item, dependent, owner, pid, n_items):
    """Sources per item by definition: one when a passage links every dependent pair, else the
    connected components of the dependent pairs joined through shared passages."""
    out = [0] * n_items
    for i in range(n_items):
        deps = [p for p in range(len(pair_item)) if pair_item[p] == i and dependent[p]]
        if not deps:
            continue
        passages: dict[int, set[int]] = {}
        for o, q in zip(owner.tolist(), pid.tolist()):
            if pair_item[o] == i:
                passages.setdefault(q, set()).add(o)
        if any(len(s) == len(deps) for s in passages.values()):
            out[i] += 1
            continue
        parent = {p: p for p in deps}

        def root(p):
            while parent[p] != p:
                p = parent[p]
            return p

        for s in passages.values():
            first, *others = sorted(s)
            for o in others:
                parent[root(o)] = root(first)
        out[i] += len({root(p) for p in deps})
    return out


def test_shared_sources_match_their_definition():
    import numpy as np

    from gkcorpus.boilerplate.phrases.miner import _shared_sources

    rng = np.random.default_rng(7)
    for _ in range(200):
        n_items = int(rng.integers(1, 5))
        pair_item = np.sort(rng.integers(0, n_items, size=int(rng.integers(1, 12))))
        dependent = rng.random(len(pair_item)) < 0.8
        deps = np.flatnonzero(dependent)
        # every dependent pair has a link (a containing passage within the scan), duplicates included
        owner = np.concatenate([deps, rng.choice(deps, size=int(rng.integers(0, 15)))]) if len(deps) \
            else np.zeros(0, dtype=np.int64)
        pid = rng.integers(0, 6, size=len(owner))
        got = _shared_sources(pair_item, dependent, owner.astype(np.int64), pid.astype(np.int64), n_items)
        assert got.tolist() == _brute_shared_sources(pair_item.tolist(), dependent.tolist(), owner, pid, n_items)

"""Segmentation cache: keys, round trip, hits on rerun, corrupt entries, concurrent writers, span tokens."""

from __future__ import annotations

import multiprocessing
import pickle

import numpy as np
import pytest

from gkcorpus.runtime.cache import (
    CACHE_DIRNAME,
    CachedTokenizer,
    TokenCache,
    cached_segmentations,
    cached_tokens,
    filter_tokens,
    resolve_cache_dir,
    segmentation_key,
    token_lengths,
    tokens_from_lengths,
    unit_tokens,
)
from gkcorpus.text.tokenize import Tokenizer

TEXT = "我局高度重视政务公开工作，现将有关情况总结如下。\n一、领导重视，周密部署。"


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    t = Tokenizer()
    t("预热")
    return t


def test_lengths_round_trip_and_dtype(tok):
    toks = tok.cut(TEXT)
    lengths = token_lengths(toks)
    assert lengths.dtype == np.uint8 and int(lengths.sum()) == len(TEXT)
    assert tokens_from_lengths(TEXT, lengths) == toks
    assert token_lengths(["a" * 300, "b"]).dtype == np.uint16
    assert token_lengths(["a" * 70000]).dtype == np.uint32
    assert tokens_from_lengths("", token_lengths([])) == []


def test_key_depends_on_text_segmenter_and_dictionary_contents_not_on_filters(tmp_path):
    base = segmentation_key(TEXT, Tokenizer())
    assert len(base) == 64
    assert segmentation_key(TEXT, Tokenizer()) == base
    assert segmentation_key(TEXT, Tokenizer(stopwords=True, keep_punct=True)) == base
    assert segmentation_key(TEXT + "。", Tokenizer()) != base
    assert segmentation_key(TEXT, Tokenizer(hmm=False)) != base
    assert segmentation_key(TEXT, Tokenizer(user_dict=False)) != base
    d = tmp_path / "dict.txt"
    d.write_text("周密部署 100 n\n", encoding="utf-8")
    k1 = segmentation_key(TEXT, Tokenizer(user_dict=str(d)))
    d.write_text("周密部署 100 n\n领导重视 100 n\n", encoding="utf-8")
    k2 = segmentation_key(TEXT, Tokenizer(user_dict=str(d)))
    assert k1 != k2  # same path, new contents: a new key


def test_cached_tokens_equal_tokenizer_and_rerun_hits(bundled, tmp_path):
    tok = Tokenizer(stopwords=True)
    first = cached_tokens(bundled, tok, tmp_path)
    assert list(first) == bundled.ids
    assert all(first[d.id] == tok(d.text) for d in bundled)
    assert TokenCache(tmp_path).n_entries() == 15
    segs, stats = cached_segmentations(bundled, tok, tmp_path)
    assert (stats.hits, stats.misses, stats.writes) == (15, 0, 0)
    # one cached segmentation serves any filter settings
    keep = Tokenizer(keep_punct=True)
    again = cached_tokens(bundled, keep, tmp_path)
    assert again["summary-03"] == keep(bundled["summary-03"].text)
    assert TokenCache(tmp_path).n_entries() == 15
    assert "".join(segs["summary-07"].tokens()) == bundled["summary-07"].text


def test_no_cache_writes_nothing(bundled, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    segs, stats = cached_segmentations(bundled[:2], Tokenizer(), cache_dir=False)
    assert stats.misses == 2 and stats.writes == 0
    assert list(tmp_path.iterdir()) == []


def test_corrupt_truncated_and_foreign_entries_are_misses_and_get_rewritten(tok, tmp_path):
    cache = TokenCache(tmp_path)
    good = cache.lengths(TEXT, tok)
    path = cache.path_for(segmentation_key(TEXT, tok))
    data = path.read_bytes()
    wrong_len = data.replace(f'"chars": {len(TEXT)}'.encode(), f'"chars": {len(TEXT) - 1}'.encode())
    assert wrong_len != data
    for bad in (b"", data[:-3], b"junk" + data, wrong_len):
        path.write_bytes(bad)
        c2 = TokenCache(tmp_path)
        assert c2.get_lengths(TEXT, tok) is None
        assert np.array_equal(c2.lengths(TEXT, tok), good)
        assert path.read_bytes() == data
    other = "另一段文字，不一样。"
    foreign = TokenCache(tmp_path / "x").put_lengths(other, tok, token_lengths(tok.cut(other)))
    path.write_bytes(foreign.read_bytes())  # an entry for another text under this key
    assert TokenCache(tmp_path).get_lengths(TEXT, tok) is None


def test_put_refuses_a_lossy_segmentation(tok, tmp_path):
    with pytest.raises(ValueError, match="not lossless"):
        TokenCache(tmp_path).put_lengths(TEXT, tok, np.array([1, 2], dtype=np.uint8))


def test_resolve_cache_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("GKCORPUS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert resolve_cache_dir(False) is None
    assert resolve_cache_dir(tmp_path / "mine") == tmp_path / "mine"
    assert resolve_cache_dir(True, output_dir=tmp_path / "out") == tmp_path / "out" / CACHE_DIRNAME
    assert resolve_cache_dir(True) == tmp_path / "xdg" / "gkcorpus"
    monkeypatch.setenv("GKCORPUS_CACHE", str(tmp_path / "env"))
    assert resolve_cache_dir(True, output_dir=tmp_path / "out") == tmp_path / "env"
    assert resolve_cache_dir(tmp_path / "mine") == tmp_path / "mine"  # an explicit directory wins
    monkeypatch.setenv("GKCORPUS_CACHE", "off")
    assert resolve_cache_dir(True, output_dir=tmp_path / "out") is None


def test_cached_tokenizer_same_output_pickles_and_caches_only_long_texts(tok, tmp_path):
    ct = CachedTokenizer(stopwords=True, cache_dir=str(tmp_path), min_chars=20)
    plain = Tokenizer(stopwords=True)
    assert ct(TEXT) == plain(TEXT)
    assert ct.cut("领导重视。") == tok.cut("领导重视。")  # short: not cached
    assert TokenCache(tmp_path).n_entries() == 1
    clone = pickle.loads(pickle.dumps(ct))
    assert clone == ct and clone != plain
    assert clone(TEXT) == plain(TEXT)
    assert ct.plain() == plain
    assert CachedTokenizer.wrap(plain, tmp_path, min_chars=20) == ct
    assert ct.get_params()["cache_dir"] == str(tmp_path)


def _segment_into(args):
    directory, texts = args
    segs, _ = cached_segmentations({str(i): t for i, t in enumerate(texts)}, Tokenizer(), directory)
    return [int(s.lengths.sum()) for s in segs.values()]


def test_concurrent_writers_leave_only_complete_entries(bundled, tmp_path):
    texts = [d.text for d in bundled]
    # Fresh interpreters (spawn), so the writers do not inherit this session's signal handlers, locks or
    # threads; a result that does not come fails the test (TimeoutError), and leaving the block terminates
    # the workers, so nothing waits for a stuck one.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        sums = pool.map_async(_segment_into, [(str(tmp_path), texts)] * 4).get(timeout=300)
    assert sums == [[len(t) for t in texts]] * 4
    files = list(tmp_path.rglob("*"))
    assert not [f for f in files if f.name.endswith(".tmp")]
    _, stats = cached_segmentations({str(i): t for i, t in enumerate(texts)}, Tokenizer(), tmp_path)
    assert (stats.hits, stats.errors) == (15, 0)


def test_span_tokens_of_sentences_equal_segmenting_the_sentence(bundled, tok):
    segs, _ = cached_segmentations(bundled, tok, cache_dir=False)
    n = 0
    for d in bundled:
        for s in d.structure.sentences:
            assert segs[d.id].span_tokens(s.start, s.end) == tok.cut(d.text[s.start : s.end]), (d.id, s.index)
            n += 1
    assert n > 300  # every sentence of the fifteen summaries
    # a span that cuts a word clips it
    dt = cached_segmentations({"x": "我局高度重视政务公开工作"}, tok, cache_dir=False)[0]["x"]
    assert dt.tokens() == ["我局", "高度重视", "政务公开", "工作"]
    assert dt.span_tokens(3, 8) == ["度重视", "政务"]


def test_unit_tokens_match_the_tokenizer_on_unit_text(bundled, tmp_path):
    tok = Tokenizer(stopwords=True)
    segs, _ = cached_segmentations(bundled, tok, tmp_path)
    units = bundled.units("paragraph")
    got = unit_tokens(segs, units, tok)
    assert got == [tok(u.text) for u in units]
    assert filter_tokens(tok, ["，", "的", "政务公开"]) == ["政务公开"]


def test_iter_cached_tokens_streams_the_same_tokens_in_order(bundled, tmp_path):
    from gkcorpus.runtime.cache import iter_cached_tokens

    tok = Tokenizer(stopwords=True)
    got = list(iter_cached_tokens((d for d in bundled), tok, tmp_path, block=4))
    assert [doc_id for doc_id, _ in got] == bundled.ids
    assert dict(got) == cached_tokens(bundled, tok, tmp_path)
    assert TokenCache(tmp_path).n_entries() == 15

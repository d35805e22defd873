"""Tokenizer: domain dictionary, placeholders, stoplist, pickling, scikit-learn, rjieba agreement."""

from __future__ import annotations

import pickle

import pytest

from gkcorpus.text.tokenize import PLACEHOLDER, Tokenizer, is_punct, load_stopwords


def test_domain_words_and_placeholders_stay_whole():
    tok = Tokenizer()
    out = tok("按照《XX人民政府办公室关于印发XX20xx年政务公开宣传月活动方案的通知》要求，营商环境持续优化，放管服改革")
    assert out[:4] == ["按照", "XX", "人民政府", "办公室"]
    assert "20xx" in out and "政务公开宣传月" in out and "营商环境" in out and "放管服" in out
    assert "，" not in out and "《" not in out


def test_placeholder_pattern():
    text = "XX镇xx社区20xx年xxxx年LED屏XXL号1920年"
    assert [m.group() for m in PLACEHOLDER.finditer(text)] == ["XX", "xx", "20xx", "xxxx"]


def test_cut_keeps_everything_and_call_filters():
    tok = Tokenizer(stopwords=True)
    text = "我局高度重视政务公开工作，现将有关情况总结如下。"
    assert "".join(tok.cut(text)) == text
    out = tok(text)
    assert "高度重视" in out and "政务公开" in out
    assert not any(is_punct(t) for t in out)
    assert "将" not in out and "的" not in load_stopwords() - {"的"}


def test_pickles_and_works_after_unpickling():
    tok = Tokenizer(stopwords=True)
    tok("预热")
    clone = pickle.loads(pickle.dumps(tok))
    assert clone == tok
    assert clone("再上新台阶") == ["再上新台阶"]


def test_sklearn_accepts_it():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=Tokenizer(stopwords=True), token_pattern=None, lowercase=False)
    X = vec.fit_transform(["高度重视政务公开工作", "政务公开工作扎实推进", "营造良好氛围"])
    assert X.shape[0] == 3
    assert {"高度重视", "政务公开", "工作", "扎实推进", "营造", "良好氛围"} <= set(vec.vocabulary_)


def test_user_dict_file(tmp_path):
    d = tmp_path / "extra.txt"
    d.write_text("宣传月活动方案 5000 n\n", encoding="utf-8")
    tok = Tokenizer(user_dict=[d.as_posix()])
    assert "宣传月活动方案" in tok("制定宣传月活动方案")


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown tokenizer backend"):
        Tokenizer(backend="nope")("文本")


def test_rjieba_agrees_with_jieba_on_the_bundled_corpus(bundled):
    pytest.importorskip("rjieba")
    j, r = Tokenizer(keep_punct=True), Tokenizer(backend="rjieba", keep_punct=True)
    same = total = 0
    for d in bundled:
        for para in d.text.split("\n"):
            total += 1
            same += j(para) == r(para)
    assert total > 150
    assert same / total > 0.97  # the measured differences are digit ranges: jieba 9 - 10, rjieba 9-10
    assert "再上新台阶" in r("再上新台阶")


# ---- the in-process segmentation memo

_BACKENDS = ["jieba"] + (["rjieba"] if __import__("importlib").util.find_spec("rjieba") else [])


@pytest.mark.parametrize("backend", _BACKENDS)
def test_memo_gives_exactly_the_plain_segmentation(bundled, backend):
    from gkcorpus.text.tokenize import segmentation_memo

    tok = Tokenizer(backend=backend)
    texts = [d.text for d in bundled] + [u.text for u in bundled.units("section")] + ["", "\n\n", "甲\n\n乙 \n丙XX年"]
    plain = [tok.cut(t) for t in texts]
    with segmentation_memo() as memo:
        first = [tok.cut(t) for t in texts]
        second = [tok.cut(t) for t in texts]
    assert first == plain and second == plain
    # every paragraph of the documents was segmented once; sections are made of those paragraphs
    n_paragraphs = len({p for d in bundled for p in d.text.split("\n") if p} | {"甲", "乙 ", "丙XX年"})
    assert memo.misses == n_paragraphs == len(memo)
    assert memo.hits > memo.misses
    assert tok.cut("公开") == ["公开"]  # outside the block: no memo
    from gkcorpus.text.tokenize import active_memo

    assert active_memo() is None


def test_memo_is_seeded_from_known_lengths_and_keeps_configurations_apart(bundled):
    from gkcorpus.text.tokenize import SegmentationMemo, segmentation_memo, token_lengths

    tok = Tokenizer()
    no_dict = Tokenizer(user_dict=False)
    memo = SegmentationMemo()
    for d in bundled:
        memo.add(d.text, token_lengths(tok.cut(d.text)), tok)
    with segmentation_memo(memo):
        assert [tok.cut(d.text) for d in bundled] == [Tokenizer().cut(d.text) for d in bundled]
        assert memo.misses == 0
        other = no_dict.cut(bundled[0].text)  # another dictionary: its own table, segmented afresh
    assert memo.misses > 0 and other == no_dict.cut(bundled[0].text)


def test_jieba_default_tokenizer_gets_the_plain_dictionary_loaded_once():
    """Building the segmenter hands jieba's process-wide tokenizer (used by jieba.posseg) the same
    word frequencies it would load itself: without the domain words, and without a second load."""
    import subprocess
    import sys

    code = (
        "import jieba, logging\n"
        "jieba.setLogLevel(logging.WARNING)\n"
        "from gkcorpus import Tokenizer\n"
        "assert not jieba.dt.initialized\n"
        "print(Tokenizer().cut('推进政务公开'))\n"
        "assert jieba.dt.initialized\n"
        "fresh = jieba.Tokenizer(); fresh.initialize()\n"
        "print(jieba.dt.FREQ == fresh.FREQ, jieba.dt.total == fresh.total, '政务公开' in jieba.dt.FREQ)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["['推进', '政务公开']", "True True False"]


def test_mojibake_word_model_and_segmenter_share_one_dictionary_load():
    """Repairing garbles (cleaning) and then segmenting reads jieba's dictionary once; the repairer
    sees the frequencies and total of jieba's dict.txt."""
    import subprocess
    import sys

    code = (
        "import jieba, math, re\n"
        "calls = []\n"
        "orig = jieba.Tokenizer.initialize\n"
        "jieba.Tokenizer.initialize = lambda self, *a: (calls.append(1), orig(self, *a))[1]\n"
        "import gkcorpus.text.tokenize as T\n"
        "read = T._read_jieba_cache\n"
        "T._read_jieba_cache = lambda tk: (lambda r: (calls.append(1) if r else None, r)[1])(read(tk))\n"
        "from gkcorpus.text.clean.mojibake import _jieba_freq\n"
        "from gkcorpus import Tokenizer\n"
        "freq, log_total = _jieba_freq()\n"
        "print(Tokenizer().cut('推进政务公开'), len(calls), jieba.dt.initialized)\n"
        "with jieba.dt.get_dict_file() as f:\n"
        "    pairs = re.findall(r'^(\\S+) (\\d+)', f.read().decode('utf-8'), re.M)\n"
        "print(all(int(freq.get(w) or 0) == int(c) for w, c in dict(pairs).items()),\n"
        "      log_total == math.log(sum(int(c) for _, c in pairs)), '政务公开' in freq)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["['推进', '政务公开'] 1 True", "True True False"]


def test_jieba_cache_read_whole_or_not_at_all(tmp_path):
    """The dictionary cache is read as jieba writes it, and anything else in its place (no file, a
    truncated or foreign one) is refused, so that jieba builds the dictionary itself."""
    import marshal

    import jieba

    from gkcorpus.text.tokenize import _read_jieba_cache

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path)
    assert _read_jieba_cache(tk) is None
    cache = tmp_path / "jieba.cache"
    cache.write_bytes(marshal.dumps(({"政务": 3, "政": 0}, 3)))
    assert _read_jieba_cache(tk) == ({"政务": 3, "政": 0}, 3)
    cache.write_bytes(marshal.dumps(({"政务": 3}, 3))[:-3])
    assert _read_jieba_cache(tk) is None
    cache.write_bytes(marshal.dumps(["政务", 3]))
    assert _read_jieba_cache(tk) is None

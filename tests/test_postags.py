"""The shared word-tag table: jieba.posseg and the phrase miners tag from the same dictionary."""

import os
import subprocess
import sys

import jieba

from gkcorpus.text.postags import word_tags


def _parse_jieba_dict() -> dict[str, str]:
    """dict.txt as jieba.posseg parses it: the third field of every line."""
    tags = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, _, tag = line.strip().split(" ")
            tags[word] = tag
    return tags


def test_word_tags_is_jieba_dictionary():
    tags = word_tags()
    assert len(tags) == 349045
    assert tags == _parse_jieba_dict()
    assert (tags["国务院"], tags["政府"], tags["增长"]) == ("nt", "n", "v")
    assert word_tags(()) is tags  # read once per process


def test_user_dictionary_adds_and_overrides(tmp_path):
    path = tmp_path / "user.txt"
    path.write_text("试验词甲 5 nz\n国务院 100 n\n# 注释 1 x\n", encoding="utf-8")
    tags = word_tags((str(path),))
    assert tags["试验词甲"] == "nz" and tags["国务院"] == "n"
    assert len(tags) == len(word_tags()) + 1
    assert "试验词甲" not in word_tags() and word_tags()["国务院"] == "nt"  # the base table is untouched


def _run(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout


def test_posseg_tags_as_jieba_posseg_does():
    """In fresh interpreters: jieba.posseg imported through posseg() holds a copy of the shared table
    and tags as jieba.posseg imported on its own (which parses dict.txt itself)."""
    text = "国务院要求北京市政府增长百分之七"
    shared = _run("from gkcorpus.text.postags import posseg, word_tags\n"
                  "m = posseg()\n"
                  "assert m.dt.word_tag_tab == word_tags() and m.dt.word_tag_tab is not word_tags()\n"
                  f"print([(w.word, w.flag) for w in m.cut({text!r})])\n")
    own = _run(f"import jieba.posseg as m\nprint([(w.word, w.flag) for w in m.cut({text!r})])\n")
    assert shared == own
    assert shared.strip() == "[('国务院', 'nt'), ('要求', 'v'), ('北京市政府', 'nt'), ('增长', 'v'), ('百分之七', 'm')]"


def test_posseg_gives_jiebas_tokenizer_the_frequencies_already_read():
    """posseg() hands jieba's process-wide tokenizer (which jieba.posseg cuts with) a copy of the word
    frequencies the process has read, instead of letting it read jieba's cache a second time: the same
    table and total as jieba's own initialisation, before any text is cut."""
    out = _run("import jieba\n"
               "from gkcorpus.text.postags import posseg\n"
               "from gkcorpus.text.tokenize import default_jieba_dictionary\n"
               "assert not jieba.dt.initialized\n"
               "posseg()\n"
               "freq, total = default_jieba_dictionary()\n"
               "fresh = jieba.Tokenizer()\n"
               "fresh.initialize()\n"
               "print(jieba.dt.initialized, jieba.dt.FREQ == fresh.FREQ, jieba.dt.total == fresh.total,\n"
               "      jieba.dt.FREQ is not freq, len(jieba.dt.FREQ) > 349045)\n")
    assert out.split() == ["True"] * 5

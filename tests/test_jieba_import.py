"""jieba imported without pkg_resources: the same data files, the same segmentation and tags."""

import os
import subprocess
import sys


def _run(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, env=env,
                          check=True).stdout


_TEXT = "国务院要求北京市政府增长百分之七，稳中求进"
_CUT = ("import jieba.posseg as p\n"
        "print(jieba.lcut(_T), jieba.lcut(_T, HMM=True), [(w.word, w.flag) for w in p.cut(_T)])\n"
        "print(jieba.finalseg.start_P)\n")


def test_import_jieba_without_pkg_resources():
    """In fresh interpreters: import_jieba() leaves pkg_resources unimported and jieba opens its files
    by path; its HMM tables, segmentation and tags are those of a plain ``import jieba`` (which uses
    pkg_resources when it can)."""
    ours = _run(f"import sys\nfrom gkcorpus.text.jieba_import import import_jieba\njieba = import_jieba()\n"
                f"print('pkg_resources' in sys.modules, sys.modules.get('pkg_resources', 0))\n"
                f"_T = {_TEXT!r}\n{_CUT}")
    plain = _run(f"import sys\nimport jieba\nprint('pkg_resources' in sys.modules)\n_T = {_TEXT!r}\n{_CUT}")
    first, rest = ours.split("\n", 1)
    assert first == "False 0"
    assert plain.split("\n", 1)[0] == "True"  # setuptools installed: a plain import loads pkg_resources
    assert rest == plain.split("\n", 1)[1]
    assert "'国务院', '要求', '北京市政府'" in rest
    assert "{'B': -0.26268660809250016" in rest


def test_import_jieba_after_pkg_resources():
    """pkg_resources already imported: jieba is imported as it is, through it."""
    out = _run("import pkg_resources, sys\nfrom gkcorpus.text.jieba_import import import_jieba\n"
               "jieba = import_jieba()\nprint(sys.modules['pkg_resources'] is pkg_resources, "
               "jieba._compat.get_module_res.__code__.co_names)\n")
    assert out.startswith("True ('pkg_resources', 'resource_stream'")

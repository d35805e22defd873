"""The saved notebooks match their sources, carry outputs without errors or absolute paths, and
notebook 05 ran on the reports (through ``gkcorpus.datasets``) and says once what to do without them.

Every notebook also runs top to bottom (``slow``; notebook 05 needs the mirror in ../shared, ``shared``),
and the fast tests guard a notebook saved stale (its source edited, not rebuilt) and the offline case.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
SOURCES = sorted((NOTEBOOKS / "src").glob("*.py"))


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", REPO / "scripts" / "build_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def builder():
    return _builder()


def test_every_source_has_a_notebook():
    stems = [s.stem for s in SOURCES]
    assert stems[:5] == ["01_corpus_tour", "02_tfidf_and_clustering", "03_boilerplate_and_phrasebank",
                         "04_templates", "05_further_texts"]
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == stems


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_saved_notebook_matches_its_source_and_has_outputs(src, builder):
    nb = json.loads((NOTEBOOKS / f"{src.stem}.ipynb").read_text(encoding="utf-8"))
    want = builder.parse_percent(src.read_text(encoding="utf-8"))
    got = [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]
    assert got == [(c.cell_type, c.source) for c in want], "notebook is stale: run scripts/build_notebooks.py"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "saved without running every cell"
    assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert sum(bool(c["outputs"]) for c in code) >= len(code) // 2
    text = json.dumps(nb, ensure_ascii=False)
    for absolute in (str(REPO), str(REPO.parent), "/tmp/", "/home/"):
        assert absolute not in text


def test_saved_notebook_06_dates_the_formulae_on_the_reports():
    """Notebook 06's saved outputs come from a run on the reports: the five spans and the succession."""
    nb = json.loads((NOTEBOOKS / "06_formula_timelines.ipynb").read_text(encoding="utf-8"))
    outputs = json.dumps([c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"], ensure_ascii=False)
    assert "could not be fetched" not in outputs and "Corpus(50 documents" in outputs
    for line in ("以经济建设为中心: 1981–2016 in 13 reports", "全面建设小康社会: 2003–2011", "全面建成小康社会: 2011–2018",
                 "坚持稳中求进工作总基调: 2014–2018", "与时俱进: 2002–2007"):
        assert line in outputs, line
    assert "全面建设小康社会" in outputs and "image/png" in outputs


def test_saved_notebook_05_ran_on_the_reports():
    """The saved outputs of notebook 05 are those of a run that had the reports, not of the fallback."""
    nb = json.loads((NOTEBOOKS / "05_further_texts.ipynb").read_text(encoding="utf-8"))
    outputs = json.dumps([c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"], ensure_ascii=False)
    assert "skipped" not in outputs and "could not be fetched" not in outputs and "Warning" not in outputs
    assert "national reports: 50 raw files" in outputs and "Corpus(50 documents, 999,483 characters)" in outputs


def test_notebook_05_without_network_or_mirror_says_so_once(tmp_path, builder, monkeypatch):
    """With an empty mirror (no files, no network), the first cell says what to do and the others print nothing."""
    import nbformat
    from nbclient import NotebookClient

    empty = tmp_path / "mirror"
    empty.mkdir()
    monkeypatch.setenv("GKCORPUS_DATA_MIRROR", str(empty))
    monkeypatch.setenv("GKCORPUS_DATA", str(tmp_path / "data"))
    where = tmp_path / "clone" / "notebooks"
    where.mkdir(parents=True)
    src = NOTEBOOKS / "src" / "05_further_texts.py"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = builder.parse_percent(src.read_text(encoding="utf-8"))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(where)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    outputs = ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in code]
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert outputs[0].startswith("the national reports could not be fetched (")
    assert "not in the mirror ($GKCORPUS_DATA_MIRROR)" in outputs[0]
    assert "set GKCORPUS_DATA_MIRROR" in outputs[0]
    assert outputs[1:] == [""] * (len(code) - 1)


@pytest.mark.slow
@pytest.mark.parametrize("src", [pytest.param(s, marks=pytest.mark.shared) if s.stem.startswith(("05", "06")) else s
                                 for s in SOURCES], ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(src, builder, tmp_path, monkeypatch, request):
    """Each notebook, rebuilt from its source, runs without an error (05 fetches the reports from the mirror)."""
    import nbformat
    from nbclient import NotebookClient

    if src.stem.startswith(("05", "06")):
        monkeypatch.setenv("GKCORPUS_DATA_MIRROR", str(request.getfixturevalue("shared_corpora")))
        monkeypatch.setenv("GKCORPUS_DATA", str(tmp_path / "data"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = builder.parse_percent(src.read_text(encoding="utf-8"))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]

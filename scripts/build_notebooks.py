"""Build the notebooks in notebooks/ from their sources in notebooks/src/ and execute them.

Sources are plain Python in the "percent" format: a line ``# %%`` starts a code cell and
``# %% [markdown]`` a Markdown cell (its lines start with ``# ``). Notebooks are saved with
their outputs, run from the notebooks/ folder (so no absolute paths are stored), kernel python3.

    python scripts/build_notebooks.py            # all
    python scripts/build_notebooks.py 01 03      # those whose name starts with 01 or 03
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"


def parse_percent(text: str) -> list[nbformat.NotebookNode]:
    """Cells from a percent-format source."""
    cells: list[nbformat.NotebookNode] = []
    kind, lines = None, []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(body))
        elif body:
            cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def build(src: Path, execute: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = parse_percent(src.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb.cells):  # stable ids: a rebuild with the same outputs is byte-identical
        cell["id"] = f"{src.stem[:2]}-{i:03d}"
    if execute:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(OUT)}}).execute()
    out = OUT / f"{src.stem}.ipynb"
    nbformat.write(nb, out)
    return out


def main(argv: list[str]) -> int:
    for src in sorted(SRC.glob("*.py")):
        if argv and not any(src.stem.startswith(a) for a in argv):
            continue
        print(f"building {src.name} …", flush=True)
        print(f"  wrote {build(src).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

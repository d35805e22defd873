"""The package's import structure: layers import only downwards, and no module is part of an import cycle.

The layers are declared once, in ``[tool.importlinter]`` of ``pyproject.toml``; a change that imports
upwards (say, a runtime module importing from ``cli``) or adds a module outside the declared layers
fails here. Cycles are checked on the whole module graph, including inside one subpackage, which
the layers contract does not look at.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def _graph() -> dict[str, set[str]]:
    g = grimp.build_graph("gkcorpus", cache_dir=None)
    return {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(edges) + 100))
    try:
        for v in sorted(edges):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_layers_contract_is_kept():
    # In a child process: import-linter's command puts the working directory on sys.path.
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True, no_logo=True))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_no_module_is_part_of_an_import_cycle():
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert _cycles(edges) == [["a", "b", "c"]]


MAX_MODULE_LINES = 850
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_stay_small():
    """No module over about 800 lines; no function over 80 lines unless its docstring says why it is
    kept whole ("Kept whole because ...")."""
    import ast

    big_modules, long_functions = [], []
    for path in sorted((ROOT / "src" / "gkcorpus").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        if len(text.splitlines()) > MAX_MODULE_LINES:
            big_modules.append(rel)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES and "Kept whole" not in (ast.get_docstring(node) or ""):
                    long_functions.append(f"{rel}:{node.name} ({n} lines)")
    assert big_modules == []
    assert long_functions == []

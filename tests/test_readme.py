"""The README is true: its Python blocks run as written, its console examples print what it shows,
and its command-line reference is the one the parsers generate.

A console block is a sequence of ``$ gkcorpus …`` commands, each followed by its expected output. The
expected lines must appear in order; a line ``…`` stands for any number of lines, ``…`` inside a line
for any text, and a duration such as ``3.0 s`` for any duration (the machine decides those).
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
SLOW_COMMANDS = {"mine", "cluster"}


def _marks(text: str, slow: bool) -> list:
    """``shared`` for examples on the datasets (fetched from the mirror in ../shared), ``slow`` when asked."""
    return ([pytest.mark.slow] if slow else []) + ([pytest.mark.shared] if "datasets" in text else [])


def _datasets_from_mirror(request, monkeypatch, tmp_path, text: str) -> None:
    if "datasets" in text:
        monkeypatch.setenv("GKCORPUS_DATA_MIRROR", str(request.getfixturevalue("shared_corpora")))
        monkeypatch.setenv("GKCORPUS_DATA", str(tmp_path / "data"))


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.M | re.S)


def console_examples() -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) of every ``$ gkcorpus`` example."""
    out: list[tuple[str, list[str]]] = []
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            elif out:
                out[-1][1].append(line)
    return [(cmd, [l for l in lines if l.strip()] if lines else []) for cmd, lines in out]


def _line_pattern(line: str) -> re.Pattern:
    parts = re.split(r"(…|\d+(?:\.\d+)? s\b)", line.rstrip())
    rx = "".join(".*?" if p == "…" else r"\d+(?:\.\d+)? s" if re.fullmatch(r"\d+(?:\.\d+)? s", p) else re.escape(p)
                 for p in parts)
    return re.compile(rx + r"\s*$")


def matches(expected: list[str], got: list[str]) -> str | None:
    """None when ``got`` shows ``expected`` (see the module docstring), else the first expected line not found."""
    i = 0
    skip = False
    for want in expected:
        if want.strip() == "…":
            skip = True
            continue
        rx = _line_pattern(want)
        while i < len(got) and not rx.match(got[i].rstrip()):
            if not skip:
                return want
            i += 1
        if i == len(got):
            return want
        i += 1
        skip = False
    return None


def test_the_matcher_is_strict_where_it_should_be():
    assert matches(["a 1.5 s", "…", "c…d"], ["a 12.0 s", "x", "y", "c and d"]) is None
    assert matches(["a", "c"], ["a", "b", "c"]) == "c"  # no skipping without …
    assert matches(["a 1.5 s"], ["a 1.5 min"]) == "a 1.5 s"
    assert matches(["wrote 42 files"], ["wrote 41 files"]) == "wrote 42 files"


def test_readme_has_examples():
    assert len(blocks("python")) >= 2 and len(console_examples()) >= 6


@pytest.mark.parametrize("command, expected", [
    pytest.param(cmd, exp, marks=_marks(cmd, shlex.split(cmd)[1] in SLOW_COMMANDS), id=cmd[:40])
    for cmd, exp in console_examples()
])
def test_console_example_prints_what_the_readme_shows(command, expected, tmp_path, monkeypatch, capsys, request):
    from gkcorpus.cli import main

    _datasets_from_mirror(request, monkeypatch, tmp_path, command)
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command)
    assert argv[0] == "gkcorpus"
    assert main(argv[1:]) == 0
    captured = capsys.readouterr()
    got = (captured.out + captured.err).splitlines()
    missing = matches(expected, got)
    assert missing is None, f"README line not printed by {command!r}: {missing!r}\n--- printed:\n" + "\n".join(got)


@pytest.mark.parametrize("index", [pytest.param(i, marks=_marks(code, True)) for i, code in enumerate(blocks("python"))])
def test_python_block_runs_as_written(index, tmp_path, monkeypatch, request):
    code = blocks("python")[index]
    _datasets_from_mirror(request, monkeypatch, tmp_path, code)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md python block {index + 1}", "exec"), {"__name__": "readme"})


def test_cli_reference_is_generated_from_the_parsers():
    spec = importlib.util.spec_from_file_location("cli_reference", REPO / "scripts" / "cli_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.rendered(README) == README, "stale: run python scripts/cli_reference.py"

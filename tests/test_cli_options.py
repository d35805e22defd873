"""One command-line language: -o/--output on every command that writes, one default rule, no corpus
options where no corpus is read, and --version naming the libraries that decide the results."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest

from gkcorpus.cli import build_parser, main


def leaves(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = leaves(sub, f"{prefix}{name} ")
                out.update(inner or {f"{prefix}{name}": sub})
    return out


COMMANDS = leaves(build_parser())
READ_ONLY = {"info", "datasets list"}
FOLDERS = {"clean": "gkcorpus-out/clean", "cluster": "gkcorpus-out/clusters", "phrases": "gkcorpus-out/phrases",
           "reuse": "gkcorpus-out/reuse", "keyness": "gkcorpus-out/keyness", "templates mine": "gkcorpus-out/templates",
           "templates match": "gkcorpus-out/templates", "templates extract": "gkcorpus-out/frames", "trends": "gkcorpus-out/trends", "mine": "gkcorpus-out"}


def options(sub: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {s: a for a in sub._actions for s in a.option_strings}


def test_the_commands():
    assert sorted(COMMANDS) == ["clean", "cluster", "datasets fetch", "datasets list", "info", "keyness", "kwic", "mine",
                                "phrases", "reuse", "templates extract", "templates fill", "templates match",
                                "templates mine", "templates skeleton", "trends"]


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - READ_ONLY))
def test_every_command_that_writes_takes_o_and_output(name):
    opts = options(COMMANDS[name])
    assert opts["-o"] is opts["--output"]
    want = FOLDERS.get(name)  # a folder defaults to where 'gkcorpus mine' writes the same files; a file has no default
    assert opts["-o"].default == want and opts["-o"].required is False


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_commands_that_only_read_have_no_output(name):
    assert "-o" not in options(COMMANDS[name])


def test_only_commands_that_read_a_corpus_list_corpus_options():
    no_corpus = {name for name, sub in COMMANDS.items() if "--glob" not in options(sub)}
    assert no_corpus == {"templates fill", "datasets list", "datasets fetch"}


def test_reuse_writes_to_the_default_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["reuse", "--no-near"]) == 0
    assert sorted(p.name for p in (tmp_path / "gkcorpus-out" / "reuse").iterdir()) == [
        "formulaicness.csv", "formulaicness_sentences.csv", "reuse.json", "reuse_matrix.csv"]


def test_version_names_the_libraries(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    import gkcorpus

    assert capsys.readouterr().out == (f"gkcorpus {gkcorpus.__version__} (jieba {version('jieba')}, "
                                       f"scikit-learn {version('scikit-learn')}, numpy {version('numpy')})\n")


def _stderr_of(argv: list[str], cwd, tty: bool) -> str:
    """What a ``gkcorpus`` run writes to stderr when that is a terminal (a pseudo-terminal, 100 columns) or a pipe."""
    import os
    import subprocess
    import sys
    import threading

    cmd = [sys.executable, "-m", "gkcorpus", *argv]
    if not tty:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=600, check=True).stderr.decode()
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=slave, timeout=600, check=True)
    os.close(slave)
    reader.join(5)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_bars_on_a_terminal_only(tmp_path):
    argv = ["reuse", "--no-near", "-o", "out"]
    assert _stderr_of(argv, tmp_path, tty=False) == ""
    shown = _stderr_of(argv, tmp_path, tty=True)
    assert "phrases: tokenize:   0%|" in shown and "0/15 [00:00<?, ?doc/s]" in shown, shown

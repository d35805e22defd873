"""The command line: info, clean, kwic, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gkcorpus.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_info_on_bundled(capsys):
    code, out, err = run(capsys, "info")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "documents: 15"
    assert "encodings: utf-8 15" in out
    assert "summary-15" in out and "政务公开活动总结15" in out


def test_info_json_fields(capsys):
    code, out, _ = run(capsys, "info", "--json")
    assert code == 0
    recs = [json.loads(l) for l in out.splitlines()]
    assert [r["id"] for r in recs] == [f"summary-{i:02d}" for i in range(1, 16)]
    r1 = recs[0]
    assert {"id", "title", "chars", "encoding", "cleaning", "headings"} <= set(r1)
    assert r1["title"] == "政务公开活动总结1" and r1["encoding"] == "utf-8"
    assert r1["headings"][:2] == [{"level": 1, "marker": "一、", "text": "主要做法"},
                                  {"level": 1, "marker": "二、", "text": "工作成效"}]
    # 3,406 glosses on the page: 3,287 in the bodies, 60 in title lines, 59 in the page chrome
    assert sum(r["cleaning"]["pinyin"] for r in recs) == 3287
    assert sum(r["cleaning"]["mojibake"] for r in recs) == 25
    assert sum(r["cleaning"]["watermark"] for r in recs) == 15


def test_clean_writes_one_file_per_document(capsys, tmp_path):
    code, out, _ = run(capsys, "clean", "-o", str(tmp_path / "out"))
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "out").glob("*.txt"))
    assert files == [f"summary-{i:02d}.txt" for i in range(1, 16)]
    t = (tmp_path / "out" / "summary-01.txt").read_text(encoding="utf-8")
    assert t.startswith("按照《XX人民政府办公室关于印发XX20xx年政务公开宣传月活动方案的通知》")
    assert t.splitlines()[1] == "一、主要做法"
    report = json.loads((tmp_path / "out" / "cleaning_report.json").read_text(encoding="utf-8"))
    assert report[0]["id"] == "summary-01" and report[0]["file"] == "summary-01.txt"


def test_kwic(capsys):
    code, out, _ = run(capsys, "kwic", "再上新台阶")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[-1] == "5 matches in 5 of 15 documents"
    assert [l.split()[0] for l in lines[:-1]] == ["summary-01", "summary-09", "summary-10", "summary-11", "summary-15"]


@pytest.mark.parametrize(
    "setup, expect",
    [
        ("missing", "no such file or directory"),
        ("empty", "empty file"),
        ("binary", "binary file (PNG image), not text"),
        ("jsonl", ":2: malformed JSON"),
        ("csv", ":1: no 'text' column"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(capsys, tmp_path, setup, expect):
    p = tmp_path / {"missing": "nope.txt", "empty": "e.txt", "binary": "b.txt", "jsonl": "d.jsonl", "csv": "d.csv"}[setup]
    if setup == "empty":
        p.write_bytes(b"")
    elif setup == "binary":
        p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    elif setup == "jsonl":
        p.write_text('{"text": "一"}\n{"text": \n{"text": "三"}\n', encoding="utf-8")
    elif setup == "csv":
        p.write_text("id,body\n1,正文\n", encoding="utf-8")
    code, out, err = run(capsys, "info", str(p))
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"gkcorpus: error: {p}")
    assert expect in err
    assert "Traceback" not in err


def test_skip_bad_continues_and_reports(capsys, tmp_path):
    (tmp_path / "a.txt").write_text("一、主要做法\n高度重视。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    code, out, err = run(capsys, "info", str(tmp_path), "--skip-bad")
    assert code == 0
    assert "documents: 1" in out
    assert f"skipped {tmp_path / 'b.txt'}: empty file" in err


def test_clean_refuses_an_output_path_that_is_a_file(capsys, tmp_path):
    f = tmp_path / "taken"
    f.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "clean", "-o", str(f))
    assert code == 1 and "exists and is a file" in err
    assert f.read_text(encoding="utf-8") == "keep me"


def test_console_script_runs():
    r = subprocess.run([sys.executable, "-m", "gkcorpus", "info", "/nonexistent/x.txt"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr == "gkcorpus: error: /nonexistent/x.txt: no such file or directory\n"


def test_an_interrupt_outside_the_command_still_ends_with_its_status(monkeypatch, capsys):
    """Ctrl-C while the arguments are read (before the command's own handler) is an interrupted run too:
    status 130 and the one-line message, no traceback; SIGTERM's 143 likewise."""
    import gkcorpus.cli as cli

    def parse_interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", lambda: type("P", (), {"parse_args": staticmethod(parse_interrupted)})())
    assert cli.main(["mine"]) == 130
    assert capsys.readouterr().err == "gkcorpus: interrupted; files already written are complete, none is half-written\n"

    def parse_terminated(argv):
        raise cli.Terminated

    monkeypatch.setattr(cli, "build_parser", lambda: type("P", (), {"parse_args": staticmethod(parse_terminated)})())
    assert cli.main(["mine"]) == 143
    assert capsys.readouterr().err.startswith("gkcorpus: terminated;")


def test_the_program_exits_with_the_status_and_ignores_a_late_signal(monkeypatch, capsys):
    """``gkcorpus`` (the console script, ``python -m gkcorpus``) exits with main's status; from then on
    Ctrl-C and SIGTERM are ignored, so a signal during the interpreter's shutdown cannot end the process
    by the signal instead."""
    import gc
    import signal

    import gkcorpus.cli as cli

    monkeypatch.setattr(sys, "argv", ["gkcorpus", "info"])
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with pytest.raises(SystemExit) as e:
            cli.program()
        assert e.value.code == 0 and "documents: 15" in capsys.readouterr().out
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN and signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        for s, h in saved.items():
            signal.signal(s, h)
        gc.unfreeze()
    r = subprocess.run([sys.executable, "-m", "gkcorpus", "info"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("documents: 15")


def test_a_signal_while_the_program_starts_ignoring_signals_is_no_traceback(monkeypatch, capsys):
    """A Ctrl-C caught in the instants between the command's end and the signals being ignored (raised by
    the first ``signal.signal`` call) neither escapes as a traceback nor changes a decided status; for a
    command that ended with an exception it is an interrupted run (130, the one-line message)."""
    import signal

    import gkcorpus.cli as cli

    calls: list[tuple[int, object]] = []

    def signal_interrupted_once(signum, handler):
        calls.append((signum, handler))
        if len(calls) == 1:
            raise KeyboardInterrupt
        return None

    monkeypatch.setattr(signal, "signal", signal_interrupted_once)
    assert cli._ignore_signals(0) == 0
    assert capsys.readouterr().err == ""
    assert calls == [(signal.SIGINT, signal.SIG_IGN), (signal.SIGINT, signal.SIG_IGN), (signal.SIGTERM, signal.SIG_IGN)]
    calls.clear()
    assert cli._ignore_signals(None) == 130
    assert capsys.readouterr().err == "gkcorpus: interrupted; files already written are complete, none is half-written\n"
    assert calls[-2:] == [(signal.SIGINT, signal.SIG_IGN), (signal.SIGTERM, signal.SIG_IGN)]


def test_an_interrupt_that_passed_through_pyrun_string_still_exits_with_130(tmp_path):
    """CPython kills a ``python -m`` process with SIGINT at its exit, whatever its status, once a Ctrl-C
    has passed out of code an extension ran with ``PyRun_String`` (some do, mid-run). The program ends
    with 130 and the one-line message all the same (it died with -2 before)."""
    import os
    from pathlib import Path as _Path

    import gkcorpus

    pkg = tmp_path / "interrupted_in_pyrun"
    pkg.mkdir()
    (pkg / "__main__.py").write_text(
        "import ctypes\n"
        "import sys\n"
        "import gkcorpus.cli as cli\n"
        "run = ctypes.pythonapi.PyRun_String\n"
        "run.restype = ctypes.py_object\n"
        "run.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.py_object, ctypes.py_object]\n"
        "def parse_args(argv):\n"
        "    run(b'raise KeyboardInterrupt', 257, {}, {})  # 257: a module's code (Py_file_input)\n"
        "cli.build_parser = lambda: type('P', (), {'parse_args': staticmethod(parse_args)})()\n"
        "sys.argv = ['gkcorpus', 'info']\n"
        "cli.program()\n", encoding="utf-8")
    src = str(_Path(gkcorpus.__file__).parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), src]))
    r = subprocess.run([sys.executable, "-m", "interrupted_in_pyrun"], capture_output=True, text=True, env=env)
    assert (r.returncode, r.stderr) == (
        130, "gkcorpus: interrupted; files already written are complete, none is half-written\n")


def test_an_interrupt_wrapped_by_the_code_it_hit_is_an_interrupted_run(monkeypatch, capsys):
    """Ctrl-C during an import can reach the command wrapped in another exception (Python 3.11 wraps one raised
    in a class body's ``__set_name__`` in a RuntimeError): still status 130 and the one-line message; any other
    error still propagates."""
    import gkcorpus.cli as cli
    import gkcorpus.cli.info_cmd as info_cmd

    def wrapped(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:
            raise RuntimeError("Error calling __set_name__") from e

    monkeypatch.setattr(info_cmd, "run", wrapped)
    assert cli.main(["info"]) == 130
    assert capsys.readouterr().err == "gkcorpus: interrupted; files already written are complete, none is half-written\n"

    def other(args):
        raise RuntimeError("not an interrupt")

    monkeypatch.setattr(info_cmd, "run", other)
    with pytest.raises(RuntimeError, match="not an interrupt"):
        cli.main(["info"])


def test_sigterm_raises_only_while_the_command_runs(monkeypatch, capsys):
    """In a session that goes on (a notebook, a test), ``main(argv)`` hands SIGTERM back as it found it,
    whether the command ends, fails, is terminated or raises: a process the session forks later (a
    multiprocessing pool's worker) must end on SIGTERM, not raise ``Terminated``. Run as the program
    (``argv`` None) the handler stays, so that no SIGTERM takes the default action before ``program()``
    ignores the signal."""
    import os
    import signal

    import gkcorpus.cli as cli
    import gkcorpus.cli.info_cmd as info_cmd

    def mark(signum, frame):  # the session's own handler
        pass

    saved = signal.signal(signal.SIGTERM, mark)
    try:
        during = []
        real = info_cmd.run

        def record(args):
            during.append(signal.getsignal(signal.SIGTERM))
            return real(args)

        monkeypatch.setattr(info_cmd, "run", record)
        assert cli.main(["info"]) == 0 and "documents: 15" in capsys.readouterr().out
        assert during == [cli._on_sigterm] and signal.getsignal(signal.SIGTERM) is mark
        assert cli.main(["info", "/nonexistent/x.txt"]) == 1
        assert capsys.readouterr().err.startswith("gkcorpus: error: /nonexistent/x.txt")
        assert signal.getsignal(signal.SIGTERM) is mark

        def terminated(args):
            os.kill(os.getpid(), signal.SIGTERM)
            return 0

        monkeypatch.setattr(info_cmd, "run", terminated)
        assert cli.main(["info"]) == 143
        assert capsys.readouterr().err == "gkcorpus: terminated; files already written are complete, none is half-written\n"
        assert signal.getsignal(signal.SIGTERM) is mark

        def boom(args):
            raise RuntimeError("not an interrupt")

        monkeypatch.setattr(info_cmd, "run", boom)
        with pytest.raises(RuntimeError):
            cli.main(["info"])
        assert signal.getsignal(signal.SIGTERM) is mark

        monkeypatch.setattr(info_cmd, "run", real)
        monkeypatch.setattr(sys, "argv", ["gkcorpus", "info"])
        try:
            assert cli.main() == 0
            assert signal.getsignal(signal.SIGTERM) is cli._on_sigterm
        finally:
            import gc

            gc.unfreeze()
    finally:
        signal.signal(signal.SIGTERM, saved)

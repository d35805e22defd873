"""Killing ``gkcorpus mine`` partway (SIGTERM, SIGKILL, Ctrl-C) leaves earlier outputs whole.

A first run writes a complete output folder; a second run on a larger corpus is killed while it
writes into the same folder. Every file under a final name must then be complete (it parses) and
be either the first run's version or the second run's; SIGTERM and SIGINT also leave no temp files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gkcorpus.base.io import read_bundled_page

pytestmark = pytest.mark.slow  # whole mine runs in subprocesses, killed at set moments


def _corpus_folder(root: Path, copies: int) -> Path:
    """``copies`` perturbed copies of the fifteen summaries (numbers changed), as .txt files."""
    root.mkdir(parents=True)
    for k in range(copies):
        for d in read_bundled_page():
            text = re.sub(r"\d+", lambda m: str(int(m.group()) + k), d.raw)
            (root / f"{d.id}-{k:02d}.txt").write_text(text, encoding="utf-8")
    return root


def _complete(p: Path) -> bool:
    data = p.read_bytes()
    if p.suffix == ".json":
        json.loads(data)
    elif p.suffix == ".csv":
        list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return data.endswith(b"\n")
    elif p.suffix == ".png":
        return data.startswith(b"\x89PNG") and data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82")
    elif p.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    elif p.suffix in (".txt", ".md"):
        return data.endswith(b"\n") and data.decode("utf-8") is not None
    elif p.suffix == ".xlsx":
        import zipfile

        return zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    return True


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file() and not p.name.endswith(".tmp")}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("interrupt") / "out"
    r = subprocess.run([sys.executable, "-m", "gkcorpus", "mine", "-o", str(out), "--format", "json,csv,md"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out, _snapshot(out)


@pytest.mark.parametrize("sig, code, message", [
    (signal.SIGTERM, 143, "gkcorpus: terminated; files already written are complete, none is half-written"),
    (signal.SIGINT, 130, "gkcorpus: interrupted; files already written are complete, none is half-written"),
    (signal.SIGKILL, -9, None),
])
@pytest.mark.parametrize("delay", [0.5, 3.0])
def test_killed_run_leaves_only_complete_files(tmp_path, first_run, sig, code, message, delay):
    import shutil

    base, before = first_run
    out = tmp_path / "out"
    shutil.copytree(base, out)
    # ten copies: still running at the later signal (a signal after the new run is swapped in, while the
    # process exits, finds a complete new run, not the first one)
    src = _corpus_folder(tmp_path / "src", copies=10)
    proc = subprocess.Popen([sys.executable, "-m", "gkcorpus", "mine", str(src), "-o", str(out), "--format", "json,csv,md"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until the run is working (its first stage line), however slow the machine is to start it.
    first = proc.stderr.readline()
    assert first.startswith("gkcorpus: "), first
    time.sleep(delay)
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=120)
    err = first + rest
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal")  # a much faster machine
    assert proc.returncode == code, err  # what the run printed, to tell where the signal landed
    if message:
        assert err.strip().splitlines()[-1] == message
        assert "Traceback" not in err
        assert not list(out.rglob("*.tmp")), "temporary files left behind"
    after = _snapshot(out)
    assert set(before) <= set(after)  # nothing earlier was deleted
    for rel, data in after.items():
        assert _complete(out / rel), f"{rel} is not a complete file"

"""`gkcorpus mine` against segmentation alone: one table, every measurement in its own process.

    python benchmarks/bench_speed.py                     # bundled, national, a quarter of national
    python benchmarks/bench_speed.py --with-10m          # and the 10 M scale-up (scale_corpus.py)
    python benchmarks/bench_speed.py --segmenter rjieba  # the ratio against rjieba

For each corpus, in one run (the machine is shared: compare within a row, not across runs):

* **segment**: the segmenter alone on every document's clean text (jieba precise mode, the
  project's user dictionary, no cache), after the corpus is loaded (loading is not timed);
* **mine**: ``gkcorpus mine PATH -o DIR --no-cache`` as a user runs it (reading, cleaning,
  segmenting and every stage), wall time of the command, and its stage timings;
* **ratio** = mine / segment, and the peak resident memory of each process (children included).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REPORTS = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"
DATA = Path(tempfile.gettempdir()) / "gkcorpus-bench"

CHILD_SEGMENT = r"""
import json, resource, sys, time
import gkcorpus
from gkcorpus import Tokenizer
path, segmenter = sys.argv[1], sys.argv[2]
corpus = gkcorpus.load_bundled() if path == "-" else gkcorpus.load([path])
tok = Tokenizer(backend=segmenter)
tok.cut("预热")  # dictionary loading is not segmentation
t = time.perf_counter()
n = sum(len(tok.cut(d.text)) for d in corpus)
dt = time.perf_counter() - t
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": dt, "tokens": n, "chars": corpus.n_chars, "docs": len(corpus), "rss_kb": rss}))
"""

CHILD_MINE = r"""
import json, resource, sys, time, contextlib, io
from gkcorpus.cli import main
path, out, segmenter = sys.argv[1], sys.argv[2], sys.argv[3]
args = ["mine"] + ([] if path == "-" else [path]) + ["-o", out, "--no-cache", "--segmenter", segmenter]
buf = io.StringIO()
t = time.perf_counter()
with contextlib.redirect_stdout(buf):
    rc = main(args)
dt = time.perf_counter() - t
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
line = next((l for l in buf.getvalue().splitlines() if l.startswith("mined ")), "")
print(json.dumps({"rc": rc, "seconds": dt, "rss_kb": rss, "line": line}))
"""


def quarter(path: Path, out: Path) -> Path:
    """Every fourth report of ``path`` (by line), so a quarter of the text of the same eras."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[::4]), encoding="utf-8")
    return out


def run_child(code: str, *args: str) -> dict:
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=os.environ.copy())
    if r.returncode != 0:
        raise SystemExit(f"child failed ({args}): {r.stderr.strip().splitlines()[-1] if r.stderr else r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segmenter", default="jieba", choices=("jieba", "rjieba"))
    ap.add_argument("--with-10m", action="store_true", help="also the 10 M scale-up (built by scale_corpus.py)")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args(argv)
    corpora: list[tuple[str, str]] = [("bundled", "-")]
    if REPORTS.exists():
        corpora.append(("national/4", str(quarter(REPORTS, args.data / "gwr_national_quarter.jsonl"))))
        corpora.append(("national", str(REPORTS)))
    else:
        print(f"(no {REPORTS}: the national reports are skipped)")
    if args.with_10m:
        big = args.data / "gwr_scale_10M.jsonl"
        if not big.exists():
            subprocess.run([sys.executable, str(HERE / "scale_corpus.py"), "--chars", "10M", "--out", str(args.data)],
                           check=True)
        corpora.append(("10M", str(big)))
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start; "
          f"segmenter {args.segmenter}; {time.strftime('%Y-%m-%d %H:%M')}")
    header = f"{'corpus':<11} {'chars':>11} {'segment s':>10} {'mine s':>8} {'ratio':>6} {'seg MB':>7} {'mine MB':>8}  stages"
    print(header)
    rows = []
    for name, path in corpora:
        seg = run_child(CHILD_SEGMENT, path, args.segmenter)
        with tempfile.TemporaryDirectory() as tmp:
            mine = run_child(CHILD_MINE, path, str(Path(tmp) / "out"), args.segmenter)
        stages = mine["line"].split(" (", 1)[1].rstrip(")") if " (" in mine["line"] else ""
        ratio = mine["seconds"] / seg["seconds"] if seg["seconds"] else float("nan")
        rows.append({"corpus": name, **{f"segment_{k}": v for k, v in seg.items()},
                     **{f"mine_{k}": v for k, v in mine.items()}, "ratio": ratio})
        print(f"{name:<11} {seg['chars']:>11,} {seg['seconds']:>10.1f} {mine['seconds']:>8.1f} {ratio:>6.1f} "
              f"{seg['rss_kb'] / 1024:>7.0f} {mine['rss_kb'] / 1024:>8.0f}  {stages}")
    by = {r["corpus"]: r for r in rows}
    if "national" in by and "national/4" in by:
        a, b = by["national/4"], by["national"]
        print(f"growth national/4 → national: {b['segment_chars'] / a['segment_chars']:.2f}× the text, "
              f"{b['mine_seconds'] / a['mine_seconds']:.2f}× the mine time")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())

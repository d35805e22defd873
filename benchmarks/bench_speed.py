"""`gkcorpus mine` against segmentation alone: one table, every measurement in its own process.

    python benchmarks/bench_speed.py                     # bundled, national, a quarter of national
    python benchmarks/bench_speed.py --with-10m          # and the 10 M scale-up (scale_corpus.py)
    python benchmarks/bench_speed.py --segmenter rjieba  # the ratio against rjieba

For each corpus, in one run (the machine is shared: compare within a row, not across runs):

* **segment**: the segmenter alone on every document's clean text (jieba precise mode, the
  project's user dictionary, no cache), after the corpus is loaded (loading is not timed);
* **mine**: ``gkcorpus mine PATH -o DIR --no-cache`` as a user runs it (reading, cleaning,
  segmenting and every stage), wall time of the command, and its stage timings;
* **ratio** = mine / segment, and the peak resident memory of each process (children included);
* **stages**: each stage of ``mine`` as ``seconds/peak MB`` (resident memory of the main process
  sampled every 20 ms while the stage runs; ``load`` is reading and cleaning), and in brackets the
  peak of the whole process tree's proportional set size (the main process, its side process and
  workers, and a stage forked into a child; shared pages counted once), sampled every 0.1 s;
* **tree MB**: that tree's peak over the whole run, the memory the run takes;
* **budget**: what ``mine <= 2 × segment`` leaves once the time outside the stages (start-up, imports, reading and
  cleaning the input, the manifest) and the segmenting and clean-text stages are paid, and each later stage as a
  multiple of the segmentation alone, marked when that stage alone is over what is left: the stages in the way.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
import contextlib, io, json, os, re, resource, sys, threading, time
import gkcorpus.app.pipeline as pipeline
from gkcorpus.cli import main
path, out, segmenter = sys.argv[1], sys.argv[2], sys.argv[3]
args = ["mine"] + ([] if path == "-" else [path]) + ["-o", out, "--no-cache", "--segmenter", segmenter]
# peak resident memory per stage: /proc/self/statm sampled every 20 ms, stages told apart by the
# command's progress lines ("gkcorpus: clusters …") and by the start of segmentation
page_kb = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
stage, peaks, tree, done = ["load"], {}, {}, threading.Event()
def descendants(pid):
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        return out
    return out + [d for c in out for d in descendants(c)]
def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0
def sample():
    n = 0
    while True:
        try:
            with open("/proc/self/statm") as fh:
                kb = int(fh.read().split()[1]) * page_kb
        except OSError:
            return
        peaks[stage[0]] = max(peaks.get(stage[0], 0), kb)
        if n % 5 == 0:  # every 0.1 s: the proportional set size of this process and its children (side
            # process, workers, a forked stage), shared pages counted once: the memory the run takes
            me = os.getpid()
            total = sum(pss_kb(p) for p in [me] + descendants(me))
            tree[stage[0]] = max(tree.get(stage[0], 0), total)
        n += 1
        if done.wait(0.02):
            return
class Marks(io.TextIOBase):
    def write(self, s):
        m = re.match(r"gkcorpus: (\w+) …", s)
        if m:
            stage[0] = m.group(1)
        return len(s)
prime = pipeline.prime_segmentation
def marked_prime(*a, **k):
    stage[0] = "segment"
    return prime(*a, **k)
pipeline.prime_segmentation = marked_prime
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
buf = io.StringIO()
t = time.perf_counter()
with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(Marks()):
    rc = main(args)
dt = time.perf_counter() - t
done.set()
sampler.join()
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
line = next((l for l in buf.getvalue().splitlines() if l.startswith("mined ")), "")
print(json.dumps({"rc": rc, "seconds": dt, "rss_kb": rss, "line": line, "stage_rss_kb": peaks, "stage_tree_pss_kb": tree,
                  "tree_pss_kb": max(tree.values(), default=0)}))
"""


def quarter(path: Path, out: Path) -> Path:
    """Every fourth report of ``path`` (by line), so a quarter of the text of the same eras."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[::4]), encoding="utf-8")
    return out


def _stage_times(line: str) -> dict[str, float]:
    """``{stage: seconds}`` from the command's last line ("mined … in T s (segment 1.2 s, …)")."""
    return {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", line.rsplit(" (", 1)[1])} if " (" in line else {}


def _stages(line: str, peaks: dict[str, int], tree: dict[str, int] | None = None) -> str:
    """``stage seconds/peak MB, …`` from the command's last line ("mined … in T s (segment 1.2 s, …)")
    and the sampled peaks (``load``: reading and cleaning, before the first stage)."""
    times = _stage_times(line)
    parts = [f"load -/{peaks['load'] / 1024:.0f}"] if "load" in peaks else []
    for name, sec in times.items():
        mb = f"{peaks[name] / 1024:.0f}" if name in peaks else "-"
        if tree and name in tree:
            mb += f" ({tree[name] / 1024:.0f})"
        parts.append(f"{name} {float(sec):.1f}/{mb}")
    return ", ".join(parts)


def budget(name: str, seg_s: float, mine_s: float, line: str, factor: float = 2.0) -> str:
    """Where the run stands against ``mine`` <= ``factor`` x the segmentation: the budget, the time outside the
    stages (start-up, imports, reading and cleaning the input, the manifest), the segmenting and clean-text stages,
    and every later stage with its time as a multiple of the segmentation alone, largest first (each one over the
    budget left is in the way on its own)."""
    times = _stage_times(line)
    if not times or not seg_s:
        return f"{name}: no stage timings"
    outside = mine_s - sum(times.values())
    first = times.get("segment", 0.0) + times.get("clean", 0.0)
    left = factor * seg_s - outside - first
    later = sorted(((v, k) for k, v in times.items() if k not in ("segment", "clean")), reverse=True)
    over = ", ".join(f"{k} {v:.1f} ({v / seg_s:.1f}×{' *' if v > max(left, 0) else ''})" for v, k in later)
    return (f"{name}: budget {factor * seg_s:.1f} s ({factor:g} × {seg_s:.1f}); outside the stages {outside:.1f} s; "
            f"segmenting and clean texts {first:.1f} s; left for the rest {left:.1f} s; "
            f"after segmenting {sum(v for v, _ in later):.1f} s: {over}")


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
    ap.add_argument("--only", nargs="+", choices=("bundled", "national/4", "national", "10M"),
                    help="measure only these corpora")
    ap.add_argument("--json", type=Path, help="also write the measurements here")
    args = ap.parse_args(argv)
    corpora: list[tuple[str, str]] = [("bundled", "-")]
    if REPORTS.exists():
        corpora.append(("national/4", str(quarter(REPORTS, args.data / "gwr_national_quarter.jsonl"))))
        corpora.append(("national", str(REPORTS)))
    else:
        print(f"(no {REPORTS}: the national reports are skipped)")
    if args.with_10m or (args.only and "10M" in args.only):
        big = args.data / "gwr_scale_10M.jsonl"
        if not big.exists():
            subprocess.run([sys.executable, str(HERE / "scale_corpus.py"), "--chars", "10M", "--out", str(args.data)],
                           check=True)
        corpora.append(("10M", str(big)))
    if args.only:
        corpora = [c for c in corpora if c[0] in args.only]
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start; "
          f"segmenter {args.segmenter}; {time.strftime('%Y-%m-%d %H:%M')}")
    header = f"{'corpus':<11} {'chars':>11} {'segment s':>10} {'mine s':>8} {'ratio':>6} {'seg MB':>7} {'mine MB':>8} {'tree MB':>8}  stages (s/peak MB (tree MB))"
    print(header)
    rows = []
    for name, path in corpora:
        seg = run_child(CHILD_SEGMENT, path, args.segmenter)
        with tempfile.TemporaryDirectory() as tmp:
            mine = run_child(CHILD_MINE, path, str(Path(tmp) / "out"), args.segmenter)
        stages = _stages(mine["line"], mine.get("stage_rss_kb", {}), mine.get("stage_tree_pss_kb", {}))
        ratio = mine["seconds"] / seg["seconds"] if seg["seconds"] else float("nan")
        rows.append({"corpus": name, **{f"segment_{k}": v for k, v in seg.items()},
                     **{f"mine_{k}": v for k, v in mine.items()}, "ratio": ratio})
        print(f"{name:<11} {seg['chars']:>11,} {seg['seconds']:>10.1f} {mine['seconds']:>8.1f} {ratio:>6.1f} "
              f"{seg['rss_kb'] / 1024:>7.0f} {mine['rss_kb'] / 1024:>8.0f} {mine.get('tree_pss_kb', 0) / 1024:>8.0f}  {stages}")
    print("target mine <= 2 × segmentation (stage s (× the segmentation alone), * each over the budget left alone):")
    for r in rows:
        print("  " + budget(r["corpus"], r["segment_seconds"], r["mine_seconds"], r["mine_line"]))
    by = {r["corpus"]: r for r in rows}
    if "national" in by and "national/4" in by:
        a, b = by["national/4"], by["national"]
        print(f"growth national/4 → national: {b['segment_chars'] / a['segment_chars']:.2f}× the text, "
              f"{b['mine_seconds'] / a['mine_seconds']:.2f}× the mine time")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

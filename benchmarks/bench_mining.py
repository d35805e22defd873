"""Time and peak memory of boilerplate mining (reuse, phrase bank, 套话 index) at 1×, 2× and 4× the national reports.

    python benchmarks/bench_mining.py                 # 1×, 2×, 4× the 50 national reports (../shared/corpora)
    python benchmarks/bench_mining.py --factors 1 8   # other sizes

The 2× and 4× corpora are the 50 reports followed by perturbed copies (numbers, province names and
sentence order changed; see ``scale_corpus.py``), so that reuse detection has realistic work to do.
Each size runs in a fresh process (its peak resident set size is its own). Stages:

    clean      Corpus.from_raw (cleaning), not this module's work, shown for scale
    structure  parse_structure of every document (sentences, paragraphs, headings)
    index      TextIndex: suffix array and LCP over all clean characters (pydivsufsort)
    reuse      ReuseFinder.fit: maximal repeats, MinHash LSH near-duplicates
    phrases    FormulaMiner.fit: jieba tokens, maximal repeats snapped to word boundaries, gapped formulae
    index套话  FormulaicnessIndex.fit

and the last column is the mining total (index + reuse + phrases + 套话) in characters per second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "corpora" / "gwr_national.jsonl"


def records(factor: int) -> list[dict]:
    """The reports, and perturbed copies up to ``factor`` times their characters."""
    sys.path.insert(0, str(HERE))
    from scale_corpus import scaled_records

    src = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    if factor == 1:
        return src
    total = sum(len(r["text"]) for r in src)
    return list(scaled_records(src, factor * total))


def run_one(factor: int) -> dict:
    from gkcorpus.corpus import Corpus
    from gkcorpus.base.io import RawDocument
    from gkcorpus.boilerplate.phrases.formulaicness import FormulaicnessIndex
    from gkcorpus.boilerplate.phrases.formula_miner import FormulaMiner
    from gkcorpus.boilerplate.phrases.writers import index_items
    from gkcorpus.boilerplate.reuse import ReuseFinder
    from gkcorpus.kernels.suffix import TextIndex

    recs = records(factor)
    times: dict[str, float] = {}

    def stage(name, fn):
        t = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - t
        return out

    raw = [RawDocument(r["id"], r["text"], r.get("title", ""), {"year": r.get("year")}) for r in recs]
    corpus = stage("clean", lambda: Corpus.from_raw(raw, duplicate_ids="suffix"))
    stage("structure", lambda: [d.structure for d in corpus])
    index = stage("index", lambda: TextIndex([d.text for d in corpus]))
    rf = stage("reuse", lambda: ReuseFinder().fit(corpus, index=index))
    pm = stage("phrases", lambda: FormulaMiner().fit(corpus, index=index, passages=rf.passages_))
    stage("index套话", lambda: FormulaicnessIndex().fit(corpus, index_items(pm), rf.passages_))
    return {
        "factor": factor,
        "docs": len(corpus),
        "chars": corpus.n_chars,
        "times": times,
        "passages": len(rf.passages_),
        "phrases": len(pm.phrases_),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factors", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not SOURCE.exists():
        print(f"needs {SOURCE}", file=sys.stderr)
        return 1
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    rows = []
    for f in args.factors:
        out = subprocess.run([sys.executable, __file__, "--one", str(f)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"… {f}× done", file=sys.stderr)
    stages = list(rows[0]["times"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    head = f"{'size':>4} {'docs':>5} {'chars':>10} " + " ".join(f"{s:>9}" for s in stages)
    print(head + f" {'mining s':>9} {'chars/s':>9} {'×time':>6} {'peak MB':>8} {'passages':>8} {'phrases':>7}")
    base = None
    for r in rows:
        t = r["times"]
        mining = t["index"] + t["reuse"] + t["phrases"] + t["index套话"]
        base = base or mining
        print(f"{r['factor']:>3}× {r['docs']:>5} {r['chars']:>10,} " + " ".join(f"{t[s]:>9.1f}" for s in stages)
              + f" {mining:>9.1f} {r['chars'] / mining:>9,.0f} {mining / base:>6.2f} {r['peak_mb']:>8.0f}"
              f" {r['passages']:>8} {r['phrases']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Pickle size of each fitted estimator of a ``mine`` run against the size of its results.

    python benchmarks/bench_pickle.py            # the bundled corpus
    python benchmarks/bench_pickle.py --reports  # the 50 national reports (../shared/corpora)

The estimators are fitted as ``mine`` fits them (``mine(..., formats=("json",), plots=False,
report=False)`` into a temporary folder; the whole-sentence TemplateMiner, which ``mine`` no longer
runs, on its own with its defaults). For each one:
the whole pickle, the pickle of its results, and the heaviest attributes pickled one by one (an
attribute pickled alone also counts the objects it shares with others, so these do not add up).
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gwr_national.jsonl"

#: estimator -> the attributes that are its results
RESULTS = {
    "FormulaMiner": ("formulae_",),
    "ReuseFinder": ("passages_", "sub_passages_"),
    "SectionTyper": ("types_", "segments_"),
    "TemplateMiner": ("library_",),
    "FrameMiner": ("library_",),
}


def size(obj: Any) -> int:
    return len(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def report(name: str, est: Any, top: int = 6) -> None:
    total = size(est)
    results = size(tuple(getattr(est, a) for a in RESULTS[name]))
    print(f"| {name} | {total:,} | {results:,} | {total / max(results, 1):.1f} |", end=" ")
    parts = sorted(((a, size(v)) for a, v in vars(est).items()), key=lambda x: -x[1])[:top]
    print(", ".join(f"`{a}` {s:,}" for a, s in parts) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", action="store_true", help="the national reports instead of the bundled corpus")
    args = ap.parse_args()
    from gkcorpus import load, load_bundled
    from gkcorpus.app.pipeline import mine
    from gkcorpus.templates import TemplateMiner

    corpus = load([str(REPORTS)]) if args.reports else load_bundled()
    with tempfile.TemporaryDirectory() as tmp:
        res = mine(corpus, Path(tmp) / "out", formats=("json",), plots=False, report=False)
    print("| estimator | pickle bytes | results bytes | ratio | heaviest attributes (bytes, each pickled alone) |")
    print("|---|---:|---:|---:|---|")
    report("FormulaMiner", res.boilerplate.phrases)
    report("ReuseFinder", res.boilerplate.reuse)
    if res.clustering is not None:
        report("SectionTyper", res.clustering.typer)
    report("FrameMiner", res.miner)
    report("TemplateMiner", TemplateMiner().fit(corpus))


if __name__ == "__main__":
    main()

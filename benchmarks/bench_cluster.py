"""Time and peak memory of TF-IDF and clustering at sentence level, and of section typing.

    python benchmarks/bench_cluster.py                       # the 50 national reports (../shared/corpora)
    python benchmarks/bench_cluster.py --corpus bundled      # the fifteen summaries
    python benchmarks/bench_cluster.py --corpus PATH.jsonl --method agglomerative --k 20

Stages, in order, each on the previous stages' results:

    load         gkcorpus.load (read + clean); not this module's work, shown for scale
    units        Corpus.units("sentence") (structure parsing)
    vectorize    UnitVectorizer(level="sentence").vectorize: jieba words, TF-IDF
    cluster      Clusterer(method, n_clusters): k chosen by silhouette on a 2,000-row sample, final fit on all
    label        label_clusters: c-TF-IDF terms and exemplars
    near         near_identical_groups: MinHash LSH over character 3-grams, exact Jaccard check
    types        SectionTyper().fit + outlines (section level)
    kinds        document_kinds

The stages run twice: once timed (wall clock and process CPU time, threads included), once under tracemalloc (peak of Python and numpy
allocations during the stage, measured with ``tracemalloc.reset_peak``; tracemalloc slows the run,
so its times are not reported). The last line gives the process's peak resident set size
(``ru_maxrss``), which includes the interpreter, jieba's dictionary and scikit-learn.
Nothing here builds an n×n matrix: silhouette and Davies–Bouldin use samples, k-means works on
sparse rows, near-identical search uses LSH buckets.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent.parent / "shared" / "corpora" / "gwr_national.jsonl"


def _stages(args: argparse.Namespace) -> list[tuple[str, Callable[[dict], str]]]:
    import gkcorpus
    from gkcorpus.features.cluster import Clusterer, label_clusters, near_identical_groups
    from gkcorpus.outline.common import common_outline
    from gkcorpus.outline.kinds import document_kinds
    from gkcorpus.outline.typer import SectionTyper
    from gkcorpus.features.vectorize import UnitVectorizer

    def load(s: dict) -> str:
        s["corpus"] = gkcorpus.load_bundled() if args.corpus == "bundled" else gkcorpus.load(args.corpus)
        return f"{len(s['corpus'])} documents, {s['corpus'].n_chars:,} characters"

    def units(s: dict) -> str:
        s["units"] = s["corpus"].units("sentence")
        return f"{len(s['units']):,} sentences"

    def vectorize(s: dict) -> str:
        s["vec"] = UnitVectorizer(level="sentence", analyzer=args.analyzer).vectorize(s["units"])
        m = s["vec"].matrix
        return f"{m.shape[0]:,} × {m.shape[1]:,} sparse, {m.nnz:,} non-zeros"

    def cluster(s: dict) -> str:
        k = args.k if args.k == "auto" else int(args.k)
        s["est"] = Clusterer(method=args.method, n_clusters=k, random_state=0).fit(s["vec"].matrix)
        m = s["est"].metrics_
        sil = "n/a" if m.silhouette is None else f"{m.silhouette:.3f}"
        return f"k={m.n_clusters}, silhouette {sil} (sample {m.silhouette_sample})"

    def label(s: dict) -> str:
        s["labels"] = label_clusters(s["vec"], s["est"].labels_, s["est"].cluster_centers_)
        return f"{len(s['labels'])} labelled clusters"

    def near(s: dict) -> str:
        groups = near_identical_groups(s["units"])
        return f"{len(groups)} groups across documents, {sum(g.size for g in groups):,} sentences"

    def types(s: dict) -> str:
        s["typer"] = SectionTyper().fit(s["corpus"])
        outs = s["typer"].outlines()
        co = common_outline(outs, s["typer"].types_)
        path = " → ".join(str(r["type"]) for r in co.path)
        return f"{len(s['typer'].types_)} types over {len(s['typer'].segments_)} segments; path {path}"

    def kinds(s: dict) -> str:
        dk = document_kinds(s["corpus"], s["typer"])
        return f"{len(dk.kinds)} kinds"

    return [("load", load), ("units", units), ("vectorize", vectorize), ("cluster", cluster), ("label", label),
            ("near", near), ("types", types), ("kinds", kinds)]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(args: argparse.Namespace, memory: bool) -> list[tuple[str, float, float, str]]:
    state: dict[str, Any] = {}
    rows = []
    if memory:
        tracemalloc.start()
    for name, fn in _stages(args):
        if memory:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
        t0, c0 = time.perf_counter(), _cpu()
        what = fn(state)
        dt, dc = time.perf_counter() - t0, _cpu() - c0
        value = (tracemalloc.get_traced_memory()[1] - base) / 2**20 if memory else dt
        rows.append((name, value, dc, what))
        print(f"  {'memory' if memory else 'time'} {name}: {value:.2f} {'MiB' if memory else 's'}", file=sys.stderr)
    if memory:
        tracemalloc.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(REPORTS), help="'bundled' or a path gkcorpus.load reads (default: the national reports)")
    ap.add_argument("--method", default="kmeans", choices=("kmeans", "agglomerative", "hdbscan"))
    ap.add_argument("--k", default="auto", help="'auto' or a number of clusters")
    ap.add_argument("--analyzer", default="word", choices=("word", "char"))
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    args = ap.parse_args(argv)
    if args.corpus != "bundled" and not Path(args.corpus).exists():
        print(f"bench_cluster: {args.corpus} not found (the national reports live in ../shared/corpora)", file=sys.stderr)
        return 1
    timed = run(args, memory=False)
    load_before = os.getloadavg()
    mem = {} if args.no_memory else {n: v for n, v, _, _ in run(args, memory=True)}
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"corpus: {args.corpus}; method {args.method}, k {args.k}, analyzer {args.analyzer}")
    print(f"machine: {platform.machine()}; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
          f"load average after the timed pass {load_before[0]:.1f} (wall times grow with other load, CPU times less)")
    print()
    print(f"| {'stage':<10} | {'wall (s)':>8} | {'CPU (s)':>8} | {'peak alloc (MiB)':>16} | result |")
    print(f"|{'-' * 12}|{'-' * 9}:|{'-' * 9}:|{'-' * 17}:|--------|")
    for name, secs, cpu, what in timed:
        m = f"{mem[name]:.1f}" if name in mem else "-"
        print(f"| {name:<10} | {secs:>8.2f} | {cpu:>8.2f} | {m:>16} | {what} |")
    total = sum(s for n, s, _, _ in timed if n != "load")
    total_cpu = sum(c for n, _, c, _ in timed if n != "load")
    print(f"| {'total':<10} | {total:>8.2f} | {total_cpu:>8.2f} | {'':>16} | all stages but load |")
    print()
    print(f"process peak RSS (both passes): {peak_rss:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

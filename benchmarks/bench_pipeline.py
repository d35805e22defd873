"""Time every pipeline stage on corpora of growing size: characters per second and peak memory.

    python benchmarks/bench_pipeline.py                         # summaries, 1 M reports, 10 M scale-up
    python benchmarks/bench_pipeline.py --corpora reports --stages tokenize_jieba signatures
    python benchmarks/bench_pipeline.py --with-100m --json /tmp/gkcorpus-bench/pipeline.json

Each (corpus, stage) runs in a fresh Python process, so its peak memory (``ru_maxrss``) is its own;
inside, only the stage is timed (what it needs first -- reading, cleaning -- runs untimed).
Per-document stages stream: a document is read, prepared, measured and dropped, so their peak
memory is what streaming costs; ``load`` measures holding a whole cleaned :class:`Corpus`.
Corpus-level stages (vectorize, cluster, reuse, phrases, templates, mine) are imported when the
module exists and skipped with a note when it does not (or when its entry point has changed).

Corpora: ``summaries`` (the fifteen bundled), ``reports`` (``../shared/corpora/gwr_national.jsonl``,
1 M characters) and ``10M`` / ``100M`` scale-ups built by ``scale_corpus.py`` into ``--data``
(default ``<tmp>/gkcorpus-bench``) when missing.

The summary lines give the whole run (the sum of the pipeline stages, or ``mine`` once it exists)
over jieba tokenization alone, and, between the 1 M and 10 M corpora, how much each stage's time
grew for 10x the text.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REPORTS = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"
DATA = Path(tempfile.gettempdir()) / "gkcorpus-bench"

# The stages of the pipeline proper, in order: their sum is "the whole run" until `mine` exists.
PIPELINE = ["read", "clean", "structure", "tokenize_jieba", "count", "signatures",
            "vectorize", "cluster", "reuse", "phrases", "templates"]
EXTRA = ["load", "tokenize_rjieba", "cache_cold", "cache_warm", "load_serial", "load_processes", "load_dask",
         "analyze_serial", "analyze_processes", "analyze_dask", "mine", "mine_rjieba"]
STAGES = PIPELINE + EXTRA
DEFAULT_STAGES = [s for s in STAGES if not s.endswith("_dask")]
# Stages whose work runs in other processes: their CPU time is not this process's, compare wall time.
PARALLEL = {"load_processes", "load_dask", "analyze_processes", "analyze_dask"}


# =========================================================================== child side


def corpus_source(spec: str, data: Path) -> list[str] | None:
    """Paths for gkcorpus.load, or None for the bundled corpus."""
    if spec == "summaries":
        return None
    if spec == "reports":
        return [str(REPORTS)]
    sys.path.insert(0, str(HERE))
    import scale_corpus

    return [str(scale_corpus.ensure(scale_corpus.parse_size(spec), data))]


def raw_docs(paths: list[str] | None) -> Iterator[Any]:
    from gkcorpus.base.io import iter_paths, read_bundled_page

    return iter(read_bundled_page()) if paths is None else iter_paths(paths)


def clean_docs(paths: list[str] | None) -> Iterator[Any]:
    from gkcorpus.text.clean.cleaner import Cleaner
    from gkcorpus.corpus import Document

    cleaner = Cleaner()
    for rd in raw_docs(paths):
        yield Document.from_raw(rd, cleaner)


class Clock:
    """Accumulates wall and CPU time of the timed parts only."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0
        self.chars = 0
        self.docs = 0

    def best(self, fn: Callable[[], Any], repeat: int) -> Any:
        """Run ``fn`` ``repeat`` times and keep the fastest (a shared machine's noise only adds)."""
        walls, cpus = [], []
        out = None
        for _ in range(max(1, repeat)):
            w, c = time.perf_counter(), time.process_time()
            out = fn()
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        self.wall, self.cpu = min(walls), min(cpus)
        return out

    def time(self, fn: Callable[[], Any], chars: int = 0) -> Any:
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        self.wall += time.perf_counter() - w
        self.cpu += time.process_time() - c
        self.chars += chars
        self.docs += 1
        return out


def _corpus(paths: list[str] | None) -> Any:
    import gkcorpus

    return gkcorpus.load_bundled() if paths is None else gkcorpus.load(paths)


def run_stage(stage: str, paths: list[str] | None, workers: int, repeat: int = 3) -> dict[str, Any]:
    """Run one stage (prerequisites untimed) and return its measurements."""
    from gkcorpus.text.tokenize import Tokenizer

    clock = Clock()
    note = ""
    if stage == "read":
        docs = clock.time(lambda: list(raw_docs(paths)))
        clock.chars, clock.docs = sum(len(rd.raw) for rd in docs), len(docs)
        note = "decode + parse records; chars are raw characters"
    elif stage == "clean":
        from gkcorpus.text.clean.cleaner import Cleaner
        from gkcorpus.corpus import Document

        from gkcorpus.base.io import read_bundled_page

        cleaner = Cleaner()
        t0 = time.perf_counter()
        cleaner.clean(next(iter(read_bundled_page())).raw)  # first use builds the repair model: untimed
        warm = time.perf_counter() - t0
        for rd in raw_docs(paths):
            clock.time(lambda: Document.from_raw(rd, cleaner), len(rd.raw))
        note = f"chars are raw characters; first use {warm:.1f} s not included"
    elif stage == "load":
        corpus = clock.time(lambda: _corpus(paths))
        clock.chars, clock.docs = corpus.n_chars, len(corpus)
        note = "read + clean, whole corpus held in memory"
    elif stage == "structure":
        from gkcorpus.text.structure import parse_structure

        for d in clean_docs(paths):
            clock.time(lambda: parse_structure(d.text), len(d.text))
    elif stage in ("tokenize_jieba", "tokenize_rjieba"):
        tok = Tokenizer(backend=stage.split("_")[1])
        t0 = time.perf_counter()
        tok.cut("预热")
        note = f"engine load {time.perf_counter() - t0:.2f} s not included"
        for d in clean_docs(paths):
            clock.time(lambda: tok.cut(d.text), len(d.text))
    elif stage == "count":
        from collections import Counter

        from gkcorpus.runtime.cache import filter_tokens

        tok = Tokenizer(stopwords=True)
        total: Counter = Counter()
        df: Counter = Counter()
        for d in clean_docs(paths):
            toks = tok.cut(d.text)

            def count() -> None:
                c = Counter(filter_tokens(tok, toks))
                total.update(c)
                df.update(c.keys())

            clock.time(count, len(d.text))
        note = f"filter + count + combine given the segmentation; {len(total):,} terms"
    elif stage == "signatures":
        from gkcorpus.runtime.parallel import sentence_signatures

        sentence_signatures("预热。")  # import datasketch, draw the permutations: untimed
        n = 0
        for d in clean_docs(paths):
            d.structure  # noqa: B018 -- untimed
            n += len(clock.time(lambda: sentence_signatures(d), len(d.text)))
        note = f"{n:,} sentences, 128 permutations"
    elif stage in ("cache_cold", "cache_warm"):
        from gkcorpus.runtime.cache import TokenCache, iter_cached_tokens

        docs = [(d.id, d.text) for d in clean_docs(paths)]
        tok = Tokenizer()
        tok.cut("预热")

        def consume() -> int:  # stream the token lists, as a counting or indexing stage would
            return sum(len(toks) for _, toks in iter_cached_tokens(docs, tok, tmp))

        with tempfile.TemporaryDirectory() as tmp:
            if stage == "cache_warm":
                consume()
            clock.time(consume, sum(len(t) for _, t in docs))
            clock.docs = len(docs)
            size = sum(p.stat().st_size for p in Path(tmp).rglob("*.tok"))
            n = TokenCache(tmp).n_entries()
        note = (f"iter_cached_tokens, {'all hits' if stage == 'cache_warm' else 'all misses (segment + write)'}; "
                f"{n} files, {size / 1e6:.1f} MB")
    elif stage in ("load_serial", "load_processes", "load_dask"):
        from gkcorpus.runtime.parallel import PerDocumentExecutor, load_parallel

        if paths is None:
            return {"skipped": "the bundled page is one file"}
        backend = stage.split("_")[1]
        with PerDocumentExecutor(backend, workers=workers) as ex:
            ex.map(len, ["预热"] * (4 * workers))  # start the pool or cluster untimed
            corpus = clock.best(lambda: load_parallel(paths, executor=ex), repeat)
        clock.chars, clock.docs = corpus.n_chars, len(corpus)
        note = (f"read + clean + structure, best of {repeat}"
                + ("" if backend == "serial" else f", {workers} {'Dask ' if backend == 'dask' else ''}workers"))
    elif stage.startswith("analyze_"):
        from gkcorpus.runtime.parallel import PerDocumentExecutor, analyze_document, segment_lengths

        backend = stage.split("_")[1]
        corpus = _corpus(paths)
        for d in corpus:
            d.structure  # noqa: B018
        segment_lengths("预热")  # build jieba here first: forked workers inherit it
        docs = list(corpus)
        with PerDocumentExecutor(backend, workers=workers) as ex:
            if backend != "serial":  # start the pool/cluster (and spawned workers' engines) untimed
                ex.map(segment_lengths, ["预热"] * (4 * workers))
            clock.best(lambda: ex.map(analyze_document, docs), repeat)
        clock.chars, clock.docs = corpus.n_chars, len(corpus)
        note = (f"segment + count + signatures per document, best of {repeat}"
                + ("" if backend == "serial" else f", {workers} {'Dask ' if backend == 'dask' else ''}workers"))
    else:
        return run_corpus_stage(stage, paths, clock)
    return clock_result(clock, note)


def clock_result(clock: Clock, note: str) -> dict[str, Any]:
    return {"seconds": clock.wall, "cpu_seconds": clock.cpu, "chars": clock.chars, "docs": clock.docs, "note": note}


# Corpus-level stages: (module, function building the call). A missing module or a changed entry
# point is reported as skipped, so this script keeps running while those modules evolve.
def _vectorize(corpus: Any) -> str:
    from gkcorpus.features.vectorize import UnitVectorizer

    X = UnitVectorizer(level="sentence").fit_transform(corpus)
    return f"sentence TF-IDF {X.shape[0]:,} x {X.shape[1]:,}"


def _cluster(corpus: Any) -> str:
    from gkcorpus.features.cluster import cluster_units

    res = cluster_units(corpus, level="section")
    return f"section clustering, {len(res.clusters)} clusters"


def _reuse(corpus: Any) -> str:
    from gkcorpus.boilerplate.reuse import ReuseFinder

    rf = ReuseFinder().fit(corpus)
    return f"{len(rf.passages_):,} shared passages"


def _phrases(corpus: Any) -> str:
    from gkcorpus.boilerplate.phrases.formula_miner import FormulaMiner

    pm = FormulaMiner().fit(corpus)
    return f"{len(pm.phrases_):,} phrase bank entries"


def _templates(corpus: Any) -> str:
    """The templates stage of ``mine``: the frame miner."""
    from gkcorpus.templates.frames import FrameMiner

    miner = FrameMiner().fit(corpus)
    return f"{len(miner.library_):,} frames"


def _mine(corpus: Any, paths: list[str] | None, *options: str) -> str:
    """The whole command, loading included, with a cold cache (``--no-cache``)."""
    from gkcorpus.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        code = main(["mine", *(paths or []), "-o", tmp, "--no-cache", *options])
    if code:
        raise RuntimeError(f"gkcorpus mine exited with {code}")
    return " ".join(["gkcorpus mine (command line, load included)", *options])


def _mine_rjieba(corpus: Any, paths: list[str] | None) -> str:
    return _mine(corpus, paths, "--segmenter", "rjieba")


CORPUS_STAGES: dict[str, tuple[str, Callable[..., str]]] = {
    "vectorize": ("gkcorpus.features.vectorize", _vectorize),
    "cluster": ("gkcorpus.features.cluster", _cluster),
    "reuse": ("gkcorpus.boilerplate.reuse", _reuse),
    "phrases": ("gkcorpus.boilerplate.phrases.formula_miner", _phrases),
    "templates": ("gkcorpus.templates.frames", _templates),
    "mine": ("gkcorpus.cli.mine_cmd", _mine),
    "mine_rjieba": ("gkcorpus.cli.mine_cmd", _mine_rjieba),
}


def run_corpus_stage(stage: str, paths: list[str] | None, clock: Clock) -> dict[str, Any]:
    import importlib
    import importlib.util

    module, fn = CORPUS_STAGES[stage]
    if importlib.util.find_spec(module) is None:
        return {"skipped": f"{module} not there yet"}
    corpus = _corpus(paths)
    for d in corpus:
        d.structure  # noqa: B018 -- structure is its own stage
    try:
        importlib.import_module(module)  # import time is not the stage's
        if stage.startswith("mine"):
            note = clock.time(lambda: fn(corpus, paths), corpus.n_chars)
        else:
            note = clock.time(lambda: fn(corpus), corpus.n_chars)
    except Exception as e:  # an evolving module: report, do not stop the suite
        return {"skipped": f"{module} failed: {type(e).__name__}: {str(e)[:200]}"}
    clock.docs = len(corpus)
    return clock_result(clock, note)


def child_main(args: argparse.Namespace) -> int:
    paths = corpus_source(args.corpus, args.data)
    out = run_stage(args.run_stage, paths, args.workers, args.repeat)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(out, ensure_ascii=False))
    return 0


# =========================================================================== parent side


def run_child(stage: str, corpus: str, data: Path, workers: int, timeout: float, repeat: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--run-stage", stage, "--corpus", corpus,
           "--data", str(data), "--workers", str(workers), "--repeat", str(repeat)]
    load0 = os.getloadavg()[0]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"skipped": f"timed out after {timeout:.0f} s"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("RESULT ")]
    if p.returncode or not lines:
        tail = (p.stderr.strip().splitlines() or ["?"])[-1]
        return {"skipped": f"failed (exit {p.returncode}): {tail[:200]}"}
    res = json.loads(lines[-1][len("RESULT "):])
    res["load_before"] = round(load0, 2)
    return res


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(ram, 1), "python": platform.python_version(),
            "platform": platform.platform()}


def cost(stage: str, r: dict[str, Any]) -> float | None:
    """The time a stage is judged by: CPU seconds in this process (robust on a shared machine),
    wall seconds for stages whose work runs in other processes."""
    if "seconds" not in r:
        return None
    return r["seconds"] if stage in PARALLEL else r["cpu_seconds"]


def fmt_rate(stage: str, r: dict[str, Any]) -> str:
    t = cost(stage, r)
    if not t:
        return "–"
    return f"{r['chars'] / t / 1e6:.2f} M"


def print_table(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    print("| corpus | stage | wall s | CPU s | chars/s | peak RSS (MB) | note |")
    print("|---|---|---:|---:|---:|---:|---|")
    for corpus, stages in results.items():
        for stage, r in stages.items():
            if "skipped" in r:
                print(f"| {corpus} | {stage} | – | – | – | – | skipped: {r['skipped']} |")
                continue
            cpu = "–" if stage in PARALLEL else f"{r['cpu_seconds']:.2f}"
            print(f"| {corpus} | {stage} | {r['seconds']:.2f} | {cpu} | {fmt_rate(stage, r)} | "
                  f"{r['peak_rss_mb']:.0f} | {r['note']} |")
    print()
    print("chars/s: per CPU second of the stage (per wall second for the parallel stages).")
    for corpus, stages in results.items():
        tok = cost("tokenize_jieba", stages.get("tokenize_jieba", {}))
        if not tok:
            continue
        if cost("mine", stages.get("mine", {})):
            whole, what = cost("mine", stages["mine"]), "mine"
        else:
            parts = [s for s in PIPELINE if cost(s, stages.get(s, {})) is not None]
            whole, what = sum(cost(s, stages[s]) for s in parts), " + ".join(parts)
        per_doc = sum(cost(s, stages[s]) for s in ("read", "clean", "structure", "tokenize_jieba", "count", "signatures")
                      if cost(s, stages.get(s, {})) is not None)
        print(f"{corpus}: whole run / jieba tokenization = {whole:.1f} s / {tok:.1f} s = {whole / tok:.2f}x  ({what})")
        if cost("mine_rjieba", stages.get("mine_rjieba", {})):
            fast = cost("mine_rjieba", stages["mine_rjieba"])
            print(f"{corpus}: mine --segmenter rjieba / jieba tokenization = {fast:.1f} s / {tok:.1f} s = "
                  f"{fast / tok:.2f}x")
        print(f"{corpus}: per-document stages only / jieba tokenization = {per_doc / tok:.2f}x")
        for a, b in (("analyze_serial", "analyze_processes"), ("load_serial", "load_processes"),
                     ("analyze_serial", "analyze_dask"), ("load_serial", "load_dask")):
            x, y = stages.get(a, {}).get("seconds"), stages.get(b, {}).get("seconds")
            if x and y:
                print(f"{corpus}: {b} speed-up over {a} (wall) = {x / y:.2f}x")
        x, y = cost("cache_cold", stages.get("cache_cold", {})), cost("cache_warm", stages.get("cache_warm", {}))
        if x and y:
            print(f"{corpus}: tokenization rerun with the cache = {x / y:.1f}x faster")
    names = list(results)
    for a, b in zip(names, names[1:]):
        ra, rb = results[a], results[b]
        grow = []
        text = 0.0
        for stage in STAGES:
            x, y = ra.get(stage, {}), rb.get(stage, {})
            if cost(stage, x) and cost(stage, y) and x.get("chars"):
                text = y["chars"] / x["chars"]
                grow.append(f"{stage} {cost(stage, y) / cost(stage, x):.1f}x")
        if grow:
            print(f"{a} -> {b} ({text:.1f}x the text): time grew " + ", ".join(grow))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="time each gkcorpus stage on corpora of growing size")
    ap.add_argument("--corpora", nargs="+", default=["summaries", "reports", "10M"],
                    help="summaries, reports, or a scale-up size such as 10M (default: summaries reports 10M)")
    ap.add_argument("--with-100m", action="store_true", help="also run the 100 M scale-up")
    ap.add_argument("--stages", nargs="+", choices=STAGES, default=DEFAULT_STAGES)
    ap.add_argument("--data", type=Path, default=DATA, help=f"where scale-ups live (default {DATA})")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a stage is abandoned")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the serial/parallel comparison stages (best kept)")
    ap.add_argument("--dask", action="store_true", help="also time load and analyze on a Dask LocalCluster")
    ap.add_argument("--json", type=Path, help="also write all measurements here")
    ap.add_argument("--run-stage", choices=STAGES, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run_stage:
        return child_main(args)

    corpora = list(args.corpora) + (["100M"] if args.with_100m and "100M" not in args.corpora else [])
    if args.dask:
        args.stages = list(args.stages) + [s for s in ("load_dask", "analyze_dask") if s not in args.stages]
    if "reports" in corpora and not REPORTS.exists():
        print(f"(no {REPORTS}: skipping the reports and the scale-ups)", file=sys.stderr)
        corpora = [c for c in corpora if c == "summaries"]
    info = machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}, {info['ram_gib']} GiB RAM, Python {info['python']}")
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for corpus in corpora:
        results[corpus] = {}
        for stage in args.stages:
            r = run_child(stage, corpus, args.data, args.workers, args.timeout, args.repeat)
            results[corpus][stage] = r
            shown = ("skipped: " + r["skipped"] if "skipped" in r else
                     f"{r['seconds']:.2f} s, {fmt_rate(stage, r)} chars/s, {r['peak_rss_mb']:.0f} MB")
            print(f"  {corpus:>9} {stage:<17} {shown}", file=sys.stderr, flush=True)
    print()
    print_table(results)
    if args.json:
        sys.path.insert(0, str(REPO / "src"))
        from gkcorpus.base.export import write_json

        write_json(args.json, {"machine": info, "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``gkcorpus mine``: the whole pipeline with sensible defaults into one folder, ending in report.html."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ._runtime import add_parallel_args, cache_dir_from_args, executor_from_args
from . import UsageError
from ..corpus import load
from ._common import add_input_args, add_output_arg, load_corpus, load_options, report_skipped

FORMATS = ("json", "csv", "md", "xlsx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mine",
        help="run everything: cleaning, section types and outline, phrase bank, reuse and 套话 index, "
        "templates, plots and report.html",
    )
    add_input_args(p)
    add_output_arg(p, "")
    p.add_argument("--format", default="json,csv,md,xlsx", help="phrase bank formats (default: json,csv,md,xlsx)")
    p.add_argument("--top", type=int, default=1000, help="phrases to export, per kind for the formula bank (default: 1000; 0 = all)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--bank", choices=("formulae", "legacy"), default="formulae",
                   help="phrase bank miner: formulae (default: whole formulae at any length, by kind) or legacy "
                        "(the earlier n-gram phrase miner)")
    add_parallel_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..app.pipeline import mine
    from ..base.collector import fewer_collections

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = sorted(set(formats) - set(FORMATS))
    if bad:
        raise UsageError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    progress = sys.stderr.isatty()
    if args.segmenter == "rjieba":
        import importlib.util

        if importlib.util.find_spec("rjieba") is None:
            raise UsageError("--segmenter rjieba needs the 'fast' extra: pip install 'gkcorpus[fast]'")
    auto = _auto_workers(args)
    if auto:
        print(f"gkcorpus: {auto[0] / 1e6:.0f} MB of input: reading, cleaning and segmenting on {auto[1]} processes "
              "(--workers 1 keeps one process; the results are the same)", file=sys.stderr)
    with executor_from_args(args) as ex, fewer_collections():  # reading and cleaning allocate as much as mining
        corpus = _load(args, ex)
        res = mine(corpus, args.output, formats=formats, plots=not args.no_plots, top_phrases=args.top or None,
                   random_state=args.seed, progress=progress,
                   log=None if progress else (lambda m: print(f"gkcorpus: {m}", file=sys.stderr)),
                   segmenter=args.segmenter, executor=None if ex.backend == "serial" else ex,
                   cache_dir=cache_dir_from_args(args, args.output), bank=args.bank)
    for w in res.warnings:
        print(f"gkcorpus: warning: {w}", file=sys.stderr)
    print(f"mined {len(corpus)} documents ({corpus.n_chars:,} characters) in "
          f"{sum(res.timings.values()):.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in res.timings.items())})")
    cache = res.segmentation.get("cache")
    if cache:
        print(f"segmentation cache: {cache.get('hits', 0)} documents read, {cache.get('misses', 0)} segmented "
              f"({args.segmenter})")
    print(f"wrote {len(res.files)} files to {res.out_dir}/:")
    groups: dict[str, list[str]] = {}
    for rel in res.relative_files():
        head, _, tail = rel.partition("/")
        groups.setdefault(head if tail else "", []).append(tail or head)
    for g in sorted(groups, key=lambda g: (g != "", g)):
        names = groups[g]
        if g:
            shown = ", ".join(names[:8]) + (f", … ({len(names)} files)" if len(names) > 8 else "")
            print(f"  {g}/: {shown}")
        else:
            print(f"  {', '.join(names)}")
    print(f"open {res.out_dir / 'report.html'} in a browser")
    return 0


def _load(args: argparse.Namespace, ex) -> "object":
    """The corpus; files are read, cleaned and parsed on the workers when there are any."""
    if not args.paths or ex.backend == "serial":
        return load_corpus(args)
    corpus = load(args.paths, load_options(args), executor=ex)
    report_skipped(corpus)
    return corpus


AUTO_WORKERS_BYTES = 16_000_000


def _input_bytes(paths: list[str], glob: str) -> int:
    total = 0
    for p in map(Path, paths):
        if p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob(glob) if f.is_file())
        elif p.is_file():
            total += p.stat().st_size
    return total


def _auto_workers(args: argparse.Namespace) -> tuple[int, int] | None:
    """Use every core (up to 4) for the per-document stages when the input is large and nothing was asked.

    Below ``AUTO_WORKERS_BYTES`` starting worker processes costs more than it saves.
    """
    cores = os.cpu_count() or 1
    if args.workers is not None or args.executor != "auto" or args.scheduler or not args.paths or cores < 2:
        return None
    size = _input_bytes(args.paths, args.glob)
    if size < AUTO_WORKERS_BYTES:
        return None
    args.workers = min(cores, 4)
    return size, args.workers

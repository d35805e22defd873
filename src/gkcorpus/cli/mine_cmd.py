"""``gkcorpus mine``: the whole pipeline with sensible defaults into one folder, ending in report.html."""

from __future__ import annotations

import argparse
import sys

from . import UsageError
from ._common import add_input_args, load_corpus

FORMATS = ("json", "csv", "md", "xlsx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mine",
        help="run everything: cleaning, section types and outline, phrase bank, reuse and 套话 index, "
        "templates, plots and report.html",
    )
    add_input_args(p)
    p.add_argument("-o", "--output", default="gkcorpus-out", metavar="DIR", help="output folder (default: gkcorpus-out)")
    p.add_argument("--format", default="json,csv,md,xlsx", help="phrase bank formats (default: json,csv,md,xlsx)")
    p.add_argument("--top", type=int, default=1000, help="phrases to export (default: 1000; 0 = all)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import mine

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = sorted(set(formats) - set(FORMATS))
    if bad:
        raise UsageError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    progress = sys.stderr.isatty()
    corpus = load_corpus(args)
    res = mine(corpus, args.output, formats=formats, plots=not args.no_plots, top_phrases=args.top or None,
               random_state=args.seed, progress=progress,
               log=None if progress else (lambda m: print(f"gkcorpus: {m}", file=sys.stderr)))
    for w in res.warnings:
        print(f"gkcorpus: warning: {w}", file=sys.stderr)
    print(f"mined {len(corpus)} documents ({corpus.n_chars:,} characters) in "
          f"{sum(res.timings.values()):.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in res.timings.items())})")
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

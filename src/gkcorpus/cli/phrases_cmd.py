"""``gkcorpus phrases``: the phrase bank (formulae, gapped patterns, slogans) as JSON, CSV, Markdown, Excel and a jieba dictionary."""

from __future__ import annotations

import argparse
import sys

from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus

FORMATS = ("json", "csv", "md", "xlsx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("phrases", help="mine the phrase bank: recurring set phrases, gapped patterns, slogans")
    add_input_args(p)
    add_output_arg(p, "phrases")
    p.add_argument("--format", default=",".join(FORMATS),
                   help="comma-separated formats among json,csv,md,xlsx (default: all); userdict.txt is always written")
    p.add_argument("--min-df", type=int, default=2, help="a phrase occurs in at least this many documents (default 2)")
    p.add_argument("--top", type=int, default=1000, help="export at most this many phrases, best first (0 = all; default 1000)")
    p.add_argument("--no-gapped", action="store_true", help="skip gapped patterns (营造…氛围)")
    p.set_defaults(func=run)


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"--format: unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def run(args: argparse.Namespace) -> int:
    from ..export import ensure_dir
    from ..phrases import PhraseMiner, mine_boilerplate

    formats = parse_formats(args.format)
    if args.min_df < 1 or args.top < 0:
        raise UsageError("--min-df must be at least 1 and --top at least 0")
    out = ensure_dir(args.output)
    corpus = load_corpus(args)
    progress = sys.stderr.isatty()
    miner = PhraseMiner(min_df=args.min_df, gapped=not args.no_gapped, progress=progress)
    result = mine_boilerplate(corpus, phrases=miner, progress=progress)
    written = result.write_phrasebank(out, formats, top=args.top or None)
    phrases = result.phrases.phrases_
    print(f"{len(phrases)} phrases from {len(corpus)} documents; top 10:")
    for p in phrases[:10]:
        print(f"  {p.phrase}\t{p.category}\tdf={p.df} tf={p.tf}")
    for path in written:
        print(f"wrote {path}")
    return 0

"""``gkcorpus phrases``: the phrase bank (formulae, collocations, terms; gapped formulae) as JSON, CSV, Markdown,
Excel and a jieba dictionary."""

from __future__ import annotations

import argparse
import sys

from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus

FORMATS = ("json", "csv", "md", "xlsx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("phrases", help="mine the phrase bank: whole formulae at any length, collocations, terms")
    add_input_args(p)
    add_output_arg(p, "phrases")
    p.add_argument("--format", default=",".join(FORMATS),
                   help="comma-separated formats among json,csv,md,xlsx (default: all); userdict.txt is always written")
    p.add_argument("--min-df", type=int, default=None,
                   help="a phrase occurs in at least this many documents (default 3; 2 with --bank legacy)")
    p.add_argument("--top", type=int, default=1000, help="export at most this many phrases, best first; per kind for the formula bank (0 = all; default 1000)")
    p.add_argument("--no-gapped", action="store_true", help="skip gapped formulae (按照…要求)")
    p.add_argument("--bank", choices=("formulae", "legacy"), default="formulae",
                   help="miner: formulae (default: whole formulae at any length, by kind) or legacy "
                        "(the earlier n-gram phrase miner)")
    p.set_defaults(func=run)


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"--format: unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def run(args: argparse.Namespace) -> int:
    from ..base.export import ensure_dir
    from ..boilerplate.phrases import FormulaMiner, PhraseMiner, mine_boilerplate

    formats = parse_formats(args.format)
    legacy = args.bank == "legacy"
    min_df = args.min_df if args.min_df is not None else (2 if legacy else 3)
    if min_df < 1 or args.top < 0:
        raise UsageError("--min-df must be at least 1 and --top at least 0")
    out = ensure_dir(args.output)
    corpus = load_corpus(args)
    progress = sys.stderr.isatty()
    miner_class = PhraseMiner if legacy else FormulaMiner
    miner = miner_class(min_df=min_df, gapped=not args.no_gapped, progress=progress)
    result = mine_boilerplate(corpus, phrases=miner, progress=progress, bank=args.bank)
    written = result.write_phrasebank(out, formats, top=args.top or None)
    phrases = result.phrases.phrases_
    print(f"{len(phrases)} phrases from {len(corpus)} documents; top 10:")
    for p in phrases[:10]:
        kind = "" if legacy else f"{p.kind}\t"
        print(f"  {p.phrase}\t{kind}{p.category}\tdf={p.df} tf={p.tf}")
    for path in written:
        print(f"wrote {path}")
    return 0

"""``gkcorpus kwic``: keyword in context."""

from __future__ import annotations

import argparse
import unicodedata

from ._common import add_input_args, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kwic", help="keyword in context: every match with its surroundings")
    p.add_argument("pattern", metavar="PATTERN", help="text to find (a regular expression with --regex)")
    add_input_args(p)
    p.add_argument("-w", "--window", type=int, default=12, help="characters of context either side (default 12)")
    p.add_argument("--regex", action="store_true", help="PATTERN is a regular expression")
    p.add_argument("-o", "--output", "--csv", dest="csv", metavar="FILE",
                   help="also write the table (with raw offsets) to FILE as CSV")
    p.set_defaults(func=run)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus(args)
    df = corpus.kwic(args.pattern, window=args.window, regex=args.regex)
    if args.csv:
        from ..export import write_csv

        write_csv(args.csv, df)
    idw = max([len(x) for x in df["doc_id"]] + [2])
    lw = 2 * args.window
    for r in df.itertuples():
        pad = " " * max(0, lw - _width(r.left))
        print(f"{r.doc_id:<{idw}} {r.start:>6}  {pad}{r.left} [{r.match}] {r.right}")
    print(f"{len(df)} matches in {df['doc_id'].nunique() if len(df) else 0} of {len(corpus)} documents")
    return 0

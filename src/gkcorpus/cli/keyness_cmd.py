"""``gkcorpus keyness``: terms distinctive of a target corpus against a reference corpus (G² or χ²)."""

from __future__ import annotations

import argparse
import sys

from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keyness", help="terms distinctive of TARGET against --reference (log-likelihood or chi²)")
    add_input_args(p)
    p.add_argument("--reference", nargs="+", required=True, metavar="REF",
                   help="the reference corpus: folders, .jsonl/.csv or text files (same input options as the target)")
    add_output_arg(p, "keyness")
    p.add_argument("--measure", choices=("g2", "chi2"), default="g2", help="sort by log-likelihood G² (default) or chi²")
    p.add_argument("--correction", choices=("default", "yates", "williams", "none"), default="default",
                   help="default: Yates for chi², Williams for G² (as quanteda); none: as AntConc")
    p.add_argument("--ngrams", type=int, default=1, help="count word n-grams up to this n (default 1: words)")
    p.add_argument("--min-freq", type=int, default=3, help="smallest frequency in both corpora together (default 3)")
    p.add_argument("--top", type=int, default=20, help="terms to print for each side (default 20)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..corpus import load
    from ..export import ensure_dir, markdown_table, atomic_write_text, write_csv, write_json
    from ..keyness import Keyness

    if args.ngrams < 1 or args.min_freq < 1:
        raise UsageError("--ngrams and --min-freq must be at least 1")
    out = ensure_dir(args.output)
    target = load_corpus(args)
    reference = load(
        args.reference, glob=args.glob, text_field=args.text_field, id_field=args.id_field or None,
        title_field=args.title_field or None, encoding=args.encoding, skip_bad=args.skip_bad,
        duplicate_ids="suffix" if args.rename_duplicates else "error",
    )
    k = Keyness(measure=args.measure, correction=args.correction, ngram_range=(1, args.ngrams),
                min_freq=args.min_freq, progress=sys.stderr.isatty()).fit(target, reference)
    table = k.table_
    records = table.to_dict(orient="records")
    written = [
        write_csv(out / "keyness.csv", table),
        write_json(out / "keyness.json", records),
    ]
    cols = ["term", "target_freq", "reference_freq", args.measure, "log_ratio"]
    md = (f"# Keyness ({args.measure}, correction {args.correction})\n\n"
          f"Target: {len(target)} documents, {k.n_target_:,} tokens. "
          f"Reference: {len(reference)} documents, {k.n_reference_:,} tokens.\n\n"
          f"## Key for the target\n\n{markdown_table(k.top(100).to_dict(orient='records'), cols)}\n"
          f"## Key for the reference\n\n{markdown_table(k.top(100, 'reference').to_dict(orient='records'), cols)}")
    written.append(atomic_write_text(out / "keyness.md", md))
    print(f"target {len(target)} documents ({k.n_target_:,} tokens), reference {len(reference)} documents "
          f"({k.n_reference_:,} tokens); {len(table)} terms")
    for side in ("target", "reference"):
        top = k.top(args.top, side)
        print(f"key for the {side}: " + "  ".join(f"{r.term}({getattr(r, args.measure):.1f})" for r in top.itertuples()))
    for path in written:
        print(f"wrote {path}")
    return 0

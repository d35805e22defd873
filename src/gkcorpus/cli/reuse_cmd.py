"""``gkcorpus reuse``: passages shared between documents, the reuse matrix and the 套话 index."""

from __future__ import annotations

import argparse
import sys

from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reuse", help="find shared passages; write the reuse matrix and the 套话 (formulaicness) index")
    add_input_args(p)
    add_output_arg(p, "reuse")
    p.add_argument("--min-chars", type=int, default=8, help="a passage holds at least this many Han characters (default 8)")
    p.add_argument("--near-threshold", type=float, default=0.5,
                   help="Jaccard similarity of character 3-grams for near-verbatim sentences (default 0.5)")
    p.add_argument("--no-near", action="store_true", help="verbatim passages only (skip MinHash near-duplicates)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..export import ensure_dir
    from ..phrases import mine_boilerplate
    from ..reuse import ReuseFinder

    if args.min_chars < 1 or not 0 < args.near_threshold <= 1:
        raise UsageError("--min-chars must be at least 1 and --near-threshold in (0, 1]")
    out = ensure_dir(args.output)
    corpus = load_corpus(args)
    progress = sys.stderr.isatty()
    finder = ReuseFinder(min_chars=args.min_chars, near=not args.no_near, near_threshold=args.near_threshold,
                         progress=progress)
    result = mine_boilerplate(corpus, reuse=finder, progress=progress)
    written = result.write_reuse(out)
    passages = result.reuse.passages_
    n_near = sum(p.kind == "near" for p in passages)
    print(f"{len(passages)} shared passages ({len(passages) - n_near} verbatim, {n_near} near-verbatim) "
          f"in {len(corpus)} documents")
    print("most formulaic (share of characters in boilerplate):")
    for r in result.formulaicness.documents_.head(10).itertuples():
        print(f"  {r.rank:>3}. {r.doc_id}\t{r.index:.1%}")
    for path in written:
        print(f"wrote {path}")
    return 0

"""Shared command-line options: the input (paths, fields, encoding, skip flag) and loading."""

from __future__ import annotations

import argparse
import sys

from ..base.io import LoadOptions
from ..corpus import Corpus, load, load_bundled


def add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="folders of .txt files, .jsonl or .csv files, or text files (default: the bundled corpus)")
    g = p.add_argument_group("input")
    g.add_argument("--glob", default="*.txt", help="file pattern inside folders (default: *.txt, recursive)")
    g.add_argument("--text-field", default="text", help="JSONL/CSV field holding the text (default: text)")
    g.add_argument("--id-field", default="id", help="JSONL/CSV field holding the document id (default: id)")
    g.add_argument("--title-field", default="title", help="JSONL/CSV field holding the title (default: title)")
    g.add_argument("--encoding", default=None, help="force an encoding instead of detecting it per file")
    g.add_argument("--skip-bad", action="store_true",
                   help="skip unreadable files and malformed records, and report them, instead of stopping")
    g.add_argument("--rename-duplicates", action="store_true",
                   help="keep documents with a repeated id as ID~2, ID~3 … instead of stopping")


OUTPUT_ROOT = "gkcorpus-out"


def add_output_arg(p: argparse.ArgumentParser, folder: str) -> None:
    """``-o/--output DIR``, by default the folder that ``gkcorpus mine`` writes the same files to."""
    default = f"{OUTPUT_ROOT}/{folder}" if folder else OUTPUT_ROOT
    p.add_argument("-o", "--output", default=default, metavar="DIR",
                   help=f"output folder, created if missing (default: {default})")


def load_options(args: argparse.Namespace) -> LoadOptions:
    """The input options of the command line as one record."""
    return LoadOptions(glob=args.glob, text_field=args.text_field, id_field=args.id_field or None,
                       title_field=args.title_field or None, encoding=args.encoding, skip_bad=args.skip_bad,
                       duplicate_ids="suffix" if args.rename_duplicates else "error")


def load_corpus(args: argparse.Namespace, progress: bool = True) -> Corpus:
    """The corpus the command works on; reports skipped inputs on stderr."""
    if not args.paths:
        return load_bundled()
    corpus = load(args.paths, load_options(args), progress=progress and sys.stderr.isatty())
    report_skipped(corpus)
    return corpus


def check_output_not_input(args: argparse.Namespace) -> None:
    """Refuse an output folder that is one of the input folders: a rerun would read its own outputs."""
    from pathlib import Path

    from .errors import UsageError

    out = getattr(args, "output", None) or getattr(args, "out", None)
    if not out or not getattr(args, "paths", None):
        return
    target = Path(out).resolve()
    for p in args.paths:
        if Path(p).resolve() == target:
            raise UsageError(f"{out}: the output folder is the input folder; choose another output folder")


def report_skipped(corpus: Corpus) -> None:
    if corpus.skipped:
        print(f"gkcorpus: skipped {len(corpus.skipped)} input(s):", file=sys.stderr)
        for line in corpus.skipped:
            print(f"  skipped {line}", file=sys.stderr)

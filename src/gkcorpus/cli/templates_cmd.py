"""``gkcorpus templates``: mine sentence frames (the templates), match a saved library, fill a frame,
write a skeleton.

    gkcorpus templates mine [PATH…] -o DIR          DIR/frames.json, frames.md, matches.csv, numeric.csv
                                                    (--sentences: the whole-sentence templates, DIR/templates.json,
                                                    templates.md, instances.csv, extractions.csv)
    gkcorpus templates match LIBRARY [PATH…] -o DIR DIR/extractions.csv (one row per slot value found)
    gkcorpus templates fill --template TEXT SLOT=VALUE …   (or --id ID --library LIBRARY) [-o FILE]
    gkcorpus templates skeleton --library LIBRARY [PATH…] [-o FILE]
    gkcorpus templates extract [PATH…] -o DIR [--library LIBRARY]
                                                    as mine, or apply a saved frames.json: DIR/matches.csv, numeric.csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..base.export import atomic_write_text, ensure_dir, write_csv
from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="sentence frames with typed slots: mine, match, fill, skeleton, extract")
    tsub = p.add_subparsers(dest="templates_command", metavar="ACTION")
    tsub.required = True

    m = tsub.add_parser("mine", help="mine sentence frames shared across documents; write DIR/frames.json, "
                                     "frames.md, matches.csv (one row per match), numeric.csv (numeric slots by document)")
    add_input_args(m)
    add_output_arg(m, "templates")
    g = m.add_argument_group("mining")
    g.add_argument("--min-docs", "--min-support", dest="min_docs", type=int, default=None, metavar="N",
                   help="documents a frame needs (default: 10%% of the documents, at least 2; with --sentences: 2)")
    g.add_argument("--skeleton", action="store_true", help="also write DIR/skeleton.md, the writer's skeleton")
    old = m.add_argument_group("whole-sentence templates (the earlier miner)")
    old.add_argument("--sentences", action="store_true",
                     help="mine whole-sentence templates instead: DIR/templates.json, templates.md, instances.csv, "
                          "extractions.csv")
    old.add_argument("--min-coverage", type=float, default=0.5, metavar="F",
                     help="with --sentences: share of each sentence span the template must explain (default: 0.5)")
    old.add_argument("--align", choices=("char", "token"), default="char",
                     help="with --sentences: align characters (default) or jieba tokens")
    m.set_defaults(func=run_mine)

    x = tsub.add_parser("match", help="apply a saved template library to texts; write DIR/extractions.csv")
    x.add_argument("library", metavar="LIBRARY", help="frames.json written by 'gkcorpus mine' or 'gkcorpus templates "
                                                      "mine' (or a templates.json of --sentences)")
    add_input_args(x)
    add_output_arg(x, "templates")
    x.add_argument("--best-only", action="store_true", help="keep only the best-matching template per sentence")
    x.set_defaults(func=run_match)

    e = tsub.add_parser("extract", help="mine sentence frames as 'templates mine' does, or apply --library; write "
                                        "DIR/frames.json, frames.md (when mining), matches.csv, numeric.csv")
    add_input_args(e)
    add_output_arg(e, "frames")
    e.add_argument("--library", metavar="LIBRARY", help="apply this frames.json instead of mining")
    e.add_argument("--min-docs", type=int, default=None, metavar="N",
                   help="documents a frame needs (default: 10%% of the documents, at least 2)")
    e.set_defaults(func=run_extract)

    f = tsub.add_parser("fill", help="render a template with slot values")
    f.add_argument("pairs", nargs="*", metavar="SLOT=VALUE", help="a value for each slot of the template")
    f.add_argument("--library", metavar="LIBRARY", help="frames.json or templates.json (needed for --id)")
    what = f.add_mutually_exclusive_group(required=True)
    what.add_argument("--id", help="id of a template in the library")
    what.add_argument("--template", help="a template text, e.g. '现将{TOPIC}总结如下'")
    f.add_argument("--partial", action="store_true", help="leave slots without a value as {NAME} instead of failing")
    f.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    f.set_defaults(func=run_fill)

    k = tsub.add_parser("skeleton", help="the corpus's common outline with its best-supported templates, as Markdown")
    k.add_argument("--library", metavar="LIBRARY", required=True,
                   help="frames.json written by 'gkcorpus mine' or 'gkcorpus templates mine'")
    add_input_args(k)
    k.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    k.set_defaults(func=run_skeleton)


def _load_library(path: str):
    from ..templates.frames import load_library

    return load_library(path)


def run_mine(args: argparse.Namespace) -> int:
    if args.min_docs is not None and args.min_docs < 1:
        raise UsageError(f"--min-docs must be at least 1, got {args.min_docs}")
    if args.sentences:
        return _run_mine_sentences(args)
    corpus = load_corpus(args)
    out = ensure_dir(args.output)
    lib, written, n_matches, wide = _frames_into(out, corpus, None, args.min_docs)
    if args.skeleton:
        from ..app.skeleton import skeleton

        atomic_write_text(out / "skeleton.md", skeleton(corpus, lib).to_markdown())
        written.append("skeleton.md")
    print(f"{len(lib)} frames, {n_matches} matches in {len(corpus)} documents, {wide.shape[1] - 1} numeric columns; "
          f"wrote {', '.join(written)} to {out}/")
    return 0


def _run_mine_sentences(args: argparse.Namespace) -> int:
    """The whole-sentence templates of :class:`~gkcorpus.templates.TemplateMiner`."""
    from ..app.skeleton import skeleton
    from ..templates import TemplateMiner

    corpus = load_corpus(args)
    out = ensure_dir(args.output)
    miner = TemplateMiner(min_support=2 if args.min_docs is None else args.min_docs, min_coverage=args.min_coverage,
                          align=args.align, progress=sys.stderr.isatty())
    miner.fit(corpus)
    lib = miner.library_
    lib.save(out / "templates.json")
    atomic_write_text(out / "templates.md", lib.to_markdown())
    write_csv(out / "instances.csv", lib.instances_frame())
    table = lib.extract(corpus)
    write_csv(out / "extractions.csv", table)
    written = ["templates.json", "templates.md", "instances.csv", "extractions.csv"]
    if args.skeleton:
        atomic_write_text(out / "skeleton.md", skeleton(corpus, lib).to_markdown())
        written.append("skeleton.md")
    n_sent = sum(1 for x in miner.labels_ if x)
    print(f"{len(lib)} templates over {len(corpus)} documents ({n_sent} of {len(miner.units_)} sentences); "
          f"wrote {', '.join(written)} to {out}/")
    return 0


def _frames_into(out: Path, corpus: Any, library: str | None, min_docs: int | None) -> tuple[Any, list[str], int, Any]:
    """Mine frames (or load ``library``) and write them with their match and numeric tables into ``out``:
    the library, the names written, the number of matches and the numeric table."""
    from ..templates.frames import FrameMiner, match_table, wide_table

    if library:
        lib = _load_library(library)
    else:
        lib = FrameMiner(min_docs=min_docs).fit(corpus, shared=_shared_passages(corpus)).library_
        lib.save(out / "frames.json")
        atomic_write_text(out / "frames.md", lib.to_markdown(title="Sentence frames"))
    extracted = lib.extract(corpus)
    matches = match_table(lib, corpus, extracted)
    write_csv(out / "matches.csv", matches)
    wide = wide_table(lib, corpus, extracted=extracted)
    write_csv(out / "numeric.csv", wide)
    written = ([] if library else ["frames.json", "frames.md"]) + ["matches.csv", "numeric.csv"]
    return lib, written, len(matches), wide


def _shared_passages(corpus: Any) -> dict[str, Any]:
    """The spans of the passages the documents share, as ``gkcorpus mine`` gives them to the frame
    miner (a frame inside them is a copied sentence): the same library as ``mine`` writes."""
    from ..boilerplate.phrases.formula_spans import spans_by_document
    from ..boilerplate.reuse import ReuseFinder

    return spans_by_document(ReuseFinder().fit(corpus).passages_, [d.id for d in corpus])


def run_match(args: argparse.Namespace) -> int:
    lib = _load_library(args.library)
    corpus = load_corpus(args)
    out = ensure_dir(args.output)
    table = lib.extract(corpus, best_only=args.best_only)
    write_csv(out / "extractions.csv", table)
    n_match = table[["unit_id", "template_id"]].drop_duplicates().shape[0] if len(table) else 0
    n_tpl = table["template_id"].nunique() if len(table) else 0
    print(f"{n_match} matches of {n_tpl} of {len(lib)} templates in {len(corpus)} documents; "
          f"wrote extractions.csv to {out}/")
    return 0


def run_extract(args: argparse.Namespace) -> int:
    if args.min_docs is not None and args.min_docs < 1:
        raise UsageError(f"--min-docs must be at least 1, got {args.min_docs}")
    corpus = load_corpus(args)
    out = ensure_dir(args.output)
    lib, written, n_matches, wide = _frames_into(out, corpus, args.library, args.min_docs)
    print(f"{len(lib)} frames, {n_matches} matches in {len(corpus)} documents, "
          f"{wide.shape[1] - 1} numeric columns; wrote {', '.join(written)} to {out}/")
    return 0


def _pairs(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for it in items:
        name, sep, value = it.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"expected SLOT=VALUE, got {it!r}")
        values[name.strip()] = value
    return values


def _write_or_print(text: str, output: str | None) -> None:
    if output:
        atomic_write_text(output, text if text.endswith("\n") else text + "\n")
        print(f"wrote {output}")
    else:
        print(text)


def run_skeleton(args: argparse.Namespace) -> int:
    from ..app.skeleton import skeleton

    lib = _load_library(args.library)
    corpus = load_corpus(args)
    _write_or_print(skeleton(corpus, lib).to_markdown(), args.output)
    return 0


def run_fill(args: argparse.Namespace) -> int:
    from ..templates import Template

    if args.id:
        if not args.library:
            raise UsageError("--id needs --library LIBRARY")
        lib = _load_library(args.library)
        if args.id not in lib:
            raise UsageError(f"no template with id {args.id!r} in {args.library}")
        tpl = lib[args.id]
    else:
        try:
            tpl = Template.from_text(args.template)
        except ValueError as e:
            raise UsageError(str(e)) from None
    try:
        text = tpl.fill(_pairs(args.pairs), strict=not args.partial)
    except KeyError as e:
        raise UsageError(f"{e.args[0]} (template: {tpl.template})") from None
    _write_or_print(text, args.output)
    return 0

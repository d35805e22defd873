"""``gkcorpus trends``: when each mined formula and frame enters, peaks and leaves the corpus."""

from __future__ import annotations

import argparse
import sys

from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trends", help="count every mined formula and frame by a document variable (year, …): "
                                      "life spans, successions, eras")
    add_input_args(p)
    p.add_argument("--by", default="year", help="document variable that orders the groups (default: year)")
    add_output_arg(p, "trends")
    p.add_argument("--top", type=int, default=40, help="formulae drawn in timeline.png (default 40)")
    p.add_argument("--min-docs", type=int, default=3, help="groups with fewer documents are flagged (default 3)")
    p.add_argument("--no-frames", action="store_true", help="count the phrase bank only, not the sentence frames")
    p.add_argument("--no-plots", action="store_true", help="skip timeline.png and eras.png")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..boilerplate.phrases import mine_boilerplate
    from ..timeline import EraSegmenter, FormulaTimeline, formulae_from_bank, formulae_from_frames, write_trends

    if args.top < 1 or args.min_docs < 1:
        raise UsageError("--top and --min-docs must be at least 1")
    corpus = load_corpus(args)
    missing = [d.id for d in corpus if args.by not in d.meta]
    if missing:
        raise UsageError(f"{len(missing)} documents have no variable {args.by!r} (first: {missing[0]}); "
                         f"give --by one of the input's fields")
    progress = sys.stderr.isatty()
    bank = mine_boilerplate(corpus, progress=progress).phrases.phrases_
    formulae = formulae_from_bank(bank)
    if not args.no_frames:
        from ..templates.frames import FrameMiner

        formulae += formulae_from_frames(FrameMiner().fit(corpus).library_)
    timeline = FormulaTimeline(by=args.by, min_docs=args.min_docs).fit(corpus, formulae)
    eras = EraSegmenter().fit(timeline)
    written = write_trends(args.output, timeline, eras, top=args.top, plots=not args.no_plots)
    print(f"{len(formulae)} formulae and frames counted over {len(timeline.groups_)} groups of {args.by!r} "
          f"({timeline.groups_[0]}–{timeline.groups_[-1]})")
    for s in timeline.successions_[:10]:
        print(f"  succession: {s.old} ({s.old_span[0]}–{s.old_span[1]}) → {s.new} ({s.new_span[0]}–{s.new_span[1]})")
    for e in eras.eras_:
        print(f"  era {e.start}–{e.end}: " + " · ".join(m["formula"] for m in e.markers[:5]))
    for path in written:
        print(f"wrote {path}")
    return 0

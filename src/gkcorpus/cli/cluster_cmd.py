"""``gkcorpus cluster``: TF-IDF clusters at one level, section types, every outline, the common outline.

Writes into DIR: clusters.csv, cluster_labels.json, outline.csv, outline.md, document_kinds.csv,
cluster_map.png, cluster_sizes.png, outline_heatmap.png (and near_identical.json/.csv at sentence
level), then prints every document's outline and the corpus's common outline.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from ..corpus import LEVELS
from . import UsageError
from ._common import add_input_args, add_output_arg, load_corpus


def _k(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'auto' or a whole number, got {value!r}") from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"the number of clusters must be at least 1, got {k}")
    return k


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cluster",
        help="TF-IDF clusters, section types, document outlines and near-identical sentences",
        description="Cluster the units of a corpus with TF-IDF, type its sections (heading + body), print "
        "every document's outline and the common outline, and write tables and plots into DIR.",
    )
    add_input_args(p)
    add_output_arg(p, "clusters")
    p.add_argument("--level", choices=LEVELS, default="section",
                   help="units to cluster (default: section, i.e. section types)")
    p.add_argument("--k", type=_k, default="auto", metavar="auto|N",
                   help="number of clusters, or auto: best cosine silhouette (default: auto)")
    p.add_argument("--method", choices=("kmeans", "agglomerative", "hdbscan"), default="kmeans",
                   help="clustering method (default: kmeans)")
    p.add_argument("--analyzer", choices=("word", "char"), default="word",
                   help="features: jieba words without stopwords, or character 2-3-grams (default: word)")
    p.add_argument("--depth", type=int, default=1,
                   help="deepest heading level that starts an outline segment: 1 = 一、, 2 = also （一） (default: 1)")
    p.add_argument("--kinds", type=_k, default="auto", metavar="auto|N",
                   help="number of document kinds, or auto (default: auto)")
    p.add_argument("--near-threshold", type=float, default=0.8,
                   help="Jaccard threshold of near-identical sentences at sentence level (default: 0.8)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..outline.run import cluster_corpus
    from ..outline.plots import CJKFontWarning

    if args.depth < 1:
        raise UsageError(f"--depth must be at least 1, got {args.depth}")
    if not 0.0 < args.near_threshold <= 1.0:
        raise UsageError(f"--near-threshold must be in (0, 1], got {args.near_threshold}")
    corpus = load_corpus(args)
    progress = sys.stderr.isatty()
    try:
        run_ = cluster_corpus(corpus, level=args.level, n_clusters=args.k, method=args.method,
                              analyzer=args.analyzer, depth=args.depth, n_kinds=args.kinds,
                              near_threshold=args.near_threshold, random_state=args.seed, progress=progress)
    except ValueError as e:  # e.g. no text at all, or no features
        raise UsageError(str(e)) from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CJKFontWarning)
        written = run_.write(args.output, plots=not args.no_plots)
    for w in caught:
        if issubclass(w.category, CJKFontWarning):
            print(f"gkcorpus: warning: {w.message}", file=sys.stderr)
            break

    print(run_.segments_sentence())
    print()
    print("\n".join(run_.outline_lines()))
    print()
    print("\n".join(run_.common_lines()))
    if run_.parts is not None:
        pt = run_.parts
        print()
        print(f"top-level parts: {len(pt.parts_)} in {len(pt.types_)} types ({pt.selection_})")
        for t in pt.types_:
            print(f"  {t.display}: {t.size} parts in {t.n_docs} documents  [{' · '.join(t.terms[:4])}]")
    if run_.kinds is not None:
        print()
        print(f"document kinds ({run_.kinds.selection}):")
        for k in run_.kinds.kinds:
            print(f"  kind {k['kind']}: {', '.join(k['doc_ids'])}  [{' · '.join(k['terms'][:4])}]")
        kind_paths = run_.kind_outline_lines()
        if kind_paths:
            print("most travelled path within each kind:")
            print("\n".join(kind_paths))
    if run_.genres:
        print()
        print("genres (by outline vocabulary: 指导思想/工作步骤/保障措施 … vs 主要做法/存在问题/下一步 …):")
        print("\n".join(run_.genre_lines()))
    if run_.result is not None:
        rm = run_.result.metrics
        sil = "n/a" if rm.silhouette is None else f"{rm.silhouette:.3f}"
        print()
        print(f"{args.level} clusters: {rm.n_clusters} from {rm.n_units} units ({rm.selection}); silhouette {sil}")
        for note in run_.result.notes:
            print(f"  note: {note}")
    if run_.near is not None:
        print(f"near-identical sentence groups across documents: {len(run_.near)}")
        for g in run_.near[:5]:
            print(f"  {g.n_docs} docs, {g.size}×: {g.text[:60]}")
    print()
    print(f"wrote {len(written)} files to {args.output}:")
    for path in written:
        print(f"  {path}")
    return 0

"""Scripting gkcorpus's TF-IDF and clustering over a folder of text files: a worked example.

    python scripts/run_clustering.py FOLDER [-o OUT] [--glob '*.txt'] [--depth 1] [--k auto]
    python scripts/run_clustering.py                 # the bundled fifteen summaries
    python scripts/run_clustering.py ../shared/corpora/gwr_national.jsonl --depth 2 -o /tmp/gwr

Every step is one library call; read it top to bottom, then copy what you need:

1. load and clean the files (``gkcorpus.load``): one document per .txt file (JSONL/CSV work too);
2. section types and outlines (``SectionTyper``): sections clustered on heading + body, each
   document's outline as a sequence of types, the common outline with its support;
3. document kinds (``document_kinds``): whole documents clustered on words, outline, layout, register and
   genre evidence, each kind with its own common outline;
4. sentence clusters (``cluster_units``) labelled by c-TF-IDF, and near-identical sentences shared
   by several documents (``near_identical_groups``): boilerplate candidates;
5. the same files ``gkcorpus cluster`` writes (``ClusteringRun.write``), plots included.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gkcorpus
from gkcorpus.features.cluster import cluster_units, near_identical_groups
from gkcorpus.outline.common import common_outline
from gkcorpus.outline.kinds import document_kinds
from gkcorpus.outline.run import ClusteringRun
from gkcorpus.outline.typer import SectionTyper


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Cluster sections, sentences and documents of a folder of texts.")
    ap.add_argument("folder", nargs="?", help="a folder of .txt files (or a .jsonl/.csv file); default: bundled")
    ap.add_argument("-o", "--output", default="clustering-output", help="where to write tables and plots")
    ap.add_argument("--glob", default="*.txt", help="file pattern inside the folder")
    ap.add_argument("--depth", type=int, default=1, help="1: outline by 一、 headings; 2: also （一）")
    ap.add_argument("--k", default="auto", help="number of section types, or auto")
    args = ap.parse_args(argv)
    k = args.k if args.k == "auto" else int(args.k)

    # 1. Load: every file becomes a cleaned Document; unreadable files are skipped and listed.
    corpus = gkcorpus.load(args.folder, glob=args.glob, skip_bad=True) if args.folder else gkcorpus.load_bundled()
    print(f"{corpus!r}; skipped: {len(corpus.skipped)}")

    # 2. Section types. fit() cuts every document into outline segments (preamble, sections,
    #    a detached closing paragraph; paragraphs when a document has no headings) and clusters them.
    typer = SectionTyper(depth=args.depth, clusterer=SectionTyper.default_clusterer(n_types=k)).fit(corpus)
    print(f"\n{len(typer.types_)} section types ({typer.metrics_.selection}):")
    for t in typer.types_:
        heads = ", ".join(h for h, _ in t.headings[:4])
        print(f"  T{t.type_id:<2} {t.name}  [{t.size} segments in {t.n_docs} documents]  {t.label}  | {heads}")
    outlines = typer.outlines()
    for o in outlines:
        print(f"  {o.doc_id}: {' → '.join(f'T{x}' for x in o.types)}")
    common = common_outline(outlines, typer.types_)
    print("common outline: " + " → ".join(f"{r['name']} ({r['support']}/{common.n_docs})" for r in common.consensus))

    # 3. Document kinds: words, outline (bag of section types), layout, register and genre evidence (plan or
    #    summary by the conventional section names), each a share of the vector; a kind's own common outline.
    kinds = document_kinds(corpus, typer)
    print(f"\ndocument kinds ({kinds.selection}):")
    for kd in kinds.kinds:
        print(f"  kind {kd['kind']}: {', '.join(kd['doc_ids'])}  {kd['genres']}")
        path = common_outline([o for o in outlines if o.doc_id in set(kd["doc_ids"])], typer.types_).path
        print("    " + " → ".join(f"{r['name']} [{r['docs']}]" for r in path))

    # 4. Sentences: TF-IDF clusters labelled by class-based TF-IDF, and near-identical groups.
    sentences = cluster_units(corpus, level="sentence")
    print(f"\n{sentences.metrics.n_clusters} sentence clusters ({sentences.metrics.selection}):")
    for c in sentences.clusters[:5]:
        print(f"  {c.cluster}: {c.label} ({c.size}) e.g. {c.exemplars[0]['text'][:40]}")
    near = near_identical_groups(corpus.units("sentence"))
    print(f"{len(near)} groups of near-identical sentences across documents; the widest:")
    for g in near[:5]:
        print(f"  {g.n_docs} documents: {g.text[:50]}")

    # 5. Write what `gkcorpus cluster --level sentence` writes.
    run = ClusteringRun("sentence", "kmeans", typer, outlines, common, kinds, sentences, near)
    written = run.write(Path(args.output))
    print(f"\nwrote {len(written)} files to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

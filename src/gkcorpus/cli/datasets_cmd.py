"""``gkcorpus datasets``: list the public collections and fetch one (download, check, convert, cache)."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasets", help="further texts: list the public collections, fetch one into the data folder")
    dsub = p.add_subparsers(dest="datasets_command", metavar="ACTION")
    dsub.required = True
    ls = dsub.add_parser("list", help="the collections, their source and whether they are cached")
    ls.set_defaults(func=run_list)
    f = dsub.add_parser("fetch", help="download and check the files of NAME (or copy them from $GKCORPUS_DATA_MIRROR), "
                                      "convert them with the cleaner and cache the corpus")
    f.add_argument("name", metavar="NAME", help="a name from 'gkcorpus datasets list'")
    f.add_argument("-o", "--output", metavar="FILE",
                   help="also write the cleaned corpus as JSON Lines (id, title, text, document variables) to FILE")
    f.set_defaults(func=run_fetch)


def run_list(args: argparse.Namespace) -> int:
    from ..datasets import DATASETS, data_home

    home = data_home()
    for ds in DATASETS.values():
        cached = "cached" if any(home.glob(f"{ds.name}-*.gkc")) else "not fetched"
        print(f"{ds.name:<24} {ds.n_documents:>3} documents  {ds.description}")
        print(f"{'':<24} github.com/{ds.repository} @ {ds.commit[:10]}  ({cached})")
    print(f"data folder: {home}")
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    from ..datasets import data_home, load_dataset
    from ..export import atomic_write_text

    corpus = load_dataset(args.name)
    print(f"{args.name}: {len(corpus)} documents, {corpus.n_chars:,} characters; files in {data_home() / args.name}")
    if args.output:
        lines = [json.dumps({"id": d.id, "title": d.title, "text": d.text, **d.meta}, ensure_ascii=False) for d in corpus]
        atomic_write_text(args.output, "\n".join(lines) + "\n")
        print(f"wrote {args.output}")
    print(f"in Python: gkcorpus.datasets.load_dataset({args.name!r})")
    return 0

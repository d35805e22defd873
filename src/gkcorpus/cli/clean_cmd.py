"""``gkcorpus clean``: write each document's cleaned Simplified text, one paragraph per line."""

from __future__ import annotations

import argparse
import re

from ..base.export import atomic_write_text, ensure_dir, write_json
from ._common import add_input_args, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help="write DIR/<id>.txt: cleaned Simplified text, one paragraph per line")
    add_input_args(p)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=run)


def safe_name(doc_id: str) -> str:
    """A file name for a document id (path separators and odd characters become _)."""
    return re.sub(r"[^\w.\-~]+", "_", doc_id).strip("._") or "doc"


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus(args)
    out = ensure_dir(args.output)
    names: dict[str, str] = {}
    for d in corpus:
        name = safe_name(d.id)
        base, k = name, 2
        while name in names.values():
            name, k = f"{base}_{k}", k + 1
        names[d.id] = name
        atomic_write_text(out / f"{name}.txt", d.text + "\n")
    write_json(out / "cleaning_report.json", [
        {"id": d.id, "file": f"{names[d.id]}.txt", "title": d.title, "encoding": d.encoding,
         **(d.cleaning.to_dict() if d.cleaning else {})}
        for d in corpus
    ])
    print(f"wrote {len(corpus)} cleaned texts and cleaning_report.json to {out}/")
    return 0

"""``gkcorpus clean``: write each document's cleaned Simplified text, one paragraph per line."""

from __future__ import annotations

import argparse

from ..export import atomic_write_text, ensure_dir, safe_file_stem, write_json
from ._common import add_input_args, add_output_arg, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help="write DIR/<id>.txt: cleaned Simplified text, one paragraph per line")
    add_input_args(p)
    add_output_arg(p, "clean")
    p.set_defaults(func=run)


def safe_name(doc_id: str) -> str:
    """A file name for a document id (path separators and odd characters become _; a long id is cut and
    given a hash suffix); ``cleaning_report.json`` maps ids to file names."""
    return safe_file_stem(doc_id)


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

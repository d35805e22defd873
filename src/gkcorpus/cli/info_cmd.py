"""``gkcorpus info``: documents, characters, encodings, cleaning counts, headings."""

from __future__ import annotations

import argparse
import json

from ._common import add_input_args, load_corpus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="summarise a corpus: documents, characters, encodings, cleaning counts")
    add_input_args(p)
    p.add_argument("--json", action="store_true", help="one JSON object per document (JSON Lines)")
    p.set_defaults(func=run)


def document_info(doc) -> dict:
    st = doc.structure
    return {
        "id": doc.id,
        "title": doc.title,
        "chars": len(doc.text),
        "raw_chars": len(doc.raw),
        "encoding": doc.encoding,
        "source": doc.source,
        "cleaning": doc.cleaning.counts() if doc.cleaning else {},
        "lost": [l.__dict__ for l in doc.cleaning.lost] if doc.cleaning else [],
        "placeholders": len(doc.cleaning.placeholders) if doc.cleaning else 0,
        "paragraphs": len(st.paragraphs),
        "sentences": len(st.sentences),
        "headings": [{"level": h.level, "marker": h.marker, "text": h.text} for h in st.headings],
    }


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus(args)
    infos = [document_info(d) for d in corpus]
    if args.json:
        for i in infos:
            print(json.dumps(i, ensure_ascii=False))
        return 0
    total: dict[str, int] = {}
    for i in infos:
        for k, v in i["cleaning"].items():
            total[k] = total.get(k, 0) + v
    encodings: dict[str, int] = {}
    for i in infos:
        encodings[i["encoding"]] = encodings.get(i["encoding"], 0) + 1
    print(f"documents: {len(infos)}")
    print(f"characters: {sum(i['chars'] for i in infos):,} clean ({sum(i['raw_chars'] for i in infos):,} raw)")
    print("encodings: " + ", ".join(f"{k} {v}" for k, v in sorted(encodings.items())))
    print("cleaning: " + ", ".join(f"{k} {v}" for k, v in total.items()))
    lost = sum(len(i["lost"]) for i in infos)
    print(f"lost spans (marked □, not invented): {lost}")
    print(f"paragraphs: {sum(i['paragraphs'] for i in infos)}, sentences: {sum(i['sentences'] for i in infos)}, "
          f"headings: {sum(len(i['headings']) for i in infos)}")
    print()
    w = max(len(i["id"]) for i in infos) if infos else 2
    print(f"{'id':<{w}}  {'chars':>6}  {'enc':<9} {'head':>4}  title")
    for i in infos:
        print(f"{i['id']:<{w}}  {i['chars']:>6}  {i['encoding']:<9} {len(i['headings']):>4}  {i['title']}")
    return 0

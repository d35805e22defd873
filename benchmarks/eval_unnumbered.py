"""Top-level parts when the chapters lose their numbers (gkcorpus.outline.parts.find_parts).

Some reports head their chapters without ``一、`` numbering, or a scrape drops it. For every document of
the bundled summaries and the national and bilingual work reports (../shared/corpora, when present)
whose top-level parts include a ``一、`` series, this removes every ``一、``/``二、``/… at a line start (all
numbers lost), then only the series' first ``一、`` (the first number lost, the others kept), and compares the
parts found: the same headings in the same order ("same"), or not (the document is listed with both lists of
headings). The held-out bilingual reports since 2016 are counted on their own.

    PYTHONPATH=src python benchmarks/eval_unnumbered.py [--quiet]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
TOP_NUMBER = re.compile(r"(?m)^[一二三四五六七八九十]+、")
FIRST_NUMBER = re.compile(r"(?m)^一、")
MODES = {"all numbers": lambda text: TOP_NUMBER.sub("", text), "the first 一、": lambda text: FIRST_NUMBER.sub("", text, count=1)}


def corpora() -> list[tuple[str, object]]:
    import gkcorpus

    out = [("bundled", gkcorpus.load_bundled())]
    for name in ("gwr_national.jsonl", "gwr_national_bilingual.jsonl"):
        if (CORPORA / name).exists():
            out.append((name.split(".")[0], gkcorpus.load(str(CORPORA / name))))
        else:
            print(f"{CORPORA / name} not found; skipped", file=sys.stderr)
    return out


def compare(doc, strip=MODES["all numbers"]) -> tuple[list[str], list[str]] | None:
    """The headings of ``doc``'s parts with and without (``strip``) the numbers of its chapters (None: no 一、
    series)."""
    from gkcorpus.outline.parts import find_parts

    parts = find_parts(doc)
    if not any(p.how == "numbered" and re.fullmatch(r"[一二三四五六七八九十]+、", p.marker) for p in parts):
        return None
    stripped = dataclasses.replace(doc, text=strip(doc.text), _structure=None)
    return [p.heading for p in parts if p.heading], [p.heading for p in find_parts(stripped) if p.heading]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="only the counts")
    args = ap.parse_args(argv)
    for name, corpus in corpora():
        for mode, strip in MODES.items():
            same = held_same = held = 0
            differ = []
            for doc in corpus:
                pair = compare(doc, strip)
                if pair is None:
                    continue
                heldout = name == "gwr_national_bilingual" and int(doc.meta.get("year", 0)) >= 2016
                held += heldout
                if pair[0] == pair[1]:
                    same += 1
                    held_same += heldout
                else:
                    differ.append((doc.id, *pair))
            line = f"{name}, {mode} removed: {same} of {same + len(differ)} documents keep their parts"
            if held:
                line += f" (held-out since 2016: {held_same} of {held})"
            print(line)
            if not args.quiet:
                for doc_id, a, b in differ:
                    print(f"  {doc_id}\n    numbered:   {' | '.join(h[:14] for h in a)}\n    without:    "
                          f"{' | '.join(h[:14] for h in b) or '(none)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Section types against hand-labelled top-level parts (tests/data/section_parts_*.csv).

For each corpus (the fifteen bundled summaries; the national government work reports since 1978 from
../shared/corpora when present) this fits gkcorpus's section typing through the public API
(``cluster_corpus(corpus, level="section")``, what ``gkcorpus cluster --level section`` and
``gkcorpus mine`` run) and compares its top-level units with the gold sections:

* **found**: a gold section counts as found when some predicted top-level unit starts within
  ``--tolerance`` (5) characters of its start (the opening: a unit starting at 0). A gold section whose
  first line is a bare salutation (an unheaded line of at most 6 characters, e.g. 各位代表！) is also
  found by a unit starting at the next line.
* **type of a found gold section**: the type of the matching unit (the one starting closest to the gold
  start).
* **pairwise precision and recall** over all pairs of found gold sections of the corpus: a pair is
  predicted-together when both got the same type and gold-together when both have the same part;
  precision = together in both / predicted-together, recall = together in both / gold-together.
* **types vs parts**: the number of section types the typer made (all of them, and those given to
  found gold sections) against the number of gold parts.

Then a contingency table (gold part x predicted type, counts of found sections) and the sections not
found. The gold is independent of any parser: each row carries an anchor (the section's first
characters exactly as in the cleaned text) and its offset.

    PYTHONPATH=src python benchmarks/eval_sections.py              # both corpora
    PYTHONPATH=src python benchmarks/eval_sections.py --corpus bundled --missed 0
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
NATIONAL = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"
SALUTATION_MAX = 6


@dataclass
class GoldSection:
    doc_id: str
    ordinal: int
    start: int
    anchor: str
    heading: str
    how_marked: str
    part: str
    theme: str = ""


def read_gold(path: Path) -> list[GoldSection]:
    """The labelled sections of one gold file, in file order."""
    with path.open(encoding="utf-8", newline="") as f:
        return [GoldSection(r["doc_id"], int(r["ordinal"]), int(r["start"]), r["anchor"], r["heading"],
                            r["how_marked"], r["part"], r.get("theme") or "") for r in csv.DictReader(f)]


def predicted_units(corpus: Any, random_state: int = 0) -> tuple[dict[str, list[tuple[int, int]]], int]:
    """``{doc_id: [(start, type), …]}`` of the typer's top-level units, and the number of types.

    Reads the section-level clusters table by column name, so that added columns or roles do not
    break the benchmark."""
    from gkcorpus.outline import cluster_corpus

    run = cluster_corpus(corpus, level="section", random_state=random_state)
    df = run.clusters_frame()
    type_col = "cluster" if "cluster" in df.columns else "type"
    units: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, t in zip(df["doc_id"], df["start"], df[type_col]):
        units[str(doc_id)].append((int(start), int(t)))
    n_types = len(run.typer.types_) if hasattr(run.typer, "types_") else len(set(df[type_col]))
    return units, n_types


def match(gold: GoldSection, text: str, starts: list[tuple[int, int]], tolerance: int) -> int | None:
    """The type of the predicted unit that finds ``gold``, or None."""
    ok = [(abs(s - gold.start), t) for s, t in starts if abs(s - gold.start) <= tolerance]
    if not ok and gold.how_marked == "unheaded":
        line_end = text.find("\n", gold.start)
        if 0 <= line_end - gold.start <= SALUTATION_MAX:
            nxt = line_end + 1
            ok = [(abs(s - nxt), t) for s, t in starts if abs(s - nxt) <= tolerance]
    return min(ok)[1] if ok else None


def pairwise(parts: list[str], types: list[int]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of ``types`` against ``parts`` (counted from the two contingency
    marginals, no n x n loop), plus the numbers of predicted-together and gold-together pairs."""
    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter(zip(parts, types)))
    pred = pairs(Counter(types))
    gold = pairs(Counter(parts))
    return (both / pred if pred else 1.0), (both / gold if gold else 1.0), pred, gold


def evaluate(name: str, corpus: Any, gold: list[GoldSection], tolerance: int, n_missed: int,
             random_state: int) -> dict[str, Any]:
    """Print the evaluation of one corpus and return its numbers."""
    units, n_types = predicted_units(corpus, random_state)
    texts = {d.id: d.text for d in corpus}
    found: list[tuple[GoldSection, int]] = []
    missed: list[GoldSection] = []
    for g in gold:
        t = match(g, texts[g.doc_id], units.get(g.doc_id, []), tolerance)
        (missed.append(g) if t is None else found.append((g, t)))
    parts = [g.part for g, _ in found]
    types = [t for _, t in found]
    p, r, n_pred, n_gold = pairwise(parts, types)
    n_units = sum(len(units.get(d, [])) for d in {g.doc_id for g in gold})
    real_parts = sorted({g.part for g in gold})
    print(f"== {name}: {len(corpus)} documents")
    print(f"top-level sections found {len(found)} / labelled {len(gold)}  "
          f"(predicted top-level units: {n_units})")
    by_how = Counter(g.how_marked for g in gold)
    miss_how = Counter(g.how_marked for g in missed)
    print("  by marking: " + ", ".join(f"{h} {by_how[h] - miss_how[h]}/{by_how[h]}" for h in sorted(by_how)))
    print(f"pairwise precision {p:.3f}  recall {r:.3f}  (pairs: predicted-together {n_pred}, "
          f"gold-together {n_gold})")
    if any(g.theme for g in gold):
        fine = [f"{g.part}:{g.theme}" if g.theme else g.part for g, _ in found]
        fp, fr, _, _ = pairwise(fine, types)
        print(f"  with the themes as parts ({len(set(fine))}): precision {fp:.3f}  recall {fr:.3f}")
    print(f"types: {n_types} made ({len(set(types))} on found gold sections) vs {len(real_parts)} real parts "
          f"({', '.join(real_parts)})")
    table: dict[str, Counter] = defaultdict(Counter)
    for part, t in zip(parts, types):
        table[part][t] += 1
    print("gold part -> predicted types (count of found sections):")
    for part in sorted(table, key=lambda x: -sum(table[x].values())):
        cells = ", ".join(f"T{t}:{c}" for t, c in table[part].most_common())
        print(f"  {part:<18} {cells}")
    if missed and n_missed:
        print(f"not found ({len(missed)}; first {min(n_missed, len(missed))}):")
        for g in missed[:n_missed]:
            label = g.heading or repr(g.anchor)
            print(f"  {g.doc_id} #{g.ordinal} @{g.start} [{g.how_marked}, {g.part}] {label}")
    print()
    return {"found": len(found), "labelled": len(gold), "precision": p, "recall": r,
            "types": n_types, "types_on_gold": len(set(types)), "parts": len(real_parts)}


def national_corpus(path: Path, since: int) -> Any:
    import gkcorpus

    corpus = gkcorpus.load(str(path))
    return corpus.subset(lambda d: int(d.meta.get("year", 0)) >= since)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=["bundled", "national", "both"], default="both")
    ap.add_argument("--national", type=Path, default=NATIONAL, help="gwr_national.jsonl")
    ap.add_argument("--since", type=int, default=1978, help="first year of the national reports fitted and scored")
    ap.add_argument("--fit-all", action="store_true",
                    help="fit the types on every national report (as `gkcorpus mine` on the whole file does); score those since --since")
    ap.add_argument("--tolerance", type=int, default=5, help="characters between a gold and a predicted start")
    ap.add_argument("--missed", type=int, default=40, help="how many sections not found to list")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.corpus in ("bundled", "both"):
        from gkcorpus import load_bundled

        evaluate("bundled summaries", load_bundled(), read_gold(DATA / "section_parts_bundled.csv"),
                 args.tolerance, args.missed, args.seed)
    if args.corpus in ("national", "both"):
        if not args.national.exists():
            print(f"national reports not found at {args.national}; skipped", file=sys.stderr)
            return 0 if args.corpus == "both" else 1
        corpus = national_corpus(args.national, 0 if args.fit_all else args.since)
        scored = national_corpus(args.national, args.since)
        gold = [g for g in read_gold(DATA / "section_parts_national.csv") if g.doc_id in scored]
        name = f"national reports since {args.since}" + (f" (types fitted on all {len(corpus)})" if args.fit_all else "")
        evaluate(name, corpus, gold, args.tolerance, args.missed, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

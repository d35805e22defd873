"""Part types (gkcorpus.outline.part_types) against hand-labelled top-level parts (tests/data/section_parts_*.csv).

For the bundled summaries and the national work reports since 1978 (../shared/corpora, when present)
this fits :class:`gkcorpus.outline.part_types.PartTyper` -- what ``cluster_corpus(...).parts`` and ``gkcorpus mine``
run -- and compares the parts it finds with the gold sections:

* found: a gold section is found when a part starts within ``--tolerance`` characters of it (a gold
  section opening with a bare salutation line of at most 6 characters, 各位代表！, also by a part
  starting on the next line);
* pairwise precision and recall of the part types over all pairs of found gold sections;
* the number of types against the number of gold parts, and the gold part × type table;
* with ``--heldout``, the same scores on reports never used in development: the national reports of
  ``--heldout-since`` onwards in ``gwr_national_bilingual.jsonl`` (one sentence a line), against the
  one-reader labels of ``benchmarks/judgements/heldout_bilingual_parts.csv``, with the typer fitted on
  that corpus alone (as a user would run it);
* with ``--confusion``, every part of every document: its type, the gold part of the section starting
  there and its heading (to read the mistakes);
* diagnostic lines with the gold read otherwise where it makes a distinction the types do not
  (:func:`diagnostics`): reform as a topic of the tasks, democracy and law with self-improvement (they
  never share a report), the bundled themes as parts;
* with ``--plain``, the best a plain clustering of the heading, body or both reaches with the number of
  types read off the gold (``parts_plain.py``): whether the typer's rules add to its features or take away;
* with ``--stability``, the same scores when five reports are left out at either end of the national
  corpus or the five reports before ``--since`` are added (does the number of types hold?);
* with ``--jackknife``, the same scores with each national report left out in turn (about 40 refits): the
  spread says how much one report decides the types;
* with ``--subsets N``, the scores on N random sets of 7 to 15 recent reports, each fitted on its own (a small
  corpus of one genre and period, as a user would bring);
* with ``--composed``, the scores on summaries composed and labelled by a reader who saw neither the code nor the
  bundled corpus (``benchmarks/judgements/composed_summaries*.jsonl``: each text with the first characters of each
  top-level section and its part), fitted on their own, and again with neither a summary's practices nor the
  genres typed apart (``practices=False, by_genre=False``: the typer before those two steps).

    PYTHONPATH=src python benchmarks/eval_parts.py [--gold-dir tests/data] [--corpus bundled|national|both] [--stability]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"
BILINGUAL = REPO.parent / "shared" / "corpora" / "gwr_national_bilingual.jsonl"
HELDOUT = REPO / "benchmarks" / "judgements" / "heldout_bilingual_parts.csv"
COMPOSED = sorted((REPO / "benchmarks" / "judgements").glob("composed_summaries*.jsonl"))
SALUTATION_MAX = 6
TYPER_PARAMS: dict = {}  # PartTyper parameters other than the seed (--resamples)


def read_gold(path: Path) -> list[dict]:
    """Gold rows; the held-out file's ``gold_part`` is read as ``part`` and an empty heading as unheaded."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [{**r, "start": int(r["start"]), "part": r.get("part") or r["gold_part"],
             "how_marked": r.get("how_marked") or ("unheaded" if not r["heading"] else "numbered"),
             "anchor": r.get("anchor", "")} for r in rows]


def match(gold: dict, text: str, starts: list[tuple[int, int]], tolerance: int) -> int | None:
    ok = [(abs(s - gold["start"]), t) for s, t in starts if abs(s - gold["start"]) <= tolerance]
    if not ok and gold["how_marked"] == "unheaded":
        line_end = text.find("\n", gold["start"])
        if 0 <= line_end - gold["start"] <= SALUTATION_MAX:
            ok = [(abs(s - line_end - 1), t) for s, t in starts if abs(s - line_end - 1) <= tolerance]
    return min(ok)[1] if ok else None


def pairs(counter: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counter.values())


def pairwise(found: list[tuple[dict, int]], read_as: dict[str, str] | None = None) -> tuple[float, float]:
    """Pairwise precision and recall of the types over the found gold sections; ``read_as`` maps gold parts
    onto others first (a diagnostic: how much of the gap is one disputed distinction)."""
    read_as = read_as or {}
    gold_of = [read_as.get(g["part"], g["part"]) for g, _ in found]
    gp = Counter(gold_of)
    tp = Counter(t for _, t in found)
    both = pairs(Counter(zip(gold_of, (t for _, t in found))))
    return (both / pairs(tp) if pairs(tp) else 1.0), (both / pairs(gp) if pairs(gp) else 1.0)


def diagnostics(gold: list[dict], found: list[tuple[dict, int]]) -> list[str]:
    """The scores under other readings of the gold, where it makes a distinction the types do not:

    * reform read as a topic of the tasks (the order rule's reading);
    * two parts that never share a document read as one (two eras' versions of one slot, what the
      merging of variant types reads them as): democracy and law, government self-improvement;
    * the bundled themes (leadership, publicity) read as parts of their own, as the section typer's
      tests group them.
    """
    parts = {g["part"] for g in gold}
    out = []
    if {"reform", "tasks"} <= parts:
        p, r = pairwise(found, {"reform": "tasks"})
        out.append(f"reform read as a topic of the tasks: precision {p:.3f}  recall {r:.3f}")
    docs: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        docs[g["part"]].add(g["doc_id"])
    if {"democracy_law", "self_improvement"} <= parts and not docs["democracy_law"] & docs["self_improvement"]:
        p, r = pairwise(found, {"democracy_law": "self_improvement"})
        out.append(f"democracy_law and self_improvement (in {len(docs['democracy_law'])} and "
                   f"{len(docs['self_improvement'])} documents, never one document) read as one part: "
                   f"precision {p:.3f}  recall {r:.3f}")
    if any(g.get("theme") for g in gold):
        themed = [({**g, "part": f"{g['part']}:{g['theme']}" if g.get("theme") else g["part"]}, t) for g, t in found]
        p, r = pairwise(themed)
        out.append(f"the themes ({', '.join(sorted({g['theme'] for g in gold if g.get('theme')}))}) read as parts: "
                   f"precision {p:.3f}  recall {r:.3f}")
    return out


def evaluate(name: str, corpus, gold: list[dict], tolerance: int, seed: int, quiet: bool = False,
             confusion: bool = False) -> dict:
    from gkcorpus.outline.part_types import PartTyper, order_concordance

    pt = PartTyper(random_state=seed, **TYPER_PARAMS).fit(corpus)
    units: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d, s, t in zip(pt.segments_.doc_id, pt.segments_.start, pt.segments_.type):
        units[str(d)].append((int(s), int(t)))
    texts = {d.id: d.text for d in corpus}
    found, missed = [], []
    for g in gold:
        t = match(g, texts[g["doc_id"]], units.get(g["doc_id"], []), tolerance)
        (missed if t is None else found).append((g, t))
    p, r = pairwise(found)
    real = sorted({g["part"] for g in gold})
    if quiet:
        return {"found": len(found), "labelled": len(gold), "precision": p, "recall": r, "types": len(pt.types_),
                "parts": len(real), "as_tasks": pairwise(found, {"reform": "tasks"})}
    print(f"== {name}: {len(corpus)} documents; {pt.selection_}")
    print(f"top-level sections found {len(found)} / labelled {len(gold)} (parts found: {len(pt.parts_)})")
    print(f"pairwise precision {p:.3f}  recall {r:.3f}")
    for line in diagnostics(gold, found):
        print(f"  (diagnostic, {line})")
    print(f"types: {len(pt.types_)} vs {len(real)} real parts ({', '.join(real)}); order concordance "
          f"{order_concordance(pt.segments_.doc_id, pt.segments_.type):.3f}")
    table: dict[str, Counter] = defaultdict(Counter)
    for g, t in found:
        table[g["part"]][t] += 1
    names = {t.type_id: t.name for t in pt.types_}
    for part in sorted(table, key=lambda x: -sum(table[x].values())):
        print(f"  {part:<18} " + ", ".join(f"P{t}:{c}" for t, c in table[part].most_common()))
    print("types: " + "; ".join(f"P{k} {v}" for k, v in names.items()))
    for g, _ in missed:
        print(f"  not found: {g['doc_id']} @{g['start']} [{g['how_marked']}, {g['part']}] "
              f"{g['heading'] or g['anchor'][:12]!r}")
    if confusion:  # every document's parts: type, gold part of the section starting there (- when none), heading
        print("every part: document, type, gold part, how found, heading or first characters")
        starts = {(g["doc_id"], g["start"]): g["part"] for g in gold}
        for r_ in pt.segments_.itertuples():
            gold_part = next((v for (d, s), v in starts.items() if d == r_.doc_id and abs(s - r_.start) <= tolerance), "-")
            head = (r_.heading or r_.text[:20]).replace("\n", " ")[:24]
            print(f"  {r_.doc_id:<24} P{r_.type:<3} {gold_part:<18} {r_.how:<18} {head}")
    print()
    return {"found": len(found), "labelled": len(gold), "precision": p, "recall": r, "types": len(pt.types_),
            "parts": len(real)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=["bundled", "national", "both"], default="both")
    ap.add_argument("--gold-dir", type=Path, default=REPO / "tests" / "data")
    ap.add_argument("--national", type=Path, default=NATIONAL)
    ap.add_argument("--since", type=int, default=1978)
    ap.add_argument("--tolerance", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heldout", action="store_true", help="also score the held-out bilingual reports")
    ap.add_argument("--heldout-since", type=int, default=2016)
    ap.add_argument("--confusion", action="store_true", help="print every part with its type and gold part")
    ap.add_argument("--stability", action="store_true", help="also refit on national corpora with five reports fewer or more")
    ap.add_argument("--resamples", type=int, default=0, help="PartTyper(resamples=...): a consensus of that many refits")
    ap.add_argument("--jackknife", action="store_true", help="also refit on the national corpus with each report left out")
    ap.add_argument("--subsets", type=int, default=0, metavar="N",
                    help="also fit N random subsets (7-15 reports) of the recent reports (national since --subsets-since, "
                         "bilingual since 2019)")
    ap.add_argument("--subsets-since", type=int, default=2005)
    ap.add_argument("--composed", action="store_true", help="also the composed summaries, with and without the practices")
    ap.add_argument("--plain", action="store_true",
                    help="also the best plain clustering of one feature block, its number of types read off the gold")
    args = ap.parse_args(argv)
    TYPER_PARAMS["resamples"] = args.resamples
    import gkcorpus

    for name, path in (("bundled", "section_parts_bundled.csv"), ("national", "section_parts_national.csv")):
        if args.corpus not in (name, "both"):
            continue
        if not (args.gold_dir / path).exists():
            print(f"no gold labels at {args.gold_dir / path}; skipped", file=sys.stderr)
            continue
        if name == "bundled":
            corpus = gkcorpus.load_bundled()
        else:
            if not args.national.exists():
                print(f"national reports not found at {args.national}; skipped", file=sys.stderr)
                continue
            corpus = gkcorpus.load(str(args.national)).subset(lambda d: int(d.meta.get("year", 0)) >= args.since)
        gold = [g for g in read_gold(args.gold_dir / path) if g["doc_id"] in corpus]
        evaluate(f"{name}" + (f" since {args.since}" if name == "national" else ""), corpus, gold,
                 args.tolerance, args.seed, confusion=args.confusion)
        if args.plain:
            print_plain(name, corpus, gold, args.tolerance)
        if name == "national" and args.stability:
            stability(gkcorpus.load(str(args.national)), gold, args)
        if name == "national" and args.jackknife:
            jackknife(corpus, gold, args)
    if args.heldout and BILINGUAL.exists() and HELDOUT.exists():
        corpus = gkcorpus.load(str(BILINGUAL)).subset(lambda d: int(d.meta.get("year", 0)) >= args.heldout_since)
        gold = [g for g in read_gold(HELDOUT) if g["doc_id"] in corpus]
        evaluate(f"held-out bilingual since {args.heldout_since}", corpus, gold, args.tolerance, args.seed,
                 confusion=args.confusion)
    if args.composed:
        for path in COMPOSED:
            composed(path, args)
    if args.subsets and args.national.exists() and BILINGUAL.exists() and HELDOUT.exists():
        subsets(gkcorpus, args)
    return 0


def print_plain(name: str, corpus, gold: list[dict], tolerance: int) -> None:
    from parts_plain import plain_clusterings

    print(f"plain clustering on {name}: best pairwise F1 of one block (form types fixed; k read off the gold)")
    for block, method, k, p, r in plain_clusterings(corpus, gold, tolerance):
        print(f"  {block:<15} {method:<8} k={k:<3} precision {p:.3f}  recall {r:.3f}")
    print()


def stability(everything, gold: list[dict], args) -> None:
    """Scores of the typer refitted on the national corpus with five reports left out or added."""
    years = sorted(int(d.meta.get("year", 0)) for d in everything)
    since = [y for y in years if y >= args.since]
    before = [y for y in years if y < args.since][-5:]
    variants = (("all", set(since)), ("without the last five", set(since[:-5])),
                ("without the first five", set(since[5:])), (f"with {before[0]}–{before[-1]}" if before else "with none",
                                                            set(since) | set(before)))
    print("== stability: the national typer refitted on other sets of reports")
    print(f"{'reports':<28} {'n':>3} {'types':>5} {'precision':>9} {'recall':>6}")
    for label, keep in variants:
        corpus = everything.subset(lambda d: int(d.meta.get("year", 0)) in keep)
        g = [x for x in gold if x["doc_id"] in corpus]
        res = evaluate(label, corpus, g, args.tolerance, args.seed, quiet=True)
        print(f"{label:<28} {len(corpus):>3} {res['types']:>5} {res['precision']:>9.3f} {res['recall']:>6.3f}")


def subsets(gkcorpus, args) -> None:
    """Scores of the typer on random subsets of 7 to 15 recent reports (the national reports from
    ``--subsets-since`` with their full text, the bilingual ones from 2019), each fitted on its own as a user
    would fit a small corpus of one genre and period: the held-out labels read with the national inventory
    (``external`` as ``external_affairs``, the plan period's outlook as ``requirements``)."""
    import random
    import statistics

    national = gkcorpus.load(str(args.national))
    bilingual = gkcorpus.load(str(BILINGUAL))
    pool = [d for d in national if args.subsets_since <= int(d.meta.get("year", 0)) <= 2018 and not d.meta.get("flags")]
    pool += [d for d in bilingual if int(d.meta.get("year", 0)) >= 2019]
    gold = read_gold(args.gold_dir / "section_parts_national.csv")
    read_as = {"external": "external_affairs", "plan_outlook": "requirements"}
    gold += [{**g, "part": read_as.get(g["part"], g["part"])} for g in read_gold(HELDOUT)]
    rng = random.Random(7)
    rows = []
    for _ in range(args.subsets):
        docs = rng.sample(pool, rng.randint(7, min(15, len(pool))))
        corpus = gkcorpus.Corpus(docs)
        res = evaluate("subset", corpus, [g for g in gold if g["doc_id"] in corpus], args.tolerance, args.seed, quiet=True)
        rows.append((len(docs), res["precision"], res["recall"], res["types"], res["parts"], *res["as_tasks"]))
    print(f"== subsets: {len(rows)} random sets of 7-15 of {len(pool)} recent reports, each fitted on its own")
    for label, k in (("", 1), (" (reform read as a topic of the tasks)", 5)):
        f1 = [2 * r[k] * r[k + 1] / (r[k] + r[k + 1]) if r[k] + r[k + 1] else 0.0 for r in rows]
        print(f"pairwise F1{label} min {min(f1):.3f}  median {statistics.median(f1):.3f}  mean {statistics.mean(f1):.3f}; "
              f"precision and recall both at least 0.9: {sum(r[k] >= 0.9 and r[k + 1] >= 0.9 for r in rows)} of {len(rows)}")
    for n, p, r, k, parts, pt_, rt in rows:
        print(f"  {n:>2} reports: {p:.3f} / {r:.3f}, {k} types for {parts} parts (reform as tasks: {pt_:.3f} / {rt:.3f})")


def read_composed(path: Path):
    """The composed summaries as a corpus, and their labels as gold rows (each section's start is where its anchor
    is found in the cleaned text; the opening and the closing are unheaded)."""
    import json

    from gkcorpus import Corpus
    from gkcorpus.base.io import RawDocument

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = Corpus.from_raw([RawDocument(r["id"], r["text"]) for r in records])
    gold = []
    for r in records:
        text = corpus[r["id"]].text
        for s in r["sections"]:
            start = text.find(s["anchor"])
            if start < 0:
                raise ValueError(f"{r['id']}: anchor {s['anchor']!r} not in the cleaned text")
            unheaded = s["part"] in ("opening", "closing")
            gold.append({"doc_id": r["id"], "start": start, "part": s["part"], "anchor": s["anchor"], "heading": "",
                         "how_marked": "unheaded" if unheaded else "numbered"})
    return corpus, gold


def composed(path: Path, args) -> None:
    """Scores on composed summaries, with the typer's defaults and without the practices and genre groups."""
    corpus, gold = read_composed(path)
    evaluate(f"composed summaries ({path.name})", corpus, gold, args.tolerance, args.seed, confusion=args.confusion)
    TYPER_PARAMS.update(practices=False, by_genre=False)
    try:
        evaluate(f"{path.name}, without the practices and the genres apart", corpus, gold, args.tolerance,
                 args.seed, confusion=args.confusion)
    finally:
        del TYPER_PARAMS["practices"], TYPER_PARAMS["by_genre"]


def jackknife(corpus, gold: list[dict], args) -> None:
    """Scores of the typer refitted on the national corpus with each report left out in turn."""
    import statistics

    rows = []
    for d in corpus:
        sub = corpus.subset(lambda x, left=d.id: x.id != left)
        res = evaluate(d.id, sub, [g for g in gold if g["doc_id"] in sub], args.tolerance, args.seed, quiet=True)
        rows.append((d.id, res["precision"], res["recall"], res["types"]))
    print(f"== jackknife: the national typer refitted {len(rows)} times, one report left out each time")
    for label, k in (("precision", 1), ("recall", 2)):
        vals = [r[k] for r in rows]
        print(f"{label:<10} min {min(vals):.3f}  median {statistics.median(vals):.3f}  max {max(vals):.3f}")
    print(f"precision and recall both at least 0.9: {sum(r[1] >= 0.9 and r[2] >= 0.9 for r in rows)} of {len(rows)}")
    print("the five lowest F1 (left out: precision / recall, types):")
    for doc, p, r, k in sorted(rows, key=lambda r: 2 * r[1] * r[2] / max(r[1] + r[2], 1e-9))[:5]:
        print(f"  {doc:<24} {p:.3f} / {r:.3f}, {k}")


if __name__ == "__main__":
    sys.exit(main())

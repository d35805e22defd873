"""Phrase bank against the hand-labelled formula gold: recall, and precision of the top 100 by reading.

For each corpus (the fifteen bundled summaries; the 50 national reports in ../shared/corpora) it prints
one column per phrase bank given (``--bank national=PATH:before``) and one for the closed character
n-gram baseline:

* **formula recall**: a gold formula (tests/data/formulae_gold_<corpus>.csv) is found when the list
  holds it, or a superstring at most 4 characters longer, with df within 1 of the true df; a gapped
  gold formula (written with …) is found only by an entry whose pattern equals it (df within 1);
* **top-100 judgements**: the share of the first 100 entries judged ``formula`` / ``collocation`` /
  ``term`` / ``fragment`` in benchmarks/judgements/phrases_<corpus>.csv (written by reading the
  lists; entries not judged yet are counted as ``unjudged`` and listed with ``--show-unjudged``).
  When a bank labels entries with the kinds formula/collocation/term, the precision of each kind is
  also printed: of the first 100 entries of that kind, the share judged to be that kind.

A bank that folds variants (为人民出政绩、以实干出政绩 / 为人民出政绩，以实干出政绩) lists each wording
with its own df under ``variants``; the row "folded wordings counted" gives the recall when those
wordings count as held by the bank. An entry's ``df`` is that of the wording it shows (what
``Corpus.kwic`` finds for that string); ``df_folded``, the union over its wordings, is not used here.

The baseline is every character n-gram (n = 4…30, no line break inside) in at least 3 documents,
closed under containment (an n-gram is dropped when a longer one containing it has the same df),
ranked by df, then length.

Without ``--bank`` the legacy n-gram miner (``--bank legacy``, the bank before the formula miner) and
the current formula miner are run (``gkcorpus phrases CORPUS --top 0``) into a temporary folder, so
the table shows the before, n-gram baseline and now columns. With ``--bank``, the given files instead. Example::

    python benchmarks/eval_phrases.py \\
        --bank national=/tmp/base_national/phrases/phrasebank.json:before \\
        --bank bundled=/tmp/base_bundled/phrases/phrasebank.json:before
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
JUDGEMENTS = Path(__file__).resolve().parent / "judgements"
SHARED = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"
JUDGED_KINDS = ("formula", "collocation", "term", "fragment")
TOP = 100


@dataclass
class Entry:
    """One phrase of a list: its text (gapped ones contain …), df and the kind the list gives it."""

    phrase: str
    df: int
    kind: str = ""
    variants: list[tuple[str, int]] = field(default_factory=list)  # folded wordings (text, df), when listed


@dataclass
class Gold:
    phrase: str
    df: int


@dataclass
class Column:
    label: str
    entries: list[Entry]
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    found_variants: list[str] = field(default_factory=list)


def corpus_texts(name: str) -> dict[str, str]:
    """Cleaned doc.text by document id, as gkcorpus sees it."""
    import gkcorpus

    corpus = gkcorpus.load_bundled() if name == "bundled" else gkcorpus.load(SHARED)
    return {d.id: d.text for d in corpus}


def corpus_path(name: str) -> list[str]:
    return [] if name == "bundled" else [str(SHARED)]


def read_gold(name: str) -> list[Gold]:
    with open(DATA / f"formulae_gold_{name}.csv", encoding="utf-8", newline="") as f:
        return [Gold(r["phrase"], int(r["df"])) for r in csv.DictReader(f)]


def read_bank(path: Path) -> list[Entry]:
    """Entries of a phrasebank.json (a list, or a dict with ``phrases``), in the file's order."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = data["phrases"] if isinstance(data, dict) else data
    return [Entry(str(x["phrase"]), int(x["df"]), str(x.get("kind", "")),
                  [(str(v["text"]), int(v["df"])) for v in x.get("variants") or []]) for x in items]


def with_variants(entries: list[Entry]) -> list[Entry]:
    """The entries followed by each folded wording as an entry of its own (its own df)."""
    return entries + [Entry(t, d, e.kind) for e in entries for t, d in e.variants if t != e.phrase]


def run_miner(name: str, out: Path, bank: str = "formulae") -> Path:
    """A phrase miner of this tree (``bank``: formulae or legacy) over the corpus, every phrase exported (``--top 0``)."""
    cmd = [sys.executable, "-m", "gkcorpus", "phrases", *corpus_path(name), "-o", str(out),
           "--format", "json", "--top", "0", "--bank", bank]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out / "phrasebank.json"


def ngram_baseline(texts: dict[str, str], lo: int = 4, hi: int = 30, min_df: int = 3) -> list[Entry]:
    """Closed character n-grams: df >= min_df, lo <= n <= hi, none containing a line break.

    Grown level by level: an (n+1)-gram can be frequent only when both its n-gram prefix and suffix
    are. An n-gram is dropped when one of its frequent (n+1)-gram extensions has the same df (then
    some longer n-gram containing it does, and conversely).
    """
    docs = list(texts.values())
    level: dict[str, int] = {}
    counts: dict[str, set[int]] = defaultdict(set)
    for i, t in enumerate(docs):
        for j in range(len(t) - lo + 1):
            g = t[j:j + lo]
            if "\n" not in g:
                counts[g].add(i)
    level = {g: len(s) for g, s in counts.items() if len(s) >= min_df}
    kept: list[Entry] = []
    n = lo
    while level:
        nxt: dict[str, set[int]] = defaultdict(set)
        if n < hi:
            for i, t in enumerate(docs):
                for j in range(len(t) - n):
                    if t[j:j + n] in level and t[j + 1:j + n + 1] in level:
                        g = t[j:j + n + 1]
                        if "\n" not in g:
                            nxt[g].add(i)
        longer = {g: len(s) for g, s in nxt.items() if len(s) >= min_df}
        covered = set()
        for g, df in longer.items():
            if level.get(g[:-1]) == df:
                covered.add(g[:-1])
            if level.get(g[1:]) == df:
                covered.add(g[1:])
        kept.extend(Entry(g, df, "ngram") for g, df in level.items() if g not in covered)
        level, n = longer, n + 1
    kept.sort(key=lambda e: (-e.df, -len(e.phrase), e.phrase))
    return kept


def score_recall(gold: list[Gold], entries: list[Entry]) -> tuple[list[str], list[str]]:
    """(found, missed) gold phrases under the superstring (<= 4 more characters) and df +-1 rule."""
    exact: dict[str, int] = {}
    for e in entries:
        exact.setdefault(e.phrase, e.df)
    by_len = [e for e in entries if "…" not in e.phrase]
    found, missed = [], []
    for g in gold:
        ok = g.phrase in exact and abs(exact[g.phrase] - g.df) <= 1
        if not ok and "…" not in g.phrase:
            n = len(g.phrase)
            ok = any(n < len(e.phrase) <= n + 4 and g.phrase in e.phrase and abs(e.df - g.df) <= 1
                     for e in by_len)
        (found if ok else missed).append(g.phrase)
    return found, missed


def read_judgements(name: str) -> dict[str, str]:
    path = JUDGEMENTS / f"phrases_{name}.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    bad = [r["phrase"] for r in rows if r["judgement"] not in JUDGED_KINDS]
    if bad:
        raise SystemExit(f"{path}: judgement must be one of {', '.join(JUDGED_KINDS)} (phrase {bad[0]})")
    return {r["phrase"]: r["judgement"] for r in rows}


def judged_shares(entries: list[Entry], judged: dict[str, str]) -> Counter:
    return Counter(judged.get(e.phrase, "unjudged") for e in entries[:TOP])


def kind_precision(entries: list[Entry], judged: dict[str, str]) -> dict[str, str]:
    """For banks that label kinds: of the first 100 entries of each kind, the share judged that kind."""
    out = {}
    for kind in ("formula", "collocation", "term"):
        top = [e for e in entries if e.kind == kind][:TOP]
        if top:
            ok = sum(judged.get(e.phrase) == kind for e in top)
            unj = sum(e.phrase not in judged for e in top)
            out[kind] = f"{ok}/{len(top)}" + (f" ({unj} unjudged)" if unj else "")
    return out


def report(name: str, columns: list[Column], gold: list[Gold], judged: dict[str, str],
           show_missed: bool, show_unjudged: bool) -> None:
    n = len(gold)
    n_gap = sum("…" in g.phrase for g in gold)
    rows: list[tuple[str, list[str]]] = []
    rows.append(("entries", [str(len(c.entries)) for c in columns]))
    rows.append((f"formula recall (of {n})", [f"{len(c.found)}/{n} = {len(c.found) / n:.2f}" for c in columns]))
    if any(c.found_variants != c.found for c in columns):
        rows.append(("  folded wordings counted", [f"{len(c.found_variants)}/{n} = {len(c.found_variants) / n:.2f}"
                                                 for c in columns]))
    if n_gap:
        rows.append((f"  gapped (of {n_gap})",
                     [str(sum('…' in p for p in c.found)) for c in columns]))
    shares = [judged_shares(c.entries, judged) for c in columns]
    for k in (*JUDGED_KINDS, "unjudged"):
        rows.append((f"top-{TOP} judged {k}", [str(s.get(k, 0)) for s in shares]))
    precs = [kind_precision(c.entries, judged) for c in columns]
    for k in ("formula", "collocation", "term"):
        if any(k in p for p in precs):
            rows.append((f"precision of kind {k}", [p.get(k, "-") for p in precs]))
    width = max(len(r[0]) for r in rows) + 2
    colw = max(14, *(len(c.label) + 2 for c in columns), *(len(v) + 2 for r in rows for v in r[1]))
    print(f"\n== {name} ({n} gold formulae) ==")
    print("".ljust(width) + "".join(c.label.rjust(colw) for c in columns))
    for label, vals in rows:
        print(label.ljust(width) + "".join(v.rjust(colw) for v in vals))
    if show_missed:
        for c in columns:
            print(f"missed by {c.label}: " + " | ".join(c.missed))
    if show_unjudged:
        for c in columns:
            firsts = c.entries[:TOP] + [e for k in ("formula", "collocation", "term")
                                         for e in [x for x in c.entries if x.kind == k][:TOP]]
            todo = list(dict.fromkeys(e.phrase for e in firsts if e.phrase not in judged))
            if todo:
                print(f"unjudged in the top {TOP} of {c.label}: " + " | ".join(todo))


def parse_banks(specs: list[str]) -> dict[str, list[tuple[str, Path]]]:
    out: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for spec in specs:
        corpus, _, rest = spec.partition("=")
        path, _, label = rest.partition(":")
        if corpus not in ("national", "bundled") or not path:
            raise SystemExit(f"--bank {spec}: expected national=PATH[:LABEL] or bundled=PATH[:LABEL]")
        if not Path(path).exists():
            raise SystemExit(f"{path}: no such phrase bank")
        out[corpus].append((label or Path(path).parent.parent.name or path, Path(path)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=("national", "bundled", "both"), default="both")
    ap.add_argument("--bank", action="append", default=[], metavar="CORPUS=PATH[:LABEL]",
                    help="a phrasebank.json to evaluate (repeatable; one column each)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the n-gram baseline column")
    ap.add_argument("--show-missed", action="store_true", help="list the gold formulae each column misses")
    ap.add_argument("--show-unjudged", action="store_true", help="list entries not judged yet among the top 100 and the first 100 of each kind")
    args = ap.parse_args(argv)
    banks = parse_banks(args.bank)
    names = ["bundled", "national"] if args.corpus == "both" else [args.corpus]
    if "national" in names and not SHARED.exists():
        print(f"{SHARED}: not found; skipping the national reports", file=sys.stderr)
        names.remove("national")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            texts = corpus_texts(name)
            gold = read_gold(name)
            specs = banks.get(name) or [("before (legacy)", run_miner(name, Path(tmp) / f"{name}-legacy", "legacy")),
                                        ("now", run_miner(name, Path(tmp) / name))]
            columns = [Column(label, read_bank(path)) for label, path in specs]
            if not args.no_baseline:
                columns.append(Column("ngram baseline", ngram_baseline(texts)))
            for c in columns:
                c.found, c.missed = score_recall(gold, c.entries)
                c.found_variants = score_recall(gold, with_variants(c.entries))[0]
            report(name, columns, gold, read_judgements(name), args.show_missed, args.show_unjudged)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

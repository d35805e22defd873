"""Sentence templates against the hand-labelled frame gold: recall, useful share of the top 50, slot types.

For each corpus (the fifteen bundled summaries; the 50 national reports in ../shared/corpora) it prints
one column per template library given (``--templates national=PATH:before``) and one for drain3:

* **frame recall**: a gold frame (tests/data/frames_gold_<corpus>.csv: a regex over the cleaned
  ``doc.text``) is recovered when ONE mined template covers it in at least 80% of the documents the
  regex matches. A template covers a match when one of its instances (clean offsets) overlaps at
  least half of the match's fixed characters (the match minus its named slot groups);
* **useful in the top 50** in the library's own order (the order of its file: a frame library is
  ordered by support × fixed content; ``--rank support`` ranks by support instead, ties: more
  instances, more fixed characters): judgements in
  benchmarks/judgements/frames_<corpus>.csv (template, judgement in useful / collocation / broken),
  written by reading the lists; entries not judged yet are counted as ``unjudged``; and by the blind
  readings (frames_<corpus>_blind_r*.csv, read by someone who had not built the miner and had not
  seen those judgements), each construction counted once;
* **slot-type accuracy** on tests/data/slot_types_sample.csv: a sample value is covered when some
  template slot holds exactly that value in an instance of the same document, or, for a quantity
  (NUM, PERCENT, MONEY, YEAR), the same number with a unit written apart (the sample's ``859`` and a
  slot's ``859万人``: number 859, unit 万人, as a table of figures keeps them; both must be one
  number and a unit, ``frame_slots.split_quantity``); the predicted type is that slot's type (the
  most common one when several slots hold it). Printed as correct/covered, covered/sample, and
  correct/sample (an uncovered value is not a correct one).

drain3 is run over clause units (the text split at ，；：。！？ and line breaks), jieba-segmented and
joined with spaces, for a small sweep of ``sim_th`` and ``depth``; the column shows the setting with
the best recall (then the most documents covered), its clusters ranked by support; ``--drain 0.4/4`` runs chosen settings only (the
full sweep over the national reports took 10.6 CPU minutes, 35 minutes on a loaded machine). drain3 has no slot types: its
slots count as TEXT.

Without ``--templates`` both miners are run into a temporary folder: the frames (``gkcorpus templates mine``,
what ``gkcorpus mine`` writes) and the whole-sentence templates they replaced (``--sentences``).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_phrases import DATA, JUDGEMENTS, SHARED, corpus_path, corpus_texts  # noqa: E402

TOP = 50
COVER = 0.8
JUDGED = ("useful", "collocation", "broken")
CLAUSE = re.compile(r"[^，；：。！？\n]+")
QUANTITIES = ("NUM", "PERCENT", "MONEY", "YEAR")
SWEEP = [(s, d) for s in (0.3, 0.4, 0.5, 0.6) for d in (4, 6)]


@dataclass
class Instance:
    doc_id: str
    start: int
    end: int
    slots: dict[str, str] = field(default_factory=dict)


@dataclass
class Template:
    """A mined template: its text, support (documents), slot types by slot name, and instances."""

    text: str
    support: int
    n_instances: int
    fixed_chars: int
    slot_types: dict[str, str]
    instances: list[Instance]


@dataclass
class Frame:
    frame_id: str
    frame: str
    df: int
    matches: dict[str, list[tuple[int, int, frozenset[int]]]]  # doc -> (start, end, fixed positions)


@dataclass
class Result:
    label: str
    templates: list[Template]
    coverage: dict[str, tuple[float, str]] = field(default_factory=dict)  # frame -> (share, template)


def read_templates(path: Path) -> list[Template]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = data["templates"] if isinstance(data, dict) else data
    out = []
    for t in items:
        types = {s["name"]: s.get("type", "TEXT") for s in t.get("slots", [])}
        inst = [Instance(i["doc_id"], int(i["start"]), int(i["end"]), dict(i.get("slot_values") or {}))
                for i in t.get("instances", [])]
        out.append(Template(t["template"], int(t["support"]), int(t.get("n_instances", len(inst))),
                            int(t.get("fixed_chars", 0)), types, inst))
    return out


def run_miner(name: str, out: Path, sentences: bool = False) -> Path:
    """``gkcorpus templates mine`` into ``out``: the frames (frames.json), or with ``sentences`` the
    whole-sentence templates of TemplateMiner (templates.json), the baseline the frames replace."""
    cmd = [sys.executable, "-m", "gkcorpus", "templates", "mine", *(["--sentences"] if sentences else []),
           *corpus_path(name), "-o", str(out)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out / ("templates.json" if sentences else "frames.json")


def read_frames(name: str, texts: dict[str, str]) -> list[Frame]:
    frames = []
    with open(DATA / f"frames_gold_{name}.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rx = re.compile(row["regex"])
            matches: dict[str, list] = defaultdict(list)
            for doc, text in texts.items():
                for m in rx.finditer(text):
                    fixed = set(range(m.start(), m.end()))
                    for g in rx.groupindex:
                        if m.start(g) >= 0:
                            fixed -= set(range(m.start(g), m.end(g)))
                    matches[doc].append((m.start(), m.end(), frozenset(fixed or range(m.start(), m.end()))))
            frames.append(Frame(row["frame_id"], row["frame"], len(matches), dict(matches)))
    return frames


def covers(inst: Instance, match: tuple[int, int, frozenset[int]]) -> bool:
    start, end, fixed = match
    if inst.end <= start or inst.start >= end:
        return False
    inside = sum(1 for p in fixed if inst.start <= p < inst.end)
    return inside * 2 >= len(fixed)


def frame_coverage(frames: list[Frame], templates: list[Template]) -> dict[str, tuple[float, str]]:
    """For each frame, the best single template's share of the frame's documents it covers."""
    best: dict[str, tuple[float, str]] = {f.frame_id: (0.0, "") for f in frames}
    by_doc: dict[str, list[tuple[Frame, tuple]]] = defaultdict(list)
    for f in frames:
        for doc, ms in f.matches.items():
            by_doc[doc].extend((f, m) for m in ms)
    for t in templates:
        docs: dict[str, set[str]] = defaultdict(set)
        for inst in t.instances:
            for f, m in by_doc.get(inst.doc_id, ()):
                if covers(inst, m):
                    docs[f.frame_id].add(inst.doc_id)
        for f in frames:
            if f.df and docs.get(f.frame_id):
                share = len(docs[f.frame_id]) / f.df
                if share > best[f.frame_id][0]:
                    best[f.frame_id] = (share, t.text)
    return best


def ranked(templates: list[Template], by: str = "library") -> list[Template]:
    """The templates in the library's own order (``library``: as listed in its file) or by support."""
    if by == "library":
        return list(templates)
    return sorted(templates, key=lambda t: (-t.support, -t.n_instances, -t.fixed_chars, t.text))


def read_judgements(name: str) -> dict[str, str]:
    path = JUDGEMENTS / f"frames_{name}.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    bad = [r["template"] for r in rows if r["judgement"] not in JUDGED]
    if bad:
        raise SystemExit(f"{path}: judgement must be one of {', '.join(JUDGED)} (template {bad[0]})")
    return {r["template"]: r["judgement"] for r in rows}


def blind_rounds(name: str) -> list[int]:
    """The numbers of the blind reading rounds kept for ``name`` (frames_<corpus>_blind_r<N>.csv)."""
    return sorted(int(p.stem.rsplit("_r", 1)[1]) for p in JUDGEMENTS.glob(f"frames_{name}_blind_r*.csv"))


def read_blind(name: str, rounds: list[int] | None = None) -> dict[str, tuple[str, str]]:
    """The blind readings (benchmarks/judgements/frames_<corpus>_blind_r*.csv, later rounds over earlier
    ones; ``rounds``: only those): template -> (judgement, the template it repeats or ""). A round's
    ``duplicate_of`` is a rank in that round's own file, or ``duplicate_of_template`` names the frame."""
    out: dict[str, tuple[str, str]] = {}
    for k in blind_rounds(name) if rounds is None else rounds:
        path = JUDGEMENTS / f"frames_{name}_blind_r{k}.csv"
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        by_rank = {r["rank"]: r["template"] for r in rows}
        for r in rows:
            dup = r.get("duplicate_of_template") or (by_rank.get(r["duplicate_of"], "") if r.get("duplicate_of") else "")
            if r.get("duplicate_of") and not dup:
                raise SystemExit(f"{path}: duplicate_of {r['duplicate_of']} names no row of the file (template {r['template']})")
            out[r["template"]] = (r["judgement"], dup)
    return out


def blind_useful(top: list[Template], blind: dict[str, tuple[str, str]]) -> tuple[int, int]:
    """Useful frames among ``top`` by the blind readings, each construction once (a useful repeat of a
    useful frame ranked above it is not counted; a repeat of one that is not useful is), and how many
    of ``top`` no blind reading judged."""
    texts = [t.text for t in top]
    useful = 0
    for k, t in enumerate(texts):
        judgement, dup = blind.get(t, ("", ""))
        if judgement == "useful" and not (dup in texts[:k] and blind.get(dup, ("", ""))[0] == "useful"):
            useful += 1
    return useful, sum(t not in blind for t in texts)


def slot_accuracy(name: str, templates: list[Template]) -> tuple[int, int, int]:
    """(correct, covered, sample size) on the corpus's rows of the slot-type sample."""
    with open(DATA / "slot_types_sample.csv", encoding="utf-8", newline="") as f:
        sample = [r for r in csv.DictReader(f) if r["corpus"] == name]
    from gkcorpus.templates.frame_slots import split_quantity

    held: dict[tuple[str, str], Counter] = defaultdict(Counter)
    numbers: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for t in templates:
        for inst in t.instances:
            for slot, value in inst.slots.items():
                if value:
                    kind = t.slot_types.get(slot, "TEXT")
                    held[(inst.doc_id, value.strip())][kind] += 1
                    q = split_quantity(value)
                    if q:
                        numbers[(inst.doc_id, q[0])][kind] += 1
    correct = covered = 0
    for r in sample:
        types = held.get((r["doc_id"], r["value"]))
        q = split_quantity(r["value"]) if r["true_type"] in QUANTITIES else None
        if not types and q:
            types = numbers.get((r["doc_id"], q[0]))
        if types:
            covered += 1
            correct += types.most_common(1)[0][0] == r["true_type"]
    return correct, covered, len(sample)


def clause_units(texts: dict[str, str]) -> list[tuple[str, int, int, str]]:
    return [(doc, m.start(), m.end(), m.group(0)) for doc, t in texts.items() for m in CLAUSE.finditer(t)
            if m.group(0).strip()]


def drain_templates(units, tokens: list[list[str]], sim_th: float, depth: int) -> list[Template]:
    """drain3 clusters of clause units as templates (<*> slots typed TEXT; values are the tokens)."""
    from drain3 import TemplateMiner
    from drain3.template_miner_config import TemplateMinerConfig

    logging.getLogger("drain3").setLevel(logging.WARNING)
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    cfg.drain_sim_th = sim_th
    cfg.drain_depth = depth
    tm = TemplateMiner(config=cfg)
    ids = [tm.add_log_message(" ".join(toks))["cluster_id"] for toks in tokens]
    final = {c.cluster_id: c.get_template().split(" ") for c in tm.drain.clusters}
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(ids):
        members[c].append(i)
    out = []
    for c, idx in members.items():
        tpl = final[c]
        insts = []
        for i in idx:
            doc, s, e, _ = units[i]
            toks = tokens[i]
            slots = ({f"TEXT_{k}": tok for k, (p, tok) in enumerate(zip(tpl, toks)) if p == "<*>"}
                     if len(toks) == len(tpl) else {})
            insts.append(Instance(doc, s, e, slots))
        text = "".join("{TEXT}" if p == "<*>" else p for p in tpl)
        fixed = sum(len(p) for p in tpl if p != "<*>")
        out.append(Template(text, len({x.doc_id for x in insts}), len(insts), fixed,
                            {f"TEXT_{k}": "TEXT" for k in range(len(tpl))}, insts))
    return ranked(out, "support")  # drain3's clusters have no order of their own


def segment(units) -> list[list[str]]:
    from gkcorpus.text.tokenize import Tokenizer

    tok = Tokenizer(backend="jieba", keep_punct=True)
    return [[t for t in tok.cut(u[3]) if t.strip()] or [u[3]] for u in units]


def evaluate(res: Result, frames: list[Frame]) -> None:
    res.coverage = frame_coverage(frames, res.templates)


def recall(res: Result) -> int:
    return sum(share >= COVER for share, _ in res.coverage.values())


def report(name: str, results: list[Result], frames: list[Frame], judged: dict[str, str],
           show_frames: bool, show_unjudged: bool, rank: str = "library") -> None:
    n = len(frames)
    rows: list[tuple[str, list[str]]] = [("templates", [str(len(r.templates)) for r in results])]
    rows.append((f"frame recall (>= {COVER:.0%} of docs)", [f"{recall(r)}/{n} = {recall(r) / n:.2f}" for r in results]))
    rows.append(("mean best coverage", [f"{sum(s for s, _ in r.coverage.values()) / n:.2f}" for r in results]))
    tops = [ranked(r.templates, rank)[:TOP] for r in results]
    order = "library order" if rank == "library" else "by support"
    for k in (*JUDGED, "unjudged"):
        rows.append((f"top-{TOP} {k} ({order})", [str(sum(judged.get(t.text, 'unjudged') == k for t in top)) for top in tops]))
    blind = read_blind(name)
    if blind:
        counts = [blind_useful(top, blind) for top in tops]
        rows.append((f"top-{TOP} useful, blind reading, each once", [f"{u} ({n} unread)" for u, n in counts]))
        rounds = blind_rounds(name)
        if len(rounds) > 1:  # readers differ in how strict they are: each round alone
            for k in rounds:
                counts = [blind_useful(top, read_blind(name, [k])) for top in tops]
                rows.append((f"  r{k} alone", [f"{u} ({n} unread)" for u, n in counts]))
    accs = [slot_accuracy(name, r.templates) for r in results]
    rows.append(("slot-type accuracy", [f"{c}/{v}" + (f" = {c / v:.2f}" if v else "") for c, v, _ in accs]))
    rows.append(("  sample values covered", [f"{v}/{s}" for _, v, s in accs]))
    rows.append(("  correct over the whole sample", [f"{c}/{s}" + (f" = {c / s:.2f}" if s else "") for c, _, s in accs]))
    width = max(len(r[0]) for r in rows) + 2
    colw = max(16, *(len(r.label) + 2 for r in results), *(len(v) + 2 for row in rows for v in row[1]))
    print(f"\n== {name} ({n} gold frames) ==")
    print("".ljust(width) + "".join(r.label.rjust(colw) for r in results))
    for label, vals in rows:
        print(label.ljust(width) + "".join(v.rjust(colw) for v in vals))
    if show_frames:
        print("best coverage per frame (" + " / ".join(r.label for r in results) + "):")
        for f in frames:
            cells = [f"{r.coverage[f.frame_id][0]:.2f}" for r in results]
            best = results[0].coverage[f.frame_id][1]
            print(f"  {f.frame_id} df={f.df:<3} {' / '.join(cells)}  {f.frame}   <- {best[:60]}")
    if show_unjudged:
        for r, top in zip(results, tops):
            todo = [t.text for t in top if t.text not in judged]
            if todo:
                print(f"unjudged in the top {TOP} of {r.label}: " + " | ".join(todo))


def parse_specs(specs: list[str]) -> dict[str, list[tuple[str, Path]]]:
    out: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for spec in specs:
        corpus, _, rest = spec.partition("=")
        path, _, label = rest.partition(":")
        if corpus not in ("national", "bundled") or not path:
            raise SystemExit(f"--templates {spec}: expected national=PATH[:LABEL] or bundled=PATH[:LABEL]")
        if not Path(path).exists():
            raise SystemExit(f"{path}: no such template library")
        out[corpus].append((label or path, Path(path)))
    return out


def parse_drain(specs: list[str]) -> list[tuple[float, int]]:
    out = []
    for spec in specs:
        sim, _, depth = spec.partition("/")
        try:
            out.append((float(sim), int(depth or 4)))
        except ValueError:
            raise SystemExit(f"--drain {spec}: expected SIM_TH/DEPTH, e.g. 0.4/4") from None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=("national", "bundled", "both"), default="both")
    ap.add_argument("--templates", action="append", default=[], metavar="CORPUS=PATH[:LABEL]",
                    help="a templates.json to evaluate (repeatable; one column each)")
    ap.add_argument("--no-drain", action="store_true", help="skip the drain3 baseline")
    ap.add_argument("--drain", action="append", default=[], metavar="SIM_TH/DEPTH",
                    help="drain3 settings to try instead of the default sweep (repeatable), e.g. 0.4/4")
    ap.add_argument("--rank", choices=("library", "support"), default="library",
                    help="order of the top 50: the library's own (default) or by support")
    ap.add_argument("--show-frames", action="store_true", help="best coverage of each gold frame")
    ap.add_argument("--show-unjudged", action="store_true", help="list top-50 templates not judged yet")
    args = ap.parse_args(argv)
    specs = parse_specs(args.templates)
    names = ["bundled", "national"] if args.corpus == "both" else [args.corpus]
    if "national" in names and not SHARED.exists():
        print(f"{SHARED}: not found; skipping the national reports", file=sys.stderr)
        names.remove("national")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            texts = corpus_texts(name)
            frames = read_frames(name, texts)
            given = specs.get(name) or [("sentence templates", run_miner(name, Path(tmp) / f"{name}-s", True)),
                                         ("frames", run_miner(name, Path(tmp) / name))]
            results = [Result(label, read_templates(path)) for label, path in given]
            for r in results:
                evaluate(r, frames)
            if not args.no_drain:
                units = clause_units(texts)
                tokens = segment(units)
                sweep = []
                for sim_th, depth in parse_drain(args.drain) or SWEEP:
                    r = Result(f"drain3 {sim_th}/{depth}", drain_templates(units, tokens, sim_th, depth))
                    evaluate(r, frames)
                    sweep.append(r)
                    print(f"[{name}] drain3 sim_th={sim_th} depth={depth}: recall {recall(r)}/{len(frames)}, "
                          f"{len(r.templates)} templates", file=sys.stderr)
                results.append(max(sweep, key=lambda r: (recall(r), sum(s for s, _ in r.coverage.values()))))
            report(name, results, frames, read_judgements(name), args.show_frames, args.show_unjudged, args.rank)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

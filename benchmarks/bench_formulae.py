"""The phrase stage with the legacy phrase miner and with the formula miner (the phrase bank), timed in one run, and the top of each bank.

    python benchmarks/bench_formulae.py                      # the 50 national reports (../shared/corpora)
    python benchmarks/bench_formulae.py --bundled --top 20   # the fifteen bundled summaries
    python benchmarks/bench_formulae.py --stage --rounds 4   # the whole boilerplate stage of ``mine``, both banks

Both miners get what ``gkcorpus mine`` gives them: every document segmented once beforehand (the
segmentation memo), one suffix array, the sentences and the shared passages. Each miner is timed
``--rounds`` times, alternating, so that load from other processes falls on both; the table shows
every round and the medians (wall clock; the CPU time's median beside it, steadier on a shared
machine). Then the first ``--top`` entries of each kind of the formula bank.

To compare with an earlier version of the package, run this script alternately under each tree
(``PYTHONPATH=OTHER/src python OTHER/benchmarks/bench_formulae.py``, then this one, twice): the legacy
miner is the same code in both and shows how loaded the machine was.

``--stage`` times instead the whole boilerplate stage as ``gkcorpus mine`` runs it (shared passages,
the bank, the 套话 index and every export of ``phrases/`` and ``reuse/``, with ``mine``'s defaults:
every format, the first 1,000 entries of each kind) with the default bank and with ``--bank legacy``,
alternating, after one untimed round of each; CPU seconds per round, their medians, and the load
average before and after.

``--against OTHER/src`` compares instead the stages of a whole ``mine`` run (no plots, no report) under
another tree of the package with this one, alternating, each run in a process of its own whose stage
clock counts CPU seconds (``time.perf_counter`` replaced by ``time.process_time``): the way to compare
with the code as it was before the formula bank, whose stage cannot be called on its own:

    git worktree add /tmp/before 1a8255b^1   # main before the formula bank
    python benchmarks/bench_formulae.py --against /tmp/before/src --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "corpora" / "gwr_national.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundled", action="store_true", help="the bundled summaries instead of the national reports")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--stage", action="store_true",
                    help="time the boilerplate stage of `gkcorpus mine` with each bank instead of the miners alone")
    ap.add_argument("--against", metavar="SRC", type=Path,
                    help="compare the stages of `mine` under another tree's src/ with this one (CPU s)")
    args = ap.parse_args()
    if args.against:
        return against(args.against, args.bundled, args.rounds)
    if args.stage:
        return stage(args.bundled, args.rounds)

    import gkcorpus
    from gkcorpus.app.pipeline import prime_segmentation
    from gkcorpus.boilerplate.phrases import FormulaMiner, PhraseMiner
    from gkcorpus.boilerplate.reuse import ReuseFinder, document_sentences
    from gkcorpus.kernels.suffix import TextIndex
    from gkcorpus.text.tokenize import Tokenizer, segmentation_memo

    corpus = gkcorpus.load_bundled() if args.bundled else gkcorpus.load([str(SOURCE)])
    corpus = gkcorpus.Corpus(sorted(corpus.documents, key=lambda d: d.id))
    times: dict[str, list[float]] = {"legacy": [], "formulae": []}
    cpu: dict[str, list[float]] = {"legacy": [], "formulae": []}
    with segmentation_memo() as memo:
        prime_segmentation(corpus, "jieba", None, None, memo)
        index = TextIndex([d.text for d in corpus])
        sentences = [document_sentences(d, i) for i, d in enumerate(corpus)]
        passages = ReuseFinder().fit(corpus, index=index, sentences=sentences).passages_
        for r in range(args.rounds):
            order = [("legacy", PhraseMiner), ("formulae", FormulaMiner)]
            for name, cls in order if r % 2 == 0 else order[::-1]:
                t, c = time.perf_counter(), time.process_time()
                miner = cls(tokenizer=Tokenizer()).fit(corpus, index=index, passages=passages, sentences=sentences)
                times[name].append(time.perf_counter() - t)
                cpu[name].append(time.process_time() - c)
                if name == "formulae":
                    bank = miner.formulae_
                else:
                    n_old = len(miner.phrases_)
    print(f"{len(corpus)} documents, {corpus.n_chars:,} characters")
    print("miner     entries  " + "  ".join(f"round {i + 1}" for i in range(args.rounds)) + "  median")
    for name, n in (("legacy", n_old), ("formulae", len(bank))):
        ts = times[name]
        print(f"{name:9} {n:7}  " + "  ".join(f"{t:7.2f}" for t in ts) + f"  {statistics.median(ts):6.2f}"
              f"  (CPU median {statistics.median(cpu[name]):.2f})")
    for kind in ("formula", "collocation", "term"):
        sub = [f for f in bank if f.kind == kind]
        print(f"\n{kind} ({len(sub)}), top {args.top}:")
        for f in sub[: args.top]:
            print(f"  {f.phrase}\tdf={f.df} tf={f.tf}\t{f.category or '-'}\t{f.score:.2f}")


def stage(bundled: bool, rounds: int) -> None:
    """The boilerplate stage of ``mine`` (``_mine_boilerplate``) with each bank, alternating, CPU seconds."""
    import gc
    import os
    import tempfile

    import gkcorpus
    from gkcorpus.app.pipeline import MineResult, _mine_boilerplate, prime_segmentation
    from gkcorpus.base.collector import fewer_collections
    from gkcorpus.text.tokenize import segmentation_memo

    corpus = gkcorpus.load_bundled() if bundled else gkcorpus.load([str(SOURCE)])
    corpus = gkcorpus.Corpus(sorted(corpus.documents, key=lambda d: d.id))  # as mine sorts it
    banks = ("legacy", "formulae")
    cpu: dict[str, list[float]] = {b: [] for b in banks}
    wall: dict[str, list[float]] = {b: [] for b in banks}
    load0 = os.getloadavg()
    # as in mine: every document segmented once beforehand, fewer garbage collections meanwhile
    with fewer_collections(), segmentation_memo() as memo, tempfile.TemporaryDirectory() as tmp:
        prime_segmentation(corpus, "jieba", None, None, memo)
        for r in range(rounds + 1):  # round 0 untimed: imports and first uses
            for bank in banks if r % 2 == 0 else banks[::-1]:
                res = MineResult(Path(tmp) / f"{bank}{r}")
                gc.collect()
                t, c = time.perf_counter(), time.process_time()
                _mine_boilerplate(corpus, res, False, "jieba", bank, ("json", "csv", "md", "xlsx"), 1000)
                if r:
                    wall[bank].append(time.perf_counter() - t)
                    cpu[bank].append(time.process_time() - c)
    load1 = os.getloadavg()
    print(f"{len(corpus)} documents, {corpus.n_chars:,} characters; boilerplate stage of mine, CPU s")
    print("bank      " + "  ".join(f"round {i + 1}" for i in range(rounds)) + "  median  (wall median)")
    for b in banks:
        print(f"{b:9} " + "  ".join(f"{t:7.2f}" for t in cpu[b]) + f"  {statistics.median(cpu[b]):6.2f}"
              f"  ({statistics.median(wall[b]):.2f})")
    print(f"default / legacy: {statistics.median(cpu['formulae']) / statistics.median(cpu['legacy']):.3f}"
          f"; load average {load0[0]:.2f} before, {load1[0]:.2f} after")


_RUN = r"""
import json, sys, time
time.perf_counter = time.process_time  # the stage timings count CPU seconds
import gkcorpus
from gkcorpus.app.pipeline import mine
corpus = gkcorpus.load_bundled() if sys.argv[2] == "bundled" else gkcorpus.load([sys.argv[2]])
print(json.dumps(mine(corpus, sys.argv[1], plots=False, report=False).timings))
"""


def against(other: Path, bundled: bool, rounds: int) -> None:
    """The stages of ``mine`` under ``other`` (a tree's ``src/``) and under this tree, alternating."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    trees = {"other": other.resolve(), "this": HERE.parent / "src"}
    source = "bundled" if bundled else str(SOURCE)
    stages: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    load0 = os.getloadavg()
    for r in range(rounds):
        for name in trees if r % 2 == 0 else list(trees)[::-1]:
            with tempfile.TemporaryDirectory() as tmp:
                env = dict(os.environ, PYTHONPATH=str(trees[name]))
                run = subprocess.run([sys.executable, "-c", _RUN, str(Path(tmp) / "out"), source], env=env,
                                     capture_output=True, text=True, check=True)
                stages[name].append(json.loads(run.stdout.strip().splitlines()[-1]))
    load1 = os.getloadavg()
    print(f"mine on {'the bundled corpus' if bundled else SOURCE.name}: stage CPU s, median of {rounds} "
          f"(other = {trees['other']})")
    names = [s for s in stages["this"][0] if all(s in t for ts in stages.values() for t in ts)]
    print("tree   " + "".join(f"{s:>13}" for s in names))
    for name, ts in stages.items():
        print(f"{name:6} " + "".join(f"{statistics.median(t[s] for t in ts):13.2f}" for s in names))
    print(f"boilerplate per round: other {[t['boilerplate'] for t in stages['other']]}, "
          f"this {[t['boilerplate'] for t in stages['this']]}; load average {load0[0]:.2f} before, {load1[0]:.2f} after")


if __name__ == "__main__":
    main()

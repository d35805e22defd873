"""Resident memory of the phases inside the shared passages' fit (``ReuseFinder.fit``), one mark per phase.

    python benchmarks/bench_reuse_phases.py /tmp/gkcorpus-bench/gwr_scale_10M.jsonl

The corpus is loaded, its text index and sentences made, then the fit runs with a mark at the end of each phase
(the interval table with the distinct passage texts, the subsumption check, the occurrence table and records, the
nesting and fold, the covered positions, the near-verbatim sentences). Per mark: the resident size (MB, 10⁶ bytes)
and its peak since the previous mark (sampled every 5 ms), with the counts that explain it. The phases are found by
wrapping the fit's inner functions, so the figures follow the code as it is.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _rss() -> float:
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


_peak = [0.0]
_lock = threading.Lock()


def _sample() -> None:
    while True:
        r = _rss()
        with _lock:
            _peak[0] = max(_peak[0], r)
        time.sleep(0.005)


def mark(name: str, **counts: int) -> None:
    with _lock:
        now = _rss()
        peak, _peak[0] = max(_peak[0], now), now
    print(f"{name:44s} {now:8,.0f} ({peak:,.0f})  {counts or ''}", flush=True)


def main(path: str) -> None:
    import gkcorpus
    from gkcorpus.boilerplate import reuse as R
    from gkcorpus.kernels.suffix import TextIndex

    print(f"{'phase':44s} {'MB':>8s} (peak)")
    threading.Thread(target=_sample, daemon=True).start()
    corpus = gkcorpus.load(path)
    docs = list(corpus)
    index = TextIndex([d.text for d in docs])
    sentences = [R.document_sentences(d, i) for i, d in enumerate(docs)]
    mark("loaded, text index and sentences made")

    not_subsumed, fold, near = R._not_subsumed, R.ReuseFinder._fold, R.ReuseFinder._near

    def not_subsumed_(texts, occs, ix, *a, **k):
        mark("interval table, snapping, distinct texts", texts=len(texts), chars=sum(map(len, texts)),
             occurrences=int(sum(len(o) for o in occs)))
        kept = not_subsumed(texts, occs, ix, *a, **k)
        mark("subsumption check", kept=len(kept))
        return kept

    def fold_(self, passages, pos, lengths, counts):
        mark("occurrence table and passage records", passages=len(passages), occurrences=int(counts.sum()))
        out = fold(self, passages, pos, lengths, counts)
        mark("nesting and fold", unfolded=len(out))
        return out

    def near_(self, covered):
        mark("covered positions")
        out = near(self, covered)
        mark("near-verbatim sentences", near=len(out))
        return out

    R._not_subsumed, R.ReuseFinder._fold, R.ReuseFinder._near = not_subsumed_, fold_, near_
    finder = R.ReuseFinder().fit(corpus, index=index, sentences=sentences)
    mark("fit done", passages=len(finder.passages_))


if __name__ == "__main__":
    main(sys.argv[1])

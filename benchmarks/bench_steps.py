"""Resident memory of the steps inside the two largest stages of ``gkcorpus mine``: the boilerplate stage (text
index, sentences, shared passages, phrase bank and its steps, 套话 index, writers) and the frame miner's fit.

    python benchmarks/bench_steps.py /tmp/gkcorpus-bench/gwr_scale_10M.jsonl [--only boilerplate|frames]
        [--limit-gb 15]

The corpus is loaded and segmented once (jieba, two processes, no cache) as ``mine`` does, then each step runs
in this process. Per step: its wall time and the resident size (RSS) of the process at its start, its peak
(sampled every 10 ms) and its end, in MB (10⁶ bytes). A step inside another (the phrase bank's tokenizing inside
its fit) is printed indented, before the step that holds it. The garbage collector runs and freed heap is returned
to the system (``malloc_trim``) before each top-level step, as ``mine`` does between stages on large corpora. The
run stops when the RSS passes ``--limit-gb``.

What to compare: the same file, before and after a change, on the same machine (memory is nearly the same from run
to run; time is not). Run the two stages apart (``--only``): memory the first leaves in the allocator's free lists
moves the second's figures (``mine`` forks the template stage into a child on large corpora).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def _rss() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class _Meter:
    """The peak RSS since the last :meth:`start`, sampled on a thread; exits the process past ``limit`` MB."""

    def __init__(self, limit: float):
        self.peak, self.limit = 0.0, limit
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            r = _rss()
            self.peak = max(self.peak, r)
            if r > self.limit:
                print(f"stopped: {r:,.0f} MB resident, above the limit", flush=True)
                os._exit(3)
            time.sleep(0.01)

    def step(self, name: str, fn: Callable[[], Any], depth: int = 0) -> Any:
        if depth == 0:
            from gkcorpus.app.pipeline import release_memory

            release_memory()
        start, outer = _rss(), self.peak
        self.peak = start
        t = time.perf_counter()
        out = fn()
        print(f"{'  ' * depth}{name:{28 - 2 * depth}s} {time.perf_counter() - t:7.1f} s   start {start:7,.0f}   "
              f"peak {self.peak:7,.0f}   end {_rss():7,.0f} MB", flush=True)
        self.peak = max(self.peak, outer)
        return out

    def wrap(self, cls: type, names: tuple[str, ...]) -> None:
        """Report each of ``cls``'s methods ``names`` as an inner step."""
        for name in names:
            fn = getattr(cls, name)

            def inner(*a: Any, _fn: Callable = fn, _name: str = name, **k: Any) -> Any:
                return self.step(_name, lambda: _fn(*a, **k), depth=1)

            setattr(cls, name, inner)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--only", choices=("boilerplate", "frames"))
    ap.add_argument("--limit-gb", type=float, default=15.0)
    args = ap.parse_args(argv)

    import gkcorpus
    from gkcorpus.app.pipeline import prime_segmentation
    from gkcorpus.boilerplate.phrases import FormulaMiner
    from gkcorpus.boilerplate.phrases.formulaicness import FormulaicnessIndex
    from gkcorpus.boilerplate.phrases.writers import Boilerplate, index_items
    from gkcorpus.boilerplate.reuse import ReuseFinder, document_sentences
    from gkcorpus.kernels.suffix import TextIndex
    from gkcorpus.runtime.executor import PerDocumentExecutor
    from gkcorpus.templates.frames import FrameMiner
    from gkcorpus.text.tokenize import Tokenizer, segmentation_memo

    meter = _Meter(args.limit_gb * 1000)
    meter.wrap(FormulaMiner, ("_word_bounds", "_contiguous", "_gapped_candidates", "_finish"))
    meter.wrap(FrameMiner, ("_anchor_candidates", "_numeric_candidates", "_edge_candidates",
                            "_construction_candidates", "_chains", "_select", "_finish"))
    corpus = meter.step("load", lambda: gkcorpus.load(args.path))
    print(f"{len(corpus):,} documents, {sum(len(d.text) for d in corpus):,} characters", flush=True)
    with segmentation_memo() as memo:
        executor = PerDocumentExecutor("processes", workers=2)
        meter.step("segment", lambda: prime_segmentation(corpus, "jieba", executor, None, memo))
        executor.close()
        if args.only != "frames":
            import tempfile

            docs = list(corpus)
            index = meter.step("text index", lambda: TextIndex([d.text for d in docs]))
            sents = meter.step("sentences", lambda: [document_sentences(d, i) for i, d in enumerate(docs)])
            rf = meter.step("shared passages", lambda: ReuseFinder().fit(corpus, index=index, sentences=sents))
            pm = meter.step("phrase bank", lambda: FormulaMiner(tokenizer=Tokenizer(backend="jieba")).fit(
                corpus, index=index, passages=rf.passages_, sentences=sents))
            fi = meter.step("套话 index", lambda: FormulaicnessIndex().fit(corpus, index_items(pm), rf.passages_,
                                                                         sentences=sents))
            bp = Boilerplate(rf, pm, fi)
            with tempfile.TemporaryDirectory() as out:
                meter.step("write phrases/", lambda: bp.write_phrasebank(Path(out) / "phrases", ("json", "csv", "md", "xlsx"),
                                                                            top=1000))  # mine's --top
                meter.step("write reuse/", lambda: bp.write_reuse(Path(out) / "reuse"))
            del bp, fi, pm, rf, sents, index, docs
            gc.collect()
        if args.only != "boilerplate":
            for d in corpus:
                d.structure  # noqa: B018  (parsed before the fit, as in mine)
            fm = meter.step("frame miner fit", lambda: FrameMiner(segmenter="jieba").fit(corpus))
            meter.step("frame extraction", lambda: fm.library_.extract(corpus))


if __name__ == "__main__":
    main()

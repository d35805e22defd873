"""Sentence templates: gkcorpus's miner against drain3 on the hand-labelled fifteen summaries.

    python benchmarks/bench_templates.py [--repeat 7] [--national ../shared/corpora/gwr_national.jsonl]

Ground truth: ``tests/data/template_labels.csv`` (every sentence of the fifteen cleaned summaries,
labelled by reading them: sentences of several documents sharing a frame get one template id, all
others are singletons). Both methods see the same sentences:

* drain3 (``TemplateMiner`` with its default configuration, and the best similarity threshold of a
  sweep, reported separately so the default is not a straw man) on the sentences cut by jieba and
  joined with spaces, as the log-parsing literature feeds Chinese to Drain;
* gkcorpus (``TemplateMiner().fit_sentences``) on the raw sentences and their document ids; it
  segments only what it needs (slot edges) itself.

Scores: GA, FGA, PA, PTA/RTA/FTA (see :mod:`gkcorpus.templates.evaluate`), GA over the frame sentences only,
and frames reproduced exactly. Times: median CPU seconds of ``--repeat`` runs after a warm-up (the
jieba dictionary is loaded before timing, for both); drain3's time is jieba segmentation plus Drain,
gkcorpus's the whole ``fit_sentences``. With ``--national`` both also run on the sentences of the
national reports (no ground truth there: times and counts only).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "data" / "template_labels.csv"


def drain_parse(lines: list[str], sim_th: float = 0.4, depth: int = 4) -> tuple[list[str], list[str]]:
    """drain3 over space-joined token lines: (cluster id, final cluster template) per line."""
    from drain3 import TemplateMiner as DrainMiner
    from drain3.template_miner_config import TemplateMinerConfig

    logging.getLogger("drain3").setLevel(logging.WARNING)
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    cfg.drain_sim_th = sim_th
    cfg.drain_depth = depth
    tm = DrainMiner(config=cfg)
    cids = [tm.add_log_message(line)["cluster_id"] for line in lines]
    templates = {c.cluster_id: c.get_template() for c in tm.drain.clusters}
    return [f"d{c}" for c in cids], [templates[c] for c in cids]


def segment(sentences: list[str], backend: str = "jieba") -> list[str]:
    from gkcorpus.text.tokenize import Tokenizer

    tok = Tokenizer(backend=backend, keep_punct=True)
    return [" ".join(t for t in tok.cut(s) if t.strip()) for s in sentences]


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median CPU time of the process over ``repeat`` runs (wall time is noisier on a shared machine;
    both methods are single-threaded, so CPU time is what they cost), and the last result."""
    out, times = None, []
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


def fmt(x: float) -> str:
    return f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per method (median reported)")
    ap.add_argument("--labels", default=str(LABELS), help="ground-truth CSV")
    ap.add_argument("--national", default=None, help="also time both on the sentences of this corpus (e.g. gwr_national.jsonl)")
    args = ap.parse_args(argv)

    from gkcorpus.templates.evaluate import evaluate, load_labels, miner_predictions
    from gkcorpus.templates.miner import TemplateMiner
    from gkcorpus.text.tokenize import Tokenizer

    df = load_labels(args.labels)
    sents, docs = df["sentence"].tolist(), df["doc_id"].tolist()
    truth_ids, truth_t = df["template_id"].tolist(), df["template"].tolist()
    Tokenizer(keep_punct=True).cut("预热：加载词典")  # dictionary load is not timed, for either method
    print(f"ground truth: {len(df)} sentences, {df.template_id.nunique()} templates, "
          f"{(df.template_id.str.startswith('T')).sum()} sentences in {df[df.template_id.str.startswith('T')].template_id.nunique()} shared frames")
    print()

    rows: list[tuple[str, Any, float, float]] = []
    # baseline: nothing grouped
    from gkcorpus.templates.miner import sentence_core

    single_t = [s[slice(*sentence_core(s))] for s in sents]
    rows.append(("no grouping (baseline)", evaluate(truth_ids, truth_t, list(range(len(sents))), single_t), 0.0, 0.0))

    t_seg, lines = median_time(lambda: segment(sents), args.repeat)
    for sim in (0.4,):
        t_d, (ids, tpl) = median_time(lambda: drain_parse(lines, sim), args.repeat)
        rows.append((f"drain3 default (sim_th={sim})", evaluate(truth_ids, truth_t, ids, tpl), t_seg, t_d))
    sweep = []
    for sim in (0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9):
        ids, tpl = drain_parse(lines, sim)
        sweep.append((evaluate(truth_ids, truth_t, ids, tpl).ga, sim))
    best_sim = max(sweep)[1]
    t_d, (ids, tpl) = median_time(lambda: drain_parse(lines, best_sim), args.repeat)
    rows.append((f"drain3 best of sweep (sim_th={best_sim})", evaluate(truth_ids, truth_t, ids, tpl), t_seg, t_d))

    variants = [("gkcorpus (default)", {}), ("gkcorpus align='token'", {"align": "token"}),
                ("gkcorpus aligner='difflib'", {"aligner": "difflib"})]
    for name, params in variants:
        miner = TemplateMiner(**params)
        miner_predictions(miner, sents, docs)  # warm-up
        t_g, (ids, tpl) = median_time(lambda: miner_predictions(TemplateMiner(**params), sents, docs), args.repeat)
        rows.append((name, evaluate(truth_ids, truth_t, ids, tpl), 0.0, t_g))

    head = f"{'method':40} {'GA':>6} {'FGA':>6} {'PA':>6} {'PTA':>6} {'RTA':>6} {'FTA':>6} {'GAfr':>6} {'found':>7} {'seg s':>7} {'mine s':>7} {'total s':>8}"
    print(head)
    print("-" * len(head))
    for name, s, ts, tm in rows:
        print(f"{name:40} {fmt(s.ga):>6} {fmt(s.fga):>6} {fmt(s.pa):>6} {fmt(s.pta):>6} {fmt(s.rta):>6} {fmt(s.fta):>6} "
              f"{fmt(s.ga_frames):>6} {s.frames_found:>3}/{s.frames_total:<3} {ts:7.3f} {tm:7.3f} {ts + tm:8.3f}")
    print()
    print("GA, FGA: grouping; PA: template per sentence; PTA/RTA/FTA: template accuracy (Khan et al. 2022);")
    print("GAfr: GA over the sentences of shared frames; found: frames reproduced exactly.")
    print("seg s: jieba segmentation drain3 needs; mine s: drain3 / gkcorpus fit_sentences (gkcorpus segments")
    print("internally, only what it needs); CPU seconds, median of the runs.")

    if args.national:
        import gkcorpus
        from gkcorpus.templates.units import _doc_units

        corpus = gkcorpus.load(args.national)
        units = [u for d in corpus for u in _doc_units(d)]
        ns, nd = [u.sentence for u in units], [u.doc_id for u in units]
        chars = sum(len(s) for s in ns)
        print()
        print(f"national reports: {len(corpus)} documents, {len(ns)} sentences, {chars:,} characters (1 run each)")
        t_seg, lines = median_time(lambda: segment(ns), 1)
        t_d, (ids, _) = median_time(lambda: drain_parse(lines), 1)
        print(f"  drain3 default   : segmentation {t_seg:6.2f} s + drain {t_d:6.2f} s = {t_seg + t_d:6.2f} s, "
              f"{len(set(ids))} clusters, {sum(1 for c in set(ids) if ids.count(c) > 1) if len(ids) < 50000 else '?'} with 2+ sentences")
        m = TemplateMiner()
        t_g, _ = median_time(lambda: m.fit_sentences(ns, nd), 1)
        print(f"  gkcorpus default : {t_g:6.2f} s, {len(m.templates_)} templates, "
              f"{sum(1 for x in m.labels_ if x)} sentences in templates, {m.n_candidates_} candidate pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

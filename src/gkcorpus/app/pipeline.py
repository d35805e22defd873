"""``mine``: the whole analysis of a corpus with sensible defaults, written into one folder.

Stages (each also available on its own): cleaned texts and the cleaning report; section types,
outlines and plots (:mod:`gkcorpus.outline`); reuse, the phrase bank and the 套话 index
(:mod:`gkcorpus.boilerplate.phrases.miner`); sentence frames, their match and numeric tables and a writer's skeleton
(:mod:`gkcorpus.templates`); and ``report.html``, which ties them together with links back to
the source sentences. Every file is written atomically; the same input gives the same bytes.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..base.export import atomic_write_text, ensure_dir, safe_file_stem, write_json
from .report_sections import build_report, draw_formulaicness
from .result import MineResult

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus
    from ..runtime.parallel import PerDocumentExecutor

__all__ = ["MineResult", "mine", "write_clean_texts", "build_report", "STAGES"]

STAGES = ("clean", "clusters", "boilerplate", "templates", "trends", "report")
# What a run writes at the top of its folder; everything else there (the cache, the user's files) is kept.
OWNED = ("clean", "clusters", "phrases", "reuse", "templates", "trends", "report.html", "manifest.json")
#: documents carrying this variable get formula timelines (``trends/``) in ``mine``
TIMELINE_VARIABLE = "year"
#: what the plots need besides gkcorpus, imported by the side process that draws them while the stages run
PLOT_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_agg")


def safe_name(doc_id: str) -> str:
    """A file name for a document id (path separators and odd characters become _; a long id is cut and
    given a hash suffix); ``cleaning_report.json`` maps ids to file names."""
    return safe_file_stem(doc_id)


def write_clean_texts(corpus: "Corpus", out_dir: str | Path) -> list[Path]:
    """``<id>.txt`` (clean Simplified text, one paragraph per line) per document, and ``cleaning_report.json``."""
    out = ensure_dir(out_dir)
    names: dict[str, str] = {}
    used: set[str] = set()
    written = []
    for d in corpus:
        name = base = safe_name(d.id)
        k = 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        names[d.id] = name
        written.append(atomic_write_text(out / f"{name}.txt", d.text + "\n"))
    written.append(write_json(out / "cleaning_report.json", [
        {"id": d.id, "file": f"{names[d.id]}.txt", "title": d.title, "encoding": d.encoding, "source": d.source,
         **(d.cleaning.to_dict() if d.cleaning else {})}
        for d in corpus
    ]))
    return written


class _Progress:
    """One line per stage on stderr (a tqdm bar over the stages when stderr is a terminal)."""

    def __init__(self, enabled: bool, total: int):
        self.enabled = enabled
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="mine", unit="stage", file=sys.stderr, leave=False)

    def stage(self, name: str) -> None:
        if self.bar is not None:
            self.bar.set_description(f"mine: {name}")

    def done(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def mine(
    corpus: "Corpus",
    out_dir: str | Path,
    formats: Sequence[str] = ("json", "csv", "md", "xlsx"),
    plots: bool = True,
    report: bool = True,
    top_phrases: int | None = 1000,
    random_state: int = 0,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    segmenter: str = "jieba",
    executor: "PerDocumentExecutor | None" = None,
    cache_dir: str | Path | None = None,
    threads: int | None = 1,
    bank: str = "formulae",
) -> MineResult:
    """Run every stage on ``corpus`` and write the results under ``out_dir``.

    Layout: ``clean/``, ``clusters/``, ``phrases/``, ``reuse/``, ``templates/``, ``report.html`` and
    ``manifest.json`` (the list of files; no timestamps, so reruns are byte-identical).

    Every document is segmented once (``segmenter``: "jieba", the reference, or "rjieba", ~10×
    faster, extra ``fast``), on ``executor``'s workers when given, read from and written to the
    segmentation cache in ``cache_dir`` when given (a rerun on unchanged input segments nothing);
    all stages then reuse that segmentation (:func:`gkcorpus.text.tokenize.segmentation_memo`). The
    executor's workers are shut down once segmentation is done (it starts them again if used later).
    The garbage collector runs less often meanwhile (:func:`gkcorpus.base.collector.fewer_collections`).
    With ``plots`` and two CPUs or more (on Linux), the plots are drawn by a side process while the
    later stages run (:class:`gkcorpus.runtime.side.SideProcess`); the report waits for them; same
    files. The files reach the disk (fsync) on a background thread, all of them before the run's
    folder is swapped in.
    ``threads`` caps BLAS/OpenMP threads (None: the libraries' default): on the small dense
    matrices of this analysis extra threads spin more than they compute. ``bank``: the phrase bank's
    miner, "formulae" (:class:`~gkcorpus.boilerplate.phrases.FormulaMiner`, the default) or "legacy"
    (:class:`~gkcorpus.boilerplate.phrases.PhraseMiner`).
    """
    from threadpoolctl import threadpool_limits

    from ..corpus import Corpus
    from ..base.collector import fewer_collections
    from ..text.tokenize import segmentation_memo

    if len(corpus) == 0:
        raise ValueError("the corpus has no documents")
    corpus = Corpus(sorted(corpus.documents, key=lambda d: d.id), skipped=corpus.skipped)
    if threads:
        import sklearn.cluster  # noqa: F401  (threadpoolctl limits only the thread pools already loaded)
    limits = threadpool_limits(limits=threads) if threads else None
    side = None
    try:
        from ..runtime.side import SideProcess, side_process_helps

        if plots and side_process_helps():
            from ..outline import plots as _  # noqa: F401  (imported once, here: the forked worker has it)

            side = SideProcess(preload=PLOT_MODULES)  # the worker inherits the modules and thread limits
        with fewer_collections(), segmentation_memo() as memo:
            t = time.perf_counter()
            stats = prime_segmentation(corpus, segmenter, executor, cache_dir, memo)
            if executor is not None:
                executor.close()  # idle workers would hold their memory through the corpus-level stages
            if _is_large(corpus):
                release_memory()
            t = time.perf_counter() - t
            res = _mine_swapped(corpus, out_dir, formats, plots, report, top_phrases, random_state, progress, log,
                                segmenter, bank, side)
            res.timings = {"segment": round(t, 3), **res.timings}
            res.segmentation = {"segmenter": segmenter, "paragraphs": len(memo), "cache": stats}
    finally:
        if side is not None:
            side.close()
        if limits is not None:
            limits.restore_original_limits()
    return res


def _mine_swapped(corpus: "Corpus", out_dir: str | Path, *args: Any) -> MineResult:
    """:func:`_mine` into a fresh sibling folder swapped in at the end: ``out_dir`` is always one whole run."""
    from ..base.export import deferred_sync
    from ..base.rundir import abandon_run, finish_run, start_run

    run_dir = start_run(out_dir, OWNED)
    try:
        with deferred_sync():  # the files reach the disk meanwhile, all of them before the swap
            res = _mine(corpus, run_dir, *args)
    except BaseException:
        abandon_run(run_dir, out_dir)
        raise
    tmp = run_dir.resolve()
    rel = [p.resolve().relative_to(tmp) for p in res.files]
    finish_run(run_dir, out_dir, OWNED)
    res.out_dir = Path(out_dir)
    res.files = [res.out_dir.resolve() / r for r in rel]
    return res


RELEASE_MIN_CHARS = 5_000_000
"""Corpus size (clean characters) from which ``mine`` releases memory between stages. A full collection
walks every live object (a second or more per stage on a million characters), and below this size the
peak stays far under a gigabyte, so the collection costs time and saves nothing that matters."""


def _is_large(corpus: "Corpus") -> bool:
    """Whether ``mine`` releases memory between stages on ``corpus`` (see :data:`RELEASE_MIN_CHARS`)."""
    return sum(len(d.text) for d in corpus) >= RELEASE_MIN_CHARS


def release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc ``malloc_trim``; elsewhere
    only the collection). Between stages of ``mine`` on large corpora: each stage frees its temporaries,
    but the C heap keeps their pages, and the next stage's peak is added on top of them."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


def prime_segmentation(corpus: "Corpus", segmenter: str, executor: "PerDocumentExecutor | None",
                       cache_dir: str | Path | None, memo: Any) -> dict[str, int] | None:
    """Segment every document once (cache hits read, misses on ``executor``) into ``memo``; cache stats."""
    from ..runtime.cache import cached_segmentations
    from ..text.tokenize import Tokenizer

    tok = Tokenizer(backend=segmenter)
    segs, stats = cached_segmentations(corpus, tok, cache_dir if cache_dir is not None else False, executor)
    for d in corpus:
        memo.add(d.text, segs[d.id].lengths, tok)
    return stats.to_dict() if cache_dir is not None else None


class _Stages:
    """Runs the stages of a ``mine`` run: a progress bar and a log line per stage, its time, and the
    warnings worth keeping (missing CJK font, user warnings) recorded in the result.

    With a side process (``side``), a stage's plots are drawn there while the next stages run
    (:meth:`draw`); :meth:`take_drawn` waits for them and records their warnings where the stage's
    own are, so the result is the same as drawing them in the stage."""

    def __init__(self, res: MineResult, progress: bool, log: Callable[[str], None] | None,
                 release: bool = False, side: Any = None):
        self.res = res
        self.release = release
        self.say = log or (lambda msg: None)
        self.bar = _Progress(progress, len(STAGES))
        self.side = side
        self.drawing: list[list[Any]] = []  # [position in res.warnings (None: stage running), futures]

    def draw(self, calls: Sequence[tuple[Callable[..., Path], tuple, dict[str, Any]]]) -> list[Path]:
        """Draw ``calls`` (function, args, kwargs; each writes one PNG): here, returning the files, or
        in the side process, returning none (:meth:`take_drawn` adds them)."""
        if self.side is None:
            return [fn(*args, **kwargs) for fn, args, kwargs in calls]
        self.drawing.append([None, [self.side.submit(fn, *args, **kwargs) for fn, args, kwargs in calls]])
        return []

    def undraw(self, files: list[Path]) -> None:
        """Take back the last :meth:`draw`: its ``files`` (drawn here) or its calls (in the side
        process: waited for, their warnings dropped) deleted."""
        if self.side is not None and self.drawing:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                files = [self.side.result(f) for f in self.drawing.pop()[1]]
        for p in files:
            if p is not None:
                Path(p).unlink(missing_ok=True)

    def take_drawn(self) -> None:
        """Wait for the plots drawn in the side process; add their files and record their warnings
        at their stage's place (last first, so the earlier places stay valid)."""
        for at, futures in reversed(self.drawing):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.res.files += [self.side.result(f) for f in futures]
            ws = self.res.warnings
            for msg in self._kept(caught):
                if msg in ws[:at]:
                    continue
                if msg in ws[at:]:  # recorded by a later stage, which would have found it recorded
                    ws.remove(msg)
                ws.insert(at, msg)
                at += 1
        self.drawing = []

    @staticmethod
    def _kept(caught: Sequence[Any]) -> list[str]:
        return [str(w.message) for w in caught if w.category.__name__ in ("CJKFontWarning", "UserWarning")]

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        self.bar.stage(name)
        self.say(f"{name} …")
        t = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn()
        for msg in self._kept(caught):
            if msg not in self.res.warnings:
                self.res.warnings.append(msg)
        for entry in self.drawing:
            if entry[0] is None:
                entry[0] = len(self.res.warnings)
        if self.release:
            release_memory()
        self.res.timings[name] = round(time.perf_counter() - t, 3)
        self.bar.done()
        return value

    def close(self) -> None:
        """Stop the side process (the plot it is drawing is finished, the others are dropped)."""
        self.bar.close()
        if self.side is not None:
            self.side.close()


def _mine(corpus: "Corpus", out_dir: str | Path, formats: Sequence[str], plots: bool, report: bool,
          top_phrases: int | None, random_state: int, progress: bool, log: Callable[[str], None] | None,
          segmenter: str, bank: str = "formulae", side: Any = None) -> MineResult:
    """Run every stage on ``corpus`` (documents in id order, sorted by the caller, so the exports do
    not depend on the input order), write their files into ``out_dir`` and the manifest last.
    ``side``: a :class:`~gkcorpus.runtime.side.SideProcess` that draws the plots meanwhile, or None."""
    out = ensure_dir(out_dir)
    res = MineResult(out, plots=plots)
    formats = _available_formats(formats, res)
    stages = _Stages(res, progress, log, release=_is_large(corpus), side=side)
    try:
        res.files += stages.run("clean", lambda: write_clean_texts(corpus, out / "clean"))
        res.files += stages.run("clusters", lambda: _mine_clusters(corpus, res, random_state, progress, segmenter,
                                                                   plots, stages.draw, stages.undraw))
        res.files += stages.run("boilerplate", lambda: _mine_boilerplate(corpus, res, progress, segmenter, bank,
                                                                         formats, top_phrases))
        if side is not None and report:
            draw_formulaicness(res, side)
        res.files += stages.run("templates", lambda: _mine_templates(corpus, res, segmenter, isolated=stages.release))
        if len(corpus) and all(TIMELINE_VARIABLE in d.meta for d in corpus):
            res.files += stages.run("trends", lambda: _timelines(corpus, res, out / "trends", plots))
        if report:
            res.files.append(stages.run("report", lambda: _write_report(corpus, res, stages)))
        stages.take_drawn()
    finally:
        stages.close()
    files = sorted({p.resolve() for p in res.files})
    res.files = [Path(p) for p in files]
    manifest = {"gkcorpus_mine": 1, "documents": len(corpus), "characters": corpus.n_chars,
                "segmenter": segmenter, "files": res.relative_files()}
    res.files.append(write_json(out / "manifest.json", manifest))
    return res


def _write_report(corpus: "Corpus", res: MineResult, stages: _Stages) -> Path:
    """``report.html``, once the plots it embeds are drawn."""
    stages.take_drawn()
    return build_report(corpus, res).write(res.out_dir / "report.html")


def _available_formats(formats: Sequence[str], res: MineResult) -> Sequence[str]:
    """``formats`` without xlsx when openpyxl is missing (with a warning in ``res``)."""
    if "xlsx" in formats:
        import importlib.util

        if importlib.util.find_spec("openpyxl") is None:  # found, not imported: the writer imports it
            formats = [f for f in formats if f != "xlsx"]
            res.warnings.append("phrasebank.xlsx skipped: Excel export needs openpyxl (pip install 'gkcorpus[xlsx]')")
    return formats


def _mine_clusters(corpus: "Corpus", res: MineResult, random_state: int, progress: bool, segmenter: str,
                   plots: bool, draw: Callable[[Sequence[Any]], list[Path]],
                   undraw: Callable[[list[Path]], None]) -> list[Path]:
    """Section types, outlines and plots into ``clusters/``; skipped with a warning when there are
    no words to cluster (punctuation, digits, stopwords only), and the rest goes on. ``draw``
    draws the plots (:meth:`_Stages.draw`) as soon as the section types are fitted, ``undraw``
    takes them back if the stage fails later."""
    from ..outline.run import cluster_corpus, plot_calls
    from ..text.tokenize import Tokenizer

    d = res.out_dir / "clusters"
    drawn: list[list[Path]] = []

    def start_plots(typer: Any, outlines: list[Any]) -> None:  # the side process draws them meanwhile
        drawn.append(draw(plot_calls(typer, outlines, ensure_dir(d))))

    try:
        run = cluster_corpus(corpus, level="section", random_state=random_state, progress=progress,
                             tokenizer=Tokenizer(backend=segmenter, stopwords=True),
                             on_section_types=start_plots if plots else None)
    except ValueError as e:
        if drawn:  # failed after the section types: no plots, as when the stage fails before them
            undraw(drawn[0])
            try:
                d.rmdir()  # made for the plots; left alone if something else is in it
            except OSError:
                pass
        res.warnings.append(f"section types skipped: {e}")
        return []
    res.clustering = run
    return run.write(d, plots=False) + (drawn[0] if drawn else [])


def _mine_boilerplate(corpus: "Corpus", res: MineResult, progress: bool, segmenter: str, bank: str,
                      formats: Sequence[str], top_phrases: int | None) -> list[Path]:
    """Shared passages, the phrase bank (``bank``: formulae or legacy) and the 套话 index into
    ``phrases/`` and ``reuse/``."""
    from ..boilerplate.phrases import FormulaMiner, PhraseMiner, mine_boilerplate
    from ..text.tokenize import Tokenizer

    miner = FormulaMiner if bank == "formulae" else PhraseMiner
    bp = mine_boilerplate(corpus, progress=progress, bank=bank,
                          phrases=miner(tokenizer=Tokenizer(backend=segmenter), progress=progress))
    res.boilerplate = bp
    files = bp.write_phrasebank(res.out_dir / "phrases", formats, top=top_phrases) + bp.write_reuse(res.out_dir / "reuse")
    _drop_written(bp)
    return files


#: what the boilerplate stage's files hold and no later stage reads: ``mine`` drops them once written (the
#: text index and the per-sentence tables grow with the text: 1.0 GB of a 10 M-character run, kept through
#: the template and timeline stages). The report reads the passages, the bank and the documents' index.
WRITTEN_ONLY = {"reuse": ("index_", "sentences_", "_sent_starts", "sub_passages_"),
                "phrases": ("_occurrences",),
                "formulaicness": ("_sentences", "evidence_")}


def _drop_written(bp: Any) -> None:
    """Drop from ``bp`` (a :class:`~gkcorpus.boilerplate.phrases.Boilerplate`) the attributes in
    :data:`WRITTEN_ONLY`: their content is in ``reuse/`` and ``phrases/``."""
    for part, names in WRITTEN_ONLY.items():
        est = getattr(bp, part)
        for name in names:
            est.__dict__.pop(name, None)


#: how much better (Kendall's tau, :func:`~gkcorpus.outline.part_types.order_concordance`) the section
#: types must predict the order of each document's sections for the skeleton to use them instead of
#: the fewer part types (work reports: part types 0.92 vs section types 0.94, 7 vs 16 types; the
#: bundled summaries: 0.86 vs 0.92, where the part types lump the summaries' parts)
SKELETON_ORDER_MARGIN = 0.05
#: below this many characters a ``mine`` run's frame miner takes word bounds from the run's segmenter
#: instead of starting rjieba (the two costs, ~0.3 s to start rjieba against ~0.2 s per 100,000 characters
#: with jieba, meet near 150,000 characters on the project machine)
SMALL_CORPUS_CHARS = 100_000


def _mine_templates(corpus: "Corpus", res: MineResult, segmenter: str = "rjieba", isolated: bool = False) -> list[Path]:
    """Sentence frames (the templates), one row per match, the numeric slots by document and the
    writer's skeleton into ``templates/``. With ``isolated`` (large corpora) the stage runs in a child
    process forked for it (:func:`~gkcorpus.runtime.isolated.isolated_call`): the frame miner makes and
    drops millions of candidate objects, whose arenas the objects it keeps would otherwise pin for
    the rest of the run (1.6 GB at 10 M characters); its results come back pickled, the same values."""
    shared = None
    if res.boilerplate is not None:  # the passages documents share: a frame inside them is a copied sentence
        from ..boilerplate.phrases.formula_spans import spans_by_document

        shared = spans_by_document(res.boilerplate.reuse.passages_, [d.id for d in corpus])
    bank = res.boilerplate.phrases if res.boilerplate is not None else None
    if isolated:
        from ..runtime.isolated import isolated_call

        out = isolated_call(_templates, corpus, res.clustering, res.out_dir, segmenter, shared, bank)
    else:
        out = _templates(corpus, res.clustering, res.out_dir, segmenter, shared, bank)
    files, res.miner, res.extractions, res.numeric, res.skeleton = out
    res.frames = res.miner.library_
    return files


def _templates(corpus: "Corpus", run: Any, out_dir: Path, segmenter: str,
               shared: Any = None, bank: Any = None) -> tuple[list[Path], Any, Any, Any, Any]:
    """:func:`_mine_templates`' work: ``(files, fitted FrameMiner, extractions, numeric table, skeleton)``
    (``run``: the section types just fitted, or None; ``shared``: each document's spans of shared
    passages, for :meth:`FrameMiner.fit <gkcorpus.templates.frames.FrameMiner.fit>`; ``bank``: the fitted
    phrase bank, whose set phrases the skeleton lists under each part)."""
    from ..base.export import write_csv
    from ..outline.part_types import order_concordance
    from ..templates.frames import FrameMiner, match_table, wide_table
    from .skeleton import skeleton

    # word bounds: matching every frame segments clauses the run has not segmented; rjieba is faster per
    # character (jieba: about 2 s CPU more on the national reports) but costs ~0.3 s to start, so a jieba run
    # keeps jieba below SMALL_CORPUS_CHARS (the two give the same bounds on both bundled and national texts)
    bounds = segmenter if corpus.n_chars < SMALL_CORPUS_CHARS else "rjieba"
    miner = FrameMiner(segmenter=bounds).fit(corpus, shared=shared)
    frames = miner.library_
    found = frames.extract(corpus)
    numeric = wide_table(frames, corpus, extracted=found)
    # the section types just fitted: the skeleton does not fit its own
    if run is not None and run.parts is not None and run.parts.n_body_types_ >= 2 and (
            order_concordance(run.parts.segments_.doc_id, run.parts.segments_.type)
            >= order_concordance(run.typer.segments_.doc_id, run.typer.segments_.type) - SKELETON_ORDER_MARGIN):
        # one entry per real part of the genre -- when the part types tell the body parts apart and
        # predict the order of each document's sections about as well as the section types do: the
        # fewer types win unless the finer typing predicts the order clearly better
        skel = skeleton(corpus, frames, typer=run.parts, phrases=bank)
    else:
        skel = skeleton(corpus, frames, typer=run.typer if run else None, common=run.common if run else None,
                        phrases=bank)
    d = ensure_dir(out_dir / "templates")
    files = [
        frames.save(d / "frames.json") or d / "frames.json",
        atomic_write_text(d / "frames.md", frames.to_markdown(title="Sentence frames")),
        write_csv(d / "matches.csv", match_table(frames, corpus, found)),
        write_csv(d / "numeric.csv", numeric),
        atomic_write_text(d / "skeleton.md", skel.to_markdown()),
    ]
    return files, miner, found, numeric, skel


def _timelines(corpus: "Corpus", res: MineResult, out: Path, plots: bool = True) -> list[Path]:
    """Every mined formula and frame counted by year: life spans, successions, eras (and their plots)."""
    from ..timeline import EraSegmenter, FormulaTimeline, formulae_from_bank, formulae_from_frames, write_trends

    formulae = formulae_from_bank(res.boilerplate.phrases.phrases_) if res.boilerplate is not None else []
    if res.frames is not None:
        formulae += formulae_from_frames(res.frames)
    res.timeline = FormulaTimeline(by=TIMELINE_VARIABLE).fit(corpus, formulae)
    res.eras = EraSegmenter().fit(res.timeline)
    return write_trends(out, res.timeline, res.eras, plots=plots)

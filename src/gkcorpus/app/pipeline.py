"""``mine``: the whole analysis of a corpus with sensible defaults, written into one folder.

Stages (each also available on its own): cleaned texts and the cleaning report; section types,
outlines and plots (:mod:`gkcorpus.outline`); reuse, the phrase bank and the 套话 index
(:mod:`gkcorpus.boilerplate.phrases.miner`); sentence frames, their match and numeric tables and a writer's skeleton
(:mod:`gkcorpus.templates`); and ``report.html``, which ties them together with links back to
the source sentences. Every file is written atomically; the same input gives the same bytes.
"""

from __future__ import annotations

import re
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..base.export import atomic_write_text, ensure_dir, safe_file_stem, write_json

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


@dataclass
class MineResult:
    """What a ``mine`` run produced: the per-stage results, the files written and the stage timings."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    clustering: Any = None
    boilerplate: Any = None  # Boilerplate, without what only its files need (WRITTEN_ONLY)
    miner: Any = None  # the fitted FrameMiner
    extractions: Any = None  # DataFrame: one row per slot value of every frame match
    skeleton: Any = None
    timeline: Any = None
    eras: Any = None
    frames: Any = None  # TemplateLibrary of sentence frames (the templates)
    numeric: Any = None  # DataFrame: numeric frame slots side by side, one row per document
    warnings: list[str] = field(default_factory=list)
    segmentation: dict[str, Any] = field(default_factory=dict)
    #: plots being drawn in a side process: their path -> a function that waits for the file
    drawing: dict[Path, Callable[[], Path]] = field(default_factory=dict, repr=False)

    def relative_files(self) -> list[str]:
        root = self.out_dir.resolve()
        return [p.resolve().relative_to(root).as_posix() for p in self.files]


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
    res = MineResult(out)
    formats = _available_formats(formats, res)
    stages = _Stages(res, progress, log, release=_is_large(corpus), side=side)
    try:
        res.files += stages.run("clean", lambda: write_clean_texts(corpus, out / "clean"))
        res.files += stages.run("clusters", lambda: _mine_clusters(corpus, res, random_state, progress, segmenter,
                                                                   plots, stages.draw, stages.undraw))
        res.files += stages.run("boilerplate", lambda: _mine_boilerplate(corpus, res, progress, segmenter, bank,
                                                                         formats, top_phrases))
        if side is not None and report:
            _draw_formulaicness(res, side)
        res.files += stages.run("templates", lambda: _mine_templates(corpus, res, segmenter, isolated=stages.release))
        if len(corpus) and all(TIMELINE_VARIABLE in d.meta for d in corpus):
            res.files += stages.run("trends", lambda: _timelines(corpus, res, out / "trends"))
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
                "formulaicness": ("sentences_", "evidence_")}


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
#: bundled summaries: 0.76 vs 0.92, where the part types lump the summaries' parts)
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
    if isolated:
        from ..runtime.isolated import isolated_call

        out = isolated_call(_templates, corpus, res.clustering, res.out_dir, segmenter)
    else:
        out = _templates(corpus, res.clustering, res.out_dir, segmenter)
    files, res.miner, res.extractions, res.numeric, res.skeleton = out
    res.frames = res.miner.library_
    return files


def _templates(corpus: "Corpus", run: Any, out_dir: Path, segmenter: str) -> tuple[list[Path], Any, Any, Any, Any]:
    """:func:`_mine_templates`' work: ``(files, fitted FrameMiner, extractions, numeric table, skeleton)``
    (``run``: the section types just fitted, or None)."""
    from ..base.export import write_csv
    from ..outline.part_types import order_concordance
    from ..templates.frames import FrameMiner, match_table, wide_table
    from .skeleton import skeleton

    # word bounds: matching every frame segments clauses the run has not segmented; rjieba is faster per
    # character (jieba: about 2 s CPU more on the national reports) but costs ~0.3 s to start, so a jieba run
    # keeps jieba below SMALL_CORPUS_CHARS (the two give the same bounds on both bundled and national texts)
    bounds = segmenter if corpus.n_chars < SMALL_CORPUS_CHARS else "rjieba"
    miner = FrameMiner(segmenter=bounds).fit(corpus)
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
        skel = skeleton(corpus, frames, typer=run.parts)
    else:
        skel = skeleton(corpus, frames, typer=run.typer if run else None, common=run.common if run else None)
    d = ensure_dir(out_dir / "templates")
    files = [
        frames.save(d / "frames.json") or d / "frames.json",
        atomic_write_text(d / "frames.md", frames.to_markdown(title="Sentence frames")),
        write_csv(d / "matches.csv", match_table(frames, corpus, found)),
        write_csv(d / "numeric.csv", numeric),
        atomic_write_text(d / "skeleton.md", skel.to_markdown()),
    ]
    return files, miner, found, numeric, skel


def _timelines(corpus: "Corpus", res: MineResult, out: Path) -> list[Path]:
    """Every mined formula and frame counted by year: life spans, successions, eras."""
    from ..timeline import EraSegmenter, FormulaTimeline, formulae_from_bank, formulae_from_frames, write_trends

    formulae = formulae_from_bank(res.boilerplate.phrases.phrases_) if res.boilerplate is not None else []
    if res.frames is not None:
        formulae += formulae_from_frames(res.frames)
    res.timeline = FormulaTimeline(by=TIMELINE_VARIABLE).fit(corpus, formulae)
    res.eras = EraSegmenter().fit(res.timeline)
    return write_trends(out, res.timeline, res.eras)


# ---------------------------------------------------------------- the report


def _anchor(unit_id: str) -> str:
    return "ev-" + re.sub(r"[^\w-]+", "-", unit_id)


def _link(unit_id: str, text: str) -> str:
    from .report import esc

    return f'<a href="#{_anchor(unit_id)}">{esc(text)}</a>'


def _snippet(corpus: "Corpus", doc_id: str, start: int, end: int, width: int = 22) -> str:
    """HTML: the match highlighted with ``width`` characters of context either side (one paragraph)."""
    from .report import esc

    text = corpus[doc_id].text
    a = max(text.rfind("\n", 0, start) + 1, start - width)
    b = text.find("\n", end)
    b = min(len(text) if b < 0 else b, end + width)
    return (("…" if a > 0 and text[a - 1] != "\n" else "") + esc(text[a:start]) + "<mark>" + esc(text[start:end])
            + "</mark>" + esc(text[end:b]) + ("…" if b < len(text) and text[b] != "\n" else ""))


class _Citations:
    """The source sentences a report cites, in order of first citation; each citation is a link to
    the sentence in the report's Evidence section."""

    def __init__(self) -> None:
        self.ids: dict[str, None] = {}

    def __call__(self, unit_id: str, label: str) -> str:
        self.ids.setdefault(unit_id)
        return _link(unit_id, label)


def build_report(corpus: "Corpus", res: MineResult):
    """The :class:`~gkcorpus.app.report.ReportBuilder` for a ``mine`` run (call ``.write(path)``).

    One section per stage that ran, each citing its source sentences; the cited sentences are
    listed last, as the evidence."""
    from .report import ReportBuilder

    rb = ReportBuilder(
        "gkcorpus report: the formulaic layer",
        f"{len(corpus)} documents, {corpus.n_chars:,} characters. Every table links to the source sentences "
        "(clean text with raw offsets) in the Evidence section at the end.",
    )
    cite = _Citations()
    _report_overview(rb, corpus, res.warnings)
    _report_cleaning(rb, corpus)
    if res.clustering is not None:
        _report_outline(rb, res.clustering, res.out_dir / "clusters")
    if res.boilerplate is not None:
        _report_boilerplate(rb, corpus, res, cite)
    if res.frames is not None:
        _report_templates(rb, res, cite)
    if res.timeline is not None:
        _report_timelines(rb, res.timeline, res.eras, res.out_dir / "trends")
    _report_evidence(rb, corpus, cite.ids)
    return rb


def _report_overview(rb: Any, corpus: "Corpus", warnings_: Sequence[str]) -> None:
    """One row per document (title, size, encoding, headings, sentences), then the run's warnings."""
    rb.section("overview", "Corpus overview")
    rows = []
    for d in corpus:
        st = d.structure
        rows.append({"id": d.id, "title": d.title, "characters": len(d.text), "encoding": d.encoding,
                     "headings": len(st.headings), "sentences": len(st.sentences)})
    rb.table(rows, max_rows=200)
    for w in warnings_:
        rb.paragraph(f"Warning: {w}")


def _report_cleaning(rb: Any, corpus: "Corpus") -> None:
    """What each cleaning step changed, the repaired garbles with their raw form, what was lost."""
    rb.section("cleaning", "Cleaning report",
               "What each cleaning step changed per document (counts), the repaired garbles with their raw "
               "form, and what was truly lost (marked □ in the clean text, never invented).")
    summary = corpus.cleaning_summary()
    rb.table(summary, max_rows=200)
    repairs = []
    from opencc import OpenCC

    to_simplified = OpenCC("tw2s")  # the repair happens before script conversion: show it as the clean text has it
    for d in corpus:
        if d.cleaning is None:
            continue
        st = d.cleaning.step("mojibake") if "mojibake" in d.cleaning.counts() else None
        for ex, (a, b) in zip(st.examples if st else [], st.positions if st else []):
            raw, _, fixed = ex.partition(" -> ")
            repairs.append({"doc_id": d.id, "raw offsets": f"{a}–{b}",
                            "raw → repaired": f"{raw} → {to_simplified.convert(fixed)}" if fixed else ex})
    if repairs:
        rb.paragraph(f"{len(repairs)} garbled spots repaired:")
        rb.table(repairs, max_rows=100)
    lost = [{"doc_id": d.id, "context": l.context, "raw offsets": f"{l.raw_start}–{l.raw_end}", "reason": l.reason}
            for d in corpus if d.cleaning for l in d.cleaning.lost]
    rb.paragraph(f"Lost spans: {len(lost)}.")
    if lost:
        rb.table(lost)


def _report_outline(rb: Any, run: Any, plots_dir: Path) -> None:
    """The section types, the common outline, every document's outline, genres, kinds and plots."""
    from .report import esc

    rb.section("outline", "Section types and the corpus outline",
               "Sections (heading and body) clustered with TF-IDF into section types, each named by its "
               "most typical headings and labelled by class-based TF-IDF terms; every document's outline is "
               "the sequence of its section types.")
    rb.paragraph(run.segments_sentence())
    rb.table([{"type": f"T{t.type_id}", "name": t.name, "terms": t.label, "segments": t.size, "documents": t.n_docs,
               "headings": "; ".join(h for h, _ in t.headings[:6])} for t in run.typer.types_], max_rows=100)
    rb.paragraph("Common outline: " + " → ".join(f"{r['name']} [{r['support']}/{run.common.n_docs}]"
                                                 for r in run.common.consensus))
    rb.html("<details><summary>Every document's outline</summary><ul>" + "".join(
        f"<li><b>{esc(o.doc_id)}</b> {esc(o.title)}: {esc(' → '.join(o.names(run.typer.types_)))}</li>"
        for o in run.outlines) + "</ul></details>")
    if run.genres:
        rb.paragraph("Genres (by outline vocabulary and cues): " + "; ".join(
            l.strip() for l in run.genre_lines()))
    if run.kinds is not None:
        rb.paragraph("Document kinds (clusters of words, outline and layout): " + "; ".join(
            f"kind {k['kind']} ({', '.join(k['doc_ids'])}): {' · '.join(k['terms'][:4])}" for k in run.kinds.kinds))
    for name, cap in (("outline_heatmap.png", "Documents × section types"),
                      ("cluster_map.png", "Outline segments in two dimensions, coloured by section type"),
                      ("cluster_sizes.png", "Sizes of the section types")):
        p = plots_dir / name
        if p.exists():
            rb.image(p, cap)


def _report_boilerplate(rb: Any, corpus: "Corpus", res: MineResult, cite: _Citations) -> None:
    """The phrase bank's first entries, the most shared passages and the 套话 index (with its plot)."""
    from .report import esc

    bp = res.boilerplate
    rb.section("boilerplate", "Boilerplate: the phrase bank",
               "Recurring phrases and gapped patterns with document frequency (df), total frequency (tf) and "
               "a score; categories by position and function. The example links to its source sentence.")
    prow = []
    for p in bp.phrases.phrases_[:60]:
        ex = p.examples[0] if p.examples else None
        prow.append({"phrase": esc(p.phrase), "kind": esc(getattr(p, "kind", "")), "category": esc(p.category),
                     "df": p.df, "tf": p.tf,
                     "score": round(p.score, 2),
                     "example": (_snippet(corpus, ex.doc_id, ex.start, ex.end) + " " + cite(ex.unit_id, ex.unit_id))
                     if ex else ""})
    rb.table(prow, html_columns=("phrase", "category", "example"), max_rows=60)
    rb.section("reuse", "Shared passages",
               "Passages shared verbatim or near-verbatim by two or more documents (suffix array and MinHash).")
    rrow = []
    for ps in sorted(bp.reuse.passages_, key=lambda x: (-len(x.docs) * len(x.text), x.id))[:30]:
        occ = " ".join(cite(o.unit_id, o.doc_id) for o in ps.occurrences[:8])
        rrow.append({"passage": esc(ps.text if len(ps.text) <= 120 else ps.text[:119] + "…"), "kind": esc(ps.kind), "documents": len(ps.docs), "occurrences": occ})
    rb.table(rrow, html_columns=("passage", "kind", "occurrences"))

    rb.section("formulaicness", "The 套话 index",
               "Mean share of each sentence's characters covered by corpus-level boilerplate (shared "
               "passages and formulae), most formulaic first, with a 95% interval from the spread of the "
               "sentences: documents whose intervals overlap are not told apart.")
    df = bp.formulaicness.documents_
    rb.table(df[[c for c in ("rank", "doc_id", "title", "chars", "sentences", "index", "index_low", "index_high")
                 if c in df.columns]], max_rows=200)
    path = res.out_dir / "reuse" / "formulaicness.png"
    drawn = res.drawing.pop(path, None)
    png = drawn() if drawn is not None else _formulaicness_plot(df, path)
    if png is not None:
        res.files.append(png)
        rb.image(png, "The 套话 index per document")


def _slot_html(template: str) -> str:
    """A template's text, escaped, with its ``{SLOT}`` names marked up."""
    from .report import esc

    return re.sub(r"\{(\w+)\}", lambda m: f'<span class="slot">{{{m.group(1)}}}</span>', esc(template))


def _report_templates(rb: Any, res: MineResult, cite: _Citations) -> None:
    """The sentence frames in library order (support × fixed text), the numeric slots by document and
    the writer's skeleton."""
    from .report import esc

    frames = list(res.frames.templates)
    n_match = res.extractions[["template_id", "unit_id", "start"]].drop_duplicates().shape[0] \
        if res.extractions is not None and len(res.extractions) else 0
    rb.section("templates", "Sentence frames",
               f"{len(frames)} frames (frames.json): fixed wording with typed slots ({{NUM}}, {{PERCENT}}, {{YEAR}}, "
               f"{{ORG}}, …), mined over clauses and counted by matching them everywhere ({n_match:,} matches, "
               "matches.csv); support is the number of documents matched. "
               + ("The best, by support × fixed text:" if frames else
                  f"No frame is shared by {res.miner.min_docs_} documents or more."))
    frow = []
    for t in frames[:40]:
        seen: set[str] = set()  # the first match in each of four documents
        first = [i for i in t.instances if not (i.doc_id in seen or seen.add(i.doc_id))][:4]
        frow.append({"id": esc(t.id), "frame": _slot_html(t.template), "support": t.support,
                     "matches": len(t.instances), "instances": " ".join(cite(i.unit_id, i.doc_id) for i in first)})
    if frow:
        rb.table(frow, html_columns=("id", "frame", "instances"))
    wide = res.numeric
    if wide is not None and wide.shape[1] > 1:
        rb.paragraph(f"Numeric slots by document (numeric.csv): {wide.shape[1] - 1} columns, one per measure (the "
                     "frames stating it folded into one) or per other numeric slot, found in at least two documents; "
                     "a value as written, with its bound and unit; the first columns:")
        rb.table(wide.iloc[:, : min(8, wide.shape[1])], max_rows=60)
    if res.skeleton is not None:
        rb.html("<details><summary>A writer's skeleton (Markdown)</summary><pre>"
                + esc(res.skeleton.to_markdown()) + "</pre></details>")


def _report_timelines(rb: Any, tl: Any, eras: Any, plots_dir: Path) -> None:
    """The formula timelines: plots, eras and successions."""
    rb.section("timelines", "Formula timelines",
               f"Every formula and frame counted by {tl.by} ({tl.groups_[0]}–{tl.groups_[-1]}, "
               f"{len(tl.groups_)} groups): when it enters, peaks and leaves; eras of a stable vocabulary; "
               "wordings that replace one another. Rates are per 10,000 characters; groups of fewer than "
               f"{tl.min_docs} documents are flagged in trends.csv.")
    for name, caption in (("timeline.png", "Formulae that live in a period: presence and rate by group"),
                          ("eras.png", "Eras and their marker formulae")):
        png = plots_dir / name
        if png.exists():
            rb.image(png, caption)
    if eras is not None:
        rb.table(eras.frame(), max_rows=20)
    succ = tl.succession_frame()
    if len(succ):
        rb.paragraph("Successions (one wording replacing another):")
        rb.table(succ[["old", "old_span", "new", "new_span", "edits"]], max_rows=30)


def _report_evidence(rb: Any, corpus: "Corpus", cited: Iterable[str]) -> None:
    """Every cited sentence, in corpus order, with its id, raw offsets, heading and clean text."""
    from .report import esc

    rb.section("evidence", "Evidence: source sentences",
               "Each sentence cited above, with its document, clean text and raw offsets in the source.")
    units = {}
    needed = set(cited)
    needed_docs = {uid.rpartition("#")[0] for uid in needed}  # unit ids are "<doc id>#<unit>"
    for d in corpus:
        if d.id not in needed_docs:
            continue
        for u in d.units("sentence"):
            if u.unit_id in needed:
                units[u.unit_id] = u
    items = []
    order = {doc_id: i for i, doc_id in enumerate(corpus.ids)}
    for uid in sorted(units, key=lambda x: (order[units[x].doc_id], units[x].index)):
        u = units[uid]
        items.append(f'<li id="{_anchor(uid)}"><b>{esc(uid)}</b> <span class="muted">raw {u.raw_start}–{u.raw_end}'
                     f'{" · " + esc(u.heading) if u.heading else ""}</span><br>{esc(u.text)}</li>')
    rb.html("<ol>" + "".join(items) + "</ol>")


def _draw_formulaicness(res: MineResult, side: Any) -> None:
    """Start the report's 套话 index plot in the side process (:func:`_report_boilerplate` takes it)."""
    if res.boilerplate is None:
        return
    path = res.out_dir / "reuse" / "formulaicness.png"
    future = side.submit(_formulaicness_plot, res.boilerplate.formulaicness.documents_, path)
    res.drawing[path] = lambda: side.result(future)


def _formulaicness_plot(df: Any, path: Path) -> Path | None:
    """The 套话 index per document (most formulaic first) with its confidence interval."""
    if df is None or not len(df) or "index" not in df.columns:
        return None
    from ..outline.plots import plot_intervals

    top = df.head(40)
    rows = [(str(r.doc_id), 100 * r.index, 100 * r.index_low, 100 * r.index_high) for r in top.itertuples()]
    return plot_intervals(rows, path, title="套话 index: mean % of each sentence covered by boilerplate (95% interval)",
                          xlabel="%")

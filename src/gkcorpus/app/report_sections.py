"""The HTML report of a ``mine`` run: one section per stage that ran, each citing its source sentences.

:class:`~gkcorpus.app.report.ReportBuilder` is generic; :func:`build_report` fills it from a
:class:`~gkcorpus.app.pipeline.MineResult`, and the cited sentences are listed last, as the evidence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus
    from .result import MineResult

__all__ = ["build_report", "draw_formulaicness"]


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
    for ps in bp.reuse.by_coverage()[:30]:
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
    if drawn is not None:
        png = drawn()
    else:
        png = _formulaicness_plot(df, path) if res.plots else None
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


def draw_formulaicness(res: MineResult, side: Any) -> None:
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

"""One clustering run of a corpus (section types, common outline, document kinds), written to a folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TYPE_CHECKING

from .common import common_outline, CommonOutline
from .headings import MASK_LEGEND, masked_heading_counts
from .kinds import document_kinds, DocumentKinds
from .parts import numbering_gaps
from .records import DocOutline
from .typer import SectionTyper

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus
    import pandas as pd

__all__ = ["ClusteringRun", "cluster_corpus", "plot_calls"]


# --------------------------------------------------------------------------- one run, written to a folder


@dataclass
class ClusteringRun:
    """Everything ``gkcorpus cluster`` computes: units and clusters at one level, the section types,
    every outline, the common outline, document kinds and (at sentence level) near-identical groups."""

    level: str
    method: str
    typer: SectionTyper
    outlines: list[DocOutline]
    common: CommonOutline
    kinds: DocumentKinds | None
    result: Any = None  # ClusterResult at document/paragraph/sentence level
    near: list[Any] | None = None  # NearIdenticalGroup at sentence level
    timings: dict[str, float] = field(default_factory=dict)
    genres: list[Any] = field(default_factory=list)  # GenreGuess per document (outline vocabulary)
    parts: Any = None  # PartTyper: every top-level part, typed into the genre's real parts

    # ---- tables
    def clusters_frame(self) -> "pd.DataFrame":
        """One row per unit of ``level`` with its cluster (at section level: the outline segments and their types)."""
        if self.result is None:
            df = self.typer.segments_.rename(columns={"type": "cluster", "type_name": "cluster_label"})
        else:
            df = self.result.frame()
        first = ["unit_id", "doc_id", "level", "role", "section", "heading", "section_path", "cluster",
                 "cluster_label", "start", "end", "raw_start", "raw_end", "text"]
        return df[[c for c in first if c in df.columns]]

    def cluster_labels(self) -> dict[str, Any]:
        if self.result is None:
            m = self.typer.metrics_
            clusters = [{"cluster": t.type_id, **t.to_dict()} for t in self.typer.types_]
            notes = list(self.typer.clusterer_.notes_)
        else:
            m = self.result.metrics
            clusters = [c.to_dict() for c in self.result.clusters]
            notes = self.result.notes
        return {"level": self.level, "method": self.method, "metrics": m.to_dict(), "notes": notes, "clusters": clusters}

    def outline_frame(self) -> "pd.DataFrame":
        df = self.typer.segments_
        df = df.assign(order=df.groupby("doc_id", sort=False).cumcount())
        return df[["doc_id", "order", "unit_id", "role", "heading", "type", "type_name", "position",
                   "raw_start", "raw_end", "text"]]

    def outline_lines(self) -> list[str]:
        """``doc_id: T0 name → T3 name → …`` for every document."""
        w = max((len(o.doc_id) for o in self.outlines), default=2)
        return [f"{o.doc_id:<{w}}  {' → '.join(o.names(self.typer.types_))}" + ("  [paragraph fallback]" if o.fallback else "")
                for o in self.outlines]

    def common_lines(self) -> list[str]:
        c = self.common
        out = ["common outline (types in at least 30% of documents, by median position):",
               "  " + " → ".join(f"{r['name']} [{r['support']}/{c.n_docs}]" for r in c.consensus),
               "most travelled path (documents taking each step):",
               "  " + " → ".join(f"{r['name']} [{r['docs']}]" for r in c.path)]
        return out

    def kind_outlines(self, min_docs: int = 2) -> dict[int, CommonOutline]:
        """The common outline of each document kind with at least ``min_docs`` members.

        A corpus mixing genres or eras has no single outline: the national reports before and after
        1999 arrange their parts differently, and a plan does not follow a summary's order.
        """
        if self.kinds is None:
            return {}
        by_doc = {o.doc_id: o for o in self.outlines}
        out = {}
        for k in self.kinds.kinds:
            members = [by_doc[d] for d in k["doc_ids"] if d in by_doc]
            if len(members) >= min_docs:
                out[int(k["kind"])] = common_outline(members, self.typer.types_)
        return out

    def kind_outline_lines(self) -> list[str]:
        """For each kind of two or more documents: its most travelled path, with support."""
        return [f"  kind {k} ({c.n_docs} documents): " + " → ".join(f"{r['name']} [{r['docs']}]" for r in c.path)
                for k, c in self.kind_outlines().items()]

    def genre_lines(self) -> list[str]:
        """``genre: doc ids`` for plan, summary and unknown (see :mod:`gkcorpus.features.genre`)."""
        out = []
        for g in ("plan", "summary", "report", "unknown"):
            ids = [x.doc_id for x in self.genres if x.genre == g]
            if ids:
                out.append(f"  {g} ({len(ids)}): {', '.join(ids)}")
        return out

    def segments_sentence(self) -> str:
        """``N section types from M segments …``: the one wording of these counts (report, outline.md, CLI)."""
        t = self.typer
        m = t.metrics_
        rest = t.n_segments_ - t.n_fitted_
        extra = (f"; {rest} paragraphs of documents without headings typed by their nearest type" if rest else "")
        return (f"{m.n_clusters} section types from {t.n_segments_} segments ({t.n_fitted_} fitted{extra}); "
                f"{m.selection}.")

    def outline_markdown(self) -> str:
        from ..base.export import markdown_table

        parts = ["# Section types and outlines", ""]
        if self.parts is not None:
            parts += ["Two typings of the same documents. **Section types** (T…) cluster every level-1 section, and a "
                      "closing paragraph detached from the last one, by their words and headings: fine-grained, they "
                      "follow the wording. **Part types** (P…, after the common outline) type every top-level part, "
                      "however it is marked (numbered, an unnumbered heading, an unheaded opening, coda or closing, an "
                      "appendix), into the genre's parts, as few as the documents' co-occurrence and order allow. "
                      "`templates/skeleton.md` is written from the part types when they predict each document's order "
                      "of sections about as well as the section types do, else from the section types.", ""]
        m = self.typer.metrics_
        parts += [self.segments_sentence(),
                  f"Quality of the fitted types (cosine, the {m.n_units} fitted segments): silhouette "
                  f"{m.silhouette if m.silhouette is None else round(m.silhouette, 3)}; Davies–Bouldin "
                  f"{m.davies_bouldin if m.davies_bouldin is None else round(m.davies_bouldin, 3)}.", ""]
        parts += [MASK_LEGEND, "", "## Section types", ""]
        rows = [{"type": f"T{t.type_id}", "name": t.name, "label (c-TF-IDF)": t.label, "segments": t.size,
                 "documents": t.n_docs, "mean position": t.mean_position,
                 "headings": "; ".join(f"{h} ×{n}" if n > 1 else h for h, n in masked_heading_counts(t.headings))}
                for t in self.typer.types_]
        parts.append(markdown_table(rows, list(rows[0]) if rows else ["type"]))
        parts += ["## Every document's outline", ""]
        parts += [f"- **{o.doc_id}** {o.title}: " + " → ".join(o.names(self.typer.types_))
                  + (" *(paragraph fallback: no headings)*" if o.fallback else "") for o in self.outlines]
        parts += ["", "## Common outline", ""]
        c = self.common
        parts += ["Types present in at least 30% of the documents, in order of median relative position:", ""]
        parts.append(markdown_table([{"type": r["name"], "documents": f"{r['support']}/{c.n_docs}",
                                      "median position": r["median_position"]} for r in c.consensus],
                                    ["type", "documents", "median position"]))
        parts += ["", "Most travelled path (from the start, the transition most documents make to a type not yet visited):", "",
                  " → ".join(f"{r['name']} ({r['docs']})" for r in c.path), "", "Most frequent transitions:", ""]
        parts.append(markdown_table([{"from": t["from_name"], "to": t["to_name"], "documents": t["docs"], "count": t["count"]}
                                     for t in c.transitions[:25]], ["from", "to", "documents", "count"]))
        if c.sequences and c.sequences[0]["docs"] > 1:
            parts += ["", "Outlines shared by several documents:", ""]
            parts += [f"- {' → '.join(s['names'])}: {', '.join(s['doc_ids'])}" for s in c.sequences if s["docs"] > 1]
        if self.parts is not None:
            parts += ["", *self.parts.markdown_lines()]
        if self.kinds is not None:
            k = self.kinds
            parts += ["", "## Document kinds", "",
                      f"{k.selection}; blocks weighted {', '.join(f'{n} {w:.2f}' for n, w in k.weights.items())}.", ""]
            parts.append(markdown_table([{"kind": x["kind"], "documents": ", ".join(x["doc_ids"]),
                                          "terms": " · ".join(x["terms"][:6]),
                                          "types in most": "; ".join(x["typical_types"][:5])} for x in k.kinds],
                                        ["kind", "documents", "terms", "types in most"]))
            for kid, c in self.kind_outlines().items():
                parts += ["", f"### Kind {kid}: its common outline ({c.n_docs} documents)", "",
                          "Types in at least 30% of the kind's documents: "
                          + " → ".join(f"{r['name']} ({r['support']}/{c.n_docs})" for r in c.consensus), "",
                          "Most travelled path: " + " → ".join(f"{r['name']} ({r['docs']})" for r in c.path)]
        return "\n".join(parts) + "\n"

    def near_frame(self) -> "pd.DataFrame":
        import pandas as pd

        rows = [{"group_id": g.group_id, "n_docs": g.n_docs, "size": g.size, "min_jaccard": g.min_jaccard, **m}
                for g in self.near or [] for m in g.members]
        cols = ["group_id", "n_docs", "size", "min_jaccard", "unit_id", "doc_id", "raw_start", "raw_end", "text"]
        return pd.DataFrame(rows, columns=cols)

    # ---- files
    def write(self, out_dir: str | Path, plots: bool = True) -> list[Path]:
        """Write the tables, the labels, the outline (CSV and Markdown) and the plots into ``out_dir``."""
        from ..base.export import ensure_dir, write_csv, write_json, atomic_write_text

        d = ensure_dir(out_dir)
        written = [
            write_csv(d / "clusters.csv", self.clusters_frame()),
            write_json(d / "cluster_labels.json", self.cluster_labels()),
            write_csv(d / "outline.csv", self.outline_frame()),
            atomic_write_text(d / "outline.md", self.outline_markdown()),
        ]
        if self.kinds is not None:
            genre = {g.doc_id: g.genre for g in self.genres}
            written.append(write_csv(d / "document_kinds.csv",
                                     [{"doc_id": i, "kind": k, "genre": genre.get(i, "")}
                                      for i, k in zip(self.kinds.doc_ids, self.kinds.labels)]))
        if self.genres:
            written.append(write_csv(d / "genres.csv", [{**g.to_dict(), "evidence": "; ".join(g.evidence)}
                                                        for g in self.genres]))
        if self.parts is not None:
            written.append(write_csv(d / "parts.csv", self.parts.segments_))
            written.append(write_json(d / "part_types.json", {"selection": self.parts.selection_,
                                                               "types": [t.to_dict() for t in self.parts.types_],
                                                               "numbering_gaps": numbering_gaps(self.parts.parts_)}))
        if self.near is not None:
            written.append(write_json(d / "near_identical.json", [g.to_dict() for g in self.near]))
            written.append(write_csv(d / "near_identical.csv", self.near_frame()))
        if plots:
            written += self.write_plots(d)
        return written

    def write_plots(self, d: Path) -> list[Path]:
        """Draw the plots of :meth:`plot_calls` into ``d``."""
        return [fn(*args, **kwargs) for fn, args, kwargs in self.plot_calls(d)]

    def plot_calls(self, d: Path) -> list[tuple[Callable[..., Path], tuple, dict[str, Any]]]:
        """The plots of this run as ``(function, args, kwargs)``, each writing one PNG into ``d``:
        plain data (matrix, labels, names, outlines), so that another process can draw them."""
        return plot_calls(self.typer, self.outlines, d, self.result, self.level)


def plot_calls(typer: SectionTyper, outlines: list[DocOutline], d: Path, result: Any = None,
               level: str = "section") -> list[tuple[Callable[..., Path], tuple, dict[str, Any]]]:
    """:meth:`ClusteringRun.plot_calls` from its parts: at section level (``result`` None) they are
    known once the section types are fitted (see ``on_section_types`` of :func:`cluster_corpus`)."""
    from .plots import plot_cluster_map, plot_cluster_sizes, plot_outline_heatmap

    if result is None:
        X = typer.matrix_
        labels = typer.segments_.type.to_numpy()
        names = {t.type_id: t.name for t in typer.types_}
        sizes = [(f"T{t.type_id} {t.name}", t.size) for t in typer.types_]
        what = "section types"
        unit_name = "outline segments"
    else:
        X = result.vectorized.matrix
        labels = result.labels
        names = {c.cluster: c.label for c in result.clusters}
        sizes = [(f"{c.cluster}: {c.label}", c.size) for c in result.clusters]
        what = f"{level} clusters"
        unit_name = f"{level} units"
    return [
        (plot_cluster_map, (X, labels, names, d / "cluster_map.png"),
         {"title": f"{len(labels)} {unit_name}, {len(sizes)} {what} (TF-IDF)"}),
        (plot_cluster_sizes, (sizes, d / "cluster_sizes.png"), {"title": f"Sizes of the {what}"}),
        (plot_outline_heatmap, (outlines, typer.types_, d / "outline_heatmap.png"),
         {"title": "Documents × section types"}),
    ]


def cluster_corpus(
    corpus: "Corpus",
    level: str = "section",
    n_clusters: int | str = "auto",
    method: str = "kmeans",
    analyzer: str = "word",
    depth: int = 1,
    n_kinds: int | str = "auto",
    near_threshold: float = 0.8,
    random_state: int = 0,
    progress: bool = False,
    tokenizer: Callable[[str], list[str]] | None = None,
    parts: bool = True,
    on_section_types: Callable[[SectionTyper, list[DocOutline]], Any] | None = None,
) -> ClusteringRun:
    """Section types, outlines and document kinds of ``corpus``, plus clusters of its units at ``level``.

    At ``level="section"`` the units are the outline segments and ``n_clusters``/``method`` choose the
    section types; at other levels they apply to the units of that level, and the outline uses the
    defaults. At sentence level, near-identical sentences across documents are grouped too.
    ``tokenizer``: the word tokenizer of the TF-IDF (default ``Tokenizer(stopwords=True)``).
    ``parts``: also type every top-level part, however marked, into the genre's real parts
    (:class:`~gkcorpus.outline.part_types.PartTyper`; at section level only).
    ``on_section_types(typer, outlines)`` is called as soon as the section types and outlines are
    fitted, before the document kinds and part types (``mine`` starts drawing the plots then).
    """
    import time

    from ..features.cluster import cluster_units, near_identical_groups
    from ..corpus import LEVELS

    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    section_level = level == "section"
    typer = SectionTyper(
        depth=depth, random_state=random_state, progress=progress,
        vectorizer=SectionTyper.default_vectorizer(analyzer, tokenizer, progress),
        clusterer=SectionTyper.default_clusterer(n_clusters if section_level else "auto",
                                                 method if section_level else "kmeans", random_state))
    outlines = typer.fit_outlines(corpus)
    if on_section_types is not None:
        on_section_types(typer, outlines)
    common = common_outline(outlines, typer.types_)
    timings["section types"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    kinds = document_kinds(corpus, typer, n_kinds=n_kinds, random_state=random_state) if len(corpus) >= 3 else None
    timings["document kinds"] = time.perf_counter() - t0
    result = near = None
    if not section_level:
        t0 = time.perf_counter()
        result = cluster_units(corpus, level=level, method=method, n_clusters=n_clusters, analyzer=analyzer,
                               random_state=random_state, progress=progress, tokenizer=tokenizer)
        timings[f"{level} clusters"] = time.perf_counter() - t0
    if level == "sentence":
        t0 = time.perf_counter()
        near = near_identical_groups(corpus.units("sentence"), threshold=near_threshold, progress=progress)
        timings["near-identical"] = time.perf_counter() - t0
    from ..features.genre import guess_genre

    genres = [guess_genre(d) for d in corpus]
    part_typer = None
    if parts and section_level:
        from .part_types import PartTyper

        t0 = time.perf_counter()
        try:
            part_typer = PartTyper(tokenizer=tokenizer, random_state=random_state).fit(corpus)
        except ValueError:  # fewer than two parts in the whole corpus
            part_typer = None
        timings["part types"] = time.perf_counter() - t0
    return ClusteringRun(level, method, typer, outlines, common, kinds, result, near, timings, genres, part_typer)

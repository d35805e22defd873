"""Section types and document outlines: how the genre arranges its parts.

1. :func:`outline_segments` cuts one document into non-overlapping segments: the preamble before
   the first heading, each section down to ``depth`` (a parent keeps only the text before its first
   child), and -- with ``split_tail`` -- the document's last body paragraph when it is not the sole
   content of its section (the closing "在今后的工作中…" / "让我们…" paragraph usually sits under the
   last heading without a heading of its own). A document without headings falls back to its
   paragraphs (very long ones cut into runs of sentences).
2. :class:`SectionTyper` clusters the segments of the documents that have headings on heading + body
   (:class:`~gkcorpus.vectorize.UnitVectorizer` with a heading block), names each type by its most
   frequent headings and labels it by c-TF-IDF terms, then assigns the fallback segments of documents
   without headings to the nearest type. Type ids follow the types' mean position in the documents,
   so type 0 tends to be the opening and the last type the closing.
3. :class:`DocOutline` is a document's sequence of types (consecutive repeats merged);
   :func:`common_outline` gives the corpus's common outline with its support: the types most documents
   share in their usual order, the transition counts between types, the most travelled path through
   them, and the most frequent exact sequences.
4. :func:`document_kinds` clusters whole documents on five blocks: words, outline (bag of section
   types), layout, register (aspect/modal markers and function words) and genre (the plan/summary
   evidence of :func:`gkcorpus.genre.guess_genre`'s lexicons). On the 50 national reports the kinds
   follow eras; on the bundled corpus the genre block is what isolates the two work plans, which
   share no heading with each other while summaries 07 and 15 share their layout and directive
   register. :meth:`ClusteringRun.kind_outlines` gives each kind its own common outline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .corpus import Unit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus, Document

__all__ = [
    "outline_segments",
    "SectionType",
    "SectionTyper",
    "DocOutline",
    "CommonOutline",
    "common_outline",
    "DocumentKinds",
    "document_kinds",
    "layout_profile",
    "LAYOUT_FEATURES",
    "ClusteringRun",
    "cluster_corpus",
    "smooth_types",
    "ROLE_OPENING",
    "ROLE_CLOSING",
]

ROLE_OPENING = "preamble"  # segment roles
ROLE_SECTION = "section"
ROLE_CLOSING = "tail"
ROLE_FALLBACK = "paragraph"
START, END = "START", "END"


# --------------------------------------------------------------------------- segments (per document)


def _unit(doc: "Document", uid: str, level: str, index: int, start: int, end: int, section: str,
          heading: str, path: tuple[str, ...]) -> Unit:
    text = doc.text[start:end].strip()
    rs, re_ = doc.raw_span(start, end)
    return Unit(uid, doc.id, level, index, text, start, end, rs, re_, section, heading, path)


def _depth(section_id: str) -> int:
    return section_id.count(".") + 1 if section_id else 0


def _fallback_segments(doc: "Document", max_chars: int) -> list[tuple[Unit, str]]:
    """Paragraphs of a document without headings; a paragraph over ``max_chars`` is cut into sentence runs."""
    st = doc.structure
    out: list[tuple[Unit, str]] = []
    sents_of: dict[int, list] = defaultdict(list)
    for s in st.sentences:
        sents_of[s.paragraph].append(s)
    k = 0
    for p in st.paragraphs:
        if p.kind == "closing":
            continue
        if p.end - p.start <= max_chars:
            out.append((_unit(doc, f"{doc.id}#p{p.index}", "paragraph", k, p.start, p.end, p.section, "", ()), ROLE_FALLBACK))
            k += 1
            continue
        start, piece = p.start, 0
        for s in sents_of[p.index]:
            if s.end - start >= max_chars // 2 or s.end >= p.end:
                out.append((_unit(doc, f"{doc.id}#p{p.index}~{piece}", "paragraph", k, start, s.end, p.section, "", ()),
                            ROLE_FALLBACK))
                k += 1
                piece += 1
                start = s.end
    return out


def outline_segments(doc: "Document", depth: int = 1, split_tail: bool = True,
                     fallback_max_chars: int = 2000) -> list[tuple[Unit, str]]:
    """The document's outline segments in order, each with its role.

    Roles: ``"preamble"`` (before the first heading), ``"section"`` (a section down to ``depth``),
    ``"tail"`` (the detached last paragraph) and ``"paragraph"`` (fallback for a document without
    headings). Unit ids are the corpus's (``Corpus.units``); a parent section's segment keeps its id
    but only its text before its first child. Segments never overlap.
    """
    st = doc.structure
    secs = [s for s in st.flat_sections() if _depth(s.id) <= depth]
    if not any(s.heading is not None for s in secs):
        return _fallback_segments(doc, fallback_max_chars)
    by_id = {s.id: s for s in st.flat_sections()}

    def path(sid: str) -> tuple[str, ...]:
        parts = sid.split(".")
        hs = [by_id[".".join(parts[: i + 1])].heading for i in range(len(parts))]
        return tuple(h.text for h in hs if h is not None)

    uid = {u.section: u.unit_id for u in doc.units("section")}  # the corpus's own section ids
    out: list[tuple[Unit, str]] = []
    for i, s in enumerate(secs):
        # pre-order: the next segment start is a child (inside this section) or lies beyond it
        end = min(s.end, secs[i + 1].start) if i + 1 < len(secs) else s.end
        if not doc.text[s.start:end].strip():
            continue
        if s.heading is None:
            out.append((_unit(doc, uid[s.id], "section", len(out), s.start, end, "", "", ()), ROLE_OPENING))
        else:
            p = path(s.id)
            out.append((_unit(doc, uid[s.id], "section", len(out), s.start, end, s.id, p[-1], p), ROLE_SECTION))
    if split_tail and out:
        out = _split_tail(doc, out)
    return out


def _split_tail(doc: "Document", segs: list[tuple[Unit, str]]) -> list[tuple[Unit, str]]:
    """Detach the last body paragraph when its section has other body text before it."""
    st = doc.structure
    body = [p for p in st.paragraphs if p.kind == "body"]
    if not body:
        return segs
    last = body[-1]
    if any(h.start == last.start for h in st.headings):
        return segs  # a run-in heading paragraph is a section's own content
    unit, role = segs[-1]
    if role not in (ROLE_SECTION, ROLE_OPENING) or not unit.start <= last.start < unit.end:
        return segs
    if not any(p.section == last.section and p.start < last.start for p in body):
        return segs  # the paragraph is its (sub)section's only body text: it is that section
    head = _unit(doc, unit.unit_id, unit.level, unit.index, unit.start, last.start, unit.section, unit.heading,
                 unit.section_path)
    tail = _unit(doc, f"{doc.id}#p{last.index}", "paragraph", unit.index + 1, last.start, last.end, last.section,
                 unit.heading, unit.section_path)
    return segs[:-1] + [(head, role), (tail, ROLE_CLOSING)]


# --------------------------------------------------------------------------- records


@dataclass
class SectionType:
    """One kind of section: id, a name from its headings, c-TF-IDF terms, support and exemplars."""

    type_id: int
    name: str
    label: str
    size: int
    n_docs: int
    mean_position: float
    roles: dict[str, int]
    headings: list[tuple[str, int]]
    heading_terms: list[tuple[str, float]]
    terms: list[tuple[str, float]]
    exemplars: list[dict[str, Any]]

    @property
    def display(self) -> str:
        return f"T{self.type_id} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["headings"] = [{"heading": h, "count": c} for h, c in self.headings]
        d["heading_terms"] = [{"term": t, "score": s} for t, s in self.heading_terms]
        d["terms"] = [{"term": t, "score": s} for t, s in self.terms]
        return d


@dataclass
class DocOutline:
    """A document's outline: its segments with their types, and the type sequence (repeats merged)."""

    doc_id: str
    title: str
    types: list[int]
    segments: list[dict[str, Any]]
    fallback: bool = False

    def names(self, types: Sequence[SectionType]) -> list[str]:
        by = {t.type_id: t for t in types}
        return [by[t].display if t in by else ("(unassigned)" if t < 0 else f"T{t}") for t in self.types]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- the typer


def _collapse(seq: Sequence[int]) -> list[int]:
    out: list[int] = []
    for t in seq:
        if not out or out[-1] != t:
            out.append(t)
    return out


class SectionTyper(BaseEstimator):
    """Cluster outline segments into section types and give every document its outline.

    Parameters
    ----------
    depth : deepest heading level that starts a segment (1: 一、; 2: also （一）…).
    split_tail : detach a closing last paragraph (see :func:`outline_segments`).
    n_types : "auto" (silhouette over ``k_range``) or an int.
    k_range : numbers of types tried by "auto".
    method : "kmeans", "agglomerative" or "hdbscan" (see :class:`~gkcorpus.cluster.Clusterer`).
    heading_weight : share of a section's vector given to its heading (0..1).
    heading_ngram_range : character n-gram sizes of headings.
    heading_max_df : heading n-grams in more than this share of the headings are ignored.
    position_weight : share of the vector given to the segment's relative position in its document
        (encoded as a point on a quarter circle, so cosine similarity falls with distance): an opening
        and a closing paragraph may use the same words, but they are different parts.
    analyzer, tokenizer : body features, as in :class:`~gkcorpus.vectorize.UnitVectorizer`.
    fallback_max_chars : in documents without headings, paragraphs longer than this are cut.
    random_state : seed.

    Attributes (after ``fit``)
    --------------------------
    types_ : list of :class:`SectionType`, numbered by mean relative position.
    segments_ : DataFrame, one row per segment: unit table + ``role``, ``position``, ``type``, ``type_name``.
    counts_, matrix_ : term counts and the clustered vectors (body | heading | position) of the segments.
    centers_ : the types' centroids (rows of ``matrix_`` space); ``predict``/``transform`` use them.
    vectorizer_, clusterer_, metrics_ : the fitted UnitVectorizer, Clusterer and its ClusterMetrics.
    """

    def __init__(
        self,
        depth: int = 1,
        split_tail: bool = True,
        n_types: int | str = "auto",
        k_range: tuple[int, int] = (4, 20),
        method: str = "kmeans",
        heading_weight: float = 0.7,
        heading_ngram_range: tuple[int, int] = (1, 2),
        heading_max_df: float = 0.2,
        position_weight: float = 0.2,
        analyzer: str | Callable[[str], list[str]] = "word",
        tokenizer: Callable[[str], list[str]] | None = None,
        fallback_max_chars: int = 2000,
        random_state: int = 0,
        progress: bool = False,
    ):
        self.depth = depth
        self.split_tail = split_tail
        self.n_types = n_types
        self.k_range = k_range
        self.method = method
        self.heading_weight = heading_weight
        self.heading_ngram_range = heading_ngram_range
        self.heading_max_df = heading_max_df
        self.position_weight = position_weight
        self.analyzer = analyzer
        self.tokenizer = tokenizer
        self.fallback_max_chars = fallback_max_chars
        self.random_state = random_state
        self.progress = progress

    def _segments(self, corpus: "Corpus") -> list[tuple[Unit, str]]:
        return [s for d in corpus for s in outline_segments(d, self.depth, self.split_tail, self.fallback_max_chars)]

    def fit(self, corpus: "Corpus", y: Any = None) -> "SectionTyper":
        """Learn the section types of ``corpus`` and type all its segments."""
        from .cluster import Clusterer, label_clusters
        from .vectorize import UnitVectorizer

        segs = self._segments(corpus)
        if not segs:
            raise ValueError("the corpus has no text to outline")
        roles = np.array([r for _, r in segs])
        fit_rows = np.flatnonzero(roles != ROLE_FALLBACK)
        if len(fit_rows) < 2:  # no document has headings: type the paragraphs themselves
            fit_rows = np.arange(len(segs))
        units = [u for u, _ in segs]
        fit_units = [units[i] for i in fit_rows]
        self.vectorizer_ = UnitVectorizer(level="section", analyzer=self.analyzer, tokenizer=self.tokenizer,
                                          heading_weight=self.heading_weight, heading_levels=("section",),
                                          heading_ngram_range=self.heading_ngram_range,
                                          heading_max_df=self.heading_max_df,
                                          progress=self.progress)
        # one analysis of every segment: the vocabulary and IDF cover the fallback paragraphs too,
        # but only the segments of documents with headings shape the types
        full = self.vectorizer_.vectorize(units, fit=True)
        X_all = self._with_position(full.matrix, units)
        self.counts_ = full.counts
        self.matrix_ = X_all
        self.titles_ = {d.id: d.title for d in corpus}
        vec = replace(full, matrix=X_all[fit_rows], counts=full.counts[fit_rows],
                      units=full.units.iloc[fit_rows].reset_index(drop=True),
                      heading_counts=None if full.heading_counts is None else full.heading_counts[fit_rows])
        self.clusterer_ = Clusterer(method=self.method, n_clusters=self.n_types, k_range=self.k_range,
                                    random_state=self.random_state).fit(vec.matrix)
        raw = self.clusterer_.labels_
        # order types by their mean relative position in the documents
        pos = _relative_positions(fit_units)
        k = self.clusterer_.n_clusters_
        mean_pos = [float(np.mean(pos[raw == c])) if (raw == c).any() else 1.0 for c in range(k)]
        order = sorted(range(k), key=lambda c: (round(mean_pos[c], 6), c))
        remap = {old: new for new, old in enumerate(order)}
        self.centers_ = self.clusterer_.cluster_centers_[order]
        fit_types = np.array([remap[c] if c >= 0 else -1 for c in raw], dtype=int)
        labels = label_clusters(vec, fit_types, self.centers_)
        fit_roles = roles[fit_rows]
        self.types_ = []
        for lab in labels:
            members = fit_types == lab.cluster
            role_count = Counter(fit_roles[members].tolist())
            self.types_.append(SectionType(
                type_id=lab.cluster, name=_type_name(lab.headings, role_count, lab.label), label=lab.label,
                size=lab.size, n_docs=lab.n_docs, mean_position=round(float(np.mean(pos[members])), 4),
                roles=dict(sorted(role_count.items())), headings=lab.headings, heading_terms=lab.heading_terms,
                terms=lab.terms, exemplars=lab.exemplars,
            ))
        self.metrics_ = self.clusterer_.metrics_
        types = np.full(len(units), -1, dtype=int)
        types[fit_rows] = fit_types
        rest = np.setdiff1d(np.arange(len(units)), fit_rows)
        if len(rest):
            types[rest] = self._nearest(X_all[rest])
        self.segments_ = self._frame(segs, types)
        return self

    def _with_position(self, X: Any, units: Sequence[Unit]) -> Any:
        """Append the position block: relative position p as (cos πp/2, sin πp/2), share ``position_weight``."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        w = float(self.position_weight)
        if w <= 0:
            return X
        p = _relative_positions(units) * (np.pi / 2)
        P = sp.csr_matrix(np.column_stack([np.cos(p), np.sin(p)]))
        return normalize(sp.hstack([X * np.sqrt(1 - w), P * np.sqrt(w)], format="csr"))

    def _nearest(self, X: Any) -> np.ndarray:
        out = np.full(X.shape[0], -1, dtype=int)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        live = np.flatnonzero(norms > 0)
        if len(live):
            out[live] = np.asarray(X[live] @ self.centers_.T).argmax(axis=1)
        return out

    def _predict_units(self, units: Sequence[Unit]) -> np.ndarray:
        return self._nearest(self._with_position(self.vectorizer_.transform(units), units))

    def _frame(self, segs: list[tuple[Unit, str]], types: np.ndarray) -> "pd.DataFrame":
        from .vectorize import unit_table

        df = unit_table([u for u, _ in segs])
        df.insert(3, "role", [r for _, r in segs])
        df["position"] = _relative_positions([u for u, _ in segs])
        df["type"] = types
        names = {t.type_id: t.name for t in self.types_}
        df["type_name"] = [names.get(int(t), "(unassigned)") for t in types]
        return df

    def transform(self, corpus: "Corpus") -> "pd.DataFrame":
        """The segments of another corpus, each assigned the nearest fitted type."""
        return self.segment_counts(corpus)[0]

    def segment_counts(self, corpus: "Corpus | None" = None) -> tuple["pd.DataFrame", Any]:
        """Typed segments and their term counts (fitted vocabulary), of the fitted corpus or of ``corpus``."""
        check_is_fitted(self, "types_")
        if corpus is None:
            return self.segments_, self.counts_
        segs = self._segments(corpus)
        units = [u for u, _ in segs]
        counts, hcounts = self.vectorizer_._counts(units)
        X = self._with_position(self.vectorizer_._weigh(counts, hcounts), units)
        return self._frame(segs, self._nearest(X)), counts

    def outlines(self, corpus: "Corpus | None" = None) -> list[DocOutline]:
        """Every document's outline (of the fitted corpus, or of ``corpus`` typed by :meth:`transform`)."""
        check_is_fitted(self, "types_")
        df = self.segments_ if corpus is None else self.transform(corpus)
        titles = {d.id: d.title for d in corpus} if corpus is not None else self.titles_
        out = []
        for doc_id, g in df.groupby("doc_id", sort=False):
            segs = [{"unit_id": r.unit_id, "role": r.role, "heading": r.heading if r.role == ROLE_SECTION else "",
                     "type": int(r.type)} for r in g.itertuples()]
            fallback = bool((g.role == ROLE_FALLBACK).all())
            seq = [s["type"] for s in segs]
            out.append(DocOutline(str(doc_id), titles.get(doc_id, str(doc_id)),
                                  _collapse(smooth_types(seq) if fallback else seq), segs, fallback=fallback))
        return out

    def fit_outlines(self, corpus: "Corpus") -> list[DocOutline]:
        """Fit, then return every document's outline."""
        return self.fit(corpus).outlines()

    def type_by_id(self, type_id: int) -> SectionType:
        return next(t for t in self.types_ if t.type_id == type_id)


def _relative_positions(units: Sequence[Unit]) -> np.ndarray:
    """Position of each unit in its document, 0 (first) .. 1 (last)."""
    count = Counter(u.doc_id for u in units)
    seen: Counter[str] = Counter()
    out = np.zeros(len(units))
    for i, u in enumerate(units):
        n = count[u.doc_id]
        out[i] = seen[u.doc_id] / (n - 1) if n > 1 else 0.0
        seen[u.doc_id] += 1
    return out


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _type_name(headings: list[tuple[str, int]], roles: Counter, label: str) -> str:
    """Openings and closings by role; otherwise the type's most frequent (then most central) heading."""
    total = sum(roles.values())
    if roles.get(ROLE_OPENING, 0) * 2 > total:
        return f"(opening) {label}"
    if roles.get(ROLE_CLOSING, 0) * 2 > total:
        return f"(closing) {label}"
    if headings:
        name = _short(headings[0][0], 14)
        if len(headings) > 1:
            name += f" (+{len(headings) - 1})"
        return name
    return f"({label})"


def smooth_types(types: Sequence[int]) -> list[int]:
    """Majority filter of width 3: a lone segment between two of one type takes that type.

    Used on the paragraph fallback, where single paragraphs are typed noisily.
    """
    out = list(types)
    for i in range(1, len(out) - 1):
        if out[i - 1] == out[i + 1] != out[i]:
            out[i] = out[i - 1]
    return out


# --------------------------------------------------------------------------- the common outline


@dataclass
class CommonOutline:
    """The corpus's common outline and the evidence for it.

    ``consensus``: types present in at least ``min_support`` of the documents, in order of their
    median relative position, each with its support; ``path``: from START, repeatedly the most
    frequent transition to a type not yet visited, with the number of documents making it;
    ``transitions``: every transition with its count and document support; ``sequences``: the most
    frequent exact outlines.
    """

    n_docs: int
    consensus: list[dict[str, Any]]
    path: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    sequences: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def common_outline(outlines: Sequence[DocOutline], types: Sequence[SectionType] | None = None,
                   min_support: float = 0.3, top_sequences: int = 5) -> CommonOutline:
    """Consensus order, most travelled path, transition counts and frequent sequences of the outlines."""
    names = {t.type_id: t.display for t in types or []}

    def nm(t: Any) -> str:
        return names.get(t, f"T{t}") if isinstance(t, (int, np.integer)) else str(t)

    n = len(outlines)
    trans: Counter = Counter()
    trans_docs: dict[tuple, set[str]] = defaultdict(set)
    positions: dict[int, list[float]] = defaultdict(list)
    for o in outlines:
        seq = [START] + list(o.types) + [END]
        for a, b in zip(seq, seq[1:]):
            trans[(a, b)] += 1
            trans_docs[(a, b)].add(o.doc_id)
        firsts: dict[int, float] = {}
        for i, t in enumerate(o.types):
            firsts.setdefault(t, i / (len(o.types) - 1) if len(o.types) > 1 else 0.0)
        for t, p in firsts.items():
            positions[t].append(p)
    need = max(2, int(np.ceil(min_support * n))) if n > 1 else 1
    consensus = [
        {"type": int(t), "name": nm(t), "support": len(ps), "share": round(len(ps) / n, 3),
         "median_position": round(float(np.median(ps)), 3)}
        for t, ps in positions.items() if len(ps) >= need and t >= 0
    ]
    consensus.sort(key=lambda r: (r["median_position"], -r["support"], r["type"]))
    # the most travelled path through the transition graph
    path = [{"type": START, "name": START, "docs": n}]
    cur: Any = START
    visited: set = {START}
    while True:
        options = [(len(trans_docs[(a, b)]), trans[(a, b)], b) for (a, b) in trans if a == cur and b not in visited]
        if not options:
            break
        docs, _, nxt = max(options, key=lambda o: (o[0], o[1], -1 if o[2] == END else -int(o[2])))
        path.append({"type": nxt if nxt == END else int(nxt), "name": nm(nxt), "docs": docs})
        if nxt == END:
            break
        visited.add(nxt)
        cur = nxt
    transitions = [
        {"from": a if a == START else int(a), "to": b if b == END else int(b), "from_name": nm(a), "to_name": nm(b),
         "count": c, "docs": len(trans_docs[(a, b)])}
        for (a, b), c in trans.items()
    ]
    transitions.sort(key=lambda r: (-r["docs"], -r["count"], str(r["from"]), str(r["to"])))
    seqs = Counter(tuple(o.types) for o in outlines)
    sequences = [{"types": list(map(int, s)), "names": [nm(t) for t in s], "docs": c,
                  "doc_ids": [o.doc_id for o in outlines if tuple(o.types) == s]}
                 for s, c in sorted(seqs.items(), key=lambda kv: (-kv[1], kv[0]))[:top_sequences]]
    return CommonOutline(n, consensus, path, transitions, sequences)


# --------------------------------------------------------------------------- document kinds

LAYOUT_FEATURES = ("has_preamble", "has_closing", "headings_per_paragraph", "subheadings_per_paragraph",
                   "log_sentence_length", "log_paragraph_length")


def layout_profile(doc: "Document", depth: int = 1) -> dict[str, float]:
    """How a document is laid out (pure, per document): does it open with a preamble and close with a
    detached paragraph, how dense and deep are its headings, how long its sentences and paragraphs.

    A work plan starts at 一、指导思想 with no preamble, enumerates short directives under numbered
    sub-headings and has no closing paragraph; an activity summary opens with "按照…现将…总结如下" and
    closes with "在今后的工作中…".
    """
    st = doc.structure
    paras = [p for p in st.paragraphs if p.kind != "closing"] or st.paragraphs
    roles = {r for _, r in outline_segments(doc, depth)}
    n_par = max(1, len(paras))
    sent_len = np.mean([s.end - s.start for s in st.sentences]) if st.sentences else 1.0
    par_len = np.mean([p.end - p.start for p in paras]) if paras else 1.0
    return {
        "has_preamble": float(ROLE_OPENING in roles),
        "has_closing": float(ROLE_CLOSING in roles),
        "headings_per_paragraph": len(st.headings) / n_par,
        "subheadings_per_paragraph": sum(h.level > 1 for h in st.headings) / n_par,
        "log_sentence_length": float(np.log(max(sent_len, 1.0))),
        "log_paragraph_length": float(np.log(max(par_len, 1.0))),
    }


@dataclass
class DocumentKinds:
    """Clusters of whole documents on their words, outline, layout, register and genre evidence.

    ``register_features`` names the columns of the register block (marker categories, then the
    function words chosen), empty when its weight is 0. Each entry of ``kinds`` has its members, its
    distinctive terms, the section types most of its members have, its mean layout profile and its
    mean marker rates per 1000 tokens (``register``, when the block is used) and how many of its
    members :func:`~gkcorpus.genre.guess_genre` calls plan, summary or unknown (``genres``, likewise).
    """

    doc_ids: list[str]
    labels: list[int]
    kinds: list[dict[str, Any]]
    selection: str
    silhouette: float | None
    weights: dict[str, float] = field(default_factory=dict)
    register_features: list[str] = field(default_factory=list)

    def kind_of(self, doc_id: str) -> int:
        return self.labels[self.doc_ids.index(doc_id)]

    def members(self, kind: int) -> list[str]:
        return [d for d, k in zip(self.doc_ids, self.labels) if k == kind]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def document_kinds(corpus: "Corpus", typer: SectionTyper,
                   weights: tuple[float, ...] = (0.4, 0.2, 0.4, 0.4, 1.0),
                   n_kinds: int | str = "auto", k_range: tuple[int, int] = (2, 8), method: str = "kmeans",
                   n_function_words: int = 20, tokenizer: Callable[[str], list[str]] | None = None,
                   random_state: int = 0) -> DocumentKinds:
    """Cluster documents on up to five blocks, each L2-normalised and given its share of ``weights``
    (words, outline, layout, register, genre; a 3-tuple leaves out register and genre, a 4-tuple genre):

    * words: TF-IDF of the whole text, summed from the typer's segment counts (what it is about);
    * outline: TF-IDF of its bag of section types (which parts it has);
    * layout: :func:`layout_profile`, standardised over the corpus (how it is built);
    * register: :func:`~gkcorpus.genre.register_profile` -- rates of aspect/modal marker categories and
      of the ``n_function_words`` most frequent function words, z-scored (Cosine Delta; how it is
      written). Its tokens come from ``tokenizer`` (default: the gkcorpus tokenizer with stopwords
      kept; the typer's backend when it has a :class:`~gkcorpus.tokenize.Tokenizer`). Skipped, with
      its tokenisation pass, when its weight is 0;
    * genre: :func:`~gkcorpus.genre.genre_matrix` of :func:`~gkcorpus.genre.guess_genre` -- the
      plan and summary evidence of the conventional section names and opening cues (a dictionary
      lookup; what kind of document it says it is).

    Words alone group documents by office and campaign; layout, outline, register and genre carry the
    genre. The genre block is what separates the bundled work plans (13, 14) from the summaries:
    without it (a 4-tuple) they share a kind with 01, 05, 07 and 12, which also start at 一、 without
    a preamble. It has no effect on the national reports, which all read as summaries.
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import StandardScaler, normalize

    from .cluster import Clusterer, class_tfidf

    check_is_fitted(typer, "types_")
    if len(weights) not in (3, 4, 5) or any(float(w) < 0 for w in weights) or sum(float(w) for w in weights) <= 0:
        raise ValueError(f"weights must be 3 to 5 non-negative numbers (words, outline, layout[, register[, genre]]) "
                         f"with a positive sum, got {weights!r}")
    wb, wt, wl, wr, wg = (float(w) for w in (*weights, 0.0, 0.0)[:5])
    total = wb + wt + wl + wr + wg
    ids = [d.id for d in corpus]
    fitted = typer.segments_
    same = list(dict.fromkeys(fitted.doc_id)) == ids
    seg, seg_counts = typer.segment_counts(None if same else corpus)
    # a document's word counts are the sum of its segments' (the segments tile its body)
    row = {d: i for i, d in enumerate(ids)}
    rows = np.array([row[d] for d in seg.doc_id])
    ind = sp.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(ids), len(rows)))
    word_counts = (ind @ seg_counts).tocsr()
    W = TfidfTransformer(sublinear_tf=True).fit_transform(word_counts)
    terms_vocab = typer.vectorizer_.terms_
    counts = np.zeros((len(ids), len(typer.types_)))
    for d, t in zip(seg.doc_id, seg.type):
        if t >= 0:
            counts[row[d], t] += 1
    T = normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts))
    L_raw = np.array([[layout_profile(d, typer.depth)[f] for f in LAYOUT_FEATURES] for d in corpus])
    L = normalize(StandardScaler().fit_transform(L_raw)) if len(ids) > 1 else np.zeros_like(L_raw)
    blocks = [W * np.sqrt(wb / total), T * np.sqrt(wt / total), sp.csr_matrix(L) * np.sqrt(wl / total)]
    reg_names: list[str] = []
    categories: list[str] = []
    profiles: list[dict[str, float]] = []
    if wr > 0:
        from .genre import function_words, load_register_markers, register_matrix, register_profile
        from .tokenize import Tokenizer, load_stopwords

        if tokenizer is None:
            base = typer.tokenizer if isinstance(typer.tokenizer, Tokenizer) else Tokenizer()
            tokenizer = Tokenizer(**{**base.get_params(), "stopwords": False, "keep_punct": False})
        fw = function_words(load_stopwords())
        profiles = [register_profile(tokenizer(d.text), words=fw) for d in corpus]
        categories = list(load_register_markers())
        R, reg_names = register_matrix(profiles, n_function_words, categories)
        blocks.append(sp.csr_matrix(R) * np.sqrt(wr / total))
    genres: list[str] = []
    if wg > 0:
        from .genre import genre_matrix, guess_genre

        guesses = [guess_genre(d) for d in corpus]
        genres = [g.genre for g in guesses]
        blocks.append(sp.csr_matrix(genre_matrix(guesses)) * np.sqrt(wg / total))
    X = normalize(sp.hstack(blocks, format="csr"))
    est = Clusterer(method=method, n_clusters=n_kinds, k_range=k_range, min_mean_size=2,
                    random_state=random_state).fit(X)
    terms = class_tfidf(word_counts, est.labels_)
    names = {t.type_id: t.display for t in typer.types_}
    kinds = []
    for k in range(est.n_clusters_):
        members = np.flatnonzero(est.labels_ == k)
        r = terms[k].tocoo()
        top = [str(terms_vocab[c]) for c, _ in sorted(zip(r.col, r.data), key=lambda t: (-t[1], terms_vocab[t[0]]))[:8]]
        share = (counts[members] > 0).mean(axis=0)
        typical = [names.get(int(t), f"T{t}") for t in np.argsort(-share, kind="stable") if share[t] >= 0.5]
        layout = {f: round(float(v), 3) for f, v in zip(LAYOUT_FEATURES, L_raw[members].mean(axis=0))}
        kind = {"kind": k, "size": int(len(members)), "doc_ids": [ids[i] for i in members],
                "terms": top, "typical_types": typical, "layout": layout}
        if categories:
            kind["register"] = {f: round(float(np.mean([profiles[i][f] for i in members])), 2) for f in categories}
        if genres:
            kind["genres"] = dict(sorted(Counter(genres[i] for i in members).items()))
        kinds.append(kind)
    return DocumentKinds(ids, [int(x) for x in est.labels_], kinds, est.selection_, est.metrics_.silhouette,
                         {"words": wb / total, "outline": wt / total, "layout": wl / total, "register": wr / total,
                          "genre": wg / total},
                         reg_names)


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
        """``genre: doc ids`` for plan, summary and unknown (see :mod:`gkcorpus.genre`)."""
        out = []
        for g in ("plan", "summary", "report", "unknown"):
            ids = [x.doc_id for x in self.genres if x.genre == g]
            if ids:
                out.append(f"  {g} ({len(ids)}): {', '.join(ids)}")
        return out

    def outline_markdown(self) -> str:
        from .export import markdown_table

        parts = ["# Section types and outlines", ""]
        m = self.typer.metrics_
        parts += [f"Segments: {m.n_units}; types: {m.n_clusters}; {m.selection}.",
                  f"Silhouette (cosine): {m.silhouette if m.silhouette is None else round(m.silhouette, 3)}; "
                  f"Davies–Bouldin: {m.davies_bouldin if m.davies_bouldin is None else round(m.davies_bouldin, 3)}.", ""]
        parts += ["## Section types", ""]
        rows = [{"type": f"T{t.type_id}", "name": t.name, "label (c-TF-IDF)": t.label, "segments": t.size,
                 "documents": t.n_docs, "mean position": t.mean_position,
                 "headings": "; ".join(f"{h} ×{n}" if n > 1 else h for h, n in t.headings)} for t in self.typer.types_]
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
        from .export import ensure_dir, write_csv, write_json, atomic_write_text

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
                                                               "types": [t.to_dict() for t in self.parts.types_]}))
        if self.near is not None:
            written.append(write_json(d / "near_identical.json", [g.to_dict() for g in self.near]))
            written.append(write_csv(d / "near_identical.csv", self.near_frame()))
        if plots:
            written += self.write_plots(d)
        return written

    def write_plots(self, d: Path) -> list[Path]:
        from .plots import plot_cluster_map, plot_cluster_sizes, plot_outline_heatmap

        if self.result is None:
            X = self.typer.matrix_
            labels = self.typer.segments_.type.to_numpy()
            names = {t.type_id: t.name for t in self.typer.types_}
            sizes = [(f"T{t.type_id} {t.name}", t.size) for t in self.typer.types_]
            what = "section types"
            unit_name = "outline segments"
        else:
            X = self.result.vectorized.matrix
            labels = self.result.labels
            names = {c.cluster: c.label for c in self.result.clusters}
            sizes = [(f"{c.cluster}: {c.label}", c.size) for c in self.result.clusters]
            what = f"{self.level} clusters"
            unit_name = f"{self.level} units"
        return [
            plot_cluster_map(X, labels, names, d / "cluster_map.png",
                             title=f"{len(labels)} {unit_name}, {len(sizes)} {what} (TF-IDF)"),
            plot_cluster_sizes(sizes, d / "cluster_sizes.png", title=f"Sizes of the {what}"),
            plot_outline_heatmap(self.outlines, self.typer.types_, d / "outline_heatmap.png",
                                 title="Documents × section types"),
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
) -> ClusteringRun:
    """Section types, outlines and document kinds of ``corpus``, plus clusters of its units at ``level``.

    At ``level="section"`` the units are the outline segments and ``n_clusters``/``method`` choose the
    section types; at other levels they apply to the units of that level, and the outline uses the
    defaults. At sentence level, near-identical sentences across documents are grouped too.
    ``tokenizer``: the word tokenizer of the TF-IDF (default ``Tokenizer(stopwords=True)``).
    ``parts``: also type every top-level part, however marked, into the genre's real parts
    (:class:`~gkcorpus.part_types.PartTyper`; at section level only).
    """
    import time

    from .cluster import cluster_units, near_identical_groups
    from .corpus import LEVELS

    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    section_level = level == "section"
    typer = SectionTyper(depth=depth, n_types=n_clusters if section_level else "auto",
                         method=method if section_level else "kmeans", analyzer=analyzer,
                         tokenizer=tokenizer, random_state=random_state, progress=progress)
    outlines = typer.fit_outlines(corpus)
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
    from .genre import guess_genre

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

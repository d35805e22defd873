"""Kinds of document: clusters of documents by layout, section types, register and genre cues."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, TYPE_CHECKING

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .segments import outline_segments, ROLE_CLOSING, ROLE_OPENING
from .typer import SectionTyper

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus, Document

__all__ = ["DocumentKinds", "document_kinds", "layout_profile", "LAYOUT_FEATURES"]


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
    members :func:`~gkcorpus.features.genre.guess_genre` calls plan, summary or unknown (``genres``, likewise).
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
    * register: :func:`~gkcorpus.features.genre.register_profile` -- rates of aspect/modal marker categories and
      of the ``n_function_words`` most frequent function words, z-scored (Cosine Delta; how it is
      written). Its tokens come from ``tokenizer`` (default: the gkcorpus tokenizer with stopwords
      kept; the typer's backend when it has a :class:`~gkcorpus.text.tokenize.Tokenizer`). Skipped, with
      its tokenisation pass, when its weight is 0;
    * genre: :func:`~gkcorpus.features.genre.genre_matrix` of :func:`~gkcorpus.features.genre.guess_genre` -- the
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

    from ..features.cluster import Clusterer, class_tfidf

    check_is_fitted(typer, "types_")
    if len(weights) not in (3, 4, 5) or any(float(w) < 0 for w in weights) or sum(float(w) for w in weights) <= 0:
        raise ValueError(f"weights must be 3 to 5 non-negative numbers (words, outline, layout[, register[, genre]]) "
                         f"with a positive sum, got {weights!r}")
    wb, wt, wl, wr, wg = (float(w) for w in (*weights, 0.0, 0.0)[:5])
    total = wb + wt + wl + wr + wg
    ids = [d.id for d in corpus]
    word_counts, counts = _document_counts(corpus, typer, ids)
    W = TfidfTransformer(sublinear_tf=True).fit_transform(word_counts)
    T = normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts))
    L_raw = np.array([[layout_profile(d, typer.depth)[f] for f in LAYOUT_FEATURES] for d in corpus])
    L = normalize(StandardScaler().fit_transform(L_raw)) if len(ids) > 1 else np.zeros_like(L_raw)
    blocks = [W * np.sqrt(wb / total), T * np.sqrt(wt / total), sp.csr_matrix(L) * np.sqrt(wl / total)]
    reg_names: list[str] = []
    categories: list[str] = []
    profiles: list[dict[str, float]] = []
    if wr > 0:
        R, reg_names, categories, profiles = _register_block(corpus, typer, tokenizer, n_function_words)
        blocks.append(sp.csr_matrix(R) * np.sqrt(wr / total))
    genres: list[str] = []
    if wg > 0:
        from ..features.genre import genre_matrix, guess_genre

        guesses = [guess_genre(d) for d in corpus]
        genres = [g.genre for g in guesses]
        blocks.append(sp.csr_matrix(genre_matrix(guesses)) * np.sqrt(wg / total))
    X = normalize(sp.hstack(blocks, format="csr"))
    est = Clusterer(method=method, n_clusters=n_kinds, k_range=k_range, min_mean_size=2,
                    random_state=random_state).fit(X)
    terms = class_tfidf(word_counts, est.labels_)
    kinds = [_describe_kind(k, np.flatnonzero(est.labels_ == k), ids, terms[k], typer, counts, L_raw, categories,
                            profiles, genres) for k in range(est.n_clusters_)]
    return DocumentKinds(ids, [int(x) for x in est.labels_], kinds, est.selection_, est.metrics_.silhouette,
                         {"words": wb / total, "outline": wt / total, "layout": wl / total, "register": wr / total,
                          "genre": wg / total},
                         reg_names)


def _describe_kind(k: int, members: np.ndarray, ids: list[str], terms: Any, typer: SectionTyper,
                   counts: np.ndarray, L_raw: np.ndarray, categories: list[str], profiles: list[dict[str, float]],
                   genres: list[str]) -> dict[str, Any]:
    """One kind: its documents, its eight most distinctive terms (``terms``: its c-TF-IDF row), the
    section types at least half of them have, their mean layout, register and genres."""
    names = {t.type_id: t.display for t in typer.types_}
    terms_vocab = typer.vectorizer_.terms_
    r = terms.tocoo()
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
    return kind


def _document_counts(corpus: "Corpus", typer: SectionTyper, ids: list[str]) -> tuple[Any, np.ndarray]:
    """Per document, its word counts (the sum of its segments' counts: the segments tile its body)
    and how many of its segments have each section type."""
    import scipy.sparse as sp

    fitted = typer.segments_
    same = list(dict.fromkeys(fitted.doc_id)) == ids
    seg, seg_counts = typer.segment_counts(None if same else corpus)
    row = {d: i for i, d in enumerate(ids)}
    rows = np.array([row[d] for d in seg.doc_id])
    ind = sp.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(ids), len(rows)))
    word_counts = (ind @ seg_counts).tocsr()
    counts = np.zeros((len(ids), len(typer.types_)))
    for d, t in zip(seg.doc_id, seg.type):
        if t >= 0:
            counts[row[d], t] += 1
    return word_counts, counts


def _register_block(corpus: "Corpus", typer: SectionTyper, tokenizer: Callable[[str], list[str]] | None,
                    n_function_words: int) -> tuple[np.ndarray, list[str], list[str], list[dict[str, float]]]:
    """The register block: its matrix and column names, the marker categories and each document's
    register profile. ``tokenizer`` None: the typer's Tokenizer (or the default) with stopwords kept."""
    from ..features.genre import function_words, load_register_markers, register_matrix, register_profile
    from ..text.tokenize import Tokenizer, load_stopwords

    if tokenizer is None:
        base = typer.tokenizer if isinstance(typer.tokenizer, Tokenizer) else Tokenizer()
        tokenizer = Tokenizer(**{**base.get_params(), "stopwords": False, "keep_punct": False})
    fw = function_words(load_stopwords())
    profiles = [register_profile(tokenizer(d.text), words=fw) for d in corpus]
    categories = list(load_register_markers())
    R, reg_names = register_matrix(profiles, n_function_words, categories)
    return R, reg_names, categories, profiles

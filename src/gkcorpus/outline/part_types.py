"""Part types: the genre's real parts, learned from the top-level parts of a corpus.

:class:`PartTyper` types the parts :func:`gkcorpus.parts.find_parts` finds (every top-level part,
numbered or not, headed or not) by what they say and where they stand, not by their wording alone:

* heading: character n-grams of the heading with its wording variables masked
  (:func:`normalise_heading`: years, plan numbers ``“十四五”``, counts, ordinals and enumerators), so
  ``2025年工作回顾`` and ``“十四五”时期和2025年工作回顾`` share their features;
* body: word TF-IDF of the part's opening (``body_chars`` characters after the heading): a part
  announces its function in its first paragraphs (``过去一年…`` / ``今年…总体要求是`` / ``各位代表！…``);
* register: the part's rates of aspect and modal markers (:func:`gkcorpus.genre.register_profile`):
  a review is written in the perfective, tasks in the prospective and necessity;
* position: where the part starts and ends in its document (parts come in order);
* how: how the part was found (preamble, closing, appendix, unheaded coda, heading).

The number of types is chosen by the gap statistic (Tibshirani, Walther & Hastie 2001) with its
one-standard-error rule -- the smallest k whose gap is within one standard error of the next k's --
which prefers the fewest types that explain the corpus better than uniform noise would; silhouette
alone keeps splitting a part by its wording. Two types that never share a document and are each
other's nearest type are then merged (variants of one part: the five-year and the one-year review, an
older and a newer wording); types that share documents are different parts of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from numbers import Integral
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .parts import Part, find_parts

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus

__all__ = ["normalise_heading", "PartType", "PartTyper", "gap_statistic", "FORM_TYPES"]

FORM_TYPES = ("preamble", "closing", "appendix")  # parts whose form alone says what they are

_CN_NUM = "〇零○一二三四五六七八九十百千两"
_MASKS = (
    (re.compile(r"[“\"‘]?(?:第[" + _CN_NUM + r"]+个|[" + _CN_NUM + r"]{1,3})五(?:年计划|计划|规划)?[”\"’]?"), "P"),  # 十四五, 第六个五年计划
    (re.compile(r"(?:\d\s*){4}\s*年|[" + _CN_NUM + r"]{4}年|[0-9xX]{2,4}年"), "Y"),  # 2025年, 一九八九年, 20xx年
    (re.compile(r"今年|去年|明年|过去一年|一年来|过去的一年"), "Y"),
    (re.compile(r"\d+(?:\.\d+)?|[" + _CN_NUM + r"]+(?=[年个项条点大])"), "N"),
    (re.compile(r"^(?:[（(]?[" + _CN_NUM + r"\d]+[）)]?[、．.]?\s*)"), ""),  # a leading enumerator
    (re.compile(r"^关于(?:我国的?)?|^对"), ""),
)


def normalise_heading(text: str) -> str:
    """A heading with its wording variables masked: plan numbers → P, years → Y, counts → N.

    ``一、“十四五”时期和2025年工作回顾`` → ``P时期和Y工作回顾``; ``二、关于1 9 9 8 年政府工作的建议`` →
    ``Y政府工作的建议``.
    """
    t = text.strip()
    for rx, rep in _MASKS:
        t = rx.sub(rep, t)
    return re.sub(r"\s+", "", t).strip("，、：:。")


@dataclass
class PartType:
    """One real part of the genre: its parts, documents, typical headings, terms and set phrases."""

    type_id: int
    name: str
    size: int
    n_docs: int
    share: float
    mean_position: float
    hows: dict[str, int]
    headings: list[tuple[str, int]]
    terms: list[str]
    merged_from: list[int] = field(default_factory=list)  # the k-means clusters merged into it, if several

    @property
    def display(self) -> str:
        return f"P{self.type_id} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["headings"] = [{"heading": h, "count": c} for h, c in self.headings]
        return d


def gap_statistic(X: np.ndarray, k_max: int, n_refs: int = 10, random_state: int = 0
                  ) -> tuple[int, dict[int, tuple[float, float]]]:
    """The number of clusters by the gap statistic and its one-standard-error rule.

    ``X`` (dense, rows = items) is centred and rotated to its principal axes; the reference data are
    ``n_refs`` uniform samples over the box the data span along those axes. Returns the chosen k and,
    for every k tried, (gap, standard error). The smallest k with gap(k) ≥ gap(k+1) − s(k+1) wins.
    """
    from sklearn.cluster import KMeans

    n = X.shape[0]
    k_max = max(1, min(k_max, n - 1))
    Xc = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(Xc, full_matrices=False)
    Z = Xc @ vt.T
    lo, hi = Z.min(axis=0), Z.max(axis=0)
    rng = np.random.default_rng(random_state)
    refs = [rng.uniform(lo, hi, size=Z.shape) for _ in range(n_refs)]

    def log_w(data: np.ndarray, k: int) -> float:
        if k == 1:
            return float(np.log(((data - data.mean(axis=0)) ** 2).sum() + 1e-12))
        km = KMeans(n_clusters=k, n_init=4, random_state=random_state).fit(data)
        return float(np.log(km.inertia_ + 1e-12))

    stats: dict[int, tuple[float, float]] = {}
    for k in range(1, k_max + 1):
        ref = np.array([log_w(r, k) for r in refs])
        gap = float(ref.mean() - log_w(Z, k))
        stats[k] = (gap, float(ref.std() * np.sqrt(1 + 1 / n_refs)))
    for k in range(1, k_max):
        if stats[k][0] >= stats[k + 1][0] - stats[k + 1][1]:
            return k, stats
    return k_max, stats


class PartTyper(BaseEstimator):
    """Type the top-level parts of a corpus into the genre's real parts.

    Parameters
    ----------
    weights : shares of the heading, body, register, position and how blocks.
    body_chars : characters of a part's opening used as its body features.
    n_types : "auto" (gap statistic, then merging of near-synonymous variants) or an int.
    k_max : largest number of types "auto" tries.
    n_components : dimensions of the LSA space in which the parts are clustered and k is chosen.
    tokenizer : word tokenizer of the body block (default ``Tokenizer(stopwords=True)``).

    Attributes (after ``fit``): ``parts_`` (list of :class:`~gkcorpus.parts.Part`), ``segments_``
    (DataFrame, one row per part, with ``type``), ``types_`` (:class:`PartType`, numbered by mean
    position), ``gap_`` (k → (gap, se)), ``selection_`` (how the number was chosen, in words),
    ``n_body_types_`` (types of the parts not typed by their form alone).
    """

    def __init__(self, weights: tuple[float, float, float, float, float] = (0.3, 0.3, 0.1, 0.2, 0.1),
                 body_chars: int = 3000, n_types: int | str = "auto", k_max: int = 14, n_refs: int = 10,
                 n_components: int = 20, tokenizer: Callable[[str], list[str]] | None = None,
                 random_state: int = 0):
        self.weights = weights
        self.body_chars = body_chars
        self.n_types = n_types
        self.k_max = k_max
        self.n_refs = n_refs
        self.n_components = n_components
        self.tokenizer = tokenizer
        self.random_state = random_state

    # ---- features
    def _texts(self, corpus: "Corpus", parts: Sequence[Part]) -> tuple[list[str], list[str]]:
        heads, bodies = [], []
        for p in parts:
            text = corpus[p.doc_id].text[p.start:p.end]
            if p.heading and p.how in ("numbered", "unnumbered_heading", "appendix"):
                nl = text.find("\n")
                body = text[nl + 1:] if nl >= 0 else text[len(p.marker) + len(p.heading):]
            else:
                body = text
            heads.append(normalise_heading(p.heading))
            bodies.append(body[: self.body_chars])
        return heads, bodies

    def _blocks(self, corpus: "Corpus", parts: Sequence[Part], fit: bool) -> list[Any]:
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        from ..features.genre import register_profile
        from ..text.tokenize import Tokenizer

        heads, bodies = self._texts(corpus, parts)
        if fit:
            tok = self.tokenizer or Tokenizer(stopwords=True)
            self._reg_tok = Tokenizer(stopwords=False)
            n = len(parts)
            self.heading_vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                                       min_df=2 if n > 20 else 1)
            self.body_vectorizer_ = TfidfVectorizer(tokenizer=tok, lowercase=False, token_pattern=None,
                                                    sublinear_tf=True, min_df=2 if n > 20 else 1, max_df=0.95)
            H = self.heading_vectorizer_.fit_transform([h or " " for h in heads])
            B = self.body_vectorizer_.fit_transform(bodies)
        else:
            H = self.heading_vectorizer_.transform([h or " " for h in heads])
            B = self.body_vectorizer_.transform(bodies)
        profiles = [register_profile(self._reg_tok(b)) for b in bodies]
        R = np.array([[p[c] for c in sorted(profiles[0])] for p in profiles]) if profiles else np.zeros((0, 0))
        if fit:
            self._reg_mean, self._reg_sd = R.mean(axis=0), R.std(axis=0)
        R = np.divide(R - self._reg_mean, self._reg_sd, out=np.zeros_like(R), where=self._reg_sd > 0)
        lengths = {d: max(len(corpus[d].text), 1) for d in {p.doc_id for p in parts}}
        s = np.array([p.start / lengths[p.doc_id] for p in parts]) * np.pi / 2
        e = np.array([p.end / lengths[p.doc_id] for p in parts]) * np.pi / 2
        P = np.column_stack([np.cos(s), np.sin(s), np.cos(e), np.sin(e)])
        hows = ("preamble", "closing", "appendix", "unheaded", "headed")
        W = np.array([[float(_how_group(p.how) == h) for h in hows] for p in parts])
        return [normalize(H), normalize(B), sp.csr_matrix(normalize(R)), sp.csr_matrix(normalize(P)),
                sp.csr_matrix(W)]

    def _matrix(self, blocks: Sequence[Any]) -> Any:
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        w = np.array(self.weights, dtype=float)
        w = w / w.sum()
        return normalize(sp.hstack([b * np.sqrt(x) for b, x in zip(blocks, w)], format="csr"))

    # ---- fit
    _parameter_constraints: dict = {
        "weights": [tuple],
        "body_chars": [Interval(Integral, 1, None, closed="left")],
        "n_types": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "k_max": [Interval(Integral, 1, None, closed="left")],
        "n_refs": [Interval(Integral, 1, None, closed="left")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "tokenizer": [None, callable],
        "random_state": ["random_state"],
    }

    def fit(self, corpus: "Corpus", y: Any = None) -> "PartTyper":
        """Find every document's parts and learn the part types."""
        self._validate_params()
        from sklearn.cluster import KMeans
        from sklearn.preprocessing import normalize

        parts = [p for d in corpus for p in find_parts(d)]
        if len(parts) < 2:
            raise ValueError("the corpus has fewer than two parts to type")
        self.parts_ = parts
        self.doc_ids_ = [d.id for d in corpus]
        blocks = self._blocks(corpus, parts, fit=True)
        X = self._matrix(blocks)
        Xd = X.toarray()
        # parts found by their form (opening, closing, appendix) are their own types; the rest are clustered
        form = np.array([p.how if p.how in FORM_TYPES else "" for p in parts])
        rows = np.flatnonzero(form == "")
        labels = np.full(len(parts), -1)
        merged: dict[int, list[int]] = {}
        k = 0
        how = "no headed or unheaded body parts"
        if len(rows) >= 2:
            Xr = _lsa(Xd[rows], self.n_components, self.random_state)
            if self.n_types == "auto":
                k, self.gap_ = gap_statistic(Xr, self.k_max, self.n_refs, self.random_state)
                how = f"k={k} by the gap statistic (one-standard-error rule, {self.n_refs} uniform references)"
            else:
                k, self.gap_ = min(int(self.n_types), len(rows)), {}
                how = f"k={k} given"
            km = KMeans(n_clusters=k, n_init=10, random_state=self.random_state).fit(Xr)
            sub = km.labels_.copy()
            merged = {c: [c] for c in range(k)}
            if self.n_types == "auto":
                sub, merged = _merge_variants(sub, Xr, [parts[i].doc_id for i in rows])
                if len(merged) < k:
                    how += f"; {k - len(merged)} variant type(s) merged (mutual nearest types sharing no document)"
            labels[rows] = sub
        elif len(rows) == 1:
            labels[rows] = 0
            merged = {0: [0]}
            k = 1
        self.gap_ = getattr(self, "gap_", {})
        nxt = max(merged, default=-1) + 1
        for f in FORM_TYPES:
            if (form == f).any():
                labels[form == f] = nxt
                merged[nxt] = [nxt]
                nxt += 1
        how += "; " + ", ".join(f"{f} parts one type" for f in FORM_TYPES if (form == f).any())
        # number types by mean relative position
        lengths = {d.id: max(len(d.text), 1) for d in corpus}
        pos = np.array([(p.start + p.end) / 2 / lengths[p.doc_id] for p in parts])
        live = sorted(set(labels.tolist()))
        order = sorted(live, key=lambda c: (round(float(pos[labels == c].mean()), 6), c))
        remap = {old: new for new, old in enumerate(order)}
        self.labels_ = np.array([remap[c] for c in labels])
        self.centers_ = normalize(np.vstack([Xd[self.labels_ == t].mean(axis=0) for t in range(len(order))]))
        self.selection_ = how
        self.n_body_types_ = len({int(x) for x in labels[rows]}) if len(rows) else 0
        self.types_ = self._describe(corpus, pos, {remap[c]: sorted(v) for c, v in merged.items()
                                                   if c in remap})
        self.segments_ = self._frame(corpus, parts, self.labels_)
        return self

    def _describe(self, corpus: "Corpus", pos: np.ndarray, merged: dict[int, list[int]]) -> list[PartType]:
        heads, _ = self._texts(corpus, self.parts_)
        B = self.body_vectorizer_.transform(self._texts(corpus, self.parts_)[1])
        vocab = np.array(self.body_vectorizer_.get_feature_names_out())
        n_docs = len(self.doc_ids_)
        out = []
        for t in range(int(self.labels_.max()) + 1):
            idx = np.flatnonzero(self.labels_ == t)
            members = [self.parts_[i] for i in idx]
            hows = Counter(p.how for p in members)
            hc = Counter(p.heading for p in members if p.heading and p.how != "appendix")
            centroid = np.asarray(B[idx].mean(axis=0)).ravel() - np.asarray(B.mean(axis=0)).ravel()
            terms = [str(vocab[j]) for j in np.argsort(-centroid, kind="stable")[:8] if centroid[j] > 0]
            docs = {p.doc_id for p in members}
            name = _part_name(hows, hc, [heads[i] for i in idx], terms)
            out.append(PartType(t, name, len(idx), len(docs), round(len(docs) / n_docs, 3),
                                round(float(pos[idx].mean()), 4), dict(sorted(hows.items())), hc.most_common(8),
                                terms, merged.get(t, []) if len(merged.get(t, [])) > 1 else []))
        return out

    def _frame(self, corpus: "Corpus", parts: Sequence[Part], labels: np.ndarray) -> "pd.DataFrame":
        import pandas as pd

        names = {t.type_id: t.name for t in getattr(self, "types_", [])}
        rows = []
        for p, t in zip(parts, labels):
            rows.append({**p.to_dict(), "unit_id": f"{p.doc_id}#part{p.index}", "type": int(t),
                         "type_name": names.get(int(t), f"P{int(t)}"),
                         "text": corpus[p.doc_id].text[p.start:p.end]})
        cols = ["unit_id", "doc_id", "index", "how", "marker", "heading", "type", "type_name", "start", "end",
                "raw_start", "raw_end", "n_paragraphs", "text"]
        return pd.DataFrame(rows, columns=cols)

    # ---- use
    def transform(self, corpus: "Corpus") -> "pd.DataFrame":
        """The parts of another corpus, each given the nearest fitted type."""
        check_is_fitted(self, "types_")
        parts = [p for d in corpus for p in find_parts(d)]
        if not parts:
            return self._frame(corpus, [], np.array([], dtype=int))
        X = self._matrix(self._blocks(corpus, parts, fit=False)).toarray()
        return self._frame(corpus, parts, (X @ self.centers_.T).argmax(axis=1))

    def outlines(self, corpus: "Corpus | None" = None) -> list[Any]:
        """Every document's sequence of part types (consecutive repeats merged), as outline records."""
        from .records import DocOutline

        check_is_fitted(self, "types_")
        df = self.segments_ if corpus is None else self.transform(corpus)
        out = []
        for doc_id, g in df.groupby("doc_id", sort=False):
            segs = [{"unit_id": r.unit_id, "role": r.how, "heading": r.heading, "type": int(r.type)}
                    for r in g.itertuples()]
            seq: list[int] = []
            for s in segs:
                if not seq or seq[-1] != s["type"]:
                    seq.append(s["type"])
            out.append(DocOutline(str(doc_id), str(doc_id), seq, segs))
        return out

    def type_by_id(self, type_id: int) -> PartType:
        return next(t for t in self.types_ if t.type_id == type_id)

    def markdown_lines(self) -> list[str]:
        """The part types and every document's parts, as Markdown (a section of ``outline.md``)."""
        from ..base.export import markdown_table

        check_is_fitted(self, "types_")
        n = len(self.doc_ids_)
        rows = [{"type": f"P{t.type_id}", "name": t.name, "parts": t.size, "documents": f"{t.n_docs}/{n}",
                 "found as": ", ".join(f"{h} {c}" for h, c in t.hows.items()),
                 "headings": "; ".join(f"{h} ×{c}" if c > 1 else h for h, c in t.headings[:5]),
                 "terms": " · ".join(t.terms[:6])} for t in self.types_]
        out = ["## Top-level parts and their types", "",
               f"{len(self.parts_)} top-level parts (numbered, unnumbered headings, unheaded openings, codas, "
               f"closings, appendices); {len(self.types_)} types: {self.selection_}.", ""]
        out.append(markdown_table(rows, list(rows[0]) if rows else ["type"]))
        out += ["", "Every document's parts (how each was found in brackets when not by a number):", ""]
        out += [f"- {line}" for line in self.part_lines()]
        return out

    def part_lines(self) -> list[str]:
        """``doc: P1 name [how] → …`` for every document."""
        check_is_fitted(self, "types_")
        names = {t.type_id: t.name for t in self.types_}
        out = []
        for doc_id, g in self.segments_.groupby("doc_id", sort=False):
            out.append(f"{doc_id}: " + " → ".join(f"P{r.type} {names[r.type]}" + ("" if r.how == "numbered" else f" [{r.how}]")
                                                 for r in g.itertuples()))
        return out


def _lsa(X: np.ndarray, n_components: int, random_state: int) -> np.ndarray:
    """Rows projected on their ``n_components`` first singular directions (latent semantic analysis),
    L2-normalised: the clustering and its gap statistic work where the signal is, not in thousands of
    sparse n-gram dimensions that a uniform reference fills as easily as the data."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n = min(n_components, X.shape[0] - 1, X.shape[1] - 1)
    if n < 2:
        return X
    return normalize(TruncatedSVD(n_components=n, random_state=random_state).fit_transform(X))


def _how_group(how: str) -> str:
    if how in ("numbered", "unnumbered_heading"):
        return "headed"
    if how in ("unheaded", "unheaded_coda"):
        return "unheaded"
    return how


def _merge_variants(labels: np.ndarray, X: np.ndarray, doc_ids: Sequence[str]) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Merge variant types: two types that never share a document and are each other's nearest type
    (cosine of their centroids in the clustering space) are one part written two ways -- a five-year
    review and a one-year review, an older and a newer wording. Repeated, most similar pair first."""
    labels = labels.copy()
    groups = {int(c): [int(c)] for c in np.unique(labels)}
    while len(groups) > 2:
        live = sorted(groups)
        docs = [{doc_ids[i] for i in np.flatnonzero(labels == c)} for c in live]
        C = np.vstack([X[labels == c].mean(axis=0) for c in live])
        C = C / np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-12)
        S = C @ C.T
        np.fill_diagonal(S, -np.inf)
        nearest = S.argmax(axis=1)
        pairs = [(S[i, j], i, j) for i, j in enumerate(nearest) if i < j and nearest[j] == i and not docs[i] & docs[j]]
        if not pairs:
            break
        _, i, j = max(pairs)
        a, b = live[i], live[j]
        labels[labels == b] = a
        groups[a] += groups.pop(b)
    return labels, groups


def _part_name(hows: Counter, headings: Counter, norm_heads: list[str], terms: list[str]) -> str:
    """Openings, closings, appendices and codas by how they were found; otherwise the masked heading at
    least a fifth of the parts share, else the type's distinctive terms in brackets."""
    total = sum(hows.values())
    for how, label in (("preamble", "(opening)"), ("closing", "(closing)"), ("appendix", "(appendix)"),
                       ("unheaded_coda", "(coda)")):
        if hows.get(how, 0) * 2 > total:
            return f"{label} {' '.join(terms[:3])}".strip()
    nh = Counter(h for h in norm_heads if h)
    if nh:
        top, count = nh.most_common(1)[0]
        if count >= 2 and count * 5 >= total:  # a heading the type's parts share, not one of many
            return top if len(top) <= 16 else top[:15] + "…"
    return f"({' '.join(terms[:3])})"

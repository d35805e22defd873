"""Part types: the genre's real parts, learned from the top-level parts of a corpus.

:class:`PartTyper` types the parts :func:`gkcorpus.parts.find_parts` finds (every top-level part,
numbered or not, headed or not) by what they say and where they stand, not by their wording alone.
Openings, closings and appendices are one type each by their form, and the part that sets the targets
by its place and target words (:mod:`gkcorpus.outline.targets`; where no part passes that rule, a part
whose heading names the targets joins the type after the clustering, in which it stays: taking the
long plan chapters of the older reports out of it moves the Ward tree enough to split the tasks), and the
part on the government's own conduct by its heading or its opening words (:mod:`gkcorpus.outline.own_conduct`,
also given after the clustering: the co-occurrence cut below reads it and the chapter on democracy and law,
which take the same place in reports that never hold both, as one part in two eras' wording), and a summary's
practices by their headings (:mod:`gkcorpus.outline.practices`: 主要做法, or the chapters each headed by a theme of
the work done, which the clustering would type by their theme and place). The others are clustered on three
blocks, in one space, the parts of each genre apart when the corpus mixes plans, summaries and work reports
(:func:`genre_groups`):

* body: the relative frequencies of the genre's common words in the part's text (words found in at
  least ``common_df`` of the parts: the verbs, modal and aspect words and policy vocabulary every
  part uses in its own proportions), not the rare words a TF-IDF weights up -- those name a topic
  (agriculture, education) or a decade, and split one part (the tasks) into its topics;
* heading: character n-grams of the heading with its wording variables masked
  (:func:`normalise_heading`: years, plan numbers ``“十四五”``, counts, ordinals and enumerators), so
  ``2025年工作回顾`` and ``“十四五”时期和2025年工作回顾`` share their features;
* position: where the middle of the part lies in its document (parts come in order).

Each block is centred within its document (half the document's mean part is subtracted): a part is
described by how it differs from the other parts of its document, which removes what the whole
document shares -- the vocabulary of its decade, its subject -- and keeps what tells a review from a
task list or a foreign-policy section in any era.

The parts are clustered by Ward's method in a 20-dimension LSA space (an exact truncated SVD, so the types do
not depend on the seed), and the number of types comes
from a constraint of the genre rather than from a cluster-quality index (silhouette keeps splitting a
part by its wording): the tree is cut top-down only where its two halves are found together in the
same documents (at least half of the smaller half's documents). Two parts of one document are
different parts of the genre; two halves that live in different documents are the same part written
in different words (the five-year and the one-year review, an older and a newer wording) and stay
one type. A cluster with parts on both sides of the targets part, each side in as many documents as a split
needs, holds two parts and is split by side (the five-year reviews of a few recent reports beside the task
chapters of the reports that give their tasks several: :func:`split_by_side`). Parts are ordered, topics are not: two types found together whose sections are not in a
stable order in the documents holding both (the tasks' agriculture, education and reform sections,
interleaved differently from report to report) are topics of one part and are merged (a share of
documents in order that passes while some document reverses the order and its confidence interval still
reaches below the threshold does not decide: the two merge when they are each other's nearest type) -- except a topic
that the reports dividing that part into exactly two chapters give one of them (the reform chapters of
the 1980s and 1990s work reports beside a single chapter for the other tasks), which is split off again
as a part of its own (:mod:`gkcorpus.outline.topic_split`). Two types that never share a document and
are each other's nearest type are then merged, and so is a type that is a chapter some documents give
one topic of a part (the economy chapter opening the tasks of the 1987-2005 reports, which later reports
hold inside their one tasks chapter: :func:`merge_chapters`). Last, one step moves a part to another
type when that type is both nearer and more likely, each type a spherical Gaussian with its own spread and
share (a cut of the tree leaves the parts near its borders on the wrong side; the nearest centroid alone
would pull the far members of a broad part, the tasks, into a tight topic split off from it, the
likelihood alone the outliers of a tight part into a broad one), and a chapter whose text alone is nearer a type
of unheaded parts (a coda found by its formulae) than its own type joins it (:func:`join_unheaded`: a heading cannot
match a type without headings). A type nearly every document holds once
(the review) keeps one part per document, and a document lacking it gets it for the part that stands for it: a
part of a type the document holds twice, nearest that type after its own and in its usual place (the 2011
report's review of the five-year plan period, typed as a task chapter: :func:`fill_once`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .headings import heading_prefix, masked_heading_counts, normalise_heading
from .parts import Part, find_parts, numbering_gaps
from ..features.genre import guess_genre
from .cooccurrence import centre as _centre
from .genre_groups import genre_groups, group_of, main_genre, nearest_types
from .order import order_concordance
from .part_tokens import _MemoTokenizer, _default_tokenizer
from .cooccurrence import cooccurrence_cut as _cooccurrence_cut
from .own_conduct import find_own_conduct_parts
from .practices import find_practices_parts
from .targets import find_targets_parts, named_targets_parts
from .topic_split import split_off_topics
from .type_merges import (fill_once, join_unheaded, merge_chapters, merge_topics, merge_variants, mixture_step, once_per_document,
                          split_by_side, split_parents)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus

__all__ = ["normalise_heading", "order_concordance", "PartType", "PartTyper", "FORM_TYPES"]

FORM_TYPES = ("preamble", "closing", "appendix")  # parts whose form alone says what they are
HEADED = ("numbered", "unnumbered_heading")  # parts with a heading of their own: chapters
# ... and the targets part, found by its place and content, and the government's own conduct, by its heading or opener
ROLES = (*FORM_TYPES, "targets", "practices", "own_conduct")
# level of the Wilson interval of the share of documents holding two types in a stable order (merge_topics)

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
    headings: list[tuple[str, int]]  # the most common headings, their variables masked (Y工作回顾 for every year)
    terms: list[str]
    merged_from: list[int] = field(default_factory=list)  # the Ward clusters merged into it, if several

    @property
    def display(self) -> str:
        return f"P{self.type_id} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["headings"] = [{"heading": h, "count": c} for h, c in self.headings]
        return d


class PartTyper(BaseEstimator):
    """Type the top-level parts of a corpus into the genre's real parts.

    Each part not typed by its form (opening, closing, appendix) is described by three blocks: the
    word TF-IDF of its text, the character n-grams of its masked heading and its relative position.
    Every block is centred within the document by ``doc_centring`` times the mean of that document's
    parts: a part is described by how it differs from its siblings, which removes most of what the
    whole document shares -- the vocabulary of its decade, its topic -- and keeps what tells a review
    from a task list or a foreign-policy section in any era. The blocks are weighted, joined, reduced
    to ``n_components`` LSA dimensions and clustered by Ward's agglomerative method (deterministic;
    a document added to the corpus moves the tree a little, not the initialisation).

    The number of types: the Ward tree is cut top-down, a cluster split into its two halves only when
    at least ``cooccurrence`` of the smaller half's documents also hold the other half and the
    smaller half is found in at least ``min_docs`` of the documents (and two). Halves found in
    different documents are one part in two wordings; this prefers the fewest types and does not
    move when a few documents are added unless they join two halves. A cluster found before the targets part
    in some documents and after it in others, each side in as many documents, is split by that side
    (:func:`split_by_side`: the review comes before the year's targets, the tasks after). Then the types are aligned with
    the documents' order (:func:`merge_topics`): two types found together are two parts only when, in
    at least ``ordered`` of the documents holding both, the sections of one all come before those of
    the other; types that interleave are topics of one part (the tasks) and are merged, most similar
    pair first. A topic that documents dividing the merged part into two sections give one of them is
    split off again (``split_topics``). Two types that never share a document and are each other's
    nearest type are then merged (variants of one part), and so is a chapter that some documents give one
    topic of a part (:func:`merge_chapters`); ``refine`` steps move a part to another
    type when that type is both nearer and more likely (:func:`mixture_step`), and a chapter to a type of unheaded
    parts when its text alone is nearer that type (:func:`join_unheaded`); a type that nearly every
    document holds once keeps one part per document, and a document lacking it gets it for the part that
    stands for it (``once``).

    Parameters
    ----------
    weights : squared shares of the body, heading and position blocks.
    doc_centring : share of the document mean subtracted from each part's blocks (0: none, 1: full).
    body_chars : characters of a part's text used as its body features (None: all of it).
    common_df : the body block keeps the words found in at least this share of the parts, weighted by
        their (sublinear) frequency without idf; None: every word, TF-IDF weighted.
    n_types : "auto" (the co-occurrence cut, then merging of variants) or an int (a plain Ward cut).
    cooccurrence : share of the smaller half's documents that must hold both halves for a split.
    ordered : share of the documents holding two types in which one type's sections all precede the
        other's, for the two to stay two parts (None: no merging by order); a share that reaches it while
        some document reverses the order and its Wilson interval (``ORDER_CONFIDENCE``) reaches below it
        leaves the decision to the types' similarity (merged when mutual nearest).
    min_docs : share of the documents a half must be found in for a split.
    n_components : dimensions of the LSA space in which the parts are clustered.
    targets : target-setting words per thousand characters from which a part after the document's first
        body part, followed by more body text than it holds, is the targets part (the overall requirements,
        :mod:`gkcorpus.outline.targets`), one type of its own; in a document where no part passes, a later
        part whose heading names the targets joins that type after the clustering; None: no such role.
    split_topics : squared share of the masked heading (beside the distinctive body words) when the sections
        of a type merged as topics are grouped again to find a topic that is a part of its own
        (:mod:`gkcorpus.outline.topic_split`); None: no such split.
    refine : steps after the types are chosen that move a part to a type both nearer (cosine to the centroid)
        and more likely (each type a spherical Gaussian in the clustering space, with its own variance and
        share); 0: none.
    once : share of the documents holding a type that hold it once (the whole Wilson interval of the share at
        ``ORDER_CONFIDENCE`` at or above it) from which the type is one part per document: where a document
        holds it several times, the part nearest its centroid stays and the others go to their nearest other
        type (:func:`once_per_document`: a task chapter typed as a second review); then a document lacking such a
        type gets it for the part that stands for it (:func:`fill_once`: a five-year review typed as a task
        chapter); None: neither step. Like ``refine``, only with ``n_types="auto"``.
    own_conduct : whether the part on the government's own conduct (政府自身建设) is one type of its own, found by a
        heading naming the government as what is built or reformed, or a coda opening on the government's own work
        (:mod:`gkcorpus.outline.own_conduct`); given after the clustering, in which those parts stay; False: it is typed
        by the clustering with the rest.
    practices : whether a summary's practices (the work done: 主要做法, or the chapters each headed by one of its
        themes, 领导重视，周密部署 / 加强宣传，营造氛围) are one type of its own, found by their headings in the documents
        guessed to be summaries (:mod:`gkcorpus.outline.practices`); kept out of the clustering, which would type
        the themed chapters by their theme and place; False: typed by the clustering with the rest.
    by_genre : whether the body parts of documents of different genres (:func:`genre_groups`: plans, summaries,
        work reports, each held by two documents or more) are typed apart, in one space: a plan's parts
        (指导思想, 工作步骤, 保障措施) are not a summary's, but the co-occurrence cut reads halves that never share a
        document as one part; False: all typed together. Only with ``n_types="auto"``.
    max_parts : the most body parts the types are learned from (Ward's method keeps a distance for every pair:
        quadratic memory and time). A corpus with more is typed on the parts of a seeded sample of whole
        documents holding at most this many, and every other part gets the nearest type (cosine to the type's
        centroid in the LSA space, as :meth:`transform` does); None: every part, however many.
    resamples : 0 (the default): one fit. Otherwise the body parts are also typed without each of ``resamples``
        seeded folds of the documents, and the types are the consensus of those fits and the fit on all
        documents (:mod:`gkcorpus.outline.consensus`: two parts share a type when most fits holding both typed
        them together). One report more or less can change the types of the single fit (the national reports
        since 1978, each left out in turn: 19 of 41 refits keep pairwise precision and recall at 0.9); the
        consensus depends less on any one report, and joins parts the refits disagree on (on the fifteen
        bundled summaries, with five folds, it leaves one body type). Not taken above ``MAX_CONSENSUS_ROWS`` body parts.
    tokenizer : word tokenizer of the body block (default ``Tokenizer(stopwords=True)``).

    Attributes (after ``fit``): ``parts_`` (list of :class:`~gkcorpus.parts.Part`), ``segments_``
    (DataFrame, one row per part, with ``type``), ``types_`` (:class:`PartType`, numbered by mean
    position), ``selection_`` (how the number was
    chosen, in words), ``n_body_types_`` (types of the parts not typed by their form alone).
    """

    def __init__(self, weights: tuple[float, float, float] = (0.45, 0.45, 0.1), doc_centring: float = 0.5,
                 body_chars: int | None = None, common_df: float | None = 0.5, n_types: int | str = "auto", cooccurrence: float = 0.5,
                 ordered: float | None = 0.8, min_docs: float = 0.1, n_components: int = 20,
                 targets: float | None = 1.0, split_topics: float | None = 0.3, refine: int = 1,
                 once: float | None = 0.8, own_conduct: bool = True, practices: bool = True, by_genre: bool = True,
                 max_parts: int | None = 5000, resamples: int = 0,
                 tokenizer: Callable[[str], list[str]] | None = None, random_state: int = 0):
        self.weights = weights
        self.doc_centring = doc_centring
        self.body_chars = body_chars
        self.common_df = common_df
        self.n_types = n_types
        self.cooccurrence = cooccurrence
        self.ordered = ordered
        self.min_docs = min_docs
        self.n_components = n_components
        self.targets = targets
        self.split_topics = split_topics
        self.refine = refine
        self.once = once
        self.own_conduct = own_conduct
        self.practices = practices
        self.by_genre = by_genre
        self.max_parts = max_parts
        self.resamples = resamples
        self.tokenizer = tokenizer
        self.random_state = random_state

    def _cut_run_in(self, corpus: "Corpus", parts: list[Part], fit: bool) -> list[Part]:
        """``parts`` with each heading that runs into its text, with no mark where it ends, cut after the
        longest prefix another document has as a heading line of its own (:func:`heading_prefix`); the
        headings known are the fitted corpus's and, in ``transform``, the new corpus's too."""
        known: dict[str, set[str]] = {} if fit else {k: set(v) for k, v in self.known_headings_.items()}
        glued = []
        for p in parts:
            text = corpus[p.doc_id].text
            at = text.find(p.heading, p.start, p.end) if p.how in HEADED and p.heading else -1
            end = at + len(p.heading)
            line_end = text.find("\n", end, p.end)
            rest = text[end:line_end if line_end >= 0 else p.end].strip()
            glued.append(at >= 0 and len(rest) > 1 and not text[end].isspace())
            if at >= 0 and not glued[-1]:
                known.setdefault(normalise_heading(p.heading), set()).add(p.doc_id)
        if fit:
            self.known_headings_ = {k: sorted(v) for k, v in known.items()}
        return [replace(p, heading=heading_prefix(p.heading, known, p.doc_id)) if g else p
                for p, g in zip(parts, glued)]

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
            bodies.append(body if self.body_chars is None else body[: self.body_chars])
        return heads, bodies

    def _blocks(self, corpus: "Corpus", parts: Sequence[Part], fit: bool) -> np.ndarray:
        """The joined, document-centred feature rows of ``parts`` (dense)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        heads, bodies = self._texts(corpus, parts)
        if fit:
            tok = self._tokenizer()
            n = len(parts)
            self.heading_vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                                       min_df=2 if n > 20 else 1)
            if self.common_df is None:
                vocab = dict(min_df=2 if n > 20 else 1, max_df=0.9)
            else:  # the genre's common words, by their share in the part (see the class docstring)
                vocab = dict(min_df=self.common_df if n > 20 else 1, max_df=1.0, use_idf=False)
            self.body_vectorizer_ = TfidfVectorizer(tokenizer=tok, lowercase=False, token_pattern=None,
                                                    sublinear_tf=True, **vocab)
            H = self.heading_vectorizer_.fit_transform([h or " " for h in heads])
            try:
                B = self.body_vectorizer_.fit_transform(bodies)
            except ValueError:  # no word in ``common_df`` of the parts (short parts of many subjects): every word
                self.body_vectorizer_.set_params(min_df=1)
                B = self.body_vectorizer_.fit_transform(bodies)
        else:
            H = self.heading_vectorizer_.transform([h or " " for h in heads])
            B = self.body_vectorizer_.transform(bodies)
        lengths = {d: max(len(corpus[d].text), 1) for d in {p.doc_id for p in parts}}
        mid = np.array([(p.start + p.end) / 2 / lengths[p.doc_id] for p in parts]) * np.pi / 2
        P = np.column_stack([np.cos(mid), np.sin(mid)])
        docs = np.array([p.doc_id for p in parts])
        w = np.sqrt(np.asarray(self.weights, dtype=float) / np.sum(self.weights))
        out = []
        for j, (block, x) in enumerate(zip((normalize(B).toarray(), normalize(H).toarray(), P), w)):
            block = _centre(block, docs, self.doc_centring)
            out.append(x * (normalize(block) if j < 2 else block))
        return normalize(np.hstack(out))

    # ---- fit
    _parameter_constraints: dict = {
        "weights": [tuple],
        "doc_centring": [Interval(Real, 0, 1, closed="both")],
        "body_chars": [None, Interval(Integral, 1, None, closed="left")],
        "common_df": [None, Interval(Real, 0, 1, closed="right")],
        "n_types": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "cooccurrence": [Interval(Real, 0, 1, closed="both")],
        "ordered": [None, Interval(Real, 0, 1, closed="both")],
        "min_docs": [Interval(Real, 0, 1, closed="both")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "targets": [None, Interval(Real, 0, None, closed="neither")],
        "split_topics": [None, Interval(Real, 0, 1, closed="both")],
        "refine": [Interval(Integral, 0, None, closed="left")],
        "once": [None, Interval(Real, 0, 1, closed="both")],
        "own_conduct": ["boolean"],
        "practices": ["boolean"],
        "by_genre": ["boolean"],
        "max_parts": [None, Interval(Integral, 3, None, closed="left")],
        "resamples": [Interval(Integral, 0, None, closed="left")],
        "tokenizer": [None, callable],
        "random_state": ["random_state"],
    }

    def fit(self, corpus: "Corpus", y: Any = None) -> "PartTyper":
        """Find every document's parts and learn the part types."""
        self._validate_params()
        from sklearn.preprocessing import normalize

        parts = self._cut_run_in(corpus, [p for d in corpus for p in find_parts(d)], fit=True)
        if len(parts) < 2:
            raise ValueError("the corpus has fewer than two parts to type")
        self.parts_ = parts
        self.doc_ids_ = [d.id for d in corpus]
        # parts found by their form (opening, closing, appendix) are their own types; the rest are clustered
        # a part whose heading names the targets (and no part of its document passed the density rule), and the
        # government's own conduct, are given their role after the body types are learned: they stay in the
        # clustering (without them the tree no longer keeps apart the parts that share their place)
        genres = {d.id: guess_genre(d).genre for d in corpus}
        self.main_genre_ = main_genre(genres)
        grouped = genre_groups(genres) if self.by_genre else {}
        form, given = self._roles(corpus, parts, genres, self.main_genre_)
        named = given != form
        rows = np.flatnonzero(form == "")
        labels = np.full(len(parts), -1)
        merged: dict[int, list[int]] = {}
        how = "no headed or unheaded body parts"
        Xr = np.zeros((len(parts), 1))
        if len(rows) >= 3:
            anchors = {parts[i].doc_id: parts[i].index for i in np.flatnonzero(form == "targets")}
            Xr, sub, merged, how = self._type_body(corpus, [parts[i] for i in rows], anchors, grouped)
            labels[rows] = sub
        elif len(rows):
            labels[rows] = 0
            merged = {0: [0]}
        body_labels = labels[rows].copy()
        nxt = max(merged, default=-1) + 1
        role = {f: (form == f) | (named & (given == f)) for f in ROLES}
        for f in ROLES:
            if role[f].any():
                labels[role[f]] = nxt
                merged[nxt] = [nxt]
                nxt += 1
        how += "; " + ", ".join(f"{f.replace('_', ' ')} parts one type" for f in ROLES if role[f].any())
        by_heading = int((named & (given == "targets")).sum())
        if by_heading:
            how += f" ({by_heading} of the targets by a heading naming them)"
        # number types by mean relative position
        lengths = {d.id: max(len(d.text), 1) for d in corpus}
        pos = np.array([(p.start + p.end) / 2 / lengths[p.doc_id] for p in parts])
        live = sorted(set(labels.tolist()))
        order = sorted(live, key=lambda c: (round(float(pos[labels == c].mean()), 6), c))
        remap = {old: new for new, old in enumerate(order)}
        self.labels_ = np.array([remap[c] for c in labels])
        self.form_types_ = {f: remap[labels[role[f]][0]] for f in ROLES if role[f].any()}
        self.centers_ = {remap[c]: normalize(Xr[body_labels == c].mean(axis=0, keepdims=True))[0]
                         for c in set(body_labels.tolist()) if c in remap} if len(rows) >= 3 else {}
        self.type_groups_ = {remap[c]: group_of(rows, body_labels, c, parts, grouped)
                             for c in set(body_labels.tolist()) if c in remap}
        self.selection_ = how
        self.n_body_types_ = len({int(x) for x in labels[rows][~named[rows]]}) if len(rows) else 0
        self.types_ = self._describe(corpus, pos, {remap[c]: sorted(v) for c, v in merged.items()
                                                   if c in remap})
        self.segments_ = self._frame(corpus, parts, self.labels_)
        return self

    def _type_body(self, corpus: "Corpus", body: list[Part], anchors: dict[str, int],
                   genres: dict[str, str]) -> tuple[np.ndarray, np.ndarray, dict[int, list[int]], str]:
        """The body parts' projected vectors, their types, the clusters each type merges and how the
        number of types was chosen; above ``max_parts`` parts, learned on a sample of whole documents."""
        if self.max_parts is None or len(body) <= self.max_parts:
            return self._type_resampled(corpus, body, anchors, genres)
        from sklearn.preprocessing import normalize

        rows = self._sample_rows(body)
        Xs, sub_s, merged, how = self._type_resampled(corpus, [body[i] for i in rows], anchors, genres)
        ids = sorted(set(sub_s.tolist()))
        C = normalize(np.vstack([Xs[sub_s == t].mean(axis=0) for t in ids]))
        Xr = np.zeros((len(body), Xs.shape[1]))
        sub = np.full(len(body), -1)
        Xr[rows], sub[rows] = Xs, sub_s
        rest = np.setdiff1d(np.arange(len(body)), rows)
        type_groups = {t: Counter(genres.get(body[rows[k]].doc_id, "") for k in np.flatnonzero(sub_s == t)).most_common(1)[0][0]
                       for t in ids}
        for chunk in _whole_documents(rest, [body[i].doc_id for i in rest], 4096):
            X = self._project(self._blocks(corpus, [body[i] for i in chunk], fit=False))
            Xr[chunk] = X
            sub[chunk] = nearest_types(X, C, ids, [genres.get(body[i].doc_id, "") for i in chunk], type_groups)
        n_docs = len({p.doc_id for p in body})
        how += (f"; learned on the {len(rows)} parts of a seeded sample of {len({body[i].doc_id for i in rows})} of "
                f"{n_docs} documents, the other {len(rest)} parts typed by the nearest type")
        return Xr, sub, merged, how

    def _type_resampled(self, corpus: "Corpus", body: list[Part], anchors: dict[str, int],
                        genres: dict[str, str]) -> tuple[np.ndarray, np.ndarray, dict[int, list[int]], str]:
        """:meth:`_type_all`, or with ``resamples`` the consensus of it on all documents and on each subset
        without one of ``resamples`` seeded folds of the documents (:mod:`gkcorpus.outline.consensus`); the
        fit on all documents comes last and leaves its vectorizers and space."""
        from .consensus import MAX_CONSENSUS_ROWS, consensus_labels

        docs = np.array([p.doc_id for p in body])
        uniq = list(dict.fromkeys(docs.tolist()))
        if not self.resamples or len(uniq) < 3 or len(body) > MAX_CONSENSUS_ROWS:
            return self._type_all(corpus, body, anchors, genres)
        self._memo = _MemoTokenizer(self.tokenizer or _default_tokenizer())
        try:
            fits = []
            order = np.random.RandomState(self.random_state).permutation(len(uniq))
            for fold in np.array_split(order, min(self.resamples, len(uniq))):
                keep = np.flatnonzero(~np.isin(docs, [uniq[i] for i in fold]))
                if len({docs[i] for i in keep}) >= 2 and len(keep) >= 3:
                    fits.append((keep, self._type_all(corpus, [body[i] for i in keep], anchors, genres)[1]))
            Xr, sub, merged, how = self._type_all(corpus, body, anchors, genres)
        finally:
            if hasattr(self, "body_vectorizer_"):  # later transforms tokenize afresh
                self.body_vectorizer_.set_params(tokenizer=self._memo.tokenizer)
            self._memo = None
        fits.append((np.arange(len(body)), sub))
        labels = consensus_labels(len(body), fits)
        groups = {int(c): sorted({m for t in set(sub[labels == c].tolist()) for m in merged[int(t)]})
                  for c in np.unique(labels)}
        how += (f"; then the consensus of {len(fits)} fits (all documents, and {len(fits) - 1} with a fold of the "
                f"documents left out): {len(groups)} types of the parts most fits holding both type together")
        return Xr, labels, groups, how

    def _tokenizer(self) -> Callable[[str], list[str]]:
        memo = getattr(self, "_memo", None)
        return memo if memo is not None else (self.tokenizer or _default_tokenizer())

    def _sample_rows(self, body: Sequence[Part]) -> np.ndarray:
        """The rows of the parts of whole documents, in a seeded random order of the documents, while they
        hold at most ``max_parts`` parts (in corpus order)."""
        docs: dict[str, list[int]] = {}
        for i, p in enumerate(body):
            docs.setdefault(p.doc_id, []).append(i)
        order = np.random.RandomState(self.random_state).permutation(len(docs))
        groups = list(docs.values())
        rows: list[int] = []
        for j in order:
            if len(rows) + len(groups[j]) > self.max_parts:
                continue
            rows += groups[j]
        return np.array(sorted(rows), dtype=np.int64)

    def _type_all(self, corpus: "Corpus", body: list[Part], anchors: dict[str, int],
                  genres: dict[str, str]) -> tuple[np.ndarray, np.ndarray, dict[int, list[int]], str]:
        """:meth:`_type_body` on every part given: one space for all, then the parts of each genre (``genres``:
        the group of each document, :func:`genre_groups`) typed apart (:meth:`_cluster`)."""
        X = self._blocks(corpus, body, fit=True)
        self._fit_space(X)
        Xr = self._project(X)
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(body):
            groups.setdefault(genres.get(p.doc_id, ""), []).append(i)
        if len(groups) == 1 or self.n_types != "auto":  # a given number of types: one plain cut of all
            return (Xr, *self._cluster(corpus, X, Xr, body, anchors))
        sub = np.zeros(len(body), dtype=int)
        merged: dict[int, list[int]] = {}
        hows = []
        for genre, rows in sorted(groups.items()):
            idx = np.array(rows)
            if len(rows) >= 2:
                s, m, h = self._cluster(corpus, X[idx], Xr[idx], [body[i] for i in rows], anchors)
            else:
                s, m, h = np.zeros(len(rows), dtype=int), {0: [0]}, "one part"
            off = max(merged, default=-1) + 1
            first = max((c for v in merged.values() for c in v), default=-1) + 1
            sub[idx] = s + off
            merged.update({t + off: [c + first for c in v] for t, v in m.items()})
            hows.append(f"the {len({body[i].doc_id for i in rows})} documents of genre {genre}: {h}")
        return Xr, sub, merged, f"k={len(merged)}: each genre typed apart; " + "; ".join(hows)

    def _cluster(self, corpus: "Corpus", X: np.ndarray, Xr: np.ndarray, body: list[Part],
                 anchors: dict[str, int]) -> tuple[np.ndarray, dict[int, list[int]], str]:
        """The types of ``body`` (rows ``X``, projected ``Xr``): the Ward tree cut, the split of clusters by their
        side of the targets part (``anchors``: its index in each document holding one), then the topic, variant
        and chapter merges."""
        from scipy.cluster.hierarchy import fcluster, linkage

        Z = linkage(Xr, "ward")
        docs = np.array([p.doc_id for p in body])
        if self.n_types == "auto":
            min_docs = max(2.0, self.min_docs * len(set(docs)))
            sub = _cooccurrence_cut(Z, docs, self.cooccurrence, min_docs)
            k = len(set(sub.tolist()))
            how = (f"the Ward tree cut where both halves are found together in at least "
                   f"{self.cooccurrence:.0%} of the smaller half's documents (and in {min_docs:g} documents): "
                   f"{k} clusters")
            sub = split_by_side(sub, docs, np.array([p.index for p in body]), anchors, min_docs)
            if len(set(sub.tolist())) > k:
                how += (f"; {len(set(sub.tolist())) - k} cluster(s) split by their side of the targets part (found "
                        f"before it in {min_docs:g} documents or more and after it in as many)")
                k = len(set(sub.tolist()))
        else:
            k = min(int(self.n_types), len(body))
            how = f"k={k} given"
            sub = fcluster(Z, k, "maxclust") - 1
        merged = {int(c): [int(c)] for c in np.unique(sub)}
        split_off: dict[int, int] = {}
        if self.n_types == "auto" and self.ordered is not None:
            before = sub
            sub = merge_topics(sub, Xr, docs, np.array([p.index for p in body]), self.cooccurrence,
                                self.ordered)
            k_topics = len(set(sub.tolist()))
            if k_topics < k:
                how += (f"; {k - k_topics} type(s) merged as topics of one part (found together, in a stable "
                        f"order in fewer than {self.ordered:.0%} of the documents holding both)")
            if self.split_topics is not None and k_topics < k:
                pre_split = sub
                sub = self._split_topics(corpus, body, sub, before, docs, min_docs)
                split_off = split_parents(pre_split, sub, docs)
                if len(set(sub.tolist())) > k_topics:
                    how += (f"; {len(set(sub.tolist())) - k_topics} topic(s) split off as parts (the group "
                            f"that documents splitting the part in two give a chapter of its own, in "
                            f"{min_docs:g} documents)")
            k = len(set(sub.tolist()))
        if self.n_types == "auto":
            sub, merged = merge_variants(sub, Xr, list(docs))
            if len(merged) < k:
                how += f"; {k - len(merged)} variant type(s) merged (mutual nearest types sharing no document)"
            if self.ordered is not None:
                n_before = len(merged)
                sub, merged = merge_chapters(sub, Xr, docs, np.array([p.index for p in body]), merged, split_off,
                                              np.array([p.how in HEADED for p in body]), min_docs)
                if len(merged) < n_before:
                    how += (f"; {n_before - len(merged)} type(s) merged as a chapter of the part next to them "
                            f"(mutual nearest, only in documents holding that part, beside its sections; that part "
                            f"found without them in {min_docs:g} documents or more)")
            if self.refine:
                sub, moved = mixture_step(sub, Xr, self.refine)
                how += f"; {moved} part(s) moved to a type both nearer and more likely"
            heads = np.array([p.how in HEADED for p in body])
            sub, moved = join_unheaded(sub, X[:, :len(self.body_vectorizer_.vocabulary_)], heads)
            if moved:
                how += f"; {moved} chapter(s) moved to a type of unheaded parts their text is nearer"
            if self.once is not None:
                sub, moved = once_per_document(sub, Xr, docs, self.once, min_docs)
                if moved:
                    how += f"; {moved} part(s) moved out of a type nearly every document holds once"
                sub, filled = fill_once(sub, Xr, docs, np.array([p.index for p in body]), self.once, min_docs)
                if filled:
                    how += f"; {filled} part(s) given a type nearly every document holds once, which their document lacked"
            how = f"k={len(merged)}: {how}"
        return sub, merged, how

    def _split_topics(self, corpus: "Corpus", body: Sequence[Part], sub: np.ndarray, before: np.ndarray,
                      docs: np.ndarray, min_docs: float) -> np.ndarray:
        """``sub`` with the chapter-worthy topics of the types merged from several clusters split off
        (:mod:`gkcorpus.outline.topic_split`), renumbered 0, 1, ..."""
        merged_types = [int(t) for t in np.unique(sub) if len(set(before[sub == t].tolist())) > 1]
        texts = [corpus[p.doc_id].text[p.start:p.end] for p in body]
        heads = [normalise_heading(p.heading) for p in body]
        out = split_off_topics(sub, merged_types, texts, heads, docs, self._tokenizer(),
                               self.cooccurrence, min_docs, self.split_topics)
        return np.unique(out, return_inverse=True)[1]

    def _roles(self, corpus: "Corpus", parts: Sequence[Part], genres: dict[str, str],
               main: str) -> tuple[np.ndarray, np.ndarray]:
        """Each part's role when its form or its place and content say what it is, else "", twice: the roles that
        keep a part out of the clustering (``preamble``, ``closing``, ``appendix``, ``targets``: see
        :mod:`gkcorpus.outline.targets`), and those with the roles given after the clustering to parts that stay
        in it (the targets parts found by a heading naming them, the government's own conduct: ``own_conduct``,
        :mod:`gkcorpus.outline.own_conduct`)."""
        form = np.array([p.how if p.how in FORM_TYPES else "" for p in parts], dtype=object)
        texts = [corpus[p.doc_id].text[p.start:p.end] for p in parts]
        docs = [p.doc_id for p in parts]
        heads = [p.heading if p.how in HEADED else "" for p in parts]
        given = form.copy()
        if self.targets is not None:
            body = list(form == "")
            flags = find_targets_parts(docs, texts, body, self.targets)
            form[np.array(flags, dtype=bool)] = "targets"
            named = named_targets_parts(docs, texts, heads, body, flags)
            given[np.array([a or b for a, b in zip(flags, named)], dtype=bool)] = "targets"
        if self.practices:  # a document of unknown genre is read as one of the main genre (``main``, the fitted one)
            flags = find_practices_parts([main if genres[d] == "unknown" else genres[d] for d in docs], heads,
                                         list(form == ""))
            form[np.array(flags, dtype=bool)] = "practices"
            given[np.array(flags, dtype=bool)] = "practices"
        if self.own_conduct:
            own = find_own_conduct_parts(docs, [p.how for p in parts], heads, texts, list(given == ""))
            given[np.array(own, dtype=bool)] = "own_conduct"
        return form, given

    def _fit_space(self, X: np.ndarray) -> None:
        from sklearn.decomposition import TruncatedSVD

        n = min(self.n_components, X.shape[0] - 1, X.shape[1] - 1)
        self.svd_ = TruncatedSVD(n_components=n, algorithm="arpack", random_state=self.random_state).fit(X) if n >= 2 else None

    def _project(self, X: np.ndarray) -> np.ndarray:
        from sklearn.preprocessing import normalize

        return X if self.svd_ is None else normalize(self.svd_.transform(X))

    def _describe(self, corpus: "Corpus", pos: np.ndarray, merged: dict[int, list[int]]) -> list[PartType]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        heads, bodies = self._texts(corpus, self.parts_)
        vec, B = None, None
        if hasattr(self, "body_vectorizer_"):  # none when fewer than three parts were clustered
            # a type's terms are its distinctive words (TF-IDF), though it was found by its common words
            n = len(bodies)
            vec = TfidfVectorizer(tokenizer=self.tokenizer or _default_tokenizer(), lowercase=False,
                                  token_pattern=None, sublinear_tf=True, min_df=2 if n > 20 else 1, max_df=0.9)
            try:
                B = vec.fit_transform(bodies)
            except ValueError:  # no word left after the document-frequency limits
                vec, B = None, None
        vocab = np.array(vec.get_feature_names_out()) if vec is not None else np.array([])
        n_docs = len(self.doc_ids_)
        out = []
        for t in range(int(self.labels_.max()) + 1):
            idx = np.flatnonzero(self.labels_ == t)
            members = [self.parts_[i] for i in idx]
            hows = Counter(p.how for p in members)
            hc = Counter(p.heading for p in members if p.heading and p.how != "appendix")
            terms: list[str] = []
            if B is not None:
                centroid = np.asarray(B[idx].mean(axis=0)).ravel() - np.asarray(B.mean(axis=0)).ravel()
                terms = [str(vocab[j]) for j in np.argsort(-centroid, kind="stable")[:8] if centroid[j] > 0]
            docs = {p.doc_id for p in members}
            name = _part_name(hows, hc, [heads[i] for i in idx], terms)
            for role in ("targets", "practices", "own_conduct"):
                if self.form_types_.get(role) == t:
                    name = f"({role.replace('_', ' ')}) {' '.join(terms[:3])}".strip()
            out.append(PartType(t, name, len(idx), len(docs), round(len(docs) / n_docs, 3),
                                round(float(pos[idx].mean()), 4), dict(sorted(hows.items())),
                                [(h, c) for h, c in masked_heading_counts(hc.most_common()) if h][:8],
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
        """The parts of another corpus: form-found parts get their form's type, the others the nearest
        fitted body type (cosine to the type's centroid in the fitted LSA space)."""
        check_is_fitted(self, "types_")
        parts = self._cut_run_in(corpus, [p for d in corpus for p in find_parts(d)], fit=False)
        labels = np.full(len(parts), -1)
        rows = []
        genres = {d.id: guess_genre(d).genre for d in corpus}
        for i, (p, role) in enumerate(zip(parts, self._roles(corpus, parts, genres, self.main_genre_)[1])):
            if role and role in self.form_types_:
                labels[i] = self.form_types_[role]
            else:
                rows.append(i)
        if rows and self.centers_:
            ids = sorted(self.centers_)
            C = np.vstack([self.centers_[t] for t in ids])
            X = self._project(self._blocks(corpus, [parts[i] for i in rows], fit=False))
            fitted = set(self.type_groups_.values())
            groups = [g if g in fitted else self.main_genre_ if self.by_genre else ""
                      for g in (genres[parts[i].doc_id] for i in rows)]
            labels[rows] = nearest_types(X, C, ids, groups, self.type_groups_)
        elif rows:
            labels[rows] = next(t.type_id for t in self.types_ if t.type_id not in self.form_types_.values())
        return self._frame(corpus, parts, labels)

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
               f"closings, appendices); {len(self.types_)} types, {self.n_body_types_} of them the body parts' clustered ones "
               f"(the rest by form or role): {self.selection_}.", ""]
        out.append(markdown_table(rows, list(rows[0]) if rows else ["type"]))
        gaps = numbering_gaps(self.parts_)
        if gaps:
            out += ["", "Numbering gaps (a heading or a chapter the source may have lost): " + "; ".join(
                f"{g['doc_id']} has no {' '.join(g['missing'])} before {g['before']}" for g in gaps) + "."]
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


def _part_name(hows: Counter, headings: Counter, norm_heads: list[str], terms: list[str]) -> str:
    """Openings, closings, appendices and codas by how they were found; otherwise the most common masked
    heading when two parts or more share it (with "(+n)", the n other headings, when fewer than a fifth of the
    headed parts share it: one wording among many), else the type's distinctive terms in brackets."""
    total = sum(hows.values())
    for how, label in (("preamble", "(opening)"), ("closing", "(closing)"), ("appendix", "(appendix)"),
                       ("unheaded_coda", "(coda)")):
        if hows.get(how, 0) * 2 > total:
            return f"{label} {' '.join(terms[:3])}".strip()
    nh = Counter(h for h in norm_heads if h)
    if nh:
        top, count = nh.most_common(1)[0]
        if count >= 2:  # a heading the type's headed parts share; "(+n)": n other headings beside it
            name = top if len(top) <= 16 else top[:15] + "…"
            return name if count * 5 >= sum(nh.values()) else f"{name} (+{len(nh) - 1})"
    return f"({' '.join(terms[:3])})"


def _whole_documents(rows: np.ndarray, docs: Sequence[str], size: int) -> list[np.ndarray]:
    """``rows`` (in corpus order, ``docs`` their documents) in chunks of about ``size`` that never split a
    document: the blocks are centred within each document."""
    out, start = [], 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or (k - start >= size and docs[k] != docs[k - 1]):
            out.append(rows[start:k])
            start = k
    return out

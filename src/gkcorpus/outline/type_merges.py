"""How the part typer's clusters become parts: merges by document order, chapters and wordings, and
one mixture step after the cut.

Each works on the rows' labels with their vectors and documents; the
criteria are stated in each docstring and in :class:`~gkcorpus.outline.part_types.PartTyper`'s.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

__all__ = ["ORDER_CONFIDENCE", "fill_once", "merge_chapters", "merge_topics", "merge_variants", "mixture_step",
           "once_per_document", "split_by_side", "split_parents"]

#: level of the Wilson interval of the share of documents holding two types in a stable order (merge_topics)
ORDER_CONFIDENCE = 0.9


def _in_order(a: np.ndarray, b: np.ndarray, docs: np.ndarray, order: np.ndarray) -> tuple[int, int, int]:
    """Of the documents holding rows of both ``a`` and ``b`` (row indices): those in which the sections of
    one all come before those of the other in the direction most of them take, those holding both, and
    those in which all come in the other direction (the rest interleave)."""
    a_first, b_first, shared = _precedence(a, b, docs, order)
    return max(a_first, b_first), shared, min(a_first, b_first)


def _precedence(a: np.ndarray, b: np.ndarray, docs: np.ndarray, order: np.ndarray) -> tuple[int, int, int]:
    """Of the documents holding rows of both ``a`` and ``b`` (row indices): those in which the sections of ``a``
    all come before those of ``b``, those in which they all come after, and how many hold both."""
    a_first = b_first = 0
    shared = set(docs[a]) & set(docs[b])
    for d in shared:
        pa, pb = order[a[docs[a] == d]], order[b[docs[b] == d]]
        if pa.max() < pb.min():
            a_first += 1
        elif pb.max() < pa.min():
            b_first += 1
    return a_first, b_first, len(shared)


def _order_bounds(k: int, n: int, confidence: float = ORDER_CONFIDENCE) -> tuple[float, float]:
    """Wilson interval (``confidence``) of a share of documents, ``k`` of ``n`` (a stable order, a type held once)."""
    from scipy.stats import binomtest

    if n == 0:
        return 0.0, 1.0
    ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def merge_topics(labels: np.ndarray, X: np.ndarray, docs: np.ndarray, order: np.ndarray, share: float,
                  ordered: float) -> np.ndarray:
    """Merge types that are topics of one part, most similar pair first (cosine of centroids in ``X``).

    Two types are topics of one part when they are found together (in at least ``share`` of the smaller
    one's documents) but not in a stable order: in fewer than ``ordered`` of the documents holding both
    do all the sections of one come before all those of the other (``order``: each row's place in its
    document). The parts of a genre follow one another (review, targets, tasks, the government's own
    conduct, foreign affairs); the topics inside the tasks (agriculture, education, reform) alternate
    and change places from one report to the next.

    The share is an estimate from the documents holding both, and few documents establish little: when
    some documents put the two in the opposite order and the share reaches ``ordered`` while its Wilson
    interval (``ORDER_CONFIDENCE``) still holds values below ``ordered``, the order does not decide, and
    the two types are merged when they are each other's nearest type (as variants are); a share that
    passes by one document then no longer keeps two neighbouring chapters apart. Documents that only
    interleave the two do not make the order undecided: a section cut on the wrong side of a tree's
    border sits inside the other part's run (the democracy and law chapter and one misplaced task
    chapter), while topics change places. Labels are renumbered 0, 1, …"""
    labels = labels.copy()
    while True:
        live = sorted(set(labels.tolist()))
        rows = {t: np.flatnonzero(labels == t) for t in live}
        dsets = {t: set(docs[rows[t]]) for t in live}
        C = np.vstack([X[rows[t]].mean(axis=0) for t in live])
        C = C / np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-12)
        S = C @ C.T
        np.fill_diagonal(S, -np.inf)
        nearest = S.argmax(axis=1) if len(live) > 1 else np.zeros(1, dtype=int)
        best = None
        for i, a in enumerate(live):
            for j in range(i + 1, len(live)):
                b = live[j]
                shared = dsets[a] & dsets[b]
                if not shared or len(shared) < share * min(len(dsets[a]), len(dsets[b])):
                    continue  # not found together: variants, if anything (see merge_variants)
                k, n, rev = _in_order(rows[a], rows[b], docs, order)
                if k >= ordered * n and (not rev or _order_bounds(k, n)[0] >= ordered or nearest[i] != j
                                         or nearest[j] != i):
                    continue  # two parts in a stable order (or an undecided order between types not nearest)
                sim = float(S[i, j])
                if best is None or sim > best[0]:
                    best = (sim, a, b)
        if best is None:
            break
        labels[labels == best[2]] = best[1]
    return np.unique(labels, return_inverse=True)[1]


def mixture_step(labels: np.ndarray, X: np.ndarray, passes: int) -> tuple[np.ndarray, int]:
    """Move a row to another type when that type is both nearer (cosine to its centroid) and explains the
    row better (each type a spherical Gaussian with its own mean, variance and share of the rows); at most
    ``passes`` times (classification-EM steps from the tree's types: a cut of the tree leaves the rows near
    its borders on the wrong side).

    Each test alone moves the wrong rows. The nearest centroid favours tight types: a part made of many
    topics (the tasks) has members far from its mean, and those nearest a small, tight type (one topic
    split off from it) would move there. The likelihood favours broad types: the outliers of a tight type
    (a five-year review among one-year reviews) would move into the broad one. A row moves only when both
    agree. Types keep their labels; returns the labels and the number of rows moved."""
    labels = labels.copy()
    start = labels.copy()
    d = X.shape[1]
    for _ in range(passes):
        live = sorted(set(labels.tolist()))
        log_lik = np.empty((len(X), len(live)))
        cosine = np.empty((len(X), len(live)))
        for j, t in enumerate(live):
            members = X[labels == t]
            mean = members.mean(axis=0)
            var = float(((members - mean) ** 2).sum(axis=1).mean()) / d + 1e-6  # + a floor, as sklearn's reg_covar
            log_lik[:, j] = (np.log(len(members) / len(X)) - 0.5 * d * np.log(var)
                             - ((X - mean) ** 2).sum(axis=1) / (2 * var))
            cosine[:, j] = X @ (mean / max(float(np.linalg.norm(mean)), 1e-12))
        likely, nearest = log_lik.argmax(axis=1), cosine.argmax(axis=1)
        new = np.where(likely == nearest, np.array(live)[likely], labels)
        if (new == labels).all():
            break
        labels = new
    return labels, int((labels != start).sum())


def join_unheaded(labels: np.ndarray, body: np.ndarray, headed: np.ndarray) -> tuple[np.ndarray, int]:
    """Move a chapter to a type of unheaded parts when its text is nearer that type's than its own type's.

    A type none of whose parts has a heading (a coda found by its opening formula: the government's own
    conduct after the tasks, in the reports that give it no chapter) has an empty heading block, so a chapter
    on the same subject that other reports head (六、切实加强政府自身建设) is far from it in the joined space
    and stays with the chapters around it. Compared on what both have -- ``body``, the rows of the text
    block -- it goes where its text belongs. Centroids are taken once, before any move; returns the labels
    and the number of chapters moved."""
    live = sorted(set(labels.tolist()))
    bare = [t for t in live if not headed[labels == t].any()]
    if not bare or len(live) < 2:
        return labels, 0
    rows = body / np.maximum(np.linalg.norm(body, axis=1, keepdims=True), 1e-12)
    centroids = _unit_centroids(labels, rows)
    out = labels.copy()
    for i in np.flatnonzero(headed):
        sim = {t: float(rows[i] @ centroids[t]) for t in [*bare, int(labels[i])]}
        best = max(bare, key=lambda t: (sim[t], -t))
        if sim[best] > sim[int(labels[i])]:
            out[i] = best
    return out, int((out != labels).sum())


def split_by_side(labels: np.ndarray, docs: np.ndarray, order: np.ndarray, anchors: dict, min_docs: float) -> np.ndarray:
    """Split a cluster found before the targets part in some documents and after it in others.

    The overall requirements and targets of the year stand between the genre's look back and its look ahead:
    the review comes before them, the tasks after. A cluster with parts on both sides, each side in at least
    ``min_docs`` of the documents holding the targets (``anchors``: each such document's index of its targets
    part; ``order``: each row's index in its document), holds parts of both: the five-year reviews a few
    reports open with, beside the task chapters of the reports that give their tasks several (in a corpus of
    a few recent reports, where the tree has too few of either to tell them apart). The side holding more rows
    keeps the label; rows of documents without the targets part stay with it. Merging the new cluster with
    its own part is left to the merges after the cut (variants: they share no document). Labels are
    renumbered 0, 1, ..."""
    out = labels.copy()
    nxt = int(labels.max()) + 1 if len(labels) else 0
    for t in sorted(set(labels.tolist())):
        rows = [r for r in np.flatnonzero(labels == t) if docs[r] in anchors]
        before = [r for r in rows if order[r] < anchors[docs[r]]]
        after = [r for r in rows if order[r] > anchors[docs[r]]]
        if min(len({docs[r] for r in before}), len({docs[r] for r in after})) >= min_docs:
            out[before if len(before) < len(after) else after] = nxt
            nxt += 1
    return np.unique(out, return_inverse=True)[1]


def split_parents(before: np.ndarray, after: np.ndarray, docs: np.ndarray) -> dict[int, int]:
    """The topics the split made (labels of ``after``) and the type each was split from: of the two types
    a type of ``before`` became, the one found in fewer documents."""
    out = {}
    for t in np.unique(before):
        now = sorted({int(c) for c in after[before == t]})
        if len(now) == 2:
            n = {c: len(set(docs[after == c])) for c in now}
            child, parent = sorted(now, key=lambda c: (n[c], c))
            out[child] = parent
    return out


def merge_chapters(labels: np.ndarray, X: np.ndarray, docs: np.ndarray, order: np.ndarray,
                    groups: dict[int, list[int]], split_off: dict[int, int],
                    headed: np.ndarray, min_docs: float = 1) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Merge a type that is a chapter some documents give one topic of a part into that part.

    Two types found together in a stable order stay two parts (:func:`merge_topics`); but a part can be
    divided into several chapters, the first always on the same topic (the economy chapter that opens the
    tasks of the 1987-2005 work reports, where later reports have one tasks chapter holding the same
    topic). A type ``t`` is merged into ``u`` when (1) they are each other's nearest type (cosine of the
    centroids in ``X``); (2) every section of ``t`` is a chapter (``headed``: numbered or with a heading
    line; unheaded codas are parts found by their place and formulae); (3) every document holding ``t``
    holds ``u``, and ``u`` is found without ``t`` in at least ``min_docs`` documents (a part of its own is
    found without the other, often enough to tell -- the evidence the tree's cut asks of two parts; a chapter
    only where the part is divided); (4) in every such document each run of ``t`` has a section
    of ``u`` right before or after it (the topic split off from ``u``, ``split_off``, counts as ``u``); and
    (5) the topic left the part: the sections of ``u`` in the documents without ``t`` are on average
    nearer ``t``'s centroid than those in the documents with ``t``; (6) ``t`` is one chapter: no document
    holds it twice (else the tasks, in several chapters right after the review in every report holding
    them, were taken for a chapter of the review). Topics split off are not merged back.
    Repeated, most similar pair first; ``groups`` (type: the clusters it was merged from) is updated."""
    labels = labels.copy()
    groups = {k: list(v) for k, v in groups.items()}
    while len(groups) > 2:
        live = sorted(groups)
        C = np.vstack([X[labels == c].mean(axis=0) for c in live])
        C = C / np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-12)
        S = C @ C.T
        np.fill_diagonal(S, -np.inf)
        nearest = S.argmax(axis=1)
        dsets = {c: set(docs[labels == c]) for c in live}
        best = None
        for i, j in enumerate(nearest):
            t, u = live[i], live[int(j)]
            if nearest[j] != i or t in split_off or u in split_off or not headed[labels == t].all():
                continue
            if int((labels == t).sum()) > len(dsets[t]):
                continue  # some document holds t twice: a part of its own, not one chapter
            if not (dsets[t] <= dsets[u] and len(dsets[u]) - len(dsets[t]) >= min_docs):
                continue
            part = {u} | {c for c, p in split_off.items() if p == u}
            if not all(_beside(labels[docs == d][np.argsort(order[docs == d], kind="stable")], t, part)
                       for d in dsets[t]):
                continue
            # the topic left the part: the part's sections in the documents without t are nearer t than
            # those in the documents with t (where t's topic has a chapter of its own)
            in_u = labels == u
            with_t = np.isin(docs, sorted(dsets[t]))
            sim = X @ C[i]
            if not (in_u & ~with_t).any() or sim[in_u & ~with_t].mean() <= sim[in_u & with_t].mean():
                continue
            if best is None or S[i, j] > best[0]:
                best = (S[i, j], t, u)
        if best is None:
            break
        _, t, u = best
        labels[labels == t] = u
        groups[u] += groups.pop(t)
    return labels, groups


def _beside(seq: np.ndarray, t: int, part: set[int]) -> bool:
    """Whether every run of ``t`` in a document's sequence of types has a section of ``part`` right before
    or right after it."""
    ok = True
    for k in np.flatnonzero(seq == t):
        if k > 0 and seq[k - 1] == t:
            continue  # inside a run: its first section decides
        end = k
        while end + 1 < len(seq) and seq[end + 1] == t:
            end += 1
        ok &= bool((k > 0 and seq[k - 1] in part) or (end + 1 < len(seq) and seq[end + 1] in part))
    return ok


def merge_variants(labels: np.ndarray, X: np.ndarray, doc_ids: Sequence[str],
                    share: float = 0.0) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Merge variant types: two types that are not found together (they share no document, or fewer
    than ``share`` of the smaller one's) and are each other's nearest type (cosine of their centroids
    in the clustering space) are one part written two ways -- a five-year review and a one-year review,
    an older and a newer wording. Repeated, most similar pair first."""
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
        pairs = [(S[i, j], i, j) for i, j in enumerate(nearest) if i < j and nearest[j] == i
                 and (not docs[i] & docs[j] or len(docs[i] & docs[j]) < share * min(len(docs[i]), len(docs[j])))]
        if not pairs:
            break
        _, i, j = max(pairs)
        a, b = live[i], live[j]
        labels[labels == b] = a
        groups[a] += groups.pop(b)
    return labels, groups


def _held_once(labels: np.ndarray, docs: np.ndarray, share: float, min_docs: float) -> tuple[dict, set[int]]:
    """What each document holds of each type, and the types nearly every document holds once: found in
    ``min_docs`` documents, exactly once in a share of them whose Wilson interval lies wholly at or above
    ``share``."""
    held = {t: Counter(docs[labels == t].tolist()) for t in sorted(set(labels.tolist()))}
    single = {t for t, per_doc in held.items() if len(per_doc) >= min_docs
              and _order_bounds(sum(1 for n in per_doc.values() if n == 1), len(per_doc))[0] >= share}
    return held, single


def _unit_centroids(labels: np.ndarray, X: np.ndarray) -> dict[int, np.ndarray]:
    return {t: (c := X[labels == t].mean(axis=0)) / max(float(np.linalg.norm(c)), 1e-12)
            for t in sorted(set(labels.tolist()))}


def once_per_document(labels: np.ndarray, X: np.ndarray, docs: np.ndarray, share: float,
                      min_docs: float) -> tuple[np.ndarray, int]:
    """Keep a type that nearly every document holds once (a review) to one part per document: a type
    found in ``min_docs`` documents, exactly once in a share of them whose Wilson interval
    (``ORDER_CONFIDENCE``) lies wholly at or above ``share`` (a few documents are no evidence: 6 of 7 is
    not), keeps in a document holding it several times the part nearest its centroid (cosine); the others
    move to their nearest other type, never to another such type the document already holds. The types
    that qualify, their centroids and what each document holds are those of ``labels`` as given (one pass:
    a move changes none of them, and the order of the types does not matter). Returns the labels and the
    number moved."""
    live = sorted(set(labels.tolist()))
    if len(live) < 2:
        return labels.copy(), 0
    unit = _unit_centroids(labels, X)
    held, single = _held_once(labels, docs, share, min_docs)
    out = labels.copy()
    for t in sorted(single):
        for doc, n in held[t].items():
            if n < 2:
                continue
            rows = np.flatnonzero((labels == t) & (docs == doc))
            keep = rows[int(np.argmax(X[rows] @ unit[t]))]
            others = [u for u in live if u != t and not (u in single and held[u].get(doc))]
            if not others:
                continue
            for r in rows:
                if r != keep:
                    out[r] = others[int(np.argmax([float(X[r] @ unit[u]) for u in others]))]
    return out, int((out != labels).sum())


def fill_once(labels: np.ndarray, X: np.ndarray, docs: np.ndarray, order: np.ndarray, share: float,
              min_docs: float) -> tuple[np.ndarray, int]:
    """Give a document that lacks a type nearly every document holds once (its review: found in at least
    ``share`` of the documents, and once in those, see :func:`once_per_document`) that type, when one of its
    parts stands for it: a part of a type the document holds more than once (and still will: the document
    keeps that type), whose nearest other type (cosine to the centroids, strictly) is the missing one, and
    whose place agrees with that type's usual side of every other part of the document (the side most
    documents holding both types give it; no side when they are split evenly). Of several such parts, the
    nearest moves. The five-year review a report opens with, typed as a task chapter because its heading and
    words are those of a plan period, is its review. The types, their centroids and their usual sides are
    those of ``labels`` as given (one pass). Returns the labels and the number moved."""
    live = sorted(set(labels.tolist()))
    if len(live) < 2:
        return labels.copy(), 0
    held, single = _held_once(labels, docs, share, min_docs)
    n_docs = len(set(docs.tolist()))
    single = {t for t in single if len(held[t]) >= share * n_docs}  # and found in nearly every document
    if not single:
        return labels.copy(), 0
    unit = _unit_centroids(labels, X)
    rows_of: dict = {}
    for r, d in enumerate(docs.tolist()):
        rows_of.setdefault(d, []).append(r)
    sides: dict[tuple[int, int], int] = {}

    def side(t: int, v: int) -> int:
        """-1 when most documents holding both put ``t`` before ``v``, 1 after, 0 when neither side wins."""
        if (t, v) not in sides:
            before, after, _ = _precedence(np.flatnonzero(labels == t), np.flatnonzero(labels == v), docs, order)
            sides[(t, v)] = 0 if before == after else (-1 if before > after else 1)
        return sides[(t, v)]

    out = labels.copy()
    for t in sorted(single):
        for d, rows in rows_of.items():
            if held[t].get(d):
                continue
            here = Counter(out[r] for r in rows)  # what the document holds now, earlier moves included
            best: tuple[float, int] | None = None
            for r in rows:
                u = int(labels[r])
                if out[r] != u or here[u] < 2 or u in single:
                    continue
                sims = {w: float(X[r] @ unit[w]) for w in live if w != u}
                if not all(sims[t] > v for w, v in sims.items() if w != t):  # strictly the nearest
                    continue
                if all(not side(t, int(labels[q])) or (order[q] > order[r]) == (side(t, int(labels[q])) < 0)
                       for q in rows if q != r):
                    if best is None or sims[t] > best[0]:
                        best = (sims[t], r)
            if best is not None:
                out[best[1]] = t
    return out, int((out != labels).sum())

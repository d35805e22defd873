"""A topic that reports give a chapter of its own: split off from the part it was merged into.

The part typer merges types that are found together in no stable order into one part (the tasks'
agriculture, education and reform chapters interleave from report to report). Some of those topics are
nevertheless parts of the genre: a report that gives its tasks two chapters gives one to this topic
and one to everything else (经济体制改革 beside 国内建设 in the 1980s reports), while other topics get a
chapter only in reports that split their tasks into many.

The criterion, for a type merged from several clusters: its sections are grouped again by their own
vocabulary (TF-IDF of the words found in at most half of its sections, beside the character n-grams of the
masked heading; each block centred on its document's mean, so that what is left is what a section says
that its document's other sections of the type do not), by Ward's method cut top-down where both halves
are found in the same documents (the same cut as the part types). The group found in the most documents
is the type's main body. Among the other groups, the one that holds one of the two sections of the most
documents having exactly two sections of the type becomes a type of its own, when there are at least
``min_docs`` such documents: a document that divides the part in two chapters divides it there. At most
one topic per type is split off (the part's second chapter); the other groups stay topics of the part.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = ["split_off_topics", "second_chapters"]


def second_chapters(sub: np.ndarray, docs: np.ndarray) -> dict[int, int]:
    """For each group of ``sub`` but the one found in most documents (the main body): the number of
    documents with exactly two rows, one of them in this group."""
    dcount = {int(c): len(set(docs[sub == c])) for c in np.unique(sub)}
    main = max(sorted(dcount), key=lambda c: dcount[c])
    out = {}
    for c in sorted(dcount):
        if c == main:
            continue
        out[c] = sum(1 for d in set(docs[sub == c])
                     if (docs == d).sum() == 2 and int((sub[docs == d] == c).sum()) == 1)
    return out


def split_off_topics(labels: np.ndarray, topic_types: Sequence[int], texts: Sequence[str], headings: Sequence[str],
                     docs: np.ndarray, tokenizer: Callable[[str], list[str]], share: float, min_docs: float,
                     heading_weight: float = 0.5) -> np.ndarray:
    """``labels`` with the chapter-worthy topics of each type in ``topic_types`` as types of their own
    (new labels after the largest). ``texts``, ``headings`` (masked) and ``docs`` give every row's text,
    heading and document; ``heading_weight`` is the squared share of the heading block."""
    from scipy.cluster.hierarchy import linkage
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from .cooccurrence import centre, cooccurrence_cut

    labels = labels.copy()
    nxt = int(labels.max()) + 1
    for t in topic_types:
        rows = np.flatnonzero(labels == t)
        if len(rows) < 4:
            continue
        vec = TfidfVectorizer(tokenizer=tokenizer, lowercase=False, token_pattern=None, sublinear_tf=True,
                              min_df=2, max_df=0.5)
        hvec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        try:
            B = vec.fit_transform([texts[i] for i in rows])
            H = hvec.fit_transform([headings[i] or " " for i in rows])
        except ValueError:  # no word left after the document-frequency limits
            continue
        blocks = [normalize(centre(normalize(M).toarray(), docs[rows], 1.0)) for M in (B, H)]
        X = normalize(np.hstack([np.sqrt(1 - heading_weight) * blocks[0], np.sqrt(heading_weight) * blocks[1]]))
        sub = cooccurrence_cut(linkage(X, "ward"), docs[rows], share, min_docs)
        counts = second_chapters(sub, docs[rows])
        best = max(sorted(counts), key=lambda c: counts[c], default=None)
        if best is not None and counts[best] >= min_docs:
            labels[rows[sub == best]] = nxt
            nxt += 1
    return labels

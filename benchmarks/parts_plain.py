"""How far a plain clustering of one feature block can take the part types, with the number of types read off the gold.

A reference, not a method: for each block (the masked heading's character n-grams; the body's word
TF-IDF; both, weighted equally) the parts not typed by their form (openings, closings and appendices
keep one type each, as :class:`gkcorpus.outline.part_types.PartTyper` gives them) are clustered by
average-linkage (cosine) and by Ward's method, every number of types from 2 to 20 is scored against the
gold, and the best pairwise F1 is printed with its precision, recall and number of types. It is what the
block alone gives when the number of types is known. The typer's rules also use what a block does not
hold -- which parts share a document, and in what order -- so they can go above it (as on the national
reports) or below it (as on the bundled summaries): the comparison says which.

    PYTHONPATH=src python benchmarks/eval_parts.py --corpus bundled --plain
"""

from __future__ import annotations

import numpy as np

FORM = ("preamble", "closing", "appendix")
MAX_K = 20


def _blocks(corpus, parts) -> dict[str, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from gkcorpus.outline.part_types import PartTyper
    from gkcorpus.text.tokenize import Tokenizer

    heads, bodies = PartTyper()._texts(corpus, parts)  # the masked headings and bodies the typer reads
    heads = [h or " " for h in heads]
    H = normalize(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(heads)).toarray()
    B = normalize(TfidfVectorizer(tokenizer=Tokenizer(stopwords=True), lowercase=False, token_pattern=None,
                                  sublinear_tf=True, min_df=2).fit_transform(bodies)).toarray()
    return {"heading": H, "body": B, "heading + body": normalize(np.hstack([H, B]))}


def plain_clusterings(corpus, gold: list[dict], tolerance: int) -> list[tuple[str, str, int, float, float]]:
    """``(block, linkage, k, precision, recall)`` of the best pairwise F1 for each block and linkage, over
    the gold sections a part is found for (:func:`eval_parts.match`, as the typer is scored)."""
    from eval_parts import match, pairwise
    from scipy.cluster.hierarchy import fcluster, linkage

    from gkcorpus.outline.parts import find_parts

    body: list = []  # the body parts to cluster
    rows: list[tuple[str, int | str]] = []  # (gold part, index into body, or the form type)
    for d in corpus:
        parts = find_parts(d)
        index: dict[int, int] = {}
        for g in (g for g in gold if g["doc_id"] == d.id):
            i = match(g, d.text, [(p.start, i) for i, p in enumerate(parts)], tolerance)
            if i is None:
                continue
            if parts[i].how in FORM:
                rows.append((g["part"], "form:" + parts[i].how))
                continue
            if i not in index:
                index[i] = len(body)
                body.append(parts[i])
            rows.append((g["part"], index[i]))
    out = []
    for name, X in _blocks(corpus, body).items():
        for method in ("average", "ward"):
            Z = linkage(X, "average", metric="cosine") if method == "average" else linkage(X, "ward")
            best = None
            for k in range(2, min(MAX_K, len(body) - 1) + 1):
                labels = fcluster(Z, k, "maxclust")
                found = [({"part": g}, t if isinstance(t, str) else int(labels[t])) for g, t in rows]
                p, r = pairwise(found)
                f1 = 2 * p * r / (p + r) if p + r else 0.0
                if best is None or f1 > best[0]:
                    best = (f1, k, p, r)
            if best is not None:
                out.append((name, method, best[1], best[2], best[3]))
    return out

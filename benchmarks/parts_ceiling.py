"""How far a plain clustering of one feature block can take the part types, with the number of types read off the gold.

An upper bound, not a method: for each block (the masked heading's character n-grams; the body's word
TF-IDF; both, weighted equally) the parts not typed by their form (openings, closings and appendices
keep one type each, as :class:`gkcorpus.outline.part_types.PartTyper` gives them) are clustered by
average-linkage (cosine) and by Ward's method, every number of types from 2 to 20 is scored against the
gold, and the best pairwise F1 is printed with its precision, recall and number of types. When even
this is below a target, the features cannot carry the target on that corpus, whatever the rules that
choose the number of types or merge them afterwards.

    PYTHONPATH=src python benchmarks/eval_parts.py --corpus bundled --ceiling
"""

from __future__ import annotations

import numpy as np

FORM = ("preamble", "closing", "appendix")
MAX_K = 20


def _blocks(corpus, parts) -> dict[str, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from gkcorpus.outline.headings import normalise_heading
    from gkcorpus.text.tokenize import Tokenizer

    heads, bodies = [], []
    for p in parts:
        text = corpus[p.doc_id].text[p.start:p.end]
        heads.append(normalise_heading(p.heading) or " ")
        bodies.append(text.split("\n", 1)[1] if p.heading and "\n" in text else text)
    H = normalize(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(heads)).toarray()
    B = normalize(TfidfVectorizer(tokenizer=Tokenizer(stopwords=True), lowercase=False, token_pattern=None,
                                  sublinear_tf=True, min_df=2).fit_transform(bodies)).toarray()
    return {"heading": H, "body": B, "heading + body": normalize(np.hstack([H, B]))}


def ceiling(corpus, gold: list[dict], tolerance: int) -> list[tuple[str, str, int, float, float]]:
    """``(block, linkage, k, precision, recall)`` of the best pairwise F1 for each block and linkage, over
    the gold sections found by a part (as :func:`eval_parts.match` finds them)."""
    from eval_parts import pairwise
    from scipy.cluster.hierarchy import fcluster, linkage

    from gkcorpus.outline.parts import find_parts

    body, body_gold, form_gold = [], [], []
    for d in corpus:
        rows = [g for g in gold if g["doc_id"] == d.id]
        for p in find_parts(d):
            g = next((g for g in rows if abs(g["start"] - p.start) <= tolerance), None)
            if g is None:
                continue
            if p.how in FORM:
                form_gold.append((g["part"], "form:" + p.how))
            else:
                body.append(p)
                body_gold.append(g["part"])
    gold_all = body_gold + [g for g, _ in form_gold]
    out = []
    for name, X in _blocks(corpus, body).items():
        for method in ("average", "ward"):
            Z = linkage(X, "average", metric="cosine") if method == "average" else linkage(X, "ward")
            best = None
            for k in range(2, min(MAX_K, len(body) - 1) + 1):
                types = [str(t) for t in fcluster(Z, k, "maxclust")] + [t for _, t in form_gold]
                p, r = pairwise([({"part": g}, t) for g, t in zip(gold_all, types)])
                f1 = 2 * p * r / (p + r) if p + r else 0.0
                if best is None or f1 > best[0]:
                    best = (f1, k, p, r)
            if best is not None:
                out.append((name, method, best[1], best[2], best[3]))
    return out

"""Per-document stages as pure functions, and one way to run them: in-process, on local processes, or on Dask.

Everything that looks at one document at a time lives here as a module-level function over one
item (so it pickles, with ``pickle`` for processes and ``cloudpickle`` for Dask):

* :func:`load_item` -- read one file (or take one record), decode, clean, parse the structure;
* :func:`segment_lengths` -- the word segmentation as token lengths (one byte a token to ship back);
* :func:`count_terms` -- term counts of one text (what counting needs, without the token list);
* :func:`sentence_signatures` -- MinHash signatures of the sentences (char n-grams, fixed seed);
* :func:`analyze_document` -- all of the above in one task, returning a :class:`DocumentPartial`.

Corpus-level work combines their results (:func:`combine_counts`, the LSH index of the reuse stage).

They run on a :class:`~gkcorpus.runtime.executor.PerDocumentExecutor` (serial, processes or Dask).

:func:`load_parallel` is :func:`gkcorpus.load` with the reading and cleaning spread over workers;
it returns the same corpus, document by document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..text.clean.cleaner import Cleaner
from ..corpus import Corpus, Document, iter_load, load, load_item, load_items
from ..base.io import LoadLog, LoadOptions
from ..kernels.hashing import FMIX64 as _FMIX64, fmix as _fmix
from ..kernels.minhash import minhash_signatures
from ..text.tokenize import Tokenizer, token_lengths, tokens_from_lengths
from .cache import segment_lengths
from .executor import BACKENDS, PerDocumentExecutor, run_per_document

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "BACKENDS",
    "PerDocumentExecutor",
    "run_per_document",
    "load_item",
    "load_items",
    "load_parallel",
    "iter_load_parallel",
    "segment_lengths",
    "count_terms",
    "TermCounts",
    "combine_counts",
    "term_counts",
    "shingles",
    "shingle_hash32",
    "SentenceSignatures",
    "sentence_signatures",
    "DocumentPartial",
    "analyze_document",
]


# =========================================================================== per-document stages


def _default_count_tokenizer() -> Tokenizer:
    # The same default as Corpus.frequencies: words without punctuation and stopwords.
    return Tokenizer(stopwords=True)


def count_terms(text: str, tokenizer: Tokenizer | None = None) -> Counter:
    """Term counts of one text: all a frequency table or a vocabulary needs, a fraction of the token list."""
    tok = tokenizer if tokenizer is not None else _default_count_tokenizer()
    return Counter(tok(text))


@dataclass
class TermCounts:
    """Corpus term counts: ``tf`` (occurrences), ``df`` (documents), ``n_docs``."""

    tf: Counter = field(default_factory=Counter)
    df: Counter = field(default_factory=Counter)
    n_docs: int = 0

    def add(self, counts: Mapping[str, int]) -> "TermCounts":
        """Fold in one document's counts."""
        self.tf.update(counts)
        self.df.update(counts.keys())
        self.n_docs += 1
        return self

    def to_frame(self, min_tf: int = 1) -> "pd.DataFrame":
        """Columns term, tf, df; sorted by tf (descending) then term, as ``Corpus.frequencies``."""
        import pandas as pd

        rows = [(t, n, self.df[t]) for t, n in self.tf.items() if n >= min_tf]
        f = pd.DataFrame(rows, columns=["term", "tf", "df"])
        return f.sort_values(["tf", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "n_terms": len(self.tf), "n_tokens": int(sum(self.tf.values()))}


def combine_counts(per_document: Iterable[Mapping[str, int]]) -> TermCounts:
    """Combine per-document counts (any iterable: a generator keeps only one document's counts at a time)."""
    out = TermCounts()
    for c in per_document:
        out.add(c)
    return out


def term_counts(
    texts: Iterable[str],
    tokenizer: Tokenizer | None = None,
    executor: "PerDocumentExecutor | None" = None,
) -> TermCounts:
    """Corpus term counts, streamed: workers return one Counter per document, combined as they arrive."""
    ex = executor or PerDocumentExecutor()
    return combine_counts(ex.imap(count_terms, texts, tokenizer=tokenizer))


# ---- near-duplicate signatures
#
# A sentence's shingles are its character n-grams (n <= 3), each identified exactly by its code
# points packed into 63 bits; ``shingle_hash32`` folds that id to 32 bits (MurmurHash3 fmix64,
# low half). A signature row is what ``datasketch.MinHash(num_perm, seed, scheme="affine32",
# hashfunc=shingle_hash32).update_batch(shingles(sentence))`` gives -- tests check this -- but it
# is computed for all sentences of a document at once with numpy (about 20x faster than feeding
# datasketch one shingle at a time, which spends its time in a Python-level SHA-1 per shingle).

_U64 = np.uint64


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(_U64)


def _packed(codes: np.ndarray, n: int) -> np.ndarray:
    """Ids of every n-gram of ``codes``, one per start position: code points packed 21 bits each,
    left-aligned in 63 bits (an n-gram with n < 3 is the 3-gram padded with code point 0)."""
    k = max(len(codes) - n + 1, 0)
    out = np.zeros(k, dtype=_U64)
    for j in range(n):
        out = (out << _U64(21)) | codes[j : j + k]
    return out << _U64(21 * (3 - n))


def _hash32(ids: np.ndarray) -> np.ndarray:
    return (_fmix(ids, _FMIX64) & _U64(0xFFFFFFFF)).astype(np.uint32)


def shingle_hash32(shingle: str | bytes) -> int:
    """32-bit hash of one shingle (as :func:`shingles` gives it); pass it to datasketch as ``hashfunc``."""
    if isinstance(shingle, bytes):
        shingle = shingle.decode("utf-8")
    codes = _codes(shingle)
    if not 1 <= len(codes) <= 3:
        raise ValueError(f"shingles are 1 to 3 characters, got {shingle!r}")
    return int(_hash32(_packed(codes, len(codes)))[0])


def shingles(text: str, n: int = 3) -> list[str]:
    """The distinct character ``n``-grams (n <= 3) of ``text`` stripped of outer whitespace, first-seen order.

    A text shorter than ``n`` is one shingle; an empty one has none.
    """
    if not 1 <= n <= 3:
        raise ValueError(f"ngram must be 1, 2 or 3, got {n}")
    text = text.strip()
    if len(text) < n:
        return [text] if text else []
    return list(dict.fromkeys(text[i : i + n] for i in range(len(text) - n + 1)))


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _signature_rows(text: str, spans: np.ndarray, num_perm: int, ngram: int, seed: int) -> np.ndarray:
    """MinHash of each span's character ``ngram``s (a span shorter than ``ngram`` is one shingle)."""
    codes = _codes(text)
    ids = _packed(codes, ngram)  # the id of the n-gram starting at each position
    hashes: list[np.ndarray] = []
    for s, e in spans.tolist():
        s, e = _strip_span(text, s, e)
        if e - s >= ngram:
            hashes.append(_hash32(ids[s : e - ngram + 1]))
        elif e > s:
            hashes.append(_hash32(_packed(codes[s:e], e - s)))  # the whole sentence is one shingle
        else:
            hashes.append(np.zeros(0, dtype=np.uint32))
    indptr = np.zeros(len(hashes) + 1, dtype=np.int64)
    np.cumsum([len(h) for h in hashes], out=indptr[1:])
    flat = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint32)
    return minhash_signatures(indptr, np.arange(len(flat), dtype=np.int64), flat, num_perm=num_perm, seed=seed)


@dataclass
class SentenceSignatures:
    """MinHash signatures of a document's sentences.

    ``spans``: (n, 2) clean offsets; ``hashvalues``: (n, num_perm) uint32, datasketch's
    ``affine32`` scheme with ``seed`` and :func:`shingle_hash32`; :meth:`minhash` rebuilds a
    sketch to insert into or query a ``datasketch.MinHashLSH``. A sentence with no shingles
    (empty) has the empty sketch (all values 2**32 - 1).
    """

    doc_id: str
    spans: np.ndarray
    hashvalues: np.ndarray
    num_perm: int
    seed: int
    ngram: int
    scheme: str = "affine32"

    def __len__(self) -> int:
        return len(self.spans)

    def minhash(self, i: int) -> Any:
        """The i-th sentence as a ``datasketch.LeanMinHash``."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=self.hashvalues[i], scheme=self.scheme)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "num_perm": self.num_perm, "seed": self.seed, "ngram": self.ngram,
            "scheme": self.scheme, "spans": self.spans.tolist(), "hashvalues": self.hashvalues.tolist(),
        }


def sentence_signatures(
    doc: Document | str,
    spans: Sequence[tuple[int, int]] | None = None,
    num_perm: int = 128,
    ngram: int = 3,
    seed: int = 1,
    doc_id: str = "",
    normalize: Callable[[str], str] | None = None,
) -> SentenceSignatures:
    """MinHash of each sentence's character ``ngram``-grams (datasketch ``affine32``, fixed ``seed``).

    ``doc`` is a Document (its parsed sentences are used) or a clean text (parsed here unless
    ``spans`` is given). ``normalize`` (module-level, so that it pickles) maps each sentence's
    text before shingling, e.g. to drop punctuation and mask digits; ``spans`` stay the original
    ones. Deterministic across processes and machines: no salted ``hash()``.
    """
    if not 1 <= ngram <= 3:
        raise ValueError(f"ngram must be 1, 2 or 3, got {ngram}")
    if isinstance(doc, Document):
        text, doc_id = doc.text, doc_id or doc.id
        if spans is None:
            spans = [(s.start, s.end) for s in doc.structure.sentences]
    else:
        text = doc
        if spans is None:
            from ..text.structure import parse_structure

            spans = [(s.start, s.end) for s in parse_structure(text).sentences]
    span_arr = np.asarray(list(spans), dtype=np.int64).reshape(-1, 2)
    if normalize is None:
        hv = _signature_rows(text, span_arr, num_perm, ngram, seed)
    else:  # shingle the normalised sentences, laid end to end
        parts = [normalize(text[s:e]).strip() for s, e in span_arr.tolist()]
        ends = np.cumsum([len(p) for p in parts], dtype=np.int64)
        norm_spans = np.stack([ends - [len(p) for p in parts], ends], axis=1) if parts else span_arr
        hv = _signature_rows("".join(parts), norm_spans, num_perm, ngram, seed)
    return SentenceSignatures(doc_id, span_arr, hv, num_perm, seed, ngram)


# ---- load + clean + structure


def iter_load_parallel(
    paths: str | Path | Sequence[str | Path],
    executor: "PerDocumentExecutor",
    options: LoadOptions | None = None,
    cleaner: Cleaner | None = None,
    structure: bool = True,
    log: LoadLog | None = None,
    **fields: Any,
) -> Iterator[Document]:
    """Stream the documents of :func:`load_parallel` in input order; skipped inputs go to ``log``
    (:func:`gkcorpus.corpus.iter_load` on ``executor``; ``fields`` change ``options``)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return iter_load(paths, executor, LoadOptions.of(options, **fields), cleaner=cleaner, structure=structure, log=log)


def load_parallel(
    paths: str | Path | Sequence[str | Path],
    backend: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    executor: "PerDocumentExecutor | None" = None,
    options: LoadOptions | None = None,
    cleaner: Cleaner | None = None,
    structure: bool = True,
    progress: bool = False,
    **fields: Any,
) -> Corpus:
    """:func:`gkcorpus.load` with reading, cleaning and structure parsing run per document on workers.

    Same options (a :class:`~gkcorpus.base.io.LoadOptions`, or its fields as keywords) and the same
    corpus (ids, texts, offsets, cleaning reports, skipped inputs, errors) as ``load``; documents
    also come back with their structure parsed. Pass an ``executor`` to reuse a running pool or
    cluster across stages; otherwise one is started for ``backend`` and closed at the end.
    """
    own = executor is None
    ex = executor or PerDocumentExecutor(backend, workers=workers, scheduler=scheduler, client=client, progress=progress)
    try:
        return load(paths, options, cleaner=cleaner, executor=ex, structure=structure, **fields)
    finally:
        if own:
            ex.close()


# ---- everything per document in one task


@dataclass
class DocumentPartial:
    """What one task computes for one document, for the corpus-level stages to combine.

    ``lengths``: the full segmentation (token lengths, see :mod:`gkcorpus.runtime.cache`);
    ``counts``: term counts (filtered as the counting tokenizer says); ``signatures``: sentence MinHash.
    """

    doc_id: str
    lengths: np.ndarray | None = None
    counts: Counter | None = None
    signatures: SentenceSignatures | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "n_tokens": None if self.lengths is None else int(len(self.lengths)),
            "n_terms": None if self.counts is None else len(self.counts),
            "n_sentences": None if self.signatures is None else len(self.signatures),
        }


def analyze_document(
    doc: Document,
    tokenizer: Tokenizer | None = None,
    count_tokenizer: Tokenizer | None = None,
    segment: bool = True,
    count: bool = True,
    signatures: bool = True,
    num_perm: int = 128,
    ngram: int = 3,
    seed: int = 1,
) -> DocumentPartial:
    """Segmentation, term counts and sentence signatures of one document, in one pass over it.

    Term counts are derived from the same segmentation (filtered by ``count_tokenizer``'s
    punctuation and stopword settings, default those of ``Corpus.frequencies``), so the text is
    segmented once.
    """
    tok = tokenizer if tokenizer is not None else Tokenizer()
    out = DocumentPartial(doc.id)
    if segment or count:
        toks = tok.cut(doc.text)
        lengths = token_lengths(toks)
        if segment:
            out.lengths = lengths
        if count:
            ctok = count_tokenizer if count_tokenizer is not None else _default_count_tokenizer()
            if ctok.segmentation_key() != tok.segmentation_key():
                out.counts = count_terms(doc.text, ctok)
            else:
                out.counts = Counter(ctok.filter(tokens_from_lengths(doc.text, lengths)))
    if signatures:
        out.signatures = sentence_signatures(doc, num_perm=num_perm, ngram=ngram, seed=seed)
    return out

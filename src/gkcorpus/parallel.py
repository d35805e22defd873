"""Per-document stages as pure functions, and one way to run them: in-process, on local processes, or on Dask.

Everything that looks at one document at a time lives here as a module-level function over one
item (so it pickles, with ``pickle`` for processes and ``cloudpickle`` for Dask):

* :func:`load_item` -- read one file (or take one record), decode, clean, parse the structure;
* :func:`segment_lengths` -- the word segmentation as token lengths (one byte a token to ship back);
* :func:`count_terms` -- term counts of one text (what counting needs, without the token list);
* :func:`sentence_signatures` -- MinHash signatures of the sentences (char n-grams, fixed seed);
* :func:`analyze_document` -- all of the above in one task, returning a :class:`DocumentPartial`.

Corpus-level work combines their results (:func:`combine_counts`, the LSH index of the reuse stage).

:class:`PerDocumentExecutor` maps a function over items with ``backend="serial"`` (the reference),
``"processes"`` (``concurrent.futures`` over local cores) or ``"dask"`` (a ``dask.distributed``
``LocalCluster`` with ``workers`` processes, or a ``Client`` on a ``scheduler`` address). Results
come back in input order, so every backend gives the same output. At most a few chunks per worker
are in flight, so :meth:`PerDocumentExecutor.imap` streams: memory is bounded by the window, not
by the input. The jieba engine is built lazily inside each worker process (see ``tokenize.py``).

:func:`load_parallel` is :func:`gkcorpus.load` with the reading and cleaning spread over workers;
it returns the same corpus, document by document.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from .clean import Cleaner
from .corpus import Corpus, Document
from .io import LoadError, LoadLog, RawDocument, iter_csv, iter_jsonl, list_text_files, text_file_document
from .io import path_error as _path_error
from .reuse import _fmix, _fmix32
from .tokenize import Tokenizer

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
    "tokenize_text",
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
    "add_parallel_args",
    "executor_from_args",
    "cache_dir_from_args",
]

BACKENDS = ("serial", "processes", "dask")


# =========================================================================== per-document stages


def segment_lengths(text: str, tokenizer: Tokenizer | None = None) -> np.ndarray:
    """The full, lossless segmentation of ``text`` as token lengths (see :mod:`gkcorpus.cache`)."""
    from .cache import token_lengths

    tok = tokenizer if tokenizer is not None else Tokenizer()
    return token_lengths(tok.cut(text))


def tokenize_text(text: str, tokenizer: Tokenizer | None = None) -> list[str]:
    """``tokenizer(text)``: module-level so that it can be shipped to workers."""
    tok = tokenizer if tokenizer is not None else Tokenizer()
    return tok(text)


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
_FMIX64 = (_U64(33), _U64(0xFF51AFD7ED558CCD), _U64(33), _U64(0xC4CEB9FE1A85EC53), _U64(33))
_BLOCK = 1 << 15  # shingle positions per numpy block (block x num_perm x 4 bytes of scratch)


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


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _signature_rows(text: str, spans: np.ndarray, num_perm: int, ngram: int, seed: int) -> np.ndarray:
    a, b = _permutations(num_perm, seed)
    out = np.full((len(spans), num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    codes = _codes(text)
    ids = _packed(codes, ngram)  # the id of the n-gram starting at each position
    starts: list[int] = []
    counts: list[int] = []
    short: list[tuple[int, int, int]] = []
    rows: list[int] = []
    for i, (s, e) in enumerate(spans.tolist()):
        s, e = _strip_span(text, s, e)
        if e - s >= ngram:
            rows.append(i)
            starts.append(s)
            counts.append(e - s - ngram + 1)
        elif e > s:
            short.append((i, s, e))
    if rows:
        pos = np.concatenate([np.arange(s, s + c) for s, c in zip(starts, counts)])
        mixed = _fmix32(_hash32(ids[pos]))
        bounds = np.cumsum([0] + counts)
        k = 0
        while k < len(rows):  # blocks of whole sentences, at most ~_BLOCK positions each
            j = k + 1
            while j < len(rows) and bounds[j + 1] - bounds[k] <= _BLOCK:
                j += 1
            lo, hi = bounds[k], bounds[j]
            phv = mixed[lo:hi, None] * a[None, :] + b[None, :]
            out[rows[k:j]] = np.minimum.reduceat(phv, bounds[k:j] - lo, axis=0)
            k = j
    for i, s, e in short:
        h = _fmix32(_hash32(_packed(codes[s:e], e - s)))  # the whole sentence is one shingle
        out[i] = h[0] * a + b
    return out


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
            from .structure import parse_structure

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


@dataclass(frozen=True)
class FileItem:
    """A text file to read as one document: inside a folder (``root``) or given on its own."""

    path: str
    root: str | None = None


def _error(err: LoadError) -> tuple[str, tuple[str, str, int | None]]:
    # LoadError does not survive pickling (its args are the formatted message): ship the fields.
    return ("error", (err.path, err.message, err.line))


def _file_raw(item: FileItem, encoding: str | None) -> RawDocument:
    """The document :func:`gkcorpus.io.iter_txt` (or ``iter_paths`` for a single file) makes of this file."""
    return text_file_document(item.path, item.root, encoding)


@dataclass(frozen=True)
class FailedItem:
    """An input that already failed while listing the work (a LoadError's fields: it does not pickle)."""

    path: str
    message: str
    line: int | None = None


def load_item(
    item: FileItem | RawDocument | FailedItem,
    cleaner: Cleaner | None = None,
    encoding: str | None = None,
    structure: bool = True,
) -> tuple[str, Any]:
    """Read (a file), clean and parse one document: ``("doc", Document)`` or ``("error", (path, message, line))``.

    The structure is parsed here (``structure=True``) so that workers, not the driver, pay for it.
    """
    if isinstance(item, FailedItem):
        return ("error", (item.path, item.message, item.line))
    try:
        raw = _file_raw(item, encoding) if isinstance(item, FileItem) else item
    except LoadError as err:
        return _error(err)
    doc = Document.from_raw(raw, cleaner or Cleaner())
    if structure:
        doc.structure  # noqa: B018 -- parse now, on the worker
    return ("doc", doc)


def load_items(
    paths: Sequence[str | Path],
    glob: str = "*.txt",
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    encoding: str | None = None,
    on_error: str = "raise",
) -> Iterator[FileItem | RawDocument | LoadError]:
    """The work of :func:`gkcorpus.io.iter_paths` as items, in the same order.

    Text files become :class:`FileItem` (read on a worker); JSONL/CSV records are read here (one
    file, cheap to parse) and yielded as :class:`RawDocument`; problems are yielded as
    :class:`LoadError` at the place where ``iter_paths`` would meet them (after the first one,
    in ``"raise"`` mode, nothing more is yielded).
    """
    for raw_path in paths:
        p = Path(raw_path)
        if p.is_dir():
            files, problems = list_text_files(p, glob)
            for err in problems:
                yield err
                if on_error == "raise":
                    return
            if not files:
                yield LoadError(p, f"no files matching {glob!r} in this directory")
                if on_error == "raise":
                    return
                continue
            for f in files:
                yield FileItem(str(f), str(p))
        elif not p.exists():
            yield _path_error(p)
            if on_error == "raise":
                return
        elif p.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".tsv"):
            log = LoadLog()
            fields = dict(text_field=text_field, id_field=id_field, title_field=title_field)
            if p.suffix.lower() in (".jsonl", ".ndjson"):
                records = iter_jsonl(p, **fields, encoding=encoding, on_error=on_error, log=log)
            else:
                delim = "\t" if p.suffix.lower() == ".tsv" else ","
                records = iter_csv(p, **fields, encoding=encoding, delimiter=delim, on_error=on_error, log=log)
            seen = 0
            try:
                for rd in records:
                    yield from log.skipped[seen:]
                    seen = len(log.skipped)
                    yield rd
            except LoadError as err:
                yield err
                return
            yield from log.skipped[seen:]
        else:
            yield FileItem(str(p))


def iter_load_parallel(
    paths: str | Path | Sequence[str | Path],
    executor: "PerDocumentExecutor",
    glob: str = "*.txt",
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    encoding: str | None = None,
    skip_bad: bool = False,
    duplicate_ids: str = "error",
    cleaner: Cleaner | None = None,
    structure: bool = True,
    log: LoadLog | None = None,
) -> Iterator[Document]:
    """Stream the documents of :func:`load_parallel` in input order; skipped inputs go to ``log``.

    Inputs are listed lazily and at most the executor's window of them is in flight, so memory
    holds a few documents, not the corpus (a JSONL file is still read whole by its reader).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    on_error = "skip" if skip_bad else "raise"
    items = (FailedItem(it.path, it.message, it.line) if isinstance(it, LoadError) else it
             for it in load_items(paths, glob, text_field, id_field, title_field, encoding, on_error))
    seen: Counter[str] = Counter()
    for kind, value in executor.imap(load_item, items, cleaner=cleaner or Cleaner(), encoding=encoding,
                                     structure=structure):
        if kind == "error":
            err = LoadError(*value)
            if on_error == "raise":
                raise err
            if log is not None:
                log.add(err)
            continue
        doc: Document = value
        seen[doc.id] += 1
        if seen[doc.id] > 1:
            if duplicate_ids != "suffix":
                raise LoadError(doc.source or doc.id, f"duplicate document id {doc.id!r}")
            doc.id = f"{doc.id}~{seen[doc.id]}"
        yield doc


def load_parallel(
    paths: str | Path | Sequence[str | Path],
    backend: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    executor: "PerDocumentExecutor | None" = None,
    glob: str = "*.txt",
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    encoding: str | None = None,
    skip_bad: bool = False,
    duplicate_ids: str = "error",
    cleaner: Cleaner | None = None,
    structure: bool = True,
    progress: bool = False,
) -> Corpus:
    """:func:`gkcorpus.load` with reading, cleaning and structure parsing run per document on workers.

    Same arguments and the same corpus (ids, texts, offsets, cleaning reports, skipped inputs,
    errors) as ``load``; documents also come back with their structure parsed. Pass an
    ``executor`` to reuse a running pool or cluster across stages.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    own = executor is None
    ex = executor or PerDocumentExecutor(backend, workers=workers, scheduler=scheduler, client=client, progress=progress)
    log = LoadLog()
    try:
        docs = list(iter_load_parallel(paths, ex, glob, text_field, id_field, title_field, encoding, skip_bad,
                                       duplicate_ids, cleaner, structure, log))
    finally:
        if own:
            ex.close()
    corpus = Corpus(docs, skipped=log.lines())
    if not len(corpus):
        where = ", ".join(map(str, paths))
        detail = f" ({len(log)} skipped)" if len(log) else ""
        raise LoadError(where, f"no documents loaded{detail}")
    return corpus


# ---- everything per document in one task


@dataclass
class DocumentPartial:
    """What one task computes for one document, for the corpus-level stages to combine.

    ``lengths``: the full segmentation (token lengths, see :mod:`gkcorpus.cache`);
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
    from .cache import filter_tokens, token_lengths, tokens_from_lengths

    tok = tokenizer if tokenizer is not None else Tokenizer()
    out = DocumentPartial(doc.id)
    if segment or count:
        toks = tok.cut(doc.text)
        lengths = token_lengths(toks)
        if segment:
            out.lengths = lengths
        if count:
            ctok = count_tokenizer if count_tokenizer is not None else _default_count_tokenizer()
            if ctok.backend != tok.backend or ctok._dict_paths() != tok._dict_paths() or ctok.hmm != tok.hmm:
                out.counts = count_terms(doc.text, ctok)
            else:
                out.counts = Counter(filter_tokens(ctok, tokens_from_lengths(doc.text, lengths)))
    if signatures:
        out.signatures = sentence_signatures(doc, num_perm=num_perm, ngram=ngram, seed=seed)
    return out


# =========================================================================== executors


def _run_chunk(func: Callable[..., Any], chunk: list[Any], kwargs: dict[str, Any]) -> list[Any]:
    return [func(x, **kwargs) for x in chunk]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for x in items:
        buf.append(x)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


class PerDocumentExecutor:
    """Map a per-document function over items, in order, serially, on local processes or on Dask.

    Parameters
    ----------
    backend : "serial" (in this process, the reference), "processes" (concurrent.futures) or "dask".
    workers : worker processes (default: the number of CPUs); for Dask, the size of the LocalCluster.
    scheduler : address of a running Dask scheduler (``tcp://host:8786``); implies ``backend="dask"``.
    client : an existing ``dask.distributed.Client`` to use (not closed by this executor).
    chunksize : items per task (larger amortises per-task overhead for small items).
    window : chunks in flight per worker (bounds memory while streaming).
    mp_context : multiprocessing start method for "processes" (default: the platform's).
    progress : show a tqdm bar over items (when the length is known).

    The pool or cluster starts on first use and is shut down by :meth:`close` (or ``with``).
    """

    def __init__(
        self,
        backend: str = "serial",
        workers: int | None = None,
        scheduler: str | None = None,
        client: Any = None,
        chunksize: int = 1,
        window: int = 4,
        mp_context: str | None = None,
        progress: bool = False,
    ):
        if scheduler is not None or client is not None:
            backend = "dask"
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        self.backend = backend
        self.workers = workers
        self.scheduler = scheduler
        self.client = client
        self.chunksize = chunksize
        self.window = window
        self.mp_context = mp_context
        self.progress = progress
        self._pool: Any = None
        self._cluster: Any = None
        self._client: Any = None

    # ---- lifecycle
    @property
    def n_workers(self) -> int:
        if self.backend == "serial":
            return 1
        if self.backend == "dask" and (self.client is not None or self.scheduler is not None):
            return max(1, sum(self._dask_client().nthreads().values()))
        return self.workers or os.cpu_count() or 1

    def _process_pool(self) -> Any:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            ctx = multiprocessing.get_context(self.mp_context) if self.mp_context else None
            self._pool = ProcessPoolExecutor(max_workers=self.workers or os.cpu_count() or 1, mp_context=ctx)
        return self._pool

    def _dask_client(self) -> Any:
        if self.client is not None:
            return self.client
        if self._client is None:
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError:
                raise ImportError("the dask backend needs the 'dask' extra: pip install 'gkcorpus[dask]'") from None
            if self.scheduler is not None:
                self._client = Client(self.scheduler)
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                    dashboard_address=None,
                )
                self._client = Client(self._cluster)
        return self._client

    def close(self) -> None:
        """Shut down what this executor started (a pool, a client, a LocalCluster)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> "PerDocumentExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- mapping
    def imap(self, func: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> Iterator[Any]:
        """``func(item, **kwargs)`` for each item, yielded in input order as results arrive."""
        total = len(items) if hasattr(items, "__len__") else None  # type: ignore[arg-type]
        it = self._imap(func, items, kwargs)
        if self.progress:
            from tqdm.auto import tqdm

            return iter(tqdm(it, total=total, desc=getattr(func, "__name__", "map"), unit="doc", leave=False))
        return it

    def map(self, func: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list[Any]:
        """``[func(item, **kwargs) for item in items]``, computed on the backend."""
        return list(self.imap(func, items, **kwargs))

    def _imap(self, func: Callable[..., Any], items: Iterable[Any], kwargs: dict[str, Any]) -> Iterator[Any]:
        if self.backend == "serial":
            for x in items:
                yield func(x, **kwargs)
            return
        if self.backend == "processes":
            pool = self._process_pool()
            submit: Callable[[list[Any]], Any] = lambda chunk: pool.submit(_run_chunk, func, chunk, kwargs)  # noqa: E731
            result: Callable[[Any], list[Any]] = lambda fut: fut.result()  # noqa: E731
        else:
            client = self._dask_client()
            submit = lambda chunk: client.submit(_run_chunk, func, chunk, kwargs, pure=False)  # noqa: E731
            result = lambda fut: fut.result()  # noqa: E731
        limit = max(1, self.window * self.n_workers)
        pending: deque[Any] = deque()
        try:
            for chunk in _chunks(items, max(1, self.chunksize)):
                pending.append(submit(chunk))
                if len(pending) >= limit:
                    yield from result(pending.popleft())
            while pending:
                yield from result(pending.popleft())
        finally:
            for fut in pending:
                fut.cancel()

    def __repr__(self) -> str:
        where = f", scheduler={self.scheduler!r}" if self.scheduler else ""
        return f"PerDocumentExecutor(backend={self.backend!r}, workers={self.workers!r}{where})"


def run_per_document(
    func: Callable[..., Any],
    items: Iterable[Any],
    backend: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    chunksize: int = 1,
    progress: bool = False,
    **kwargs: Any,
) -> list[Any]:
    """``[func(item, **kwargs) for item in items]`` on a backend, in input order (a one-off executor).

    To run several stages on one pool or cluster, keep a :class:`PerDocumentExecutor` instead.
    """
    with PerDocumentExecutor(backend, workers=workers, scheduler=scheduler, client=client,
                             chunksize=chunksize, progress=progress) as ex:
        return ex.map(func, items, **kwargs)


# =========================================================================== command-line options


def add_parallel_args(parser: Any) -> None:
    """``--segmenter``, ``--workers``, ``--executor``, ``--scheduler``, ``--cache-dir``, ``--no-cache`` for a command."""
    g = parser.add_argument_group("scale")
    g.add_argument("--segmenter", choices=("jieba", "rjieba"), default="jieba",
                   help="word segmenter: jieba (default, the reference) or rjieba (about 10x faster, "
                        "99.9%% the same tokens; pip install 'gkcorpus[fast]')")
    g.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes for the per-document stages (default: 1, in this process)")
    g.add_argument("--executor", choices=("auto", *BACKENDS), default="auto",
                   help="auto (default): dask with --scheduler, local processes with --workers N > 1, "
                        "else serial; 'dask' with --workers N starts a local Dask cluster")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the per-document stages on this Dask scheduler (tcp://host:8786); "
                        "workers need gkcorpus installed")
    g.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="segmentation cache (default: $GKCORPUS_CACHE, else OUTPUT/.gkcorpus-cache)")
    g.add_argument("--no-cache", action="store_true", help="do not read or write the segmentation cache")


def executor_from_args(args: Any) -> PerDocumentExecutor:
    """The executor the options ask for (close it when done, or use it in ``with``)."""
    backend = getattr(args, "executor", "auto")
    workers = getattr(args, "workers", None)
    scheduler = getattr(args, "scheduler", None)
    if workers is not None and workers < 1:
        from .cli import UsageError

        raise UsageError(f"--workers must be at least 1, not {workers}")
    if backend == "auto":
        backend = "dask" if scheduler else "processes" if workers and workers > 1 else "serial"
    return PerDocumentExecutor(backend, workers=workers, scheduler=scheduler)


def cache_dir_from_args(args: Any, output_dir: str | Path | None = None) -> Path | None:
    """The segmentation cache directory the options ask for (None: no cache)."""
    from .cache import resolve_cache_dir

    if getattr(args, "no_cache", False):
        return None
    return resolve_cache_dir(getattr(args, "cache_dir", None) or True, output_dir)

"""On-disk cache of word segmentations, one file per document, keyed by a content hash.

Segmenting is the dominant cost of every word-level stage, and a rerun on unchanged input
should not pay it again. The cache stores, for each text, the *lengths* of its tokens as given
by :meth:`Tokenizer.cut` (which is lossless: the tokens concatenate to the text), so a file is
one byte per token and the tokens are rebuilt by slicing the text the caller already holds.
Filtering (punctuation, stopwords) is applied after reading, so one cached segmentation serves
every stage whatever its stoplist.

Each file carries a BLAKE2b checksum of its token lengths, checked on reading. The key is the SHA-256 of: the cache format, the gkcorpus version (and the source of
``tokenize.py``, so that a development change invalidates it too), the segmentation parameters
(backend, backend version, HMM, the *contents* of the user dictionaries) and the text. Files are
written atomically (temporary sibling, then ``os.replace``), so concurrent writers of the same
key are harmless (both write the same bytes) and a killed run leaves no half-written entry; an
unreadable or mismatched file counts as a miss and is rewritten.

Where the cache lives (:func:`resolve_cache_dir`): an explicit directory; else the environment
variable ``GKCORPUS_CACHE`` (``0``/``off``/``false``/``no`` disables it); else
``<output dir>/.gkcorpus-cache`` when a command writes an output directory; else
``$XDG_CACHE_HOME/gkcorpus`` (``~/.cache/gkcorpus``). ``cache=False`` disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

import numpy as np

from ..text.tokenize import Tokenizer, token_lengths, tokens_from_lengths

if TYPE_CHECKING:  # pragma: no cover
    from .executor import PerDocumentExecutor

__all__ = [
    "CACHE_ENV",
    "CACHE_DIRNAME",
    "CacheStats",
    "TokenCache",
    "CachedTokenizer",
    "DocTokens",
    "resolve_cache_dir",
    "segmentation_key",
    "segment_lengths",
    "token_lengths",
    "tokens_from_lengths",
    "filter_tokens",
    "cached_tokens",
    "cached_segmentations",
    "iter_cached_tokens",
    "unit_tokens",
]

CACHE_ENV = "GKCORPUS_CACHE"
CACHE_DIRNAME = ".gkcorpus-cache"
_FORMAT = "gktok2"
_MAGIC = b"GKTOK2\n"
_OFF = {"0", "off", "false", "no", "none", ""}


# --------------------------------------------------------------------------- where


def resolve_cache_dir(cache: bool | str | os.PathLike | None = True, output_dir: str | os.PathLike | None = None) -> Path | None:
    """The cache directory to use, or ``None`` when caching is off.

    ``cache``: False/None disables; a path is used as given; True means "the default": the
    ``GKCORPUS_CACHE`` environment variable, else ``<output_dir>/.gkcorpus-cache``, else the
    user cache directory.
    """
    if cache is False or cache is None:
        return None
    if cache is not True:
        return _usable(Path(cache))
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in _OFF else _usable(Path(env))
    if output_dir is not None:
        return _usable(Path(output_dir) / CACHE_DIRNAME)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gkcorpus"


def _usable(path: Path) -> Path:
    """``path``, unless it exists and is not a directory (the cache would silently be off): ExportError."""
    if path.exists() and not path.is_dir():
        from ..base.export import ExportError

        raise ExportError(f"{path}: cache directory exists and is a file, not a directory")
    return path


# --------------------------------------------------------------------------- keys


@lru_cache(maxsize=64)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _path_digest(path: str) -> str:
    st = os.stat(path)
    return _file_digest(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _backend_version(backend: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(backend)
    except PackageNotFoundError:
        return "?"


def _segmentation_params(tokenizer: Tokenizer) -> str:
    """What determines ``tokenizer.cut``: backend and its version, HMM, user dictionaries' contents."""
    from .. import __version__

    from ..text import tokenize

    backend, dict_paths, hmm = tokenizer.segmentation_key()
    params = {
        "format": _FORMAT,
        "gkcorpus": __version__,
        "tokenize_py": _path_digest(tokenize.__file__),  # a code change invalidates, even at one version
        "backend": backend,
        "backend_version": _backend_version(backend),
        "hmm": hmm,
        "user_dicts": [_path_digest(p) for p in dict_paths],  # their contents, not their paths
    }
    return json.dumps(params, sort_keys=True)


def segmentation_key(text: str, tokenizer: Tokenizer) -> str:
    """Hex SHA-256 naming the segmentation of ``text`` by ``tokenizer`` (filters excluded)."""
    h = hashlib.sha256(_segmentation_params(tokenizer).encode("utf-8"))
    h.update(b"\x00")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# --------------------------------------------------------------------------- lengths <-> tokens


def segment_lengths(text: str, tokenizer: Tokenizer | None = None) -> np.ndarray:
    """The full, lossless segmentation of ``text`` as token lengths (module-level: it ships to workers)."""
    tok = tokenizer if tokenizer is not None else Tokenizer()
    return token_lengths(tok.cut(text))


def filter_tokens(tokenizer: Tokenizer, tokens: Iterable[str]) -> list[str]:
    """What ``tokenizer(text)`` keeps of ``tokenizer.cut(text)`` (:meth:`Tokenizer.filter`)."""
    return tokenizer.filter(tokens)


@dataclass
class DocTokens:
    """A document's full segmentation: its text and the length of each token.

    Tokens are rebuilt on demand; :meth:`span_tokens` gives the tokens of a clean span (a
    sentence, a paragraph) without segmenting again. Sentence boundaries always fall on token
    boundaries (sentences end at punctuation, which jieba never joins to a word).
    """

    doc_id: str
    text: str
    lengths: np.ndarray

    @property
    def ends(self) -> np.ndarray:
        return np.cumsum(self.lengths, dtype=np.int64)

    def tokens(self) -> list[str]:
        return tokens_from_lengths(self.text, self.lengths)

    def span_tokens(self, start: int, end: int) -> list[str]:
        """Tokens lying inside ``[start, end)``; a token cut by a span edge is clipped to the span."""
        ends = self.ends
        starts = ends - self.lengths.astype(np.int64)
        i = int(np.searchsorted(ends, start, side="right"))
        j = int(np.searchsorted(starts, end, side="left"))
        return [self.text[max(int(s), start) : min(int(e), end)] for s, e in zip(starts[i:j], ends[i:j])]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "n_tokens": int(len(self.lengths)), "lengths": self.lengths.tolist()}


# --------------------------------------------------------------------------- the store


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    writes: int = 0
    errors: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class TokenCache:
    """A directory of segmentations: ``<dir>/tokens/<key[:2]>/<key>.tok``.

    A file is ``GKTOK1\\n`` + one JSON header line (key, text length, token count, dtype) + the
    token lengths as little-endian integers. ``get`` checks the header against the text, so a
    stale, truncated or foreign file is a miss, never a wrong answer.
    """

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.stats = CacheStats()

    def path_for(self, key: str) -> Path:
        return self.directory / "tokens" / key[:2] / f"{key}.tok"

    def get_lengths(self, text: str, tokenizer: Tokenizer, key: str | None = None) -> np.ndarray | None:
        key = key or segmentation_key(text, tokenizer)
        try:
            data = self.path_for(key).read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        lengths = _decode(data, key, len(text))
        if lengths is None:
            self.stats.errors += 1
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return lengths

    def put_lengths(self, text: str, tokenizer: Tokenizer, lengths: np.ndarray, key: str | None = None) -> Path | None:
        """Store a segmentation (atomically); returns the file, or None when the directory is unwritable."""
        from ..base.export import ExportError, atomic_write_bytes

        key = key or segmentation_key(text, tokenizer)
        if int(np.sum(lengths, dtype=np.int64)) != len(text):
            raise ValueError("token lengths do not add up to the text length: the segmentation is not lossless")
        path = self.path_for(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, _encode(key, len(text), lengths))
        except (OSError, ExportError):
            self.stats.errors += 1
            return None
        self.stats.writes += 1
        return path

    def lengths(self, text: str, tokenizer: Tokenizer) -> np.ndarray:
        """The segmentation of ``text`` (token lengths), from the cache or computed and stored."""
        key = segmentation_key(text, tokenizer)
        got = self.get_lengths(text, tokenizer, key)
        if got is None:
            got = token_lengths(tokenizer.cut(text))
            self.put_lengths(text, tokenizer, got, key)
        return got

    def cut(self, text: str, tokenizer: Tokenizer) -> list[str]:
        return tokens_from_lengths(text, self.lengths(text, tokenizer))

    def n_entries(self) -> int:
        root = self.directory / "tokens"
        return sum(1 for _ in root.glob("*/*.tok")) if root.exists() else 0

    def clear(self) -> int:
        """Delete every cached segmentation; returns how many files went."""
        n = 0
        root = self.directory / "tokens"
        if root.exists():
            for p in root.glob("*/*.tok"):
                try:
                    p.unlink()
                    n += 1
                except FileNotFoundError:
                    pass
        return n

    def __repr__(self) -> str:
        return f"TokenCache({str(self.directory)!r})"


def _encode(key: str, n_chars: int, lengths: np.ndarray) -> bytes:
    arr = np.ascontiguousarray(lengths)
    dtype = arr.dtype.newbyteorder("<")
    body = arr.astype(dtype, copy=False).tobytes()
    header = {"key": key, "chars": n_chars, "tokens": int(len(arr)), "dtype": dtype.str, "sum": _checksum(body)}
    return _MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + body


def _checksum(body: bytes) -> str:
    """BLAKE2b of the token lengths: an entry altered on disk (even keeping the sum) is a miss."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def _decode(data: bytes, key: str, n_chars: int) -> np.ndarray | None:
    if not data.startswith(_MAGIC):
        return None
    nl = data.find(b"\n", len(_MAGIC))
    if nl < 0:
        return None
    try:
        header = json.loads(data[len(_MAGIC) : nl])
        dtype = np.dtype(header["dtype"])
        if header["key"] != key or header["chars"] != n_chars:
            return None
        body = data[nl + 1 :]
        if len(body) != header["tokens"] * dtype.itemsize or header.get("sum") != _checksum(body):
            return None
        lengths = np.frombuffer(body, dtype=dtype)
    except (ValueError, KeyError, TypeError):
        return None
    if int(lengths.sum(dtype=np.int64)) != n_chars:
        return None
    return lengths


# --------------------------------------------------------------------------- a tokenizer that caches


class CachedTokenizer(Tokenizer):
    """A :class:`Tokenizer` whose segmentation of texts of at least ``min_chars`` characters is cached on disk.

    Same output as the plain tokenizer with the same parameters; picklable (the cache is just a
    directory name), so worker processes share the directory. Short texts (sentences) are
    segmented directly: a file per sentence would cost more than it saves; to get the tokens of
    many units, segment their documents once (:func:`cached_segmentations`) and use
    :meth:`DocTokens.span_tokens`.
    """

    def __init__(
        self,
        backend: str = "jieba",
        user_dict: bool | str | list[str] = True,
        stopwords: bool | str = False,
        keep_punct: bool = False,
        hmm: bool = True,
        cache_dir: str | os.PathLike | None = None,
        min_chars: int = 500,
    ):
        super().__init__(backend=backend, user_dict=user_dict, stopwords=stopwords, keep_punct=keep_punct, hmm=hmm)
        self.cache_dir = cache_dir
        self.min_chars = min_chars

    @classmethod
    def wrap(cls, tokenizer: Tokenizer, cache_dir: str | os.PathLike | None, min_chars: int = 500) -> "CachedTokenizer":
        p = tokenizer.get_params()
        p.pop("cache_dir", None)
        p.pop("min_chars", None)
        return cls(**p, cache_dir=cache_dir, min_chars=min_chars)

    def plain(self) -> Tokenizer:
        """The same tokenizer without the cache."""
        p = self.get_params()
        del p["cache_dir"], p["min_chars"]
        return Tokenizer(**p)

    def _store(self) -> TokenCache | None:
        if self.cache_dir is None:
            return None
        store = _STORES.get(str(self.cache_dir))
        if store is None:
            store = _STORES[str(self.cache_dir)] = TokenCache(self.cache_dir)
        return store

    def cut(self, text: str) -> list[str]:
        store = self._store()
        if store is None or len(text) < self.min_chars:
            return super().cut(text)
        key = segmentation_key(text, self)
        got = store.get_lengths(text, self, key)
        if got is not None:
            return tokens_from_lengths(text, got)
        toks = super().cut(text)
        store.put_lengths(text, self, token_lengths(toks), key)
        return toks

    @property
    def stats(self) -> CacheStats | None:
        store = self._store()
        return store.stats if store else None

    _PARAMS = (*Tokenizer._PARAMS, "cache_dir", "min_chars")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        p = super().get_params(deep)
        p.update(cache_dir=None if self.cache_dir is None else str(self.cache_dir), min_chars=self.min_chars)
        return p

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CachedTokenizer) and self.get_params() == other.get_params()

    __hash__ = Tokenizer.__hash__


# One store object per directory and process (its stats count this process's lookups).
_STORES: dict[str, TokenCache] = {}


# --------------------------------------------------------------------------- corpus-level helpers


def _as_texts(docs: Any) -> list[tuple[str, str]]:
    """(id, text) pairs from a Corpus, an iterable of Documents, a mapping id -> text, or (id, text) pairs."""
    if isinstance(docs, Mapping):
        return [(str(k), v) for k, v in docs.items()]
    out = []
    for d in docs:
        if hasattr(d, "text") and hasattr(d, "id"):
            out.append((d.id, d.text))
        else:
            k, v = d
            out.append((str(k), v))
    return out


def cached_segmentations(
    docs: Any,
    tokenizer: Tokenizer | None = None,
    cache_dir: str | os.PathLike | None | bool = True,
    executor: "PerDocumentExecutor | None" = None,
) -> tuple[dict[str, DocTokens], CacheStats]:
    """Each document's full segmentation (:class:`DocTokens`), read from the cache where present.

    Misses are segmented (on ``executor`` when given: workers return token lengths, one byte a
    token, not token lists) and written by this process. ``cache_dir``: a directory, True for
    the default (:func:`resolve_cache_dir`), False/None for no cache.
    """
    tok = tokenizer if tokenizer is not None else Tokenizer()
    if isinstance(tok, CachedTokenizer):
        tok = tok.plain()
    where = resolve_cache_dir(cache_dir) if cache_dir is not None else None
    store = TokenCache(where) if where is not None else None
    pairs = _as_texts(docs)
    stats = CacheStats()
    lengths: dict[int, np.ndarray] = {}
    keys: dict[int, str] = {}
    todo: list[int] = []
    for i, (_, text) in enumerate(pairs):
        if store is None:
            todo.append(i)
            continue
        keys[i] = segmentation_key(text, tok)
        got = store.get_lengths(text, tok, keys[i])
        if got is None:
            todo.append(i)
        else:
            lengths[i] = got
    if todo:
        texts = [pairs[i][1] for i in todo]
        if executor is None:
            computed = [segment_lengths(t, tok) for t in texts]
        else:
            computed = executor.map(segment_lengths, texts, tokenizer=tok)
        for i, arr in zip(todo, computed):
            lengths[i] = arr
            if store is not None:
                store.put_lengths(pairs[i][1], tok, arr, keys[i])
    if store is not None:
        stats = store.stats
    else:
        stats.misses = len(pairs)
    out = {doc_id: DocTokens(doc_id, text, lengths[i]) for i, (doc_id, text) in enumerate(pairs)}
    return out, stats


def cached_tokens(
    docs: Any,
    tokenizer: Tokenizer | None = None,
    cache_dir: str | os.PathLike | None | bool = True,
    executor: "PerDocumentExecutor | None" = None,
) -> dict[str, list[str]]:
    """``{doc_id: tokenizer(text)}``, with the segmentation cached per document by content hash.

    The same as calling ``tokenizer`` on each text (its punctuation and stopword filters are
    applied to the cached segmentation).
    """
    tok = tokenizer if tokenizer is not None else Tokenizer()
    segs, _ = cached_segmentations(docs, tok, cache_dir, executor)
    return {doc_id: filter_tokens(tok, s.tokens()) for doc_id, s in segs.items()}


def iter_cached_tokens(
    docs: Any,
    tokenizer: Tokenizer | None = None,
    cache_dir: str | os.PathLike | None | bool = True,
    executor: "PerDocumentExecutor | None" = None,
    block: int = 64,
) -> Iterator[tuple[str, list[str]]]:
    """``(doc_id, tokenizer(text))`` one document at a time, ``block`` documents looked up (and
    their misses segmented on ``executor``) at once: memory holds one block's tokens, not the
    corpus's (at 100 M characters, Python token lists take ~40 bytes a character)."""
    tok = tokenizer if tokenizer is not None else Tokenizer()
    items = docs.items() if isinstance(docs, Mapping) else docs
    buf: list[Any] = []
    for d in items:
        buf.append(d)
        if len(buf) >= block:
            yield from cached_tokens(buf, tok, cache_dir, executor).items()
            buf = []
    if buf:
        yield from cached_tokens(buf, tok, cache_dir, executor).items()


def unit_tokens(segs: Mapping[str, DocTokens], units: Iterable[Any], tokenizer: Tokenizer | None = None,
                transform: Callable[[list[str]], list[str]] | None = None) -> list[list[str]]:
    """Tokens of each unit (anything with ``doc_id``, ``start``, ``end``) cut from its document's segmentation."""
    tok = tokenizer if tokenizer is not None else Tokenizer()
    out = []
    for u in units:
        toks = filter_tokens(tok, segs[u.doc_id].span_tokens(u.start, u.end))
        out.append(transform(toks) if transform else toks)
    return out


"""Word tokens: jieba (default, the reference) or rjieba, with a domain dictionary and stoplist.

A :class:`Tokenizer` is a plain callable ``str -> list[str]`` that scikit-learn vectorizers
accept as ``tokenizer=`` and that pickles: the segmentation engine is built lazily in each
process (a ``jieba.Tokenizer`` holds a lock and cannot be pickled) and cached per configuration.
Anonymisation placeholders (XX, 20xx) are cut out before segmentation and stay single tokens.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, Sequence

import numpy as np

__all__ = ["Tokenizer", "SegmentationMemo", "segmentation_memo", "active_memo", "PLACEHOLDER", "load_stopwords",
           "default_user_dict", "default_jieba_dictionary", "is_punct", "token_lengths", "tokens_from_lengths"]

# Anonymisation placeholders: 20xx, xxxx, XX (not inside a Latin word such as "LED" or "xxl").
PLACEHOLDER = re.compile(r"(?<!\d)(?:19|20)[xX]{2}(?![A-Za-z\d])|(?<![A-Za-z])[xX]{2,4}(?![A-Za-z])")
_PUNCT = re.compile(r"^[\s\W_]+$", re.UNICODE)

_ENGINES: dict[tuple, Any] = {}
_ENGINES_LOCK = threading.Lock()


@lru_cache(maxsize=1 << 18)
def is_punct(token: str) -> bool:
    """True for whitespace and punctuation tokens (Chinese and ASCII); memoised, tokens repeat."""
    return bool(_PUNCT.match(token))


@lru_cache(maxsize=1)
def default_user_dict() -> str:
    """Path of the domain dictionary shipped with gkcorpus (jieba format: word freq tag)."""
    return str(resources.files("gkcorpus") / "data" / "userdict.txt")


@lru_cache(maxsize=None)
def load_stopwords(path: str | None = None) -> frozenset[str]:
    """The shipped stoplist, or one word per line from ``path`` (lines starting with # are comments)."""
    if path is None:
        text = (resources.files("gkcorpus") / "data" / "stopwords.txt").read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _read_user_dict(path: str) -> list[tuple[str, int | None, str | None]]:
    entries = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.strip().split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[2] if len(parts) > 2 else None
            entries.append((parts[0], freq, tag))
    return entries


@lru_cache(maxsize=1)
def default_jieba_dictionary() -> tuple[dict[str, int], int]:
    """jieba's default dictionary as jieba loads it (word frequencies with its zero-frequency prefix
    entries, and their total), read once per process, from jieba's cache file when it has one.

    The segmenter, jieba's process-wide tokenizer and the mojibake repairer's word model all start
    from this copy: loading it costs about half a second each time, copying it a few milliseconds.
    Read-only: a tokenizer that adds words copies it first."""
    from .jieba_import import import_jieba

    jieba = import_jieba()

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    cached = _read_jieba_cache(tk)
    if cached is not None:
        return cached
    tk.initialize()
    return tk.FREQ, tk.total


def _read_jieba_cache(tk: Any) -> tuple[dict[str, int], int] | None:
    """The word frequencies in jieba's cache file of the default dictionary, or None (no cache yet,
    or one that does not read back as a frequency table: ``tk.initialize()`` then builds it).

    jieba reads the file with ``marshal.load(file)``, which asks the file for every object
    separately: three times as slow as ``marshal.loads`` of the whole file (0.5 s against 0.17 s)."""
    import marshal
    import os
    import tempfile

    path = tk.cache_file or os.path.join(tk.tmp_dir or tempfile.gettempdir(), "jieba.cache")
    try:
        with open(path, "rb") as fh:
            freq, total = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(freq, dict) or not isinstance(total, int):
        return None
    return freq, total


def _load_default_dictionary(tk: Any) -> None:
    """Initialise the jieba tokenizer ``tk`` (made for the default dictionary) with a copy of
    :func:`default_jieba_dictionary`, as ``tk.initialize()`` would from jieba's cache."""
    freq, total = default_jieba_dictionary()
    with tk.lock:
        if not tk.initialized:
            tk.FREQ, tk.total = dict(freq), total
            tk.initialized = True


def share_default_dictionary(jieba: Any, tk: Any) -> None:
    """Give jieba's process-wide tokenizer (which ``jieba.posseg`` tags with) the default word
    frequencies too, when it has loaded none yet and would read the same dictionary as ``tk``."""
    dt = jieba.dt
    if dt.initialized or dt.dictionary != tk.dictionary or dt.cache_file or dt.tmp_dir:
        return
    _load_default_dictionary(dt)


def _build_engine(backend: str, user_dicts: tuple[str, ...]) -> Callable[[str, bool], list[str]]:
    """A function ``(text, hmm) -> tokens`` for the backend, with the user dictionaries loaded."""
    entries = [e for path in user_dicts for e in _read_user_dict(path)]
    if backend == "jieba":
        from .jieba_import import import_jieba

        jieba = import_jieba()

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        _load_default_dictionary(tk)
        share_default_dictionary(jieba, tk)
        for word, freq, tag in entries:
            tk.add_word(word, freq, tag)
        return lambda text, hmm: tk.lcut(text, HMM=hmm)
    if backend == "rjieba":
        try:
            import rjieba
        except ImportError:
            raise ImportError("the rjieba backend needs the 'fast' extra: pip install 'gkcorpus[fast]'") from None
        rj = rjieba.Jieba() if hasattr(rjieba, "Jieba") else None
        if rj is None:
            raise ImportError("this rjieba version has no Jieba class; install rjieba>=0.2.2")
        for word, freq, tag in entries:
            rj.add_word(word, freq, tag)
        return lambda text, hmm: rj.cut(text, hmm)
    raise ValueError(f"unknown tokenizer backend {backend!r} (choose 'jieba' or 'rjieba')")


class SegmentationMemo:
    """Segmentations of paragraphs, kept while a run needs them, so that every stage segments a text once.

    The stages of ``mine`` cut the same text several times (sections for TF-IDF, whole documents
    for phrases, sentences for templates). Segmentation never crosses a line break (jieba and
    rjieba segment each run of Han characters on its own), so a text's tokens are its paragraphs'
    tokens joined by ``"\\n"``; the memo keeps each distinct paragraph's token *lengths* (2 bytes a
    token, not Python strings) per segmentation configuration, and rebuilds tokens by slicing.
    Exact: ``memo.cut(text, tok) == tok.cut(text)`` (a test checks it on whole corpora).
    """

    def __init__(self) -> None:
        self._store: dict[tuple, dict[str, np.ndarray]] = {}
        self.hits = 0
        self.misses = 0

    def _table(self, tok: "Tokenizer") -> dict[str, np.ndarray]:
        key = tok.segmentation_key()
        table = self._store.get(key)
        if table is None:
            table = self._store[key] = {}
        return table

    def cut(self, text: str, tok: "Tokenizer") -> list[str]:
        """``tok.cut(text)``, each paragraph segmented at most once per memo."""
        if "\r" in text:  # jieba keeps "\r\n" as one token: not paragraph-separable, segment directly
            return tok._cut(text)
        table = self._table(tok)
        out: list[str] = []
        first = True
        for para in text.split("\n"):
            if not first:
                out.append("\n")
            first = False
            if not para:
                continue
            lengths = table.get(para)
            if lengths is None:
                self.misses += 1
                toks = tok._cut(para)
                table[para] = token_lengths(toks)
                out.extend(toks)
            else:
                self.hits += 1
                out.extend(tokens_from_lengths(para, lengths))
        return out

    def add(self, text: str, lengths: Any, tok: "Tokenizer") -> None:
        """Store a known segmentation of ``text`` (token lengths, e.g. from the disk cache) paragraph by paragraph."""
        table = self._table(tok)
        lengths = np.asarray(lengths)
        pos = 0
        start = 0
        first = 0  # index of the paragraph's first token
        for i, n in enumerate(lengths.tolist()):
            if n == 1 and text[pos] == "\n":
                table.setdefault(text[start:pos], lengths[first:i])
                first = i + 1
                start = pos + 1
            pos += n
        table.setdefault(text[start:pos], lengths[first:])
        table.pop("", None)

    def __len__(self) -> int:
        return sum(len(t) for t in self._store.values())

    def __repr__(self) -> str:
        return f"SegmentationMemo({len(self)} paragraphs, {self.hits} hits, {self.misses} misses)"


def token_lengths(tokens: Sequence[str]) -> np.ndarray:
    """Token lengths in the smallest unsigned dtype that holds them (the segmentation's compact form)."""
    n = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    top = int(n.max()) if len(n) else 0
    dtype = np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32
    return n.astype(dtype)


def tokens_from_lengths(text: str, lengths: Any) -> list[str]:
    """Slice ``text`` into tokens of the given lengths (the inverse of :func:`token_lengths`)."""
    ends = np.cumsum(lengths, dtype=np.int64).tolist()
    return [text[a:b] for a, b in zip([0, *ends[:-1]], ends)]


_MEMO: SegmentationMemo | None = None


def active_memo() -> SegmentationMemo | None:
    """The memo of the enclosing :func:`segmentation_memo` block, or None."""
    return _MEMO


@contextmanager
def segmentation_memo(memo: SegmentationMemo | None = None):
    """Within the block, every :meth:`Tokenizer.cut` in this process segments a paragraph at most once.

    Yields the :class:`SegmentationMemo` (pass one in to keep it across blocks). Not for threads
    that segment different corpora at once: the memo is process-wide while active.
    """
    global _MEMO
    previous = _MEMO
    _MEMO = memo if memo is not None else SegmentationMemo()
    try:
        yield _MEMO
    finally:
        _MEMO = previous


class Tokenizer:
    """Segment Chinese text into words.

    Parameters
    ----------
    backend : "jieba" (default, precise mode) or "rjieba" (the Rust port, extra ``fast``).
    user_dict : True for the shipped domain dictionary, a path, a list of paths, or False.
    stopwords : drop words of the shipped stoplist (True), of a file (path), or keep all (False).
    keep_punct : keep punctuation and whitespace tokens (False drops them).
    hmm : let jieba guess unknown words with its HMM.
    """

    def __init__(
        self,
        backend: str = "jieba",
        user_dict: bool | str | list[str] = True,
        stopwords: bool | str = False,
        keep_punct: bool = False,
        hmm: bool = True,
    ):
        self.backend = backend
        self.user_dict = user_dict
        self.stopwords = stopwords
        self.keep_punct = keep_punct
        self.hmm = hmm

    def _dict_paths(self) -> tuple[str, ...]:
        if self.user_dict is True:
            return (default_user_dict(),)
        if not self.user_dict:
            return ()
        if isinstance(self.user_dict, str):
            return (self.user_dict,)
        return tuple(self.user_dict)

    def _engine(self) -> Callable[[str, bool], list[str]]:
        key = (self.backend, self._dict_paths())
        engine = _ENGINES.get(key)
        if engine is None:
            with _ENGINES_LOCK:
                engine = _ENGINES.get(key)
                if engine is None:
                    engine = _ENGINES[key] = _build_engine(*key)
        return engine

    def segmentation_key(self) -> tuple:
        """What determines :meth:`cut` (backend, user dictionaries, HMM); the filters do not."""
        return (self.backend, self._dict_paths(), bool(self.hmm))

    def filter(self, tokens: Iterable[str]) -> list[str]:
        """What :meth:`__call__` keeps of :meth:`cut`'s tokens: punctuation and stopwords per the settings."""
        stop = self._stopset()
        keep_punct = self.keep_punct
        return [t for t in tokens if (keep_punct or not is_punct(t)) and t not in stop]

    def _stopset(self) -> frozenset[str]:
        if self.stopwords is True:
            return load_stopwords()
        if isinstance(self.stopwords, str):
            return load_stopwords(self.stopwords)
        return frozenset()

    def cut(self, text: str) -> list[str]:
        """All tokens in order, punctuation and whitespace included; placeholders whole."""
        memo = _MEMO
        if memo is not None:
            return memo.cut(text, self)
        return self._cut(text)

    def _cut(self, text: str) -> list[str]:
        engine = self._engine()
        if not PLACEHOLDER.search(text):
            return engine(text, self.hmm)
        out: list[str] = []
        pos = 0
        for m in PLACEHOLDER.finditer(text):
            if m.start() > pos:
                out.extend(engine(text[pos : m.start()], self.hmm))
            out.append(m.group())
            pos = m.end()
        if pos < len(text):
            out.extend(engine(text[pos:], self.hmm))
        return out

    def __call__(self, text: str) -> list[str]:
        return self.filter(self.cut(text))

    _PARAMS = ("backend", "user_dict", "stopwords", "keep_punct", "hmm")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters (scikit-learn's protocol, so an estimator holding a
        Tokenizer can be cloned; ``deep`` is accepted and changes nothing: no parameter is an estimator)."""
        return {k: getattr(self, k) for k in self._PARAMS}

    def set_params(self, **params: Any) -> "Tokenizer":
        for k, v in params.items():
            if k not in self._PARAMS:
                raise ValueError(f"invalid parameter {k!r} for Tokenizer; valid: {', '.join(self._PARAMS)}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tokenizer) and self.get_params() == other.get_params()

    def __hash__(self) -> int:
        return hash(repr(self))

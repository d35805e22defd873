"""Part-of-speech tags of dictionary words: one table per process, shared by the miners and ``jieba.posseg``.

jieba keeps its tags in ``dict.txt`` ("word freq tag" lines). ``jieba.posseg`` parses the whole file
when it is imported (0.2–0.3 s), and the phrase miners need the same table as a plain mapping. Both
now take it from :func:`word_tags`, read once per process from a pickle in the temporary directory:
:func:`posseg` imports ``jieba.posseg`` without its own parse and hands it a copy of that table.
"""

from __future__ import annotations

import io
import logging
import os
from functools import lru_cache
from pathlib import Path
from types import ModuleType

__all__ = ["word_tags", "posseg"]


@lru_cache(maxsize=8)
def word_tags(user_dicts: tuple[str, ...] = ()) -> dict[str, str]:
    """Word -> part-of-speech tag from jieba's dictionary and the user dictionaries ("word freq tag" lines),
    later files overriding earlier ones. Read-only: the same dict is returned to every caller.

    jieba's own dictionary comes from :func:`_jieba_tags` (read once per process); the user
    dictionaries (a few thousand lines) are parsed into a copy of it.
    """
    base = _jieba_tags()
    if not user_dicts:
        return base
    tags = dict(base)
    for path in user_dicts:
        _parse_into(tags, path)
    return tags


@lru_cache(maxsize=1)
def _jieba_tags() -> dict[str, str]:
    """Word -> tag of jieba's ``dict.txt``. Parsing its 350,000 lines takes about a second; the table
    is kept in a pickle in the temporary directory (as jieba keeps its prefix dictionary), keyed by
    the file's path, size and mtime."""
    import hashlib
    import pickle
    import tempfile

    from .jieba_import import import_jieba

    jieba = import_jieba()

    path = _default_dict_path(jieba)
    try:
        st = os.stat(path)
        stamp = f"{os.path.abspath(path)}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = f"{path}:missing"
    key = hashlib.sha1(stamp.encode("utf-8")).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"gkcorpus-postags-{key}.pickle"
    try:
        with cache.open("rb") as fh:
            tags = pickle.load(fh)
        if isinstance(tags, dict):
            return tags
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    tags: dict[str, str] = {}
    _parse_into(tags, path)
    try:  # written whole, then renamed: a concurrent reader never sees half a table
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(tags, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass
    return tags


def _parse_into(tags: dict[str, str], path: str) -> None:
    """Add the tagged words of one dictionary file to ``tags`` (a missing file adds nothing)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3 and not parts[0].startswith("#"):
                    tags[parts[0]] = parts[2]
    except OSError:
        pass


def _default_dict_path(jieba: ModuleType) -> str:
    return os.path.join(os.path.dirname(jieba.__file__), "dict.txt")


def posseg() -> ModuleType:
    """``jieba.posseg``, imported with :func:`word_tags` as its word-tag table instead of parsing
    ``dict.txt`` a second time, its tokenizer (jieba's process-wide one) given the word frequencies this
    process has already read (:func:`~gkcorpus.text.tokenize.default_jieba_dictionary`) instead of
    reading jieba's cache again (0.2–0.5 s). When jieba's process-wide tokenizer reads another dictionary
    (set with ``jieba.set_dictionary``), or ``jieba.posseg`` is already imported, it is left as it is."""
    import sys

    from .jieba_import import import_jieba
    from .tokenize import share_default_dictionary

    jieba = import_jieba()

    jieba.setLogLevel(logging.WARNING)  # loading the dictionary is not news (as in gkcorpus.text.tokenize)
    if not jieba.dt.initialized:
        share_default_dictionary(jieba, jieba.Tokenizer())
    module = sys.modules.get("jieba.posseg")
    if module is not None:
        return module
    dt = jieba.dt
    if dt.dictionary is not jieba.DEFAULT_DICT or "get_dict_file" in vars(dt):
        import jieba.posseg as module

        return module
    dt.get_dict_file = lambda: io.BytesIO(b"")  # posseg's own parse of dict.txt reads nothing
    try:
        import jieba.posseg as module
    finally:
        del dt.get_dict_file
    module.dt.word_tag_tab = dict(_jieba_tags())  # a copy: posseg adds the words given to jieba.add_word
    return module

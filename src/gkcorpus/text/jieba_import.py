"""``jieba`` imported without ``pkg_resources``.

jieba finds its bundled data files (the HMM tables that ``jieba.finalseg`` loads when jieba is
imported, those of ``jieba.posseg``, the default dictionary) through setuptools'
``pkg_resources.resource_stream`` when ``pkg_resources`` can be imported, and otherwise opens them
by their path beside its own module. Importing ``pkg_resources`` scans every installed distribution
(0.1–0.15 s, each run, and a deprecation warning on recent setuptools); for a jieba installed as
plain files both ways read the same files. So, the first time, jieba is imported with
``pkg_resources`` hidden, unless something has imported it already.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType

__all__ = ["import_jieba"]


def import_jieba() -> ModuleType:
    """The ``jieba`` module, imported (the first time) without ``pkg_resources`` when jieba's files
    are on disk; as a plain ``import jieba`` otherwise (zipped, or ``pkg_resources`` loaded already)."""
    module = sys.modules.get("jieba")
    if module is not None:
        return module
    if "pkg_resources" in sys.modules or not _on_disk("jieba"):
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` raises ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _on_disk(name: str) -> bool:
    """Whether the package ``name`` is a folder of plain files (its data files can be opened by path)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    origin = spec.origin if spec is not None else None
    return bool(origin) and os.path.isfile(origin) and os.path.isfile(
        os.path.join(os.path.dirname(origin), "finalseg", "prob_start.p"))

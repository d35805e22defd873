"""Command-line options for running the per-document stages: segmenter, workers, executor, cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..runtime.cache import resolve_cache_dir
from ..runtime.executor import BACKENDS, PerDocumentExecutor
from . import UsageError

__all__ = ["add_parallel_args", "executor_from_args", "cache_dir_from_args"]


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
        raise UsageError(f"--workers must be at least 1, not {workers}")
    if backend == "auto":
        backend = "dask" if scheduler else "processes" if workers and workers > 1 else "serial"
    return PerDocumentExecutor(backend, workers=workers, scheduler=scheduler)


def cache_dir_from_args(args: Any, output_dir: str | Path | None = None) -> Path | None:
    """The segmentation cache directory the options ask for (None: no cache)."""
    if getattr(args, "no_cache", False):
        return None
    return resolve_cache_dir(getattr(args, "cache_dir", None) or True, output_dir)

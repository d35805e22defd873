"""One way to run a per-document function: in this process, on local processes, or on Dask.

:class:`PerDocumentExecutor` maps a function over items with ``backend="serial"`` (the reference),
``"processes"`` (``concurrent.futures`` over local cores) or ``"dask"`` (a ``dask.distributed``
``LocalCluster`` with ``workers`` processes, or a ``Client`` on a ``scheduler`` address). Results
come back in input order, so every backend gives the same output. At most a few chunks per worker
are in flight, so :meth:`PerDocumentExecutor.imap` streams: memory is bounded by the window, not
by the input.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Any, Callable, Iterable, Iterator

__all__ = ["BACKENDS", "PerDocumentExecutor", "run_per_document"]

BACKENDS = ("serial", "processes", "dask")


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

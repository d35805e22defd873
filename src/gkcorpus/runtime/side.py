"""Side work in one worker process while the caller goes on: the plots of a ``mine`` run.

Drawing the plots of a small corpus costs about as much CPU as mining it (matplotlib, a CJK font,
four PNGs: a second), and nothing else waits for them until the report embeds them. On a machine
with a second core, :class:`SideProcess` draws them there meanwhile. Calls run one after another in
a single ``concurrent.futures`` worker (the platform's start method, as
:class:`~gkcorpus.runtime.executor.PerDocumentExecutor`); :meth:`SideProcess.result` returns a
call's value and issues again, in the caller, the warnings the call raised in the worker, so they
are recorded as if the call had run in the caller's process. When no worker can be started, or it
dies, the calls run in the caller's process: same results, only later.

The worker is forked (Linux only, :func:`side_process_helps`): it starts with everything the caller
has imported and nothing of the caller's script is run again, as it would be with "spawn".
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import sys
import signal
import threading
import time
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Sequence

__all__ = ["SideProcess", "side_process_helps"]


def side_process_helps() -> bool:
    """Whether a side process can draw meanwhile: on Linux (forked workers) with two CPUs or more
    for this process (its affinity)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def _recording(fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> tuple[Any, list[tuple[type, str]]]:
    """``fn(*args, **kwargs)`` and the warnings it raised (category, message), every one of them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn(*args, **kwargs)
    return value, [(w.category, str(w.message)) for w in caught]


def _watch(parent: int, every: float = 0.2) -> None:
    """Worker set-up: signals are the caller's to handle (Ctrl-C reaches the whole process group;
    the caller stops the worker), and the worker ends when the caller has gone (killed), instead
    of waiting for calls forever with the caller's output streams open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="gkcorpus-side-watch", daemon=True).start()


def _import(modules: Sequence[str]) -> None:
    for name in modules:
        importlib.import_module(name)


class SideProcess:
    """One worker process for calls whose results are needed later (see the module docstring).

    ``preload``: modules the worker imports at once, while the caller prepares the first call.
    Use as a context manager, or call :meth:`close`: it waits for the call running, cancels the rest.
    """

    def __init__(self, preload: Sequence[str] = ()):
        self._calls: dict[Future, tuple[Callable[..., Any], tuple, dict[str, Any]]] = {}
        try:
            self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=_watch,
                initargs=(os.getpid(),))
            # The first call forks the worker. The objects alive then are frozen for it: its collector
            # would otherwise walk them, writing to every page that holds one, and the pages of the
            # caller's heap (a corpus of gigabytes) would be copied into the worker one by one.
            freeze = gc.get_freeze_count() == 0
            if freeze:
                gc.freeze()
            try:
                self._pool.submit(_import, tuple(preload))
            finally:
                if freeze:
                    gc.unfreeze()
        except (OSError, RuntimeError, ValueError, BrokenProcessPool):  # no fork, no processes (a sandbox)
            self._pool = None

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Start ``fn(*args, **kwargs)`` in the worker (``fn`` and the arguments must pickle)."""
        if self._pool is not None:
            try:
                future = self._pool.submit(_recording, fn, args, kwargs)
                self._calls[future] = (fn, args, kwargs)
                return future
            except (OSError, RuntimeError, BrokenProcessPool):
                self._pool = None
        done: Future = Future()
        done.set_result(_recording(fn, args, kwargs))
        return done

    def result(self, future: Future) -> Any:
        """The call's value (its exception, raised here), after issuing its warnings here in order."""
        try:
            value, caught = future.result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): run the call here
            fn, args, kwargs = self._calls[future]
            value, caught = _recording(fn, args, kwargs)
        finally:
            self._calls.pop(future, None)
        for category, message in caught:
            warnings.warn(message, category, stacklevel=2)
        return value

    def close(self) -> None:
        """Wait for the call running in the worker, cancel those not started, stop the worker."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._calls.clear()

    def __enter__(self) -> "SideProcess":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

"""A call in a child process forked for it, so that its scratch memory ends with the child.

A stage that makes and drops millions of small Python objects leaves the interpreter's small-object
arenas (pymalloc) pinned by the few objects it keeps, and the next stages carry them: at 10 M characters
the frame miner's candidates left 1.6 GB of arenas holding 80 MB of live objects. Run in a forked child,
the call reads the caller's data in place (copy-on-write), its scratch goes with the child, and only its
value comes back, pickled, allocated anew and compact in the caller. Linux only (fork); elsewhere, or when
no child can be forked, the call runs in the caller's process: same value.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import warnings
from typing import Any, Callable

__all__ = ["isolated_call", "isolation_available"]


def isolation_available() -> bool:
    """Whether :func:`isolated_call` forks (Linux with ``os.fork``)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _child(fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any], parent: int, w: int) -> None:
    """In the forked child: run the call, write ``(ok, value or exception)`` pickled to ``w``, exit."""
    from .side import _recording, _watch

    code = 0
    try:
        _watch(parent)  # Ctrl-C is the caller's to handle; the child ends when the caller has gone
        try:
            out: tuple[bool, Any] = (True, _recording(fn, args, kwargs))
        except BaseException as e:  # noqa: BLE001  (raised again in the caller)
            out = (False, e)
        try:
            data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # noqa: BLE001  (an exception or a value that does not pickle)
            data = pickle.dumps((False, RuntimeError(f"{getattr(fn, '__name__', fn)}: {type(e).__name__}: {e}")))
        with os.fdopen(w, "wb") as fh:
            fh.write(data)
    except BaseException:  # noqa: BLE001  (the caller sees no value and runs the call itself)
        code = 1
    finally:
        os._exit(code)  # never the caller's clean-up: its finally blocks, atexit handlers, buffered output


def isolated_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` run in a forked child; its value (which must pickle) returned here, its
    exception raised here, its warnings issued here in order. The objects alive at the fork are frozen
    for the child (``gc.freeze``), so that its collections do not copy the caller's heap page by page.
    When the child cannot be forked or dies without a value (killed, out of memory), the call runs here."""
    if not isolation_available():
        return fn(*args, **kwargs)
    r, w = os.pipe()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        os.close(r)
        _child(fn, args, kwargs, os.getppid(), w)
    if freeze:
        gc.unfreeze()
    os.close(w)
    if pid < 0:
        os.close(r)
        return fn(*args, **kwargs)
    try:
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
        os.waitpid(pid, 0)
    except BaseException:  # Ctrl-C while the child runs: stop it
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
        raise
    if not data:
        return fn(*args, **kwargs)
    ok, out = pickle.loads(data)
    if not ok:
        raise out
    value, caught = out
    for category, message in caught:
        warnings.warn(message, category, stacklevel=2)
    return value

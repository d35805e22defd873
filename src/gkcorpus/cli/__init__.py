"""The ``gkcorpus`` command line: a thin face over the library.

Each command lives in its own module under ``gkcorpus.cli`` and exposes ``register(subparsers)``;
the module is imported only when present, so commands are added without touching this file's logic.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from typing import Sequence

from ..base.export import ExportError
from ..base.io import LoadError
from .errors import UsageError

# Command modules in the order they appear in --help.
COMMANDS = ("info", "clean", "kwic", "cluster", "phrases", "reuse", "keyness", "templates", "trends", "mine", "datasets")


def version_line() -> str:
    """``gkcorpus X (jieba Y, scikit-learn Z, numpy W)``: the versions that decide the results."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    deps = []
    for dist in ("jieba", "scikit-learn", "numpy"):
        try:
            deps.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            deps.append(f"{dist} missing")
    return f"gkcorpus {__version__} ({', '.join(deps)})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gkcorpus",
        description="Mine the formulaic layer of Chinese government writing. "
        "With no PATH, every command works on the bundled fifteen 政务公开活动总结.",
    )
    parser.add_argument("--version", action="version", version=version_line())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        modname = f"{__name__}.{name}_cmd"
        if importlib.util.find_spec(modname) is None:
            continue
        importlib.import_module(modname).register(sub)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that temporary files are removed on the way out."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


INTERRUPTED, TERMINATED = 130, 143  # the exit statuses of a run ended by Ctrl-C and by SIGTERM (128 + signal)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit status (0 ok, 1 error in the input or output, 2 usage, 130 interrupted,
    143 terminated).

    While the command runs, SIGTERM raises :class:`Terminated` (temporary files are removed on the way
    out); called with ``argv``, the caller's SIGTERM handler is back on return.

    Run as the program (``argv`` None: the arguments are ``sys.argv``), the process ends right after:
    the objects still alive are then frozen (:func:`gc.freeze`), so that the collections at
    interpreter shutdown do not walk them all once more (a third of a second after ``mine``)."""
    try:
        return _main(argv)
    except KeyboardInterrupt as e:  # outside the command's own handler: while the arguments are read
        return _interrupted(e)
    finally:
        if argv is None:
            import gc

            gc.freeze()


def program() -> None:
    """The ``gkcorpus`` command (and ``python -m gkcorpus``): :func:`main`, then exit with its status.
    Once the status is decided, Ctrl-C and SIGTERM are ignored: every file is complete, and a signal
    during the interpreter's shutdown (which restores the default handlers) would otherwise end the
    process by the signal instead of with that status. An interrupted command ends the process at once
    (:func:`_end_now`). Only for the process's own end: called from a session that goes on (``runpy`` in
    a REPL), it leaves the two signals ignored there; a session calls :func:`main`."""
    code: int | None = None
    try:
        code = main()
    except KeyboardInterrupt as e:
        code = _interrupted(e)
    finally:
        code = _ignore_signals(code)
    if code == INTERRUPTED:
        _end_now(code)
    sys.exit(code)


def _end_now(code: int) -> None:
    """End the process at once with ``code``, the standard streams flushed. CPython ends a process
    started with ``python -m`` by SIGINT itself at its exit, whatever the status it exits with, when a
    Ctrl-C has passed out of code that an extension ran with ``PyRun_String`` (a flag the interpreter
    keeps); an interrupted run has removed its temporary files and stopped its workers by then."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _ignore_signals(code: int | None) -> int | None:
    """Ignore Ctrl-C and SIGTERM from here to the process's end, and return the exit status. A signal
    that arrives in the instants before they are ignored ends a command whose status was not decided
    yet (``code`` None) as interrupted; it never escapes as a traceback and a death by the signal."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return code
    while True:
        try:
            for name in ("SIGINT", "SIGTERM"):
                if hasattr(signal, name):
                    signal.signal(getattr(signal, name), signal.SIG_IGN)
            return code
        except KeyboardInterrupt as e:
            if code is None:
                code = _interrupted(e)


def _interrupted(e: KeyboardInterrupt) -> int:
    what = "terminated" if isinstance(e, Terminated) else "interrupted"
    print(f"gkcorpus: {what}; files already written are complete, none is half-written", file=sys.stderr)
    return TERMINATED if isinstance(e, Terminated) else INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    import signal
    import threading

    parser = build_parser()
    args = parser.parse_args(argv)
    # SIGTERM raises Terminated while the command runs. Called with ``argv`` in a session that goes on
    # (a notebook, a test), the session's own handler is back on return, so that processes it forks
    # later (a multiprocessing pool) end on SIGTERM as they expect instead of raising; with ``argv``
    # None (the program), the handler stays until program() ignores the signal.
    is_main = threading.current_thread() is threading.main_thread()
    restore = is_main and argv is not None
    previous = None
    try:
        if is_main:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        from ._common import check_output_not_input

        check_output_not_input(args)
        return int(args.func(args) or 0)
    except (LoadError, ExportError, UsageError) as e:
        print(f"gkcorpus: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            return 0
        # Anything the writers did not name themselves (a full disk in a third-party writer …): one line.
        where = f"{e.filename}: " if e.filename else ""
        print(f"gkcorpus: error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        return _interrupted(e)
    except BrokenPipeError:
        return 0
    except Exception as e:  # an interrupt wrapped by the code it hit (Python 3.11 wraps one raised in __set_name__)
        cause = _interrupt_in_chain(e)
        if cause is None:
            raise
        return _interrupted(cause)
    finally:
        if restore:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _interrupt_in_chain(e: BaseException) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt (Ctrl-C, or SIGTERM as :class:`Terminated`) that ``e`` was raised from, if any."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, KeyboardInterrupt):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


if __name__ == "__main__":  # pragma: no cover
    program()

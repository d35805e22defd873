"""An output folder that always holds one complete run: write beside it, then swap.

A run writes into a fresh hidden sibling folder (``.NAME.xxxx.gkrun``); when every file is
written, the sibling and the output folder are exchanged in one step (``renameat2`` with
``RENAME_EXCHANGE`` on Linux; elsewhere two renames) and the previous run is deleted. A run
that fails or is killed leaves the previous folder as it was. Entries of the output folder that
a run does not write (the segmentation cache, a user's own files) are carried over to the new one.
The next run removes the hidden siblings of killed runs, carrying over what they hold of that kind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from .export import ExportError, ensure_dir

__all__ = ["start_run", "finish_run", "abandon_run"]

_SUFFIX = ".gkrun"


def _siblings(final: Path) -> list[Path]:
    prefix = f".{final.name}."
    return sorted(p for p in final.parent.glob(f"{prefix}*{_SUFFIX}") if p.is_dir() and not p.is_symlink())


def _carry_over(src: Path, dst: Path, owned: Iterable[str]) -> None:
    """Move the entries of ``src`` that a run does not write (and ``dst`` lacks) into ``dst``."""
    owned = set(owned)
    for entry in sorted(os.listdir(src)):
        if entry in owned or (entry.startswith(".") and entry.endswith(".tmp")):
            continue
        if not os.path.lexists(dst / entry):
            os.replace(src / entry, dst / entry)


def _remove_stale(final: Path, owned: Iterable[str]) -> None:
    """Delete siblings left by killed runs (keeping what they carried), and stale temporary files in ``final``."""
    for stale in _siblings(final):
        with contextlib.suppress(OSError):
            _carry_over(stale, final, owned)
        shutil.rmtree(stale, ignore_errors=True)
    for tmp in final.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.is_file():
                tmp.unlink()


def start_run(out_dir: str | Path, owned: Iterable[str]) -> Path:
    """Create the output folder if needed and return the fresh folder to write this run into.

    ``owned``: the top-level names a run writes (the rest of the folder is carried over). When no
    sibling can be made (an unwritable parent, a mount point), the run writes into ``out_dir`` itself.
    """
    final = ensure_dir(out_dir)
    owned = list(owned)
    here = Path(os.path.abspath(final))
    _remove_stale(here, owned)
    if os.path.ismount(here) or here.is_symlink() or Path.cwd().resolve().is_relative_to(here.resolve()):
        return final  # a mount point cannot be renamed; the working folder should not move under the shell
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{here.name}.", suffix=_SUFFIX, dir=here.parent))
    except OSError:
        return final
    os.chmod(tmp, stat.S_IMODE(os.stat(final).st_mode))
    return tmp


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def finish_run(run_dir: Path, out_dir: str | Path, owned: Iterable[str]) -> None:
    """Put the complete run in ``run_dir`` in place of ``out_dir``, keeping what the run does not own."""
    if run_dir == Path(out_dir):
        return
    final = Path(os.path.abspath(out_dir))
    old = run_dir  # after an exchange, the run's folder holds the previous run
    try:
        if not _exchange(run_dir, final):
            old = run_dir.with_name(run_dir.name[: -len(_SUFFIX)] + "-old" + _SUFFIX)
            os.replace(final, old)
            os.replace(run_dir, final)
        _carry_over(old, final, owned)
    except OSError as e:
        raise ExportError(f"{final}: cannot put the new run in place ({e.strerror or e})") from None
    shutil.rmtree(old, ignore_errors=True)


def abandon_run(run_dir: Path, out_dir: str | Path) -> None:
    """Delete a run that did not finish (the output folder keeps the previous run)."""
    if run_dir != Path(out_dir):
        shutil.rmtree(run_dir, ignore_errors=True)

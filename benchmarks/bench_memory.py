"""What holds the memory of ``gkcorpus mine``: the live objects by holder at the end of every stage.

    python benchmarks/bench_memory.py /tmp/gkcorpus-bench/gwr_scale_2500k.jsonl [--depth 2] [--json OUT]

Runs ``gkcorpus mine FILE -o TMP --no-cache`` in this process and, after each stage (once the stage's
garbage is collected and freed heap returned), measures the objects reachable from each holder: the
corpus, the segmentation memo, and each field of the run's result (``clustering``, ``boilerplate``,
``miner``, ``frames``, ``extractions``, …), down to ``--depth`` levels of attributes. An object reachable
from two holders is counted once, in the first (the order above). Sizes are ``sys.getsizeof`` of every
object reached plus the buffers of numpy arrays (a view counts its base once); modules, classes and
functions are not followed. Also prints the resident memory (RSS) at the end of the stage and its peak
during the stage (sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import threading
import types
from pathlib import Path
from typing import Any

import numpy as np

MB = 1e6
_SKIP = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
         types.CodeType, types.FrameType)


def deep_size(obj: Any, seen: set[int]) -> int:
    """Bytes reachable from ``obj`` that are not in ``seen`` (updated)."""
    total, stack = 0, [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, _SKIP):
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            if o.base is not None:
                total += sys.getsizeof(o)  # the header; the buffer is the base's
                stack.append(o.base)
            else:
                total += max(sys.getsizeof(o), o.nbytes)
            if o.dtype == object:
                stack.extend(o.ravel().tolist())
            continue
        total += sys.getsizeof(o)
        stack.extend(gc.get_referents(o))
    return total


def _children(obj: Any) -> list[tuple[str, Any]]:
    """(name, value) of an object's attributes, a dict's items or nothing."""
    if isinstance(obj, dict):
        return [(repr(k)[:40], v) for k, v in obj.items()]
    if hasattr(obj, "__dict__") and not isinstance(obj, _SKIP):
        return list(vars(obj).items())
    slots = [s for c in type(obj).__mro__ for s in getattr(c, "__slots__", ())]
    return [(s, getattr(obj, s)) for s in slots if hasattr(obj, s)]


def holders(named: list[tuple[str, Any]], depth: int, seen: set[int]) -> list[tuple[str, int]]:
    """``(dotted name, bytes)`` for every holder and its attributes down to ``depth`` (shared objects once;
    ``seen``: the ids measured, updated)."""
    out: list[tuple[str, int]] = []

    def walk(name: str, obj: Any, level: int) -> int:
        if id(obj) in seen:
            return 0
        kids = _children(obj) if level < depth else []
        if not kids:
            n = deep_size(obj, seen)
        else:
            seen.add(id(obj))
            n = sum(walk(f"{name}.{k}", v, level + 1) for k, v in kids)
            seen.discard(id(obj))
            n += deep_size(obj, seen)  # the object itself and what its attributes did not reach
        out.append((name, n))
        return n

    for name, obj in named:
        walk(name, obj, 0)
    return out


def other_objects(counted: set[int]) -> dict[str, int]:
    """Bytes of the live objects no holder reaches, by the type (module.name) of the tracked object
    that first reaches them (``counted``: ids already measured, as :func:`holders` leaves its set)."""
    seen = set(counted)
    seen |= {id(seen), id(counted)}
    out: dict[str, int] = {}
    for o in gc.get_objects():
        if id(o) in seen:
            continue
        n = deep_size(o, seen)
        if n:
            t = type(o)
            key = f"{t.__module__}.{t.__qualname__}"
            out[key] = out.get(key, 0) + n
    return out


def allocators() -> dict[str, float]:
    """MB held by the allocators: pymalloc's arenas and the bytes of their blocks in use
    (``sys._debugmallocstats``), glibc's heap in use / free and its mmapped chunks (``mallinfo2``)."""
    import ctypes
    import re

    out: dict[str, float] = {}
    with tempfile.TemporaryFile() as fh:
        sys.stderr.flush()
        fd = os.dup(2)
        os.dup2(fh.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(fd, 2)
            os.close(fd)
        fh.seek(0)
        text = fh.read().decode(errors="replace")
    for key, pat in (("pymalloc arenas", r"arenas \* \d+ bytes/arena\s*=\s*([\d,]+)"),
                     ("pymalloc in use", r"bytes in allocated blocks\s*=\s*([\d,]+)")):
        m = re.search(pat, text)
        if m:
            out[key] = int(m.group(1).replace(",", "")) / MB

    class Info(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                    "fsmblks", "uordblks", "fordblks", "keepcost")]
    try:
        f = ctypes.CDLL("libc.so.6").mallinfo2
        f.restype = Info
        i = f()
        out.update({"glibc heap in use": i.uordblks / MB, "glibc heap free": i.fordblks / MB,
                    "glibc mmapped": i.hblkhd / MB})
    except (OSError, AttributeError):
        pass
    return out


def rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--min-mb", type=float, default=5.0, help="list holders from this size")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--large", action="store_true",
                    help="run as on a large corpus whatever its size (RELEASE_MIN_CHARS = 0: memory released between "
                         "stages, the templates stage in a forked child)")
    args = ap.parse_args(argv)

    import gkcorpus.app.pipeline as pipeline
    from gkcorpus.cli import main as cli
    from gkcorpus.text import tokenize

    if args.large:
        pipeline.RELEASE_MIN_CHARS = 0
    state: dict[str, Any] = {"stage": "load"}
    peaks: dict[str, int] = {}
    report: dict[str, Any] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peaks[state["stage"]] = max(peaks.get(state["stage"], 0), rss_kb())

    inner = pipeline._mine

    def _mine(corpus, *a, **k):
        state["corpus"] = corpus
        return inner(corpus, *a, **k)

    run = pipeline._Stages.run

    def measured(self, name, fn):
        state["stage"] = name
        value = run(self, name, fn)
        state["stage"] = "measuring"  # the walk's own memory is no stage's
        pipeline.release_memory()
        after = rss_kb()  # before the walk, which allocates a set of every object id
        alloc = allocators()
        res = self.res
        named = [("corpus", state["corpus"]), ("memo", tokenize.active_memo())]
        named += [(f"res.{k}", v) for k, v in vars(res).items() if k not in ("out_dir", "files", "timings")]
        seen: set[int] = set()
        seen |= {id(seen), id(named), id(report), id(peaks), id(state)}
        found = holders(named, args.depth, seen)
        rest = other_objects(seen)
        report[name] = {"rss_mb": after * 1024 / MB, "peak_mb": peaks.get(name, 0) * 1024 / MB,
                        "holders": {n: b / MB for n, b in found}}
        print(f"\n== {name}: {res.timings.get(name, 0):.1f} s, peak {peaks.get(name, 0) * 1024 / MB:,.0f} MB, "
              f"RSS after {after * 1024 / MB:,.0f} MB, counted {sum(b for n, b in found if '.' not in n.split('res.', 1)[-1]) / MB:,.0f} MB",
              file=sys.stderr, flush=True)
        for n, b in found:
            if b >= args.min_mb * MB:
                print(f"  {n:<60} {b / MB:>9,.1f}", file=sys.stderr, flush=True)
        print(f"  other live objects, by the type of the first object reaching them: "
              f"{sum(rest.values()) / MB:,.0f} MB", file=sys.stderr, flush=True)
        for n, b in sorted(rest.items(), key=lambda kv: -kv[1])[:8]:
            print(f"    {n:<58} {b / MB:>9,.1f}", file=sys.stderr, flush=True)
        report[name]["other"] = {n: b / MB for n, b in rest.items() if b >= MB}
        report[name]["allocators"] = alloc
        print("  " + ", ".join(f"{k} {v:,.0f} MB" for k, v in alloc.items()), file=sys.stderr, flush=True)
        return value

    pipeline._mine = _mine
    pipeline._Stages.run = measured
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory() as tmp:
        rc = cli(["mine", args.path, "-o", str(Path(tmp) / "out"), "--no-cache"])
    done.set()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return rc


if __name__ == "__main__":
    sys.exit(main())

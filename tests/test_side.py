"""The side process of ``mine``: results and warnings come back as if the calls had run in place."""

from __future__ import annotations

import os
import warnings

import pytest

from gkcorpus.app.pipeline import MineResult, _Stages
from gkcorpus.runtime.side import SideProcess


def _warn(message: str, value: int) -> tuple[int, int]:
    warnings.warn(message, UserWarning)
    return value * 2, os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _die_elsewhere(pid: int) -> str:
    if os.getpid() != pid:
        os._exit(3)
    return "ran here"


def test_calls_run_in_another_process_and_their_warnings_come_back_in_order():
    with SideProcess(preload=("json",)) as side:
        first, second = side.submit(_warn, "one", 4), side.submit(_warn, "two", 5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            (a, pid_a), (b, pid_b) = side.result(first), side.result(second)
    assert (a, b) == (8, 10)
    assert pid_a == pid_b != os.getpid()
    assert [(w.category, str(w.message)) for w in caught] == [(UserWarning, "one"), (UserWarning, "two")]


def test_an_error_in_a_call_is_raised_by_result():
    with SideProcess() as side:
        future = side.submit(_fail, "bad plot")
        with pytest.raises(ValueError, match="^bad plot$"):
            side.result(future)


def test_a_call_whose_worker_dies_runs_here():
    with SideProcess() as side:
        assert side.result(side.submit(_die_elsewhere, os.getpid())) == "ran here"


def test_plot_warnings_are_recorded_where_their_stage_would_have_recorded_them():
    """Stage "a" warns and draws a plot that warns "p"; stage "b" warns "b" and "p" again: the
    result lists a, p, b, as when the plot is drawn inside stage "a"."""
    for side in (None, SideProcess()):
        res = MineResult(out_dir=None)
        stages = _Stages(res, progress=False, log=None, side=side)

        def stage_a() -> list:
            warnings.warn("a", UserWarning)
            return stages.draw([(_warn, ("p", 1), {})])

        def stage_b() -> list:
            warnings.warn("b", UserWarning)
            warnings.warn("p", UserWarning)
            return []

        drawn = stages.run("a", stage_a)
        stages.run("b", stage_b)
        stages.take_drawn()
        stages.close()
        assert res.warnings == ["a", "p", "b"]
        assert [x for x, _ in drawn + res.files] == [2]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two CPUs and CPU affinity")
def test_no_side_process_with_one_cpu():
    import subprocess
    import sys

    code = ("import os; from gkcorpus.runtime.side import side_process_helps as h; a = h(); "
            "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); print(a, h())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]

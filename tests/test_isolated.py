"""A call in a forked child: its value, exception and warnings come back; its allocations do not."""

import os
import warnings

import pytest

from gkcorpus.runtime.isolated import isolated_call, isolation_available

pytestmark = pytest.mark.skipif(not isolation_available(), reason="needs fork (Linux)")

STATE = {"calls": 0}


def _count_and_pid(n):
    STATE["calls"] += 1  # in the child's copy of the module
    return {"pid": os.getpid(), "squares": [i * i for i in range(n)], "calls": STATE["calls"]}


def _warn_then(value):
    warnings.warn("first", UserWarning)
    warnings.warn("second", RuntimeWarning)
    return value


def _fail():
    raise ValueError("no frames in 公报")


def test_value_comes_back_from_another_process():
    out = isolated_call(_count_and_pid, 5)
    assert out["squares"] == [0, 1, 4, 9, 16] and out["calls"] == 1
    assert out["pid"] != os.getpid()
    assert STATE["calls"] == 0  # the caller's state is untouched


def test_keyword_arguments_and_shared_objects_keep_their_identity():
    text = "政府工作报告"
    a, b = isolated_call(lambda s, *, times: [s * times] * 2, text, times=2)
    assert a == "政府工作报告政府工作报告" and a is b


def test_warnings_are_issued_in_the_caller_in_order():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert isolated_call(_warn_then, 7) == 7
    assert [(w.category, str(w.message)) for w in caught] == [(UserWarning, "first"), (RuntimeWarning, "second")]


def test_exception_is_raised_in_the_caller():
    with pytest.raises(ValueError, match="no frames in 公报"):
        isolated_call(_fail)


def test_a_value_that_does_not_pickle_is_an_error_naming_the_call():
    with pytest.raises(RuntimeError, match="<lambda>: .*"):
        isolated_call(lambda: (x for x in range(3)))

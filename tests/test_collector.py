"""The garbage collector's thresholds are raised for a run and restored after it."""

from __future__ import annotations

import gc

from gkcorpus.runtime.collector import YOUNG, fewer_collections


def test_thresholds_raised_within_and_restored_after():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == (YOUNG, 20, 10)
            with fewer_collections(young=5_000, middle=50):  # nested: never lowered
                assert gc.get_threshold() == (YOUNG, 50, 10)
            assert gc.get_threshold() == (YOUNG, 20, 10)
        assert gc.get_threshold() == (700, 10, 10)
        try:
            with fewer_collections():
                raise KeyError("x")
        except KeyError:
            pass
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_mine_runs_with_fewer_collections(tmp_path, monkeypatch):
    import gkcorpus
    import gkcorpus.app.pipeline as pipeline

    seen = []
    real = pipeline._mine

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_mine", spy)
    before = gc.get_threshold()
    corpus = gkcorpus.load_bundled()
    corpus = gkcorpus.Corpus(corpus.documents[:3])
    pipeline.mine(corpus, tmp_path / "out", plots=False, report=False, formats=("json",))
    assert seen == [max(YOUNG, before[0])] and gc.get_threshold() == before

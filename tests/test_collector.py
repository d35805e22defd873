"""The garbage collector's thresholds are raised for a run and restored after it; a paused block's
results join the oldest generation."""

from __future__ import annotations

import gc

from gkcorpus.base.collector import YOUNG, fewer_collections, paused_collection


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


def test_paused_block_moves_its_survivors_to_the_oldest_generation():
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with paused_collection():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)}
    old = {id(o) for o in gc.get_objects(generation=2)}
    assert id(kept) in old and sum(id(x) in old for x in kept) == 1000 and not young & {id(x) for x in kept}


def test_paused_block_leaves_frozen_objects_and_a_disabled_collector_alone():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_collection():
            made = [[1], [2]]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        assert id(made) not in {id(o) for o in gc.get_objects(generation=2)}
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        with paused_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


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

"""Offset maps: applying edits and composing maps keeps every character traceable."""

from __future__ import annotations

import numpy as np
from hypothesis import given, strategies as st

from gkcorpus.base.edits import Edit, OffsetMap, apply_edits


def test_apply_edits_delete_replace_insert():
    text = "公開(kāi)活動"
    new, m = apply_edits(text, [Edit(2, 7, ""), Edit(7, 8, "活"), Edit(9, 9, "了")])
    assert new == "公開活動了"
    assert [m.span(i, i + 1) for i in range(len(new))] == [(0, 1), (1, 2), (7, 8), (8, 9), (9, 9)]
    assert m.span(0, 4) == (0, 9)


def test_unequal_replacement_maps_to_whole_span():
    new, m = apply_edits("ab;顒cd", [Edit(2, 4, "。活")])  # same length: character to character
    assert new == "ab。活cd"
    assert m.span(2, 3) == (2, 3) and m.span(3, 4) == (3, 4)
    new, m = apply_edits("ab真?zhèn)鬟_cd", [Edit(2, 11, "真傳達")])
    assert new == "ab真傳達cd"
    assert m.span(3, 4) == (2, 11) and m.span(5, 6) == (11, 12)


def test_overlapping_edits_are_refused():
    import pytest

    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(1, 3, ""), Edit(2, 4, "")])


def test_compose_two_steps():
    raw = "開(kāi)展,工作"
    s1, m1 = apply_edits(raw, [Edit(1, 6, "")])
    s2, m2 = apply_edits(s1, [Edit(2, 3, "，")])
    total = m1.then(m2)
    assert s2 == "開展，工作"
    assert [raw[slice(*total.span(i, i + 1))] for i in range(len(s2))] == ["開", "展", ",", "工", "作"]


def test_roundtrip_lists():
    _, m = apply_edits("abcdef", [Edit(1, 2, "XY")])
    assert OffsetMap.from_lists(m.to_lists()) == m


@given(st.text(alphabet="ab(x)，,。", max_size=40), st.data())
def test_random_deletions_keep_kept_chars_traceable(text, data):
    # delete a random set of non-overlapping single characters; every kept char maps to itself
    idx = sorted(data.draw(st.sets(st.integers(0, max(0, len(text) - 1)), max_size=len(text))) if text else [])
    new, m = apply_edits(text, [Edit(i, i + 1, "") for i in idx])
    kept = [i for i in range(len(text)) if i not in set(idx)]
    assert new == "".join(text[i] for i in kept)
    assert list(m.starts) == kept
    assert np.all(m.ends == m.starts + 1)

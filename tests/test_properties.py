"""Property tests across stages: clean→raw offsets point at the same characters.

(Cleaner idempotence and no-loss: tests/test_clean.py; sentences tiling paragraphs:
tests/test_structure.py; template match→fill round trip: tests/test_templates.py.)
"""

from __future__ import annotations

import re

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcorpus.text.clean.cleaner import Cleaner

FW = dict(zip(",;:?!()", "，；：？！（）"))
FW_ALNUM = {chr(0xFF10 + i): str(i) for i in range(10)} | {"．": "."}
T2S = opencc.OpenCC("tw2s")

PIECES = st.sampled_from([
    "公開(kāi)", "動(dòng)", "的'", "的`", "5.15", "4.2萬", "1.", "(一)", "(20xx)", "XX", ",", ";", ":", "?", "!",
    "。", "，", "\n", " ", "　　", "隨著", "著眼於", "群眾", "１９９０年", "<U+00A0>", "<!-- x -->", "&nbsp;", "<p>",
    "當前位置：首頁", "政務公開工作", "ABC", "😀",
])
TEXT = st.text(alphabet="政務公開活動總結的是在和了與為對工作群眾本著一二三年月日xX0123456789 .,;?!()'`\n", max_size=8)


def same_char(clean_ch: str, raw_piece: str) -> bool:
    """The clean character is what its raw span says, up to the documented normalisations."""
    if raw_piece == clean_ch:
        return True
    if len(raw_piece) == 1 and (FW.get(raw_piece) == clean_ch or FW_ALNUM.get(raw_piece) == clean_ch):
        return True
    if clean_ch in " \n":
        # a whitespace run (with <U+00A0>, &nbsp; or block tags in it) became one space or newline
        return not re.sub(r"<[^<>]*>|&\w+;", "", raw_piece).strip()
    return T2S.convert(raw_piece) == clean_ch


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, TEXT), max_size=14).map("".join))
def test_offsets_point_at_the_same_characters(raw):
    out = Cleaner().clean(raw)
    repaired = out.report.step("mojibake").positions
    for i, ch in enumerate(out.text):
        a, b = out.offsets.span(i, i + 1)
        assert 0 <= a <= b <= len(raw)
        if any(s < b and a < e for s, e in repaired):
            continue
        assert same_char(ch, raw[a:b]), (raw, i, ch, raw[a:b])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(PIECES, TEXT), max_size=10).map("".join))
def test_spans_are_monotone(raw):
    out = Cleaner().clean(raw)
    starts = list(out.offsets.starts)
    assert starts == sorted(starts)

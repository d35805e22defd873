"""Tests of gkcorpus.text.clean.cleaner: the seed page's measured damage, synthetic corruption, invariants."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcorpus.text.clean.cleaner import Cleaner, _opencc, clean
from gkcorpus.text.clean.mojibake import load_gloss_table
from gkcorpus.text.clean.report import CleaningReport

from mojibake_damage import _corrupt  # tests/mojibake_damage.py
from seed_page import RAW_PATH, doc_of, raw, result  # noqa: F401  (module fixtures; tests/seed_page.py)

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
GLOSS = re.compile(rf"[(（?][a-zü{TONED}]*[{TONED}][a-zü{TONED}]*[)）]")
HAN = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- the seed page


def test_no_gloss_remains(result):
    assert not GLOSS.search(result.text)
    assert not re.search(f"[{TONED}]", result.text)


def test_lost_digit_is_reported(raw, result):
    (lost,) = result.report.lost
    assert result.text[lost.start : lost.end] == "□" == lost.marker
    assert "咨询群众□0余人次" in lost.context
    assert raw[lost.raw_start : lost.raw_end] == "?nèi)罕?"
    assert doc_of(raw, lost.raw_start) == 6


def test_watermarks(raw, result):
    step = result.report.step("watermark")
    assert step.kinds == {"'": 5, "`": 8, ".": 2}
    for s, e in step.positions:
        assert raw[s - 1] == "的" and raw[s:e] in ("'", "`", ".")
    assert not re.search(r"的['`.]", result.text)
    for keep in ("5.15", "4.2万", "9-10月", "11-12月"):
        assert keep in result.text


def test_script_tw2s(result):
    for word in ("本着便民利民", "着眼于建立"):
        assert word in result.text
    assert "著" not in result.text
    assert clean("隨著改革深入，本著節約原則，著眼於長遠").text == "随着改革深入，本着节约原则，着眼于长远"


def test_punctuation_and_paragraphs(result):
    text = result.text
    for line in text.split("\n"):
        assert line and line == line.strip()
    assert "\n\n" not in text
    assert not re.search(r"[,;:?!()]", re.sub(r"\d[,:]\d", "", text))
    assert "；" in text and "：" in text and "（" in text
    assert clean("1.总结如下:一是,二是(8月)\n2.共5.15万").text == "1.总结如下：一是，二是（8月）\n2.共5.15万"


def test_placeholders(result):
    spans = result.report.placeholders
    assert {t for _, _, t in spans} == {"XX", "xx", "20xx", "xxxx"}
    for s, e, t in spans:
        assert result.text[s:e] == t
    expected = len(re.findall(r"20xx|xxxx|xx|XX", result.text))
    assert len(spans) == expected


def test_offsets_trace_back_to_raw(raw, result):
    text, omap = result.text, result.offsets
    assert len(omap) == len(text) and omap.source_len == len(raw)
    windows = result.report.step("mojibake").positions
    t2s = _opencc("tw2s").convert
    checked = 0
    for i, c in enumerate(text):
        if not HAN.match(c):
            continue
        s, e = omap.span(i, i + 1)
        if any(ws <= s and e <= we for ws, we in windows):
            continue
        assert c in t2s(raw[s:e]) or c in raw[s:e], (i, c, raw[s:e])  # 那么: tw2s(么) alone is 幺
        checked += 1
    assert checked > 13000
    # repaired characters map into the garbled window they came from
    for ws, we in windows:
        inside = [i for i in range(len(text)) if ws <= omap.starts[i] and omap.ends[i] <= we]
        assert inside


def test_no_han_char_dropped(raw, result):
    """Every raw Han char outside glosses, watermarks and repaired garble reaches the clean text."""
    covered = np.zeros(len(raw) + 1, dtype=bool)
    for s, e in zip(result.offsets.starts, result.offsets.ends):
        covered[s:e] = True
    removed = np.zeros(len(raw) + 1, dtype=bool)
    for name in ("pinyin", "watermark", "mojibake"):
        for s, e in result.report.step(name).positions:
            removed[s:e] = True
    missing = [j for j, c in enumerate(raw) if HAN.match(c) and not covered[j] and not removed[j]]
    assert missing == []


def test_idempotent_on_seed(result):
    again = clean(result.text)
    assert again.text == result.text
    assert again.report.counts()["mojibake"] == 0


def test_report_roundtrip(result):
    d = result.report.to_dict()
    back = CleaningReport.from_dict(d)
    assert back.to_dict() == d
    assert back.counts() == result.report.counts()


def test_repaired_page_recorrupts_to_raw(raw):
    """Replaying the damage model on the repaired page gives the raw page back, line for line,
    except where the real damage skipped a site or dropped one byte instead of two."""
    fw = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
    repaired = Cleaner(steps=("mojibake", "pinyin")).clean(raw).text.split("\n")
    table = load_gloss_table()
    order = ["範", *(c for c in table if c != "範")]  # 範 before 營: 開展?fàn)I商 has no (yíng)
    differ = []
    for i, (mine, shown) in enumerate(zip(repaired, raw.split("\n"))):
        original = mine.translate(fw).replace("□", "1") + ("</p>" if shown.endswith("/p>") else "")
        if _corrupt(original, stray_a1=shown.startswith("。"), order=order) != shown:
            differ.append(shown)
    assert len(differ) == 3
    assert sum("參保、" in l or "低保、" in l for l in differ) == 2  # A3 A1 of 保、 left alone
    assert sum("經(jīng);、" in l for l in differ) == 1  # AF A1: only the first byte dropped


# --------------------------------------------------------------------------- synthetic damage


def repair(corrupted: str) -> str:
    return clean(corrupted).text


@pytest.mark.parametrize(
    "original, shown",
    [
        ("我局認真傳達了文件精神。", "真?zhèn)鬟_(dá)"),
        ("服務項目內容公開更明確。", "目?jī)?nèi)容"),
        ("全區上下營商意識明顯增強。", "下?tīng)I(yíng)商"),
        ("整理檔案備查等程序規范，提高水平。", "案?jìng)洳"),
    ],
)
def test_roundtrip_mechanism_a(original, shown):
    corrupted = _corrupt(original, marks=False)
    assert shown in corrupted
    assert repair(corrupted) == clean(original).text


@pytest.mark.parametrize(
    "original, shown",
    [
        ("取得了較好的成績。現將工作總結如下：", ",F(xiàn)將"),
        ("宣傳形式多樣。活動共懸掛橫幅。", ";顒(dòng)"),
        ("確保活動有計劃、按步驟推進。", "確;顒(dòng)"),
        ("改善薄弱學校基本辦學條件。", ";巨k"),
        ("總結階段（11-12月）。總結活動經驗。", "?偨Y(jié)"),
        ("暢通反饋渠道。”為企業服務。", "!睘槠髽I(yè)"),
    ],
)
def test_roundtrip_mechanism_b(original, shown):
    corrupted = _corrupt(original)
    assert shown in corrupted
    assert repair(corrupted) == clean(original).text


@pytest.mark.parametrize(
    "original, shown",
    [
        ("（一）認識提高、責任落實。", "。ㄒ唬┱J(rèn)"),
        ("（三）創新載體、拓寬渠道。", "。ㄈ﹦(chuàng)"),
        ("（二）公開工作開展不夠規范。", "。ǘ┕_(kāi)"),
        ("（一）要進一步深化認識。", "。ㄒ唬┮M(jìn)"),
    ],
)
def test_roundtrip_mechanism_c(original, shown):
    corrupted = _corrupt(original, stray_a1=True)
    assert corrupted.startswith(shown)
    assert repair(corrupted) == clean(original).text


def test_swallowed_byte_becomes_lost_marker():
    corrupted = _corrupt("現場咨詢群眾30余人次，收集意見。", marks=False)
    assert "罕?0余" in corrupted
    out = clean(corrupted)
    assert "咨询群众□0余人次" in out.text
    (lost,) = out.report.lost
    assert out.text[lost.start] == "□"


def test_roundtrip_whole_page_under_full_damage(result):
    """Damage every repaired line of the seed at every site the mechanisms could hit, repair it."""
    fw = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
    traditional = Cleaner(steps=("mojibake", "pinyin", "watermark")).clean(RAW_PATH.read_text("utf-8")).text
    lines = [l.translate(fw) for l in traditional.split("\n") if "□" not in l and not l.startswith("- ")]
    lines = lines[::3]  # a third of the page keeps the suite fast; all lines pass but one (below)
    bad = [l for l in lines if repair(_corrupt(l)) != clean(l).text]
    # known miss: 經常化、 when two unmapped pairs vanish in one run (the seed shows a single drop there)
    assert len(bad) <= 1 and all("經常化" in l for l in bad), bad
    assert len(lines) > 60


# --------------------------------------------------------------------------- robustness, idempotence


@pytest.mark.parametrize("text", ["", " ", "\n\n", "Hello, world!", ",;:?!()", "😀🎉 ok", "的'", "(kāi)", "?nèi)", "。", "。ㄒ", "x" * 3])
def test_never_crashes(text):
    out = clean(text)
    assert len(out.offsets) == len(out.text)
    assert clean(out.text).text == out.text


PIECES = st.sampled_from(
    ["公開(kāi)", "動(dòng)", "?nèi)", "的'", "的`", "的.", "5.15", "4.2萬", "1.", "(一)", "(20xx)", "XX", "xx",
     ",", ";", ":", "?", "!", "(", ")", "。", "，", "\n", " ", "隨著", "著眼於", "😀", "F(xiàn)", "。ㄒ唬", "群眾", "?"]
)
HAN_TEXT = st.text(alphabet="政務公開活動總結的是在和了與為對工作群眾本著一二三年月日xX0123456789 .,;?!()'`", max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, HAN_TEXT), max_size=12).map("".join))
def test_idempotent_and_lossless_property(raw_text):
    out = clean(raw_text)
    assert clean(out.text).text == out.text
    assert len(out.offsets) == len(out.text)
    assert not GLOSS.search(out.text)
    for line in out.text.split("\n") if out.text else []:
        assert line == line.strip() and line
    # Han chars outside removed glosses/watermarks/garble survive
    covered = np.zeros(len(raw_text) + 1, dtype=bool)
    for s, e in zip(out.offsets.starts, out.offsets.ends):
        covered[s:e] = True
    removed = np.zeros(len(raw_text) + 1, dtype=bool)
    for name in ("pinyin", "watermark", "mojibake"):
        for s, e in out.report.step(name).positions:
            removed[s:e] = True
    for j, c in enumerate(raw_text):
        if HAN.match(c):
            assert covered[j] or removed[j], (raw_text, j, c)


def test_steps_parameter():
    assert Cleaner(steps=["pinyin"]).clean("公開(kāi)").text == "公開"
    assert list(Cleaner(steps=["whitespace", "pinyin"]).clean("x").report.counts()) == ["pinyin", "whitespace"]
    with pytest.raises(ValueError):
        Cleaner(steps=["nope"]).clean("x")

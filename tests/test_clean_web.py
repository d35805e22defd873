"""Cleaning web debris: markup, portal chrome, repeated blocks, script detection, full-width digits."""

from __future__ import annotations

import json
import re

import pytest

from gkcorpus.text.clean.cleaner import Cleaner, traditional_share

BODY = ["各位代表！", "现在，我代表国务院，向大会作政府工作报告，请予审议。",
        "一、一九八九年的回顾", "在中华人民共和国的史册上，１９８９年是很不寻常的一年。",
        "各位代表！", "让我们更紧密地团结在党中央周围，为实现今年的各项任务而奋斗！"]


def clean(text: str) -> str:
    return Cleaner().clean(text).text


def test_markup_entities_and_codepoint_escapes():
    r = Cleaner().clean("<!--\n   -->\n<p>各位代表：<U+200D></p>\n<U+00A0><U+00A0>现在&nbsp;开会&amp;审议<br/>下一段")
    assert r.text == "各位代表：\n现在 开会&审议\n下一段"
    assert r.report.step("markup").kinds == {"comment": 1, "tag": 3, "codepoint": 3, "entity": 2}


def test_chrome_lines_go_and_content_stays():
    page = "\n".join([
        "当前位置： 首页>> 中国概况", "1990年国务院政府工作报告",
        "中央政府门户网站　www.gov.cn　　 2006年02月23日 14时43分　　 来源：人民网",
        "【字体：大 中 小】", *BODY, "（责任编辑：郭桢", "）", "【E-mail推荐", "】", "打印本页", "关闭窗口",
    ])
    r = Cleaner().clean(page)
    assert r.text.split("\n") == ["1990年国务院政府工作报告", *[b.replace("１９８９", "1989") for b in BODY]]
    assert r.report.step("chrome").count == 9


def test_repeated_blocks_are_removed_single_lines_kept():
    page = "\n".join(["标题"] + BODY * 6)
    r = Cleaner().clean(page)
    assert r.text.split("\n") == ["标题", *[b.replace("１９８９", "1989") for b in BODY]]
    # the five later copies are removed (as 3 runs: 各位代表！ inside the block restarts the match)
    rep = r.report.step("repeats")
    first_copy_end = len("标题\n" + "\n".join(BODY)) + 1
    assert rep.positions[0][0] == first_copy_end and rep.positions[-1][1] == len(page)
    assert sum(b - a for a, b in rep.positions) == len(page) - first_copy_end
    # "各位代表！" twice inside the body is content: it stays twice
    assert r.text.count("各位代表！") == 2
    # a short repeated pair of lines is not a scraping artifact
    short = "一、总体要求\n二、主要任务\n一、总体要求\n二、主要任务"
    assert clean(short) == short
    # one long line repeated (a report scraped onto a single line, twice) is an artifact too
    long_line = "".join(BODY[1:4]) * 40
    assert len(long_line) > 2000
    assert clean(f"{long_line}\n{long_line}") == clean(long_line)


def test_script_conversion_only_for_traditional_text():
    assert traditional_share("显著提高，著名的著作") == 0.0
    assert clean("显著提高，著名的著作。") == "显著提高，著名的著作。"
    assert clean("隨著改革深入，顯著提高，本著為民宗旨，著眼於長遠。") == "随着改革深入，显著提高，本着为民宗旨，着眼于长远。"
    assert Cleaner(script="never").clean("顯著").text == "顯著"


def test_fullwidth_digits_and_letters():
    assert clean("——１９９０年３月２０日，增长３．５％，ＧＤＰ上升") == "——1990年3月20日，增长3.5％，GDP上升"


def test_idempotent_on_web_debris():
    page = "\n".join(["<!-- x -->", "当前位置：首页", *BODY * 3, "&nbsp;"])
    once = clean(page)
    assert clean(once) == once


def _norm(s: str) -> str:
    from gkcorpus.text.clean.cleaner import _FW_ALNUM

    s = re.sub(r"\s+", "", s).translate(_FW_ALNUM)
    return s.translate(str.maketrans(",;:?!()", "，；：？！（）"))


def test_raw_gwr_reports_clean_to_the_reference(shared_corpora):
    """The 50 raw GBK pages (chrome, every block repeated ~6×) against the project's de-duplicated JSONL."""
    from gkcorpus import load

    ref = {}
    for line in (shared_corpora / "gwr_national.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        ref[rec["id"].split("/")[-1]] = rec["text"]
    corpus = load(shared_corpora / "gwr_national")
    assert len(corpus) == 50
    missing = extra = total = 0
    for d in corpus:
        ours = {_norm(p) for p in d.text.split("\n")}
        want = [_norm(p) for p in ref[d.id].split("\n") if p.strip() and "<U+" not in p]
        total += len(want)
        missing += sum(p not in ours for p in want)
        extra += len(ours - set(want))
        assert not re.search(r"当前位置|字体：|责任编辑|E-mail推荐|<U\+|<!--", d.text), d.id
        assert d.cleaning.step("script").count == 0  # Simplified input stays as it is (no 显着)
    assert total == 4819
    assert missing == 0
    assert len(corpus["2014"].text) < 1.02 * len(ref["2014"])  # the single-line report is not doubled
    # what we keep beyond the reference: datelines (新华社北京…电), photo captions, related-links headings
    assert extra <= 60

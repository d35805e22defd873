"""Golden expectations for the cleaning of the seed page (corpus/gov_openness_summaries_15.raw.txt).

The counts of each cleaning step, where the mojibake was, and the sentences it must become, as
measured on the page by hand; a change in the cleaner that alters them fails here.
"""

from __future__ import annotations

from collections import Counter

import pytest

from gkcorpus.text.clean.cleaner import STEPS

from seed_page import doc_of, raw, result  # noqa: F401  (module fixtures; tests/seed_page.py)

pytestmark = pytest.mark.golden


def test_pipeline_order_and_counts(result):
    counts = result.report.counts()
    assert list(counts) == list(STEPS)
    assert counts["mojibake"] == 25
    assert counts["pinyin"] == 3406
    assert counts["watermark"] == 15


def test_glosses_by_kind(result):
    kinds = result.report.step("pinyin").kinds
    assert kinds == {"after_listed_char": 3378, "in_garble_displaced": 17, "in_garble_paren_lost": 11}
    positions = result.report.step("pinyin").positions
    assert len(positions) == len(set(positions)) == 3406


def test_mojibake_spots_by_document(raw, result):
    step = result.report.step("mojibake")
    docs = Counter(doc_of(raw, s) for s, _ in step.positions)
    assert docs == {1: 1, 5: 2, 6: 4, 7: 6, 8: 6, 10: 1, 11: 1, 14: 2, 15: 2}
    assert step.kinds == {"a": 8, "b": 12, "c": 5}


EXPECTED_REPAIRS = [
    "取得了较好的成绩。现将我镇",
    "积极完成宣传活动。现将活动开展",
    "认真传达了《20xx年",
    "（一）认识提高",
    "。活动共悬挂横（条）幅104条",
    "互动交流。活动日当天",
    "相关政策法规。活动中",
    "确保活动有计划",
    "现场咨询群众□0余人次",
    "告知咨询群众。\n3、",
    "服务项目内容公开更明确",
    "（三）创新载体、拓宽渠道",
    "（一）公开工作发展不平衡",
    "（二）公开工作开展不够",
    "（一）要进一步深化认识",
    "全面开展营商环境建设",
    "什么是营商环境？优化营商环境的意义",
    "反馈渠道。”为企业和群众",
    "全区上下营商意识",
    "（11-12月）。总结活动经验",
    "薄弱学校基本办学条件",
    "档案备查等程序规范，",
    "政务公开工作的经常化、制度化、规范化",
    "的开展。现就今年“5.15",
]


@pytest.mark.parametrize("expected", EXPECTED_REPAIRS)
def test_repaired_sentences(result, expected):
    assert expected in result.text


def test_no_garble_left(result):
    for junk in ("顒", "ㄒ", "唬", "鬟", "睘", "偨", "洳", "罕", "姟", "/p>", "?", "F将", "巨k"):
        assert junk not in result.text, junk

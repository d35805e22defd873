"""Genre of an official document from its outline vocabulary: work plan, summary or work report.

Clustering on words, outline and layout alone cannot tell a work plan (方案/计划: 指导思想 → 基本原则 →
工作步骤 → 保障措施) from a summary (总结: 基本情况 → 主要做法 → 存在问题 → 下一步打算) when they share their
topic words: the two bundled plans share no heading with each other. Their genres show in the
conventional section names, which this module looks up in two small shipped lexicons, in a first line
that reads as a title and names the genre (…工作总结, …实施方案, …工作要点: a summary whose chapters are each headed
by a theme of the work has no section name to go by), and in a few opening and body cues (``特制定本方案`` /
``现将…总结如下``, ``今年以来``). Transparent rules with their
evidence, not a model; :func:`genre_matrix` turns them into the genre block with which
:func:`gkcorpus.outline.document_kinds` does separate the plans.

The government work report (政府工作报告) is a genre of its own: a speech to a people's congress that
reviews the past year and proposes this year's work, so it carries both the summary's past-tense cues
and the plan's 总体要求/主要任务 headings. What marks it is its address (各位代表！, 向大会报告, 请予审议)
and its own part names (工作回顾, 总体部署, 政府自身建设, 政府工作的建议); an address counts as much as a
heading. A document whose best genre does not lead the next by ``min_ratio`` is "unknown": the guess
says so rather than guessing.

:func:`register_profile` is the per-document input of the register block of
:func:`gkcorpus.outline.document_kinds`: how often a document uses aspect and modal markers (a shipped,
documented list) and the corpus's most frequent function words, per 1000 tokens -- the stylometric
profile Burrows' Delta compares, here for register rather than authorship.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Document

__all__ = [
    "GenreGuess",
    "guess_genre",
    "genre_matrix",
    "PLAN_HEADINGS",
    "SUMMARY_HEADINGS",
    "REPORT_HEADINGS",
    "GENRES",
    "load_register_markers",
    "register_profile",
    "function_words",
    "register_matrix",
]

# Conventional section names (matched inside level-1/level-2 headings; the longest match wins).
PLAN_HEADINGS = (
    "指导思想", "基本原则", "工作原则", "总体要求", "工作目标", "目标任务", "主要目标", "主要任务", "重点任务",
    "主要内容", "工作内容", "公开内容", "实施范围", "具体工作", "工作步骤", "实施步骤", "方法步骤", "步骤安排",
    "时间安排", "进度安排", "保障措施", "组织保障", "工作措施",
)
SUMMARY_HEADINGS = (
    "基本情况", "总体情况", "开展情况", "工作开展情况", "主要做法", "工作做法", "做法及成效", "主要成效", "工作成效",
    "取得成效", "主要成绩", "存在问题", "存在的问题", "主要问题", "存在不足", "下一步", "工作打算", "工作计划",
    "活动体会", "经验体会", "几点体会",
)
REPORT_HEADINGS = (
    "工作回顾", "的回顾", "工作总体部署", "总体部署", "政府工作的建议", "政府自身建设", "重点工作", "今年的工作",
)
GENRES = ("plan", "summary", "report")
#: a title naming the genre at its end (…工作总结, …实施方案, 2024年政务公开工作要点; not 关于做好年度工作总结的通知, nor
#: …工作总结表彰大会实施方案, a plan), as much as a heading
_TITLE_CUES = (("plan", re.compile(r"(?:方案|计划|要点)(?:的通知)?$")), ("summary", re.compile(r"总结(?:报告)?$")))
TITLE_CHARS = 60  # a first line longer than this, or ending a sentence, is not a title
_REPORT_CUES = re.compile(r"各位代表[！!：:]|向大会(?:作|报告)|请予审议|请全国政协|我代表国务院|代表.{0,6}人民政府"
                          r"|政府工作报告|在.{0,16}人民代表大会.{0,12}会议上")
_PLAN_CUES = re.compile(r"特制定本?(?:方案|计划)|制定本(?:方案|计划)|(?:方案|计划)如下|现制定|实施方案如下")
_SUMMARY_CUES = re.compile(
    r"总结如下|汇报如下|报告如下|今年以来|一年来|取得了|圆满完成|开展了"
    r"|(?:制定|方便|进行|组织|设立|发放|接待|解答|受到|收到|举办|召开)了"
    r"|于\d{1,2}月\d{1,2}(?:日|至\d{1,2}日)(?!前)"  # a dated action in the past, not a deadline
)


@dataclass
class GenreGuess:
    """``genre`` is "plan", "summary", "report" or "unknown"; ``evidence`` lists what decided it."""

    doc_id: str
    genre: str
    plan_score: int
    summary_score: int
    evidence: list[str] = field(default_factory=list)
    report_score: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _heading_hit(text: str) -> tuple[str, str] | None:
    best: tuple[int, str, str] | None = None
    for genre, words in (("plan", PLAN_HEADINGS), ("summary", SUMMARY_HEADINGS), ("report", REPORT_HEADINGS)):
        for w in words:
            if w in text and (best is None or len(w) > best[0]):
                best = (len(w), genre, w)
    return (best[1], best[2]) if best else None


def _titles(doc: "Document") -> list[str]:
    """The document's first line when it reads as a title (short, not ending a sentence). Not ``doc.title``: that is
    often a file name or a collection's label (the bundled plans are titled 政务公开活动总结13, 14)."""
    first = doc.text.lstrip().split("\n", 1)[0].strip()
    return [first] if first and len(first) <= TITLE_CHARS and first[-1] not in "。！？!?；;：:，," else []


def guess_genre(doc: "Document", heading_weight: int = 2, min_ratio: float = 1.5) -> GenreGuess:
    """Score a document's title line naming its genre (…工作总结, …实施方案; ``heading_weight``), headings (as much each),
    its address to a congress (as much) and its opening/body cues (1 each) for plan, summary and work report. A cue counts once
    however often it recurs: a long report repeats 取得了 more often than a short summary, which says
    nothing about its genre.

    The best genre wins when its score is at least ``min_ratio`` times the next one's; otherwise, or
    with no evidence at all, the genre is "unknown".
    """
    scores = {g: 0 for g in GENRES}
    evidence: list[str] = []
    for h in doc.structure.headings:
        if h.level > 2:
            continue
        hit = _heading_hit(h.text)
        if hit:
            scores[hit[0]] += heading_weight
            evidence.append(f"heading {h.marker}{h.text} ({hit[0]}: {hit[1]})")
    for title in _titles(doc):
        for genre, rx in _TITLE_CUES:
            if rx.search(title):
                scores[genre] += heading_weight
                evidence.append(f"title {title} ({genre})")
                break
    for genre, rx, w in (("report", _REPORT_CUES, heading_weight), ("plan", _PLAN_CUES, 1), ("summary", _SUMMARY_CUES, 1)):
        for cue in dict.fromkeys(m.group() for m in rx.finditer(doc.text)):  # each distinct cue once
            scores[genre] += w
            evidence.append(f"cue {cue} ({genre})")
    ranked = sorted(GENRES, key=lambda g: -scores[g])
    best, second = scores[ranked[0]], scores[ranked[1]]
    genre = ranked[0] if best > 0 and best >= min_ratio * second else "unknown"
    return GenreGuess(doc.id, genre, scores["plan"], scores["summary"], evidence, scores["report"])


def genre_matrix(guesses: Sequence[GenreGuess]) -> np.ndarray:
    """One row per guess, columns (plan, summary, report): the square roots of the scores, L2-normalised.

    The genre block of :func:`gkcorpus.outline.document_kinds` -- a dictionary lookup, as quanteda's
    ``dfm_lookup`` gives: a plan scores (1, 0, 0), a summary (0, 1, 0), a document with evidence for
    several lies between, one with none is a zero row (it takes no side).
    """
    G = np.sqrt(np.array([[g.plan_score, g.summary_score, g.report_score] for g in guesses],
                         dtype=float).reshape(-1, 3))
    norms = np.linalg.norm(G, axis=1, keepdims=True)
    return np.divide(G, norms, out=np.zeros_like(G), where=norms > 0)


# --------------------------------------------------------------------------- register profile

_NUMERAL = re.compile(r"^[一二三四五六七八九十百千零〇两]+$")


@lru_cache(maxsize=None)
def _markers_cached(path: str | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if path is None:
        text = (resources.files("gkcorpus") / "data" / "register_markers.txt").read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, words = line.partition("\t")
        if not words.split():
            raise ValueError(f"register marker line without words: {line!r}")
        out.append((name.strip(), tuple(words.split())))
    return tuple(out)


def load_register_markers(path: str | None = None) -> dict[str, tuple[str, ...]]:
    """Marker categories (perfective, completive, prospective, necessity, possibility) and their words,
    from the shipped ``data/register_markers.txt`` or a file in its format (``name<TAB>word word …``)."""
    return dict(_markers_cached(path))


def function_words(stopwords: Iterable[str]) -> list[str]:
    """The stoplist's function words without its bare numerals (一 … 十): in this genre those are mostly
    the heading and list markers 一、二、…, which the layout profile already counts. Sorted."""
    return sorted(w for w in stopwords if not _NUMERAL.match(w))


def register_profile(tokens: Sequence[str], markers: Mapping[str, Sequence[str]] | None = None,
                     words: Iterable[str] = ()) -> dict[str, float]:
    """Per-1000-token rates of each marker category (keyed by its ASCII name) and of each of ``words``
    (keyed by the word), in a document's word tokens (punctuation already dropped, stopwords kept).

    Pure and per document: the corpus-level step picks the most frequent function words from these
    rates and z-scores them. An empty document gives all zeros.
    """
    markers = load_register_markers() if markers is None else markers
    counts = Counter(tokens)
    scale = 1000.0 / len(tokens) if tokens else 0.0
    out = {name: sum(counts[w] for w in ws) * scale for name, ws in markers.items()}
    for w in words:
        out[w] = counts[w] * scale
    return out


def register_matrix(profiles: Sequence[Mapping[str, float]], n_function_words: int = 20,
                    categories: Sequence[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Corpus-level register block from per-document :func:`register_profile` rates.

    Columns: the marker categories, then the ``n_function_words`` function words with the highest mean
    rate over the documents (ties by word). Each column is z-scored over the corpus (a column that does
    not vary becomes 0) and each row L2-normalised, so that cosine similarity between rows is Cosine
    Delta (Smith & Aldridge 2011; Evert et al. 2017, the most robust Delta variant). Returns the matrix
    (documents × features) and the feature names.
    """
    categories = list(load_register_markers()) if categories is None else list(categories)
    if not profiles:
        return np.zeros((0, 0)), []
    cat = set(categories)
    vocab = sorted({k for p in profiles for k in p if k not in cat})
    mean = {w: float(np.mean([p.get(w, 0.0) for p in profiles])) for w in vocab}
    top = [w for w in sorted(vocab, key=lambda w: (-mean[w], w)) if mean[w] > 0][:max(0, n_function_words)]
    names = categories + top
    X = np.array([[p.get(f, 0.0) for f in names] for p in profiles], dtype=float)
    sd = X.std(axis=0)
    Z = np.divide(X - X.mean(axis=0), sd, out=np.zeros_like(X), where=sd > 0)
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return np.divide(Z, norms, out=np.zeros_like(Z), where=norms > 0), names

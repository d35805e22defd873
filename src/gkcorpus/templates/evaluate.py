"""Accuracy of template mining against a hand-labelled ground truth, as log-parsing benchmarks measure it.

The ground truth is a Loghub-style table: one row per sentence (the "log message"), its template id
and its template text. A predicted parse gives the same: a group id and a template per sentence.

Metrics (definitions of the log-parsing benchmarks):

* **GA**, grouping accuracy (Zhu et al. 2019, *Tools and Benchmarks for Automated Log Parsing*):
  a message is correctly grouped when the predicted group containing it holds exactly the messages
  of its ground-truth group; GA is the share of correctly grouped messages.
* **PGA / RGA / FGA**, group-level precision, recall and F1 (Loghub-2.0, Jiang et al. 2023): the
  share of predicted groups (resp. ground-truth groups) reproduced exactly.
* **PA**, parsing accuracy (Dai et al. 2020; Khan et al. 2022 call it MLA): a message is correctly
  parsed when its predicted template equals its ground-truth template.
* **PTA / RTA / FTA**, template accuracy (Khan et al. 2022, *Guidelines for assessing the accuracy of
  log message template identification techniques*): messages are grouped by their predicted template;
  a predicted template is correct when every message carrying it has exactly that template in the
  ground truth. PTA = correct / predicted templates, RTA = correct / ground-truth templates, FTA their
  harmonic mean.

Templates are compared after :func:`normalise_template`: slot names and ``<*>`` become one wildcard,
whitespace goes (Drain's output is space-joined tokens), a heading marker and final punctuation go,
adjacent wildcards merge, and leading/trailing wildcards with the clause marks next to them go (free
context before or after a frame is not part of it, for either method).

With sentence templates most sentences are singletons (their own template): a parser that groups
nothing already scores a high GA. :func:`evaluate` therefore also reports GA over the sentences that
belong to a shared frame (``ga_frames``) and how many frames were reproduced exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Hashable, Sequence

__all__ = [
    "Scores",
    "normalise_template",
    "grouping_accuracy",
    "grouping_f1",
    "parsing_accuracy",
    "template_accuracy",
    "evaluate",
    "load_labels",
    "miner_predictions",
]

_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|<\*>")
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]、?|\d{1,2}(?:[、．]|\.(?!\d))|[（(]\d{1,2}[）)]、?)"
)
_EDGE = "\x00，；：。！？、,;:.!?"
_WILD = "\x00"


def normalise_template(template: str) -> str:
    """Canonical form for comparing templates of different tools (see the module docstring)."""
    t = _SLOT.sub(_WILD, str(template))
    t = re.sub(r"\s+", "", t)
    t = _MARKER.sub("", t)
    t = re.sub(f"{_WILD}+", _WILD, t)
    t = t.strip(_EDGE)
    return t.replace(_WILD, "<*>")


def _groups(ids: Sequence[Hashable]) -> dict[Hashable, frozenset[int]]:
    g: dict[Hashable, set[int]] = defaultdict(set)
    for i, x in enumerate(ids):
        g[x].add(i)
    return {k: frozenset(v) for k, v in g.items()}


def grouping_accuracy(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """GA: share of messages whose predicted group equals their ground-truth group."""
    if len(truth) != len(pred):
        raise ValueError("truth and prediction differ in length")
    if not truth:
        return 0.0
    true_sets = set(_groups(truth).values())
    correct = sum(len(s) for s in _groups(pred).values() if s in true_sets)
    return correct / len(truth)


def grouping_f1(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """(PGA, RGA, FGA): predicted / ground-truth groups reproduced exactly, and their F1."""
    t, p = set(_groups(truth).values()), set(_groups(pred).values())
    if not t or not p:
        return 0.0, 0.0, 0.0
    hit = len(t & p)
    pga, rga = hit / len(p), hit / len(t)
    return pga, rga, (2 * pga * rga / (pga + rga) if hit else 0.0)


def parsing_accuracy(truth_templates: Sequence[str], pred_templates: Sequence[str]) -> float:
    """PA: share of messages whose normalised predicted template equals the ground truth's."""
    if len(truth_templates) != len(pred_templates):
        raise ValueError("truth and prediction differ in length")
    if not truth_templates:
        return 0.0
    ok = sum(normalise_template(a) == normalise_template(b) for a, b in zip(truth_templates, pred_templates))
    return ok / len(truth_templates)


def template_accuracy(truth_templates: Sequence[str], pred_templates: Sequence[str]) -> tuple[float, float, float]:
    """(PTA, RTA, FTA) of Khan et al. 2022: a predicted template is correct when all its messages
    carry exactly that template in the ground truth."""
    tt = [normalise_template(x) for x in truth_templates]
    pt = [normalise_template(x) for x in pred_templates]
    by_pred: dict[str, set[str]] = defaultdict(set)
    for a, b in zip(tt, pt):
        by_pred[b].add(a)
    correct = sum(1 for p, truths in by_pred.items() if truths == {p})
    n_pred, n_true = len(by_pred), len(set(tt))
    if not n_pred or not n_true:
        return 0.0, 0.0, 0.0
    pta, rta = correct / n_pred, correct / n_true
    return pta, rta, (2 * pta * rta / (pta + rta) if correct else 0.0)


@dataclass
class Scores:
    """All the accuracy figures of one parse against the ground truth."""

    n_messages: int
    n_true_groups: int
    n_pred_groups: int
    ga: float
    pga: float
    rga: float
    fga: float
    pa: float
    pta: float
    rta: float
    fta: float
    n_frame_messages: int
    ga_frames: float
    frames_total: int
    frames_found: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(truth_ids: Sequence[Hashable], truth_templates: Sequence[str], pred_ids: Sequence[Hashable],
             pred_templates: Sequence[str]) -> Scores:
    """Score a parse (a group id and a template per message) against the ground truth."""
    n = len(truth_ids)
    if not (len(truth_templates) == len(pred_ids) == len(pred_templates) == n):
        raise ValueError("all four sequences must have one entry per message")
    pga, rga, fga = grouping_f1(truth_ids, pred_ids)
    pta, rta, fta = template_accuracy(truth_templates, pred_templates)
    tg, pg = _groups(truth_ids), _groups(pred_ids)
    frames = [s for s in tg.values() if len(s) > 1]
    frame_msgs = set().union(*frames) if frames else set()
    pred_sets = set(pg.values())
    pred_of = {i: s for s in pg.values() for i in s}
    true_of = {i: s for s in tg.values() for i in s}
    ok_frames = sum(1 for i in frame_msgs if pred_of[i] == true_of[i])
    return Scores(
        n_messages=n,
        n_true_groups=len(tg),
        n_pred_groups=len(pg),
        ga=grouping_accuracy(truth_ids, pred_ids),
        pga=pga,
        rga=rga,
        fga=fga,
        pa=parsing_accuracy(truth_templates, pred_templates),
        pta=pta,
        rta=rta,
        fta=fta,
        n_frame_messages=len(frame_msgs),
        ga_frames=ok_frames / len(frame_msgs) if frame_msgs else 0.0,
        frames_total=len(frames),
        frames_found=sum(1 for s in frames if s in pred_sets),
    )


def load_labels(path: str | Path) -> "Any":
    """A ground-truth CSV (``doc_id, sentence, template_id, template`` …) as a DataFrame, checked."""
    import pandas as pd

    from ..base.io import LoadError

    p = Path(path)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise LoadError(p, "no such file or directory") from None
    missing = {"doc_id", "sentence", "template_id", "template"} - set(df.columns)
    if missing:
        raise LoadError(p, f"missing column(s): {', '.join(sorted(missing))}")
    per_id = df.groupby("template_id")["template"].nunique()
    if (per_id > 1).any():
        raise LoadError(p, f"template id(s) with several templates: {', '.join(per_id[per_id > 1].index[:5])}")
    return df


def miner_predictions(miner: Any, sentences: Sequence[str], doc_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """Fit a :class:`~gkcorpus.templates.TemplateMiner` on the sentences; ``(group ids, templates)``.

    A sentence in no template is its own group, with its core as template (what Loghub expects of a
    singleton).
    """
    from .miner import sentence_core

    miner.fit_sentences(list(sentences), list(doc_ids))
    text = {t.id: t.template for t in miner.templates_}
    ids, templates = [], []
    for k, (s, tid) in enumerate(zip(sentences, miner.labels_)):
        if tid is None:
            i, j = sentence_core(s)
            ids.append(f"_single{k}")
            templates.append(s[i:j])
        else:
            ids.append(tid)
            templates.append(text[tid])
    return ids, templates

"""A writer's skeleton: the corpus's common outline with, under each part, the set phrases of the phrase
bank and the best-supported templates (sentence frames) whose occurrences concentrate there.

It joins independent analyses -- section types (:mod:`gkcorpus.outline`), the phrase bank
(:mod:`gkcorpus.boilerplate.phrases`) and sentence frames (:mod:`gkcorpus.templates`) -- so it sits above them.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from ..templates.library import TemplateLibrary
from ..templates.units import _MARKER, _gc_paused

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus

__all__ = ["Skeleton", "normalise_heading", "skeleton"]

MAX_BANK_ENTRIES = 2000  # the bank's most formulaic entries a skeleton reads set phrases from


@dataclass
class Skeleton:
    """A writer's skeleton: the common outline, and under each section its templates."""

    n_docs: int
    source: str
    sections: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "source": self.source, "sections": self.sections}

    def to_markdown(self, title: str = "Document skeleton") -> str:
        src = {"part_types": "the part types of gkcorpus.outline.PartTyper: the genre's parts, found however "
                             "they are marked",
               "section_types": "section types clustered by gkcorpus.outline.SectionTyper",
               "headings": "normalised level-1 headings"}.get(self.source, self.source)
        lines = [f"# {title}", "", f"Common outline of {self.n_docs} documents ({src}); under each part, the set "
                 "phrases of the phrase bank (with the number of documents using them there, or a variant the bank "
                 "folds into them) and the best-supported templates whose matches concentrate there. Fill the "
                 "`{SLOTS}`; `…` marks where free text goes.", ""]
        if self.source == "part_types":
            from ..outline.headings import MASK_LEGEND

            lines += ["A part is named by its form or role in brackets and its distinctive words ((opening), "
                      "(targets), (own conduct): the government's own conduct, by its heading or opening words, (coda): "
                      "unheaded paragraphs before the closing, (closing), (appendix)); else by its "
                      "most common heading when two sections or more share it, with (+n) when n other headings stand "
                      "beside it and it is not a fifth of them; else by its distinctive words in brackets. "
                      + MASK_LEGEND, ""]
        for k, sec in enumerate(self.sections, 1):
            lines.append(f"## {k}. {sec['name']}")
            lines.append("")
            lines.append(f"In {sec['support']} of {self.n_docs} documents.")
            if sec.get("headings"):
                lines.append("Usual headings: " + "; ".join(f"{h} ({c})" for h, c in sec["headings"][:5]) + ".")
            if sec.get("phrases"):
                lines.append("Set phrases: " + "; ".join(f"`{p['phrase']}` ({p['support']})" for p in sec["phrases"]) + ".")
            lines.append("")
            for t in sec["templates"]:
                # free text around an open template; a slot at its edge already says so
                text = ("…" if t["open_start"] and not t["template"].startswith("{") else "") + t["template"] \
                    + ("…" if t["open_end"] and not t["template"].endswith("}") else "")
                lines.append(f"- `{text}` — {t['support']} documents")
                if t.get("example"):
                    ex = t["example"] if len(t["example"]) <= 90 else t["example"][:88] + "…"
                    lines.append(f"  - e.g. {ex}")
            if not sec["templates"]:
                lines.append("- (no shared template here)")
            lines.append("")
        return "\n".join(lines)


_SECTION_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("指导思想", ("指导思想", "总体要求", "总体目标")),
    ("基本原则", ("基本原则", "工作原则")),
    ("基本情况", ("基本情况", "开展情况", "总体情况", "活动情况", "工作情况", "工作回顾")),
    ("存在问题", ("问题", "不足")),
    ("下一步打算", ("下一步", "打算", "今后", "工作目标", "工作要求", "工作计划", "工作建议")),
    ("工作成效", ("成效", "成绩", "效果")),
    ("保障措施", ("保障",)),
    ("主要做法", ("做法", "措施", "举措", "主要工作", "工作开展", "具体工作")),
    ("工作步骤", ("步骤", "阶段", "安排")),
    ("体会", ("体会", "经验", "启示")),
)


def normalise_heading(text: str) -> str:
    """A heading's section name: a keyword class (存在问题, 下一步打算…) or the heading text itself."""
    t = re.sub(r"[\s。！？；：，、.!?;:,]+$", "", _MARKER.sub("", text.strip()))
    for name, keys in _SECTION_KEYWORDS:
        if any(k in t for k in keys):
            return name
    return t


def _segments_by_headings(doc: Any) -> list[tuple[int, int, str, str]]:
    """``(start, end, section name, heading)`` of a document's opening, level-1 sections and closing paragraph."""
    st = doc.structure
    tops = [s for s in st.sections if s.heading is not None]
    out: list[tuple[int, int, str, str]] = []
    first = tops[0].start if tops else len(doc.text)
    body = [p for p in st.paragraphs if p.kind == "body"]
    if first > 0 and doc.text[:first].strip():
        out.append((0, first, "开头", ""))
    for s in tops:
        out.append((s.start, s.end, normalise_heading(s.heading.text), s.heading.text))
    if body and tops and body[-1].start >= tops[-1].start:
        last = body[-1]
        if not any(h.start == last.start for h in st.headings):
            out.append((last.start, last.end, "结尾", ""))
    return out


def _segments_by_types(corpus: Any, typer: Any = None, common: Any = None
                       ) -> tuple[dict[str, list[tuple[int, int, str, str]]], list[str], dict[str, str]] | None:
    """Segments typed by :class:`gkcorpus.outline.SectionTyper`, the consensus order and, by role, the names of
    the types a part's form decides (a PartTyper's ``preamble``, ``closing``, ``appendix``); None if unavailable.

    ``typer``: a SectionTyper, or a PartTyper (whose headings are listed masked: ``Y工作回顾`` for every
    year's review), already fitted on ``corpus`` (used as is); else a SectionTyper is fitted here.
    ``common``: its common outline (:func:`gkcorpus.outline.common_outline`), when already computed.
    """
    try:
        from ..outline.common import common_outline
        from ..outline.part_types import FORM_TYPES
        from ..outline.typer import SectionTyper
    except ImportError:
        return None
    try:
        if typer is None:
            typer, common = SectionTyper(random_state=0).fit(corpus), None
        outline = common if common is not None else common_outline(typer.outlines(), typer.types_)
    except Exception:  # the clustering needs enough text; fall back to headings
        return None
    names = {t.type_id: t.name for t in typer.types_}
    segs: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    df = typer.segments_
    heads = df["heading"].fillna("").tolist() if "heading" in df.columns else [""] * len(df)
    if hasattr(typer, "parts_"):  # part types: headings with their years, plan numbers and counts masked
        from ..outline.headings import normalise_heading as mask

        heads = [mask(h) for h in heads]
    for doc_id, s, e, kind, head in zip(df["doc_id"].tolist(), df["start"].tolist(), df["end"].tolist(),
                                        df["type"].tolist(), heads):
        segs[str(doc_id)].append((int(s), int(e), names.get(int(kind), f"T{int(kind)}"), str(head or "")))
    order = [names.get(c["type"], c["name"]) for c in outline.consensus]
    roles = {f: names[t] for f, t in getattr(typer, "form_types_", {}).items() if f in FORM_TYPES and t in names}
    return segs, order, roles


def _place_instances(library: TemplateLibrary, segs: Mapping[str, Sequence[tuple[int, int, str, str]]]
                     ) -> list[tuple[int, int, str, str]]:
    """``(template index, instance index, doc id, part name)`` of every instance lying in a part of its
    document (the first part, in list order, holding its start), in library and instance order."""
    by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for ti, t in enumerate(library.templates):
        for k, inst in enumerate(t.instances):
            by_doc[inst.doc_id].append((ti, k, inst.start))
    return _place(by_doc, segs)


def _bank_positions(bank: Any, max_entries: int) -> tuple[list[Any], dict[str, list[tuple[int, int, int]]]]:
    """The bank's first ``max_entries`` formulae (kind ``formula`` of a :class:`FormulaMiner`; every contiguous
    phrase and slogan of a :class:`PhraseMiner`) and, by document, ``(entry index, occurrence, start)``."""
    entries = [f for f in bank.phrases_ if getattr(f, "kind", "") in ("formula", "contiguous", "slogan")][:max_entries]
    doc_ids = getattr(bank, "doc_ids_", [])
    by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, f in enumerate(entries):
        spans = f.spans
        if len(spans) == 3 and isinstance(spans[0], np.ndarray):  # (document index, start, end) arrays
            for k, (d, st) in enumerate(zip(spans[0].tolist(), spans[1].tolist())):
                by_doc[doc_ids[d]].append((i, k, st))
        else:  # (doc id, start, end) per occurrence
            for k, (d, st, _) in enumerate(spans):
                by_doc[d].append((i, k, st))
    return entries, by_doc


def _place(by_doc: Mapping[str, list[tuple[int, int, int]]], segs: Mapping[str, Sequence[tuple[int, int, str, str]]]
           ) -> list[tuple[int, int, str, str]]:
    """``(item, occurrence, doc id, part name)`` of every ``(item, occurrence, start)`` of ``by_doc`` lying in a
    part of its document (the first part, in list order, holding its start), in item and occurrence order."""
    out: list[tuple[int, int, int, str, str]] = []
    for doc_id, items in by_doc.items():
        doc_segs = segs.get(doc_id)
        if not doc_segs:
            continue
        starts = np.array([x[0] for x in doc_segs], dtype=np.int64)
        ends = np.array([x[1] for x in doc_segs], dtype=np.int64)
        pos = np.array([x[2] for x in items], dtype=np.int64)
        if len(doc_segs) < 2 or (np.all(ends[:-1] <= starts[1:]) and np.all(starts <= ends)):
            # sorted, disjoint parts: the last starting at or before the position (an empty one holds nothing)
            k = np.searchsorted(starts, pos, side="right") - 1
            ok = (k >= 0) & (pos < ends[np.maximum(k, 0)]) & (pos >= starts[np.maximum(k, 0)])
            hit = np.where(ok, k, -1).tolist()
        else:  # overlapping parts (a closing paragraph inside the last section): the first holding it
            hit = [next((j for j, x in enumerate(doc_segs) if x[0] <= p < x[1]), -1) for p in pos.tolist()]
        for (ti, k, _), h in zip(items, hit):
            if h >= 0:
                out.append((ti, k, len(out), doc_id, doc_segs[h][2]))
    out.sort()
    return [(ti, k, doc_id, name) for ti, k, _, doc_id, name in out]


def skeleton(corpus: "Corpus", library: TemplateLibrary, max_templates: int = 5, min_support: float = 0.2,
             section_types: bool = True, typer: Any = None, common: Any = None, min_share: float = 0.5,
             phrases: Any = None, max_phrases: int = 5) -> Skeleton:
    """The corpus's common outline with its set phrases and best-supported templates under each part.

    A template is listed under a part when at least ``min_share`` of the (document, part) pairs
    where its matches lie are that part's (a frame of every part, such as a growth figure, is
    listed nowhere), in two documents or more; by documents, then fixed characters. ``phrases``, a
    fitted phrase bank (:class:`~gkcorpus.boilerplate.phrases.FormulaMiner` or ``PhraseMiner``, fitted
    on ``corpus``), gives each part its set phrases by the same rule (at most ``max_phrases``, by documents,
    then length; none inside a longer one listed there), from the bank's first ``MAX_BANK_ENTRIES`` formulae.

    Sections come from the given ``typer`` (a PartTyper's parts, or a SectionTyper's segments), else from
    :class:`gkcorpus.outline.SectionTyper` when ``section_types`` (and it can be fitted), else from
    normalised level-1 headings (``三、下一步工作打算`` -> 下一步打算), plus the opening (text before the
    first heading) and the closing paragraph. A part is listed when it
    appears in at least ``min_support`` of the documents -- a part its form alone decides (the part
    typer's openings, closings and appendices) in two -- in the most common order (a part before those it
    precedes in most of the documents holding both; the median position breaks ties; an appendix after
    the closing).

    ``typer``: a :class:`~gkcorpus.outline.SectionTyper` already fitted on ``corpus`` (such as
    ``cluster_corpus(corpus).typer``): its segments are used as they are, instead of fitting a new
    one (which segments and clusters the whole corpus again); ``common``: its common outline (such
    as ``cluster_corpus(corpus).common``), else computed from the typer's outlines.
    """
    with _gc_paused():
        return _skeleton(corpus, library, max_templates, min_support, section_types, typer, common, min_share,
                         phrases, max_phrases)


def _skeleton(corpus: "Corpus", library: TemplateLibrary, max_templates: int, min_support: float,
              section_types: bool, typer: Any, common: Any, min_share: float = 0.5, bank: Any = None,
              max_phrases: int = 5) -> Skeleton:
    docs = list(corpus)
    typed = _segments_by_types(corpus, typer, common) if section_types else None
    if typed is not None:
        segs, order, roles = typed
        source = "part_types" if hasattr(typer, "parts_") else "section_types"
    else:
        segs = {d.id: _segments_by_headings(d) for d in docs}
        order, roles = [], {}
        source = "headings"
    lengths = {d.id: max(len(d.text), 1) for d in docs}
    support: dict[str, set[str]] = defaultdict(set)
    positions: dict[str, list[float]] = defaultdict(list)
    headings: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for s, e, name, head in segs.get(d.id, []):
            if d.id not in support[name]:
                positions[name].append(s / lengths[d.id])
            support[name].add(d.id)
            if head:
                headings[name][head] += 1
    need = max(2, int(round(min_support * len(docs)))) if len(docs) > 1 else 1
    # a part its form decides (an appendix) is a part of the genre however few documents hold it: listed from two
    by_form = set(roles.values())
    names = [n for n in support if len(support[n]) >= need or (n in by_form and len(support[n]) >= min(2, need))]
    # In the most common order: a part goes before another when it does so in more of the documents
    # holding both (its first section's start); the number of parts it goes before decides, the median
    # position breaks ties (parts no document holds together, or a cycle). The opening and closing parts
    # of the common outline stay first and last, and the appendix (a part by its form) after the last.
    first, last = (order[0], order[-1]) if order else (None, None)
    starts: dict[str, dict[str, float]] = defaultdict(dict)  # part -> document -> its first section's position
    for d in docs:
        for s, e, name, head in segs.get(d.id, []):
            starts[name].setdefault(d.id, s / lengths[d.id])
    wins = {n: sum(1 for m in names if m != n and _before(starts[n], starts[m]) > _before(starts[m], starts[n]))
            for n in names}

    def place(n: str) -> tuple:
        edge = 3 if n == roles.get("appendix") else 0 if n == first else 2 if n == last else 1
        return (edge, -wins[n], sorted(positions[n])[len(positions[n]) // 2], n)

    names.sort(key=place)
    # where each template's instances fall: the first of the document's parts holding the start
    placed: dict[str, Counter] = defaultdict(Counter)
    example: dict[tuple[str, str], str] = {}
    where = _place_instances(library, segs)
    seen: set[tuple[int, str, str]] = set()
    for ti, k, doc_id, name in where:
        t = library.templates[ti]
        if (ti, doc_id, name) not in seen:
            placed[name][t.id] += 1
            seen.add((ti, doc_id, name))
        if (name, t.id) not in example:
            example[(name, t.id)] = t.instances[k].sentence
    listed = _concentrated(placed, min_share)
    set_phrases = _set_phrases(bank, segs, min_share, max_phrases) if bank is not None and max_phrases > 0 else {}
    sections = []
    for n in names:
        ranked = heapq.nsmallest(max(max_templates, 1), listed.get(n, []),
                                 key=lambda kv: (-kv[1], -library[kv[0]].fixed_chars, kv[0]))
        tmpl = []
        for tid, c in ranked:
            t = library[tid]
            line = getattr(t, "where", "body") != "body"  # a heading or title frame is the whole line
            tmpl.append({"id": tid, "template": t.template, "support": c, "open_start": t.open_start and not line,
                         "open_end": t.open_end and not line, "example": example.get((n, tid), "")})
            if len(tmpl) >= max_templates:
                break
        sections.append({"name": n, "support": len(support[n]), "headings": headings[n].most_common(5),
                         "phrases": set_phrases.get(n, []), "templates": tmpl})
    return Skeleton(len(docs), source, sections)


def _set_phrases(bank: Any, segs: Mapping[str, Sequence[tuple[int, int, str, str]]], min_share: float,
                 max_phrases: int) -> dict[str, list[dict[str, Any]]]:
    """Each part's set phrases: the bank's formulae found in that part in two documents or more and in at least
    ``min_share`` of the (document, part) pairs holding them; by documents, then length, then bank order; a
    phrase inside one listed before it in the part is left out."""
    entries, by_doc = _bank_positions(bank, MAX_BANK_ENTRIES)
    placed: dict[str, Counter] = defaultdict(Counter)
    for i, doc_id, name in sorted({(i, doc_id, name) for i, _, doc_id, name in _place(by_doc, segs)}):
        placed[name][i] += 1
    out: dict[str, list[dict[str, Any]]] = {}
    for name, items in _concentrated(placed, min_share).items():
        ranked = sorted(items, key=lambda kv: (-kv[1], -len(entries[kv[0]].phrase), kv[0]))
        kept: list[dict[str, Any]] = []
        for i, c in ranked:
            text = entries[i].phrase
            if any(text in k["phrase"] for k in kept):
                continue
            kept.append({"id": entries[i].id, "phrase": text, "support": c})
            if len(kept) >= max_phrases:
                break
        out[name] = kept
    return out


def _concentrated(placed: Mapping[str, Counter], min_share: float) -> dict[str, list[tuple[Any, int]]]:
    """By part, ``(item, documents)`` of the items found in it in two documents or more and in at least
    ``min_share`` of the (document, part) pairs holding them over every part (``placed``: part -> item ->
    documents); an item of every part is listed nowhere."""
    spread: Counter = Counter()
    for counts in placed.values():
        spread.update(counts)
    return {name: [(k, c) for k, c in counts.items() if c >= 2 and c >= min_share * spread[k]]
            for name, counts in placed.items()}


def _before(a: dict[str, float], b: dict[str, float]) -> int:
    """In how many documents holding both parts the one at positions ``a`` starts before the one at ``b``."""
    return sum(1 for d, x in a.items() if d in b and x < b[d])

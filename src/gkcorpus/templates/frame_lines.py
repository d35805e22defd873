"""Frames of headings and title lines: lines without clause punctuation, mined apart from the body.

A report's title block (``——2018年3月5日在第十三届全国人民代表大会第一次会议上``) and its headings
(``一、2014年工作回顾``) repeat across the genre as much as its sentences do, but they are not
clauses: they are fields separated by dashes and spaces. Each field's dates, years, ordinals
(第{ORD}届, 第{ORD}次), percents (with a range and a bound: 6%－6.5%, 5.5%左右) and numbers become
typed slots; a field shape found in ``min_docs``
documents with four fixed Han characters or more is a frame, marked with where it occurs
(``where``: ``title`` for the lines before a document's first punctuated sentence, ``heading`` for
later lines without clause punctuation) so that users can keep or drop it.

A heading is sometimes run into the text after it: its line goes on with more words
(``一、1998年工作回顾和1999年工作的总体要求``) or with the first sentence of its section, no line
break between (``一、2013年工作回顾过去一年是…``). A heading frame ending in fixed text is matched
too at the start of a sentence that opens with an enumerator (一、, （二）), as headings do.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Sequence

from .frame_model import Frame, _balanced, _han
from .frame_slots import ENUMERATOR, YEAR_RE, typed_names
from .library import TemplateLibrary
from .model import Instance, Slot, render, template_id

__all__ = ["LineFrame", "LINE_KINDS", "load_library", "mine_line_frames"]

LINE_KINDS = ("title", "heading")
_CLAUSE = re.compile("[，。；：！？,;:!?]")
_FIELD = re.compile(r"[^—\s]+")
_ORD = r"[一二三四五六七八九十百零〇]+|\d+"
_SLOTS = {
    "DATE": r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日(?:[和至、-]\d{1,2}日)?",
    "YEAR": YEAR_RE.pattern,
    "ORD": rf"(?<=第)(?:{_ORD})(?=[届次个])",
    # a percent with its range and bound is one value (国内生产总值增长{PERCENT}: 6%－6.5%, 5.5%左右)
    "PERCENT": r"\d+(?:[.．]\d+)?[%％]?(?:[-－—～~至到]\d+(?:[.．]\d+)?)?[%％](?:左右|以上|以内|以下|上下)?",
    "NUM": r"\d+(?:[.．]\d+)?",
}
_FREE = r"[^—\s]+?"
_SLOT_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _SLOTS.items()))


class LineFrame(Frame):
    """A frame over one field of a heading or title line: matched between line edges, dashes and
    spaces, its slots by their type's pattern."""

    where = "title"

    def regex(self) -> re.Pattern:
        if self._regex is None:
            parts = [r"(?:^|(?<=[—\s]))"]
            for i, p in enumerate(self.pieces):
                parts.append(re.escape(p))
                if i < len(self.slots):
                    kind = self.slots[i].type
                    body = _ORD if kind == "ORD" else _SLOTS.get(kind, _FREE)
                    parts.append(f"({body})")
            parts.append(r"(?=[—\s]|$)")
            self._regex = re.compile("".join(parts))
        return self._regex

    def run_in_regex(self) -> re.Pattern | None:
        """The frame at the start of a line that goes on after it (a heading run into the text after
        it); None for a frame ending in a slot (where it ends is not known)."""
        if not self.pieces[-1]:
            return None
        return re.compile(self.regex().pattern[len(r"(?:^|(?<=[—\s]))"):-len(r"(?=[—\s]|$)")].join(("^", "")))


def line_kinds(units: Sequence[Any], body: Sequence[Any]) -> list[tuple[str, Any]]:
    """``(kind, unit)`` for a document's lines without clause punctuation: ``title`` before its first
    punctuated sentence (the units ``body`` leaves out), ``heading`` after it."""
    kept = {id(u) for u in body}
    out = []
    for u in units:
        if id(u) not in kept:
            out.append(("title", u))
        elif u.core and not _CLAUSE.search(u.core):
            out.append(("heading", u))
    return out


def _shape(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Fixed pieces, slot types and slot values of one field."""
    pieces, types, values = [""], [], []
    pos = 0
    for m in _SLOT_RE.finditer(text):
        pieces[-1] += text[pos:m.start()]
        types.append(m.lastgroup)
        values.append(m.group())
        pieces.append("")
        pos = m.end()
    pieces[-1] += text[pos:]
    return tuple(pieces), tuple(types), tuple(values)


def mine_line_frames(lines: Sequence[tuple[str, Any]], docs: Sequence[Any], min_docs: int,
                     min_fixed_han: int = 4, units: Sequence[Any] = ()) -> list[LineFrame]:
    """Frames of heading and title fields (see the module docstring), each with its matches in the
    lines of its kind: one instance per matching field, ``support`` the documents matched. A heading
    frame is matched too at the start of the ``units`` (sentences and lines) that open with an
    enumerator and go on after it (a heading run into the text after it)."""
    run_in = [u for u in units if u.core and ENUMERATOR.match(u.sentence)]
    shapes: dict[tuple, set[str]] = defaultdict(set)
    for kind, u in lines:
        for f in _FIELD.finditer(u.core):
            pieces, types, _ = _shape(f.group())
            if types and _han("".join(pieces)) >= min_fixed_han and _balanced(pieces):
                shapes[(kind, pieces, types)].add(u.doc_id)
    by_doc = {d.id: d for d in docs}
    out = []
    for (kind, pieces, types), ds in sorted(shapes.items()):
        if len(ds) < min_docs:
            continue
        names = typed_names(list(types))
        text = render(list(pieces), names)
        frame = LineFrame(template_id(text), text, [Slot(n, t, [], 0) for n, t in zip(names, types)],
                          [], True, True)
        frame.where = kind
        rx = frame.regex()
        for k, u in lines:
            if k != kind:
                continue
            for m in rx.finditer(u.core):
                a, b = u.core_start + m.start(), u.core_start + m.end()
                ra, rb = by_doc[u.doc_id].raw_span(a, b)
                frame.instances.append(Instance(u.doc_id, u.unit_id, u.sentence, a, b, int(ra), int(rb),
                                                dict(zip(names, m.groups()))))
        head = frame.run_in_regex() if kind == "heading" else None
        if head is not None:
            done = {i.unit_id for i in frame.instances}
            n_field = len(frame.instances)
            for u in run_in:
                m = head.match(u.core)
                if m and u.unit_id not in done:
                    a, b = u.core_start + m.start(), u.core_start + m.end()
                    ra, rb = by_doc[u.doc_id].raw_span(a, b)
                    frame.instances.append(Instance(u.doc_id, u.unit_id, u.sentence, a, b, int(ra), int(rb),
                                                    dict(zip(names, m.groups()))))
            if len(frame.instances) > n_field:
                order = {d.id: k for k, d in enumerate(docs)}
                frame.instances.sort(key=lambda i: (order[i.doc_id], i.start))
        for s in frame.slots:
            s.values = sorted({i.slot_values[s.name] for i in frame.instances})
        if frame.support >= min_docs:
            out.append(frame)
    return out


def load_library(path: Any) -> TemplateLibrary:
    """Read a library saved by :meth:`TemplateLibrary.save`; frames (``"frame": true``) come back as
    :class:`Frame` (heading and title frames as :class:`LineFrame`, frames inside clauses as
    :class:`~gkcorpus.templates.frame_inner.InnerFrame`),
    other templates as they were."""
    import json

    lib = TemplateLibrary.load(path)
    try:
        raw = json.loads(open(path, encoding="utf-8").read())
        flags = [(bool(d.get("frame")), d.get("where", "body"), bool(d.get("floats")), bool(d.get("inner")))
                 for d in raw]
        copied = [bool(d.get("copied")) for d in raw]
    except (AttributeError, TypeError):
        return lib
    out = []
    for t, (frame, where, floats, inner) in zip(lib.templates, flags):
        if frame and inner:
            from .frame_inner import InnerFrame

            out.append(InnerFrame(t.id, t.template, t.slots, t.instances, True, True))
        elif frame and where in LINE_KINDS:
            f = LineFrame(t.id, t.template, t.slots, t.instances, True, True)
            f.where = where
            out.append(f)
        elif frame:
            f = Frame.from_template(t)
            f.floats = floats
            out.append(f)
        else:
            out.append(t)
    for t, c in zip(out, copied):
        if c and isinstance(t, Frame):
            t.copied = True
    return TemplateLibrary(out)

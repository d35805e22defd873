"""A document's outline segments: its top-level sections (or paragraphs when it has no headings), with roles."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..corpus import Unit

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Document

__all__ = ["outline_segments", "ROLE_OPENING", "ROLE_CLOSING"]


ROLE_OPENING = "preamble"  # segment roles
ROLE_SECTION = "section"
ROLE_CLOSING = "tail"
ROLE_FALLBACK = "paragraph"
START, END = "START", "END"


# --------------------------------------------------------------------------- segments (per document)


def _unit(doc: "Document", uid: str, level: str, index: int, start: int, end: int, section: str,
          heading: str, path: tuple[str, ...]) -> Unit:
    text = doc.text[start:end].strip()
    rs, re_ = doc.raw_span(start, end)
    return Unit(uid, doc.id, level, index, text, start, end, rs, re_, section, heading, path)


def _depth(section_id: str) -> int:
    return section_id.count(".") + 1 if section_id else 0


def _fallback_segments(doc: "Document", max_chars: int) -> list[tuple[Unit, str]]:
    """Paragraphs of a document without headings; a paragraph over ``max_chars`` is cut into sentence runs."""
    st = doc.structure
    out: list[tuple[Unit, str]] = []
    sents_of: dict[int, list] = defaultdict(list)
    for s in st.sentences:
        sents_of[s.paragraph].append(s)
    k = 0
    for p in st.paragraphs:
        if p.kind == "closing":
            continue
        if p.end - p.start <= max_chars:
            out.append((_unit(doc, f"{doc.id}#p{p.index}", "paragraph", k, p.start, p.end, p.section, "", ()), ROLE_FALLBACK))
            k += 1
            continue
        start, piece = p.start, 0
        for s in sents_of[p.index]:
            if s.end - start >= max_chars // 2 or s.end >= p.end:
                out.append((_unit(doc, f"{doc.id}#p{p.index}~{piece}", "paragraph", k, start, s.end, p.section, "", ()),
                            ROLE_FALLBACK))
                k += 1
                piece += 1
                start = s.end
    return out


def outline_segments(doc: "Document", depth: int = 1, split_tail: bool = True,
                     fallback_max_chars: int = 2000) -> list[tuple[Unit, str]]:
    """The document's outline segments in order, each with its role.

    Roles: ``"preamble"`` (before the first heading), ``"section"`` (a section down to ``depth``),
    ``"tail"`` (the detached last paragraph) and ``"paragraph"`` (fallback for a document without
    headings). Unit ids are the corpus's (``Corpus.units``); a parent section's segment keeps its id
    but only its text before its first child. Segments never overlap.
    """
    st = doc.structure
    secs = [s for s in st.flat_sections() if _depth(s.id) <= depth]
    if not any(s.heading is not None for s in secs):
        return _fallback_segments(doc, fallback_max_chars)
    by_id = {s.id: s for s in st.flat_sections()}

    def path(sid: str) -> tuple[str, ...]:
        parts = sid.split(".")
        hs = [by_id[".".join(parts[: i + 1])].heading for i in range(len(parts))]
        return tuple(h.text for h in hs if h is not None)

    uid = {u.section: u.unit_id for u in doc.units("section")}  # the corpus's own section ids
    out: list[tuple[Unit, str]] = []
    for i, s in enumerate(secs):
        # pre-order: the next segment start is a child (inside this section) or lies beyond it
        end = min(s.end, secs[i + 1].start) if i + 1 < len(secs) else s.end
        if not doc.text[s.start:end].strip():
            continue
        if s.heading is None:
            out.append((_unit(doc, uid[s.id], "section", len(out), s.start, end, "", "", ()), ROLE_OPENING))
        else:
            p = path(s.id)
            out.append((_unit(doc, uid[s.id], "section", len(out), s.start, end, s.id, p[-1], p), ROLE_SECTION))
    if split_tail and out:
        out = _split_tail(doc, out)
    return out


def _split_tail(doc: "Document", segs: list[tuple[Unit, str]]) -> list[tuple[Unit, str]]:
    """Detach the last body paragraph when its section has other body text before it."""
    st = doc.structure
    body = [p for p in st.paragraphs if p.kind == "body"]
    if not body:
        return segs
    last = body[-1]
    if any(h.start == last.start for h in st.headings):
        return segs  # a run-in heading paragraph is a section's own content
    unit, role = segs[-1]
    if role not in (ROLE_SECTION, ROLE_OPENING) or not unit.start <= last.start < unit.end:
        return segs
    if not any(p.section == last.section and p.start < last.start for p in body):
        return segs  # the paragraph is its (sub)section's only body text: it is that section
    head = _unit(doc, unit.unit_id, unit.level, unit.index, unit.start, last.start, unit.section, unit.heading,
                 unit.section_path)
    tail = _unit(doc, f"{doc.id}#p{last.index}", "paragraph", unit.index + 1, last.start, last.end, last.section,
                 unit.heading, unit.section_path)
    return segs[:-1] + [(head, role), (tail, ROLE_CLOSING)]

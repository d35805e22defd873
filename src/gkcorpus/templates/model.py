"""Template records: slots, instances, matches, and the template with its matcher."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from .slots import base_type, slot_constraint, slot_pattern
from .units import _CLAUSE_SET, _SLOT_IN_TEXT

__all__ = ["Slot", "Instance", "Template", "TemplateMatch", "parse_template", "render"]


# =========================================================================== template records


@dataclass
class Slot:
    """A slot of a template: its name in the template text, its type, and the values seen."""

    name: str
    type: str
    values: list[str] = field(default_factory=list)
    n_empty: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "values": list(self.values), "n_empty": self.n_empty}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Slot":
        return cls(str(d["name"]), str(d.get("type") or base_type(str(d["name"]))), list(d.get("values", [])),
                   int(d.get("n_empty", 0)))


class _SlotValues(dict):
    """A read-only dict of slot values, shared by the instances of one distinct sentence (a mined
    library holds one instance a sentence: at scale, millions). Copy it (``dict(v)``) to change it."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the slot values of a mined instance are shared and read-only; copy them with dict()")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]
    __ior__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (_SlotValues, (dict(self),))


@dataclass(slots=True)
class Instance:
    """One sentence instantiating a template, with the evidence to find it again."""

    doc_id: str
    unit_id: str
    sentence: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    slot_values: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "unit_id": self.unit_id, "sentence": self.sentence, "start": self.start,
                "end": self.end, "raw_start": self.raw_start, "raw_end": self.raw_end,
                "slot_values": dict(self.slot_values)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Instance":
        return cls(str(d["doc_id"]), str(d.get("unit_id", "")), str(d["sentence"]), int(d.get("start", -1)),
                   int(d.get("end", -1)), int(d.get("raw_start", -1)), int(d.get("raw_end", -1)),
                   {str(k): str(v) for k, v in (d.get("slot_values") or {}).items()})


@dataclass
class TemplateMatch:
    """Where a template matched inside a text (offsets relative to that text), the slot values and
    where each value is."""

    template: "Template"
    start: int
    end: int
    values: dict[str, str]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"template_id": self.template.id, "start": self.start, "end": self.end, "values": dict(self.values),
                "spans": {k: list(v) for k, v in self.spans.items()}}


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def render(pieces: Sequence[str], names: Sequence[str]) -> str:
    """Template text from fixed pieces and slot names: ``现将{TOPIC}总结如下``."""
    out = [_escape(pieces[0])]
    for name, p in zip(names, pieces[1:]):
        out.append("{" + name + "}")
        out.append(_escape(p))
    return "".join(out)


def parse_template(text: str) -> tuple[list[str], list[str]]:
    """``(pieces, slot names)`` of a template text (``{{`` and ``}}`` stand for literal braces)."""
    pieces, names, cur, pos = [], [], [], 0
    for m in _SLOT_IN_TEXT.finditer(text):
        cur.append(text[pos:m.start()])
        if m.group(0) == "{{":
            cur.append("{")
        elif m.group(0) == "}}":
            cur.append("}")
        else:
            pieces.append("".join(cur))
            cur = []
            names.append(m.group(1))
        pos = m.end()
    cur.append(text[pos:])
    pieces.append("".join(cur))
    return pieces, names


def _literal_span(lit: str, text: str, open_start: bool, open_end: bool) -> tuple[int, int] | None:
    """Where a template without slots matches ``text``, as its regex would: the whole text, or (on an
    open side) the leftmost occurrence starting at the start or after ，；： and ending at the end or
    before one."""
    n, m = len(text), len(lit)
    if not open_start and not open_end:
        return (0, n) if text == lit else None
    if not open_start:
        return (0, m) if text.startswith(lit) and (m == n or text[m] in _CLAUSE_SET) else None
    if not open_end:
        p = n - m
        return (p, n) if text.endswith(lit) and (p == 0 or text[p - 1] in _CLAUSE_SET) else None
    p = text.find(lit)
    while p >= 0:
        if (p == 0 or text[p - 1] in _CLAUSE_SET) and (p + m == n or text[p + m] in _CLAUSE_SET):
            return p, p + m
        p = text.find(lit, p + 1)
    return None


_SOLVE_BEFORE_COMPILING = 64  # texts a closed-type template is matched on without its regex
_SOLVE_STEPS = 256  # value tests per text before the matcher gives up (and the regex decides)
_UNSURE: Any = object()


def _solve(pieces: Sequence[str], groups: Sequence[tuple], text: str, open_start: bool,
           open_end: bool) -> tuple[int, int, list[tuple[int, int]]] | None | Any:
    """Match a template (fixed ``pieces`` around slot ``groups``, see :func:`slot_constraint`) as its
    regex would, without compiling it: ``(start, end, value spans)``, None (no match), or
    ``_UNSURE`` (the regex must decide).

    The regex searches start positions left to right and returns, at the first start where the
    template fits, the first placement in its backtracking order. Here every placement at that start
    is enumerated (:class:`_Placements`); when there is exactly one, it is the regex's answer,
    whatever the order; when there are several, or the search grows long, the answer is ``_UNSURE``."""
    n = len(text)
    search = _Placements(pieces, groups, text, open_end)
    p0 = pieces[0]
    starts = range(n + 1) if open_start else (0,)
    for st in starts:
        if open_start and st > 0 and text[st - 1] not in _CLAUSE_SET:
            continue
        if not text.startswith(p0, st):
            continue
        found: list = []
        search.place(0, st + len(p0), [], found)
        if not found:
            continue
        if len(found) > 1 or found[0] is _UNSURE:
            return _UNSURE
        spans = found[0]
        end = spans[-1][1] + len(pieces[-1])
        return st, end, spans
    return None


class _Placements:
    """The placements of a template's slots in ``text`` after a start: fixed pieces found with
    ``str.find``, each value tested against its slot's pattern or excluded characters. Counts the
    values tested over all starts (beyond ``_SOLVE_STEPS`` the search gives up)."""

    def __init__(self, pieces: Sequence[str], groups: Sequence[tuple], text: str, open_end: bool):
        self.pieces, self.groups, self.text, self.open_end = pieces, groups, text, open_end
        self.steps = 0

    def ends_of(self, i: int, pos: int) -> Iterator[int]:
        """Candidate ends of slot ``i`` starting at ``pos`` (where the next piece can follow)."""
        text, n = self.text, len(self.text)
        lit = self.pieces[i + 1]
        last = i == len(self.groups) - 1
        if lit:
            if last and not self.open_end:
                e = n - len(lit)
                if e >= pos and text.endswith(lit):
                    yield e
                return
            e = text.find(lit, pos)
            while e >= 0:
                if not last or e + len(lit) == n or text[e + len(lit)] in _CLAUSE_SET:
                    yield e
                e = text.find(lit, e + 1)
        elif not self.open_end:
            yield n
        else:
            for e in range(pos, n + 1):
                if e == n or text[e] in _CLAUSE_SET:
                    yield e

    def value_ok(self, g: tuple, a: int, b: int) -> bool | None:
        """Whether ``text[a:b]`` is a value of slot group ``g``; None when only the regex can tell."""
        self.steps += 1
        text = self.text
        if g[0] == "class":
            if a == b:
                return g[2]
            return not g[1] or not any(ch in g[1] for ch in text[a:b])
        if a == b and g[2]:
            return True
        if g[3] and b < len(text) and text[b].isdecimal():
            return None  # a lookahead at the value's end would see this digit: unsure
        return g[1].fullmatch(text, a, b) is not None

    def place(self, i: int, pos: int, spans: list[tuple[int, int]], found: list) -> bool:
        """Placements of slots i.. from ``pos`` appended to ``found``; False to stop (unsure, or a
        second placement)."""
        if i == len(self.groups):
            found.append(list(spans))
            return len(found) < 2
        g = self.groups[i]
        for e in self.ends_of(i, pos):
            if self.steps > _SOLVE_STEPS:
                found.append(_UNSURE)
                return False
            ok = self.value_ok(g, pos, e)
            if ok is None:
                found.append(_UNSURE)
                return False
            if ok:
                spans.append((pos, e))
                go = self.place(i + 1, e + len(self.pieces[i + 1]), spans, found)
                spans.pop()
                if not go:
                    return False
        return True


def template_id(text: str) -> str:
    """A stable id: ``t`` + 10 hex digits of the BLAKE2 hash of the template text."""
    return "t" + hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()


@dataclass
class Template:
    """Fixed text with typed slots, its instances and support.

    ``open_start``/``open_end``: the template may begin after (end before) a clause boundary inside
    a sentence — free clauses around it are context — rather than spanning the whole sentence core.
    """

    id: str
    template: str
    slots: list[Slot]
    instances: list[Instance] = field(default_factory=list)
    open_start: bool = False
    open_end: bool = False
    _regex: Any = field(default=None, repr=False, compare=False)
    _parsed: Any = field(default=None, repr=False, compare=False)  # (template text, pieces, fixed chars)
    _plan: Any = field(default=None, repr=False, compare=False)  # (pieces, slot constraints) or False
    _solves: int = field(default=0, repr=False, compare=False)

    @classmethod
    def from_text(cls, text: str, types: Mapping[str, str] | None = None, open_start: bool = False,
                  open_end: bool = False) -> "Template":
        """A template from its text; slot types from ``types`` or the names (``NUM_2`` is a NUM)."""
        _, names = parse_template(text)
        if len(set(names)) != len(names):
            raise ValueError(f"template {text!r} repeats a slot name")
        types = types or {}
        slots = [Slot(n, types.get(n, base_type(n))) for n in names]
        return cls(template_id(text), text, slots, [], open_start, open_end)

    def _parse(self) -> tuple[str, list[str], int]:
        p = self._parsed
        if p is None or p[0] != self.template:  # parsed once per template text
            pieces = parse_template(self.template)[0]
            p = self._parsed = (self.template, pieces, sum(len(x) for x in pieces))
            self._plan = None
        return p

    @property
    def pieces(self) -> list[str]:
        return list(self._parse()[1])

    def match_key(self) -> str:
        """Text every match holds (its longest fixed piece): a matcher looks for it first."""
        return max(self._parse()[1], key=len)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.slots]

    @property
    def fixed_chars(self) -> int:
        return self._parse()[2]

    @property
    def support(self) -> int:
        """Number of documents with an instance."""
        return len({i.doc_id for i in self.instances})

    @property
    def doc_ids(self) -> list[str]:
        return sorted({i.doc_id for i in self.instances})

    def regex(self) -> re.Pattern:
        """Fixed text literal, closed slot types by their patterns, open ones lazily; anchored to a
        sentence core, or to clause boundaries on an open side."""
        if self._regex is None:
            pieces = self.pieces
            k = len(self.slots)
            parts = ["(?:^|(?<=[，；：]))" if self.open_start else "^"]
            for i, p in enumerate(pieces):
                parts.append(re.escape(p))
                if i < k:
                    s = self.slots[i]
                    edge = (i == 0 and pieces[0] == "" and self.open_start) or (
                        i == k - 1 and pieces[-1] == "" and self.open_end)
                    pat = slot_pattern(s.type, allow_empty=s.n_empty > 0, clause=edge)
                    if s.n_empty > 0 and s.type in ("NUM", "PERCENT", "DATE", "PLACEHOLDER"):
                        pat = f"((?:{pat[1:-1]})?)"
                    parts.append(pat)
            parts.append("(?=[，；：]|$)" if self.open_end else "$")
            self._regex = re.compile("".join(parts), re.S)
        return self._regex

    def _groups(self) -> list[tuple] | None:
        """The slots' constraints as :meth:`regex` writes them (None: some slot needs the regex)."""
        pieces = self._parse()[1]
        k = len(self.slots)
        out = []
        for i, s in enumerate(self.slots):
            edge = ((i == 0 and pieces[0] == "" and self.open_start)
                    or (i == k - 1 and pieces[-1] == "" and self.open_end))
            c = slot_constraint(s.type, allow_empty=s.n_empty > 0, clause=edge)
            if c is None or (0 < i + 1 < k and pieces[i + 1] == ""):  # two slots side by side: leave it to the regex
                return None
            out.append(c)
        return out

    def match(self, text: str) -> TemplateMatch | None:
        """The first match in ``text`` (a sentence core) with its slot values, or None.

        Templates without slots, and the first few texts of a template with closed-type slots
        (numbers, dates…, whose regex is slow to compile), are matched without the regex when the
        answer is certain: a single way to place the template (see :func:`_solve`)."""
        if not self.slots and "\n" not in text:  # fixed text only: what the regex finds, without one
            span = _literal_span(self._parse()[1][0], text, self.open_start, self.open_end)
            return TemplateMatch(self, span[0], span[1], {}, {}) if span is not None else None
        if self._regex is None and self._solves < _SOLVE_BEFORE_COMPILING and "\n" not in text:
            if self._plan is None:
                groups = self._groups()
                closed = groups is not None and any(g[0] == "pattern" for g in groups)
                self._plan = (self._parse()[1], groups) if closed else False
            if self._plan:
                self._solves += 1
                found = _solve(self._plan[0], self._plan[1], text, self.open_start, self.open_end)
                if found is None:
                    return None
                if found is not _UNSURE:
                    start, end, spans = found
                    values = {s.name: text[a:b] for s, (a, b) in zip(self.slots, spans)}
                    return TemplateMatch(self, start, end, values, {s.name: sp for s, sp in zip(self.slots, spans)})
        m = self.regex().search(text)
        if m is None:
            return None
        return self._from_regex(m)

    def _from_regex(self, m: re.Match) -> TemplateMatch:
        values = {s.name: (g or "") for s, g in zip(self.slots, m.groups())}
        spans = {}
        for k, s in enumerate(self.slots, 1):
            a, b = m.span(k)
            spans[s.name] = (a, b) if a >= 0 else (m.start(), m.start())
        return TemplateMatch(self, m.start(), m.end(), values, spans)

    def later_matches(self, text: str, first: TemplateMatch) -> list[TemplateMatch]:
        """The matches in ``text`` after ``first`` (its :meth:`match`), each after the one before: a
        template that may start inside a text (after a clause mark) can hold there more than once (the
        total deficit and the central one in one sentence). Looked for only while the template's
        longest fixed part occurs after the last match."""
        out: list[TemplateMatch] = []
        key, end = self.match_key(), first.end
        while end < len(text) and key in text[end:]:
            m = self.regex().search(text, end)
            if m is None or m.end() <= end:
                break
            out.append(self._from_regex(m))
            end = m.end()
        return out

    def fill(self, values: Mapping[str, Any] | None = None, strict: bool = True, **kw: Any) -> str:
        """Render the template with slot values; missing ones raise ``KeyError`` (``strict``) or stay ``{NAME}``."""
        vals = {**(values or {}), **kw}
        unknown = sorted(set(vals) - set(self.names))
        if unknown:
            raise KeyError(f"unknown slot(s) {', '.join(unknown)}; this template has {', '.join(self.names) or 'no slots'}")
        missing = [n for n in self.names if n not in vals]
        if missing and strict:
            raise KeyError(f"missing value(s) for {', '.join(missing)}")
        pieces = self.pieces
        out = [pieces[0]]
        for name, p in zip(self.names, pieces[1:]):
            out.append(str(vals[name]) if name in vals else "{" + name + "}")
            out.append(p)
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "template": self.template,
            "slots": [s.to_dict() for s in self.slots],
            "support": self.support,
            "n_instances": len(self.instances),
            "fixed_chars": self.fixed_chars,
            "open_start": self.open_start,
            "open_end": self.open_end,
            "doc_ids": self.doc_ids,
            "instances": [i.to_dict() for i in self.instances],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Template":
        text = str(d["template"])
        _, names = parse_template(text)
        slots = [Slot.from_dict(s) for s in d.get("slots", [])] or [Slot(n, base_type(n)) for n in names]
        if [s.name for s in slots] != names:
            raise ValueError(f"template {text!r}: slots {[s.name for s in slots]} do not match its text")
        return cls(str(d.get("id") or template_id(text)), text, slots,
                   [Instance.from_dict(i) for i in d.get("instances", [])],
                   bool(d.get("open_start", False)), bool(d.get("open_end", False)))

    def __repr__(self) -> str:
        return f"Template({self.id}, {self.template!r}, support={self.support})"

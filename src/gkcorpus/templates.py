"""Sentence templates with typed slots: mine them from a corpus, match them in any text, fill them.

A template is fixed text with typed slots, shared by sentences of several documents::

    此次活动共接访群众{NUM}余人          现将{TOPIC}总结如下          按照{ORG}《{DOC_TITLE}》{TEXT}要求

Mining (:class:`TemplateMiner`)
    1. Per document (pure, parallelisable): sentences from the document structure, each reduced to
       its *core* (heading marker and final punctuation removed) — :func:`document_units`.
    2. Candidate pairs, never all pairs: sentences of different documents that share a clause
       opening or a clause ending (sorted neighbourhood over clause starts and reversed clause
       ends), rare character n-grams of a first or last clause (an inverted index), or, for short
       sentences such as headings, two character bigrams; each sentence keeps its few best
       partners — :func:`candidate_pairs`.
    3. Each candidate pair is aligned (a longest common subsequence over characters with digits
       masked — jieba cuts 我镇 / 我|镇 and 工作总结 / 总结 differently from one sentence to the next,
       which breaks token alignment — or over jieba tokens with ``align="token"``): common runs
       are fixed text, gaps are slots, so a slot may span different numbers of words in each
       sentence, unlike Drain. Free clauses before or after the shared frame (cut at ，；：) are
       context, not part of the template; stray matches far out in free text are dropped.
    4. A frame must keep enough fixed text, explain (fixed text, typed values, a role-named slot)
       half of every sentence span it covers, and, when cut out of longer sentences, have a slot
       filled everywhere and reach a sentence edge somewhere: a shared phrase inside sentences is a
       formula (the phrase miners' business), not a template.
    5. Pairs are merged greedily, most fixed text first, into groups whose template is re-aligned
       at each merge; a merge is refused when the frame fails step 4 or would lose most of the
       group's fixed text.
    6. Each group's slots are widened to whole values (``5月{NUM}日`` -> ``{DATE}``) and to word
       boundaries, and narrowed to leave qualifiers and units outside (``{NUM}余人``); then typed
       and named (:mod:`gkcorpus.slots`). Unassigned sentences that fit a template by the same
       rules join it.

Matching (:class:`TemplateLibrary`) compiles every template to a regex (fixed text literal, slots
typed or lazy) and extracts a table of slot values from any text or corpus. A library is saved as
JSON (the ``templates.json`` of ``gkcorpus templates mine``) and applied later without mining again.

Filling: :meth:`Template.fill` renders a template with given values; :func:`skeleton` writes the
corpus's common outline with, under each section, its best-supported templates, as Markdown.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from sklearn.base import BaseEstimator

from .slots import (
    NUM_AFFIX_CHARS,
    TYPED,
    base_type,
    classify,
    common_affix,
    find_entities,
    parse_number,
    slot_name,
    slot_pattern,
    slot_type,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus

__all__ = [
    "SentenceUnit",
    "Slot",
    "Instance",
    "Template",
    "TemplateMatch",
    "TemplateLibrary",
    "TemplateMiner",
    "Skeleton",
    "document_units",
    "sentence_core",
    "candidate_pairs",
    "parse_template",
    "render",
    "skeleton",
    "EXTRACT_COLUMNS",
    "INSTANCE_COLUMNS",
]

CLAUSE = "，；："
_CLAUSE_SET = frozenset(CLAUSE)
_SENT_A, _SENT_B = "\ue000", "\ue001"  # slot sentinels in alignment strings (never in text)
_KEEP_SINGLE = frozenset("《》“”")  # one-character anchors worth keeping as fixed text
_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]、?|\d{1,2}(?:[、．]|\.(?!\d))|[（(]\d{1,2}[）)]、?)\s*"
)
_TRAIL = "。！？；：，、!?;:,. \t\u3000"
_DIGIT = re.compile(r"\d")
_LAST_CLAUSE = re.compile(r"[，；：](?=[^，；：]*$)")
_FIRST_CLAUSE = re.compile(r"[，；：]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SLOT_IN_TEXT = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")

EXTRACT_COLUMNS = [
    "doc_id", "unit_id", "template_id", "template", "slot", "type", "value", "number",
    "value_start", "value_end", "value_raw_start", "value_raw_end",
    "start", "end", "raw_start", "raw_end", "sentence",
]
INSTANCE_COLUMNS = [
    "template_id", "template", "doc_id", "unit_id", "start", "end", "raw_start", "raw_end", "sentence", "slot_values",
]


# =========================================================================== units (per document)


@dataclass(frozen=True)
class SentenceUnit:
    """One sentence of one document and its core, the part a template describes.

    ``start``/``end`` span the whole sentence in the document's clean text; ``core_start``/``core_end``
    the sentence without its heading marker (一、 （一） 1、) and final punctuation.
    """

    doc_id: str
    unit_id: str
    index: int
    start: int
    end: int
    core_start: int
    core_end: int
    sentence: str
    core: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def sentence_core(sentence: str) -> tuple[int, int]:
    """``(start, end)`` of the core of a sentence: no heading marker, no final punctuation or spaces."""
    m = _MARKER.match(sentence)
    i = m.end() if m and m.end() < len(sentence) else 0
    j = len(sentence)
    while j > i and sentence[j - 1] in _TRAIL:
        j -= 1
    while i < j and sentence[i].isspace():
        i += 1
    return i, j


def _has_content(core: str) -> bool:
    return any(ch.isalnum() for ch in core)


def document_units(doc_id: str, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[SentenceUnit]:
    """The sentence units of one document (pure per-document work).

    ``spans`` are sentence ``(start, end)`` offsets (default: from :func:`gkcorpus.structure.parse_structure`).
    Sentences with no letter or digit in their core (stray punctuation) are skipped.
    """
    if spans is None:
        from .structure import parse_structure

        spans = [(s.start, s.end) for s in parse_structure(text).sentences]
    out: list[SentenceUnit] = []
    for k, (s, e) in enumerate(spans):
        sent = text[s:e]
        lead = len(sent) - len(sent.lstrip())
        sent_s, sent_e = s + lead, s + len(sent.rstrip())
        sentence = text[sent_s:sent_e]
        ci, cj = sentence_core(sentence)
        core = sentence[ci:cj].replace(_SENT_A, " ").replace(_SENT_B, " ")
        if not _has_content(core):
            continue
        out.append(SentenceUnit(doc_id, f"{doc_id}#t{k}", k, sent_s, sent_e, sent_s + ci, sent_s + cj, sentence, core))
    return out


def _doc_units(doc: Any) -> list[SentenceUnit]:
    spans = [(s.start, s.end) for s in doc.structure.sentences]
    return document_units(doc.id, doc.text, spans)


def _as_documents(X: Any) -> list[Any]:
    """Documents from a Corpus, a Document, a string, or a sequence of Documents / strings / (id, text)."""
    from .corpus import Corpus, Document

    if isinstance(X, Corpus):
        return list(X)
    if isinstance(X, Document):
        return [X]
    if isinstance(X, str):
        X = [X]
    out = []
    for i, x in enumerate(X):
        if isinstance(x, Document):
            out.append(x)
        elif isinstance(x, str):
            out.append(_TextDoc(f"text-{i + 1}", x))
        elif isinstance(x, (tuple, list)) and len(x) == 2:
            out.append(_TextDoc(str(x[0]), str(x[1])))
        else:
            raise TypeError(f"cannot read {type(x).__name__} as a document (give a Corpus, Documents, strings or (id, text) pairs)")
    return out


class _TextDoc:
    """A bare text standing in for a Document (no raw text: raw offsets equal clean offsets)."""

    def __init__(self, doc_id: str, text: str):
        self.id = doc_id
        self.text = text
        self._structure = None

    @property
    def structure(self) -> Any:
        if self._structure is None:
            from .structure import parse_structure

            self._structure = parse_structure(self.text)
        return self._structure

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return start, end


# =========================================================================== candidate pairs


def _norm(text: str) -> str:
    """Alignment key of a text: digits masked (``100`` and ``300`` align), length kept."""
    return _DIGIT.sub("0", text)


def _common_prefix_len(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def candidate_pairs(
    units: Sequence[SentenceUnit],
    min_anchor: int = 4,
    window: int = 4,
    ngram: int = 6,
    min_shared: int = 6,
    max_df: int = 50,
    max_posting: int = 64,
    max_candidates: int = 4,
    key_chars: int = 24,
    short_len: int = 12,
) -> list[tuple[int, int, int]]:
    """Pairs of units from different documents worth aligning, as ``(evidence, i, j)`` with ``i < j``.

    Three cheap blockers, never all pairs:

    * clause openings: every clause start of every unit, sorted by the next ``key_chars`` characters;
      each entry is compared with the next ``window`` entries; a common opening of ``min_anchor``
      characters makes a pair (evidence: its length);
    * clause endings: the same over reversed clause ends (``…总结如下`` meets ``…总结如下``);
    * rare n-grams: character ``ngram``-grams of each sentence's first and last clause (indexed when
      in at most ``max_df`` documents and ``max_posting`` units), looked up from all n-grams of
      every sentence; ``min_shared`` shared grams make a pair (evidence: their count + n - 1);
    * short sentences (at most ``short_len`` characters: headings) sharing two character bigrams.

    Each unit keeps its ``max_candidates`` best pairs. Digits are masked throughout.
    """
    norms = [_norm(u.core) for u in units]
    docs = [u.doc_id for u in units]
    best: dict[tuple[int, int], int] = {}

    def add(i: int, j: int, ev: int) -> None:
        if docs[i] == docs[j]:
            return
        key = (i, j) if i < j else (j, i)
        if ev > best.get(key, 0):
            best[key] = ev

    marks = [[m.start() for m in _FIRST_CLAUSE.finditer(t)] for t in norms]
    for reverse in (False, True):
        if reverse:
            entries = [(t[max(0, e - key_chars):e][::-1], i) for i, t in enumerate(norms)
                       for e in [m for m in marks[i] if m > 0] + [len(t)]]
        else:
            entries = [(t[s:s + key_chars], i) for i, t in enumerate(norms)
                       for s in [0] + [m + 1 for m in marks[i] if m + 1 < len(t)]]
        entries.sort()
        n = len(entries)
        for a in range(n - 1):
            ka, ia = entries[a]
            head = ka[:min_anchor]
            if len(head) < min_anchor:
                continue
            for b in range(a + 1, min(n, a + 1 + window)):
                kb, ib = entries[b]
                if kb[:min_anchor] != head:
                    break  # sorted: later entries share even less
                if ia != ib:
                    add(ia, ib, _common_prefix_len(ka, kb))

    # n-grams of each sentence's first and last clause, looked up from every n-gram of every
    # sentence: a frame reaches a sentence edge in at least one of its sentences
    postings: dict[str, list[int]] = {}
    for i, t in enumerate(norms):
        head = marks[i][0] if marks[i] else len(t)
        tail = marks[i][-1] + 1 if marks[i] else 0
        edge = {t[k:k + ngram] for k in range(head - ngram + 1)}
        edge.update(t[k:k + ngram] for k in range(tail, len(t) - ngram + 1))
        for g in edge:
            post = postings.get(g)
            if post is None:
                postings[g] = [i]
            else:
                post.append(i)
    for g in [g for g, post in postings.items()
              if len(post) > max_posting or (len(post) > max_df and len({docs[i] for i in post}) > max_df)]:
        del postings[g]
    shared: Counter = Counter()
    for j, t in enumerate(norms):
        dj = docs[j]
        for g in {t[k:k + ngram] for k in range(len(t) - ngram + 1)}:
            post = postings.get(g)
            if post is not None:
                for i in post:
                    if docs[i] != dj:
                        shared[(i, j) if i < j else (j, i)] += 1
    for (i, j), c in shared.items():
        if c >= min_shared:
            add(i, j, c + ngram - 1)

    # short sentences (headings) share too little for the blockers above: pair them on two bigrams
    bigrams: dict[str, list[int]] = {}
    for i, t in enumerate(norms):
        if len(t) <= short_len:
            for g in {t[k:k + 2] for k in range(len(t) - 1)}:
                bigrams.setdefault(g, []).append(i)
    shared = Counter()
    for post in bigrams.values():
        if 2 <= len(post) <= max_posting:
            for x in range(len(post) - 1):
                i = post[x]
                for j in post[x + 1:]:
                    if docs[i] != docs[j]:
                        shared[(i, j)] += 1
    for (i, j), c in shared.items():
        if c >= 2:
            add(i, j, c + 1)

    per_unit: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (i, j), ev in best.items():
        per_unit[i].append((ev, i, j))
        per_unit[j].append((ev, i, j))
    keep: set[tuple[int, int, int]] = set()
    for i, lst in per_unit.items():
        lst.sort(key=lambda p: (-p[0], p[1], p[2]))
        keep.update(lst[:max_candidates])
    return sorted(keep, key=lambda p: (-p[0], p[1], p[2]))


# =========================================================================== alignment


class _Identity:
    """Offsets of a character-mode encoding: position i is character i."""

    def __getitem__(self, i: int) -> int:
        return i


_IDENTITY: Any = _Identity()


class _Encoder:
    """Turns texts into alignment strings: characters (digits masked) or jieba tokens (one code each)."""

    def __init__(self, mode: str, tokenize: Callable[[str], list[str]] | None):
        if mode not in ("char", "token"):
            raise ValueError(f"align must be 'char' or 'token', not {mode!r}")
        self.mode = mode
        self.tokenize = tokenize
        self._codes: dict[str, str] = {}

    def encode(self, text: str) -> tuple[str, list[int]]:
        """``(alignment string, char offset of each position + end)``."""
        if self.mode == "char":
            return _norm(text), _IDENTITY
        toks = self.tokenize(text) if text else []
        out, offs, pos = [], [], 0
        for t in toks:
            if not t:
                continue
            key = _norm(t)
            code = self._codes.get(key)
            if code is None:
                code = self._codes[key] = chr(0xF0000 + len(self._codes) % 0xFFFD)
            out.append(code)
            offs.append(pos)
            pos += len(t)
        offs.append(pos)
        return "".join(out), offs

    def encode_pieces(self, pieces: Sequence[str], sentinel: str, open_start: bool, open_end: bool) -> tuple[str, list[int], str]:
        """Encode a template: pieces joined by sentinels (one per slot, and at open ends)."""
        parts: list[str] = []
        offs: list[int] = []
        text = ""
        if open_start:
            parts.append(sentinel)
            offs.append(0)
            text += sentinel
        for k, p in enumerate(pieces):
            if k > 0:
                parts.append(sentinel)
                offs.append(len(text))
                text += sentinel
            s, o = self.encode(p)
            parts.append(s)
            offs.extend(len(text) + o[x] for x in range(len(s)))
            text += p
        if open_end:
            parts.append(sentinel)
            offs.append(len(text))
            text += sentinel
        offs.append(len(text))
        return "".join(parts), offs, text


def _matching_runs(a_code: str, b_code: str, aligner: str) -> list[tuple[int, int, int]]:
    """Common runs ``(i, j, n)`` of two alignment strings, in order.

    ``"lcs"``: a longest common subsequence (rapidfuzz, C++); ``"difflib"``: the standard library's
    longest-block-first matcher (about 100-200x slower, slightly different on ties).
    """
    if aligner == "lcs":
        try:
            from rapidfuzz.distance import LCSseq
        except ImportError:  # pragma: no cover - rapidfuzz is a dependency
            import warnings

            warnings.warn("rapidfuzz is not installed: aligning with difflib (slower, slightly different templates)",
                          RuntimeWarning, stacklevel=3)
            aligner = "difflib"
        else:
            return [(o.src_start, o.dest_start, o.src_end - o.src_start)
                    for o in LCSseq.opcodes(a_code, b_code) if o.tag == "equal"]
    if aligner != "difflib":
        raise ValueError(f"aligner must be 'lcs' or 'difflib', not {aligner!r}")
    sm = difflib.SequenceMatcher(None, a_code, b_code, autojunk=False)
    return [(i, j, n) for i, j, n in sm.get_matching_blocks() if n]


def _blocks(a_code: str, a_off: list[int], a_text: str, b_code: str, b_off: list[int], b_text: str,
            min_block: int, aligner: str = "lcs") -> list[tuple[int, int, int]]:
    """Matched character runs ``(a_start, b_start, length)`` of two encoded texts, cleaned up.

    Runs that differ in their raw characters (masked digits) are split; runs shorter than
    ``min_block`` characters are dropped unless they are a bracket/quote or anchor both starts.
    """
    out: list[tuple[int, int, int]] = []
    for i, j, n in _matching_runs(a_code, b_code, aligner):
        a0, a1 = a_off[i], a_off[i + n]
        b0, b1 = b_off[j], b_off[j + n]
        if a1 - a0 != b1 - b0:
            continue
        if a_text[a0:a1] == b_text[b0:b1]:
            out.append((a0, b0, a1 - a0))
            continue
        run_start = None
        for k in range(a1 - a0 + 1):
            same = k < a1 - a0 and a_text[a0 + k] == b_text[b0 + k]
            if same and run_start is None:
                run_start = k
            elif not same and run_start is not None:
                out.append((a0 + run_start, b0 + run_start, k - run_start))
                run_start = None
    kept = []
    for a, b, n in out:
        if n >= min_block or a_text[a:a + n] in _KEEP_SINGLE or (a == 0 and b == 0):
            kept.append((a, b, n))
    return kept


def _pieces_from_blocks(blocks: list[tuple[int, int, int]], a_text: str, a_len: int, b_len: int) -> list[str]:
    """Fixed pieces between slots: ``pieces[0]`` is empty when the frame starts with a slot, etc."""
    if not blocks:
        return []
    pieces: list[str] = []
    cur = ""
    prev_a, prev_b = 0, 0
    first = True
    for a, b, n in blocks:
        gap = a > prev_a or b > prev_b
        if first:
            if gap:
                pieces.append("")
            cur = a_text[a:a + n]
            first = False
        elif gap:
            pieces.append(cur)
            cur = a_text[a:a + n]
        else:
            cur += a_text[a:a + n]
        prev_a, prev_b = a + n, b + n
    pieces.append(cur)
    if prev_a < a_len or prev_b < b_len:
        pieces.append("")
    return [p.replace(_SENT_A, "").replace(_SENT_B, "") for p in pieces]


def _clean_pieces(pieces: list[str], min_piece: int) -> list[str]:
    """Absorb short interior fixed fragments (``{A}的{B}`` -> ``{A}``); keep brackets and clause marks."""
    if len(pieces) <= 2:
        return pieces
    out = [pieces[0]]
    for k in range(1, len(pieces) - 1):
        p = pieces[k]
        if len(p) < min_piece and not (set(p) & (_KEEP_SINGLE | _CLAUSE_SET)):
            continue  # drop the piece: its two slots merge
        out.append(p)
    out.append(pieces[-1])
    return out


# =========================================================================== fitting a frame to members


@dataclass
class _Fit:
    """A frame fitted to its members: pieces, per-member slot values and context."""

    pieces: list[str]
    values: list[list[str]]
    lead: list[str]
    trail: list[str]
    fixed: int
    coverage: float

    @property
    def open_start(self) -> bool:
        return any(self.lead)

    @property
    def open_end(self) -> bool:
        return any(self.trail)


def _split(pieces: Sequence[str], core: str) -> list[str] | None:
    """Slot values of ``core`` for fixed ``pieces`` (leftmost placement, as a lazy regex ``^p0(.*?)p1…pk$``)."""
    p0 = pieces[0]
    if not core.startswith(p0):
        return None
    if len(pieces) == 1:
        return [] if len(core) == len(p0) else None
    last = pieces[-1]
    end = len(core) - len(last)
    if end < len(p0) or not core.endswith(last):
        return None
    pos = len(p0)
    out = []
    for p in pieces[1:-1]:
        k = core.find(p, pos, end)
        if k < 0:
            return None
        out.append(core[pos:k])
        pos = k + len(p)
    out.append(core[pos:end])
    return out


@dataclass(frozen=True)
class _Rules:
    """What a frame must satisfy (see :class:`TemplateMiner` for the meaning of each)."""

    min_fixed: int = 4
    min_fixed_context: int = 7
    min_fixed_embedded: int = 10
    min_coverage: float = 0.5


def _fit(pieces: Sequence[str], cores: Sequence[str], rules: _Rules, open_start: bool = False,
         open_end: bool = False) -> _Fit | None:
    """Fit ``pieces`` to every core; split off context clauses; check the frame's quality.

    A leading slot is cut at its last clause mark: what comes before is context (the frame may
    start after any clause boundary); a trailing slot likewise at its first clause mark; a clause
    mark ending the first piece (starting the last) before an edge slot makes that whole slot
    context. The frame must keep ``min_fixed`` fixed characters (``min_fixed_context`` when some
    member has context, ``min_fixed_embedded`` when some member has context on both sides); in
    every member the fixed text plus typed or role-named slot values must cover ``min_coverage`` of
    the frame's span. A frame with context needs a slot filled in every member, and must reach the
    start or the end of at least one sentence (else it is a shared phrase, a formula, not a
    template: the phrase and boilerplate miners deal with those).
    """
    pieces = list(pieces)
    if not pieces:
        return None
    if open_start and (len(pieces) == 1 or pieces[0] != ""):
        pieces.insert(0, "")
    if open_end and (len(pieces) == 1 or pieces[-1] != ""):
        pieces.append("")
    values: list[list[str]] = []
    for c in cores:
        v = _split(pieces, c)
        if v is None:
            return None
        values.append(v)
    n = len(cores)
    lead, trail = [""] * n, [""] * n
    if len(pieces) > 1 and pieces[0] == "":
        if pieces[1][:1] in _CLAUSE_SET and not all(_typed(v[0]) for v in values):  # "{A}，现将…": A is context
            for i, v in enumerate(values):
                lead[i], v[0] = v[0] + pieces[1][0], ""
            pieces[1] = pieces[1][1:]
        else:
            for i, v in enumerate(values):
                m = _LAST_CLAUSE.search(v[0])
                if m is not None:
                    lead[i], v[0] = v[0][: m.start() + 1], v[0][m.start() + 1:]
        if all(v[0] == "" for v in values):
            pieces = pieces[1:]
            for v in values:
                v.pop(0)
    if len(pieces) > 1 and pieces[-1] == "":
        if pieces[-2][-1:] in _CLAUSE_SET and not all(_typed(v[-1]) for v in values):  # "…当天，{B}": B is context
            for i, v in enumerate(values):
                trail[i], v[-1] = pieces[-2][-1] + v[-1], ""
            pieces[-2] = pieces[-2][:-1]
        else:
            for i, v in enumerate(values):
                m = _FIRST_CLAUSE.search(v[-1])
                if m is not None:
                    trail[i], v[-1] = v[-1][m.start():], v[-1][:m.start()]
        if all(v[-1] == "" for v in values):
            pieces = pieces[:-1]
            for v in values:
                v.pop()
    if not any(pieces):
        return None
    if all(a and b for a, b in zip(lead, trail)):
        return None  # inside every sentence, free clauses on both sides: a shared phrase, not a frame
    fixed = sum(len(p) for p in pieces)
    context = any(lead) or any(trail)
    embedded = any(lead) and any(trail)
    need = rules.min_fixed_embedded if embedded else rules.min_fixed_context if context else rules.min_fixed
    named: list[bool] | None = None
    if fixed < need:
        # typed values and role-named slots count towards the threshold (在{DATE}的活动当天,
        # 现将{TOPIC}总结如下), in every member
        named = [_named(pieces[k][-2:], pieces[k + 1][:8]) for k in range(len(pieces) - 1)]
        credit = min(sum(len(x) for k, x in enumerate(v) if x and (named[k] or _typed(x))) for v in values)
        if fixed < rules.min_fixed or fixed + credit < need:
            return None
    if context and len(pieces) > 2 and pieces[0] == "" and pieces[-1] == "":
        # free text at both edges of a frame cut out of a longer sentence: a shared phrase, no frame
        if not all(_typed(v[0]) or not v[0] for v in values) and not all(_typed(v[-1]) or not v[-1] for v in values):
            return None
    inside = max(_entity_chars(pieces, v) for v in values) if any(ch in p for p in pieces for ch in "《》“”") else 0
    if inside and (fixed - inside < need or inside > 0.6 * fixed):
        return None  # the shared text is mostly inside titles or quotations: entities, not a frame
    if context:
        # a slot filled in every member: interior, or at an edge when its values are typed
        ok = False
        for k in range(len(pieces) - 1):
            col = [v[k] for v in values]
            if all(col):
                interior = pieces[k] != "" and pieces[k + 1] != ""
                if interior or all(_typed(x) for x in col):
                    ok = True
                    break
        if not ok:
            return None
    # slots named by their context (现将{TOPIC}总结如下) hold expected content, like typed ones
    worst = 1.0
    for i, c in enumerate(cores):
        span = len(c) - len(lead[i]) - len(trail[i])
        if span <= 0:
            return None
        cov = fixed / span
        if cov < rules.min_coverage:
            if named is None:
                named = [_named(pieces[k][-2:], pieces[k + 1][:8]) for k in range(len(pieces) - 1)]
            explained = fixed + sum(len(x) for k, x in enumerate(values[i]) if x and (named[k] or _typed(x)))
            cov = explained / span
        worst = min(worst, cov)
        if worst < rules.min_coverage:
            return None
    return _Fit(pieces, values, lead, trail, fixed, worst)


def _clause_span(marks: Sequence[int], length: int, start: int, end: int) -> int:
    """Length of the clause stretch ``[start, end)`` sits in: from the clause mark before ``start``
    to the one at or after ``end`` (``marks``: sorted positions of ，；：)."""
    k = bisect_right(marks, start)  # a mark opening the stretch belongs to what comes before
    lo = marks[k - 1] + 1 if k else 0
    k2 = bisect_left(marks, end - 1)  # a mark closing it, to what comes after
    hi = marks[k2] if k2 < len(marks) else length
    return max(hi - lo, end - start)


def _best_frame(blocks: list[tuple[int, int, int]], a_text: str, a_len: int, b_len: int, min_piece: int,
                fit: Callable[[list[str]], _Fit | None], tries: int = 3, min_fixed: int = 4,
                anchored_single: bool = True, marks: tuple[Sequence[int], Sequence[int]] | None = None,
                min_estimate: float = 0.3) -> _Fit | None:
    """The frame of an alignment: of all its blocks, or of its best run of blocks when stray
    matches far out in free text spoil the whole.

    The whole alignment, then runs of consecutive blocks whose inner gaps are at most three times
    their matched text (slots holding values or a topic can be long) are tried, densest first
    (matched text less half the larger inner gap), at most ``tries`` in all; what lies outside a
    run becomes context or slot. Between two sentences (``anchored_single``) a single block is a
    frame only when it starts or ends both texts (a shared opening or ending, or the whole).
    With the clause marks of both texts (``marks``), a run is tried only if its matched text is at
    least ``min_estimate`` of the clauses it spans (an optimistic coverage: cheap, and it spares
    the full check of most chance matches).
    """
    n = len(blocks)
    windows = []
    for lo in range(n):
        matched = gap_a = gap_b = 0
        for hi in range(lo, n):
            a, b, k = blocks[hi]
            if hi > lo:
                pa, pb, pk = blocks[hi - 1]
                gap_a += a - pa - pk
                gap_b += b - pb - pk
                if max(gap_a, gap_b) > 3 * (matched + k) and gap_a + gap_b > 6 * (matched + k):
                    break
            matched += k
            full = lo == 0 and hi == n - 1
            if matched < min_fixed or (max(gap_a, gap_b) > 3 * matched and not full):
                continue
            if anchored_single and hi == lo and not ((a == 0 and b == 0) or (a + k == a_len and b + k == b_len)):
                continue
            # dense runs first: matched text, less half the larger inner gap; the whole alignment first of all
            windows.append((not full, -(matched - max(gap_a, gap_b) / 2), hi - lo, lo, hi, matched))
    windows.sort()
    tried = 0
    for *_, lo, hi, matched in windows:
        if tried >= tries:
            break
        if marks is not None:
            ma, mb = marks
            a0, b0, _ = blocks[lo]
            a1 = blocks[hi][0] + blocks[hi][2]
            b1 = blocks[hi][1] + blocks[hi][2]
            # the frame must reach a sentence edge in one of the texts (start in a first clause or
            # end in a last one), and its matched text be a fair share of the clauses it spans
            if not ((not ma or a0 <= ma[0]) or (not mb or b0 <= mb[0]) or a1 > ma[-1] or b1 > mb[-1]):
                continue
            if matched < min_estimate * max(_clause_span(ma, a_len, a0, a1), _clause_span(mb, b_len, b0, b1)):
                continue
        tried += 1
        pieces = _clean_pieces(_pieces_from_blocks(blocks[lo:hi + 1], a_text, a_len, b_len), min_piece)
        f = fit(pieces) if pieces else None
        if f is not None:
            return f
    return None


def _entity_chars(pieces: Sequence[str], values: Sequence[str]) -> int:
    """Fixed characters of a frame that lie inside a title 《…》 or a quotation “…” (in one member)."""
    if not any(("《" in p or "“" in p or "》" in p or "”" in p) for p in pieces):
        return 0
    text, fixed_pos, pos = [], [], 0
    for k, p in enumerate(pieces):
        text.append(p)
        fixed_pos.append((pos, pos + len(p)))
        pos += len(p)
        if k < len(values):
            text.append(values[k])
            pos += len(values[k])
    joined = "".join(text)
    n = 0
    for s, e, kind in find_entities(joined):
        if kind in ("DOC_TITLE", "QUOTE"):
            for a, b in fixed_pos:
                n += max(0, min(b, e) - max(a, s))
    return n


@lru_cache(maxsize=4096)
def _named(before: str, after: str) -> bool:
    """Does a free slot between these ends get a role name (TOPIC…)? (the rules look at most 2
    characters back and 8 ahead)"""
    return slot_name("TEXT", before, after) != "TEXT"


@lru_cache(maxsize=65536)
def _typed(value: str) -> bool:
    return classify(value) in TYPED


# =========================================================================== refining a group's frame


def _slot_spans(fit: _Fit, i: int) -> list[tuple[int, int]]:
    """Character spans of member ``i``'s slot values in its core."""
    pos = len(fit.lead[i])
    spans = []
    for k, p in enumerate(fit.pieces):
        pos += len(p)
        if k < len(fit.pieces) - 1:
            v = fit.values[i][k]
            spans.append((pos, pos + len(v)))
            pos += len(v)
    return spans


def _widen(fit: _Fit, k: int, left: int, right: int) -> None:
    """Move ``left`` chars of the piece before slot ``k`` and ``right`` after it into the slot."""
    if left:
        moved = fit.pieces[k][-left:]
        fit.pieces[k] = fit.pieces[k][:-left]
        for v in fit.values:
            v[k] = moved + v[k]
    if right:
        moved = fit.pieces[k + 1][:right]
        fit.pieces[k + 1] = fit.pieces[k + 1][right:]
        for v in fit.values:
            v[k] = v[k] + moved


def _merge_empty_pieces(fit: _Fit) -> None:
    """Join two slots separated by an empty interior piece."""
    k = 1
    while k < len(fit.pieces) - 1:
        if fit.pieces[k] == "":
            del fit.pieces[k]
            for v in fit.values:
                v[k - 1] = v[k - 1] + v[k]
                del v[k]
        else:
            k += 1


def _snap_entities(fit: _Fit, cores: Sequence[str]) -> None:
    """Widen slots that cut through a typed value (a date, a number with its unit, a title…)."""
    ents = [find_entities(c, ("PERCENT", "DATE", "PLACEHOLDER", "NUM")) for c in cores]
    for _ in range(4):
        changed = False
        for k in range(len(fit.pieces) - 1):
            left = right = 0
            for i, c in enumerate(cores):
                s, e = _slot_spans(fit, i)[k]
                if s == e:
                    continue
                for es, ee, _kind in ents[i]:  # titles and quotations get their type from their brackets
                    if es < e and ee > s and (es < s or ee > e):
                        left = max(left, s - es)
                        right = max(right, ee - e)
            left = min(left, len(fit.pieces[k]))
            right = min(right, len(fit.pieces[k + 1]))
            if left or right:
                _widen(fit, k, left, right)
                changed = True
        if not changed:
            break


def _word_bounds(texts: Sequence[str], cut: Callable[[str], list[str]]) -> list[set[int]]:
    """Word boundaries of each text, from one call of the segmenter over all of them."""
    out: list[set[int]] = []
    cur: set[int] = {0}
    k, start, pos = 0, 0, 0
    for t in cut("\n".join(texts)):
        pos += len(t)
        while k < len(texts) and pos > start + len(texts[k]):
            cur.add(len(texts[k]))
            out.append(cur)
            start += len(texts[k]) + 1
            cur = {0}
            k += 1
        if k < len(texts) and pos >= start:
            cur.add(pos - start)
    while k < len(texts):
        cur.add(len(texts[k]))
        out.append(cur)
        cur = {0}
        k += 1
    return out


def _edges_in_words(fit: _Fit, cores: Sequence[str]) -> list[list[int]]:
    """Per member, the slot edges that fall between two Han characters in every member (such an
    edge may cut a word; only those need the segmenter)."""
    spans = [_slot_spans(fit, i) for i in range(len(cores))]
    out: list[list[int]] = [[] for _ in cores]
    for k in range(len(fit.pieces) - 1):
        for side in (0, 1):
            if fit.pieces[k + side] and all(
                    0 < sp[k][side] < len(c) and _HAN.match(c[sp[k][side] - 1]) and _HAN.match(c[sp[k][side]])
                    for sp, c in zip(spans, cores)):
                for i, sp in enumerate(spans):
                    out[i].append(sp[k][side])
    return out


def _inside_words(requests: Mapping[int, set[int]], cores: Sequence[str], cut: Callable[[str], list[str]],
                  reach: int = 8) -> dict[int, set[int]]:
    """For each text, the positions near the requested ones that lie inside a word.

    The segmenter sees windows of ``reach`` characters either side of each requested position
    (merged per text), all in one call; positions it did not see count as word boundaries."""
    windows: list[tuple[int, int, int]] = []
    for m in sorted(requests):
        spans = sorted((max(0, p - reach), min(len(cores[m]), p + reach)) for p in requests[m])
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi:
                hi = max(hi, b)
            else:
                windows.append((m, lo, hi))
                lo, hi = a, b
        windows.append((m, lo, hi))
    texts = [cores[m][lo:hi] for m, lo, hi in windows]
    out: dict[int, set[int]] = defaultdict(set)
    for (m, lo, hi), b in zip(windows, _word_bounds(texts, cut)):
        out[m].update(lo + q for q in range(1, hi - lo) if q not in b)
    return out


def _snap_words(fit: _Fit, cores: Sequence[str], inside: Sequence[set[int]]) -> None:
    """Widen a slot edge that falls inside a word in every member (``政务{公开}`` -> ``{政务公开}``).

    ``inside``: positions of each member text known to lie inside a word."""
    for k in range(len(fit.pieces) - 1):
        for side in (0, 1):
            while fit.pieces[k + side]:
                if not all(_slot_spans(fit, i)[k][side] in inside[i] for i in range(len(cores))):
                    break
                _widen(fit, k, 1 - side, side)


def _narrow_numbers(fit: _Fit) -> None:
    """Leave qualifiers and units outside a number slot: ``{100余人}`` -> ``{NUM}余人``."""
    for k in range(len(fit.pieces) - 1):
        col = [v[k] for v in fit.values]
        if not col or not all(col) or not all(classify(x) == "NUM" for x in col):
            continue
        suf = common_affix(col, suffix=True)
        n = 0
        while n < len(suf) and suf[len(suf) - 1 - n] in NUM_AFFIX_CHARS:
            n += 1
        while n and not all(classify(x[:-n]) == "NUM" and x[:-n][-1:] not in NUM_AFFIX_CHARS for x in col):
            n -= 1
        if n:
            moved = col[0][-n:]
            for v in fit.values:
                v[k] = v[k][:-n]
            fit.pieces[k + 1] = moved + fit.pieces[k + 1]
        col = [v[k] for v in fit.values]
        pre = common_affix(col, suffix=False)
        m = 0
        while m < len(pre) and pre[m] in "近约共计逾达":
            m += 1
        if m and all(classify(x[m:]) == "NUM" for x in col):
            moved = col[0][:m]
            for v in fit.values:
                v[k] = v[k][m:]
            fit.pieces[k] = fit.pieces[k] + moved


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


@dataclass
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

    @property
    def pieces(self) -> list[str]:
        return parse_template(self.template)[0]

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.slots]

    @property
    def fixed_chars(self) -> int:
        return sum(len(p) for p in self.pieces)

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

    def match(self, text: str) -> TemplateMatch | None:
        """The first match in ``text`` (a sentence core) with its slot values, or None."""
        m = self.regex().search(text)
        if m is None:
            return None
        values = {s.name: (g or "") for s, g in zip(self.slots, m.groups())}
        spans = {}
        for k, s in enumerate(self.slots, 1):
            a, b = m.span(k)
            spans[s.name] = (a, b) if a >= 0 else (m.start(), m.start())
        return TemplateMatch(self, m.start(), m.end(), values, spans)

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


# =========================================================================== the library


class TemplateLibrary:
    """A set of templates: match them in texts, extract their slot values, save and load them."""

    def __init__(self, templates: Iterable[Template] = ()):
        self.templates: list[Template] = list(templates)
        self._by_id = {t.id: t for t in self.templates}
        self._index: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.templates)

    def __iter__(self) -> Iterator[Template]:
        return iter(self.templates)

    def __getitem__(self, key: int | str) -> Template:
        if isinstance(key, str):
            try:
                return self._by_id[key]
            except KeyError:
                raise KeyError(f"no template with id {key!r}") from None
        return self.templates[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_id

    def __repr__(self) -> str:
        return f"TemplateLibrary({len(self)} templates)"

    # ---- persistence
    def to_list(self) -> list[dict[str, Any]]:
        return [t.to_dict() for t in self.templates]

    def save(self, path: str | Path) -> Path:
        """Write the library as JSON: a list of template objects (atomic)."""
        from .export import write_json

        return write_json(path, self.to_list())

    @classmethod
    def load(cls, path: str | Path) -> "TemplateLibrary":
        """Read a library written by :meth:`save` (``templates.json`` of ``gkcorpus templates mine``)."""
        from .io import LoadError

        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise LoadError(p, "no such file or directory") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise LoadError(p, f"not a template library ({e})") from None
        if isinstance(data, dict):
            data = data.get("templates")
        if not isinstance(data, list):
            raise LoadError(p, "not a template library (expected a JSON list of templates)")
        try:
            return cls(Template.from_dict(d) for d in data)
        except (KeyError, TypeError, ValueError) as e:
            raise LoadError(p, f"not a template library ({e})") from None

    # ---- matching
    def _candidates(self, core: str) -> list[int]:
        """Templates whose longest fixed piece occurs in ``core`` (via a bigram index)."""
        if self._index is None:
            self._index = defaultdict(list)
            self._keys: list[str] = []
            for k, t in enumerate(self.templates):
                key = max(t.pieces, key=len)
                self._keys.append(key)
                self._index[key[:2] if len(key) >= 2 else ""].append(k)
        if len(self._keys) <= 64:  # a small library: scan it
            return [k for k, key in enumerate(self._keys) if key in core]
        grams = {core[i:i + 2] for i in range(len(core) - 1)}
        grams.add("")
        hits = sorted({k for g in grams if g in self._index for k in self._index[g]})
        return [k for k in hits if self._keys[k] in core]

    def match_core(self, core: str) -> list[TemplateMatch]:
        """Every template matching a sentence core, best first (most fixed text, then id)."""
        out = []
        for k in self._candidates(core):
            m = self.templates[k].match(core)
            if m is not None:
                out.append(m)
        out.sort(key=lambda m: (-m.template.fixed_chars, m.template.id))
        return out

    def assign(self, sentences: Sequence[str]) -> list[str | None]:
        """The best-matching template id of each sentence (None when none matches)."""
        out: list[str | None] = []
        for s in sentences:
            i, j = sentence_core(s)
            ms = self.match_core(s[i:j])
            out.append(ms[0].template.id if ms else None)
        return out

    def iter_matches(self, X: Any, best_only: bool = False) -> Iterator[tuple[Any, SentenceUnit, TemplateMatch]]:
        """``(document, unit, match)`` for every template match in every sentence of ``X``."""
        for doc in _as_documents(X):
            for u in _doc_units(doc):
                ms = self.match_core(u.core)
                for m in ms[:1] if best_only else ms:
                    yield doc, u, m

    def extract(self, X: Any, best_only: bool = False) -> "pd.DataFrame":
        """The extraction table: one row per (match, slot) in ``X`` (a Corpus, documents or texts).

        Columns: ``doc_id, unit_id, template_id, template, slot, type, value, number`` (the numeric
        value of NUM/PERCENT slots), ``value_start, value_end, value_raw_start, value_raw_end`` (where
        the value is, clean and raw offsets), ``start, end, raw_start, raw_end`` (the matched span)
        and ``sentence``. Templates without slots give one row with an empty slot.
        """
        import pandas as pd

        rows = []
        for doc, u, m in self.iter_matches(X, best_only=best_only):
            s, e = u.core_start + m.start, u.core_start + m.end
            rs, re_ = doc.raw_span(s, e)
            base = {"doc_id": doc.id, "unit_id": u.unit_id, "template_id": m.template.id, "template": m.template.template,
                    "start": s, "end": e, "raw_start": rs, "raw_end": re_, "sentence": u.sentence}
            if not m.template.slots:
                rows.append({**base, "slot": "", "type": "", "value": "", "number": None, "value_start": s,
                             "value_end": s, "value_raw_start": rs, "value_raw_end": rs})
            for slot in m.template.slots:
                v = m.values[slot.name]
                num = parse_number(v) if slot.type in ("NUM", "PERCENT") else None
                vs, ve = (u.core_start + x for x in m.spans[slot.name])
                vrs, vre = doc.raw_span(vs, ve)
                rows.append({**base, "slot": slot.name, "type": slot.type, "value": v, "number": num,
                             "value_start": vs, "value_end": ve, "value_raw_start": vrs, "value_raw_end": vre})
        df = pd.DataFrame(rows, columns=EXTRACT_COLUMNS)
        df["number"] = df["number"].astype(object).where(df["number"].notna(), None)  # blank, not NaN, in CSV
        return df

    def instances_frame(self) -> "pd.DataFrame":
        """The mined instances: one row per (template, sentence), slot values as a JSON object."""
        import pandas as pd

        rows = [
            {"template_id": t.id, "template": t.template, "doc_id": i.doc_id, "unit_id": i.unit_id, "start": i.start,
             "end": i.end, "raw_start": i.raw_start, "raw_end": i.raw_end, "sentence": i.sentence,
             "slot_values": i.slot_values}
            for t in self.templates for i in t.instances
        ]
        return pd.DataFrame(rows, columns=INSTANCE_COLUMNS)

    # ---- filling and display
    def fill(self, key: str, values: Mapping[str, Any] | None = None, strict: bool = True) -> str:
        """Render the template with id ``key`` (or given as template text) with slot values."""
        t = self._by_id.get(key) or Template.from_text(key)
        return t.fill(values or {}, strict=strict)

    def to_markdown(self, max_examples: int = 3, title: str = "Sentence templates") -> str:
        """The templates as Markdown: template, support, slots with their values, examples."""
        lines = [f"# {title}", "", f"{len(self)} templates, best supported first. "
                 "`…` marks a template that may start or end inside a sentence (after or before a clause).", ""]
        for t in self.templates:
            text = ("…" if t.open_start else "") + t.template + ("…" if t.open_end else "")
            lines.append(f"## `{text}`")
            lines.append("")
            lines.append(f"- id `{t.id}`, {t.support} documents, {len(t.instances)} sentences: {', '.join(t.doc_ids)}")
            for s in t.slots:
                vals = ", ".join(f"`{v}`" for v in s.values[:8]) + (" …" if len(s.values) > 8 else "")
                empty = f" (empty in {s.n_empty})" if s.n_empty else ""
                lines.append(f"- `{{{s.name}}}` {s.type}: {vals}{empty}")
            for inst in t.instances[:max_examples]:
                lines.append(f"  - {inst.doc_id}: {inst.sentence}")
            lines.append("")
        return "\n".join(lines)


# =========================================================================== the miner


@dataclass
class _Group:
    members: list[int]
    pieces: list[str]
    open_start: bool
    open_end: bool
    fixed: int
    peak: int


class TemplateMiner(BaseEstimator):
    """Mine sentence templates shared across documents.

    Parameters
    ----------
    min_support : a template needs instances in this many documents.
    min_fixed : fixed characters a whole-sentence template keeps (headings are short).
    min_fixed_context : fixed characters of a template with context clauses before or after it.
    min_fixed_embedded : fixed characters of a template with context on both sides in some sentence.
    min_coverage : in every instance, fixed text + typed slot values cover this share of the span.
    keep_ratio, max_loss : a merge may shrink a group's fixed text to ``keep_ratio`` of its best,
        or by at most ``max_loss`` characters (so ``现将工作总结如下`` joins ``现将活动开展情况总结如下``
        but a long frame is not swallowed by a short shared phrase).
    align : ``"char"`` (characters, digits masked; robust to jieba cutting 我镇 / 我|镇 differently)
        or ``"token"`` (jieba tokens).
    aligner : ``"lcs"`` (longest common subsequence, rapidfuzz) or ``"difflib"`` (standard library).
    tokenizer : callable ``str -> tokens`` covering the text (default: jieba with punctuation kept),
        used to snap slot edges to word boundaries and for ``align="token"``.
    snap_words : widen slot edges that fall inside a word in every instance.
    rematch : after grouping, match unassigned sentences against the new templates.
    min_block, min_piece : shortest common run kept by the aligner / interior fixed piece kept.
    window, min_anchor, ngram, min_shared, max_df, max_posting, max_candidates : blocking, see
        :func:`candidate_pairs`.
    progress : show a tqdm bar over candidate pairs.

    Fitted attributes: ``units_`` (sentence units), ``templates_``, ``library_``,
    ``labels_`` (template id of each unit or None), ``n_candidates_``.
    """

    def __init__(
        self,
        min_support: int = 2,
        min_fixed: int = 4,
        min_fixed_context: int = 7,
        min_fixed_embedded: int = 10,
        min_coverage: float = 0.5,
        keep_ratio: float = 0.5,
        max_loss: int = 8,
        align: str = "char",
        aligner: str = "lcs",
        tokenizer: Callable[[str], list[str]] | None = None,
        snap_words: bool = True,
        rematch: bool = True,
        min_block: int = 2,
        min_piece: int = 2,
        window: int = 4,
        min_anchor: int = 4,
        ngram: int = 6,
        min_shared: int = 6,
        max_df: int = 50,
        max_posting: int = 64,
        max_candidates: int = 4,
        progress: bool = False,
    ):
        self.min_support = min_support
        self.min_fixed = min_fixed
        self.min_fixed_context = min_fixed_context
        self.min_fixed_embedded = min_fixed_embedded
        self.min_coverage = min_coverage
        self.keep_ratio = keep_ratio
        self.max_loss = max_loss
        self.align = align
        self.aligner = aligner
        self.tokenizer = tokenizer
        self.snap_words = snap_words
        self.rematch = rematch
        self.min_block = min_block
        self.min_piece = min_piece
        self.window = window
        self.min_anchor = min_anchor
        self.ngram = ngram
        self.min_shared = min_shared
        self.max_df = max_df
        self.max_posting = max_posting
        self.max_candidates = max_candidates
        self.progress = progress

    # ---- public
    def fit(self, X: Any, y: Any = None) -> "TemplateMiner":
        """Mine templates from a Corpus, documents or texts (sentences come from their structure)."""
        docs = _as_documents(X)
        units = [u for d in docs for u in _doc_units(d)]
        raw = {d.id: d for d in docs}
        return self._fit_units(units, raw)

    def fit_sentences(self, sentences: Sequence[str], doc_ids: Sequence[str]) -> "TemplateMiner":
        """Mine templates from given sentences (one unit each) with the document each comes from."""
        if len(sentences) != len(doc_ids):
            raise ValueError("sentences and doc_ids differ in length")
        units = []
        for k, (s, d) in enumerate(zip(sentences, doc_ids)):
            i, j = sentence_core(s)
            units.append(SentenceUnit(str(d), f"{d}#t{k}", k, 0, len(s), i, j, s, s[i:j]))
        return self._fit_units(units, {})

    def transform(self, X: Any) -> "pd.DataFrame":
        """The extraction table of ``X`` with the mined templates (see :meth:`TemplateLibrary.extract`)."""
        self._check()
        return self.library_.extract(X)

    def fit_transform(self, X: Any, y: Any = None) -> "pd.DataFrame":
        return self.fit(X).transform(X)

    def _check(self) -> None:
        if not hasattr(self, "library_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this TemplateMiner is not fitted yet; call fit() first")

    # ---- internals
    def _tokenize(self) -> Callable[[str], list[str]]:
        if self.tokenizer is not None:
            tok = self.tokenizer
            return tok.cut if hasattr(tok, "cut") else tok
        from .tokenize import Tokenizer

        return Tokenizer(keep_punct=True, stopwords=False).cut

    def _rules(self) -> _Rules:
        return _Rules(self.min_fixed, self.min_fixed_context, self.min_fixed_embedded, self.min_coverage)

    def _fit_units(self, units: list[SentenceUnit], docs: Mapping[str, Any]) -> "TemplateMiner":
        tokenize = self._tokenize()
        cache: dict[str, list[str]] = {}

        def cut(text: str) -> list[str]:
            t = cache.get(text)
            if t is None:
                t = cache[text] = list(tokenize(text))
            return t

        enc = _Encoder(self.align, cut)
        rules = self._rules()
        cores = [u.core for u in units]
        codes: dict[int, tuple[str, list[int]]] = {}

        def code(i: int) -> tuple[str, list[int]]:
            c = codes.get(i)
            if c is None:
                c = codes[i] = enc.encode(cores[i])
            return c

        marks: dict[int, list[int]] = {}

        def mark(i: int) -> list[int]:
            m = marks.get(i)
            if m is None:
                m = marks[i] = [x.start() for x in _FIRST_CLAUSE.finditer(cores[i])]
            return m

        pairs = candidate_pairs(units, self.min_anchor, self.window, self.ngram, self.min_shared, self.max_df,
                                self.max_posting, self.max_candidates)
        self.n_candidates_ = len(pairs)

        # 1. align every candidate pair; keep valid frames, best (most fixed text) first
        scored: list[tuple[int, float, int, int, _Fit]] = []
        it: Iterable = pairs
        if self.progress:
            from tqdm.auto import tqdm

            it = tqdm(pairs, desc="align", unit="pair", leave=False)
        for _, i, j in it:
            ca, oa = code(i)
            cb, ob = code(j)
            blocks = _blocks(ca, oa, cores[i], cb, ob, cores[j], self.min_block, self.aligner)
            pair = [cores[i], cores[j]]
            f = _best_frame(blocks, cores[i], len(cores[i]), len(cores[j]), self.min_piece,
                            lambda pc: _fit(pc, pair, rules), min_fixed=self.min_fixed, marks=(mark(i), mark(j)))
            if f is not None:
                scored.append((f.fixed, f.coverage, i, j, f))
        scored.sort(key=lambda s: (-s[0], -s[1], s[2], s[3]))

        # 2. greedy merging, best pairs first
        group_of: dict[int, int] = {}
        groups: dict[int, _Group] = {}

        def merged_frame(ga: _Group, other: _Group | None, member: int | None, members: list[int],
                         peak: int) -> _Fit | None:
            ta, oa, xa = enc.encode_pieces(ga.pieces, _SENT_A, ga.open_start, ga.open_end)
            if member is not None:
                tb, ob = code(member)
                xb = cores[member]
            else:
                tb, ob, xb = enc.encode_pieces(other.pieces, _SENT_B, other.open_start, other.open_end)
            blocks = _blocks(ta, oa, xa, tb, ob, xb, self.min_block, self.aligner)
            mcores = [cores[m] for m in members]

            def fit(pc: list[str]) -> _Fit | None:
                f = _fit(pc, mcores, rules)
                if f is None or (f.fixed < self.keep_ratio * peak and peak - f.fixed > self.max_loss):
                    return None
                return f

            return _best_frame(blocks, xa, len(xa), len(xb), self.min_piece, fit, min_fixed=self.min_fixed,
                               anchored_single=False)

        next_id = 0
        for _, _, i, j, pf in scored:
            gi, gj = group_of.get(i), group_of.get(j)
            if gi is not None and gi == gj:
                continue
            if gi is None and gj is None:
                groups[next_id] = _Group([i, j], pf.pieces, pf.open_start, pf.open_end, pf.fixed, pf.fixed)
                group_of[i] = group_of[j] = next_id
                next_id += 1
                continue
            gb: _Group | None = None
            if gi is not None and gj is not None:
                ga, gb = groups[gi], groups[gj]
                if len(ga.members) < len(gb.members) or (len(ga.members) == len(gb.members) and gi > gj):
                    gi, gj, ga, gb = gj, gi, gb, ga
                members = ga.members + gb.members
                peak = max(ga.peak, gb.peak)
                f = merged_frame(ga, gb, None, members, peak)
            else:
                if gi is None:
                    i, j, gi = j, i, gj
                ga = groups[gi]
                members = ga.members + [j]
                peak = ga.peak
                f = merged_frame(ga, None, j, members, peak)
            if f is None:
                continue
            ga.members = members
            ga.pieces, ga.open_start, ga.open_end, ga.fixed = f.pieces, f.open_start, f.open_end, f.fixed
            ga.peak = max(peak, f.fixed)
            for m in members:
                group_of[m] = gi
            if gb is not None:
                del groups[gj]

        self.groups_ = [([units[m].unit_id for m in sorted(g.members)], list(g.pieces))
                        for g in sorted(groups.values(), key=lambda g: min(g.members))]

        # 3. finalise: refine slots, type and name them, build templates
        prepared = []
        for g in sorted(groups.values(), key=lambda g: min(g.members)):
            members = sorted(g.members)
            if len({units[m].doc_id for m in members}) < self.min_support:
                continue
            prep = self._prepare(g, members, cores, rules)
            if prep is not None:
                prepared.append((members, prep))
        inside: dict[int, set[int]] = {}
        if self.snap_words:  # where a slot edge may cut a word: one segmenter call over small windows
            requests: dict[int, set[int]] = defaultdict(set)
            for members, (f, g, spans) in prepared:
                for i, (m, edges) in enumerate(zip(members, _edges_in_words(g, spans))):
                    requests[m].update(len(f.lead[i]) + e for e in edges)
            inside = _inside_words({m: p for m, p in requests.items() if p}, cores, cut)
        templates: dict[str, Template] = {}
        located: dict[int, tuple[str, int, list[str]]] = {}  # member -> (template id, context length, values)
        for members, prep in prepared:
            done = self._finalise(prep, members, cores, inside, rules)
            if done is None:
                continue
            t, where = done
            t = templates.setdefault(t.id, t)  # two groups may end with the same template: one template
            for m, (lead, values) in zip(members, where):
                located.setdefault(m, (t.id, lead, values))

        # 4. members keep the template where its refined frame fits them; others may join by fitting
        labels: list[str | None] = [None] * len(units)
        found: dict[int, tuple[int, list[str]]] = {}
        for m, (tid, lead, values) in sorted(located.items()):
            labels[m] = tid
            found[m] = (lead, values)
        if self.rematch and templates:
            lib_all = TemplateLibrary(templates.values())
            order = {t.id: k for k, t in enumerate(sorted(templates.values(), key=lambda t: (-t.fixed_chars, t.id)))}
            for m in range(len(units)):
                if labels[m] is not None:
                    continue
                for k in sorted(lib_all._candidates(cores[m]), key=lambda k: order[lib_all.templates[k].id]):
                    t = lib_all.templates[k]
                    hit = self._rematch(t, cores[m], rules)
                    if hit is not None:
                        labels[m] = t.id
                        found[m] = hit
                        break
        for m, tid in enumerate(labels):
            if tid is None:
                continue
            t = templates[tid]
            u = units[m]
            lead, values = found[m]
            s = u.core_start + lead
            e = s + t.fixed_chars + sum(len(v) for v in values)
            doc = docs.get(u.doc_id)
            rs, re_ = doc.raw_span(s, e) if doc is not None else (s, e)
            t.instances.append(Instance(u.doc_id, u.unit_id, u.sentence, s, e, rs, re_,
                                        {sl.name: v for sl, v in zip(t.slots, values)}))
        final = []
        for t in templates.values():
            if t.support < self.min_support:
                continue
            for sl in t.slots:
                vals = [inst.slot_values.get(sl.name, "") for inst in t.instances]
                sl.values = list(dict.fromkeys(v for v in vals if v))
                sl.n_empty = sum(1 for v in vals if not v)
            t._regex = None
            final.append(t)
        final.sort(key=lambda t: (-t.support, -len(t.instances), -t.fixed_chars, t.template))
        keep = {t.id for t in final}
        self.units_ = units
        self.labels_ = [tid if tid in keep else None for tid in labels]
        self.templates_ = final
        self.library_ = TemplateLibrary(final)
        return self

    @staticmethod
    def _rematch(t: Template, core: str, rules: _Rules) -> tuple[int, list[str]] | None:
        """Where ``core`` instantiates ``t`` by the mining rules (context allowed on either side):
        ``(context length, slot values)``, or None.

        On success the template opens on the side where this sentence has context; closed slot
        types must hold."""
        pieces = t.pieces
        f = _fit(pieces, [core], rules, open_start=True, open_end=True)
        if f is None or f.pieces != pieces:
            return None  # (an edge slot empty here would be context, not this template)
        for sl, v in zip(t.slots, f.values[0]):
            if v and sl.type in ("NUM", "PERCENT", "DATE", "PLACEHOLDER") and classify(v) != sl.type:
                return None
            if not v and sl.type != "TEXT" and sl.n_empty == 0:
                return None
        if f.lead[0] and not t.open_start:
            t.open_start, t._regex = True, None
        if f.trail[0] and not t.open_end:
            t.open_end, t._regex = True, None
        return len(f.lead[0]), f.values[0]

    @staticmethod
    def _prepare(group: _Group, members: list[int], cores: list[str], rules: _Rules) -> tuple | None:
        """The group's frame fitted to its members, cut to the frame spans, slots widened to values."""
        mcores = [cores[m] for m in members]
        f = _fit(group.pieces, mcores, rules, group.open_start, group.open_end)
        if f is None:
            return None
        spans = [c[len(f.lead[i]): len(c) - len(f.trail[i])] for i, c in enumerate(mcores)]
        g = _Fit(list(f.pieces), [list(v) for v in f.values], [""] * len(spans), [""] * len(spans), f.fixed, f.coverage)
        _snap_entities(g, spans)
        return f, g, spans

    def _finalise(self, prep: tuple, members: list[int], cores: list[str],
                  inside: Mapping[int, set[int]], rules: _Rules) -> tuple[Template, list[tuple[int, list[str]]]] | None:
        """The template of a prepared group, and where it sits in each member (context length, values)."""
        f, g, spans = prep
        mcores = [cores[m] for m in members]
        if all(m in inside for m in members):
            span_inside = []
            for i, m in enumerate(members):
                off, n = len(f.lead[i]), len(spans[i])
                span_inside.append({q - off for q in inside[m] if off < q < off + n})
            _snap_words(g, spans, span_inside)
        _narrow_numbers(g)
        _merge_empty_pieces(g)
        # the refined frame must still be a valid frame of every member
        check = _fit(g.pieces, mcores, rules, f.open_start, f.open_end)
        if check is None or check.pieces != g.pieces:
            return None
        names, types = [], []
        used: Counter = Counter()
        for k in range(len(g.pieces) - 1):
            col = [v[k] for v in g.values]
            kind = slot_type(col, before=g.pieces[k], after=g.pieces[k + 1])
            name = slot_name(kind, before=g.pieces[k], after=g.pieces[k + 1])
            used[name] += 1
            names.append(name if used[name] == 1 else f"{name}_{used[name]}")
            types.append(kind)
        text = render(g.pieces, names)
        slots = [Slot(n, kind, [], sum(1 for v in g.values if not v[k])) for k, (n, kind) in enumerate(zip(names, types))]
        where = [(len(check.lead[i]), check.values[i]) for i in range(len(members))]
        return Template(template_id(text), text, slots, [], check.open_start, check.open_end), where


# =========================================================================== skeletons


@dataclass
class Skeleton:
    """A writer's skeleton: the common outline, and under each section its templates."""

    n_docs: int
    source: str
    sections: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "source": self.source, "sections": self.sections}

    def to_markdown(self, title: str = "Document skeleton") -> str:
        src = {"section_types": "section types clustered by gkcorpus.outline",
               "headings": "normalised level-1 headings"}.get(self.source, self.source)
        lines = [f"# {title}", "", f"Common outline of {self.n_docs} documents ({src}); under each part, the "
                 "best-supported templates found there. Fill the `{SLOTS}`; `…` marks where free text goes.", ""]
        for k, sec in enumerate(self.sections, 1):
            lines.append(f"## {k}. {sec['name']}")
            lines.append("")
            lines.append(f"In {sec['support']} of {self.n_docs} documents.")
            if sec.get("headings"):
                lines.append("Usual headings: " + "; ".join(f"{h} ({c})" for h, c in sec["headings"][:5]) + ".")
            lines.append("")
            for t in sec["templates"]:
                text = ("…" if t["open_start"] else "") + t["template"] + ("…" if t["open_end"] else "")
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


def _segments_by_types(corpus: Any) -> tuple[dict[str, list[tuple[int, int, str, str]]], list[str]] | None:
    """Segments typed by :class:`gkcorpus.outline.SectionTyper`, and the consensus order (None if unavailable)."""
    try:
        from .outline import SectionTyper, common_outline
    except ImportError:
        return None
    try:
        typer = SectionTyper(random_state=0).fit(corpus)
        outline = common_outline(typer.outlines(), typer.types_)
    except Exception:  # the clustering needs enough text; fall back to headings
        return None
    names = {t.type_id: t.name for t in typer.types_}
    segs: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for r in typer.segments_.itertuples():
        segs[str(r.doc_id)].append((int(r.start), int(r.end), names.get(int(r.type), f"T{int(r.type)}"), str(r.heading or "")))
    order = [names.get(c["type"], c["name"]) for c in outline.consensus]
    return segs, order


def skeleton(corpus: "Corpus", library: TemplateLibrary, max_templates: int = 5, min_support: float = 0.2,
             section_types: bool = True) -> Skeleton:
    """The corpus's common outline with its best-supported templates under each part.

    Sections come from :class:`gkcorpus.outline.SectionTyper` when ``section_types`` (and it can be
    fitted), else from normalised level-1 headings (``三、下一步工作打算`` -> 下一步打算), plus the
    opening (text before the first heading) and the closing paragraph. A part is listed when it
    appears in at least ``min_support`` of the documents, in the order of its median position.
    """
    docs = list(corpus)
    typed = _segments_by_types(corpus) if section_types else None
    if typed is not None:
        segs, order = typed
        source = "section_types"
    else:
        segs = {d.id: _segments_by_headings(d) for d in docs}
        order = []
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
    names = [n for n in support if len(support[n]) >= need]
    # By median position; the opening and closing parts of the common outline stay first and last.
    first, last = (order[0], order[-1]) if order else (None, None)

    def place(n: str) -> tuple:
        edge = 0 if n == first else 2 if n == last else 1
        return (edge, sorted(positions[n])[len(positions[n]) // 2], n)

    names.sort(key=place)
    # where each template's instances fall
    placed: dict[str, Counter] = defaultdict(Counter)
    example: dict[tuple[str, str], str] = {}
    for t in library:
        seen_docs: set[tuple[str, str]] = set()
        for inst in t.instances:
            for s, e, name, _ in segs.get(inst.doc_id, []):
                if s <= inst.start < e:
                    if (inst.doc_id, name) not in seen_docs:
                        placed[name][t.id] += 1
                        seen_docs.add((inst.doc_id, name))
                    example.setdefault((name, t.id), inst.sentence)
                    break
    sections = []
    for n in names:
        ranked = sorted(placed[n].items(), key=lambda kv: (-kv[1], -library[kv[0]].fixed_chars, kv[0]))
        tmpl = []
        for tid, c in ranked:
            if c < 2:
                continue
            t = library[tid]
            tmpl.append({"id": tid, "template": t.template, "support": c, "open_start": t.open_start,
                         "open_end": t.open_end, "example": example.get((n, tid), "")})
            if len(tmpl) >= max_templates:
                break
        sections.append({"name": n, "support": len(support[n]), "headings": headings[n].most_common(5),
                         "templates": tmpl})
    return Skeleton(len(docs), source, sections)

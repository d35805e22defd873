"""A library of templates: match, extract and fill them in any text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence, TYPE_CHECKING

import numpy as np

from .blocking import _codes, _gram_hashes
from .model import Template, TemplateMatch
from .slots import parse_number
from .units import (
    _as_documents,
    _core_spans,
    _doc_units,
    _gc_paused,
    _GRAM,
    _raw_span_arrays,
    EXTRACT_COLUMNS,
    INSTANCE_COLUMNS,
    sentence_core,
    SentenceUnit,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TemplateLibrary"]


# =========================================================================== the library


class _KeyIndex:
    """Which templates' keys (their longest fixed pieces) occur in a text.

    A small library (at most 64 keys) is scanned. Otherwise each key of ``_GRAM`` characters or more
    is indexed under its rarest ``_GRAM``-gram (in the fewest keys; ties: the first), a key of 2 or 3
    characters under itself: a text's own grams then find every key it may contain and few others,
    each confirmed by a substring test. Keys of 0 or 1 character are scanned.
    :meth:`candidates_many` looks the grams of many texts up at once (hashes in numpy arrays); a
    hash collision could only add a candidate, which the test drops.
    """

    def __init__(self, keys: Sequence[str]):
        self.keys = list(keys)
        self.scan = len(self.keys) <= 64
        self.short: list[int] = []  # keys scanned
        self._by_gram: dict[str, list[int]] | None = None
        self._chosen: list[tuple[int, int, int]] = []  # (key, position of its gram, gram length)
        # gram length -> (distinct gram hashes sorted, offsets: keys of hashes[i] are ids[first[i]:first[i + 1]], ids)
        self.tables: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        if self.scan:
            return
        g = _GRAM
        codes, starts = _codes(self.keys)
        lengths = np.diff(starts)
        h = _gram_hashes(codes, g)
        key_of = np.repeat(np.arange(len(self.keys), dtype=np.int64), lengths)[:len(h)]
        pos = np.arange(len(h), dtype=np.int64)
        valid = pos - starts[key_of] <= lengths[key_of] - g
        h, key_of, pos = h[valid], key_of[valid], pos[valid]
        # document frequency of each gram: the number of keys holding it
        o = np.lexsort((key_of, h))
        hs, ks = h[o], key_of[o]
        new_key = np.r_[True, (hs[1:] != hs[:-1]) | (ks[1:] != ks[:-1])]
        new_gram = np.r_[True, hs[1:] != hs[:-1]]
        df_sorted = np.add.reduceat(new_key.astype(np.int64), np.flatnonzero(new_gram)) if len(hs) else hs
        gram_rank = np.cumsum(new_gram) - 1
        df = np.empty(len(h), dtype=np.int64)
        df[o] = df_sorted[gram_rank]
        # each key's rarest gram (ties: the first)
        o = np.lexsort((pos, df, key_of))
        chosen = o[np.r_[True, key_of[o][1:] != key_of[o][:-1]]] if len(o) else o
        c_key, c_pos = key_of[chosen], pos[chosen] - starts[key_of[chosen]]
        self._add_table(g, h[chosen], c_key)
        self._chosen = [(k, p, g) for k, p in zip(c_key.tolist(), c_pos.tolist())]
        has = np.zeros(len(self.keys), dtype=bool)
        has[c_key] = True
        for n in (2, 3):  # keys shorter than a gram, indexed whole
            ks = np.flatnonzero(~has & (lengths == n))
            if len(ks):
                self._add_table(n, _gram_hashes(codes, n)[starts[ks]], ks)
                self._chosen += [(k, 0, n) for k in ks.tolist()]
                has[ks] = True
        self.short = np.flatnonzero(~has).tolist()

    def _add_table(self, n: int, hashes: np.ndarray, ids: np.ndarray) -> None:
        o = np.argsort(hashes, kind="stable")
        hs, ids = hashes[o], ids[o]
        new = np.r_[True, hs[1:] != hs[:-1]] if len(hs) else np.zeros(0, dtype=bool)
        self.tables[n] = (hs[new], np.r_[np.flatnonzero(new), len(hs)].astype(np.int64), ids)

    @property
    def by_gram(self) -> dict[str, list[int]]:
        """The indexed grams as strings (for one text at a time), built on first use."""
        if self._by_gram is None:
            self._by_gram = {}
            for k, p, n in self._chosen:
                self._by_gram.setdefault(self.keys[k][p:p + n], []).append(k)
        return self._by_gram

    def candidates(self, text: str) -> list[int]:
        keys = self.keys
        if self.scan:
            return [k for k, key in enumerate(keys) if key in text]
        hits = {k for k in self.short if keys[k] in text}
        index = self.by_gram
        for n in self.tables:
            for i in range(len(text) - n + 1):
                post = index.get(text[i:i + n])
                if post is not None:
                    hits.update(post)
        return [k for k in sorted(hits) if keys[k] in text]

    def candidates_many(self, texts: Sequence[str]) -> list[list[int]]:
        keys = self.keys
        if self.scan or not texts:
            return [self.candidates(t) for t in texts]
        codes, starts = _codes(texts)
        lengths = np.diff(starts)
        text_of_char = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        found_t, found_k = [], []
        for n, (hashes, first, ids) in self.tables.items():
            h = _gram_hashes(codes, n)
            text_of = text_of_char[:len(h)]
            valid = np.arange(len(h), dtype=np.int64) - starts[text_of] <= lengths[text_of] - n
            h, text_of = h[valid], text_of[valid]
            at = np.searchsorted(hashes, h)
            hit = at < len(hashes)
            hit[hit] = hashes[at[hit]] == h[hit]
            at, text_of = at[hit], text_of[hit]
            lo = first[at]
            cnt = first[at + 1] - lo
            total = int(cnt.sum())
            if total:
                found_t.append(np.repeat(text_of, cnt))
                found_k.append(ids[np.repeat(lo, cnt) + np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)])
        out: list[list[int]] = [[] for _ in texts]
        if found_t:
            pair = np.unique(np.concatenate(found_t) * len(keys) + np.concatenate(found_k))
            for t, k in zip((pair // len(keys)).tolist(), (pair % len(keys)).tolist()):
                out[t].append(k)
        for t, text in enumerate(texts):
            found = out[t]
            if self.short:
                found = sorted(set(found).union(k for k in self.short if keys[k] in text))
            out[t] = [k for k in found if keys[k] in text]
        return out


@dataclass
class _SentenceMatches:
    """Row patterns (one per slot of a match, offsets relative to the core) and, per matched
    sentence, its document, unit id, core start, text and the run of row patterns it takes."""

    pat: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in (
        "template_id", "template", "slot", "type", "value", "number", "start", "end", "value_start", "value_end")})
    doc_ids: list[str] = field(default_factory=list)
    u_doc: list[int] = field(default_factory=list)
    u_uid: list[str] = field(default_factory=list)
    u_core_start: list[int] = field(default_factory=list)
    u_sentence: list[str] = field(default_factory=list)
    u_first: list[int] = field(default_factory=list)
    u_count: list[int] = field(default_factory=list)


def _extraction_frame(found: _SentenceMatches, docs: Sequence[Any]) -> "pd.DataFrame":
    """The extraction table: each sentence's row patterns shifted to its core's offset, raw
    offsets looked up one document at a time, object columns gathered by index."""
    import pandas as pd

    pat = found.pat
    count = np.array(found.u_count, dtype=np.int64)
    unit = np.repeat(np.arange(len(count)), count)  # the unit of each row
    offset = np.arange(len(unit)) - np.repeat(np.cumsum(count) - count, count)
    row = np.repeat(np.array(found.u_first, dtype=np.int64), count) + offset  # its row pattern
    base = np.array(found.u_core_start, dtype=np.int64)[unit]

    def take(name: str) -> np.ndarray:
        return np.array(pat[name], dtype=np.int64)[row] + base

    def objects(values: list[Any], index: np.ndarray) -> np.ndarray:
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr[index]

    start, end, v_start, v_end = take("start"), take("end"), take("value_start"), take("value_end")
    raw_start, raw_end = np.empty_like(start), np.empty_like(start)
    v_raw_start, v_raw_end = np.empty_like(start), np.empty_like(start)
    row_doc = np.array(found.u_doc, dtype=np.int64)[unit]
    cuts = np.flatnonzero(np.r_[True, row_doc[1:] != row_doc[:-1], True])
    for lo, hi in zip(cuts[:-1], cuts[1:]):  # raw offsets, one document at a time
        doc = docs[int(row_doc[lo])]
        sl = slice(int(lo), int(hi))
        raw_start[sl], raw_end[sl] = _raw_span_arrays(doc, start[sl], end[sl])
        v_raw_start[sl], v_raw_end[sl] = _raw_span_arrays(doc, v_start[sl], v_end[sl])
    no_slot = objects(pat["slot"], row) == ""
    v_raw_start[no_slot] = raw_start[no_slot]  # a template without slots: an empty value at its start
    v_raw_end[no_slot] = raw_start[no_slot]
    cols = {
        "doc_id": objects(found.doc_ids, row_doc),
        "unit_id": objects(found.u_uid, unit),
        "template_id": objects(pat["template_id"], row),
        "template": objects(pat["template"], row),
        "slot": objects(pat["slot"], row),
        "type": objects(pat["type"], row),
        "value": objects(pat["value"], row),
        "number": objects(pat["number"], row),
        "value_start": v_start, "value_end": v_end, "value_raw_start": v_raw_start, "value_raw_end": v_raw_end,
        "start": start, "end": end, "raw_start": raw_start, "raw_end": raw_end,
        "sentence": objects(found.u_sentence, unit),
    }
    return pd.DataFrame(cols, columns=EXTRACT_COLUMNS)


class TemplateLibrary:
    """A set of templates: match them in texts, extract their slot values, save and load them."""

    def __init__(self, templates: Iterable[Template] = ()):
        self.templates: list[Template] = list(templates)
        self._by_id = {t.id: t for t in self.templates}
        self._index: _KeyIndex | None = None

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
        """Write the library as JSON: a list of template objects (atomic; written one template at a time)."""
        from ..base.export import write_json_items

        return write_json_items(path, (t.to_dict() for t in self.templates))

    @classmethod
    def load(cls, path: str | Path) -> "TemplateLibrary":
        """Read a library written by :meth:`save` (the ``frames.json`` of ``gkcorpus mine`` and ``gkcorpus
        templates mine``, the ``templates.json`` of ``--sentences``)."""
        from ..base.io import LoadError

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
    def _key_index(self) -> "_KeyIndex":
        if self._index is None:
            self._index = _KeyIndex([t.match_key() for t in self.templates])
        return self._index

    def _candidates(self, core: str) -> list[int]:
        """Templates whose key (:meth:`Template.match_key`: the longest fixed piece) occurs in ``core``
        (indices, in order)."""
        return self._key_index().candidates(core)

    def match_core(self, core: str) -> list[TemplateMatch]:
        """Every template matching a sentence core, best first (most fixed text, then id)."""
        return self._matches(core, self._candidates(core))

    def match_cores(self, cores: Sequence[str]) -> list[list[TemplateMatch]]:
        """:meth:`match_core` of many cores (their candidate templates found at once, vectorised)."""
        return [self._matches(c, ks) for c, ks in zip(cores, self._key_index().candidates_many(cores))]

    def _matches(self, core: str, candidates: Iterable[int]) -> list[TemplateMatch]:
        out = []
        for k in candidates:
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
        with _gc_paused():
            return self._extract(X, best_only)

    def _extract(self, X: Any, best_only: bool) -> "pd.DataFrame":
        """The extraction table of ``X`` (see :meth:`extract`): every distinct core is matched once
        (:meth:`_match_sentences`) and its rows are laid out for each of its sentences by array
        indexing (:func:`_extraction_frame`)."""
        import pandas as pd

        docs = _as_documents(X)
        found = self._match_sentences(docs, best_only)
        if not found.u_count:
            df = pd.DataFrame([], columns=EXTRACT_COLUMNS)
            df["number"] = df["number"].astype(object)
            return df
        return _extraction_frame(found, docs)

    def _match_sentences(self, docs: Sequence[Any], best_only: bool) -> "_SentenceMatches":
        """Match each document's new distinct cores at once; store each core's rows (template,
        slot, value, offsets in the core) once, and per matched sentence where its rows are."""
        found = _SentenceMatches()
        pat = found.pat
        seen: dict[str, tuple[int, int]] = {}  # core -> (first row pattern, number of rows)
        numbers: dict[str, float | None] = {}
        sentences: dict[str, str] = {}
        for d, doc in enumerate(docs):
            found.doc_ids.append(doc.id)
            text = doc.text
            sents = list(_core_spans(text, ((x.start, x.end) for x in doc.structure.sentences)))
            new = list(dict.fromkeys(x[5] for x in sents if x[5] not in seen))
            for core, ms in zip(new, self.match_cores(new)):  # the document's new cores, at once
                first = len(pat["template_id"])
                for m in ms[:1] if best_only else ms:
                    self._row_patterns(m, pat, numbers)
                    if not best_only:  # every match of the template in the sentence, not only its first
                        for later in m.template.later_matches(core, m):
                            self._row_patterns(later, pat, numbers)
                seen[core] = (first, len(pat["template_id"]) - first)
            for k, s, e, cs, _ce, core in sents:
                ent = seen[core]
                if not ent[1]:
                    continue
                found.u_doc.append(d)
                found.u_uid.append(f"{doc.id}#t{k}")
                found.u_core_start.append(cs)
                sent = text[s:e]
                found.u_sentence.append(sentences.setdefault(sent, sent))  # one string for each distinct sentence
                found.u_first.append(ent[0])
                found.u_count.append(ent[1])
        return found

    @staticmethod
    def _row_patterns(m: TemplateMatch, pat: dict[str, list[Any]], numbers: dict[str, float | None]) -> None:
        """The extraction rows of one match, offsets relative to the core (one row per slot)."""
        t = m.template
        for slot in t.slots or [None]:
            pat["template_id"].append(t.id)
            pat["template"].append(t.template)
            pat["start"].append(m.start)
            pat["end"].append(m.end)
            if slot is None:
                name = kind = value = ""
                num = None
                vs = ve = m.start
            else:
                name, kind, value = slot.name, slot.type, m.values[slot.name]
                vs, ve = m.spans[slot.name]
                num = None
                if kind in ("NUM", "PERCENT"):
                    if value not in numbers:
                        numbers[value] = parse_number(value)
                    num = numbers[value]
            pat["slot"].append(name)
            pat["type"].append(kind)
            pat["value"].append(value)
            pat["number"].append(num)
            pat["value_start"].append(vs)
            pat["value_end"].append(ve)

    def iter_instance_rows(self) -> Iterator[dict[str, Any]]:
        """The rows of :meth:`instances_frame` one at a time (``write_csv`` streams them)."""
        for t in self.templates:
            for i in t.instances:
                yield {"template_id": t.id, "template": t.template, "doc_id": i.doc_id, "unit_id": i.unit_id,
                       "start": i.start, "end": i.end, "raw_start": i.raw_start, "raw_end": i.raw_end,
                       "sentence": i.sentence, "slot_values": dict(i.slot_values)}

    def instances_frame(self) -> "pd.DataFrame":
        """The mined instances: one row per (template, sentence), slot values as a JSON object."""
        import pandas as pd

        return pd.DataFrame(list(self.iter_instance_rows()), columns=INSTANCE_COLUMNS)

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
            where = getattr(t, "where", "body")  # frames over heading and title lines say so
            kind = f", {where} lines" if where != "body" else ""
            # a sentence may hold several matches (中央财政赤字…，地方财政赤字…): sentences counted once
            first = {(i.doc_id, i.unit_id): i for i in reversed(t.instances)}
            sents = sorted(first.values(), key=lambda i: (i.doc_id, i.start))
            matches = f" ({len(t.instances)} matches)" if len(t.instances) > len(sents) else ""
            lines.append(f"- id `{t.id}`{kind}, {t.support} documents, {len(sents)} sentences{matches}: "
                         f"{', '.join(t.doc_ids)}")
            for s in t.slots:
                vals = ", ".join(f"`{v}`" for v in s.values[:8]) + (" …" if len(s.values) > 8 else "")
                empty = f" (empty in {s.n_empty})" if s.n_empty else ""
                lines.append(f"- `{{{s.name}}}` {s.type}: {vals}{empty}")
            for inst in sents[:max_examples]:
                lines.append(f"  - {inst.doc_id}: {inst.sentence}")
            lines.append("")
        return "\n".join(lines)

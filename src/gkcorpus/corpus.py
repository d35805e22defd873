"""The :class:`Corpus`: cleaned, structured documents and quanteda-style verbs over them.

A corpus is built from raw documents (see :mod:`gkcorpus.io`): each is cleaned, keeps its raw
text and the clean→raw offset map, and is parsed into headings, sections, paragraphs and
sentences on demand. Units at every level point back to their document, section and raw span.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .clean import Cleaner, CleaningReport
from .edits import OffsetMap
from .io import LoadError, LoadLog, RawDocument, iter_paths, read_bundled_page

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .structure import DocStructure

__all__ = ["Document", "Unit", "Corpus", "LEVELS", "load", "load_bundled", "FORMAT_VERSION"]

LEVELS = ("document", "section", "paragraph", "sentence")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Unit:
    """A span of one document at some level, with the evidence to find it again."""

    unit_id: str
    doc_id: str
    level: str
    index: int
    text: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    section: str = ""
    heading: str = ""
    section_path: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["section_path"] = list(self.section_path)
        return d


@dataclass(eq=False)
class Document:
    """One cleaned document: ``text`` (clean, Simplified) beside ``raw`` with the offset map between them."""

    id: str
    title: str
    raw: str
    text: str
    offsets: OffsetMap
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"
    source: str = ""
    cleaning: CleaningReport | None = None
    raw_title: str = ""
    _structure: Any = field(default=None, repr=False)

    @classmethod
    def from_raw(cls, rd: RawDocument, cleaner: Cleaner | None = None) -> "Document":
        cleaner = cleaner or Cleaner()
        res = cleaner.clean(rd.raw)
        title = cleaner.clean(rd.title).text.replace("\n", " ") if rd.title else ""
        return cls(
            id=rd.id,
            title=title or rd.id,
            raw=rd.raw,
            text=res.text,
            offsets=res.offsets,
            meta=dict(rd.meta),
            encoding=rd.encoding,
            source=rd.source,
            cleaning=res.report,
            raw_title=rd.title,
        )

    @property
    def structure(self) -> "DocStructure":
        """Headings, sections, paragraphs and sentences (parsed once, on first use)."""
        if self._structure is None:
            from .structure import parse_structure

            self._structure = parse_structure(self.text)
        return self._structure

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets of the clean span ``[start, end)``."""
        return self.offsets.span(start, end)

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        head = self.text[:30].replace("\n", " ")
        return f"Document(id={self.id!r}, title={self.title!r}, chars={len(self.text)}, text={head!r}…)"

    # ---- units
    def units(self, level: str) -> list[Unit]:
        """The document's units at ``level`` (document, section, paragraph or sentence)."""
        if level == "document":
            return [self._unit(self.id, "document", 0, 0, len(self.text), "", "", ())]
        st = self.structure
        sections = {s.id: s for s in st.flat_sections()}

        def context(sec_id: str) -> tuple[str, tuple[str, ...]]:
            path: list[str] = []
            parts = sec_id.split(".") if sec_id else []
            for k in range(1, len(parts) + 1):
                s = sections.get(".".join(parts[:k]))
                if s is not None and s.heading is not None:
                    path.append(s.heading.text)
            return (path[-1] if path else ""), tuple(path)

        out: list[Unit] = []
        if level == "section":
            # The preamble (text before the first heading, or a whole document without headings)
            # is the section with id "" and unit id "<doc>#s0".
            for k, s in enumerate(st.flat_sections()):
                heading, path = context(s.id)
                uid = f"{self.id}#s{s.id or '0'}"
                out.append(self._unit(uid, "section", k, s.start, s.end, s.id, heading, path))
            return out
        if level == "paragraph":
            for p in st.paragraphs:
                heading, path = context(p.section)
                out.append(self._unit(f"{self.id}#p{p.index}", "paragraph", p.index, p.start, p.end, p.section, heading, path))
            return out
        if level == "sentence":
            for s in st.sentences:
                heading, path = context(s.section)
                out.append(self._unit(f"{self.id}#t{s.index}", "sentence", s.index, s.start, s.end, s.section, heading, path))
            return out
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")

    def _unit(self, uid: str, level: str, index: int, start: int, end: int, section: str, heading: str, path: tuple[str, ...]) -> Unit:
        rs, re_ = self.raw_span(start, end)
        return Unit(uid, self.id, level, index, self.text[start:end].strip("\n"), start, end, rs, re_, section, heading, path)

    # ---- serialisation
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "raw_title": self.raw_title,
            "raw": self.raw,
            "text": self.text,
            "offsets": self.offsets.to_lists(),
            "meta": self.meta,
            "encoding": self.encoding,
            "source": self.source,
            "cleaning": self.cleaning.to_dict() if self.cleaning is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        return cls(
            id=d["id"],
            title=d["title"],
            raw=d["raw"],
            text=d["text"],
            offsets=OffsetMap.from_lists(d["offsets"]),
            meta=d.get("meta", {}),
            encoding=d.get("encoding", "utf-8"),
            source=d.get("source", ""),
            cleaning=CleaningReport.from_dict(d["cleaning"]) if d.get("cleaning") else None,
            raw_title=d.get("raw_title", ""),
        )


class Corpus:
    """An ordered collection of documents with unique ids.

    Build one with :func:`load_bundled`, :func:`load` or :meth:`from_raw`. Index by position,
    id or slice; ``subset`` filters by document variables; ``units``/``to_frame`` reshape to
    sections, paragraphs or sentences; ``kwic`` and ``frequencies`` are the usual corpus verbs.
    """

    def __init__(self, documents: Iterable[Document] = (), skipped: Sequence[str] = ()):
        self.documents: list[Document] = list(documents)
        self.skipped: list[str] = list(skipped)
        self._index: dict[str, int] = {}
        for i, d in enumerate(self.documents):
            if d.id in self._index:
                raise ValueError(f"duplicate document id {d.id!r} ({d.source or '?'} and {self.documents[self._index[d.id]].source or '?'})")
            self._index[d.id] = i

    @classmethod
    def from_raw(
        cls,
        raw_docs: Iterable[RawDocument],
        cleaner: Cleaner | None = None,
        duplicate_ids: str = "error",
        progress: bool = False,
        skipped: Sequence[str] = (),
    ) -> "Corpus":
        """Clean raw documents into a corpus.

        ``duplicate_ids``: "error" (default) refuses two documents with one id; "suffix" renames
        later ones ``id~2``, ``id~3``… so that no document is lost.
        """
        cleaner = cleaner or Cleaner()
        docs: list[Document] = []
        seen: Counter[str] = Counter()
        it: Iterable[RawDocument] = raw_docs
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(raw_docs, desc="clean", unit="doc", leave=False)
        for rd in it:
            seen[rd.id] += 1
            if seen[rd.id] > 1:
                if duplicate_ids == "suffix":
                    rd = RawDocument(f"{rd.id}~{seen[rd.id]}", rd.raw, rd.title, rd.meta, rd.encoding, rd.source)
                else:
                    raise LoadError(rd.source or rd.id, f"duplicate document id {rd.id!r}")
            docs.append(Document.from_raw(rd, cleaner))
        return cls(docs, skipped=skipped)

    # ---- container protocol
    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, slice):
            return Corpus(self.documents[key])
        if isinstance(key, str):
            try:
                return self.documents[self._index[key]]
            except KeyError:
                raise KeyError(f"no document with id {key!r}") from None
        return self.documents[key]

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.documents]

    @property
    def titles(self) -> list[str]:
        return [d.title for d in self.documents]

    @property
    def n_chars(self) -> int:
        return sum(len(d.text) for d in self.documents)

    def docvars(self) -> "pd.DataFrame":
        """Document variables (metadata) as a DataFrame indexed by document id."""
        import pandas as pd

        rows = [{"doc_id": d.id, "title": d.title, **d.meta} for d in self.documents]
        return pd.DataFrame(rows).set_index("doc_id")

    def subset(self, predicate: Callable[[Document], bool] | None = None, **equals: Any) -> "Corpus":
        """Documents for which ``predicate(doc)`` holds and every ``meta[key] == value`` (a list/set means "in")."""

        def ok(d: Document) -> bool:
            for k, v in equals.items():
                have = d.meta.get(k, d.title if k == "title" else None)
                if isinstance(v, (list, tuple, set, frozenset)):
                    if have not in v:
                        return False
                elif have != v:
                    return False
            return predicate(d) if predicate else True

        return Corpus([d for d in self.documents if ok(d)])

    # ---- reshaping
    def units(self, level: str = "sentence") -> list[Unit]:
        """All units at ``level`` in corpus order."""
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
        return [u for d in self.documents for u in d.units(level)]

    def to_frame(self, level: str = "document") -> "pd.DataFrame":
        """A DataFrame with one row per unit (and, at document level, the document variables)."""
        import pandas as pd

        rows = [u.to_dict() for u in self.units(level)]
        df = pd.DataFrame(rows, columns=list(Unit.__dataclass_fields__))
        if level == "document":
            df["title"] = [d.title for d in self.documents]
            df["encoding"] = [d.encoding for d in self.documents]
            for key in sorted({k for d in self.documents for k in d.meta}):
                df[key] = [d.meta.get(key) for d in self.documents]
        return df

    # ---- verbs
    def kwic(self, pattern: str, window: int = 10, regex: bool = False) -> "pd.DataFrame":
        """Keyword in context: every match of ``pattern`` with ``window`` characters either side.

        Columns: doc_id, start, end, raw_start, raw_end, left, match, right, sentence.
        """
        import pandas as pd

        rx = re.compile(pattern if regex else re.escape(pattern))
        rows = []
        for d in self.documents:
            sents = None
            for m in rx.finditer(d.text):
                if m.end() == m.start():
                    continue
                if sents is None:
                    sents = d.structure.sentences
                rs, re_ = d.raw_span(m.start(), m.end())
                sent = next((d.text[s.start : s.end] for s in sents if s.start <= m.start() < s.end), "")
                rows.append(
                    {
                        "doc_id": d.id,
                        "start": m.start(),
                        "end": m.end(),
                        "raw_start": rs,
                        "raw_end": re_,
                        "left": d.text[max(0, m.start() - window) : m.start()].replace("\n", " "),
                        "match": m.group(),
                        "right": d.text[m.end() : m.end() + window].replace("\n", " "),
                        "sentence": sent,
                    }
                )
        cols = ["doc_id", "start", "end", "raw_start", "raw_end", "left", "match", "right", "sentence"]
        return pd.DataFrame(rows, columns=cols)

    def tokens(self, tokenizer: Callable[[str], list[str]] | None = None) -> dict[str, list[str]]:
        """Each document's tokens (default: the jieba tokenizer, punctuation dropped)."""
        from .tokenize import Tokenizer

        tok = tokenizer or Tokenizer()
        return {d.id: tok(d.text) for d in self.documents}

    def frequencies(
        self,
        tokenizer: Callable[[str], list[str]] | None = None,
        by: str | None = None,
        min_tf: int = 1,
    ) -> "pd.DataFrame":
        """Term frequency table: term, tf (occurrences), df (documents), sorted by tf then term.

        With ``by`` (a document variable), one block of rows per group value (column ``group``).
        """
        import pandas as pd

        from .tokenize import Tokenizer

        tok = tokenizer or Tokenizer(stopwords=True)
        groups: dict[Any, tuple[Counter, Counter]] = {}
        for d in self.documents:
            g = d.meta.get(by) if by else None
            tf, df = groups.setdefault(g, (Counter(), Counter()))
            toks = tok(d.text)
            tf.update(toks)
            df.update(set(toks))
        frames = []
        for g, (tf, df) in groups.items():
            rows = [(t, n, df[t]) for t, n in tf.items() if n >= min_tf]
            f = pd.DataFrame(rows, columns=["term", "tf", "df"])
            if by:
                f.insert(0, "group", g)
            frames.append(f)
        cols = (["group"] if by else []) + ["term", "tf", "df"]
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
        sort = (["group"] if by else []) + ["tf", "term"]
        asc = ([True] if by else []) + [False, True]
        return out.sort_values(sort, ascending=asc, kind="mergesort").reset_index(drop=True)

    def cleaning_summary(self) -> "pd.DataFrame":
        """Per document: characters and the count of every cleaning step."""
        import pandas as pd

        rows = []
        for d in self.documents:
            counts = d.cleaning.counts() if d.cleaning else {}
            lost = len(d.cleaning.lost) if d.cleaning else 0
            rows.append({"doc_id": d.id, "chars": len(d.text), "encoding": d.encoding, **counts, "lost": lost})
        return pd.DataFrame(rows)

    # ---- persistence
    def save(self, path: str | Path) -> Path:
        """Write the whole corpus (raw, clean, offsets, metadata, cleaning reports) to one gzip JSON file."""
        from .export import atomic_path

        payload = {"format": "gkcorpus", "version": FORMAT_VERSION, "skipped": self.skipped,
                   "documents": [d.to_dict() for d in self.documents]}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
                fh.write(data)
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> "Corpus":
        """Read a corpus written by :meth:`save`."""
        import zlib

        p = Path(path)
        try:
            with gzip.open(p, "rb") as fh:
                payload = json.loads(fh.read().decode("utf-8"))
        except FileNotFoundError:
            raise LoadError(p, "no such file or directory") from None
        except (OSError, ValueError, EOFError, zlib.error) as e:
            reason = "truncated" if isinstance(e, EOFError) else str(e).splitlines()[0] if str(e) else type(e).__name__
            raise LoadError(p, f"not a saved gkcorpus corpus ({reason})") from None
        if not isinstance(payload, dict) or payload.get("format") != "gkcorpus":
            raise LoadError(p, "not a saved gkcorpus corpus")
        version = payload.get("version")
        if version != FORMAT_VERSION:
            raise LoadError(p, f"saved corpus format version {version!r}; this gkcorpus reads version {FORMAT_VERSION}")
        try:
            return cls([Document.from_dict(d) for d in payload["documents"]], skipped=list(payload.get("skipped", [])))
        except (KeyError, TypeError, AttributeError, ValueError, IndexError) as e:
            what = f"missing field {e}" if isinstance(e, KeyError) else f"{type(e).__name__}: {e}"
            what = (what.splitlines() or [""])[0][:200]
            raise LoadError(p, f"damaged saved corpus ({what})") from None

    # ---- display
    def __repr__(self) -> str:
        return f"Corpus({len(self)} documents, {self.n_chars:,} characters)"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(d.id)}</td><td>{html.escape(d.title)}</td><td>{len(d.text):,}</td>"
            f"<td>{html.escape(d.encoding)}</td><td>{html.escape(d.text[:40].replace(chr(10), ' '))}…</td></tr>"
            for d in self.documents[:20]
        )
        more = f"<p>… and {len(self) - 20} more</p>" if len(self) > 20 else ""
        return (
            f"<p><b>Corpus</b>: {len(self)} documents, {self.n_chars:,} characters</p>"
            "<table><thead><tr><th>id</th><th>title</th><th>chars</th><th>encoding</th><th>text</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{more}"
        )


def load_bundled(cleaner: Cleaner | None = None) -> Corpus:
    """The fifteen bundled 政务公开活动总结 as a cleaned Corpus (ids summary-01 … summary-15)."""
    return Corpus.from_raw(read_bundled_page(), cleaner=cleaner)


def load(
    paths: str | Path | Sequence[str | Path],
    glob: str = "*.txt",
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    encoding: str | None = None,
    skip_bad: bool = False,
    duplicate_ids: str = "error",
    cleaner: Cleaner | None = None,
    progress: bool = False,
) -> Corpus:
    """Load folders of .txt files, JSONL or CSV files (or single text files) into a cleaned Corpus.

    With ``skip_bad=True`` unreadable files and malformed records are skipped and listed in
    ``Corpus.skipped``; otherwise the first one raises :class:`~gkcorpus.io.LoadError`.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    log = LoadLog()
    raw = iter_paths(
        paths, glob=glob, text_field=text_field, id_field=id_field, title_field=title_field,
        encoding=encoding, on_error="skip" if skip_bad else "raise", log=log,
    )
    corpus = Corpus.from_raw(raw, cleaner=cleaner, duplicate_ids=duplicate_ids, progress=progress)
    corpus.skipped = log.lines()
    if not len(corpus):
        where = ", ".join(map(str, paths))
        detail = f" ({len(log)} skipped)" if len(log) else ""
        raise LoadError(where, f"no documents loaded{detail}")
    return corpus

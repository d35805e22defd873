"""The :class:`Corpus`: cleaned, structured documents and quanteda-style verbs over them.

A corpus is built from raw documents (see :mod:`gkcorpus.base.io`): each is cleaned, keeps its raw
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

from .text.clean.cleaner import Cleaner
from .text.clean.report import CleaningReport
from .base.edits import OffsetMap
from .base.io import (LoadError, LoadLog, LoadOptions, RawDocument, iter_csv, iter_jsonl, iter_paths, list_text_files,
                      path_error, read_bundled_page, text_file_document)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .text.structure import DocStructure

__all__ = ["Document", "Unit", "Corpus", "LEVELS", "load", "iter_load", "load_item", "load_items", "load_bundled",
           "FORMAT_VERSION"]

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
            from .text.structure import parse_structure

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
            doc_id = unique_document_id(seen, rd.id, rd.source, duplicate_ids)
            if doc_id != rd.id:
                rd = RawDocument(doc_id, rd.raw, rd.title, rd.meta, rd.encoding, rd.source)
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
        from .text.tokenize import Tokenizer

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

        from .text.tokenize import Tokenizer

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
        from .base.export import atomic_path

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
    options: LoadOptions | None = None,
    *,
    cleaner: Cleaner | None = None,
    progress: bool = False,
    executor: Any = None,
    structure: bool = True,
    **fields: Any,
) -> Corpus:
    """Load folders of .txt files, JSONL or CSV files (or single text files) into a cleaned Corpus.

    ``options`` is a :class:`~gkcorpus.base.io.LoadOptions`; its fields may also be given as
    keywords (``load("texts/", glob="*.md", skip_bad=True)``). With ``skip_bad`` unreadable files
    and malformed records are skipped and listed in ``Corpus.skipped``; otherwise the first one
    raises :class:`~gkcorpus.base.io.LoadError`. With an ``executor`` (a
    :class:`~gkcorpus.runtime.executor.PerDocumentExecutor`), files are read, cleaned and their
    ``structure`` parsed on its workers: the same corpus, document by document.
    """
    opts = LoadOptions.of(options, **fields)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    log = LoadLog()
    if executor is not None:
        docs = list(iter_load(paths, executor, opts, cleaner=cleaner, structure=structure, log=log))
        return require_documents(Corpus(docs, skipped=log.lines()), paths, log)
    raw = iter_paths(
        paths, glob=opts.glob, text_field=opts.text_field, id_field=opts.id_field, title_field=opts.title_field,
        encoding=opts.encoding, on_error=opts.on_error, log=log,
    )
    corpus = Corpus.from_raw(raw, cleaner=cleaner, duplicate_ids=opts.duplicate_ids, progress=progress)
    corpus.skipped = log.lines()
    return require_documents(corpus, paths, log)


def unique_document_id(seen: Counter, doc_id: str, source: str | None, duplicate_ids: str) -> str:
    """The id a loaded document gets: ``doc_id`` the first time; on a repeat ``doc_id~n`` (its n-th
    occurrence) when ``duplicate_ids="suffix"``, else a :class:`LoadError` naming its source."""
    seen[doc_id] += 1
    n = seen[doc_id]
    if n == 1:
        return doc_id
    if duplicate_ids == "suffix":
        return f"{doc_id}~{n}"
    raise LoadError(source or doc_id, f"duplicate document id {doc_id!r}")


def require_documents(corpus: Corpus, paths: Sequence[str | Path], log: LoadLog) -> Corpus:
    """``corpus``, unless it is empty: then a :class:`LoadError` naming the inputs (and how many were skipped)."""
    if not len(corpus):
        where = ", ".join(map(str, paths))
        detail = f" ({len(log)} skipped)" if len(log) else ""
        raise LoadError(where, f"no documents loaded{detail}")
    return corpus


# ---- reading on workers: one item per file or record


@dataclass(frozen=True)
class FileItem:
    """A text file to read as one document: inside a folder (``root``) or given on its own."""

    path: str
    root: str | None = None


def _error(err: LoadError) -> tuple[str, tuple[str, str, int | None]]:
    # LoadError does not survive pickling (its args are the formatted message): ship the fields.
    return ("error", (err.path, err.message, err.line))


def _file_raw(item: FileItem, encoding: str | None) -> RawDocument:
    """The document :func:`gkcorpus.base.io.iter_txt` (or ``iter_paths`` for a single file) makes of this file."""
    return text_file_document(item.path, item.root, encoding)


@dataclass(frozen=True)
class FailedItem:
    """An input that already failed while listing the work (a LoadError's fields: it does not pickle)."""

    path: str
    message: str
    line: int | None = None


def load_item(
    item: FileItem | RawDocument | FailedItem,
    cleaner: Cleaner | None = None,
    encoding: str | None = None,
    structure: bool = True,
) -> tuple[str, Any]:
    """Read (a file), clean and parse one document: ``("doc", Document)`` or ``("error", (path, message, line))``.

    The structure is parsed here (``structure=True``) so that workers, not the driver, pay for it.
    """
    if isinstance(item, FailedItem):
        return ("error", (item.path, item.message, item.line))
    try:
        raw = _file_raw(item, encoding) if isinstance(item, FileItem) else item
    except LoadError as err:
        return _error(err)
    doc = Document.from_raw(raw, cleaner or Cleaner())
    if structure:
        doc.structure  # noqa: B018 -- parse now, on the worker
    return ("doc", doc)


def load_items(paths: Sequence[str | Path], options: LoadOptions | None = None
               ) -> Iterator[FileItem | RawDocument | LoadError]:
    """The work of :func:`gkcorpus.base.io.iter_paths` as items, in the same order.

    Text files become :class:`FileItem` (read on a worker); JSONL/CSV records are read here (one
    file, cheap to parse) and yielded as :class:`RawDocument`; problems are yielded as
    :class:`LoadError` at the place where ``iter_paths`` would meet them (after the first one,
    in ``"raise"`` mode, nothing more is yielded).
    """
    opts = options if options is not None else LoadOptions()
    glob, encoding, on_error = opts.glob, opts.encoding, opts.on_error
    for raw_path in paths:
        p = Path(raw_path)
        if p.is_dir():
            files, problems = list_text_files(p, glob)
            for err in problems:
                yield err
                if on_error == "raise":
                    return
            if not files:
                yield LoadError(p, f"no files matching {glob!r} in this directory")
                if on_error == "raise":
                    return
                continue
            for f in files:
                yield FileItem(str(f), str(p))
        elif not p.exists():
            yield path_error(p)
            if on_error == "raise":
                return
        elif p.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".tsv"):
            log = LoadLog()
            fields = dict(text_field=opts.text_field, id_field=opts.id_field, title_field=opts.title_field)
            if p.suffix.lower() in (".jsonl", ".ndjson"):
                records = iter_jsonl(p, **fields, encoding=encoding, on_error=on_error, log=log)
            else:
                delim = "\t" if p.suffix.lower() == ".tsv" else ","
                records = iter_csv(p, **fields, encoding=encoding, delimiter=delim, on_error=on_error, log=log)
            seen = 0
            try:
                for rd in records:
                    yield from log.skipped[seen:]
                    seen = len(log.skipped)
                    yield rd
            except LoadError as err:
                yield err
                return
            yield from log.skipped[seen:]
        else:
            yield FileItem(str(p))

def iter_load(paths: Sequence[str | Path], executor: Any, options: LoadOptions | None = None,
              cleaner: Cleaner | None = None, structure: bool = True, log: LoadLog | None = None
              ) -> Iterator[Document]:
    """The documents of ``paths`` in input order, each read, cleaned and (``structure``) parsed by
    :func:`load_item` on ``executor`` (anything with ``imap(fn, items, **kwargs)``, such as a
    :class:`~gkcorpus.runtime.executor.PerDocumentExecutor`); skipped inputs go to ``log``.

    Inputs are listed lazily and at most the executor's window of them is in flight, so memory
    holds a few documents, not the corpus (a JSONL file is still read whole by its reader).
    """
    opts = options if options is not None else LoadOptions()
    items = (FailedItem(it.path, it.message, it.line) if isinstance(it, LoadError) else it
             for it in load_items(paths, opts))
    seen: Counter[str] = Counter()
    for kind, value in executor.imap(load_item, items, cleaner=cleaner or Cleaner(), encoding=opts.encoding,
                                     structure=structure):
        if kind == "error":
            err = LoadError(*value)
            if opts.on_error == "raise":
                raise err
            if log is not None:
                log.add(err)
            continue
        doc: Document = value
        doc.id = unique_document_id(seen, doc.id, doc.source, opts.duplicate_ids)
        yield doc

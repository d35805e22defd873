"""Readers: files, folders, JSON Lines and CSV into :class:`RawDocument` records.

Readers stream (they are generators) and decode each file with its own detected encoding.
Bad input raises :class:`LoadError`, whose message names the file and, where it applies,
the line; with ``on_error="skip"`` a reader logs the problem in a :class:`LoadLog` and goes on.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

__all__ = [
    "RawDocument",
    "LoadError",
    "LoadLog",
    "decode_bytes",
    "read_text_file",
    "iter_txt",
    "iter_jsonl",
    "iter_csv",
    "iter_paths",
    "list_text_files",
    "is_output_folder",
    "read_bundled_page",
    "BUNDLED_PAGE",
]

BUNDLED_PAGE = "gov_openness_summaries_15.raw.txt"


@dataclass(frozen=True)
class LoadOptions:
    """How inputs are read: the options every loader shares, as one record.

    ``glob``: the files of a folder; ``text_field``/``id_field``/``title_field``: the fields of
    JSONL and CSV records; ``encoding``: None to detect it per file; ``skip_bad``: skip (and list)
    unreadable files and malformed records instead of stopping; ``duplicate_ids``: ``"error"`` or
    ``"suffix"`` (a repeated id becomes ``id~2``).
    """

    glob: str = "*.txt"
    text_field: str = "text"
    id_field: str | None = "id"
    title_field: str | None = "title"
    encoding: str | None = None
    skip_bad: bool = False
    duplicate_ids: str = "error"

    @property
    def on_error(self) -> str:
        return "skip" if self.skip_bad else "raise"

    @classmethod
    def of(cls, options: "LoadOptions | None" = None, **fields: Any) -> "LoadOptions":
        """``options`` (default: the defaults) with ``fields`` changed; an unknown field is a TypeError."""
        base = options if options is not None else cls()
        return replace(base, **fields) if fields else base


@dataclass
class RawDocument:
    """One document as read: raw text plus where it came from."""

    id: str
    raw: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"
    source: str = ""


_CONTROL = re.compile("[\x00-\x1f\x7f]")


class LoadError(Exception):
    """A file that cannot be read as text; ``str()`` is one line naming the file (and line)."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        # One line, always: control characters of a path or a quoted field name are shown escaped.
        super().__init__(_CONTROL.sub(lambda m: repr(m.group())[1:-1], f"{where}: {message}"))


@dataclass
class LoadLog:
    """What a lenient read skipped (``on_error="skip"``)."""

    skipped: list[LoadError] = field(default_factory=list)

    def add(self, err: LoadError) -> None:
        self.skipped.append(err)

    def __len__(self) -> int:
        return len(self.skipped)

    def lines(self) -> list[str]:
        return [str(e) for e in self.skipped]


# ---------------------------------------------------------------- decoding

_BOMS: Sequence[tuple[bytes, str]] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC: Sequence[tuple[bytes, str]] = (
    (b"\x89PNG", "PNG image"),
    (b"PK\x03\x04", "zip archive"),
    (b"%PDF", "PDF document"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
)
# Candidate encodings for text that is not UTF-8, in order of preference on ties.
_CJK_CANDIDATES = ("gb18030", "big5", "utf_16_le", "utf_16_be")


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from where the NUL bytes sit (ASCII-heavy text)."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
        or 0x20 <= o < 0x7F or ch in "\t\n\r\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
    )


def _cjk_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: the byte order under which the text is plausible Chinese (or None)."""
    if len(data) % 2:
        return None
    best: tuple[float, str | None] = (0.0, None)
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)[:4096]
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        plausible = sum(map(_plausible, text)) / len(text)
        han = sum(1 for ch in text if 0x4E00 <= ord(ch) <= 0x9FFF) / len(text)
        if plausible > 0.95 and han > 0.2 and plausible > best[0]:
            best = (plausible, enc)
    return best[1]


def _text_or_binary(text: str, path: str | Path) -> str:
    """Refuse decoded 'text' that is mostly control characters (a binary file that happened to decode)."""
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch in "\ufffd\ufeff" or 0xE000 <= ord(ch) <= 0xF8FF)
    if sample and bad / len(sample) > 0.05:
        raise LoadError(path, "binary file (control characters), not text")
    return text


def decode_bytes(data: bytes, path: str | Path = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise :class:`LoadError` when it is not text.

    Order: an explicit ``encoding``; a BOM; strict UTF-8; UTF-16 without BOM; then
    charset-normalizer restricted to GB18030/Big5/UTF-16, reported as ``gbk`` when the
    text is plain GBK. Undecodable bytes are an error naming the line, never silently replaced.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as e:
            raise LoadError(path, f"not valid {encoding} at byte {e.start}", _line_of(data, e.start)) from None
        except LookupError:
            raise LoadError(path, f"unknown encoding {encoding!r}") from None
    if not data.strip():
        raise LoadError(path, "empty file" if not data else "file has only whitespace")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise LoadError(path, f"not valid {enc} at byte {e.start}", _line_of(data, e.start)) from None
            return text, ("utf-8-sig" if enc == "utf-8-sig" else enc)
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise LoadError(path, f"binary file ({what}), not text")
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _text_or_binary(data.decode(utf16), path), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        utf16 = _cjk_utf16_without_bom(data)
        if utf16:
            return data.decode(utf16), utf16
        raise LoadError(path, "binary file (contains NUL bytes), not text")
    try:
        return _text_or_binary(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    utf16 = _cjk_utf16_without_bom(data)
    if utf16:
        return data.decode(utf16), utf16
    return _decode_legacy(data, path, first_bad)


def _decode_legacy(data: bytes, path: str | Path, utf8_bad: int) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(_CJK_CANDIDATES)))
    if matches:
        # Least chaos wins; on a tie (short texts are ambiguous) prefer GB18030, then Big5.
        best = min(matches, key=lambda m: (round(m.chaos, 3), _CJK_CANDIDATES.index(m.encoding)
                                           if m.encoding in _CJK_CANDIDATES else 99))
        enc = best.encoding
        if enc == "gb18030":
            try:
                return data.decode("gbk"), "gbk"
            except UnicodeDecodeError:
                pass
        return str(best), enc
    # Nothing decodes cleanly: name where the most plausible decoding breaks.
    furthest: tuple[int, str] = (utf8_bad, "utf-8")
    for enc in ("gb18030", "big5"):
        try:
            data.decode(enc)
        except UnicodeDecodeError as e:
            if e.start > furthest[0]:
                furthest = (e.start, enc)
    pos, enc = furthest
    text_like = sum(1 for b in data[:4096] if b >= 0x20 or b in (9, 10, 13)) / max(1, min(len(data), 4096))
    if text_like < 0.85:
        raise LoadError(path, "binary file (not decodable as text)")
    raise LoadError(
        path,
        f"undecodable bytes {data[pos:pos + 2].hex(' ')} at byte {pos} (best guess {enc}); "
        "fix the file or pass an explicit encoding",
        _line_of(data, pos),
    )


def _check_path(p: Path) -> None:
    """Raise :class:`LoadError` unless ``p`` is a regular file (a FIFO or device would block or never end)."""
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if os.path.islink(p):
            raise LoadError(p, "broken symbolic link (its target does not exist)") from None
        raise LoadError(p, "no such file or directory") from None
    except OSError as e:
        if e.errno == 40:  # ELOOP
            raise LoadError(p, "symbolic link loop (too many levels of symbolic links)") from None
        raise LoadError(p, f"cannot read: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(p, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        kind = ("named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                else "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file")
        raise LoadError(p, f"not a regular file ({kind}); only regular files are read")


def path_error(p: Path) -> LoadError:
    """The :class:`LoadError` for a path that is not a readable regular file (why: missing, link loop …)."""
    try:
        _check_path(p)
    except LoadError as err:
        return err
    return LoadError(p, "cannot read")


def read_text_file(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Read one file as text with its detected encoding: ``(text, encoding)``."""
    p = Path(path)
    _check_path(p)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise LoadError(p, "no such file or directory") from None
    except IsADirectoryError:
        raise LoadError(p, "is a directory") from None
    except PermissionError:
        raise LoadError(p, "permission denied") from None
    except OSError as e:
        raise LoadError(p, f"cannot read: {e.strerror or e}") from None
    text, enc = decode_bytes(data, p, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc


# ---------------------------------------------------------------- readers


def _handle(err: LoadError, on_error: str, log: LoadLog | None) -> None:
    if on_error == "raise":
        raise err
    if log is not None:
        log.add(err)


def _check_on_error(on_error: str) -> None:
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")


# A first line that reads as a title: short, with a Han character, no final punctuation, not a numbered heading.
_TITLE_MAX = 40
_TITLE_END = "。！？；：，、….!?;:,"
_NUMBERED = re.compile(r"^[（(]?[一二三四五六七八九十百\d]+[)）、.．]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def split_title_line(text: str) -> tuple[str, int]:
    """``(title, body_start)`` when the first non-blank line of ``text`` looks like a title, else ``("", 0)``.

    The title line is then not part of the body: ``text[body_start:]`` is what follows it.
    """
    stripped = text.lstrip()
    line = stripped.split("\n", 1)[0].strip()
    nl = text.find("\n", len(text) - len(stripped))
    if (nl < 0 or not text[nl:].strip() or len(line) > _TITLE_MAX or not _HAN.search(line)
            or line.endswith(tuple(_TITLE_END)) or _NUMBERED.match(line)):
        return "", 0
    return line, nl + 1


def text_file_document(path: str | Path, root: str | Path | None = None, encoding: str | None = None) -> RawDocument:
    """One text file as a document: id = path relative to ``root`` without suffix (or the file stem).

    The title is the first line when it looks like one (:func:`split_title_line`; the body then starts
    after it, at ``meta["body_offset"]`` in the file's text), otherwise the file stem.
    """
    f = Path(path)
    text, enc = read_text_file(f, encoding)
    rel = f.relative_to(root).with_suffix("").as_posix() if root is not None else f.stem
    check_id(rel, f)
    meta: dict[str, Any] = {"path": rel if root is not None else f.name}
    title, body = split_title_line(text)
    if title:
        meta["body_offset"] = body
    return RawDocument(id=rel, raw=text[body:], title=title or f.stem, meta=meta, encoding=enc, source=str(f))


def iter_txt(
    folder: str | Path,
    glob: str = "*.txt",
    recursive: bool = True,
    encoding: str | None = None,
    on_error: str = "raise",
    log: LoadLog | None = None,
) -> Iterator[RawDocument]:
    """One document per text file under ``folder`` (sorted paths); id = relative path without suffix."""
    _check_on_error(on_error)
    root = Path(folder)
    if not root.exists():
        raise LoadError(root, "no such file or directory")
    files, problems = list_text_files(root, glob, recursive)
    for err in problems:
        _handle(err, on_error, log)
    if not files:
        raise LoadError(root, f"no files matching {glob!r} in this directory")
    for f in files:
        try:
            doc = text_file_document(f, root, encoding)
        except LoadError as err:
            _handle(err, on_error, log)
            continue
        yield doc


# Characters that must not occur in a document id: controls (a newline breaks tables and file
# lists) and bidirectional overrides (U+202E shows an id reversed).
_BAD_ID_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_id(doc_id: str, path: str | Path, line: int | None = None) -> str:
    """``doc_id`` if it can name a document in every export; else :class:`LoadError` naming the character."""
    m = _BAD_ID_CHARS.search(doc_id) or _SURROGATE.search(doc_id)
    if m:
        raise LoadError(path, f"document id {doc_id[:40]!r} contains U+{ord(m.group()):04X} at character {m.start()} "
                              "(control, bidirectional or surrogate characters are not allowed in ids)", line)
    return doc_id


def clean_title(title: str) -> str:
    """A title on one line: control and bidirectional-override characters become spaces."""
    return _BAD_ID_CHARS.sub(" ", title) if _BAD_ID_CHARS.search(title) else title


def _check_record_strings(rec: Any, path: Path, line: int, where: str = "") -> None:
    """Refuse lone surrogates (they cannot be written as UTF-8) and NUL characters in any string of a record."""
    if isinstance(rec, dict):
        for k, v in rec.items():
            _check_record_strings(k, path, line, where or "a field name")
            _check_record_strings(v, path, line, f"field {k!r}")
    elif isinstance(rec, list):
        for v in rec:
            _check_record_strings(v, path, line, where)
    elif isinstance(rec, str):
        m = _SURROGATE.search(rec)
        if m:
            raise LoadError(path, f"{where or 'a value'} has a lone surrogate U+{ord(m.group()):04X} at character "
                                  f"{m.start()} (not valid Unicode)", line)
        i = rec.find("\x00")
        if i >= 0:
            raise LoadError(path, f"{where or 'a value'} has a NUL character at character {i}", line)


OUTPUT_MARKERS = ("manifest.json", "cleaning_report.json")
CACHE_DIRNAME = ".gkcorpus-cache"


def is_output_folder(folder: str | Path) -> bool:
    """True for a folder gkcorpus wrote (a ``mine`` output with its ``manifest.json``, a ``clean`` output
    with its ``cleaning_report.json``, the segmentation cache, a run's temporary folder): inputs never
    come from there, so that a rerun does not read its own outputs."""
    p = Path(folder)
    if p.name == CACHE_DIRNAME or (p.name.startswith(".") and p.name.endswith((".gkrun", ".gkold"))):
        return True
    for marker in OUTPUT_MARKERS:
        m = p / marker
        try:
            with open(m, "rb") as fh:
                head = fh.read(200)
        except OSError:
            continue
        if marker == "manifest.json" and b'"gkcorpus_mine"' in head:
            return True
        if marker == "cleaning_report.json" and head.lstrip().startswith(b"["):
            return True
    return False


def list_text_files(root: Path, glob: str = "*.txt", recursive: bool = True) -> tuple[list[Path], list[LoadError]]:
    """The regular files matching ``glob`` under ``root`` (sorted), and the subfolders that could not be read.

    Folders that gkcorpus wrote below ``root`` (:func:`is_output_folder`) are left out; the files are
    those :meth:`Path.rglob` finds, as before.
    """
    if not recursive:
        files = sorted(f for f in root.glob(glob) if f.is_file())
        return files, []
    problems: list[LoadError] = []
    skip: list[Path] = []

    def unreadable(e: OSError) -> None:
        problems.append(LoadError(e.filename or root, f"cannot read this folder: {e.strerror or e}"))

    for dirpath, dirnames, _ in os.walk(root, onerror=unreadable):
        for name in list(dirnames):
            sub = Path(dirpath, name)
            if is_output_folder(sub):
                skip.append(sub)
                dirnames.remove(name)
    files = []
    for f in sorted(root.rglob(glob)):
        if skip and any(f.is_relative_to(s) for s in skip):
            continue
        if f.is_file():
            files.append(f)
    return files, problems


def _record_to_doc(
    rec: dict, path: Path, line: int, enc: str, text_field: str, id_field: str | None, title_field: str | None,
    meta_fields: Sequence[str] | None, default_id: str,
) -> RawDocument:
    if text_field not in rec:
        raise LoadError(path, f"no {text_field!r} field (fields: {', '.join(map(str, rec)) or 'none'})", line)
    text = rec[text_field]
    if not isinstance(text, str):
        raise LoadError(path, f"field {text_field!r} is {type(text).__name__}, not text", line)
    _check_record_strings(rec, path, line)
    raw_id = rec.get(id_field) if id_field else None
    if raw_id is not None and raw_id != "" and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, float))):
        raise LoadError(path, f"field {id_field!r} is {type(raw_id).__name__}, not text or a number", line)
    doc_id = str(raw_id) if id_field and raw_id not in (None, "") else default_id
    check_id(doc_id, path, line)
    title = clean_title(str(rec.get(title_field, "") or "")) if title_field else ""
    skip = {text_field, id_field, title_field}
    keys = meta_fields if meta_fields is not None else [k for k in rec if k not in skip]
    meta = {k: rec.get(k) for k in keys}
    return RawDocument(id=doc_id, raw=text, title=title, meta=meta, encoding=enc, source=f"{path}:{line}")


def iter_jsonl(
    path: str | Path,
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    meta_fields: Sequence[str] | None = None,
    encoding: str | None = None,
    on_error: str = "raise",
    log: LoadLog | None = None,
) -> Iterator[RawDocument]:
    """One document per JSON object line; all other fields become document variables."""
    _check_on_error(on_error)
    p = Path(path)
    text, enc = read_text_file(p, encoding)
    stem = p.stem
    n = 0
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            # json's message may end in "at" itself (Unterminated string starting at): one "at column N"
            msg = e.msg[:-3] if e.msg.endswith(" at") else e.msg
            _handle(LoadError(p, f"malformed JSON ({msg} at column {e.colno})", lineno), on_error, log)
            continue
        if not isinstance(rec, dict):
            _handle(LoadError(p, f"expected a JSON object, got {type(rec).__name__}", lineno), on_error, log)
            continue
        try:
            doc = _record_to_doc(rec, p, lineno, enc, text_field, id_field, title_field, meta_fields, f"{stem}-{lineno}")
        except LoadError as err:
            _handle(err, on_error, log)
            continue
        n += 1
        yield doc
    if n == 0 and on_error == "raise":
        raise LoadError(p, "no documents in this file")


def iter_csv(
    path: str | Path,
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    meta_fields: Sequence[str] | None = None,
    encoding: str | None = None,
    delimiter: str = ",",
    on_error: str = "raise",
    log: LoadLog | None = None,
) -> Iterator[RawDocument]:
    """One document per CSV row (header required); all other columns become document variables."""
    _check_on_error(on_error)
    p = Path(path)
    text, enc = read_text_file(p, encoding)
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    fields = reader.fieldnames or []
    if text_field not in fields:
        raise LoadError(p, f"no {text_field!r} column (columns: {', '.join(fields) or 'none'})", 1)
    stem = p.stem
    n = 0
    while True:
        start_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            # An unclosed quote swallows the rest of the file: nothing after it can be trusted.
            raise LoadError(p, f"malformed CSV ({e})", start_line) from None
        if None in row:
            _handle(LoadError(p, "row has more fields than the header", start_line), on_error, log)
            continue
        if row.get(text_field) is None:
            _handle(LoadError(p, "row has fewer fields than the header", start_line), on_error, log)
            continue
        try:
            doc = _record_to_doc(row, p, start_line, enc, text_field, id_field, title_field, meta_fields, f"{stem}-{start_line}")
        except LoadError as err:
            _handle(err, on_error, log)
            continue
        n += 1
        yield doc
    if n == 0 and on_error == "raise":
        raise LoadError(p, "no documents in this file")


def iter_paths(
    paths: Iterable[str | Path],
    glob: str = "*.txt",
    text_field: str = "text",
    id_field: str | None = "id",
    title_field: str | None = "title",
    encoding: str | None = None,
    on_error: str = "raise",
    log: LoadLog | None = None,
) -> Iterator[RawDocument]:
    """Dispatch on each path: a folder of text files, ``.jsonl``/``.ndjson``, ``.csv``/``.tsv``, or one text file."""
    _check_on_error(on_error)
    kw = dict(encoding=encoding, on_error=on_error, log=log)
    fields = dict(text_field=text_field, id_field=id_field, title_field=title_field)
    for raw_path in paths:
        p = Path(raw_path)
        try:
            if p.is_dir():
                yield from iter_txt(p, glob=glob, **kw)
            elif not p.exists():
                _check_path(p)  # raises with the reason: missing, broken link or link loop
            elif p.suffix.lower() in (".jsonl", ".ndjson"):
                yield from iter_jsonl(p, **fields, **kw)
            elif p.suffix.lower() in (".csv", ".tsv"):
                yield from iter_csv(p, delimiter="\t" if p.suffix.lower() == ".tsv" else ",", **fields, **kw)
            else:
                yield text_file_document(p, encoding=encoding)
        except LoadError as err:
            _handle(err, on_error, log)


# ---------------------------------------------------------------- the bundled page

# Gloss-stripped title line of a summary on the bundled page: 政務公開活動總結N.
_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
_TITLE = re.compile(r"^政務公開活動總結(\d+)$")
_RELATED = re.compile(r"^【.*】相關")


def bundled_page_path() -> Path:
    """Path of the raw page shipped inside the package."""
    return Path(str(resources.files("gkcorpus") / "data" / BUNDLED_PAGE))


def split_page(page: str, source: str = BUNDLED_PAGE) -> list[RawDocument]:
    """Split the raw page into its summaries, dropping the chrome above the first and below the last.

    Each document's ``raw`` is its body lines (title line excluded) joined with ``\\n``; its
    ``title`` is the raw title line; ``meta`` records the page lines and character offset.
    """
    lines = page.split("\n")
    starts: list[tuple[int, int]] = []
    end = len(lines)
    for i, line in enumerate(lines):
        bare = _GLOSS.sub("", line.strip())
        m = _TITLE.match(bare)
        if m:
            starts.append((i, int(m.group(1))))
        elif starts and _RELATED.match(bare):
            end = i
            break
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    docs = []
    for k, (i, num) in enumerate(starts):
        j = starts[k + 1][0] if k + 1 < len(starts) else end
        body = "\n".join(lines[i + 1 : j]).strip("\n")
        docs.append(
            RawDocument(
                id=f"summary-{num:02d}",
                raw=body,
                title=lines[i].strip(),
                meta={"number": num, "page_line": i + 1, "page_offset": offsets[i + 1]},
                encoding="utf-8",
                source=f"{source}:{i + 1}",
            )
        )
    return docs


def read_bundled_page() -> list[RawDocument]:
    """The fifteen summaries of the bundled page as raw documents."""
    path = bundled_page_path()
    text, enc = read_text_file(path)
    return split_page(text, source=BUNDLED_PAGE)

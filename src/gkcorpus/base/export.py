"""Atomic exports: every file is written to a temporary sibling and renamed into place.

A run killed mid-write leaves the previous file (or none) under the final name, never a
half-written one. Writers take plain Python data (lists of dicts, DataFrames, strings).
Each file's data reaches the disk (``fsync``) before it is renamed into place, or, inside
:func:`deferred_sync`, on a background thread before the block ends.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import io
import itertools
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

__all__ = [
    "ExportError",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "deferred_sync",
    "write_json",
    "write_json_items",
    "write_csv",
    "write_xlsx",
    "ensure_dir",
    "safe_cell",
    "safe_file_stem",
]


class ExportError(Exception):
    """An output that cannot be written; ``str()`` names the path."""


def ensure_dir(path: str | Path) -> Path:
    """Create the output directory (and parents); refuse an existing file or an unwritable place."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise ExportError(f"{p}: output path exists and is a file, not a directory")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"{p}: cannot create output directory ({e.strerror or e})") from None
    if not os.access(p, os.W_OK):
        raise ExportError(f"{p}: output directory is not writable")
    return p


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``, else delete it."""
    final = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    except OSError as e:
        raise ExportError(f"{final}: cannot write ({e.strerror or e})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, final)
    except OSError as e:  # disk full, quota, I/O error: one line naming the file
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise ExportError(f"{final}: cannot write ({e.strerror or e})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


class _Syncs:
    """Files written meanwhile, flushed to the disk one after another by one background thread."""

    def __init__(self) -> None:
        self.pid = os.getpid()  # a forked child writes its own files synchronously
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gkcorpus-fsync")
        self.failed: list[tuple[str, OSError]] = []

    def add(self, path: str | Path) -> None:
        self.pool.submit(self._sync, os.fspath(path))

    def _sync(self, path: str) -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except FileNotFoundError:  # replaced or deleted since: nothing of it is left to flush
            pass
        except OSError as e:
            self.failed.append((path, e))


_syncs: contextvars.ContextVar[_Syncs | None] = contextvars.ContextVar("gkcorpus_deferred_sync", default=None)


def _deferred() -> _Syncs | None:
    s = _syncs.get()
    return s if s is not None and s.pid == os.getpid() else None


@contextlib.contextmanager
def deferred_sync() -> Iterator[None]:
    """Inside the block (in this thread), files are renamed into place at once and flushed to the
    disk (``fsync``) on a background thread; the block ends when all of them are on the disk.

    For a folder of many files made visible only once the block is done (``mine`` writes its run
    into a fresh folder swapped in at the end): each fsync waits for the disk (about 5 ms on this
    kind of virtual disk), and the block's own work goes on meanwhile. Same files, and the same
    durability when the folder is swapped in. Raises :class:`ExportError` naming the first file
    that could not be flushed."""
    s = _Syncs()
    token = _syncs.set(s)
    done = False
    try:
        yield
        done = True
    finally:
        _syncs.reset(token)
        s.pool.shutdown(wait=True, cancel_futures=not done)  # failed: its files are abandoned
    if s.failed:
        path, e = s.failed[0]
        raise ExportError(f"{path}: cannot write ({e.strerror or e})")


def _flush(fh: Any, syncs: _Syncs | None) -> None:
    """``fh``'s data to the disk now, unless ``syncs`` will flush the file once renamed."""
    fh.flush()
    if syncs is None:
        os.fsync(fh.fileno())


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    syncs = _deferred()
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            _flush(fh, syncs)
    if syncs is not None:
        syncs.add(path)
    return Path(path)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def _default(o: Any) -> Any:
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if hasattr(o, "tolist"):
        return o.tolist()
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"cannot serialise {type(o).__name__} to JSON")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


@contextlib.contextmanager
def _atomic_text(path: str | Path) -> Iterator[Any]:
    """A UTF-8 text file handle on a temporary sibling of ``path``, renamed into place when done."""
    syncs = _deferred()
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            yield fh
            _flush(fh, syncs)
    if syncs is not None:
        syncs.add(path)


def write_json(path: str | Path, data: Any) -> Path:
    """UTF-8 JSON with Chinese kept readable, keys in the order given, newline at the end.

    A list is written one item at a time (:func:`write_json_items`): the same bytes, without the
    whole text in memory (a 300 MB ``reuse.json`` would otherwise cost gigabytes of string chunks).
    """
    if isinstance(data, list):
        return write_json_items(path, data)
    return atomic_write_text(path, _dumps(data) + "\n")


_ESCAPE = json.encoder.encode_basestring  # the C encoder json.dumps uses with ensure_ascii=False


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o in (float("inf"), float("-inf")):
        return "Infinity" if o > 0 else "-Infinity"
    return float.__repr__(o)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, float):
        return _float(k)
    if k is True or k is False or k is None:
        return {True: "true", False: "false", None: "null"}[k]
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


_LITERALS = {None: "null", True: "true", False: "false"}


def _indented(o: Any, level: int, out: list[str]) -> None:
    """Append the pieces of ``json.dumps(o, ensure_ascii=False, indent=2, default=_default)`` at
    nesting ``level``: the same rules in the same order, without the generic pure-Python encoder's
    generator machinery (which ``indent`` otherwise forces on every value). A container's values of
    the plain types (exactly ``str``, ``int``, ``float``, ``bool``, ``None``) are written with its
    punctuation in one piece, a list of strings in one join; anything else by the general rules."""
    if isinstance(o, str):
        out.append(_ESCAPE(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        comma = "," + inner
        try:  # a list of strings (str subclasses too: encoded alike)
            out.append("[" + inner + comma.join(map(_ESCAPE, o)) + "\n" + "  " * level + "]")
            return
        except TypeError:
            pass
        sep = "[" + inner
        for v in o:
            t = type(v)
            if t is str:
                out.append(sep + _ESCAPE(v))
            elif t is int:
                out.append(sep + int.__repr__(v))
            elif t is float:
                out.append(sep + _float(v))
            elif v is None or t is bool:
                out.append(sep + _LITERALS[v])
            else:
                out.append(sep)
                _indented(v, level + 1, out)
            sep = comma
        out.append("\n" + "  " * level + "]")
    elif isinstance(o, dict):
        if not o:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        sep, comma = "{" + inner, "," + inner
        for k, v in o.items():
            head = sep + _ESCAPE(k if type(k) is str else _key(k)) + ": "
            t = type(v)
            if t is str:
                out.append(head + _ESCAPE(v))
            elif t is int:
                out.append(head + int.__repr__(v))
            elif t is float:
                out.append(head + _float(v))
            elif v is None or t is bool:
                out.append(head + _LITERALS[v])
            else:
                out.append(head)
                _indented(v, level + 1, out)
            sep = comma
        out.append("\n" + "  " * level + "}")
    else:
        _indented(_default(o), level, out)


def _dumps_indented(o: Any, level: int = 0) -> str:
    out: list[str] = []
    _indented(o, level, out)
    return "".join(out)


def write_json_items(path: str | Path, items: Iterable[Any]) -> Path:
    """A JSON list of ``items`` (any iterable, e.g. a generator), byte for byte what
    ``write_json(path, list(items))`` gives, holding one item's text at a time (atomic)."""
    with _atomic_text(path) as fh:
        sep = "[\n  "
        for item in items:
            fh.write(sep)
            fh.write(_dumps_indented(item, 1))  # one level inside the list
            sep = ",\n  "
        fh.write("[]\n" if sep == "[\n  " else "\n]\n")
    return Path(path)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(v: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ tab or CR gets a leading
    single quote (OWASP's rule against CSV injection); other values are returned unchanged."""
    return "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v


def safe_file_stem(name: str, limit: int = 120) -> str:
    """A file name stem for any text: path separators and odd characters become _, and a stem longer
    than ``limit`` UTF-8 bytes is cut and given a hash suffix (file systems allow 255 bytes a name)."""
    import hashlib
    import re

    stem = re.sub(r"[^\w.\-~]+", "_", name).strip("._") or "doc"
    if len(stem.encode("utf-8")) <= limit:
        return stem
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    cut = stem.encode("utf-8")[: limit - 13].decode("utf-8", "ignore").rstrip("._")
    return f"{cut}~{digest}"


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False, default=_default)
    return "" if v is None else v


def _record_chunks(rows: Any, chunk: int) -> Iterator[list[dict]]:
    """Row dicts in lists: a DataFrame converted ``chunk`` rows at a time (as ``to_dict("records")``
    converts it, so the cells have the same Python types), any other iterable in runs of ``chunk``."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        for i in range(0, len(rows), chunk):
            yield rows.iloc[i : i + chunk].to_dict(orient="records")
        return
    it = iter(rows)
    while True:
        part = list(itertools.islice(it, chunk))
        if not part:
            return
        yield part


def _frame_cells(df: Any, columns: Sequence[str], chunk: int) -> Iterator[Iterable[tuple]] | None:
    """The cells of a DataFrame's rows (``chunk`` rows at a time), converted a column at a time to what
    :func:`write_csv` makes of ``to_dict("records")``'s values: numbers pass unchanged, and only columns
    of objects or extension types go through ``to_dict``'s boxing and :func:`_cell`/:func:`safe_cell`.
    ``None`` when the columns repeat a name (``to_dict`` keeps the last), left to the row-wise path."""
    try:
        import pandas as pd
        from pandas.api.extensions import ExtensionDtype
        from pandas.core.dtypes.cast import maybe_box_native
    except ImportError:  # pragma: no cover - a pandas without to_dict's helper: the row-wise path
        return None
    if not df.columns.is_unique:
        return None

    def boxed(v: Any) -> Any:
        t = type(v)
        if t is str:  # what maybe_box_native, _cell and safe_cell make of text, inline
            return "'" + v if v.startswith(_FORMULA_START) else v
        if t is int or t is float or t is bool:
            return v
        return safe_cell(_cell(maybe_box_native(v)))

    def column(part: Any, c: Any) -> list:
        if c not in df.columns:
            return [""] * len(part)
        s = part[c]
        if s.dtype == object:
            return [boxed(v) for v in s.tolist()]  # an object array's items are its objects
        if isinstance(s.dtype, pd.StringDtype):
            return [boxed(v) for v in s.to_numpy(dtype=object)]  # the strings and the dtype's missing value
        if isinstance(s.dtype, ExtensionDtype):
            return [boxed(v) for v in s]
        if s.dtype.kind in "biuf":
            return s.tolist()  # bools and numbers: neither _cell nor safe_cell change them
        return [safe_cell(_cell(v)) for v in s]

    def chunks() -> Iterator[Iterable[tuple]]:
        for i in range(0, len(df), chunk):
            part = df.iloc[i : i + chunk]
            yield zip(*[column(part, c) for c in columns])

    return chunks()


def write_csv(path: str | Path, rows: Iterable[dict] | Any, columns: Sequence[str] | None = None,
              chunk: int = 20_000) -> Path:
    """CSV (UTF-8 with BOM, so Excel opens Chinese correctly); lists and dicts become JSON cells.

    ``rows``: a DataFrame or an iterable of dicts (the first row's keys are the columns unless
    ``columns`` is given). Written ``chunk`` rows at a time: a large table is never held as text.
    A DataFrame's cells are converted a column at a time (:func:`_frame_cells`), to the same text.
    """
    frame = hasattr(rows, "to_dict") and hasattr(rows, "columns")
    if frame:
        columns = list(columns or rows.columns)
        cells = _frame_cells(rows, columns, chunk)
        if cells is not None:
            with _atomic_text(path) as fh:
                fh.write("\ufeff")
                w = csv.writer(fh, lineterminator="\n")
                w.writerow([safe_cell(c) for c in columns])
                for part in cells:
                    w.writerows(part)
            return Path(path)
    chunks = _record_chunks(rows, chunk)
    first = next(chunks, [])
    if columns is None:
        columns = list(first[0]) if first else []
    columns = list(columns)
    with _atomic_text(path) as fh:
        fh.write("\ufeff")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([safe_cell(c) for c in columns])
        for part in itertools.chain([first], chunks):
            w.writerows([_csv_value(r.get(c)) for c in columns] for r in part)
    return Path(path)


def _csv_value(v: Any) -> Any:
    """``safe_cell(_cell(v))``, text and numbers without the calls."""
    t = type(v)
    if t is str:
        return "'" + v if v.startswith(_FORMULA_START) else v
    if t is int or t is float:
        return v
    return safe_cell(_cell(v))


def markdown_table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table; pipes and newlines in cells are escaped."""

    def esc(v: Any) -> str:
        v = _cell(v)
        return str(v).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(esc(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(out) + "\n"


def write_xlsx(path: str | Path, sheets: dict[str, Any]) -> Path:
    """An Excel workbook, one sheet per DataFrame or list of dicts (needs the ``xlsx`` extra).

    pandas and openpyxl write the workbook with each sheet's header row; the body rows are built
    by :func:`gkcorpus.base.xlsx_rows.body_rows` (the XML openpyxl would write, without a Python
    object per cell) and spliced in. A sheet holding values that module does not reproduce is
    written whole by pandas, and so is every sheet when openpyxl lays a worksheet out otherwise."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise ExportError(f"{path}: writing Excel needs openpyxl: pip install 'gkcorpus[xlsx]'") from None
    try:
        data = _workbook(sheets, fast=True)
    except _LayoutError:  # an openpyxl that lays out worksheets otherwise: every cell through pandas
        data = _workbook(sheets, fast=False)
    return atomic_write_bytes(path, data)


def _safe_value(v: Any) -> Any:
    """A cell's value for the workbook: text made safe (:func:`safe_cell`), lists and dicts as JSON
    text, anything else unchanged."""
    if type(v) is str:
        return "'" + v if v.startswith(_FORMULA_START) else v
    return safe_cell(_cell(v)) if isinstance(v, (list, tuple, dict, str)) else v


def _unchanged_text(values: list) -> bool:
    """Whether :func:`_safe_value` leaves every value as it is: all text, none starting as a formula."""
    if not all(type(v) is str for v in values):
        return False
    return not any(v.startswith(_FORMULA_START) for v in values)


def _safe_frame(df: Any) -> Any:
    """``df.map(_safe_value)``, mapping only the columns it would change: not a column of numbers or
    booleans, nor a text column (``StringDtype``) that holds no formula (the map gives such columns
    back as they were)."""
    import pandas as pd

    if not df.columns.is_unique:
        return df.map(_safe_value)
    todo = [j for j, dt in enumerate(df.dtypes) if dt.kind not in "bif"
            and not (isinstance(dt, pd.StringDtype) and _unchanged_text(df.iloc[:, j].tolist()))]
    if not todo:
        return df
    df = df.copy()
    for j in todo:
        df.isetitem(j, df.iloc[:, j].map(_safe_value))
    return df


class _LayoutError(ValueError):
    """A header-only worksheet that does not look as :func:`_splice_rows` expects."""


def _workbook(sheets: dict[str, Any], fast: bool) -> bytes:
    """The reproducible bytes of :func:`write_xlsx`'s workbook; ``fast``: body rows spliced in."""
    import pandas as pd

    from .xlsx_rows import body_rows

    buf = io.BytesIO()
    bodies: dict[str, str] = {}
    fast = fast and len({name[:31] for name in sheets}) == len(sheets)  # two names cut to one title share a sheet
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, data in sheets.items():
            df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
            df = _safe_frame(df)
            df.columns = [safe_cell(c) for c in df.columns]
            title = name[:31]
            body = body_rows(df) if fast else None
            (df if body is None else df.iloc[:0]).to_excel(xw, sheet_name=title, index=False)
            for row in xw.sheets[title].iter_rows():
                for cell in row:  # text is text: openpyxl would store a string starting with = as a formula
                    if cell.data_type == "f":
                        cell.data_type = "s"
            if body is not None:
                bodies[title] = body
        book = xw.book
    rows = {book[title].path[1:]: body for title, body in bodies.items()}
    return _reproducible_zip(buf.getvalue(), rows)


def _splice_rows(sheet: bytes, body: str) -> bytes:
    """A header-only worksheet's XML with the body rows added and its dimension widened to them."""
    import re

    n_rows = body.count("<row ")
    m = re.search(rb'<dimension ref="A1:([A-Z]+)1" />', sheet)
    end = sheet.find(b"</sheetData>")
    if m is None or end < 0:
        raise _LayoutError("unexpected worksheet layout")
    head = sheet[: m.start()] + b'<dimension ref="A1:' + m.group(1) + b"%d" % (n_rows + 1) + b'" />'
    return head + sheet[m.end(): end] + body.encode("utf-8") + sheet[end:]


_FIXED_TIME = "2000-01-01T00:00:00Z"


def _reproducible_zip(data: bytes, rows: dict[str, str] | None = None) -> bytes:
    """The same workbook with fixed entry times and document-property dates, so reruns are byte-identical;
    ``rows``: body rows to splice into header-only worksheets, by entry name."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if rows and info.filename in rows:
                body = _splice_rows(body, rows[info.filename])
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()

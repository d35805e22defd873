"""Further texts one call away: public 政府工作报告 collections, downloaded, checked and converted.

As scikit-learn's ``fetch_*`` functions do, :func:`load_gwr_national` downloads the source files of
a public collection at a pinned commit, checks each against its pinned SHA-256 (pooch does the
download and the check), converts them with the project's own loader and cleaner, caches the result
under the user's data folder and returns a :class:`~gkcorpus.Corpus`.

    >>> from gkcorpus.datasets import load_gwr_national
    >>> corpus = load_gwr_national()          # 50 national reports 1954–2018, docvar ``year``

Where files come from and go:

* ``GKCORPUS_DATA`` overrides the data folder (default: the platform's user data folder, e.g.
  ``~/.local/share/gkcorpus``); the raw files are kept in ``<data>/<name>/``.
* ``GKCORPUS_DATA_MIRROR`` names a local folder laid out as ``<mirror>/<name>/<file>`` to copy the
  files from instead of the network (offline machines, tests, CI). Files from a mirror are checked
  against the same checksums as downloads.

The texts are documents of state organs; the collections carry no stated license.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Callable

from gkcorpus import Cleaner, Corpus, LoadError, RawDocument, __version__, load

__all__ = [
    "DATASETS",
    "Dataset",
    "DatasetError",
    "data_home",
    "fetch",
    "load_dataset",
    "load_gwr_national",
    "load_gwr_national_bilingual",
]

DATA_ENV = "GKCORPUS_DATA"
MIRROR_ENV = "GKCORPUS_DATA_MIRROR"
# Bump when a conversion changes, so that cached corpora are rebuilt.
CONVERSION = 2


class DatasetError(LoadError):
    """A dataset file that cannot be obtained or does not match its checksum (one line)."""


@dataclass(frozen=True)
class Dataset:
    """A public collection: where its files live upstream and how they become a Corpus."""

    name: str
    description: str
    repository: str
    commit: str
    folder: str
    n_documents: int
    convert: Callable[[Path, Cleaner | None], Corpus]
    paths: tuple[tuple[str, str], ...] = ()

    def upstream_path(self, fname: str) -> str:
        """Path of ``fname`` inside the upstream repository."""
        return dict(self.paths).get(fname, f"{self.folder}/{fname}")

    def url(self, fname: str) -> str:
        return f"https://raw.githubusercontent.com/{self.repository}/{self.commit}/{self.upstream_path(fname)}"

    def registry(self) -> dict[str, str]:
        """File name → ``sha256:…`` as pinned in ``gkcorpus/data/datasets/<name>.txt``."""
        text = resources.files("gkcorpus").joinpath("data", "datasets", f"{self.name}.txt").read_text("utf-8")
        out: dict[str, str] = {}
        for line in text.splitlines():
            if line.strip() and not line.startswith("#"):
                fname, digest = line.split()
                out[fname] = digest
        return out


def data_home() -> Path:
    """The folder datasets are cached in: ``$GKCORPUS_DATA`` or the user's data folder."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("gkcorpus", appauthor=False))


def _mirror() -> Path | None:
    env = os.environ.get(MIRROR_ENV)
    return Path(env).expanduser() if env else None


def _copy_from_mirror(url: str, output_file: str, pooch: object) -> None:
    """A pooch downloader that copies a file from the local mirror."""
    src = Path(url)
    if not src.is_file():
        raise DatasetError(src, f"not in the mirror (${MIRROR_ENV})")
    shutil.copyfile(src, output_file)


def fetch(name: str, progress: bool | None = None) -> Path:
    """Download (or copy from the mirror) and check every file of dataset ``name``; return its folder.

    Files already present with the right checksum are not fetched again. A file whose checksum
    does not match raises :class:`DatasetError` naming it, and is not kept.
    """
    import warnings

    with warnings.catch_warnings():  # pooch imports tqdm.auto, which warns in a notebook without ipywidgets
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch

    ds = _get(name)
    registry = ds.registry()
    folder = data_home() / ds.name
    mirror = _mirror()
    if mirror is not None:
        urls = {f: str(mirror / ds.name / f) for f in registry}
        downloader: Callable | None = _copy_from_mirror
    else:
        urls = {f: ds.url(f) for f in registry}
        downloader = None
    store = pooch.create(path=folder, base_url="", registry=registry, urls=urls, retry_if_failed=0 if mirror is not None else 1)
    pooch.get_logger().setLevel("WARNING")
    if progress is None:
        progress = sys.stderr.isatty()
    names = sorted(registry)
    if progress:
        from tqdm.auto import tqdm

        names = tqdm(names, desc=f"fetch {ds.name}", unit="file", leave=False)
    for fname in names:
        try:
            store.fetch(fname, downloader=downloader)
        except DatasetError:
            raise
        except ValueError as e:
            where = urls[fname]
            got = re.search(r"but got (\w+)", str(e))
            raise DatasetError(where, f"SHA-256 {got.group(1)[:12] if got else '?'}… does not match the pinned "
                                      f"{registry[fname].split(':')[-1][:12]}… (file corrupted or changed upstream)") from None
        except Exception as e:  # network errors come from requests, which pooch imports lazily
            hint = f"; offline? set ${MIRROR_ENV} to a folder holding {ds.name}/" if mirror is None else ""
            reason = "no connection" if type(e).__name__ == "ConnectionError" else f"{type(e).__name__}: {str(e)[:80]}"
            raise DatasetError(urls[fname], f"cannot download ({reason}){hint}") from None
    return folder


def load_dataset(name: str, cleaner: Cleaner | None = None, refresh: bool = False) -> Corpus:
    """Dataset ``name`` as a cleaned Corpus, fetched and converted on first use and cached after."""
    ds = _get(name)
    registry = ds.registry()
    key = hashlib.sha256(f"{sorted(registry.items())}|{__version__}|{CONVERSION}".encode()).hexdigest()[:12]
    cached = data_home() / f"{ds.name}-{key}.gkc"
    if cleaner is None and cached.exists() and not refresh:
        try:
            return Corpus.load(cached)
        except LoadError:  # a damaged cache is rebuilt from the checked files
            pass
    folder = fetch(name)
    corpus = ds.convert(folder, cleaner)
    if cleaner is None:
        for old in data_home().glob(f"{ds.name}-*.gkc"):
            old.unlink()
        corpus.save(cached)
    return corpus


def load_gwr_national(cleaner: Cleaner | None = None) -> Corpus:
    """The 50 national 政府工作报告 1954–2018 as scraped from gov.cn (ids ``gwr_national/<year>``).

    Document variables: ``year``, ``url`` (the gov.cn page), ``flags`` (``truncated_first_page_only``
    for 2006–2009, whose later pages were never scraped; ``single_line`` for 2014). The loader
    detects the GBK encoding and the cleaner removes the page chrome and the repeated paragraphs.
    """
    return load_dataset("gwr_national", cleaner)


def load_gwr_national_bilingual(cleaner: Cleaner | None = None) -> Corpus:
    """The 15 national 政府工作报告 2008–2022 from sentence-aligned Chinese–English TMX files.

    ``text`` is the Chinese side, one sentence or heading per line (the alignment lost the
    paragraph breaks); document variables ``year`` and ``text_en`` (the official translation).
    """
    return load_dataset("gwr_national_bilingual", cleaner)


# ---------------------------------------------------------------------------- conversions

def _flags(raw: str, text: str) -> list[str]:
    flags = []
    if "turnpage" in raw:  # the gov.cn pager script: only page 1 of a paginated report was scraped
        flags.append("truncated_first_page_only")
    if "\n" not in text.strip():
        flags.append("single_line")
    return flags


def _convert_national(folder: Path, cleaner: Cleaner | None) -> Corpus:
    with open(folder / "Reports_links.csv", encoding="utf-8", newline="") as fh:
        links = {int(r["Year"]): r["Links"] for r in csv.DictReader(fh)}
    corpus = load(folder, glob="[12][0-9][0-9][0-9].txt", cleaner=cleaner)
    docs = []
    for d in corpus:
        year = int(d.id)
        meta = {"year": year, "source": DATASETS["gwr_national"].repository, "url": links.get(year),
                "flags": _flags(d.raw, d.text), "path": f"data/Corpus/{year}.txt"}
        docs.append(replace(d, id=f"gwr_national/{year}", title=f"{year}年国务院政府工作报告", meta=meta))
    return Corpus(docs)


_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx_sides(path: Path) -> tuple[list[str], list[str]]:
    """The Chinese and English segments of a TMX file, in file order."""
    zh: list[str] = []
    en: list[str] = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise DatasetError(path, f"not a TMX file ({e})") from None
    for tu in root.iter("tu"):
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(_LANG) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            text = re.sub(r"\s+", " ", "".join(seg.itertext())).strip() if seg is not None else ""
            if text and lang.startswith("zh"):
                zh.append(text)
            elif text and lang.startswith("en"):
                en.append(text)
    return zh, en


def _convert_bilingual(folder: Path, cleaner: Cleaner | None) -> Corpus:
    raws = []
    for path in sorted(folder.glob("GR*.tmx")):
        year = int(re.search(r"(\d{4})", path.stem).group(1))
        zh, en = _tmx_sides(path)
        raws.append(RawDocument(
            id=f"gwr_national_bilingual/{year}", raw="\n".join(zh), title=f"{year}年国务院政府工作报告",
            meta={"year": year, "source": DATASETS["gwr_national_bilingual"].repository,
                  "path": f"government_report_tmx_file/{path.name}", "text_en": "\n".join(en)},
            source=str(path),
        ))
    return Corpus.from_raw(raws, cleaner=cleaner)


DATASETS: dict[str, Dataset] = {
    ds.name: ds
    for ds in (
        Dataset(
            name="gwr_national",
            description="国务院政府工作报告 1954–2018 scraped from gov.cn (GBK, page chrome, repeated paragraphs)",
            repository="ljtyduyu/Government_Report_Mining",
            commit="25d3da1a894f359a461ad31640e10e1b4cc5635e",
            folder="data/Corpus",
            n_documents=50,
            convert=_convert_national,
            paths=(("Reports_links.csv", "data/Reports_links.csv"),),
        ),
        Dataset(
            name="gwr_national_bilingual",
            description="国务院政府工作报告 2008–2022, sentence-aligned Chinese–English TMX",
            repository="liuzeyi11/GovernmentWorkReportCorpus",
            commit="44c7537dccfa44833c4ce0b66ea4c8375dab401f",
            folder="government_report_tmx_file",
            n_documents=15,
            convert=_convert_bilingual,
        ),
    )
}


def _get(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise DatasetError(name, f"no such dataset; choose from {', '.join(DATASETS)}") from None

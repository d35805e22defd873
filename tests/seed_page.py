"""The bundled seed page for the cleaning tests: its path, its raw text and cleaning as module fixtures,
and which summary a raw offset belongs to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gkcorpus.text.clean.cleaner import Cleaner

RAW_PATH = Path(__file__).resolve().parents[1] / "corpus" / "gov_openness_summaries_15.raw.txt"
TITLE = re.compile(r"政務\(wù\)公開\(kāi\)活動\(dòng\)總結\(jié\)(\d+)")


@pytest.fixture(scope="module")
def raw() -> str:
    return RAW_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(raw):
    return Cleaner().clean(raw)


def doc_of(raw: str, pos: int) -> int:
    """Number of the summary (1..15) whose body holds raw offset ``pos`` (0 = page preamble)."""
    doc = 0
    for m in TITLE.finditer(raw):
        if m.start() > pos:
            break
        doc = int(m.group(1))
    return doc

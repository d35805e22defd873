"""Shared fixtures: the bundled corpus (session-scoped) and ../shared/corpora when present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"


def pytest_collection_modifyitems(config, items):
    """Tests that use ``shared_corpora`` are marked ``shared`` (select them with ``-m shared``)."""
    for item in items:
        if "shared_corpora" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """Path to ../shared/corpora; skips the test with a reason when it is absent (a user's clone)."""
    if not (SHARED / "gwr_national.jsonl").exists():
        pytest.skip(f"needs the shared corpora at {SHARED} (present only on the project's machines)")
    return SHARED


@pytest.fixture(scope="session")
def bundled():
    """The fifteen bundled summaries as a cleaned Corpus."""
    from gkcorpus import load_bundled

    return load_bundled()

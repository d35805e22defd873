"""The HTML report in a real browser: headless Chromium (Debian's), driven by Playwright.

Skips when Chromium or Playwright is missing, unless GKCORPUS_REQUIRE_BROWSER=1 (set by .ci/run,
which installs both), in which case their absence fails the test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gkcorpus.cli import main

pytestmark = pytest.mark.slow  # a whole mine run and a headless browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _need(ok: bool, what: str) -> None:
    if not ok:
        if os.environ.get("GKCORPUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{what} is required here (GKCORPUS_REQUIRE_BROWSER=1)")
        pytest.skip(f"{what} is not installed (apt-get install chromium; pip install playwright)")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    _need(CHROMIUM is not None, "Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright")
    out = tmp_path_factory.mktemp("report")
    assert main(["mine", "-o", str(out), "--format", "json"]) == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        pg.route("http*://**", lambda route: route.abort())  # no network: the report must not need it
        pg.goto((out / "report.html").as_uri())
        pg.wait_for_load_state("load")
        yield pg, out
        browser.close()


def test_sections_render_in_order(page):
    pg, _ = page
    ids = pg.evaluate("Array.from(document.querySelectorAll('section')).map(s => s.id)")
    assert ids == ["overview", "cleaning", "outline", "boilerplate", "reuse", "formulaicness", "templates", "evidence"]
    titles = pg.evaluate("Array.from(document.querySelectorAll('section h2')).map(h => h.textContent)")
    assert titles[0] == "Corpus overview" and titles[5] == "The 套话 index"
    rows = pg.evaluate("document.querySelectorAll('#overview tbody tr').length")
    assert rows == 15


def test_every_image_loads(page):
    pg, _ = page
    images = pg.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(images) == 4
    assert all(c and w > 300 and h > 150 for c, w, h in images)


def test_evidence_links_scroll_to_their_sentence(page):
    pg, _ = page
    href = pg.evaluate("document.querySelector('#boilerplate a[href^=\"#ev-\"]').getAttribute('href')")
    pg.click(f'#boilerplate a[href="{href}"]')
    target = pg.evaluate(f"document.querySelector('{href}').getBoundingClientRect().top")
    assert -5 <= target < 900
    assert pg.evaluate(f"document.querySelector('{href}').textContent").startswith("summary-")


def test_screenshot(page):
    pg, out = page
    shot = out / "report.png"
    pg.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000

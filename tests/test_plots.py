"""Plots: a CJK font found at run time (or a clear warning), PNGs written atomically and reproducibly."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from gkcorpus import plots
from gkcorpus.outline import SectionTyper

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def typer(bundled):
    return SectionTyper().fit(bundled)


@pytest.fixture()
def fresh_font_cache():
    plots.find_cjk_font.cache_clear()
    yield
    plots.find_cjk_font.cache_clear()


def test_no_cjk_font_warns_with_what_to_install(monkeypatch, fresh_font_cache):
    monkeypatch.setattr(plots, "_installed", lambda families: None)
    monkeypatch.setitem(sys.modules, "noto_cjk_sans_otc", None)  # import fails
    with pytest.warns(plots.CJKFontWarning, match=r"pip install noto-cjk-sans-otc.*apt install fonts-noto-cjk"):
        assert plots.find_cjk_font() is None


def test_the_font_found_has_the_glyphs_of_the_labels(fresh_font_cache):
    name = plots.find_cjk_font()
    if name is None:
        pytest.skip("no CJK font installed here (pip install noto-cjk-sans-otc)")
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    assert name in plots.CJK_FAMILIES
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(c)) != 0 for c in "存在问题下一步工作打算领导重视（开头）")


def test_plots_are_pngs_and_reproducible(tmp_path, typer):
    seg = typer.segments_
    sizes = [(f"T{t.type_id} {t.name}", t.size) for t in typer.types_]
    a = plots.plot_cluster_sizes(sizes, tmp_path / "a.png")
    b = plots.plot_cluster_sizes(sizes, tmp_path / "b.png")
    assert a.read_bytes()[:8] == PNG and a.read_bytes() == b.read_bytes()
    outs = typer.outlines()
    h = plots.plot_outline_heatmap(outs, typer.types_, tmp_path / "h.png")
    assert h.read_bytes()[:8] == PNG
    rng = np.random.RandomState(0)
    M = rng.rand(len(seg), 12)
    m = plots.plot_cluster_map(M, seg.type.to_numpy(), {t.type_id: t.name for t in typer.types_}, tmp_path / "m.png")
    m2 = plots.plot_cluster_map(M, seg.type.to_numpy(), {t.type_id: t.name for t in typer.types_}, tmp_path / "m2.png")
    assert m.read_bytes() == m2.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files


@pytest.mark.slow
def test_cli_writes_the_three_plots(tmp_path):
    from gkcorpus.cli import main

    assert main(["cluster", "-o", str(tmp_path)]) == 0
    for name in ("cluster_map.png", "cluster_sizes.png", "outline_heatmap.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == PNG and len(data) > 10_000

"""Plots with Chinese labels: a 2-D map of clustered units, the outline heatmap, cluster sizes.

matplotlib's default fonts have no Chinese glyphs (labels become boxes), so :func:`find_cjk_font`
looks for one at run time: an installed Noto Sans CJK / Source Han Sans / WenQuanYi family, else the
font file of the PyPI package ``noto-cjk-sans-otc`` (registered with matplotlib's font manager).
When none is found, :class:`CJKFontWarning` says what to install and the plots are still written.

Every function draws on its own :class:`~matplotlib.figure.Figure` (no pyplot state, no global
rcParams change) and writes the PNG atomically; same input, same bytes.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .records import DocOutline, SectionType

__all__ = [
    "CJKFontWarning",
    "CJK_FAMILIES",
    "INSTALL_HINT",
    "find_cjk_font",
    "plot_cluster_map",
    "plot_cluster_sizes",
    "plot_outline_heatmap",
]

# Families that cover Simplified Chinese, most preferred first.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Source Han Sans",
)
INSTALL_HINT = ("no CJK font found, Chinese labels will render as empty boxes; install one with "
                "`pip install noto-cjk-sans-otc` (or `pip install 'gkcorpus[fonts]'`), "
                "or on Debian/Ubuntu `apt install fonts-noto-cjk`")


class CJKFontWarning(UserWarning):
    """No font with Chinese glyphs is available to matplotlib."""


def _installed(families: Sequence[str]) -> str | None:
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in families if f in have), None)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of a CJK font matplotlib can use, or ``None`` (after a :class:`CJKFontWarning`)."""
    name = _installed(CJK_FAMILIES)
    if name:
        return name
    try:
        import noto_cjk_sans_otc
        from matplotlib import font_manager

        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
        name = _installed(CJK_FAMILIES)
    except (ImportError, OSError, RuntimeError, AttributeError):
        name = None
    if name is None:
        warnings.warn(INSTALL_HINT, CJKFontWarning, stacklevel=2)
    return name


def _rc() -> dict[str, Any]:
    font = find_cjk_font()
    rc: dict[str, Any] = {"axes.unicode_minus": False}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    return rc


def _save(fig: Any, path: str | Path, dpi: int = 120) -> Path:
    from ..base.export import atomic_path

    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return Path(path)


def _colors(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab20"] if n > 10 else colormaps["tab10"]
    return [cmap(i % cmap.N) for i in range(n)]


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _centroid_axes(matrix: Any, labels: np.ndarray) -> np.ndarray | None:
    """The two principal axes (d×2) of the size-weighted cluster centroids (None with fewer than three clusters)."""
    ids = sorted(set(labels.tolist()) - {-1})
    if len(ids) < 3:
        return None
    import scipy.sparse as sp

    rows = np.flatnonzero(labels != -1)
    pos = np.searchsorted(ids, labels[rows])
    ind = sp.csr_matrix((np.ones(len(rows)), (pos, rows)), shape=(len(ids), matrix.shape[0]))
    C = ind @ matrix
    size = np.bincount(pos).astype(float)
    C = C.toarray() if hasattr(C, "toarray") else np.asarray(C)
    # centroid directions (unit length: a cluster of one repeated sentence has a long mean vector,
    # a broad topic a short one), centred and weighted by sqrt(size), so big clusters set the axes
    C = C / np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-12)
    mean = (size[:, None] * C).sum(axis=0) / size.sum()
    _, _, vt = np.linalg.svd((C - mean) * np.sqrt(size)[:, None], full_matrices=False)
    return vt[:2].T


def plot_cluster_map(matrix: Any, labels: Sequence[int], names: dict[int, str], path: str | Path,
                     title: str = "", random_state: int = 0, max_points: int = 50_000) -> Path:
    """Units in 2-D, coloured by cluster.

    The plane is spanned by the two principal axes of the size-weighted cluster centroids (what
    separates the clusters, as in linear discriminant analysis), or by TruncatedSVD with fewer than three clusters; the view is clipped to the
    0.5–99.5 percentiles so that a few outlying units do not squash the rest. Above ``max_points``
    units a seeded sample is drawn.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from sklearn.decomposition import TruncatedSVD

    labels = np.asarray(labels)
    n = matrix.shape[0]
    axes = _centroid_axes(matrix, labels)
    if axes is not None:
        xy = np.asarray(matrix @ axes)
        axis_names = ("centroid axis 1", "centroid axis 2")
    elif matrix.shape[1] >= 3 and n >= 3:
        xy = TruncatedSVD(n_components=2, random_state=random_state).fit_transform(matrix)
        axis_names = ("SVD 1", "SVD 2")
    else:
        xy = np.zeros((n, 2))
        xy[:, : min(2, matrix.shape[1])] = (matrix[:, :2].toarray() if hasattr(matrix, "toarray")
                                            else np.asarray(matrix)[:, :2])
        axis_names = ("feature 1", "feature 2")
    show = np.arange(n)
    if n > max_points:
        show = np.sort(np.random.RandomState(random_state).choice(n, max_points, replace=False))
    ids = sorted(set(labels.tolist()) - {-1})
    colors = _colors(len(ids))
    size = 30 if n < 500 else (8 if n < 5000 else 2)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(10, 7.5))
        ax = fig.add_subplot()
        noise = show[labels[show] == -1]
        if len(noise):
            ax.scatter(xy[noise, 0], xy[noise, 1], s=size, c="lightgrey", label="(unassigned)", linewidths=0)
        for c, col in zip(ids, colors):
            pts = show[labels[show] == c]
            ax.scatter(xy[pts, 0], xy[pts, 1], s=size, color=col, alpha=0.8, linewidths=0,
                       label=_short(f"{c}: {names.get(c, '')}", 30))
            members = np.flatnonzero(labels == c)
            cx, cy = xy[members].mean(axis=0)
            ax.annotate(str(c), (cx, cy), fontsize=10, ha="center", va="center",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": col, "alpha": 0.85})
        if n >= 20:
            lo, hi = np.percentile(xy, [0.5, 99.5], axis=0)
            pad = (hi - lo) * 0.05 + 1e-9
            ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
            ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
        ax.set_xlabel(axis_names[0])
        ax.set_ylabel(axis_names[1])
        ax.set_title(title or f"{n} units in {len(ids)} clusters (TF-IDF)")
        if ids:
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, markerscale=1.5, frameon=False)
        return _save(fig, path)


def plot_cluster_sizes(sizes: Sequence[tuple[str, int]], path: str | Path, title: str = "Cluster sizes",
                       xlabel: str = "units") -> Path:
    """Horizontal bars, one per cluster (in the order given), labelled with the cluster's name."""
    import matplotlib
    from matplotlib.figure import Figure

    names = [_short(n, 40) for n, _ in sizes]
    vals = [v for _, v in sizes]
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(9, max(2.5, 0.35 * len(sizes) + 1)))
        ax = fig.add_subplot()
        y = np.arange(len(sizes))
        ax.barh(y, vals, color=_colors(len(sizes)))
        ax.set_yticks(y, names, fontsize=9)
        ax.invert_yaxis()
        for yi, v in zip(y, vals):
            ax.text(v, yi, f" {v}", va="center", fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        return _save(fig, path)


def plot_intervals(rows: Sequence[tuple[str, float, float, float]], path: str | Path, title: str,
                   xlabel: str = "%") -> Path:
    """One row per item (in the order given): its value as a dot and its confidence interval as a
    line, all in one colour (rows are ranked, not grouped)."""
    import matplotlib
    from matplotlib.figure import Figure

    names = [_short(n, 40) for n, *_ in rows]
    val = np.array([r[1] for r in rows], dtype=float)
    lo = np.array([r[2] for r in rows], dtype=float)
    hi = np.array([r[3] for r in rows], dtype=float)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(9, max(2.5, 0.3 * len(rows) + 1)))
        ax = fig.add_subplot()
        y = np.arange(len(rows))
        ax.errorbar(val, y, xerr=[val - lo, hi - val], fmt="o", color="#3b6ea8", ecolor="#9bb7d6",
                    elinewidth=3, markersize=4, capsize=0)
        ax.set_yticks(y, names, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        return _save(fig, path)


def plot_outline_heatmap(outlines: Sequence["DocOutline"], types: Sequence["SectionType"], path: str | Path,
                         title: str = "Document outlines", max_docs: int = 80) -> Path:
    """Documents × section types: a cell shows the order (1, 2, …) in which the type first appears.

    Beyond ``max_docs`` documents a row per document is unreadable (and slow to draw): ``max_docs``
    evenly spaced documents are shown, and the title says so.
    """
    import matplotlib
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    if len(outlines) > max_docs:
        keep = np.unique(np.linspace(0, len(outlines) - 1, max_docs).round().astype(int))
        title = f"{title}: {len(keep)} of {len(outlines)} documents, evenly spaced"
        outlines = [outlines[i] for i in keep]

    cols = [t.type_id for t in types]
    col_of = {t: j for j, t in enumerate(cols)}
    grid = np.full((len(outlines), len(cols)), np.nan)
    for i, o in enumerate(outlines):
        for rank, t in enumerate(o.types, start=1):
            j = col_of.get(t)
            if j is not None and np.isnan(grid[i, j]):
                grid[i, j] = rank
    rel = grid / np.nanmax(np.where(np.isnan(grid), 0, grid), axis=1, keepdims=True).clip(min=1)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(max(6, 0.75 * len(cols) + 3), max(3, 0.32 * len(outlines) + 2)))
        ax = fig.add_subplot()
        cmap = colormaps["viridis"].with_extremes(bad="white")
        im = ax.imshow(np.ma.masked_invalid(rel), cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                if not np.isnan(grid[i, j]):
                    ax.text(j, i, str(int(grid[i, j])), ha="center", va="center", fontsize=7,
                            color="white" if rel[i, j] < 0.6 else "black")
        ax.set_xticks(range(len(cols)), [_short(f"T{t.type_id} {t.name}", 18) for t in types],
                      rotation=55, ha="right", fontsize=8)
        ax.set_yticks(range(len(outlines)), [_short(o.doc_id, 24) for o in outlines], fontsize=8)
        ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(outlines)), minor=True)
        ax.grid(which="minor", color="#dddddd", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
        ax.set_title(title + " (number: order of first appearance)")
        fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="relative position")
        return _save(fig, path)


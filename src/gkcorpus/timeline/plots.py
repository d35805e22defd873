"""Pictures of formula timelines: presence and rate by group, and the era strip."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..outline.plots import _colors, _rc, _save, _short

__all__ = ["plot_formula_timeline", "plot_era_strip"]


def plot_formula_timeline(rates: "Any", path: str | Path, title: str = "Formulae by year",
                          eras: Sequence[tuple[Any, Any]] = ()) -> Path:
    """One row per formula, one column per group: a dot where the formula occurs, its area
    growing with the rate per 10,000 characters; ``eras`` ((first, last) group) shade the
    background so that entries and exits can be read against them.

    ``rates``: a DataFrame of formulae × groups (index: the formula text) with rates (NaN or 0 =
    absent)."""
    import matplotlib
    from matplotlib.figure import Figure

    groups = list(rates.columns)
    names = [_short(str(n), 24) for n in rates.index]
    values = np.nan_to_num(rates.to_numpy(dtype=float))
    x_of = {g: k for k, g in enumerate(groups)}
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(max(8, 0.22 * len(groups) + 3), max(3, 0.3 * len(names) + 1.2)))
        ax = fig.add_subplot()
        for k, (a, b) in enumerate(eras):
            if k % 2 == 0 and a in x_of and b in x_of:
                ax.axvspan(x_of[a] - 0.5, x_of[b] + 0.5, color="#eef2f7", zorder=0)
        ys, xs = np.nonzero(values > 0)
        top = float(values.max()) if values.size and values.max() > 0 else 1.0
        ax.scatter(xs, ys, s=12 + 110 * np.sqrt(values[ys, xs] / top), color="#3b6ea8", alpha=0.85,
                   linewidths=0, zorder=2)
        ax.set_yticks(np.arange(len(names)), names, fontsize=9)
        ax.invert_yaxis()
        step = max(1, len(groups) // 25)
        ax.set_xticks(np.arange(0, len(groups), step), [str(g) for g in groups[::step]], rotation=90, fontsize=8)
        ax.set_xlim(-0.7, len(groups) - 0.3)
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.25, zorder=1)
        ax.spines[["top", "right"]].set_visible(False)
        return _save(fig, path)


def plot_era_strip(groups: Sequence[Any], eras: Sequence[tuple[Any, Any, str]], path: str | Path,
                   title: str = "Eras of the formula vocabulary") -> Path:
    """The ordered groups as a strip cut into eras, each labelled with its span and its first
    marker formulae (``eras``: (first group, last group, label))."""
    import matplotlib
    from matplotlib.figure import Figure

    x_of = {g: k for k, g in enumerate(groups)}
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(max(8, 0.22 * len(groups) + 3), 1.2 + 0.45 * len(eras)))
        ax = fig.add_subplot()
        colors = _colors(len(eras))
        for k, (a, b, label) in enumerate(eras):
            x0, x1 = x_of[a] - 0.5, x_of[b] + 0.5
            ax.axvspan(x0, x1, ymin=0.82, ymax=1.0, color=colors[k], alpha=0.8)
            ax.text(x0 + 0.2, 0.70 - 0.6 * k / max(1, len(eras)), f"{a}–{b}: {label}", fontsize=9, va="top",
                    color="#222222")
        step = max(1, len(groups) // 25)
        ax.set_xticks(np.arange(0, len(groups), step), [str(g) for g in groups[::step]], rotation=90, fontsize=8)
        ax.set_xlim(-0.7, len(groups) - 0.3)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.set_title(title)
        ax.spines[["top", "right", "left"]].set_visible(False)
        return _save(fig, path)

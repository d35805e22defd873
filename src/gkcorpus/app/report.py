"""A self-contained HTML report: sections of prose, tables and embedded PNG plots.

No network is needed to read it: styles are inline and images are base64 data URIs.
:class:`ReportBuilder` is generic; :func:`gkcorpus.app.report_sections.build_report` fills it with the
results of a ``mine`` run.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

__all__ = ["ReportBuilder", "esc"]

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;
     max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.55}
h1{border-bottom:2px solid #b22;padding-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ccc}
nav ol{columns:2} table{border-collapse:collapse;margin:.8em 0;font-size:.92em;width:100%}
th,td{border:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3} tr:nth-child(even) td{background:#fafafa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0} figure img{max-width:100%;border:1px solid #eee} figcaption{color:#555;font-size:.9em}
.muted{color:#666;font-size:.9em} code{background:#f4f4f4;padding:0 .2em}
mark{background:#ffe08a} .slot{color:#1a5fb4;font-weight:600}
details{margin:.4em 0} summary{cursor:pointer}
"""


def esc(v: Any) -> str:
    """HTML-escaped text of any value (None as empty)."""
    return "" if v is None else html.escape(str(v))


@dataclass
class _Section:
    id: str
    title: str
    parts: list[str] = field(default_factory=list)


class ReportBuilder:
    """Collects sections and renders one HTML page."""

    def __init__(self, title: str, subtitle: str = ""):
        self.title = title
        self.subtitle = subtitle
        self.sections: list[_Section] = []

    def section(self, id: str, title: str, intro: str = "") -> "ReportBuilder":
        self.sections.append(_Section(id, title))
        if intro:
            self.paragraph(intro)
        return self

    def _cur(self) -> _Section:
        if not self.sections:
            raise ValueError("add a section first")
        return self.sections[-1]

    def paragraph(self, text: str, raw_html: bool = False) -> "ReportBuilder":
        self._cur().parts.append(f"<p>{text if raw_html else esc(text)}</p>")
        return self

    def html(self, fragment: str) -> "ReportBuilder":
        self._cur().parts.append(fragment)
        return self

    def table(self, rows: Sequence[dict] | Any, columns: Sequence[str] | None = None, max_rows: int = 50,
              html_columns: Sequence[str] = (), caption: str = "") -> "ReportBuilder":
        """A table from a list of dicts or a DataFrame; ``html_columns`` hold ready HTML."""
        if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
            columns = list(columns or rows.columns)
            rows = rows.to_dict(orient="records")
        rows = list(rows)
        columns = list(columns or (rows[0].keys() if rows else []))
        head = "".join(f"<th>{esc(c)}</th>" for c in columns)
        body = []
        for r in rows[:max_rows]:
            cells = []
            for c in columns:
                v = r.get(c)
                if c in html_columns:
                    cells.append(f"<td>{'' if v is None else v}</td>")
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    txt = f"{v:.3g}" if isinstance(v, float) else f"{v:,}"
                    cells.append(f'<td class="num">{txt}</td>')
                else:
                    cells.append(f"<td>{esc(v)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = f'<p class="muted">{len(rows) - max_rows:,} more rows in the exported files.</p>' if len(rows) > max_rows else ""
        cap = f"<caption>{esc(caption)}</caption>" if caption else ""
        self._cur().parts.append(f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}")
        return self

    def image(self, png: str | Path | bytes, caption: str = "", alt: str = "") -> "ReportBuilder":
        """Embed a PNG (path or bytes) as a data URI."""
        data = Path(png).read_bytes() if isinstance(png, (str, Path)) else png
        b64 = base64.b64encode(data).decode("ascii")
        cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
        self._cur().parts.append(f'<figure><img alt="{esc(alt or caption)}" src="data:image/png;base64,{b64}">{cap}</figure>')
        return self

    def render(self) -> str:
        nav = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in self.sections)
        body = "".join(f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>{"".join(s.parts)}</section>' for s in self.sections)
        sub = f'<p class="muted">{esc(self.subtitle)}</p>' if self.subtitle else ""
        return (
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(self.title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{esc(self.title)}</h1>{sub}"
            f"<nav><h2>Contents</h2><ol>{nav}</ol></nav>{body}</body></html>\n"
        )

    def write(self, path: str | Path) -> Path:
        from ..base.export import atomic_write_text

        return atomic_write_text(path, self.render())

"""HTML: a self-contained fragment (or page), no external resources, no JavaScript.

Every string that comes from data (item labels, group and level names, warnings) is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ._format import fmt_level
from ._tables import agreement_rows, item_rows, segment_rows

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["html_page", "render_html"]

_STYLE = """<style>
.perceptiongap-report table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
.perceptiongap-report th, .perceptiongap-report td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; }
.perceptiongap-report td.num { text-align: right; font-variant-numeric: tabular-nums; }
.perceptiongap-report tr.overestimated td.verdict { color: #b2182b; font-weight: 600; }
.perceptiongap-report tr.underestimated td.verdict { color: #2166ac; font-weight: 600; }
.perceptiongap-report caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
</style>"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(
    caption: str, header: list[str], rows: list[list[str]], row_classes: list[str] | None = None
) -> list[str]:
    lines = ["<table>", f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    lines += [f"<th>{_e(h)}</th>" for h in header]
    lines += ["</tr></thead>", "<tbody>"]
    for index, row in enumerate(rows):
        css = f' class="{_e(row_classes[index])}"' if row_classes else ""
        cells = [
            f'<td class="{"verdict" if h == "verdict" else "num" if i else "label"}">{_e(c)}</td>'
            for i, (h, c) in enumerate(zip(header, row, strict=True))
        ]
        lines.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return lines


def render_html(report: GapReport, *, full_page: bool = False) -> str:
    """The report as an HTML fragment, or a whole page with ``full_page=True``."""
    title = report.title or "Perception gap"
    n = ", ".join(f"{g} n = {c:,}" for g, c in report.n.items())
    body = [
        '<div class="perceptiongap-report">',
        _STYLE,
        f"<h3>{_e(title)}</h3>",
        f"<p><strong>{_e(report.comparison)}</strong> (comparison) vs <strong>{_e(report.reference)}"
        f"</strong> (reference); gap = {_e(report.comparison)} − {_e(report.reference)}. {_e(n)}. "
        f"{_e(report.method)} {fmt_level(report.confidence_level)} intervals from {report.n_resamples:,} "
        f"resamples; p-values adjusted by {_e(report.p_adjust)}.</p>",
    ]
    header, rows = item_rows(report)
    body += _table("Items", header, rows, [gap.verdict for gap in report.items])
    header, rows = agreement_rows(report)
    body += _table("Agreement", header, rows)
    for name in report.segments:
        header, rows = segment_rows(report, name)
        body += _table(f"Segment {name}", header, rows)
    if report.warnings:
        body += ["<p><strong>Warnings</strong></p>", "<ul>"]
        body += [f"<li>{_e(w)}</li>" for w in report.warnings]
        body += ["</ul>"]
    body += [
        f"<p><small>perceptiongap {_e(report.version)}, seed {_e(report.seed)}</small></p>",
        "</div>",
    ]
    fragment = "\n".join(body)
    return html_page(title, fragment) if full_page else fragment


def html_page(title: str, body: str) -> str:
    """A whole page around HTML `body` (already safe); `title` is escaped."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )

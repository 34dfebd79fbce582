"""HTML: a self-contained fragment (or page), no external resources, no JavaScript.

Every string that comes from data (item labels, group and level names, warnings) is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._escape import html_safe
from ._tables import agreement_rows, describe, item_rows, segment_rows

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["STYLE", "escape", "html_page", "html_table", "render_html"]

STYLE = """<style>
.perceptiongap-report table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
.perceptiongap-report th, .perceptiongap-report td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; }
.perceptiongap-report td.num { text-align: right; font-variant-numeric: tabular-nums; }
.perceptiongap-report tr.overestimated td.verdict { color: #b2182b; font-weight: 600; }
.perceptiongap-report tr.underestimated td.verdict { color: #2166ac; font-weight: 600; }
.perceptiongap-report caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
</style>"""


def escape(text: object) -> str:
    """Any text for HTML (:func:`~perceptiongap.render._escape.html_safe`)."""
    return html_safe(text)


def html_table(
    caption: str, header: list[str], rows: list[list[str]], row_classes: list[str] | None = None
) -> list[str]:
    lines = ["<table>", f"<caption>{escape(caption)}</caption>", "<thead><tr>"]
    lines += [f"<th>{escape(h)}</th>" for h in header]
    lines += ["</tr></thead>", "<tbody>"]
    for index, row in enumerate(rows):
        css = f' class="{escape(row_classes[index])}"' if row_classes else ""
        cells = [
            f'<td class="{"verdict" if h == "verdict" else "num" if i else "label"}">{escape(c)}</td>'
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
        STYLE,
        f"<h3>{escape(title)}</h3>",
        f"<p><strong>{escape(report.comparison)}</strong> (comparison) vs <strong>{escape(report.reference)}"
        f"</strong> (reference); gap = {escape(report.comparison)} − {escape(report.reference)}. {escape(n)}. "
        f"{escape(describe(report))}.</p>",
    ]
    header, rows = item_rows(report)
    body += html_table("Items", header, rows, [gap.verdict for gap in report.items])
    header, rows = agreement_rows(report)
    body += html_table("Agreement", header, rows)
    for name in report.segments:
        header, rows = segment_rows(report, name)
        body += html_table(f"Segment {name}", header, rows)
    if report.notes:
        body += ["<p><strong>Notes</strong></p>", "<ul>"]
        body += [f"<li>{escape(note.message)}</li>" for note in report.notes]
        body += ["</ul>"]
    if report.warnings:
        body += ["<p><strong>Warnings</strong></p>", "<ul>"]
        body += [f"<li>{escape(w)}</li>" for w in report.warnings]
        body += ["</ul>"]
    body += [
        f"<p><small>perceptiongap {escape(report.version)}, seed {escape(report.seed)}</small></p>",
        "</div>",
    ]
    fragment = "\n".join(body)
    return html_page(title, fragment) if full_page else fragment


def html_page(title: str, body: str) -> str:
    """A whole page around HTML `body` (already safe); `title` is escaped."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )

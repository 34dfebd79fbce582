"""Several perspectives (:func:`perceptiongap.compare_many`): text, Markdown and HTML.

Each renders every perspective's report, then how the perspectives compare: the ranking by
mean absolute gap and the differences that remain significant after adjustment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._escape import text_safe
from ._format import fmt_signed
from ._html import escape, html_page, html_table, render_html
from ._markdown import markdown_cell, markdown_table, render_markdown
from ._tables import RANKING_NOTE, contrast_lines, perspective_rows
from ._text import render_text

if TYPE_CHECKING:
    from .._report import Perspectives

__all__ = [
    "render_perspectives_html",
    "render_perspectives_markdown",
    "render_perspectives_repr",
    "render_perspectives_text",
]


def _alpha(views: Perspectives) -> float:
    return 1.0 - next(iter(views.reports.values())).confidence_level


def _title(views: Perspectives) -> str:
    return f"How {', '.join(views.reports)} understand {views.reference}"


def render_perspectives_text(views: Perspectives) -> str:
    """Every report, then the comparison of the perspectives."""
    parts = [render_text(report) for report in views.reports.values()]
    header, rows = perspective_rows(views)
    header = [text_safe(cell) for cell in header]
    rows = [[text_safe(cell) for cell in row] for row in rows]
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    table = [
        "  ".join(
            cell.ljust(w) if c == 0 else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, *rows]
    ]
    lines = [
        _title(views) + ": perspectives from best to least understanding",
        table[0],
        "-" * max(len(line) for line in table),
        *table[1:],
        RANKING_NOTE,
        *contrast_lines(views.differences, _alpha(views)),
    ]
    if views.notes:
        lines += ["notes:"] + [f"  - {note.message}" for note in views.notes]
    return "\n\n".join([*parts, "\n".join(text_safe(line) for line in lines)])


def render_perspectives_markdown(views: Perspectives) -> str:
    """Every report as Markdown, then the comparison of the perspectives."""
    parts = [render_markdown(report) for report in views.reports.values()]
    header, rows = perspective_rows(views)
    lines = [f"## {markdown_cell(_title(views))}", "", *markdown_table(header, rows), ""]
    lines += [markdown_cell(RANKING_NOTE), ""]
    lines += [
        f"- {markdown_cell(line.strip())}"
        for line in contrast_lines(views.differences, _alpha(views))
    ]
    if views.notes:
        lines += ["", "### Notes", ""] + [f"- {markdown_cell(n.message)}" for n in views.notes]
    return "\n".join(parts) + "\n" + "\n".join(lines) + "\n"


def render_perspectives_html(views: Perspectives, *, full_page: bool = False) -> str:
    """Every report as HTML, then the comparison of the perspectives (all text escaped)."""
    parts = [render_html(report) for report in views.reports.values()]
    header, rows = perspective_rows(views)
    body = [
        '<div class="perceptiongap-report">',
        f"<h3>{escape(_title(views))}</h3>",
        *html_table("Perspectives, best understanding first", header, rows),
        f"<p><small>{escape(RANKING_NOTE)}</small></p>",
        "<ul>",
        *(
            f"<li>{escape(line.strip())}</li>"
            for line in contrast_lines(views.differences, _alpha(views))
        ),
        "</ul>",
    ]
    if views.notes:
        body += ["<p><strong>Notes</strong></p>", "<ul>"]
        body += [f"<li>{escape(n.message)}</li>" for n in views.notes]
        body += ["</ul>"]
    body.append("</div>")
    fragment = "\n".join([*parts, *body])
    return html_page(_title(views), fragment) if full_page else fragment


def render_perspectives_repr(views: Perspectives) -> str:
    """One line: who is compared with whom, and who understands the reference best."""
    best = views.best_understood()
    ranking = ", ".join(
        f"{s.level} {fmt_signed(s.mean_absolute_gap.value)}" for s in views.ranking
    )
    return text_safe(
        f"<Perspectives on {views.reference}: {len(views)} perspectives, mean absolute gap "
        f"{ranking}; best understood by {best}>"
    )

"""GitHub-flavoured Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._escape import markdown_safe
from ._tables import agreement_rows, describe, item_rows, segment_rows

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["markdown_cell", "markdown_table", "render_markdown"]


def markdown_cell(text: str) -> str:
    """Escape a cell or a line of text (:func:`~perceptiongap.render._escape.markdown_safe`):
    it cannot break the table, format itself or inject HTML."""
    return markdown_safe(text)


def markdown_table(header: list[str], rows: list[list[str]], numeric_from: int = 1) -> list[str]:
    text_columns = {0, *(i for i, h in enumerate(header) if h == "verdict")}
    align = [
        "---" if i in text_columns or i < numeric_from else "---:" for i in range(len(header))
    ]
    lines = [
        "| " + " | ".join(markdown_cell(h) for h in header) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: GapReport) -> str:
    """The report as Markdown: a table per item, the agreement statistics, segments, warnings."""
    title = markdown_cell(report.title or "Perception gap")
    ref, comp = markdown_cell(report.reference), markdown_cell(report.comparison)
    n = ", ".join(f"{markdown_cell(g)} n = {c:,}" for g, c in report.n.items())
    lines = [
        f"## {title}",
        "",
        f"**{comp}** (comparison) vs **{ref}** (reference); gap = {comp} − {ref}. {n}.",
        f"{markdown_cell(describe(report))}.",
        "",
    ]
    header, rows = item_rows(report)
    lines += markdown_table(header, rows)
    lines += ["", "### Agreement", ""]
    header, rows = agreement_rows(report)
    lines += markdown_table(header, rows)
    for name in report.segments:
        header, rows = segment_rows(report, name)
        lines += ["", f"### Segment {markdown_cell(name)}", ""]
        lines += markdown_table(header, rows)
    if report.notes:
        lines += ["", "### Notes", ""] + [
            f"- {markdown_cell(note.message)}" for note in report.notes
        ]
    if report.warnings:
        lines += ["", "### Warnings", ""] + [f"- {markdown_cell(w)}" for w in report.warnings]
    lines += ["", f"<sub>perceptiongap {markdown_cell(report.version)}, seed {report.seed}</sub>"]
    return "\n".join(lines) + "\n"

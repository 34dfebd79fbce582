"""GitHub-flavoured Markdown."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ._format import fmt_level
from ._tables import agreement_rows, item_rows, segment_rows

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    """Escape a cell: HTML special characters as entities (Markdown renders raw HTML), pipes
    and backslashes so they do not break the table."""
    return (
        html.escape(text, quote=False).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    )


def _table(header: list[str], rows: list[list[str]], numeric_from: int = 1) -> list[str]:
    text_columns = {0, *(i for i, h in enumerate(header) if h == "verdict")}
    align = [
        "---" if i in text_columns or i < numeric_from else "---:" for i in range(len(header))
    ]
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: GapReport) -> str:
    """The report as Markdown: a table per item, the agreement statistics, segments, warnings."""
    title = _cell(report.title or "Perception gap")
    ref, comp = _cell(report.reference), _cell(report.comparison)
    n = ", ".join(f"{_cell(g)} n = {c:,}" for g, c in report.n.items())
    lines = [
        f"## {title}",
        "",
        f"**{comp}** (comparison) vs **{ref}** (reference); gap = {comp} − {ref}. {n}.",
        f"{report.method} {fmt_level(report.confidence_level)} intervals from {report.n_resamples:,} "
        f"resamples; p-values adjusted by {report.p_adjust}.",
        "",
    ]
    header, rows = item_rows(report)
    lines += _table(header, rows)
    lines += ["", "### Agreement", ""]
    header, rows = agreement_rows(report)
    lines += _table(header, rows)
    for name in report.segments:
        header, rows = segment_rows(report, name)
        lines += ["", f"### Segment {_cell(name)}", ""]
        lines += _table(header, rows)
    if report.warnings:
        lines += ["", "### Warnings", ""] + [f"- {_cell(w)}" for w in report.warnings]
    lines += ["", f"<sub>perceptiongap {_cell(report.version)}, seed {report.seed}</sub>"]
    return "\n".join(lines) + "\n"

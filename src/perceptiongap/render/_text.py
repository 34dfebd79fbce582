"""Plain-text rendering: ``str(report)`` and ``repr(report)``.

Every cell and every line goes through :func:`~perceptiongap.render._escape.text_safe`: a
label holding a line break, a terminal escape sequence or a bidi override is shown escaped,
on its own line, and never reaches the terminal as a control character.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._results import VERDICTS
from ._escape import text_safe
from ._format import fmt, fmt_level, fmt_signed
from ._tables import (
    RANKING_NOTE,
    agreement_rows,
    contrast_lines,
    describe,
    item_rows,
    segment_rows,
)

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["render_repr", "render_text"]

_LABEL_WIDTH = 40


def _table(rows: list[list[str]], align: str) -> list[str]:
    """Align columns: ``align`` holds ``l`` or ``r`` per column (cells made safe first)."""
    rows = [[text_safe(cell) for cell in row] for row in rows]
    widths = [max(len(row[c]) for row in rows) for c in range(len(align))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align, strict=False)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _clip(text: str, width: int = _LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(report: GapReport) -> str:
    """An aligned text report a person reads at a glance."""
    ref, comp = report.reference, report.comparison
    title = report.title or "Perception gap"
    n = ", ".join(f"{group} n={count:,}" for group, count in report.n.items())
    weighted = ", weighted" if report.weighted else ""
    lines = [
        f"{title}",
        f"{comp} (comparison) vs {ref} (reference); gap = {comp} - {ref}",
        f"{n}{weighted}; {report.scale.kind} scale",
        describe(report),
        "",
    ]
    header, items = item_rows(report)
    ci = header[4]
    # The shared rows, with the two ranks merged into one "from → to" column.
    rows = [["item", ref, comp, "gap", ci, "rank", "p adj", "verdict"]]
    width_x = max(len(row[5]) for row in items)
    width_y = max(len(row[6]) for row in items)
    for label, x, y, gap, interval, rank_x, rank_y, p_adj, verdict in items:
        rank = f"{rank_x:>{width_x}} → {rank_y:<{width_y}}"
        rows.append([_clip(text_safe(label)), x, y, gap, interval, rank, p_adj, verdict])
    table = _table(rows, "lrrrllrl")
    lines += [table[0], "-" * max(len(line) for line in table), *table[1:]]
    sets = any(g.reference_rank_ci is not None for g in report.items)
    ranks = f"rank: {ref} → {comp}, 1 = highest"
    if sets:
        ranks += f" [{fmt_level(report.confidence_level)} simultaneous confidence set]"
    lines += [f"{ranks}; p adj: adjusted p-value of the gap", ""]

    header, rows = agreement_rows(report)
    labels = {
        "Spearman rho": "Spearman rho (orderings)",
        "Kendall tau-b": "Kendall tau-b (orderings)",
        **{term: f"  {term}" for term in ("elevation", "scatter", "shape")},
    }
    agreement = [
        ["agreement", *header[1:4], ""],
        *([labels.get(row[0], row[0]), *row[1:]] for row in rows),
    ]
    table = _table(agreement, "lrlrl")
    lines += [table[0], "-" * max(len(line) for line in table), *table[1:]]
    counts = {v: sum(g.verdict == v for g in report.items) for v in VERDICTS}
    tested = len(report.items) - counts["untested"]
    if tested:
        untested = f"; {counts['untested']} untested" if counts["untested"] else ""
        lines += [
            "",
            f"{comp} overestimates {counts['overestimated']} and underestimates "
            f"{counts['underestimated']} of {tested} tested items "
            f"(adjusted p < {1 - report.confidence_level:.2g}){untested}.",
        ]
    else:
        lines += ["", "no item was tested, so no item is declared over- or underestimated."]
    for name in report.segments:
        lines += ["", *_segment_table(report, name)]
    if report.notes:
        lines += ["", "notes:"] + [f"  - {note.message}" for note in report.notes]
    if report.warnings:
        lines += ["", "warnings:"] + [f"  - {w}" for w in report.warnings]
    lines.append(f"perceptiongap {report.version}, seed {report.seed}")
    return "\n".join(text_safe(line) for line in lines)


def _segment_table(report: GapReport, name: str) -> list[str]:
    """A compact table of one segment: levels ranked by mean absolute gap, then the
    differences between levels that are significant after adjustment."""
    comparison = report.segment_comparisons.get(name)
    flags = {s.level: s.flags for s in comparison.ranking} if comparison else {}
    header, rows = segment_rows(report, name)
    header.append("flags")
    for row in rows:
        row.append("; ".join(flags.get(row[0], ())))
    rows = [header, *rows]
    table = _table(rows, "l" + "r" * len(report.n) + "rlrlrl")
    title = f"segment {name}: levels from best to least understood"
    lines = [title, table[0], "-" * max(len(line) for line in table), *table[1:], RANKING_NOTE]
    if comparison is not None:
        lines += contrast_lines(comparison.differences, 1 - report.confidence_level)
    return lines


def render_repr(report: GapReport) -> str:
    """One line: who vs whom, the headline numbers and how they were obtained."""
    level = fmt_level(report.confidence_level)
    return text_safe(
        f"<GapReport {report.comparison} vs {report.reference}: {len(report.items)} items, "
        f"mean gap {fmt_signed(report.mean_gap.value)}, Spearman {fmt(report.spearman.value)}, "
        f"{report.method} {level}, {report.n_resamples} resamples>"
    )

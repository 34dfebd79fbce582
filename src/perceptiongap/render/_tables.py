"""The report as rows: one model that the Markdown, HTML, CSV and DataFrame renderers share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._format import fmt, fmt_interval, fmt_level, fmt_p, fmt_rank, fmt_signed

if TYPE_CHECKING:
    from .._report import Estimate, GapReport

__all__ = ["TIDY_COLUMNS", "agreement_rows", "item_rows", "segment_rows", "tidy_rows"]

#: Columns of the tidy per-item table (CSV and DataFrame): identifiers, not display names.
TIDY_COLUMNS = (
    "item",
    "label",
    "reference",
    "comparison",
    "reference_score",
    "comparison_score",
    "gap",
    "gap_low",
    "gap_high",
    "gap_standard_error",
    "reference_rank",
    "comparison_rank",
    "p_value",
    "p_adjusted",
    "verdict",
)


def tidy_rows(report: GapReport) -> list[dict[str, Any]]:
    """One dictionary per item with the raw numbers (full precision, NaN kept)."""
    return [
        {
            "item": gap.item.id,
            "label": gap.item.label,
            "reference": report.reference,
            "comparison": report.comparison,
            "reference_score": gap.reference_score,
            "comparison_score": gap.comparison_score,
            "gap": gap.gap.value,
            "gap_low": gap.gap.low,
            "gap_high": gap.gap.high,
            "gap_standard_error": gap.gap.standard_error,
            "reference_rank": gap.reference_rank,
            "comparison_rank": gap.comparison_rank,
            "p_value": gap.p_value,
            "p_adjusted": gap.p_adjusted,
            "verdict": gap.verdict,
        }
        for gap in report.items
    ]


def item_rows(report: GapReport) -> tuple[list[str], list[list[str]]]:
    """Display header and rows of the per-item table (formatted text, user strings raw)."""
    ci = f"{fmt_level(report.confidence_level)} CI"
    header = [
        "item", report.reference, report.comparison, "gap", ci,
        f"rank {report.reference}", f"rank {report.comparison}", "p adj", "verdict",
    ]  # fmt: skip
    rows = [
        [
            gap.item.label,
            fmt(gap.reference_score),
            fmt(gap.comparison_score),
            fmt_signed(gap.gap.value),
            fmt_interval(gap.gap.low, gap.gap.high, signed=True),
            fmt_rank(gap.reference_rank),
            fmt_rank(gap.comparison_rank),
            fmt_p(gap.p_adjusted),
            gap.verdict,
        ]
        for gap in report.items
    ]
    return header, rows


def agreement_rows(report: GapReport) -> tuple[list[str], list[list[str]]]:
    """Display header and rows of the agreement statistics."""
    ci = f"{fmt_level(report.confidence_level)} CI"
    shares = report.profile.shares()

    def row(name: str, estimate: Estimate, signed: bool = False, note: str = "") -> list[str]:
        value = fmt_signed(estimate.value) if signed else fmt(estimate.value)
        interval = fmt_interval(estimate.low, estimate.high, signed=signed)
        return [name, value, interval, fmt(estimate.standard_error), note]

    rows = [
        row("Spearman rho", report.spearman),
        row("Kendall tau-b", report.kendall),
        row("mean gap", report.mean_gap, signed=True),
        row("mean absolute gap", report.mean_absolute_gap),
        row("profile distance d2", report.profile.d2),
    ]
    for name in ("elevation", "scatter", "shape"):
        share = shares[name]
        note = "" if share != share else f"{share:.0%} of d2"
        rows.append(row(name, getattr(report.profile, name), note=note))
    return ["statistic", "estimate", ci, "std err", "share"], rows


def segment_rows(report: GapReport, name: str) -> tuple[list[str], list[list[str]]]:
    """Display header and rows of one segment: levels from best to least understood."""
    ci = f"{fmt_level(report.confidence_level)} CI"
    groups = list(report.n)
    comparison = report.segment_comparisons.get(name)
    levels = [s.level for s in comparison.ranking] if comparison else list(report.segments[name])
    rows = []
    for level in levels:
        sub = report.segments[name][level]
        rows.append(
            [
                level,
                *(f"{sub.n[g]:,}" for g in groups),
                fmt(sub.spearman.value),
                fmt_interval(sub.spearman.low, sub.spearman.high),
                fmt(sub.mean_absolute_gap.value),
                fmt_interval(sub.mean_absolute_gap.low, sub.mean_absolute_gap.high),
            ]
        )
    header = ["level", *(f"n {g}" for g in groups), "Spearman", ci, "mean abs gap", ci]
    return header, rows

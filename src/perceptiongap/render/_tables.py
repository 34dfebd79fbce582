"""The report as rows: one model that the Markdown, HTML, CSV and DataFrame renderers share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._format import fmt, fmt_interval, fmt_level, fmt_p, fmt_rank_set, fmt_signed

if TYPE_CHECKING:
    from .._report import GapReport, Perspectives
    from .._results import Contrast, Estimate

__all__ = [
    "RANKING_NOTE",
    "TIDY_COLUMNS",
    "agreement_rows",
    "contrast_lines",
    "describe",
    "item_rows",
    "perspective_rows",
    "segment_rows",
    "tidy_rows",
]

_LABELS = {
    "spearman": "Spearman rho",
    "kendall": "Kendall tau-b",
    "mean_gap": "mean gap",
    "mean_absolute_gap": "mean absolute gap",
    "d2": "d2",
    "elevation": "elevation",
    "scatter": "scatter",
    "shape": "shape",
}
_METHOD_NAMES = {
    "BCa": "BCa",
    "BC": "BC (BCa with a = 0)",
    "percentile": "percentile",
    "basic": "basic",
    "newcombe": "Newcombe score",
    "welch": "Welch t",
    "none": "no interval",
}
_CLOSED_FORM = ("newcombe", "welch", "none")
_ADJUST = {"holm": "Holm-adjusted", "bh": "Benjamini-Hochberg-adjusted", "none": "unadjusted"}

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
    "gap_method",
    "reference_rank",
    "reference_rank_low",
    "reference_rank_high",
    "comparison_rank",
    "comparison_rank_low",
    "comparison_rank_high",
    "p_value",
    "p_adjusted",
    "verdict",
)


def _bound(rank_set: tuple[int, ...] | None, side: int) -> float:
    """One end of a rank set as a number (NaN without a set: an empty CSV cell)."""
    return float("nan") if rank_set is None else float(rank_set[side])


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
            "gap_method": gap.gap.method,
            "reference_rank": gap.reference_rank,
            "reference_rank_low": _bound(gap.reference_rank_ci, 0),
            "reference_rank_high": _bound(gap.reference_rank_ci, 1),
            "comparison_rank": gap.comparison_rank,
            "comparison_rank_low": _bound(gap.comparison_rank_ci, 0),
            "comparison_rank_high": _bound(gap.comparison_rank_ci, 1),
            "p_value": gap.p_value,
            "p_adjusted": gap.p_adjusted,
            "verdict": gap.verdict,
        }
        for gap in report.items
    ]


#: Follows the label of a reverse-keyed item (scored ``low + high - x``) in the item tables of
#: the text, Markdown and HTML reports; the tidy CSV keeps its columns (the report's JSON
#: holds ``"reverse": true`` in the item).
REVERSED_MARK = " (R)"


def item_rows(report: GapReport) -> tuple[list[str], list[list[str]]]:
    """Display header and rows of the per-item table (formatted text, user strings raw)."""
    ci = f"{fmt_level(report.confidence_level)} CI"
    header = [
        "item", report.reference, report.comparison, "gap", ci,
        f"rank {report.reference}", f"rank {report.comparison}", "p adj", "verdict",
    ]  # fmt: skip
    rows = [
        [
            gap.item.label + REVERSED_MARK if gap.item.reverse else gap.item.label,
            fmt(gap.reference_score),
            fmt(gap.comparison_score),
            fmt_signed(gap.gap.value),
            fmt_interval(gap.gap.low, gap.gap.high, signed=True),
            fmt_rank_set(gap.reference_rank, gap.reference_rank_ci),
            fmt_rank_set(gap.comparison_rank, gap.comparison_rank_ci),
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
        flags = "; ".join(f"interval {flag}" for flag in estimate.flags)
        note = "; ".join(part for part in (note, flags) if part)
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
    return ["statistic", "estimate", ci, "std err", "share / flags"], rows


def segment_rows(report: GapReport, name: str) -> tuple[list[str], list[list[str]]]:
    """Display header and rows of one segment: levels from best to least understood."""
    ci = f"{fmt_level(report.confidence_level)} CI"
    groups = list(report.n)
    comparison = report.segment_comparisons.get(name)
    levels = [s.level for s in comparison.ranking] if comparison else list(report.segments[name])
    msg = {s.level: s.mean_squared_gap.value for s in comparison.ranking} if comparison else {}
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
                fmt(msg.get(level, float("nan")), 4),
            ]
        )
    header = [
        "level", *(f"n {g}" for g in groups), "Spearman", f"Spearman {ci}", "mean abs gap",
        f"mean abs gap {ci}", "mean sq gap*",
    ]  # fmt: skip
    return header, rows


def _estimates(report: GapReport) -> list[tuple[str, Estimate]]:
    """Every estimate of the report with the name a reader knows it by."""
    named = [(f"the gap of {gap.item.label}", gap.gap) for gap in report.items]
    named += [(_LABELS[n], getattr(report, n)) for n in ("spearman", "kendall", "mean_gap")]
    named.append((_LABELS["mean_absolute_gap"], report.mean_absolute_gap))
    named += [
        (_LABELS[n], getattr(report.profile, n)) for n in ("d2", "elevation", "scatter", "shape")
    ]
    return named


def describe(report: GapReport) -> str:
    """What was computed, in one sentence: the interval procedure of every estimate (per
    statistic where it differs) and the tests behind the verdicts."""
    level = fmt_level(report.confidence_level)
    named = _estimates(report)
    by_method: dict[str, list[str]] = {}
    for name, estimate in named:
        by_method.setdefault(estimate.method, []).append(name)
    kind = "parametric bootstrap" if report.data == "summary" else "bootstrap"
    resampled = any(method not in _CLOSED_FORM for method in by_method)
    source = f" from {report.n_resamples:,} {kind} resamples" if resampled else ""
    if report.n_resamples == 0 or set(by_method) == {"none"}:
        intervals = "no intervals" + (" (n_resamples=0)" if report.n_resamples == 0 else "")
    elif len(by_method) == 1:
        (method,) = by_method
        intervals = f"{_METHOD_NAMES.get(method, method)} {level} intervals{source}"
    else:
        parts = []
        for method, names in by_method.items():
            gaps = [n for n in names if n.startswith("the gap of ")]
            listed = [n for n in names if n not in gaps]
            if gaps:
                count = "item gaps" if len(gaps) == len(report.items) else f"{len(gaps)} item gaps"
                listed.insert(0, count if len(gaps) > 1 else gaps[0])
            parts.append(f"{_METHOD_NAMES.get(method, method)} for {', '.join(listed)}")
        intervals = f"{level} intervals{source}: " + "; ".join(parts)
    tested = sum(gap.tested for gap in report.items)
    if tested == 0:
        tests = "no tests (every verdict 'untested')"
    elif report.data == "summary":
        tests = "p-values from per-item two-sample tests"
    else:
        tests = f"p-values from {report.n_permutations:,} permutations"
    if 0 < tested < len(report.items):
        tests += f" ({len(report.items) - tested} item(s) untested)"
    if tested:
        tests += f", {_ADJUST[report.p_adjust]}"
    text = f"{intervals}. {tests[0].upper()}{tests[1:]}"
    if any(gap.item.reverse for gap in report.items):
        text += f". Items marked{REVERSED_MARK} are reverse-keyed (scored low + high - answer)"
    labels: tuple[str, ...] = getattr(report.scale, "labels", ())
    if labels:
        low = int(getattr(report.scale, "low", 0))
        text += ". Answers: " + ", ".join(
            f"{low + code} = {label}" for code, label in enumerate(labels)
        )
    return text


def contrast_lines(contrasts: tuple[Contrast, ...], alpha: float, limit: int = 12) -> list[str]:
    """The contrasts significant after adjustment, one line each (user strings raw)."""
    significant = [d for d in contrasts if d.p_adjusted < alpha]
    if all(d.p_adjusted != d.p_adjusted for d in contrasts):  # every p-value NaN
        return ["no difference was tested (no replicates: n_resamples=0, or empty groups)."]
    if not significant:
        return [f"no difference has adjusted p < {alpha:.2g}."]
    lines = [
        f"differences with adjusted p < {alpha:.2g} ({len(significant)} of {len(contrasts)}):"
    ]
    for d in significant[:limit]:
        what = f"gap of {d.item}" if d.statistic == "gap" else _LABELS[d.statistic]
        lines.append(
            f"  {d.a} - {d.b}, {what}: {fmt_signed(d.difference.value)} "
            f"{fmt_interval(d.difference.low, d.difference.high, signed=True)}, "
            f"p adj {fmt_p(d.p_adjusted)}"
        )
    if len(significant) > limit:
        lines.append(f"  ... and {len(significant) - limit} more")
    return lines


def perspective_rows(views: Perspectives) -> tuple[list[str], list[list[str]]]:
    """Display header and rows of the perspectives, from best to least understanding."""
    first = next(iter(views.reports.values()))
    ci = f"{fmt_level(first.confidence_level)} CI"
    rows = [
        [
            s.level,
            f"{s.n[s.level]:,}",
            fmt(s.spearman.value),
            fmt_interval(s.spearman.low, s.spearman.high),
            fmt(s.mean_absolute_gap.value),
            fmt_interval(s.mean_absolute_gap.low, s.mean_absolute_gap.high),
            fmt(s.mean_squared_gap.value, 4),
        ]
        for s in views.ranking
    ]
    header = ["perspective", "n", "Spearman", f"Spearman {ci}", "mean abs gap"]
    return [*header, f"mean abs gap {ci}", "mean sq gap*"], rows


#: The footnote of the "mean sq gap*" column of segment and perspective tables.
RANKING_NOTE = (
    "* ranked by the bias-corrected mean squared gap, mean of (gap^2 - its variance), whose "
    "expectation does not depend on group sizes"
)

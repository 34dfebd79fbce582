"""What an analysis meets besides numbers, in words: facts (notes) and doubts (warnings).

A *fact* says how the report was made (a group kept whole, BCa with a = 0, no test run) and
becomes a :class:`~perceptiongap.Note` in ``report.notes``. A *doubt* says a number is
undefined, imprecise or suspect and becomes a line of ``report.warnings`` and one Python
warning. Every message text the analysis writes is here.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

from ._results import Note
from .errors import (
    DegenerateStatisticWarning,
    PerceptionGapWarning,
    SummaryDataWarning,
    UnreliableIntervalWarning,
)

__all__ = ["LABELS", "Findings"]

#: How messages name the scalar statistics.
LABELS = {
    "spearman": "Spearman rho",
    "kendall": "Kendall tau-b",
    "mean_gap": "the mean gap",
    "mean_absolute_gap": "the mean absolute gap",
    "d2": "d2",
    "elevation": "the elevation term",
    "scatter": "the scatter term",
    "shape": "the shape term",
}


def _listed(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names)


class Findings:
    """Facts and doubts collected while one report is computed, in the order met."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.doubts: list[tuple[type[PerceptionGapWarning], str]] = []

    # -- collecting ----------------------------------------------------------------------
    def fact(self, code: str, subject: str, message: str) -> None:
        note = Note(code, subject, message)
        if note not in self.notes:
            self.notes.append(note)

    def doubt(
        self, message: str, category: type[PerceptionGapWarning] = DegenerateStatisticWarning
    ) -> None:
        if all(message != m for _, m in self.doubts):
            self.doubts.append((category, message))

    def adopt(self, other: Findings, prefix: str) -> None:
        """Take `other`'s doubts (those of a segment level), each prefixed by where it arose
        (no prefix: as they are, an identical doubt counted once)."""
        for category, message in other.doubts:
            prefixed = not prefix or message.startswith(prefix)
            self.doubt(message if prefixed else f"{prefix}: {message}", category)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(message for _, message in self.doubts)

    def issue(self, stacklevel: int) -> None:
        """Issue each doubt once as a Python warning."""
        for category, message in self.doubts:
            warnings.warn(message, category, stacklevel=stacklevel + 1)

    # -- facts ---------------------------------------------------------------------------
    def bc_interval(self, statistics: Sequence[str], why: str) -> None:
        for name in statistics:
            self.fact(
                "bc_interval",
                name,
                f"BCa: {LABELS.get(name, name)} used a = 0 (a bias-corrected percentile "
                f"interval, method 'BC'): {why}.",
            )

    def bc_items(self, items: Sequence[str], why: str) -> None:
        if items:
            self.fact(
                "bc_interval",
                "gap",
                f"BCa: the gap of item(s) {_listed(items)} used a = 0 (method 'BC'): {why}.",
            )

    def bca_fallback(self, statistics: Sequence[str]) -> None:
        subjects = ", ".join(LABELS.get(n, n) for n in statistics) or "some item gaps"
        self.fact(
            "percentile_fallback",
            ", ".join(statistics) or "gap",
            f"BCa is undefined for {subjects} (every resample lies on one side of the "
            "estimate, so the bias correction is infinite): the percentile interval was used "
            "(method 'percentile').",
        )

    def no_test(self) -> None:
        self.fact(
            "no_test",
            "gap",
            "no permutation test was run (n_permutations=0), so there are no p-values and "
            "every verdict is 'untested'.",
        )

    def kept_whole(self, segment: str, group: str, where: str) -> None:
        self.fact(
            "kept_whole",
            group,
            f"segment {segment!r} is not recorded for group {group!r}; that group is kept "
            f"whole in {where}.",
        )

    def contrast_method(self, family: str, method: str) -> None:
        interval = (
            "BCa with a = 0 (method 'BC'; the jackknife of a difference is not computed)"
            if method == "BCa"
            else f"the {method} method"
        )
        self.fact(
            "contrast_method",
            family,
            f"{family}: intervals of the differences use {interval}; their p-values are "
            "two-sided bootstrap p-values, adjusted over every difference.",
        )

    def summary_no_sd(self) -> None:
        self.fact(
            "no_intervals",
            "",
            "no per-item sd was given for every item of both groups, so there are no "
            "intervals; pass 'sd' in from_summary to get them.",
        )

    # -- doubts --------------------------------------------------------------------------
    def unanswered(self, group: str, items: Sequence[str]) -> None:
        self.doubt(
            f"no respondent of group {group!r} answered item(s) {_listed(items)}; their "
            "scores, gaps and every statistic over all items are undefined (NaN)."
        )

    def constant_profile(self, group: str) -> None:
        self.doubt(
            f"every item has the same score in group {group!r}; the rank correlations are "
            "undefined (NaN)."
        )

    def empty_group(self, group: str) -> None:
        self.doubt(f"group {group!r} has no respondents here; every estimate is undefined (NaN).")

    def undefined_item_replicates(self, count: int, total: int) -> None:
        self.doubt(
            f"up to {count:,} of {total:,} resamples left an item with no answers; those "
            "resamples were left out of that item's interval."
        )

    def undefined_replicates(self, statistic: str, count: int, total: int) -> None:
        self.doubt(
            f"{LABELS[statistic]} was undefined in {count:,} of {total:,} resamples (a "
            "constant score profile); they were left out of its interval."
        )

    def resolution(
        self, n_permutations: int, k: int, smallest: float, alpha: float, needed: int
    ) -> None:
        self.doubt(
            f"with {n_permutations:,} permutations and {k} items the smallest possible "
            f"adjusted p-value is {smallest:.3g}, not below {alpha:.3g}: no item can be "
            f"declared over- or underestimated. Use at least {needed:,} permutations."
        )

    def degenerate_interval(self, subject: str, problem: str) -> None:
        """An interval that is undefined, of zero width or excludes its estimate."""
        advice = {
            "is undefined (NaN)": "treat it as unknown; more respondents or resamples, or "
            "method='percentile', may give one.",
            "has zero width": "every resample gave the same value, so the bootstrap saw no "
            "uncertainty. For rank correlations this means the orderings never changed; "
            "otherwise (few respondents, an answer almost nobody or everybody gave) the true "
            "uncertainty is larger than shown.",
            "excludes its own estimate": "the resampling distribution is lopsided around the "
            "estimate; read the interval with care, or compare method='percentile'.",
        }[problem]
        self.doubt(f"the interval of {subject} {problem}: {advice}", UnreliableIntervalWarning)

    def withheld_for_correlation(self) -> None:
        self.doubt(
            "summary data: the intervals of the mean gap and the elevation term are withheld: "
            "both average over items, and a summary table does not say how strongly the "
            "answers to different items correlate (assuming none made them far too narrow). "
            "Pass item_correlation= to ResponseSet.from_summary (for example 0.3) to get them.",
            SummaryDataWarning,
        )

    def near_ties(self, near: int, total: int) -> None:
        self.doubt(
            f"{near} of {total} item pairs are within two standard errors of each other in "
            "their group: these data do not settle the order of many items, so the point "
            "estimates of Spearman rho and Kendall tau-b say little, and their intervals "
            "(projected from the settled orderings; bootstrap intervals under-cover here) are "
            "wide. Both are flagged 'near-tied items'; the rank sets show which orders are "
            "settled. More respondents would narrow them.",
            UnreliableIntervalWarning,
        )

    def tiny_group(self, group: str) -> None:
        self.doubt(
            f"group {group!r} has fewer than two respondents, so the BCa acceleration is "
            "undefined; a = 0 was used (method 'BC')."
        )

    def summary_data(self, binary: bool) -> None:
        self.doubt(
            "summary data: point estimates are exact, but intervals come from a parametric "
            "bootstrap that treats items as independent ("
            + ("binomial" if binary else "normal, from the per-item sd")
            + ") and p-values from per-item "
            + ("two-proportion z-tests" if binary else "Welch t-tests")
            + "; respondent-level data give better intervals.",
            SummaryDataWarning,
        )

    def small_level(self, segment: str, level: str, counts: dict[str, int], minimum: int) -> str:
        """Doubt about a segment level with few or no respondents; returns its flag."""
        listed = ", ".join(f"{g} {c}" for g, c in counts.items())
        if 0 in counts.values():
            self.doubt(
                f"segment {segment}={level} has no respondents in a group ({listed}): its "
                "estimates are undefined."
            )
            return "no respondents"
        self.doubt(
            f"segment {segment}={level} has few respondents ({listed}; "
            f"min_segment_n={minimum}): its estimates are imprecise."
        )
        return "few respondents"

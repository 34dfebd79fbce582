"""The analysis of one pair of groups from published figures (a summary table).

Point estimates are exact. Intervals come from a parametric bootstrap that treats items as
independent (binomial for Binary, normal from the per-item sd otherwise); p-values from the
pooled two-proportion z-test or Welch's t-test per item, computed with :mod:`scipy.special`
(importing :mod:`scipy.stats` would cost seconds at import time for two formulas).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr, stdtr

from ._analysis import (
    Analysis,
    Replicates,
    estimates,
    no_intervals,
    note_undefined,
    point_statistics,
)
from ._notes import Findings
from ._options import CompareOptions
from ._procedures import analytic_gaps, gap_procedure, scalar_procedure
from ._resampling import Streams, parametric
from ._results import Estimate
from ._scalar_intervals import squared_image

__all__ = ["analyse_summary", "two_proportion_p", "welch_p"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def two_proportion_p(p1: FloatArray, n1: IntArray, p2: FloatArray, n2: IntArray) -> FloatArray:
    """Two-sided pooled two-proportion z-test per item; NaN when the pooled share is 0 or 1.

    ``z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with the pooled share ``p``, and
    ``p-value = 2 Phi(-|z|)``.
    """
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (p2 - p1) / se
    return np.where(se > 0, 2.0 * ndtr(-np.abs(z)), np.nan)


def welch_p(
    mean1: FloatArray,
    sd1: FloatArray,
    n1: IntArray,
    mean2: FloatArray,
    sd2: FloatArray,
    n2: IntArray,
) -> FloatArray:
    """Two-sided Welch t-test per item from summary statistics.

    ``t = (m1 - m2) / sqrt(v1/n1 + v2/n2)`` with the Welch-Satterthwaite degrees of freedom
    ``(v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1))`` (1 where undefined, as
    :func:`scipy.stats.ttest_ind_from_stats` does) and ``p = 2 F_t(-|t|; df)``.
    """
    vn1 = sd1**2 / n1
    vn2 = sd2**2 / n2
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (vn1 + vn2) ** 2 / (vn1**2 / (n1 - 1) + vn2**2 / (n2 - 1))
        df = np.where(np.isnan(df), 1.0, df)
        t = (mean1 - mean2) / np.sqrt(vn1 + vn2)
        p: FloatArray = 2.0 * stdtr(df, -np.abs(t))
    return p


def _correlated_items(
    statistics: dict[str, Estimate], design_effect: float | None, k: int, findings: Findings
) -> None:
    """Correct the mean gap and the elevation term for correlated items.

    Both average the item gaps, whose errors are correlated when a respondent's answers are;
    the parametric bootstrap draws items independently, so its intervals are too narrow by
    the design effect ``1 + (k - 1) r``. Without r they are withheld; with it the mean gap's
    interval is widened by ``sqrt(deff)`` around the estimate, and the elevation
    ``k mean_gap^2`` takes the image of that interval.
    """
    mean_gap = statistics["mean_gap"]
    elevation = statistics["elevation"]
    if math.isnan(mean_gap.low) or math.isnan(mean_gap.high):
        return
    if design_effect is None:
        statistics["mean_gap"] = Estimate(mean_gap.value)
        statistics["elevation"] = Estimate(elevation.value)
        findings.withheld_for_correlation()
        return
    factor = math.sqrt(design_effect)
    value = mean_gap.value
    low = value - (value - mean_gap.low) * factor
    high = value + (mean_gap.high - value) * factor
    statistics["mean_gap"] = Estimate(
        value, low, high, mean_gap.standard_error * factor, "design-effect"
    )
    statistics["elevation"] = Estimate(
        elevation.value, *squared_image(k, low, high), elevation.standard_error * design_effect,
        "design-effect",
    )  # fmt: skip
    findings.fact(
        "design_effect",
        "mean_gap, elevation",
        f"summary data: the intervals of the mean gap and the elevation term are widened by "
        f"the design effect 1 + (k - 1) r = {design_effect:.3g} for the given item "
        "correlation r.",
    )


def analyse_summary(
    options: CompareOptions,
    scores: FloatArray,
    item_n: IntArray,
    sd: FloatArray,
    binary: bool,
    findings: Findings,
    groups: tuple[str, ...],
    items: Sequence[str],
    design_effect: float | None = None,
) -> Analysis:
    """Estimates, parametric intervals and per-item p-values of one pair of groups.

    `scores`, `item_n` and `sd` have one row per group of the questionnaire.
    """
    ref, comp = options.reference, options.comparison
    x, y = scores[ref], scores[comp]
    nx, ny = item_n[ref], item_n[comp]
    point_gaps = y - x
    point = point_statistics(options, x, y)
    note_undefined(findings, x, y, (groups[ref], groups[comp]), items)
    has_sd = binary or not (np.isnan(sd[ref]).any() or np.isnan(sd[comp]).any())
    # The variance of each published mean: binomial for a share, sd^2 / n otherwise.
    mean_variances = scores * (1 - scores) / item_n if binary else sd**2 / item_n
    gap_variances = mean_variances[ref] + mean_variances[comp]
    findings.summary_data(binary)
    replicates: Replicates | None = None
    if options.n_resamples and has_sd:
        replicates = Replicates(options, options.n_resamples, len(x))
        parametric(
            [(x, nx, None if binary else sd[ref]), (y, ny, None if binary else sd[comp])],
            [(0, ref), (0, comp)],
            options.n_resamples,
            Streams(options.entropy),
            replicates.consume,
            options.plan,
        )
        bootstrapped = [n for n in point if scalar_procedure(options.method, n) == "BCa"]
        gap_method = gap_procedure(options.method, binary, False)
        if gap_method == "BCa":
            bootstrapped.append("gap")
        if bootstrapped:
            findings.fact(
                "bc_interval",
                ", ".join(bootstrapped),
                "BCa needs respondents for its jackknife acceleration; with summary data "
                "a = 0 was used (a bias-corrected percentile interval, method 'BC').",
            )
        analytic = None
        if gap_method in ("newcombe", "welch"):
            analytic = analytic_gaps(
                gap_method, (x, mean_variances[ref], nx.astype(float)),
                (y, mean_variances[comp], ny.astype(float)), options.confidence_level,
            )  # fmt: skip
        gaps, statistics = estimates(
            options, point_gaps, point, replicates, dict.fromkeys(point), [None] * len(x),
            findings, items, analytic, gap_variances, (int(nx.max()), int(ny.max())), (x, y),
        )  # fmt: skip
        _correlated_items(statistics, design_effect, len(x), findings)
    else:
        if options.n_resamples:
            findings.summary_no_sd()
        gaps, statistics = no_intervals(point_gaps, point)
    if binary:
        p_values = two_proportion_p(x, nx, y, ny)
    elif has_sd:
        p_values = welch_p(y, sd[comp], ny, x, sd[ref], nx)
    else:
        p_values = np.full(len(x), np.nan)
    return Analysis(x, y, gaps, statistics, p_values, 0, replicates, gap_variances)

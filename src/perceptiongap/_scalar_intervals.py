"""The intervals method="auto" gives the scalar statistics, from the bootstrap replicates.

Chosen by the coverage study (``validation/coverage.py``; docs page "How well the intervals
cover"), where percentile, basic and BCa intervals of these biased, non-smooth statistics
covered anywhere from 0% to 100%:

* Spearman and Kendall ("rank-projection"): the union of the percentile and basic intervals
  and of the interval projected from simultaneous inference on both groups' orderings
  (:func:`perceptiongap._rank_sets.rank_correlation_bounds`). Where the data cannot settle
  the order of close items no bootstrap interval of a rank correlation covers (the study
  measured 76-92% for the percentile-basic hull with clusters of close items); the
  projection covers there by construction. Over-coverage is the price.
* mean gap: a Welch interval with each group's variance taken from the replicates of its
  mean item score ("welch"): the mean gap is a difference of two means of item means.
* mean absolute gap: the "bound" interval, from two exact inequalities,
  ``|g| - |d| <= |g - d|`` and ``|g| - |d| >= sign(d) (g - d)``: it covers even where true
  gaps are 0, where every bootstrap interval of |g| fails; it is conservative.
* d2 and shape: the basic interval (its centre is d2 minus the summed gap variances, the
  bias-corrected d2), truncated at 0.
* elevation ``k mean_gap^2``: the image of the mean gap's Welch interval ("welch-squared").
* scatter ``k (sd y - sd x)^2``: the image of the percentile interval of ``sd y - sd x``
  ("percentile-squared").
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import stdtrit

__all__ = ["AUTO", "auto_interval", "squared_image"]

FloatArray = npt.NDArray[np.float64]

#: The procedure of each scalar statistic under method="auto".
AUTO: dict[str, str] = {
    "spearman": "rank-projection",
    "kendall": "rank-projection",
    "mean_gap": "welch",
    "mean_absolute_gap": "bound",
    "d2": "basic",
    "elevation": "welch-squared",
    "scatter": "percentile-squared",
    "shape": "basic",
}


def _quantiles(values: FloatArray, levels: tuple[float, float]) -> tuple[float, float]:
    defined = values[~np.isnan(values)]
    if defined.size < 2:
        return float("nan"), float("nan")
    low, high = np.quantile(defined, levels)
    return float(low), float(high)


def squared_image(k: int, low: float, high: float) -> tuple[float, float]:
    """The image of [low, high] under ``k t^2``."""
    squares = (low * low, high * high)
    floor = 0.0 if low <= 0.0 <= high else min(squares)
    return k * floor, k * max(squares)


def _welch(
    point: float, x: FloatArray, y: FloatArray, sizes: tuple[int, int], level: float
) -> tuple[float, float, float]:
    """The mean gap's Welch interval from the replicated mean item scores of each group."""
    with np.errstate(invalid="ignore"):
        mx, my = np.mean(x, axis=1), np.mean(y, axis=1)
    defined = ~(np.isnan(mx) | np.isnan(my))
    if np.count_nonzero(defined) < 2:
        return float("nan"), float("nan"), float("nan")
    v1, v2 = float(np.var(mx[defined], ddof=1)), float(np.var(my[defined], ddof=1))
    n1, n2 = sizes
    total = v1 + v2
    denominator = (v1 * v1 / (n1 - 1) if n1 > 1 else 0.0) + (v2 * v2 / (n2 - 1) if n2 > 1 else 0.0)
    df = total * total / denominator if denominator > 0 else float(max(min(n1, n2) - 1, 1))
    half = float(stdtrit(df, 1.0 - (1.0 - level) / 2.0)) * np.sqrt(total)
    return point - half, point + half, float(np.sqrt(total))


def _bound(
    point: float, gaps: FloatArray, replicates: FloatArray, variances: FloatArray, level: float
) -> tuple[float, float]:
    """The mean absolute gap's interval from ``|g| - |d| <= |g - d|`` and
    ``|g| - |d| >= sign(d)(g - d)``, with the replicates' ``h* = g* - g`` standing for ``g - d``.

    Where an item's gap is clearly away from 0 (``|g| > 3 sd``) the upper bound uses the
    linear term ``sign(g) h*`` instead of ``|h*|``.
    """
    h = replicates - gaps
    sign = np.sign(gaps)
    with np.errstate(invalid="ignore", divide="ignore"):
        clear = np.abs(gaps) > 3.0 * np.sqrt(variances)
    upper_terms = np.where(clear, sign * h, np.abs(h))
    alpha = (1.0 - level) / 2.0
    with np.errstate(invalid="ignore"):
        a = np.mean(upper_terms, axis=1)
        lower_terms = np.mean(sign * h, axis=1)
    a_high = _quantiles(a, (1.0 - alpha, 1.0 - alpha))[0]
    l_low = _quantiles(lower_terms, (alpha, alpha))[0]
    return max(0.0, point - a_high), point - l_low


def auto_interval(
    name: str,
    point: float,
    replicates: FloatArray,
    level: float,
    *,
    x: FloatArray,
    y: FloatArray,
    gaps: FloatArray,
    gap_replicates: FloatArray,
    gap_variances: FloatArray,
    sizes: tuple[int, int],
    rank_bounds: dict[str, tuple[float, float]],
) -> tuple[float, float, float]:
    """``(low, high, standard error)`` of statistic `name` by its AUTO procedure."""
    alpha = (1.0 - level) / 2.0
    defined = replicates[~np.isnan(replicates)]
    se = float(np.std(defined, ddof=1)) if defined.size > 1 else float("nan")
    procedure = AUTO[name]
    if np.isnan(point):
        return float("nan"), float("nan"), se
    if procedure in ("rank-projection", "basic"):
        q_low, q_high = _quantiles(replicates, (alpha, 1.0 - alpha))
        basic = (2.0 * point - q_high, 2.0 * point - q_low)
        if procedure == "basic":
            return basic[0], basic[1], se
        low, high = rank_bounds[name]
        lows = [v for v in (q_low, basic[0], low, point) if not np.isnan(v)]
        highs = [v for v in (q_high, basic[1], high, point) if not np.isnan(v)]
        return min(lows), max(highs), se
    if procedure == "welch":
        return _welch(point, x, y, sizes, level)
    if procedure == "welch-squared":
        mean_gap = float(np.mean(gaps))
        low, high, _ = _welch(mean_gap, x, y, sizes, level)
        return (*squared_image(len(gaps), low, high), se)
    if procedure == "percentile-squared":
        with np.errstate(invalid="ignore"):
            spread = np.std(y, axis=1) - np.std(x, axis=1)
        low, high = _quantiles(spread, (alpha, 1.0 - alpha))
        return (*squared_image(len(gaps), low, high), se)
    if procedure == "bound":
        return (*_bound(point, gaps, gap_replicates, gap_variances, level), se)
    raise ValueError(f"unknown procedure {procedure!r}")  # pragma: no cover

"""From replicates to inference: bootstrap intervals, standard errors, p-values, adjustment.

The intervals follow :func:`scipy.stats.bootstrap` (Efron & Tibshirani 1993, ch. 13-14):
quantiles are taken with linear interpolation, the BCa bias correction counts replicates tied
with the estimate as half, and the acceleration combines the delete-one jackknife of every
sample as scipy does (its eq. 15.36 generalised to several samples).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt
from scipy.special import ndtr, ndtri

__all__ = [
    "METHODS",
    "P_ADJUST",
    "Interval",
    "acceleration",
    "adjust",
    "bootstrap_interval",
    "exceedances",
    "permutation_p_value",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

METHODS = ("percentile", "basic", "BCa")
P_ADJUST = ("holm", "bh", "none")

# Relative tolerance under which jackknife values count as equal (a flat jackknife) and
# permuted statistics as tied with the observed one: float rounding, not data.
_RTOL = 1e-12


@attrs.frozen
class Interval:
    """An interval and the facts a report needs about how it was obtained."""

    low: float
    high: float
    standard_error: float
    n_undefined: int  # replicates in which the statistic was undefined (left out)
    method: str = ""  # the method used, when it differs from the one asked for


def acceleration(jackknife: Sequence[tuple[FloatArray, IntArray]]) -> float:
    """BCa acceleration from the delete-one jackknife of each sample.

    Parameters
    ----------
    jackknife : sequence of (values, multiplicity)
        For each sample (group), the statistic with each distinct respondent pattern left
        out and how many respondents share that pattern.

    Returns
    -------
    float
        ``a = sum_j sum_i U_ji^3 / n_j^3 / (6 (sum_j sum_i U_ji^2 / n_j^2)^{3/2})`` with
        ``U_ji = (n_j - 1)(mean_j - theta_ji)``, as :func:`scipy.stats.bootstrap` combines
        samples. NaN when the jackknife is flat (every value equal) or undefined somewhere.
    """
    if any(values.size == 0 or np.isnan(values).any() for values, _ in jackknife):
        return float("nan")
    scale = max(float(np.max(np.abs(values))) for values, _ in jackknife)
    spread = max(float(np.ptp(values)) for values, _ in jackknife)
    # Flat: every value equal up to rounding, relative to the statistic's own size.
    if spread <= _RTOL * scale:
        return float("nan")
    # a is scale-free (numerator and denominator both scale as s^3): standardise first so
    # that cubes of very small or very large statistics neither underflow nor overflow.
    num = den = 0.0
    for values, multiplicity in jackknife:
        weights = multiplicity.astype(np.float64)
        n = weights.sum()
        standard = values / scale
        mean = float(weights @ standard) / n
        u = (n - 1.0) * (mean - standard)
        num += float(weights @ u**3) / n**3
        den += float(weights @ u**2) / n**2
    if den <= 0.0:
        return float("nan")
    return float(num / (6.0 * den**1.5))


def bootstrap_interval(
    replicates: FloatArray,
    estimate: float,
    method: str,
    confidence_level: float,
    accel: float = 0.0,
) -> Interval:
    """Two-sided bootstrap interval of one statistic.

    Parameters
    ----------
    replicates : ndarray, shape (B,)
        Bootstrap replicates; NaN ones (undefined statistic) are left out and counted.
    estimate : float
        The statistic on the original data.
    method : {"percentile", "basic", "BCa"}
    confidence_level : float
    accel : float
        BCa acceleration (0 gives the bias-corrected percentile interval).

    Notes
    -----
    With ``alpha = (1 - confidence_level) / 2`` and ``q(p)`` the linear-interpolation
    quantile of the replicates: percentile ``[q(alpha), q(1 - alpha)]``; basic
    ``[2 theta - q(1 - alpha), 2 theta - q(alpha)]``; BCa ``[q(alpha_1), q(alpha_2)]`` with
    ``alpha_i = Phi(z0 + (z0 + z_i) / (1 - a (z0 + z_i)))``, ``z0 = Phi^-1(p)`` and
    ``p = (#{theta_b < theta} + #{theta_b <= theta}) / (2B)``.

    When every replicate lies on one side of the estimate (``p`` is 0 or 1), the bias
    correction ``z0`` is infinite and BCa is undefined; the percentile interval is returned
    instead, with ``method="percentile"``.
    """
    defined = replicates[~np.isnan(replicates)]
    undefined = len(replicates) - len(defined)
    if len(defined) < 2 or np.isnan(estimate):
        return Interval(float("nan"), float("nan"), float("nan"), undefined)
    alpha = (1.0 - confidence_level) / 2.0
    standard_error = float(np.std(defined, ddof=1))
    used = method
    levels = np.array([alpha, 1.0 - alpha])
    if method == "BCa":
        b = len(defined)
        p = (np.count_nonzero(defined < estimate) + np.count_nonzero(defined <= estimate)) / (
            2 * b
        )
        z0 = float(ndtri(p))
        if np.isfinite(z0):
            z = np.array([ndtri(alpha), -ndtri(alpha)])
            shifted = z0 + z
            with np.errstate(divide="ignore", invalid="ignore"):
                levels = ndtr(z0 + shifted / (1.0 - accel * shifted))
            if np.isnan(levels).any():
                return Interval(float("nan"), float("nan"), standard_error, undefined)
        else:
            used = "percentile"  # every replicate on one side: BCa is undefined
    low, high = (float(v) for v in np.quantile(defined, levels))
    if method == "basic":
        low, high = 2.0 * estimate - high, 2.0 * estimate - low
    return Interval(low, high, standard_error, undefined, "" if used == method else used)


def permutation_p_value(null: FloatArray, observed: FloatArray) -> FloatArray:
    """Two-sided permutation p-values, ``(1 + #{|T_b| >= |T|}) / (1 + B)``.

    Parameters
    ----------
    null : ndarray, shape (B, q)
        The statistics under permuted labels (NaN replicates are left out per column).
    observed : ndarray, shape (q,)

    Notes
    -----
    Counting the observed arrangement among the permutations keeps the test valid
    (Phipson & Smyth 2010). ``|T_b|`` within a relative 1e-12 of ``|T|`` counts as tied, so
    float rounding does not decide a tie.
    """
    count, total = exceedances(null, observed)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (1.0 + count) / (1.0 + total)
    return np.where(np.isnan(observed), np.nan, p)


def exceedances(null: FloatArray, observed: FloatArray) -> tuple[IntArray, IntArray]:
    """Per column, how many defined ``|T_b|`` reach ``|T|`` and how many are defined.

    The counts of chunks of permutations add up, so p-values can be accumulated without
    storing the null distribution.
    """
    target = np.abs(observed) * (1.0 - _RTOL)
    with np.errstate(invalid="ignore"):
        extreme = np.abs(null) >= target
    defined = ~np.isnan(null)
    count = np.count_nonzero(extreme & defined, axis=0).astype(np.int64)
    total = np.count_nonzero(defined, axis=0).astype(np.int64)
    return count, total


def adjust(p_values: FloatArray, method: str) -> FloatArray:
    """Adjust p-values for multiplicity: Holm (1979), Benjamini-Hochberg (1995) or none.

    NaN p-values are left out of the family (as R's ``p.adjust`` does) and stay NaN.

    Notes
    -----
    With the m defined p-values sorted, ``p_(1) <= ... <= p_(m)``: Holm gives
    ``max_{j <= i} min(1, (m - j + 1) p_(j))``; Benjamini-Hochberg gives
    ``min_{j >= i} min(1, m p_(j) / j)``.
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full_like(p, np.nan)
    defined = np.flatnonzero(~np.isnan(p))
    m = len(defined)
    if m == 0 or method == "none":
        out[defined] = p[defined]
        return out
    order = defined[np.argsort(p[defined], kind="stable")]
    ranked = p[order]
    j = np.arange(1, m + 1)
    if method == "holm":
        adjusted = np.maximum.accumulate(np.minimum(1.0, (m - j + 1) * ranked))
    else:
        # (m / j) * p, as R's p.adjust: m / m is exactly 1, so rounding never pushes an
        # adjusted value below its raw p-value.
        adjusted = np.minimum.accumulate(np.minimum(1.0, (m / j) * ranked)[::-1])[::-1]
    out[order] = adjusted
    return out

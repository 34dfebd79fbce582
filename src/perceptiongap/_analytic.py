"""Closed-form intervals of a difference between two groups' item scores.

* :func:`newcombe`: Newcombe's hybrid score interval for a difference of two proportions
  (Newcombe 1998, method 10), built from the two Wilson score intervals. It stays inside
  [-1, 1], never has zero width, and covers near 0 and 1, where Wald and bootstrap intervals
  of a rare item fail.
* :func:`welch`: the Welch interval for a difference of two means, with the
  Welch-Satterthwaite degrees of freedom.
* :func:`gap_variances`: the estimated variance of each item gap from a tally (the
  linearised variance of a ratio mean; for unweighted data ``s1^2/n1 + s2^2/n2``), which the
  Welch interval and the bias-corrected squared gaps use.

References
----------
R. G. Newcombe, "Interval estimation for the difference between independent proportions:
comparison of eleven methods", Statistics in Medicine 17, 873-890, 1998.
B. L. Welch, "The generalization of 'Student's' problem when several different population
variances are involved", Biometrika 34, 28-35, 1947.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri, stdtrit

from ._tally import Tally

__all__ = ["gap_variances", "mean_variances", "newcombe", "welch", "wilson"]

FloatArray = npt.NDArray[np.float64]


def wilson(p: FloatArray, n: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval of a proportion ``p`` from ``n`` trials:
    ``(p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = p + z * z / (2 * n)
        half = z * np.sqrt(np.maximum(p * (1 - p), 0.0) / n + z * z / (4 * n * n))
        scale = 1 + z * z / n
        return (centre - half) / scale, (centre + half) / scale


def newcombe(
    p1: FloatArray, n1: FloatArray, p2: FloatArray, n2: FloatArray, confidence_level: float
) -> tuple[FloatArray, FloatArray]:
    """Newcombe's hybrid score interval for ``p2 - p1`` (method 10).

    With the Wilson intervals ``(l1, u1)`` and ``(l2, u2)`` at the same level,
    ``d = p2 - p1``, the interval is
    ``[d - sqrt((p2 - l2)^2 + (u1 - p1)^2), d + sqrt((u2 - p2)^2 + (p1 - l1)^2)]``.
    """
    z = float(-ndtri((1.0 - confidence_level) / 2.0))
    l1, u1 = wilson(p1, n1, z)
    l2, u2 = wilson(p2, n2, z)
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return low, high


def welch(
    m1: FloatArray,
    v1: FloatArray,
    n1: FloatArray,
    m2: FloatArray,
    v2: FloatArray,
    n2: FloatArray,
    confidence_level: float,
) -> tuple[FloatArray, FloatArray]:
    """Welch interval for ``m2 - m1`` from the variances of the two means ``v1``, ``v2``
    (``s^2 / n``) and the sample sizes: ``d -+ t_{df, 1 - alpha/2} sqrt(v1 + v2)`` with
    ``df = (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1))``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        total = v1 + v2
        df = total**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        df = np.where(np.isfinite(df), df, np.minimum(n1, n2) - 1.0)
        t = stdtrit(df, 1.0 - (1.0 - confidence_level) / 2.0)
        half = t * np.sqrt(total)
    d = m2 - m1
    return d - half, d + half


def mean_variances(tally: Tally, stratum: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per item: the (weighted) mean, the estimated variance of that mean and the number of
    respondents who answered, for one stratum.

    The variance is the linearised variance of a ratio mean with the ``n / (n - 1)``
    correction, ``sum_i w_i^2 (x_i - mean)^2 / (sum_i w_i)^2 * n / (n - 1)``; without weights it
    is ``s^2 / n`` with the sample variance ``s^2`` (``ddof=1``). NaN for fewer than two answers.
    """
    counts = tally.counts[stratum].astype(np.float64)
    sums, answered = tally.sums, tally.answered
    total = counts @ answered
    n = counts @ (answered > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(total > 0, (counts @ sums) / total, np.nan)
        # w (x - mean) per pattern, then squared: the expanded form cancels catastrophically
        # for answers far from zero relative to their spread.
        deviations = sums - np.where(np.isnan(mean), 0.0, mean) * answered
        square = counts @ (deviations * deviations)
        variance = np.where(n > 1, np.maximum(square, 0.0) / total**2 * n / (n - 1), np.nan)
    return mean, variance, n


def gap_variances(tally: Tally, reference: int, comparison: int) -> FloatArray:
    """The estimated variance of each item gap: the sum of the two means' variances."""
    return mean_variances(tally, reference)[1] + mean_variances(tally, comparison)[1]

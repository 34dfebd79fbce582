"""Batched statistics of item scores.

Every function takes arrays of item scores with any leading batch shape and reduces over the
last axis (the k items), so the same function serves the point estimate (shape ``(k,)``),
every bootstrap replicate (``(B, k)``) and every jackknife replicate (``(m, k)``). Undefined
values are NaN, never 0; the caller counts and reports them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = [
    "CONTRASTED",
    "STATISTICS",
    "WEIGHTED_TIE_RTOL",
    "average_ranks",
    "d2",
    "elevation",
    "kendall_tau_b",
    "mean_absolute_gap",
    "mean_gap",
    "pearson",
    "scatter",
    "shape",
    "spearman",
    "statistics",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def _floats(value: object) -> FloatArray:
    """Type the result of a numpy reduction (no copy)."""
    return np.asarray(value, dtype=np.float64)


def average_ranks(scores: FloatArray, rtol: float = 0.0) -> FloatArray:
    """Rank items within each batch row: 1 = highest score, ties share the average rank.

    ``rank_i = 1 + #{j: s_j > s_i} + #{j != i: s_j == s_i} / 2``, computed by pairwise
    comparison (k is a questionnaire's item count, so the k x k work is small and exact).
    Scores within a relative `rtol` of each other count as tied (weighted means that are equal
    in exact arithmetic may differ in the last bits). A row containing NaN has NaN ranks.
    """
    scores = np.asarray(scores, dtype=np.float64)
    left = scores[..., :, np.newaxis]
    right = scores[..., np.newaxis, :]
    diff = right - left
    tol = rtol * np.maximum(np.abs(left), np.abs(right)) if rtol else 0.0
    above = np.count_nonzero(diff > tol, axis=-1)
    tied = np.count_nonzero(np.abs(diff) <= tol, axis=-1) - 1
    ranks = 1.0 + above + 0.5 * tied
    undefined = np.isnan(scores).any(axis=-1, keepdims=True)
    return np.where(undefined, np.nan, ranks)


def pearson(x: FloatArray, y: FloatArray) -> FloatArray:
    """Pearson correlation over the last axis; NaN where either vector is constant."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    sxx = np.einsum("...i,...i->...", xc, xc)
    syy = np.einsum("...i,...i->...", yc, yc)
    sxy = np.einsum("...i,...i->...", xc, yc)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = sxy / np.sqrt(sxx * syy)
    return np.where((sxx > 0) & (syy > 0), np.clip(r, -1.0, 1.0), np.nan)


def spearman(x: FloatArray, y: FloatArray, rtol: float = 0.0) -> FloatArray:
    """Spearman's rho: the Pearson correlation of the average ranks (ties allowed)."""
    rx, ry = average_ranks(x, rtol), average_ranks(y, rtol)
    # Ranks of a constant vector are all equal; pearson() then returns NaN as it should.
    return pearson(rx, ry)


def _signs(values: FloatArray, i: IntArray, j: IntArray, rtol: float) -> FloatArray:
    """sign(v_i - v_j) over item pairs, 0 within a relative `rtol` (a tie)."""
    a, b = values[..., i], values[..., j]
    diff = a - b
    if rtol:
        diff = np.where(np.abs(diff) <= rtol * np.maximum(np.abs(a), np.abs(b)), 0.0, diff)
    return np.sign(diff)


def kendall_tau_b(x: FloatArray, y: FloatArray, rtol: float = 0.0) -> FloatArray:
    """Kendall's tau-b over the last axis, by pairwise sign comparison.

    ``tau_b = sum_{i<j} sx_ij sy_ij / sqrt(sum sx_ij^2 * sum sy_ij^2)`` with
    ``sx_ij = sign(x_i - x_j)``; this is the tie-corrected (n_c - n_d) /
    sqrt((n_0 - n_1)(n_0 - n_2)) of Kendall (1945). NaN when either vector is constant.
    """
    k = x.shape[-1]
    i, j = np.triu_indices(k, k=1)
    sx = _signs(x, i, j, rtol)
    sy = _signs(y, i, j, rtol)
    num = np.einsum("...p,...p->...", sx, sy)
    den = np.einsum("...p,...p->...", sx, sx) * np.einsum("...p,...p->...", sy, sy)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = num / np.sqrt(den)
    return np.where(den > 0, np.clip(tau, -1.0, 1.0), np.nan)


def mean_gap(x: FloatArray, y: FloatArray) -> FloatArray:
    """Mean signed gap ``mean(y - x)``: how much more the comparison group rates items."""
    return _floats(np.mean(y - x, axis=-1))


def mean_absolute_gap(x: FloatArray, y: FloatArray) -> FloatArray:
    """Mean absolute gap ``mean(|y - x|)``."""
    return _floats(np.mean(np.abs(y - x), axis=-1))


def d2(x: FloatArray, y: FloatArray) -> FloatArray:
    """Cronbach & Gleser's squared profile distance ``D^2 = sum (y - x)^2``."""
    diff = y - x
    return _floats(np.einsum("...i,...i->...", diff, diff))


def elevation(x: FloatArray, y: FloatArray) -> FloatArray:
    """Elevation term of D^2: ``k (mean y - mean x)^2``."""
    k = x.shape[-1]
    return _floats(k * (y.mean(axis=-1) - x.mean(axis=-1)) ** 2)


def scatter(x: FloatArray, y: FloatArray) -> FloatArray:
    """Scatter term of D^2: ``k (sd y - sd x)^2`` with population standard deviations."""
    k = x.shape[-1]
    return _floats(k * (y.std(axis=-1) - x.std(axis=-1)) ** 2)


def shape(x: FloatArray, y: FloatArray) -> FloatArray:
    """Shape term of D^2: ``2 k sd(x) sd(y) (1 - r)``, which equals D^2 - elevation - scatter.

    Computed from the closed form rather than by subtraction, so that it is never a small
    negative number by rounding; it is 0 when either profile is flat (then r is undefined but
    the shape term vanishes).
    """
    k = x.shape[-1]
    sx, sy = x.std(axis=-1), y.std(axis=-1)
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    # k sd(x) sd(y) r = sum(xc * yc), so 2 k sx sy (1 - r) = 2 (k sx sy - sum(xc yc)).
    cross = np.einsum("...i,...i->...", xc, yc)
    return _floats(np.maximum(2.0 * (k * sx * sy - cross), 0.0))


Statistic = Callable[[FloatArray, FloatArray], FloatArray]

#: Relative tolerance under which weighted item scores count as tied in rank statistics.
#: Unweighted scores are ratios of integers computed by one division, so equal scores are
#: bit-for-bit equal and ties are exact (tolerance 0, as in scipy).
WEIGHTED_TIE_RTOL = 1e-10


def statistics(rtol: float = 0.0) -> dict[str, Statistic]:
    """The report's scalar statistics, rank-based ones comparing scores within `rtol`."""
    if not rtol:
        return STATISTICS
    out = dict(STATISTICS)
    out["spearman"] = lambda x, y: spearman(x, y, rtol)
    out["kendall"] = lambda x, y: kendall_tau_b(x, y, rtol)
    return out


#: The scalar statistics of a report, by their field names, each a function of (x, y) item
#: scores of the reference and comparison groups.
STATISTICS: dict[str, Statistic] = {
    "spearman": spearman,
    "kendall": kendall_tau_b,
    "mean_gap": mean_gap,
    "mean_absolute_gap": mean_absolute_gap,
    "d2": d2,
    "elevation": elevation,
    "scatter": scatter,
    "shape": shape,
}

#: The scalar statistics contrasted between analyses (segment levels, perspectives); each
#: item's gap is contrasted too. An analysis keeps only these replicates (and the gaps') once
#: its own report is assembled.
CONTRASTED = ("spearman", "mean_absolute_gap")

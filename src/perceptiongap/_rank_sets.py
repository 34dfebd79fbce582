"""Simultaneous confidence sets for the ranks of all items of one group.

The method is that of Mogstad, Romano, Shaikh & Wilhelm (2024) as their R package ``csranks``
runs it by default (``csranks(..., simul=TRUE, stepdown=TRUE, cstype="two-sided")``), with the
package's parametric normal draws replaced by the bootstrap replicates the caller already has.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["rank_confidence_sets"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Relative tolerance (to the largest absolute score or replicate) under which the standard error
# of a difference, or the difference itself, is float rounding rather than data.
_RTOL = 1e-12
# Below this ratio of var(θ*_i - θ*_j) to var(θ*_i) + var(θ*_j) the covariance formula loses
# too many digits to cancellation, and the variance is recomputed from the differences.
_CANCELLATION = 1e-6
# Numbers per temporary array when pairs are processed in chunks (512 KiB of float64: cache-sized).
_CHUNK = 1 << 16


def rank_confidence_sets(
    scores: FloatArray,
    replicates: FloatArray,
    confidence_level: float,
    *,
    stepdown: bool = True,
) -> tuple[IntArray, IntArray]:
    r"""Simultaneous confidence sets for the ranks of all k items within one group (1 = highest score).

    Parameters
    ----------
    scores : ndarray of float, shape (k,)
        The group's item scores :math:`\hat\theta_1, \dots, \hat\theta_k` (finite).
    replicates : ndarray of float, shape (B, k)
        Bootstrap replicates :math:`\hat\theta^*_{b,1}, \dots, \hat\theta^*_{b,k}` of the scores
        (respondents resampled within the group). A row holding a NaN (an item nobody answered
        in that resample) or an infinity is dropped.
    confidence_level : float
        Probability, in (0, 1), that the sets cover the true ranks of all k items at once.
    stepdown : bool, default True
        Use the stepwise improvement (the default of ``csranks``); ``False`` gives the
        single-step sets, which are never narrower.

    Returns
    -------
    low, high : ndarray of int64, shape (k,)
        Bounds of the rank sets :math:`\{low_j, \dots, high_j\}`, with
        ``1 <= low <= r <= high <= k`` for every rank position ``r`` an item takes in the
        ranking of ``scores`` (items with equal scores share every position of their tie).

    Notes
    -----
    The rank of item :math:`j` is :math:`r_j = 1 + \#\{i : \theta_i > \theta_j\}`. With the
    centred replicates :math:`\Delta^*_{b,ij} = (\hat\theta^*_{b,i} - \hat\theta^*_{b,j}) -
    (\hat\theta_i - \hat\theta_j)` and the standard errors :math:`s_{ij} = \operatorname{sd}_b
    (\hat\theta^*_{b,i} - \hat\theta^*_{b,j})` (``ddof=1``), every ordered pair
    :math:`(i, j)`, :math:`i \ne j`, carries the hypothesis :math:`\theta_i \le \theta_j`.
    Starting from the set :math:`I` of all ordered pairs, each step computes

    .. math::

        c(I) = \max\bigl(0,\; q_{1-\alpha}\bigl[\max_{(i,j) \in I} \Delta^*_{b,ij} / s_{ij}
        \bigr]\bigr),

    the :math:`1-\alpha` quantile over :math:`b` (:math:`1-\alpha` = ``confidence_level``;
    linear interpolation, R's type 7), and
    rejects :math:`\theta_i \le \theta_j` for the pairs of :math:`I` with
    :math:`\hat\theta_i - \hat\theta_j - s_{ij} \, c(I) > 0`, then removes them from
    :math:`I`; it repeats until a step rejects nothing (one step only when
    ``stepdown=False``). While both orientations of a pair are in :math:`I` the maximum runs
    over :math:`|\Delta^*_{b,ij}| / s_{ij}`, so the first step is the symmetric max-|t|
    interval :math:`\hat\theta_i - \hat\theta_j \pm s_{ij} c` for all pairwise differences.
    With :math:`N^-_j` the number of items :math:`i` for which :math:`\theta_i > \theta_j`
    was established and :math:`N^+_j` the number for which :math:`\theta_j > \theta_i` was,

    .. math::

        low_j = 1 + N^-_j, \qquad high_j = k - N^+_j.

    A pair whose replicates never differ (:math:`s_{ij} = 0`, e.g. two items answered the same
    way by every respondent) is known exactly: it is decided when its scores differ and
    undecided when they are equal, and it takes no part in the maximum. The clamp of
    :math:`c` at 0 (not in ``csranks``) matters only in degenerate replicate clouds; it keeps
    every rejection in the direction of the observed difference. With fewer than two usable
    replicates nothing can be decided and every set is ``{1, ..., k}``.

    The pairs are processed in small chunks, so beyond three (B, k) copies of the replicates
    memory does not grow with k; time grows as :math:`k^2 B` times the number of steps
    (about 1.5-3 s for k = 135, B = 10,000 and three steps).

    References
    ----------
    Mogstad, M., Romano, J. P., Shaikh, A. M. & Wilhelm, D. (2024). Inference for ranks with
    applications to mobility across neighbourhoods and academic achievement across countries.
    *Review of Economic Studies* 91(1), 476-518. https://doi.org/10.1093/restud/rdad006
    (algorithm as in the R package ``csranks``, functions ``csranks_simul`` and
    ``csdiffmeans``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> scores = np.array([0.20, 0.50, 0.51])
    >>> replicates = scores + rng.normal(0.0, 0.02, size=(2000, 3))
    >>> rank_confidence_sets(scores, replicates, 0.95)
    (array([3, 1, 1]), array([3, 2, 2]))
    """
    theta, cloud = _validated(scores, replicates, confidence_level)
    k = theta.size
    low = np.ones(k, dtype=np.int64)
    high = np.full(k, k, dtype=np.int64)
    if k == 1 or cloud.shape[0] < 2:
        return low, high
    first, second, above, below = _decided_pairs(theta, cloud, confidence_level, stepdown)
    low += np.bincount(second[above], minlength=k) + np.bincount(first[below], minlength=k)
    high -= np.bincount(first[above], minlength=k) + np.bincount(second[below], minlength=k)
    return low, high


def _decided_pairs(
    theta: FloatArray, cloud: FloatArray, confidence_level: float, stepdown: bool
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For every pair ``first < second``: whether the simultaneous intervals show
    ``theta_first > theta_second`` (above) or ``<`` (below)."""
    k = theta.size
    first, second = np.triu_indices(k, 1)
    centred = np.ascontiguousarray((cloud - theta).T)  # (k, B): one item per row
    se = _pair_standard_errors(cloud, centred, first, second)
    diff = theta[first] - theta[second]
    tolerance = _RTOL * max(float(np.max(np.abs(theta))), float(np.max(np.abs(cloud))))
    exact = se <= tolerance
    above = exact & (diff > tolerance)  # θ_first > θ_second established
    below = exact & (diff < -tolerance)  # θ_second > θ_first established
    tested = np.flatnonzero(~exact)
    while tested.size:
        c = _critical_value(centred, first, second, se, above, below, tested, confidence_level)
        margin = diff[tested] - c * se[tested]
        new_above = tested[(margin > 0) & ~above[tested]]
        margin = -diff[tested] - c * se[tested]
        new_below = tested[(margin > 0) & ~below[tested]]
        above[new_above] = True
        below[new_below] = True
        if not stepdown or (new_above.size == 0 and new_below.size == 0):
            break
    return first.astype(np.int64), second.astype(np.int64), above, below


def rank_correlation_bounds(
    x: FloatArray,
    x_replicates: FloatArray,
    y: FloatArray,
    y_replicates: FloatArray,
    confidence_level: float,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Intervals for Spearman's rho and Kendall's tau of the two groups' true item scores,
    projected from simultaneous inference on the orderings.

    Each group's pairwise orderings are decided by the simultaneous intervals of
    :func:`rank_confidence_sets` at level ``1 - (1 - confidence_level) / 2`` (Bonferroni over
    the two groups), so with probability at least `confidence_level` every decided ordering of
    both groups is true. Kendall's tau then lies in ``[(C - D - U) / n0, (C - D + U) / n0]``
    (C and D the pairs decided concordant and discordant, U the undecided ones, n0 all
    pairs). For Spearman, each item's rank lies in its set ``[l, h]`` in each group, so
    ``|r_x - r_y|`` lies between ``max(0, l_x - h_y, l_y - h_x)`` and
    ``max(h_x - l_y, h_y - l_x)``, and ``rho = 1 - 6 sum d^2 / (k (k^2 - 1))`` between the
    corresponding bounds. Both are conservative (the second ignores that ranks form a
    permutation) but valid whatever the items' spacing, where bootstrap intervals of a rank
    correlation fail (items whose order the data cannot settle). NaN for an item without a
    score.
    """
    nan = (float("nan"), float("nan"))
    if np.isnan(x).any() or np.isnan(y).any() or x.size < 2:
        return nan, nan
    level = 1.0 - (1.0 - confidence_level) / 2.0
    k = x.size
    sets = []
    signs = []
    for theta, cloud in ((x, x_replicates), (y, y_replicates)):
        theta, cloud = _validated(theta, cloud, level)
        if cloud.shape[0] < 2:
            return nan, nan
        first, second, above, below = _decided_pairs(theta, cloud, level, True)
        low = 1 + np.bincount(second[above], minlength=k) + np.bincount(first[below], minlength=k)
        high = k - np.bincount(first[above], minlength=k) - np.bincount(second[below], minlength=k)
        sets.append((low, high))
        signs.append(above.astype(np.int64) - below.astype(np.int64))
    product = signs[0] * signs[1]
    pairs = product.size
    net = int(np.count_nonzero(product > 0) - np.count_nonzero(product < 0))
    undecided = int(np.count_nonzero(product == 0))
    tau = ((net - undecided) / pairs, (net + undecided) / pairs)
    (lx, hx), (ly, hy) = sets
    smallest = np.maximum(0, np.maximum(lx - hy, ly - hx)).astype(np.float64)
    largest = np.maximum(hx - ly, hy - lx).astype(np.float64)
    scale = 6.0 / (k * (k * k - 1.0))
    rho = (
        max(-1.0, 1.0 - scale * float(np.sum(largest**2))),
        1.0 - scale * float(np.sum(smallest**2)),
    )
    return rho, tau


def _validated(
    scores: FloatArray, replicates: FloatArray, confidence_level: float
) -> tuple[FloatArray, FloatArray]:
    """The scores and the usable replicate rows, as float64, after checking the arguments."""
    theta = np.asarray(scores, dtype=np.float64)
    cloud = np.asarray(replicates, dtype=np.float64)
    if theta.ndim != 1 or theta.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array, got shape {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError("scores must be finite")
    if cloud.ndim != 2 or cloud.shape[1] != theta.size:
        raise ValueError(
            f"replicates must have shape (B, {theta.size}) to match the scores, got {cloud.shape}"
        )
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    return theta, cloud[np.all(np.isfinite(cloud), axis=1)]


def _pair_standard_errors(
    cloud: FloatArray, centred: FloatArray, first: IntArray, second: IntArray
) -> FloatArray:
    """sd(θ*_i - θ*_j) over the replicates for each pair (i < j), ``ddof=1``."""
    b = cloud.shape[0]
    deviations = cloud - cloud.mean(axis=0)
    cov = deviations.T @ deviations / (b - 1)
    total = np.diag(cov)[first] + np.diag(cov)[second]
    var = total - 2.0 * cov[first, second]
    # Nearly identical items: the formula cancels; take the variance of the differences.
    redo = np.flatnonzero(var <= _CANCELLATION * total)
    step = max(1, _CHUNK // b)
    for start in range(0, redo.size, step):
        pairs = redo[start : start + step]
        var[pairs] = np.var(centred[first[pairs]] - centred[second[pairs]], axis=1, ddof=1)
    se: FloatArray = np.sqrt(np.maximum(var, 0.0))
    return se


def _critical_value(
    centred: FloatArray,
    first: IntArray,
    second: IntArray,
    se: FloatArray,
    above: npt.NDArray[np.bool_],
    below: npt.NDArray[np.bool_],
    tested: IntArray,
    confidence_level: float,
) -> float:
    """c(I): the clamped quantile of the per-replicate maximum over the ordered pairs left in I.

    A tested pair with neither orientation rejected contributes |t|; one whose ``first``
    was shown above contributes only -t (the orientation second > first is left); one whose
    ``second`` was shown above contributes only t.
    """
    both = tested[~above[tested] & ~below[tested]]
    one = tested[above[tested] | below[tested]]
    # Orient the one-sided pairs so that each contributes +t of (top, bottom).
    top = np.concatenate([first[both], np.where(above[one], second[one], first[one])])
    bottom = np.concatenate([second[both], np.where(above[one], first[one], second[one])])
    scale = 1.0 / np.concatenate([se[both], se[one]])
    b = centred.shape[1]
    largest = np.full(b, -np.inf)
    step = max(1, _CHUNK // b)
    for start in range(0, top.size, step):
        stop = min(start + step, top.size)
        t = centred[top[start:stop]]
        t -= centred[bottom[start:stop]]
        t *= scale[start:stop, None]
        np.maximum(largest, t.max(axis=0), out=largest)
        if start < both.size:  # the two-sided rows lead: their -t counts as well
            np.maximum(largest, -t[: both.size - start].min(axis=0), out=largest)
    return max(0.0, float(np.quantile(largest, confidence_level)))


def near_tied_pairs(
    scores: FloatArray, replicates: FloatArray, threshold: float = 2.0
) -> tuple[int, int]:
    """How many item pairs of one group are within `threshold` standard errors of each other.

    The standard error of each difference is the standard deviation of the replicated
    difference (the same respondents answer both items). Returns ``(near-tied pairs, pairs)``;
    items with a NaN score are left out.
    """
    theta = np.asarray(scores, dtype=np.float64)
    keep = np.flatnonzero(np.isfinite(theta))
    k = keep.size
    if k < 2:
        return 0, 0
    theta, cloud = _validated(theta[keep], np.asarray(replicates)[:, keep], 0.5)
    if cloud.shape[0] < 2:
        return 0, k * (k - 1) // 2
    first, second = np.triu_indices(k, 1)
    centred = np.ascontiguousarray((cloud - theta).T)
    se = _pair_standard_errors(cloud, centred, first, second)
    diff = np.abs(theta[first] - theta[second])
    with np.errstate(divide="ignore", invalid="ignore"):
        near = np.where(se > 0, diff < threshold * se, diff == 0)
    return int(np.count_nonzero(near)), int(first.size)

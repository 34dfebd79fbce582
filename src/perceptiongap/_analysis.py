"""The analysis of one pair of groups on a tally: point estimates, replicates, p-values.

Everything here works on a :class:`~perceptiongap._tally.Tally` and arrays; the result is an
:class:`Analysis` of plain numbers (and the replicates, which contrasts between analyses
reuse). Facts and doubts go to a :class:`~perceptiongap._notes.Findings`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from ._analytic import mean_variances
from ._intervals import acceleration, bootstrap_interval, exceedances
from ._notes import LABELS, Findings
from ._options import CompareOptions
from ._procedures import BOOTSTRAP, analytic_gaps, checked, gap_procedure, scalar_procedure
from ._rank_sets import near_tied_pairs, rank_confidence_sets, rank_correlation_bounds
from ._resampling import Streams, bootstrap, jackknife_scores, permutation
from ._results import Estimate
from ._scalar_intervals import auto_interval
from ._statistics import CONTRASTED
from ._tally import Tally

__all__ = ["Analysis", "Keys", "Replicates", "analyse_pair", "estimates", "interval_estimate"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@attrs.frozen
class Keys:
    """Stream keys of one analysis: each group's bootstrap key and the permutation prefix
    (the permutation stream appends the two groups to it)."""

    reference: tuple[int, ...]
    comparison: tuple[int, ...]
    permutation: tuple[int, ...]

    @classmethod
    def top(cls, options: CompareOptions) -> Keys:
        ref, comp = options.reference, options.comparison
        return cls((0, ref), (0, comp), (0,))

    @classmethod
    def level(
        cls, options: CompareOptions, segment: int, level: int, whole: int, recording: set[int]
    ) -> Keys:
        """A group that does not record the segment keeps one key (`whole`) for every level,
        so its replicates are shared and level differences are computed per replicate."""
        ref, comp = options.reference, options.comparison
        key_ref = (1 + segment, level if ref in recording else whole, ref)
        key_comp = (1 + segment, level if comp in recording else whole, comp)
        return cls(key_ref, key_comp, (1 + segment, level))


class Replicates:
    """Statistic replicates filled chunk by chunk: item gaps (B, k) and the scalars (B,)."""

    def __init__(self, options: CompareOptions, n_resamples: int, k: int) -> None:
        self.options = options
        self.functions = options.statistics
        self.x = np.empty((n_resamples, k))  # each group's item scores, for the rank sets
        self.y = np.empty((n_resamples, k))
        self.gaps = np.empty((n_resamples, k))
        self.stats = {name: np.empty(n_resamples) for name in self.functions}

    def release(self) -> None:
        """Free what only the analysis's own report needs, once it is assembled.

        Contrasts between analyses read only the gaps and the :data:`CONTRASTED` statistics;
        each group's scores (for the rank sets) and the other statistics are dropped, so an
        analysis waiting for its contrasts keeps ``(k + 2) x B`` numbers, not ``(3k + 8) x B``.
        """
        k = self.gaps.shape[1]
        self.x = self.y = np.empty((0, k))
        self.stats = {name: self.stats[name] for name in CONTRASTED}

    def consume(self, start: int, x: FloatArray, y: FloatArray) -> None:
        stop = start + len(x)
        self.x[start:stop] = x
        self.y[start:stop] = y
        self.gaps[start:stop] = y - x
        with np.errstate(invalid="ignore", divide="ignore"):
            for name, f in self.functions.items():
                self.stats[name][start:stop] = f(x, y)
        self.options.advance(len(x))


class _Exceedances:
    """Permutation counts of ``|gap_b| >= |gap|`` per item, accumulated chunk by chunk.

    The counts are summed as chunks finish (integers: the order never matters), under a lock
    because chunks may finish in worker threads; memory stays ``O(k)`` however many
    permutations are drawn.
    """

    def __init__(self, options: CompareOptions, observed: FloatArray) -> None:
        self.options = options
        self.observed = observed
        self.count: IntArray = np.zeros(len(observed), dtype=np.int64)
        self.total: IntArray = np.zeros(len(observed), dtype=np.int64)
        self.lock = threading.Lock()

    def consume(self, start: int, x: FloatArray, y: FloatArray) -> None:
        count, total = exceedances(y - x, self.observed)
        with self.lock:
            self.count += count
            self.total += total
        self.options.advance(len(x))

    def p_values(self) -> FloatArray:
        p: FloatArray = (1.0 + self.count) / (1.0 + self.total)
        return np.where(np.isnan(self.observed), np.nan, p)


@attrs.frozen
class Analysis:
    """The numbers of one comparison, before they become report objects."""

    x: FloatArray
    y: FloatArray
    gaps: list[Estimate]
    statistics: dict[str, Estimate]
    p_values: FloatArray
    n_permutations: int
    replicates: Replicates | None = attrs.field(default=None, eq=False)
    gap_variances: FloatArray | None = attrs.field(default=None, eq=False)

    @property
    def mean_squared_gap(self) -> float:
        """The bias-corrected mean squared gap ``mean_j (g_j^2 - v_j)``.

        ``E[g_j^2] = delta_j^2 + Var(g_j)``, so subtracting the estimated variance ``v_j``
        leaves an estimate whose expectation, the mean squared true gap, does not depend on
        the group sizes: unlike the mean absolute gap, whose upward bias shrinks as groups
        grow, it ranks segment levels and perspectives fairly.
        """
        if self.gap_variances is None:
            return float("nan")
        gaps = self.y - self.x
        with np.errstate(invalid="ignore"):
            return float(np.mean(gaps * gaps - self.gap_variances))

    def rank_sets(self, confidence_level: float) -> tuple[RankSets, RankSets] | None:
        """Simultaneous confidence sets for the ranks of all items in each group."""
        if self.replicates is None:
            return None
        reps = self.replicates
        return (
            rank_sets(self.x, reps.x, confidence_level),
            rank_sets(self.y, reps.y, confidence_level),
        )


RankSets = list[tuple[int, int] | None]


def rank_sets(scores: FloatArray, replicates: FloatArray, confidence_level: float) -> RankSets:
    """Rank confidence sets of one group's answered items (None for an unanswered item)."""
    answered = np.flatnonzero(~np.isnan(scores))
    sets: RankSets = [None] * len(scores)
    if answered.size:
        low, high = rank_confidence_sets(
            scores[answered], replicates[:, answered], confidence_level
        )
        for position, j in enumerate(answered):
            sets[j] = (int(low[position]), int(high[position]))
    return sets


def point_statistics(options: CompareOptions, x: FloatArray, y: FloatArray) -> dict[str, float]:
    """Every scalar statistic of the two score profiles."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return {name: float(f(x, y)) for name, f in options.statistics.items()}


def note_undefined(
    findings: Findings, x: FloatArray, y: FloatArray, groups: tuple[str, str], items: Sequence[str]
) -> None:
    """Doubts about unanswered items and constant profiles."""
    for scores, group in zip((x, y), groups, strict=True):
        missing = [items[int(j)] for j in np.flatnonzero(np.isnan(scores))]
        if missing:
            findings.unanswered(group, missing)
    if np.isnan(x).any() or np.isnan(y).any():
        return
    for scores, group in zip((x, y), groups, strict=True):
        if np.ptp(scores) == 0:
            findings.constant_profile(group)


def interval_estimate(
    point: float, replicates: FloatArray, method: str, confidence_level: float, accel: float | None
) -> tuple[Estimate, int]:
    """One bootstrap Estimate; `accel` None means BCa's acceleration was set to 0 ("BC").

    Returns the estimate and the number of replicates in which the statistic was undefined.
    """
    interval = bootstrap_interval(replicates, point, method, confidence_level, accel or 0.0)
    used = interval.method or ("BC" if method == "BCa" and accel is None else method)
    if math.isnan(interval.low) and math.isnan(interval.high):
        used = "none"
    estimate = Estimate(point, interval.low, interval.high, interval.standard_error, used)
    return estimate, interval.n_undefined


def estimates(
    options: CompareOptions,
    point_gaps: FloatArray,
    point: dict[str, float],
    replicates: Replicates,
    accelerations: dict[str, float | None],
    gap_accelerations: Sequence[float | None],
    findings: Findings,
    items: Sequence[str],
    analytic: list[Estimate] | None,
    gap_variances: FloatArray,
    sizes: tuple[int, int],
    point_scores: tuple[FloatArray, FloatArray],
) -> tuple[list[Estimate], dict[str, Estimate]]:
    """Turn replicates (or the closed-form item gaps) into checked Estimates, with doubts
    about undefined replicates and degenerate intervals."""
    b = replicates.gaps.shape[0]
    level = options.confidence_level
    gap_method = gap_procedure(options.method, options.binary, options.weighted)
    gaps = analytic
    if gaps is None:
        gaps, undefined_items = [], 0
        for j, accel in enumerate(gap_accelerations):
            estimate, undefined = interval_estimate(
                float(point_gaps[j]), replicates.gaps[:, j], gap_method, level, accel
            )
            undefined_items = max(undefined_items, undefined)
            gaps.append(estimate)
        if undefined_items and not np.isnan(point_gaps).all():
            findings.undefined_item_replicates(undefined_items, b)
    problems: dict[str, list[str]] = {}
    for j, estimate in enumerate(gaps):
        gaps[j], problem = checked("gap", estimate, options.span)
        if problem:
            problems.setdefault(problem, []).append(items[j])
    for problem, where in problems.items():
        findings.degenerate_interval(f"the gap of item(s) {', '.join(map(repr, where))}", problem)
    statistics = {}
    rank_bounds: dict[str, tuple[float, float]] = {}
    if "rank-projection" in {scalar_procedure(options.method, n) for n in replicates.stats}:
        rho, tau = rank_correlation_bounds(
            point_scores[0], replicates.x, point_scores[1], replicates.y, level
        )
        rank_bounds = {"spearman": rho, "kendall": tau}
    for name, values in replicates.stats.items():
        method = scalar_procedure(options.method, name)
        if method in BOOTSTRAP:
            estimate, undefined = interval_estimate(
                point[name], values, method, level, accelerations[name]
            )
        else:
            low, high, se = auto_interval(
                name, point[name], values, level, x=replicates.x, y=replicates.y,
                gaps=point_gaps, gap_replicates=replicates.gaps, gap_variances=gap_variances,
                sizes=sizes, rank_bounds=rank_bounds,
            )  # fmt: skip
            defined = not (math.isnan(low) or math.isnan(high) or math.isnan(point[name]))
            estimate = Estimate(point[name], low, high, se, method if defined else "none")
            undefined = int(np.count_nonzero(np.isnan(values)))
        if undefined and not np.isnan(point[name]):
            findings.undefined_replicates(name, undefined, b)
        statistics[name], problem = checked(name, estimate, options.span)
        if problem:
            findings.degenerate_interval(LABELS[name], problem)
    _near_ties(statistics, point_scores, replicates, findings)
    fallbacks = [
        n
        for n, e in statistics.items()
        if e.method == "percentile" and scalar_procedure(options.method, n) == "BCa"
    ]
    if fallbacks or any(g.method == "percentile" and gap_method == "BCa" for g in gaps):
        findings.bca_fallback(fallbacks)
    return gaps, statistics


#: Share of item pairs (over both groups) within two standard errors of each other above which
#: the rank correlations are flagged: most orderings are then unsettled, the projected
#: intervals wide and the point estimates of little meaning. (In the coverage simulation no
#: bootstrap interval covered with 85% of the pairs near-tied; the cut-off lies between that
#: and the 36% where the percentile-basic hull still covered.)
NEAR_TIE_SHARE = 0.6


def _near_ties(
    statistics: dict[str, Estimate],
    scores: tuple[FloatArray, FloatArray],
    replicates: Replicates,
    findings: Findings,
) -> None:
    """Flag the rank correlations when many items are near-tied within a group."""
    near = total = 0
    for group_scores, group_replicates in zip(scores, (replicates.x, replicates.y), strict=True):
        count, pairs = near_tied_pairs(group_scores, group_replicates)
        near, total = near + count, total + pairs
    if total and near > NEAR_TIE_SHARE * total:
        for name in ("spearman", "kendall"):
            estimate = statistics[name]
            if not math.isnan(estimate.low) and not math.isnan(estimate.value):
                statistics[name] = attrs.evolve(
                    estimate, flags=(*estimate.flags, "near-tied items")
                )
        findings.near_ties(near, total)


def no_intervals(
    point_gaps: FloatArray, point: dict[str, float]
) -> tuple[list[Estimate], dict[str, Estimate]]:
    """Point estimates without intervals (method "none")."""
    return [Estimate(g) for g in point_gaps], {name: Estimate(v) for name, v in point.items()}


def _accelerations(
    options: CompareOptions,
    tally: Tally,
    x: FloatArray,
    y: FloatArray,
    findings: Findings,
    items: Sequence[str],
    names: tuple[str, str],
    gaps_too: bool,
) -> tuple[dict[str, float | None], list[float | None]]:
    """BCa accelerations of every statistic (and item gap, if `gaps_too`) from the two groups'
    jackknives; None where the jackknife is flat or undefined (BCa then uses a = 0: "BC")."""
    ref, comp = options.reference, options.comparison
    xj, cx = jackknife_scores(tally, ref)
    yj, cy = jackknife_scores(tally, comp)
    small = [name for name, counts in zip(names, (cx, cy), strict=True) if counts.sum() < 2]
    if small:
        findings.tiny_group(small[0])
        return dict.fromkeys(options.statistics), [None] * len(x)
    accelerations: dict[str, float | None] = dict.fromkeys(options.statistics, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, f in options.statistics.items():
            if scalar_procedure(options.method, name) != "BCa":
                continue  # only BCa needs the acceleration
            a = acceleration([(f(xj, y[np.newaxis]), cx), (f(x[np.newaxis], yj), cy)])
            accelerations[name] = None if np.isnan(a) else a
    gap_accel: list[float | None] = [0.0] * len(x)
    for j in range(len(x) if gaps_too else 0):
        a = acceleration([(y[j] - xj[:, j], cx), (yj[:, j] - x[j], cy)])
        gap_accel[j] = None if np.isnan(a) else a
    why = "its jackknife is flat or undefined (leaving out one respondent never changes it)"
    uses_bca = [n for n in accelerations if scalar_procedure(options.method, n) == "BCa"]
    findings.bc_interval([n for n in uses_bca if accelerations[n] is None], why)
    findings.bc_items([items[j] for j, a in enumerate(gap_accel) if a is None], why)
    return accelerations, gap_accel


def _resolution(options: CompareOptions, n_permutations: int, k: int, findings: Findings) -> None:
    """Doubt when too few permutations make every verdict "aligned" by construction."""
    smallest = 1.0 / (1.0 + n_permutations)
    if options.p_adjust != "none":
        smallest = min(1.0, k * smallest)  # Holm and BH adjust the smallest p-value by k
    alpha = 1.0 - options.confidence_level
    if smallest >= alpha:
        needed = math.ceil((k if options.p_adjust != "none" else 1) / alpha)
        findings.resolution(n_permutations, k, smallest, alpha, needed)


def analyse_pair(
    options: CompareOptions,
    tally: Tally,
    keys: Keys,
    findings: Findings,
    groups: tuple[str, ...],
    items: Sequence[str],
) -> Analysis:
    """Point estimates, bootstrap intervals and permutation p-values of one pair of groups."""
    ref, comp = options.reference, options.comparison
    names = (groups[ref], groups[comp])
    x, y = tally.scores(ref), tally.scores(comp)
    point_gaps = y - x
    point = point_statistics(options, x, y)
    note_undefined(findings, x, y, names, items)
    sizes = tally.sizes
    empty = [groups[i] for i in (ref, comp) if sizes[i] == 0]
    if empty:
        findings.empty_group(empty[0])
    streams = Streams(options.entropy)
    moments = mean_variances(tally, ref), mean_variances(tally, comp)
    kept: Replicates | None = None
    if options.n_resamples and not empty:
        kept = Replicates(options, options.n_resamples, len(x))
        bootstrap(
            tally, (ref, comp), options.n_resamples, streams, (keys.reference, keys.comparison),
            kept.consume, options.plan,
        )  # fmt: skip
        gap_method = gap_procedure(options.method, options.binary, options.weighted)
        analytic = None
        if gap_method in ("newcombe", "welch"):
            analytic = analytic_gaps(
                gap_method, moments[0], moments[1],
                options.confidence_level,
            )  # fmt: skip
        accelerations: dict[str, float | None] = dict.fromkeys(point, 0.0)
        gap_accelerations: list[float | None] = [0.0] * len(x)
        if gap_method == "BCa" or "BCa" in {scalar_procedure(options.method, n) for n in point}:
            accelerations, gap_accelerations = _accelerations(
                options, tally, x, y, findings, items, names, gap_method == "BCa"
            )
        gaps, statistics = estimates(
            options, point_gaps, point, kept, accelerations, gap_accelerations, findings, items,
            analytic, moments[0][1] + moments[1][1], (int(sizes[ref]), int(sizes[comp])),
            (x, y),
        )  # fmt: skip
    else:
        gaps, statistics = no_intervals(point_gaps, point)
    n_perm = options.n_permutations if not empty else 0
    if n_perm:
        _resolution(options, n_perm, len(point_gaps), findings)
        counter = _Exceedances(options, point_gaps)
        permutation(
            tally, (ref, comp), n_perm, streams, keys.permutation, counter.consume, options.plan
        )
        p_values = counter.p_values()
    else:
        p_values = np.full(len(point_gaps), np.nan)
        if not empty:
            findings.no_test()
    return Analysis(x, y, gaps, statistics, p_values, n_perm, kept, moments[0][1] + moments[1][1])

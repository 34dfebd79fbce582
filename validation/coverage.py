"""How well do perceptiongap's confidence intervals cover? A seeded simulation study.

Usage::

    python validation/coverage.py                        # the full grid: 500 reps, 1,000 resamples
    python validation/coverage.py --smoke                # 2 small scenarios, 20 reps, 200 resamples
    python validation/coverage.py --scenarios 'binary_rare_*' --methods BCa percentile
    python validation/coverage.py --markdown cov.md --csv cov.csv --rst cov.rst
    python validation/coverage.py --list                 # the scenarios and their designs

For every scenario of the grid below, the study draws ``--reps`` samples from a population whose
item means are known, runs :func:`perceptiongap.compare` on each sample once per interval
method (``--methods``), and counts how often each interval contains the population value of its
statistic. It prints, per scenario x statistic x method, the coverage with its Monte Carlo
standard error (MCSE), the share of undefined (NaN) intervals, the mean width, the share of
intervals that exclude their own point estimate or reach outside the statistic's range, and the
procedures the estimates report (``Estimate.method``: "BCa", "BC", ...); then, per statistic x
method, the lowest and highest coverage over the scenarios.

Populations
-----------
Each group's respondents answer k = 12 items. Answers are correlated within a respondent through
a Gaussian copula: latent normals with an exchangeable correlation ``rho`` (0.3 unless stated)
are thresholded.

* Binary items: answer ``1{Z_j < Phi^-1(p_j)}``, so the population mean of item j is exactly
  ``p_j``.
* Likert 1-5 items: answer ``1 + #{c : Z_j + mu_j > c}`` with cut points c = -1.5, -0.5, 0.5,
  1.5, so the population mean is exactly ``1 + sum_c Phi(mu_j - c)``; ``mu_j`` is solved so
  that this equals the scenario's mean (to 1e-12) and the closed form gives the truth.
* Weighted (binary): each group is a population of two strata holding 30% and 70% of it, with
  different item probabilities (``p_A = p + d``, ``p_B = p - 3/7 d``). The survey over-samples
  stratum A: each respondent comes from A or B with probability 1/2, and carries the weight
  ``population share / sample share`` (0.6 or 1.4). The truth is the stratified population mean
  ``0.3 p_A + 0.7 p_B`` (= p).
* Missing answers (one scenario): each answer is missing completely at random with probability
  0.1, which leaves the population means unchanged.

The true statistics are the library's own statistic functions
(:mod:`perceptiongap._statistics`) applied to the population means: the item gaps
``y - x`` (comparison minus reference), mean gap, mean absolute gap, Spearman, Kendall's tau-b,
d2, elevation, scatter and shape; true ranks are the average ranks of the population means.

The grid
--------
Reference + comparison group sizes, 12 items each::

    binary_distinct_25_25     25+25    binary, means 0.12-0.82 spread apart, gaps -0.16..+0.09
    binary_distinct_1056_351  1056+351 the same at the size of the IBM 2011 study
    binary_close_40_25        40+25    binary, five items of each group within 0.02 of each other
    binary_close_300_100      300+100  the same
    binary_close_2000_1500    2000+1500 the same, large
    binary_rare_25_25         25+25    distinct means plus two rare items (p = 0.03 and 0.05 in
                                       both groups, true gaps -0.02 and +0.02)
    binary_rare_300_100       300+100  the same
    binary_rare_1056_351      1056+351 the same
    binary_zero_gaps_300_100  300+100  six of twelve true item gaps exactly 0, the others +-0.10
    likert_distinct_25_25     25+25    Likert 1-5, means 1.8-4.2, gaps -0.3..+0.3
    likert_distinct_1056_351  1056+351 the same with a stronger within-respondent rho = 0.5
    likert_close_100_60       100+60   Likert, five items of each group within 0.02
    likert_zero_gaps_40_25    40+25    Likert, six true gaps of exactly 0
    likert_missing_300_100    300+100  likert_distinct with 10% of answers missing at random
    identical_binary_100_60   100+60   both groups share one population (x = y): every gap,
                                       d2, elevation, scatter and shape are 0, rho and tau 1
    identical_likert_300_100  300+100  the same on a Likert scale
    weighted_binary_100_60    100+60   stratified populations, weighted sample (see above)
    weighted_binary_1056_351  1056+351 the same

What is measured
----------------
For R replications and one statistic, with the NaN intervals set aside:

* coverage = share of the defined intervals with ``low <= truth <= high`` (bounds within
  1e-9 relative of the truth count as inside, so that rounding does not decide);
  MCSE = ``sqrt(c (1 - c) / n_defined)``;
* NaN % = share of intervals with NaN bounds (not counted as misses);
* width = mean of ``high - low`` over the defined intervals;
* excl. est. % = share of defined intervals that exclude their own point estimate;
  off-range % = share whose bounds reach outside the statistic's possible values (say a
  negative lower bound for d2, or a Spearman bound above 1).

Item gaps are reported twice per scenario: ``gap (avg)`` is the coverage averaged over the 12
items (its MCSE from the replication-to-replication spread of the per-replication share of
items covered), ``gap (worst)`` the single item with the lowest coverage (its MCSE binomial;
being the minimum of 12, it is biased low by selection). When the report has simultaneous
rank confidence sets (``ItemGap.reference_rank_ci`` and ``comparison_rank_ci``, detected with
``getattr``), ``rank (reference)`` and ``rank (comparison)`` count a replication as covered
when every item's true rank lies in its set; their width is the mean set length.

In the summary, "off boundary" leaves out the scenarios whose truth lies on the edge of the
statistic's range (d2 = 0, Spearman = 1, ...), where percentile-type intervals cannot cover.

Randomness
----------
Replication r of a scenario draws its data and its bootstrap seed from
``SeedSequence(seed, spawn_key=(crc32(scenario name), r))``: results depend neither on
``--workers`` nor on which other scenarios run, and every method sees the same samples and the
same bootstrap stream (common random numbers, so differences between methods are not noise).

Adding a method
---------------
Pass its name: ``--methods BCa my_method``. Every name is first tried once on a tiny data
set; an unknown name is an error, except "auto", which the default list includes only when
:func:`perceptiongap.compare` accepts it (a note says when it was skipped). Nothing else needs
to change: the study reads the intervals and the ``Estimate.method`` strings from the report.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import fnmatch
import functools
import io
import math
import sys
import time
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

import perceptiongap as pg
from perceptiongap import _statistics as stats

FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

BASE_METHODS = ("percentile", "basic", "BCa")
CONFIDENCE_LEVEL = 0.95
DEFAULT_REPS = 500
DEFAULT_RESAMPLES = 1_000
DEFAULT_SEED = 20_260_601
SMOKE = ("binary_distinct_25_25", "likert_zero_gaps_40_25")
SMOKE_REPS = 20
SMOKE_RESAMPLES = 200
CHUNK = 10  # replications per task handed to a worker
GROUPS = ("customer", "business")
LIKERT_CUTS = np.array([-1.5, -0.5, 0.5, 1.5])
STRATUM_SHARE = 0.3  # population share of the over-sampled stratum A
SAMPLE_SHARE = 0.5  # its share of the sample
TOLERANCE = 1e-9  # relative: bounds this close to a value count as reaching it

#: Scalar statistics in report order, with the report attribute path of each.
SCALARS: dict[str, tuple[str, ...]] = {
    "mean_gap": ("mean_gap",),
    "mean_absolute_gap": ("mean_absolute_gap",),
    "spearman": ("spearman",),
    "kendall": ("kendall",),
    "d2": ("profile", "d2"),
    "elevation": ("profile", "elevation"),
    "scatter": ("profile", "scatter"),
    "shape": ("profile", "shape"),
}
RANK_GROUPS = ("reference", "comparison")
#: Every row label of a scenario table, in order (rank rows only when the sets exist).
STATISTICS = ("gap_avg", "gap_worst", *SCALARS, "rank_reference", "rank_comparison")
LABELS = {
    "gap_avg": "gap (avg)",
    "gap_worst": "gap (worst)",
    "rank_reference": "rank (reference)",
    "rank_comparison": "rank (comparison)",
}


# --- populations -------------------------------------------------------------------------------


def likert_mean(mu: FloatArray | float) -> FloatArray:
    """Exact population mean of ``1 + #{c: Z + mu > c}``, Z standard normal."""
    mu = np.asarray(mu, dtype=np.float64)
    return np.asarray(1.0 + ndtr(mu[..., np.newaxis] - LIKERT_CUTS).sum(axis=-1))


@functools.cache
def likert_location(mean: float) -> float:
    """The latent location whose Likert 1-5 population mean is `mean`."""
    root = brentq(lambda mu: float(likert_mean(mu)) - mean, -12.0, 12.0, xtol=1e-14)
    return float(root)


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A population pair to sample from, and the design facts the tables show."""

    name: str
    description: str
    scale: str  # "binary" or "likert"
    sizes: tuple[int, int]
    reference: tuple[float, ...]  # population item means, reference group (x)
    comparison: tuple[float, ...]  # population item means, comparison group (y)
    rho: float = 0.3
    missing: float = 0.0
    # Weighted designs: stratum A's item probabilities minus the population's, per group.
    offsets: tuple[tuple[float, ...], tuple[float, ...]] | None = None

    def __post_init__(self) -> None:
        k = len(self.reference)
        if len(self.comparison) != k or (self.offsets and any(len(d) != k for d in self.offsets)):
            raise ValueError(f"{self.name}: every profile needs {k} items")
        if self.scale == "binary":
            profiles = self.strata() if self.offsets else [self.means()]
            if not all(((p > 0) & (p < 1)).all() for pair in profiles for p in pair):
                raise ValueError(f"{self.name}: binary probabilities must lie in (0, 1)")

    @property
    def k(self) -> int:
        return len(self.reference)

    @property
    def questionnaire(self) -> pg.Questionnaire:
        scale = pg.Binary() if self.scale == "binary" else pg.Likert(1, 5)
        items = [f"i{j + 1:02d}" for j in range(self.k)]
        return pg.Questionnaire(items=items, scale=scale, groups=GROUPS)

    @property
    def span(self) -> float:
        """Highest minus lowest possible answer."""
        return 1.0 if self.scale == "binary" else 4.0

    def means(self) -> tuple[FloatArray, FloatArray]:
        """Population item means (x, y) as the generating model defines them."""
        x, y = np.array(self.reference), np.array(self.comparison)
        if self.scale == "likert":
            x = likert_mean(np.array([likert_location(m) for m in x]))
            y = likert_mean(np.array([likert_location(m) for m in y]))
        if self.offsets:
            (ax, bx), (ay, by) = self.strata()
            x = STRATUM_SHARE * ax + (1 - STRATUM_SHARE) * bx
            y = STRATUM_SHARE * ay + (1 - STRATUM_SHARE) * by
        return x, y

    def strata(self) -> list[tuple[FloatArray, FloatArray]]:
        """Per group, the item probabilities of strata A and B (weighted designs)."""
        if self.offsets is None:
            raise ValueError(f"{self.name} has no strata")
        out = []
        for base, d in zip((self.reference, self.comparison), self.offsets, strict=True):
            p, dd = np.array(base), np.array(d)
            out.append((p + dd, p - STRATUM_SHARE / (1 - STRATUM_SHARE) * dd))
        return out

    def sample(self, rng: np.random.Generator) -> pg.ResponseSet:
        """One survey: both groups' answers (and weights in weighted designs)."""
        blocks, weights = [], []
        strata = self.strata() if self.offsets else None
        for g, n in enumerate(self.sizes):
            common = rng.standard_normal((n, 1))
            z = math.sqrt(self.rho) * common + math.sqrt(1 - self.rho) * rng.standard_normal(
                (n, self.k)
            )
            if self.scale == "binary":
                if strata is None:
                    p = np.array((self.reference, self.comparison)[g])[np.newaxis]
                    weights.append(np.ones(n))
                else:
                    in_a = rng.random(n) < SAMPLE_SHARE
                    p = np.where(in_a[:, np.newaxis], strata[g][0], strata[g][1])
                    w_a = STRATUM_SHARE / SAMPLE_SHARE
                    weights.append(np.where(in_a, w_a, (1 - STRATUM_SHARE) / (1 - SAMPLE_SHARE)))
                values = (z < ndtri(p)).astype(np.float64)
            else:
                mu = np.array([likert_location(m) for m in (self.reference, self.comparison)[g]])
                latent = z + mu
                values = 1.0 + (latent[..., np.newaxis] > LIKERT_CUTS).sum(axis=-1)
                weights.append(np.ones(n))
            if self.missing:
                values[rng.random(values.shape) < self.missing] = np.nan
            blocks.append(values)
        groups = np.repeat(np.array(GROUPS), self.sizes)
        w = np.concatenate(weights) if strata is not None else None
        return pg.ResponseSet.from_arrays(self.questionnaire, np.vstack(blocks), groups, weights=w)

    def truth(self) -> Truth:
        """The population values of every statistic."""
        x, y = self.means()
        scalars = {name: float(stats.STATISTICS[name](x, y)) for name in SCALARS}
        ranks = np.stack([stats.average_ranks(x), stats.average_ranks(y)])
        return Truth(gaps=y - x, scalars=scalars, ranks=ranks)

    def ranges(self) -> dict[str, tuple[float, float]]:
        """The possible values of each statistic (for the off-range count)."""
        s, k = self.span, float(self.k)
        return {
            "gap": (-s, s),
            "mean_gap": (-s, s),
            "mean_absolute_gap": (0.0, s),
            "spearman": (-1.0, 1.0),
            "kendall": (-1.0, 1.0),
            "d2": (0.0, k * s * s),
            "elevation": (0.0, k * s * s),
            "scatter": (0.0, k * s * s / 4.0),  # population SDs are at most s / 2
            "shape": (0.0, k * s * s),
            "rank": (1.0, k),
        }


@dataclasses.dataclass(frozen=True)
class Truth:
    """Population values: item gaps (k,), scalar statistics, true ranks (2, k)."""

    gaps: FloatArray
    scalars: dict[str, float]
    ranks: FloatArray

    def shifted(self, by: float) -> Truth:
        """A deliberately wrong truth (every value plus `by`): a check of the study itself."""
        scalars = {name: value + by for name, value in self.scalars.items()}
        return Truth(self.gaps + by, scalars, self.ranks + by)


# Item means of the designs (x: reference, y: comparison).
X_DISTINCT = (0.82, 0.75, 0.68, 0.62, 0.55, 0.49, 0.43, 0.37, 0.30, 0.24, 0.18, 0.12)
Y_DISTINCT = (0.70, 0.80, 0.52, 0.66, 0.40, 0.58, 0.35, 0.45, 0.20, 0.33, 0.25, 0.10)
X_CLOSE = (0.60, 0.61, 0.62, 0.605, 0.615, 0.45, 0.44, 0.30, 0.25, 0.20, 0.15, 0.10)
Y_CLOSE = (0.55, 0.56, 0.565, 0.57, 0.555, 0.50, 0.40, 0.35, 0.22, 0.21, 0.12, 0.08)
X_RARE = (*X_DISTINCT[:10], 0.05, 0.03)
Y_RARE = (*Y_DISTINCT[:10], 0.03, 0.05)
Y_ZERO = (0.82, 0.85, 0.68, 0.52, 0.55, 0.59, 0.43, 0.27, 0.30, 0.34, 0.18, 0.22)
X_LIKERT = (4.2, 3.9, 3.7, 3.5, 3.3, 3.1, 2.9, 2.7, 2.5, 2.3, 2.1, 1.8)
Y_LIKERT = (3.9, 4.1, 3.4, 3.6, 3.0, 3.3, 3.1, 2.5, 2.6, 2.0, 2.4, 1.9)
X_LIKERT_CLOSE = (3.50, 3.51, 3.52, 3.505, 3.515, 3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0)
Y_LIKERT_CLOSE = (3.40, 3.41, 3.415, 3.42, 3.405, 3.3, 2.8, 2.9, 2.5, 2.45, 2.1, 2.05)
Y_LIKERT_ZERO = (4.2, 4.15, 3.7, 3.25, 3.3, 3.35, 2.9, 2.45, 2.5, 2.55, 2.1, 1.45)
OFFSETS = (
    tuple(0.08 * (-1) ** j for j in range(12)),
    tuple(0.06 * (-1) ** (j // 2) for j in range(12)),
)


def _grid() -> dict[str, Scenario]:
    b, lk = "binary", "likert"
    distinct = "distinct means 0.12-0.82, gaps -0.16..+0.09"
    close = "five items per group within 0.02 of each other"
    rare = "distinct means plus two rare items (p 0.03/0.05, gaps -+0.02)"
    zero = "six true gaps exactly 0, the others +-0.10"
    likert = "means 1.8-4.2, gaps -0.3..+0.3"
    weighted = "two strata (30%/70%), stratum A over-sampled to 50%, weights 0.6/1.4"
    scenarios = [
        Scenario("binary_distinct_25_25", distinct, b, (25, 25), X_DISTINCT, Y_DISTINCT),
        Scenario("binary_distinct_1056_351", distinct, b, (1056, 351), X_DISTINCT, Y_DISTINCT),
        Scenario("binary_close_40_25", close, b, (40, 25), X_CLOSE, Y_CLOSE),
        Scenario("binary_close_300_100", close, b, (300, 100), X_CLOSE, Y_CLOSE),
        Scenario("binary_close_2000_1500", close, b, (2000, 1500), X_CLOSE, Y_CLOSE),
        Scenario("binary_rare_25_25", rare, b, (25, 25), X_RARE, Y_RARE),
        Scenario("binary_rare_300_100", rare, b, (300, 100), X_RARE, Y_RARE),
        Scenario("binary_rare_1056_351", rare, b, (1056, 351), X_RARE, Y_RARE),
        Scenario("binary_zero_gaps_300_100", zero, b, (300, 100), X_DISTINCT, Y_ZERO),
        Scenario("likert_distinct_25_25", likert, lk, (25, 25), X_LIKERT, Y_LIKERT),
        Scenario(
            "likert_distinct_1056_351",
            likert + ", rho 0.5",
            lk,
            (1056, 351),
            X_LIKERT,
            Y_LIKERT,
            rho=0.5,
        ),
        Scenario("likert_close_100_60", close, lk, (100, 60), X_LIKERT_CLOSE, Y_LIKERT_CLOSE),
        Scenario(
            "likert_zero_gaps_40_25",
            "six true gaps exactly 0, the others +-0.25/0.35",
            lk,
            (40, 25),
            X_LIKERT,
            Y_LIKERT_ZERO,
        ),
        Scenario(
            "likert_missing_300_100",
            likert + ", 10% of answers missing at random",
            lk,
            (300, 100),
            X_LIKERT,
            Y_LIKERT,
            missing=0.1,
        ),
        Scenario(
            "identical_binary_100_60",
            "x = y (distinct binary means)",
            b,
            (100, 60),
            X_DISTINCT,
            X_DISTINCT,
        ),
        Scenario(
            "identical_likert_300_100",
            "x = y (Likert means 1.8-4.2)",
            lk,
            (300, 100),
            X_LIKERT,
            X_LIKERT,
        ),
        Scenario(
            "weighted_binary_100_60",
            weighted,
            b,
            (100, 60),
            X_DISTINCT,
            Y_DISTINCT,
            offsets=OFFSETS,
        ),
        Scenario(
            "weighted_binary_1056_351",
            weighted,
            b,
            (1056, 351),
            X_DISTINCT,
            Y_DISTINCT,
            offsets=OFFSETS,
        ),
    ]
    return {s.name: s for s in scenarios}


#: The scenario grid, by name.
SCENARIOS = _grid()


# --- simulation --------------------------------------------------------------------------------


@dataclasses.dataclass
class Draws:
    """The intervals of R replications of one scenario and method.

    Columns of `low`, `high`, `value` and `reported` are the k item gaps, then the scalars in
    :data:`SCALARS` order. Rank arrays are (R, 2, k) (reference, comparison), or None when the
    report has no rank confidence sets.
    """

    low: FloatArray
    high: FloatArray
    value: FloatArray
    reported: ObjectArray
    rank_low: FloatArray | None = None
    rank_high: FloatArray | None = None
    rank_value: FloatArray | None = None

    @classmethod
    def concatenate(cls, parts: Sequence[Draws]) -> Draws:
        def cat(name: str) -> FloatArray | None:
            arrays = [getattr(p, name) for p in parts]
            return None if any(a is None for a in arrays) else np.concatenate(arrays)

        low, high, value = (cat(n) for n in ("low", "high", "value"))
        reported = np.concatenate([p.reported for p in parts])
        if low is None or high is None or value is None:  # pragma: no cover - never None
            raise ValueError("missing interval arrays")
        return cls(
            low, high, value, reported, cat("rank_low"), cat("rank_high"), cat("rank_value")
        )


def _attribute(obj: object, path: tuple[str, ...]) -> object:
    for name in path:
        obj = getattr(obj, name)
    return obj


def read_report(report: Any) -> tuple[list[tuple[float, float, float, str]], FloatArray | None]:
    """The (low, high, value, method) of every item gap and scalar of a report, and the rank
    confidence sets as an array (3, 2, k) of low, high, estimated rank (None when the report
    has no such attributes; NaN bounds where a set is None)."""
    items = list(report.items)
    estimates = [item.gap for item in items]
    estimates += [_attribute(report, path) for path in SCALARS.values()]
    rows = [(e.low, e.high, e.value, str(e.method)) for e in estimates]
    if not all(hasattr(item, f"{group}_rank_ci") for item in items for group in RANK_GROUPS):
        return rows, None
    # A set the report leaves out (None) is an undefined interval: NaN bounds.
    sets: list[list[Any]] = [
        [getattr(item, f"{group}_rank_ci") or (math.nan, math.nan) for item in items]
        for group in RANK_GROUPS
    ]
    lows = [[s[0] for s in group] for group in sets]
    highs = [[s[-1] for s in group] for group in sets]
    estimated = [[getattr(item, f"{group}_rank") for item in items] for group in RANK_GROUPS]
    return rows, np.array([lows, highs, estimated], dtype=np.float64)


def replication_seeds(scenario: str, seed: int, rep: int) -> tuple[np.random.Generator, int]:
    """The data generator and the bootstrap seed of replication `rep` of a scenario."""
    key = zlib.crc32(scenario.encode())
    data, boot = np.random.SeedSequence(seed, spawn_key=(key, rep)).spawn(2)
    return np.random.default_rng(data), int(boot.generate_state(1, np.uint64)[0] >> 1)


def simulate_chunk(
    scenario: Scenario,
    methods: Sequence[str],
    reps: range,
    resamples: int,
    seed: int,
) -> dict[str, Draws]:
    """Replications `reps` of one scenario, each analysed by every method."""
    rows: dict[str, list[list[tuple[float, float, float, str]]]] = {m: [] for m in methods}
    ranks: dict[str, list[FloatArray | None]] = {m: [] for m in methods}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        for rep in reps:
            rng, boot = replication_seeds(scenario.name, seed, rep)
            responses = scenario.sample(rng)
            for method in methods:
                report = pg.compare(
                    responses,
                    *GROUPS,
                    n_resamples=resamples,
                    n_permutations=0,
                    method=method,
                    rng=boot,
                    confidence_level=CONFIDENCE_LEVEL,
                )
                r, s = read_report(report)
                rows[method].append(r)
                ranks[method].append(s)
    out = {}
    for method in methods:
        table = rows[method]
        numbers = np.array([[row[:3] for row in rep] for rep in table], dtype=np.float64)
        reported = np.array([[row[3] for row in rep] for rep in table], dtype=object)
        draws = Draws(numbers[..., 0], numbers[..., 1], numbers[..., 2], reported)
        sets = ranks[method]
        if sets and all(s is not None for s in sets):
            stacked = np.stack([s for s in sets if s is not None])
            draws.rank_low, draws.rank_high, draws.rank_value = (
                stacked[:, 0],
                stacked[:, 1],
                stacked[:, 2],
            )
        out[method] = draws
    return out


def _simulate_task(args: tuple[Scenario, tuple[str, ...], int, int, int, int]) -> dict[str, Draws]:
    scenario, methods, start, stop, resamples, seed = args
    return simulate_chunk(scenario, methods, range(start, stop), resamples, seed)


def simulate(
    scenarios: Sequence[Scenario],
    methods: Sequence[str],
    *,
    reps: int,
    resamples: int,
    seed: int,
    workers: int = 2,
    progress: Callable[[int, int], object] | None = None,
) -> dict[tuple[str, str], Draws]:
    """Run every scenario `reps` times under every method: ``{(scenario, method): Draws}``.

    Work is split into chunks of :data:`CHUNK` replications; each replication seeds itself,
    so `workers` (1: no process pool) never changes the results.
    """
    tasks = [
        (s, tuple(methods), start, min(start + CHUNK, reps), resamples, seed)
        for s in scenarios
        for start in range(0, reps, CHUNK)
    ]
    # Big scenarios first, so that the last tasks are short.
    order = sorted(range(len(tasks)), key=lambda i: -sum(tasks[i][0].sizes))
    results: list[dict[str, Draws] | None] = [None] * len(tasks)
    if workers <= 1:
        for done, i in enumerate(order, 1):
            results[i] = _simulate_task(tasks[i])
            if progress:
                progress(done, len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures: dict[Future[dict[str, Draws]], int] = {
                pool.submit(_simulate_task, tasks[i]): i for i in order
            }
            for done, future in enumerate(as_completed(futures), 1):
                results[futures[future]] = future.result()
                if progress:
                    progress(done, len(tasks))
    out = {}
    for s in scenarios:
        for m in methods:
            parts = [r[m] for t, r in zip(tasks, results, strict=True) if t[0] is s and r]
            out[s.name, m] = Draws.concatenate(parts)
    return out


# --- coverage ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a scenario table: one statistic under one method."""

    scenario: str
    statistic: str  # a key of STATISTICS
    method: str
    truth: float  # NaN for "gap (avg)" (one truth per item)
    coverage: float  # percent of defined intervals
    mcse: float  # percent
    nan: float  # percent of intervals undefined
    width: float
    excluded: float  # percent of defined intervals excluding their own estimate
    off_range: float  # percent of defined intervals reaching outside the range
    reported: str  # Estimate.method values and their shares
    n: int  # defined intervals (replications; items x replications for "gap (avg)")
    boundary: bool  # truth on the edge of the statistic's range
    item: str = ""  # the worst item, for "gap (worst)"


def _close(a: FloatArray, b: FloatArray | float) -> npt.NDArray[np.bool_]:
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return np.asarray(np.abs(a - b) <= TOLERANCE * scale)


def _inside(low: FloatArray, high: FloatArray, x: FloatArray | float) -> npt.NDArray[np.bool_]:
    """``low <= x <= high`` with bounds within the tolerance of x counting as inside."""
    with np.errstate(invalid="ignore"):
        return np.asarray(((low <= x) | _close(low, x)) & ((x <= high) | _close(high, x)))


def _outside_range(
    low: FloatArray, high: FloatArray, bounds: tuple[float, float]
) -> npt.NDArray[np.bool_]:
    lo, hi = bounds
    with np.errstate(invalid="ignore"):
        return np.asarray(((low < lo) & ~_close(low, lo)) | ((high > hi) & ~_close(high, hi)))


def _shares(labels: ObjectArray) -> str:
    """'BCa' or 'BCa 97%, BC 3%': the reported procedures and how often."""
    counts = Counter(str(v) for v in labels.ravel())
    total = sum(counts.values())
    if len(counts) == 1:
        return next(iter(counts))
    return ", ".join(f"{m} {_percent_text(100 * c / total)}" for m, c in counts.most_common())


def _percent_text(p: float) -> str:
    text = f"{p:.0f}%"
    return "<1%" if text == "0%" and p > 0 else text


@dataclasses.dataclass(frozen=True)
class Measures:
    """Coverage and the sanity shares of one set of intervals (percentages)."""

    coverage: float  # percent of defined intervals
    mcse: float  # percent
    nan: float  # percent of intervals undefined
    width: float
    excluded: float  # percent of defined intervals excluding their own estimate
    off_range: float  # percent of defined intervals reaching outside the range
    n: int  # defined intervals


def measure(
    covered: npt.NDArray[np.bool_],
    defined: npt.NDArray[np.bool_],
    low: FloatArray,
    high: FloatArray,
    value: FloatArray,
    bounds: tuple[float, float],
) -> Measures:
    """Binomial coverage of intervals (any shape), NaN ones set aside."""
    n = int(defined.sum())
    if not n:
        return Measures(math.nan, math.nan, 100.0, math.nan, math.nan, math.nan, 0)
    c = float(covered[defined].mean())
    lo, hi, val = low[defined], high[defined], value[defined]
    return Measures(
        coverage=100 * c,
        mcse=100 * math.sqrt(c * (1 - c) / n),
        nan=100 * (defined.size - n) / defined.size,
        width=float(np.mean(hi - lo)),
        excluded=100 * float(np.mean(~_inside(lo, hi, val))),
        off_range=100 * float(np.mean(_outside_range(lo, hi, bounds))),
        n=n,
    )


def _on_boundary(truth: float, bounds: tuple[float, float]) -> bool:
    return bool(_close(np.array(truth), bounds[0]) or _close(np.array(truth), bounds[1]))


def coverage_rows(scenario: Scenario, method: str, draws: Draws, truth: Truth) -> list[Row]:
    """Coverage, MCSE, NaN share, width and sanity shares of every statistic."""
    k = scenario.k
    ranges = scenario.ranges()
    defined = ~np.isnan(draws.low) & ~np.isnan(draws.high)
    targets = np.concatenate([truth.gaps, [truth.scalars[name] for name in SCALARS]])
    covered = _inside(draws.low, draws.high, targets) & defined
    low, high, value, reported = draws.low, draws.high, draws.value, draws.reported

    def row(statistic: str, t: float, m: Measures, labels: str, **extra: object) -> Row:
        return Row(
            scenario=scenario.name,
            statistic=statistic,
            method=method,
            truth=t,
            reported=labels,
            **dataclasses.asdict(m),
            **extra,  # type: ignore[arg-type]
        )

    # Item gaps averaged over items: the coverage is the mean over replications of the share
    # of (defined) items covered, and its MCSE the spread of that share.
    g_def, g_cov = defined[:, :k], covered[:, :k]
    pooled = measure(g_cov, g_def, low[:, :k], high[:, :k], value[:, :k], ranges["gap"])
    per_rep = g_def.sum(axis=1)
    shares = g_cov[per_rep > 0].sum(axis=1) / per_rep[per_rep > 0]
    if shares.size:
        mcse = float(shares.std(ddof=1) / math.sqrt(shares.size)) if shares.size > 1 else 0.0
        pooled = dataclasses.replace(pooled, coverage=100 * float(shares.mean()), mcse=100 * mcse)
    rows = [row("gap_avg", math.nan, pooled, _shares(reported[:, :k]), boundary=False)]

    counts = g_def.sum(axis=0)
    item_coverage = np.where(counts > 0, g_cov.sum(axis=0) / np.maximum(counts, 1), np.inf)
    j = int(np.argmin(item_coverage))
    m = measure(g_cov[:, j], g_def[:, j], low[:, j], high[:, j], value[:, j], ranges["gap"])
    item = scenario.questionnaire.items[j].id
    rows.append(
        row(
            "gap_worst",
            float(truth.gaps[j]),
            m,
            _shares(reported[:, j]),
            boundary=False,
            item=item,
        )
    )

    for c, name in enumerate(SCALARS, start=k):
        t = truth.scalars[name]
        m = measure(covered[:, c], defined[:, c], low[:, c], high[:, c], value[:, c], ranges[name])
        boundary = _on_boundary(t, ranges[name])
        rows.append(row(name, t, m, _shares(reported[:, c]), boundary=boundary))

    if draws.rank_low is None or draws.rank_high is None or draws.rank_value is None:
        return rows
    for g, group in enumerate(RANK_GROUPS):
        # One interval per replication: the set of all k items' rank intervals, covered when
        # every true rank is inside (simultaneous coverage), undefined when any bound is NaN.
        lo, hi, est = draws.rank_low[:, g], draws.rank_high[:, g], draws.rank_value[:, g]
        set_defined = np.asarray(~(np.isnan(lo) | np.isnan(hi)).any(axis=1))
        all_in = np.asarray(_inside(lo, hi, truth.ranks[g]).all(axis=1) & set_defined)
        n = int(set_defined.sum())
        m = measure(
            all_in, set_defined, lo.mean(axis=1), hi.mean(axis=1), est.mean(axis=1), ranges["rank"]
        )
        # "excl. est." and "off-range" must look at every item, not at mean bounds.
        own = np.asarray(_inside(lo, hi, est).all(axis=1))
        off = np.asarray(_outside_range(lo, hi, ranges["rank"]).any(axis=1))
        if n:
            m = dataclasses.replace(
                m,
                excluded=100 * float(np.mean(~own[set_defined])),
                off_range=100 * float(np.mean(off[set_defined])),
            )
        rows.append(row(f"rank_{group}", math.nan, m, "-", boundary=False))
    return rows


@dataclasses.dataclass(frozen=True)
class Summary:
    """Per statistic and method: the range of coverage over scenarios."""

    statistic: str
    method: str
    low: float
    low_scenario: str
    high: float
    high_scenario: str
    low_inner: float  # lowest coverage over scenarios whose truth is not on the boundary
    low_inner_scenario: str


def summarise(rows: Sequence[Row]) -> list[Summary]:
    """Lowest and highest coverage of each statistic x method over the scenarios."""
    out = []
    methods = list(dict.fromkeys(r.method for r in rows))
    for statistic in STATISTICS:
        for method in methods:
            group = [
                r
                for r in rows
                if r.statistic == statistic and r.method == method and not math.isnan(r.coverage)
            ]
            if not group:
                continue
            lo = min(group, key=lambda r: r.coverage)
            hi = max(group, key=lambda r: r.coverage)
            inner = [r for r in group if not r.boundary]
            li = min(inner, key=lambda r: r.coverage) if inner else None
            out.append(
                Summary(
                    statistic,
                    method,
                    lo.coverage,
                    lo.scenario,
                    hi.coverage,
                    hi.scenario,
                    li.coverage if li else math.nan,
                    li.scenario if li else "",
                )
            )
    return out


# --- presentation ------------------------------------------------------------------------------


def number(x: float, kind: str) -> str:
    """The one number formatter of every table: percent (1 decimal) or value (4 significant)."""
    if math.isnan(x):
        return "-"
    if kind == "percent":
        return f"{x:.1f}"
    return f"{x:.4g}"


SCENARIO_HEADER = (
    "statistic",
    "method",
    "truth",
    "coverage %",
    "MCSE %",
    "NaN %",
    "mean width",
    "excl. est. %",
    "off-range %",
    "reported",
)
SUMMARY_HEADER = (
    "statistic",
    "method",
    "min coverage %",
    "where",
    "max coverage %",
    "where",
    "min off boundary %",
    "where",
)


def scenario_table(rows: Sequence[Row]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for r in rows:
        label = LABELS.get(r.statistic, r.statistic)
        if r.item:
            label = f"{label}: {r.item}"
        truth = number(r.truth, "value") if r.statistic != "gap_avg" else "(per item)"
        if r.boundary:
            truth += " (edge)"
        out.append(
            (
                label,
                r.method,
                truth,
                number(r.coverage, "percent"),
                number(r.mcse, "percent"),
                number(r.nan, "percent"),
                number(r.width, "value"),
                number(r.excluded, "percent"),
                number(r.off_range, "percent"),
                r.reported,
            )
        )
    return out


def summary_table(summaries: Sequence[Summary]) -> list[tuple[str, ...]]:
    return [
        (
            LABELS.get(s.statistic, s.statistic),
            s.method,
            number(s.low, "percent"),
            s.low_scenario,
            number(s.high, "percent"),
            s.high_scenario,
            number(s.low_inner, "percent"),
            s.low_inner_scenario,
        )
        for s in summaries
    ]


def _numeric(cell: str) -> bool:
    return cell.replace(".", "", 1).replace("-", "", 1).replace("e", "", 1).isdigit()


def text_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Aligned columns; numbers right-aligned."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *body, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(cells, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in body)])


def markdown_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    align = ["---:" if body and _numeric(body[0][i]) else "---" for i in range(len(header))]
    return "\n".join([line(header), "|" + "|".join(align) + "|", *(line(r) for r in body)])


def rst_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """A reStructuredText simple table."""
    cells = [list(header), *(list(r) for r in body)]
    cells = [[c or "-" for c in row] for row in cells]
    widths = [max(len(c) for c in col) for col in zip(*cells, strict=True)]
    rule = " ".join("=" * w for w in widths)

    def line(row: Sequence[str]) -> str:
        return " ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([rule, line(cells[0]), rule, *(line(r) for r in cells[1:]), rule])


def csv_text(rows: Sequence[Row]) -> str:
    """Every row with unrounded numbers."""
    buffer = io.StringIO()
    fields = [f.name for f in dataclasses.fields(Row)]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(dataclasses.asdict(r))
    return buffer.getvalue()


@dataclasses.dataclass(frozen=True)
class Study:
    """What ran and what came out."""

    scenarios: tuple[Scenario, ...]
    methods: tuple[str, ...]
    reps: int
    resamples: int
    seed: int
    seconds: float
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> list[Summary]:
        return summarise(self.rows)

    def heading(self) -> str:
        return (
            f"perceptiongap {pg.__version__} coverage study: "
            f"{len(self.scenarios)} scenarios, {self.reps} replications, {self.resamples} "
            f"resamples, {int(100 * CONFIDENCE_LEVEL)}% intervals, seed {self.seed}, "
            f"methods {', '.join(self.methods)}; {self.seconds / 60:.1f} min"
        )

    def render(
        self,
        table: Callable[[Sequence[str], Sequence[Sequence[str]]], str],
        title: Callable[[str, int], str],
    ) -> str:
        parts = [self.heading(), *self.notes, "", title("Summary over scenarios", 1)]
        parts += [table(SUMMARY_HEADER, summary_table(self.summary)), ""]
        for s in self.scenarios:
            n_ref, n_comp = s.sizes
            rows = [r for r in self.rows if r.scenario == s.name]
            parts.append(title(f"{s.name}: {s.scale}, n = {n_ref} + {n_comp}, {s.description}", 2))
            parts += [table(SCENARIO_HEADER, scenario_table(rows)), ""]
        return "\n".join(parts)

    def text(self) -> str:
        return self.render(text_table, lambda t, level: f"{t}\n{'=-'[level - 1] * len(t)}\n")

    def markdown(self) -> str:
        return self.render(markdown_table, lambda t, level: f"{'#' * (level + 1)} {t}\n")

    def rst(self) -> str:
        def title(t: str, level: int) -> str:
            return f"{t}\n{('~' if level == 1 else '^') * len(t)}\n"

        return self.render(rst_table, title)

    def csv(self) -> str:
        return csv_text(self.rows)


def run(
    scenarios: Sequence[Scenario],
    methods: Sequence[str],
    *,
    reps: int,
    resamples: int,
    seed: int = DEFAULT_SEED,
    workers: int = 2,
    progress: Callable[[int, int], object] | None = None,
    notes: Sequence[str] = (),
) -> Study:
    """Simulate and tabulate: the whole study as a value."""
    start = time.perf_counter()
    draws = simulate(
        scenarios,
        methods,
        reps=reps,
        resamples=resamples,
        seed=seed,
        workers=workers,
        progress=progress,
    )
    rows = []
    for s in scenarios:
        truth = s.truth()
        for m in methods:
            rows += coverage_rows(s, m, draws[s.name, m], truth)
    return Study(
        tuple(scenarios),
        tuple(methods),
        reps,
        resamples,
        seed,
        time.perf_counter() - start,
        tuple(rows),
        tuple(notes),
    )


# --- command line ------------------------------------------------------------------------------


def accepts(method: str) -> bool:
    """Whether :func:`perceptiongap.compare` accepts `method` (tried once on tiny data)."""
    q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(), groups=GROUPS)
    values = [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]
    responses = pg.ResponseSet.from_arrays(q, values, [GROUPS[0]] * 3 + [GROUPS[1]] * 3)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pg.PerceptionGapWarning)
            pg.compare(responses, *GROUPS, n_resamples=20, n_permutations=0, method=method, rng=0)
    except (ValueError, TypeError):
        return False
    return True


def select(patterns: Sequence[str]) -> list[Scenario]:
    """Scenarios by name or shell pattern, in grid order; ValueError naming an unknown one."""
    chosen = set()
    for pattern in patterns:
        found = fnmatch.filter(SCENARIOS, pattern)
        if not found:
            raise ValueError(f"no scenario matches {pattern!r}; see --list")
        chosen.update(found)
    return [s for name, s in SCENARIOS.items() if name in chosen]


def default_methods() -> tuple[list[str], list[str]]:
    """The three bootstrap methods, plus "auto" when compare() accepts it; and notes."""
    if accepts("auto"):
        return [*BASE_METHODS, "auto"], []
    return list(BASE_METHODS), ["note: compare() does not accept method='auto' yet; left out."]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python validation/coverage.py",
        description="Coverage of perceptiongap's confidence intervals in simulated surveys.",
    )
    parser.add_argument("--reps", type=int, help=f"replications (default {DEFAULT_REPS})")
    parser.add_argument(
        "--resamples", type=int, help=f"bootstrap resamples (default {DEFAULT_RESAMPLES})"
    )
    parser.add_argument("--scenarios", nargs="+", metavar="NAME", help="names or patterns")
    parser.add_argument("--methods", nargs="+", metavar="METHOD", help="interval methods")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"{len(SMOKE)} small scenarios, {SMOKE_REPS} reps, {SMOKE_RESAMPLES} resamples",
    )
    parser.add_argument("--markdown", metavar="FILE", help="also write the tables as Markdown")
    parser.add_argument("--csv", metavar="FILE", help="also write every row as CSV")
    parser.add_argument("--rst", metavar="FILE", help="also write reStructuredText tables")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    for name in ("reps", "resamples", "workers"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name} must be at least 1; got {value}")
    if args.reps is None:
        args.reps = SMOKE_REPS if args.smoke else DEFAULT_REPS
    if args.resamples is None:
        args.resamples = SMOKE_RESAMPLES if args.smoke else DEFAULT_RESAMPLES
    try:
        args.chosen = select(args.scenarios or (SMOKE if args.smoke else list(SCENARIOS)))
    except ValueError as error:
        parser.error(str(error))
    args.notes = []
    if args.methods is None:
        args.methods, args.notes = default_methods()
    else:
        rejected = [m for m in args.methods if not accepts(m)]
        if rejected:
            parser.error(f"compare() does not accept method {rejected[0]!r}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.list:
        for s in SCENARIOS.values():
            print(f"{s.name:26} {s.scale:6} {s.sizes[0]:>4}+{s.sizes[1]:<4} {s.description}")
        return 0
    for note in args.notes:
        print(note, file=sys.stderr)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done == total or done % max(1, total // 20) == 0:
            minutes = (time.perf_counter() - started) / 60
            print(f"  {done}/{total} chunks, {minutes:.1f} min", file=sys.stderr, flush=True)

    study = run(
        args.chosen,
        args.methods,
        reps=args.reps,
        resamples=args.resamples,
        seed=args.seed,
        workers=args.workers,
        progress=progress,
        notes=args.notes,
    )
    print(study.text())
    for path, text in (
        (args.markdown, study.markdown),
        (args.csv, study.csv),
        (args.rst, study.rst),
    ):
        if path:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""compare(): validate the options, run the pipeline, assemble the report."""

from __future__ import annotations

import math
import numbers
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from ._intervals import (
    METHODS,
    P_ADJUST,
    acceleration,
    adjust,
    bootstrap_interval,
    exceedances,
)
from ._questionnaire import Binary
from ._report import (
    Estimate,
    GapReport,
    ItemGap,
    LevelDifference,
    LevelSummary,
    ProfileGap,
    SegmentComparison,
)
from ._resampling import Plan, Streams, bootstrap, jackknife_scores, parametric, permutation
from ._responses import ResponseSet
from ._statistics import STATISTICS, WEIGHTED_TIE_RTOL, Statistic, average_ranks, statistics
from ._summary import SummaryTable
from ._tally import Tally, make_tally
from ._version import version
from .errors import (
    DegenerateStatisticWarning,
    EmptyDataError,
    InvalidArgumentError,
    PerceptionGapWarning,
    SummaryDataWarning,
)

__all__ = ["compare", "compare_many"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_LABELS = {
    "spearman": "Spearman rho",
    "kendall": "Kendall tau-b",
    "mean_gap": "the mean gap",
    "mean_absolute_gap": "the mean absolute gap",
    "d2": "d2",
    "elevation": "the elevation term",
    "scatter": "the scatter term",
    "shape": "the shape term",
}


class _Progress:
    """Counts finished replicates and reports ``(done, total)`` to the caller's callback.

    Chunks may finish in worker threads, so the count is kept under a lock; the callback is
    called from whichever thread finished a chunk.
    """

    def __init__(self, callback: Callable[[int, int], object], total: int) -> None:
        self.callback = callback
        self.total = total
        self.done = 0
        self.lock = threading.Lock()

    def advance(self, count: int) -> None:
        with self.lock:
            self.done = min(self.total, self.done + count)
            done = self.done
        self.callback(done, self.total)

    def finish(self) -> None:
        """Account for work that was skipped (empty levels, undefined statistics)."""
        if self.done < self.total:
            self.advance(self.total - self.done)


@attrs.frozen
class _Options:
    """compare()'s arguments, validated and converted."""

    responses: ResponseSet | SummaryTable
    reference: int
    comparison: int
    confidence_level: float
    n_resamples: int
    method: str
    entropy: int
    segments: tuple[str, ...]
    p_adjust: str
    n_permutations: int
    plan: Plan
    min_segment_n: int = 30
    progress: _Progress | None = attrs.field(default=None, eq=False)

    def advance(self, count: int) -> None:
        """Report `count` finished replicates (no-op without a progress callback)."""
        if self.progress is not None:
            self.progress.advance(count)

    @property
    def tie_rtol(self) -> float:
        """Tolerance for ties among item scores: exact unless weighted means were rounded."""
        return WEIGHTED_TIE_RTOL if self.responses.weighted else 0.0

    @property
    def statistics(self) -> dict[str, Statistic]:
        """The scalar statistics, with the right tie tolerance."""
        return statistics(self.tie_rtol)


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidArgumentError(f"`{name}` must be a non-negative integer; got {value!r}.")
    if int(value) < 0:
        raise InvalidArgumentError(f"`{name}` must be a non-negative integer; got {value!r}.")
    return int(value)


def _positive(value: object, name: str) -> int:
    count = _count(value, name)
    if count == 0:
        raise InvalidArgumentError(f"`{name}` must be a positive integer; got {value!r}.")
    return count


def _seed_material(rng: object) -> int:
    """Normalise `rng` once into the integer seed material recorded in the report."""
    if rng is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)
        return entropy
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise InvalidArgumentError(f"`rng` must be a non-negative integer seed; got {rng!r}.")
        return int(rng)
    raise TypeError(
        f"`rng` must be None, a non-negative integer or a numpy.random.Generator; got {rng!r}."
    )


def _compare_iv(
    responses: object,
    reference: object,
    comparison: object,
    confidence_level: object,
    n_resamples: object,
    method: object,
    rng: object,
    segments: object,
    p_adjust: object,
    n_permutations: object,
    batch: object,
    workers: object,
    max_memory: object,
    min_segment_n: object = 30,
) -> _Options:
    """Validate and convert compare()'s arguments, in signature order."""
    if not isinstance(responses, (ResponseSet, SummaryTable)):
        raise TypeError(
            f"`responses` must be a ResponseSet (see ResponseSet.from_csv); got {type(responses).__name__}."
        )
    groups = responses.groups
    for name, value in (("reference", reference), ("comparison", comparison)):
        if value not in groups:
            raise InvalidArgumentError(
                f"`{name}` must be one of the questionnaire's groups "
                + ", ".join(repr(g) for g in groups)
                + f"; got {value!r}."
            )
    if reference == comparison:
        raise InvalidArgumentError(
            f"`reference` and `comparison` must be different groups; both are {reference!r}."
        )
    if (
        isinstance(confidence_level, bool)
        or not isinstance(confidence_level, numbers.Real)
        or not 0 < float(confidence_level) < 1
    ):
        raise InvalidArgumentError(
            f"`confidence_level` must be a number between 0 and 1 (exclusive), such as 0.95; got {confidence_level!r}."
        )
    resamples = _count(n_resamples, "n_resamples")
    if method not in METHODS:
        hint = " (the name is case-sensitive: 'BCa')" if str(method).lower() == "bca" else ""
        raise InvalidArgumentError(
            f"`method` must be one of {', '.join(repr(m) for m in METHODS)}; got {method!r}{hint}."
        )
    entropy = _seed_material(rng)
    if isinstance(segments, str) or not isinstance(segments, Sequence):
        raise InvalidArgumentError(
            f"`segments` must be a sequence of segment names, such as ('generation',); got {segments!r}."
        )
    known = responses.questionnaire.segments
    for name in segments:
        if name not in known:
            raise InvalidArgumentError(
                f"`segments` names {name!r}; the questionnaire's segments are "
                + (", ".join(repr(s) for s in known) or "none")
                + "."
            )
    if segments and responses.is_summary:
        raise InvalidArgumentError("`segments` needs respondent-level data, not a summary table.")
    if p_adjust not in P_ADJUST:
        raise InvalidArgumentError(
            f"`p_adjust` must be one of {', '.join(repr(m) for m in P_ADJUST)}; got {p_adjust!r}."
        )
    permutations = (
        resamples if n_permutations is None else _count(n_permutations, "n_permutations")
    )
    return _Options(
        responses=responses,
        reference=groups.index(str(reference)),
        comparison=groups.index(str(comparison)),
        confidence_level=float(confidence_level),
        n_resamples=resamples,
        method=str(method),
        entropy=entropy,
        segments=tuple(dict.fromkeys(segments)),
        p_adjust=str(p_adjust),
        n_permutations=permutations,
        plan=Plan(
            batch=None if batch is None else _positive(batch, "batch"),
            workers=_positive(workers, "workers"),
            max_memory=_positive(max_memory, "max_memory"),
        ),
        min_segment_n=_count(min_segment_n, "min_segment_n"),
    )


def compare(
    responses: ResponseSet | SummaryTable,
    reference: str,
    comparison: str,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 10_000,
    method: str = "BCa",
    rng: int | np.random.Generator | None = None,
    segments: Sequence[str] = (),
    p_adjust: str = "holm",
    n_permutations: int | None = None,
    batch: int | None = None,
    workers: int = 1,
    max_memory: int = 256 * 2**20,
    min_segment_n: int = 30,
    progress: Callable[[int, int], object] | None = None,
) -> GapReport:
    """Measure the perception gap between two groups.

    For every item, the gap is the comparison group's score minus the reference group's
    (say, what the business thinks customers want minus what customers say). The report
    adds how well the two orderings agree (Spearman, Kendall), the mean and mean absolute gap,
    and the profile decomposition d2 = elevation + scatter + shape; each with a bootstrap
    interval, and per-item permutation p-values with a multiplicity adjustment and verdicts.

    Parameters
    ----------
    responses : ResponseSet or SummaryTable
        The survey data (respondent level, or a summary from :meth:`ResponseSet.from_summary`).
    reference : str
        The group whose answers are the truth (say ``"customer"``).
    comparison : str
        The group whose perception is assessed (say ``"business"``).
    confidence_level : float, default 0.95
        Confidence level of the intervals; ``1 - confidence_level`` is also the significance
        level of the verdicts.
    n_resamples : int, default 10_000
        Bootstrap resamples; 0 gives point estimates with NaN bounds.
    method : {"BCa", "percentile", "basic"}, default "BCa"
        Interval method, as in :func:`scipy.stats.bootstrap`.
    rng : None, int or numpy.random.Generator, optional
        Source of randomness; an int seed (or the recorded ``report.seed``) reproduces a
        report exactly.
    segments : sequence of str, optional
        Segment variables to break the comparison down by; ``report.segments[name][level]``
        then holds a full report computed within each level.
    p_adjust : {"holm", "bh", "none"}, default "holm"
        Multiplicity adjustment of the per-item p-values: Holm's step-down (controls the
        family-wise error rate), Benjamini-Hochberg (the false discovery rate) or none.
    n_permutations : int, optional
        Permutations for the p-values; defaults to `n_resamples`.
    batch : int, optional
        Replicates computed per chunk (rounded up to whole blocks of 256); by default as many
        as `max_memory` allows. Never changes the results.
    workers : int, default 1
        Threads drawing replicates concurrently (numpy releases the GIL while drawing and
        multiplying). Never changes the results.
    max_memory : int, default 256 MiB
        Bytes the resampling working set may use, whatever `n_resamples` is (the stored
        replicates of each statistic, 8 bytes each, come on top). Never changes the results.

    min_segment_n : int, default 30
        A segment level with fewer respondents than this in a group that records the segment
        is still analysed, and both its report and this one warn about it by name.
    progress : callable, optional
        Called as ``progress(done, total)`` as replicates (resamples and permutations, of the
        whole comparison and every segment level) finish, possibly from worker threads; for
        progress bars in other tools. The command line shows one on a terminal.
    Returns
    -------
    GapReport

    Raises
    ------
    InvalidArgumentError
        An argument is out of range (the message names it).
    TypeError
        `responses` is not a ResponseSet, `rng` is of the wrong type, or `progress` is not
        callable.
    EmptyDataError
        One of the two groups has no respondents.

    Warns
    -----
    DegenerateStatisticWarning
        A statistic is undefined (a constant score profile), replicates were left out, or the
        BCa acceleration fell back to 0. Every warning is also in ``report.warnings``.
    SummaryDataWarning
        The analysis used summary data.

    Notes
    -----
    Item scores are available-case (weighted) means of each item's answers within a group.
    The bootstrap resamples respondents with replacement within each group, keeping group
    sizes; it draws the counts of each distinct response pattern from a multinomial
    distribution, which is the same distribution as resampling respondents. The BCa
    acceleration is the delete-one-respondent jackknife of each group, combined as
    :func:`scipy.stats.bootstrap` does (Efron & Tibshirani 1993, sec. 14.3); when the
    jackknife is flat (common for rank correlations, which leaving out one respondent rarely
    changes) the acceleration is set to 0 and a warning says so.

    p-values are two-sided permutation tests of each item's gap, with the group labels
    permuted (``(1 + #{|gap_b| >= |gap|}) / (1 + B)``), adjusted by Holm (1979) or
    Benjamini & Hochberg (1995). An item is "overestimated" or "underestimated" when its
    adjusted p-value is below ``1 - confidence_level``, by the sign of its gap; otherwise
    "aligned".

    For summary data, intervals come from a parametric bootstrap treating items as
    independent (binomial for Binary, normal from the per-item sd otherwise) and p-values
    from the two-proportion z-test or Welch's t-test.

    References
    ----------
    .. [1] B. Efron and R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall,
       1993.
    .. [2] L. J. Cronbach and G. C. Gleser, "Assessing similarity between profiles",
       *Psychological Bulletin* 50(6), 456-473, 1953.
    .. [3] S. Holm, "A simple sequentially rejective multiple test procedure",
       *Scandinavian Journal of Statistics* 6(2), 65-70, 1979.
    .. [4] Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate: a practical
       and powerful approach to multiple testing", *Journal of the Royal Statistical Society
       B* 57(1), 289-300, 1995.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> rs = pg.datasets.load_example()
    >>> report = pg.compare(rs, reference="customer", comparison="business",
    ...                     n_resamples=1000, rng=7)
    >>> round(report.mean_gap.value, 3)
    0.208
    >>> report.item("community").verdict
    'overestimated'
    """
    options = _compare_iv(
        responses, reference, comparison, confidence_level, n_resamples, method, rng,
        segments, p_adjust, n_permutations, batch, workers, max_memory, min_segment_n,
    )  # fmt: skip
    if progress is not None:
        if not callable(progress):
            raise TypeError(
                f"`progress` must be a callable progress(done, total); got {progress!r}."
            )
        options = attrs.evolve(options, progress=_Progress(progress, _total_work(options)))
    collected: list[tuple[type[PerceptionGapWarning], str]] = []
    report, _ = _run(
        options, options.responses, keys=_Keys.top(options), collected=collected, top=True
    )
    if options.progress is not None:
        options.progress.finish()
    for category, message in collected:
        warnings.warn(message, category, stacklevel=2)
    return report


def _total_work(options: _Options) -> int:
    """Replicates a comparison will draw: resamples and permutations, top level and levels."""
    responses = options.responses
    per_analysis = options.n_resamples + (0 if responses.is_summary else options.n_permutations)
    levels = sum(len(responses.questionnaire.segments[name]) for name in options.segments)
    return per_analysis * (1 + levels)


def _run(
    options: _Options,
    responses: ResponseSet | SummaryTable,
    *,
    keys: _Keys,
    collected: list[tuple[type[PerceptionGapWarning], str]],
    top: bool,
) -> tuple[GapReport, _Analysis]:
    """One report: the top-level comparison, or the comparison within one segment level."""
    notes: list[tuple[type[PerceptionGapWarning], str]] = [
        (DegenerateStatisticWarning, note) for note in responses.notes
    ]
    ref, comp = options.reference, options.comparison
    groups = responses.groups
    sizes = responses.n
    for index in (ref, comp):
        if sizes[groups[index]] == 0 and top:
            raise EmptyDataError(
                f"group {groups[index]!r} has no respondents.", file=responses.source
            )
    if isinstance(responses, SummaryTable):
        analysis = _summary_analysis(options, responses, notes)
    else:
        tally = make_tally(responses.values, responses.group_codes, len(groups), responses.weights)
        analysis = _respondent_analysis(options, tally, keys, notes, groups)
    segment_reports: dict[str, dict[str, GapReport]] = {}
    comparisons: dict[str, SegmentComparison] = {}
    if top and isinstance(responses, ResponseSet):  # a summary has no segments
        for s, name in enumerate(options.segments):
            segment_reports[name], comparisons[name] = _segment(options, responses, s, name, notes)
    collected.extend(notes)
    report = _assemble(
        options, responses, analysis, [m for _, m in notes], segment_reports, comparisons
    )
    return report, analysis


def _segment(
    options: _Options,
    responses: ResponseSet,
    index: int,
    name: str,
    notes: list[tuple[type[PerceptionGapWarning], str]],
) -> tuple[dict[str, GapReport], SegmentComparison]:
    """Reports within each level of one segment variable, and the comparison of the levels."""
    levels = responses.questionnaire.segments[name]
    groups = responses.groups
    recording = {groups.index(g) for g in responses.recorded_by(name)}
    compared = [g for i, g in enumerate(groups) if i in (options.reference, options.comparison)]
    whole = [g for g in compared if groups.index(g) not in recording]
    reports: dict[str, GapReport] = {}
    analyses: dict[str, _Analysis] = {}
    flags: dict[str, tuple[str, ...]] = {}
    for level_index, level in enumerate(levels):
        subset = responses.where(**{name: level})
        keys = _Keys.level(options, index, level_index, len(levels), recording)
        counts = subset.n
        small = {
            g: counts[g] for g in compared if g not in whole and counts[g] < options.min_segment_n
        }
        level_flags = []
        level_notes: list[tuple[type[PerceptionGapWarning], str]] = []
        if small:
            listed = ", ".join(f"{g} {c}" for g, c in small.items())
            if 0 in small.values():
                level_flags.append("no respondents")
                message = (
                    f"segment {name}={level} has no respondents in a group ({listed}): "
                    "its estimates are undefined."
                )
            else:
                level_flags.append("few respondents")
                message = (
                    f"segment {name}={level} has few respondents ({listed}; "
                    f"min_segment_n={options.min_segment_n}): its estimates are imprecise."
                )
            level_notes.append((DegenerateStatisticWarning, message))
            notes.append((DegenerateStatisticWarning, message))
        if whole:
            level_flags.append("kept whole: " + ", ".join(whole))
        report, analysis = _run(options, subset, keys=keys, collected=level_notes, top=False)
        if small:
            report = attrs.evolve(report, warnings=(level_notes[0][1], *report.warnings))
        reports[level], analyses[level], flags[level] = report, analysis, tuple(level_flags)
    return reports, _compare_levels(options, name, reports, analyses, flags, notes)


def _compare_levels(
    options: _Options,
    name: str,
    reports: dict[str, GapReport],
    analyses: dict[str, _Analysis],
    flags: dict[str, tuple[str, ...]],
    notes: list[tuple[type[PerceptionGapWarning], str]],
) -> SegmentComparison:
    """Rank the levels by mean absolute gap; every pairwise difference with its interval.

    A group that does not record the segment has the same replicates in every level, so a
    difference is computed replicate by replicate. Intervals use the report's method (BCa
    with a = 0: the jackknife of a difference between levels is not computed); p-values are
    two-sided bootstrap p-values, ``min(1, 2 min(1 + #{d_b <= 0}, 1 + #{d_b >= 0}) / (1 + B))``,
    adjusted over every difference of the segment.
    """
    ranking = sorted(
        (
            LevelSummary(level, report.n, report.spearman, report.mean_absolute_gap, flags[level])
            for level, report in reports.items()
        ),
        key=lambda s: (math.isnan(s.mean_absolute_gap.value), s.mean_absolute_gap.value),
    )
    item_ids = options.responses.questionnaire.item_ids
    rows: list[tuple[str, str, str, float, FloatArray | None]] = []
    levels = list(reports)
    for a_index, a in enumerate(levels):
        for b in levels[a_index + 1 :]:
            ra, rb = reports[a], reports[b]
            reps_a, reps_b = analyses[a].replicates, analyses[b].replicates
            for statistic in ("spearman", "mean_absolute_gap"):
                point = getattr(ra, statistic).value - getattr(rb, statistic).value
                diff = None
                if reps_a is not None and reps_b is not None:
                    diff = reps_a.stats[statistic] - reps_b.stats[statistic]
                rows.append((a, b, statistic, point, diff))
            for j, item in enumerate(item_ids):
                point = ra.items[j].gap.value - rb.items[j].gap.value
                diff = None
                if reps_a is not None and reps_b is not None:
                    diff = reps_a.gaps[:, j] - reps_b.gaps[:, j]
                rows.append((a, b, item, point, diff))
    estimates, p_values = [], []
    for _, _, _, point, diff in rows:
        if diff is None:
            estimates.append(Estimate(point))
            p_values.append(float("nan"))
            continue
        interval = bootstrap_interval(diff, point, options.method, options.confidence_level, 0.0)
        estimates.append(Estimate(point, interval.low, interval.high, interval.standard_error))
        p_values.append(_bootstrap_p_value(diff, point))
    adjusted = adjust(np.asarray(p_values), options.p_adjust)
    if options.method == "BCa" and any(diff is not None for *_, diff in rows):
        notes.append(
            (
                DegenerateStatisticWarning,
                f"segment {name!r}: intervals of differences between levels use BCa with a = 0 "
                "(bias-corrected percentile); p-values of the differences are bootstrap p-values.",
            )
        )
    differences = [
        LevelDifference(a, b, statistic, estimate, p, q)
        for (a, b, statistic, _, _), estimate, p, q in zip(
            rows, estimates, p_values, adjusted, strict=True
        )
    ]
    return SegmentComparison(name=name, ranking=ranking, differences=differences)


def _bootstrap_p_value(replicates: FloatArray, point: float) -> float:
    """Two-sided bootstrap p-value of "the difference is 0"."""
    defined = replicates[~np.isnan(replicates)]
    if np.isnan(point) or defined.size == 0:
        return float("nan")
    below = np.count_nonzero(defined <= 0.0)
    above = np.count_nonzero(defined >= 0.0)
    return float(min(1.0, 2.0 * (1.0 + min(below, above)) / (1.0 + defined.size)))


@attrs.frozen
class _Analysis:
    """The numbers of one comparison, before they become report objects."""

    x: FloatArray
    y: FloatArray
    gaps: list[Estimate]
    statistics: dict[str, Estimate]
    p_values: FloatArray
    n_permutations: int
    replicates: _Replicates | None = attrs.field(default=None, eq=False)


def _point_statistics(options: _Options, x: FloatArray, y: FloatArray) -> dict[str, float]:
    with np.errstate(invalid="ignore", divide="ignore"):
        return {name: float(f(x, y)) for name, f in options.statistics.items()}


def _note_undefined(
    notes: list[tuple[type[PerceptionGapWarning], str]],
    x: FloatArray,
    y: FloatArray,
    groups: tuple[str, str],
    item_ids: Sequence[str],
) -> None:
    for scores, group in zip((x, y), groups, strict=False):
        missing = [item_ids[int(j)] for j in np.flatnonzero(np.isnan(scores))]
        if missing:
            notes.append(
                (
                    DegenerateStatisticWarning,
                    f"no respondent of group {group!r} answered item(s) {', '.join(map(repr, missing))}; "
                    "their scores, gaps and every statistic over all items are undefined (NaN).",
                )
            )
    if np.isnan(x).any() or np.isnan(y).any():
        return
    for scores, group in zip((x, y), groups, strict=False):
        if np.ptp(scores) == 0:
            notes.append(
                (
                    DegenerateStatisticWarning,
                    f"every item has the same score in group {group!r}; the rank correlations "
                    "are undefined (NaN).",
                )
            )


class _Replicates:
    """Statistic replicates filled chunk by chunk: item gaps (B, k) and the scalars (B,)."""

    def __init__(self, options: _Options, n_resamples: int, k: int) -> None:
        self.options = options
        self.functions = options.statistics
        self.gaps = np.empty((n_resamples, k))
        self.stats = {name: np.empty(n_resamples) for name in self.functions}

    def consume(self, start: int, x: FloatArray, y: FloatArray) -> None:
        stop = start + len(x)
        self.gaps[start:stop] = y - x
        with np.errstate(invalid="ignore", divide="ignore"):
            for name, f in self.functions.items():
                self.stats[name][start:stop] = f(x, y)
        self.options.advance(len(x))


class _Exceedances:
    """Permutation counts of ``|gap_b| >= |gap|`` per item, accumulated chunk by chunk."""

    def __init__(self, options: _Options, observed: FloatArray) -> None:
        self.options = options
        self.observed = observed
        self.parts: dict[int, tuple[IntArray, IntArray]] = {}

    def consume(self, start: int, x: FloatArray, y: FloatArray) -> None:
        self.parts[start] = exceedances(y - x, self.observed)  # one key per chunk: thread-safe
        self.options.advance(len(x))

    def p_values(self) -> FloatArray:
        count = sum(part[0] for part in self.parts.values())
        total = sum(part[1] for part in self.parts.values())
        p: FloatArray = (1.0 + np.asarray(count)) / (1.0 + np.asarray(total))
        return np.where(np.isnan(self.observed), np.nan, p)


def _intervals(
    options: _Options,
    point_gaps: FloatArray,
    point: dict[str, float],
    replicate_gaps: FloatArray,
    replicate_stats: dict[str, FloatArray],
    accelerations: dict[str, float] | None,
    gap_accelerations: FloatArray | None,
    notes: list[tuple[type[PerceptionGapWarning], str]],
    item_ids: Sequence[str],
) -> tuple[list[Estimate], dict[str, Estimate]]:
    """Turn replicates into Estimates, noting undefined replicates."""
    method, level = options.method, options.confidence_level
    b = replicate_gaps.shape[0]
    gaps = []
    undefined_items = 0
    for j in range(len(point_gaps)):
        accel = 0.0 if gap_accelerations is None else float(gap_accelerations[j])
        interval = bootstrap_interval(
            replicate_gaps[:, j], float(point_gaps[j]), method, level, accel
        )
        undefined_items = max(undefined_items, interval.n_undefined)
        gaps.append(Estimate(point_gaps[j], interval.low, interval.high, interval.standard_error))
    if undefined_items and not np.isnan(point_gaps).all():
        notes.append(
            (
                DegenerateStatisticWarning,
                f"up to {undefined_items:,} of {b:,} resamples left an item with no answers; "
                "those resamples were left out of that item's interval.",
            )
        )
    statistics = {}
    for name, replicates in replicate_stats.items():
        accel = 0.0 if accelerations is None else accelerations[name]
        interval = bootstrap_interval(replicates, point[name], method, level, accel)
        if interval.n_undefined and not np.isnan(point[name]):
            notes.append(
                (
                    DegenerateStatisticWarning,
                    f"{_LABELS[name]} was undefined in {interval.n_undefined:,} of {b:,} "
                    "resamples (a constant score profile); they were left out of its interval.",
                )
            )
        statistics[name] = Estimate(
            point[name], interval.low, interval.high, interval.standard_error
        )
    return gaps, statistics


def _no_intervals(
    point_gaps: FloatArray, point: dict[str, float]
) -> tuple[list[Estimate], dict[str, Estimate]]:
    return [Estimate(g) for g in point_gaps], {name: Estimate(v) for name, v in point.items()}


@attrs.frozen
class _Keys:
    """Stream keys of one analysis: each group's bootstrap key and the permutation prefix
    (the permutation stream appends the two groups to it)."""

    reference: tuple[int, ...]
    comparison: tuple[int, ...]
    permutation: tuple[int, ...]

    @classmethod
    def top(cls, options: _Options) -> _Keys:
        ref, comp = options.reference, options.comparison
        return cls((0, ref), (0, comp), (0,))

    @classmethod
    def level(
        cls, options: _Options, segment: int, level: int, whole: int, recording: set[int]
    ) -> _Keys:
        """A group that does not record the segment keeps one key (`whole`) for every level,
        so its replicates are shared and level differences are computed per replicate."""
        ref, comp = options.reference, options.comparison
        key_ref = (1 + segment, level if ref in recording else whole, ref)
        key_comp = (1 + segment, level if comp in recording else whole, comp)
        return cls(key_ref, key_comp, (1 + segment, level))


def _respondent_analysis(
    options: _Options,
    tally: Tally,
    keys: _Keys,
    notes: list[tuple[type[PerceptionGapWarning], str]],
    groups: tuple[str, ...],
) -> _Analysis:
    ref, comp = options.reference, options.comparison
    item_ids = options.responses.questionnaire.item_ids
    x, y = tally.scores(ref), tally.scores(comp)
    point_gaps = y - x
    point = _point_statistics(options, x, y)
    _note_undefined(notes, x, y, (groups[ref], groups[comp]), item_ids)
    sizes = tally.sizes
    empty = [groups[i] for i in (ref, comp) if sizes[i] == 0]
    if empty:
        notes.append(
            (
                DegenerateStatisticWarning,
                f"group {empty[0]!r} has no respondents here; every estimate is undefined (NaN).",
            )
        )
    streams = Streams(options.entropy)
    kept: _Replicates | None = None
    if options.n_resamples and not empty:
        replicates = kept = _Replicates(options, options.n_resamples, len(x))
        bootstrap(
            tally,
            (ref, comp),
            options.n_resamples,
            streams,
            (keys.reference, keys.comparison),
            replicates.consume,
            options.plan,
        )
        accelerations = gap_accelerations = None
        if options.method == "BCa":
            accelerations, gap_accelerations = _jackknife_accelerations(
                options, tally, x, y, ref, comp, notes, item_ids, (groups[ref], groups[comp])
            )
        gaps, statistics = _intervals(
            options,
            point_gaps,
            point,
            replicates.gaps,
            replicates.stats,
            accelerations,
            gap_accelerations,
            notes,
            item_ids,
        )
    else:
        gaps, statistics = _no_intervals(point_gaps, point)
    n_perm = options.n_permutations if not empty else 0
    if n_perm:
        _note_resolution(options, n_perm, len(point_gaps), notes)
        counter = _Exceedances(options, point_gaps)
        permutation(
            tally,
            (ref, comp),
            n_perm,
            streams,
            keys.permutation,
            counter.consume,
            options.plan,
        )
        p_values = counter.p_values()
    else:
        p_values = np.full(len(point_gaps), np.nan)
        if not empty:
            notes.append(
                (
                    DegenerateStatisticWarning,
                    "no permutation test was run (n_permutations=0), so there are no p-values "
                    "and every verdict is 'aligned'.",
                )
            )
    return _Analysis(x, y, gaps, statistics, p_values, n_perm, kept)


def _note_resolution(
    options: _Options,
    n_permutations: int,
    k: int,
    notes: list[tuple[type[PerceptionGapWarning], str]],
) -> None:
    """Warn when too few permutations make every verdict "aligned" by construction."""
    smallest = 1.0 / (1.0 + n_permutations)
    if options.p_adjust != "none":
        smallest = min(1.0, k * smallest)  # Holm and BH adjust the smallest p-value by k
    alpha = 1.0 - options.confidence_level
    if smallest >= alpha:
        needed = math.ceil((k if options.p_adjust != "none" else 1) / alpha)
        notes.append(
            (
                DegenerateStatisticWarning,
                f"with {n_permutations:,} permutations and {k} items the smallest possible "
                f"adjusted p-value is {smallest:.3g}, not below {alpha:.3g}: no item can be "
                f"declared over- or underestimated. Use at least {needed:,} permutations.",
            )
        )


def _jackknife_accelerations(
    options: _Options,
    tally: Tally,
    x: FloatArray,
    y: FloatArray,
    ref: int,
    comp: int,
    notes: list[tuple[type[PerceptionGapWarning], str]],
    item_ids: Sequence[str],
    names: tuple[str, str],
) -> tuple[dict[str, float], FloatArray]:
    """BCa accelerations of every statistic and item gap from the two groups' jackknives."""
    xj, cx = jackknife_scores(tally, ref)
    yj, cy = jackknife_scores(tally, comp)
    small = [name for name, counts in zip(names, (cx, cy), strict=False) if counts.sum() < 2]
    if small:
        notes.append(
            (
                DegenerateStatisticWarning,
                f"group {small[0]!r} has fewer than two respondents, so the BCa acceleration "
                "is undefined; a = 0 was used.",
            )
        )
        return dict.fromkeys(STATISTICS, 0.0), np.zeros(len(x))
    accelerations: dict[str, float] = {}
    flat: list[str] = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, f in options.statistics.items():
            a = acceleration([(f(xj, y[np.newaxis]), cx), (f(x[np.newaxis], yj), cy)])
            if np.isnan(a):
                flat.append(_LABELS[name])
                a = 0.0
            accelerations[name] = a
    gap_accel = np.zeros(len(x))
    flat_items = []
    for j in range(len(x)):
        a = acceleration([(y[j] - xj[:, j], cx), (yj[:, j] - x[j], cy)])
        if np.isnan(a):
            flat_items.append(item_ids[j])
            a = 0.0
        gap_accel[j] = a
    if flat:
        notes.append(
            (
                DegenerateStatisticWarning,
                f"BCa: the jackknife of {', '.join(flat)} is flat or undefined (leaving out "
                "one respondent never changes it), so its acceleration is undefined; a = 0 "
                "was used (a bias-corrected percentile interval).",
            )
        )
    if flat_items:
        notes.append(
            (
                DegenerateStatisticWarning,
                "BCa: the jackknife of the gap of item(s) "
                f"{', '.join(map(repr, flat_items))} is flat or undefined; a = 0 was used.",
            )
        )
    return accelerations, gap_accel


def _summary_analysis(
    options: _Options,
    responses: SummaryTable,
    notes: list[tuple[type[PerceptionGapWarning], str]],
) -> _Analysis:
    summary = responses
    ref, comp = options.reference, options.comparison
    groups = responses.groups
    item_ids = responses.questionnaire.item_ids
    binary = isinstance(responses.questionnaire.scale, Binary)
    x, y = summary.scores[ref], summary.scores[comp]
    nx, ny = summary.item_n[ref], summary.item_n[comp]
    point_gaps = y - x
    point = _point_statistics(options, x, y)
    _note_undefined(notes, x, y, (groups[ref], groups[comp]), item_ids)
    has_sd = binary or not (np.isnan(summary.sd[ref]).any() or np.isnan(summary.sd[comp]).any())
    message = (
        "summary data: point estimates are exact, but intervals come from a parametric bootstrap "
        "that treats items as independent ("
        + ("binomial" if binary else "normal, from the per-item sd")
        + ") and p-values from per-item "
        + ("two-proportion z-tests" if binary else "Welch t-tests")
        + "; respondent-level data give better intervals."
    )
    notes.append((SummaryDataWarning, message))
    if options.n_resamples and has_sd:
        streams = Streams(options.entropy)
        sd_x = None if binary else summary.sd[ref]
        sd_y = None if binary else summary.sd[comp]
        replicates = _Replicates(options, options.n_resamples, len(x))
        parametric(
            [(x, nx, sd_x), (y, ny, sd_y)],
            [(0, ref), (0, comp)],
            options.n_resamples,
            streams,
            replicates.consume,
            options.plan,
        )
        if options.method == "BCa":
            notes.append(
                (
                    SummaryDataWarning,
                    "BCa needs respondents for its jackknife acceleration; with summary data "
                    "a = 0 was used (a bias-corrected percentile interval).",
                )
            )
        gaps, statistics = _intervals(
            options,
            point_gaps,
            point,
            replicates.gaps,
            replicates.stats,
            None,
            None,
            notes,
            item_ids,
        )
    else:
        if options.n_resamples:
            notes.append(
                (
                    SummaryDataWarning,
                    "no per-item sd was given for every item of both groups, so there are no "
                    "intervals; pass 'sd' in from_summary to get them.",
                )
            )
        gaps, statistics = _no_intervals(point_gaps, point)
    if binary:
        p_values = _two_proportion_p(x, nx, y, ny)
    elif has_sd:
        with np.errstate(invalid="ignore", divide="ignore"):
            result = sps.ttest_ind_from_stats(
                y, summary.sd[comp], ny, x, summary.sd[ref], nx, equal_var=False
            )
        p_values = np.asarray(result.pvalue, dtype=np.float64)
    else:
        p_values = np.full(len(x), np.nan)
    return _Analysis(x, y, gaps, statistics, p_values, 0)


def _two_proportion_p(p1: FloatArray, n1: IntArray, p2: FloatArray, n2: IntArray) -> FloatArray:
    """Two-sided pooled two-proportion z-test per item; NaN when the pooled share is 0 or 1."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (p2 - p1) / se
    return np.where(se > 0, 2.0 * sps.norm.sf(np.abs(z)), np.nan)


def _verdict(gap: float, p_adjusted: float, alpha: float) -> str:
    if p_adjusted < alpha:
        if gap > 0:
            return "overestimated"
        if gap < 0:
            return "underestimated"
    return "aligned"


def _assemble(
    options: _Options,
    responses: ResponseSet | SummaryTable,
    analysis: _Analysis,
    messages: list[str],
    segment_reports: dict[str, dict[str, GapReport]],
    comparisons: dict[str, SegmentComparison] | None = None,
) -> GapReport:
    q = responses.questionnaire
    ref, comp = options.reference, options.comparison
    adjusted = adjust(analysis.p_values, options.p_adjust)
    rtol = options.tie_rtol
    x_ranks, y_ranks = average_ranks(analysis.x, rtol), average_ranks(analysis.y, rtol)
    alpha = 1.0 - options.confidence_level
    items = [
        ItemGap(
            item=item,
            reference_score=analysis.x[j],
            comparison_score=analysis.y[j],
            gap=analysis.gaps[j],
            reference_rank=x_ranks[j],
            comparison_rank=y_ranks[j],
            p_value=analysis.p_values[j],
            p_adjusted=adjusted[j],
            verdict=_verdict(analysis.gaps[j].value, adjusted[j], alpha),
        )
        for j, item in enumerate(q.items)
    ]
    for name, levels in segment_reports.items():
        for level, report in levels.items():
            if report.warnings:
                messages.append(
                    f"segment {name}={level}: {len(report.warnings)} warning(s), see report.segments[{name!r}][{level!r}].warnings."
                )
    s = analysis.statistics
    n = responses.n
    groups = responses.groups
    return GapReport(
        reference=groups[ref],
        comparison=groups[comp],
        items=items,
        spearman=s["spearman"],
        kendall=s["kendall"],
        mean_gap=s["mean_gap"],
        mean_absolute_gap=s["mean_absolute_gap"],
        profile=ProfileGap(
            d2=s["d2"], elevation=s["elevation"], scatter=s["scatter"], shape=s["shape"]
        ),
        n={groups[ref]: n[groups[ref]], groups[comp]: n[groups[comp]]},
        method=options.method,
        confidence_level=options.confidence_level,
        n_resamples=options.n_resamples,
        n_permutations=analysis.n_permutations,
        p_adjust=options.p_adjust,
        seed=options.entropy,
        data="summary" if responses.is_summary else "respondents",
        weighted=responses.weighted,
        scale=q.scale,
        title=q.title,
        warnings=tuple(dict.fromkeys(messages)),
        version=version(),
        segments=segment_reports,
        segment_comparisons=comparisons or {},
    )


def compare_many(
    responses: ResponseSet | SummaryTable,
    reference: str,
    comparisons: Sequence[str] | None = None,
    **options: Any,
) -> dict[str, GapReport]:
    """Compare several perspectives with one reference group, on shared replicates.

    Parameters
    ----------
    responses : ResponseSet or SummaryTable
        Survey data whose questionnaire names three or more groups (two also works).
    reference : str
        The group whose answers are the truth (say ``"customer"``).
    comparisons : sequence of str, optional
        The groups to compare with it; by default every other group, in questionnaire order.
    **options
        Any keyword option of :func:`compare` (``n_resamples``, ``method``, ``rng``, ...).

    Returns
    -------
    dict of str to GapReport
        One report per comparison group. The random seed is drawn once, so every report
        resamples the reference group with the same replicates (a group's replicates depend
        only on the seed and the data), and each report's point estimates equal those of a
        separate :func:`compare` call.

    Raises
    ------
    InvalidArgumentError
        An unknown or repeated group, or the reference among the comparisons.

    Examples
    --------
    >>> import numpy as np
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(),
    ...                      groups=("customer", "marketing", "sales"))
    >>> rng = np.random.default_rng(0)
    >>> values = (rng.random((90, 3)) < [0.2, 0.5, 0.8]).astype(float)
    >>> rs = pg.ResponseSet.from_arrays(q, values, ["customer", "marketing", "sales"] * 30)
    >>> reports = pg.compare_many(rs, "customer", n_resamples=200, rng=3)
    >>> sorted(reports)
    ['marketing', 'sales']
    """
    if not isinstance(responses, (ResponseSet, SummaryTable)):
        raise TypeError(f"`responses` must be a ResponseSet; got {type(responses).__name__}.")
    groups = responses.groups
    if reference not in groups:
        raise InvalidArgumentError(
            "`reference` must be one of " + ", ".join(map(repr, groups)) + f"; got {reference!r}."
        )
    if comparisons is None:
        chosen = [g for g in groups if g != reference]
    else:
        if isinstance(comparisons, str):
            raise InvalidArgumentError(
                "`comparisons` must be a sequence of group names, not a string."
            )
        chosen = list(comparisons)
        for group in chosen:
            if group not in groups or group == reference:
                raise InvalidArgumentError(
                    f"`comparisons` must name groups other than the reference; got {group!r}."
                )
        if len(set(chosen)) != len(chosen):
            raise InvalidArgumentError("`comparisons` names a group twice.")
    shared = dict(options)
    shared["rng"] = _seed_material(options.get("rng"))  # once: every report shares the streams
    return {group: compare(responses, reference, group, **shared) for group in chosen}

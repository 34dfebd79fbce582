"""compare() and compare_many(): validate, analyse, assemble.

The public entry points convert their arguments once (:mod:`perceptiongap._options`), hand
arrays and tallies (never a ResponseSet) to the analyses, and assemble the reports. Python
warnings are issued here, once each, after everything was computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ._analysis import Analysis, Keys, analyse_pair
from ._assemble import Study, assemble
from ._contrasts import contrasts
from ._notes import Findings
from ._options import MAX_LEVEL_PAIRS, CompareOptions, Data, compare_iv, compare_many_iv
from ._questionnaire import Binary
from ._report import GapReport, Perspectives
from ._responses import ResponseSet
from ._results import Estimate, LevelSummary, Note, SegmentComparison, rank_levels
from ._segments import Rows, analyse_segment
from ._summary import SummaryTable
from ._summary_analysis import analyse_summary
from ._tally import make_tally
from .errors import EmptyDataError

__all__ = ["compare", "compare_many"]


def compare(
    responses: ResponseSet | SummaryTable,
    reference: str,
    comparison: str,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 10_000,
    method: str = "auto",
    rng: int | np.random.Generator | None = None,
    segments: Sequence[str] = (),
    p_adjust: str = "holm",
    n_permutations: int | None = None,
    batch: int | None = None,
    workers: int = 1,
    max_memory: int = 256 * 2**20,
    min_segment_n: int = 30,
    max_level_pairs: int | None = MAX_LEVEL_PAIRS,
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
        The survey data: respondent level, or a summary from :meth:`ResponseSet.from_summary`.
    reference : str
        The group whose answers are the truth (say ``"customer"``).
    comparison : str
        The group whose perception is assessed (say ``"business"``).
    confidence_level : float, default 0.95
        Confidence level of the intervals; ``1 - confidence_level`` is also the significance
        level of the verdicts.
    n_resamples : int, default 10_000
        Bootstrap resamples; 0 gives point estimates with NaN bounds.
    method : {"auto", "BCa", "percentile", "basic"}, default "auto"
        Interval procedure. ``"auto"`` gives each statistic the procedure the coverage study
        validated (closed-form Newcombe or Welch intervals for unweighted item gaps; see
        the docs page "How well the intervals cover"); the others force one bootstrap method,
        as in :func:`scipy.stats.bootstrap`, for every statistic. Each estimate records the
        procedure actually used in ``Estimate.method``.
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
        as `max_memory` allows. A chunk whose working set would not fit in what `max_memory`
        leaves is refused. Never changes the results.
    workers : int, default 1
        Threads drawing replicates concurrently (numpy releases the GIL while drawing and
        multiplying). More than ``max(64, 4 x the CPUs)`` is refused; no more threads run
        than the memory left for working batches allows. Never changes the results.
    max_memory : int, default 256 MiB
        Bytes the resampling may use: the replicates it keeps (8 bytes a number, about
        ``(3k + 8) x n_resamples`` per analysis while it runs, ``(k + 2) x n_resamples`` once
        its report is made, for k items) and, in what is left, its working batches. A call
        whose kept replicates alone would exceed it is refused up front; raise it to allow
        the call. Never changes the results.
    min_segment_n : int, default 30
        A segment level with fewer respondents than this in a group that records the segment
        is still analysed, and both its report and this one warn about it by name.
    max_level_pairs : int or None, default 5_000
        The most pairs of segment levels whose differences are computed, summed over
        `segments` (a segment of L levels has ``L (L - 1) / 2`` pairs); a call above it is
        refused up front. None lifts the limit.
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
        An argument is out of range or repeats a name (the message names it), or the call
        exceeds a resource limit: the replicates it keeps exceed `max_memory`, or its
        segments have more level pairs than `max_level_pairs` (the message names the limit
        and how to lift it).
    TypeError
        `responses` is not a ResponseSet or SummaryTable, `rng` is of the wrong type, or `progress` is not
        callable.
    EmptyDataError
        One of the two groups has no respondents.

    Warns
    -----
    DegenerateStatisticWarning
        A statistic is undefined (a constant score profile), replicates were left out, a
        group or segment level is empty or small. Every warning is also in
        ``report.warnings`` and is issued once.
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
    changes) the acceleration is set to 0: the estimate's ``method`` is then ``"BC"`` and
    ``report.notes`` says so.

    p-values are two-sided permutation tests of each item's gap, with the group labels
    permuted (``(1 + #{|gap_b| >= |gap|}) / (1 + B)``), adjusted by Holm (1979) or
    Benjamini & Hochberg (1995). An item is "overestimated" or "underestimated" when its
    adjusted p-value is below ``1 - confidence_level``, by the sign of its gap; otherwise
    "aligned" (no significant gap at this level), or "untested" when it has no p-value
    (``n_permutations=0``, or summary data without standard deviations).

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
    data, options = compare_iv(
        responses, reference, comparison, confidence_level, n_resamples, method, rng,
        segments, p_adjust, n_permutations, batch, workers, max_memory, min_segment_n,
        max_level_pairs, progress,
    )  # fmt: skip
    findings = Findings()
    report, _ = _run(data, options, findings)
    if options.progress is not None:
        options.progress.finish()
    findings.issue(stacklevel=2)
    return report


def _run(data: Data, options: CompareOptions, findings: Findings) -> tuple[GapReport, Analysis]:
    """The report of one pair of groups, with its segment breakdowns."""
    q = data.questionnaire
    groups = q.groups
    sizes = data.n
    for index in (options.reference, options.comparison):
        if sizes[groups[index]] == 0:
            raise EmptyDataError(f"group {groups[index]!r} has no respondents.", file=data.source)
    for message in data.notes:
        findings.fact("responses", "", message)
    if isinstance(data, SummaryTable):
        study = Study(q, "summary", False)
        analysis = analyse_summary(
            options, data.scores, data.item_n, data.sd, isinstance(q.scale, Binary), findings,
            groups, q.item_ids, data.design_effect,
        )  # fmt: skip
        return _released(assemble(options, study, analysis, findings, sizes), analysis)
    study = Study(q, "respondents", data.weighted)
    tally = make_tally(data.values, data.group_codes, len(groups), data.weights)
    analysis = analyse_pair(options, tally, Keys.top(options), findings, groups, q.item_ids)
    rows = Rows(data.values, data.group_codes, data.segment_codes, data.weights)
    reports: dict[str, dict[str, GapReport]] = {}
    comparisons: dict[str, SegmentComparison] = {}
    for index, name in enumerate(options.segments):
        reports[name], comparisons[name] = analyse_segment(
            options, study, rows, index, name, findings
        )
    report = assemble(options, study, analysis, findings, sizes, reports, comparisons)
    return _released(report, analysis)


def _released(report: GapReport, analysis: Analysis) -> tuple[GapReport, Analysis]:
    """The report and its analysis, which keeps only what contrasts between perspectives
    need (the memory bound of :func:`perceptiongap._options.kept_bytes` counts on it)."""
    if analysis.replicates is not None:
        analysis.replicates.release()
    return report, analysis


def compare_many(
    responses: ResponseSet | SummaryTable,
    reference: str,
    comparisons: Sequence[str] | None = None,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 10_000,
    method: str = "auto",
    rng: int | np.random.Generator | None = None,
    segments: Sequence[str] = (),
    p_adjust: str = "holm",
    n_permutations: int | None = None,
    batch: int | None = None,
    workers: int = 1,
    max_memory: int = 256 * 2**20,
    min_segment_n: int = 30,
    max_level_pairs: int | None = MAX_LEVEL_PAIRS,
    progress: Callable[[int, int], object] | None = None,
) -> Perspectives:
    """Compare several perspectives with one reference group, and with each other.

    Each comparison group (say marketing and sales) is compared with the reference group
    (the customers) exactly as :func:`compare` does. The random seed is drawn once, so every
    comparison resamples the reference group with the same replicates; the differences
    between perspectives (does marketing understand customers better than sales?) are then
    computed replicate by replicate.

    Parameters
    ----------
    responses : ResponseSet or SummaryTable
        Survey data whose questionnaire names three or more groups (two also works).
    reference : str
        The group whose answers are the truth (say ``"customer"``).
    comparisons : sequence of str, optional
        The groups to compare with it; by default every other group, in questionnaire order.
    confidence_level, n_resamples, method, rng, segments, p_adjust, n_permutations, batch, workers, max_memory, min_segment_n, max_level_pairs, progress
        As for :func:`compare` (the progress total covers every comparison; the replicates
        kept by every comparison count against `max_memory`, and the level pairs of every
        comparison against `max_level_pairs`).

    Returns
    -------
    Perspectives
        A read-only mapping from each comparison group to its :class:`GapReport` (each equal
        to the report of a separate :func:`compare` call with the same seed), which also
        carries ``ranking`` (the perspectives from best to least understanding, by mean
        absolute gap) and ``differences`` (a :class:`Contrast` per pair of perspectives and
        statistic: mean absolute gap, Spearman and each item's gap, with intervals and
        p-values adjusted over all of them).

    Raises
    ------
    InvalidArgumentError
        An unknown or repeated group, the reference among the comparisons, or any argument
        :func:`compare` would refuse.

    Warns
    -----
    PerceptionGapWarning
        Each doubt of every comparison, once.

    Notes
    -----
    Contrast intervals use the report's method with the acceleration set to 0 when it is
    BCa (method ``"BC"``), and their p-values are two-sided bootstrap p-values,
    ``min(1, 2 min(1 + #{d_b <= 0}, 1 + #{d_b >= 0}) / (1 + B))``. With summary data the
    groups are independent and the differences are computed the same way from the
    parametric replicates.

    Examples
    --------
    >>> import numpy as np
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b", "c", "d"], scale=pg.Binary(),
    ...                      groups=("customer", "marketing", "sales"))
    >>> rng = np.random.default_rng(0)
    >>> p = {"customer": [0.2, 0.4, 0.6, 0.8], "marketing": [0.25, 0.45, 0.55, 0.75],
    ...      "sales": [0.8, 0.6, 0.4, 0.2]}
    >>> groups = ["customer", "marketing", "sales"] * 200
    >>> values = (rng.random((600, 4)) < np.array([p[g] for g in groups])).astype(float)
    >>> rs = pg.ResponseSet.from_arrays(q, values, groups)
    >>> views = pg.compare_many(rs, "customer", n_resamples=500, rng=3)
    >>> sorted(views)
    ['marketing', 'sales']
    >>> views.best_understood()
    'marketing'
    >>> d = next(d for d in views.differences if d.statistic == "mean_absolute_gap")
    >>> d.a, d.b, d.difference.value < 0, d.p_adjusted < 0.05
    ('marketing', 'sales', True, True)
    """
    data, all_options = compare_many_iv(
        responses, reference, comparisons, confidence_level, n_resamples, method, rng,
        segments, p_adjust, n_permutations, batch, workers, max_memory, min_segment_n,
        max_level_pairs, progress,
    )  # fmt: skip
    groups = data.questionnaire.groups
    findings = Findings()
    reports: dict[str, GapReport] = {}
    analyses: list[tuple[str, Analysis]] = []
    for options in all_options:
        name = groups[options.comparison]
        own = Findings()
        reports[name], analysis = _run(data, options, own)
        analyses.append((name, analysis))
        findings.adopt(own, "")  # each report names its groups; a shared doubt once
    first = all_options[0]
    if first.progress is not None:
        first.progress.finish()
    msg = {name: Estimate(analysis.mean_squared_gap) for name, analysis in analyses}
    ranking = rank_levels(
        LevelSummary(name, r.n, r.spearman, r.mean_absolute_gap, (), msg[name])
        for name, r in reports.items()
    )
    family = Findings()
    differences = contrasts(analyses, data.questionnaire.item_ids, first, family, "perspectives")
    findings.issue(stacklevel=2)
    notes: tuple[Note, ...] = tuple(family.notes)
    return Perspectives(
        reference=groups[first.reference],
        reports=reports,
        ranking=ranking,
        differences=differences,
        notes=notes,
    )

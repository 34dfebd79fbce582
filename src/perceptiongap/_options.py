"""The validator of each public analysis entry point: arguments -> one frozen options record.

``compare_iv`` and ``compare_many_iv`` check and convert every argument in signature order
with the shared vocabulary of :mod:`perceptiongap._checks`; what they return holds no data,
only validated settings (group indices, counts, the seed material, the engine plan).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import attrs
import numpy as np

from . import _checks as check
from ._intervals import P_ADJUST
from ._procedures import METHODS
from ._resampling import Plan
from ._responses import ResponseSet
from ._scales import Binary
from ._statistics import CONTRASTED, STATISTICS, WEIGHTED_TIE_RTOL, Statistic, statistics
from ._summary import SummaryTable
from .errors import InvalidArgumentError

__all__ = [
    "MAX_LEVEL_PAIRS",
    "CompareOptions",
    "Progress",
    "compare_iv",
    "compare_many_iv",
    "kept_bytes",
    "max_workers",
]

#: Default of `max_level_pairs`: level pairs whose differences compare() computes, summed over
#: the segments (and the comparisons of compare_many()).
MAX_LEVEL_PAIRS = 5_000


def max_workers() -> int:
    """The most `workers` accepted: four threads per CPU of this machine, and never fewer
    than 64 (so a script that runs on one machine runs on another)."""
    return max(64, 4 * (os.cpu_count() or 1))


class Progress:
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
class CompareOptions:
    """compare()'s settings, validated and converted (no data)."""

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
    min_segment_n: int
    tie_rtol: float
    binary: bool
    weighted: bool
    span: float
    progress: Progress | None = attrs.field(default=None, eq=False)

    def advance(self, count: int) -> None:
        """Report `count` finished replicates (no-op without a progress callback)."""
        if self.progress is not None:
            self.progress.advance(count)

    @property
    def statistics(self) -> dict[str, Statistic]:
        """The scalar statistics, with the right tie tolerance."""
        return statistics(self.tie_rtol)


Data = ResponseSet | SummaryTable


def _data(responses: object) -> Data:
    if not isinstance(responses, (ResponseSet, SummaryTable)):
        raise TypeError(
            "`responses` must be a ResponseSet or a SummaryTable (see ResponseSet.from_csv "
            f"and ResponseSet.from_summary); got {type(responses).__name__}."
        )
    return responses


def _total_work(responses: Data, options: CompareOptions) -> int:
    """Replicates one comparison draws: resamples and permutations, top level and levels."""
    summary = isinstance(responses, SummaryTable)
    per_analysis = options.n_resamples + (0 if summary else options.n_permutations)
    segments = responses.questionnaire.segments
    return per_analysis * (1 + sum(len(segments[name]) for name in options.segments))


def _settings(
    responses: Data,
    reference: int,
    comparison: int,
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
    min_segment_n: object,
) -> CompareOptions:
    """The options after the data and the groups, in compare()'s signature order."""
    scale = responses.questionnaire.scale
    level = check.level(confidence_level)
    resamples = check.count(n_resamples, "n_resamples")
    chosen_method = check.choice(method, "method", METHODS)
    entropy = check.seed_material(rng)
    chosen_segments = check.names(
        segments, "segments", tuple(responses.questionnaire.segments), "segments",
        "('generation',)",
    )  # fmt: skip
    if chosen_segments and isinstance(responses, SummaryTable):
        raise InvalidArgumentError("`segments` needs respondent-level data, not a summary table.")
    adjust = check.choice(p_adjust, "p_adjust", P_ADJUST)
    permutations = (
        resamples if n_permutations is None else check.count(n_permutations, "n_permutations")
    )
    threads = check.positive(workers, "workers")
    if threads > max_workers():
        raise InvalidArgumentError(
            f"`workers`={threads:,} is more than {max_workers()} threads (four per CPU of "
            f"this machine, at least 64); more threads than cores never speed the resampling "
            "up, so use at most that many (the results never depend on `workers`)."
        )
    plan = Plan(
        batch=None if batch is None else check.positive(batch, "batch"),
        workers=threads,
        max_memory=check.positive(max_memory, "max_memory"),
    )
    return CompareOptions(
        reference=reference,
        comparison=comparison,
        confidence_level=level,
        n_resamples=resamples,
        method=chosen_method,
        entropy=entropy,
        segments=chosen_segments,
        p_adjust=adjust,
        n_permutations=permutations,
        plan=plan,
        min_segment_n=check.count(min_segment_n, "min_segment_n"),
        tie_rtol=WEIGHTED_TIE_RTOL if responses.weighted else 0.0,
        binary=isinstance(scale, Binary),
        weighted=responses.weighted,
        span=float(scale.high - scale.low),
    )


def kept_bytes(
    data: Data,
    options: CompareOptions,
    n_comparisons: int,
    levels: dict[str, int] | None = None,
) -> int:
    """Bytes of bootstrap replicates a comparison keeps at its peak (8 bytes a number).

    An analysis keeps, for each of the `B` resamples, both groups' item scores, the item gaps
    and every statistic: ``(3k + s) B`` numbers. Once its report is assembled it keeps only
    what contrasts read (the gaps and two statistics): ``(k + 2) B``. The peak comes in the
    last comparison's largest segment, with every earlier comparison and every earlier level
    of that segment released, its top-level analysis and one level in progress whole.
    `levels` (each segment's levels with respondents) is counted from the data unless given.
    """
    b = options.n_resamples
    k = data.questionnaire.k
    whole = (3 * k + len(STATISTICS)) * b * 8
    released = (k + len(CONTRASTED)) * b * 8
    if levels is None:
        levels = observed_levels(data, options.segments)
    segment = max(((levels[s] - 1) * released + whole for s in options.segments), default=0)
    return (n_comparisons - 1) * released + whole + segment


def observed_levels(data: Data, segments: tuple[str, ...]) -> dict[str, int]:
    """The number of levels of each segment that hold respondents in the data (a questionnaire
    may declare levels, such as every country, that a study never reaches)."""
    if isinstance(data, SummaryTable):
        return {s: len(data.questionnaire.segments[s]) for s in segments}
    return {
        s: int(np.unique(data.segment_codes[s][data.segment_codes[s] >= 0]).size) for s in segments
    }


def _bounded(
    data: Data, options: CompareOptions, n_comparisons: int, max_level_pairs: object
) -> CompareOptions:
    """Refuse a call whose kept replicates exceed `max_memory`, or that would compare more
    segment level pairs than `max_level_pairs`; the working batches get what memory is left."""
    most = check.limit(max_level_pairs, "max_level_pairs")
    levels = observed_levels(data, options.segments)
    pairs = {s: levels[s] * (levels[s] - 1) // 2 for s in options.segments}
    total = sum(pairs.values()) * n_comparisons
    if most is not None and total > most:
        name = max(pairs, key=pairs.__getitem__)
        each = sum(pairs.values())
        where = f" ({each:,} in each of {n_comparisons} comparisons)" if n_comparisons > 1 else ""
        raise InvalidArgumentError(
            f"segment {name!r} has {levels[name]:,} levels with respondents, so {total:,} level "
            "pairs would "
            f"be compared{where}, more than `max_level_pairs`={most:,}; merge levels, "
            "break the comparison down by fewer segments, or raise `max_level_pairs` "
            "(None lifts the limit)."
        )
    kept = kept_bytes(data, options, n_comparisons, levels)
    budget = options.plan.max_memory
    if kept > budget:
        what = [f"{data.questionnaire.k} items", f"{len(STATISTICS)} statistics"]
        what += [f"{levels[s]} levels of segment {s!r}" for s in options.segments]
        what += [f"{n_comparisons} comparisons"] if n_comparisons > 1 else []
        raise InvalidArgumentError(
            f"`n_resamples`={options.n_resamples:,} would keep about {check.byte_size(kept)} of "
            f"bootstrap replicates ({', '.join(what)}), more than `max_memory`="
            f"{check.byte_size(budget)}; lower `n_resamples` or raise `max_memory`."
        )
    return attrs.evolve(options, plan=attrs.evolve(options.plan, max_memory=budget - kept or 1))


def _with_progress(options: CompareOptions, progress: object, total: int) -> CompareOptions:
    """The options with a progress counter over `total` replicates, if a callback was given."""
    callback = check.callback(progress, "progress", "progress(done, total)")
    if callback is None:
        return options
    return attrs.evolve(options, progress=Progress(callback, total))


def compare_iv(
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
    min_segment_n: object,
    max_level_pairs: object,
    progress: object,
) -> tuple[Data, CompareOptions]:
    """Validate and convert compare()'s arguments, in signature order."""
    data = _data(responses)
    groups = data.groups
    ref = check.group_name(reference, "reference", groups)
    comp = check.group_name(comparison, "comparison", groups)
    if ref == comp:
        raise InvalidArgumentError(
            f"`reference` and `comparison` must be different groups; both are {reference!r}."
        )
    options = _settings(
        data, ref, comp, confidence_level, n_resamples, method, rng, segments, p_adjust,
        n_permutations, batch, workers, max_memory, min_segment_n,
    )  # fmt: skip
    options = _bounded(data, options, 1, max_level_pairs)
    return data, _with_progress(options, progress, _total_work(data, options))


def compare_many_iv(
    responses: object,
    reference: object,
    comparisons: object,
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
    min_segment_n: object,
    max_level_pairs: object,
    progress: object,
) -> tuple[Data, tuple[CompareOptions, ...]]:
    """Validate compare_many()'s arguments: one options record per comparison group.

    The seed material is drawn once, so every comparison shares the reference group's
    replicates.
    """
    data = _data(responses)
    groups = data.groups
    ref = check.group_name(reference, "reference", groups)
    if comparisons is None:
        chosen = [i for i in range(len(groups)) if i != ref]
    else:
        if isinstance(comparisons, str) or not isinstance(comparisons, (list, tuple)):
            raise InvalidArgumentError(
                f"`comparisons` must be a sequence of group names; got {comparisons!r}."
            )
        chosen = [check.group_name(g, "comparisons", groups) for g in comparisons]
        if ref in chosen:
            raise InvalidArgumentError(
                f"`comparisons` must name groups other than the reference; got {reference!r}."
            )
        twice = [groups[c] for position, c in enumerate(chosen) if c in chosen[:position]]
        if twice:
            raise InvalidArgumentError(
                f"`comparisons` names {twice[0]!r} twice; name each group once."
            )
    if not chosen:
        raise InvalidArgumentError("`comparisons` must name at least one group.")
    base = _settings(
        data, ref, chosen[0], confidence_level, n_resamples, method, rng, segments, p_adjust,
        n_permutations, batch, workers, max_memory, min_segment_n,
    )  # fmt: skip
    base = _bounded(data, base, len(chosen), max_level_pairs)
    base = _with_progress(base, progress, _total_work(data, base) * len(chosen))
    return data, tuple(attrs.evolve(base, comparison=c) for c in chosen)

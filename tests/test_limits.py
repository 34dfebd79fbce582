"""Resource limits of compare() and compare_many(): kept replicates bounded by `max_memory`,
segment level pairs by `max_level_pairs`, absurd `workers` and `batch` refused up front."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap._options import compare_iv, kept_bytes, max_workers


def _survey(k: int = 4, levels: int = 3, n: int = 120, groups: int = 2) -> pg.ResponseSet:
    names = tuple(f"g{i}" for i in range(groups))
    q = pg.Questionnaire(
        items=[f"i{j}" for j in range(k)],
        scale=pg.Likert(1, 5),
        groups=names,
        segments={"region": tuple(f"r{level}" for level in range(levels))},
    )
    rng = np.random.default_rng(1)
    values = rng.integers(1, 6, size=(n, k)).astype(float)
    group_of = [names[row % groups] for row in range(n)]
    region = [f"r{(row // groups) % levels}" for row in range(n)]
    return pg.ResponseSet.from_arrays(q, values, group_of, segments={"region": region})


def _iv(rs: pg.ResponseSet, **options: object) -> object:
    settings: dict[str, object] = {
        "confidence_level": 0.95, "n_resamples": 10_000, "method": "auto", "rng": 0,
        "segments": (), "p_adjust": "holm", "n_permutations": None, "batch": None,
        "workers": 1, "max_memory": 256 * 2**20, "min_segment_n": 30,
        "max_level_pairs": 5_000, "progress": None,
    }  # fmt: skip
    settings.update(options)
    return compare_iv(rs, "g0", "g1", *settings.values())


def test_a_trillion_resamples_are_refused_before_anything_is_allocated() -> None:
    """n_resamples=10**12 names the memory it would keep, the limit and both ways out."""
    rs = _survey()
    with pytest.raises(pg.InvalidArgumentError) as caught:
        pg.compare(rs, "g0", "g1", n_resamples=10**12, rng=0)
    message = str(caught.value)
    assert "`n_resamples`=1,000,000,000,000 would keep about" in message
    assert "TiB of bootstrap replicates (4 items, 8 statistics)" in message
    assert "more than `max_memory`=256 MiB" in message
    assert "lower `n_resamples` or raise `max_memory`" in message


def test_raising_max_memory_lifts_the_refusal() -> None:
    """The same call runs once `max_memory` covers what it keeps."""
    rs = _survey()
    _, options = _iv(rs, n_resamples=4096)  # type: ignore[misc]
    needed = kept_bytes(rs, options, 1)
    with pytest.raises(pg.InvalidArgumentError, match="`max_memory`"):
        _iv(rs, n_resamples=4096, max_memory=needed - 1)
    _iv(rs, n_resamples=4096, max_memory=needed)


def test_kept_bytes_counts_items_statistics_levels_and_comparisons() -> None:
    """(3k + 8) B numbers for an analysis in progress, (k + 2) B once released; segment levels
    and earlier comparisons count released, the top level and one level whole."""
    rs = _survey(k=4, levels=3, groups=3)
    _, options = _iv(rs, n_resamples=1000, segments=("region",))  # type: ignore[misc]
    whole, released = (3 * 4 + 8) * 1000 * 8, (4 + 2) * 1000 * 8
    assert kept_bytes(rs, options, 1) == whole + 2 * released + whole
    assert kept_bytes(rs, options, 2) == released + whole + 2 * released + whole


def test_the_default_call_on_a_large_survey_fits_the_default_limit() -> None:
    """135 items, 10,000 resamples and a 10-level segment stay within 256 MiB (checked with
    the estimate; running it is a benchmark, not a test)."""
    rs = _survey(k=135, levels=10, n=400)
    _, options = _iv(rs, segments=("region",))  # type: ignore[misc]
    assert kept_bytes(rs, options, 1) <= 256 * 2**20
    # The working batches get what the kept replicates leave.
    assert options.plan.max_memory == 256 * 2**20 - kept_bytes(rs, options, 1)


def test_the_released_analyses_keep_what_the_estimate_assumes() -> None:
    """After compare_many, each perspective's analysis holds only the gaps and the two
    contrasted statistics (the estimate counts (k + 2) B numbers for it)."""
    from perceptiongap import _compare

    rs = _survey(groups=3)
    kept: list[object] = []
    original = _compare._released

    def spy(report: pg.GapReport, analysis: object) -> object:
        result = original(report, analysis)  # type: ignore[arg-type]
        kept.append(analysis)
        return result

    with warnings.catch_warnings(), pytest.MonkeyPatch.context() as patch:
        warnings.simplefilter("ignore")
        patch.setattr(_compare, "_released", spy)
        pg.compare_many(rs, "g0", n_resamples=300, rng=0)
    for analysis in kept:
        replicates = analysis.replicates  # type: ignore[attr-defined]
        assert replicates.x.size == replicates.y.size == 0
        assert sorted(replicates.stats) == ["mean_absolute_gap", "spearman"]
        assert replicates.gaps.shape == (300, 4)


def test_a_segment_with_too_many_level_pairs_is_refused_by_name() -> None:
    """1,000 levels make 499,500 pairs: refused, naming the segment, levels, pairs and limit."""
    rs = _survey(levels=1000, n=2000)
    with pytest.raises(pg.InvalidArgumentError) as caught:
        pg.compare(rs, "g0", "g1", segments=("region",), n_resamples=0, rng=0)
    message = str(caught.value)
    assert "segment 'region' has 1,000 levels with respondents, so 499,500 level pairs" in message
    assert "more than `max_level_pairs`=5,000" in message
    assert "(None lifts the limit)" in message


def test_declared_levels_without_respondents_cost_no_pairs() -> None:
    """A questionnaire may declare every country; only levels in the data count, and only
    levels where both groups answered are compared."""
    rs = _survey(levels=3, n=120)
    wide = pg.Questionnaire(
        items=rs.questionnaire.item_ids,
        scale=rs.questionnaire.scale,
        groups=rs.questionnaire.groups,
        segments={"region": tuple(f"r{level}" for level in range(200))},
    )
    rs = pg.ResponseSet.from_arrays(
        wide, rs.values, rs.group, segments={"region": rs.segment("region")}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(rs, "g0", "g1", segments=("region",), n_resamples=256, rng=0)
    comparison = report.segment_comparisons["region"]
    assert len(report.segments["region"]) == 200  # every declared level has its report
    assert {(d.a, d.b) for d in comparison.differences} == {
        ("r0", "r1"), ("r0", "r2"), ("r1", "r2")
    }  # fmt: skip
    with pytest.raises(pg.InvalidArgumentError, match="has 3 levels with respondents, so 3"):
        pg.compare(rs, "g0", "g1", segments=("region",), n_resamples=0, max_level_pairs=2)


def test_max_level_pairs_counts_every_comparison_and_none_lifts_it() -> None:
    """compare_many compares the levels in each comparison; None lifts the limit."""
    rs = _survey(levels=3, groups=3)
    with pytest.raises(
        pg.InvalidArgumentError,
        match=r"6 level pairs would be compared \(3 in each of 2 comparisons\)",
    ):
        pg.compare_many(rs, "g0", segments=("region",), n_resamples=0, max_level_pairs=5)
    _, options = _iv(rs, segments=("region",), n_resamples=0, max_level_pairs=None)  # type: ignore[misc]
    assert options.segments == ("region",)
    with pytest.raises(pg.InvalidArgumentError, match="`max_level_pairs` must be a non-neg"):
        _iv(rs, max_level_pairs=-1)


def test_absurd_workers_are_refused_with_the_limit() -> None:
    """workers=10**6 is refused; the limit is four per CPU and never below 64."""
    assert max_workers() == max(64, 4 * (os.cpu_count() or 1))
    rs = _survey()
    with pytest.raises(pg.InvalidArgumentError, match=r"`workers`=1,000,000 is more than"):
        _iv(rs, workers=10**6)
    _iv(rs, workers=64)


def test_a_batch_beyond_the_memory_limit_is_refused() -> None:
    """A forced chunk whose working set exceeds what max_memory leaves is refused, naming
    `batch` and `max_memory`; unset, the chunks follow the limit."""
    rs = _survey(k=4, n=4000)
    with pytest.raises(pg.InvalidArgumentError, match=r"`batch`=100,000 replicates per chunk"):
        pg.compare(rs, "g0", "g1", n_resamples=100_000, batch=100_000, rng=0,
                   max_memory=32 * 2**20, method="percentile")  # fmt: skip


def test_a_repeated_segment_is_refused_not_dropped() -> None:
    """segments=("region", "region") names the repeated entry (it used to be deduplicated)."""
    rs = _survey()
    with pytest.raises(pg.InvalidArgumentError, match="`segments` names 'region' twice"):
        pg.compare(rs, "g0", "g1", segments=("region", "region"), n_resamples=0)


def test_a_repeated_comparison_group_is_refused_by_name() -> None:
    """compare_many(comparisons=[g1, g2, g1]) names the repeated group."""
    rs = _survey(groups=3)
    with pytest.raises(pg.InvalidArgumentError, match="`comparisons` names 'g1' twice"):
        pg.compare_many(rs, "g0", ["g1", "g2", "g1"], n_resamples=0)


def test_tasks_are_made_one_at_a_time() -> None:
    """A quadrillion replicates make billions of tasks; they are generated, never listed."""
    from perceptiongap._resampling import BLOCK, Plan

    tasks = Plan(batch=BLOCK).tasks(10**15, 1000)
    assert next(tasks) == (0, 1)
    assert next(tasks) == (1, 1)


def test_threads_give_the_same_report_with_few_pending_tasks() -> None:
    """Many small tasks over several threads (submitted a few at a time) change nothing."""
    rs = _survey()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = pg.compare(rs, "g0", "g1", n_resamples=3000, rng=5)
        many = pg.compare(rs, "g0", "g1", n_resamples=3000, rng=5, workers=3, batch=256)
    assert one == many


def test_permutation_counts_are_summed_not_stored_per_chunk() -> None:
    """The permutation p-values keep two counts per item, however many chunks finish."""
    from perceptiongap._analysis import _Exceedances

    rs = _survey()
    _, options = _iv(rs)  # type: ignore[misc]
    counter = _Exceedances(options, np.array([0.5, -0.5, 0.0, 1.0]))
    rng = np.random.default_rng(0)
    for start in range(0, 100 * 256, 256):
        counter.consume(start, rng.normal(size=(256, 4)), rng.normal(size=(256, 4)))
    assert counter.count.shape == counter.total.shape == (4,)
    assert (counter.total == 100 * 256).all()
    assert not hasattr(counter, "parts")


@pytest.mark.parametrize("level", [0.9999999999999999, 1 - 1e-12, 1e-12])
def test_a_confidence_level_too_close_to_an_end_is_refused_by_name(level: float) -> None:
    """Split over item pairs and tails, 1 - level would round to nothing next to 1."""
    rs = _survey()
    with pytest.raises(pg.InvalidArgumentError, match="`confidence_level` must lie between 1e-09"):
        pg.compare(rs, "g0", "g1", n_resamples=300, confidence_level=level)

"""Each statistic's interval procedure under method="auto", the closed-form intervals against
published and scipy values, and the checks every interval passes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import perceptiongap as pg
from perceptiongap._analytic import mean_variances, newcombe, welch
from perceptiongap._procedures import bounds, checked
from perceptiongap._scalar_intervals import AUTO, _bound, _welch, auto_interval, squared_image
from perceptiongap._tally import make_tally


@pytest.mark.parametrize(
    ("x2", "n2", "x1", "n1", "low", "high"),
    [
        # Newcombe (1998), Table II, method 10: the eight examples (a)-(h) of x2/n2 - x1/n1.
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
        (10, 10, 0, 10, 0.6075, 1.0),
    ],
)
def test_newcombe_reproduces_the_published_intervals(
    x2: int, n2: int, x1: int, n1: int, low: float, high: float
) -> None:
    """Newcombe's hybrid score interval (method 10) reproduces his Table II to 4 decimals."""
    got = newcombe(
        np.array([x1 / n1]),
        np.array([float(n1)]),
        np.array([x2 / n2]),
        np.array([float(n2)]),
        0.95,
    )
    assert float(got[0][0]) == pytest.approx(low, abs=6e-5)
    assert float(got[1][0]) == pytest.approx(high, abs=6e-5)


@given(st.integers(0, 40), st.integers(1, 40), st.integers(0, 40), st.integers(1, 40))
def test_newcombe_stays_in_range_and_contains_the_estimate(
    x1: int, n1: int, x2: int, n2: int
) -> None:
    """The interval lies in [-1, 1], has positive width and contains p2 - p1."""
    x1, x2 = min(x1, n1), min(x2, n2)
    p1, p2 = np.array([x1 / n1]), np.array([x2 / n2])
    low, high = newcombe(p1, np.array([float(n1)]), p2, np.array([float(n2)]), 0.95)
    assert -1 - 1e-12 <= low[0] < high[0] <= 1 + 1e-12
    assert low[0] - 1e-12 <= p2[0] - p1[0] <= high[0] + 1e-12


@given(
    st.lists(st.integers(1, 5), min_size=2, max_size=40),
    st.lists(st.integers(1, 5), min_size=2, max_size=40),
)
def test_welch_interval_from_a_tally_equals_scipy(a: list[int], b: list[int]) -> None:
    """The Welch interval from tally sums equals scipy.stats.ttest_ind(equal_var=False)."""
    if np.var(a) == 0 and np.var(b) == 0:
        return  # both constant: scipy's interval is undefined
    values = np.array(a + b, dtype=float)[:, np.newaxis]
    tally = make_tally(values, np.array([0] * len(a) + [1] * len(b)), 2)
    m1, v1, n1 = mean_variances(tally, 0)
    m2, v2, n2 = mean_variances(tally, 1)
    low, high = welch(m1, v1, n1, m2, v2, n2, 0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy's own precision notice
        expected = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.9)
    assert low[0] == pytest.approx(expected.low, rel=1e-9, abs=1e-12)
    assert high[0] == pytest.approx(expected.high, rel=1e-9, abs=1e-12)


def test_weighted_variances_are_the_linearised_ones() -> None:
    """With weights, the variance of a mean is sum w^2 (x - m)^2 / (sum w)^2 * n / (n - 1)."""
    x = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    w = np.array([1.0, 2.0, 0.5, 1.5, 3.0])
    tally = make_tally(x[:, np.newaxis], np.zeros(5, dtype=np.int64), 1, w)
    mean, variance, n = mean_variances(tally, 0)
    m = np.sum(w * x) / np.sum(w)
    expected = np.sum(w**2 * (x - m) ** 2) / np.sum(w) ** 2 * 5 / 4
    assert mean[0] == pytest.approx(m, rel=1e-14)
    assert variance[0] == pytest.approx(expected, rel=1e-12)
    assert n[0] == 5


def test_auto_uses_closed_forms_for_unweighted_gaps_and_bca_for_weighted() -> None:
    """The default gives Binary gaps Newcombe intervals; weighted data keep BCa."""
    rs = pg.datasets.load_example()
    report = pg.compare(rs, "customer", "business", n_resamples=200, rng=1)
    gap = report.item("community")
    x1, n1 = 0.22, rs.n["customer"]
    assert gap.gap.method == "newcombe"
    expected = newcombe(
        np.array([gap.reference_score]), np.array([float(n1)]),
        np.array([gap.comparison_score]),
        np.array([float(np.sum(~np.isnan(rs.values[rs.group == "business", 11])))]), 0.95,
    )  # fmt: skip
    assert (gap.gap.low, gap.gap.high) == (float(expected[0][0]), float(expected[1][0]))
    assert x1 == pytest.approx(gap.reference_score, abs=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        weighted = pg.compare(
            pg.datasets.load_example(weighted=True), "customer", "business", n_resamples=200,
            rng=1,
        )  # fmt: skip
    assert {g.gap.method for g in weighted.items} <= {"BCa", "BC", "percentile"}


def test_a_rare_item_keeps_a_real_interval() -> None:
    """An item nobody in a group chose gets a Newcombe interval of positive width, not the
    zero-width bootstrap interval."""
    rng = np.random.default_rng(2)
    q = pg.Questionnaire(items=["rare", "b", "c"], scale=pg.Binary(), groups=("x", "y"))
    values = (rng.random((60, 3)) < [0.0, 0.5, 0.7]).astype(float)
    values[30:, 0] = rng.random(30) < 0.1
    rs = pg.ResponseSet.from_arrays(q, values, ["x"] * 30 + ["y"] * 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        auto = pg.compare(rs, "x", "y", n_resamples=300, rng=1)
    rare = auto.item("rare").gap
    assert rare.method == "newcombe"
    assert rare.high - rare.low > 0.1
    assert rare.low <= rare.value <= rare.high


def test_intervals_never_leave_the_statistics_range() -> None:
    """Clipping keeps rank correlations in [-1, 1] and the non-negative statistics from 0."""
    assert bounds("spearman", 1.0) == (-1.0, 1.0)
    assert bounds("d2", 4.0) == (0.0, math.inf)
    assert bounds("gap", 4.0) == (-4.0, 4.0)
    clipped, problem = checked("spearman", pg.Estimate(0.9, 0.5, 1.3, 0.1, "basic"), 1.0)
    assert (clipped.low, clipped.high, clipped.method) == (0.5, 1.0, "basic")
    assert problem is None
    clipped, problem = checked("d2", pg.Estimate(0.01, -0.2, 0.3, 0.1, "basic"), 1.0)
    assert clipped.low == 0.0
    _, problem = checked("d2", pg.Estimate(0.5, 0.1, 0.3, 0.1, "basic"), 1.0)
    assert problem == "excludes its own estimate"
    _, problem = checked("gap", pg.Estimate(0.0, 0.0, 0.0, 0.0, "BCa"), 1.0)
    assert problem == "has zero width"
    _, problem = checked("gap", pg.Estimate(0.1, math.nan, math.nan, 0.0, "BCa"), 1.0)
    assert problem == "is undefined (NaN)"


def test_basic_intervals_of_a_report_stay_in_range() -> None:
    """Forced basic intervals (which reflect around the estimate) are clipped in a report."""
    rng = np.random.default_rng(4)
    q = pg.Questionnaire(items=list("abcdef"), scale=pg.Binary(), groups=("x", "y"))
    values = (rng.random((65, 6)) < [0.1, 0.3, 0.5, 0.6, 0.8, 0.9]).astype(float)
    rs = pg.ResponseSet.from_arrays(q, values, ["x"] * 40 + ["y"] * 25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(rs, "x", "y", n_resamples=500, method="basic", rng=3)
    for name in ("spearman", "kendall"):
        estimate = getattr(report, name)
        assert -1.0 <= estimate.low <= estimate.high <= 1.0
    for estimate in (report.mean_absolute_gap, *vars_of(report.profile)):
        assert estimate.low >= 0.0


def vars_of(profile: pg.ProfileGap) -> list[pg.Estimate]:
    return [profile.d2, profile.elevation, profile.scatter, profile.shape]


def test_summary_item_gaps_are_closed_form_under_auto() -> None:
    """Summary data: Newcombe for Binary shares, Welch from the sds for Likert means."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            pg.datasets.load_published(), "customer", "business", n_resamples=200, rng=1
        )
    assert {g.gap.method for g in report.items} == {"newcombe"}
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(1, 5), groups=("c", "b"))
    table = pg.ResponseSet.from_summary(
        q,
        {
            "c": {"n": 200, "scores": {"a": 4.1, "b": 3.0}, "sd": {"a": 0.8, "b": 1.1}},
            "b": {"n": 50, "scores": {"a": 3.9, "b": 3.6}, "sd": {"a": 0.9, "b": 1.0}},
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        likert = pg.compare(table, "c", "b", n_resamples=200, rng=1)
    expected = stats.ttest_ind_from_stats(3.6, 1.0, 50, 3.0, 1.1, 200, equal_var=False)
    interval = (
        expected.confidence_interval(0.95) if hasattr(expected, "confidence_interval") else None
    )
    gap = likert.item("b").gap
    assert gap.method == "welch"
    se = math.sqrt(1.0**2 / 50 + 1.1**2 / 200)
    df = se**4 / ((1.0**2 / 50) ** 2 / 49 + (1.1**2 / 200) ** 2 / 199)
    half = stats.t.ppf(0.975, df) * se
    assert (gap.low, gap.high) == pytest.approx((0.6 - half, 0.6 + half), abs=1e-12)
    assert interval is None or interval.low == pytest.approx(gap.low, abs=1e-9)


def test_summary_mean_gap_and_elevation_need_an_item_correlation() -> None:
    """Without item_correlation the two item-averaging intervals are withheld with a warning;
    with it they are the independent-items intervals widened by sqrt(1 + (k - 1) r)."""
    table = pg.datasets.load_published()
    with pytest.warns(pg.SummaryDataWarning, match="withheld"):
        bare = pg.compare(
            table, "customer", "business", n_resamples=1000, rng=1, method="percentile"
        )
    assert bare.mean_gap.method == "none"
    assert math.isnan(bare.profile.elevation.low)
    assert not math.isnan(bare.profile.d2.low)
    q = table.questionnaire
    figures = {
        g: {
            "n": int(table.sizes[i]),
            "scores": dict(zip(q.item_ids, map(float, table.scores[i]), strict=True)),
            "item_n": dict(zip(q.item_ids, map(int, table.item_n[i]), strict=True)),
        }
        for i, g in enumerate(q.groups)
    }
    independent = pg.ResponseSet.from_summary(q, figures, item_correlation=0.0)
    correlated = pg.ResponseSet.from_summary(q, figures, item_correlation=0.3)
    assert correlated.design_effect == pytest.approx(1 + 11 * 0.3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        a = pg.compare(
            independent, "customer", "business", n_resamples=1000, rng=1, method="percentile"
        )
        b = pg.compare(
            correlated, "customer", "business", n_resamples=1000, rng=1, method="percentile"
        )
    assert b.mean_gap.method == "design-effect"
    factor = math.sqrt(1 + 11 * 0.3)
    m = a.mean_gap.value
    assert b.mean_gap.low == pytest.approx(m - (m - a.mean_gap.low) * factor, rel=1e-12)
    assert b.mean_gap.high == pytest.approx(m + (a.mean_gap.high - m) * factor, rel=1e-12)
    assert b.profile.elevation.low == pytest.approx(12 * b.mean_gap.low**2, rel=1e-12)
    assert b.profile.elevation.high == pytest.approx(12 * b.mean_gap.high**2, rel=1e-12)
    assert any(n.code == "design_effect" for n in b.notes)
    with pytest.raises(pg.InvalidArgumentError, match="item_correlation"):
        pg.ResponseSet.from_summary(q, figures, item_correlation=1.5)
    with pytest.raises(pg.InvalidArgumentError, match="item_correlation"):
        pg.ResponseSet.from_summary(q, figures, item_correlation=-0.5)


def test_auto_records_each_scalar_procedure() -> None:
    """Under method="auto" every scalar statistic records its validated procedure."""
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=500, rng=1)
    methods = {
        "spearman": report.spearman.method,
        "kendall": report.kendall.method,
        "mean_gap": report.mean_gap.method,
        "mean_absolute_gap": report.mean_absolute_gap.method,
        **{n: getattr(report.profile, n).method for n in ("d2", "elevation", "scatter", "shape")},
    }
    assert methods == AUTO


def test_rank_projection_contains_percentile_basic_and_projection() -> None:
    """The rank correlations' interval holds the percentile and basic intervals and the
    projected one; squared intervals are exact images."""
    rng = np.random.default_rng(0)
    reps = rng.normal(0.3, 0.1, 4000) ** 2
    kwargs = {
        "x": np.zeros((4000, 3)), "y": np.zeros((4000, 3)), "gaps": np.zeros(3),
        "gap_replicates": np.zeros((4000, 3)), "gap_variances": np.zeros(3), "sizes": (10, 10),
    }  # fmt: skip
    q = np.quantile(reps, [0.025, 0.975])
    narrow = {"spearman": (0.1, 0.14)}
    low, high, _ = auto_interval("spearman", 0.12, reps, 0.95, rank_bounds=narrow, **kwargs)
    assert low == pytest.approx(min(q[0], 2 * 0.12 - q[1]))
    assert high == pytest.approx(max(q[1], 2 * 0.12 - q[0]))
    wide = {"spearman": (-0.8, 0.9)}
    assert auto_interval("spearman", 0.12, reps, 0.95, rank_bounds=wide, **kwargs)[:2] == (
        -0.8,
        0.9,
    )
    assert squared_image(12, -0.1, 0.2) == pytest.approx((0.0, 12 * 0.04))
    assert squared_image(12, 0.1, 0.2) == pytest.approx((12 * 0.01, 12 * 0.04))
    assert squared_image(12, -0.3, -0.2) == pytest.approx((12 * 0.04, 12 * 0.09))


def test_mean_absolute_gap_bound_covers_a_zero_truth() -> None:
    """With every true gap 0 the bound interval starts at 0 and covers, where the
    percentile interval of |g| never does."""
    rng = np.random.default_rng(5)
    covered = percentile_covered = 0
    for _ in range(100):
        gaps = rng.normal(0.0, 0.05, 6)
        reps = gaps + rng.normal(0.0, 0.05, (1000, 6))
        point = float(np.mean(np.abs(gaps)))
        low, high = _bound(point, gaps, reps, np.full(6, 0.05**2), 0.95)
        covered += low <= 0.0 <= high
        mag = np.mean(np.abs(reps), axis=1)
        percentile_covered += np.quantile(mag, 0.025) <= 0.0
    assert covered >= 93
    assert percentile_covered == 0


def test_mean_gap_welch_uses_each_groups_replicated_variance() -> None:
    """The mean gap's interval is m -+ t_df sqrt(v1 + v2) with v the replicate variances."""
    rng = np.random.default_rng(2)
    x = rng.normal(0.4, 0.02, (3000, 5))
    y = rng.normal(0.5, 0.04, (3000, 5))
    low, high, se = _welch(0.1, x, y, (50, 30), 0.95)
    v1, v2 = np.var(x.mean(axis=1), ddof=1), np.var(y.mean(axis=1), ddof=1)
    df = (v1 + v2) ** 2 / (v1**2 / 49 + v2**2 / 29)
    half = stats.t.ppf(0.975, df) * np.sqrt(v1 + v2)
    assert (low, high, se) == pytest.approx((0.1 - half, 0.1 + half, np.sqrt(v1 + v2)))


def test_near_tied_items_flag_the_rank_correlations() -> None:
    """Most item pairs within two standard errors: Spearman and Kendall are flagged and a
    named warning says why; well-separated items are not flagged."""
    q = pg.Questionnaire(items=list("abcdef"), scale=pg.Binary(), groups=("c", "b"))
    rng = np.random.default_rng(0)
    tied = (rng.random((60, 6)) < 0.5).astype(float)
    with pytest.warns(pg.UnreliableIntervalWarning, match="near-tied"):
        report = pg.compare(
            pg.ResponseSet.from_arrays(q, tied, ["c", "b"] * 30), "c", "b", n_resamples=400, rng=1
        )
    assert "near-tied items" in report.spearman.flags
    assert "near-tied items" in report.kendall.flags
    separated = (rng.random((600, 6)) < np.linspace(0.1, 0.9, 6)).astype(float)
    report = pg.compare(
        pg.ResponseSet.from_arrays(q, separated, ["c", "b"] * 300),
        "c",
        "b",
        n_resamples=400,
        rng=1,
    )
    assert "near-tied items" not in report.spearman.flags


def test_an_undefined_interval_of_a_defined_statistic_is_flagged() -> None:
    """A NaN interval around a defined estimate is flagged and warned about, never silent."""
    clipped, problem = checked("d2", pg.Estimate(0.3), 1.0)
    assert problem == "is undefined (NaN)"
    assert clipped.flags == ("is undefined (NaN)",)
    _, problem = checked("d2", pg.Estimate(math.nan), 1.0)
    assert problem is None


def test_rank_projection_covers_close_items_and_collapses_when_orders_are_clear() -> None:
    """Projected from simultaneous orderings, the rank correlations' bounds contain the true
    value with close items (where bootstrap intervals miss), and shrink to the estimate
    when every ordering is settled."""
    from perceptiongap._rank_sets import rank_correlation_bounds
    from perceptiongap._statistics import kendall_tau_b, spearman

    rng = np.random.default_rng(8)
    truth_x = np.array([0.50, 0.51, 0.52, 0.53, 0.30, 0.80])
    truth_y = np.array([0.53, 0.52, 0.51, 0.50, 0.30, 0.80])
    covered = 0
    for _ in range(40):
        x = truth_x + rng.normal(0, 0.02, 6)
        y = truth_y + rng.normal(0, 0.02, 6)
        rho, tau = rank_correlation_bounds(
            x, x + rng.normal(0, 0.02, (500, 6)), y, y + rng.normal(0, 0.02, (500, 6)), 0.95
        )
        covered += rho[0] <= float(spearman(truth_x, truth_y)) <= rho[1] and (
            tau[0] <= float(kendall_tau_b(truth_x, truth_y)) <= tau[1]
        )
    assert covered >= 38
    x = np.linspace(0.1, 0.9, 6)
    y = x[::-1].copy()
    rho, tau = rank_correlation_bounds(
        x, x + rng.normal(0, 0.001, (500, 6)), y, y + rng.normal(0, 0.001, (500, 6)), 0.95
    )
    assert rho == (-1.0, -1.0)
    assert tau == (-1.0, -1.0)

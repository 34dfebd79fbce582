"""Tests of bootstrap intervals, the BCa acceleration, p-values and adjustment (perceptiongap._intervals)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats
from scipy.special import ndtr, ndtri

from perceptiongap._intervals import (
    METHODS,
    Interval,
    acceleration,
    adjust,
    bootstrap_interval,
    permutation_p_value,
)
from perceptiongap._resampling import jackknife_scores
from perceptiongap._statistics import d2
from perceptiongap._tally import make_tally

# --- direct re-implementations of scipy.stats.bootstrap's formulas ------------------------------


def scipy_interval(
    replicates: np.ndarray, estimate: float, method: str, confidence_level: float, a: float
) -> tuple[float, float, float]:
    """scipy.stats.bootstrap's interval and standard error, written out from its source."""
    alpha = (1 - confidence_level) / 2
    if method == "BCa":
        b = len(replicates)
        percentile = (
            np.count_nonzero(replicates < estimate) + np.count_nonzero(replicates <= estimate)
        ) / (2 * b)
        z0 = ndtri(percentile)
        z_alpha = float(ndtri(alpha))
        num1 = z0 + z_alpha
        num2 = z0 - z_alpha
        with np.errstate(invalid="ignore", divide="ignore"):
            levels = np.array([ndtr(z0 + num1 / (1 - a * num1)), ndtr(z0 + num2 / (1 - a * num2))])
    else:
        levels = np.array([alpha, 1 - alpha])
    se = float(np.std(replicates, ddof=1))
    if np.isnan(levels).any():
        return float("nan"), float("nan"), se
    low, high = np.quantile(replicates, levels, method="linear")
    if method == "basic":
        low, high = 2 * estimate - high, 2 * estimate - low
    return float(low), float(high), se


def scipy_acceleration(jackknife: list[np.ndarray]) -> float:
    """scipy's a_hat from the plain (one value per left-out observation) jackknife of each sample."""
    nums = dens = 0.0
    for theta_i in jackknife:
        n = float(len(theta_i))
        u = (n - 1) * (theta_i.mean() - theta_i)
        nums += float(np.sum(u**3)) / n**3
        dens += float(np.sum(u**2)) / n**2
    return float(nums / (6 * dens**1.5))


def _leave_one_out_means(x: np.ndarray) -> np.ndarray:
    return np.array([np.mean(np.delete(x, i)) for i in range(len(x))])


def _ones(n: int) -> np.ndarray:
    return np.ones(n, dtype=np.int64)


# --- bootstrap_interval against the formulas ---------------------------------------------------

replicate_sets = hnp.arrays(
    np.float64,
    st.integers(2, 300),
    elements=st.integers(-40, 40).map(lambda v: v / 8),  # coarse grid: many ties
)


@settings(max_examples=60)
@given(
    replicate_sets,
    st.integers(-48, 48).map(lambda v: v / 8),
    st.sampled_from(METHODS),
    st.floats(0.5, 0.999),
    st.floats(-0.3, 0.3),
)
def test_bootstrap_interval_matches_scipy_formulas(
    replicates: np.ndarray, estimate: float, method: str, level: float, a: float
) -> None:
    """Percentile, basic and BCa bounds and the standard error equal scipy's formulas on the same replicates."""
    ours = bootstrap_interval(replicates, estimate, method, level, a if method == "BCa" else 0.0)
    low, high, se = scipy_interval(replicates, estimate, method, level, a)
    one_sided = np.all(replicates < estimate) or np.all(replicates > estimate)
    if method == "BCa" and one_sided:  # scipy's BCa is undefined there; ours says percentile
        assert ours.method == "percentile"
        low, high, se = scipy_interval(replicates, estimate, "percentile", level, a)
    np.testing.assert_allclose(
        [ours.low, ours.high, ours.standard_error],
        [low, high, se],
        rtol=1e-12,
        atol=1e-12,
        equal_nan=True,
    )
    assert ours.n_undefined == 0


@pytest.mark.parametrize("method", METHODS)
def test_bootstrap_interval_on_continuous_replicates(method: str) -> None:
    """On continuous skewed replicates each method reproduces scipy's formulas to 1e-12."""
    rng = np.random.default_rng(11)
    replicates = rng.gamma(2.0, size=4999)
    for estimate, a in ((2.0, 0.05), (1.3, -0.1), (float(replicates[17]), 0.0)):
        ours = bootstrap_interval(replicates, estimate, method, 0.9, a if method == "BCa" else 0.0)
        expected = scipy_interval(replicates, estimate, method, 0.9, a)
        np.testing.assert_allclose(
            [ours.low, ours.high, ours.standard_error], expected, rtol=1e-12, atol=0
        )
        assert ours.low <= ours.high


def test_bca_counts_ties_with_the_estimate_as_half() -> None:
    """Replicates tied with the estimate count as half below it: z0 = 0 when all are tied but balanced."""
    replicates = np.array([0.0, 1.0, 1.0, 1.0, 2.0])
    # p = (1 + 4) / 10 = 0.5, so z0 = 0 and a = 0 give the plain percentile levels.
    bca = bootstrap_interval(replicates, 1.0, "BCa", 0.8, 0.0)
    percentile = bootstrap_interval(replicates, 1.0, "percentile", 0.8, 0.0)
    assert (bca.low, bca.high) == pytest.approx((percentile.low, percentile.high), abs=1e-15)
    # Hand quantiles at 0.1 and 0.9 with linear interpolation on 5 points: 0.4 and 1.6.
    assert (percentile.low, percentile.high) == pytest.approx((0.4, 1.6), abs=1e-15)


def test_basic_interval_by_hand() -> None:
    """The basic interval reflects the percentile one about the estimate: [2t - q(hi), 2t - q(lo)]."""
    replicates = np.arange(11, dtype=float)  # quantiles at 0.05 and 0.95: 0.5 and 9.5
    percentile = bootstrap_interval(replicates, 3.0, "percentile", 0.9)
    basic = bootstrap_interval(replicates, 3.0, "basic", 0.9)
    assert (percentile.low, percentile.high) == pytest.approx((0.5, 9.5), abs=1e-14)
    assert (basic.low, basic.high) == pytest.approx((6.0 - 9.5, 6.0 - 0.5), abs=1e-14)
    assert basic.standard_error == pytest.approx(np.std(replicates, ddof=1), rel=1e-15)


@pytest.mark.parametrize("method", METHODS)
def test_nan_replicates_are_left_out_and_counted(method: str) -> None:
    """NaN replicates are dropped before the interval is computed and their number is reported."""
    rng = np.random.default_rng(5)
    defined = rng.normal(size=500)
    with_nan = defined.copy()
    holes = rng.choice(500, size=37, replace=False)
    with_nan[holes] = np.nan
    kept = with_nan[~np.isnan(with_nan)]
    a = 0.04 if method == "BCa" else 0.0
    ours = bootstrap_interval(with_nan, 0.1, method, 0.95, a)
    expected = bootstrap_interval(kept, 0.1, method, 0.95, a)
    assert ours == Interval(expected.low, expected.high, expected.standard_error, 37)
    low, high, se = scipy_interval(kept, 0.1, method, 0.95, a)
    np.testing.assert_allclose(
        [ours.low, ours.high, ours.standard_error], [low, high, se], rtol=1e-12
    )


def test_too_few_defined_replicates_or_nan_estimate_give_nan_bounds() -> None:
    """With fewer than two defined replicates, or an undefined estimate, the bounds are NaN."""
    one = bootstrap_interval(np.array([np.nan, 1.0, np.nan]), 1.0, "percentile", 0.95)
    assert np.isnan(one.low)
    assert np.isnan(one.high)
    assert np.isnan(one.standard_error)
    assert one.n_undefined == 2
    undefined_estimate = bootstrap_interval(np.arange(10.0), float("nan"), "BCa", 0.95)
    assert np.isnan(undefined_estimate.low)
    assert np.isnan(undefined_estimate.high)
    assert undefined_estimate.n_undefined == 0


def test_bca_with_estimate_outside_every_replicate_falls_back_to_percentile() -> None:
    """BCa is undefined when every replicate lies above the estimate (infinite bias
    correction): the percentile interval is returned and says so."""
    replicates = np.linspace(1.0, 2.0, 50)
    for a in (0.0, 0.1):
        out = bootstrap_interval(replicates, 0.0, "BCa", 0.95, a)
        percentile = bootstrap_interval(replicates, 0.0, "percentile", 0.95)
        assert (out.low, out.high) == (percentile.low, percentile.high)
        assert out.method == "percentile"
        assert out.standard_error == pytest.approx(np.std(replicates, ddof=1))


# --- against scipy.stats.bootstrap itself ------------------------------------------------------


@pytest.mark.parametrize("method", ["percentile", "basic", "BCa"])
@pytest.mark.parametrize("seed", [1, 2])
def test_one_sample_mean_matches_scipy_bootstrap(method: str, seed: int) -> None:
    """On scipy's own replicates of a one-sample mean, our interval equals scipy.stats.bootstrap's."""
    data = np.random.default_rng(100 + seed).exponential(size=40)  # skewed: a clearly non-zero
    res = stats.bootstrap(
        (data,),
        np.mean,
        n_resamples=3000,
        method=method,
        confidence_level=0.9,
        rng=np.random.default_rng(seed),
    )
    a = acceleration([(_leave_one_out_means(data), _ones(len(data)))]) if method == "BCa" else 0.0
    ours = bootstrap_interval(res.bootstrap_distribution, float(np.mean(data)), method, 0.9, a)
    assert abs(ours.low - res.confidence_interval.low) <= 1e-10
    assert abs(ours.high - res.confidence_interval.high) <= 1e-10
    assert abs(ours.standard_error - res.standard_error) <= 1e-12


def _difference_of_means(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.asarray(np.mean(x, axis=axis) - np.mean(y, axis=axis), dtype=np.float64)


@pytest.mark.parametrize("method", ["percentile", "basic", "BCa"])
def test_two_sample_difference_matches_scipy_bootstrap(method: str) -> None:
    """For a two-sample difference of means, our interval with the two-sample acceleration equals scipy's."""
    rng = np.random.default_rng(21)
    x = rng.lognormal(size=35)
    y = rng.exponential(size=22)
    res = stats.bootstrap(
        (x, y),
        _difference_of_means,
        n_resamples=3000,
        method=method,
        rng=np.random.default_rng(8),
    )
    a = 0.0
    if method == "BCa":
        a = acceleration(
            [
                (_leave_one_out_means(x) - y.mean(), _ones(len(x))),
                (x.mean() - _leave_one_out_means(y), _ones(len(y))),
            ]
        )
    ours = bootstrap_interval(
        res.bootstrap_distribution, float(_difference_of_means(x, y)), method, 0.95, a
    )
    assert abs(ours.low - res.confidence_interval.low) <= 1e-10
    assert abs(ours.high - res.confidence_interval.high) <= 1e-10


def test_bca_of_profile_distance_from_tally_jackknife_matches_scipy_bootstrap() -> None:
    """BCa of d2 between two groups' item means, with the acceleration from the pattern jackknife, equals scipy's."""
    rng = np.random.default_rng(31)
    k = 4
    xr = (rng.random((45, k)) < [0.2, 0.4, 0.6, 0.7]).astype(float)
    yr = (rng.random((30, k)) < [0.5, 0.5, 0.6, 0.9]).astype(float)

    def statistic(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        # scipy moves the observation axis last: samples are (k, ..., n).
        return d2(np.moveaxis(x.mean(axis=axis), 0, -1), np.moveaxis(y.mean(axis=axis), 0, -1))

    res = stats.bootstrap(
        (xr, yr), statistic, axis=0, n_resamples=2000, method="BCa", rng=np.random.default_rng(3)
    )
    tally = make_tally(np.vstack([xr, yr]), np.repeat([0, 1], [45, 30]), 2)
    x, y = tally.scores(0), tally.scores(1)
    xj, cx = jackknife_scores(tally, 0)
    yj, cy = jackknife_scores(tally, 1)
    assert len(cx) < 45  # binary items repeat: the jackknife really is compressed
    a = acceleration([(d2(xj, y[np.newaxis]), cx), (d2(x[np.newaxis], yj), cy)])
    assert a != 0.0
    ours = bootstrap_interval(res.bootstrap_distribution, float(d2(x, y)), "BCa", 0.95, a)
    assert abs(ours.low - res.confidence_interval.low) <= 1e-10
    assert abs(ours.high - res.confidence_interval.high) <= 1e-10


# --- acceleration --------------------------------------------------------------------------------


def test_acceleration_of_the_mean_has_its_closed_form() -> None:
    """For the mean, the jackknife acceleration is sum(d^3) / (6 sum(d^2)^1.5) with d = x - mean(x)."""
    x = np.random.default_rng(2).exponential(size=25)
    d = x - x.mean()
    expected = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
    assert acceleration([(_leave_one_out_means(x), _ones(25))]) == pytest.approx(
        expected, rel=1e-10
    )


@settings(max_examples=40)
@given(
    st.lists(
        st.lists(
            st.tuples(st.floats(-5, 5, allow_subnormal=False), st.integers(1, 6)),
            min_size=2,
            max_size=12,
            unique_by=lambda t: t[0],
        ),
        min_size=1,
        max_size=3,
    )
)
def test_multiplicity_weighted_acceleration_equals_the_expanded_jackknife(
    samples: list[list[tuple[float, int]]],
) -> None:
    """Distinct values with multiplicities give the same acceleration as the values repeated, as scipy computes it."""
    weighted = [
        (np.array([v for v, _ in s]), np.array([c for _, c in s], dtype=np.int64)) for s in samples
    ]
    expanded = [np.repeat(values, counts) for values, counts in weighted]
    ours = acceleration(weighted)
    plain = acceleration([(e, _ones(len(e))) for e in expanded])
    spread = max(float(np.ptp(e)) for e in expanded)
    if spread <= 1e-12 * max(
        float(np.max(np.abs(e))) for e in expanded
    ):  # relative: flat at any scale
        assert np.isnan(ours)
        assert np.isnan(plain)
        return
    # a is scale-invariant; scipy's formula on standardised values avoids underflow in the
    # reference itself when the values are tiny.
    scale = max(float(np.max(np.abs(e))) for e in expanded)
    reference = scipy_acceleration([e / scale for e in expanded])
    assert ours == pytest.approx(plain, rel=1e-9, abs=1e-12)
    assert ours == pytest.approx(reference, rel=1e-9, abs=1e-12)


def test_acceleration_is_nan_for_a_flat_jackknife() -> None:
    """Every jackknife value equal (in every sample) makes the acceleration undefined, NaN."""
    flat = [(np.full(4, 0.25), np.array([3, 1, 2, 5]))]
    assert np.isnan(acceleration(flat))
    assert np.isnan(acceleration([*flat, (np.full(2, -1.0), np.array([1, 1]))]))
    # Rounding-level differences still count as flat.
    assert np.isnan(acceleration([(np.array([0.3, 0.1 + 0.2]), _ones(2))]))


def test_acceleration_is_nan_when_a_jackknife_value_is_nan() -> None:
    """A NaN jackknife value anywhere makes the acceleration NaN."""
    good = (np.array([0.1, 0.5, 0.2]), _ones(3))
    assert np.isnan(acceleration([(np.array([0.1, np.nan, 0.2]), _ones(3))]))
    assert np.isnan(acceleration([good, (np.array([np.nan, 1.0]), _ones(2))]))
    assert np.isfinite(acceleration([good]))


def test_acceleration_with_one_flat_sample_uses_the_other() -> None:
    """A flat jackknife in one sample contributes nothing; the other sample still defines a."""
    x = np.array([0.1, 0.5, 0.2, 0.9])
    flat = np.full(3, 0.4)
    assert acceleration([(x, _ones(4)), (flat, _ones(3))]) == pytest.approx(
        scipy_acceleration([x, flat]), rel=1e-12
    )


# --- permutation p-values ------------------------------------------------------------------------


def test_permutation_p_value_by_hand() -> None:
    """p = (1 + #{|T_b| >= |T|}) / (1 + B), two-sided, with ties counted as extreme."""
    null = np.array([[-3.0], [1.0], [2.0], [-2.0], [0.5]])
    assert permutation_p_value(null, np.array([2.0]))[0] == pytest.approx(4 / 6)
    assert permutation_p_value(null, np.array([-2.0]))[0] == pytest.approx(4 / 6)
    assert permutation_p_value(null, np.array([5.0]))[0] == pytest.approx(1 / 6)
    assert permutation_p_value(null, np.array([0.0]))[0] == pytest.approx(1.0)


def test_permutation_p_value_counts_rounding_ties() -> None:
    """A permuted statistic equal to the observed one up to float rounding counts as tied."""
    null = np.array([[0.3], [0.1]])
    observed = np.array([0.1 + 0.2])  # 0.30000000000000004 > 0.3
    assert permutation_p_value(null, observed)[0] == pytest.approx(2 / 3)


def test_permutation_p_value_per_column_with_nan() -> None:
    """Columns are tested separately; NaN permuted values are left out; a NaN observation gives NaN."""
    null = np.array([[1.0, np.nan, 0.0], [-1.0, 2.0, 0.0], [0.2, np.nan, 0.0], [3.0, -0.5, 0.0]])
    p = permutation_p_value(null, np.array([1.0, 1.0, np.nan]))
    assert p[0] == pytest.approx((1 + 3) / (1 + 4))
    assert p[1] == pytest.approx((1 + 1) / (1 + 2))
    assert np.isnan(p[2])


@settings(max_examples=30)
@given(
    hnp.arrays(np.float64, (40, 3), elements=st.integers(-5, 5).map(float)),
    hnp.arrays(np.float64, 3, elements=st.integers(-5, 5).map(float)),
)
def test_permutation_p_value_matches_the_definition(
    null: np.ndarray, observed: np.ndarray
) -> None:
    """Every p-value equals (1 + count of |null| >= |observed|) / (1 + B) and lies in (0, 1]."""
    p = permutation_p_value(null, observed)
    expected = (1 + (np.abs(null) >= np.abs(observed)).sum(axis=0)) / (1 + len(null))
    np.testing.assert_allclose(p, expected, rtol=1e-15)
    assert ((p > 0) & (p <= 1)).all()


# --- multiplicity adjustment --------------------------------------------------------------------


def test_holm_and_bh_by_hand() -> None:
    """Holm and Benjamini-Hochberg give the hand-computed adjusted p-values."""
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Sorted: 0.005, 0.01, 0.03, 0.04. Holm: 4*0.005, 3*0.01, 2*0.03, max(1*0.04, 0.06).
    np.testing.assert_allclose(adjust(p, "holm"), [0.03, 0.06, 0.06, 0.02], rtol=1e-14)
    # BH: 4*0.005/1, 4*0.01/2, 4*0.03/3, 4*0.04/4 -> running minimum from the top.
    np.testing.assert_allclose(adjust(p, "bh"), [0.02, 0.04, 0.04, 0.02], rtol=1e-14)


def test_holm_caps_at_one() -> None:
    """Holm-adjusted p-values never exceed 1."""
    np.testing.assert_array_equal(adjust(np.array([0.5, 0.6, 0.9]), "holm"), [1.0, 1.0, 1.0])


def _holm_rejects(p: np.ndarray, alpha: float) -> np.ndarray:
    """Holm's step-down procedure: reject p_(1), p_(2), ... while (m - j + 1) p_(j) <= alpha."""
    m = len(p)
    rejected = np.zeros(m, dtype=bool)
    for j, i in enumerate(np.argsort(p, kind="stable"), start=1):
        if (m - j + 1) * p[i] > alpha:
            break
        rejected[i] = True
    return rejected


def _bh_rejects(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini-Hochberg's step-up procedure: reject every p <= p_(j*), j* the largest j with m p_(j) / j <= alpha."""
    m = len(p)
    ordered = np.sort(p)
    passing = [j for j in range(1, m + 1) if (m / j) * ordered[j - 1] <= alpha]  # R's order
    if not passing:
        return np.zeros(m, dtype=bool)
    return np.asarray(p <= ordered[max(passing) - 1])


probabilities = hnp.arrays(
    np.float64,
    st.integers(1, 25),
    elements=st.one_of(
        st.floats(0, 1, allow_subnormal=False), st.sampled_from([0.001, 0.01, 0.05, 0.2])
    ),
)


@settings(max_examples=60)
@given(probabilities)
def test_adjusted_p_values_reproduce_the_step_procedures(p: np.ndarray) -> None:
    """Rejecting where the adjusted p-value is <= alpha is exactly Holm's and BH's procedure at alpha."""
    holm, bh = adjust(p, "holm"), adjust(p, "bh")
    for alpha in {*holm.tolist(), *bh.tolist(), 0.0, 0.01, 0.05, 0.5}:
        if alpha >= 1.0:
            continue
        np.testing.assert_array_equal(holm <= alpha, _holm_rejects(p, alpha))
        np.testing.assert_array_equal(bh <= alpha, _bh_rejects(p, alpha))


@settings(max_examples=60)
@given(probabilities)
def test_bh_matches_scipy_false_discovery_control(p: np.ndarray) -> None:
    """Benjamini-Hochberg equals scipy.stats.false_discovery_control(p, method='bh')."""
    np.testing.assert_allclose(
        adjust(p, "bh"), stats.false_discovery_control(p, method="bh"), rtol=1e-12, atol=1e-15
    )


@settings(max_examples=60)
@given(probabilities)
def test_adjusted_p_values_are_ordered_and_bounded(p: np.ndarray) -> None:
    """Adjusted p-values are >= the raw ones (to rounding) and <= 1, Holm's >= BH's, and both keep the raw order."""
    holm, bh = adjust(p, "holm"), adjust(p, "bh")
    for adjusted in (holm, bh):
        assert (adjusted >= p * (1 - 1e-15)).all()
        assert (adjusted <= 1.0).all()
        order = np.argsort(p, kind="stable")
        assert (np.diff(adjusted[order]) >= 0).all()
    assert (holm >= bh * (1 - 1e-15)).all()
    np.testing.assert_array_equal(adjust(p, "none"), p)


def test_adjusted_p_values_are_never_below_raw_or_above_holm_by_rounding() -> None:
    """BH-adjusted p-values are >= the raw ones and <= Holm's exactly, not just up to an ulp.

    Both hold exactly when the BH factor is computed as ``(m / j) * p`` (as R's p.adjust
    does): ``m / m`` is exactly 1, and a factor >= 1 never rounds a product below ``p``.
    """
    cases = [np.full(17, 0.99999), np.array([0.05, 0.0, 0.0])]
    rng = np.random.default_rng(0)
    cases += [
        rng.choice([0.01, 0.03, 0.05, 0.07, 0.1, 0.3, 0.99999], size=int(rng.integers(1, 30)))
        for _ in range(300)
    ]
    for p in cases:
        holm, bh = adjust(p, "holm"), adjust(p, "bh")
        assert (bh >= p).all(), p
        assert (holm >= p).all(), p
        assert (holm >= bh).all(), p


def test_nan_p_values_are_left_out_of_the_family() -> None:
    """NaN p-values stay NaN and do not count in the family size m."""
    p = np.array([0.01, np.nan, 0.04, np.nan, 0.03])
    defined = np.array([0.01, 0.04, 0.03])
    for method in ("holm", "bh"):
        out = adjust(p, method)
        assert np.isnan(out[[1, 3]]).all()
        np.testing.assert_allclose(out[[0, 2, 4]], adjust(defined, method), rtol=1e-15)
    np.testing.assert_array_equal(adjust(p, "none"), p)
    assert np.isnan(adjust(np.array([np.nan, np.nan]), "holm")).all()
    assert adjust(np.array([]), "bh").shape == (0,)


def test_adjust_none_returns_the_input_values() -> None:
    """method='none' returns the p-values unchanged (as a new array)."""
    p = np.array([0.2, 0.01, 1.0])
    out = adjust(p, "none")
    np.testing.assert_array_equal(out, p)
    out[0] = 0.9
    assert p[0] == 0.2

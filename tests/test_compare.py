"""compare(): reference values, scipy agreement, degenerate data, argument validation."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import perceptiongap as pg
from perceptiongap._statistics import spearman

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ibm2011_social_crm.json"


def _binary_set(
    values_ref: np.ndarray, values_comp: np.ndarray, k: int | None = None
) -> pg.ResponseSet:
    k = values_ref.shape[1] if k is None else k
    q = pg.Questionnaire(
        items=[pg.Item(f"i{j}") for j in range(k)],
        scale=pg.Binary(),
        groups=("customer", "business"),
    )
    values = np.vstack([values_ref, values_comp])
    groups = ["customer"] * len(values_ref) + ["business"] * len(values_comp)
    return pg.ResponseSet.from_arrays(q, values, groups)


@pytest.fixture(scope="module")
def example() -> pg.ResponseSet:
    """The bundled simulated respondents."""
    return pg.datasets.load_example()


@pytest.fixture(scope="module")
def small_example(example: pg.ResponseSet) -> pg.ResponseSet:
    """A few hundred respondents and six items of the example, for scipy comparisons."""
    rng = np.random.default_rng(3)
    codes = example.group_codes
    ref = rng.choice(np.flatnonzero(codes == 0), 160, replace=False)
    comp = rng.choice(np.flatnonzero(codes == 1), 70, replace=False)
    keep = np.concatenate([ref, comp])
    items = [0, 1, 3, 6, 9, 11]
    q = pg.Questionnaire(
        items=[example.questionnaire.items[j] for j in items],
        scale=pg.Binary(),
        groups=("customer", "business"),
    )
    return pg.ResponseSet.from_arrays(q, example.values[keep][:, items], example.group[keep])


def test_point_estimates_match_hand_computation(example: pg.ResponseSet) -> None:
    """Item scores are available-case means per group and gaps are comparison - reference."""
    report = pg.compare(example, "customer", "business", n_resamples=0, n_permutations=0)
    ref = np.nanmean(example.values[example.group_codes == 0], axis=0)
    comp = np.nanmean(example.values[example.group_codes == 1], axis=0)
    got_ref = np.array([g.reference_score for g in report.items])
    got_gap = np.array([g.gap.value for g in report.items])
    np.testing.assert_allclose(got_ref, ref, rtol=0, atol=1e-15)
    np.testing.assert_allclose(got_gap, comp - ref, rtol=0, atol=1e-15)
    assert report.n == {"customer": 1056, "business": 351}
    assert report.spearman.value == pytest.approx(stats.spearmanr(ref, comp).statistic, abs=1e-12)
    assert report.kendall.value == pytest.approx(stats.kendalltau(ref, comp).statistic, abs=1e-12)
    assert report.mean_absolute_gap.value == pytest.approx(np.mean(np.abs(comp - ref)), abs=1e-15)


def test_published_table_reproduces_the_reference_figures() -> None:
    """The IBM table gives Spearman 0.00704, Kendall 0.0625 and mean gap 0.2083."""
    with pytest.warns(pg.SummaryDataWarning):
        report = pg.compare(
            pg.datasets.load_published(), "customer", "business", rng=1, n_resamples=500
        )
    assert report.spearman.value == pytest.approx(0.00704, abs=5e-6)
    assert report.kendall.value == pytest.approx(0.0625, abs=5e-5)
    assert report.mean_gap.value == pytest.approx(0.2083, abs=5e-5)
    assert report.data == "summary"
    assert any("summary data" in w for w in report.warnings)
    table = json.loads(SHARED.read_text()) if SHARED.exists() else pg.datasets.published_table()
    for gap, entry in zip(report.items, table["items"], strict=True):
        assert gap.reference_score == entry["customer"]
        assert gap.comparison_score == entry["business"]


def test_summary_p_values_are_two_proportion_z_tests() -> None:
    """For Binary summary data the raw p-value is the pooled two-proportion z-test."""
    with pytest.warns(pg.SummaryDataWarning):
        report = pg.compare(pg.datasets.load_published(), "customer", "business", n_resamples=0)
    gap = report.item("community")
    p1, n1, p2, n2 = 0.22, 1056, 0.61, 329
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p2 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert gap.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


def test_summary_welch_and_normal_bootstrap() -> None:
    """A Likert summary with sds uses Welch's t and a normal parametric bootstrap."""
    q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=("c", "b"))
    table = {
        "c": {
            "n": 200,
            "scores": {"a": 4.1, "b": 3.0, "c": 2.2},
            "sd": {"a": 0.8, "b": 1.1, "c": 1.0},
        },
        "b": {
            "n": 50,
            "scores": {"a": 3.9, "b": 3.6, "c": 3.1},
            "sd": {"a": 0.9, "b": 1.0, "c": 1.2},
        },
    }
    with pytest.warns(pg.SummaryDataWarning):
        report = pg.compare(
            pg.ResponseSet.from_summary(q, table), "c", "b", rng=2, n_resamples=4000
        )
    expected = stats.ttest_ind_from_stats(3.6, 1.0, 50, 3.0, 1.1, 200, equal_var=False).pvalue
    assert report.item("b").p_value == pytest.approx(expected, rel=1e-12)
    se = np.sqrt(1.0**2 / 50 + 1.1**2 / 200)
    assert report.item("b").gap.standard_error == pytest.approx(se, rel=0.05)


@given(
    st.floats(1.0, 5.0), st.floats(0.0, 2.0), st.integers(2, 5000),
    st.floats(1.0, 5.0), st.floats(0.0, 2.0), st.integers(2, 5000),
)  # fmt: skip
def test_welch_and_z_formulas_match_scipy_stats(
    m1: float, s1: float, n1: int, m2: float, s2: float, n2: int
) -> None:
    """The scipy.special forms of Welch's t-test and the pooled z-test agree with
    scipy.stats (imported only by the tests) to 1e-10, degenerate spreads included."""
    from perceptiongap._summary_analysis import two_proportion_p, welch_p

    args = [np.array([v]) for v in (m1, s1, n1, m2, s2, n2)]
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue
    got = float(welch_p(*args)[0])
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected, abs=1e-10)
    p1, p2 = (m1 - 1) / 4, (m2 - 1) / 4
    z_got = float(
        two_proportion_p(np.array([p1]), np.array([n1]), np.array([p2]), np.array([n2]))[0]
    )
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se > 0:
        assert z_got == pytest.approx(2 * stats.norm.sf(abs(p2 - p1) / se), abs=1e-12)
    else:
        assert np.isnan(z_got)


def test_summary_without_sd_gives_no_intervals() -> None:
    """A non-Binary summary without sds gives NaN bounds, untested verdicts, and a note why."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(low=1, high=5), groups=("c", "b"))
    table = {
        "c": {"n": 20, "scores": {"a": 4.0, "b": 3.0}},
        "b": {"n": 20, "scores": {"a": 3.0, "b": 3.5}},
    }
    with pytest.warns(pg.SummaryDataWarning, match="summary data"):
        report = pg.compare(
            pg.ResponseSet.from_summary(q, table), "c", "b", rng=1, n_resamples=100
        )
    assert np.isnan(report.item("a").gap.low)
    assert np.isnan(report.item("a").p_value)
    assert report.item("a").verdict == "untested"
    assert any("no per-item sd" in n.message for n in report.notes)


def _scipy_two_sample(
    rs: pg.ResponseSet, statistic_of_scores, method: str, n_resamples: int, seed: int
) -> stats._resampling.BootstrapResult:
    ref = rs.values[rs.group_codes == 0]
    comp = rs.values[rs.group_codes == 1]

    def statistic(i: np.ndarray, j: np.ndarray, axis: int = -1) -> np.ndarray:
        x = np.nanmean(ref[i.astype(int)], axis=-2)
        y = np.nanmean(comp[j.astype(int)], axis=-2)
        return statistic_of_scores(x, y)

    return stats.bootstrap(
        (np.arange(len(ref), dtype=float), np.arange(len(comp), dtype=float)),
        statistic,
        n_resamples=n_resamples,
        method=method,
        vectorized=True,
        rng=np.random.default_rng(seed),
    )


def _quantile_mc_se(distribution: np.ndarray, p: float) -> float:
    """Monte Carlo SE of a bootstrap p-quantile, from order statistics (distribution-free)."""
    b = len(distribution)
    delta = np.sqrt(p * (1 - p) / b)
    lo, hi = np.quantile(distribution, [max(p - delta, 0.0), min(p + delta, 1.0)])
    return float(hi - lo) / 2


def _tolerance(distribution: np.ndarray, levels: list[float]) -> float:
    """Four SDs of the difference of two independent estimates of the bound.

    A rank correlation takes few distinct values, so a quantile interpolates between atoms
    and its Monte Carlo error includes the spacing of the atoms around it.
    """
    se = max(_quantile_mc_se(distribution, p) for p in levels)
    b = len(distribution)
    spacing = max(
        float(
            np.ptp(
                np.quantile(
                    distribution,
                    [
                        max(p - 3 * np.sqrt(p * (1 - p) / b), 0),
                        min(p + 3 * np.sqrt(p * (1 - p) / b), 1),
                    ],
                )
            )
        )
        for p in levels
    )
    return max(4 * np.sqrt(2) * se, spacing) + 1e-12


@pytest.mark.parametrize("method", ["percentile", "basic", "BCa"])
@pytest.mark.parametrize(
    ("name", "scores_statistic"),
    [
        ("spearman", spearman),
        ("mean_absolute_gap", lambda x, y: np.mean(np.abs(y - x), axis=-1)),
        ("gap2", lambda x, y: y[..., 2] - x[..., 2]),
    ],
)
def test_intervals_agree_with_scipy_bootstrap(
    small_example: pg.ResponseSet, method: str, name: str, scores_statistic
) -> None:
    """Bounds agree with scipy.stats.bootstrap on the same statistic within 4 Monte Carlo SDs."""
    b = 4000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            small_example,
            "customer",
            "business",
            n_resamples=b,
            method=method,
            rng=11,
            n_permutations=0,
        )
    ours = report.items[2].gap if name == "gap2" else getattr(report, name)
    theirs = _scipy_two_sample(small_example, scores_statistic, method, b, seed=12)
    dist = theirs.bootstrap_distribution
    if name == "spearman":  # ours never leaves the statistic's range: compare clipped bounds
        theirs.confidence_interval = type(theirs.confidence_interval)(
            *np.clip([theirs.confidence_interval.low, theirs.confidence_interval.high], -1, 1)
        )
    low_levels = [0.025] if method != "BCa" else [0.005, 0.01, 0.025, 0.05]
    high_levels = [0.975] if method != "BCa" else [0.95, 0.975, 0.99, 0.995]
    if method == "basic":
        low_levels, high_levels = high_levels, low_levels
    assert ours.low == pytest.approx(
        theirs.confidence_interval.low, abs=_tolerance(dist, low_levels)
    )
    assert ours.high == pytest.approx(
        theirs.confidence_interval.high, abs=_tolerance(dist, high_levels)
    )
    assert ours.standard_error == pytest.approx(theirs.standard_error, rel=0.1)


def test_flat_jackknife_uses_zero_acceleration_and_records_it() -> None:
    """Spearman of well-separated item means has a flat jackknife: a = 0, the estimate records
    method "BC" and a note names it (a fact, not a warning)."""
    rng = np.random.default_rng(5)
    shares_ref = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    shares_comp = np.array([0.2, 0.9, 0.4, 0.6, 0.1])
    ref = (rng.random((300, 5)) < shares_ref).astype(float)
    comp = (rng.random((300, 5)) < shares_comp).astype(float)
    rs = _binary_set(ref, comp)
    with pytest.warns(pg.DegenerateStatisticWarning) as caught:
        bca = pg.compare(rs, "customer", "business", n_resamples=2000, method="BCa", rng=3)
    # The orderings never change in resampling: the interval is a single point, and says so.
    assert {str(w.message)[:30] for w in caught} == {
        "the interval of Spearman rho h",
        "the interval of Kendall tau-b ",
    }
    assert all("has zero width" in str(w.message) for w in caught)
    assert bca.spearman.method == "BC"
    assert bca.mean_gap.method == "BCa"
    assert any(
        n.code == "bc_interval" and n.subject == "spearman" and "a = 0" in n.message
        for n in bca.notes
    )
    assert not any("a = 0" in w for w in bca.warnings)
    # With a = 0, BCa is the bias-corrected percentile interval: recompute it by hand.
    from perceptiongap._intervals import bootstrap_interval
    from perceptiongap._resampling import Streams, bootstrap_scores
    from perceptiongap._tally import make_tally

    tally = make_tally(rs.values, rs.group_codes, 2)
    streams = Streams(bca.seed)
    xb = bootstrap_scores(tally, 0, 2000, streams, (0, 0))
    yb = bootstrap_scores(tally, 1, 2000, streams, (0, 1))
    expected = bootstrap_interval(spearman(xb, yb), bca.spearman.value, "BCa", 0.95, 0.0)
    assert (bca.spearman.low, bca.spearman.high) == (expected.low, expected.high)


def test_constant_scores_give_nan_correlations_and_a_warning() -> None:
    """A constant score profile makes the rank correlations NaN, with a warning, never 0."""
    ref = np.ones((10, 3))
    comp = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 1], [1, 0, 0]], dtype=float)
    with pytest.warns(pg.DegenerateStatisticWarning, match="same score"):
        report = pg.compare(_binary_set(ref, comp), "customer", "business", n_resamples=200, rng=1)
    assert np.isnan(report.spearman.value)
    assert np.isnan(report.kendall.value)
    assert np.isnan(report.spearman.low)
    assert any("rank correlations are undefined" in w for w in report.warnings)
    assert not np.isnan(report.mean_gap.value)


def test_undefined_replicates_are_left_out_and_counted() -> None:
    """Replicates in which Spearman is undefined are left out and the warning counts them."""
    ref = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]], dtype=float)
    comp = np.array([[1, 0, 0], [0, 1, 1], [1, 1, 1], [0, 0, 1]], dtype=float)
    with pytest.warns(pg.DegenerateStatisticWarning, match="undefined in"):
        report = pg.compare(_binary_set(ref, comp), "customer", "business", n_resamples=500, rng=2)
    message = next(w for w in report.warnings if w.startswith("Spearman rho was undefined"))
    assert "of 500 resamples" in message


def test_zero_resamples_gives_point_estimates_with_nan_bounds(example: pg.ResponseSet) -> None:
    """n_resamples=0 gives point estimates, NaN bounds and standard errors, and no p-values:
    every estimate's method is "none", every verdict "untested", and a note (no warning)
    says no test was run."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pg.PerceptionGapWarning)
        report = pg.compare(example, "customer", "business", n_resamples=0)
    assert [n.code for n in report.notes] == ["no_test"]
    assert not np.isnan(report.spearman.value)
    for estimate in (report.spearman, report.items[0].gap, report.profile.shape):
        assert np.isnan(estimate.low)
        assert np.isnan(estimate.high)
        assert np.isnan(estimate.standard_error)
        assert estimate.method == "none"
    assert all(np.isnan(g.p_value) and g.verdict == "untested" for g in report.items)
    assert not any(g.tested or g.significant for g in report.items)
    assert "No tests" in str(report)
    assert "untested" in str(report)


def test_permutations_without_bootstrap(example: pg.ResponseSet) -> None:
    """n_permutations can be set on its own; p-values follow (1 + count) / (1 + B)."""
    report = pg.compare(example, "customer", "business", n_resamples=0, n_permutations=999, rng=4)
    p = np.array([g.p_value for g in report.items])
    assert np.all((p >= 1 / 1000) & (p <= 1))
    assert np.allclose(p * 1000, np.round(p * 1000))
    assert report.item("community").verdict == "overestimated"
    assert report.item("discounts").verdict == "aligned"


def test_permutation_p_values_match_explicit_label_permutation() -> None:
    """Permutation p-values agree with scipy.stats.permutation_test of |gap| on each item."""
    rng = np.random.default_rng(8)
    ref = (rng.random((40, 3)) < [0.3, 0.5, 0.6]).astype(float)
    comp = (rng.random((25, 3)) < [0.6, 0.5, 0.4]).astype(float)
    report = pg.compare(
        _binary_set(ref, comp),
        "customer",
        "business",
        n_resamples=0,
        n_permutations=20000,
        rng=9,
        p_adjust="none",
    )
    for j in range(3):
        res = stats.permutation_test(
            (ref[:, j], comp[:, j]),
            lambda a, b, axis=-1: np.abs(b.mean(axis=axis) - a.mean(axis=axis)),
            n_resamples=20000,
            alternative="greater",
            vectorized=True,
            rng=np.random.default_rng(j),
        )
        ours = report.items[j].p_value
        se = np.sqrt(res.pvalue * (1 - res.pvalue) / 20000)
        assert ours == pytest.approx(res.pvalue, abs=4 * np.sqrt(2) * se + 1e-4)


def test_holm_and_bh_adjustment_and_verdict_rule(example: pg.ResponseSet) -> None:
    """p_adjusted is Holm by default, BH on request; verdicts follow the DESIGN rule."""
    holm = pg.compare(example, "customer", "business", n_resamples=0, n_permutations=999, rng=5)
    bh = pg.compare(
        example, "customer", "business", n_resamples=0, n_permutations=999, rng=5, p_adjust="bh"
    )
    raw = np.array([g.p_value for g in holm.items])
    np.testing.assert_array_equal(raw, [g.p_value for g in bh.items])
    np.testing.assert_allclose(
        [g.p_adjusted for g in bh.items], stats.false_discovery_control(raw, method="bh")
    )
    for g in holm.items:
        assert g.p_adjusted >= g.p_value
        expected = "aligned"
        if g.p_adjusted < 0.05:
            expected = "overestimated" if g.gap.value > 0 else "underestimated"
        assert g.verdict == expected


def test_same_seed_same_report_and_recorded_seed_reproduces(example: pg.ResponseSet) -> None:
    """An int seed, a Generator in the same state and the recorded seed all reproduce a report."""
    kwargs = {"n_resamples": 300, "method": "BCa"}
    a = pg.compare(example, "customer", "business", rng=42, **kwargs)
    b = pg.compare(example, "customer", "business", rng=42, **kwargs)
    assert a == b
    assert str(a) == str(b)
    c = pg.compare(example, "customer", "business", rng=np.random.default_rng(42), **kwargs)
    d = pg.compare(example, "customer", "business", rng=np.random.default_rng(42), **kwargs)
    assert c == d
    e = pg.compare(example, "customer", "business", rng=None, **kwargs)
    assert pg.compare(example, "customer", "business", rng=e.seed, **kwargs) == e
    assert pg.compare(example, "customer", "business", rng=43, **kwargs) != a


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"reference": "nobody"}, "`reference` must be one of"),
        ({"comparison": "nobody"}, "`comparison` must be one of"),
        ({"comparison": "customer"}, "must be different groups"),
        ({"confidence_level": 1.0}, "`confidence_level`"),
        ({"confidence_level": 0}, "`confidence_level`"),
        ({"confidence_level": 95}, "`confidence_level`"),
        ({"n_resamples": -1}, "`n_resamples`"),
        ({"n_resamples": 10.5}, "`n_resamples`"),
        ({"method": "bca"}, "`method`.*case-sensitive"),
        ({"method": "normal"}, "`method`"),
        ({"p_adjust": "bonferroni"}, "`p_adjust`"),
        ({"segments": "generation"}, "`segments`"),
        ({"segments": ("age",)}, "`segments` names 'age'"),
        ({"rng": -3}, "`rng`"),
        ({"n_permutations": -1}, "`n_permutations`"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_the_parameter(
    example: pg.ResponseSet, kwargs: dict[str, object], match: str
) -> None:
    """Each bad argument raises InvalidArgumentError (a ValueError) naming the parameter."""
    arguments: dict[str, object] = {
        "reference": "customer",
        "comparison": "business",
        "n_resamples": 0,
    }
    arguments.update(kwargs)
    with pytest.raises(pg.InvalidArgumentError, match=match) as info:
        pg.compare(example, **arguments)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)


def test_wrong_types_raise_type_errors(example: pg.ResponseSet) -> None:
    """A non-ResponseSet or a strange rng raises TypeError naming the parameter."""
    with pytest.raises(TypeError, match="`responses`"):
        pg.compare(example.values, "customer", "business")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`rng`"):
        pg.compare(example, "customer", "business", rng="seven")  # type: ignore[arg-type]


def test_segments_give_per_level_reports_equal_to_where(example: pg.ResponseSet) -> None:
    """Each level's report has the point estimates of compare(rs.where(level))."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            example, "customer", "business", n_resamples=50, rng=1, segments=("generation",)
        )
        assert set(report.segments["generation"]) == {"GenY", "GenX", "Boomer"}
        for level, sub in report.segments["generation"].items():
            direct = pg.compare(
                example.where(generation=level), "customer", "business", n_resamples=0
            )
            assert sub.spearman.value == direct.spearman.value
            assert [g.gap.value for g in sub.items] == [g.gap.value for g in direct.items]
            assert sub.n["business"] == 351
            assert not any("kept whole" in w for w in sub.warnings)
            assert any(n.code == "kept_whole" and n.subject == "business" for n in sub.notes)
    assert any(n.code == "kept_whole" for n in report.notes)
    assert not any("see report.segments" in w for w in report.warnings)


def test_item_nobody_answered_gives_nan_and_a_warning() -> None:
    """An item no respondent of a group answered has a NaN score and a warning, not an error."""
    ref = np.array([[1, 0, np.nan], [0, 1, np.nan], [1, 1, np.nan]])
    comp = np.array([[1, 0, 1], [0, 1, 1]], dtype=float)
    with pytest.warns(pg.DegenerateStatisticWarning, match="answered item"):
        report = pg.compare(_binary_set(ref, comp), "customer", "business", n_resamples=50, rng=1)
    assert np.isnan(report.items[2].reference_score)
    assert np.isnan(report.spearman.value)
    assert report.items[0].gap.value == pytest.approx(0.5 - 2 / 3)

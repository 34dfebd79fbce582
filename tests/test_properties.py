"""Invariances of compare() that must hold for every valid survey (hypothesis)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from strategies import Survey, surveys

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """Degenerate random surveys warn by design; the properties are about the numbers."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        yield


def _point(report: pg.GapReport) -> dict[str, object]:
    return {
        "gaps": [g.gap.value for g in report.items],
        "ref": [g.reference_score for g in report.items],
        "comp": [g.comparison_score for g in report.items],
        "spearman": report.spearman.value,
        "kendall": report.kendall.value,
        "mean_gap": report.mean_gap.value,
        "mag": report.mean_absolute_gap.value,
        "d2": report.profile.d2.value,
        "elevation": report.profile.elevation.value,
        "scatter": report.profile.scatter.value,
        "shape": report.profile.shape.value,
    }


def _assert_close(a: dict[str, object], b: dict[str, object]) -> None:
    for key in a:
        np.testing.assert_allclose(
            np.asarray(a[key], dtype=float),
            np.asarray(b[key], dtype=float),
            rtol=1e-12,
            atol=1e-12,
            err_msg=key,
        )


def _compare(
    rs: pg.ResponseSet, reference: str = "customer", comparison: str = "business", **kw: object
) -> pg.GapReport:
    options: dict[str, object] = {"n_resamples": 0, "n_permutations": 0, "rng": 0}
    options.update(kw)
    return pg.compare(rs, reference, comparison, **options)  # type: ignore[arg-type]


@SETTINGS
@given(surveys(), st.randoms(use_true_random=False))
def test_item_order_does_not_matter(survey: Survey, random: object) -> None:
    """Reordering the items reorders the per-item results and leaves the rest unchanged."""
    k = survey.questionnaire.k
    order = list(range(k))
    random.shuffle(order)  # type: ignore[attr-defined]
    q = pg.Questionnaire(
        items=[survey.questionnaire.items[j] for j in order],
        scale=survey.questionnaire.scale,
        groups=survey.questionnaire.groups,
    )
    shuffled = pg.ResponseSet.from_arrays(q, survey.values[:, order], survey.groups)
    a, b = _compare(survey.responses()), _compare(shuffled)
    pa, pb = _point(a), _point(b)
    for key in ("gaps", "ref", "comp"):
        pa[key] = [pa[key][j] for j in order]  # type: ignore[index]
    _assert_close(pa, pb)
    assert [a.items[j].reference_rank for j in order] == [g.reference_rank for g in b.items]


@SETTINGS
@given(surveys(), st.integers(0, 2**32 - 1))
def test_respondent_order_does_not_change_the_report(survey: Survey, seed: int) -> None:
    """Shuffling respondents gives the identical report, intervals and p-values included."""
    perm = np.random.default_rng(seed).permutation(len(survey.values))
    shuffled = pg.ResponseSet.from_arrays(
        survey.questionnaire, survey.values[perm], survey.groups[perm]
    )
    options = {"n_resamples": 60, "n_permutations": 60, "rng": seed, "method": "BCa"}
    assert _compare(survey.responses(), **options) == _compare(shuffled, **options)


@SETTINGS
@given(surveys())
def test_swapping_the_groups_negates_gaps_and_keeps_correlations(survey: Survey) -> None:
    """Swapping reference and comparison negates every gap and keeps the symmetric statistics."""
    rs = survey.responses()
    a, b = _point(_compare(rs)), _point(_compare(rs, "business", "customer"))
    np.testing.assert_allclose(b["gaps"], -np.asarray(a["gaps"]), atol=1e-15)
    np.testing.assert_allclose(b["mean_gap"], -a["mean_gap"], atol=1e-15)  # type: ignore[operator]
    for key in ("spearman", "kendall", "mag", "d2", "elevation", "scatter", "shape"):
        np.testing.assert_allclose(b[key], a[key], rtol=1e-12, atol=1e-12, err_msg=key)


@SETTINGS
@given(surveys())
def test_duplicating_every_respondent_keeps_point_estimates(survey: Survey) -> None:
    """Doubling the data set keeps every point estimate."""
    doubled = pg.ResponseSet.from_arrays(
        survey.questionnaire,
        np.vstack([survey.values, survey.values]),
        np.concatenate([survey.groups, survey.groups]),
    )
    _assert_close(_point(_compare(survey.responses())), _point(_compare(doubled)))


@SETTINGS
@given(surveys(), st.floats(0.1, 10.0))
def test_equal_weights_equal_no_weights(survey: Survey, w: float) -> None:
    """Giving every respondent the same weight leaves the point estimates unchanged."""
    weighted = pg.ResponseSet.from_arrays(
        survey.questionnaire, survey.values, survey.groups, weights=np.full(len(survey.values), w)
    )
    _assert_close(_point(_compare(survey.responses())), _point(_compare(weighted)))


@SETTINGS
@given(surveys(), st.floats(0.5, 20.0), st.floats(-50.0, 50.0))
def test_affine_change_of_a_numeric_scale_keeps_rank_statistics(
    survey: Survey, a: float, b: float
) -> None:
    """Re-expressing a Numeric scale as a*x + b (a > 0) keeps ranks, Spearman and Kendall."""
    low, high = survey.questionnaire.scale.low, survey.questionnaire.scale.high
    q1 = pg.Questionnaire(
        items=survey.questionnaire.items,
        scale=pg.Numeric(low=low, high=high),
        groups=survey.questionnaire.groups,
    )
    q2 = pg.Questionnaire(
        items=survey.questionnaire.items,
        scale=pg.Numeric(low=a * low + b, high=a * high + b),
        groups=survey.questionnaire.groups,
    )
    r1 = _compare(pg.ResponseSet.from_arrays(q1, survey.values, survey.groups))
    r2 = _compare(
        pg.ResponseSet.from_arrays(
            q2, np.clip(a * survey.values + b, a * low + b, a * high + b), survey.groups
        )
    )
    # Scores are means, so an affine map keeps their order except where rounding makes
    # two equal means differ by one ulp; compare on the unrounded scale where ties are exact.
    x1 = np.array([g.reference_score for g in r1.items])
    y1 = np.array([g.comparison_score for g in r1.items])
    x2 = np.array([g.reference_score for g in r2.items])
    np.testing.assert_allclose(x2, a * x1 + b, rtol=1e-9, atol=1e-9)
    if len(np.unique(x1)) == len(x1) and len(np.unique(y1)) == len(y1):
        assert r2.spearman.value == pytest.approx(r1.spearman.value, abs=1e-12, nan_ok=True)
        assert r2.kendall.value == pytest.approx(r1.kendall.value, abs=1e-12, nan_ok=True)
        assert [g.reference_rank for g in r1.items] == [g.reference_rank for g in r2.items]


@SETTINGS
@given(
    surveys(min_n=5), st.integers(0, 2**32 - 1), st.sampled_from(["percentile", "basic", "BCa"])
)
def test_intervals_are_ordered_and_percentile_ones_hold_the_gap(
    survey: Survey, seed: int, method: str
) -> None:
    """low <= high for every interval; a percentile interval of an item gap holds the gap."""
    report = _compare(survey.responses(), n_resamples=200, rng=seed, method=method)
    estimates = [g.gap for g in report.items] + [
        report.mean_gap,
        report.mean_absolute_gap,
        report.profile.d2,
    ]
    for e in estimates:
        if not np.isnan(e.low):
            assert e.low <= e.high
    if method == "percentile":
        for g in report.items:
            assert g.gap.low <= g.gap.value <= g.gap.high


@SETTINGS
@given(surveys(), st.integers(0, 2**32 - 1))
def test_a_fixed_seed_reproduces_the_report_exactly(survey: Survey, seed: int) -> None:
    """The same seed gives an identical report, and its JSON round trip is lossless."""
    rs = survey.responses()
    a = _compare(rs, n_resamples=50, n_permutations=50, rng=seed)
    b = _compare(rs, n_resamples=50, n_permutations=50, rng=seed)
    assert a == b
    assert pg.GapReport.from_json(a.to_json()) == a
    assert a.to_json() == b.to_json()

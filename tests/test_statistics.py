"""Tests of the batched statistics of item scores (perceptiongap._statistics)."""

from __future__ import annotations

import json
import random as random_module
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from perceptiongap._statistics import (
    STATISTICS,
    average_ranks,
    d2,
    elevation,
    kendall_tau_b,
    mean_absolute_gap,
    mean_gap,
    pearson,
    scatter,
    shape,
    spearman,
)

IBM_TABLE = Path("/work/shared/data/ibm2011_social_crm.json")

# Integer-valued scores on a short scale: ties are the rule, not the exception.
tied_scores = st.integers(3, 20).flatmap(
    lambda k: st.tuples(
        hnp.arrays(np.float64, k, elements=st.integers(0, 4).map(float)),
        hnp.arrays(np.float64, k, elements=st.integers(0, 4).map(float)),
    )
)

# Distinct real-valued scores: no ties at all.
untied_scores = st.integers(3, 20).flatmap(
    lambda k: st.tuples(
        hnp.arrays(
            np.float64,
            k,
            elements=st.floats(0, 1, allow_nan=False, allow_subnormal=False),
            unique=True,
        ),
        hnp.arrays(
            np.float64,
            k,
            elements=st.floats(0, 1, allow_nan=False, allow_subnormal=False),
            unique=True,
        ),
    )
)

# Scores in a range that item scores take (proportions, Likert or 0-10 means).
any_scores = st.integers(2, 15).flatmap(
    lambda k: st.tuples(
        hnp.arrays(
            np.float64, k, elements=st.floats(-10, 10, allow_nan=False, allow_subnormal=False)
        ),
        hnp.arrays(
            np.float64, k, elements=st.floats(-10, 10, allow_nan=False, allow_subnormal=False)
        ),
    )
)


def _constant(v: np.ndarray) -> bool:
    return bool(np.ptp(v) == 0)


def _ibm_scores() -> tuple[np.ndarray, np.ndarray]:
    table = json.loads(IBM_TABLE.read_text(encoding="utf-8"))
    x = np.array([item["customer"] for item in table["items"]])
    y = np.array([item["business"] for item in table["items"]])
    return x, y


# --- agreement with scipy ------------------------------------------------------------------


@settings(max_examples=50)
@given(tied_scores)
def test_spearman_matches_scipy_with_ties(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Spearman rho on tied integer scores equals scipy.stats.spearmanr to 1e-12."""
    x, y = xy
    assume(not _constant(x) and not _constant(y))
    assert abs(float(spearman(x, y)) - stats.spearmanr(x, y).statistic) <= 1e-12


@settings(max_examples=50)
@given(tied_scores)
def test_kendall_matches_scipy_tau_b_with_ties(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Kendall tau-b on tied integer scores equals scipy.stats.kendalltau (tau-b) to 1e-12."""
    x, y = xy
    assume(not _constant(x) and not _constant(y))
    expected = stats.kendalltau(x, y, variant="b").statistic
    assert abs(float(kendall_tau_b(x, y)) - expected) <= 1e-12


@settings(max_examples=25)
@given(untied_scores)
def test_spearman_matches_scipy_without_ties(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Spearman rho on distinct real scores equals scipy.stats.spearmanr to 1e-12."""
    x, y = xy
    assert abs(float(spearman(x, y)) - stats.spearmanr(x, y).statistic) <= 1e-12


@settings(max_examples=25)
@given(untied_scores)
def test_kendall_matches_scipy_without_ties(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Kendall tau-b on distinct real scores equals scipy.stats.kendalltau to 1e-12."""
    x, y = xy
    assert abs(float(kendall_tau_b(x, y)) - stats.kendalltau(x, y).statistic) <= 1e-12


def test_rank_correlations_match_scipy_on_many_random_tied_vectors() -> None:
    """Over many random tied vectors with k from 3 to 20, both rank correlations match scipy."""
    rng = np.random.default_rng(20110101)
    worst = 0.0
    for _ in range(300):
        k = int(rng.integers(3, 21))
        levels = int(rng.integers(2, 6))
        x = rng.integers(0, levels, k).astype(float)
        y = rng.integers(0, levels, k).astype(float)
        if _constant(x) or _constant(y):
            continue
        worst = max(
            worst,
            abs(float(spearman(x, y)) - stats.spearmanr(x, y).statistic),
            abs(float(kendall_tau_b(x, y)) - stats.kendalltau(x, y).statistic),
        )
    assert worst <= 1e-12


@pytest.mark.parametrize("name", sorted(STATISTICS))
def test_batched_input_equals_row_by_row(name: str) -> None:
    """Every statistic applied to a (B, k) batch equals the statistic applied to each row."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, (50, 9)).astype(float) / 4
    y = rng.integers(0, 5, (50, 9)).astype(float) / 4
    x[0] = 0.5  # a constant row: NaN for the rank correlations, in the batch too
    f = STATISTICS[name]
    with np.errstate(invalid="ignore", divide="ignore"):
        batched = f(x, y)
        rows = np.array([float(f(x[b], y[b])) for b in range(len(x))])
    assert batched.shape == (50,)
    np.testing.assert_allclose(batched, rows, rtol=1e-14, atol=1e-15, equal_nan=True)


def test_batched_input_with_two_leading_axes() -> None:
    """A (B1, B2, k) batch reduces to shape (B1, B2) with the row-by-row values."""
    rng = np.random.default_rng(4)
    x = rng.random((3, 4, 7))
    y = rng.random((3, 4, 7))
    out = spearman(x, y)
    assert out.shape == (3, 4)
    expected = [[stats.spearmanr(x[i, j], y[i, j]).statistic for j in range(4)] for i in range(3)]
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("f", [spearman, kendall_tau_b, pearson])
def test_constant_vector_gives_nan(f: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """A constant score vector gives NaN (not 0 and not an exception) for every correlation."""
    x = np.array([0.4, 0.4, 0.4, 0.4])
    y = np.array([0.1, 0.3, 0.2, 0.5])
    assert np.isnan(f(x, y))
    assert np.isnan(f(y, x))
    assert np.isnan(f(x, x))


@settings(max_examples=25)
@given(
    st.integers(1, 20).flatmap(
        lambda k: hnp.arrays(np.float64, (3, k), elements=st.integers(0, 6).map(float))
    )
)
def test_average_ranks_match_scipy_rankdata_of_negated_scores(x: np.ndarray) -> None:
    """average_ranks gives 1 to the highest score and equals rankdata(-x, method='average')."""
    expected = stats.rankdata(-x, method="average", axis=-1)
    np.testing.assert_array_equal(average_ranks(x), expected)
    np.testing.assert_array_equal(average_ranks(x[0]), expected[0])


def test_average_ranks_of_a_row_with_nan_are_nan() -> None:
    """A row holding a NaN gets NaN ranks throughout, and other rows are unaffected."""
    x = np.array([[0.3, np.nan, 0.1], [0.3, 0.2, 0.3]])
    ranks = average_ranks(x)
    assert np.isnan(ranks[0]).all()
    np.testing.assert_array_equal(ranks[1], [1.5, 3.0, 1.5])


def test_rank_correlations_with_nan_scores_are_nan() -> None:
    """An undefined item score makes both rank correlations NaN."""
    x = np.array([0.3, np.nan, 0.1, 0.5])
    y = np.array([0.2, 0.4, 0.1, 0.6])
    assert np.isnan(spearman(x, y))
    assert np.isnan(kendall_tau_b(x, y))


# --- the profile decomposition ---------------------------------------------------------------


@settings(max_examples=50)
@given(any_scores)
def test_profile_terms_add_up_to_d2_and_are_non_negative(
    xy: tuple[np.ndarray, np.ndarray],
) -> None:
    """d2 equals elevation + scatter + shape (to rounding) and each term is >= 0."""
    x, y = xy
    total = float(d2(x, y))
    parts = [float(elevation(x, y)), float(scatter(x, y)), float(shape(x, y))]
    assert all(p >= 0 for p in parts)
    # Rounding error of the terms is relative to the size of the profiles, not of d2.
    scale = float(np.sum(x**2) + np.sum(y**2))
    assert abs(sum(parts) - total) <= 1e-12 * max(total, scale, 1.0)


@settings(max_examples=50)
@given(tied_scores)
def test_profile_terms_add_up_to_d2_relatively_on_likert_scores(
    xy: tuple[np.ndarray, np.ndarray],
) -> None:
    """On scores on a 0-4 scale, elevation + scatter + shape equals d2 to 1e-12 relative."""
    x, y = xy
    parts = float(elevation(x, y)) + float(scatter(x, y)) + float(shape(x, y))
    assert parts == pytest.approx(float(d2(x, y)), rel=1e-12, abs=1e-12)


@settings(max_examples=25)
@given(any_scores)
def test_profile_terms_follow_the_hand_formulas(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Each profile term equals its formula in DESIGN.md, with population standard deviations."""
    x, y = xy
    k = len(x)
    scale = 1e-12 * max(1.0, float(np.sum(x**2) + np.sum(y**2)))
    sx = float(np.sqrt(np.mean((x - x.mean()) ** 2)))
    sy = float(np.sqrt(np.mean((y - y.mean()) ** 2)))
    assert abs(float(d2(x, y)) - float(np.sum((y - x) ** 2))) <= scale
    assert abs(float(elevation(x, y)) - k * (y.mean() - x.mean()) ** 2) <= scale
    assert abs(float(scatter(x, y)) - k * (sy - sx) ** 2) <= scale
    if sx > 1e-3 and sy > 1e-3:
        r = stats.pearsonr(x, y).statistic
        assert abs(float(shape(x, y)) - 2 * k * sx * sy * (1 - r)) <= 1e-9 * max(1.0, k * sx * sy)
    else:
        assert (
            abs(float(shape(x, y)) - 2 * (k * sx * sy - float((x - x.mean()) @ (y - y.mean()))))
            <= scale
        )


def test_hand_computed_example() -> None:
    """A four-item example worked by hand gives its exact numbers."""
    x = np.array([0.0, 0.0, 6.0, 6.0])  # mean 3, population sd 3
    y = np.array([2.0, 6.0, 2.0, 6.0])  # mean 4, population sd 2, uncorrelated with x
    assert float(d2(x, y)) == 56.0  # 4 + 36 + 16 + 0
    assert float(elevation(x, y)) == 4.0  # 4 * (4 - 3)^2
    assert float(scatter(x, y)) == 4.0  # 4 * (2 - 3)^2
    assert float(shape(x, y)) == 48.0  # 2 * 4 * 3 * 2 * (1 - 0)
    assert float(mean_gap(x, y)) == 1.0
    assert float(mean_absolute_gap(x, y)) == 3.0  # (2 + 6 + 4 + 0) / 4
    assert float(pearson(x, y)) == 0.0
    np.testing.assert_array_equal(average_ranks(x), [3.5, 3.5, 1.5, 1.5])
    np.testing.assert_array_equal(average_ranks(y), [3.5, 1.5, 3.5, 1.5])
    assert float(spearman(x, y)) == 0.0
    assert float(kendall_tau_b(x, y)) == 0.0


def test_hand_computed_reversal_and_shift() -> None:
    """A reversed profile is pure shape, a shifted one pure elevation, a stretched one elevation and scatter."""
    x = np.array([0.0, 1.0, 2.0, 3.0])
    reverse = x[::-1].copy()
    assert float(d2(x, reverse)) == 20.0
    assert float(elevation(x, reverse)) == 0.0
    assert float(scatter(x, reverse)) == 0.0
    assert float(shape(x, reverse)) == pytest.approx(20.0, rel=1e-15)
    assert float(spearman(x, reverse)) == -1.0
    assert float(kendall_tau_b(x, reverse)) == -1.0
    shifted = x + 2.0
    assert float(elevation(x, shifted)) == 16.0
    assert float(scatter(x, shifted)) == 0.0
    assert float(shape(x, shifted)) == pytest.approx(0.0, abs=1e-14)
    stretched = 2.0 * x  # d2 = 0 + 1 + 4 + 9 = 14, elevation 4 * 1.5^2 = 9, scatter 4 * 1.25 = 5
    assert float(d2(x, stretched)) == 14.0
    assert float(elevation(x, stretched)) == 9.0
    assert float(scatter(x, stretched)) == pytest.approx(5.0, rel=1e-14)
    assert float(shape(x, stretched)) == pytest.approx(0.0, abs=1e-13)


def test_ibm_table_values() -> None:
    """The published IBM 2011 table gives Spearman 0.00704, Kendall 0.0625 and mean gap 0.2083."""
    x, y = _ibm_scores()
    assert round(float(spearman(x, y)), 5) == 0.00704
    assert round(float(kendall_tau_b(x, y)), 4) == 0.0625
    assert round(float(mean_gap(x, y)), 4) == 0.2083
    assert abs(float(spearman(x, y)) - stats.spearmanr(x, y).statistic) <= 1e-12
    assert abs(float(kendall_tau_b(x, y)) - stats.kendalltau(x, y).statistic) <= 1e-12


def test_ibm_table_elevation_dominates() -> None:
    """In the IBM table the elevation term is the largest part of d2, as DESIGN.md says."""
    x, y = _ibm_scores()
    parts = {"elevation": elevation(x, y), "scatter": scatter(x, y), "shape": shape(x, y)}
    assert max(parts, key=lambda name: float(parts[name])) == "elevation"
    assert float(sum(parts.values())) == pytest.approx(float(d2(x, y)), rel=1e-12)


# --- invariances -----------------------------------------------------------------------------


@settings(max_examples=25)
@given(tied_scores, st.randoms(use_true_random=False))
def test_statistics_are_invariant_to_a_common_permutation_of_items(
    xy: tuple[np.ndarray, np.ndarray], random: random_module.Random
) -> None:
    """Reordering the items the same way in both groups changes no statistic."""
    x, y = xy
    order = list(range(len(x)))
    random.shuffle(order)
    px, py = x[order], y[order]
    with np.errstate(invalid="ignore", divide="ignore"):
        for f in (spearman, kendall_tau_b, mean_absolute_gap, d2, mean_gap):
            np.testing.assert_allclose(f(px, py), f(x, y), rtol=1e-12, atol=1e-12, equal_nan=True)
        np.testing.assert_array_equal(average_ranks(px), average_ranks(x)[order])


@settings(max_examples=25)
@given(any_scores)
def test_swapping_groups_keeps_symmetric_statistics_and_negates_mean_gap(
    xy: tuple[np.ndarray, np.ndarray],
) -> None:
    """Swapping x and y keeps Spearman, Kendall and d2 and negates the mean gap."""
    x, y = xy
    with np.errstate(invalid="ignore", divide="ignore"):
        for f in (spearman, kendall_tau_b, d2, mean_absolute_gap):
            np.testing.assert_allclose(f(y, x), f(x, y), rtol=1e-12, atol=1e-12, equal_nan=True)
    assert float(mean_gap(y, x)) == -float(mean_gap(x, y))


@settings(max_examples=25)
@given(
    tied_scores,
    st.floats(0.01, 100),
    st.floats(-100, 100),
    st.floats(0.01, 100),
    st.floats(-100, 100),
)
def test_rank_correlations_are_invariant_to_increasing_affine_maps(
    xy: tuple[np.ndarray, np.ndarray], a: float, b: float, c: float, d: float
) -> None:
    """An increasing affine map of x and of y keeps Spearman and Kendall."""
    x, y = xy
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_allclose(
            spearman(a * x + b, c * y + d), spearman(x, y), rtol=1e-12, atol=1e-12, equal_nan=True
        )
        np.testing.assert_allclose(
            kendall_tau_b(a * x + b, c * y + d),
            kendall_tau_b(x, y),
            rtol=1e-12,
            atol=1e-12,
            equal_nan=True,
        )


@settings(max_examples=50)
@given(any_scores)
def test_pearson_is_within_minus_one_and_one(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Pearson's r is NaN or within [-1, 1], even for nearly constant or collinear vectors."""
    x, y = xy
    for u, v in ((x, y), (x, x), (x, -x), (x, 3 * x + 1e-9)):
        r = float(pearson(u, v))
        assert np.isnan(r) or -1.0 <= r <= 1.0


@settings(max_examples=25)
@given(any_scores)
def test_correlations_of_a_vector_with_itself_are_one(xy: tuple[np.ndarray, np.ndarray]) -> None:
    """A non-constant profile correlates perfectly with itself and has zero distance to itself."""
    x, _ = xy
    assume(not _constant(x))
    assert float(spearman(x, x)) == pytest.approx(1.0, abs=1e-12)
    assert float(kendall_tau_b(x, x)) == pytest.approx(1.0, abs=1e-12)
    assert float(d2(x, x)) == 0.0
    assert float(mean_absolute_gap(x, x)) == 0.0

"""Tests of the pattern tally (perceptiongap._tally)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from perceptiongap._tally import Tally, encode_patterns, make_tally


def _row_key(row: np.ndarray) -> tuple[object, ...]:
    """A hashable key of a row in which NaN equals NaN."""
    return tuple("nan" if np.isnan(v) else float(v) for v in row)


def _check_codes(values: np.ndarray, inverse: np.ndarray, first: np.ndarray) -> None:
    """Codes are equal exactly for equal rows (NaN == NaN), numbered 0..m-1, with a witness row each."""
    keys = [_row_key(row) for row in values]
    by_key: dict[tuple[object, ...], int] = {}
    for key, code in zip(keys, inverse.tolist(), strict=True):
        assert by_key.setdefault(key, code) == code  # equal rows, equal codes
    assert len(set(by_key.values())) == len(by_key)  # different rows, different codes
    m = len(by_key)
    assert len(first) == m
    assert sorted(set(inverse.tolist())) == list(range(m))
    np.testing.assert_array_equal(inverse[first], np.arange(m))
    assert inverse.dtype == np.int64
    assert first.dtype == np.int64


def _nan_mean(rows: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN column: NaN, as wanted
        return np.asarray(np.nanmean(rows, axis=0), dtype=np.float64)


answers = st.sampled_from([0.0, 1.0, 2.0, 0.5, np.nan])
answer_matrices = st.tuples(st.integers(1, 60), st.integers(1, 6)).flatmap(
    lambda shape: hnp.arrays(np.float64, shape, elements=answers)
)


# --- encode_patterns ---------------------------------------------------------------------------


@settings(max_examples=60)
@given(answer_matrices)
def test_encode_patterns_gives_equal_codes_exactly_for_equal_rows(values: np.ndarray) -> None:
    """Two rows get the same code if and only if they are equal, NaN counting as equal to NaN."""
    inverse, first = encode_patterns(values)
    _check_codes(values, inverse, first)


def test_encode_patterns_with_many_columns_compresses_codes_correctly() -> None:
    """With k = 60 columns (3^60 codes overflow int64) rows are still told apart exactly."""
    rng = np.random.default_rng(60)
    base = rng.choice([0.0, 1.0, np.nan], size=(150, 60))
    # Duplicates, and near-duplicates that differ in one (late or early) column only.
    twins = base[rng.integers(0, 150, 100)]
    late = base[:40].copy()
    late[:, 59] = np.where(np.isnan(late[:, 59]), 0.0, np.nan)
    early = base[:40].copy()
    early[:, 0] = np.where(early[:, 0] == 1.0, 0.0, 1.0)
    values = np.vstack([base, twins, late, early])
    values = values[rng.permutation(len(values))]
    inverse, first = encode_patterns(values)
    _check_codes(values, inverse, first)


def test_encode_patterns_with_many_levels_per_column() -> None:
    """Numeric answers with hundreds of levels in 30 columns are encoded exactly."""
    rng = np.random.default_rng(7)
    base = rng.integers(0, 400, size=(200, 30)).astype(float) / 40
    base[rng.random(base.shape) < 0.05] = np.nan
    values = np.vstack([base, base[::3]])
    inverse, first = encode_patterns(values)
    _check_codes(values, inverse, first)
    assert len(first) == len({_row_key(r) for r in base})


def test_encode_patterns_all_missing_and_single_row() -> None:
    """All-NaN rows share one code, and a single row is pattern 0."""
    values = np.array([[np.nan, np.nan], [np.nan, np.nan], [1.0, np.nan]])
    inverse, first = encode_patterns(values)
    assert inverse[0] == inverse[1] != inverse[2]
    inverse, first = encode_patterns(np.array([[0.25, 3.0]]))
    np.testing.assert_array_equal(inverse, [0])
    np.testing.assert_array_equal(first, [0])


# --- make_tally ----------------------------------------------------------------------------------


def _random_survey(
    seed: int, n: int = 120, k: int = 5, strata: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(n, k)).astype(float)
    values[rng.random((n, k)) < 0.1] = np.nan
    labels = rng.integers(0, strata, n)
    return values, labels


@settings(max_examples=40)
@given(
    st.integers(1, 50).flatmap(
        lambda n: st.tuples(
            hnp.arrays(np.float64, (n, 3), elements=st.sampled_from([0.0, 1.0, np.nan])),
            hnp.arrays(np.int64, n, elements=st.integers(0, 2)),
        )
    )
)
def test_tally_counts_and_scores_match_the_rows(data: tuple[np.ndarray, np.ndarray]) -> None:
    """Per stratum, pattern counts sum to the stratum size and scores are the nan-mean of its rows."""
    values, labels = data
    tally = make_tally(values, labels, 3)
    assert isinstance(tally, Tally)
    np.testing.assert_array_equal(tally.sizes, np.bincount(labels, minlength=3))
    assert tally.counts.shape == (3, tally.sums.shape[0])
    for s in range(3):
        rows = values[labels == s]
        np.testing.assert_allclose(tally.scores(s), _nan_mean(rows), rtol=1e-14, equal_nan=True)
        sums, answered = tally.totals(s)
        np.testing.assert_allclose(sums, np.nansum(rows, axis=0), rtol=1e-14)
        np.testing.assert_array_equal(answered, np.sum(~np.isnan(rows), axis=0))
        present, counts = tally.support(s)
        assert counts.sum() == len(rows)
        assert (counts > 0).all()
        np.testing.assert_array_equal(tally.counts[s, present], counts)


def test_tally_compresses_to_distinct_patterns() -> None:
    """Unweighted rows collapse to one pattern per distinct row, whatever stratum gave it."""
    values, labels = _random_survey(1, n=2000, k=2)
    tally = make_tally(values, labels, 3)
    distinct = {_row_key(r) for r in values}
    assert tally.sums.shape == (len(distinct), 2)
    assert tally.counts.sum() == 2000
    # Each pattern's sums / answered rows describe one response: answered is 0 or 1.
    assert set(np.unique(tally.answered).tolist()) <= {0.0, 1.0}
    np.testing.assert_array_equal(tally.sums[tally.answered == 0], 0.0)


def test_tally_scores_of_a_larger_survey() -> None:
    """On a Likert survey with missing answers, each stratum's scores equal its available-case means."""
    values, labels = _random_survey(2)
    tally = make_tally(values, labels, 3)
    for s in range(3):
        np.testing.assert_allclose(tally.scores(s), _nan_mean(values[labels == s]), rtol=1e-14)


def test_item_nobody_answered_has_nan_score() -> None:
    """An item that no respondent of a stratum answered scores NaN there, not 0."""
    values = np.array([[1.0, np.nan], [0.0, np.nan], [1.0, 1.0]])
    tally = make_tally(values, np.array([0, 0, 1]), 2)
    np.testing.assert_array_equal(tally.scores(0), [0.5, np.nan])
    np.testing.assert_array_equal(tally.scores(1), [1.0, 1.0])


def test_empty_stratum_has_size_zero_and_nan_scores() -> None:
    """A stratum with no respondents has size 0 and NaN scores."""
    values = np.array([[1.0, 0.0], [0.0, 0.0]])
    tally = make_tally(values, np.array([0, 0]), 2)
    np.testing.assert_array_equal(tally.sizes, [2, 0])
    assert np.isnan(tally.scores(1)).all()


def test_weighted_tally_gives_weighted_means_over_answered() -> None:
    """With weights, scores are sum(w x) / sum(w) over the respondents who answered each item."""
    rng = np.random.default_rng(3)
    values, labels = _random_survey(3, n=80, k=4, strata=2)
    weights = rng.uniform(0.2, 3.0, 80)
    tally = make_tally(values, labels, 2, weights)
    assert tally.sums.shape[0] == 80  # one pattern per respondent
    np.testing.assert_array_equal(tally.counts.sum(axis=0), np.ones(80))
    for s in range(2):
        x, w = values[labels == s], weights[labels == s]
        answered = ~np.isnan(x)
        expected = (np.where(answered, x, 0.0) * w[:, None]).sum(axis=0) / (
            answered * w[:, None]
        ).sum(axis=0)
        np.testing.assert_allclose(tally.scores(s), expected, rtol=1e-13)
        np.testing.assert_array_equal(tally.sizes, np.bincount(labels, minlength=2))


def test_weighted_tally_by_hand() -> None:
    """Two respondents weighted 1 and 3 answering 1 and 0 score 0.25; a missing answer drops its weight."""
    values = np.array([[1.0, 1.0], [0.0, np.nan]])
    tally = make_tally(values, np.array([0, 0]), 1, np.array([1.0, 3.0]))
    np.testing.assert_allclose(tally.scores(0), [0.25, 1.0], rtol=1e-15)


def test_unit_weights_give_the_unweighted_scores() -> None:
    """Weights that are all 1 give the same scores as no weights."""
    values, labels = _random_survey(4)
    plain = make_tally(values, labels, 3)
    unit = make_tally(values, labels, 3, np.ones(len(values)))
    for s in range(3):
        np.testing.assert_allclose(unit.scores(s), plain.scores(s), rtol=1e-14)


@pytest.mark.parametrize("weighted", [False, True])
def test_negative_strata_are_left_out(weighted: bool) -> None:
    """Respondents with a negative stratum are dropped, as if they were not in the data."""
    values, labels = _random_survey(5)
    rng = np.random.default_rng(5)
    weights = rng.uniform(0.5, 2.0, len(values)) if weighted else None
    dropped = labels.copy()
    dropped[rng.random(len(labels)) < 0.3] = -1
    keep = dropped >= 0
    tally = make_tally(values, dropped, 3, weights)
    reference = make_tally(
        values[keep], labels[keep], 3, None if weights is None else weights[keep]
    )
    np.testing.assert_array_equal(tally.sizes, np.bincount(labels[keep], minlength=3))
    assert tally.counts.sum() == keep.sum()
    for s in range(3):
        np.testing.assert_allclose(tally.scores(s), reference.scores(s), rtol=1e-14)
        rows = values[keep & (labels == s)]
        if not weighted:
            np.testing.assert_allclose(tally.scores(s), _nan_mean(rows), rtol=1e-14)

"""Tests of the resampling engine (perceptiongap._resampling): exactness, seeding and streams."""

from __future__ import annotations

import itertools
import warnings
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from perceptiongap._resampling import (
    BLOCK,
    Streams,
    bootstrap_scores,
    jackknife_scores,
    parametric_scores,
    permutation_scores,
)
from perceptiongap._tally import Tally, make_tally

Key = tuple[object, ...]


def _key(scores: np.ndarray) -> Key:
    """A hashable key of one replicate's item scores (NaN, an item nobody answered, included)."""
    return tuple("nan" if np.isnan(v) else round(float(v), 9) for v in scores)


def _mean_of_rows(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Available-case (weighted) item means of some respondents, NaN where nobody answered."""
    w = np.ones(len(rows)) if weights is None else weights
    answered = ~np.isnan(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        sums = (np.where(answered, rows, 0.0) * w[:, None]).sum(axis=0)
        return np.asarray(sums / (answered * w[:, None]).sum(axis=0), dtype=np.float64)


def _goodness_of_fit(observed: Counter[Key], exact: dict[Key, float], draws: int) -> float:
    """Chi-square goodness-of-fit p-value of observed replicate keys against exact probabilities."""
    assert set(observed) <= set(exact), set(observed) - set(exact)
    keys = sorted(exact, key=repr)
    f_obs = np.array([observed.get(key, 0) for key in keys], dtype=float)
    f_exp = np.array([exact[key] for key in keys]) * draws
    assert f_exp.min() >= 5  # the chi-square approximation is sound
    return float(stats.chisquare(f_obs, f_exp).pvalue)


# --- (a) the bootstrap is exactly the respondent bootstrap ----------------------------------------

# Stratum 1: four respondents, two items, one pattern repeated, one missing answer.
TINY = np.array(
    [
        [1.0, 0.0],  # stratum 0
        [0.0, 1.0],  # stratum 0
        [1.0, 0.0],  # stratum 1
        [0.0, np.nan],  # stratum 1
        [1.0, 0.0],  # stratum 1 (repeats the first pattern)
        [1.0, 1.0],  # stratum 1
    ]
)
TINY_STRATA = np.array([0, 0, 1, 1, 1, 1])


def _exact_bootstrap(rows: np.ndarray, weights: np.ndarray | None = None) -> dict[Key, float]:
    """The exact bootstrap distribution of item scores over all n^n index resamples."""
    n = len(rows)
    counts: Counter[Key] = Counter()
    for index in itertools.product(range(n), repeat=n):
        picked = list(index)
        counts[
            _key(_mean_of_rows(rows[picked], None if weights is None else weights[picked]))
        ] += 1
    return {key: c / n**n for key, c in counts.items()}


def test_bootstrap_matches_the_exact_respondent_bootstrap_distribution() -> None:
    """Pattern-count bootstrap replicates follow the exact distribution of the n^n respondent resamples."""
    tally = make_tally(TINY, TINY_STRATA, 2)
    rows = TINY[TINY_STRATA == 1]
    exact = _exact_bootstrap(rows)
    draws = 20_000
    replicates = bootstrap_scores(tally, 1, draws, Streams(2024), (0, 1))
    assert replicates.shape == (draws, 2)
    observed = Counter(_key(r) for r in replicates)
    assert _goodness_of_fit(observed, exact, draws) > 1e-4
    # The mean of each item score (over replicates where it is defined) matches the exact one.
    for j in range(2):
        values = np.array([k[j] for k in exact if k[j] != "nan"], dtype=float)
        probs = np.array([p for k, p in exact.items() if k[j] != "nan"])
        mean = float(values @ probs / probs.sum())
        sd = float(np.sqrt(((values - mean) ** 2) @ probs / probs.sum()))
        column = replicates[:, j]
        defined = column[~np.isnan(column)]
        assert abs(defined.mean() - mean) <= 5 * sd / np.sqrt(len(defined))
    # An item left unanswered in a resample is NaN, at its exact rate (1/4)^4.
    nan_rate = float(np.isnan(replicates[:, 1]).mean())
    assert abs(nan_rate - 0.25**4) <= 5 * np.sqrt(0.25**4 / draws)


def test_weighted_bootstrap_matches_the_exact_respondent_bootstrap_distribution() -> None:
    """With survey weights, replicates follow the exact bootstrap in which weights travel with respondents."""
    rows = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, np.nan]])
    weights = np.array([0.5, 1.0, 2.5])
    tally = make_tally(rows, np.zeros(3, dtype=np.int64), 1, weights)
    exact = _exact_bootstrap(rows, weights)
    draws = 20_000
    replicates = bootstrap_scores(tally, 0, draws, Streams(99), (0, 0))
    observed = Counter(_key(r) for r in replicates)
    assert _goodness_of_fit(observed, exact, draws) > 1e-4


def test_bootstrap_with_zero_resamples_is_empty() -> None:
    """Zero resamples give an empty (0, k) array."""
    tally = make_tally(TINY, TINY_STRATA, 2)
    assert bootstrap_scores(tally, 1, 0, Streams(1), (0,)).shape == (0, 2)


def test_bootstrap_of_a_one_pattern_stratum_is_constant() -> None:
    """A stratum whose respondents all answered alike has every replicate equal to its scores."""
    values = np.array([[1.0, 0.0, 0.5]] * 7 + [[0.0, 1.0, 0.0]])
    tally = make_tally(values, np.array([0] * 7 + [1]), 2)
    replicates = bootstrap_scores(tally, 0, 300, Streams(3), (0, 0))
    np.testing.assert_array_equal(replicates, np.tile([1.0, 0.0, 0.5], (300, 1)))


# --- (b) the jackknife -------------------------------------------------------------------------


def _naive_jackknife(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    n = len(rows)
    out = []
    for i in range(n):
        keep = np.arange(n) != i
        out.append(_mean_of_rows(rows[keep], None if weights is None else weights[keep]))
    return np.array(out)


def _sorted_rows(a: np.ndarray) -> np.ndarray:
    filled = np.where(np.isnan(a), np.inf, np.round(a, 10))
    return a[np.lexsort(filled.T[::-1])]


@pytest.mark.parametrize("weighted", [False, True])
def test_jackknife_expanded_equals_the_delete_one_respondent_loop(weighted: bool) -> None:
    """Distinct-pattern jackknife rows repeated by their multiplicities equal the delete-one loop over respondents."""
    rng = np.random.default_rng(17)
    values = rng.integers(0, 3, size=(90, 3)).astype(float)
    values[rng.random(values.shape) < 0.15] = np.nan
    strata = rng.integers(0, 2, 90)
    weights = rng.uniform(0.3, 2.0, 90) if weighted else None
    tally = make_tally(values, strata, 2, weights)
    for s in range(2):
        scores, multiplicity = jackknife_scores(tally, s)
        n = int((strata == s).sum())
        assert multiplicity.sum() == n
        if not weighted:
            assert len(multiplicity) < n  # the patterns really repeat
        expanded = np.repeat(scores, multiplicity, axis=0)
        naive = _naive_jackknife(
            values[strata == s], None if weights is None else weights[strata == s]
        )
        np.testing.assert_allclose(
            _sorted_rows(expanded), _sorted_rows(naive), rtol=1e-12, atol=1e-14, equal_nan=True
        )


def test_jackknife_of_tiny_stratum_by_hand() -> None:
    """Leaving out each respondent of the tiny stratum gives the hand-computed scores."""
    tally = make_tally(TINY, TINY_STRATA, 2)
    scores, multiplicity = jackknife_scores(tally, 1)
    rows = {(_key(r), int(c)) for r, c in zip(scores, multiplicity, strict=True)}
    # Leave out (1, 0): [2/3, 1/2] twice; (0, nan): [1, 1/3]; (1, 1): [2/3, 0].
    expected = {
        (_key(np.array([2 / 3, 1 / 2])), 2),
        (_key(np.array([1.0, 1 / 3])), 1),
        (_key(np.array([2 / 3, 0.0])), 1),
    }
    assert rows == expected


# --- (c) permutations ---------------------------------------------------------------------------

PERM = np.array(
    [
        [1.0, 0.0],
        [1.0, 1.0],
        [0.0, np.nan],  # stratum 0 ends here (3 respondents)
        [1.0, 0.0],
        [0.0, 0.0],
        [1.0, 1.0],
        [0.0, 1.0],
    ]
)
PERM_STRATA = np.array([0, 0, 0, 1, 1, 1, 1])


def test_permutation_split_matches_exact_enumeration_of_label_permutations() -> None:
    """The two strata's scores under the hypergeometric split follow the exact distribution over all C(n, n1) splits."""
    tally = make_tally(PERM, PERM_STRATA, 2)
    n, n1 = len(PERM), 3
    exact: Counter[Key] = Counter()
    splits = list(itertools.combinations(range(n), n1))
    for chosen in splits:
        rest = [i for i in range(n) if i not in chosen]
        exact[_key(_mean_of_rows(PERM[list(chosen)])) + _key(_mean_of_rows(PERM[rest]))] += 1
    probabilities = {key: c / len(splits) for key, c in exact.items()}
    draws = 20_000
    first, second = permutation_scores(tally, (0, 1), draws, Streams(5), (0, 0, 1))
    observed = Counter(_key(a) + _key(b) for a, b in zip(first, second, strict=True))
    assert _goodness_of_fit(observed, probabilities, draws) > 1e-4


def test_permutation_with_strata_in_reverse_order() -> None:
    """Permuting (second, first) gives the first-named stratum's size to the first output."""
    tally = make_tally(PERM, PERM_STRATA, 2)
    first, second = permutation_scores(tally, (1, 0), 500, Streams(5), (0,))
    complete = PERM[:, 0]  # item 0 has no missing answers: score * size is the count of ones
    np.testing.assert_allclose(first[:, 0] * 4 + second[:, 0] * 3, complete.sum(), rtol=1e-12)
    np.testing.assert_allclose(np.round(first[:, 0] * 4), first[:, 0] * 4, atol=1e-9)


def test_permutation_totals_add_up_to_the_pooled_totals() -> None:
    """In every permutation the two strata's item totals add up to the pooled totals."""
    rng = np.random.default_rng(8)
    values = rng.integers(1, 6, size=(130, 4)).astype(float)
    strata = np.repeat([0, 1, 2], [50, 40, 40])  # a third stratum that must stay out
    tally = make_tally(values, strata, 3)
    first, second = permutation_scores(tally, (0, 1), 1000, Streams(6), (0, 0, 1))
    pooled = values[:90].sum(axis=0)
    np.testing.assert_allclose(first * 50 + second * 40, np.tile(pooled, (1000, 1)), rtol=1e-12)
    assert not np.allclose(first, first[0])  # the labels really move


def test_permutation_score_moments_match_exact_sampling_without_replacement() -> None:
    """The first stratum's permuted score has the mean and variance of a sample mean drawn without replacement, as explicit label permutation does."""
    rng = np.random.default_rng(9)
    n1, n2 = 30, 50
    values = rng.integers(1, 6, size=(n1 + n2, 1)).astype(float)
    tally = make_tally(values, np.repeat([0, 1], [n1, n2]), 2)
    pooled = values[:, 0]
    big_n = n1 + n2
    mean = pooled.mean()
    variance = (big_n - n1) / (big_n - 1) * pooled.var() / n1
    draws = 20_000
    first, _ = permutation_scores(tally, (0, 1), draws, Streams(10), (0, 0, 1))
    # Explicit permutations of the group labels, for comparison.
    order = np.argsort(rng.random((draws, big_n)), axis=1)
    explicit = pooled[order[:, :n1]].mean(axis=1)
    for sample in (first[:, 0], explicit):
        assert abs(sample.mean() - mean) <= 5 * np.sqrt(variance / draws)
        assert sample.var(ddof=1) == pytest.approx(variance, rel=5 * np.sqrt(2 / draws))


def test_permutation_scores_with_missing_answers_match_explicit_label_permutation() -> None:
    """With missing answers, the permuted ratio scores have the same mean and variance as explicit label permutation."""
    rng = np.random.default_rng(12)
    n1, n2 = 25, 35
    values = rng.integers(0, 2, size=(n1 + n2, 2)).astype(float)
    values[rng.random(values.shape) < 0.3] = np.nan
    strata = np.repeat([0, 1], [n1, n2])
    tally = make_tally(values, strata, 2)
    draws = 20_000
    first, second = permutation_scores(tally, (0, 1), draws, Streams(13), (0, 0, 1))
    order = np.argsort(rng.random((draws, n1 + n2)), axis=1)
    picked = values[order[:, :n1]]  # (draws, n1, k)
    rest = values[order[:, n1:]]
    answered = ~np.isnan(picked)
    explicit_first = np.where(answered, picked, 0.0).sum(axis=1) / answered.sum(axis=1)
    answered_rest = ~np.isnan(rest)
    explicit_second = np.where(answered_rest, rest, 0.0).sum(axis=1) / answered_rest.sum(axis=1)
    for ours, theirs in ((first, explicit_first), (second, explicit_second)):
        se = np.sqrt((ours.var(axis=0) + theirs.var(axis=0)) / draws)
        assert (np.abs(ours.mean(axis=0) - theirs.mean(axis=0)) <= 5 * se).all()
        ratio = ours.var(axis=0, ddof=1) / theirs.var(axis=0, ddof=1)
        assert (np.abs(ratio - 1) <= 7 * np.sqrt(4 / draws)).all()


# --- (d) seeding and streams -------------------------------------------------------------------


@pytest.fixture
def survey_tally() -> Tally:
    rng = np.random.default_rng(21)
    values = rng.integers(1, 6, size=(300, 5)).astype(float)
    values[rng.random(values.shape) < 0.05] = np.nan
    return make_tally(values, rng.integers(0, 2, 300), 2)


def _all_replicates(
    tally: Tally, n: int, entropy: int = 7, stream: tuple[int, ...] = (0, 1)
) -> tuple[np.ndarray, ...]:
    streams = Streams(entropy)
    first, second = permutation_scores(tally, (0, 1), n, streams, stream)
    return (
        bootstrap_scores(tally, 0, n, streams, stream),
        first,
        second,
        parametric_scores(np.array([0.2, 0.7]), np.array([40, 90]), None, n, streams, stream),
        parametric_scores(
            np.array([3.0, 2.0]), np.array([40, 90]), np.array([1.0, 0.5]), n, streams, stream
        ),
    )


def test_same_entropy_gives_identical_replicates(survey_tally: Tally) -> None:
    """The same seed and stream give bit-identical replicates of every kind."""
    for a, b in zip(
        _all_replicates(survey_tally, 600), _all_replicates(survey_tally, 600), strict=True
    ):
        np.testing.assert_array_equal(a, b)


def test_different_entropy_or_stream_gives_different_replicates(survey_tally: Tally) -> None:
    """A different seed, or a different stream key, gives different replicates of every kind."""
    base = _all_replicates(survey_tally, 300)
    for other in (
        _all_replicates(survey_tally, 300, entropy=8),
        _all_replicates(survey_tally, 300, stream=(0, 2)),
        _all_replicates(survey_tally, 300, stream=(1, 0, 1)),
    ):
        for a, b in zip(base, other, strict=True):
            assert not np.array_equal(a, b)


def test_bootstrap_streams_of_two_strata_differ(survey_tally: Tally) -> None:
    """Two strata drawn from the same seed with different stream keys are not the same draws."""
    streams = Streams(7)
    a = bootstrap_scores(survey_tally, 0, 256, streams, (0, 0))
    b = bootstrap_scores(survey_tally, 0, 256, streams, (0, 1))
    assert not np.array_equal(a, b)


def test_whole_blocks_do_not_depend_on_the_number_of_resamples(survey_tally: Tally) -> None:
    """The first j * BLOCK replicates are identical whatever n_resamples is."""
    assert BLOCK == 256
    longest = _all_replicates(survey_tally, 3 * BLOCK + 17)
    for n in (BLOCK, BLOCK + 5, 2 * BLOCK, 2 * BLOCK + 200, 3 * BLOCK):
        shorter = _all_replicates(survey_tally, n)
        whole = (n // BLOCK) * BLOCK
        for a, b in zip(longest, shorter, strict=True):
            assert b.shape[0] == n
            np.testing.assert_array_equal(a[:whole], b[:whole])


def test_stratum_replicates_do_not_depend_on_other_strata() -> None:
    """A stratum's bootstrap replicates are the same whether or not other strata with new patterns are in the tally."""
    rng = np.random.default_rng(22)
    own = rng.choice([0.0, 2.0, np.nan], size=(60, 3))
    other = rng.choice([1.0, 3.0, np.nan], size=(40, 3))  # values between and beyond its own
    alone = make_tally(own, np.zeros(60, dtype=np.int64), 1)
    together = make_tally(
        np.vstack([other[:20], own, other[20:]]), np.repeat([1, 0, 1], [20, 60, 20]), 2
    )
    a = bootstrap_scores(alone, 0, 700, Streams(4), (0, 0))
    b = bootstrap_scores(together, 0, 700, Streams(4), (0, 0))
    np.testing.assert_array_equal(a, b)


# --- (e) the parametric bootstrap --------------------------------------------------------------


def test_parametric_binomial_scores_have_binomial_moments() -> None:
    """For a Binary scale, replicates are Binomial(n, p) / n: mean p and sd sqrt(p (1 - p) / n)."""
    p = np.array([0.1, 0.5, 0.9, 0.61])
    n = np.array([50, 200, 1000, 1056])
    draws = 20_000
    out = parametric_scores(p, n, None, draws, Streams(30), (0, 0))
    assert out.shape == (draws, 4)
    sd = np.sqrt(p * (1 - p) / n)
    assert (np.abs(out.mean(axis=0) - p) <= 5 * sd / np.sqrt(draws)).all()
    np.testing.assert_allclose(out.std(axis=0, ddof=1), sd, rtol=5 * np.sqrt(2 / draws))
    np.testing.assert_allclose(out * n, np.round(out * n), atol=1e-9)  # whole counts
    assert ((out >= 0) & (out <= 1)).all()


def test_parametric_normal_scores_have_the_sampling_distribution_of_a_mean() -> None:
    """With a per-item sd, replicates are Normal(mean, sd / sqrt(n))."""
    mean = np.array([3.2, 4.0, 1.5])
    sd = np.array([1.1, 0.7, 2.0])
    n = np.array([30, 300, 5])
    draws = 20_000
    out = parametric_scores(mean, n, sd, draws, Streams(31), (0, 1))
    se = sd / np.sqrt(n)
    assert (np.abs(out.mean(axis=0) - mean) <= 5 * se / np.sqrt(draws)).all()
    np.testing.assert_allclose(out.std(axis=0, ddof=1), se, rtol=5 * np.sqrt(2 / draws))
    for j in range(3):
        assert stats.kstest((out[:, j] - mean[j]) / se[j], "norm").pvalue > 1e-4


def test_parametric_items_are_independent() -> None:
    """Items are drawn independently: their replicate correlations are near zero."""
    out = parametric_scores(
        np.array([0.3, 0.6]), np.array([100, 100]), None, 20_000, Streams(32), (0,)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = np.corrcoef(out.T)[0, 1]
    assert abs(r) <= 5 / np.sqrt(20_000)

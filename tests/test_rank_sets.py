"""Tests of the simultaneous confidence sets for ranks (perceptiongap._rank_sets)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perceptiongap._rank_sets as rank_sets
from perceptiongap._rank_sets import rank_confidence_sets

Array = npt.NDArray[np.float64]

# --- a line-by-line port of csranks (R) as the reference --------------------------------------


def csranks_reference(
    x: Array, replicates: Array, coverage: float, stepdown: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """csranks(x, ..., simul=TRUE, cstype="two-sided") of the R package (csdiffmeans and
    csranks_simul in R/diffmeans.R and R/ranks.R), with the centred bootstrap replicates in
    place of its MASS::mvrnorm draws and matrices instead of the pair list."""
    p = x.size
    z = replicates - x  # the draws of theta-hat minus theta
    thetadiff = x[:, None] - x[None, :]
    sigmadiff = np.zeros((p, p))
    for i in range(p):
        for j in range(p):
            sigmadiff[i, j] = np.std(z[:, i] - z[:, j], ddof=1)

    def quantile(mask: np.ndarray, absolute: bool) -> float:
        rows, cols = np.nonzero(mask)
        scaled = (z[:, rows] - z[:, cols]) / sigmadiff[rows, cols]
        if absolute:
            scaled = np.abs(scaled)
        return float(np.quantile(scaled.max(axis=1), coverage))

    off_diagonal = ~np.eye(p, dtype=bool)
    if not stepdown:  # symmetric single-step intervals; Nminus from the upper bounds
        q = quantile(off_diagonal, absolute=True)
        lower = np.where(off_diagonal, thetadiff - sigmadiff * q, np.nan)
        upper = np.where(off_diagonal, thetadiff + sigmadiff * q, np.nan)
        n_plus = np.sum(lower > 0, axis=1)
        n_minus = np.sum(upper < 0, axis=1)
        return n_minus + 1, p - n_plus
    # stepdown & two-sided: every ordered pair, one-sided lower bounds ("lower" cstype)
    i0 = off_diagonal.copy()
    i1 = i0.copy()
    chat_l = np.zeros((p, p))
    while True:
        q = quantile(i1, absolute=False)
        assert q >= 0  # so the clamp of the implementation is idle in these comparisons
        chat_l[i1] = thetadiff[i1] - sigmadiff[i1] * q
        i1[chat_l > 0] = False
        if i1.sum() == i0.sum() or i1.sum() == 0:
            break
        i0 = i1.copy()
    chat_l[~off_diagonal] = np.nan
    n_plus = np.sum(chat_l > 0, axis=1)
    n_minus = np.sum(chat_l > 0, axis=0)
    return n_minus + 1, p - n_plus


def random_cloud(
    seed: int, k: int, b: int, spread: float = 1.0, correlated: bool = True
) -> tuple[Array, Array]:
    """Scores and a normal replicate cloud around them (correlated items if asked)."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(0.0, spread, size=k)
    scale = rng.uniform(0.1, 1.0, size=k)
    noise = rng.normal(size=(b, k))
    if correlated:
        noise = 0.6 * noise + 0.8 * rng.normal(size=(b, 1))
    return scores, scores + noise * scale


def rank_positions(scores: Array) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest rank position each item takes in the ranking (1 = highest)."""
    higher = np.sum(scores[None, :] > scores[:, None], axis=1)
    not_lower = np.sum(scores[None, :] >= scores[:, None], axis=1)
    return higher + 1, not_lower


def assert_valid(scores: Array, low: np.ndarray, high: np.ndarray) -> None:
    """The sets are integer ranges in 1..k holding every rank position of their item."""
    k = scores.size
    first, last = rank_positions(scores)
    assert low.dtype == np.int64
    assert high.dtype == np.int64
    assert low.shape == high.shape == (k,)
    assert np.all(low >= 1)
    assert np.all(high <= k)
    assert np.all(low <= first)
    assert np.all(last <= high)


# --- examples -------------------------------------------------------------------------------


def test_well_separated_means_give_the_ranks() -> None:
    """Means many standard errors apart give singleton sets equal to the ranks."""
    scores = np.array([3.0, 9.0, 1.0, 5.0, 7.0])
    rng = np.random.default_rng(1)
    replicates = scores + rng.normal(0.0, 0.05, size=(2000, 5))
    low, high = rank_confidence_sets(scores, replicates, 0.95)
    np.testing.assert_array_equal(low, [4, 1, 5, 3, 2])
    np.testing.assert_array_equal(high, [4, 1, 5, 3, 2])


def test_identical_items_give_the_full_range() -> None:
    """Items with equal scores and equal replicates (se 0) are undecided: every set is 1..k."""
    replicates = np.tile(np.random.default_rng(2).normal(size=(500, 1)), (1, 4))
    low, high = rank_confidence_sets(np.zeros(4), replicates, 0.95)
    np.testing.assert_array_equal(low, [1, 1, 1, 1])
    np.testing.assert_array_equal(high, [4, 4, 4, 4])


def test_identical_pair_among_separated_items_spans_its_tie() -> None:
    """Two identical items between well-separated ones share the two positions of their tie."""
    rng = np.random.default_rng(3)
    scores = np.array([10.0, 5.0, 5.0, 0.0])
    replicates = scores + rng.normal(0.0, 0.1, size=(1000, 4))
    replicates[:, 2] = replicates[:, 1]
    low, high = rank_confidence_sets(scores, replicates, 0.95)
    np.testing.assert_array_equal(low, [1, 2, 2, 4])
    np.testing.assert_array_equal(high, [1, 3, 3, 4])


def test_equal_scores_with_noise_overlap() -> None:
    """Tied scores with genuine sampling noise get overlapping sets containing the tie."""
    rng = np.random.default_rng(4)
    scores = np.array([1.0, 1.0, 4.0])
    replicates = scores + rng.normal(0.0, 0.1, size=(1000, 3))
    low, high = rank_confidence_sets(scores, replicates, 0.9)
    np.testing.assert_array_equal(low, [2, 2, 1])
    np.testing.assert_array_equal(high, [3, 3, 1])


def test_pair_known_exactly_is_decided_by_its_scores() -> None:
    """A pair whose replicates never differ but whose scores do is decided (se 0, d != 0)."""
    rng = np.random.default_rng(5)
    common = rng.normal(0.0, 1.0, size=(400, 1))
    scores = np.array([0.3, 0.2])
    replicates = scores + common  # the difference is 0.1 in every replicate
    low, high = rank_confidence_sets(scores, replicates, 0.99)
    np.testing.assert_array_equal(low, [1, 2])
    np.testing.assert_array_equal(high, [1, 2])


def test_constant_items_are_known_exactly() -> None:
    """Items with constant replicates (everyone gave the same answer) rank among themselves."""
    scores = np.array([1.0, 0.0, 0.5])
    replicates = np.tile(scores, (50, 1))
    low, high = rank_confidence_sets(scores, replicates, 0.95)
    np.testing.assert_array_equal(low, [1, 3, 2])
    np.testing.assert_array_equal(high, [1, 3, 2])


def test_hand_computed_three_items() -> None:
    """A 3-item, 5-replicate case worked by hand: the stepdown decides A > B, one step does not.

    Items A, B, C with scores 5, 3.8, 10; centred replicates a = (0, 0, 2, -1, -1), b = 0,
    c = (3, 3, -2, -2, -2). Standard errors (ddof 1): s_AB = sqrt(1.5), s_AC = 3,
    s_BC = sqrt(7.5). At level 0.75 the quantile of 5 values is the 4th smallest.
    Step 1, max |t| per replicate: (3/sqrt 7.5, 3/sqrt 7.5, 2/sqrt 1.5, 1/sqrt 1.5, 1/sqrt 1.5),
    so c = 3/sqrt(7.5) = sqrt(1.2); half-widths AB 1.342, AC 3.286, BC 3.000: C - A = 5 and
    C - B = 6.2 are decided, A - B = 1.2 is not. Step 2, C above both: the C pairs count only
    t = (x - c)/s (C below in the resample), the maxima are (0, 0, 2/sqrt 1.5, 1/sqrt 1.5,
    1/sqrt 1.5), c = 1/sqrt(1.5), half-width AB = 1.0 < 1.2: A > B decided. Step 3 rejects
    nothing more.
    """
    scores = np.array([5.0, 3.8, 10.0])
    replicates = scores + np.array(
        [[0.0, 0.0, 3.0], [0.0, 0.0, 3.0], [2.0, 0.0, -2.0], [-1.0, 0.0, -2.0], [-1.0, 0.0, -2.0]]
    )
    low, high = rank_confidence_sets(scores, replicates, 0.75)
    np.testing.assert_array_equal(low, [2, 3, 1])
    np.testing.assert_array_equal(high, [2, 3, 1])
    low, high = rank_confidence_sets(scores, replicates, 0.75, stepdown=False)
    np.testing.assert_array_equal(low, [2, 2, 1])
    np.testing.assert_array_equal(high, [3, 3, 1])


@pytest.mark.parametrize("stepdown", [True, False])
def test_agrees_with_a_port_of_csranks(stepdown: bool) -> None:
    """On 40 random clouds the sets equal those of a literal port of the R package's code."""
    for seed in range(40):
        k = 2 + seed % 12
        scores, replicates = random_cloud(seed, k, 300, spread=0.3 + 0.1 * (seed % 7))
        expected = csranks_reference(scores, replicates, 0.9, stepdown)
        low, high = rank_confidence_sets(scores, replicates, 0.9, stepdown=stepdown)
        np.testing.assert_array_equal(low, expected[0])
        np.testing.assert_array_equal(high, expected[1])


def test_chunking_does_not_change_the_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processing one pair at a time gives the same sets as the default chunks."""
    scores, replicates = random_cloud(7, 12, 700, spread=0.5)
    expected = rank_confidence_sets(scores, replicates, 0.95)
    monkeypatch.setattr(rank_sets, "_CHUNK", 1)
    low, high = rank_confidence_sets(scores, replicates, 0.95)
    np.testing.assert_array_equal(low, expected[0])
    np.testing.assert_array_equal(high, expected[1])


def test_nearly_identical_items_get_their_standard_error_without_cancellation() -> None:
    """Items differing in a few replicates by 1e-9 keep a positive, correct standard error."""
    rng = np.random.default_rng(8)
    base = rng.normal(0.0, 1e3, size=(300, 1))
    cloud = np.hstack([base, base, base + 1.0])
    cloud[:5, 1] += 1e-9
    first, second = np.triu_indices(3, 1)
    centred = np.ascontiguousarray(cloud.T)
    se = rank_sets._pair_standard_errors(cloud, centred, first, second)
    expected = [
        np.std(cloud[:, i] - cloud[:, j], ddof=1) for i, j in zip(first, second, strict=True)
    ]
    np.testing.assert_allclose(se, expected, rtol=1e-6, atol=1e-13)
    assert se[0] > 0


def test_rows_with_nan_are_dropped() -> None:
    """Replicate rows holding a NaN (an item unanswered in a resample) are left out."""
    scores, replicates = random_cloud(9, 6, 400)
    expected = rank_confidence_sets(scores, replicates, 0.9)
    holey = np.vstack([replicates, np.full((3, 6), np.nan)])
    holey[-1, :5] = 0.0
    low, high = rank_confidence_sets(scores, holey, 0.9)
    np.testing.assert_array_equal(low, expected[0])
    np.testing.assert_array_equal(high, expected[1])


def test_without_two_usable_replicates_nothing_is_decided() -> None:
    """With fewer than two complete replicate rows every set is 1..k; one item has rank 1."""
    scores = np.array([1.0, 2.0, 3.0])
    replicates = np.array([[1.0, 2.0, 3.0], [np.nan, 2.0, 3.0]])
    low, high = rank_confidence_sets(scores, replicates, 0.95)
    np.testing.assert_array_equal(low, [1, 1, 1])
    np.testing.assert_array_equal(high, [3, 3, 3])
    low, high = rank_confidence_sets(np.array([0.4]), np.ones((10, 1)), 0.95)
    assert (low.tolist(), high.tolist()) == ([1], [1])


@pytest.mark.parametrize(
    ("scores", "replicates", "level", "message"),
    [
        (np.ones((2, 2)), np.ones((5, 2)), 0.95, "1-D"),
        (np.array([]), np.ones((5, 0)), 0.95, "1-D"),
        (np.array([1.0, np.nan]), np.ones((5, 2)), 0.95, "finite"),
        (np.ones(2), np.ones((5, 3)), 0.95, "shape"),
        (np.ones(2), np.ones(2), 0.95, "shape"),
        (np.ones(2), np.ones((5, 2)), 1.0, "confidence_level"),
        (np.ones(2), np.ones((5, 2)), 0.0, "confidence_level"),
    ],
)
def test_invalid_arguments_are_refused(
    scores: Array, replicates: Array, level: float, message: str
) -> None:
    """Wrong shapes, non-finite scores and levels outside (0, 1) raise ValueError."""
    with pytest.raises(ValueError, match=message):
        rank_confidence_sets(scores, replicates, level)


def test_higher_confidence_never_narrows_the_sets() -> None:
    """Along a grid of levels low never rises and high never falls, with and without stepdown."""
    for seed in range(10):
        scores, replicates = random_cloud(100 + seed, 10, 500, spread=0.6)
        for stepdown in (True, False):
            previous = None
            for level in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999):
                low, high = rank_confidence_sets(scores, replicates, level, stepdown=stepdown)
                if previous is not None:
                    assert np.all(low <= previous[0])
                    assert np.all(high >= previous[1])
                previous = (low, high)


# --- properties -----------------------------------------------------------------------------

clouds = st.builds(
    lambda seed, k, b, spread, correlated, decimals: _rounded(
        random_cloud(seed, k, b, spread, correlated), decimals
    ),
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(2, 15),
    b=st.integers(2, 200),
    spread=st.floats(0.0, 3.0),
    correlated=st.booleans(),
    decimals=st.sampled_from([None, 0, 1]),
)


def _rounded(cloud: tuple[Array, Array], decimals: int | None) -> tuple[Array, Array]:
    """Round the scores (making ties) and the replicates (making se-0 pairs) if asked."""
    if decimals is None:
        return cloud
    return np.round(cloud[0], decimals), np.round(cloud[1], decimals)


@settings(max_examples=150, deadline=None)
@given(cloud=clouds, level=st.floats(0.5, 0.999))
def test_sets_are_valid_and_hold_the_observed_ranks(
    cloud: tuple[Array, Array], level: float
) -> None:
    """For any cloud, 1 <= low <= observed rank positions <= high <= k."""
    scores, replicates = cloud
    assert_valid(scores, *rank_confidence_sets(scores, replicates, level))
    assert_valid(scores, *rank_confidence_sets(scores, replicates, level, stepdown=False))


@settings(max_examples=100, deadline=None)
@given(cloud=clouds, level=st.floats(0.5, 0.999))
def test_stepdown_sets_lie_inside_single_step_sets(
    cloud: tuple[Array, Array], level: float
) -> None:
    """The stepwise improvement only ever narrows the single-step sets."""
    scores, replicates = cloud
    low, high = rank_confidence_sets(scores, replicates, level)
    single_low, single_high = rank_confidence_sets(scores, replicates, level, stepdown=False)
    assert np.all(low >= single_low)
    assert np.all(high <= single_high)


@settings(max_examples=100, deadline=None)
@given(cloud=clouds, levels=st.lists(st.floats(0.5, 0.999), min_size=2, max_size=2))
def test_monotone_in_the_confidence_level(cloud: tuple[Array, Array], levels: list[float]) -> None:
    """A higher confidence level never gives a narrower set for any item."""
    scores, replicates = cloud
    lower, higher = sorted(levels)
    low_a, high_a = rank_confidence_sets(scores, replicates, lower)
    low_b, high_b = rank_confidence_sets(scores, replicates, higher)
    assert np.all(low_b <= low_a)
    assert np.all(high_b >= high_a)


@settings(max_examples=100, deadline=None)
@given(cloud=clouds, level=st.floats(0.5, 0.999), data=st.data())
def test_relabelling_and_reversing_the_items(
    cloud: tuple[Array, Array], level: float, data: st.DataObject
) -> None:
    """Permuting the items permutes the sets; negating the scores mirrors them (k + 1 - rank)."""
    scores, replicates = cloud
    k = scores.size
    low, high = rank_confidence_sets(scores, replicates, level)
    order = np.array(data.draw(st.permutations(range(k))))
    p_low, p_high = rank_confidence_sets(scores[order], replicates[:, order], level)
    np.testing.assert_array_equal(p_low, low[order])
    np.testing.assert_array_equal(p_high, high[order])
    n_low, n_high = rank_confidence_sets(-scores, -replicates, level)
    np.testing.assert_array_equal(n_low, k + 1 - high)
    np.testing.assert_array_equal(n_high, k + 1 - low)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 15), level=st.floats(0.6, 0.99))
def test_agrees_with_the_port_on_random_clouds(seed: int, k: int, level: float) -> None:
    """On normal clouds of any size the sets equal those of the port of csranks."""
    scores, replicates = random_cloud(seed, k, 150, spread=0.4)
    expected = csranks_reference(scores, replicates, level)
    low, high = rank_confidence_sets(scores, replicates, level)
    np.testing.assert_array_equal(low, expected[0])
    np.testing.assert_array_equal(high, expected[1])


# --- coverage -------------------------------------------------------------------------------


def test_simultaneous_coverage_of_the_true_ranks() -> None:
    """In 200 seeded surveys (k = 5 binary items, n = 200, B = 400) the 95% sets cover all
    true ranks at once at least 93% of the time."""
    # Two groups of tied items are close to the least favourable case (every decision inside
    # a group is an error): seeds 0-7 gave 0.96-0.97 here, well-separated means give 1.0,
    # and five equal means (the least favourable case itself) 0.915-0.955.
    rng = np.random.default_rng(20240601)
    p = np.array([0.30, 0.30, 0.50, 0.50, 0.50])
    true_rank = 1 + np.sum(p[None, :] > p[:, None], axis=1)  # 4, 4, 1, 1, 1
    n, b, runs = 200, 400, 200
    covered = 0
    for _ in range(runs):
        answers = (rng.random((n, p.size)) < p).astype(np.float64)
        scores = answers.mean(axis=0)
        replicates = answers[rng.integers(0, n, size=(b, n))].mean(axis=1)
        low, high = rank_confidence_sets(scores, replicates, 0.95)
        covered += bool(np.all((low <= true_rank) & (true_rank <= high)))
    assert covered / runs >= 0.93

"""The resampling engine's contracts: exact draws on both paths, invariance to batch, workers
and memory, bounded memory, and pattern compression."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
from scipy import stats

import perceptiongap as pg
from perceptiongap._resampling import (
    BLOCK,
    Plan,
    Streams,
    _Stratum,
    bootstrap_scores,
    permutation,
)
from perceptiongap._tally import make_tally


def _survey(n_ref: int, n_comp: int, k: int, seed: int, *, missing: float = 0.0) -> pg.ResponseSet:
    """Correlated binary answers (a latent factor), optionally with missing answers."""
    rng = np.random.default_rng(seed)
    n = n_ref + n_comp
    latent = rng.standard_normal((n, 1))
    shift = np.where(np.arange(n) < n_ref, 0.0, 0.5)[:, None]
    values = (0.6 * latent + rng.standard_normal((n, k)) + shift > np.linspace(-1, 1, k)).astype(
        float
    )
    values[rng.random((n, k)) < missing] = np.nan
    q = pg.Questionnaire(
        items=[f"i{j}" for j in range(k)], scale=pg.Binary(), groups=("customer", "business")
    )
    return pg.ResponseSet.from_arrays(q, values, ["customer"] * n_ref + ["business"] * n_comp)


@pytest.fixture(scope="module")
def survey() -> pg.ResponseSet:
    """A survey with missing answers, two groups, eight items."""
    return _survey(700, 300, 8, 1, missing=0.05)


@pytest.mark.parametrize(
    "options",
    [
        {"batch": 256},
        {"batch": 1000},
        {"batch": 5 * BLOCK + 1},
        {"workers": 2},
        {"workers": 3, "batch": 300},
        {"max_memory": 2**20},
    ],
)
@pytest.mark.parametrize("method", ["BCa", "percentile"])
def test_batch_workers_and_memory_never_change_the_report(
    survey: pg.ResponseSet, options: dict[str, int], method: str
) -> None:
    """A fixed seed gives the identical report whatever batch, workers and max_memory are."""
    common = {"n_resamples": 1500, "n_permutations": 1100, "rng": 99, "method": method}
    reference = pg.compare(survey, "customer", "business", **common)  # type: ignore[arg-type]
    other = pg.compare(survey, "customer", "business", **common, **options)  # type: ignore[arg-type]
    assert other == reference


def test_summary_data_is_invariant_too() -> None:
    """The parametric bootstrap of summary data does not depend on batch or workers either."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.SummaryDataWarning)
        a = pg.compare(
            pg.datasets.load_published(), "customer", "business", n_resamples=900, rng=4
        )
        b = pg.compare(
            pg.datasets.load_published(),
            "customer",
            "business",
            n_resamples=900,
            rng=4,
            batch=256,
            workers=2,
        )
    assert a == b


@pytest.mark.parametrize("option", ["batch", "workers", "max_memory"])
def test_engine_options_are_validated(survey: pg.ResponseSet, option: str) -> None:
    """batch, workers and max_memory must be positive integers."""
    with pytest.raises(pg.InvalidArgumentError, match=f"`{option}`"):
        pg.compare(survey, "customer", "business", n_resamples=0, **{option: 0})  # type: ignore[arg-type]


def _binomial_fit(counts_of_a: np.ndarray, n: int, p: float) -> float:
    """Chi-square p-value of observed counts against Binomial(n, p), sparse cells pooled."""
    support = np.arange(n + 1)
    expected = stats.binom.pmf(support, n, p) * len(counts_of_a)
    observed = np.bincount(counts_of_a, minlength=n + 1)
    keep = expected >= 5
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] < 5:
        obs, exp = obs[:-1], exp[:-1]
        exp *= obs.sum() / exp.sum()
    return float(stats.chisquare(obs, exp).pvalue)


@pytest.mark.parametrize(
    ("n_a", "n_b", "expect_index"),
    [(3, 5, True), (40, 60, False)],  # few respondents: index draws; many: Poisson counts
)
def test_both_bootstrap_paths_are_the_exact_multinomial(
    n_a: int, n_b: int, expect_index: bool
) -> None:
    """With two patterns, the resampled count of one is Binomial(n, share) on either path."""
    values = np.array([[1.0, 0.0]] * n_a + [[0.0, 1.0]] * n_b)
    tally = make_tally(values, np.zeros(len(values), dtype=np.int64), 1)
    assert _Stratum.of(tally, 0).use_index_draws is expect_index
    scores = bootstrap_scores(tally, 0, 20_000, Streams(2024), (0, 0))
    n = n_a + n_b
    counts_of_a = np.rint(scores[:, 0] * n).astype(int)
    assert np.all(counts_of_a + np.rint(scores[:, 1] * n).astype(int) == n)  # sizes kept
    assert _binomial_fit(counts_of_a, n, n_a / n) > 1e-4
    assert counts_of_a.mean() == pytest.approx(n_a, rel=0.02)


def test_poisson_path_with_many_patterns_matches_index_resampling_moments() -> None:
    """On many patterns, Poisson-corrected counts give the item-score mean and covariance of
    index resampling (both computed exactly: mean = score, covariance = Sigma / n)."""
    rs = _survey(3000, 10, 5, 7)
    values = rs.values[rs.group_codes == 0]
    tally = make_tally(values, np.zeros(len(values), dtype=np.int64), 1)
    assert not _Stratum.of(tally, 0).use_index_draws
    scores = bootstrap_scores(tally, 0, 20_000, Streams(5), (0, 0))
    n = len(values)
    np.testing.assert_allclose(
        scores.mean(axis=0),
        values.mean(axis=0),
        atol=4 * values.std(axis=0).max() / np.sqrt(n * 20_000) + 1e-12,
    )
    exact = np.cov(values, rowvar=False, ddof=0) / n
    np.testing.assert_allclose(np.cov(scores, rowvar=False), exact, rtol=0.06, atol=2e-6)


def test_per_item_permutation_is_the_exact_hypergeometric() -> None:
    """An item's permuted count in the first group is hypergeometric, as label permutation makes it."""
    rs = _survey(30, 20, 3, 3)
    tally = make_tally(rs.values, rs.group_codes, 2)
    collected: list[np.ndarray] = []
    permutation(
        tally, (0, 1), 20_000, Streams(8), (0,), lambda start, x, y: collected.append(x), Plan()
    )
    x = np.concatenate(collected)
    ones = int(np.nansum(rs.values[:, 0]))
    counts = np.rint(x[:, 0] * 30).astype(int)
    support = np.arange(31)
    expected = stats.hypergeom.pmf(support, 50, ones, 30) * len(counts)
    observed = np.bincount(counts, minlength=31)
    keep = expected >= 5
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    assert stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue > 1e-4


def test_joint_and_per_item_permutations_agree_in_distribution() -> None:
    """Per-item draws and joint relabellings give each item's gap the same null distribution."""
    rs = _survey(60, 40, 4, 9, missing=0.1)
    tally = make_tally(rs.values, rs.group_codes, 2)
    gaps = {}
    for joint in (False, True):
        chunks: list[np.ndarray] = []
        permutation(
            tally,
            (0, 1),
            20_000,
            Streams(11),
            (0,),
            lambda start, x, y, sink=chunks: sink.append(y - x),
            Plan(),
            joint=joint,
        )
        gaps[joint] = np.concatenate(chunks)
    for j in range(4):
        assert stats.ks_2samp(gaps[False][:, j], gaps[True][:, j]).pvalue > 1e-4


def test_weighted_patterns_compress_by_answers_and_weight() -> None:
    """Respondents with equal answers and equal weights share a pattern; scores stay weighted means."""
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2, (5000, 3)).astype(float)
    weights = rng.choice([0.5, 1.0, 2.0], 5000)
    tally = make_tally(values, np.zeros(5000, dtype=np.int64), 1, weights)
    assert tally.sums.shape[0] <= 8 * 3
    expected = (weights[:, None] * values).sum(axis=0) / weights.sum()
    np.testing.assert_allclose(tally.scores(0), expected, rtol=1e-12)


def test_memory_stays_bounded_whatever_n_resamples_is() -> None:
    """The traced peak of compare() stays within max_memory plus the stored replicates."""
    rs = _survey(150_000, 50_000, 12, 5)
    limit = 32 * 2**20
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        peaks = []
        for n_resamples in (1_000, 4_000):
            tracemalloc.start()
            pg.compare(
                rs, "customer", "business", n_resamples=n_resamples, rng=1, max_memory=limit
            )
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    stored = 4_000 * (12 + 8) * 8  # one float per replicate per statistic
    assert peaks[1] <= limit + stored + 16 * 2**20
    assert peaks[1] - peaks[0] <= stored + 4 * 2**20  # grows only by the stored replicates

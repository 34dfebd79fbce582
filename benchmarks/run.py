"""Benchmark perceptiongap's compare() against scipy.stats.bootstrap, both timed in one run.

Usage::

    python benchmarks/run.py                 # every case (takes a few minutes)
    python benchmarks/run.py --cases ibm     # one case
    python benchmarks/run.py --smoke         # tiny sizes: checks that the script works

Ours is the full ``compare()``: every item gap, Spearman, Kendall, mean and mean absolute gap,
the profile decomposition (each with a bootstrap interval) and permutation p-values for every
item, with BCa intervals and 10,000 resamples and permutations. The peer is
``scipy.stats.bootstrap`` (vectorised, batched) computing Spearman's rho of the two groups'
item means alone, on the same data, resampling respondents within each group.

scipy's BCa jackknife costs O(n^2) (it recomputes the statistic on n samples of size n - 1),
so for the medium and big cases scipy is timed with the percentile method on fewer resamples
and scaled to 10,000; the table says so in its notes. Those ratios are per resample and favour
scipy (it computes one statistic without a jackknife).

Timings are medians of ``--repeat`` runs; peak memory is the traced (tracemalloc) peak of one
further run, excluding the input data, which exist before the call.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

import perceptiongap as pg
from perceptiongap._statistics import spearman

N_RESAMPLES = 10_000


@dataclass(frozen=True)
class Case:
    """A benchmark data set and how scipy is timed on it."""

    name: str
    n_ref: int
    n_comp: int
    k: int
    scale: str  # "binary" or "likert"
    scipy_method: str
    scipy_resamples: int


CASES = {
    "ibm": Case("ibm", 1_056, 351, 12, "binary", "BCa", N_RESAMPLES),
    "likert": Case("likert", 10_000, 3_000, 20, "likert", "BCa", N_RESAMPLES),
    "medium": Case("medium", 100_000, 30_000, 12, "binary", "percentile", 300),
    "big": Case("big", 1_000_000, 300_000, 12, "binary", "percentile", 60),
}
SMOKE = {
    "ibm": Case("ibm", 200, 80, 6, "binary", "BCa", 300),
    "likert": Case("likert", 300, 100, 8, "likert", "BCa", 300),
}


def make_data(case: Case, seed: int = 2011) -> tuple[pg.Questionnaire, np.ndarray, np.ndarray]:
    """Correlated answers (a latent factor per respondent), the business rating higher."""
    rng = np.random.default_rng(seed)
    n = case.n_ref + case.n_comp
    values = np.empty((n, case.k))
    thresholds = np.linspace(-1.0, 1.0, case.k)
    for start in range(0, n, 250_000):  # in slices, to keep the generator's temporaries small
        stop = min(n, start + 250_000)
        latent = 0.6 * rng.standard_normal((stop - start, 1))
        shift = np.where(np.arange(start, stop) < case.n_ref, 0.0, 0.4)[:, np.newaxis]
        z = latent + rng.standard_normal((stop - start, case.k)) + shift - thresholds
        values[start:stop] = (
            (z > 0) if case.scale == "binary" else np.clip(np.rint(3 + 1.2 * z), 1, 5)
        )
    scale: pg.Binary | pg.Likert = (
        pg.Binary() if case.scale == "binary" else pg.Likert(low=1, high=5)
    )
    q = pg.Questionnaire(
        items=[f"item{j}" for j in range(case.k)], scale=scale, groups=("customer", "business")
    )
    groups = np.array(["customer", "business"])[(np.arange(n) >= case.n_ref).astype(int)]
    return q, values, groups


def ours(
    responses: pg.ResponseSet, n_resamples: int, workers: int, method: str = "BCa"
) -> Callable[[], object]:
    def run() -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pg.PerceptionGapWarning)
            return pg.compare(
                responses,
                "customer",
                "business",
                n_resamples=n_resamples,
                method=method,
                rng=1,
                workers=workers,
            )

    return run


def scipy_spearman(
    values: np.ndarray, n_ref: int, method: str, n_resamples: int
) -> Callable[[], object]:
    ref, comp = values[:n_ref], values[n_ref:]

    def statistic(i: np.ndarray, j: np.ndarray, axis: int = -1) -> np.ndarray:
        x = ref[i.astype(np.intp)].mean(axis=-2)
        y = comp[j.astype(np.intp)].mean(axis=-2)
        return spearman(x, y)

    # As many resamples per vectorised call as fit in about 128 MB of gathered rows.
    batch = max(1, int(128e6 // (8 * values.shape[0] * values.shape[1])))

    def run() -> object:
        with warnings.catch_warnings():
            # scipy warns when its BCa interval is NaN; the table reports that instead.
            warnings.simplefilter("ignore")
            return stats.bootstrap(
                (np.arange(len(ref), dtype=float), np.arange(len(comp), dtype=float)),
                statistic,
                n_resamples=n_resamples,
                method=method,
                vectorized=True,
                batch=batch,
                rng=np.random.default_rng(1),
            )

    return run


def timed(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(run: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measurement (median)"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script")
    parser.add_argument(
        "--method",
        default="BCa",
        choices=("BCa", "auto", "percentile", "basic"),
        help="our interval method (default BCa, as the README table; auto is compare()'s default)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="threads for the second timing of ours"
    )
    args = parser.parse_args()
    cases = SMOKE if args.smoke else CASES
    n_resamples = 300 if args.smoke else N_RESAMPLES
    header = f"{'case':<8} {'respondents':>19} {'k':>3} {'ours s':>8} {'ours s':>8} {'scipy s':>9} {'ratio':>7} {'ratio':>7} {'ours MB':>8} {'scipy MB':>9}  notes"
    sub = f"{'':<8} {'':>19} {'':>3} {'1 thread':>8} {f'{args.workers} thr':>8} {'':>9} {'1 thr':>7} {f'{args.workers} thr':>7} {'peak':>8} {'peak':>9}"
    print(header)
    print(sub)
    for name in args.cases:
        if name not in cases:
            continue
        case = cases[name]
        q, values, groups = make_data(case)
        responses = pg.ResponseSet.from_arrays(q, values, groups)
        mine, mine_threads = (
            ours(responses, n_resamples, 1, args.method),
            ours(responses, n_resamples, args.workers, args.method),
        )
        theirs = scipy_spearman(values, case.n_ref, case.scipy_method, case.scipy_resamples)
        repeat_scipy = (
            1 if case.scipy_resamples * len(values) > 5e8 or name == "likert" else args.repeat
        )
        t_ours = timed(mine, args.repeat)
        t_threads = timed(mine_threads, args.repeat)
        t_scipy = timed(theirs, repeat_scipy) * n_resamples / case.scipy_resamples
        m_ours, m_scipy = peak_memory(mine), peak_memory(theirs)
        notes = []
        if case.scipy_resamples != n_resamples:
            notes.append(
                f"scipy {case.scipy_method} on {case.scipy_resamples} resamples, scaled to {n_resamples:,}"
            )
        notes.append(f"input {values.nbytes / 2**20:.0f} MB")
        if np.isnan(theirs().confidence_interval.low):  # type: ignore[attr-defined]
            notes.append(
                "scipy's BCa interval is NaN (flat jackknife; ours uses a = 0 and records method BC)"
            )
        print(
            f"{name:<8} {case.n_ref:>9,} + {case.n_comp:>7,} {case.k:>3} {t_ours:>8.2f} {t_threads:>8.2f} {t_scipy:>9.2f} "
            f"{t_scipy / t_ours:>6.1f}x {t_scipy / t_threads:>6.1f}x {m_ours:>8.0f} {m_scipy:>9.0f}  {'; '.join(notes)}",
            flush=True,
        )


if __name__ == "__main__":
    main()

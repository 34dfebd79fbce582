"""Replicate item scores: bootstrap, jackknife and permutation, on a :class:`Tally`.

This module knows nothing about which statistic will be computed: it hands chunks of
replicate item scores, shape ``(L, k)`` per group, to a consumer, which reduces them with
the batched statistics. Only the consumer's results are kept, so memory does not grow with
the number of replicates beyond what the consumer stores.

Randomness and reproducibility
------------------------------
Replicates are drawn in fixed blocks of :data:`BLOCK`; each block has its own generator,
seeded by ``SeedSequence(entropy, spawn_key=(purpose, *stream, block))``. How a block is drawn
(index draws or pattern counts, and in how many sub-calls) depends only on the data. So a
result depends only on the seed and the data, never on the chunk size (``batch``), the
number of threads (``workers``) or the memory limit, and a stratum's replicates do not depend
on what else is analysed alongside it.

Exactness
---------
* Bootstrap: resampling ``n`` respondents with replacement makes the pattern counts
  ``Multinomial(n, c / n)``. They are drawn either from ``n`` uniform indices (cheap when
  patterns are nearly as many as respondents) or as independent ``Poisson(s c_j)`` counts,
  ``s`` a little below 1, completed to exactly ``n`` points: given their total ``S``, Poisson
  points carry i.i.d. patterns, so adding ``n - S`` i.i.d. draws, or removing ``S - n``
  points chosen uniformly without replacement (a hypergeometric split), leaves ``n`` i.i.d.
  draws, i.e. exactly the multinomial. The Poisson variates come from tabulated CDFs (the
  rates are the same in every resample), which cover each distribution up to a tail mass
  of 2**-60, below the resolution of double-precision uniforms.
* Permutation: permuting group labels splits the pooled respondents into a uniformly random
  subset of the first group's size. For one item, the counts of its answer values in that
  subset are multivariate hypergeometric over the pooled counts; this gives each item's
  permutation distribution exactly (per-item p-values need nothing jointly). When an item
  takes too many distinct values (or data are weighted), the subset is drawn jointly instead.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import attrs
import numpy as np
import numpy.typing as npt
from scipy.special import pdtr

from ._checks import batch_fits
from ._tally import Tally, ratio

__all__ = [
    "BLOCK",
    "Plan",
    "Streams",
    "bootstrap",
    "bootstrap_scores",
    "jackknife_scores",
    "n_blocks",
    "parametric",
    "parametric_scores",
    "permutation",
    "permutation_scores",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Replicates per random stream. Changing it changes every seeded result (note it in the
#: CHANGELOG).
BLOCK = 256

#: Elements (8 bytes each) of one draw call: keeps the arrays of a call in cache and bounds
#: the working set of a block to a few MiB whatever the data size. A property of the algorithm, not a tuning knob: it
#: decides how a block's draws are split, so changing it changes seeded results.
_CALL_ELEMENTS = 2**15

# Relative per-element costs of the two bootstrap draws, measured with numpy's generators:
# a uniform index plus its bincount vs a Poisson variate. They decide which exact method a
# stratum uses, from the data alone.
_INDEX_COST, _POISSON_COST = 1.0, 2.0

#: Elements of one tabulated-Poisson draw call (pattern-major, so larger calls help).
_TABLE_CALL_ELEMENTS = 2**18

#: Elements of the count matrix multiplied by the pattern matrix at once (8 bytes each).
_PRODUCT_ELEMENTS = 2**22

BOOTSTRAP, PERMUTATION, PARAMETRIC = 0, 1, 2

Consumer = Callable[[int, FloatArray, FloatArray], None]


class Streams:
    """Independent random streams derived from one seed.

    Parameters
    ----------
    entropy : int
        The seed material recorded in reports.
    """

    def __init__(self, entropy: int) -> None:
        self.entropy = entropy

    def generator(self, purpose: int, stream: Sequence[int], block: int) -> np.random.Generator:
        """The generator of one block of one stream."""
        seed = np.random.SeedSequence(self.entropy, spawn_key=(purpose, *stream, block))
        return np.random.Generator(np.random.PCG64(seed))


@attrs.frozen
class Plan:
    """How to run replicates: chunking and threads. Never changes the numbers.

    Attributes
    ----------
    batch : int or None
        Replicates per task, rounded up to whole blocks (None: as the memory limit allows).
    workers : int
        Threads drawing blocks concurrently.
    max_memory : int
        Bytes the working set may use (compare() gives it what its own `max_memory` leaves
        beside the replicates kept). A `batch` whose working set exceeds it is refused.
    """

    batch: int | None = None
    workers: int = 1
    max_memory: int = 256 * 2**20

    def per_task(self, n_resamples: int, block_bytes: int) -> tuple[int, int]:
        """The number of blocks and the blocks per task."""
        n_blocks = -(-n_resamples // BLOCK)
        if self.batch is not None:
            per_task = max(1, -(-self.batch // BLOCK))
            working = 2 * min(per_task, n_blocks) * block_bytes * self.workers
            if per_task > 1:
                batch_fits(self.batch, working, self.max_memory, self.workers)
        else:
            # As many blocks as memory allows, but several tasks per worker to share the load.
            by_memory = self.max_memory // max(1, 2 * self.workers * block_bytes)
            by_load = -(-n_blocks // (4 * self.workers)) if self.workers > 1 else n_blocks
            per_task = max(1, min(by_memory, by_load))
        return n_blocks, per_task

    def tasks(self, n_resamples: int, block_bytes: int) -> Iterator[tuple[int, int]]:
        """Split the blocks into tasks: (first block, number of blocks), made one at a time
        (a billion replicates make millions of tasks, which are never all held)."""
        n_blocks, per_task = self.per_task(n_resamples, block_bytes)
        for first in range(0, n_blocks, per_task):
            yield first, min(per_task, n_blocks - first)

    def concurrency(self, block_bytes: int) -> int:
        """Threads that fit in the memory limit (at least one)."""
        return max(1, min(self.workers, self.max_memory // max(1, 2 * block_bytes)))

    def run(self, n_resamples: int, block_bytes: int, task: Callable[[int, int], None]) -> None:
        """Run ``task(first_block, n_blocks)`` over all blocks, in threads if asked.

        With threads, at most two tasks per thread are submitted ahead of the results, so
        the pending futures stay few however many tasks there are.
        """
        n_blocks, per_task = self.per_task(n_resamples, block_bytes)
        threads = min(self.concurrency(block_bytes), -(-n_blocks // per_task))
        if threads <= 1:
            for first, count in self.tasks(n_resamples, block_bytes):
                task(first, count)
            return
        with ThreadPoolExecutor(max_workers=threads) as pool:
            pending: deque[Future[None]] = deque()
            for first, count in self.tasks(n_resamples, block_bytes):
                pending.append(pool.submit(task, first, count))
                if len(pending) > 2 * threads:
                    pending.popleft().result()
            while pending:
                pending.popleft().result()


def _block_length(n_resamples: int, block: int) -> int:
    return min(BLOCK, n_resamples - block * BLOCK)


class _PoissonTable:
    """Poisson(lambda_j) variates by inversion of tabulated CDFs, for fixed rates.

    A stratum's pattern rates are the same in every resample, so each pattern's CDF is
    tabulated once (:func:`scipy.special.pdtr`, the function behind
    ``scipy.stats.poisson.cdf``), with a guide table that points every uniform near its answer;
    a variate then costs a few vectorised passes instead of a rejection sampler. The table
    spans each distribution up to a tail mass of 2**-60 on either side, far below the 2**-53
    resolution of the uniform draws, so inversion is as exact as sampling with double
    precision uniforms can be.
    """

    def __init__(self, rates: FloatArray) -> None:
        # Chernoff bounds put each tail beyond these limits below exp(-42) < 2**-60:
        # P(X >= lam + t) <= exp(-t^2 / (2 (lam + t/3))), P(X <= lam - t) <= exp(-t^2 / (2 lam)).
        low = np.maximum(np.floor(rates - np.sqrt(84.0 * rates)) - 1, 0).astype(np.int64)
        high = np.ceil(rates + 14.0 + np.sqrt(196.0 + 84.0 * rates)).astype(np.int64) + 1
        sizes = high - low + 1
        self.low = low
        self.sizes = sizes
        self.offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        owner = np.repeat(np.arange(len(rates)), sizes)
        support = low[owner] + (np.arange(int(sizes.sum())) - self.offsets[owner])
        cdf = pdtr(support, rates[owner])
        cdf[self.offsets + sizes - 1] = 1.0  # the last entry closes each table
        # Guide: for bin b of pattern j, the first entry whose CDF exceeds b / size_j.
        bins = (np.arange(int(sizes.sum())) - self.offsets[owner]) / sizes[owner]
        self.guide = np.empty(int(sizes.sum()), dtype=np.int64)
        for j in range(len(rates)):  # once per stratum; m searches of short tables
            segment = slice(self.offsets[j], self.offsets[j] + sizes[j])
            self.guide[segment] = self.offsets[j] + np.searchsorted(
                cdf[segment], bins[segment], side="right"
            )
        self.cdf = cdf

    def draw(self, rng: np.random.Generator, rows: int) -> IntArray:
        """Poisson variates, shape (rows, m)."""
        # Pattern-major: consecutive lookups stay within one pattern's (cached) table.
        u = rng.random((len(self.sizes), rows))
        sizes = self.sizes[:, np.newaxis]
        bins = np.minimum((u * sizes).astype(np.int64), sizes - 1)
        index = self.guide[self.offsets[:, np.newaxis] + bins]
        flat_u, flat_index = u.reshape(-1), index.reshape(-1)
        active = np.flatnonzero(self.cdf[flat_index] <= flat_u)
        while active.size:  # a step or two: the guide starts each search next to its answer
            flat_index[active] += 1
            active = active[self.cdf[flat_index[active]] <= flat_u[active]]
        value: IntArray = self.low + (index - self.offsets[:, np.newaxis]).T
        return value


@attrs.frozen
class _Stratum:
    """One stratum's distinct patterns, ready for resampling."""

    sums: FloatArray  # (m, k)
    answered: FloatArray  # (m, k)
    counts: IntArray  # (m,)
    owner: IntArray  # (n,) pattern of each respondent: a gather, cheaper than a search
    size: int
    complete: bool  # every pattern answers every item (unweighted): answered = counts

    @classmethod
    def of(cls, tally: Tally, stratum: int) -> _Stratum:
        present, counts = tally.support(stratum)
        answered = tally.answered[present]
        return cls(
            sums=tally.sums[present],
            answered=answered,
            counts=counts,
            owner=np.repeat(np.arange(len(counts), dtype=np.intp), counts),
            size=int(counts.sum()),
            complete=bool(np.all(answered == 1.0)),
        )

    @property
    def use_index_draws(self) -> bool:
        """Uniform index draws cost ~n, tabulated Poisson counts ~m + 6 sqrt(n): pick the
        cheaper exact method (from the data alone)."""
        poisson = len(self.counts) * _POISSON_COST + 3.0 * math.sqrt(self.size) * _INDEX_COST
        return self.size * _INDEX_COST <= poisson

    @property
    def shrink(self) -> float:
        """Poisson rates are ``shrink * c_j``, three standard deviations below n in total, so
        the completion nearly always adds points (removing some is rarer than 1 in 700)."""
        return max(0.5, 1.0 - 3.0 / math.sqrt(max(self.size, 1)))

    def table(self) -> _PoissonTable | None:
        if self.use_index_draws:
            return None
        return _PoissonTable(self.counts.astype(np.float64) * self.shrink)

    def rows_per_call(self) -> int:
        if self.use_index_draws:
            return max(1, min(BLOCK, _CALL_ELEMENTS // max(1, self.size)))
        # Table lookups gain from many resamples per pattern and call (cache locality).
        return max(1, min(BLOCK, _TABLE_CALL_ELEMENTS // max(1, len(self.counts))))

    def rows_per_product(self) -> int:
        """Resamples whose counts are multiplied by the pattern matrix at once (<= 32 MiB)."""
        return max(1, min(BLOCK, _PRODUCT_ELEMENTS // max(1, len(self.counts))))

    def block_bytes(self) -> int:
        width = max(self.size if self.use_index_draws else len(self.counts), 1)
        call = 8 * self.rows_per_call() * 3 * width
        product = 8 * self.rows_per_product() * (len(self.counts) + 4 * int(self.sums.shape[1]))
        return call + product

    def draw_counts(
        self, rng: np.random.Generator, rows: int, table: _PoissonTable | None
    ) -> IntArray:
        """Pattern counts of `rows` bootstrap resamples, shape (rows, m)."""
        m = len(self.counts)
        if table is None:
            # n uniform respondent indices per resample, mapped to their patterns.
            index = rng.integers(0, self.size, size=(rows, self.size))
            pattern = self.owner[index]
            pattern += (np.arange(rows) * m)[:, np.newaxis]
            counts: IntArray = np.bincount(pattern.ravel(), minlength=rows * m).reshape(rows, m)
            return counts
        counts = table.draw(rng, rows)
        missing = self.size - counts.sum(axis=1)
        for r in np.flatnonzero(missing < 0):  # more than n points: remove some (rare)
            # Points removed uniformly without replacement: a hypergeometric split.
            counts[r] -= rng.multivariate_hypergeometric(counts[r], int(-missing[r]))
        missing = np.maximum(missing, 0)
        # Complete every row to exactly n points with i.i.d. draws (see module notes).
        extra = self.owner[rng.integers(0, self.size, int(missing.sum()))]
        extra += np.repeat(np.arange(rows) * m, missing)
        counts += np.bincount(extra, minlength=rows * m).reshape(rows, m)
        return counts

    def scores(self, counts: FloatArray) -> FloatArray:
        sums = counts @ self.sums
        if self.complete:
            return sums / self.size
        return ratio(sums, counts @ self.answered)

    def draw_block(
        self, rng: np.random.Generator, length: int, table: _PoissonTable | None
    ) -> FloatArray:
        """Item scores of one block of `length` resamples, shape (length, k)."""
        out = np.empty((length, self.sums.shape[1]))
        per_call, per_product = self.rows_per_call(), self.rows_per_product()
        for start in range(0, length, per_product):
            stop = min(length, start + per_product)
            counts = np.empty((stop - start, len(self.counts)))
            for row in range(start, stop, per_call):
                rows = min(per_call, stop - row)
                counts[row - start : row - start + rows] = self.draw_counts(rng, rows, table)
            out[start:stop] = self.scores(counts)
        return out


def bootstrap(
    tally: Tally,
    strata: tuple[int, int],
    n_resamples: int,
    streams: Streams,
    keys: tuple[Sequence[int], Sequence[int]],
    consume: Consumer,
    plan: Plan,
) -> None:
    """Bootstrap two strata independently; hand ``(start, x, y)`` chunks to `consume`.

    Each resample draws each stratum's respondents with replacement, keeping its size;
    `x` and `y` are the item scores of the first and second stratum, shape (L, k), for
    replicates ``start .. start + L - 1``. `keys` are the two strata's stream keys: the same
    key and data give the same replicates in any analysis.
    """
    first, second = (_Stratum.of(tally, s) for s in strata)
    tables = (first.table(), second.table())

    def task(first_block: int, n_blocks: int) -> None:
        for block in range(first_block, first_block + n_blocks):
            length = _block_length(n_resamples, block)
            x, y = (
                group.draw_block(streams.generator(BOOTSTRAP, key, block), length, table)
                for group, key, table in zip((first, second), keys, tables, strict=True)
            )
            consume(block * BLOCK, x, y)

    plan.run(n_resamples, first.block_bytes() + second.block_bytes(), task)


def jackknife_scores(tally: Tally, stratum: int) -> tuple[FloatArray, IntArray]:
    """Delete-one-respondent item scores of one stratum, one row per distinct pattern.

    Leaving out any of the ``c_j`` respondents who gave pattern j gives the same scores
    ``(T - s_j) / (A - a_j)``; so the jackknife over n respondents is the m distinct rows
    returned here, with multiplicities ``c_j``.

    Returns
    -------
    scores : ndarray, shape (m, k)
    multiplicity : ndarray of int, shape (m,)
    """
    present, counts = tally.support(stratum)
    total_sums, total_answered = tally.totals(stratum)
    scores = ratio(total_sums - tally.sums[present], total_answered - tally.answered[present])
    return scores, counts


@attrs.frozen
class _ItemSplits:
    """Every item's pooled answer values, padded to a common width C.

    Attributes
    ----------
    values, answered : ndarray, shape (k, C)
        Distinct (weighted answer, answered weight) pairs of each item; padding has count 0.
    pooled : ndarray of int, shape (k, C)
        Respondents of both groups giving each pair.
    """

    values: FloatArray
    answered: FloatArray
    pooled: IntArray

    def draw(
        self, rng: np.random.Generator, size: int, rows: int
    ) -> tuple[FloatArray, FloatArray]:
        """Item scores of both groups under `rows` relabellings, drawn item by item.

        Sequential conditional hypergeometric draws over the values (the "marginals"
        method) give exactly each item's multivariate hypergeometric split; all items and
        rows are drawn together.
        """
        k, width = self.pooled.shape
        chosen = np.empty((rows, k, width))
        remaining = np.full((rows, k), size, dtype=np.int64)
        after = np.cumsum(self.pooled[:, ::-1], axis=1)[:, ::-1]  # pooled at or after each value
        for c in range(width - 1):
            good = np.broadcast_to(self.pooled[:, c], (rows, k))
            bad = np.broadcast_to(after[:, c + 1], (rows, k))
            taken = rng.hypergeometric(good, bad, remaining)
            chosen[:, :, c] = taken
            remaining -= taken
        chosen[:, :, width - 1] = remaining
        rest = self.pooled - chosen
        x = ratio(
            np.einsum("rkc,kc->rk", chosen, self.values),
            np.einsum("rkc,kc->rk", chosen, self.answered),
        )
        y = ratio(
            np.einsum("rkc,kc->rk", rest, self.values),
            np.einsum("rkc,kc->rk", rest, self.answered),
        )
        return x, y


def _item_splits(tally: Tally, strata: tuple[int, int]) -> _ItemSplits | None:
    """Per-item pooled value counts, or None when one joint draw is cheaper."""
    pooled = tally.counts[strata[0]] + tally.counts[strata[1]]
    present = np.flatnonzero(pooled)
    per_item = []
    for j in range(tally.sums.shape[1]):
        # (weighted answer, answered weight) pairs as one complex key: a 1-D unique.
        key = tally.sums[present, j] + 1j * tally.answered[present, j]
        distinct, inverse = np.unique(key, return_inverse=True)
        counts = np.bincount(inverse.reshape(-1), weights=pooled[present], minlength=len(distinct))
        per_item.append(
            (np.stack([distinct.real, distinct.imag], axis=1), counts.astype(np.int64))
        )
    width = max(len(counts) for _, counts in per_item)
    if width * len(per_item) > len(present):
        return None  # many distinct values per item: one joint draw is cheaper
    k = len(per_item)
    values, answered = np.zeros((k, width)), np.zeros((k, width))
    counts_all = np.zeros((k, width), dtype=np.int64)
    for j, (distinct, counts) in enumerate(per_item):
        values[j, : len(counts)] = distinct[:, 0]
        answered[j, : len(counts)] = distinct[:, 1]
        counts_all[j, : len(counts)] = counts
    return _ItemSplits(values, answered, counts_all)


def permutation(
    tally: Tally,
    strata: tuple[int, int],
    n_resamples: int,
    streams: Streams,
    stream: Sequence[int],
    consume: Consumer,
    plan: Plan,
    *,
    joint: bool = False,
) -> None:
    """Permute the labels of two strata; hand ``(start, x, y)`` chunks to `consume`.

    `x` and `y` are the item scores of the two strata after relabelling, shape (L, k).

    With ``joint=False`` each column has exactly its permutation distribution, but columns
    may be drawn independently (per item), so the chunks serve per-item statistics such as
    the gaps' p-values. With ``joint=True`` every row comes from one relabelling of the
    respondents, for statistics over several items.
    """
    size = int(tally.counts[strata[0]].sum())
    splits = None if joint else _item_splits(tally, strata)
    k = tally.sums.shape[1]
    if splits is not None:
        item_splits = splits

        def draw(rng: np.random.Generator, rows: int) -> tuple[FloatArray, FloatArray]:
            return item_splits.draw(rng, size, rows)

        width = int(splits.pooled.size)
    else:
        pooled = tally.counts[strata[0]] + tally.counts[strata[1]]
        present = np.flatnonzero(pooled)
        counts = pooled[present]
        total = int(counts.sum())
        owner = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
        sums, answered = tally.sums[present], tally.answered[present]
        totals = counts.astype(np.float64)
        total_sums, total_answered = totals @ sums, totals @ answered
        m = len(present)
        # A hypergeometric split costs ~m draws, a uniform subset of respondents ~N cheap
        # ones; both are exactly a relabelling. The data decide which.
        by_subset = total * _INDEX_COST <= m * _POISSON_COST

        def draw(rng: np.random.Generator, rows: int) -> tuple[FloatArray, FloatArray]:
            if by_subset:
                keys = rng.random((rows, total))
                chosen_respondents = (
                    np.argpartition(keys, size - 1, axis=1)[:, :size]
                    if size
                    else np.empty((rows, 0), dtype=np.int64)
                )
                pattern = owner[chosen_respondents]
                pattern += (np.arange(rows) * m)[:, np.newaxis]
                chosen = (
                    np.bincount(pattern.ravel(), minlength=rows * m)
                    .reshape(rows, m)
                    .astype(np.float64)
                )
            else:
                chosen = rng.multivariate_hypergeometric(counts, size, size=rows).astype(
                    np.float64
                )
            s, a = chosen @ sums, chosen @ answered
            return ratio(s, a), ratio(total_sums - s, total_answered - a)

        width = total if by_subset else m
    step = max(1, min(BLOCK, _CALL_ELEMENTS // max(1, width)))
    key = (*stream, *strata)

    def task(first_block: int, n_blocks: int) -> None:
        for block in range(first_block, first_block + n_blocks):
            length = _block_length(n_resamples, block)
            rng = streams.generator(PERMUTATION, key, block)
            parts = [draw(rng, min(step, length - row)) for row in range(0, length, step)]
            consume(
                block * BLOCK,
                np.concatenate([p[0] for p in parts]),
                np.concatenate([p[1] for p in parts]),
            )

    plan.run(n_resamples, 8 * step * (3 * width + 4 * k), task)


def parametric(
    tables: Sequence[tuple[FloatArray, IntArray, FloatArray | None]],
    keys: Sequence[Sequence[int]],
    n_resamples: int,
    streams: Streams,
    consume: Consumer,
    plan: Plan,
) -> None:
    """Parametric bootstrap of two groups' published item scores; chunks to `consume`.

    `tables` holds, per group, (scores, item_n, sd or None), and `keys` each group's stream
    key. Items are independent: for a
    Binary scale (sd None) ``Binomial(n_j, p_j) / n_j``; otherwise ``Normal(mean_j,
    sd_j / sqrt(n_j))``, the sampling distribution of a mean.
    """

    def draw(
        rng: np.random.Generator, table: tuple[FloatArray, IntArray, FloatArray | None], rows: int
    ) -> FloatArray:
        scores, item_n, sd = table
        if sd is None:
            out: FloatArray = rng.binomial(item_n, scores, size=(rows, len(scores))) / item_n
            return out
        return scores + rng.standard_normal((rows, len(scores))) * (sd / np.sqrt(item_n))

    def task(first_block: int, n_blocks: int) -> None:
        for block in range(first_block, first_block + n_blocks):
            length = _block_length(n_resamples, block)
            x, y = (
                draw(streams.generator(PARAMETRIC, key, block), table, length)
                for key, table in zip(keys, tables, strict=True)
            )
            consume(block * BLOCK, x, y)

    k = len(tables[0][0])
    plan.run(n_resamples, 8 * BLOCK * 4 * k, task)


def n_blocks(n_resamples: int) -> int:
    """Number of blocks holding `n_resamples` replicates."""
    return math.ceil(n_resamples / BLOCK)


# -- whole-array conveniences (tests, and callers who want the replicates themselves) ------


def _collector(n_resamples: int, k: int) -> tuple[FloatArray, FloatArray, Consumer]:
    x_all, y_all = np.empty((n_resamples, k)), np.empty((n_resamples, k))

    def consume(start: int, x: FloatArray, y: FloatArray) -> None:
        x_all[start : start + len(x)] = x
        y_all[start : start + len(y)] = y

    return x_all, y_all, consume


def bootstrap_scores(
    tally: Tally, stratum: int, n_resamples: int, streams: Streams, stream: Sequence[int]
) -> FloatArray:
    """All bootstrap item scores of one stratum, shape (B, k).

    The same numbers :func:`bootstrap` gives that stratum when its stream key is `stream`.
    """
    group = _Stratum.of(tally, stratum)
    table = group.table()
    out = np.empty((n_resamples, tally.sums.shape[1]))
    for block in range(n_blocks(n_resamples)):
        length = _block_length(n_resamples, block)
        rng = streams.generator(BOOTSTRAP, stream, block)
        out[block * BLOCK : block * BLOCK + length] = group.draw_block(rng, length, table)
    return out


def permutation_scores(
    tally: Tally,
    strata: tuple[int, int],
    n_resamples: int,
    streams: Streams,
    stream: Sequence[int],
) -> tuple[FloatArray, FloatArray]:
    """All permutation item scores of two strata, (B, k) each, from joint relabellings."""
    x, y, consume = _collector(n_resamples, tally.sums.shape[1])
    permutation(tally, strata, n_resamples, streams, stream, consume, Plan(), joint=True)
    return x, y


def parametric_scores(
    scores: FloatArray,
    item_n: IntArray,
    sd: FloatArray | None,
    n_resamples: int,
    streams: Streams,
    stream: Sequence[int],
) -> FloatArray:
    """All parametric-bootstrap item scores of one group, (B, k), as :func:`parametric` gives."""
    x, _, consume = _collector(n_resamples, len(scores))
    table = (scores, item_n, sd)
    parametric([table, table], [stream, stream], n_resamples, streams, consume, Plan())
    return x

"""Replicate item scores: bootstrap, jackknife and permutation, on a :class:`Tally`.

This module knows nothing about which statistic will be computed: it returns arrays of item
scores with shape ``(B, k)`` per stratum, which the batched statistics then reduce.

Randomness: replicates are drawn in fixed blocks of :data:`BLOCK`; each block has its own
generator seeded by ``SeedSequence(entropy, spawn_key=(purpose, *stream, block))``. A result
therefore depends only on the seed, never on how blocks are grouped into chunks, and a
stratum's replicates do not depend on what else is analysed alongside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ._tally import Tally, ratio

__all__ = [
    "BLOCK",
    "Streams",
    "bootstrap_scores",
    "jackknife_scores",
    "parametric_scores",
    "permutation_scores",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Replicates per random stream. Changing it changes every seeded result (note it in the
#: CHANGELOG).
BLOCK = 256

BOOTSTRAP, PERMUTATION, PARAMETRIC = 0, 1, 2


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
        key = (purpose, *stream, block)
        return np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.entropy, spawn_key=key))
        )


def _blocks(n_resamples: int) -> list[tuple[int, int]]:
    """(block number, replicates in it) for `n_resamples` replicates."""
    return [(b, min(BLOCK, n_resamples - b * BLOCK)) for b in range(-(-n_resamples // BLOCK))]


def bootstrap_scores(
    tally: Tally, stratum: int, n_resamples: int, streams: Streams, stream: Sequence[int]
) -> FloatArray:
    """Item scores of `n_resamples` bootstrap resamples of one stratum, shape (B, k).

    Each resample draws the stratum's respondents with replacement, keeping its size: the
    pattern counts are ``Multinomial(n_s, counts / n_s)``, exactly the distribution of the
    counts in an index resample.
    """
    present, counts = tally.support(stratum)
    size = int(counts.sum())
    shares = counts / size
    sums, answered = tally.sums[present], tally.answered[present]
    out = np.empty((n_resamples, tally.sums.shape[1]))
    for block, length in _blocks(n_resamples):
        rng = streams.generator(BOOTSTRAP, stream, block)
        draws = rng.multinomial(size, shares, size=length).astype(np.float64)
        start = block * BLOCK
        out[start : start + length] = ratio(draws @ sums, draws @ answered)
    return out


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


def permutation_scores(
    tally: Tally,
    strata: tuple[int, int],
    n_resamples: int,
    streams: Streams,
    stream: Sequence[int],
) -> tuple[FloatArray, FloatArray]:
    """Item scores of both strata after randomly permuting their labels, (B, k) each.

    The first stratum's pattern counts are drawn from the pooled counts by a multivariate
    hypergeometric draw of its size, which is exactly the distribution of its counts when the
    group labels are permuted; the second stratum receives the rest.
    """
    first, second = strata
    pooled = tally.counts[first] + tally.counts[second]
    present = np.flatnonzero(pooled)
    pooled = pooled[present]
    size = int(tally.counts[first].sum())
    sums, answered = tally.sums[present], tally.answered[present]
    total_sums, total_answered = (
        pooled.astype(np.float64) @ sums,
        pooled.astype(np.float64) @ answered,
    )
    k = tally.sums.shape[1]
    out_first, out_second = np.empty((n_resamples, k)), np.empty((n_resamples, k))
    for block, length in _blocks(n_resamples):
        rng = streams.generator(PERMUTATION, stream, block)
        draws = rng.multivariate_hypergeometric(pooled, size, size=length).astype(np.float64)
        draw_sums, draw_answered = draws @ sums, draws @ answered
        start = block * BLOCK
        out_first[start : start + length] = ratio(draw_sums, draw_answered)
        out_second[start : start + length] = ratio(
            total_sums - draw_sums, total_answered - draw_answered
        )
    return out_first, out_second


def parametric_scores(
    scores: FloatArray,
    item_n: IntArray,
    sd: FloatArray | None,
    n_resamples: int,
    streams: Streams,
    stream: Sequence[int],
) -> FloatArray:
    """Parametric bootstrap of one group's published item scores, shape (B, k).

    Items are treated as independent: for a Binary scale, ``Binomial(n_j, p_j) / n_j``;
    otherwise ``Normal(mean_j, sd_j / sqrt(n_j))``, the sampling distribution of a mean.
    """
    out = np.empty((n_resamples, len(scores)))
    for block, length in _blocks(n_resamples):
        rng = streams.generator(PARAMETRIC, stream, block)
        start = block * BLOCK
        if sd is None:
            out[start : start + length] = (
                rng.binomial(item_n, scores, size=(length, len(scores))) / item_n
            )
        else:
            noise = rng.standard_normal((length, len(scores)))
            out[start : start + length] = scores + noise * (sd / np.sqrt(item_n))
    return out

"""The sufficient representation of responses: distinct answer patterns and their counts.

Item scores are ratios of sums (``sum w x / sum w [answered]``), so all the resampling
engine needs is, for every distinct response pattern, its contribution to those sums and how
many respondents of each stratum (group, or group x segment level) gave it. Resampling
respondents with replacement is then exactly a multinomial draw over patterns, and permuting
group labels a multivariate hypergeometric draw; cost after the single pass here depends on
the number of distinct patterns, not on the number of respondents.

Weighted data keep one pattern per respondent (the weights differ) and go the same way.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Tally", "encode_patterns", "make_tally"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_CODE_LIMIT = 2**62  # stay clear of int64 overflow when packing codes


def _column_codes(column: FloatArray) -> tuple[IntArray, int]:
    """Small integer codes of one column's values; NaN (missing) gets the last code.

    Integer-valued columns with a small range (Binary, Likert) are coded by offset in O(n);
    others through ``np.unique``.
    """
    missing = np.isnan(column)
    answered = column[~missing]
    if answered.size and np.all(answered == np.floor(answered)):
        low, high = float(answered.min()), float(answered.max())
        if high - low < 4096:
            code = np.where(missing, high - low + 1, column - low).astype(np.int64)
            return code, int(high - low) + 2
    levels, answered_code = np.unique(answered, return_inverse=True)
    code = np.full(len(column), len(levels), dtype=np.int64)
    code[~missing] = answered_code.reshape(-1)
    return code, len(levels) + 1


def encode_patterns(values: FloatArray) -> tuple[IntArray, IntArray]:
    """Give each distinct row of `values` (NaN included) an integer code.

    Each column is mapped to small integer codes (NaN, the missing answer, is a code no answer
    can have), then the columns are packed into one int64 per row, base ``cardinality`` per
    column; when the packed range would overflow, the codes so far are compressed to their
    distinct values first. This avoids ``np.unique(axis=0)`` on float rows, which sorts whole
    rows.

    Returns
    -------
    inverse : ndarray of int, shape (n,)
        The pattern index of each row, in 0..m-1.
    first : ndarray of int, shape (m,)
        The index of a row holding each pattern.
    """
    n, k = values.shape
    code = np.zeros(n, dtype=np.int64)
    span = 1
    for j in range(k):
        column_code, cardinality = _column_codes(values[:, j])
        if span * cardinality >= _CODE_LIMIT:
            distinct, code = np.unique(code, return_inverse=True)
            code = code.reshape(-1).astype(np.int64)
            span = len(distinct)
        code = code * cardinality + column_code
        span *= cardinality
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), first.astype(np.int64)


@attrs.frozen(eq=False)
class Tally:
    """Distinct patterns x strata.

    Attributes
    ----------
    sums : ndarray, shape (m, k)
        Each pattern's contribution to the item sums: ``w x`` with missing answers as 0.
    answered : ndarray, shape (m, k)
        Each pattern's contribution to the answered counts: ``w [x answered]``.
    counts : ndarray of int, shape (S, m)
        How many respondents of each stratum gave each pattern.
    """

    sums: FloatArray
    answered: FloatArray
    counts: IntArray

    @property
    def sizes(self) -> IntArray:
        """Respondents per stratum."""
        sizes: IntArray = self.counts.sum(axis=1)
        return sizes

    def totals(self, stratum: int) -> tuple[FloatArray, FloatArray]:
        """Item sums and answered totals of one stratum, shape (k,) each."""
        counts = self.counts[stratum].astype(np.float64)
        return counts @ self.sums, counts @ self.answered

    def scores(self, stratum: int) -> FloatArray:
        """Available-case item scores of one stratum (NaN for an item nobody answered)."""
        sums, answered = self.totals(stratum)
        return ratio(sums, answered)

    def support(self, stratum: int) -> tuple[IntArray, IntArray]:
        """The patterns present in a stratum and their counts."""
        present = np.flatnonzero(self.counts[stratum])
        return present, self.counts[stratum, present]


def ratio(sums: FloatArray, answered: FloatArray) -> FloatArray:
    """``sums / answered`` with NaN where nothing was answered."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(answered > 0, sums / answered, np.nan)


def make_tally(
    values: FloatArray,
    strata: IntArray,
    n_strata: int,
    weights: FloatArray | None = None,
) -> Tally:
    """One pass over the respondents: patterns and their counts per stratum.

    Parameters
    ----------
    values : ndarray, shape (n, k)
        Answers, NaN where missing.
    strata : ndarray of int, shape (n,)
        Stratum of each respondent, in 0..n_strata-1; a negative stratum leaves the respondent
        out.
    n_strata : int
        Number of strata.
    weights : ndarray, shape (n,), optional
        Survey weights, positive and finite (only their ratios matter; they are rescaled
        exactly). Respondents with the same answers *and* the same weight are
        interchangeable, so a pattern is a distinct (answers, weight) row; weights that come
        from a few weighting cells keep the patterns few.
    """
    keep = strata >= 0
    if not keep.all():
        values, strata = values[keep], strata[keep]
        weights = None if weights is None else weights[keep]
    if weights is not None and weights.size:
        # Only the ratios of the weights matter (scores are ratios of weighted sums), so bring
        # the largest near 1 by a power of two, which is exact: sums of 1e308-sized weights
        # then stay finite and 1e-308-sized ones stay clear of the subnormal range. The
        # readers refuse weights whose ratio exceeds 1e150, so the squares of the smallest
        # scaled weights stay normal numbers too.
        _, exponent = np.frexp(weights.max())
        weights = np.ldexp(weights, -exponent)
    if weights is None:
        inverse, first = encode_patterns(values)
    else:
        inverse, first = encode_patterns(np.column_stack([values, weights]))
    m = len(first)
    # Only the m pattern rows are expanded; the n x k data are never copied.
    rows = values[first]
    answered = ~np.isnan(rows)
    sums = np.where(answered, rows, 0.0)
    answered_m = answered.astype(np.float64)
    if weights is not None:
        sums *= weights[first, np.newaxis]
        answered_m *= weights[first, np.newaxis]
    counts = np.bincount(strata * m + inverse, minlength=n_strata * m).reshape(n_strata, m)
    return Tally(sums=sums, answered=answered_m, counts=counts.astype(np.int64))

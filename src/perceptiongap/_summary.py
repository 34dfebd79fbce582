"""Published per-item figures for each group: the summary table as its own type, and its reader.

A :class:`SummaryTable` stands in for respondents where only a published table exists: the
analyses read its group sizes, item scores, per-item counts and standard deviations. Build one
with :meth:`perceptiongap.ResponseSet.from_summary`, which validates every figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from ._arrays import ARRAY_EQ, FloatArray, IntArray, float_array, int_array
from ._questionnaire import Binary, Questionnaire
from .errors import (
    EmptyDataError,
    InvalidArgumentError,
    MissingColumnError,
    ResponseError,
    UnknownLabelError,
    ValueOffScaleError,
)

__all__ = ["MAX_N", "SummaryTable", "read_summary"]

#: The largest group size a summary may give (a thousand times the world's population; far
#: below where 64-bit counts overflow).
MAX_N = 10**13


def _finite(value: object) -> float | None:
    """`value` as a float if it is a finite real number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond the range of floats
        return None
    return number if math.isfinite(number) else None


def _largest_sd(mean: float, low: float, high: float, count: int) -> float:
    """The largest sample standard deviation of `count` answers from `low` to `high` with
    this mean: the Bhatia-Davis bound ``Var <= (mean - low)(high - mean)`` on the population
    variance, times ``count / (count - 1)``. Published figures are rounded, so the mean is
    moved half a percent of the range towards the middle and the bound raised by as much."""
    slack = 0.005 * (high - low)
    below = min(mean - low + slack, high - low)
    above = min(high - mean + slack, high - low)
    return math.sqrt(below * above * count / (count - 1)) + slack


@attrs.frozen(repr=False)
class SummaryTable:
    """Published per-item figures for each group, in questionnaire order.

    Built by :meth:`ResponseSet.from_summary`, which validates every figure. The arrays have one
    row per group of the questionnaire (a group that the summary does not give has size 0) and
    one column per item; they are read-only. `groups`, `n`, ``len()``, `weighted`,
    `is_summary` and `notes` mirror :class:`ResponseSet`, so :func:`perceptiongap.compare`
    and reports treat both alike; there are no respondents, so there is no ``where()``.

    Attributes
    ----------
    questionnaire : Questionnaire
        What was asked.
    sizes : ndarray of int, shape (groups,)
        Group sizes.
    scores : ndarray, shape (groups, items)
        Item scores on the questionnaire's scale (shares from 0 to 1 for Binary).
    item_n : ndarray of int, shape (groups, items)
        Number who answered each item (defaults to the group size).
    sd : ndarray, shape (groups, items)
        Per-item standard deviations of the answers; NaN where not given (for Binary they follow
        from the share and are not stored).
    source : str, default "<summary>"
        Where the figures came from.
    item_correlation : float or None
        The assumed average correlation between the answers to two different items (None:
        not known). Without it the intervals of the mean gap and the elevation term are
        withheld; with it they are widened by the design effect ``1 + (k - 1) r``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> table = pg.datasets.load_published()
    >>> table
    <SummaryTable: 1407 respondents (customer 1056, business 351), 12 items, binary scale, from <summary>>
    >>> table.n
    {'customer': 1056, 'business': 351}
    >>> table.sizes
    array([1056,  351])
    >>> table.scores.shape
    (2, 12)
    >>> table.scores[:, :3]
    array([[0.61, 0.55, 0.53],
           [0.6 , 0.6 , 0.67]])
    >>> table.item_n[:, :3]
    array([[1056, 1056, 1056],
           [ 331,  334,  333]])
    """

    questionnaire: Questionnaire
    sizes: IntArray = attrs.field(converter=int_array, eq=ARRAY_EQ)
    scores: FloatArray = attrs.field(converter=float_array, eq=ARRAY_EQ)
    item_n: IntArray = attrs.field(converter=int_array, eq=ARRAY_EQ)
    sd: FloatArray = attrs.field(converter=float_array, eq=ARRAY_EQ)
    source: str = "<summary>"
    item_correlation: float | None = attrs.field(default=None)

    @item_correlation.validator
    def _check_correlation(self, _: object, value: object) -> None:
        if value is None:
            return
        k = self.questionnaire.k
        lowest = -1.0 / (k - 1) if k > 1 else -1.0
        number = _finite(value)
        if number is None or not lowest < number <= 1.0:
            raise InvalidArgumentError(
                f"`item_correlation` must be a number above -1/(k - 1) = {lowest:.3g} and at most "
                f"1 (the average correlation between two items' answers, such as 0.3); got "
                f"{value!r}."
            )

    @property
    def design_effect(self) -> float | None:
        """``1 + (k - 1) r`` for the item correlation r (None when r is not given)."""
        if self.item_correlation is None:
            return None
        return 1.0 + (self.questionnaire.k - 1) * float(self.item_correlation)

    def __attrs_post_init__(self) -> None:
        shape = (len(self.questionnaire.groups), self.questionnaire.k)
        if self.sizes.shape != shape[:1] or any(
            a.shape != shape for a in (self.scores, self.item_n, self.sd)
        ):
            raise InvalidArgumentError("build a SummaryTable with ResponseSet.from_summary.")

    @property
    def groups(self) -> tuple[str, ...]:
        """The group names, in questionnaire order."""
        return self.questionnaire.groups

    @property
    def n(self) -> dict[str, int]:
        """Size of each group, in questionnaire order (as :attr:`ResponseSet.n`)."""
        return {group: int(size) for group, size in zip(self.groups, self.sizes, strict=True)}

    def __len__(self) -> int:
        """The number of respondents in all groups."""
        return int(self.sizes.sum())

    @property
    def weighted(self) -> bool:
        """False: published figures carry no survey weights."""
        return False

    @property
    def is_summary(self) -> bool:
        """True: the figures are a published summary, not respondents."""
        return True

    @property
    def notes(self) -> tuple[str, ...]:
        """Facts about how the data were made that reports repeat: none for a summary."""
        return ()

    def __repr__(self) -> str:
        counts = ", ".join(f"{g} {c}" for g, c in self.n.items())
        return (
            f"<SummaryTable: {len(self)} respondents ({counts}), {self.questionnaire.k} items, "
            f"{self.questionnaire.scale.kind} scale, from {self.source}>"
        )


def read_summary(
    q: Questionnaire, table: Mapping[str, Mapping[str, Any]], item_correlation: float | None = None
) -> SummaryTable:
    """Validate published figures against the questionnaire (see ``ResponseSet.from_summary``)."""
    source = "<summary>"
    if not isinstance(q, Questionnaire):
        raise InvalidArgumentError(f"`questionnaire` must be a Questionnaire; got {q!r}.")
    if not isinstance(table, Mapping) or not table:
        raise EmptyDataError("`table` must map each group to its figures.", file=source)
    groups = q.groups
    n = np.zeros(len(groups), dtype=np.int64)
    scores = np.full((len(groups), q.k), np.nan)
    item_n = np.zeros((len(groups), q.k), dtype=np.int64)
    sd = np.full((len(groups), q.k), np.nan)
    binary = isinstance(q.scale, Binary)

    def fail(
        kind: type[ResponseError], message: str, g: str, column: str | None, value: object
    ) -> ResponseError:
        # A summary table's rows are its groups.
        return kind(message, file=source, row=g, column=column, value=value)

    for g, figures in table.items():
        if g not in groups:
            raise fail(
                UnknownLabelError,
                f"unknown group {g!r}; expected one of "
                + ", ".join(repr(x) for x in groups)
                + ".",
                str(g),
                None,
                g,
            )
        if not isinstance(figures, Mapping):
            raise fail(
                ResponseError,
                "the figures of a group must be a mapping with 'n' and 'scores'.",
                g,
                None,
                figures,
            )
        unknown = sorted(set(figures) - {"n", "scores", "item_n", "sd"}, key=repr)
        if unknown:
            raise fail(
                ResponseError,
                f"unknown key {unknown[0]!r}; allowed: 'n', 'scores', 'item_n', 'sd'.",
                g,
                unknown[0],
                None,
            )
        gi = groups.index(g)
        size = figures.get("n")
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise fail(
                EmptyDataError,
                f"the group size n must be a positive integer; got {size!r}.",
                g,
                "n",
                size,
            )
        if size > MAX_N:
            raise fail(
                ValueOffScaleError,
                f"the group size n must be at most {MAX_N:.0e} (a thousand times the world's "
                f"population); got {size!r}.",
                g,
                "n",
                size,
            )
        n[gi] = int(size)
        for key in ("scores", "item_n", "sd"):
            part = figures.get(key, {})
            if not isinstance(part, Mapping):
                raise fail(ResponseError, f"{key!r} must map item ids to numbers.", g, key, part)
            extra = sorted(set(part) - set(q.item_ids), key=repr)
            if extra:
                raise fail(
                    UnknownLabelError,
                    f"{key!r} names unknown item {extra[0]!r}.",
                    g,
                    extra[0],
                    None,
                )
        if binary and figures.get("sd"):
            raise fail(
                ResponseError,
                "'sd' is not used for a Binary scale (it follows from the share).",
                g,
                "sd",
                None,
            )
        for j, item in enumerate(q.item_ids):
            score = figures["scores"].get(item) if "scores" in figures else None
            if score is None:
                raise fail(MissingColumnError, "no score for this item.", g, item, None)
            if _finite(score) is None:
                raise fail(
                    ValueOffScaleError,
                    f"the score {score!r} is not a finite number.",
                    g,
                    item,
                    score,
                )
            if not q.scale.low <= score <= q.scale.high:
                if binary:
                    hint = f" (did you mean {score / 100:g}?)" if 1 < score <= 100 else ""
                    expected = f"a share from 0 to 1{hint}"
                else:
                    expected = f"a mean from {q.scale.low:g} to {q.scale.high:g}"
                raise fail(
                    ValueOffScaleError,
                    f"the score {score:g} is off the scale; expected {expected}.",
                    g,
                    item,
                    score,
                )
            scores[gi, j] = float(score)
            count = figures.get("item_n", {}).get(item, int(size))
            if (
                isinstance(count, bool)
                or not isinstance(count, (int, np.integer))
                or not 1 <= count <= size
            ):
                raise fail(
                    ValueOffScaleError,
                    f"item_n must be an integer from 1 to n={size}; got {count!r}.",
                    g,
                    item,
                    count,
                )
            item_n[gi, j] = int(count)
            spread = figures.get("sd", {}).get(item)
            if spread is not None:
                number = _finite(spread)
                if number is None or number < 0:
                    raise fail(
                        ValueOffScaleError,
                        f"sd must be a non-negative finite number; got {spread!r}.",
                        g,
                        item,
                        spread,
                    )
                scale = q.scale
                largest = (
                    math.inf
                    if count < 2
                    else _largest_sd(float(score), scale.low, scale.high, int(count))
                )
                if number > largest:
                    raise fail(
                        ValueOffScaleError,
                        f"sd {number:g} is impossible for {count} answers from {scale.low:g} "
                        f"to {scale.high:g} with mean {float(score):g}: the largest possible "
                        f"is about {largest:.3g} (the Bhatia-Davis bound, with room for "
                        "rounding); check that this is a standard deviation, not a variance.",
                        g,
                        item,
                        spread,
                    )
                sd[gi, j] = number
    if np.count_nonzero(n) < 2:
        raise EmptyDataError("a summary needs the figures of at least two groups.", file=source)
    return SummaryTable(
        questionnaire=q, sizes=n, scores=scores, item_n=item_n, sd=sd, source=source,
        item_correlation=item_correlation,
    )  # fmt: skip

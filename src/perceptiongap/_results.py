"""The records a report is made of: estimates, item gaps, the profile, notes and contrasts.

Every record is a frozen attrs class on :class:`~perceptiongap._serialise.Record`, which
derives equality (NaN equal to NaN), hashing and the dict round trip from the fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs
import numpy as np

from ._questionnaire import Item
from ._serialise import Record, frozen_mapping
from .errors import InvalidArgumentError

__all__ = [
    "CONTRAST_STATISTICS",
    "VERDICTS",
    "Contrast",
    "Estimate",
    "ItemGap",
    "LevelDifference",
    "LevelSummary",
    "Note",
    "ProfileGap",
    "SegmentComparison",
    "Verdict",
    "rank_levels",
]

Verdict = Literal["overestimated", "underestimated", "aligned", "untested"]
VERDICTS: tuple[str, ...] = ("overestimated", "underestimated", "aligned", "untested")

#: What a :class:`Contrast` can compare: a scalar statistic, or ``"gap"`` of one item.
CONTRAST_STATISTICS: tuple[str, ...] = (
    "spearman", "kendall", "mean_gap", "mean_absolute_gap", "d2", "elevation", "scatter",
    "shape", "gap",
)  # fmt: skip

_NAN = float("nan")


def _float(value: float) -> float:
    return float(value)


def _tuple(value: Iterable[object]) -> tuple[object, ...]:
    return tuple(value)


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidArgumentError(f"`{attribute.name}` must be a string; got {value!r}.")


@attrs.frozen(eq=False)
class Estimate(Record):
    """A point estimate with its confidence interval, standard error and how they were made.

    Attributes
    ----------
    value : float
        The statistic on the data.
    low, high : float
        Bounds of the confidence interval (NaN when no interval was computed).
    standard_error : float
        Standard deviation of the bootstrap replicates (NaN when none were drawn).
    method : str
        The interval procedure actually used: ``"BCa"``, ``"BC"`` (BCa whose acceleration was
        set to 0: a bias-corrected percentile interval), ``"percentile"``, ``"basic"``, or
        ``"none"`` when there is no interval. By default ``"none"`` without bounds and
        ``"unspecified"`` with bounds. Under ``method="auto"`` also ``"newcombe"``,
        ``"welch"``, ``"hull"``, ``"bound"``, ``"welch-squared"``, ``"percentile-squared"``,
        ``"design-effect"`` (see the docs page "How well the intervals cover").
    flags : tuple of str
        What makes the interval unreliable, if anything: ``"has zero width"``, ``"is
        undefined (NaN)"``, ``"excludes its own estimate"``, ``"near-tied items"`` (rank
        correlations of many items within two standard errors of each other). Each flag
        comes with a warning in ``report.warnings``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> e = pg.Estimate(value=0.21, low=0.18, high=0.24, standard_error=0.015, method="BCa")
    >>> e.contains(0.0)
    False
    >>> pg.Estimate.from_dict(e.to_dict()) == e
    True
    >>> pg.Estimate(0.21).method, hash(pg.Estimate(float("nan"))) == hash(pg.Estimate(float("nan")))
    ('none', True)
    """

    value: float = attrs.field(converter=_float)
    low: float = attrs.field(default=_NAN, converter=_float)
    high: float = attrs.field(default=_NAN, converter=_float)
    standard_error: float = attrs.field(default=_NAN, converter=_float)
    method: str = attrs.field()

    flags: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    @method.default
    def _method(self) -> str:
        return "none" if math.isnan(self.low) and math.isnan(self.high) else "unspecified"

    @method.validator
    def _check_method(self, _: object, value: object) -> None:
        if not isinstance(value, str) or not value:
            raise InvalidArgumentError(f"`method` must be a non-empty string; got {value!r}.")

    def contains(self, x: float) -> bool:
        """True when `x` lies within the interval (False when there is none).

        Parameters
        ----------
        x : float
            The value to look for, such as 0 for "no gap".

        Returns
        -------
        bool
            ``low <= x <= high``; False when the bounds are NaN (no interval was computed).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> e = pg.Estimate(value=0.21, low=0.18, high=0.24, standard_error=0.015)
        >>> e.contains(0.2), e.contains(0.0)
        (True, False)
        >>> pg.Estimate(value=0.21).contains(0.21)
        False
        """
        return self.low <= x <= self.high


def _rank_set(value: object) -> tuple[int, ...] | None:
    """None, or a (low, high) pair of ranks with 1 <= low <= high."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidArgumentError(f"a rank set must be (low, high) or None; got {value!r}.")
    pair = tuple(value)
    if (
        len(pair) != 2
        or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in pair)
        or not 1 <= pair[0] <= pair[1]
    ):
        raise InvalidArgumentError(
            f"a rank set must be (low, high) with 1 <= low <= high; got {value!r}."
        )
    return (int(pair[0]), int(pair[1]))


@attrs.frozen(eq=False)
class ItemGap(Record):
    """The perception gap of one item.

    Attributes
    ----------
    item : Item
        The item (id and label).
    reference_score, comparison_score : float
        Item scores of the two groups: the weighted mean of the non-missing answers (for a
        Binary scale, the share who selected it).
    gap : Estimate
        ``comparison_score - reference_score``: positive when the comparison group (say the
        business) rates the item higher than the reference group (the customers) does.
    reference_rank, comparison_rank : float
        The item's rank within each group's scores (1 = highest, ties share the average).
    p_value : float
        Two-sided p-value of the gap (NaN when no test was run).
    p_adjusted : float
        The p-value adjusted for multiplicity over the items.
    verdict : {"overestimated", "underestimated", "aligned", "untested"}
        "overestimated" / "underestimated" when ``p_adjusted < 1 - confidence_level`` and the
        gap is positive / negative; "aligned" means *no significant gap at this level* (not
        proof that there is none); "untested" when the item has no p-value (no test was run,
        or the test is undefined for it).
    reference_rank_ci, comparison_rank_ci : tuple of int, or None
        ``(low, high)``: the item's rank in each group lies in ``low..high`` with the
        report's confidence, *simultaneously* for all items of the group (Mogstad, Romano,
        Shaikh & Wilhelm 2024). None without resamples, or for an item nobody answered.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    >>> first = report.items[0]
    >>> first.item.id, round(first.gap.value, 4), first.reference_rank
    ('discounts', -0.0086, 1.0)
    >>> first.verdict, first.tested, first.significant
    ('untested', False, False)
    """

    item: Item
    reference_score: float = attrs.field(converter=_float)
    comparison_score: float = attrs.field(converter=_float)
    gap: Estimate
    reference_rank: float = attrs.field(converter=_float)
    comparison_rank: float = attrs.field(converter=_float)
    p_value: float = attrs.field(converter=_float)
    p_adjusted: float = attrs.field(converter=_float)
    verdict: Verdict = attrs.field()
    reference_rank_ci: tuple[int, ...] | None = attrs.field(default=None, converter=_rank_set)
    comparison_rank_ci: tuple[int, ...] | None = attrs.field(default=None, converter=_rank_set)

    @verdict.validator
    def _check_verdict(self, _: object, value: object) -> None:
        if value not in VERDICTS:
            raise InvalidArgumentError(f"`verdict` must be one of {VERDICTS}; got {value!r}.")
        if (value == "untested") != math.isnan(self.p_adjusted):
            raise InvalidArgumentError(
                "`verdict` is 'untested' exactly when `p_adjusted` is NaN (no test); got "
                f"verdict={value!r} with p_adjusted={self.p_adjusted!r}."
            )

    @property
    def tested(self) -> bool:
        """True when the item's gap was tested (it has an adjusted p-value)."""
        return self.verdict != "untested"

    @property
    def significant(self) -> bool:
        """True when the gap is significant at the report's level (over- or underestimated)."""
        return self.verdict in ("overestimated", "underestimated")


@attrs.frozen(eq=False)
class ProfileGap(Record):
    """Cronbach & Gleser's decomposition of the squared profile distance.

    ``d2 = sum_i (y_i - x_i)^2 = elevation + scatter + shape`` for reference scores x and
    comparison scores y over k items: ``elevation = k (mean y - mean x)^2`` (the level),
    ``scatter = k (sd y - sd x)^2`` (the spread, population SDs) and
    ``shape = 2 k sd(x) sd(y) (1 - r)`` (the order and pattern).

    Attributes
    ----------
    d2, elevation, scatter, shape : Estimate

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    >>> p = report.profile
    >>> abs(p.elevation.value + p.scatter.value + p.shape.value - p.d2.value) < 1e-12
    True
    >>> {k: round(v, 2) for k, v in p.shares().items()}
    {'elevation': 0.78, 'scatter': 0.1, 'shape': 0.12}
    """

    d2: Estimate
    elevation: Estimate
    scatter: Estimate
    shape: Estimate

    def shares(self) -> dict[str, float]:
        """Each term's share of d2 (NaN when d2 is 0).

        Returns
        -------
        dict of str to float
            ``{"elevation": ..., "scatter": ..., "shape": ...}``, point estimates divided by
            that of d2; they sum to 1.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> {name: round(share, 2) for name, share in report.profile.shares().items()}
        {'elevation': 0.78, 'scatter': 0.1, 'shape': 0.12}
        """
        total = self.d2.value
        return {
            name: getattr(self, name).value / total if total > 0 else float("nan")
            for name in ("elevation", "scatter", "shape")
        }


@attrs.frozen(eq=False)
class Note(Record):
    """A fact about how a report was made (not a doubt about its numbers).

    Attributes
    ----------
    code : str
        What kind of fact: ``"kept_whole"`` (a group that does not record a segment is kept
        whole), ``"bc_interval"`` (BCa with the acceleration set to 0), ``"no_test"`` (no
        permutation test was run), ``"no_intervals"`` (no interval could be computed),
        ``"contrast_method"`` (how differences between analyses were computed),
        ``"responses"`` (a note carried by the response set).
    subject : str
        What it concerns: a statistic name, ``"gap"`` (item gaps), a group, a segment, or
        ``""`` for the whole report.
    message : str
        The fact in words.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    >>> [(note.code, note.subject) for note in report.notes]
    [('no_test', 'gap')]
    """

    code: str = attrs.field(validator=_text)
    subject: str = attrs.field(validator=_text)
    message: str = attrs.field(validator=_text)


@attrs.frozen(eq=False)
class LevelSummary(Record):
    """One segment level's (or perspective's) headline numbers, for ranking them.

    Attributes
    ----------
    level : str
        The segment level, or the comparison group when perspectives are ranked.
    n : mapping of str to int
        Respondents per group within the level (a group that does not record the segment
        counts whole).
    spearman, mean_absolute_gap : Estimate
    flags : tuple of str
        Facts a reader should see next to the numbers: ``"no respondents"`` or ``"few
        respondents"`` (fewer than ``min_segment_n`` in a group that records the segment),
        ``"kept whole: <groups>"`` (groups that do not record the segment).
    mean_squared_gap : Estimate
        The bias-corrected mean squared gap ``mean_j (g_j^2 - v_j)`` (``v_j`` the estimated
        variance of gap j; it can be slightly negative when the gaps are all near 0). Its
        expectation, the mean squared true gap, does not depend on the group sizes, so the
        levels are ranked by it: the mean absolute gap is biased upwards, and more so in
        small levels, so ranking by it would favour large levels.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     n_resamples=0, n_permutations=300, rng=1, segments=("generation",))
    >>> best = report.segment_comparisons["generation"].ranking[0]
    >>> best.level, dict(best.n), round(best.mean_squared_gap.value, 4)
    ('GenY', {'customer': 419, 'business': 351}, 0.0525)
    """

    level: str
    n: Mapping[str, int] = attrs.field(converter=frozen_mapping)
    spearman: Estimate
    mean_absolute_gap: Estimate
    flags: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    mean_squared_gap: Estimate = attrs.field(factory=lambda: Estimate(_NAN))


def rank_levels(levels: Iterable[LevelSummary]) -> list[LevelSummary]:
    """Levels (or perspectives) from the best understood (smallest bias-corrected mean
    squared gap) to the least; levels without an estimate last."""
    return sorted(
        levels,
        key=lambda s: (math.isnan(s.mean_squared_gap.value), s.mean_squared_gap.value),
    )


@attrs.frozen(eq=False)
class Contrast(Record):
    """The difference of one statistic between two analyses: ``a - b``.

    The two analyses are two levels of a segment (``report.segment_comparisons``) or two
    perspectives compared with the same reference group (:func:`perceptiongap.compare_many`).
    Their replicates share every group they have in common, so the difference is computed
    replicate by replicate.

    Attributes
    ----------
    a, b : str
        The two levels or perspectives.
    statistic : str
        ``"spearman"``, ``"mean_absolute_gap"``, ... or ``"gap"`` (one item's gap).
    difference : Estimate
        The difference with its bootstrap interval and standard error.
    p_value : float
        Two-sided bootstrap p-value of "no difference".
    p_adjusted : float
        Adjusted over every difference of the family (a segment, or the perspectives).
    item : str or None
        The item id when `statistic` is ``"gap"``, else None.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     n_resamples=200, n_permutations=300, method="percentile", rng=1,
    ...                     segments=("generation",))
    >>> d = next(d for d in report.segment_comparisons["generation"].differences
    ...          if d.item == "discounts")
    >>> d.a, d.b, d.statistic, round(d.difference.value, 3)
    ('GenY', 'GenX', 'gap', -0.128)
    >>> round(d.p_value, 3), d.p_adjusted > 0.05
    (0.01, True)
    """

    a: str
    b: str
    statistic: str
    difference: Estimate
    p_value: float = attrs.field(converter=_float)
    p_adjusted: float = attrs.field(converter=_float)
    item: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.statistic not in CONTRAST_STATISTICS:
            raise InvalidArgumentError(
                f"`statistic` must be one of {CONTRAST_STATISTICS}; got {self.statistic!r}."
            )
        if (self.statistic == "gap") != (self.item is not None):
            raise InvalidArgumentError(
                "`item` names the item exactly when `statistic` is 'gap'; got "
                f"statistic={self.statistic!r}, item={self.item!r}."
            )

    @property
    def level_a(self) -> str:
        """`a` (the name this field had in :class:`LevelDifference`)."""
        return self.a

    @property
    def level_b(self) -> str:
        """`b` (the name this field had in :class:`LevelDifference`)."""
        return self.b


#: The first release's name for a difference between segment levels.
LevelDifference = Contrast


@attrs.frozen(eq=False)
class SegmentComparison(Record):
    """How the perception gap differs between the levels of one segment variable.

    Attributes
    ----------
    name : str
        The segment variable.
    ranking : tuple of LevelSummary
        Levels from the smallest bias-corrected mean squared gap (the level the comparison
        group understands best) to the largest; levels without an estimate come last.
    differences : tuple of Contrast
        For every pair of levels (in questionnaire order), the difference in Spearman, in
        the mean absolute gap and in each item's gap.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     n_resamples=0, n_permutations=300, rng=1, segments=("generation",))
    >>> [s.level for s in report.segment_comparisons["generation"].ranking]
    ['GenY', 'Boomer', 'GenX']
    """

    name: str
    ranking: tuple[LevelSummary, ...] = attrs.field(converter=_tuple)
    differences: tuple[Contrast, ...] = attrs.field(converter=_tuple)

    def best_understood(self) -> str | None:
        """The level with the smallest bias-corrected mean squared gap (None when none has
        an estimate).

        Returns
        -------
        str or None
            The first level of `ranking`, or None when it has no estimate.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> report.segment_comparisons["generation"].best_understood()
        'GenY'
        """
        first = self.ranking[0] if self.ranking else None
        if first is None or math.isnan(first.mean_squared_gap.value):
            return None
        return first.level

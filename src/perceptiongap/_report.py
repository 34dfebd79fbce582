"""The results: frozen, serialisable records of numbers and how they were obtained."""

from __future__ import annotations

import json
import math
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from ._questionnaire import Item, Scale, _scale_from
from .errors import InvalidArgumentError

__all__ = [
    "Estimate",
    "GapReport",
    "ItemGap",
    "LevelDifference",
    "LevelSummary",
    "ProfileGap",
    "SegmentComparison",
    "Verdict",
]

Verdict = Literal["overestimated", "underestimated", "aligned"]
VERDICTS: tuple[str, ...] = ("overestimated", "underestimated", "aligned")
SCHEMA = "perceptiongap.GapReport/1"


def _same_float(a: float, b: float) -> bool:
    """Equality that treats NaN as equal to NaN (a report equals its own round trip)."""
    return a == b or (math.isnan(a) and math.isnan(b))


_NAN_EQ = attrs.cmp_using(eq=_same_float)
_NAN = float("nan")


def _to_float(value: float) -> float:
    return float(value)


def _gap_tuple(value: Iterable[ItemGap]) -> tuple[ItemGap, ...]:
    return tuple(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _json_float(value: float) -> float | None:
    return None if math.isnan(value) else value


def _from_json_float(value: float | None) -> float:
    return float("nan") if value is None else float(value)


@attrs.frozen
class Estimate:
    """A point estimate with its bootstrap interval and standard error.

    Attributes
    ----------
    value : float
        The statistic on the data.
    low, high : float
        Bounds of the confidence interval (NaN when no interval was computed).
    standard_error : float
        Standard deviation of the bootstrap replicates (NaN when none were drawn).

    Examples
    --------
    >>> import perceptiongap as pg
    >>> e = pg.Estimate(value=0.21, low=0.18, high=0.24, standard_error=0.015)
    >>> e.contains(0.0)
    False
    >>> pg.Estimate.from_dict(e.to_dict()) == e
    True
    """

    value: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    low: float = attrs.field(default=_NAN, converter=_to_float, eq=_NAN_EQ)
    high: float = attrs.field(default=_NAN, converter=_to_float, eq=_NAN_EQ)
    standard_error: float = attrs.field(default=_NAN, converter=_to_float, eq=_NAN_EQ)

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

    def to_dict(self) -> dict[str, float | None]:
        """JSON-ready dictionary; NaN becomes None.

        Returns
        -------
        dict of str to float or None
            Keys ``value``, ``low``, ``high`` and ``standard_error``.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Estimate(value=0.21, low=0.18, high=0.24, standard_error=0.015).to_dict()
        {'value': 0.21, 'low': 0.18, 'high': 0.24, 'standard_error': 0.015}
        >>> pg.Estimate(value=0.21).to_dict()
        {'value': 0.21, 'low': None, 'high': None, 'standard_error': None}
        """
        return {
            key: _json_float(getattr(self, key))
            for key in ("value", "low", "high", "standard_error")
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, float | None]) -> Estimate:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping of str to float or None
            The keys ``value``, ``low``, ``high`` and ``standard_error``; None is read as NaN.

        Returns
        -------
        Estimate

        Examples
        --------
        >>> import perceptiongap as pg
        >>> e = pg.Estimate.from_dict({"value": 0.21, "low": None, "high": None,
        ...                            "standard_error": None})
        >>> e
        Estimate(value=0.21, low=nan, high=nan, standard_error=nan)
        >>> pg.Estimate.from_dict(e.to_dict()) == e
        True
        """
        return cls(
            **{
                key: _from_json_float(data[key])
                for key in ("value", "low", "high", "standard_error")
            }
        )


def _verdict(value: str) -> str:
    if value not in VERDICTS:
        raise InvalidArgumentError(f"`verdict` must be one of {VERDICTS}; got {value!r}.")
    return value


@attrs.frozen
class ItemGap:
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
        Two-sided permutation p-value of the gap (NaN when no test was run).
    p_adjusted : float
        The p-value adjusted for multiplicity over the items.
    verdict : {"overestimated", "underestimated", "aligned"}
        "overestimated" / "underestimated" when ``p_adjusted < 1 - confidence_level`` and the
        gap is positive / negative, else "aligned".

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    >>> first = report.items[0]
    >>> first.item.id, round(first.gap.value, 4), first.reference_rank
    ('discounts', -0.0086, 1.0)
    """

    item: Item
    reference_score: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    comparison_score: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    gap: Estimate = attrs.field()
    reference_rank: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    comparison_rank: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    p_value: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    p_adjusted: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    verdict: Verdict = attrs.field(converter=_verdict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary; NaN becomes None.

        Returns
        -------
        dict
            The attributes by name; ``item`` and ``gap`` as their own ``to_dict()``.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> d = report.item("community").to_dict()
        >>> d["item"], d["verdict"]
        ({'id': 'community', 'label': 'Be part of a community'}, 'overestimated')
        >>> d["gap"]
        {'value': 0.391245..., 'low': None, 'high': None, 'standard_error': None}
        """
        return {
            "item": self.item.to_dict(),
            "reference_score": _json_float(self.reference_score),
            "comparison_score": _json_float(self.comparison_score),
            "gap": self.gap.to_dict(),
            "reference_rank": _json_float(self.reference_rank),
            "comparison_rank": _json_float(self.comparison_rank),
            "p_value": _json_float(self.p_value),
            "p_adjusted": _json_float(self.p_adjusted),
            "verdict": self.verdict,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemGap:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`; None is read as NaN.

        Returns
        -------
        ItemGap

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> gap = report.item("community")
        >>> pg.ItemGap.from_dict(gap.to_dict()) == gap
        True
        """
        floats = (
            "reference_score",
            "comparison_score",
            "reference_rank",
            "comparison_rank",
            "p_value",
            "p_adjusted",
        )
        return cls(
            item=Item(**data["item"]),
            gap=Estimate.from_dict(data["gap"]),
            verdict=data["verdict"],
            **{key: _from_json_float(data[key]) for key in floats},
        )


@attrs.frozen
class ProfileGap:
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
        >>> shares = report.profile.shares()
        >>> {name: round(share, 2) for name, share in shares.items()}
        {'elevation': 0.78, 'scatter': 0.1, 'shape': 0.12}
        """
        total = self.d2.value
        return {
            name: getattr(self, name).value / total if total > 0 else float("nan")
            for name in ("elevation", "scatter", "shape")
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            ``{"d2": ..., "elevation": ..., "scatter": ..., "shape": ...}``, each the
            :meth:`Estimate.to_dict` of that term.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> d = report.profile.to_dict()
        >>> list(d)
        ['d2', 'elevation', 'scatter', 'shape']
        >>> round(d["d2"]["value"], 3)
        0.668
        """
        return {
            name: getattr(self, name).to_dict() for name in ("d2", "elevation", "scatter", "shape")
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProfileGap:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping
            The keys ``d2``, ``elevation``, ``scatter`` and ``shape``, each in the layout of
            :meth:`Estimate.to_dict`.

        Returns
        -------
        ProfileGap

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> pg.ProfileGap.from_dict(report.profile.to_dict()) == report.profile
        True
        """
        return cls(
            **{
                name: Estimate.from_dict(data[name])
                for name in ("d2", "elevation", "scatter", "shape")
            }
        )


def _mapping_proxy(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return types.MappingProxyType(dict(value))


def _dict_eq(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return dict(a) == dict(b)


_DICT_EQ = attrs.cmp_using(eq=_dict_eq)


def _summary_tuple(value: Iterable[LevelSummary]) -> tuple[LevelSummary, ...]:
    return tuple(value)


def _difference_tuple(value: Iterable[LevelDifference]) -> tuple[LevelDifference, ...]:
    return tuple(value)


@attrs.frozen
class LevelSummary:
    """One segment level's headline numbers, for ranking the levels.

    Attributes
    ----------
    level : str
    n : mapping of str to int
        Respondents per group within the level (a group that does not record the segment
        counts whole).
    spearman, mean_absolute_gap : Estimate
    flags : tuple of str
        Facts a reader should see next to the numbers: ``"no respondents"`` or ``"few
        respondents"`` (fewer than ``min_segment_n`` in a group that records the segment),
        ``"kept whole: <groups>"`` (groups that do not record the segment).

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     n_resamples=0, n_permutations=300, rng=1, segments=("generation",))
    >>> best = report.segment_comparisons["generation"].ranking[0]
    >>> best.level, dict(best.n), round(best.mean_absolute_gap.value, 3)
    ('Boomer', {'customer': 250, 'business': 351}, 0.207)
    """

    level: str
    n: Mapping[str, int] = attrs.field(converter=_mapping_proxy, eq=_DICT_EQ)
    spearman: Estimate
    mean_absolute_gap: Estimate
    flags: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            Keys ``level``, ``n`` (a plain dict), ``spearman`` and ``mean_absolute_gap`` (as
            :meth:`Estimate.to_dict`).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> d = report.segment_comparisons["generation"].ranking[0].to_dict()
        >>> d["level"], d["n"]
        ('Boomer', {'customer': 250, 'business': 351})
        """
        return {
            "level": self.level,
            "n": dict(self.n),
            "spearman": self.spearman.to_dict(),
            "mean_absolute_gap": self.mean_absolute_gap.to_dict(),
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LevelSummary:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`.

        Returns
        -------
        LevelSummary

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> best = report.segment_comparisons["generation"].ranking[0]
        >>> pg.LevelSummary.from_dict(best.to_dict()) == best
        True
        """
        return cls(
            level=data["level"],
            n={str(k): int(v) for k, v in data["n"].items()},
            spearman=Estimate.from_dict(data["spearman"]),
            mean_absolute_gap=Estimate.from_dict(data["mean_absolute_gap"]),
            flags=tuple(data.get("flags", ())),
        )


@attrs.frozen
class LevelDifference:
    """The difference of one statistic between two levels of a segment: ``a - b``.

    Attributes
    ----------
    level_a, level_b : str
    statistic : str
        ``"spearman"``, ``"mean_absolute_gap"`` or an item id (that item's gap).
    difference : Estimate
        The difference with its bootstrap interval and standard error.
    p_value : float
        Two-sided bootstrap p-value of "no difference".
    p_adjusted : float
        Adjusted over every difference of the segment variable.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     n_resamples=200, n_permutations=300, method="percentile", rng=1,
    ...                     segments=("generation",))
    >>> d = next(d for d in report.segment_comparisons["generation"].differences
    ...          if d.statistic == "discounts")
    >>> d.level_a, d.level_b, round(d.difference.value, 3)
    ('GenY', 'GenX', -0.128)
    >>> round(d.p_value, 3), d.p_adjusted > 0.05
    (0.01, True)
    """

    level_a: str
    level_b: str
    statistic: str
    difference: Estimate
    p_value: float = attrs.field(converter=_to_float, eq=_NAN_EQ)
    p_adjusted: float = attrs.field(converter=_to_float, eq=_NAN_EQ)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            The attributes by name; ``difference`` as :meth:`Estimate.to_dict`, NaN p-values
            as None.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> d = report.segment_comparisons["generation"].differences[0].to_dict()
        >>> d["level_a"], d["level_b"], d["statistic"], d["p_value"]
        ('GenY', 'GenX', 'spearman', None)
        """
        return {
            "level_a": self.level_a,
            "level_b": self.level_b,
            "statistic": self.statistic,
            "difference": self.difference.to_dict(),
            "p_value": _json_float(self.p_value),
            "p_adjusted": _json_float(self.p_adjusted),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LevelDifference:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`; None is read as NaN.

        Returns
        -------
        LevelDifference

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> d = report.segment_comparisons["generation"].differences[0]
        >>> pg.LevelDifference.from_dict(d.to_dict()) == d
        True
        """
        return cls(
            level_a=data["level_a"],
            level_b=data["level_b"],
            statistic=data["statistic"],
            difference=Estimate.from_dict(data["difference"]),
            p_value=_from_json_float(data["p_value"]),
            p_adjusted=_from_json_float(data["p_adjusted"]),
        )


@attrs.frozen
class SegmentComparison:
    """How the perception gap differs between the levels of one segment variable.

    Attributes
    ----------
    name : str
        The segment variable.
    ranking : tuple of LevelSummary
        Levels from the smallest mean absolute gap (the level the comparison group
        understands best) to the largest; levels without an estimate come last.
    differences : tuple of LevelDifference
        For every pair of levels (in questionnaire order), the difference in Spearman, in
        the mean absolute gap and in each item's gap.

    Examples
    --------
    >>> import warnings
    >>> import perceptiongap as pg
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                         n_resamples=200, rng=1, segments=("generation",))
    >>> [s.level for s in report.segment_comparisons["generation"].ranking]
    ['Boomer', 'GenX', 'GenY']
    """

    name: str
    ranking: tuple[LevelSummary, ...] = attrs.field(converter=_summary_tuple)
    differences: tuple[LevelDifference, ...] = attrs.field(converter=_difference_tuple)

    def best_understood(self) -> str | None:
        """The level with the smallest mean absolute gap (None when none has an estimate).

        Returns
        -------
        str or None
            The first level of `ranking`, or None when it has no mean absolute gap.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> report.segment_comparisons["generation"].best_understood()
        'Boomer'
        """
        first = self.ranking[0] if self.ranking else None
        if first is None or math.isnan(first.mean_absolute_gap.value):
            return None
        return first.level

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            Keys ``name``, ``ranking`` (a list of :meth:`LevelSummary.to_dict`) and
            ``differences`` (a list of :meth:`LevelDifference.to_dict`).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> d = report.segment_comparisons["generation"].to_dict()
        >>> d["name"], [level["level"] for level in d["ranking"]], len(d["differences"])
        ('generation', ['Boomer', 'GenX', 'GenY'], 42)
        """
        return {
            "name": self.name,
            "ranking": [level.to_dict() for level in self.ranking],
            "differences": [d.to_dict() for d in self.differences],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SegmentComparison:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`.

        Returns
        -------
        SegmentComparison

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1,
        ...                     segments=("generation",))
        >>> comparison = report.segment_comparisons["generation"]
        >>> pg.SegmentComparison.from_dict(comparison.to_dict()) == comparison
        True
        """
        return cls(
            name=data["name"],
            ranking=[LevelSummary.from_dict(d) for d in data["ranking"]],
            differences=[LevelDifference.from_dict(d) for d in data["differences"]],
        )


def _segments_proxy(
    value: Mapping[str, Mapping[str, GapReport]],
) -> Mapping[str, Mapping[str, GapReport]]:
    return types.MappingProxyType(
        {name: types.MappingProxyType(dict(levels)) for name, levels in value.items()}
    )


def _segments_eq(a: Mapping[str, Mapping[str, Any]], b: Mapping[str, Mapping[str, Any]]) -> bool:
    return {k: dict(v) for k, v in a.items()} == {k: dict(v) for k, v in b.items()}


@attrs.frozen(repr=False)
class GapReport:
    """Everything :func:`perceptiongap.compare` found, and how.

    Attributes
    ----------
    reference, comparison : str
        The groups compared: gaps are ``comparison - reference``.
    items : tuple of ItemGap
        Per-item results in questionnaire order.
    spearman : Estimate
        Spearman's rho between the two groups' item scores (agreement of the orderings).
    kendall : Estimate
        Kendall's tau-b between the two groups' item scores.
    mean_gap : Estimate
        Mean signed gap: how much higher the comparison group rates items on average.
    mean_absolute_gap : Estimate
        Mean absolute gap.
    profile : ProfileGap
        The d2 = elevation + scatter + shape decomposition.
    n : mapping of str to int
        Respondents per group, reference first.
    method : str
        Interval method: "percentile", "basic" or "BCa".
    confidence_level : float
    n_resamples : int
        Bootstrap resamples (0: point estimates only).
    n_permutations : int
        Permutations behind the p-values.
    p_adjust : str
        Multiplicity adjustment: "holm", "bh" or "none".
    seed : int
        The seed material: ``compare(..., rng=seed)`` reproduces this report exactly (with
        ``rng=None`` a fresh seed is drawn and recorded here).
    data : {"respondents", "summary"}
        Whether respondent-level data or published summary figures were analysed.
    weighted : bool
        Whether survey weights were used.
    scale : Binary, Likert or Numeric
        The answer scale.
    title : str
    warnings : tuple of str
        Everything legal but doubtful that the analysis met.
    version : str
        The perceptiongap version that made the report.
    segments : mapping
        ``{segment name: {level: GapReport}}`` for the segments asked for.
    segment_comparisons : mapping
        ``{segment name: SegmentComparison}``: the levels ranked by mean absolute gap and
        their pairwise differences.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=200, rng=7)
    >>> report
    <GapReport business vs customer: 12 items, mean gap +0.208, Spearman 0.032, BCa 95%, 200 resamples>
    >>> pg.GapReport.from_json(report.to_json()) == report
    True
    """

    reference: str
    comparison: str
    items: tuple[ItemGap, ...] = attrs.field(converter=_gap_tuple)
    spearman: Estimate
    kendall: Estimate
    mean_gap: Estimate
    mean_absolute_gap: Estimate
    profile: ProfileGap
    n: Mapping[str, int] = attrs.field(converter=_mapping_proxy, eq=_DICT_EQ)
    method: str
    confidence_level: float
    n_resamples: int
    n_permutations: int
    p_adjust: str
    seed: int | None
    data: Literal["respondents", "summary"]
    weighted: bool
    scale: Scale
    title: str = ""
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    version: str = ""
    segments: Mapping[str, Mapping[str, GapReport]] = attrs.field(
        factory=dict, converter=_segments_proxy, eq=attrs.cmp_using(eq=_segments_eq)
    )
    segment_comparisons: Mapping[str, SegmentComparison] = attrs.field(
        factory=dict, converter=_mapping_proxy, eq=_DICT_EQ
    )

    def item(self, item_id: str) -> ItemGap:
        """The :class:`ItemGap` of the item with id `item_id`.

        Parameters
        ----------
        item_id : str
            An item id of the questionnaire.

        Returns
        -------
        ItemGap
            The item's scores, gap, ranks, p-values and verdict.

        Raises
        ------
        KeyError
            No item has this id.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> gap = report.item("community")
        >>> gap.item.label, round(gap.gap.value, 3), gap.verdict
        ('Be part of a community', 0.391, 'overestimated')
        """
        for gap in self.items:
            if gap.item.id == item_id:
                return gap
        raise KeyError(item_id)

    # -- presentation ----------------------------------------------------------------------
    def __str__(self) -> str:
        from .render import render_text

        return render_text(self)

    def __repr__(self) -> str:
        from .render import render_repr

        return render_repr(self)

    def _repr_html_(self) -> str:
        """Notebook display: the HTML fragment."""
        return self.to_html()

    def to_markdown(self) -> str:
        """The report as GitHub-flavoured Markdown (a table per item, agreement, segments).

        Returns
        -------
        str
            The Markdown text.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=100, rng=1)
        >>> print(next(line for line in report.to_markdown().splitlines() if line.startswith("| item")))
        | item | customer | business | gap | 95% CI | rank customer | rank business | p adj | verdict |
        """
        from .render import render_markdown

        return render_markdown(self)

    def to_html(self, *, full_page: bool = False) -> str:
        """The report as self-contained HTML: a fragment, or a page with ``full_page=True``.

        No external resources and no JavaScript; every string that comes from data (labels,
        group names, warnings) is escaped.

        Parameters
        ----------
        full_page : bool, default False
            Return a complete HTML document (with ``<head>`` and the report's title) instead
            of a ``<div>`` fragment to embed in a page or a notebook.

        Returns
        -------
        str
            The HTML text.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> report.to_html().startswith('<div class="perceptiongap-report">')
        True
        >>> for line in report.to_html(full_page=True).splitlines()[:4]:
        ...     print(line)
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        """
        from .render import render_html

        return render_html(self, full_page=full_page)

    def to_csv(self, path: str | Path | None = None) -> str:
        """The tidy per-item table as CSV text, also written to `path` when given.

        Numbers keep full precision (they read back to the same floats), NaN is an empty cell,
        and text cells that a spreadsheet would run as a formula are prefixed with ``'``.

        Parameters
        ----------
        path : str or pathlib.Path, optional
            A file to write the CSV text to (UTF-8); by default nothing is written.

        Returns
        -------
        str
            The CSV text: a header row, then one row per item in questionnaire order (the
            columns of :meth:`to_frame`).

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> text = report.to_csv()
        >>> print(text.splitlines()[0])
        item,label,reference,comparison,reference_score,comparison_score,gap,gap_low,gap_high,gap_standard_error,reference_rank,comparison_rank,p_value,p_adjusted,verdict
        >>> len(text.splitlines())
        13
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder) / "gaps.csv"
        ...     report.to_csv(path) == path.read_text(encoding="utf-8")
        True
        """
        from .render import render_csv

        return render_csv(self, path)

    def to_frame(self) -> Any:
        """The tidy per-item table as a pandas DataFrame (needs the ``pandas`` extra).

        Columns: ``item, label, reference, comparison, reference_score, comparison_score, gap,
        gap_low, gap_high, gap_standard_error, reference_rank, comparison_rank, p_value,
        p_adjusted, verdict``.

        Returns
        -------
        pandas.DataFrame
            One row per item, in questionnaire order; NaN where a number is undefined.

        Raises
        ------
        ImportError
            pandas is not installed.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> frame = report.to_frame()  # doctest: +SKIP
        >>> frame.shape  # doctest: +SKIP
        (12, 15)
        >>> frame.loc[frame["verdict"] == "overestimated", "item"].tolist()[:3]  # doctest: +SKIP
        ['reviews', 'general_info', 'exclusive_info']
        """
        from .render import to_frame

        return to_frame(self)

    # -- serialisation ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary holding everything; :meth:`from_dict` inverts it.

        NaN is written as None (JSON has no NaN).

        Returns
        -------
        dict
            Plain dictionaries, lists, strings, numbers and None, with a ``schema`` key naming
            the layout (``"perceptiongap.GapReport/1"``); segment reports are nested whole.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> d = report.to_dict()
        >>> d["schema"], d["n"]
        ('perceptiongap.GapReport/1', {'customer': 1056, 'business': 351})
        >>> d["items"][0]["item"]["id"], d["spearman"]["low"]
        ('discounts', None)
        """
        return {
            "schema": SCHEMA,
            "title": self.title,
            "reference": self.reference,
            "comparison": self.comparison,
            "n": dict(self.n),
            "data": self.data,
            "weighted": self.weighted,
            "scale": self.scale.to_dict(),
            "method": self.method,
            "confidence_level": self.confidence_level,
            "n_resamples": self.n_resamples,
            "n_permutations": self.n_permutations,
            "p_adjust": self.p_adjust,
            "seed": self.seed,
            "version": self.version,
            "items": [gap.to_dict() for gap in self.items],
            "spearman": self.spearman.to_dict(),
            "kendall": self.kendall.to_dict(),
            "mean_gap": self.mean_gap.to_dict(),
            "mean_absolute_gap": self.mean_absolute_gap.to_dict(),
            "profile": self.profile.to_dict(),
            "warnings": list(self.warnings),
            "segments": {
                name: {level: report.to_dict() for level, report in levels.items()}
                for name, levels in self.segments.items()
            },
            "segment_comparisons": {
                name: comparison.to_dict() for name, comparison in self.segment_comparisons.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GapReport:
        """Rebuild a report from :meth:`to_dict` output.

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict` (``schema`` must be
            ``"perceptiongap.GapReport/1"``).

        Returns
        -------
        GapReport

        Raises
        ------
        InvalidArgumentError
            The dictionary is not a perceptiongap report.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> pg.GapReport.from_dict(report.to_dict()) == report
        True
        >>> pg.GapReport.from_dict({"items": []})
        Traceback (most recent call last):
        ...
        perceptiongap.errors.InvalidArgumentError: `data` is not a perceptiongap report (expected schema 'perceptiongap.GapReport/1').
        """
        if not isinstance(data, Mapping) or data.get("schema") != SCHEMA:
            raise InvalidArgumentError(
                f"`data` is not a perceptiongap report (expected schema {SCHEMA!r})."
            )
        try:
            return cls(
                reference=data["reference"],
                comparison=data["comparison"],
                items=[ItemGap.from_dict(entry) for entry in data["items"]],
                spearman=Estimate.from_dict(data["spearman"]),
                kendall=Estimate.from_dict(data["kendall"]),
                mean_gap=Estimate.from_dict(data["mean_gap"]),
                mean_absolute_gap=Estimate.from_dict(data["mean_absolute_gap"]),
                profile=ProfileGap.from_dict(data["profile"]),
                n={str(k): int(v) for k, v in data["n"].items()},
                method=data["method"],
                confidence_level=float(data["confidence_level"]),
                n_resamples=int(data["n_resamples"]),
                n_permutations=int(data["n_permutations"]),
                p_adjust=data["p_adjust"],
                seed=data["seed"],
                data=data["data"],
                weighted=bool(data["weighted"]),
                scale=_scale_from(data["scale"]),
                title=data.get("title", ""),
                warnings=tuple(data["warnings"]),
                version=data["version"],
                segments={
                    name: {level: cls.from_dict(report) for level, report in levels.items()}
                    for name, levels in data.get("segments", {}).items()
                },
                segment_comparisons={
                    name: SegmentComparison.from_dict(comparison)
                    for name, comparison in data.get("segment_comparisons", {}).items()
                },
            )
        except (KeyError, TypeError) as exc:
            raise InvalidArgumentError(
                f"`data` is an incomplete report: {exc!r} is missing or malformed."
            ) from None

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (valid JSON: NaN is written as null).

        Parameters
        ----------
        indent : int or None, default 2
            Spaces per indentation level; None writes everything on one line.

        Returns
        -------
        str
            The JSON text of :meth:`to_dict`.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> for line in report.to_json().splitlines()[:3]:
        ...     print(line)
        {
          "schema": "perceptiongap.GapReport/1",
          "title": "Why consumers interact with brands on social media: consumers vs executives (IBM 2011)",
        >>> report.to_json(indent=None)[:39]
        '{"schema": "perceptiongap.GapReport/1",'
        """
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> GapReport:
        """Rebuild a report from :meth:`to_json` output.

        Parameters
        ----------
        text : str
            JSON text written by :meth:`to_json` (or the :meth:`to_dict` layout as JSON).

        Returns
        -------
        GapReport

        Raises
        ------
        json.JSONDecodeError
            `text` is not valid JSON.
        InvalidArgumentError
            The JSON is not a perceptiongap report.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> copy = pg.GapReport.from_json(report.to_json())
        >>> copy == report
        True
        >>> copy.item("community").verdict
        'overestimated'
        """
        return cls.from_dict(json.loads(text))

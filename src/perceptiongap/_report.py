"""The report: every number of one comparison and how it was obtained; and several of them.

Presentation lives in :mod:`perceptiongap.render`, which registers its renderers here when
the package is imported (:func:`register_renderer`), so the report never imports its renderers
and imports flow one way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from ._intervals import METHODS, P_ADJUST
from ._questionnaire import Scale
from ._results import (
    Contrast,
    Estimate,
    ItemGap,
    LevelSummary,
    Note,
    ProfileGap,
    SegmentComparison,
)
from ._schema1 import SCHEMA_1, upgrade_schema_1
from ._serialise import Record, frozen_mapping
from .errors import InvalidArgumentError

__all__ = ["SCHEMA", "GapReport", "Perspectives", "register_renderer"]

SCHEMA = "perceptiongap.GapReport/2"
_PERSPECTIVES = "perceptiongap.Perspectives/1"

_RENDERERS: dict[str, Callable[..., Any]] = {}


def register_renderer(name: str, function: Callable[..., Any]) -> None:
    """Make `function` the renderer `name` ("text", "repr", "markdown", "html", "csv", ...)."""
    _RENDERERS[name] = function


def _render(name: str, *args: Any, **kwargs: Any) -> Any:
    return _RENDERERS[name](*args, **kwargs)


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


def _level(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    """A confidence level strictly between 0 and 1 (a report never claims 700% intervals)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise InvalidArgumentError(
            f"`{attribute.name}` must be between 0 and 1 (exclusive); got {value!r}."
        )


def _one_of(allowed: tuple[str, ...]) -> Callable[[object, attrs.Attribute[str], object], None]:
    def check(_: object, attribute: attrs.Attribute[str], value: object) -> None:
        if value not in allowed:
            raise InvalidArgumentError(
                f"`{attribute.name}` must be one of {', '.join(map(repr, allowed))}; "
                f"got {value!r}."
            )

    return check


def _count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            f"`{attribute.name}` must be a non-negative integer; got {value!r}."
        )


def _segments(
    value: Mapping[str, Mapping[str, GapReport]],
) -> Mapping[str, Mapping[str, GapReport]]:
    return frozen_mapping({name: frozen_mapping(levels) for name, levels in value.items()})


class _RepeatedKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique (``json`` would silently keep the last)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKeyError(key)
            seen.add(key)
    return data


@attrs.frozen(eq=False, repr=False)
class GapReport(Record):
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
        The interval method asked for: "percentile", "basic" or "BCa". Each
        :class:`Estimate` records the procedure actually used (``Estimate.method``).
    confidence_level : float
    n_resamples : int
        Bootstrap resamples (0: point estimates only).
    n_permutations : int
        Permutations behind the p-values (0: no permutation test).
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
        Doubts: everything legal but doubtful that the analysis met (each also issued once as
        a :class:`~perceptiongap.PerceptionGapWarning`).
    version : str
        The perceptiongap version that made the report.
    segments : mapping
        ``{segment name: {level: GapReport}}`` for the segments asked for.
    segment_comparisons : mapping
        ``{segment name: SegmentComparison}``: the levels ranked by mean absolute gap and
        their pairwise differences.
    notes : tuple of Note
        Facts about how the report was made (a group kept whole, BCa with a = 0, no test run).

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=200, rng=7)
    >>> report
    <GapReport business vs customer: 12 items, mean gap +0.208, Spearman 0.032, auto 95%, 200 resamples>
    >>> pg.GapReport.from_json(report.to_json()) == report
    True
    >>> hash(report) == hash(pg.GapReport.from_json(report.to_json()))
    True
    """

    reference: str
    comparison: str
    items: tuple[ItemGap, ...] = attrs.field(converter=_tuple)
    spearman: Estimate
    kendall: Estimate
    mean_gap: Estimate
    mean_absolute_gap: Estimate
    profile: ProfileGap
    n: Mapping[str, int] = attrs.field(converter=frozen_mapping)
    method: str = attrs.field(validator=_one_of(("auto", *METHODS)))
    confidence_level: float = attrs.field(validator=_level)
    n_resamples: int = attrs.field(validator=_count)
    n_permutations: int = attrs.field(validator=_count)
    p_adjust: str = attrs.field(validator=_one_of(P_ADJUST))
    seed: int | None
    data: Literal["respondents", "summary"]
    weighted: bool
    scale: Scale
    title: str = ""
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    version: str = ""
    segments: Mapping[str, Mapping[str, GapReport]] = attrs.field(
        factory=dict, converter=_segments
    )
    segment_comparisons: Mapping[str, SegmentComparison] = attrs.field(
        factory=dict, converter=frozen_mapping
    )
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_tuple)

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
        return str(_render("text", self))

    def __repr__(self) -> str:
        return str(_render("repr", self))

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
        return str(_render("markdown", self))

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
        return str(_render("html", self, full_page=full_page))

    def to_csv(self, path: str | Path | None = None) -> str:
        """The tidy per-item table as CSV text, also written to `path` when given.

        Numbers keep full precision (they read back to the same floats), NaN is an empty cell,
        text cells that a spreadsheet would run as a formula (``= + - @``, also behind blanks
        or in their full-width forms) are prefixed with ``'``, and control characters and line
        breaks in labels are shown as escapes (``\\n``), so every item is one line.

        Parameters
        ----------
        path : str or pathlib.Path, optional
            A file to write the CSV text to (UTF-8), atomically: a temporary file beside it
            is renamed over it once complete. By default nothing is written.

        Returns
        -------
        str
            The CSV text: a header row, then one row per item in questionnaire order (the
            columns of :meth:`to_frame`).

        Raises
        ------
        OutputPathError
            `path` is a directory, its directory does not exist, or it cannot be written.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> text = report.to_csv()
        >>> print(text.splitlines()[0])
        item,label,reference,comparison,reference_score,comparison_score,gap,gap_low,gap_high,gap_standard_error,gap_method,reference_rank,reference_rank_low,reference_rank_high,comparison_rank,comparison_rank_low,comparison_rank_high,p_value,p_adjusted,verdict
        >>> len(text.splitlines())
        13
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder) / "gaps.csv"
        ...     report.to_csv(path) == path.read_text(encoding="utf-8")
        True
        """
        return str(_render("csv", self, path))

    def to_frame(self) -> Any:
        """The tidy per-item table as a pandas DataFrame (needs the ``pandas`` extra).

        Columns: those of :meth:`to_csv`.

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
        (12, 20)
        """
        return _render("frame", self)

    # -- serialisation ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary holding everything; :meth:`from_dict` inverts it.

        NaN is written as None (JSON has no NaN).

        Returns
        -------
        dict
            Plain dictionaries, lists, strings, numbers and None, with a ``schema`` key naming
            the layout (``"perceptiongap.GapReport/2"``); segment reports are nested whole.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
        ...                     n_resamples=0, n_permutations=300, rng=1)
        >>> d = report.to_dict()
        >>> d["schema"], d["n"]
        ('perceptiongap.GapReport/2', {'customer': 1056, 'business': 351})
        >>> d["items"][0]["item"]["id"], d["spearman"]["low"], d["spearman"]["method"]
        ('discounts', None, 'none')
        """
        return {"schema": SCHEMA, **super().to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GapReport:
        """Rebuild a report from :meth:`to_dict` output (this release's or the first one's).

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`. Reports written by the first
            release (schema ``"perceptiongap.GapReport/1"``) are read too: their estimates get
            the interval method that was used, their untested items the verdict "untested".

        Returns
        -------
        GapReport

        Raises
        ------
        InvalidArgumentError
            The dictionary is not a perceptiongap report; the message names the key path of
            the first value that does not fit.

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
        perceptiongap.errors.InvalidArgumentError: `data` is not a perceptiongap report (expected schema 'perceptiongap.GapReport/2' or 'perceptiongap.GapReport/1').
        """
        return cls._read(data, "")

    @classmethod
    def _read(cls, data: object, path: str) -> GapReport:
        """Check the schema (upgrading the first release's), then read the fields."""
        schema = data.get("schema") if isinstance(data, Mapping) else None
        if isinstance(data, Mapping) and schema == SCHEMA_1:
            data = upgrade_schema_1(data)
        elif not isinstance(data, Mapping) or schema != SCHEMA:
            where = f" at {path}" if path else ""
            raise InvalidArgumentError(
                f"`data` is not a perceptiongap report{where} (expected schema {SCHEMA!r} or "
                f"{SCHEMA_1!r})."
            )
        return super()._read({k: v for k, v in data.items() if k != "schema"}, path)

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
        >>> report.to_json(indent=None)[:39]
        '{"schema": "perceptiongap.GapReport/2",'
        """
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> GapReport:
        """Rebuild a report from :meth:`to_json` output.

        Parameters
        ----------
        text : str or bytes
            JSON text written by :meth:`to_json` (or the :meth:`to_dict` layout as JSON); bytes
            are read as UTF-8.

        Returns
        -------
        GapReport

        Raises
        ------
        InvalidArgumentError
            `text` is not valid JSON (or not UTF-8), or not a perceptiongap report; the
            message names the key path of the first value that does not fit.
        TypeError
            `text` is neither a string nor bytes.

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
        if not isinstance(text, (str, bytes, bytearray)):
            raise TypeError(f"`text` must be JSON text; got {type(text).__name__}.")
        try:
            if not isinstance(text, str):
                text = bytes(text).decode("utf-8-sig")
            data = json.loads(text, object_pairs_hook=_unique_keys)
        except _RepeatedKeyError as exc:
            raise InvalidArgumentError(
                f"`text` repeats the key {exc.key!r} in one object; a report names each key once."
            ) from None
        except UnicodeDecodeError as exc:
            raise InvalidArgumentError(
                f"`text` is not UTF-8 JSON: {exc.reason} at byte {exc.start}."
            ) from None
        except json.JSONDecodeError as exc:
            raise InvalidArgumentError(
                f"`text` is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from None
        except RecursionError:
            raise InvalidArgumentError("`text` is nested too deeply to be a report.") from None
        except ValueError as exc:  # an integer of more digits than Python converts
            raise InvalidArgumentError(
                f"`text` holds a number that cannot be read: {exc}"
            ) from None
        return cls.from_dict(data)


@attrs.frozen(eq=False, repr=False)
class Perspectives(Record, Mapping[str, GapReport]):
    """Several perspectives compared with one reference group, and with each other.

    Returned by :func:`perceptiongap.compare_many`. It is a read-only mapping from each
    comparison group to its :class:`GapReport` (so ``perspectives["marketing"]`` works as
    before), and it also carries the contrasts between the comparison groups.

    Attributes
    ----------
    reference : str
        The group every perspective is compared with.
    reports : mapping of str to GapReport
        One report per comparison group, in the order asked for.
    ranking : tuple of LevelSummary
        The perspectives from the one that understands the reference group best (smallest
        bias-corrected mean squared gap, whose expectation does not depend on group sizes)
        to the one that understands it least.
    differences : tuple of Contrast
        For every pair of perspectives ``a - b``: the difference in mean absolute gap, in
        Spearman and in each item's gap, with intervals from the shared replicates of the
        reference group and p-values adjusted over all of them.
    notes : tuple of Note
        How the differences were computed.

    Examples
    --------
    >>> import numpy as np
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(),
    ...                      groups=("customer", "marketing", "sales"))
    >>> rng = np.random.default_rng(0)
    >>> values = (rng.random((300, 3)) < [0.2, 0.5, 0.8]).astype(float)
    >>> rs = pg.ResponseSet.from_arrays(q, values, ["customer", "marketing", "sales"] * 100)
    >>> views = pg.compare_many(rs, "customer", n_resamples=200, rng=3)
    >>> sorted(views), views.best_understood() in ("marketing", "sales")
    (['marketing', 'sales'], True)
    >>> d = next(d for d in views.differences if d.statistic == "mean_absolute_gap")
    >>> d.a, d.b
    ('marketing', 'sales')
    """

    reference: str
    reports: Mapping[str, GapReport] = attrs.field(converter=frozen_mapping)
    ranking: tuple[LevelSummary, ...] = attrs.field(default=(), converter=_tuple)
    differences: tuple[Contrast, ...] = attrs.field(default=(), converter=_tuple)
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_tuple)

    def __getitem__(self, group: str) -> GapReport:
        return self.reports[group]

    def __iter__(self) -> Iterator[str]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def __repr__(self) -> str:
        return str(_render("perspectives_repr", self))

    def __str__(self) -> str:
        return str(_render("perspectives_text", self))

    def _repr_html_(self) -> str:
        return self.to_html()

    def best_understood(self) -> str | None:
        """The perspective with the smallest bias-corrected mean squared gap (None when none
        has one; see :class:`LevelSummary`).

        Returns
        -------
        str or None
            The first perspective of `ranking`, or None when it has no mean absolute gap.

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(),
        ...                      groups=("customer", "marketing", "sales"))
        >>> values = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]])
        >>> groups = ["customer", "customer", "marketing", "marketing", "sales", "sales"]
        >>> views = pg.compare_many(pg.ResponseSet.from_arrays(q, values, groups), "customer",
        ...                         n_resamples=0)
        >>> views.best_understood(), [s.level for s in views.ranking]
        ('marketing', ['marketing', 'sales'])
        """
        first = self.ranking[0] if self.ranking else None
        if first is None or first.mean_squared_gap.value != first.mean_squared_gap.value:
            return None
        return first.level

    def to_markdown(self) -> str:
        """The perspectives as Markdown: every report, the ranking and the significant
        differences.

        Returns
        -------
        str
            The Markdown text.

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(),
        ...                      groups=("customer", "marketing", "sales"))
        >>> values = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]])
        >>> groups = ["customer", "customer", "marketing", "marketing", "sales", "sales"]
        >>> views = pg.compare_many(pg.ResponseSet.from_arrays(q, values, groups), "customer",
        ...                         n_resamples=0)
        >>> print(next(line for line in views.to_markdown().splitlines() if "perspective" in line))
        | perspective | n | Spearman | Spearman 95% CI | mean abs gap | mean abs gap 95% CI | mean sq gap\\* |
        """
        return str(_render("perspectives_markdown", self))

    def to_html(self, *, full_page: bool = False) -> str:
        """The perspectives as self-contained, escaped HTML.

        Parameters
        ----------
        full_page : bool, default False
            A complete HTML document instead of a fragment.

        Returns
        -------
        str
            The HTML text: every report, then the perspectives table and differences.

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(),
        ...                      groups=("customer", "marketing", "sales"))
        >>> values = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]])
        >>> groups = ["customer", "customer", "marketing", "marketing", "sales", "sales"]
        >>> views = pg.compare_many(pg.ResponseSet.from_arrays(q, values, groups), "customer",
        ...                         n_resamples=0)
        >>> views.to_html(full_page=True).startswith("<!DOCTYPE html>")
        True
        """
        return str(_render("perspectives_html", self, full_page=full_page))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the reports in :meth:`GapReport.to_dict` layout).

        Returns
        -------
        dict
            With a ``schema`` key (``"perceptiongap.Perspectives/1"``).

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(),
        ...                      groups=("customer", "marketing", "sales"))
        >>> values = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]])
        >>> groups = ["customer", "customer", "marketing", "marketing", "sales", "sales"]
        >>> views = pg.compare_many(pg.ResponseSet.from_arrays(q, values, groups), "customer",
        ...                         n_resamples=0)
        >>> d = views.to_dict()
        >>> d["schema"], list(d["reports"])
        ('perceptiongap.Perspectives/1', ['marketing', 'sales'])
        >>> pg.Perspectives.from_dict(d) == views
        True
        """
        return {"schema": _PERSPECTIVES, **super().to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Perspectives:
        """Inverse of :meth:`to_dict` (every value checked, as :meth:`GapReport.from_dict`).

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`.

        Returns
        -------
        Perspectives

        Raises
        ------
        InvalidArgumentError
            Not a perspectives record, or a value that does not fit (named by its key path).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Perspectives.from_dict({"reference": "customer"})
        Traceback (most recent call last):
        ...
        perceptiongap.errors.InvalidArgumentError: `data` is not a perceptiongap record of perspectives (expected schema 'perceptiongap.Perspectives/1').
        """
        if not isinstance(data, Mapping) or data.get("schema") != _PERSPECTIVES:
            raise InvalidArgumentError(
                f"`data` is not a perceptiongap record of perspectives (expected schema "
                f"{_PERSPECTIVES!r})."
            )
        return cls._read({k: v for k, v in data.items() if k != "schema"}, "")

"""Who answered what: the validated respondents x items matrix and its readers.

All validation happens here, when a :class:`ResponseSet` is built; every later step of the
pipeline may assume clean, read-only arrays.
"""

from __future__ import annotations

import contextlib
import csv
import math
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ._questionnaire import Binary, Questionnaire
from .errors import (
    EmptyDataError,
    InvalidArgumentError,
    MissingColumnError,
    ResponseError,
    UnknownLabelError,
    ValueOffScaleError,
)

__all__ = ["ResponseSet", "SummaryTable"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# A plain decimal number as a spreadsheet or a statistics package writes it. Python's float()
# also accepts "nan", "inf", "1_000" and surrounding spaces; none of those is an answer.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_MISSING_HINT = "leave the cell empty for a missing answer"
_MISSING_WORDS = frozenset(
    {"nan", "na", "n/a", "null", "none", "-", "inf", "-inf", "+inf", "infinity"}
)


def _readonly(array: npt.ArrayLike, dtype: type[Any]) -> Any:
    out = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


def _float_array(value: npt.ArrayLike) -> FloatArray:
    """Converter: a read-only float64 copy (the caller's array stays the caller's)."""
    out: FloatArray = _readonly(value, np.float64)
    return out


def _int_array(value: npt.ArrayLike) -> IntArray:
    """Converter: a read-only int64 copy."""
    out: IntArray = _readonly(value, np.int64)
    return out


def _optional_float_array(value: npt.ArrayLike | None) -> FloatArray | None:
    return None if value is None else _float_array(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _array_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


_ARRAY_EQ = attrs.cmp_using(eq=_array_eq)


def _mapping_eq(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.keys() == b.keys() and all(_array_eq(a[key], b[key]) for key in a)


def _frozen_codes(value: Mapping[str, npt.ArrayLike]) -> Mapping[str, IntArray]:
    return types.MappingProxyType(
        {name: _readonly(codes, np.int64) for name, codes in value.items()}
    )


@attrs.frozen
class SummaryTable:
    """Published per-item figures for each group, in questionnaire order.

    Built by :meth:`ResponseSet.from_summary`; arrays have one row per group of the
    questionnaire (a group that the summary does not give has ``n = 0``) and one column per item.

    Attributes
    ----------
    n : ndarray of int, shape (groups,)
        Group sizes.
    scores : ndarray, shape (groups, items)
        Item scores on the questionnaire's scale.
    item_n : ndarray of int, shape (groups, items)
        Number who answered each item (defaults to `n`).
    sd : ndarray, shape (groups, items)
        Per-item standard deviations of the answers; NaN where not given (for Binary they follow
        from the share and are not stored).

    Examples
    --------
    >>> import perceptiongap as pg
    >>> table = pg.datasets.load_published().summary
    >>> table.n
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

    n: IntArray = attrs.field(converter=_int_array, eq=_ARRAY_EQ)
    scores: FloatArray = attrs.field(converter=_float_array, eq=_ARRAY_EQ)
    item_n: IntArray = attrs.field(converter=_int_array, eq=_ARRAY_EQ)
    sd: FloatArray = attrs.field(converter=_float_array, eq=_ARRAY_EQ)


@attrs.frozen(repr=False)
class ResponseSet:
    """Validated survey responses: who is in which group, and what each answered.

    Build one with a reader (:meth:`from_csv`, :meth:`from_records`, :meth:`from_frame`,
    :meth:`from_arrays`, :meth:`from_summary`), never by hand: the readers validate every value
    against the questionnaire and name the file, row, column and value of anything that does
    not fit. The arrays inside are read-only.

    Attributes
    ----------
    questionnaire : Questionnaire
        What was asked.
    values : ndarray, shape (n, k)
        Answers on the questionnaire's scale, NaN where an item was not answered.
    group_codes : ndarray of int, shape (n,)
        Index into ``questionnaire.groups`` of each respondent's group.
    segment_codes : mapping of str to ndarray of int
        For each segment variable, the index into its levels, -1 where not recorded.
    weights : ndarray or None
        Survey weights, positive and finite, or None.
    source : str
        Where the data came from (a path, ``"<records>"``, ``"<arrays>"``, ...).
    summary : SummaryTable or None
        Published per-item figures, for a set built by :meth:`from_summary` (then `values` is
        empty).
    notes : tuple of str
        Facts about how the set was made that reports repeat (such as a group kept whole by
        :meth:`where`).

    Examples
    --------
    >>> import numpy as np
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(), groups=("customer", "business"))
    >>> rs = pg.ResponseSet.from_arrays(
    ...     q, [[1, 0, 1], [1, 1, np.nan], [0, 1, 1], [1, 1, 1]],
    ...     ["customer", "customer", "business", "business"])
    >>> rs.n
    {'customer': 2, 'business': 2}
    >>> rs
    <ResponseSet: 4 respondents (customer 2, business 2), 3 items, binary scale, from <arrays>>
    """

    questionnaire: Questionnaire
    values: FloatArray = attrs.field(converter=_float_array, eq=_ARRAY_EQ)
    group_codes: IntArray = attrs.field(converter=_int_array, eq=_ARRAY_EQ)
    segment_codes: Mapping[str, IntArray] = attrs.field(
        factory=dict, converter=_frozen_codes, eq=attrs.cmp_using(eq=_mapping_eq)
    )
    weights: FloatArray | None = attrs.field(
        default=None,
        converter=_optional_float_array,
        eq=_ARRAY_EQ,
    )
    source: str = "<arrays>"
    summary: SummaryTable | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def __attrs_post_init__(self) -> None:
        n, k = self.values.shape if self.values.ndim == 2 else (-1, -1)
        if k != self.questionnaire.k or self.group_codes.shape != (n,):
            raise InvalidArgumentError(
                "build a ResponseSet with one of its readers (from_csv, from_arrays, ...)."
            )

    # -- summaries ------------------------------------------------------------------------
    @property
    def groups(self) -> tuple[str, ...]:
        """The group names, in questionnaire order."""
        return self.questionnaire.groups

    @property
    def n(self) -> dict[str, int]:
        """Number of respondents in each group, in questionnaire order."""
        if self.summary is not None:
            counts = self.summary.n
        else:
            counts = np.bincount(self.group_codes, minlength=len(self.groups))
        return {group: int(count) for group, count in zip(self.groups, counts, strict=False)}

    def __len__(self) -> int:
        """The number of respondents in all groups."""
        return sum(self.n.values())

    @property
    def group(self) -> npt.NDArray[np.str_]:
        """Each respondent's group label."""
        return np.asarray(self.groups, dtype=str)[self.group_codes]

    def segment(self, name: str) -> npt.NDArray[np.object_]:
        """Each respondent's level of segment `name` (None where not recorded).

        Parameters
        ----------
        name : str
            A segment variable of the questionnaire.

        Returns
        -------
        ndarray of object, shape (n,)
            The level (a str) of each respondent, in row order; None where it was not recorded.

        Raises
        ------
        InvalidArgumentError
            The questionnaire has no segment `name`.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> rs = pg.datasets.load_example()
        >>> generation = rs.segment("generation")
        >>> generation[:4]
        array(['GenX', 'GenX', 'GenY', 'Boomer'], dtype=object)
        >>> generation[rs.group == "business"][:3]   # executives did not record generation
        array([None, None, None], dtype=object)
        """
        levels = self._segment_levels(name)
        table = np.array([*levels, None], dtype=object)
        return table[self.segment_codes[name]]  # code -1 picks the trailing None

    @property
    def is_summary(self) -> bool:
        """True for a set built from published per-item figures by :meth:`from_summary`."""
        return self.summary is not None

    @property
    def weighted(self) -> bool:
        """True when survey weights were given."""
        return self.weights is not None

    def __repr__(self) -> str:
        counts = ", ".join(f"{g} {c}" for g, c in self.n.items())
        what = "summary of " if self.is_summary else ""
        weighted = ", weighted" if self.weighted else ""
        return (
            f"<ResponseSet: {what}{len(self)} respondents ({counts}), {self.questionnaire.k} items, "
            f"{self.questionnaire.scale.kind} scale{weighted}, from {self.source}>"
        )

    def _segment_levels(self, name: str) -> tuple[str, ...]:
        segments = self.questionnaire.segments
        if name not in segments:
            known = ", ".join(repr(s) for s in segments) or "none"
            raise InvalidArgumentError(f"unknown segment {name!r}; the questionnaire has {known}.")
        return segments[name]

    def recorded_by(self, name: str) -> tuple[str, ...]:
        """The groups in which at least one respondent has a level of segment `name`.

        A group that does not record a segment is kept whole by :meth:`where` and by the
        segment breakdowns of :func:`perceptiongap.compare`.

        Parameters
        ----------
        name : str
            A segment variable of the questionnaire.

        Returns
        -------
        tuple of str
            Those groups, in questionnaire order.

        Raises
        ------
        InvalidArgumentError
            The questionnaire has no segment `name`.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> rs = pg.datasets.load_example()
        >>> rs.recorded_by("generation"), rs.recorded_by("country")
        (('customer',), ('customer', 'business'))
        """
        self._segment_levels(name)
        recorded = self.group_codes[self.segment_codes[name] >= 0]
        return tuple(g for i, g in enumerate(self.groups) if np.any(recorded == i))

    def where(self, **levels: str | Sequence[str]) -> ResponseSet:
        """Keep the respondents at the given segment levels.

        A group that does not record a segment at all (nobody in it has a level) is kept whole,
        and the returned set's `notes` say so; respondents of a recording group whose level is
        missing are left out.

        Parameters
        ----------
        **levels : str or sequence of str
            Segment name = level (or a sequence of levels, any of which is kept).

        Returns
        -------
        ResponseSet

        Raises
        ------
        InvalidArgumentError
            An unknown segment or level, or a summary-data set.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> rs = pg.datasets.load_example()
        >>> genx = rs.where(generation="GenX")
        >>> genx.n["business"] == rs.n["business"]   # executives did not record generation
        True
        """
        if self.summary is not None:
            raise InvalidArgumentError("`where` needs respondent-level data, not a summary table.")
        keep = np.ones(len(self.group_codes), dtype=bool)
        notes = list(self.notes)
        for name, wanted in levels.items():
            known = self._segment_levels(name)
            wanted_levels = (wanted,) if isinstance(wanted, str) else tuple(wanted)
            for level in wanted_levels:
                if level not in known:
                    raise InvalidArgumentError(
                        f"unknown level {level!r} of segment {name!r}; known levels: "
                        + ", ".join(repr(v) for v in known)
                        + "."
                    )
            codes = self.segment_codes[name]
            match = np.isin(codes, [known.index(level) for level in wanted_levels])
            recording = set(self.recorded_by(name))
            whole = [g for g in self.groups if g not in recording]
            for group in whole:
                match |= self.group_codes == self.groups.index(group)
                notes.append(
                    f"segment {name!r} is not recorded for group {group!r}; "
                    f"that group is kept whole in {name}={'/'.join(wanted_levels)}."
                )
            keep &= match
        return ResponseSet(
            questionnaire=self.questionnaire,
            values=self.values[keep],
            group_codes=self.group_codes[keep],
            segment_codes={name: codes[keep] for name, codes in self.segment_codes.items()},
            weights=None if self.weights is None else self.weights[keep],
            source=self.source,
            notes=tuple(dict.fromkeys(notes)),
        )

    # -- readers --------------------------------------------------------------------------
    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        questionnaire: Questionnaire,
        *,
        group: str = "group",
        weight: str | None = None,
        encoding: str = "utf-8-sig",
        delimiter: str = ",",
    ) -> ResponseSet:
        """Read responses from a CSV file with a header row.

        Item columns are named by item id, segment columns by segment name; other columns are
        ignored. An empty cell is a missing answer.

        Parameters
        ----------
        path : str or pathlib.Path
            The CSV file.
        questionnaire : Questionnaire
            What was asked.
        group : str, default "group"
            The column holding each respondent's group label.
        weight : str, optional
            A column of survey weights (positive, finite).
        encoding : str, default "utf-8-sig"
            Text encoding of the file (a byte-order mark is skipped).
        delimiter : str, default ","
            Field separator.

        Returns
        -------
        ResponseSet

        Raises
        ------
        ResponseError
            A subclass naming the file, row (the header is row 1), column and value: a missing
            column, an answer off the scale or not a number, an unknown group label or segment
            level, a missing or invalid weight, no data rows, or a group without respondents.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> from perceptiongap.datasets import example_paths
        >>> paths = example_paths()
        >>> q = pg.Questionnaire.from_file(paths.questionnaire)
        >>> rs = pg.ResponseSet.from_csv(paths.responses, q, group="role")
        >>> rs.n
        {'customer': 1056, 'business': 351}
        """
        name = str(path)
        try:
            with open(path, encoding=encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=delimiter)
                header = next(reader, None)
                rows: list[list[str]] = []
                line_numbers: list[int] = []
                # A spreadsheet shows each record as one row (a quoted cell may span
                # several lines) and a blank line as an empty row; the header is row 1.
                for row_number, row in enumerate(reader, start=2):
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue  # a blank line is not a respondent
                    rows.append(row)
                    line_numbers.append(row_number)
        except OSError as exc:
            raise ResponseError(f"cannot read the file: {exc.strerror}.", file=name) from None
        except UnicodeDecodeError as exc:
            raise ResponseError(
                f"the file is not valid {encoding} text ({exc.reason}).", file=name
            ) from None
        except csv.Error as exc:
            raise ResponseError(f"malformed CSV: {exc}.", file=name) from None
        if not header or (len(header) == 1 and not header[0].strip()):
            raise EmptyDataError(
                "the file is empty; expected a header row and data rows.", file=name
            )
        header = [cell.strip() for cell in header]
        seen: dict[str, int] = {}
        for position, cell in enumerate(header):
            if cell in seen and cell:
                raise ResponseError(
                    f"the header names column {cell!r} twice (columns {seen[cell] + 1} and "
                    f"{position + 1}).",
                    file=name,
                    row=1,
                    column=cell,
                )
            seen[cell] = position
        for row, line in zip(rows, line_numbers, strict=False):
            if len(row) != len(header):
                raise ResponseError(
                    f"this row has {len(row)} fields but the header has {len(header)}.",
                    file=name,
                    row=line,
                )
        columns = {cell: [row[pos] for row in rows] for cell, pos in seen.items()}
        return _build(
            questionnaire,
            columns,
            group=group,
            weight=weight,
            source=name,
            rows=np.asarray(line_numbers, dtype=np.int64),
            header_row=1,
        )

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        questionnaire: Questionnaire,
        *,
        group: str = "group",
        weight: str | None = None,
    ) -> ResponseSet:
        """Build responses from an iterable of mappings, one per respondent.

        Keys are item ids, the group key and segment names; other keys are ignored. ``None``,
        an empty string or a float NaN is a missing answer. Rows in error messages are the
        1-based positions of the records.

        Parameters
        ----------
        records : iterable of mapping
            One mapping per respondent.
        questionnaire : Questionnaire
            What was asked.
        group : str, default "group"
            The key holding each respondent's group label.
        weight : str, optional
            A key holding survey weights.

        Returns
        -------
        ResponseSet

        Raises
        ------
        ResponseError
            As :meth:`from_csv`.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(low=1, high=5), groups=("c", "b"))
        >>> rs = pg.ResponseSet.from_records(
        ...     [{"group": "c", "a": 5, "b": 2}, {"group": "b", "a": 4, "b": None}], q)
        >>> rs.values
        array([[ 5.,  2.],
               [ 4., nan]])
        """
        rows = list(records)
        for position, record in enumerate(rows, start=1):
            if not isinstance(record, Mapping):
                raise ResponseError(
                    f"each record must be a mapping; got {type(record).__name__}.",
                    file="<records>",
                    row=position,
                )
        wanted = [group, *questionnaire.item_ids, *questionnaire.segments]
        if weight is not None:
            wanted.append(weight)
        present = set().union(*(record.keys() for record in rows)) if rows else set()
        columns = {key: [record.get(key) for record in rows] for key in wanted if key in present}
        return _build(
            questionnaire,
            columns,
            group=group,
            weight=weight,
            source="<records>",
            rows=np.arange(1, len(rows) + 1, dtype=np.int64),
            header_row=None,
        )

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        questionnaire: Questionnaire,
        *,
        group: str = "group",
        weight: str | None = None,
    ) -> ResponseSet:
        """Build responses from a pandas or polars DataFrame.

        Neither library is imported unless `frame` is one of its DataFrames. Columns are read
        as for :meth:`from_records`; null, NaN and empty strings are missing answers. Rows in
        error messages are 1-based positions.

        Parameters
        ----------
        frame : pandas.DataFrame or polars.DataFrame
            One row per respondent.
        questionnaire : Questionnaire
            What was asked.
        group : str, default "group"
            The column holding group labels.
        weight : str, optional
            A column of survey weights.

        Returns
        -------
        ResponseSet

        Raises
        ------
        TypeError
            `frame` is neither a pandas nor a polars DataFrame.
        ResponseError
            As :meth:`from_csv`.

        Examples
        --------
        >>> import pandas as pd  # doctest: +SKIP
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(low=1, high=5),
        ...                      groups=("customer", "business"))
        >>> frame = pd.DataFrame({"group": ["customer", "customer", "business"],  # doctest: +SKIP
        ...                       "a": [5, 4, 2], "b": [3, None, 4]})
        >>> rs = pg.ResponseSet.from_frame(frame, q)  # doctest: +SKIP
        >>> rs  # doctest: +SKIP
        <ResponseSet: 3 respondents (customer 2, business 1), 2 items, likert scale, from <frame>>
        >>> rs.values  # doctest: +SKIP
        array([[ 5.,  3.],
               [ 4., nan],
               [ 2.,  4.]])
        """
        module = type(frame).__module__.split(".")[0]
        if module not in ("pandas", "polars") or not hasattr(frame, "columns"):
            raise TypeError(
                f"`frame` must be a pandas or polars DataFrame; got {type(frame).__name__}."
            )
        names = [str(c) for c in frame.columns]
        columns: dict[str, Any] = {}
        for key in [group, *questionnaire.item_ids, *questionnaire.segments, weight]:
            if key is not None and key in names:
                column = frame[key]
                columns[key] = column.to_numpy() if module == "pandas" else column.to_list()
        return _build(
            questionnaire,
            columns,
            group=group,
            weight=weight,
            source="<frame>",
            rows=np.arange(1, len(frame) + 1, dtype=np.int64),
            header_row=None,
        )

    @classmethod
    def from_arrays(
        cls,
        questionnaire: Questionnaire,
        values: npt.ArrayLike,
        groups: Sequence[str] | npt.ArrayLike,
        segments: Mapping[str, Sequence[str | None] | npt.ArrayLike] | None = None,
        weights: npt.ArrayLike | None = None,
    ) -> ResponseSet:
        """Build responses from numpy arrays.

        Parameters
        ----------
        questionnaire : Questionnaire
            What was asked.
        values : array_like, shape (n, k)
            Answers in questionnaire item order; NaN is a missing answer.
        groups : array_like of str, shape (n,)
            Each respondent's group label.
        segments : mapping of str to array_like of str, optional
            Each segment variable's level per respondent (None or "" where not recorded).
        weights : array_like, shape (n,), optional
            Survey weights.

        Returns
        -------
        ResponseSet

        Raises
        ------
        InvalidArgumentError
            `values` is not two-dimensional with one column per item, or a length differs.
        ResponseError
            As :meth:`from_csv`; rows are 1-based.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("c", "b"))
        >>> pg.ResponseSet.from_arrays(q, [[1, 0], [0, 2]], ["c", "b"])
        Traceback (most recent call last):
        ...
        perceptiongap.errors.ValueOffScaleError: <arrays>, row 2, column 'b': 2 is not a valid answer; expected 0 or 1.
        """
        try:
            matrix = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            matrix = np.asarray(values, dtype=object)
        if matrix.ndim != 2 or matrix.shape[1] != questionnaire.k:
            raise InvalidArgumentError(
                f"`values` must have shape (n, {questionnaire.k}), one column per item; "
                f"got shape {matrix.shape}."
            )
        n = matrix.shape[0]
        labels = np.asarray(groups, dtype=object)
        if labels.shape != (n,):
            raise InvalidArgumentError(
                f"`groups` must hold one label per row of `values` ({n}); got shape {labels.shape}."
            )
        columns: dict[str, Any] = {"group": labels}
        for j, item in enumerate(questionnaire.item_ids):
            columns[item] = matrix[:, j]
        for name, levels in (segments or {}).items():
            if name not in questionnaire.segments:
                raise InvalidArgumentError(
                    f"`segments` names {name!r}, which the questionnaire does not declare."
                )
            array = np.asarray(levels, dtype=object)
            if array.shape != (n,):
                raise InvalidArgumentError(
                    f"`segments[{name!r}]` must hold one level per row ({n}); got {array.shape}."
                )
            columns[name] = array
        weight_key = None
        if weights is not None:
            weight_key = "\0weights"
            array = np.asarray(weights, dtype=object)
            if array.shape != (n,):
                raise InvalidArgumentError(
                    f"`weights` must hold one weight per row ({n}); got shape {array.shape}."
                )
            columns[weight_key] = array
        return _build(
            questionnaire,
            columns,
            group="group",
            weight=weight_key,
            source="<arrays>",
            rows=np.arange(1, n + 1, dtype=np.int64),
            header_row=None,
            require_segments=False,
        )

    @classmethod
    def from_summary(
        cls, questionnaire: Questionnaire, table: Mapping[str, Mapping[str, Any]]
    ) -> ResponseSet:
        """Build a set from published per-item scores and group sizes.

        Point estimates from such a set are exact; intervals and p-values come from a
        parametric bootstrap and per-item tests that treat items as independent (see
        :func:`perceptiongap.compare`).

        Parameters
        ----------
        questionnaire : Questionnaire
            What was asked.
        table : mapping
            ``{group: {"n": int, "scores": {item: score}, "item_n": {item: int},
            "sd": {item: float}}}``. ``n`` and ``scores`` (every item) are required; ``item_n``
            (how many answered each item, at most ``n``) and ``sd`` (the answers' standard
            deviation per item, non-Binary scales only) are optional. Scores are on the
            questionnaire's scale: shares from 0 to 1 for Binary.

        Returns
        -------
        ResponseSet

        Raises
        ------
        ResponseError
            A subclass naming the group (as the row) and the item (as the column).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("c", "b"))
        >>> rs = pg.ResponseSet.from_summary(q, {"c": {"n": 100, "scores": {"a": 0.6, "b": 0.2}},
        ...                                      "b": {"n": 50, "scores": {"a": 0.7, "b": 0.5}}})
        >>> rs
        <ResponseSet: summary of 150 respondents (c 100, b 50), 2 items, binary scale, from <summary>>
        >>> pg.ResponseSet.from_summary(q, {"c": {"n": 100, "scores": {"a": 61, "b": 0.2}}})
        Traceback (most recent call last):
        ...
        perceptiongap.errors.ValueOffScaleError: <summary>, row 'c', column 'a': the score 61 is off the scale; expected a share from 0 to 1 (did you mean 0.61?).
        """
        return _build_summary(questionnaire, table)


# -- validation -------------------------------------------------------------------------------


class _Where:
    """Formats locations for one source: data row i (0-based) -> the row a person sees."""

    def __init__(self, source: str, rows: IntArray) -> None:
        self.source = source
        self.rows = rows

    def error(
        self,
        kind: type[ResponseError],
        message: str,
        index: int | None,
        column: str | None,
        value: object = None,
    ) -> ResponseError:
        row = None if index is None else int(self.rows[index])
        return kind(message, file=self.source, row=row, column=column, value=value)


def _is_missing(cell: object) -> bool:
    """None, an empty or blank string, a float NaN, or a pandas/polars missing marker."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    if isinstance(cell, (float, np.floating)):
        return math.isnan(float(cell))
    return type(cell).__name__ in ("NAType", "NaTType")  # pandas.NA, pandas.NaT


def _raw(cells: Any, index: int) -> object:
    """The cell as read (a Python scalar, not a numpy one)."""
    cell = cells[index]
    return cell.item() if isinstance(cell, np.generic) else cell


def _show(value: object) -> str:
    """A value as a person wrote it: no numpy scalar reprs in messages."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def _number_error(where: _Where, i: int, column: str, cell: object, what: str) -> ResponseError:
    if isinstance(cell, (bool, np.bool_)):
        return where.error(
            ValueOffScaleError,
            f"{cell} is not a valid {what}; expected a number, not a boolean.",
            i,
            column,
            cell,
        )
    text = str(cell).strip()
    if isinstance(cell, (int, float, np.integer, np.floating)) or _NUMBER.fullmatch(text):
        return where.error(
            ValueOffScaleError,
            f"{_show(cell)} is not a valid {what}; expected a finite number.",
            i,
            column,
            cell,
        )
    hint = f" ({_MISSING_HINT})" if text.lower() in _MISSING_WORDS else ""
    return where.error(ValueOffScaleError, f"{text!r} is not a number{hint}.", i, column, cell)


def _parse_numbers(
    cells: Any, where: _Where, column: str, what: str, *, allow_bool: bool = False
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Parse a column of cells into finite floats; returns (values, missing mask).

    A missing cell is None, an empty string, a float NaN or pandas' NA. Text must be a plain
    decimal number (ASCII digits; no "nan", "inf", thousands separators or underscores).
    Booleans are numbers only where `allow_bool` (a Binary scale).
    """
    array = cells if isinstance(cells, np.ndarray) else np.asarray(cells, dtype=object)
    n = len(array)
    if array.dtype.kind in "iuf" or (array.dtype.kind == "b" and allow_bool):
        values = array.astype(np.float64)
        missing = np.isnan(values)
        bad = np.flatnonzero(np.isinf(values))
        if bad.size:
            raise _number_error(where, int(bad[0]), column, array[int(bad[0])], what)
        return values, missing
    if array.dtype.kind == "b":
        raise _number_error(where, 0, column, array[0], what)
    if array.dtype.kind in "OU" and n and all(isinstance(cell, str) for cell in array.tolist()):
        fast = _parse_text_column(array.tolist())
        if fast is not None:
            return fast
    values = np.full(n, np.nan)
    missing = np.zeros(n, dtype=bool)
    for i, cell in enumerate(array.tolist()):
        if _is_missing(cell):
            missing[i] = True
            continue
        if isinstance(cell, bool) and not allow_bool:
            raise _number_error(where, i, column, cell, what)
        if isinstance(cell, (int, float)):
            number = float(cell)
        else:
            text = str(cell).strip()
            if not _NUMBER.fullmatch(text):
                raise _number_error(where, i, column, cell, what)
            number = float(text)
        if not math.isfinite(number):  # inf, or text like 1e400 that overflows
            raise _number_error(where, i, column, cell, what)
        values[i] = number
    return values, missing


def _parse_text_column(cells: list[str]) -> tuple[FloatArray, npt.NDArray[np.bool_]] | None:
    """Vectorised parse of an all-text column; None when any cell needs the careful path.

    numpy's text-to-float conversion also accepts "nan", "inf", "1_0" and non-ASCII digits,
    so the fast path is taken only when the column is ASCII without underscores and every
    value comes out finite; anything else goes to the cell-by-cell parser, which names the
    offending cell.
    """
    joined = "".join(cells)
    if not joined.isascii() or "_" in joined or "\x00" in joined:
        return None
    text = np.char.strip(np.asarray(cells, dtype=str))
    missing = text == ""
    values = np.full(len(cells), np.nan)
    try:
        values[~missing] = text[~missing].astype(np.float64)
    except ValueError:
        return None
    if not np.isfinite(values[~missing]).all():
        return None
    return values, missing


def _parse_labels(
    cells: Any, known: Sequence[str], where: _Where, column: str, what: str, *, allow_missing: bool
) -> IntArray:
    """Map labels to indexes into `known`; -1 for missing (when allowed)."""
    lookup = {label: index for index, label in enumerate(known)}
    codes = np.empty(len(cells), dtype=np.int64)
    cache: dict[object, int] = {}
    for i, cell in enumerate(np.asarray(cells, dtype=object).tolist()):
        code = cache.get(cell)
        if code is None:
            if _is_missing(cell):
                if not allow_missing:
                    raise where.error(
                        UnknownLabelError,
                        f"the {what} is missing; expected one of "
                        + ", ".join(repr(k) for k in known)
                        + ".",
                        i,
                        column,
                        cell,
                    )
                code = -1
            else:
                label = str(cell).strip()
                if label not in lookup:
                    raise where.error(
                        UnknownLabelError,
                        f"unknown {what} {label!r}; expected one of "
                        + ", ".join(repr(k) for k in known)
                        + ".",
                        i,
                        column,
                        cell,
                    )
                code = lookup[label]
            with contextlib.suppress(TypeError):  # an unhashable cell is not cached
                cache[cell] = code
        codes[i] = code
    return codes


def _build(
    q: Questionnaire,
    columns: Mapping[str, Any],
    *,
    group: str,
    weight: str | None,
    source: str,
    rows: IntArray,
    header_row: int | None,
    require_segments: bool = True,
) -> ResponseSet:
    """Validate raw columns against the questionnaire and assemble a ResponseSet."""
    where = _Where(source, rows)
    if not isinstance(q, Questionnaire):
        raise InvalidArgumentError(f"`questionnaire` must be a Questionnaire; got {q!r}.")
    if not isinstance(group, str):
        raise InvalidArgumentError(f"`group` must be a column name; got {group!r}.")
    if group in q.item_ids or group in q.segments:
        raise InvalidArgumentError(
            f"`group` names the column {group!r}, which is also an item or a segment of the "
            "questionnaire; rename one of them."
        )
    if len(rows) == 0:
        raise EmptyDataError("there are no data rows.", file=source)
    available = ", ".join(repr(c) for c in columns if not c.startswith("\0")) or "none"
    needed = [group, *q.item_ids]
    if require_segments:
        needed += list(q.segments)
    if weight is not None:
        needed.append(weight)
    for column in needed:
        if column not in columns:
            what = (
                "group"
                if column == group
                else "weight"
                if column == weight
                else "segment"
                if column in q.segments
                else "item"
            )
            raise MissingColumnError(
                f"no {what} column {column!r}; the data have: {available}.",
                file=source,
                row=header_row,
                column=column,
            )
    n = len(rows)
    group_codes = _parse_labels(
        columns[group], q.groups, where, group, "group", allow_missing=False
    )
    values = np.empty((n, q.k))
    scale = q.scale
    for j, item in enumerate(q.item_ids):
        column_values, missing = _parse_numbers(
            columns[item], where, item, "answer", allow_bool=isinstance(scale, Binary)
        )
        bad = np.flatnonzero(~missing & ~scale.valid(column_values))
        if bad.size:
            i = int(bad[0])
            raise where.error(
                ValueOffScaleError,
                f"{_show(column_values[i])} is not a valid answer; expected {scale.describe()}.",
                i,
                item,
                _raw(columns[item], i),
            )
        values[:, j] = column_values
    segment_codes = {
        name: _parse_labels(
            columns[name], levels, where, name, f"level of {name!r}", allow_missing=True
        )
        if name in columns
        else np.full(n, -1, dtype=np.int64)
        for name, levels in q.segments.items()
    }
    weights = None
    if weight is not None:
        # from_arrays passes its weights under an internal key; messages call them `weights`.
        column = "weights" if weight.startswith("\0") else weight
        weights, missing = _parse_numbers(columns[weight], where, column, "weight")
        bad = np.flatnonzero(missing | ~(weights > 0))
        if bad.size:
            i = int(bad[0])
            shown = "missing" if missing[i] else _show(weights[i])
            raise where.error(
                ValueOffScaleError,
                f"the weight is {shown}; expected a positive finite number.",
                i,
                column,
                _raw(columns[weight], i),
            )
    counts = np.bincount(group_codes, minlength=len(q.groups))
    for g, count in zip(q.groups, counts, strict=False):
        if count == 0:
            raise EmptyDataError(
                f"group {g!r} has no respondents; every group of the questionnaire needs some "
                "(or leave the group out of the questionnaire).",
                file=source,
                column=group,
                value=g,
            )
    return ResponseSet(
        questionnaire=q,
        values=values,
        group_codes=group_codes,
        segment_codes=segment_codes,
        weights=weights,
        source=source,
    )


def _build_summary(q: Questionnaire, table: Mapping[str, Mapping[str, Any]]) -> ResponseSet:
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
        unknown = sorted(set(figures) - {"n", "scores", "item_n", "sd"})
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
        n[gi] = int(size)
        for key in ("scores", "item_n", "sd"):
            part = figures.get(key, {})
            if not isinstance(part, Mapping):
                raise fail(ResponseError, f"{key!r} must map item ids to numbers.", g, key, part)
            extra = sorted(set(part) - set(q.item_ids))
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
            if (
                isinstance(score, bool)
                or not isinstance(score, (int, float, np.integer, np.floating))
                or not math.isfinite(score)
            ):
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
                if (
                    isinstance(spread, bool)
                    or not isinstance(spread, (int, float, np.integer, np.floating))
                    or not math.isfinite(spread)
                    or spread < 0
                ):
                    raise fail(
                        ValueOffScaleError,
                        f"sd must be a non-negative finite number; got {spread!r}.",
                        g,
                        item,
                        spread,
                    )
                sd[gi, j] = float(spread)
    if np.count_nonzero(n) < 2:
        raise EmptyDataError("a summary needs the figures of at least two groups.", file=source)
    return ResponseSet(
        questionnaire=q,
        values=np.empty((0, q.k)),
        group_codes=np.empty(0, dtype=np.int64),
        segment_codes={name: np.empty(0, dtype=np.int64) for name in q.segments},
        source=source,
        summary=SummaryTable(n=n, scores=scores, item_n=item_n, sd=sd),
    )

"""Who answered what: the validated respondents x items matrix.

Every value is validated when a :class:`ResponseSet` is read (the readers live in
``_readers``); every later step of the pipeline may assume clean, read-only arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ._arrays import (
    ARRAY_EQ,
    MAPPING_EQ,
    FloatArray,
    IntArray,
    float_array,
    frozen_codes,
    int_array,
    optional_float_array,
    str_tuple,
)
from ._questionnaire import Questionnaire
from ._read_csv import MAX_BYTES, MAX_FIELD, read_csv
from ._readers import MAX_WEIGHT_RATIO, ResponseArrays, read_arrays, read_frame, read_records
from ._row_rules import row_rule
from ._summary import SummaryTable, read_summary
from ._visible import visible
from .errors import InvalidArgumentError, ValueOffScaleError

__all__ = ["ResponseSet"]


@attrs.frozen(repr=False)
class ResponseSet:
    """Validated survey responses: who is in which group, and what each answered.

    Build one with a reader (:meth:`from_csv`, :meth:`from_records`, :meth:`from_frame`,
    :meth:`from_arrays`), or join several with :meth:`concat`, never by hand: the readers validate every value against the
    questionnaire and name the file, row, column and value of anything that does not fit. The
    arrays inside are read-only. Published per-item figures are not respondents:
    :meth:`from_summary` reads them into a :class:`SummaryTable`.

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
    values: FloatArray = attrs.field(converter=float_array, eq=ARRAY_EQ)
    group_codes: IntArray = attrs.field(converter=int_array, eq=ARRAY_EQ)
    segment_codes: Mapping[str, IntArray] = attrs.field(
        factory=dict, converter=frozen_codes, eq=MAPPING_EQ
    )
    weights: FloatArray | None = attrs.field(
        default=None,
        converter=optional_float_array,
        eq=ARRAY_EQ,
    )
    source: str = "<arrays>"
    notes: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)

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
        """False: respondents, not published figures (:attr:`SummaryTable.is_summary` is True)."""
        return False

    @property
    def weighted(self) -> bool:
        """True when survey weights were given."""
        return self.weights is not None

    def __repr__(self) -> str:
        counts = ", ".join(f"{g} {c}" for g, c in self.n.items())
        weighted = ", weighted" if self.weighted else ""
        text = (
            f"<ResponseSet: {len(self)} respondents ({counts}), {self.questionnaire.k} items, "
            f"{self.questionnaire.scale.kind} scale{weighted}, from {self.source}>"
        )
        return visible(text)  # group names and the file name come from the data: one line

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

    def where(self, /, **levels: str | Sequence[str]) -> ResponseSet:
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
            An unknown segment or level.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> rs = pg.datasets.load_example()
        >>> genx = rs.where(generation="GenX")
        >>> genx.n["business"] == rs.n["business"]   # executives did not record generation
        True
        """
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

    @classmethod
    def concat(cls, sets: Iterable[ResponseSet]) -> ResponseSet:
        """Join response sets of the same questionnaire, one after the other.

        Use it for a study whose respondents come in several files or frames (say one file
        per wave, or the customers' and the staff's answers read separately). The rows of the
        result are those of the first set, then those of the second, and so on; its `source`
        names every set's (``"a.csv + b.csv"``), and its `notes` are those of every set.

        Parameters
        ----------
        sets : iterable of ResponseSet
            At least one set. All must have equal questionnaires (items and their labels, scale,
            groups, segments and their levels, title), and either all have survey weights or
            none has.

        Returns
        -------
        ResponseSet

        Raises
        ------
        InvalidArgumentError
            `sets` is not an iterable of ResponseSets (a :class:`SummaryTable` has no
            respondents to join), or is empty; two questionnaires differ (the message names the
            first part that does); some sets have weights and others do not (the message names
            one of each).
        ValueOffScaleError
            The joined weights range over more than the ratio a single set may have (1e150).

        Notes
        -----
        Row numbers in later error messages are positions in the joined set; the readers'
        messages name the file and row of each set as it is read.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "staff"))
        >>> first = pg.ResponseSet.from_records(
        ...     [{"group": "customer", "a": 1, "b": 0}, {"group": "staff", "a": 1, "b": 1}], q)
        >>> second = pg.ResponseSet.from_records(
        ...     [{"group": "customer", "a": 0, "b": 0}, {"group": "staff", "a": 0, "b": 1}], q)
        >>> both = pg.ResponseSet.concat([first, second])
        >>> both.n
        {'customer': 2, 'staff': 2}
        >>> both.values
        array([[1., 0.],
               [1., 1.],
               [0., 0.],
               [0., 1.]])
        >>> both.source
        '<records> + <records>'
        """
        parts = _response_sets(sets)
        first = parts[0]
        for index, part in enumerate(parts[1:], start=2):
            called = ("set 1", f"set {index}")
            difference = _difference(first.questionnaire, part.questionnaire, called)
            if difference:
                raise InvalidArgumentError(
                    f"`sets`: set {index} (from {part.source}) has another questionnaire than "
                    f"set 1 (from {first.source}): {difference}; only sets of the same "
                    "questionnaire can be joined."
                )
        weighted = [part for part in parts if part.weighted]
        if weighted and len(weighted) < len(parts):
            bare = next(index for index, part in enumerate(parts, 1) if not part.weighted)
            has = next(index for index, part in enumerate(parts, 1) if part.weighted)
            raise InvalidArgumentError(
                f"`sets`: set {bare} (from {parts[bare - 1].source}) has no survey weights but "
                f"set {has} (from {parts[has - 1].source}) has; give weights to all of them "
                "(such as 1 for every respondent of an unweighted sample) or to none."
            )
        weights = None
        if weighted:
            weights = np.concatenate([part.weights for part in parts if part.weights is not None])
            low, high = float(weights.min()), float(weights.max())
            if high > MAX_WEIGHT_RATIO * low:
                raise ValueOffScaleError(
                    f"the joined weights range from {low:g} to {high:g}, a ratio beyond "
                    f"{MAX_WEIGHT_RATIO:g}; rescale the weights of one of the sets."
                )
        names = first.questionnaire.segments
        return cls(
            questionnaire=first.questionnaire,
            values=np.concatenate([part.values for part in parts]),
            group_codes=np.concatenate([part.group_codes for part in parts]),
            segment_codes={
                name: np.concatenate([part.segment_codes[name] for part in parts])
                for name in names
            },
            weights=weights,
            source=" + ".join(part.source for part in parts),
            notes=tuple(dict.fromkeys(note for part in parts for note in part.notes)),
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
        max_bytes: int | None = MAX_BYTES,
        max_field: int | None = MAX_FIELD,
        skip_rows: int = 0,
        unknown_groups: str = "error",
        group_value: str | None = None,
    ) -> ResponseSet:
        """Read responses from a CSV file with a header row.

        Item columns are named by item id, segment columns by segment name; other columns are
        ignored (and never kept in memory). An empty cell is a missing answer. The file is read
        in blocks, so memory beyond the result stays a small fraction of the file's size.

        Parameters
        ----------
        path : str or os.PathLike
            The CSV file: a regular file, or a pipe (such as a shell's process substitution).
            Devices such as ``/dev/zero`` are refused, as is an open file descriptor (an int).
        questionnaire : Questionnaire
            What was asked.
        group : str, default "group"
            The column holding each respondent's group label.
        weight : str, optional
            A column of survey weights (positive, finite).
        encoding : str, default "utf-8-sig"
            Text encoding of the file (a byte-order mark is skipped).
        delimiter : str, default ","
            Field separator: one character, not a quote, a line end, a letter or a digit.
        max_bytes : int or None, default 2**33 (8 GiB)
            The largest file (or amount read from a pipe) accepted, in bytes; None lifts the
            limit.
        max_field : int or None, default 2**20 (1 Mi characters)
            The longest cell accepted, in any column (ignored ones too), in characters; None
            lifts the limit.
        skip_rows : int, default 0
            How many rows under the header are not data and are skipped, such as the
            question-text and import-id rows of a Qualtrics export (``skip_rows=2``). Rows are
            counted as a spreadsheet shows them (a blank line is a row, a quoted cell over
            several lines is one), and row numbers in errors still count the skipped rows: the
            first data row is row ``skip_rows + 2``.
        unknown_groups : {"error", "drop"}, default "error"
            What to do with a row whose group is empty or not declared, or whose segment
            level is not declared (an empty level is "not recorded" and is kept): "error"
            names the first such row; "drop" drops them and counts them in `notes` (and so
            in ``report.notes``), such as "312 rows dropped: group empty (54) or not
            declared: 'middle' (258)". Row numbers in later errors are still the file's.
        group_value : str, optional
            The one group of every row, for data of one group only (such as a customers-only
            file, joined with the staff's by :meth:`concat`); no group column is read, and
            the questionnaire's other groups may have no respondents. Not with `group`.

        Returns
        -------
        ResponseSet

        Raises
        ------
        InvalidArgumentError
            `path` is not a str or os.PathLike; an unknown `encoding`; a bad `delimiter`,
            `max_bytes` or `max_field`; `skip_rows` is not a non-negative integer.
        ResponseError
            A subclass naming the file, row (the header is row 1; blank lines count, a record
            with a quoted multi-line cell is one row), column and value: a missing column (with
            a hint when the file looks separated by another delimiter), an answer off the scale
            or not a number, an unknown group label or segment level, a missing or invalid
            weight (or weights whose largest is more than 1e150 times the smallest), no data
            rows, or a group without respondents; a file that cannot be read, is not valid text
            in `encoding`, is not a regular file or a pipe, or exceeds `max_bytes`, or a cell
            longer than `max_field`.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> from perceptiongap.datasets import example_paths
        >>> paths = example_paths()
        >>> q = pg.Questionnaire.from_file(paths.questionnaire)
        >>> rs = pg.ResponseSet.from_csv(paths.responses, q, group="role")
        >>> rs.n
        {'customer': 1056, 'business': 351}

        A file of one group, joined with another:

        >>> import csv, tempfile, os
        >>> folder = tempfile.mkdtemp()
        >>> path = os.path.join(folder, "staff.csv")
        >>> with open(path, "w", newline="") as f:
        ...     blank = [""] * len(q.segments)  # segments not recorded
        ...     csv.writer(f).writerows(
        ...         [[*q.segments, *q.item_ids], blank + [1] * q.k, blank + [0] * q.k])
        >>> staff = pg.ResponseSet.from_csv(path, q, group_value="business")
        >>> staff.n
        {'customer': 0, 'business': 2}
        >>> pg.ResponseSet.concat([rs, staff]).n
        {'customer': 1056, 'business': 353}
        """
        rule = row_rule(questionnaire, group, unknown_groups, group_value)
        return cls._from_read(
            questionnaire,
            read_csv(
                path,
                questionnaire,
                group=group,
                weight=weight,
                encoding=encoding,
                delimiter=delimiter,
                max_bytes=max_bytes,
                max_field=max_field,
                skip_rows=skip_rows,
                rule=rule,
            ),
        )

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        questionnaire: Questionnaire,
        *,
        group: str = "group",
        weight: str | None = None,
        unknown_groups: str = "error",
        group_value: str | None = None,
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
        unknown_groups : {"error", "drop"}, default "error"
            What to do with a row whose group is empty or not declared, or whose segment
            level is not declared (an empty level is "not recorded" and is kept): "error"
            names the first such row; "drop" drops them and counts them in `notes` (and so
            in ``report.notes``), such as "312 rows dropped: group empty (54) or not
            declared: 'middle' (258)". Row numbers in later errors are still the records' positions.
        group_value : str, optional
            The one group of every row, for data of one group only (such as a customers-only
            file, joined with the staff's by :meth:`concat`); no group key is read, and
            the questionnaire's other groups may have no respondents. Not with `group`.

        Returns
        -------
        ResponseSet

        Raises
        ------
        InvalidArgumentError
            `records` is not an iterable of mappings (a str, a single mapping, None, ...).
        ResponseError
            As :meth:`from_csv`; a cell that is a list, a dict or bytes is named like any
            other value that is not an answer or a label.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(low=1, high=5), groups=("c", "b"))
        >>> rs = pg.ResponseSet.from_records(
        ...     [{"group": "c", "a": 5, "b": 2}, {"group": "b", "a": 4, "b": None}], q)
        >>> rs.values
        array([[ 5.,  2.],
               [ 4., nan]])

        Rows of undeclared groups dropped and counted:

        >>> rs = pg.ResponseSet.from_records(
        ...     [{"group": "c", "a": 5, "b": 2}, {"group": "b", "a": 4, "b": 1},
        ...      {"group": "x", "a": 1, "b": 1}, {"group": "", "a": 1, "b": 1}],
        ...     q, unknown_groups="drop")
        >>> rs.notes
        ("2 rows dropped: group empty (1) or not declared: 'x' (1)",)
        """
        rule = row_rule(questionnaire, group, unknown_groups, group_value)
        return cls._from_read(
            questionnaire,
            read_records(records, questionnaire, group=group, weight=weight, rule=rule),
        )

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        questionnaire: Questionnaire,
        *,
        group: str = "group",
        weight: str | None = None,
        unknown_groups: str = "error",
        group_value: str | None = None,
    ) -> ResponseSet:
        """Build responses from a pandas or polars DataFrame.

        Neither library is imported unless `frame` is one of its DataFrames. Columns are read
        as for :meth:`from_records`; null, NaN and empty strings are missing answers. Rows in
        error messages are 1-based positions. A polars frame's integer and float columns are
        read as whole numpy arrays (an integer column with nulls as floats, whose whole numbers
        still match codes such as ``"1"``); its text, categorical and enum columns are read by
        their text.

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
        unknown_groups : {"error", "drop"}, default "error"
            What to do with a row whose group is empty or not declared, or whose segment
            level is not declared (an empty level is "not recorded" and is kept): "error"
            names the first such row; "drop" drops them and counts them in `notes` (and so
            in ``report.notes``), such as "312 rows dropped: group empty (54) or not
            declared: 'middle' (258)". Row numbers in later errors are still the frame's positions.
        group_value : str, optional
            The one group of every row, for data of one group only (such as a customers-only
            file, joined with the staff's by :meth:`concat`); no group column is read, and
            the questionnaire's other groups may have no respondents. Not with `group`.

        Returns
        -------
        ResponseSet

        Raises
        ------
        TypeError
            `frame` is neither a pandas nor a polars DataFrame.
        ResponseError
            As :meth:`from_csv`; also a needed column that appears twice, and cells that are
            lists, dicts or other values that are not answers or labels (named by row and
            column).

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
        rule = row_rule(questionnaire, group, unknown_groups, group_value)
        return cls._from_read(
            questionnaire, read_frame(frame, questionnaire, group=group, weight=weight, rule=rule)
        )

    @classmethod
    def from_arrays(
        cls,
        questionnaire: Questionnaire,
        values: npt.ArrayLike,
        groups: Sequence[str] | npt.ArrayLike,
        segments: Mapping[str, Sequence[str | None] | npt.ArrayLike] | None = None,
        weights: npt.ArrayLike | None = None,
        *,
        unknown_groups: str = "error",
    ) -> ResponseSet:
        """Build responses from numpy arrays.

        Parameters
        ----------
        questionnaire : Questionnaire
            What was asked.
        values : array_like, shape (n, k)
            Answers in questionnaire item order; NaN is a missing answer. Real numbers (or
            text of plain decimal numbers); booleans only on a Binary scale. Nothing is cast
            silently: booleans on another scale, complex numbers, dates, time differences and
            bytes are refused. In a numpy masked array (as some database drivers return),
            masked cells are missing answers; so are masked groups, levels and weights.
        groups : array_like of str, shape (n,)
            Each respondent's group label.
        segments : mapping of str to array_like of str, optional
            Each segment variable's level per respondent (None or "" where not recorded).
        weights : array_like, shape (n,), optional
            Survey weights: positive and finite, the largest at most 1e150 times the smallest
            (only their ratios matter: they are rescaled by a power of two, so any magnitude
            gives the same scores up to rounding).
        unknown_groups : {"error", "drop"}, default "error"
            What to do with a row whose group is empty or not declared, or whose segment
            level is not declared (an empty level is "not recorded" and is kept): "error"
            names the first such row; "drop" drops them and counts them in `notes` (and so
            in ``report.notes``), such as "312 rows dropped: group empty (54) or not
            declared: 'middle' (258)". Row numbers in later errors are still the 1-based positions in the arrays.

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
        rule = row_rule(questionnaire, "group", unknown_groups, None)
        return cls._from_read(
            questionnaire, read_arrays(questionnaire, values, groups, segments, weights, rule)
        )

    @classmethod
    def from_summary(
        cls,
        questionnaire: Questionnaire,
        table: Mapping[str, Mapping[str, Any]],
        *,
        item_correlation: float | None = None,
    ) -> SummaryTable:
        """Read published per-item scores and group sizes into a :class:`SummaryTable`.

        A summary has no respondents, so it is not a ResponseSet, but :func:`perceptiongap.compare`
        takes either. Point estimates from a summary are exact; intervals and p-values come from a
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
        item_correlation : float, optional
            The average correlation between the answers to two different items, if known
            (from the study's own data, or an assumption such as 0.3). A summary table does
            not say how answers correlate across items, yet the mean gap and the elevation
            term average over items, so their intervals depend on it: without it they are
            withheld (NaN with a warning); with it the independent-items intervals are widened
            by the design effect ``1 + (k - 1) r``.

        Returns
        -------
        SummaryTable
            The validated figures, one row per group of the questionnaire.

        Raises
        ------
        ResponseError
            A subclass naming the group (as the row) and the item (as the column).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("c", "b"))
        >>> table = pg.ResponseSet.from_summary(q, {"c": {"n": 100, "scores": {"a": 0.6, "b": 0.2}},
        ...                                         "b": {"n": 50, "scores": {"a": 0.7, "b": 0.5}}})
        >>> table
        <SummaryTable: 150 respondents (c 100, b 50), 2 items, binary scale, from <summary>>
        >>> table.n
        {'c': 100, 'b': 50}
        >>> table.scores
        array([[0.6, 0.2],
               [0.7, 0.5]])
        >>> pg.ResponseSet.from_summary(q, {"c": {"n": 100, "scores": {"a": 61, "b": 0.2}}})
        Traceback (most recent call last):
        ...
        perceptiongap.errors.ValueOffScaleError: <summary>, row 'c', column 'a': the score 61 is off the scale; expected a share from 0 to 1 (did you mean 0.61?).
        """
        return read_summary(questionnaire, table, item_correlation)

    @classmethod
    def _from_read(cls, questionnaire: Questionnaire, read: ResponseArrays) -> ResponseSet:
        """Wrap the validated arrays a reader returns."""
        return cls(
            questionnaire=questionnaire,
            values=read.values,
            group_codes=read.group_codes,
            segment_codes=read.segment_codes,
            weights=read.weights,
            source=read.source,
            notes=read.notes,
        )


def _response_sets(sets: object) -> list[ResponseSet]:
    """The sets to join, as a list, each checked to be a ResponseSet."""
    if isinstance(sets, (ResponseSet, str, bytes, Mapping)) or not isinstance(sets, Iterable):
        raise InvalidArgumentError(
            f"`sets` must be an iterable of ResponseSets (such as a list); got {sets!r}."
        )
    parts = list(sets)
    if not parts:
        raise InvalidArgumentError("`sets` is empty; give at least one ResponseSet to join.")
    for index, part in enumerate(parts, start=1):
        if not isinstance(part, ResponseSet):
            what = (
                "a SummaryTable has no respondents to join"
                if isinstance(part, SummaryTable)
                else f"got {type(part).__name__}"
            )
            raise InvalidArgumentError(f"`sets`: set {index} is not a ResponseSet ({what}).")
    return parts


def _difference(first: Questionnaire, other: Questionnaire, names: tuple[str, str]) -> str:
    """The first part in which two questionnaires differ ("" when they are equal); `names`
    says what to call the two sets."""
    one, two = names
    for field in attrs.fields(Questionnaire):
        mine, theirs = getattr(first, field.name), getattr(other, field.name)
        if mine == theirs:
            continue
        if field.name == "items":
            for index, (a, b) in enumerate(zip(mine, theirs, strict=False), start=1):
                if a != b:
                    return f"item {index} is {a!r} in {one} and {b!r} in {two}"
            return f"{one} has {len(mine)} items and {two} has {len(theirs)}"
        if field.name == "segments":
            for name in [*mine, *(name for name in theirs if name not in mine)]:
                if mine.get(name) != theirs.get(name):
                    levels = [mine.get(name, "not declared"), theirs.get(name, "not declared")]
                    return f"segment {name!r} is {levels[0]!r} in {one} and {levels[1]!r} in {two}"
        return f"{field.name} {mine!r} in {one}, {theirs!r} in {two}"
    return ""

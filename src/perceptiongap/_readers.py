"""Readers: each input (a CSV file, records, a pandas or polars frame, arrays) -> named columns
-> one validator -> the validated arrays of a :class:`~perceptiongap.ResponseSet`.

The readers know nothing of ResponseSet: they return a :class:`ResponseArrays` record, which
``ResponseSet.from_csv`` and its siblings wrap.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray, IntArray
from ._cells import Where, parse_labels, parse_numbers, raw, show
from ._questionnaire import Binary, Questionnaire
from .errors import (
    EmptyDataError,
    InvalidArgumentError,
    MissingColumnError,
    ResponseError,
    ValueOffScaleError,
)

__all__ = ["ResponseArrays", "read_arrays", "read_csv", "read_frame", "read_records"]


@attrs.frozen(eq=False)
class ResponseArrays:
    """The validated arrays of a ResponseSet, as a reader returns them.

    Attributes
    ----------
    values : ndarray, shape (n, k)
        Answers on the questionnaire's scale, NaN where an item was not answered.
    group_codes : ndarray of int, shape (n,)
        Index into the questionnaire's groups of each respondent's group.
    segment_codes : dict of str to ndarray of int
        For each segment variable of the questionnaire, the index into its levels, -1 where
        not recorded.
    weights : ndarray or None
        Survey weights (positive and finite), or None.
    source : str
        Where the data came from: a path, ``"<records>"``, ``"<frame>"`` or ``"<arrays>"``.
    """

    values: FloatArray
    group_codes: IntArray
    segment_codes: dict[str, IntArray]
    weights: FloatArray | None
    source: str


def read_csv(
    path: str | Path,
    questionnaire: Questionnaire,
    *,
    group: str,
    weight: str | None,
    encoding: str,
    delimiter: str,
) -> ResponseArrays:
    """Read a CSV file with a header row (see ``ResponseSet.from_csv``)."""
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
        raise EmptyDataError("the file is empty; expected a header row and data rows.", file=name)
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
    return _validate(
        questionnaire,
        columns,
        group=group,
        weight=weight,
        source=name,
        rows=np.asarray(line_numbers, dtype=np.int64),
        header_row=1,
    )


def read_records(
    records: Iterable[Mapping[str, Any]],
    questionnaire: Questionnaire,
    *,
    group: str,
    weight: str | None,
) -> ResponseArrays:
    """Read an iterable of mappings, one per respondent (see ``ResponseSet.from_records``)."""
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
    return _validate(
        questionnaire,
        columns,
        group=group,
        weight=weight,
        source="<records>",
        rows=np.arange(1, len(rows) + 1, dtype=np.int64),
        header_row=None,
    )


def read_frame(
    frame: Any,
    questionnaire: Questionnaire,
    *,
    group: str,
    weight: str | None,
) -> ResponseArrays:
    """Read a pandas or polars DataFrame (see ``ResponseSet.from_frame``)."""
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
    return _validate(
        questionnaire,
        columns,
        group=group,
        weight=weight,
        source="<frame>",
        rows=np.arange(1, len(frame) + 1, dtype=np.int64),
        header_row=None,
    )


def read_arrays(
    questionnaire: Questionnaire,
    values: npt.ArrayLike,
    groups: Sequence[str] | npt.ArrayLike,
    segments: Mapping[str, Sequence[str | None] | npt.ArrayLike] | None,
    weights: npt.ArrayLike | None,
) -> ResponseArrays:
    """Read numpy arrays (see ``ResponseSet.from_arrays``)."""
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
    return _validate(
        questionnaire,
        columns,
        group="group",
        weight=weight_key,
        source="<arrays>",
        rows=np.arange(1, n + 1, dtype=np.int64),
        header_row=None,
        require_segments=False,
    )


def _validate(
    q: Questionnaire,
    columns: Mapping[str, Any],
    *,
    group: str,
    weight: str | None,
    source: str,
    rows: IntArray,
    header_row: int | None,
    require_segments: bool = True,
) -> ResponseArrays:
    """Validate raw columns against the questionnaire: the one validator of every reader."""
    where = Where(source, rows)
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
    group_codes = parse_labels(
        columns[group], q.groups, where, group, "group", allow_missing=False
    )
    values = np.empty((n, q.k))
    scale = q.scale
    for j, item in enumerate(q.item_ids):
        column_values, missing = parse_numbers(
            columns[item], where, item, "answer", allow_bool=isinstance(scale, Binary)
        )
        bad = np.flatnonzero(~missing & ~scale.valid(column_values))
        if bad.size:
            i = int(bad[0])
            raise where.error(
                ValueOffScaleError,
                f"{show(column_values[i])} is not a valid answer; expected {scale.describe()}.",
                i,
                item,
                raw(columns[item], i),
            )
        values[:, j] = column_values
    segment_codes = {
        name: parse_labels(
            columns[name], levels, where, name, f"level of {name!r}", allow_missing=True
        )
        if name in columns
        else np.full(n, -1, dtype=np.int64)
        for name, levels in q.segments.items()
    }
    weights = None
    if weight is not None:
        # read_arrays passes its weights under an internal key; messages call them `weights`.
        column = "weights" if weight.startswith("\0") else weight
        weights, missing = parse_numbers(columns[weight], where, column, "weight")
        bad = np.flatnonzero(missing | ~(weights > 0))
        if bad.size:
            i = int(bad[0])
            shown = "missing" if missing[i] else show(weights[i])
            raise where.error(
                ValueOffScaleError,
                f"the weight is {shown}; expected a positive finite number.",
                i,
                column,
                raw(columns[weight], i),
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
    return ResponseArrays(
        values=values,
        group_codes=group_codes,
        segment_codes=segment_codes,
        weights=weights,
        source=source,
    )

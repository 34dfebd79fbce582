"""Readers: each input (records, a pandas or polars frame, arrays; CSV files in ``_read_csv``)
-> named columns -> one validator -> the validated arrays of a
:class:`~perceptiongap.ResponseSet`.

The validator has three steps so that a file can be read in blocks: :func:`check_columns` (is
every needed column there), :func:`parse_block` (cells -> arrays, every cell checked) and
:func:`finish` (the checks that need all rows: no data, a group without respondents, the range
of the weights). :func:`validate` runs the three on columns held whole. The readers know nothing
of ResponseSet: they return a :class:`ResponseArrays` record, which ``ResponseSet.from_csv`` and
its siblings wrap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ._answers import parse_answers
from ._arrays import FloatArray, IntArray
from ._cells import Where, parse_labels, parse_numbers, raw, show, take, unmasked
from ._questionnaire import Questionnaire
from ._reader_checks import check_arguments as check_arguments
from ._reader_checks import check_columns as check_columns
from ._row_rules import KEEP, Dropped, RowRule
from .errors import EmptyDataError, InvalidArgumentError, ResponseError, ValueOffScaleError

__all__ = [
    "Block",
    "ResponseArrays",
    "Stack",
    "check_arguments",
    "check_columns",
    "finish",
    "parse_block",
    "read_arrays",
    "read_frame",
    "read_records",
    "validate",
]

# Weights are relative: only their ratios matter. Beyond this ratio of the largest to the
# smallest, the small ones (and their squares, in variances) vanish next to the large ones in
# float arithmetic.
MAX_WEIGHT_RATIO = 1e150


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
    notes : tuple of str
        Facts about the reading that reports repeat (rows dropped by ``unknown_groups="drop"``).
    """

    values: FloatArray
    group_codes: IntArray
    segment_codes: dict[str, IntArray]
    weights: FloatArray | None
    source: str
    notes: tuple[str, ...] = ()


def read_records(
    records: Iterable[Mapping[str, Any]],
    questionnaire: Questionnaire,
    *,
    group: str,
    weight: str | None,
    rule: RowRule = KEEP,
) -> ResponseArrays:
    """Read an iterable of mappings, one per respondent (see ``ResponseSet.from_records``)."""
    check_arguments(questionnaire, group, weight)
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise InvalidArgumentError(
            "`records` must be an iterable of mappings (one per respondent); "
            f"got {type(records).__name__}."
        )
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
    return validate(
        questionnaire,
        columns,
        group=group,
        weight=weight,
        source="<records>",
        rows=np.arange(1, len(rows) + 1, dtype=np.int64),
        header_row=None,
        rule=rule,
    )


def read_frame(
    frame: Any,
    questionnaire: Questionnaire,
    *,
    group: str,
    weight: str | None,
    rule: RowRule = KEEP,
) -> ResponseArrays:
    """Read a pandas or polars DataFrame (see ``ResponseSet.from_frame``)."""
    check_arguments(questionnaire, group, weight)
    module = type(frame).__module__.split(".")[0]
    if module not in ("pandas", "polars") or not hasattr(frame, "columns"):
        raise TypeError(
            f"`frame` must be a pandas or polars DataFrame; got {type(frame).__name__}."
        )
    names = [str(c) for c in frame.columns]
    wanted = [group, *questionnaire.item_ids, *questionnaire.segments, weight]
    columns: dict[str, Any] = {}
    for position, name in enumerate(names):
        if name not in wanted:
            continue
        if name in columns:
            raise ResponseError(
                f"the frame has two columns named {name!r} (columns {names.index(name) + 1} "
                f"and {position + 1}); keep one.",
                file="<frame>",
                column=name,
            )
        # by position: a column named 1 (an int) is read as "1", and names may repeat
        if module == "pandas":
            columns[name] = frame.iloc[:, position].to_numpy()
        else:
            columns[name] = _polars_column(frame.to_series(position))
    return validate(
        questionnaire,
        columns,
        group=group,
        weight=weight,
        source="<frame>",
        rows=np.arange(1, len(frame) + 1, dtype=np.int64),
        header_row=None,
        rule=rule,
    )


def _polars_column(series: Any) -> Any:
    """A polars column as cells: integers and floats as one numpy array (a null is NaN: an
    integer column with nulls comes as floats, whose whole numbers still match codes such as
    "1"), anything else (text, categoricals and enums by their text, booleans) cell by cell."""
    if series.dtype.is_integer() or series.dtype.is_float():
        return series.to_numpy()
    return series.to_list()


def read_arrays(
    questionnaire: Questionnaire,
    values: npt.ArrayLike,
    groups: Sequence[str] | npt.ArrayLike,
    segments: Mapping[str, Sequence[str | None] | npt.ArrayLike] | None,
    weights: npt.ArrayLike | None,
    rule: RowRule = KEEP,
) -> ResponseArrays:
    """Read numpy arrays (see ``ResponseSet.from_arrays``)."""
    check_arguments(questionnaire, "group")
    values, groups, weights = unmasked(values), unmasked(groups), unmasked(weights)
    if segments is not None and not isinstance(segments, Mapping):
        raise InvalidArgumentError(
            "`segments` must be a mapping of segment name to levels, such as "
            f"{{'region': [...]}}; got {type(segments).__name__}."
        )
    try:
        # keep the dtype: booleans, complex numbers, dates or bytes are refused cell by cell
        # (with the row and item), never cast to float silently
        matrix = np.asarray(values)
    except (TypeError, ValueError):
        matrix = np.asarray(values, dtype=object)
    if not isinstance(values, np.ndarray) and matrix.dtype.kind in "iuf":
        # nested lists: numpy would turn a True among numbers into 1
        cells = np.asarray(values, dtype=object)
        if any(isinstance(cell, (bool, np.bool_)) for cell in cells.ravel().tolist()):
            matrix = cells
    if matrix.dtype.kind in "iu":
        matrix = matrix.astype(np.float64)  # as before: integer answers are shown as 2.0
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
        array = np.asarray(unmasked(levels), dtype=object)
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
    return validate(
        questionnaire,
        columns,
        group="group",
        weight=weight_key,
        source="<arrays>",
        rows=np.arange(1, n + 1, dtype=np.int64),
        header_row=None,
        require_segments=False,
        rule=rule,
    )


@attrs.frozen(eq=False)
class Block:
    """The parsed cells of a block of rows (the whole data, or a block of a CSV file)."""

    values: FloatArray
    group_codes: IntArray
    segment_codes: dict[str, IntArray]
    weights: FloatArray | None
    dropped: Dropped = attrs.field(factory=Dropped)


def validate(
    q: Questionnaire,
    columns: Mapping[str, Any],
    *,
    group: str,
    weight: str | None,
    source: str,
    rows: IntArray,
    header_row: int | None,
    require_segments: bool = True,
    rule: RowRule = KEEP,
) -> ResponseArrays:
    """Validate raw columns against the questionnaire: the one validator of every reader
    (each reader has checked its arguments with `check_arguments` before building columns)."""
    if len(rows) == 0:
        raise EmptyDataError("there are no data rows.", file=source)
    check_columns(
        q,
        list(columns),
        group=None if rule.group is not None else group,
        weight=weight,
        source=source,
        header_row=header_row,
        require_segments=require_segments,
    )
    block = parse_block(q, columns, Where(source, rows), group=group, weight=weight, rule=rule)
    return finish(q, [block], group=group, weight=weight, source=source, rule=rule)


def parse_block(
    q: Questionnaire,
    columns: Mapping[str, Any],
    where: Where,
    *,
    group: str,
    weight: str | None,
    rule: RowRule = KEEP,
) -> Block:
    """Parse and check every cell of a block of rows; `where` names the rows in messages.

    Under ``rule.drop`` the rows of an undeclared group or segment level are dropped before
    their answers are read (counted in the block's `dropped`); the kept rows keep their numbers.
    """
    n = len(where.rows)
    if rule.group is not None:
        group_codes = np.full(n, rule.group, dtype=np.int64)
    else:
        group_codes = parse_labels(
            columns[group], q.groups, where, group, "group", allow_missing=False, drop=rule.drop
        )
    dropped = Dropped()
    segment_codes = _segment_codes(q, columns, where, rule.drop) if rule.drop else None
    if segment_codes is not None:
        kept = dropped.drop(group_codes, segment_codes, columns, group)
        if kept is not None:
            group_codes, where, n = (
                group_codes[kept],
                Where(where.source, where.rows[kept]),
                len(kept),
            )
            segment_codes = {name: codes[kept] for name, codes in segment_codes.items()}
            columns = {name: take(cells, kept) for name, cells in columns.items()}
    values = np.empty((n, q.k))
    for j, item in enumerate(q.items):
        values[:, j] = parse_answers(columns[item.id], q.scale, item, where)
    if segment_codes is None:
        segment_codes = _segment_codes(q, columns, where, False)
    weights = None
    if weight is not None:
        column = _weight_column(weight)
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
    return Block(values, group_codes, segment_codes, weights, dropped)


def _segment_codes(
    q: Questionnaire, columns: Mapping[str, Any], where: Where, drop: bool
) -> dict[str, IntArray]:
    """Each segment's level codes (-1 where not recorded, or for a segment without a column;
    -2 for an undeclared level under `drop`)."""
    n = len(where.rows)
    return {
        name: parse_labels(
            columns[name], levels, where, name, f"level of {name!r}", allow_missing=True, drop=drop
        )
        if name in columns
        else np.full(n, -1, dtype=np.int64)
        for name, levels in q.segments.items()
    }


def _weight_column(weight: str) -> str:
    # read_arrays passes its weights under an internal key; messages call them `weights`.
    return "weights" if weight.startswith("\0") else weight


def finish(
    q: Questionnaire,
    blocks: Sequence[Block],
    *,
    group: str,
    weight: str | None,
    source: str,
    rule: RowRule = KEEP,
) -> ResponseArrays:
    """Join the blocks and make the checks that need every row: every group of the
    questionnaire needs respondents (only the file's one group under ``rule.group``)."""
    dropped = Dropped()
    for part in blocks:
        dropped.merge(part.dropped)
    notes = dropped.notes()
    after = f" ({'; '.join(notes)})" if notes else ""
    if not blocks or sum(len(block.group_codes) for block in blocks) == 0:
        raise EmptyDataError(f"there are no data rows{after}.", file=source)
    if len(blocks) == 1:
        block = blocks[0]
    else:
        stack = Stack(q, weight is not None, sum(len(b.group_codes) for b in blocks))
        for part in blocks:
            stack.add(part)
        block = stack.block()
    counts = np.bincount(block.group_codes, minlength=len(q.groups))
    for index, (g, count) in enumerate(zip(q.groups, counts, strict=False)):
        if count == 0 and rule.group in (None, index):
            raise EmptyDataError(
                f"group {g!r} has no respondents{after}; every group of the questionnaire "
                "needs some (or leave the group out of the questionnaire).",
                file=source,
                column=None if rule.group is not None else group,
                value=g,
            )
    if block.weights is not None and weight is not None:
        low, high = float(block.weights.min()), float(block.weights.max())
        if high > MAX_WEIGHT_RATIO * low:
            raise ValueOffScaleError(
                f"the weights range from {low:g} to {high:g}, a ratio beyond "
                f"{MAX_WEIGHT_RATIO:g}: the smallest would count as nothing next to the "
                "largest in floating-point sums; rescale or trim the weights.",
                file=source,
                column=_weight_column(weight),
            )
    for array in (block.values, block.group_codes, block.weights, *block.segment_codes.values()):
        if array is not None:
            array.setflags(write=False)  # frozen here, so ResponseSet need not copy them
    return ResponseArrays(
        values=block.values,
        group_codes=block.group_codes,
        segment_codes=block.segment_codes,
        weights=block.weights,
        source=source,
        notes=notes,
    )


class Stack:
    """Blocks stacked into preallocated arrays as they come (a file read in blocks).

    `capacity` is a bound on the number of rows (from the file size); memory the OS never
    touches costs nothing, and the arrays are cut to size in place at the end. Without a
    bound (a pipe) they grow by half again when full.
    """

    def __init__(self, q: Questionnaire, weighted: bool, capacity: int) -> None:
        self.n = 0
        capacity = max(capacity, 1)
        self.arrays: dict[str, Any] = {
            "values": np.empty((capacity, q.k)),
            "group_codes": np.empty(capacity, dtype=np.int64),
            **{f"segment {name}": np.empty(capacity, dtype=np.int64) for name in q.segments},
        }
        if weighted:
            self.arrays["weights"] = np.empty(capacity)
        self.dropped = Dropped()

    def add(self, block: Block) -> None:
        """Copy a block's arrays in after the rows so far."""
        parts = {
            "values": block.values,
            "group_codes": block.group_codes,
            "weights": block.weights,
            **{f"segment {name}": codes for name, codes in block.segment_codes.items()},
        }
        self.dropped.merge(block.dropped)
        stop = self.n + len(block.group_codes)
        for key, array in self.arrays.items():
            if stop > len(array):
                array.resize((stop + stop // 2, *array.shape[1:]), refcheck=False)
            array[self.n : stop] = parts[key]
        self.n = stop

    def block(self) -> Block:
        """The stacked rows as one block (the arrays cut to size in place)."""
        for array in self.arrays.values():
            array.resize((self.n, *array.shape[1:]), refcheck=False)
        arrays = self.arrays
        return Block(
            arrays["values"],
            arrays["group_codes"],
            {key[8:]: array for key, array in arrays.items() if key.startswith("segment ")},
            arrays.get("weights"),
            self.dropped,
        )

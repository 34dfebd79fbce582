"""Parsing cells: one column of numbers or labels, missing markers, and where a cell is.

Every reader hands its columns to these parsers, so a cell means the same whether it came from a
CSV file, a record, a data frame or an array, and every error names the cell as a person sees it.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray, IntArray
from .errors import ResponseError, UnknownLabelError, ValueOffScaleError

__all__ = ["Where", "is_missing", "parse_labels", "parse_numbers", "raw", "show"]

# A plain decimal number as a spreadsheet or a statistics package writes it. Python's float()
# also accepts "nan", "inf", "1_000" and surrounding spaces; none of those is an answer.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_MISSING_HINT = "leave the cell empty for a missing answer"
_MISSING_WORDS = frozenset(
    {"nan", "na", "n/a", "null", "none", "-", "inf", "-inf", "+inf", "infinity"}
)


class Where:
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


def is_missing(cell: object) -> bool:
    """None, an empty or blank string, a float NaN, or a pandas/polars missing marker."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    if isinstance(cell, (float, np.floating)):
        return math.isnan(float(cell))
    return type(cell).__name__ in ("NAType", "NaTType")  # pandas.NA, pandas.NaT


def raw(cells: Any, index: int) -> object:
    """The cell as read (a Python scalar, not a numpy one)."""
    cell = cells[index]
    return cell.item() if isinstance(cell, np.generic) else cell


def show(value: object) -> str:
    """A value as a person wrote it: no numpy scalar reprs in messages."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def _number_error(where: Where, i: int, column: str, cell: object, what: str) -> ResponseError:
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
            f"{show(cell)} is not a valid {what}; expected a finite number.",
            i,
            column,
            cell,
        )
    hint = f" ({_MISSING_HINT})" if text.lower() in _MISSING_WORDS else ""
    return where.error(ValueOffScaleError, f"{text!r} is not a number{hint}.", i, column, cell)


def parse_numbers(
    cells: Any, where: Where, column: str, what: str, *, allow_bool: bool = False
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
        if is_missing(cell):
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


def parse_labels(
    cells: Any, known: Sequence[str], where: Where, column: str, what: str, *, allow_missing: bool
) -> IntArray:
    """Map labels to indexes into `known`; -1 for missing (when allowed)."""
    lookup = {label: index for index, label in enumerate(known)}
    codes = np.empty(len(cells), dtype=np.int64)
    cache: dict[object, int] = {}
    for i, cell in enumerate(np.asarray(cells, dtype=object).tolist()):
        code = cache.get(cell)
        if code is None:
            if is_missing(cell):
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

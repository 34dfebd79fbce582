"""Parsing cells: one column of numbers or labels, missing markers, and where a cell is.

Every reader hands its columns to these parsers, so a cell means the same whether it came from a
CSV file, a record, a data frame or an array, and every error names the cell as a person sees it.
A CSV file's columns arrive as lists of text cells (:class:`TextColumn`) or dictionary-encoded
(:class:`Coded`: each distinct text once, and a code per row); both are parsed by the same rules,
and an error names the first row holding a bad cell either way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._arrays import FloatArray, IntArray
from .errors import ResponseError, UnknownLabelError, ValueOffScaleError

__all__ = [
    "Coded",
    "TextColumn",
    "Where",
    "is_missing",
    "parse_labels",
    "parse_numbers",
    "raw",
    "show",
    "take",
    "unmasked",
]

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


#: The longest value a message quotes in full; a longer one (a 5,000-digit cell, a label of a
#: million characters) is cut, saying how long it was.
SHOWN_LENGTH = 80


def show(value: object) -> str:
    """A value as a person wrote it: no numpy scalar reprs in messages, whole numbers without
    an exponent, and never more than about `SHOWN_LENGTH` characters."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        text = str(int(value))
    elif isinstance(value, str):
        if len(value) > SHOWN_LENGTH:
            return f"{value[: SHOWN_LENGTH - 20]!r}... ({len(value):,} characters)"
        return repr(value)
    else:
        text = str(value)
    if len(text) <= SHOWN_LENGTH:
        return text
    return f"{text[: SHOWN_LENGTH - 20]}... ({len(text):,} characters)"


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
    return where.error(ValueOffScaleError, f"{show(text)} is not a number{hint}.", i, column, cell)


_REFUSED_KINDS = {
    "c": "a complex number",
    "M": "a date or time",
    "m": "a time difference",
    "S": "bytes",
    "V": "a structured value",
}


def parse_numbers(
    cells: Any, where: Where, column: str, what: str, *, allow_bool: bool = False
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Parse a column of cells into finite floats; returns (values, missing mask).

    A missing cell is None, an empty string, a float NaN or pandas' NA. Text must be a plain
    decimal number (ASCII digits; no "nan", "inf", thousands separators or underscores).
    Booleans are numbers only where `allow_bool` (a Binary scale); complex numbers, dates,
    time differences and bytes never are (nothing is coerced silently).
    """
    if isinstance(cells, Coded):
        table, wrong = _number_table(cells.distinct)
        if wrong.any():
            i = cells.first(wrong)
            raise _number_error(where, i, column, cells[i], what)
        values = table[cells.codes]
        return values, np.isnan(values)
    if isinstance(cells, list) and cells and _all_text(cells):
        fast = _parse_text_column(cells, where, column, what)
        if fast is not None:
            return fast
    array = cells if isinstance(cells, np.ndarray) else np.asarray(cells, dtype=object)
    n = len(array)
    kind = array.dtype.kind
    if kind in "iuf" or (kind == "b" and allow_bool):
        values = array.astype(np.float64)
        missing = np.isnan(values)
        bad = np.flatnonzero(np.isinf(values))
        if bad.size:
            raise _number_error(where, int(bad[0]), column, array[int(bad[0])], what)
        return values, missing
    if n and (kind == "b" or kind in _REFUSED_KINDS):
        if kind == "b":
            raise _number_error(where, 0, column, array[0], what)
        cell = raw(array, 0)
        shown = str(array[0]) if kind in "Mm" else repr(cell)  # a date, not nanoseconds
        raise where.error(
            ValueOffScaleError,
            f"{shown} is {_REFUSED_KINDS[kind]}, not a valid {what}; expected a real number.",
            0,
            column,
            cell,
        )
    listed = array.tolist()
    if kind in "OU" and n and _all_text(listed):
        fast = _parse_text_column(listed, where, column, what)
        if fast is not None:
            return fast
    values = np.full(n, np.nan)
    missing = np.zeros(n, dtype=bool)
    for i, cell in enumerate(listed):
        number = _parse_cell(cell, allow_bool)
        if number is None:
            raise _number_error(where, i, column, cell, what)
        if math.isnan(number):
            missing[i] = True
        values[i] = number
    return values, missing


def _all_text(cells: list[Any]) -> bool:
    """Every cell is a str (not a subclass): the fast paths' condition."""
    return isinstance(cells, TextColumn) or set(map(type, cells)) == {str}


class TextColumn(list[str]):
    """A list of cells known to be str (a CSV file's), so nobody checks each cell's type."""


class Coded:
    """A dictionary-encoded column of text cells: cell i is ``distinct[codes[i]]``.

    A CSV block split as bytes arrives this way: each distinct cell is parsed once, with the
    rules of any other text cell, and the column is mapped through `codes`.
    """

    def __init__(self, distinct: list[str], codes: IntArray) -> None:
        self.distinct = distinct
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, index: int) -> str:
        return self.distinct[int(self.codes[index])]

    def first(self, bad: npt.NDArray[np.bool_]) -> int:
        """The first row whose cell is one of the distinct cells marked in `bad`."""
        return int(np.flatnonzero(bad[self.codes])[0])


def _parse_cell(cell: object, allow_bool: bool) -> float | None:
    """One cell as a finite float, NaN when missing, None when it is not a number."""
    if is_missing(cell):
        return math.nan
    if isinstance(cell, (bool, np.bool_)):
        return float(cell) if allow_bool else None
    if isinstance(cell, (int, float, np.integer, np.floating)):
        try:
            number = float(cell)
        except OverflowError:  # an int beyond float range
            return None
    elif not isinstance(cell, str) and isinstance(
        cell, (complex, bytes, bytearray, np.generic, list, dict, set, tuple)
    ):
        return None  # never a number, whatever its text looks like
    else:  # text, or a number type with a plain decimal text (Decimal)
        text = str(cell).strip()
        if not _NUMBER.fullmatch(text):
            return None
        number = float(text)
    return number if math.isfinite(number) else None  # inf, or text like 1e400


def _parse_text_column(
    cells: list[str], where: Where, column: str, what: str
) -> tuple[FloatArray, npt.NDArray[np.bool_]] | None:
    """Parse an all-text column by its distinct cells; None when they are too many.

    Survey answers repeat (a Likert item has a handful of distinct cells), so each distinct
    text is parsed once, carefully, and the column is mapped through the table. A column of
    mostly distinct numbers takes numpy's vectorised conversion instead, but only when it is
    ASCII without underscores and every value comes out finite (numpy also accepts "nan",
    "inf", "1_0" and non-ASCII digits); anything else goes to the cell-by-cell parser, which
    names the offending cell.
    """
    distinct = set(cells)
    if len(distinct) * 4 > len(cells) and len(distinct) > 64:
        joined = "".join(distinct)
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
    table = {cell: _parse_cell(cell, False) for cell in distinct}
    bad = {cell for cell, number in table.items() if number is None}
    if bad:
        i = next(i for i, cell in enumerate(cells) if cell in bad)
        raise _number_error(where, i, column, cells[i], what)
    order = list(table)
    index = _distinct_index(cells, order)
    if index is not None:
        values = np.array([table[cell] for cell in order], dtype=np.float64)[index]
    else:
        values = np.fromiter(map(table.__getitem__, cells), np.float64, len(cells))
    return values, np.isnan(values)


def _number_table(distinct: list[str]) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Each distinct text cell as a number (NaN when missing) and whether it is not one.

    Many distinct cells take numpy's vectorised conversion under the conditions of
    :func:`_parse_text_column`; otherwise, or when that fails, each is parsed carefully.
    """
    if len(distinct) > 64:
        joined = "".join(distinct)
        if joined.isascii() and "_" not in joined and "\x00" not in joined:
            text = np.char.strip(np.asarray(distinct, dtype=str))
            given = text != ""
            values = np.full(len(distinct), np.nan)
            try:
                values[given] = text[given].astype(np.float64)
            except ValueError:
                pass
            else:
                if np.isfinite(values[given]).all():
                    return values, np.zeros(len(distinct), dtype=bool)
    numbers = [_parse_cell(cell, False) for cell in distinct]
    bad = np.array([number is None for number in numbers], dtype=bool)
    values = np.array([math.nan if number is None else number for number in numbers])
    return values.astype(np.float64), bad


def _distinct_index(cells: list[str], distinct: list[str]) -> IntArray | None:
    """The index into `distinct` (every distinct cell) of each cell, vectorised.

    Survey columns hold a few distinct cells (answers, group labels) that their first and
    last characters tell apart; then the cells, joined into one byte string, are looked up
    by those two bytes in a 65536-entry table. None when the two characters do not tell the
    cells apart, or a cell is not Latin-1 or holds a NUL; the caller then maps cell by cell.
    """
    joined = "".join(distinct)
    if "\0" in joined or (joined and max(joined) > "\xff"):
        return None
    # an empty cell reads its separator (NUL) as its first and last character
    keys = [ord(cell[:1] or "\0") * 256 + ord(cell[-1:] or "\0") for cell in distinct]
    if len(set(keys)) != len(keys):
        return None
    data = np.frombuffer(("\0".join(cells) + "\0").encode("latin-1"), np.uint8)
    ends = np.flatnonzero(data == 0)
    starts = np.empty_like(ends)
    starts[0], starts[1:] = 0, ends[:-1] + 1
    table = np.zeros(65536, dtype=np.int64)
    table[keys] = np.arange(len(keys))
    found: IntArray = table[data[starts].astype(np.int64) * 256 + data[ends - 1]]
    return found


def parse_labels(
    cells: Any,
    known: Sequence[str],
    where: Where,
    column: str,
    what: str,
    *,
    allow_missing: bool,
    drop: bool = False,
) -> IntArray:
    """Map labels to indexes into `known`; -1 for missing (when allowed).

    A label is its text with surrounding spaces removed; distinct cells are looked up once,
    keyed by type as well as value (``True == 1`` in Python, yet their texts differ). With
    `drop`, an unknown label (and a missing one, where not allowed) is -2 instead of an error.
    """
    lookup = {label: index for index, label in enumerate(known)}

    def find(cell: object, default: int) -> int:
        return _find_label(lookup, cell, default)

    def code_of(i: int, cell: object) -> int:
        if is_missing(cell):
            if allow_missing:
                return -1
            message = f"the {what} is missing; expected one of "
        else:
            label = str(cell).strip()
            found = find(cell, -2)
            if found != -2:
                return found
            message = f"unknown {what} {show(label)}; expected one of "
        if drop:
            return -2
        raise where.error(
            UnknownLabelError,
            message + ", ".join(repr(k) for k in known) + ".",
            i,
            column,
            cell,
        )

    if isinstance(cells, Coded):
        found = [find(cell, -2) for cell in cells.distinct]
        if allow_missing:  # -1 for a blank cell, as in the text path below
            blank = [not cell.strip() for cell in cells.distinct]
            found = [-1 if b and f == -2 else f for f, b in zip(found, blank, strict=True)]
        table = np.array(found, dtype=np.int64)
        if (table == -2).any() and not drop:  # the first row holding a bad label names it
            i = cells.first(table == -2)
            code_of(i, cells[i])
        return table[cells.codes]
    listed = (
        cells.tolist()
        if isinstance(cells, np.ndarray)
        else cells
        if isinstance(cells, list)
        else list(cells)
    )
    if listed and _all_text(listed):
        labels: dict[str, int] = {}
        bad = set()
        for cell in set(listed):
            label = cell.strip()
            index_of = find(label, -2)
            if index_of != -2:
                labels[cell] = index_of
            elif not label and allow_missing:
                labels[cell] = -1
            elif drop:
                labels[cell] = -2
            else:
                bad.add(cell)
        if bad:  # the first row holding a bad label names it
            i = next(i for i, cell in enumerate(listed) if cell in bad)
            code_of(i, listed[i])
        order = list(labels)
        index = _distinct_index(listed, order)
        if index is not None:
            return np.array([labels[cell] for cell in order], dtype=np.int64)[index]
        return np.fromiter(map(labels.__getitem__, listed), np.int64, len(listed))
    codes = np.empty(len(listed), dtype=np.int64)
    cache: dict[tuple[type, object], int] = {}
    for i, cell in enumerate(listed):
        key = (type(cell), cell)
        try:
            code = cache.get(key)
        except TypeError:  # an unhashable cell (a list, a dict) is looked up uncached
            code = code_of(i, cell)
        else:
            if code is None:
                code = cache[key] = code_of(i, cell)
        codes[i] = code
    return codes


# Text of a whole number written as a decimal ("1.0", "2.00"), as pandas writes a column of
# integer codes that has a gap (it reads it as floats) back to a CSV file.
_WHOLE_DECIMAL = re.compile(r"([+-]?\d+)\.0*", re.ASCII)


def _find_label(lookup: dict[str, int], cell: object, default: int) -> int:
    """The index of `cell` among the declared labels in `lookup`, or `default`.

    A label is the cell's text without surrounding spaces. A whole number read as a decimal
    (the float 1.0, numpy's 2.0, the text "1.0") also matches the declared code "1": pandas
    reads a column of integer codes with a gap as floats, and SPSS files arrive that way. A
    fraction (1.5) never matches "1", and a boolean never matches "1" (its text is "True").
    """
    if isinstance(cell, (bool, np.bool_)):
        return lookup.get(str(cell), default)
    if isinstance(cell, (float, np.floating)):
        number = float(cell)
        text = repr(number)
        if text in lookup or not number.is_integer():
            return lookup.get(text, default)
        return lookup.get(str(int(number)), default)
    label = str(cell).strip()
    if label in lookup:
        return lookup[label]
    whole = _WHOLE_DECIMAL.fullmatch(label)
    if whole is not None and isinstance(cell, str):
        return lookup.get(whole.group(1), default)
    return default


def take(cells: Any, index: IntArray) -> Any:
    """The cells at `index` of a column, in the column's own kind (a reader's kept rows)."""
    if isinstance(cells, Coded):  # only the distinct cells of kept rows (each is parsed)
        used, codes = np.unique(cells.codes[index], return_inverse=True)
        return Coded([cells.distinct[i] for i in used.tolist()], codes.astype(np.int64))
    if isinstance(cells, np.ndarray):
        return cells[index]
    picked = [cells[i] for i in index.tolist()]
    return TextColumn(picked) if isinstance(cells, TextColumn) else picked


def unmasked(array: Any) -> Any:
    """A numpy masked array as a plain one whose masked cells are missing (NaN or None);
    anything else unchanged."""
    if not isinstance(array, np.ma.MaskedArray):
        return array
    masked = np.ma.getmaskarray(array)
    plain = np.ma.getdata(array).astype(np.float64 if array.dtype.kind in "iuf" else object)
    plain[masked] = np.nan if plain.dtype.kind == "f" else None
    return plain

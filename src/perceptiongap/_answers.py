"""Parsing answers: one item's column of cells -> its scores on the questionnaire's scale.

Numbers are parsed by :func:`~perceptiongap._cells.parse_numbers`; a scale with answer labels
(``Likert(..., labels=...)``, ``Binary(labels=...)``) or a multi-select Binary scale reads
each distinct cell once through a table of its labels, in every input path (a CSV file's text
or dictionary-encoded columns, records, frames, arrays). Then every answer is checked against
the scale, and a reverse-keyed item is scored ``low + high - x`` before anything else sees it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._arrays import FloatArray
from ._cells import Coded, Where, _all_text, _distinct_index, _parse_cell, parse_numbers, raw, show
from ._questionnaire import Binary, Item, Scale
from ._scales import fold, label_codes
from .errors import ResponseError, ValueOffScaleError

__all__ = ["parse_answers"]


def parse_answers(cells: Any, scale: Scale, item: Item, where: Where) -> FloatArray:
    """Parse the column of `item` into scores on `scale`, NaN where not answered.

    Parameters
    ----------
    cells : list, ndarray, TextColumn or Coded
        The item's cells, one per row of `where`.
    scale : Binary, Likert or Numeric
        The questionnaire's scale: its labels, whether empty cells are "not chosen"
        (``Binary(multi_select=True)``), and its valid answers.
    item : Item
        The item; its id names the column in messages, and a reverse-keyed item is scored
        ``scale.low + scale.high - x``. Its id and label are a checked box's text on a
        multi-select scale.
    where : Where
        Names the rows in messages.

    Raises
    ------
    ValueOffScaleError
        For the first row whose cell is not an answer, naming the row, column and value.
    """
    column = item.id
    codes = label_codes(scale)
    multi = isinstance(scale, Binary) and scale.multi_select
    if codes or multi:
        values = _parse_labelled(cells, scale, item, where, codes, multi)
    else:
        values, _ = parse_numbers(
            cells, where, column, "answer", allow_bool=isinstance(scale, Binary)
        )
    bad = np.flatnonzero(~np.isnan(values) & ~scale.valid(values))
    if bad.size:
        i = int(bad[0])
        raise where.error(
            ValueOffScaleError,
            f"{show(values[i])} is not a valid answer; expected {scale.describe()}.",
            i,
            column,
            raw(cells, i),
        )
    if item.reverse:  # NaN (not answered) stays NaN
        values = scale.low + scale.high - values
    return values


def _parse_labelled(
    cells: Any, scale: Scale, item: Item, where: Where, codes: dict[str, float], multi: bool
) -> FloatArray:
    """A column read through the scale's labels; each distinct cell is looked up once."""
    table = dict(codes)
    if multi:  # a checked box may hold the option's text: the item's id or label
        for text in (item.id, item.label):
            table.setdefault(fold(text), 1.0)
    allow_bool = isinstance(scale, Binary)

    def value_of(cell: object) -> float | None:
        number = _parse_cell(cell, allow_bool)
        if number is None and isinstance(cell, str):
            number = table.get(fold(cell))
        if number is not None and multi and math.isnan(number):
            return 0.0  # an empty cell: the option was not chosen
        return number

    def fail(i: int, cell: object) -> ResponseError:
        expected = scale.describe()
        if multi:
            expected += (
                f", the item's id {item.id!r} or label {item.label!r}, "
                "or an empty cell (not chosen)"
            )
        shown = show(cell.strip() if isinstance(cell, str) else raw([cell], 0))
        return where.error(
            ValueOffScaleError,
            f"{shown} is not an answer of this scale; expected {expected}.",
            i,
            item.id,
            cell,
        )

    if isinstance(cells, Coded):
        found = [value_of(cell) for cell in cells.distinct]
        wrong = np.array([number is None for number in found], dtype=bool)
        if wrong.any():
            i = cells.first(wrong)
            raise fail(i, cells[i])
        lookup = np.array([math.nan if f is None else f for f in found], dtype=np.float64)
        out: FloatArray = lookup[cells.codes]
        return out
    if isinstance(cells, np.ndarray) and cells.dtype.kind in "iufb":
        values, missing = parse_numbers(cells, where, item.id, "answer", allow_bool=allow_bool)
        if multi:
            values = np.where(missing, 0.0, values)
        return values
    listed: list[Any] = cells.tolist() if isinstance(cells, np.ndarray) else list(cells)
    if listed and _all_text(listed):
        distinct = {cell: value_of(cell) for cell in set(listed)}
        if any(number is None for number in distinct.values()):
            i = next(i for i, cell in enumerate(listed) if distinct[cell] is None)
            raise fail(i, listed[i])
        order = list(distinct)
        index = _distinct_index(listed, order)
        if index is not None:
            numbers = np.array([distinct[cell] for cell in order], dtype=np.float64)
            result: FloatArray = numbers[index]
            return result
        return np.fromiter(map(distinct.__getitem__, listed), np.float64, len(listed))
    values = np.empty(len(listed))
    cache: dict[tuple[type, object], float | None] = {}
    for i, cell in enumerate(listed):
        try:
            key = (type(cell), cell)
            number = cache[key] if key in cache else cache.setdefault(key, value_of(cell))
        except TypeError:  # an unhashable cell is looked up uncached
            number = value_of(cell)
        if number is None:
            raise fail(i, cell)
        values[i] = number
    return values

"""The readers' first checks: the arguments naming columns, and whether every column the
questionnaire needs is there (before any cell is parsed; CSV files check their header)."""

from __future__ import annotations

from collections.abc import Collection

from ._questionnaire import Questionnaire
from .errors import InvalidArgumentError, MissingColumnError

__all__ = ["check_arguments", "check_columns"]


def check_arguments(q: object, group: str, weight: str | None = None) -> None:
    """The questionnaire and the names of the group and weight columns (first, before a
    reader uses the questionnaire)."""
    if not isinstance(q, Questionnaire):
        raise InvalidArgumentError(f"`questionnaire` must be a Questionnaire; got {q!r}.")
    if not isinstance(group, str):
        raise InvalidArgumentError(f"`group` must be a column name; got {group!r}.")
    if group in q.item_ids or group in q.segments:
        raise InvalidArgumentError(
            f"`group` names the column {group!r}, which is also an item or a segment of the "
            "questionnaire; rename one of them."
        )
    if weight is None:
        return
    if not isinstance(weight, str):
        raise InvalidArgumentError(f"`weight` must be a column name or None; got {weight!r}.")
    if weight.startswith("\0"):  # from_arrays' weights have no column
        return
    if weight == group or weight in q.item_ids or weight in q.segments:
        raise InvalidArgumentError(
            f"`weight` names the column {weight!r}, which is also the group column, an item or "
            "a segment; survey weights need a column of their own."
        )


def check_columns(
    q: Questionnaire,
    names: Collection[str],
    *,
    group: str | None,
    weight: str | None,
    source: str,
    header_row: int | None,
    require_segments: bool = True,
    hint: str = "",
) -> None:
    """Every column the questionnaire needs is among `names` (a missing one is named); no
    group column when `group` is None (a file of one group, ``group_value=``)."""
    available = ", ".join(repr(c) for c in names if not c.startswith("\0")) or "none"
    needed = [*([] if group is None else [group]), *q.item_ids]
    if require_segments:
        needed += list(q.segments)
    if weight is not None:
        needed.append(weight)
    for column in needed:
        if column not in names:
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
                f"no {what} column {column!r}; the data have: {available}.{hint}",
                file=source,
                row=header_row,
                column=column,
            )

"""Which rows a reader keeps: the rules of ``unknown_groups=`` and ``group_value=``.

By default every row must carry a declared group and, where recorded, a declared segment
level; a row that does not is an error naming it. With ``unknown_groups="drop"`` such rows are
dropped instead (an empty segment value is "not recorded" and stays), and :class:`Dropped`
counts them by reason and value, for the notes a report repeats. With ``group_value=`` a file
holds one group only: every row belongs to it, and no group column is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from ._arrays import IntArray
from ._cells import is_missing, raw, show
from ._checks import choice
from ._questionnaire import Questionnaire
from .errors import InvalidArgumentError

__all__ = ["KEEP", "UNKNOWN_GROUPS", "Dropped", "RowRule", "row_rule"]

#: The values of ``unknown_groups=``.
UNKNOWN_GROUPS = ("error", "drop")
_SHOWN_VALUES = 3  # distinct undeclared values a note lists by name
_EMPTY = ""  # the key counting empty group cells


@attrs.frozen
class RowRule:
    """What a reader does with rows: `drop` those of undeclared groups or segment levels;
    `group` is the index of the file's one group (``group_value=``), or None."""

    drop: bool = False
    group: int | None = None


#: The default rule: every row is kept, and must carry a declared group.
KEEP = RowRule()


def row_rule(
    q: Questionnaire, group: object, unknown_groups: object, group_value: object
) -> RowRule:
    """Check ``unknown_groups=`` and ``group_value=`` (after `group`) and return the rule."""
    drop = choice(unknown_groups, "unknown_groups", UNKNOWN_GROUPS) == "drop"
    if group_value is None:
        return RowRule(drop=drop)
    if group != "group":
        raise InvalidArgumentError(
            f"pass either `group` (a column of group labels; got {group!r}) or `group_value` "
            f"(the one group of every row; got {group_value!r}), not both."
        )
    if not isinstance(group_value, str) or group_value not in q.groups:
        raise InvalidArgumentError(
            "`group_value` must be one of the questionnaire's groups "
            + ", ".join(repr(g) for g in q.groups)
            + f"; got {group_value!r}."
        )
    return RowRule(drop=drop, group=q.groups.index(group_value))


class Dropped:
    """Rows dropped for an undeclared group or segment level, counted by value."""

    def __init__(self) -> None:
        # "" for the group column, else the segment's name -> shown value -> rows
        self.counts: dict[str, Counter[str]] = {}

    def __bool__(self) -> bool:
        return any(self.counts.values())

    def merge(self, other: Dropped) -> None:
        """Add another block's counts."""
        for key, counter in other.counts.items():
            self.counts.setdefault(key, Counter()).update(counter)

    def drop(
        self,
        group_codes: IntArray,
        segment_codes: Mapping[str, IntArray],
        columns: Mapping[str, Any],
        group: str,
    ) -> IntArray | None:
        """Count the rows to drop (code -2: undeclared or, for the group, empty; a row is
        counted under its group first) and return the indexes of the kept rows, or None
        when every row is kept."""
        bad = group_codes < 0
        reasons = {"": np.flatnonzero(bad)}
        for name, codes in segment_codes.items():
            wrong = (codes == -2) & ~bad
            reasons[name] = np.flatnonzero(wrong)
            bad |= wrong
        if not bad.any():
            return None
        for key, indexes in reasons.items():
            if indexes.size:
                cells = columns[group if key == "" else key]
                counter = self.counts.setdefault(key, Counter())
                counter.update(_shown(raw(cells, i)) for i in indexes.tolist())
        kept: IntArray = np.flatnonzero(~bad)
        return kept

    def notes(self) -> tuple[str, ...]:
        """One note per column with dropped rows, such as "312 rows dropped: group empty (54)
        or not declared: 'middle' (258)"."""
        notes = []
        for key, counter in self.counts.items():
            total = sum(counter.values())
            if not total:
                continue
            parts = []
            values = Counter(counter)
            empty = values.pop(_EMPTY, 0)
            if empty:
                parts.append(f"empty ({empty})")
            if values:
                listed = values.most_common()
                shown = [f"{value} ({n})" for value, n in listed[:_SHOWN_VALUES]]
                rest = listed[_SHOWN_VALUES:]
                if rest:
                    others = sum(n for _, n in rest)
                    shown.append(f"{len(rest)} other value{_s(len(rest))} ({others})")
                parts.append("not declared: " + ", ".join(shown))
            what = "group" if key == "" else f"level of {key!r}"
            notes.append(f"{total} row{_s(total)} dropped: {what} {' or '.join(parts)}")
        return tuple(notes)


def _shown(cell: object) -> str:
    """A cell as a note names it ("" when empty)."""
    if is_missing(cell):
        return _EMPTY
    return show(cell.strip() if isinstance(cell, str) else cell)


def _s(n: int) -> str:
    return "" if n == 1 else "s"

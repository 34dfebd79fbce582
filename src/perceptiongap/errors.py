"""Exceptions and warnings raised by perceptiongap.

Every error that perceptiongap raises on purpose is a :class:`PerceptionGapError`, itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers that do not know this
library. Errors about data carry *where* the problem is (file, 1-based row as a spreadsheet
shows it, column, value) both in the message and as attributes, so that tools built on
perceptiongap can point at the offending cell.

Legal but doubtful results (an undefined correlation, a flat jackknife, summary data) emit a
:class:`PerceptionGapWarning` and are also recorded in ``GapReport.warnings``.
"""

from __future__ import annotations

__all__ = [
    "DegenerateStatisticWarning",
    "EmptyDataError",
    "InvalidArgumentError",
    "MissingColumnError",
    "PerceptionGapError",
    "PerceptionGapWarning",
    "QuestionnaireError",
    "ResponseError",
    "SummaryDataWarning",
    "UnknownLabelError",
    "ValueOffScaleError",
]


class PerceptionGapError(ValueError):
    """Base class of every error perceptiongap raises on purpose.

    It subclasses :class:`ValueError`, so code that catches ``ValueError`` catches it too.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> issubclass(pg.PerceptionGapError, ValueError)
    True
    """


class InvalidArgumentError(PerceptionGapError):
    """An argument of a public function is out of its allowed range.

    The message names the parameter in backticks and the allowed values.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> try:
    ...     pg.Likert(low=5, high=1)
    ... except pg.InvalidArgumentError as exc:
    ...     print(exc)
    `high` must be greater than `low`; got low=5, high=1.
    """


class QuestionnaireError(PerceptionGapError):
    """A questionnaire definition is invalid (duplicate item ids, unknown scale type, ...).

    Attributes
    ----------
    file : str or None
        The file the questionnaire was read from, if any.
    """

    def __init__(self, message: str, *, file: str | None = None) -> None:
        self.file = file
        super().__init__(f"{file}: {message}" if file else message)


class ResponseError(PerceptionGapError):
    """Response data do not fit the questionnaire.

    The message begins with the location (``file, row R, column 'C'``) and names the value and
    what was expected. The same facts are available as attributes.

    Attributes
    ----------
    file : str or None
        The source: a path, or ``"<records>"``, ``"<arrays>"``, ``"<frame>"``, ``"<summary>"``.
    row : int, str or None
        1-based row as a spreadsheet shows it (the CSV header is row 1, so the first data row
        is row 2); for records and arrays, the 1-based position of the record; for a summary
        table, the group.
    column : str or None
        The column (item id, group or segment column, weight column).
    value : object
        The offending value, as read.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | str | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        where = [part for part in (file,) if part]
        if row is not None:
            where.append(f"row {row!r}" if isinstance(row, str) else f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ValueOffScaleError(ResponseError):
    """An answer is not a number on the questionnaire's scale (off the scale, text, nan, inf)."""


class UnknownLabelError(ResponseError):
    """A group label or segment level is not one the questionnaire declares."""


class MissingColumnError(ResponseError):
    """A column the questionnaire needs (an item, the group, a segment, the weight) is absent."""


class EmptyDataError(ResponseError):
    """There is nothing to analyse: no data rows, or a group without respondents."""


class PerceptionGapWarning(UserWarning):
    """Base class of the warnings perceptiongap emits for legal but doubtful results.

    Each warning is also recorded, as text, in ``GapReport.warnings``.
    """


class DegenerateStatisticWarning(PerceptionGapWarning):
    """A statistic or interval is undefined or degenerate for these data.

    Examples: a constant score vector (the rank correlation is NaN), bootstrap replicates in
    which a statistic is undefined (they are left out), a flat jackknife (BCa uses a = 0).
    """


class SummaryDataWarning(PerceptionGapWarning):
    """Results come from summary data (per-item scores and group sizes), not respondents.

    Intervals then come from a parametric bootstrap that treats items as independent and the
    p-values from per-item two-sample tests.
    """

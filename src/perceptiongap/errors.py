"""Exceptions and warnings raised by perceptiongap.

Every error that perceptiongap raises on purpose is a :class:`PerceptionGapError`, itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers that do not know this
library. Errors about data carry *where* the problem is (file, 1-based row as a spreadsheet
shows it, column, value) both in the message and as attributes, so that tools built on
perceptiongap can point at the offending cell.

Legal but doubtful results (an undefined correlation, too few permutations, summary data) emit
a :class:`PerceptionGapWarning`, once each, and are also recorded in ``GapReport.warnings``.
Facts about how a report was made are not warnings: they are :class:`~perceptiongap.Note`
records in ``GapReport.notes``.
"""

from __future__ import annotations

import os

from ._visible import visible

__all__ = [
    "DegenerateStatisticWarning",
    "EmptyDataError",
    "InvalidArgumentError",
    "MissingColumnError",
    "OutputPathError",
    "PerceptionGapError",
    "PerceptionGapWarning",
    "QuestionnaireError",
    "ResponseError",
    "SummaryDataWarning",
    "UnknownLabelError",
    "UnreliableIntervalWarning",
    "ValueOffScaleError",
]


class PerceptionGapError(ValueError):
    """Base class of every error perceptiongap raises on purpose.

    It subclasses :class:`ValueError`, so code that catches ``ValueError`` catches it too.
    The message is always one line: a control character, line break or bidirectional
    override that came from the data (a file name, a label, a cell) is shown escaped, as
    ``\\n`` or ``\\x1b``; the attributes keep the values as they are.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> issubclass(pg.PerceptionGapError, ValueError)
    True
    >>> print(pg.PerceptionGapError("no group 'a\\nb'; the file is 'x\\x1b[2J.csv'"))
    no group 'a\\nb'; the file is 'x\\x1b[2J.csv'
    """

    def __str__(self) -> str:
        return visible(super().__str__())


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


class OutputPathError(PerceptionGapError):
    """A file cannot be written where asked: a directory, a missing parent directory, an
    unknown file type, or the operating system refused (permissions, a full disk).

    Nothing is left behind: perceptiongap writes every file to a temporary file in the
    target directory and renames it into place only once it is complete.

    Attributes
    ----------
    path : str
        The path as given.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    >>> try:
    ...     report.to_csv("no/such/directory/report.csv")
    ... except pg.OutputPathError as exc:
    ...     print(exc)
    ...     print(exc.path)
    no/such/directory/report.csv: cannot write it: the directory 'no/such/directory' does not exist.
    no/such/directory/report.csv
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        super().__init__(f"{self.path}: {message}")


class QuestionnaireError(PerceptionGapError):
    """A questionnaire definition is invalid (duplicate item ids, unknown scale type, ...).

    The message begins with the location (``file, line L, key path``, as far as known) and
    says what is wrong. The same facts are available as attributes.

    Attributes
    ----------
    file : str or None
        The file the questionnaire was read from, if any.
    key : str or None
        The key path of the offending value in the file or dictionary, such as
        ``items[2].id``, ``scale.high`` or ``segments.generation[0]``; None when the problem
        concerns the whole definition (a missing top-level key, a file that cannot be read).
    line : int or None
        The 1-based line of the file where the offending value (or the syntax error) is:
        known for JSON files, for TOML files where a scan of ``[table]`` headers and
        ``key = value`` lines finds it, and None for dictionaries.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> try:
    ...     pg.Questionnaire.from_dict({"scale": "binary", "groups": ["customer", "business"]},
    ...                                file="survey.json")
    ... except pg.QuestionnaireError as exc:
    ...     print(exc)
    ...     print(exc.file)
    survey.json: the key 'items' is missing.
    survey.json
    >>> try:
    ...     pg.Questionnaire.from_dict({"scale": "binary", "groups": ["customer", "business"],
    ...                                 "items": ["price", " price"]})
    ... except pg.QuestionnaireError as exc:
    ...     print(exc)
    ...     print(exc.key, exc.line)
    items[1]: an item id must be a non-empty string without surrounding spaces; got ' price'.
    items[1] None
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.line = line
        where = [part for part in (file,) if part]
        if line is not None:
            where.append(f"line {line}")
        if key:
            where.append(key)
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


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

    Examples
    --------
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "business"))
    >>> try:
    ...     pg.ResponseSet.from_records([{"group": "customer", "a": 1, "b": 0}, 42], q)
    ... except pg.ResponseError as exc:
    ...     print(exc)
    ...     print(exc.file, exc.row)
    <records>, row 2: each record must be a mapping; got int.
    <records> 2
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
    """An answer is not a number on the questionnaire's scale (off the scale, text, nan, inf).

    Examples
    --------
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "business"))
    >>> try:
    ...     pg.ResponseSet.from_arrays(q, [[1, 0], [0, 2]], ["customer", "business"])
    ... except pg.ValueOffScaleError as exc:
    ...     print(exc)
    ...     print(exc.row, exc.column, exc.value)
    <arrays>, row 2, column 'b': 2 is not a valid answer; expected 0 or 1.
    2 b 2.0
    """


class UnknownLabelError(ResponseError):
    """A group label or segment level is not one the questionnaire declares.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "business"))
    >>> try:
    ...     pg.ResponseSet.from_arrays(q, [[1, 0], [0, 1]], ["customer", "client"])
    ... except pg.UnknownLabelError as exc:
    ...     print(exc)
    ...     print(exc.row, exc.column, exc.value)
    <arrays>, row 2, column 'group': unknown group 'client'; expected one of 'customer', 'business'.
    2 group client
    """


class MissingColumnError(ResponseError):
    """A column the questionnaire needs (an item, the group, a segment, the weight) is absent.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "business"))
    >>> records = [{"group": "customer", "a": 1}, {"group": "business", "a": 0}]
    >>> try:
    ...     pg.ResponseSet.from_records(records, q)
    ... except pg.MissingColumnError as exc:
    ...     print(exc)
    ...     print(exc.column)
    <records>, column 'b': no item column 'b'; the data have: 'group', 'a'.
    b
    """


class EmptyDataError(ResponseError):
    """There is nothing to analyse: no data rows, or a group without respondents.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "business"))
    >>> try:
    ...     pg.ResponseSet.from_records([], q)
    ... except pg.EmptyDataError as exc:
    ...     print(exc)
    <records>: there are no data rows.
    >>> try:
    ...     pg.ResponseSet.from_arrays(q, [[1, 0], [0, 1]], ["customer", "customer"])
    ... except pg.EmptyDataError as exc:
    ...     print(exc.column, exc.value)
    group business
    """


class PerceptionGapWarning(UserWarning):
    """Base class of the warnings perceptiongap emits for legal but doubtful results.

    Each warning is also recorded, as text, in ``GapReport.warnings``. As Python shows it
    (``str(warning)``, the warning display of a script or a notebook) the message is one line:
    a control character, line break or bidirectional override that came from the data (a
    group, segment or level name) is shown escaped, as in :class:`PerceptionGapError`;
    ``GapReport.warnings`` keeps the text as it is, and every renderer escapes it.

    Examples
    --------
    With too few permutations no item can reach significance; :func:`perceptiongap.compare`
    warns once and records the warning in the report:

    >>> import warnings
    >>> import perceptiongap as pg
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", pg.PerceptionGapWarning)
    ...     report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                         n_resamples=0, n_permutations=20, rng=1)
    >>> [issubclass(w.category, pg.PerceptionGapWarning) for w in caught]
    [True]
    >>> print(caught[0].message)
    with 20 permutations and 12 items the smallest possible adjusted p-value is 0.571, not below 0.05: no item can be declared over- or underestimated. Use at least 240 permutations.
    >>> report.warnings == (str(caught[0].message),)
    True

    Facts about how a report was made (no test run, a group kept whole, BCa with a = 0) are
    not warnings; they are in ``report.notes``:

    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    >>> report.warnings, [note.code for note in report.notes]
    ((), ['no_test'])

    To silence the warnings in a script while keeping them in the report:

    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", pg.PerceptionGapWarning)
    ...     report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                         n_resamples=0, n_permutations=20, rng=1)
    >>> len(report.warnings)
    1
    """

    def __str__(self) -> str:
        return visible(super().__str__())


class DegenerateStatisticWarning(PerceptionGapWarning):
    """A statistic or interval is undefined or degenerate for these data.

    Cases: a constant score vector (the rank correlation is NaN), bootstrap replicates in
    which a statistic is undefined (they are left out), an empty or small group or segment
    level, too few permutations for any verdict.

    Examples
    --------
    Every item scored the same by one group makes the rank correlations undefined:

    >>> import warnings
    >>> import numpy as np
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(), groups=("c", "b"))
    >>> values = np.array([[1, 1, 1], [1, 1, 1], [1, 0, 1], [0, 0, 1]], dtype=float)
    >>> rs = pg.ResponseSet.from_arrays(q, values, ["c", "c", "b", "b"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", pg.PerceptionGapWarning)
    ...     report = pg.compare(rs, "c", "b", n_resamples=0, n_permutations=100, rng=1)
    >>> report.spearman.value
    nan
    >>> any(issubclass(w.category, pg.DegenerateStatisticWarning) for w in caught)
    True
    """


class SummaryDataWarning(PerceptionGapWarning):
    """Results come from summary data (per-item scores and group sizes), not respondents.

    Intervals then come from a parametric bootstrap that treats items as independent and the
    p-values from per-item two-sample tests.

    Examples
    --------
    >>> import warnings
    >>> import perceptiongap as pg
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", pg.PerceptionGapWarning)
    ...     report = pg.compare(pg.datasets.load_published(), "customer", "business",
    ...                         n_resamples=0)
    >>> [w.category.__name__ for w in caught]
    ['SummaryDataWarning']
    >>> report.data, report.warnings[0].startswith("summary data:")
    ('summary', True)
    """


class UnreliableIntervalWarning(DegenerateStatisticWarning):
    """An interval that the data show to be unreliable.

    Raised when an interval is undefined, of zero width or excludes its own estimate, and
    when many items are near-tied so that no interval of the rank correlations covers
    reliably. The estimate carries the reason in ``Estimate.flags``.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(items=list("abcdef"), scale=pg.Binary(), groups=("c", "b"))
    >>> rng = np.random.default_rng(0)
    >>> values = (rng.random((60, 6)) < 0.5).astype(float)   # every item near 0.5: near-tied
    >>> rs = pg.ResponseSet.from_arrays(q, values, ["c", "b"] * 30)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", pg.PerceptionGapWarning)
    ...     report = pg.compare(rs, "c", "b", n_resamples=500, rng=1)
    >>> report.spearman.flags
    ('near-tied items',)
    >>> any(w.category is pg.UnreliableIntervalWarning for w in caught)
    True
    """

"""Tests of ResponseSet: its readers, its validation of bad input, and its accessors."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from perceptiongap.datasets import example_paths, load_example

GROUPS = ("customer", "business")

LIKERT = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
BINARY = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(), groups=GROUPS)
NUMERIC = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Numeric(low=0, high=10), groups=GROUPS)
SEGMENTED = pg.Questionnaire(
    items=["a", "b", "c"],
    scale=pg.Likert(low=1, high=5),
    groups=GROUPS,
    segments={"gen": ("GenY", "GenX")},
)


def write_csv(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    """Write `text` as a UTF-8 CSV file in `tmp_path`, keeping its line endings."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def assert_located(
    error: pg.ResponseError, file: str, row: int | None, column: str | None
) -> None:
    """Check that `error` names `file`, `row` and `column` as attributes and in its message."""
    message = str(error)
    assert error.file == file
    assert error.row == row
    assert error.column == column
    assert file in message
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert f"column {column!r}" in message


def csv_error(
    tmp_path: Path,
    text: str,
    kind: type[pg.ResponseError],
    match: str,
    questionnaire: pg.Questionnaire = LIKERT,
    **options: Any,
) -> tuple[pg.ResponseError, str]:
    """Read `text` as a CSV file, expect `kind` matching `match`, return the error and path."""
    path = write_csv(tmp_path, text)
    with pytest.raises(kind, match=match) as info:
        pg.ResponseSet.from_csv(path, questionnaire, **options)
    return info.value, str(path)


GOOD_CSV = "group,a,b,c\ncustomer,1,2,3\ncustomer,5,,4\nbusiness,3,3,\n"


# -- from_csv ----------------------------------------------------------------------------------


def test_from_csv_reads_values_and_groups(tmp_path: Path) -> None:
    """from_csv reads item columns by id and empty cells as NaN."""
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, GOOD_CSV), LIKERT)
    expected = np.array([[1, 2, 3], [5, np.nan, 4], [3, 3, np.nan]])
    np.testing.assert_array_equal(rs.values, expected)
    assert rs.group_codes.tolist() == [0, 0, 1]
    assert rs.group.tolist() == ["customer", "customer", "business"]
    assert rs.n == {"customer": 2, "business": 1}
    assert rs.weights is None
    assert not rs.weighted
    assert not rs.is_summary
    assert rs.source == str(tmp_path / "survey.csv")


def test_from_csv_ignores_extra_columns_and_column_order(tmp_path: Path) -> None:
    """Columns are found by name in any order; columns the questionnaire does not use are ignored."""
    text = 'id,c,comment,a,role,b\nr1,3,hello,1,customer,2\nr2,,"a, b",3,business,3\n'
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), LIKERT, group="role")
    np.testing.assert_array_equal(rs.values, [[1, 2, 3], [3, 3, np.nan]])
    assert rs.group.tolist() == ["customer", "business"]


def test_from_csv_skips_blank_lines(tmp_path: Path) -> None:
    """Blank lines, including a trailing one, are not respondents."""
    text = "group,a,b,c\n\ncustomer,1,2,3\n\n\nbusiness,3,3,3\n\n"
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), LIKERT)
    assert len(rs) == 2
    np.testing.assert_array_equal(rs.values, [[1, 2, 3], [3, 3, 3]])


def test_from_csv_accepts_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark before the header and Windows line endings are fine."""
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.replace("\n", "\r\n").encode("utf-8"))
    rs = pg.ResponseSet.from_csv(path, LIKERT)
    assert rs.n == {"customer": 2, "business": 1}
    np.testing.assert_array_equal(rs.values[0], [1, 2, 3])


def test_from_csv_accepts_plain_decimal_forms(tmp_path: Path) -> None:
    """Surrounding spaces, a sign, a decimal point and an exponent are plain numbers."""
    text = "group,a,b,c\ncustomer, 1 ,+2,3.0\nbusiness,0.5e1,4.,5\n"
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), LIKERT)
    np.testing.assert_array_equal(rs.values, [[1, 2, 3], [5, 4, 5]])


def test_from_csv_reads_numeric_answers(tmp_path: Path) -> None:
    """A Numeric scale accepts any number between its end points, the ends included."""
    text = "group,a,b,c\ncustomer,0,2.5,10\nbusiness,9.99,.5,\n"
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), NUMERIC)
    np.testing.assert_array_equal(rs.values, [[0, 2.5, 10], [9.99, 0.5, np.nan]])


def test_from_csv_reads_weights_and_segments(tmp_path: Path) -> None:
    """A weight column and segment columns are read; an empty segment cell is not recorded."""
    text = (
        "group,gen,w,a,b,c\ncustomer,GenY,0.5,1,2,3\ncustomer,GenX,2,1,1,1\nbusiness,,1.25,2,2,2\n"
    )
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), SEGMENTED, weight="w")
    assert rs.weighted
    np.testing.assert_array_equal(rs.weights, [0.5, 2.0, 1.25])
    assert rs.segment_codes["gen"].tolist() == [0, 1, -1]
    assert rs.segment("gen").tolist() == ["GenY", "GenX", None]
    assert rs.recorded_by("gen") == ("customer",)


def test_from_csv_with_another_delimiter(tmp_path: Path) -> None:
    """A semicolon-separated file is read with delimiter=";"."""
    text = GOOD_CSV.replace(",", ";")
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), LIKERT, delimiter=";")
    assert rs.n == {"customer": 2, "business": 1}


def test_from_csv_arrays_are_read_only(tmp_path: Path) -> None:
    """Every array of a ResponseSet is read-only."""
    text = "group,gen,w,a,b,c\ncustomer,GenY,0.5,1,2,3\nbusiness,,1,2,2,2\n"
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, text), SEGMENTED, weight="w")
    assert rs.values.flags.writeable is False
    assert rs.group_codes.flags.writeable is False
    assert rs.segment_codes["gen"].flags.writeable is False
    assert rs.weights is not None
    assert rs.weights.flags.writeable is False
    with pytest.raises(ValueError, match="read-only"):
        rs.values[0, 0] = 5.0


def test_response_set_is_frozen(tmp_path: Path) -> None:
    """Assigning an attribute of a ResponseSet raises FrozenInstanceError."""
    rs = pg.ResponseSet.from_csv(write_csv(tmp_path, GOOD_CSV), LIKERT)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        rs.source = "elsewhere"  # type: ignore[misc]


def test_bundled_example_reads() -> None:
    """The bundled simulated IBM responses read with 1,056 customers and 351 executives."""
    q = pg.Questionnaire.from_file(example_paths().questionnaire)
    rs = pg.ResponseSet.from_csv(example_paths().responses, q, group="role", weight="weight")
    assert rs.n == {"customer": 1056, "business": 351}
    assert rs.values.shape == (1407, 12)
    assert set(np.unique(rs.values[~np.isnan(rs.values)])) <= {0.0, 1.0}
    assert rs.weights is not None
    assert np.all(rs.weights > 0)
    assert rs.recorded_by("generation") == ("customer",)


# -- from_csv: bad input, one test per case -----------------------------------------------------


@pytest.mark.parametrize(
    ("questionnaire", "cell", "value"),
    [
        (BINARY, "2", 2.0),
        (BINARY, "-1", -1.0),
        (BINARY, "0.5", 0.5),
        (LIKERT, "6", 6.0),
        (LIKERT, "0", 0.0),
        (LIKERT, "3.5", 3.5),
        (NUMERIC, "11", 11.0),
        (NUMERIC, "-0.1", -0.1),
    ],
    ids=[
        "binary-2",
        "binary-minus-1",
        "binary-half",
        "likert-6",
        "likert-0",
        "likert-3.5",
        "numeric-11",
        "numeric-negative",
    ],
)
def test_from_csv_value_off_the_scale(
    tmp_path: Path, questionnaire: pg.Questionnaire, cell: str, value: float
) -> None:
    """An answer off the scale raises ValueOffScaleError naming file, row, column and the allowed answers."""
    text = f"group,a,b,c\ncustomer,1,1,1\nbusiness,1,{cell},1\n"
    error, path = csv_error(
        tmp_path, text, pg.ValueOffScaleError, "is not a valid answer", questionnaire
    )
    assert_located(error, path, 3, "b")
    assert float(error.value) == value  # type: ignore[arg-type]
    assert questionnaire.scale.describe() in str(error)


@pytest.mark.parametrize("cell", ["yes", "1 2", "3,0", "one", "$3", "0x1", "1/2"])
def test_from_csv_text_that_is_not_a_number(tmp_path: Path, cell: str) -> None:
    """Text that is not a plain number raises ValueOffScaleError with the text as value."""
    quoted = '"' + cell + '"'
    text = f"group,a,b,c\ncustomer,1,1,1\nbusiness,1,1,{quoted}\n"
    error, path = csv_error(tmp_path, text, pg.ValueOffScaleError, "is not a number")
    assert_located(error, path, 3, "c")
    assert error.value == cell


@pytest.mark.parametrize("cell", ["nan", "NaN", "NAN", "inf", "-inf", "Infinity", "1_0", "1e400"])
def test_from_csv_special_float_spellings(tmp_path: Path, cell: str) -> None:
    """nan, inf and other spellings Python's float() accepts are not answers."""
    text = f"group,a,b,c\ncustomer,1,1,1\nbusiness,{cell},1,1\n"
    error, path = csv_error(tmp_path, text, pg.ValueOffScaleError, "not")
    assert_located(error, path, 3, "a")
    assert cell in str(error) or "inf" in str(error)


def test_from_csv_nan_hint_says_to_leave_the_cell_empty(tmp_path: Path) -> None:
    """A written-out NaN is refused with a hint to leave the cell empty."""
    text = "group,a,b,c\ncustomer,1,NaN,1\nbusiness,1,1,1\n"
    error, _ = csv_error(tmp_path, text, pg.ValueOffScaleError, "leave the cell empty")
    assert error.value == "NaN"


def test_from_csv_unknown_group_label(tmp_path: Path) -> None:
    """An unknown group label raises UnknownLabelError listing the known groups."""
    text = "group,a,b,c\ncustomer,1,1,1\nexecutive,1,1,1\nbusiness,1,1,1\n"
    error, path = csv_error(
        tmp_path, text, pg.UnknownLabelError, "unknown group 'executive'; expected one of"
    )
    assert_located(error, path, 3, "group")
    assert "'customer', 'business'" in str(error)
    assert error.value == "executive"


def test_from_csv_group_labels_are_case_sensitive(tmp_path: Path) -> None:
    """A group label differing only in case is unknown."""
    text = "group,a,b,c\nCustomer,1,1,1\nbusiness,1,1,1\n"
    error, path = csv_error(tmp_path, text, pg.UnknownLabelError, "unknown group 'Customer'")
    assert_located(error, path, 2, "group")


def test_from_csv_missing_group_label(tmp_path: Path) -> None:
    """An empty group cell raises UnknownLabelError saying the group is missing."""
    text = "group,a,b,c\ncustomer,1,1,1\nbusiness,1,1,1\n,1,1,1\n"
    error, path = csv_error(tmp_path, text, pg.UnknownLabelError, "the group is missing")
    assert_located(error, path, 4, "group")
    assert "'customer', 'business'" in str(error)


def test_from_csv_unknown_segment_level(tmp_path: Path) -> None:
    """An unknown segment level raises UnknownLabelError listing the known levels."""
    text = "group,gen,a,b,c\ncustomer,GenY,1,1,1\ncustomer,GenZ,1,1,1\nbusiness,,1,1,1\n"
    error, path = csv_error(tmp_path, text, pg.UnknownLabelError, "GenZ", SEGMENTED)
    assert_located(error, path, 3, "gen")
    assert "'GenY', 'GenX'" in str(error)
    assert error.value == "GenZ"


@pytest.mark.parametrize(
    ("header", "row", "column", "options"),
    [
        ("group,gen,a,c", "customer,GenY,1,1", "b", {}),
        ("role,gen,a,b,c", "customer,GenY,1,1,1", "group", {}),
        ("group,a,b,c", "customer,1,1,1", "gen", {}),
        ("group,gen,a,b,c", "customer,GenY,1,1,1", "w", {"weight": "w"}),
    ],
    ids=["item", "group", "segment", "weight"],
)
def test_from_csv_missing_column(
    tmp_path: Path, header: str, row: str, column: str, options: dict[str, str]
) -> None:
    """A missing item, group, segment or weight column raises MissingColumnError at row 1."""
    text = f"{header}\n{row}\n"
    error, path = csv_error(
        tmp_path, text, pg.MissingColumnError, f"column '{column}'", SEGMENTED, **options
    )
    assert_located(error, path, 1, column)
    assert "the data have" in str(error)


def test_from_csv_header_only(tmp_path: Path) -> None:
    """A file with a header and no data rows raises EmptyDataError naming the file."""
    error, path = csv_error(tmp_path, "group,a,b,c\n", pg.EmptyDataError, "no data rows")
    assert error.file == path
    assert path in str(error)


def test_from_csv_header_and_blank_lines_only(tmp_path: Path) -> None:
    """A header followed only by blank lines has no data rows."""
    error, path = csv_error(tmp_path, "group,a,b,c\n\n\n", pg.EmptyDataError, "no data rows")
    assert error.file == path


def test_from_csv_empty_file(tmp_path: Path) -> None:
    """An empty file raises EmptyDataError naming the file."""
    error, path = csv_error(tmp_path, "", pg.EmptyDataError, "the file is empty")
    assert error.file == path
    assert path in str(error)


def test_from_csv_group_without_respondents(tmp_path: Path) -> None:
    """A questionnaire group with no respondents raises EmptyDataError naming it."""
    text = "group,a,b,c\ncustomer,1,1,1\ncustomer,2,2,2\n"
    error, path = csv_error(
        tmp_path, text, pg.EmptyDataError, "group 'business' has no respondents"
    )
    assert error.file == path
    assert error.column == "group"
    assert error.value == "business"
    assert path in str(error)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("", "missing"), ("heavy", "'heavy'"), ("0", "0"), ("-1.5", "-1.5"), ("inf", "'inf'")],
    ids=["missing", "non-numeric", "zero", "negative", "infinite"],
)
def test_from_csv_bad_weight(tmp_path: Path, cell: str, shown: str) -> None:
    """A missing, non-numeric, zero, negative or infinite weight raises ValueOffScaleError naming the weight column."""
    text = f"group,a,b,c,w\ncustomer,1,1,1,1\nbusiness,1,1,1,{cell}\n"
    error, path = csv_error(tmp_path, text, pg.ValueOffScaleError, shown, weight="w")
    assert_located(error, path, 3, "w")
    if cell in ("", "inf", "heavy"):
        assert error.value in (None, "", cell)
    else:
        assert float(error.value) == float(cell)  # type: ignore[arg-type]


def test_from_csv_weight_that_overflows_to_infinity(tmp_path: Path) -> None:
    """A weight too large for a float (1e400) is infinite and refused."""
    text = "group,a,b,c,w\ncustomer,1,1,1,1\nbusiness,1,1,1,1e400\n"
    error, path = csv_error(tmp_path, text, pg.ValueOffScaleError, "weight", weight="w")
    assert_located(error, path, 3, "w")


@pytest.mark.parametrize("row", ["business,1,1", "business,1,1,1,1"], ids=["short", "long"])
def test_from_csv_ragged_row(tmp_path: Path, row: str) -> None:
    """A row with a different number of fields than the header raises ResponseError naming the row."""
    text = f"group,a,b,c\ncustomer,1,1,1\n{row}\n"
    error, path = csv_error(tmp_path, text, pg.ResponseError, "fields but the header has 4")
    assert_located(error, path, 3, None)


def test_from_csv_duplicated_header_column(tmp_path: Path) -> None:
    """A header naming a column twice raises ResponseError at row 1."""
    text = "group,a,b,a,c\ncustomer,1,1,1,1\nbusiness,1,1,1,1\n"
    error, path = csv_error(tmp_path, text, pg.ResponseError, "names column 'a' twice")
    assert_located(error, path, 1, "a")


def test_from_csv_rows_count_blank_lines_like_a_spreadsheet(tmp_path: Path) -> None:
    """Rows in errors are the rows a spreadsheet shows, so blank lines count."""
    text = "group,a,b,c\n\ncustomer,1,1,1\n\nbusiness,1,9,1\n"
    error, path = csv_error(tmp_path, text, pg.ValueOffScaleError, "9 is not a valid answer")
    assert_located(error, path, 5, "b")


def test_from_csv_rows_after_a_multi_line_cell(tmp_path: Path) -> None:
    """A quoted cell spanning two lines is one spreadsheet row, so later rows are not shifted."""
    text = 'note,group,a,b,c\n"first line\nsecond line",customer,1,1,1\nok,business,1,9,1\n'
    error, path = csv_error(tmp_path, text, pg.ValueOffScaleError, "9 is not a valid answer")
    assert_located(error, path, 3, "b")


def test_from_csv_missing_file(tmp_path: Path) -> None:
    """A file that does not exist raises a ResponseError naming it."""
    path = tmp_path / "absent.csv"
    with pytest.raises(pg.ResponseError, match="cannot read the file") as info:
        pg.ResponseSet.from_csv(path, LIKERT)
    assert info.value.file == str(path)


def test_from_csv_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not valid in the encoding raise ResponseError naming the file."""
    path = tmp_path / "latin1.csv"
    path.write_bytes("group,a,b,c,note\ncustomer,1,1,1,café\nbusiness,1,1,1,x\n".encode("latin-1"))
    with pytest.raises(pg.ResponseError, match="not valid utf-8-sig text") as info:
        pg.ResponseSet.from_csv(path, LIKERT)
    assert info.value.file == str(path)
    rs = pg.ResponseSet.from_csv(path, LIKERT, encoding="latin-1")
    assert len(rs) == 2


def test_response_errors_are_value_errors() -> None:
    """Every response error is a ResponseError, a PerceptionGapError and a ValueError."""
    for kind in (
        pg.ValueOffScaleError,
        pg.UnknownLabelError,
        pg.MissingColumnError,
        pg.EmptyDataError,
    ):
        assert issubclass(kind, pg.ResponseError)
    assert issubclass(pg.ResponseError, pg.PerceptionGapError)
    assert issubclass(pg.ResponseError, ValueError)


# -- from_records ------------------------------------------------------------------------------


def test_from_records_reads_values() -> None:
    """from_records reads one mapping per respondent; None, "" and NaN are missing; extra keys are ignored."""
    records = [
        {"group": "customer", "a": 1, "b": None, "c": 3, "extra": "x"},
        {"group": "customer", "a": "2", "b": 4.0, "c": ""},
        {"group": "business", "a": 5, "b": float("nan"), "c": 1},
        {"group": "business", "a": 3, "c": 2},
    ]
    rs = pg.ResponseSet.from_records(records, LIKERT)
    expected = [[1, np.nan, 3], [2, 4, np.nan], [5, np.nan, 1], [3, np.nan, 2]]
    np.testing.assert_array_equal(rs.values, expected)
    assert rs.n == {"customer": 2, "business": 2}
    assert rs.source == "<records>"


def test_from_records_nan_and_empty_string_in_one_column() -> None:
    """A column mixing float NaN and empty strings reads both as missing."""
    records = [
        {"group": "customer", "a": 1, "b": float("nan"), "c": 3},
        {"group": "business", "a": 2, "b": "", "c": 3},
    ]
    rs = pg.ResponseSet.from_records(records, LIKERT)
    assert np.isnan(rs.values[:, 1]).all()


def test_from_records_accepts_a_generator_and_weights() -> None:
    """Records may come from a generator, with a weight key."""
    records = (
        {"role": g, "a": 1, "b": 2, "c": 3, "w": w}
        for g, w in [("customer", 1.0), ("business", 2.5)]
    )
    rs = pg.ResponseSet.from_records(records, LIKERT, group="role", weight="w")
    np.testing.assert_array_equal(rs.weights, [1.0, 2.5])


def test_from_records_copies_its_input() -> None:
    """Changing the records after reading does not change the ResponseSet."""
    records = [
        {"group": "customer", "a": 1, "b": 2, "c": 3},
        {"group": "business", "a": 2, "b": 2, "c": 2},
    ]
    rs = pg.ResponseSet.from_records(records, LIKERT)
    records[0]["a"] = 5
    records[1]["group"] = "customer"
    assert rs.values[0, 0] == 1.0
    assert rs.n == {"customer": 1, "business": 1}


@pytest.mark.parametrize(
    ("bad", "kind", "column", "match"),
    [
        ({"b": 6}, pg.ValueOffScaleError, "b", "6 is not a valid answer"),
        ({"b": 2.5}, pg.ValueOffScaleError, "b", "2.5 is not a valid answer"),
        ({"b": "yes"}, pg.ValueOffScaleError, "b", "'yes' is not a number"),
        ({"b": float("inf")}, pg.ValueOffScaleError, "b", "finite"),
        ({"b": "nan"}, pg.ValueOffScaleError, "b", "leave the cell empty"),
        ({"group": "executive"}, pg.UnknownLabelError, "group", "unknown group 'executive'"),
        ({"group": None}, pg.UnknownLabelError, "group", "the group is missing"),
        ({"group": ""}, pg.UnknownLabelError, "group", "the group is missing"),
    ],
    ids=[
        "off-scale",
        "fraction",
        "text",
        "inf",
        "nan-text",
        "unknown-group",
        "none-group",
        "empty-group",
    ],
)
def test_from_records_bad_value(
    bad: dict[str, Any], kind: type[pg.ResponseError], column: str, match: str
) -> None:
    """A bad value in the third record names record 3 and its key."""
    records = [
        {"group": "customer", "a": 1, "b": 1, "c": 1},
        {"group": "business", "a": 1, "b": 1, "c": 1},
        {"group": "business", "a": 1, "b": 1, "c": 1, **bad},
    ]
    with pytest.raises(kind, match=match) as info:
        pg.ResponseSet.from_records(records, LIKERT)
    assert_located(info.value, "<records>", 3, column)


def test_from_records_unknown_segment_level() -> None:
    """An unknown segment level in a record raises UnknownLabelError."""
    records = [
        {"group": "customer", "a": 1, "b": 1, "c": 1, "gen": "GenY"},
        {"group": "business", "a": 1, "b": 1, "c": 1, "gen": "Millennial"},
    ]
    with pytest.raises(pg.UnknownLabelError, match="'Millennial'") as info:
        pg.ResponseSet.from_records(records, SEGMENTED)
    assert_located(info.value, "<records>", 2, "gen")


@pytest.mark.parametrize("weight", [None, "", "x", 0, -2, float("inf"), float("nan")])
def test_from_records_bad_weight(weight: object) -> None:
    """A missing, non-numeric, non-positive or non-finite weight raises ValueOffScaleError."""
    records = [
        {"group": "customer", "a": 1, "b": 1, "c": 1, "w": 1.0},
        {"group": "business", "a": 1, "b": 1, "c": 1, "w": weight},
    ]
    with pytest.raises(pg.ValueOffScaleError) as info:
        pg.ResponseSet.from_records(records, LIKERT, weight="w")
    assert_located(info.value, "<records>", 2, "w")


@pytest.mark.parametrize(
    ("keys", "column", "options"),
    [
        (("group", "a", "b"), "c", {}),
        (("role", "a", "b", "c"), "group", {}),
        (("group", "a", "b", "c"), "w", {"weight": "w"}),
    ],
    ids=["item", "group", "weight"],
)
def test_from_records_missing_key(
    keys: tuple[str, ...], column: str, options: dict[str, str]
) -> None:
    """A key that no record has raises MissingColumnError naming it."""
    records = [dict.fromkeys(keys, 1), dict.fromkeys(keys, 1)]
    with pytest.raises(pg.MissingColumnError, match=f"column '{column}'") as info:
        pg.ResponseSet.from_records(records, LIKERT, **options)
    assert info.value.file == "<records>"
    assert info.value.column == column


def test_from_records_non_mapping_record() -> None:
    """A record that is not a mapping raises ResponseError naming its position."""
    records = [{"group": "customer", "a": 1, "b": 1, "c": 1}, ["business", 1, 1, 1]]
    with pytest.raises(pg.ResponseError, match="must be a mapping; got list") as info:
        pg.ResponseSet.from_records(records, LIKERT)  # type: ignore[list-item]
    assert_located(info.value, "<records>", 2, None)


def test_from_records_group_without_respondents() -> None:
    """Records from one group only raise EmptyDataError for the other group."""
    records = [{"group": "customer", "a": 1, "b": 1, "c": 1}]
    with pytest.raises(pg.EmptyDataError, match="group 'business' has no respondents"):
        pg.ResponseSet.from_records(records, LIKERT)


def test_from_records_empty() -> None:
    """No records at all raises EmptyDataError."""
    with pytest.raises(pg.EmptyDataError, match="no data"):
        pg.ResponseSet.from_records([], LIKERT)


# -- from_arrays -------------------------------------------------------------------------------


def test_from_arrays_reads_values_segments_and_weights() -> None:
    """from_arrays takes an (n, k) matrix, n labels, optional segments and weights."""
    values = np.array([[1, 2, 3], [4, np.nan, 5], [2, 2, 2]])
    rs = pg.ResponseSet.from_arrays(
        SEGMENTED,
        values,
        ["customer", "customer", "business"],
        segments={"gen": ["GenX", "GenY", None]},
        weights=[1.0, 0.5, 2.0],
    )
    np.testing.assert_array_equal(rs.values, values)
    assert rs.segment("gen").tolist() == ["GenX", "GenY", None]
    np.testing.assert_array_equal(rs.weights, [1.0, 0.5, 2.0])
    assert rs.source == "<arrays>"
    assert rs.values.dtype == np.float64


def test_from_arrays_without_segment_arrays_records_none() -> None:
    """Segments left out of from_arrays are recorded for nobody."""
    rs = pg.ResponseSet.from_arrays(SEGMENTED, [[1, 1, 1], [2, 2, 2]], ["customer", "business"])
    assert rs.segment("gen").tolist() == [None, None]
    assert rs.recorded_by("gen") == ()


def test_from_arrays_copies_its_input() -> None:
    """Changing the caller's arrays afterwards does not change the ResponseSet."""
    values = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 1.0]])
    groups = np.array(["customer", "business"])
    weights = np.array([1.0, 2.0])
    levels = np.array(["GenY", "GenX"], dtype=object)
    rs = pg.ResponseSet.from_arrays(SEGMENTED, values, groups, {"gen": levels}, weights)
    values[:] = 5.0
    groups[:] = "customer"
    weights[:] = 9.0
    levels[:] = "GenX"
    np.testing.assert_array_equal(rs.values, [[1, 2, 3], [4, 5, 1]])
    assert rs.n == {"customer": 1, "business": 1}
    np.testing.assert_array_equal(rs.weights, [1.0, 2.0])
    assert rs.segment("gen").tolist() == ["GenY", "GenX"]
    assert rs.values.flags.writeable is False
    assert rs.weights is not None
    assert rs.weights.flags.writeable is False


@pytest.mark.parametrize(
    ("values", "groups", "extra", "match"),
    [
        ([1, 2, 3], ["customer"], {}, r"`values` must have shape \(n, 3\)"),
        ([[1, 2], [1, 2]], ["customer", "business"], {}, r"`values` must have shape \(n, 3\)"),
        ([[[1, 2, 3]]], ["customer"], {}, "`values` must have shape"),
        ([[1, 2, 3], [1, 2, 3]], ["customer"], {}, "`groups` must hold one label per row"),
        ([[1, 2, 3], [1, 2, 3]], "cb", {}, "`groups` must hold one label per row"),
        (
            [[1, 2, 3], [1, 2, 3]],
            ["customer", "business"],
            {"weights": [1.0]},
            "`weights` must hold one weight per row",
        ),
        (
            [[1, 2, 3], [1, 2, 3]],
            ["customer", "business"],
            {"segments": {"gen": ["GenY"]}},
            "must hold one level per row",
        ),
        (
            [[1, 2, 3], [1, 2, 3]],
            ["customer", "business"],
            {"segments": {"age": ["x", "y"]}},
            "`segments` names 'age'",
        ),
    ],
    ids=[
        "1d",
        "wrong-k",
        "3d",
        "short-groups",
        "string-groups",
        "short-weights",
        "short-segment",
        "unknown-segment",
    ],
)
def test_from_arrays_wrong_shapes(
    values: Any, groups: Any, extra: dict[str, Any], match: str
) -> None:
    """Arrays of the wrong shape raise InvalidArgumentError."""
    with pytest.raises(pg.InvalidArgumentError, match=match):
        pg.ResponseSet.from_arrays(SEGMENTED, values, groups, **extra)


@pytest.mark.parametrize(
    ("questionnaire", "value", "match"),
    [
        (BINARY, 2.0, "2 is not a valid answer; expected 0 or 1"),
        (LIKERT, 6.0, "6 is not a valid answer; expected an integer from 1 to 5"),
        (LIKERT, 3.5, "3.5 is not a valid answer"),
        (NUMERIC, 11.0, "11 is not a valid answer; expected a number from 0 to 10"),
        (NUMERIC, np.inf, "inf"),
        (NUMERIC, -np.inf, "inf"),
    ],
    ids=["binary-2", "likert-6", "likert-3.5", "numeric-11", "inf", "minus-inf"],
)
def test_from_arrays_value_off_the_scale(
    questionnaire: pg.Questionnaire, value: float, match: str
) -> None:
    """A value off the scale raises ValueOffScaleError naming the 1-based row and the item."""
    values = np.ones((3, 3))
    values[2, 1] = value
    with pytest.raises(pg.ValueOffScaleError, match=match) as info:
        pg.ResponseSet.from_arrays(questionnaire, values, ["customer", "business", "business"])
    assert_located(info.value, "<arrays>", 3, "b")
    assert info.value.value == value
    assert "np.float64" not in str(info.value)


def test_from_arrays_text_in_values() -> None:
    """A string that is not a number in `values` raises ValueOffScaleError."""
    values = [[1, 2, 3], [1, "x", 3]]
    with pytest.raises(pg.ValueOffScaleError, match="'x' is not a number") as info:
        pg.ResponseSet.from_arrays(LIKERT, values, ["customer", "business"])
    assert_located(info.value, "<arrays>", 2, "b")


def test_from_arrays_nan_is_missing() -> None:
    """NaN in `values` is a missing answer."""
    rs = pg.ResponseSet.from_arrays(BINARY, [[1, np.nan, 0], [0, 1, 1]], ["customer", "business"])
    assert np.isnan(rs.values[0, 1])


@pytest.mark.parametrize(
    ("groups", "kind", "match", "row"),
    [
        (["customer", "executive"], pg.UnknownLabelError, "unknown group 'executive'", 2),
        ([None, "business"], pg.UnknownLabelError, "the group is missing", 1),
        (["customer", "customer"], pg.EmptyDataError, "group 'business' has no respondents", None),
    ],
    ids=["unknown", "missing", "empty-group"],
)
def test_from_arrays_bad_groups(
    groups: list[Any], kind: type[pg.ResponseError], match: str, row: int | None
) -> None:
    """Unknown, missing or absent group labels raise the matching ResponseError."""
    with pytest.raises(kind, match=match) as info:
        pg.ResponseSet.from_arrays(LIKERT, [[1, 1, 1], [1, 1, 1]], groups)
    assert info.value.file == "<arrays>"
    assert info.value.row == row
    assert info.value.column == "group"


@pytest.mark.parametrize("weight", [0.0, -1.0, np.inf, np.nan])
def test_from_arrays_bad_weight(weight: float) -> None:
    """A non-positive, infinite or missing weight raises ValueOffScaleError for column 'weights'."""
    with pytest.raises(pg.ValueOffScaleError, match="weight") as info:
        pg.ResponseSet.from_arrays(
            LIKERT, [[1, 1, 1], [1, 1, 1]], ["customer", "business"], weights=[1.0, weight]
        )
    assert_located(info.value, "<arrays>", 2, "weights")


def test_from_arrays_unknown_segment_level() -> None:
    """An unknown segment level raises UnknownLabelError naming the row and segment."""
    with pytest.raises(pg.UnknownLabelError, match="'Gen Z'") as info:
        pg.ResponseSet.from_arrays(
            SEGMENTED,
            [[1, 1, 1], [1, 1, 1]],
            ["customer", "business"],
            segments={"gen": ["GenY", "Gen Z"]},
        )
    assert_located(info.value, "<arrays>", 2, "gen")


def test_from_arrays_no_rows() -> None:
    """Zero respondents raise EmptyDataError."""
    with pytest.raises(pg.EmptyDataError, match="no data rows"):
        pg.ResponseSet.from_arrays(LIKERT, np.empty((0, 3)), [])


def test_response_set_constructor_checks_shapes() -> None:
    """Building a ResponseSet by hand with inconsistent arrays raises InvalidArgumentError."""
    with pytest.raises(pg.InvalidArgumentError, match="readers"):
        pg.ResponseSet(questionnaire=LIKERT, values=np.ones((2, 2)), group_codes=[0, 1])
    with pytest.raises(pg.InvalidArgumentError, match="readers"):
        pg.ResponseSet(questionnaire=LIKERT, values=np.ones((2, 3)), group_codes=[0])


# -- from_frame --------------------------------------------------------------------------------


def test_from_frame_pandas() -> None:
    """A pandas DataFrame is read like records; None and NaN are missing."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "role": ["customer", "business", "customer"],
            "a": [1, None, 3],
            "b": [np.nan, 2.0, 5.0],
            "c": [1, 2, 3],
            "gen": ["GenY", None, np.nan],
            "other": ["x", "y", "z"],
        }
    )
    rs = pg.ResponseSet.from_frame(frame, SEGMENTED, group="role")
    np.testing.assert_array_equal(rs.values, [[1, np.nan, 1], [np.nan, 2, 2], [3, 5, 3]])
    assert rs.group.tolist() == ["customer", "business", "customer"]
    assert rs.segment("gen").tolist() == ["GenY", None, None]
    assert rs.source == "<frame>"


def test_from_frame_pandas_nullable_dtypes() -> None:
    """pandas.NA in nullable integer, string and object columns is missing."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "group": pd.array(["customer", "business"], dtype="string"),
            "a": pd.array([1, None], dtype="Int64"),
            "b": pd.Series([pd.NA, 2], dtype=object),
            "c": [1, 2],
            "gen": pd.array(["GenY", None], dtype="string"),
        }
    )
    rs = pg.ResponseSet.from_frame(frame, SEGMENTED)
    np.testing.assert_array_equal(rs.values, [[1, np.nan, 1], [np.nan, 2, 2]])
    assert rs.segment("gen").tolist() == ["GenY", None]


def test_from_frame_pandas_weights_and_rows() -> None:
    """Weights are read from a pandas column and rows in errors are 1-based positions."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "group": ["customer", "business"],
            "a": [1, 1],
            "b": [1, 1],
            "c": [1, 1],
            "w": [1.0, 3.0],
        },
        index=[10, 20],
    )
    rs = pg.ResponseSet.from_frame(frame, LIKERT, weight="w")
    np.testing.assert_array_equal(rs.weights, [1.0, 3.0])
    frame.loc[20, "b"] = 7
    with pytest.raises(pg.ValueOffScaleError, match="7 is not a valid answer") as info:
        pg.ResponseSet.from_frame(frame, LIKERT, weight="w")
    assert_located(info.value, "<frame>", 2, "b")
    assert rs.values[1, 1] == 1.0


def test_from_frame_pandas_missing_column() -> None:
    """A pandas frame without an item column raises MissingColumnError."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"group": ["customer", "business"], "a": [1, 1], "b": [1, 1]})
    with pytest.raises(pg.MissingColumnError, match="no item column 'c'") as info:
        pg.ResponseSet.from_frame(frame, LIKERT)
    assert info.value.file == "<frame>"
    assert info.value.column == "c"


def test_from_frame_polars() -> None:
    """A polars DataFrame is read; null and NaN are missing."""
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(
        {
            "group": ["customer", "business", "customer"],
            "a": [1, None, 3],
            "b": [float("nan"), 2.0, 5.0],
            "c": [1, 2, 3],
            "gen": ["GenX", None, "GenY"],
            "w": [1.0, 2.0, 0.5],
        }
    )
    rs = pg.ResponseSet.from_frame(frame, SEGMENTED, weight="w")
    np.testing.assert_array_equal(rs.values, [[1, np.nan, 1], [np.nan, 2, 2], [3, 5, 3]])
    assert rs.segment("gen").tolist() == ["GenX", None, "GenY"]
    np.testing.assert_array_equal(rs.weights, [1.0, 2.0, 0.5])


def test_from_frame_polars_unknown_group() -> None:
    """An unknown group label in a polars frame raises UnknownLabelError at its 1-based row."""
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(
        {
            "group": ["customer", "business", "unknown"],
            "a": [1, 1, 1],
            "b": [1, 1, 1],
            "c": [1, 1, 1],
        }
    )
    with pytest.raises(pg.UnknownLabelError, match="unknown group 'unknown'") as info:
        pg.ResponseSet.from_frame(frame, LIKERT)
    assert_located(info.value, "<frame>", 3, "group")


@pytest.mark.parametrize(
    "frame",
    [{"group": ["customer"], "a": [1]}, [[1, 2, 3]], np.ones((2, 3)), None],
    ids=["dict", "list", "ndarray", "none"],
)
def test_from_frame_rejects_non_frames(frame: object) -> None:
    """Anything but a pandas or polars DataFrame raises TypeError."""
    with pytest.raises(TypeError, match="must be a pandas or polars DataFrame"):
        pg.ResponseSet.from_frame(frame, LIKERT)


def test_from_frame_rejects_a_pandas_series() -> None:
    """A pandas Series is not a DataFrame."""
    pd = pytest.importorskip("pandas")
    with pytest.raises(TypeError, match="must be a pandas or polars DataFrame"):
        pg.ResponseSet.from_frame(pd.Series([1, 2]), LIKERT)


# -- from_summary ------------------------------------------------------------------------------


def summary_table(**changes: Any) -> dict[str, Any]:
    """A valid two-group summary of the BINARY questionnaire, with group entries replaced."""
    table: dict[str, Any] = {
        "customer": {"n": 1056, "scores": {"a": 0.61, "b": 0.55, "c": 0.22}},
        "business": {
            "n": 351,
            "scores": {"a": 0.6, "b": 0.65, "c": 0.7},
            "item_n": {"a": 340, "b": 351, "c": 300},
        },
    }
    table.update(changes)
    return table


def test_from_summary_reads_figures() -> None:
    """from_summary stores group sizes, scores and per-item n (defaulting to n) in a SummaryTable."""
    rs = pg.ResponseSet.from_summary(BINARY, summary_table())
    assert isinstance(rs, pg.SummaryTable)
    assert rs.is_summary
    assert rs.n == {"customer": 1056, "business": 351}
    assert len(rs) == 1407
    np.testing.assert_array_equal(rs.scores, [[0.61, 0.55, 0.22], [0.6, 0.65, 0.7]])
    np.testing.assert_array_equal(rs.item_n, [[1056, 1056, 1056], [340, 351, 300]])
    assert np.isnan(rs.sd).all()
    assert rs.scores.flags.writeable is False
    assert repr(rs) == (
        "<SummaryTable: 1407 respondents (customer 1056, business 351), 3 items, "
        "binary scale, from <summary>>"
    )


def test_from_summary_likert_with_sd() -> None:
    """A Likert summary keeps the per-item standard deviations it is given."""
    table = {
        "customer": {"n": 10, "scores": {"a": 3.5, "b": 1, "c": 5}, "sd": {"a": 1.2, "b": 0}},
        "business": {"n": 12, "scores": {"a": 4, "b": 2.5, "c": 4.5}},
    }
    rs = pg.ResponseSet.from_summary(LIKERT, table)
    np.testing.assert_array_equal(rs.sd[0], [1.2, 0.0, np.nan])
    assert np.isnan(rs.sd[1]).all()


def test_from_summary_percentage_suggests_a_share() -> None:
    """A Binary score of 61 raises ValueOffScaleError suggesting 0.61."""
    table = summary_table(customer={"n": 1056, "scores": {"a": 61, "b": 0.55, "c": 0.22}})
    with pytest.raises(pg.ValueOffScaleError, match=r"did you mean 0\.61\?") as info:
        pg.ResponseSet.from_summary(BINARY, table)
    assert info.value.file == "<summary>"
    assert info.value.column == "a"
    assert info.value.value == 61
    assert "'customer'" in str(info.value)


def test_from_summary_likert_mean_off_the_scale() -> None:
    """A Likert mean outside the scale raises ValueOffScaleError."""
    table = {
        "customer": {"n": 10, "scores": {"a": 3.5, "b": 6, "c": 5}},
        "business": {"n": 12, "scores": {"a": 4, "b": 2.5, "c": 4.5}},
    }
    with pytest.raises(pg.ValueOffScaleError, match="a mean from 1 to 5") as info:
        pg.ResponseSet.from_summary(LIKERT, table)
    assert info.value.column == "b"


def test_from_summary_unknown_group() -> None:
    """A group the questionnaire does not declare raises UnknownLabelError."""
    table = summary_table(executive={"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": 0.5}})
    with pytest.raises(pg.UnknownLabelError, match="unknown group 'executive'") as info:
        pg.ResponseSet.from_summary(BINARY, table)
    assert info.value.file == "<summary>"
    assert info.value.value == "executive"


def test_from_summary_missing_item_score() -> None:
    """A group without a score for an item raises MissingColumnError naming the item."""
    table = summary_table(business={"n": 351, "scores": {"a": 0.6, "b": 0.65}})
    with pytest.raises(pg.MissingColumnError, match="no score for this item") as info:
        pg.ResponseSet.from_summary(BINARY, table)
    assert info.value.column == "c"
    assert "'business'" in str(info.value)


def test_from_summary_item_n_larger_than_n() -> None:
    """An item_n above the group size raises ValueOffScaleError."""
    table = summary_table(
        business={"n": 351, "scores": {"a": 0.6, "b": 0.6, "c": 0.6}, "item_n": {"b": 352}}
    )
    with pytest.raises(
        pg.ValueOffScaleError, match="item_n must be an integer from 1 to n=351"
    ) as info:
        pg.ResponseSet.from_summary(BINARY, table)
    assert info.value.column == "b"
    assert info.value.value == 352


def test_from_summary_negative_sd() -> None:
    """A negative standard deviation raises ValueOffScaleError."""
    table = {
        "customer": {"n": 10, "scores": {"a": 3, "b": 3, "c": 3}, "sd": {"c": -0.5}},
        "business": {"n": 12, "scores": {"a": 4, "b": 2.5, "c": 4.5}},
    }
    with pytest.raises(pg.ValueOffScaleError, match="sd must be a non-negative") as info:
        pg.ResponseSet.from_summary(LIKERT, table)
    assert info.value.column == "c"


def test_from_summary_sd_for_binary() -> None:
    """Standard deviations given for a Binary scale raise ResponseError."""
    table = summary_table(
        customer={"n": 1056, "scores": {"a": 0.6, "b": 0.5, "c": 0.2}, "sd": {"a": 0.1}}
    )
    with pytest.raises(pg.ResponseError, match="'sd' is not used for a Binary scale"):
        pg.ResponseSet.from_summary(BINARY, table)


@pytest.mark.parametrize(
    "table",
    [
        {"customer": {"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": 0.5}}},
        {},
    ],
    ids=["one-group", "no-groups"],
)
def test_from_summary_fewer_than_two_groups(table: dict[str, Any]) -> None:
    """A summary with figures for fewer than two groups raises EmptyDataError."""
    with pytest.raises(pg.EmptyDataError, match="group"):
        pg.ResponseSet.from_summary(BINARY, table)


@pytest.mark.parametrize(
    ("figures", "kind", "match"),
    [
        (
            {"n": 0, "scores": {"a": 0.5, "b": 0.5, "c": 0.5}},
            pg.EmptyDataError,
            "positive integer",
        ),
        (
            {"n": 10.5, "scores": {"a": 0.5, "b": 0.5, "c": 0.5}},
            pg.EmptyDataError,
            "positive integer",
        ),
        (
            {"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": "x"}},
            pg.ValueOffScaleError,
            "not a finite number",
        ),
        (
            {"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": float("nan")}},
            pg.ValueOffScaleError,
            "finite",
        ),
        (
            {"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": 0.5, "d": 1}},
            pg.UnknownLabelError,
            "unknown item 'd'",
        ),
        (
            {"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": 0.5}, "mean": {}},
            pg.ResponseError,
            "unknown key 'mean'",
        ),
        (
            {"n": 10, "scores": {"a": 0.5, "b": 0.5, "c": 0.5}, "item_n": {"a": 0}},
            pg.ValueOffScaleError,
            "item_n",
        ),
        ([0.5, 0.5, 0.5], pg.ResponseError, "must be a mapping"),
    ],
    ids=[
        "n-zero",
        "n-float",
        "score-text",
        "score-nan",
        "unknown-item",
        "unknown-key",
        "item-n-zero",
        "not-mapping",
    ],
)
def test_from_summary_other_bad_figures(
    figures: Any, kind: type[pg.ResponseError], match: str
) -> None:
    """Other invalid summary figures raise the matching ResponseError."""
    with pytest.raises(kind, match=match):
        pg.ResponseSet.from_summary(BINARY, summary_table(business=figures))


# -- accessors ---------------------------------------------------------------------------------


def test_accessors_on_a_small_set() -> None:
    """n, groups, group, len and repr describe the respondents."""
    rs = pg.ResponseSet.from_arrays(
        BINARY,
        [[1, 0, 1], [1, 1, np.nan], [0, 1, 1], [1, 1, 1]],
        ["customer", "customer", "business", "customer"],
    )
    assert rs.groups == ("customer", "business")
    assert rs.n == {"customer": 3, "business": 1}
    assert list(rs.n) == ["customer", "business"]
    assert len(rs) == 4
    assert rs.group.tolist() == ["customer", "customer", "business", "customer"]
    assert repr(rs) == (
        "<ResponseSet: 4 respondents (customer 3, business 1), 3 items, binary scale, from <arrays>>"
    )


def test_repr_mentions_weights_and_source(tmp_path: Path) -> None:
    """The repr of a weighted set read from a file says weighted and names the file."""
    text = "group,a,b,c,w\ncustomer,1,1,1,1\nbusiness,1,1,1,2\n"
    path = write_csv(tmp_path, text)
    rs = pg.ResponseSet.from_csv(path, LIKERT, weight="w")
    assert repr(rs) == (
        "<ResponseSet: 2 respondents (customer 1, business 1), 3 items, likert scale, weighted, "
        f"from {path}>"
    )


def test_segment_of_an_unknown_name() -> None:
    """Asking for a segment the questionnaire does not declare raises InvalidArgumentError."""
    rs = pg.ResponseSet.from_arrays(SEGMENTED, [[1, 1, 1], [2, 2, 2]], ["customer", "business"])
    with pytest.raises(pg.InvalidArgumentError, match="unknown segment 'age'"):
        rs.segment("age")


def test_equal_data_give_equal_sets() -> None:
    """Two sets built from the same data compare equal, NaN included."""
    values = [[1, np.nan, 1], [2, 2, 2]]
    first = pg.ResponseSet.from_arrays(LIKERT, values, ["customer", "business"])
    second = pg.ResponseSet.from_arrays(LIKERT, values, ["customer", "business"])
    third = pg.ResponseSet.from_arrays(LIKERT, values, ["business", "customer"])
    assert first == second
    assert first != third


# -- where -------------------------------------------------------------------------------------


def small_segmented() -> pg.ResponseSet:
    """Five respondents: three customers with generations, two executives without."""
    return pg.ResponseSet.from_arrays(
        SEGMENTED,
        [[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5]],
        ["customer", "customer", "customer", "business", "business"],
        segments={"gen": ["GenY", "GenX", None, None, ""]},
        weights=[1.0, 2.0, 3.0, 4.0, 5.0],
    )


def test_where_keeps_matching_respondents_and_unrecorded_groups() -> None:
    """where keeps the respondents at the level and a group that never records the segment whole."""
    rs = small_segmented()
    geny = rs.where(gen="GenY")
    assert geny.n == {"customer": 1, "business": 2}
    np.testing.assert_array_equal(geny.values[:, 0], [1, 4, 5])
    np.testing.assert_array_equal(geny.weights, [1.0, 4.0, 5.0])
    assert geny.segment("gen").tolist() == ["GenY", None, None]
    assert len(geny.notes) == 1
    assert "'business'" in geny.notes[0]
    assert "kept whole" in geny.notes[0]
    assert geny.values.flags.writeable is False
    assert rs.n == {"customer": 3, "business": 2}
    assert rs.notes == ()


def test_where_with_several_levels() -> None:
    """A sequence of levels keeps respondents at any of them."""
    both = small_segmented().where(gen=["GenY", "GenX"])
    assert both.n == {"customer": 2, "business": 2}
    assert "GenY/GenX" in both.notes[0]


def test_where_when_every_group_records_the_segment() -> None:
    """When every group records the segment, both groups are filtered and nothing is noted."""
    rs = pg.ResponseSet.from_arrays(
        SEGMENTED,
        [[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]],
        ["customer", "customer", "business", "business"],
        segments={"gen": ["GenY", "GenX", "GenX", "GenY"]},
    )
    genx = rs.where(gen="GenX")
    assert genx.n == {"customer": 1, "business": 1}
    np.testing.assert_array_equal(genx.values[:, 0], [2, 3])
    assert genx.notes == ()


def test_where_on_the_bundled_example() -> None:
    """On the bundled example, where(generation=...) keeps all 351 executives and says so."""
    rs = load_example()
    geny = rs.where(generation="GenY")
    assert geny.n["business"] == 351
    assert 0 < geny.n["customer"] < rs.n["customer"]
    assert set(geny.segment("generation")[geny.group == "customer"]) == {"GenY"}
    assert any("'business'" in note and "kept whole" in note for note in geny.notes)
    total = sum(rs.where(generation=level).n["customer"] for level in ("GenY", "GenX", "Boomer"))
    assert total == rs.n["customer"]


def test_where_with_two_segments_on_the_bundled_example() -> None:
    """Conditions on two segments combine, and the recording group is filtered by both."""
    rs = load_example()
    subset = rs.where(generation="GenX", country="US")
    customers = subset.group == "customer"
    assert set(subset.segment("generation")[customers]) == {"GenX"}
    assert set(subset.segment("country")) == {"US"}
    assert subset.n["business"] == rs.where(country="US").n["business"]


@pytest.mark.parametrize(
    ("levels", "match"),
    [
        ({"age": "young"}, "unknown segment 'age'"),
        ({"gen": "GenZ"}, "unknown level 'GenZ' of segment 'gen'"),
        ({"gen": ["GenY", "GenZ"]}, "unknown level 'GenZ'"),
    ],
)
def test_where_rejects_unknown_segments_and_levels(levels: dict[str, Any], match: str) -> None:
    """An unknown segment or level raises InvalidArgumentError."""
    with pytest.raises(pg.InvalidArgumentError, match=match):
        small_segmented().where(**levels)


def test_where_on_a_summary_set() -> None:
    """where needs respondents, so a summary table does not offer it."""
    rs = pg.ResponseSet.from_summary(BINARY, summary_table())
    assert not hasattr(rs, "where")


# -- property: from_csv agrees with from_arrays ------------------------------------------------


@st.composite
def likert_data(draw: st.DrawFn) -> tuple[int, list[list[int | None]], list[str]]:
    """Random Likert 1..5 answers with missing cells, and group labels covering both groups."""
    k = draw(st.integers(min_value=2, max_value=5))
    n = draw(st.integers(min_value=2, max_value=25))
    cell = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
    rows = draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=n, max_size=n))
    labels = draw(st.lists(st.sampled_from(GROUPS), min_size=n - 2, max_size=n - 2))
    labels = draw(st.permutations([*GROUPS, *labels]))
    return k, rows, labels


@settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=likert_data())
def test_from_csv_agrees_with_from_arrays(
    tmp_path: Path, data: tuple[int, list[list[int | None]], list[str]]
) -> None:
    """A CSV written from random valid data reads back to the same values and groups as from_arrays."""
    k, rows, labels = data
    q = pg.Questionnaire(
        items=[f"item_{j}" for j in range(k)], scale=pg.Likert(low=1, high=5), groups=GROUPS
    )
    path = tmp_path / "random.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "group", *reversed(q.item_ids)])
        for i, (label, row) in enumerate(zip(labels, rows, strict=True)):
            cells = ["" if v is None else str(v) for v in reversed(row)]
            writer.writerow([f"r{i}", label, *cells])
    from_csv = pg.ResponseSet.from_csv(path, q)
    matrix = np.array([[math.nan if v is None else v for v in row] for row in rows], dtype=float)
    from_arrays = pg.ResponseSet.from_arrays(q, matrix, labels)
    np.testing.assert_array_equal(from_csv.values, from_arrays.values)
    np.testing.assert_array_equal(from_csv.group_codes, from_arrays.group_codes)
    assert from_csv.n == from_arrays.n
    assert from_csv.group.tolist() == labels


# -- concat -----------------------------------------------------------------------------------


def _shuffled_halves(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The bundled example's rows in a fixed random order (so that both halves hold both
    groups), as one file and as its two halves."""
    lines = example_paths().responses.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    order = np.random.default_rng(12).permutation(len(rows))
    rows = [rows[i] for i in order]
    cut = len(rows) // 2
    paths = []
    for name, part in (("whole.csv", rows), ("a.csv", rows[:cut]), ("b.csv", rows[cut:])):
        paths.append(write_csv(tmp_path, "\n".join([header, *part]) + "\n", name))
    return paths[0], paths[1], paths[2]


@pytest.mark.parametrize("weight", [None, "weight"])
def test_concat_of_two_halves_is_the_whole_file(tmp_path: Path, weight: str | None) -> None:
    """Two halves of a file joined give the arrays of the whole file, and the same report for
    a seed; the source names both files."""
    q = pg.Questionnaire.from_file(example_paths().questionnaire)
    whole, first, second = _shuffled_halves(tmp_path)
    options: dict[str, Any] = {"group": "role", "weight": weight}
    expected = pg.ResponseSet.from_csv(whole, q, **options)
    a = pg.ResponseSet.from_csv(first, q, **options)
    b = pg.ResponseSet.from_csv(second, q, **options)
    joined = pg.ResponseSet.concat([a, b])
    assert joined.source == f"{first} + {second}"
    assert joined == attrs.evolve(expected, source=joined.source)
    assert joined.values.flags.writeable is False
    compare: dict[str, Any] = {"rng": 5, "n_resamples": 300, "segments": ("generation",)}
    report = pg.compare(joined, "customer", "business", **compare)
    assert report.to_dict() == pg.compare(expected, "customer", "business", **compare).to_dict()


def test_concat_keeps_rows_in_order_and_accepts_any_iterable() -> None:
    """The first set's rows come first; a generator of one set is that set's arrays."""
    a = pg.ResponseSet.from_arrays(BINARY, [[1, 0, 1], [0, 0, 0]], ["customer", "business"])
    b = pg.ResponseSet.from_arrays(BINARY, [[1, 1, 1], [0, 1, 0]], ["business", "customer"])
    joined = pg.ResponseSet.concat(iter([b, a]))
    np.testing.assert_array_equal(joined.values, [[1, 1, 1], [0, 1, 0], [1, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(joined.group_codes, [1, 0, 0, 1])
    assert pg.ResponseSet.concat(x for x in [a]) == a
    assert pg.ResponseSet.concat([a, b, a]).n == {"customer": 3, "business": 3}


def test_concat_keeps_segments_and_notes() -> None:
    """Segment codes are joined per segment, and the notes of every set are kept once."""
    rs = load_example()
    genx, geny = rs.where(generation="GenX"), rs.where(generation="GenY")
    joined = pg.ResponseSet.concat([genx, geny])
    assert len(joined) == len(genx) + len(geny)
    assert list(joined.segment("generation")[: len(genx)]) == list(genx.segment("generation"))
    assert joined.notes == tuple(dict.fromkeys([*genx.notes, *geny.notes]))
    assert len(joined.notes) == 2


@pytest.mark.parametrize(
    ("other", "named"),
    [
        (
            pg.Questionnaire(items=["a", "b", "x"], scale=pg.Binary(), groups=GROUPS),
            "item 3 is Item(id='c'",
        ),
        (
            pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=GROUPS),
            "set 1 has 3 items and set 2 has 2",
        ),
        (attrs.evolve(BINARY, items=["a", pg.Item("b", "Bee"), "c"]), "item 2"),
        (
            attrs.evolve(BINARY, scale=pg.Likert(low=0, high=1)),
            "scale Binary() in set 1, Likert(low=0, high=1) in set 2",
        ),
        (
            attrs.evolve(BINARY, groups=("business", "customer")),
            "groups ('customer', 'business') in set 1",
        ),
        (
            attrs.evolve(BINARY, segments={"gen": ("GenY",)}),
            "segment 'gen' is 'not declared' in set 1 and ('GenY',) in set 2",
        ),
        (
            attrs.evolve(BINARY, title="Another study"),
            "title '' in set 1, 'Another study' in set 2",
        ),
    ],
)
def test_concat_refuses_another_questionnaire(other: pg.Questionnaire, named: str) -> None:
    """Sets of different questionnaires are refused, naming the first part that differs and
    the set (by position and source)."""
    a = pg.ResponseSet.from_arrays(BINARY, [[1, 0, 1], [0, 0, 0]], ["customer", "business"])
    values = [[1, 0, 1][: other.k], [0, 0, 0][: other.k]]
    segments = {"gen": ["GenY", "GenY"]} if other.segments else None
    b = pg.ResponseSet.from_arrays(other, values, list(other.groups), segments)
    with pytest.raises(pg.InvalidArgumentError, match=r"set 2 .*another questionnaire") as caught:
        pg.ResponseSet.concat([a, b])
    assert named in str(caught.value)


def test_concat_refuses_weights_in_some_sets_only() -> None:
    """Weights in some sets and not others would be a silent guess: refused, naming a set
    without them and one with them."""
    a = pg.ResponseSet.from_arrays(BINARY, [[1, 0, 1], [0, 0, 0]], ["customer", "business"])
    w = pg.ResponseSet.from_arrays(
        BINARY, [[1, 0, 1], [0, 0, 0]], ["customer", "business"], weights=[1.0, 2.0]
    )
    with pytest.raises(pg.InvalidArgumentError, match=r"set 2 .*no survey weights but set 1"):
        pg.ResponseSet.concat([w, a, w])
    joined = pg.ResponseSet.concat([w, w])
    np.testing.assert_array_equal(joined.weights, [1.0, 2.0, 1.0, 2.0])


def test_concat_refuses_weights_too_far_apart() -> None:
    """Two sets, each within the weight ratio, whose weights together are not."""
    a = pg.ResponseSet.from_arrays(BINARY, [[1, 0, 1]] * 2, GROUPS, weights=[1e-100, 1e-100])
    b = pg.ResponseSet.from_arrays(BINARY, [[1, 0, 1]] * 2, GROUPS, weights=[1e100, 1e100])
    with pytest.raises(pg.ValueOffScaleError, match="joined weights"):
        pg.ResponseSet.concat([a, b])


@pytest.mark.parametrize("sets", [[], None, "a.csv", 3])
def test_concat_needs_an_iterable_of_sets(sets: Any) -> None:
    """Nothing to join, or not an iterable, is refused by name."""
    with pytest.raises(pg.InvalidArgumentError, match="`sets`"):
        pg.ResponseSet.concat(sets)


def test_concat_refuses_what_is_not_a_response_set() -> None:
    """A summary table (no respondents), a single set not in a list, or another object."""
    a = load_example()
    with pytest.raises(pg.InvalidArgumentError, match=r"set 2 is not a ResponseSet .*Summary"):
        pg.ResponseSet.concat([a, pg.datasets.load_published()])
    with pytest.raises(pg.InvalidArgumentError, match=r"set 1 is not a ResponseSet .*dict"):
        pg.ResponseSet.concat([{}])
    with pytest.raises(pg.InvalidArgumentError, match="iterable of ResponseSets"):
        pg.ResponseSet.concat(a)  # type: ignore[arg-type]


def test_where_selects_a_segment_named_like_its_own_parameter() -> None:
    """A segment called "self" (any name is allowed) can be selected: where()'s own first
    parameter is positional-only."""
    q = pg.Questionnaire(
        items=["a", "b"], scale=pg.Binary(), groups=GROUPS, segments={"self": ("A", "B")}
    )
    rs = pg.ResponseSet.from_arrays(
        q, [[1, 0], [0, 1], [1, 1]], [*GROUPS, "customer"], {"self": ["A", "B", "B"]}
    )
    assert rs.where(self="B").n == {"customer": 1, "business": 1}

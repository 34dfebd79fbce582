"""Tests of the shared validator through the in-memory readers: nothing is coerced silently,
odd cells are named, and weights of any magnitude give exact scores."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap._readers import _polars_column

GROUPS = ("customer", "business")
LIKERT = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
BINARY = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=GROUPS)
LABELS = ["customer", "business"]


# -- from_arrays: no silent coercion ----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (np.array([[True, True], [True, True]]), "True is not a valid answer"),
        ([[True, 1], [2, 3]], "True is not a valid answer"),
        (np.array([[1 + 2j, 2], [3, 4]]), "complex number"),
        (np.array([[1 + 0j, 2], [3, 4]]), "complex number"),
        (np.array([["2020-01-01"] * 2] * 2, dtype="M8[ns]"), "date or time"),
        (np.array([[1, 2]] * 2, dtype="m8[s]"), "time difference"),
        (np.array([[b"1", b"2"]] * 2), "bytes"),
        (np.array([[b"1", 2]] * 2, dtype=object), "not a number"),
        (np.array([[complex(1, 0), 2]] * 2, dtype=object), "not a number"),
    ],
)
def test_from_arrays_refuses_what_would_be_coerced(values: Any, shown: str) -> None:
    """Booleans off a Binary scale, complex numbers (even with a zero imaginary part), dates,
    time differences and bytes are refused naming the row and item, never cast to float."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning either
        with pytest.raises(pg.ValueOffScaleError, match=shown) as info:
            pg.ResponseSet.from_arrays(LIKERT, values, LABELS)
    assert info.value.row == 1
    assert info.value.column == "a"


def test_from_arrays_keeps_booleans_on_a_binary_scale_and_numeric_text() -> None:
    """Booleans are answers on a Binary scale, and text of numbers is read as elsewhere."""
    rs = pg.ResponseSet.from_arrays(BINARY, np.array([[True, False], [False, True]]), LABELS)
    np.testing.assert_array_equal(rs.values, [[1, 0], [0, 1]])
    rs = pg.ResponseSet.from_arrays(
        LIKERT, np.array([["1", " 2"], ["", "5"]], dtype=object), LABELS
    )
    np.testing.assert_array_equal(rs.values, [[1, 2], [np.nan, 5]])


# -- weights of any magnitude -----------------------------------------------------------------


@pytest.mark.parametrize("scale", [2.0**1020, 2.0**-1022, 2.0**-1074, 1e308, 1e-308, 1e150])
def test_weights_of_any_magnitude_give_the_same_report(scale: float) -> None:
    """Only the ratios of weights matter: weights near the float limits (huge, subnormal) give
    the scores and gaps of the same weights near 1, with no RuntimeWarning and no NaN; scaled
    by a power of two, the very same report (intervals included)."""
    rng = np.random.default_rng(3)
    values = rng.integers(1, 6, (60, 2)).astype(float)
    labels = LABELS * 30
    relative = np.array([0.25, 0.5, 1.0, 0.125] * 15)
    weights = relative * scale if scale >= 1 else np.full(60, scale)
    base = relative if scale >= 1 else np.ones(60)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        report = pg.compare(
            pg.ResponseSet.from_arrays(LIKERT, values, labels, weights=weights),
            reference="customer",
            comparison="business",
            n_resamples=200,
            rng=1,
        )
    expected = pg.compare(
        pg.ResponseSet.from_arrays(LIKERT, values, labels, weights=base),
        reference="customer",
        comparison="business",
        n_resamples=200,
        rng=1,
    )
    for got, want in zip(report.items, expected.items, strict=True):
        assert np.isfinite(got.gap.value)
        assert got.reference_score == pytest.approx(want.reference_score, rel=1e-12)
        assert got.gap.value == pytest.approx(want.gap.value, rel=1e-12, abs=1e-12)
        assert np.isfinite(got.gap.low)
        assert np.isfinite(got.gap.high)
        if np.frexp(scale)[0] == 0.5:  # a power of two: the rescaling is exact
            assert (got.gap.low, got.gap.high) == (want.gap.low, want.gap.high)


def test_weights_spanning_too_wide_a_range_are_refused() -> None:
    """Weights of 1e-300 beside 1e300 cannot be summed in floats: refused, naming the column
    and what to do."""
    with pytest.raises(pg.ValueOffScaleError, match="rescale or trim the weights") as info:
        pg.ResponseSet.from_arrays(LIKERT, [[1, 2], [3, 4]], LABELS, weights=[1e-300, 1e300])
    assert info.value.column == "weights"


# -- frames and records -----------------------------------------------------------------------


def test_pandas_frame_with_a_duplicated_item_column() -> None:
    """A duplicated item column is refused naming it (not a numpy broadcasting error)."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        [["customer", 1, 2, 3], ["business", 1, 2, 3]], columns=["group", "a", "a", "b"]
    )
    with pytest.raises(pg.ResponseError, match="two columns named 'a'") as info:
        pg.ResponseSet.from_frame(frame, LIKERT)
    assert info.value.column == "a"


def test_pandas_frame_with_non_text_column_names() -> None:
    """Columns are read by position, so a column named by the int 1 is the item '1'."""
    pd = pytest.importorskip("pandas")
    q = pg.Questionnaire(items=["1", "2"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
    frame = pd.DataFrame({"group": LABELS, 1: [1, 2], 2: [3, 4]})
    np.testing.assert_array_equal(pg.ResponseSet.from_frame(frame, q).values, [[1, 3], [2, 4]])


@pytest.mark.parametrize("cell", [["customer"], {"customer": 1}, {"customer"}, b"customer"])
@pytest.mark.parametrize("column", ["group", "a"])
def test_unhashable_and_odd_cells_are_named(cell: object, column: str) -> None:
    """A list, dict, set or bytes cell in a group or item column is a ResponseError naming the
    row and column, from records and from frames (not a bare TypeError)."""
    pd = pytest.importorskip("pandas")
    records: list[dict[str, Any]] = [{"group": "business", "a": 1, "b": 2} for _ in range(2)]
    records[1][column] = cell
    with pytest.raises(pg.ResponseError) as info:
        pg.ResponseSet.from_records(records, LIKERT)
    assert (info.value.row, info.value.column) == (2, column)
    with pytest.raises(pg.ResponseError) as info:
        pg.ResponseSet.from_frame(pd.DataFrame(records), LIKERT)
    assert (info.value.row, info.value.column) == (2, column)


def test_polars_frame_with_odd_columns() -> None:
    """A polars list column is named cell by cell like any other odd value."""
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"group": LABELS, "a": [[1], [2]], "b": [1, 2]})
    with pytest.raises(pg.ValueOffScaleError) as info:
        pg.ResponseSet.from_frame(frame, LIKERT)
    assert (info.value.row, info.value.column) == (1, "a")


SEGMENTED = pg.Questionnaire(
    items=["a", "b", "c"],
    scale=pg.Likert(low=1, high=5),
    groups=GROUPS,
    segments={"region": ("north", "south"), "wave": ("1", "2")},
)


@pytest.mark.parametrize("unknown_groups", ["error", "drop"])
def test_polars_and_pandas_frames_read_alike(unknown_groups: str) -> None:
    """A polars frame (integer and float columns with nulls read through numpy, text,
    categorical and enum columns by their text) gives the ResponseSet of the equal pandas frame."""
    pl = pytest.importorskip("polars")
    pd = pytest.importorskip("pandas")
    groups = ["customer", "business", "customer", "business", "customer", "business"]
    data: dict[str, list[Any]] = {
        "group": groups,
        "a": [1, None, 3, 4, 5, 2],  # integers with a null
        "b": [1.0, 2.0, float("nan"), None, 5.0, 3.0],  # floats with NaN and null
        "c": [5, 4, 3, 2, 1, 1],  # integers without a null
        "region": ["north", None, "south", "north", "", "south"],
        "wave": [1, 2, None, 1, 2, 2],  # integer codes with a null: read as 1.0, 2.0
        "w": [1.0, 2.0, 0.5, 1.5, 1.0, 3.0],
    }
    if unknown_groups == "drop":
        data["group"] = [*groups[:-1], "other"]
        data["region"] = ["north", None, "south", "mars", "", "south"]
    polars = pl.DataFrame(data, strict=False).with_columns(
        pl.col("group").cast(pl.Categorical),
        pl.col("region").cast(pl.Enum(["north", "south", "mars", ""])),
    )
    assert polars["a"].dtype == pl.Int64
    assert polars["wave"].dtype == pl.Int64
    pandas = pd.DataFrame(data)
    pandas["group"] = pandas["group"].astype("category")
    options: dict[str, Any] = {"weight": "w", "unknown_groups": unknown_groups}
    from_polars = pg.ResponseSet.from_frame(polars, SEGMENTED, **options)
    from_pandas = pg.ResponseSet.from_frame(pandas, SEGMENTED, **options)
    assert from_polars == from_pandas
    assert from_polars.n == (
        {"customer": 3, "business": 3}
        if unknown_groups == "error"
        else {"customer": 3, "business": 1}
    )
    np.testing.assert_array_equal(from_polars.segment_codes["wave"][:3], [0, 1, -1])
    numbers = _polars_column(polars["a"])  # one numpy array, not a cell per row
    assert isinstance(numbers, np.ndarray)
    np.testing.assert_array_equal(numbers, [1, np.nan, 3, 4, 5, 2])
    assert _polars_column(polars["group"])[:2] == ["customer", "business"]


def test_label_lookup_tells_true_from_one() -> None:
    """True and 1 are equal in Python but are different labels: 'True' and '1'; the whole
    number 1.0 is the code '1' (pandas reads integer codes with a gap as floats), 1.5 is not."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(low=1, high=5), groups=("True", "1"))
    records = [{"group": g, "a": 1, "b": 1} for g in (True, 1, 1.0, True)]
    rs = pg.ResponseSet.from_records(records, q)
    assert rs.n == {"True": 2, "1": 2}
    with pytest.raises(pg.UnknownLabelError, match=r"'1\.5'"):
        pg.ResponseSet.from_records([*records, {"group": 1.5, "a": 1, "b": 1}], q)


@pytest.mark.parametrize("records", [None, 5, "group,a", {"group": "customer"}])
def test_records_that_are_not_an_iterable_of_mappings(records: object) -> None:
    """`records` that is not an iterable of mappings is refused by name."""
    with pytest.raises(pg.InvalidArgumentError, match="`records`"):
        pg.ResponseSet.from_records(records, LIKERT)  # type: ignore[arg-type]

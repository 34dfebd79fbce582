"""Tests of SummaryTable: published per-item figures as their own type (read by from_summary)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import perceptiongap as pg

GROUPS = ("customer", "business")
BINARY = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(), groups=GROUPS)
LIKERT = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=GROUPS)


def figures(**changes: Any) -> dict[str, Any]:
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


def test_from_summary_returns_a_summary_table() -> None:
    """ResponseSet.from_summary returns a SummaryTable, which is not a ResponseSet."""
    table = pg.ResponseSet.from_summary(BINARY, figures())
    assert type(table) is pg.SummaryTable
    assert not isinstance(table, pg.ResponseSet)
    assert table.questionnaire is BINARY
    assert table.source == "<summary>"


def test_n_is_a_dict_per_group_and_sizes_the_array() -> None:
    """`n` maps each group to its size, like ResponseSet.n; `sizes` is the int array."""
    table = pg.ResponseSet.from_summary(BINARY, figures())
    assert table.n == {"customer": 1056, "business": 351}
    assert all(type(size) is int for size in table.n.values())
    assert table.sizes.dtype == np.int64
    np.testing.assert_array_equal(table.sizes, [1056, 351])
    assert table.groups == GROUPS
    assert len(table) == 1407


def test_mirrors_the_response_set_flags() -> None:
    """A summary is unweighted, has no notes and says it is a summary; a ResponseSet does not."""
    table = pg.ResponseSet.from_summary(BINARY, figures())
    assert table.is_summary is True
    assert table.weighted is False
    assert table.notes == ()
    rs = pg.ResponseSet.from_arrays(BINARY, [[1, 0, 1], [0, 1, 1]], ["customer", "business"])
    assert rs.is_summary is False


def test_a_group_left_out_has_size_zero() -> None:
    """A questionnaire group that the summary does not give has size 0 in `n`, `sizes` and repr."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("c", "b", "x"))
    table = pg.ResponseSet.from_summary(
        q,
        {
            "c": {"n": 100, "scores": {"a": 0.6, "b": 0.2}},
            "b": {"n": 50, "scores": {"a": 1, "b": 0}},
        },
    )
    assert table.n == {"c": 100, "b": 50, "x": 0}
    np.testing.assert_array_equal(table.sizes, [100, 50, 0])
    assert np.isnan(table.scores[2]).all()
    assert repr(table) == (
        "<SummaryTable: 150 respondents (c 100, b 50, x 0), 2 items, binary scale, from <summary>>"
    )


def test_repr() -> None:
    """The repr gives the total, the size of each group, the items, the scale and the source."""
    table = pg.ResponseSet.from_summary(LIKERT, {
        "customer": {"n": 10, "scores": {"a": 3.5, "b": 1, "c": 5}},
        "business": {"n": 12, "scores": {"a": 4, "b": 2.5, "c": 4.5}},
    })  # fmt: skip
    assert repr(table) == (
        "<SummaryTable: 22 respondents (customer 10, business 12), 3 items, likert scale, "
        "from <summary>>"
    )


def test_is_immutable_with_read_only_copies() -> None:
    """Fields cannot be reassigned, arrays are read-only, and the caller's arrays are copied."""
    table = pg.ResponseSet.from_summary(BINARY, figures())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        table.sizes = np.array([1, 2])  # type: ignore[misc]
    for array in (table.sizes, table.scores, table.item_n, table.sd):
        assert array.flags.writeable is False
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    scores = np.full((2, 3), 0.5)
    direct = pg.SummaryTable(
        questionnaire=BINARY,
        sizes=[10, 20],
        scores=scores,
        item_n=[[10] * 3, [20] * 3],
        sd=np.full((2, 3), np.nan),
    )
    scores[0, 0] = 0.9
    assert direct.scores[0, 0] == 0.5


def test_equality_by_value() -> None:
    """Two tables of the same figures are equal (NaN sds included); other figures are not."""
    first = pg.ResponseSet.from_summary(BINARY, figures())
    second = pg.ResponseSet.from_summary(BINARY, figures())
    assert first is not second
    assert first == second
    assert np.isnan(first.sd).all()
    other = pg.ResponseSet.from_summary(
        BINARY, figures(customer={"n": 1056, "scores": {"a": 0.61, "b": 0.55, "c": 0.23}})
    )
    assert first != other
    assert first != attrs.evolve(first, source="elsewhere")


def test_arrays_must_fit_the_questionnaire() -> None:
    """Arrays whose shapes do not fit the questionnaire raise InvalidArgumentError."""
    with pytest.raises(pg.InvalidArgumentError, match="from_summary"):
        pg.SummaryTable(
            questionnaire=BINARY,
            sizes=[10, 20],
            scores=np.full((2, 2), 0.5),
            item_n=[[10] * 3, [20] * 3],
            sd=np.full((2, 3), np.nan),
        )


def test_load_published_is_a_summary_table() -> None:
    """The bundled published table is a SummaryTable with the IBM group sizes."""
    table = pg.datasets.load_published()
    assert isinstance(table, pg.SummaryTable)
    np.testing.assert_array_equal(table.sizes, [1056, 351])
    assert table.scores.shape == table.item_n.shape == table.sd.shape == (2, 12)


def test_compare_takes_a_summary_table() -> None:
    """compare() and compare_many() analyse a SummaryTable; segments need respondents."""
    table = pg.ResponseSet.from_summary(BINARY, figures())
    with pytest.warns(pg.SummaryDataWarning):
        report = pg.compare(table, "customer", "business", n_resamples=0)
    assert report.data == "summary"
    assert report.n == {"customer": 1056, "business": 351}
    with pytest.warns(pg.SummaryDataWarning):
        many = pg.compare_many(table, "customer", n_resamples=0)
    assert many["business"].items == report.items
    segmented = pg.Questionnaire(
        items=["a", "b", "c"], scale=pg.Binary(), groups=GROUPS, segments={"gen": ("X", "Y")}
    )
    with pytest.raises(pg.InvalidArgumentError, match="respondent-level data"):
        pg.compare(
            pg.ResponseSet.from_summary(segmented, figures()),
            "customer",
            "business",
            segments=("gen",),
        )


# Modules in data-flow order: each may import only modules before it.
_LAYERS = ["_arrays", "_cells", "_readers", "_summary", "_responses"]


def test_reader_modules_import_one_way() -> None:
    """The reader modules import only modules above them: readers never see a ResponseSet."""
    package = Path(pg.__file__).parent
    for position, module in enumerate(_LAYERS):
        tree = ast.parse((package / f"{module}.py").read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        }
        below = imported & set(_LAYERS[position:])
        assert not below, f"{module} imports {below}"


# -- hostile figures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"n": 10**19}, pg.ValueOffScaleError, r"n must be at most 1e\+13"),
        ({"n": 10**400}, pg.ValueOffScaleError, "n must be at most"),
        ({"n": 0}, pg.EmptyDataError, "positive integer"),
        ({"n": -5}, pg.EmptyDataError, "positive integer"),
        ({"n": 10.0}, pg.EmptyDataError, "positive integer"),
        ({"n": True}, pg.EmptyDataError, "positive integer"),
        ({"n": float("nan")}, pg.EmptyDataError, "positive integer"),
    ],
)
def test_impossible_group_sizes_name_the_group(
    change: dict[str, Any], error: type[Exception], match: str
) -> None:
    """A size beyond int64 (a bare OverflowError before), zero, negative, not an integer."""
    table = figures()
    table["customer"] = {**table["customer"], **change}
    with pytest.raises(error, match=match) as info:
        pg.ResponseSet.from_summary(BINARY, table)
    assert info.value.row == "customer"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "score", [10**400, float("nan"), float("inf"), -float("inf"), True, "0.5", None, [0.5]]
)
def test_scores_that_are_not_finite_numbers_are_refused(score: object) -> None:
    """Huge ints (OverflowError in math.isfinite before), NaN, inf, bools, text."""
    table = figures()
    table["business"]["scores"]["b"] = score
    with pytest.raises((pg.ValueOffScaleError, pg.MissingColumnError)) as info:
        pg.ResponseSet.from_summary(BINARY, table)
    assert (info.value.row, info.value.column) == ("business", "b")  # type: ignore[attr-defined]


@pytest.mark.parametrize("share", [-0.01, 1.01, 55])
def test_shares_outside_zero_and_one_are_refused(share: float) -> None:
    """A Binary score is a share from 0 to 1."""
    table = figures()
    table["business"]["scores"]["a"] = share
    with pytest.raises(pg.ValueOffScaleError, match="expected a share from 0 to 1"):
        pg.ResponseSet.from_summary(BINARY, table)


def likert_figures(sd: object, mean: float = 3.0, n: int = 100) -> dict[str, Any]:
    """A LIKERT summary whose customer item 'a' has this mean and sd."""
    scores = {"a": mean, "b": 3.0, "c": 3.0}
    return {
        "customer": {"n": n, "scores": scores, "sd": {"a": sd}},
        "business": {"n": 50, "scores": {"a": 2.0, "b": 4.0, "c": 3.5}},
    }


@pytest.mark.parametrize(
    ("sd", "mean", "largest"),
    [(3.0, 3.0, "2.05"), (1.5, 4.9, "0.709"), (0.5, 1.0, "0.304"), (2.5, 1.5, "1.38")],
)
def test_a_standard_deviation_impossible_on_the_scale_is_refused(
    sd: float, mean: float, largest: str
) -> None:
    """Bhatia-Davis: sd <= sqrt((mean - low)(high - mean) n / (n - 1)), with room for
    rounding; the message names the cell, the value and the largest possible sd."""
    with pytest.raises(pg.ValueOffScaleError, match=f"about {largest} ") as info:
        pg.ResponseSet.from_summary(LIKERT, likert_figures(sd, mean))
    assert (info.value.row, info.value.column, info.value.value) == ("customer", "a", sd)
    assert "standard deviation, not a variance" in str(info.value)


@pytest.mark.parametrize(("sd", "mean"), [(2.0, 3.0), (2.01, 3.0), (0.0, 1.0), (0.02, 1.0)])
def test_possible_and_rounded_standard_deviations_are_accepted(sd: float, mean: float) -> None:
    """The largest possible sd (half the answers at each end) and rounded figures pass."""
    table = pg.ResponseSet.from_summary(LIKERT, likert_figures(sd, mean))
    assert table.sd[0, 0] == sd


def test_one_answer_puts_no_bound_on_the_sd() -> None:
    """With item_n = 1 the sample sd is undefined; the published figure is not checked."""
    table = likert_figures(1.0)
    table["customer"]["item_n"] = {"a": 1}
    assert pg.ResponseSet.from_summary(LIKERT, table).sd[0, 0] == 1.0


@pytest.mark.parametrize("value", [10**400, float("nan"), float("inf"), True, "0.3", 1.5])
def test_item_correlation_is_validated_without_overflow(value: object) -> None:
    """A huge int (OverflowError before), NaN, inf, a bool or text is refused by name."""
    with pytest.raises(pg.InvalidArgumentError, match="`item_correlation` must be"):
        pg.ResponseSet.from_summary(BINARY, figures(), item_correlation=value)  # type: ignore[arg-type]


def test_keys_of_mixed_types_are_named_not_sorted_into_a_type_error() -> None:
    """An int key beside the string keys is reported as unknown (sorting them raised)."""
    table = figures()
    table["customer"] = {**table["customer"], 1: 2}
    with pytest.raises(pg.ResponseError, match="unknown key 1"):
        pg.ResponseSet.from_summary(BINARY, table)
    table = figures()
    table["customer"]["scores"] = {**table["customer"]["scores"], 7: 0.5}
    with pytest.raises(pg.UnknownLabelError, match="names unknown item 7"):
        pg.ResponseSet.from_summary(BINARY, table)

"""Reader arguments are checked before a reader touches the data: the questionnaire, the group
and weight columns, the shape of `segments`; masked arrays read their masked cells as missing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import perceptiongap as pg

Q = pg.Questionnaire(
    items=["a", "b", "c"], scale=pg.Likert(1, 5), groups=("customer", "business"),
    segments={"region": ("north", "south")},
)  # fmt: skip
GROUPS = ["customer", "business"] * 3


@pytest.mark.parametrize(
    "read",
    [
        lambda: pg.ResponseSet.from_arrays("q.toml", [[1, 2, 3]], ["customer"]),  # type: ignore[arg-type]
        lambda: pg.ResponseSet.from_records([], None),  # type: ignore[arg-type]
        lambda: pg.ResponseSet.from_frame(pd.DataFrame({"a": [1]}), "q.toml"),  # type: ignore[arg-type]
    ],
)
def test_a_questionnaire_that_is_not_one_is_named_first(read: object) -> None:
    with pytest.raises(pg.InvalidArgumentError, match="`questionnaire` must be a Questionnaire"):
        read()  # type: ignore[operator]


def test_segments_must_be_a_mapping() -> None:
    with pytest.raises(pg.InvalidArgumentError, match="`segments` must be a mapping"):
        pg.ResponseSet.from_arrays(
            Q,
            np.full((6, 3), 3.0),
            GROUPS,
            segments=[("region", ["north"] * 6)],  # type: ignore[arg-type]
        )


@pytest.mark.parametrize("weight", ["a", "region", "group"])
def test_the_weight_column_cannot_be_an_item_a_segment_or_the_group(weight: str) -> None:
    records = [{"group": g, "a": 1, "b": 2, "c": 3, "region": "north"} for g in GROUPS]
    with pytest.raises(pg.InvalidArgumentError, match="`weight` names the column"):
        pg.ResponseSet.from_records(records, Q, weight=weight)


def test_masked_cells_are_missing_answers_levels_and_weights() -> None:
    values = np.ma.masked_array(np.full((6, 3), 3.0), mask=[[1, 0, 0]] + [[0, 0, 0]] * 5)
    values[1:, 0] = [1, 2, 4, 5, 1]
    segments = {"region": np.ma.masked_array(["north"] * 6, mask=[0, 1, 0, 0, 0, 0])}
    rs = pg.ResponseSet.from_arrays(Q, values, GROUPS, segments=segments)
    assert np.isnan(rs.values[0, 0])
    assert rs.values[1, 0] == 1.0
    assert rs.segment("region")[1] is None
    integers = np.ma.masked_array(np.full((6, 3), 2), mask=[[0, 0, 1]] + [[0, 0, 0]] * 5)
    assert np.isnan(pg.ResponseSet.from_arrays(Q, integers, GROUPS).values[0, 2])
    weights = np.ma.masked_array([1.0] * 6, mask=[1, 0, 0, 0, 0, 0])
    with pytest.raises(pg.ResponseError, match="row 1, column 'weights': the weight is missing"):
        pg.ResponseSet.from_arrays(Q, np.full((6, 3), 3.0), GROUPS, weights=weights)


def test_long_values_are_cut_in_messages_and_whole_numbers_have_no_exponent() -> None:
    huge = "9" * 5000
    with pytest.raises(pg.ValueOffScaleError) as caught:
        pg.ResponseSet.from_records(
            [{"group": "customer", "a": huge, "b": 1, "c": 1, "region": "north"}], Q
        )
    message = str(caught.value)
    assert len(message) < 200
    assert "(5,000 characters)" in message
    assert caught.value.value == huge  # the attribute keeps the cell as read
    label = "x" * 10_000
    with pytest.raises(pg.UnknownLabelError, match=r"\(10,000 characters\)"):
        pg.ResponseSet.from_records(
            [{"group": label, "a": 1, "b": 1, "c": 1, "region": "north"}], Q
        )
    with pytest.raises(
        pg.ValueOffScaleError, match=r"^<records>, row 1, column 'a': 1000000000000001 is"
    ):
        pg.ResponseSet.from_records(
            [{"group": "customer", "a": 1000000000000001, "b": 1, "c": 1, "region": "north"}], Q
        )

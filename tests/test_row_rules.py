"""Tests of which rows a reader keeps: ``unknown_groups="drop"`` (rows of an empty or
undeclared group or segment level are dropped and counted in the notes) and ``group_value=``
(a file of one group, joined with others by ``ResponseSet.concat``)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap import _read_csv
from perceptiongap.datasets import example_paths

Q = pg.Questionnaire(
    items=["a", "b"],
    scale=pg.Likert(low=1, high=5),
    groups=("elementary", "high"),
    segments={"sex": ("f", "m")},
)

ROWS = [
    ("elementary", "f", "1", "2"),
    ("", "m", "x", "2"),  # dropped (empty group) before its bad answer is read
    ("middle", "f", "3", "3"),
    ("high", "m", "4", "5"),
    ("middle", "", "3", "3"),
    ("high", "other", "4", "5"),  # dropped: undeclared level
    ("high", "", "2", "2"),  # an empty level is "not recorded" and stays
    ("elementary", "m", "5", "1"),
]
KEPT = [0, 3, 6, 7]
NOTES = (
    "3 rows dropped: group empty (1) or not declared: 'middle' (2)",
    "1 row dropped: level of 'sex' not declared: 'other' (1)",
)


def write(tmp_path: Path, rows: list[tuple[str, ...]], name: str = "survey.csv") -> Path:
    path = tmp_path / name
    lines = ["group,sex,a,b", *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def records(rows: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(("group", "sex", "a", "b"), row, strict=True)) for row in rows]


@pytest.mark.parametrize("byte_split", [True, False])
def test_csv_drops_rows_of_undeclared_groups_and_levels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, byte_split: bool
) -> None:
    """The kept rows are those of declared groups and levels (an empty level stays), and
    the notes count the dropped ones by reason and value, whichever way a block is split."""
    monkeypatch.setattr(_read_csv, "BYTE_SPLIT", byte_split)
    rs = pg.ResponseSet.from_csv(write(tmp_path, ROWS), Q, unknown_groups="drop")
    expected = pg.ResponseSet.from_records(records([ROWS[i] for i in KEPT]), Q)
    np.testing.assert_array_equal(rs.values, expected.values)
    np.testing.assert_array_equal(rs.group_codes, expected.group_codes)
    np.testing.assert_array_equal(rs.segment_codes["sex"], [0, 1, -1, 1])
    assert set(rs.notes) == set(NOTES)
    assert len(rs.notes) == 2


def test_every_reader_drops_the_same_rows(tmp_path: Path) -> None:
    """CSV, records, a pandas frame and arrays drop the same rows and say so alike."""
    pd = pytest.importorskip("pandas")
    rows = [row for row in ROWS if row[2] != "x"]
    from_csv = pg.ResponseSet.from_csv(write(tmp_path, rows), Q, unknown_groups="drop")
    frame = pd.DataFrame(records(rows))
    others = [
        pg.ResponseSet.from_records(records(rows), Q, unknown_groups="drop"),
        pg.ResponseSet.from_frame(frame, Q, unknown_groups="drop"),
        pg.ResponseSet.from_arrays(
            Q,
            [[float(row[2]), float(row[3])] for row in rows],
            [row[0] for row in rows],
            {"sex": [row[1] for row in rows]},
            unknown_groups="drop",
        ),
    ]
    for other in others:
        np.testing.assert_array_equal(other.values, from_csv.values)
        np.testing.assert_array_equal(other.group_codes, from_csv.group_codes)
        np.testing.assert_array_equal(other.segment_codes["sex"], from_csv.segment_codes["sex"])
        assert other.notes == from_csv.notes


@pytest.mark.parametrize("byte_split", [True, False])
def test_later_errors_name_the_row_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, byte_split: bool
) -> None:
    """A bad answer after dropped rows is named by its row in the file (the header is row 1)."""
    monkeypatch.setattr(_read_csv, "BYTE_SPLIT", byte_split)
    rows = [*ROWS, ("high", "f", "9", "1")]
    with pytest.raises(pg.ValueOffScaleError) as caught:
        pg.ResponseSet.from_csv(write(tmp_path, rows), Q, unknown_groups="drop")
    assert caught.value.row == len(rows) + 1
    assert caught.value.column == "a"


def test_by_default_an_undeclared_group_is_an_error(tmp_path: Path) -> None:
    """unknown_groups="error" (the default) names the first row of an undeclared group."""
    with pytest.raises(pg.UnknownLabelError, match="missing") as caught:
        pg.ResponseSet.from_csv(write(tmp_path, [ROWS[0], ROWS[1], ROWS[2]]), Q)
    assert caught.value.row == 3
    with pytest.raises(pg.UnknownLabelError, match="unknown group 'middle'"):
        pg.ResponseSet.from_records(records([ROWS[0], ROWS[2]]), Q, unknown_groups="error")


@pytest.mark.parametrize("value", ["Drop", "ignore", None, 1])
def test_unknown_groups_is_checked_by_name(value: object) -> None:
    """A value other than "error" or "drop" is refused, naming the argument."""
    with pytest.raises(pg.InvalidArgumentError, match="`unknown_groups` must be one of"):
        pg.ResponseSet.from_records(records(ROWS[:1]), Q, unknown_groups=value)  # type: ignore[arg-type]


def test_a_group_left_without_respondents_is_still_an_error(tmp_path: Path) -> None:
    """Dropping that leaves a declared group empty raises EmptyDataError naming it and the
    drops; dropping every row says there are no data rows."""
    rows = [row for row in ROWS if row[0] != "high"]
    with pytest.raises(pg.EmptyDataError, match=r"group 'high' has no respondents \(3 rows"):
        pg.ResponseSet.from_csv(write(tmp_path, rows), Q, unknown_groups="drop")
    with pytest.raises(pg.EmptyDataError, match=r"no data rows \(2 rows dropped"):
        pg.ResponseSet.from_csv(write(tmp_path, [ROWS[2], ROWS[4]]), Q, unknown_groups="drop")


def test_a_note_lists_a_few_values_and_counts_the_rest() -> None:
    """At most three undeclared values are named, the most frequent first."""
    labels = ["x", "x", "x", "y", "y", "z", "w", "v", "elementary", "high"]
    rows = [(label, "f", "1", "1") for label in labels]
    rs = pg.ResponseSet.from_records(records(rows), Q, unknown_groups="drop")
    assert rs.notes[0].startswith("8 rows dropped: group not declared: 'x' (3), 'y' (2), ")
    assert rs.notes[0].endswith(" (1), 2 other values (2)")


def test_the_report_repeats_the_drops() -> None:
    """compare() puts the reading notes into report.notes."""
    rng = np.random.default_rng(1)
    rows = [
        (("elementary", "high", "middle", "")[i % 4], "f", str(rng.integers(1, 6)), "3")
        for i in range(40)
    ]
    rs = pg.ResponseSet.from_records(records(rows), Q, unknown_groups="drop")
    report = pg.compare(rs, "elementary", "high", n_resamples=0, n_permutations=0)
    texts = [note.message for note in report.notes]
    assert "20 rows dropped: group empty (10) or not declared: 'middle' (10)" in texts


# -- group_value --------------------------------------------------------------------------


def test_group_value_reads_a_file_without_a_group_column(tmp_path: Path) -> None:
    """Every row belongs to `group_value`; the other groups may have no respondents."""
    path = tmp_path / "high.csv"
    path.write_text("a,b,sex\n1,2,f\n3,4,\n", encoding="utf-8")
    rs = pg.ResponseSet.from_csv(path, Q, group_value="high")
    assert rs.n == {"elementary": 0, "high": 2}
    assert len(rs) == 2
    assert "high 2" in repr(rs)
    with pytest.raises(pg.EmptyDataError, match="group 'elementary' has no respondents"):
        pg.compare(rs, "elementary", "high", n_resamples=0, n_permutations=0)


def test_group_value_with_a_group_column_ignores_it() -> None:
    """A group column present in the data is not read under group_value."""
    rs = pg.ResponseSet.from_records(records([ROWS[2]]), Q, group_value="elementary")
    assert rs.n == {"elementary": 1, "high": 0}


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"group": "school", "group_value": "high"}, "not both"),
        ({"group_value": "middle"}, "`group_value` must be one of the questionnaire's groups"),
        ({"group_value": 1}, "`group_value` must be one of"),
    ],
)
def test_group_value_is_checked(options: dict[str, Any], match: str) -> None:
    """group_value must be a declared group, and cannot come with a group column."""
    with pytest.raises(pg.InvalidArgumentError, match=match):
        pg.ResponseSet.from_records(records(ROWS[:1]), Q, **options)


def test_two_one_group_files_joined_are_the_combined_file(tmp_path: Path) -> None:
    """A customers-only file and a business-only file, read with group_value and joined,
    give the report of the combined file (customers first, then business) for a seed."""
    paths = example_paths()
    q = pg.Questionnaire.from_file(paths.questionnaire)
    with open(paths.responses, newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    role = header.index("role")
    parts = {g: [row for row in rows if row[role] == g] for g in ("customer", "business")}
    combined = tmp_path / "combined.csv"
    with open(combined, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *parts["customer"], *parts["business"]])
    singles = []
    for g, part in parts.items():
        path = tmp_path / f"{g}.csv"
        kept = [i for i in range(len(header)) if i != role]  # no group column at all
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([[row[i] for i in kept] for row in [header, *part]])
        singles.append(pg.ResponseSet.from_csv(path, q, group_value=g, weight="weight"))
    joined = pg.ResponseSet.concat(singles)
    whole = pg.ResponseSet.from_csv(combined, q, group="role", weight="weight")
    assert joined.n == whole.n
    options: dict[str, Any] = {"rng": 3, "n_resamples": 200, "segments": ("generation",)}
    report = pg.compare(joined, "customer", "business", **options)
    expected = pg.compare(whole, "customer", "business", **options)
    assert report.to_dict() == expected.to_dict()


def test_group_value_and_drop_together() -> None:
    """Under group_value, unknown_groups="drop" still drops rows of undeclared levels."""
    rs = pg.ResponseSet.from_records(
        records(ROWS[3:8]), Q, group_value="high", unknown_groups="drop"
    )
    assert rs.n == {"elementary": 0, "high": 4}
    assert rs.notes == ("1 row dropped: level of 'sex' not declared: 'other' (1)",)

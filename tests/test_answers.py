"""Getting answers in: answer labels on Likert and Binary scales, multi-select Binary columns,
reverse-keyed items, and whole numbers read as decimals (1.0) matching declared codes."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from perceptiongap import _read_csv
from perceptiongap._answers import parse_answers
from perceptiongap._cells import Coded, TextColumn, Where

IPIP = (
    "Very inaccurate",
    "Moderately inaccurate",
    "Slightly inaccurate",
    "Slightly accurate",
    "Moderately accurate",
    "Very accurate",
)
LABELLED = pg.Questionnaire(
    items=["a", "b"], scale=pg.Likert(1, 6, labels=IPIP), groups=("1", "2")
)
SEGMENTED = pg.Questionnaire(
    items=["a", "b"], scale=pg.Likert(1, 6), groups=("1", "2"), segments={"s": ("1", "2")}
)
YES_NO = pg.Binary(labels=("No", "Yes"))
MULTI = pg.Binary(labels=("No", "Yes"), multi_select=True)
WHERE = Where("f.csv", np.arange(2, 12, dtype=np.int64))


def _coded(cells: list[str]) -> Coded:
    distinct = [*dict.fromkeys(cells), ""]
    return Coded(distinct, np.array([distinct.index(cell) for cell in cells], dtype=np.int64))


def _outcome(parse: Any) -> tuple[Any, ...]:
    try:
        values = parse()
    except pg.PerceptionGapError as exc:
        return ("error", type(exc).__name__, str(exc), exc.row, exc.value)
    return ("ok", [repr(value) for value in values.tolist()])


# --- answer labels ---------------------------------------------------------------------------


def test_labels_read_as_their_answers_in_any_case_and_spacing() -> None:
    """A label reads as its answer after trimming, ignoring case and Unicode normalisation; the
    numeric codes are still accepted, as numbers or as text."""
    records = [
        {"group": "1", "a": " very ACCURATE ", "b": "Slightly inaccurate"},
        {"group": "2", "a": 2, "b": "4"},
        {"group": "2", "a": "MODERATELY ACCURATE", "b": None},
    ]
    rs = pg.ResponseSet.from_records(records, LABELLED)
    np.testing.assert_array_equal(rs.values, [[6, 3], [2, 4], [5, np.nan]])
    accented = pg.Likert(1, 2, labels=("Pas d'accord", "D'accord e\u0301vident"))
    item = pg.Item("a")
    values = parse_answers(["d'accord \u00e9vident", "PAS D'ACCORD"], accented, item, WHERE)
    np.testing.assert_array_equal(values, [2, 1])


def test_an_unknown_text_answer_names_the_cell_and_the_labels() -> None:
    """A misspelt label is an error naming the row, the column and the allowed answers."""
    records = [{"group": "1", "a": 1, "b": 1}, {"group": "2", "a": "Moderately Inacurate", "b": 1}]
    with pytest.raises(pg.ValueOffScaleError) as info:
        pg.ResponseSet.from_records(records, LABELLED)
    assert (info.value.row, info.value.column) == (2, "a")
    assert "'Moderately Inacurate' is not an answer of this scale; expected 1 to 6 or one of" in (
        str(info.value)
    )
    with pytest.raises(pg.ValueOffScaleError, match="7 is not a valid answer; expected 1 to 6"):
        pg.ResponseSet.from_records([{"group": "1", "a": 7, "b": 1}], LABELLED)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (("a", "b"), r"one label per answer from 1 to 3 \(3\); got 2"),
        (("a", " A ", "b"), r"'a' and ' A ' are the same"),
        (("a", "", "b"), "must not be empty"),
        (("3", "b", "c"), r"'3' \(answer 1\) reads as a different answer"),
        (("a", "b", 3), "must be a string"),
        ("abc", "sequence of strings"),
    ],
)
def test_bad_labels_are_refused(labels: Any, message: str) -> None:
    """Labels: one per answer, distinct after folding, non-empty, never another answer's number."""
    with pytest.raises(pg.InvalidArgumentError, match=message):
        pg.Likert(1, 3, labels=labels)


def test_a_label_that_is_its_own_code_is_allowed() -> None:
    """Labels "1", "2", "3" on a 1-to-3 scale are their own codes."""
    assert pg.Likert(1, 3, labels=("1", "2", "3.0")).labels == ("1", "2", "3.0")
    with pytest.raises(pg.InvalidArgumentError, match=r"one label per answer from 0 to 1"):
        pg.Binary(labels=("No",))


def test_a_long_label_list_is_cut_in_messages() -> None:
    """describe() lists a few labels and the last, with the count, for a long scale."""
    labels = tuple(f"level {i}" for i in range(11))
    text = pg.Likert(0, 10, labels=labels).describe()
    assert (
        text
        == "0 to 10 or one of 'level 0', 'level 1', 'level 2', 'level 3', ..., 'level 10' (11 labels)"
    )
    assert pg.Likert(1, 6, labels=IPIP).describe().count("'") == 12


def test_scales_without_labels_keep_their_layout_and_repr() -> None:
    """Old files and reports are unchanged: no new keys unless the options are set."""
    assert pg.Binary().to_dict() == {"type": "binary"}
    assert repr(pg.Binary()) == "Binary()"
    assert repr(pg.Likert(1, 5)) == "Likert(low=1, high=5)"
    assert pg.Likert(1, 5).to_dict() == {"type": "likert", "low": 1, "high": 5}
    assert pg.Item("a").to_dict() == {"id": "a", "label": "a"}
    assert repr(pg.Item("a", reverse=True)) == "Item(id='a', label='a', reverse=True)"


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_labels_multi_select_and_reverse_round_trip_through_files(
    tmp_path: Path, suffix: str
) -> None:
    """Labels, multi_select and reverse survive to_dict/from_dict and TOML and JSON files."""
    for scale in (pg.Likert(1, 6, labels=IPIP), MULTI, YES_NO):
        q = pg.Questionnaire(
            items=[pg.Item("a", "A", reverse=True), "b"], scale=scale, groups=("x", "y")
        )
        assert pg.Questionnaire.from_dict(q.to_dict()) == q
        path = tmp_path / f"q{suffix}"
        q.to_file(path)
        assert pg.Questionnaire.from_file(path) == q


def test_the_documented_toml_layout_reads() -> None:
    """The questionnaire file layout of the docs: labels under [scale], reverse on an item."""
    text = (
        'groups = ["x", "y"]\n[scale]\ntype = "likert"\nlow = 1\nhigh = 3\n'
        'labels = ["No", "Maybe", "Yes"]\n[[items]]\nid = "a"\nreverse = true\n'
        '[[items]]\nid = "b"\n'
    )
    q = pg.Questionnaire.from_dict(
        {
            "groups": ["x", "y"],
            "scale": {"type": "likert", "low": 1, "high": 3, "labels": ["No", "Maybe", "Yes"]},
            "items": [{"id": "a", "reverse": True}, "b"],
        }
    )
    assert q.scale == pg.Likert(1, 3, labels=("No", "Maybe", "Yes"))
    assert q.items[0].reverse
    assert not q.items[1].reverse
    assert "labels" in text  # the same keys as the dictionary above


@pytest.mark.parametrize(
    ("scale", "key", "message"),
    [
        ({"type": "likert", "low": 1, "high": 3, "labels": "abc"}, "scale.labels", "a list"),
        ({"type": "likert", "low": 1, "high": 3, "labels": ["a"]}, "scale.labels", "one label"),
        ({"type": "binary", "multi_select": 1}, "scale.multi_select", "true or false"),
        ({"type": "numeric", "low": 0, "high": 1, "labels": ["a", "b"]}, "scale.labels", "takes"),
    ],
)
def test_bad_scale_options_in_a_file_name_their_key(
    scale: dict[str, Any], key: str, message: str
) -> None:
    """A bad labels or multi_select value names its key path."""
    data = {"groups": ["x", "y"], "scale": scale, "items": ["a", "b"]}
    with pytest.raises(pg.QuestionnaireError, match=message) as info:
        pg.Questionnaire.from_dict(data)
    assert info.value.key == key


def test_item_reverse_in_a_file_must_be_a_boolean() -> None:
    """reverse = 1 is refused, naming items[0].reverse."""
    data = {"groups": ["x", "y"], "scale": "binary", "items": [{"id": "a", "reverse": 1}, "b"]}
    with pytest.raises(pg.QuestionnaireError, match="true or false") as info:
        pg.Questionnaire.from_dict(data)
    assert info.value.key == "items[0].reverse"
    with pytest.raises(pg.InvalidArgumentError, match="True or False"):
        pg.Item("a", reverse="yes")  # type: ignore[arg-type]


def test_pandas_categoricals_map_by_their_text_never_their_codes() -> None:
    """An ordered categorical with the scale's labels, an unordered one, and one whose
    categories are listed in another order all read by label text (codes are never answers)."""
    pd = pytest.importorskip("pandas")
    cells = ["Very accurate", "Very inaccurate", None, "slightly accurate"]
    expected = [6, 1, np.nan, 4]
    for categories, ordered in ((IPIP, True), (IPIP, False), (IPIP[::-1], True)):
        column = pd.Categorical(
            [c if c is None else c.capitalize() for c in cells],
            categories=[c.capitalize() for c in categories],
            ordered=ordered,
        )
        frame = pd.DataFrame({"group": ["1", "2", "1", "2"], "a": column, "b": [1, 2, 3, 4]})
        rs = pg.ResponseSet.from_frame(frame, LABELLED, group="group")
        np.testing.assert_array_equal(rs.values[:, 0], expected)


def test_labels_read_the_same_from_a_csv_file_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV file of labels reads the same through the byte splitter and the general path."""
    path = tmp_path / "survey.csv"
    rows = ["group,a,b", "1,Very accurate, very inaccurate", "2,4,MODERATELY ACCURATE", "1.0,,2"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    results = []
    for split in (True, False):
        monkeypatch.setattr(_read_csv, "BYTE_SPLIT", split)
        rs = pg.ResponseSet.from_csv(path, LABELLED)
        results.append((rs.values.tolist(), rs.group_codes.tolist()))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    assert results[0][1] == results[1][1]
    np.testing.assert_array_equal(results[0][0], [[6, 1], [4, 5], [np.nan, 2]])
    assert results[0][1] == [0, 1, 0]


LABEL_CELLS = st.one_of(
    st.sampled_from(IPIP).flatmap(
        lambda label: st.sampled_from(
            [label, label.upper(), label.lower(), f" {label}  ", label.swapcase()]
        )
    ),
    st.sampled_from(["", "1", "6", " 3 ", "3.0", "7", "0", "x", "Very  accurate", "nan", "1.5"]),
)


@given(cells=st.lists(LABEL_CELLS, min_size=1, max_size=10))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_labelled_columns_parse_alike_in_every_form(cells: list[str]) -> None:
    """Text cells, dictionary-encoded cells and an object array give the same answers or the
    same error (row and value); a label's answer is its position in scale order."""
    scale = LABELLED.scale
    item = pg.Item("a")
    where = Where("f.csv", np.arange(2, 2 + len(cells), dtype=np.int64))
    text = _outcome(lambda: parse_answers(TextColumn(cells), scale, item, where))
    assert _outcome(lambda: parse_answers(_coded(cells), scale, item, where)) == text
    array = np.asarray(cells, dtype=object)
    assert _outcome(lambda: parse_answers(array, scale, item, where)) == text
    folded = {unicodedata.normalize("NFC", label).casefold(): i for i, label in enumerate(IPIP, 1)}
    if text[0] == "ok":
        for cell, value in zip(cells, text[1], strict=True):
            if cell.strip().casefold() in folded:
                assert value == repr(float(folded[cell.strip().casefold()]))


# --- Binary labels and multi-select ----------------------------------------------------------


def test_binary_labels_read_as_zero_and_one() -> None:
    """Binary(labels=("No", "Yes")): the labels, the codes and booleans are answers."""
    values = parse_answers(["yes", " NO ", "1", "", "0"], YES_NO, pg.Item("a"), WHERE)
    np.testing.assert_array_equal(values, [1, 0, 1, np.nan, 0])
    values = parse_answers(np.array([True, False], dtype=object), YES_NO, pg.Item("a"), WHERE)
    np.testing.assert_array_equal(values, [1, 0])


def test_multi_select_reads_empty_as_not_chosen_and_the_option_text_as_chosen() -> None:
    """An empty cell is 0, a checked box holds 1, the yes label, or the item's id or label."""
    item = pg.Item("coupons", "Get discounts or coupons")
    cells = ["", "1", "Yes", " get DISCOUNTS or coupons", "coupons", "No", "0", "  "]
    values = parse_answers(cells, MULTI, item, WHERE)
    np.testing.assert_array_equal(values, [0, 1, 1, 1, 1, 0, 0, 0])
    frame_column = np.array([1.0, np.nan, 0.0])  # a float column: NaN is an empty cell
    np.testing.assert_array_equal(parse_answers(frame_column, MULTI, item, WHERE), [1, 0, 0])
    np.testing.assert_array_equal(parse_answers([None, True], MULTI, item, WHERE), [0, 1])


def test_multi_select_refuses_other_text_naming_the_cell() -> None:
    """Any other text in a multi-select column is an error naming the row and column."""
    item = pg.Item("coupons", "Get discounts or coupons")
    with pytest.raises(pg.ValueOffScaleError) as info:
        parse_answers(["", "coupons", "community"], MULTI, item, WHERE)
    assert (info.value.row, info.value.column, info.value.value) == (4, "coupons", "community")
    assert "the item's id 'coupons' or label 'Get discounts or coupons'" in str(info.value)
    assert "an empty cell (not chosen)" in str(info.value)


def test_multi_select_without_labels_reads_a_whole_survey() -> None:
    """A multi-select export read end to end: empties are 0, nothing is missing."""
    q = pg.Questionnaire(items=["x", "y"], scale=pg.Binary(multi_select=True), groups=("g", "h"))
    records = [
        {"group": "g", "x": "x", "y": ""},
        {"group": "h", "x": None, "y": "Y"},
        {"group": "h", "x": 1, "y": None},
    ]
    rs = pg.ResponseSet.from_records(records, q)
    np.testing.assert_array_equal(rs.values, [[1, 0], [0, 1], [1, 0]])


# --- reverse-keyed items ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "cells", "expected"),
    [
        (pg.Likert(1, 5), [1, 2, 5, None], [5, 4, 1, np.nan]),
        (pg.Binary(), [0, 1, None], [1, 0, np.nan]),
        (pg.Numeric(0, 10), [0, 2.5, 10], [10, 7.5, 0]),
        (pg.Likert(1, 6, labels=IPIP), ["Very accurate", 2], [1, 5]),
    ],
)
def test_a_reversed_item_scores_low_plus_high_minus_x(
    scale: pg.Scale, cells: list[Any], expected: list[float]
) -> None:
    """low + high - x on every scale (NaN stays NaN), after the labels are read."""
    values = parse_answers(cells, scale, pg.Item("a", reverse=True), WHERE)
    np.testing.assert_array_equal(values, expected)


def test_every_statistic_sees_the_reversed_scores() -> None:
    """A report from a reversed item equals the report from the hand-recoded data, except
    that the item says it is reversed; the text, Markdown and HTML tables mark it (R)."""
    rng = np.random.default_rng(4)
    answers = rng.integers(1, 6, size=(60, 3)).astype(float)
    groups = ["x"] * 30 + ["y"] * 30
    reversed_q = pg.Questionnaire(
        items=["a", pg.Item("b", "Bee", reverse=True), "c"],
        scale=pg.Likert(1, 5),
        groups=("x", "y"),
    )
    plain_q = pg.Questionnaire(
        items=["a", pg.Item("b", "Bee"), "c"], scale=pg.Likert(1, 5), groups=("x", "y")
    )
    recoded = answers.copy()
    recoded[:, 1] = 6 - recoded[:, 1]
    options: dict[str, Any] = {"n_resamples": 200, "rng": 1}
    report = pg.compare(
        pg.ResponseSet.from_arrays(reversed_q, answers, groups), "x", "y", **options
    )
    by_hand = pg.compare(pg.ResponseSet.from_arrays(plain_q, recoded, groups), "x", "y", **options)
    assert report.spearman == by_hand.spearman
    assert [g.gap for g in report.items] == [g.gap for g in by_hand.items]
    assert report.items[1].item.reverse
    for text in (str(report), report.to_markdown(), report.to_html()):
        assert "Bee (R)" in text
        assert "a (R)" not in text
    assert "(R)" not in report.to_csv()  # the tidy CSV keeps its columns and labels
    assert report.to_csv().splitlines()[0] == by_hand.to_csv().splitlines()[0]
    again = pg.GapReport.from_json(report.to_json())
    assert again.items[1].item == pg.Item("b", "Bee", reverse=True)
    assert again == report


def test_a_report_keeps_the_scale_labels_and_old_reports_still_load() -> None:
    """The scale's labels round-trip through a report's JSON; a report without them loads."""
    rng = np.random.default_rng(5)
    answers = rng.integers(1, 7, size=(40, 2)).astype(float)
    groups = ["1"] * 20 + ["2"] * 20
    report = pg.compare(
        pg.ResponseSet.from_arrays(LABELLED, answers, groups), "1", "2", n_resamples=100, rng=2
    )
    again = pg.GapReport.from_json(report.to_json())
    assert again.scale == LABELLED.scale
    data = json.loads(report.to_json())
    data["scale"] = {"type": "likert", "low": 1, "high": 6}
    assert pg.GapReport.from_dict(data).scale == pg.Likert(1, 6)


# --- codes read as decimals ------------------------------------------------------------------


def test_a_float_group_column_with_a_gap_matches_integer_codes() -> None:
    """pandas reads integer codes with a gap as floats: 1.0 and 2.0 match groups "1" and "2"
    and segment levels likewise; the row with no group is reported, not guessed."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"group": [1, 2, None, 1], "a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "s": [2, None, 1, 1]}
    )
    assert frame["group"].dtype.kind == "f"
    with pytest.raises(pg.UnknownLabelError, match="the group is missing") as info:
        pg.ResponseSet.from_frame(frame, SEGMENTED, group="group")
    assert info.value.row == 3
    rs = pg.ResponseSet.from_frame(frame.dropna(subset=["group"]), SEGMENTED, group="group")
    assert rs.n == {"1": 2, "2": 1}
    assert rs.segment_codes["s"].tolist() == [1, -1, 0]


@pytest.mark.parametrize("cell", [1.0, np.float64(1.0), np.float32(1.0), "1.0", " 1.00 ", 1, "1"])
def test_whole_numbers_match_a_declared_code(cell: object) -> None:
    """Numbers, numpy floats and the text "1.0" (as pandas writes floats) match "1"."""
    records = [{"group": cell, "a": 1, "b": 1, "s": cell}, {"group": "2", "a": 1, "b": 1}]
    rs = pg.ResponseSet.from_records(records, SEGMENTED)
    assert rs.group_codes.tolist() == [0, 1]
    assert rs.segment_codes["s"].tolist() == [0, -1]


@pytest.mark.parametrize("cell", [1.5, "1.5", True, np.bool_(True), "1e0", 1.0000001])
def test_fractions_and_booleans_never_match_a_code(cell: object) -> None:
    """1.5 is not group "1", nor is True (its text is "True")."""
    records = [{"group": cell, "a": 1, "b": 1}, {"group": "2", "a": 1, "b": 1}]
    with pytest.raises(pg.UnknownLabelError, match="unknown group"):
        pg.ResponseSet.from_records(records, LABELLED)


def test_a_declared_decimal_label_is_matched_as_written() -> None:
    """A group declared as "1.5" is matched by 1.5; one declared as "1.0" by 1.0 itself."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("1.5", "1.0"))
    records = [{"group": 1.5, "a": 1, "b": 1}, {"group": 1.0, "a": 0, "b": 1}]
    assert pg.ResponseSet.from_records(records, q).group_codes.tolist() == [0, 1]


@given(code=st.integers(-1000, 1000), text=st.booleans())
@settings(max_examples=100, deadline=None)
def test_any_whole_float_matches_its_integer_code(code: int, text: bool) -> None:
    """For every integer code, its float (or the float's text) matches; code + 0.5 does not."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=(str(code), "other"))
    cell: object = repr(float(code)) if text else float(code)
    records = [{"group": cell, "a": 1, "b": 1}, {"group": "other", "a": 1, "b": 1}]
    assert pg.ResponseSet.from_records(records, q).group_codes.tolist() == [0, 1]
    half = code + 0.5
    with pytest.raises(pg.UnknownLabelError):
        pg.ResponseSet.from_records([{"group": half, "a": 1, "b": 1}, *records], q)


def test_reports_explain_the_reverse_mark_once() -> None:
    """The sentence under the title says what "(R)" means, in every rendering."""
    q = pg.Questionnaire(
        items=["a", pg.Item("b", "Bee", reverse=True), "c"],
        scale=pg.Likert(1, 5),
        groups=("customer", "business"),
    )
    values = np.random.default_rng(1).integers(1, 6, (60, 3))
    rs = pg.ResponseSet.from_arrays(q, values, np.repeat(["customer", "business"], 30))
    report = pg.compare(rs, "customer", "business", n_resamples=0, n_permutations=0)
    for text in (str(report), report.to_markdown(), report.to_html()):
        assert text.count("reverse-keyed (scored low + high - answer)") == 1
    plain = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(1, 5), groups=q.groups)
    rs = pg.ResponseSet.from_arrays(plain, values, np.repeat(["customer", "business"], 30))
    assert "reverse-keyed" not in str(pg.compare(rs, "customer", "business", n_resamples=0))


def test_reports_show_the_answer_labels_once() -> None:
    """Where the scale has labels, the line under the title says what each code means."""
    scale = pg.Likert(1, 3, labels=("Disagree", "Neutral", "Agree"))
    q = pg.Questionnaire(items=["a", "b", "c"], scale=scale, groups=("customer", "business"))
    values = np.random.default_rng(2).integers(1, 4, (40, 3))
    rs = pg.ResponseSet.from_arrays(q, values, np.repeat(["customer", "business"], 20))
    report = pg.compare(rs, "customer", "business", n_resamples=0, n_permutations=0)
    for text in (str(report), report.to_markdown(), report.to_html()):
        assert text.count("Answers: 1 = Disagree, 2 = Neutral, 3 = Agree") == 1
    binary = pg.Questionnaire(
        items=["a", "b"], scale=pg.Binary(labels=("No", "Yes")), groups=q.groups
    )
    rs = pg.ResponseSet.from_arrays(
        binary, values[:, :2] > 1, np.repeat(["customer", "business"], 20)
    )
    assert "Answers: 0 = No, 1 = Yes" in str(pg.compare(rs, "customer", "business", n_resamples=0))

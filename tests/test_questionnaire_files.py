"""Tests of questionnaire files: key paths and lines in errors, round trips, the import flow."""

from __future__ import annotations

import ast
import json
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from perceptiongap._questionnaire_files import _json_lines, _toml_lines, format_key
from strategies import questionnaires

# Line numbers below refer to these two texts; keep them in step.
JSON_TEXT = """\
{
  "title": "A small survey",
  "groups": ["customer", "business"],
  "scale": {
    "type": "likert",
    "low": 1,
    "high": 5
  },
  "segments": {
    "generation": ["GenY", "GenX"]
  },
  "items": [
    {"id": "discounts", "label": "Get discounts"},
    {
      "id": "community",
      "label": "Be in a community"
    },
    {"id": "price"}
  ]
}
"""

TOML_TEXT = """\
title = "A small survey"
groups = ["customer", "business"]

[scale]
type = "likert"
low = 1
high = 5

[segments]
generation = ["GenY", "GenX"]

[[items]]
id = "discounts"
label = "Get discounts"

[[items]]
id = "community"
label = "Be in a community"

[[items]]
id = "price"
"""


def write(path: Path, text: str) -> Path:
    """Write `text` to `path` as UTF-8 and return the path."""
    path.write_text(text, encoding="utf-8")
    return path


def test_the_texts_hold_the_same_valid_questionnaire(tmp_path: Path) -> None:
    """The JSON and TOML texts the error tests change read to one valid questionnaire."""
    from_json = pg.Questionnaire.from_file(write(tmp_path / "q.json", JSON_TEXT))
    from_toml = pg.Questionnaire.from_file(write(tmp_path / "q.toml", TOML_TEXT))
    assert from_json == from_toml
    assert from_json.item_ids == ("discounts", "community", "price")


# Each case: a change to the JSON text, the same change to the TOML text, the key path of the
# bad value, its line in each file, and the message that follows the location.
CASES: dict[str, tuple[tuple[str, str], tuple[str, str], str, int, int, str]] = {
    "item id with spaces": (
        ('"id": "community"', '"id": "community "'),
        ('id = "community"', 'id = "community "'),
        "items[1].id",
        15,
        17,
        "an item id must be a non-empty string without surrounding spaces; got 'community '.",
    ),
    "item id not a string": (
        ('{"id": "price"}', '{"id": 7}'),
        ('id = "price"', "id = 7"),
        "items[2].id",
        18,
        21,
        "an item id must be a string; got 7.",
    ),
    "item label not a string": (
        ('"label": "Be in a community"', '"label": 3'),
        ('label = "Be in a community"', "label = 3"),
        "items[1].label",
        16,
        18,
        "an item label must be a string; got 3.",
    ),
    "item id twice": (
        ('{"id": "price"}', '{"id": "discounts"}'),
        ('id = "price"', 'id = "discounts"'),
        "items[2].id",
        18,
        21,
        "item ids must be unique; 'discounts' appears twice.",
    ),
    "unknown item key": (
        ('"label": "Get discounts"', '"text": "Get discounts"'),
        ('label = "Get discounts"', 'text = "Get discounts"'),
        "items[0].text",
        13,
        14,
        "unknown item key 'text'; allowed: 'id', 'label', 'reverse'.",
    ),
    "item without id": (
        ('{"id": "price"}', '{"label": "price"}'),
        ('id = "price"', 'label = "price"'),
        "items[2]",
        18,
        20,
        "the item has no 'id'; every item needs one.",
    ),
    "unknown scale type": (
        ('"type": "likert"', '"type": "stars"'),
        ('type = "likert"', 'type = "stars"'),
        "scale.type",
        5,
        5,
        "unknown scale type 'stars'; expected one of ['binary', 'likert', 'numeric'].",
    ),
    "likert end not an integer": (
        ('"low": 1', '"low": 1.5'),
        ("low = 1", "low = 1.5"),
        "scale.low",
        6,
        6,
        "the low end of a likert scale must be an integer; got 1.5.",
    ),
    "high not above low": (
        ('"high": 5', '"high": 1'),
        ("high = 5", "high = 1"),
        "scale.high",
        7,
        7,
        "the high end must be greater than the low end; got low=1, high=1.",
    ),
    "scale key not allowed": (
        ('"high": 5', '"high": 5, "top": 6'),
        ("high = 5", "high = 5\ntop = 6"),
        "scale.top",
        7,
        8,
        "a likert scale takes the keys ['high', 'low'] and optionally ['labels']; "
        "got ['high', 'low', 'top'].",
    ),
    "scale key missing": (
        ('"low": 1,\n    "high": 5', '"low": 1'),
        ("low = 1\nhigh = 5", "low = 1"),
        "scale",
        4,
        4,
        "a likert scale takes the keys ['high', 'low'] and optionally ['labels']; got ['low'].",
    ),
    "group twice": (
        ('["customer", "business"]', '["customer", "customer"]'),
        ('["customer", "business"]', '["customer", "customer"]'),
        "groups[1]",
        3,
        2,
        "the groups must be unique; 'customer' appears twice.",
    ),
    "one group": (
        ('["customer", "business"]', '["customer"]'),
        ('["customer", "business"]', '["customer"]'),
        "groups",
        3,
        2,
        "a questionnaire needs at least two groups; got ['customer'].",
    ),
    "empty segment level": (
        ('["GenY", "GenX"]', '["GenY", ""]'),
        ('["GenY", "GenX"]', '["GenY", ""]'),
        "segments.generation[1]",
        10,
        10,
        "a segment level must be a non-empty string without surrounding spaces; got ''.",
    ),
    "segment levels not a list": (
        ('["GenY", "GenX"]', '"GenY"'),
        ('["GenY", "GenX"]', '"GenY"'),
        "segments.generation",
        10,
        10,
        "the levels of segment 'generation' must be a list; got 'GenY'.",
    ),
    "segment named like an item": (
        ('"generation"', '"price"'),
        ("generation =", "price ="),
        "segments.price",
        10,
        10,
        "segment 'price' has the same name as an item; rename one of them.",
    ),
    "title not a string": (
        ('"title": "A small survey"', '"title": 3'),
        ('title = "A small survey"', "title = 3"),
        "title",
        2,
        1,
        "the title must be a string; got 3.",
    ),
    "unknown top-level key": (
        ('"title": "A small survey"', '"colour": "red"'),
        ('title = "A small survey"', 'colour = "red"'),
        "colour",
        2,
        1,
        "unknown key 'colour'; allowed keys are "
        "['groups', 'items', 'scale', 'segments', 'title'].",
    ),
}


def changed(text: str, change: tuple[str, str]) -> str:
    """Replace the first occurrence of ``change[0]`` in `text`, which must hold it."""
    assert change[0] in text
    return text.replace(change[0], change[1], 1)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_json_file_errors_name_the_line_and_key_path(tmp_path: Path, case: Any) -> None:
    """An invalid value in a JSON file is reported as ``file, line L, key.path: message``."""
    json_change, _, key, line, _, message = case
    path = write(tmp_path / "survey.json", changed(JSON_TEXT, json_change))
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.file, info.value.key, info.value.line) == (str(path), key, line)
    assert str(info.value) == f"{path}, line {line}, {key}: {message}"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_toml_file_errors_name_the_line_and_key_path(tmp_path: Path, case: Any) -> None:
    """An invalid value in a TOML file is reported as ``file, line L, key.path: message``."""
    _, toml_change, key, _, line, message = case
    path = write(tmp_path / "survey.toml", changed(TOML_TEXT, toml_change))
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.file, info.value.key, info.value.line) == (str(path), key, line)
    assert str(info.value) == f"{path}, line {line}, {key}: {message}"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_dict_errors_name_the_key_path(case: Any) -> None:
    """from_dict reports the same key path and message, without a line."""
    json_change, _, key, _, _, message = case
    data = json.loads(changed(JSON_TEXT, json_change))
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_dict(data, file="survey.json")
    assert (info.value.key, info.value.line) == (key, None)
    assert str(info.value) == f"survey.json, {key}: {message}"


@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        ({"items": "abc"}, "items", "the items must be a list; got 'abc'."),
        ({"items": ["a", ["b"]]}, "items[1]", "an item must be a table (mapping); got ['b']."),
        ({"items": ["a", " b"]}, "items[1]", "an item id must be a non-empty string"),
        ({"items": ["a", "a"]}, "items[1]", "item ids must be unique; 'a' appears twice."),
        ({"items": ["a"]}, "items", "a questionnaire needs at least two items"),
        ({"groups": "customer"}, "groups", "the groups must be a list; got 'customer'."),
        ({"groups": ["customer", 2]}, "groups[1]", "a group name must be a string; got 2."),
        ({"scale": 5}, "scale", "the scale must be a table (mapping) with a 'type'; got 5."),
        ({"scale": "stars"}, "scale", "unknown scale type 'stars'"),
        ({"scale": {"low": 1}}, "scale", "the scale has no 'type'"),
        ({"scale": {"type": "numeric", "low": 0, "high": "10"}}, "scale.high", "a number"),
        ({"scale": {"type": "numeric", "low": float("nan"), "high": 1}}, "scale.low", "finite"),
        ({"segments": ["generation"]}, "segments", "the segments must be a table"),
        ({"segments": {"generation": []}}, "segments.generation", "at least one level"),
        ({"segments": {"": ["x"]}}, 'segments.""', "a segment name must be a non-empty"),
        ({"segments": {"age group": ["x", "x"]}}, 'segments."age group"[1]', "appears twice"),
    ],
)
def test_dict_errors_name_the_key_path_of_each_kind_of_value(
    data: dict[str, Any], key: str, message: str
) -> None:
    """Bad values the files cannot easily hold (lists for tables, empty keys) name their path."""
    base = {"groups": ["customer", "business"], "scale": "binary", "items": ["a", "b"]}
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_dict({**base, **data})
    assert info.value.key == key
    assert str(info.value).startswith(f"{key}: ")
    assert message in str(info.value)


def test_errors_about_the_whole_definition_have_no_key_path(tmp_path: Path) -> None:
    """A missing top-level key or a non-table document is reported without key path or line."""
    path = write(tmp_path / "q.json", json.dumps({"scale": "binary", "groups": ["a", "b"]}))
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.key, info.value.line) == (None, None)
    assert str(info.value) == f"{path}: the key 'items' is missing."
    path = write(tmp_path / "list.json", "[1, 2]")
    with pytest.raises(pg.QuestionnaireError, match="table") as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.key, info.value.line) == (None, None)


def test_toml_values_in_inline_tables_take_the_line_of_their_key(tmp_path: Path) -> None:
    """A value inside an inline table or array is reported on the line of the enclosing key."""
    text = (
        'groups = ["customer", "staff"]\n'
        'scale = {type = "likert", low = 1.0, high = 5}\n'
        'items = ["price", "price"]\n'
    )
    path = write(tmp_path / "inline.toml", text)
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.key, info.value.line) == ("scale.low", 2)
    write(path, text.replace("1.0", "1"))
    with pytest.raises(pg.QuestionnaireError) as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.key, info.value.line) == ("items[1]", 3)


def test_toml_line_scan_skips_multi_line_strings_and_reads_quoted_keys() -> None:
    """Key-like lines inside a multi-line string are not taken for keys; quoted keys are read."""
    text = (
        "[[items]]\n"
        'label = """\n'
        'id = "not a key"\n'
        '"""\n'
        'id = "a"\n'
        "\n"
        "[segments]\n"
        '"age group" = ["x"]\n'
        "'lit.key' = ['y']\n"
        "\"'\" = ['z']\n"
    )
    lines = _toml_lines(text)
    assert lines[("items", 0, "id")] == 5
    assert lines[("items", 0)] == 1
    assert lines[("segments", "age group")] == 8
    assert lines[("segments", "lit.key")] == 9
    assert lines[("segments", "'")] == 10


def test_json_positions_follow_nesting_and_escapes() -> None:
    """The JSON scan places every value, including after escaped quotes and on later lines."""
    text = '{"a\\"b": [1,\n {"c": "x\\"y"},\n  [2, 3]], "d": null}'
    lines = _json_lines(text)
    assert lines[()] == 1
    assert lines[('a"b',)] == 1
    assert lines[('a"b', 1, "c")] == 2
    assert lines[('a"b', 2, 1)] == 3
    assert lines[("d",)] == 3


def test_key_paths_quote_keys_that_are_not_bare() -> None:
    """Bare keys are written plainly, others quoted as TOML quotes them, list positions in brackets."""
    assert format_key(("items", 2, "id")) == "items[2].id"
    assert format_key(("segments", "génération", 0)) == 'segments."génération"[0]'
    assert format_key(("segments", "age-group")) == "segments.age-group"
    assert format_key(()) == ""


@pytest.mark.parametrize(
    ("name", "text", "line", "match"),
    [
        ("broken.json", '{\n  "groups": ["a", "b"],\n}\n', 3, "cannot parse the file: .*column 1"),
        ("broken.toml", 'groups = [\n  "a",\n  "b"\n', 3, "end of the file"),
        ("broken.toml", "title = 'x'\ngroups = \n", 2, r"cannot parse the file: .*\(column 10\)"),
    ],
)
def test_syntax_errors_name_the_line(
    tmp_path: Path, name: str, text: str, line: int, match: str
) -> None:
    """Invalid JSON or TOML is reported with the line of the problem, as an attribute too."""
    path = write(tmp_path / name, text)
    with pytest.raises(pg.QuestionnaireError, match=match) as info:
        pg.Questionnaire.from_file(path)
    assert (info.value.line, info.value.key) == (line, None)
    assert str(info.value).startswith(f"{path}, line {line}: cannot parse the file")


def test_bytes_that_are_not_utf8_name_the_line(tmp_path: Path) -> None:
    """A file that is not UTF-8 is reported with the line of the first bad byte."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TOML_TEXT.replace("Be in", "Réuni").encode("latin-1"))
    with pytest.raises(pg.QuestionnaireError, match="byte 0xe9 is not UTF-8") as info:
        pg.Questionnaire.from_file(path)
    assert info.value.line == 18


def test_python_construction_still_names_the_parameter() -> None:
    """Questionnaires built in Python name the parameter, not a key path."""
    with pytest.raises(pg.InvalidArgumentError, match=r"^`Item\.id` must be a non-empty"):
        pg.Item(" a")
    with pytest.raises(pg.InvalidArgumentError, match=r"^`high` must be greater than `low`"):
        pg.Likert(low=5, high=1)
    with pytest.raises(pg.InvalidArgumentError, match=r"^`groups` must name at least two"):
        pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=["customer"])


def test_scale_from_stays_an_invalid_argument_error() -> None:
    """_scale_from, which saved reports use, raises InvalidArgumentError naming the key path."""
    from perceptiongap._questionnaire import _scale_from

    assert _scale_from({"type": "likert", "low": 1, "high": 5}) == pg.Likert(low=1, high=5)
    with pytest.raises(pg.InvalidArgumentError, match=r"^scale\.type: unknown scale type"):
        _scale_from({"type": "stars"})


def test_questionnaire_module_still_exports_the_scales() -> None:
    """Modules that import the scales from _questionnaire keep working."""
    from perceptiongap import _questionnaire, _scales

    for name in ("Binary", "Likert", "Numeric", "Scale", "_scale_from"):
        assert getattr(_questionnaire, name) is getattr(_scales, name)


def test_imports_flow_one_way() -> None:
    """_questionnaire_files imports neither _scales nor _questionnaire (only the errors and the
    file writer); _scales not _questionnaire."""
    package = Path(pg.__file__).parent

    def imported(module: str) -> set[str]:
        tree = ast.parse((package / f"{module}.py").read_text(encoding="utf-8"))
        return {
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1
        }

    assert imported("_questionnaire_files") == {"errors", "_files"}
    assert "_questionnaire" not in imported("_scales")
    assert {"_scales", "_questionnaire_files"} <= imported("_questionnaire")


@settings(max_examples=80, deadline=None)
@given(q=questionnaires())
def test_from_dict_inverts_to_dict(q: pg.Questionnaire) -> None:
    """For any valid questionnaire, from_dict(to_dict()) gives it back, also through JSON text."""
    assert pg.Questionnaire.from_dict(q.to_dict()) == q
    assert pg.Questionnaire.from_dict(json.loads(json.dumps(q.to_dict()))) == q


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=questionnaires(), suffix=st.sampled_from([".json", ".toml"]))
def test_files_round_trip_any_questionnaire(
    tmp_path: Path, q: pg.Questionnaire, suffix: str
) -> None:
    """For any valid questionnaire, to_file then from_file gives it back in either format."""
    path = tmp_path / f"q{suffix}"
    q.to_file(path)
    assert pg.Questionnaire.from_file(path) == q


# -- hostile files -----------------------------------------------------------------------------

GOOD_JSON = (
    '{"scale": {"type": "likert", "low": 1, "high": 5},\n'
    ' "groups": ["a", "b"],\n'
    ' "items": [{"id": "x"}, {"id": "y"}]}\n'
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep-scale.json", GOOD_JSON.replace('"a", "b"', "[" * 40 + "]" * 40)),
        ("deep.toml", "a = " + "[" * 100_000 + "]" * 100_000),
        ("deep-inline.toml", "a = " + "{b = " * 5000 + "1" + "}" * 5000),
        ("moderately-deep.toml", "a = " + "[" * 40 + "]" * 40),
    ],
)
def test_deep_nesting_is_refused_without_recursion_error(
    tmp_path: Path, name: str, text: str
) -> None:
    """JSON or TOML nested deeper than 32 levels is a QuestionnaireError (never a bare
    RecursionError), whatever the depth."""
    with pytest.raises(pg.QuestionnaireError, match="nest more than 32 levels deep"):
        pg.Questionnaire.from_file(write(tmp_path / name, text))


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        (GOOD_JSON.replace('"groups": ["a", "b"],', '"groups": ["a", "b"], "groups": ["c", "d"],'),
         "groups", 2),
        (GOOD_JSON.replace('"low": 1,', '"low": 1,\n "low": 2,'), "scale.low", 2),
        (GOOD_JSON.replace('{"id": "y"}', '{"id": "y",\n "id": "z"}'), "items[1].id", 4),
    ],
)  # fmt: skip
def test_a_repeated_json_key_is_refused_with_its_key_path_and_line(
    tmp_path: Path, text: str, key: str, line: int
) -> None:
    """json.loads keeps the last of two equal keys silently; the reader names the repeat."""
    with pytest.raises(pg.QuestionnaireError, match="appears more than once") as info:
        pg.Questionnaire.from_file(write(tmp_path / "dup.json", text))
    assert (info.value.key, info.value.line) == (key, line)


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("nan.json", GOOD_JSON.replace('"low": 1', '"low": NaN'), "scale.low"),
        ("inf.json", GOOD_JSON.replace('"high": 5', '"high": Infinity'), "scale.high"),
        ("minus-inf.json", GOOD_JSON.replace('"high": 5', '"high": -Infinity'), "scale.high"),
        ("overflow.json", GOOD_JSON.replace('"high": 5', '"high": 1e400'), "scale.high"),
        ("long-int.json", GOOD_JSON.replace('"high": 5', '"high": 1' + "0" * 400), "scale.high"),
        ("longer-int.json", GOOD_JSON.replace('"high": 5', '"high": 1' + "0" * 5000),
         "scale.high"),
        ("nan-label.json", GOOD_JSON.replace('{"id": "x"}', '{"id": "x", "label": NaN}'),
         "items[0].label"),
        ("nan.toml", TOML_TEXT.replace("low = 1", "low = nan"),
         "scale.low"),
        ("inf.toml", TOML_TEXT.replace("high = 5", "high = inf"),
         "scale.high"),
    ],
)  # fmt: skip
def test_numbers_that_are_not_finite_floats_are_refused_by_key_path(
    tmp_path: Path, name: str, text: str, key: str
) -> None:
    """NaN, Infinity and overflowing literals (which Python's json and tomllib accept) are
    refused at their key path, never turned into inf or a bare ValueError."""
    with pytest.raises(pg.QuestionnaireError, match="is not a finite number") as info:
        pg.Questionnaire.from_file(write(tmp_path / name, text))
    assert info.value.key == key
    assert info.value.line is not None


def test_a_toml_integer_of_thousands_of_digits_is_a_questionnaire_error(tmp_path: Path) -> None:
    """tomllib's bare ValueError (Python's int digit limit) becomes a QuestionnaireError."""
    text = TOML_TEXT.replace("high = 5", "high = 1" + "0" * 5000)
    with pytest.raises(pg.QuestionnaireError, match="an integer has thousands of digits"):
        pg.Questionnaire.from_file(write(tmp_path / "long.toml", text))


def test_a_file_over_max_bytes_is_refused_and_none_lifts_the_limit(tmp_path: Path) -> None:
    """16 MiB by default; the message names the limit and max_bytes=None."""
    path = write(tmp_path / "padded.json", GOOD_JSON + " " * 100)
    with pytest.raises(pg.QuestionnaireError, match=r"longer than 100 bytes.*max_bytes=None"):
        pg.Questionnaire.from_file(path, max_bytes=100)
    assert pg.Questionnaire.from_file(path, max_bytes=None).k == 2
    assert pg.Questionnaire.from_file(path).k == 2
    huge = write(tmp_path / "huge.json", " " * (16 * 2**20 + 1))
    with pytest.raises(pg.QuestionnaireError, match="longer than 16,777,216 bytes"):
        pg.Questionnaire.from_file(huge)
    for bad in (-1, 0, 1.5, True):
        with pytest.raises(pg.InvalidArgumentError, match="`max_bytes` must be a positive"):
            pg.Questionnaire.from_file(path, max_bytes=bad)  # type: ignore[arg-type]
    assert pg.Questionnaire.from_file(path, max_bytes=np.int64(10_000)).k == 2


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_not_read_forever(tmp_path: Path) -> None:
    """A .json name that leads to /dev/zero is refused as not a regular file."""
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(pg.QuestionnaireError, match="not a regular file"):
        pg.Questionnaire.from_file(link, max_bytes=None)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    """A directory named like a questionnaire file is a QuestionnaireError."""
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(pg.QuestionnaireError, match="cannot read the file"):
        pg.Questionnaire.from_file(tmp_path / "dir.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read(tmp_path: Path) -> None:
    """A FIFO (say a shell's process substitution) is read like a file."""
    pipe = tmp_path / "q.json"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text(GOOD_JSON, encoding="utf-8"))
    writer.start()
    try:
        assert pg.Questionnaire.from_file(pipe).groups == ("a", "b")
    finally:
        writer.join()

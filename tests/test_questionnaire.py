"""Tests of the questionnaire: items, scales, groups, segments and their files."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from perceptiongap.datasets import example_paths


def make_questionnaire(**overrides: Any) -> pg.Questionnaire:
    """Build a small valid questionnaire, with any argument replaced."""
    arguments: dict[str, Any] = {
        "items": [
            pg.Item("discounts", "Get discounts"),
            pg.Item("community", "Be in a community"),
        ],
        "scale": pg.Binary(),
        "groups": ("customer", "business"),
        "segments": {"generation": ("GenY", "GenX", "Boomer")},
    }
    arguments.update(overrides)
    return pg.Questionnaire(**arguments)


def write(path: Path, text: str) -> Path:
    """Write `text` to `path` as UTF-8 and return the path."""
    path.write_text(text, encoding="utf-8")
    return path


VALID_TOML = """\
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
"""

VALID_DICT: dict[str, Any] = {
    "title": "A small survey",
    "scale": {"type": "likert", "low": 1, "high": 5},
    "groups": ["customer", "business"],
    "items": [{"id": "discounts", "label": "Get discounts"}, {"id": "community"}],
    "segments": {"generation": ["GenY", "GenX"]},
}


# -- items and scales --------------------------------------------------------------------------


def test_item_label_defaults_to_id() -> None:
    """An item without a label is labelled by its id."""
    assert pg.Item("community").label == "community"
    assert pg.Item(id="discounts", label="Get discounts").label == "Get discounts"


@pytest.mark.parametrize("bad_id", ["", " padded", "padded ", 3, None])
def test_item_rejects_a_bad_id(bad_id: object) -> None:
    """An item id must be a non-empty string without surrounding spaces."""
    with pytest.raises(pg.InvalidArgumentError, match=r"`Item\.id`"):
        pg.Item(bad_id)  # type: ignore[arg-type]


def test_item_rejects_a_non_string_label() -> None:
    """An item label must be a string."""
    with pytest.raises(pg.InvalidArgumentError, match=r"`Item\.label` must be a string"):
        pg.Item("a", label=3)  # type: ignore[arg-type]


def test_scales_describe_their_answers() -> None:
    """Each scale reports its end points and describes its allowed answers."""
    assert (pg.Binary().low, pg.Binary().high) == (0.0, 1.0)
    assert pg.Binary().describe() == "0 or 1"
    assert pg.Likert(low=1, high=5).describe() == "an integer from 1 to 5"
    assert pg.Numeric(low=0, high=10).describe() == "a number from 0 to 10"
    assert pg.Numeric(low=0, high=10).low == 0.0
    assert isinstance(pg.Numeric(low=0, high=10).high, float)


@pytest.mark.parametrize(
    ("low", "high", "match"),
    [
        (5, 5, "`high` must be greater than `low`"),
        (5, 1, "`high` must be greater than `low`"),
        (1.0, 5, "`low` must be an integer"),
        (1, 5.5, "`high` must be an integer"),
        (True, 5, "`low` must be an integer"),
        ("1", 5, "`low` must be an integer"),
        (1, 10**16, r"`high` must lie within \+-10\*\*15 .* Use pg.Numeric"),
        (-(10**400), 1, "`low` must lie within .* got an integer too large to show"),
        (np.int64(-(2**62)), 1, "`low` must lie within"),
    ],
)
def test_likert_rejects_bad_end_points(low: object, high: object, match: str) -> None:
    """A Likert scale needs integer end points with low < high."""
    with pytest.raises(pg.InvalidArgumentError, match=match):
        pg.Likert(low=low, high=high)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("low", "high", "match"),
    [
        (10, 0, "`high` must be greater than `low`"),
        (0.5, 0.5, "`high` must be greater than `low`"),
        (0, float("inf"), "`high` must be finite"),
        (float("-inf"), 0, "`low` must be finite"),
        (float("nan"), 1, "`low` must be finite"),
        ("0", 1, "`low` must be a number"),
        (0, False, "`high` must be a number"),
        (-1e308, 1e308, r"`low` must lie within \+-1e50 \(squared gaps"),
        (0, 1e51, "`high` must lie within"),
        (0, 10**400, "`high` must be finite; got an integer beyond the range"),
    ],
)
def test_numeric_rejects_bad_end_points(low: object, high: object, match: str) -> None:
    """A Numeric scale needs finite real end points with low < high."""
    with pytest.raises(pg.InvalidArgumentError, match=match):
        pg.Numeric(low=low, high=high)  # type: ignore[arg-type]


def test_scale_end_points_at_the_limits_are_accepted() -> None:
    """+-1e50 (Numeric) and +-10**15 (Likert) are allowed; a billion-point Likert scale costs
    nothing (the tally codes the answers seen, not the scale's points)."""
    assert pg.Likert(low=-(10**15), high=10**15).low == -(10**15)
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(1, 10**9), groups=("x", "y"))
    values = np.array([[1, 10**9], [5, 7], [10**9, 1], [3, 3]], dtype=float)
    rs = pg.ResponseSet.from_arrays(q, values, ["x", "y", "x", "y"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = pg.compare(rs, "x", "y", n_resamples=0, n_permutations=0)
    assert np.isfinite(report.mean_absolute_gap.value)


def test_answers_at_the_numeric_limit_give_finite_figures_without_warnings() -> None:
    """On Numeric(-1e50, 1e50), extreme answers give finite gaps, intervals and p-values and
    no numpy overflow warning (Welch's degrees of freedom square the variances)."""
    q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Numeric(-1e50, 1e50), groups=("x", "y"))
    values = np.random.default_rng(0).choice([-1e50, 1e50, 0.0, 5e49], size=(60, 3))
    rs = pg.ResponseSet.from_arrays(q, values, ["x", "y"] * 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(rs, "x", "y", n_resamples=300, rng=1)
    figures = [report.mean_absolute_gap, report.mean_gap, *(g.gap for g in report.items)]
    assert all(np.isfinite([e.value, e.low, e.high]).all() for e in figures)


def test_a_scale_file_beyond_the_limits_names_the_key_path() -> None:
    """The limits apply to a questionnaire definition too, at scale.low / scale.high."""
    layout = make_questionnaire(scale=pg.Numeric(low=0, high=1)).to_dict()
    layout["scale"]["high"] = 1e308
    with pytest.raises(pg.QuestionnaireError, match=r"scale.high: .* within \+-1e50"):
        pg.Questionnaire.from_dict(layout)


# -- construction and validation ---------------------------------------------------------------


def test_questionnaire_exposes_its_parts() -> None:
    """A valid questionnaire keeps items, groups and segments as immutable tuples and mappings."""
    q = make_questionnaire(title="Survey")
    assert q.item_ids == ("discounts", "community")
    assert q.k == 2
    assert q.groups == ("customer", "business")
    assert dict(q.segments) == {"generation": ("GenY", "GenX", "Boomer")}
    assert q.title == "Survey"
    assert isinstance(q.items, tuple)


def test_questionnaire_takes_plain_strings_as_items() -> None:
    """A string in `items` is read as an item with that id."""
    q = make_questionnaire(items=["a", "b", "c"])
    assert q.items == (pg.Item("a"), pg.Item("b"), pg.Item("c"))


def test_questionnaire_without_segments_has_an_empty_mapping() -> None:
    """Leaving segments out gives an empty segment mapping."""
    q = make_questionnaire(segments=None)
    assert dict(q.segments) == {}
    assert q == make_questionnaire(segments={})


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"items": ["a", "a"]}, "item ids must be unique; 'a' appears twice"),
        ({"items": ["a", "b", "a"]}, "item ids must be unique"),
        ({"items": ["a"]}, "at least two items"),
        ({"items": []}, "at least two items"),
        ({"items": "ab"}, "`items` must be a sequence of Item objects"),
        ({"items": ["a", 3]}, "`items` must hold Item objects"),
        ({"groups": ("customer",)}, "`groups` must name at least two groups"),
        ({"groups": ()}, "`groups` must name at least two groups"),
        ({"groups": ("customer", "customer")}, "`groups` must be unique"),
        ({"groups": "customer"}, "`groups` must be a sequence of strings, not a string"),
        ({"groups": ("customer", "")}, "non-empty string"),
        ({"segments": {"generation": ("GenY", "GenY")}}, "must be unique; 'GenY' appears twice"),
        ({"segments": {"generation": ()}}, "must have at least one level"),
        (
            {"segments": {"discounts": ("x", "y")}},
            "segment 'discounts' has the same name as an item",
        ),
        ({"segments": [("generation", ("GenY",))]}, "`segments` must map a segment name"),
        ({"scale": "binary"}, "`scale` must be Binary"),
        ({"scale": pg.Item("x")}, "`scale` must be Binary"),
        ({"scale": None}, "`scale` must be Binary"),
        ({"title": 3}, "`title` must be a string"),
    ],
)
def test_questionnaire_rejects_invalid_definitions(overrides: dict[str, Any], match: str) -> None:
    """An invalid questionnaire raises InvalidArgumentError naming the problem."""
    with pytest.raises(pg.InvalidArgumentError, match=match):
        make_questionnaire(**overrides)


def test_invalid_argument_error_is_a_perceptiongap_value_error() -> None:
    """InvalidArgumentError is a PerceptionGapError and a ValueError."""
    assert issubclass(pg.InvalidArgumentError, pg.PerceptionGapError)
    assert issubclass(pg.InvalidArgumentError, ValueError)
    assert issubclass(pg.QuestionnaireError, pg.PerceptionGapError)
    with pytest.raises(ValueError, match="at least two items"):
        make_questionnaire(items=["a"])


def test_questionnaires_compare_by_value() -> None:
    """Two questionnaires built from equal parts are equal and hash alike; any difference is not."""
    assert make_questionnaire() == make_questionnaire()
    assert hash(make_questionnaire()) == hash(make_questionnaire())
    assert make_questionnaire(scale=pg.Numeric(low=0, high=10)) == make_questionnaire(
        scale=pg.Numeric(low=0.0, high=10.0)
    )
    assert make_questionnaire() != make_questionnaire(scale=pg.Likert(low=1, high=5))
    assert make_questionnaire() != make_questionnaire(groups=("business", "customer"))
    assert make_questionnaire() != make_questionnaire(segments={"generation": ("GenY", "GenX")})
    assert make_questionnaire() != make_questionnaire(title="Other")
    assert pg.Likert(low=1, high=5) == pg.Likert(low=1, high=5)
    assert pg.Likert(low=1, high=5) != pg.Likert(low=1, high=7)


def test_questionnaire_is_frozen() -> None:
    """Assigning to an attribute of a questionnaire, item or scale raises FrozenInstanceError."""
    q = make_questionnaire()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        q.title = "changed"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        q.items[0].label = "changed"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        pg.Likert(low=1, high=5).low = 0  # type: ignore[misc]


def test_questionnaire_segments_cannot_be_changed() -> None:
    """The segment mapping is read-only and a caller's dictionary is not shared."""
    levels = {"generation": ["GenY", "GenX"]}
    q = make_questionnaire(segments=levels)
    levels["generation"].append("Boomer")
    levels["country"] = ["US"]
    assert dict(q.segments) == {"generation": ("GenY", "GenX")}
    with pytest.raises(TypeError, match="does not support item assignment"):
        q.segments["country"] = ("US",)  # type: ignore[index]


# -- dictionaries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scale",
    [pg.Binary(), pg.Likert(low=1, high=5), pg.Likert(low=-3, high=3), pg.Numeric(low=0, high=10)],
    ids=["binary", "likert", "likert-negative", "numeric"],
)
def test_to_dict_from_dict_round_trips_each_scale(scale: pg.Scale) -> None:
    """from_dict(to_dict()) gives back an equal questionnaire for every scale."""
    q = make_questionnaire(scale=scale, title="T")
    data = q.to_dict()
    assert data["scale"]["type"] == scale.kind
    assert pg.Questionnaire.from_dict(data) == q
    assert pg.Questionnaire.from_dict(json.loads(json.dumps(data))) == q


def test_to_dict_layout() -> None:
    """to_dict writes scale, groups, items and segments, and leaves an empty title out."""
    q = make_questionnaire(scale=pg.Numeric(low=0, high=10))
    assert q.to_dict() == {
        "scale": {"type": "numeric", "low": 0.0, "high": 10.0},
        "groups": ["customer", "business"],
        "items": [
            {"id": "discounts", "label": "Get discounts"},
            {"id": "community", "label": "Be in a community"},
        ],
        "segments": {"generation": ["GenY", "GenX", "Boomer"]},
    }
    assert "segments" not in make_questionnaire(segments=None).to_dict()


def test_from_dict_accepts_shorthands() -> None:
    """from_dict accepts the string "binary" as a scale and a plain id string as an item."""
    q = pg.Questionnaire.from_dict(
        {"scale": "binary", "groups": ["customer", "business"], "items": ["a", "b"]}
    )
    assert q.scale == pg.Binary()
    assert q.items == (pg.Item("a"), pg.Item("b"))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"colour": "red"}, "unknown key 'colour'"),
        ({"scale": None}, "scale: the scale must be a table"),
        ({"scale": {"type": "stars", "low": 1, "high": 5}}, "unknown scale type 'stars'"),
        ({"scale": {"type": "likert", "low": 1}}, "likert scale takes the keys"),
        ({"scale": {"type": "binary", "low": 0}}, "binary scale takes the keys"),
        (
            {"scale": {"type": "likert", "low": 1.5, "high": 5}},
            "scale.low: the low end of a likert scale must be an integer",
        ),
        ({"items": "discounts"}, "items: the items must be a list"),
        ({"items": [{"label": "no id"}, {"id": "b"}]}, r"items\[0\]: the item has no 'id'"),
        ({"items": [{"id": "a", "text": "x"}, {"id": "b"}]}, "unknown item key 'text'"),
        ({"items": [{"id": "a"}, {"id": "a"}]}, "item ids must be unique"),
        ({"groups": ["customer"]}, "at least two groups"),
        ({"segments": ["generation"]}, "segments: the segments must be a table"),
    ],
)
def test_from_dict_rejects_invalid_data(change: dict[str, Any], match: str) -> None:
    """from_dict raises QuestionnaireError for an invalid dictionary."""
    data = {**VALID_DICT, **change}
    with pytest.raises(pg.QuestionnaireError, match=match):
        pg.Questionnaire.from_dict(data)


@pytest.mark.parametrize("key", ["scale", "groups", "items"])
def test_from_dict_requires_each_key(key: str) -> None:
    """from_dict names a missing required key."""
    data = {name: value for name, value in VALID_DICT.items() if name != key}
    with pytest.raises(pg.QuestionnaireError, match=f"the key '{key}' is missing"):
        pg.Questionnaire.from_dict(data)


def test_from_dict_rejects_a_non_mapping() -> None:
    """from_dict of a list raises QuestionnaireError."""
    with pytest.raises(pg.QuestionnaireError, match="table"):
        pg.Questionnaire.from_dict([VALID_DICT])  # type: ignore[arg-type]


# -- files -------------------------------------------------------------------------------------


def test_from_file_reads_toml(tmp_path: Path) -> None:
    """A TOML questionnaire is read with its title, scale, groups, items and segments."""
    q = pg.Questionnaire.from_file(write(tmp_path / "q.toml", VALID_TOML))
    assert q.title == "A small survey"
    assert q.scale == pg.Likert(low=1, high=5)
    assert q.groups == ("customer", "business")
    assert q.items == (pg.Item("discounts", "Get discounts"), pg.Item("community"))
    assert dict(q.segments) == {"generation": ("GenY", "GenX")}


def test_from_file_reads_json(tmp_path: Path) -> None:
    """A JSON questionnaire is read like the dictionary it holds."""
    path = write(tmp_path / "q.json", json.dumps(VALID_DICT))
    assert pg.Questionnaire.from_file(path) == pg.Questionnaire.from_dict(VALID_DICT)
    assert pg.Questionnaire.from_file(str(path)) == pg.Questionnaire.from_dict(VALID_DICT)


def test_from_file_toml_and_json_agree(tmp_path: Path) -> None:
    """The same questionnaire written in TOML and in JSON reads to equal objects."""
    from_toml = pg.Questionnaire.from_file(write(tmp_path / "q.toml", VALID_TOML))
    from_json = pg.Questionnaire.from_file(write(tmp_path / "q.json", json.dumps(VALID_DICT)))
    assert from_toml == from_json


def test_from_file_accepts_a_byte_order_mark_and_upper_case_suffix(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark and an upper-case suffix are accepted."""
    path = tmp_path / "Q.JSON"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(VALID_DICT).encode("utf-8"))
    assert pg.Questionnaire.from_file(path) == pg.Questionnaire.from_dict(VALID_DICT)


TRICKY_LABELS = [
    'Say "hello"',
    "It's a 'quote'",
    "back\\slash and \\n not a newline",
    "two\nlines\tand a tab",
    "Café, naïve, Ümlaut",
    "日本語のラベル",
    "# not a comment = [not, an, array]",
    "",
]


@pytest.mark.parametrize("suffix", [".json", ".toml"])
@pytest.mark.parametrize(
    "scale", [pg.Binary(), pg.Likert(low=0, high=10), pg.Numeric(low=-1.5, high=2.25)]
)
def test_to_file_round_trips(tmp_path: Path, suffix: str, scale: pg.Scale) -> None:
    """to_file then from_file gives back an equal questionnaire, whatever the labels hold."""
    q = pg.Questionnaire(
        items=[pg.Item(f"item{i}", label) for i, label in enumerate(TRICKY_LABELS)],
        scale=scale,
        groups=("customer", 'the "business"'),
        segments={"génération": ("Gen Y", "Gen-X"), "country": ("Côte d'Ivoire",)},
        title='Title with "quotes" and ünïcode',
    )
    path = tmp_path / f"questionnaire{suffix}"
    q.to_file(path)
    assert pg.Questionnaire.from_file(path) == q


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    labels=st.lists(st.text(max_size=20), min_size=2, max_size=4),
    title=st.text(max_size=20),
    suffix=st.sampled_from([".json", ".toml"]),
)
def test_to_file_round_trips_any_text(
    tmp_path: Path, labels: list[str], title: str, suffix: str
) -> None:
    """Any item labels and title survive a to_file / from_file round trip."""
    q = pg.Questionnaire(
        items=[pg.Item(f"item{i}", label) for i, label in enumerate(labels)],
        scale=pg.Likert(low=1, high=7),
        groups=("customer", "business"),
        title=title,
    )
    path = tmp_path / f"q{suffix}"
    q.to_file(path)
    assert pg.Questionnaire.from_file(path) == q


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_to_file_round_trips_characters_beyond_the_basic_plane(
    tmp_path: Path, suffix: str
) -> None:
    """Labels with emoji and other characters outside the Basic Multilingual Plane round-trip."""
    q = make_questionnaire(items=[pg.Item("a", "emoji 😀 and 🎉"), pg.Item("b", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢")])
    path = tmp_path / f"q{suffix}"
    q.to_file(path)
    assert pg.Questionnaire.from_file(path) == q


def test_to_file_rejects_an_unknown_suffix(tmp_path: Path) -> None:
    """to_file refuses a destination that is neither .json nor .toml."""
    with pytest.raises(pg.InvalidArgumentError, match=r"\.json or \.toml"):
        make_questionnaire().to_file(tmp_path / "q.yaml")
    assert not (tmp_path / "q.yaml").exists()


def test_from_file_rejects_an_unsupported_suffix(tmp_path: Path) -> None:
    """from_file names the file and the suffix it cannot read."""
    path = write(tmp_path / "q.yaml", "groups: [a, b]\n")
    with pytest.raises(pg.QuestionnaireError, match=r"unsupported file type '\.yaml'") as info:
        pg.Questionnaire.from_file(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_from_file_reports_a_missing_file(tmp_path: Path, suffix: str) -> None:
    """from_file of a file that does not exist names the file."""
    path = tmp_path / f"absent{suffix}"
    with pytest.raises(pg.QuestionnaireError, match="cannot read the file") as info:
        pg.Questionnaire.from_file(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("broken.json", '{"groups": ["a", "b"],', "cannot parse the file"),
        ("broken.toml", 'groups = ["a", "b"\n', "cannot parse the file"),
        ("broken.toml", "groups = \n", "cannot parse the file"),
        ("list.json", "[1, 2]", "table"),
        (
            "unknown.toml",
            VALID_TOML.replace("[scale]", 'colour = "red"\n\n[scale]'),
            "unknown key 'colour'",
        ),
        ("unknown.json", json.dumps({**VALID_DICT, "version": 2}), "unknown key 'version'"),
        (
            "missing.toml",
            VALID_TOML.replace('groups = ["customer", "business"]\n', ""),
            "the key 'groups' is missing",
        ),
        (
            "missing.json",
            json.dumps({k: v for k, v in VALID_DICT.items() if k != "items"}),
            "the key 'items' is missing",
        ),
        (
            "scale.toml",
            VALID_TOML.replace('type = "likert"', 'type = "stars"'),
            "unknown scale type 'stars'",
        ),
        (
            "scale.json",
            json.dumps({**VALID_DICT, "scale": {"type": "binary", "high": 1}}),
            "binary scale takes the keys none",
        ),
        (
            "scale_keys.toml",
            VALID_TOML.replace("high = 5", "top = 5"),
            r"likert scale takes the keys \['high', 'low'\]",
        ),
        (
            "bounds.toml",
            VALID_TOML.replace("high = 5", "high = 1"),
            "the high end must be greater than the low end",
        ),
        (
            "duplicate.json",
            json.dumps({**VALID_DICT, "items": ["a", "a"]}),
            "item ids must be unique",
        ),
    ],
)
def test_from_file_reports_bad_content_with_the_file_name(
    tmp_path: Path, name: str, text: str, match: str
) -> None:
    """A file that cannot be parsed or holds an invalid questionnaire raises QuestionnaireError naming it first."""
    path = write(tmp_path / name, text)
    with pytest.raises(pg.QuestionnaireError, match=match) as info:
        pg.Questionnaire.from_file(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: " if info.value.line is None else f"{path}, line ")


def test_from_file_reports_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A file that is not UTF-8 text raises QuestionnaireError naming it."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID_TOML.replace("Get discounts", "Réduction").encode("latin-1"))
    with pytest.raises(pg.QuestionnaireError, match="cannot parse the file") as info:
        pg.Questionnaire.from_file(path)
    assert info.value.file == str(path)


def test_bundled_questionnaire_loads() -> None:
    """The bundled IBM questionnaire has 12 binary items and the groups customer and business."""
    q = pg.Questionnaire.from_file(example_paths().questionnaire)
    assert q.k == 12
    assert len(q.items) == 12
    assert q.groups == ("customer", "business")
    assert q.scale == pg.Binary()
    assert q.item_ids[0] == "discounts"
    assert q.item_ids[-1] == "community"
    assert set(q.segments) == {"generation", "country"}
    assert q.segments["generation"] == ("GenY", "GenX", "Boomer")


def test_bundled_questionnaire_round_trips_through_both_formats(tmp_path: Path) -> None:
    """The bundled questionnaire survives writing and reading as JSON and as TOML."""
    q = pg.Questionnaire.from_file(example_paths().questionnaire)
    for suffix in (".json", ".toml"):
        path = tmp_path / f"copy{suffix}"
        q.to_file(path)
        assert pg.Questionnaire.from_file(path) == q


@pytest.mark.parametrize(
    "build",
    [
        lambda: pg.Questionnaire(items=["a\ud800"], scale=pg.Binary(), groups=("c", "b")),
        lambda: pg.Questionnaire(
            items=[pg.Item("a", "\udfff")], scale=pg.Binary(), groups=("c", "b")
        ),
        lambda: pg.Questionnaire(items=["a"], scale=pg.Binary(), groups=("c\ud800", "b")),
        lambda: pg.Questionnaire(
            items=["a", "z"], scale=pg.Binary(), groups=("c", "b"), title="\ud800"
        ),
        lambda: pg.Questionnaire.from_dict(
            {
                "scale": "binary",
                "groups": ["c", "b"],
                "items": ["a", "z"],
                "segments": {"s": ["x\ud800"]},
            }
        ),
    ],
)
def test_a_lone_surrogate_is_refused_so_every_questionnaire_can_be_written_and_read(
    build: Any,
) -> None:
    with pytest.raises(pg.PerceptionGapError, match="lone surrogate"):
        build()


@pytest.mark.parametrize(
    ("low", "high"), [(0, 1e-200), (0, 1e-51), (1e8, 1e8 + 1), (-1e15, -1e15 + 1)]
)
def test_a_numeric_range_too_narrow_to_resolve_is_refused(low: float, high: float) -> None:
    with pytest.raises(pg.InvalidArgumentError, match="range of a Numeric scale must be at least"):
        pg.Numeric(low, high)


def test_answers_far_from_zero_give_the_figures_of_the_same_answers_near_zero() -> None:
    """Shifting every answer by a constant changes no gap, interval or standard error (the
    variances are computed from deviations, not from raw sums of squares)."""
    rng = np.random.default_rng(5)
    values = rng.uniform(0, 1, size=(80, 3))
    groups = np.repeat(["customer", "business"], 40)
    reports = []
    for shift in (0.0, 1e5):
        q = pg.Questionnaire(
            items=["a", "b", "c"],
            scale=pg.Numeric(shift, shift + 1),
            groups=("customer", "business"),
        )
        rs = pg.ResponseSet.from_arrays(q, values + shift, groups)
        reports.append(
            pg.compare(rs, "customer", "business", n_resamples=200, n_permutations=0, rng=1)
        )
    for near, far in zip(reports[0].items, reports[1].items, strict=True):
        assert far.gap.value == pytest.approx(near.gap.value, abs=1e-9)
        assert far.gap.standard_error == pytest.approx(near.gap.standard_error, rel=1e-6)

"""Untrusted report files: random bytes, random JSON structures and mutations of a real report
fed to ``GapReport.from_json`` / ``from_dict`` (and ``Perspectives.from_dict``) either load or
raise the documented ``PerceptionGapError``; nothing else comes out."""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
structures = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@pytest.fixture(scope="module")
def report_dict() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            pg.datasets.load_example(), "customer", "business", n_resamples=200,
            n_permutations=200, rng=3, segments=("generation",),
        )  # fmt: skip
    return report.to_dict()


def _paths(data: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path of a JSON structure, leaves and containers."""
    found = [trail]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*trail, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*trail, index))
    return found


def _loads_or_refuses(text: str | bytes) -> None:
    try:
        report = pg.GapReport.from_json(text)
    except pg.PerceptionGapError as exc:
        message = str(exc)
    else:
        assert pg.GapReport.from_json(report.to_json()) == report
        return
    assert "\n" not in message  # one line, whatever the keys and values were


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_are_refused_cleanly(data: bytes) -> None:
    _loads_or_refuses(data)


@FUZZ
@given(structures)
def test_random_structures_are_refused_cleanly(data: object) -> None:
    _loads_or_refuses(json.dumps(data))
    with pytest.raises(pg.PerceptionGapError):
        pg.Perspectives.from_dict(data)


@FUZZ
@given(st.data())
def test_mutated_reports_load_or_are_refused_cleanly(
    report_dict: dict[str, Any], data: st.DataObject
) -> None:
    """A real report with one value replaced, one key deleted or one key added."""
    mutated = copy.deepcopy(report_dict)
    path = data.draw(st.sampled_from(_paths(mutated)[1:]))
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = data.draw(structures)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[data.draw(st.text(min_size=1, max_size=8))] = data.draw(leaves)
    else:
        parent.append(data.draw(structures))
    _loads_or_refuses(json.dumps(mutated))


@pytest.mark.parametrize(
    "text",
    [
        b"\xff\xfe{",  # not UTF-8
        "[" * 100_000,  # nested too deeply for the parser
        '{"schema": "perceptiongap.GapReport/2"' + ', "a": 1' * 10 + "}",
        "NaN",
        '{"schema": 1e400}',
    ],
)
def test_hostile_documents_raise_the_documented_error(text: str | bytes) -> None:
    with pytest.raises(pg.PerceptionGapError):
        pg.GapReport.from_json(text)


def test_non_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="`text`"):
        pg.GapReport.from_json(42)  # type: ignore[arg-type]


def test_a_repeated_key_is_refused_not_last_one_wins(report_dict: dict[str, Any]) -> None:
    text = json.dumps(report_dict)
    doubled = text.replace(
        '"confidence_level": 0.95', '"confidence_level": 0.95, "confidence_level": 0.9'
    )
    assert doubled != text
    with pytest.raises(pg.InvalidArgumentError, match="repeats the key 'confidence_level'"):
        pg.GapReport.from_json(doubled)


def test_an_integer_too_long_to_convert_is_refused() -> None:
    with pytest.raises(pg.InvalidArgumentError, match="cannot be read"):
        pg.GapReport.from_json('{"schema": ' + "9" * 5000 + "}")

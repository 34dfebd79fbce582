"""Property tests: random structures, bytes and summaries give a questionnaire or summary, or
a PerceptionGapError; never another exception (RecursionError, OverflowError, TypeError)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import perceptiongap as pg

WORDS = ["scale", "groups", "items", "segments", "title", "type", "low", "high", "id", "label",
         "likert", "numeric", "binary", "a", "b", "n", "scores", "item_n", "sd", ""]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, 1, 5, -1, 10**19, 10**400, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), inner, max_size=5),
    ),
    max_leaves=30,
)


def layout(draw: st.DrawFn) -> dict[str, Any]:
    """A questionnaire layout with each part valid or replaced by a random structure."""
    valid: dict[str, Any] = {
        "scale": {"type": "likert", "low": 1, "high": 5},
        "groups": ["a", "b"],
        "items": [{"id": "x"}, {"id": "y", "label": "Y"}],
        "segments": {"s": ["u", "v"]},
        "title": "t",
    }
    return {key: draw(st.one_of(st.just(value), structures)) for key, value in valid.items()}


@st.composite
def layouts(draw: st.DrawFn) -> object:
    return draw(st.one_of(structures, st.composite(lambda d: layout(d))()))


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=layouts())
def test_from_dict_raises_only_documented_errors(data: object) -> None:
    """Any structure is a Questionnaire or a QuestionnaireError / InvalidArgumentError."""
    try:
        q = pg.Questionnaire.from_dict(data)  # type: ignore[arg-type]
    except (pg.QuestionnaireError, pg.InvalidArgumentError):
        return
    assert pg.Questionnaire.from_dict(q.to_dict()) == q


VALID_JSON = json.dumps(
    {
        "scale": {"type": "numeric", "low": 0, "high": 10},
        "groups": ["a", "b"],
        "items": [{"id": "x"}, {"id": "y"}],
        "segments": {"s": ["u", "v"]},
    }
)
VALID_TOML = """groups = ["a", "b"]
[scale]
type = "likert"
low = 1
high = 5
[segments]
s = ["u", "v"]
[[items]]
id = "x"
[[items]]
id = "y"
"""
NASTY = [b"NaN", b"Infinity", b"1e400", b"1" + b"0" * 5000, b"[" * 50, b"{" * 50, b"\x00",
         b"[" * 3000, b"{a = " * 3000,
         b"\xff", b'"', b",", b"}", b"]", b"nan", b"inf", b"true", b'"low": 2, "low": 3',
         b"= {a = {b = {c = 1}}}", b"\n[scale]\n", b"\\u0000", b"'''"]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """A valid file with a few random or nasty byte strings spliced in."""
    raw = text.encode()
    for _ in range(draw(st.integers(1, 3))):
        values = [m.start() for m in re.finditer(rb"[0-9\[{]", raw)] or [0]
        at = draw(st.one_of(st.integers(0, len(raw)), st.sampled_from(values)))
        cut = draw(st.integers(0, 6))
        piece = draw(st.one_of(st.sampled_from(NASTY), st.binary(max_size=8)))
        raw = raw[:at] + piece + raw[at + cut :]
    return raw


def _read(tmp_path: Path, suffix: str, raw: bytes) -> None:
    path = tmp_path / f"q{suffix}"
    path.write_bytes(raw)
    try:
        q = pg.Questionnaire.from_file(path)
    except pg.QuestionnaireError:
        return
    for end in (q.scale.low, q.scale.high):
        assert math.isfinite(end)


@pytest.mark.parametrize(("suffix", "text"), [(".json", VALID_JSON), (".toml", VALID_TOML)])
@FUZZ
@given(data=st.data())
def test_random_bytes_in_a_file_raise_only_questionnaire_errors(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, text: str, data: st.DataObject
) -> None:
    """Random bytes, or a valid file with random and nasty bytes spliced in, read to a
    questionnaire or a QuestionnaireError (never a bare parser error)."""
    raw = data.draw(st.one_of(st.binary(max_size=200), mutated(text)))
    _read(tmp_path_factory.mktemp("fuzz"), suffix, raw)


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.sampled_from([0, 1, 2, 0.5, 10**19, 10**400, True, False, "1", None, [1]]),
)


@st.composite
def summaries(draw: st.DrawFn) -> object:
    """A summary table of the Likert questionnaire with random figures (or structures)."""
    items = ["x", "y", "z"]

    def figures() -> object:
        cell = st.dictionaries(st.sampled_from([*items, "w", 1, None]), numbers, max_size=4)
        return draw(
            st.one_of(
                st.fixed_dictionaries(
                    {"n": numbers, "scores": cell},
                    optional={"item_n": cell, "sd": cell, "extra": numbers, 2: numbers},
                ),
                structures,
            )
        )

    return draw(
        st.one_of(
            st.fixed_dictionaries({"a": st.builds(figures), "b": st.builds(figures)}),
            st.dictionaries(st.sampled_from(["a", "b", "c", ""]), st.builds(figures), max_size=3),
            structures,
        )
    )


LIKERT = pg.Questionnaire(items=["x", "y", "z"], scale=pg.Likert(1, 5), groups=("a", "b"))
BINARY = pg.Questionnaire(items=["x", "y", "z"], scale=pg.Binary(), groups=("a", "b"))


@FUZZ
@given(table=summaries(), binary=st.booleans(), correlation=st.one_of(st.none(), numbers))
def test_random_summaries_raise_only_documented_errors(
    table: object, binary: bool, correlation: object
) -> None:
    """from_summary on random figures gives a SummaryTable or a PerceptionGapError."""
    q = BINARY if binary else LIKERT
    try:
        summary = pg.ResponseSet.from_summary(q, table, item_correlation=correlation)  # type: ignore[arg-type]
    except pg.errors.PerceptionGapError:
        return
    assert (summary.sizes >= 1).sum() >= 2
    assert ((summary.scores >= q.scale.low) & (summary.scores <= q.scale.high)).all()

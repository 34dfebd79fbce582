"""Property tests: whatever bytes or structures a reader is given, it either succeeds or raises
a PerceptionGapError (never a bare TypeError, numpy error or warning)."""

from __future__ import annotations

import contextlib
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perceptiongap as pg

GROUPS = ("customer", "business")
LIKERT = pg.Questionnaire(
    items=["a", "b"],
    scale=pg.Likert(low=1, high=5),
    groups=GROUPS,
    segments={"gen": ("GenY", "GenX")},
)
BINARY = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=GROUPS)
FUZZ = settings(max_examples=150, deadline=None)


def only_documented_errors(read: Any) -> None:
    """Run `read`: success, or a PerceptionGapError; any warning is a failure too."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with contextlib.suppress(pg.PerceptionGapError):
            read()


# Bytes that look like a survey often enough to get past the header.
PIECES = st.sampled_from(
    [b"group", b"a", b"b", b"gen", b"w", b"customer", b"business", b"GenY", b"1", b"5", b"9",
     b"1e400", b"nan", b"-", b",", b";", b"\t", b'"', b'""', b"\n", b"\r", b"\r\n", b" ",
     b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xe2\x80\xa8", b"True"]
)  # fmt: skip
SURVEY_BYTES = st.one_of(
    st.binary(max_size=200),
    st.lists(PIECES, max_size=60).map(lambda parts: b"group,a,b,gen,w\n" + b"".join(parts)),
)


@given(
    data=SURVEY_BYTES,
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "latin-1", "utf-16", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    weight=st.sampled_from([None, "w"]),
    max_field=st.sampled_from([None, 3, 2**20]),
)
@FUZZ
def test_from_csv_on_random_bytes(
    data: bytes, encoding: str, delimiter: str, weight: str | None, max_field: int | None
) -> None:
    """Random bytes as a CSV file, in several encodings and delimiters."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        only_documented_errors(
            lambda: pg.ResponseSet.from_csv(
                path,
                LIKERT,
                encoding=encoding,
                delimiter=delimiter,
                weight=weight,
                max_field=max_field,
            )
        )


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(),
    st.text(max_size=8),
    st.binary(max_size=4),
    st.sampled_from(["customer", "business", "GenY", "1", " 3 ", "", "True"]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
RECORD = st.dictionaries(
    st.sampled_from(["group", "a", "b", "gen", "w", "other"]), JSONISH, max_size=6
)


@given(records=st.one_of(st.lists(RECORD, max_size=8), st.lists(JSONISH, max_size=4), JSONISH))
@FUZZ
def test_from_records_on_random_structures(records: Any) -> None:
    """Random lists of dicts of JSON-ish values (and random values) as records."""
    only_documented_errors(lambda: pg.ResponseSet.from_records(records, LIKERT, weight=None))
    only_documented_errors(lambda: pg.ResponseSet.from_records(records, BINARY, weight="w"))


DTYPES = st.sampled_from(["f8", "f4", "i8", "u1", "?", "c16", "M8[s]", "m8[s]", "U3", "S3", "O"])


@given(
    dtype=DTYPES,
    rows=st.integers(0, 5),
    cols=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    weighted=st.booleans(),
)
@FUZZ
def test_from_arrays_on_random_arrays(
    dtype: str, rows: int, cols: int, seed: int, weighted: bool
) -> None:
    """Random arrays of random dtypes as values (and as weights)."""
    rng = np.random.default_rng(seed)
    raw = rng.integers(-2, 8, (rows, cols))
    values = raw.astype(dtype) if dtype != "O" else raw.astype(object)
    if dtype == "O" and rows:
        values[0, 0] = [None, "x", 1.5, True, 2 + 1j, b"1"][seed % 6]
    groups = [GROUPS[i % 2] for i in range(rows)]
    weights = rng.random(rows).astype(dtype) if weighted and dtype != "O" else None
    for q in (LIKERT, BINARY):
        only_documented_errors(
            lambda q=q: pg.ResponseSet.from_arrays(q, values, groups, weights=weights)
        )


@given(
    records=st.lists(
        st.fixed_dictionaries(
            {"group": JSONISH, "a": SCALARS, "b": st.integers(1, 5)},
            optional={"gen": JSONISH},
        ),
        min_size=1,
        max_size=6,
    ),
    duplicate=st.booleans(),
)
@FUZZ
def test_from_frame_on_random_pandas_frames(
    records: list[dict[str, Any]], duplicate: bool
) -> None:
    """Random pandas frames (odd cells, and sometimes a duplicated item column)."""
    pd = pytest.importorskip("pandas")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # building the frame is not what is tested
        frame = pd.DataFrame(records)
        if duplicate:
            frame = pd.concat([frame, frame[["a"]]], axis=1)
    only_documented_errors(lambda: pg.ResponseSet.from_frame(frame, LIKERT))

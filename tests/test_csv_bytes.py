"""The byte-level splitter of plain CSV blocks: whatever the file, reading it with the splitter
gives exactly the arrays (or exactly the error, at the same row) that the general path gives;
dictionary-encoded columns are parsed by the same rules as lists of text cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from perceptiongap import _csv_bytes, _read_csv
from perceptiongap._cells import Coded, TextColumn, Where, parse_labels, parse_numbers

GROUPS = ("customer", "business", "exécutif")
GENERATIONS = ("GenY", "GenX", "Baby boomers", "Silent generation born 1928 to 1945 (long)")
LIKERT = pg.Questionnaire(
    items=["a", "b", "c"],
    scale=pg.Likert(low=1, high=7),
    groups=GROUPS,
    segments={"gen": GENERATIONS},
)
NUMERIC = pg.Questionnaire(
    items=["a", "b", "c"],
    scale=pg.Numeric(low=-5.0, high=100.0),
    groups=GROUPS,
    segments={"gen": GENERATIONS},
)
SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

GROUP_CELLS = st.one_of(
    st.sampled_from(GROUPS),
    st.sampled_from(["", " ", " customer", "business ", "Customer", "nobody", "exe\u0301cutif"]),
)
ANSWER_CELLS = st.one_of(
    st.sampled_from(["", "1", "2", "3", "4", "5", "6", "7", "10", "42"]),
    st.sampled_from(
        [" ", " 3 ", "+3", "3.0", "1e0", "03", "0", "-1", "9", "3.5", ".5", "1.", "nan", "inf"]
    ),
    st.sampled_from(["x", "\u0661", "1_0", "1,5", "é", "-", "NA", "1e400", "  ", "12345678901"]),
    st.decimals(-10, 200, places=3, allow_nan=False).map(str),
    st.floats(-10, 200, allow_nan=False).map(repr),
)
GEN_CELLS = st.one_of(
    st.sampled_from(GENERATIONS), st.sampled_from(["", " GenX ", "genx", "Gen Z", "  "])
)
WEIGHT_CELLS = st.one_of(
    st.sampled_from(["1", "2", "0.5", "1.25", " 3 ", "1e-3"]),
    st.floats(0.01, 1e6).map(repr),
    st.sampled_from(["", "0", "-1", "x", "inf"]),
)
NOTE_CELLS = st.one_of(
    st.just(""),
    st.text(st.characters(codec="utf-8", exclude_characters='"\r\n\0,;\t|§'), max_size=40),
    st.sampled_from(['a "quoted" word', "x" * 50, "\u2028", "\x85", "é" * 3]),
)


VALID = {
    "group": st.sampled_from([*GROUPS, " customer", "business "]),
    "a": st.sampled_from(["", "1", "4", "7", " 3 ", "+3", "3.0", "1e0", "03", " ", "5.0"]),
    "gen": st.sampled_from(["", "GenY", " GenX ", *GENERATIONS[2:]]),
    "w": st.one_of(st.sampled_from(["1", "0.5", " 3 ", "1e-3"]), st.floats(0.01, 1e6).map(repr)),
    "note": NOTE_CELLS,
}
ANY = {
    "group": GROUP_CELLS,
    "a": ANSWER_CELLS,
    "gen": GEN_CELLS,
    "w": WEIGHT_CELLS,
    "note": NOTE_CELLS,
}


def _row(draw: st.DrawFn, header: list[str], cells: dict[str, Any]) -> list[str]:
    """One record's cells in header order, drawn from `cells` (VALID or ANY)."""
    return [draw(cells[name if name in cells else "a"]) for name in header]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, str]:
    """A CSV text and its delimiter: clean, with blank lines, or messy (odd rows, odd cells);
    line ends LF, CRLF or CR; long cells, multi-byte characters, spaces around numbers."""
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|", "§"]))
    header = draw(st.permutations(["group", "note", "a", "b", "c", "gen", "w"]))
    mode = draw(st.sampled_from(["clean", "clean", "blank", "messy"]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 30))):
        kind = "valid"
        if mode == "blank" and draw(st.integers(0, 5)) == 0:
            kind = "blank"
        elif mode == "messy":
            kind = draw(st.sampled_from(["valid"] * 8 + ["random"] * 3 + ["blank", "odd"]))
        if kind == "valid":
            lines.append(delimiter.join(_row(draw, header, VALID)))
        elif kind == "random":
            lines.append(delimiter.join(_row(draw, header, ANY)))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", " ", "  "])))
        else:
            row = _row(draw, header, ANY)
            del row[draw(st.integers(0, len(row) - 1))]
            lines.append(delimiter.join(row))
    for group in draw(st.permutations(GROUPS)):  # every group has respondents
        row = _row(draw, header, VALID)
        row[header.index("group")] = group
        lines.insert(draw(st.integers(1, len(lines))), delimiter.join(row))
    end = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    return text, delimiter


def outcome(path: Path, q: pg.Questionnaire, **options: Any) -> tuple[Any, ...]:
    """The arrays read, or the error's type, message, row and column."""
    try:
        rs = pg.ResponseSet.from_csv(path, q, **options)
    except pg.PerceptionGapError as exc:
        row, column = getattr(exc, "row", None), getattr(exc, "column", None)
        return ("error", type(exc).__name__, str(exc), row, column)
    return ("ok", rs.values, rs.group_codes, rs.segment_codes["gen"], rs.weights)


def assert_same(fast: tuple[Any, ...], slow: tuple[Any, ...]) -> None:
    """Equal arrays (NaN equal to NaN, same dtype) or equal errors."""
    assert fast[0] == slow[0], (fast, slow)
    if fast[0] == "error":
        assert fast == slow
        return
    for left, right in zip(fast[1:], slow[1:], strict=True):
        if right is None:
            assert left is None
        else:
            assert left.dtype == right.dtype
            np.testing.assert_array_equal(left, right)


def both_ways(
    monkeypatch: pytest.MonkeyPatch, path: Path, q: pg.Questionnaire, **options: Any
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Read `path` with the byte splitter and without it."""
    monkeypatch.setattr(_read_csv, "BYTE_SPLIT", True)
    fast = outcome(path, q, **options)
    monkeypatch.setattr(_read_csv, "BYTE_SPLIT", False)
    slow = outcome(path, q, **options)
    return fast, slow


@given(
    file=csv_files(),
    numeric=st.booleans(),
    weight=st.sampled_from([None, "w"]),
    max_field=st.sampled_from([None, 8, 2**20]),
    chunk=st.sampled_from([7, 40, 2**21]),
    hash_bits=st.sampled_from([1, 19]),
)
@SETTINGS
def test_byte_split_reads_as_the_general_path(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: tuple[str, str],
    numeric: bool,
    weight: str | None,
    max_field: int | None,
    chunk: int,
    hash_bits: int,
) -> None:
    """Same arrays or the same error (message, row, column) with the splitter on and off,
    however the file is cut into blocks; hash_bits=1 makes every hash collide, so the
    fallbacks (sorting, strings) are read against the general path too."""
    text, delimiter = file
    path = tmp_path / "survey.csv"
    path.write_bytes(text.encode("utf-8"))
    monkeypatch.setattr(_read_csv, "_CHUNK", chunk)
    monkeypatch.setattr(_csv_bytes, "_HASH_BITS", hash_bits)
    options = {"delimiter": delimiter, "weight": weight, "max_field": max_field}
    fast, slow = both_ways(monkeypatch, path, NUMERIC if numeric else LIKERT, **options)
    assert_same(fast, slow)


def survey(rng: np.random.Generator, rows: int, delimiter: str = ",") -> str:
    """A plain survey file like the benchmark's: every block takes the byte splitter."""
    header = ["group", "gen", "note", "a", "b", "c", "w"]
    lines = [delimiter.join(header)]
    answers = ["", "1", "2", "3", "4", "5", "6", "7"]
    for _ in range(rows):
        lines.append(
            delimiter.join(
                [
                    GROUPS[int(rng.integers(0, 3))],
                    ["", *GENERATIONS][int(rng.integers(0, 5))],
                    "x" * int(rng.integers(0, 60)),
                    *(answers[int(rng.integers(0, 8))] for _ in range(3)),
                    f"{rng.uniform(0.1, 10):.6g}",
                ]
            )
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("hash_bits", [1, 19])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_plain_blocks_take_the_byte_splitter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hash_bits: int, delimiter: str
) -> None:
    """Every block of a plain file is split as bytes (the general path is never asked), and the
    arrays are those of the general path."""
    path = tmp_path / "survey.csv"
    path.write_text(survey(np.random.default_rng(hash_bits), 3000, delimiter), encoding="utf-8")
    monkeypatch.setattr(_read_csv, "_CHUNK", 2**13)
    monkeypatch.setattr(_csv_bytes, "_HASH_BITS", hash_bits)
    _, slow = both_ways(monkeypatch, path, LIKERT, weight="w", delimiter=delimiter)

    def refuse(*args: object) -> None:
        raise AssertionError("a plain block went to the general path")

    monkeypatch.setattr(_read_csv._Reader, "_split_plain", refuse)
    monkeypatch.setattr(_read_csv, "BYTE_SPLIT", True)
    fast = outcome(path, LIKERT, weight="w", delimiter=delimiter)
    assert_same(fast, slow)
    assert fast[0] == "ok"


@pytest.mark.parametrize(
    ("text", "declined"),
    [
        ("g,a\nx,1\n", False),
        ("g,a\r\nx,1\r\n", False),
        ("g,a\nx,1", False),  # no final line end
        ("g,a\n\nx,1\n", True),  # a blank line
        ("g,a\n \nx,1\n", True),  # a line of spaces
        ("g,a\nx,1\n\n", True),  # a blank last line
        ("g,a\nx,1,2\n", True),  # too many fields
        ("g,a\nx\n", True),  # too few
        ("g,a\rx,1\r", True),  # lone carriage returns
        ("g,a\nx,1\0\n", True),  # a NUL
        ("g,a\nx\nx,1,2\n", True),  # as many boundaries as two rows need, not row by row
        ("g,a\nx,\ud800\n", True),  # a lone surrogate (from a codec such as unicode_escape)
        ("g,a\nx,12345\n", True),  # a cell over max_field (4 bytes)
        ("g,a\nxé,1\n", False),  # é is 2 bytes: 3 bytes <= 4
    ],
)
def test_unusual_blocks_are_declined(text: str, declined: bool) -> None:
    """The splitter declines what the general path must judge (blank lines, odd rows, lone
    carriage returns, NULs, cells that may be over max_field)."""
    splitter = _csv_bytes.ByteSplitter(",", 2, 4)
    result = splitter.split(text.split("\n", 1)[1] if "\n" in text else text, {"g": 0, "a": 1})
    assert (result is None) == declined


def test_a_non_ascii_delimiter_or_one_column_is_declined() -> None:
    """Multi-byte delimiters and one-column files are left to the general path."""
    assert _csv_bytes.ByteSplitter("§", 2, None).split("x§1\n", {"g": 0}) is None
    assert _csv_bytes.ByteSplitter(",", 1, None).split("x\n", {"g": 0}) is None


def test_codes_tell_every_distinct_cell_apart() -> None:
    """Cells of every length class are encoded exactly (including empty cells, multi-byte
    characters and cells sharing first byte, last byte and length)."""
    cells = ["", "1", "10", "é", "ab", "abc", "axc", "customer", "business", "€uro", "x" * 9]
    cells += ["y" * 20 + "z", "y" * 21, "w" * 40, "é" * 5 + "x", ""]
    rng = np.random.default_rng(5)
    column = [cells[i] for i in rng.integers(0, len(cells), 500)]
    for group in ([""], cells[:2], cells[:3], cells[:5], cells[5:9], cells[9:13], cells):
        picked = [cell for cell in column if cell in group]
        text = "".join(f"k,{cell}\n" for cell in picked)
        for bits in (1, 19):
            splitter = _csv_bytes.ByteSplitter(",", 2, None)
            original = _csv_bytes._HASH_BITS
            _csv_bytes._HASH_BITS = bits
            try:
                result = splitter.split(text, {"v": 1})
            finally:
                _csv_bytes._HASH_BITS = original
            assert result is not None
            got, rows = result
            assert rows == len(picked)
            assert [got["v"][i] for i in range(rows)] == picked


WHERE = Where("f.csv", np.arange(2, 12, dtype=np.int64))


def coded(cells: list[str]) -> Coded:
    """`cells` dictionary-encoded, with a duplicate entry in `distinct` as the splitter may
    make for empty cells."""
    distinct = [*dict.fromkeys(cells), ""]
    return Coded(distinct, np.array([distinct.index(cell) for cell in cells], dtype=np.int64))


@pytest.mark.parametrize(
    "cells",
    [
        ["1", " 2 ", "", "+3", "3.0", "1e0", "", " ", "5", "2"],
        ["1", "2", "x", "3", "4", "5", "6", "7", "1", "2"],
        ["1", "2", "3", "nan", "4", "5", "6", "7", "1", "2"],
        ["1", "2", "3", "4", "1e400", "5", "6", "7", "1", "2"],
        ["1", "2", "3", "4", "5", "\u0661", "6", "7", "1", "2"],
    ],
)
def test_coded_numbers_parse_as_text_cells(cells: list[str]) -> None:
    """The same values, or the same error at the same row, from a Coded column."""
    expected = outcome_of(lambda: parse_numbers(TextColumn(cells), WHERE, "a", "answer"))
    got = outcome_of(lambda: parse_numbers(coded(cells), WHERE, "a", "answer"))
    assert_same(got, expected)


def test_many_distinct_coded_numbers_parse_as_text_cells() -> None:
    """More than 64 distinct cells take the vectorised conversion, with the same values."""
    rng = np.random.default_rng(3)
    cells = [f"{x:.5g}" for x in rng.uniform(0, 100, 10)] * 10
    where = Where("f.csv", np.arange(2, 102, dtype=np.int64))
    cells[:10] = [f"{x:.5g}" for x in rng.uniform(0, 100, 10)]
    more = [f"{i}.{i % 7}" for i in range(100)]
    for column in (cells, more, [*more[:50], "x", *more[51:]]):
        expected = outcome_of(lambda c=column: parse_numbers(TextColumn(c), where, "w", "weight"))
        got = outcome_of(lambda c=column: parse_numbers(coded(c), where, "w", "weight"))
        assert_same(got, expected)


@pytest.mark.parametrize("allow_missing", [True, False])
@pytest.mark.parametrize(
    "cells",
    [
        ["GenY", " GenX", "", "GenY", "GenX ", "GenY", "GenY", "", "GenX", "GenY"],
        ["GenY", "GenX", "GenZ", "GenY", "", "GenY", "GenY", "genx", "GenX", "GenY"],
    ],
)
def test_coded_labels_parse_as_text_cells(cells: list[str], allow_missing: bool) -> None:
    """The same codes, or the same error at the same row, from a Coded column."""
    known = ("GenY", "GenX")

    def parse(column: Any) -> Any:
        return parse_labels(column, known, WHERE, "gen", "level", allow_missing=allow_missing)

    assert_same(
        outcome_of(lambda: parse(coded(cells))), outcome_of(lambda: parse(TextColumn(cells)))
    )


def outcome_of(parse: Any) -> tuple[Any, ...]:
    """A parser's arrays, or its error's type, message, row and value."""
    try:
        result = parse()
    except pg.PerceptionGapError as exc:
        return ("error", type(exc).__name__, str(exc), exc.row, exc.value)
    arrays = result if isinstance(result, tuple) else (result,)
    return ("ok", *arrays)


JUNK_ROWS = st.sampled_from(
    [
        '"How much do you agree?\nSelect one","{""ImportId"":""QID1""}",x',
        '{"ImportId":"QID1"}',
        "",
        "  ",
        "group,a,b",
        '"a, quoted",cell',
    ]
)


@given(
    file=csv_files(),
    junk=st.lists(JUNK_ROWS, max_size=4),
    chunk=st.sampled_from([7, 40, 2**21]),
)
@SETTINGS
def test_byte_split_skips_rows_as_the_general_path(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: tuple[str, str],
    junk: list[str],
    chunk: int,
) -> None:
    """With rows that are not data under the header (quoted multi-line question text, import
    ids, blank lines) and skip_rows set to their number, both ways of splitting give the same
    arrays, or the same error at the same row."""
    text, delimiter = file
    end = next(mark for mark in ("\r\n", "\n", "\r") if mark in text)
    header, _, body = text.partition(end)
    rows = [row.replace(",", delimiter).replace("\n", end) for row in junk]
    original = tmp_path / "original.csv"
    original.write_bytes(text.encode("utf-8"))
    path = tmp_path / "survey.csv"
    path.write_bytes(end.join([header, *rows, body]).encode("utf-8"))
    monkeypatch.setattr(_read_csv, "_CHUNK", chunk)
    fast, slow = both_ways(monkeypatch, path, LIKERT, delimiter=delimiter, skip_rows=len(junk))
    assert_same(fast, slow)
    plain = outcome(original, LIKERT, delimiter=delimiter)
    if plain[0] == "ok":
        assert_same(fast, plain)
    else:  # the same error, each data row further down by the rows skipped
        assert fast[1] == plain[1]
        assert fast[3] == (None if plain[3] is None else plain[3] + len(junk))

"""Tests of the streaming CSV reader: blocks give the rows one read would, arguments are named,
and resources are bounded (regular files and pipes only, file size and cell length limits)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perceptiongap as pg
from perceptiongap import _read_csv

GROUPS = ("customer", "business")
LIKERT = pg.Questionnaire(
    items=["a", "b", "c"],
    scale=pg.Likert(low=1, high=5),
    groups=GROUPS,
    segments={"gen": ("GenY", "GenX")},
)


def write(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    """Write `text` as UTF-8, keeping its line endings."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def reference(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the file means, by the csv module row by row (the reader before streaming)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [cell.strip() for cell in rows[0]]
    data = [row for row in rows[1:] if row and not (len(row) == 1 and not row[0].strip())]
    at = {name: header.index(name) for name in ("group", "a", "b", "c", "gen")}
    values = np.array(
        [[float(row[at[i]]) if row[at[i]].strip() else np.nan for i in "abc"] for row in data]
    )
    groups = np.array([GROUPS.index(row[at["group"]].strip()) for row in data])
    levels = ("GenY", "GenX")
    gen = np.array(
        [levels.index(g.strip()) if g.strip() else -1 for g in (r[at["gen"]] for r in data)]
    )
    return values, groups, gen


def survey_text(rng: np.random.Generator, rows: int, quoted: bool, crlf: bool) -> str:
    """A survey with an ignored free-text column, blank lines and (optionally) quoted cells."""
    end = "\r\n" if crlf else "\n"
    lines = ["group,note,a,b,c,gen"]
    for i in range(rows):
        if rng.random() < 0.1:
            lines.append("")
        note = "x" * int(rng.integers(0, 30))
        if quoted and rng.random() < 0.3:
            note = '"' + note + ', with a comma,\n a line end and a ""quote"""'
        answers = ["" if rng.random() < 0.1 else str(rng.integers(1, 6)) for _ in range(3)]
        gen = ["", "GenY", "GenX"][i % 3]
        lines.append(",".join([GROUPS[i % 2], note, *answers, gen]))
    return end.join(lines) + end


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 2**21])
@pytest.mark.parametrize(
    ("quoted", "crlf"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_blocks_of_any_size_give_the_rows_of_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, quoted: bool, crlf: bool
) -> None:
    """However the file is cut into blocks (inside a quoted cell, between \\r and \\n), the
    values, groups and segment levels are those of reading it whole with the csv module."""
    text = survey_text(np.random.default_rng(chunk), 60, quoted, crlf)
    monkeypatch.setattr(_read_csv, "_CHUNK", chunk)
    rs = pg.ResponseSet.from_csv(write(tmp_path, text), LIKERT)
    values, groups, gen = reference(text)
    np.testing.assert_array_equal(rs.values, values)
    np.testing.assert_array_equal(rs.group_codes, groups)
    np.testing.assert_array_equal(rs.segment_codes["gen"], gen)


@given(seed=st.integers(0, 2**32 - 1), chunk=st.integers(1, 50), quoted=st.booleans())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_row_numbers_in_errors_do_not_depend_on_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, chunk: int, quoted: bool
) -> None:
    """An off-scale answer is reported at the same row (blank lines and multi-line cells
    counted as a spreadsheet counts them) whatever the block size."""
    rng = np.random.default_rng(seed)
    text = survey_text(rng, 25, quoted, bool(seed % 2))
    records = list(csv.reader(io.StringIO(text, newline="")))
    data = [i for i, record in enumerate(records) if len(record) == 6][1:]
    target = data[int(rng.integers(0, len(data)))]
    records[target][2] = "9"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(records)
    bad = out.getvalue()
    path = write(tmp_path, bad)
    monkeypatch.setattr(_read_csv, "_CHUNK", 2**21)
    with pytest.raises(pg.ValueOffScaleError) as whole:
        pg.ResponseSet.from_csv(path, LIKERT)
    monkeypatch.setattr(_read_csv, "_CHUNK", chunk)
    with pytest.raises(pg.ValueOffScaleError) as blocks:
        pg.ResponseSet.from_csv(path, LIKERT)
    assert whole.value.row == blocks.value.row == target + 1
    assert str(whole.value) == str(blocks.value)


def test_lone_carriage_returns_end_lines(tmp_path: Path) -> None:
    """Old Mac line ends (a lone \\r) end records as they do for the csv module."""
    text = "group,a,b,c,gen\rcustomer,1,2,3,GenY\rbusiness,3,,4,\r"
    rs = pg.ResponseSet.from_csv(write(tmp_path, text), LIKERT)
    assert rs.n == {"customer": 1, "business": 1}


# -- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "error"),
    [
        (None, TypeError),
        (0, TypeError),
        (3.5, TypeError),
        (b"survey.csv", TypeError),
        (["survey.csv"], TypeError),
        ("", pg.InvalidArgumentError),
        ("a\0b.csv", pg.InvalidArgumentError),
    ],
)
def test_path_must_be_a_str_or_pathlike(path: object, error: type[Exception]) -> None:
    """`path` of another type (an int would read a file descriptor: 0 is standard input) is
    a TypeError naming `path`; an empty path or one with a NUL is refused by name."""
    with pytest.raises(error, match="`path`"):
        pg.ResponseSet.from_csv(path, LIKERT)  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["no-such-codec", "hex", "rot13", 8])
def test_unknown_encoding_is_named(tmp_path: Path, encoding: object) -> None:
    """An unknown (or not text) encoding is an InvalidArgumentError naming `encoding`."""
    path = write(tmp_path, "group,a,b,c\ncustomer,1,2,3\n")
    with pytest.raises(pg.InvalidArgumentError, match="`encoding`"):
        pg.ResponseSet.from_csv(path, LIKERT, encoding=encoding)  # type: ignore[arg-type]


@pytest.mark.parametrize("delimiter", ["", ";;", "\n", "\r", '"', "a", "7", None])
def test_bad_delimiter_is_named(tmp_path: Path, delimiter: object) -> None:
    """An empty, long, line-end, quote, letter or digit delimiter is refused by name."""
    path = write(tmp_path, "group,a,b,c\ncustomer,1,2,3\n")
    with pytest.raises(pg.InvalidArgumentError, match="`delimiter`"):
        pg.ResponseSet.from_csv(path, LIKERT, delimiter=delimiter)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [("max_bytes", 0), ("max_field", -1), ("max_field", True), ("max_bytes", 1.5)],
)
def test_bad_limits_are_named(tmp_path: Path, option: str, value: object) -> None:
    """A limit that is not a positive int or None is refused by name."""
    path = write(tmp_path, "group,a,b,c\ncustomer,1,2,3\n")
    with pytest.raises(pg.InvalidArgumentError, match=f"`{option}`"):
        pg.ResponseSet.from_csv(path, LIKERT, **{option: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(("mark", "what"), [(";", "semicolon"), ("\t", "tab")])
def test_other_separator_gets_a_hint(tmp_path: Path, mark: str, what: str) -> None:
    """A semicolon- or tab-separated file read with the default delimiter says which
    delimiter to pass."""
    path = write(tmp_path, f"group{mark}a{mark}b{mark}c\ncustomer{mark}1{mark}2{mark}3\n")
    with pytest.raises(pg.MissingColumnError, match=f"looks {what}-separated; pass delimiter="):
        pg.ResponseSet.from_csv(path, LIKERT)


# -- resources --------------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_up_front(device: str) -> None:
    """A device never ends: it is refused before anything is read."""
    with pytest.raises(pg.ResponseError, match="not a regular file or a pipe"):
        pg.ResponseSet.from_csv(device, LIKERT)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_and_bounded_by_max_bytes(tmp_path: Path) -> None:
    """A pipe (as process substitution gives) is read; max_bytes bounds it while streaming."""
    text = "group,a,b,c\n" + "customer,1,2,3\nbusiness,3,2,1\n" * 50
    fifo = tmp_path / "pipe.csv"
    for limit, expect_error in ((None, False), (100, True)):
        os.mkfifo(fifo)

        def feed() -> None:
            with open(fifo, "wb") as handle, contextlib.suppress(BrokenPipeError):
                handle.write(text.encode())

        writer = threading.Thread(target=feed)
        writer.start()
        q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
        try:
            if expect_error:
                with pytest.raises(pg.ResponseError, match="max_bytes"):
                    pg.ResponseSet.from_csv(fifo, q, max_bytes=limit)
            else:
                assert pg.ResponseSet.from_csv(fifo, q, max_bytes=limit).n["customer"] == 50
        finally:
            writer.join(timeout=10)
            fifo.unlink()


def test_a_file_over_max_bytes_is_refused_up_front(tmp_path: Path) -> None:
    """A regular file larger than max_bytes is refused naming the limit and the option."""
    path = write(tmp_path, "group,a,b,c\n" + "customer,1,2,3\n" * 10)
    with pytest.raises(pg.ResponseError, match=r"limit of 20 .*max_bytes.*max_bytes=None"):
        pg.ResponseSet.from_csv(path, LIKERT, max_bytes=20)


@pytest.mark.parametrize("quoted", [False, True])
def test_a_long_comment_in_an_ignored_column_is_read(tmp_path: Path, quoted: bool) -> None:
    """A free-text cell longer than the csv module's own limit (131072) but under max_field
    is read (the column is ignored, so it is not even kept)."""
    comment = "y" * 200_000
    cell = f'"{comment}, with a comma"' if quoted else comment
    text = f"group,note,a,b,c\ncustomer,{cell},1,2,3\nbusiness,,3,2,1\n"
    q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
    assert pg.ResponseSet.from_csv(write(tmp_path, text), q).n == {"customer": 1, "business": 1}
    assert csv.field_size_limit() == 131072  # the module-wide setting is left as it was


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_over_max_field_names_the_row_and_the_limit(tmp_path: Path, quoted: bool) -> None:
    """A cell longer than max_field is refused naming the row, the limit and `max_field`."""
    cell = '"' + "z" * 500 + '"' if quoted else "z" * 500
    text = f"group,note,a,b,c\ncustomer,,1,2,3\n\nbusiness,{cell},3,2,1\n"
    q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
    with pytest.raises(pg.ResponseError, match=r"limit of 100 characters \(max_field\)") as info:
        pg.ResponseSet.from_csv(write(tmp_path, text), q, max_field=100)
    assert info.value.row == 4
    assert "max_field=None" in str(info.value)
    assert pg.ResponseSet.from_csv(write(tmp_path, text), q, max_field=None).n["business"] == 1


def test_a_line_without_end_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge line with no line end is refused once it exceeds any allowed record, without
    reading the rest of it into memory."""
    monkeypatch.setattr(_read_csv, "_CHUNK", 4096)
    text = "group,a,b,c\ncustomer,1,2,3\n" + "w" * 200_000
    q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Likert(low=1, high=5), groups=GROUPS)
    with pytest.raises(pg.ResponseError, match="max_field") as info:
        pg.ResponseSet.from_csv(write(tmp_path, text), q, max_field=100)
    assert info.value.row == 3


# -- rows under the header that are not data (skip_rows) --------------------------------------

QUALTRICS_ROWS = (
    '"Group","How much do you agree?\nSelect one - a","b","c, again","Generation"\n'
    '"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}","{""ImportId"":""QID3""}",'
    '"{""ImportId"":""QID4""}","{""ImportId"":""QID5""}"\n'
)


@pytest.mark.parametrize("chunk", [1, 5, 64, 2**21])
@pytest.mark.parametrize("crlf", [False, True])
def test_skip_rows_drops_the_rows_under_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, crlf: bool
) -> None:
    """A Qualtrics-style file (a question-text row with a quoted multi-line cell and an
    import-id row under the header) reads with skip_rows=2 as the file without them does,
    however it is cut into blocks."""
    text = survey_text(np.random.default_rng(chunk), 40, quoted=False, crlf=crlf)
    header, body = text.split("\r\n" if crlf else "\n", 1)
    end = "\r\n" if crlf else "\n"
    qualtrics = header + end + QUALTRICS_ROWS.replace("\n", end) + body
    monkeypatch.setattr(_read_csv, "_CHUNK", chunk)
    plain = pg.ResponseSet.from_csv(write(tmp_path, text, "plain.csv"), LIKERT)
    skipped = pg.ResponseSet.from_csv(write(tmp_path, qualtrics), LIKERT, skip_rows=2)
    np.testing.assert_array_equal(skipped.values, plain.values)
    np.testing.assert_array_equal(skipped.group_codes, plain.group_codes)
    np.testing.assert_array_equal(skipped.segment_codes["gen"], plain.segment_codes["gen"])


@pytest.mark.parametrize("byte_split", [True, False])
def test_rows_after_skipped_rows_keep_their_spreadsheet_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, byte_split: bool
) -> None:
    """Skipped rows count: the header is row 1, the two skipped rows (one of them over two
    lines) are rows 2 and 3, so the third data row is row 6, on both ways of splitting."""
    monkeypatch.setattr(_read_csv, "BYTE_SPLIT", byte_split)
    text = (
        "group,a,b,c,gen\n"
        + QUALTRICS_ROWS
        + "customer,1,2,3,GenY\nbusiness,2,3,4,\ncustomer,1,9,3,GenX\n"
    )
    with pytest.raises(pg.ValueOffScaleError) as caught:
        pg.ResponseSet.from_csv(write(tmp_path, text), LIKERT, skip_rows=2)
    assert caught.value.row == 6
    assert caught.value.column == "b"
    assert "row 6" in str(caught.value)


def test_without_skip_rows_the_question_text_is_read_as_data(tmp_path: Path) -> None:
    """The default (0) reads every row under the header: the question text is not a group."""
    text = "group,a,b,c,gen\n" + QUALTRICS_ROWS + "customer,1,2,3,GenY\nbusiness,2,3,4,\n"
    with pytest.raises(pg.ResponseError) as caught:
        pg.ResponseSet.from_csv(write(tmp_path, text), LIKERT)
    assert caught.value.row == 2


def test_a_blank_line_under_the_header_is_a_skipped_row(tmp_path: Path) -> None:
    """Rows are counted as a spreadsheet shows them: a blank line is one of the skipped rows."""
    text = "group,a,b,c,gen\n\nQuestion,text,b,c,g\ncustomer,1,2,3,GenY\nbusiness,2,3,4,\n"
    rs = pg.ResponseSet.from_csv(write(tmp_path, text), LIKERT, skip_rows=2)
    assert rs.n == {"customer": 1, "business": 1}


@pytest.mark.parametrize("skip_rows", [2, 3, 100])
def test_skipping_every_row_leaves_no_data(tmp_path: Path, skip_rows: int) -> None:
    """Skipping as many rows as the file has (or more) is the error of a file without data."""
    text = "group,a,b,c,gen\ncustomer,1,2,3,GenY\nbusiness,2,3,4,\n"
    with pytest.raises(pg.EmptyDataError, match="no data rows"):
        pg.ResponseSet.from_csv(write(tmp_path, text), LIKERT, skip_rows=skip_rows)


@pytest.mark.parametrize("skip_rows", [-1, 1.5, True, "2", None])
def test_bad_skip_rows_is_named(tmp_path: Path, skip_rows: object) -> None:
    """`skip_rows` must be a non-negative int (not a bool, a float or a str)."""
    path = write(tmp_path, "group,a,b,c\ncustomer,1,2,3\n")
    with pytest.raises(pg.InvalidArgumentError, match="`skip_rows`"):
        pg.ResponseSet.from_csv(path, LIKERT, skip_rows=skip_rows)  # type: ignore[arg-type]

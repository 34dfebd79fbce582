"""Reading a CSV file in blocks: bytes -> text -> the needed columns -> the shared validator.

The file is decoded a couple of megabytes at a time and cut at line ends. A block without
quote characters (most survey exports) whose every line has the header's number of fields is
split as bytes in numpy (:mod:`~perceptiongap._csv_bytes`): each needed column arrives
dictionary-encoded, so no Python string is made per cell. Other blocks without quotes (blank
lines, odd rows) are split with ``str.split``: the whole block at once, then each needed column
is a slice of the flat field list, so no per-row lists are built. A block with quotes goes
through :mod:`csv`, which also follows a quoted cell onto further lines
(and into the next block). Each block's needed columns are parsed and checked by
:func:`~perceptiongap._readers.parse_block`; ignored columns are never kept. Row numbers are
those a spreadsheet shows: the header is row 1, a blank line counts but is skipped, and a record
whose quoted cell spans several lines is one row. `skip_rows` records after the header (such as
the question text and import ids of a Qualtrics export) are read through the csv module and
dropped before any block is split, so both ways of splitting start at the same row number.

Resources are bounded: the file must be a regular file or a pipe (a device such as /dev/zero
never ends), at most `max_bytes` long, and no cell longer than `max_field` characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

import numpy as np

from ._cells import TextColumn, Where
from ._checks import count, size_limit
from ._csv_bytes import ByteSplitter
from ._files import check_path
from ._questionnaire import Questionnaire
from ._readers import (
    Block,
    ResponseArrays,
    Stack,
    check_arguments,
    check_columns,
    finish,
    parse_block,
)
from ._row_rules import KEEP, RowRule
from .errors import EmptyDataError, InvalidArgumentError, ResponseError

__all__ = ["MAX_BYTES", "MAX_FIELD", "read_csv"]

MAX_BYTES = 2**33  # 8 GiB: the default file size limit
MAX_FIELD = 2**20  # 1 Mi characters: the default limit on one cell
_CHUNK = 2**21  # bytes decoded at a time
BYTE_SPLIT = True  # plain blocks are split as bytes (tests turn it off to compare the paths)
_LIMIT_HINT = "pass {option}=None (or a larger limit) to read it"


class _LongLineError(Exception):
    """A line without an end longer than any allowed record (turned into a ResponseError)."""


class _Source:
    """Decoded text of an open file, handed out as runs of whole lines."""

    def __init__(self, handle: IO[bytes], encoding: str, name: str, max_bytes: int | None):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder(encoding)("strict")
        self.name = name
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.pending = ""
        self.eof = False
        self.max_line: int | None = None

    def _read(self) -> tuple[str, bool]:
        data = self.handle.read(_CHUNK)
        self.read_bytes += len(data)
        if self.max_bytes is not None and self.read_bytes > self.max_bytes:
            raise ResponseError(
                f"the data are longer than the limit of {self.max_bytes} bytes (max_bytes); "
                + _LIMIT_HINT.format(option="max_bytes")
                + ".",
                file=self.name,
            )
        self.eof = not data
        return self.decoder.decode(data, final=self.eof), self.eof

    def lines(self) -> str:
        """The next run of whole lines (the last may lack its end); "" at the end."""
        while True:
            if self.eof:
                text, self.pending = self.pending, ""
                return text
            chunk, at_end = self._read()
            text = self.pending + chunk
            # a final "\r" may be the first half of "\r\n": keep it for the next run
            end = len(text) - 1 if text.endswith("\r") else len(text)
            cut = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
            if cut == 0 and not at_end:
                if self.max_line is not None and len(text) > self.max_line:
                    raise _LongLineError
                self.pending = text
                continue
            if at_end:
                cut = len(text)
            self.pending = text[cut:]
            return text[:cut]


class _Feed:
    """Lines for csv.reader: a block's, then the source's when a quoted cell runs on."""

    def __init__(self, text: str, source: _Source) -> None:
        self.lines = list(io.StringIO(text, newline=""))
        self.index = 0
        self.source = source
        self.extended = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.index == len(self.lines):
            more = self.source.lines()
            if not more:
                raise StopIteration
            self.lines, self.index, self.extended = list(io.StringIO(more, newline="")), 0, True
        self.index += 1
        return self.lines[self.index - 1]

    def at_end(self) -> bool:
        """True once the block is used up; lines fetched beyond it go back to the source."""
        if self.extended:
            self.source.pending = "".join(self.lines[self.index :]) + self.source.pending
            return True
        return self.index == len(self.lines)


def check_options(
    encoding: object, delimiter: object, max_bytes: object, max_field: object
) -> None:
    """The reading options, each named when wrong."""
    if not isinstance(encoding, str):
        raise InvalidArgumentError(f"`encoding` must be a str; got {encoding!r}.")
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InvalidArgumentError(
            f"`encoding` {encoding!r} is not a known text encoding; try 'utf-8-sig', "
            "'utf-16' or 'cp1252'."
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidArgumentError(f"`encoding` {encoding!r} is not a text encoding.")
    if (
        not isinstance(delimiter, str)
        or len(delimiter) != 1
        or delimiter in '"\r\n\0'
        or delimiter.isalnum()
    ):
        raise InvalidArgumentError(
            f"`delimiter` must be one character other than a quote, a line end, a letter or a "
            f"digit (such as ',', ';', '\\t' or '|'); got {delimiter!r}."
        )
    size_limit(max_bytes, "max_bytes")
    size_limit(max_field, "max_field")


def read_csv(
    path: Any,
    questionnaire: Questionnaire,
    *,
    group: str,
    weight: str | None,
    encoding: str,
    delimiter: str,
    max_bytes: int | None = MAX_BYTES,
    max_field: int | None = MAX_FIELD,
    skip_rows: int = 0,
    rule: RowRule = KEEP,
) -> ResponseArrays:
    """Read a CSV file with a header row (see ``ResponseSet.from_csv``)."""
    name = check_path(path)
    check_options(encoding, delimiter, max_bytes, max_field)
    skip_rows = count(skip_rows, "skip_rows")
    check_arguments(questionnaire, group, weight)
    try:
        handle = open(name, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise ResponseError(f"cannot read the file: {exc.strerror}.", file=name) from None
    limit = csv.field_size_limit()
    try:
        with handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                raise ResponseError(
                    "not a regular file or a pipe (a device or a socket is never read).",
                    file=name,
                )
            size = os.fstat(handle.fileno()).st_size if stat.S_ISREG(mode) else 0
            if max_bytes is not None and size > max_bytes:
                raise ResponseError(
                    f"the file has {size} bytes, more than the limit of {max_bytes} "
                    "(max_bytes); " + _LIMIT_HINT.format(option="max_bytes") + ".",
                    file=name,
                )
            # the csv module's own cell limit (131072) would refuse long free text; ours
            # is max_field (the module-wide setting is put back afterwards)
            csv.field_size_limit(min(max_field or sys.maxsize, 2**31 - 1))
            source = _Source(handle, encoding, name, max_bytes)
            reader = _Reader(source, questionnaire, group, weight, delimiter, max_field)
            reader.rule = rule
            return reader.read(size, skip_rows)
    except OSError as exc:
        raise ResponseError(f"cannot read the file: {exc.strerror}.", file=name) from None
    except UnicodeError as exc:  # UnicodeDecodeError, or a UTF-16 stream without its mark
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise ResponseError(
            f"the file is not valid {encoding} text ({reason}).", file=name
        ) from None
    finally:
        csv.field_size_limit(limit)


class _Reader:
    """One pass over a file's blocks: header, then rows parsed block by block."""

    def __init__(
        self,
        source: _Source,
        q: Questionnaire,
        group: str,
        weight: str | None,
        delimiter: str,
        max_field: int | None,
    ) -> None:
        self.source, self.q, self.group, self.weight = source, q, group, weight
        self.delimiter, self.max_field = delimiter, max_field
        self.name = source.name
        self.row = 0  # records read so far; the header is row 1
        self.header: list[str] = []
        self.positions: dict[str, int] = {}
        self.bytes: ByteSplitter | None = None
        self.rule = KEEP

    def read(self, size: int, skip_rows: int = 0) -> ResponseArrays:
        """All rows; `size` is the file's size in bytes (0 when unknown, a pipe); the
        `skip_rows` records after the header are dropped unread."""
        source = self.source
        # a line may hold a row of cells of up to max_field characters (twice that when every
        # character is a doubled quote); the header's width is not known yet
        source.max_line = None if self.max_field is None else max(64 * self.max_field, 2**24)
        self._read_header()
        self._skip(skip_rows)
        if BYTE_SPLIT:
            self.bytes = ByteSplitter(self.delimiter, len(self.header), self.max_field)
        if self.max_field is not None:
            source.max_line = max((2 * self.max_field + 3) * len(self.header) + 2, 2**16)
        # a data row takes at least one byte per column (its delimiters and line end)
        stack = Stack(
            self.q, self.weight is not None, size // len(self.header) + 1 if size else 2**16
        )
        while True:
            try:
                text = source.lines()
            except _LongLineError:
                raise self._long_line() from None
            if not text:
                break
            block = self._block(text)
            if block is not None:
                stack.add(block)
        return finish(
            self.q,
            [stack.block()],
            group=self.group,
            weight=self.weight,
            source=self.name,
            rule=self.rule,
        )

    def _long_field(self, row: int, column: str | None) -> ResponseError:
        return ResponseError(
            f"a cell is longer than the limit of {self.max_field} characters (max_field); "
            + _LIMIT_HINT.format(option="max_field")
            + ".",
            file=self.name,
            row=row,
            column=column,
        )

    def _long_line(self) -> ResponseError:
        return ResponseError(
            f"a line runs on for more than {self.source.max_line} characters, longer than a "
            f"row of cells of at most {self.max_field} characters (max_field) can be; "
            + _LIMIT_HINT.format(option="max_field")
            + ".",
            file=self.name,
            row=self.row + 1,
        )

    def _read_header(self) -> None:
        try:
            text = self.source.lines()
        except _LongLineError:
            raise self._long_line() from None
        feed = _Feed(text, self.source)
        header = self._next_record(csv.reader(feed, delimiter=self.delimiter))
        if feed.index < len(feed.lines):
            self.source.pending = "".join(feed.lines[feed.index :]) + self.source.pending
        if not header or (len(header) == 1 and not header[0].strip()):
            raise EmptyDataError(
                "the file is empty; expected a header row and data rows.", file=self.name
            )
        self.header = [cell.strip() for cell in header]
        seen: dict[str, int] = {}
        for position, cell in enumerate(self.header):
            if cell in seen and cell:
                raise ResponseError(
                    f"the header names column {cell!r} twice (columns {seen[cell] + 1} and "
                    f"{position + 1}).",
                    file=self.name,
                    row=1,
                    column=cell,
                )
            seen[cell] = position
        check_columns(
            self.q,
            list(seen),
            group=None if self.rule.group is not None else self.group,
            weight=self.weight,
            source=self.name,
            header_row=1,
            hint=self._delimiter_hint(),
        )
        wanted = {self.group, *self.q.item_ids, *self.q.segments, self.weight}
        self.positions = {cell: pos for cell, pos in seen.items() if cell in wanted}

    def _skip(self, n: int) -> None:
        """Drop the next `n` records (blank lines and multi-line quoted cells count as the
        rows a spreadsheet shows); the lines after them go back to the source."""
        if n == 0:
            return
        try:
            text = self.source.lines()
        except _LongLineError:
            raise self._long_line() from None
        feed = _Feed(text, self.source)
        reader = csv.reader(feed, delimiter=self.delimiter)
        for _ in range(n):
            if self._next_record(reader) is None:
                break  # the file ends among the skipped rows: no data rows (said later)
        if feed.index < len(feed.lines):
            self.source.pending = "".join(feed.lines[feed.index :]) + self.source.pending

    def _delimiter_hint(self) -> str:
        if len(self.header) != 1:
            return ""
        for mark, what in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe"), (",", "comma")):
            if mark != self.delimiter and mark in self.header[0]:
                return f" The file looks {what}-separated; pass delimiter={mark!r}."
        return ""

    def _next_record(self, reader: Iterator[list[str]]) -> list[str] | None:
        try:
            record = next(reader, None)
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise self._long_field(self.row + 1, None) from None
            raise ResponseError(
                f"malformed CSV: {exc}.", file=self.name, row=self.row + 1
            ) from None
        except _LongLineError:
            raise self._long_line() from None
        self.row += 1
        return record

    def _block(self, text: str) -> Block | None:
        """Parse one run of lines; None when it holds no data row."""
        split = None
        if '"' not in text:
            if self.bytes is not None:
                fast = self.bytes.split(text, self.positions)
                if fast is not None:
                    coded, n = fast
                    first, self.row = self.row + 1, self.row + n
                    where = Where(self.name, np.arange(first, first + n, dtype=np.int64))
                    return self._parse(coded, where)
            split = self._split_plain(text)
        if split is None:
            split = self._split_quoted(text)
        fields, rows = split
        if not rows:
            return None
        width = len(self.header)
        columns = {name: TextColumn(fields[pos::width]) for name, pos in self.positions.items()}
        where = Where(self.name, np.asarray(rows, dtype=np.int64))
        return self._parse(columns, where)

    def _parse(self, columns: Any, where: Where) -> Block:
        return parse_block(
            self.q, columns, where, group=self.group, weight=self.weight, rule=self.rule
        )

    def _split_plain(self, text: str) -> tuple[list[str], Sequence[int]] | None:
        """A block without quotes, split at once; None to leave it to the csv module."""
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                return None  # a lone carriage return ends a line for the csv module
            text = text.replace("\r\n", "\n")
        body = text[:-1] if text.endswith("\n") else text
        lines = body.split("\n")
        delimiter, width = self.delimiter, len(self.header)
        counts = np.fromiter(map(str.count, lines, [delimiter] * len(lines)), np.int64)
        odd = np.flatnonzero(counts != width - 1)
        if width == 1:
            odd = np.union1d(odd, np.flatnonzero(counts == 0))
        first = self.row + 1
        blank = []
        for i in odd.tolist():
            if counts[i] == 0 and not lines[i].strip():
                blank.append(i)  # a blank line is not a respondent, but it is a row
            elif counts[i] != width - 1:
                raise ResponseError(
                    f"this row has {counts[i] + 1} fields but the header has {width}.",
                    file=self.name,
                    row=first + i,
                )
        if self.max_field is not None and max(map(len, lines)) > self.max_field:
            for i, line in enumerate(lines):
                for j, cell in enumerate(line.split(delimiter)):
                    if len(cell) > self.max_field:
                        raise self._long_field(first + i, self.header[j])
        self.row += len(lines)
        if not blank:
            return body.replace("\n", delimiter).split(delimiter), range(first, first + len(lines))
        keep = np.setdiff1d(np.arange(len(lines)), blank)
        kept = [lines[i] for i in keep.tolist()]
        return delimiter.join(kept).split(delimiter), (first + keep).tolist()

    def _split_quoted(self, text: str) -> tuple[list[str], Sequence[int]]:
        """A block with quotes (or lone carriage returns), record by record."""
        feed = _Feed(text, self.source)
        reader = csv.reader(feed, delimiter=self.delimiter)
        width = len(self.header)
        fields: list[str] = []
        rows: list[int] = []
        while not feed.at_end():
            record = self._next_record(reader)
            if record is None:
                break
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != width:
                raise ResponseError(
                    f"this row has {len(record)} fields but the header has {width}.",
                    file=self.name,
                    row=self.row,
                )
            fields.extend(record)
            rows.append(self.row)
        return fields, rows

"""Questionnaire files: JSON and TOML in and out, and errors that say where in the file.

A questionnaire definition is a nested table; a *key path* such as ``items[2].id`` or
``scale.high`` names one value in it. The readers of the table (``_scale_from`` and
``Questionnaire.from_dict``) raise :class:`KeyPathError` naming the path of anything wrong.
This module parses the file text into a :class:`Document`, which also knows the line on
which each key path's value sits, and turns a :class:`KeyPathError` into a
:class:`~perceptiongap.QuestionnaireError` naming the file, the line and the key path.

This module knows nothing of items or scales: it sits below them (``_scales`` and
``_questionnaire`` import it; it imports neither).
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import attrs

from ._files import check_path, write_file
from .errors import InvalidArgumentError, QuestionnaireError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "KeyPath",
    "KeyPathError",
    "at",
    "format_key",
    "read_document",
]

#: The largest questionnaire file read by default (16 MiB; a questionnaire of 10,000 items
#: with long labels takes about 2 MiB). ``max_bytes=None`` lifts it.
MAX_BYTES = 16 * 2**20

#: The deepest nesting of tables and lists accepted (a questionnaire needs 3: ``items[2].id``).
MAX_DEPTH = 32

#: The keys and list positions that lead from the top of a definition to one value.
KeyPath: TypeAlias = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def format_key(path: KeyPath) -> str:
    """Write a key path as ``items[2].id``; keys that are not bare TOML keys are quoted.

    Parameters
    ----------
    path : tuple of str and int
        Keys of tables (str) and positions in lists (int, 0-based), outermost first.

    Returns
    -------
    str
        The path as text; ``""`` for the empty path (the top of the definition).

    Examples
    --------
    >>> format_key(("items", 2, "id"))
    'items[2].id'
    >>> format_key(("segments", "age group", 0))
    'segments."age group"[0]'
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        name = part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)
        text += f".{name}" if text else name
    return text


class KeyPathError(InvalidArgumentError):
    """An invalid value at a key path of a questionnaire definition.

    Raised by the readers of the dictionary layout; :meth:`Document.error` turns it into a
    :class:`~perceptiongap.QuestionnaireError` with the file and line. It stays an
    :class:`~perceptiongap.InvalidArgumentError` for other readers of a scale's layout (a
    saved report), whose message then starts with the key path.

    Parameters
    ----------
    path : tuple of str and int
        Where the value is; the empty path means the definition as a whole.
    reason : str
        What is wrong, as a sentence.
    """

    def __init__(self, path: KeyPath, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{format_key(path)}: {reason}" if path else reason)


@contextmanager
def at(path: KeyPath) -> Iterator[None]:
    """Report an :class:`~perceptiongap.InvalidArgumentError` raised in the block at `path`.

    Parameters
    ----------
    path : tuple of str and int
        The key path of the value the block checks.

    Yields
    ------
    None

    Raises
    ------
    KeyPathError
        Carrying the message of the error raised in the block; a :class:`KeyPathError`
        raised in the block passes unchanged.
    """
    try:
        yield
    except KeyPathError:
        raise
    except InvalidArgumentError as exc:
        raise KeyPathError(path, str(exc)) from None


@attrs.frozen
class Document:
    """A questionnaire definition as parsed, with the line on which each value sits.

    Parameters
    ----------
    data : object
        The parsed table (normally a mapping; the readers check).
    file : str, optional
        The file it came from, named in error messages.
    lines : mapping of key path to int, optional
        The 1-based line of each value's start in the file, as far as it is known.
    """

    data: object
    file: str | None = None
    lines: Mapping[KeyPath, int] = attrs.field(factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """Return the line of the value at `path`, else of the nearest enclosing value.

        Parameters
        ----------
        path : tuple of str and int
            A key path.

        Returns
        -------
        int or None
            None when neither the value nor any enclosing value (other than the whole
            document) has a known line.
        """
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def error(self, exc: InvalidArgumentError) -> QuestionnaireError:
        """Return the :class:`~perceptiongap.QuestionnaireError` reporting `exc` in this file.

        Parameters
        ----------
        exc : InvalidArgumentError
            Raised while reading the definition; a :class:`KeyPathError` gives the key path
            and line, any other error only its message.

        Returns
        -------
        QuestionnaireError
        """
        if not isinstance(exc, KeyPathError):
            return QuestionnaireError(str(exc), file=self.file)
        return QuestionnaireError(
            exc.reason,
            file=self.file,
            key=format_key(exc.path) or None,
            line=self.line_of(exc.path),
        )


# -- reading -----------------------------------------------------------------------------------


def read_document(path: str | Path, max_bytes: int | None = MAX_BYTES) -> Document:
    """Read and parse a ``.json`` or ``.toml`` questionnaire file, locating its values.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; its suffix (in any letter case) chooses the format. UTF-8, with or without
        a byte-order mark. A regular file or a named pipe; a directory or a device (such as
        ``/dev/zero``) is refused.
    max_bytes : int or None, default MAX_BYTES (16 MiB)
        The largest file read; a longer one is refused before it is parsed. None lifts it.

    Returns
    -------
    Document
        The parsed data, the file name and the line of each key path.

    Raises
    ------
    QuestionnaireError
        The suffix is neither ``.json`` nor ``.toml``, the file cannot be read, is not a
        regular file or a pipe, is longer than `max_bytes`, is not UTF-8 or is not valid JSON
        or TOML (with the line of the problem where known); or a table repeats a key, values
        nest deeper than :data:`MAX_DEPTH`, or a number is NaN, infinite or beyond the range
        of 64-bit floats (with the key path and line).
    TypeError
        `path` is not a str or os.PathLike of str (such as None or a file descriptor).
    InvalidArgumentError
        `path` is empty or holds a NUL character.
    """
    name = check_path(path)  # the one check of every path argument
    path = Path(name)
    parse = _PARSERS.get(path.suffix.lower())
    if parse is None:
        raise QuestionnaireError(
            f"unsupported file type {path.suffix!r}; use a .json or .toml file.", file=name
        )
    raw = _read_bytes(path, name, max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        undecoded = exc.object  # the bytes after any byte-order mark: exc.start counts in them
        raise QuestionnaireError(
            f"cannot parse the file: byte {undecoded[exc.start]:#04x} is not UTF-8 "
            f"({exc.reason}); save the file as UTF-8.",
            file=name,
            line=undecoded.count(b"\n", 0, exc.start) + 1,
        ) from None
    document = parse(text, name)
    _check_values(document)
    return document


def _read_bytes(path: Path, name: str, max_bytes: int | None) -> bytes:
    """The file's bytes: a regular file or a pipe, at most `max_bytes` of them."""
    try:
        with path.open("rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                raise QuestionnaireError(
                    "cannot read the file: it is not a regular file (a directory, a device "
                    "or a socket); give the path of a .json or .toml file.",
                    file=name,
                )
            raw = file.read() if max_bytes is None else file.read(max_bytes + 1)
    except OSError as exc:
        raise QuestionnaireError(f"cannot read the file: {exc.strerror}.", file=name) from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise QuestionnaireError(
            f"the file is longer than {max_bytes:,} bytes, the limit for a questionnaire "
            "file; pass max_bytes=None (or a larger limit) to read it anyway.",
            file=name,
        )
    return raw


#: JSON's integers are read as Python ints; one this long (beyond any float) is read as
#: infinity, which :func:`_check_values` refuses, instead of hitting Python's 4,300-digit cap.
_LONGEST_INT = 400


def _json_int(text: str) -> int | float:
    return int(text) if len(text) <= _LONGEST_INT else math.inf


def _check_values(document: Document) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and numbers that are not finite floats
    (NaN, ``Infinity`` and overflowing literals, which JSON and TOML readers accept)."""
    stack: list[tuple[KeyPath, object]] = [((), document.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Mapping):
            children = [((*path, str(key)), child) for key, child in value.items()]
        elif isinstance(value, list):
            children = [((*path, index), child) for index, child in enumerate(value)]
        else:
            children = []
            number = float(value) if isinstance(value, float) else 0.0
            if isinstance(value, int) and not isinstance(value, bool):
                number = math.inf if value.bit_length() > 1023 else 0.0
            if not math.isfinite(number):
                raise document.error(
                    KeyPathError(
                        path,
                        f"{value!r} is not a finite number: NaN, infinity and numbers beyond the "
                        "range of 64-bit floats (about 1.8e308) are not accepted.",
                    )
                )
        if children and len(path) >= MAX_DEPTH:
            raise document.error(
                KeyPathError(
                    path,
                    f"tables and lists nest more than {MAX_DEPTH} levels deep; a questionnaire "
                    "needs three (items[2].id).",
                )
            )
        stack += children


_TOO_DEEP = (
    f"cannot parse the file: tables and lists nest more than {MAX_DEPTH} levels deep; a "
    "questionnaire needs three (items[2].id)."
)


class _RepeatedKeyError(Exception):
    """A table of a JSON file repeats a key (found while locating the values)."""

    def __init__(self, path: KeyPath, start: int) -> None:
        self.path = path
        self.start = start


def _parse_json(text: str, name: str) -> Document:
    if _json_depth(text) > MAX_DEPTH:
        raise QuestionnaireError(_TOO_DEEP, file=name)
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            f"cannot parse the file: {exc.msg} (column {exc.colno}).", file=name, line=exc.lineno
        ) from None
    try:
        lines = _json_lines(text)
    except _RepeatedKeyError as repeated:
        *_, key = repeated.path
        raise QuestionnaireError(
            f"the key {key!r} appears more than once in the same table (the last value would "
            "silently win); keep one.",
            file=name,
            key=format_key(repeated.path),
            line=text.count("\n", 0, repeated.start) + 1,
        ) from None
    return Document(data, file=name, lines=lines)


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]')


def _json_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (without recursion: any depth)."""
    depth = deepest = 0
    for token in _JSON_TOKENS.finditer(text):
        opening = token[0][0]
        if opening in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif opening in "]}":
            depth -= 1
    return deepest


_TOML_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\Z")


def _parse_toml(text: str, name: str) -> Document:
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise QuestionnaireError(_TOO_DEEP, file=name) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position only in its message: "... (at line 3, column 7)".
        message, line = str(exc), None
        where = _TOML_WHERE.search(message)
        if where is not None:
            line = int(where[1]) if where[1] else text.rstrip().count("\n") + 1
            place = f"column {where[2]}" if where[1] else "at the end of the file"
            message = f"{message[: where.start()]} ({place})"
        raise QuestionnaireError(
            f"cannot parse the file: {message}.", file=name, line=line
        ) from None
    except ValueError:  # an integer literal beyond Python's 4,300-digit conversion limit
        raise QuestionnaireError(
            "cannot parse the file: an integer has thousands of digits, far beyond the range "
            "of 64-bit floats (about 1.8e308).",
            file=name,
        ) from None
    return Document(data, file=name, lines=_toml_lines(text))


_PARSERS: dict[str, Callable[[str, str], Document]] = {
    ".json": _parse_json,
    ".toml": _parse_toml,
}

_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_lines(text: str) -> dict[KeyPath, int]:
    """Map the key path of every value in valid JSON `text` to the line where it starts.

    A small recursive descent over text that :func:`json.loads` has accepted: keys and
    scalars are read with ``JSONDecoder.raw_decode``, which returns the offset after the
    value. A key repeated within one object raises :class:`_RepeatedKeyError` (``json.loads``
    would silently keep the last value). The caller has bounded the nesting depth.
    """
    starts: dict[KeyPath, int] = {}
    decoder = json.JSONDecoder(parse_int=_json_int)

    def skip(index: int) -> int:
        return _JSON_SPACE.match(text, index).end()  # type: ignore[union-attr]  # always matches

    def value(index: int, path: KeyPath) -> int:
        starts[path] = index
        opening = text[index]
        if opening not in "{[":
            return int(decoder.raw_decode(text, index)[1])
        closing = "}" if opening == "{" else "]"
        index, position = skip(index + 1), 0
        keys: set[str] = set()
        while text[index] != closing:
            key: str | int = position
            if opening == "{":
                start = index
                key, index = decoder.raw_decode(text, index)
                if key in keys:
                    raise _RepeatedKeyError((*path, key), start)
                keys.add(str(key))
                index = skip(skip(index) + 1)  # past the colon
            index = skip(value(index, (*path, key)))
            if text[index] == ",":
                index = skip(index + 1)
            position += 1
        return index + 1

    value(skip(0), ())
    newlines = [match.start() for match in re.finditer("\n", text)]
    return {path: bisect.bisect_left(newlines, start) + 1 for path, start in starts.items()}


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_TOML_DOTTED = rf"{_TOML_KEY}(?:[ \t]*\.[ \t]*{_TOML_KEY})*"
_TOML_HEADER = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_TOML_DOTTED})[ \t]*\]\]?[ \t]*(?:#.*)?\Z")
_TOML_ASSIGNMENT = re.compile(rf"[ \t]*({_TOML_DOTTED})[ \t]*=[ \t]*")


def _toml_keys(dotted: str) -> KeyPath:
    keys: list[str] = []
    for key in re.findall(_TOML_KEY, dotted):
        if key.startswith("'"):  # a literal key: no escapes
            key = key[1:-1]
        elif key.startswith('"'):
            try:
                key = json.loads(key)
            except json.JSONDecodeError:  # a TOML escape JSON lacks (\U0001F600, \e)
                return ()
        keys.append(key)
    return tuple(keys)


def _toml_lines(text: str) -> dict[KeyPath, int]:
    """Map key paths of TOML `text` to the line of their ``key =`` line or table header.

    A line scan, not a parser: ``[table]`` and ``[[array]]`` headers (counting the entries
    of each array of tables) and ``key = value`` lines, skipping the inside of multi-line
    strings. Values inside inline tables and arrays are not located; their enclosing key's
    line stands in for them (:meth:`Document.line_of`).
    """
    lines: dict[KeyPath, int] = {}
    entries: dict[KeyPath, int] = {}
    table: KeyPath = ()
    open_string = ""  # the delimiter of the multi-line string being skipped, if any
    for number, line in enumerate(text.split("\n"), start=1):
        if open_string:
            if open_string in line:
                open_string = ""
            continue
        header = _TOML_HEADER.match(line)
        assignment = None if header else _TOML_ASSIGNMENT.match(line)
        if header is not None:
            keys = _toml_keys(header[2])
            if header[1] == "[[":
                lines.setdefault(keys, number)
                entries[keys] = entries.get(keys, -1) + 1
                keys = (*keys, entries[keys])
            table = keys
            lines.setdefault(table, number)
        elif assignment is not None:
            keys = _toml_keys(assignment[1])
            if keys:
                lines.setdefault((*table, *keys), number)
            value = line[assignment.end() :]
            for quote in ('"""', "'''"):
                if value.startswith(quote) and quote not in value[3:]:
                    open_string = quote
    return lines


# -- writing -----------------------------------------------------------------------------------


def write_document(path: str | Path, data: Mapping[str, Any]) -> None:
    """Write the dictionary layout of a questionnaire as JSON or TOML, by the suffix.

    Parameters
    ----------
    path : str or pathlib.Path
        The destination (``.json`` or ``.toml``, any letter case); overwritten if present.
    data : mapping
        The layout of ``Questionnaire.to_dict``.

    Raises
    ------
    InvalidArgumentError
        The suffix is neither ``.json`` nor ``.toml``, or `path` is empty or holds a NUL
        character.
    TypeError
        `path` is not a str or os.PathLike of str.
    OutputPathError
        `path` is a directory, its directory does not exist, or it cannot be written.
    """
    path = Path(check_path(path))
    write = _WRITERS.get(path.suffix.lower())
    if write is None:
        raise InvalidArgumentError(f"`path` must end in .json or .toml; got {path.suffix!r}.")
    write_file(path, write(data))  # atomic: a failed write leaves no half file


def _to_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        # A JSON string literal is a TOML basic string once DEL is escaped too; keep
        # characters beyond U+FFFF literal (JSON's surrogate-pair escapes are not TOML).
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")  # pragma: no cover - internal


def _to_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    for key in ("title", "groups"):
        if key in data:
            lines.append(f"{key} = {_toml_value(data[key])}")
    lines += ["", "[scale]"] + [f"{k} = {_toml_value(v)}" for k, v in data["scale"].items()]
    if data.get("segments"):
        lines += ["", "[segments]"]
        lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in data["segments"].items()]
    for item in data["items"]:
        lines += ["", "[[items]]"] + [f"{k} = {_toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


_WRITERS: dict[str, Callable[[Mapping[str, Any]], str]] = {".json": _to_json, ".toml": _to_toml}

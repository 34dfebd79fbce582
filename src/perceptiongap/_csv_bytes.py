"""Splitting a plain CSV block as bytes: the needed columns dictionary-encoded, without strings.

A block without quote characters, whose every line has the header's number of fields, is
split in numpy: the UTF-8 bytes' delimiters and line ends are the field boundaries. Each needed
column is then encoded as its distinct cells and one code per row (a
:class:`~perceptiongap._cells.Coded` column), so the cell parsers see each distinct text once
and no Python string is made per cell. Cells are told apart exactly: a cell's bytes are packed
into 64-bit words (a cell of up to two bytes is its own key into a table of 65536); longer
cells are hashed into a table that picks one representative cell per hash, and every cell must
equal its representative, else the column is sorted to find its distinct cells (or made into
strings). Every step is linear in the block's size, and the tables are a few megabytes.

Anything unusual declines (returns None) so that the reader's general path handles it, with
its messages: blank lines, a row with the wrong number of fields, a lone carriage return, a
cell that may be longer than `max_field`, a NUL character, a one-column file, a delimiter
outside ASCII.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ._arrays import IntArray
from ._cells import Coded, TextColumn

__all__ = ["ByteSplitter"]

_HASH_BITS = 19  # a table of 2**19 entries (4 MiB) for cells longer than two bytes
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: 2**64 / golden ratio, odd
_DIRECT = 2  # cells of at most this many bytes are their own key (below 2**16)
_PAD = 32  # zero bytes after the block, so that packing may read past a cell's end
_MAX_PACKED = 4  # words: cells up to 32 bytes are packed; longer ones become strings
# masks[n] keeps the first n bytes of a little-endian word
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


class ByteSplitter:
    """Splits plain blocks of one file; holds the lookup tables reused from block to block."""

    def __init__(self, delimiter: str, width: int, max_field: int | None) -> None:
        self.delimiter = delimiter
        self.width = width
        self.max_field = max_field
        # entries are only read where the same column of the same block wrote them, so the
        # tables are never cleared
        size = max(2**_HASH_BITS, 2 ** (8 * _DIRECT))
        self.rep = np.empty(size, dtype=np.intp)
        self.code = np.empty(size, dtype=np.intp)

    def split(
        self, text: str, positions: Mapping[str, int]
    ) -> tuple[dict[str, Coded | TextColumn], int] | None:
        """The needed columns of a block and its number of rows; None to decline."""
        width = self.width
        if width < 2 or not self.delimiter.isascii() or "\0" in text:
            return None
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                return None  # a lone carriage return: the csv module's line end
            text = text.replace("\r\n", "\n")
        if text.startswith("\n") or "\n\n" in text:
            return None  # a blank line (found cheaply; one of spaces is found below)
        if not text.endswith("\n"):
            text += "\n"
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from an unusual codec
            return None
        full = np.frombuffer(raw + bytes(_PAD), dtype=np.uint8)
        data = full[: len(raw)]
        line_ends = data == 10
        rows = int(np.count_nonzero(line_ends))
        line_ends |= data == ord(self.delimiter)
        bounds = np.flatnonzero(line_ends)
        if len(bounds) != rows * width:
            return None  # a blank line, or a row with too few or too many fields
        grid = bounds.reshape(rows, width)
        if not (data[grid[:, -1]] == 10).all():
            return None  # the right number of boundaries, but not row by row
        if self.max_field is not None and not _within(bounds, grid[:, -1], self.max_field):
            return None  # maybe too long (bytes are at least characters): let the csv path say
        # each column's boundaries contiguous when most columns are needed (a strided view
        # of the few needed otherwise); a cell starts after the boundary before it, the first
        # column's after the previous row's line end
        by_column = grid.T.copy() if 2 * len(positions) >= width else grid.T
        columns: dict[str, Coded | TextColumn] = {}
        for name, pos in positions.items():
            before = by_column[pos - 1] if pos else np.concatenate(([-1], by_column[-1, :-1]))
            starts = before + 1
            columns[name] = self._column(raw, full, starts, by_column[pos] - starts)
        return columns, rows

    def _column(
        self, raw: bytes, data: npt.NDArray[np.uint8], starts: IntArray, lengths: IntArray
    ) -> Coded | TextColumn:
        """One column, dictionary-encoded (its cells as strings when they are long).

        A cell's bytes lie between ASCII boundaries of valid UTF-8 (the encoded text of the
        block), so they always decode.
        """
        n = len(starts)
        longest = int(lengths.max())
        if longest > 8 * _MAX_PACKED:
            return _strings(raw, starts, lengths)
        if longest <= _DIRECT:
            return self._short(raw, data, starts, longest)
        words = [_pack(data, starts, lengths, offset) for offset in range(0, longest, 8)]
        rep, code = self.rep, self.code
        mixed = words[0]
        for word in words[1:]:
            mixed = (mixed * _MULTIPLIER) ^ word  # wraps around, as unsigned arithmetic does
        key = ((mixed * _MULTIPLIER) >> np.uint64(64 - _HASH_BITS)).astype(np.intp)
        rep[key] = np.arange(n)  # one of the cells of each hash value
        which = rep[key]
        if all((word == word[which]).all() for word in words):
            reps = np.flatnonzero(which == np.arange(n))
            code[key[reps]] = np.arange(len(reps))
            return _coded(raw, starts, lengths, reps, code[key])
        if len(words) > 1:  # two cells share a hash: rare, so the simple way out
            return _strings(raw, starts, lengths)
        _, firsts, codes = np.unique(words[0], return_index=True, return_inverse=True)
        return _coded(raw, starts, lengths, firsts, codes.reshape(-1).astype(np.intp))

    def _short(
        self, raw: bytes, data: npt.NDArray[np.uint8], starts: IntArray, longest: int
    ) -> Coded:
        """A column of cells of at most two bytes, keyed by the bytes at each cell's start.

        Those bytes run on past a shorter cell's end into its boundary (a delimiter or a line
        end, which no cell holds), so two different cells never share a key; an empty cell or
        a one-byte cell may have several keys, and then appears more than once in `distinct`.
        """
        key: npt.NDArray[Any] = data[starts] if longest < 2 else _unaligned(data, "<u2")[starts]
        present = np.flatnonzero(np.bincount(key))
        self.code[present] = np.arange(len(present))
        ends = (ord(self.delimiter), 10)
        cells = []
        for value in present.tolist():
            cell = bytes((value & 255, value >> 8)) if longest == 2 else bytes((value,))
            cut = [at for at, byte in enumerate(cell) if byte in ends]
            cells.append(cell[: cut[0]] if cut else cell)
        return Coded([cell.decode("utf-8") for cell in cells], self.code[key])


def _within(bounds: IntArray, line_ends: IntArray, limit: int) -> bool:
    """No cell is over `limit` bytes (cheaply: most often no line is)."""
    if int(np.diff(line_ends, prepend=-1).max()) <= limit:
        return True
    return int(np.diff(bounds, prepend=-1).max()) <= limit + 1  # a cell and its boundary


def _unaligned(data: npt.NDArray[np.uint8], dtype: str) -> npt.NDArray[Any]:
    """`data` read as little-endian integers starting at every byte (unaligned loads)."""
    size = np.dtype(dtype).itemsize
    view: npt.NDArray[Any] = np.ndarray(
        (len(data) - size + 1,), dtype=dtype, buffer=data, strides=(1,)
    )
    return view


def _pack(
    data: npt.NDArray[np.uint8], starts: IntArray, lengths: IntArray, offset: int
) -> npt.NDArray[np.uint64]:
    """Bytes offset .. offset + 7 of each cell as a little-endian word, zero past its end."""
    word: npt.NDArray[np.uint64] = _unaligned(data, "<u8")[starts + offset].astype(
        np.uint64, copy=False
    )
    word &= _MASKS[np.clip(lengths - offset, 0, 8)]
    return word


def _coded(
    raw: bytes, starts: IntArray, lengths: IntArray, reps: IntArray, codes: IntArray
) -> Coded:
    """The column from one representative cell per code."""
    distinct = [
        raw[s : s + n].decode("utf-8")
        for s, n in zip(starts[reps].tolist(), lengths[reps].tolist(), strict=True)
    ]
    return Coded(distinct, codes)


def _strings(raw: bytes, starts: IntArray, lengths: IntArray) -> TextColumn:
    """The column's cells as strings (long cells: free text, mostly distinct)."""
    return TextColumn(
        raw[s : s + n].decode("utf-8")
        for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)
    )

"""Tidy CSV (one row per item) and the pandas DataFrame."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._tables import TIDY_COLUMNS, tidy_rows

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["render_csv", "to_frame"]

# A spreadsheet runs a text cell starting with these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)  # repr: reads back to the same float
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text  # neutralised: shown as text, never evaluated
    return text


def render_csv(report: GapReport, path: str | Path | None = None) -> str:
    """Tidy CSV text; also written to `path` when given. NaN is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TIDY_COLUMNS)
    for row in tidy_rows(report):
        writer.writerow([_cell(row[column]) for column in TIDY_COLUMNS])
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="")
    return text


def to_frame(report: GapReport) -> Any:
    """The tidy per-item table as a pandas DataFrame (the ``pandas`` extra)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(
            "GapReport.to_frame() needs pandas; install it with: pip install 'perceptiongap[pandas]'"
        ) from None
    return pd.DataFrame(tidy_rows(report), columns=list(TIDY_COLUMNS))

"""Tidy CSV (one row per item) and the pandas DataFrame."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._files import write_file
from ._escape import csv_safe
from ._tables import TIDY_COLUMNS, tidy_rows

if TYPE_CHECKING:
    from .._report import GapReport

__all__ = ["render_csv", "to_frame"]


def render_csv(report: GapReport, path: str | Path | None = None) -> str:
    """Tidy CSV text; also written to `path` when given (atomically). NaN is an empty cell.

    Numbers are written in full precision; text cells go through
    :func:`~perceptiongap.render._escape.csv_safe` (control characters escaped, a formula
    neutralised).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TIDY_COLUMNS)
    for row in tidy_rows(report):
        writer.writerow([csv_safe(row[column]) for column in TIDY_COLUMNS])
    text = buffer.getvalue()
    if path is not None:
        write_file(path, text)
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

"""Renderers: pure functions from a report to text, Markdown, HTML, CSV and a DataFrame.

They share one number formatter and one escaping function per output (``_escape``); only the
command line prints. Importing this package registers them with the report classes (the
report never imports its renderers). The atomic file writer that every output path goes
through, the check of every path argument, and the text escaping, are re-exported here for
the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._files import check_output_path, check_path, write_file, write_files
from .._report import register_renderer
from ._csv import render_csv, to_frame
from ._escape import csv_safe, html_safe, markdown_safe, plot_safe, text_safe
from ._html import render_html
from ._markdown import render_markdown
from ._perspectives import (
    render_perspectives_html,
    render_perspectives_markdown,
    render_perspectives_repr,
    render_perspectives_text,
)
from ._text import render_repr, render_text

__all__ = [
    "check_output_path",
    "check_path",
    "csv_safe",
    "html_safe",
    "markdown_safe",
    "plot_safe",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_perspectives_html",
    "render_perspectives_markdown",
    "render_perspectives_repr",
    "render_perspectives_text",
    "render_repr",
    "render_text",
    "text_safe",
    "to_frame",
    "write_file",
    "write_files",
]

_RENDERERS: dict[str, Callable[..., Any]] = {
    "text": render_text,
    "repr": render_repr,
    "markdown": render_markdown,
    "html": render_html,
    "csv": render_csv,
    "frame": to_frame,
    "perspectives_text": render_perspectives_text,
    "perspectives_repr": render_perspectives_repr,
    "perspectives_markdown": render_perspectives_markdown,
    "perspectives_html": render_perspectives_html,
}
for _name, _function in _RENDERERS.items():
    register_renderer(_name, _function)

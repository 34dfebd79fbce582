"""Renderers: pure functions from a :class:`~perceptiongap.GapReport` to text, Markdown,
HTML, CSV and a DataFrame. They share one number formatter; only the command line prints."""

from __future__ import annotations

from ._csv import render_csv, to_frame
from ._html import render_html
from ._markdown import render_markdown
from ._text import render_repr, render_text

__all__ = [
    "render_csv",
    "render_html",
    "render_markdown",
    "render_repr",
    "render_text",
    "to_frame",
]

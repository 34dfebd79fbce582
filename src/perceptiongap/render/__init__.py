"""Renderers: pure functions from a :class:`~perceptiongap.GapReport` to text."""

from __future__ import annotations

from ._text import render_repr, render_text

__all__ = ["render_repr", "render_text"]

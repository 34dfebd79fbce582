"""Figures of a :class:`~perceptiongap.GapReport`: the gaps, the rank shift, the segments.

Every function takes a report, draws on `ax` (or on a new figure of a size that suits the
number of items when `ax` is None) and returns the Axes. Nothing is shown or saved and no
global matplotlib setting is touched, so the functions work the same in scripts, notebooks
and dashboards. matplotlib is an optional dependency (the ``plot`` extra); it is imported
only when a figure is drawn.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common forms
of colour blindness: red-orange means "the comparison group rates it higher" (an
overestimate, an item moved up) and blue the opposite, in all three figures.
"""

from __future__ import annotations

from .render.plots import gaps, ranks, segments

__all__ = ["gaps", "ranks", "segments"]

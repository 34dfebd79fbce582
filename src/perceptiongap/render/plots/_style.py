"""What every figure shares: the palette and sizes, the lazy matplotlib import, the checks.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common forms
of colour blindness: red-orange means "the comparison group rates it higher" (an
overestimate, an item moved up) and blue the opposite, in all three figures.

matplotlib is imported only inside these functions (or for type checking), never when the
module is imported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from ..._report import GapReport
from ..._results import ItemGap
from ..._scales import Binary

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "COMPARISON_COLOUR",
    "HIGHER_COLOUR",
    "INSTALL_HINT",
    "LABEL_SIZE",
    "LABEL_WIDTH",
    "LOWER_COLOUR",
    "MISSING_CELL",
    "MUTED_TEXT",
    "NEUTRAL_COLOUR",
    "REFERENCE_COLOUR",
    "SUBTITLE_SIZE",
    "TITLE_SIZE",
    "UNTESTED_COLOUR",
    "VERDICT_COLOURS",
    "axes",
    "check",
    "import_matplotlib",
    "is_share",
    "ordered",
    "strip",
    "verdict_colour",
]

INSTALL_HINT = "pip install 'perceptiongap[plot]'"

# Okabe & Ito (2008), "Color Universal Design".
REFERENCE_COLOUR = "#222222"
COMPARISON_COLOUR = "#009E73"
HIGHER_COLOUR = "#D55E00"  # the comparison group rates the item higher / ranks it higher
LOWER_COLOUR = "#0072B2"
NEUTRAL_COLOUR = "#A8A8A8"
# Lighter than NEUTRAL_COLOUR: "no test was run" must not read as "tested and aligned".
UNTESTED_COLOUR = "#CFCFCF"
MUTED_TEXT = "#555555"
MISSING_CELL = "#D9D9D9"

# In legend order. A verdict missing here is drawn in NEUTRAL_COLOUR (verdict_colour).
VERDICT_COLOURS = {
    "overestimated": HIGHER_COLOUR,
    "underestimated": LOWER_COLOUR,
    "aligned": NEUTRAL_COLOUR,
    "untested": UNTESTED_COLOUR,
}

TITLE_SIZE = 13.0
SUBTITLE_SIZE = 9.5
LABEL_SIZE = 9.5
LABEL_WIDTH = 30  # characters per item-label line


def verdict_colour(verdict: str) -> str:
    """The colour of a verdict; the neutral grey for a verdict this module does not know."""
    return VERDICT_COLOURS.get(verdict, NEUTRAL_COLOUR)


def import_matplotlib() -> ModuleType:
    """Import matplotlib, or say which extra installs it."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            f"perceptiongap.plot needs matplotlib, which is not installed; install it with: "
            f"{INSTALL_HINT}"
        ) from None
    module: ModuleType = matplotlib  # typed even where matplotlib's own types are absent
    return module


def check(report: object, ax: object) -> GapReport:
    """Validate the arguments every plot function shares, in signature order."""
    from matplotlib.axes import Axes

    if not isinstance(report, GapReport):
        raise TypeError(
            f"`report` must be a GapReport (from pg.compare()); got {type(report).__name__}."
        )
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return report


def axes(ax: Axes | None, width: float, height: float) -> tuple[Axes, bool]:
    """`ax`, or the Axes of a new figure of the given size (inches) when `ax` is None.

    The flag says whether the figure was created here.
    """
    if ax is not None:
        return ax, False
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(width, height), layout="constrained")
    created: Axes = new
    return created, True


def is_share(report: GapReport) -> bool:
    """Whether scores are shares (Binary scale): then they are shown as percentages."""
    return isinstance(report.scale, Binary)


def ordered(report: GapReport) -> list[ItemGap]:
    """Items from the highest reference score to the lowest (missing scores last).

    Ties keep questionnaire order (the sort is stable).
    """
    return sorted(
        report.items,
        key=lambda g: (
            math.isnan(g.reference_score),
            0.0 if math.isnan(g.reference_score) else -g.reference_score,
        ),
    )


def strip(ax: Axes, keep: Sequence[str] = ()) -> None:
    """Hide the spines of `ax` except those named in `keep`."""
    for side, spine in ax.spines.items():
        spine.set_visible(side in keep)

"""Text on the figures: wrapping and fitting labels, spreading tied labels, titles, subtitles.

Numbers go through render's shared formatter; matplotlib is imported only inside the
functions that measure or draw text.

User strings (item labels, group, segment and level names, the title) are data, never markup:
each goes through :func:`~perceptiongap.render._escape.plot_safe` (control characters shown
escaped) and every Text made from one is drawn with :data:`PLAIN` (no mathtext, no TeX), so
``"Save $5 or $10"`` is drawn as written and ``$$`` or ``\\foo`` cannot break saving.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..._report import GapReport
from .._escape import plot_safe
from .._format import fmt, fmt_interval, fmt_signed
from ._style import MUTED_TEXT, SUBTITLE_SIZE, TITLE_SIZE, is_share

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

__all__ = [
    "PLAIN",
    "alpha",
    "confidence",
    "fill",
    "gap_interval",
    "gap_text",
    "keep",
    "label_edge",
    "label_positions",
    "plain",
    "safe",
    "subtitle_agreement",
    "subtitle_mean_gap",
    "titles",
    "with_interval",
    "wrap",
]

_NBSP = "\N{NO-BREAK SPACE}"

#: Text properties for every Text drawn from a user string: ``$`` and ``\\`` are characters,
#: not mathtext, and ``text.usetex`` (which would hand the string to LaTeX) is off for it.
PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}


def plain(texts: Iterable[Text]) -> None:
    """Draw `texts` (say a legend's, which takes no text properties) with :data:`PLAIN`."""
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def safe(text: str, width: int | None = None) -> str:
    """A user string for a figure (:func:`plot_safe`), wrapped to `width` characters."""
    text = plot_safe(text)
    return text if width is None else wrap(text, width)


def keep(text: str) -> str:
    """`text` with no-break spaces: wrapping will not split it."""
    return text.replace(" ", _NBSP)


def with_interval(text: str, interval: str) -> str:
    """`text` followed by `interval` (kept on one line), or `text` alone without one."""
    return f"{text} {keep(interval)}" if interval else text


def gap_text(report: GapReport, value: float) -> str:
    """A gap in the report's units: percentage points for shares, scale units otherwise."""
    if is_share(report):
        return fmt_signed(100.0 * value, 1)
    return fmt_signed(value)


def gap_interval(report: GapReport, low: float, high: float) -> str:
    """The interval of a gap in the units of :func:`gap_text`."""
    if is_share(report):
        return fmt_interval(100.0 * low, 100.0 * high, 1, signed=True)
    return fmt_interval(low, high, signed=True)


def confidence(report: GapReport) -> str:
    """The report's confidence level as a percentage ("95%")."""
    return f"{100.0 * report.confidence_level:g}%"


def alpha(report: GapReport) -> str:
    """The significance level that goes with the confidence level ("0.05")."""
    return f"{1.0 - report.confidence_level:.3g}"


def subtitle_agreement(report: GapReport) -> str:
    """Spearman's rho with its interval, for a subtitle."""
    rho = report.spearman
    return with_interval(keep(f"Spearman ρ = {fmt(rho.value)}"), fmt_interval(rho.low, rho.high))


def subtitle_mean_gap(report: GapReport) -> str:
    """The mean gap with its interval, in the report's units, for a subtitle."""
    gap = report.mean_gap
    unit = " points" if is_share(report) else ""
    text = f"mean gap {keep(gap_text(report, gap.value) + unit)}"
    return with_interval(text, gap_interval(report, gap.low, gap.high))


def wrap(text: str, width: int) -> str:
    """`text` wrapped at word boundaries to lines of at most `width` characters."""
    return textwrap.fill(text, width=width, break_long_words=False) or text


def fill(text: str, width: float, size: float, weight: str = "normal") -> str:
    """Wrap `text` at word boundaries into lines at most `width` points wide when drawn.

    The lines are balanced: the fewest lines that fit, made as even as possible (no single
    orphaned word on the last line). Only plain spaces break: phrases joined by no-break
    spaces (an interval, ``p < 0.05``) stay on one line.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(size=size, weight=weight)
    words = [word for word in text.split(" ") if word]

    def measure(piece: str) -> float:
        return float(text_to_path.get_text_width_height_descent(piece, font, ismath=False)[0])

    # Measure each word once (shaping text is slow); a line is its words plus the spaces,
    # with 2% to spare for kerning.
    space = measure("a b") - measure("ab")
    widths = {word: measure(word) for word in set(words)}

    def greedy(limit: float) -> list[str]:
        lines: list[list[str]] = []
        used = 0.0
        for word in words:
            extra = space + widths[word]
            if lines and (used + extra) * 1.02 <= limit:
                lines[-1].append(word)
                used += extra
            else:
                lines.append([word])
                used = widths[word]
        return [" ".join(line) for line in lines]

    lines = greedy(width)
    low, high = 0.0, width
    for _ in range(12):  # the narrowest width that still needs no more lines
        middle = (low + high) / 2.0
        if len(greedy(middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return "\n".join(greedy(high))


def titles(
    ax: Axes,
    report: GapReport,
    subtitle: str,
    *,
    created: bool,
    left: Callable[[RendererBase], Bbox],
) -> None:
    """A bold title (the report's) with a smaller grey subtitle under it, above the axes.

    Both start at the left edge of the box `left` returns at draw time (the item labels, so
    the text lines up with the labels rather than with the plotting area) and are wrapped to
    the figure's width (a new figure) or to the axes' width (an Axes passed in).
    """
    from matplotlib.transforms import BboxTransformTo

    figure = ax.figure
    if created:
        width = figure.bbox.width * 72.0 / figure.dpi - 16.0
    else:
        width = ax.bbox.width * 72.0 / figure.dpi
    title = fill(safe(report.title or "Perception gap"), width, TITLE_SIZE, "bold")
    subtitle = fill(safe(subtitle), width, SUBTITLE_SIZE)

    def edge(renderer: RendererBase) -> BboxTransformTo:
        return BboxTransformTo(left(renderer))

    gap_points = 6.0
    ax.annotate(
        subtitle,
        xy=(0.0, 1.0),
        xycoords=(edge, "axes fraction"),
        xytext=(0.0, gap_points),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=SUBTITLE_SIZE,
        color=MUTED_TEXT,
        gid="subtitle",
        **PLAIN,
    )
    lines = subtitle.count("\n") + 1
    ax.annotate(
        title,
        xy=(0.0, 1.0),
        xycoords=(edge, "axes fraction"),
        xytext=(0.0, gap_points + lines * SUBTITLE_SIZE * 1.2 + 6.0),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        gid="title",
        **PLAIN,
    )


def label_edge(ax: Axes) -> Callable[[RendererBase], Bbox]:
    """The box of the axes and its y tick labels (computed at draw time)."""
    from matplotlib.transforms import Bbox

    def box(renderer: RendererBase) -> Bbox:
        labels = ax.yaxis.get_tightbbox(renderer)
        return Bbox.union([ax.bbox, labels]) if labels is not None else Bbox(ax.bbox.get_points())

    return box


def label_positions(ranks: Sequence[float], other: Sequence[float]) -> list[float]:
    """Where to write each rank's label so that tied ranks do not print on top of each other.

    Labels go to the ordinal positions 1..k in rank order; with average ranks for ties these
    are the actual ranks whenever there is no tie, and a tie of m items at rank r spreads over
    r - (m-1)/2 ... r + (m-1)/2. Tied items are ordered by their rank on the `other` side, so
    their labels follow the direction of their lines. Missing ranks get no position (NaN).
    """
    order = sorted(
        (i for i, r in enumerate(ranks) if not math.isnan(r)),
        key=lambda i: (ranks[i], math.isnan(other[i]), 0.0 if math.isnan(other[i]) else other[i]),
    )
    positions = [math.nan] * len(ranks)
    for position, i in enumerate(order, start=1):
        positions[i] = float(position)
    return positions

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

import math
import textwrap
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from ._questionnaire import Binary
from ._report import GapReport
from ._results import ItemGap
from .errors import InvalidArgumentError
from .render._format import MISSING, fmt, fmt_interval, fmt_rank, fmt_signed

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.transforms import Bbox

__all__ = ["gaps", "ranks", "segments"]

_INSTALL_HINT = "pip install 'perceptiongap[plot]'"

# Okabe & Ito (2008), "Color Universal Design".
_REFERENCE_COLOUR = "#222222"
_COMPARISON_COLOUR = "#009E73"
_HIGHER_COLOUR = "#D55E00"  # the comparison group rates the item higher / ranks it higher
_LOWER_COLOUR = "#0072B2"
_NEUTRAL_COLOUR = "#A8A8A8"
_MUTED_TEXT = "#555555"
_MISSING_CELL = "#D9D9D9"

_VERDICT_COLOURS = {
    "overestimated": _HIGHER_COLOUR,
    "underestimated": _LOWER_COLOUR,
    "aligned": _NEUTRAL_COLOUR,
}

_TITLE_SIZE = 13.0
_SUBTITLE_SIZE = 9.5
_LABEL_SIZE = 9.5
_LABEL_WIDTH = 30  # characters per item-label line


# -- shared helpers ----------------------------------------------------------------------------
def _matplotlib() -> ModuleType:
    """Import matplotlib, or say which extra installs it."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            f"perceptiongap.plot needs matplotlib, which is not installed; install it with: "
            f"{_INSTALL_HINT}"
        ) from None
    module: ModuleType = matplotlib  # typed even where matplotlib's own types are absent
    return module


def _check(report: object, ax: object) -> GapReport:
    """Validate the arguments every plot function shares, in signature order."""
    from matplotlib.axes import Axes

    if not isinstance(report, GapReport):
        raise TypeError(
            f"`report` must be a GapReport (from pg.compare()); got {type(report).__name__}."
        )
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return report


def _axes(ax: Axes | None, width: float, height: float) -> tuple[Axes, bool]:
    """`ax`, or the Axes of a new figure of the given size (inches) when `ax` is None.

    The flag says whether the figure was created here.
    """
    if ax is not None:
        return ax, False
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(width, height), layout="constrained")
    axes: Axes = new
    return axes, True


def _is_share(report: GapReport) -> bool:
    """Whether scores are shares (Binary scale): then they are shown as percentages."""
    return isinstance(report.scale, Binary)


def _gap_text(report: GapReport, value: float) -> str:
    """A gap in the report's units: percentage points for shares, scale units otherwise."""
    if _is_share(report):
        return fmt_signed(100.0 * value, 1)
    return fmt_signed(value)


def _gap_interval(report: GapReport, low: float, high: float) -> str:
    if _is_share(report):
        return fmt_interval(100.0 * low, 100.0 * high, 1, signed=True)
    return fmt_interval(low, high, signed=True)


_NBSP = "\N{NO-BREAK SPACE}"


def _keep(text: str) -> str:
    """`text` with no-break spaces: wrapping will not split it."""
    return text.replace(" ", _NBSP)


def _with_interval(text: str, interval: str) -> str:
    return f"{text} {_keep(interval)}" if interval else text


def _ordered(report: GapReport) -> list[ItemGap]:
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


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width=width, break_long_words=False) or text


def _fill(text: str, width: float, size: float, weight: str = "normal") -> str:
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


def _titles(
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
    title = _fill(report.title or "Perception gap", width, _TITLE_SIZE, "bold")
    subtitle = _fill(subtitle, width, _SUBTITLE_SIZE)

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
        fontsize=_SUBTITLE_SIZE,
        color=_MUTED_TEXT,
        gid="subtitle",
    )
    lines = subtitle.count("\n") + 1
    ax.annotate(
        title,
        xy=(0.0, 1.0),
        xycoords=(edge, "axes fraction"),
        xytext=(0.0, gap_points + lines * _SUBTITLE_SIZE * 1.2 + 6.0),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=_TITLE_SIZE,
        fontweight="bold",
        gid="title",
    )


def _label_edge(ax: Axes) -> Callable[[RendererBase], Bbox]:
    """The box of the axes and its y tick labels."""
    from matplotlib.transforms import Bbox

    def box(renderer: RendererBase) -> Bbox:
        labels = ax.yaxis.get_tightbbox(renderer)
        return Bbox.union([ax.bbox, labels]) if labels is not None else Bbox(ax.bbox.get_points())

    return box


def _subtitle_agreement(report: GapReport) -> str:
    rho = report.spearman
    return _with_interval(_keep(f"Spearman ρ = {fmt(rho.value)}"), fmt_interval(rho.low, rho.high))


def _subtitle_mean_gap(report: GapReport) -> str:
    gap = report.mean_gap
    unit = " points" if _is_share(report) else ""
    text = f"mean gap {_keep(_gap_text(report, gap.value) + unit)}"
    return _with_interval(text, _gap_interval(report, gap.low, gap.high))


def _confidence(report: GapReport) -> str:
    return f"{100.0 * report.confidence_level:g}%"


def _alpha(report: GapReport) -> str:
    return f"{1.0 - report.confidence_level:.3g}"


def _strip(ax: Axes, keep: Sequence[str] = ()) -> None:
    for side, spine in ax.spines.items():
        spine.set_visible(side in keep)


# -- gaps ----------------------------------------------------------------------------------------
def gaps(report: GapReport, *, ax: Axes | None = None) -> Axes:
    """Draw each item's two scores as a dumbbell: where the groups differ, and how surely.

    One row per item, from the item the reference group scores highest (top) to the lowest.
    A dark dot marks the reference group's score and a green dot the comparison group's; the
    bar joining them is coloured by the item's verdict (red-orange: overestimated by the
    comparison group, blue: underestimated, grey: aligned). The thin whisker around the
    comparison dot is the gap's confidence interval moved to that dot (``comparison score +
    [low - gap, high - gap]``): when it does not reach the reference dot, the interval of the
    gap excludes 0. For a Binary scale the axis shows percentages.

    Parameters
    ----------
    report : GapReport
        The result of :func:`perceptiongap.compare`.
    ax : matplotlib.axes.Axes, optional
        Where to draw. Default: a new figure sized for the number of items.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ImportError
        matplotlib is not installed (``pip install 'perceptiongap[plot]'``).
    TypeError
        `report` is not a GapReport or `ax` is not an Axes.

    Notes
    -----
    The whisker excludes the reference dot exactly when the gap's interval excludes 0,
    because ``comparison + (low - gap) = reference + low``. It is not multiplicity-adjusted;
    the bar colour (the verdict) is.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     rng=7)  # doctest: +SKIP
    >>> ax = pg.plot.gaps(report)  # doctest: +SKIP
    >>> ax.figure.savefig("gaps.png", dpi=150)  # doctest: +SKIP
    """
    _matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.ticker import PercentFormatter
    from matplotlib.transforms import ScaledTranslation

    report = _check(report, ax)
    rows = _ordered(report)
    k = len(rows)
    ax, created = _axes(ax, 9.0, 2.7 + 0.42 * k)
    ys = np.arange(k)[::-1].astype(float)  # the first row (highest reference score) on top

    for y, gap in zip(ys, rows, strict=True):
        ax.plot(
            [gap.reference_score, gap.comparison_score],
            [y, y],
            color=_VERDICT_COLOURS[gap.verdict],
            linewidth=5.0,
            solid_capstyle="round",
            alpha=0.75,
            zorder=1,
            gid="gap",
        )
    drew_interval = False
    for y, gap in zip(ys, rows, strict=True):
        low, high = gap.gap.low, gap.gap.high
        if math.isnan(low) or math.isnan(high) or math.isnan(gap.comparison_score):
            continue
        base = gap.comparison_score - gap.gap.value
        ax.plot(
            [base + low, base + high],
            [y, y],
            color=_COMPARISON_COLOUR,
            linewidth=1.2,
            marker="|",
            markersize=8,
            markeredgewidth=1.2,
            zorder=2,
            gid="interval",
        )
        drew_interval = True
    ax.scatter(
        [g.reference_score for g in rows],
        ys,
        s=55,
        color=_REFERENCE_COLOUR,
        zorder=3,
        label=report.reference,
    )
    ax.scatter(
        [g.comparison_score for g in rows],
        ys,
        s=70,  # a little larger than the reference dots: the white edge makes dots look smaller
        color=_COMPARISON_COLOUR,
        edgecolors="white",
        linewidths=0.8,
        zorder=4,
        label=report.comparison,
    )

    ax.set_yticks(ys, [_wrap(g.item.label, _LABEL_WIDTH) for g in rows], fontsize=_LABEL_SIZE)
    ax.set_ylim(-0.7, k - 0.3)
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", labelsize=_LABEL_SIZE)
    ax.margins(x=0.06)
    if _is_share(report):
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.set_xlabel("share of respondents choosing the item", fontsize=_LABEL_SIZE)
    else:
        ax.set_xlabel(f"mean answer ({report.scale.describe()})", fontsize=_LABEL_SIZE)
    ax.grid(axis="x", color="#E6E6E6", linewidth=0.8)
    ax.set_axisbelow(True)
    _strip(ax, keep=("bottom",))

    # One legend under the x label, a fixed distance (inches) below the axes so that it never
    # covers the data whatever the axes height: the dots on the left, the bar colours on the
    # right (columns padded to equal length, since a legend fills column by column).
    below = ax.transAxes + ScaledTranslation(0.0, -0.5, ax.figure.dpi_scale_trans)
    dots: list[tuple[Any, str]] = [
        (
            Line2D([], [], linestyle="", marker="o", markersize=7, color=_REFERENCE_COLOUR),
            f"{report.reference} score",
        ),
        (
            Line2D([], [], linestyle="", marker="o", markersize=7, color=_COMPARISON_COLOUR),
            f"{report.comparison} score",
        ),
    ]
    if drew_interval:
        whisker = Line2D([], [], color=_COMPARISON_COLOUR, linewidth=1.2, marker="|", markersize=8)
        dots.append((whisker, f"{_confidence(report)} CI of the gap, around {report.comparison}"))
    verdict_names = {
        "overestimated": f"overestimated by {report.comparison}",
        "underestimated": f"underestimated by {report.comparison}",
        "aligned": f"aligned (adjusted p ≥ {_alpha(report)} or no test)",
    }
    bars: list[tuple[Any, str]] = [
        (Line2D([], [], color=_VERDICT_COLOURS[v], linewidth=5.0, alpha=0.75), verdict_names[v])
        for v in _VERDICT_COLOURS
        if any(g.verdict == v for g in rows)
    ]
    blank = (Line2D([], [], linestyle=""), "")
    height = max(len(dots), len(bars))
    entries = [*dots, *[blank] * (height - len(dots)), *bars, *[blank] * (height - len(bars))]
    ax.legend(
        [handle for handle, _ in entries],
        [label for _, label in entries],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=below,
        ncol=2,
        frameon=False,
        fontsize=_LABEL_SIZE,
        columnspacing=2.5,
    )
    brackets = (
        f"; {_confidence(report)} CIs in brackets"
        if not (math.isnan(report.spearman.low) and math.isnan(report.mean_gap.low))
        else ""
    )
    _titles(
        ax,
        report,
        f"{_subtitle_agreement(report)} · {_subtitle_mean_gap(report)} "
        f"({report.comparison} - {report.reference}{brackets})",
        created=created,
        left=_label_edge(ax),
    )
    return ax


# -- ranks ---------------------------------------------------------------------------------------
def _label_positions(ranks: Sequence[float], other: Sequence[float]) -> list[float]:
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


def ranks(report: GapReport, *, ax: Axes | None = None) -> Axes:
    """Draw a slopegraph of the items' ranks in the two groups.

    The left column is the reference group's ranking and the right column the comparison
    group's, 1 (highest score) at the top; a line joins each item's two ranks. Lines are
    red-orange when the comparison group ranks the item higher, blue when lower and grey when
    the rank is the same. Tied items share their average rank; their labels are spread apart
    and joined to the dot by a short leader.

    Parameters
    ----------
    report : GapReport
        The result of :func:`perceptiongap.compare`.
    ax : matplotlib.axes.Axes, optional
        Where to draw. Default: a new figure sized for the number of items.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ImportError
        matplotlib is not installed (``pip install 'perceptiongap[plot]'``).
    TypeError
        `report` is not a GapReport or `ax` is not an Axes.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business",
    ...                     rng=7)  # doctest: +SKIP
    >>> ax = pg.plot.ranks(report)  # doctest: +SKIP
    """
    _matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    report = _check(report, ax)
    items = list(report.items)
    k = len(items)
    ax, created = _axes(ax, 9.5, 2.3 + 0.4 * k)
    left = [g.reference_rank for g in items]
    right = [g.comparison_rank for g in items]

    def colour(a: float, b: float) -> str:
        if b < a:
            return _HIGHER_COLOUR
        if b > a:
            return _LOWER_COLOUR
        return _NEUTRAL_COLOUR

    for a, b in zip(left, right, strict=True):
        ax.plot(
            [0.0, 1.0],
            [a, b],
            color=colour(a, b),
            linewidth=2.2,
            marker="o",
            markersize=6,
            solid_capstyle="round",
            clip_on=False,
            gid="rank",
        )

    # Labels sit a fixed distance (points) beside the dots, whatever the axes width: the
    # rank right next to the dot, the item label beyond it.
    left_labels = []
    sides = (("left", 0.0, left, right, -1.0), ("right", 1.0, right, left, 1.0))
    for side, x, these, others, sign in sides:
        align = "right" if sign < 0 else "left"
        for gap, rank, at in zip(items, these, _label_positions(these, others), strict=True):
            if math.isnan(rank):
                continue
            for text, offset, colour_ in (
                (fmt_rank(rank), 8.0, _MUTED_TEXT),
                (_wrap(gap.item.label, 34), 32.0, "black"),
            ):
                label = ax.annotate(
                    text,
                    xy=(x, at),
                    xytext=(sign * offset, 0.0),
                    textcoords="offset points",
                    ha=align,
                    va="center",
                    fontsize=_LABEL_SIZE,
                    color=colour_,
                )
                if side == "left":
                    left_labels.append(label)

    for x, group in ((0.0, report.reference), (1.0, report.comparison)):
        ax.annotate(
            group,
            xy=(x, 1.0),
            xytext=(0.0, 12.0),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_LABEL_SIZE + 0.5,
            fontweight="bold",
        )
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(k + 0.5, 0.1)  # rank 1 at the top, the column headers above it
    ax.set_axis_off()

    legend = [
        (_HIGHER_COLOUR, f"ranked higher by {report.comparison}"),
        (_LOWER_COLOUR, f"ranked lower by {report.comparison}"),
        (_NEUTRAL_COLOUR, "same rank"),
    ]
    used = {colour(a, b) for a, b in zip(left, right, strict=True) if not math.isnan(a + b)}
    shown = [(c, text) for c, text in legend if c in used]
    if shown:
        ax.legend(
            [Line2D([], [], color=c, linewidth=2.2) for c, _ in shown],
            [text for _, text in shown],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=len(shown),
            frameon=False,
            fontsize=_LABEL_SIZE,
        )

    def edge(renderer: RendererBase) -> Bbox:
        return Bbox.union([ax.bbox, *(t.get_window_extent(renderer) for t in left_labels)])

    kendall = report.kendall
    tau = _with_interval(
        _keep(f"Kendall τ-b = {fmt(kendall.value)}"), fmt_interval(kendall.low, kendall.high)
    )
    _titles(
        ax,
        report,
        f"Item ranks, 1 = highest score · {_subtitle_agreement(report)} · {tau}",
        created=created,
        left=edge,
    )
    return ax


def _tick(value: float) -> str:
    """A colour-bar tick: signed, plain 0, as few decimals (up to 3) as the value needs."""
    value = round(value, 3)
    if value == 0:
        return "0"
    digits = next(d for d in range(4) if d == 3 or round(value, d) == value)
    return fmt_signed(value, digits)


def _cell(value: float, digits: int) -> str:
    """A heatmap cell: a signed gap, with plain 0 when it rounds to zero either way."""
    text = fmt_signed(value, digits)
    return "0" if text.lstrip("+-").strip("0.") == "" else text


# -- segments ------------------------------------------------------------------------------------
def segments(report: GapReport, name: str, *, ax: Axes | None = None) -> Axes:
    """Draw a heatmap of the item gaps within each level of the segment variable `name`.

    Rows are the items (in the order of :func:`gaps`: highest reference score first),
    columns the levels of `name` in questionnaire order, with each level's group sizes under
    its name. Cells are coloured on a diverging scale centred on 0 (red: the comparison group
    rates the item higher, blue: lower) and show the gap; a bold number marks a gap whose
    verdict within that level is not "aligned". Grey cells with "n/a" have no estimate (say
    a group without respondents in that level).

    Parameters
    ----------
    report : GapReport
        The result of ``pg.compare(..., segments=(name,))``.
    name : str
        The segment variable.
    ax : matplotlib.axes.Axes, optional
        Where to draw. Default: a new figure sized for the numbers of items and levels.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; the colour bar is added beside it.

    Raises
    ------
    ImportError
        matplotlib is not installed (``pip install 'perceptiongap[plot]'``).
    TypeError
        `report` is not a GapReport or `ax` is not an Axes.
    InvalidArgumentError
        The report has no breakdown by `name`.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> report = pg.compare(pg.datasets.load_example(), "customer", "business", rng=7,
    ...                     segments=("generation",))  # doctest: +SKIP
    >>> ax = pg.plot.segments(report, "generation")  # doctest: +SKIP
    """
    mpl = _matplotlib()
    from matplotlib.colors import Normalize
    from matplotlib.ticker import FuncFormatter

    report = _check(report, ax)
    if name not in report.segments:
        known = ", ".join(repr(s) for s in report.segments) or "none"
        raise InvalidArgumentError(
            f"`name` {name!r} is not a segment of this report (segments: {known}); pass "
            f"segments=({name!r},) to compare() to break the report down by it."
        )
    levels = report.segments[name]
    rows = _ordered(report)
    columns = list(levels)
    k, m = len(rows), len(columns)
    values = np.full((k, m), np.nan)
    verdicts = [["aligned"] * m for _ in range(k)]
    for j, level in enumerate(columns):
        for i, gap in enumerate(rows):
            cell = levels[level].item(gap.item.id)
            values[i, j] = cell.gap.value
            verdicts[i][j] = cell.verdict

    ax, created = _axes(ax, 4.6 + 0.95 * m, 2.5 + 0.42 * k)
    finite = np.abs(values[np.isfinite(values)])
    limit = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = Normalize(vmin=-limit, vmax=limit)  # symmetric, so 0 is the neutral colour
    cmap = mpl.colormaps["RdBu_r"].with_extremes(bad=_MISSING_CELL)  # a copy: no global change
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto", interpolation="none"
    )

    share = _is_share(report)
    for i in range(k):
        for j in range(m):
            value = float(values[i, j])
            if math.isnan(value):
                text, colour, weight = MISSING, _MUTED_TEXT, "normal"
            else:
                text = _cell(100.0 * value, 0) if share else _cell(value, 2)
                r, g, b, _ = cmap(norm(value))
                colour = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "black"
                weight = "normal" if verdicts[i][j] == "aligned" else "bold"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=_LABEL_SIZE,
                color=colour,
                fontweight=weight,
            )

    def level_label(level: str) -> str:
        n = levels[level].n
        return f"{level}\n{n.get(report.reference, 0):,} / {n.get(report.comparison, 0):,}"

    ax.set_xticks(range(m), [level_label(level) for level in columns], fontsize=_LABEL_SIZE)
    ax.set_yticks(
        range(k), [_wrap(g.item.label, _LABEL_WIDTH) for g in rows], fontsize=_LABEL_SIZE
    )
    ax.tick_params(length=0)
    # White grid lines between cells.
    ax.set_xticks(np.arange(m + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(which="minor", color="white", linewidth=2.0)
    _strip(ax)

    units = ", percentage points" if share else ""
    colorbar = ax.figure.colorbar(image, ax=ax, pad=0.03, aspect=35)
    colorbar.set_label(
        f"gap ({report.comparison} - {report.reference}){units}", fontsize=_LABEL_SIZE
    )
    colorbar.ax.tick_params(labelsize=_LABEL_SIZE)
    if share:
        colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(100.0 * v)))
    else:
        colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
    colorbar.outline.set_visible(False)
    significant = _keep(f"adjusted p < {_alpha(report)}")
    _titles(
        ax,
        report,
        f"Gap by {name}, {report.comparison} - {report.reference}"
        f"{' in percentage points' if share else ''} · bold: {significant}"
        f" · grey: no estimate · under each level: respondents, "
        f"{report.reference} / {report.comparison}",
        created=created,
        left=_label_edge(ax),
    )
    return ax

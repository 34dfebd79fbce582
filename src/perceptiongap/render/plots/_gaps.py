"""The gap figure: both groups' scores per item as a dumbbell, the bar coloured by verdict."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._report import GapReport
from ..._results import ItemGap
from ._style import (
    COMPARISON_COLOUR,
    LABEL_SIZE,
    LABEL_WIDTH,
    REFERENCE_COLOUR,
    VERDICT_COLOURS,
    axes,
    check,
    import_matplotlib,
    is_share,
    ordered,
    strip,
    verdict_colour,
)
from ._text import (
    PLAIN,
    alpha,
    confidence,
    label_edge,
    plain,
    safe,
    subtitle_agreement,
    subtitle_mean_gap,
    titles,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["gaps", "verdict_labels"]


def gaps(report: GapReport, *, ax: Axes | None = None) -> Axes:
    """Draw each item's two scores as a dumbbell: where the groups differ, and how surely.

    One row per item, from the item the reference group scores highest (top) to the lowest.
    A dark dot marks the reference group's score and a green dot the comparison group's; the
    bar joining them is coloured by the item's verdict (red-orange: overestimated by the
    comparison group, blue: underestimated, grey: aligned, light grey: not tested). The thin
    whisker around the comparison dot is the gap's confidence interval moved to that dot
    (``comparison score + [low - gap, high - gap]``): when it does not reach the reference
    dot, the interval of the gap excludes 0. For a Binary scale the axis shows percentages.

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
    import_matplotlib()

    report = check(report, ax)
    rows = ordered(report)
    k = len(rows)
    ax, created = axes(ax, 9.0, 2.7 + 0.42 * k)
    ys = np.arange(k)[::-1].astype(float)  # the first row (highest reference score) on top

    for y, gap in zip(ys, rows, strict=True):
        ax.plot(
            [gap.reference_score, gap.comparison_score],
            [y, y],
            color=verdict_colour(gap.verdict),
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
            color=COMPARISON_COLOUR,
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
        color=REFERENCE_COLOUR,
        zorder=3,
        label=report.reference,
    )
    ax.scatter(
        [g.comparison_score for g in rows],
        ys,
        s=70,  # a little larger than the reference dots: the white edge makes dots look smaller
        color=COMPARISON_COLOUR,
        edgecolors="white",
        linewidths=0.8,
        zorder=4,
        label=report.comparison,
    )

    ax.set_yticks(
        ys, [safe(g.item.label, LABEL_WIDTH) for g in rows], fontsize=LABEL_SIZE, **PLAIN
    )
    ax.set_ylim(-0.7, k - 0.3)
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", labelsize=LABEL_SIZE)
    ax.margins(x=0.06)
    if is_share(report):
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.set_xlabel("share of respondents choosing the item", fontsize=LABEL_SIZE)
    else:
        ax.set_xlabel(
            safe(f"mean answer ({report.scale.describe()})"), fontsize=LABEL_SIZE, **PLAIN
        )
    ax.grid(axis="x", color="#E6E6E6", linewidth=0.8)
    ax.set_axisbelow(True)
    strip(ax, keep=("bottom",))
    _legend(ax, report, rows, drew_interval=drew_interval)

    brackets = (
        f"; {confidence(report)} CIs in brackets"
        if not (math.isnan(report.spearman.low) and math.isnan(report.mean_gap.low))
        else ""
    )
    titles(
        ax,
        report,
        f"{subtitle_agreement(report)} · {subtitle_mean_gap(report)} "
        f"({report.comparison} - {report.reference}{brackets})",
        created=created,
        left=label_edge(ax),
    )
    return ax


def verdict_labels(report: GapReport) -> dict[str, str]:
    """The legend text of each verdict the figure knows, in legend order."""
    return {
        "overestimated": f"overestimated by {report.comparison}",
        "underestimated": f"underestimated by {report.comparison}",
        "aligned": f"aligned (adjusted p ≥ {alpha(report)})",
        "untested": "not tested",
    }


def _legend(ax: Axes, report: GapReport, rows: list[ItemGap], *, drew_interval: bool) -> None:
    """One legend under the x label: the dots on the left, the bar colours on the right.

    It sits a fixed distance (inches) below the axes so that it never covers the data
    whatever the axes height; the columns are padded to equal length, since a legend fills
    column by column. Only verdicts that occur get an entry; one the figure does not know is
    shown under its own name in the neutral colour.
    """
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    below = ax.transAxes + ScaledTranslation(0.0, -0.5, ax.figure.dpi_scale_trans)
    dots: list[tuple[Any, str]] = [
        (
            Line2D([], [], linestyle="", marker="o", markersize=7, color=REFERENCE_COLOUR),
            f"{report.reference} score",
        ),
        (
            Line2D([], [], linestyle="", marker="o", markersize=7, color=COMPARISON_COLOUR),
            f"{report.comparison} score",
        ),
    ]
    if drew_interval:
        whisker = Line2D([], [], color=COMPARISON_COLOUR, linewidth=1.2, marker="|", markersize=8)
        dots.append((whisker, f"{confidence(report)} CI of the gap, around {report.comparison}"))
    names = verdict_labels(report)
    present = {g.verdict for g in rows}
    unknown = sorted(present - VERDICT_COLOURS.keys())
    bars: list[tuple[Any, str]] = [
        (
            Line2D([], [], color=verdict_colour(v), linewidth=5.0, alpha=0.75),
            names.get(v, v),
        )
        for v in [*VERDICT_COLOURS, *unknown]
        if v in present
    ]
    blank = (Line2D([], [], linestyle=""), "")
    height = max(len(dots), len(bars))
    entries = [*dots, *[blank] * (height - len(dots)), *bars, *[blank] * (height - len(bars))]
    legend = ax.legend(
        [handle for handle, _ in entries],
        [safe(label) for _, label in entries],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=below,
        ncol=2,
        frameon=False,
        fontsize=LABEL_SIZE,
        columnspacing=2.5,
    )
    plain(legend.get_texts())

"""The rank figure: a slopegraph of the items' ranks in the two groups."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..._report import GapReport
from .._format import fmt, fmt_interval, fmt_level, fmt_rank
from ._style import (
    HIGHER_COLOUR,
    LABEL_SIZE,
    LOWER_COLOUR,
    MUTED_TEXT,
    NEUTRAL_COLOUR,
    axes,
    check,
    import_matplotlib,
)
from ._text import (
    PLAIN,
    keep,
    label_positions,
    plain,
    safe,
    subtitle_agreement,
    titles,
    with_interval,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.transforms import Bbox

__all__ = ["ranks"]


def _colour(a: float, b: float) -> str:
    """The colour of a line from reference rank `a` to comparison rank `b` (1 = top)."""
    if b < a:
        return HIGHER_COLOUR
    if b > a:
        return LOWER_COLOUR
    return NEUTRAL_COLOUR


def ranks(report: GapReport, *, ax: Axes | None = None) -> Axes:
    """Draw a slopegraph of the items' ranks in the two groups.

    The left column is the reference group's ranking and the right column the comparison
    group's, 1 (highest score) at the top; a line joins each item's two ranks. Lines are
    red-orange when the comparison group ranks the item higher, blue when lower and grey when
    the rank is the same. Tied items share their average rank; their labels are spread apart
    and joined to the dot by a short leader. When the report has resamples, each item's
    simultaneous rank confidence set (``ItemGap.reference_rank_ci``, ``comparison_rank_ci``)
    is drawn as a thin error bar just inside its column, one bar per item side by side.

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
    import_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    report = check(report, ax)
    items = list(report.items)
    k = len(items)
    ax, created = axes(ax, 9.5, 2.3 + 0.4 * k)
    left = [g.reference_rank for g in items]
    right = [g.comparison_rank for g in items]

    for a, b in zip(left, right, strict=True):
        ax.plot(
            [0.0, 1.0],
            [a, b],
            color=_colour(a, b),
            linewidth=2.2,
            marker="o",
            markersize=6,
            solid_capstyle="round",
            clip_on=False,
            gid="rank",
        )

    # Rank confidence sets: one thin bar per item, side by side just inside each column so
    # that overlapping sets stay readable.
    step = 0.06 / max(k, 1)
    drawn_sets = False
    for order, gap in enumerate(sorted(items, key=lambda g: g.reference_rank)):
        for x, sign, rank_set, a, b in (
            (0.02, 1.0, gap.reference_rank_ci, gap.reference_rank, gap.comparison_rank),
            (0.98, -1.0, gap.comparison_rank_ci, gap.reference_rank, gap.comparison_rank),
        ):
            if rank_set is None:
                continue
            drawn_sets = True
            position = x + sign * order * step
            ax.plot(
                [position, position],
                [rank_set[0] - 0.25, rank_set[1] + 0.25],
                color=_colour(a, b),
                linewidth=1.2,
                alpha=0.55,
                solid_capstyle="butt",
                clip_on=False,
                gid="rank_set",
            )

    # Labels sit a fixed distance (points) beside the dots, whatever the axes width: the
    # rank right next to the dot, the item label beyond it.
    left_labels = []
    sides = (("left", 0.0, left, right, -1.0), ("right", 1.0, right, left, 1.0))
    for side, x, these, others, sign in sides:
        align = "right" if sign < 0 else "left"
        for gap, rank, at in zip(items, these, label_positions(these, others), strict=True):
            if math.isnan(rank):
                continue
            for text, offset, colour in (
                (fmt_rank(rank), 8.0, MUTED_TEXT),
                (safe(gap.item.label, 34), 32.0, "black"),
            ):
                label = ax.annotate(
                    text,
                    xy=(x, at),
                    xytext=(sign * offset, 0.0),
                    textcoords="offset points",
                    ha=align,
                    va="center",
                    fontsize=LABEL_SIZE,
                    color=colour,
                    **PLAIN,
                )
                if side == "left":
                    left_labels.append(label)

    for x, group in ((0.0, report.reference), (1.0, report.comparison)):
        ax.annotate(
            safe(group),
            xy=(x, 1.0),
            xytext=(0.0, 12.0),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=LABEL_SIZE + 0.5,
            fontweight="bold",
            **PLAIN,
        )
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(k + 0.5, 0.1)  # rank 1 at the top, the column headers above it
    ax.set_axis_off()

    legend = [
        (HIGHER_COLOUR, f"ranked higher by {report.comparison}"),
        (LOWER_COLOUR, f"ranked lower by {report.comparison}"),
        (NEUTRAL_COLOUR, "same rank"),
    ]
    used = {_colour(a, b) for a, b in zip(left, right, strict=True) if not math.isnan(a + b)}
    shown = [(c, text) for c, text in legend if c in used]
    if shown:
        drawn = ax.legend(
            [Line2D([], [], color=c, linewidth=2.2) for c, _ in shown],
            [safe(text) for _, text in shown],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=len(shown),
            frameon=False,
            fontsize=LABEL_SIZE,
        )
        plain(drawn.get_texts())

    def edge(renderer: RendererBase) -> Bbox:
        return Bbox.union([ax.bbox, *(t.get_window_extent(renderer) for t in left_labels)])

    kendall = report.kendall
    tau = with_interval(
        keep(f"Kendall τ-b = {fmt(kendall.value)}"), fmt_interval(kendall.low, kendall.high)
    )
    sets = (
        f" · bars: {fmt_level(report.confidence_level)} simultaneous rank sets"
        if drawn_sets
        else ""
    )
    titles(
        ax,
        report,
        f"Item ranks, 1 = highest score · {subtitle_agreement(report)} · {tau}{sets}",
        created=created,
        left=edge,
    )
    return ax

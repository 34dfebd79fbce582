"""The segment figure: a heatmap of the item gaps within each level of a segment variable."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..._report import GapReport
from ...errors import InvalidArgumentError
from .._format import MISSING, fmt_signed
from ._style import (
    LABEL_SIZE,
    LABEL_WIDTH,
    MISSING_CELL,
    MUTED_TEXT,
    axes,
    check,
    import_matplotlib,
    is_share,
    ordered,
    strip,
)
from ._text import PLAIN, alpha, keep, label_edge, safe, titles

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["segments"]

# The verdicts that say a gap is there (adjusted p below alpha); their cells are bold. Any
# other verdict ("aligned", or an item without a test) is printed plain.
_BOLD_VERDICTS = frozenset({"overestimated", "underestimated"})


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


def segments(report: GapReport, name: str, *, ax: Axes | None = None) -> Axes:
    """Draw a heatmap of the item gaps within each level of the segment variable `name`.

    Rows are the items (in the order of :func:`gaps`: highest reference score first),
    columns the levels of `name` in questionnaire order, with each level's group sizes under
    its name. Cells are coloured on a diverging scale centred on 0 (red: the comparison group
    rates the item higher, blue: lower) and show the gap; a bold number marks a gap whose
    verdict within that level is "overestimated" or "underestimated". Grey cells with "n/a"
    have no estimate (say a group without respondents in that level).

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
    mpl = import_matplotlib()
    from matplotlib.colors import Normalize
    from matplotlib.ticker import FuncFormatter

    report = check(report, ax)
    if name not in report.segments:
        known = ", ".join(repr(s) for s in report.segments) or "none"
        raise InvalidArgumentError(
            f"`name` {name!r} is not a segment of this report (segments: {known}); pass "
            f"segments=({name!r},) to compare() to break the report down by it."
        )
    levels = report.segments[name]
    rows = ordered(report)
    columns = list(levels)
    k, m = len(rows), len(columns)
    values = np.full((k, m), np.nan)
    verdicts = [["aligned"] * m for _ in range(k)]
    for j, level in enumerate(columns):
        for i, gap in enumerate(rows):
            cell = levels[level].item(gap.item.id)
            values[i, j] = cell.gap.value
            verdicts[i][j] = cell.verdict

    ax, created = axes(ax, 4.6 + 0.95 * m, 2.5 + 0.42 * k)
    finite = np.abs(values[np.isfinite(values)])
    limit = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = Normalize(vmin=-limit, vmax=limit)  # symmetric, so 0 is the neutral colour
    cmap = mpl.colormaps["RdBu_r"].with_extremes(bad=MISSING_CELL)  # a copy: no global change
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto", interpolation="none"
    )

    share = is_share(report)
    for i in range(k):
        for j in range(m):
            value = float(values[i, j])
            if math.isnan(value):
                text, colour, weight = MISSING, MUTED_TEXT, "normal"
            else:
                text = _cell(100.0 * value, 0) if share else _cell(value, 2)
                r, g, b, _ = cmap(norm(value))
                colour = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "black"
                weight = "bold" if verdicts[i][j] in _BOLD_VERDICTS else "normal"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=LABEL_SIZE,
                color=colour,
                fontweight=weight,
                **PLAIN,
            )

    def level_label(level: str) -> str:
        n = levels[level].n
        counts = f"{n.get(report.reference, 0):,} / {n.get(report.comparison, 0):,}"
        return f"{safe(level)}\n{counts}"

    ax.set_xticks(
        range(m), [level_label(level) for level in columns], fontsize=LABEL_SIZE, **PLAIN
    )
    ax.set_yticks(
        range(k), [safe(g.item.label, LABEL_WIDTH) for g in rows], fontsize=LABEL_SIZE, **PLAIN
    )
    ax.tick_params(length=0)
    # White grid lines between cells.
    ax.set_xticks(np.arange(m + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(which="minor", color="white", linewidth=2.0)
    strip(ax)

    units = ", percentage points" if share else ""
    colorbar = ax.figure.colorbar(image, ax=ax, pad=0.03, aspect=35)
    colorbar.set_label(
        safe(f"gap ({report.comparison} - {report.reference}){units}"),
        fontsize=LABEL_SIZE,
        **PLAIN,
    )
    colorbar.ax.tick_params(labelsize=LABEL_SIZE)
    if share:
        colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(100.0 * v)))
    else:
        colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
    colorbar.outline.set_visible(False)
    significant = keep(f"adjusted p < {alpha(report)}")
    titles(
        ax,
        report,
        f"Gap by {name}, {report.comparison} - {report.reference}"
        f"{' in percentage points' if share else ''} · bold: {significant}"
        f" · grey: no estimate · under each level: respondents, "
        f"{report.reference} / {report.comparison}",
        created=created,
        left=label_edge(ax),
    )
    return ax

"""Figures: pg.plot.gaps, pg.plot.ranks and pg.plot.segments (the ``plot`` extra)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

import perceptiongap as pg
import perceptiongap.plot as pgplot
from perceptiongap.render._format import fmt_signed
from perceptiongap.render.plots import _style
from perceptiongap.render.plots._gaps import verdict_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes

K = 12  # items in the bundled example
GENERATIONS = 3


@pytest.fixture
def plt() -> Iterator[ModuleType]:
    """pyplot on the Agg backend (the test is skipped without matplotlib); no figure left open."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    pyplot.close("all")
    yield pyplot
    pyplot.close("all")


@pytest.fixture(scope="module")
def report() -> pg.GapReport:
    """A seeded report of the bundled example, broken down by generation.

    1,000 permutations let Holm-adjusted p-values of 12 items fall below 0.05 (verdicts).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        return pg.compare(
            pg.datasets.load_example(),
            "customer",
            "business",
            n_resamples=200,
            n_permutations=1000,
            rng=7,
            segments=("generation",),
        )


@pytest.fixture(scope="module")
def point_only() -> pg.GapReport:
    """A report without intervals (n_resamples=0: every bound is NaN), also by country."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        return pg.compare(
            pg.datasets.load_example(),
            "customer",
            "business",
            n_resamples=0,
            rng=7,
            segments=("generation", "country"),
        )


@pytest.fixture(scope="module")
def likert() -> pg.GapReport:
    """A small seeded report on a 1-5 Likert scale."""
    q = pg.Questionnaire(
        items=[pg.Item(id=f"i{j}", label=f"Item {j}") for j in range(5)],
        scale=pg.Likert(low=1, high=5),
        groups=("users", "team"),
    )
    rng = np.random.default_rng(1)
    values = rng.integers(1, 6, size=(120, 5)).astype(float)
    responses = pg.ResponseSet.from_arrays(q, values, ["users"] * 60 + ["team"] * 60)
    return pg.compare(responses, "users", "team", n_resamples=200, n_permutations=200, rng=1)


def _gaps(report: pg.GapReport, ax: Axes | None = None) -> Axes:
    return pgplot.gaps(report, ax=ax)


def _ranks(report: pg.GapReport, ax: Axes | None = None) -> Axes:
    return pgplot.ranks(report, ax=ax)


def _segments(report: pg.GapReport, ax: Axes | None = None) -> Axes:
    return pgplot.segments(report, "generation", ax=ax)


DRAW: dict[str, Callable[..., Axes]] = {"gaps": _gaps, "ranks": _ranks, "segments": _segments}


def _lines(ax: Axes, gid: str) -> list[Any]:
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def _annotation(ax: Axes, gid: str) -> str:
    """The text of the annotation `gid` ("title", "subtitle") as one line of plain spaces."""
    text = next(text.get_text() for text in ax.texts if text.get_gid() == gid)
    return text.replace("\n", " ").replace("\N{NO-BREAK SPACE}", " ")


def _save(ax: Axes, path: Path) -> None:
    """Save the figure small: the drawing is the same (and is where NaN would bite), only faster."""
    from matplotlib.figure import Figure

    figure = ax.figure
    assert isinstance(figure, Figure)
    figure.savefig(path, dpi=50)


def test_module_is_importable_without_drawing() -> None:
    """perceptiongap.plot exposes the three functions (matplotlib is imported only to draw)."""
    assert pgplot.__all__ == ["gaps", "ranks", "segments"]
    assert all(callable(getattr(pgplot, name)) for name in pgplot.__all__)


def test_importing_the_package_does_not_import_matplotlib() -> None:
    """matplotlib is imported only when a figure is drawn, never by importing perceptiongap."""
    source = Path(pg.__file__).resolve().parents[1]  # the src folder of the tested package
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(source), os.environ.get("PYTHONPATH", "")]),
    }
    code = (
        "import sys, perceptiongap, perceptiongap.plot, perceptiongap.render.plots, "
        "perceptiongap.cli; "
        "assert perceptiongap.__file__.startswith(sys.argv[1]), perceptiongap.__file__; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(source)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr


def test_figure_modules_do_not_import_the_facade() -> None:
    """Imports flow one way: nothing under render/plots imports perceptiongap.plot."""
    package = Path(_style.__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                # Resolve relative imports: level 1 is render.plots, 2 render, 3 perceptiongap.
                base = ["perceptiongap", "render", "plots"][: 4 - node.level] if node.level else []
                target = ".".join([*base, *(node.module or "").split(".")]).strip(".")
                names = [f"{target}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            assert not any(
                name == "perceptiongap.plot" or name.startswith("perceptiongap.plot.")
                for name in names
            ), f"{path.name} imports perceptiongap.plot"


@pytest.mark.parametrize("kind", sorted(DRAW))
def test_missing_matplotlib_names_the_extra(
    kind: str, report: pg.GapReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib, each function raises ImportError telling how to install the extra."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'perceptiongap\[plot\]'"):
        DRAW[kind](report)


@pytest.mark.parametrize("kind", sorted(DRAW))
def test_returns_axes_and_renders_png(
    kind: str, report: pg.GapReport, tmp_path: Path, plt: ModuleType
) -> None:
    """Each function returns an Axes whose figure saves to a non-empty PNG."""
    from matplotlib.axes import Axes

    ax = DRAW[kind](report)
    assert isinstance(ax, Axes)
    path = tmp_path / f"{kind}.png"
    _save(ax, path)
    assert path.stat().st_size > 1000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kind", sorted(DRAW))
def test_draws_on_the_axes_passed_in(kind: str, report: pg.GapReport, plt: ModuleType) -> None:
    """With ax= given, the function draws there, returns it and creates no figure."""
    fig, (ax, _) = plt.subplots(1, 2, figsize=(16, 6), layout="constrained")
    assert DRAW[kind](report, ax) is ax
    assert plt.get_fignums() == [fig.number]
    assert ax.get_lines() or ax.get_images()


def test_gaps_has_one_row_and_one_bar_per_item(report: pg.GapReport, plt: ModuleType) -> None:
    """The dumbbell chart has 12 item labels, 12 joining bars, 12 intervals and two dot sets."""
    ax = pgplot.gaps(report)
    assert len([t for t in ax.get_yticklabels() if t.get_text()]) == K
    bars = _lines(ax, "gap")
    assert len(bars) == K
    assert len(_lines(ax, "interval")) == K
    assert [c.get_label() for c in ax.collections] == ["customer", "business"]
    # Each bar joins its row's two scores.
    by_label = {g.item.label: g for g in report.items}
    for bar, tick in zip(bars, ax.get_yticklabels(), strict=True):
        gap = by_label[tick.get_text().replace("\n", " ")]
        assert sorted(bar.get_xdata()) == sorted([gap.reference_score, gap.comparison_score])
        assert set(bar.get_ydata()) == {tick.get_position()[1]}


def test_gaps_interval_is_the_gap_interval_moved_to_the_comparison_dot(
    report: pg.GapReport, plt: ModuleType
) -> None:
    """The whisker spans comparison score + [low - gap, high - gap], i.e. reference + [low, high]."""
    ax = pgplot.gaps(report)
    ordered = sorted(report.items, key=lambda g: -g.reference_score)
    for whisker, gap in zip(_lines(ax, "interval"), ordered, strict=True):
        expected = [gap.reference_score + gap.gap.low, gap.reference_score + gap.gap.high]
        np.testing.assert_allclose(whisker.get_xdata(), expected, rtol=0, atol=1e-12)


def test_gaps_orders_items_by_reference_score_highest_on_top(
    report: pg.GapReport, plt: ModuleType
) -> None:
    """The top row is the reference group's highest-scoring item, the bottom row its lowest."""
    ax = pgplot.gaps(report)
    labels = {tick.get_position()[1]: tick.get_text() for tick in ax.get_yticklabels()}
    top_down = [labels[y].replace("\n", " ") for y in sorted(labels, reverse=True)]
    scores = {g.item.label: g.reference_score for g in report.items}
    assert top_down[0] == "Get discounts or coupons"
    assert top_down[-1] == "Be part of a community"
    assert [scores[label] for label in top_down] == sorted(scores.values(), reverse=True)


def test_gaps_colours_bars_by_verdict_and_names_groups(
    report: pg.GapReport, plt: ModuleType
) -> None:
    """Bar colours follow the verdicts, the legend names both groups, the axis is in percent."""
    from matplotlib.colors import to_hex

    ax = pgplot.gaps(report)
    colours = {
        to_hex(bar.get_color()): gap.verdict
        for bar, gap in zip(
            _lines(ax, "gap"), sorted(report.items, key=lambda g: -g.reference_score), strict=True
        )
    }
    assert len(colours) == len(set(colours.values())) == 2  # overestimated and aligned
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert {"customer score", "business score", "overestimated by business"} <= set(labels)
    assert ax.xaxis.get_major_formatter()(0.25, 0) == "25%"


def test_verdict_colour_of_untested_is_a_lighter_grey() -> None:
    """ "untested" (no permutation test) has its own light grey; an unknown verdict is neutral."""
    assert _style.verdict_colour("untested") == "#CFCFCF"
    assert _style.verdict_colour("untested") != _style.verdict_colour("aligned")
    assert _style.verdict_colour("aligned") == _style.NEUTRAL_COLOUR
    assert _style.verdict_colour("no such verdict") == _style.NEUTRAL_COLOUR


def test_gaps_legend_calls_untested_not_tested(report: pg.GapReport) -> None:
    """The legend text of the "untested" verdict is "not tested"."""
    assert verdict_labels(report)["untested"] == "not tested"


def test_gaps_draws_a_report_without_permutation_tests(plt: ModuleType) -> None:
    """With n_permutations=0 no item has a p-value; the gap chart still draws, bars by verdict.

    Such items read "aligned" or, once verdicts know it, "untested": either way each bar has
    the colour of its verdict.
    """
    from matplotlib.axes import Axes
    from matplotlib.colors import to_hex

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        untested = pg.compare(
            pg.datasets.load_example(),
            "customer",
            "business",
            n_resamples=50,
            n_permutations=0,
            rng=7,
        )
    assert all(np.isnan(g.p_value) for g in untested.items)
    ax = pgplot.gaps(untested)
    assert isinstance(ax, Axes)
    ordered = sorted(untested.items, key=lambda g: -g.reference_score)
    bars = _lines(ax, "gap")
    assert [to_hex(bar.get_color()) for bar in bars] == [
        to_hex(_style.verdict_colour(g.verdict)) for g in ordered
    ]
    ax.figure.canvas.draw()


def test_gaps_titles_carry_report_title_spearman_and_mean_gap(
    report: pg.GapReport, plt: ModuleType
) -> None:
    """The title is the report's; the subtitle gives Spearman's rho and the mean gap."""
    ax = pgplot.gaps(report)
    assert _annotation(ax, "title") == report.title
    subtitle = _annotation(ax, "subtitle")
    assert "Spearman ρ = 0.032 [" in subtitle
    assert "mean gap +20.8 points [" in subtitle


def test_gaps_uses_the_scale_units_for_likert(likert: pg.GapReport, plt: ModuleType) -> None:
    """On a Likert scale the axis shows scale values (no percent) and the default title."""
    ax = pgplot.gaps(likert)
    assert "%" not in ax.xaxis.get_major_formatter()(3.0, 0)
    assert "1 to 5" in ax.get_xlabel()
    assert _annotation(ax, "title") == "Perception gap"


def test_ranks_draws_one_line_per_item(report: pg.GapReport, plt: ModuleType) -> None:
    """The slopegraph has one line per item from its reference rank to its comparison rank."""
    ax = pgplot.ranks(report)
    lines = _lines(ax, "rank")
    assert len(lines) == K
    for line, gap in zip(lines, report.items, strict=True):
        assert list(line.get_ydata()) == [gap.reference_rank, gap.comparison_rank]
    assert ax.yaxis_inverted()  # rank 1 at the top
    assert "Spearman ρ = 0.032" in _annotation(ax, "subtitle")


def test_ranks_spreads_tied_labels(report: pg.GapReport, plt: ModuleType) -> None:
    """Two items tied at rank 3.5 get their labels at 3 and 4, not on top of each other."""
    from matplotlib.text import Annotation

    ax = pgplot.ranks(report)
    tied = sorted(
        float(text.xy[1])
        for text in ax.texts
        if isinstance(text, Annotation) and text.get_text() == "3.5" and text.xy[0] == 0.0
    )
    assert tied == [3.0, 4.0]


def test_segments_image_has_items_by_levels(report: pg.GapReport, plt: ModuleType) -> None:
    """The heatmap is (items, levels), centred on 0, annotated, with a labelled colour bar."""
    ax = pgplot.segments(report, "generation")
    (image,) = ax.get_images()
    data = image.get_array()
    assert data is not None
    assert data.shape == (K, GENERATIONS)
    low, high = image.get_clim()
    assert high > 0
    assert low == -high
    levels = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
    assert levels == ["GenY", "GenX", "Boomer"]
    cells = [t for t in ax.texts if t.get_gid() is None]
    assert len(cells) == K * GENERATIONS
    colorbar = image.colorbar
    assert colorbar is not None
    assert colorbar.ax.get_ylabel().startswith("gap (business - customer)")


def test_segments_cells_use_the_shared_formatter(report: pg.GapReport, plt: ModuleType) -> None:
    """A cell shows the level's gap in percentage points via the shared signed formatter."""
    ax = pgplot.segments(report, "generation")
    gap = report.segments["generation"]["GenY"].item("community").gap.value
    ordered = [g.item.id for g in sorted(report.items, key=lambda g: -g.reference_score)]
    row = ordered.index("community")
    cell = next(t for t in ax.texts if t.get_position() == (0, row))
    assert cell.get_text() == fmt_signed(100 * gap, 0)


def test_segments_shows_missing_cells_as_not_available(
    point_only: pg.GapReport, plt: ModuleType
) -> None:
    """A level without comparison respondents (Canada) is masked (grey) and marked n/a."""
    ax = pgplot.segments(point_only, "country")
    data = ax.get_images()[0].get_array()
    assert data is not None
    canada = list(point_only.segments["country"]).index("Canada")
    assert np.ma.getmaskarray(data)[:, canada].all()
    assert not np.ma.getmaskarray(data)[:, 0].any()
    assert sum(t.get_text() == "n/a" for t in ax.texts) == K


def test_segments_unknown_name_raises(report: pg.GapReport, plt: ModuleType) -> None:
    """An unknown segment raises InvalidArgumentError naming it and saying how to get it."""
    with pytest.raises(pg.InvalidArgumentError, match=r"'region'.*segments=\('region',\)"):
        pgplot.segments(report, "region")
    assert plt.get_fignums() == []


@pytest.mark.parametrize("kind", sorted(DRAW))
def test_point_estimates_without_intervals_still_plot(
    kind: str, point_only: pg.GapReport, tmp_path: Path, plt: ModuleType
) -> None:
    """A report with NaN bounds (n_resamples=0) draws and saves, with no interval whiskers."""
    ax = DRAW[kind](point_only)
    _save(ax, tmp_path / "figure.png")
    assert _lines(ax, "interval") == []
    if kind == "gaps":
        assert len(_lines(ax, "gap")) == K
        assert "[" not in _annotation(ax, "subtitle")


@pytest.mark.parametrize("kind", sorted(DRAW))
def test_rejects_what_is_not_a_report_or_axes(
    kind: str, report: pg.GapReport, plt: ModuleType
) -> None:
    """A non-report or a non-Axes `ax` is a TypeError naming the parameter."""
    with pytest.raises(TypeError, match="`report`"):
        DRAW[kind](report.to_dict())
    with pytest.raises(TypeError, match="`ax`"):
        DRAW[kind](report, "not an axes")

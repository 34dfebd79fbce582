"""GapReport and its parts: immutability, serialisation, text rendering."""

from __future__ import annotations

import json
import math
import warnings

import attrs
import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap.render._format import (
    fmt,
    fmt_interval,
    fmt_p,
    fmt_rank,
    fmt_rank_set,
    fmt_signed,
)


@pytest.fixture(scope="module")
def report() -> pg.GapReport:
    """A seeded report of the bundled example."""
    return pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=300, rng=3)


@pytest.fixture(scope="module")
def published() -> pg.GapReport:
    """A report of the published (summary) table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.SummaryDataWarning)
        return pg.compare(
            pg.datasets.load_published(), "customer", "business", n_resamples=200, rng=3
        )


def test_report_objects_are_frozen(report: pg.GapReport) -> None:
    """Reports and their parts cannot be changed after the fact."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.method = "basic"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.items[0].gap.value = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.n["customer"] = 3  # type: ignore[index]


def test_report_records_how_it_was_made(report: pg.GapReport) -> None:
    """The report records method, level, resamples, seed, version, n and the data kind."""
    assert (report.method, report.confidence_level, report.n_resamples) == ("auto", 0.95, 300)
    assert {gap.gap.method for gap in report.items} == {"newcombe"}
    assert report.n_permutations == 300
    assert report.p_adjust == "holm"
    assert report.seed == 3
    assert report.version == pg.__version__
    assert dict(report.n) == {"customer": 1056, "business": 351}
    assert report.data == "respondents"
    assert report.weighted is False
    assert report.scale == pg.Binary()
    assert [g.item.id for g in report.items] == list(
        pg.datasets.load_example().questionnaire.item_ids
    )


@pytest.mark.parametrize("which", ["report", "published"])
def test_dict_and_json_round_trips_are_lossless(
    which: str, request: pytest.FixtureRequest
) -> None:
    """to_dict/from_dict and to_json/from_json give back an equal report, NaN included."""
    original: pg.GapReport = request.getfixturevalue(which)
    assert pg.GapReport.from_dict(original.to_dict()) == original
    text = original.to_json()
    json.loads(text)  # valid JSON: no NaN tokens
    assert "NaN" not in text
    again = pg.GapReport.from_json(text)
    assert again == original
    assert again.to_json() == text
    for a, b in zip(original.items, again.items, strict=True):
        assert a.gap.value == b.gap.value  # exact, not approximately


def test_round_trip_keeps_nan_and_segments() -> None:
    """NaN bounds and nested segment reports survive the JSON round trip."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            pg.datasets.load_example(),
            "customer",
            "business",
            n_resamples=0,
            segments=("generation",),
        )
    again = pg.GapReport.from_json(report.to_json())
    assert again == report
    assert math.isnan(again.spearman.low)
    assert set(again.segments["generation"]) == {"GenY", "GenX", "Boomer"}


def test_from_dict_rejects_foreign_data() -> None:
    """from_dict raises InvalidArgumentError for data that is not a report."""
    with pytest.raises(pg.InvalidArgumentError, match="not a perceptiongap report"):
        pg.GapReport.from_dict({"items": []})
    with pytest.raises(pg.InvalidArgumentError, match="reference: this key is missing"):
        pg.GapReport.from_dict({"schema": "perceptiongap.GapReport/2"})


def test_estimate_and_item_gap_validate_and_compare_nan_equal() -> None:
    """Estimates treat NaN as equal to NaN; an unknown verdict is refused."""
    assert pg.Estimate(1.0) == pg.Estimate(1.0)
    assert pg.Estimate(1.0, 0.5, 1.5, 0.2).contains(1.2)
    assert not pg.Estimate(1.0).contains(1.0)
    with pytest.raises(pg.InvalidArgumentError, match="`verdict`"):
        pg.ItemGap(pg.Item("a"), 0.1, 0.2, pg.Estimate(0.1), 1, 2, 0.5, 0.5, "maybe")  # type: ignore[arg-type]


def test_text_report_shows_every_item_and_statistic(report: pg.GapReport) -> None:
    """str(report) lists every item with its scores, gap interval, ranks, p and verdict."""
    text = str(report)
    lines = text.splitlines()
    for gap in report.items:
        line = next(line for line in lines if line.startswith(gap.item.label[:30]))
        assert fmt(gap.reference_score) in line
        assert fmt_signed(gap.gap.value) in line
        assert fmt_interval(gap.gap.low, gap.gap.high, signed=True) in line
        assert gap.verdict in line
        assert fmt_p(gap.p_adjusted) in line
        ranks = (
            f"{fmt_rank_set(gap.reference_rank, gap.reference_rank_ci)} → "
            f"{fmt_rank_set(gap.comparison_rank, gap.comparison_rank_ci)}"
        )
        assert " ".join(ranks.split()) in " ".join(line.split())
    for label in (
        "Spearman rho",
        "Kendall tau-b",
        "mean absolute gap",
        "elevation",
        "scatter",
        "shape",
    ):
        assert label in text
    assert fmt(report.spearman.value) in text
    assert "% of d2" in text
    assert f"seed {report.seed}" in text


def test_text_report_columns_are_aligned(report: pg.GapReport) -> None:
    """The per-item rows put the gap column at the same position on every line."""
    lines = str(report).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("item "))
    rows = lines[header + 2 : header + 2 + len(report.items)]
    ends = {len(row.split("  [")[0]) for row in rows}
    assert len(ends) == 1


def test_text_report_lists_warnings(published: pg.GapReport) -> None:
    """Warnings appear at the end of the text report."""
    text = str(published)
    assert "warnings:" in text
    assert all(w in text for w in published.warnings)


def test_repr_is_one_line(report: pg.GapReport) -> None:
    """repr(report) is one line with the headline numbers."""
    text = repr(report)
    assert "\n" not in text
    assert text.startswith("<GapReport business vs customer: 12 items")


def test_item_lookup(report: pg.GapReport) -> None:
    """report.item(id) finds an item; an unknown id raises KeyError."""
    assert report.item("community").item.label == "Be part of a community"
    with pytest.raises(KeyError):
        report.item("nope")


def test_profile_shares_add_up(report: pg.GapReport) -> None:
    """The elevation, scatter and shape shares add up to one."""
    assert sum(report.profile.shares().values()) == pytest.approx(1.0)


def test_formatter() -> None:
    """The shared number formatter handles NaN, signs, negative zero, ranks and small p."""
    assert fmt(float("nan")) == "n/a"
    assert fmt(-0.0001) == "0.000"
    assert fmt_signed(0.25) == "+0.250"
    assert fmt_signed(-0.0001) == "+0.000"
    assert fmt_interval(float("nan"), float("nan")) == ""
    assert fmt_rank(3.0) == "3"
    assert fmt_rank(3.5) == "3.5"
    assert fmt_p(0.0001) == "<0.001"
    assert fmt_p(0.2) == "0.200"
    assert np.isnan(pg.Estimate(float("nan")).value)


def test_confidence_levels_are_shown_exactly() -> None:
    """Every renderer shows the confidence level unrounded: 95%, and 97.5% rather than 98%."""
    from perceptiongap.render._format import fmt_level

    assert [fmt_level(x) for x in (0.95, 0.9, 0.975, 0.999)] == ["95%", "90%", "97.5%", "99.9%"]
    report = pg.compare(
        pg.datasets.load_example(),
        "customer",
        "business",
        n_resamples=50,
        rng=1,
        confidence_level=0.975,
    )
    for text in (str(report), repr(report), report.to_markdown(), report.to_html()):
        assert "97.5%" in text
        assert "98%" not in text

"""Result records say exactly what was done, hash like they compare, and round-trip; reports
written by the first release (schema 1) still load, with what that release actually did."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import perceptiongap as pg

SCHEMA1 = Path(__file__).parent / "data" / "schema1"


@pytest.fixture(scope="module")
def segmented() -> pg.GapReport:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        return pg.compare(
            pg.datasets.load_example(), "customer", "business", n_resamples=300,
            n_permutations=300, rng=1, segments=("generation",), method="BCa",
        )  # fmt: skip


floats = st.floats(allow_nan=True, allow_infinity=False)


@given(floats, floats, floats, floats)
def test_equal_estimates_hash_equal_nan_included(
    v: float, lo: float, hi: float, se: float
) -> None:
    """Two estimates built from the same numbers are equal and hash equal, NaN included."""
    a, b = pg.Estimate(v, lo, hi, se), pg.Estimate(v, lo, hi, se)
    assert a == b
    assert hash(a) == hash(b)
    assert pg.Estimate.from_dict(a.to_dict()) == a


def test_every_record_is_hashable(segmented: pg.GapReport) -> None:
    """Reports and every record in them can be hashed, and a round trip hashes the same."""
    again = pg.GapReport.from_json(segmented.to_json())
    assert hash(again) == hash(segmented)
    assert {segmented, again} == {segmented}
    comparison = segmented.segment_comparisons["generation"]
    for record in (segmented.items[0], segmented.profile, comparison, *comparison.ranking):
        assert hash(record) == hash(type(record).from_dict(record.to_dict()))
    assert len({*comparison.differences}) == len(comparison.differences)


def test_estimate_method_defaults_say_whether_there_is_an_interval() -> None:
    """Without bounds the method is "none"; it is recorded and validated."""
    assert pg.Estimate(0.1).method == "none"
    assert pg.Estimate(0.1, 0.0, 0.2).method == "unspecified"
    assert pg.Estimate(0.1, 0.0, 0.2, 0.05, "BC").to_dict()["method"] == "BC"
    with pytest.raises(pg.InvalidArgumentError, match="method"):
        pg.Estimate(0.1, method="")


def test_estimates_record_the_procedure_used(segmented: pg.GapReport) -> None:
    """BCa estimates say BCa; contrasts (a = 0) say BC; percentile says percentile."""
    assert {g.gap.method for g in segmented.items} <= {"BCa", "BC"}
    assert segmented.mean_gap.method == "BCa"
    for d in segmented.segment_comparisons["generation"].differences:
        assert d.difference.method == "BC"
    report = pg.compare(
        pg.datasets.load_example(), "customer", "business", n_resamples=100, method="percentile",
        rng=1,
    )  # fmt: skip
    assert {g.gap.method for g in report.items} == {"percentile"}
    assert report.profile.shape.method == "percentile"


def test_untested_verdict_goes_with_a_missing_p_value() -> None:
    """An item verdict is "untested" exactly when it has no adjusted p-value."""
    item = pg.Item("a")
    gap = pg.Estimate(0.1)
    tested = pg.ItemGap(item, 0.2, 0.3, gap, 1.0, 1.0, 0.01, 0.02, "overestimated")
    assert tested.tested
    assert tested.significant
    aligned = pg.ItemGap(item, 0.2, 0.3, gap, 1.0, 1.0, 0.4, 0.5, "aligned")
    assert aligned.tested
    assert not aligned.significant
    untested = pg.ItemGap(item, 0.2, 0.3, gap, 1.0, 1.0, math.nan, math.nan, "untested")
    assert not untested.tested
    with pytest.raises(pg.InvalidArgumentError, match="untested"):
        pg.ItemGap(item, 0.2, 0.3, gap, 1.0, 1.0, math.nan, math.nan, "aligned")
    with pytest.raises(pg.InvalidArgumentError, match="untested"):
        pg.ItemGap(item, 0.2, 0.3, gap, 1.0, 1.0, 0.1, 0.1, "untested")


def test_summary_without_sd_reads_untested() -> None:
    """Summary data without standard deviations test nothing: every verdict is "untested"."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Likert(1, 5), groups=("c", "b"))
    table = pg.ResponseSet.from_summary(
        q,
        {
            "c": {"n": 50, "scores": {"a": 2.0, "b": 4.0}},
            "b": {"n": 40, "scores": {"a": 3.0, "b": 3.5}},
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(table, "c", "b", n_resamples=100, rng=1)
    assert {g.verdict for g in report.items} == {"untested"}
    assert report.spearman.method == "none"
    assert any(n.code == "no_intervals" for n in report.notes)


def test_summary_bca_is_recorded_as_bc() -> None:
    """Summary data have no jackknife: asked for BCa, the estimates record "BC"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            pg.datasets.load_published(), "customer", "business", n_resamples=200, rng=1,
            method="BCa",
        )  # fmt: skip
    assert report.method == "BCa"
    assert {g.gap.method for g in report.items} == {"BC"}
    assert report.spearman.method == "BC"
    assert "BC (BCa with a = 0)" in str(report)
    assert "BCa" not in str(report).splitlines()[3].replace("BCa with a = 0", "")


def test_contrast_separates_statistic_and_item() -> None:
    """A Contrast names its item in its own field; an item called "spearman" is no longer
    confused with the statistic."""
    q = pg.Questionnaire(items=["spearman", "b", "c"], scale=pg.Binary(), groups=("x", "y"),
                         segments={"s": ("1", "2")})  # fmt: skip
    rng = np.random.default_rng(1)
    values = (rng.random((200, 3)) < [0.2, 0.5, 0.8]).astype(float)
    rs = pg.ResponseSet.from_arrays(
        q, values, ["x", "y"] * 100, segments={"s": ["1"] * 100 + ["2"] * 100}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(rs, "x", "y", n_resamples=100, rng=1, segments=("s",))
    rows = {(d.statistic, d.item) for d in report.segment_comparisons["s"].differences}
    assert ("spearman", None) in rows
    assert ("gap", "spearman") in rows
    assert pg.LevelDifference is pg.Contrast
    d = report.segment_comparisons["s"].differences[0]
    assert (d.level_a, d.level_b) == (d.a, d.b) == ("1", "2")
    with pytest.raises(pg.InvalidArgumentError, match="item"):
        pg.Contrast("1", "2", "gap", pg.Estimate(0.0), 0.5, 0.5)
    with pytest.raises(pg.InvalidArgumentError, match="statistic"):
        pg.Contrast("1", "2", "discounts", pg.Estimate(0.0), 0.5, 0.5)


def test_from_dict_names_the_key_path_of_a_bad_value(segmented: pg.GapReport) -> None:
    """A report dictionary is checked value by value; the error names where."""
    data = segmented.to_dict()
    data["items"][2]["gap"]["low"] = "0.1"
    with pytest.raises(pg.InvalidArgumentError, match=r"items\[2\]\.gap\.low: expected a number"):
        pg.GapReport.from_dict(data)
    data = segmented.to_dict()
    data["surprise"] = 1
    with pytest.raises(pg.InvalidArgumentError, match="surprise: expected no such key"):
        pg.GapReport.from_dict(data)
    with pytest.raises(pg.InvalidArgumentError, match="not valid JSON"):
        pg.GapReport.from_json(segmented.to_json()[:-20])


@pytest.mark.parametrize("name", ["segments_bca.json", "percentile_untested.json", "summary.json"])
def test_schema_1_reports_still_load(name: str) -> None:
    """Every report the first release wrote loads, upgraded to what that release did."""
    report = pg.GapReport.from_json((SCHEMA1 / name).read_text(encoding="utf-8"))
    assert pg.GapReport.from_json(report.to_json()) == report
    for gap in report.items:
        assert gap.verdict != "untested" or math.isnan(gap.p_adjusted)
        has_interval = not math.isnan(gap.gap.low)
        assert (gap.gap.method != "none") == has_interval


def test_schema_1_upgrade_restores_what_was_done() -> None:
    """The frozen schema-1 files read back as the reports this release computes from the same
    seed: the same numbers, methods and verdicts (only the wording of notes differs)."""
    rs = pg.datasets.load_example()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        cases = {
            "segments_bca.json": pg.compare(
                rs, "customer", "business", n_resamples=300, n_permutations=300, rng=1,
                segments=("generation",), method="BCa",
            ),
            "percentile_untested.json": pg.compare(
                rs, "customer", "business", n_resamples=200, n_permutations=0,
                method="percentile", rng=2,
            ),
            "summary.json": pg.compare(
                pg.datasets.load_published(), "customer", "business", n_resamples=300, rng=3,
                method="BCa",
            ),
        }  # fmt: skip

    def numbers(report: pg.GapReport) -> object:
        data = report.to_dict()
        for levels in [{"": data}, *data["segments"].values()]:
            for level in levels.values():
                for item in level["items"]:  # rank sets are new: schema 1 has none
                    item.pop("reference_rank_ci")
                    item.pop("comparison_rank_ci")
        for comparison in data["segment_comparisons"].values():
            comparison.pop("ranking")  # ranked by the corrected mean squared gap now
        if data["data"] == "summary":  # withheld now without an item correlation
            data.pop("mean_gap")
            data["profile"].pop("elevation")
        for key in ("warnings", "notes", "version", "title"):
            data.pop(key)
        for levels in data["segments"].values():
            for level in levels.values():
                for key in ("warnings", "notes", "version", "title"):
                    level.pop(key)
        return json.dumps(data, sort_keys=True)

    for name, fresh in cases.items():
        old = pg.GapReport.from_json((SCHEMA1 / name).read_text(encoding="utf-8"))
        assert numbers(old) == numbers(fresh), name


def test_items_carry_simultaneous_rank_sets() -> None:
    """Each item has (low, high) rank sets containing its rank, shown in the text report and
    the tidy table; without resamples there are none."""
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=500, rng=2)
    for gap in report.items:
        for rank, rank_set in (
            (gap.reference_rank, gap.reference_rank_ci),
            (gap.comparison_rank, gap.comparison_rank_ci),
        ):
            assert rank_set is not None
            low, high = rank_set
            assert 1 <= low <= rank <= high <= len(report.items)
    assert report.item("community").reference_rank_ci == (12, 12)
    assert "12 [12]" in str(report)
    row = report.to_csv().splitlines()[1].split(",")
    header = report.to_csv().splitlines()[0].split(",")
    assert row[header.index("reference_rank_low")] == "1.0"
    assert pg.GapReport.from_json(report.to_json()) == report
    bare = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    assert all(g.reference_rank_ci is None for g in bare.items)
    with pytest.raises(pg.InvalidArgumentError, match="rank set"):
        pg.ItemGap(pg.Item("a"), 0.1, 0.2, pg.Estimate(0.1), 1.0, 1.0, 0.5, 0.5, "aligned", (2, 1))


def test_a_report_refuses_impossible_settings(segmented: pg.GapReport) -> None:
    """A report file cannot claim a confidence level outside (0, 1), negative counts or an
    unknown method or adjustment: from_dict names the key (a level of 7 would print as
    '700% intervals')."""
    for key, value, match in (
        ("confidence_level", 7, "confidence_level"),
        ("confidence_level", 0.0, "confidence_level"),
        ("n_resamples", -5, "n_resamples"),
        ("n_permutations", -1, "n_permutations"),
        ("method", "magic", "method"),
        ("p_adjust", "bonferroni", "p_adjust"),
    ):
        data = segmented.to_dict()
        data[key] = value
        with pytest.raises(pg.InvalidArgumentError, match=match):
            pg.GapReport.from_dict(data)

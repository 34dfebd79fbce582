"""Segments, survey weights and several perspectives."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import perceptiongap as pg
from perceptiongap.cli import main


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """Segment analyses warn by design (kept-whole groups, small levels)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        yield


@pytest.fixture(scope="module")
def weighted() -> pg.ResponseSet:
    """The bundled example with its survey weights."""
    return pg.datasets.load_example(weighted=True)


def _svymean(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """svymean(~x, svydesign(ids=~1, weights=~w), na.rm=TRUE): the weighted mean of the
    answered values and its linearised standard error, per column."""
    means, ses = [], []
    for column in values.T:
        ok = ~np.isnan(column)
        x, w = column[ok], weights[ok]
        mean = np.sum(w * x) / np.sum(w)
        n = len(x)
        se = np.sqrt(n / (n - 1) * np.sum((w * (x - mean)) ** 2)) / np.sum(w)
        means.append(mean)
        ses.append(se)
    return np.array(means), np.array(ses)


def test_weighted_scores_equal_svymean(weighted: pg.ResponseSet) -> None:
    """Weighted item scores equal svymean's weighted means to 1e-12, and the report says weights were used."""
    report = pg.compare(weighted, "customer", "business", n_resamples=0, n_permutations=0)
    assert report.weighted
    for code, attribute in ((0, "reference_score"), (1, "comparison_score")):
        rows = weighted.group_codes == code
        expected, _ = _svymean(weighted.values[rows], weighted.weights[rows])
        got = np.array([getattr(g, attribute) for g in report.items])
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    x = np.array([g.reference_score for g in report.items])
    y = np.array([g.comparison_score for g in report.items])
    assert report.spearman.value == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
    assert report.kendall.value == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)


def test_weighted_segment_scores_equal_svyby(weighted: pg.ResponseSet) -> None:
    """Per-level weighted scores equal svyby(~x, ~generation, design, svymean) to 1e-12."""
    report = pg.compare(
        weighted, "customer", "business", n_resamples=0, n_permutations=0, segments=("generation",)
    )
    level_codes = weighted.segment_codes["generation"]
    for index, level in enumerate(weighted.questionnaire.segments["generation"]):
        rows = (weighted.group_codes == 0) & (level_codes == index)
        expected, _ = _svymean(weighted.values[rows], weighted.weights[rows])
        got = [g.reference_score for g in report.segments["generation"][level].items]
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_weighted_bootstrap_se_matches_the_linearised_one(weighted: pg.ResponseSet) -> None:
    """The bootstrap SE of a weighted gap is within a few percent of the linearised SE."""
    report = pg.compare(
        weighted,
        "customer",
        "business",
        n_resamples=6000,
        n_permutations=0,
        rng=3,
        method="percentile",
    )
    _, se_ref = _svymean(
        weighted.values[weighted.group_codes == 0], weighted.weights[weighted.group_codes == 0]
    )
    _, se_comp = _svymean(
        weighted.values[weighted.group_codes == 1], weighted.weights[weighted.group_codes == 1]
    )
    linearised = np.sqrt(se_ref**2 + se_comp**2)
    bootstrap = np.array([g.gap.standard_error for g in report.items])
    np.testing.assert_allclose(bootstrap, linearised, rtol=0.05)


def test_constant_weights_equal_no_weights() -> None:
    """All weights equal to a constant give the unweighted report's point estimates."""
    rs = pg.datasets.load_example()
    constant = pg.ResponseSet.from_arrays(
        rs.questionnaire, rs.values, rs.group, weights=np.full(len(rs.values), 2.5)
    )
    a = pg.compare(rs, "customer", "business", n_resamples=0, n_permutations=0)
    b = pg.compare(constant, "customer", "business", n_resamples=0, n_permutations=0)
    np.testing.assert_allclose(
        [g.gap.value for g in a.items], [g.gap.value for g in b.items], atol=1e-14
    )
    assert a.spearman.value == pytest.approx(b.spearman.value, abs=1e-12)
    assert b.weighted
    assert not a.weighted


def test_one_level_holding_everyone_equals_the_unsegmented_report() -> None:
    """A segment with one level that everyone has gives that level the unsegmented numbers."""
    rs = pg.datasets.load_example()
    q = pg.Questionnaire(
        items=rs.questionnaire.items,
        scale=rs.questionnaire.scale,
        groups=rs.groups,
        segments={"all": ("everyone",)},
    )
    one = pg.ResponseSet.from_arrays(
        q, rs.values, rs.group, segments={"all": ["everyone"] * len(rs.values)}
    )
    report = pg.compare(
        one, "customer", "business", n_resamples=300, n_permutations=300, rng=5, segments=("all",)
    )
    level = report.segments["all"]["everyone"]
    assert [g.gap.value for g in level.items] == [g.gap.value for g in report.items]
    assert level.spearman.value == report.spearman.value
    assert level.n == report.n
    # The same data resampled through other streams: intervals agree within Monte Carlo error.
    assert level.mean_gap.low == pytest.approx(report.mean_gap.low, abs=0.01)


def test_level_reports_equal_where_and_comparisons_are_consistent() -> None:
    """Level point estimates equal compare(rs.where(level)); differences are level a - level b."""
    rs = pg.datasets.load_example()
    report = pg.compare(
        rs, "customer", "business", n_resamples=400, rng=2, segments=("generation",)
    )
    comparison = report.segment_comparisons["generation"]
    for level, sub in report.segments["generation"].items():
        direct = pg.compare(
            rs.where(generation=level), "customer", "business", n_resamples=0, n_permutations=0
        )
        assert [g.gap.value for g in sub.items] == [g.gap.value for g in direct.items]
    corrected = [s.mean_squared_gap.value for s in comparison.ranking]
    assert corrected == sorted(corrected)
    assert comparison.best_understood() == comparison.ranking[0].level
    k = len(rs.questionnaire.items)
    assert len(comparison.differences) == 3 * (2 + k)
    for d in comparison.differences:
        a, b = report.segments["generation"][d.level_a], report.segments["generation"][d.level_b]
        if d.statistic in ("spearman", "mean_absolute_gap"):
            expected = getattr(a, d.statistic).value - getattr(b, d.statistic).value
        else:
            expected = a.item(d.item).gap.value - b.item(d.item).gap.value
        assert d.difference.value == pytest.approx(expected, abs=1e-15)
        assert d.difference.low <= d.difference.high
        assert d.p_adjusted >= d.p_value
    assert pg.GapReport.from_json(report.to_json()) == report


def test_a_group_kept_whole_shares_its_replicates_across_levels() -> None:
    """The executives (no generation recorded) are resampled identically in every level, so
    the difference of an item gap between levels is exactly the customers' difference."""
    rs = pg.datasets.load_example()
    report = pg.compare(
        rs,
        "customer",
        "business",
        n_resamples=500,
        rng=8,
        method="percentile",
        segments=("generation",),
    )
    diff = next(
        d for d in report.segment_comparisons["generation"].differences if d.item == "community"
    )
    # gap_a - gap_b = (y - x_a) - (y - x_b): the shared y cancels in every replicate, so the
    # spread is that of two independent customer means, smaller than with independent y.
    ref = rs.values[rs.group_codes == 0, -1]
    level = rs.segment_codes["generation"][rs.group_codes == 0]
    a, b = (rs.questionnaire.segments["generation"].index(x) for x in (diff.level_a, diff.level_b))
    se = np.sqrt(
        ref[level == a].var() / (level == a).sum() + ref[level == b].var() / (level == b).sum()
    )
    assert diff.difference.standard_error == pytest.approx(se, rel=0.12)


def test_small_levels_warn_by_name() -> None:
    """A level with fewer than min_segment_n respondents warns in its report and the parent."""
    rs = pg.datasets.load_example()
    report = pg.compare(
        rs,
        "customer",
        "business",
        n_resamples=0,
        n_permutations=0,
        segments=("country",),
        min_segment_n=50,
    )
    assert any("country=Australia has few respondents" in w for w in report.warnings)
    assert any("few respondents" in w for w in report.segments["country"]["Australia"].warnings)
    assert not any("few respondents" in w for w in report.segments["country"]["US"].warnings)


def test_an_empty_level_gives_nan_not_an_error() -> None:
    """A level without respondents in a group gives NaN estimates and a warning."""
    rs = pg.datasets.load_example()
    report = pg.compare(rs, "customer", "business", n_resamples=100, rng=1, segments=("country",))
    canada = report.segments["country"]["Canada"]
    assert canada.n["business"] == 0
    assert np.isnan(canada.spearman.value)
    assert any("no respondents" in w for w in canada.warnings)


def test_compare_many_shares_replicates_and_matches_compare() -> None:
    """compare_many gives every other group a report equal to a separate compare() call."""
    rng = np.random.default_rng(4)
    q = pg.Questionnaire(
        items=["a", "b", "c", "d"],
        scale=pg.Likert(low=1, high=5),
        groups=("customer", "marketing", "sales"),
    )
    values = rng.integers(1, 6, (300, 4)).astype(float)
    groups = np.array(["customer", "marketing", "sales"])[rng.integers(0, 3, 300)]
    rs = pg.ResponseSet.from_arrays(q, values, groups)
    reports = pg.compare_many(rs, "customer", n_resamples=300, rng=11)
    assert list(reports) == ["marketing", "sales"]
    for group, report in reports.items():
        assert report == pg.compare(rs, "customer", group, n_resamples=300, rng=11)
    # Same seed, same reference replicates: drawn once for a Generator too.
    from_generator = pg.compare_many(
        rs, "customer", ["sales"], n_resamples=100, rng=np.random.default_rng(3)
    )
    assert (
        from_generator["sales"].seed
        == pg.compare_many(
            rs, "customer", ["sales"], n_resamples=100, rng=np.random.default_rng(3)
        )["sales"].seed
    )
    with pytest.raises(pg.InvalidArgumentError, match="`comparisons`"):
        pg.compare_many(rs, "customer", ["customer"])
    with pytest.raises(pg.InvalidArgumentError, match="`reference`"):
        pg.compare_many(rs, "board")


def test_cli_weight_and_segment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--weight and a repeated --segment reach compare(); the text shows a per-segment table."""
    from perceptiongap.datasets import example_paths

    paths = example_paths()
    args = [
        "report", str(paths.responses), "--questionnaire", str(paths.questionnaire), "--group", "role",
        "--reference", "customer", "--comparison", "business", "--weight", "weight",
        "--segment", "generation", "--segment", "country", "--resamples", "100", "--seed", "1",
    ]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "weighted" in out
    assert "segment generation: levels from best to least understood" in out
    assert "segment country" in out
    assert "kept whole: business" in out
    bad = list(args)
    bad[bad.index("--weight") + 1] = "country"  # text levels are not weights
    assert main(bad) == 2
    assert "column 'country'" in capsys.readouterr().err


REFERENCE = Path(__file__).parent / "reference" / "survey_weighted.json"


def test_weighted_scores_equal_r_survey_frozen_values(weighted: pg.ResponseSet) -> None:
    """Weighted item scores equal R survey's svymean per group and svyby per generation to
    1e-12 (values made by tests/reference/survey_weighted.R), and bootstrap SEs of the gaps
    are within 5% of survey's linearised SEs (missing answers as a domain, as we resample)."""
    import json

    reference = json.loads(REFERENCE.read_text())
    assert reference["items"] == list(weighted.questionnaire.item_ids)
    report = pg.compare(
        weighted, "customer", "business", n_resamples=6000, n_permutations=0, rng=5,
        method="percentile", segments=("generation",),
    )  # fmt: skip
    ref = reference["groups"]
    np.testing.assert_allclose(
        [g.reference_score for g in report.items], ref["customer"]["mean"], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        [g.comparison_score for g in report.items], ref["business"]["mean"], rtol=0, atol=1e-12
    )
    for level, values in reference["customer_by_generation"].items():
        got = [g.reference_score for g in report.segments["generation"][level].items]
        np.testing.assert_allclose(got, values["mean"], rtol=0, atol=1e-12)
    linearised = np.hypot(ref["customer"]["se"], ref["business"]["se"])
    np.testing.assert_allclose([g.gap.standard_error for g in report.items], linearised, rtol=0.05)

"""compare_many: several perspectives on one reference group, contrasted with each other."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap.cli import main

GROUPS = ("customer", "marketing", "sales")


def _three_groups(seed: int = 0, n: int = 200, shuffle: bool = False) -> pg.ResponseSet:
    """Marketing sees customers almost as they are; sales sees them upside down."""
    q = pg.Questionnaire(items=["a", "b", "c", "d", "e"], scale=pg.Binary(), groups=GROUPS)
    p = {
        "customer": [0.2, 0.35, 0.5, 0.65, 0.8],
        "marketing": [0.25, 0.35, 0.45, 0.7, 0.75],
        "sales": [0.8, 0.65, 0.5, 0.35, 0.2],
    }
    rng = np.random.default_rng(seed)
    groups = [g for g in GROUPS for _ in range(n)]
    values = (rng.random((len(groups), 5)) < np.array([p[g] for g in groups])).astype(float)
    if shuffle:
        groups = list(rng.permutation(groups))
    return pg.ResponseSet.from_arrays(q, values, groups)


@pytest.fixture(scope="module")
def views() -> pg.Perspectives:
    return pg.compare_many(_three_groups(), "customer", n_resamples=1000, rng=11)


def test_it_is_a_mapping_of_reports_equal_to_separate_calls(views: pg.Perspectives) -> None:
    """Indexing works as the first release's dict did; each report equals compare()'s."""
    rs = _three_groups()
    assert list(views) == ["marketing", "sales"]
    assert len(views) == 2
    assert "sales" in views
    for group, report in views.items():
        assert report == pg.compare(rs, "customer", group, n_resamples=1000, rng=11)
    assert isinstance(views["marketing"], pg.GapReport)


def test_perspectives_are_ranked_and_contrasted(views: pg.Perspectives) -> None:
    """The perspective closer to the customers ranks first; its smaller mean absolute gap and
    larger Spearman are significant differences, computed from the shared replicates."""
    assert [s.level for s in views.ranking] == ["marketing", "sales"]
    assert views.best_understood() == "marketing"
    rows = {(d.statistic, d.item): d for d in views.differences}
    assert len(views.differences) == 2 + 5
    mag = rows[("mean_absolute_gap", None)]
    assert (mag.a, mag.b) == ("marketing", "sales")
    expected = views["marketing"].mean_absolute_gap.value - views["sales"].mean_absolute_gap.value
    assert mag.difference.value == pytest.approx(expected, abs=1e-15)
    assert mag.difference.high < 0
    assert mag.p_adjusted < 0.05
    assert rows[("spearman", None)].difference.low > 0
    gap_a = rows[("gap", "a")]
    expected = views["marketing"].item("a").gap.value - views["sales"].item("a").gap.value
    assert gap_a.difference.value == pytest.approx(expected, abs=1e-15)
    assert all(d.difference.method == "BC" for d in views.differences)
    assert any(n.code == "contrast_method" for n in views.notes)


def test_item_contrasts_cancel_the_shared_reference() -> None:
    """gap_m - gap_s = y_m - y_s in every replicate: the reference group's shared replicates
    cancel, so the interval is that of a difference between two independent groups."""
    rs = _three_groups(seed=3)
    views = pg.compare_many(rs, "customer", n_resamples=400, method="percentile", rng=5)
    d = next(d for d in views.differences if d.item == "c")
    # Sales and marketing both see item c near 0.45-0.5: no difference expected.
    assert d.difference.contains(0.0) or d.p_adjusted >= 0.05


def test_perspectives_round_trip_and_hash(views: pg.Perspectives) -> None:
    """Perspectives serialise to JSON and back, and hash like they compare."""
    again = pg.Perspectives.from_dict(json.loads(json.dumps(views.to_dict())))
    assert again == views
    assert hash(again) == hash(views)


def test_renderers_show_the_ranking_and_escape(views: pg.Perspectives) -> None:
    """Text, Markdown and HTML show every report and the comparison of the perspectives."""
    text = str(views)
    assert "perspectives from best to least understanding" in text
    assert text.count("agreement") == 2
    assert "marketing - sales, mean absolute gap" in text
    assert "| perspective |" in views.to_markdown()
    page = views.to_html(full_page=True)
    assert page.startswith("<!DOCTYPE html>")
    assert "Perspectives, best understanding first" in page
    assert repr(views).startswith("<Perspectives on customer: 2 perspectives")


def test_validation_names_the_argument() -> None:
    """Unknown, repeated or reference groups, and bad options, are refused by name."""
    rs = _three_groups()
    with pytest.raises(pg.InvalidArgumentError, match="`comparisons`"):
        pg.compare_many(rs, "customer", ["marketing", "marketing"])
    with pytest.raises(pg.InvalidArgumentError, match="other than the reference"):
        pg.compare_many(rs, "customer", ["customer"])
    with pytest.raises(pg.InvalidArgumentError, match="`comparisons`"):
        pg.compare_many(rs, "customer", "sales")
    with pytest.raises(pg.InvalidArgumentError, match="`n_resamples`"):
        pg.compare_many(rs, "customer", n_resamples=-1)
    with pytest.raises(pg.InvalidArgumentError, match="`reference`"):
        pg.compare_many(rs, "nobody")


def test_each_warning_is_issued_once() -> None:
    """A doubt met in several places (levels, perspectives) is one Python warning each."""
    rs = pg.datasets.load_example()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = pg.compare(
            rs, "customer", "business", n_resamples=100, n_permutations=20, rng=1,
            segments=("generation", "country"),
        )  # fmt: skip
    messages = [str(w.message) for w in caught if issubclass(w.category, pg.PerceptionGapWarning)]
    assert len(messages) == len(set(messages))
    assert set(messages) == set(report.warnings)
    assert any(m.startswith("segment country=") for m in messages)


def test_command_line_compares_several_perspectives(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """--comparison is repeatable: the output holds each report and the contrasts."""
    rs = _three_groups()
    path = tmp_path / "survey.csv"  # type: ignore[operator]
    header = "role," + ",".join(rs.questionnaire.item_ids)
    lines = [header] + [
        f"{g}," + ",".join(str(int(v)) for v in row)
        for g, row in zip(rs.group, rs.values, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    qpath = tmp_path / "q.json"  # type: ignore[operator]
    rs.questionnaire.to_file(qpath)
    status = main(
        [
            "report", str(path), "-q", str(qpath), "--group", "role", "--reference", "customer",
            "--comparison", "marketing", "--comparison", "sales", "--resamples", "200",
            "--seed", "1",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert "perspectives from best to least understanding" in out
    status = main(
        [
            "report", str(path), "-q", str(qpath), "--group", "role", "--reference", "customer",
            "--comparison", "marketing", "--comparison", "sales", "--resamples", "50",
            "--seed", "1", "--format", "json",
        ]
    )  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert set(data["reports"]) == {"marketing", "sales"}


def test_without_replicates_no_difference_is_claimed_tested() -> None:
    """With n_resamples=0 the comparison says nothing was tested, not "no difference"."""
    views = pg.compare_many(_three_groups(), "customer", n_resamples=0)
    assert all(np.isnan(d.p_adjusted) for d in views.differences)
    assert "no difference was tested" in str(views)
    assert "no difference has adjusted p" not in str(views)

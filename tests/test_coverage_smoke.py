"""Smoke tests of the coverage study (validation/coverage.py), which is a script, not a module."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import multiprocessing
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import numpy as np
import pytest

import perceptiongap as pg

SCRIPT = Path(__file__).resolve().parents[1] / "validation" / "coverage.py"


def load_study() -> ModuleType:
    """Import the script by path under a name that cannot shadow the `coverage` package."""
    name = "perceptiongap_coverage_study"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look classes up here
    spec.loader.exec_module(module)
    return module


study = load_study()


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict[str, str]], str]:
    """The smoke run of the command line: its printed tables and its CSV rows."""
    path = tmp_path_factory.mktemp("coverage") / "smoke.csv"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert study.main(["--smoke", "--workers", "1", "--csv", str(path)]) == 0
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    methods = ", ".join(study.default_methods()[0])
    return out.getvalue(), rows, methods


def test_smoke_run_tabulates_every_statistic_and_method(
    smoke: tuple[str, list[dict[str, str]], str],
) -> None:
    """The smoke run reports every statistic under every method with coverages in [0, 100]."""
    text, rows, methods = smoke
    expected_methods = set(methods.split(", "))
    assert {r["scenario"] for r in rows} == set(study.SMOKE)
    assert {r["method"] for r in rows} == expected_methods
    for scenario in study.SMOKE:
        for method in expected_methods:
            got = {
                r["statistic"] for r in rows if r["scenario"] == scenario and r["method"] == method
            }
            assert {"gap_avg", "gap_worst", *study.SCALARS} <= got
    for r in rows:
        assert 0.0 <= float(r["coverage"]) <= 100.0
        assert float(r["mcse"]) >= 0.0
        assert float(r["width"]) >= 0.0
        assert r["reported"]  # the Estimate.method strings were recorded
    assert "Summary over scenarios" in text
    assert f"methods {methods}" in text
    for label in ("gap (avg)", "gap (worst)", *study.SCALARS):
        assert label in text


def test_shifted_truth_is_caught() -> None:
    """Intervals cover the true mean gap, and a wrong truth (shifted by 0.6) almost never."""
    scenario = study.SCENARIOS["binary_distinct_25_25"]
    draws = study.simulate([scenario], ["percentile"], reps=20, resamples=200, seed=1, workers=1)
    truth = scenario.truth()
    right = study.coverage_rows(scenario, "percentile", draws[scenario.name, "percentile"], truth)
    wrong = study.coverage_rows(
        scenario, "percentile", draws[scenario.name, "percentile"], truth.shifted(0.6)
    )
    by_name = {r.statistic: r for r in right}
    assert by_name["mean_gap"].coverage >= 80.0
    assert by_name["gap_avg"].coverage >= 80.0
    # Intervals narrower than the shift cannot reach the wrong truth unless far off themselves.
    narrow = [r for r in wrong if by_name[r.statistic].width < 0.3]
    assert {"mean_gap", "mean_absolute_gap"} <= {r.statistic for r in narrow}
    assert all(r.coverage <= 10.0 for r in narrow), [(r.statistic, r.coverage) for r in narrow]


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="workers import the study by name, which only forked workers inherit",
)
def test_workers_do_not_change_results() -> None:
    """Each replication seeds itself: 1 or 2 worker processes give identical intervals."""
    scenario = study.SCENARIOS["likert_zero_gaps_40_25"]
    kwargs = {"reps": study.CHUNK + 2, "resamples": 50, "seed": 3}
    one = study.simulate([scenario], ["BCa"], workers=1, **kwargs)[scenario.name, "BCa"]
    two = study.simulate([scenario], ["BCa"], workers=2, **kwargs)[scenario.name, "BCa"]
    np.testing.assert_array_equal(one.low, two.low)
    np.testing.assert_array_equal(one.high, two.high)
    assert len(one.low) == study.CHUNK + 2


def test_rank_sets_are_read_and_covered_jointly() -> None:
    """Rank confidence sets, when a report has them, count as covered only if every item is."""
    scenario = study.SCENARIOS["binary_distinct_25_25"]
    truth = scenario.truth()
    k = scenario.k

    def report(miss: bool) -> SimpleNamespace:
        items = []
        for j in range(k):
            ref, comp = truth.ranks[0, j], truth.ranks[1, j]
            high = ref - 0.5 if miss and j == 0 else ref + 0.5  # item 0 misses its true rank
            items.append(
                SimpleNamespace(
                    gap=pg.Estimate(0.0, -1.0, 1.0, 0.1, "percentile"),
                    reference_rank=ref,
                    comparison_rank=comp,
                    reference_rank_ci=(ref - 0.5, high),
                    comparison_rank_ci=(comp, comp),
                )
            )
        scalar = pg.Estimate(0.5, 0.0, 1.0, 0.1, "BC")
        profile = SimpleNamespace(d2=scalar, elevation=scalar, scatter=scalar, shape=scalar)
        return SimpleNamespace(
            items=items, spearman=scalar, kendall=scalar, mean_gap=scalar,
            mean_absolute_gap=scalar, profile=profile,
        )  # fmt: skip

    parts = []
    for miss in (False, False, False, True):
        rows, ranks = study.read_report(report(miss))
        assert ranks is not None
        assert len(rows) == k + len(study.SCALARS)
        numbers = np.array([row[:3] for row in rows])[np.newaxis]
        labels = np.array([[row[3] for row in rows]], dtype=object)
        parts.append(
            study.Draws(
                numbers[..., 0],
                numbers[..., 1],
                numbers[..., 2],
                labels,
                ranks[0][np.newaxis],
                ranks[1][np.newaxis],
                ranks[2][np.newaxis],
            )
        )
    draws = study.Draws.concatenate(parts)
    rows = {r.statistic: r for r in study.coverage_rows(scenario, "m", draws, truth)}
    assert rows["rank_reference"].coverage == 75.0
    assert rows["rank_reference"].excluded == 25.0  # item 0's set excludes its own rank too
    assert rows["rank_comparison"].coverage == 100.0
    assert rows["rank_comparison"].width == 0.0
    assert rows["d2"].reported == "BC"

"""Segment levels and perspectives are ranked by a quantity whose expectation does not depend
on their size: with shuffled group labels (no gap anywhere) the ranking no longer favours the
largest level, as a ranking by the mean absolute gap does."""

from __future__ import annotations

import collections
import warnings

import numpy as np

import perceptiongap as pg

SIZES = {"small": 40, "medium": 150, "large": 600}


def _shuffled_reports(reps: int, seed: int) -> list[pg.SegmentComparison]:
    q = pg.Questionnaire(
        items=list("abcdefgh"), scale=pg.Binary(), groups=("customer", "business"),
        segments={"size": tuple(SIZES)},
    )  # fmt: skip
    p = np.linspace(0.2, 0.8, 8)
    rng = np.random.default_rng(seed)
    n = 2 * sum(SIZES.values())
    levels = [level for level, count in SIZES.items() for _ in range(count)] * 2
    out = []
    for _ in range(reps):
        values = (rng.random((n, 8)) < p).astype(float)
        groups = list(rng.permutation(["customer", "business"] * (n // 2)))
        rs = pg.ResponseSet.from_arrays(q, values, groups, segments={"size": levels})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pg.PerceptionGapWarning)
            report = pg.compare(rs, "customer", "business", n_resamples=0, segments=("size",))
        out.append(report.segment_comparisons["size"])
    return out


def test_shuffled_labels_no_longer_favour_the_largest_level() -> None:
    """Under no gap, the mean absolute gap calls the largest level best almost always (its
    upward bias shrinks with size); the bias-corrected mean squared gap is centred on 0 in
    every level, and the largest level no longer wins most rankings."""
    comparisons = _shuffled_reports(200, seed=1)
    by_mag = collections.Counter(
        min(c.ranking, key=lambda s: s.mean_absolute_gap.value).level for c in comparisons
    )
    by_msg = collections.Counter(c.best_understood() for c in comparisons)
    assert by_mag["large"] > 0.8 * len(comparisons)  # the defect the ranking avoids
    assert by_msg["large"] < 0.5 * len(comparisons)
    for level in SIZES:
        values = [
            s.mean_squared_gap.value for c in comparisons for s in c.ranking if s.level == level
        ]
        mean, se = np.mean(values), np.std(values, ddof=1) / np.sqrt(len(values))
        assert abs(mean) < 4 * se  # unbiased for the true mean squared gap, 0
    mag = {
        level: np.mean(
            [s.mean_absolute_gap.value for c in comparisons for s in c.ranking if s.level == level]
        )
        for level in SIZES
    }
    assert mag["small"] > mag["medium"] > mag["large"]


def test_perspectives_are_ranked_by_the_corrected_mean_squared_gap() -> None:
    """compare_many ranks perspectives the same way, and says so in its table."""
    q = pg.Questionnaire(items=list("abcd"), scale=pg.Binary(), groups=("c", "m", "s"))
    rng = np.random.default_rng(3)
    groups = ["c"] * 300 + ["m"] * 300 + ["s"] * 40
    p = {"c": [0.2, 0.4, 0.6, 0.8], "m": [0.3, 0.5, 0.5, 0.7], "s": [0.2, 0.4, 0.6, 0.8]}
    values = (rng.random((640, 4)) < np.array([p[g] for g in groups])).astype(float)
    views = pg.compare_many(pg.ResponseSet.from_arrays(q, values, groups), "c", n_resamples=0)
    assert [s.level for s in views.ranking] == ["s", "m"]
    assert views.ranking[0].mean_squared_gap.value < views.ranking[1].mean_squared_gap.value
    assert "mean sq gap*" in str(views)

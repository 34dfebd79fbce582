"""Contrasts: replicate-wise differences between two analyses of the same study.

Two segment levels, or two perspectives compared with the same reference group, are analysed
on shared random streams: a group that both analyses contain (kept whole across levels, or the
reference group of every perspective) has the same bootstrap replicates in both. The
difference of a statistic is then computed replicate by replicate, which keeps the
correlation the shared group induces.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ._analysis import Analysis, interval_estimate
from ._intervals import adjust
from ._notes import Findings
from ._options import CompareOptions
from ._procedures import BOOTSTRAP
from ._results import Contrast, Estimate
from ._statistics import CONTRASTED

__all__ = ["CONTRASTED", "bootstrap_p_value", "contrasts"]

FloatArray = npt.NDArray[np.float64]


def bootstrap_p_value(replicates: FloatArray, point: float) -> float:
    """Two-sided bootstrap p-value of "the difference is 0":
    ``min(1, 2 min(1 + #{d_b <= 0}, 1 + #{d_b >= 0}) / (1 + B))``."""
    defined = replicates[~np.isnan(replicates)]
    if np.isnan(point) or defined.size == 0:
        return float("nan")
    below = np.count_nonzero(defined <= 0.0)
    above = np.count_nonzero(defined >= 0.0)
    return float(min(1.0, 2.0 * (1.0 + min(below, above)) / (1.0 + defined.size)))


def _rows(
    a: Analysis, b: Analysis, items: Sequence[str]
) -> Iterator[tuple[str, str | None, float, FloatArray | None]]:
    """(statistic, item, point difference, replicate differences or None) of one pair.

    A generator: each row's replicate differences are made when the row is consumed, so only
    one row's (B,) array is alive at a time, however many pairs and items there are.
    """
    ra, rb = a.replicates, b.replicates
    for statistic in CONTRASTED:
        point = a.statistics[statistic].value - b.statistics[statistic].value
        diff = None if ra is None or rb is None else ra.stats[statistic] - rb.stats[statistic]
        yield statistic, None, point, diff
    for j, item in enumerate(items):
        point = a.gaps[j].value - b.gaps[j].value
        diff = None if ra is None or rb is None else ra.gaps[:, j] - rb.gaps[:, j]
        yield "gap", item, point, diff


def contrasts(
    analyses: Sequence[tuple[str, Analysis]],
    items: Sequence[str],
    options: CompareOptions,
    findings: Findings,
    family: str,
) -> list[Contrast]:
    """Every pairwise difference ``a - b`` (pairs in the given order) with its interval and
    a bootstrap p-value adjusted over the whole family."""
    # The jackknife of a difference between analyses is not computed: BCa uses a = 0 ("BC").
    method = options.method if options.method in BOOTSTRAP else "BCa"
    rows: list[tuple[str, str, str, str | None]] = []
    estimates, p_values = [], []
    resampled = False
    for index, (name_a, a) in enumerate(analyses):
        for name_b, b in analyses[index + 1 :]:
            for statistic, item, point, diff in _rows(a, b, items):
                rows.append((name_a, name_b, statistic, item))
                if diff is None:
                    estimates.append(Estimate(point))
                    p_values.append(float("nan"))
                    continue
                resampled = True
                estimates.append(
                    interval_estimate(point, diff, method, options.confidence_level, None)[0]
                )
                p_values.append(bootstrap_p_value(diff, point))
    adjusted = adjust(np.asarray(p_values), options.p_adjust)
    if resampled:
        findings.contrast_method(family, method)
    return [
        Contrast(a, b, statistic, estimate, p, q, item=item)
        for (a, b, statistic, item), estimate, p, q in zip(
            rows, estimates, p_values, adjusted, strict=True
        )
    ]

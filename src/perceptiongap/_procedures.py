"""Which interval procedure each statistic gets, and the checks every interval passes.

``method="percentile" | "basic" | "BCa"`` forces one bootstrap method for every statistic.
``method="auto"`` (the default) uses each statistic's procedure validated by the coverage
study (``validation/coverage.py``; the table is on the docs page "How well the intervals
cover"):

* an item gap: Newcombe's hybrid score interval (Binary) or the Welch interval (Likert,
  Numeric) for unweighted data, closed form; weighted data: BCa;
* the scalar statistics: :data:`perceptiongap._scalar_intervals.AUTO`.

Every interval then passes :func:`checked`: it is clipped to the statistic's range, and an
interval that is undefined, of zero width or that excludes its own estimate raises a doubt
naming the statistic and what to do.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt

from ._analytic import newcombe, welch
from ._results import Estimate
from ._scalar_intervals import AUTO

__all__ = [
    "AUTO",
    "BOOTSTRAP",
    "METHODS",
    "analytic_gaps",
    "checked",
    "gap_procedure",
    "scalar_procedure",
]

FloatArray = npt.NDArray[np.float64]

#: The bootstrap methods ``method=`` can force.
BOOTSTRAP = ("percentile", "basic", "BCa")

#: What ``method=`` accepts.
METHODS = ("auto", *BOOTSTRAP)

_UNIT = {"spearman": (-1.0, 1.0), "kendall": (-1.0, 1.0)}


def gap_procedure(method: str, binary: bool, weighted: bool) -> str:
    """The item gaps' procedure: a forced bootstrap method, or the closed form."""
    if method != "auto":
        return method
    if weighted:
        return "BCa"
    return "newcombe" if binary else "welch"


def scalar_procedure(method: str, name: str) -> str:
    """A scalar statistic's procedure."""
    return AUTO[name] if method == "auto" else method


def bounds(name: str, span: float) -> tuple[float, float]:
    """The range of a statistic: rank correlations in [-1, 1], the non-negative ones from 0,
    gaps within the scale's span."""
    if name in _UNIT:
        return _UNIT[name]
    if name in ("gap", "mean_gap"):
        return -span, span
    return 0.0, math.inf


def analytic_gaps(
    procedure: str,
    reference: tuple[FloatArray, FloatArray, FloatArray],
    comparison: tuple[FloatArray, FloatArray, FloatArray],
    confidence_level: float,
) -> list[Estimate]:
    """Closed-form item gap estimates from each group's (means, variances of the means,
    answered counts)."""
    (m1, v1, n1), (m2, v2, n2) = reference, comparison
    if procedure == "newcombe":
        low, high = newcombe(m1, n1, m2, n2, confidence_level)
    else:
        low, high = welch(m1, v1, n1, m2, v2, n2, confidence_level)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(v1 + v2)
    defined = ~(np.isnan(low) | np.isnan(high))
    return [
        Estimate(
            m2[j] - m1[j],
            low[j],
            high[j],
            se[j],
            procedure if defined[j] else "none",
        )
        for j in range(len(m1))
    ]


def checked(name: str, estimate: Estimate, span: float) -> tuple[Estimate, str | None]:
    """The estimate with its interval clipped to the statistic's range, and what is wrong
    with the interval, if anything: "is undefined (NaN)", "has zero width" or "excludes its
    own estimate"."""
    value, low, high = estimate.value, estimate.low, estimate.high
    if math.isnan(value):
        return estimate, None  # an undefined statistic has its own doubt
    if math.isnan(low) or math.isnan(high):
        flagged = attrs.evolve(estimate, flags=(*estimate.flags, "is undefined (NaN)"))
        return flagged, "is undefined (NaN)"
    lowest, highest = bounds(name, span)
    low, high = min(max(low, lowest), highest), max(min(high, highest), lowest)
    problem = None
    if high - low <= 1e-12 * max(1.0, abs(value)):
        problem = "has zero width"
    elif not low <= value <= high:
        problem = "excludes its own estimate"
    flags = estimate.flags + ((problem,) if problem else ())
    if (low, high, flags) != (estimate.low, estimate.high, estimate.flags):
        estimate = Estimate(value, low, high, estimate.standard_error, estimate.method, flags)
    return estimate, problem

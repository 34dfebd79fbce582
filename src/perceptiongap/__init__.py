"""perceptiongap: measure what one group thinks another wants against what it actually wants.

>>> import perceptiongap as pg
>>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
>>> round(report.spearman.value, 3)
0.032
"""

from __future__ import annotations

from . import datasets, plot
from ._compare import compare, compare_many
from ._questionnaire import Item, Questionnaire
from ._report import (
    Estimate,
    GapReport,
    ItemGap,
    LevelDifference,
    LevelSummary,
    ProfileGap,
    SegmentComparison,
)
from ._responses import ResponseSet, SummaryTable
from ._scales import Binary, Likert, Numeric, Scale
from .errors import (
    DegenerateStatisticWarning,
    EmptyDataError,
    InvalidArgumentError,
    MissingColumnError,
    PerceptionGapError,
    PerceptionGapWarning,
    QuestionnaireError,
    ResponseError,
    SummaryDataWarning,
    UnknownLabelError,
    ValueOffScaleError,
)

__all__ = [
    "Binary",
    "DegenerateStatisticWarning",
    "EmptyDataError",
    "Estimate",
    "GapReport",
    "InvalidArgumentError",
    "Item",
    "ItemGap",
    "LevelDifference",
    "LevelSummary",
    "Likert",
    "MissingColumnError",
    "Numeric",
    "PerceptionGapError",
    "PerceptionGapWarning",
    "ProfileGap",
    "Questionnaire",
    "QuestionnaireError",
    "ResponseError",
    "ResponseSet",
    "Scale",
    "SegmentComparison",
    "SummaryDataWarning",
    "SummaryTable",
    "UnknownLabelError",
    "ValueOffScaleError",
    "__version__",
    "compare",
    "compare_many",
    "datasets",
    "plot",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from ._version import version

        return version()
    raise AttributeError(f"module 'perceptiongap' has no attribute {name!r}")

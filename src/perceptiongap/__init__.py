"""perceptiongap: measure what one group thinks another wants against what it actually wants.

>>> import perceptiongap as pg
>>> report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
>>> round(report.spearman.value, 3)
0.032
"""

from __future__ import annotations

from . import (
    datasets,
    plot,
    render,  # noqa: F401 (registers the renderers with the report classes)
)
from ._compare import compare, compare_many
from ._questionnaire import Item, Questionnaire
from ._report import GapReport, Perspectives
from ._responses import ResponseSet
from ._results import (
    Contrast,
    Estimate,
    ItemGap,
    LevelDifference,
    LevelSummary,
    Note,
    ProfileGap,
    SegmentComparison,
)
from ._scales import Binary, Likert, Numeric, Scale
from ._summary import SummaryTable
from .errors import (
    DegenerateStatisticWarning,
    EmptyDataError,
    InvalidArgumentError,
    MissingColumnError,
    OutputPathError,
    PerceptionGapError,
    PerceptionGapWarning,
    QuestionnaireError,
    ResponseError,
    SummaryDataWarning,
    UnknownLabelError,
    UnreliableIntervalWarning,
    ValueOffScaleError,
)

__all__ = [
    "Binary",
    "Contrast",
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
    "Note",
    "Numeric",
    "OutputPathError",
    "PerceptionGapError",
    "PerceptionGapWarning",
    "Perspectives",
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
    "UnreliableIntervalWarning",
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

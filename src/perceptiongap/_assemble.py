"""Report assembly: the numbers of an analysis and what was found become a GapReport."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs
import numpy as np

from ._analysis import Analysis
from ._intervals import adjust
from ._notes import Findings
from ._options import CompareOptions
from ._questionnaire import Questionnaire
from ._report import GapReport
from ._results import ItemGap, ProfileGap, SegmentComparison, Verdict
from ._statistics import average_ranks
from ._version import version

__all__ = ["Study", "assemble", "verdict"]


@attrs.frozen
class Study:
    """What a report says about the data besides the numbers (no data itself)."""

    questionnaire: Questionnaire
    data: Literal["respondents", "summary"]
    weighted: bool


def verdict(gap: float, p_adjusted: float, alpha: float) -> Verdict:
    """ "untested" without a p-value; over/underestimated when significant; else "aligned"
    (no significant gap at this level)."""
    if np.isnan(p_adjusted):
        return "untested"
    if p_adjusted < alpha:
        if gap > 0:
            return "overestimated"
        if gap < 0:
            return "underestimated"
    return "aligned"


def assemble(
    options: CompareOptions,
    study: Study,
    analysis: Analysis,
    findings: Findings,
    n: Mapping[str, int],
    segments: Mapping[str, Mapping[str, GapReport]] | None = None,
    comparisons: Mapping[str, SegmentComparison] | None = None,
) -> GapReport:
    """The GapReport of one analysis (with its segment reports, when there are any)."""
    q = study.questionnaire
    adjusted = adjust(analysis.p_values, options.p_adjust)
    x_ranks = average_ranks(analysis.x, options.tie_rtol)
    y_ranks = average_ranks(analysis.y, options.tie_rtol)
    alpha = 1.0 - options.confidence_level
    sets = analysis.rank_sets(options.confidence_level)
    reference_sets, comparison_sets = sets if sets is not None else ([None] * q.k, [None] * q.k)
    items = [
        ItemGap(
            item=item,
            reference_score=analysis.x[j],
            comparison_score=analysis.y[j],
            gap=analysis.gaps[j],
            reference_rank=x_ranks[j],
            comparison_rank=y_ranks[j],
            p_value=analysis.p_values[j],
            p_adjusted=adjusted[j],
            verdict=verdict(analysis.gaps[j].value, adjusted[j], alpha),
            reference_rank_ci=reference_sets[j],
            comparison_rank_ci=comparison_sets[j],
        )
        for j, item in enumerate(q.items)
    ]
    s = analysis.statistics
    ref, comp = q.groups[options.reference], q.groups[options.comparison]
    return GapReport(
        reference=ref,
        comparison=comp,
        items=items,
        spearman=s["spearman"],
        kendall=s["kendall"],
        mean_gap=s["mean_gap"],
        mean_absolute_gap=s["mean_absolute_gap"],
        profile=ProfileGap(
            d2=s["d2"], elevation=s["elevation"], scatter=s["scatter"], shape=s["shape"]
        ),
        n={ref: n[ref], comp: n[comp]},
        method=options.method,
        confidence_level=options.confidence_level,
        n_resamples=options.n_resamples,
        n_permutations=analysis.n_permutations,
        p_adjust=options.p_adjust,
        seed=options.entropy,
        data=study.data,
        weighted=study.weighted,
        scale=q.scale,
        title=q.title,
        warnings=findings.warnings,
        version=version(),
        segments=segments or {},
        segment_comparisons=comparisons or {},
        notes=findings.notes,
    )

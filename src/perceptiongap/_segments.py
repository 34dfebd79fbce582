"""Segment breakdowns: one analysis per level of a segment variable, from one data set.

Each level's tally is built from the rows of that level (and every row of a group that does
not record the segment: such a group is kept whole). A kept-whole group keeps one stream key
for every level, so its replicates are shared and differences between levels are computed
replicate by replicate (:mod:`perceptiongap._contrasts`).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from ._analysis import Analysis, Keys, analyse_pair
from ._assemble import Study, assemble
from ._contrasts import contrasts
from ._notes import Findings
from ._options import CompareOptions
from ._report import GapReport
from ._results import Estimate, LevelSummary, SegmentComparison, rank_levels
from ._tally import make_tally

__all__ = ["Rows", "analyse_segment"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@attrs.frozen
class Rows:
    """Respondent-level arrays: answers, group and segment codes, weights."""

    values: FloatArray
    group_codes: IntArray
    segment_codes: Mapping[str, IntArray]
    weights: FloatArray | None


def analyse_segment(
    options: CompareOptions,
    study: Study,
    rows: Rows,
    index: int,
    name: str,
    findings: Findings,
) -> tuple[dict[str, GapReport], SegmentComparison]:
    """Reports within each level of segment `name` and the comparison of the levels.

    The levels' doubts join `findings` (the parent report's), each prefixed by its level.
    """
    q = study.questionnaire
    groups, levels = q.groups, q.segments[name]
    codes = rows.segment_codes[name]
    recording = {int(g) for g in np.unique(rows.group_codes[codes >= 0])}
    compared = (options.reference, options.comparison)
    whole = [groups[i] for i in compared if i not in recording]
    whole_rows = np.isin(rows.group_codes, [i for i in range(len(groups)) if i not in recording])
    for group in whole:
        findings.kept_whole(name, group, f"every level of {name!r}")
    reports: dict[str, GapReport] = {}
    analyses: list[tuple[str, Analysis]] = []
    flags: dict[str, tuple[str, ...]] = {}
    for level_index, level in enumerate(levels):
        mask = (codes == level_index) | whole_rows
        tally = make_tally(
            rows.values[mask],
            rows.group_codes[mask],
            len(groups),
            None if rows.weights is None else rows.weights[mask],
        )
        counts = {groups[i]: int(tally.sizes[i]) for i in compared}
        level_findings = Findings()
        level_flags = []
        small = {g: c for g, c in counts.items() if g not in whole and c < options.min_segment_n}
        if small:
            level_flags.append(
                level_findings.small_level(name, level, small, options.min_segment_n)
            )
        for group in whole:
            level_findings.kept_whole(name, group, f"{name}={level}")
        if whole:
            level_flags.append("kept whole: " + ", ".join(whole))
        keys = Keys.level(options, index, level_index, len(levels), recording)
        analysis = analyse_pair(options, tally, keys, level_findings, groups, q.item_ids)
        reports[level] = assemble(options, study, analysis, level_findings, counts)
        if analysis.replicates is not None:
            analysis.replicates.release()  # the contrasts need only the gaps and two statistics
        analyses.append((level, analysis))
        flags[level] = tuple(level_flags)
        findings.adopt(level_findings, f"segment {name}={level}")
    msg = {level: Estimate(analysis.mean_squared_gap) for level, analysis in analyses}
    ranking = rank_levels(
        LevelSummary(level, r.n, r.spearman, r.mean_absolute_gap, flags[level], msg[level])
        for level, r in reports.items()
    )
    # Only levels where both groups answered can differ; an empty level's statistics are NaN.
    answered = [(level, a) for level, a in analyses if min(reports[level].n.values()) > 0]
    differences = contrasts(answered, q.item_ids, options, findings, f"segment {name!r}")
    return reports, SegmentComparison(name=name, ranking=ranking, differences=differences)

"""Reading reports written by the first release (schema ``perceptiongap.GapReport/1``).

Schema 1 did not record the interval procedure of each estimate, called an untested item
"aligned" and named item contrasts by their item id in ``statistic``. The upgrade restores what
the first release actually did, from what it wrote: BCa used a = 0 (a "BC" interval) for
summary data, for differences between segment levels, and for the statistics its warnings
name as having a flat jackknife.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["SCHEMA_1", "upgrade_schema_1"]

SCHEMA_1 = "perceptiongap.GapReport/1"

# The first release's warning labels of the scalar statistics.
_LABELS = {
    "Spearman rho": "spearman",
    "Kendall tau-b": "kendall",
    "the mean gap": "mean_gap",
    "the mean absolute gap": "mean_absolute_gap",
    "d2": "d2",
    "the elevation term": "elevation",
    "the scatter term": "scatter",
    "the shape term": "shape",
}
_SCALARS = ("spearman", "kendall", "mean_gap", "mean_absolute_gap")
_PROFILE = ("d2", "elevation", "scatter", "shape")
_FLAT = re.compile(r"^BCa: the jackknife of (?!the gap)(.+?) is flat or undefined")
_FLAT_ITEMS = re.compile(r"^BCa: the jackknife of the gap of item\(s\) (.+?) is flat")
_TINY = re.compile(r"has fewer than two respondents, so the BCa acceleration is undefined")


def _estimate(data: object, method: str) -> object:
    if not isinstance(data, Mapping):
        return data  # left for the reader to reject with its key path
    has_interval = data.get("low") is not None or data.get("high") is not None
    return {**data, "method": method if has_interval else "none"}


def _flat(warnings: list[str]) -> tuple[set[str], set[str], bool]:
    """Statistics and items whose BCa acceleration the first release set to 0."""
    statistics: set[str] = set()
    items: set[str] = set()
    everything = False
    for warning in warnings:
        if match := _FLAT.match(warning):
            statistics |= {_LABELS[s] for s in match.group(1).split(", ") if s in _LABELS}
        if match := _FLAT_ITEMS.match(warning):
            items |= set(re.findall(r"'((?:[^'\\]|\\.)*)'", match.group(1)))
        everything |= bool(_TINY.search(warning))
    return statistics, items, everything


def upgrade_schema_1(data: Mapping[str, Any]) -> dict[str, Any]:
    """A schema-2 dictionary with the content of a schema-1 report `data`."""
    out = dict(data)
    out["schema"] = "perceptiongap.GapReport/2"
    method = data.get("method")
    warnings = [w for w in data.get("warnings", ()) if isinstance(w, str)]
    statistics: set[str] = set()
    items: set[str] = set()
    everything = False
    if method == "BCa" and data.get("data") == "summary":
        everything = True
    elif method == "BCa":
        statistics, items, everything = _flat(warnings)

    def used(name: str) -> str:
        return "BC" if everything or name in statistics else str(method)

    for name in _SCALARS:
        out[name] = _estimate(data.get(name), used(name))
    profile = data.get("profile")
    if isinstance(profile, Mapping):
        out["profile"] = {n: _estimate(profile.get(n), used(n)) for n in profile}
    upgraded_items = []
    for entry in data.get("items", ()):
        if isinstance(entry, Mapping):
            item = entry.get("item")
            item_id = item.get("id") if isinstance(item, Mapping) else None
            gap_method = "BC" if everything or item_id in items else str(method)
            entry = {**entry, "gap": _estimate(entry.get("gap"), gap_method)}
            if entry.get("p_adjusted") is None and entry.get("verdict") == "aligned":
                entry["verdict"] = "untested"
        upgraded_items.append(entry)
    out["items"] = upgraded_items
    segments = data.get("segments", {})
    if isinstance(segments, Mapping):
        out["segments"] = {
            name: {
                level: upgrade_schema_1(report) if isinstance(report, Mapping) else report
                for level, report in levels.items()
            }
            if isinstance(levels, Mapping)
            else levels
            for name, levels in segments.items()
        }
    comparisons = data.get("segment_comparisons", {})
    if isinstance(comparisons, Mapping):
        out["segment_comparisons"] = {
            name: _comparison(comparison, out["segments"].get(name, {}), str(method))
            for name, comparison in comparisons.items()
        }
    return out


def _comparison(data: object, levels: Mapping[str, Any], method: str) -> object:
    """A segment comparison: ranking estimates as in the level reports, contrasts renamed."""
    if not isinstance(data, Mapping):
        return data
    contrast_method = "BC" if method == "BCa" else method
    ranking = []
    for entry in data.get("ranking", ()):
        if isinstance(entry, Mapping):
            level = levels.get(str(entry.get("level")), {})
            entry = {
                **entry,
                **{
                    name: {**entry[name], "method": level.get(name, {}).get("method", "none")}
                    for name in ("spearman", "mean_absolute_gap")
                    if isinstance(entry.get(name), Mapping)
                },
            }
        ranking.append(entry)
    differences = []
    for entry in data.get("differences", ()):
        if isinstance(entry, Mapping) and "level_a" in entry:
            statistic = entry.get("statistic")
            scalar = statistic in ("spearman", "mean_absolute_gap")
            entry = {
                "a": entry.get("level_a"),
                "b": entry.get("level_b"),
                "statistic": statistic if scalar else "gap",
                "item": None if scalar else statistic,
                "difference": _estimate(entry.get("difference"), contrast_method),
                "p_value": entry.get("p_value"),
                "p_adjusted": entry.get("p_adjusted"),
            }
        differences.append(entry)
    return {**data, "ranking": ranking, "differences": differences}

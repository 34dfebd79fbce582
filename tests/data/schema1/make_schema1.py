"""Write the frozen schema-1 reports that tests/test_serialise.py reads back.

These files were written by perceptiongap 0.1.0.dev0 (commit 7662b4d, the last release with
report schema ``perceptiongap.GapReport/1``); they must keep loading in every later version.
To regenerate them, check out that commit and run ``python tests/data/schema1/make_schema1.py``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import perceptiongap as pg

HERE = Path(__file__).parent


def main() -> None:
    warnings.simplefilter("ignore")
    rs = pg.datasets.load_example()
    reports = {
        "segments_bca.json": pg.compare(
            rs, "customer", "business", n_resamples=300, n_permutations=300, rng=1,
            segments=("generation",),
        ),
        "percentile_untested.json": pg.compare(
            rs, "customer", "business", n_resamples=200, n_permutations=0, method="percentile",
            rng=2,
        ),
        "summary.json": pg.compare(pg.datasets.load_published(), "customer", "business",
                                   n_resamples=300, rng=3),
    }  # fmt: skip
    for name, report in reports.items():
        (HERE / name).write_text(report.to_json(), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Render the README figures of the bundled example into ``docs/images/``.

Seeded: ``python scripts/render_readme_figures.py`` draws the same pictures every time
(``gaps.png``, ``ranks.png``, ``segments.png``). Needs the ``plot`` extra (matplotlib).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no window, works without a display
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

import perceptiongap as pg
from perceptiongap import plot

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
N_RESAMPLES = 2000


def main() -> None:
    """Compute the example report and write the three figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # Segment breakdowns may warn by design (a small level); the figures do not need it.
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        report = pg.compare(
            pg.datasets.load_example(),
            "customer",
            "business",
            n_resamples=N_RESAMPLES,
            rng=SEED,
            segments=("generation",),
        )
    figures = {
        "gaps.png": plot.gaps(report),
        "ranks.png": plot.ranks(report),
        "segments.png": plot.segments(report, "generation"),
    }
    for filename, ax in figures.items():
        figure = ax.figure
        if not isinstance(figure, Figure):  # narrows Figure | SubFigure: these are top level
            raise TypeError(f"{filename}: expected a top-level Figure")
        path = args.output / filename
        # No "Software" tag: the file then depends only on the picture, not the version string.
        figure.savefig(path, dpi=args.dpi, metadata={"Software": None})
        plt.close(figure)
        print(path)


if __name__ == "__main__":
    main()

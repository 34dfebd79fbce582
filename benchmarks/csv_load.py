"""Benchmark loading a large survey CSV: ``ResponseSet.from_csv`` against ``pandas.read_csv``.

Usage::

    python benchmarks/csv_load.py                 # 2,000,000 rows (about 80 MB), 3 repeats
    python benchmarks/csv_load.py --rows 20000    # a quick run (CI smoke-runs it this way)

The file is generated once with a fixed seed: a group column, a segment column, 14 Likert items
(1-5) with about 5% empty cells, and a free-text column that is ignored. Both readers load the
same file, each in a fresh subprocess per run, so that the peak resident memory
(``getrusage(RUSAGE_SELF).ru_maxrss``) is measured above that interpreter's resident set
after imports, before reading; the memory beyond the result is that peak minus the bytes of
what the reader returns (our arrays, pandas' frame), per byte of the file (on small files
the few megabytes of fixed buffers dominate it). Times are medians of ``--repeat`` runs.
pandas reads the whole file with its C parser and default options (every column, ignored
ones included); ours validates every cell against the questionnaire.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

K = 14

CHILD = """
import json, os, resource, sys, time
import numpy as np
which, path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
if which == "ours":
    import perceptiongap as pg
    q = pg.Questionnaire(
        items=[f"q{j + 1}" for j in range(k)], scale=pg.Likert(low=1, high=5),
        groups=("customer", "business"), segments={"generation": ("GenY", "GenX", "Boomer")},
    )
    read = lambda: pg.ResponseSet.from_csv(path, q, group="group")
    kept = lambda rs: rs.values.nbytes + rs.group_codes.nbytes + sum(
        codes.nbytes for codes in rs.segment_codes.values()
    )
else:
    import pandas as pd
    read = lambda: pd.read_csv(path)
    kept = lambda frame: int(frame.memory_usage(deep=True).sum())
def resident():  # the resident set now, in KiB (Linux)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024
base = resident()  # after imports: what the interpreter holds before reading
start = time.perf_counter()
result = read()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
print(json.dumps({"seconds": seconds, "peak_mib": peak / 1024, "kept_mib": kept(result) / 2**20}))
"""


def make_csv(path: Path, rows: int, seed: int = 2011) -> None:
    """Write the seeded survey file, in slices so that generating it stays lean."""
    rng = np.random.default_rng(seed)
    header = ["group", "generation", "comment", *[f"q{j + 1}" for j in range(K)]]
    groups = np.array(["customer", "business"])
    generations = np.array(["GenY", "GenX", "Boomer"])
    answers = np.array(["", "1", "2", "3", "4", "5"])
    comments = np.array(["", "", "", "ok", "too slow", "great service"])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            codes = rng.integers(1, 6, (n, K))
            codes[rng.random((n, K)) < 0.05] = 0
            columns = [
                groups[(rng.random(n) < 0.25).astype(int)],
                generations[rng.integers(0, 3, n)],
                comments[rng.integers(0, 6, n)],
                *(answers[codes[:, j]] for j in range(K)),
            ]
            handle.write("\n".join(",".join(row) for row in zip(*columns, strict=True)) + "\n")


def run(which: str, path: Path) -> dict[str, float]:
    """One load in a fresh interpreter: its time and peak memory beyond its baseline."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(path), str(K)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=2_000_000, help="data rows in the file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader (median time)")
    parser.add_argument("--file", type=Path, default=None, help="keep the file here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.file or Path(folder) / "survey.csv"
        if not path.exists():
            make_csv(path, args.rows)
        size = path.stat().st_size / 2**20
        print(f"file: {args.rows:,} rows, {size:.1f} MiB ({path.name})")
        results = {}
        for which in ("ours", "pandas"):
            runs = [run(which, path) for _ in range(args.repeat)]
            results[which] = (
                statistics.median(r["seconds"] for r in runs),
                max(r["peak_mib"] for r in runs),
                runs[0]["kept_mib"],
            )
        ours, pandas = results["ours"], results["pandas"]
        print(
            f"{'reader':<22}{'time (s)':>10}{'peak memory (MiB)':>20}{'x file':>8}"
            f"{'result (MiB)':>14}{'beyond result':>15}"
        )
        for name, (seconds, peak, kept) in (
            ("ResponseSet.from_csv", ours),
            ("pandas.read_csv", pandas),
        ):
            print(
                f"{name:<22}{seconds:>10.2f}{peak:>20.0f}{peak / size:>8.1f}{kept:>14.0f}"
                f"{(peak - kept) / size:>13.1f} x"
            )
        print(
            f"{'ratio ours / pandas':<22}{ours[0] / pandas[0]:>10.2f}{ours[1] / pandas[1]:>20.2f}"
        )
        print(
            "peak memory: resident set above the interpreter's after imports; result: the "
            "arrays (ours) or the frame (pandas) kept; beyond result: (peak - result) / file size"
        )


if __name__ == "__main__":
    main()

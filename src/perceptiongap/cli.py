"""The ``perceptiongap`` command line: parse arguments, call compare(), render. No statistics here.

Exit status: 0 on success, 2 on bad input or usage (one line on stderr naming the file, row,
column and value at fault; never a traceback).
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from . import (
    GapReport,
    PerceptionGapError,
    Perspectives,
    Questionnaire,
    ResponseSet,
    compare,
    compare_many,
    datasets,
)

__all__ = ["EXAMPLE_SEED", "main"]

#: The seed of ``perceptiongap example`` when ``--seed`` is not given, so that its output is
#: the same on every machine and matches the README.
EXAMPLE_SEED = 7

_FORMATS: dict[str, Callable[[GapReport | Perspectives], str]] = {
    "text": str,
    "markdown": lambda result: result.to_markdown(),
    "html": lambda result: result.to_html(full_page=True),
    "json": lambda result: (
        result.to_json()
        if isinstance(result, GapReport)
        else json.dumps(result.to_dict(), indent=2)
    ),
    "csv": lambda result: (
        result.to_csv() if isinstance(result, GapReport) else _csv_of(list(result.values()))
    ),
}


def _csv_of(reports: list[GapReport]) -> str:
    """The tidy rows of several reports under one header (each row names its groups)."""
    texts = [report.to_csv().splitlines() for report in reports]
    return "\n".join([texts[0][0], *(row for text in texts for row in text[1:])])


def _page(title: str, body: str) -> str:
    """A whole HTML page around `body` (already escaped)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>"
    )


def _add_analysis_options(parser: argparse.ArgumentParser, *, seed_default: str) -> None:
    parser.add_argument(
        "--format", choices=sorted(_FORMATS), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--resamples",
        type=int,
        default=10_000,
        metavar="N",
        help="bootstrap resamples and permutations (default: 10000; 0: point estimates only)",
    )
    parser.add_argument(
        "--permutations",
        type=int,
        default=None,
        metavar="N",
        help="permutations behind the p-values (default: as many as --resamples)",
    )
    parser.add_argument(
        "--method",
        choices=("auto", "percentile", "basic", "BCa"),
        default="auto",
        help="confidence interval method: auto (each statistic's validated procedure; the default) "
        "or one bootstrap method for every statistic",
    )
    parser.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        metavar="LEVEL",
        help="confidence level of the intervals, between 0 and 1 (default: 0.95)",
    )
    parser.add_argument(
        "--p-adjust",
        choices=("holm", "bh", "none"),
        default="holm",
        help="multiplicity adjustment of the per-item p-values (default: holm)",
    )
    parser.add_argument(
        "--segment",
        action="append",
        default=[],
        metavar="NAME",
        help="break the comparison down by this segment variable (repeatable)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help=f"random seed; the same seed reproduces the report exactly ({seed_default})",
    )
    parser.add_argument(
        "--plot",
        type=Path,
        default=None,
        metavar="FILE",
        help="also draw the gap chart to FILE (.png or .svg; needs the plot extra)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the report to FILE instead of standard output",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perceptiongap",
        description="Measure the gap between what one group thinks another wants and what that "
        "group actually wants (say, businesses vs their customers).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    example = commands.add_parser(
        "example",
        help="run the analysis on the bundled IBM 2011 example",
        description="Print the report for the bundled simulated respondents, then for the "
        "published IBM 2011 table.",
    )
    example.add_argument(
        "--weighted", action="store_true", help="use the simulated respondents' survey weights"
    )
    _add_analysis_options(example, seed_default=f"default: {EXAMPLE_SEED}")
    report = commands.add_parser(
        "report",
        help="analyse a CSV file of survey responses",
        description="Compare two groups of a CSV file of responses: one row per respondent, "
        "item columns named by item id.",
    )
    report.add_argument(
        "data", type=Path, metavar="DATA.csv", help="responses, one row per respondent"
    )
    report.add_argument(
        "--questionnaire",
        "-q",
        type=Path,
        required=True,
        metavar="Q",
        help="questionnaire file (.toml or .json)",
    )
    report.add_argument(
        "--group", required=True, metavar="COL", help="column holding each respondent's group"
    )
    report.add_argument(
        "--reference",
        required=True,
        metavar="A",
        help="the group whose answers are the truth (say customer)",
    )
    report.add_argument(
        "--comparison",
        required=True,
        action="append",
        metavar="B",
        help="the group whose perception is assessed (say business); repeat it to compare "
        "several perspectives with the reference and with each other",
    )
    report.add_argument(
        "--weight", default=None, metavar="COL", help="column of survey weights (positive numbers)"
    )
    _add_analysis_options(report, seed_default="default: a fresh seed, recorded in the report")
    return parser


def _options(args: argparse.Namespace) -> dict[str, object]:
    return {
        "confidence_level": args.confidence,
        "n_resamples": args.resamples,
        "n_permutations": args.permutations,
        "method": args.method,
        "rng": args.seed,
        "p_adjust": args.p_adjust,
        "segments": tuple(args.segment),
    }


def _progress_line(done: int, total: int) -> None:
    """A progress line on standard error (only used when it is a terminal)."""
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\rresampling {done / max(total, 1):4.0%} ({done:,} of {total:,}){end}")
    sys.stderr.flush()


def _combine(format_name: str, parts: list[tuple[str, str, GapReport]]) -> str:
    """Several reports in one output (the example prints two)."""
    if format_name == "json":
        return "[\n" + ",\n".join(report.to_json() for _, _, report in parts) + "\n]"
    if format_name == "csv":
        lines = []
        for index, (key, _, report) in enumerate(parts):
            rows = report.to_csv().splitlines()
            if index == 0:
                lines.append("dataset," + rows[0])
            lines += [f"{key},{row}" for row in rows[1:]]
        return "\n".join(lines)
    if format_name == "html":
        body = "\n".join(
            f"<h2>{html.escape(title)}</h2>\n{report.to_html()}" for _, title, report in parts
        )
        return _page("perceptiongap example", body)
    if format_name == "markdown":
        return "\n".join(f"# {title}\n\n{report.to_markdown()}" for _, title, report in parts)
    rule = "=" * 80
    return "\n\n".join(f"{rule}\n{title}\n{rule}\n{report}" for _, title, report in parts)


def _package_version() -> str:
    from . import __version__

    return str(__version__)


def _run(args: argparse.Namespace) -> tuple[str, GapReport]:
    options = _options(args)
    if sys.stderr.isatty():
        options["progress"] = _progress_line
    if args.command == "example":
        if args.seed is None:
            options["rng"] = EXAMPLE_SEED  # the example is reproducible unless asked otherwise
        example = datasets.load_example(weighted=args.weighted)
        simulated = compare(example, "customer", "business", **options)  # type: ignore[arg-type]
        options["segments"] = ()  # the published table has no respondents to segment
        published = compare(datasets.load_published(), "customer", "business", **options)  # type: ignore[arg-type]
        parts = [
            (
                "simulated",
                "Simulated respondents (bundled example; marginals match the IBM table)",
                simulated,
            ),
            ("published", "The published IBM 2011 table (summary data)", published),
        ]
        return _combine(args.format, parts), simulated
    q = Questionnaire.from_file(args.questionnaire)
    responses = ResponseSet.from_csv(args.data, q, group=args.group, weight=args.weight)
    if len(args.comparison) == 1:
        report = compare(responses, args.reference, args.comparison[0], **options)  # type: ignore[arg-type]
        return _FORMATS[args.format](report), report
    if args.plot is not None:
        raise PerceptionGapError("--plot draws one comparison; give a single --comparison.")
    views = compare_many(responses, args.reference, args.comparison, **options)  # type: ignore[arg-type]
    return _FORMATS[args.format](views), next(iter(views.values()))


def _plot(report: GapReport, path: Path) -> None:
    """Draw the gap chart to a file (matplotlib, imported only now)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no window, works without a display
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "--plot needs matplotlib; install it with: pip install 'perceptiongap[plot]'"
        ) from None
    from matplotlib.figure import Figure

    from .plot import gaps

    ax = gaps(report)
    figure = ax.figure
    root = figure if isinstance(figure, Figure) else figure.figure
    root.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(root)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            # Warnings are part of the report text; do not print them twice.
            warnings.simplefilter("ignore")
            text, report = _run(args)
            if args.plot is not None:
                _plot(report, args.plot)
    except PerceptionGapError as exc:
        print(f"perceptiongap: error: {exc}", file=sys.stderr)
        return 2
    except (TypeError, ImportError) as exc:  # a wrong argument type; a missing extra
        print(f"perceptiongap: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the plot file cannot be written
        print(
            f"perceptiongap: error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr
        )
        return 2
    if args.output is not None:
        try:
            args.output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            print(
                f"perceptiongap: error: cannot write {args.output}: {exc.strerror}",
                file=sys.stderr,
            )
            return 2
    else:
        sys.stdout.write(text + "\n")
    return 0

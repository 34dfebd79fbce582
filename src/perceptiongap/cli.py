"""The ``perceptiongap`` command line: parse arguments, call compare(), render. No statistics here.

Exit status: 0 on success; 2 on bad input, bad usage or any other failure, with one line on
standard error naming the file, row, column and value at fault (never a traceback, also for
running out of memory or an unexpected internal error, which asks to be reported); 130 when
interrupted (Ctrl-C), with the line ``perceptiongap: interrupted``; 141, silently, when the
reader of standard output goes away early (``perceptiongap example | head``), the status a
process killed by SIGPIPE reports.

Nothing is written unless the whole run succeeded: the report and the figure are rendered
in memory, then written to temporary files in their directories and renamed into place
together. ``--output`` and ``--plot`` are checked before the analysis starts (not a
directory, an existing directory, a known figure type).

Set the environment variable ``PERCEPTIONGAP_DEBUG=1`` to get the full traceback of any
failure instead of the one-line message (to debug, or to report a bug).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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
from .render import check_output_path, text_safe, write_files

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


_EPILOG = (
    "Exit status: 0 success; 2 bad input or any other failure (one line on standard error); "
    "130 interrupted; 141 standard output closed early. Set PERCEPTIONGAP_DEBUG=1 to see the "
    "traceback of a failure."
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
        help="also draw the gap chart to FILE (.png, .svg, .pdf, .jpg or .webp; needs the "
        "plot extra)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the report to FILE instead of standard output (FILE and the --plot file "
        "are written only if the whole run succeeds)",
    )


_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def _amount(text: str, *, lift: bool) -> int | None:
    """A count or a size: ``1000``, ``512M``, ``2GiB`` (binary units); ``none`` lifts a limit."""
    value = text.strip().lower()
    if lift and value == "none":
        return None
    number = value.removesuffix("ib").removesuffix("b")
    unit = number[-1:] if number[-1:] in _UNITS else ""
    digits = number[: len(number) - len(unit)]
    if not digits.isdigit() or not digits.isascii() or int(digits) == 0:
        allowed = "a positive whole number" + (" or 'none'" if lift else "")
        raise argparse.ArgumentTypeError(
            f"expected {allowed}, optionally with K, M, G or T (binary units); got {text!r}"
        )
    return int(digits) * _UNITS[unit]


def _size(text: str) -> int | None:
    return _amount(text, lift=False)


def _limit(text: str) -> int | None:
    return _amount(text, lift=True)


def _add_limit_options(parser: argparse.ArgumentParser, *, files: bool) -> None:
    """The resource limits (see the docs page "Security and robustness")."""
    parser.add_argument(
        "--max-memory",
        type=_size,
        default=256 * 2**20,
        metavar="SIZE",
        help="memory the resampling may use, such as 1G (default: 256M); never changes results",
    )
    parser.add_argument(
        "--max-level-pairs",
        type=_limit,
        default=5_000,
        metavar="N",
        help="most pairs of segment levels compared, or 'none' (default: 5000)",
    )
    if files:
        parser.add_argument(
            "--max-bytes",
            type=_limit,
            default=2**33,
            metavar="SIZE",
            help="largest data file read, or 'none' (default: 8G)",
        )
        parser.add_argument(
            "--max-field",
            type=_limit,
            default=2**20,
            metavar="N",
            help="longest cell of the data file, in characters, or 'none' (default: 1M)",
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perceptiongap",
        description="Measure the gap between what one group thinks another wants and what that "
        "group actually wants (say, businesses vs their customers).",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    example = commands.add_parser(
        "example",
        help="run the analysis on the bundled IBM 2011 example",
        description="Print the report for the bundled simulated respondents, then for the "
        "published IBM 2011 table.",
        epilog=_EPILOG,
    )
    example.add_argument(
        "--weighted", action="store_true", help="use the simulated respondents' survey weights"
    )
    _add_analysis_options(example, seed_default=f"default: {EXAMPLE_SEED}")
    _add_limit_options(example, files=False)
    report = commands.add_parser(
        "report",
        help="analyse a CSV file of survey responses",
        description="Compare two groups of a CSV file of responses: one row per respondent, "
        "item columns named by item id.",
        epilog=_EPILOG,
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
    _add_limit_options(report, files=True)
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
        "max_memory": args.max_memory,
        "max_level_pairs": args.max_level_pairs,
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
    responses = ResponseSet.from_csv(
        args.data,
        q,
        group=args.group,
        weight=args.weight,
        max_bytes=args.max_bytes,
        max_field=args.max_field,
    )
    if len(args.comparison) == 1:
        report = compare(responses, args.reference, args.comparison[0], **options)  # type: ignore[arg-type]
        return _FORMATS[args.format](report), report
    views = compare_many(responses, args.reference, args.comparison, **options)  # type: ignore[arg-type]
    return _FORMATS[args.format](views), next(iter(views.values()))


#: The file types ``--plot`` writes (matplotlib's raster and vector formats that need
#: neither LaTeX nor an extra library).
PLOT_SUFFIXES = (".jpeg", ".jpg", ".pdf", ".png", ".svg", ".webp")

#: Set this environment variable to 1 to get the full traceback of an unexpected error
#: instead of the one-line message.
DEBUG_VARIABLE = "PERCEPTIONGAP_DEBUG"

#: Exit statuses: success, bad input or usage (and any other failure), Ctrl-C, and a reader
#: that closed standard output early (``perceptiongap example | head``), as for SIGPIPE.
EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 2, 130, 141


def _import_pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend (files only: no window, no display needed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "--plot needs matplotlib; install it with: pip install 'perceptiongap[plot]'"
        ) from None
    return plt


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse a bad --output or --plot before any work is done."""
    outputs = [path for path in (args.output, args.plot) if path is not None]
    if args.output is not None:
        check_output_path(args.output, what="--output")
    if args.plot is not None:
        if args.command == "report" and len(args.comparison) > 1:
            raise PerceptionGapError("--plot draws one comparison; give a single --comparison.")
        check_output_path(args.plot, suffixes=PLOT_SUFFIXES, what="--plot")
        if args.output is not None and os.path.abspath(args.output) == os.path.abspath(args.plot):
            raise PerceptionGapError(f"--output and --plot name the same file, {args.plot}.")
        _import_pyplot()
    inputs = [args.data, args.questionnaire] if args.command == "report" else []
    for output in outputs:
        for source in inputs:
            if output.exists() and source.exists() and os.path.samefile(output, source):
                raise PerceptionGapError(f"{output}: the output would overwrite an input file.")


def _figure(report: GapReport, path: Path) -> bytes:
    """The gap chart as the bytes of a file of `path`'s type (nothing is written here)."""
    plt = _import_pyplot()
    from matplotlib.figure import Figure

    from .plot import gaps

    ax = gaps(report)
    figure = ax.figure
    root = figure if isinstance(figure, Figure) else figure.figure
    buffer = io.BytesIO()
    try:
        root.savefig(buffer, format=path.suffix.lower()[1:], dpi=150, bbox_inches="tight")
    finally:
        plt.close(root)
    return buffer.getvalue()


#: How the command line spells the options that the library's limit messages name.
_FLAGS = {
    "`max_memory`": "--max-memory",
    "`max_level_pairs`": "--max-level-pairs",
    "`n_resamples`": "--resamples",
    "max_bytes=None": "--max-bytes none",
    "max_field=None": "--max-field none",
    "(max_bytes)": "(--max-bytes)",
    "(max_field)": "(--max-field)",
    "(None lifts the limit)": "('none' lifts the limit)",
}


def _describe(exc: BaseException) -> str:
    """One line about a failure, for standard error."""
    if isinstance(exc, (PerceptionGapError, ImportError, TypeError)):
        # Deliberate errors and a missing extra; a TypeError names the argument at fault.
        message = str(exc)
        for option, flag in _FLAGS.items():  # the library names its options; say the flags
            message = message.replace(option, flag)
    elif isinstance(exc, MemoryError):
        message = (
            "out of memory: the data or the requested work (--resamples, --segment) is too "
            "large for this machine"
        )
    elif isinstance(exc, RecursionError):
        message = "the input is nested too deeply to be read"
    elif isinstance(exc, UnicodeError):
        message = f"text that cannot be encoded or decoded: {exc}"
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        message = f"{exc.filename}: {reason}" if exc.filename is not None else reason
    else:
        message = (
            f"internal error ({type(exc).__name__}: {exc}); please report it with the command "
            f"line that caused it (set {DEBUG_VARIABLE}=1 to see the traceback)"
        )
    return text_safe(message)


def _silence_stdout() -> None:
    """After a broken pipe: point standard output at the null device, so that the
    interpreter's final flush does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _execute(args: argparse.Namespace) -> None:
    """Run the analysis, render every output in memory, then write them all or none."""
    _check_outputs(args)
    with warnings.catch_warnings():
        # Warnings are part of the report text; do not print them twice.
        warnings.simplefilter("ignore")
        text, report = _run(args)
        figure = _figure(report, args.plot) if args.plot is not None else None
    files: list[tuple[Path, str | bytes]] = []
    if args.output is not None:
        files.append((args.output, text + "\n"))
    if figure is not None:
        files.append((args.plot, figure))
    write_files(files)
    if args.output is None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    0: success; 2: bad input, bad usage or any other failure (one line on standard error);
    130: interrupted (Ctrl-C); 141: standard output was closed early (say by ``head``).
    """
    debug = os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")
    try:
        args = _parser().parse_args(argv)
        _execute(args)
    except SystemExit:
        raise  # argparse: --help, --version (status 0) and usage errors (status 2)
    except KeyboardInterrupt:
        if debug:
            raise
        print("perceptiongap: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except BaseException as exc:  # MemoryError and RecursionError included: one line, no traceback
        if debug:
            raise
        print(f"perceptiongap: error: {_describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK

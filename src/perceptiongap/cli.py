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
import contextlib
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
    InvalidArgumentError,
    PerceptionGapError,
    Perspectives,
    Questionnaire,
    ResponseSet,
    compare,
    compare_many,
    datasets,
)
from ._cli_parser import build_parser
from .render import check_output_path, check_path, text_safe, write_files

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
    # a questionnaire keeps its own (smaller) limit unless --max-bytes none lifts every limit
    lift: dict[str, Any] = {"max_bytes": None} if args.max_bytes is None else {}
    q = Questionnaire.from_file(args.questionnaire, **lift)
    responses = ResponseSet.from_csv(
        args.data,
        q,
        group=args.group,
        weight=args.weight,
        encoding=args.encoding,
        delimiter=args.delimiter,
        skip_rows=args.skip_rows,
        max_bytes=args.max_bytes,
        max_field=args.max_field,
    )
    responses = _select(responses, args.where, group=args.group)
    for name in (args.reference, *args.comparison):
        if args.where and responses.n.get(name, 1) == 0:
            shown = " ".join(f"--where {column}={value}" for column, value in args.where)
            raise PerceptionGapError(f"{shown} leaves no respondent of group {name!r}.")
    if len(args.comparison) == 1:
        report = compare(responses, args.reference, args.comparison[0], **options)  # type: ignore[arg-type]
        return _FORMATS[args.format](report), report
    views = compare_many(responses, args.reference, args.comparison, **options)  # type: ignore[arg-type]
    return _FORMATS[args.format](views), next(iter(views.values()))


def _select(
    responses: ResponseSet, conditions: Sequence[tuple[str, str]], *, group: str
) -> ResponseSet:
    """The respondents that ``--where`` keeps: ``COL=VALUE`` picks a level of segment COL;
    several levels of one COL are alternatives (OR), different COLs all apply (AND).

    Only segment columns can be selected: :meth:`ResponseSet.where` filters on segments, and
    other columns of the file are never read (``--reference`` and ``--comparison`` already
    pick the groups compared).
    """
    wanted: dict[str, list[str]] = {}
    for column, value in conditions:
        wanted.setdefault(column, [])
        if value not in wanted[column]:
            wanted[column].append(value)
    segments = responses.questionnaire.segments
    for column, values in wanted.items():
        shown = f"--where {column}={values[0]}"
        if column == group:
            raise PerceptionGapError(
                f"{shown}: {column!r} is the group column (--group); choose the groups to "
                "compare with --reference and --comparison instead."
            )
        if column not in segments:
            known = ", ".join(repr(name) for name in segments) or "none"
            raise PerceptionGapError(
                f"{shown}: {column!r} is not a segment of the questionnaire (its segments: "
                f"{known}); --where selects by segment, so declare the column as a segment "
                "with its levels in the questionnaire."
            )
    try:
        return responses.where(**wanted) if wanted else responses
    except InvalidArgumentError:
        for column, values in wanted.items():  # which condition: the one refused alone
            for value in values:
                try:
                    responses.where(**{column: value})
                except InvalidArgumentError as exc:
                    raise PerceptionGapError(
                        f"--where {column}={value}: {exc}{_several(responses, column, value)}"
                    ) from None
        raise


def _several(responses: ResponseSet, column: str, value: str) -> str:
    """A hint when `value` is levels joined by commas (``--where region=north,south``)."""
    parts = value.split(",")
    if len(parts) < 2:
        return ""
    try:
        responses.where(**{column: parts})
    except InvalidArgumentError:
        return ""
    repeated = " ".join(f"--where {column}={part}" for part in parts)
    return f" To keep several levels, repeat the flag: {repeated}."


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


def _check_paths(args: argparse.Namespace) -> None:
    """Refuse a bad file argument, and an --output or --plot that cannot be written, before
    any work is done (a probe file is created and removed in each output directory)."""
    if args.command == "report":
        args.data = check_path(args.data, what="the DATA.csv argument")
        args.questionnaire = check_path(args.questionnaire, what="--questionnaire")
    if args.output is not None:
        args.output = check_output_path(args.output, what="--output", probe=True)
    if args.plot is not None:
        if args.command == "report" and len(args.comparison) > 1:
            raise PerceptionGapError("--plot draws one comparison; give a single --comparison.")
        args.plot = check_output_path(args.plot, suffixes=PLOT_SUFFIXES, what="--plot", probe=True)
        if args.output is not None and os.path.abspath(args.output) == os.path.abspath(args.plot):
            raise PerceptionGapError(f"--output and --plot name the same file, {args.plot}.")
        _import_pyplot()
    outputs = [path for path in (args.output, args.plot) if path is not None]
    inputs = [args.data, args.questionnaire] if args.command == "report" else []
    for output in outputs:
        for source in inputs:
            with contextlib.suppress(OSError):  # a file that is not there, or a bad name
                if os.path.samefile(output, source):
                    raise PerceptionGapError(
                        f"{output}: the output would overwrite an input file."
                    )


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
    "`n_permutations`": "--permutations",
    "`confidence_level`": "--confidence",
    "`method`": "--method",
    "`p_adjust`": "--p-adjust",
    "`rng`": "--seed",
    "`segments`": "--segment",
    "`reference`": "--reference",
    "`comparison`": "--comparison",
    "`comparisons`": "--comparison",
    "`group`": "--group",
    "`weight`": "--weight",
    "`encoding`": "--encoding",
    "`delimiter`": "--delimiter",
    "`skip_rows`": "--skip-rows",
    "pass delimiter='\\t'": "pass --delimiter tab",
    "pass delimiter=": "pass --delimiter ",
    "`max_bytes`": "--max-bytes",
    "`max_field`": "--max-field",
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
    _check_paths(args)
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
        args = build_parser(formats=_FORMATS, example_seed=EXAMPLE_SEED).parse_args(argv)
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

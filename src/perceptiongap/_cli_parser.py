"""The command line's arguments: commands, options and their help, and usage errors.

A usage error (an unknown option, a missing argument, a value of the wrong type) is one line
on standard error, ``perceptiongap: error: <what> (see perceptiongap <command> --help)``, and
exit status 2, like every other failure of the command line (see :mod:`perceptiongap.cli`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from typing import NoReturn

from .render import text_safe

__all__ = ["build_parser"]


_EPILOG = (
    "Exit status: 0 success; 2 bad input or any other failure (one line on standard error); "
    "130 interrupted; 141 standard output closed early. Set PERCEPTIONGAP_DEBUG=1 to see the "
    "traceback of a failure."
)


def _add_analysis_options(
    parser: argparse.ArgumentParser, *, formats: Iterable[str], seed_default: str
) -> None:
    parser.add_argument(
        "--format", choices=sorted(formats), default="text", help="output format (default: text)"
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
        default=None,
        metavar="FILE",
        help="also draw the gap chart to FILE (.png, .svg, .pdf, .jpg or .webp; needs the "
        "plot extra)",
    )
    parser.add_argument(
        "--output",
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


#: The words ``--delimiter`` takes for characters that are awkward to type in a shell.
DELIMITER_WORDS = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|"}


def _delimiter(text: str) -> str:
    """One character, or a word for one (``tab``, ``semicolon``, ``comma``, ``pipe``, ``\\t``);
    the library refuses the characters that cannot separate fields (quotes, letters, ...)."""
    word = DELIMITER_WORDS.get(text.strip().lower())
    if word is not None:
        return word
    if len(text) != 1:
        raise argparse.ArgumentTypeError(
            f"expected one character or one of tab, semicolon, comma, pipe (or \\t); got {text!r}"
        )
    return text


def _condition(text: str) -> tuple[str, str]:
    """``COL=VALUE``: a segment column and one of its levels (split at the first ``=``)."""
    column, equals, value = text.partition("=")
    if not equals or not column.strip():
        raise argparse.ArgumentTypeError(f"expected COL=VALUE, such as region=north; got {text!r}")
    return column.strip(), value


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    """How the data file is read, and which of its rows are analysed."""
    parser.add_argument(
        "--delimiter",
        type=_delimiter,
        default=",",
        metavar="CHAR",
        help="field separator of DATA.csv: one character, or tab, semicolon, comma, pipe "
        "(\\t is a tab too) (default: comma)",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8-sig",
        metavar="NAME",
        help="text encoding of DATA.csv, such as utf-8, utf-16 or cp1252 (default: utf-8, "
        "with or without a byte-order mark)",
    )
    parser.add_argument(
        "--skip-rows",
        type=int,
        default=0,
        metavar="N",
        help="rows under the header that are not data, such as the 2 rows of question text "
        "and import ids in a Qualtrics export (default: 0); row numbers in messages still "
        "count them",
    )
    parser.add_argument(
        "--where",
        type=_condition,
        action="append",
        default=[],
        metavar="COL=VALUE",
        help="analyse only the respondents at this level of segment COL (repeatable: the "
        "same COL again adds a level, another COL narrows further); a group that does not "
        "record COL is kept whole",
    )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, as every other failure."""

    def error(self, message: str) -> NoReturn:
        _usage_error(self.prog, message)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:  # point at the help of the command the arguments were given to
            command = getattr(parsed, "command", None)
            prog = f"{self.prog} {command}" if command else self.prog
            _usage_error(prog, f"unrecognized arguments: {' '.join(extras)}")
        return parsed


def _usage_error(prog: str, message: str) -> NoReturn:
    """Exit with status 2 (that of every failure) and one line; the message may quote a
    value the user typed, so it is escaped."""
    sys.stderr.write(f"perceptiongap: error: {text_safe(message)} (see {prog} --help)\n")
    raise SystemExit(2)


def build_parser(*, formats: Iterable[str], example_seed: int) -> argparse.ArgumentParser:
    """The parser of ``perceptiongap``: its commands, options, help and usage errors.

    Parameters
    ----------
    formats : iterable of str
        The names of the output formats (``--format``).
    example_seed : int
        The seed of ``perceptiongap example`` when ``--seed`` is not given.

    Returns
    -------
    argparse.ArgumentParser
        A parser whose usage errors print one line and exit with status 2.

    Examples
    --------
    >>> from perceptiongap._cli_parser import build_parser
    >>> parser = build_parser(formats=["text"], example_seed=7)
    >>> parser.parse_args(["example", "--resamples", "0"]).resamples
    0
    """
    parser = _Parser(
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
    _add_analysis_options(example, formats=formats, seed_default=f"default: {example_seed}")
    _add_limit_options(example, files=False)
    report = commands.add_parser(
        "report",
        help="analyse a CSV file of survey responses",
        description="Compare two groups of a CSV file of responses: one row per respondent, "
        "item columns named by item id.",
        epilog=_EPILOG,
    )
    report.add_argument("data", metavar="DATA.csv", help="responses, one row per respondent")
    report.add_argument(
        "--questionnaire",
        "-q",
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
    _add_reading_options(report)
    _add_analysis_options(
        report, formats=formats, seed_default="default: a fresh seed, recorded in the report"
    )
    _add_limit_options(report, files=True)
    return parser


def _package_version() -> str:
    from . import __version__

    return str(__version__)

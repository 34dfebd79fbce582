"""The perceptiongap command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import perceptiongap as pg
from perceptiongap.cli import main
from perceptiongap.datasets import example_paths


def _report_args(data: Path, *extra: str) -> list[str]:
    return [
        "report", str(data), "--questionnaire", str(example_paths().questionnaire),
        "--group", "role", "--reference", "customer", "--comparison", "business", *extra,
    ]  # fmt: skip


def test_example_prints_both_reports(capsys: pytest.CaptureFixture[str]) -> None:
    """`perceptiongap example` prints the simulated-respondent and the published-table reports."""
    assert main(["example", "--resamples", "100", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Simulated respondents" in out
    assert "The published IBM 2011 table" in out
    assert out.count("Be part of a community") == 2


def test_report_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`report` prints text, and writes JSON that round-trips into the same report."""
    data = example_paths().responses
    assert main(_report_args(data, "--resamples", "100", "--seed", "5")) == 0
    assert "Spearman rho" in capsys.readouterr().out
    output = tmp_path / "report.json"
    assert (
        main(
            _report_args(
                data,
                "--resamples",
                "100",
                "--seed",
                "5",
                "--format",
                "json",
                "--output",
                str(output),
            )
        )
        == 0
    )
    report = pg.GapReport.from_json(output.read_text())
    q = pg.Questionnaire.from_file(example_paths().questionnaire)
    rs = pg.ResponseSet.from_csv(data, q, group="role")
    assert report == pg.compare(rs, "customer", "business", n_resamples=100, rng=5)


def test_options_reach_compare(tmp_path: Path) -> None:
    """--method, --confidence and --p-adjust are passed through."""
    output = tmp_path / "r.json"
    args = _report_args(
        example_paths().responses,
        "--resamples",
        "50",
        "--method",
        "percentile",
        "--confidence",
        "0.9",
        "--p-adjust",
        "bh",
        "--format",
        "json",
        "--output",
        str(output),
    )
    assert main(args) == 0
    data = json.loads(output.read_text())
    assert (data["method"], data["confidence_level"], data["p_adjust"]) == (
        "percentile",
        0.9,
        "bh",
    )


def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad cell exits with status 2 and one stderr line naming file, row, column and value."""
    lines = example_paths().responses.read_text().splitlines()
    lines[5] = lines[5].replace(",customer,", ",custmer,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    assert main(_report_args(bad, "--resamples", "10")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(bad) in err
    assert "row 6" in err
    assert "'role'" in err
    assert "'custmer'" in err


def test_bad_argument_value_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown group or a bad confidence level exits 2 with one line."""
    args = _report_args(example_paths().responses, "--resamples", "0")
    args[args.index("--comparison") + 1] = "board"
    assert main(args) == 2
    assert "--comparison must be one of" in capsys.readouterr().err
    assert main(["example", "--confidence", "2"]) == 2
    assert "--confidence must be a number between 0 and 1" in capsys.readouterr().err


def test_missing_file_and_bad_questionnaire_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing data file or a broken questionnaire exits 2 with one line naming the file."""
    assert main(_report_args(tmp_path / "missing.csv")) == 2
    assert "missing.csv" in capsys.readouterr().err
    q = tmp_path / "q.toml"
    q.write_text("groups = [")
    args = _report_args(example_paths().responses)
    args[args.index("--questionnaire") + 1] = str(q)
    assert main(args) == 2
    assert "q.toml" in capsys.readouterr().err


def test_help_documents_every_option() -> None:
    """`report --help` mentions every option."""
    result = subprocess.run(
        [sys.executable, "-m", "perceptiongap", "report", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in (
        "--questionnaire",
        "--group",
        "--reference",
        "--comparison",
        "--format",
        "--resamples",
        "--method",
        "--seed",
        "--output",
        "--confidence",
        "--p-adjust",
        "--delimiter",
        "--encoding",
        "--skip-rows",
        "--where",
    ):
        assert option in result.stdout


def test_python_dash_m_runs_without_traceback(tmp_path: Path) -> None:
    """`python -m perceptiongap` reports bad input on one line with exit status 2."""
    result = subprocess.run(
        [sys.executable, "-m", "perceptiongap", *_report_args(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_readme_excerpt_is_the_example_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Every line of the README's excerpt appears in `perceptiongap example` (seed 7 by default)."""
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.exists():
        pytest.skip("README.md is in the source repository")
    text = readme.read_text(encoding="utf-8")
    start = text.index("An excerpt of the first")
    block = text[
        text.index("```text\n", start) + 8 : text.index("```", text.index("```text\n", start) + 8)
    ]
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in block.splitlines() if line and line != "..."]
    assert len(lines) >= 8
    for line in lines:
        assert line in out


def _exported(tmp_path: Path, delimiter: str, encoding: str) -> Path:
    """The bundled example as an export would give it: another delimiter and encoding, a
    free-text column with accents, and two rows of question text and import ids under the
    header."""
    lines = example_paths().responses.read_text(encoding="utf-8").splitlines()
    rows = [f"{line},café crème" for line in lines]
    width = len(rows[0].split(","))
    rows[1:1] = [",".join(f'"Question {i}, in full"' for i in range(width)), "," * (width - 1)]
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join(rows).replace(",", delimiter).encode(encoding) + b"\r\n")
    return path


@pytest.mark.parametrize(
    ("word", "delimiter"), [("semicolon", ";"), ("tab", "\t"), ("\\t", "\t"), ("PIPE", "|")]
)
def test_reading_options_and_where_reach_the_library(
    tmp_path: Path, word: str, delimiter: str
) -> None:
    """--delimiter (a word or a character), --encoding, --skip-rows and --where give the report
    of the library reading the plain file and selecting with where(): the same column twice
    keeps either level, another column narrows further."""
    data = _exported(tmp_path, delimiter, "cp1252")
    output = tmp_path / "r.json"
    where = ["--where", "generation=GenX", "--where", "country=UK", "--where", "generation=GenY"]
    reading = ["--delimiter", word, "--encoding", "cp1252", "--skip-rows", "2", *where]
    args = _report_args(data, *reading, "--resamples", "50", "--seed", "3", "--format", "json")
    assert main([*args, "--output", str(output)]) == 0
    q = pg.Questionnaire.from_file(example_paths().questionnaire)
    rs = pg.ResponseSet.from_csv(example_paths().responses, q, group="role")
    selected = rs.where(generation=["GenX", "GenY"], country="UK")
    expected = pg.compare(selected, "customer", "business", n_resamples=50, rng=3)
    report = pg.GapReport.from_json(output.read_text())
    assert report == expected
    assert report.n["customer"] < rs.n["customer"]
    assert any("kept whole" in note.message for note in report.notes)


def test_a_single_character_delimiter_and_the_default_encoding(tmp_path: Path) -> None:
    """--delimiter takes the character itself; without --encoding the file is UTF-8 (a
    byte-order mark is skipped)."""
    data = _exported(tmp_path, ";", "utf-8-sig")
    args = _report_args(data, "--delimiter", ";", "--skip-rows", "2", "--resamples", "0")
    assert main(args) == 0

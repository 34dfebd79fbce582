"""The command line when something goes wrong: one line, a documented exit status, and
nothing written unless the whole run succeeded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import perceptiongap.cli as cli
from perceptiongap import _cli_parser
from perceptiongap.cli import main
from perceptiongap.datasets import example_paths

EXAMPLE = ["example", "--resamples", "0"]


def _listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the analysis runs (a bad output path must be refused before it)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compare() ran although an output path was bad")

    monkeypatch.setattr(cli, "compare", refuse)


@pytest.mark.parametrize(
    ("plot", "message"),
    [
        ("folder", "it is a directory"),
        ("chart", "--plot needs a file name with an extension; expected one of"),
        ("chart.xyz", "--plot cannot write '.xyz' files; expected one of"),
        ("missing/chart.png", "does not exist"),
    ],
)
def test_a_bad_plot_path_exits_2_before_the_analysis_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_analysis: None,
    plot: str,
    message: str,
) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "folder").mkdir()
    assert main([*EXAMPLE, "--plot", str(tmp_path / plot)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"perceptiongap: error: {tmp_path / plot}: ")
    assert message in line
    assert _listing(tmp_path) == ["folder"]
    assert _listing(tmp_path / "folder") == []


def test_a_bad_output_path_leaves_no_plot_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "chart.png"
    assert main([*EXAMPLE, "--plot", str(plot), "--output", str(tmp_path / "no" / "r.txt")]) == 2
    assert "does not exist" in _one_line(capsys.readouterr().err)
    assert _listing(tmp_path) == []


def test_a_failing_write_leaves_neither_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report and the figure are renamed into place together, after both are complete."""
    pytest.importorskip("matplotlib")
    import perceptiongap._files as files

    real = files.os.replace
    calls: list[object] = []

    def second_fails(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(source, target)

    monkeypatch.setattr(files.os, "replace", second_fails)
    output, plot = tmp_path / "r.txt", tmp_path / "chart.svg"
    assert main([*EXAMPLE, "--plot", str(plot), "--output", str(output)]) == 2
    assert "No space left on device" in _one_line(capsys.readouterr().err)
    assert _listing(tmp_path) == []  # the report renamed first was taken back


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_plot_and_output_are_written_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    pytest.importorskip("matplotlib")
    output, plot = tmp_path / "r.txt", tmp_path / f"chart{suffix.upper()}"
    assert main([*EXAMPLE, "--plot", str(plot), "--output", str(output)]) == 0
    assert capsys.readouterr().err == ""
    head = plot.read_bytes()[:200]
    assert {".png": b"\x89PNG", ".svg": b"<svg", ".pdf": b"%PDF"}[suffix] in head
    assert "Simulated respondents" in output.read_text(encoding="utf-8")
    assert _listing(tmp_path) == sorted([output.name, plot.name])


def test_an_output_may_not_overwrite_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_analysis: None
) -> None:
    data = tmp_path / "data.csv"
    data.write_bytes(example_paths().responses.read_bytes())
    args = [
        "report", str(data), "--questionnaire", str(example_paths().questionnaire),
        "--group", "role", "--reference", "customer", "--comparison", "business",
        "--output", str(data),
    ]  # fmt: skip
    assert main(args) == 2
    assert "would overwrite an input" in _one_line(capsys.readouterr().err)
    assert data.read_bytes() == example_paths().responses.read_bytes()


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (MemoryError(), "out of memory"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "cannot be"),
        (IsADirectoryError(21, "Is a directory", "data.csv"), "data.csv: Is a directory"),
        (RuntimeError("boom\nsecond line"), "internal error (RuntimeError: boom\\nsecond line)"),
    ],
)
def test_any_failure_is_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    message: str,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.delenv(cli.DEBUG_VARIABLE, raising=False)
    monkeypatch.setattr(cli, "compare", fail)
    assert main(EXAMPLE) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("perceptiongap: error: ")
    assert message in line


def test_the_debug_variable_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "compare", fail)
    monkeypatch.setenv(cli.DEBUG_VARIABLE, "1")
    with pytest.raises(RuntimeError, match="a bug"):
        main(EXAMPLE)


def test_ctrl_c_exits_130_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.delenv(cli.DEBUG_VARIABLE, raising=False)
    monkeypatch.setattr(cli, "compare", interrupt)
    assert main(EXAMPLE) == 130
    assert _one_line(capsys.readouterr().err) == "perceptiongap: interrupted"


def _python(code: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop(cli.DEBUG_VARIABLE, None)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, **kwargs
    )


def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    """Interrupted mid-analysis: status 130, one line, no traceback, no file written."""
    output = tmp_path / "r.txt"
    code = (
        "import perceptiongap.cli as cli\n"
        "def interrupt(*a, **k):\n"
        "    raise KeyboardInterrupt\n"
        "cli.compare = interrupt\n"
        f"raise SystemExit(cli.main(['example', '--resamples', '0', '--output', {str(output)!r}]))"
    )
    result = _python(code)
    assert result.returncode == 130
    assert _one_line(result.stderr) == "perceptiongap: interrupted"
    assert not output.exists()


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="POSIX pipes")
def test_a_closed_standard_output_is_not_a_traceback() -> None:
    """`perceptiongap example | head -1`: the reader goes away; exit 141 quietly."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop(cli.DEBUG_VARIABLE, None)
    code = (
        "import sys, perceptiongap.cli as cli\n"
        "sys.stdin.read()\n"  # wait until the test has closed the read end of stdout
        "raise SystemExit(cli.main(['example', '--resamples', '0']))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    assert process.stderr is not None
    process.stdout.close()
    process.stdin.close()
    status = process.wait(timeout=120)
    err = process.stderr.read().decode()
    process.stderr.close()
    assert err == ""
    assert status == 141


def test_help_documents_exit_statuses_and_the_debug_variable() -> None:
    result = _python("import perceptiongap.cli as c; c.main(['report', '--help'])")
    assert "PERCEPTIONGAP_DEBUG=1" in result.stdout
    assert "130" in result.stdout
    assert cli.__doc__ is not None
    assert "PERCEPTIONGAP_DEBUG" in cli.__doc__


def _report_args(*extra: str) -> list[str]:
    paths = example_paths()
    return [
        "report", str(paths.responses), "--questionnaire", str(paths.questionnaire),
        "--group", "role", "--reference", "customer", "--comparison", "business",
        "--resamples", "0", "--permutations", "0", *extra,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*EXAMPLE, "--resamples", "2000", "--max-memory", "4K"], "--max-memory=4.0 KiB"),
        ([*EXAMPLE, "--segment", "generation", "--max-level-pairs", "1"], "--max-level-pairs=1"),
        (
            _report_args("--max-bytes", "1K"),
            "more than the limit of 1024 (--max-bytes); pass --max-bytes none",
        ),
        (
            _report_args("--max-field", "2"),
            "longer than the limit of 2 characters (--max-field); pass --max-field none",
        ),
    ],
)
def test_the_limits_have_flags_and_their_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    assert message in _one_line(capsys.readouterr().err)


def test_none_lifts_a_limit_and_sizes_take_binary_units(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = _report_args("--max-bytes", "none", "--max-field", "NONE", "--max-memory", "1GiB")
    assert main(args) == 0
    assert "untested" in capsys.readouterr().out
    assert _cli_parser._amount("2G", lift=False) == 2 * 2**30
    assert _cli_parser._amount("512mib", lift=False) == 512 * 2**20
    assert _cli_parser._amount("none", lift=True) is None


@pytest.mark.parametrize("value", ["none", "0", "-5", "1.5G", "12X", "", "١٢"])
def test_a_bad_size_is_a_usage_error(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*EXAMPLE, "--max-memory", value])
    assert exit_info.value.code == 2
    assert "--max-memory" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["example", "--resamples", "many"], "example"),
        (["example", "--no-such-option"], "example"),
        (["report", "d.csv", "extra.csv"], "report"),
        (["example", "--format", "pdf"], "example"),
        (["report"], "report"),
        (["frobnicate"], ""),
        ([], ""),
    ],
)
def test_a_usage_error_is_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], command: str
) -> None:
    """No usage block: one line that says what is wrong and where the help is."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    line = _one_line(captured.err)
    assert captured.out == ""
    assert line.startswith("perceptiongap: error: ")
    assert line.endswith(f"(see {' '.join(['perceptiongap', command]).strip()} --help)")
    assert "usage:" not in line


def test_a_usage_error_shows_a_typed_value_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["example", "--format", "x\x1b[2Jy"])
    assert "'x\\x1b[2Jy'" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*EXAMPLE, "--confidence", "7"], "--confidence must be a number between 0 and 1"),
        ([*EXAMPLE, "--permutations", "-1"], "--permutations must be a non-negative integer"),
        ([*EXAMPLE, "--seed", "-1"], "--seed must be a non-negative integer seed"),
        ([*EXAMPLE, "--segment", "nope"], "--segment names 'nope'"),
        ([*EXAMPLE, "--segment", "generation", "--segment", "generation"], "--segment names"),
        (_report_args("--reference", "nobody"), "--reference must be one of"),
        (_report_args("--comparison", "customer"), "--comparison must name groups other than"),
        (_report_args("--comparison", "business"), "--comparison names 'business' twice"),
    ],
)
def test_messages_name_the_flags_not_the_library_options(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """A command-line user sees --confidence, not `confidence_level`."""
    assert main(args) == 2
    line = _one_line(capsys.readouterr().err)
    assert message in line
    assert "`" not in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*EXAMPLE, "--plot", ""], "--plot is empty; give a file name."),
        ([*EXAMPLE, "--output", " "], "--output is empty; give a file name."),
        (["report", "", *_report_args()[2:]], "the DATA.csv argument is empty; give a file name."),
        ([*_report_args(), "--questionnaire", ""], "--questionnaire is empty; give a file name."),
    ],
)
def test_an_empty_path_is_named_before_the_analysis(
    capsys: pytest.CaptureFixture[str], no_analysis: None, args: list[str], message: str
) -> None:
    """argparse's Path('') is '.', which once gave '.: cannot write it: it is a directory'."""
    assert main(args) == 2
    assert _one_line(capsys.readouterr().err) == f"perceptiongap: error: {message}"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_an_unwritable_output_directory_is_refused_before_the_analysis(
    capsys: pytest.CaptureFixture[str], no_analysis: None
) -> None:
    """/proc takes no new file, even from the superuser: refused up front by a probe file,
    not after the analysis."""
    assert main([*EXAMPLE, "--output", "/proc/report.txt"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("perceptiongap: error: /proc/report.txt: cannot write it: ")


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
def test_output_to_dev_stdout_through_a_pipe() -> None:
    """`perceptiongap example --output /dev/stdout | wc -c` writes the whole report."""
    code = "import perceptiongap.cli as c; raise SystemExit(c.main({args!r}))"
    args = [*EXAMPLE, "--format", "csv"]
    direct = _python(code.format(args=args))
    through = _python(code.format(args=[*args, "--output", "/dev/stdout"]))
    assert through.returncode == 0, through.stderr
    assert through.stderr == ""
    assert through.stdout == direct.stdout
    assert len(through.stdout) > 1000


def test_max_bytes_none_lifts_the_questionnaire_limit_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The messages of both readers say '--max-bytes none'; it must reach both."""
    seen: list[dict[str, object]] = []
    real = cli.Questionnaire.from_file

    def spy(path: object, **kwargs: object) -> object:
        seen.append(kwargs)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli.Questionnaire, "from_file", spy)
    assert main(_report_args("--max-bytes", "none")) == 0
    assert main(_report_args()) == 0
    assert seen == [{"max_bytes": None}, {}]
    capsys.readouterr()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            _report_args("--where", "generation=GenZ"),
            "--where generation=GenZ: unknown level 'GenZ' of segment 'generation'",
        ),
        (
            _report_args("--where", "generation=GenX,Boomer"),
            "To keep several levels, repeat the flag: --where generation=GenX "
            "--where generation=Boomer.",
        ),
        (
            _report_args("--where", "country=UK", "--where", "generation=GenX, GenY"),
            "--where generation=GenX, GenY: unknown level",
        ),
        (
            _report_args("--where", "role=customer"),
            "--where role=customer: 'role' is the group column (--group); choose the groups",
        ),
        (
            _report_args("--where", "respondent_id=c0001"),
            "--where respondent_id=c0001: 'respondent_id' is not a segment of the questionnaire "
            "(its segments: 'generation', 'country'); --where selects by segment",
        ),
        (
            _report_args("--where", "country=Canada", "--where", "generation=Boomer"),
            "--where country=Canada --where generation=Boomer leaves no respondent of group "
            "'business'.",
        ),
        (_report_args("--delimiter", "x"), "--delimiter must be one character other than"),
        (_report_args("--encoding", "klingon"), "--encoding 'klingon' is not a known"),
        (_report_args("--encoding", "utf-16"), "is not valid utf-16 text"),
        (_report_args("--skip-rows", "-1"), "--skip-rows must be a non-negative integer"),
        (_report_args("--delimiter", ";"), "looks comma-separated; pass --delimiter ','."),
    ],
)
def test_reading_and_selection_errors_name_their_flag(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """--where, --delimiter, --encoding and --skip-rows refusals are one line naming the flag
    (never the library's `delimiter`), and say what to do."""
    assert main(args) == 2
    line = _one_line(capsys.readouterr().err)
    assert message in line
    assert "`" not in line


def test_the_tab_hint_names_the_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tab-separated file read with commas is told to pass --delimiter tab (typing a tab in a
    shell is awkward)."""
    text = example_paths().responses.read_text(encoding="utf-8").replace(",", "\t")
    data = tmp_path / "survey.tsv"
    data.write_text(text, encoding="utf-8")
    assert main(["report", str(data), *_report_args()[2:]]) == 2
    assert "looks tab-separated; pass --delimiter tab." in _one_line(capsys.readouterr().err)
    assert main(["report", str(data), *_report_args("--delimiter", "tab")[2:]]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--delimiter", ";;"], "argument --delimiter: expected one character or one of tab"),
        (["--delimiter", ""], "argument --delimiter: expected one character"),
        (["--where", "generation"], "argument --where: expected COL=VALUE"),
        (["--where", "=GenX"], "argument --where: expected COL=VALUE"),
        (["--skip-rows", "two"], "argument --skip-rows: invalid int value"),
    ],
)
def test_malformed_reading_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """A value that is not of the flag's form is a one-line usage error naming the flag."""
    with pytest.raises(SystemExit) as exit_info:
        main(_report_args(*args))
    assert exit_info.value.code == 2
    assert message in _one_line(capsys.readouterr().err)

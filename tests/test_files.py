"""Writing files: one atomic writer behind every path the library writes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import perceptiongap as pg
from perceptiongap import _files
from perceptiongap._files import check_output_path, write_file, write_files


def _listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_writes_text_and_bytes_and_replaces_an_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_file(target, "new\nline")
    assert target.read_bytes() == b"new\nline"
    write_file(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert _listing(tmp_path) == ["b.bin", "out.txt"]


def test_a_lone_surrogate_is_written_as_its_escape(tmp_path: Path) -> None:
    write_file(tmp_path / "x.txt", "a\ud800b")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "a\\ud800b"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("folder", "it is a directory"),
        ("missing/out.txt", "the directory '{tmp}/missing' does not exist"),
        ("file.txt/out.txt", "the directory '{tmp}/file.txt' is not a directory"),
    ],
)
def test_refuses_a_directory_or_a_missing_parent(tmp_path: Path, name: str, message: str) -> None:
    """The error is an OutputPathError naming the path, and nothing is written."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("x")
    before = _listing(tmp_path)
    with pytest.raises(pg.OutputPathError, match="cannot write it") as caught:
        write_file(tmp_path / name, "data")
    assert message.format(tmp=tmp_path) in str(caught.value)
    assert caught.value.path == str(tmp_path / name)
    assert str(caught.value).startswith(str(tmp_path / name))
    assert _listing(tmp_path) == before


def test_refuses_an_unknown_or_missing_extension_listing_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(pg.OutputPathError, match=r"expected one of \.png, \.svg\.$"):
        check_output_path(tmp_path / "chart.xyz", suffixes=(".png", ".svg"), what="--plot")
    with pytest.raises(pg.OutputPathError, match="needs a file name with an extension"):
        check_output_path(tmp_path / "chart", suffixes=(".png", ".svg"), what="--plot")
    assert check_output_path(tmp_path / "chart.PNG", suffixes=(".png",)).name == "chart.PNG"


def test_refuses_an_empty_path_and_names_a_wrong_type() -> None:
    with pytest.raises(pg.InvalidArgumentError, match="`path` is empty"):
        write_file("", "x")
    with pytest.raises(TypeError, match=r"`path` must be a file path .*; got NoneType"):
        write_file(None, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got int"):
        write_file(0, "x")  # type: ignore[arg-type]


def _every_path_argument(tmp_path: Path) -> dict[str, object]:
    """Each public function or method that takes a path, as a function of that path."""
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    q = pg.datasets.load_example().questionnaire
    return {
        "from_csv": lambda path: pg.ResponseSet.from_csv(path, q),
        "from_file": lambda path: pg.Questionnaire.from_file(path),
        "to_csv": lambda path: report.to_csv(path),
        "to_file": lambda path: q.to_file(path),
        "write_file": lambda path: write_file(path, "x"),
    }


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        (None, TypeError, "`path` must be a file path (a str or os.PathLike); got NoneType."),
        (0, TypeError, "`path` must be a file path (a str or os.PathLike); got int."),
        (True, TypeError, "`path` must be a file path (a str or os.PathLike); got bool."),
        (3.5, TypeError, "`path` must be a file path (a str or os.PathLike); got float."),
        (b"x.csv", TypeError, "got bytes: decode it first, with os.fsdecode()."),
        ("", pg.InvalidArgumentError, "`path` is empty; give a file name."),
        ("  ", pg.InvalidArgumentError, "`path` is empty; give a file name."),
        ("a\0b.toml", pg.InvalidArgumentError, "`path` holds a NUL character ('a\\x00b.toml')"),
    ],
)
def test_every_path_argument_gets_the_same_check(
    tmp_path: Path, path: object, error: type[Exception], message: str
) -> None:
    """Readers and writers alike refuse a path that is not one naming `path` (never a bare
    'embedded null byte' or 'expected str, bytes or os.PathLike'); an int is never taken
    for a file descriptor (0 would read standard input)."""
    for name, call in _every_path_argument(tmp_path).items():
        if path is None and name == "to_csv":
            continue  # to_csv(None) returns the text without writing it
        with pytest.raises(error) as caught:
            call(path)  # type: ignore[operator]
        assert message in str(caught.value), name
    assert _listing(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file name limits")
def test_a_name_as_long_as_the_system_allows_is_written(tmp_path: Path) -> None:
    """The temporary file's name is short, so a 255-character name works; a longer one is an
    OutputPathError naming the system's reason, not a bare OSError from a path test."""
    longest = os.pathconf(tmp_path, "PC_NAME_MAX")
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    for length in (longest - 9, longest):
        target = tmp_path / ("x" * (length - 4) + ".csv")
        report.to_csv(target)
        assert target.read_text(encoding="utf-8") == report.to_csv()
    too_long = tmp_path / ("x" * longest + ".csv")
    for call in (lambda: report.to_csv(too_long), lambda: check_output_path(too_long)):
        with pytest.raises(pg.OutputPathError, match="cannot write it: File name too long"):
            call()
    assert len(_listing(tmp_path)) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file name limits")
def test_an_input_name_too_long_is_the_reader_s_error(tmp_path: Path) -> None:
    """A reader names the file and the system's reason, in its own error type."""
    name = str(tmp_path / ("x" * (os.pathconf(tmp_path, "PC_NAME_MAX") + 1)))
    q = pg.datasets.load_example().questionnaire
    with pytest.raises(pg.ResponseError, match="cannot read the file: File name too long"):
        pg.ResponseSet.from_csv(name + ".csv", q)
    with pytest.raises(pg.QuestionnaireError, match="cannot read the file: File name too long"):
        pg.Questionnaire.from_file(name + ".toml")


def test_a_directory_in_a_message_is_escaped_once(tmp_path: Path) -> None:
    """A missing directory named with a newline shows it as one escape, not two."""
    with pytest.raises(pg.OutputPathError) as caught:
        write_file(tmp_path / "a\nb" / "out.txt", "x")
    message = str(caught.value)
    assert message.endswith(f"the directory '{tmp_path}/a\\nb' does not exist.")
    assert "\\\\" not in message


def test_an_unwritable_directory_or_file_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The permission test comes first (a superuser passes it, so the command line also
    creates a probe file, see test_cli_failures)."""
    (tmp_path / "old.csv").write_text("old")
    monkeypatch.setattr(_files.os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(pg.OutputPathError, match=r"the directory '.*' is not writable"):
        check_output_path(tmp_path / "new.csv")
    monkeypatch.setattr(_files.os, "access", lambda path, mode: Path(path) == tmp_path)
    with pytest.raises(
        pg.OutputPathError, match=r"old\.csv: cannot write it: the file is read-only"
    ):
        write_file(tmp_path / "old.csv", "new")
    assert (tmp_path / "old.csv").read_text() == "old"
    assert _listing(tmp_path) == ["old.csv"]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_the_probe_finds_a_directory_that_refuses_new_files(tmp_path: Path) -> None:
    """/proc passes the permission test for the superuser but takes no new file."""
    assert check_output_path("/proc/report.txt").name == "report.txt"
    with pytest.raises(pg.OutputPathError, match=r"/proc/report\.txt: cannot write it: "):
        check_output_path("/proc/report.txt", probe=True)
    check_output_path(tmp_path / "report.txt", probe=True)
    assert _listing(tmp_path) == []  # the probe file is removed


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """Ctrl-C or a full disk while writing: the previous content stays, no debris."""
    target = tmp_path / "report.csv"
    target.write_text("previous")

    def fail(descriptor: int) -> None:
        raise failure

    monkeypatch.setattr(_files.os, "fsync", fail)
    expected = pg.OutputPathError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        write_file(target, "new", fsync=True)
    assert target.read_text() == "previous"
    assert _listing(tmp_path) == ["report.csv"]


def test_a_failed_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(source: object, target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_files.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "out.txt", "x")
    assert _listing(tmp_path) == []


def test_several_files_are_written_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad second path, or a failure while writing the second file, writes neither."""
    with pytest.raises(pg.OutputPathError):
        write_files([(tmp_path / "a.txt", "a"), (tmp_path / "no" / "b.txt", "b")])
    assert _listing(tmp_path) == []

    real_open = os.open
    calls = []

    def second_fails(path: str, flags: int, mode: int = 0o777) -> int:
        calls.append(path)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(_files.os, "open", second_fails)
    with pytest.raises(pg.OutputPathError, match=r"b\.txt: cannot write it: Permission denied"):
        write_files([(tmp_path / "a.txt", "a"), (tmp_path / "b.txt", "b")])
    assert _listing(tmp_path) == []


def test_a_failed_second_rename_undoes_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first file renamed into place is removed (new) or restored (replaced)."""
    old = tmp_path / "old.txt"
    old.write_text("previous")
    real = os.replace
    calls: list[object] = []

    def second_fails(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(source, target)

    monkeypatch.setattr(_files.os, "replace", second_fails)
    with pytest.raises(KeyboardInterrupt):
        write_files([(old, "new"), (tmp_path / "b.txt", "b")])
    assert old.read_text() == "previous"
    assert _listing(tmp_path) == ["old.txt"]
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        write_files([(tmp_path / "a.txt", "a"), (tmp_path / "b.txt", "b")])
    assert _listing(tmp_path) == ["old.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and symbolic links")
def test_keeps_the_mode_of_an_existing_file_and_follows_a_link(tmp_path: Path) -> None:
    target = tmp_path / "shared.txt"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_file(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_device_is_written_directly_not_replaced(tmp_path: Path) -> None:
    """``--output /dev/stdout`` or a named pipe is written to, never renamed over."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer won't block
    try:
        write_file(pipe, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert _listing(tmp_path) == ["pipe"]


_STDOUT_WRITER = """
import sys
import perceptiongap as pg
report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
report.to_csv(sys.argv[1])
"""


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
@pytest.mark.parametrize("target", ["/dev/stdout", "/proc/self/fd/1"])
def test_dev_stdout_is_written_when_standard_output_is_a_pipe(target: str) -> None:
    """/dev/stdout links to a pipe that has no name in a directory: it is written directly,
    not taken for a new file beside which a temporary file is created."""
    if target.startswith("/proc") and not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc")
    result = subprocess.run(
        [sys.executable, "-c", _STDOUT_WRITER, target],
        capture_output=True,  # standard output is a pipe
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    assert result.stdout.decode("utf-8") == report.to_csv()


def test_every_writer_of_the_library_goes_through_it(tmp_path: Path) -> None:
    """GapReport.to_csv(path) and Questionnaire.to_file refuse a directory by name."""
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    with pytest.raises(pg.OutputPathError, match="it is a directory"):
        report.to_csv(tmp_path)
    with pytest.raises(pg.OutputPathError, match="does not exist"):
        report.to_csv(tmp_path / "no" / "r.csv")
    report.to_csv(tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == report.to_csv()
    q = pg.datasets.load_example().questionnaire
    with pytest.raises(pg.OutputPathError, match="does not exist"):
        q.to_file(tmp_path / "no" / "q.toml")
    q.to_file(tmp_path / "q.toml")
    assert pg.Questionnaire.from_file(tmp_path / "q.toml") == q
    assert _listing(tmp_path) == ["q.toml", "r.csv"]

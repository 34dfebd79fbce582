"""Writing files: one atomic writer behind every path the library writes."""

from __future__ import annotations

import os
import stat
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
    with pytest.raises(pg.OutputPathError, match="empty"):
        write_file("", "x")
    with pytest.raises(TypeError, match=r"`path` must be a str or os\.PathLike; got NoneType"):
        write_file(None, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got int"):
        write_file(0, "x")  # type: ignore[arg-type]


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

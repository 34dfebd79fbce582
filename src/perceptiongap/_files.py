"""Paths and writing files: the one check of every path argument, and the one place where
perceptiongap writes a path, always atomically.

Every path the library takes, to read or to write, goes through :func:`check_path` first (a
str or os.PathLike of str, not empty, no NUL), so a wrong argument gets the same error
naming the parameter everywhere.

Every writer of the library (``GapReport.to_csv(path)``, ``Questionnaire.to_file``, the
command line's ``--output`` and ``--plot``) goes through :func:`write_files`. A file is first
written in full to a temporary file in the target directory and then renamed over the
target (``os.replace``, atomic on POSIX and Windows), so a reader never sees half a file and
a failure (an error, a full disk, Ctrl-C) leaves the previous file, if any, untouched and no
temporary file behind. Several files are written all or nothing: every one is complete on
disk before the first is renamed into place, and a failed rename undoes the earlier ones.

The target is checked first, with an :class:`~perceptiongap.OutputPathError` naming it: not
an existing directory, a parent directory that exists and may be written (and an existing
file that may be), when the caller says which file types it can write, a known extension,
and, on request, a probe file created and removed in the directory. A device or a pipe
(``/dev/null``, ``/dev/stdout`` whatever it points to, a named pipe) is written directly.
Temporary files have short names (``.pg-`` and 16 hexadecimal digits), so any name the file
system allows can be written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import InvalidArgumentError, OutputPathError

__all__ = ["StagedFile", "check_output_path", "check_path", "write_file", "write_files"]

PathArg = str | os.PathLike[str]


def check_path(path: object, *, what: str = "`path`") -> str:
    """Check a path argument, read or written; return it as a str.

    The one check behind every path the library takes (``ResponseSet.from_csv``,
    ``Questionnaire.from_file`` and ``to_file``, ``GapReport.to_csv``, the command line's
    files): a str or os.PathLike of str, neither empty nor holding a NUL character.

    Parameters
    ----------
    path : str or os.PathLike
        The path as given.
    what : str
        How the messages name the argument (``"`path`"``, ``"--plot"``).

    Returns
    -------
    str
        The path, as text (``os.fspath``); ``~`` is left as it is (a library must not
        expand it).

    Raises
    ------
    TypeError
        `path` is not a str or os.PathLike of str: None, an int (a file descriptor such as
        0, standard input, is never taken for a path), a bool, bytes.
    InvalidArgumentError
        `path` is empty or blank, or holds a NUL character (no file system allows one).

    Examples
    --------
    >>> from perceptiongap._files import check_path
    >>> check_path("survey.csv")
    'survey.csv'
    >>> check_path(0)
    Traceback (most recent call last):
    ...
    TypeError: `path` must be a file path (a str or os.PathLike); got int.
    >>> check_path("a\\0b.csv")
    Traceback (most recent call last):
    ...
    perceptiongap.errors.InvalidArgumentError: `path` holds a NUL character ('a\\x00b.csv'); no file name can.
    """
    text = os.fspath(path) if isinstance(path, os.PathLike) else path
    if isinstance(text, bytes):
        raise TypeError(
            f"{what} must be a file path (a str or os.PathLike); got bytes: decode it first, "
            "with os.fsdecode()."
        )
    if not isinstance(text, str):
        raise TypeError(
            f"{what} must be a file path (a str or os.PathLike); got {type(path).__name__}."
        )
    if not text.strip():
        raise InvalidArgumentError(f"{what} is empty; give a file name.")
    if "\0" in text:
        raise InvalidArgumentError(f"{what} holds a NUL character ({text!r}); no file name can.")
    return text


def check_output_path(
    path: object,
    *,
    suffixes: Iterable[str] | None = None,
    what: str = "`path`",
    probe: bool = False,
) -> Path:
    """Check that `path` names a file that can be written; return it as a Path.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (see :func:`check_path`).
    suffixes : iterable of str, optional
        The extensions the caller can write (``".png"``, lower case); None accepts any.
    what : str
        How the message names the argument (``"`path`"``, ``"--plot"``).
    probe : bool
        Also create and remove a temporary file in the target directory: the only sure test
        that it can be written (permission bits do not bind the superuser, and a read-only
        or virtual file system such as ``/proc`` may accept the permission test). The command
        line does this before the analysis.

    Returns
    -------
    pathlib.Path
        `path`, with ``~`` left as it is (the shell expands it; a library must not).

    Raises
    ------
    OutputPathError
        `path` is an existing directory, its directory does not exist, cannot be written,
        or the file exists and cannot be written, the name is too long, or its extension is
        not one of `suffixes`.
    InvalidArgumentError
        `path` is empty or holds a NUL character.
    TypeError
        `path` is not a str or os.PathLike of str.

    Examples
    --------
    >>> from perceptiongap._files import check_output_path
    >>> check_output_path("report.png", suffixes=(".png", ".svg")).name
    'report.png'
    >>> check_output_path("report", suffixes=(".png", ".svg"), what="--plot")
    Traceback (most recent call last):
    ...
    perceptiongap.errors.OutputPathError: report: --plot needs a file name with an extension; expected one of .png, .svg.
    """
    text = check_path(path, what=what)
    target = Path(text)
    try:  # a name too long, a loop of links, ...: the system's reason, naming the path
        mode = _mode(target)
        if mode is not None and stat.S_ISDIR(mode):
            example = str(target / ("report" + _example_suffix(suffixes)))
            raise OutputPathError(
                f"cannot write it: it is a directory; give {what} a file name, such as "
                f"{example!r}.",
                path=text,
            )
        if suffixes is not None:
            _check_suffix(target, suffixes, what)
        _check_writable(target, mode, probe=probe)
    except OSError as exc:
        raise _os_error(target, exc) from exc
    return target


def _check_suffix(target: Path, suffixes: Iterable[str], what: str) -> None:
    known = sorted({suffix.lower() for suffix in suffixes})
    expected = ", ".join(known)
    suffix = target.suffix.lower()
    if not suffix:
        raise OutputPathError(
            f"{what} needs a file name with an extension; expected one of {expected}.",
            path=str(target),
        )
    if suffix not in known:
        raise OutputPathError(
            f"{what} cannot write {target.suffix!r} files; expected one of {expected}.",
            path=str(target),
        )


def _check_writable(target: Path, mode: int | None, *, probe: bool) -> None:
    """The target can be written: a device or a pipe directly, anything else through a new
    file in its directory (the directory of the file a symbolic link points to)."""
    text = str(target)
    if mode is not None and not stat.S_ISREG(mode):  # /dev/stdout, /dev/null, a named pipe
        if not os.access(target, os.W_OK):
            raise OutputPathError("cannot write it: permission denied.", path=text)
        return
    real = _real(target)
    parent = real.parent
    parent_mode = _mode(parent)
    if parent_mode is None or not stat.S_ISDIR(parent_mode):
        problem = "does not exist" if parent_mode is None else "is not a directory"
        raise OutputPathError(
            f"cannot write it: the directory {str(parent)!r} {problem}.", path=text
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputPathError(
            f"cannot write it: the directory {str(parent)!r} is not writable.", path=text
        )
    if mode is not None and not os.access(real, os.W_OK):
        raise OutputPathError("cannot write it: the file is read-only.", path=text)
    if probe:
        descriptor, temporary = _new_temporary(real, ".tmp")
        os.close(descriptor)
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _mode(path: Path) -> int | None:
    """The mode of the file `path` names, links followed; None when there is none."""
    try:
        return os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None


def _real(path: Path) -> Path:
    """The file to replace: the target of a symbolic link (the link itself stays)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _new_temporary(target: Path, suffix: str) -> tuple[int, Path]:
    """Create a new, empty file beside `target` and open it for writing.

    The name is short (``.pg-`` and 16 hexadecimal digits), so that a target whose own name
    is as long as the file system allows still gets one.
    """
    for _ in range(100):
        temporary = target.with_name(f".pg-{secrets.token_hex(8)}{suffix}")
        try:
            # 0o666 and the process umask, as for any new file; an existing file's mode wins.
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue
    raise OutputPathError("cannot write it: no free temporary file name.", path=str(target))


def _example_suffix(suffixes: Iterable[str] | None) -> str:
    listed = sorted(suffixes or ())
    if ".png" in listed:
        return ".png"
    return listed[0] if listed else ".txt"


class StagedFile:
    """A file written in full to a temporary file next to its target, not yet renamed.

    :meth:`commit` renames it over the target; :meth:`discard` removes it. One of the two is
    always called (by :func:`write_files`).
    """

    def __init__(self, target: Path, temporary: Path | None, data: bytes) -> None:
        self.target = target
        self.temporary = temporary  # None: the target is a device or a pipe, written directly
        self._data = data

    def commit(self) -> None:
        """Move the complete file into place (atomically for a regular file)."""
        if self.temporary is None:
            _write_direct(self.target, self._data)
            return
        try:
            os.replace(self.temporary, self.target)
        except OSError as exc:
            self.discard()
            raise _os_error(self.target, exc) from exc
        self.temporary = None

    def discard(self) -> None:
        """Remove the temporary file, if it is still there."""
        if self.temporary is not None:
            with contextlib.suppress(OSError):  # gone already, or the disk went away
                os.unlink(self.temporary)
            self.temporary = None


def _os_error(target: Path, exc: OSError) -> OutputPathError:
    reason = exc.strerror or type(exc).__name__
    return OutputPathError(f"cannot write it: {reason}.", path=str(target))


def _write_direct(target: Path, data: bytes) -> None:
    """Write to a device or a named pipe (``/dev/null``, ``/dev/stdout``): no rename there."""
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise _os_error(target, exc) from exc


def _stage(path: Path, data: bytes, *, fsync: bool) -> StagedFile:
    """Write `data` to a new temporary file in the directory of `path`; a device or a pipe
    (``/dev/stdout`` included, whatever it points to) is kept for a direct write."""
    try:
        mode = _mode(path)  # links followed: /dev/stdout -> /proc/self/fd/1 -> a pipe
        if mode is not None and not stat.S_ISREG(mode):
            return StagedFile(path, None, data)
        real = _real(path)  # replace the file a link points to, not the link
        descriptor, temporary = _new_temporary(real, ".tmp")
    except OSError as exc:
        raise _os_error(path, exc) from exc
    staged = StagedFile(real, temporary, data)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            if fsync:
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))
    except BaseException as exc:  # KeyboardInterrupt included: never leave the temporary file
        staged.discard()
        if isinstance(exc, OSError):
            raise _os_error(path, exc) from exc
        raise
    return staged


def write_files(
    files: Sequence[tuple[PathArg, str | bytes]],
    *,
    encoding: str = "utf-8",
    fsync: bool = False,
) -> list[Path]:
    """Write several files, all or nothing, each atomically.

    Each path is checked first (:func:`check_output_path`); then every file is written in
    full to a temporary file beside its target; only when all are complete are they renamed
    into place. On any failure, KeyboardInterrupt included, the temporary files are removed
    and the targets are left as they were: should a rename fail after an earlier one
    succeeded, the earlier file is removed again, or restored from a hard link to its
    previous content (on a file system without hard links it keeps the new content).

    Parameters
    ----------
    files : sequence of (path, data)
        Each target and its content: text (encoded with `encoding`, line endings kept as
        they are; a character it cannot encode, such as a lone surrogate, is written as
        its backslash escape) or bytes.
    encoding : str
        The encoding of text content.
    fsync : bool
        Flush each file to the disk before renaming it (slower; survives a power cut).

    Returns
    -------
    list of pathlib.Path
        The paths written.

    Raises
    ------
    OutputPathError
        A path cannot be written (see :func:`check_output_path`), or the operating system
        refused (permissions, a full disk); the message names the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from perceptiongap._files import write_files
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_files([(folder / "a.txt", "one"), (folder / "b.bin", b"two")])]
    ['a.txt', 'b.bin']
    >>> sorted(p.name for p in folder.iterdir())   # no temporary file left behind
    ['a.txt', 'b.bin']
    """
    checked = [(check_output_path(path), data) for path, data in files]
    staged: list[StagedFile] = []
    try:
        for path, data in checked:
            content = (
                data.encode(encoding, "backslashreplace") if isinstance(data, str) else bytes(data)
            )
            staged.append(_stage(path, content, fsync=fsync))
        _commit_all(staged)
    finally:
        for entry in staged:
            entry.discard()  # no-op for the committed ones
    return [path for path, _ in checked]


def _commit_all(staged: list[StagedFile]) -> None:
    """Rename every staged file into place; if one rename fails, undo the earlier ones: a new
    file is removed, a replaced one restored from a hard link made just before its rename."""
    done: list[tuple[Path, Path | None, bool]] = []  # target, backup, whether it is new
    try:
        for entry in staged:
            target = entry.target
            new = entry.temporary is not None and not target.exists()
            backup = None
            if len(staged) > 1 and entry.temporary is not None and not new:
                backup = target.with_name(f".pg-{secrets.token_hex(8)}.old")
                try:
                    os.link(target, backup)
                except OSError:
                    backup = None  # no hard links here: the old file cannot be restored
            try:
                entry.commit()
            except BaseException:
                _remove(backup)
                raise
            done.append((target, backup, new))
    except BaseException:
        for target, backup, new in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                elif new:
                    os.unlink(target)
        raise
    for _, backup, _ in done:
        _remove(backup)


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            os.unlink(path)


def write_file(
    path: PathArg, data: str | bytes, *, encoding: str = "utf-8", fsync: bool = False
) -> Path:
    """Write one file atomically (see :func:`write_files`); return its path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from perceptiongap._files import write_file
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "report.csv"
    >>> write_file(target, "item,gap\\n").read_text()
    'item,gap\\n'
    """
    return write_files([(path, data)], encoding=encoding, fsync=fsync)[0]

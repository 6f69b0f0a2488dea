"""Files named by a user: read with a bound, written whole or not at all.

Only an ordinary file is ever read or replaced: a FIFO would block, ``/dev/zero`` would never
end, and renaming over a device node or a socket destroys it (red-team findings 12, 13).
``write_atomically`` is the one writer every export, key and settings file uses;
``read_limited`` is the one reader for answers and content files.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A file that could not be written; the message names it and says why."""


class ReadError(Exception):
    """A file that could not be read; the message names it and says why, on one line."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def not_ordinary(path: Path | str, mode: int) -> str:
    return f"{path}: not an ordinary file ({kind_of(mode)})"


def read_limited(path: Path | str, limit: int, what: str = "file") -> bytes:
    """The whole of an ordinary file of at most ``limit`` bytes, or ReadError.

    Opened without blocking (a FIFO with no writer would wait for ever) and checked with
    ``fstat`` on the open file, so a link to a device or a swapped name cannot slip between
    the check and the read; then at most ``limit + 1`` bytes are read, so a file that grows
    past the limit, or lies about its size, is still refused without reading it whole.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{not_ordinary(path, info.st_mode)}; the {what} must be one")
        if info.st_size > limit:
            raise ReadError(_too_big(path, what, info.st_size, limit))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise ReadError(_too_big(path, what, len(data), limit, grew=True))
    return data


def _too_big(path: Path | str, what: str, size: int, limit: int, grew: bool = False) -> str:
    amount = f"more than {limit:,} bytes" if grew else f"{size:,} bytes"
    return f"{path}: {what} is {amount}; the limit is {limit:,}"


def write_atomically(path: Path | str, data: bytes, *, private: bool = False) -> None:
    """Temporary file beside the target, fsync, rename, fsync the folder.

    An interruption at any point leaves either the old file or the new one, never half of
    one, and no temporary file behind. ``private`` makes the file owner-only (keys).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"cannot write {target}: folder {folder} does not exist")
    _refuse_special_target(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        if private:
            os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    _fsync_folder(folder)


def _refuse_special_target(target: Path) -> None:
    """Renaming over a device, FIFO or socket would destroy it (or, at /dev/null, hide the
    data in a regular file): only an ordinary file, or a link to one, may be replaced."""
    try:
        info = os.stat(target)  # follows a link: what the user meant to write to
    except OSError:
        return  # nothing there (or a dangling link, which os.replace swaps harmlessly)
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"cannot write {not_ordinary(target, info.st_mode)}; choose a file "
                         f"name in a folder")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open folders."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

"""Where an export may be written, and writing it whole or not at all (issue 13.5).

A document goes only to an ordinary file: a FIFO, device, socket or folder at the target is
refused, and so is an existing file unless overwriting was confirmed (the desktop asks; the
command line needs ``--overwrite``). On Linux the bytes are written to an unnamed file
(``O_TMPFILE``) in the target's folder and given their name only when whole, so a kill at
any moment leaves no partial copy of a child's record behind; elsewhere a hidden temporary
file is renamed into place (``files.write_atomically``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from ..files import WriteError, kind_of, write_atomically


class PdfExportError(Exception):
    """An export that could not be written; the message is fit for the user."""


class TargetRefused(PdfExportError):
    """The target is not somewhere a document may go; the message says why."""


def check_target(target: Path, *, overwrite: bool = False) -> Path:
    """Refuse, before any work, a missing folder, a non-regular target, or an existing file
    without ``overwrite``. Returns the path to write."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TargetRefused(f"cannot write {target}: folder {folder} does not exist")
    try:
        info = os.stat(target)  # follows a symlink: what would be written over
    except FileNotFoundError:
        if os.path.islink(target):
            raise TargetRefused(f"cannot write {target}: it is a link to nothing") from None
        return target
    except OSError as exc:
        raise TargetRefused(f"cannot write {target}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise TargetRefused(f"cannot write {target}: it is not an ordinary file "
                            f"({kind_of(info.st_mode)}); choose a file name in a folder")
    if not overwrite:
        raise TargetRefused(f"{target} already exists: choose another name, or confirm "
                            f"replacing it (--overwrite)")
    return target


def write_document(target: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``target`` whole or not at all; never leave a partial file."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if not os.path.isdir("/proc/self/fd"):
            raise OSError("no /proc to name an unnamed file through")
        fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600)
    except (AttributeError, OSError):  # not Linux, or a file system without it
        if not overwrite and target.exists():
            raise TargetRefused(f"{target} already exists: choose another name, or confirm "
                                f"replacing it (--overwrite)") from None
        try:
            write_atomically(target, data, private=True)
        except WriteError as exc:
            raise PdfExportError(str(exc)) from None
        return
    try:
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _name(fd, folder, target, overwrite)
    except OSError as exc:
        raise PdfExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    _fsync_folder(folder)


def _name(fd: int, folder: Path, target: Path, overwrite: bool) -> None:
    """Give the unnamed file its name: a link that fails if the name exists (no race with
    another writer), or, to replace, a hidden link renamed over the old file."""
    source = f"/proc/self/fd/{fd}"
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if not overwrite:
            try:
                os.link(source, target.name, dst_dir_fd=folder_fd, follow_symlinks=True)
            except FileExistsError:
                raise TargetRefused(f"{target} already exists: choose another name, or "
                                    f"confirm replacing it (--overwrite)") from None
            return
        hidden = f".{target.name}.{secrets.token_hex(4)}.part"
        os.link(source, hidden, dst_dir_fd=folder_fd, follow_symlinks=True)
        try:
            os.replace(hidden, target.name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(hidden, dir_fd=folder_fd)
            raise
    finally:
        os.close(folder_fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

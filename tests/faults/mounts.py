"""Real environment faults: a small filesystem that fills up, a folder that cannot be written.

As root (as in CI) these are real mounts: a tmpfs of a few hundred KiB, and a read-only bind
mount. ``chmod`` alone does not stop root, so the read-only folder falls back to
``chattr +i`` and only then to ``chmod`` (which does stop an ordinary user); whichever is
used, the folder is checked to be really unwritable before the test relies on it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


def _quiet(*argv: str) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def really_unwritable(folder: Path) -> bool:
    probe = folder / ".write-probe"
    try:
        probe.write_bytes(b"x")
    except OSError:
        return True
    probe.unlink()
    return False


@contextlib.contextmanager
def small_filesystem(folder: Path, size_kib: int) -> Iterator[bool]:
    """Mount a tmpfs of ``size_kib`` at ``folder``; yields False when mounting is impossible."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _quiet("mount", "-t", "tmpfs", "-o", f"size={size_kib}k",
                                       "heard-test-tmpfs", str(folder)):
        yield False
        return
    try:
        yield True
    finally:
        if not _quiet("umount", str(folder)):
            _quiet("umount", "-l", str(folder))


@contextlib.contextmanager
def read_only_view(source: Path, view: Path) -> Iterator[str]:
    """``view`` shows ``source``'s files and cannot be written; yields the mechanism used."""
    view.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0 and _quiet("mount", "--bind", str(source), str(view)):
        try:
            if _quiet("mount", "-o", "remount,bind,ro", str(view)) and really_unwritable(view):
                yield "read-only bind mount"
                return
        finally:
            if not _quiet("umount", str(view)):
                _quiet("umount", "-l", str(view))
    view.rmdir()
    files = [p for p in source.iterdir()]
    if os.geteuid() == 0 and _quiet("chattr", "+i", *map(str, files), str(source)):
        try:
            if really_unwritable(source):
                view.symlink_to(source)
                yield "chattr +i"
                return
        finally:
            _quiet("chattr", "-i", *map(str, files), str(source))
            if view.is_symlink():
                view.unlink()
    modes = {p: p.stat().st_mode for p in [*files, source]}
    for p in files:
        p.chmod(0o444)
    source.chmod(0o555)
    try:
        if not really_unwritable(source):
            raise RuntimeError("no way to make a folder read-only here (not root, and chmod "
                               "does not stop this user)")
        view.symlink_to(source)
        yield "chmod"
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
        if view.is_symlink():
            view.unlink()

"""The deployment's directory file (``services_directory`` in deployment.toml), imported
when the database is opened if it is new or has changed since the last import.

What was imported last is kept with the services it supplied: their ``source`` is
``deployment-file sha256=… size=… mtime_ns=… PATH`` (no table of its own, so no migration).
Start-up with an unchanged file costs one ``stat`` and a one-row query: the size and
modification time are compared first, and the file is hashed only when they differ (a
touched but identical file then just has its time recorded again). A new or changed file
goes through the same all-or-nothing importer as ``services import``; the services the file
supplied before and no longer has are removed, services added in the app or imported by
hand stay. The import is audited as done by ``system``. A bad file changes nothing: the
caller gets one sentence naming the file, the record and the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from ..files import ReadError
from ..services.errors import DirectoryError, ImportRefused
from ..services.files import is_tabular, read_directory
from ..services.oruk import read_directory_file
from .directory import Directory, ImportSummary, save_import
from .directory_models import Service

MARK = "deployment-file"
SYSTEM = "system"
_SOURCE_LENGTH = 255  # service.source


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one version of the file: its SHA-256, size and modification time."""

    sha256: str
    size: int
    mtime_ns: int

    def source(self, path: Path) -> str:
        return f"{MARK} sha256={self.sha256} size={self.size} mtime_ns={self.mtime_ns} " \
               f"{path}"[:_SOURCE_LENGTH]

    def same_file_state(self, size: int, mtime_ns: int) -> bool:
        return (self.size, self.mtime_ns) == (size, mtime_ns)

    @classmethod
    def parse(cls, source: str | None) -> Fingerprint | None:
        parts = (source or "").split(" ", 4)
        if len(parts) < 4 or parts[0] != MARK:
            return None
        try:
            values = dict(p.split("=", 1) for p in parts[1:4])
            return cls(values["sha256"], int(values["size"]), int(values["mtime_ns"]))
        except (KeyError, ValueError):
            return None


@dataclass(frozen=True)
class SyncOutcome:
    """``imported`` when the file was new or changed; ``problem`` (one sentence) when it
    could not be imported and the directory was kept as it was; both None: unchanged."""

    imported: ImportSummary | None = None
    problem: str | None = None


def _files(path: Path) -> list[Path]:
    """The files that make up the directory: the JSON file, or a datapackage.json with the
    CSV files beside it."""
    if is_tabular(path):
        folder = path if path.is_dir() else path.parent
        return sorted([folder / "datapackage.json", *folder.glob("*.csv")])
    return [path]


def _state(path: Path) -> tuple[int, int]:
    """(size, newest modification time) of the directory's files; raises OSError."""
    stats = [f.stat() for f in _files(path)]
    return sum(s.st_size for s in stats), max(s.st_mtime_ns for s in stats)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for part in _files(path):
        digest.update(part.name.encode("utf-8") + b"\0")
        digest.update(read_directory_file(part))  # never a FIFO or device: refused
    return digest.hexdigest()


def last_import(directory: Directory) -> Fingerprint | None:
    """The fingerprint of the deployment file last imported (None: never, or it had no
    services). Every service it supplied carries the same one, so any row will do."""
    with directory.store._read() as session:
        source = session.scalar(select(Service.source).where(
            Service.source.like(f"{MARK} %")).limit(1))
    return Fingerprint.parse(source)


def sync_from_deployment(directory: Directory, path: Path) -> SyncOutcome:
    """Import ``path`` if it is new or changed since the last import (see the module)."""
    try:
        size, mtime_ns = _state(path)
        before = last_import(directory)
        if before is not None and before.same_file_state(size, mtime_ns):
            return SyncOutcome()
        sha = _sha256(path)
        now = Fingerprint(sha, size, mtime_ns)
        if before is not None and before.sha256 == sha:
            _record_state(directory, now, path)
            return SyncOutcome()
        read = read_directory(path)
    except ImportRefused as refused:
        return SyncOutcome(problem=_kept(path, refused.problems[0] if refused.problems
                                         else "not readable", len(refused.problems)))
    except (DirectoryError, ReadError) as exc:
        return SyncOutcome(problem=_kept(path, str(exc), 1))
    except OSError as exc:
        return SyncOutcome(problem=_kept(path, f"cannot read it ({exc.strerror or exc})", 1))
    try:
        return SyncOutcome(imported=_import(directory, read.entries, now, path))
    except DirectoryError as exc:
        return SyncOutcome(problem=_kept(path, str(exc), 1))


def _kept(path: Path, first: object, count: int) -> str:
    more = f" (and {count - 1} more problem(s): 'screening-app services import {path}' " \
           f"lists them)" if count > 1 else ""
    return f"{path}: the directory of services was not updated (kept as it was): " \
           f"{first}{more}"


def _record_state(directory: Directory, now: Fingerprint, path: Path) -> None:
    """The same content with a new modification time: remember the time, import nothing."""
    with directory.store._write() as session:
        session.execute(update(Service).where(Service.source.like(f"{MARK} %"))
                        .values(source=now.source(path)))


def _import(directory: Directory, entries: list, now: Fingerprint,
            path: Path) -> ImportSummary | None:
    store = directory.store
    with store._write() as session:
        # Another user's start-up may have imported this very file a moment ago.
        current = Fingerprint.parse(session.scalar(select(Service.source).where(
            Service.source.like(f"{MARK} %")).limit(1)))
        if current is not None and current.sha256 == now.sha256:
            return None
        summary = save_import(session, entries, by=SYSTEM, source=now.source(path),
                              removable=lambda row: (row.source or "").startswith(f"{MARK} "))
        if summary == ImportSummary(0, 0, 0):
            return None  # an empty file, and nothing of an earlier one to remove
        if store.audit is not None:
            store.audit.append(session, "directory-import", actor=SYSTEM, detail={
                "source": str(path)[-120:], "sha256": now.sha256, "trigger": "deployment",
                "added": summary.added, "updated": summary.updated,
                "removed": summary.removed})
    return summary

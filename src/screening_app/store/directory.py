"""The directory of services in the database: import, edit, list, and the need mapping.

Changing the directory (import, edit, mapping) is for administrators (on a database set up
with ``init``; a development database has no roles). Every change is audited in its own
transaction, and an import is one transaction: all its services are saved, or none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..services.errors import DirectoryError
from ..services.matching import MatchIndex, build_index
from ..services.model import DirectoryEntry, LocalAdditions
from ..services.needs import NeedMap, default_need_map
from ..services.oruk import export_problems
from .directory_models import NeedMapping, Service
from .errors import AccessDenied, NotFoundError, StoreError
from .models import utcnow
from .repository import Store


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    removed: int


def _entry(row: Service) -> DirectoryEntry:
    return DirectoryEntry(record=dict(row.record), local=LocalAdditions(
        access_routes=tuple(row.access_routes or ()), typical_wait_days=row.typical_wait_days,
        sector=row.sector, local_notes=row.local_notes))


def _fill(row: Service, entry: DirectoryEntry, by: str, source: str | None) -> None:
    row.name, row.status = entry.name, str(entry.record["status"])
    row.record = entry.record
    row.access_routes = list(entry.local.access_routes)
    row.typical_wait_days = entry.local.typical_wait_days
    row.sector, row.local_notes = entry.local.sector, entry.local.local_notes
    row.source, row.updated_at, row.updated_by = source, utcnow(), by


def save_import(session: Session, entries: list[DirectoryEntry], *, by: str, source: str,
                removable: Callable[[Service], bool] | None) -> ImportSummary:
    """Save every entry in ``session`` (new ids added, known ids updated); a known service
    the entries do not have is removed when ``removable(row)`` says so."""
    ids = [e.id for e in entries]
    wanted = set(ids)
    if len(wanted) != len(ids):
        raise DirectoryError(f"{source}: the same service id appears twice; nothing imported")
    known = {row.id: row for row in session.scalars(select(Service))}
    added = updated = 0
    for entry in entries:
        row = known.get(entry.id)
        if row is None:
            row = Service(id=entry.id)
            session.add(row)
            added += 1
        else:
            updated += 1
        _fill(row, entry, by, source)
    gone = [] if removable is None else [
        service_id for service_id, row in known.items()
        if service_id not in wanted and removable(row)]
    if gone:
        session.execute(delete(Service).where(Service.id.in_(gone)))
    return ImportSummary(added, updated, len(gone))


class Directory:
    def __init__(self, store: Store):
        self.store = store

    def _require_admin(self, doing: str) -> None:
        scope = self.store.scope
        if scope is not None and str(scope.role) != "administrator":
            raise AccessDenied(f"{scope.name} ({scope.role}) may not {doing} (administrators)")

    # -- services ---------------------------------------------------------------------------
    def import_entries(self, entries: list[DirectoryEntry], *, by: str, source: str,
                       replace: bool = False) -> ImportSummary:
        """Save every entry (new ids added, known ids updated) in one transaction.
        ``replace`` also removes the services the file does not have."""
        self._require_admin("change the directory of services")
        with self.store._guarded() as session:
            summary = save_import(session, entries, by=by, source=source,
                                  removable=(lambda _row: True) if replace else None)
            self.store._audit(session, "directory-import", source=source[:120],
                              added=summary.added, updated=summary.updated,
                              removed=summary.removed)
        return summary

    def save_entry(self, entry: DirectoryEntry, *, by: str) -> None:
        """An administrator's edit of one service (or a new one); checked against ORUK."""
        self._require_admin("change the directory of services")
        problems = export_problems([entry])
        if problems:
            raise DirectoryError(f"not saved: {problems[0]}")
        with self.store._guarded() as session:
            row = session.get(Service, entry.id)
            action = "directory-edit" if row is not None else "directory-add"
            if row is None:
                row = Service(id=entry.id)
                session.add(row)
            _fill(row, entry, by, row.source)
            self.store._audit(session, action, service=entry.id)

    def entries(self) -> list[DirectoryEntry]:
        with self.store._read() as session:
            return [_entry(r) for r in session.scalars(select(Service).order_by(
                Service.name, Service.id))]

    def entry(self, service_id: str) -> DirectoryEntry:
        with self.store._read() as session:
            row = session.get(Service, service_id)
            if row is None:
                raise NotFoundError(f"no service with id {service_id!r} in the directory")
            return _entry(row)

    # -- need mapping -----------------------------------------------------------------------
    def need_map(self) -> NeedMap:
        """The administrators' mapping; the shipped defaults for tags they have not set."""
        terms = dict(default_need_map().terms)
        with self.store._read() as session:
            rows = session.scalars(select(NeedMapping).order_by(NeedMapping.id)).all()
        chosen: dict[str, list[tuple[str, str]]] = {}
        for row in rows:
            chosen.setdefault(row.need_tag, [])
            if row.term:  # an empty term records "this tag maps to nothing here"
                chosen[row.need_tag].append((row.taxonomy, row.term))
        terms.update({tag: tuple(pairs) for tag, pairs in chosen.items()})
        return NeedMap(terms)

    def set_mapping(self, need_tag: str, terms: Iterable[tuple[str, str]], *, by: str) -> None:
        """Map ``need_tag`` to exactly these (taxonomy, term) pairs (none: to nothing)."""
        self._require_admin("change the need mapping")
        tag = need_tag.strip()
        pairs = list(dict.fromkeys((t.strip(), v.strip()) for t, v in terms))
        if not tag or any(not t or not v for t, v in pairs):
            raise StoreError("a mapping needs a need tag and TAXONOMY:TERM pairs")
        with self.store._guarded() as session:
            session.execute(delete(NeedMapping).where(NeedMapping.need_tag == tag))
            for taxonomy, term in pairs or [("", "")]:
                session.add(NeedMapping(need_tag=tag, taxonomy=taxonomy, term=term,
                                        updated_at=utcnow(), updated_by=by))
            self.store._audit(session, "need-map", tag=tag, terms=len(pairs))

    def index(self) -> MatchIndex:
        """The match index, rebuilt only when the directory or the mapping has changed."""
        key = (self.store.database.url, self._version())
        cached = _INDEXES.get(key[0])
        if cached is not None and cached[0] == key[1]:
            return cached[1]
        built = build_index(self.entries(), self.need_map())
        _INDEXES[key[0]] = (key[1], built)
        return built

    def _version(self) -> tuple:
        with self.store._read() as session:
            services = session.execute(select(func.count(), func.max(Service.updated_at))
                                       ).one()
            mapping = session.execute(select(func.count(), func.max(NeedMapping.updated_at))
                                      ).one()
        return (*services, *mapping)


# database url -> (directory version, index): building is ~0.1 ms a service, matching far less.
_INDEXES: dict[str, tuple[tuple, MatchIndex]] = {}

"""The workspace: one object per signed-in user, and every use case both doors offer.

It owns the catalog (the questionnaire content), the store (scoped to the user's team and
audited), the security session (None on a development database) and a clock. Use cases are
methods that enforce their rules and return typed results: start and open assessments
(:class:`~.assessment.OpenAssessment` has answer, acknowledge, decide, complete, amend and
discard), list and search, export, lock and unlock, re-authenticate, and hand the screen to
a child and take it back. Anki's ``Collection`` is the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content import Catalog
from ..deployment import Deployment, DeploymentError, load_deployment
from ..engine import AssessmentSession
from ..security.access import DatabaseKind, SignedIn, sign_in
from ..security.audit import Action, Entry
from ..security.roles import Permission, Principal, name_key
from ..store import AssessmentSummary, Store, StoreError
from ..store.actions import Actions
from ..store.directory import Directory

if TYPE_CHECKING:
    from ..services.matching import Suggestion
from .assessment import OpenAssessment
from .errors import Locked, RuleRefused
from .handback import ChildHandover, HandoverCode
from .rules import check_start, check_start_text
from .sharing import ExportRequest

if TYPE_CHECKING:
    from ..export.release import Release
    from ..export.report_data import ReportData

Clock = Callable[[], dt.datetime]
DEFAULT_IDLE_LOCK_MINUTES = 5


def machine_settings() -> Deployment:
    """This computer's deployment settings; a broken file is one sentence naming it."""
    try:
        return load_deployment()
    except DeploymentError as exc:
        raise StoreError(str(exc)) from None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Exported:
    """A copy made: its document id (on every page and in the audit trail), where it went,
    and who it is for and why (with any warnings to show)."""

    document_id: str
    path: Path
    release: Release


@dataclass(frozen=True)
class Unlocked:
    """The outcome of unlocking: the same user goes on where they were; someone else gets
    their own workspace and starts at home (the first user's draft is already saved)."""

    workspace: Workspace
    same_user: bool


class Workspace:
    def __init__(self, catalog: Catalog, store: Store, *, signed: SignedIn | None = None,
                 user: str | None = None, clock: Clock = utc_now,
                 machine: Deployment | None = None):
        self.catalog = catalog
        self.clock = clock
        # What IT set for this computer (deployment.toml): users cannot override it.
        self.machine = machine if machine is not None else machine_settings()
        self._store: Store | None = store
        self._signed = signed
        self._locked_as: SignedIn | None = None
        self._directory: Directory | None = None
        self.development_warning: str | None = None  # set for a development database
        # Set when the deployment's directory file could not be imported (one sentence).
        self.directory_notice: str | None = None
        if signed is not None:
            self.user, self.team = signed.principal.name, signed.principal.team
        else:
            self.user, self.team = user or "unknown", None

    # -- who and where ----------------------------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            raise Locked()
        return self._store

    @property
    def signed_in(self) -> bool:
        """False on a development database (no sign-in, no encryption, no audit trail)."""
        return self._signed is not None or self._locked_as is not None

    @property
    def kind(self) -> DatabaseKind:
        signed = self._signed or self._locked_as
        return signed.kind if signed is not None else DatabaseKind.DEVELOPMENT

    @property
    def principal(self) -> Principal | None:
        signed = self._signed or self._locked_as
        return signed.principal if signed is not None else None

    @property
    def signed(self) -> SignedIn | None:
        """The security session, for the administrative calls of ``security`` (users,
        audit, retention); None on a development database or while locked."""
        return self._signed

    def may(self, permission: Permission) -> bool:
        principal = self.principal
        return principal is None or principal.can(permission)

    def idle_lock_minutes(self) -> int | None:
        """How long the desktop app may stay idle before it locks (None: never, because
        nobody signed in)."""
        if self._signed is None:
            return None
        try:
            minutes = self._signed.policy().idle_lock_minutes
        except Exception:  # noqa: BLE001 - an unreadable setting must not stop the lock
            minutes = DEFAULT_IDLE_LOCK_MINUTES
        return self.machine.idle_lock_for(minutes)  # the stricter of machine and database

    @property
    def site_name(self) -> str | None:
        return self.machine.site_name

    def default_setting(self) -> str | None:
        """The setting this computer is for (deployment), when its pathway is installed."""
        wanted = self.machine.default_setting
        return wanted if wanted in self.catalog.pathways else None

    # -- assessments ------------------------------------------------------------------------
    def start(self, *, setting: str, age: int, reference: str | None = None,
              presenting_issue: str | None = None, date_of_birth: dt.date | None = None,
              modules: tuple[str, ...] | list[str] = ()) -> OpenAssessment:
        """Start a draft. Refused for an age outside the pathway, and for a module asked
        for outside its age or settings limits; a module asked for is shown at once."""
        chosen = tuple(dict.fromkeys(modules))
        check_start(self.catalog, setting, age, chosen)
        check_start_text(reference=reference, presenting_issue=presenting_issue)
        session = AssessmentSession(self.catalog, setting, age, chosen)
        record = self.store.create_assessment(
            setting=setting, age=age, by=self.user, content_pins=session.content_pins(),
            reference=(reference or "").strip() or None,
            presenting_issue=(presenting_issue or "").strip() or None,
            date_of_birth=date_of_birth, extra_modules=chosen, team=self.team)
        return OpenAssessment(ws=self, record=record, session=session,
                              row_version=record.row_version)

    def open(self, assessment_id: str) -> OpenAssessment:
        """Open a record to work on or read. Consultation: the store checks the team and
        commits a ``view`` audit entry before anything is read."""
        record = self.store.view(assessment_id)
        session = AssessmentSession(self.catalog, record.setting, record.age,
                                    tuple(record.extra_modules))
        session.restore(record.answer_triples())
        current = session.content_pins()
        changed = [name for name, pin in record.content_pins.items()
                   if current.get(name, {}).get("sha256") != pin.get("sha256")]
        return OpenAssessment(ws=self, record=record, session=session,
                              row_version=record.row_version, content_changed=changed)

    def list_drafts(self, limit: int = 50) -> list[AssessmentSummary]:
        return self.store.list_drafts(limit)

    def search(self, **criteria: Any) -> list[AssessmentSummary]:
        return self.store.search(**criteria)

    # -- services and actions (issue 16) ----------------------------------------------------
    def directory(self) -> Directory:
        """The local directory of services (administrators edit it; everyone matches)."""
        if self._directory is None or self._directory.store is not self.store:
            self._directory = Directory(self.store)
        return self._directory

    def sync_directory(self) -> str | None:
        """Import this computer's directory file (deployment ``services_directory``) if it
        is new or changed since the last import; on opening the database. Returns (and
        keeps in ``directory_notice``) the sentence to show when it could not be."""
        path = self.machine.services_directory
        if path is None:
            return None
        from ..store.directory_sync import sync_from_deployment

        try:
            self.directory_notice = sync_from_deployment(self.directory(), path).problem
        except StoreError as exc:
            self.directory_notice = f"{path}: the directory of services was not updated: {exc}"
        return self.directory_notice

    def actions(self) -> Actions:
        """Actions with owners, check-ins, escalations and the supervisor's oversight."""
        return Actions(self.store)

    def service_suggestions(self, result: dict[str, Any]) -> list[Suggestion]:
        """The local services that fit a result's needs, age, this site's area (deployment)
        and the child's language (their answers), ranked (act-now needs to urgent routes
        first), each with why, how fresh its entry is and any alert."""
        from ..services.suggest import suggestions_for

        return suggestions_for(result, self.directory().index(), area=self.machine.area,
                               today=self.clock().date())

    def suggest_services(self, result: dict[str, Any]) -> list[dict[str, Any]]:
        """The suggestions in the result format (``services``: name and why first)."""
        return [{**s.to_dict(), "why": "; ".join(s.why), "reasons": list(s.why)}
                for s in self.service_suggestions(result)]

    # -- the audit trail of a record -----------------------------------------------------
    def may_see_trail(self, team: str | None) -> bool:
        """Supervisors of the record's team and administrators may read its trail."""
        principal = self.principal
        return principal is not None and principal.may_see_record_audit(team)

    def record_trail(self, assessment_id: str) -> list[Entry]:
        """A record's audit trail (reading it is itself audited)."""
        from ..security.records import record_trail

        if self._signed is None:
            raise Locked() if self._locked_as is not None else RuleRefused(
                "a development database has no audit trail")
        return list(record_trail(self._signed, assessment_id))

    # -- documents --------------------------------------------------------------------------
    def export_pdf(self, assessment_id: str, out_path: Path | str, variant: str = "full",
                   marking: str | None = None, *, annex: bool | None = None,
                   request: ExportRequest | None = None, overwrite: bool = False,
                   action: str = "export") -> str:
        """:meth:`export_document`, returning only the document id printed on the copy."""
        return self.export_document(assessment_id, out_path, variant, marking, annex=annex,
                                    request=request, overwrite=overwrite,
                                    action=action).document_id

    def export_document(self, assessment_id: str, out_path: Path | str,
                        variant: str = "full", marking: str | None = None, *,
                        annex: bool | None = None, request: ExportRequest | None = None,
                        overwrite: bool = False, action: str = "export",
                        destination: str | None = None) -> Exported:
        """Write one variant of an assessment's PDF.

        The sharing rules (``sharing.plan_release``: the right child, a named recipient and
        purpose for a partner, the family copy's safety check) and the target's (an ordinary
        file, never replaced without ``overwrite``) are checked first; then the export is
        recorded in the audit trail with who the copy is for and why, and the file is
        written whole or not at all. ``action`` is ``print`` for a printed copy: its
        ``out_path`` is the spool file the door sends to the printer, and ``destination``
        (the printer) is what the audit trail records."""
        from ..export.pdf import check_target, render_pdf, write_document

        target = check_target(Path(out_path), overwrite=overwrite)
        assessment = self.open(assessment_id)
        report, release = self._shareable(assessment, variant, request)
        document_id = self.store.record_export(
            assessment_id, kind="pdf", variant=variant, by=self.user, action=action,
            destination=destination or str(target), sharing=release.audit_detail())
        data = render_pdf(report, document_id=document_id,
                          marking=marking or self.machine.protective_marking, annex=annex)
        write_document(target, data, overwrite=overwrite)
        return Exported(document_id=document_id, path=target, release=release)

    def _shareable(self, assessment: OpenAssessment, variant: str,
                   request: ExportRequest | None) -> tuple[ReportData, Release]:
        from ..export.report_data import VARIANTS, build_report, redact
        from .sharing import plan_release

        if variant not in VARIANTS:
            raise RuleRefused(f"unknown variant {variant!r} (use one of {', '.join(VARIANTS)})")
        chosen = dataclasses.replace(request or ExportRequest(), variant=variant)
        result = assessment.result()
        release = plan_release(result, chosen, item_domains=self._domains())
        report = redact(build_report(result, record=assessment.record,
                                     session=assessment.session, catalog=self.catalog,
                                     content_changed=assessment.content_changed),
                        variant, release)
        return report, release

    def _domains(self) -> dict[str, str | None]:
        """Each content item's domain ("module.item" to domain), for the partner domains."""
        return {f"{module_id}.{i.id}": i.domain for module_id in self.catalog.modules
                for i in self.catalog.module(module_id).items()}

    # -- locking ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked_as is not None

    @property
    def locked_as(self) -> str | None:
        return self._locked_as.principal.name if self._locked_as is not None else None

    def lock(self) -> bool:
        """Forget the key and refuse every call until :meth:`unlock`. Returns False when
        there is nothing to lock (a development database, or already locked). The caller
        saves pending input first; locking never waits on the audit write."""
        signed = self._signed
        if signed is None:
            return False
        try:
            with signed.session() as session, session.begin():
                signed.audit.append(session, Action.LOCK)
        except Exception:  # noqa: BLE001 - a lock must happen even if its entry cannot
            pass
        self._locked_as, self._signed, self._store = signed, None, None
        signed.close()  # disposes the engine and overwrites the data key
        return True

    def unlock(self, name: str, password: str) -> Unlocked:
        """Sign in again. The same user goes on in this workspace; someone else gets a new
        workspace of their own (this one stays locked, to be closed by the caller)."""
        old = self._locked_as
        if old is None:
            return Unlocked(self, same_user=True)
        new = sign_in(old.target.url, name, password, terminal=old.audit.terminal)
        from .opening import signed_workspace

        if name_key(new.principal.name) != name_key(old.principal.name):
            return Unlocked(signed_workspace(self.catalog, new), same_user=False)
        with new.session() as session, session.begin():
            new.audit.append(session, Action.UNLOCK)
        self._signed, self._locked_as = new, None
        self._store = Store(new.database, scope=new.principal, audit=new.audit)
        return Unlocked(self, same_user=True)

    def reauthenticate(self, password: str) -> bool:
        """Check the signed-in user's own password again (counts toward the lock-out)."""
        if self._signed is None:
            return False
        from ..security.users import verify_own_password

        return verify_own_password(self._signed, password)

    # -- child mode -------------------------------------------------------------------------
    def hand_to_child(self, code: str | None = None) -> ChildHandover:
        """The policy for taking the screen back: the staff password when signed in, else
        a hand-over code chosen now (at least 4 characters)."""
        if self._signed is not None:
            return ChildHandover(self.reauthenticate, uses_password=True, clock=self.clock)
        if code is None:
            raise RuleRefused("choose a hand-over code to take the screen back with")
        return ChildHandover(HandoverCode(code), uses_password=False, clock=self.clock)

    # -- closing ----------------------------------------------------------------------------
    def sign_out(self) -> bool:
        """End this user's session: recorded in the audit trail, then closed as on
        :meth:`close` (the key overwritten); the next practitioner signs in afresh. Returns
        False on a development database (nobody signed in; it stays open). The caller saves
        pending input first. Signing out never waits on its audit entry."""
        signed = self._signed
        if signed is None and self._locked_as is None:
            return False
        try:
            if signed is not None:  # while locked the key is gone: nothing can be written
                with signed.session() as session, session.begin():
                    signed.audit.append(session, Action.SIGN_OUT)
        except Exception as exc:  # noqa: BLE001 - the key must be forgotten even if this fails
            # Not lost in silence: the log says the trail lacks this sign-out, and why.
            logging.getLogger(__name__).warning("sign-out not recorded in the audit trail: %s",
                                                type(exc).__name__)
        finally:
            self._locked_as = None
            self.close()
        return True

    def close(self) -> None:
        """Forget the key and release the database."""
        if self._signed is not None:
            self._signed.close()
        elif self._store is not None:
            self._store.database.dispose()
        self._signed, self._store = None, None

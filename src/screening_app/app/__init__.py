"""The application layer: the one typed core both doors (``ui/`` and ``commands/``) use.

* :class:`Workspace` — one per signed-in user: the catalog, the store, the security session
  and a clock, with every use case as a method.
* :class:`OpenAssessment` — one assessment open for work or reading.
* :class:`AssessmentResult` — the typed, frozen result (CLI JSON, stored copy, review, PDF).
* :mod:`.opening` — opening a workspace (development, sign-in, first-run set-up).
* :mod:`.errors` — rule refusals as sentences.
"""

from ..assessment_result import AssessmentResult
from ..engine import AnswerError, AssessmentSession, Changes, SessionError
from ..security.access import DatabaseKind
from ..security.audit import Entry
from ..security.idle import IdleDeadline
from ..security.roles import Permission
from ..store import ConflictError, StoreError, resolve_database_url
from ..store.actions import Actions, ActionView, OversightRow
from ..store.directory import Directory
from .assessment import OpenAssessment
from .errors import (
    AgeRefused,
    CompletionRefused,
    DecisionRefused,
    Locked,
    ModuleRefused,
    ReasonNeeded,
    RuleRefused,
)
from .handback import ChildHandover, HandbackAttempt
from .opening import (
    DEVELOPMENT_ENV,
    database_kind,
    describe_database,
    development_workspace,
    load_content,
    needs_sign_in,
    open_workspace,
    set_up,
    sign_in_user,
    signed_workspace,
)
from .rules import age_on
from .workspace import Unlocked, Workspace

__all__ = [
    "DEVELOPMENT_ENV",
    "ActionView", "Actions", "Directory", "OversightRow", "Permission",
    "AgeRefused", "AnswerError", "AssessmentResult", "AssessmentSession", "Changes",
    "ChildHandover", "CompletionRefused", "ConflictError", "DatabaseKind", "DecisionRefused",
    "Entry", "HandbackAttempt", "IdleDeadline", "Locked", "ModuleRefused", "OpenAssessment",
    "ReasonNeeded", "RuleRefused", "SessionError", "StoreError", "Unlocked", "Workspace",
    "age_on", "database_kind", "describe_database", "development_workspace", "load_content",
    "needs_sign_in", "open_workspace", "resolve_database_url", "set_up", "sign_in_user",
    "signed_workspace",
]

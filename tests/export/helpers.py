"""A private catalog (tests/export/content) and store, and a demo assessment to export."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pypdf

from screening_app.app import Workspace
from screening_app.app.sharing import ExportRequest
from screening_app.content import load_valid_catalog
from screening_app.store import Store, open_database

CONTENT = Path(__file__).resolve().parent / "content"

STAFF_NOTE = "Dad shouted at him in the waiting room; private staff observation."
WORRIES = "I don't want to go home because they shout all the time."
HELP = "Talking to my nan would help."


PARTNER = ExportRequest(recipient_organisation="Riverside CAMHS", recipient_role="duty clinician",
                        purpose="Urgent assessment of low mood")
PARTNER_ARGS = ("--recipient", "Riverside CAMHS", "--role", "duty clinician",
                "--purpose", "Urgent assessment of low mood")


def share(variant: str, **kw: object) -> ExportRequest:
    """A request for a variant: a partner copy names its recipient and purpose."""
    base = PARTNER if variant == "partner" else ExportRequest()
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def make_context(db_url: str, user: str = "nurse.okafor") -> Workspace:
    catalog = load_valid_catalog([CONTENT])
    return Workspace(catalog, Store(open_database(db_url)), user=user)


def demo_assessment(ctx: Workspace, *, complete: bool = True, acknowledge: bool = True,
                    worries: str = WORRIES, help_text: str = HELP, purpose: str | None = None,
                    presenting: str = "Sprained ankle at football; low and tearful at triage.",
                    reference: str = "ED-2025-0042", staff_note: str = STAFF_NOTE,
                    sleep_detail: str = "Phone and worrying about home.") -> str:
    """Every status the annex must show: answered, declined, not answered, not asked."""
    a = ctx.start(setting="ed", age=14, reference=reference,
                         presenting_issue=presenting)
    a.answer("wellbeing", "mood", "very-low")
    a.answer("wellbeing", "sleep", "yes")
    a.answer("wellbeing", "sleep_detail", sleep_detail)
    # nightmares: shown (sleep = yes) but left unanswered -> NOT ANSWERED
    a.answer("wellbeing", "school", "declined")  # DECLINED
    a.answer("wellbeing", "understand", "yes")
    a.answer("wellbeing", "appetite", 2)
    a.answer("wellbeing", "hours", 4.5)
    a.answer("wellbeing", "staff_obs", staff_note)
    a.answer("screen", "q1", "2")
    a.answer("screen", "q2", "3")
    a.answer("voice", "worries", worries)
    a.answer("voice", "help", help_text)
    a.answer("consent", "shared_with", ["gp", "camhs"])
    a.answer("consent", "purpose", purpose or "So CAMHS can assess his low mood quickly.")
    a.answer("consent", "basis", "consent")
    a.answer("consent", "child_agrees", "yes")
    if acknowledge:
        a.acknowledge("low-mood-urgent", note="Stayed with him; duty CAMHS called at 14:10.")
    if complete:
        a.complete()
    return a.id


def not_asked_assessment(ctx: Workspace) -> str:
    """sleep = no hides sleep_detail and nightmares: NOT ASKED."""
    a = ctx.start(setting="ed", age=12, reference="ED-NA-1")
    a.answer("wellbeing", "mood", "good")
    a.answer("wellbeing", "sleep", "no")
    a.answer("wellbeing", "school", "yes")
    return a.id


def pdf_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def squash(text: str) -> str:
    """Whitespace-insensitive form for comparing text taken back out of a PDF."""
    return re.sub(r"[\s\u00a0]+", "", text)

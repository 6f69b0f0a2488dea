"""The clinical-safety review's own run ``famA`` (finding 3), through the shipped content.

A school nurse's drop-in with a 14-year-old: a disclosure that her stepfather hits her and
her mother, a request for contraception, and "don't tell mum". Staff's presenting issue and
the child's words are the review's.
"""

from __future__ import annotations

from screening_app.app import Workspace, load_content
from screening_app.store import Store, open_database

PRESENTING = "Drop-in: says stepdad hits her and mum; asked for contraception"
PILL = "I want to go on the pill without mum knowing"
DONT_TELL = "Please don't tell mum about the pill"
LIKES = "I like girls too"
REFERENCE = "SN-2026-0142"
INSTRUMENTS = ("ASQ", "PHQ", "GAD", "asq 1.0.0", "psychosocial 1.0.0", "teen-topics",
               "self-rating", "HEEADSSS", "Ask Suicide")

ANSWERS: list[tuple[str, str, object]] = [
    ("school-health", "reason", "drop_in"),
    ("self-rating", "scared", "yes"),
    ("context", "known", ["domestic_abuse"]),
    ("psychosocial", "home", "yes"),
    ("psychosocial", "safety", "yes"),
    ("psychosocial", "unsafe_now", "yes"),
    ("teen-topics", "relationships", "yes"),
    ("teen-topics", "identity", "yes"),
    ("teen-topics", "relationship_detail", ["sexual_health"]),
    ("voice", "worries", PILL),
    ("voice", "anything_else", LIKES),
    ("consent", "share", "refuses"),
    ("consent", "gillick", "competent"),
    ("consent", "wishes", DONT_TELL),
]


def workspace(tmp_path, user: str = "nurse.patel") -> Workspace:
    return Workspace(load_content(), Store(open_database(f"sqlite:///{tmp_path / 'fam.db'}")),
                     user=user)


def fam_a(ws: Workspace, *, lawful_basis: str = "safeguarding") -> tuple[str, list[str]]:
    """The run as a draft (the review exported drafts too); returns its id and the answers
    the content did not accept (hidden by branching), for the test to check."""
    a = ws.start(setting="school-nurse", age=14, reference=REFERENCE,
                 presenting_issue=PRESENTING)
    skipped = []
    for module, item, value in [*ANSWERS, ("consent", "lawful_basis", lawful_basis)]:
        try:
            a.answer(module, item, value)
        except Exception:  # noqa: BLE001 - reported to the test, which asserts on it
            skipped.append(f"{module}.{item}")
    return a.id, skipped

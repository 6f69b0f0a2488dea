"""What a copy is for and may carry (issue 13): its recipient, purpose and lawful basis,
and the parts of a record a partner copy leaves out unless they are included.

The domains are data: the content items, content domains, flags and service tags of each.
``app.sharing`` checks a request and makes the :class:`Release`; ``report_data.redact``
leaves out what it excludes; the PDF prints who the copy is for and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Flags that concern the child's household: a copy taken home may be read by the person
# the child spoke about (clinical-safety review, finding 3).
HOUSEHOLD_FLAGS: dict[str, str] = {
    "psy-unsafe-now": "the child does not feel safe now",
    "sr-scared": "the child is scared of someone",
    "ctx-domestic-abuse": "domestic abuse at home",
    "teen-relationship-harm": "possible sexual harm or exploitation",
    "ed-injury-concern": "an injury that may not be accidental",
    "psy-abuse-disclosed": "abuse was disclosed",
    "psy-abuse-going-back": "the child is going back to where they were harmed",
}

# Topics a competent young person may keep from their parents (Gillick / Fraser).
CONFIDENTIAL_FLAGS: dict[str, str] = {
    "teen-sexual-health": "the child asked for confidential sexual health advice",
    "teen-identity-support": "the child talked about their identity in confidence",
}

# Safe phrasings for "why we met" on the family copy: staff's own words never go home.
VISIT_REASONS: dict[str, str] = {
    "health-check": "A check on your health and how you are.",
    "wellbeing": "A chat about how you are feeling.",
    "injury": "Your injury or illness today.",
    "school-drop-in": "You came to see the school nurse.",
    "custody": "A check on how you are while you are at the police station.",
}


@dataclass(frozen=True)
class Domain:
    """One topic a partner copy leaves out unless it is included."""

    label: str
    items: frozenset[str] = frozenset()  # "module.item"
    item_domains: frozenset[str] = frozenset()  # content domains
    flags: frozenset[str] = frozenset()
    service_tags: frozenset[str] = frozenset()
    # Options of a multi-choice item that belong to the domain ("module.item=code"): the
    # item stays, without them.
    options: frozenset[str] = frozenset()


PARTNER_DOMAINS: dict[str, Domain] = {
    "sexual-health": Domain(
        "sexual health and relationships",
        items=frozenset({"teen-topics.relationships", "teen-topics.relationships_more",
                         "teen-topics.relationship_detail", "teen-topics.pressured_when"}),
        flags=frozenset({"teen-sexual-health", "teen-relationship-harm"}),
        service_tags=frozenset({"sexual-health"})),
    "identity": Domain(
        "sexuality and identity", items=frozenset({"teen-topics.identity"}),
        flags=frozenset({"teen-identity-support"}), service_tags=frozenset({"identity"})),
    "parents": Domain(
        "information about parents and home", item_domains=frozenset({"home"}),
        flags=frozenset({"ctx-parental-needs", "psy-home"}),
        service_tags=frozenset({"family-support"}),
        # What is known about a parent's own health (the child's safety at home is not
        # "about parents": domestic abuse stays in every copy, as its flag does).
        options=frozenset({"context.known=parent_mh", "context.known=parent_substance"})),
}
# Free text (the child's own words, staff's presenting issue) cannot be sorted by topic: it
# goes with the partner copy unless a domain left out has something recorded, and then only
# when asked for.
CHILD_WORDS = "child-words"
PRESENTING_ISSUE = "presenting-issue"
FREE_TEXT = {CHILD_WORDS: "the child's own words", PRESENTING_ISSUE: "the presenting issue"}
INCLUDABLE = (*PARTNER_DOMAINS, *FREE_TEXT)

LAWFUL_BASES: dict[str, str] = {
    "consent": "consent (the child's, or a parent's where the child cannot decide)",
    "safeguarding": "safeguarding: to protect a child from significant harm",
    "legal-duty": "another legal duty (for example a court order or the duty to refer)",
    "direct-care": "direct care (UK GDPR article 6(1)(e) and 9(2)(h))",
}


def appendix_by_default(variant: str) -> bool:
    """The appendix of questions not asked or not answered: in the professional record by
    default, out of a partner copy unless asked for (it lists every topic the pathway
    holds), never in the family copy."""
    return variant == "full"


def leaves_out_line(domain: Domain, module: str, item: str, item_domain: str | None) -> bool:
    return f"{module}.{item}" in domain.items or (item_domain or "") in domain.item_domains


def leaves_out_option(domain: Domain, module: str, item: str, code: str) -> bool:
    return f"{module}.{item}={code}" in domain.options


@dataclass(frozen=True)
class Release:
    """What a copy is for and may carry: printed on the copy and kept in the audit trail."""

    variant: str
    recipient: str
    purpose: str
    lawful_basis: str | None = None
    included: frozenset[str] = frozenset()
    left_out: tuple[str, ...] = ()  # labels of the partner domains left out
    child_words: bool = True
    presenting_issue: bool = True
    visit_reason: str | None = None  # the safe sentence, not the key
    warnings: tuple[str, ...] = ()
    overrides: dict[str, str] = field(default_factory=dict)
    # The appendix of questions not asked or not answered (see ``appendix_by_default``).
    appendix: bool = False

    @property
    def excluded(self) -> tuple[Domain, ...]:
        """The partner domains this copy leaves out (none for the other copies)."""
        if self.variant != "partner":
            return ()
        return tuple(d for name, d in PARTNER_DOMAINS.items() if name not in self.included)

    @property
    def basis_label(self) -> str | None:
        return LAWFUL_BASES.get(self.lawful_basis or "", self.lawful_basis)

    def audit_detail(self) -> dict[str, Any]:
        return {"recipient": self.recipient, "purpose": self.purpose,
                "lawful_basis": self.lawful_basis,
                "included": sorted(self.included) or None,
                "left_out": list(self.left_out) or None,
                "visit_reason": self.visit_reason, **self.overrides}

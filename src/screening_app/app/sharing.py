"""Sharing safely: who a copy is for, why, and what it may carry (issue 13).

Every export passes :func:`plan_release` before anything is recorded or written. It refuses,
with a sentence saying what to do instead:

* any copy of a record with no child reference, unless "pseudonymous" is confirmed (the
  wrong-record hazard);
* a partner copy without a named recipient (organisation and role) and a purpose, or where
  the child refused and "do not share" was chosen, unless a safeguarding override is given
  with its reason;
* a family copy when a flag concerns the household or the child asked that something be kept
  from a parent, unless staff confirm "I have checked this is safe to give" with a reason.

The lists that drive these rules (household flags, confidential topics, the partner copy's
domains, the safe reasons for a visit) are data in one module, ``export.release``. The
release says who the copy is for and why; the store keeps it in the audit trail.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..assessment_result import AssessmentResult
from ..export.release import (
    CHILD_WORDS,
    CONFIDENTIAL_FLAGS,
    FREE_TEXT,
    HOUSEHOLD_FLAGS,
    INCLUDABLE,
    LAWFUL_BASES,
    PARTNER_DOMAINS,
    PRESENTING_ISSUE,
    VISIT_REASONS,
    Release,
    appendix_by_default,
)
from .errors import RuleRefused

MIN_REASON = 5  # characters: a reason is a sentence, not a tick


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for, from either door."""

    variant: str = "full"
    pseudonymous: bool = False
    # partner copy
    recipient_organisation: str | None = None
    recipient_role: str | None = None
    purpose: str | None = None
    lawful_basis: str | None = None
    include: frozenset[str] = frozenset()
    safeguarding_override: str | None = None
    # family copy
    confirm_safe: str | None = None
    visit_reason: str | None = None
    # the appendix of questions not asked or not answered (None: the variant's default)
    appendix: bool | None = None


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _answer(result: AssessmentResult, module: str, item: str) -> Any:
    for a in result.answers:
        if a.module == module and a.item == item and a.counted:
            return a.value
    return None


def family_concerns(result: AssessmentResult) -> list[str]:
    """Why a family copy could harm the child at home (empty: nothing found)."""
    raised = {f.id for f in result.every_flag_raised()}  # "in error" keeps the guard
    reasons = [why for flag, why in HOUSEHOLD_FLAGS.items() if flag in raised]
    reasons += [why for flag, why in CONFIDENTIAL_FLAGS.items() if flag in raised]
    if _answer(result, "consent", "share") == "refuses":
        reasons.append("the child asked that what they said not be shared")
    return reasons


def domains_with_content(result: AssessmentResult) -> set[str]:
    """The partner domains this record has something in."""
    raised = {f.id for f in result.every_flag_raised()}  # "in error" keeps the guard
    answered = {f"{a.module}.{a.item}" for a in result.answers if a.counted}
    chosen = {f"{a.module}.{a.item}={code}" for a in result.answers
              if a.counted and isinstance(a.value, list) for code in a.value}
    return {name for name, d in PARTNER_DOMAINS.items()
            if raised & d.flags or answered & d.items or chosen & d.options}


def plan_release(result: AssessmentResult, request: ExportRequest, *,
                 item_domains: dict[str, str | None] | None = None) -> Release:
    """Check a request against the rules and say what the copy is for; raises
    :class:`RuleRefused` with the sentence to show. ``item_domains`` maps "module.item" to
    its content domain (for domains defined by content domain)."""
    if not (result.reference or "").strip() and not request.pseudonymous:
        raise RuleRefused("this record has no child reference: add one, or confirm that the "
                          "copy is pseudonymous on purpose (--pseudonymous), so it cannot be "
                          "filed in the wrong child's record")
    if request.variant == "partner":
        release = _partner(result, request, item_domains or {})
    elif request.variant == "family":
        return _family(result, request)  # no appendix: the family copy lists no questions
    else:
        release = Release(variant="full", recipient=_text(request.recipient_organisation)
                          or "the professional record", purpose=_text(request.purpose)
                          or "the professional record of this service")
    appendix = appendix_by_default(request.variant) if request.appendix is None \
        else request.appendix
    return dataclasses.replace(release, appendix=appendix)


def _family(result: AssessmentResult, request: ExportRequest) -> Release:
    reason_key = request.visit_reason
    if reason_key is not None and reason_key not in VISIT_REASONS:
        raise RuleRefused(f"unknown reason for the visit {reason_key!r} (use one of "
                          f"{', '.join(VISIT_REASONS)})")
    overrides: dict[str, str] = {}
    concerns = family_concerns(result)
    if concerns:
        why = _text(request.confirm_safe)
        if len(why) < MIN_REASON:
            raise RuleRefused(
                "the family copy is held back because " + "; ".join(concerns) + ". A copy "
                "taken home may be read by the person the child spoke about. If you have "
                "checked this is safe to give, say why (--confirm-safe REASON)")
        overrides = {"safe_to_give": why, "family_concerns": "; ".join(concerns)}
    return Release(variant="family", recipient="the child and family",
                   purpose="the family's own copy of the visit",
                   visit_reason=VISIT_REASONS.get(reason_key or ""), overrides=overrides)


def _partner(result: AssessmentResult, request: ExportRequest,
             item_domains: dict[str, str | None]) -> Release:
    organisation, role = _text(request.recipient_organisation), _text(request.recipient_role)
    purpose = _text(request.purpose)
    if not organisation:
        raise RuleRefused("a partner copy is made for a named recipient: give the "
                          "organisation and role it goes to (--recipient)")
    if not purpose:
        raise RuleRefused("a partner copy needs its purpose: say why this recipient needs it "
                          "(--purpose)")
    unknown = sorted(set(request.include) - set(INCLUDABLE))
    if unknown:
        raise RuleRefused(f"unknown domain {unknown[0]!r} to include (use "
                          f"{', '.join(INCLUDABLE)})")
    share = _answer(result, "consent", "share")
    decided = _answer(result, "consent", "lawful_basis")
    overrides: dict[str, str] = {}
    warnings: list[str] = []
    if share == "refuses":
        if decided == "not_sharing":
            why = _text(request.safeguarding_override)
            if len(why) < MIN_REASON:
                raise RuleRefused(
                    "the child refused sharing and the record says \"do not share\": a "
                    "partner copy needs a safeguarding override with its reason "
                    "(--safeguarding-override REASON)")
            overrides["safeguarding_override"] = why
        warnings.append("The child did not want this shared: share only what is necessary "
                        "and tell the child unless that would put them at greater risk.")
    basis = request.lawful_basis or _recorded_basis(share, decided, overrides)
    if basis not in LAWFUL_BASES:
        raise RuleRefused(f"unknown lawful basis {basis!r} (use one of "
                          f"{', '.join(LAWFUL_BASES)})")
    if basis == "consent" and share == "refuses":
        raise RuleRefused("the child refused sharing, so consent cannot be the lawful basis: "
                          "choose safeguarding or another legal duty")
    included = frozenset(request.include)
    present = domains_with_content(result)
    present |= {name for name, d in PARTNER_DOMAINS.items()
                if any(item_domains.get(f"{a.module}.{a.item}") in d.item_domains
                       for a in result.answers if a.counted)}
    left_out = tuple(PARTNER_DOMAINS[d].label for d in PARTNER_DOMAINS
                     if d not in included and d in present)
    child_words = CHILD_WORDS in included or not left_out
    presenting = PRESENTING_ISSUE in included or not left_out
    recipient = f"{organisation} ({role})" if role else organisation
    return Release(variant="partner", recipient=recipient, purpose=purpose,
                   lawful_basis=basis, included=included, left_out=left_out,
                   child_words=child_words, presenting_issue=presenting,
                   warnings=tuple(warnings), overrides=overrides)


def _recorded_basis(share: Any, decided: Any, overrides: dict[str, str]) -> str:
    if overrides or decided == "safeguarding":
        return "safeguarding"
    if decided == "other_duty":
        return "legal-duty"
    if share in ("child_agrees", "parent_agrees"):
        return "consent"
    return "direct-care"


# The doors read the choices from here (the desktop never imports the export package).
__all__ = ["CONFIDENTIAL_FLAGS", "FREE_TEXT", "HOUSEHOLD_FLAGS", "INCLUDABLE", "LAWFUL_BASES",
           "PARTNER_DOMAINS", "VISIT_REASONS", "ExportRequest", "Release", "appendix_by_default",
           "domains_with_content", "family_concerns", "plan_release"]

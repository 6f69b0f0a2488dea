"""A stored assessment as plain text, for the terminal (``screening-app show``)."""

from __future__ import annotations

from ..assessment_result import AssessmentResult
from ..content import Catalog
from ..content.models import Module
from .screen_wording import answered_items, result_text

LEVEL_NAMES = {"act-now": "ACT NOW", "refer": "REFER", "consider": "CONSIDER"}


def result_as_text(result: AssessmentResult, catalog: Catalog | None = None) -> str:
    """The result for a terminal; with the ``catalog``, an incomplete screen's band is named
    when it is certain (as on the PDF's page 1), else never."""
    lines = [
        f"Assessment {result.assessment_id} ({result.status}, version {result.version})",
        f"Setting: {result.setting}   Age: {result.age}   "
        f"Reference: {result.reference or '-'}",
        f"Started {result.created_at} by {result.created_by}",
    ]
    if result.presenting_issue:
        lines.append(f"Presenting issue: {result.presenting_issue}")
    lines.append("")
    lines.append("What to do")
    if not result.flags:
        lines.append("  No flags in force." if result.raised_in_error else "  No flags raised.")
    for flag in result.flags:
        ack = " (acknowledged)" if result.acknowledgement_of(flag.id) else ""
        lines.append(f"  [{LEVEL_NAMES.get(flag.level, flag.level)}] {flag.title}{ack}")
        lines.append(f"      {flag.action}")
    for wrong in result.raised_in_error:  # kept on the record, not to act on (H-149)
        lines.append(f"  [{LEVEL_NAMES.get(wrong.flag.level, wrong.flag.level)}] "
                     f"{wrong.flag.title}: raised in error: {wrong.reason} "
                     f"({wrong.by}, {wrong.at})")
    if result.recommendations:
        lines.append("")
        lines.append("Recommended next steps")
        for rec in result.recommendations:
            owner = f" (owner: {rec.owner})" if rec.owner else ""
            lines.append(f"  - {rec.text}{owner}")
    comm = result.communication
    if comm.needs:
        lines.append("")
        lines.append("How to talk with this child")
        for need in comm.profile:
            because = ", ".join(need.triggered_by) or "answers"
            lines.append(f"  - {need.need} (from {because})")
            for adj in need.adjustments:
                lines.append(f"      * {adj}")
    if result.child_voice_detail:
        lines.append("")
        lines.append("In the child's own words")
        for words in result.child_voice_detail:
            lines.append(f"  {words.prompt}")
            lines.append(f"    \u201c{words.text}\u201d")
    lines.append("")
    lines.append("Screen results")
    counted = [(a.module, a.item, a.value) for a in result.counted_answers()]
    for m in result.modules:
        loaded = catalog.modules.get(m.module) if catalog else None
        model = loaded.model if loaded and isinstance(loaded.model, Module) else None
        worded = result_text(m, model, answered_items(m, counted))
        if worded[1:2].islower():  # "Acute positive screen" after a colon; "PHQ-2" kept
            worded = worded[:1].lower() + worded[1:]
        state = "" if m.complete or m.at_least is not None else " (incomplete)"
        lines.append(f"  {m.title}" + (f": {worded}" if worded else "") + state)
    return "\n".join(lines)

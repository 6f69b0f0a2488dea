"""What each variant must (and must not) carry: rules enforced on the data, checked in the PDF."""

from __future__ import annotations

import pytest

from screening_app.export.pdf import render_pdf
from screening_app.export.report_data import redact

from .helpers import HELP, STAFF_NOTE, WORRIES, pdf_text, squash

ACK_NOTE = "Stayed with him; duty CAMHS called at 14:10."


def _text(demo, variant: str) -> str:
    return squash("".join(pdf_text(demo["pdfs"][variant])))


def test_full_has_everything(demo):
    text = _text(demo, "full")
    for expected in (STAFF_NOTE, ACK_NOTE, demo["id"], "Score 5", WORRIES, "Appendix"):
        assert squash(expected) in text, expected


def test_partner_drops_staff_notes_and_internal_ids_but_keeps_the_reference(demo):
    text = _text(demo, "partner")
    for absent in (STAFF_NOTE, "Staff observations", ACK_NOTE, demo["id"], "Recorded by",
                   "Assessment id", "Appendix: questions not asked"):
        assert squash(absent) not in text, absent
    for present in ("ED-2025-0042", "Acknowledged by nurse.okafor", "Score 5", WORRIES, HELP,
                    "Consent and information sharing", "Copy for a partner agency",
                    "Left out of this copy: private staff notes"):
        assert squash(present) in text, present


def test_family_is_plain_with_no_scores_staff_text_or_answers(demo, demo_report):
    text = _text(demo, "family")
    # No clinical free text reaches the family: none of the recommendations' or flags' wording.
    wording = [r.text for r in demo_report.recommendations]
    wording += [w for f in demo_report.flags for w in (f.title, f.action, f.rationale)]
    assert demo_report.recommendations and demo_report.flags
    for clinical in wording:
        assert squash(clinical) not in text, clinical
    for absent in ("Score", "Raised", "Short mood screen", "Wellbeing check", "Licence",
                   STAFF_NOTE, ACK_NOTE, demo["id"], "ACT NOW", "REFER",
                   "ask the duty CAMHS clinician",  # staff instructions
                   "Refer to CAMHS single point of access within 48 hours",
                   WORRIES, HELP,  # the child's words stay in the record
                   "Appendix", "Annex", "Findings", "Low nearly every day",
                   "Consent of the child"):
        assert squash(absent) not in text, absent
    # No promise that depends on a service turning up, no staff roles, no local services.
    for absent in ("We want to make sure you are safe right now", "referral",
                   "Paediatric nurse in charge", "Who will help", "Content:",
                   "Sprained ankle"):  # staff's presenting issue
        assert squash(absent) not in text, absent
    for present in ("Your visit today", "What happens next", "Who to contact",
                    "will talk with you about what happens next", "Childline", "0800 1111",
                    "Use short sentences", "kept safely in your record", "nurse.okafor",
                    demo["doc_ids"]["family"]):
        assert squash(present) in text, present


def test_redaction_happens_on_the_data(demo_report):
    partner = redact(demo_report, "partner")
    assert partner.assessment_id is None and partner.date_of_birth is None
    assert not any(ln.staff_note for m in partner.annex for ln in m.lines)
    assert not any(ln.staff_note for d in partner.findings for ln in d.lines)
    assert all(f.acknowledgement is None or f.acknowledgement.note is None
               for f in partner.flags)
    assert all(ln.by is None for m in partner.annex for ln in m.lines)
    family = redact(demo_report, "family")
    assert family.screens == [] and family.findings == [] and family.annex == []
    assert family.child_words == [] and family.consent == []
    assert all(f.action == "" and f.title == "" for f in family.flags)
    assert family.recommendations == [] and family.services == []
    assert family.presenting_issue is None and family.content_versions == []
    # full is untouched
    assert any(ln.staff_note for m in redact(demo_report, "full").annex for ln in m.lines)


def test_unknown_variant_is_refused(demo_report, demo, tmp_path):
    from screening_app.app import RuleRefused

    with pytest.raises(ValueError):
        redact(demo_report, "everything")
    with pytest.raises(RuleRefused):
        demo["ctx"].export_pdf(demo["id"], tmp_path / "x.pdf", "everything")
    assert not (tmp_path / "x.pdf").exists()


def test_annex_can_be_switched(demo_report):
    partner = redact(demo_report, "partner")
    with_annex = squash("".join(pdf_text(render_pdf(partner, document_id="d", annex=True))))
    assert squash("Appendix: questions not asked or not answered") in with_annex
    assert squash(STAFF_NOTE) not in with_annex and "staff_obs" not in with_annex
    without = squash("".join(pdf_text(render_pdf(demo_report, document_id="d", annex=False))))
    assert squash("Appendix: questions not asked") not in without

"""Sharing safely (issue 13), on the clinical-safety review's own run famA, through both the
application layer and the command line, with the PDFs parsed back and the audit trail read.

famA: school nurse, 14, "says stepdad hits her and mum; asked for contraception", the
child's words "I want to go on the pill without mum knowing" and "Please don't tell mum
about the pill".
"""

from __future__ import annotations

import json

import pytest

from screening_app.app import RuleRefused, signed_workspace
from screening_app.app.sharing import ExportRequest
from screening_app.cli import main
from screening_app.security.access import initialise, sign_in
from screening_app.security.roles import Role
from screening_app.security.users import add_user

from .helpers import pdf_text, squash
from .review_run import DONT_TELL, INSTRUMENTS, LIKES, PILL, PRESENTING, REFERENCE, fam_a, workspace

SAFE = "Seen alone; she chose this copy and keeps it at her nan's"
MASH = ExportRequest(recipient_organisation="Northshire MASH", recipient_role="duty social worker",
                     purpose="Safeguarding referral: domestic abuse at home")
STAFF_WORDS = ("stepdad", "contraception", "Drop-in:", "hits her")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("famA")
    ws = workspace(folder)
    aid, skipped = fam_a(ws)
    assert skipped == []  # every answer of the review's run reached the content
    yield ws, aid, folder
    ws.close()


def text_of(path) -> str:
    return squash("".join(pdf_text(path.read_bytes())))


# -- the family copy ---------------------------------------------------------------------------

def test_family_copy_is_refused_without_the_override(run):
    ws, aid, folder = run
    out = folder / "family-refused.pdf"
    with pytest.raises(RuleRefused) as refused:
        ws.export_pdf(aid, out, "family")
    message = str(refused.value)
    for reason in ("the child does not feel safe now", "domestic abuse at home",
                   "the child is scared of someone", "confidential sexual health advice",
                   "asked that what they said not be shared", "--confirm-safe"):
        assert reason in message
    assert not out.exists()
    assert ws.store.load(aid).exports == []  # nothing recorded: nothing was made
    with pytest.raises(RuleRefused, match="held back"):  # a tick is not a reason
        ws.export_pdf(aid, out, "family", request=ExportRequest(confirm_safe="  ok "))


def test_family_copy_with_the_override_carries_nothing_that_can_harm_her(run):
    ws, aid, folder = run
    out = folder / "family.pdf"
    document_id = ws.export_pdf(aid, out, "family", request=ExportRequest(
        confirm_safe=SAFE, visit_reason="school-drop-in"))
    text = text_of(out)
    for staff in (PRESENTING, *STAFF_WORDS):
        assert squash(staff) not in text, staff
    for words in (PILL, DONT_TELL, LIKES, "pill", "mum"):
        assert squash(words).lower() not in text.lower(), words
    for instrument in INSTRUMENTS:
        assert squash(instrument).lower() not in text.lower(), instrument
    for promise in ("We will ask them to see you", "referral", "will talk with you today",
                    "sexual health", "safe right now", "Who will help"):
        assert squash(promise).lower() not in text.lower(), promise
    assert squash("Why we met: You came to see the school nurse.") in text
    assert squash("will talk with you about what happens next") in text
    assert document_id in text and REFERENCE in text  # the right child, the document id
    assert "Content:" not in text


def test_family_copy_prints_content_family_text_only_for_flags_away_from_home(run):
    from screening_app.export.release import HOUSEHOLD_FLAGS
    from screening_app.export.report_data import build_report, redact

    ws, aid, _ = run
    opened = ws.open(aid)
    report = build_report(opened.result(), record=opened.record, session=opened.session,
                          catalog=ws.catalog)
    family = redact(report, "family")
    assert not set(family.family_texts) & set(HOUSEHOLD_FLAGS)
    assert family.presenting_issue is None and family.services == []


# -- the partner copy --------------------------------------------------------------------------

def test_partner_copy_needs_a_named_recipient_and_purpose(run):
    ws, aid, folder = run
    out = folder / "partner-refused.pdf"
    with pytest.raises(RuleRefused, match="named recipient"):
        ws.export_pdf(aid, out, "partner")
    with pytest.raises(RuleRefused, match="purpose"):
        ws.export_pdf(aid, out, "partner", request=ExportRequest(
            recipient_organisation="Northshire MASH"))
    assert not out.exists()


def test_partner_copy_shows_the_recipient_and_leaves_out_sexual_health(run):
    ws, aid, folder = run
    out = folder / "partner.pdf"
    ws.export_pdf(aid, out, "partner", request=MASH)
    text = text_of(out)
    page1 = squash(pdf_text(out.read_bytes())[0])
    assert squash("For: Northshire MASH (duty social worker)") in page1
    assert squash("Purpose: Safeguarding referral: domestic abuse at home") in page1
    assert squash("Lawful basis: safeguarding") in page1
    assert squash(f"Child reference: {REFERENCE} · Age 14 · School nursing") in page1
    for absent in ("Sexual health advice wanted", "Would like support about identity",
                   "contraception", PILL, DONT_TELL, LIKES):
        assert squash(absent) not in text, absent
    assert squash("Left out of this copy by the sender: sexual health and relationships; "
                  "sexuality and identity; information about parents and home; the child's "
                  "own words and the presenting issue") in page1
    # What the partner needs to act on stays.
    assert squash("Domestic abuse") in text


def test_partner_copy_includes_sexual_health_only_when_asked(run):
    ws, aid, folder = run
    out = folder / "partner-sh.pdf"
    ws.export_pdf(aid, out, "partner", request=ExportRequest(
        recipient_organisation="Riverside sexual health service", recipient_role="nurse",
        purpose="Confidential contraception appointment", include=frozenset({"sexual-health"})))
    text = text_of(out)
    assert squash("Sexual health advice wanted") in text
    assert squash("Would like support about identity") not in text


def test_not_sharing_blocks_the_partner_copy_unless_a_safeguarding_override(tmp_path):
    ws = workspace(tmp_path)
    try:
        aid, _ = fam_a(ws, lawful_basis="not_sharing")
        out = tmp_path / "p.pdf"
        with pytest.raises(RuleRefused, match="do not share"):
            ws.export_pdf(aid, out, "partner", request=MASH)
        assert not out.exists()
        made = ws.export_document(aid, out, "partner", request=ExportRequest(
            **{**MASH.__dict__, "safeguarding_override": "Stepfather hits her: risk of "
               "significant harm; agreed with the safeguarding lead"}))
        assert made.release.lawful_basis == "safeguarding"
        assert made.release.warnings  # the child did not want it shared
        assert squash("The child did not want this shared") in text_of(out)
    finally:
        ws.close()


# -- the right child ---------------------------------------------------------------------------

def test_a_record_without_reference_needs_pseudonymous_confirmed(tmp_path):
    ws = workspace(tmp_path)
    try:
        a = ws.start(setting="school-nurse", age=9)
        out = tmp_path / "anon.pdf"
        with pytest.raises(RuleRefused, match="no child reference"):
            ws.export_pdf(a.id, out)
        assert not out.exists()
        ws.export_pdf(a.id, out, request=ExportRequest(pseudonymous=True))
        page1 = squash(pdf_text(out.read_bytes())[0])
        assert squash("Child reference: pseudonymous (no reference, confirmed at export)") \
            in page1
        assert squash("Age 9") in page1
    finally:
        ws.close()


# -- the same rules through the command line ---------------------------------------------------

def cli(capsys, db, *argv):
    code = main(["--db", f"sqlite:///{db}", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_line_enforces_the_same_rules(run, capsys, tmp_path):
    ws, aid, folder = run
    db = folder / "fam.db"
    out = tmp_path / "cli-family.pdf"
    code, _, err = cli(capsys, db, "export", aid, "--pdf", str(out), "--variant", "family")
    assert code == 1 and "held back" in err and "Traceback" not in err and not out.exists()
    code, stdout, err = cli(capsys, db, "export", aid, "--pdf", str(out), "--variant", "family",
                            "--confirm-safe", SAFE)
    assert code == 0, err
    assert stdout.strip() in text_of(out) and squash(PRESENTING) not in text_of(out)

    out = tmp_path / "cli-partner.pdf"
    code, _, err = cli(capsys, db, "export", aid, "--pdf", str(out), "--variant", "partner")
    assert code == 1 and "--recipient" in err and not out.exists()
    code, _, err = cli(capsys, db, "export", aid, "--pdf", str(out), "--variant", "partner",
                       "--recipient", "Northshire MASH", "--role", "duty social worker",
                       "--purpose", "Safeguarding referral")
    assert code == 0, err
    assert "left out of this copy: sexual health" in err
    text = text_of(out)
    assert squash("For: Northshire MASH (duty social worker)") in text
    assert squash("Sexual health advice wanted") not in text
    code, _, err = cli(capsys, db, "export", aid, "--pdf", str(out), "--variant", "partner",
                       "--recipient", "Northshire MASH", "--purpose", "Safeguarding referral",
                       "--include", "sexual-health")
    assert code == 1 and "already exists" in err and "--overwrite" in err
    code, _, err = cli(capsys, db, "export", aid, "--pdf", str(out), "--variant", "partner",
                       "--recipient", "Northshire MASH", "--purpose", "Safeguarding referral",
                       "--include", "sexual-health", "--overwrite")
    assert code == 0, err
    assert squash("Sexual health advice wanted") in text_of(out)


# -- the audit trail ---------------------------------------------------------------------------

ADMIN, ADMIN_PASSWORD = "Ada Admin", "lantern orchard pebble"
NURSE, PASSWORD = "Nia Patel", "violet harbour teapot"


def test_every_export_audit_entry_holds_recipient_and_purpose(tmp_path):
    url = f"sqlite:///{tmp_path / 'heard.db'}"
    initialise(url, ADMIN, ADMIN_PASSWORD, team="School nursing")
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, NURSE, Role.PRACTITIONER, "School nursing", PASSWORD)
        add_user(admin, "Sue Lead", Role.SUPERVISOR, "School nursing", PASSWORD)
    finally:
        admin.close()
    from screening_app.app import load_content

    catalog = load_content()
    ws = signed_workspace(catalog, sign_in(url, NURSE, PASSWORD))
    try:
        aid, _ = fam_a(ws)
        ws.export_pdf(aid, tmp_path / "full.pdf")
        ws.export_pdf(aid, tmp_path / "partner.pdf", "partner", request=MASH)
        ws.export_pdf(aid, tmp_path / "family.pdf", "family",
                      request=ExportRequest(confirm_safe=SAFE))
        ws.export_document(aid, tmp_path / "spool.pdf", "partner", request=MASH,
                           action="print", destination="printer Office-2")
    finally:
        ws.close()
    lead = signed_workspace(catalog, sign_in(url, "Sue Lead", PASSWORD))
    try:
        trail = lead.record_trail(aid)
    finally:
        lead.close()
    exports = [json.loads(e.detail) for e in trail if e.action == "export"]
    printed = [json.loads(e.detail) for e in trail if e.action == "print"]
    assert len(printed) == 1 and printed[0]["destination"] == "printer Office-2"
    assert printed[0]["recipient"] == "Northshire MASH (duty social worker)"
    assert printed[0]["purpose"] == MASH.purpose
    assert [e["variant"] for e in exports] == ["full", "partner", "family"]
    for entry in exports:
        assert entry["recipient"] and entry["purpose"] and entry["document_id"]
    full, partner, family = exports
    assert full["recipient"] == "the professional record"
    assert partner["recipient"] == "Northshire MASH (duty social worker)"
    assert partner["purpose"] == "Safeguarding referral: domestic abuse at home"
    assert partner["lawful_basis"] == "safeguarding"
    assert partner["left_out"] == ["sexual health and relationships", "sexuality and identity",
                                   "information about parents and home"]
    assert family["recipient"] == "the child and family"
    assert family["safe_to_give"] == SAFE
    assert "domestic abuse at home" in family["family_concerns"]


# -- family wording from the content (finding 14) -----------------------------------------------

def test_a_quiet_custody_record_gets_the_contents_family_words_not_a_promise(tmp_path):
    """Run cust_quiet: only the always-on appropriate-adult act-now. The family copy said
    "We want to make sure you are safe right now ... will talk with you today"."""
    ws = workspace(tmp_path)
    try:
        a = ws.start(setting="custody", age=15, reference="CU-1")
        a.answer("custody-booking", "appropriate_adult", "not_yet")
        assert "custody-appropriate-adult" in {f.id for f in a.result().flags}
        out = tmp_path / "family.pdf"
        ws.export_pdf(a.id, out, "family")  # nothing about the household: not held back
        text = text_of(out)
    finally:
        ws.close()
    assert squash("You have the right to an appropriate adult to support you") in text
    for promise in ("safe right now", "will talk with you today", "referral",
                    "No appropriate adult arranged yet", "PACE"):
        assert squash(promise) not in text, promise


def test_family_text_is_one_plain_paragraph():
    from pydantic import ValidationError

    from screening_app.content.models import Flag

    base = dict(id="x-flag", level="consider", title="T", action="A", rationale="R",
                source="S", when={"item": "q", "equals": "yes"})
    assert Flag(**base, family_text="Plain words.").family_text == "Plain words."
    for bad in ("<b>bold</b>", "x" * 301, ""):
        with pytest.raises(ValidationError):
            Flag(**base, family_text=bad)


def test_consent_cannot_be_the_basis_when_the_child_refused(run):
    ws, aid, folder = run
    with pytest.raises(RuleRefused, match="consent cannot be the lawful basis"):
        ws.export_pdf(aid, folder / "c.pdf", "partner", request=ExportRequest(
            **{**MASH.__dict__, "lawful_basis": "consent"}))
    with pytest.raises(RuleRefused, match="unknown reason for the visit"):
        ws.export_pdf(aid, folder / "c.pdf", "family", request=ExportRequest(
            confirm_safe=SAFE, visit_reason="Says stepdad hits her"))
    assert not (folder / "c.pdf").exists()

"""What the PDF says: page 1, the detail, headers and footers, metadata, the audit record."""

from __future__ import annotations

import io

import pypdf
import pytest

from screening_app import __version__

from .helpers import (
    HELP,
    STAFF_NOTE,
    WORRIES,
    demo_assessment,
    make_context,
    pdf_text,
    share,
    squash,
)


def test_page_one_has_what_to_do_now(demo):
    page1 = pdf_text(demo["pdfs"]["full"])[0]
    for expected in [
        "ED-2025-0042", "Age 14", "Emergency department", "nurse.okafor",
        "Sprained ankle at football",
        # act-now and refer flags with their actions and acknowledgement
        "ACT NOW", "Very low mood with sleep loss", "ask the duty CAMHS clinician",
        "Acknowledged by nurse.okafor", "REFER", "Low mood",
        "Refer to the CAMHS single point of access", "no decision yet",
        # actions with owners
        "Refer to CAMHS single point of access within 48 hours", "Paediatric nurse in charge",
        "Triage nurse",
        # communication profile
        "How to talk with this child", "Needs extra time to understand spoken language",
        "Use short sentences and one question at a time",
        # the child's own words
        "In the child's own words", "What worries you most right now?",
    ]:
        assert squash(expected) in squash(page1), expected
    assert squash(WORRIES) in squash(page1)
    assert squash(HELP) in squash(page1)


def test_detail_sections(demo):
    text = squash("".join(pdf_text(demo["pdfs"]["full"])))
    for expected in [
        "Findings by area", "Sleep", "Phone and worrying about home.", "4.5 hours",
        "Screen results", "Short mood screen (test) (version 1.3.0)", "Score 5", "Raised",
        "Test Instrument Authors (2020)", "Licence: Public domain (test)",
        "Consent and information sharing", "GP; CAMHS", "So CAMHS can assess his low mood",
        "Consent of the child",
        "Not offered at this age", "Under 16s are not asked about work",
        "Appendix: questions not asked or not answered",
    ]:
        assert squash(expected) in text, expected


def test_appendix_tells_not_asked_from_not_answered_and_findings_show_declined(demo):
    text = "".join(pdf_text(demo["pdfs"]["full"]))
    appendix_at = text.index("Appendix: questions not asked")
    findings, appendix = squash(text[:appendix_at]), squash(text[appendix_at:])
    # school was declined (in the findings); school_detail is hidden because school was not
    # "no"; nightmares was shown (sleep = yes) but left unanswered; followup never started.
    assert squash("Are you going to school most days? DECLINED") in findings
    # each question by its prompt, never its id (walk 3); those branching hid are counted
    # (listed only with an answer kept from before), so a no-concerns record stays 2 pages
    assert squash("What makes it hard to go to school?") not in appendix
    assert squash("1 not asked") in appendix
    assert squash("NOT ANSWERED: Do you have nightmares most nights?") in appendix
    assert "school_detail" not in appendix and "nightmares:" not in appendix
    assert squash("Not started (their pathway condition was not met): Follow-up") in appendix
    assert "DECLINED" not in appendix


def test_hidden_answer_is_kept_but_marked_as_not_counting(tmp_path):
    ctx = make_context(f"sqlite:///{tmp_path / 'h.db'}")

    a = ctx.start(setting="ed", age=13, reference="R-HIDDEN")
    a.answer("wellbeing", "sleep", "yes")
    a.answer("wellbeing", "sleep_detail", "Noisy flat")
    a.answer("wellbeing", "sleep", "no")  # hides sleep_detail again
    out = tmp_path / "h.pdf"
    ctx.export_pdf(a.id, out)
    text = squash("".join(pdf_text(out.read_bytes())))
    assert squash("What gets in the way of sleep? NOT ASKED") in text
    assert "sleep_detail" not in text
    assert squash("An earlier answer, given before it was hidden, is kept in the record but "
                  "does not count") in text
    findings = text[text.index(squash("Findings by area")):text.index(squash("Screen results"))]
    assert "Noisyflat" not in findings


def test_every_page_has_marking_reference_page_numbers_versions_and_document_id(demo):
    for variant, data in demo["pdfs"].items():
        pages = pdf_text(data)
        doc_id = demo["doc_ids"][variant]
        for n, page in enumerate(pages, start=1):
            assert page.count("OFFICIAL-SENSITIVE") >= 2, (variant, n)  # top and bottom
            assert "ED-2025-0042" in page
            assert f"Page {n} of {len(pages)}" in page
            assert doc_id in page
            assert f"screening-app {__version__}" in page
            versions = "wellbeing 2.1.0" in page and "pathway:ed 0.9.0" in page
            # The family copy names no instrument or content version (it keeps the id).
            assert versions == (variant != "family"), (variant, n)
    assert len(pdf_text(demo["pdfs"]["full"])) >= 2


def test_marking_is_configurable(tmp_path):
    ctx = make_context(f"sqlite:///{tmp_path / 'm.db'}")
    aid = demo_assessment(ctx)
    out = tmp_path / "m.pdf"
    ctx.export_pdf(aid, out, "partner", request=share("partner"),
                   marking="OFFICIAL-SENSITIVE [PERSONAL] <b>x</b>")
    pages = pdf_text(out.read_bytes())
    assert all("OFFICIAL-SENSITIVE [PERSONAL] <b>x</b>" in p for p in pages)


def test_each_export_is_recorded_with_its_variant(demo):
    exports = demo["ctx"].store.load(demo["id"]).exports
    recorded = {e.document_id: e for e in exports}
    for variant, doc_id in demo["doc_ids"].items():
        assert recorded[doc_id].variant == variant
        assert recorded[doc_id].kind == "pdf"
        assert recorded[doc_id].by == "nurse.okafor"


def test_metadata_is_neutral_and_outline_has_sections(demo):
    for variant, data in demo["pdfs"].items():
        reader = pypdf.PdfReader(io.BytesIO(data))
        meta = reader.metadata
        assert meta.author == "Heard screening-app"
        assert meta.title.startswith("Heard screening record")
        everything = " ".join(str(v) for v in meta.values())
        for personal in ("ED-2025-0042", "nurse.okafor", demo["id"], "Sprained"):
            assert personal not in everything, (variant, personal)
        outline = [o.title for o in reader.outline if not isinstance(o, list)]
        assert outline, variant
        assert reader.trailer["/Root"].get("/Lang") == "en-GB"
    full_outline = [o.title for o in pypdf.PdfReader(io.BytesIO(demo["pdfs"]["full"])).outline
                    if not isinstance(o, list)]
    assert {"What to do", "Recommended actions and referrals", "How to talk with this child",
            "In the child's own words", "Screen results", "Consent and information sharing",
            "Appendix: questions not asked or not answered"} <= set(full_outline)


def test_outline_points_at_the_right_pages(demo):
    reader = pypdf.PdfReader(io.BytesIO(demo["pdfs"]["full"]))
    for entry in reader.outline:
        if isinstance(entry, list):
            continue
        page = reader.get_destination_page_number(entry)
        assert squash(entry.title) in squash(reader.pages[page].extract_text()), entry.title


def test_draft_is_marked(tmp_path):
    ctx = make_context(f"sqlite:///{tmp_path / 'd.db'}")
    aid = demo_assessment(ctx, complete=False)
    out = tmp_path / "d.pdf"
    ctx.export_pdf(aid, out)
    page1 = pdf_text(out.read_bytes())[0]
    assert "DRAFT" in page1 and "not been completed" in page1


def test_unacknowledged_act_now_says_so(tmp_path):
    ctx = make_context(f"sqlite:///{tmp_path / 'u.db'}")
    aid = demo_assessment(ctx, acknowledge=False, complete=False)  # completing is refused
    out = tmp_path / "u.pdf"
    ctx.export_pdf(aid, out)
    assert "NOT ACKNOWLEDGED" in pdf_text(out.read_bytes())[0]


def test_no_consent_record_is_called_out(tmp_path):

    ctx = make_context(f"sqlite:///{tmp_path / 'c.db'}")
    a = ctx.start(setting="ed", age=9)
    a.answer("wellbeing", "mood", "ok")
    out = tmp_path / "c.pdf"
    ctx.export_pdf(a.id, out, "partner", request=share("partner", pseudonymous=True))
    text = squash("".join(pdf_text(out.read_bytes())))
    assert squash("No consent or information-sharing record was made") in text


@pytest.mark.parametrize("variant", ["full", "partner", "family"])
def test_staff_note_text_never_leaves_in_partner_or_family(demo, variant):
    text = squash("".join(pdf_text(demo["pdfs"][variant])))
    present = squash(STAFF_NOTE) in text
    assert present == (variant == "full")

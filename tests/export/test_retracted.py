"""A retracted act-now disclosure is still on page 1 of the record (issue 11.8): who raised
it, who acknowledged it, who changed the answer, when and why. The family copy, which may
be read at home, does not carry it."""

from __future__ import annotations

from screening_app.app import development_workspace, load_content

from .helpers import pdf_text, share, squash


def test_a_retracted_disclosure_stays_on_page_one(tmp_path):
    ws = development_workspace(load_content(), f"sqlite:///{tmp_path / 'r.db'}", "Nurse Ola")
    try:
        a = ws.start(setting="ed", age=15, reference="ED-RETRACT")
        a.answer("asq", "q1", "yes")
        raised = a.unacknowledged_act_now()
        for flag_id in raised:
            a.acknowledge(flag_id)
        a.answer("asq", "q1", "no", reason="she said she had misread the question")
        title = a.result().retracted[0].title
        pages = {}
        for variant in ("full", "partner", "family"):
            out = tmp_path / f"{variant}.pdf"
            ws.export_pdf(a.id, out, variant, request=share(variant))
            pages[variant] = squash(pdf_text(out.read_bytes())[0])
    finally:
        ws.close()
    for variant in ("full", "partner"):
        page1 = pages[variant]
        assert squash("Disclosures later changed") in page1
        assert squash(title) in page1
        assert squash("Acknowledged by Nurse Ola") in page1
        assert squash("Reason: she said she had misread the question") in page1
    assert squash("Disclosures later changed") not in pages["family"]
    assert squash("misread") not in pages["family"]


def test_safety_screens_not_done_and_incomplete_scores_are_on_the_record(tmp_path):
    """A missing screen must not read as a negative one (issue 11.7): blank or not-asked
    safety screens are named, with the reason, and an incomplete PHQ-9 already past a
    threshold says "at least N, incomplete" (issue 11.4)."""
    ws = development_workspace(load_content(), f"sqlite:///{tmp_path / 's.db'}", "Dr Ade")
    try:
        a = ws.start(setting="gp", age=15, modules=["phq9"])
        for item in ("q1", "q2", "q3", "q4", "q5", "q6"):
            a.answer("phq9", item, 3)
        waiting = a.unresolved_safety_screens()
        assert waiting
        a.record_not_asked(waiting[0].module, waiting[0].item, "mum in the room")
        out = tmp_path / "s.pdf"
        ws.export_pdf(a.id, out, "full", request=share("full", pseudonymous=True))
        text = squash("".join(pdf_text(out.read_bytes())))
    finally:
        ws.close()
    assert squash("Safety screens not done") in text
    assert squash("mum in the room") in text
    assert squash("At least 18, incomplete") in text


def test_the_professional_copy_lists_the_local_services_that_fit(tmp_path):
    """Issue 16.2: suggestions reach the professional record, with why and freshness."""
    from screening_app.demo import _sample_directory

    ws = development_workspace(load_content(), f"sqlite:///{tmp_path / 'v.db'}", "Nurse Ola")
    try:
        _sample_directory(ws)
        a = ws.start(setting="ed", age=15, reference="ED-SVC")
        a.answer("asq", "q1", "yes")
        first = a.result().services[0]
        out = tmp_path / "v.pdf"
        ws.export_pdf(a.id, out, "full")
        text = squash("".join(pdf_text(out.read_bytes())))
    finally:
        ws.close()
    assert squash("Local services that fit") in text
    assert squash(first["name"]) in text

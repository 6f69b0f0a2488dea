"""A retracted act-now disclosure is still on page 1 of the record (issue 11.8): who raised
it, who acknowledged it, who changed the answer, when and why. The family copy, which may
be read at home, does not carry it."""

from __future__ import annotations

from screening_app.app import development_workspace, load_content

from .helpers import pdf_text, squash


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
            ws.export_pdf(a.id, out, variant)
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

"""Page 1 is what the next professional needs (issue 13.4), on the shipped content: the
right child, the communication profile, one line per screen, the safety screens not done,
strengths, then flags and actions; the appendix of questions not asked or not answered is
a choice of the core (on for the full record, off for a partner copy), through both doors;
ids never wrap; a no-concerns ED record is two pages."""

from __future__ import annotations

import re

import pytest

from screening_app.app import Workspace, load_content
from screening_app.cli import main
from screening_app.store import Store, open_database

from .helpers import pdf_text, share, squash
from .quiet_record import quiet_ed
from .render_demo import make_demo

APPENDIX = "Appendix: questions not asked or not answered"
RISK_WORDS = re.compile(r"\b(low|medium|moderate|high)[- ]risk\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page1")
    ws = Workspace(load_content(), Store(open_database(f"sqlite:///{folder / 'p.db'}")),
                   user="S. Patel (ED nurse)")
    quiet = quiet_ed(ws)
    demo, _ = make_demo(ws)
    yield ws, quiet, demo, folder, f"sqlite:///{folder / 'p.db'}"
    ws.close()


def _export(ws: Workspace, aid: str, folder, name: str, variant: str,
            **kw: object) -> tuple[list[str], str]:
    out = folder / f"{name}.pdf"
    document_id = ws.export_pdf(aid, out, variant, request=share(variant, **kw),
                                overwrite=True)
    return pdf_text(out.read_bytes()), document_id


def test_a_no_concerns_ed_record_is_two_pages_with_what_matters_on_page_one(shipped):
    ws, quiet, _, folder, _ = shipped
    # Two pages with the optional appendix (on by default in the full record), which names
    # each unanswered question by its prompt (walk 3) and counts those branching hid.
    body, _ = _export(ws, quiet, folder, "quiet-body", "full", appendix=False)
    assert len(body) == 2
    pages, document_id = _export(ws, quiet, folder, "quiet-full", "full")
    assert len(pages) == 2
    assert squash(APPENDIX) not in squash("".join(body))
    page1 = squash(pages[0])
    in_order = ["Child reference: ED-25-00731 · Age 14 · Emergency department",
                "How to talk with this child", "No communication needs were identified",
                "Screens", "Psychosocial: No worries raised — no flag raised",
                "ASQ: Negative screen — no flag raised",
                "PHQ-9: not done", "GAD-7: not done",
                "What to do", "No flags in force",
                "Recommended actions and referrals", "ED nurse or doctor discharging the child"]
    at = [page1.find(squash(text)) for text in in_order]
    assert -1 not in at, [t for t, n in zip(in_order, at, strict=True) if n < 0]
    assert at == sorted(at), in_order
    assert not RISK_WORDS.search(" ".join(pages))
    # The appendix is in the full record by default, after the findings.
    assert squash(APPENDIX) in squash(pages[1])
    assert squash("Not started (their pathway condition was not met)") in squash(pages[-1])
    assert squash("Answers entered by S. Patel (ED nurse)") in squash(pages[-1])
    # Ids are never wrapped mid-string: each sits whole on one line of its page.
    lines = [line for page in pages for line in page.splitlines()]
    assert any(quiet in line for line in pages[0].splitlines()), "record id wrapped"
    assert all(any(document_id in line for line in page.splitlines()) for page in pages)
    assert sum(document_id in line for line in lines) >= len(pages)


def test_each_screen_has_one_line_and_page_one_has_strengths_before_the_flags(shipped):
    ws, _, demo, folder, _ = shipped
    for variant in ("full", "partner"):
        pages, _ = _export(ws, demo, folder, f"demo-{variant}", variant,
                           include=frozenset({"child-words", "parents"})
                           if variant == "partner" else frozenset())
        page1 = squash(pages[0])
        lines = ["PHQ-9: 14, moderate (10-14) — refer", "GAD-7: 8, mild (5-9) — consider",
                 "ASQ: Negative screen — no flag raised",
                 "Psychosocial: One or more worries recorded, not finished — refer"]
        for line in lines:
            assert squash(line) in page1, (variant, line)
        order = ["How to talk with this child", "Screens", "Strengths, and who helps",
                 "Mrs Hughes at school, and my nan.", "What to do", "REFER"]
        at = [page1.find(squash(text)) for text in order]
        assert -1 not in at and at == sorted(at), (variant, at)
        assert not RISK_WORDS.search(" ".join(pages))


def test_the_appendix_is_the_cores_choice_on_for_full_and_off_for_partner(shipped):
    ws, quiet, _, folder, _ = shipped
    chosen = {}
    for variant, appendix in [("full", None), ("full", False), ("partner", None),
                              ("partner", True)]:
        pages, _ = _export(ws, quiet, folder, f"appendix-{variant}-{appendix}", variant,
                           appendix=appendix)
        chosen[variant, appendix] = squash(APPENDIX) in squash("".join(pages))
    assert chosen == {("full", None): True, ("full", False): False,
                      ("partner", None): False, ("partner", True): True}
    release = ws.export_document(quiet, folder / "r.pdf", "partner",
                                 request=share("partner"), overwrite=True).release
    assert release.appendix is False


def test_the_command_line_reaches_the_same_appendix_choice(shipped, capsys):
    ws, quiet, _, folder, db = shipped
    partner = ["--recipient", "Riverside CAMHS", "--purpose", "Follow-up", "--overwrite"]
    found = {}
    for flag in ("", "--appendix", "--no-appendix"):
        for variant in ("full", "partner"):
            out = folder / f"cli-{variant}{flag}.pdf"
            args = ["--db", db, "export", quiet, "--pdf", str(out), "--variant", variant,
                    *(partner if variant == "partner" else ["--overwrite"])]
            code = main(args + ([flag] if flag else []))
            assert code == 0, capsys.readouterr().err
            found[variant, flag] = squash(APPENDIX) in squash("".join(pdf_text(
                out.read_bytes())))
    assert found == {("full", ""): True, ("partner", ""): False,
                     ("full", "--appendix"): True, ("partner", "--appendix"): True,
                     ("full", "--no-appendix"): False, ("partner", "--no-appendix"): False}


def test_a_flag_raised_in_error_is_shown_as_such_and_not_as_in_force(shipped):
    """A flag marked raised in error (the core's decision, with its reason) reads "raised in
    error: REASON" on page 1 of the professional copies, with no level panel; the family copy
    says nothing of it."""
    ws, _, _, folder, _ = shipped
    a = ws.start(setting="ed", age=15, reference="ED-ERR-1")
    a.answer("psychosocial", "mood", "yes")
    (target,) = a.result().flags  # the one flag a mood worry raises
    a.decide(f"flag:{target.id}", "error", reason="ticked yes for the wrong question")
    assert target.id not in {f.id for f in a.result().flags}
    for variant in ("full", "partner"):
        pages, _ = _export(ws, a.id, folder, f"error-{variant}", variant)
        page1 = squash(pages[0])
        level = {"act-now": "Act now", "refer": "Refer", "consider": "Consider"}[target.level]
        assert squash(f"{level}: {target.title}: raised in error: ticked yes for the wrong "
                      "question (S. Patel (ED nurse),") in page1, variant
        # Named once, in that line: no level panel, no "consider" line.
        assert page1.count(squash(target.title)) == 1, variant
        assert squash("No flags in force") in page1


def test_a_screen_whose_flag_was_marked_in_error_never_reads_no_flag_raised(shipped):
    """ASQ answered 'yes' by a mis-click, its act-now flags marked raised in error: the screen
    line says so, never "no flag raised" (which would read as a negative screen)."""
    ws, _, _, folder, _ = shipped
    a = ws.start(setting="ed", age=15, reference="ED-ERR-2")
    for item in ("q1", "q2", "q3", "q4"):
        a.answer("asq", item, "no" if item != "q1" else "yes")
    a.answer("asq", "q5", "no")
    for flag in [f for f in a.result().flags if f.module == "asq"]:
        a.decide(f"flag:{flag.id}", "error", reason="wrong child's answers")
    pages, _ = _export(ws, a.id, folder, "error-asq", "full")
    page1 = squash(pages[0])
    asq = page1[page1.index(squash("ASQ:")):][:200]
    assert "no flag raised" not in asq
    assert squash("its flag was marked raised in error") in asq


def test_an_acute_asq_marked_in_error_reads_as_scored_with_its_marked_flag_and_the_next(
        shipped):
    """H-149: the acute flag marked in error with q1 'yes' brings back the positive-screen
    flag. Page 1 says what the screen scored, that a flag it raised was marked in error, the
    marked flag with its reason, and the act-now flag now standing."""
    ws, _, _, folder, _ = shipped
    a = ws.start(setting="ed", age=15, reference="ED-ERR-3")
    for item, value in (("q1", "yes"), ("q2", "no"), ("q3", "no"), ("q4", "no"), ("q5", "yes")):
        a.answer("asq", item, value)
    a.decide("flag:asq-acute", "error", reason="tapped Yes on q5 by mistake")
    returned = next(f for f in a.result().flags if f.id == "asq-non-acute")
    pages, _ = _export(ws, a.id, folder, "error-asq-acute", "full")
    page1 = squash(pages[0])
    asq = page1[page1.index(squash("ASQ:")):][:200]
    assert asq.startswith(squash("ASQ: Acute positive screen: act now — a flag it raised was "
                                 "marked raised in error (see below)"))
    assert squash("Acute positive suicide screen: raised in error: tapped Yes on q5 by "
                  "mistake") in page1
    assert squash(returned.title) in page1 and squash("No flags in force") not in page1


def test_a_screen_left_unanswered_is_not_read_as_clear(shipped):
    """The review's run (a draft): the ASQ was not answered, so its line says so, with no
    "no flag raised" that could read as a negative screen."""
    from .review_run import fam_a

    ws, _, _, folder, _ = shipped
    aid, _ = fam_a(ws)
    pages, _ = _export(ws, aid, folder, "fam-partner", "partner")
    page1 = squash(pages[0])
    assert squash("ASQ: Not answered") in page1
    assert squash("ASQ: Not answered — no flag raised") not in page1
    assert squash("Safety screens not done") in page1


def test_a_partner_copy_says_the_childs_words_were_left_out_not_that_there_were_none(shipped):
    ws, _, demo, folder, _ = shipped
    pages, _ = _export(ws, demo, folder, "demo-partner-default", "partner")
    text = squash("".join(pages))
    assert squash("No words were recorded") not in text
    assert squash("In the child's own words Left out of this copy by the sender") in text


def test_a_refer_flag_is_decided_not_acknowledged(shipped):
    """Walk finding: "REFER - not acknowledged" stood above "Accepted by": only an act-now
    flag is acknowledged; a refer flag's panel says its decision, or that none is made."""
    ws, _, _, folder, _ = shipped
    a = ws.start(setting="ed", age=15, reference="ED-REF-1")
    a.answer("psychosocial", "mood", "yes")
    refer = [f for f in a.result().flags if f.level == "refer"]
    if not refer:  # the mood worry raises a consider flag in this content: use PHQ-9
        a.add_module("phq9")
        for i in range(1, 10):
            a.answer("phq9", f"q{i}", 2 if i < 9 else 0)
        refer = [f for f in a.result().flags if f.level == "refer"]
    assert refer
    pages, _ = _export(ws, a.id, folder, "refer-undecided", "full")
    assert squash("no decision yet") in squash(pages[0])
    assert "not acknowledged" not in pages[0].lower().replace("not acknowledged in the app",
                                                              "")
    a.decide(f"flag:{refer[0].id}", "accept")
    pages, _ = _export(ws, a.id, folder, "refer-accepted", "full")
    assert squash("accepted") in squash(pages[0]).lower()

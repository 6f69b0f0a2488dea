"""Faults a tester found in the full PDF after walking Heard in a real window (issue 15, walk
3: ED, age 15): an incomplete screen worded beside a band its floor already passed, item ids
in the appendix, "Presenting issue: not recorded" under a recorded reason for attending,
and flags whose record (a lapsed "raised in error", an acknowledgement) vanished. Shipped
content, real SQLite, the real PDF parsed back with pypdf; the terminal view agrees."""

from __future__ import annotations

import re

import pytest

from screening_app.app import Workspace, load_content
from screening_app.cli import main
from screening_app.export.text import result_as_text
from screening_app.store import Store, open_database

from .helpers import make_context, pdf_text, share, squash

USER = "Alice Admin"


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walk3")
    url = f"sqlite:///{folder / 'w.db'}"
    ws = Workspace(load_content(), Store(open_database(url)), user=USER)
    yield ws, folder, url
    ws.close()


def _pages(ws: Workspace, aid: str, folder, name: str, variant: str = "full") -> list[str]:
    out = folder / f"{name}.pdf"
    ws.export_pdf(aid, out, variant, request=share(variant), overwrite=True)
    return pdf_text(out.read_bytes())


def _walk3(ws: Workspace):
    """The tester's record: physical illness, low mood, PHQ-2 of 2 with item 9 answered."""
    a = ws.start(setting="ed", age=15, reference="ED-WALK3-A")
    a.answer("ed-triage", "reason", "illness")
    a.answer("psychosocial", "mood", "yes")
    for item in ("q1", "q2", "q9"):
        a.answer("phq9", item, "1")
    return a


def test_an_incomplete_phq9_never_sits_beside_a_band_its_floor_already_passed(walk):
    ws, folder, _ = walk
    a = _walk3(ws)
    page1 = squash(_pages(ws, a.id, folder, "phq")[0])
    assert squash("PHQ-9: At least 3, incomplete; PHQ-2 2: below 3 (0-2)") in page1
    assert squash("At least 3, below 3") not in page1
    # no "at least N" beside a band whose top is below N, anywhere on page 1
    for floor, top in re.findall(r"Atleast(\d+),[^;—]*?\(\d+-(\d+)\)", page1):
        assert int(floor) <= int(top), page1
    text = result_as_text(a.result(), ws.catalog)
    assert "Patient Health Questionnaire (PHQ-9): at least 3, incomplete; PHQ-2 2: below 3" \
        in text


def test_the_terminal_view_says_at_least_n_incomplete(walk, capsys):
    ws, _, url = walk
    a = _walk3(ws)
    assert main(["--db", url, "--user", USER, "show", a.id]) == 0
    out = capsys.readouterr().out
    assert "(PHQ-9): at least 3, incomplete; PHQ-2 2: below 3 (0-2)" in out


def test_an_incomplete_sum_names_its_band_only_when_every_total_left_is_in_it(tmp_path):
    """The private short screen (two items, 0-3 each; minimal 0-2, raised 3-6)."""
    ctx = make_context(f"sqlite:///{tmp_path / 'c.db'}")
    certain = ctx.start(setting="ed", age=14, reference="ED-C1")
    certain.answer("screen", "q1", "3")  # 3 to 6 whatever q2 is: raised, certainly
    unsure = ctx.start(setting="ed", age=14, reference="ED-C2")
    unsure.answer("screen", "q1", "1")  # 1 to 4: minimal or raised
    one = squash(_pages(ctx, certain.id, tmp_path, "certain")[0])
    two = squash(_pages(ctx, unsure.id, tmp_path, "unsure")[0])
    assert squash("test: At least 3, incomplete, raised") in one
    assert squash("test: At least 1, incomplete") in two
    assert "incomplete,minimal" not in two.lower()


def test_the_appendix_names_each_question_by_its_prompt_and_module_never_by_id(walk):
    ws, folder, _ = walk
    a = _walk3(ws)
    pages = _pages(ws, a.id, folder, "appendix")
    appendix = "\n".join(pages)
    appendix = appendix[appendix.index("Appendix: questions not asked or not answered"):]
    flat = squash(appendix)
    assert squash("Patient Health Questionnaire (PHQ-9)") in flat
    assert re.search(r"NOTANSWERED:[A-Z][a-z]", flat), "unanswered questions by their prompt"
    # those branching hid (PHQ-9 q3-q8 after a PHQ-2 below 3) are counted, not listed: no
    # gap, and a no-concerns ED record stays two pages (issue 13.4)
    assert re.search(r"Questionnaire\(PHQ-9\)\(version[\d.]+\)·\d+answeredordeclined·\d+notanswered"
                     r"·[1-9]\d*notasked", flat)
    assert squash("Trouble falling or staying asleep, or sleeping too much") not in flat
    assert squash("NOT ASKED (hidden by branching)") not in flat
    for raw in ("q3", "q4", "self_harm_now", "self_harm_when", "going_well", "worries:"):
        assert not re.search(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", appendix), raw


def test_page_one_shows_the_reason_for_attending_never_not_recorded(walk):
    ws, folder, _ = walk
    a = _walk3(ws)  # no free-text presenting issue: the Start page no longer asks for it
    page1 = squash(_pages(ws, a.id, folder, "reason")[0])
    assert squash("Reason for attending: Physical illness") in page1
    assert squash("Presenting issue: not recorded") not in page1
    partner = squash(_pages(ws, a.id, folder, "reason-partner", "partner")[0])
    assert squash("Reason for attending: Physical illness") in partner
    typed = ws.start(setting="ed", age=15, reference="ED-WALK3-B",
                     presenting_issue="Vomiting since Sunday.")
    typed.answer("ed-triage", "reason", "illness")
    both = squash(_pages(ws, typed.id, folder, "reason-both")[0])
    assert squash("Reason for attending: Physical illness") in both
    assert squash("Presenting issue: Vomiting since Sunday.") in both
    nothing = ws.start(setting="ed", age=15, reference="ED-WALK3-C")
    assert squash("Presenting issue: not recorded") in squash(
        _pages(ws, nothing.id, folder, "reason-none")[0])


def test_a_lapsed_marking_and_an_acknowledged_flag_no_longer_raised_stay_on_the_pdf(walk):
    """H-149: the acute ASQ marked in error, the positive-screen flag it brought back
    acknowledged, then a later answer lapses the marking: the acute flag is back (page 1
    says it was marked, by whom and why) and the acknowledged one is gone from the answers
    but not from the record (after page 1)."""
    ws, folder, _ = walk
    a = ws.start(setting="ed", age=15, reference="ED-WALK3-D")
    a.answer("asq", "q1", "yes")
    a.answer("asq", "q5", "yes")
    a.decide("flag:asq-acute", "error", reason="tapped yes by mistake")
    a.acknowledge("asq-non-acute", note="Stayed with her; CAMHS called")
    a.answer("asq", "q2", "no")
    pages = _pages(ws, a.id, folder, "lapsed")
    page1, rest = squash(pages[0]), squash("\n".join(pages[1:]))
    assert squash("Was marked raised in error by Alice Admin") in page1
    assert squash("(reason: tapped yes by mistake); a later answer raised it again, so it "
                  "needs a decision") in page1
    assert squash("Flags no longer raised") in rest
    earlier = rest[rest.index(squash("Flags no longer raised")):]
    assert squash("Positive suicide screen: brief suicide safety assessment") in earlier
    assert squash("Acknowledged by Alice Admin") in earlier
    assert squash("Note: Stayed with her; CAMHS called") in earlier
    assert "needsadecision" not in earlier  # nothing is raised to decide on
    # a partner copy keeps the fact, not the private note
    partner = squash("\n".join(_pages(ws, a.id, folder, "lapsed-partner", "partner")))
    assert squash("Flags no longer raised") in partner
    assert squash("Stayed with her") not in partner

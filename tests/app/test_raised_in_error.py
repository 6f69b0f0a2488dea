"""H-149: a flag marked "raised in error" (a mis-click) needs a reason, is audited, does not
block completion, and stays on the record with who, when and why. Tested through the other
doors in tests/cli/test_raised_in_error_cli.py and tests/ui/test_raised_in_error_ui.py."""

from __future__ import annotations

import pytest

from screening_app.app import (
    AssessmentResult,
    CompletionRefused,
    DecisionRefused,
    open_workspace,
)
from screening_app.app.errors import ReasonNeeded

from .conftest import ADMIN, ADMIN_PASSWORD


def ed_with_acute_positive(ws):
    a = ws.start(setting="ed", age=15, reference="ED-1")
    a.answer("asq", "q1", "yes")
    a.answer("asq", "q5", "yes")
    return a


def excuse_safety_screens(a):
    for screen in a.unresolved_safety_screens():
        a.record_not_asked(screen.module, screen.item, "asked by the crisis team")


def test_raised_in_error_needs_a_reason_and_only_fits_a_flag(ws):
    a = ed_with_acute_positive(ws)
    with pytest.raises(ReasonNeeded, match="why"):
        a.decide("flag:asq-acute", "error")
    with pytest.raises(ReasonNeeded):
        a.decide("flag:asq-acute", "error", reason="   ")
    rec = next(r.id for r in a.result().recommendations)
    with pytest.raises(DecisionRefused, match="only a flag"):
        a.decide(f"recommendation:{rec}", "error", reason="mis-click")
    with pytest.raises(DecisionRefused, match="not a flag"):
        a.decide("flag:no-such-flag", "error", reason="mis-click")
    assert a.flags_in_error() == set()
    assert "asq-acute" in a.unacknowledged_act_now()


def test_an_act_now_flag_raised_in_error_no_longer_blocks_completion_and_stays_on_record(
        signed_in, secured_url, catalog):
    ws = signed_in("Nia")
    a = ed_with_acute_positive(ws)
    raised = [f.id for f in a.session.evaluation.flags if f.level == "act-now"]
    excuse_safety_screens(a)
    with pytest.raises(CompletionRefused, match="asq-acute"):
        a.complete()
    while a.unacknowledged_act_now():  # the acute flag, then the one it superseded (H-149)
        flag_id = a.unacknowledged_act_now()[0]
        a.decide(f"flag:{flag_id}", "error", reason="  tapped Yes by mistake; child said no ")
        raised += [] if flag_id in raised else [flag_id]
    assert "asq-non-acute" in raised
    assert a.completion_blockers() == []
    result = a.result()
    assert not any(f.id in raised for f in result.flags), "not shown as an active flag"
    wrong = {e.flag.id: e for e in result.raised_in_error}
    assert set(wrong) == set(raised)
    entry = wrong["asq-acute"]
    assert (entry.by, entry.reason) == ("Nia", "tapped Yes by mistake; child said no")
    assert entry.at and entry.flag.level == "act-now" and entry.flag.title
    assert {f.id for f in result.every_flag_raised()} >= set(raised)
    a.complete()
    # Nothing deleted: the answers, the decision and the audit entry stay; the frozen copy
    # read back shows the flag as raised in error.
    frozen = ws.open(a.id).result()
    assert isinstance(frozen, AssessmentResult)
    assert {e.flag.id for e in frozen.raised_in_error} == set(raised)
    assert frozen.decision_for("flag:asq-acute").decision == "error"
    assert {(x.module, x.item) for x in frozen.answers} >= {("asq", "q1"), ("asq", "q5")}
    admin = open_workspace(secured_url, ADMIN, lambda _prompt: ADMIN_PASSWORD, catalog=catalog)
    try:
        trail = [e for e in admin.record_trail(a.id) if e.action == "decide"]
    finally:
        admin.close()
    assert any(e.detail_dict() == {"decision": "error", "target": "flag:asq-acute"}
               and e.reason == "tapped Yes by mistake; child said no" and e.actor == "Nia"
               for e in trail)


def test_accepting_a_flag_after_marking_it_in_error_makes_it_active_again(ws):
    a = ed_with_acute_positive(ws)
    a.decide("flag:asq-acute", "error", reason="wrong child")
    assert "asq-acute" in a.flags_in_error()
    a.decide("flag:asq-acute", "accept")
    assert "asq-acute" not in a.flags_in_error()
    assert "asq-acute" in a.unacknowledged_act_now()
    assert "asq-acute" in {f.id for f in a.result().flags}
    assert a.result().raised_in_error == []


def test_a_new_answer_after_the_marking_raises_the_flag_again(ws):
    """H-149: the marking holds only for the answers it was made on. After a mis-click on
    q5 is marked in error, the child's real 'yes' (a new answer, even the same value given
    again) raises the act-now flag again: it blocks completion and is active."""
    a = ed_with_acute_positive(ws)  # q5 'yes' the mis-click
    a.decide("flag:asq-acute", "error", reason="tapped Yes by mistake")
    assert "asq-acute" in a.flags_in_error()
    assert "asq-acute" not in a.unacknowledged_act_now()
    a.answer("asq", "q5", "no", reason="the mis-click corrected")
    a.answer("asq", "q5", "yes")  # then the child does say yes
    assert a.flags_in_error() == set()
    assert "asq-acute" in a.unacknowledged_act_now()
    result = a.result()
    assert "asq-acute" in {f.id for f in result.flags}
    assert not result.raised_in_error
    # an answer elsewhere (not an input of the flag) leaves a marking in force
    b = ed_with_acute_positive(ws)
    b.decide("flag:asq-acute", "error", reason="tapped Yes by mistake")
    changes = b.answer("voice", "worries", "nothing really")
    assert "asq-acute" in b.flags_in_error()
    assert changes.flags_raised == []  # nothing came back into force


# -- a flag that rests on a score band: marking it in error brings back the next band's ------
def asq_band(a) -> str:
    return next(m.band for m in a.result().modules if m.module == "asq")


def test_marking_the_acute_flag_in_error_brings_back_the_positive_screen_flag(ws):
    """Walk finding (H-149): the acute flag marked in error with q1 still 'yes' left a
    positive suicide screen with no act-now. The screen is now read, for flags, as if
    'acute positive' had not matched: the non-acute flag is raised, act-now, and blocks
    completion until acknowledged. The score stays what the answers scored."""
    a = ed_with_acute_positive(ws)
    excuse_safety_screens(a)
    assert "asq-non-acute" not in {f.id for f in a.result().flags}
    changes = a.decide("flag:asq-acute", "error", reason="tapped Yes on q5 by mistake")
    assert [f.id for f in changes.flags_raised] == ["asq-non-acute"]
    assert a.unacknowledged_act_now() == ["asq-non-acute"]
    with pytest.raises(CompletionRefused, match="asq-non-acute"):
        a.complete()
    result = a.result()
    returned = next(f for f in result.flags if f.id == "asq-non-acute")
    assert returned.level == "act-now"
    assert [e.flag.id for e in result.raised_in_error] == ["asq-acute"]
    assert result.decision_for("flag:asq-non-acute") is None, "it waits for a decision"
    assert asq_band(a) == "acute positive", "the score shown stays honest"
    # the same on reopening (the set-aside is read from the record, not kept in memory)
    again = ws.open(a.id)
    assert again.unacknowledged_act_now() == ["asq-non-acute"]
    a.acknowledge("asq-non-acute", "CAMHS liaison called")
    a.complete()
    frozen = ws.open(a.id).result()
    assert "asq-non-acute" in {f.id for f in frozen.flags}
    assert [e.flag.id for e in frozen.raised_in_error] == ["asq-acute"]


def test_marking_the_returned_flag_in_error_too_goes_to_the_next_band(ws):
    """Both marked (the wrong child's answers): the next band would be 'negative', which
    q1 'yes' does not meet, so no ASQ flag is active; both stay on the record."""
    a = ed_with_acute_positive(ws)
    a.decide("flag:asq-acute", "error", reason="wrong child's answers")
    changes = a.decide("flag:asq-non-acute", "error", reason="wrong child's answers")
    assert changes.flags_raised == [] and changes.flags_cleared == []
    result = a.result()
    assert not [f.id for f in result.flags if f.module == "asq"]
    assert {e.flag.id for e in result.raised_in_error} == {"asq-acute", "asq-non-acute"}
    assert result.decision_for("flag:asq-non-acute").decision == "error"
    assert result.lapsed_in_error("flag:asq-non-acute") is None
    assert a.unacknowledged_act_now() == []


def test_accepting_the_acute_flag_again_takes_the_returned_flag_away(ws):
    a = ed_with_acute_positive(ws)
    a.decide("flag:asq-acute", "error", reason="mis-click")
    a.acknowledge("asq-non-acute")
    changes = a.decide("flag:asq-acute", "accept")
    assert [f.id for f in changes.flags_cleared] == ["asq-non-acute"]
    result = a.result()
    assert {f.id for f in result.flags if f.module == "asq"} == {"asq-acute"}
    assert result.raised_in_error == []
    assert a.unacknowledged_act_now() == ["asq-acute"]


def test_a_later_answer_lapses_the_marking_and_the_returned_flag_goes_as_before(ws):
    a = ed_with_acute_positive(ws)
    a.decide("flag:asq-acute", "error", reason="mis-click")
    assert "asq-non-acute" in a.unacknowledged_act_now()
    changes = a.answer("asq", "q2", "no")  # a later answer to the screen lapses it
    assert [f.id for f in changes.flags_cleared] == ["asq-non-acute"]
    # the acute flag never left the engine's flags, but it is in force again: every door is
    # told it is raised, so that it interrupts again (walk finding)
    assert [f.id for f in changes.flags_raised] == ["asq-acute"]
    result = a.result()
    assert {f.id for f in result.flags if f.module == "asq"} == {"asq-acute"}
    assert result.lapsed_in_error("flag:asq-acute").reason == "mis-click"
    assert a.unacknowledged_act_now() == ["asq-acute"]
    assert ws.open(a.id).unacknowledged_act_now() == ["asq-acute"]


def test_a_lapsing_answer_that_regrades_the_screen_needs_no_reason(ws):
    """q5 corrected to 'no' after the acute flag was marked in error: the marking lapses, the
    non-acute flag stays (now on the honest score): no act-now is taken away."""
    a = ed_with_acute_positive(ws)
    a.decide("flag:asq-acute", "error", reason="mis-click")
    a.answer("asq", "q5", "no")
    assert {f.id for f in a.result().flags if f.module == "asq"} == {"asq-non-acute"}
    assert a.flags_in_error() == set()


def test_describing_the_yes_after_the_marking_raises_the_acute_flag_to_be_acted_on(ws):
    """Walk finding: the acute flag marked in error, then the child's words typed into q5's
    'please describe': the marking lapses and the flag is reported raised again, so that
    every door interrupts with it at once (not three sections later)."""
    a = ed_with_acute_positive(ws)
    a.decide("flag:asq-acute", "error", reason="mis-click")
    a.acknowledge("asq-non-acute", note="BSSA requested")
    changes = a.answer("asq", "q5_describe", "thinks about it every night")
    assert "asq-acute" in [f.id for f in changes.flags_raised]
    assert a.unacknowledged_act_now() == ["asq-acute"]

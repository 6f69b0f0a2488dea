"""The rules that keep a child safe, tested in the core with no screen and no command line.
The same rules are tested through each door: tests/cli/test_rules_cli.py and
tests/ui/test_review.py, tests/ui/test_home_and_start.py."""

from __future__ import annotations

import json

import pytest

from screening_app.app import (
    AgeRefused,
    AssessmentResult,
    CompletionRefused,
    DecisionRefused,
    ModuleRefused,
    RuleRefused,
)
from screening_app.app.handback import MAX_FAILURES, REST_SECONDS, HandoverCode
from screening_app.store import ReadOnlyAssessmentError


def ed_with_acute_positive(ws):
    a = ws.start(setting="ed", age=15, reference="ED-1")
    a.answer("asq", "q1", "yes")
    a.answer("asq", "q5", "yes")
    return a


def test_complete_is_refused_while_an_act_now_flag_is_unacknowledged(ws):
    """H-001: an act-now flag must be acknowledged before the record closes (ASQ toolkit:
    an acute positive needs a STAT safety evaluation; the child may not leave)."""
    a = ed_with_acute_positive(ws)
    assert "asq-acute" in a.unacknowledged_act_now()
    with pytest.raises(CompletionRefused, match="asq-acute"):
        a.complete()
    assert ws.store.load(a.id).status == "draft"


def test_completion_needs_each_safety_screen_answered_declined_or_excused(ws):
    a = ed_with_acute_positive(ws)
    for flag_id in a.unacknowledged_act_now():
        a.acknowledge(flag_id, note="stayed with her; CAMHS called")
    waiting = a.unresolved_safety_screens()
    assert waiting, "the ED core has safety screens left blank here"
    with pytest.raises(CompletionRefused, match="safety screen"):
        a.complete()
    with pytest.raises(DecisionRefused, match="why"):
        a.record_not_asked(waiting[0].module, waiting[0].item, "  ")
    for screen in waiting:
        a.record_not_asked(screen.module, screen.item, "asked by the crisis team")
    a.complete()
    assert a.read_only and ws.store.load(a.id).status == "complete"
    excused = {d.target for d in a.result().decisions if d.decision == "not-asked"}
    assert excused == {f"screen:{s.module}.{s.item}" for s in waiting}


def test_an_age_outside_the_pathway_is_refused_naming_its_range(ws):
    with pytest.raises(AgeRefused, match="aged 5 to 17; this child is 2"):
        ws.start(setting="ed", age=2)
    assert ws.list_drafts() == []


def test_a_module_asked_for_is_shown_at_once(ws):
    """cli-contract: a module the pathway brings in only on a trigger is shown at once."""
    a = ws.start(setting="gp", age=15, modules=["phq9"])
    assert a.session.is_visible("phq9", "q1")
    a.answer("phq9", "q1", 1)
    assert ws.store.load(a.id).extra_modules == ["phq9"]


@pytest.mark.parametrize(("setting", "age", "module", "rule"), [
    ("gp", 10, "phq9", "is for ages 12 and over; this child is 10"),
    ("custody", 15, "phq9", "is not used in the 'custody' setting"),
    ("gp", 15, "no-such-module", "unknown module 'no-such-module'"),
])
def test_a_module_outside_its_limits_is_refused_naming_the_rule(ws, setting, age, module,
                                                                 rule):
    with pytest.raises(ModuleRefused, match=rule):
        ws.start(setting=setting, age=age, modules=[module])


def test_adding_a_module_later_is_the_same_choice_with_the_same_limits(ws):
    a = ws.start(setting="gp", age=15)
    assert not a.session.is_visible("phq9", "q1")  # the pathway waits for a trigger
    changes = a.add_module("phq9")
    assert a.session.is_visible("phq9", "q1") and ("phq9", "q1") in changes.shown
    assert ws.open(a.id).session.is_visible("phq9", "q1")  # kept with the record
    young = ws.start(setting="gp", age=10)
    with pytest.raises(ModuleRefused, match="12 and over"):
        young.add_module("phq9")


def test_only_a_raised_flag_can_be_acknowledged_and_decisions_need_reasons(ws):
    a = ed_with_acute_positive(ws)
    with pytest.raises(DecisionRefused, match="not raised"):
        a.acknowledge("psy-unsafe-now")
    with pytest.raises(DecisionRefused, match="unknown decision"):
        a.decide("flag:asq-acute", "ignore")
    with pytest.raises(DecisionRefused, match="reason is required"):
        a.decide("flag:asq-acute", "override", reason=" ")
    with pytest.raises(DecisionRefused, match="new wording"):
        a.decide("flag:asq-acute", "edit", reason="local wording")
    with pytest.raises(DecisionRefused, match="not a flag or recommendation"):
        a.decide("flag:made-up", "accept")
    a.decide("flag:asq-acute", "accept")
    assert a.result().decision_for("flag:asq-acute").decision == "accept"


def test_a_draft_started_by_mistake_is_discarded_with_a_reason_and_leaves_the_lists(ws):
    a = ws.start(setting="gp", age=14, reference="WRONG-CHILD")
    with pytest.raises(RuleRefused, match="reason"):
        a.discard("")
    a.discard("wrong child selected")
    assert a.read_only and a.record.status == "discarded"
    assert ws.list_drafts() == [] and ws.search(reference="WRONG") == []
    with pytest.raises(ReadOnlyAssessmentError):
        a.answer("gp-consult", "reason", "physical")


def test_amend_needs_a_reason_and_makes_a_new_version(ws):
    a = ws.start(setting="gp", age=14)
    with pytest.raises(RuleRefused, match="only a completed"):
        a.amend("late information")
    for screen in a.unresolved_safety_screens():
        a.record_not_asked(screen.module, screen.item, "seen by the crisis team")
    a.complete()
    with pytest.raises(RuleRefused, match="needs a reason"):
        a.amend(" ")
    new = a.amend("mum phoned with new information")
    assert new.record.parent_id == a.id and new.record.version == 2 and not new.read_only


def test_the_result_is_one_typed_model_for_json_and_the_frozen_copy(ws):
    a = ed_with_acute_positive(ws)
    for flag_id in a.unacknowledged_act_now():
        a.acknowledge(flag_id)
    for screen in a.unresolved_safety_screens():
        a.record_not_asked(screen.module, screen.item, "asked by the crisis team")
    live = a.result().to_json()
    a.complete()
    frozen = ws.open(a.id).result()
    assert isinstance(frozen, AssessmentResult) and frozen.status == "complete"
    # the stored copy is exactly the model's JSON, and reads back into the same model
    stored = ws.store.load(a.id).result
    assert AssessmentResult.model_validate(stored).to_json() == stored
    assert {k: v for k, v in live.items() if k not in ("status", "completed_at",
                                                       "completed_by", "decisions")} == {
        k: v for k, v in stored.items() if k not in ("status", "completed_at",
                                                     "completed_by", "decisions")}
    json.dumps(frozen.to_json())  # plain JSON, no objects left


def test_the_result_model_covers_every_field_the_engine_reports(ws):
    """A field the engine adds must reach the result (and so the CLI and the record):
    the model forbids unknown keys, so a new one fails here first."""
    a = ws.start(setting="school-nurse", age=14)
    engine_keys = set(a.session.evaluation.to_dict())
    assert engine_keys <= set(AssessmentResult.model_fields)
    a.result()  # builds without a validation error


def test_a_hand_over_code_is_kept_only_as_a_hash_and_rests_after_too_many_tries(ws):
    code = HandoverCode("abcd")
    assert code("abcd") and not code("abce")
    assert "abcd" not in repr(vars(code))
    now = [ws.clock()]
    handover = ws.hand_to_child("tiger7")
    handover.clock = lambda: now[0]
    for _ in range(MAX_FAILURES - 1):
        assert handover.attempt("wrong").message == "That is not right. Try again."
    rested = handover.attempt("wrong")
    assert not rested.accepted and rested.wait_seconds == REST_SECONDS
    assert handover.attempt("tiger7").wait_seconds > 0  # resting: not even checked
    import datetime as dt

    now[0] += dt.timedelta(seconds=REST_SECONDS + 1)
    assert handover.attempt("tiger7").accepted


def test_development_hand_over_needs_a_code(ws):
    with pytest.raises(RuleRefused, match="code"):
        ws.hand_to_child()
    with pytest.raises(ValueError, match="at least 4"):
        ws.hand_to_child("abc")


def test_a_retracted_act_now_disclosure_stays_on_the_record_with_who_and_why(ws):
    """Issue 11.8: a disclosure never vanishes. Changing the answer that raised an act-now
    flag needs a reason; the flag, its acknowledgement and the change stay on the record."""
    from screening_app.app import ReasonNeeded

    a = ws.start(setting="ed", age=15)
    a.answer("asq", "q1", "yes")
    raised = set(a.unacknowledged_act_now())
    assert raised, "a yes to ASQ q1 raises an act-now flag"
    for flag_id in raised:
        a.acknowledge(flag_id, note="stayed with her")
    with pytest.raises(ReasonNeeded, match="stays on the record"):
        a.answer("asq", "q1", "no")
    assert a.session.answers[("asq", "q1")] == "yes"  # nothing changed
    a.answer("asq", "q1", "no", reason="she said she misheard the question")
    assert not raised & {f.id for f in a.session.evaluation.flags}
    result = a.result()
    kept = {r.flag_id: r for r in result.retracted}
    assert set(kept) == raised
    entry = kept[next(iter(raised))]
    assert (entry.raised_by_answer, entry.changed_answer) == ("asq.q1", "asq.q1")
    assert entry.raised_by == entry.changed_by == "Nurse Test"
    assert entry.acknowledged_by == "Nurse Test"
    assert entry.reason == "she said she misheard the question"


def test_the_childs_answers_are_recorded_as_the_childs_and_staff_answers_stay_staffs(ws):
    a = ws.start(setting="school-nurse", age=12)
    (m1, i1), (m2, i2) = ("self-rating", "feel"), ("self-rating", "sleep")
    a.answer(m1, i1, 3, as_child=True)
    a.answer(m2, i2, 4)  # staff
    by = {(x.module, x.item): x.by for x in ws.store.load(a.id).answers}
    assert by[(m1, i1)].startswith("the child") and "Nurse Test" in by[(m1, i1)]
    assert by[(m2, i2)] == "Nurse Test"
    a.answer(m1, i1, 4, as_child=True)  # the child may change their own answer
    with pytest.raises(RuleRefused, match="staff gave this answer"):
        a.answer(m2, i2, 2, as_child=True)
    assert ws.open(a.id).is_childs(m1, i1) and not ws.open(a.id).is_childs(m2, i2)


@pytest.mark.parametrize("field, text, problem", [
    ("reference", "ED-\x00-1", "NUL"),
    ("reference", "ED-\ud800", "unpaired surrogate"),
    ("presenting_issue", "fell\x00", "NUL"),
])
def test_start_refuses_text_that_cannot_be_stored(ws, field, text, problem):
    """Typed text kept with the record is checked in the core, whichever door it came
    through (red-team finding 19): nothing is created."""
    before = len(ws.list_drafts())
    with pytest.raises(RuleRefused, match=f"the {field.replace('_', ' ')}: .*{problem}"):
        ws.start(setting="ed", age=15, **{field: text})
    assert len(ws.list_drafts()) == before

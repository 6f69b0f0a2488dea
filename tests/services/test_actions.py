"""Actions, support-while-waiting check-ins, did-not-attend, escalation and the supervisor's
oversight list, on SQLite and PostgreSQL, with team scope and a real audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from screening_app.services.files import read_directory
from screening_app.store import Store
from screening_app.store.actions import Actions
from screening_app.store.directory import Directory
from screening_app.store.errors import AccessDenied, StoreError

from .conftest import audit_since, scoped_store
from .helpers import SAMPLE

TODAY = dt.date(2026, 12, 1)
PINS = {"gp": {"version": "1.0.0", "sha256": "0" * 64}}
REFER_RESULT = {
    "flags": [{"id": "psy-mood-persistent", "level": "refer", "title": "Low mood",
               "action": "Refer through the single point of access."},
              {"id": "psy-school", "level": "consider", "title": "School worries",
               "action": "Talk to the school nurse."}],
    "recommendations": [{"id": "gp-review", "text": "Book a review within four weeks."}],
}
CONSIDER_RESULT = {"flags": [{"id": "psy-school", "level": "consider", "title": "School",
                              "action": "Talk to the school nurse."}], "recommendations": []}


def completed(store: Store, result: dict, reference: str = "GP-1") -> str:
    row = store.create_assessment(setting="gp", age=15, by=store.scope.name, content_pins=PINS,
                                  reference=reference)
    store.complete(row.id, result, by=store.scope.name, expected_version=row.row_version)
    return row.id


@pytest.fixture
def supervisor(database) -> Store:
    return scoped_store(database, "Sue Supervisor", "supervisor", "North ED")


@pytest.fixture
def other_team(database) -> Store:
    return scoped_store(database, "Olga Other", "practitioner", "South custody")


def test_a_flag_becomes_an_action_with_its_title_level_and_audit(store, audit_mark):
    aid = completed(store, REFER_RESULT)
    action = Actions(store).add(aid, source="flag:psy-mood-persistent", owner="Dr Patel",
                                due_on=TODAY, by="Pat Practitioner")
    assert (action.kind, action.level, action.status, action.title) == (
        "action", "refer", "open", "Refer through the single point of access.")
    rec = Actions(store).add(aid, source="recommendation:gp-review", owner="Reception",
                             due_on=TODAY, by="Pat Practitioner")
    assert rec.title == "Book a review within four weeks." and rec.level is None
    entries = audit_since(store, audit_mark, aid)
    assert [e.action for e in entries][-2:] == ["action-add", "action-add"]
    assert f'"action_id":{action.id}' in entries[-2].detail.replace(" ", "")
    assert "single point" not in entries[-2].detail  # identifiers only, no clinical text


def test_bad_actions_are_refused_with_a_reason(store):
    aid = completed(store, REFER_RESULT)
    actions = Actions(store)
    with pytest.raises(StoreError, match="this assessment has no flag 'nope'"):
        actions.add(aid, source="flag:nope", owner="x", due_on=TODAY, by="p")
    with pytest.raises(StoreError, match="a referral needs the service"):
        actions.add(aid, source="flag:psy-mood-persistent", kind="referral", owner="x",
                    due_on=TODAY, by="p")
    with pytest.raises(StoreError, match="an action needs an owner"):
        actions.add(aid, source="flag:psy-mood-persistent", owner="  ", due_on=TODAY, by="p")
    with pytest.raises(StoreError, match="an action needs a title"):
        actions.add(aid, source="manual", owner="x", due_on=TODAY, by="p")
    with pytest.raises(StoreError, match="no service with id 'missing'"):
        actions.add(aid, source="flag:psy-mood-persistent", service_id="missing", owner="x",
                    due_on=TODAY, by="p")


def test_a_referral_names_its_service_and_needs_an_outcome_to_be_done(database, store):
    admin = scoped_store(database, "Ada Admin", "administrator", "North ED")
    entries = read_directory(SAMPLE).entries
    Directory(admin).import_entries(entries, by="Ada Admin", source="sample")
    aid = completed(store, REFER_RESULT)
    actions = Actions(store)
    referral = actions.add(aid, source="flag:psy-mood-persistent", service_id=entries[2].id,
                           owner="Dr Patel", due_on=TODAY, by="Pat")
    assert (referral.kind, referral.service_name) == ("referral", entries[2].name)
    with pytest.raises(StoreError, match="a referral is done when its outcome is known"):
        actions.update(referral.id, status="done", by="Pat")
    (done,) = actions.update(referral.id, status="done", outcome="Accepted; seen 14 Dec",
                             by="Pat")
    assert (done.status, done.outcome) == ("done", "Accepted; seen 14 Dec")
    assert done.closed_at is not None
    with pytest.raises(StoreError, match="is done; only its outcome can still be recorded"):
        actions.update(referral.id, status="open", by="Pat")
    (later,) = actions.update(referral.id, outcome="Discharged after 6 sessions", by="Pat")
    assert later.outcome == "Discharged after 6 sessions"


def test_support_while_waiting_check_ins_repeat(store, audit_mark):
    aid = completed(store, REFER_RESULT)
    actions = Actions(store)
    first = actions.add(aid, source="flag:psy-mood-persistent", kind="check-in",
                        title="Phone call while waiting for CAMHS", owner="School nurse",
                        due_on=TODAY, repeat_days=7, by="Pat")
    done, second = actions.update(first.id, status="done", outcome="Spoke to the child",
                                  by="Pat", today=TODAY)
    assert (second.kind, second.due_on, second.follows_id, second.repeat_days) == (
        "check-in", TODAY + dt.timedelta(days=7), first.id, 7)
    _, third = actions.update(second.id, status="done", by="Pat",
                              today=TODAY + dt.timedelta(days=10))
    assert third.due_on == TODAY + dt.timedelta(days=17)  # a late call moves the next one
    with pytest.raises(StoreError, match="only a check-in repeats"):
        actions.add(aid, source="manual", title="x", owner="y", due_on=TODAY, repeat_days=3,
                    by="Pat")
    assert [e.action for e in audit_since(store, audit_mark, aid)][-5:] == [
        "action-add", "action-update", "action-add", "action-update", "action-add"]


def test_did_not_attend_is_recorded_and_raises_its_follow_up(store):
    aid = completed(store, REFER_RESULT)
    actions = Actions(store)
    appt = actions.add(aid, source="recommendation:gp-review", owner="Dr Patel",
                       due_on=TODAY, by="Pat")
    dna, follow = actions.update(appt.id, status="did-not-attend", by="Pat", today=TODAY)
    assert dna.status == "did-not-attend"
    assert (follow.kind, follow.status, follow.owner, follow.due_on, follow.follows_id) == (
        "follow-up", "open", "Dr Patel", TODAY + dt.timedelta(days=1), appt.id)
    assert follow.title == "Did not attend: follow up. Book a review within four weeks."
    assert [a.id for a in actions.list(assessment_id=aid)] == [follow.id]


def test_overdue_list(store):
    aid = completed(store, REFER_RESULT)
    actions = Actions(store)
    late = actions.add(aid, source="manual", title="Call", owner="x",
                       due_on=TODAY - dt.timedelta(days=3), by="p")
    actions.add(aid, source="manual", title="Later", owner="x", due_on=TODAY, by="p")
    assert [a.id for a in actions.list(overdue=True, today=TODAY)] == [late.id]
    assert late.overdue(TODAY) and late.to_dict(TODAY)["overdue"] is True
    assert len(actions.list(today=TODAY)) == 2


def test_oversight_lists_unfinished_act_now_and_refer_oldest_first(store, supervisor):
    older = completed(store, REFER_RESULT, "GP-OLD")
    newer = completed(store, REFER_RESULT, "GP-NEW")
    completed(store, CONSIDER_RESULT, "GP-CONSIDER")
    view = Actions(supervisor)
    rows = view.oversight(today=TODAY)
    assert [r.assessment_id for r in rows] == [older, newer]
    assert rows[0].why == "no action recorded"
    assert rows[0].flags == (("psy-mood-persistent", "refer"),)
    late = Actions(store).add(older, source="flag:psy-mood-persistent", owner="Dr Patel",
                              due_on=TODAY - dt.timedelta(days=2), by="Pat")
    row = view.oversight(today=TODAY)[0]
    assert (row.open_actions, row.overdue_actions, row.why) == (1, 1,
                                                              "1 action(s) not done, 1 overdue")
    assert row.oldest_due == TODAY - dt.timedelta(days=2)
    Actions(store).update(late.id, status="done", by="Pat")
    assert [r.assessment_id for r in view.oversight(today=TODAY)] == [newer]


def test_oversight_is_for_supervisors_and_keeps_to_the_team(store, database):
    completed(store, REFER_RESULT)
    with pytest.raises(AccessDenied, match=r"may not see the oversight list"):
        Actions(store).oversight(today=TODAY)
    elsewhere = scoped_store(database, "Sid Supervisor", "supervisor", "South custody")
    assert Actions(elsewhere).oversight(today=TODAY) == []


def test_escalation_and_its_outcome_are_recorded_and_audited(store, audit_mark):
    aid = completed(store, REFER_RESULT)
    actions = Actions(store)
    esc = actions.escalate(aid, to_role="duty inspector", reason="MH assessment not done "
                           "after 4 hours", by="Pat")
    assert (esc.to_role, esc.outcome) == ("duty inspector", None)
    done = actions.record_outcome(esc.id, outcome="Inspector called the liaison team", by="Pat")
    assert done.outcome == "Inspector called the liaison team" and done.outcome_by == "Pat"
    with pytest.raises(StoreError, match="already has its outcome"):
        actions.record_outcome(esc.id, outcome="again", by="Pat")
    assert [e.to_dict()["outcome"] for e in actions.escalations(aid)] == [done.outcome]
    assert [e.action for e in audit_since(store, audit_mark, aid)][-2:] == [
        "escalate", "escalation-outcome"]
    with pytest.raises(StoreError, match="an escalation needs the reason for escalating"):
        actions.escalate(aid, to_role="inspector", reason=" ", by="Pat")


def test_another_teams_assessment_is_refused_and_the_refusal_audited(store, other_team,
                                                                     audit_mark):
    aid = completed(store, REFER_RESULT)
    action = Actions(store).add(aid, source="manual", title="x", owner="y", due_on=TODAY,
                                by="p")
    theirs = Actions(other_team)
    with pytest.raises(AccessDenied, match=aid):
        theirs.add(aid, source="manual", title="x", owner="y", due_on=TODAY, by="o")
    with pytest.raises(AccessDenied):
        theirs.update(action.id, status="done", by="o")
    with pytest.raises(AccessDenied):
        theirs.escalate(aid, to_role="inspector", reason="r", by="o")
    with pytest.raises(AccessDenied):
        theirs.list(assessment_id=aid)
    assert theirs.list() == []
    denied = [e for e in audit_since(store, audit_mark, aid) if e.action == "access-denied"]
    assert len(denied) == 4 and {e.actor for e in denied} == {"Olga Other"}


def test_a_drafts_open_refer_action_brings_it_into_oversight(store, supervisor):
    draft = store.create_assessment(setting="gp", age=15, by="Pat", content_pins=PINS,
                                    reference="GP-DRAFT")
    action = Actions(store).add(draft.id, source="flag:psy-mood-persistent", owner="Dr Patel",
                                due_on=TODAY, by="Pat", result=REFER_RESULT)
    (row,) = Actions(supervisor).oversight(today=TODAY)
    assert (row.assessment_id, row.flags, row.completed_at, row.why) == (
        draft.id, (("psy-mood-persistent", "refer"),), None, "1 action(s) not done")
    Actions(store).update(action.id, status="done", by="Pat")
    assert Actions(supervisor).oversight(today=TODAY) == []


@pytest.mark.parametrize("text", ["esc\x1b[31m red", "nul\x00", "rtl \u202e override"])
def test_action_text_with_control_characters_is_refused(store, text):
    aid = completed(store, REFER_RESULT)
    with pytest.raises(StoreError, match="cannot hold control or text-direction characters"):
        Actions(store).add(aid, source="manual", title=text, owner="x", due_on=TODAY, by="p")
    with pytest.raises(StoreError, match="cannot hold control"):
        Actions(store).escalate(aid, to_role="inspector", reason=text, by="p")
    assert Actions(store).list(assessment_id=aid) == []

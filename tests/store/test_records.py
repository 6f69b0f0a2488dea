"""What the store keeps, on both backends: answers with who and when, flags raised and
acknowledged, decisions with reasons, exports, content pins; completed assessments are
read-only (in the repository and in the database itself); amendments are new versions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from screening_app.store import ConflictError, NotFoundError, ReadOnlyAssessmentError, StoreError

from .helpers import PINS, new_draft


def _aware_utc(value: dt.datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() == dt.timedelta(0)


def test_answers_are_kept_with_who_and_when_and_the_latest_wins(store):
    draft = new_draft(store)
    before = dt.datetime.now(dt.UTC)
    v = store.record_answer(draft.id, "asq", "q1", "yes", by="sam",
                            expected_version=draft.row_version)
    v = store.record_answer(draft.id, "asq", "q2", "no", by="alex", expected_version=v)
    v = store.record_answer(draft.id, "asq", "q1", "no", by="alex", expected_version=v)
    v = store.record_answer(draft.id, "asq", "q2", None, by="alex", expected_version=v)
    loaded = store.load(draft.id)
    assert loaded.answer_triples() == [("asq", "q1", "no")]
    (answer,) = loaded.answers
    assert answer.by == "alex"
    assert _aware_utc(answer.answered_at)
    assert before - dt.timedelta(seconds=1) <= answer.answered_at <= dt.datetime.now(dt.UTC)
    assert loaded.row_version == v == draft.row_version + 4
    assert loaded.content_pins == PINS
    assert all(_aware_utc(t) for t in (loaded.created_at, loaded.updated_at))


def test_the_whole_answer_history_stays_in_the_event_log(store, database):
    draft = new_draft(store)
    v = draft.row_version
    for value in ("yes", "no", "declined"):
        v = store.record_answer(draft.id, "asq", "q3", value, by="sam", expected_version=v)
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, value, answered_by FROM answer_event "
                                 "WHERE assessment_id = :id ORDER BY seq"),
                            {"id": draft.id}).all()
    assert [(r.seq, r.value, r.answered_by) for r in rows] == [
        (1, '"yes"', "sam"), (2, '"no"', "sam"), (3, '"declined"', "sam")]


def test_any_json_value_and_any_characters_round_trip(store):
    draft = new_draft(store, reference="Zoë O’Brien – ✓ 𝄞")
    values = ["\u202etext\u202c", "<b>x</b>&amp;", 3, 2.5, ["a", "b"], "línea\nnueva\x00?"]
    v = draft.row_version
    for n, value in enumerate(values):
        v = store.record_answer(draft.id, "voice", f"i{n}", value, by="sam", expected_version=v)
    loaded = store.load(draft.id)
    assert [a.value for a in loaded.answers] == values
    assert loaded.reference == "Zoë O’Brien – ✓ 𝄞"


def test_flags_decisions_and_exports_are_recorded_with_who_and_when(store):
    draft = new_draft(store)
    store.acknowledge_flag(draft.id, "asq-acute", by="sam", note="stayed with the child")
    store.record_decision(draft.id, "flag:asq-acute", "accept", by="sam")
    store.record_decision(draft.id, "recommendation:camhs", "override", by="sam",
                          reason="already open to CAMHS", text="no new referral")
    doc = store.record_export(draft.id, kind="pdf", variant="full", by="sam")
    loaded = store.load(draft.id)
    (ack,) = loaded.acknowledgements
    assert (ack.flag_id, ack.by, ack.note) == ("asq-acute", "sam", "stayed with the child")
    assert [(d.decision, d.reason) for d in loaded.decisions] == [
        ("accept", None), ("override", "already open to CAMHS")]
    assert loaded.exports[0].document_id == doc
    for stamp in (ack.at, loaded.decisions[1].at, loaded.exports[0].at):
        assert _aware_utc(dt.datetime.fromisoformat(stamp))


def _complete(store, *, by="sam"):
    draft = new_draft(store, by=by)
    v = store.record_answer(draft.id, "asq", "q1", "yes", by=by,
                            expected_version=draft.row_version)
    store.acknowledge_flag(draft.id, "asq-acute", by=by)
    v = store.complete(draft.id, {"status": "complete", "answers": 1}, by=by,
                       expected_version=v)
    return store.load(draft.id), v


def test_a_completed_assessment_cannot_be_changed_through_the_store(store):
    done, v = _complete(store)
    assert done.status == "complete" and done.completed_by == "sam"
    assert _aware_utc(done.completed_at)
    attempts = [
        lambda: store.record_answer(done.id, "asq", "q1", "no", by="x", expected_version=v),
        lambda: store.set_position(done.id, "asq.q2", expected_version=v),
        lambda: store.acknowledge_flag(done.id, "asq-acute", by="x"),
        lambda: store.record_decision(done.id, "flag:asq-acute", "accept", by="x"),
        lambda: store.complete(done.id, {}, by="x", expected_version=v),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyAssessmentError, match="completed and cannot be changed"):
            attempt()
    assert store.load(done.id) == done
    # Exports of a completed assessment are still recorded.
    store.record_export(done.id, kind="fhir", variant=None, by="sam")


@pytest.mark.parametrize("statement", [
    "UPDATE assessment SET reference = 'changed' WHERE id = :id",
    "UPDATE assessment SET status = 'draft' WHERE id = :id",
    "DELETE FROM assessment WHERE id = :id",
    "DELETE FROM answer_event WHERE assessment_id = :id",
    "UPDATE flag_acknowledgement SET note = 'x' WHERE assessment_id = :id",
    "DELETE FROM flag_acknowledgement WHERE assessment_id = :id",
    "INSERT INTO answer_event (assessment_id, seq, module, item, value, answered_at, "
    "answered_by) VALUES (:id, 99, 'asq', 'q2', '\"no\"', CURRENT_TIMESTAMP, 'x')",
    "INSERT INTO decision (assessment_id, target, decision, decided_at, decided_by) "
    "VALUES (:id, 'flag:x', 'accept', CURRENT_TIMESTAMP, 'x')",
    "INSERT INTO flag_acknowledgement (assessment_id, flag_id, acknowledged_at, "
    "acknowledged_by) VALUES (:id, 'x', CURRENT_TIMESTAMP, 'x')",
], ids=["update", "reopen", "delete", "delete-answers", "update-ack", "delete-ack",
        "insert-answer", "insert-decision", "insert-ack"])
def test_the_database_itself_refuses_to_change_a_completed_assessment(store, database,
                                                                      statement):
    done, _v = _complete(store)
    with pytest.raises(Exception, match="completed assessment is read-only"), \
            database.engine.begin() as conn:
        conn.execute(text(statement), {"id": done.id})
    assert store.load(done.id) == done


def test_answer_events_are_append_only_even_on_a_draft(store, database):
    draft = new_draft(store)
    store.record_answer(draft.id, "asq", "q1", "yes", by="sam",
                        expected_version=draft.row_version)
    with pytest.raises(Exception, match="append-only"), database.engine.begin() as conn:
        conn.execute(text("UPDATE answer_event SET value = '\"no\"' WHERE assessment_id = :id"),
                     {"id": draft.id})
    assert store.load(draft.id).answer_triples() == [("asq", "q1", "yes")]


def test_a_draft_can_still_be_deleted_with_its_answers(store, database):
    draft = new_draft(store)
    store.record_answer(draft.id, "asq", "q1", "yes", by="sam",
                        expected_version=draft.row_version)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM assessment WHERE id = :id"), {"id": draft.id})
    with pytest.raises(NotFoundError):
        store.load(draft.id)


def test_an_amendment_is_a_new_version_with_a_reason_and_the_original_is_untouched(store):
    done, _v = _complete(store)
    with pytest.raises(StoreError, match="needs a reason"):
        store.amend(done.id, reason="  ", by="alex")
    amended = store.amend(done.id, reason="child later disclosed more", by="alex")
    assert amended.id != done.id
    assert (amended.version, amended.parent_id, amended.status) == (2, done.id, "draft")
    assert amended.amend_reason == "child later disclosed more"
    assert amended.created_by == "alex"
    assert amended.answer_triples() == done.answer_triples()
    assert amended.answers[0].by == "sam"  # who gave each answer is carried forward
    v = store.record_answer(amended.id, "asq", "q1", "no", by="alex",
                            expected_version=amended.row_version)
    store.complete(amended.id, {"status": "complete"}, by="alex", expected_version=v)
    assert store.load(done.id) == done
    third = store.amend(amended.id, reason="typo in reference", by="sam")
    assert (third.version, third.parent_id) == (3, amended.id)


def test_a_version_is_amended_only_once(store):
    done, _v = _complete(store)
    store.amend(done.id, reason="first", by="alex")
    with pytest.raises(ConflictError, match="already amended by alex"):
        store.amend(done.id, reason="second", by="sam")


def test_only_completed_assessments_are_amended(store):
    draft = new_draft(store)
    with pytest.raises(StoreError, match="only a completed assessment"):
        store.amend(draft.id, reason="x", by="sam")


def test_unknown_ids_say_so(store):
    with pytest.raises(NotFoundError, match="no assessment"):
        store.load("nope")
    with pytest.raises(NotFoundError):
        store.record_answer("nope", "asq", "q1", "yes", by="sam", expected_version=1)
    with pytest.raises(NotFoundError):
        store.acknowledge_flag("nope", "f", by="sam")
    with pytest.raises(NotFoundError):
        store.record_export("nope", kind="pdf", variant=None, by="sam")

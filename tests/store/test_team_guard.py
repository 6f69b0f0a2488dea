"""One team guard for every per-record method: another team's id is refused with
AccessDenied, on both backends, and nothing of the record is changed or returned.

The table below must name every public Store method that takes an assessment id, so a new
method cannot be added without saying how it is refused (architecture review, finding 2)."""

from __future__ import annotations

import inspect

import pytest

from screening_app.security.roles import Principal, Role
from screening_app.store import Store
from screening_app.store.errors import AccessDenied

from .helpers import new_draft

TEAM_A = Principal(name="ana", role=Role.PRACTITIONER, team="Team A")
TEAM_B = Principal(name="ben", role=Role.PRACTITIONER, team="Team B")

CALLS = {
    "view": lambda s, a, v: s.view(a),
    "load": lambda s, a, v: s.load(a),
    "record_answer": lambda s, a, v: s.record_answer(a, "asq", "q1", "no", by="ben",
                                                     expected_version=v),
    "set_position": lambda s, a, v: s.set_position(a, "asq.q1", expected_version=v),
    "set_extra_modules": lambda s, a, v: s.set_extra_modules(a, ["phq9"], by="ben",
                                                             expected_version=v),
    "acknowledge_flag": lambda s, a, v: s.acknowledge_flag(a, "asq-acute", by="ben"),
    "record_decision": lambda s, a, v: s.record_decision(a, "flag:asq-acute", "override",
                                                         by="ben", reason="x"),
    "complete": lambda s, a, v: s.complete(a, {"status": "complete"}, by="ben",
                                           expected_version=v),
    "discard": lambda s, a, v: s.discard(a, reason="wrong child", by="ben",
                                         expected_version=v),
    "amend": lambda s, a, v: s.amend(a, reason="x", by="ben"),
    "record_export": lambda s, a, v: s.record_export(a, kind="pdf", variant="full", by="ben"),
}


def test_every_per_record_method_is_in_the_table():
    takes_an_id = {name for name, fn in inspect.getmembers(Store, inspect.isfunction)
                   if not name.startswith("_")
                   and "assessment_id" in inspect.signature(fn).parameters}
    assert takes_an_id == set(CALLS)


@pytest.mark.parametrize("method", sorted(CALLS))
def test_another_teams_record_is_refused_like_an_unknown_one(database, method):
    mine = Store(database, scope=TEAM_A)
    draft = new_draft(mine, by="ana")
    theirs = Store(database, scope=TEAM_B)
    with pytest.raises(AccessDenied) as refused:
        CALLS[method](theirs, draft.id, draft.row_version)
    # the same words as for an id that does not exist: no probing for other teams' ids
    assert str(refused.value) == f"no assessment with id {draft.id!r}"
    after = mine.load(draft.id)
    assert (after.row_version, after.status, after.answers, after.acknowledgements,
            after.decisions, after.exports, after.extra_modules) == (
        draft.row_version, "draft", [], [], [], [], [])


def test_amend_of_another_teams_completed_record_is_refused(database):
    mine = Store(database, scope=TEAM_A)
    draft = new_draft(mine, by="ana")
    mine.complete(draft.id, {"status": "complete"}, by="ana",
                  expected_version=draft.row_version)
    with pytest.raises(AccessDenied):
        Store(database, scope=TEAM_B).amend(draft.id, reason="x", by="ben")

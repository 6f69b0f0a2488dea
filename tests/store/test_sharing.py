"""Two instances on one database (two workstations on one PostgreSQL server, or two windows
on one SQLite file): they see each other's drafts, and two people saving over the same draft
get a clear conflict, never a silent overwrite."""

from __future__ import annotations

import threading

import pytest

from screening_app.store import ConflictError, Store, open_database

from .helpers import new_draft


@pytest.fixture
def two_stores(db_url):
    first, second = open_database(db_url), open_database(db_url)
    yield Store(first), Store(second)
    first.dispose()
    second.dispose()


def test_each_instance_sees_the_others_drafts_and_answers(two_stores):
    here, there = two_stores
    draft = new_draft(here, by="sam", reference="CUST-77")
    assert [d.id for d in there.list_drafts()] == [draft.id]
    assert [d.id for d in there.search(reference="cust-7")] == [draft.id]
    there_copy = there.load(draft.id)
    v = there.record_answer(draft.id, "asq", "q1", "yes", by="alex",
                            expected_version=there_copy.row_version)
    seen = here.load(draft.id)
    assert seen.answer_triples() == [("asq", "q1", "yes")]
    assert seen.answers[0].by == "alex"
    assert seen.row_version == v


def test_saving_over_someone_elses_change_is_refused_with_a_clear_message(two_stores):
    here, there = two_stores
    draft = new_draft(here, by="sam")
    opened_here = here.load(draft.id)
    opened_there = there.load(draft.id)
    there.record_answer(draft.id, "asq", "q1", "yes", by="alex",
                        expected_version=opened_there.row_version)
    with pytest.raises(ConflictError) as caught:
        here.record_answer(draft.id, "asq", "q1", "no", by="sam",
                           expected_version=opened_here.row_version)
    message = str(caught.value)
    assert "someone else (alex) changed this draft" in message
    assert "your change was not saved" in message and "\n" not in message
    # Alex's answer stands; Sam's was not written anywhere.
    assert here.load(draft.id).answer_triples() == [("asq", "q1", "yes")]
    with pytest.raises(ConflictError):
        here.complete(draft.id, {}, by="sam", expected_version=opened_here.row_version)
    with pytest.raises(ConflictError):
        here.set_position(draft.id, "asq.q2", expected_version=opened_here.row_version)
    # After reopening, Sam carries on from Alex's version.
    fresh = here.load(draft.id)
    here.record_answer(draft.id, "asq", "q2", "no", by="sam", expected_version=fresh.row_version)


def _save(stores: list[Store], n: int, draft_id: str, version: int, start: threading.Barrier,
          outcomes: list[object]) -> None:
    start.wait()
    try:
        outcomes[n] = stores[n].record_answer(draft_id, "asq", "q1", f"v{n}", by=f"user{n}",
                                              expected_version=version)
    except ConflictError as exc:
        outcomes[n] = exc


def test_two_people_saving_at_the_same_moment_exactly_one_wins(db_url):
    """Real concurrency: threads with their own connections race on one version."""
    databases = [open_database(db_url) for _ in range(4)]
    try:
        stores = [Store(db) for db in databases]
        draft = new_draft(stores[0])
        for _round in range(5):
            version = stores[0].load(draft.id).row_version
            start = threading.Barrier(len(stores))
            outcomes: list[object] = [None] * len(stores)
            threads = [threading.Thread(target=_save, args=(stores, n, draft.id, version, start,
                                                            outcomes))
                       for n in range(len(stores))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            winners = [n for n, o in enumerate(outcomes) if isinstance(o, int)]
            losers = [o for o in outcomes if isinstance(o, ConflictError)]
            assert len(winners) == 1 and len(losers) == len(stores) - 1, outcomes
            (winner,) = winners
            assert stores[1].load(draft.id).answer_triples() == [("asq", "q1", f"v{winner}")]
        events = stores[0].load(draft.id)
        assert events.row_version == 1 + 5
    finally:
        for db in databases:
            db.dispose()

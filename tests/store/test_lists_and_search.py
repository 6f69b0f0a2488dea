"""The home screen's lists and search: right answers, and served by indexes on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, text

from .helpers import new_draft


def test_drafts_list_newest_first_and_leaves_out_completed(store):
    first = new_draft(store, reference="A-1")
    second = new_draft(store, reference="A-2")
    done = new_draft(store, reference="A-3")
    store.complete(done.id, {}, by="sam", expected_version=done.row_version)
    store.record_answer(first.id, "asq", "q1", "yes", by="sam",
                        expected_version=first.row_version)
    assert [d.id for d in store.list_drafts()] == [first.id, second.id]
    assert [d.id for d in store.list_drafts(limit=1)] == [first.id]
    assert all(d.updated_at.tzinfo is dt.UTC for d in store.list_drafts())


def test_reference_search_is_a_case_insensitive_prefix_search(store):
    ids = {ref: new_draft(store, reference=ref).id
           for ref in ("CUST-2024-0001", "cust-2024-0002", "ED 17", "ed  170", "GP_5", "GP55",
                       "100%", "1000", "Łódź-1")}

    def found(query: str) -> set[str]:
        return {s.reference for s in store.search(reference=query)}

    assert found("cust-2024") == {"CUST-2024-0001", "cust-2024-0002"}
    assert found("  CUST-2024-0001 ") == {"CUST-2024-0001"}
    assert found("ed 17") == {"ED 17", "ed  170"}  # spaces are normalised on both sides
    assert found("GP_") == {"GP_5"}  # _ and % are literal characters, not wildcards
    assert found("100%") == {"100%"}
    assert found("łÓDŹ") == {"Łódź-1"}  # case folding beyond ASCII, the same on both backends
    assert found("nothing") == set()
    # The assessment id finds it too.
    assert [s.id for s in store.search(reference=ids["GP55"])] == [ids["GP55"]]


def test_search_filters_combine(store):
    a = new_draft(store, reference="X-1")
    b = store.create_assessment(setting="custody", age=16, by="sam", content_pins={},
                                reference="X-2")
    store.complete(b.id, {}, by="sam", expected_version=b.row_version)
    today = dt.datetime.now(dt.UTC).date()
    assert [s.id for s in store.search(reference="x-", setting="custody")] == [b.id]
    assert [s.id for s in store.search(status="draft")] == [a.id]
    assert {s.id for s in store.search(on_or_after=today)} == {a.id, b.id}
    assert store.search(before=today) == []
    assert store.search(on_or_after=today + dt.timedelta(days=1)) == []


def _plans(database, run) -> list[str]:
    """The query plans of the SELECTs that ``run()`` issues."""
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    plans = []
    with database.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if database.is_postgresql:
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            prefix = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN "
            cursor = raw.cursor()
            cursor.execute(prefix + statement, parameters)
            plans.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
            cursor.close()
        conn.rollback()
    return plans


def test_the_reference_search_uses_its_index(store, database):
    for n in range(30):
        new_draft(store, reference=f"REF-{n:04d}")
    (plan,) = _plans(database, lambda: store.search(reference="ref-001"))
    assert "ix_assessment_reference_key" in plan, plan
    if database.is_sqlite:
        assert "SCAN assessment" not in plan.replace("SCAN assessment USING", ""), plan


def test_the_drafts_list_uses_its_index(store, database):
    for n in range(30):
        new_draft(store, reference=f"REF-{n:04d}")
    (plan,) = _plans(database, lambda: store.list_drafts())
    assert "ix_assessment_status_updated" in plan, plan
    if database.is_sqlite:
        assert "TEMP B-TREE" not in plan, plan  # no sort: the index gives the order


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_prefix_search_index_uses_text_pattern_ops(database):
    with database.engine.connect() as conn:
        definition = conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_assessment_reference_key'"
        )).scalar_one()
    assert "text_pattern_ops" in definition

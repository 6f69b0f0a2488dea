"""Timestamps are stored in UTC and come back timezone-aware (UTC) from both backends."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import StatementError

from screening_app.store import Store, open_database
from screening_app.store.models import Assessment

from .helpers import PINS, new_draft

PLUS_FIVE = dt.timezone(dt.timedelta(hours=5, minutes=30))


def _row(moment: dt.datetime) -> dict:
    return dict(id="fixed", setting="ed", age=15, extra_modules=[], content_pins=PINS,
                status="draft", version=1, created_at=moment, created_by="sam",
                updated_at=moment, row_version=1)


def test_an_aware_time_in_any_zone_comes_back_as_the_same_instant_in_utc(database):
    moment = dt.datetime(2024, 3, 31, 1, 30, 15, 123456, tzinfo=PLUS_FIVE)
    with database.engine.begin() as conn:
        conn.execute(insert(Assessment).values(**_row(moment)))
    with database.engine.connect() as conn:
        back = conn.execute(select(Assessment.created_at)).scalar_one()
    assert back == moment
    assert back.tzinfo is dt.UTC
    assert back == dt.datetime(2024, 3, 30, 20, 0, 15, 123456, tzinfo=dt.UTC)


def test_a_naive_time_is_refused_not_guessed(database):
    with pytest.raises(StatementError, match="naive datetime"), database.engine.begin() as conn:
        conn.execute(insert(Assessment).values(**_row(dt.datetime(2024, 1, 1, 12, 0))))


def test_sqlite_keeps_utc_wall_clock_text_so_text_order_is_time_order(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'heard.db'}")
    try:
        moment = dt.datetime(2024, 10, 27, 1, 30, tzinfo=PLUS_FIVE)
        with db.engine.begin() as conn:
            conn.execute(insert(Assessment).values(**_row(moment)))
            stored = conn.execute(text("SELECT created_at FROM assessment")).scalar_one()
        assert stored.startswith("2024-10-26 20:00:00")
    finally:
        db.dispose()


def test_postgresql_in_another_session_time_zone_still_gives_utc(pg_url):
    """The server (or the DBA) may set TimeZone to anything; we still read UTC."""
    zoned = f"{pg_url}?options={quote('-c timezone=America/New_York')}"
    db = open_database(zoned)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SHOW TimeZone")).scalar_one() == "America/New_York"
        store = Store(db)
        before = dt.datetime.now(dt.UTC)
        draft = new_draft(store)
        loaded = store.load(draft.id)
        for stamp in (loaded.created_at, loaded.updated_at):
            assert stamp.tzinfo is dt.UTC
            assert abs(stamp - before) < dt.timedelta(seconds=30)
    finally:
        db.dispose()


def test_every_time_the_store_returns_is_aware_utc(store):
    draft = new_draft(store)
    v = store.record_answer(draft.id, "asq", "q1", "yes", by="sam",
                            expected_version=draft.row_version)
    store.complete(draft.id, {}, by="sam", expected_version=v)
    loaded = store.load(draft.id)
    stamps = [loaded.created_at, loaded.updated_at, loaded.completed_at,
              loaded.answers[0].answered_at]
    stamps += [s.created_at for s in store.search(reference="REF")]
    assert all(s is not None and s.tzinfo is dt.UTC for s in stamps)

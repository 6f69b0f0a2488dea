"""The home screen on a big database: 100,000 assessments, drafts list and reference search.

Builds an SQLite database through the app's own ``open_database`` (so the schema, indexes
and pragmas are the shipped ones), bulk-inserts 100,000 synthetic assessments (5% drafts)
with a few answer events each through SQLAlchemy Core ``executemany``, reopens it as the app
would, then times the drafts list (``Store.list_drafts``) and reference searches
(``Store.search``): the median of repeated runs must stay under 100 ms each. Prints the
figures and the database size; not a timed test.

    python -m benchmarks.bench_store [--assessments N] [--pg URL] [--sealed]

``--pg URL`` (or SCREENING_APP_BENCH_PG) runs the same on an empty PostgreSQL database.
``--sealed`` runs it as an encrypted database's team would see it: every reference, answer
and result sealed with the team's key (store/sealing.py), references searched by their
blind index, the store scoped to the team.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, text, update

from screening_app.security.keyring import Keyring
from screening_app.security.roles import Principal, Role
from screening_app.store import Store, open_database
from screening_app.store.models import (
    AnswerEvent,
    Assessment,
    ReferenceToken,
    normalise_reference,
)
from screening_app.store.sealing import reference_tokens, seal_with

GOAL_MS = 100.0
RUNS = 41
PREFIXES = ("CUST", "ED", "GP", "SN")
SETTINGS = {"CUST": "custody", "ED": "ed", "GP": "gp", "SN": "school-nurse"}
BATCH = 10_000


TEAM = "Bench team"
TEAM_KEY = bytes(range(32))  # synthetic data: a fixed team key


def synthetic_rows(count: int, events_per: int, seed: int = 7, sealed: bool = False):
    """Batches of (assessment rows, answer event rows, blind index rows)."""
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    span = 2 * 365 * 24 * 3600
    pins = {"asq": {"version": "1.0.0", "sha256": "0" * 64}}
    assessments, events, tokens = [], [], []
    for n in range(count):
        prefix = rng.choice(PREFIXES)
        reference = f"{prefix}-{2023 + n % 3}-{n:06d}"
        if rng.random() < 0.5:
            reference = reference.lower()
        created = start + dt.timedelta(seconds=rng.randrange(span))
        updated = created + dt.timedelta(minutes=rng.randrange(240))
        draft = rng.random() < 0.05
        assessment_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        assessments.append({
            "id": assessment_id, "reference": reference,
            "reference_key": normalise_reference(reference), "setting": SETTINGS[prefix],
            "age": rng.randrange(5, 18), "extra_modules": [], "content_pins": pins,
            # Inserted as drafts with their answers, then completed (the database refuses
            # answers added to a completed assessment).
            "status": "draft", "version": 1, "team": None,
            "created_at": created, "created_by": f"user{rng.randrange(40)}",
            "updated_at": updated, "updated_by": None,
            "completed_at": None if draft else updated,
            "completed_by": None if draft else "user1",
            "current_item": "asq.q4", "row_version": events_per + 1,
            "result": None if draft else {"status": "complete"},
        })
        for seq in range(1, events_per + 1):
            events.append({"assessment_id": assessment_id, "seq": seq, "module": "asq",
                           "item": f"q{seq}", "value": json.dumps(rng.choice(["yes", "no"])),
                           "answered_at": created, "answered_by": "user1"})
        if sealed:
            _seal(assessments[-1], events[len(events) - events_per:], tokens)
        if len(assessments) == BATCH:
            yield assessments, events, tokens
            assessments, events, tokens = [], [], []
    if assessments:
        yield assessments, events, tokens


def _seal(row: dict, events: list[dict], tokens: list[dict]) -> None:
    """What the store's flush events write on an encrypted database."""
    aid = row["id"]
    tokens.extend({"assessment_id": aid, "token": t}
                  for t in reference_tokens(TEAM_KEY, row["reference"]))
    row.update(team=TEAM, reference_key=None,
               reference=seal_with(TEAM_KEY, "assessment", "reference", aid, row["reference"]))
    if row["result"] is not None:
        row["result"] = seal_with(TEAM_KEY, "assessment", "result", aid,
                                  json.dumps(row["result"]))
    for e in events:
        e["value"] = seal_with(TEAM_KEY, "answer_event", "value", f"{aid}/{e['seq']}",
                               e["value"])


def fill(url: str, count: int, events_per: int, sealed: bool = False) -> float:
    database = open_database(url)
    started = time.perf_counter()
    try:
        for assessments, events, tokens in synthetic_rows(count, events_per, sealed=sealed):
            with database.engine.begin() as conn:  # a transaction per batch of 10,000
                conn.execute(insert(Assessment), assessments)
                if events:
                    conn.execute(insert(AnswerEvent), events)
                if tokens:
                    conn.execute(insert(ReferenceToken), tokens)
                conn.execute(update(Assessment).where(Assessment.id.in_(
                    [a["id"] for a in assessments if a["completed_at"] is not None]))
                    .values(status="complete"))
        if database.is_postgresql:
            with database.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        else:
            with database.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
                conn.commit()
    finally:
        database.dispose()
    return time.perf_counter() - started


def median_ms(call: Callable[[], object], runs: int = RUNS) -> tuple[float, int]:
    result = call()  # warm: the first call also compiles the statement
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(result)  # type: ignore[arg-type]


def measure(url: str, label: str, count: int, events_per: int,
            size: Callable[[], int], sealed: bool = False) -> bool:
    seconds = fill(url, count, events_per, sealed)
    print(f"{label}: {count:,} assessments and {count * events_per:,} answer events inserted "
          f"in {seconds:.1f} s; database size {size() / 1e6:.1f} MB")
    opened = time.perf_counter()
    database = open_database(url)
    open_ms = (time.perf_counter() - opened) * 1000
    scope = None
    if sealed:
        keyring = Keyring()
        keyring.add(TEAM, TEAM_KEY, current=True)
        scope = Principal("bench", Role.PRACTITIONER, TEAM, keyring=keyring)
    store = Store(database, scope=scope)
    with database.engine.connect() as conn:
        sample_id = conn.execute(text(
            "SELECT id FROM assessment LIMIT 1 OFFSET 777")).scalar_one()
    sample_reference = store.load(sample_id).reference or ""
    wanted = sample_reference.swapcase()
    checks = {
        "home list (list_drafts, 50 newest drafts)": lambda: store.list_drafts(),
        f"search a whole reference ({wanted!r})": lambda: store.search(reference=wanted),
        "search a prefix ('ed-2023-0123', ~8 matches)":
            lambda: store.search(reference="ed-2023-0123"),
        "search a short prefix ('GP-2025', ~8,300 matches, newest 100)":
            lambda: store.search(reference="GP-2025"),
        "search by assessment id": lambda: store.search(reference=sample_id),
    }
    ok = True
    print(f"  open (health check and schema check): {open_ms:.0f} ms")
    try:
        for name, call in checks.items():
            ms, rows = median_ms(call)
            verdict = "ok" if ms < GOAL_MS else f"OVER the {GOAL_MS:.0f} ms goal"
            ok &= ms < GOAL_MS
            print(f"  {name}: median {ms:.2f} ms over {RUNS} runs ({rows} rows) {verdict}")
    finally:
        database.dispose()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_store")
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=5, help="answer events per assessment")
    parser.add_argument("--pg", default=os.environ.get("SCREENING_APP_BENCH_PG"),
                        help="also run on this (empty) PostgreSQL database")
    parser.add_argument("--sealed", action="store_true",
                        help="SQLite with the team's text sealed (encrypted database)")
    args = parser.parse_args(argv if argv is not None else [])
    ok = True
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as folder:
        path = Path(folder) / "heard.db"

        def sqlite_size() -> int:
            return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())

        ok &= measure(f"sqlite:///{path}", "SQLite, sealed" if args.sealed else "SQLite",
                      args.assessments, args.events, sqlite_size, args.sealed)
    if args.pg:
        def pg_size() -> int:
            database = open_database(args.pg)
            try:
                with database.engine.connect() as conn:
                    return conn.execute(text("SELECT pg_database_size(current_database())")
                                        ).scalar_one()
            finally:
                database.dispose()

        ok &= measure(args.pg, "PostgreSQL", args.assessments, args.events, pg_size)
    if not ok:
        print("bench_store: a median is over the goal", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""PostgreSQL row-level security per team (migration 0006): with the workstations' role and
TeamB's setting, a raw SELECT returns no TeamA rows and an INSERT into TeamA is refused;
the app, which names the team in every transaction, works as before."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from screening_app.security.access import initialise, sign_in
from screening_app.security.roles import Role
from screening_app.security.server import restrict_app_role
from screening_app.security.users import add_user
from screening_app.store import Store

from .helpers import ADMIN, ADMIN_PASSWORD, PASSWORD


@pytest.fixture(scope="module")
def pg_server():
    from tests.store.pg import NoPostgres, start_server

    try:
        server = start_server()
    except NoPostgres as exc:
        pytest.fail(f"PostgreSQL is required: {exc}", pytrace=False)
    yield server
    server.stop()


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_the_workstation_role_with_teamb_setting_sees_and_writes_no_teama_row(
        pg_server, tmp_path, monkeypatch):
    url = pg_server.create_database()
    role = f"heard_ws_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    key_file = tmp_path / "audit.key"
    initialise(url, ADMIN, ADMIN_PASSWORD, team="Admin office", audit_key_file=key_file)
    restrict_app_role(url, role)
    monkeypatch.setenv("SCREENING_APP_AUDIT_KEY_FILE", str(key_file))
    workstation = make_url(url).set(username=role).render_as_string(hide_password=False)
    admin = sign_in(workstation, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Bob", Role.PRACTITIONER, "TeamA", PASSWORD)
        add_user(admin, "Carol", Role.PRACTITIONER, "TeamB", PASSWORD)
    finally:
        admin.close()
    bob = sign_in(workstation, "Bob", PASSWORD)
    try:
        store = Store(bob.database, scope=bob.principal, audit=bob.audit)
        made = store.create_assessment(setting="ed", age=14, by="Bob", content_pins={},
                                       reference="A-1", presenting_issue="TeamA words")
        store.record_answer(made.id, "asq", "q1", "no", by="Bob",
                            expected_version=made.row_version)
        assert [s.id for s in store.search(reference="a-1")] == [made.id]
    finally:
        bob.close()
    with psycopg.connect(_plain(workstation)) as conn:
        conn.execute("SELECT set_config('heard.team', 'TeamB', true), "
                     "set_config('heard.role', 'practitioner', true)")
        for table in ("assessment", "answer_event"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO assessment (id, setting, age, extra_modules, "
                         "content_pins, status, version, team, created_at, created_by, "
                         "updated_at, row_version) VALUES (%s, 'ed', 9, '[]', '{}', "
                         "'draft', 1, 'TeamA', now(), 'Carol', now(), 1)",
                         (str(uuid.uuid4()),))
    with psycopg.connect(_plain(workstation)) as conn:
        conn.execute("SELECT set_config('heard.team', 'TeamB', true)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO answer_event (assessment_id, seq, module, item, value, "
                         "answered_at, answered_by) VALUES (%s, 9, 'asq', 'q2', '\"yes\"', "
                         "now(), 'Carol')", (made.id,))
    with psycopg.connect(_plain(workstation)) as conn:  # TeamA's own setting sees its rows
        conn.execute("SELECT set_config('heard.team', 'TeamA', true)")
        assert conn.execute("SELECT count(*) FROM answer_event").fetchone()[0] == 1
    carol = sign_in(workstation, "Carol", PASSWORD)
    try:  # through the app: refused like an unknown id, and the refusal still audited
        from screening_app.store.errors import AccessDenied

        with pytest.raises(AccessDenied):
            Store(carol.database, scope=carol.principal, audit=carol.audit).load(made.id)
    finally:
        carol.close()

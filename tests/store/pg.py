"""A throwaway PostgreSQL server for the tests, or the one named by SCREENING_APP_TEST_PG.

The cluster is made with ``initdb`` from the Debian packages (``/usr/lib/postgresql/*/bin``,
installed by ``scripts/system-deps.sh``), in a temporary folder, listening only on
127.0.0.1 at a free port. PostgreSQL refuses to run as root, so as root the folder is given
to the ``postgres`` user and the server runs as that user (``runuser``).

A test gets either an empty database of its own (``CREATE DATABASE``, dropped afterwards) or
the session's migrated database with its tables emptied (much quicker).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ENV_URL = "SCREENING_APP_TEST_PG"


class NoPostgres(RuntimeError):
    """No server could be had; the tests that need one must fail, not skip."""


@dataclass
class PgServer:
    """A server the tests may create databases on. ``url`` is a SQLAlchemy URL."""

    url: str
    owned_dir: Path | None = None
    bin_dir: Path | None = None
    run_as: str | None = None

    def _admin_conninfo(self) -> str:
        url = make_url(self.url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def create_database(self) -> str:
        name = f"heard_t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self._admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url_of(name)

    def url_of(self, name: str) -> str:
        return make_url(self.url).set(drivername="postgresql+psycopg", database=name) \
            .render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with psycopg.connect(self._admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.owned_dir is None or self.bin_dir is None:
            return
        data = self.owned_dir / "data"
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            _run(self, [str(self.bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "-w", "stop"], timeout=30)
        shutil.rmtree(self.owned_dir, ignore_errors=True)


def _run(server: PgServer, argv: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    if server.run_as:
        argv = ["runuser", "-u", server.run_as, "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=True,
                          cwd="/")


def _postgres_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                        else 0, reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> PgServer:
    """SCREENING_APP_TEST_PG if set, else a fresh cluster; raises NoPostgres with the reason."""
    url = os.environ.get(ENV_URL)
    if url:
        server = PgServer(url=url)
        try:
            with psycopg.connect(server._admin_conninfo(), autocommit=True, connect_timeout=5):
                pass
        except psycopg.Error as exc:
            raise NoPostgres(f"{ENV_URL}={url!r} cannot be reached: {exc}") from exc
        return server
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        raise NoPostgres("no PostgreSQL server programs (initdb, pg_ctl) found; run "
                         "scripts/system-deps.sh (apt-get install postgresql) or set "
                         f"{ENV_URL} to a server URL")
    run_as = None
    folder = Path(tempfile.mkdtemp(prefix="heard-pg-"))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise NoPostgres("running as root but there is no 'postgres' user to run the "
                             "server as (the Debian postgresql package creates it)") from None
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = "postgres"
    server = PgServer(url="", owned_dir=folder, bin_dir=bin_dir, run_as=run_as)
    data, sockets, log = folder / "data", folder / "sockets", folder / "server.log"
    try:
        _run(server, ["mkdir", "-p", str(sockets)])
        _run(server, [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], timeout=120)
        last_error = ""
        for _attempt in range(3):
            port = _free_port()
            options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                       f"-c synchronous_commit=off -c full_page_writes=off "
                       f"-c max_connections=200")
            try:
                _run(server, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                              "-t", "60", "-o", options, "start"], timeout=90)
            except subprocess.CalledProcessError as exc:
                last_error = (exc.stderr or exc.stdout or "").strip()
                continue
            server.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
            _wait_ready(server)
            return server
        raise NoPostgres(f"the PostgreSQL server would not start: {last_error} "
                         f"{_tail(log)}")
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        server.stop()
        raise NoPostgres(f"could not make a PostgreSQL cluster: {detail.strip()}") from exc
    except NoPostgres:
        server.stop()
        raise


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
    except OSError:
        return ""


def _wait_ready(server: PgServer, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(server._admin_conninfo(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def empty_tables(url: str) -> None:
    """Remove every row from Heard's tables (TRUNCATE skips the row triggers)."""
    from screening_app.store.schema import HEAD_REVISION

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '10s'")
        conn.execute("TRUNCATE assessment, answer_event, flag_acknowledgement, decision, "
                     "export_record RESTART IDENTITY CASCADE")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert revision == [(HEAD_REVISION,)], f"a test changed the shared schema: {revision}"


@contextlib.contextmanager
def database_on(server: PgServer) -> Iterator[str]:
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)

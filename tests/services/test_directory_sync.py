"""The deployment's directory file (deployment.toml ``services_directory``) is imported when
the database is opened, only when it is new or changed; a bad file changes nothing and is
named in one sentence (file, record, field). Core on SQLite and PostgreSQL, and the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from screening_app.app import Workspace, load_content
from screening_app.deployment import load_deployment
from screening_app.services.files import read_directory
from screening_app.store import Store
from screening_app.store.directory import Directory
from screening_app.store.directory_sync import last_import, sync_from_deployment

from .conftest import audit_since, scoped_store
from .helpers import SAMPLE, sample_contents

PAGE = json.loads(SAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def catalog():
    return load_content()


def write_directory(path: Path, contents: list[dict]) -> Path:
    path.write_text(json.dumps({**PAGE, "contents": contents, "total_items": len(contents)}),
                    encoding="utf-8")
    return path


def deployment_toml(folder: Path, services: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "deployment.toml"
    path.write_text(f'schema_version = 1\narea = "Northfield"\n'
                    f'services_directory = "{services}"\n', encoding="utf-8")
    path.chmod(0o644)
    return path


def workspace(catalog, store: Store, toml: Path) -> Workspace:
    return Workspace(catalog, store, user="Pat Practitioner", machine=load_deployment(toml))


def imports_since(store: Store, mark: int) -> list:
    return [e for e in audit_since(store, mark) if e.action == "directory-import"]


def test_a_new_file_is_imported_once_by_the_system_then_only_when_changed(
        catalog, store, audit_mark, tmp_path):
    services = write_directory(tmp_path / "services.json", sample_contents())
    ws = workspace(catalog, store, deployment_toml(tmp_path / "etc", services))
    assert ws.sync_directory() is None  # a practitioner's start-up: no admin needed
    assert len(ws.directory().entries()) == 14
    [entry] = imports_since(store, audit_mark)
    assert (entry.actor, entry.role) == ("system", None)
    detail = json.loads(entry.detail)
    assert (detail["added"], detail["trigger"], detail["source"]) == (14, "deployment",
                                                                      str(services))
    assert detail["sha256"] == last_import(ws.directory()).sha256

    assert ws.sync_directory() is None  # unchanged: nothing imported, nothing audited
    os.utime(services, ns=(1_700_000_000_000_000_000,) * 2)  # touched, same content
    assert ws.sync_directory() is None
    assert last_import(ws.directory()).mtime_ns == 1_700_000_000_000_000_000
    assert len(imports_since(store, audit_mark)) == 1

    changed = sample_contents()[2:]
    changed[0]["name"] = "Renamed service (fictional)"
    write_directory(services, changed)
    assert ws.sync_directory() is None
    names = [e.name for e in ws.directory().entries()]
    assert len(names) == 12 and "Renamed service (fictional)" in names
    second = imports_since(store, audit_mark)[1]
    assert json.loads(second.detail)["removed"] == 2


def test_a_bad_file_keeps_the_directory_and_names_file_record_and_field(
        catalog, store, audit_mark, tmp_path):
    services = write_directory(tmp_path / "services.json", sample_contents())
    ws = workspace(catalog, store, deployment_toml(tmp_path / "etc", services))
    ws.sync_directory()
    before = ws.directory().entries()
    bad = sample_contents()
    bad[2]["maximum_age"] = 300
    write_directory(services, bad)
    notice = ws.sync_directory()
    assert notice == (f"{services}: the directory of services was not updated (kept as it "
                      f"was): record 3 (id {bad[2]['id']}): maximum_age: 300 is not an age "
                      f"(0 to 120)")
    assert ws.directory_notice == notice
    assert ws.directory().entries() == before
    assert len(imports_since(store, audit_mark)) == 1
    services.write_text("{not json", encoding="utf-8")
    assert "services.json: -: not readable JSON" in ws.sync_directory()
    assert ws.directory().entries() == before


def test_services_added_by_hand_stay_when_the_file_changes(catalog, database, store,
                                                            tmp_path):
    contents = sample_contents()
    services = write_directory(tmp_path / "services.json", contents[1:])
    admin = Directory(scoped_store(database, "Ada Admin", "administrator", "North ED"))
    admin.import_entries(read_directory(SAMPLE).entries[:1], by="Ada Admin",
                         source="by-hand.json")
    ws = workspace(catalog, store, deployment_toml(tmp_path / "etc", services))
    ws.sync_directory()
    assert len(ws.directory().entries()) == 14
    write_directory(services, contents[5:])
    ws.sync_directory()
    ids = {e.id for e in ws.directory().entries()}
    assert ids == {c["id"] for c in contents[5:]} | {contents[0]["id"]}


def test_a_tabular_directory_is_imported_and_its_csv_files_count_as_changes(
        catalog, store, tmp_path):
    from .helpers import tabular_package

    package = tabular_package(tmp_path / "feed")
    ws = workspace(catalog, store, deployment_toml(tmp_path / "etc", package))
    assert ws.sync_directory() is None
    first = last_import(ws.directory())
    assert first is not None and len(ws.directory().entries()) == 1
    csv = tmp_path / "feed" / "example-csv-services.csv"
    csv.write_text(csv.read_text("utf-8").replace("Counselling", "Counseling"), "utf-8")
    assert sync_from_deployment(ws.directory(), package).imported is not None
    assert last_import(ws.directory()).sha256 != first.sha256


# -- the command line -------------------------------------------------------------------------
@pytest.fixture
def machine_folder(tmp_path, monkeypatch) -> Path:
    """This computer's configuration folder, in tmp_path (the real one is /etc/xdg/...)."""
    import screening_app.deployment as deployment

    folder = tmp_path / "etc"
    monkeypatch.setattr(deployment, "machine_config_dir", lambda: folder)
    return folder


def test_every_command_imports_a_new_file_and_names_a_bad_one(capsys, machine_folder,
                                                               tmp_path):
    from .test_cli import run

    services = write_directory(tmp_path / "services.json", sample_contents())
    deployment_toml(machine_folder, services)
    db = tmp_path / "heard.db"
    code, out, err = run(capsys, db, "services", "list", "--json")
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 14
    bad = sample_contents()[:3]
    bad[1]["minimum_age"] = 19
    bad[1]["maximum_age"] = 12
    write_directory(services, bad)
    code, out, err = run(capsys, db, "services", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 14  # kept as it was
    assert err == (f"screening-app: {services}: the directory of services was not updated "
                   f"(kept as it was): record 2 (id {bad[1]['id']}): minimum_age: 19 is "
                   f"above maximum_age 12\n")


GUI = """
import sys
from pathlib import Path
import screening_app.deployment as deployment
FOLDER = Path(sys.argv.pop(1))
deployment.machine_config_dir = lambda: FOLDER  # this test's machine folder
from screening_app.cli import build_parser
from screening_app.ui.app import run_app
args = build_parser().parse_args(sys.argv[1:])
def ready(window):
    from PySide6.QtCore import QTimer
    def check():
        if window.ws is None:
            QTimer.singleShot(20, check)
            return
        banner = window.home.banner
        print(banner.message.text() if banner.isVisible() else "")
        print(len(window.ws.directory().entries()))
        window.close()
    check()
raise SystemExit(run_app(args, on_ready=ready))
"""


def test_the_desktop_app_imports_the_file_and_shows_a_bad_one_on_home(tmp_path):
    import subprocess
    import sys

    services = write_directory(tmp_path / "services.json", sample_contents())
    deployment_toml(tmp_path / "etc", services)
    command = [sys.executable, "-c", GUI, str(tmp_path / "etc"), "--db",
               f"sqlite:///{tmp_path / 'heard.db'}"]
    env = dict(os.environ, SCREENING_APP_DEVELOPMENT="1", QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    banner, count = proc.stdout.splitlines()
    assert count == "14" and "directory of services" not in banner
    bad = sample_contents()
    bad[0]["maximum_age"] = 300
    write_directory(services, bad)
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    banner, count = proc.stdout.splitlines()
    assert count == "14"
    assert banner.startswith("Development database: ")
    assert banner.endswith(f"{services}: the directory of services was not updated (kept as "
                           f"it was): record 1 (id {bad[0]['id']}): maximum_age: 300 is not "
                           f"an age (0 to 120)")

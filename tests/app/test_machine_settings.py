"""What IT sets for a computer (deployment.toml) reaches the core: the stricter idle lock,
the protective marking on every PDF, the setting preselected, the site's name."""

from __future__ import annotations

from pathlib import Path

from screening_app.app import Workspace
from screening_app.deployment import Deployment
from screening_app.store import Store, open_database

from .conftest import PASSWORD

MACHINE = Deployment(source=Path("/etc/xdg/screening-app/deployment.toml"),
                     protective_marking="OFFICIAL-SENSITIVE [HEALTH]", idle_lock_minutes=2,
                     site_name="Riverside ED", default_setting="ed")


def test_the_machine_marking_and_site_reach_the_pdf_and_the_workspace(catalog, tmp_path):
    from tests.export.helpers import pdf_text

    ws = Workspace(catalog, Store(open_database(f"sqlite:///{tmp_path / 'm.db'}")),
                   user="Nurse Test", machine=MACHINE)
    try:
        a = ws.start(setting="ed", age=14, reference="ED-M1")
        out = tmp_path / "m.pdf"
        ws.export_pdf(a.id, out)
        assert all("OFFICIAL-SENSITIVE [HEALTH]" in page for page in pdf_text(out.read_bytes()))
        assert ws.site_name == "Riverside ED" and ws.default_setting() == "ed"
    finally:
        ws.close()


def test_the_stricter_idle_lock_wins(signed_in, catalog):
    nia = signed_in("Nia")
    assert nia.idle_lock_minutes() == 5  # the database policy's default
    strict = Workspace(catalog, nia.store, signed=nia.signed, machine=MACHINE)
    assert strict.idle_lock_minutes() == 2
    assert strict.reauthenticate(PASSWORD)

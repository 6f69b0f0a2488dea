"""Workspaces on real SQLite files: a development one, and a set-up (encrypted) one."""

from __future__ import annotations

import pytest

from screening_app.app import development_workspace, load_content, open_workspace
from screening_app.security.access import initialise, sign_in
from screening_app.security.roles import Role
from screening_app.security.users import add_user

ADMIN, ADMIN_PASSWORD = "Ada Admin", "lantern orchard pebble"
PASSWORD = "violet harbour teapot"


@pytest.fixture(scope="session")
def catalog():
    return load_content()


@pytest.fixture
def ws(catalog, tmp_path):
    workspace = development_workspace(catalog, f"sqlite:///{tmp_path / 'dev.db'}", "Nurse Test")
    yield workspace
    workspace.close()


@pytest.fixture
def secured_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'heard.db'}"
    initialise(url, ADMIN, ADMIN_PASSWORD, team="Admin office")
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Nia", Role.PRACTITIONER, "ED", PASSWORD)
        add_user(admin, "Noor", Role.PRACTITIONER, "ED", PASSWORD)
        add_user(admin, "Cal", Role.PRACTITIONER, "Custody", PASSWORD)
    finally:
        admin.close()
    return url


@pytest.fixture
def signed_in(catalog, secured_url):
    opened = []

    def open_as(name: str):
        workspace = open_workspace(secured_url, name, lambda _prompt: PASSWORD, catalog=catalog)
        opened.append(workspace)
        return workspace
    yield open_as
    for workspace in opened:
        workspace.close()

"""Workspaces on real SQLite files: a development one, and a set-up (encrypted) one."""

from __future__ import annotations

import pytest

from screening_app.app import development_workspace, load_content, open_workspace
from screening_app.security.roles import Role

from ..security.helpers import ADMIN, ADMIN_PASSWORD, PASSWORD, secured_database

__all__ = ["ADMIN", "ADMIN_PASSWORD", "PASSWORD"]  # the tests here import them from here


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
    return secured_database(tmp_path, ("Nia", Role.PRACTITIONER, "ED"),
                            ("Noor", Role.PRACTITIONER, "ED"),
                            ("Cal", Role.PRACTITIONER, "Custody"))


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

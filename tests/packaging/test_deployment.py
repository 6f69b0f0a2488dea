"""Machine-wide deployment settings: the documented example loads, and every mistake an IT
team can make is one sentence naming the file and the field."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from screening_app.deployment import (
    Deployment,
    DeploymentError,
    deployment_path,
    load_deployment,
    machine_config_dir,
    unknown_default_setting,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "packaging" / "deployment.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deployment.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return path


def test_the_documented_example_loads(tmp_path):
    loaded = load_deployment(write(tmp_path, EXAMPLE.read_text(encoding="utf-8")))
    assert loaded.database_url == "postgresql+psycopg://heard@db.example.internal/heard"
    assert loaded.protective_marking == "OFFICIAL-SENSITIVE"
    assert loaded.idle_lock_minutes == 5
    assert loaded.site_name == "Example Hospital Emergency Department"
    assert loaded.default_setting == "ed"
    assert loaded.services_directory is None
    assert "deployment.example.toml" in (REPO / "docs" / "deployment.md").read_text()


def test_no_file_means_the_defaults(tmp_path):
    assert load_deployment(tmp_path / "absent.toml") == Deployment()


def test_the_file_lives_in_the_machine_folder_not_a_users(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path))  # any user can set this
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert deployment_path().name == "deployment.toml"
    assert deployment_path().parent == machine_config_dir()
    if sys.platform.startswith("linux"):
        assert machine_config_dir() == Path("/etc/xdg/screening-app")
    assert not str(machine_config_dir()).startswith(str(tmp_path))
    assert not str(machine_config_dir()).startswith(str(Path.home()))


def test_a_services_file_must_exist(tmp_path):
    services = tmp_path / "services.json"
    path = write(tmp_path, f'services_directory = "{services}"\n')
    with pytest.raises(DeploymentError, match=r"services_directory: .*is not a file"):
        load_deployment(path)
    services.write_text("[]", encoding="utf-8")
    assert load_deployment(path).services_directory == services


@pytest.mark.parametrize(("text", "field", "problem"), [
    ("idle_lock_minuts = 5", "idle_lock_minuts", "not a deployment setting"),
    ("idle_lock_minutes = 0", "idle_lock_minutes", "from 1 to 60"),
    ("idle_lock_minutes = 61", "idle_lock_minutes", "from 1 to 60"),
    ("idle_lock_minutes = true", "idle_lock_minutes", "whole number"),
    ('idle_lock_minutes = "5"', "idle_lock_minutes", "whole number"),
    ("protective_marking = 3", "protective_marking", "text in quotes"),
    ('protective_marking = ""', "protective_marking", "1 to 60 characters"),
    (f'protective_marking = "{"X" * 61}"', "protective_marking", "1 to 60 characters"),
    ('protective_marking = "OFFICIAL\\nSECRET"', "protective_marking", "one line"),
    ('site_name = "A\\u0007B"', "site_name", "printable"),
    ('default_setting = "Emergency Dept"', "default_setting", "not a setting id"),
    ('database_url = "heard.db"', "database_url", "sqlite:///"),
    ('services_directory = "services.json"', "services_directory", "absolute path"),
    ("schema_version = 2", "schema_version", "another release"),
])
def test_each_mistake_names_the_file_and_field(tmp_path, text, field, problem):
    path = write(tmp_path, text + "\n")
    with pytest.raises(DeploymentError) as caught:
        load_deployment(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {field}: ")
    assert problem in message
    assert "\n" not in message


def test_broken_toml_says_where(tmp_path):
    path = write(tmp_path, 'site_name = "Ward 3"\nidle_lock_minutes = = 5\n')
    with pytest.raises(DeploymentError, match=r"not valid TOML: .*line 2"):
        load_deployment(path)


def test_a_file_other_users_can_change_is_refused(tmp_path):
    if os.name != "posix":
        pytest.fail("this check is for POSIX permissions")
    path = write(tmp_path, "idle_lock_minutes = 5\n")
    path.chmod(0o666)
    with pytest.raises(DeploymentError, match="other users can change this file"):
        load_deployment(path)


def test_users_cannot_choose_another_database(tmp_path):
    fixed = load_deployment(write(tmp_path, 'database_url = "sqlite:////srv/heard/heard.db"\n'))
    assert fixed.database_for(None) == "sqlite:////srv/heard/heard.db"
    assert fixed.database_for("sqlite:////srv/heard/heard.db") == "sqlite:////srv/heard/heard.db"
    with pytest.raises(DeploymentError, match="database_url is set for this computer"):
        fixed.database_for("sqlite:////tmp/mine.db")
    assert Deployment().database_for("sqlite:////tmp/mine.db") == "sqlite:////tmp/mine.db"
    assert Deployment().database_for(None) is None


def test_the_stricter_idle_lock_applies():
    assert Deployment(idle_lock_minutes=3).idle_lock_for(10) == 3
    assert Deployment(idle_lock_minutes=15).idle_lock_for(10) == 10
    assert Deployment().idle_lock_for(10) == 10


def test_a_default_setting_must_be_installed(tmp_path):
    loaded = load_deployment(write(tmp_path, 'default_setting = "maternity"\n'))
    message = unknown_default_setting(loaded, {"ed", "gp"})
    assert message is not None and "default_setting: no pathway 'maternity'" in message
    assert unknown_default_setting(loaded, {"maternity"}) is None
    assert unknown_default_setting(Deployment(), {"ed"}) is None

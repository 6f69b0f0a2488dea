"""The content and fonts are found inside the package, and SCREENING_APP_HOME (for
development and tests) cannot swap them on a managed computer."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from screening_app.deployment import deployment_path
from screening_app.paths import HOME_VARIABLE, home_override, resources_dir, shipped_content_dir


def test_the_content_and_fonts_are_package_data(monkeypatch):
    monkeypatch.delenv(HOME_VARIABLE, raising=False)
    package = Path(str(files("screening_app")))
    assert shipped_content_dir() == package / "questionnaires"
    assert (shipped_content_dir() / "pathways" / "ed.yaml").is_file()
    assert (resources_dir() / "fonts" / "DejaVuSans.ttf").is_file()


def test_the_home_variable_replaces_both_folders_on_an_unmanaged_computer(tmp_path, monkeypatch):
    assert not deployment_path().exists(), "this test needs a computer without deployment.toml"
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path))
    assert shipped_content_dir() == tmp_path / "questionnaires"
    assert resources_dir() == tmp_path / "resources"


def test_a_deployment_file_turns_the_home_variable_off(tmp_path, monkeypatch):
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "other-content"))
    managed = tmp_path / "deployment.toml"
    assert home_override(managed) == tmp_path / "other-content"
    managed.write_text("schema_version = 1\n", encoding="utf-8")
    assert home_override(managed) is None

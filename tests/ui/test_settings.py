"""This workstation's settings file (Qt-free)."""

from __future__ import annotations

import json
import logging

import pytest

from screening_app.settings import (
    SCHEMA_VERSION,
    SettingsError,
    UserSettings,
    load_settings,
    save_settings,
    settings_path,
)


def test_defaults_when_missing(tmp_path):
    assert load_settings(tmp_path / "none.json") == UserSettings()


def test_round_trip_and_location(tmp_path, monkeypatch):
    monkeypatch.setenv("SCREENING_APP_SETTINGS", str(tmp_path / "s.json"))
    settings = UserSettings()
    settings.remember_setting("custody")
    settings.set_font_scale(1.5)
    assert save_settings(settings)
    assert settings_path() == tmp_path / "s.json"
    data = json.loads((tmp_path / "s.json").read_text())
    assert data == {"schema_version": SCHEMA_VERSION, "last_setting": "custody",
                    "font_scale": 1.5, "color_scheme": "system"}
    assert load_settings() == settings


def test_default_path_is_under_the_user_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SCREENING_APP_SETTINGS", raising=False)
    path = settings_path()
    assert path.name == "settings.json" and "screening-app" in str(path)


@pytest.mark.parametrize("content", [
    "not json", "[]", '{"schema_version": 99}', '{"schema_version": 1, "font_scale": "big"}',
    '{"schema_version": 1, "last_setting": "../../etc"}', '{"schema_version": 1, '
    '"color_scheme": "purple"}', '{"schema_version": 1, "font_scale": 100}'])
def test_bad_files_are_set_aside(tmp_path, caplog, content):
    path = tmp_path / "s.json"
    path.write_text(content)
    with caplog.at_level(logging.WARNING):
        assert load_settings(path) == UserSettings()
    assert "ignoring" in caplog.text


def test_unknown_keys_are_ignored(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"schema_version": 1, "last_setting": "gp", "future": true}')
    assert load_settings(path).last_setting == "gp"


def test_invalid_values_refused():
    with pytest.raises(SettingsError):
        UserSettings(font_scale=9)
    with pytest.raises(SettingsError):
        UserSettings().set_font_scale(0.1)


def test_unwritable_folder_is_not_fatal(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING):
        assert not save_settings(UserSettings(), blocker / "s.json")

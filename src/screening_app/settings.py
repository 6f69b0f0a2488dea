"""This workstation's preferences: a small typed JSON file in the user config folder.

Only user-interface state lives here (the setting chosen last, text size, colour scheme);
assessments live in the database. The file carries a schema version so that a later
release can migrate it; an unreadable, invalid or newer file is set aside (defaults are
used and a warning logged), never trusted blindly. A plain dataclass rather than pydantic
keeps it cheap to import: it is read before the first window appears.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from platformdirs import user_config_dir

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FONT_SCALES = (1.0, 1.25, 1.5, 2.0)
COLOR_SCHEMES = ("system", "light", "dark")
_SETTING_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


class SettingsError(ValueError):
    """A settings value of the wrong type or out of range."""


@dataclass
class UserSettings:
    schema_version: int = SCHEMA_VERSION
    last_setting: str | None = None
    font_scale: float = 1.0
    color_scheme: str = "system"

    def __post_init__(self) -> None:
        if self.schema_version != SCHEMA_VERSION:
            raise SettingsError(f"schema_version {self.schema_version!r} is not {SCHEMA_VERSION}")
        if self.last_setting is not None and not (
                isinstance(self.last_setting, str) and _SETTING_ID.match(self.last_setting)):
            raise SettingsError("last_setting is not a setting id")
        if isinstance(self.font_scale, bool) or not isinstance(self.font_scale, (int, float)) \
                or not 0.75 <= self.font_scale <= 3.0:
            raise SettingsError("font_scale must be a number from 0.75 to 3")
        self.font_scale = float(self.font_scale)
        if self.color_scheme not in COLOR_SCHEMES:
            raise SettingsError(f"color_scheme must be one of {', '.join(COLOR_SCHEMES)}")

    @classmethod
    def from_dict(cls, data: object) -> UserSettings:
        if not isinstance(data, dict):
            raise SettingsError("expected a JSON object")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict:
        return asdict(self)

    def remember_setting(self, setting: str) -> None:
        if _SETTING_ID.match(setting):
            self.last_setting = setting

    def set_font_scale(self, scale: float) -> None:
        if not 0.75 <= scale <= 3.0:
            raise SettingsError("font_scale must be a number from 0.75 to 3")
        self.font_scale = float(scale)


def settings_path() -> Path:
    """SCREENING_APP_SETTINGS overrides the platform's user config folder."""
    override = os.environ.get("SCREENING_APP_SETTINGS")
    if override:
        return Path(override)
    return Path(user_config_dir("screening-app", "Heard")) / "settings.json"


def load_settings(path: Path | None = None) -> UserSettings:
    """The saved settings, or the defaults when there are none or they cannot be used."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return UserSettings()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("ignoring unreadable settings file %s: %s", path, exc)
        return UserSettings()
    try:
        return UserSettings.from_dict(data)
    except (SettingsError, TypeError) as exc:
        log.warning("ignoring settings file %s: %s", path, exc)
        return UserSettings()


def save_settings(settings: UserSettings, path: Path | None = None) -> bool:
    """Write atomically (temporary file, then rename). False if it could not be written."""
    path = path or settings_path()
    text = json.dumps(settings.to_dict(), indent=2) + "\n"
    from .files import WriteError, write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    except (OSError, WriteError) as exc:
        log.warning("could not save settings to %s: %s", path, exc)
        return False
    return True

"""Machine-wide deployment settings: what an IT team sets once for every user of a computer.

One TOML file, ``deployment.toml``, in the platform's machine configuration folder
(:func:`deployment_path`; docs/deployment.md has an example). Users cannot override it:
there is no environment variable or user file that replaces it, and on POSIX a file that
users other than its owner can write is refused. A missing file means "no deployment
settings" (the defaults); a file that is present but wrong is an error naming the file and
the field, never half-applied.

Qt-free and cheap to import (stdlib ``tomllib``): it is read before the first window.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from platformdirs import site_config_dir

SCHEMA_VERSION = 1
FILE_NAME = "deployment.toml"
APP_NAME, APP_AUTHOR = "screening-app", "Heard"
_SETTING_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_MAX_MARKING, _MAX_SITE = 60, 80


class DeploymentError(ValueError):
    """The deployment file is unreadable or wrong; the message names the file and field."""


@dataclass(frozen=True)
class Deployment:
    """The machine's settings; ``None`` means "not set here" (the app's own default)."""

    source: Path | None = None  # the file these came from; None: no deployment file
    database_url: str | None = None
    protective_marking: str | None = None
    idle_lock_minutes: int | None = None
    site_name: str | None = None
    # The site's area, as the directory's service_areas name it: services are matched for it.
    area: str | None = None
    services_directory: Path | None = None
    default_setting: str | None = None

    def database_for(self, requested: str | None) -> str | None:
        """The database to open when a user asks for ``requested`` (``--db``, or None).

        With a machine database set, asking for another one is refused: users cannot move
        records off the database IT chose."""
        if self.database_url is None:
            return requested
        if requested in (None, self.database_url):
            return self.database_url
        raise DeploymentError(f"{self.source}: database_url is set for this computer; "
                              f"another database ({requested}) cannot be used here")

    def idle_lock_for(self, policy_minutes: int) -> int:
        """The idle lock to apply: the stricter of this machine's and the database policy's."""
        if self.idle_lock_minutes is None:
            return policy_minutes
        return min(self.idle_lock_minutes, policy_minutes)


def machine_config_dir() -> Path:
    """Where IT puts machine-wide configuration (never a user folder).

    Windows: ``C:\\ProgramData\\Heard\\screening-app``; macOS:
    ``/Library/Application Support/screening-app``; Linux and other Unix:
    ``/etc/xdg/screening-app``. On Unix platformdirs would follow ``$XDG_CONFIG_DIRS``, which
    any user can set, so its documented default is used instead.
    """
    if sys.platform in ("win32", "darwin"):
        return Path(site_config_dir(APP_NAME, APP_AUTHOR))
    return Path("/etc/xdg") / APP_NAME


def deployment_path() -> Path:
    return machine_config_dir() / FILE_NAME


def load_deployment(path: Path | None = None) -> Deployment:
    """Read the deployment file (default :func:`deployment_path`); raise DeploymentError."""
    path = path or deployment_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return Deployment()
    except OSError as exc:
        raise DeploymentError(f"{path}: cannot read the deployment settings: "
                              f"{exc.strerror or exc}") from None
    if os.name == "posix" and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise DeploymentError(f"{path}: other users can change this file; make it writable "
                              f"by its owner only (chmod 644)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DeploymentError(f"{path}: cannot read the deployment settings: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeploymentError(f"{path}: not valid TOML: {exc}") from None
    return parse_deployment(data, path)


def parse_deployment(data: dict[str, object], source: Path) -> Deployment:
    """Check every field of an already-parsed file; errors say ``file: field: problem``."""
    known = {f.name for f in fields(Deployment)} - {"source"}
    unknown = sorted(set(data) - known - {"schema_version"})
    if unknown:
        raise DeploymentError(f"{source}: {unknown[0]}: not a deployment setting (known: "
                              f"schema_version, {', '.join(sorted(known))})")
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise DeploymentError(f"{source}: schema_version: {version!r} is not {SCHEMA_VERSION} "
                              f"(a file for another release of screening-app?)")

    def fail(field: str, problem: str) -> DeploymentError:
        return DeploymentError(f"{source}: {field}: {problem}")

    def text(field: str, limit: int) -> str | None:
        value = data.get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            raise fail(field, f"must be text in quotes, not {type(value).__name__}")
        value = value.strip()
        if not value or len(value) > limit:
            raise fail(field, f"must be 1 to {limit} characters")
        if not value.isprintable():
            raise fail(field, "must be one line of printable characters")
        return value

    idle = data.get("idle_lock_minutes")
    if idle is not None and (isinstance(idle, bool) or not isinstance(idle, int)
                             or not 1 <= idle <= 60):
        raise fail("idle_lock_minutes", f"must be a whole number of minutes from 1 to 60, "
                                        f"not {idle!r}")
    setting = text("default_setting", 64)
    if setting is not None and not _SETTING_ID.match(setting):
        raise fail("default_setting", f"{setting!r} is not a setting id (such as ed, custody, "
                                      f"gp, school-nurse)")
    database = text("database_url", 1000)
    if database is not None and not re.match(r"^(sqlite|postgresql)(\+\w+)?://", database):
        raise fail("database_url", "must start sqlite:/// or postgresql+psycopg://")
    services = text("services_directory", 1000)
    services_path = None
    if services is not None:
        services_path = Path(services).expanduser()
        if not services_path.is_absolute():
            raise fail("services_directory", f"{services} must be an absolute path")
        if not services_path.is_file():
            raise fail("services_directory", f"{services_path} is not a file")
    return Deployment(
        source=source,
        database_url=database,
        protective_marking=text("protective_marking", _MAX_MARKING),
        idle_lock_minutes=idle,
        site_name=text("site_name", _MAX_SITE),
        area=text("area", _MAX_SITE),
        services_directory=services_path,
        default_setting=setting,
    )


def unknown_default_setting(deployment: Deployment, pathways: set[str]) -> str | None:
    """A sentence when the default setting names no installed pathway, else None."""
    chosen = deployment.default_setting
    if chosen is None or chosen in pathways:
        return None
    return (f"{deployment.source}: default_setting: no pathway {chosen!r} is installed "
            f"(installed: {', '.join(sorted(pathways))})")

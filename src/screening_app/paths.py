"""Where the shipped content and resources live, frozen or not, in one place."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder holding ``questionnaires/`` and ``resources/``.

    A source checkout (editable install) keeps them two levels above the package; a frozen
    build sets SCREENING_APP_HOME to where its spec copied them.
    """
    override = os.environ.get("SCREENING_APP_HOME")
    if override:
        return Path(override)
    return _PACKAGE_DIR.parent.parent


def shipped_content_dir() -> Path:
    return project_root() / "questionnaires"


def resources_dir() -> Path:
    return project_root() / "resources"

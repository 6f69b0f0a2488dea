"""Where the shipped content and resources live: inside the package, in one place.

They are package data read through :mod:`importlib.resources`, so the source tree, an
installed wheel and a frozen bundle all take the same path (packaging/README.md).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

HOME_VARIABLE = "SCREENING_APP_HOME"


def home_override(deployment_file: Path | None = None) -> Path | None:
    """The folder that replaces the shipped ``questionnaires/`` and ``resources/``, if any.

    ``SCREENING_APP_HOME`` is for development and tests (running the command line on their
    own content). On a managed computer, one with a deployment file
    (:func:`screening_app.deployment.deployment_path`), it is ignored: a user must not be
    able to swap the validated questionnaires for others.
    """
    value = os.environ.get(HOME_VARIABLE)
    if not value:
        return None
    if deployment_file is None:
        from .deployment import deployment_path

        deployment_file = deployment_path()
    if deployment_file.exists():
        return None
    return Path(value)


def _package_folder(name: str) -> Path:
    override = home_override()
    if override is not None:
        return override / name
    # The package is always installed as files (wheel, editable install or a frozen
    # one-folder bundle), so the Traversable is a real folder the loader can walk.
    return Path(str(files("screening_app") / name))


def shipped_content_dir() -> Path:
    return _package_folder("questionnaires")


def resources_dir() -> Path:
    return _package_folder("resources")

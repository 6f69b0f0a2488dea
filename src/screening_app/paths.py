"""Where the shipped content and resources live: inside the package, in one place.

They are package data read through :mod:`importlib.resources`, so the source tree, an
installed wheel and a frozen bundle all take the same path.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_folder(name: str) -> Path:
    # SCREENING_APP_HOME replaces the shipped folders wholesale (the tests use it to run
    # the command line on their own content).
    override = os.environ.get("SCREENING_APP_HOME")
    if override:
        return Path(override) / name
    # The package is always installed as files (wheel, editable install or a frozen
    # one-folder bundle), so the Traversable is a real folder the loader can walk.
    return Path(str(files("screening_app") / name))


def shipped_content_dir() -> Path:
    return _package_folder("questionnaires")


def resources_dir() -> Path:
    return _package_folder("resources")

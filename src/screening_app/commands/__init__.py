"""One module per command; each has ``register(subparsers)`` and sets ``handler``.

Modules are imported only when a command line is parsed, so starting the desktop app
does not pay for the command modules' imports.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMAND_MODULES = [
    "validate", "schema", "describe", "init", "assess", "show", "export", "audit", "users",
    "retention", "backup", "restore", "screenshots", "services", "actions", "escalate",
]


def load_commands() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMAND_MODULES]

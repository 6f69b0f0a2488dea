"""Starting the desktop app (the default when no command is given)."""

from __future__ import annotations


def run(args) -> int:  # noqa: ANN001
    from ..ui.app import run_app  # Qt is imported only when the desktop app is wanted

    return run_app(args)

"""Only screening_app.ui may import PySide6: every other module imports without it."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys

import screening_app

BLOCKER = """
import importlib.abc, sys
class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError(f"PySide6 is blocked for this test: {name}")
sys.meta_path.insert(0, NoQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print("imported", len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(screening_app.__path__, "screening_app."):
        if info.name.startswith("screening_app.ui") or info.name.endswith(".__main__"):
            continue  # __main__ modules run on import; they are entry points, not library code
        if ".migrations." in info.name:
            continue  # Alembic scripts, run by Alembic inside its own context
        names.append(info.name)
    return names


def test_every_module_outside_ui_imports_without_pyside6():
    names = core_modules()
    assert "screening_app.engine.session" in names and "screening_app.cli" in names
    proc = subprocess.run([sys.executable, "-c", BLOCKER, *names], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == f"imported {len(names)}"


def test_blocker_really_blocks():
    proc = subprocess.run([sys.executable, "-c", BLOCKER, "PySide6.QtWidgets"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "ImportError: PySide6 is blocked for this test: PySide6" in proc.stderr


def test_a_cli_command_runs_with_pyside6_blocked():
    """The command line needs Qt only for the desktop app: `validate` runs and succeeds."""
    proc = subprocess.run([sys.executable, "-c", BLOCKER + "\nfrom screening_app.cli import "
                           "main\nraise SystemExit(main(['validate']))"], capture_output=True,
                          text=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr[-2000:]
    imported, verdict = proc.stdout.splitlines()
    assert imported == "imported 0" and re.fullmatch(r"ok: \d+ modules, \d+ pathways", verdict)

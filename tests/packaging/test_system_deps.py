"""`make run` on a fresh Debian: Qt's xcb platform plugin finds every library it needs
(scripts/system-deps.sh installs them), and a real window opens on an X server."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_PYSIDE6 = importlib.util.find_spec("PySide6")  # found, not imported: no Qt in this process
assert _PYSIDE6 is not None and _PYSIDE6.origin is not None
PLUGIN = Path(_PYSIDE6.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the xcb platform plugin is Linux's")

WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("Heard")
label.show()
app.processEvents()
print(app.platformName(), label.isVisible(), label.windowHandle() is not None)
"""


def test_the_xcb_plugin_finds_every_library():
    assert PLUGIN.is_file(), PLUGIN
    done = subprocess.run(["ldd", str(PLUGIN)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    missing = sorted({line.split()[0] for line in done.stdout.splitlines()
                      if "not found" in line})
    assert not missing, f"install with scripts/system-deps.sh: {missing}"


def test_system_deps_lists_what_ldd_resolves_from_debian_packages():
    """Every Debian package providing a library of the plugin is in the script's list, so
    a fresh machine gets it too (not just this one, where it happens to be installed)."""
    script = (REPO / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
    listed = set(re.findall(r"\b(lib[a-z0-9.+-]+)", script))
    done = subprocess.run(["ldd", str(PLUGIN)], capture_output=True, text=True, timeout=60)
    libraries = {line.split("=>")[1].split()[0] for line in done.stdout.splitlines()
                 if "=>" in line and "/" in line.split("=>")[1]}
    xcb = {Path(lib).name for lib in libraries
           if re.match(r"lib(xcb|X11-xcb|xkbcommon|EGL|GL|fontconfig|freetype|dbus)",
                       Path(lib).name)}
    owners = subprocess.run(["dpkg", "-S", *sorted(os.path.realpath(lib) for lib in libraries
                                                  if Path(lib).name in xcb)],
                            capture_output=True, text=True, timeout=60)
    packages = {line.split(":")[0] for line in owners.stdout.splitlines()}
    # libGL/libEGL come through libglvnd (pulled in by libgl1 and libegl1).
    packages -= {"libglvnd0", "libglx0", "libopengl0"}
    assert packages, owners.stderr
    assert packages <= listed, f"add to scripts/system-deps.sh: {sorted(packages - listed)}"


def test_a_real_window_opens_on_an_x_server(tmp_path):
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: run scripts/system-deps.sh"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DISPLAY"))}
    env.update(QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path))
    os.chmod(tmp_path, 0o700)
    done = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1024x768x24", sys.executable,
                           "-c", WINDOW], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.split() == ["xcb", "True", "True"]


def test_the_desktop_app_starts_and_stays_up_on_an_x_server(tmp_path):
    """What `make run` does, on a virtual X server: the app starts (demo data, so no
    set-up dialog waits for input) and is still running, silent, a few seconds later."""
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: run scripts/system-deps.sh"
    app = Path(sys.executable).parent / "screening-app"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DISPLAY"))}
    env.update(QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path))
    os.chmod(tmp_path, 0o700)
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen([xvfb_run, "-a", "-s", "-screen 0 1280x800x24", str(app),
                                    "--demo"], stdout=out, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
        try:
            process.wait(timeout=8)
        except subprocess.TimeoutExpired:
            pass  # still running: what we want
        finally:
            still_running = process.poll() is None
            if still_running:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    assert still_running, f"the app exited with {process.returncode}: {log.read_text()}"
    assert log.read_text().strip() == ""


def test_system_deps_names_what_is_missing_where_it_cannot_install(tmp_path):
    """Without apt (another distribution, or macOS) the script installs nothing, lists the
    packages it would need, and does not stop `make run`."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("bash", "grep", "id", "ls", "cat"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    done = subprocess.run([str(tools / "bash"), str(REPO / "scripts" / "system-deps.sh")],
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": str(tools), "PYTHON": "no-such-python"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "not a Debian-like system; install the equivalents of:" in done.stderr
    for package in ("libxcb-cursor0", "libxcb-icccm4", "xvfb", "python3-venv"):
        assert package in done.stderr

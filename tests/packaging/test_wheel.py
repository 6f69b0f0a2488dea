"""The wheel works once installed: built from this tree, installed with its declared
dependencies into a fresh virtual environment, and run from outside the source tree.

This is the check the review's probe failed (an installed `screening-app validate` found no
questionnaires). pip's cache keeps the second and later runs to seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "screening_app"
# Package data that must ship (the code finds it through importlib.resources).
DATA_FOLDERS = ("questionnaires", "resources", "store/migrations")
ANSWERS = ('{"setting": "ed", "child": {"age": 14}, "reference": "WHEEL-1", "answers": '
           '[{"module": "psychosocial", "item": "mood", "value": "no"}]}')


@dataclass
class Installed:
    wheel: Path
    bin: Path
    home: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "screening-app"), *args], cwd=self.home,
                              env=self.env, capture_output=True, text=True, timeout=timeout)


def _pip(*args: str, timeout: int = 600) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check",
                           "--quiet", *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy: an in-tree build would reuse build/lib, where files deleted
    # from src/ linger, and would write into the working tree.
    source = root / "source"
    shutil.copytree(REPO / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", *(p.name for p in REPO.glob("LICEN[CS]E*"))):
        shutil.copy2(REPO / name, source / name)
    _pip("wheel", "--no-deps", "--wheel-dir", str(root / "dist"), str(source))
    (wheel,) = (root / "dist").glob("screening_app-*.whl")
    venv.EnvBuilder(with_pip=False).create(root / "venv")
    bin_dir = root / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    # The outer pip installs into the fresh environment: no pip inside it, nothing else.
    _pip("--python", str(python), "install", str(wheel))
    home = root / "home"
    (home / "runtime").mkdir(parents=True, mode=0o700)
    env = {"PATH": os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]), "HOME": str(home),
           "XDG_RUNTIME_DIR": str(home / "runtime"), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen",
           # assess on a throwaway database of synthetic answers: a development database
           "SCREENING_APP_DEVELOPMENT": "1"}
    return Installed(wheel=wheel, bin=bin_dir, home=home, env=env)


def _package_files(folder: str) -> set[str]:
    base = PACKAGE / folder
    return {f"screening_app/{folder}/{p.relative_to(base).as_posix()}" for p in base.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def test_the_wheel_carries_every_content_font_and_migration_file(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for folder in DATA_FOLDERS:
        expected = _package_files(folder)
        assert expected, f"nothing under {folder} in the source tree"
        assert expected <= names, f"missing from the wheel: {sorted(expected - names)[:5]}"
    assert "screening_app/store/migrations/script.py.mako" in names
    assert any(n.startswith("screening_app/resources/fonts/") and n.endswith(".ttf")
               for n in names)
    assert "screening_app/py.typed" in names


def test_it_runs_from_the_installed_package_with_desktop_dependencies_only(installed):
    probe = ("import importlib.util as u, screening_app, sqlcipher3; "
             "print(screening_app.__file__); print(u.find_spec('psycopg') is None)")
    done = subprocess.run([str(installed.bin / "python"), "-c", probe], cwd=installed.home,
                          env=installed.env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    where, no_psycopg = done.stdout.split()
    assert Path(where).is_relative_to(installed.bin.parent)  # not the source tree
    assert no_psycopg == "True"  # PostgreSQL is the [server] extra


def test_installed_validate_finds_the_shipped_content(installed):
    done = installed.run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.fullmatch(r"ok: \d+ modules, [1-9]\d* pathways\n", done.stdout), done.stdout


def test_installed_assess_writes_a_readable_pdf(installed):
    (installed.home / "answers.json").write_text(ANSWERS, encoding="utf-8")
    pdf = installed.home / "record.pdf"
    done = installed.run("--db", f"sqlite:///{installed.home / 'heard.db'}", "assess",
                         "--answers", "answers.json", "--pdf", str(pdf))
    assert done.returncode == 0, done.stdout + done.stderr
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "WHEEL-1" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_installed_screenshots_render_offscreen(installed):
    out = installed.home / "shots"
    done = installed.run("screenshots", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 5, done.stdout
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in shots)
    assert {str(p) for p in shots} <= set(done.stdout.split())


def test_installed_self_test_passes(installed):
    done = installed.run("--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("self-test passed")

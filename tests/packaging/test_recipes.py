"""The parts of the packaging that cannot run on this Linux machine are at least whole: the
spec compiles, the desktop entry is valid and points at what ships, the icon renders."""

from __future__ import annotations

import ast
import configparser
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def test_the_spec_is_valid_python_with_the_macos_and_windows_branches():
    source = (PACKAGING / "heard.spec").read_text(encoding="utf-8")
    tree = ast.parse(source, "heard.spec")  # the win32/darwin branches never run here
    compile(tree, "heard.spec", "exec")
    plist = next(node for node in ast.walk(tree) if isinstance(node, ast.Dict)
                 and any(isinstance(k, ast.Constant) and k.value == "NSHighResolutionCapable"
                         for k in node.keys))
    keys = {k.value: v for k, v in zip(plist.keys, plist.values, strict=True)
            if isinstance(k, ast.Constant)}
    assert isinstance(keys["NSHighResolutionCapable"], ast.Constant)
    assert keys["NSHighResolutionCapable"].value is True
    assert isinstance(keys["NSRequiresAquaSystemAppearance"], ast.Constant)
    assert keys["NSRequiresAquaSystemAppearance"].value is False  # follow dark mode


def test_the_desktop_entry_runs_the_installed_command_with_the_shipped_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "linux" / "heard.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] in scripts
    assert desktop["TryExec"] in scripts
    assert (PACKAGING / "icons" / f"{desktop['Icon']}.svg").is_file()
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")
    assert "MedicalSoftware" in desktop["Categories"].split(";")


def test_the_icon_is_a_square_svg():
    root = ET.parse(PACKAGING / "icons" / "heard.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _x, _y, width, height = (float(n) for n in root.attrib["viewBox"].split())
    assert width == height


def test_the_windows_installer_is_per_machine_and_works_without_admin():
    script = (PACKAGING / "windows" / "heard.iss").read_text(encoding="utf-8")
    settings = dict(line.split("=", 1) for line in script.splitlines()
                    if "=" in line and not line.startswith((";", "#", "Name:", "Source:",
                                                            "Filename:")))
    assert settings["PrivilegesRequired"] == "lowest"
    assert "commandline" in settings["PrivilegesRequiredOverridesAllowed"]
    assert settings["DefaultDirName"].startswith("{autopf}")  # Program Files when admin
    assert '"--self-test"' in script

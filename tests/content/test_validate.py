"""`screening-app validate` on the shipped content and on each kind of broken file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.content import load_catalog
from screening_app.content.yaml_source import MAX_FILE_BYTES
from screening_app.paths import shipped_content_dir

from .broken_cases import CASES, GOOD


def test_shipped_content_validates(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_good_example_validates(tmp_path, capsys):
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD)
    assert main(["validate", str(path)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(("name", "text", "line", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_broken_file_names_file_and_line(tmp_path, capsys, name, text, line, words):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    if not words:
        assert code == 0, out
        return
    assert code == 1, f"{name}: expected a problem, got {out!r}"
    first = out.splitlines()[0]
    assert re.match(rf"^{re.escape(str(path))}:{line}: ", first), first
    for word in words:
        assert word in out, out


def test_oversized_file_is_refused(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text(GOOD + "#" * (MAX_FILE_BYTES + 1))
    assert main(["validate", str(path)]) == 1
    assert f"{path}:1: file is" in capsys.readouterr().out


def test_yaml_1_2_keeps_no_as_text(tmp_path):
    path = tmp_path / "codes.yaml"
    path.write_text(GOOD.replace('{code: "0"', "{code: no").replace('{code: "1"', "{code: yes")
                    .replace('equals: "1"', "equals: yes"))
    catalog, problems = load_catalog([path])
    assert problems == []
    assert catalog.module("demo").item("b").codes() == ["no", "yes"]


def test_every_problem_is_reported_not_just_the_first(tmp_path, capsys):
    (tmp_path / "one.yaml").write_text(GOOD.replace("type: yes_no", "type: slider"))
    (tmp_path / "two.yaml").write_text(GOOD.replace("id: demo", "id: other")
                                       .replace("id: demo-flag", "id: other-flag")
                                       .replace("{item: a, equals", "{item: zz, equals", 1))
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "one.yaml:11:" in out and "two.yaml:19:" in out


def test_validate_reports_missing_path_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "screening_app", "validate",
                           str(tmp_path / "absent.yaml")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "no such file" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_broken_file_via_subprocess_has_no_traceback(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(CASES[6][1])  # circular condition
    proc = subprocess.run([sys.executable, "-m", "screening_app", "validate", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{path}:")
    assert "Traceback" not in proc.stderr + proc.stdout


def test_schema_is_json_schema_covering_both_kinds(capsys):
    import json

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"Module", "Pathway", "Item", "Condition", "Flag"} <= set(schema["$defs"])
    item_types = schema["$defs"]["ItemType"]["enum"]
    assert "child_words" in item_types and "yes_no" in item_types


def test_shipped_folder_is_where_paths_say():
    assert (shipped_content_dir() / "modules").is_dir()
    assert Path(shipped_content_dir(), "pathways").is_dir()

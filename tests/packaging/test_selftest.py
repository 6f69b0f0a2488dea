"""`screening-app --self-test`: the smoke test every artefact runs, run here for real."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from screening_app.cli import main as cli_main
from screening_app.selftest import CHECKS, CheckFailed, main, read_back_pdf

NAMES = [name for name, _check, _independent in CHECKS]
DEPENDENT = [name for name, _check, independent in CHECKS if not independent]


def run_self_test(deployment_file: Path | None = None) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(out, deployment_file)
    return code, out.getvalue().splitlines()


def test_every_check_passes_and_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, lines = run_self_test()
    assert code == 0, "\n".join(lines)
    assert lines[0].startswith("screening-app ") and lines[0].endswith(" self-test")
    assert lines[-1] == "self-test passed"
    checks = lines[1:-1]
    assert [line.split(":")[0].split(None, 1)[1] for line in checks] == NAMES
    assert all(line.startswith("ok ") for line in checks)
    assert "(shipped)" in checks[0]
    assert "SQLCipher 4." in checks[1]
    assert "page(s)" in checks[3]
    assert "SELFTEST-001 is complete" in checks[4]
    assert "deployment settings: none at " in checks[5]
    assert list(tmp_path.iterdir()) == []  # the throwaway folder is gone


def test_the_command_line_flag_runs_it(capsys):
    assert cli_main(["--self-test"]) == 0
    out = capsys.readouterr()
    assert out.out.rstrip().endswith("self-test passed")
    assert out.err == ""


def test_broken_content_fails_and_the_rest_is_not_run(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "questionnaires" / "modules").mkdir(parents=True)
    (home / "questionnaires" / "modules" / "bad.yaml").write_text("id: [unclosed\n")
    monkeypatch.setenv("SCREENING_APP_HOME", str(home))
    code, lines = run_self_test()
    assert code == 1
    assert lines[1].startswith("FAIL  content: ")
    assert lines[2:2 + len(DEPENDENT) - 1] == [f"FAIL  {name}: not run (needs content)"
                                              for name in DEPENDENT[1:]]
    assert lines[-2].startswith("ok    deployment settings: ")  # runs all the same
    assert lines[-1] == "self-test FAILED"


def test_it_reports_the_machines_deployment_settings(tmp_path):
    deployment = tmp_path / "deployment.toml"
    deployment.write_text('site_name = "Ward 3"\ndefault_setting = "ed"\n', encoding="utf-8")
    deployment.chmod(0o644)
    code, lines = run_self_test(deployment)
    assert code == 0, "\n".join(lines)
    assert lines[-2].startswith(f"ok    deployment settings: {deployment}: site_name, "
                                f"default_setting")


@pytest.mark.parametrize(("text", "problem"), [
    ("idle_lock_minutes = 90\n", "idle_lock_minutes: must be a whole number"),
    ('default_setting = "maternity"\n', "default_setting: no pathway 'maternity'"),
])
def test_a_wrong_deployment_file_fails_the_self_test(tmp_path, text, problem):
    deployment = tmp_path / "deployment.toml"
    deployment.write_text(text, encoding="utf-8")
    deployment.chmod(0o644)
    code, lines = run_self_test(deployment)
    assert code == 1
    assert all(line.startswith("ok ") for line in lines[1:-2])  # the rest still passed
    assert lines[-2].startswith(f"FAIL  deployment settings: {deployment}: ")
    assert problem in lines[-2]
    assert lines[-1] == "self-test FAILED"


def test_a_cut_short_or_foreign_pdf_is_caught(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    whole = tmp_path / "whole.pdf"

    canvas = Canvas(str(whole))
    canvas.drawString(72, 720, "REF-42 OFFICIAL")
    canvas.save()
    assert "1 page(s)" in read_back_pdf(whole, ["REF-42", "OFFICIAL"])
    with pytest.raises(CheckFailed, match="does not show SECRET"):
        read_back_pdf(whole, ["REF-42", "SECRET"])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(CheckFailed, match="no end-of-file trailer"):
        read_back_pdf(cut, ["REF-42"])
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(CheckFailed, match="PDF header"):
        read_back_pdf(foreign, [])


def test_it_never_loads_qt(tmp_path):
    script = ("import sys\nfrom screening_app.selftest import main\ncode = main()\n"
              "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'\n"
              "sys.exit(code)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "none-such"}  # Qt would abort on this platform
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("self-test passed")
    assert str(Path(tmp_path)) not in done.stdout

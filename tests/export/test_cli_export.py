"""`export ID --pdf OUT --variant V` and `assess --pdf OUT`, end to end, and atomic writing."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.export import pdf as pdf_package
from screening_app.files import write_atomically

from .helpers import CONTENT, PARTNER_ARGS, pdf_text, squash

REPO = Path(__file__).resolve().parents[2]

ANSWERS = {
    "setting": "ed", "child": {"age": 14}, "reference": "CLI-7",
    "presenting_issue": "Head injury <b>not bold</b>",
    "answers": [
        {"module": "wellbeing", "item": "mood", "value": "low"},
        {"module": "wellbeing", "item": "sleep", "value": "no"},
        {"module": "wellbeing", "item": "staff_obs", "value": "Private note for the record"},
        {"module": "voice", "item": "worries", "value": "Zażółć gęślą jaźń \u2014 \U0001F622"},
    ],
}


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private install: the test content as the shipped content, the real fonts."""
    root = tmp_path / "home"
    shutil.copytree(CONTENT, root / "questionnaires")
    shutil.copytree(REPO / "src" / "screening_app" / "resources", root / "resources")
    monkeypatch.setenv("SCREENING_APP_HOME", str(root))
    return root


def run(tmp_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", f"sqlite:///{tmp_path / 'heard.db'}", "--user", "pc.jones", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def assess(tmp_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    return run(tmp_path, capsys, "assess", "--answers", str(answers), *args)


def test_assess_writes_the_full_pdf(home, tmp_path, capsys):
    out = tmp_path / "record.pdf"
    code, stdout, err = assess(tmp_path, capsys, "--pdf", str(out), "--complete")
    assert code == 0, err
    text = squash("".join(pdf_text(out.read_bytes())))
    assessment_id = stdout.splitlines()[0]
    for expected in ("Professional record", "CLI-7", "Head injury <b>not bold</b>",
                     "Private note for the record", "Zażółć gęślą jaźń", "[U+1F622]",
                     assessment_id, "OFFICIAL-SENSITIVE"):
        assert squash(expected) in text, expected


def test_export_each_variant_prints_the_recorded_document_id(home, tmp_path, capsys):
    code, stdout, err = assess(tmp_path, capsys)
    assert code == 0, err
    assessment_id = stdout.splitlines()[0]
    for variant in ("full", "partner", "family"):
        out = tmp_path / f"{variant}.pdf"
        code, stdout, err = run(tmp_path, capsys, "export", assessment_id, "--pdf", str(out),
                                "--variant", variant, "--marking", "OFFICIAL",
                                *(PARTNER_ARGS if variant == "partner" else ()))
        assert code == 0, err
        document_id = stdout.strip()
        pages = pdf_text(out.read_bytes())
        assert all(document_id in p and "OFFICIAL" in p for p in pages)
        has_note = squash("Private note for the record") in squash("".join(pages))
        assert has_note == (variant == "full")
    code, stdout, _ = run(tmp_path, capsys, "show", assessment_id, "--json")
    assert code == 0


def test_export_errors_are_one_line(home, tmp_path, capsys):
    code, _, err = run(tmp_path, capsys, "export", "no-such-id", "--pdf",
                       str(tmp_path / "x.pdf"))
    assert code == 1 and "no assessment" in err and "Traceback" not in err
    code, _, err = run(tmp_path, capsys, "export", "no-such-id", "--pdf",
                       str(tmp_path / "missing" / "x.pdf"))
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_assess_checks_the_pdf_folder_before_starting(home, tmp_path, capsys):
    code, stdout, err = assess(tmp_path, capsys, "--pdf", str(tmp_path / "nope" / "r.pdf"))
    assert code == 1 and "does not exist" in err
    assert stdout == ""  # nothing was started


def test_failed_export_leaves_no_file_and_keeps_an_old_one(home, tmp_path, capsys, monkeypatch):
    code, stdout, _ = assess(tmp_path, capsys)
    assessment_id = stdout.splitlines()[0]
    out = tmp_path / "record.pdf"
    out.write_bytes(b"previous export")

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise pdf_package.PdfLayoutError("the PDF could not be laid out: test")

    monkeypatch.setattr(pdf_package, "render_pdf", broken)
    code, _, err = run(tmp_path, capsys, "export", assessment_id, "--pdf", str(out),
                       "--overwrite")
    assert code == 1 and "could not be laid out" in err
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_interrupted_write_leaves_no_half_file(tmp_path, monkeypatch):
    target = tmp_path / "r.pdf"
    real_fsync = os.fsync

    def interrupted(fd):  # noqa: ANN001, ANN202
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"%PDF-1.4 half")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert list(tmp_path.iterdir()) == []
    write_atomically(target, b"%PDF-1.4 whole")
    assert target.read_bytes() == b"%PDF-1.4 whole"


def test_export_refuses_a_fifo_and_an_existing_file_in_one_line(home, tmp_path, capsys):
    code, stdout, _ = assess(tmp_path, capsys)
    assessment_id = stdout.splitlines()[0]
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    code, _, err = run(tmp_path, capsys, "export", assessment_id, "--pdf", str(pipe),
                       "--overwrite")
    assert code == 1 and "not an ordinary file (a pipe)" in err and "Traceback" not in err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"another child's record")
    code, _, err = run(tmp_path, capsys, "export", assessment_id, "--pdf", str(existing))
    assert code == 1 and "already exists" in err and "--overwrite" in err
    assert existing.read_bytes() == b"another child's record"

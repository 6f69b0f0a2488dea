"""Running the real command line in-process against a private SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from screening_app.cli import main


def write_answers(folder: Path, answers: list[dict], *, setting: str = "ed", age: int = 14,
                  **extra) -> Path:
    path = folder / "answers.json"
    path.write_text(json.dumps({"setting": setting, "child": {"age": age}, "answers": answers,
                                **extra}))
    return path


def asq(**values: str) -> list[dict]:
    return [{"module": "asq", "item": k, "value": v} for k, v in values.items()]


# The ED safety screens besides the ASQ (completion needs each answered, declined or
# recorded as not asked, with the reason).
ED_SAFETY_NO = [{"module": "psychosocial", "item": "self_harm", "value": "no"},
                {"module": "psychosocial", "item": "safety", "value": "no"}]


def assess(tmp_path: Path, capsys, answers: list[dict], *args: str, **extra) -> tuple[int, dict,
                                                                                     str]:
    """Run `assess --json`; returns (exit code, result or {}, stderr)."""
    path = write_answers(tmp_path, answers, **extra)
    out = tmp_path / "result.json"
    code = main(["--db", f"sqlite:///{tmp_path / 'heard.db'}", "assess", "--answers", str(path),
                 "--json", str(out), *args])
    err = capsys.readouterr().err
    return code, (json.loads(out.read_text()) if out.exists() else {}), err


def errors_of(stderr: str) -> list[str]:
    """The error lines of a run, less the warning every development-database use prints."""
    from screening_app.security.policy import DEVELOPMENT_WARNING

    return [line for line in stderr.strip().splitlines()
            if line != f"screening-app: {DEVELOPMENT_WARNING}"]

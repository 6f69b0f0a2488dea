"""``screening-app --self-test``: does this install work? Headless, no Qt, nothing of the user's.

Used to smoke-test every artefact (wheel, bundle, installer) on the machine it lands on.
Each check prints one line; the exit status is 0 only when every check passed:

* the shipped content loads and validates;
* a throwaway database is set up encrypted (SQLCipher) and signed in to;
* a demonstration assessment (synthetic answers) runs and completes in it;
* its PDF is exported and read back (header, trailer, pages, reference, marking);
* the database closes, reopens with the password and still holds the assessment;
* the machine's deployment settings (docs/deployment.md), if any, are valid.

Everything happens in a temporary folder that is removed afterwards; the user's own
database and settings are never opened.
"""

from __future__ import annotations

import random
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from . import __version__

ADMIN = "selftest"
REFERENCE = "SELFTEST-001"


class CheckFailed(Exception):
    """One check did not pass; the message says what was seen."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


@dataclass
class _State:
    """What one check hands to the next."""

    folder: Path
    password: str
    deployment_file: Path | None = None  # None: the machine's own (deployment_path())
    catalog: Any = None
    signed: Any = None
    assessment_id: str | None = None
    pdf: Path | None = None


def _check_content(state: _State) -> str:
    from .content import load_catalog
    from .paths import HOME_VARIABLE, home_override, shipped_content_dir

    catalog, problems = load_catalog([shipped_content_dir()])
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s), first: {problems[0]}")
    if not catalog.pathways:
        raise CheckFailed(f"no pathways in {shipped_content_dir()}")
    state.catalog = catalog
    override = home_override()
    where = f" from {HOME_VARIABLE}={override}" if override else " (shipped)"
    return f"{len(catalog.modules)} modules, {len(catalog.pathways)} pathways{where}"


def _database_url(state: _State) -> str:
    return f"sqlite:///{state.folder / 'selftest.db'}"


def _check_encrypted_database(state: _State) -> str:
    from .security.access import initialise, sign_in

    initialise(_database_url(state), ADMIN, state.password)
    with (state.folder / "selftest.db").open("rb") as fh:
        if fh.read(16) == b"SQLite format 3\x00":
            raise CheckFailed("the database file is readable without a key")
    state.signed = sign_in(_database_url(state), ADMIN, state.password)
    version = state.signed.database.engine.connect()
    try:
        cipher = version.exec_driver_sql("PRAGMA cipher_version").scalar()
    finally:
        version.close()
    return f"set up and signed in (SQLCipher {cipher})"


# -- the only calls into the application layer (screening_app.app) ---------------------------
def _workspace(state: _State) -> Any:
    from .app import signed_workspace

    return signed_workspace(state.catalog, state.signed)


def _run_demo_assessment(ws: Any, setting: str, age: int) -> tuple[str, int]:
    """Start, answer (synthetic answers, fixed seed), acknowledge and complete one assessment.

    Returns its id and the number of answers given."""
    from .demo import MIXED, answer_all

    opened = ws.start(setting=setting, age=age, reference=REFERENCE,
                      presenting_issue="Self-test (synthetic data)")
    given = answer_all(opened, MIXED, random.Random(2020))
    for flag_id in opened.unacknowledged_act_now():
        opened.acknowledge(flag_id, note="self-test")
    opened.complete()
    return opened.id, given
# ----------------------------------------------------------------------------------------------


def _demo_setting(state: _State) -> tuple[str, int]:
    setting = "ed" if "ed" in state.catalog.pathways else sorted(state.catalog.pathways)[0]
    ages = state.catalog.pathway(setting).ages
    low = ages.min if ages.min is not None else 0
    high = ages.max if ages.max is not None else 17
    return setting, max(low, min(high, 14))


def _check_assessment(state: _State) -> str:
    setting, age = _demo_setting(state)
    state.assessment_id, given = _run_demo_assessment(_workspace(state), setting, age)
    if given == 0:
        raise CheckFailed(f"the {setting} pathway asked no questions")
    return f"{setting} pathway, age {age}: {given} answers saved, completed"


def _check_pdf(state: _State) -> str:
    from .export.pdf import DEFAULT_MARKING

    assert state.assessment_id is not None
    state.pdf = state.folder / "selftest.pdf"
    document_id = _workspace(state).export_pdf(state.assessment_id, state.pdf, "full")
    return read_back_pdf(state.pdf, [REFERENCE, DEFAULT_MARKING, document_id])


def read_back_pdf(path: Path, expected: list[str]) -> str:
    """Check a PDF file is whole and carries each of ``expected``; describe it."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise CheckFailed(f"{path.name} does not start with a PDF header")
    if b"%%EOF" not in data[-1024:]:
        raise CheckFailed(f"{path.name} has no end-of-file trailer (cut short?)")
    try:
        reader = PdfReader(path, strict=True)
        text = "".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError) as exc:
        raise CheckFailed(f"{path.name} cannot be read back: {exc}") from None
    squashed = re.sub(r"\s+", "", text)
    missing = [word for word in expected if re.sub(r"\s+", "", word) not in squashed]
    if missing:
        raise CheckFailed(f"{path.name} does not show {', '.join(missing)}")
    return f"{len(reader.pages)} page(s), {len(data) // 1024} KiB, reference and marking read back"


def _check_reopen(state: _State) -> str:
    from .security.access import sign_in

    state.signed.close()
    state.signed = sign_in(_database_url(state), ADMIN, state.password)
    assert state.assessment_id is not None
    record = _workspace(state).store.load(state.assessment_id)
    state.signed.close()
    state.signed = None
    return f"closed, reopened with the password, assessment {record.reference} is {record.status}"


def _check_deployment(state: _State) -> str:
    """The machine's deployment.toml, as the app would read it (nothing is connected to)."""
    from .deployment import (
        DeploymentError,
        deployment_path,
        load_deployment,
        unknown_default_setting,
    )

    path = state.deployment_file or deployment_path()
    try:
        deployment = load_deployment(path)
    except DeploymentError as exc:
        raise CheckFailed(str(exc)) from None
    if deployment.source is None:
        return f"none at {path} (the app's defaults apply)"
    if state.catalog is not None:
        problem = unknown_default_setting(deployment, set(state.catalog.pathways))
        if problem:
            raise CheckFailed(problem)
    chosen = [name for name, value in vars(deployment).items()
              if value is not None and name != "source"]
    return f"{path}: {', '.join(chosen) or 'no settings'}"


# name, check, and whether it runs even after an earlier check failed.
CHECKS: tuple[tuple[str, Callable[[_State], str], bool], ...] = (
    ("content", _check_content, False),
    ("encrypted database", _check_encrypted_database, False),
    ("assessment", _check_assessment, False),
    ("pdf export", _check_pdf, False),
    ("reopen", _check_reopen, False),
    ("deployment settings", _check_deployment, True),
)


@contextmanager
def _throwaway(deployment_file: Path | None) -> Iterator[_State]:
    with tempfile.TemporaryDirectory(prefix="heard-selftest-") as folder:
        state = _State(folder=Path(folder), password=secrets.token_urlsafe(24),
                       deployment_file=deployment_file)
        try:
            yield state
        finally:
            if state.signed is not None:
                state.signed.close()


def run_checks(deployment_file: Path | None = None) -> Iterator[Outcome]:
    """Run every check in order; after the first failure the dependent ones are reported
    not run. ``deployment_file``: for tests (default: the machine's own)."""
    with _throwaway(deployment_file) as state:
        failed: str | None = None
        for name, check, independent in CHECKS:
            if failed is not None and not independent:
                yield Outcome(name, False, f"not run (needs {failed})")
                continue
            started = time.perf_counter()
            try:
                detail = check(state)
            except CheckFailed as exc:
                failed = failed or name
                yield Outcome(name, False, str(exc))
            except Exception as exc:  # a self-test reports every failure as one line
                failed = failed or name
                yield Outcome(name, False, f"{type(exc).__name__}: {_first_line(exc)}")
            else:
                yield Outcome(name, True, f"{detail} ({time.perf_counter() - started:.1f} s)")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "(no message)"


def main(out: TextIO | None = None, deployment_file: Path | None = None) -> int:
    out = out or sys.stdout
    print(f"screening-app {__version__} self-test", file=out, flush=True)
    outcomes = []
    for outcome in run_checks(deployment_file):
        outcomes.append(outcome)
        print(outcome.line(), file=out, flush=True)
    passed = all(o.ok for o in outcomes)
    print("self-test passed" if passed else "self-test FAILED", file=out, flush=True)
    return 0 if passed else 1

"""The hazard log and the content agree: every flag has an entry that names it, and every
entry names tests that exist."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from .flag_cases import CASES
from .support import DOCS, REPO, catalog

LOG = DOCS / "clinical-safety" / "hazard-log.md"
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)(?:\[([^\]]+)\])?`")


def entries() -> dict[str, str]:
    text = LOG.read_text(encoding="utf-8")
    parts = re.split(r"^### (H-\d{3})\s*$", text, flags=re.MULTILINE)
    found: dict[str, str] = {}
    for hid, body in zip(parts[1::2], parts[2::2], strict=True):
        assert hid not in found, f"{hid} appears twice in the hazard log"
        found[hid] = body
    return found


@cache
def defined_tests(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))


def content_flags():
    return {f.id: f for loaded in [*catalog().modules.values(), *catalog().pathways.values()]
            for f in loaded.model.flags}


def test_every_hazard_entry_names_tests_that_exist():
    case_ids = {c.flag for c in CASES}
    log = entries()
    assert len(log) >= len(content_flags())
    for hid, body in log.items():
        refs = TEST_REF.findall(body)
        assert refs, f"{hid} names no test"
        for file, name, param in refs:
            path = REPO / file
            assert path.exists(), f"{hid}: {file} does not exist"
            assert name in defined_tests(path), f"{hid}: {file}::{name} does not exist"
            if param:
                assert param in case_ids, f"{hid}: no flag case [{param}] for {name}"
        for part in ("**Cause:**", "**Effect:**", "**Controls:**", "**Rating:**"):
            assert part in body, f"{hid} has no {part}"


def test_every_flag_has_a_hazard_entry_that_names_it():
    log = entries()
    for flag_id, flag in content_flags().items():
        assert flag.hazard in log, f"{flag_id}: {flag.hazard} is not in the hazard log"
        body = log[flag.hazard]
        assert f"**Flag:** `{flag_id}`" in body, f"{flag.hazard} does not name {flag_id}"
        assert f"[{flag_id}]`" in body, f"{flag.hazard} does not name the flag's own test"


def test_hazard_ids_are_unique_across_the_content():
    ids = [f.hazard for f in content_flags().values()]
    assert len(ids) == len(set(ids))
    named = {m.group(1) for body in entries().values()
             for m in re.finditer(r"\*\*Flag:\*\* `([\w-]+)`", body)}
    assert named == set(content_flags())

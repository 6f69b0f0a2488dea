"""Small builders shared by the store tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from screening_app.store import Store

PINS = {"asq": {"version": "1.0.0", "sha256": "0" * 64}}


def new_draft(store: Store, *, by: str = "sam", reference: str | None = "REF-1", **kw):
    return store.create_assessment(setting="ed", age=15, by=by, content_pins=PINS,
                                   reference=reference, **kw)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

"""The sealing registry (store/sealing.py) covers every free-text column of the clinical
tables: a Text or JSON column added to one of them fails here until it is sealed, or
listed below as holding no clinical text (with the reason)."""

from __future__ import annotations

from sqlalchemy import JSON, Text

from screening_app.store.models import Base
from screening_app.store.sealing import SEALED

# Tables holding a child's record: the assessment and every table that points at it.
CLINICAL = {"assessment", "answer_event", "flag_acknowledgement", "decision", "export_record",
            "care_action", "escalation", "reference_token"}
NOT_CLINICAL = {
    ("assessment", "extra_modules"): "module ids from the content",
    ("assessment", "content_pins"): "content versions",
}


def test_every_clinical_table_is_known():
    pointing = {t.name for t in Base.metadata.tables.values()
                if any(fk.column.table.name == "assessment" for fk in t.foreign_keys)}
    assert pointing | {"assessment"} <= CLINICAL | {"erasure_permit"}


def test_every_free_text_column_of_a_clinical_table_is_sealed():
    unsealed = []
    for name in sorted(CLINICAL):
        for column in Base.metadata.tables[name].columns:
            free_text = isinstance(column.type, (Text, JSON))
            if free_text and column.name not in SEALED.get(name, ()) \
                    and (name, column.name) not in NOT_CLINICAL:
                unsealed.append(f"{name}.{column.name}")
    assert unsealed == [], "seal these in store/sealing.py SEALED"


def test_every_sealed_column_exists():
    for name, columns in SEALED.items():
        assert set(columns) <= set(Base.metadata.tables[name].columns.keys()), name

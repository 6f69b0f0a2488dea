"""The fast schema check (fastjsonschema) never accepts a record the ORUK schema, as
``jsonschema`` reads it, refuses: it is only a shortcut to "no problems"."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.services.oruk import _fast_check, _validator, schema_problems

from .helpers import SAMPLE

RECORDS = json.loads(SAMPLE.read_text("utf-8"))["contents"]

# values that break types, formats (uuid, email, uri, date-time) and enums
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False),
    st.sampled_from(["", "not-a-uuid", "a@", "@b", "x@y.z", "not a uri", "2026-13-40T99:00",
                     "2026-12-01T10:00:00Z", "00000000-0000-0000-0000-00000000000g",
                     "active", "defunct", "temporarily closed"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.none(),
                                                           max_size=2))


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


def _replace(record, path, value):
    out = copy.deepcopy(record)
    if not path:
        return value
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(RECORDS) - 1), pick=st.integers(0, 10_000), value=ODD_VALUES)
def test_the_fast_check_accepts_only_what_jsonschema_accepts(index, pick, value):
    record = RECORDS[index]
    paths = list(_paths(record))
    mutated = _replace(record, paths[pick % len(paths)], value)
    fast_accepts = True
    try:
        _fast_check()(mutated)
    except Exception:  # noqa: BLE001 - any refusal
        fast_accepts = False
    if fast_accepts:
        assert not list(_validator().iter_errors(mutated)), mutated


def test_a_record_the_fast_check_refuses_still_gets_every_problem_named():
    record = copy.deepcopy(RECORDS[0])
    record["id"] = "not-a-uuid"
    record["status"] = "no such status"
    fields = {p.field for p in schema_problems("record 1", record)}
    assert {"id", "status"} <= fields

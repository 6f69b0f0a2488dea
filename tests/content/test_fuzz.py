"""Property tests: no module file, however odd, crashes the loader or the engine."""

from __future__ import annotations

import json
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.app import load_content
from screening_app.content import Catalog, load_catalog
from screening_app.engine import AnswerError, AssessmentSession

from .broken_cases import GOOD

KEYS = ["id", "version", "title", "source", "licence", "sections", "items", "type", "prompt",
        "options", "code", "label", "score", "scores", "sum", "bands", "min", "max", "flags",
        "level", "action", "rationale", "when", "enable_when", "all", "any", "not", "item",
        "equals", "gte", "declined", "answered", "missing", "max_missing", "prorate", "steps",
        "module", "setting", "ages", "communication", "need", "adjustments"]
TYPES = ["yes_no", "single_choice", "multi_choice", "scale", "number", "date", "text",
         "child_words", "info", "slider"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 30), st.floats(-5, 30),
                    st.sampled_from(TYPES + ["yes", "no", "a", "b", "q1", "act-now", "1.0.0",
                                             "ed"]),
                    st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)),
    max_leaves=40,
)

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(KEYS), values, max_size=10))
def test_random_documents_never_crash_the_loader(tmp_path, doc):
    path = tmp_path / "random.yaml"
    path.write_text(json.dumps(doc))  # JSON is YAML 1.2
    load_catalog([path])  # must return problems, never raise


@FUZZ
@given(data=st.data())
def test_mutated_module_text_never_crashes_loader_or_engine(tmp_path, data):
    text = GOOD
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.sampled_from(["", ":", "-", " ", "\n", "{", "]", "&a", "*a", "!!",
                                            "yes", "0", "  ", "#", "'", '"', "\t", "é"]))
        text = text[:pos] + insert + text[pos + cut:]
    module_path = tmp_path / "module.yaml"
    module_path.write_text(text)
    pathway = tmp_path / "pathway.yaml"
    pathway.write_text("id: ed\nsetting: ed\nversion: 1.0.0\ntitle: T\nsource: S\n"
                       "steps:\n  - module: demo\n")
    catalog, problems = load_catalog([module_path, pathway])
    if problems:
        return
    session = AssessmentSession(catalog, "ed", data.draw(st.integers(0, 25)))
    module = catalog.module("demo")
    for _ in range(data.draw(st.integers(0, 6))):
        item = data.draw(st.sampled_from(module.items()))
        value = data.draw(st.one_of(scalars, st.lists(scalars, max_size=3),
                                    st.sampled_from(item.codes() or ["x"])))
        try:
            session.answer("demo", item.id, value)
        except AnswerError:
            pass
    json.dumps(session.result())


@FUZZ
@given(answers=st.lists(st.tuples(st.sampled_from(["q1", "q2", "q3", "q4", "q5"]),
                                  st.sampled_from(["yes", "no", "declined", "maybe", 3])),
                        max_size=12))
def test_engine_never_crashes_on_random_asq_answers(answers):
    session = AssessmentSession(_shipped(), "ed", 14)
    for item, value in answers:
        try:
            session.answer("asq", item, value)
        except AnswerError as exc:
            assert str(exc).startswith(f"asq.{item}:")
    assert "asq" in [m["module"] for m in session.result()["modules"]]


@cache
def _shipped() -> Catalog:
    return load_content()

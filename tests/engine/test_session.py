"""The engine: visibility, scoring rules, flags, purity, and what each answer changes."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from screening_app.content import load_valid_catalog
from screening_app.engine import AnswerError, AssessmentSession, SessionError

SCORED = ('[{code: "0", label: "0", score: 0}, {code: "1", label: "1", score: 1}, '
          '{code: "2", label: "2", score: 2}, {code: "3", label: "3", score: 3}]')

MODULE = """\
id: demo
version: 2.1.0
title: Every item type
source: Heard test content
licence: Apache-2.0
sections:
  - id: all
    title: All types
    items:
      - {id: gate, type: yes_no, prompt: "Open the rest?", yes_score: 1, no_score: 0}
      - id: choice
        type: single_choice
        prompt: Pick
        options: [{code: a, label: A, score: 0}, {code: b, label: B, score: 3}]
        enable_when: {item: gate, equals: "yes"}
      - id: many
        type: multi_choice
        prompt: Pick several
        options: [{code: x, label: X, score: 1}, {code: y, label: Y, score: 2}]
        enable_when: {item: choice, equals: b}
      - {id: scale, type: scale, prompt: Rate, min: 0, max: 10,
         enable_when: {item: many, includes: y}}
      - {id: number, type: number, prompt: How many, min: 0, max: 100,
         enable_when: {item: scale, gte: 5}}
      - {id: when, type: date, prompt: When, enable_when: {item: number, gt: 2}}
      - {id: note, type: text, prompt: Note, required: false, staff_note: true,
         enable_when: {item: when, answered: true}}
      - {id: words, type: child_words, prompt: In your words, enable_when: {item: note,
         answered: true}}
      - {id: info, type: info, prompt: Read this, enable_when: {item: words, declined: true}}
  - id: phq
    title: Summed
    items:
      - {id: s1, type: single_choice, prompt: S1, options: *scored}
      - {id: s2, type: single_choice, prompt: S2, options: *scored}
      - {id: s3, type: single_choice, prompt: S3, options: *scored}
      - {id: s4, type: single_choice, prompt: S4, options: *scored}
scores:
  - id: total
    label: Total
    sum: [s1, s2, s3, s4]
    missing: {max_missing: 1, prorate: true}
    bands:
      - {code: lower, min: 0, max: 5}
      - {code: upper, min: 6, max: 12}
flags:
  - {id: upper-flag, level: refer, title: Upper, action: Refer, rationale: R, source: S,
     when: {score: total, band: upper}}
  - {id: words-flag, level: act-now, title: W, action: Now, rationale: R, source: S,
     when: {item: words, answered: true}}
recommendations:
  - {id: rec, text: Default text, setting_text: {gp: GP text}, when: {item: gate, equals: "yes"}}
communication:
  - {id: slow, need: Needs time, adjustments: [Give extra time, Explain back],
     when: {item: choice, equals: b}}
""".replace("*scored", SCORED)


def _catalog(tmp_path: Path):
    (tmp_path / "demo.yaml").write_text(MODULE)
    for setting in ("ed", "gp"):
        (tmp_path / f"{setting}.yaml").write_text(
            f"id: {setting}\nsetting: {setting}\nversion: 1.0.0\ntitle: T\nsource: S\n"
            "steps:\n  - module: demo\n")
    return load_valid_catalog([tmp_path])


@pytest.fixture
def catalog(tmp_path):
    return _catalog(tmp_path)


def visible(session) -> list[str]:
    return [i.id for _, i in session.visible_items()]


def test_enable_when_works_on_every_item_type(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    assert visible(s)[:1] == ["gate"] and "choice" not in visible(s)
    chain = [("gate", "yes"), ("choice", "b"), ("many", ["y"]), ("scale", 7), ("number", 3),
             ("when", "2026-01-31"), ("note", "staff note"), ("words", "declined")]
    for item, value in chain:
        s.answer("demo", item, value)
    assert "info" in visible(s)


def test_changes_report_shown_hidden_and_flags(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    changes = s.answer("demo", "gate", "yes")
    assert changes.shown == [("demo", "choice")]
    s.answer("demo", "choice", "b")
    s.answer("demo", "many", ["y", "x"])
    changes = s.answer("demo", "gate", "no")
    assert set(changes.hidden) == {("demo", "choice"), ("demo", "many"), ("demo", "scale")}


def test_hidden_answers_do_not_count(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    s.answer("demo", "gate", "yes")
    s.answer("demo", "choice", "b")
    assert s.evaluation.communication[0].triggered_by == ["demo.choice"]
    s.answer("demo", "gate", "no")
    assert s.evaluation.communication == []
    assert ("demo", "choice") not in s.counted_answers()
    assert s.answers[("demo", "choice")] == "b"  # kept, and counts again if shown again
    s.answer("demo", "gate", "yes")
    assert s.evaluation.communication[0].need == "Needs time"


def test_sum_bands_and_proration(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    for item, value in [("s1", "2"), ("s2", "2"), ("s3", "1")]:
        s.answer("demo", item, value)
    total = s.evaluation.module_result("demo").scores[0]
    assert (total.value, total.prorated, total.band) == (7, True, "upper")  # 5 x 4/3 = 6.67
    assert [f.id for f in s.evaluation.flags] == ["upper-flag"]
    s.answer("demo", "s3", "declined")  # declined counts as missing: two missing > 1 allowed
    total = s.evaluation.module_result("demo").scores[0]
    assert (total.value, total.band, total.missing) == (None, None, 2)
    assert s.evaluation.flags == []


def test_numbers_given_as_json_numbers_match_codes(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    s.answer("demo", "s1", 3)
    assert s.answers[("demo", "s1")] == "3"


@pytest.mark.parametrize(("item", "value", "message"), [
    ("gate", "perhaps", "unknown answer code 'perhaps'"),
    ("s1", 4, "unknown answer code 4"),
    ("nosuch", "yes", "unknown item 'nosuch'"),
    ("choice", "a", "item is not shown"),
])
def test_bad_answers_name_module_and_item(catalog, item, value, message):
    s = AssessmentSession(catalog, "ed", 12)
    with pytest.raises(AnswerError, match=message) as err:
        s.answer("demo", item, value)
    assert str(err.value).startswith(f"demo.{item}:")


@pytest.mark.parametrize(("chain", "value", "message"), [
    ([("gate", "yes"), ("choice", "b"), ("many", ["y"])], 11, "outside"),
    ([("gate", "yes"), ("choice", "b"), ("many", ["y"])], 2.5, "whole number"),
    ([("gate", "yes"), ("choice", "b"), ("many", ["y"])], "NaN", "not a finite number"),
])
def test_scale_values_are_checked(catalog, chain, value, message):
    s = AssessmentSession(catalog, "ed", 12)
    for item, v in chain:
        s.answer("demo", item, v)
    with pytest.raises(AnswerError, match=message):
        s.answer("demo", "scale", value)


def test_text_limits_and_nul(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    for item, v in [("gate", "yes"), ("choice", "b"), ("many", ["y"]), ("scale", 7),
                    ("number", 3), ("when", "2026-01-31")]:
        s.answer("demo", item, v)
    with pytest.raises(AnswerError, match="limit is 20,000"):
        s.answer("demo", "note", "x" * 20001)
    with pytest.raises(AnswerError, match="NUL"):
        s.answer("demo", "note", "a\x00b")
    with pytest.raises(AnswerError, match="not a date"):
        s.answer("demo", "when", "31/01/2026")


def test_declined_is_first_class(catalog):
    s = AssessmentSession(catalog, "ed", 12)
    s.answer("demo", "gate", "declined")
    assert s.answers[("demo", "gate")] == "declined"
    assert "choice" not in visible(s)
    assert s.evaluation.module_result("demo").answered == 1


def test_setting_specific_recommendation_text(catalog):
    s = AssessmentSession(catalog, "gp", 12)
    s.answer("demo", "gate", "yes")
    assert [r.text for r in s.evaluation.recommendations] == ["GP text"]


def test_results_are_a_pure_function_of_answers(catalog):
    rng = random.Random(7)
    values = {"gate": ["yes", "no", "declined"], "choice": ["a", "b"], "many": [["x"], ["y"]],
              "s1": ["0", "3"], "s2": ["1", "2"], "s3": ["declined", "2"], "s4": ["0", "1"]}
    for _ in range(30):
        s = AssessmentSession(catalog, "ed", 12)
        for _ in range(12):
            item = rng.choice(list(values))
            if s.is_visible("demo", item):
                s.answer("demo", item, rng.choice(values[item]))
        replayed = AssessmentSession(catalog, "ed", 12, answers=[
            (m, i, v) for (m, i), v in s.answers.items()])
        assert replayed.result() == s.result()


def test_content_pins_record_versions_and_file_hashes(catalog, tmp_path):
    s = AssessmentSession(catalog, "ed", 12)
    pins = s.content_pins()
    assert pins["demo"]["version"] == "2.1.0"
    assert pins["demo"]["sha256"] == hashlib.sha256((tmp_path / "demo.yaml").read_bytes()
                                                    ).hexdigest()
    assert pins["pathway:ed"]["version"] == "1.0.0"


@pytest.mark.parametrize(("setting", "age", "message"), [
    ("ward", 10, "unknown setting"), ("custody", 10, "no pathway"), ("ed", 40, "age must be"),
])
def test_sessions_refuse_bad_starts(catalog, setting, age, message):
    with pytest.raises(SessionError, match=message):
        AssessmentSession(catalog, setting, age)


def test_pathway_triggers_and_age_gates(tmp_path):
    (tmp_path / "a.yaml").write_text(MODULE.replace("id: demo", "id: first")
                                     .replace("-flag", "-first-flag"))
    (tmp_path / "b.yaml").write_text(
        "id: second\nversion: 1.0.0\ntitle: B\nsource: S\nlicence: L\nages: {min: 12}\n"
        "sections:\n  - id: s\n    title: S\n    items:\n      - {id: q, type: yes_no, "
        "prompt: Q}\n")
    (tmp_path / "ed.yaml").write_text(
        "id: ed\nsetting: ed\nversion: 1.0.0\ntitle: T\nsource: S\nsteps:\n  - module: first\n"
        "  - module: second\n    when: {item: first.gate, equals: \"yes\"}\n"
        "    instead: Use judgement.\n")
    catalog = load_valid_catalog([tmp_path])
    s = AssessmentSession(catalog, "ed", 13)
    assert s.evaluation.active_modules == ["first"]
    changes = s.answer("first", "gate", "yes")
    assert changes.modules_started == ["second"] and ("second", "q") in changes.shown
    young = AssessmentSession(catalog, "ed", 10)
    young.answer("first", "gate", "yes")
    assert young.evaluation.active_modules == ["first"]
    assert young.result()["not_offered"][0]["instead"] == "Use judgement."

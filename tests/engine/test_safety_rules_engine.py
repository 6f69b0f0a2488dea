"""Engine features the clinical safety rules rest on, on small content of their own: the
certain floor of an incomplete score, age conditions, steps core from an age, summed items
hidden by a gate, safety screens, blank gates, and the communication profile's order."""

from __future__ import annotations

import pytest

from screening_app.content import load_catalog
from screening_app.engine import AssessmentSession

SCORED = ('[{code: "0", label: "0", score: 0}, {code: "1", label: "1", score: 1}, '
          '{code: "2", label: "2", score: 2}, {code: "3", label: "3", score: 3}]')

MODULE = f"""\
id: demo
version: 1.0.0
title: Demo
source: Heard test content
licence: Apache-2.0
sections:
  - id: s
    title: Summed
    items:
      - {{id: a, type: single_choice, prompt: A, options: {SCORED}}}
      - {{id: b, type: single_choice, prompt: B, options: {SCORED}}}
      - id: c
        type: single_choice
        prompt: C
        options: {SCORED}
        enable_when:
          any: [{{score: gate, gte: 3}}, {{item: a, declined: true}}]
      - {{id: d, type: single_choice, prompt: D, options: {SCORED}, safety_screen: once_started}}
      - {{id: young, type: yes_no, prompt: Young, enable_when: {{age: {{max: 7}}}}}}
      - {{id: must, type: yes_no, prompt: Must, safety_screen: when_shown}}
scores:
  - id: total
    label: Total
    sum: [a, b, c, d]
    bands:
      - {{code: low, min: 0, max: 5}}
      - {{code: high, min: 6, max: 12}}
  - id: gate
    label: Gate
    primary: false
    sum: [a, b]
    bands:
      - {{code: below, min: 0, max: 2}}
      - {{code: above, min: 3, max: 6}}
flags:
  - {{id: at-least-6, level: refer, title: T, action: A, rationale: R, source: S,
     when: {{score: total, at_least: 6}}}}
communication:
  - id: first
    need: First need
    adjustments: ["Ask one question at a time.", "Use short, plain sentences."]
    when: {{item: a, gte: 0}}
  - id: second
    need: Second need
    priority: {{gp: 0}}
    adjustments: ["Keep questions short and ask one question at a time.", "Read it aloud."]
    when: {{item: b, gte: 0}}
"""

GATED = """\
id: gated
version: 1.0.0
title: Gated
source: Heard test content
licence: Apache-2.0
sections:
  - id: s
    title: S
    items:
      - {id: q, type: yes_no, prompt: Q, safety_screen: when_shown}
"""

PATHWAY = """\
id: gp
setting: gp
version: 1.0.0
title: GP
source: Heard test content
ages: {min: 5, max: 17}
steps:
  - module: demo
  - module: gated
    core: false
    core_from_age: 12
    when: {item: demo.a, gte: 1}
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("content")
    for name, text in [("demo", MODULE), ("gated", GATED), ("gp", PATHWAY)]:
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    cat, problems = load_catalog([folder])
    assert not problems, [str(p) for p in problems]
    return cat


def run(catalog, age=14, **answers):
    s = AssessmentSession(catalog, "gp", age)
    for item, value in answers.items():
        s.answer("demo", item, value)
    return s


def test_at_least_is_the_sum_of_answers_so_far_and_can_raise_a_flag(catalog):
    s = run(catalog, a="3", b="3")  # c is shown (gate 6), d blank: no total
    total = s.evaluation.module_result("demo").primary
    assert (total.value, total.at_least, total.missing) == (None, 6, 2)
    assert "at-least-6" in {f.id for f in s.evaluation.flags}
    assert "at-least-6" not in {f.id for f in run(catalog, a="3", b="2").evaluation.flags}


def test_a_summed_item_hidden_by_a_gate_means_no_total_and_is_not_missing(catalog):
    s = run(catalog, a="1", b="1", d="0", must="no")
    total = s.evaluation.module_result("demo").primary
    assert not s.is_visible("demo", "c")
    assert (total.value, total.hidden, total.missing, total.complete) == (None, 1, 0, False)
    module = s.evaluation.module_result("demo")
    assert module.complete and module.not_scored is None


def test_every_item_declined_is_not_scored(catalog):
    s = run(catalog, a="declined", b="declined", c="declined", d="declined", must="no")
    module = s.evaluation.module_result("demo")
    assert not module.complete and module.not_scored == "not scored: all items declined"


def test_age_condition(catalog):
    assert run(catalog, age=7).is_visible("demo", "young")
    assert not run(catalog, age=8).is_visible("demo", "young")


def test_safety_screens_when_shown_and_once_started(catalog):
    def unresolved(s):
        return [u.item for u in s.evaluation.unresolved_safety_screens if u.module == "demo"]

    assert unresolved(run(catalog)) == ["must"]
    assert unresolved(run(catalog, b="0")) == ["d", "must"]
    done = run(catalog, age=10, b="0", d="declined", must="no")
    assert done.evaluation.unresolved_safety_screens == []
    assert done.result()["safety_screens_unresolved"] == []


def test_core_from_age_and_blank_gates(catalog):
    young = run(catalog, age=10)
    assert "gated" not in young.evaluation.active_modules
    assert [(g.module, g.items) for g in young.evaluation.blank_gates] == [("gated", ["demo.a"])]
    assert run(catalog, age=10, a="0").evaluation.blank_gates == []
    assert "gated" in run(catalog, age=10, a="1").evaluation.active_modules
    older = run(catalog, age=12)
    assert "gated" in older.evaluation.active_modules
    assert next(s for s in older.steps if s.module == "gated").core
    assert ("gated", "q") in {(u.module, u.item)
                              for u in older.evaluation.unresolved_safety_screens}


def test_profile_follows_the_settings_priority_and_drops_near_duplicates(catalog):
    s = run(catalog, a="0", b="0")
    profile = s.result()["communication"]
    assert profile["needs"] == ["Second need", "First need"]
    assert profile["adjustments"] == ["Keep questions short and ask one question at a time.",
                                      "Read it aloud.", "Use short, plain sentences."]
    assert profile["key_adjustments"] == profile["adjustments"]


@pytest.mark.parametrize(("snippet", "message"), [
    ("      - {id: i, type: info, prompt: I, safety_screen: when_shown}\n",
     "cannot be a safety screen"),
])
def test_the_validator_refuses_a_safety_screen_that_takes_no_answer(tmp_path, snippet, message):
    text = GATED.replace("      - {id: q, type: yes_no, prompt: Q, safety_screen: when_shown}\n",
                         snippet)
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    _, problems = load_catalog([tmp_path])
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_core_from_age_needs_a_conditional_step(tmp_path):
    (tmp_path / "demo.yaml").write_text(GATED.replace("id: gated", "id: demo"), encoding="utf-8")
    conditional = ("  - module: gated\n    core: false\n    core_from_age: 12\n"
                   "    when: {item: demo.a, gte: 1}\n")
    always = "  - module: gated\n    core_from_age: 12\n"
    (tmp_path / "gp.yaml").write_text(
        PATHWAY.replace(conditional, always).replace("  - module: demo\n", ""), encoding="utf-8")
    (tmp_path / "gated.yaml").write_text(GATED, encoding="utf-8")
    _, problems = load_catalog([tmp_path])
    assert any("core_from_age" in str(p) for p in problems), [str(p) for p in problems]

"""H-149: flags marked raised in error are "set aside" for the engine. A set-aside flag whose
condition rests on a score band is still reported (it stays on the record), and every other
flag is also evaluated as if that band had not matched, so the next matching band's flags
come back. The score itself stays honest, and no flag raised on the honest score is lost.
Generic: a made-up module with a three-band ladder (the ASQ is tested in tests/app)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.content import load_valid_catalog
from screening_app.engine import AssessmentSession

LADDER = """\
id: ladder
version: 1.0.0
title: A three-band ladder
source: Heard test content
licence: Apache-2.0
sections:
  - id: s
    title: S
    items:
      - {id: worse, type: yes_no, prompt: "Worse?"}
      - {id: bad, type: yes_no, prompt: "Bad?"}
      - {id: sure, type: yes_no, prompt: "Sure?"}
scores:
  - id: grade
    label: Grade
    bands:
      - {code: top, when: {all: [{item: worse, equals: "yes"}, {item: bad, equals: "yes"}]}}
      - {code: middle, when: {item: bad, equals: "yes"}}
      - {code: bottom, when: {item: bad, equals: "no"}}
flags:
  - {id: top-flag, level: act-now, title: Top, action: Now, rationale: R, source: S,
     when: {score: grade, band: top}}
  - {id: middle-flag, level: act-now, title: Middle, action: Now, rationale: R, source: S,
     when: {all: [{score: grade, band: middle}, {item: sure, equals: "yes"}]}}
  - {id: middle-unsure, level: act-now, title: Unsure, action: Now, rationale: R, source: S,
     when: {all: [{score: grade, band: middle}, {not: {item: sure, equals: "yes"}}]}}
  - {id: either-flag, level: refer, title: Either, action: Refer, rationale: R, source: S,
     when: {any: [{score: grade, band: top}, {score: grade, band: middle}]}}
  - {id: item-flag, level: consider, title: Item, action: Think, rationale: R, source: S,
     when: {item: worse, equals: "yes"}}
"""


@pytest.fixture
def catalog(tmp_path: Path):
    (tmp_path / "ladder.yaml").write_text(LADDER)
    (tmp_path / "ed.yaml").write_text("id: ed\nsetting: ed\nversion: 1.0.0\ntitle: T\n"
                                      "source: S\nsteps:\n  - module: ladder\n")
    return load_valid_catalog([tmp_path])


def top(catalog, set_aside=()) -> AssessmentSession:  # noqa: ANN001
    return AssessmentSession(catalog, "ed", 12, set_aside=set_aside,
                             answers=[("ladder", "worse", "yes"), ("ladder", "bad", "yes"),
                                      ("ladder", "sure", "yes")])


def flag_ids(session: AssessmentSession) -> set[str]:
    return {f.id for f in session.evaluation.flags}


def grade(session: AssessmentSession) -> str | None:
    result = session.evaluation.module_result("ladder")
    assert result is not None
    return result.scores[0].band


def test_nothing_set_aside_gives_the_first_matching_band_only(catalog):
    assert flag_ids(top(catalog)) == {"top-flag", "either-flag", "item-flag"}


def test_setting_aside_the_top_flag_brings_back_the_next_bands_flag(catalog):
    s = top(catalog, {"top-flag"})
    assert flag_ids(s) == {"top-flag", "middle-flag", "either-flag", "item-flag"}
    assert grade(s) == "top", "the score shown stays what the answers scored"


def test_setting_aside_the_returned_flag_too_goes_one_band_further(catalog):
    s = top(catalog, {"top-flag", "middle-flag"})
    # both marked flags stay reported (so they stay on the record as raised in error); the
    # next band ('bottom') needs bad='no', so no new flag; nothing raised honestly is lost
    assert flag_ids(s) == {"top-flag", "middle-flag", "either-flag", "item-flag"}
    assert grade(s) == "top"


def test_an_item_flag_set_aside_changes_nothing_else(catalog):
    assert flag_ids(top(catalog, {"item-flag"})) == flag_ids(top(catalog))


def test_the_set_aside_is_changed_on_a_live_session_and_reports_what_changed(catalog):
    s = top(catalog)
    changes = s.set_aside_flags({"top-flag"})
    assert [f.id for f in changes.flags_raised] == ["middle-flag"]
    assert changes.flags_cleared == [] and changes.scores == []
    assert s.set_aside == frozenset({"top-flag"})
    assert s.set_aside_flags({"top-flag"}) == type(changes)(), "the same set: no change"
    changes = s.set_aside_flags(())
    assert [f.id for f in changes.flags_cleared] == ["middle-flag"]


def test_an_answer_given_with_the_marking_lapsed_drops_the_returned_flag(catalog):
    s = top(catalog, {"top-flag"})
    changes = s.answer("ladder", "sure", "no", set_aside=())
    assert s.set_aside == frozenset()
    assert flag_ids(s) == {"top-flag", "either-flag", "item-flag"}
    assert [f.id for f in changes.flags_cleared] == ["middle-flag"]
    preview = top(catalog, {"top-flag"}).preview("ladder", "sure", "no")
    assert [f.id for f in preview.flags_raised] == ["middle-unsure"], \
        "a preview keeps the set aside unless told otherwise"


def test_results_with_a_set_aside_are_a_pure_function_of_answers_and_set(catalog):
    assert top(catalog, {"top-flag"}).result() == top(catalog, ["top-flag"]).result()


def test_a_preview_with_a_lapsed_marking_is_judged_as_if_it_was_never_made(catalog):
    """So a lapsing answer is checked as before (H-149): the returned flag that goes with
    the lapsed marking is not reported as taken away by the answer."""
    s = top(catalog, {"top-flag"})
    preview = s.preview("ladder", "sure", "no", set_aside=())
    assert preview.flags_cleared == [] and preview.flags_raised == []
    assert s.set_aside == frozenset({"top-flag"}), "a preview applies nothing"
    assert [f.id for f in s.answer("ladder", "sure", "no", set_aside=()).flags_cleared] == \
        ["middle-flag"], "the change applied is reported against what was shown"

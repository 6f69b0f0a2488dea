"""The published ASQ outcomes (NIMH ASQ tool, "Next steps"), through the engine's session.

"If patient answers 'Yes' to any of questions 1 through 4, or refuses to answer, they are
considered a positive screen. Ask question #5 to assess acuity: 'Yes' to question #5 = acute
positive screen; 'No' to question #5 = non-acute positive screen." Test numbers follow the
research note's scoring table (T13-T17). The command-line door is tested in tests/cli.
"""

from __future__ import annotations

import pytest

from screening_app.engine import AnswerError
from tests.content_clinical.support import session


def run(age: int = 14, setting: str = "ed", **answers: str):
    s = session(setting, age, {("asq", k): v for k, v in answers.items()})
    result = s.result()
    band = next(m for m in result["modules"] if m["module"] == "asq")["band"]
    flags = {f["id"]: f for f in result["flags"] if f["module"] == "asq"}
    return s, band, flags


def asq_unresolved(s) -> list[str]:
    return [u["item"] for u in s.result()["safety_screens_unresolved"] if u["module"] == "asq"]


@pytest.mark.parametrize(("case", "answers", "band", "flags"), [
    ("T13 all no", dict(q1="no", q2="no", q3="no", q4="no"), "negative", set()),
    ("T14 q1 yes, q5 no", dict(q1="yes", q2="no", q3="no", q4="no", q5="no"),
     "non-acute positive", {"asq-non-acute"}),
    ("T15 lifetime attempt only", dict(q1="no", q2="no", q3="no", q4="yes", q5="no"),
     "non-acute positive", {"asq-non-acute"}),
    ("T16 q3 yes, q5 yes", dict(q1="no", q2="no", q3="yes", q4="no", q5="yes"),
     "acute positive", {"asq-acute"}),
    ("T17 refuses to answer", dict(q1="declined", q2="declined", q3="declined", q4="declined"),
     "non-acute positive", {"asq-non-acute"}),
    ("refusal, then q5 no", dict(q1="no", q2="declined", q3="no", q4="no", q5="no"),
     "non-acute positive", {"asq-non-acute"}),
    ("refusal, then q5 yes", dict(q1="declined", q2="no", q3="no", q4="no", q5="yes"),
     "acute positive", {"asq-acute"}),
    ("acuity question refused", dict(q1="yes", q2="no", q3="no", q4="no", q5="declined"),
     "non-acute positive", {"asq-acuity-declined"}),
])
def test_published_asq_outcomes(case, answers, band, flags):
    _, got_band, got_flags = run(**answers)
    assert got_band == band, case
    assert set(got_flags) == flags, case
    assert all(f["level"] == "act-now" for f in got_flags.values()), case


def test_every_positive_outcome_interrupts_and_acute_comes_first():
    """Both positive outcomes "cannot leave until evaluated for safety": act-now, sorted first."""
    for answers in (dict(q1="yes", q5="yes"), dict(q2="yes", q5="no"), dict(q4="declined")):
        s, _, _ = run(**answers)
        assert s.result()["flags"][0]["module"] == "asq"
        assert s.result()["flags"][0]["level"] == "act-now"


def test_q5_yes_says_do_not_leave_the_child_alone():
    _, _, flags = run(q1="yes", q5="yes")
    assert "Do not leave the child alone" in flags["asq-acute"]["action"]


def test_negative_screen_does_not_offer_q5_and_is_complete():
    s, _, _ = run(q1="no", q2="no", q3="no", q4="no")
    assert not s.is_visible("asq", "q5")
    assert next(m for m in s.result()["modules"] if m["module"] == "asq")["complete"]
    assert asq_unresolved(s) == []


def test_refusal_offers_q5_and_q5_is_a_safety_screen_until_answered():
    s, _, _ = run(q1="declined", q2="no", q3="no", q4="no")
    assert s.is_visible("asq", "q5")
    assert asq_unresolved(s) == ["q5"]
    s.answer("asq", "q5", "declined")
    assert asq_unresolved(s) == []


def test_answer_to_hidden_q5_is_rejected_with_a_clear_message():
    s = session("ed", 14, {("asq", "q1"): "no"})
    with pytest.raises(AnswerError, match=r"asq\.q5: item is not shown"):
        s.answer("asq", "q5", "yes")


@pytest.mark.parametrize(("item", "value", "message"), [
    ("q9", "yes", "unknown item 'q9'"),
    ("q1", "maybe", "unknown answer code 'maybe'"),
    ("q1", ["yes"], "unknown answer code"),
])
def test_bad_answers_are_rejected_clearly(item, value, message):
    s = session("ed", 14)
    with pytest.raises(AnswerError, match=message):
        s.answer("asq", item, value)


def test_asq_is_not_offered_under_eight_and_says_what_to_do_instead():
    s = session("ed", 7)
    assert "asq" not in s.evaluation.active_modules
    gate = next(r for r in s.result()["recommendations"] if r["id"] == "asq-age-gate")
    assert "clinical judgement" in gate["text"]

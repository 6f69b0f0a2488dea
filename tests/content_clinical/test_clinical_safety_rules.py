"""Suicide, self-harm and completion rules from the clinical safety review (issue 11), each
tested from the published rule it follows."""

from __future__ import annotations

import pytest

from .support import SETTINGS, flag_ids, quiet, session

# -- self-harm, overdose or injury now (review finding 4) ----------------------------------------


@pytest.mark.parametrize(("setting", "first_action"), [
    ("school-nurse", "999"), ("gp", "emergency department at once"),
    ("custody", "custody healthcare professional now"), ("ed", "treat the injury or overdose"),
])
def test_recent_self_harm_or_overdose_is_act_now_in_every_setting(setting, first_action):
    """NICE NG225 1.1: in every setting, deal first with immediate physical health needs from
    self-harm and call 111 or 999 if necessary; an overdose can seem well at first."""
    s = session(setting, 14, {("psychosocial", "self_harm"): "yes",
                              ("psychosocial", "self_harm_now"): "yes"})
    flag = next(f for f in s.evaluation.flags if f.id == "psy-self-harm-now")
    assert flag.level == "act-now"
    assert first_action in flag.action, flag.action


def test_a_recent_overdose_in_school_nursing_is_act_now_even_if_the_child_seems_well():
    s = session("school-nurse", 14, {("self-rating", "hurt_self"): "yes",
                                     ("psychosocial", "self_harm_now"): "yes"})
    flag = next(f for f in s.evaluation.flags if f.id == "psy-self-harm-now")
    assert flag.level == "act-now" and "even if they seem well" in flag.action


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_48_hour_question_follows_any_self_harm_and_must_be_resolved(setting):
    s = session(setting, 14, {("psychosocial", "self_harm"): "yes"})
    assert s.is_visible("psychosocial", "self_harm_now")
    assert ("psychosocial", "self_harm_now") in {
        (u.module, u.item) for u in s.evaluation.unresolved_safety_screens}
    assert not quiet(setting, 14).is_visible("psychosocial", "self_harm_now")


@pytest.mark.parametrize(("answers", "raised"), [
    ({("psychosocial", "self_harm"): "yes", ("psychosocial", "self_harm_when"): "recent"}, True),
    ({("psychosocial", "self_harm"): "yes", ("psychosocial", "self_harm_now"): "yes"}, True),
    ({("psychosocial", "self_harm"): "yes", ("psychosocial", "self_harm_when"): "past"}, False),
])
def test_ed_self_harm_found_at_screening_is_handled_like_self_harm_at_triage(answers, raised):
    """NICE NG225: everyone who presents after self-harm has a psychosocial assessment; the
    review (finding 7) asks that recent self-harm found at screening raises the same act-now as
    a self-harm triage reason."""
    s = session("ed", 15, {("ed-triage", "reason"): "injury", **answers})
    assert ("ed-mh-presentation" in flag_ids(s)) is raised
    assert "psy-self-harm" in flag_ids(s)


@pytest.mark.parametrize(("age", "raised"), [(5, True), (7, True), (8, False), (12, False)])
def test_self_harm_under_8_escalates_to_a_full_mental_health_evaluation(age, raised):
    """ASQ toolkit: no screen is validated under 8; "if suicide risk is suspected in younger
    children a full mental health evaluation is recommended instead" (review finding 28)."""
    s = session("gp", age, {("psychosocial", "self_harm"): "yes"})
    assert ("psy-under8-self-harm" in flag_ids(s)) is raised
    if raised:
        flag = next(f for f in s.evaluation.flags if f.id == "psy-under8-self-harm")
        assert flag.level == "refer" and "full mental health evaluation" in flag.action


# -- the ASQ is core from 12 in GP and school nursing (review finding 11) -----------------------

@pytest.mark.parametrize("setting", ["gp", "school-nurse"])
def test_asq_is_core_from_12_and_when_indicated_from_8_to_11(setting):
    """PCMH youth suicide prevention FAQ and the AAP/NIMH Blueprint: universal suicide-specific
    screening from 12; 'Feeling heard': GPs "did not always ask the right questions"."""
    for age in (12, 14, 17):
        s = quiet(setting, age)
        assert "asq" in s.evaluation.active_modules
        assert next(step for step in s.steps if step.module == "asq").core
        assert all(s.answers.get(("asq", q)) == "no" for q in ("q1", "q2", "q3", "q4"))
    for age in (8, 11):
        s = quiet(setting, age)
        assert "asq" not in s.evaluation.active_modules
        assert not next(step for step in s.steps if step.module == "asq").core


# -- clinical judgement overrides a screen (review findings 10 and 9) ---------------------------

@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize(("concern", "flag", "level"), [
    ("act_now", "judgement-act-now", "act-now"), ("refer", "judgement-refer", "refer")])
def test_still_concerned_overrides_a_negative_screen_in_every_pathway(setting, concern, flag,
                                                                      level):
    """ASQ toolkit: "Clinical judgment can always override a negative screen." The reason is
    required once a concern is chosen."""
    age = 14 if setting != "custody" else 15
    s = session(setting, age, {("asq", q): "no" for q in ("q1", "q2", "q3", "q4")})
    assert s.evaluation.module_result("asq").primary.band == "negative"
    s.answer("judgement", "concern", concern)
    raised = {f.id: f for f in s.evaluation.flags}
    assert raised[flag].level == level
    reason = s.catalog.module("judgement").item("concern_reason")
    assert s.is_visible("judgement", "concern_reason") and reason.required
    assert not reason.declinable


def test_still_concerned_is_offered_under_8_where_no_screen_applies():
    s = session("ed", 6)
    assert "asq" not in s.evaluation.active_modules
    assert s.is_visible("judgement", "concern")
    s.answer("judgement", "concern", "act_now")
    assert "judgement-act-now" in flag_ids(s)


def test_the_still_concerned_question_does_not_lengthen_a_quiet_assessment():
    item = session("ed", 14).catalog.module("judgement").item("concern")
    assert not item.required
    assert ("judgement", "concern") not in quiet("ed", 14).answers


# -- completion needs the safety screens done (review finding 16) -------------------------------

@pytest.mark.parametrize(("setting", "age"), [("ed", 15), ("custody", 15), ("gp", 13),
                                              ("school-nurse", 12)])
def test_an_empty_assessment_lists_the_core_suicide_screen_as_unresolved(setting, age):
    """Run empty_complete: only the reason answered must not look done. The engine names every
    safety screen shown with no answer and no "declined"; the app refuses completion on it."""
    s = session(setting, age)
    unresolved = {(u.module, u.item) for u in s.evaluation.unresolved_safety_screens}
    assert {("asq", f"q{n}") for n in range(1, 5)} <= unresolved
    assert {("psychosocial", "self_harm"), ("psychosocial", "safety")} <= unresolved
    assert s.result()["safety_screens_unresolved"]


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_quiet_completed_assessment_has_no_unresolved_safety_screens(setting):
    assert quiet(setting, 14 if setting != "custody" else 15).evaluation \
        .unresolved_safety_screens == []


def test_declined_resolves_a_safety_screen():
    s = session("ed", 15, {("asq", q): "declined" for q in ("q1", "q2", "q3", "q4")})
    assert not any(u.module == "asq" and u.item.startswith("q") and u.item != "q5"
                   for u in s.evaluation.unresolved_safety_screens)


def test_a_blank_gate_that_keeps_the_suicide_screen_away_is_named():
    """A 10-year-old in GP: the ASQ waits for the reason or a gate answer. Left blank, the
    record must say which blanks kept it away (review finding 16)."""
    s = session("gp", 10)
    gates = {g.module: g.items for g in s.evaluation.blank_gates}
    assert "gp-consult.reason" in gates["asq"] and "psychosocial.self_harm" in gates["asq"]
    assert s.result()["blank_gates"][0]["module"] in {"asq", "phq9"}
    assert "asq" not in {g.module for g in quiet("gp", 10).evaluation.blank_gates}


def test_consent_override_covers_suicide_and_self_harm_flags():
    """Review finding 26; Working Together 2023: fears about sharing must not stand in the way
    of protecting a child, so a refusal to share is challenged when any of these is raised."""
    refusal = {("consent", "share"): "refuses", ("consent", "lawful_basis"): "not_sharing"}
    for answers in ({("asq", "q1"): "yes", ("asq", "q5"): "no"},
                    {("psychosocial", "self_harm"): "yes"},
                    {("context", "known"): ["cp"]},
                    {("judgement", "concern"): "act_now"}):
        s = session("gp", 14, {**answers, **refusal})
        assert "consent-safeguarding-override" in flag_ids(s), answers


# -- urgency matches the action (review findings 6, 7, 20) --------------------------------------

@pytest.mark.parametrize(("answers", "raised"), [
    ({("slcn", "language"): "other_needs"}, True),  # who is interpreting left blank
    ({("slcn", "language"): "sign", ("slcn", "interpreter"): "none_yet"}, True),
    ({("slcn", "language"): "other_needs", ("slcn", "interpreter"): "trained"}, False),
    ({("context", "known"): ["uasc"]}, True),  # no language recorded for a UASC
    ({("context", "known"): ["uasc"], ("slcn", "language"): "other_fluent"}, False),
])
def test_interpreter_act_now_fires_until_a_trained_interpreter_is_recorded(answers, raised):
    """'Feeling heard': planning failed to arrange a trained interpreter; PACE Code C s13
    (custody). A blank "who is interpreting" is not a trained interpreter (finding 6)."""
    for setting in ("ed", "custody"):
        s = session(setting, 15, answers)
        assert ("slcn-interpreter" in flag_ids(s)) is raised, (setting, answers)


@pytest.mark.parametrize(("flag", "setting", "answers", "phrase"), [
    ("ed-injury-concern", "ed", {("ed-triage", "reason"): "injury_concern"},
     "Do not discharge"),
    ("sr-scared", "school-nurse", {("self-rating", "scared"): "yes"}, "lead now"),
    ("psy-exploitation", "custody", {("psychosocial", "safety"): "yes",
                                     ("psychosocial", "exploitation"): ["travel"]},
     "Before release"),
])
def test_urgent_actions_carry_an_urgent_level_or_wording(flag, setting, answers, phrase):
    """Review finding 7: possible NAI must not be discharged before senior and safeguarding
    review (NICE CG89; Working Together 2023); KCSIE: tell the DSL immediately; Home Office
    county lines guidance: releasing an exploited child back to the exploiter is the harm."""
    s = session(setting, 14, answers)
    found = next(f for f in s.evaluation.flags if f.id == flag)
    assert phrase in found.action
    if flag == "ed-injury-concern":
        assert found.level == "act-now"


def test_watchful_waiting_follow_up_is_within_2_weeks_with_a_did_not_attend_action():
    """NICE NG134: watchful waiting review "normally within 2 weeks", and make contact with
    children and young people who do not attend follow-up appointments (finding 20)."""
    s = session("gp", 14, {("psychosocial", "mood"): "yes", ("phq9", "q1"): "2",
                           ("phq9", "q2"): "1", ("phq9", "q3"): "1", ("phq9", "q4"): "1",
                           **{("phq9", f"q{i}"): "0" for i in range(5, 10)}})
    mild = next(f for f in s.evaluation.flags if f.id == "phq9-mild")
    assert "within 2 weeks" in mild.action and "does not attend" in mild.action
    review = next(r for r in s.evaluation.recommendations if r.id == "gp-review")
    assert "within 2 weeks" in review.text and "does not attend" in review.text
    for text in (mild.action, review.text):
        assert "four weeks" not in text

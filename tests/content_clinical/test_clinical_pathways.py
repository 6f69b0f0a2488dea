"""The four pathways: age gates, triggers, custody duties, communication profile, the child's
voice, and the length of the core."""

from __future__ import annotations

import json

import pytest

from screening_app.engine import AnswerError
from tests.conftest import HOSTILE_CASES

from .core_counts import OUTPUT, render
from .flag_cases import CASES
from .support import (
    ALWAYS,
    CONTENT,
    SETTINGS,
    ages_for,
    catalog,
    complete_core_with_no_concerns,
    flag_ids,
    pending_core,
    quiet,
    result_json,
    session,
)


def test_catalog_loads_without_problems():
    cat = catalog()
    assert set(cat.pathways) == set(SETTINGS)
    assert {"asq", "phq9", "gad7", "external-scores", "psychosocial", "teen-topics", "context",
            "slcn", "self-rating", "voice", "consent"} <= set(cat.modules)


# -- age gates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("setting", ["ed", "gp", "school-nurse"])
@pytest.mark.parametrize("age", [5, 6, 7])
def test_no_asq_under_8_and_clinical_judgement_instead(setting, age):
    s = session(setting, age, {("psychosocial", "mood"): "yes",
                               ("psychosocial", "self_harm"): "yes"})
    assert "asq" not in s.evaluation.active_modules
    gated = {g.module: g for g in s.evaluation.gated}
    assert "clinical judgement" in gated["asq"].instead
    recs = {r["id"]: r["text"] for r in s.result()["recommendations"]}
    assert recs["asq-age-gate"] == gated["asq"].instead


@pytest.mark.parametrize("setting", ["ed", "gp", "school-nurse"])
@pytest.mark.parametrize("age", [5, 8, 11])
def test_phq9_and_gad7_only_from_12(setting, age):
    s = session(setting, age, {("psychosocial", "mood"): "yes"})
    assert not {"phq9", "gad7"} & set(s.evaluation.active_modules)
    gated = {g.module: g.instead for g in s.evaluation.gated}
    assert "from age 12" in gated["phq9"] and "from age 12" in gated["gad7"]


@pytest.mark.parametrize("setting", ["ed", "gp", "school-nurse"])
@pytest.mark.parametrize("age", [12, 17])
def test_phq9_and_gad7_are_brought_in_by_a_mood_worry_from_12(setting, age):
    calm = quiet(setting, age)
    assert not {"phq9", "gad7"} & set(calm.evaluation.active_modules)
    s = session(setting, age, {("psychosocial", "mood"): "yes"})
    assert {"phq9", "gad7"} <= set(s.evaluation.active_modules)


def test_asq_is_core_in_ed_and_custody_from_8():
    for setting, age in [("ed", 8), ("ed", 17), ("custody", 10), ("custody", 17)]:
        assert "asq" in session(setting, age).evaluation.active_modules


@pytest.mark.parametrize(("setting", "answers"), [
    ("gp", {("gp-consult", "reason"): "sleep"}),
    ("gp", {("gp-consult", "reason"): "pain"}),
    ("gp", {("psychosocial", "self_harm"): "yes"}),
    ("school-nurse", {("school-health", "reason"): "staff_concern"}),
    ("school-nurse", {("self-rating", "feel"): 1}),
])
def test_asq_is_brought_in_by_presenting_issue_or_answers(setting, answers):
    assert "asq" not in quiet(setting, 10).evaluation.active_modules
    assert "asq" in session(setting, 10, answers).evaluation.active_modules


@pytest.mark.parametrize(("setting", "answers", "module"), [
    ("ed", {("ed-triage", "reason"): "unexplained"}, "phq9"),
    ("ed", {("ed-triage", "reason"): "unexplained"}, "gad7"),
    ("ed", {("ed-triage", "reason"): "alcohol_drugs"}, "teen-topics"),
    ("gp", {("gp-consult", "reason"): "eating"}, "phq9"),
    ("gp", {("gp-consult", "reason"): "school"}, "gad7"),
    ("school-nurse", {("self-rating", "hurt_self"): "yes"}, "phq9"),
    ("ed", {("context", "external_scores"): "yes"}, "external-scores"),
])
def test_presenting_issue_and_answers_bring_in_deeper_modules(setting, answers, module):
    assert module not in session(setting, 15).evaluation.active_modules
    assert module in session(setting, 15, answers).evaluation.active_modules


# -- custody (PACE Code C) ---------------------------------------------------------------------

def test_custody_pathway_covers_every_child_from_10_to_17():
    ages = catalog().pathway("custody").ages
    assert (ages.min, ages.max) == (10, 17)


@pytest.mark.parametrize("age", ages_for("custody"))
def test_custody_recommends_an_appropriate_adult_at_any_age(age):
    """PACE Code C: every juvenile has an appropriate adult. The duty is a checklist item that
    must be answered (a safety screen) and raises act-now only while none is arranged, so it
    is not an alarm every child triggers (review finding 23)."""
    start = session("custody", age)
    assert ("custody-booking", "appropriate_adult") in {
        (u.module, u.item) for u in start.evaluation.unresolved_safety_screens}
    waiting = session("custody", age, {("custody-booking", "appropriate_adult"): "not_yet"})
    assert next(f for f in waiting.evaluation.flags
                if f.id == "custody-appropriate-adult").level == "act-now"
    for s in (start, waiting, quiet("custody", age)):
        recs = {r.id for r in s.evaluation.recommendations}
        assert {"custody-aa", "custody-ld"} <= recs
    assert "custody-appropriate-adult" not in flag_ids(quiet("custody", age))


@pytest.mark.parametrize("answers", [
    {("psychosocial", "mood"): "yes"},
    {("psychosocial", "self_harm"): "yes"},
    {("asq", "q2"): "yes"},
    {("custody-booking", "presentation"): ["voices"]},
    {("context", "known"): ["waiting_camhs"]},
    {("slcn", "noticed"): ["social"]},
    {("slcn", "language"): "sign"},
    {("context", "known"): ["ld"]},
], ids=lambda a: ".".join(next(iter(a))))
def test_custody_treats_child_as_vulnerable_on_any_mental_health_or_communication_concern(answers):
    s = session("custody", 15, answers)
    assert "custody-vulnerable" in flag_ids(s)
    assert "custody-share" in {r.id for r in s.evaluation.recommendations}


def test_custody_escalates_to_inspector_only_when_a_needed_assessment_has_not_happened():
    calm = quiet("custody", 15)
    assert not calm.is_visible("custody-booking", "mh_assessment")
    s = session("custody", 15, {("custody-booking", "mh_history"): "yes"})
    assert ("custody-booking", "mh_assessment") in pending_core(s)
    for value, escalate in [("done", False), ("requested", False), ("delayed", True),
                            ("unavailable", True)]:
        s.answer("custody-booking", "mh_assessment", value)
        assert ("custody-inspector-escalation" in flag_ids(s)) is escalate
        assert ("custody-inspector" in {r.id for r in s.evaluation.recommendations}) is escalate


# -- communication profile ---------------------------------------------------------------------

COMMUNICATION = [
    ({("slcn", "noticed"): ["understanding"]}, "understanding", "explain back"),
    ({("slcn", "noticed"): ["expressing"]}, "expressing", "extra time"),
    ({("slcn", "noticed"): ["speech"]}, "speech", "extra time"),
    ({("slcn", "noticed"): ["social"]}, "social", "literal"),
    ({("slcn", "noticed"): ["literacy"]}, "literacy", "read everything aloud"),
    ({("slcn", "noticed"): ["hearing"]}, "hearing", "face the child"),
    ({("slcn", "language"): "other_needs"}, "interpreter", "trained interpreter"),
    ({("slcn", "language"): "sign"}, "sign", "sign language interpreter"),
    ({("slcn", "noticed"): ["social"], ("slcn", "supports"): ["passport"]}, "passport",
     "communication passport"),
    ({("context", "known"): ["autism"]}, "autism-ld", "literal"),
    ({("context", "known"): ["adhd"]}, "adhd", "one question at a time"),
]


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize(("answers", "need", "adjustment"), COMMUNICATION,
                         ids=[c[1] for c in COMMUNICATION])
def test_communication_difficulty_gives_a_profile_in_every_setting(setting, answers, need,
                                                                   adjustment):
    calm = quiet(setting, 13).result()["communication"]
    assert calm["needs"] == [] and calm["adjustments"] == []
    s = session(setting, 13, answers)
    profile = s.result()["communication"]
    rule = next(p for p in profile["profile"] if p["id"] == need)
    assert rule["adjustments"] and rule["triggered_by"]
    assert any(adjustment in a.lower() for a in profile["adjustments"]), profile["adjustments"]


@pytest.mark.parametrize(("item", "value", "need"), [
    ("understand", "lot", "sr-understanding"), ("remember", "lot", "sr-understanding"),
    ("words", "lot", "sr-expressing"), ("reading", "lot", "sr-reading"),
    ("hearing", "bit", "sr-hearing"),
])
def test_child_self_rating_adds_to_the_communication_profile(item, value, need):
    s = session("school-nurse", 10, {("self-rating", item): value})
    assert need in {p["id"] for p in s.result()["communication"]["profile"]}
    s2 = session("school-nurse", 10, {("self-rating", item): "no"})
    assert s2.result()["communication"]["needs"] == []


# -- the child's voice -------------------------------------------------------------------------

@pytest.mark.parametrize("setting", SETTINGS)
def test_childs_own_words_appear_verbatim_in_the_result(setting):
    words = 'I just want someone to "listen" <b>properly</b> & not tell Dad. 😔'
    s = complete_core_with_no_concerns(setting, 13)
    s.answer("voice", "worries", words)
    result = s.result()
    assert words in result["child_voice"]
    assert json.loads(json.dumps(result))["child_voice"].count(words) == 1


HOSTILE = [c for c in HOSTILE_CASES if c["text"].strip() and "\x00" not in c["text"]]


@pytest.mark.parametrize("case", HOSTILE, ids=[c["name"] for c in HOSTILE])
def test_hostile_strings_survive_as_the_childs_words(case):
    """Kept exactly when within the item's limit; refused with a clear message, never cut."""
    text = case["text"]
    s = session("gp", 12)
    limit = catalog().module("voice").item("worries").max_length
    if len(text) > limit:
        with pytest.raises(AnswerError, match="the limit is"):
            s.answer("voice", "worries", text)
        assert s.result()["child_voice"] == []
    else:
        s.answer("voice", "worries", text)
        assert s.result()["child_voice"] == [text]


def test_self_rating_and_sharing_words_also_reach_the_childs_voice():
    s = session("school-nurse", 11, {
        ("self-rating", "what_helps"): "When they draw it for me",
        ("consent", "share"): "refuses",
        ("consent", "wishes"): "Please don't tell my stepdad",
    })
    assert s.result()["child_voice"] == ["When they draw it for me", "Please don't tell my stepdad"]


def test_voice_is_sized_per_setting():
    ed = quiet("ed", 14)
    assert [i.id for m, i in ed.visible_items() if m.id == "voice" and i.required] == ["worries"]
    worried = session("ed", 14, {("psychosocial", "home"): "yes"})
    shown = {i.id for m, i in worried.visible_items() if m.id == "voice"}
    assert {"worries", "help", "trusted", "contact"} <= shown
    assert "keep_in_touch" not in shown
    referred = session("ed", 14, {("psychosocial", "self_harm"): "yes"})
    assert referred.is_visible("voice", "keep_in_touch")
    gp = quiet("gp", 14)
    assert {i.id for m, i in gp.visible_items() if m.id == "voice" and i.required} == {
        "worries", "help", "trusted"}
    waiting = session("gp", 14, {("context", "known"): ["waiting_camhs"]})
    assert waiting.is_visible("voice", "keep_in_touch") and waiting.is_visible("voice", "contact")


@pytest.mark.parametrize(("setting", "gates"), [
    ("ed", ["opening", "home", "mood", "self_harm", "safety"]),
    ("custody", ["opening", "home", "mood", "self_harm", "safety", "exploitation"]),
    ("gp", ["opening", "home", "school", "friends", "eating", "mood", "self_harm", "safety"]),
    ("school-nurse", ["opening", "home", "school", "friends", "eating", "mood", "self_harm",
                      "safety"]),
])
def test_psychosocial_questions_are_sized_per_setting(setting, gates):
    s = session(setting, 13)
    assert [i.id for m, i in s.visible_items() if m.id == "psychosocial"] == gates


# -- the length of the core --------------------------------------------------------------------

@pytest.mark.parametrize("age", ages_for("ed"))
def test_ed_sprained_ankle_with_no_worries_takes_at_most_15_answers(age):
    s = quiet("ed", age)
    assert s.answers[("ed-triage", "reason")] == "injury"
    assert len(s.answers) <= 15, sorted(s.answers)
    assert all(m.complete for m in s.evaluation.modules)


@pytest.mark.parametrize("setting", SETTINGS)
def test_no_worries_raise_no_flags_and_complete_every_core_module(setting):
    for age in ages_for(setting):
        s = quiet(setting, age)
        assert flag_ids(s) == ALWAYS.get(setting, set()), (setting, age)
        assert all(m.complete for m in s.evaluation.modules), (setting, age)


def test_core_item_counts_document_is_current():
    assert OUTPUT.read_text(encoding="utf-8") == render(), (
        "docs/core-item-counts.md is out of date: run "
        "`.venv/bin/python -m tests.content_clinical.core_counts`")


# -- NICE NG225: no risk labels ----------------------------------------------------------------

RISK_LABEL = (r"\b(low|medium|moderate|high|very high|higher|lower)[\s_-]+(suicide[\s_-]+)?risk\b"
              r"|\brisk[\s_-]*(level|category|rating|score|stratification|group)\b"
              r"|\brisk\s*[:=]\s*(low|medium|high)\b")


def _risk_labels(text: str) -> list[str]:
    import re

    return [m.group(0) for m in re.finditer(RISK_LABEL, text, flags=re.IGNORECASE)]


def test_risk_label_scanner_catches_what_it_must():
    for bad in ["High risk", "low-risk", "medium risk", "risk level", "risk: high",
                "High suicide risk", "risk_category"]:
        assert _risk_labels(bad), bad
    for fine in ["imminent risk", "risk of significant harm", "moderately severe", "high"]:
        assert not _risk_labels(fine), fine


def test_no_risk_labels_anywhere_in_the_content():
    for path in sorted(CONTENT.rglob("*.y*ml")):
        assert not _risk_labels(path.read_text(encoding="utf-8")), path


def test_no_risk_labels_in_any_result():
    results = [result_json(session(c.setting, c.age, c.fires)) for c in CASES]
    results += [result_json(quiet(s, a))
                for s in SETTINGS for a in (ages_for(s)[0], 13, 17)]
    for text in results:
        assert not _risk_labels(text), _risk_labels(text)
        assert '"risk' not in text.lower()  # no risk key or value of any kind

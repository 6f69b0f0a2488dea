"""Safeguarding, custody (PACE Code C) and communication rules from issue 12, each tested from
the law or guidance it follows."""

from __future__ import annotations

import re

import pytest

from .support import SETTINGS, catalog, flag_ids, quiet, session

ABUSE_OPEN = {("psychosocial", "safety"): "yes"}

# -- disclosures (Working Together 2023) ---------------------------------------------------------


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_past_disclosure_of_abuse_is_a_referral_in_every_setting(setting):
    """Working Together 2023: act on any disclosure of abuse, past or present ("my uncle
    touched me last year" was only free text raising a consider)."""
    s = session(setting, 10 if setting != "custody" else 15,
                {**ABUSE_OPEN, ("psychosocial", "abuse"): ["sexual"],
                 ("psychosocial", "abuse_when"): "past", ("psychosocial", "with_abuser"): "no"})
    flag = next(f for f in s.evaluation.flags if f.id == "psy-abuse-disclosed")
    assert flag.level == "refer"
    assert "psy-abuse-going-back" not in flag_ids(s)


@pytest.mark.parametrize("setting", SETTINGS)
def test_going_back_to_the_person_named_is_act_now(setting):
    s = session(setting, 11 if setting != "custody" else 14,
                {**ABUSE_OPEN, ("psychosocial", "abuse"): ["physical"],
                 ("psychosocial", "with_abuser"): "yes"})
    flag = next(f for f in s.evaluation.flags if f.id == "psy-abuse-going-back")
    assert flag.level == "act-now" and "person they named" in flag.action


@pytest.mark.parametrize(("setting", "age"), [("gp", 6), ("ed", 9), ("custody", 11)])
def test_a_sexual_abuse_prompt_reaches_under_12s_and_custody(setting, age):
    """Review finding 9: the only sexual-activity option was in teen-topics (12+, never in
    custody). The safety gate now asks every child about unwanted touching."""
    s = session(setting, age)
    gate = s.catalog.module("psychosocial").item("safety")
    assert "touched" in gate.prompt_for(setting) and "touched" in gate.child_prompt
    s.answer("psychosocial", "safety", "yes")
    assert s.is_visible("psychosocial", "abuse")
    assert "sexual" in s.catalog.module("psychosocial").item("abuse").codes()


@pytest.mark.parametrize(("answers", "raised"), [
    ({**ABUSE_OPEN, ("psychosocial", "abuse"): ["sexual"], ("psychosocial", "abuse_when"): "week"},
     True),
    ({("teen-topics", "relationships"): "yes",
      ("teen-topics", "relationship_detail"): ["pressured"],
      ("teen-topics", "pressured_when"): "week"}, True),
    ({("teen-topics", "relationships"): "yes",
      ("teen-topics", "relationship_detail"): ["pressured"],
      ("teen-topics", "pressured_when"): "longer"}, False),
])
def test_recent_sexual_assault_is_act_now_with_the_forensic_window(answers, raised):
    """NHS England SARC service specification: forensic samples, emergency contraception and
    post-exposure prophylaxis are time-critical (review finding 7)."""
    s = session("school-nurse", 15, answers)
    assert ("psy-sexual-assault-recent" in flag_ids(s)) is raised
    if raised:
        flag = next(f for f in s.evaluation.flags if f.id == "psy-sexual-assault-recent")
        assert flag.level == "act-now" and "SARC" in flag.action


@pytest.mark.parametrize("setting", SETTINGS)
def test_fgm_names_the_mandatory_reporting_duty(setting):
    """FGM Act 2003 s5B: regulated health and social care professionals and teachers must
    report known FGM in an under-18 to the police."""
    s = session(setting, 13, {("context", "known"): ["fgm"], ("context", "fgm_kind"): "known"})
    flag = next(f for f in s.evaluation.flags if f.id == "ctx-fgm")
    assert flag.level == "refer"
    if setting != "custody":
        assert "must report it to the police" in flag.action


@pytest.mark.parametrize("setting", SETTINGS)
def test_missing_from_home_or_care_is_its_own_item_in_every_setting(setting):
    """DfE, Children who run away or go missing (2014): a return home interview for every
    child who has gone missing; 'Feeling heard' (Vicky)."""
    known = catalog().module("context").item("known")
    assert "missing" in known.codes()
    s = session(setting, 14, {("context", "known"): ["missing"]})
    flag = next(f for f in s.evaluation.flags if f.id == "ctx-missing")
    assert flag.level == "refer"
    assert "return home interview" in flag.action or "PNC" in flag.action
    assert s.is_visible("context", "missing_last")


@pytest.mark.parametrize("reason", ["theft", "violence", "warrant", "other"])
def test_exploitation_is_asked_of_every_child_in_custody_whatever_the_arrest(reason):
    """Home Office county lines guidance; 'Feeling heard' (Vicky): exploitation must be asked
    about whatever the offence, not only on a drugs or weapons arrest."""
    s = session("custody", 15, {("custody-booking", "reason"): reason})
    assert s.is_visible("psychosocial", "exploitation")
    assert not s.is_visible("psychosocial", "exploitation") or \
        s.catalog.module("psychosocial").item("exploitation").required
    assert not session("gp", 15).is_visible("psychosocial", "exploitation")


def test_online_sexual_exploitation_is_a_referral_not_bullying():
    """CEOP; UKCIS Sharing nudes and semi-nudes (2024): sextortion is child sexual
    exploitation (it was a consider under bullying)."""
    s = session("gp", 13, {("psychosocial", "friends"): "yes",
                           ("psychosocial", "friends_detail"): ["sexual_online"]})
    assert "psy-online-exploitation" in flag_ids(s)
    assert "psy-bullying" not in flag_ids(s)
    assert next(f for f in s.evaluation.flags if f.id == "psy-online-exploitation").level == "refer"


def test_uasc_age_dispute_and_trafficking_are_linked_to_the_interpreter_check():
    """Modern Slavery Act 2015 (NRM; no consent needed for a child); 'Feeling heard': UASC
    trauma missed and interpreters not arranged."""
    s = session("ed", 16, {("context", "known"): ["uasc"], ("context", "age_disputed"): "yes",
                           ("context", "trafficking"): ["controlled"]})
    assert {"ctx-uasc", "ctx-age-dispute", "ctx-uasc-trafficking", "slcn-interpreter"} <= \
        flag_ids(s)
    s.answer("slcn", "language", "other_needs")
    s.answer("slcn", "interpreter", "trained")
    assert "slcn-interpreter" not in flag_ids(s)


# -- custody (PACE Code C) ---------------------------------------------------------------------

def _custody_texts(age: int = 15) -> list[str]:
    """Everything the custody officer reads for this child: intros, prompts, guidance."""
    s = quiet("custody", age)
    texts = []
    for step in s.steps:
        module = catalog().module(step.module)
        texts += [module.description or ""]
        for section in module.sections:
            texts.append(section.intro or "")
            for item in section.items:
                texts += [item.prompt_for("custody"), item.guidance or ""]
    return texts


def test_custody_never_promises_that_what_the_child_says_stays_private():
    """Review finding 8: custody records are disclosable, so "stays private" is untrue."""
    for text in _custody_texts():
        assert not re.search(r"\b(stays? private|keep it private|confidential)\b", text,
                             flags=re.IGNORECASE), text


def test_custody_opening_tells_the_child_what_is_recorded_and_that_the_offence_is_not_asked():
    opening = catalog().module("psychosocial").item("opening").prompt_for("custody")
    assert "not going to ask you about what you are accused of" in opening
    assert "custody record" in opening and "shared" in opening


def test_custody_asks_no_question_that_invites_comment_on_the_offence():
    """PACE Code C: the custody officer must not invite comment about the offence. The drug
    question is a fitness and welfare question, not "including today"."""
    texts = " ".join(_custody_texts()).lower()
    assert "including today" not in texts
    drugs = catalog().module("teen-topics").item("substances").prompt_for("custody")
    assert "not about the offence" in drugs and "keep them safe" in drugs


def test_appropriate_adult_duty_clears_when_recorded_and_escalates_on_delay():
    """PACE Code C: an appropriate adult for every juvenile, informed and asked to attend as
    soon as practicable; 'Feeling heard' (Elliot) waited a long time (review finding 23)."""
    s = session("custody", 14, {("custody-booking", "appropriate_adult"): "not_yet"})
    assert "custody-appropriate-adult" in flag_ids(s)
    s.answer("custody-booking", "appropriate_adult", "parent")
    assert "custody-appropriate-adult" not in flag_ids(s)
    s.answer("custody-booking", "aa_status", "delayed")
    flag = next(f for f in s.evaluation.flags if f.id == "custody-aa-delayed")
    assert flag.level == "act-now" and "inspector" in flag.action
    s.answer("custody-booking", "aa_status", "present")
    assert "custody-aa-delayed" not in flag_ids(s)


@pytest.mark.parametrize(("ticked", "raised"), [
    (["girl_woman", "not_cell", "apart"], False),
    (["not_girl", "not_cell", "apart"], False),
    (["not_cell", "apart"], True),  # a girl with no woman responsible for her care
    (["not_girl", "apart"], True),  # in a cell
    (["not_girl", "not_cell"], True),  # not kept apart from adults
])
def test_juvenile_care_duties_each_raise_a_flag_when_missing(ticked, raised):
    """PACE Code C: a girl under 18 under the care of a woman; no cell unless no other secure
    accommodation is practicable; never in a cell with an adult."""
    s = session("custody", 15, {("custody-booking", "juvenile_care"): ticked})
    assert ("custody-juvenile-care" in flag_ids(s)) is raised


def test_who_was_present_is_recorded_in_custody_and_welfare_questions_are_repeated():
    s = session("custody", 15, {("custody-booking", "appropriate_adult"): "aa_scheme",
                                ("custody-booking", "aa_status"): "called",
                                ("custody-booking", "aa_at_screen"): "no"})
    assert s.is_visible("consent", "present")
    assert "appropriate_adult" in catalog().module("consent").item("present").codes()
    assert "custody-welfare-repeat" in flag_ids(s)


def test_no_registered_intermediary_is_offered_to_a_suspect():
    """Youth Justice and Criminal Evidence Act 1999 s16(1): the Witness Intermediary Scheme
    excludes the accused (review finding 22)."""
    s = session("custody", 15, {("slcn", "noticed"): ["understanding"],
                                ("slcn", "supports"): ["none"],
                                ("context", "known"): ["autism"]})
    for flag in s.evaluation.flags:
        assert not re.search(r"(?<!non-)registered intermediary", flag.action), flag.id
    assert "non-registered" in next(f for f in s.evaluation.flags
                                    if f.id == "custody-vulnerable").action


def test_no_unverified_pace_paragraph_numbers_or_check_notes_reach_users():
    """PACE paragraph numbers could not be checked against the published Code C, so none is
    printed, nor any "to be checked against gov.uk" note."""
    for case_setting in ("custody",):
        s = session(case_setting, 15, {("custody-booking", "welfare_informed"): "no",
                                       ("slcn", "noticed"): ["understanding"]})
        text = str(s.result())
        assert "gov.uk" not in text
        assert not re.search(r"\bC ?\d+\.\d+[A-Z]?\b|paragraph \d", text), text


# -- communication (RCSLT; Sentence Trouble) ---------------------------------------------------

@pytest.mark.parametrize(("setting", "age", "shown"), [
    ("custody", 10, True), ("custody", 17, True), ("ed", 10, True), ("ed", 9, False),
    ("gp", 14, False), ("school-nurse", 14, False),
])
def test_teach_back_is_asked_of_every_child_in_custody_and_from_10_in_ed(setting, age, shown):
    """Sentence Trouble: assume communication needs until shown otherwise; the check was gated
    behind a difficulty already ticked (review finding 15)."""
    assert session(setting, age).is_visible("slcn", "explain_back") is shown
    noticed = session(setting, age, {("slcn", "noticed"): ["understanding"]})
    assert noticed.is_visible("slcn", "explain_back")


def test_custody_teach_back_covers_the_caution_and_a_right():
    prompt = catalog().module("slcn").item("explain_back").prompt_for("custody")
    assert "caution" in prompt and "rights" in prompt


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_three_question_child_self_report_exists_in_every_setting(setting):
    if setting == "school-nurse":
        module, items = "self-rating", ("understand", "words", "remember")
        s = session(setting, 10)
    else:
        module, items = "slcn", ("child_understand", "child_words", "child_remember")
        s = session(setting, 10, {("slcn", "explain_back"): "partly"}) \
            if setting in ("ed", "custody") else session(setting, 10)
    assert all(s.is_visible(module, i) for i in items)


@pytest.mark.parametrize(("code", "need"), [
    ("aac", "aac"), ("memory", "memory"), ("vocabulary", "vocabulary"), ("stammer", "speech"),
])
def test_new_communication_domains_give_a_profile(code, need):
    s = session("gp", 12, {("slcn", "noticed"): [code]})
    assert need in {p["id"] for p in s.result()["communication"]["profile"]}


def test_brain_injury_and_sen_are_asked_in_every_setting():
    codes = catalog().module("context").item("known").codes()
    assert {"brain_injury", "sen"} <= set(codes)
    s = session("custody", 15, {("context", "known"): ["brain_injury"]})
    assert "custody-vulnerable" in flag_ids(s)
    assert "brain-injury" in {p["id"] for p in s.result()["communication"]["profile"]}


def test_stammer_goes_straight_to_speech_and_language_therapy():
    s = session("ed", 12, {("slcn", "noticed"): ["stammer"], ("slcn", "supports"): ["slt_past"]})
    assert "speech and language therapy" in next(
        f for f in s.evaluation.flags if f.id == "slcn-stammer").action


def test_an_old_speech_therapy_contact_does_not_suppress_a_new_assessment():
    s = session("school-nurse", 9, {("slcn", "noticed"): ["expressing"],
                                    ("slcn", "supports"): ["slt_past", "ehcp"]})
    assert "slcn-assessment" in flag_ids(s)


def test_custody_profile_leads_with_custody_adjustments_and_has_no_near_duplicates():
    """Review finding 15 (run slcn_cust): 18 bullets with near-duplicates. The profile shows the
    setting's five most important adjustments first."""
    s = session("custody", 15, {("slcn", "noticed"): ["understanding", "expressing", "social"],
                                ("context", "known"): ["adhd"]})
    profile = s.result()["communication"]
    key = profile["key_adjustments"]
    assert len(key) == 5 and key == profile["adjustments"][:5]
    assert key[0].startswith("Read the notice of rights aloud")
    assert any("tag questions" in a for a in key) and any("solicitor" in a for a in key)
    assert "Ask one question at a time." not in profile["adjustments"]  # within a fuller one
    words = [frozenset(re.findall(r"[a-z']+", a.lower())) for a in profile["adjustments"]]
    assert not any(a < b for a in words for b in words)


# -- wider psychosocial --------------------------------------------------------------------------

@pytest.mark.parametrize("setting", ["ed", "gp", "school-nurse", "custody"])
def test_unusual_experiences_are_asked_after_a_mood_worry_in_every_setting(setting):
    """NICE CG155: new persistent unusual experiences need specialist assessment (only custody
    asked before, at booking-in)."""
    s = session(setting, 14, {("psychosocial", "mood"): "yes", ("psychosocial", "unusual"): "yes"})
    assert "psy-unusual-experiences" in flag_ids(s)


def test_bereavement_trauma_and_strengths_are_recorded():
    s = session("gp", 12, {("context", "known"): ["bereavement"],
                           ("voice", "going_well"): "Drama club. My gran helps."})
    assert "ctx-bereavement-trauma" in flag_ids(s)
    assert "Drama club. My gran helps." in s.result()["child_voice"]  # reaches page 1


@pytest.mark.parametrize(("setting", "recommendation"), [
    ("ed", "ed-safeguarding-team"), ("gp", "gp-safeguarding"), ("school-nurse", "school-dsl"),
    ("custody", "custody-share"),
])
def test_a_disclosure_brings_the_settings_safeguarding_route_and_overrides_a_refusal(
        setting, recommendation):
    """Working Together 2023: share to protect a child, even against the child's wish."""
    s = session(setting, 14, {**ABUSE_OPEN, ("psychosocial", "abuse"): ["emotional"],
                              ("consent", "share"): "refuses",
                              ("consent", "lawful_basis"): "not_sharing"})
    assert recommendation in {r.id for r in s.evaluation.recommendations}
    assert "consent-safeguarding-override" in flag_ids(s)


def test_describe_custody_promises_no_privacy_and_asks_no_offence_question(capsys):
    """Issue 12 "must show", through the real command: `describe --setting custody`."""
    from screening_app.cli import main

    assert main(["describe", "--setting", "custody"]) == 0
    out = capsys.readouterr().out.lower()
    assert "custody-booking" in out and "juvenile_care" in out
    for phrase in ("stays private", "keep it private", "confidential", "including today",
                   "gov.uk"):
        assert phrase not in out, phrase

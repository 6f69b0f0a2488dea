"""The published scoring rules of every shipped instrument, through plain engine calls.

T-numbers are the test cases in the clinical-instruments research note (section 13), derived
from the published rules: PHQ-9 (Kroenke et al. 2001; APA missing-item rule), GAD-7 (Spitzer et
al. 2006) and the NIMH ASQ pathway.
"""

from __future__ import annotations

import pytest

from .support import catalog, flag_ids, session

MOOD = {("psychosocial", "mood"): "yes"}  # brings the PHQ-9 and GAD-7 into the pathway
FULL = "school-nurse"  # the full forms; ED and GP start with the PHQ-2 and GAD-2 (see below)


def run(module: str, scores: list[int | None], setting: str = FULL, age: int = 14):
    answers = dict(MOOD)
    for i, value in enumerate(scores, 1):
        if value is not None:
            answers[(module, f"q{i}")] = str(value)
    s = session(setting, age, answers)
    result = s.evaluation.module_result(module)
    assert result is not None, f"{module} was not brought in"
    return s, result.primary


# -- PHQ-9 -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "scores", "total", "band", "item9"), [
    ("T1", [0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal", False),
    ("T2", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", False),
    ("T3", [2, 2, 1, 1, 1, 1, 1, 0, 0], 9, "mild", False),
    ("T4", [2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate", False),
    ("T5", [3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately severe", False),
    ("T6", [3, 3, 3, 3, 2, 2, 2, 1, 1], 20, "severe", True),
    ("T7", [0, 0, 0, 0, 0, 0, 0, 0, 1], 1, "minimal", True),
])
def test_phq9_published_scoring(case, scores, total, band, item9):
    s, score = run("phq9", scores)
    assert (score.value, score.band, score.complete, score.prorated) == (total, band, True, False)
    assert ("phq9-item9" in flag_ids(s)) is item9
    assert ("phq9-moderate-plus" in flag_ids(s)) is (total >= 10)  # T4: case threshold
    result = s.result()["modules"]
    assert next(m for m in result if m["module"] == "phq9")["band"] == band


def test_phq9_item9_flag_shows_follow_up_despite_minimal_total():
    """T7: the item-9 flag is an act-now follow-up, whatever the total."""
    s, score = run("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    flag = next(f for f in s.evaluation.flags if f.id == "phq9-item9")
    assert score.band == "minimal" and flag.level == "act-now"
    assert "suicide safety assessment" in flag.action


@pytest.mark.parametrize("total", range(28))
def test_phq9_every_total_gets_its_published_band(total):
    scores = [min(3, max(0, total - 3 * i)) for i in range(9)]
    _, score = run("phq9", scores)
    expected = ("minimal" if total <= 4 else "mild" if total <= 9 else "moderate" if total <= 14
                else "moderately severe" if total <= 19 else "severe")
    assert (score.value, score.band) == (total, expected)


def test_phq9_two_missing_items_are_prorated_and_item9_is_asked_directly():
    """T8: items 1-7 = 2, items 8-9 unanswered: round(14 x 9 / 7) = 18."""
    s, score = run("phq9", [2, 2, 2, 2, 2, 2, 2])
    assert (score.value, score.band, score.prorated, score.complete) == (
        18, "moderately severe", True, False)
    assert "phq9-q9-unanswered" in flag_ids(s)


def test_phq9_three_missing_items_give_no_total():
    """T9: with 3 or more items missing the total is not used (APA PHQ-A adapted rule)."""
    s, score = run("phq9", [1, 1, 1, 1, 0, 0])
    assert (score.value, score.band, score.missing, score.at_least) == (None, None, 3, 4)
    assert not {"phq9-moderate-plus", "phq9-mild"} & flag_ids(s)


def test_phq9_threshold_already_passed_on_an_incomplete_form_raises_its_flag():
    """Review finding 5: q1-q6 = 3 with q7-q9 blank. The APA rule withholds the total, but the
    answers already add up to 18, and missing items can only add to it (Spitzer/Kroenke cut
    point for further evaluation: 10 or more). So "at least 18, incomplete" raises the
    moderate-plus flag, and item 9 is prompted because the PHQ-9 was started (GLAD-PC)."""
    s, score = run("phq9", [3, 3, 3, 3, 3, 3])
    assert (score.value, score.band, score.at_least, score.complete) == (None, None, 18, False)
    assert {"phq9-moderate-plus", "phq9-q9-unanswered"} <= flag_ids(s)
    module = next(m for m in s.result()["modules"] if m["module"] == "phq9")
    assert (module["score"], module["at_least"], module["complete"]) == (None, 18, False)
    assert ("phq9", "q9") in {(u.module, u.item) for u in s.evaluation.unresolved_safety_screens}


def test_phq9_item9_is_prompted_whenever_the_form_is_started_and_item9_is_blank():
    """GLAD-PC: item 9 must always be followed up; one answered item is enough to start."""
    s, _ = run("phq9", [0])
    assert "phq9-q9-unanswered" in flag_ids(s)
    brought_in = session(FULL, 14, MOOD)
    assert "phq9-q9-unanswered" not in flag_ids(brought_in)
    assert ("phq9", "q9") not in {(u.module, u.item)
                                  for u in brought_in.evaluation.unresolved_safety_screens}


@pytest.mark.parametrize(("module", "n"), [("phq9", 9), ("gad7", 7)])
def test_all_items_declined_is_not_scored_and_not_complete(module, n):
    """Review finding 29: every item declined gives no score, so the module is "not scored",
    never "complete". For the PHQ-9 the declined item 9 still raises its act-now flag."""
    s = session(FULL, 14, {**MOOD, **{(module, f"q{i}"): "declined" for i in range(1, n + 1)}})
    result = s.evaluation.module_result(module)
    assert (result.primary.value, result.complete) == (None, False)
    assert result.not_scored == "not scored: all items declined"
    shown = next(m for m in s.result()["modules"] if m["module"] == module)
    assert (shown["complete"], shown["not_scored"]) == (False, "not scored: all items declined")
    assert ("phq9-q9-declined" in flag_ids(s)) is (module == "phq9")


def test_phq9_proration_rounds_half_up():
    """Four 1s and four 0s, item 9 missing: 4 x 9 / 8 = 4.5, which rounds to 5 (mild)."""
    _, score = run("phq9", [1, 1, 1, 1, 0, 0, 0, 0])
    assert (score.value, score.band, score.prorated) == (5, "mild", True)


def test_phq9_declined_items_count_as_missing():
    s = session(FULL, 14, {**MOOD, **{("phq9", f"q{i}"): "2" for i in range(1, 8)},
                           ("phq9", "q8"): "declined", ("phq9", "q9"): "declined"})
    score = s.evaluation.module_result("phq9").primary
    assert (score.value, score.missing, score.prorated) == (18, 2, True)
    assert "phq9-q9-declined" in flag_ids(s)


def test_phq9_difficulty_item_is_not_scored_and_only_follows_a_problem():
    s, score = run("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert not s.is_visible("phq9", "difficulty")
    s2 = session(FULL, 14, {**MOOD, ("phq9", "q1"): "1", ("phq9", "difficulty"): "extremely"})
    assert s2.evaluation.module_result("phq9").primary.answered == 1
    assert "difficulty" not in catalog().module("phq9").score("total").sum


# -- GAD-7 -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "scores", "total", "band"), [
    ("T10", [1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
    ("T11", [2, 2, 2, 1, 1, 1, 1], 10, "moderate"),
    ("T12", [3, 3, 3, 3, 3, 3, 3], 21, "severe"),
    ("mild lower bound", [1, 1, 1, 1, 1, 0, 0], 5, "mild"),
    ("mild upper bound", [2, 2, 2, 1, 1, 1, 0], 9, "mild"),
    ("moderate upper bound", [2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
    ("severe lower bound", [3, 2, 2, 2, 2, 2, 2], 15, "severe"),
])
def test_gad7_published_scoring(case, scores, total, band):
    s, score = run("gad7", scores)
    assert (score.value, score.band, score.complete) == (total, band, True)
    assert ("gad7-moderate-plus" in flag_ids(s)) is (total >= 10)  # T11: further evaluation


@pytest.mark.parametrize("missing", [1, 7])
def test_gad7_any_missing_item_gives_no_total(missing):
    """No proration rule is published for the GAD-7, so a missing item means no total."""
    scores: list[int | None] = [1, 1, 1, 1, 1, 1, 1]
    scores[missing - 1] = None
    s, score = run("gad7", scores)
    assert (score.value, score.band, score.missing, score.at_least) == (None, None, 1, 6)
    assert not {"gad7-moderate-plus", "gad7-mild"} & flag_ids(s)


def test_gad7_threshold_already_passed_with_an_item_declined_raises_its_flag():
    """Review finding 5 (run gad_1decl_high): q1-q6 = 3, q7 declined. No total is given, but
    the answers already add up to 18 of a possible 21, past the cut point for further
    evaluation (10 or more, Spitzer et al. 2006)."""
    s = session(FULL, 14, {**MOOD, **{("gad7", f"q{i}"): "3" for i in range(1, 7)},
                           ("gad7", "q7"): "declined"})
    score = s.evaluation.module_result("gad7").primary
    assert (score.value, score.at_least) == (None, 18)
    assert "gad7-moderate-plus" in flag_ids(s)


# -- ASQ ---------------------------------------------------------------------------------------

def asq_run(setting: str = "ed", age: int = 14, **answers: str):
    s = session(setting, age, {("asq", k): v for k, v in answers.items()})
    return s, s.evaluation.module_result("asq").primary


def test_asq_all_no_is_negative_and_q5_is_not_asked():
    """T13."""
    s, score = asq_run(q1="no", q2="no", q3="no", q4="no")
    assert score.band == "negative"
    assert not s.is_visible("asq", "q5")
    assert not {"asq-acute", "asq-non-acute"} & flag_ids(s)


@pytest.mark.parametrize(("case", "answers"), [
    ("T14", {"q1": "yes", "q2": "no", "q3": "no", "q4": "no", "q5": "no"}),
    ("T15", {"q1": "no", "q2": "no", "q3": "no", "q4": "yes", "q5": "no"}),
])
def test_asq_any_yes_with_no_to_q5_is_non_acute_positive(case, answers):
    s, score = asq_run(**answers)
    assert s.is_visible("asq", "q5")
    assert score.band == "non-acute positive"
    flags = {f.id: f for f in s.evaluation.flags}
    assert "asq-acute" not in flags and flags["asq-non-acute"].level == "act-now"


def test_asq_yes_to_q5_is_acute_positive_and_act_now():
    """T16."""
    s, score = asq_run(q3="yes", q5="yes")
    assert score.band == "acute positive"
    flags = {f.id: f for f in s.evaluation.flags}
    assert flags["asq-acute"].level == "act-now" and "asq-non-acute" not in flags
    assert "alone" in flags["asq-acute"].action


@pytest.mark.parametrize("item", ["q1", "q2", "q3", "q4"])
def test_asq_refusal_is_a_positive_screen_and_q5_is_offered(item):
    """T17, NIMH ASQ tool "Next steps": "If patient answers Yes to any of questions 1 through
    4, or refuses to answer, they are considered a positive screen. Ask question #5 to assess
    acuity." So a refusal offers q5; with q5 not yet answered the screen is non-acute."""
    others = {q: "no" for q in ("q1", "q2", "q3", "q4") if q != item}
    s, score = asq_run(**others, **{item: "declined"})
    assert s.is_visible("asq", "q5")
    assert score.band == "non-acute positive"
    assert "asq-non-acute" in flag_ids(s)
    assert ("asq", "q5") in {(u.module, u.item) for u in s.evaluation.unresolved_safety_screens}


@pytest.mark.parametrize("item", ["q1", "q2", "q3", "q4"])
def test_asq_refusal_then_yes_to_q5_is_acute_positive_and_act_now(item):
    """NIMH ASQ tool "Next steps": "Yes" to question #5 = acute positive screen, whether the
    positive screen came from a yes or a refusal."""
    s, score = asq_run(**{item: "declined", "q5": "yes"})
    assert score.band == "acute positive"
    flags = {f.id: f for f in s.evaluation.flags}
    assert flags["asq-acute"].level == "act-now"
    assert not {"asq-non-acute", "asq-acuity-declined"} & set(flags)


def test_asq_acuity_question_declined_after_a_positive_screen_is_act_now():
    """Heard design safeguard (review finding 1): q5 refused after a positive screen leaves
    current thoughts unknown, so it is act-now ("do not leave alone until assessed")."""
    s, score = asq_run(q3="yes", q5="declined")
    assert score.band == "non-acute positive"
    flags = {f.id: f for f in s.evaluation.flags}
    assert flags["asq-acuity-declined"].level == "act-now"
    assert "asq-non-acute" not in flags
    assert "alone" in flags["asq-acuity-declined"].action


@pytest.mark.parametrize(("setting", "who"), [
    ("ed", "ED doctor or the CAMHS liaison"), ("gp", "yourself in this consultation"),
    ("school-nurse", "trained clinician"), ("custody", "custody healthcare professional"),
])
def test_non_acute_positive_stops_the_child_leaving_and_names_who_assesses(setting, who):
    """NIMH ASQ tool: non-acute positive - a brief suicide safety assessment is required and
    the patient "cannot leave until evaluated for safety". Act-now is the level that
    interrupts and must be acknowledged before completion; the action names who does the
    BSSA in each setting (review finding 2)."""
    s, score = asq_run(setting=setting, age=14, q1="yes", q5="no")
    flag = next(f for f in s.evaluation.flags if f.id == "asq-non-acute")
    assert flag.level == "act-now" and who in flag.action
    assert "brief suicide safety assessment" in flag.action


# -- fixed ids and verbatim wording -------------------------------------------------------------

PHQ9_ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family"
    " down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being"
    " so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]
GAD7_ITEMS = [
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
]
RESPONSES = [("0", "Not at all", 0), ("1", "Several days", 1),
             ("2", "More than half the days", 2), ("3", "Nearly every day", 3)]


@pytest.mark.parametrize(("module", "items", "stem"), [
    ("phq9", PHQ9_ITEMS,
     "Over the last 2 weeks, how often have you been bothered by any of the following problems?"),
    ("gad7", GAD7_ITEMS,
     "Over the last 2 weeks, how often have you been bothered by the following problems?"),
])
def test_instrument_wording_ids_and_codes_are_the_published_ones(module, items, stem):
    m = catalog().module(module)
    assert m.verbatim and m.ages.min == 12
    assert m.sections[0].intro == stem
    scored = [i for i in m.items() if i.id not in ("difficulty", "attribution")]
    assert [i.id for i in scored] == [f"q{n}" for n in range(1, len(items) + 1)]
    assert [i.prompt for i in scored] == items
    for item in scored:
        assert [(o.code, o.label, o.score) for o in item.options] == RESPONSES
        assert item.child_prompt is None and not item.setting_prompts
    difficulty = m.item("difficulty")
    assert [o.label for o in difficulty.options] == [
        "Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"]
    assert all(o.score is None for o in difficulty.options)


PFIZER_ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with"
    " an educational grant from Pfizer Inc. No permission required to reproduce, translate,"
    " display or distribute.")
DIFFICULTY = {
    # PHQ-9 form (phqscreeners.com); LOINC 69722-7 carries the same question.
    "phq9": "If you checked off any problems, how difficult have these problems made it for you"
            " to do your work, take care of things at home, or get along with other people?",
    # GAD-7 form with the Pfizer attribution line (phqscreeners.com transcription); the
    # Spitzer 2006 paper's figure reads "these problems made". See hazard log H-016.
    "gad7": "If you checked off any problems, how difficult have these made it for you to do"
            " your work, take care of things at home, or get along with other people?",
}
ASQ_ITEMS = {
    "q1": "In the past few weeks, have you wished you were dead?",
    "q2": "In the past few weeks, have you felt that you or your family would be better off if"
          " you were dead?",
    "q3": "In the past week, have you been having thoughts about killing yourself?",
    "q4": "Have you ever tried to kill yourself?",
    "q4_how": "If yes, how?",
    "q4_when": "When?",
    "q5": "Are you having thoughts of killing yourself right now?",
    "q5_describe": "If yes, please describe:",
    "attribution": "asQ Suicide Risk Screening Toolkit, NATIONAL INSTITUTE OF MENTAL HEALTH (NIMH)",
}


@pytest.mark.parametrize("module", ["phq9", "gad7"])
def test_pfizer_instruments_difficulty_stem_and_attribution_are_pinned(module):
    """Review finding 17: every character of the difficulty question and the form's own
    attribution line, shown with the items."""
    m = catalog().module(module)
    assert m.item("difficulty").prompt == DIFFICULTY[module]
    attribution = m.item("attribution")
    assert attribution.type.value == "info" and attribution.prompt == PFIZER_ATTRIBUTION
    assert m.items()[-1].id == "attribution"


def test_asq_wording_and_form_follow_ups_are_pinned_character_for_character():
    """NIMH ASQ tool: q1-q5 verbatim, the form's "If yes, how? When?" after q4 and "If yes,
    please describe" after q5, and the toolkit's attribution line."""
    m = catalog().module("asq")
    assert {i.id: i.prompt for i in m.items()} == ASQ_ITEMS
    assert all(i.child_prompt is None and not i.setting_prompts for i in m.items())
    assert all(m.item(q).type.value == "yes_no" for q in ("q1", "q2", "q3", "q4", "q5"))
    s = session("ed", 14, {("asq", "q4"): "yes", ("asq", "q5"): "yes"})
    assert all(s.is_visible("asq", i) for i in ("q4_how", "q4_when", "q5_describe"))
    calm = session("ed", 14, {("asq", "q4"): "no"})
    assert not any(calm.is_visible("asq", i) for i in ("q4_how", "q4_when", "q5_describe"))


# -- PHQ-2 and GAD-2 gates (ED and GP, for time) -------------------------------------------------

@pytest.mark.parametrize("setting", ["ed", "gp"])
def test_phq2_below_3_leaves_out_items_3_to_8_but_never_item_9(setting):
    """Kroenke et al. 2003; Richardson et al., Pediatrics 2010;125:e1097 (adolescents 13-17,
    cut-off 3). Item 9 stays: it is followed up whatever else (GLAD-PC)."""
    s = session(setting, 14, {**MOOD, ("phq9", "q1"): "1", ("phq9", "q2"): "1",
                              ("phq9", "difficulty"): "somewhat"})
    assert not any(s.is_visible("phq9", f"q{i}") for i in range(3, 9))
    assert s.is_visible("phq9", "q9")
    assert ("phq9", "q9") in {(u.module, u.item) for u in s.evaluation.unresolved_safety_screens}
    s.answer("phq9", "q9", "0")
    result = s.evaluation.module_result("phq9")
    phq2 = next(x for x in result.scores if x.id == "phq2")
    assert (phq2.value, phq2.band) == (2, "below")
    assert result.primary.value is None and result.primary.hidden == 6
    assert result.complete and result.not_scored is None
    assert not {"phq9-mild", "phq9-moderate-plus", "phq9-q9-unanswered"} & flag_ids(s)


@pytest.mark.parametrize(("q1", "q2"), [("2", "1"), ("declined", "0"), ("0", "declined")])
def test_phq2_of_3_or_a_declined_item_brings_in_the_full_phq9(q1, q2):
    s = session("gp", 14, {**MOOD, ("phq9", "q1"): q1, ("phq9", "q2"): q2})
    assert all(s.is_visible("phq9", f"q{i}") for i in range(3, 10))


def test_gad2_below_3_leaves_out_items_3_to_7_and_3_or_more_brings_them_in():
    """Kroenke et al., Ann Intern Med 2007;146:317-25: GAD-2 cut-off 3."""
    low = session("ed", 15, {**MOOD, ("gad7", "q1"): "1", ("gad7", "q2"): "1",
                             ("gad7", "difficulty"): "not_difficult"})
    assert not any(low.is_visible("gad7", f"q{i}") for i in range(3, 8))
    assert low.evaluation.module_result("gad7").complete
    high = session("ed", 15, {**MOOD, ("gad7", "q1"): "2", ("gad7", "q2"): "1"})
    assert all(high.is_visible("gad7", f"q{i}") for i in range(3, 8))


def test_school_nursing_keeps_the_full_forms():
    s = session(FULL, 14, {**MOOD, ("phq9", "q1"): "0", ("phq9", "q2"): "0",
                           ("gad7", "q1"): "0", ("gad7", "q2"): "0"})
    assert all(s.is_visible("phq9", f"q{i}") for i in range(3, 10))
    assert all(s.is_visible("gad7", f"q{i}") for i in range(3, 8))

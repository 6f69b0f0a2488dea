"""The published scoring rules of every shipped instrument, through plain engine calls.

T-numbers are the test cases in the clinical-instruments research note (section 13), derived
from the published rules: PHQ-9 (Kroenke et al. 2001; APA missing-item rule), GAD-7 (Spitzer et
al. 2006) and the NIMH ASQ pathway.
"""

from __future__ import annotations

import pytest

from .support import catalog, flag_ids, session

MOOD = {("psychosocial", "mood"): "yes"}  # brings the PHQ-9 and GAD-7 into the ED pathway


def run(module: str, scores: list[int | None], setting: str = "ed", age: int = 14):
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
    """T9: with 3 or more items missing the total is not used."""
    s, score = run("phq9", [3, 3, 3, 3, 3, 3])
    assert (score.value, score.band, score.missing) == (None, None, 3)
    assert not {"phq9-moderate-plus", "phq9-mild"} & flag_ids(s)


def test_phq9_proration_rounds_half_up():
    """Four 1s and four 0s, item 9 missing: 4 x 9 / 8 = 4.5, which rounds to 5 (mild)."""
    _, score = run("phq9", [1, 1, 1, 1, 0, 0, 0, 0])
    assert (score.value, score.band, score.prorated) == (5, "mild", True)


def test_phq9_declined_items_count_as_missing():
    s = session("ed", 14, {**MOOD, **{("phq9", f"q{i}"): "2" for i in range(1, 8)},
                           ("phq9", "q8"): "declined", ("phq9", "q9"): "declined"})
    score = s.evaluation.module_result("phq9").primary
    assert (score.value, score.missing, score.prorated) == (18, 2, True)
    assert "phq9-q9-declined" in flag_ids(s)


def test_phq9_difficulty_item_is_not_scored_and_only_follows_a_problem():
    s, score = run("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert not s.is_visible("phq9", "difficulty")
    s2 = session("ed", 14, {**MOOD, ("phq9", "q1"): "1", ("phq9", "difficulty"): "extremely"})
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
    scores: list[int | None] = [3, 3, 3, 3, 3, 3, 3]
    scores[missing - 1] = None
    s, score = run("gad7", scores)
    assert (score.value, score.band, score.missing) == (None, None, 1)
    assert "gad7-moderate-plus" not in flag_ids(s)


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
    assert "asq-acute" not in flags and flags["asq-non-acute"].level == "refer"


def test_asq_yes_to_q5_is_acute_positive_and_act_now():
    """T16."""
    s, score = asq_run(q3="yes", q5="yes")
    assert score.band == "acute positive"
    flags = {f.id: f for f in s.evaluation.flags}
    assert flags["asq-acute"].level == "act-now" and "asq-non-acute" not in flags
    assert "alone" in flags["asq-acute"].action


@pytest.mark.parametrize("item", ["q1", "q2", "q3", "q4"])
def test_asq_refusal_is_non_acute_positive(item):
    """T17: a child who refuses to answer is treated as a non-acute positive screen."""
    s, score = asq_run(**{item: "declined"})
    assert score.band == "non-acute positive"
    assert "asq-non-acute" in flag_ids(s)


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
    scored = [i for i in m.items() if i.id != "difficulty"]
    assert [i.id for i in scored] == [f"q{n}" for n in range(1, len(items) + 1)]
    assert [i.prompt for i in scored] == items
    for item in scored:
        assert [(o.code, o.label, o.score) for o in item.options] == RESPONSES
        assert item.child_prompt is None and not item.setting_prompts
    difficulty = m.item("difficulty")
    assert [o.label for o in difficulty.options] == [
        "Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"]
    assert all(o.score is None for o in difficulty.options)

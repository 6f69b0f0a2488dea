"""For every shipped flag: an assessment that raises it, and near-misses that must not.

Each case is (flag id, setting, age, answers that raise it, [answer sets that must not]).
Answers are {(module, item): value}, applied in order (an item must be shown to be answered).
A near-miss changes only what the flag's condition rests on, so "fires only then" is tested
against the closest assessment that should stay quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Answers = dict[tuple[str, str], Any]


@dataclass(frozen=True)
class FlagCase:
    flag: str
    setting: str
    age: int
    fires: Answers
    quiet: list[Answers]
    quiet_setting: str | None = None  # when the near-miss is another setting
    note: str = field(default="")


def phq(*scores: int | str | None) -> Answers:
    """PHQ-9 answers q1.. in order, after the mood worry that brings the PHQ-9 in."""
    out: Answers = {("psychosocial", "mood"): "yes"}
    for i, value in enumerate(scores, 1):
        if value is not None:
            out[("phq9", f"q{i}")] = value if value == "declined" else str(value)
    return out


def gad(*scores: int) -> Answers:
    out: Answers = {("psychosocial", "mood"): "yes"}
    out.update({("gad7", f"q{i}"): str(v) for i, v in enumerate(scores, 1)})
    return out


def known(*codes: str, **more: Any) -> Answers:
    out: Answers = {("context", "known"): list(codes)}
    out.update({("context", k): v for k, v in more.items()})
    return out


def teen(**items: Any) -> Answers:
    return {("teen-topics", k): v for k, v in items.items()}


def psy(**items: Any) -> Answers:
    return {("psychosocial", k): v for k, v in items.items()}


def sr(**items: Any) -> Answers:
    return {("self-rating", k): v for k, v in items.items()}


def asq(**items: Any) -> Answers:
    return {("asq", k): v for k, v in items.items()}


CASES: list[FlagCase] = [
    # -- ASQ (NIMH) --------------------------------------------------------------------------
    FlagCase("asq-acute", "ed", 14, asq(q3="yes", q5="yes"), [asq(q3="yes", q5="no")]),
    FlagCase("asq-non-acute", "ed", 14, asq(q1="yes", q5="no"),
             [asq(q1="no", q2="no", q3="no", q4="no"), asq(q1="yes", q5="yes"),
              asq(q1="yes", q5="declined")]),
    FlagCase("asq-acuity-declined", "gp", 13, asq(q2="declined", q5="declined"),
             [asq(q2="declined", q5="no"), asq(q2="declined", q5="yes")]),
    # -- PHQ-9 -------------------------------------------------------------------------------
    FlagCase("phq9-item9", "school-nurse", 14, phq(0, 0, 0, 0, 0, 0, 0, 0, 1),
             [phq(3, 3, 3, 3, 3, 3, 3, 3, 0)]),
    FlagCase("phq9-q9-declined", "school-nurse", 14, phq(1, 1, 1, 1, 1, 1, 1, 1, "declined"),
             [phq(1, 1, 1, 1, 1, 1, 1, 1, 0)]),
    FlagCase("phq9-q9-unanswered", "school-nurse", 14, phq(2, 2, 2, 2, 2, 2),
             [phq(2, 2, 2, 2, 2, 2, 2, 0, 0), phq(), phq(2, 2, 2, None, None, None, None, None,
                                                       "declined")]),
    FlagCase("phq9-moderate-plus", "school-nurse", 14, phq(2, 2, 2, 2, 2, 0, 0, 0, 0),
             [phq(2, 2, 2, 2, 1, 0, 0, 0, 0), phq(3, 3, 3)]),
    FlagCase("phq9-mild", "school-nurse", 14, phq(1, 1, 1, 1, 1, 0, 0, 0, 0),
             [phq(1, 1, 1, 1, 0, 0, 0, 0, 0), phq(2, 2, 2, 2, 2, 0, 0, 0, 0)]),
    # -- GAD-7 -------------------------------------------------------------------------------
    FlagCase("gad7-moderate-plus", "school-nurse", 15, gad(2, 2, 2, 1, 1, 1, 1),
             [gad(2, 2, 1, 1, 1, 1, 1), gad(3, 3, 3)]),
    FlagCase("gad7-mild", "school-nurse", 15, gad(1, 1, 1, 1, 1, 0, 0),
             [gad(1, 1, 1, 1, 0, 0, 0), gad(2, 2, 2, 1, 1, 1, 1)]),
    # -- ED triage ---------------------------------------------------------------------------
    FlagCase("ed-mh-presentation", "ed", 15, {("ed-triage", "reason"): "self_harm"},
             [{("ed-triage", "reason"): "injury"}, {("ed-triage", "reason"): "unexplained"}]),
    FlagCase("ed-injury-concern", "ed", 6, {("ed-triage", "reason"): "injury_concern"},
             [{("ed-triage", "reason"): "injury"}]),
    FlagCase("ed-intoxication", "ed", 15, {("ed-triage", "reason"): "alcohol_drugs"},
             [{("ed-triage", "reason"): "illness"}]),
    FlagCase("ed-repeat-attendance", "ed", 9, {("ed-triage", "repeat"): "yes"},
             [{("ed-triage", "repeat"): "no"}]),
    # -- School nursing ----------------------------------------------------------------------
    FlagCase("school-ehe", "school-nurse", 10, {("school-health", "reason"): "ehe"},
             [{("school-health", "reason"): "review"}]),
    # -- Custody -----------------------------------------------------------------------------
    FlagCase("custody-appropriate-adult", "custody", 16,
             {("custody-booking", "appropriate_adult"): "not_yet"},
             [{("custody-booking", "appropriate_adult"): "aa_scheme"}, {}],
             note="a checklist item: clears when an appropriate adult is recorded"),
    FlagCase("custody-aa-delayed", "custody", 14,
             {("custody-booking", "appropriate_adult"): "parent",
              ("custody-booking", "aa_status"): "delayed"},
             [{("custody-booking", "appropriate_adult"): "parent",
               ("custody-booking", "aa_status"): "called"}]),
    FlagCase("custody-juvenile-care", "custody", 15,
             {("custody-booking", "juvenile_care"): ["not_girl", "apart"]},
             [{("custody-booking", "juvenile_care"): ["girl_woman", "not_cell", "apart"]}, {}]),
    FlagCase("custody-welfare-repeat", "custody", 13,
             {("custody-booking", "appropriate_adult"): "aa_scheme",
              ("custody-booking", "aa_status"): "called",
              ("custody-booking", "aa_at_screen"): "no"},
             [{("custody-booking", "appropriate_adult"): "aa_scheme",
               ("custody-booking", "aa_status"): "called",
               ("custody-booking", "aa_at_screen"): "yes"}]),
    FlagCase("custody-s136", "custody", 15, {("custody-booking", "reason"): "s136"},
             [{("custody-booking", "reason"): "theft"}]),
    FlagCase("custody-welfare-person", "custody", 13,
             {("custody-booking", "welfare_informed"): "no"},
             [{("custody-booking", "welfare_informed"): "yes"}]),
    FlagCase("custody-unwell-now", "custody", 16,
             {("custody-booking", "presentation"): ["intoxicated"]},
             [{("custody-booking", "presentation"): ["none"]}]),
    FlagCase("custody-overnight", "custody", 16, {("custody-booking", "overnight"): "yes"},
             [{("custody-booking", "overnight"): "no"}]),
    FlagCase("custody-mh-assessment-needed", "custody", 15,
             {("custody-booking", "mh_history"): "yes"},
             [{("custody-booking", "mh_history"): "no"}]),
    FlagCase("custody-vulnerable", "custody", 14, {("slcn", "noticed"): ["understanding"]},
             [{("slcn", "noticed"): ["none"], ("slcn", "language"): "other_fluent"}]),
    FlagCase("custody-inspector-escalation", "custody", 15,
             {("custody-booking", "mh_history"): "yes",
              ("custody-booking", "mh_assessment"): "unavailable"},
             [{("custody-booking", "mh_history"): "yes",
               ("custody-booking", "mh_assessment"): "requested"}]),
    # -- Psychosocial ------------------------------------------------------------------------
    FlagCase("psy-unsafe-now", "ed", 11, psy(safety="yes", unsafe_now="yes"),
             [psy(safety="yes", unsafe_now="no")]),
    FlagCase("psy-exploitation", "custody", 15, psy(safety="yes", exploitation=["drugs_weapons"]),
             [psy(safety="yes", exploitation=["none"])]),
    FlagCase("psy-abuse-disclosed", "gp", 10, psy(safety="yes", abuse=["sexual"]),
             [psy(safety="yes", abuse=["none"])]),
    FlagCase("psy-abuse-going-back", "school-nurse", 9,
             psy(safety="yes", abuse=["physical"], with_abuser="yes"),
             [psy(safety="yes", abuse=["physical"], with_abuser="no")]),
    FlagCase("psy-sexual-assault-recent", "custody", 15,
             psy(safety="yes", abuse=["sexual"], abuse_when="week"),
             [psy(safety="yes", abuse=["sexual"], abuse_when="past"),
              psy(safety="yes", abuse=["physical"], abuse_when="week")]),
    FlagCase("psy-online-exploitation", "school-nurse", 13,
             psy(friends="yes", friends_detail=["sexual_online"]),
             [psy(friends="yes", friends_detail=["bullying"])]),
    FlagCase("psy-unusual-experiences", "ed", 15, psy(mood="yes", unusual="yes"),
             [psy(mood="yes", unusual="no")]),
    FlagCase("psy-home", "gp", 9, psy(home="yes", unsafe_now="no"),
             [psy(home="no"), psy(home="yes", unsafe_now="yes")]),
    FlagCase("psy-school", "school-nurse", 13, psy(school="yes"), [psy(school="no")]),
    FlagCase("psy-bullying", "gp", 10, psy(friends="yes", friends_detail=["bullying"]),
             [psy(friends="yes", friends_detail=["isolated"])]),
    FlagCase("psy-eating", "gp", 15, psy(eating="yes", eating_detail=["vomiting"]),
             [psy(eating="yes", eating_detail=["body_image"])]),
    FlagCase("psy-self-harm", "ed", 7, psy(self_harm="yes"), [psy(self_harm="no")]),
    FlagCase("psy-self-harm-now", "school-nurse", 14, psy(self_harm="yes", self_harm_now="yes"),
             [psy(self_harm="yes", self_harm_now="no"), psy(self_harm="no")]),
    FlagCase("psy-under8-self-harm", "gp", 7, psy(self_harm="yes"), [psy(self_harm="no")],
             note="the same answer at 8 raises no under-8 flag (tested in the pathway tests)"),
    FlagCase("psy-mood-persistent", "gp", 10, psy(mood="yes", duration="weeks", impact="yes"),
             [psy(mood="yes", duration="short", impact="yes"),
              psy(mood="yes", duration="months", impact="no")]),
    FlagCase("psy-mood", "school-nurse", 9, psy(mood="yes", duration="short", impact="yes"),
             [psy(mood="no"), psy(mood="yes", duration="months", impact="yes")]),
    # -- Teen topics -------------------------------------------------------------------------
    FlagCase("teen-substances", "gp", 15, teen(substances="yes", substances_often="tried"),
             [teen(substances="no"), teen(substances="yes", substances_often="daily")]),
    FlagCase("teen-substance-harm", "custody", 16, teen(substances="yes", substances_harm="yes"),
             [teen(substances="yes", substances_often="weekly", substances_harm="no")]),
    FlagCase("teen-relationship-harm", "school-nurse", 14,
             teen(relationships="yes", relationship_detail=["older_partner"]),
             [teen(relationships="yes", relationship_detail=["sexual_health"])]),
    FlagCase("teen-sexual-health", "gp", 16,
             teen(relationships="yes", relationship_detail=["sexual_health"]),
             [teen(relationships="yes", relationship_detail=["older_partner"])]),
    FlagCase("teen-identity-support", "school-nurse", 15, teen(identity="yes"),
             [teen(identity="no")]),
    # -- Context -----------------------------------------------------------------------------
    FlagCase("ctx-cp-plan", "ed", 8, known("cp"), [known("cin")]),
    FlagCase("ctx-looked-after", "custody", 15, known("looked_after"), [known("none")]),
    FlagCase("ctx-domestic-abuse", "gp", 6, known("domestic_abuse"), [known("parent_mh")]),
    FlagCase("ctx-uasc", "school-nurse", 15, known("uasc"), [known("none")]),
    FlagCase("ctx-missing", "custody", 14, known("missing"), [known("looked_after")]),
    FlagCase("ctx-fgm", "gp", 11, known("fgm", fgm_kind="known"), [known("none")]),
    FlagCase("ctx-uasc-trafficking", "ed", 16, known("uasc", trafficking=["debt"]),
             [known("uasc", trafficking=["none"])]),
    FlagCase("ctx-age-dispute", "custody", 17, known("uasc", age_disputed="yes"),
             [known("uasc", age_disputed="no")]),
    FlagCase("ctx-bereavement-trauma", "school-nurse", 10, known("bereavement"),
             [known("young_carer")]),
    FlagCase("ctx-radicalisation", "school-nurse", 15, known("radicalisation"), [known("none")]),
    FlagCase("ctx-young-carer", "school-nurse", 12, known("young_carer", young_carer_support="no"),
             [known("young_carer", young_carer_support="yes")]),
    FlagCase("ctx-not-in-school", "gp", 14, known("not_in_school"), [known("none")]),
    FlagCase("ctx-parental-needs", "ed", 10, known("parent_substance"), [known("domestic_abuse")]),
    FlagCase("ctx-neurodevelopmental", "custody", 14, known("adhd"), [known("yjs")]),
    FlagCase("ctx-waiting-no-support", "gp", 11, known("waiting_nd", waiting_support=["none"]),
             [known("waiting_nd", waiting_support=["school"])]),
    # -- Speech, language and communication --------------------------------------------------
    FlagCase("slcn-interpreter", "ed", 12,
             {("slcn", "language"): "other_needs", ("slcn", "interpreter"): "family"},
             [{("slcn", "language"): "other_needs", ("slcn", "interpreter"): "trained"}]),
    FlagCase("slcn-assessment", "school-nurse", 9,
             {("slcn", "noticed"): ["expressing"], ("slcn", "supports"): ["none"]},
             [{("slcn", "noticed"): ["expressing"], ("slcn", "supports"): ["slt"]},
              {("slcn", "noticed"): ["literacy"], ("slcn", "supports"): ["none"]}]),
    FlagCase("slcn-stammer", "custody", 15, {("slcn", "noticed"): ["stammer"]},
             [{("slcn", "noticed"): ["speech"]}]),
    FlagCase("slcn-hearing", "gp", 7, {("slcn", "noticed"): ["hearing"]},
             [{("slcn", "noticed"): ["none"]}]),
    # -- Child's self-rating -----------------------------------------------------------------
    FlagCase("sr-scared", "school-nurse", 9, sr(scared="yes"), [sr(scared="no")]),
    FlagCase("sr-hurt-self", "school-nurse", 13, sr(hurt_self="yes"), [sr(hurt_self="no")]),
    FlagCase("sr-feel-low", "school-nurse", 8, sr(feel=2), [sr(feel=3)]),
    FlagCase("sr-no-trusted-adult", "school-nurse", 11, sr(talk_to="no"), [sr(talk_to="yes")]),
    FlagCase("sr-wants-to-talk", "school-nurse", 16, sr(want_talk="yes"), [sr(want_talk="no")]),
    # -- The practitioner's own view --------------------------------------------------------
    FlagCase("judgement-act-now", "custody", 15,
             {("judgement", "concern"): "act_now",
              ("judgement", "concern_reason"): "Flat, says goodbye"},
             [{("judgement", "concern"): "refer"}, {("judgement", "concern"): "no"}]),
    FlagCase("judgement-refer", "ed", 6, {("judgement", "concern"): "refer"},
             [{("judgement", "concern"): "no"}, {("judgement", "concern"): "act_now"}]),
    FlagCase("judgement-safeguarding", "gp", 9,
             {("judgement", "concern"): "refer", ("judgement", "concern_about"): ["neglect"]},
             [{("judgement", "concern"): "refer",
               ("judgement", "concern_about"): ["mental_health"]}]),
    # -- Consent and sharing -----------------------------------------------------------------
    FlagCase("consent-share-without-consent", "gp", 15,
             {("consent", "share"): "refuses", ("consent", "lawful_basis"): "safeguarding"},
             [{("consent", "share"): "refuses", ("consent", "lawful_basis"): "not_sharing"}]),
    FlagCase("consent-screened-with-family", "ed", 14,
             {**asq(q1="no", q2="no", q3="no", q4="no"), ("consent", "present"): ["parent"]},
             [{**asq(q1="no", q2="no", q3="no", q4="no"), ("consent", "present"): ["alone"]},
              {("consent", "present"): ["parent"]}]),
    FlagCase("consent-safeguarding-override", "gp", 13,
             {**psy(safety="yes", unsafe_now="yes"),
              ("consent", "share"): "refuses", ("consent", "lawful_basis"): "not_sharing"},
             [{**psy(safety="yes", unsafe_now="yes"),
               ("consent", "share"): "refuses", ("consent", "lawful_basis"): "safeguarding"},
              {**psy(safety="yes", unsafe_now="no"),
               ("consent", "share"): "refuses", ("consent", "lawful_basis"): "not_sharing"}]),
]

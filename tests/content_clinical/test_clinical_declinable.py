"""Defect 18: "Declined to answer" only where the child is the one answering. Items the
staff answer from their own observation, records or knowledge (the reason for contact,
what they see, the appropriate adult checks, scores done elsewhere) are not declinable;
every item asked of the child keeps its "declined" option, and so does every safety screen
the child answers (a refusal is a recorded answer there: ``unresolved_safety_screens``)."""

from __future__ import annotations

from .support import catalog

# Every item answered by the staff themselves, by module. A new staff item belongs here.
STAFF_ANSWERED = {
    "consent": {"present", "gillick", "lawful_basis", "shared_with", "told_child"},
    "context": {"known", "external_scores", "social_worker", "waiting_since", "missing_last",
                "fgm_kind", "age_disputed", "trafficking", "young_carer_support",
                "education"},
    "custody-booking": {"reason", "appropriate_adult", "aa_status", "aa_times", "aa_at_screen",
                        "juvenile_care", "welfare_informed", "mh_history", "presentation",
                        "mh_assessment", "overnight"},
    "ed-triage": {"reason", "repeat"},
    "gp-consult": {"reason"},
    "school-health": {"reason"},
    "external-scores": {"instruments", "obtained_from", "sdq_version", "sdq_total",
                        "sdq_date", "wemwbs_total", "wemwbs_date", "swemwbs_score",
                        "swemwbs_date", "stirling_total", "stirling_date", "cssrs_outcome",
                        "cssrs_date", "other_name", "other_score", "other_date"},
    "judgement": {"concern", "concern_about", "concern_reason"},
    "psychosocial": {"exploitation"},
    "slcn": {"noticed", "language", "explain_back", "supports", "reading",
             "interpreter_language", "interpreter"},
}
VALIDATED = ("asq", "phq9", "gad7")


def _answerable():
    for loaded in catalog().modules.values():
        module = loaded.model
        for section in module.sections:
            for item in section.items:
                if item.answerable:
                    yield module, item


def test_exactly_the_staff_answered_items_have_no_declined_option():
    not_declinable: dict[str, set[str]] = {}
    for module, item in _answerable():
        if not item.declinable:
            not_declinable.setdefault(module.id, set()).add(item.id)
    assert not_declinable == STAFF_ANSWERED


def test_items_asked_of_the_child_keep_their_declined_option():
    for module, item in _answerable():
        asked_of_child = (item.child_facing or module.id in VALIDATED
                          or item.type.value == "child_words")
        if asked_of_child:
            assert item.declinable, f"{module.id}.{item.id} is asked of the child"


def test_safety_screens_the_child_answers_keep_declined():
    """The completion rule counts "declined" as an answer to a safety screen: only the
    appropriate adult (recorded by the custody officer) has none."""
    for module, item in _answerable():
        if item.safety_screen is not None and item.id not in STAFF_ANSWERED.get(module.id,
                                                                                  set()):
            assert item.declinable, f"{module.id}.{item.id}"

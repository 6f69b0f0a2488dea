"""Plain data for the review page: answers grouped by domain. No Qt."""

from __future__ import annotations

from ...assessment_result import AssessmentResult, visit_reason
from ...content.loader import Catalog
from ...wording import answer_text

OTHER = "Other questions"


def presenting_reason(catalog: Catalog, result: AssessmentResult) -> str | None:
    """Why the child is seen, in the setting's own words ("Why the child was brought in:
    Theft"): the answer to the setting's reason question (asked once, on page 1), found as
    the PDF finds it (``visit_reason``)."""
    reason = visit_reason(catalog, result)
    return f"{reason.label}: {reason.answer}" if reason is not None else None


def domain_title(domain: str | None) -> str:
    if not domain:
        return OTHER
    words = domain.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def answers_by_domain(catalog: Catalog,
                      result: AssessmentResult) -> list[tuple[str, list[tuple[str, str]]]]:
    """Counted answers as (domain, [(question, answer)]) in the order first met."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in result.counted_answers():
        loaded = catalog.modules.get(entry.module)
        item = loaded.model.item(entry.item) if loaded else None
        if item is None:
            prompt, answer, domain = f"{entry.module}.{entry.item}", str(entry.value), None
        else:
            prompt = item.prompt_for(result.setting)
            answer, domain = answer_text(item, entry.value), item.domain
        groups.setdefault(domain_title(domain), []).append((prompt, answer))
    ordered = sorted(groups.items(), key=lambda kv: kv[0] == OTHER)
    return ordered

"""Plain data for the review page: decisions in force, answers grouped by domain. No Qt."""

from __future__ import annotations

from ...content.loader import Catalog
from ..answers import answer_text

OTHER = "Other questions"


def latest_decisions(decisions: list[dict]) -> dict[str, dict]:
    """The decision in force per target (the last one recorded)."""
    latest: dict[str, dict] = {}
    for d in decisions:
        latest[d["target"]] = d
    return latest


def domain_title(domain: str | None) -> str:
    if not domain:
        return OTHER
    words = domain.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def answers_by_domain(catalog: Catalog, result: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Counted answers as (domain, [(question, answer)]) in the order first met."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in result.get("answers", []):
        if not entry.get("counted", True):
            continue
        loaded = catalog.modules.get(entry["module"])
        item = loaded.model.item(entry["item"]) if loaded else None
        if item is None:
            prompt, answer, domain = f"{entry['module']}.{entry['item']}", str(entry["value"]), None
        else:
            prompt = item.prompt_for(result.get("setting"))
            answer, domain = answer_text(item, entry["value"]), item.domain
        groups.setdefault(domain_title(domain), []).append((prompt, answer))
    ordered = sorted(groups.items(), key=lambda kv: kv[0] == OTHER)
    return ordered

"""How a screen's result is worded in one line, for page 1 and the terminal (one wording).

An incomplete summed screen (no total) says "at least N, incomplete": N is the sum of the
items answered, a certain floor. Its band is named only when every total it could still
reach lies in that band: "at least 3" beside "below 3 (0-2)" would be false (H-012). A
band from another score (the PHQ-2 gate) is named with that score, never as the screen's.
"""

from __future__ import annotations

from ..assessment_result import ModuleOutcome
from ..content.models import DECLINED, Item, ItemType, Module
from ..engine.results import ScoreResult


def result_text(outcome: ModuleOutcome, module: Module | None, answered: set[str]) -> str:
    """The result in words ("14, moderate (10-14)"; "at least 3, incomplete; PHQ-2 2: below
    3 (0-2): ..."), or "" if there is none yet. ``answered``: the ids of the module's items
    answered (not declined) and counted."""
    parts: list[str] = []
    primary = outcome.primary
    other: str | None = None  # another score's band, named with its score
    if outcome.not_scored:
        parts.append(outcome.not_scored)
    elif outcome.score is not None:
        parts.append(f"{outcome.score}" + (" (prorated)" if outcome.prorated else ""))
    elif outcome.at_least is not None:
        parts.append(f"at least {outcome.at_least}, incomplete")
    if outcome.score is None and outcome.at_least is not None and primary is not None:
        band = certain_band(primary, module, answered)
    else:
        band = outcome.band_label or outcome.band
    if band:
        parts.append(band[:1].lower() + band[1:] if parts else band)
    elif primary is None:  # a screen with no primary score (psychosocial): its other score
        parts.append(_other_band(outcome, named=False) or "")
    elif outcome.score is None:
        other = _other_band(outcome, named=True)
    text = ", ".join(p for p in parts if p)
    if other:
        text = f"{text}; {other}" if text else other
    return text


def _other_band(outcome: ModuleOutcome, *, named: bool) -> str | None:
    other = next((sc for sc in outcome.scores if not sc.primary and sc.band), None)
    if other is None:
        return None
    band = other.band_label or other.band or ""
    if not named:
        return band
    value = f" {other.value}" if other.value is not None else ""
    return f"{short_label(other.label)}{value}: {band[:1].lower() + band[1:]}"


def short_label(label: str) -> str:
    """ "PHQ-2 (items 1 and 2, 0-6)" -> "PHQ-2"."""
    return label.split(" (", 1)[0].strip() or label


def certain_band(score: ScoreResult, module: Module | None,
                 answered: set[str]) -> str | None:
    """The band of an incomplete sum that every total still possible falls in, else None."""
    model = module.score(score.id) if module else None
    if module is None or model is None or model.sum is None or score.at_least is None:
        return None
    highest = float(score.at_least)
    for item_id in model.sum:
        if item_id in answered:
            continue
        most = _most(module.item(item_id))
        if most is None:
            return None
        highest += most
    for band in model.bands:
        if band.min is not None and band.max is not None \
                and band.min <= score.at_least and highest <= band.max:
            return band.label or band.code
    return None


def _most(item: Item | None) -> float | None:
    """The highest score an item can add, or None if it cannot be told."""
    if item is None:
        return None
    if item.type in (ItemType.SCALE, ItemType.NUMBER):
        return float(item.max) if item.max is not None else None
    if item.type == ItemType.YES_NO:
        scores = [s for s in (item.yes_score, item.no_score) if s is not None]
        return float(max(scores)) if scores else None
    scores = [o.score for o in item.options if o.score is not None]
    if not scores:
        return None
    return float(sum(s for s in scores if s > 0)) if item.type == ItemType.MULTI_CHOICE \
        else float(max(scores))


def answered_items(outcome: ModuleOutcome, answers: list[tuple[str, str, object]]) -> set[str]:
    """The ids of ``outcome``'s items with a counted answer that is not "declined";
    ``answers``: (module, item, value) of the counted answers."""
    return {item for module, item, value in answers
            if module == outcome.module and value is not None and value != DECLINED}

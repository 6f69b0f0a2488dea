"""The walkthrough's pages and progress, worked out from the session. No Qt here.

A page is one section of one module in pathway order; it is shown while any of its items
is visible, so branching can add or remove whole pages as answers change.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..app import AssessmentSession
from ..content.models import Item, Module, Section


@dataclass(frozen=True)
class Page:
    module: Module
    section: Section

    @property
    def key(self) -> tuple[str, str]:
        return (self.module.id, self.section.id)

    def holds(self, module_id: str, item_id: str) -> bool:
        return module_id == self.module.id and any(i.id == item_id for i in self.section.items)


def pages(session: AssessmentSession) -> list[Page]:
    out = []
    for module in session.modules():
        for section in module.sections:
            if any(session.is_visible(module.id, i.id) for i in section.items):
                out.append(Page(module, section))
    return out


def page_index(all_pages: list[Page], module_id: str, item_id: str) -> int | None:
    return next((n for n, p in enumerate(all_pages) if p.holds(module_id, item_id)), None)


def parse_position(current_item: str | None) -> tuple[str, str] | None:
    if not current_item or "." not in current_item:
        return None
    module_id, item_id = current_item.split(".", 1)
    return module_id, item_id


def progress(session: AssessmentSession) -> tuple[int, int]:
    """(answered, shown) over the questions shown now."""
    shown = [(m.id, i.id) for m, i in session.visible_items() if i.answerable]
    answered = sum(1 for key in shown if session.answers.get(key) is not None)
    return answered, len(shown)


def unanswered(session: AssessmentSession) -> list[tuple[Module, Item]]:
    return [(m, i) for m, i in session.visible_items()
            if i.answerable and i.required and session.answers.get((m.id, i.id)) is None]


def child_items(session: AssessmentSession) -> list[tuple[Module, Item]]:
    """What a child may see and answer on the screen: child-facing, shown, not staff notes."""
    return [(m, i) for m, i in session.visible_items()
            if i.child_facing and not i.staff_note]


def child_items_possible(session: AssessmentSession) -> list[tuple[str, str]]:
    """Every child question the pathway could show, shown now or not (a steady total for
    the child's progress: branching only ever skips some of them)."""
    return [(m.id, i.id) for m in session.modules() for section in m.sections
            for i in section.items if i.child_facing and not i.staff_note and i.answerable]

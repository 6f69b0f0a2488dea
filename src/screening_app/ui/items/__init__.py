"""Question widgets, one small class per item type, created from the content model."""

from __future__ import annotations

from ...content.models import Item, ItemType
from .base import ItemWidget
from .choice import SingleChoiceItem, YesNoItem
from .entry import DateItem, NumberItem, text_item_class
from .info import InfoItem
from .multi import MultiChoiceItem
from .scale import ScaleItem, scale_fits_buttons


def widget_class(item: Item) -> type[ItemWidget]:
    t = item.type
    if t == ItemType.YES_NO:
        return YesNoItem
    if t == ItemType.SINGLE_CHOICE:
        return SingleChoiceItem
    if t == ItemType.MULTI_CHOICE:
        return MultiChoiceItem
    if t == ItemType.SCALE:
        return ScaleItem if scale_fits_buttons(item) else NumberItem
    if t == ItemType.NUMBER:
        return NumberItem
    if t == ItemType.DATE:
        return DateItem
    if t in (ItemType.TEXT, ItemType.CHILD_WORDS):
        return text_item_class(item)
    return InfoItem


def create_item_widget(item: Item, setting: str, *, child: bool = False,
                       parent=None) -> ItemWidget:  # noqa: ANN001
    """The widget for ``item``: the setting's wording for staff, the child's wording for a
    child (falling back to the staff prompt when the content has no child wording)."""
    prompt = (item.child_prompt or item.prompt) if child else item.prompt_for(setting)
    shown = item.for_setting(setting)  # options offered in this setting only
    return widget_class(shown)(shown, prompt, child=child, parent=parent)


__all__ = ["ItemWidget", "create_item_widget", "widget_class"]

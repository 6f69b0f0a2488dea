"""Information for the practitioner (or child): text, no answer."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ..theme import set_card
from .base import ItemWidget


class InfoItem(ItemWidget):
    def build(self, layout: QVBoxLayout) -> None:
        self.prompt_label.set_scale(self.prompt_label._scale, bold=False)
        set_card(self, card=False)  # text, not a question: no card

    def focus_first(self) -> None:
        """Nothing to focus: the page skips information items."""

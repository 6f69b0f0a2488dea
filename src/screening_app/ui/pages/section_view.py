"""One page of the walkthrough: a section's questions, created from the content."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...app import AssessmentSession
from ..items import ItemWidget, create_item_widget
from ..plan import Page
from ..widgets import PlainLabel, heading, hint, hline


class SectionView(QWidget):
    """Holds an ItemWidget per item (hidden ones too, so branching only toggles them)."""

    answered = Signal(str, str, object)  # module, item, value (None: answer taken back)
    advance = Signal(object)             # the ItemWidget a number key answered

    def __init__(self, page: Page, session: AssessmentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        module, section = page.module, page.section
        self.setObjectName(f"section-{module.id}-{section.id}")
        layout = QVBoxLayout(self)
        if module.title.strip().lower() != section.title.strip().lower():
            layout.addWidget(hint(module.title, self))
        layout.addWidget(heading(section.title, 1, self))
        intro = section.intro_for(session.setting)
        if intro:
            layout.addWidget(PlainLabel(intro, self))
        if module.verbatim:
            layout.addWidget(hint("Ask these questions exactly as written.", self))
        layout.addWidget(hline(self))
        self.widgets: dict[str, ItemWidget] = {}
        for item in section.items:
            widget = create_item_widget(item, session.setting, parent=self)
            if item.staff_note:
                widget.prompt_label.setText(f"{widget.prompt}  (staff note, not shown to "
                                            f"the child)")
            value = session.answers.get((module.id, item.id))
            if value is not None:
                widget.set_value(value)
            widget.setVisible(session.is_visible(module.id, item.id))
            widget.answered.connect(lambda v, i=item.id: self.answered.emit(module.id, i, v))
            widget.cleared.connect(lambda i=item.id: self.answered.emit(module.id, i, None))
            widget.advance.connect(lambda w=widget: self.advance.emit(w))
            self.widgets[item.id] = widget
            layout.addWidget(widget)
        layout.addStretch(1)

    def refresh_visibility(self, session: AssessmentSession) -> None:
        for item_id, widget in self.widgets.items():
            shown = session.is_visible(self.page.module.id, item_id)
            if shown == widget.isHidden():
                widget.setVisible(shown)

    def refresh_values(self, session: AssessmentSession) -> None:
        """Show the saved answers again (a change that was not made is undone on screen)."""
        for item_id, widget in self.widgets.items():
            value = session.answers.get((self.page.module.id, item_id))
            if value is not None and value != widget.value:
                widget.set_value(value)

    def answerable(self) -> list[ItemWidget]:
        """Questions shown now, in order (information items left out)."""
        return [w for w in self.widgets.values()
                if w.item.answerable and not w.isHidden()]

    def widget_for(self, item_id: str) -> ItemWidget | None:
        return self.widgets.get(item_id)

    def flush(self) -> None:
        for widget in self.widgets.values():
            if not widget.isHidden():
                widget.flush()

    def item_after(self, widget: ItemWidget) -> ItemWidget | None:
        shown = self.answerable()
        if widget not in shown:
            return None
        index = shown.index(widget)
        return shown[index + 1] if index + 1 < len(shown) else None

    def first_unanswered(self) -> ItemWidget | None:
        shown = self.answerable()
        return next((w for w in shown if w.value is None), shown[0] if shown else None)

    def item_containing(self, widget: QWidget | None) -> ItemWidget | None:
        while widget is not None and widget is not self:
            if isinstance(widget, ItemWidget):
                return widget
            widget = widget.parentWidget()
        return None

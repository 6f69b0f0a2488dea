"""The walkthrough: one section per page, saved answer by answer.

Always on screen: where the practitioner is in the pathway, how much is answered, and the
flags raised so far. An act-now flag interrupts at once and must be acknowledged.
Keyboard: number keys (then letters past the tenth option) answer, Enter moves to the next
question, first saying so when it is left blank (or page from the last
one), Ctrl+Enter always goes to the next page, Alt+B back.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ...app import Changes, OpenAssessment
from ...wording import breakable, isolate, setting_name
from .. import plan
from ..dialogs import ActNowDialog, ReasonDialog, in_error_recorder
from ..items import ItemWidget
from ..saver import AnswerSaver
from ..theme import set_card, set_primary, spacing
from ..widgets import Banner, PlainLabel, heading, hint
from .flags_panel import FlagsPanel
from .section_view import SectionView

NARROW = 820  # below this width the flags panel moves under the questions
SKIP_WARNING = "Not answered yet. Press Enter again to leave it blank and go on."


class WalkthroughPage(QWidget):
    review_requested = Signal()
    home_requested = Signal()
    child_mode_requested = Signal()
    reopen_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("walkthrough")
        self.assessment: OpenAssessment | None = None
        self.saver: AnswerSaver | None = None
        self.view: SectionView | None = None
        self.pages: list[plan.Page] = []
        self.index = 0
        self._act_now_queue: deque = deque()
        self.act_now_dialog: ActNowDialog | None = None
        self.hold_interruptions = False  # child mode: act-now waits for the staff member
        self._banner_kind = ""

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading("", 2, self)
        top.addWidget(self.title, 1)
        self.child_button = QPushButton("Hand to &child", self)
        self.child_button.setAccessibleName("Hand the screen to the child")
        self.child_button.clicked.connect(self._child_mode)
        top.addWidget(self.child_button)
        self.review_button = QPushButton("&Review", self)
        self.review_button.setAccessibleName("Review results")
        self.review_button.clicked.connect(self._review)
        top.addWidget(self.review_button)
        self.home_button = QPushButton("&Home", self)
        self.home_button.setAccessibleName("Home (the draft is saved)")
        self.home_button.clicked.connect(self._home)
        top.addWidget(self.home_button)
        # Defect 27: a draft started by mistake (wrong child, wrong setting) is set aside
        # here, with a reason; nothing is deleted.
        self.discard_button = QPushButton("Discard draft…", self)
        self.discard_button.setAccessibleName("Discard this draft (started by mistake)")
        self.discard_button.clicked.connect(self.ask_discard)
        top.addWidget(self.discard_button)
        self.discard_dialog: ReasonDialog | None = None
        layout.addLayout(top)

        self.banner = Banner(self)
        self.banner.action_clicked.connect(self._banner_action)
        layout.addWidget(self.banner)

        where = QHBoxLayout()
        self.where = PlainLabel("", self, wrap=True)
        where.addWidget(self.where, 1)
        self.progress_label = PlainLabel("", self, wrap=False)
        self.progress_label.setMinimumWidth(
            self.progress_label.fontMetrics().horizontalAdvance("999 of 999 answered_"))
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        where.addWidget(self.progress_label)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Questions answered")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(160)
        self.progress.setFixedHeight(max(8, self.fontMetrics().height() // 2))
        where.addWidget(self.progress)
        layout.addLayout(where)

        self.content = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.content.addWidget(self.scroll, 3)
        self.flags = FlagsPanel(self)
        self.flags.setMinimumWidth(220)
        self.content.addWidget(self.flags, 1)
        layout.addLayout(self.content, 1)

        bottom = QHBoxLayout()
        self.back_button = QPushButton("&Back", self)
        self.back_button.setAccessibleName("Previous section")
        self.back_button.setAutoDefault(True)
        self.back_button.clicked.connect(self.back)
        bottom.addWidget(self.back_button)
        self.saved_label = PlainLabel("", self, wrap=False)
        self.saved_label.setObjectName("saved-label")
        self.saved_label.setMinimumWidth(
            self.saved_label.fontMetrics().horizontalAdvance("Saved 00:00:00__"))
        bottom.addWidget(self.saved_label)
        bottom.addStretch(1)
        keys = hint("Keys: 1-9, 0, then a-z answer; Enter = next", self)
        keys.setWordWrap(False)
        bottom.addWidget(keys)
        self.next_button = QPushButton("&Next", self)
        self.next_button.setAutoDefault(True)
        set_primary(self.next_button)
        self.next_button.clicked.connect(self.next)
        bottom.addWidget(self.next_button)
        layout.addLayout(bottom)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.next)
        self._current_card: ItemWidget | None = None
        self._skip_warned = set()  # questions whose "not answered" warning was shown
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The question holding focus is outlined and scrolled into view, however focus
        got there (a number key, Tab, Enter, a click, resuming)."""
        if self.view is None or new is None or not self.isVisible():
            return
        card = self.view.item_containing(new)
        if card is None:
            return
        if self._current_card is not card:
            # On this page (_show_page forgets it); a card rebuilt meanwhile (back from
            # child mode) is gone already and has nothing to un-outline.
            if self._current_card is not None and isValid(self._current_card):
                set_card(self._current_card, current=False)
            set_card(card, current=True)
            self._current_card = card
        self.scroll_to(card, new)

    def scroll_to(self, card: QWidget, focus: QWidget | None = None) -> None:
        """The whole question when it fits, else at least its focused control."""
        margin = spacing()
        self.scroll.ensureWidgetVisible(card, margin, margin)
        if focus is not None and focus is not card:
            self.scroll.ensureWidgetVisible(focus, margin, margin)

    # -- opening ----------------------------------------------------------------------------
    def open(self, assessment: OpenAssessment) -> None:
        self.assessment = assessment
        if self.saver is not None:
            self.saver.deleteLater()
        self.saver = AnswerSaver(assessment, self)
        self.saver.saved.connect(self._saved)
        self.saver.rejected.connect(self._rejected)
        self.saver.failed.connect(self._failed)
        self.saver.conflict.connect(self._conflict)
        self.saver.reason_needed.connect(self._reason_needed)
        self.banner.hide()
        self._act_now_queue.clear()
        self.saved_label.setText("")
        record = assessment.record
        parts = [setting_name(record.setting), f"age {record.age}"]
        if record.reference:
            parts.append(f"ref {isolate(breakable(record.reference))}")
        if record.amend_reason:
            parts.append(f"version {record.version} (amendment)")
        self.title.setText(" · ".join(parts))
        self.title.setAccessibleName(self.title.text())
        notes = []
        if record.amend_reason:  # defect 31: an amended draft says so
            notes.append(f"This draft amends version {record.version - 1}, which stays as it "
                         f"was completed. Reason: {isolate(record.amend_reason)}.")
        if assessment.content_changed:
            notes.append("The questionnaire content has changed since this draft was started ("
                         + ", ".join(assessment.content_changed)
                         + "). Check the answers on each page.")
        if notes:
            self.banner.show_message(" ".join(notes), error=False)
        self.pages = plan.pages(assessment.session)
        index, item_id = self.resume_position()
        self._show_page(index, focus_item=item_id, remember=False)
        self._refresh_flags()
        self._refresh_progress()
        QTimer.singleShot(0, self, self.prompt_unacknowledged)

    def ask_discard(self) -> None:
        dialog = ReasonDialog(
            "Discard draft", "Set aside a draft started by mistake (the wrong child, the "
            "wrong setting, a test entry). Nothing is deleted: the draft leaves the lists and "
            "the reason is kept in the audit trail.", parent=self)
        dialog.accepted.connect(lambda: self._discard(dialog.reason_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.discard_dialog = dialog
        dialog.open()

    def _discard(self, reason: str) -> None:
        from ...app import RuleRefused, StoreError

        assert self.assessment is not None
        self.flush()  # an answer still being typed is saved first: nothing is lost
        try:
            self.assessment.discard(reason)
        except (StoreError, RuleRefused) as exc:
            self._show_banner(f"Not discarded: {exc}", kind="answer")
            return
        self.home_requested.emit()

    def resume_position(self) -> tuple[int, str | None]:
        """Where a reopened draft lands: the first question not yet answered from the
        remembered one on (the next key must never overwrite a given answer), else the
        remembered question itself."""
        assert self.assessment is not None
        session = self.assessment.session
        position = plan.parse_position(self.assessment.record.current_item)
        start = plan.page_index(self.pages, *position) if position else None
        start = start or 0
        for index in range(start, len(self.pages)):
            page = self.pages[index]
            for item in page.section.items:
                key = (page.module.id, item.id)
                if index == start and position and not self._at_or_after(page, item.id,
                                                                         position[1]):
                    continue
                if item.answerable and session.is_visible(*key) \
                        and session.answers.get(key) is None:
                    return index, item.id
        return start, position[1] if position else None

    @staticmethod
    def _at_or_after(page: plan.Page, item_id: str, remembered: str) -> bool:
        ids = [i.id for i in page.section.items]
        return remembered not in ids or ids.index(item_id) >= ids.index(remembered)

    def prompt_unacknowledged(self) -> None:
        """Interrupt with every act-now flag not yet acknowledged (e.g. after a resume)."""
        if self.assessment is None:
            return
        ids = set(self.assessment.unacknowledged_act_now())
        for flag in self.assessment.session.evaluation.flags:
            if flag.id in ids and all(f.id != flag.id for f in self._act_now_queue):
                self._act_now_queue.append(flag)
        self._next_interruption()

    # -- pages ------------------------------------------------------------------------------
    def _show_page(self, index: int, *, focus_item: str | None = None,
                   remember: bool = True) -> None:
        assert self.assessment is not None
        if self.view is not None:
            self.view.flush()
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.view = None
        self._current_card = None
        if not self.pages:
            self.index = 0
            self.scroll.setWidget(PlainLabel(
                "Nothing in this pathway applies to this child. Go to Review to see what "
                "to do instead.", self))
            self._refresh_nav()
            return
        self.index = max(0, min(index, len(self.pages) - 1))
        page = self.pages[self.index]
        self.view = SectionView(page, self.assessment.session)
        self.view.answered.connect(self._answered)
        self.view.advance.connect(self._advance_from)
        self.scroll.setWidget(self.view)
        self.scroll.verticalScrollBar().setValue(0)
        self._skip_warned: set[str] = set()
        self._set_tab_order()
        self._refresh_nav()
        target = self.view.widget_for(focus_item) if focus_item else None
        if target is None or target.isHidden():
            target = self.view.first_unanswered()
        if target is not None:
            target.focus_first()
        else:
            self.next_button.setFocus()
        if remember and target is not None:
            self._remember(page.module.id, target.item.id)

    def _set_tab_order(self) -> None:
        """Tab follows reading order: the header, the questions, then Back and Next."""
        assert self.view is not None
        chain = [self.child_button, self.review_button, self.home_button]
        chain += [w for w in self.view.findChildren(QWidget)
                  if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += [self.back_button, self.next_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _refresh_nav(self) -> None:
        count = len(self.pages)
        self.back_button.setEnabled(self.index > 0)
        last = self.index >= count - 1
        self.next_button.setText("&Finish: review" if last else "&Next")
        self.next_button.setAccessibleName("Review results" if last else "Next section")
        if count:
            page = self.pages[self.index]
            self.where.setText(f"Section {self.index + 1} of {count}: {page.section.title}")
        else:
            self.where.setText("No sections")
        session = self.assessment.session if self.assessment else None
        a = self.assessment
        self.child_button.setVisible(bool(session and a and any(
            a.child_may_answer(m.id, i.id) for m, i in plan.child_items(session))))

    def _refresh_progress(self) -> None:
        assert self.assessment is not None
        answered, shown = plan.progress(self.assessment.session)
        self.progress.setMaximum(max(shown, 1))
        self.progress.setValue(answered)
        self.progress_label.setText(f"{answered} of {shown} answered")
        self.progress.setAccessibleDescription(f"{answered} of {shown} questions answered")

    def _refresh_flags(self) -> None:
        """The flags so far, and (when they change) the communication profile they bring."""
        assert self.assessment is not None
        acknowledged = [a.flag_id for a in self.assessment.record.acknowledgements]
        wrong = self.assessment.flags_in_error()  # shown at review, not as active flags
        self.flags.set_flags([f for f in self.assessment.session.evaluation.flags
                              if f.id not in wrong], acknowledged)
        self._refresh_talk()

    def _refresh_talk(self) -> None:
        """The communication profile so far (in memory: no store read on an answer)."""
        assert self.assessment is not None
        needs = sorted(self.assessment.session.evaluation.communication,
                       key=lambda n: n.priority)
        self.flags.set_communication(needs)

    def next(self) -> None:
        if self.assessment is None:
            return
        self.flush()
        if self.index + 1 < len(self.pages):
            self._show_page(self.index + 1)
        else:
            self._review()

    def back(self) -> None:
        if self.assessment is None or self.index == 0:
            return
        self.flush()
        self._show_page(self.index - 1)

    def go_to(self, module_id: str, item_id: str) -> None:
        self.flush()
        index = plan.page_index(self.pages, module_id, item_id)
        if index is not None:
            self._show_page(index, focus_item=item_id)

    def flush(self) -> None:
        """Send anything typed but not yet saved (before navigation, locking or closing)."""
        if self.view is not None:
            self.view.flush()

    def remember_position(self) -> None:
        """Save where the practitioner is: the focused question, else the page's first."""
        if self.assessment is None or self.assessment.read_only or self.view is None:
            return
        from PySide6.QtWidgets import QApplication

        widget = self.view.item_containing(QApplication.focusWidget())
        widget = widget or self.view.first_unanswered()
        if widget is not None:
            self._remember(self.view.page.module.id, widget.item.id)

    def _remember(self, module_id: str, item_id: str) -> None:
        from ...app import StoreError

        assert self.assessment is not None
        if self.assessment.record.current_item == f"{module_id}.{item_id}":
            return
        try:
            self.assessment.move_to(module_id, item_id)
            self.assessment.record.current_item = f"{module_id}.{item_id}"
        except StoreError as exc:
            self.banner.show_message(f"Could not remember this position: {exc}")

    # -- answering --------------------------------------------------------------------------
    def _answered(self, module_id: str, item_id: str, value: object) -> None:
        assert self.saver is not None
        self.saver.save(module_id, item_id, value)

    def _item_widget(self, key: tuple[str, str]):  # noqa: ANN202
        if self.view is None or self.view.page.module.id != key[0]:
            return None
        return self.view.widget_for(key[1])

    def _saved(self, key: tuple[str, str], changes: Changes) -> None:
        assert self.assessment is not None
        self.assessment.record.current_item = f"{key[0]}.{key[1]}"
        widget = self._item_widget(key)
        if widget is not None:
            widget.mark_saved()
        self.saved_label.setText(f"Saved {time.strftime('%H:%M:%S')}")
        if self.view is not None and (changes.shown or changes.hidden):
            self.view.refresh_visibility(self.assessment.session)
        if changes.shown or changes.hidden or changes.modules_started or changes.modules_stopped:
            current = self.pages[self.index].key if self.pages else None
            self.pages = plan.pages(self.assessment.session)
            keys = [p.key for p in self.pages]
            if current in keys:
                self.index = keys.index(current)
            self._refresh_nav()
        self._refresh_progress()
        if changes.flags_raised or changes.flags_cleared:
            self._refresh_flags()
        else:
            self._refresh_talk()
        for flag in changes.flags_raised:
            if flag.level == "act-now":
                self._act_now_queue.append(flag)
        if self.banner.isVisible() and self.saver and not self.saver.unsaved \
                and self._banner_kind == "store":
            self.banner.hide()
        self._next_interruption()

    def _rejected(self, key: tuple[str, str], message: str) -> None:
        widget = self._item_widget(key)
        if widget is not None:
            widget.mark_unsaved(message)
        else:
            self._show_banner(message, kind="answer")

    def _show_banner(self, message: str, *, action: str | None = None, kind: str) -> None:
        self._banner_kind = kind
        self.banner.show_message(message, action=action)

    def _failed(self, key: tuple[str, str], message: str) -> None:
        widget = self._item_widget(key)
        if widget is not None:
            widget.mark_unsaved()
        self.saved_label.setText("Not saved")
        self._show_banner(f"{message}. Your answer is kept on screen.", action="Try again",
                          kind="store")

    def _reason_needed(self, key: tuple[str, str], value: object, message: str) -> None:
        """Changing an answer that raised an act-now flag: the flag stays on the record,
        and the change needs a reason. Cancelling keeps the earlier answer."""
        from ..dialogs import ReasonDialog

        assert self.assessment is not None
        dialog = ReasonDialog("Change a disclosure", message[:1].upper() + message[1:] + ".",
                              parent=self)

        def record() -> None:
            if self.saver is not None:
                self.saver.save(key[0], key[1], value, reason=dialog.reason_text())

        def keep() -> None:
            if self.view is not None and self.assessment is not None:
                self.view.refresh_values(self.assessment.session)
            widget = self._item_widget(key)
            if widget is not None:  # nothing is being saved: not "Saving…" (walk finding)
                widget.clear_status()

        dialog.accepted.connect(record)
        dialog.rejected.connect(keep)
        dialog.finished.connect(dialog.deleteLater)
        self.reason_dialog = dialog
        dialog.open()

    def _conflict(self, message: str) -> None:
        self.saved_label.setText("Not saved")
        self._show_banner(message, action="Reopen", kind="conflict")

    def _banner_action(self) -> None:
        if self._banner_kind == "store" and self.saver is not None:
            if self.saver.retry():
                self.banner.hide()
        elif self._banner_kind == "conflict" and self.assessment is not None:
            self.reopen_requested.emit(self.assessment.id)

    def _advance_from(self, widget) -> None:  # noqa: ANN001
        assert self.view is not None
        following = self.view.item_after(widget)
        if following is not None:
            following.focus_first()
        else:
            self.next_button.setFocus(Qt.FocusReason.TabFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view is not None:
            from PySide6.QtWidgets import QApplication

            widget = self.view.item_containing(QApplication.focusWidget())
            if widget is not None:
                widget.flush()
            self.enter_from(widget)
            event.accept()
            return
        super().keyPressEvent(event)

    def enter_from(self, widget: ItemWidget | None) -> None:
        """Enter: on to the next question, or the next page from the last one. An
        unanswered question is never passed silently: the first Enter says so and stays,
        a second Enter leaves it blank. From the end of the page, questions left blank
        without that warning are visited first."""
        assert self.view is not None
        if widget is not None and widget.value is None and widget.item.answerable \
                and widget.item.id not in self._skip_warned:
            self._warn_unanswered(widget)
            return
        following = self.view.item_after(widget) if widget is not None else None
        if following is not None:
            following.focus_first()
            return
        blank = [w for w in self.view.answerable()
                 if w.value is None and w.item.id not in self._skip_warned]
        if blank:
            self._warn_unanswered(blank[0])
            blank[0].focus_first()
            return
        self.next()

    def _warn_unanswered(self, widget: ItemWidget) -> None:
        self._skip_warned.add(widget.item.id)
        widget.show_error(SKIP_WARNING)

    # -- interruptions ----------------------------------------------------------------------
    def _next_interruption(self) -> None:
        if self.hold_interruptions or self.act_now_dialog is not None or self.assessment is None:
            return
        done = ({a.flag_id for a in self.assessment.record.acknowledgements}
                | self.assessment.flags_in_error())
        while self._act_now_queue:
            flag = self._act_now_queue.popleft()
            if flag.id in done:
                continue
            self.act_now_dialog = ActNowDialog(
                flag, self.assessment.acknowledge, self,
                mark_in_error=in_error_recorder(self.assessment), escalation=self.assessment)
            self.act_now_dialog.acknowledged.connect(self._acknowledged)
            self.act_now_dialog.marked_in_error.connect(self._acknowledged)
            self.act_now_dialog.open()
            return

    def _acknowledged(self, _flag_id: str) -> None:
        dialog = self.act_now_dialog
        self.act_now_dialog = None
        if dialog is not None:
            dialog.deleteLater()
        self._refresh_flags()
        # Every act-now not yet acknowledged, not only those queued: a flag marked raised in
        # error can bring back the one it superseded (H-149), which must interrupt too.
        QTimer.singleShot(0, self, self.prompt_unacknowledged)

    def resume_after_child(self) -> None:
        """Back from child mode: show what the child answered, keep any answer the database
        did not take (same saver), then interrupt with act-now flags raised meanwhile."""
        assert self.assessment is not None and self.saver is not None
        self.pages = plan.pages(self.assessment.session)
        position = plan.parse_position(self.assessment.record.current_item)
        index = plan.page_index(self.pages, *position) if position else None
        self._show_page(self.index if index is None else index,
                        focus_item=position[1] if position else None, remember=False)
        self._refresh_flags()
        self._refresh_progress()
        if self.saver.unsaved:
            self._show_banner(f"{len(self.saver.unsaved)} answer(s) given in child mode are "
                              f"not saved yet. They are kept here.", action="Try again",
                              kind="store")
        self.hold_interruptions = False
        self.prompt_unacknowledged()

    # -- leaving ----------------------------------------------------------------------------
    def _review(self) -> None:
        self.flush()
        self.remember_position()
        self.review_requested.emit()

    def _home(self) -> None:
        self.flush()
        self.remember_position()
        self.home_requested.emit()

    def _child_mode(self) -> None:
        self.flush()
        self.remember_position()
        self.child_mode_requested.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        narrow = event.size().width() < NARROW
        direction = (QBoxLayout.Direction.TopToBottom if narrow
                     else QBoxLayout.Direction.LeftToRight)
        if self.content.direction() != direction:
            self.content.setDirection(direction)
            self.content.setStretch(0, 3)
            self.content.setStretch(1, 0 if narrow else 1)
            self.flags.set_compact(narrow)
        # Under the questions, the flags may take at most a third of the height.
        self.flags.setMaximumHeight(event.size().height() // 3 if narrow else 16777215)
        super().resizeEvent(event)

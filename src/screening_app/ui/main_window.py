"""The main window: a stack of pages and the moves between them.

Pages other than home are created on first use, which keeps start-up lean. The window
holds the workspace (the application layer's one object per signed-in user, passed in,
never global) and this workstation's settings. Locking, unlocking and "someone else signs
in" are the workspace's; the window only swaps pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from ..settings import FONT_SCALES, UserSettings, save_settings
from .background import run_in_background
from .pages.home import HomePage
from .theme import Theme, apply_font_scale, ensure_design, spacing
from .widgets import PlainLabel

if TYPE_CHECKING:
    from ..app import ChildHandover, OpenAssessment, Unlocked, Workspace


def scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


NO_SIGN_IN = ("This development database has no sign-in, so there is nobody to sign out. "
              "Close Heard instead.")


class MainWindow(QMainWindow):
    context_ready = Signal()  # the content and database are open: everything is usable
    sign_in_requested = Signal()  # signed out: ask who signs in next (ui/app.py)

    def __init__(self, settings: UserSettings, ws: Workspace | None = None, *,
                 theme: Theme | None = None, persist_settings: bool = True):
        super().__init__()
        ensure_design(QApplication.instance())
        self.setWindowTitle("Heard")
        self.settings = settings
        self.theme = theme
        self.persist_settings = persist_settings
        self.ws: Workspace | None = None
        self.assessment: OpenAssessment | None = None
        self.in_child_mode = False
        self.start_page = None
        self.walkthrough = None
        self.review = None
        self.child = None
        self.lock_page = None
        self.signed_out_page = None
        self.idle = None
        self.locked = False
        self._before_lock: QWidget | None = None
        self._focus_before_lock: QWidget | None = None
        self._hidden_dialogs: list[QWidget] = []
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.home = HomePage(settings.font_scale)
        self.home.start_requested.connect(self.show_start)
        self.home.open_requested.connect(self.open_by_id)
        self.home.font_scale_changed.connect(self.set_font_scale)
        self.stack.addWidget(scrolling(self.home))
        self._menus()
        # Who is signed in, always in view (never in child mode).
        self.who = PlainLabel("Not signed in", self, wrap=False)
        self.who.setObjectName("signed-in-as")
        self.statusBar().addPermanentWidget(self.who)
        if ws is not None:
            self.set_workspace(ws)

    # -- set-up -----------------------------------------------------------------------------
    def _menus(self) -> None:
        # Menu mnemonics use letters no page's buttons use (Alt+S is "Start", Alt+H
        # "Home", Alt+R "Review"/"Resume"): tests/ui/test_keyboard.py checks every screen.
        session = self.menuBar().addMenu("Sess&ion")
        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        session.addAction(self.lock_action)
        self.addAction(self.lock_action)  # works while the menu bar is hidden too
        # Only from the menu bar's own shortcut: never while it is hidden (child mode, the
        # lock screen).
        self.sign_out_action = QAction("Sign &out", self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.sign_out)
        session.addAction(self.sign_out_action)
        session.setToolTipsVisible(True)  # why Sign out is greyed out
        self._enable_sign_out()
        services = self.menuBar().addMenu("Ser&vices")
        self.directory_action = QAction("&Directory of services…", self)
        self.directory_action.triggered.connect(self.show_directory)
        services.addAction(self.directory_action)
        self.oversight_action = QAction("&Waiting for action (supervisors)…", self)
        self.oversight_action.triggered.connect(self.show_oversight)
        services.addAction(self.oversight_action)
        help_menu = self.menuBar().addMenu("He&lp")
        self.about_action = QAction("&About Heard", self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        view = self.menuBar().addMenu("Vie&w")
        self.larger = QAction("&Larger text", self)
        self.larger.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.larger.triggered.connect(lambda: self._step_font(+1))
        self.smaller = QAction("&Smaller text", self)
        self.smaller.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.smaller.triggered.connect(lambda: self._step_font(-1))
        view.addAction(self.larger)
        view.addAction(self.smaller)
        schemes = view.addMenu("&Colours")
        group = QActionGroup(self)
        self.scheme_actions = {}
        for choice, label in (("system", "Follow the &system"), ("light", "&Light"),
                              ("dark", "&Dark")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.settings.color_scheme == choice)
            action.triggered.connect(lambda _=False, c=choice: self.set_color_scheme(c))
            group.addAction(action)
            schemes.addAction(action)
            self.scheme_actions[choice] = action

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.home.set_workspace(ws)
        self._show_who()
        self._enable_sign_out()
        if self.signed_out_page is not None \
                and self.stack.currentWidget() is self.signed_out_page:
            self._page(self.home)
        if ws.site_name and "emonstration" not in self.windowTitle():
            self.setWindowTitle(ws.site_name)  # shown as "<site> — Heard"
        from ..app import Permission

        self.oversight_action.setVisible(ws.may(Permission.RECORD_AUDIT))
        self._watch_idle()
        if self.stack.currentIndex() == 0:
            self.home.focus_start()
        if self.isVisible():
            # Back from the sign-in dialog: the window takes the keyboard again (the window
            # system may not give it back, and then nothing had focus: walk finding).
            self.activateWindow()
        self.context_ready.emit()

    def _show_who(self) -> None:
        ws = self.ws
        if ws is None:
            self.who.setText("Not signed in")
        elif ws.signed_in:
            self.who.setText(f"Signed in as {ws.user}" + (f" · {ws.team}" if ws.team else ""))
        else:
            self.who.setText(f"{ws.user} · development database, not signed in")

    def show_problem(self, message: str) -> None:
        if self.signed_out_page is not None \
                and self.stack.currentWidget() is self.signed_out_page:
            self.signed_out_page.show_message(message)
            return
        self.home.show_problem(message)

    def _enable_sign_out(self) -> None:
        ws = self.ws
        allowed = ws is not None and ws.signed_in
        self.sign_out_action.setEnabled(allowed)
        self.sign_out_action.setToolTip(
            "Save your work, close it and let someone else sign in (Ctrl+Shift+L)" if allowed
            else NO_SIGN_IN if ws is not None else "Nobody is signed in.")

    def _save_settings(self) -> None:
        if self.persist_settings:
            save_settings(self.settings)

    def set_font_scale(self, scale: float) -> None:
        self.settings.set_font_scale(scale)
        apply_font_scale(QApplication.instance(), scale)
        self._save_settings()
        # Larger text pushes the focused field down the page: once the layouts have
        # followed, scroll it back into view (walk finding, 53-200pct.png).
        QTimer.singleShot(0, self, self._keep_focus_in_view)

    def _keep_focus_in_view(self) -> None:
        focus = QApplication.focusWidget()
        if focus is None or focus.window() is not self:
            return
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        margin = spacing()
        area = focus.parentWidget()
        while area is not None:
            if isinstance(area, QScrollArea) and area.widget() is not None \
                    and area.widget().isAncestorOf(focus):
                area.ensureWidgetVisible(focus, margin, margin)
            area = area.parentWidget()

    def _step_font(self, step: int) -> None:
        scales = list(FONT_SCALES)
        current = min(range(len(scales)), key=lambda n: abs(scales[n] - self.settings.font_scale))
        new = max(0, min(len(scales) - 1, current + step))
        self.home.text_size.setCurrentIndex(new)  # emits font_scale_changed

    def set_color_scheme(self, choice: str) -> None:
        self.settings.color_scheme = choice
        if self.theme is not None:
            self.theme.set_choice(choice)
        self._save_settings()

    def _page(self, widget: QWidget) -> None:
        container = widget.parentWidget()
        while container is not None and container.parentWidget() is not self.stack:
            container = container.parentWidget()
        self.stack.setCurrentWidget(container or widget)

    # -- pages ------------------------------------------------------------------------------
    def show_home(self) -> None:
        self.assessment = None
        self.home.refresh()
        self.home.search()  # the past assessments list is current too (defect 13)
        self._page(self.home)
        self.home.focus_start()

    def show_start(self) -> None:
        if self.ws is None:
            return
        if self.start_page is None:
            from .pages.start import StartPage

            self.start_page = StartPage()
            self.start_page.started.connect(self._started)
            self.start_page.cancelled.connect(self.show_home)
            self.stack.addWidget(scrolling(self.start_page))
        self.start_page.prepare(self.ws, self.settings.last_setting)
        self._page(self.start_page)
        self.start_page.setting.setFocus()

    def _started(self, opened: OpenAssessment) -> None:
        self.settings.remember_setting(opened.record.setting)
        self._save_settings()
        self.show_walkthrough(opened)

    def open_by_id(self, assessment_id: str) -> None:
        from ..app import AnswerError, SessionError, StoreError

        assert self.ws is not None
        try:
            opened = self.ws.open(assessment_id)
        except (StoreError, SessionError, AnswerError) as exc:
            self.show_home()
            self.show_problem(f"Cannot open that assessment: {exc}")
            return
        if opened.read_only:
            self.show_review(opened)
        else:
            self.show_walkthrough(opened)

    def _ensure_walkthrough(self):  # noqa: ANN202
        if self.walkthrough is None:
            from .pages.walkthrough import WalkthroughPage

            self.walkthrough = WalkthroughPage()
            self.walkthrough.review_requested.connect(lambda: self.show_review(self.assessment))
            self.walkthrough.home_requested.connect(self.show_home)
            self.walkthrough.child_mode_requested.connect(self.enter_child_mode)
            self.walkthrough.reopen_requested.connect(self.open_by_id)
            self.stack.addWidget(self.walkthrough)
        return self.walkthrough

    def show_walkthrough(self, opened: OpenAssessment, *, reopen: bool = True) -> None:
        page = self._ensure_walkthrough()
        self.assessment = opened
        if reopen or page.assessment is not opened:
            page.open(opened)
        self._page(page)

    def _go_to_question(self, module_id: str, item_id: str) -> None:
        """From the review's "not answered" list straight to that question."""
        self.show_walkthrough(self.assessment, reopen=False)
        self.walkthrough.go_to(module_id, item_id)

    def show_review(self, opened: OpenAssessment) -> None:
        if self.review is None:
            from .pages.review import ReviewPage

            self.review = ReviewPage()
            self.review.back_requested.connect(
                lambda: self.show_walkthrough(self.assessment, reopen=False))
            self.review.home_requested.connect(self.show_home)
            self.review.amended.connect(self.show_walkthrough)
            self.review.question_requested.connect(self._go_to_question)
            self.stack.addWidget(self.review)
        self.assessment = opened
        self.review.open(opened)
        self._page(self.review)

    def about_text(self) -> str:
        from .. import __version__

        site = f"\nSite: {self.ws.site_name}" if self.ws and self.ws.site_name else ""
        return (f"Heard {__version__}{site}\n\nScreening and holistic assessment for "
                f"children met in emergency departments, police custody, general practice "
                f"and school nursing. It reports screen results and the action they call "
                f"for; it never labels a child's risk.")

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, "About Heard", self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box = box
        box.open()

    # -- services and oversight -------------------------------------------------------------
    def _window_for(self, widget: QWidget, title: str) -> None:
        """A page of its own window (the directory and the oversight list sit beside the
        assessment, not instead of it)."""
        widget.setWindowTitle(title[:1].upper() + title[1:])  # "— Heard" is added
        widget.setWindowFlag(Qt.WindowType.Window, True)
        widget.setParent(self, widget.windowFlags())
        # Closed by Escape, Ctrl+W or its own button: a screen with no window manager (a
        # kiosk, a remote session) has no title-bar cross (walk finding).
        close = QPushButton("Close", widget)
        close.setAccessibleName(f"Close the {title}")
        close.clicked.connect(widget.close)
        layout = widget.layout()
        if isinstance(layout, QBoxLayout):
            layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W"),
                     QKeySequence(QKeySequence.StandardKey.Close)):
            QShortcut(keys, widget, widget.close)
        widget.close_button = close
        widget.resize(1100, 680)
        widget.show()
        self.side_window = widget

    def show_directory(self) -> None:
        if self.ws is None:
            return
        from ..app import Permission
        from .pages.directory import DirectoryPage

        page = DirectoryPage(self.ws.directory(), user=self.ws.user,
                             editable=self.ws.may(Permission.SETTINGS))
        self._window_for(page, "directory of services")

    def show_oversight(self) -> None:
        if self.ws is None:
            return
        from .pages.supervisor import SupervisorPage

        page = SupervisorPage(self.ws.actions(), today=self.ws.clock().date())
        page.open_assessment.connect(self.open_by_id)
        self._window_for(page, "waiting for action")

    # -- child mode -------------------------------------------------------------------------
    def enter_child_mode(self) -> None:
        """Hand the screen to the child; the workspace says how it comes back (the staff
        password when signed in, else a hand-over code chosen now)."""
        assert self.ws is not None
        if self.ws.signed_in:
            self._begin_child_mode(self.ws.hand_to_child())
            return
        from .child.lock import SetCodeDialog

        dialog = SetCodeDialog(self)
        dialog.accepted.connect(lambda: self._begin_child_mode(
            self.ws.hand_to_child(dialog.code.text()) if self.ws else None))
        dialog.finished.connect(dialog.deleteLater)
        self.code_dialog = dialog
        dialog.open()

    def _begin_child_mode(self, handover: ChildHandover | None) -> None:
        if handover is None or self.assessment is None:
            return
        if self.child is None:
            from .child.mode import ChildModePage

            self.child = ChildModePage()
            self.child.unlocked.connect(self.leave_child_mode)
            self.stack.addWidget(self.child)
        walkthrough = self._ensure_walkthrough()
        walkthrough.hold_interruptions = True
        self.in_child_mode = True
        self.menuBar().hide()
        self.statusBar().hide()
        for action in (self.larger, self.smaller):
            action.setEnabled(False)
        self.child.begin(self.assessment, walkthrough.saver, handover)
        self._page(self.child)
        # Full screen: nothing else on the screen for the child to see or reach.
        self._state_before_child = self.windowState()
        self.showFullScreen()

    def leave_child_mode(self) -> None:
        self.child.end()
        self.in_child_mode = False
        self.setWindowState(getattr(self, "_state_before_child", Qt.WindowState.WindowNoState))
        self.menuBar().show()
        self.statusBar().show()
        for action in (self.larger, self.smaller):
            action.setEnabled(True)
        walkthrough = self._ensure_walkthrough()
        self._page(walkthrough)
        walkthrough.resume_after_child()  # shows what the child answered; act-now follows

    # -- locking ----------------------------------------------------------------------------
    def _watch_idle(self) -> None:
        minutes = self.ws.idle_lock_minutes() if self.ws is not None else None
        if minutes is None:
            if self.idle is not None:
                self.idle.stop()
                self.idle = None
            return
        if self.idle is None:
            from .locking import IdleWatcher

            self.idle = IdleWatcher(minutes, self)
            self.idle.idle.connect(self.lock)
        else:
            self.idle.restart(minutes)

    def lock(self) -> None:
        """Hide every page and have the workspace forget the key; the draft is saved first
        (nothing is lost)."""
        if self.ws is None or self.locked or not self.ws.signed_in:
            return
        if self.in_child_mode:  # the child's screen shows no staff data and needs a password
            if self.idle is not None:
                self.idle.restart()
            return
        from .locking import LockPage

        self._save_typing()
        self._before_lock = self.stack.currentWidget()
        focus = QApplication.focusWidget()
        self._focus_before_lock = focus if focus is not None and focus.window() is self \
            else None
        self._hidden_dialogs = [w for w in QApplication.topLevelWidgets()
                                if w is not self and w.isVisible() and w.isWindow()]
        for widget in self._hidden_dialogs:
            widget.hide()
        name = self.ws.user
        self.ws.lock()
        if self.lock_page is None:
            self.lock_page = LockPage()
            self.lock_page.unlock_requested.connect(self.unlock)
            self.stack.addWidget(self.lock_page)
        self.locked = True
        self.menuBar().hide()
        self.who.setText(f"Locked by {name}")
        self.stack.setCurrentWidget(self.lock_page)
        self.lock_page.show_locked(name)

    def unlock(self, name: str, password: str) -> None:
        """Signing in again runs off the GUI thread (Argon2 takes a moment); the same user
        continues where they were, someone else starts at home."""
        ws = self.ws
        if ws is None or not self.locked or self.lock_page is None:
            return
        self.lock_page.set_busy(True)
        run_in_background(lambda: ws.unlock(name, password), self._unlocked,
                          self._unlock_failed)

    def _unlock_failed(self, exc: BaseException) -> None:
        from ..app import StoreError

        assert self.lock_page is not None
        self.lock_page.set_busy(False)
        if not isinstance(exc, StoreError):
            raise exc  # the excepthook logs it and shows one sentence
        self.lock_page.show_failure(str(exc))

    def _unlocked(self, outcome: Unlocked) -> None:
        assert self.lock_page is not None
        self.lock_page.set_busy(False)
        self.locked = False
        self.menuBar().show()
        if outcome.same_user and self.ws is not None:
            self._show_who()
            if self._before_lock is not None:
                self.stack.setCurrentWidget(self._before_lock)
                self._focus_again(self._before_lock, self._focus_before_lock)
            for widget in self._hidden_dialogs:
                if shiboken6.isValid(widget):  # not one deleted while locked
                    widget.show()
        else:
            self._close_records(self._hidden_dialogs)
            if self.ws is not None:
                self.ws.close()
            self.set_workspace(outcome.workspace)
            self.show_home()
        self._hidden_dialogs = []
        self._before_lock = None
        self._focus_before_lock = None
        if self.idle is not None:
            self.idle.restart()

    @staticmethod
    def _focus_again(page: QWidget, widget: QWidget | None) -> None:
        """Focus ``widget`` again (what had it before the lock), else ``page``'s first
        control: the lock page's fields took the focus, and it went nowhere after."""
        usable = (widget is not None and shiboken6.isValid(widget) and widget.isVisible()
                  and widget.isEnabled() and page.isAncestorOf(widget))
        if usable:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        candidate = page.nextInFocusChain()
        while candidate is not None and candidate is not page:
            if page.isAncestorOf(candidate) and candidate.isVisible() \
                    and candidate.isEnabled() and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                return
            candidate = candidate.nextInFocusChain()

    def _save_typing(self) -> None:
        """Send what is typed but not yet saved, and where the practitioner is (the lock and
        Sign out; answers themselves are committed as they are given)."""
        if self.walkthrough is not None and self.walkthrough.assessment is not None:
            self.walkthrough.flush()
            if self.stack.currentWidget() is self.walkthrough:
                self.walkthrough.remember_position()

    def _close_records(self, windows: list[QWidget]) -> None:
        """Close ``windows`` (dialogs, side windows) and the pages that show a record, so
        nothing of it stays for whoever signs in next; the pages are built again on use."""
        for widget in (w for w in windows if shiboken6.isValid(w)):  # not one deleted since
            widget.close()
            widget.hide()  # an act-now dialog refuses to close: it goes with its page
            if widget.parentWidget() is self:
                widget.deleteLater()
        for name in ("walkthrough", "review", "start_page", "child"):
            page = getattr(self, name)
            if page is not None:
                holder = page  # the page, or the scroll area it sits in
                while holder.parentWidget() not in (self.stack, None):
                    holder = holder.parentWidget()
                self.stack.removeWidget(holder)
                holder.deleteLater()
                setattr(self, name, None)
        self.assessment = None
        # Home is kept (it is the first page), emptied of the last user's lists and search.
        self.home.drafts.set_rows([])
        self.home.results.set_rows([])
        self.home.reference.clear()

    # -- signing out ------------------------------------------------------------------------
    def sign_out(self) -> None:
        """Save what is typed, close every window and page showing a record, end the
        session (the workspace records it and overwrites the key), then ask who signs in
        next, as at start-up (``sign_in_requested``)."""
        ws = self.ws
        if ws is None or not ws.signed_in or self.locked or self.in_child_mode:
            return
        self._save_typing()
        saver = self.walkthrough.saver if self.walkthrough is not None else None
        if saver is not None and self.walkthrough.assessment is not None and saver.unsaved:
            self._not_signed_out(len(saver.unsaved))
            return
        name = ws.user
        self._close_records([w for w in QApplication.topLevelWidgets()
                             if w is not self and w.isWindow() and w.isVisible()])
        ws.sign_out()
        self.ws = None
        self._watch_idle()
        self._show_who()
        self._enable_sign_out()
        if self.signed_out_page is None:
            from .locking import SignedOutPage

            self.signed_out_page = SignedOutPage()
            self.signed_out_page.sign_in_requested.connect(self.sign_in_requested)
            self.stack.addWidget(self.signed_out_page)
        self.stack.setCurrentWidget(self.signed_out_page)
        self.signed_out_page.show_signed_out(name)
        # Once this menu command has returned: the sign-in dialog runs its own loop.
        QTimer.singleShot(0, self, self.sign_in_requested.emit)

    def _not_signed_out(self, count: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "Not signed out",
                          f"{count} answer(s) are not saved yet: the database did not take "
                          f"them. They are kept on screen; use Try again on the walkthrough, "
                          f"then sign out.", QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.problem_box = box
        box.open()

    # -- closing ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.in_child_mode:
            event.ignore()  # the child cannot close their way out of child mode
            return
        if self.walkthrough is not None and self.walkthrough.assessment is not None \
                and self.stack.currentWidget() is self.walkthrough:
            self.walkthrough.flush()
            self.walkthrough.remember_position()
        super().closeEvent(event)

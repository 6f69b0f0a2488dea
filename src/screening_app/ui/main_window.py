"""The main window: a stack of pages and the moves between them.

Pages other than home are created on first use, which keeps start-up lean. The window
holds the application context (passed in, never global) and this workstation's settings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from ..settings import FONT_SCALES, UserSettings, save_settings
from .pages.home import HomePage
from .theme import apply_font_scale


def scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


class MainWindow(QMainWindow):
    context_ready = Signal()  # the content and database are open: everything is usable

    def __init__(self, settings: UserSettings, ctx=None, *, theme=None,  # noqa: ANN001
                 persist_settings: bool = True):
        super().__init__()
        self.setWindowTitle("Heard")
        self.settings = settings
        self.theme = theme
        self.persist_settings = persist_settings
        self.ctx = None
        self.assessment = None
        self.in_child_mode = False
        self.start_page = None
        self.walkthrough = None
        self.review = None
        self.child = None
        self.lock_page = None
        self.idle = None
        self.locked = False
        self._before_lock: QWidget | None = None
        self._hidden_dialogs: list[QWidget] = []
        self._locked_as = None
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.home = HomePage(settings.font_scale)
        self.home.start_requested.connect(self.show_start)
        self.home.open_requested.connect(self.open_by_id)
        self.home.font_scale_changed.connect(self.set_font_scale)
        self.stack.addWidget(scrolling(self.home))
        self._menus()
        if ctx is not None:
            self.set_context(ctx)

    # -- set-up -----------------------------------------------------------------------------
    def _menus(self) -> None:
        session = self.menuBar().addMenu("&Session")
        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        session.addAction(self.lock_action)
        self.addAction(self.lock_action)  # works while the menu bar is hidden too
        view = self.menuBar().addMenu("&View")
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

    def set_context(self, ctx) -> None:  # noqa: ANN001
        self.ctx = ctx
        self.home.set_store(ctx.store)
        self._watch_idle()
        if self.stack.currentIndex() == 0:
            self.home.focus_start()
        self.context_ready.emit()

    def show_problem(self, message: str) -> None:
        self.home.show_problem(message)

    def _save_settings(self) -> None:
        if self.persist_settings:
            save_settings(self.settings)

    def set_font_scale(self, scale: float) -> None:
        self.settings.set_font_scale(scale)
        apply_font_scale(QApplication.instance(), scale)
        self._save_settings()

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
        self._page(self.home)
        self.home.focus_start()

    def show_start(self) -> None:
        if self.ctx is None:
            return
        if self.start_page is None:
            from .pages.start import StartPage

            self.start_page = StartPage()
            self.start_page.started.connect(self._started)
            self.start_page.cancelled.connect(self.show_home)
            self.stack.addWidget(scrolling(self.start_page))
        self.start_page.prepare(self.ctx, self.settings.last_setting)
        self._page(self.start_page)
        self.start_page.setting.setFocus()

    def _started(self, opened) -> None:  # noqa: ANN001
        self.settings.remember_setting(opened.record.setting)
        self._save_settings()
        self.show_walkthrough(opened)

    def open_by_id(self, assessment_id: str) -> None:
        from ..assessments import open_assessment
        from ..engine import AnswerError, SessionError
        from ..store import StoreError

        try:
            opened = open_assessment(self.ctx, assessment_id)
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

    def show_walkthrough(self, opened, *, reopen: bool = True) -> None:  # noqa: ANN001
        page = self._ensure_walkthrough()
        self.assessment = opened
        if reopen or page.assessment is not opened:
            page.open(opened)
        self._page(page)

    def show_review(self, opened) -> None:  # noqa: ANN001
        if self.review is None:
            from .pages.review import ReviewPage

            self.review = ReviewPage()
            self.review.back_requested.connect(
                lambda: self.show_walkthrough(self.assessment, reopen=False))
            self.review.home_requested.connect(self.show_home)
            self.review.amended.connect(self.show_walkthrough)
            self.stack.addWidget(self.review)
        self.assessment = opened
        self.review.open(opened)
        self._page(self.review)

    # -- child mode -------------------------------------------------------------------------
    def enter_child_mode(self) -> None:
        from .child.lock import SetCodeDialog, staff_check

        check = staff_check(self.ctx)
        if check is not None:
            self._begin_child_mode(check, "For staff: type your password to take the "
                                          "screen back.")
            return
        dialog = SetCodeDialog(self)
        dialog.accepted.connect(lambda: self._begin_child_mode(
            dialog.unlock_code().check, "For staff: type your code to take the screen back."))
        dialog.finished.connect(dialog.deleteLater)
        self.code_dialog = dialog
        dialog.open()

    def _begin_child_mode(self, check, prompt: str) -> None:  # noqa: ANN001
        if self.child is None:
            from .child.mode import ChildModePage

            self.child = ChildModePage()
            self.child.unlocked.connect(self.leave_child_mode)
            self.stack.addWidget(self.child)
        walkthrough = self._ensure_walkthrough()
        walkthrough.hold_interruptions = True
        self.in_child_mode = True
        self.menuBar().hide()
        for action in (self.larger, self.smaller):
            action.setEnabled(False)
        self.child.begin(self.assessment, walkthrough.saver, check, prompt)
        self._page(self.child)

    def leave_child_mode(self) -> None:
        self.child.end()
        self.in_child_mode = False
        self.menuBar().show()
        for action in (self.larger, self.smaller):
            action.setEnabled(True)
        walkthrough = self._ensure_walkthrough()
        self._page(walkthrough)
        walkthrough.resume_after_child()  # shows what the child answered; act-now follows

    # -- locking ----------------------------------------------------------------------------
    def _signed(self):  # noqa: ANN202
        security = getattr(self.ctx, "security", None) if self.ctx is not None else None
        return getattr(security, "signed", None)

    def _watch_idle(self) -> None:
        signed = self._signed()
        if signed is None:
            if self.idle is not None:
                self.idle.stop()
                self.idle = None
            return
        try:
            minutes = signed.policy().idle_lock_minutes
        except Exception:  # noqa: BLE001 - an unreadable setting must not stop the lock
            minutes = 5
        if self.idle is None:
            from .locking import IdleWatcher

            self.idle = IdleWatcher(minutes, self)
            self.idle.idle.connect(self.lock)
        else:
            self.idle.restart(minutes)

    def lock(self) -> None:
        """Hide every page and forget the key; the draft is saved first (nothing is lost)."""
        signed = self._signed()
        if signed is None or self.locked:
            return
        if self.in_child_mode:  # the child's screen shows no staff data and needs a password
            if self.idle is not None:
                self.idle.restart()
            return
        from ..security import audit
        from .locking import LockPage

        if self.walkthrough is not None and self.walkthrough.assessment is not None:
            self.walkthrough.flush()
            if self.stack.currentWidget() is self.walkthrough:
                self.walkthrough.remember_position()
        self._before_lock = self.stack.currentWidget()
        self._hidden_dialogs = [w for w in QApplication.topLevelWidgets()
                                if w is not self and w.isVisible() and w.isWindow()]
        for widget in self._hidden_dialogs:
            widget.hide()
        try:
            with signed.session() as session, session.begin():
                signed.audit.append(session, audit.Action.LOCK)
        except Exception:  # noqa: BLE001 - locking never waits on the audit write
            pass
        from ..security.frontdoor import LockedDatabase

        name = signed.principal.name
        self._locked_as = signed
        self.ctx.store.database = LockedDatabase(signed.database.url, signed.database.path)
        self.ctx.security.signed = None
        signed.close()  # disposes the engine and overwrites the data key
        signed.database = self.ctx.store.database
        if self.lock_page is None:
            self.lock_page = LockPage()
            self.lock_page.unlock_requested.connect(self.unlock)
            self.stack.addWidget(self.lock_page)
        self.locked = True
        self.menuBar().hide()
        self.stack.setCurrentWidget(self.lock_page)
        self.lock_page.show_locked(name)

    def unlock(self, name: str, password: str) -> None:
        """The same user continues where they were; someone else starts at home, and the
        first user's draft (already saved) is closed."""
        from ..security.access import sign_in
        from ..security.roles import name_key
        from ..store import StoreError

        old = self._locked_as
        if old is None or not self.locked:
            return
        try:
            new = sign_in(old.target.url, name, password, terminal=old.audit.terminal)
        except StoreError as exc:
            self.lock_page.show_failure(str(exc))
            return
        security = self.ctx.security
        same = name_key(new.principal.name) == name_key(old.principal.name)
        self.locked = False
        self.menuBar().show()
        if same:
            store = self.ctx.store
            store.database, store.audit, store.scope = new.database, new.audit, new.principal
            security.signed = new
            with new.session() as session, session.begin():
                from ..security import audit

                new.audit.append(session, audit.Action.UNLOCK)
            self.stack.setCurrentWidget(self._before_lock)
            for widget in self._hidden_dialogs:
                widget.show()
        else:
            from ..security.frontdoor import Opened, secured_store

            for widget in self._hidden_dialogs:
                widget.close()
            self.assessment = None
            if self.walkthrough is not None:
                self.walkthrough.assessment = None
            opened = Opened(secured_store(new), new.principal.name, new.principal.team,
                            security.kind, new)
            self.set_context(context_for(self.ctx.catalog, opened))
            self.show_home()
        self._hidden_dialogs = []
        self._before_lock = None
        self._locked_as = None
        if self.idle is not None:
            self.idle.restart()

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


def context_for(catalog, opened):  # noqa: ANN001, ANN201
    """The application context of a signed-in (or development) ``Opened`` store."""
    from ..assessments import AppContext

    verify = None
    if opened.signed is not None:
        from ..security.users import verify_own_password

        def verify(password: str) -> bool:
            return opened.signed is not None and verify_own_password(opened.signed, password)
    return AppContext(catalog=catalog, store=opened.store, user=opened.user, team=opened.team,
                      security=opened, staff_password_check=verify)

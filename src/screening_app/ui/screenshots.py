"""Pictures of the main screens, rendered offscreen from synthetic data (for the docs and
for checking layouts at a glance, e.g. at 200% scaling)."""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from ..app import OpenAssessment, Workspace, development_workspace, load_content
from ..demo import CALM, answer_all, build_demo, demo_answer
from ..settings import UserSettings
from .app import DEFAULT_SIZE, create_app
from .main_window import MainWindow
from .theme import Theme, apply_font_scale


def settle(rounds: int = 5) -> None:
    app = QApplication.instance()
    for _ in range(rounds):
        app.processEvents()


def with_dialog(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window with a dialog drawn over its middle, as the user would see them."""
    shot = window.grab()
    top = dialog.grab()
    # Painter coordinates are logical pixels; at --scale 2 the grabs hold twice as many.
    size, inner = shot.deviceIndependentSize(), top.deviceIndependentSize()
    corner = QPoint(int(size.width() - inner.width()) // 2,
                    int(size.height() - inner.height()) // 3)
    painter = QPainter(shot)
    frame = QRect(corner, inner.toSize())
    painter.fillRect(frame.adjusted(-1, -1, 5, 5), QColor(0, 0, 0, 60))
    painter.drawPixmap(corner, top)
    painter.setPen(QPen(window.palette().color(QPalette.ColorRole.Shadow), 2))
    painter.drawRect(frame.adjusted(-1, -1, 0, 0))
    painter.end()
    return shot


def answer_until(opened: OpenAssessment, module_id: str) -> None:
    """Calm answers to everything shown before ``module_id``'s questions."""
    rng = random.Random(7)

    for _ in range(500):
        pending = [(m, i) for m, i in opened.session.visible_items()
                   if i.answerable and opened.session.answers.get((m.id, i.id)) is None]
        if not pending or pending[0][0].id == module_id:
            return
        module, item = pending[0]
        opened.answer(module.id, item.id, demo_answer(item, CALM, rng))


def render_all(ctx: Workspace, outdir: Path, *, suffix: str = "",
               scheme: str = "light", text_scale: float = 1.0) -> list[Path]:
    app = create_app()
    Theme(app, scheme)
    if text_scale != 1.0:
        apply_font_scale(app, text_scale)  # as the Home page's "Text size" choice does
    build_demo(ctx)
    window = MainWindow(UserSettings(color_scheme=scheme, font_scale=text_scale), ctx,
                        persist_settings=False)
    window.resize(*DEFAULT_SIZE)
    window.show()
    settle()
    made: list[Path] = []

    def save(name: str, pixmap: QPixmap | None = None) -> None:
        settle()
        path = outdir / f"{name}{suffix}.png"
        (pixmap or window.grab()).save(str(path))
        made.append(path)

    save("home")

    window.show_start()
    start = window.start_page
    start.age.setValue(15)
    start.reference.setText("ED-2291")
    save("start")

    # A walkthrough page with a referral flag showing, then the act-now interruption.
    ed = ctx.start(setting="ed", age=15, reference="ED-2291",
                   presenting_issue="Wrist injury after a fall")
    answer_until(ed, "asq")
    ed.answer("asq", "q1", "yes")
    window.open_by_id(ed.id)
    save("walkthrough-flag")
    page = window.walkthrough
    q5 = page.view.widget_for("q5")
    q5.buttons[q5.values.index("yes")].click()
    settle()
    if page.act_now_dialog is not None:
        save("act-now", with_dialog(window, page.act_now_dialog))
        page.act_now_dialog.button.click()
        settle()

    # The review of that assessment.
    answer_all(window.assessment, CALM, random.Random(3))
    window.show_review(window.assessment)
    save("review")

    # Child mode: the school nurse's self-rating, faces scale.
    if "school-nurse" in ctx.catalog.pathways:
        child_case = ctx.start(setting="school-nurse", age=11, reference="SN-0412",
                               presenting_issue="Year 7 health assessment")
        window.open_by_id(child_case.id)
        window._begin_child_mode(ctx.hand_to_child("1234"))
        # Child mode goes full screen; show it as on a 1366x768 screen (offscreen's own
        # screen is a square).
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(*DEFAULT_SIZE)
        child = window.child
        child.widget.buttons[3].click()
        save("child-mode")
        child.next()
        child.next()
        child.next()
        child.next()
        child.next()
        save("child-mode-question")
        child.finish()
        save("child-mode-locked")
        child.unlock.field.setText("1234")
        child.unlock.try_unlock()
        from .background import wait_for_background

        wait_for_background()
        settle()
    window.close()
    settle()
    return made


def render_to(outdir: Path, args: argparse.Namespace, *, suffix: str = "",
              scheme: str = "light", text_scale: float = 1.0) -> list[Path]:
    """Open the content and a throwaway database, then render every screen."""
    catalog = load_content([Path(d) for d in getattr(args, "content", []) or []])
    with tempfile.TemporaryDirectory(prefix="heard-shots-") as tmp:
        ws = development_workspace(catalog, f"sqlite:///{Path(tmp) / 'screens.db'}",
                                   "Screenshots (demo)", synthetic=True)
        try:
            return render_all(ws, outdir, suffix=suffix, scheme=scheme,
                              text_scale=text_scale)
        finally:
            ws.close()

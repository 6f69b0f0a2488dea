"""Issue 15 walk finding: at 200% text on a 1366x768 laptop the act-now dialog took nine
tenths of the screen, ran off its bottom edge and left the acknowledge button low.

The dialog must be as tall as its text needs and never beyond the screen's available
geometry; the action and every button are in view without scrolling (only the longer
"why" text may scroll, inside); lines keep a readable measure; no label is clipped.
Checked on the offscreen test screen and, in a child process, on a 1366x768 screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from screening_app.engine.results import RaisedFlag
from screening_app.ui.dialogs import ActNowDialog

from .helpers import click, raise_asq_acute
from .layout_check import layout_problems
from .test_layout_fit import look  # noqa: F401 - the 100%/200% x light/dark fixture

LAPTOP = os.environ.get("HEARD_TEST_SCREEN")  # "1366x768" in the child process


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def longest_act_now(catalog) -> RaisedFlag:  # noqa: ANN001
    """The catalog's act-now flag with the most text, in the setting that words it longest,
    as the engine raises it (with its escalation, if any)."""
    candidates = []
    for module_id in catalog.modules:
        for flag in catalog.module(module_id).flags:
            if flag.level.value != "act-now":
                continue
            for setting in (None, *flag.setting_actions):
                action = flag.action_for(setting)
                size = len(flag.title) + len(action) + len(flag.rationale) + len(flag.source)
                candidates.append((size, module_id, flag, action))
    _, module_id, flag, action = max(candidates, key=lambda c: c[0])
    return RaisedFlag(id=flag.id, module=module_id, level="act-now", title=flag.title,
                      action=action, rationale=flag.rationale, source=flag.source,
                      hazard=flag.hazard, escalate_to=flag.escalate_to or "duty inspector")


def fit_problems(dialog: ActNowDialog) -> list[str]:
    problems = list(layout_problems(dialog))
    screen = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    if not screen.contains(frame):
        problems.append(f"the dialog {frame.getRect()} is not inside the screen's available "
                        f"geometry {screen.getRect()}")
    inside = dialog.rect()
    buttons = [b for b in (dialog.button, dialog.error_button, dialog.escalate_button) if b]
    for widget in (*buttons, dialog.note):
        if not widget.isVisible() or not inside.contains(rect_in(widget, dialog)):
            problems.append(f"{widget.text()!r} is not fully inside the dialog")
        if dialog.scroll.isAncestorOf(widget):
            problems.append(f"{widget.text()!r} scrolls with the text")
    # The action is read without scrolling: all of it inside the text's viewport.
    viewport = dialog.scroll.viewport()
    if dialog.scroll.verticalScrollBar().value() != 0 \
            or not viewport.rect().contains(rect_in(dialog.action, viewport)):
        problems.append(f"the action {rect_in(dialog.action, viewport).getRect()} is not all "
                        f"in view {viewport.rect().getRect()} without scrolling")
    # No taller than the text needs: no empty band of a line or more below it.
    spare = viewport.height() - dialog.body.heightForWidth(viewport.width())
    line = QFontMetrics(dialog.action.font()).height()
    if spare >= line:
        problems.append(f"{spare} px of empty space below the text")
    # A readable measure: the action's lines are at most about 75 characters.
    per_line = dialog.action.width() / QFontMetrics(dialog.action.font()).averageCharWidth()
    if per_line > 75:
        problems.append(f"the action runs to {per_line:.0f} characters a line")
    return problems


def close_all(page, qtbot) -> None:  # noqa: ANN001
    for _ in range(10):  # leave no dialog open for the next test (more may queue up)
        qtbot.wait(5)
        if page.act_now_dialog is None:
            return
        click(qtbot, page.act_now_dialog.button)


def test_the_raised_act_now_fits_with_its_buttons_in_view(look, make_window, ctx,  # noqa: F811
                                                         qtbot):
    if LAPTOP:
        assert QApplication.primaryScreen().geometry().getRect() == (0, 0, 1366, 768)
    window = make_window(ctx)
    _, page = raise_asq_acute(window, qtbot, ctx, "ED-FIT")
    dialog = page.act_now_dialog
    qtbot.waitExposed(dialog)
    problems = fit_problems(dialog)
    if look[0] == 1.0 and dialog.scroll.verticalScrollBar().maximum():
        problems.append("the act-now text scrolls at 100%")
    close_all(page, qtbot)
    assert not problems, "\n".join(problems)


def test_the_longest_act_now_fits_with_its_buttons_in_view(look, make_window, ctx,  # noqa: F811
                                                          catalog, qtbot):
    window = make_window(ctx)
    opened = ctx.start(setting="custody", age=15, reference="C-FIT", presenting_issue="x")
    dialog = ActNowDialog(longest_act_now(catalog), lambda *_: None, window,
                          mark_in_error=lambda *_: None, escalation=opened)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert dialog.escalate_button is not None and dialog.error_button is not None
    problems = fit_problems(dialog)
    click(qtbot, dialog.button)
    assert not problems, "\n".join(problems)


def test_the_act_now_dialog_fits_a_1366x768_screen(tmp_path):
    """The same checks on a screen the size of the tester's laptop (the offscreen platform's
    own screen is 800x800). The child runs the two tests above, nothing else."""
    config = tmp_path / "screen.json"
    config.write_text('{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, '
                      '"height": 768, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}')
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "HEARD_TEST_SCREEN": "1366x768"}
    here = Path(__file__)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{here}::test_the_raised_act_now_fits_with_its_buttons_in_view",
         f"{here}::test_the_longest_act_now_fits_with_its_buttons_in_view"],
        cwd=here.parents[2], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "8 passed" in run.stdout, run.stdout[-2000:]

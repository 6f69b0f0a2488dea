"""Who is signed in is always in view; About gives the one version number; the Services
menu opens the directory and the waiting-for-action list beside the work."""

from __future__ import annotations

from screening_app import __version__
from screening_app.demo import build_demo


def test_who_is_working_is_always_visible(window):
    assert window.who.isVisible()
    assert "Nurse Test" in window.who.text() and "development database" in window.who.text()


def test_about_shows_the_version_as_plain_text(window, qtbot):
    assert __version__ in window.about_text()
    window.show_about()
    qtbot.waitExposed(window.about_box)
    assert window.about_box.text().startswith(f"Heard {__version__}")
    window.about_box.close()


def test_services_menu_opens_the_directory_and_the_oversight_list(window, qtbot, ctx):
    build_demo(ctx, settings=["ed"])  # loads the fictional sample directory too
    window.directory_action.trigger()
    page = window.side_window
    qtbot.waitExposed(page)
    assert page.objectName() == "directory-page" and page.table.rowCount() > 0
    page.close()
    window.oversight_action.trigger()
    qtbot.waitExposed(window.side_window)
    assert window.side_window.objectName() == "supervisor-page"
    window.side_window.close()


def test_window_titles_do_not_repeat_the_app_name(window, qtbot, ctx):
    """Defect 31: the platform appends the display name ("… — Heard"); titles must not
    carry it again."""
    window.show_directory()
    titles = [window.windowTitle(), window.side_window.windowTitle()]
    window.side_window.close()
    assert titles[0] == "Heard" or "Heard" not in titles[0]
    assert "Heard" not in titles[1] and titles[1]


def test_side_windows_close_with_escape_ctrl_w_or_their_button(window, qtbot):
    """Walk finding: with no window manager (no title-bar cross) the directory could not
    be closed at all."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    for show, key in ((window.show_directory, None), (window.show_oversight, "escape"),
                      (window.show_directory, "ctrl+w")):
        show()
        side = window.side_window
        qtbot.waitExposed(side)
        side.activateWindow()
        qtbot.waitUntil(lambda side=side: QApplication.activeWindow() is side)
        if key is None:
            assert side.close_button.isVisible()
            assert side.close_button.accessibleName().startswith("Close the ")
            side.close_button.click()
        elif key == "escape":
            qtbot.keyClick(QApplication.focusWidget() or side, Qt.Key.Key_Escape)
        else:
            qtbot.keyClick(QApplication.focusWidget() or side, Qt.Key.Key_W,
                           Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda side=side: not side.isVisible())

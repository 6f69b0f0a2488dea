"""Issue 15.6: child mode a child can use: full screen, progress that never jumps back,
faces that differ, large Back/Next that grow with the text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from screening_app.ui.items.scale import FaceButton
from screening_app.ui.theme import apply_font_scale


def hand_over(window, ctx, age: int = 13):
    opened = ctx.start(setting="school-nurse", age=age, reference="SN-CHILD",
                       presenting_issue="Year 8")
    window.open_by_id(opened.id)
    window._begin_child_mode(ctx.hand_to_child("1234"))
    return window.child


def test_child_mode_is_full_screen_and_the_window_comes_back(window, qtbot, ctx):
    hand_over(window, ctx)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    window.leave_child_mode()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen


def test_progress_counts_the_childs_questions_and_never_goes_back(window, qtbot, ctx):
    child = hand_over(window, ctx)
    total = child.progress.maximum()
    seen = []
    for _ in range(200):
        if child.widget is None:
            break
        seen.append(child.progress.value())
        buttons = getattr(child.widget, "buttons", [])
        if buttons:
            buttons[0].click()  # answers may start branches: the total must hold
            QApplication.processEvents()
        if child.widget is None:
            break
        child.next()
        assert child.progress.maximum() >= total
    assert len(seen) > 3 and seen == sorted(seen), f"progress went back: {seen}"
    assert all(v <= child.progress.maximum() for v in seen)


def test_faces_differ_from_their_neighbours(window, qtbot, ctx):
    child = hand_over(window, ctx)
    for _ in range(len(child.items)):
        faces = [b for b in getattr(child.widget, "buttons", []) if isinstance(b, FaceButton)]
        if faces:
            break
        child.next()
    assert len(faces) >= 5
    images = [f.grab().toImage() for f in faces]

    def differ(a, b) -> float:
        w, h = min(a.width(), b.width()), min(a.height(), b.height())
        changed = sum(a.pixelColor(x, y) != b.pixelColor(x, y)
                      for y in range(0, h, 2) for x in range(0, w, 2))
        return changed / ((w // 2) * (h // 2))

    for left, right in zip(images, images[1:], strict=False):
        assert differ(left, right) > 0.04, "two neighbouring faces look almost the same"


def test_back_and_next_grow_with_the_text(window, qtbot, ctx, qapp):
    child = hand_over(window, ctx)
    before = child.next_button.minimumHeight()
    try:
        apply_font_scale(qapp, 2.0)
        assert child.next_button.minimumHeight() >= before * 1.7
        assert child.back_button.minimumHeight() >= before * 1.7
    finally:
        apply_font_scale(qapp, 1.0)


def test_three_answers_fit_without_scrolling_at_200_percent(window, qtbot, ctx, qapp):
    """Walk finding: at 200% text on 1366x768 the third answer was cut off below the fold."""
    window.resize(1366, 768)
    try:
        apply_font_scale(qapp, 2.0)
        child = hand_over(window, ctx)
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1366, 768)
        for _ in range(60):  # to the first question with exactly three answers
            if child.widget is None or len(getattr(child.widget, "buttons", [])) == 3:
                break
            if getattr(child.widget, "buttons", []):
                child.widget.buttons[0].click()
                QApplication.processEvents()
            if child.widget is not None and child.next_button.isEnabled():
                child.next_button.click()
            QApplication.processEvents()
        assert child.widget is not None and len(child.widget.buttons) == 3
        QApplication.processEvents()
        assert child.question_scroll.verticalScrollBar().maximum() == 0
    finally:
        apply_font_scale(qapp, 1.0)

"""Issue 13.3: drafts on the home screen can be told apart at 200% text in a 1366x768
window: the reference column keeps its full text (other columns are elided first)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

REFERENCES = ["SCHOOL-NURSE-2026-NORTHSHIRE-000412", "SCHOOL-NURSE-2026-NORTHSHIRE-000413",
              "ED-24-01937"]


def _shown(view, row: int, column: int = 0) -> str:
    """The text the view paints in a cell: the model's text elided to the cell's width."""
    text = view.model().index(row, column).data(Qt.ItemDataRole.DisplayRole)
    margin = 2 * (view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin,
                                           None, view) + 1)
    return view.fontMetrics().elidedText(text, view.textElideMode(),
                                         view.columnWidth(column) - margin)


def test_drafts_keep_their_whole_reference_at_200_percent(make_window, ctx, qtbot):
    for ref in REFERENCES:
        ctx.start(setting="school-nurse", age=12, reference=ref, presenting_issue="Y7")
    window = make_window(ctx)
    try:
        window.set_font_scale(2.0)
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1366, 768)
        window.show_home()
        view = window.home.drafts_view
        qtbot.waitUntil(lambda: window.home.drafts.rowCount() == len(REFERENCES))
        qtbot.wait(10)
        QApplication.processEvents()
        assert window.width() <= 1366
        shown = [_shown(view, row) for row in range(view.model().rowCount())]
        refs = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
        assert shown == refs, shown
        assert sorted(refs) == sorted(REFERENCES)
        # It still fits the window: the columns fill the view and no scroll bar is needed.
        header = view.horizontalHeader()
        assert header.length() <= view.viewport().width() + 1
    finally:
        window.set_font_scale(1.0)


def test_a_reference_longer_than_any_layout_is_elided_in_the_middle(make_window, ctx, qtbot):
    long = "DEMO-SCHOOL-NURSE-CASE-REFERENCE-" + "X" * 160 + "-0412"
    ctx.start(setting="school-nurse", age=12, reference=long, presenting_issue="Y7")
    window = make_window(ctx)
    view = window.home.drafts_view
    qtbot.waitUntil(lambda: window.home.drafts.rowCount() == 1)
    QApplication.processEvents()
    shown = _shown(view, 0)
    assert shown != long and shown.startswith("DEMO") and shown.endswith("0412")
    assert view.horizontalHeader().length() <= view.viewport().width() + 1

"""Home lists and search; the start page's checks and the remembered setting."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from screening_app.app import Workspace
from screening_app.settings import UserSettings, load_settings

from .helpers import click, start_assessment


def test_drafts_newest_first_with_setting_age_starter_and_time(make_window, qtbot, ctx):
    older = ctx.start(setting="gp", age=9, reference="OLD")
    second = Workspace(ctx.catalog, ctx.store, user="Dr Second")
    newer = second.start(setting="custody", age=15, reference="NEW")
    older.answer(*_first_key(older), "declined")  # saved after the other: now the newest
    window = make_window(ctx)
    model = window.home.drafts
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["OLD", "NEW"]
    row = [model.data(model.index(1, c)) for c in range(model.columnCount())]
    assert row[:4] == ["NEW", "Police custody", "15", "Dr Second"]
    assert row[4].startswith("Today")
    assert newer.id == model.row_at(1).id


def _first_key(opened):
    module, item = next((m, i) for m, i in opened.session.visible_items()
                        if i.answerable and i.declinable)
    return module.id, item.id


def test_search_by_reference_setting_and_date(window, qtbot, ctx):
    ctx.start(setting="gp", age=9, reference="ALPHA-1")
    ctx.start(setting="ed", age=9, reference="ALPHA-2")
    ctx.start(setting="ed", age=9, reference="BETA-1")
    home = window.home
    qtbot.keyClicks(home.reference, "ALPHA")
    click(qtbot, home.search_button)
    assert home.results.rowCount() == 2
    home.setting.setCurrentIndex(home.setting.findData("ed"))
    click(qtbot, home.search_button)
    assert [home.results.row_at(r).reference for r in range(home.results.rowCount())] == \
        ["ALPHA-2"]
    home.reference.clear()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    home.on_or_after.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    click(qtbot, home.search_button)
    assert home.results.rowCount() == 0 and home.results_note.text() == "Nothing found."
    home.on_or_after.setDate(home.on_or_after.minimumDate())  # "Any date"
    click(qtbot, home.search_button)
    assert home.results.rowCount() == 2


def test_start_page_checks_age_and_remembers_the_setting(make_window, qtbot, ctx, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("SCREENING_APP_SETTINGS", str(tmp_path / "settings.json"))
    from screening_app.ui.main_window import MainWindow

    window = MainWindow(UserSettings(last_setting="custody"), ctx)
    qtbot.addWidget(window)
    window.show()
    click(qtbot, window.home.start_button)
    page = window.start_page
    assert page.setting.currentData() == "custody"  # chosen last on this workstation
    page.setting.setCurrentIndex(page.setting.findData("school-nurse"))
    click(qtbot, page.start_button)
    assert page.problem.isVisible() and "age or date of birth" in page.problem.text()
    page.by_dob.setChecked(True)
    born = dt.date.today().replace(year=dt.date.today().year - 30)
    page.dob.setDate(QDate(born.year, born.month, born.day))
    click(qtbot, page.start_button)
    assert "aged 5 to 17" in page.problem.text() and window.assessment is None
    born = dt.date(dt.date.today().year - 10, 1, 1)
    page.dob.setDate(QDate(born.year, born.month, born.day))
    click(qtbot, page.start_button)
    opened = window.assessment
    assert opened is not None and opened.record.date_of_birth == born.isoformat()
    assert opened.record.setting == "school-nurse"
    assert load_settings().last_setting == "school-nurse"
    window.close()


def test_start_cancel_returns_home(window, qtbot):
    click(qtbot, window.home.start_button)
    click(qtbot, window.start_page.cancel_button)
    assert window.home.isVisible()


def test_start_reference_is_saved(window, qtbot, ctx):
    opened = start_assessment(window, qtbot, "ed", reference="R-9")
    assert (opened.record.reference, opened.record.presenting_issue) == ("R-9", None)


def test_past_assessments_list_is_current_after_completing(window, qtbot, ctx):
    """Defect 13: a just-completed assessment is listed without pressing Search."""
    from .helpers import Walker, calm, complete

    window.home.search()
    before = window.home.results.rowCount()
    start_assessment(window, qtbot, "gp", reference="JUST-DONE")
    Walker(window, qtbot, calm).walk_all()
    complete(window.review, qtbot)
    click(qtbot, window.review.home_button)
    results = window.home.results
    refs = [results.row_at(n).reference for n in range(results.rowCount())]
    assert results.rowCount() == before + 1 and "JUST-DONE" in refs


def test_start_page_names_a_reference_that_cannot_be_stored(window, qtbot):
    click(qtbot, window.home.start_button)
    page = window.start_page
    page.setting.setCurrentIndex(page.setting.findData("ed"))
    page.age.setValue(14)
    page.reference.setText("R-\x00-9")  # pasted: a key press can't type NUL
    click(qtbot, page.start_button)
    assert window.assessment is None and page.isVisible()
    assert page.problem.text().startswith("The reference: ") and "NUL" in page.problem.text()


def test_an_age_outside_the_pathway_is_named_with_its_range_not_cleared(window, qtbot):
    """Walk finding: typing 18 (or 4) for school nursing was silently cleared, with only
    "Give the child's age"; and the message pushed Start down from under the pointer."""
    click(qtbot, window.home.start_button)
    page = window.start_page
    page.setting.setCurrentIndex(page.setting.findData("school-nurse"))
    before = page.start_button.mapTo(page, page.start_button.rect().topLeft())
    for typed in ("18", "4"):
        page.age.setFocus()
        page.age.selectAll()
        qtbot.keyClicks(page.age, typed)
        assert page.age.value() == int(typed)
        click(qtbot, page.start_button)
        assert window.assessment is None
        assert "aged 5 to 17" in page.problem.text() and f"is {typed}" in page.problem.text()
        assert page.start_button.mapTo(page, page.start_button.rect().topLeft()) == before


def test_no_drafts_says_only_what_this_user_can_see(window, qtbot, ctx):
    """Walk finding: another team's practitioner read "every assessment started here has
    been completed" while the first team had a draft open."""
    window.home.refresh()
    text = window.home.drafts_note.text()
    assert text.startswith("No drafts to finish") and "completed" not in text
    if ctx.team:
        assert ctx.team in text


def test_the_start_button_follows_the_text_size_both_ways(window, qtbot, qapp):
    """Walk finding: after 200% and back to 100% the Start button stayed 200% tall."""
    from screening_app.ui.theme import apply_font_scale

    button = window.home.start_button
    before = button.minimumHeight()
    try:
        apply_font_scale(qapp, 2.0)
        assert button.minimumHeight() >= before * 1.7
    finally:
        apply_font_scale(qapp, 1.0)
    assert button.minimumHeight() == before


def test_tab_leaves_the_date_filters_whether_or_not_they_hold_a_date(window, qtbot):
    """Walk finding: Tab never left 'Started on or after' while it showed 'Any date', so
    Search, the results and 'Open selected' could not be reached by keyboard."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    home = window.home
    home.on_or_after.setFocus()
    qtbot.waitUntil(home.on_or_after.hasFocus)
    assert home.on_or_after.text() == "Any date"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert home.before.hasFocus()
    home.before.setDate(QDate.currentDate())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert not home.before.hasFocus(), "Tab stayed inside the date"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert home.before.hasFocus()

"""The desktop app's date and number fields against the core's rule (finding 19): what a
field sends is checked by the same ``engine.answers`` rule as the answers file, so a date
outside 1900-2100 typed as day/month/year is refused by the core, not kept."""

from __future__ import annotations

import pytest

from screening_app.app import AnswerError, Workspace, load_content
from screening_app.store import Store, open_database
from screening_app.ui.items import create_item_widget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def catalog():
    return load_content()


@pytest.fixture
def assessment(catalog, tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'heard.db'}")
    ws = Workspace(catalog, Store(database), user="Nurse Test")
    opened = ws.start(setting="ed", age=14)
    opened.answer("context", "external_scores", "yes")
    opened.answer("external-scores", "instruments", ["sdq"])
    yield opened
    database.dispose()


def typed(qtbot, catalog, item_id: str, text: str, *, paste: bool = False):
    """Type ``text`` into the real field for external-scores ``item_id``; what it sends
    (None when the field itself refused it) and the error it shows."""
    item = catalog.module("external-scores").item(item_id)
    widget = create_item_widget(item, "ed")
    qtbot.addWidget(widget)
    widget.show()
    sent: list = []
    widget.answered.connect(sent.append)
    if paste:
        widget.editor.insert(text)  # as a paste does: the field's textEdited follows
    else:
        qtbot.keyClicks(widget.editor, text)
    widget.flush()
    return (sent[-1] if sent else None), (widget.error.text() if widget.error.isVisible()
                                          else "")


@pytest.mark.parametrize("text", ["01/01/0001", "31/12/9999", "1 Jan 1850"])
def test_a_date_outside_the_sane_range_is_refused_by_the_core(qtbot, catalog, assessment,
                                                               text):
    sent, shown = typed(qtbot, catalog, "sdq_date", text)
    if sent is None:  # the field refused it itself
        assert shown
        return
    with pytest.raises(AnswerError, match="outside the years"):
        assessment.answer("external-scores", "sdq_date", sent)
    assert ("external-scores", "sdq_date") not in assessment.session.answers


def test_a_day_that_does_not_exist_is_refused_in_the_field(qtbot, catalog):
    sent, shown = typed(qtbot, catalog, "sdq_date", "30/02/2026")
    assert sent is None and shown


def test_a_real_date_and_number_are_kept(qtbot, catalog, assessment):
    sent, _ = typed(qtbot, catalog, "sdq_date", "31/01/2026")
    assessment.answer("external-scores", "sdq_date", sent)
    sent_number, _ = typed(qtbot, catalog, "sdq_total", "12")
    assessment.answer("external-scores", "sdq_total", sent_number)
    assert assessment.session.answers[("external-scores", "sdq_date")] == "2026-01-31"
    assert assessment.session.answers[("external-scores", "sdq_total")] == 12


@pytest.mark.parametrize("item_id, text", [
    ("sdq_total", "\u0661\u0662"),        # Arabic-Indic 12: float() would take it
    ("sdq_total", "\uff11\uff12"),        # full-width 12
    ("sdq_total", "1e999"),
    ("sdq_total", "nan"),
    ("sdq_date", "\uff13\uff11/01/2026"),  # full-width day
])
def test_the_fields_read_numbers_and_dates_as_the_core_does(qtbot, catalog, item_id, text):
    """The field's own reading is the core's (engine.answers): it sends nothing and says
    why, where float() and strptime() would have turned these into values. (Pasted: QTest
    cannot type characters outside Latin-1.)"""
    sent, shown = typed(qtbot, catalog, item_id, text, paste=True)
    assert sent is None and shown and shown[0].isupper()


def test_a_grouped_number_is_still_read(qtbot, catalog):
    sent, shown = typed(qtbot, catalog, "sdq_total", "1,250")
    assert sent == 1250 and not shown

"""Issue 16.4 on the review: the custody escalation to the duty inspector (a needed mental
health assessment has not happened) is recorded from the act-now card itself, prefilled
from the content's ``escalate_to``; the card then shows the escalation and its outcome, and
both are in the record's audit trail."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton

from screening_app.app import open_workspace
from screening_app.security.access import initialise, sign_in
from screening_app.security.roles import Role
from screening_app.security.users import add_user

from .helpers import click

ADMIN, ADMIN_PASSWORD = "Ada Admin", "lantern orchard pebble"
PASSWORD = "violet harbour teapot"
FLAG = "custody-inspector-escalation"


def _texts(widget) -> str:  # noqa: ANN001
    text = " ".join(w.text() for w in widget.findChildren(QLabel))
    return text.replace("\u2068", "").replace("\u2069", "")


def test_the_inspector_escalation_is_recorded_from_the_act_now_card(make_window, qtbot,
                                                                   catalog, tmp_path):
    url = f"sqlite:///{tmp_path / 'heard.db'}"
    initialise(url, ADMIN, ADMIN_PASSWORD, team="Admin office")
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Cal", Role.PRACTITIONER, "Custody", PASSWORD)
    finally:
        admin.close()
    ws = open_workspace(url, "Cal", lambda _prompt: PASSWORD, catalog=catalog)
    try:
        opened = ws.start(setting="custody", age=15, reference="CUS-ESC")
        opened.answer("custody-booking", "presentation", ["distressed"])
        opened.answer("custody-booking", "mh_assessment", "unavailable")
        flag = opened.raised(FLAG)
        assert flag is not None and flag.escalate_to == "duty inspector"
        window = make_window(ws)
        window.show_review(ws.open(opened.id))
        review = window.review
        card = review.scroll.widget().findChild(QFrame, f"flag-card:{FLAG}")
        button = card.findChild(QPushButton, f"escalate:flag:{FLAG}")
        assert button is not None and button.text() == "Record escalation…"
        click(qtbot, button)
        form = review.escalation_form
        assert form is not None and review.dialog.isVisible()
        assert form.escalate_to.text() == "duty inspector"
        assert form.escalate_reason.text() == flag.title
        qtbot.keyClicks(form.escalate_reason, ": L&D closed overnight")
        click(qtbot, form.escalate_button)
        assert form.escalation_outcome_button.isEnabled()
        qtbot.keyClicks(form.escalation_outcome, "Inspector arranged a place of safety")
        click(qtbot, form.escalation_outcome_button)
        review.dialog.reject()
        QApplication.processEvents()
        card = review.scroll.widget().findChild(QFrame, f"flag-card:{FLAG}")
        shown = _texts(card)
        assert "Escalated to duty inspector by Cal" in shown
        assert f"{flag.title}: L&D closed overnight" in shown
        assert "Outcome: Inspector arranged a place of safety (Cal" in shown
        assert card.findChild(QPushButton, f"escalate:flag:{FLAG}").text() == \
            "Escalation and outcome…"
    finally:
        ws.close()
    admin_ws = open_workspace(url, ADMIN, lambda _prompt: ADMIN_PASSWORD, catalog=catalog)
    try:
        trail = admin_ws.record_trail(opened.id)
    finally:
        admin_ws.close()
    actions = [(e.action, e.actor, e.detail_dict().get("to")) for e in trail]
    assert ("escalate", "Cal", "duty inspector") in actions
    assert any(a == "escalation-outcome" and who == "Cal" for a, who, _to in actions)


def test_the_act_now_dialog_records_the_escalation_before_acknowledging(window, qtbot, ctx):
    opened = ctx.start(setting="custody", age=15, reference="CUS-ESC2")
    opened.answer("custody-booking", "presentation", ["distressed"])
    window.open_by_id(opened.id)
    page = window.walkthrough
    while page.act_now_dialog is not None:
        click(qtbot, page.act_now_dialog.button)
    page.go_to("custody-booking", "mh_assessment")
    item = page.view.widget_for("mh_assessment")
    click(qtbot, item.buttons[item.values.index("unavailable")])
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    while page.act_now_dialog.flag.id != FLAG:
        click(qtbot, page.act_now_dialog.button)
        qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    dialog = page.act_now_dialog
    assert dialog.escalate_button is not None
    click(qtbot, dialog.escalate_button)
    form = dialog.escalation_dialog.form
    assert (form.escalate_to.text(), form.escalate_reason.text()) == (
        "duty inspector", dialog.flag.title)
    click(qtbot, form.escalate_button)
    dialog.escalation_dialog.reject()
    click(qtbot, dialog.button)
    [recorded] = ctx.actions().escalations(opened.id)
    assert (recorded.to_role, recorded.reason, recorded.raised_by) == (
        "duty inspector", dialog.flag.title, "Nurse Test")
    assert FLAG in {a.flag_id for a in ctx.store.load(opened.id).acknowledgements}

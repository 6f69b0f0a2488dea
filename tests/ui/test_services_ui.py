"""The directory page, suggested services, the action card and the supervisor's list, as
real widgets over a real SQLite store."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

from screening_app.paths import resources_dir
from screening_app.services import DirectoryEntry, build_index, match_services, needs_from_result
from screening_app.services.files import read_directory
from screening_app.services.needs import default_need_map
from screening_app.store.actions import Actions
from screening_app.store.directory import Directory
from screening_app.ui.actions_card import ActionsCard
from screening_app.ui.pages.directory import DirectoryPage, SuggestedServicesPanel
from screening_app.ui.pages.supervisor import SupervisorPage

SAMPLE = resources_dir() / "services" / "sample-directory.json"
TODAY = dt.date(2026, 12, 1)
RESULT = {"flags": [{"id": "psy-mood-persistent", "level": "refer", "title": "Low mood",
                     "action": "Refer through the single point of access."}],
          "recommendations": [{"id": "gp-review", "text": "Book a review within 4 weeks."}]}


def completed(store, result=RESULT) -> str:
    row = store.create_assessment(setting="gp", age=15, by="Nurse Test",
                                  content_pins={"gp": {"version": "1", "sha256": "0" * 64}},
                                  reference="GP-7")
    store.complete(row.id, result, by="Nurse Test", expected_version=row.row_version)
    return row.id


def test_directory_page_imports_filters_and_edits(qtbot, ctx, tmp_path):
    directory = Directory(ctx.store)
    page = DirectoryPage(directory, user="Nurse Test")
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    assert page.detail.text() == "The directory is empty: import your area's ORUK file."
    bad = json.loads(SAMPLE.read_text())
    bad["contents"][0]["maximum_age"] = 999
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert not page.import_file(tmp_path / "bad.json")
    assert page.problems.isVisibleTo(page) and page.problems.count() == 1
    assert "maximum_age: 999 is not an age" in page.problems.item(0).text()
    assert directory.entries() == []
    assert page.import_file(SAMPLE)
    assert page.table.rowCount() == 14 and not page.problems.isVisibleTo(page)
    page.filter.setText("harbour")
    assert page.table.rowCount() == 1
    assert "Alert: FICTIONAL ALERT" in page.detail.text()
    assert "Entry assured 2024-05-01" in page.detail.text()
    page.editor.routes["self-referral"].setChecked(False)
    page.editor.wait.setValue(3)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = next(e for e in directory.entries() if e.name.startswith("Harbour"))
    assert (saved.local.access_routes, saved.local.typical_wait_days) == (("drop-in",), 3)
    assert page.table.item(0, 3).text() == "3 days"


def test_suggested_services_show_why_and_hand_over_the_choice(qtbot):
    entries = read_directory(SAMPLE).entries
    at = next(i for i, e in enumerate(entries) if e.name.startswith("Northfield Young"))
    entries[at] = DirectoryEntry({**entries[at].record, "name": "<b>Not bold</b> (fictional)"},
                                 entries[at].local)
    index = build_index(entries, default_need_map())
    found = match_services(needs_from_result(RESULT), 15, index, area="Northfield",
                           today=TODAY)
    panel = SuggestedServicesPanel()
    qtbot.addWidget(panel)
    panel.set_suggestions(found)
    assert panel.list.count() == len(found) == 4
    assert panel.title.text() == "Suggested services (4)"
    assert panel.detail.text().startswith("Why: meets the need: low mood (refer")
    assert panel.detail.textFormat() == Qt.TextFormat.PlainText
    assert panel.list.item(0).text() == "<b>Not bold</b> (fictional): low mood"
    with qtbot.waitSignal(panel.chosen) as chosen:
        qtbot.mouseClick(panel.refer, Qt.MouseButton.LeftButton)
    assert chosen.args == [found[0].service_id]
    panel.set_suggestions([])
    assert panel.empty.isVisibleTo(panel) and not panel.list.isVisibleTo(panel)


def test_action_card_adds_records_did_not_attend_and_escalates(qtbot, ctx):
    aid = completed(ctx.store)
    Directory(ctx.store).import_entries(read_directory(SAMPLE).entries, by="x", source="s")
    card = ActionsCard(Actions(ctx.store), aid, RESULT, user="Nurse Test", today=TODAY)
    qtbot.addWidget(card)
    assert card.source.count() == 3  # the flag, the recommendation, something else
    card.set_service(read_directory(SAMPLE).entries[2].id)
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    assert card.table.rowCount() == 1, card.banner.message.text()
    assert card.table.item(0, 1).text() == "Refer through the single point of access."
    assert card.table.item(0, 2).text() == "referral"
    card.table.selectRow(0)
    qtbot.mouseClick(card.dna_button, Qt.MouseButton.LeftButton)
    assert card.table.rowCount() == 2
    assert [card.table.item(r, 5).text() for r in range(2)] == ["did-not-attend", "open"]
    assert card.table.item(1, 2).text() == "follow-up"
    card.owner.clear()
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    assert card.banner.message.text() == "an action needs an owner"
    form = card.escalation
    qtbot.mouseClick(form.escalate_button, Qt.MouseButton.LeftButton)
    assert form.banner.message.text() == "an escalation needs who it goes to"
    form.escalate_to.setText("safeguarding lead")
    form.escalate_reason.setText("family not reachable")
    qtbot.mouseClick(form.escalate_button, Qt.MouseButton.LeftButton)
    assert form.escalations.count() == 1
    form.escalation_outcome.setText("lead visited")
    qtbot.mouseClick(form.escalation_outcome_button, Qt.MouseButton.LeftButton)
    assert form.escalations.item(0).text().endswith("outcome: lead visited")
    assert not form.escalation_outcome_button.isEnabled()


def test_supervisor_page_lists_what_waits_and_lets_go_when_done(qtbot, ctx):
    aid = completed(ctx.store)
    actions = Actions(ctx.store)
    late = actions.add(aid, source="flag:psy-mood-persistent", owner="Dr Patel",
                       due_on=TODAY - dt.timedelta(days=5), by="Nurse Test")
    page = SupervisorPage(actions, today=TODAY)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 1
    assert page.table.item(0, 4).text() == "1 action(s) not done, 1 overdue"
    with qtbot.waitSignal(page.open_assessment) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [aid]
    actions.update(late.id, status="done", by="Nurse Test")
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page)


def test_directory_page_for_non_administrators_only_shows(qtbot, ctx):
    directory = Directory(ctx.store)
    directory.import_entries(read_directory(SAMPLE).entries, by="x", source="s")
    page = DirectoryPage(directory, user="Pat", editable=False)
    qtbot.addWidget(page)
    page.show()
    assert page.table.rowCount() == 14
    assert not page.editor.isVisible() and not page.import_button.isVisible()


def test_an_alert_is_edited_and_shown_with_the_suggestion(qtbot, ctx):
    directory = Directory(ctx.store)
    directory.import_entries(read_directory(SAMPLE).entries, by="x", source="s")
    page = DirectoryPage(directory, user="Ada")
    qtbot.addWidget(page)
    page.filter.setText("Open Door")
    page.editor.alert.setText("Closed 24-26 December (fictional)")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    found = match_services(needs_from_result(RESULT), 15, directory.index(),
                           area="Northfield", today=TODAY)
    door = next(s for s in found if s.name.startswith("Open Door"))
    assert door.alert == "Closed 24-26 December (fictional)"


def test_need_mapping_editor_saves_a_row_and_refuses_a_bad_term(qtbot, ctx):
    from screening_app.ui.pages.directory import NeedMappingEditor

    directory = Directory(ctx.store)
    editor = NeedMappingEditor(directory, user="Ada")
    qtbot.addWidget(editor)
    tags = [editor.table.item(r, 0).text() for r in range(editor.table.rowCount())]
    row = tags.index("low-mood")
    editor.table.setCurrentCell(row, 1)
    editor.table.item(row, 1).setText("esdNeeds:Mental health; heard-needs:low-mood")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert directory.need_map().terms["low-mood"] == (("esdNeeds", "Mental health"),
                                                      ("heard-needs", "low-mood"))
    editor.table.setCurrentCell(row, 1)
    editor.table.item(row, 1).setText("no colon here")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.message.text() == "'no colon here': write each term as taxonomy:term"
    assert directory.need_map().terms["low-mood"][0] == ("esdNeeds", "Mental health")

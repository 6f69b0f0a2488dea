"""The Qt models keep Qt's model contract (pytest-qt's qtmodeltester)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from screening_app.engine.results import RaisedFlag
from screening_app.store import AssessmentSummary
from screening_app.ui.models.assessment_table import (
    DRAFT_COLUMNS,
    SEARCH_COLUMNS,
    AssessmentTableModel,
    IdRole,
)
from screening_app.ui.models.flag_list import AcknowledgedRole, FlagListModel, FlagRole


def summary(n: int, **extra) -> AssessmentSummary:
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    fields = dict(id=f"id-{n}", reference=f"REF-{n}", setting="custody", age=10 + n,
                  status="draft", version=1, created_by="PC Example",
                  created_at=now - dt.timedelta(days=n), updated_at=now - dt.timedelta(hours=n))
    fields.update(extra)
    return AssessmentSummary(**fields)


def test_assessment_table_model(qtmodeltester):
    model = AssessmentTableModel(DRAFT_COLUMNS)
    qtmodeltester.check(model)
    model.set_rows([summary(1), summary(2, reference=None), summary(3, version=2,
                                                                   status="complete")])
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == len(DRAFT_COLUMNS)
    assert model.data(model.index(0, 0)) == "REF-1"
    assert model.data(model.index(1, 0)) == "(none)"
    assert model.data(model.index(0, 1)) == "Police custody"
    assert model.data(model.index(2, 0), IdRole) == "id-3"
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Last saved"
    search = AssessmentTableModel(SEARCH_COLUMNS)
    search.set_rows([summary(3, version=2, status="complete")])
    qtmodeltester.check(search)
    assert search.data(search.index(0, 3)) == "Completed (v2)"


def test_flag_list_model(qtmodeltester):
    model = FlagListModel()
    qtmodeltester.check(model)
    flags = [RaisedFlag(id="a", module="m", level="act-now", title="Do this now", action="x",
                        rationale="r", source="s"),
             RaisedFlag(id="b", module="m", level="consider", title="<b>Think</b>", action="y",
                        rationale="r", source="s")]
    model.set_flags(flags, acknowledged=["a"])
    qtmodeltester.check(model)
    assert model.data(model.index(0)) == "Act now: Do this now (acknowledged)"
    assert model.data(model.index(1)) == "Consider: <b>Think</b>"
    assert model.data(model.index(0), AcknowledgedRole) is True
    assert model.data(model.index(1), FlagRole) is flags[1]
    assert model.data(model.index(0), Qt.ItemDataRole.ForegroundRole).isValid()


def test_flag_list_updates_row_by_row(qtmodeltester, qtbot):
    def flag(i, level="refer"):
        return RaisedFlag(id=i, module="m", level=level, title=i, action="a", rationale="r",
                          source="s")

    model = FlagListModel()
    qtmodeltester.check(model)
    model.set_flags([flag("b"), flag("d")])
    with qtbot.waitSignals([model.rowsInserted, model.rowsInserted]):
        model.set_flags([flag("a", "act-now"), flag("b"), flag("c"), flag("d")])
    assert [model.flag_at(r).id for r in range(4)] == ["a", "b", "c", "d"]
    with qtbot.waitSignal(model.rowsRemoved):
        model.set_flags([flag("a", "act-now"), flag("d")], acknowledged=["a"])
    assert model.data(model.index(0)) == "Act now: a (acknowledged)"
    with qtbot.waitSignal(model.modelReset):
        model.set_flags([flag("d"), flag("a", "act-now")])  # a reorder resets
    qtmodeltester.check(model)
    model.set_flags([])
    assert model.rowCount() == 0

"""The store under the calls both front doors use (``screening_app.app``), with the shipped
content, on both backends: content pinned, a flag raised and acknowledged, a decision with
its reason, completion freezing the result, an amendment as a new version."""

from __future__ import annotations

import pytest

from screening_app.app import Workspace, load_content
from screening_app.store import ReadOnlyAssessmentError, Store


@pytest.fixture(scope="module")
def catalog():
    return load_content()


def test_an_assessment_from_start_to_amendment(catalog, database):
    sam = Workspace(catalog, Store(database), user="sam")
    opened = sam.start(setting="ed", age=15, reference="ED-2024-1")
    assert opened.record.content_pins["asq"]["sha256"] == catalog.pin("asq")["sha256"]
    opened.answer("asq", "q1", "yes")
    raised = [f for f in opened.session.evaluation.flags if f.module == "asq"]
    assert raised, "a yes to ASQ q1 raises an ASQ flag"
    flag = raised[0]
    opened.acknowledge(flag.id, note="stayed with the child")
    opened.decide(f"flag:{flag.id}", "override", reason="already under the crisis team")
    for screen in opened.unresolved_safety_screens():
        opened.record_not_asked(screen.module, screen.item, "asked by the crisis team")
    opened.complete()

    again = sam.open(opened.id)
    assert again.read_only
    frozen = again.result()
    assert frozen.status == "complete"
    assert flag.id in {f.id for f in frozen.flags}
    assert frozen.acknowledgements[0].flag_id == flag.id
    assert frozen.decision_for(f"flag:{flag.id}").reason == "already under the crisis team"
    answer = next(a for a in frozen.answers if a.item == "q1")
    assert answer.by == "sam" and answer.answered_at.endswith("+00:00")
    with pytest.raises(ReadOnlyAssessmentError):
        again.answer("asq", "q1", "no")

    alex = Workspace(catalog, Store(database), user="alex")
    amended = alex.open(opened.id).amend("the child changed her answer")
    amended.answer("asq", "q1", "no", reason="the child changed her answer")
    assert amended.record.parent_id == opened.id and amended.record.version == 2
    assert sam.open(opened.id).result() == frozen  # the original is untouched

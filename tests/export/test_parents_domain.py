"""Information about parents is off by default in a partner copy, down to the options of an
item (issue 13.2): "what is already known" keeps what is about the child and leaves out
what is about a parent's own health, unless parents are included."""

from __future__ import annotations

from screening_app.app import Workspace, load_content
from screening_app.export.release import PARTNER_DOMAINS
from screening_app.store import Store, open_database

from .helpers import pdf_text, share, squash
from .render_demo import make_demo

PARENT = "Parent or carer with mental ill health"
CHILD = "Young carer (looks after someone at home)"


def test_options_about_parents_are_left_out_unless_parents_are_included(tmp_path):
    ws = Workspace(load_content(), Store(open_database(f"sqlite:///{tmp_path / 'p.db'}")),
                   user="S. Patel (ED nurse)")
    try:
        aid, _ = make_demo(ws)  # context.known: young carer, parent with mental ill health
        texts = {}
        for name, variant, include in [("full", "full", frozenset()),
                                       ("partner", "partner", frozenset()),
                                       ("with-parents", "partner", frozenset({"parents"}))]:
            out = tmp_path / f"{name}.pdf"
            made = ws.export_document(aid, out, variant, request=share(variant,
                                                                       include=include))
            texts[name] = squash("".join(pdf_text(out.read_bytes())))
            if name == "partner":
                assert PARTNER_DOMAINS["parents"].label in made.release.left_out
    finally:
        ws.close()
    assert squash(PARENT) in texts["full"] and squash(CHILD) in texts["full"]
    assert squash(PARENT) not in texts["partner"]
    assert squash(CHILD) in texts["partner"]  # the item stays, without the parent's option
    assert squash(PARENT) in texts["with-parents"]


def test_a_record_whose_only_known_fact_is_about_a_parent_leaves_the_item_out(tmp_path):
    ws = Workspace(load_content(), Store(open_database(f"sqlite:///{tmp_path / 'q.db'}")),
                   user="S. Patel (ED nurse)")
    try:
        a = ws.start(setting="ed", age=14, reference="ED-PARENT-1")
        a.answer("context", "known", ["parent_substance"])
        out = tmp_path / "partner.pdf"
        made = ws.export_document(a.id, out, "partner", request=share("partner"))
        text = squash("".join(pdf_text(out.read_bytes())))
    finally:
        ws.close()
    assert PARTNER_DOMAINS["parents"].label in made.release.left_out
    assert squash("Parent or carer who misuses alcohol or drugs") not in text
    # Not "None of these known": the item is left out, not emptied.
    assert squash("None of these known") not in text

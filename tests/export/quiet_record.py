"""The ED pathway's no-concerns record (the sprained ankle): every core item answered as for a
child with nothing to worry about (``tests.content_clinical.support.NO_CONCERN``)."""

from __future__ import annotations

from screening_app.app import Workspace

from ..content_clinical.support import NO_CONCERN, pending_core


def quiet_ed(ctx: Workspace, *, reference: str = "ED-25-00731", age: int = 14) -> str:
    """Start and complete the no-concerns ED record; returns its id."""
    a = ctx.start(setting="ed", age=age, reference=reference,
                  presenting_issue="Sprained ankle playing football.")
    while pending := pending_core(a.session):
        module, item = pending[0]
        a.answer(module, item, NO_CONCERN[(module, item)])
    a.complete()
    return a.id

"""Review: what the answers call for, then complete (read-only after; amend for changes).

Everything shown comes from the typed result (``OpenAssessment.result()``), the same one
the command line prints, so a completed assessment shows its frozen copy. The rules
(what blocks completion, what a decision needs) are the application layer's; this page
shows them and asks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...app import AssessmentResult, OpenAssessment, RuleRefused, StoreError
from ...engine.results import RaisedFlag
from ...wording import DECISION_NAMES, LEVEL_NAMES, STATUS_NAMES, breakable, setting_name
from ...wording import isolate as _isolate
from .. import plan
from ..dialogs import (
    IN_ERROR_EXPLANATION,
    ActNowDialog,
    EscalationDialog,
    ReasonDialog,
    in_error_recorder,
)
from ..theme import Card, level_colour, set_card, set_primary, spacing
from ..widgets import Banner, PlainLabel, button_text, heading, hint, hline
from .review_parts import answers_by_domain, presenting_reason


def isolate(text: str) -> str:
    """User text inside a sentence: isolated (bidi) and breakable (long runs)."""
    return _isolate(breakable(text))


def card_button(layout: QVBoxLayout, label: str, name: str, about: str,
                on_click: Callable[..., None]) -> QPushButton:
    """A button on a card's row of its own, named ``name`` (tests and focus find it by
    that) and, for screen readers, ``about``."""
    button = QPushButton(label)
    button.setObjectName(name)
    button.setAccessibleName(about)
    button.setAutoDefault(True)
    button.clicked.connect(on_click)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    return button


def why_toggle(text: str, about: str, parent: QWidget) -> QWidget:
    """Sources and reasons behind a "Why?" button, so the actions stay easy to scan."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    button = QToolButton(box)
    button.setText("Why?")
    button.setCheckable(True)
    button.setAccessibleName(f"Why and source: {about}")
    detail = hint(text, box)
    detail.setObjectName("why-detail")
    detail.hide()
    button.toggled.connect(detail.setVisible)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addWidget(detail)
    return box


class ReviewPage(QWidget):
    back_requested = Signal()
    home_requested = Signal()
    question_requested = Signal(str, str)  # module, item: "go to this unanswered question"
    amended = Signal(object)  # the new draft's OpenAssessment

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("review")
        self.assessment: OpenAssessment | None = None
        self.dialog = None
        self.escalation_form = None  # the open escalation form, if any
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading("Review", 1, self)
        top.addWidget(self.title, 1)
        self.back_button = QPushButton("&Back to questions", self)
        self.back_button.setAutoDefault(True)
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.trail_button = QPushButton("Audit &trail…", self)
        self.trail_button.setAccessibleName("Audit trail of this record")
        self.trail_button.setAutoDefault(True)
        self.trail_button.clicked.connect(self.show_trail)
        self.trail_button.hide()
        top.addWidget(self.trail_button)
        self.home_button = QPushButton("&Home", self)
        self.home_button.setAutoDefault(True)
        self.home_button.clicked.connect(self.home_requested)
        top.addWidget(self.home_button)
        layout.addLayout(top)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.scroll, 1)
        bottom = QHBoxLayout()
        self.export_row = QHBoxLayout()
        bottom.addLayout(self.export_row)
        bottom.addStretch(1)
        self.blocker = PlainLabel("", self)
        bottom.addWidget(self.blocker)
        self.complete_button = QPushButton("&Complete", self)
        self.complete_button.setAutoDefault(True)
        set_primary(self.complete_button)
        self.complete_button.clicked.connect(self.complete)
        bottom.addWidget(self.complete_button)
        self.amend_button = QPushButton("&Amend…", self)
        self.amend_button.setAccessibleName("Amend: start a new version")
        self.amend_button.setAutoDefault(True)
        self.amend_button.clicked.connect(self.amend)
        bottom.addWidget(self.amend_button)
        layout.addLayout(bottom)

    # -- building ---------------------------------------------------------------------------
    def open(self, assessment: OpenAssessment) -> None:
        self.assessment = assessment
        self.banner.hide()
        self.refresh()
        (self.amend_button if assessment.read_only else self.complete_button).setFocus()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        # Flag colours are chosen per scheme when the cards are built: build them again
        # when the scheme changes (walk finding: light-scheme red on a dark card).
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self.assessment:
            self.refresh()

    def refresh(self, focus_target: str | None = None, focus_kind: str = "accept") -> None:
        assert self.assessment is not None
        a = self.assessment
        result = a.result()
        read_only = a.read_only
        kept_scroll = self.scroll.verticalScrollBar().value()
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setSpacing(spacing() // 2)
        self._summary(layout, result)
        # A task list: what to do now first (act-now and refer cards), then what is missing.
        self._flags(layout, result, read_only)
        self._in_error(layout, result, read_only)
        if not read_only:
            self._safety_screens(layout, a)
            self._unanswered(layout, a)
        self._retracted(layout, result)
        self._recommendations(layout, result, read_only)
        self._services(layout, a, result)
        self._results(layout, result)
        self._communication(layout, result)
        self._child_voice(layout, result)
        self._domains(layout, result)
        layout.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(content)
        content.show()  # (a scroll area already on screen does not show a new widget)
        if focus_target:  # after a decision: stay where the practitioner was
            self._keep_place(content, kept_scroll, focus_target, focus_kind)

        self.back_button.setVisible(not read_only)
        self.complete_button.setVisible(not read_only)
        self.amend_button.setVisible(read_only)
        self.title.setText("Review" if not read_only else
                           f"Completed assessment (version {result.version})")
        if not read_only:
            missing = len(plan.unanswered(a.session))
            blocked = a.completion_blockers()
            self.complete_button.setEnabled(not blocked)
            if a.unacknowledged_act_now():
                why = "Acknowledge the act-now flag before completing."
            elif blocked:
                why = "Answer each safety screen, or record why it was not asked."
            else:
                why = f"{missing} question(s) not answered." if missing else ""
            self.blocker.setText(why)
            self.complete_button.setText("&Complete" if not missing
                                         else "&Complete anyway")
        else:
            self.blocker.setText("Read-only. Amend to make a new version.")
        self._refresh_exports(read_only)
        from ..locking import trail_allowed

        self.trail_button.setVisible(trail_allowed(a))

    def _keep_place(self, content: QWidget, scroll: int, target: str, kind: str) -> None:
        """The new page keeps the old scroll position, and the focus on the button of the
        decided row that was used: never on one that a stray Space would turn into another
        decision (walk finding: after an edit, Space accepted the flag). Where that button is
        gone (acknowledged, marked in error), the focus goes to the card's "Why?"."""
        content.adjustSize()
        layout = content.layout()
        layout.activate()
        bar = self.scroll.verticalScrollBar()
        bar.setRange(0, max(0, content.height() - self.scroll.viewport().height()))
        bar.setValue(scroll)
        focus: QWidget | None = content.findChild(QPushButton, f"{kind}:{target}")
        if focus is None:
            flag_id = target.removeprefix("flag:")
            card = content.findChild(QFrame, f"flag-card:{flag_id}") or content.findChild(
                QFrame, f"in-error-card:{flag_id}")
            focus = next((b for b in card.findChildren(QToolButton) if b.text() == "Why?"),
                         None) if card is not None else None
        (focus or self.back_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _unanswered(self, layout: QVBoxLayout, a: OpenAssessment) -> None:
        """Each required question left blank, as a link back to it."""
        missing = plan.unanswered(a.session)
        if not missing:
            return
        self._section(layout, f"{len(missing)} question(s) not answered")
        for module, item in missing:
            short = item.prompt if len(item.prompt) <= 60 else item.prompt[:57].rstrip() + "…"
            link = QPushButton(button_text(f"Go to: {short}"))  # buttons never wrap
            link.setToolTip(item.prompt)
            link.setObjectName(f"go-to:{module.id}.{item.id}")
            link.setFlat(True)
            link.setAccessibleName(f"Go to the unanswered question: {item.prompt}")
            link.setAutoDefault(True)
            link.clicked.connect(lambda _=False, m=module.id, i=item.id:
                                 self.question_requested.emit(m, i))
            row = QHBoxLayout()
            row.addWidget(link)
            row.addStretch(1)
            layout.addLayout(row)

    def _summary(self, layout: QVBoxLayout, r: AssessmentResult) -> None:
        lines = [f"{setting_name(r.setting)} · age {r.age}"
                 + (f" · ref {isolate(r.reference)}" if r.reference else "")]
        assert self.assessment is not None
        reason = presenting_reason(self.assessment.ws.catalog, r)
        if reason:
            lines.append(reason)
        if r.presenting_issue:  # staff's own note (given through the command line)
            lines.append(f"Presenting issue: {isolate(r.presenting_issue)}")
        lines.append(f"{STATUS_NAMES.get(r.status, r.status)}, started by "
                     f"{isolate(r.created_by)}"
                     + (f", completed by {isolate(r.completed_by)}" if r.completed_by else ""))
        record = self.assessment.record if self.assessment else None
        if record is not None and record.amend_reason:
            lines.append(f"Amendment of version {r.version - 1}: "
                         f"{isolate(record.amend_reason)}")
        summary = PlainLabel("\n".join(lines), self)
        summary.setObjectName("review-summary")
        layout.addWidget(summary)

    def _safety_screens(self, layout: QVBoxLayout, a: OpenAssessment) -> None:
        """Safety screens shown with no answer: each needs an answer, "declined", or the
        reason it was not asked before the assessment can be completed."""
        waiting = a.unresolved_safety_screens()
        if not waiting:
            return
        self._section(layout, "Safety screens not done")
        layout.addWidget(PlainLabel("These must be answered (or the child's refusal recorded) "
                                    "before completing. If one was not asked on purpose, "
                                    "record why.", self))
        for screen in waiting:
            layout.addWidget(PlainLabel(screen.prompt, bold=True))
            button = QPushButton("Not asked because…")
            button.setObjectName(f"not-asked:{screen.module}.{screen.item}")
            button.setAccessibleName(f"Not asked because: {screen.prompt}")
            button.setAutoDefault(True)
            button.clicked.connect(lambda _=False, m=screen.module, i=screen.item:
                                   self.not_asked(m, i))
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)

    def not_asked(self, module: str, item: str) -> None:
        dialog = ReasonDialog("Not asked", "Say why this safety question was not asked (for "
                              "example: too distressed; asked by the crisis team). The reason "
                              "is kept in the record.", parent=self)
        dialog.accepted.connect(lambda: self._not_asked(module, item, dialog.reason_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _not_asked(self, module: str, item: str, reason: str) -> None:
        assert self.assessment is not None
        try:
            self.assessment.record_not_asked(module, item, reason)
        except (StoreError, RuleRefused) as exc:
            self.banner.show_message(str(exc))
            return
        self.refresh()

    def _section(self, layout: QVBoxLayout, title: str) -> None:
        layout.addWidget(hline())
        layout.addWidget(heading(title, 2))

    def _decision_row(self, layout: QVBoxLayout, target: str, text: str,
                      r: AssessmentResult, read_only: bool) -> None:
        decided = r.decision_for(target)
        if decided:
            what = DECISION_NAMES.get(decided.decision, decided.decision)
            bits = [f"{what} by {isolate(decided.by)}"]
            if decided.text:
                bits.append(f"new wording: {isolate(decided.text)}")
            if decided.reason:
                bits.append(f"reason: {isolate(decided.reason)}")
            status = PlainLabel("; ".join(bits), scale=0.9)
            status.setObjectName(f"decision:{target}")
            layout.addWidget(status)
        lapsed = r.lapsed_in_error(target)
        if lapsed:
            status = PlainLabel(f"Was marked raised in error by {isolate(lapsed.by)} "
                                f"(reason: {isolate(lapsed.reason or '')}); a later answer "
                                f"raised it again, so it needs a decision.", scale=0.9)
            status.setObjectName(f"lapsed:{target}")
            layout.addWidget(status)
        if read_only:
            return
        row = QHBoxLayout()
        kinds = [("accept", "Accept"), ("edit", "Edit…"), ("override", "Override…")]
        if target.startswith("flag:"):
            kinds.append(("error", "Raised in error…"))
        for kind, label in kinds:
            button = QPushButton(label)
            button.setObjectName(f"{kind}:{target}")
            button.setAccessibleName(f"{label.rstrip('…')}: {text}")
            button.setAutoDefault(True)
            button.clicked.connect(lambda _=False, k=kind, t=target, x=text: self.decide(k, t, x))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def _flags(self, layout: QVBoxLayout, r: AssessmentResult, read_only: bool) -> None:
        self._section(layout, "What to do")
        if not r.flags:
            layout.addWidget(PlainLabel("No flags raised."))
        order = {"act-now": 0, "refer": 1}
        for flag in sorted(r.flags, key=lambda f: order.get(f.level, 2)):
            card = Card()
            card.setObjectName(f"flag-card:{flag.id}")
            set_card(card)
            inner = QVBoxLayout(card)
            level = LEVEL_NAMES.get(flag.level, flag.level)
            decided = r.decision_for(f"flag:{flag.id}")
            # An edit in force is the card's wording (walk finding: it looked not applied);
            # the decision line below still names the content's own.
            wording = decided.text if decided and decided.decision == "edit" and decided.text \
                else flag.title
            title = PlainLabel(f"{level}: {wording}", bold=True)
            title.setObjectName(f"flag-title:{flag.id}")
            palette = title.palette()
            palette.setColor(title.foregroundRole(), level_colour(flag.level, palette))
            title.setPalette(palette)
            inner.addWidget(title)
            inner.addWidget(PlainLabel(flag.action))
            ack = r.acknowledgement_of(flag.id)
            if ack is not None:
                note = f" Note: {isolate(ack.note)}" if ack.note else ""
                when = ack.at[:16].replace("T", " ")
                inner.addWidget(hint(f"Acknowledged by {isolate(ack.by)} at {when}."
                                     + note))
            inner.addWidget(why_toggle(f"Why: {flag.rationale}\nSource: {flag.source}",
                                       flag.title, card))
            if flag.level == "act-now" and ack is None and not read_only:
                # 15.5: acknowledged here too, with its note, not only when it interrupted
                card_button(inner, "Acknowledge…", f"acknowledge:flag:{flag.id}",
                            f"Acknowledge: {flag.title}",
                            lambda _=False, f=flag: self._open_act_now(f))
            if flag.escalate_to:
                self._escalation_row(inner, flag)
            self._decision_row(inner, f"flag:{flag.id}", flag.title, r, read_only)
            layout.addWidget(card)

    def _escalation_row(self, layout: QVBoxLayout, flag: RaisedFlag) -> None:
        """A flag whose action is an escalation (content's ``escalate_to``): the escalations
        recorded for it, with their outcomes, and a button to record one (still allowed
        after completion: the outcome often comes later)."""
        assert self.assessment is not None
        try:
            recorded = [e for e in self.assessment.ws.actions().escalations(self.assessment.id)
                        if e.reason.startswith(flag.title)]
        except (StoreError, RuleRefused) as exc:
            layout.addWidget(hint(f"Escalations could not be read: {exc}"))
            return
        for e in recorded:
            outcome = (f" Outcome: {isolate(e.outcome)} ({isolate(e.outcome_by or '')}"
                       f"{f', {e.outcome_at:%Y-%m-%d %H:%M}' if e.outcome_at else ''})."
                       if e.outcome else " Outcome not recorded yet.")
            said = hint(f"Escalated to {isolate(e.to_role)} by {isolate(e.raised_by)} at "
                        f"{e.raised_at:%Y-%m-%d %H:%M}: {isolate(e.reason)}.{outcome}")
            said.setObjectName(f"escalation:{flag.id}")
            layout.addWidget(said)
        card_button(layout, "Record escalation…" if not recorded else "Escalation and outcome…",
                    f"escalate:flag:{flag.id}",
                    f"Record escalation to the {flag.escalate_to}: {flag.title}",
                    lambda _=False, f=flag: self.escalate(f))

    def _in_error(self, layout: QVBoxLayout, r: AssessmentResult, read_only: bool) -> None:
        """Flags marked raised in error: not to act on, but kept in view with who and why
        (a supervisor reading the record sees them here, in the PDF and the audit trail)."""
        if not r.raised_in_error:
            return
        self._section(layout, "Raised in error")
        for entry in r.raised_in_error:
            flag = entry.flag
            card = Card()
            card.setObjectName(f"in-error-card:{flag.id}")
            set_card(card)
            inner = QVBoxLayout(card)
            level = LEVEL_NAMES.get(flag.level, flag.level)
            inner.addWidget(PlainLabel(f"{level} (raised in error): {flag.title}", bold=True))
            when = entry.at[:16].replace("T", " ")
            said = hint(f"Marked raised in error by {isolate(entry.by)} at {when}. "
                        f"Reason: {isolate(entry.reason)}", card)
            said.setObjectName(f"in-error:{flag.id}")
            inner.addWidget(said)
            if not read_only:
                card_button(inner, "Not in error: make it active again",
                            f"accept:flag:{flag.id}",
                            f"Not in error, make active again: {flag.title}",
                            lambda _=False, t=f"flag:{flag.id}":
                            self._record(t, "accept", None, None))
            layout.addWidget(card)

    def _retracted(self, layout: QVBoxLayout, r: AssessmentResult) -> None:
        """Act-now disclosures whose answer was later changed: they stay on the record."""
        if not r.retracted:
            return
        self._section(layout, "Disclosures later changed")
        for d in r.retracted:
            title = PlainLabel(f"Act now (raised, then changed): {d.title}", bold=True)
            title.setObjectName(f"retracted:{d.flag_id}")
            layout.addWidget(title)
            ack = (f"acknowledged by {isolate(d.acknowledged_by)} at {d.acknowledged_at[:16]}"
                   if d.acknowledged_by and d.acknowledged_at else "not acknowledged")
            layout.addWidget(hint(
                f"Raised at {d.raised_at[:16]} by {isolate(d.raised_by)}; {ack}; answer "
                f"changed by {isolate(d.changed_by)} at {d.changed_at[:16]}"
                + (f". Reason: {isolate(d.reason)}" if d.reason else ".")))

    def _recommendations(self, layout: QVBoxLayout, r: AssessmentResult,
                         read_only: bool) -> None:
        self._section(layout, "Recommended actions")
        if not r.recommendations:
            layout.addWidget(PlainLabel("None."))
        for rec in r.recommendations:
            owner = f" (who: {rec.owner})" if rec.owner else ""
            layout.addWidget(PlainLabel(f"• {rec.text}{owner}"))
            self._decision_row(layout, f"recommendation:{rec.id}", rec.text, r, read_only)

    def _services(self, layout: QVBoxLayout, a: OpenAssessment, r: AssessmentResult) -> None:
        """Local services that fit, and the actions with owners that follow from the flags
        and recommendations (referrals, check-ins while waiting, escalations)."""
        from ..actions_card import ActionsCard
        from .directory import SuggestedServicesPanel

        self._section(layout, "Local services that fit")
        panel = SuggestedServicesPanel(self)
        result = r.to_json()
        try:
            panel.set_suggestions(a.ws.service_suggestions(result))
        except (StoreError, RuleRefused) as exc:
            layout.addWidget(PlainLabel(f"The directory of services could not be read: {exc}"))
            return
        layout.addWidget(panel)
        card = ActionsCard(a.ws.actions(), a.id, result, user=a.ws.user,
                           today=a.ws.clock().date(), parent=self)
        panel.chosen.connect(card.set_service)
        layout.addWidget(card)

    def _results(self, layout: QVBoxLayout, r: AssessmentResult) -> None:
        self._section(layout, "Screen results")
        screens = [m for m in r.modules if m.scores]
        if not screens:
            layout.addWidget(PlainLabel("No scored screens were used."))
        for m in screens:
            primary = m.primary
            outcome = "no result yet"
            if primary and (primary.band_label or primary.value is not None):
                value = "" if primary.value is None else f"score {primary.value}"
                outcome = ", ".join(x for x in (value, primary.band_label or "") if x)
                if primary.prorated:
                    outcome += " (prorated for a missing answer)"
            if outcome == "no result yet" and m.not_scored:
                outcome = f"not scored ({m.not_scored})"
            elif outcome == "no result yet" and m.complete:
                # Defect 15: a finished screen with nothing found is a result, not "none yet".
                raised = any(f.module == m.module for f in r.flags)
                wrong = any(e.flag.module == m.module for e in r.raised_in_error)
                outcome = ("complete, see its flag above" if raised else
                           "complete, its flag was marked raised in error" if wrong else
                           "complete, no flag raised")
            if not m.complete:
                outcome += " — not complete"
            layout.addWidget(PlainLabel(f"{m.title}: {outcome}", bold=True))
            layout.addWidget(why_toggle(f"Source: {m.source} (version {m.version})", m.title,
                                        self))
        others = [m.title for m in r.modules if not m.scores]
        if others:
            layout.addWidget(hint("Also asked (unscored): " + "; ".join(others) + "."))
        for gone in r.not_offered:
            layout.addWidget(PlainLabel(f"{gone.title}: not offered at this age", bold=True))
            if gone.instead:
                layout.addWidget(hint(gone.instead))

    def _communication(self, layout: QVBoxLayout, r: AssessmentResult) -> None:
        self._section(layout, "How to talk with this child")
        if not r.communication.needs:
            layout.addWidget(PlainLabel("No communication needs identified."))
            return
        for need in r.communication.profile:
            layout.addWidget(PlainLabel(need.need, bold=True))
            for adjustment in need.adjustments:
                layout.addWidget(PlainLabel(f"• {adjustment}"))

    def _child_voice(self, layout: QVBoxLayout, r: AssessmentResult) -> None:
        self._section(layout, "In the child's own words")
        if not r.child_voice_detail:
            layout.addWidget(PlainLabel("Nothing recorded in the child's own words."))
        for w in r.child_voice_detail:
            layout.addWidget(hint(w.prompt))
            said = PlainLabel(f"\u201c{isolate(w.text)}\u201d", scale=1.1)
            said.setObjectName("child-words")
            layout.addWidget(said)

    def _domains(self, layout: QVBoxLayout, r: AssessmentResult) -> None:
        self._section(layout, "Answers by domain")
        assert self.assessment is not None
        groups = answers_by_domain(self.assessment.ws.catalog, r)
        if not groups:
            layout.addWidget(PlainLabel("No answers yet."))
        for domain, rows in groups:
            layout.addWidget(PlainLabel(domain, bold=True))
            for prompt, answer in rows:
                layout.addWidget(PlainLabel(f"{prompt}\n    {isolate(answer)}"))

    # -- actions ----------------------------------------------------------------------------
    def decide(self, kind: str, target: str, text: str) -> None:
        assert self.assessment is not None
        if kind == "accept":
            self._record(target, "accept", None, None)
            return
        if kind == "edit":
            dialog = ReasonDialog("Edit", "Change the wording; say why.", text=text,
                                  parent=self)
        elif kind == "error":
            dialog = ReasonDialog("Raised in error", IN_ERROR_EXPLANATION, parent=self)
        else:
            dialog = ReasonDialog("Override", "Say why this does not apply or will not be "
                                  "done. The reason is kept in the record.", parent=self)
        dialog.accepted.connect(lambda: self._record(target, kind, dialog.new_text(),
                                                     dialog.reason_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def escalate(self, flag: RaisedFlag) -> None:
        """The escalation form in a dialog, prefilled from the flag; the card shows what was
        recorded once it closes."""
        assert self.assessment is not None
        dialog = EscalationDialog(self.assessment, flag, self)
        dialog.finished.connect(lambda _r: self.refresh(focus_target=f"flag:{flag.id}",
                                                        focus_kind="escalate"))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        self.escalation_form = dialog.form
        dialog.open()

    def _record(self, target: str, kind: str, text: str | None, reason: str | None) -> None:
        assert self.assessment is not None
        try:
            self.assessment.decide(target, kind, text=text, reason=reason)
        except (StoreError, RuleRefused) as exc:
            self.banner.show_message(str(exc))
            return
        self.refresh(focus_target=target, focus_kind=kind)

    def complete(self) -> None:
        assert self.assessment is not None
        blocked = self.assessment.unacknowledged_act_now()
        if blocked:
            flag = self.assessment.raised(blocked[0])
            assert isinstance(flag, RaisedFlag)
            self._open_act_now(flag)
            return
        pending = self.pending_decisions()
        if pending:
            self._confirm_complete(pending)
            return
        self.complete_now()

    def _open_act_now(self, flag: RaisedFlag) -> None:
        """The act-now dialog: acknowledge with a note, or mark raised in error."""
        assert self.assessment is not None
        target = f"flag:{flag.id}"
        self.dialog = ActNowDialog(flag, self.assessment.acknowledge, self,
                                   mark_in_error=in_error_recorder(self.assessment),
                                   escalation=self.assessment)
        self.dialog.acknowledged.connect(
            lambda _id: self.refresh(focus_target=target, focus_kind="acknowledge"))
        self.dialog.marked_in_error.connect(lambda _id: self.refresh())
        self.dialog.open()

    def pending_decisions(self) -> list[str]:
        """Flags and recommended actions nobody has accepted, edited or overridden yet."""
        assert self.assessment is not None
        r = self.assessment.result()
        targets = [(f"flag:{f.id}", f.title) for f in r.flags]
        targets += [(f"recommendation:{x.id}", x.text) for x in r.recommendations]
        return [text for target, text in targets if r.decision_for(target) is None]

    def _confirm_complete(self, pending: list[str]) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "Complete with decisions pending",
                          f"{len(pending)} flag(s) or action(s) have no decision yet "
                          "(accept, edit or override). Complete anyway?", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("\n".join(f"• {p}" for p in pending[:8]))
        self.confirm_button = box.addButton("&Complete anyway",
                                           QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Go back and decide", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.accepted.connect(self.complete_now)
        box.finished.connect(box.deleteLater)
        self.dialog = box
        box.open()

    def complete_now(self) -> None:
        assert self.assessment is not None
        try:
            self.assessment.complete()  # the workspace refuses what the page did not catch
        except (StoreError, RuleRefused) as exc:
            self.banner.show_message(str(exc))
            return
        self.refresh()
        self.amend_button.setFocus()

    def amend(self) -> None:
        dialog = ReasonDialog("Amend", "A new draft version is made from this one; this "
                              "version stays as it is. Say why it needs amending.",
                              parent=self)
        dialog.accepted.connect(lambda: self._amend(dialog.reason_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _amend(self, reason: str) -> None:
        assert self.assessment is not None
        try:
            opened = self.assessment.amend(reason)
        except (StoreError, RuleRefused) as exc:
            self.banner.show_message(str(exc))
            return
        self.amended.emit(opened)

    def show_trail(self) -> None:
        """The record's audit trail, for supervisors of its team and administrators."""
        from ..locking import AuditTrailDialog, record_trail_lines

        assert self.assessment is not None
        try:
            lines = record_trail_lines(self.assessment)
        except (StoreError, RuleRefused) as exc:
            self.banner.show_message(str(exc))
            return
        self.dialog = AuditTrailDialog(lines, self)
        self.dialog.open()

    # -- exports ----------------------------------------------------------------------------
    def _refresh_exports(self, read_only: bool) -> None:
        from ..exporting import export_buttons

        while self.export_row.count():
            widget = self.export_row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        assert self.assessment is not None
        for button in export_buttons(self, self.assessment, self.banner):
            self.export_row.addWidget(button)

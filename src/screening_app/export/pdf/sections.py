"""The professional record (``full`` and ``partner``): page 1 first, then the detail.

Page 1 is what the next professional needs (issue 13.4): the child reference, age and
setting, large; how to talk with this child; one line per screen (and the screens not
done); the safety screens not done; disclosures later changed; the child's strengths; then
the flags with whether they were acknowledged, and the actions with their owners. Then the
child's own words, local services, findings by area, screen results with their source, the
consent and sharing record, what was not offered and, when chosen, the appendix of the
questions not asked or not answered.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ...store.repository import DecisionEntry
from ...wording import DECISION_NAMES, LEVEL_NAMES
from ..release import CHILD_WORDS, FREE_TEXT, PRESENTING_ISSUE
from ..report_data import (
    ANSWERED,
    DECLINED_STATUS,
    NOT_ANSWERED,
    NOT_ASKED,
    NOT_STARTED,
    AnswerLine,
    FlagLine,
    ReportData,
    parse_time,
)
from .flow import Flow, Para
from .styles import LEVEL_COLOURS, LEVEL_LABELS

APPENDIX_TITLE = "Appendix: questions not asked or not answered"
LONG_ANSWER = 1500  # longer answers flow below their table instead of sitting in a cell

try:
    _LOCAL = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # no time zone data (e.g. Windows without tzdata)
    _LOCAL = dt.UTC

VARIANT_TITLES = {
    "full": "Professional record",
    "partner": "Copy for a partner agency",
    "family": "For the child and family",
}


def when(iso: str | None) -> str:
    moment = parse_time(iso)
    if moment is None:
        return iso or "-"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(_LOCAL)
    return local.strftime("%d %b %Y, %H:%M ") + (local.tzname() or "")


def _flag_status(flag: FlagLine) -> str:
    """The panel's status word: only an act-now flag is acknowledged; a refer flag is
    decided (accepted, edited, overridden) or waits for a decision (walk finding: "REFER -
    not acknowledged" above "Accepted by")."""
    if flag.level == "act-now":
        return "acknowledged" if flag.acknowledged else "not acknowledged"
    if flag.decision is None:
        return "no decision yet"
    return DECISION_NAMES.get(flag.decision.decision, flag.decision.decision).lower()


def _decision_text(decision: DecisionEntry | None) -> str | None:
    if decision is None:
        return None
    verb = DECISION_NAMES.get(decision.decision, decision.decision)
    text = f"{verb} by {decision.by}, {when(decision.at)}"
    if decision.reason:
        text += f". Reason: {decision.reason}"
    return text


def _lapsed_text(marking: DecisionEntry, *, raised_again: bool = True) -> str:
    """A "raised in error" marking a later answer lapsed, as the review page says it."""
    then = ("a later answer raised it again, so it needs a decision" if raised_again
            else "a later answer lapsed the marking")
    return (f"Was marked raised in error by {marking.by}, {when(marking.at)} "
            f"(reason: {marking.reason or ''}); {then}.")


class ProfessionalRecord:
    """Builds the story of the full and partner variants."""

    def __init__(self, report: ReportData, flow: Flow, *, annex: bool):
        self.r = report
        self.f = flow
        self.s = flow.styles
        self.include_annex = annex

    def story(self) -> list[Flowable]:
        out: list[Flowable] = []
        out += self.title()
        out += self.who()
        out += self.communication()
        out += self.screens_at_a_glance()
        out += self.safety_not_done()
        out += self.retracted()
        out += self.strengths()
        out += self.flags()
        out += self.actions()
        out += self.child_words()
        out += self.services()
        out += self.findings()
        out += self.screens()
        out += self.earlier_flags()
        out += self.consent()
        out += self.not_offered()
        if self.include_annex:
            out += self.annex()
        return out

    # -- page 1 ----------------------------------------------------------------------------
    def title(self) -> list[Flowable]:
        f, r = self.f, self.r
        out: list[Flowable] = [
            *f.heading("Screening and wellbeing record"),
            f.para(f"{VARIANT_TITLES[r.variant]} \u00b7 {r.pathway_title} pathway",
                   self.s.subtitle),
        ]
        # The right child (wrong-record hazard): reference, age and setting, large, first.
        out.append(f.para(identity_line(r), self.s.identity))
        if r.is_draft:
            out.append(f.para("DRAFT: this assessment has not been completed. Answers may still "
                              "change.", self.s.banner))
        out += self.release()
        return out

    def release(self) -> list[Flowable]:
        """Who a partner copy is for, why, on what basis, and what was left out."""
        f, s, rel = self.f, self.s, self.r.release
        if rel is None or self.r.variant != "partner":
            return []
        out: list[Flowable] = [f.rich([("For: ", True), (rel.recipient, False)]),
                               f.rich([("Purpose: ", True), (rel.purpose, False)])]
        if rel.basis_label:
            out.append(f.rich([("Lawful basis: ", True), (rel.basis_label, False)]))
        left_out = list(rel.left_out)
        free = [FREE_TEXT[CHILD_WORDS]] if not rel.child_words else []
        free += [FREE_TEXT[PRESENTING_ISSUE]] if not rel.presenting_issue else []
        if free:
            left_out.append(" and ".join(free) + " (free text may mention a topic left out)")
        if left_out:
            out.append(f.para("Left out of this copy by the sender: " + "; ".join(left_out)
                              + ". Ask the sender if you need it.", s.banner))
        out += [f.para(w, s.body) for w in rel.warnings]
        return out

    def who(self) -> list[Flowable]:
        """Who assessed and when, in two columns; the ids on lines of their own, so they
        never wrap mid-string."""
        f, r, s = self.f, self.r, self.s
        parts: list[tuple[str, bool]] = [("Assessed by ", True), (r.created_by, False),
                                         (" \u00b7 Started ", True), (when(r.created_at), False)]
        if r.completed_at:
            parts += [(" \u00b7 Completed ", True),
                      (f"{when(r.completed_at)} by {r.completed_by or '-'}", False)]
        else:
            parts += [(" \u00b7 Completed ", True), ("not yet (draft)", False)]
        if r.date_of_birth:
            parts += [(" \u00b7 Date of birth ", True), (r.date_of_birth, False)]
        if r.version > 1:
            parts += [(" \u00b7 Amendment ", True), (f"version {r.version}" + (
                f": {r.amend_reason}" if r.amend_reason else ""), False)]
        out: list[Flowable] = [f.rich(parts, s.cell)]
        if r.assessment_id:
            out.append(f.rich([("Record id ", True), (r.assessment_id, False)], s.mono_id))
        withheld = r.release is not None and r.variant == "partner" \
            and not r.release.presenting_issue
        out.append(f.gap(3))
        if r.visit_reason is not None:  # the setting's reason question, in its own words
            out.append(f.rich([(f"{r.visit_reason.label}: ", True),
                               (r.visit_reason.answer, False)], s.body))
            if not r.presenting_issue and not withheld:
                return out  # nothing typed besides: no "not recorded" under what was
        issue = r.presenting_issue or ("left out of this copy" if withheld else "not recorded")
        if len(issue) <= LONG_ANSWER:
            out.append(f.rich([("Presenting issue: ", True), (issue, False)], s.body))
        else:
            out.append(Para(f.safe("Presenting issue"), s.label))
            out += f.long_text(issue, s.body)
        return out

    def screens_at_a_glance(self) -> list[Flowable]:
        """One line per screen; a screen not done is named as not done, never as clear."""
        f, s, r = self.f, self.s, self.r
        if not r.screen_lines:
            return []
        out: list[Flowable] = [*f.heading("Screens")]
        for line in r.screen_lines:
            name, _, rest = line.text.partition(": ")
            out.append(f.rich([(f"{name}: ", True), (rest, False)],
                              s.bullet if line.done else s.muted_bullet, bullet=True))
        return out

    def strengths(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        if not r.strengths:
            return []
        out: list[Flowable] = [*f.heading("Strengths, and who helps")]
        for words in r.strengths:
            out.append(f.para(words.prompt, s.words_prompt))
            out += f.long_text(words.text, s.words, quote=True)
        return out

    def flags(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("What to do")]
        active = r.flags  # the flags in force; those raised in error are listed below
        if not active:
            out.append(f.para("No flags in force for the answers given. Use your professional "
                              "judgement: a screen does not rule anything out."))
        urgent = [fl for fl in active if fl.level != "consider"]
        for flag in urgent:
            strong, pale = LEVEL_COLOURS.get(flag.level, LEVEL_COLOURS["consider"])
            body: list[Flowable] = [f.rich([(flag.title, True)], s.cell),
                                    f.para(flag.action, s.cell)]
            if flag.acknowledgement is not None:
                done = flag.acknowledgement
                ack = f"Acknowledged by {done.by}, {when(done.at)}"
                if done.note:
                    ack += f". Note: {done.note}"
                body.append(f.para(ack, s.small))
            elif flag.level == "act-now":
                body.append(f.rich([("NOT ACKNOWLEDGED", True),
                                    (" in the app: confirm this action has been taken.", False)],
                                   s.cell))
            decision = _decision_text(flag.decision)
            if decision:
                body.append(f.para(decision, s.small))
            if flag.lapsed is not None:
                body.append(f.para(_lapsed_text(flag.lapsed), s.small))
            out += f.panel(LEVEL_LABELS.get(flag.level, flag.level.upper()),
                           _flag_status(flag), body, strong, pale, 22 * mm)
        for flag in (fl for fl in active if fl.level == "consider"):
            out.append(f.rich([("Consider: ", True), (flag.title, True),
                               (f": {flag.action}", False)], s.bullet, bullet=True))
            decision = _decision_text(flag.decision)
            if decision:
                out.append(f.para(decision, s.muted_small))
            if flag.lapsed is not None:
                out.append(f.para(_lapsed_text(flag.lapsed), s.muted_small))
        for wrong in r.flags_in_error:
            level = LEVEL_NAMES.get(wrong.flag.level, wrong.flag.level)
            out.append(f.rich([(f"{level}: ", True), (wrong.flag.title, False),
                               (": raised in error: ", True),
                               (wrong.reason, False),
                               (f" ({wrong.by}, {when(wrong.at)})", False)],
                              s.muted_bullet, bullet=True))
        return out

    def retracted(self) -> list[Flowable]:
        """Act-now disclosures later changed: page 1, never dropped (what was said first
        may be the truth the child took back)."""
        f, s, r = self.f, self.s, self.r
        if not r.retracted:
            return []
        out: list[Flowable] = [*f.heading("Disclosures later changed")]
        strong, pale = LEVEL_COLOURS["act-now"]
        for d in r.retracted:
            lines = [f"Raised by {d.raised_by_answer} ({d.raised_by}, {when(d.raised_at)})."]
            if d.acknowledged_by:
                lines.append(f"Acknowledged by {d.acknowledged_by}, {when(d.acknowledged_at)}.")
            else:
                lines.append("Not acknowledged before the answer changed.")
            change = f"Answer changed by {d.changed_by}, {when(d.changed_at)}"
            lines.append(change + (f". Reason: {d.reason}" if d.reason else "."))
            body: list[Flowable] = [f.rich([(d.title, True)], s.cell)]
            body += [f.para(line, s.small) for line in lines]
            out += f.panel("RAISED, THEN CHANGED", "answer changed", body, strong, pale,
                           22 * mm)
        return out

    def safety_not_done(self) -> list[Flowable]:
        """Safety screens that were not done, and why: the next professional must know a
        screen is missing, not assume it was negative."""
        f, r = self.f, self.r
        if not r.safety_not_done:
            return []
        out: list[Flowable] = [*f.heading("Safety screens not done")]
        out += f.bullets(r.safety_not_done)
        return out

    def actions(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("Recommended actions and referrals")]
        if not r.recommendations:
            out.append(f.para("No actions were recommended by the content for these answers."))
            return out
        rows = [[Para(f.safe("Action"), s.label), Para(f.safe("Owner"), s.label)]]
        for rec in r.recommendations:
            cell: list[Flowable] = [f.para(rec.text, s.cell)]
            decision = _decision_text(rec.decision)
            if decision:
                edited = rec.decision.text if rec.decision else None
                if edited:
                    cell.append(f.para(f"Edited to: {edited}", s.cell))
                cell.append(f.para(decision, s.small))
            rows.append([cell, f.para(rec.owner or "to be agreed", s.cell)])
        return out + f.table(rows, [f.width - 45 * mm, 45 * mm], header=True)

    def services(self) -> list[Flowable]:
        """Local services that fit, from the directory: why each was suggested, how fresh
        its entry is, and any alert (check before referring)."""
        f, s, r = self.f, self.s, self.r
        if not r.services:
            return []
        out: list[Flowable] = [*f.heading("Local services that fit")]
        rows = [[Para(f.safe(h), s.label) for h in ("Service", "Why", "Entry")]]
        for service in r.services[:8]:
            name = str(service.get("name", ""))
            routes = ", ".join(str(x).replace("-", " ")
                               for x in service.get("access_routes") or [])
            why = str(service.get("why", ""))
            checked = service.get("assured_date") or service.get("last_modified") or "-"
            entry = f"checked {checked}" + (" (confirm before referring)"
                                            if service.get("stale") else "")
            if service.get("alert"):
                entry += f". Alert: {service['alert']}"
            rows.append([[f.para(name, s.cell_bold), f.para(routes, s.small)],
                         f.para(why, s.small), f.para(entry, s.small)])
        return out + f.table(rows, [55 * mm, f.width - 100 * mm, 45 * mm], header=True)

    def communication(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("How to talk with this child")]
        if not r.needs:
            out.append(f.para("No communication needs were identified from the answers. Ask "
                              "the child and the people who know them what helps."))
            return out
        if r.key_adjustments:
            out.append(f.rich([("Most important: ", True),
                               ("; ".join(a.rstrip(". ") for a in r.key_adjustments) + ".",
                                False)], s.body))
        for need in r.needs:
            out.append(f.rich([(need.need, True)], s.body))
            bullets = f.bullets(need.adjustments)
            if len(bullets) > 3 and not f.flat:  # two columns: the profile stays on page 1
                half = (len(bullets) + 1) // 2
                out += f.table([[bullets[:half], bullets[half:]]], [f.width / 2] * 2,
                               [("LEFTPADDING", (0, 0), (-1, -1), 0)], grid=False)
            else:
                out += bullets
            if need.triggered_by:
                out.append(f.para("From: " + " \u00b7 ".join(need.triggered_by), s.small))
        return out

    def child_words(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("In the child's own words")]
        if r.variant == "partner" and r.release is not None and not r.release.child_words:
            out.append(f.para("Left out of this copy by the sender (free text may mention a "
                              "topic left out). Ask the sender if you need them."))
            return out
        if not r.other_words:
            out.append(f.para("Nothing else was recorded in the child's own words."
                              if r.strengths else
                              "No words were recorded in the child's own words."))
            return out
        for words in r.other_words:
            out.append(f.para(words.prompt, s.words_prompt))
            out += f.long_text(words.text, s.words, quote=True)
        return out

    # -- detail ----------------------------------------------------------------------------
    def _qa_table(self, rows: list[tuple[list, AnswerLine, str | None]],
                  widths: list[float]) -> list[Flowable]:
        """Question-and-answer rows as tables; an answer too long for a cell follows the
        table as flowing text (a cell that outgrows a page cannot be laid out)."""
        f, s = self.f, self.s
        out: list[Flowable] = []
        pending: list[list] = []
        for cells, line, long_answer in rows:
            if long_answer is None:
                pending.append(cells)
                continue
            pending.append(cells)
            out += f.table(pending, widths, split_rows=False)
            pending = []
            out.append(f.para(f"The full answer to \u201c{_clip(line.prompt, 80)}\u201d "
                              f"({len(long_answer):,} characters)", s.muted_small))
            out += f.long_text(long_answer, s.bullet)
        if pending:
            out += f.table(pending, widths, split_rows=False)
        return out

    def _question(self, line: AnswerLine) -> Para:
        tag = [("Staff note: ", True)] if line.staff_note else []
        return self.f.rich([*tag, (line.prompt, False)], self.s.question)

    def _answer_rows(self, lines: list[AnswerLine],
                     area: str | None = None) -> list[tuple[list, AnswerLine, str | None]]:
        """Question and answer rows; with ``area``, a first column naming it once."""
        f, s = self.f, self.s
        rows = []
        for n, line in enumerate(lines):
            answer = line.answer or ""
            long_answer = answer if len(answer) > LONG_ANSWER else None
            if line.status == DECLINED_STATUS:
                cell = f.rich([("DECLINED", True), (" (the child chose not to answer)", False)],
                              s.cell)
            elif long_answer is not None:
                cell = f.para("(long answer: in full below)", s.muted_small)
            else:
                cell = f.long_text(answer, s.cell_bold)
            first = [f.para(area, s.label) if n == 0 else ""] if area is not None else []
            rows.append(([*first, self._question(line), cell], line, long_answer))
        return rows

    def _answer_lines(self, lines: list[AnswerLine]) -> list[Flowable]:
        f = self.f
        return self._qa_table(self._answer_rows(lines), [f.width * 0.6, f.width * 0.4])

    def findings(self) -> list[Flowable]:
        """One table, the area named in its first column (a heading per area made a short
        record long)."""
        f, r = self.f, self.r
        out: list[Flowable] = [*f.heading("Findings by area")]
        if not r.findings:
            out.append(f.para("No answers recorded outside the sections above."))
            return out
        rows = [row for domain in r.findings
                for row in self._answer_rows(domain.lines, domain.label)]
        area_w = 30 * mm
        rest = f.width - area_w
        return out + self._qa_table(rows, [area_w, rest * 0.64, rest * 0.36])

    def screens(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("Screen results")]
        if not r.screens:
            out.append(f.para("No scored screens in this assessment."))
            return out
        out.append(f.para("Screen results are what the instrument's published scoring gives "
                          "for these answers. They are not a diagnosis or a risk level.", s.small))
        heads = ("Instrument", "Result")
        rows = [[Para(f.safe(h), s.label) for h in heads]]
        for sc in r.screens:
            result = []
            if sc.not_scored:
                result.append(sc.not_scored[:1].upper() + sc.not_scored[1:])
            elif sc.score is None and sc.at_least is not None:
                result.append(f"At least {sc.at_least}, incomplete")
            if sc.score is not None:
                result.append(f"Score {sc.score}" + (" (prorated)" if sc.prorated else ""))
            if sc.band:
                result.append(sc.band_label or sc.band)
            if not sc.complete:
                result.append("Incomplete: some items not answered")
            # Source and licence span the row below: a narrow column made them tall.
            rows.append([f.para(f"{sc.title} (version {sc.version})", s.cell),
                         f.para(". ".join(result) or "No result", s.cell_bold)])
            rows.append([[f.para(f"Source: {sc.source}. Licence: {sc.licence}", s.small)], ""])
        spans = [("SPAN", (0, n), (1, n)) for n in range(2, len(rows), 2)]
        spans += [("LINEBELOW", (0, n), (-1, n), 0, colors.white) for n in range(1, len(rows), 2)]
        spans += [("TOPPADDING", (0, n), (-1, n), 0) for n in range(2, len(rows), 2)]
        return out + f.table(rows, [90 * mm, f.width - 90 * mm], spans, header=True)

    def earlier_flags(self) -> list[Flowable]:
        """Flags the answers no longer raise, with what was recorded on them (H-149): after
        page 1, since there is nothing left to act on, but never dropped."""
        f, s, r = self.f, self.s, self.r
        if not r.earlier_flags:
            return []
        out: list[Flowable] = [*f.heading("Flags no longer raised"), f.para(
            "Raised earlier in this assessment; the answers as they stand no longer raise "
            "them. What was recorded on them is kept.", s.small)]
        for e in r.earlier_flags:
            level = LEVEL_NAMES.get(e.level, e.level)  # what it was, not what it asks now
            out.append(f.rich([(e.title, True), (f" ({level.lower()} flag)" if level else "",
                                                 False)], s.bullet, bullet=True))
            notes = []
            if e.acknowledgement is not None:
                ack = f"Acknowledged by {e.acknowledgement.by}, {when(e.acknowledgement.at)}"
                notes.append(ack + (f". Note: {e.acknowledgement.note}"
                                    if e.acknowledgement.note else ""))
            if e.decision is not None:
                notes.append(_lapsed_text(e.decision, raised_again=False) if e.lapsed
                             else _decision_text(e.decision) or "")
            out += [f.para(n, s.muted_small) for n in notes if n]
        return out

    def consent(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("Consent and information sharing")]
        if not r.consent:
            out.append(f.rich([("No consent or information-sharing record was made in this "
                                "assessment. ", True),
                               ("Before sharing this document, record what is shared, with "
                                "whom, why, and the lawful basis.", False)], s.body))
            return out
        out += self._answer_lines(r.consent)
        return out

    def not_offered(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        if not r.not_offered:
            return []
        out: list[Flowable] = [*f.heading("Not offered at this age")]
        for g in r.not_offered:
            out.append(f.rich([(g.title, True)], s.body))
            if g.instead:
                out.append(f.para(g.instead, s.bullet))
        return out

    def annex(self) -> list[Flowable]:
        """The appendix: per module (by its title), the questions shown but not answered and
        the number not asked, each question by its prompt in the setting's words (never an
        item id); the answers themselves are in the findings."""
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [
            *f.heading(APPENDIX_TITLE),
            f.para("NOT ANSWERED: shown, but no answer was recorded. NOT ASKED: hidden by "
                   "branching, because its conditions were not met; counted, and listed only "
                   "where an answer given before it was hidden is kept. Answers, and "
                   "questions the child declined, are in the findings above.", s.small),
        ]
        not_started = [m for m in r.annex if m.status == NOT_STARTED]
        for module in r.annex:
            if module.status == NOT_STARTED:
                continue
            unanswered = [ln for ln in module.lines if ln.status == NOT_ANSWERED]
            hidden = [ln for ln in module.lines if ln.status == NOT_ASKED]
            if not unanswered and not hidden:
                continue
            answered = sum(1 for ln in module.lines if ln.status in (ANSWERED, DECLINED_STATUS))
            out.append(f.rich([(module.title, True),
                               (f" (version {module.version}) \u00b7 {answered} answered "
                                f"or declined \u00b7 {len(unanswered)} not answered \u00b7 "
                                f"{len(hidden)} not asked", False)], s.appendix_module))
            for line in unanswered:
                out.append(f.rich([("NOT ANSWERED: ", True), (line.prompt, False)],
                                  s.appendix_line))
            rows: list[tuple[list, AnswerLine, str | None]] = []
            for line in (ln for ln in hidden if ln.answer is not None):
                kept = [Para("<b>NOT ASKED</b>: hidden by branching", s.muted_cell)]
                if self.r.variant == "full":
                    kept.append(f.para("An earlier answer, given before it was hidden, is "
                                       "kept in the record but does not count: "
                                       + _clip(line.answer or ""), s.small))
                rows.append(([self._question(line), kept], line, None))
            if rows:
                out += self._qa_table(rows, [f.width * 0.55, f.width * 0.45])
            # Questions branching hid, with no answer kept, are only counted above: they are
            # no gap (their conditions were not met), and listing each by its prompt made a
            # no-concerns ED record three pages (issue 13.4: two).
        if not_started:
            out.append(f.rich([("Not started", True), (" (their pathway condition was not "
                                                        "met): ", False),
                               ("; ".join(f"{m.title} ({len(m.lines)} questions)"
                                          for m in not_started), False)], s.appendix_module))
        return out


def identity_line(r: ReportData) -> str:
    reference = r.reference or "pseudonymous (no reference, confirmed at export)"
    return f"Child reference: {reference} \u00b7 Age {r.age} \u00b7 {r.setting_name}"



def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "\u2026"


__all__ = ["APPENDIX_TITLE", "ProfessionalRecord", "VARIANT_TITLES", "identity_line", "when"]

"""The professional record (``full`` and ``partner``): page 1 first, then the detail.

Page 1 answers "what do I do now?": who, when, where; act-now and refer flags with their
actions and whether they were acknowledged; actions with owners; how to talk with this
child; the child's own words. Then findings by domain, screen results with their source,
the consent and sharing record, what was not offered, and the annex of every item.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ...store.repository import DecisionEntry
from ...wording import DECISION_NAMES
from ..release import CHILD_WORDS, FREE_TEXT, PRESENTING_ISSUE
from ..report_data import (
    ANSWERED,
    DECLINED_STATUS,
    NOT_ANSWERED,
    NOT_ASKED,
    NOT_STARTED,
    AnswerLine,
    ReportData,
    parse_time,
)
from .flow import Flow, Para
from .styles import LEVEL_COLOURS, LEVEL_LABELS

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


def _decision_text(decision: DecisionEntry | None) -> str | None:
    if decision is None:
        return None
    verb = DECISION_NAMES.get(decision.decision, decision.decision)
    text = f"{verb} by {decision.by}, {when(decision.at)}"
    if decision.reason:
        text += f". Reason: {decision.reason}"
    return text


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
        out += self.flags()
        out += self.retracted()
        out += self.safety_not_done()
        out += self.child_words()
        out += self.actions()
        out += self.services()
        out += self.communication()
        out += self.consider()
        out += self.findings()
        out += self.screens()
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
        out.append(f.para(identity_line(r), self.s.h1))
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
        f, r, s = self.f, self.r, self.s
        rows: list[tuple[str, str]] = [("Reference", r.reference or "none recorded")]
        age = f"{r.age} years"
        if r.date_of_birth:
            age += f" (date of birth {r.date_of_birth})"
        rows.append(("Age", age))
        rows.append(("Where", r.setting_name))
        rows.append(("Assessed by", r.created_by))
        rows.append(("Started", when(r.created_at)))
        if r.completed_at:
            rows.append(("Completed", f"{when(r.completed_at)} by {r.completed_by or '-'}"))
        else:
            rows.append(("Completed", "not yet (draft)"))
        if r.version > 1:
            rows.append(("Amendment", f"version {r.version}" +
                         (f": {r.amend_reason}" if r.amend_reason else "")))
        if r.assessment_id:
            rows.append(("Record id", r.assessment_id))
        cells = []
        for n in range(0, len(rows), 2):
            pair = rows[n:n + 2]
            row: list = []
            for k, v in pair:
                row += [Para(f.safe(k), s.label), f.para(v, s.cell)]
            cells.append(row + [""] * (4 - len(row)))
        label_w = 25 * mm
        value_w = (f.width - 2 * label_w) / 2
        out = f.table(cells, [label_w, value_w, label_w, value_w])
        out.append(f.gap(4))
        out.append(Para(f.safe("Presenting issue"), s.label))
        withheld = r.release is not None and r.variant == "partner" \
            and not r.release.presenting_issue
        out += f.long_text(r.presenting_issue or ("left out of this copy" if withheld
                                                  else "not recorded"), s.body)
        return out

    def flags(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("What to do")]
        if not r.flags:
            out.append(f.para("No flags were raised by the answers given. Use your professional "
                              "judgement: a screen does not rule anything out."))
            return out
        urgent = [fl for fl in r.flags if fl.level != "consider"]
        if not urgent:
            out.append(f.para("No act-now or refer flags. See \"Also consider\" below."))
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
            out += f.panel(LEVEL_LABELS.get(flag.level, flag.level.upper()),
                           "acknowledged" if flag.acknowledged else "not acknowledged",
                           body, strong, pale, 22 * mm)
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

    def consider(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        flags = [fl for fl in r.flags if fl.level == "consider"]
        if not flags:
            return []
        out: list[Flowable] = [*f.heading("Also consider")]
        for flag in flags:
            item = [f.rich([(flag.title, True), (f": {flag.action}", False)], s.bullet,
                           bullet=True)]
            decision = _decision_text(flag.decision)
            if decision:
                item.append(f.para(decision, s.muted_small))
            out += item
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
                               ("; ".join(r.key_adjustments), False)], s.body))
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
        if not r.child_words:
            out.append(f.para("No words were recorded in the child's own words."))
            return out
        for words in r.child_words:
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
            out.append(f.para(f"{line.item}: the full answer ({len(long_answer):,} characters)",
                              s.muted_small))
            out += f.long_text(long_answer, s.bullet)
        if pending:
            out += f.table(pending, widths, split_rows=False)
        return out

    def _question(self, line: AnswerLine) -> Para:
        tag = [("Staff note: ", True)] if line.staff_note else []
        return self.f.rich([*tag, (line.prompt, False)], self.s.cell)

    def _answer_lines(self, lines: list[AnswerLine]) -> list[Flowable]:
        f, s = self.f, self.s
        rows = []
        for line in lines:
            answer = line.answer or ""
            long_answer = answer if len(answer) > LONG_ANSWER else None
            if line.status == DECLINED_STATUS:
                cell = f.rich([("Declined", True), (" (the child chose not to answer)", False)],
                              s.cell)
            elif long_answer is not None:
                cell = f.para("(long answer: in full below)", s.muted_small)
            else:
                cell = f.long_text(answer, s.cell_bold)
            rows.append(([self._question(line), cell], line, long_answer))
        return self._qa_table(rows, [f.width * 0.55, f.width * 0.45])

    def findings(self) -> list[Flowable]:
        f, r = self.f, self.r
        out: list[Flowable] = [*f.heading("Findings by area")]
        if not r.findings:
            out.append(f.para("No answers recorded outside the sections above."))
            return out
        for domain in r.findings:
            out += f.heading(domain.label, level=1)
            out += self._answer_lines(domain.lines)
        return out

    def screens(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("Screen results")]
        if not r.screens:
            out.append(f.para("No scored screens in this assessment."))
            return out
        out.append(f.para("Screen results are what the instrument's published scoring gives "
                          "for these answers. They are not a diagnosis or a risk level.", s.small))
        heads = ("Instrument", "Result", "Source and licence")
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
            rows.append([
                f.para(f"{sc.title} (version {sc.version})", s.cell),
                f.para(". ".join(result) or "No result", s.cell_bold),
                [f.para(sc.source, s.small), f.para(f"Licence: {sc.licence}", s.small)],
            ])
        return out + f.table(rows, [50 * mm, 45 * mm, f.width - 95 * mm], header=True)

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
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [
            *f.heading("Annex: every question and its status"),
            f.para("Each question of the pathway is listed with one status: an answer; "
                   "DECLINED (the child chose not to answer); NOT ANSWERED (asked or shown, but "
                   "no answer recorded); NOT ASKED (hidden by branching, because its conditions "
                   "were not met, or its whole module was not started).", s.small),
        ]
        for module in r.annex:
            counts: dict[str, int] = {}
            for line in module.lines:
                counts[line.status] = counts.get(line.status, 0) + 1
            summary = ", ".join(f"{n} {k}" for k, n in counts.items()) or "no questions"
            out += f.heading(f"{module.title}", level=1)
            note = f"Version {module.version}. {summary}."
            if module.status == NOT_STARTED:
                note += " This module's pathway condition was not met, so it was not started."
            out.append(f.para(note, s.small))
            out += self._annex_lines(module.lines)
        return out

    def _annex_lines(self, lines: list[AnswerLine]) -> list[Flowable]:
        f, s = self.f, self.s
        full = self.r.variant == "full"
        rows = []
        for line in lines:
            answer = line.answer or ""
            long_answer = None
            status: list[Flowable]
            if line.status == ANSWERED:
                if len(answer) > LONG_ANSWER:
                    long_answer = answer
                    status = [f.para("(long answer: in full below)", s.muted_small)]
                else:
                    status = f.long_text(answer, s.cell_bold)
                if line.by and full:
                    status.append(f.para(f"{line.by}, {when(line.answered_at)}", s.small))
            elif line.status == DECLINED_STATUS:
                status = [f.rich([("DECLINED", True), (": the child chose not to answer",
                                                       False)], s.cell)]
            elif line.status == NOT_ANSWERED:
                status = [f.rich([("NOT ANSWERED", True), (": shown, but no answer was "
                                                           "recorded", False)], s.cell)]
            else:
                reason = ("hidden by branching: its conditions were not met"
                          if line.status == NOT_ASKED else "its module was not started")
                status = [Para(f"<b>NOT ASKED</b>: {f.safe(reason)}", s.muted_cell)]
                if line.answer is not None and full:
                    status.append(f.para("An earlier answer, given before it was hidden, is "
                                         "kept in the record but does not count: "
                                         + _clip(line.answer), s.small))
            cells = [f.para(line.item, s.mono), self._question(line), status]
            rows.append((cells, line, long_answer))
        id_w = 28 * mm
        return self._qa_table(rows, [id_w, (f.width - id_w) * 0.5, (f.width - id_w) * 0.5])


def identity_line(r: ReportData) -> str:
    reference = r.reference or "pseudonymous (no reference, confirmed at export)"
    return f"Child reference: {reference} \u00b7 Age {r.age} \u00b7 {r.setting_name}"


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "\u2026"


__all__ = ["ProfessionalRecord", "VARIANT_TITLES", "identity_line", "when"]

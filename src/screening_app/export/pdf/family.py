"""The copy for the child and family: plain words, larger type, what happens next.

It carries no scores, no instrument names, no staff notes, staff wording or staff
instructions and no list of answers (``report_data.redact`` has already removed them). The
child's own words are left out too: a copy taken home may be read by anyone there. "Why we
met" is a safe phrasing chosen at export; "what happens next" is the content's family wording
of each flag (``family_text``) or one neutral sentence, never a promise that depends on a
service turning up (review findings 3 and 14).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..report_data import ReportData
from .flow import Flow
from .sections import when

NOTHING_NEXT = ("We did not find anything today that needs more help straight away. If things "
                "change, you can talk to us again or use the contacts below.")
TALK_NEXT = "The person you saw today will talk with you about what happens next."

# National services that answer children and young people anywhere in the UK.
NATIONAL_CONTACTS = [
    ("Childline", "0800 1111, free, any time, or childline.org.uk"),
    ("Samaritans", "116 123, free, any time"),
    ("Shout", "text SHOUT to 85258, free, any time"),
    ("NHS 111", "call 111 for urgent help with your health, including mental health"),
    ("In an emergency", "call 999 or go to the nearest emergency department"),
]


class FamilyCopy:
    def __init__(self, report: ReportData, flow: Flow):
        self.r = report
        self.f = flow
        self.s = flow.styles

    def story(self) -> list[Flowable]:
        f, s, r = self.f, self.s, self.r
        out: list[Flowable] = [*f.heading("Your visit today"),
                               f.para("What we talked about and what happens next.", s.subtitle)]
        if r.is_draft:
            out.append(f.para("This is not finished yet and may change.", s.banner))
        out += f.heading("About today")
        out.append(f.rich([("When: ", True), (when(r.created_at), False)]))
        out.append(f.rich([("Where: ", True), (r.setting_name, False)]))
        out.append(f.rich([("Who you saw: ", True), (r.created_by, False)]))
        if r.presenting_issue:  # a safe phrasing from export.release.VISIT_REASONS
            out.append(f.rich([("Why we met: ", True), (r.presenting_issue, False)]))
        out += self.next_steps()
        if r.adjustments:
            out += f.heading("What helps us talk with you")
            out += f.bullets(r.adjustments)
        if r.child_spoke:
            out += f.heading("What you told us")
            out.append(f.para("What you told us in your own words is kept safely in your "
                              "record. If you would like to see it, ask the person you saw "
                              "today."))
        out += self.contacts()
        return out

    def next_steps(self) -> list[Flowable]:
        f, r = self.f, self.r
        out: list[Flowable] = [*f.heading("What happens next")]
        if not r.flags:
            out.append(f.para(NOTHING_NEXT))
            return out
        texts = list(dict.fromkeys(r.family_texts[fl.id] for fl in r.flags
                                   if fl.id in r.family_texts))
        out += [f.para(text) for text in texts]
        out.append(f.para(TALK_NEXT))
        return out

    def contacts(self) -> list[Flowable]:
        f, r = self.f, self.r
        out: list[Flowable] = [*f.heading("Who to contact")]
        out.append(f.rich([("The person you saw today: ", True),
                           (f"{r.created_by}, {r.setting_name}", False)]))
        out.append(f.para("You can also talk to these services at any time:"))
        for name, detail in NATIONAL_CONTACTS:
            out.append(f.rich([(name, True), (f": {detail}", False)], self.s.bullet))
        return out

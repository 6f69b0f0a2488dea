"""A demo ED assessment on the shipped content, exported in all three variants.

    python -m tests.export.render_demo docs/screenshots   # pdf-VARIANT-N.png page images

Page images need poppler's ``pdftoppm``. Answers the content no longer takes are skipped
and named, so the demo keeps working while the content grows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from screening_app.app import Workspace, load_content
from screening_app.engine import AnswerError
from screening_app.store import Store, open_database

from .helpers import share

DEMO_ANSWERS: list[tuple[str, str, object]] = [
    ("ed-triage", "reason", "injury"),
    ("ed-triage", "repeat", "no"),
    ("slcn", "noticed", ["understanding"]),
    ("slcn", "language", "english"),
    ("slcn", "supports", ["none"]),
    ("slcn", "explain_back", "partly"),
    ("context", "known", ["young_carer", "parent_mh"]),
    ("context", "external_scores", "no"),
    ("context", "young_carer_support", "no"),
    ("psychosocial", "home", "yes"),
    ("psychosocial", "home_detail", "Looks after her mum, who has been unwell since the "
                                    "summer. Says there is no one else to help."),
    ("psychosocial", "mood", "yes"),
    ("psychosocial", "mood_detail", ["low", "sleep", "worry"]),
    ("psychosocial", "duration", "months"),
    ("psychosocial", "impact", "yes"),
    ("psychosocial", "self_harm", "declined"),
    ("psychosocial", "safety", "no"),
    ("asq", "q1", "no"),
    ("asq", "q2", "no"),
    ("asq", "q3", "no"),
    ("asq", "q4", "no"),
    ("phq9", "q1", "2"), ("phq9", "q2", "2"), ("phq9", "q3", "3"), ("phq9", "q4", "2"),
    ("phq9", "q5", "1"), ("phq9", "q6", "2"), ("phq9", "q7", "2"), ("phq9", "q8", "0"),
    ("phq9", "q9", "0"), ("phq9", "difficulty", "very"),
    ("gad7", "q1", "1"), ("gad7", "q2", "2"), ("gad7", "q3", "1"), ("gad7", "q4", "1"),
    ("gad7", "q5", "0"), ("gad7", "q6", "2"), ("gad7", "q7", "1"),
    ("gad7", "difficulty", "somewhat"),
    ("voice", "worries", "I can't leave Mum on her own for long. I'm tired all the time and "
                         "I keep missing school because of it."),
    ("voice", "help", "Someone to talk to who gets it. Maybe help for Mum so it isn't all me."),
    ("voice", "trusted", "Mrs Hughes at school, and my nan."),
    ("voice", "contact", "Text me, not phone. Not at home."),
    ("voice", "anything_else", "Please don't make a big thing of it at school."),
    ("consent", "present", ["alone"]),
    ("consent", "share", "child_agrees"),
]


def make_demo(ctx: Workspace) -> tuple[str, list[str]]:
    """Start and complete the demo; returns its id and the answers the content refused."""
    a = ctx.start(setting="ed", age=15, reference="ED-24-01937",
                  presenting_issue="Wrist injury from a fall at home. Quiet and tearful "
                                   "at triage; says she is fine.",
                  modules=("phq9",) if "phq9" in ctx.catalog.modules else ())
    skipped = []
    for module, item, value in DEMO_ANSWERS:
        try:
            a.answer(module, item, value)
        except AnswerError as exc:
            skipped.append(str(exc))
    for flag in a.session.evaluation.flags:
        if flag.level == "act-now":
            a.acknowledge(flag.id, note="Discussed with the nurse in charge.")
    for screen in a.unresolved_safety_screens():
        a.record_not_asked(screen.module, screen.item, "Asked by the CAMHS liaison nurse")
    a.complete()
    return a.id, skipped


FAM_A_COPIES = {
    # The review's run famA (tests/export/review_run.py) as it is actually shared.
    "famA-partner": ("partner", dict(recipient_organisation="Northshire MASH",
                                     recipient_role="duty social worker",
                                     purpose="Safeguarding referral: domestic abuse at home")),
    "famA-family": ("family", dict(confirm_safe="Seen alone; she keeps it at her nan's",
                                   visit_reason="school-drop-in")),
}


def render(folder: Path, *, max_pages: int = 6, resolution: int = 60) -> list[Path]:
    """Export the demo in every variant, the review's run famA as a partner and a family
    copy, and the ED pathway's no-concerns record (two pages), and write pdf-NAME-N.png page
    images (at most ``max_pages`` each) into ``folder``; returns the images written."""
    from .quiet_record import quiet_ed
    from .review_run import fam_a

    folder.mkdir(parents=True, exist_ok=True)
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm (poppler-utils) is needed for page images")
    images: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Workspace(load_content(), Store(open_database(f"sqlite:///{Path(tmp) / 'demo.db'}")),
                         user="S. Patel (ED nurse)")
        aid, skipped = make_demo(ctx)
        for reason in skipped:
            print(f"demo: skipped {reason}", file=sys.stderr)
        fam, _ = fam_a(ctx)
        copies = [(variant, aid, variant, share(variant)) for variant in
                  ("full", "partner", "family")]
        copies += [(name, fam, variant, share(variant, **kw))
                   for name, (variant, kw) in FAM_A_COPIES.items()]
        copies.append(("ed-no-concerns-full", quiet_ed(ctx), "full", share("full")))
        for name, record, variant, request in copies:
            pdf = Path(tmp) / f"pdf-{name}.pdf"
            ctx.export_pdf(record, pdf, variant, request=request, overwrite=True)
            for old in folder.glob(f"pdf-{name}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-l", str(max_pages),
                            str(pdf), str(folder / f"pdf-{name}")], check=True)
            for image in folder.glob(f"pdf-{name}-0*.png"):  # pdftoppm pads past 9 pages
                image.rename(image.with_name(f"pdf-{name}-{int(image.stem.rsplit('-', 1)[1])}"
                                             ".png"))
            images += sorted(folder.glob(f"pdf-{name}-*.png"))
    return images


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for path in render(out):
        print(path)

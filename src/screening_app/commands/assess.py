"""screening-app assess --answers FILE: one assessment, headless, saved answer by answer."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..app import RuleRefused, age_on
from ..engine import AnswerError
from . import export
from .answers_file import check_values, read_answers
from .common import CommandError, open_context, write_atomically


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assess", help="run one assessment headless from an answers file")
    p.add_argument("--answers", required=True, metavar="FILE", type=Path)
    p.add_argument("--json", metavar="OUT", help="write the result (JSON) here; - for stdout")
    p.add_argument("--pdf", metavar="OUT", type=Path,
                   help="write the PDF (full professional record) here after the last answer")
    export.add_pdf_options(p, variant=False)
    p.add_argument("--echo-saved", action="store_true",
                   help="print 'saved MODULE.ITEM' after each answer's commit has returned")
    p.add_argument("--complete", action="store_true",
                   help="complete the assessment after the last answer (read-only after)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    answers = read_answers(args.answers)
    if args.pdf:
        export.check_folder(args.pdf)
    ws = open_context(args)
    check_values(args.answers, answers, ws.catalog)
    if answers.child.age is not None:
        age = answers.child.age
    else:
        assert answers.child.date_of_birth is not None  # read_answers checks one is given
        age = age_on(answers.child.date_of_birth)
    assessment = ws.start(
        setting=answers.setting, age=age, reference=answers.reference,
        presenting_issue=answers.presenting_issue, date_of_birth=answers.child.date_of_birth,
        modules=tuple(answers.modules))
    print(assessment.id, flush=True)
    for n, entry in enumerate(answers.answers, start=1):
        try:
            assessment.answer(entry.module, entry.item, entry.value, reason=entry.reason)
        except (AnswerError, RuleRefused) as exc:
            raise CommandError(f"{args.answers}: answer {n}: {exc} (answers before it are "
                               f"saved in draft {assessment.id})") from None
        if args.echo_saved:
            print(f"saved {entry.module}.{entry.item}", flush=True)
    for n, decision in enumerate(answers.decisions, start=1):
        try:
            assessment.decide(decision.target, decision.decision, text=decision.text,
                              reason=decision.reason)
        except RuleRefused as exc:
            raise CommandError(f"{args.answers}: decision {n}: {exc} (the answers are saved "
                               f"in draft {assessment.id})") from None
    if args.complete:
        assessment.complete()  # refused while an act-now flag is unacknowledged
    if args.pdf:
        export.write_pdf(ws, assessment.id, args.pdf, "full", args.marking, args.annex, args)
    if args.json:
        from ..security.display import json_text

        text = json_text(assessment.result().to_json(), indent=2) + "\n"
        if args.json == "-":
            print(text, end="")
        else:
            write_atomically(args.json, text.encode("utf-8"))
    return 0


"""screening-app escalate ID --to ROLE --reason TEXT: record an escalation; with --outcome,
record what came of it (the latest escalation of ID without one, or --escalation N)."""

from __future__ import annotations

import argparse
import json

from .common import CommandError, open_context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("escalate", help="record an escalation of an assessment, or its outcome")
    p.add_argument("id", metavar="ID")
    p.add_argument("--to", metavar="ROLE", help="who it is escalated to (e.g. duty inspector)")
    p.add_argument("--reason", metavar="TEXT")
    p.add_argument("--outcome", metavar="TEXT", help="record the outcome instead")
    p.add_argument("--escalation", type=int, metavar="N", help="which escalation (--outcome)")
    p.add_argument("--list", action="store_true", help="list this assessment's escalations")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run)


def _print(escalations: list, as_json: bool) -> None:
    if as_json:
        print(json.dumps([e.to_dict() for e in escalations], indent=2, ensure_ascii=False))
        return
    for e in escalations:
        outcome = f"; outcome: {e.outcome} ({e.outcome_by})" if e.outcome else \
            "; outcome not recorded yet"
        print(f"escalation {e.id}: to {e.to_role} at {e.raised_at:%Y-%m-%d %H:%M} UTC by "
              f"{e.raised_by}, because {e.reason}{outcome}")


def run(args: argparse.Namespace) -> int:
    from ..store.actions import Actions

    if args.list:
        chosen = "list"
    elif args.outcome is not None:
        if args.to or args.reason:
            raise CommandError("give either --to and --reason (a new escalation) or "
                               "--outcome (what came of one), not both")
        chosen = "outcome"
    elif args.to and args.reason:
        chosen = "escalate"
    else:
        raise CommandError("escalate needs --to ROLE and --reason TEXT (or --outcome TEXT, "
                           "or --list)")
    ws = open_context(args)
    actions = Actions(ws.store)
    if chosen == "list":
        _print(actions.escalations(args.id), args.json)
    elif chosen == "escalate":
        _print([actions.escalate(args.id, to_role=args.to, reason=args.reason, by=ws.user)],
               args.json)
    else:
        number = args.escalation
        if number is None:
            waiting = [e for e in actions.escalations(args.id) if e.outcome is None]
            if not waiting:
                raise CommandError(f"assessment {args.id} has no escalation waiting for its "
                                   f"outcome")
            number = waiting[-1].id
        elif number not in {e.id for e in actions.escalations(args.id)}:
            raise CommandError(f"escalation {number} is not one of assessment {args.id}'s")
        _print([actions.record_outcome(number, outcome=args.outcome, by=ws.user)], args.json)
    return 0

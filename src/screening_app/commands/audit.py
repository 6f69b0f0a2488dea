"""screening-app audit verify | audit show ID: check the audit trail, or read a record's."""

from __future__ import annotations

import json

from ..security.audit import Action
from ..security.records import record_trail, verify_trail
from .common import CommandError, sign_in_for


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("audit", help="check the audit trail, or show a record's trail")
    actions = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check every entry (administrators); exit 1 naming the first broken one")
    verify.set_defaults(handler=run_verify)
    show = actions.add_parser(
        "show", help="who did what to one record (supervisors of its team, administrators)")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(handler=run_show)


def run_verify(args) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        verdict = verify_trail(signed)
    finally:
        signed.close()
    for warning in verdict.warnings:
        print(f"note: {warning}")
    if not verdict.ok:
        raise CommandError(verdict.sentence())
    print(verdict.sentence())
    return 0


def run_show(args) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        entries = record_trail(signed, args.id)
    finally:
        signed.close()
    if args.json:
        print(json.dumps([{"seq": e.seq, "at": e.at, "actor": e.actor, "role": e.role,
                           "team": e.team, "terminal": e.terminal, "os_user": e.os_user,
                           "action": e.action, "reason": e.reason, "detail": e.detail_dict()}
                          for e in entries], indent=2, ensure_ascii=False))
        return 0
    for e in entries:
        detail = ", ".join(f"{k}={v}" for k, v in sorted(e.detail_dict().items()))
        why = f" because: {e.reason}" if e.reason else ""
        print(f"{e.seq:>6}  {e.at}  {e.actor} ({e.role or '-'}) at {e.terminal}  "
              f"{e.action}{why}{'  ' + detail if detail else ''}")
    if not any(e.action == Action.CREATE for e in entries):
        print("(no creation entry: the record was made before auditing began, or elsewhere)")
    return 0

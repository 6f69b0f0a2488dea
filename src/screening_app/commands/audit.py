"""screening-app audit verify | audit show ID: check the audit trail, or read a record's."""

from __future__ import annotations

from ..security.anchor import publish
from ..security.audit import Action, check_anchor
from ..security.display import json_text, visible
from ..security.records import record_trail, verify_trail
from .common import CommandError, sign_in_for


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("audit", help="check the audit trail, or show a record's trail")
    actions = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check every entry (administrators); exit 1 naming the first broken one",
        description="Check the hash chain, every entry's seal and signature, and every "
                    "completed record against the hash sealed when it was completed. The "
                    "root and head are written to the system log; give values kept from "
                    "there (or written down) to check the trail was not cut or replaced.")
    verify.add_argument("--expect-root", metavar="HASH",
                        help="the root hash printed (and logged) by an earlier check")
    verify.add_argument("--expect-head", metavar="SEQ:HASH",
                        help="a head printed (and logged) by an earlier check")
    verify.set_defaults(handler=run_verify)
    show = actions.add_parser(
        "show", help="who did what to one record (supervisors of its team, administrators)")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(handler=run_show)


def _expected_head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isascii() or not seq.isdigit() or len(digest) != 64:
        raise CommandError("--expect-head is SEQ:HASH, as printed by 'audit verify'")
    return int(seq), digest


def run_verify(args) -> int:  # noqa: ANN001
    head = _expected_head(getattr(args, "expect_head", None))
    signed = sign_in_for(args, None)
    try:
        verdict = check_anchor(verify_trail(signed), root=getattr(args, "expect_root", None),
                               head=head)
        if verdict.ok:
            publish(signed.target.describe(), root=verdict.root_hash,
                    head_seq=verdict.head_seq, head_hash=verdict.head_hash)
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
        print(json_text([{"seq": e.seq, "at": e.at, "actor": e.actor, "role": e.role,
                          "team": e.team, "terminal": e.terminal, "os_user": e.os_user,
                          "action": e.action, "reason": e.reason, "detail": e.detail_dict()}
                         for e in entries], indent=2))
        return 0
    for e in entries:  # stored text is shown with its control characters escaped
        detail = ", ".join(f"{k}={v}" for k, v in sorted(e.detail_dict().items()))
        why = f" because: {e.reason}" if e.reason else ""
        print(visible(f"{e.seq:>6}  {e.at}  {e.actor} ({e.role or '-'}) at {e.terminal}  "
                      f"{e.action}{why}{'  ' + detail if detail else ''}"))
    if not any(e.action == Action.CREATE for e in entries):
        print("(no creation entry: the record was made before auditing began, or elsewhere)")
    return 0

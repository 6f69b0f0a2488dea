"""screening-app retention report|rule, and screening-app delete ID --reason TEXT.

Administrators only. The report lists records due for review under the retention rule
(ids, teams and dates, no clinical content); ``delete`` erases a record with all its
versions, audited with the reason.
"""

from __future__ import annotations

import json

from ..security.records import erase_record, retention_report
from ..security.retention import RetentionRule
from ..security.roles import Permission
from ..security.users import update_policy
from .common import sign_in_for


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("retention", help="records due for review under the retention rule "
                                         "(administrators)")
    actions = p.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    report = actions.add_parser("report", help="records due for review (ids and dates only)")
    report.add_argument("--within", type=int, default=0, metavar="DAYS",
                        help="also list records due in the next DAYS days")
    report.add_argument("--json", action="store_true")
    report.set_defaults(handler=run_report)
    rule = actions.add_parser("rule", help="show or change the retention rule")
    rule.add_argument("--birthday", type=int, metavar="N",
                      help="keep until the child's Nth birthday (default 25)")
    rule.add_argument("--birthday-if-17", type=int, metavar="N",
                      help="... or Nth if 17 when assessed (default 26)")
    rule.add_argument("--minimum-years", type=int, metavar="N",
                      help="and at least N years after the last change (default 0)")
    rule.set_defaults(handler=run_rule)

    d = sub.add_parser("delete", help="erase a record and all its versions (administrators; "
                                      "audited)")
    d.add_argument("id", metavar="ID")
    d.add_argument("--reason", required=True, metavar="TEXT",
                   help="why (recorded in the audit trail)")
    d.set_defaults(handler=run_delete)


def run_report(args) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        due = retention_report(signed, within_days=max(args.within, 0))
    finally:
        signed.close()
    if args.json:
        print(json.dumps([{"id": d.record_id, "versions": d.versions, "team": d.team,
                           "setting": d.setting, "first_assessed": d.first_assessed.isoformat(),
                           "last_activity": d.last_activity.isoformat(),
                           "review_date": d.review_date.isoformat(), "status": d.status}
                          for d in due], indent=2))
        return 0
    if not due:
        print("no records are due for review")
    for d in due:
        print(f"{d.review_date}  {d.record_id}  {d.team or '-'}  {d.setting}  "
              f"{len(d.versions)} version(s), last changed {d.last_activity}")
    return 0


def run_rule(args) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        signed.principal.require(Permission.SETTINGS)
        rule = signed.policy().retention
        if any(v is not None for v in (args.birthday, args.birthday_if_17, args.minimum_years)):
            rule = RetentionRule(
                birthday=rule.birthday if args.birthday is None else args.birthday,
                birthday_if_17=rule.birthday_if_17 if args.birthday_if_17 is None
                else args.birthday_if_17,
                minimum_years=rule.minimum_years if args.minimum_years is None
                else args.minimum_years)
            rule = update_policy(signed, retention=rule).retention
    finally:
        signed.close()
    print(f"retention: {rule.describe()}")
    return 0


def run_delete(args) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        ids = erase_record(signed, args.id, args.reason)
    finally:
        signed.close()
    print(f"deleted {len(ids)} version(s) of {args.id}; the audit trail keeps the reason")
    return 0

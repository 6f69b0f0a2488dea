"""screening-app actions list|add|update|oversight: what follows an assessment.

``add ID --from flag:X`` (or ``recommendation:X``, or ``manual`` with ``--title``) makes an
action with an owner and a due date; ``--service SID`` makes it a referral, ``--kind
check-in --every DAYS`` a repeating support-while-waiting check-in. ``update`` changes its
status (open, in-progress, done, did-not-attend, cancelled), outcome, owner or due date;
did-not-attend raises its follow-up. ``oversight`` is the supervisor's list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from .common import CommandError, open_context


def parse_due(text: str) -> dt.date:
    """An ISO date, ``today``, or ``+N`` days from today (UTC)."""
    from ..store.actions import today_utc

    cleaned = text.strip().lower()
    if cleaned == "today":
        return today_utc()
    if cleaned.startswith("+") and cleaned[1:].isdigit():
        return today_utc() + dt.timedelta(days=int(cleaned[1:]))
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise CommandError(f"--due {text!r}: give a date as YYYY-MM-DD, 'today' or +DAYS") \
            from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actions", help="actions, referrals and check-ins after an assessment")
    inner = p.add_subparsers(dest="actions_command", metavar="SUBCOMMAND", required=True)
    lst = inner.add_parser("list", help="open actions in your team, soonest due first")
    lst.add_argument("id", nargs="?", metavar="ID", help="only this assessment's")
    lst.add_argument("--overdue", action="store_true", help="only those past their due date")
    lst.add_argument("--all", action="store_true", help="closed ones too")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=run_list)
    add = inner.add_parser("add", help="turn a flag or recommendation into an action")
    add.add_argument("id", metavar="ID")
    add.add_argument("--from", dest="source", required=True,
                     metavar="flag:ID|recommendation:ID|manual")
    add.add_argument("--owner", required=True)
    add.add_argument("--due", required=True, help="YYYY-MM-DD, 'today' or +DAYS")
    add.add_argument("--title", help="what is to be done (default: the flag's action)")
    add.add_argument("--kind", choices=("action", "referral", "check-in", "follow-up"))
    add.add_argument("--service", metavar="SERVICE_ID", help="the service referred to")
    add.add_argument("--every", type=int, metavar="DAYS", help="a check-in repeats this often")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=run_add)
    upd = inner.add_parser("update", help="change an action's status, outcome, owner or due")
    upd.add_argument("action_id", type=int, metavar="ACTION_ID")
    upd.add_argument("--status",
                     choices=("open", "in-progress", "done", "did-not-attend", "cancelled"))
    upd.add_argument("--outcome")
    upd.add_argument("--owner")
    upd.add_argument("--due")
    upd.add_argument("--follow-up-due", help="when a did-not-attend follow-up is due "
                                             "(default: tomorrow)")
    upd.add_argument("--json", action="store_true")
    upd.set_defaults(handler=run_update)
    over = inner.add_parser("oversight", help="supervisors: assessments with act-now or "
                                              "refer flags whose actions are not done")
    over.add_argument("--json", action="store_true")
    over.set_defaults(handler=run_oversight)


def _line(a) -> str:  # noqa: ANN001
    late = "  OVERDUE" if a.overdue() else ""
    service = f" -> {a.service_name}" if a.service_name else ""
    repeat = f" (every {a.repeat_days} d)" if a.repeat_days else ""
    return (f"#{a.id} [{a.status}] {a.kind}{repeat} due {a.due_on:%Y-%m-%d}{late}: {a.title}"
            f"{service}; owner {a.owner}; assessment {a.assessment_id}")


def _print(actions: list, as_json: bool) -> None:
    if as_json:
        print(json.dumps([a.to_dict() for a in actions], indent=2, ensure_ascii=False))
    else:
        for a in actions:
            print(_line(a))


def _actions(args: argparse.Namespace):  # noqa: ANN202
    from ..store.actions import Actions

    ws = open_context(args)
    return ws, Actions(ws.store)


def run_list(args: argparse.Namespace) -> int:
    _ws, actions = _actions(args)
    found = actions.list(assessment_id=args.id, overdue=args.overdue, include_closed=args.all)
    if not found and not args.json:
        print("no overdue actions" if args.overdue else "no open actions")
    _print(found, args.json)
    return 0


def run_add(args: argparse.Namespace) -> int:
    ws, actions = _actions(args)
    result = None
    if args.source != "manual":
        # A draft has no stored result: its flags come from its answers, as on screen.
        result = ws.open(args.id).result().to_json()
    action = actions.add(args.id, source=args.source, owner=args.owner,
                         due_on=parse_due(args.due), title=args.title, kind=args.kind,
                         service_id=args.service, repeat_days=args.every, by=ws.user,
                         result=result)
    _print([action], args.json)
    return 0


def run_update(args: argparse.Namespace) -> int:
    ws, actions = _actions(args)
    changed = actions.update(
        args.action_id, by=ws.user, status=args.status, outcome=args.outcome,
        owner=args.owner, due_on=parse_due(args.due) if args.due else None,
        follow_up_due=parse_due(args.follow_up_due) if args.follow_up_due else None)
    _print(changed, args.json)
    return 0


def run_oversight(args: argparse.Namespace) -> int:
    _ws, actions = _actions(args)
    rows = actions.oversight()
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("nothing waiting: every act-now and refer flag has its actions done")
    for r in rows:
        flags = ", ".join(f"{f} ({lvl})" for f, lvl in r.flags)
        when = f"{r.completed_at:%Y-%m-%d}" if r.completed_at else "-"
        print(f"{r.assessment_id} {r.reference or '(no reference)'} [{r.setting}, {when}]: "
              f"{r.why}; flags {flags}; escalations {r.escalations}")
    return 0

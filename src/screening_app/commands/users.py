"""screening-app users ...: manage users and security settings (administrators).

New passwords come from SCREENING_APP_NEW_PASSWORD or are asked for twice; the signed-in
user's own password from SCREENING_APP_PASSWORD or a prompt. ``users recover`` needs no
sign-in: it takes the recovery key printed by ``init`` (SCREENING_APP_RECOVERY_KEY or a
prompt).
"""

from __future__ import annotations

import json

from ..security.access import recover
from ..security.roles import parse_role
from ..security.users import (
    add_user,
    change_user,
    disable_user,
    enable_user,
    list_users,
    set_password,
    unlock_user,
    update_policy,
)
from ..store import resolve_database_url
from . import prompt
from .common import sign_in_for


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("users", help="manage users and security settings (administrators)")
    actions = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    show = actions.add_parser("list", help="every user, their role, team and state")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_list)

    add = actions.add_parser("add", help="add a user (their password: "
                                         "SCREENING_APP_NEW_PASSWORD or asked for)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, type=parse_role,
                     help="practitioner, supervisor or administrator")
    add.add_argument("--team", required=True, metavar="TEAM")
    add.set_defaults(handler=run_add)

    change = actions.add_parser("change", help="change a user's role or team")
    change.add_argument("name", metavar="NAME")
    change.add_argument("--role", type=parse_role)
    change.add_argument("--team", metavar="TEAM")
    change.add_argument("--reason", metavar="TEXT")
    change.set_defaults(handler=run_change)

    disable = actions.add_parser("disable", help="stop a user signing in (their records stay)")
    disable.add_argument("name", metavar="NAME")
    disable.add_argument("--reason", metavar="TEXT")
    disable.set_defaults(handler=run_disable)

    enable = actions.add_parser("enable", help="let a disabled user sign in again, with a "
                                               "new password")
    enable.add_argument("name", metavar="NAME")
    enable.set_defaults(handler=run_enable)

    passwd = actions.add_parser("passwd", help="change your password, or (administrators) "
                                               "reset someone else's")
    passwd.add_argument("name", metavar="NAME", nargs="?")
    passwd.set_defaults(handler=run_passwd)

    unlock = actions.add_parser("unlock", help="end a lock-out after too many wrong passwords")
    unlock.add_argument("name", metavar="NAME")
    unlock.set_defaults(handler=run_unlock)

    policy = actions.add_parser("policy", help="show or change the security settings")
    policy.add_argument("--lockout-attempts", type=int, metavar="N",
                        help="wrong passwords before a lock-out (1-10; default 10)")
    policy.add_argument("--lockout-minutes", type=int, metavar="M",
                        help="how long a lock-out lasts (0: until an administrator unlocks; "
                             "default 15)")
    policy.add_argument("--idle-lock-minutes", type=int, metavar="M",
                        help="the desktop app locks after this long unused (1-60; default 5)")
    policy.set_defaults(handler=run_policy)

    rescue = actions.add_parser("recover", help="give a user a new password with the "
                                                "recovery key (encrypted SQLite databases)")
    rescue.add_argument("name", metavar="NAME")
    rescue.set_defaults(handler=run_recover)


def run_list(args) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        users = list_users(signed)
    finally:
        signed.close()
    if args.json:
        print(json.dumps([vars(u) for u in users], indent=2, ensure_ascii=False))
        return 0
    for u in users:
        state = "disabled" if u.disabled else ("locked" if u.locked else "active")
        print(f"{u.name}\t{u.role}\t{u.team or '-'}\t{state}")
    return 0


def _with_admin(args, action) -> int:  # noqa: ANN001
    signed = sign_in_for(args, None)
    try:
        action(signed)
    finally:
        signed.close()
    return 0


def run_add(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        from ..security.roles import Permission

        signed.principal.require(Permission.MANAGE_USERS)
        info = add_user(signed, args.name, args.role, args.team,
                        prompt.new_password(f"Password for {args.name}: "))
        print(f"added {info.name} ({info.role}, team {info.team})")
    return _with_admin(args, go)


def run_change(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        info = change_user(signed, args.name, role=args.role, team=args.team,
                           reason=args.reason)
        print(f"{info.name} is now {info.role} in team {info.team}")
    return _with_admin(args, go)


def run_disable(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        notes = disable_user(signed, args.name, args.reason)
        print(f"disabled {args.name}; their records and audit entries are kept, and the "
              f"database has a new key (other open sessions sign in again)")
        for note in notes:
            print(f"note: {note}")
    return _with_admin(args, go)


def run_enable(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        from ..security.roles import Permission

        signed.principal.require(Permission.MANAGE_USERS)
        enable_user(signed, args.name, prompt.new_password(f"New password for {args.name}: "))
        print(f"enabled {args.name}")
    return _with_admin(args, go)


def run_passwd(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        name = args.name or signed.principal.name
        notes = set_password(signed, name, prompt.new_password(f"New password for {name}: "))
        print(f"changed the password of {name}")
        for note in notes:
            print(f"note: {note}")
    return _with_admin(args, go)


def run_unlock(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        unlock_user(signed, args.name)
        print(f"unlocked {args.name}")
    return _with_admin(args, go)


def run_policy(args) -> int:  # noqa: ANN001
    def go(signed) -> None:  # noqa: ANN001
        if args.lockout_attempts is None and args.lockout_minutes is None \
                and args.idle_lock_minutes is None:
            from ..security.roles import Permission

            signed.principal.require(Permission.SETTINGS)
            policy = signed.policy()
        else:
            policy = update_policy(signed, attempts=args.lockout_attempts,
                                   lockout_minutes=args.lockout_minutes,
                                   idle_lock_minutes=args.idle_lock_minutes)
        minutes = policy.lockout.minutes
        lasting = "good (until an administrator unlocks)" if minutes == 0 \
            else f"{minutes} minutes"
        print(f"lock-out after {policy.lockout.attempts} wrong passwords, for {lasting}")
        print(f"desktop app locks after {policy.idle_lock_minutes} minutes unused")
        print(f"retention: {policy.retention.describe()}")
    return _with_admin(args, go)


def run_recover(args) -> int:  # noqa: ANN001
    url = resolve_database_url(getattr(args, "db", None))
    key = prompt.recovery_key()
    principal = recover(url, key, args.name, prompt.new_password(f"New password for "
                                                                 f"{args.name}: "))
    print(f"{principal.name} has a new password and is unlocked and enabled")
    return 0

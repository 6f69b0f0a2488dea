"""screening-app init --admin NAME: set up a database and its first administrator.

SQLite: makes an encrypted database (SQLCipher, random 256-bit key) and its key file, or
encrypts an existing development database in place, and prints the recovery key once.
PostgreSQL: adds the administrator, with the audit key in ``--audit-key-file`` (made if
missing) or from SCREENING_APP_AUDIT_KEY(_FILE).
"""

from __future__ import annotations

from pathlib import Path

from ..security.access import DEFAULT_TEAM, initialise
from ..store import resolve_database_url
from . import prompt


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser(
        "init", help="set up the database (encrypted) and its first administrator",
        description="Set up the database with its first administrator. The password comes "
                    "from SCREENING_APP_PASSWORD or is asked for (twice). An SQLite database "
                    "is encrypted; its recovery key is printed once: write it down and keep "
                    "it sealed, away from the computer.")
    p.add_argument("--admin", required=True, metavar="NAME", help="the administrator's name")
    p.add_argument("--team", default=DEFAULT_TEAM, metavar="TEAM",
                   help=f"the administrator's team (default: {DEFAULT_TEAM!r})")
    p.add_argument("--audit-key-file", type=Path, metavar="PATH",
                   help="PostgreSQL only: the audit key file (made if it does not exist); "
                        "every workstation needs it, as SCREENING_APP_AUDIT_KEY_FILE")
    p.add_argument("--app-role", metavar="ROLE",
                   help="PostgreSQL only: the database role the workstations connect as; "
                        "init (run as the owner) leaves it only INSERT and SELECT on the "
                        "audit trail and no right to alter tables or their guards")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001
    url = resolve_database_url(getattr(args, "db", None))
    password = prompt.new_password_for_init()
    done = initialise(url, args.admin, password, team=args.team,
                      audit_key_file=args.audit_key_file)
    print(f"Set up {done.where} ({done.kind}) with administrator {done.principal.name} "
          f"(team {done.principal.team}).")
    if getattr(args, "app_role", None):
        from ..security.server import restrict_app_role

        restrict_app_role(url, args.app_role)
        print(f"The workstations' role {args.app_role} may read and write records but only "
              f"add to the audit trail, and cannot alter tables or their guards.")
    if done.encrypted_existing:
        print("The existing development database was encrypted in place; no plain copy of it "
              "was left by set-up. Backups made of it before now are not encrypted: delete "
              "them.")
    if done.audit_root:
        print(f"Audit trail root: {done.audit_root} (also in the system log; keep it with "
              f"the recovery key: 'audit verify --expect-root' checks the trail against it).")
    if done.recovery_key:
        print()
        print("RECOVERY KEY (shown once, never stored; write it down and keep it sealed, away "
              "from this computer):")
        print(f"    {done.recovery_key}")
        print("With it, 'screening-app users recover NAME' gives a user a new password when "
              "every administrator's password is lost. Without it, such a database cannot "
              "be opened again.")
    if done.audit_key_file:
        print(f"The audit key was written to {done.audit_key_file}. Every workstation "
              f"using this database needs a copy, named by SCREENING_APP_AUDIT_KEY_FILE.")
    return 0

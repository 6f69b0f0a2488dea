"""The command line: the second front door, onto the same calls as the desktop app.

Every command lives in its own module under ``commands/`` with ``register`` and ``run``.
Errors reach the user as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS
from .commands.common import CommandError, fail_cleanly


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening-app",
        description="Heard: screening and holistic assessment for children met in ED, custody, "
                    "general practice and school nursing. With no command, starts the desktop "
                    "app.")
    parser.add_argument("--version", action="version", version=f"screening-app {__version__}")
    parser.add_argument("--db", metavar="URL", help="database URL (default: SCREENING_APP_DB, "
                        "else an SQLite file in the user data folder)")
    parser.add_argument("--user", metavar="NAME", help="who is working (recorded on every "
                        "answer)")
    parser.add_argument("--content", metavar="DIR", action="append", default=[],
                        help="extra module and pathway folder (repeatable)")
    parser.add_argument("--demo", action="store_true",
                        help="start the desktop app on a throwaway database of synthetic data")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with fail_cleanly() as outcome:
        if args.command is None:
            from .commands import gui

            outcome.code = gui.run(args)
        else:
            outcome.code = args.handler(args)
    return outcome.code


def entry() -> None:
    sys.exit(main())


__all__ = ["CommandError", "build_parser", "entry", "main"]

"""The command line: the second front door, onto the same calls as the desktop app.

Every command lives in its own module under ``commands/`` with ``register`` and ``run``.
Errors reach the user as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .commands import load_commands
from .commands.common import CommandError, fail_cleanly


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="database URL (default: SCREENING_APP_DB, "
                        "else an SQLite file in the user data folder)")
    parser.add_argument("--user", metavar="NAME", help="who is working: on a database set "
                        "up with 'init', the user to sign in as (password from "
                        "SCREENING_APP_PASSWORD, else asked for)")
    parser.add_argument("--content", metavar="DIR", action="append", default=[],
                        help="extra module and pathway folder (repeatable)")
    parser.add_argument("--demo", action="store_true",
                        help="start the desktop app on a throwaway database of synthetic data")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation headless (content, an encrypted database, "
                             "an assessment, a PDF), one line per check; exit 0 or 1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening-app",
        description="Heard: screening and holistic assessment for children met in ED, custody, "
                    "general practice and school nursing. With no command, starts the desktop "
                    "app.")
    parser.add_argument("--version", action="version", version=f"screening-app {__version__}")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in load_commands():
        module.register(sub)
    return parser


def _desktop_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The options when the command line only starts the desktop app, else None.

    Starting the app this way skips importing every command module.
    """
    quick = argparse.ArgumentParser(add_help=False)
    _global_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except SystemExit:
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _desktop_only(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    with fail_cleanly() as outcome:
        if args.self_test:
            from .selftest import main as self_test

            outcome.code = self_test()
        elif args.command is None:
            from .commands import gui

            outcome.code = gui.run(args)
        else:
            outcome.code = args.handler(args)
    return outcome.code


def entry() -> None:
    sys.exit(main())


__all__ = ["CommandError", "build_parser", "entry", "main"]

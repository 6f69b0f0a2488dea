"""screening-app show ID [--json]: a stored assessment in the result format."""

from __future__ import annotations

import argparse

from ..export.text import result_as_text
from .common import open_context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="print a stored assessment")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="the result format (JSON)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..security.display import json_text, visible

    ws = open_context(args)
    result = ws.open(args.id).result()
    if args.json:  # control and direction characters escaped per JSON: same data, harmless
        print(json_text(result.to_json(), indent=2))
    else:  # and shown as visible escapes on a terminal (red-team finding 11)
        print("\n".join(visible(line) for line in result_as_text(result, ws.catalog).splitlines()))
    return 0

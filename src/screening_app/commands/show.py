"""screening-app show ID [--json]: a stored assessment in the result format."""

from __future__ import annotations

import argparse
import json

from ..export.text import result_as_text
from .common import open_context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="print a stored assessment")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="the result format (JSON)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    result = open_context(args).open(args.id).result()
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(result_as_text(result))
    return 0

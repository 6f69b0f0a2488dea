"""screening-app show ID [--json]: a stored assessment in the result format."""

from __future__ import annotations

import json

from ..assessments import open_assessment
from ..export.text import result_as_text
from .common import open_context


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("show", help="print a stored assessment")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="the result format (JSON)")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001
    ctx = open_context(args)
    result = open_assessment(ctx, args.id).result()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(result_as_text(result))
    return 0

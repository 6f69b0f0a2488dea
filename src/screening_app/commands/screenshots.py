"""screening-app screenshots OUTDIR: the desktop app's main screens as PNG files.

Rendered offscreen (no display needed) from synthetic data in a throwaway database; the
user's own database is never opened. ``--scale 2`` renders as at 200% display scaling.
"""

from __future__ import annotations

import os
from pathlib import Path

from .common import CommandError


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("screenshots", help="render the desktop app's screens to PNG files")
    p.add_argument("outdir", metavar="OUTDIR", type=Path)
    p.add_argument("--scale", type=float, default=None, metavar="FACTOR",
                   help="render as at this display scaling (QT_SCALE_FACTOR), e.g. 2; "
                        "file names get a -FACTORx suffix")
    p.add_argument("--scheme", choices=("light", "dark"), default="light",
                   help="colour scheme (dark files get a -dark suffix)")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001
    outdir: Path = args.outdir
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create {outdir}: {exc.strerror or exc}") from None
    if args.scale is not None and not 0.5 <= args.scale <= 4:
        raise CommandError("--scale must be between 0.5 and 4")
    # Both must be set before Qt starts: nothing has imported it yet.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    suffix = ""
    if args.scale is not None:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
        suffix += f"-{args.scale:g}x"
    if args.scheme == "dark":
        suffix += "-dark"
    from ..ui.screenshots import render_to

    for path in render_to(outdir, args, suffix=suffix, scheme=args.scheme):
        print(path)
    return 0

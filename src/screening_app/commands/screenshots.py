"""screening-app screenshots OUTDIR: the desktop app's main screens as PNG files.

Rendered offscreen (no display needed) from synthetic data in a throwaway database; the
user's own database is never opened. Two kinds of 200%: ``--scale 2`` renders as at 200%
display scaling (every pixel doubled, the same layout), ``--text-scale 2`` with the app's own
text size at 200% in the same 1366x768 window (what must still fit, issue 15.4).
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
    p.add_argument("--text-scale", type=float, default=1.0, metavar="FACTOR",
                   help="the app's text size (Home > Text size), e.g. 2 for 200%%; "
                        "file names get a -textFACTORx suffix")
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
    if not 0.75 <= args.text_scale <= 3:  # the range the text-size setting allows
        raise CommandError("--text-scale must be between 0.75 and 3")
    # Both must be set before Qt starts: nothing has imported it yet.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    suffix = ""
    if args.scale is not None:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
        suffix += f"-{args.scale:g}x"
    if args.text_scale != 1.0:
        suffix += f"-text{args.text_scale:g}x"
    if args.scheme == "dark":
        suffix += "-dark"
    from ..ui.screenshots import render_to

    for path in render_to(outdir, args, suffix=suffix, scheme=args.scheme,
                          text_scale=args.text_scale):
        print(path)
    return 0

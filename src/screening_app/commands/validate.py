"""screening-app validate [PATH…]"""

from __future__ import annotations

from pathlib import Path

from ..content import load_catalog, load_valid_catalog
from ..paths import shipped_content_dir
from .common import CommandError, content_dirs


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("validate", help="check questionnaire modules and pathways")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check beside the shipped content (default: the "
                        "shipped questionnaires and any --content folders)")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001
    paths = [Path(p) for p in args.paths]
    for path in paths:
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
    if paths:
        # Named files are checked as if installed beside the shipped content, so they may
        # refer to shipped modules; only their own problems are listed.
        catalog, problems = load_catalog(paths, base=load_valid_catalog([shipped_content_dir()]))
    else:
        catalog, problems = load_catalog([shipped_content_dir(), *content_dirs(args)])
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"ok: {len(catalog.modules)} modules, {len(catalog.pathways)} pathways")
    return 0

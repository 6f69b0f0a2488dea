"""screening-app services import|export|list|match|map: the local directory of services.

``import FILE`` takes an ORUK service, a list or a paged answer (JSON), or the tabular form
(a ``datapackage.json`` or its folder); nothing is imported unless the whole file is sound,
and every problem is printed with its record, field and reason. ``export FILE`` writes ORUK
JSON (``*.json``) or the tabular form (a folder). ``match ID`` lists the services that fit
an assessment, best first, each with why. Changing the directory is for administrators.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import CommandError, open_context, write_atomically


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("services", help="the local directory of services (Open Referral UK)")
    inner = p.add_subparsers(dest="services_command", metavar="SUBCOMMAND", required=True)
    imp = inner.add_parser("import", help="import an ORUK file (JSON, or datapackage.json)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--replace", action="store_true",
                     help="also remove the services the file does not have")
    imp.set_defaults(handler=run_import)
    exp = inner.add_parser("export", help="write the directory as ORUK JSON (FILE.json) or "
                                          "as the tabular form (a folder)")
    exp.add_argument("file", metavar="FILE")
    exp.set_defaults(handler=run_export)
    lst = inner.add_parser("list", help="list the directory")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=run_list)
    match = inner.add_parser("match", help="the services that fit an assessment, best first")
    match.add_argument("id", metavar="ID")
    match.add_argument("--area", help="match for another area than this site's (the "
                                      "deployment's area), as the directory names it")
    match.add_argument("--language", help="match for another language than the one the "
                                          "assessment records (an interpreter or sign)")
    match.add_argument("--limit", type=int, default=10)
    match.add_argument("--json", action="store_true")
    match.set_defaults(handler=run_match)
    mapping = inner.add_parser("map", help="map a need tag to taxonomy terms (no terms: to "
                                           "nothing); without a tag, print the mapping")
    mapping.add_argument("tag", nargs="?", metavar="TAG")
    mapping.add_argument("terms", nargs="*", metavar="TAXONOMY:TERM")
    mapping.set_defaults(handler=run_map)


def _directory(args: argparse.Namespace):  # noqa: ANN202
    from ..store.directory import Directory

    ws = open_context(args)
    return ws, Directory(ws.store)


def run_import(args: argparse.Namespace) -> int:
    from ..services import DirectoryError, ImportRefused
    from ..services.files import read_directory

    ws, directory = _directory(args)
    path = Path(args.file)
    try:
        read = read_directory(path)
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        raise CommandError(f"{refused.source}: nothing imported; {len(refused.problems)} "
                           f"problem(s) above") from None
    except DirectoryError as exc:
        raise CommandError(str(exc)) from None
    for note in read.notes:
        print(f"note: {note}", file=sys.stderr)
    try:
        summary = directory.import_entries(read.entries, by=ws.user, source=read.source,
                                           replace=args.replace)
    except DirectoryError as exc:
        raise CommandError(str(exc)) from None
    print(f"imported {len(read.entries)} service(s) from {read.source}: {summary.added} new, "
          f"{summary.updated} updated, {summary.removed} removed")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from ..services import DirectoryError
    from ..services.files import export_directory

    _ws, directory = _directory(args)
    path = Path(args.file)
    entries = directory.entries()
    try:
        files = export_directory(path, entries)
    except DirectoryError as exc:
        raise CommandError(str(exc)) from None
    if path.name in files:
        write_atomically(path, files[path.name])
    else:
        if path.exists() and not path.is_dir():
            raise CommandError(f"{path} is a file; give a folder for the tabular form or a "
                               f"name ending .json")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot make the folder {path}: {exc.strerror}") from None
        for name, data in files.items():
            write_atomically(path / name, data)
    print(f"exported {len(entries)} service(s) to {path}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    _ws, directory = _directory(args)
    entries = directory.entries()
    if args.json:
        print(json.dumps([{"id": e.id, "name": e.name, "status": e.record.get("status"),
                           "minimum_age": e.record.get("minimum_age"),
                           "maximum_age": e.record.get("maximum_age"),
                           **e.local.model_dump(mode="json")} for e in entries],
                         indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("the directory is empty; add services with 'screening-app services import FILE'")
    for e in entries:
        routes = ", ".join(e.local.access_routes) or "access route not recorded"
        wait = f"wait {e.local.typical_wait_days} d" if e.local.typical_wait_days is not None \
            else "wait not recorded"
        ages = f"ages {e.record.get('minimum_age', '?')}-{e.record.get('maximum_age', '?')}"
        print(f"{e.id}  {e.name}  [{e.record.get('status')}; {ages}; {routes}; {wait}]")
    return 0


def run_match(args: argparse.Namespace) -> int:
    from ..services import match_services, needs_from_result
    from ..services.suggest import child_language

    ws, directory = _directory(args)
    result = ws.open(args.id).result().to_json()
    needs = needs_from_result(result)
    found = match_services(needs, int(result["age"]), directory.index(),
                           area=args.area or ws.machine.area,
                           language=args.language or child_language(result),
                           limit=max(args.limit, 1))
    if args.json:
        print(json.dumps({"assessment_id": args.id,
                          "needs": [{"tag": n.tag, "level": n.level, "because": list(n.because)}
                                    for n in needs],
                          "services": [s.to_dict() for s in found]}, indent=2,
                         ensure_ascii=False))
        return 0
    if not needs:
        print("no needs for a service were raised by this assessment")
    elif not found:
        print("no service in the directory fits these needs, this age and area")
    for i, s in enumerate(found, start=1):
        print(f"{i}. {s.name} [{s.level}] ({s.service_id})")
        for line in s.why:
            print(f"     - {line}")
        if s.alert:
            print(f"     ! alert: {s.alert}")
        print(f"     entry assured {s.assured_date or 'never'}, last changed "
              f"{s.last_modified or 'unknown'}")
    return 0


def run_map(args: argparse.Namespace) -> int:
    ws, directory = _directory(args)
    if args.tag is None:
        for tag, pairs in sorted(directory.need_map().terms.items()):
            print(f"{tag}: {', '.join(f'{t}:{v}' for t, v in pairs) or '(nothing)'}")
        return 0
    pairs = []
    for text in args.terms:
        taxonomy, sep, term = text.partition(":")
        if not sep or not taxonomy.strip() or not term.strip():
            raise CommandError(f"{text!r}: give each term as TAXONOMY:TERM")
        pairs.append((taxonomy, term))
    directory.set_mapping(args.tag, pairs, by=ws.user)
    print(f"{args.tag} now maps to {', '.join(args.terms) or 'nothing'}")
    return 0

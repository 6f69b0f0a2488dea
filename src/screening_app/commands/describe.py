"""screening-app describe --setting S [--age N] [--json]: a setting's pathway."""

from __future__ import annotations

import json

from ..app import load_content
from ..content import Catalog
from ..content.models import SETTINGS
from ..engine.evaluate import steps_for_age
from .common import CommandError, content_dirs


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("describe", help="show a setting's pathway: modules, items, flags")
    p.add_argument("--setting", required=True, choices=SETTINGS)
    p.add_argument("--age", type=int, help="only what a child of this age is offered")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run)


def describe(catalog: Catalog, setting: str, age: int | None) -> dict:
    if setting not in catalog.pathways:
        raise CommandError(f"no pathway is installed for setting '{setting}'")
    pathway = catalog.pathway(setting)
    steps, gated = (steps_for_age(pathway, catalog, age) if age is not None
                    else (pathway.steps, []))
    modules = []
    for step in steps:
        module = catalog.module(step.module)
        modules.append({
            "module": module.id, "title": module.title, "version": module.version,
            "source": module.source, "licence": module.licence, "verbatim": module.verbatim,
            "ages": module.ages.model_dump(exclude_none=True),
            "step": {"core": step.core, "ages": step.ages.model_dump(exclude_none=True),
                     "conditional": step.when is not None},
            "items": [{"id": i.id, "type": i.type.value, "prompt": i.prompt_for(setting),
                       "codes": i.codes(), "conditional": i.enable_when is not None,
                       "child_facing": i.child_facing}
                      for i in module.items()],
            "scores": [{"id": s.id, "bands": [b.code for b in s.bands]} for s in module.scores],
            "flags": [{"id": f.id, "level": f.level.value, "title": f.title}
                      for f in module.flags],
        })
    return {
        "setting": setting, "pathway": pathway.id, "version": pathway.version,
        "title": pathway.title, "source": pathway.source, "age": age, "modules": modules,
        "pathway_flags": [{"id": f.id, "level": f.level.value, "title": f.title}
                          for f in pathway.flags],
        "not_offered": [{"module": g.module, "instead": g.instead} for g in gated],
    }


def run(args) -> int:  # noqa: ANN001
    if args.age is not None and not 0 <= args.age <= 25:
        raise CommandError("--age must be from 0 to 25")
    data = describe(load_content(content_dirs(args)), args.setting, args.age)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{data['title']} pathway ({data['pathway']} {data['version']})")
    for m in data["modules"]:
        gate = " (conditional)" if m["step"]["conditional"] else ""
        print(f"\n{m['module']}: {m['title']} v{m['version']}{gate}")
        print(f"  source: {m['source']}")
        print(f"  licence: {m['licence']}")
        for i in m["items"]:
            codes = f" [{', '.join(i['codes'])}]" if i["codes"] else ""
            cond = " (conditional)" if i["conditional"] else ""
            print(f"  - {i['id']} {i['type']}{codes}{cond}")
        for f in m["flags"]:
            print(f"  ! {f['id']} {f['level']}: {f['title']}")
    for g in data["not_offered"]:
        print(f"\nnot offered at this age: {g['module']}. {g['instead'] or ''}".rstrip())
    return 0

"""screening-app schema: the JSON Schema of the content format, for authors' editors."""

from __future__ import annotations

import json

from ..content.models import Module, Pathway


def content_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Heard questionnaire content (module or pathway)",
        "oneOf": [{"$ref": "#/$defs/Module"}, {"$ref": "#/$defs/Pathway"}],
        "$defs": _merged_defs(),
    }


def _merged_defs() -> dict:
    defs: dict = {}
    for model in (Module, Pathway):
        schema = model.model_json_schema(ref_template="#/$defs/{model}", by_alias=True)
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return defs


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser("schema", help="print the JSON Schema of the content format")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001, ARG001
    print(json.dumps(content_schema(), indent=2, ensure_ascii=False))
    return 0

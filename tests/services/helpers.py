"""Shared test data for the directory tests: the shipped ORUK examples and the sample."""

from __future__ import annotations

import json
from pathlib import Path

from screening_app.paths import resources_dir

DATA = Path(__file__).parent / "data"
SAMPLE = resources_dir() / "services" / "sample-directory.json"


def sample_contents() -> list[dict]:
    return json.loads(SAMPLE.read_text("utf-8"))["contents"]


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def example_full() -> dict:
    return json.loads((DATA / "example-service_full.json").read_text("utf-8"))


def tabular_package(folder: Path, services_csv: str | None = None) -> Path:
    """A datapackage.json over the shipped ORUK example CSVs (or a given services.csv)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {"service": "example-csv-services.csv",
             "taxonomy_term": "example-csv-taxonomy_terms.csv",
             "attribute": "example-csv-attribute.csv"}
    for name in names.values():
        (folder / name).write_bytes((DATA / name).read_bytes())
    if services_csv is not None:
        (folder / names["service"]).write_text(services_csv, encoding="utf-8")
    descriptor = {"profile": "tabular-data-package",
                  "resources": [{"name": n, "path": p} for n, p in names.items()]}
    return write_json(folder / "datapackage.json", descriptor)

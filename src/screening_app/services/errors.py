"""What goes wrong with a directory file: every problem names its record, field and reason."""

from __future__ import annotations

from dataclasses import dataclass


class DirectoryError(Exception):
    """A directory operation that cannot be done; ``str()`` is one sentence for the user."""


@dataclass(frozen=True)
class ImportProblem:
    record: str  # "record 3 (id ...)" or "services.csv row 4"
    field: str   # dotted path inside the record, or "-" for the record as a whole
    reason: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field}: {self.reason}"


class ImportRefused(DirectoryError):
    """Nothing was imported: the file has these problems."""

    def __init__(self, source: str, problems: list[ImportProblem]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: nothing imported, {len(problems)} problem(s): "
                         + "; ".join(str(p) for p in problems[:3])
                         + (" ..." if len(problems) > 3 else ""))

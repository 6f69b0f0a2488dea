"""Strict YAML reading that remembers where every value came from.

YAML 1.2 semantics (``no`` stays the string "no"), safe construction only, and no
anchors, aliases, duplicate keys, custom tags, oversized files or deep nesting: a
questionnaire file is small, plain data, and anything else is refused with a line number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..files import ReadError, read_limited

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 40
MAX_NODES = 50_000

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, printable as ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class SourceDoc:
    """A parsed file: its data, its bytes and the line of every path inside it."""

    path: Path
    data: Any
    raw: bytes
    lines: dict[Path_, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path)

    def line_of(self, loc: Path_) -> int:
        """The line of the deepest known path that prefixes ``loc``."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def problem(self, loc: Path_, message: str) -> Problem:
        return Problem(self.name, self.line_of(loc), message)


def read_yaml(path: Path) -> SourceDoc:
    """Read one content file, or raise ContentError naming the file and line."""
    name = str(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES, "file")
    except ReadError as exc:
        message = str(exc).removeprefix(f"{name}: ")
        raise ContentError([Problem(name, 1, message)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError([Problem(name, line, "file is not valid UTF-8")]) from None
    return parse_yaml_text(text, path, raw)


def parse_yaml_text(text: str, path: Path, raw: bytes | None = None) -> SourceDoc:
    name = str(path)
    yaml = YAML(typ="safe")  # the C parser when ruamel.yaml.clib is installed; same YAML 1.2 rules
    try:
        _refuse_anchors_and_depth(yaml, text, name)
        root = yaml.compose(text)
    except ContentError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ContentError([Problem(name, line, f"YAML syntax: {exc.problem or exc}")]) from None
    except (YAMLError, RecursionError, ValueError) as exc:
        raise ContentError([Problem(name, 1, f"YAML syntax: {exc}")]) from None
    if root is None:
        raise ContentError([Problem(name, 1, "file is empty")])
    lines: dict[Path_, int] = {}
    data = _to_python(yaml, root, (), lines, name)
    raw = raw if raw is not None else text.encode()
    return SourceDoc(path=path, data=data, raw=raw, lines=lines)


def _refuse_anchors_and_depth(yaml: YAML, text: str, name: str) -> None:
    depth = 0
    count = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            message = "anchors and aliases (& and *) are not allowed"
            raise ContentError([Problem(name, line, message)])
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentError([Problem(name, line, f"nesting deeper than {MAX_DEPTH} levels")])
        elif type(event).__name__ in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            count += 1
            if count > MAX_NODES:
                raise ContentError([Problem(name, line, f"more than {MAX_NODES:,} values")])
        tag = getattr(event, "tag", None)
        if tag and tag not in _ALLOWED_EXPLICIT_TAGS:
            raise ContentError([Problem(name, line, f"tag {tag!r} is not allowed")])


_PLAIN_TAGS = {"str", "int", "float", "bool", "null"}
_ALLOWED_EXPLICIT_TAGS = {"!"} | {
    f"tag:yaml.org,2002:{t}" for t in (*_PLAIN_TAGS, "map", "seq")
}


def _to_python(yaml: YAML, node: Node, loc: Path_, lines: dict[Path_, int], name: str) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise ContentError([Problem(name, key_line, "mapping keys must be plain words")])
            key = str(key_node.value)
            if key in out:
                raise ContentError([Problem(name, key_line, f"duplicate key '{key}'")])
            out[key] = _to_python(yaml, value_node, (*loc, key), lines, name)
            lines[(*loc, key)] = key_line
        return out
    if isinstance(node, SequenceNode):
        return [_to_python(yaml, child, (*loc, i), lines, name)
                for i, child in enumerate(node.value)]
    tag = (node.tag or "").rsplit(":", 1)[-1]
    if tag not in _PLAIN_TAGS:
        return str(node.value)  # timestamps and the like stay as the text the author wrote
    if tag in ("int", "float") and len(str(node.value)) > 40:  # int() refuses 4,300 digits
        raise ContentError([Problem(name, lines[loc], f"number of {len(str(node.value)):,} "
                                                      f"characters is too large")])
    try:
        value = yaml.constructor.construct_object(node, deep=True)
    except (YAMLError, ValueError) as exc:
        raise ContentError([Problem(name, lines[loc], f"bad value: {exc}")]) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ContentError([Problem(name, lines[loc], f"number {node.value!r} is not finite")])
    if isinstance(value, int) and abs(value) > 10**12:
        raise ContentError([Problem(name, lines[loc], f"number {node.value!r} is too large")])
    return value

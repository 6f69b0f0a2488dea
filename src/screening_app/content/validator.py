"""Checks across a whole catalog: ids, references, cycles, bands and flags that cannot fire."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .loader import Catalog, Loaded
from .models import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    Condition,
    Item,
    ItemType,
    Module,
    Pathway,
    Score,
)
from .refs import Ref, resolve, walk
from .yaml_source import Problem

Node = tuple[str, ...]  # ("item", module, id) | ("step", module) | ("score", m, id) | ("flag", id)


@dataclass
class _Where:
    """A condition's home: which file, which path in it, and its module for short refs."""

    loaded: Loaded
    loc: tuple
    home: str | None

    def problem(self, message: str) -> Problem:
        return self.loaded.doc.problem(self.loc, message)


def check_catalog(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    flag_homes: dict[str, str] = {}
    for loaded in [*catalog.modules.values(), *catalog.pathways.values()]:
        problems.extend(_check_unique_ids(loaded))
        for i, flag in enumerate(loaded.model.flags):
            if flag.id in flag_homes:
                problems.append(loaded.doc.problem(
                    ("flags", i, "id"), f"duplicate flag id '{flag.id}' (also in "
                                        f"{flag_homes[flag.id]})"))
            flag_homes.setdefault(flag.id, loaded.doc.name)
    for loaded in catalog.modules.values():
        problems.extend(_check_module(catalog, loaded))
    for loaded in catalog.pathways.values():
        problems.extend(_check_pathway(catalog, loaded))
    problems.extend(_check_cycles(catalog))
    return problems


def _dupes(loaded: Loaded, entries: list[tuple[tuple, str]], what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for loc, ident in entries:
        if ident in seen:
            yield loaded.doc.problem(loc, f"duplicate {what} id '{ident}'")
        seen.add(ident)


def _check_unique_ids(loaded: Loaded) -> Iterator[Problem]:
    model = loaded.model
    yield from _dupes(loaded, [(("recommendations", i, "id"), r.id)
                               for i, r in enumerate(model.recommendations)], "recommendation")
    if isinstance(model, Module):
        yield from _dupes(loaded, [(("sections", s, "id"), sec.id)
                                   for s, sec in enumerate(model.sections)], "section")
        yield from _dupes(loaded, [(("sections", s, "items", i, "id"), item.id)
                                   for s, sec in enumerate(model.sections)
                                   for i, item in enumerate(sec.items)], "item")
        yield from _dupes(loaded, [(("scores", i, "id"), sc.id)
                                   for i, sc in enumerate(model.scores)], "score")
        rules = [(("communication", i, "id"), c.id) for i, c in enumerate(model.communication)]
        yield from _dupes(loaded, rules, "communication rule")
        for s, sec in enumerate(model.sections):
            for i, item in enumerate(sec.items):
                yield from _dupes(loaded, [(("sections", s, "items", i, "options", o, "code"),
                                            opt.code) for o, opt in enumerate(item.options)],
                                  f"option code in item '{item.id}': option")


def _module_conditions(module: Module) -> Iterator[tuple[tuple, Condition | None, str]]:
    """(location, condition, role) for every condition a module declares."""
    for s, sec in enumerate(module.sections):
        yield ("sections", s, "enable_when"), sec.enable_when, "enable_when"
        for i, item in enumerate(sec.items):
            yield ("sections", s, "items", i, "enable_when"), item.enable_when, "enable_when"
    for s, score in enumerate(module.scores):
        for b, band in enumerate(score.bands):
            yield ("scores", s, "bands", b, "when"), band.when, "band"
    for f, flag in enumerate(module.flags):
        yield ("flags", f, "when"), flag.when, "flag"
    for r, rec in enumerate(module.recommendations):
        yield ("recommendations", r, "when"), rec.when, "recommendation"
    for c, rule in enumerate(module.communication):
        yield ("communication", c, "when"), rule.when, "communication"


def _check_module(catalog: Catalog, loaded: Loaded) -> Iterator[Problem]:
    module: Module = loaded.model  # type: ignore[assignment]
    for loc, condition, role in _module_conditions(module):
        if condition is not None:
            where = _Where(loaded, loc, module.id)
            yield from _check_condition(catalog, condition, where)
            if role == "flag":
                reason = _never_true(catalog, condition, module.id)
                if reason:
                    yield where.problem(f"flag can never fire: {reason}")
    for s, score in enumerate(module.scores):
        yield from _check_score(module, loaded, s, score)


def _check_pathway(catalog: Catalog, loaded: Loaded) -> Iterator[Problem]:
    pathway: Pathway = loaded.model  # type: ignore[assignment]
    seen: set[str] = set()
    for s, step in enumerate(pathway.steps):
        loc = ("steps", s, "module")
        if step.module not in catalog.modules:
            yield loaded.doc.problem(loc, f"pathway step names missing module '{step.module}'")
            continue
        if step.module in seen:
            yield loaded.doc.problem(loc, f"module '{step.module}' appears twice in the pathway")
        seen.add(step.module)
        module = catalog.module(step.module)
        if pathway.setting not in module.settings:
            yield loaded.doc.problem(loc, f"module '{step.module}' is not written for setting "
                                          f"'{pathway.setting}' (its settings: "
                                          f"{', '.join(module.settings)})")
        low = max(a for a in (step.ages.min, module.ages.min, pathway.ages.min, 0) if a is not None)
        high = min(a for a in (step.ages.max, module.ages.max, pathway.ages.max, 25)
                   if a is not None)
        if low > high:
            yield loaded.doc.problem(("steps", s, "ages"), f"module '{step.module}' can never be "
                                                           f"shown: no age is in range")
        if step.when is not None:
            yield from _check_condition(catalog, step.when, _Where(loaded, ("steps", s, "when"),
                                                                    None))
    for f, flag in enumerate(pathway.flags):
        where = _Where(loaded, ("flags", f, "when"), None)
        yield from _check_condition(catalog, flag.when, where)
        reason = _never_true(catalog, flag.when, None)
        if reason:
            yield where.problem(f"flag can never fire: {reason}")
    for r, rec in enumerate(pathway.recommendations):
        if rec.when is not None:
            yield from _check_condition(catalog, rec.when,
                                        _Where(loaded, ("recommendations", r, "when"), None))


def _lookup_item(catalog: Catalog, ref: Ref | None) -> Item | None:
    if ref is None or ref[0] not in catalog.modules:
        return None
    return catalog.module(ref[0]).item(ref[1])


def _lookup_score(catalog: Catalog, ref: Ref | None) -> Score | None:
    if ref is None or ref[0] not in catalog.modules:
        return None
    return catalog.module(ref[0]).score(ref[1])


def _all_flag_ids(catalog: Catalog) -> set[str]:
    return {f.id for loaded in [*catalog.modules.values(), *catalog.pathways.values()]
            for f in loaded.model.flags}


def _check_condition(catalog: Catalog, condition: Condition, where: _Where) -> Iterator[Problem]:
    for node in walk(condition):
        if node.item is not None:
            ref = resolve(node.item, where.home)
            item = _lookup_item(catalog, ref)
            if item is None:
                yield where.problem(_missing("item", node.item, ref, catalog))
                continue
            yield from _check_item_tests(item, node, where)
        elif node.score is not None:
            ref = resolve(node.score, where.home)
            score = _lookup_score(catalog, ref)
            if score is None:
                yield where.problem(_missing("score", node.score, ref, catalog))
                continue
            band = node.band
            if band is not None and band not in {b.code for b in score.bands}:
                yield where.problem(f"score '{node.score}' has no band '{band}'")
            if score.sum is None and set(node.tests()) - {"band", "answered"}:
                yield where.problem(f"score '{node.score}' is rule-based: test it with 'band'")
        elif node.flag is not None and node.flag not in _all_flag_ids(catalog):
            yield where.problem(f"condition names missing flag '{node.flag}'")


def _missing(kind: str, text: str, ref: Ref | None, catalog: Catalog) -> str:
    if ref is None:
        return f"{kind} reference '{text}' must be MODULE.ID here"
    if ref[0] not in catalog.modules:
        return f"{kind} reference '{text}' names missing module '{ref[0]}'"
    return f"condition names missing {kind} '{text}'"


def _check_item_tests(item: Item, node: Condition, where: _Where) -> Iterator[Problem]:
    tests = node.tests()
    if not item.answerable:
        yield where.problem(f"item '{node.item}' is information only and has no answer to test")
        return
    codes = item.codes()
    for name in ("equals", "not_equals"):
        if name in tests and item.type in CHOICE_TYPES and str(tests[name]) not in codes:
            yield where.problem(f"item '{node.item}' has no option '{tests[name]}' "
                                f"(options: {', '.join(codes)})")
    listed = tests.get("in")
    for value in listed if isinstance(listed, list) else []:
        if item.type in CHOICE_TYPES and str(value) not in codes:
            yield where.problem(f"item '{node.item}' has no option '{value}'")
    if "includes" in tests:
        if item.type != ItemType.MULTI_CHOICE:
            yield where.problem(f"'includes' is for multi_choice items; '{node.item}' is "
                                f"{item.type.value}")
        elif tests["includes"] not in codes:
            yield where.problem(f"item '{node.item}' has no option '{tests['includes']}'")
    if "declined" in tests and not item.declinable:
        yield where.problem(f"item '{node.item}' cannot be declined")
    numeric = {"gt", "gte", "lt", "lte"} & set(tests)
    if numeric and item.type not in NUMERIC_TYPES:
        scored = item.type in CHOICE_TYPES and all(item.option_score(c) is not None for c in codes)
        if not scored:
            yield where.problem(f"'{sorted(numeric)[0]}' needs a number, scale or scored choice "
                                f"item; '{node.item}' is {item.type.value}")


def item_range(item: Item) -> tuple[float, float] | None:
    """The lowest and highest number an item can contribute, or None if it has no number."""
    if item.type in NUMERIC_TYPES:
        if item.min is None or item.max is None:
            return None
        return float(item.min), float(item.max)
    if item.type in CHOICE_TYPES:
        scores = [item.option_score(c) for c in item.codes()]
        if any(s is None for s in scores):
            return None
        known = [s for s in scores if s is not None]
        if item.type == ItemType.MULTI_CHOICE:
            return 0.0, float(sum(s for s in known if s > 0))
        return float(min(known)), float(max(known))
    return None


def score_range(module: Module, score: Score) -> tuple[float, float] | None:
    if score.sum is None:
        return None
    lows, highs = 0.0, 0.0
    for item_id in score.sum:
        item = module.item(item_id)
        span = item_range(item) if item else None
        if span is None:
            return None
        lows += span[0]
        highs += span[1]
    return lows, highs


def _check_score(module: Module, loaded: Loaded, s: int, score: Score) -> Iterator[Problem]:
    loc = ("scores", s)
    if score.sum is None:
        return
    for k, item_id in enumerate(score.sum):
        item = module.item(item_id)
        if item is None:
            yield loaded.doc.problem((*loc, "sum", k), f"score '{score.id}' sums missing item "
                                                       f"'{item_id}'")
        elif item_range(item) is None:
            yield loaded.doc.problem((*loc, "sum", k), f"score '{score.id}' sums item '{item_id}' "
                                                       f"which has no numeric value (give its "
                                                       f"options scores)")
    if score.missing.max_missing >= len(score.sum):
        yield loaded.doc.problem((*loc, "missing"), f"score '{score.id}' allows every item to "
                                                    f"be missing")
    span = score_range(module, score)
    if span is None or not score.bands:
        return
    bands = sorted(enumerate(score.bands), key=lambda pair: pair[1].min or 0)
    expected = span[0]
    for b, band in bands:
        bloc = (*loc, "bands", b)
        if band.min > expected:  # type: ignore[operator]
            yield loaded.doc.problem(bloc, f"score '{score.id}' bands leave a gap from {expected:g}"
                                           f" to {band.min - 1:g}")  # type: ignore[operator]
        elif band.min < expected:  # type: ignore[operator]
            yield loaded.doc.problem(bloc, f"score '{score.id}' band '{band.code}' overlaps the "
                                           f"band before it (starts at {band.min:g})")
        expected = band.max + 1  # type: ignore[operator]
    if expected - 1 < span[1]:
        yield loaded.doc.problem((*loc, "bands"), f"score '{score.id}' bands stop at "
                                                  f"{expected - 1:g} but the score can reach "
                                                  f"{span[1]:g}")
    if bands and bands[0][1].min is not None and bands[0][1].min < span[0]:
        yield loaded.doc.problem((*loc, "bands", bands[0][0]),
                                 f"score '{score.id}' band '{bands[0][1].code}' starts below the "
                                 f"lowest possible score {span[0]:g}")
    if expected - 1 > span[1]:
        yield loaded.doc.problem((*loc, "bands"), f"score '{score.id}' bands go past the highest "
                                                  f"possible score {span[1]:g}")


def _never_true(catalog: Catalog, condition: Condition, home: str | None) -> str | None:
    """Why a condition can never hold, or None if it might (a conservative check)."""
    if condition.all is not None:
        for child in condition.all:
            reason = _never_true(catalog, child, home)
            if reason:
                return reason
        return _contradiction(condition.all)
    if condition.any is not None:
        reasons = [_never_true(catalog, child, home) for child in condition.any]
        return reasons[0] if all(reasons) else None
    if condition.item is not None:
        item = _lookup_item(catalog, resolve(condition.item, home))
        if item is None:
            return None  # reported as a missing reference
        return _range_excludes(condition, item_range(item), f"item '{condition.item}'")
    if condition.score is not None:
        ref = resolve(condition.score, home)
        score = _lookup_score(catalog, ref)
        if score is None or ref is None:
            return None
        span = score_range(catalog.module(ref[0]), score)
        return _range_excludes(condition, span, f"score '{condition.score}'")
    return None


def _range_excludes(condition: Condition, span: tuple[float, float] | None,
                    what: str) -> str | None:
    if span is None:
        return None
    low, high = span
    tests = condition.tests()
    checks = {
        "gt": lambda v: high > v, "gte": lambda v: high >= v,
        "lt": lambda v: low < v, "lte": lambda v: low <= v,
    }
    for name, possible in checks.items():
        if name in tests and not possible(tests[name]):
            return f"{what} ranges {low:g} to {high:g}, so '{name}: {tests[name]}' is never true"
    return None


def _contradiction(conditions: list[Condition]) -> str | None:
    wanted: dict[str, object] = {}
    for c in conditions:
        if c.item is not None and c.equals is not None:
            if c.item in wanted and wanted[c.item] != c.equals:
                return (f"item '{c.item}' cannot equal both '{wanted[c.item]}' and "
                        f"'{c.equals}'")
            wanted[c.item] = c.equals
    return None


def _check_cycles(catalog: Catalog) -> list[Problem]:
    """Reject any condition that depends, however indirectly, on itself."""
    graph: dict[Node, set[Node]] = {}
    origin: dict[Node, tuple[Loaded, tuple]] = {}

    def deps_of(condition: Condition | None, home: str | None) -> set[Node]:
        out: set[Node] = set()
        if condition is None:
            return out
        for node in walk(condition):
            if node.item is not None and (ref := resolve(node.item, home)):
                out.add(("item", *ref))
            elif node.score is not None and (ref := resolve(node.score, home)):
                out.add(("score", *ref))
            elif node.flag is not None:
                out.add(("flag", node.flag))
        return out

    for loaded in catalog.modules.values():
        m: Module = loaded.model  # type: ignore[assignment]
        for s, sec in enumerate(m.sections):
            sec_deps = deps_of(sec.enable_when, m.id)
            for i, item in enumerate(sec.items):
                key = ("item", m.id, item.id)
                graph[key] = sec_deps | deps_of(item.enable_when, m.id) | {("step", m.id)}
                origin[key] = (loaded, ("sections", s, "items", i, "enable_when"))
        for s, score in enumerate(m.scores):
            key = ("score", m.id, score.id)
            deps: set[Node] = {("item", m.id, i) for i in score.sum or []}
            for band in score.bands:
                deps |= deps_of(band.when, m.id)
            graph[key] = deps
            origin[key] = (loaded, ("scores", s))
        for f, flag in enumerate(m.flags):
            graph[("flag", flag.id)] = deps_of(flag.when, m.id)
            origin[("flag", flag.id)] = (loaded, ("flags", f, "when"))
    for loaded in catalog.pathways.values():
        p: Pathway = loaded.model  # type: ignore[assignment]
        for s, step in enumerate(p.steps):
            step_key: Node = ("step", step.module)
            graph[step_key] = graph.get(step_key, set()) | deps_of(step.when, None)
            origin.setdefault(step_key, (loaded, ("steps", s, "when")))
        for f, flag in enumerate(p.flags):
            graph[("flag", flag.id)] = deps_of(flag.when, None)
            origin[("flag", flag.id)] = (loaded, ("flags", f, "when"))

    problems: list[Problem] = []
    state: dict[Node, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[Node]] = set()

    def visit(node: Node, path: list[Node]) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycle = path[path.index(dep):]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    loaded, loc = origin.get(dep, origin[node])
                    names = " -> ".join(_name(n) for n in [*cycle, dep])
                    problems.append(loaded.doc.problem(loc, f"circular condition: {names}"))
            elif dep not in state:
                visit(dep, path)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return problems


def _name(node: Node) -> str:
    kind, *rest = node
    return f"{kind} {'.'.join(rest)}"

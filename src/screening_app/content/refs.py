"""How conditions name things, shared by the validator and the engine.

``q1`` names an item (or score) of the module the condition sits in; ``phq9.q9`` names one
in another module. Pathway conditions always use the ``MODULE.ID`` form.
"""

from __future__ import annotations

from collections.abc import Iterator

from .models import Condition

Ref = tuple[str, str]


def resolve(ref: str, home_module: str | None) -> Ref | None:
    """(module, id) for a reference, or None when it cannot name anything."""
    if "." in ref:
        module, _, local = ref.partition(".")
        return (module, local) if module and local and "." not in local else None
    return (home_module, ref) if home_module else None


def walk(condition: Condition) -> Iterator[Condition]:
    """Every node of a condition tree, depth first."""
    yield condition
    for child in condition.children():
        yield from walk(child)

"""Synthetic assessments for ``screening-app --demo`` and the screenshots. No Qt here.

Every record is made through the same calls the app uses (``Workspace.start``, ``answer``,
``acknowledge``, ``complete``), driven generically from whatever pathways are installed,
so the demonstration shows the real behaviour of the real content. All people and
references are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from .app import OpenAssessment, Workspace
from .content.models import Item, ItemType

STAFF = ("Sam Okafor (demo)", "Priya Nair (demo)", "Alex Morgan (demo)")
PRESENTING = {
    "ed": ("Wrist injury after a fall", "Headache for three days", "Abdominal pain"),
    "custody": ("Arrested for criminal damage", "Arrested for shoplifting",
                "Held for breach of the peace"),
    "gp": ("Trouble sleeping", "Frequent headaches", "Not going to school"),
    "school-nurse": ("Year 9 health assessment", "Referred by form tutor",
                     "Home-educated outreach visit"),
}
CHILD_WORDS = ("I just want someone to listen to me.", "School is hard since we moved.",
               "I worry about my mum a lot.", "I'm fine, I just can't sleep.")
STAFF_TEXT = ("Lives with mum and younger brother.", "Prefers to be called Jay.",
              "Trusted adult: aunt.")

# Profiles: how a synthetic child tends to answer.
CALM, MIXED, CONCERN = "calm", "mixed", "concern"


def demo_answer(item: Item, profile: str, rng: random.Random) -> Any:
    """A plausible answer of the item's type; ``None`` for information items."""
    t = item.type
    lean = {CALM: 0.1, MIXED: 0.4, CONCERN: 0.9}[profile]
    if t == ItemType.INFO:
        return None
    if t == ItemType.YES_NO:
        return "yes" if rng.random() < lean else "no"
    if t == ItemType.SINGLE_CHOICE:
        codes = [o.code for o in item.options]
        index = min(len(codes) - 1, int(rng.random() * lean * len(codes) * 1.2))
        return codes[index]
    if t == ItemType.MULTI_CHOICE:
        codes = [o.code for o in item.options]
        picked = [c for c in codes if rng.random() < lean / 2] or [codes[0]]
        return picked
    if t == ItemType.SCALE:
        low, high = int(item.min), int(item.max)  # type: ignore[arg-type]
        return max(low, min(high, round(low + (high - low) * lean + rng.uniform(-1, 1))))
    if t == ItemType.NUMBER:
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else low + 20
        return int(low + (high - low) * rng.random())
    if t == ItemType.DATE:
        return (dt.date.today() - dt.timedelta(days=rng.randint(7, 300))).isoformat()
    if t == ItemType.CHILD_WORDS:
        return rng.choice(CHILD_WORDS)
    return rng.choice(STAFF_TEXT)[: item.max_length]


def answer_all(opened: OpenAssessment, profile: str, rng: random.Random,
               stop_after: int | None = None) -> int:
    """Answer unanswered shown questions in order until none is left (or ``stop_after``)."""
    given = 0
    asked: set[tuple[str, str]] = set()
    while True:
        pending = [(m, i) for m, i in opened.session.visible_items()
                   if i.answerable and (m.id, i.id) not in asked
                   and opened.session.answers.get((m.id, i.id)) is None]
        if not pending or (stop_after is not None and given >= stop_after):
            return given
        module, item = pending[0]
        asked.add((module.id, item.id))
        value = demo_answer(item, profile, rng)
        if value is not None:
            opened.answer(module.id, item.id, value)
            given += 1


def _age_for(ctx: Workspace, setting: str, rng: random.Random) -> int:
    ages = ctx.catalog.pathway(setting).ages
    low = max(ages.min if ages.min is not None else 5, 8)
    high = ages.max if ages.max is not None else 17
    return rng.randint(min(low, high), high)


def _sample_directory(ctx: Workspace) -> None:
    """The shipped, clearly fictional directory of services, once."""
    from .paths import resources_dir
    from .services.files import read_directory

    directory = ctx.directory()
    if directory.entries():
        return
    sample = resources_dir() / "services" / "sample-directory.json"
    directory.import_entries(read_directory(sample).entries, by="demo", source=sample.name)


def build_demo(ctx: Workspace, *, seed: int = 2020,
               settings: Iterable[str] | None = None) -> list[str]:
    """Three assessments per installed setting: one completed, two drafts (one flagged).

    Returns the new assessment ids. Act-now flags on completed ones are acknowledged.
    Made on a development database, each by one of the invented staff members.
    """
    rng = random.Random(seed)
    _sample_directory(ctx)
    made: list[str] = []
    order = ("ed", "custody", "gp", "school-nurse")
    for setting in settings or [s for s in order if s in ctx.catalog.pathways]:
        for n, profile in enumerate((MIXED, CONCERN, CALM)):
            who = Workspace(ctx.catalog, ctx.store, user=STAFF[(n + len(made)) % len(STAFF)])
            opened = who.start(
                setting=setting, age=_age_for(ctx, setting, rng),
                reference=f"DEMO-{setting.upper()}-{len(made) + 1:03d}",
                presenting_issue=rng.choice(PRESENTING.get(setting, ("Routine contact",))))
            if n == 0:
                answer_all(opened, profile, rng)
                for flag_id in opened.unacknowledged_act_now():
                    opened.acknowledge(flag_id)
                opened.complete()
            else:
                answer_all(opened, profile, rng, stop_after=3 if n == 1 else 2)
            made.append(opened.id)
    return made

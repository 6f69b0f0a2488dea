"""Defect 19: no text written for another setting, and no drafting note, reaches users.

Every string a setting can show (prompts in that setting's words, child prompts, guidance,
options, section titles and intros, module titles, flag titles, actions, rationales and
sources, recommendations, communication adjustments) is scanned, for every setting, for
another setting's words: custody and justice words in ED, GP and school nursing (the police
and a youth justice team only as agencies any setting calls or knows: "call the police",
"working with a youth justice team"); the
GP letter in custody; and drafting notes anywhere ("to be checked", "TODO", "secondary
summary", "research note"). A citation (``source``) may name a youth justice publication."""

from __future__ import annotations

import re

import pytest

from screening_app.content.models import SETTINGS, Condition

from .support import catalog

CUSTODY_WORDS = re.compile(r"custody|justice|police station|police officer|police staff|"
                           r"\binspector\b|appropriate adult|\bsolicitor\b|\bPNC\b|"
                           r"\bpolice\b", re.I)
# Agencies any setting may need to call or know about: the police, a youth justice team.
AGENCY = re.compile(
    r"(call|phone|tell|report it to|told|and|or|with|to) the police|the police \(|"
    r"\(or the police\)|trouble with the police|\(police or court\)|youth justice team",
    re.I)
GP_LETTER = re.compile(r"letter to the GP|GP letter", re.I)
DRAFTING = re.compile(r"to be checked|\bTODO\b|secondary summary|research note|\bTBC\b|"
                      r"\bFIXME\b|\bXXX\b", re.I)


def can_show(cond: Condition | None, setting: str) -> bool:
    """Whether a condition can hold in ``setting`` (answers unknown: they may)."""
    if cond is None:
        return True
    if cond.setting is not None:
        wanted = cond.setting if isinstance(cond.setting, list) else [cond.setting]
        return setting in wanted
    if cond.all is not None:
        return all(can_show(c, setting) for c in cond.all)
    if cond.any is not None:
        return any(can_show(c, setting) for c in cond.any)
    if cond.not_ is not None:
        inner = cond.not_
        if inner.setting is not None and not inner.children():
            return not can_show(inner, setting)
    return True


def shown_strings(setting: str) -> list[tuple[str, str, bool]]:
    """(where, text, is_citation) for everything the setting can show."""
    out: list[tuple[str, str, bool]] = []

    def add(where: str, text: str | None, citation: bool = False) -> None:
        if text:
            out.append((where, text, citation))

    cat = catalog()
    pathway = cat.pathway(setting)
    modules = {step.module for step in pathway.steps}
    for module_id in sorted(modules):
        m = cat.module(module_id)
        if setting not in m.settings:
            continue
        add(f"{m.id}.title", m.title)
        add(f"{m.id}.description", m.description)
        for section in m.sections:
            if not can_show(section.enable_when, setting):
                continue
            add(f"{m.id}.{section.id}.title", section.title)
            add(f"{m.id}.{section.id}.intro", section.intro_for(setting))
            for item in section.items:
                if not can_show(item.enable_when, setting):
                    continue
                where = f"{m.id}.{item.id}"
                add(where, item.prompt_for(setting))
                add(f"{where}.child_prompt", item.child_prompt)
                add(f"{where}.guidance", item.guidance)
                for o in item.for_setting(setting).options:
                    add(f"{where}.{o.code}", o.label)
                    add(f"{where}.{o.code}.child", o.child_label)
        flags = [f for f in m.flags if can_show(f.when, setting)]
        for f in flags:
            add(f"{f.id}.title", f.title)
            add(f"{f.id}.action", f.action_for(setting))
            add(f"{f.id}.rationale", f.rationale)
            add(f"{f.id}.source", f.source, citation=True)
        for r in m.recommendations:
            if can_show(r.when, setting):
                add(f"{m.id}.{r.id}", r.text_for(setting))
        for c in m.communication:
            if can_show(c.when, setting):
                add(f"{m.id}.{c.id}.need", c.need)
                for n, text in enumerate(c.adjustments):
                    add(f"{m.id}.{c.id}.{n}", text)
        add(f"{m.id}.source", m.source, citation=True)
    add(f"{pathway.id}.description", pathway.description)
    for f in pathway.flags:
        add(f"{f.id}.title", f.title)
        add(f"{f.id}.action", f.action_for(setting))
        add(f"{f.id}.rationale", f.rationale)
        add(f"{f.id}.source", f.source, citation=True)
    for r in pathway.recommendations:
        add(f"{pathway.id}.{r.id}", r.text_for(setting))
    for step in pathway.steps:
        add(f"{pathway.id}.{step.module}.instead", step.instead)
    return out


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s != "custody"])
def test_no_custody_or_justice_words_outside_custody(setting):
    found = []
    for where, text, citation in shown_strings(setting):
        if citation:
            continue
        for hit in CUSTODY_WORDS.finditer(text):
            if hit.group(0).lower() in ("police", "justice") and AGENCY.search(
                    text[max(0, hit.start() - 20):hit.end() + 12]):
                continue
            found.append(f"{where}: {text[max(0, hit.start() - 40):hit.end() + 40]!r}")
    assert found == []


def test_no_gp_letter_in_custody():
    found = [f"{where}: {text!r}" for where, text, _c in shown_strings("custody")
             if GP_LETTER.search(text)]
    assert found == []


@pytest.mark.parametrize("setting", SETTINGS)
def test_no_drafting_notes_reach_users(setting):
    found = [f"{where}: {text!r}" for where, text, _c in shown_strings(setting)
             if DRAFTING.search(text)]
    assert found == []


def test_the_scan_sees_each_settings_own_words():
    """The scan is not empty: custody's own text is there, and found by the same words."""
    custody = " ".join(text for _w, text, _c in shown_strings("custody"))
    assert CUSTODY_WORDS.search(custody) and "appropriate adult" in custody
    ed = " ".join(text for _w, text, _c in shown_strings("ed"))
    assert "letter to the GP" in ed  # an ED's discharge letter is its own

"""Every flag rule fires on its condition and only then, with its action for the setting."""

from __future__ import annotations

import pytest

from .flag_cases import CASES, FlagCase
from .support import catalog, flag_ids, session


def all_flags():
    cat = catalog()
    return {f.id: (loaded.model, f)
            for loaded in [*cat.modules.values(), *cat.pathways.values()]
            for f in loaded.model.flags}


def test_every_shipped_flag_has_a_case():
    assert sorted(c.flag for c in CASES) == sorted(all_flags())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.flag)
def test_flag_fires_on_its_condition_and_only_then(case: FlagCase):
    owner, flag = all_flags()[case.flag]
    raised = session(case.setting, case.age, case.fires)
    found = {f.id: f for f in raised.evaluation.flags}
    assert case.flag in found, f"{case.flag} did not fire"
    shown = found[case.flag]
    assert shown.level == flag.level.value
    assert shown.action == flag.action_for(case.setting)
    assert shown.hazard == flag.hazard
    for quiet in case.quiet:
        s = session(case.quiet_setting or case.setting, case.age, quiet)
        assert case.flag not in flag_ids(s), f"{case.flag} fired on a near-miss: {quiet}"


@pytest.mark.parametrize("case", [c for c in CASES if c.fires], ids=lambda c: c.flag)
def test_flag_clears_when_its_answer_is_withdrawn(case: FlagCase):
    """Clearing the answers that raised a flag clears the flag (no stale alerts)."""
    s = session(case.setting, case.age, case.fires)
    for module, item in reversed(list(case.fires)):
        s.clear(module, item)
    assert case.flag not in flag_ids(s)


def test_flag_setting_actions_are_for_settings_that_can_raise_them():
    for flag_id, (owner, flag) in all_flags().items():
        settings = set(getattr(owner, "settings", [getattr(owner, "setting", None)]))
        assert set(flag.setting_actions) <= settings, flag_id


def test_act_now_flags_in_shared_modules_say_what_to_do_in_custody():
    """Custody has no clinician on hand, so an act-now flag that can fire there must give the
    custody officer their own action, not a health professional's."""
    checked = 0
    for flag_id, (owner, flag) in all_flags().items():
        settings = getattr(owner, "settings", None)
        if flag.level.value == "act-now" and settings and len(settings) > 1 \
                and "custody" in settings:
            assert "custody" in flag.setting_actions, flag_id
            checked += 1
    assert checked >= 3

"""The synthetic demonstration data (Qt-free), made through the app's own calls."""

from __future__ import annotations

from screening_app.demo import build_demo


def test_demo_has_each_installed_setting(ctx):
    ids = build_demo(ctx)
    settings = [s for s in ("ed", "custody", "gp", "school-nurse") if s in ctx.catalog.pathways]
    assert len(ids) == 3 * len(settings)
    opened = [ctx.open(i) for i in ids]
    assert sorted({o.record.setting for o in opened}) == sorted(settings)
    complete = [o for o in opened if o.read_only]
    assert len(complete) == len(settings)
    for o in complete:
        assert o.unacknowledged_act_now() == []
    assert all(o.record.reference.startswith("DEMO-") for o in opened)
    assert all(o.session.answers for o in opened)
    assert len(ctx.store.list_drafts()) == 2 * len(settings)


def test_demo_is_repeatable(ctx):
    first = [ctx.open(i).session.answers for i in build_demo(ctx, seed=5)]
    second = [ctx.open(i).session.answers for i in build_demo(ctx, seed=5)]
    assert first == second

"""The core's rules through the command line door: the same refusals as the desktop app,
each as one clear line and a non-zero exit (tests/app/test_rules.py tests them in the core)."""

from __future__ import annotations

from .helpers import ED_SAFETY_NO, asq, assess, errors_of


def test_complete_with_an_unacknowledged_act_now_flag_exits_with_one_line(tmp_path, capsys):
    code, result, err = assess(tmp_path, capsys, asq(q1="yes", q5="yes") + ED_SAFETY_NO,
                               "--complete")
    assert code == 1
    lines = errors_of(err)
    assert len(lines) == 1 and "cannot complete" in lines[0] and "asq-acute" in lines[0]
    assert result == {}  # nothing written after the refusal


def test_an_age_outside_the_pathway_is_refused_naming_the_range(tmp_path, capsys):
    code, _result, err = assess(tmp_path, capsys, [], age=2)
    assert code == 1 and "aged 5 to 17; this child is 2" in err
    assert len(errors_of(err)) == 1


def test_an_explicit_module_is_shown_at_once(tmp_path, capsys):
    """cli-contract: modules ["phq9"] for a 15-year-old in gp with no trigger answered
    accepts phq9.q1."""
    code, result, err = assess(tmp_path, capsys,
                               [{"module": "phq9", "item": "q1", "value": 2}],
                               setting="gp", age=15, modules=["phq9"])
    assert code == 0, err
    assert {"module": "phq9", "item": "q1"}.items() <= result["answers"][0].items()


def test_a_module_outside_its_limits_is_refused_naming_the_rule(tmp_path, capsys):
    code, _result, err = assess(tmp_path, capsys, [], setting="gp", age=10, modules=["phq9"])
    assert code == 1 and "module 'phq9'" in err and "12 and over; this child is 10" in err
    code, _result, err = assess(tmp_path, capsys, [], setting="custody", age=15,
                                modules=["gad7"])
    assert code == 1 and "not used in the 'custody' setting" in err

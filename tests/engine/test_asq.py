"""The published ASQ outcomes (NIMH), through the real `assess` command.

Test numbers follow the research note's scoring table (T13-T17).
"""

from __future__ import annotations

import pytest

from tests.cli.helpers import asq, assess


def _band(result: dict) -> str | None:
    return next(m for m in result["modules"] if m["module"] == "asq")["band"]


def _flag_ids(result: dict) -> set[str]:
    return {f["id"] for f in result["flags"] if f["module"] == "asq"}


@pytest.mark.parametrize(("case", "answers", "band", "flags"), [
    ("T13 all no", asq(q1="no", q2="no", q3="no", q4="no"), "negative", set()),
    ("T14 q1 yes, q5 no", asq(q1="yes", q2="no", q3="no", q4="no", q5="no"),
     "non-acute positive", {"asq-non-acute"}),
    ("T15 lifetime attempt only", asq(q1="no", q2="no", q3="no", q4="yes", q5="no"),
     "non-acute positive", {"asq-non-acute"}),
    ("T16 q3 yes, q5 yes", asq(q1="no", q2="no", q3="yes", q4="no", q5="yes"),
     "acute positive", {"asq-acute"}),
    ("T17 refuses to answer", asq(q1="declined", q2="declined", q3="declined", q4="declined"),
     "non-acute positive", {"asq-non-acute"}),
    ("one refusal among noes", asq(q1="no", q2="declined", q3="no", q4="no"),
     "non-acute positive", {"asq-non-acute"}),
    ("acuity question refused", asq(q1="yes", q2="no", q3="no", q4="no", q5="declined"),
     "non-acute positive", {"asq-non-acute"}),
])
def test_published_asq_outcomes(tmp_path, capsys, case, answers, band, flags):
    code, result, err = assess(tmp_path, capsys, answers)
    assert code == 0, err
    assert _band(result) == band, case
    assert _flag_ids(result) == flags, case


def test_q5_yes_raises_an_act_now_flag_with_setting_action(tmp_path, capsys):
    code, result, _ = assess(tmp_path, capsys, asq(q1="yes", q5="yes"))
    assert code == 0
    flag = next(f for f in result["flags"] if f["id"] == "asq-acute")
    assert flag["level"] == "act-now"
    assert "Do not leave the child alone" in flag["action"]
    assert result["flags"][0]["id"] == "asq-acute"  # act-now comes first


def test_negative_screen_does_not_offer_q5(tmp_path, capsys):
    code, result, _ = assess(tmp_path, capsys, asq(q1="no", q2="no", q3="no", q4="no"))
    assert code == 0
    assert all(a["item"] != "q5" for a in result["answers"])
    assert next(m for m in result["modules"] if m["module"] == "asq")["complete"]


def test_answer_to_hidden_q5_is_rejected(tmp_path, capsys):
    code, _, err = assess(tmp_path, capsys, asq(q1="no", q5="yes"))
    assert code == 1
    assert "asq.q5: item is not shown" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("answers", "message"), [
    ([{"module": "asq", "item": "q9", "value": "yes"}], "unknown item 'q9'"),
    ([{"module": "asq", "item": "q1", "value": "maybe"}], "unknown answer code 'maybe'"),
    ([{"module": "nosuch", "item": "q1", "value": "yes"}], "unknown module 'nosuch'"),
    ([{"module": "asq", "item": "q1", "value": ["yes"]}], "unknown answer code"),
])
def test_bad_answers_are_rejected_clearly(tmp_path, capsys, answers, message):
    code, _, err = assess(tmp_path, capsys, answers)
    assert code == 1
    assert message in err, err
    assert "answer 1" in err


def test_answers_before_a_bad_one_are_kept(tmp_path, capsys):
    from screening_app.cli import main

    code, _, err = assess(tmp_path, capsys, [*asq(q1="no", q2="no"),
                                             {"module": "asq", "item": "q3", "value": "perhaps"}])
    assert code == 1
    draft_id = err.split("saved in draft ")[1].split(")")[0]
    assert main(["--db", f"sqlite:///{tmp_path / 'heard.db'}", "show", draft_id, "--json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)
    assert [(a["item"], a["value"]) for a in shown["answers"]] == [("q1", "no"), ("q2", "no")]


def test_asq_is_not_offered_under_eight_and_says_what_to_do_instead(tmp_path, capsys):
    code, result, _ = assess(tmp_path, capsys, [], age=7)
    assert code == 0
    assert all(m["module"] != "asq" for m in result["modules"])
    gate = next(r for r in result["recommendations"] if r["id"] == "asq-age-gate")
    assert "clinical judgement" in gate["text"]

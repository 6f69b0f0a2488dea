"""H-149 through the command line: an answers file's ``decisions`` mark a flag raised in
error (a reason is required); the flag then no longer blocks ``--complete`` and the result
shows it apart with who and why (tests/app/test_raised_in_error.py tests the core)."""

from __future__ import annotations

from .helpers import ED_SAFETY_NO, asq, assess, errors_of

MISTAKE = {"target": "flag:asq-acute", "decision": "error",
           "reason": "tapped Yes for the wrong child"}


WRONG_CHILD_TOO = {"target": "flag:asq-non-acute", "decision": "error",
                   "reason": "tapped Yes for the wrong child"}
ACUTE_YES = asq(q1="yes", q2="no", q3="no", q4="no", q5="yes") + ED_SAFETY_NO


def test_flags_raised_in_error_let_the_assessment_complete_and_stay_in_the_result(
        tmp_path, capsys):
    """The acute flag marked in error brings back the non-acute one (q1 is still 'yes'):
    marked in error too, nothing active blocks and both stay in the result."""
    code, result, err = assess(tmp_path, capsys, ACUTE_YES, "--complete",
                               decisions=[MISTAKE, WRONG_CHILD_TOO])
    assert code == 0, err
    assert result["status"] == "complete"
    assert not {"asq-acute", "asq-non-acute"} & {f["id"] for f in result["flags"]}
    [entry] = [e for e in result["raised_in_error"] if e["flag"]["id"] == "asq-acute"]
    assert entry["reason"] == "tapped Yes for the wrong child" and entry["by"] and entry["at"]
    assert {e["flag"]["id"] for e in result["raised_in_error"]} == {"asq-acute",
                                                                   "asq-non-acute"}
    assert {"target": "flag:asq-non-acute", "decision": "error"}.items() <= \
        result["decisions"][-1].items()


def test_the_acute_flag_in_error_brings_back_the_positive_screen_flag(tmp_path, capsys):
    """H-149 walk finding: q1 'yes' is still a positive screen. The result's flags carry the
    non-acute act-now flag, raised_in_error the acute one, and the score is as scored."""
    code, result, err = assess(tmp_path, capsys, ACUTE_YES, decisions=[MISTAKE])
    assert code == 0, err
    returned = [f for f in result["flags"] if f["module"] == "asq"]
    assert [(f["id"], f["level"]) for f in returned] == [("asq-non-acute", "act-now")]
    assert [e["flag"]["id"] for e in result["raised_in_error"]] == ["asq-acute"]
    asq_outcome = next(m for m in result["modules"] if m["module"] == "asq")
    assert asq_outcome["band"] == "acute positive"


def test_the_returned_flag_blocks_complete_until_acknowledged(tmp_path, capsys):
    code, result, err = assess(tmp_path, capsys, ACUTE_YES, "--complete", decisions=[MISTAKE])
    assert code == 1 and result == {}
    lines = errors_of(err)
    assert len(lines) == 1 and "cannot complete" in lines[0] and "asq-non-acute" in lines[0]


def test_accepting_the_acute_flag_again_takes_the_returned_flag_away(tmp_path, capsys):
    accept = {"target": "flag:asq-acute", "decision": "accept"}
    code, result, err = assess(tmp_path, capsys, ACUTE_YES, decisions=[MISTAKE, accept])
    assert code == 0, err
    assert [f["id"] for f in result["flags"] if f["module"] == "asq"] == ["asq-acute"]
    assert result["raised_in_error"] == []


def test_raised_in_error_without_a_reason_exits_with_one_line(tmp_path, capsys):
    code, result, err = assess(tmp_path, capsys, ACUTE_YES, "--complete",
                               decisions=[{"target": "flag:asq-acute", "decision": "error"}])
    assert code == 1 and result == {}
    lines = errors_of(err)
    assert len(lines) == 1 and "decision 1" in lines[0] and "raised in error" in lines[0]


def test_show_says_which_flag_was_marked_in_error_beside_the_one_now_standing(tmp_path,
                                                                             capsys):
    """The terminal view agrees with the JSON and the PDF (H-149): the returned act-now flag
    to act on, the marked flag with its reason, and the score as scored."""
    from screening_app.cli import main

    code, result, err = assess(tmp_path, capsys, ACUTE_YES, decisions=[MISTAKE])
    assert code == 0, err
    returned = next(f for f in result["flags"] if f["id"] == "asq-non-acute")
    assert main(["--db", f"sqlite:///{tmp_path / 'heard.db'}", "show",
                 result["assessment_id"]]) == 0
    text = capsys.readouterr().out
    assert f"[ACT NOW] {returned['title']}" in text
    assert "[ACT NOW] Acute positive suicide screen: raised in error: tapped Yes for the " \
           "wrong child" in text
    assert "acute positive" in text.split("Screen results")[1]
    both = tmp_path / "both"
    both.mkdir()
    code, result, err = assess(both, capsys, ACUTE_YES, decisions=[MISTAKE, WRONG_CHILD_TOO])
    assert code == 0, err
    assert main(["--db", f"sqlite:///{both / 'heard.db'}", "show",
                 result["assessment_id"]]) == 0
    text = capsys.readouterr().out
    assert result["flags"] == [] and "No flags in force." in text
    assert text.count(": raised in error: tapped Yes for the wrong child") == 2

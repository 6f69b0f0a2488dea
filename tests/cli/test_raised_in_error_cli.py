"""H-149 through the command line: an answers file's ``decisions`` mark a flag raised in
error (a reason is required); the flag then no longer blocks ``--complete`` and the result
shows it apart with who and why (tests/app/test_raised_in_error.py tests the core)."""

from __future__ import annotations

from .helpers import ED_SAFETY_NO, asq, assess, errors_of

MISTAKE = {"target": "flag:asq-acute", "decision": "error",
           "reason": "tapped Yes for the wrong child"}


def test_a_flag_raised_in_error_lets_the_assessment_complete_and_stays_in_the_result(
        tmp_path, capsys):
    answers = asq(q1="yes", q2="no", q3="no", q4="no", q5="yes") + ED_SAFETY_NO
    code, result, err = assess(tmp_path, capsys, answers, "--complete",
                               decisions=[MISTAKE])
    assert code == 0, err
    assert result["status"] == "complete"
    assert "asq-acute" not in {f["id"] for f in result["flags"]}
    [entry] = [e for e in result["raised_in_error"] if e["flag"]["id"] == "asq-acute"]
    assert entry["reason"] == "tapped Yes for the wrong child" and entry["by"] and entry["at"]
    assert {"target": "flag:asq-acute", "decision": "error"}.items() <= \
        result["decisions"][-1].items()


def test_raised_in_error_without_a_reason_exits_with_one_line(tmp_path, capsys):
    answers = asq(q1="yes", q2="no", q3="no", q4="no", q5="yes") + ED_SAFETY_NO
    code, result, err = assess(tmp_path, capsys, answers, "--complete",
                               decisions=[{"target": "flag:asq-acute", "decision": "error"}])
    assert code == 1 and result == {}
    lines = errors_of(err)
    assert len(lines) == 1 and "decision 1" in lines[0] and "raised in error" in lines[0]

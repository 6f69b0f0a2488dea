"""Bad values in an answers file: one line naming the file, the answer and the problem, a
non-zero exit, and nothing saved (red-team findings 12, 19).

Each answers file starts with good answers, so "nothing saved" tells a check made before
the first save from one made on reaching the bad answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.commands.answers_file import read_answers
from screening_app.commands.common import CommandError

from .test_input_files import one_line, run_cli, saved_assessments

GOOD = [{"module": "context", "item": "external_scores", "value": "yes"},
        {"module": "external-scores", "item": "instruments", "value": ["sdq"]}]
SDQ_TOTAL = "external-scores.sdq_total"
SDQ_DATE = "external-scores.sdq_date"


def answers_text(answers_json: str, **top: str) -> str:
    """An answers file whose third answer's JSON is given raw (``"\\ud800"``, 1e999)."""
    head = {"setting": "ed", "child": {"age": 14}}
    rest = "".join(f', "{k}": {v}' for k, v in top.items())
    good = ", ".join(json.dumps(a) for a in GOOD)
    return f'{json.dumps(head)[:-1]}{rest}, "answers": [{good}, {answers_json}]}}'


def sdq(item: str, raw_value: str) -> str:
    return f'{{"module": "external-scores", "item": "{item}", "value": {raw_value}}}'


def refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "h.db"
    line = one_line(run_cli("--db", f"sqlite:///{db}", "assess", "--answers", str(path)))
    assert line.startswith(f"screening-app: {path}: "), line
    assert saved_assessments(db) == 0, "something was saved before the bad value was refused"
    assert len(line) < 400, line
    return line


BAD_NUMBERS = {
    "10,000-digit integer": "9" * 10_000,
    "400-digit integer": "9" * 400,
    "negative 400-digit integer": "-" + "9" * 400,
    "1e999": "1e999",
    "-1e999": "-1e999",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "Arabic-Indic digits": json.dumps("١٢"),
    "full-width digits": json.dumps("１０"),
    "underscore": json.dumps("1_0"),
    "exponent text": json.dumps("1e1"),
    "huge text number": json.dumps("9" * 400),
}


@pytest.mark.parametrize("raw", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_bad_number_is_one_line_naming_the_item_and_nothing_saved(tmp_path, raw):
    line = refused(tmp_path, answers_text(sdq("sdq_total", raw)))
    assert "answer 3" in line and SDQ_TOTAL in line, line


BAD_DATES = ["2026-02-30", "0001-01-01", "+10000-01-01", "２０２６-01-01", "20240101",
             "2024-W01-1", "9999-12-31", "2026-1-1", "2026-01-01T00:00", "١٢٣٤-01-01"]


@pytest.mark.parametrize("value", BAD_DATES)
def test_bad_date_is_one_line_naming_the_item_and_nothing_saved(tmp_path, value):
    line = refused(tmp_path, answers_text(sdq("sdq_date", json.dumps(value))))
    assert "answer 3" in line and SDQ_DATE in line and "not a date" in line, line


def test_a_good_date_and_number_are_kept(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(answers_text(sdq("sdq_total", '"12"') + ", " +
                                 sdq("sdq_date", '"2026-01-31"')), encoding="utf-8")
    out = tmp_path / "r.json"
    proc = run_cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "assess", "--answers", str(path),
                   "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    answers = {(a["module"], a["item"]): a["value"]
               for a in json.loads(out.read_text())["answers"]}
    assert answers[("external-scores", "sdq_total")] == 12
    assert answers[("external-scores", "sdq_date")] == "2026-01-31"


LONE = json.dumps("\ud800")  # the six characters "\ud800", as JSON writes it


@pytest.mark.parametrize(("text", "where"), [
    (answers_text(sdq("obtained_from", LONE)), "answer 3 (external-scores.obtained_from)"),
    (answers_text(f'{{"module": "asq", "item": "q1", "value": {LONE}}}'), "answer 3 (asq.q1)"),
    (answers_text(sdq("sdq_total", "1"), reference=LONE), "reference"),
    (answers_text(sdq("sdq_total", "1"), presenting_issue=json.dumps("ok\x00hidden")),
     "presenting_issue"),
    (answers_text(f'{{"module": {LONE}, "item": "q1", "value": "no"}}'), "answer 3 module"),
])
def test_lone_surrogate_or_nul_anywhere_is_one_line_and_nothing_saved(tmp_path, text, where):
    line = refused(tmp_path, text)
    assert f": {where}" in line, line
    assert "surrogate" in line or "NUL" in line, line


@pytest.mark.parametrize("value", ['"2026-02-30"', "1700000000", '"0001-01-01"'])
def test_date_of_birth_is_an_iso_calendar_date_in_range(tmp_path, value):
    text = answers_text(sdq("sdq_total", "1")).replace('"age": 14', f'"date_of_birth": {value}')
    line = refused(tmp_path, text)
    assert "child.date_of_birth" in line, line


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(b"\xef\xbb\xbf" + answers_text(sdq("sdq_total", "12")).encode())
    proc = run_cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "assess", "--answers", str(path))
    assert proc.returncode == 0, proc.stderr
    assert saved_assessments(tmp_path / "h.db") == 1


HOSTILE_CHARS = st.characters() | st.sampled_from(["\ud800", "\udfff", "\x00", "١", "１"])
TEXT = st.text(alphabet=HOSTILE_CHARS, max_size=8)
JSON_LEAF = (st.none() | st.booleans() | st.integers() | st.integers(10**19, 10**400) |
             st.floats() | TEXT | st.sampled_from(["2026-02-30", "0001-01-01", "12"]))
JSON = st.recursive(JSON_LEAF, lambda kids: st.lists(kids, max_size=4) |
                    st.dictionaries(TEXT, kids, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(st.fixed_dictionaries({"module": JSON, "item": JSON, "value": JSON}),
                        max_size=3), child=JSON, reference=JSON)
def test_any_answers_file_is_read_or_refused_with_one_line(tmp_path, answers, child, reference):
    """Whatever JSON is in the file (lone surrogates, NaN, huge numbers included), reading
    it gives the parsed file or one CommandError line: never another exception."""
    document = {"setting": "ed", "child": child, "reference": reference, "answers": answers}
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    try:
        read_answers(path)
    except CommandError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(f"{path}: ")
        message.encode("utf-8")  # printable: no lone surrogate in the message itself


@pytest.mark.parametrize("document", [
    {"setting": "ed", "child": None, "reference": {"\n": -10000000000000000000}, "answers": []},
    {"setting": "ed", "child": {"age": 14}, "answers": [{"module": "a\nb", "item": "q1",
                                                        "value": 1e999}]},
])
def test_a_key_with_a_line_break_is_named_on_one_line(tmp_path, document):
    """Found by the fuzz test above: a key holding a line break was printed raw, so the
    message took two lines; it is shown escaped."""
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        read_answers(path)
    assert "\n" not in str(refused.value) and str(refused.value).startswith(f"{path}: ")

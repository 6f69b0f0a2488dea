"""The core's one reading of typed numbers and dates (``engine.answers``), property-tested:
what the desktop app's fields and the answers file both go through (findings 12, 19)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening_app.content.models import Item
from screening_app.engine.answers import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_NUMBER,
    AnswerError,
    date_from_iso,
    date_from_typed,
    normalise_value,
    number_from_text,
)

NUMBER = Item.model_validate({"id": "n", "prompt": "How many?", "type": "number"})
DATE = Item.model_validate({"id": "d", "prompt": "When?", "type": "date"})
TEXT = Item.model_validate({"id": "t", "prompt": "What?", "type": "text"})
ASCII_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


@given(st.integers(-MAX_NUMBER, MAX_NUMBER))
def test_every_integer_in_range_reads_back(n):
    assert number_from_text(str(n)) == n
    assert normalise_value(NUMBER, n, "m.n") == n == normalise_value(NUMBER, str(n), "m.n")


@given(st.integers().filter(lambda n: abs(n) > MAX_NUMBER))
def test_every_integer_out_of_range_is_an_answer_error(n):
    with pytest.raises(AnswerError, match="too large"):
        normalise_value(NUMBER, n, "m.n")


@given(st.text(max_size=30))
def test_any_text_is_a_number_only_if_plain_ascii_decimal(text):
    try:
        number_from_text(text)
    except ValueError:
        return
    assert ASCII_NUMBER.fullmatch(text.strip())


@given(st.from_regex(r"\A[0-9]{1,6}\Z").map(lambda s: s.translate(
    str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))) | st.from_regex(r"\A[0-9]{1,6}\Z").map(
    lambda s: s.translate(str.maketrans("0123456789", "０１２３４５６７８９"))))
def test_other_scripts_digits_are_refused_everywhere(text):
    with pytest.raises(AnswerError, match="digits 0-9"):
        normalise_value(NUMBER, text, "m.n")
    with pytest.raises(ValueError):
        date_from_typed(f"{text}/01/2026")
    with pytest.raises(ValueError):
        date_from_iso(f"2026-01-{text}")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 10**400, 1e300,
                                   "1_0", "1e3", "0x10", " ", "1.", ".5", "１０", "١٢", True])
def test_numbers_that_are_not_answers(value):
    with pytest.raises(AnswerError):
        normalise_value(NUMBER, value, "m.n")


@given(st.dates(EARLIEST_DATE, LATEST_DATE))
def test_every_date_in_range_reads_back_both_ways(date):
    assert date_from_iso(date.isoformat()) == date
    assert date_from_typed(date.strftime("%d/%m/%Y")) == date
    assert normalise_value(DATE, date.isoformat(), "m.d") == date.isoformat()


@given(st.dates().filter(lambda d: not EARLIEST_DATE <= d <= LATEST_DATE))
def test_every_date_out_of_range_is_refused(date):
    with pytest.raises(AnswerError, match="outside the years"):
        normalise_value(DATE, date.isoformat(), "m.d")
    with pytest.raises(ValueError):
        date_from_typed(date.strftime("%d/%m/%Y"))


@pytest.mark.parametrize("value", ["2026-02-30", "2025-02-29", "0001-01-01", "+10000-01-01",
                                   "20240101", "2024-W01-1", "2026-1-1", "2026-01-01T00:00",
                                   "２０２６-01-01", 20260101, None])
def test_dates_that_are_not_answers(value):
    with pytest.raises(AnswerError, match="date"):
        normalise_value(DATE, value, "m.d")


@pytest.mark.parametrize("text", ["30/02/2026", "01/01/0001", "31/12/9999", "３１/01/2026",
                                  "31/01/２０２６", "31-13-2026", "2026-02-30"])
def test_typed_dates_that_are_not_dates(text):
    with pytest.raises(ValueError):
        date_from_typed(text)


def test_typed_dates_as_people_write_them():
    day = dt.date(2026, 1, 31)
    for text in ("31/01/2026", "31-01-2026", "31.01.2026", "2026-01-31", "31 Jan 2026",
                 " 31  January 2026 "):
        assert date_from_typed(text) == day


@pytest.mark.parametrize("value", ["a\ud800b", "\udfff", "nul\x00"])
def test_text_with_a_lone_surrogate_or_nul_is_refused(value):
    with pytest.raises(AnswerError, match="surrogate|NUL") as got:
        normalise_value(TEXT, value, "m.t")
    str(got.value).encode("utf-8")  # the message itself prints anywhere


@given(st.text())
def test_any_other_text_is_kept_exactly(text):
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text) or len(text) > \
            TEXT.max_length:
        return
    assert normalise_value(TEXT, text, "m.t") == text

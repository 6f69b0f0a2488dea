"""Every hostile string survives all three variants: no error, nothing read as markup, no file
or URL opened, printable text back intact, unprintable characters replaced visibly.
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from collections import Counter

import pypdf
import pytest

from screening_app.engine.results import ChildWords as WordsLine
from screening_app.export.pdf import render_pdf
from screening_app.export.pdf.textsafe import plain
from screening_app.export.report_data import AnswerLine, DomainFindings, redact

from ..conftest import HOSTILE_CASES
from .helpers import demo_assessment, make_context, pdf_text, share, squash

CASES = HOSTILE_CASES
MARK = "TEST-MARKING"
VARIANTS = ("full", "partner", "family")


def _storable(text: str, limit: int) -> bool:
    return "\x00" not in text and len(text) <= limit


# Through the store: every case the items can hold, up to the length of a long answer (the
# longer ones go through render_pdf directly below, which every case does).
STORABLE = [c for c in CASES if _storable(c["text"], 20_000)]


def body_text(data: bytes) -> str:
    """The page bodies without headers and footers (drawn after the body, from MARK on)."""
    return "".join(page.split(MARK)[0] for page in pdf_text(data))


def expected_in_pdf(text: str) -> str:
    """The text as it must come back: printable characters as typed, markers for the rest."""
    return squash(plain(text))


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def assert_text_back(text: str, got: str) -> None:
    want = expected_in_pdf(text)
    if right_to_left(text):
        # Right-to-left runs are printed in stored order and pypdf returns them reversed:
        # every character must still be there.
        missing = Counter(want) - Counter(got)
        assert not missing, f"missing {missing}"
    else:
        assert want in got


def no_links_images_or_actions(data: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert "/Annots" not in page, "a page has annotations (links)"
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for obj in xobjects.values():
            assert obj.get_object().get("/Subtype") != "/Image"
    # Scan the object dictionaries only: compressed stream bytes can hold any byte sequence
    # by chance (reportlab writes no object streams, so every dictionary is outside them).
    raw = re.sub(rb"stream\r?\n.*?endstream", b"", data, flags=re.S)
    for token in (b"/Subtype /Image", b"/Subtype/Image", b"/Link", b"/URI", b"/JavaScript",
                  b"/Launch", b"/OpenAction", b"/EmbeddedFile"):
        assert token not in raw, token


def fonts_of(data: bytes, needle: str) -> set[str]:
    """The fonts of every text run containing ``needle``."""
    found: set[str] = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        def visit(text, cm, tm, font, size):  # noqa: ANN001, ANN202
            if needle in text and font:
                found.add(f"{font.get('/BaseFont')}@{size}")
        page.extract_text(visitor_text=visit)
    return found


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return make_context(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'h.db'}")


@pytest.mark.parametrize("case", STORABLE, ids=[c["name"] for c in STORABLE])
def test_hostile_string_through_the_store_in_every_variant(ctx, case, tmp_path):
    text = case["text"]
    aid = demo_assessment(ctx, worries=text, help_text=text, presenting=text,
                          reference=text[:100], sleep_detail=text, purpose=text, staff_note=text)
    for variant in VARIANTS:
        out = tmp_path / f"{variant}.pdf"
        ctx.export_pdf(aid, out, variant, marking=MARK,
                       request=share(variant, pseudonymous=not text.strip()))
        data = out.read_bytes()
        no_links_images_or_actions(data)
        if variant == "family":
            continue  # staff's presenting issue never goes home (tests/export/test_sharing.py)
        got = squash(body_text(data))
        assert_text_back(text, got)  # presenting issue: in the professional copies
        if not right_to_left(text) and expected_in_pdf(text):
            # also in the child's own words (page 1) and, in full, the findings and annex
            assert got.count(expected_in_pdf(text)) >= 2


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_string_rendered_directly_opens_nothing(demo_report, case, no_file_reads):
    text = case["text"]
    # Long cases go in once (the presenting issue, in every variant) to keep the test quick.
    inner = text if len(text) <= 20_000 else "short"
    line = AnswerLine(module="wellbeing", item="sleep_detail", prompt="What gets in the way?",
                      domain="sleep", item_type="text", status="answered", answer=inner)
    report = dataclasses.replace(
        demo_report, reference=text[:100], presenting_issue=text,
        child_words=[WordsLine("voice", "worries", "What worries you?", inner)],
        findings=[DomainFindings("sleep", "Sleep", [line])])
    for variant in VARIANTS:
        data = render_pdf(redact(report, variant), document_id="doc-1", marking=MARK)
        assert no_file_reads == [], no_file_reads
        no_links_images_or_actions(data)
        if variant != "family":  # the family copy carries none of this text
            assert_text_back(text, squash(body_text(data)))


def test_markup_is_printed_not_obeyed(demo_report):
    bold = "<b>not bold</b> <i>not italic</i>"
    big = '<font color="red" size="40">big red</font>'
    report = dataclasses.replace(demo_report, child_words=[
        WordsLine("voice", "worries", "Q", bold), WordsLine("voice", "help", "Q", big)])
    data = render_pdf(report, document_id="d", marking=MARK)
    runs = fonts_of(data, "not bold")
    assert runs and all("Bold" not in r for r in runs), runs
    sizes = {float(r.split("@")[1]) for r in fonts_of(data, "big red")}
    assert sizes and max(sizes) < 12, sizes
    text = body_text(data)
    assert bold in text.replace("\n", "")
    assert big in text.replace("\n", "")


def test_unprintable_characters_are_marked_and_noted(demo_report):
    report = dataclasses.replace(demo_report, child_words=[
        WordsLine("voice", "worries", "Q", "I feel \U0001F622 today, bell\x07 and 我")])
    pages = pdf_text(render_pdf(report, document_id="d"))
    text = "".join(pages)
    assert "[U+1F622]" in text and "[U+0007]" in text and "[U+6211]" in text
    assert "Some characters could not be printed" in pages[0]
    assert squash("3 character(s) could not be printed") in squash(text)


def test_right_to_left_text_is_noted(demo_report):
    report = dataclasses.replace(demo_report, child_words=[
        WordsLine("voice", "worries", "Q", "אני מרגיש עצוב")])
    text = squash("".join(pdf_text(render_pdf(report, document_id="d"))))
    assert squash("right-to-left script") in text


def test_a_one_megabyte_answer_flows_across_pages(demo_report):
    sentence = "He said he has not slept properly for weeks and does not want to go home. "
    megabyte = (sentence * (1_000_000 // len(sentence) + 1))[:1_000_000]
    line = AnswerLine(module="wellbeing", item="sleep_detail", prompt="What gets in the way?",
                      domain="sleep", item_type="text", status="answered", answer=megabyte)
    report = dataclasses.replace(demo_report, findings=[DomainFindings("sleep", "Sleep", [line])])
    data = render_pdf(redact(report, "partner"), document_id="d", marking=MARK)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > 150
    assert squash(megabyte) in squash(body_text(data))


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_200k_character_word_splits_in_every_variant(demo_report, variant):
    word = "W" * 200_000
    line = AnswerLine(module="wellbeing", item="sleep_detail", prompt="What gets in the way?",
                      domain="sleep", item_type="text", status="answered", answer=word)
    report = dataclasses.replace(
        demo_report, presenting_issue=word, reference=word[:100],
        child_words=[WordsLine("voice", "worries", "Q", word)],
        findings=[DomainFindings("sleep", "Sleep", [line])])
    data = render_pdf(redact(report, variant), document_id="d", marking=MARK)
    got = squash(body_text(data))
    assert got.count(word) == (0 if variant == "family" else 3)  # none goes home

"""Hostile strings survive the new page 1 (issue 13.4): as the reference in the identity line,
the presenting issue and the child's strengths, in the professional copies; nothing is read
as markup, nothing is opened, and the printable text comes back on page 1."""

from __future__ import annotations

import dataclasses

import pytest

from screening_app.engine.results import ChildWords as WordsLine
from screening_app.export.pdf import render_pdf
from screening_app.export.report_data import redact

from ..conftest import HOSTILE_CASES
from .helpers import pdf_text, squash
from .test_hostile import (
    MARK,
    assert_text_back,
    expected_in_pdf,
    no_links_images_or_actions,
    right_to_left,
)

SHORT = [c for c in HOSTILE_CASES if len(c["text"]) <= 300]


@pytest.mark.parametrize("case", SHORT, ids=[c["name"] for c in SHORT])
def test_hostile_strings_on_page_one(demo_report, case, no_file_reads):
    text = case["text"]
    report = dataclasses.replace(
        demo_report, reference=text[:100] or None, presenting_issue=text,
        child_words=[WordsLine("voice", "going_well", "What is going well?", text)])
    for variant in ("full", "partner"):
        data = render_pdf(redact(report, variant), document_id="doc-1", marking=MARK)
        assert no_file_reads == [], no_file_reads
        no_links_images_or_actions(data)
        page1 = squash(pdf_text(data)[0].split(MARK)[0])
        assert squash("Strengths, and who helps") in page1, variant
        assert_text_back(text, page1)  # the strengths and the presenting issue
        if expected_in_pdf(text) and not right_to_left(text):
            assert page1.count(expected_in_pdf(text)) >= 2, variant

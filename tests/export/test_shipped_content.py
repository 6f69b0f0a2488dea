"""The shipped content exports: every setting with every module it allows, and the demo."""

from __future__ import annotations

import io

import pypdf
import pytest

from screening_app.app import RuleRefused, Workspace, load_content
from screening_app.app.sharing import family_concerns
from screening_app.store import Store, open_database

from .helpers import pdf_text, share, squash
from .render_demo import make_demo


def _context(tmp_path) -> Workspace:
    return Workspace(load_content(), Store(open_database(f"sqlite:///{tmp_path / 'shipped.db'}")),
                      user="tester")


def test_every_setting_with_every_module_exports_in_every_variant(tmp_path):
    from benchmarks.bench_pdf import full_assessment

    ctx = _context(tmp_path)
    assert ctx.catalog.pathways
    for setting in ctx.catalog.pathways:
        aid = full_assessment(ctx, setting=setting, age=15)
        for variant in ("full", "partner", "family"):
            out = tmp_path / f"{setting}-{variant}.pdf"
            if variant == "family" and family_concerns(ctx.open(aid).result()):
                with pytest.raises(RuleRefused, match="held back"):
                    ctx.export_pdf(aid, out, variant)
                assert not out.exists()
            ctx.export_pdf(aid, out, variant, request=share(
                variant, confirm_safe="Seen alone; checked with the child it is safe"))
            reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
            assert len(reader.pages) >= 1
            text = squash("".join(p.extract_text() for p in reader.pages))
            if variant == "family":
                assert "Score" not in text


def test_demo_assessment_puts_strengths_on_page_one_and_the_childs_words_after_the_actions(
        tmp_path):
    """Page 1 is what the next professional needs (issue 13.4): the strengths are on it; the
    rest of the child's own words come straight after the actions with their owners."""
    ctx = _context(tmp_path)
    aid, skipped = make_demo(ctx)
    assert len(skipped) < 5, skipped
    words = squash("I can't leave Mum on her own for long.")
    trusted = squash("Mrs Hughes at school, and my nan.")
    for variant in ("full", "partner"):
        out = tmp_path / f"demo-{variant}.pdf"
        ctx.export_pdf(aid, out, variant, request=share(variant, include=frozenset(
            {"child-words"} if variant == "partner" else ())))
        pages = [squash(p) for p in pdf_text(out.read_bytes())]
        assert squash("Strengths, and who helps") in pages[0] and trusted in pages[0]
        text = "".join(pages)
        actions = text.index(squash("Recommended actions and referrals"))
        own_words = text.index(squash("In the child's own words"))
        assert actions < own_words < text.index(words) < text.index(squash("Findings by area"))
    # The demo has information about home, left out of a partner copy by default: free
    # text cannot be sorted by topic, so the child's words stay out unless included.
    out = tmp_path / "demo-partner-default.pdf"
    ctx.export_pdf(aid, out, "partner", request=share("partner"))
    pages = [squash(p) for p in pdf_text(out.read_bytes())]
    assert words not in "".join(pages) and trusted not in "".join(pages)
    assert squash("Left out of this copy by the sender: information about parents and home") \
        in pages[0]

"""The shipped content exports: every setting with every module it allows, and the demo."""

from __future__ import annotations

import io

import pypdf

from screening_app.app import Workspace, load_content
from screening_app.store import Store, open_database

from .helpers import pdf_text, squash
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
            ctx.export_pdf(aid, out, variant)
            reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
            assert len(reader.pages) >= 1
            text = squash("".join(p.extract_text() for p in reader.pages))
            if variant == "family":
                assert "Score" not in text


def test_demo_assessment_puts_the_childs_words_on_page_one(tmp_path):
    ctx = _context(tmp_path)
    aid, skipped = make_demo(ctx)
    assert len(skipped) < 5, skipped
    for variant in ("full", "partner"):
        out = tmp_path / f"demo-{variant}.pdf"
        ctx.export_pdf(aid, out, variant)
        page1 = squash(pdf_text(out.read_bytes())[0])
        assert squash("In the child's own words") in page1
        assert squash("I can't leave Mum on her own for long.") in page1

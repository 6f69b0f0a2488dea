"""Fixtures for the PDF tests: a private catalog and store, a demo assessment, its PDFs."""

from __future__ import annotations

import builtins
import io

import pytest

from screening_app.export.report_data import build_report

from .helpers import demo_assessment, make_context, share


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One completed demo assessment and its three PDFs (bytes), exported once per module."""
    folder = tmp_path_factory.mktemp("demo")
    ctx = make_context(f"sqlite:///{folder / 'heard.db'}")
    aid = demo_assessment(ctx)
    pdfs, ids = {}, {}
    for variant in ("full", "partner", "family"):
        out = folder / f"{variant}.pdf"
        ids[variant] = ctx.export_pdf(aid, out, variant, request=share(variant))
        pdfs[variant] = out.read_bytes()
    return {"ctx": ctx, "id": aid, "pdfs": pdfs, "doc_ids": ids, "folder": folder}


@pytest.fixture(scope="module")
def demo_report(demo):
    opened = demo["ctx"].open(demo["id"])
    return build_report(opened.result(), record=opened.record, session=opened.session,
                        catalog=opened.ws.catalog)


@pytest.fixture
def no_file_reads(monkeypatch):
    """Every file opened (by reportlab or anything) while a PDF is rendered: none may be."""
    opened: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    return opened

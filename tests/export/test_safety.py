"""reportlab hardening, the text-safety layer and the shipped fonts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from reportlab import rl_config
from reportlab.lib.colors import toColor

from screening_app.export.pdf import check_hardened, ensure_hardened, hardening
from screening_app.export.pdf.fonts import fonts_dir, register_fonts
from screening_app.export.pdf.textsafe import (
    CHUNK_CHARS,
    CHUNK_LINES,
    TextNotes,
    chunks,
    markup,
    plain,
)


def test_reportlab_is_hardened_on_import():
    assert rl_config.toColorCanUse is None
    assert rl_config.trustedHosts is None
    assert rl_config.trustedSchemes == []
    check_hardened()


def test_settings_from_the_environment_are_overridden():
    code = ("import os\nfrom screening_app.export.pdf import check_hardened\n"
            "from reportlab import rl_config\ncheck_hardened()\n"
            "print(rl_config.trustedHosts, rl_config.toColorCanUse)")
    env = {"RL_trustedHosts": "*", "RL_toColorCanUse": "rl_safe_eval", "PATH": ""}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None None"


def test_a_reset_is_caught_and_repaired(monkeypatch):
    monkeypatch.setattr(rl_config, "toColorCanUse", "rl_safe_eval")
    with pytest.raises(hardening.UnsafeReportlabError):
        check_hardened()
    ensure_hardened()
    assert rl_config.toColorCanUse is None


def test_colour_expressions_are_not_evaluated(tmp_path):
    canary = tmp_path / "canary"
    payload = f"[[[__import__('pathlib').Path({str(canary)!r}).touch()]]] and 'red'"
    with pytest.raises(ValueError):
        toColor(payload)
    assert not canary.exists()


def test_markup_is_escaped_and_lines_kept():
    notes = TextNotes()
    out = markup('<b>x</b> & <img src="/etc/passwd"/>\r\nline2\tend', notes)
    assert out.startswith("&lt;b&gt;x&lt;/b&gt; &amp; &lt;img")
    assert "<br/>line2" in out and "<b>" not in out and "<img" not in out
    assert not notes.any


def test_unprintable_characters_become_visible_markers_and_are_counted():
    notes = TextNotes()
    out = markup("a\x07b\u202ec\U0001F468\u200d\U0001F469d\ue000e\u6211", notes)
    assert "[U+0007]" in out and "[U+202E]" in out and "[U+E000]" in out
    assert "[U+1F468 U+200D U+1F469]" in out  # one marker for one emoji sequence
    assert "[U+6211]" in out
    assert notes.replaced == {"control": 1, "direction": 1, "no-glyph": 4, "unprintable": 1}
    assert plain("x\x00y") == "x[U+0000]y"


def test_printable_text_is_untouched():
    for text in ("Mae hi'n teimlo'n drist. ŵ ŷ", "Zażółć gęślą jaźń", "Привет Καλημέρα",
                 "Z̸̡̛̖a̷̧̛͎", "{0} %s ${HOME}"):
        assert plain(text) == text


@pytest.mark.parametrize("text", ["A" * 200_000, "word " * 200_000, "line\n" * 10_000,
                                  "\n\n\n", ""])
def test_chunks_are_bounded_and_lose_nothing(text):
    pieces = chunks(text)
    assert all(len(p) <= CHUNK_CHARS + CHUNK_LINES for p in pieces)
    assert all(p.count("\n") < CHUNK_LINES for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_fonts_ship_with_their_licence_and_cover_european_scripts():
    folder = fonts_dir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "LICENSE"):
        assert (folder / name).is_file(), name
    assert "Bitstream" in (folder / "LICENSE").read_text(encoding="utf-8")
    printable = register_fonts()
    for ch in "ŵŷŴŶżółćęЖжΩωעش€£":
        assert ord(ch) in printable, ch


def test_a_layout_error_is_retried_without_tables(demo_report, monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    from screening_app.export.pdf import document

    from .helpers import pdf_text, squash

    calls = []
    real_build = document._Doc.build

    def build_once_failing(self, story, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(any(type(f).__name__ == "Table" for f in story))
        if len(calls) == 1:
            raise LayoutError("Flowable too large (test)")
        return real_build(self, story, **kwargs)

    monkeypatch.setattr(document._Doc, "build", build_once_failing)
    data = document.render_pdf(demo_report, document_id="d")
    assert calls == [True, False]  # first with tables, then the flat layout
    text = squash("".join(pdf_text(data)))
    for expected in ("ACT NOW", "Very low mood with sleep loss", "DECLINED", "NOT ASKED",
                     "Screen results", "Page1of"):
        assert squash(expected) in text, expected


def test_layout_that_fails_twice_is_one_clear_error(demo_report, monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    from screening_app.export.pdf import PdfLayoutError, document

    def always(self, story, **kwargs):  # noqa: ANN001, ANN003, ANN202
        raise LayoutError("Flowable too large (test)")

    monkeypatch.setattr(document._Doc, "build", always)
    with pytest.raises(PdfLayoutError, match="could not be laid out"):
        document.render_pdf(demo_report, document_id="d")


def test_exports_from_several_threads_do_not_interfere(demo_report):
    from concurrent.futures import ThreadPoolExecutor

    from screening_app.export.pdf import render_pdf
    from screening_app.export.report_data import redact

    from .helpers import pdf_text

    variants = ["full", "partner", "family"] * 2
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(
            lambda v: render_pdf(redact(demo_report, v), document_id=f"doc-{v}"), variants))
    for variant, data in zip(variants, results, strict=True):
        pages = pdf_text(data)
        assert all(f"doc-{variant}" in p for p in pages)

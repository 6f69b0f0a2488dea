"""The export dialog keeps its size when the copy changes (issue 13.5) and fits a 1366x768
screen at 200% text; the appendix choice follows the core's default for each copy."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from screening_app.app.sharing import appendix_by_default
from screening_app.ui.exporting import ExportDialog
from screening_app.ui.theme import apply_font_scale

from .review_run import fam_a, workspace

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

VARIANTS = ("full", "partner", "family", "full")


@pytest.fixture
def opened(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ws = workspace(tmp_path)
    aid, _ = fam_a(ws)
    yield ws.open(aid)
    ws.close()


def _sizes(qtbot, d: ExportDialog) -> list[tuple[int, int, int, int]]:
    """(width, height, hinted width, hinted height) after choosing each copy in turn."""
    sizes = []
    for variant in VARIANTS:
        d.variant.setCurrentIndex(d.variant.findData(variant))
        qtbot.wait(5)
        QApplication.processEvents()
        hint = d.sizeHint()
        sizes.append((d.width(), d.height(), hint.width(), hint.height()))
    return sizes


@pytest.mark.parametrize("scale", [1.0, 2.0], ids=["100%", "200%"])
def test_the_dialog_keeps_its_size_across_copies_and_fits_the_screen(qtbot, qapp, opened,
                                                                      scale):
    apply_font_scale(qapp, scale)
    try:
        d = ExportDialog(opened)
        qtbot.addWidget(d)
        d.show()
        qtbot.waitExposed(d)
        sizes = _sizes(qtbot, d)
        assert len(set(sizes)) == 1, sizes
        width, height = sizes[0][:2]
        assert width <= 1366 and height <= 768, (scale, width, height)
    finally:
        apply_font_scale(qapp, 1.0)


def test_the_path_is_kept_and_the_appendix_follows_the_cores_default(qtbot, opened, tmp_path):
    d = ExportDialog(opened)
    qtbot.addWidget(d)
    d.show()
    d.path.setText(str(tmp_path / "my-name.pdf"))
    for variant in VARIANTS:
        d.variant.setCurrentIndex(d.variant.findData(variant))
        assert d.path.text() == str(tmp_path / "my-name.pdf")
        assert d.appendix.isChecked() == appendix_by_default(variant)
        assert d.request().appendix == (appendix_by_default(variant) and variant != "family")
    assert appendix_by_default("full") and not appendix_by_default("partner")
    d.variant.setCurrentIndex(d.variant.findData("partner"))
    d.appendix.setChecked(True)
    assert d.request().appendix is True

"""Export targets (issue 13.5; red team 13 and 15): only an ordinary file, never replaced
without confirmation, never a partial copy left behind, even when the exporter is killed.

Everything happens in a temporary folder: a FIFO, a character device made with mknod (the
tests run as root in this workplace; never the real /dev), a symlink to a FIFO, an existing
file, a socket.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

from screening_app.export.pdf import PdfExportError
from screening_app.export.target import TargetRefused, check_target, write_document

from .helpers import demo_assessment, make_context


@pytest.fixture
def exported(tmp_path):
    ctx = make_context(f"sqlite:///{tmp_path / 'heard.db'}")
    return ctx, demo_assessment(ctx)


def test_fifo_device_socket_folder_and_dangling_link_are_refused(exported, tmp_path):
    ctx, aid = exported
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    device = tmp_path / "fakenull"
    os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    link = tmp_path / "link.pdf"
    link.symlink_to(pipe)
    dangling = tmp_path / "dangling.pdf"
    dangling.symlink_to(tmp_path / "nowhere" / "x.pdf")
    sock_path = tmp_path / "s.pdf"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target, kind in ((pipe, "a pipe"), (device, "a device"), (link, "a pipe"),
                             (tmp_path, "a folder"), (sock_path, "a socket"),
                             (dangling, "a link to nothing")):
            with pytest.raises(PdfExportError, match=kind):
                ctx.export_pdf(aid, target, overwrite=True)
        assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
        assert stat.S_ISCHR(os.lstat(device).st_mode)
        assert os.path.islink(link) and os.path.islink(dangling)
    finally:
        server.close()
    assert ctx.store.load(aid).exports == []  # refused before anything was recorded


def test_an_existing_file_is_kept_unless_overwrite_is_confirmed(exported, tmp_path):
    ctx, aid = exported
    other = tmp_path / "existing.pdf"
    other.write_bytes(b"another child's record")
    with pytest.raises(TargetRefused, match="already exists"):
        ctx.export_pdf(aid, other)
    assert other.read_bytes() == b"another child's record"
    ctx.export_pdf(aid, other, overwrite=True)
    assert other.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("heard.db")] == \
        ["existing.pdf"]


def test_a_race_for_the_same_name_never_replaces_the_winner(tmp_path):
    target = tmp_path / "a.pdf"
    check_target(target)
    target.write_bytes(b"written meanwhile by someone else")
    with pytest.raises(TargetRefused, match="already exists"):
        write_document(target, b"%PDF-1.4 ours")  # the link fails: no check-then-write gap
    assert target.read_bytes() == b"written meanwhile by someone else"


def test_a_symlink_to_an_ordinary_file_is_replaced_by_a_file_not_followed(exported, tmp_path):
    ctx, aid = exported
    kept = tmp_path / "kept.txt"
    kept.write_text("untouched")
    link = tmp_path / "link.pdf"
    link.symlink_to(kept)
    ctx.export_pdf(aid, link, overwrite=True)
    assert kept.read_text() == "untouched"
    assert not link.is_symlink() and link.read_bytes().startswith(b"%PDF-")


KILLED_WRITER = """
import sys
from pathlib import Path
from screening_app.export.target import write_document
print("writing", flush=True)
write_document(Path(sys.argv[1]), b"%PDF-1.4 " + b"x" * (400 * 1024 * 1024), overwrite=True)
print("done", flush=True)
"""


def test_a_killed_export_leaves_no_partial_file(tmp_path):
    """SIGKILL while 400 MB are being written: the folder never shows a partial file, and
    afterwards holds only the old document, whole (red team finding 15)."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "record.pdf"
    target.write_bytes(b"%PDF-1.4 the previous export")
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        seen: set[str] = set()
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline and child.poll() is None:
            seen |= {p.name for p in folder.iterdir()}
            time.sleep(0.01)
        assert child.poll() is None, "the write finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stdout is not None
        child.stdout.close()
    assert seen == {"record.pdf"}  # nothing else ever had a name, even mid-write
    assert [p.name for p in folder.iterdir()] == ["record.pdf"]
    assert target.read_bytes() == b"%PDF-1.4 the previous export"

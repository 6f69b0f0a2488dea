"""Starting the app: the window first, the workspace from the store worker, problems as
sentences; ``--demo`` on a throwaway database; screenshots from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtGui import QImage

from screening_app.store import StoreError
from screening_app.ui.app import describe_failure
from screening_app.ui.background import run_in_background


def test_background_work_runs_off_the_gui_thread_and_reports_on_it(qtbot, ctx):
    import threading

    ran_on, reported_on = [], []

    def work():
        ran_on.append(threading.current_thread() is threading.main_thread())
        return ctx

    run_in_background(work, lambda ws: reported_on.append(
        (ws, threading.current_thread() is threading.main_thread())), lambda exc: None)
    qtbot.waitUntil(lambda: bool(reported_on), timeout=10000)
    assert ran_on == [False] and reported_on == [(ctx, True)]


def test_background_failure_reaches_the_gui_as_the_exception(qtbot):
    def work():
        raise StoreError("cannot open the database /nowhere/heard.db: check the path")

    failures = []
    run_in_background(work, lambda _v: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert describe_failure(failures[0]) == ("cannot open the database /nowhere/heard.db: "
                                             "check the path")


def test_store_work_is_serialised_on_one_worker(qtbot):
    import threading
    import time

    active, overlap, done = [0], [], []

    def work():
        active[0] += 1
        overlap.append(active[0])
        time.sleep(0.02)
        active[0] -= 1
        return threading.get_ident()

    for _ in range(4):
        run_in_background(work, done.append, lambda exc: None)
    qtbot.waitUntil(lambda: len(done) == 4, timeout=10000)
    assert max(overlap) == 1 and len(set(done)) == 1


def test_content_problems_are_summarised():
    from screening_app.content import ContentError, Problem

    problem = Problem(file="modules/x.yaml", line=3, message="unknown key 'promt'")
    text = describe_failure(ContentError([problem]))
    assert "1 problem(s)" in text and "modules/x.yaml:3: unknown key 'promt'" in text
    assert "screening-app validate" in text


RUN = textwrap.dedent("""
    import sys
    from screening_app.cli import build_parser
    from screening_app.ui.app import run_app
    args = build_parser().parse_args(sys.argv[1:])
    def ready(window):
        from PySide6.QtCore import QTimer
        def check():
            if window.ws is None and not window.home.banner.isVisible():
                QTimer.singleShot(20, check)
                return
            print("drafts", window.home.drafts.rowCount(), "problem",
                  window.home.banner.message.text() if window.home.banner.isVisible() else "")
            print("db", window.ws.store.database.url if window.ws else None)
            window.close()
        check()
    raise SystemExit(run_app(args, on_ready=ready))
""")


def test_demo_opens_on_a_throwaway_database(tmp_path):
    proc = subprocess.run([sys.executable, "-c", RUN, "--demo"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert lines["drafts"].split()[0] == "8"  # two drafts in each of the four settings
    url = lines["db"]
    assert "heard-demo-" in url
    from pathlib import Path

    assert not Path(url.removeprefix("sqlite:///")).exists()  # thrown away on exit


def test_unusable_database_is_a_sentence_on_home(tmp_path):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-c", RUN, "--db", f"sqlite:///{folder}"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "is a folder, not a database file" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_failed_start_shows_on_home(tmp_path):
    """The store worker cannot open the database (its folder is a file): home says why."""
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    proc = subprocess.run([sys.executable, "-c", RUN, "--db",
                           f"sqlite:///{not_a_folder / 'heard.db'}"], capture_output=True,
                          text=True, timeout=120,
                          env=dict(os.environ, SCREENING_APP_DEVELOPMENT="1"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    problem, db = proc.stdout.splitlines()
    assert problem.startswith(f"drafts 0 problem cannot create the data folder {not_a_folder}:")
    assert db == "db None"  # no workspace was opened
    assert proc.stderr == ""


def test_screenshots_command(tmp_path):
    out = tmp_path / "shots"
    proc = subprocess.run([sys.executable, "-m", "screening_app", "screenshots", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = sorted(p.name for p in out.glob("*.png"))
    for wanted in ("home", "start", "walkthrough-flag", "act-now", "child-mode", "review"):
        assert f"{wanted}.png" in names
    image = QImage(str(out / "home.png"))
    assert (image.width(), image.height()) == (1366, 768)
    # 200% scaling: the same layout, twice the pixels (QT_SCALE_FACTOR=2).
    proc = subprocess.run([sys.executable, "-m", "screening_app", "screenshots", str(out),
                           "--scale", "2"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    image = QImage(str(out / "walkthrough-flag-2x.png"))
    assert (image.width(), image.height()) == (2732, 1536)


def test_the_first_window_needs_no_heavy_imports():
    """Home appears before SQLAlchemy, pydantic and the content are loaded (worker thread)."""
    code = textwrap.dedent("""
        import sys
        from screening_app.settings import UserSettings
        from screening_app.ui.app import create_app
        from screening_app.ui.main_window import MainWindow
        app = create_app()
        window = MainWindow(UserSettings(), persist_settings=False)
        window.show()
        app.processEvents()
        heavy = [m for m in ("sqlalchemy", "pydantic", "ruamel", "screening_app.content",
                             "screening_app.store", "screening_app.engine") if m in sys.modules]
        print(heavy)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr[-1000:]

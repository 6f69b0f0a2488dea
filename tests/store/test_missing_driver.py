"""A desktop without the [server] extra asked for PostgreSQL: one sentence, no crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import sys
    sys.modules["psycopg"] = None  # as on a desktop installed without screening-app[server]
    from screening_app.store import StoreError, open_database
    try:
        open_database("postgresql+psycopg://heard@127.0.0.1:1/heard")
    except StoreError as exc:
        print(exc)
""")


def test_missing_psycopg_is_one_sentence():
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "install screening-app[server]" in proc.stdout
    assert "Traceback" not in proc.stderr

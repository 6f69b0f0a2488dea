"""Password variables are read once and removed from the environment (red-team finding 17),
and a script without a terminal or a variable fails cleanly."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from screening_app.commands import prompt
from screening_app.security.errors import SecurityError


def test_the_password_variable_is_removed_once_read(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # a script: no terminal
    monkeypatch.setenv(prompt.PASSWORD_ENV, "violet harbour teapot")
    assert prompt.password() == "violet harbour teapot"
    assert prompt.PASSWORD_ENV not in os.environ
    child = subprocess.run([sys.executable, "-c", "import os, sys; sys.stdout.write("
                            f"os.environ.get({prompt.PASSWORD_ENV!r}, 'absent'))"],
                           capture_output=True, text=True, timeout=60)
    assert child.stdout == "absent"  # not inherited by anything started afterwards
    with pytest.raises(SecurityError, match=prompt.PASSWORD_ENV):
        prompt.password()  # and not there to be read a second time

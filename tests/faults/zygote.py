"""A warm parent that forks real ``screening-app`` runs for the kill test.

Importing the application and parsing the questionnaire content take well over a second of
CPU on a small CI machine, which would make a hundred kill points slow. This process does
both once (the parsed catalog is handed to every run: content parsing is not what this test
is about); for each request it forks a child that calls the command line's own
``main(argv)`` as the console script does, with stdout and stderr sent to files. Opening the
database, creating the draft and every answer's transaction run in the child as usual. The
test kills the child with SIGKILL; it is a separate process, so the kill is as abrupt as
for any other.

Protocol (JSON lines on stdin/stdout):
    {"run": [...argv...], "stdout": PATH, "stderr": PATH}  ->  {"pid": N}
    {"reap": N}                                          ->  {"status": N}
"""

from __future__ import annotations

import gc
import json
import os
import sys

from screening_app import app, cli  # the heavy imports, done once
from screening_app.commands import load_commands
from screening_app.store import schema  # noqa: F401  (imported lazily by open_database)

load_commands()
_CATALOG = app.load_content([])
# The commands take load_content from the application layer when they run.
app.load_content = lambda _dirs=None: _CATALOG
gc.collect()
gc.freeze()  # children then share these pages instead of copying them on every GC pass


def _child(argv: list[str], stdout: str, stderr: str) -> None:
    code = 70
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        for fd, target in ((1, stdout), (2, stderr)):
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(handle, fd)
            os.close(handle)
        code = cli.main(argv)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def serve() -> None:
    while line := sys.stdin.readline():
        request = json.loads(line)
        if "run" in request:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(request["run"], request["stdout"], request["stderr"])
            reply = {"pid": pid}
        else:
            _pid, status = os.waitpid(request["reap"], 0)
            reply = {"status": status}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()

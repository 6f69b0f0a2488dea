"""Anchoring the audit trail outside the database: the operating system's log.

Whoever holds the data key can rebuild the trail from scratch with signing keys of their
own making, or cut its newest entries off; the database alone cannot show that. So ``init``
and every ``audit verify`` write the trail's root (entry 1's hash) and head (last seq and
hash) to the system log (syslog / the journal on Linux, which ordinary users can add to
but not edit), and ``audit verify --expect-root/--expect-head`` compares a trail with values
taken from there or written down (:func:`.audit.check_anchor`). Best effort: a platform
without syslog only prints the values, to be kept by the administrator.
"""

from __future__ import annotations

import contextlib

TAG = "screening-app"


def publish(where: str, *, root: str | None, head_seq: int, head_hash: str) -> str:
    """Write the anchor line to the system log; returns it (for the user to keep too)."""
    line = f"heard audit anchor: {where} root {root or '-'} head {head_seq} {head_hash}"
    with contextlib.suppress(ImportError, OSError):
        import syslog

        syslog.openlog(TAG, 0, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_NOTICE, line)
        syslog.closelog()
    return line

"""Make reportlab safe for untrusted text before anything is drawn.

reportlab reads settings from ``reportlab_settings.py`` on the path, ``~/.reportlab_settings``
and ``RL_*`` environment variables, all writable by other users of a shared workstation, so
the values that matter are set here in code and checked again before every export.
"""

from __future__ import annotations

from reportlab import rl_config

# What each setting must be. ``toColorCanUse=None``: colour strings are names, hex, CSS forms
# or literal tuples only, never evaluated (CVE-2023-33733). ``trustedHosts=None`` with no
# trusted schemes: reportlab fetches no URL and reads no ``file:``/``data:`` resource.
SAFE_SETTINGS: dict[str, object] = {
    "toColorCanUse": None,
    "trustedHosts": None,
    "trustedSchemes": [],
}


class UnsafeReportlabError(RuntimeError):
    """reportlab's settings were changed back to unsafe values after hardening."""


def harden() -> None:
    """Set the safe values. Idempotent; called when the PDF package is imported."""
    for name, value in SAFE_SETTINGS.items():
        setattr(rl_config, name, list(value) if isinstance(value, list) else value)


def check_hardened() -> None:
    """Raise unless every safe value is in force; export refuses to run otherwise."""
    wrong = [name for name, value in SAFE_SETTINGS.items()
             if getattr(rl_config, name, object()) != value]
    if wrong:
        raise UnsafeReportlabError(
            f"reportlab settings {', '.join(wrong)} are not the hardened values")


def ensure_hardened() -> None:
    """Re-apply the safe values (something may have reset rl_config) and check them."""
    harden()
    check_hardened()


harden()

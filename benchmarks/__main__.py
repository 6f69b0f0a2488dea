"""Run every benchmarks/bench_*.py ``main()`` in turn and print its figures."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    names = sorted(p.stem for p in Path(__file__).resolve().parent.glob("bench_*.py"))
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            module.main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed += 1
            print(f"{name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Ratio benchmarks against bare baselines (``python -m benchmarks``); not timed tests."""

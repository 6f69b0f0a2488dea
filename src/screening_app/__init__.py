"""Heard: a screening and holistic-assessment aid for frontline staff who meet children."""

__version__ = "0.1.0"

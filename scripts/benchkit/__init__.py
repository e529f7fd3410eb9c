"""Helpers for scripts/bench.py: dataset generation, reference queries, floor SQL, load driving."""

"""Benchmarks (run as scripts, see README.md) and the bulk writer they and the tests use (bulk.py)."""

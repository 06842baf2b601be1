"""Benchmarks: scripts and management commands that print figures (see README.md here).

They are not tests and nothing in the product imports them.
"""

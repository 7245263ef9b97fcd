"""Helpers of tests/test_parity.py: read a page pair, compare structure, check the language."""

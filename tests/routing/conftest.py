"""Routing tests use `district_policy` from tests/conftest.py."""

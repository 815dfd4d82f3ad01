"""Fixtures for these tests: sign-in committed, and cheap password hashing."""

from tests.auth.helpers import fast_password_hashing, login_as  # noqa: F401 - fixtures

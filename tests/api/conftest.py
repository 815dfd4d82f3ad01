"""Fixtures for these tests: the shared ones, with sign-in committed."""

from tests.auth.helpers import login_as  # noqa: F401 - overrides the shared fixture

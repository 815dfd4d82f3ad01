"""policies/security.toml: the longest an API token may last."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ig.policies import load_security
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

POLICIES = PROJECT_ROOT / "policies"


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """A private copy of the shipped policies, to change security.toml in."""
    copy = tmp_path / "policies"
    shutil.copytree(POLICIES, copy)
    return copy


def with_api_tokens(directory: Path, body: str | None) -> None:
    """security.toml with its [api_tokens] table replaced by ``body`` (or removed)."""
    path = directory / "security.toml"
    text = re.sub(r"\n\[api_tokens\]\n(?:[^\[]*)", "\n", path.read_text())
    if body is not None:
        text += f"\n[api_tokens]\n{body}\n"
    path.write_text(text)


def test_the_shipped_policy_sets_a_maximum():
    assert load_security(POLICIES).api_token_max_days == 90
    assert "[api_tokens]" in (POLICIES / "security.toml").read_text()


def test_a_maximum_is_read(directory):
    with_api_tokens(directory, "max_days = 30")
    assert load_security(directory).api_token_max_days == 30


def test_without_the_table_the_maximum_is_90_days(directory):
    with_api_tokens(directory, None)
    assert load_security(directory).api_token_max_days == 90


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("max_days = 0", "security.toml: api_tokens.max_days: must be at least 1"),
        ("max_days = 367", "security.toml: api_tokens.max_days: must be at most 366"),
        ('max_days = "90"', "security.toml: api_tokens.max_days: must be a whole number"),
        ("max_days = 9.5", "security.toml: api_tokens.max_days: must be a whole number"),
        ("max_days = true", "security.toml: api_tokens.max_days: must be a whole number"),
        ("max_day = 30", "security.toml: api_tokens.max_day: is not a known setting"),
    ],
)
def test_a_bad_maximum_stops_start_up_naming_file_and_key(directory, body, message):
    with_api_tokens(directory, body)
    with pytest.raises(PolicyError) as error:
        load_security(directory)
    assert str(error.value).startswith(message)

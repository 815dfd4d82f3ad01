"""roles.toml and the second factor: whoever can read decrypted case detail must use one."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ig import create_app
from ig.auth.permissions import PERMISSIONS, SHOWS_CASE_DETAIL
from ig.features import load_policies
from ig.policies import load_roles
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

POLICIES = PROJECT_ROOT / "policies"


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """A private copy of the shipped policies, to change roles.toml in."""
    copy = tmp_path / "policies"
    shutil.copytree(POLICIES, copy)
    return copy


def write_roles(directory: Path, permissions: list[str], two_factor: bool | None) -> None:
    """A roles.toml of one role, ``clerk``, granting ``permissions``."""
    line = "" if two_factor is None else f"requires_two_factor = {str(two_factor).lower()}\n"
    listed = ", ".join(f'"{name}"' for name in permissions)
    (directory / "roles.toml").write_text(
        f'version = "1"\n\n[roles.clerk]\ntitle = "Clerk"\n{line}permissions = [{listed}]\n'
    )


def test_the_listed_permissions_are_real_and_say_they_show_decrypted_detail():
    assert SHOWS_CASE_DETAIL.issubset(PERMISSIONS)
    # A permission described as showing decrypted detail must be in the list, so that a
    # new one cannot be granted without a second factor by forgetting to add it.
    decrypting = {name for name, what in PERMISSIONS.items() if "decrypted" in what}
    assert decrypting == SHOWS_CASE_DETAIL


def test_every_shipped_role_that_reads_case_detail_requires_a_second_factor():
    roles = load_policies(POLICIES).roles.roles
    readers = {name for name, role in roles.items() if role.permissions & SHOWS_CASE_DETAIL}
    assert {"ig_officer", "caldicott_guardian", "siro", "auditor"} <= readers
    assert all(roles[name].requires_two_factor for name in readers)
    # Managers too, by the organisation's choice (issue 13); staff alone go without.
    assert {name for name, role in roles.items() if not role.requires_two_factor} == {"staff"}


@pytest.mark.parametrize("two_factor", [None, False])
@pytest.mark.parametrize("permission", sorted(SHOWS_CASE_DETAIL))
def test_a_role_reading_case_detail_without_a_second_factor_stops_start_up(
    directory, permission, two_factor
):
    write_roles(directory, ["home.view", permission], two_factor)
    with pytest.raises(PolicyError) as caught:
        load_policies(directory)
    assert str(caught.value) == (
        "roles.toml: roles.clerk.requires_two_factor: must be true, because the role can "
        f"read decrypted case detail ({permission}) and whoever can read it signs in with "
        "a second factor"
    )


def test_the_shipped_auditor_without_a_second_factor_is_refused_by_name(directory):
    path = directory / "roles.toml"
    text, count = re.subn(
        r'(\[roles\.auditor\]\ntitle = "Auditor"\n)requires_two_factor = true\n',
        r"\1",
        path.read_text(),
    )
    assert count == 1
    path.write_text(text)
    with pytest.raises(PolicyError, match=r"^roles\.toml: roles\.auditor\.requires_two_factor: "):
        load_policies(directory)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    permissions=st.lists(st.sampled_from(sorted(PERMISSIONS)), unique=True, max_size=8),
    two_factor=st.sampled_from([None, False, True]),
)
def test_a_role_loads_exactly_when_it_needs_no_second_factor_or_has_one(
    directory, permissions, two_factor
):
    write_roles(directory, permissions, two_factor)
    needs = bool(SHOWS_CASE_DETAIL.intersection(permissions))
    if needs and not two_factor:
        with pytest.raises(PolicyError, match="requires_two_factor: must be true"):
            load_roles(directory, PERMISSIONS, SHOWS_CASE_DETAIL)
    else:
        role = load_roles(directory, PERMISSIONS, SHOWS_CASE_DETAIL).roles["clerk"]
        assert role.permissions == frozenset(permissions)
        assert role.requires_two_factor is bool(two_factor)


def test_the_app_does_not_start_with_such_a_role(directory, settings):
    write_roles(directory, ["home.view", "caldicott.read"], None)
    with pytest.raises(PolicyError, match=r"^roles\.toml: roles\.clerk\.requires_two_factor: "):
        create_app(dataclasses.replace(settings, policies_dir=directory))

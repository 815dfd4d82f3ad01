"""Policy files: a bad file stops start-up with a message naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ig.auth.permissions import PERMISSIONS
from ig.features import load_policies
from ig.policies import load_roles, load_security
from ig.policy_files import PolicyError, Section
from ig.settings import PROJECT_ROOT

POLICIES = PROJECT_ROOT / "policies"


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """A private copy of the shipped policies, to spoil one file at a time."""
    copy = tmp_path / "policies"
    shutil.copytree(POLICIES, copy)
    return copy


def edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_policies_load():
    policies = load_policies(POLICIES)
    assert policies.security.password_min_length >= 12
    assert policies.security.password_max_length >= 64
    expected_roles = {
        "ig_officer",
        "caldicott_guardian",
        "deputy_caldicott_guardian",
        "siro",
        "manager",
        "staff",
        "auditor",
        "administrator",
    }
    assert expected_roles <= set(policies.roles.roles)
    assert policies.roles.permissions_of(["auditor"]) >= {"audit.read", "audit.verify"}
    assert policies.roles.permissions_of(["no-such-role"]) == frozenset()


def test_missing_file_is_named(directory):
    (directory / "security.toml").unlink()
    with pytest.raises(PolicyError) as caught:
        load_policies(directory)
    assert caught.value.file == "security.toml"
    assert "security.toml: (file): not found in" in str(caught.value)


def test_bad_toml_is_named_with_its_line(directory):
    edit(directory, "security.toml", "idle_minutes = 30", "idle_minutes = = 30")
    with pytest.raises(PolicyError) as caught:
        load_security(directory)
    assert str(caught.value).startswith("security.toml: (syntax): ")
    assert "line" in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ("idle_minutes = 30", 'idle_minutes = "30"', "sessions.idle_minutes", "a whole number"),
        ("idle_minutes = 30", "idle_minutes = true", "sessions.idle_minutes", "not true or false"),
        ("idle_minutes = 30", "idle_minutes = 0", "sessions.idle_minutes", "at least 1"),
        ("min_length = 12", "min_length = 8", "passwords.min_length", "at least 12"),
        ("max_length = 128", "max_length = 32", "passwords.max_length", "at least 64"),
        ("min_zxcvbn_score = 3", "min_zxcvbn_score = 5", "passwords.min_zxcvbn_score", "at most 4"),
        ("required_for_everyone = false", "required_for_everyone = 0", "two_factor.", "true or"),
        ('issuer = "ig"', "issuer = 1", "two_factor.issuer", "must be text"),
        (
            'organisation_words = ["eastmere"',
            "organisation_words = [1",
            "passwords.organisation_words",
            "text",
        ),
        (
            "idle_minutes = 30",
            "idle_minutes = 30\nidle_minute = 30",
            "sessions.idle_minute",
            "not a",
        ),
        ("[login]", "[logins]\n[login]", "logins", "is not a known setting"),
        ("window_minutes = 5", "", "login.window_minutes", "is required"),
    ],
)
def test_security_faults_name_the_key(directory, old, new, key, message):
    edit(directory, "security.toml", old, new)
    with pytest.raises(PolicyError) as caught:
        load_security(directory)
    assert str(caught.value).startswith(f"security.toml: {key}")
    assert message in str(caught.value)


def test_unknown_permission_in_roles_is_named(directory):
    edit(directory, "roles.toml", '"audit.read", "audit.verify"', '"audit.read", "audit.delete"')
    with pytest.raises(PolicyError) as caught:
        load_roles(directory, PERMISSIONS)
    assert str(caught.value) == (
        "roles.toml: roles.auditor.permissions: 'audit.delete' is not a permission "
        "ig defines (see ig/auth/permissions.py)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Auditor"', 'titel = "Auditor"', "roles.auditor.titel: is not a known setting"),
        ('title = "Auditor"', "title = 3", "roles.auditor.title: must be text"),
        ("[roles.staff]", "[roles.staff]\nrequires_two_factor = 1", "requires_two_factor"),
        ('version = "2026.1"', "", "version: is required"),
    ],
)
def test_roles_faults_name_the_key(directory, old, new, expected):
    edit(directory, "roles.toml", old, new)
    with pytest.raises(PolicyError) as caught:
        load_roles(directory, PERMISSIONS)
    assert str(caught.value).startswith("roles.toml: ")
    assert expected in str(caught.value)


def test_a_role_that_is_not_a_table_is_named(directory):
    (directory / "roles.toml").write_text('version = "1"\nroles = { staff = "everything" }\n')
    with pytest.raises(PolicyError, match=r"^roles.toml: roles.staff: must be a table$"):
        load_roles(directory, PERMISSIONS)


class TestSection:
    def section(self, **data: object) -> Section:
        return Section("x.toml", data, "top.")

    def test_defaults_apply_only_when_missing(self):
        section = self.section(present=5)
        assert section.int("present", 9) == 5
        assert section.int("absent", 9) == 9
        assert section.str_list("absent", ()) == ()
        assert section.section("absent", None).data == {}

    def test_number_accepts_whole_and_decimal(self):
        assert self.section(a=1, b=2.5).number("a") == 1.0
        assert self.section(a=1, b=2.5).number("b", maximum=3) == 2.5
        with pytest.raises(PolicyError, match=r"^x.toml: top.b: must be at most 2$"):
            self.section(b=2.5).number("b", maximum=2)

    def test_number_refuses_text(self):
        with pytest.raises(PolicyError, match=r"^x.toml: top.n: must be a number$"):
            self.section(n="95").number("n")

    def test_choice_names_the_options(self):
        with pytest.raises(PolicyError, match="must be one of email, app, not 'sms'"):
            self.section(channel="sms").choice("channel", ("email", "app"))

    def test_nested_keys_carry_their_path(self):
        inner = self.section(outer={"inner": {"n": "x"}}).sections("outer")["inner"]
        with pytest.raises(PolicyError, match=r"^x.toml: top.outer.inner.n: must be"):
            inner.int("n")

"""The policies every part of ig shares: security and roles, and the loaded whole.

Each feature's own policy (training courses, incident grading...) is defined in the
feature's ``policy.py`` and loaded by the loader its Feature offers; ``Policies`` holds
them by feature name beside the two shared here. ``ig.features.load_policies`` loads
the lot.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ig.policy_files import read_policy_file

# The longest an API token may last when security.toml has no [api_tokens] max_days.
DEFAULT_API_TOKEN_MAX_DAYS = 90


@dataclass(frozen=True)
class SecurityPolicy:
    """policies/security.toml: passwords, sessions, throttling, two-factor."""

    version: str
    password_min_length: int
    password_max_length: int
    password_min_zxcvbn_score: int
    organisation_words: tuple[str, ...]
    session_idle_minutes: int
    session_absolute_hours: int
    login_max_failures_per_account: int
    login_max_failures_per_address: int
    login_window_minutes: int
    totp_required_for_everyone: bool
    totp_issuer: str
    api_token_max_days: int = DEFAULT_API_TOKEN_MAX_DAYS  # [api_tokens] max_days


def load_security(directory: Path) -> SecurityPolicy:
    """Read and validate policies/security.toml."""
    root = read_policy_file(directory, "security.toml")
    root.reject_unknown(["version", "passwords", "sessions", "login", "two_factor", "api_tokens"])
    passwords = root.section("passwords")
    sessions = root.section("sessions")
    login = root.section("login")
    two_factor = root.section("two_factor")
    passwords.reject_unknown(["min_length", "max_length", "min_zxcvbn_score", "organisation_words"])
    sessions.reject_unknown(["idle_minutes", "absolute_hours"])
    login.reject_unknown(["max_failures_per_account", "max_failures_per_address", "window_minutes"])
    two_factor.reject_unknown(["required_for_everyone", "issuer"])
    api_tokens = root.section("api_tokens", {})
    api_tokens.reject_unknown(["max_days"])
    # NCSC password guidance: at least 12 characters required, at least 64 accepted.
    min_length = passwords.int("min_length", minimum=12)
    max_length = passwords.int("max_length", minimum=max(64, min_length))
    return SecurityPolicy(
        version=root.str("version"),
        password_min_length=min_length,
        password_max_length=max_length,
        password_min_zxcvbn_score=passwords.int("min_zxcvbn_score", minimum=0, maximum=4),
        organisation_words=passwords.str_list("organisation_words", ()),
        session_idle_minutes=sessions.int("idle_minutes", minimum=1),
        session_absolute_hours=sessions.int("absolute_hours", minimum=1),
        login_max_failures_per_account=login.int("max_failures_per_account", minimum=1),
        login_max_failures_per_address=login.int("max_failures_per_address", minimum=1),
        login_window_minutes=login.int("window_minutes", minimum=1),
        totp_required_for_everyone=two_factor.bool("required_for_everyone"),
        totp_issuer=two_factor.str("issuer"),
        api_token_max_days=api_tokens.int(
            "max_days", DEFAULT_API_TOKEN_MAX_DAYS, minimum=1, maximum=366
        ),
    )


@dataclass(frozen=True)
class Role:
    """A role from policies/roles.toml and the permissions it grants."""

    name: str
    title: str
    permissions: frozenset[str]
    requires_two_factor: bool


@dataclass(frozen=True)
class RolesPolicy:
    """policies/roles.toml."""

    version: str
    roles: Mapping[str, Role]

    def permissions_of(self, role_names: Iterable[str]) -> frozenset[str]:
        """The union of the permissions of the named roles (unknown names grant nothing)."""
        granted: set[str] = set()
        for name in role_names:
            role = self.roles.get(name)
            if role is not None:
                granted |= role.permissions
        return frozenset(granted)


def load_roles(
    directory: Path, known_permissions: Iterable[str], second_factor_for: Iterable[str] = ()
) -> RolesPolicy:
    """Read policies/roles.toml; every permission named must be one the code defines.

    A role granting any of ``second_factor_for`` must set requires_two_factor.
    """
    root = read_policy_file(directory, "roles.toml")
    root.reject_unknown(["version", "roles"])
    known = frozenset(known_permissions)
    roles = {}
    for name, section in root.sections("roles").items():
        section.reject_unknown(["title", "permissions", "requires_two_factor"])
        role = roles[name] = Role(
            name=name,
            title=section.str("title"),
            permissions=frozenset(
                section.str_list(
                    "permissions",
                    allowed=known,
                    what="a permission ig defines (see ig/auth/permissions.py)",
                )
            ),
            requires_two_factor=section.bool("requires_two_factor", False),
        )
        owed = sorted(role.permissions.intersection(second_factor_for))
        if owed and not role.requires_two_factor:
            raise section._fail(
                "requires_two_factor",
                f"must be true, because the role can read decrypted case detail "
                f"({', '.join(owed)}) and whoever can read it signs in with a second factor",
            )
    return RolesPolicy(version=root.str("version"), roles=roles)


@dataclass(frozen=True)
class Policies:
    """Every policy file, loaded once at start-up.

    A feature's own policy is read as an attribute named after the feature
    (``policies.training``); ``parts`` holds them by that name.
    """

    directory: Path
    security: SecurityPolicy
    roles: RolesPolicy
    parts: Mapping[str, Any]

    def with_parts(self, **parts: Any) -> Policies:
        """A copy with these features' policies replaced (a test's or a preview's)."""
        unknown = set(parts) - set(self.parts)
        if unknown:
            raise AttributeError(f"no policy named {sorted(unknown)[0]!r}")
        return dataclasses.replace(self, parts={**self.parts, **parts})

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not fields: a feature's policy, or a mistake.
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        raise AttributeError(f"no policy named {name!r}; loaded: {', '.join(sorted(parts))}")

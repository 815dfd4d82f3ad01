"""Loads and validates policies/*.toml into typed, frozen objects.

A bad file stops the application with a PolicyError naming the file and the key.
"""

from __future__ import annotations

import builtins
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ig.errors import ConfigurationError

if TYPE_CHECKING:
    from ig.caldicott.policy import CaldicottPolicy
    from ig.incidents.policy import IncidentsPolicy
    from ig.notices.policy import NoticesPolicy
    from ig.reminders.policy import RemindersPolicy
    from ig.sharing.policy import SharingPolicy

T = TypeVar("T")


class PolicyError(ConfigurationError):
    """A policy file is missing, malformed or holds a value out of range."""

    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file = file
        self.key = key


class Section:
    """Typed access to one table of a policy file; every error names file and key.

    The readers are named after the types they return (``str``, ``int``...), which
    shadows those names inside the class body; annotations therefore say ``builtins.``.
    """

    def __init__(
        self, file: builtins.str, data: Mapping[builtins.str, Any], prefix: builtins.str = ""
    ) -> None:
        self.file = file
        self.data = data
        self.prefix = prefix

    def _key(self, key: builtins.str) -> builtins.str:
        return f"{self.prefix}{key}"

    def _fail(self, key: builtins.str, message: builtins.str) -> PolicyError:
        return PolicyError(self.file, self._key(key), message)

    def _get(self, key: builtins.str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise self._fail(key, "is required")
            return default
        value = self.data[key]
        # TOML booleans are Python ints; "true" must not pass for the number 1.
        if isinstance(value, builtins.bool) and kind is not builtins.bool:
            raise self._fail(key, f"must be {_kind_name(kind)}, not true or false")
        if not isinstance(value, kind):
            raise self._fail(key, f"must be {_kind_name(kind)}")
        return value

    def str(self, key: builtins.str, default: Any = ...) -> builtins.str:
        return self._get(key, builtins.str, default)  # type: ignore[no-any-return]

    def bool(self, key: builtins.str, default: Any = ...) -> builtins.bool:
        return self._get(key, builtins.bool, default)  # type: ignore[no-any-return]

    def int(
        self,
        key: builtins.str,
        default: Any = ...,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self._get(key, builtins.int, default)
        self._check_range(key, value, minimum, maximum)
        return value  # type: ignore[no-any-return]

    def number(
        self,
        key: builtins.str,
        default: Any = ...,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        value = float(self._get(key, (builtins.int, float), default))
        self._check_range(key, value, minimum, maximum)
        return value

    def _check_range(
        self, key: builtins.str, value: float, minimum: float | None, maximum: float | None
    ) -> None:
        if minimum is not None and value < minimum:
            raise self._fail(key, f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise self._fail(key, f"must be at most {maximum}")

    def str_list(
        self,
        key: builtins.str,
        default: Any = ...,
        *,
        allowed: Iterable[builtins.str] | None = None,
        what: builtins.str = "one of the known values",
    ) -> tuple[builtins.str, ...]:
        """A list of strings; with ``allowed``, each must be in it (``what`` names them)."""
        value = self._get(key, list, default)
        if not all(isinstance(item, builtins.str) for item in value):
            raise self._fail(key, "must be a list of text values")
        if allowed is not None:
            allowed_set = set(allowed)
            for item in value:
                if item not in allowed_set:
                    raise self._fail(key, f"{item!r} is not {what}")
        return tuple(value)

    def choice(
        self, key: builtins.str, choices: Iterable[builtins.str], default: Any = ...
    ) -> builtins.str:
        value = self.str(key, default)
        options = tuple(choices)
        if value not in options:
            raise self._fail(key, f"must be one of {', '.join(options)}, not {value!r}")
        return value

    def section(self, key: builtins.str, default: Any = ...) -> Section:
        """The sub-table ``key``; with any ``default``, a missing table reads as empty."""
        value = self._get(key, dict, ... if default is ... else {})
        return Section(self.file, value, f"{self._key(key)}.")

    def sections(self, key: builtins.str) -> dict[builtins.str, Section]:
        """Each sub-table of the table ``key``, by name."""
        outer = self._get(key, dict)
        result = {}
        for name, value in outer.items():
            if not isinstance(value, dict):
                raise self._fail(f"{key}.{name}", "must be a table")
            result[name] = Section(self.file, value, f"{self._key(key)}.{name}.")
        return result

    def reject_unknown(self, known: Iterable[builtins.str]) -> None:
        """Refuse keys nobody reads, so that a misspelt key is not silently ignored."""
        unknown = set(self.data) - set(known)
        if unknown:
            raise self._fail(sorted(unknown)[0], "is not a known setting")


def _kind_name(kind: Any) -> str:
    names = {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    if isinstance(kind, tuple):
        return "a number"
    return names.get(kind, kind.__name__)


def read_policy_file(directory: Path, name: str) -> Section:
    """Parse ``directory/name`` as TOML; PolicyError if it is missing or malformed."""
    path = directory / name
    if not path.is_file():
        raise PolicyError(name, "(file)", f"not found in {directory}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(name, "(syntax)", str(exc)) from exc
    return Section(name, data)


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
class Course:
    """A training course from policies/training.toml and who must take it.

    ``audience`` is "everyone" or "selected"; a selected course applies to staff whose
    job title, user role or team (or a team above theirs) is listed.
    """

    code: str
    title: str
    valid_months: int
    new_starter_days: int
    expiring_soon_days: int
    audience: str
    job_titles: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrainingPolicy:
    """policies/training.toml: the courses and the compliance target."""

    version: str
    target_percent: float
    courses: Mapping[str, Course]
    evidence_basis: str = "as_recorded"  # which past-date figure the DSPT evidence uses

    def course(self, code: str) -> Course | None:
        return self.courses.get(code)


BASES = ("as_recorded", "as_now_known")  # how a past date's training figure is read


def load_training(directory: Path, role_names: Iterable[str]) -> TrainingPolicy:
    """Read and validate policies/training.toml; roles named must exist in roles.toml."""
    root = read_policy_file(directory, "training.toml")
    root.reject_unknown(
        ["version", "compliance_target_percent", "expiring_soon_days", "evidence_basis", "courses"]
    )
    default_warning = root.int("expiring_soon_days", 30, minimum=0, maximum=366)
    courses = {}
    for code, section in root.sections("courses").items():
        if not code.isalnum() or len(code) > 40:
            raise PolicyError(root.file, f"courses.{code}", "course codes are letters and digits")
        courses[code] = _course(code, section, default_warning, role_names)
    if not courses:
        raise PolicyError(root.file, "courses", "must name at least one course")
    return TrainingPolicy(
        version=root.str("version"),
        target_percent=root.number("compliance_target_percent", minimum=1, maximum=100),
        courses=courses,
        evidence_basis=root.choice("evidence_basis", BASES, "as_recorded"),
    )


def _course(code: str, section: Section, warning: int, role_names: Iterable[str]) -> Course:
    section.reject_unknown(
        [
            *("title", "valid_months", "new_starter_days", "expiring_soon_days", "audience"),
            *("job_titles", "roles", "teams"),
        ]
    )
    audience = section.choice("audience", ("everyone", "selected"))
    course = Course(
        code=code,
        title=section.str("title"),
        valid_months=section.int("valid_months", minimum=1, maximum=120),
        new_starter_days=section.int("new_starter_days", minimum=0, maximum=366),
        expiring_soon_days=section.int("expiring_soon_days", warning, minimum=0, maximum=366),
        audience=audience,
        job_titles=section.str_list("job_titles", ()),
        roles=section.str_list("roles", (), allowed=role_names),
        teams=section.str_list("teams", ()),
    )
    selected = course.job_titles or course.roles or course.teams
    if audience == "selected" and not selected:
        raise PolicyError(
            section.file, section._key("audience"), "names nobody: list job_titles, roles or teams"
        )
    if audience == "everyone" and selected:
        raise PolicyError(
            section.file, section._key("audience"), "is everyone, so lists are not used"
        )
    return course


@dataclass(frozen=True)
class Policies:
    """Every policy file, loaded once at start-up."""

    directory: Path
    security: SecurityPolicy
    roles: RolesPolicy
    notices: NoticesPolicy
    reminders: RemindersPolicy
    training: TrainingPolicy
    incidents: IncidentsPolicy
    sharing: SharingPolicy
    caldicott: CaldicottPolicy


def load_policies(directory: Path) -> Policies:
    """Load and validate every policy file in ``directory``; PolicyError on the first fault."""
    from ig.auth.permissions import PERMISSIONS, SHOWS_CASE_DETAIL
    from ig.caldicott.policy import load_caldicott
    from ig.incidents.policy import load_incidents
    from ig.notices.policy import load_notices
    from ig.reminders.policy import load_reminders
    from ig.reminders.sources import SOURCES
    from ig.sharing.policy import load_sharing

    roles = load_roles(directory, PERMISSIONS, SHOWS_CASE_DETAIL)
    return Policies(
        directory=directory,
        security=load_security(directory),
        roles=roles,
        training=load_training(directory, roles.roles),
        incidents=load_incidents(directory),
        sharing=load_sharing(directory),
        caldicott=load_caldicott(directory),
        notices=load_notices(directory),
        reminders=load_reminders(directory, roles.roles, SOURCES),
    )

"""policies/training.toml: the courses, who must take them and the compliance target."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ig.errors import ValidationFailed
from ig.policy_files import PolicyError, Section, read_policy_file


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

    @cached_property
    def fingerprint(self) -> str:
        """A digest of every setting, the same in every process: figures computed under
        this policy are cached under it, so a changed policy never reads an old one."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]


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


@cache
def _file_policy() -> TrainingPolicy:
    from ig.auth.permissions import PERMISSIONS, SHOWS_CASE_DETAIL
    from ig.policies import load_roles
    from ig.settings import PROJECT_ROOT

    directory = PROJECT_ROOT / "policies"
    return load_training(directory, load_roles(directory, PERMISSIONS, SHOWS_CASE_DETAIL).roles)


def current_policy() -> TrainingPolicy:
    """The running application's training policy (or the repository's, outside a request)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.extensions["ig.policies"].training  # type: ignore[no-any-return]
    return _file_policy()


def get_course(policy: TrainingPolicy, code: str, field: str = "course_code") -> Course:
    """The course with this code, or ValidationFailed naming ``field``."""
    course = policy.course(code.strip())
    if course is None:
        raise ValidationFailed(field, f"There is no course with the code {code.strip()!r}")
    return course

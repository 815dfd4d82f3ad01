"""The training policy in force, and finding a course in it."""

from __future__ import annotations

from functools import cache

from ig.errors import ValidationFailed
from ig.policies import Course, TrainingPolicy


@cache
def _file_policy() -> TrainingPolicy:
    from ig.policies import load_policies
    from ig.settings import PROJECT_ROOT

    return load_policies(PROJECT_ROOT / "policies").training


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

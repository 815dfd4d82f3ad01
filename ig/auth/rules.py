"""Pure rules of access: who is acting, what they may do, passwords and throttling."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ig.errors import ValidationFailed
from ig.policies import SecurityPolicy


@dataclass(frozen=True)
class Actor:
    """Who is doing something, as services see them: never a Flask object."""

    user_id: int | None
    label: str
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = field(default=frozenset(), repr=False)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


SYSTEM = Actor(user_id=None, label="system")
ANONYMOUS = Actor(user_id=None, label="anonymous")


EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def check_email(email: str) -> None:
    """ValidationFailed unless ``email`` looks like an e-mail address."""
    if len(email) > 320 or not EMAIL.match(email):
        raise ValidationFailed(
            "email", "Enter an e-mail address in the correct format, like name@example.org"
        )


def check_password(policy: SecurityPolicy, password: str, user_inputs: Sequence[str] = ()) -> None:
    """Apply the NCSC's advice: length, a deny-list of common passwords, no composition rules.

    zxcvbn scores the password against its lists of common passwords, names and words,
    with the user's own details and the organisation's words added; a low score means
    the password is easy to guess however long it looks. A password built on the
    organisation's words or the user's own details is judged on what is left once
    they are taken out, because attackers try those first (NCSC password guidance).
    """
    if len(password) < policy.password_min_length:
        raise ValidationFailed(
            "password", f"Password must be {policy.password_min_length} characters or more"
        )
    if len(password) > policy.password_max_length:
        raise ValidationFailed(
            "password", f"Password must be {policy.password_max_length} characters or fewer"
        )
    inputs = [*policy.organisation_words, *_parts(user_inputs)]
    remainder = _without_words(password, sorted(inputs, key=len, reverse=True))
    for candidate in dict.fromkeys((password, remainder)):
        _check_strength(policy, candidate, inputs)


def _check_strength(policy: SecurityPolicy, password: str, inputs: list[str]) -> None:
    # Imported here: its word lists take 12 MB, which a worker needs only to set a password.
    from zxcvbn import zxcvbn

    result = zxcvbn(password, user_inputs=inputs, max_length=max(len(password), 1))
    if result["score"] < policy.password_min_zxcvbn_score:
        advice = result["feedback"].get("warning") or "It is too easy to guess"
        raise ValidationFailed(
            "password",
            f"Choose a password that is harder to guess. {advice.rstrip('.')}. "
            "A few unrelated words together make a strong password",
        )


def _without_words(password: str, words: Sequence[str]) -> str:
    """``password`` with each of ``words`` removed, ignoring case."""
    for word in words:
        password = re.sub(re.escape(word), "", password, flags=re.IGNORECASE)
    return password


def _parts(values: Sequence[str]) -> list[str]:
    parts = []
    for value in values:
        parts.append(value)
        parts.extend(re.split(r"[@.\s_-]+", value))
    return [part for part in parts if len(part) >= 3]

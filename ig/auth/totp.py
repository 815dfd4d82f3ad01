"""Two-factor authentication: TOTP enrolment and checks, and single-use recovery codes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

import pyotp
import segno
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth import service, throttle
from ig.auth.models import RecoveryCode, User, UserSession
from ig.auth.rules import Actor
from ig.crypto import get_keyring
from ig.errors import InvalidTransition, ValidationFailed
from ig.policies import Policies

RECOVERY_CODES = 10
CODE_REFUSED = "The code is not correct, or it has already been used. Enter the latest code"


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def pending_secret(row: UserSession) -> str:
    """The TOTP secret offered for enrolment in this signed-in session.

    It is derived from the session (a keyed hash of its token hash), not stored, so
    showing the set-up page changes nothing; it is saved, encrypted, only when the
    person proves their app holds it. Every new session offers a new secret.
    """
    digest = hmac.new(
        get_keyring().index_key, b"totp-enrolment\x00" + row.token_hash.encode(), "sha256"
    ).digest()
    return base64.b32encode(digest[:20]).decode()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(email: str, secret: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code (no script, no external image)."""
    return segno.make(uri, error="m").svg_inline(
        scale=4,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code to scan with your authenticator app",  # its accessible name
    )


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _fresh_step(secret: str, last_step: int | None, code: str, now: dt.datetime) -> int | None:
    """The time step of ``code`` if it is valid and later than ``last_step``, else None."""
    code = _normalise(code)
    if not code.isdigit() or len(code) != 6:
        return None
    step = _matching_step(secret, code, now)
    if step is None or (last_step is not None and step <= last_step):
        return None
    return step


def _check_totp(user: User, code: str, now: dt.datetime) -> bool:
    """True for a valid code not used before; records its time step so it cannot replay."""
    if user.totp_secret is None:
        return False
    step = _fresh_step(user.totp_secret, user.totp_last_step, code, now)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def confirm_enrolment(
    session: Session, actor: Actor, row: UserSession, code: str, now: dt.datetime
) -> list[str]:
    """Turn two-factor on once the app shows a correct code for the session's pending
    secret; returns new recovery codes.

    The session ``row`` counts as having passed the second factor. A wrong code raises
    ValidationFailed and is audited, so the caller must commit even then.
    """
    user = row.user
    if user.has_totp:
        raise InvalidTransition("Two-factor authentication is already turned on")
    secret = pending_secret(row)
    step = _fresh_step(secret, None, code, now)
    if step is None:
        record(session, actor, "two_factor.enrolment_failed", "user", user.id, at=now)
        session.flush()
        raise ValidationFailed("code", CODE_REFUSED)
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_enabled_at = now
    row.is_two_factor_done = True
    codes = _replace_recovery_codes(session, user)
    record(session, actor, "two_factor.enabled", "user", user.id, at=now)
    session.flush()
    return codes


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join(secrets.token_hex(3) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return codes


def verify_second_factor(
    session: Session,
    actor: Actor,
    policies: Policies,
    row: UserSession,
    code: str,
    address: str,
    now: dt.datetime,
) -> None:
    """Complete sign-in with a TOTP code or an unused recovery code.

    Raises ValidationFailed for a wrong, replayed or used code, and for any code once
    the account has had too many failed guesses: a 6-digit code must not be open to
    guessing. Failures are counted and audited, so the caller must commit even then.
    """
    user = row.user
    if throttle.is_throttled(session, policies, user.email, address, now):
        record(session, actor, "two_factor.throttled", "user", user.id, at=now)
        raise ValidationFailed("code", service.THROTTLED)
    used = "totp" if _check_totp(user, code, now) else _use_recovery_code(session, user, code, now)
    if used is None:
        throttle.count_failure(session, user.email, address, now)
        record(session, actor, "two_factor.failed", "user", user.id, at=now)
        raise ValidationFailed("code", CODE_REFUSED)
    row.is_two_factor_done = True
    record(session, actor, "two_factor.passed", "user", user.id, {"method": used}, at=now)
    session.flush()


def _use_recovery_code(session: Session, user: User, code: str, now: dt.datetime) -> str | None:
    found = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return None
    found.used_at = now
    return "recovery code"


def count_unused_recovery_codes(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def new_recovery_codes(session: Session, actor: Actor, user: User, now: dt.datetime) -> list[str]:
    """Replace ``user``'s recovery codes; the old ones stop working."""
    if not user.has_totp:
        raise InvalidTransition("Turn on two-factor authentication first")
    codes = _replace_recovery_codes(session, user)
    record(session, actor, "two_factor.recovery_codes_replaced", "user", user.id, at=now)
    session.flush()
    return codes


# Added for the Caldicott decision log's sign-off (re-authentication with the second
# factor where the signer has enrolled).
def check_totp_code(user: User, code: str, now: dt.datetime) -> bool:
    """Whether ``code`` is a fresh TOTP code of an enrolled ``user``; marks it used.

    Recovery codes are not accepted here: they are for getting in, not for signing.
    """
    return user.has_totp and _check_totp(user, code, now)

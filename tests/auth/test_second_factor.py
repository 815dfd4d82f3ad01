"""TOTP enrolment and checks, recovery codes, and API tokens (service level)."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select

from ig.auth import service, tokens, totp
from ig.auth.models import ApiToken, RecoveryCode
from ig.auth.rules import SYSTEM
from ig.errors import InvalidTransition, NotFound, ValidationFailed
from tests import factories
from tests.auth.helpers import NOW, actions, count_attempts

STEP = dt.timedelta(seconds=30)


@pytest.fixture
def enrolled(db):
    """A user with two-factor on (enrolled at NOW), a new session, and the codes."""
    user = factories.make_user(db, roles=["ig_officer"])
    row = service.start_session(db, user, "", NOW).row
    secret = totp.pending_secret(row)
    codes = totp.confirm_enrolment(db, SYSTEM, row, pyotp.TOTP(secret).at(NOW), NOW)
    fresh = service.start_session(db, user, "", NOW + STEP).row
    return user, fresh, pyotp.TOTP(secret), codes


def verify(db, policies, row, code, now, address="10.0.0.1"):
    totp.verify_second_factor(db, SYSTEM, policies, row, code, address, now)


def test_enrolment_turns_two_factor_on_with_ten_hashed_recovery_codes(db, enrolled):
    user, _row, _otp, codes = enrolled
    assert user.has_totp
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
    stored = set(stored)
    assert len(stored) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)
    assert "two_factor.enabled" in actions(db, user.id)


def test_the_secret_is_encrypted_at_rest(db, enrolled):
    user = enrolled[0]
    raw = (
        db.connection()
        .exec_driver_sql(f"SELECT totp_secret FROM users WHERE id = {int(user.id)}")
        .scalar()
    )
    assert user.totp_secret not in raw


def test_a_wrong_enrolment_code_is_refused_and_audited(db):
    user = factories.make_user(db)
    row = service.start_session(db, user, "", NOW).row
    secret = totp.pending_secret(row)
    wrong = pyotp.TOTP(secret).at(NOW + 10 * STEP)
    with pytest.raises(ValidationFailed):
        totp.confirm_enrolment(db, SYSTEM, row, wrong, NOW)
    assert not user.has_totp
    assert user.totp_secret is None
    assert not row.is_two_factor_done
    assert actions(db, user.id)[-1] == "two_factor.enrolment_failed"


def test_enrolling_twice_is_refused(db, enrolled):
    _user, row, otp, _codes = enrolled
    with pytest.raises(InvalidTransition):
        totp.confirm_enrolment(db, SYSTEM, row, otp.at(NOW + STEP), NOW + STEP)


def test_a_current_code_passes_and_is_audited(db, policies, enrolled):
    user, row, otp, _codes = enrolled
    verify(db, policies, row, otp.at(NOW + STEP), NOW + STEP)
    assert row.is_two_factor_done
    assert actions(db, user.id)[-1] == "two_factor.passed"


def test_a_replayed_code_is_refused(db, policies, enrolled):
    user, row, otp, _codes = enrolled
    code = otp.at(NOW + STEP)
    verify(db, policies, row, code, NOW + STEP)
    other = service.start_session(db, user, "", NOW + STEP).row
    with pytest.raises(ValidationFailed):
        verify(db, policies, other, code, NOW + STEP + dt.timedelta(seconds=5))
    assert not other.is_two_factor_done


def test_an_older_code_than_the_last_used_is_refused(db, policies, enrolled):
    _user, row, otp, _codes = enrolled
    verify(db, policies, row, otp.at(NOW + 2 * STEP), NOW + 2 * STEP)
    with pytest.raises(ValidationFailed):
        verify(db, policies, row, otp.at(NOW + STEP), NOW + 2 * STEP)


@pytest.mark.parametrize("offset", [-3, 3, 20])
def test_codes_outside_one_step_either_side_are_refused(db, policies, enrolled, offset):
    _user, row, otp, _codes = enrolled
    now = NOW + 10 * STEP
    with pytest.raises(ValidationFailed):
        verify(db, policies, row, otp.at(now + offset * STEP), now)


def test_a_wrong_code_is_refused_counted_and_audited(db, policies, enrolled):
    user, row, _otp, _codes = enrolled
    with pytest.raises(ValidationFailed) as caught:
        verify(db, policies, row, "000000", NOW + STEP)
    assert caught.value.message == totp.CODE_REFUSED
    assert not row.is_two_factor_done
    assert actions(db, user.id)[-1] == "two_factor.failed"
    assert count_attempts(db, user.email) == 1


def test_guessing_codes_is_throttled_even_for_the_right_code(db, policies, enrolled):
    _user, row, otp, _codes = enrolled
    now = NOW + 2 * STEP
    for guess in range(policies.security.login_max_failures_per_account):
        with pytest.raises(ValidationFailed):
            verify(db, policies, row, f"{guess:06}x", now)
    with pytest.raises(ValidationFailed) as caught:
        verify(db, policies, row, otp.at(now), now)
    assert caught.value.message == service.THROTTLED
    assert not row.is_two_factor_done


def test_a_recovery_code_works_once(db, policies, enrolled):
    user, row, _otp, codes = enrolled
    verify(db, policies, row, codes[0].upper().replace("-", " "), NOW + STEP)
    assert row.is_two_factor_done
    assert totp.count_unused_recovery_codes(db, user) == 9
    other = service.start_session(db, user, "", NOW + STEP).row
    with pytest.raises(ValidationFailed):
        verify(db, policies, other, codes[0], NOW + STEP)


def test_new_recovery_codes_replace_the_old(db, policies, enrolled):
    user, row, _otp, old = enrolled
    new = totp.new_recovery_codes(db, SYSTEM, user, NOW)
    assert set(new).isdisjoint(old)
    with pytest.raises(ValidationFailed):
        verify(db, policies, row, old[1], NOW + STEP)
    verify(db, policies, row, new[1], NOW + STEP)
    assert "two_factor.recovery_codes_replaced" in actions(db, user.id)


def test_new_recovery_codes_need_two_factor(db):
    with pytest.raises(InvalidTransition):
        totp.new_recovery_codes(db, SYSTEM, factories.make_user(db), NOW)


def test_the_pending_secret_is_stable_per_session_and_stored_only_when_confirmed(db):
    user = factories.make_user(db)
    one = service.start_session(db, user, "", NOW).row
    two = service.start_session(db, user, "", NOW).row
    assert totp.pending_secret(one) == totp.pending_secret(one)
    assert totp.pending_secret(one) != totp.pending_secret(two)
    assert len(totp.pending_secret(one)) == 32  # 160 bits in base32
    assert user.totp_secret is None
    secret = totp.pending_secret(two)
    totp.confirm_enrolment(db, SYSTEM, two, pyotp.TOTP(secret).at(NOW), NOW)
    assert user.totp_secret == secret


def test_a_code_from_another_sessions_secret_does_not_enrol(db):
    user = factories.make_user(db)
    one = service.start_session(db, user, "", NOW).row
    two = service.start_session(db, user, "", NOW).row
    with pytest.raises(ValidationFailed):
        totp.confirm_enrolment(db, SYSTEM, two, pyotp.TOTP(totp.pending_secret(one)).at(NOW), NOW)
    assert not user.has_totp


def test_the_qr_code_is_an_inline_svg_of_the_provisioning_uri():
    uri = totp.provisioning_uri("a@b.org", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ig")
    assert uri.startswith("otpauth://totp/ig:a%40b.org?")
    assert "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg")
    assert "<title>QR code to scan with your authenticator app</title>" in svg
    assert "style=" not in svg  # the CSP forbids inline styles
    assert "<script" not in svg


# --- API tokens -----------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_hashed(db):
    user = factories.make_user(db)
    token, raw = tokens.create_token(db, SYSTEM, user, "Power BI", NOW)
    assert raw.startswith(tokens.PREFIX)
    stored = db.scalars(select(ApiToken.token_hash)).all()
    assert raw not in stored
    assert token.prefix == raw[:12]
    assert tokens.find_user_by_token(db, raw, NOW) is user
    assert token.last_used_at == NOW
    assert "api_token.created" in actions(db, token.id)


@pytest.mark.parametrize("raw", ["", "igt_forged", "Bearer x", "nonsense"])
def test_unknown_tokens_find_nobody(db, raw):
    assert tokens.find_user_by_token(db, raw, NOW) is None


def test_a_revoked_token_stops_working_and_revoking_twice_is_harmless(db):
    user = factories.make_user(db)
    token, raw = tokens.create_token(db, SYSTEM, user, "LMS", NOW)
    tokens.revoke_token(db, SYSTEM, token.id, NOW)
    tokens.revoke_token(db, SYSTEM, token.id, NOW + STEP)
    assert token.revoked_at == NOW
    assert tokens.find_user_by_token(db, raw, NOW) is None
    assert actions(db, token.id).count("api_token.revoked") == 1


def test_a_disabled_owners_token_stops_working(db):
    user = factories.make_user(db)
    _token, raw = tokens.create_token(db, SYSTEM, user, "LMS", NOW)
    user.is_active = False
    assert tokens.find_user_by_token(db, raw, NOW) is None
    with pytest.raises(ValidationFailed):
        tokens.create_token(db, SYSTEM, user, "another", NOW)


def test_only_the_owner_may_revoke_through_the_owner_path(db):
    owner, other = factories.make_user(db), factories.make_user(db)
    token, _raw = tokens.create_token(db, SYSTEM, owner, "LMS", NOW)
    with pytest.raises(NotFound):
        tokens.revoke_token(db, SYSTEM, token.id, NOW, owner=other)
    with pytest.raises(NotFound):
        tokens.revoke_token(db, SYSTEM, 99999, NOW)
    assert token.revoked_at is None
    assert tokens.list_tokens(db, owner) == [token]
    assert tokens.list_tokens(db, other) == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_sensible_name(db, name):
    with pytest.raises(ValidationFailed):
        tokens.create_token(db, SYSTEM, factories.make_user(db), name, NOW)

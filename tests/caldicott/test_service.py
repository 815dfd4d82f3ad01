"""Service tests: requests, assessment, sign-off, amendment and tamper detection."""

from __future__ import annotations

import dataclasses
import hashlib

import pyotp
import pytest
from sqlalchemy import select, text

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.caldicott import assessment, rules, service
from ig.caldicott.integrity import signed_content, verify_signed_decisions
from ig.caldicott.models import CaldicottDecision, Capacity, RequestStatus
from ig.caldicott.signoff import ReauthenticationFailed
from ig.crypto import get_keyring
from ig.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tests import factories
from tests.caldicott.conftest import LATER, NOW, assess, sign

pytestmark = pytest.mark.usefixtures("isolated")


def _actions(db, reference):
    return list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.record_id == reference)
            .order_by(AuditEntry.seq)
        )
    )


def test_raising_a_request_numbers_it_and_audits(db, people):
    user = people["staff"][0]
    first = factories.make_caldicott_request(db, user)
    second = factories.make_caldicott_request(db, user)
    assert first.reference == "CG-2026-0001"
    assert second.reference == "CG-2026-0002"
    assert first.status == RequestStatus.AWAITING_ASSESSMENT
    assert _actions(db, first.reference) == ["caldicott.requested"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"request_type": "gossip"}, "request_type"),
        ({"channel": "pigeon"}, "channel"),
        ({"categories": ()}, "categories"),
        ({"categories": ("made_up",)}, "categories"),
        ({"people_count": 0}, "people_count"),
        ({"purpose": "  "}, "purpose"),
        ({"case_details": ""}, "case_details"),
    ],
)
def test_a_bad_request_is_refused_and_nothing_written(db, people, change, field):
    with pytest.raises(ValidationFailed) as refused:
        factories.make_caldicott_request(db, people["staff"][0], **change)
    assert refused.value.field == field
    assert db.scalar(text("select count(*) from caldicott_requests")) == 0


def test_needed_by_before_received_is_refused(db, people):
    import datetime as dt

    with pytest.raises(ValidationFailed) as refused:
        factories.make_caldicott_request(
            db, people["staff"][0], needed_by=NOW.date() - dt.timedelta(days=1)
        )
    assert refused.value.field == "needed_by"


def test_encrypted_fields_are_absent_from_the_raw_database(db, people):
    factories.make_caldicott_request(db, people["staff"][0])
    raw = db.execute(
        text(
            "select purpose, information, case_details, requester_name, requester_role "
            "from caldicott_requests"
        )
    ).one()
    subject = db.execute(text("select identifier, identifier_index from caldicott_subjects")).one()
    for value in (*raw, subject.identifier):
        assert value.startswith("v2:")
    assert "Case details" not in "".join(raw)
    assert "Jane Rivers" not in "".join(raw)
    assert "AC-1234567" not in subject.identifier + subject.identifier_index


def test_staff_see_only_their_own_requests(db, people):
    mine = factories.make_caldicott_request(db, people["staff"][0])
    other = people["manager"][1]
    with pytest.raises(NotFound):
        service.get_request(db, other, mine.reference)
    assert service.get_request(db, people["siro"][1], mine.reference) is mine


def test_assessment_moves_the_request_on(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    version = assess(db, policy, people["ig_officer"][1], request)
    assert version.number == 1
    assert request.status == RequestStatus.AWAITING_DECISION
    assert _actions(db, request.reference)[-1] == "caldicott.assessed"


def test_assessment_needs_every_principle(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    notes = {p.key: "met" for p in policy.principles}
    notes["inform"] = " "
    with pytest.raises(ValidationFailed) as refused:
        assess(db, policy, people["ig_officer"][1], request, principle_notes=notes)
    assert refused.value.field == "principle_inform"
    assert request.status == RequestStatus.AWAITING_ASSESSMENT


def test_staff_cannot_assess(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    with pytest.raises(PermissionDenied):
        assess(db, policy, people["staff"][1], request)


def test_guardian_signs_and_the_digest_covers_exactly_what_was_signed(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    version = sign(db, policy, people["caldicott_guardian"], request)
    canonical = rules.canonical_json(signed_content(request, version))
    assert version.digest == hashlib.sha256(canonical.encode()).hexdigest()
    assert version.seal == rules.seal_of(get_keyring().audit_key, canonical)
    assert version.signed_capacity == Capacity.GUARDIAN
    assert request.status == RequestStatus.DECIDED
    assert request.outcome == "approved_with_conditions"
    assert request.days_to_decision == 2
    assert _actions(db, request.reference)[-1] == "caldicott.signed"
    assert verify_signed_decisions(db) == []


def test_a_deputy_signs_as_deputy(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    version = sign(db, policy, people["deputy_caldicott_guardian"], request)
    assert version.signed_capacity == Capacity.DEPUTY


@pytest.mark.parametrize(
    "role", ["staff", "ig_officer", "siro", "auditor", "manager", "administrator"]
)
def test_no_other_role_can_sign_even_with_the_permission(db, people, policy, role):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    user, actor = people[role]
    forged = dataclasses.replace(actor, permissions=actor.permissions | {"caldicott.decide"})
    with pytest.raises(PermissionDenied):
        sign(db, policy, (user, forged), request)
    assert request.status == RequestStatus.AWAITING_DECISION
    assert request.versions[0].signed_at is None


def test_the_requester_cannot_sign_their_own_request(db, people, policy):
    guardian = people["caldicott_guardian"]
    request = factories.make_caldicott_request(db, guardian[0])
    assess(db, policy, people["ig_officer"][1], request)
    with pytest.raises(PermissionDenied, match="raised this request"):
        sign(db, policy, guardian, request)
    assert request.versions[0].signed_at is None


def test_a_wrong_password_is_refused_and_audited(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    with pytest.raises(ReauthenticationFailed) as refused:
        sign(db, policy, people["caldicott_guardian"], request, password="not my password")
    assert refused.value.field == "password"
    assert request.versions[0].signed_at is None
    failed = db.scalar(
        select(AuditEntry).where(AuditEntry.action == "caldicott.reauthentication_failed")
    )
    assert failed is not None
    assert failed.detail == {"method": "password"}


def test_an_enrolled_signer_confirms_with_a_code(db, people, policy):
    user, actor = people["caldicott_guardian"]
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = NOW
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    with pytest.raises(ReauthenticationFailed) as refused:
        sign(db, policy, (user, actor), request, code="000000")
    assert refused.value.field == "code"
    code = pyotp.TOTP(user.totp_secret).at(LATER)
    version = sign(db, policy, (user, actor), request, code=code, password="")
    assert version.reauth_method == "totp"


def test_an_incomplete_decision_is_refused(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    with pytest.raises(ValidationFailed) as refused:
        sign(db, policy, people["caldicott_guardian"], request, conditions=())
    assert refused.value.field == "conditions"


def test_a_signed_decision_cannot_be_changed(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    version = sign(db, policy, people["caldicott_guardian"], request)
    with pytest.raises(InvalidTransition):
        assess(db, policy, people["ig_officer"][1], request)
    with pytest.raises(InvalidTransition):
        sign(db, policy, people["deputy_caldicott_guardian"], request)
    version.reasons = "quietly changed"
    with pytest.raises(InvalidTransition, match="cannot be changed"):
        db.flush()


def test_a_signed_decision_cannot_be_deleted(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    version = sign(db, policy, people["caldicott_guardian"], request)
    db.delete(version)
    with pytest.raises(InvalidTransition):
        db.flush()


def test_an_amendment_keeps_both_versions(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    officer = people["ig_officer"][1]
    assess(db, policy, officer, request)
    first = sign(db, policy, people["caldicott_guardian"], request)
    first_digest = first.digest
    amendment = assessment.start_amendment(db, officer, request, "The trial date moved", NOW)
    assert request.status == RequestStatus.AWAITING_DECISION
    assert amendment.supersedes_id == first.id
    assert amendment.number == 2
    assess(db, policy, officer, request, recommendation="Extend the retention")
    second = sign(
        db,
        policy,
        people["deputy_caldicott_guardian"],
        request,
        reasons="Trial adjourned",
        now=LATER,
    )
    db.expire_all()
    versions = db.scalars(
        select(CaldicottDecision)
        .where(CaldicottDecision.request_id == request.id)
        .order_by(CaldicottDecision.number)
    ).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].digest == first_digest
    assert versions[0].reasons == "Necessary and proportionate for the investigation"
    assert versions[1].reasons == "Trial adjourned"
    assert signed_content(request, second)["supersedes_digest"] == first_digest
    assert request.signed_number == 2
    assert verify_signed_decisions(db) == []


def test_an_amendment_needs_a_signed_decision_and_a_reason(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    officer = people["ig_officer"][1]
    with pytest.raises(InvalidTransition):
        assessment.start_amendment(db, officer, request, "why", NOW)
    assess(db, policy, officer, request)
    sign(db, policy, people["caldicott_guardian"], request)
    with pytest.raises(ValidationFailed):
        assessment.start_amendment(db, officer, request, " ", NOW)


def _signed(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    sign(db, policy, people["caldicott_guardian"], request)
    db.expire_all()
    return request


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("update caldicott_decisions set review_on = '2030-01-01'", "no longer matches"),
        ("update caldicott_decisions set signed_by_name = 'Someone else'", "no longer matches"),
        ("update caldicott_requests set people_count = 999", "no longer matches"),
        ("update caldicott_requests set outcome = 'declined'", "outcome or review date"),
        ("update caldicott_decisions set digest = :digest", "no longer matches"),
        ("update caldicott_decisions set signed_at = null", "signature was removed"),
        ("update caldicott_decisions set reasons = 'plain text'", "no longer decrypts"),
    ],
)
def test_tampering_in_the_database_is_detected(db, people, policy, statement, expected):
    request = _signed(db, people, policy)
    db.execute(text(statement), {"digest": "0" * 64} if ":digest" in statement else {})
    db.expire_all()
    problems = verify_signed_decisions(db)
    assert problems
    assert expected in problems[0]
    assert request.reference in problems[0]


def test_a_recomputed_digest_without_the_key_is_detected(db, people, policy):
    request = _signed(db, people, policy)
    db.execute(text("update caldicott_decisions set signed_by_name = 'Someone else'"))
    db.expire_all()
    version = request.versions[0]
    forged = rules.digest_of(rules.canonical_json(signed_content(request, version)))
    db.execute(text("update caldicott_decisions set digest = :digest"), {"digest": forged})
    db.expire_all()
    assert "seal is wrong" in verify_signed_decisions(db)[0]


def test_swapping_an_encrypted_value_is_detected(db, people, policy):
    request = _signed(db, people, policy)
    row_key = request.versions[0].row_key  # encrypted for its own row, so it decrypts
    forged = get_keyring().encrypt("A different reason", "caldicott_decisions.reasons", row_key)
    db.execute(text("update caldicott_decisions set reasons = :value"), {"value": forged})
    db.expire_all()
    assert "no longer matches its digest" in verify_signed_decisions(db)[0]


def test_earlier_decisions_are_found_through_the_blind_index(db, people, policy):
    staff = people["staff"][0]
    earlier = factories.make_caldicott_request(db, staff, identifiers=(" ac-1234567 ",))
    factories.make_caldicott_request(db, staff, identifiers=("ZZ-1",))
    later = factories.make_caldicott_request(db, staff)
    assert service.earlier_decisions(db, later) == [earlier]
    found = service.find_by_identifier(db, people["ig_officer"][1], "AC-1234567", NOW)
    assert {r.reference for r in found} == {earlier.reference, later.reference}
    with pytest.raises(ValidationFailed):
        service.find_by_identifier(db, people["ig_officer"][1], " ", NOW)


def test_someone_without_a_user_cannot_raise(db, people, policy):
    with pytest.raises(PermissionDenied):
        service.raise_request(db, Actor(None, "system"), policy, None, NOW)  # type: ignore[arg-type]


def test_a_structured_field_replaced_with_garbage_is_detected(db, people, policy):
    request = _signed(db, people, policy)
    row_key = request.versions[0].row_key
    forged = get_keyring().encrypt("not json", "caldicott_decisions.principle_notes", row_key)
    db.execute(text("update caldicott_decisions set principle_notes = :value"), {"value": forged})
    db.expire_all()
    assert "no longer holds what was signed" in verify_signed_decisions(db)[0]

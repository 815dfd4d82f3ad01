"""Agreements: drafting, parties, signatures bound to the text, renewal, termination."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from ig.auth.rules import Actor
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed
from ig.sharing import agreements, lifecycle, organisations, service
from ig.sharing.models import Agreement, PartyRole
from ig.sharing.rules import AgreementState
from tests import factories
from tests.sharing.conftest import NOW, OFFICER, TODAY, actions

DAY = dt.timedelta(days=1)
START = dt.date(2026, 1, 1)


def state(agreement: Agreement, today: dt.date = TODAY) -> AgreementState:
    return service.state_of(agreement, today, 60)


def new_input(owner, **changes) -> agreements.AgreementInput:
    values = {
        "reference": "dsa-2026-001",
        "title": "Discharge to assess",
        "purpose": "Getting people home from hospital",
        "owner_id": owner.id,
        "lawful_basis": "art6_1e",
        "categories": ("identity", "health"),
        "purposes": ("hospital_discharge",),
        "starts_on": START,
        "review_on": START + 300 * DAY,
        "ends_on": START + 700 * DAY,
        "is_special_category": True,
        "special_condition": "art9_2h",
        "statutory_gateway": "care_act_2014",
    }
    values.update(changes)
    return agreements.AgreementInput(**values)


def test_a_new_agreement_is_a_draft_led_by_its_owner(db, policy, own):
    agreement = agreements.create_agreement(db, OFFICER, policy, new_input(own))
    assert agreement.reference == "DSA-2026-001"
    assert agreement.revision == 1
    assert [(p.organisation_id, p.role) for p in agreement.parties] == [
        (own.id, PartyRole.CONTROLLER)
    ]
    assert agreement.categories == ["health", "identity"]
    assert len(agreement.content_digest) == 64
    assert state(agreement) is AgreementState.DRAFT
    assert actions(db, "agreement", agreement.id) == ["agreement.created"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference": "x"}, "reference"),
        ({"title": " "}, "title"),
        ({"lawful_basis": "art6_1z"}, "lawful_basis"),
        ({"categories": ()}, "categories"),
        ({"categories": ("gossip",)}, "categories"),
        ({"purposes": ()}, "purposes"),
        ({"is_special_category": False}, "is_special_category"),  # health is special
        ({"special_condition": None}, "special_condition"),  # UK GDPR Art. 9(1)
        ({"statutory_gateway": "magna_carta"}, "statutory_gateway"),
        ({"ends_on": START - DAY}, "ends_on"),
        ({"review_on": START + 800 * DAY}, "review_on"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_written(db, policy, own, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        agreements.create_agreement(db, OFFICER, policy, new_input(own, **changes))
    assert refused.value.field == field
    assert db.scalar(select(Agreement.id)) is None


def test_a_reference_is_used_once(db, policy, own):
    agreements.create_agreement(db, OFFICER, policy, new_input(own))
    with pytest.raises(ValidationFailed, match="exists"):
        agreements.create_agreement(db, OFFICER, policy, new_input(own))


def test_states_follow_the_signatures(db, policy, own, camden, islington):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden, islington], signed=0)
    assert state(agreement) is AgreementState.DRAFT
    assert agreement.party_count == 3
    parties = agreement.parties
    sign(db, agreement, parties[0])
    assert state(agreement) is AgreementState.AWAITING_SIGNATURES
    sign(db, agreement, parties[1])
    assert state(agreement) is AgreementState.AWAITING_SIGNATURES  # all signed except one
    sign(db, agreement, parties[2])
    assert state(agreement) is AgreementState.ACTIVE
    assert state(agreement, START - DAY) is AgreementState.SIGNED_NOT_STARTED
    assert state(agreement, agreement.review_on - 10 * DAY) is AgreementState.REVIEW_DUE
    assert state(agreement, agreement.ends_on + DAY) is AgreementState.EXPIRED  # past its end


def sign(db, agreement, party, actor=OFFICER, evidence="e-mail of 2 January"):
    data = lifecycle.SignatureInput("Jo Bloggs", "Director of Adult Social Care", START, evidence)
    return lifecycle.sign_agreement(db, actor, agreement, party.id, data, TODAY, NOW)


def test_a_signature_is_bound_to_the_digest_and_audited(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden], signed=0)
    party = sign(db, agreement, agreement.parties[1])
    assert party.signed_digest == agreement.content_digest
    assert party.has_signed
    assert party.signed_at == NOW
    entries = actions(db, "agreement", agreement.id)
    assert entries[-1] == "agreement.signed"
    with pytest.raises(InvalidTransition, match="already signed"):
        sign(db, agreement, party)


def test_changing_a_signed_version_asks_every_party_to_sign_again(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden])
    assert state(agreement) is AgreementState.ACTIVE
    old_digest = agreement.content_digest
    changed = dataclasses.replace(
        new_input(own, reference=agreement.reference), title="A new title"
    )
    agreements.update_agreement(db, OFFICER, policy, agreement, changed, agreement.version, TODAY)
    assert agreement.content_digest != old_digest
    assert agreement.signed_count == 0
    assert not any(p.has_signed for p in agreement.parties)
    assert state(agreement) is AgreementState.DRAFT
    assert "agreement.signatures_reset" in actions(db, "agreement", agreement.id)


def test_saving_the_same_terms_keeps_the_signatures(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(
        db, policy, own, [camden], reference="DSA-SAME", categories=("identity",)
    )
    same = agreements.AgreementInput(
        **{
            f.name: getattr(agreement, f.name)
            for f in dataclasses.fields(agreements.AgreementInput)
            if f.name not in ("categories", "purposes")
        },
        categories=tuple(agreement.categories),
        purposes=tuple(agreement.purposes),
    )
    agreements.update_agreement(db, OFFICER, policy, agreement, same, agreement.version, TODAY)
    assert agreement.signed_count == 2
    assert state(agreement) is AgreementState.ACTIVE


def test_adding_a_party_asks_everyone_to_sign_again(db, policy, own, camden, islington):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden])
    agreements.add_party(db, OFFICER, agreement, islington.id, PartyRole.RECIPIENT, TODAY)
    assert (agreement.party_count, agreement.signed_count) == (3, 0)
    with pytest.raises(ValidationFailed, match="already a party"):
        agreements.add_party(db, OFFICER, agreement, islington.id, PartyRole.RECIPIENT, TODAY)


def test_a_stale_edit_is_refused(db, policy, own):
    agreement = factories.make_sharing_agreement(db, policy, own)
    data = new_input(own, reference=agreement.reference)
    with pytest.raises(EditConflict):
        agreements.update_agreement(
            db, OFFICER, policy, agreement, data, agreement.version - 1, TODAY
        )


def test_the_lead_cannot_be_removed_but_others_can(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden], signed=0)
    with pytest.raises(InvalidTransition):
        agreements.remove_party(db, OFFICER, agreement, agreement.parties[0].id, TODAY)
    agreements.remove_party(db, OFFICER, agreement, agreement.parties[1].id, TODAY)
    assert agreement.party_count == 1


def test_a_named_signatory_signs_for_their_own_organisation_only(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden], signed=0)
    user = factories.make_user(db, roles=("siro",), email="siro@camden.example")
    organisations.add_signatory(db, OFFICER, camden, user.email)
    siro = Actor(user.id, user.email, frozenset({"siro"}), frozenset({"sharing.sign"}))
    sign(db, agreement, agreement.parties[1], actor=siro, evidence="")
    with pytest.raises(PermissionDenied):
        sign(db, agreement, agreement.parties[0], actor=siro)


def test_recording_another_partys_signature_needs_evidence(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden], signed=0)
    with pytest.raises(ValidationFailed) as refused:
        sign(db, agreement, agreement.parties[1], evidence=" ")
    assert refused.value.field == "evidence"
    assert agreement.signed_count == 0


def test_a_signature_cannot_be_dated_in_the_future(db, policy, own):
    agreement = factories.make_sharing_agreement(db, policy, own, signed=0)
    data = lifecycle.SignatureInput("Jo", "Director", TODAY + DAY, "e-mail")
    with pytest.raises(ValidationFailed, match="today or in the past"):
        lifecycle.sign_agreement(db, OFFICER, agreement, agreement.parties[0].id, data, TODAY, NOW)


def test_renewal_makes_a_new_unsigned_version_and_keeps_the_old(db, policy, own, camden):
    old = factories.make_sharing_agreement(db, policy, own, [camden])
    old_digest = old.content_digest
    renewal = lifecycle.renew_agreement(
        db, OFFICER, old, START + 700 * DAY, START + 1000 * DAY, START + 1400 * DAY
    )
    assert (renewal.reference, renewal.revision, renewal.supersedes_id) == (
        old.reference,
        2,
        old.id,
    )
    assert renewal.categories == old.categories
    assert [p.organisation_id for p in renewal.parties] == [p.organisation_id for p in old.parties]
    assert state(renewal) is AgreementState.DRAFT
    assert old.content_digest == old_digest
    assert state(old) is AgreementState.ACTIVE
    assert service.find_agreement(db, old.reference.lower()) is renewal
    with pytest.raises(InvalidTransition, match="already renewed"):
        lifecycle.renew_agreement(db, OFFICER, old, START, START, None)
    with pytest.raises(InvalidTransition, match="replaced by version 2"):
        sign(db, old, old.parties[0])


def test_termination_ends_sharing_and_closes_the_agreement(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden])
    with pytest.raises(ValidationFailed):
        lifecycle.terminate_agreement(db, OFFICER, agreement, TODAY, " ", TODAY)
    with pytest.raises(ValidationFailed):
        lifecycle.terminate_agreement(db, OFFICER, agreement, TODAY + DAY, "Ended", TODAY)
    lifecycle.terminate_agreement(db, OFFICER, agreement, TODAY, "Service closed", TODAY)
    assert state(agreement) is AgreementState.TERMINATED
    with pytest.raises(InvalidTransition):
        agreements.add_party(db, OFFICER, agreement, own.id, PartyRole.RECIPIENT, TODAY)
    with pytest.raises(InvalidTransition):
        lifecycle.renew_agreement(db, OFFICER, agreement, TODAY, TODAY, None)
    assert actions(db, "agreement", agreement.id)[-1] == "agreement.terminated"


def test_an_expired_agreement_is_renewed_not_changed(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden])
    later = agreement.ends_on + DAY
    with pytest.raises(InvalidTransition, match="expired"):
        agreements.add_party(db, OFFICER, agreement, own.id, PartyRole.RECIPIENT, later)

"""The "may we share?" check: covered, not covered, expired, and who must be a party."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.errors import NotFound, ValidationFailed
from ig.sharing import lifecycle, service
from ig.sharing.rules import AgreementState
from tests import factories
from tests.sharing.conftest import OFFICER, TODAY

DAY = dt.timedelta(days=1)


def check(db, code="E09000007", category="identity", purpose="direct_care", today=TODAY, **kw):
    return service.check_sharing(db, code, category, purpose, today, **kw)


def test_an_agreement_in_force_covers_it_with_its_conditions(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(
        db, policy, own, [camden], conditions="Only the named social worker"
    )
    result = check(db, "e09000007")
    assert result.is_covered
    [cover] = result.covering
    assert cover.agreement is agreement
    assert cover.agreement.conditions == "Only the named social worker"
    assert cover.state is AgreementState.ACTIVE
    assert cover.partner_role.value == "recipient"


def test_nothing_covers_a_partner_with_no_agreement(db, policy, own, camden, islington):
    factories.make_sharing_agreement(db, policy, own, [camden])
    result = check(db, "E09000019")
    assert not result.is_covered
    assert result.covering == []
    assert result.not_in_force == []
    assert result.organisation is islington


@pytest.mark.parametrize(
    ("category", "purpose"), [("health", "direct_care"), ("identity", "commissioning")]
)
def test_a_category_or_purpose_outside_the_agreement_is_not_covered(
    db, policy, own, camden, category, purpose
):
    factories.make_sharing_agreement(db, policy, own, [camden])
    assert not check(db, category=category, purpose=purpose).is_covered


def test_an_expired_agreement_does_not_cover_it_but_is_shown(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden])
    result = check(db, today=agreement.ends_on + DAY)
    assert not result.is_covered
    [lapsed] = result.not_in_force
    assert lapsed.state is AgreementState.EXPIRED


def test_an_agreement_awaiting_a_signature_does_not_cover_it(db, policy, own, camden):
    factories.make_sharing_agreement(db, policy, own, [camden], signed=1)
    result = check(db)
    assert not result.is_covered
    assert result.not_in_force[0].state is AgreementState.AWAITING_SIGNATURES


def test_a_terminated_agreement_does_not_cover_it(db, policy, own, camden):
    agreement = factories.make_sharing_agreement(db, policy, own, [camden])
    lifecycle.terminate_agreement(db, OFFICER, agreement, TODAY, "Ended", TODAY)
    assert not check(db).is_covered


def test_an_agreement_we_are_not_party_to_does_not_cover_us(db, policy, own, camden, islington):
    factories.make_sharing_agreement(db, policy, islington, [camden])
    assert not check(db).is_covered


def test_a_renewal_in_force_covers_it_after_the_old_version_expires(db, policy, own, camden):
    old = factories.make_sharing_agreement(db, policy, own, [camden])
    renewal = lifecycle.renew_agreement(
        db, OFFICER, old, old.ends_on + DAY, old.ends_on + 300 * DAY, old.ends_on + 700 * DAY
    )
    for party in renewal.parties:
        data = lifecycle.SignatureInput("Jo", "Director", TODAY, "e-mail")
        lifecycle.sign_agreement(
            db, OFFICER, renewal, party.id, data, TODAY, dt.datetime.now(dt.UTC)
        )
    result = check(db, today=old.ends_on + 10 * DAY)
    assert [c.agreement for c in result.covering] == [renewal]
    assert [c.agreement for c in result.not_in_force] == [old]


def test_an_unknown_code_is_not_found(db):
    with pytest.raises(NotFound, match="E09000099"):
        check(db, "e09000099")


def test_unknown_keys_are_refused_when_the_policy_is_given(db, policy, camden):
    with pytest.raises(ValidationFailed) as refused:
        check(db, category="gossip", policy=policy)
    assert refused.value.field == "category"
    with pytest.raises(ValidationFailed) as refused:
        check(db, purpose="curiosity", policy=policy)
    assert refused.value.field == "purpose"

"""The DPIA services: each change and its audit entry, and the refusals (the sign-off rule)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from ig.auth.rules import Actor
from ig.dpia import links, register, service, signoff
from ig.dpia.linked import list_dpias_for_agreement
from ig.dpia.models import IcoDecision, Status
from ig.dpia.register import DpiaFilter, Shown
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed
from ig.sharing import lifecycle
from tests.dpia.conftest import HIGH, LOW, NOW, TODAY, audit_actions, make_dpia, officer, siro
from tests.factories import make_organisation, make_sharing_agreement
from tests.queries import counting

CONSULTED = signoff.IcoConsultation(
    IcoDecision.CONSULTED, TODAY - dt.timedelta(days=3), "ICO/PC/2026/7", "Proceed"
)


def test_a_dpia_is_screened_assessed_and_audited(db, policies):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by, risks=(HIGH, LOW))
    dpia = service.get_dpia(db, dpia_id)
    assert dpia.status is Status.IN_ASSESSMENT
    assert dpia.is_dpia_required is True
    assert dpia.max_residual_score == 9
    assert dpia.description == "Recording visits for AI summaries"
    assert audit_actions(db, dpia_id) == [
        "dpia.created",
        "dpia.screened",
        "dpia.risk_added",
        "dpia.risk_added",
    ]


def test_the_description_is_encrypted_in_the_database(db, policies):
    dpia_id = make_dpia(db, policies.dpia, officer(db))
    raw = db.execute(text("SELECT description FROM dpias WHERE id = :id"), {"id": dpia_id})
    assert "Recording visits" not in raw.scalar_one()


def test_risks_need_screening_first_and_stay_on_the_grid(db, policies):
    by = officer(db)
    dpia = service.create_dpia(db, by, service.DpiaInput("T", "D", by.user_id), NOW)
    with pytest.raises(InvalidTransition, match="Screen"):
        service.save_risk(db, by, policies.dpia, dpia.id, None, LOW, dpia.version, NOW)
    service.screen_dpia(db, by, policies.dpia, dpia.id, [], dpia.version, NOW)
    off_grid = service.RiskInput("Risk", 4, 1, "", 1, 1)
    with pytest.raises(ValidationFailed) as failed:
        service.save_risk(db, by, policies.dpia, dpia.id, None, off_grid, dpia.version, NOW)
    assert failed.value.field == "likelihood"
    assert service.get_dpia(db, dpia.id).risks == []


def test_unknown_criteria_and_stale_versions_are_refused(db, policies):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by)
    version = service.get_dpia(db, dpia_id).version
    with pytest.raises(ValidationFailed):
        service.screen_dpia(db, by, policies.dpia, dpia_id, ["nonsense"], version, NOW)
    with pytest.raises(EditConflict):
        service.screen_dpia(db, by, policies.dpia, dpia_id, [], version - 1, NOW)


def test_only_the_ig_team_changes_dpias(db, policies):
    dpia_id = make_dpia(db, policies.dpia, officer(db))
    with pytest.raises(PermissionDenied):
        service.update_dpia(db, siro(db), dpia_id, service.DpiaInput("X", "Y", 1), 1, NOW)


def test_advice_not_followed_needs_a_reason(db, policies):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by, risks=(LOW,))
    version = service.get_dpia(db, dpia_id).version
    advice = signoff.DpoAdvice("Do not proceed", TODAY, False, "")
    with pytest.raises(ValidationFailed) as failed:
        signoff.record_dpo_advice(db, by, dpia_id, advice, version, NOW)
    assert failed.value.field == "reason_not_followed"
    assert service.get_dpia(db, dpia_id).dpo_advice_on is None


def test_high_residual_risk_cannot_be_signed_off_without_the_ico_decision(db, policies):
    by, signer = officer(db), siro(db)
    dpia_id = make_dpia(db, policies.dpia, by, risks=(HIGH,), submit=True)
    before = audit_actions(db, dpia_id)
    version = service.get_dpia(db, dpia_id).version
    with pytest.raises(ValidationFailed, match="ICO prior-consultation decision"):
        signoff.sign_off_dpia(db, signer, policies.dpia, dpia_id, version, NOW)
    dpia = service.get_dpia(db, dpia_id)
    assert (dpia.status, dpia.signed_off_at, dpia.version) == (
        Status.AWAITING_SIGN_OFF,
        None,
        version,
    )
    assert audit_actions(db, dpia_id) == before
    signoff.record_ico_consultation(db, signer, dpia_id, CONSULTED, version, NOW)
    signoff.sign_off_dpia(db, signer, policies.dpia, dpia_id, dpia.version, NOW)
    assert dpia.status is Status.SIGNED_OFF
    assert dpia.review_on == dt.date(2027, 11, 22)
    assert audit_actions(db, dpia_id)[-2:] == ["dpia.ico_consultation", "dpia.signed_off"]


def test_a_low_risk_dpia_signs_off_without_the_ico(db, policies):
    dpia_id = make_dpia(db, policies.dpia, officer(db), risks=(LOW,), submit=True)
    version = service.get_dpia(db, dpia_id).version
    dpia = signoff.sign_off_dpia(db, siro(db), policies.dpia, dpia_id, version, NOW)
    assert dpia.status is Status.SIGNED_OFF


def test_the_author_and_non_signers_cannot_sign_off(db, policies):
    author = officer(db)
    both = author.__class__(
        author.user_id, author.label, author.roles, author.permissions | {"dpia.sign_off"}
    )
    dpia_id = make_dpia(db, policies.dpia, author, risks=(LOW,), submit=True)
    version = service.get_dpia(db, dpia_id).version
    for who in (both, officer(db)):
        with pytest.raises(PermissionDenied):
            signoff.sign_off_dpia(db, who, policies.dpia, dpia_id, version, NOW)


def test_ico_decision_needs_its_date_and_reference_or_a_reason(db, policies):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by, risks=(HIGH,))
    version = service.get_dpia(db, dpia_id).version
    for decision, field in (
        (signoff.IcoConsultation(IcoDecision.CONSULTED, None, "R", ""), "consulted_on"),
        (signoff.IcoConsultation(IcoDecision.CONSULTED, TODAY, " ", ""), "reference"),
        (signoff.IcoConsultation(IcoDecision.NOT_CONSULTED, None, "", ""), "notes"),
    ):
        with pytest.raises(ValidationFailed) as failed:
            signoff.record_ico_consultation(db, by, dpia_id, decision, version, NOW)
        assert failed.value.field == field
    assert service.get_dpia(db, dpia_id).ico_decision is None


def test_submission_needs_risks_and_advice(db, policies):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by, risks=(LOW,))
    with pytest.raises(InvalidTransition, match="DPO"):
        signoff.submit_for_sign_off(db, by, dpia_id, service.get_dpia(db, dpia_id).version, NOW)


def test_a_signed_off_dpia_is_not_changed_but_reviewed(db, policies):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by, risks=(LOW,), submit=True)
    dpia = signoff.sign_off_dpia(
        db, siro(db), policies.dpia, dpia_id, service.get_dpia(db, dpia_id).version, NOW
    )
    with pytest.raises(InvalidTransition):
        service.save_risk(db, by, policies.dpia, dpia_id, None, LOW, dpia.version, NOW)
    later = NOW + dt.timedelta(days=400)
    signoff.record_review(db, by, policies.dpia, dpia_id, later.date(), dpia.version, later)
    assert dpia.review_on == dt.date(2028, 12, 27)
    assert audit_actions(db, dpia_id)[-1] == "dpia.reviewed"


def test_register_filters_in_sql(db, policies):
    by = officer(db)
    high = make_dpia(db, policies.dpia, by, title="High one", risks=(HIGH,))
    low = make_dpia(db, policies.dpia, by, title="Low one", risks=(LOW,), submit=True)
    version = service.get_dpia(db, low).version
    signoff.sign_off_dpia(db, siro(db), policies.dpia, low, version, NOW - dt.timedelta(days=400))

    def titles(**filters):
        page = register.list_dpias(db, policies.dpia, DpiaFilter(**filters), TODAY)
        return {d.title for d in page.rows}

    assert titles(residual="high") == {"High one"}
    assert titles(is_overdue=True) == {"Low one"}
    assert titles(status=Shown.REVIEW_DUE) == {"Low one"}
    assert titles(status=Shown.IN_ASSESSMENT) == {"High one"}
    assert titles(status=Shown.SIGNED_OFF) == set()
    csv_text = register.dpias_csv(
        register.export_dpias(db, policies.dpia, DpiaFilter(), TODAY), policies.dpia, TODAY
    )
    assert "Review due" in csv_text
    assert "High one" in csv_text
    assert high != low


def test_agreements_are_linked_and_unlinked(db, policies):
    by = officer(db)
    own = make_organisation(db, name="Eastmere Council", is_self=True)
    agreement = make_sharing_agreement(db, policies.sharing, own)
    dpia_id = make_dpia(db, policies.dpia, by)
    links.link_agreement(db, by, dpia_id, agreement.reference, NOW)
    assert [a.agreement_id for a in links.linked_agreements(db, dpia_id)] == [agreement.id]
    with pytest.raises(ValidationFailed, match="already linked"):
        links.link_agreement(db, by, dpia_id, agreement.reference, NOW)
    with pytest.raises(ValidationFailed, match="No data-sharing agreement"):
        links.link_agreement(db, by, dpia_id, "DSA-NONE", NOW)
    links.unlink_agreement(db, by, dpia_id, agreement.id, NOW)
    assert links.linked_agreements(db, dpia_id) == []
    assert audit_actions(db, dpia_id)[-2:] == ["dpia.agreement_linked", "dpia.agreement_unlinked"]


def test_a_link_follows_the_agreement_through_its_versions(db, policies):
    by = officer(db)
    own = make_organisation(db, name="Eastmere Council", is_self=True)
    first = make_sharing_agreement(db, policies.sharing, own)
    dpia_id = make_dpia(db, policies.dpia, by)
    links.link_agreement(db, by, dpia_id, first.reference, NOW)
    sharing_actor = Actor(None, "officer", frozenset(), frozenset({"sharing.manage"}))
    second = lifecycle.renew_agreement(
        db, sharing_actor, first, dt.date(2027, 1, 1), dt.date(2027, 10, 1), None
    )
    third = lifecycle.renew_agreement(
        db, sharing_actor, second, dt.date(2028, 1, 1), dt.date(2028, 10, 1), None
    )
    with counting(db.get_bind(), selects_only=True) as statements:
        listed = {v.id: list_dpias_for_agreement(db, v.id) for v in (first, second, third)}
    assert len(statements) == 3  # one query for each page
    assert {v: [d.dpia_id for d in dpias] for v, dpias in listed.items()} == {
        first.id: [dpia_id],
        second.id: [dpia_id],
        third.id: [dpia_id],
    }
    [link] = links.linked_agreements(db, dpia_id)
    assert (link.agreement_id, link.revision) == (third.id, 3)  # the page names the current one
    assert (link.linked_id, link.linked_revision, link.is_on_earlier_version) == (first.id, 1, True)
    with pytest.raises(ValidationFailed, match="already linked"):  # its latest version too
        links.link_agreement(db, by, dpia_id, first.reference, NOW)
    links.unlink_agreement(db, by, dpia_id, link.linked_id, NOW)
    assert list_dpias_for_agreement(db, third.id) == []


def test_no_free_text_is_stored_in_the_clear(db, policies):
    by = officer(db)
    mark = "qzdpiacanary"
    data = service.DpiaInput("Title", f"{mark} description", by.user_id)
    dpia = service.create_dpia(db, by, data, NOW)
    service.screen_dpia(db, by, policies.dpia, dpia.id, [], dpia.version, NOW)
    risk = service.RiskInput(f"{mark} risk", 3, 3, f"{mark} measures", 3, 3)
    service.save_risk(db, by, policies.dpia, dpia.id, None, risk, dpia.version, NOW)
    advice = signoff.DpoAdvice(f"{mark} advice", TODAY, False, f"{mark} reason")
    signoff.record_dpo_advice(db, by, dpia.id, advice, dpia.version, NOW)
    ico = signoff.IcoConsultation(IcoDecision.NOT_CONSULTED, None, "", f"{mark} notes")
    signoff.record_ico_consultation(db, by, dpia.id, ico, dpia.version, NOW)
    for table in ("dpias", "dpia_risks"):
        rows = db.execute(text(f"SELECT * FROM {table}")).all()
        assert rows
        assert mark not in repr(rows)
    assert service.get_dpia(db, dpia.id).ico_notes == f"{mark} notes"

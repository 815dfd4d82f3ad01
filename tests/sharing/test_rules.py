"""Pure rules: agreement state from its facts, codes, signing rights, PDF checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.auth.rules import Actor
from ig.errors import PermissionDenied, ValidationFailed
from ig.people.models import OrganisationKind
from ig.sharing.partner_codes import normalise_code
from ig.sharing.rules import (
    IN_FORCE,
    AgreementFacts,
    AgreementState,
    SigningAs,
    agreement_state,
    check_dates,
    check_pdf,
    content_digest,
    signing_capacity,
)

TODAY = dt.date(2026, 6, 15)
DAY = dt.timedelta(days=1)
NOTICE = 60


def facts(**changes: object) -> AgreementFacts:
    values: dict[str, object] = {
        "party_count": 3,
        "signed_count": 3,
        "starts_on": TODAY - 100 * DAY,
        "review_on": TODAY + 200 * DAY,
        "ends_on": TODAY + 400 * DAY,
        "terminated_on": None,
    }
    values.update(changes)
    return AgreementFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"signed_count": 0}, AgreementState.DRAFT),
        ({"party_count": 0, "signed_count": 0}, AgreementState.DRAFT),
        ({"signed_count": 2}, AgreementState.AWAITING_SIGNATURES),  # all but one signed
        ({"signed_count": 1}, AgreementState.AWAITING_SIGNATURES),
        ({}, AgreementState.ACTIVE),
        ({"starts_on": TODAY}, AgreementState.ACTIVE),  # in force from its first day
        # In force on its last day (the review, before it, is overdue by then).
        ({"ends_on": TODAY, "review_on": TODAY - 50 * DAY}, AgreementState.REVIEW_DUE),
        ({"ends_on": None}, AgreementState.ACTIVE),
        ({"starts_on": TODAY + DAY}, AgreementState.SIGNED_NOT_STARTED),
        ({"review_on": TODAY + NOTICE * DAY}, AgreementState.REVIEW_DUE),
        ({"review_on": TODAY + (NOTICE + 1) * DAY}, AgreementState.ACTIVE),
        ({"review_on": TODAY - DAY}, AgreementState.REVIEW_DUE),  # overdue review
        ({"ends_on": TODAY - DAY}, AgreementState.EXPIRED),  # past its end date
        ({"ends_on": TODAY - DAY, "signed_count": 0}, AgreementState.EXPIRED),
        ({"terminated_on": TODAY}, AgreementState.TERMINATED),
        ({"terminated_on": TODAY - DAY, "ends_on": TODAY - DAY}, AgreementState.TERMINATED),
    ],
)
def test_state_follows_from_the_facts(changes, expected):
    assert agreement_state(facts(**changes), TODAY, NOTICE) is expected


dates = st.dates(dt.date(2020, 1, 1), dt.date(2032, 12, 31))


@st.composite
def any_facts(draw: st.DrawFn) -> AgreementFacts:
    parties = draw(st.integers(0, 6))
    starts_on = draw(dates)
    ends_on = draw(st.none() | st.dates(starts_on, dt.date(2033, 12, 31)))
    return AgreementFacts(
        party_count=parties,
        signed_count=draw(st.integers(0, parties)),
        starts_on=starts_on,
        review_on=draw(st.dates(starts_on, ends_on or dt.date(2033, 12, 31))),
        ends_on=ends_on,
        terminated_on=draw(st.none() | st.dates(starts_on, dt.date(2033, 12, 31))),
    )


@given(any_facts(), dates, st.integers(0, 366))
def test_in_force_exactly_when_signed_by_all_started_and_not_ended(f, today, notice):
    state = agreement_state(f, today, notice)
    in_force = (
        f.terminated_on is None
        and 0 < f.signed_count == f.party_count
        and f.starts_on <= today
        and (f.ends_on is None or today <= f.ends_on)
    )
    assert (state in IN_FORCE) is in_force
    assert (state is AgreementState.TERMINATED) is (f.terminated_on is not None)
    if state is AgreementState.REVIEW_DUE:
        assert f.review_on <= today + dt.timedelta(days=notice)


@given(any_facts(), dates)
def test_a_longer_notice_period_never_hides_a_due_review(f, today):
    short = agreement_state(f, today, 10)
    long = agreement_state(f, today, 90)
    if short is AgreementState.REVIEW_DUE:
        assert long is AgreementState.REVIEW_DUE


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        (OrganisationKind.LOCAL_AUTHORITY, "E09000001", "E09000001"),
        (OrganisationKind.LOCAL_AUTHORITY, " e06000001 ", "E06000001"),
        (OrganisationKind.LOCAL_AUTHORITY, "W06000023", "W06000023"),
        (OrganisationKind.NHS_TRUST, "rj1", "RJ1"),
        (OrganisationKind.NHS_TRUST, "TAF", "TAF"),
        (OrganisationKind.INTEGRATED_CARE_BOARD, "QMJ", "QMJ"),
        (OrganisationKind.GP_PRACTICE, "F84001", "F84001"),
        (OrganisationKind.POLICE, "E23000001", "E23000001"),
        (OrganisationKind.POLICE, "", None),
        (OrganisationKind.PROVIDER, "1-101234567", "1-101234567"),
        (OrganisationKind.VOLUNTARY, None, None),
    ],
)
def test_good_codes_are_normalised(kind, code, expected):
    assert normalise_code(kind, code) == expected


@pytest.mark.parametrize(
    ("kind", "code", "says"),
    [
        (OrganisationKind.LOCAL_AUTHORITY, "E0900001", "9 characters"),  # one digit short
        (OrganisationKind.LOCAL_AUTHORITY, "E23000001", "E09000001"),  # a police area
        (OrganisationKind.LOCAL_AUTHORITY, "QMJ", "GSS"),
        (OrganisationKind.LOCAL_AUTHORITY, "", "Enter the code"),
        (OrganisationKind.NHS_TRUST, "QMJ", "R or T"),
        (OrganisationKind.NHS_TRUST, "RJ12", "3 characters"),
        (OrganisationKind.INTEGRATED_CARE_BOARD, "RJ1", "starting with Q"),
        (OrganisationKind.INTEGRATED_CARE_BOARD, "E54000028", "starting with Q"),
        (OrganisationKind.GP_PRACTICE, "F8400", "five digits"),
        (OrganisationKind.POLICE, "E09000001", "E23000001"),
        (OrganisationKind.OTHER, "=cmd|' /C calc'!A0", "up to 20"),
    ],
)
def test_bad_codes_are_refused_saying_what_a_code_looks_like(kind, code, says):
    with pytest.raises(ValidationFailed) as refused:
        normalise_code(kind, code)
    assert refused.value.field == "code"
    assert says in refused.value.message


def actor(*permissions: str) -> Actor:
    return Actor(1, "someone", frozenset(), frozenset(permissions))


def test_a_named_signatory_signs_in_person():
    assert signing_capacity(actor("sharing.sign"), True) is SigningAs.SIGNATORY


def test_an_ig_officer_records_another_partys_signature_on_its_behalf():
    officer = actor("sharing.sign", "sharing.manage")
    assert signing_capacity(officer, False) is SigningAs.ON_BEHALF


@pytest.mark.parametrize(
    ("permissions", "named"), [(("sharing.sign",), False), ((), True), (("sharing.read",), True)]
)
def test_anyone_else_may_not_sign(permissions, named):
    with pytest.raises(PermissionDenied):
        signing_capacity(actor(*permissions), named)


# The smallest well-formed PDF: a catalog, an empty page tree, a cross-reference table
# whose offsets are right (the check parses the file, so they must be).
PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n"
)


def test_a_plain_pdf_passes():
    check_pdf(PDF, 1024)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "must be a PDF"),  # an image named .pdf
        (b"<html><script>alert(1)</script></html>", "must be a PDF"),
        (b"MZ\x90\x00" + PDF, "must be a PDF"),  # a program with a PDF inside it
        (PDF[:-20], "must be a PDF"),  # cut short: no end-of-file marker
        (b"%PDF-1.7\nstartxref\n%%EOF", "must be a PDF"),  # a header and nothing else
        (PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript >>"), "scripts"),
        (PDF + b" " * 2000, "smaller than"),
    ],
)
def test_anything_else_is_refused_by_its_content(data, says):
    with pytest.raises(ValidationFailed) as refused:
        check_pdf(data, 2048)
    assert says in refused.value.message
    assert refused.value.field == "document"


def test_the_digest_ignores_key_order_but_not_values():
    assert content_digest({"a": 1, "b": [1, 2]}) == content_digest({"b": [1, 2], "a": 1})
    assert content_digest({"a": 1}) != content_digest({"a": 2})


@pytest.mark.parametrize(
    ("start", "review", "end", "field"),
    [
        (TODAY, TODAY, TODAY - DAY, "ends_on"),
        (TODAY, TODAY - DAY, None, "review_on"),
        (TODAY, TODAY + 10 * DAY, TODAY + 5 * DAY, "review_on"),
    ],
)
def test_dates_must_be_in_order(start, review, end, field):
    with pytest.raises(ValidationFailed) as refused:
        check_dates(start, review, end)
    assert refused.value.field == field

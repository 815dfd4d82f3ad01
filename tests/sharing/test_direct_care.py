"""Caldicott Principle 7: for individual care, no agreement is not a flat "no"."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.people.models import OrganisationKind
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT
from ig.sharing import service
from ig.sharing.policy import load_sharing
from ig.sharing.rules import ShareAnswer, is_individual_care, sharing_answer
from tests import factories
from tests.sharing.conftest import TODAY

ASK = "/sharing/check?organisation={}&category=health&purpose={}"
API = "/api/v1/sharing/check?organisation={}&category=health&purpose={}"


@pytest.mark.parametrize(
    ("covered", "care", "answer"),
    [
        (True, True, ShareAnswer.YES),
        (True, False, ShareAnswer.YES),
        (False, True, ShareAnswer.CHECK_FOR_CARE),
        (False, False, ShareAnswer.NO),
    ],
)
def test_the_answer(covered, care, answer):
    assert sharing_answer(covered, care) is answer


@given(
    st.sampled_from(["direct_care", "hospital_discharge", "commissioning", "safeguarding"]),
    st.sampled_from(list(OrganisationKind)),
    st.frozensets(st.sampled_from(["direct_care", "hospital_discharge", "commissioning"])),
)
def test_individual_care_is_a_care_purpose_with_a_partner_that_gives_care(purpose, kind, care):
    expected = purpose in care and kind is not OrganisationKind.POLICE
    assert is_individual_care(purpose, kind, care) is expected


def test_the_policy_names_direct_care_and_what_to_check(policy):
    assert policy.direct_care_purposes == frozenset({"direct_care"})
    assert policy.direct_care_principle.startswith("Caldicott Principle 7")
    checks = " ".join(policy.direct_care_checks)
    for words in ("providing", "necessary", "proportionate", "objected", "minimum", "record"):
        assert words in checks


@pytest.fixture
def policy_dir(tmp_path):
    shutil.copy(PROJECT_ROOT / "policies" / "sharing.toml", tmp_path / "sharing.toml")
    return tmp_path


def rewrite(directory, old: str, new: str) -> None:
    path = directory / "sharing.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('purposes = ["direct_care"]', 'purposes = ["gossip"]', "direct_care.purposes"),
        ("checks = [", 'checks = ["  "]\nold_checks = [', "direct_care.old_checks"),
        ("checks = [", "nothing = 1\nchecks = [", "direct_care.nothing"),
    ],
)
def test_a_bad_direct_care_policy_names_the_key(policy_dir, old, new, key):
    rewrite(policy_dir, old, new)
    with pytest.raises(PolicyError, match=key):
        load_sharing(policy_dir)


def test_direct_care_checks_cannot_be_blank(policy_dir):
    text = (policy_dir / "sharing.toml").read_text()
    start = text.index("checks = [")
    (policy_dir / "sharing.toml").write_text(text[:start] + 'checks = [" "]\n')
    with pytest.raises(PolicyError, match=r"direct_care\.checks: must list what to check"):
        load_sharing(policy_dir)


def test_without_a_direct_care_section_every_purpose_keeps_the_plain_no(policy_dir):
    text = (policy_dir / "sharing.toml").read_text()
    (policy_dir / "sharing.toml").write_text(text[: text.index("[direct_care]")])
    assert load_sharing(policy_dir).direct_care_purposes == frozenset()


@pytest.fixture
def partners(db, policies):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    camden = factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    police = factories.make_organisation(db, "police", "E23000001", "Metropolitan Police")
    trust = factories.make_organisation(db, "nhs_trust", "RRV", "UCLH")
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [trust],
        categories=("health",),
        is_special_category=True,
        special_condition="art9_2h",
    )
    return camden, police, trust


@pytest.mark.parametrize(
    ("code", "purpose", "answer"),
    [
        ("E09000007", "direct_care", ShareAnswer.CHECK_FOR_CARE),
        ("E23000001", "direct_care", ShareAnswer.NO),  # the police give no care
        ("E09000007", "commissioning", ShareAnswer.NO),
        ("RRV", "direct_care", ShareAnswer.YES),
    ],
)
def test_the_check_answers_by_purpose_and_partner(db, policy, partners, code, purpose, answer):
    result = service.check_sharing(db, code, "health", purpose, TODAY, policy=policy)
    assert result.answer is answer


def test_without_the_policy_the_check_keeps_its_old_answer(db, partners):
    result = service.check_sharing(db, "E09000007", "health", "direct_care", TODAY)
    assert result.answer is ShareAnswer.NO


def test_the_page_for_direct_care_says_what_to_check_and_offers_to_record(
    client, login_as, db, policy, partners
):
    camden, _police, _trust = partners
    login_as("staff")
    db.commit()
    page = client.get(ASK.format("Camden", "direct_care"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "you may share it for this person's care" in text
    assert "Do not share unless" not in text
    assert "Caldicott Principle 7: the duty to share information for individual care" in text
    for check in policy.direct_care_checks:
        assert check.replace("'", "&#39;") in text
    href = text.split('class="govuk-button" href="')[1].split('"')[0].replace("&amp;", "&")
    assert ">Record the decision to share</a>" in text
    link = urlsplit(href)
    assert link.path == "/caldicott/requests/new"
    query = parse_qs(link.query)
    assert query["organisation"] == [str(camden.id)]
    assert query["type"] == ["other"]
    assert query["purpose"] == [
        "Direct care and support of the individual: sharing health information with Camden "
        "for the care of one person, which no agreement in force covers (Caldicott "
        "Principle 7). Record what was shared, with whom, when and why."
    ]


def test_the_prefilled_record_opens_filled_in(client, login_as, db, partners):
    camden, _police, _trust = partners
    login_as("staff")
    db.commit()
    text = client.get(ASK.format("Camden", "direct_care")).get_data(as_text=True)
    href = text.split('class="govuk-button" href="')[1].split('"')[0].replace("&amp;", "&")
    form = client.get(href)
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert "for the care of one person" in body
    assert f'<input type="hidden" name="organisation_id" value="{camden.id}">' in body
    assert f'name="organisation_name" type="text" value="{camden.name}"' in body


@pytest.mark.parametrize(
    ("code", "purpose"), [("E23000001", "direct_care"), ("Camden", "commissioning")]
)
def test_other_purposes_and_the_police_keep_the_plain_no(
    client, login_as, db, partners, code, purpose
):
    login_as("staff")
    db.commit()
    text = client.get(ASK.format(code, purpose)).get_data(as_text=True)
    assert "No agreement covers this. Do not share unless" in text
    assert "for this person's care" not in text
    assert ">Ask the Caldicott Guardian</a>" in text


def test_someone_who_cannot_raise_caldicott_requests_is_told_who_can(
    client, login_as, db, partners
):
    login_as("auditor")
    db.commit()
    text = client.get(ASK.format("Camden", "direct_care")).get_data(as_text=True)
    assert "you may share it for this person's care" in text
    assert "/caldicott/requests/new" not in text
    assert "Ask the IG team to record the decision." in text


def bearer(db, roles=("staff",)) -> dict[str, str]:
    user = factories.make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, SYSTEM, user, "dashboard", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_answers_check_for_care_with_the_checks_and_the_record_form(
    client, db, policy, partners
):
    camden, _police, _trust = partners
    body = client.get(API.format("E09000007", "direct_care"), headers=bearer(db)).get_json()
    assert (body["answer"], body["covered"]) == ("check_for_care", False)
    assert body["individual_care"] == {
        "principle": policy.direct_care_principle,
        "checks": list(policy.direct_care_checks),
    }
    link = urlsplit(body["caldicott_request_url"])
    assert link.path == "/caldicott/requests/new"
    assert parse_qs(link.query)["organisation"] == [str(camden.id)]


@pytest.mark.parametrize(
    ("code", "purpose", "answer", "has_url"),
    [
        ("E23000001", "direct_care", "no", True),
        ("E09000007", "commissioning", "no", True),
        ("RRV", "direct_care", "yes", False),
    ],
)
def test_the_api_keeps_yes_and_no(client, db, partners, code, purpose, answer, has_url):
    body = client.get(API.format(code, purpose), headers=bearer(db)).get_json()
    assert body["answer"] == answer
    assert body["covered"] is (answer == "yes")
    assert body["individual_care"] is None
    assert (body["caldicott_request_url"] is not None) is has_url


def test_the_api_gives_no_record_form_to_whoever_cannot_raise_requests(client, db, partners):
    headers = bearer(db, roles=("auditor",))
    body = client.get(API.format("E09000007", "direct_care"), headers=headers).get_json()
    assert body["answer"] == "check_for_care"
    assert body["caldicott_request_url"] is None


def test_the_openapi_document_describes_the_answer(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["paths"]["/sharing/check"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    properties = schema["properties"]
    assert properties["answer"]["enum"] == ["yes", "check_for_care", "no"]
    assert "Caldicott Principle 7" in properties["answer"]["description"]
    assert properties["individual_care"]["properties"]["checks"]["type"] == "array"
    assert "caldicott_request_url" in properties

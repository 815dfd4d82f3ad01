"""Browser check: the ICO report of a notified breach shows the six parts of the ICO's
form in order, every question answered or "Not yet known", fitting a laptop and a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.auth.service import actor_for
from ig.db import utcnow
from ig.incidents import notify, service
from ig.incidents.models import Answer, Kind, Likelihood
from ig.incidents.notification_models import Phase, Regulator
from ig.people.hierarchy import create_team
from ig.people.models import TeamKind
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e
HOUR = dt.timedelta(hours=1)
PARTS = [
    "Part 1 of 6: About your report",
    "Part 2 of 6: About the breach",
    "Part 3 of 6: Personal data and the people affected",
    "Part 4 of 6: Cyber incidents",
    "Part 5 of 6: Taking action",
    "Part 6 of 6: About your organisation",
]


def notified_breach(live_server: LiveServer, officer_id: int) -> str:
    """A breach recorded, graded and notified to the ICO as a real team would."""
    policies = live_server.policies
    policy = policies.incidents
    now = utcnow()
    with live_server.database.session_scope() as session:
        officer = actor_for(session.get(User, officer_id), policies)
        team = create_team(session, SYSTEM, f"Home Care {now.timestamp()}", TeamKind.TEAM)
        incident = service.report_incident(
            session,
            officer,
            policy,
            service.Report("Rota with clients' key safe codes e-mailed to an agency in error.",
                           now - 5 * HOUR, now - 4 * HOUR, team.id, False),
            now - 3 * HOUR,
        )  # fmt: skip
        service.triage_incident(
            session, officer, policy, incident, Kind.BREACH, now - 3 * HOUR, now - 3 * HOUR
        )
        details = service.Details(
            incident_type="email_wrong_recipient",
            is_confidentiality=True,
            is_integrity=False,
            is_availability=False,
            is_cyber=False,
            is_vulnerable=True,
            is_ongoing=False,
            data_categories=["basic_identifiers", "adult_social_care"],
            people_categories=["service_users", "vulnerable_adults"],
            people_count=14,
            records_count=14,
            others_told="The agency, which confirmed deletion",
            discovery="The agency rang the team the same morning.",
            containment="Agency deleted the e-mail; key safe codes changed the same day.",
            consequences="Risk of entry to the homes of 14 people receiving care.",
            investigation_notes="",
            significant_likelihood=Likelihood.NOT_LIKELY,
            preventative_measures="Rota sent only from the rostering system to named staff.",
            staff_guidance=Answer.YES,
            reported_before=Answer.NO,
        )
        service.update_details(session, officer, policy, incident, details, None, now - 2 * HOUR)
        notify.grade_incident(session, officer, policy, incident, 3, 3, now - 2 * HOUR)
        notify.record_notification(
            session, officer, incident, Regulator.ICO, Phase.INITIAL, now - HOUR, "IC-777001",
            "Initial report through the ICO's form", "", now - HOUR,
        )  # fmt: skip
        return incident.reference


@pytest.mark.parametrize("width", [1280, 390])
def test_the_ico_report_has_all_six_parts_and_no_blank_answer(
    live_server: LiveServer, open_page: OpenPage, width: int
) -> None:
    user = live_server.create_user("ig_officer", two_factor=True)
    reference = notified_breach(live_server, user.id)
    page = open_page(viewport={"width": width, "height": 900})
    page.sign_in_quickly(user, f"/incidents/{reference}/ico-report")
    assert page.heading == "ICO personal data breach report"

    headings = page.page.locator("main h2.govuk-heading-m").all_inner_texts()
    assert [h.strip() for h in headings] == PARTS
    for number in range(1, 7):
        part = page.page.locator(f"dl[data-part='{number}']")
        assert part.is_visible()
        answers = part.locator("dd").all_inner_texts()
        assert answers, number
        assert all(answer.strip() for answer in answers), number
    main = page.page.inner_text("main")
    assert "Follow-up report" in main
    assert "IC-777001" in main
    assert "Eastmere Borough Council" in main
    assert "Not likely" in main
    # The page itself never scrolls sideways.
    overflow = page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

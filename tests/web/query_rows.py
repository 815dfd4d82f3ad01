"""The rows each page of tests/web/test_query_counts.py lists, added ``count`` at a time.

Each ``add_*`` function gives a page more of the rows it lists, made through the
services where they are simple enough to call (so that the rows are as real as the
pages will see) and directly otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ig.db import london_today, utcnow
from tests import factories
from tests.caldicott.conftest import assess, sign
from tests.incidents.conftest import breach, report
from tests.web.query_world import World, numbers


def add_incidents(world: World, count: int) -> None:
    """Breaches in new teams (each team a row of the dashboard too), one just reported."""
    for _ in range(count):
        team = factories.make_team(world.db)
        breach(world.db, world.actor("staff"), world.officer, world.policies.incidents, team)
        report(world.db, world.actor("staff"), world.policies.incidents, team)


def add_home_rows(world: World, count: int) -> None:
    """Something on each feature's task list: incidents and Caldicott requests to deal
    with, and agreements to sign for organisations the user signs for (a task each)."""
    from ig.sharing.models import OrganisationSignatory

    add_incidents(world, count)
    for _ in range(count):
        request = factories.make_caldicott_request(world.db, world.user)
        assess(world.db, world.policies.caldicott, world.officer, request)
        organisation = factories.make_organisation(world.db)
        world.db.add(OrganisationSignatory(organisation_id=organisation.id, user_id=world.user.id))
        factories.make_sharing_agreement(
            world.db, world.policies.sharing, organisation, [world.own], signed=0
        )
    world.db.flush()


def add_team_staff(world: World, count: int) -> None:
    """People in a team the signed-in manager manages, none trained: overdue, each."""
    from ig.auth.rules import SYSTEM
    from ig.people import hierarchy

    hierarchy.add_team_manager(world.db, SYSTEM, world.fresh("team"), world.user.id)
    for _ in range(count):
        factories.make_staff(world.db, world.team)


def add_incident_rows(world: World, count: int) -> None:
    """Actions, staff involved, people affected and ICO notifications on the one incident
    (each on its timeline too)."""
    from ig.incidents import closure, involved

    db, incident, now = world.db, world.fresh("incident"), utcnow()
    for _ in range(count):
        owner = factories.make_user(db, roles=("manager",))
        due = london_today() + dt.timedelta(days=30)
        closure.add_action(db, world.officer, incident, "Refresher", owner.id, due, now)
        staff = factories.make_staff(db, world.team)
        involved.add_staff(db, world.officer, incident, staff.staff_number, now)
        involved.add_affected_person(
            db, world.officer, incident, f"CS-{next(numbers)}", "Someone", "", now
        )
        _notify(world, incident, now)


def _notify(world: World, incident: Any, now: dt.datetime) -> None:
    """An ICO notification of the incident: the initial one first, then follow-ups."""
    from ig.incidents import notify
    from ig.incidents.notification_models import Phase, Regulator
    from tests.incidents.conftest import answer_ico_form

    answer_ico_form(incident)
    phase = Phase.FOLLOW_UP if incident.first_notified_at else Phase.INITIAL
    notify.record_notification(
        world.db,
        world.officer,
        incident,
        Regulator.ICO,
        phase,
        now - dt.timedelta(minutes=1),
        f"ICO-{next(numbers)}",
        "What was sent",
        "Found late",
        now,
    )


def add_requests(world: World, count: int) -> None:
    """Requests from new organisations, assessed and signed, about the same person."""
    for _ in range(count):
        request = factories.make_caldicott_request(world.db, world.user)
        assess(world.db, world.policies.caldicott, world.officer, request)
        sign(world.db, world.policies.caldicott, world.guardian, request)


def add_request_rows(world: World, count: int) -> None:
    """Links to incidents and agreements, and earlier requests about the same person."""
    from ig.caldicott.links import link_record

    request, now = world.fresh("request"), utcnow()
    add_requests(world, count)
    for _ in range(count):
        incident = report(world.db, world.actor("staff"), world.policies.incidents, world.team)
        link_record(world.db, world.officer, request, "incident", incident.reference, now)
        agreement = factories.make_sharing_agreement(world.db, world.policies.sharing, world.own)
        link_record(world.db, world.officer, request, "agreement", agreement.reference, now)


def add_versions(world: World, count: int) -> None:
    """Amendments of the one decision, each assessed and signed: versions of its record."""
    from ig.caldicott.assessment import start_amendment
    from ig.caldicott.service import get_request

    # Loaded as the pages load it: sign_decision seals the version after setting its
    # fields, so a lazy load in between would flush the signature before the seal.
    request = get_request(world.db, world.officer, world.request.reference)
    for number in range(count):
        start_amendment(world.db, world.officer, request, f"Amendment {number}", utcnow())
        assess(world.db, world.policies.caldicott, world.officer, request)
        sign(world.db, world.policies.caldicott, world.guardian, request)


def add_notices(world: World, count: int) -> None:
    for _ in range(count):
        factories.make_notice(world.db, owner=factories.make_user(world.db, roles=("manager",)))


def add_reviews(world: World, count: int) -> None:
    """Reviews of the one notice, each an update adding a version of its text."""
    from ig.notices.models import ReviewOutcome
    from ig.notices.service import ReviewInput, review_notice

    notice = world.fresh("notice")
    for number in range(count):
        review = ReviewInput(
            london_today(),
            ReviewOutcome.UPDATED,
            f"Review {number}",
            text=f"Text {number}",
            effective_on=london_today(),
            approved_by="Data Protection Officer",
        )
        review_notice(
            world.db,
            world.officer,
            world.policies.notices,
            notice.id,
            review,
            notice.version,
            utcnow(),
        )


def add_agreements(world: World, count: int) -> None:
    for _ in range(count):
        partners = [factories.make_organisation(world.db) for _ in range(2)]
        factories.make_sharing_agreement(world.db, world.policies.sharing, world.own, partners)


def add_organisations(world: World, count: int) -> None:
    for _ in range(count):
        factories.make_organisation(world.db, name=f"Partner {next(numbers)}")


def add_signatories(world: World, count: int) -> None:
    """People who sign agreements for the one organisation of the user's own."""
    from ig.sharing.models import OrganisationSignatory

    for _ in range(count):
        user = factories.make_user(world.db, roles=("siro",))
        world.db.add(OrganisationSignatory(organisation_id=world.own.id, user_id=user.id))
    world.db.flush()


def add_council_agreements(world: World, count: int) -> None:
    """Agreements with the council, each with another partner too."""
    for _ in range(count):
        partners = [world.council, factories.make_organisation(world.db)]
        factories.make_sharing_agreement(world.db, world.policies.sharing, world.own, partners)


def add_agreement_rows(world: World, count: int) -> None:
    """Parties (each signed) and documents on the one agreement."""
    from ig.sharing import agreements, lifecycle
    from ig.sharing.models import AgreementDocument, PartyRole

    agreement, now = world.fresh("agreement"), utcnow()
    start = agreement.starts_on
    for number in range(count):
        partner = factories.make_organisation(world.db)
        party = agreements.add_party(
            world.db, world.officer, agreement, partner.id, PartyRole.RECIPIENT, start
        )
        data = lifecycle.SignatureInput("A Signatory", "Director", start, "e-mail")
        lifecycle.sign_agreement(world.db, world.officer, agreement, party.id, data, start, now)
        document = AgreementDocument(
            agreement_id=agreement.id,
            original_name=f"signed-{number}.pdf",
            size_bytes=100,
            sha256=f"{number:064d}",
            uploaded_at=now,
            uploaded_by_id=world.user.id,
        )
        world.db.add(document)
    world.db.flush()


def add_completions(world: World, count: int) -> None:
    """Completions of the one member of staff, a year apart, for every course."""
    codes = list(world.policies.training.courses)
    for _ in range(count):
        on = london_today() - dt.timedelta(days=365 * next(numbers))
        for code in codes:
            factories.make_completion(world.db, world.staff, code, on)


def add_staff(world: World, count: int) -> None:
    """People in post in the one team, each with a completion."""
    for _ in range(count):
        person = factories.make_staff(world.db, world.team)
        factories.make_completion(world.db, person, "DSA", london_today())


def add_rejections(world: World, count: int) -> None:
    """Rejected lines of the completions file."""
    _reject(world, "training_import", count)


def add_staff_rejections(world: World, count: int) -> None:
    """Rejected lines of the staff file."""
    _reject(world, "staff_import", count)


def _reject(world: World, name: str, count: int) -> None:
    from ig.training.models import ImportRejection

    job = world.fresh(name)
    start = job.rows_rejected
    world.db.add_all(
        ImportRejection(import_id=job.id, line=start + n + 2, reason="Unknown course")
        for n in range(count)
    )
    job.rows_rejected += count
    world.db.flush()


def add_tokens(world: World, count: int) -> None:
    """API tokens and other signed-in sessions of the signed-in user."""
    from ig.auth import service, tokens

    for number in range(count):
        tokens.create_token(world.db, world.officer, world.user, f"Token {number}", utcnow())
        service.start_session(world.db, world.user, f"browser {number}", utcnow())


def add_teams(world: World, count: int) -> None:
    for _ in range(count):
        factories.make_team(world.db)


def add_rights_requests(world: World, count: int) -> None:
    """Information rights requests, each with a pause of its clock."""
    from ig.rights.handling import pause_clock
    from ig.rights.models import PauseReason
    from ig.rights.service import RequestInput, log_request

    team = world.actor("information_rights_officer")
    today = london_today()
    for number in range(count):
        data = RequestInput(
            "subject_access", today - dt.timedelta(days=5), "email", f"Person {number}",
            f"ID-{next(numbers)}", "", "Their records",
        )  # fmt: skip
        item = log_request(world.db, team, world.policies.rights, data, utcnow())
        start = today - dt.timedelta(days=4)
        pause_clock(world.db, team, world.policies.rights, item.id, PauseReason.IDENTITY,
                    start, start + dt.timedelta(days=1), utcnow())  # fmt: skip


def add_rights_tasks(world: World, count: int) -> None:
    """Searches asked of the signed-in user, each on its own request and asset."""
    from ig.rights.fanout import add_tasks
    from ig.rights.service import RequestInput, log_request

    team = world.actor("information_rights_officer")
    for number in range(count):
        asset = factories.make_asset(world.db, owner=world.user, name=f"System {next(numbers)}")
        data = RequestInput(
            "erasure", london_today(), "email", f"Person {number}", "", "", "Erase my records",
        )  # fmt: skip
        item = log_request(world.db, team, world.policies.rights, data, utcnow())
        add_tasks(world.db, team, item.id, [asset.name], "Their case system", utcnow())

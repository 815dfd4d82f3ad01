"""The report form's team: typed into a picker, never a list of every team."""

from __future__ import annotations

from sqlalchemy import insert, select

from ig.db import utcnow
from ig.incidents.models import Incident
from ig.people.models import Team, TeamKind
from tests import factories
from tests.incidents.test_views import HOUR, date_fields


def _form(**changes):
    now = utcnow()
    return {
        "narrative": "Paperwork left in a meeting room",
        **date_fields("occurred", now - 3 * HOUR),
        **date_fields("found", now - 2 * HOUR),
        "is_ongoing": "no",
        **changes,
    }


def test_a_typed_team_is_the_team_involved(client, login_as, db):
    north = factories.make_team(db, name="Adults North")
    factories.make_team(db, name="Adults North East")
    user = login_as("staff")
    db.commit()
    response = client.post("/incidents/report", data=_form(team_name="adults north"))
    assert response.status_code == 302, response.get_data(as_text=True)
    incident = db.scalars(select(Incident).where(Incident.reporter_id == user.id)).one()
    assert incident.team_id == north.id


def test_the_form_starts_with_the_reporters_own_team(client, login_as, db):
    own = factories.make_team(db, name="Fostering West")
    user = login_as("staff")
    factories.make_staff(db, team=own, user_id=user.id)
    db.commit()
    page = client.get("/incidents/report").get_data(as_text=True)
    assert 'name="team_name" type="text" value="Fostering West"' in page
    assert f'<input type="hidden" name="team_id" value="{own.id}">' in page


def test_the_form_never_lists_every_team(client, login_as, db):
    db.execute(
        insert(Team),
        [{"name": f"Locality {i:04d}", "kind": TeamKind.TEAM, "path": "/"} for i in range(300)],
    )
    login_as("staff")
    db.commit()
    response = client.get("/incidents/report")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Locality 0000" not in page
    assert "<option" not in page
    assert len(page.encode()) < 40_000
    assert "/people/teams/search" in page

"""Home-page tasks from sharing: the IG team's reviews and signatures, a signatory's own."""

from __future__ import annotations

import datetime as dt

from ig.db import london_today
from ig.sharing import organisations
from tests import factories
from tests.sharing.conftest import OFFICER


def test_the_ig_officer_is_asked_to_chase_signatures_and_reviews(client, login_as, db, policies):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    factories.make_sharing_agreement(db, policies.sharing, own, [], signed=0)
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [factories.make_organisation(db)],
        signed=1,
        starts_on=london_today(),
    )
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [],
        starts_on=london_today() - dt.timedelta(days=10),
        review_on=london_today() + dt.timedelta(days=5),
    )
    login_as("ig_officer")
    db.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Review data-sharing agreements" in home
    assert "Collect signatures on data-sharing agreements" in home


def test_a_named_signatory_is_asked_to_sign_for_their_organisation(client, login_as, db, policies):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    camden = factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    factories.make_sharing_agreement(db, policies.sharing, own, [camden], signed=1)
    siro = login_as("siro")
    organisations.add_signatory(db, OFFICER, camden, siro.email)
    db.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Sign data-sharing agreements for Camden" in home


def test_staff_get_no_sharing_tasks(client, login_as, db, policies):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    factories.make_sharing_agreement(db, policies.sharing, own, [], signed=0)
    login_as("staff")
    db.commit()
    assert "data-sharing" not in client.get("/").get_data(as_text=True)

"""The register as CSV and as JSON: each request's clock and outcome, no requester."""

from __future__ import annotations

import csv
import datetime as dt
import io

import jsonschema_rs

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import london_today, utcnow
from ig.rights import handling, service
from ig.rights.models import Outcome
from tests import factories
from tests.rights.helpers import actor, request_input

TODAY = london_today()


def logged(db, policies, **fields):
    return service.log_request(db, actor(db), policies.rights, request_input(**fields), utcnow())


def bearer(db, *roles):
    user = factories.make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_the_csv_lists_the_clock_and_outcome_without_the_requester(client, db, login_as, policies):
    late = logged(db, policies, received_on=TODAY - dt.timedelta(days=60))
    handling.close_request(db, actor(db), late.id, Outcome.COMPLETE, TODAY, "", utcnow())
    logged(db, policies, type_key="foi", summary="=HYPERLINK(1)", requester_name="=cmd")
    login_as("information_rights_officer")
    response = client.get("/rights/export.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode()
    assert "Jo Bloggs" not in text
    assert "=cmd" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["reference"] for r in rows][-1] == late.reference
    assert rows[-1]["answered on time"] == "no"
    assert rows[-1]["deadline"] == late.due_on.isoformat()
    only_foi = client.get("/rights/export.csv?type=foi").data.decode()
    assert late.reference not in only_foi
    login_as("staff")
    assert client.get("/rights/export.csv").status_code == 403


def test_the_api_lists_the_register_to_its_schema(client, db, policies):
    item = logged(db, policies, received_on=TODAY - dt.timedelta(days=3))
    headers = bearer(db, "auditor")
    response = client.get("/api/v1/rights", headers=headers)
    assert response.status_code == 200
    (found,) = response.json["items"]
    assert (found["reference"], found["due_on"]) == (item.reference, item.due_on.isoformat())
    assert "Jo Bloggs" not in response.get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").json
    schema = document["paths"]["/rights"]["get"]["responses"]["200"]["content"]
    jsonschema_rs.validate(schema["application/json"]["schema"], response.json)
    assert client.get("/api/v1/rights?state=overdue", headers=headers).json["total"] == 0
    assert client.get("/api/v1/rights?type=nonsense", headers=headers).status_code == 422
    assert client.get("/api/v1/rights", headers=bearer(db, "staff")).status_code == 403

"""The request the README tells Power BI to make, made exactly, next links followed."""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.people.models import Organisation, OrganisationKind
from ig.settings import PROJECT_ROOT
from tests.factories import make_user

# The README's "Get Data > Web > Advanced" block: two URL parts and one header.
ADVANCED = re.compile(
    r"URL parts: +(?P<first>\S+)\n +(?P<second>\S+)\n"
    r"HTTP request header parameters: +(?P<header>\S+) +(?P<value>Bearer igt_\.\.\.)\n"
)


def test_the_readme_request_reads_every_row_by_next_links(client, db):
    found = ADVANCED.search((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "the README shows the URL parts and header Power BI is given"
    rows = [{"name": f"Partner {n}", "kind": OrganisationKind.OTHER} for n in range(2100)]
    db.execute(insert(Organisation), rows)
    user = make_user(db, roles=("auditor",))
    _token, raw = tokens.create_token(db, SYSTEM, user, "Power BI", utcnow(), scope="read-only")
    db.commit()
    # Power BI joins the URL parts as they are and sends the header as given.
    url = found["first"] + found["second"]
    headers = {found["header"]: found["value"].replace("igt_...", raw)}
    seen: list[int] = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
        seen += [row["id"] for row in response.json["value"]]
        url = response.json.get("@odata.nextLink")
        assert url is None or url.startswith(found["first"] + found["second"] + "?after=")
    assert seen == list(db.scalars(select(Organisation.id).order_by(Organisation.id)))
    assert len(seen) >= 2100  # three pages of the default 1000

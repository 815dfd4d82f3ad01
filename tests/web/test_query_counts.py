"""Every page that shows rows costs the same number of SQL statements however many rows.

The pages whose own tests already count them (the registers of incidents, Caldicott
requests, agreements, organisations, notices, staff, users, teams, the audit trail,
notifications and the outbox, the training pages and the incidents dashboard) are not
repeated here. For each other page: a small data set, a count, more of the rows the
page lists, the same count again; and each count is held under the bound in the table,
so that a page that starts to cost more shows in review.

A count is of every statement the request runs: the SAVEPOINTs of the test's
transaction and the audit entries that reading case detail writes included. A bound
is the larger of the two databases' counts (PostgreSQL's, by one on some pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests import factories
from tests.auth.helpers import without_tokens
from tests.queries import counting
from tests.web import query_rows as rows
from tests.web.query_world import World

MORE = 4  # rows added between the two counts; one is already there


@dataclass(frozen=True)
class Page:
    """A page (or API list or export), who looks at it, what it lists, and its bound."""

    url: str  # formatted with the World, e.g. "/incidents/{incident.reference}"
    role: str
    add: Callable[[World, int], None]
    bound: int
    api: bool = False

    def __str__(self) -> str:
        return f"{self.url} {self.role} {self.add.__name__}"


PAGES = [
    Page("/", "ig_officer", rows.add_home_rows, 19),  # + the rights team's deadlines
    Page("/", "caldicott_guardian", rows.add_home_rows, 16),
    # Home asks each feature for its tasks: a statement or two each. The manager's training
    # figures are computed, then stored in the shared cache (ig/cache.py): a look-up, then
    # a savepoint, the upsert and the prune of old figures (+5).
    Page("/", "manager", rows.add_team_staff, 21),
    Page("/account", "ig_officer", rows.add_tokens, 9),
    Page("/incidents/{incident.reference}", "ig_officer", rows.add_incident_rows, 24),
    Page("/incidents/{incident.reference}/print", "ig_officer", rows.add_incident_rows, 24),
    Page("/incidents/{incident.reference}/ico-report", "ig_officer", rows.add_incident_rows, 18),
    Page("/incidents/export.csv", "ig_officer", rows.add_incidents, 8),
    Page("/caldicott/requests/{request.reference}", "ig_officer", rows.add_versions, 14),
    Page("/caldicott/requests/{request.reference}", "ig_officer", rows.add_request_rows, 16),
    Page("/caldicott/requests/{request.reference}/record", "ig_officer", rows.add_versions, 11),
    Page("/caldicott/export.csv", "ig_officer", rows.add_requests, 4),
    Page("/caldicott/figures", "ig_officer", rows.add_requests, 6),
    Page("/notices/{notice.id}", "ig_officer", rows.add_reviews, 8),
    Page("/notices/export.csv", "ig_officer", rows.add_notices, 7),
    Page("/sharing/agreements/{agreement.id}", "ig_officer", rows.add_agreement_rows, 11),
    Page("/sharing/organisations/{own.id}", "ig_officer", rows.add_signatories, 11),
    Page("/sharing/register.csv", "ig_officer", rows.add_agreements, 6),
    Page(
        "/sharing/check?organisation={own.name}&category=identity&purpose=direct_care",
        "ig_officer",
        rows.add_agreements,
        9,
    ),
    Page("/people/organisations/search?q=Partner", "ig_officer", rows.add_organisations, 5),
    Page("/people/teams/search?q=Team", "ig_officer", rows.add_teams, 5),
    Page("/training/me", "ig_officer", rows.add_completions, 10),
    Page("/training/staff/{staff.id}", "ig_officer", rows.add_completions, 10),
    Page("/training/evidence.csv", "ig_officer", rows.add_staff, 18),  # + the cache, as "/"
    Page("/training/team.csv", "ig_officer", rows.add_staff, 11),
    Page("/training/overdue", "ig_officer", rows.add_staff, 6),
    Page("/training/imports/{training_import.id}", "ig_officer", rows.add_rejections, 6),
    Page("/people/imports/{staff_import.id}", "ig_officer", rows.add_staff_rejections, 6),
    Page("/api/v1/incidents", "ig_officer", rows.add_incidents, 9, api=True),
    Page(
        "/api/v1/incidents/{incident.reference}", "ig_officer", rows.add_incident_rows, 12, api=True
    ),
    Page(
        "/api/v1/sharing/check?organisation={council.code}&category=identity&purpose=direct_care",
        "ig_officer",
        rows.add_council_agreements,
        10,
        api=True,
    ),
    Page("/api/v1/caldicott/decisions", "ig_officer", rows.add_requests, 8, api=True),
    Page("/rights/export.csv", "ig_officer", rows.add_rights_requests, 6),
    Page("/api/v1/rights", "ig_officer", rows.add_rights_requests, 8, api=True),
    Page("/rights/tasks", "manager", rows.add_rights_tasks, 8),
    Page("/api/v1/training/compliance", "ig_officer", rows.add_staff, 18, api=True),  # + cache
]


@pytest.fixture
def signed_in(client, db, policies, login_as):
    """Sign in (a browser session, or a bearer token for the API) as ``page.role``."""
    from ig.auth import tokens
    from ig.db import utcnow

    def sign_in(page: Page) -> World:
        if not page.api:
            return World(db, policies, login_as(page.role))
        # A token only, as an API client sends: a browser session would be loaded too.
        world = World(db, policies, factories.make_user(db, roles=(page.role,)))
        _token, raw = tokens.create_token(db, world.officer, world.user, "counts", utcnow())
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return world

    return sign_in


def count(engine, client, url: str) -> tuple[int, str]:
    """Statements of a GET of url, after one GET that does any first-visit bookkeeping,
    and the page (without its CSRF tokens).

    The training figures' cache is emptied first, so that each count computes them.
    """
    from ig.training import cache

    assert client.get(url).data  # read to the end: a streamed export closes its cursor
    cache.clear()
    with counting(engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(statements), without_tokens(response.data)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_the_statement_count_does_not_grow_with_rows(client, db, engine, signed_in, page):
    world = signed_in(page)
    url = page.url.format_map(_Records(world))
    page.add(world, 1)
    db.commit()
    few, shown = count(engine, client, url)
    page.add(world, MORE)
    db.commit()
    many, shown_after = count(engine, client, url)
    assert shown_after != shown, f"{url}: the rows added do not show, so the test proves nothing"
    assert many == few, f"{url}: {few} statements, then {many} with {MORE} more rows"
    assert few <= page.bound, f"{url}: {few} statements, more than the table's {page.bound}"


class _Records(dict):
    """Looks a URL's placeholders up as the World's records, making each when first named."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, name: str) -> object:
        return getattr(self.world, name)


@pytest.mark.parametrize("roles", [("auditor",), ("auditor", "manager", "siro", "staff")])
@pytest.mark.parametrize("api", [False, True], ids=["browser", "api"])
def test_signing_a_request_in_costs_one_select(client, db, engine, login_as, roles, api):
    """The fixed cost of every signed-in request, however many roles: the session (or
    the API token) with its user and the user's roles, in one joined statement. Permissions and
    policies are read once at start-up, so checking them costs nothing. The two pages
    show nothing else (two-factor set-up, for someone not enrolled; the API's "me")."""
    from ig.auth import tokens
    from ig.auth.rules import SYSTEM
    from ig.db import utcnow

    if api:  # a token only: no browser session alongside
        user = factories.make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "counts", utcnow())
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        url = "/api/v1/me"
    else:
        login_as(*roles)
        url = "/account/two-factor"
    db.commit()
    client.get(url).close()  # the first use of a token records when it was used
    with counting(engine, selects_only=True) as statements:
        assert client.get(url).status_code == 200
    assert len(statements) == SIGN_IN_SELECTS, statements


SIGN_IN_SELECTS = 1

"""Each figure of the sharing section links to exactly the agreements it counts, in the
state they were in on the period's last day."""

from __future__ import annotations

import datetime as dt

from ig.auth.rules import Actor
from ig.feature import ReportPeriod
from ig.sharing import lifecycle
from ig.sharing.figures import sharing_section
from tests import factories
from tests.committing import commit_before_requests
from tests.figure_links import check_links

PERIOD = ReportPeriod(dt.date(2026, 4, 1), dt.date(2026, 6, 30), None)
MANAGE = Actor(None, "officer", frozenset(), frozenset({"sharing.manage"}))


def test_every_linked_figure_lists_exactly_its_agreements(client, db, login_as, policies):
    policy = policies.sharing
    owner, partner = factories.make_organisation(db), factories.make_organisation(db)

    def agreement(**fields):
        return factories.make_sharing_agreement(db, policy, owner, [partner], **fields)

    agreement()  # active
    agreement(signed=1)  # awaiting the partner's signature
    agreement(review_on=dt.date(2026, 8, 1))  # review due within 60 days
    agreement(review_on=dt.date(2026, 8, 1), ends_on=dt.date(2026, 8, 15))  # expiring
    ended = agreement()
    lifecycle.terminate_agreement(
        db, MANAGE, ended, dt.date(2026, 7, 15), "Service moved", dt.date(2026, 7, 20)
    )  # in force on 30 June, terminated since
    agreement(starts_on=dt.date(2026, 9, 1))  # signed, not started
    waiting, _none = factories.make_organisation(db), factories.make_organisation(db)
    factories.make_sharing_agreement(db, policy, owner, [waiting], signed=1)

    section = sharing_section(db, policies, PERIOD)
    values = {figure.key: figure.value for figure in section.figures}
    assert values["sharing.in_force"] == 4
    assert values["sharing.expiring"] == 1
    assert values["sharing.partners_not_signed_up"] == 2  # one awaiting signatures, one none
    checked = check_links(commit_before_requests(client, db), login_as, policies, section)
    assert set(checked) == {f.key for f in section.figures}

"""Following an IG report figure's link to its list, for each feature's figure-link test."""

from __future__ import annotations

import re
from typing import Any

from flask import url_for

from ig.feature import Figure, Section

TOTAL = re.compile(r"\((\d+) in all\)")


def linked(section: Section) -> dict[str, Figure]:
    """The section's figures that link to a list, by key."""
    return {figure.key: figure for figure in section.figures if figure.endpoint}


def link_of(client: Any, figure: Figure) -> str:
    """The address of the list behind ``figure``."""
    assert figure.endpoint is not None, figure.key
    with client.application.test_request_context():
        return url_for(figure.endpoint, **figure.args)


def role_holding(policies: Any, permission: str | None) -> str:
    """A role of policies/roles.toml that holds ``permission``."""
    return next(
        name for name, role in policies.roles.roles.items() if permission in role.permissions
    )


def listed_total(client: Any, login_as: Any, policies: Any, figure: Figure) -> int:
    """How many records the list behind ``figure`` shows, to someone holding its
    permission (the pagination's "(N in all)")."""
    login_as(role_holding(policies, figure.permission))
    response = client.get(link_of(client, figure))
    assert response.status_code == 200, figure.key
    found = TOTAL.search(response.get_data(as_text=True))
    assert found, figure.key
    return int(found.group(1))


def check_links(client: Any, login_as: Any, policies: Any, section: Section) -> None:
    """Each linked figure's list shows as many records as the figure counts."""
    for key, figure in linked(section).items():
        assert listed_total(client, login_as, policies, figure) == figure.value, key

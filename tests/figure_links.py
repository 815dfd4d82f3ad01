"""Following an IG report section's links: each list must hold exactly the figure's records.

A feature's figures test builds records in and out of a period, makes its section as
now known, and calls ``check_links`` with the test client (committing its set-up).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import url_for

from ig.feature import Figure, Section
from ig.policies import Policies

# The register's "Page 1 of 1 (3 in all)" line, from templates/_macros/pagination.html.
IN_ALL = re.compile(r"\((\d+) in all\)")


def paged_total(html: str) -> int:
    """The total a paged list shows under its table."""
    found = IN_ALL.search(html)
    assert found, "the list shows no total"
    return int(found.group(1))


def linked(section: Section) -> dict[str, Figure]:
    """The section's figures that link to a list, by key."""
    return {figure.key: figure for figure in section.figures if figure.endpoint}


def link_of(client: Any, figure: Figure) -> str:
    """The address of the list behind ``figure``."""
    assert figure.endpoint is not None, figure.key
    with client.application.test_request_context():
        return url_for(figure.endpoint, **figure.args)


def role_holding(policies: Policies, permission: str | None) -> str:
    """A role of policies/roles.toml that holds ``permission``."""
    return next(
        name for name, role in policies.roles.roles.items() if permission in role.permissions
    )


def check_links(
    client: Any,
    login_as: Callable[..., Any],
    policies: Policies,
    section: Section,
    total: Callable[[str], int] = paged_total,
    bases: dict[str, str] | None = None,
    one_record: tuple[str, ...] = (),
) -> list[str]:
    """Open every linked figure's list as a user holding its permission and check its
    total: a count's equals the figure's value; a percentage's, hours' or days' equals
    the count figure named in ``bases`` (by key). Figures linking to an endpoint of
    ``one_record`` (a record's own page) are only opened. The keys of those checked."""
    values = {figure.key: figure.value for figure in section.figures}
    signed_in: str | None = None
    checked = []
    for key, figure in linked(section).items():
        assert figure.permission, key
        if figure.permission != signed_in:
            login_as(role_holding(policies, figure.permission))
            signed_in = figure.permission
        url = link_of(client, figure)
        response = client.get(url)
        assert response.status_code == 200, (key, url)
        expected = values[(bases or {}).get(key, key)]
        counted = figure.unit == "count" or key in (bases or {})
        if counted and figure.endpoint not in one_record:
            assert total(response.get_data(as_text=True)) == expected, (key, url)
        checked.append(key)
    return checked

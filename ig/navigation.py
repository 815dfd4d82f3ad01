"""The service navigation: a handful of sections by what people do, each with its own pages.

The menu shows each section the signed-in person may use, linked to the first of its
pages they may open; the section they are in is marked. A section with more than one
page for them also shows its pages as a second row (``subnavigation``), the page they
are on marked there. Which permission a page needs is read from its view (the same
mark that enforces it), so the navigation can never offer a page that would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from flask_login import current_user

from ig.auth.access import current_actor, permission_of


@dataclass(frozen=True)
class Section:
    """A menu item: its ``pages`` (label, endpoint) and the endpoints that belong to it.

    ``owns`` holds endpoint prefixes (``"people."``) or whole endpoints: record pages
    such as an incident belong to their section without being in its menu.
    """

    label: str
    pages: tuple[tuple[str, str], ...]
    owns: tuple[str, ...]

    def is_current(self, endpoint: str) -> bool:
        return any(
            endpoint == owned or (owned.endswith(".") and endpoint.startswith(owned))
            for owned in self.owns
        ) or any(endpoint == target for _label, target in self.pages)


SECTIONS: tuple[Section, ...] = (
    Section(
        "Home",
        (("Your tasks", "home.index"), ("Notifications", "reminders.notifications")),
        ("home.",),
    ),
    Section(
        "Incidents",
        (
            ("Incident list", "incidents.index"),
            ("Actions", "incidents.actions"),
            ("Report an incident", "incidents.report"),
            ("Dashboard", "incidents.dashboard"),
            ("Look up a person affected", "incidents.lookup"),
        ),
        ("incidents.",),
    ),
    Section(
        "Caldicott",
        (
            ("Decision log", "caldicott.index"),
            ("Raise a request", "caldicott.new_request"),
            ("Queue", "caldicott.queue"),
            ("Search", "caldicott.search"),
            ("Annual figures", "caldicott.figures"),
        ),
        ("caldicott.",),
    ),
    Section(
        "Sharing",
        (
            ("Agreements", "sharing.index"),
            ("May we share?", "sharing.check"),
            ("Organisations", "sharing.organisations.index"),
            ("Calendar", "sharing.calendar"),
        ),
        ("sharing.",),
    ),
    Section(
        "Training",
        (
            ("Organisation", "training.organisation"),
            ("Overdue", "training.overdue"),
            ("Your teams", "training.team"),
            ("Your training", "training.mine"),
        ),
        ("training.",),
    ),
    Section("Privacy notices", (("Privacy notices", "notices.index"),), ("notices.",)),
    Section("DPIAs", (("DPIA register", "dpia.index"),), ("dpia.",)),
    Section(
        "Assets",
        (("Information assets", "assets.index"),),
        ("assets.",),
    ),
    Section("Contracts", (("Processor contracts", "contracts.index"),), ("contracts.",)),
    Section("Risks", (("IG risk register", "risks.index"),), ("risks.",)),
    Section(
        "Processing",
        (("Record of processing", "processing.index"),),
        ("processing.",),
    ),
    Section(
        "Access",
        (
            ("Ask for access", "access.new"),
            ("For your approval", "access.approvals"),
            ("To grant or remove", "access.keeper"),
            ("Recertify", "access.recertify_list"),
            ("Access report", "access.report"),
        ),
        ("access.",),
    ),
    Section(
        "Information rights",
        (
            ("Requests", "rights.index"),
            ("Log a request", "rights.new"),
            ("Figures", "rights.figures"),
        ),
        ("rights.",),
    ),
    Section("Reports", (("IG reports", "reports.index"),), ("reports.",)),
    Section(
        "Audit",
        (("Audit trail", "audit.index"), ("Encrypted fields", "audit.encrypted_fields")),
        ("audit.",),
    ),
    Section("DSPT", (("DSPT evidence", "dspt.index"),), ("dspt.",)),
    Section(
        "Admin",
        (
            ("Users", "auth.users"),
            ("Staff", "people.staff"),
            ("Teams", "people.teams"),
            ("Reminder outbox", "reminders.outbox"),
        ),
        ("auth.user", "auth.new_user", "auth.reset_password", "people.", "reminders.preview"),
    ),
)


@dataclass(frozen=True)
class Navigation:
    """What the layout shows: the menu items and the current section's own pages."""

    menu: list[dict[str, Any]]
    section: str = ""
    pages: tuple[dict[str, Any], ...] = ()


def usable_pages(section: Section, can: Any) -> list[tuple[str, str]]:
    """The section's pages whose view names a permission ``can`` grants."""
    return [
        (label, endpoint)
        for label, endpoint in section.pages
        if (needed := permission_of(current_app, endpoint)) is not None and can(needed)
    ]


def build_navigation() -> Navigation:
    """The navigation for the current request (empty when nobody is fully signed in)."""
    if not current_user.is_authenticated or getattr(current_user, "needs_two_factor", False):
        return Navigation([])
    actor = current_actor()
    endpoint = request.endpoint or ""
    menu: list[dict[str, Any]] = []
    current: tuple[Section, list[tuple[str, str]]] | None = None
    for section in SECTIONS:
        pages = usable_pages(section, actor.can)
        if not pages:
            continue
        item: dict[str, Any] = {"text": section.label, "href": url_for(pages[0][1])}
        if current is None and section.is_current(endpoint):
            current = (section, pages)
            # The menu marks the section; the page itself is marked in the section's
            # own row, so that only one link ever says it is this page.
            item["current" if len(pages) == 1 and endpoint == pages[0][1] else "active"] = True
        menu.append(item)
    if current is None or len(current[1]) < 2:
        return Navigation(menu)
    section, pages = current
    return Navigation(
        menu,
        section.label,
        tuple(
            {"text": label, "href": url_for(target), "current": target == endpoint}
            for label, target in pages
        ),
    )

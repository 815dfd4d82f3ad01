"""The register as CSV: the filtered rows, without any encrypted field, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.csv_cells import safe_cell
from ig.db import LONDON
from ig.errors import PermissionDenied
from ig.incidents.deadlines import clock_facts, deadline_status
from ig.incidents.models import Incident
from ig.incidents.notification_models import Notification, Regulator
from ig.incidents.register import RegisterFilter, initial_notification, register_query

CSV_HEADER = [
    "Reference", "Status", "Kind", "Type", "Team", "Reported", "Aware", "Deadline",
    "First ICO notification", "Likelihood", "Severity", "ICO notifiable", "DHSC notifiable",
    "Vulnerable people", "People affected (approx.)", "Closed", "ICO 72-hour deadline",
    "DHSC 72-hour deadline",
]  # fmt: skip


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def export_csv(
    session: Session, actor: Actor, filters: RegisterFilter, now: dt.datetime
) -> Iterator[str]:
    """The filtered register as CSV text chunks, without any encrypted field; audited."""
    if not actor.can("incidents.export"):
        raise PermissionDenied("You may not export the register")
    record(session, actor, "incident.register_exported", "incident", None, {}, at=now)
    dhsc_sent = (
        select(func.min(Notification.sent_at))
        .where(initial_notification(Regulator.DHSC))
        .correlate(Incident)
        .scalar_subquery()
    )
    query = (
        register_query(actor, filters, now)
        .add_columns(dhsc_sent.label("dhsc_sent"))
        .order_by(Incident.year, Incident.sequence)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for incident, team_name, sent in session.execute(query.execution_options(yield_per=1000)):
        deadlines = deadline_status(clock_facts(incident, sent), now)
        cells = [*_csv_row(incident, team_name), deadlines.ico.text, deadlines.dhsc.text]
        writer.writerow([safe_cell(cell) for cell in cells])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_row(incident: Incident, team_name: str) -> list[object]:
    return [
        incident.reference,
        incident.status.value,
        incident.kind.value if incident.kind else "",
        incident.incident_type or "",
        team_name,
        _when(incident.reported_at),
        _when(incident.aware_at),
        _when(incident.deadline_at),
        _when(incident.first_notified_at),
        incident.likelihood or "",
        incident.severity or "",
        "yes" if incident.is_ico_notifiable else "no",
        "yes" if incident.is_dhsc_notifiable else "no",
        "yes" if incident.is_vulnerable else "no",
        "" if incident.people_count is None else incident.people_count,
        _when(incident.closed_at),
    ]

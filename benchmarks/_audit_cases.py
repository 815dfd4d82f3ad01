"""The audit entries of the load benchmark's incidents, Caldicott requests and access
grants, as their services write them (ig/incidents/service.py, notify.py, closure.py;
ig/caldicott/service.py, assessment.py, signoff.py; ig/access/service.py,
recertification.py), each at a time its record's own dates imply.

Each of SELECTS is a SELECT of (at, actor_id, actor_label, action, record_type,
record_id, detail) that _audit_data.py inserts into its staging table; ``:now`` is the
latest instant an entry may carry, ``:today`` its UK date.
"""

from __future__ import annotations


def utc(day: str, hours: int) -> str:
    """SQL: the instant ``hours`` after midnight UTC on the date ``day``."""
    return f"(({day}) + make_interval(hours => {hours}))::timestamp AT TIME ZONE 'UTC'"


def roll(value: str, salt: str, below: int) -> str:
    """SQL: a number from 0 to ``below`` - 1 that looks random but is fixed by ``value``."""
    return f"mod(abs(hashtext(({value})::text || '{salt}')), {below})"


# --- incidents: the timeline's events, each with the detail log_event gives it ---------

TRIAGED = "i.aware_at + interval '20 minutes'"  # triage follows awareness, grading follows
STATUS = "jsonb_build_object('status', i.status)"


def _incident(action: str, at: str, actor: str, detail: str, where: str, join: str = "") -> str:
    return (
        f"SELECT LEAST({at}, :now), u.id, u.email, 'incident.{action}', 'incident', "
        f"i.reference, {detail} FROM incidents i {join} JOIN users u ON u.id = {actor} "
        f"WHERE {where}"
    )


_ACTIONS = "JOIN incident_actions a ON a.incident_id = i.id"
_NOTIFIED = (
    "jsonb_build_object('regulator', 'ico', 'phase', 'initial', "
    "'not_yet_known', '[]'::jsonb, 'follow_up_on', NULL)"
)
_DETAILS = (
    "jsonb_build_object('fields', jsonb_build_array('incident_type', 'data_categories', "
    "'people_categories', 'people_count'), 'incident_type', i.incident_type)"
)
_GRADED = (
    "jsonb_build_object('likelihood', i.likelihood, 'severity', i.severity, "
    "'policy', i.grading_version)"
)
_TRIAGED_ONES = "i.aware_at IS NOT NULL"
INCIDENTS = [
    ("incident.reported", _incident("reported", "i.reported_at", "i.reporter_id",
                                    "jsonb_build_object('status', 'reported')", "true")),
    ("incident.withdrawn", _incident("withdrawn", "i.reported_at + interval '1 day'",
                                     "i.owner_id", STATUS, "i.status = 'withdrawn'")),
    ("incident.duplicate", _incident("duplicate", "i.reported_at + interval '1 day'",
                                     "i.owner_id", STATUS, "i.status = 'duplicate'")),
    ("incident.triaged", _incident("triaged", TRIAGED, "i.owner_id",
                                   "jsonb_build_object('status', 'triaged')", _TRIAGED_ONES)),
    ("incident.details_updated", _incident("details_updated", f"{TRIAGED} + interval '5 minutes'",
                                           "i.owner_id", _DETAILS, _TRIAGED_ONES)),
    ("incident.graded", _incident("graded", f"{TRIAGED} + interval '10 minutes'", "i.owner_id",
                                  _GRADED, "i.likelihood IS NOT NULL")),
    ("incident.action_added", _incident(
        "action_added", f"{TRIAGED} + interval '15 minutes' + a.id * interval '1 second'",
        "i.owner_id", "jsonb_build_object('action_id', a.id)", _TRIAGED_ONES, _ACTIONS)),
    ("incident.investigating", _incident(
        "investigating", f"{TRIAGED} + interval '20 minutes'", "i.owner_id", "'{}'::jsonb",
        f"{_TRIAGED_ONES} AND i.status IN ('investigating', 'notified', 'closed')")),
    ("incident.notified", _incident("notified", "i.first_notified_at + interval '10 minutes'",
                                    "i.owner_id", _NOTIFIED, "i.first_notified_at IS NOT NULL")),
    ("incident.action_done", _incident(
        "action_done", "i.closed_at - interval '1 hour' + a.id * interval '1 second'",
        "i.owner_id", "'{}'::jsonb", "a.status = 'done' AND i.closed_at IS NOT NULL", _ACTIONS)),
    ("incident.closed", _incident("closed", "i.closed_at", "i.owner_id", "'{}'::jsonb",
                                  "i.closed_at IS NOT NULL")),
]  # fmt: skip


# --- Caldicott requests: raised, each version assessed (or amended) and signed ---------


def _caldicott(action: str, at: str, actor: str, detail: str, where: str = "true") -> str:
    return (
        f"SELECT {at}, u.id, u.email, 'caldicott.{action}', 'caldicott_request', r.reference, "
        f"{detail} FROM caldicott_decisions d JOIN caldicott_requests r ON r.id = d.request_id "
        f"LEFT JOIN caldicott_decisions p ON p.id = d.supersedes_id "
        f"JOIN users u ON u.id = {actor} WHERE {where}"
    )


_SUBJECTS = "(SELECT count(*) FROM caldicott_subjects s WHERE s.request_id = r.id)"
_SIGNED = (
    "jsonb_build_object('version', d.number, 'capacity', d.signed_capacity, "
    "'outcome', d.outcome, 'digest', d.digest)"
)
CALDICOTT = [
    ("caldicott.requested", (
        f"SELECT {utc('r.received_on', 9)}, u.id, u.email, 'caldicott.requested', "
        f"'caldicott_request', r.reference, jsonb_build_object('type', r.request_type, "
        f"'identifiers', {_SUBJECTS}) FROM caldicott_requests r "
        "JOIN users u ON u.id = r.raised_by_id")),
    ("caldicott.amendment_started", _caldicott(
        "amendment_started", "p.signed_at + interval '2 hours'", "d.assessed_by_id",
        "jsonb_build_object('version', d.number, 'supersedes', p.number)",
        "d.supersedes_id IS NOT NULL")),
    ("caldicott.assessed", _caldicott(
        "assessed", "COALESCE(p.signed_at + interval '3 hours', d.assessed_at)",
        "d.assessed_by_id", "jsonb_build_object('version', d.number)")),
    ("caldicott.signed", _caldicott("signed", "d.signed_at", "d.signed_by_id", _SIGNED,
                                    "d.signed_at IS NOT NULL")),
]  # fmt: skip


# --- access: asked for, approved, granted, recertified each cycle, removed --------------


def _access(action: str, at: str, actor: str, detail: str, where: str) -> str:
    return (
        f"SELECT LEAST({at}, :now), u.id, u.email, 'access.{action}', 'access_request', "
        f"a.id::text, {detail} FROM access_requests a JOIN users u ON u.id = {actor} "
        f"WHERE {where}"
    )


_REQUESTED = (
    "jsonb_build_object('asset_id', a.asset_id, 'staff_id', a.staff_id, 'level', a.level, "
    "'policy_version', CAST(:access_version AS text))"
)
# Each recertification (the line manager's, every cycle back to the grant) set the next
# date: the latest one the date the register holds now.
_CYCLE = "make_interval(months => CAST(:recertify_months AS integer) * k)"
_RECERTIFICATIONS = (
    "SELECT a.id, a.decided_by_user_id AS who, a.granted_on, "
    f"(a.recertify_by - {_CYCLE})::date AS day, "
    f"(a.recertify_by - {_CYCLE.replace('* k', '* (k - 1)')})::date AS until "
    "FROM access_requests a CROSS JOIN generate_series(1, 12) AS k "
    "WHERE a.status = 'granted' AND a.recertify_by IS NOT NULL"
)
ACCESS = [
    ("access.requested", _access("requested", "a.requested_at", "a.requested_by_user_id",
                                 _REQUESTED, "true")),
    ("access.approved", _access("approved", "a.decided_at", "a.decided_by_user_id",
                                "'{}'::jsonb", "a.decided_at IS NOT NULL")),
    ("access.granted", _access(
        "granted", utc("a.granted_on", 10), "a.granted_by_user_id",
        "jsonb_build_object('granted_on', to_char(a.granted_on, 'YYYY-MM-DD'))",
        "a.granted_on IS NOT NULL")),
    ("access.recertified", (
        f"SELECT {utc('c.day', 11)}, u.id, u.email, 'access.recertified', 'access_request', "
        "c.id::text, jsonb_build_object('recertify_by', to_char(c.until, 'YYYY-MM-DD'), "
        f"'policy_version', CAST(:access_version AS text)) FROM ({_RECERTIFICATIONS}) c "
        "JOIN users u ON u.id = c.who WHERE c.day > c.granted_on AND c.day <= :today")),
    ("access.removed", _access(
        "removed", utc("a.removed_on", 10), "a.removed_by_user_id",
        "jsonb_build_object('removed_on', to_char(a.removed_on, 'YYYY-MM-DD'))",
        "a.removed_on IS NOT NULL")),
]  # fmt: skip

SELECTS = INCIDENTS + CALDICOTT + ACCESS

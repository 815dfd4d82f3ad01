"""The everyday volume of the load benchmark's audit trail, around the registers' own
entries: the users' accounts (ig/auth/service.py), two years of signing in and out on
working days with the odd mistyped password, and the views of encrypted case detail the
design requires to be audited (ig/incidents/service.py, ig/caldicott/service.py,
ig/dpia/service.py): about ten per incident, fewer per request and DPIA.
"""

from __future__ import annotations

from benchmarks._audit_cases import roll, utc
from benchmarks._audit_registers import DPIA_STARTED

_TODAY = "CAST(:today AS date)"
_ROLES = "(SELECT COALESCE(jsonb_agg(r.role ORDER BY r.role), '[]'::jsonb) FROM user_roles r " \
    "WHERE r.user_id = u.id)"  # fmt: skip
# Each user's working days of the last two years, three in four of which they sign in.
_DAYS = (
    f"(SELECT u.id AS user_id, {_TODAY} - n AS day, n FROM users u "
    "CROSS JOIN generate_series(0, 729) AS n) d JOIN users u ON u.id = d.user_id"
)
_DAY = "d.user_id || '/' || d.n"  # one user's one day
_WORKED = f"extract(isodow FROM d.day) < 6 AND {roll(_DAY, 'in', 4)} > 0"
_SIGNED_IN = f"{utc('d.day', 8)} + {roll(_DAY, 'at', 90)} * interval '1 minute'"


def _signing(action: str, at: str, detail: str, where: str) -> str:
    return (
        f"SELECT LEAST({at}, :now), u.id, u.email, '{action}', 'user', u.id::text, {detail} "
        f"FROM {_DAYS} WHERE {where}"
    )


ACCOUNTS = [
    ("user.created", (
        f"SELECT {utc(f'{_TODAY} - 800 - u.id', 9)}, NULL, 'command line', 'user.created', "
        f"'user', u.id::text, jsonb_build_object('roles', {_ROLES}) FROM users u")),
    ("login", _signing("login", _SIGNED_IN, "'{}'::jsonb", _WORKED)),
    ("logout", _signing("logout", f"{_SIGNED_IN} + interval '8 hours'", "'{}'::jsonb",
                        f"{_WORKED} AND mod(d.n, 3) > 0")),
    ("login.failed", (
        f"SELECT LEAST({_SIGNED_IN} - interval '1 minute', :now), NULL, 'system', "
        "'login.failed', 'user', u.id::text, jsonb_build_object('address', '10.20.0.' || "
        f"mod(u.id, 250)) FROM {_DAYS} WHERE {_WORKED} AND "
        f"{roll(_DAY, 'typo', 40)} = 0")),
]  # fmt: skip


def _views(action: str, record: str, at: str, actor: str, detail: str, source: str,
           most: int) -> str:  # fmt: skip
    """SQL: up to ``most`` views of each row of ``source`` (``k``: the view's number)."""
    record_type, key = record.split(":")
    return (
        f"SELECT LEAST({at}, :now), u.id, u.email, '{action}', '{record_type}', ({key})::text, "
        f"{detail} FROM {source} CROSS JOIN generate_series(1, {most}) AS k "
        f"JOIN users u ON u.id = {actor} WHERE k <= {roll(key, 'views', most + 1)}"
    )


VIEWS = [
    ("incident.detail_viewed", _views(
        "incident.detail_viewed", "incident:i.reference",
        f"i.reported_at + k * interval '19 hours' + {roll('i.id + k', 'v', 600)} "
        "* interval '1 minute'", "CASE WHEN mod(k, 3) = 0 THEN i.reporter_id ELSE i.owner_id END",
        "jsonb_build_object('purpose', CASE WHEN mod(k, 5) = 0 THEN 'printable view' "
        "ELSE 'incident page' END)", "incidents i", 20)),
    ("caldicott.detail_viewed", _views(
        "caldicott.detail_viewed", "caldicott_request:r.reference",
        utc("r.received_on + k", 11), "CASE WHEN mod(k, 2) = 0 THEN 1 ELSE r.raised_by_id END",
        "jsonb_build_object('view', 'page')", "caldicott_requests r", 8)),
    ("dpia.detail_viewed", _views(
        "dpia.detail_viewed", "dpia:d.id", f"{utc(DPIA_STARTED, 12)} + k * interval '4 days'",
        "d.owner_user_id", "'{}'::jsonb", "dpias d", 30)),
]  # fmt: skip

SELECTS = ACCOUNTS + VIEWS

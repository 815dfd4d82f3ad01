"""The training API: compliance figures for dashboards, completions from the learning system."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, jsonify
from sqlalchemy import select

from ig import bounds
from ig.api import endpoint, params
from ig.api.body import read_json
from ig.audit.service import Page, record
from ig.auth.access import current_actor
from ig.db import get_session, london_today, utcnow
from ig.errors import problem
from ig.people.models import Staff
from ig.people.service import get_team, subtree_team_ids, visible_team_ids
from ig.training.cache import cached, is_settled
from ig.training.figures import Figure, course_figures, overall, team_figures
from ig.training.import_apply import insert_completions
from ig.training.import_rows import check_completion
from ig.training.models import CompletionSource
from ig.training.rules import Basis

MAX_COMPLETIONS = 5000
FIGURE = {
    "type": "object",
    "properties": {
        name: {"type": "integer"}
        for name in ("compliant", "expiring_soon", "overdue", "not_yet_due", "exempt", "counted")
    }
    | {"percent": {"type": "number"}, "meets_target": {"type": "boolean"}},
}


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "compliant": figure.n_compliant,
        "expiring_soon": figure.n_expiring,
        "overdue": figure.n_overdue,
        "not_yet_due": figure.n_not_yet_due,
        "exempt": figure.n_exempt,
        "counted": figure.denominator,
        "percent": figure.percent,
        "meets_target": figure.meets_target,
    }


def _on() -> dt.date:
    return params.date("on") or london_today()


BASIS_FIGURES = {
    "type": "object",
    "properties": {
        "overall": FIGURE,
        "courses": {"type": "array", "items": FIGURE},
        "teams": {"type": "array", "items": FIGURE},
    },
}


@endpoint(
    "/training/compliance",
    "GET",
    "Training compliance on a date: overall, per course and per team (with teams below). "
    "For a past date there are two readings: as recorded then (what ig held at the end of "
    "that day, reproducible; the top-level figures) and as now known (also counting "
    "completions recorded later but dated on or before it, as a learning system's late "
    "export). Both are under figures; evidence_basis names the one policies/training.toml "
    "gives the DSPT evidence.",
    "training.view_team",
    not_found=True,
    parameters=[
        {
            "name": "on",
            "in": "query",
            "required": False,
            "schema": params.date_schema(),
            "description": "as-of date, YYYY-MM-DD (today); a past date gives both readings",
        },
        {
            "name": "team_id",
            "in": "query",
            "required": False,
            "schema": params.integer_schema(),
            "description": "only this team and the teams below it",
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": params.integer_schema(maximum=params.MAX_PAGE),
            "description": "page of teams",
        },
    ],
    response={
        "type": "object",
        "properties": {
            "on": {"type": "string", "format": "date"},
            "basis": {"type": "string", "enum": [b.value for b in Basis]},
            "evidence_basis": {"type": "string", "enum": [b.value for b in Basis]},
            "overall": FIGURE,
            "courses": {"type": "array"},
            "teams": {"type": "array"},
            "figures": {
                "type": "object",
                "description": "the same figures on each basis (identical for today)",
                "properties": {b.value: BASIS_FIGURES for b in Basis},
            },
        },
    },
)
def compliance() -> Any:
    """Managers get their own teams only; IG, SIRO and auditors the whole organisation."""
    session = get_session()
    policy = current_app.extensions["ig.policies"].training
    on = _on()
    scope = visible_team_ids(session, current_actor())
    team_id = params.integer("team_id")
    if team_id is not None:
        scope = subtree_team_ids(get_team(session, team_id, scope))
    page = params.page_number()
    today = london_today()
    # Scoped answers are cached per user: managers and their teams are in the data stamp.
    who = None if scope is None else current_actor().user_id

    def figures(basis: Basis) -> dict[str, Any]:
        def compute() -> tuple[list[Figure], Page]:
            courses = course_figures(session, policy, on, scope, basis=basis)
            teams = team_figures(
                session, policy, on, team_ids=scope, page=page, per_page=200, basis=basis
            )
            return courses, teams

        key = ("api-compliance", policy.fingerprint, who, team_id, on, page, basis.value)
        courses, teams = cached(session, key, compute, past=is_settled(on, today, basis))
        return _body(policy, courses, teams)

    recorded = figures(Basis.AS_RECORDED)
    known = figures(Basis.AS_NOW_KNOWN) if on < today else recorded
    return jsonify(
        {
            "on": on.isoformat(),
            "target_percent": policy.target_percent,
            "policy_version": policy.version,
            "basis": Basis.AS_RECORDED.value,
            "evidence_basis": policy.evidence_basis,
            **recorded,
            "figures": {Basis.AS_RECORDED.value: recorded, Basis.AS_NOW_KNOWN.value: known},
        }
    )


def _body(policy: Any, courses: list[Figure], teams: Page) -> dict[str, Any]:
    return {
        "overall": _figure(overall(courses, "All courses", policy.target_percent)),
        "courses": [
            {"code": code, "title": course.title, **_figure(f)}
            for (code, course), f in zip(policy.courses.items(), courses, strict=True)
        ],
        "teams": [
            {"id": t.team_id, "name": t.name, "kind": t.kind, **_figure(t.figure)}
            for t in teams.rows
        ],
        "page": teams.page,
        "pages": teams.pages,
    }


ITEM = {
    "type": "object",
    "required": ["staff_number", "course_code", "completed_on"],
    "properties": {
        "staff_number": {"type": "string", "minLength": 1, "maxLength": bounds.REFERENCE},
        "course_code": {"type": "string", "minLength": 1, "maxLength": bounds.REFERENCE},
        "completed_on": params.date_schema(),
    },
}


@endpoint(
    "/training/completions",
    "POST",
    "Record completions in bulk (all or none); repeats of recorded completions change nothing",
    "training.record",
    request_body={
        "type": "object",
        "required": ["completions"],
        "properties": {
            "completions": {
                "type": "array",
                "items": ITEM,
                "minItems": 1,
                "maxItems": MAX_COMPLETIONS,
            }
        },
    },
    response={
        "type": "object",
        "properties": {"added": {"type": "integer"}, "unchanged": {"type": "integer"}},
    },
)
def post_completions() -> Any:
    body = read_json()
    items = body.get("completions") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or len(items) > MAX_COMPLETIONS:
        return problem(
            422,
            "Invalid request",
            f'Send {{"completions": [...]}} with 1 to {MAX_COMPLETIONS} items',
        )
    session = get_session()
    policy = current_app.extensions["ig.policies"].training
    rows, errors = _check(session, items, set(policy.courses))
    if errors:
        return problem(
            422,
            "Some completions are invalid; nothing was recorded",
            "Fix the listed items and send them all again",
            errors=errors,
        )
    actor = current_actor()
    added, unchanged = insert_completions(session, actor, rows, CompletionSource.API, utcnow())
    record(
        session,
        actor,
        "training.completions_posted",
        None,
        None,
        {"added": added, "unchanged": unchanged},
    )
    session.commit()
    return jsonify({"added": added, "unchanged": unchanged})


def _check(session: Any, items: list[Any], courses: set[str]) -> tuple[list[Any], list[Any]]:
    numbers = {str(i.get("staff_number", "")).strip() for i in items if isinstance(i, dict)}
    query = select(Staff.staff_number, Staff.id).where(Staff.staff_number.in_(numbers))
    staff_ids = dict(session.execute(query).all())
    rows, errors, seen = [], [], set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append({"index": index, "reason": "each item must be an object"})
            continue
        values = {
            key: str(item.get(key, "")).strip()
            for key in ("staff_number", "course_code", "completed_on")
        }
        try:
            _check_text(values)
            row = check_completion(values, staff_ids, courses, london_today())
            if not bounds.is_date_in_range(row.completed_on):
                raise ValueError(f"completed_on: {bounds.DATE_MESSAGE}")
        except ValueError as error:
            errors.append({"index": index, "reason": str(error)})
            continue
        if row in seen:
            errors.append({"index": index, "reason": "repeats an earlier item"})
            continue
        seen.add(row)
        rows.append(row)
    return rows, errors


def _check_text(values: dict[str, str]) -> None:
    """ValueError unless the item's staff number and course code are within ig.bounds."""
    for key in ("staff_number", "course_code"):
        problem = bounds.text_problem(values[key], bounds.REFERENCE)
        if problem is not None:
            raise ValueError(f"{key}: {problem}")

"""The pickers' suggestions as JSON: ids and names only, a few at a time, for the
autocomplete that enhances each organisation and team search field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from ig import bounds
from ig.auth.access import current_actor, requires
from ig.db import get_session
from ig.errors import problem
from ig.people import pickers
from ig.people.service import visible_team_ids

bp = Blueprint("pickers", __name__)


def _suggestions(kind: pickers.Kind, scope: pickers.Scope = None) -> Response:
    text = request.args.get("q", "")
    refused = bounds.text_problem(text, bounds.SEARCH)
    if refused:
        return problem(422, "Search text refused", refused)
    found = pickers.search(get_session(), kind, text, scope)
    return jsonify([{"id": c.id, "name": c.name} for c in found])


@bp.get("/organisations/search")
# Every role that filters or picks by organisation (the Caldicott log, the sharing
# register, agreements) may ask "may we share with this organisation?", so the partner
# names the check offers are what these pages offer.
@requires("sharing.check")
def organisations() -> Any:
    return _suggestions(pickers.ORGANISATIONS)


@bp.get("/teams/search")
# Teams are offered to those who see teams' records; a manager only their own teams.
@requires("training.view_team")
def teams() -> Any:
    return _suggestions(pickers.TEAMS, visible_team_ids(get_session(), current_actor()))

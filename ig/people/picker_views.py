"""The pickers' suggestions as JSON: ids and names only, a few at a time, for the
autocomplete that enhances each organisation, team and person search field; and reading
a filter's or a form's picker from the request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from wtforms import Field

from ig import bounds
from ig.auth.access import requires
from ig.db import get_session
from ig.errors import problem
from ig.people import pickers

bp = Blueprint("pickers", __name__)


def picked_from(
    kind: pickers.Kind, text: Field, chosen: Field, scope: pickers.Scope = None
) -> pickers.Picked:
    """What a filter's picker asks for: its typed ``text`` field (None when the query
    string lacks it, as in a link carrying the id alone) and its ``chosen`` id field.

    A problem (nothing or several match) is shown beside the text field.
    """
    typed = text.data if text.name in request.args else None
    picked = pickers.resolve(get_session(), kind, typed, chosen.data, scope)
    if picked.problem:
        text.errors = [picked.problem]
    return picked


def picked_in(
    kind: pickers.Kind,
    text: Field,
    chosen: Field,
    *,
    current: int | None = None,
    required: str | None = None,
    scope: pickers.Scope = None,
) -> pickers.Picked:
    """A form's picker: on a submit, its typed ``text`` resolved (``chosen`` deciding
    among matches; alone when no text was sent); otherwise the record ``current`` names,
    as the field's value.

    Call after the form's own validation. A problem (nothing or several match, or
    nothing typed when ``required`` says what to choose) is set on the text field, so
    the form shows it and is not saved; ``chosen`` is left holding the id picked.
    """
    if request.method != "POST":
        return pickers.resolve(get_session(), kind, None, current, scope)
    typed, chosen_id = text.data or "", chosen.data
    if text.name not in request.form:  # the id alone; one that is not an id picks nothing
        typed, chosen_id = None, chosen_id or (-1 if any(chosen.raw_data or ()) else None)
    picked = pickers.resolve(get_session(), kind, typed, chosen_id, scope)
    problem = picked.problem or (required if picked.chosen is None else None)
    if problem:
        text.errors = [*text.errors, problem]
    chosen.data = picked.chosen.id if picked.chosen else None
    return picked


def filter_id(picked: pickers.Picked) -> int | None:
    """The id to filter by: None when nothing was typed; -1 (matching nothing) when what
    was typed is not yet one choice, so a list never claims to be filtered when it is not."""
    if picked.chosen:
        return picked.chosen.id
    return -1 if picked.problem else None


def suggestions(kind: pickers.Kind, scope: pickers.Scope = None) -> Response:
    """The search's answer to ``?q=``: a JSON list of ids and names; 422 for refused text.
    The route calling it names the permission, that of the form the picker is in."""
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
    return suggestions(pickers.ORGANISATIONS)


@bp.get("/teams/search")
# Every signed-in person sees every team's name when reporting an incident, and the
# pages that filter by team (the incident register, training) need different
# permissions; the page resolving the choice keeps to the teams it may show.
@requires("home.view")
def teams() -> Any:
    return suggestions(pickers.TEAMS)

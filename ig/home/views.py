"""The home page and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ig.auth.access import current_actor, public, requires
from ig.db import get_session
from ig.home.service import list_tasks

bp = Blueprint("home", __name__)


@bp.get("/")
@requires("home.view")
def index() -> Any:
    sources = current_app.extensions["ig.task_sources"]
    return render_template(
        "home/index.html", tasks=list_tasks(get_session(), current_actor(), sources)
    )


@bp.get("/healthz")
@public
def healthz() -> Any:
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify({"status": "unavailable", "database": "not answering"}), 503
    return jsonify({"status": "ok", "database": "ok"})

"""The audit trail page, the chain check and the list of encrypted fields."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request

from ig.audit.forms import AuditFilterForm
from ig.audit.integrity import verify_all
from ig.audit.service import list_entries
from ig.auth.access import requires
from ig.db import Base, get_session
from ig.encrypted import encrypted_columns
from ig.keys import keyring_usage

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@requires("audit.read")
def index() -> Any:
    form = AuditFilterForm(request.args)
    if request.args and not form.validate():
        # Show what is wrong, not an unfiltered list that looks like the answer.
        return render_template("audit/index.html", form=form, page=None), 422
    page = list_entries(
        get_session(), form.filters(), page=request.args.get("page", 1, type=int) or 1
    )
    return render_template("audit/index.html", form=form, page=page)


@bp.post("/verify")
@requires("audit.verify")
def verify() -> Any:
    # CSRFProtect has already checked the token; verifying changes nothing but is costly.
    report = verify_all(get_session(), current_app.extensions["ig.integrity_checks"])
    return render_template("audit/verify.html", report=report)


@bp.get("/encrypted-fields")
@requires("keys.view")
def encrypted_fields() -> Any:
    usage = keyring_usage(get_session(), current_app.extensions["ig.keyring"])
    return render_template(
        "audit/encrypted_fields.html", columns=encrypted_columns(Base.metadata), usage=usage
    )

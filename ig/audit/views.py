"""The audit trail page and the list of encrypted fields."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from ig.audit.forms import AuditFilterForm
from ig.audit.service import AuditFilter, list_entries, verify_chain
from ig.auth.access import requires
from ig.crypto import encrypted_columns
from ig.db import Base, get_session

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@requires("audit.read")
def index() -> Any:
    form = AuditFilterForm(request.args)
    valid = form.validate() if request.args else True
    filters = (
        AuditFilter(
            actor=form.actor.data,
            record_type=form.record_type.data,
            record_id=form.record_id.data,
            action=form.action.data,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
        if valid
        else AuditFilter()
    )
    page = list_entries(get_session(), filters, page=request.args.get("page", 1, type=int) or 1)
    return render_template("audit/index.html", form=form, page=page, valid=valid)


@bp.post("/verify")
@requires("audit.verify")
def verify() -> Any:
    # CSRFProtect has already checked the token; verifying changes nothing but is costly.
    return render_template("audit/verify.html", result=verify_chain(get_session()))


@bp.get("/encrypted-fields")
@requires("keys.view")
def encrypted_fields() -> Any:
    return render_template("audit/encrypted_fields.html", columns=encrypted_columns(Base.metadata))
